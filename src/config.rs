//! phonelint.toml: discovery, parsing with spans, the effective settings and
//! where each came from. Loaded before discovery; the loader never sees it.
//!
//! An unknown key, an unknown rule name or a bad value is a [`ConfigError`]
//! pointing into the file (exit code 2), never a silent default.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::files::paths::absolute;
use crate::model::{Severity, SiteFacts};
use crate::rules::RULES;
use crate::source::display::DisplayFile;
use crate::source::{SourceFile, Span};
use crate::text::escape::escape_controls;
use crate::text::suggest::closest;

/// The names a configuration file may have, in order of preference.
pub const FILE_NAMES: [&str; 2] = ["phonelint.toml", ".phonelint.toml"];

/// A rule's configured level: a severity, or turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    On(Severity),
    Off,
}

impl Level {
    fn parse(text: &str) -> Option<Self> {
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
    File { path: String, line: usize },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{path}:{line}"),
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
    fn default(value: T) -> Self {
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
    fn new(patterns: Vec<String>) -> Result<Self, (usize, globset::Error)> {
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
fn default_level(rule: &str, severity: Severity) -> Level {
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
    /// The project root: globs and baseline paths are relative to it. The
    /// configuration file's directory, else the nearest directory holding
    /// `.git` above the current directory, else the current directory.
    pub root: PathBuf,
    /// The current directory, to resolve relative paths.
    pub cwd: PathBuf,
    pub fail_on: Setting<Severity>,
    pub include: Setting<Globs>,
    pub exclude: Setting<Globs>,
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
    /// The baseline given with `--baseline`: its findings are not reported.
    pub baseline: Option<Arc<crate::baseline::Baseline>>,
}

impl Config {
    /// Defaults only, as with `--isolated`.
    pub fn defaults(cwd: &Path) -> Self {
        Self {
            file: None,
            root: repository_root(cwd).unwrap_or_else(|| cwd.to_path_buf()),
            cwd: cwd.to_path_buf(),
            fail_on: Setting::default(Severity::Error),
            include: Setting::default(Globs::default()),
            exclude: Setting::default(Globs::default()),
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
            baseline: None,
        }
    }

    /// The configuration for a run from `cwd`: the file given with
    /// `--config`, else the nearest one found walking up, else defaults.
    pub fn load(cwd: &Path, explicit: Option<&Path>, isolated: bool) -> Result<Self, ConfigError> {
        if isolated {
            return Ok(Self::defaults(cwd));
        }
        let path = match explicit {
            Some(path) => cwd.join(path),
            None => match find(cwd) {
                Some(path) => path,
                None => return Ok(Self::defaults(cwd)),
            },
        };
        // The configuration is the pull request's to write: a link in its
        // place could point anywhere, and diagnostics quote the file. A link
        // is followed only to a regular file inside the current directory,
        // outside `.git` (whose config may hold a checkout's credentials),
        // named as a configuration file is.
        let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        let target = if link {
            let target = std::fs::canonicalize(&path).ok();
            let base = std::fs::canonicalize(cwd).ok();
            let followed = target.zip(base).and_then(|(target, base)| {
                let inside = target.strip_prefix(&base).ok()?;
                let in_git = inside.components().any(|c| c.as_os_str() == ".git");
                let named = target
                    .file_name()
                    .is_some_and(|name| FILE_NAMES.iter().any(|n| name == *n));
                (!in_git && named).then_some(target)
            });
            match followed {
                Some(target) => target,
                None => {
                    return Err(ConfigError::Io(format!(
                        "{}: is a symbolic link to a file outside {}, inside `.git` or not named {}, which phonelint does not follow (see SECURITY.md); replace it with the file itself",
                        path.display(),
                        cwd.display(),
                        FILE_NAMES.join(" or ")
                    )));
                }
            }
        } else {
            path.clone()
        };
        let limit = crate::files::read::MAX_FILE_SIZE;
        let bytes = crate::files::read::read_regular(&target, limit).map_err(|error| {
            ConfigError::Io(match error {
                crate::files::read::ReadError::TooLarge { size, limit } => format!(
                    "{}: too large to read ({size} bytes; the limit is {limit} bytes)",
                    path.display()
                ),
                crate::files::read::ReadError::Link | crate::files::read::ReadError::NotRegular => {
                    format!("{}: not a regular file", path.display())
                }
                crate::files::read::ReadError::Io(error) => {
                    format!("{}: cannot read: {error}", path.display())
                }
            })
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            ConfigError::Io(format!("{}: cannot read: not UTF-8 text", path.display()))
        })?;
        let name = crate::files::paths::relative_name(&path, cwd);
        let file = Arc::new(SourceFile::new(path.clone(), name, text));
        let mut config = Self::defaults(cwd);
        config.root = absolute(path.parent().unwrap_or(cwd), cwd);
        parse(&file, &mut config).map_err(ConfigError::Invalid)?;
        config.file = Some(file);
        Ok(config)
    }

    /// `path` relative to the project root with `/` separators, for globs and
    /// baselines; the path as given when it lies outside the root.
    pub fn relative(&self, path: &Path) -> String {
        match absolute(path, &self.cwd).strip_prefix(&self.root) {
            Ok(relative) => crate::files::paths::relative_name(relative, Path::new("")),
            Err(_) => crate::files::paths::relative_name(path, &self.cwd),
        }
    }

    /// Whether `path` is the project root or a directory above it.
    pub fn holds_root(&self, path: &Path) -> bool {
        self.root.starts_with(absolute(path, &self.cwd))
    }

    /// Whether a file found by walking a directory is checked.
    pub fn selects(&self, path: &Path) -> bool {
        let include = &self.include.value;
        // No globs, nothing to match against: skip the path work (per file).
        if include.patterns.is_empty() && self.exclude.value.patterns.is_empty() {
            return true;
        }
        let relative = self.relative(path);
        (include.patterns.is_empty() || include.is_match(&relative))
            && !self.exclude.value.is_match(&relative)
    }

    /// The level of `rule` in the file at `path`: overrides (the last
    /// matching wins), then `[rules]`, then the rule's default (`default`, or
    /// off for a rule that is off unless turned on).
    pub fn level(&self, rule: &str, default: Severity, path: &Path) -> Level {
        // The relative path is only needed for overrides: this runs per finding.
        let from_overrides = if self.overrides.is_empty() {
            None
        } else {
            let relative = self.relative(path);
            self.overrides
                .iter()
                .rev()
                .filter(|o| o.files.is_match(&relative))
                .find_map(|o| o.rules.iter().rfind(|r| r.rule == rule))
        };
        from_overrides
            .or_else(|| self.rules.iter().rfind(|r| r.rule == rule))
            .map_or_else(|| default_level(rule, default), |r| r.level)
    }

    /// `phonelint config`: the effective configuration as TOML, each setting
    /// followed by where it came from.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        match &self.file {
            Some(file) => out.push_str(&format!("# configuration file: {}\n", file.name)),
            None => out.push_str("# no configuration file: defaults only\n"),
        }
        out.push_str(&format!("# project root: {}\n\n", self.root.display()));
        let line = |out: &mut String, setting: String, origin: &Origin| {
            out.push_str(&format!("{setting:48} # {origin}\n"));
        };
        line(
            &mut out,
            format!("fail-on = {}", quote(self.fail_on.value.as_str())),
            &self.fail_on.origin,
        );
        line(
            &mut out,
            format!("include = {}", list(&self.include.value.patterns)),
            &self.include.origin,
        );
        line(
            &mut out,
            format!("exclude = {}", list(&self.exclude.value.patterns)),
            &self.exclude.origin,
        );
        out.push_str("\n[site]\n");
        line(
            &mut out,
            format!(
                "require_password_length = {}",
                self.site.value.require_password_length
            ),
            &self.require_password_length,
        );
        line(
            &mut out,
            format!("min_secret_length = {}", self.site.value.min_secret_length),
            &self.min_secret_length,
        );
        let site = &self.site.value;
        match site.strict_sql_mode {
            Some(strict) => line(
                &mut out,
                format!("strict_sql_mode = {strict}"),
                &self.strict_sql_mode,
            ),
            None => out.push_str(&format!(
                "{:48} # default: not said, messages give both outcomes\n",
                "# strict_sql_mode ="
            )),
        }
        for (name, value, origin) in [
            ("use_non_latin", site.use_non_latin, &self.use_non_latin),
            (
                "generate_cross_server_exten",
                site.generate_cross_server_exten,
                &self.generate_cross_server_exten,
            ),
            ("api_limits", site.api_limits, &self.api_limits),
        ] {
            line(&mut out, format!("{name} = {value}"), origin);
        }
        out.push_str("\n[rules]\n");
        for rule in RULES {
            let meta = rule.meta();
            let configured = self.rules.iter().rfind(|r| r.rule == meta.name);
            let (level, origin) = configured.map_or(
                (default_level(meta.name, meta.severity), &Origin::Default),
                |r| (r.level, &r.origin),
            );
            line(
                &mut out,
                format!("{} = {}", meta.name, quote(level.as_str())),
                origin,
            );
        }
        for o in &self.overrides {
            out.push_str(&format!("\n[[overrides]]  # {}\n", o.origin));
            out.push_str(&format!("files = {}\n", list(&o.files.patterns)));
            out.push_str("[overrides.rules]\n");
            for r in &o.rules {
                line(
                    &mut out,
                    format!("{} = {}", r.rule, quote(r.level.as_str())),
                    &r.origin,
                );
            }
        }
        for allow in &self.allow {
            let origin = self.origin(allow.span);
            out.push_str(&format!("\n[[allow]]  # {origin}\n"));
            out.push_str(&format!("rule = {}\n", quote(&allow.rule)));
            out.push_str(&format!("record = {}\n", quote(&allow.record)));
            if let Some(path) = &allow.path {
                out.push_str(&format!("path = {}\n", list(&path.patterns)));
            }
            if let Some(reason) = &allow.reason {
                out.push_str(&format!("reason = {}\n", quote(reason)));
            }
        }
        out
    }

    fn origin(&self, span: Span) -> Origin {
        match &self.file {
            Some(file) => origin(file, span),
            None => Origin::Default,
        }
    }
}

fn quote(text: &str) -> String {
    crate::text::quote::quoted(text)
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| quote(item)).collect();
    format!("[{}]", items.join(", "))
}

/// The nearest configuration file in `start` or above it, up to the
/// repository root (the directory holding `.git`).
pub fn find(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            // A link counts as found (and is refused by `Config::load`), so a
            // dangling one cannot make a configuration further up apply.
            let found = std::fs::symlink_metadata(&candidate)
                .is_ok_and(|m| m.is_file() || m.file_type().is_symlink());
            if found {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The nearest directory holding `.git` in `start` or above it.
fn repository_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

fn origin(file: &SourceFile, span: Span) -> Origin {
    Origin::File {
        path: file.name.clone(),
        line: file.line_column(span.start).line,
    }
}

/// Why a configuration could not be used (exit code 2).
#[derive(Debug)]
pub enum ConfigError {
    Io(String),
    /// One diagnostic per problem found in the file.
    Invalid(Vec<ConfigDiagnostic>),
}

impl ConfigError {
    /// The text for stderr: miette reports pointing into the file.
    pub fn render(&self, color: bool) -> String {
        match self {
            ConfigError::Io(message) => format!("phonelint: error: {message}\n"),
            ConfigError::Invalid(diagnostics) => {
                let theme = if color {
                    GraphicalTheme::unicode()
                } else {
                    GraphicalTheme::unicode_nocolor()
                };
                let handler = GraphicalReportHandler::new_themed(theme)
                    .with_width(120)
                    .with_links(false);
                let mut out = String::new();
                for diagnostic in diagnostics {
                    // Snippets from a display copy: control characters in the
                    // file are shown escaped, never sent to the terminal.
                    let shown = Shown {
                        diagnostic,
                        display: DisplayFile::new(&diagnostic.file, false),
                    };
                    if handler.render_report(&mut out, &shown).is_err() {
                        out.push_str(&format!(
                            "{}: {}\n",
                            diagnostic.file.name, diagnostic.message
                        ));
                    }
                    out.push('\n');
                }
                let (n, name) = (
                    diagnostics.len(),
                    diagnostics.first().map_or("", |d| d.file.name.as_str()),
                );
                let s = if n == 1 { "" } else { "s" };
                out.push_str(&format!(
                    "phonelint: error: {n} problem{s} in {name}; nothing was checked\n"
                ));
                out
            }
        }
    }
}

/// A problem in the configuration file, at a span.
#[derive(Debug)]
pub struct ConfigDiagnostic {
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// A diagnostic with the display copy of its file, for rendering.
struct Shown<'a> {
    diagnostic: &'a ConfigDiagnostic,
    display: DisplayFile,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape_controls(&self.diagnostic.message))
    }
}

impl std::error::Error for Shown<'_> {}

/// Snippets from the display copy, positions from the file itself.
impl SourceCode for Shown<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let span_start = self.diagnostic.span.start;
        self.display.read_span_of(
            &self.diagnostic.file,
            &[(
                self.display.map_span(self.diagnostic.span).start,
                span_start,
            )],
            span,
            context_lines_before,
            context_lines_after,
        )
    }
}

