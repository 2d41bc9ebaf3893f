//! The scanner CLI over hostile folders and inputs: every document gets its
//! report, in order, and nothing hangs, loops or aborts the batch.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::common::{example, root, run_within};

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mrtd-verify-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the scanner in `dir` with `args`, killing it after two minutes (a
/// hang is a failure, not a stuck test): exit code, JSON reports, stderr.
fn scan_in(dir: &Path, args: &[&str], stdin: &[u8]) -> (i32, Vec<Value>, String) {
    let mut cmd = Command::new(example("scan"));
    cmd.args(args).current_dir(dir);
    let out = run_within(cmd, stdin, Duration::from_secs(120));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let reports = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (out.status.code().unwrap_or(-1), reports, String::from_utf8(out.stderr).unwrap())
}

fn sources(reports: &[Value]) -> Vec<&str> {
    reports.iter().map(|r| r["source"].as_str().unwrap()).collect()
}

fn copy_scan(name: &str, to: &Path) {
    std::fs::copy(root().join("fixtures/specimens").join(name), to).unwrap();
}

#[cfg(unix)]
#[test]
fn a_hostile_folder_gives_each_document_its_report_and_goes_on() {
    let dir = scratch("hostile");
    let d = dir.join("d");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    copy_scan("2026-00001.jpg", &d.join("a.jpg"));
    copy_scan("2026-00002.jpg", &d.join("sub/c.jpg"));
    // A FIFO with an image's name would block a plain read forever.
    assert!(Command::new("mkfifo").arg(d.join("b.jpg")).status().unwrap().success());
    // Links back up the tree: each folder is walked once.
    std::os::unix::fs::symlink(".", d.join("loop-here")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/loop-up")).unwrap();
    std::os::unix::fs::symlink("nowhere.png", d.join("dangling.png")).unwrap();
    std::fs::write(d.join("notes.txt"), "not a scan").unwrap();
    let (code, reports, stderr) = scan_in(&dir, &["d", "--reference-date", "2026-06-01"], b"");
    assert_eq!(code, 1, "unreadable documents: exit 1\n{stderr}");
    assert_eq!(sources(&reports), ["d/a.jpg", "d/b.jpg", "d/dangling.png", "d/sub/c.jpg"], "{stderr}");
    assert_eq!(reports[0]["verdict"], "pass");
    assert_eq!(reports[3]["verdict"], "pass");
    for (r, why) in [(&reports[1], "not a regular file"), (&reports[2], "No such file")] {
        assert_eq!(r["verdict"], "unreadable");
        assert_eq!(r["error"]["kind"], "io");
        assert!(r["error"]["message"].as_str().unwrap().contains(why), "{r}");
    }
    assert!(stderr.contains("skipped d/notes.txt"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_listed_is_reported_and_the_walk_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("locked");
    std::fs::create_dir_all(dir.join("d/locked")).unwrap();
    copy_scan("2026-00001.jpg", &dir.join("d/a.jpg"));
    std::fs::set_permissions(dir.join("d/locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(dir.join("d/locked")).is_ok() {
        // Root reads every folder: the case cannot be made here.
        std::fs::set_permissions(dir.join("d/locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let (code, reports, stderr) = scan_in(&dir, &["d", "--reference-date", "2026-06-01"], b"");
    std::fs::set_permissions(dir.join("d/locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(sources(&reports), ["d/a.jpg", "d/locked"], "in walk order");
    assert_eq!(reports[1]["error"]["kind"], "io");
    assert_eq!(reports[0]["verdict"], "pass");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn nothing_to_judge_is_an_error_not_a_pass() {
    let dir = scratch("nothing");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    std::fs::create_dir_all(dir.join("others")).unwrap();
    std::fs::write(dir.join("others/a.pdf"), "%PDF").unwrap();
    for (args, stdin) in [(&["empty"][..], &b""[..]), (&["others"][..], b""), (&["--mrz-text", "-"][..], b"\n\n")] {
        let (code, reports, stderr) = scan_in(&dir, args, stdin);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(reports.is_empty());
        assert!(stderr.contains("nothing to judge"), "{stderr}");
    }
    let (_, _, stderr) = scan_in(&dir, &["others"], b"");
    assert!(stderr.contains("skipped others/a.pdf"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n";

#[test]
fn text_input_is_decoded_leniently_document_by_document() {
    let dir = scratch("text");
    // A byte that is not UTF-8 in the middle document only.
    let mut bytes = TD3.as_bytes().to_vec();
    bytes.push(b'\n');
    bytes.extend(TD3.replacen("ERIK", "ER\u{1}K", 1).as_bytes().iter().map(|&b| if b == 1 { 0xFF } else { b }));
    bytes.push(b'\n');
    bytes.extend(TD3.as_bytes());
    let (code, reports, stderr) = scan_in(&dir, &["--mrz-text", "-", "--reference-date", "2010-01-01"], &bytes);
    assert_eq!(code, 1, "{stderr}");
    let verdicts: Vec<&Value> = reports.iter().map(|r| &r["verdict"]).collect();
    assert_eq!(verdicts, ["pass", "unreadable", "pass"]);
    assert_eq!(reports[1]["source"], "stdin:4");
    assert_eq!(reports[1]["error"]["kind"], "parse");
    assert_eq!((&reports[1]["error"]["line"], &reports[1]["error"]["column"]), (&Value::from(1), &Value::from(8)));
    assert!(reports[1]["error"]["message"].as_str().unwrap().contains("not text"), "{}", reports[1]);
    // UTF-16 as Windows tools save it, with and without a byte-order mark.
    for bom in [true, false] {
        let mut utf16: Vec<u8> = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        utf16.extend(TD3.replace('\n', "\r\n").encode_utf16().flat_map(u16::to_le_bytes));
        let (code, reports, stderr) = scan_in(&dir, &["--mrz-text", "-", "--reference-date", "2010-01-01"], &utf16);
        assert_eq!((code, reports.len()), (0, 1), "{stderr}");
        assert_eq!(reports[0]["verdict"], "pass");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_image_beyond_the_memory_budget_is_refused_with_its_size_and_the_limit() {
    let dir = scratch("budget");
    // 2000 x 2000 RGBA of 16 bits: 31 MB of pixels, a small file. Under a
    // 128 MiB budget one worker may decode 16 MiB.
    let big = image::ImageBuffer::<image::Rgba<u16>, Vec<u16>>::from_pixel(2000, 2000, image::Rgba([65535; 4]));
    image::DynamicImage::ImageRgba16(big).save(dir.join("big.png")).unwrap();
    copy_scan("2026-00001.jpg", &dir.join("ok.jpg"));
    let (code, reports, stderr) = scan_in(
        &dir,
        &["big.png", "ok.jpg", "--jobs", "1", "--max-memory", "128M", "--reference-date", "2026-06-01"],
        b"",
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["error"]["kind"], "too_large");
    let message = reports[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("2000 x 2000") && message.contains("16 MiB"), "{message}");
    assert_eq!(reports[1]["verdict"], "pass", "the batch goes on");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_mistyped_path_alone_is_an_input_error() {
    let dir = scratch("typo");
    let (code, reports, stderr) = scan_in(&dir, &["no-such-scan.jpg"], b"");
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(reports.len(), 1, "its report is still printed");
    assert_eq!(reports[0]["error"]["kind"], "io");
    assert!(stderr.contains("check the paths"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
