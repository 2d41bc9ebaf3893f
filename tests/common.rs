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

/// Runs `cmd` with `stdin`, reading its output as it comes (a full pipe
/// never blocks it), and kills it after `limit`: a hang is a failure, not a
/// stuck test. Returns the output.
#[allow(dead_code)]
pub fn run_within(mut cmd: std::process::Command, stdin: &[u8], limit: std::time::Duration) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
    };
    let _ = writer.join();
    out
}

/// The reference date the image tests judge expiry against.
#[cfg(feature = "ocr")]
pub fn reference() -> mrtd_verify::mrz::Date {
    mrtd_verify::mrz::Date::new(2026, 6, 1).unwrap()
}

/// One verifier with the default configuration at [`reference`], loaded
/// once for every test of the binary.
#[cfg(feature = "ocr")]
pub fn verifier() -> &'static mrtd_verify::Verifier {
    static V: std::sync::OnceLock<mrtd_verify::Verifier> = std::sync::OnceLock::new();
    V.get_or_init(|| mrtd_verify::Verifier::new(mrtd_verify::Config::default().reference_date(reference())).unwrap())
}
