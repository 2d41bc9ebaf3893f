//! The committed text fixtures are exactly what the specimen generator makes
//! from their seed. `REGENERATE=1 cargo test --all-features fixtures` rewrites
//! them after a deliberate change to the generator.

use mrtd_verify::mrz::Date;
use mrtd_verify::specimen::text_corpus;

use crate::common::{FIXTURE_REFERENCE, root};

/// The seed of `fixtures/mrz/`.
pub const TEXT_SEED: u64 = 20_261_123;

/// The documents file and the labels file the generator makes.
pub fn generate_text_fixtures() -> (String, String) {
    let reference = Date::parse_iso(FIXTURE_REFERENCE).unwrap();
    let corpus = text_corpus(TEXT_SEED, reference);
    let mut docs = String::new();
    let mut labels = String::new();
    let mut line = 1;
    for s in &corpus {
        let source = format!("fixtures/mrz/documents.txt:{line}");
        docs.push_str(&s.text);
        docs.push_str("\n\n");
        line += s.text.lines().count() + 1;
        let mut value = serde_json::to_value(&s.label).unwrap();
        value["source"] = serde_json::Value::String(source);
        value["text"] = serde_json::Value::String(s.text.clone());
        labels.push_str(&serde_json::to_string(&value).unwrap());
        labels.push('\n');
    }
    (docs, labels)
}

#[test]
fn text_fixtures_match_the_generator() {
    let (docs, labels) = generate_text_fixtures();
    let dir = root().join("fixtures/mrz");
    if std::env::var_os("REGENERATE").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("documents.txt"), &docs).unwrap();
        std::fs::write(dir.join("labels.jsonl"), &labels).unwrap();
    }
    let committed_docs = std::fs::read_to_string(dir.join("documents.txt")).unwrap();
    let committed_labels = std::fs::read_to_string(dir.join("labels.jsonl")).unwrap();
    assert!(committed_docs == docs, "fixtures/mrz/documents.txt differs from the generator: REGENERATE=1 to rewrite");
    assert!(
        committed_labels == labels,
        "fixtures/mrz/labels.jsonl differs from the generator: REGENERATE=1 to rewrite"
    );
}
