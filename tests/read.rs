//! Reading MRZs from images: the committed fixtures, rotated and degraded
//! variants from seeds, malformed inputs, and the CLI over a folder.

use std::process::Command;

use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Band, Config, Scan, Verdict, Verifier};
use serde_json::Value;

use crate::common::{example, jsonl, root};

use crate::common::verifier;

fn fixture_labels() -> Vec<Value> {
    jsonl("fixtures/specimens/labels.jsonl")
}

fn lines_of(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_owned()).collect()
}

/// Every fixture whose MRZ is printed in OCR-B is read exactly, as printed
/// (forged characters included).
#[test]
fn fixtures_are_read_exactly() {
    for label in fixture_labels() {
        if label["forgery"] == "mrz_retyped" {
            continue;
        }
        let file = label["file"].as_str().unwrap();
        let bytes = std::fs::read(root().join("fixtures/specimens").join(file)).unwrap();
        let report = verifier().verify_image(file, &bytes);
        let read = report.mrz.as_ref().map(|m| m.lines.clone()).unwrap_or_default();
        assert_eq!(read, lines_of(&label["mrz_lines"]), "{file}: {:?} {:?}", report.verdict, report.error);
        let scan = report.scan.as_ref().unwrap();
        let dpi = label["capture"]["dpi"].as_f64().unwrap() as f32;
        let estimate = scan.dpi_estimate.unwrap();
        assert!((estimate - dpi).abs() < dpi * 0.08, "{file}: dpi {estimate} vs {dpi}");
        let t = report.timings_ms.unwrap();
        assert!(t.total >= t.locate && t.locate > 0.0);
    }
}

/// The verdicts the checks of this stage can give: genuine documents pass or
/// refer (never fail), the altered check digit fails, expired refers.
#[test]
fn fixture_verdicts() {
    for label in fixture_labels() {
        let file = label["file"].as_str().unwrap();
        let bytes = std::fs::read(root().join("fixtures/specimens").join(file)).unwrap();
        let report = verifier().verify_image(file, &bytes);
        if label["genuine"] == true {
            assert!(matches!(report.verdict, Verdict::Pass | Verdict::Refer), "{file}: {:?}", report.verdict);
        }
        if label["forgery"] == "check_digit_altered" {
            assert_eq!(report.verdict, Verdict::Fail, "{file}");
            let refuted = label["detail"]["refuted_check"].as_str().unwrap();
            let finding = report.findings.iter().find(|f| f.check == format!("mrz.check_digit.{refuted}")).unwrap();
            assert_eq!(finding.status, mrtd_verify::Status::Fail);
        }
        if label["invalid"] == "expired" {
            assert_eq!(report.verdict, Verdict::Refer, "{file}");
        }
    }
}

