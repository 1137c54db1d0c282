//! The closing lines of human and short output: what was checked and found,
//! then what `--fix` would do about it.

use super::RenderOptions;
use crate::model::Outcome;
use crate::text::words::count;

/// The marker of a finding that `--fix` fixes (ruff's): the summary's
/// second line says what it means.
pub(super) const FIXABLE: &str = "[*]";

/// `Checked 3 files (12 records): 2 errors, 1 warning, 0 infos.`, and when
/// findings have fixes, `[*] 2 fixable with the `--fix` option.`. Nothing
/// with `--quiet`, and nothing when no file was checked because every path
/// given was wrong: phonelint's own error says so on stderr, and "no
/// problems found" would be false.
pub(super) fn render(outcome: &Outcome, options: RenderOptions) -> String {
    let s = outcome.summary;
    if options.quiet || (s.files == 0 && !outcome.errors.is_empty()) {
        return String::new();
    }
    let checked = format!(
        "{} ({})",
        count(s.files, "file", "files"),
        count(s.records, "record", "records")
    );
    let mut out = if s.files == 0 && s.errors + s.warnings + s.infos == 0 {
        // A first run in the wrong place: say what phonelint looks for.
        "Checked 0 files: no definitions found (`.toml` and `.json` files holding \
         `phones`, `aliases` or `servers`).\n"
            .to_owned()
    } else if s.errors + s.warnings + s.infos == 0 {
        format!("Checked {checked}: no problems found.\n")
    } else {
        format!(
            "Checked {checked}: {}, {}, {}.\n",
            count(s.errors, "error", "errors"),
            count(s.warnings, "warning", "warnings"),
            count(s.infos, "info", "infos")
        )
    };
    if !options.after_fix {
        out.push_str(&fix_hint(s.fixable, s.unsafe_fixable));
    }
    out
}

/// What `--fix` would fix; empty when nothing has a fix. Unsafe fixes are
/// never applied unasked, so they are counted apart.
fn fix_hint(safe: usize, unsafe_: usize) -> String {
    let more = match unsafe_ {
        0 => String::new(),
        n => format!(
            "{} with `--fix --unsafe-fixes`",
            count(n, "unsafe fix", "unsafe fixes")
        ),
    };
    match (safe, more.is_empty()) {
        (0, true) => String::new(),
        (0, false) => format!("No safe fixes ({more}).\n"),
        (n, true) => format!("{FIXABLE} {n} fixable with the `--fix` option.\n"),
        (n, false) => format!("{FIXABLE} {n} fixable with the `--fix` option ({more}).\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fix_hint_counts_safe_and_unsafe_fixes_apart() {
        assert_eq!(fix_hint(0, 0), "");
        assert_eq!(fix_hint(3, 0), "[*] 3 fixable with the `--fix` option.\n");
        assert_eq!(
            fix_hint(1, 2),
            "[*] 1 fixable with the `--fix` option (2 unsafe fixes with `--fix --unsafe-fixes`).\n"
        );
        assert_eq!(
            fix_hint(0, 1),
            "No safe fixes (1 unsafe fix with `--fix --unsafe-fixes`).\n"
        );
    }
}
