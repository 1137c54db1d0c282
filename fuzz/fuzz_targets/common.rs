//! Shared by the loader targets: bytes -> load -> every rule -> every output
//! format, with the invariants the property tests also hold.

use phonelint::load::Format;
use phonelint::report::{OutputFormat, RenderOptions, render};

pub fn check(format: Format, data: &[u8]) {
    let name = match format {
        Format::Toml => "fuzz.toml",
        Format::Json => "fuzz.json",
    };
    let outcome = phonelint::check::check_bytes(name, format, data);
    for finding in &outcome.findings {
        for (file, span) in finding.spans() {
            assert!(span.start <= span.end, "{span:?} reversed");
            assert!(span.end <= file.text.len(), "{span:?} past the end");
            assert!(file.text.is_char_boundary(span.start), "{span:?} start");
            assert!(file.text.is_char_boundary(span.end), "{span:?} end");
        }
    }
    for output in [
        OutputFormat::Human,
        OutputFormat::Short,
        OutputFormat::Json,
        OutputFormat::Github,
        OutputFormat::Sarif,
    ] {
        let text = render(output, &outcome, RenderOptions::default());
        if matches!(output, OutputFormat::Json | OutputFormat::Sarif) {
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&text);
            assert!(parsed.is_ok(), "{output:?} output is not JSON");
        }
    }
}
