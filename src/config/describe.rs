//! `phonelint config`: the effective configuration as TOML, each setting
//! followed by where it came from.

use std::path::Path;

use super::settings::{Config, Origin};
use crate::rules::RULES;

impl Config {
    /// `phonelint config`: the effective configuration as TOML, each setting
    /// followed by where it came from.
    pub fn describe(&self, root: &Path) -> String {
        let mut out = String::new();
        match &self.file {
            Some(file) => out.push_str(&format!("# configuration file: {}\n", file.name)),
            None => out.push_str("# no configuration file: defaults only\n"),
        }
        out.push_str(&format!("# project root: {}\n\n", root.display()));
        let line = |out: &mut String, setting: String, origin: &Origin| {
            out.push_str(&format!("{setting:48} # {origin}\n"));
        };
        line(
            &mut out,
            format!("fail-on = {}", quote(self.fail_on.value.as_str())),
            &self.fail_on.origin,
        );
        match &self.select.value {
            Some(select) => line(
                &mut out,
                format!("select = {}", list(select)),
                &self.select.origin,
            ),
            None => out.push_str(&format!("{:48} # default: every rule\n", "# select =")),
        }
        line(
            &mut out,
            format!("ignore = {}", list(&self.ignore.value)),
            &self.ignore.origin,
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
        match &self.baseline.value {
            Some(path) => line(
                &mut out,
                format!("baseline = {}", quote(path)),
                &self.baseline.origin,
            ),
            None => out.push_str(&format!(
                "{:48} # default: none, every finding is reported\n",
                "# baseline ="
            )),
        }
        line(
            &mut out,
            format!("cache = {}", self.cache.value),
            &self.cache.origin,
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
                (
                    self.default_level(meta.name, meta.severity),
                    &Origin::Default,
                ),
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
}

fn quote(text: &str) -> String {
    crate::text::quote::quoted(text)
}

fn list(items: &[impl AsRef<str>]) -> String {
    let items: Vec<String> = items.iter().map(|item| quote(item.as_ref())).collect();
    format!("[{}]", items.join(", "))
}
