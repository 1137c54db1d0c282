//! The layers of ARCHITECTURE.md, held against the code: every module of
//! `src/` is placed in a layer, imports only from layers below its own (or
//! from itself), and no file imports, through any chain, from itself.
//!
//! The layer table is read from ARCHITECTURE.md (between its `layers`
//! markers), so the document and this test cannot disagree. Imports are
//! read from the text: `use` declarations (with their trees) and every
//! `crate::`, `$crate::`, `super::` and `self::` path outside comments; the
//! binary's files (`main.rs`, `cli.rs`) reach the library as `phonelint::`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary's files: one module, `main`, above the library.
const BINARY: [&str; 2] = ["main.rs", "cli.rs"];

/// Layer of each top-level module, from ARCHITECTURE.md's table.
fn layers() -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let table = text
        .split_once("<!-- layers:start -->")
        .and_then(|(_, rest)| rest.split_once("<!-- layers:end -->"))
        .map(|(table, _)| table)
        .expect("ARCHITECTURE.md holds the layers markers");
    let mut layers = BTreeMap::new();
    for row in table.lines().filter(|line| line.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (Some(layer), Some(modules)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let Ok(layer) = layer.parse::<usize>() else {
            continue;
        };
        for module in modules.split(',') {
            let module = module.trim().trim_matches('`');
            assert!(
                layers.insert(module.to_owned(), layer).is_none(),
                "{module} is placed twice in ARCHITECTURE.md"
            );
        }
    }
    assert!(layers.len() > 10, "too few modules read: {layers:?}");
    layers
}

/// Every `.rs` file under `src/`, relative to it.
fn source_files() -> Vec<PathBuf> {
    let src = root().join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path.strip_prefix(&src).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// The top-level module a file belongs to (`None` for lib.rs).
fn module_of(file: &Path) -> Option<String> {
    let first = file.components().next()?.as_os_str().to_str()?;
    if BINARY.contains(&first) {
        return Some("main".to_owned());
    }
    if first == "lib.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_owned())
}

/// The text without comments, string contents and character literals (a
/// path in a doc comment or a message is not an import, and a `'{'` is not
/// a brace).
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            '\'' => {
                let ahead: Vec<char> = chars.clone().take(3).collect();
                match ahead.as_slice() {
                    // An escaped character literal: to its closing quote.
                    ['\\', ..] => {
                        chars.next();
                        chars.next();
                        for c in chars.by_ref() {
                            if c == '\'' {
                                break;
                            }
                        }
                        out.push_str("'x'");
                    }
                    [_, '\'', ..] => {
                        chars.next();
                        chars.next();
                        out.push_str("'x'");
                    }
                    // A lifetime.
                    _ => out.push('\''),
                }
            }
            c => out.push(c),
        }
    }
    without_inline_supers(&out)
}

/// Inside an inline module (`mod tests { ... }`), `super::` is the file's own
/// module: one `super` fewer than the same path at the file's top level.
fn without_inline_supers(code: &str) -> String {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(at) = find_word(&code[from..], "mod").map(|at| from + at) {
        from = at + 3;
        let rest = &code[from..];
        let name_len = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .count();
        let after_name = rest.trim_start().get(name_len..).unwrap_or("").trim_start();
        if name_len == 0 || !after_name.starts_with('{') {
            continue;
        }
        let open = code.len() - after_name.len();
        let mut depth = 0;
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        ranges.push(open..open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = String::with_capacity(code.len());
    let mut last = 0;
    for range in ranges {
        if range.start < last {
            continue;
        }
        out.push_str(&code[last..range.start]);
        let body = &code[range.clone()];
        let mut rest = body;
        while let Some(at) = rest.find("super::") {
            let before = rest[..at].chars().next_back();
            out.push_str(&rest[..at]);
            rest = &rest[at + "super::".len()..];
            if before.is_some_and(|c| c == ':' || c.is_ascii_alphanumeric() || c == '_') {
                out.push_str("super::");
            } else if !rest.starts_with("super::") {
                out.push_str("self::");
            }
        }
        out.push_str(rest);
        last = range.end;
    }
    out.push_str(&code[last..]);
    out
}

/// Every path a file names: the full paths of its `use` trees, and every
/// path starting with `crate`, `$crate`, `super`, `self` or `phonelint`
/// elsewhere; each as its segments.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    // `use` declarations, their trees expanded.
    let mut rest = code;
    while let Some(at) = find_word(rest, "use") {
        let after = &rest[at + 3..];
        let Some(end) = after.find(';') else { break };
        expand_tree(after[..end].trim(), &mut Vec::new(), &mut paths);
        rest = &after[end..];
    }
    // Paths anywhere.
    let bytes = code.as_bytes();
    for start in ["crate::", "$crate::", "super::", "self::", "phonelint::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(start) {
            let at = from + found;
            from = at + start.len();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let mut segments = Vec::new();
            for segment in code[at..].split("::") {
                let word: String = segment
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
                    .collect();
                if word.is_empty() {
                    break;
                }
                let whole = word.len() == segment.len();
                segments.push(word);
                if !whole {
                    break;
                }
            }
            // `super::{a, b}` is a use tree, read above.
            if segments.len() > 1 {
                paths.push(segments);
            }
        }
    }
    paths
}

