//! VICIdial's tables as data: the record kinds, every column with its type,
//! width, allowed values and default, the values VICIdial accepts beyond the
//! column types, `status` and `active`, and how its MySQL compares text.
//! The single source of truth that the loader, the rules, the JSON Schema and
//! import read; it reads nothing of phonelint's own.

pub mod collation;
mod column;
mod columns;
mod kind;
mod status;
pub mod values;

pub use column::{Column, ColumnType, TEXT_MAX_BYTES};
pub use columns::{
    ALIAS_COLUMNS, IDENTIFYING_COLUMNS, PHONE_COLUMNS, REQUIRED_PHONE_COLUMNS, SERVER_COLUMNS,
    closest_column, column, columns, credential_names, is_column_ignoring_case, is_credential,
    is_credential_column, is_credential_name, known_name,
};
pub use kind::RecordKind;
pub use status::{Active, Status};
