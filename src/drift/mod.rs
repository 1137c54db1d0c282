//! `phonelint drift`: does the database still hold what the repository says?
//!
//! A side branch over the core that takes from it only what it needs: the
//! repository's records, read whole as `check` reads them
//! ([`crate::check::load_file`]); the database's tables, from an export
//! ([`crate::import::read_export`]) or a live server ([`connect`], with the
//! `db` feature); the collation VICIdial's keys compare by; and findings,
//! which every output format of `check` renders. `--format sql` renders the
//! plan that would make the database match instead ([`plan`]).

mod compare;
#[cfg(feature = "db")]
pub mod connect;
mod database;
mod findings;
pub mod plan;
pub mod repository;
pub mod rules;

pub use compare::owned_by_vicidial;
pub use database::{Database, Table};
pub use rules::RULES;

use crate::model::{Note, Outcome, Summary};

/// How to compare and what to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Credential values in messages (`--show-secrets` with human output).
    pub show_secret_values: bool,
    /// Render the SQL plan, with these options.
    pub plan: Option<plan::Options>,
}

/// What a comparison found.
#[derive(Debug, Default)]
pub struct Drift {
    /// The findings and the repository's errors, as `check` reports them.
    pub outcome: Outcome,
    /// The SQL plan, when asked for.
    pub plan: Option<String>,
    /// What was not compared, and why.
    pub notes: Vec<String>,
}

impl Drift {
    /// Whether the database differs from the repository.
    pub fn drifted(&self) -> bool {
        !self.outcome.findings.is_empty()
    }
}

/// Compares the repository `loaded` read with `database`.
///
/// `checkout_prefix` is where the workspace's root sits in its git checkout:
/// github and SARIF name files from the top of the checkout.
pub fn drift(
    loaded: repository::Loaded,
    database: &Database,
    checkout_prefix: String,
    options: Options,
) -> Drift {
    let compared = compare::compare(&loaded.files, database);
    let found = findings::findings(
        &compared,
        database,
        &loaded.files,
        findings::Options {
            show_secret_values: options.show_secret_values,
        },
    );
    let plan = options
        .plan
        .map(|plan_options| plan::render(&compared, database, plan_options));
    let notes = compared.notes;
    let mut findings = found;
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let files = loaded.files.iter().map(|file| file.document.records.len());
    let summary = Summary::of(files, &findings);
    let mut outcome_notes: Vec<Note> = loaded.notes;
    outcome_notes.sort();
    Drift {
        outcome: Outcome {
            findings,
            baselined: Vec::new(),
            summary,
            errors: loaded.errors,
            notes: outcome_notes,
            checkout_prefix,
            stream: None,
        },
        plan,
        notes,
    }
}