/// The position of `word` as a whole word (a `use` keyword) in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + word.len());
        let boundary =
            |b: Option<&u8>| b.is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if boundary(before.as_ref()) && after == Some(&b' ') {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Expands a use tree (`a::{b, c::{d, e}}`) into full paths.
fn expand_tree(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let inner = tree[open + 1..].trim_end().trim_end_matches('}');
        let depth = prefix.len();
        prefix.extend(head);
        for part in split_top_level(inner) {
            expand_tree(part, prefix, out);
        }
        prefix.truncate(depth);
    } else {
        let mut path = prefix.clone();
        let name = tree.split(" as ").next().unwrap_or(tree);
        path.extend(
            name.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        if !path.is_empty() {
            out.push(path);
        }
    }
}

/// The comma-separated parts of a use tree's braces, nested braces whole.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The module directory a file's paths are relative to: `model/` for
/// `model/mod.rs` and `model/view.rs`; `` for `lib.rs` and `check.rs`.
fn module_dir(file: &Path) -> PathBuf {
    match file.file_name().and_then(|n| n.to_str()) {
        Some("mod.rs" | "lib.rs" | "main.rs") => file.parent().unwrap().to_path_buf(),
        _ => file.with_extension(""),
    }
}

/// The file a path (starting at `crate`, `super`, `self`, `phonelint` or a
/// child module) names: the deepest module file its segments reach.
fn resolve(file: &Path, path: &[String], files: &BTreeSet<PathBuf>) -> Option<PathBuf> {
    let here = module_dir(file);
    let binary = BINARY.iter().any(|b| file == Path::new(b));
    let (mut dir, rest): (PathBuf, &[String]) = match path.first().map(String::as_str)? {
        "crate" | "$crate" if binary => return None,
        "crate" | "$crate" | "phonelint" => (PathBuf::new(), &path[1..]),
        "self" => (here, &path[1..]),
        "super" => {
            let mut dir = here;
            let mut rest = path;
            while rest.first().map(String::as_str) == Some("super") {
                dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
                rest = &rest[1..];
            }
            (dir, rest)
        }
        // A child module named directly (`pub use view::RecordView`).
        first => {
            let child = here.join(format!("{first}.rs"));
            let child_dir = here.join(first).join("mod.rs");
            if files.contains(&child) || files.contains(&child_dir) {
                (here, path)
            } else {
                return None;
            }
        }
    };
    let module_file = |dir: &Path| -> Option<PathBuf> {
        if dir.as_os_str().is_empty() {
            return Some(PathBuf::from("lib.rs"));
        }
        [dir.with_extension("rs"), dir.join("mod.rs")]
            .into_iter()
            .find(|f| files.contains(f))
    };
    let mut found = module_file(&dir);
    for segment in rest {
        dir.push(segment);
        match module_file(&dir) {
            Some(file) => found = Some(file),
            None => break,
        }
    }
    found
}

struct Graph {
    /// file -> the files it takes names from
    edges: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    /// file -> the top-level modules it takes names from
    modules: BTreeMap<PathBuf, BTreeSet<String>>,
}

fn graph() -> Graph {
    let files: BTreeSet<PathBuf> = source_files().into_iter().collect();
    let src = root().join("src");
    let mut graph = Graph {
        edges: BTreeMap::new(),
        modules: BTreeMap::new(),
    };
    for file in &files {
        let code = code_of(&std::fs::read_to_string(src.join(file)).unwrap());
        for path in paths_in(&code) {
            let lib_path = match path.first().map(String::as_str) {
                Some("crate" | "$crate") if !BINARY.iter().any(|b| file == Path::new(b)) => true,
                Some("phonelint") => true,
                _ => false,
            };
            if lib_path && let Some(module) = path.get(1) {
                graph
                    .modules
                    .entry(file.clone())
                    .or_default()
                    .insert(module.clone());
            }
            if let Some(target) = resolve(file, &path, &files)
                && target != *file
            {
                graph.edges.entry(file.clone()).or_default().insert(target);
            }
        }
    }
    graph
}

#[test]
fn every_module_is_placed_in_a_layer() {
    let layers = layers();
    let mut modules: BTreeSet<String> =
        source_files().iter().filter_map(|f| module_of(f)).collect();
    for module in &modules {
        assert!(
            layers.contains_key(module),
            "src/{module} is in no layer: place it in ARCHITECTURE.md's table"
        );
    }
    modules.insert("main".to_owned());
    for module in layers.keys() {
        assert!(
            modules.contains(module),
            "ARCHITECTURE.md places `{module}`, which src/ does not have"
        );
    }
}

#[test]
fn modules_import_only_from_layers_below() {
    let layers = layers();
    let graph = graph();
    let mut problems = Vec::new();
    for (file, used) in &graph.modules {
        let Some(module) = module_of(file) else {
            continue;
        };
        let Some(&layer) = layers.get(&module) else {
            continue;
        };
        for other in used {
            if *other == module {
                continue;
            }
            match layers.get(other) {
                Some(&below) if below < layer => {}
                Some(&above) => problems.push(format!(
                    "src/{} (`{module}`, layer {layer}) imports from `{other}` (layer {above})",
                    file.display()
                )),
                None => problems.push(format!(
                    "src/{} imports from `{other}`, which is in no layer",
                    file.display()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Not vacuous: the graph was read.
    assert!(graph.modules.len() > 50, "{}", graph.modules.len());
}

#[test]
fn no_file_imports_from_itself_through_others() {
    let graph = graph();
    // Depth-first search for a back edge, with the path that closes it.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        file: &PathBuf,
        graph: &Graph,
        marks: &mut BTreeMap<PathBuf, Mark>,
        stack: &mut Vec<PathBuf>,
        cycles: &mut Vec<String>,
    ) {
        marks.insert(file.clone(), Mark::Open);
        stack.push(file.clone());
        for next in graph.edges.get(file).into_iter().flatten() {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|f| f == next).unwrap_or(0);
                    let mut cycle: Vec<String> = stack[from..]
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect();
                    cycle.push(next.display().to_string());
                    cycles.push(cycle.join(" -> "));
                }
                Some(Mark::Done) => {}
                None => visit(next, graph, marks, stack, cycles),
            }
        }
        stack.pop();
        marks.insert(file.clone(), Mark::Done);
    }
    let mut marks = BTreeMap::new();
    let mut cycles = Vec::new();
    for file in graph.edges.keys() {
        if !marks.contains_key(file) {
            visit(file, &graph, &mut marks, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
    assert!(graph.edges.values().map(BTreeSet::len).sum::<usize>() > 100);
}

#[test]
fn the_reader_reads_imports() {
    let code = code_of(
        "use crate::model::{Finding, view::{RecordView, Effective as E}};\n\
         // use crate::check::check;\n\
         let s = \"crate::report\";\n\
         let c = '\"'; fn f() { super::context::record_anchor(a, b); }\n\
         pub use self::baseline::Baseline;\n",
    );
    let paths: Vec<String> = paths_in(&code).iter().map(|p| p.join("::")).collect();
    for expected in [
        "crate::model::Finding",
        "crate::model::view::RecordView",
        "crate::model::view::Effective",
        "super::context::record_anchor",
        "self::baseline::Baseline",
    ] {
        assert!(
            paths.contains(&expected.to_owned()),
            "{expected} in {paths:?}"
        );
    }
    assert!(
        !paths
            .iter()
            .any(|p| p.contains("check") || p.contains("report")),
        "{paths:?}"
    );
}
