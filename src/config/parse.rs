//! Parsing phonelint.toml with spans: every setting, and a diagnostic
//! pointing into the file for each unknown key, unknown rule or bad value.

use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::ConfigDiagnostic;
use super::settings::{Allow, Config, Globs, Level, Origin, Override, RuleLevel, Setting, origin};
use crate::model::Severity;
use crate::source::{SourceFile, Span};
use crate::text::suggest::closest;

/// Collects the problems of one file.
struct Parser<'f> {
    file: &'f Arc<SourceFile>,
    problems: Vec<ConfigDiagnostic>,
}

type Table<'i> = DeTable<'i>;
type Item<'i> = Spanned<DeValue<'i>>;

const TOP_KEYS: [&str; 11] = [
    "fail-on",
    "select",
    "ignore",
    "include",
    "exclude",
    "baseline",
    "cache",
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

    /// `name` at `span` is no rule's name.
    fn unknown_rule(&mut self, name: &str, span: Span) {
        let help = match closest(name, crate::rules::names()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "`phonelint rules` lists every rule".to_owned(),
        };
        self.error(
            span,
            format!("unknown rule `{name}`"),
            "no rule has this name",
            Some(help),
        );
    }

    /// `select`/`ignore`: a rule name or an array of them.
    fn rule_names(&mut self, item: &Item<'_>) -> Option<Vec<&'static str>> {
        let items = match item.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            DeValue::String(_) => vec![item],
            _ => {
                self.expected(item, "an array of rule names", None);
                return None;
            }
        };
        let mut names = Vec::new();
        let mut valid = true;
        for item in items {
            let Some(name) = self.string(item) else {
                valid = false;
                continue;
            };
            match crate::rules::names().find(|known| *known == name) {
                Some(known) => names.push(known),
                None => {
                    self.unknown_rule(&name, Span::from(item.span()));
                    valid = false;
                }
            }
        }
        valid.then_some(names)
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

    /// A file's path relative to the project root, which it must stay
    /// inside: the configuration comes with the pull request, and a path
    /// out of the repository (absolute, or climbing with `..`) would make
    /// phonelint read or write a file elsewhere on the machine.
    fn path_inside_root(&mut self, item: &Item<'_>, key: &str) -> Option<String> {
        let path = self.string(item)?;
        let in_git = std::path::Path::new(&path)
            .components()
            .any(|component| component.as_os_str().eq_ignore_ascii_case(".git"));
        if in_git {
            // git's own files (its config may hold a checkout's credentials)
            // are neither read nor written for a configuration.
            self.error(
                Span::from(item.span()),
                format!("`{key}` lies inside `.git`"),
                "inside git's own directory",
                Some("name a file of the repository, e.g. \"phonelint-baseline.json\"".to_owned()),
            );
            return None;
        }
        if crate::files::paths::stays_inside(&path) {
            return Some(path);
        }
        self.error(
            Span::from(item.span()),
            format!("`{key}` leaves the project root: an absolute, empty or climbing (`..`) path"),
            "not inside the project root",
            Some("paths in phonelint.toml are relative to the project root, e.g. \"phonelint-baseline.json\"".to_owned()),
        );
        None
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
                self.unknown_rule(name, key_span);
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
                        self.unknown_rule(name, Span::from(value.span()));
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

pub(super) fn parse(
    file: &Arc<SourceFile>,
    config: &mut Config,
) -> Result<(), Vec<ConfigDiagnostic>> {
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
            "select" => {
                if let Some(rules) = p.rule_names(value) {
                    config.select = Setting {
                        value: Some(rules),
                        origin,
                    };
                }
            }
            "ignore" => {
                if let Some(value) = p.rule_names(value) {
                    config.ignore = Setting { value, origin };
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
            "baseline" => {
                if let Some(value) = p.path_inside_root(value, "baseline") {
                    config.baseline = Setting {
                        value: Some(value),
                        origin,
                    };
                }
            }
            "cache" => {
                if let Some(value) = p.boolean(value) {
                    config.cache = Setting { value, origin };
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
    use std::path::Path;

    use super::*;

    fn parse_text(text: &str) -> Result<Config, Vec<ConfigDiagnostic>> {
        let file = Arc::new(SourceFile::new(
            "/p/phonelint.toml".into(),
            "phonelint.toml".into(),
            text.to_owned(),
        ));
        let mut config = Config::defaults();
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
        let level = |rule, path: &str| config.level(rule, Severity::Error, path);
        assert_eq!(
            level("inactive-with-access", "a.toml"),
            Level::On(Severity::Error)
        );
        assert_eq!(level("blocked-but-listed", "a.toml"), Level::Off);
        assert_eq!(
            level("inactive-admin", "lab/a.toml"),
            Level::On(Severity::Warning)
        );
        assert_eq!(
            level("inactive-admin", "lab/x/a.toml"),
            Level::On(Severity::Error)
        );
        assert!(!config.selects("legacy/old/a.toml"));
        let dirs = Globs::new(vec!["phones/legacy".into(), "*.json".into()]).unwrap();
        assert!(dirs.is_match("phones/legacy/a/b.toml"));
        assert!(dirs.is_match("a.json"));
        assert!(!dirs.is_match("phones/a.json"));
        assert!(!dirs.is_match("phones/legacy.toml"));
        assert!(config.selects("phones/a.toml"));
        let described = config.describe(Path::new("/p"));
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
}