impl Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_deref()
            .map(|help| Box::new(escape_controls(help)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(escape_controls(&self.diagnostic.label).into_owned()),
                self.display.map_span(self.diagnostic.span),
            ),
        )))
    }
}

/// Collects the problems of one file.
struct Parser<'f> {
    file: &'f Arc<SourceFile>,
    problems: Vec<ConfigDiagnostic>,
}

type Table<'i> = DeTable<'i>;
type Item<'i> = Spanned<DeValue<'i>>;

const TOP_KEYS: [&str; 7] = [
    "fail-on",
    "include",
    "exclude",
    "rules",
    "overrides",
    "site",
    "allow",
];
const SITE_KEYS: [&str; 6] = [
    "require_password_length",
    "min_secret_length",
    "strict_sql_mode",
    "use_non_latin",
    "generate_cross_server_exten",
    "api_limits",
];
const OVERRIDE_KEYS: [&str; 2] = ["files", "rules"];
const ALLOW_KEYS: [&str; 4] = ["rule", "record", "reason", "path"];

impl Parser<'_> {
    fn error(&mut self, span: Span, message: String, label: &str, help: Option<String>) {
        self.problems.push(ConfigDiagnostic {
            file: Arc::clone(self.file),
            span,
            message,
            label: label.to_owned(),
            help,
        });
    }

    fn origin(&self, span: Span) -> Origin {
        origin(self.file, span)
    }

    fn unknown_key(&mut self, key: &str, span: Span, place: &str, known: &[&str]) {
        let help = match closest(key, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("known keys: {}", known.join(", ")),
        };
        self.error(
            span,
            format!("unknown key `{key}` {place}"),
            "not a phonelint setting",
            Some(help),
        );
    }

    fn expected(&mut self, item: &Item<'_>, what: &str, help: Option<String>) {
        self.error(
            Span::from(item.span()),
            format!("expected {what}, found {}", describe(item.get_ref())),
            &format!("expected {what}"),
            help,
        );
    }

    fn string(&mut self, item: &Item<'_>) -> Option<String> {
        match item.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.expected(item, "a string", None);
                None
            }
        }
    }

    fn strings(&mut self, item: &Item<'_>) -> Option<Vec<String>> {
        match item.get_ref() {
            DeValue::String(s) => Some(vec![s.to_string()]),
            DeValue::Array(items) => items.iter().map(|item| self.string(item)).collect(),
            _ => {
                self.expected(item, "an array of glob strings", None);
                None
            }
        }
    }

    fn globs(&mut self, item: &Item<'_>) -> Option<Globs> {
        let patterns = self.strings(item)?;
        match Globs::new(patterns) {
            Ok(globs) => Some(globs),
            Err((index, error)) => {
                let span = match item.get_ref() {
                    DeValue::Array(items) => items.get(index).map_or(item.span(), |i| i.span()),
                    _ => item.span(),
                };
                self.error(
                    Span::from(span),
                    format!("invalid glob: {}", error.kind()),
                    "not a valid glob",
                    Some("globs are relative to the project root; `*` stays within a directory, `**` crosses directories".to_owned()),
                );
                None
            }
        }
    }

    fn count(&mut self, item: &Item<'_>) -> Option<usize> {
        let parsed = match item.get_ref() {
            DeValue::Integer(i) => usize::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.expected(item, "a non-negative integer", None);
        }
        parsed
    }

    fn boolean(&mut self, item: &Item<'_>) -> Option<bool> {
        match item.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.expected(item, "true or false", None);
                None
            }
        }
    }

    fn table<'a, 'i>(&mut self, item: &'a Item<'i>, what: &str) -> Option<&'a Table<'i>> {
        match item.get_ref() {
            DeValue::Table(table) => Some(table),
            _ => {
                self.expected(item, what, None);
                None
            }
        }
    }

    fn rule_levels(&mut self, table: &Table<'_>) -> Vec<RuleLevel> {
        let mut levels = Vec::new();
        for (key, value) in table {
            let key_span = Span::from(key.span());
            let name: &str = key.get_ref();
            let Some(rule) = crate::rules::names().find(|n| *n == name) else {
                let help = match closest(name, crate::rules::names()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "`phonelint rules` lists every rule".to_owned(),
                };
                self.error(
                    key_span,
                    format!("unknown rule `{name}`"),
                    "no rule has this name",
                    Some(help),
                );
                continue;
            };
            let level = match value.get_ref() {
                DeValue::String(s) => Level::parse(s),
                _ => None,
            };
            let Some(level) = level else {
                let help = Some(
                    "a rule's level is \"error\", \"warning\", \"info\" or \"off\"".to_owned(),
                );
                match value.get_ref() {
                    DeValue::String(s) => self.error(
                        Span::from(value.span()),
                        format!("`{s}` is not a level for `{name}`"),
                        "not a level",
                        help,
                    ),
                    _ => self.expected(value, "a level string", help),
                }
                continue;
            };
            levels.push(RuleLevel {
                rule,
                level,
                origin: self.origin(key_span),
            });
        }
        levels
    }

    fn tables<'a, 'i>(&mut self, item: &'a Item<'i>, what: &str) -> Vec<&'a Item<'i>> {
        match item.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter(|i| self.table(i, what).is_some())
                .collect(),
            _ => {
                self.expected(item, what, None);
                Vec::new()
            }
        }
    }

    fn override_(&mut self, item: &Item<'_>) -> Option<Override> {
        let table = self.table(item, "an [[overrides]] table")?;
        let mut files = None;
        let mut rules = Vec::new();
        for (key, value) in table {
            match &**key.get_ref() {
                "files" => files = self.globs(value),
                "rules" => {
                    if let Some(t) = self.table(value, "a table of rule levels") {
                        rules = self.rule_levels(t);
                    }
                }
                other => self.unknown_key(
                    other,
                    Span::from(key.span()),
                    "in [[overrides]]",
                    &OVERRIDE_KEYS,
                ),
            }
        }
        let header = Span::from(item.span());
        let Some(files) = files else {
            self.error(
                header,
                "[[overrides]] without `files`".to_owned(),
                "which files does this override apply to?",
                Some("add files = [\"glob\", ...], relative to the project root".to_owned()),
            );
            return None;
        };
        Some(Override {
            files,
            rules,
            origin: self.origin(header),
        })
    }

    fn allow(&mut self, item: &Item<'_>) -> Option<Allow> {
        let table = self.table(item, "an [[allow]] table")?;
        let (mut rule, mut record, mut reason, mut path) = (None, None, None, None);
        let mut record_span = Span::from(item.span());
        for (key, value) in table {
            match &**key.get_ref() {
                "rule" => {
                    rule = self.string(value);
                    if let Some(name) = &rule
                        && crate::rules::find(name).is_none()
                    {
                        let help = closest(name, crate::rules::names())
                            .map(|near| format!("did you mean `{near}`?"));
                        self.error(
                            Span::from(value.span()),
                            format!("unknown rule `{name}`"),
                            "no rule has this name",
                            help,
                        );
                        return None;
                    }
                }
                "record" => {
                    record = self.string(value);
                    record_span = Span::from(value.span());
                }
                "reason" => reason = self.string(value),
                "path" => path = self.globs(value),
                other => {
                    self.unknown_key(other, Span::from(key.span()), "in [[allow]]", &ALLOW_KEYS)
                }
            }
        }
        let header = Span::from(item.span());
        let (Some(rule), Some(record)) = (rule, record) else {
            self.error(
                header,
                "[[allow]] needs `rule` and `record`".to_owned(),
                "incomplete suppression",
                Some("rule = \"rule-name\", record = \"extension@server_ip\" (or an alias_id or server_id), reason = \"why\"".to_owned()),
            );
            return None;
        };
        Some(Allow {
            rule,
            record,
            reason: reason.filter(|r| !r.trim().is_empty()),
            path,
            span: header,
            record_span,
        })
    }
}

fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn parse(file: &Arc<SourceFile>, config: &mut Config) -> Result<(), Vec<ConfigDiagnostic>> {
    let mut p = Parser {
        file,
        problems: Vec::new(),
    };
    let table = match DeTable::parse(&file.text) {
        Ok(table) => table.into_inner(),
        Err(error) => {
            let span = error.span().map_or_else(|| Span::new(0, 0), Span::from);
            p.error(
                span,
                format!("invalid TOML: {}", error.message().trim_end()),
                "here",
                None,
            );
            return Err(p.problems);
        }
    };
    for (key, value) in &table {
        let key_span = Span::from(key.span());
        let origin = p.origin(key_span);
        match &**key.get_ref() {
            "fail-on" => {
                let level = match value.get_ref() {
                    DeValue::String(s) => match &**s {
                        "error" => Some(Severity::Error),
                        "warning" => Some(Severity::Warning),
                        _ => None,
                    },
                    _ => None,
                };
                match level {
                    Some(value) => config.fail_on = Setting { value, origin },
                    None => p.expected(
                        value,
                        "\"error\" or \"warning\"",
                        Some("fail-on = \"warning\" makes warnings fail the check too".to_owned()),
                    ),
                }
            }
            "include" => {
                if let Some(value) = p.globs(value) {
                    config.include = Setting { value, origin };
                }
            }
            "exclude" => {
                if let Some(value) = p.globs(value) {
                    config.exclude = Setting { value, origin };
                }
            }
            "rules" => {
                if let Some(t) = p.table(value, "a table of rule levels") {
                    config.rules = p.rule_levels(t);
                }
            }
            "site" => {
                let Some(t) = p.table(value, "a table of site facts") else {
                    continue;
                };
                for (key, value) in t {
                    let key_span = Span::from(key.span());
                    match &**key.get_ref() {
                        "require_password_length" => {
                            if let Some(n) = p.count(value) {
                                config.site.value.require_password_length = n;
                                config.require_password_length = p.origin(key_span);
                            }
                        }
                        "min_secret_length" => {
                            if let Some(n) = p.count(value) {
                                config.site.value.min_secret_length = n;
                                config.min_secret_length = p.origin(key_span);
                            }
                        }
                        "strict_sql_mode" => {
                            if let Some(b) = p.boolean(value) {
                                config.site.value.strict_sql_mode = Some(b);
                                config.strict_sql_mode = p.origin(key_span);
                            }
                        }
                        "use_non_latin" => {
                            if let Some(b) = p.boolean(value) {
                                config.site.value.use_non_latin = b;
                                config.use_non_latin = p.origin(key_span);
                            }
                        }
                        "generate_cross_server_exten" => {
                            if let Some(b) = p.boolean(value) {
                                config.site.value.generate_cross_server_exten = b;
                                config.generate_cross_server_exten = p.origin(key_span);
                            }
                        }
                        "api_limits" => {
                            if let Some(b) = p.boolean(value) {
                                config.site.value.api_limits = b;
                                config.api_limits = p.origin(key_span);
                            }
                        }
                        other => p.unknown_key(other, key_span, "in [site]", &SITE_KEYS),
                    }
                }
            }
            "overrides" => {
                for item in p.tables(value, "[[overrides]] tables") {
                    if let Some(o) = p.override_(item) {
                        config.overrides.push(o);
                    }
                }
            }
            "allow" => {
                for item in p.tables(value, "[[allow]] tables") {
                    if let Some(a) = p.allow(item) {
                        config.allow.push(a);
                    }
                }
            }
            other => p.unknown_key(other, key_span, "at the top level", &TOP_KEYS),
        }
    }
    if p.problems.is_empty() {
        Ok(())
    } else {
        Err(p.problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Config, Vec<ConfigDiagnostic>> {
        let file = Arc::new(SourceFile::new(
            "/p/phonelint.toml".into(),
            "phonelint.toml".into(),
            text.to_owned(),
        ));
        let mut config = Config::defaults(Path::new("/p"));
        config.root = PathBuf::from("/p");
        parse(&file, &mut config).map(|()| config)
    }

    #[test]
    fn settings_and_their_origins() {
        let config = parse_text(
            "fail-on = \"warning\"\nexclude = [\"legacy/**\"]\n\n[rules]\ninactive-with-access = \"error\"\nblocked-but-listed = \"off\"\n\n[site]\nmin_secret_length = 12\n\n[[overrides]]\nfiles = [\"lab/*.toml\"]\n[overrides.rules]\ninactive-admin = \"warning\"\n",
        )
        .unwrap();
        assert_eq!(config.fail_on.value, Severity::Warning);
        assert_eq!(
            config.fail_on.origin,
            Origin::File {
                path: "phonelint.toml".into(),
                line: 1
            }
        );
        assert_eq!(config.site.value.min_secret_length, 12);
        assert_eq!(config.site.value.require_password_length, 0);
        let level = |rule, path: &str| config.level(rule, Severity::Error, Path::new(path));
        assert_eq!(
            level("inactive-with-access", "/p/a.toml"),
            Level::On(Severity::Error)
        );
        assert_eq!(level("blocked-but-listed", "/p/a.toml"), Level::Off);
        assert_eq!(
            level("inactive-admin", "/p/lab/a.toml"),
            Level::On(Severity::Warning)
        );
        assert_eq!(
            level("inactive-admin", "/p/lab/x/a.toml"),
            Level::On(Severity::Error)
        );
        assert!(!config.selects(Path::new("/p/legacy/old/a.toml")));
        let dirs = Globs::new(vec!["phones/legacy".into(), "*.json".into()]).unwrap();
        assert!(dirs.is_match("phones/legacy/a/b.toml"));
        assert!(dirs.is_match("a.json"));
        assert!(!dirs.is_match("phones/a.json"));
        assert!(!dirs.is_match("phones/legacy.toml"));
        assert!(config.selects(Path::new("/p/phones/a.toml")));
        let described = config.describe();
        assert!(described.contains("fail-on = \"warning\""), "{described}");
        assert!(described.contains("# phonelint.toml:5"), "{described}");
        assert!(
            described.contains("inactive-admin = \"error\""),
            "{described}"
        );
    }

    #[test]
    fn problems_point_into_the_file() {
        let problems = parse_text(
            "fail_on = \"error\"\n[rules]\ninactive-admn = \"off\"\nunknown-status = \"loud\"\n[site]\nmin_secret_length = -1\n",
        )
        .err()
        .unwrap();
        let messages: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown key `fail_on` at the top level",
                "unknown rule `inactive-admn`",
                "`loud` is not a level for `unknown-status`",
                "expected a non-negative integer, found an integer",
            ]
        );
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `fail-on`?"));
        assert_eq!(
            problems[1].help.as_deref(),
            Some("did you mean `inactive-admin`?")
        );
        assert_eq!(problems[2].file.slice(problems[2].span), "\"loud\"");
    }

    #[test]
    fn discovery_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let sub = repo.join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join("phonelint.toml"), "").unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(find(&sub), None);
        std::fs::write(repo.join("a/.phonelint.toml"), "").unwrap();
        assert_eq!(find(&sub), Some(repo.join("a/.phonelint.toml")));
        std::fs::write(repo.join("a/phonelint.toml"), "").unwrap();
        assert_eq!(find(&sub), Some(repo.join("a/phonelint.toml")));
    }
}
