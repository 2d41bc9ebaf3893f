//! Runs the example CLI on the committed fixtures and checks its output against
//! the generator's labels.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{FIXTURE_REFERENCE, example, jsonl, root};

fn labels() -> Vec<Value> {
    jsonl("fixtures/mrz/labels.jsonl")
}

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(example("scan"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn text_mode_reports_every_fixture_as_labelled() {
    let (code, stdout, stderr) =
        run(&["--mrz-text", "fixtures/mrz/documents.txt", "--reference-date", FIXTURE_REFERENCE], None);
    assert_eq!(code, 1, "some fixtures are not genuine: exit 1\n{stderr}");
    let reports: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let labels = labels();
    assert_eq!(reports.len(), labels.len(), "one report per document, in order");
    for (report, label) in reports.iter().zip(&labels) {
        assert_eq!(report["source"], label["source"]);
        assert_eq!(report["verdict"], label["verdict"], "{}: {report}", label["note"]);
        let not_passing: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] != "pass")
            .map(|f| f["check"].as_str().unwrap())
            .collect();
        let failing: Vec<&str> = label["failing"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        for id in &failing {
            assert!(not_passing.contains(id), "{}: expected {id} among {not_passing:?}", label["source"]);
        }
        if label["kind"] == "malformed" {
            // Not an MRZ: the one finding says it could not be read.
            assert_eq!(not_passing, ["mrz.read"], "{}", label["source"]);
            continue;
        }
        // Nothing fails that the label does not name (skipped checks aside).
        for id in not_passing {
            let skipped =
                report["findings"].as_array().unwrap().iter().any(|f| f["check"] == id && f["status"] == "skipped");
            assert!(failing.contains(&id) || skipped, "{}: unexpected {id}", label["source"]);
        }
        if label["kind"] == "malformed" {
            assert!(report["mrz"].is_null());
            assert_eq!(report["error"]["kind"], "parse");
        } else {
            // Lines exactly as given: text mode never changes a character.
            let lines: Vec<&str> =
                report["mrz"]["lines"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
            assert_eq!(lines.join("\n"), label["text"].as_str().unwrap());
            assert_eq!(report["mrz"]["format"], label["format"]);
        }
    }
}

#[test]
fn stdin_genuine_only_exits_zero() {
    let genuine: Vec<String> = labels()
        .into_iter()
        .filter(|l| l["kind"] == "genuine")
        .map(|l| l["text"].as_str().unwrap().to_owned())
        .collect();
    let input = genuine.join("\n\n");
    let (code, stdout, _) = run(&["--mrz-text", "-", "--reference-date", FIXTURE_REFERENCE], Some(&input));
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.lines().count(), genuine.len());
    assert!(stdout.lines().all(|l| l.contains("\"source\":\"stdin:")));
}

#[test]
fn text_format_and_repair() {
    let damaged = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO74O8122F1204159ZE184226B<<<<<10\n";
    let (code, stdout, _) =
        run(&["--mrz-text", "-", "--format", "text", "--reference-date", "2010-01-01"], Some(damaged));
    assert_eq!(code, 1);
    assert!(stdout.starts_with("FAIL"), "{stdout}");
    assert!(stdout.contains("mrz.check_digit.birth_date"), "{stdout}");
    let (code, stdout, _) =
        run(&["--mrz-text", "-", "--repair", "--format", "json", "--reference-date", "2010-01-01"], Some(damaged));
    assert_eq!(code, 0, "{stdout}");
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["mrz"]["repairs"][0]["from"], "O");
    assert_eq!(report["mrz"]["repairs"][0]["to"], "0");
    assert_eq!(report["mrz"]["repairs"][0]["basis"], "check_digit");
}

#[test]
fn run_failures_exit_two() {
    let (code, stdout, _) = run(&["--mrz-text", "fixtures/does-not-exist.txt"], None);
    assert_eq!(code, 2);
    assert!(stdout.contains("does-not-exist"), "the report names the file: {stdout}");
    let (code, _, _) = run(&["--mrz-text", "-", "--reference-date", "2026-13-01"], Some(""));
    assert_eq!(code, 2);
}

#[cfg(feature = "specimen")]
#[test]
fn specimen_example_writes_a_corpus() {
    let out = std::env::temp_dir().join(format!("mrtd-verify-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(example("specimen"))
        .args(["--seed", "9", "--count", "4", "--dpi", "100", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let labels: Vec<Value> = std::fs::read_to_string(out.join("labels.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(labels.len(), 4);
    for l in &labels {
        for key in ["file", "ir_file", "uv_file"] {
            let name = l[key].as_str().unwrap();
            assert!(out.join(name).exists(), "{name}");
        }
        assert!(l["mrz_lines"].as_array().unwrap().len() >= 2);
        assert!(!l["chars"].as_array().unwrap().is_empty());
    }
    // Same seed, same corpus.
    let again = out.join("again");
    let status = Command::new(example("specimen"))
        .args(["--seed", "9", "--count", "4", "--dpi", "100", "--out"])
        .arg(&again)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(out.join("labels.jsonl")).unwrap(), std::fs::read(again.join("labels.jsonl")).unwrap());
    let _ = std::fs::remove_dir_all(&out);
}
