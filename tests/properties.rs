//! Property tests: arbitrary bytes, and valid definitions mutated
//! by structure, go through load, every rule and every output format. None
//! may panic; JSON and SARIF output must parse; every span a finding holds
//! must lie inside its file, on character boundaries. Case counts are kept
//! moderate so `cargo test` stays fast; the fuzz targets (fuzz/) run the same
//! checks for as long as one likes.

use phonelint::load::Format;
use proptest::prelude::*;

/// Valid definitions to mutate: the README example and VICIdial's samples.
const SEEDS: &[(Format, &str)] = &[
    (
        Format::Toml,
        include_str!("../fixtures/example/phones/floor1.toml"),
    ),
    (
        Format::Toml,
        include_str!("../fixtures/example/phones/admin.toml"),
    ),
    (
        Format::Toml,
        include_str!("../fixtures/example/aliases.toml"),
    ),
    (
        Format::Toml,
        include_str!("../fixtures/example/servers.toml"),
    ),
    (
        Format::Toml,
        include_str!("../fixtures/vicidial-samples/first_server_install.toml"),
    ),
    (
        Format::Json,
        include_str!("../fixtures/example/phones/floor2.json"),
    ),
    (
        Format::Json,
        include_str!("../fixtures/vicidial-samples/sip-iax_phones.json"),
    ),
];

/// Pieces of syntax and of hostile text that mutations insert.
const TOKENS: &[&str] = &[
    "[[phones]]\n",
    "[[aliases]]\n",
    "[[servers]]\n",
    "[phones]\n",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "{",
    "}",
    "[",
    "]",
    "=",
    ":",
    ",",
    ".",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "#",
    "\\",
    "\\u0000",
    "\\uD800",
    "pass = \"Secret9x\"\n",
    "\"pass\": \"Secret9x\",",
    "status = \"ADMIN\"\n",
    "\"status\": \"Admin\"",
    "active = \"N\"\n",
    "extension = \"cc100\"\n",
    "\"extension\": \"cc100\",",
    "server_ip = \"10.10.10.15\"\n",
    "alias_id = \"a1\"\nlogins_list = \"cc100,cc101\"\n",
    "1e999",
    "-0",
    "99999999999999999999",
    "1979-05-27T07:32:00Z",
    "true",
    "null",
    "\u{FEFF}",
    "\u{202E}",
    "\u{1b}[2J",
    "\u{0}",
    "é",
    "𝄞",
    "\u{85}",
    "\u{2028}",
    "fulname = \"x\"\n",
    "fullnam = \"y\"\n",
    "\"fulname\": \"x\",",
    "[[phone]]\n",
    "phone = []\n",
    "phones = []\n",
    "\"phone\": [],",
    "pas = \"Secret9x\"\n",
    "dialplan_number = \"abc\"\n",
    "# phonelint: allow unknown-status -- reason\n",
    "# phonelint: allow\n",
];

/// One edit of a text, by byte position (clamped and floored to a char
/// boundary when applied, so any numbers are valid).
#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, &'static str),
    Delete(usize, usize),
    DuplicateLine(usize),
    Truncate(usize),
    InsertByte(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0..4096usize;
    prop_oneof![
        4 => (at.clone(), prop::sample::select(TOKENS)).prop_map(|(a, t)| Mutation::Insert(a, t)),
        2 => (at.clone(), 1..64usize).prop_map(|(a, n)| Mutation::Delete(a, n)),
        1 => at.clone().prop_map(Mutation::DuplicateLine),
        1 => at.clone().prop_map(Mutation::Truncate),
        1 => (at, any::<u8>()).prop_map(|(a, b)| Mutation::InsertByte(a, b)),
    ]
}

fn floor(text: &[u8], at: usize) -> usize {
    let mut at = at.min(text.len());
    // Back to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
    while at > 0 && at < text.len() && text[at] & 0xC0 == 0x80 {
        at -= 1;
    }
    at
}

