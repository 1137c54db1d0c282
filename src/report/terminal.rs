//! What the reader's terminal can show, decided from the environment: colour
//! and Unicode. The environment is passed in as a lookup, so that the rules
//! are tested without touching the process's own.

/// Whether to colour output, for `--color auto` (`explicit` is `None`) or
/// `always`/`never`. An explicit choice wins; then, in `auto`:
/// - `FORCE_COLOR` set and not empty forces colour (force-color.org, which
///   checks it after `NO_COLOR`); `0` and `false` are read as Node reads
///   them, as not forcing it;
/// - `NO_COLOR` set and not empty turns colour off (no-color.org), over
///   `CLICOLOR_FORCE`;
/// - `CLICOLOR_FORCE` set and not `0` forces colour, `CLICOLOR=0` turns it
///   off (bixense.com/clicolors);
/// - otherwise a terminal is coloured unless `TERM=dumb`.
pub fn color(
    explicit: Option<bool>,
    is_terminal: bool,
    env: impl Fn(&str) -> Option<String>,
) -> bool {
    if let Some(choice) = explicit {
        return choice;
    }
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    if set("FORCE_COLOR").is_some_and(|value| value != "0" && value != "false") {
        return true;
    }
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|value| value != "0") {
        return true;
    }
    if set("CLICOLOR").is_some_and(|value| value == "0") {
        return false;
    }
    is_terminal && env("TERM").as_deref() != Some("dumb")
}

/// Whether the terminal shows Unicode (box drawing, `×`, `⚠`): not with
/// `TERM=dumb`, and on Unix only in a UTF-8 locale. The locale is the first
/// of `LC_ALL`, `LC_CTYPE` and `LANG` that is set and not empty, as POSIX
/// reads it; with none, the C locale, which is ASCII. Windows has no such
/// variables, and its console shows Unicode.
pub fn unicode(env: impl Fn(&str) -> Option<String>) -> bool {
    if env("TERM").as_deref() == Some("dumb") {
        return false;
    }
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| env(name).filter(|value| !value.is_empty()));
    match locale {
        Some(locale) => {
            let codeset = locale
                .split_once('.')
                .map_or("", |(_, rest)| rest.split('@').next().unwrap_or(""))
                .to_ascii_lowercase();
            codeset == "utf-8" || codeset == "utf8"
        }
        None => cfg!(windows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn colour_follows_the_flag_then_the_conventions_then_the_terminal() {
        assert!(color(Some(true), false, env(&[("NO_COLOR", "1")])));
        assert!(!color(Some(false), true, env(&[("FORCE_COLOR", "1")])));
        assert!(color(None, true, env(&[])));
        assert!(!color(None, false, env(&[])));
        assert!(!color(None, true, env(&[("TERM", "dumb")])));
        assert!(!color(None, true, env(&[("NO_COLOR", "1")])));
        // An empty NO_COLOR is not set.
        assert!(color(None, true, env(&[("NO_COLOR", "")])));
        assert!(color(None, false, env(&[("FORCE_COLOR", "1")])));
        assert!(color(None, false, env(&[("FORCE_COLOR", "3")])));
        assert!(!color(None, false, env(&[("FORCE_COLOR", "0")])));
        assert!(!color(None, false, env(&[("FORCE_COLOR", "")])));
        assert!(color(
            None,
            false,
            env(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")])
        ));
        assert!(color(None, false, env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!color(None, false, env(&[("CLICOLOR_FORCE", "0")])));
        assert!(!color(
            None,
            false,
            env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
        ));
        assert!(!color(None, true, env(&[("CLICOLOR", "0")])));
        assert!(color(None, true, env(&[("CLICOLOR", "1")])));
    }

    #[test]
    fn unicode_needs_a_utf8_locale_and_a_terminal_that_is_not_dumb() {
        assert!(unicode(env(&[("LANG", "C.UTF-8")])));
        assert!(unicode(env(&[("LANG", "en_US.utf8")])));
        assert!(unicode(env(&[("LANG", "de_DE.UTF-8@euro")])));
        assert!(!unicode(env(&[("LANG", "en_US.ISO-8859-1")])));
        assert!(!unicode(env(&[("LANG", "C")])));
        assert!(!unicode(env(&[("LANG", "POSIX")])));
        // LC_ALL, then LC_CTYPE, then LANG; an empty one is not set.
        assert!(!unicode(env(&[("LC_ALL", "C"), ("LANG", "C.UTF-8")])));
        assert!(unicode(env(&[("LC_ALL", ""), ("LANG", "C.UTF-8")])));
        assert!(!unicode(env(&[("LC_CTYPE", "C"), ("LANG", "C.UTF-8")])));
        assert!(unicode(env(&[("LC_CTYPE", "C.UTF-8"), ("LANG", "C")])));
        assert!(!unicode(env(&[("TERM", "dumb"), ("LANG", "C.UTF-8")])));
        assert_eq!(unicode(env(&[])), cfg!(windows));
    }
}
