//! The effective configuration: each setting, where it came from, and the
//! questions the check asks of it (which files, which level).

use std::fmt;
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::model::{Severity, SiteFacts};
use crate::source::{SourceFile, Span};

/// The names a configuration file may have, in order of preference.
pub const FILE_NAMES: [&str; 2] = ["phonelint.toml", ".phonelint.toml"];

/// A rule's configured level: a severity, or turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    On(Severity),
    Off,
}

impl Level {
    pub(super) fn parse(text: &str) -> Option<Self> {
        match text {
            "error" => Some(Level::On(Severity::Error)),
            "warning" => Some(Level::On(Severity::Warning)),
            "info" => Some(Level::On(Severity::Info)),
            "off" => Some(Level::Off),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::On(severity) => severity.as_str(),
            Level::Off => "off",
        }
    }
}

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File {
        path: String,
        line: usize,
    },
    /// An option of the command line (`--select`, `--fail-on`, ...).
    CommandLine,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{path}:{line}"),
            Origin::CommandLine => f.write_str("command line"),
        }
    }
}

/// A value and its origin.
#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    pub(super) fn default(value: T) -> Self {
        Self {
            value,
            origin: Origin::Default,
        }
    }
}

/// A glob list with its compiled matcher.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    pub patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    pub(super) fn new(patterns: Vec<String>) -> Result<Self, (usize, globset::Error)> {
        let mut builder = GlobSetBuilder::new();
        for (i, pattern) in patterns.iter().enumerate() {
            builder.add(glob(pattern).map_err(|error| (i, error))?);
        }
        let set = builder.build().map_err(|error| (0, error))?;
        Ok(Self { patterns, set })
    }

    /// Whether `path` (relative to the project root, `/` separators), or a
    /// directory it is in, matches: `legacy` covers `legacy/a.toml`, as in
    /// .gitignore.
    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
            || path
                .match_indices('/')
                .any(|(end, _)| path.get(..end).is_some_and(|dir| self.set.is_match(dir)))
    }
}

/// Globs as in .gitignore: `*` stays within one directory, `**` crosses them.
fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

/// `[[overrides]]`: rule levels for the files its globs match.
#[derive(Debug, Clone)]
pub struct Override {
    pub files: Globs,
    pub rules: Vec<RuleLevel>,
    pub origin: Origin,
}

/// `name = "level"` in `[rules]` or an override.
#[derive(Debug, Clone)]
pub struct RuleLevel {
    pub rule: &'static str,
    pub level: Level,
    pub origin: Origin,
}

/// A rule's level when the configuration does not set it.
pub(super) fn default_level(rule: &str, severity: Severity) -> Level {
    if crate::rules::is_off_by_default(rule) {
        Level::Off
    } else {
        Level::On(severity)
    }
}

/// `[[allow]]`: a suppression of one rule on one record, for files without
/// comments (JSON).
#[derive(Debug, Clone)]
pub struct Allow {
    pub rule: String,
    pub record: String,
    pub reason: Option<String>,
    pub path: Option<Globs>,
    /// The `[[allow]]` header, where findings about the entry point.
    pub span: Span,
    /// The `record = ...` value.
    pub record_span: Span,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The configuration file read, if any.
    pub file: Option<Arc<SourceFile>>,
    pub fail_on: Setting<Severity>,
    /// `select`: only these rules' findings are reported (all when unset);
    /// a rule off by default that is named here is on.
    pub select: Setting<Option<Vec<&'static str>>>,
    /// `ignore`: these rules' findings are not reported.
    pub ignore: Setting<Vec<&'static str>>,
    pub include: Setting<Globs>,
    pub exclude: Setting<Globs>,
    /// The baseline every check applies, relative to the project root
    /// (`/` separators, inside the root): `--baseline FILE` overrides it,
    /// `--no-baseline` ignores it, and `phonelint baseline` writes it.
    pub baseline: Setting<Option<String>>,
    /// `cache`: whether a run may use the user's cache of what the rules
    /// across files read of each file (`--no-cache` turns it off for one run).
    pub cache: Setting<bool>,
    pub rules: Vec<RuleLevel>,
    pub overrides: Vec<Override>,
    pub site: Setting<SiteFacts>,
    pub require_password_length: Origin,
    pub min_secret_length: Origin,
    pub strict_sql_mode: Origin,
    pub use_non_latin: Origin,
    pub generate_cross_server_exten: Origin,
    pub api_limits: Origin,
    pub allow: Vec<Allow>,
}