fn apply(text: &mut Vec<u8>, mutation: &Mutation) {
    match *mutation {
        Mutation::Insert(at, token) => {
            let at = floor(text, at);
            text.splice(at..at, token.bytes());
        }
        Mutation::Delete(at, len) => {
            let start = floor(text, at);
            let end = floor(text, start.saturating_add(len));
            text.drain(start..end);
        }
        Mutation::DuplicateLine(at) => {
            let at = at.min(text.len());
            let start = text[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let end = text[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(text.len(), |i| at + i + 1);
            let line = text[start..end].to_vec();
            text.splice(end..end, line);
        }
        Mutation::Truncate(at) => {
            let at = floor(text, at);
            text.truncate(at);
        }
        // Any byte: may make the text invalid UTF-8, on purpose.
        Mutation::InsertByte(at, byte) => {
            let at = at.min(text.len());
            text.insert(at, byte);
        }
    }
}

/// 64 cases a property in `cargo test`; `PROPTEST_CASES=5000 cargo test
/// --test properties` for a deeper run.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(64);
    ProptestConfig::with_cases(cases)
}

/// Runs every stage on `bytes` and checks the invariants.
fn check_everything(format: Format, bytes: &[u8]) -> Result<(), TestCaseError> {
    phonelint::invariants::check_definition(format, bytes).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_as_toml(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        check_everything(Format::Toml, &bytes)?;
    }

    #[test]
    fn arbitrary_bytes_as_json(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        check_everything(Format::Json, &bytes)?;
    }

    #[test]
    fn mutated_definitions(
        seed in 0..SEEDS.len(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let (format, text) = SEEDS[seed];
        let mut bytes = text.as_bytes().to_vec();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        check_everything(format, &bytes)?;
    }

    /// Tokens alone, strung together: syntax-shaped noise.
    #[test]
    fn strings_of_tokens(
        tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..48),
        json in any::<bool>(),
    ) {
        let text: String = tokens.concat();
        let format = if json { Format::Json } else { Format::Toml };
        check_everything(format, text.as_bytes())?;
    }
}

/// Fixes of every kind: the fix fixtures, beside the seeds above.
const FIX_SEEDS: &[(Format, &str)] = &[
    (Format::Toml, include_str!("../fixtures/fix/phones.toml")),
    (Format::Json, include_str!("../fixtures/fix/phones.json")),
];

/// A baseline to mutate.
const BASELINE: &str =
    include_str!("../fixtures/rules/stale-baseline-entry/bad/phonelint-baseline.json");

proptest! {
    #![proptest_config(config())]

    /// Every fix, unsafe ones too, applied pass after pass: each fixed text
    /// loads without a syntax error or a new duplicate key.
    #[test]
    fn fixes_leave_files_that_load(
        seed in 0..SEEDS.len() + FIX_SEEDS.len(),
        mutations in prop::collection::vec(mutation(), 0..8),
    ) {
        let (format, text) = SEEDS.iter().chain(FIX_SEEDS).nth(seed).copied().unwrap();
        let mut bytes = text.as_bytes().to_vec();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        phonelint::invariants::check_fixes(format, &bytes).map_err(TestCaseError::fail)?;
    }

    /// A mutated baseline loads only with paths inside the repository, and
    /// its stale findings render.
    #[test]
    fn mutated_baselines(mutations in prop::collection::vec(mutation(), 0..8)) {
        let mut bytes = BASELINE.as_bytes().to_vec();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        phonelint::invariants::check_baseline(&bytes).map_err(TestCaseError::fail)?;
    }
}

/// The seeds themselves pass, so the mutations start from valid files.
#[test]
fn seeds_are_valid_definitions() {
    for (format, text) in SEEDS {
        let outcome = phonelint::check::check_bytes("seed", *format, text.as_bytes());
        assert!(
            !outcome.findings.iter().any(|f| f.rule == "parse-error"),
            "{text}"
        );
        assert!(outcome.summary.records > 0);
    }
}
