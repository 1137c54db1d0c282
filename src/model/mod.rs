//! The model: a loaded record as VICIdial reads it (views, effective
//! values, written values judged against their columns), the site's facts,
//! the repository with its cross-file index, and what a check produces.

mod fields;
mod finding;
mod index;
mod kept;
mod outcome;
mod repository;
mod secrets;
mod site;
mod view;
pub mod written;

pub use fields::FieldIndex;
pub use finding::{Applicability, Edit, Finding, Fix, Label, RecordRef, Related, Severity};
pub use index::{
    AliasEntry, Grouping, Groups, Index, Located, Member, RecordId, RecordKeys, key_hash,
};
pub use kept::{CROSS_FILE_COLUMNS, FieldFinder, KeptFile, KeptRecord, KeptView};
pub use outcome::{
    CHUNK, FindingStream, Note, Outcome, ReadFailure, RunError, SkipReason, Summary,
};
pub use repository::{LoadedFile, Repository};
pub use secrets::{each_secret_span, secret_spans, textual_secret_spans};
pub use site::SiteFacts;
pub use view::{Effective, RecordView, first_line};
pub use written::ValueError;