impl Config {
    /// Defaults only, as with `--isolated`.
    pub fn defaults() -> Self {
        Self {
            file: None,
            fail_on: Setting::default(Severity::Error),
            select: Setting::default(None),
            ignore: Setting::default(Vec::new()),
            include: Setting::default(Globs::default()),
            exclude: Setting::default(Globs::default()),
            baseline: Setting::default(None),
            cache: Setting::default(true),
            rules: Vec::new(),
            overrides: Vec::new(),
            site: Setting::default(SiteFacts::default()),
            require_password_length: Origin::Default,
            min_secret_length: Origin::Default,
            strict_sql_mode: Origin::Default,
            use_non_latin: Origin::Default,
            generate_cross_server_exten: Origin::Default,
            api_limits: Origin::Default,
            allow: Vec::new(),
        }
    }

    /// Whether a file found by walking a directory is checked, by its path
    /// relative to the root.
    pub fn selects(&self, relative: &str) -> bool {
        let include = &self.include.value;
        // Nothing to match against (the usual case): no work per file.
        if include.patterns.is_empty() && self.exclude.value.patterns.is_empty() {
            return true;
        }
        (include.patterns.is_empty() || include.is_match(relative))
            && !self.exclude.value.is_match(relative)
    }

    /// Whether findings of `rule` are reported: it is selected (or nothing
    /// is) and not ignored. Rules run and suppressions and the baseline
    /// match whatever is reported; this only filters what is shown, so a
    /// run that looks at a few rules leaves no suppression unused.
    pub fn reports(&self, rule: &str) -> bool {
        self.select
            .value
            .as_ref()
            .is_none_or(|select| select.contains(&rule))
            && !self.ignore.value.contains(&rule)
    }

    /// A rule's level when `[rules]` and overrides do not set it: its
    /// default, or, for a rule off unless turned on, on when `select` names
    /// it.
    pub fn default_level(&self, rule: &str, severity: Severity) -> Level {
        let selected = self
            .select
            .value
            .as_ref()
            .is_some_and(|select| select.contains(&rule));
        if selected {
            Level::On(severity)
        } else {
            default_level(rule, severity)
        }
    }

    /// The level of `rule` in the file at `relative` (to the root):
    /// overrides (the last matching wins), then `[rules]`, then the rule's
    /// default (`default`, or off for a rule that is off unless turned on or
    /// selected).
    pub fn level(&self, rule: &str, default: Severity, relative: &str) -> Level {
        let from_overrides = if self.overrides.is_empty() {
            None
        } else {
            self.overrides
                .iter()
                .rev()
                .filter(|o| o.files.is_match(relative))
                .find_map(|o| o.rules.iter().rfind(|r| r.rule == rule))
        };
        from_overrides
            .or_else(|| self.rules.iter().rfind(|r| r.rule == rule))
            .map_or_else(|| self.default_level(rule, default), |r| r.level)
    }

    pub(super) fn origin(&self, span: Span) -> Origin {
        match &self.file {
            Some(file) => origin(file, span),
            None => Origin::Default,
        }
    }
}

pub(super) fn origin(file: &SourceFile, span: Span) -> Origin {
    Origin::File {
        path: file.name.clone(),
        line: file.line_column(span.start).line,
    }
}
