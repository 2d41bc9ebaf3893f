//! A hostile scanner folder, generated here deterministically (no file of it
//! is committed): the scanner CLI gives every file its report, in order, with
//! a kind and a message, and never panics, hangs or stops the batch.
//!
//! Cases: one genuine page in every format (JPEG, PNG, TIFF, BMP, WebP), each
//! truncated at several points, mutated (seeded byte changes after the
//! header), and lying about its format (a PNG named `.jpg`, JPEG magic before
//! garbage); empty files; and on Unix a FIFO, a character device (a link to
//! `/dev/zero`) and a dangling link with image names.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::common::{example, root, run_within};

/// What a case may come out as.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Read and judged as the genuine page is.
    Genuine,
    /// Any report (a partial or mutated page may still read), never a panic.
    Anything,
    /// `unreadable`, with an error of one of these kinds.
    Unreadable(&'static [&'static str]),
}

/// A tiny deterministic generator (64-bit LCG) for the mutants.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn encode(img: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// Writes the corpus into `dir`; returns each file name (sorted, as the
/// scanner walks) with what it may come out as.
fn corpus(dir: &Path) -> Vec<(String, Expect)> {
    let jpeg = std::fs::read(root().join("fixtures/specimens/2026-00001.jpg")).unwrap();
    let page = image::DynamicImage::ImageRgb8(image::load_from_memory(&jpeg).unwrap().to_rgb8());
    let formats: [(&str, Vec<u8>); 5] = [
        ("jpg", jpeg.clone()),
        ("png", encode(&page, image::ImageFormat::Png)),
        ("tif", encode(&page, image::ImageFormat::Tiff)),
        ("bmp", encode(&page, image::ImageFormat::Bmp)),
        ("webp", encode(&page, image::ImageFormat::WebP)),
    ];
    let mut cases: Vec<(String, Vec<u8>, Expect)> = Vec::new();
    let decode_kinds: &[&str] = &["decode", "not_found", "unreadable", "too_small"];
    let mut rng = Lcg(9303);
    for (ext, bytes) in &formats {
        cases.push((format!("genuine.{ext}"), bytes.clone(), Expect::Genuine));
        for percent in [1, 10, 50, 90, 99] {
            let cut = bytes.len() * percent / 100;
            let expect = if percent <= 10 { Expect::Unreadable(decode_kinds) } else { Expect::Anything };
            cases.push((format!("truncated-{percent:02}.{ext}"), bytes[..cut].to_vec(), expect));
        }
        for m in 0..4 {
            let mut mutant = bytes.clone();
            for _ in 0..(1 + m * 8) {
                let at = 16 + (rng.next() as usize) % (mutant.len() - 16);
                mutant[at] = rng.next() as u8;
            }
            cases.push((format!("mutant-{m}.{ext}"), mutant, Expect::Anything));
        }
        cases.push((format!("empty.{ext}"), Vec::new(), Expect::Unreadable(&["decode"])));
    }
    // Header lies: the bytes decide, not the name.
    cases.push(("lie-png-named.jpg".into(), formats[1].1.clone(), Expect::Genuine));
    let mut magic = vec![0xFF, 0xD8, 0xFF, 0xE0];
    magic.extend((0..4096).map(|_| rng.next() as u8));
    cases.push(("lie-jpeg-magic.jpg".into(), magic, Expect::Unreadable(&["decode"])));
    cases.push(("lie-text.png".into(), b"this is not an image\n".to_vec(), Expect::Unreadable(&["decode"])));
    for (name, bytes, _) in &cases {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let mut out: Vec<(String, Expect)> = cases.into_iter().map(|(n, _, e)| (n, e)).collect();
    #[cfg(unix)]
    {
        assert!(Command::new("mkfifo").arg(dir.join("special-fifo.jpg")).status().unwrap().success());
        std::os::unix::fs::symlink("/dev/zero", dir.join("special-zero.png")).unwrap();
        std::os::unix::fs::symlink("missing.jpg", dir.join("special-dangling.jpg")).unwrap();
        for n in ["special-fifo.jpg", "special-zero.png", "special-dangling.jpg"] {
            out.push((n.into(), Expect::Unreadable(&["io"])));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_hostile_corpus_gets_one_report_per_file_in_order() {
    let dir = std::env::temp_dir().join(format!("mrtd-verify-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cases = corpus(&dir);
    let mut cmd = Command::new(example("scan"));
    cmd.args([dir.to_str().unwrap(), "--jobs", "2", "--reference-date", "2026-06-01"]);
    let out = run_within(cmd, b"", Duration::from_secs(300));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "some files are unreadable: exit 1\n{stderr}");
    let reports: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let names: Vec<String> = reports
        .iter()
        .map(|r| PathBuf::from(r["source"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let expected: Vec<&str> = cases.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, expected, "one report per file, in order");
    let genuine = reports.iter().zip(&cases).find(|(_, c)| c.1 == Expect::Genuine).unwrap().0;
    assert_eq!(genuine["verdict"], "pass", "{genuine}");
    for (report, (name, expect)) in reports.iter().zip(&cases) {
        let verdict = report["verdict"].as_str().unwrap();
        assert!(["pass", "refer", "fail", "unreadable"].contains(&verdict), "{name}: {report}");
        if verdict == "unreadable" {
            // Every unreadable report says why: the error, or the finding
            // that could not trust the reading.
            let error = report["error"]["message"].as_str().unwrap_or("");
            let unsure = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["status"] == "inconclusive" && !f["message"].as_str().unwrap_or("").is_empty());
            assert!(!error.is_empty() || unsure, "{name}: {report}");
        }
        match expect {
            Expect::Genuine => assert_eq!(report["mrz"]["lines"], genuine["mrz"]["lines"], "{name}"),
            Expect::Anything => {}
            Expect::Unreadable(kinds) => {
                assert_eq!(verdict, "unreadable", "{name}: {report}");
                let kind = report["error"]["kind"].as_str().unwrap();
                assert!(kinds.contains(&kind), "{name}: {kind} not among {kinds:?}: {report}");
            }
        }
    }
    // Truncated JPEG and PNG files that give no reading are said to be
    // truncated (not "no MRZ found").
    for (report, (name, _)) in reports.iter().zip(&cases) {
        let cut = name.starts_with("truncated") && (name.ends_with("jpg") || name.ends_with("png"));
        if cut && report["error"].is_object() {
            assert_eq!(report["error"]["kind"], "decode", "{name}: {report}");
            assert!(report["error"]["message"].as_str().unwrap().contains("truncated"), "{name}: {report}");
        }
    }
    // Those that still read say the file was cut short; whole files do not.
    let mut read_cut = 0;
    for (report, (name, _)) in reports.iter().zip(&cases) {
        let cut = name.starts_with("truncated") && (name.ends_with("jpg") || name.ends_with("png"));
        let flagged = report["scan"]["truncated"] == true;
        if cut && report["mrz"]["lines"].is_array() {
            assert!(flagged, "{name}: {report}");
            read_cut += 1;
        }
        if name.starts_with("genuine") {
            assert!(report["scan"].get("truncated").is_none(), "{name}: {report}");
        }
    }
    assert!(read_cut > 0, "no truncated file was read: the case above tested nothing");
    let _ = std::fs::remove_dir_all(&dir);
}
