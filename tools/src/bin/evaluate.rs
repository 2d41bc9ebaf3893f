//! `evaluate`: reads every image of a labelled folder and compares the MRZ
//! read with the labels (`labels.jsonl`: one object per image with `file` and
//! the MRZ `lines` or `mrz_lines`).
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin evaluate -- path/to/labels.jsonl
//! ```

use std::path::Path;

use mrtd_verify::{Config, Verifier};
use rayon::prelude::*;
use serde_json::Value;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: evaluate LABELS.jsonl");
        std::process::exit(2);
    };
    let dir = Path::new(&path).parent().unwrap_or(Path::new("."));
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("evaluate: cannot read {path}");
        std::process::exit(2);
    };
    let labels: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let Ok(verifier) = Verifier::new(Config::default()) else {
        eprintln!("evaluate: the model failed to load");
        std::process::exit(2);
    };
    let rows: Vec<(bool, bool, String)> = labels
        .par_iter()
        .map(|l| {
            let file = l["file"].as_str().unwrap_or("");
            let truth: Vec<&str> = l
                .get("lines")
                .or_else(|| l.get("mrz_lines"))
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let bytes = std::fs::read(dir.join(file)).unwrap_or_default();
            let report = verifier.verify_image(file, &bytes);
            let read: Vec<&str> =
                report.mrz.as_ref().map(|m| m.lines.iter().map(String::as_str).collect()).unwrap_or_default();
            let exact = read == truth;
            let ms = report.timings_ms.map_or(0.0, |t| t.total);
            let conf = report.scan.as_ref().and_then(|s| s.min_confidence).unwrap_or(0.0);
            let mut line = format!(
                "{} {file:40} {:10} {ms:6.0} ms  min confidence {conf:.2}",
                if exact { "ok " } else { "ERR" },
                report.verdict.name()
            );
            if !exact {
                if let Some(e) = &report.error {
                    line.push_str(&format!("  ({})", e.message));
                }
                for (r, t) in read.iter().zip(&truth) {
                    if r != t {
                        line.push_str(&format!("\n      read  {r}\n      truth {t}"));
                    }
                }
            }
            (exact, report.verdict == mrtd_verify::Verdict::Unreadable, line)
        })
        .collect();
    for (_, _, line) in &rows {
        println!("{line}");
    }
    let n = rows.len().max(1) as f64;
    let exact = rows.iter().filter(|r| r.0).count();
    let accepted = rows.iter().filter(|r| r.0 && !r.1).count();
    let wrong = rows.iter().filter(|r| !r.0 && !r.1).count();
    println!("MRZ text read exactly: {exact}/{} ({:.1} %)", rows.len(), 100.0 * exact as f64 / n);
    println!(
        "read exactly and not sent back for a rescan: {accepted}/{} ({:.1} %); read wrong and not flagged unreadable: {wrong}",
        rows.len(),
        100.0 * accepted as f64 / n
    );
}
