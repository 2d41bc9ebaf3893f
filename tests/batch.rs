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

/// Runs the scanner as an unprivileged user when this process is root
/// (permissions do not bind root, so a locked folder could not be tried):
/// the binary is linked or copied into `dir`, where `nobody` can run it.
#[cfg(unix)]
fn scan_unprivileged(dir: &Path, args: &[&str]) -> (i32, Vec<Value>, String) {
    use std::os::unix::process::CommandExt;
    // The effective user from `id -u` (the tests do not link libc).
    let uid = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if uid.ok().as_deref() != Some("0") {
        return scan_in(dir, args, b"");
    }
    let bin = dir.join("scan-unprivileged");
    if std::fs::hard_link(example("scan"), &bin).is_err() {
        std::fs::copy(example("scan"), &bin).unwrap();
    }
    let mut cmd = Command::new(&bin);
    cmd.args(args).current_dir(dir).uid(65534).gid(65534);
    let out = run_within(cmd, b"", Duration::from_secs(120));
    let _ = std::fs::remove_file(&bin);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let reports = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (out.status.code().unwrap_or(-1), reports, String::from_utf8(out.stderr).unwrap())
}

#[cfg(unix)]
#[test]
fn a_folder_or_file_that_cannot_be_read_is_reported_and_the_walk_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("locked");
    std::fs::create_dir_all(dir.join("d/locked")).unwrap();
    copy_scan("2026-00001.jpg", &dir.join("d/a.jpg"));
    copy_scan("2026-00003.jpg", &dir.join("d/locked/hidden.jpg"));
    copy_scan("2026-00004.jpg", &dir.join("d/secret.jpg"));
    copy_scan("2026-00002.jpg", &dir.join("d/z.jpg"));
    let mode = |p: &str, m: u32| std::fs::set_permissions(dir.join(p), std::fs::Permissions::from_mode(m)).unwrap();
    // Readable by everyone but these two (the scratch folder is the
    // process's; an unprivileged user walks it).
    for p in ["", "d"] {
        mode(p, 0o755);
    }
    mode("d/locked", 0o000);
    mode("d/secret.jpg", 0o000);
    let (code, reports, stderr) = scan_unprivileged(&dir, &["d", "--reference-date", "2026-06-01"]);
    mode("d/locked", 0o755);
    mode("d/secret.jpg", 0o644);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(sources(&reports), ["d/a.jpg", "d/locked", "d/secret.jpg", "d/z.jpg"], "in walk order: {stderr}");
    for r in [&reports[1], &reports[2]] {
        assert_eq!(r["verdict"], "unreadable");
        assert_eq!(r["error"]["kind"], "io");
        let message = r["error"]["message"].as_str().unwrap();
        assert!(message.contains("ermission denied"), "{message}");
    }
    assert!(reports[1]["error"]["message"].as_str().unwrap().contains("d/locked"), "the locked folder is named");
    assert_eq!(reports[0]["verdict"], "pass");
    assert_eq!(reports[3]["verdict"], "pass", "the walk goes on after them");
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
fn a_closed_output_stops_the_batch() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    // 40 000 documents take seconds to judge; the reader wants one report.
    let input = format!("{TD3}\n").repeat(40_000);
    let mut child = Command::new(example("scan"))
        .args(["--mrz-text", "-", "--jobs", "1", "--reference-date", "2010-01-01"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.contains("\"verdict\":\"pass\""), "{first}");
    // The reader went away (as `| head -1` does).
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let Ok(out) = rx.recv_timeout(Duration::from_secs(120)) else {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        panic!("the scanner went on after its output closed");
    };
    let out = out.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("writing the report"), "{stderr}");
    let _ = writer.join();
}

#[test]
fn an_image_beyond_the_memory_budget_is_reduced_or_refused_with_its_size_and_the_limit() {
    let dir = scratch("budget");
    // Under a 128 MiB budget one worker may decode 16 MiB. A scan stored
    // three times larger as 16-bit RGBA PNG (2661 x 1887, 38 MiB of pixels)
    // is decoded at half its resolution and read; the same pixels as WebP,
    // which has no reduced decoding, are refused with their size.
    let scan = image::open(root().join("fixtures/specimens/2026-00002.jpg")).unwrap();
    let (w, h) = (scan.width() * 3, scan.height() * 3);
    let big = scan.resize_exact(w, h, image::imageops::FilterType::Triangle);
    image::DynamicImage::ImageRgba16(big.to_rgba16()).save(dir.join("big.png")).unwrap();
    image::DynamicImage::ImageRgba8(big.to_rgba8()).save(dir.join("big.webp")).unwrap();
    copy_scan("2026-00001.jpg", &dir.join("ok.jpg"));
    let (code, reports, stderr) = scan_in(
        &dir,
        &["big.png", "big.webp", "ok.jpg", "--jobs", "1", "--max-memory", "128M", "--reference-date", "2026-06-01"],
        b"",
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0]["verdict"], "pass", "{}", reports[0]);
    assert_eq!(reports[0]["scan"]["reduction"], 2);
    assert_eq!(reports[1]["error"]["kind"], "too_large", "{}", reports[1]);
    let message = reports[1]["error"]["message"].as_str().unwrap();
    assert!(message.contains(&format!("{w} x {h}")) && message.contains("16 MiB"), "{message}");
    assert_eq!(reports[2]["verdict"], "pass", "the batch goes on");
    assert!(reports[2]["scan"].get("reduction").is_none(), "an ordinary scan is decoded whole");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_mistyped_path_alone_is_an_input_error() {
    let dir = scratch("typo");
    // A mistyped image path and a mistyped text path have one shape: an
    // `io` report naming the path, then exit 2.
    for (args, name) in
        [(&["no-such-scan.jpg"][..], "no-such-scan.jpg"), (&["--mrz-text", "no-such.txt"], "no-such.txt")]
    {
        let (code, reports, stderr) = scan_in(&dir, args, b"");
        assert_eq!(code, 2, "{stderr}");
        assert_eq!(reports.len(), 1, "its report is still printed");
        assert_eq!(reports[0]["source"], name);
        assert_eq!(reports[0]["verdict"], "unreadable");
        assert_eq!(reports[0]["error"]["kind"], "io");
        assert!(stderr.contains("check the paths"), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
