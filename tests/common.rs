//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The reference date the committed fixtures are labelled against.
pub const FIXTURE_REFERENCE: &str = "2026-06-01";

/// The example binary `name`, built by `cargo test` next to the test binary.
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|d| d.parent()).unwrap();
    let path = dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: `cargo test` builds examples; run it with the default features",
        path.display()
    );
    path
}

/// The records of a JSON Lines file of the repository (`fixtures/...`).
pub fn jsonl(relative: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(root().join(relative)).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}