/// Rotated, skewed, degraded, low-resolution, scanner-bed and stamped captures of
/// every format, from seeds the model never saw, are read exactly, and a
/// wrong MRZ is never reported valid.
#[test]
fn captures_of_every_kind_are_read() {
    let g = Generator::new(CorpusOptions::default().bands(false)).unwrap();
    let mut failures = Vec::new();
    for (ci, condition) in Condition::EVERY.into_iter().enumerate() {
        for (fi, format) in Format::ALL.into_iter().enumerate() {
            let index = (ci * 10 + fi) as u64;
            let s = g.render(777_777, index, format, Truth::Genuine, condition).unwrap();
            let report = verifier().verify_image(&s.label.file, &s.visible);
            let read = report.mrz.as_ref().map(|m| m.lines.clone()).unwrap_or_default();
            if read != s.label.mrz_lines {
                assert!(
                    !report.mrz.as_ref().is_some_and(|m| m.valid),
                    "{condition:?} {format}: a wrong MRZ reported valid"
                );
                failures.push(format!("{condition:?} {format}: read {read:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// An MRZ printed in another font is a print forgery, not a reading failure:
/// the reader still returns a reading (the print checks judge the font),
/// whatever monospaced font the generator re-typed it in.
#[test]
fn retyped_mrz_is_still_read() {
    let g = Generator::new(CorpusOptions::default().bands(false)).unwrap();
    let mut fonts = std::collections::BTreeSet::new();
    let mut flagged = 0;
    for i in 0..9 {
        let s = g.render(777_778, i, Format::Td3, Truth::Forged(Forgery::MrzRetyped), Condition::Clean).unwrap();
        fonts.insert(s.label.detail.font.clone().unwrap());
        let doc = verifier().read(&Scan::from_bytes("retyped", s.visible.as_slice()));
        assert!(doc.reading().is_some(), "{i}: {:?}", doc.error());
        flagged += usize::from(verifier().judge(&doc).verdict != Verdict::Pass);
    }
    assert!(fonts.len() >= 2, "{fonts:?}");
    // Most are flagged; the calibration tool measures the rate on hundreds.
    assert!(flagged >= 6, "{flagged} of 9 flagged");
}

/// Every malformed input gives a clear error and an `unreadable` verdict.
#[test]
fn bad_inputs_are_unreadable_not_panics() {
    let dir = root().join("fixtures/bad");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md" || e == "py") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let report = verifier().verify_image(&path.display().to_string(), &bytes);
        assert_eq!(report.verdict, Verdict::Unreadable, "{}", path.display());
        let e = report.error.as_ref().unwrap();
        assert!(!e.message.is_empty());
        let expected: &[&str] = match path.file_name().and_then(|n| n.to_str()).unwrap_or("") {
            "huge-dimensions.png" => &["too_large"],
            "tiny.png" => &["too_small"],
            "photo-no-document.png" => &["not_found", "unreadable"],
            // The JPEG decoder returns the rows it got: a partial page, said
            // to be a file cut short (kind `decode`).
            "truncated.jpg" => &["decode"],
            _ => &["decode"],
        };
        assert!(expected.contains(&e.kind.name()), "{}: {} ({})", path.display(), e.kind, e.message);
        if path.ends_with("truncated.jpg") {
            assert!(e.message.contains("truncated"), "{}", e.message);
        }
        seen += 1;
    }
    assert_eq!(seen, 7);
}

/// A page whose budget is spent before its reading starts (a slow or loaded
/// machine) still gets one attempt: a clean page reads as it does without a
/// budget.
#[test]
fn the_reading_time_budget_never_skips_the_first_attempt() {
    let bytes = std::fs::read(root().join("fixtures/specimens/2026-00001.jpg")).unwrap();
    let reference = Date::new(2026, 6, 1).unwrap();
    let hurried =
        Config::default().reference_date(reference).limits(mrtd_verify::DecodeLimits::default().max_read_ms(0));
    let rushed = Verifier::new(hurried).unwrap().verify_image("a", &bytes);
    let calm = verifier().verify_image("a", &bytes);
    assert_eq!(rushed.verdict, Verdict::Pass);
    assert_eq!(rushed.mrz.unwrap().lines, calm.mrz.unwrap().lines);
}

/// The CLI over folders: one report per document (band companions are not
/// documents), bad files do not stop the batch, exit code 1.
#[test]
fn cli_scans_folders_and_goes_on() {
    let out = Command::new(example("scan"))
        .args([
            "fixtures/specimens",
            "fixtures/bad",
            "--format",
            "json",
            "--reference-date",
            "2026-06-01",
            "--jobs",
            "2",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let reports: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let labels = fixture_labels();
    // 7 bad files (the .md and .py have no image extension and are skipped).
    assert_eq!(reports.len(), labels.len() + 7);
    for (r, l) in reports.iter().zip(&labels) {
        assert_eq!(r["source"], format!("fixtures/specimens/{}", l["file"].as_str().unwrap()));
        assert!(r["timings_ms"]["total"].as_f64().unwrap() > 0.0);
    }
    assert!(reports.iter().skip(labels.len()).all(|r| r["verdict"] == "unreadable"));
}

/// What scanners write: 16-bit grey TIFF and BMP read like the JPEG.
#[test]
fn tiff_16_bit_and_bmp() {
    let label = &fixture_labels()[0];
    let file = label["file"].as_str().unwrap();
    let img = image::open(root().join("fixtures/specimens").join(file)).unwrap();
    let mut tiff = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma16(img.to_luma16()).write_to(&mut tiff, image::ImageFormat::Tiff).unwrap();
    let mut bmp = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bmp, image::ImageFormat::Bmp).unwrap();
    for (name, bytes) in [("16-bit TIFF", tiff.into_inner()), ("BMP", bmp.into_inner())] {
        let report = verifier().verify_image(name, &bytes);
        let read = report.mrz.as_ref().map(|m| m.lines.clone()).unwrap_or_default();
        assert_eq!(read, lines_of(&label["mrz_lines"]), "{name}");
    }
    // From decoded pixels, the same reading with every rule.
    let report = verifier().verify(&Scan::new(file, &img));
    assert_eq!(report.mrz.as_ref().map(|m| m.lines.clone()).unwrap_or_default(), lines_of(&label["mrz_lines"]));
}

/// The document keeps what the checks need: colour and grey page, every
/// text line, the reading's whole geometry (glyph ink boxes on their glyphs,
/// cells, line fits, class probabilities).
#[test]
fn the_document_keeps_the_reading_geometry() {
    let label = &fixture_labels()[0];
    let file = label["file"].as_str().unwrap();
    let bytes = std::fs::read(root().join("fixtures/specimens").join(file)).unwrap();
    let doc = verifier().read(&Scan::from_bytes(file, bytes.as_slice()));
    let page = doc.page().unwrap();
    assert!(page.colour().is_some());
    let reading = doc.reading().unwrap();
    let lines = lines_of(&label["mrz_lines"]);
    assert_eq!(reading.glyphs.len(), lines.iter().map(String::len).sum::<usize>());
    assert_eq!(reading.line_fits.len(), lines.len());
    let char_h = label["mrz_char_height_px"].as_f64().unwrap() as f32;
    assert!((reading.char_height_px - char_h).abs() < char_h * 0.15, "{} vs {char_h}", reading.char_height_px);
    // Every glyph's ink box lies on the labelled glyph: its centre within a
    // quarter pitch of the label's ink box centre.
    let pitch = label["mrz_pitch_px"].as_f64().unwrap() as f32;
    let chars = label["chars"].as_array().unwrap();
    let mut on_glyph = 0;
    for (g, truth) in reading.glyphs.iter().zip(chars) {
        let centre = |q: &Value| {
            let pts: Vec<(f32, f32)> = q
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_f64().unwrap() as f32, p[1].as_f64().unwrap() as f32))
                .collect();
            (pts.iter().map(|p| p.0).sum::<f32>() / 4.0, pts.iter().map(|p| p.1).sum::<f32>() / 4.0)
        };
        let (tx, ty) = centre(&truth["ink"]);
        let ink = g.ink.unwrap();
        let c = ink.centre();
        if ((c.x - tx).powi(2) + (c.y - ty).powi(2)).sqrt() < pitch * 0.25 {
            on_glyph += 1;
        }
        // The probabilities are the model's whole distribution.
        let total: f32 = g.probabilities.iter().sum();
        assert!((total - 1.0).abs() < 1e-3 && g.probability(g.ch) > 0.0);
    }
    assert!(
        on_glyph * 100 >= reading.glyphs.len() * 95,
        "{on_glyph} of {} ink boxes on their glyph",
        reading.glyphs.len()
    );
    // The locator kept the visual zone's lines too.
    assert!(doc.text_lines().len() > lines.len(), "{} text lines", doc.text_lines().len());
}

/// Companion images reach the document, and the report lists the bands.
#[test]
fn companions_reach_the_document() {
    let dir = root().join("fixtures/specimens");
    let label = fixture_labels().into_iter().find(|l| l["ir_file"].is_string()).unwrap();
    let file = label["file"].as_str().unwrap();
    let read = |k: &str| std::fs::read(dir.join(label[k].as_str().unwrap())).unwrap();
    let scan = Scan::from_bytes(file, read("file")).with_ir(read("ir_file")).with_uv(read("uv_file"));
    let doc = verifier().read(&scan);
    assert_eq!(doc.bands(), [Band::Visible, Band::Ir, Band::Uv]);
    assert!(doc.band(Band::Ir).is_some() && doc.band(Band::Uv).is_some());
    let report = verifier().judge(&doc);
    assert_eq!(report.scan.unwrap().bands, [Band::Visible, Band::Ir, Band::Uv]);
    // A companion that does not decode is noted, not fatal.
    let doc = verifier().read(&Scan::from_bytes(file, read("file")).with_uv(b"not an image".as_slice()));
    assert_eq!(doc.bands(), [Band::Visible]);
    assert_eq!(doc.companion_errors().len(), 1);
    assert!(doc.reading().is_some());
}

/// A minimal little-endian EXIF block holding only an orientation tag.
fn exif_orientation(value: u16) -> Vec<u8> {
    let mut e = b"II*\0".to_vec();
    e.extend_from_slice(&8u32.to_le_bytes());
    e.extend_from_slice(&1u16.to_le_bytes());
    e.extend_from_slice(&0x0112u16.to_le_bytes());
    e.extend_from_slice(&3u16.to_le_bytes());
    e.extend_from_slice(&1u32.to_le_bytes());
    e.extend_from_slice(&value.to_le_bytes());
    e.extend_from_slice(&[0, 0]);
    e.extend_from_slice(&0u32.to_le_bytes());
    e
}

/// A JPEG whose pixels are stored turned or mirrored, with the EXIF
/// orientation (1 to 8) that shows them upright, reads as the upright page:
/// the same MRZ for all eight, mirrored ones included (which read as
/// nothing without the tag).
#[test]
fn every_exif_orientation_reads_the_same_mrz() {
    use image::ImageEncoder;
    use image::metadata::Orientation;
    let label = &fixture_labels()[0];
    let upright = image::open(root().join("fixtures/specimens").join(label["file"].as_str().unwrap())).unwrap();
    let expected = lines_of(&label["mrz_lines"]);
    for value in 1..=8u8 {
        let orientation = Orientation::from_exif(value).unwrap();
        // The stored pixels: the transformation that undoes the tag's.
        let inverse = match orientation {
            Orientation::Rotate90 => Orientation::Rotate270,
            Orientation::Rotate270 => Orientation::Rotate90,
            other => other,
        };
        let mut stored = upright.clone();
        stored.apply_orientation(inverse);
        let rgb = stored.to_rgb8();
        let mut bytes = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 92);
        encoder.set_exif_metadata(exif_orientation(u16::from(value))).unwrap();
        encoder.write_image(rgb.as_raw(), rgb.width(), rgb.height(), image::ExtendedColorType::Rgb8).unwrap();
        let decoded = mrtd_verify::scan::decode(&bytes, &mrtd_verify::DecodeLimits::default()).unwrap();
        assert_eq!(decoded.width(), upright.width(), "orientation {value}");
        let report = verifier().verify_image("oriented", &bytes);
        let read = report.mrz.as_ref().map(|m| m.lines.clone()).unwrap_or_default();
        assert_eq!(read, expected, "orientation {value}");
    }
}

/// WebP (lossless here; the decoder handles lossy too) reads like the page
/// it encodes, under the same decode limits as every other format.
#[test]
fn webp_is_read_under_the_same_limits() {
    let label = &fixture_labels()[0];
    let img = image::open(root().join("fixtures/specimens").join(label["file"].as_str().unwrap())).unwrap();
    let mut webp = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img.to_rgb8()).write_to(&mut webp, image::ImageFormat::WebP).unwrap();
    let bytes = webp.into_inner();
    let report = verifier().verify_image("page.webp", &bytes);
    assert_eq!(report.mrz.as_ref().map(|m| m.lines.clone()).unwrap_or_default(), lines_of(&label["mrz_lines"]));
    let small = mrtd_verify::DecodeLimits::default().max_side(img.width() - 1);
    assert!(matches!(mrtd_verify::scan::decode(&bytes, &small), Err(mrtd_verify::scan::ScanError::TooLarge { .. })));
    let tight = mrtd_verify::DecodeLimits::default().max_alloc(1 << 20);
    assert!(matches!(mrtd_verify::scan::decode(&bytes, &tight), Err(mrtd_verify::scan::ScanError::TooLarge { .. })));
}

/// Two documents rendered cleanly, laid on one white scanner bed.
fn two_on_one_bed(seed: u64, side_by_side: bool) -> (Vec<u8>, [Vec<String>; 2]) {
    use mrtd_verify::image::{DynamicImage, Rgb, RgbImage, imageops};
    let g = Generator::new(CorpusOptions::default().bands(false).reference(crate::common::reference())).unwrap();
    let a = g.render(seed, 1, Format::Td3, Truth::Genuine, Condition::Clean).unwrap();
    let b = g.render(seed, 2, Format::Td1, Truth::Genuine, Condition::Clean).unwrap();
    let (ia, ib) = (
        mrtd_verify::image::load_from_memory(&a.visible).unwrap(),
        mrtd_verify::image::load_from_memory(&b.visible).unwrap(),
    );
    let (w, h) = if side_by_side {
        (ia.width() + ib.width() + 60, ia.height().max(ib.height()) + 40)
    } else {
        (ia.width().max(ib.width()) + 40, ia.height() + ib.height() + 60)
    };
    let mut bed = RgbImage::from_pixel(w, h, Rgb([245, 245, 242]));
    imageops::overlay(&mut bed, &ia.to_rgb8(), 20, 20);
    let (bx, by) = if side_by_side { (i64::from(ia.width()) + 40, 20) } else { (20, i64::from(ia.height()) + 40) };
    imageops::overlay(&mut bed, &ib.to_rgb8(), bx, by);
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(bed)
        .write_to(&mut std::io::Cursor::new(&mut out), mrtd_verify::image::ImageFormat::Jpeg)
        .unwrap();
    (out, [a.label.mrz_lines.clone(), b.label.mrz_lines.clone()])
}

/// Two documents on one scanner bed, side by side or one above the other:
/// the page is not judged as one document (its visual zone and portrait
/// would be compared with the wrong MRZ); the report names the second
/// zone and asks for each document alone.
#[test]
fn two_documents_on_one_bed_are_told_not_judged_as_one() {
    for (seed, side_by_side) in [(5, true), (6, false)] {
        let (bytes, lines) = two_on_one_bed(seed, side_by_side);
        let r = verifier().verify_image("bed.jpg", &bytes);
        assert_eq!(r.verdict, Verdict::Unreadable, "seed {seed}: {:?}", r.findings);
        let read = r.mrz.as_ref().map(|m| m.lines.clone()).unwrap_or_default();
        let (i, _) = lines.iter().enumerate().find(|(_, l)| **l == read).expect("one of the two MRZs is read exactly");
        let other = lines.get(1 - i).unwrap();
        let found: Vec<_> = r.findings.iter().filter(|f| f.check == "mrz.other_zone").collect();
        assert_eq!(found.len(), 1, "seed {seed}: {found:?}");
        // The other document's number, as its MRZ prints it.
        let parsed = mrtd_verify::mrz::parse_lines(&other.iter().map(String::as_str).collect::<Vec<_>>()).unwrap();
        let number = parsed.document_number().to_string();
        assert!(
            found[0].message.contains(&number) && found[0].message.contains("scan each document alone"),
            "{}",
            found[0].message
        );
        assert!(found[0].evidence.region.is_some(), "the second zone is shown on the page");
    }
}
