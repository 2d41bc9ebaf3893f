//! The portrait family (`photo.*`) on generated documents from a seed no
//! threshold was set on: the portrait is found where the generator put it,
//! genuine portraits raise nothing, substituted ones (hard paste and
//! feathered, colour-matched edges) are referred or failed with the
//! portrait's region as evidence, and a page whose MRZ is gone is still judged on its portrait.

use std::sync::OnceLock;

use mrtd_verify::image::{ImageFormat, Rgb};
use mrtd_verify::mrz::Format;
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Specimen, Truth};
use mrtd_verify::{Quad, Report, RunStatus, Scan, SkipReason, Status, Verdict};

use crate::common::{reference, verifier};

const SEED: u64 = 94_000;

fn generator() -> &'static Generator {
    static G: OnceLock<Generator> = OnceLock::new();
    G.get_or_init(|| Generator::new(CorpusOptions::default().reference(reference())).unwrap())
}

fn judge(bytes: &[u8]) -> Report {
    verifier().judge(&verifier().read(&Scan::from_bytes("photo-test", bytes)))
}

fn photo(r: &Report, status: Status) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.family() == "photo" && f.status == status)
        .map(|f| format!("{} {}: {}", f.check, f.status.name(), f.message))
        .collect()
}

/// Intersection over union of two quadrilaterals' bounding boxes.
fn overlap(a: &Quad, b: &Quad) -> f32 {
    let ((ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1)) = (a.bounds(), b.bounds());
    let (ix, iy) = ((ax1.min(bx1) - ax0.max(bx0)).max(0.0), (ay1.min(by1) - ay0.max(by0)).max(0.0));
    ix * iy / ((ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - ix * iy).max(1.0)
}

fn render(index: u64, format: Format, truth: Truth, condition: Condition) -> Specimen {
    generator().render(SEED, index, format, truth, condition).unwrap()
}

#[test]
fn genuine_portraits_pass_and_substituted_ones_fail_where_they_are() {
    let conditions = [Condition::Clean, Condition::Skew, Condition::QuarterTurn, Condition::ScannerBed];
    let formats = [Format::Td3, Format::Td1, Format::Td2, Format::MrvA];
    let (mut located, mut genuine, mut forged, mut caught) = (0, 0, 0, 0);
    for (ci, condition) in conditions.into_iter().enumerate() {
        for (fi, format) in formats.into_iter().enumerate() {
            let index = (ci * 10 + fi) as u64;
            let g = render(index, format, Truth::Genuine, condition);
            let r = judge(&g.visible);
            for status in [Status::Fail, Status::Warn] {
                assert!(photo(&r, status).is_empty(), "genuine {format} {}: {:?}", condition.name(), photo(&r, status));
            }
            genuine += 1;
            if let Some(q) = r.findings.iter().find(|f| f.check == "photo.portrait").and_then(|f| f.evidence.region) {
                located += usize::from(overlap(&q, &g.label.portrait_quad) >= 0.6);
            }
            let f = render(index + 500, format, Truth::Forged(Forgery::PortraitSubstituted), condition);
            let r = judge(&f.visible);
            forged += 1;
            let fails: Vec<_> = r
                .findings
                .iter()
                .filter(|x| x.family() == "photo" && matches!(x.status, Status::Fail | Status::Warn))
                .collect();
            if !fails.is_empty() {
                caught += 1;
                assert_ne!(r.verdict, Verdict::Pass);
                // The evidence is the portrait, where the generator pasted it.
                for x in fails {
                    let region = x.evidence.region.expect("a photo finding names its region");
                    assert!(overlap(&region, &f.label.portrait_quad) >= 0.3, "{}: {region:?}", x.check);
                    assert!(x.evidence.threshold.is_some() && x.evidence.measured.is_some());
                }
            }
        }
    }
    // Measured on this seed: see the README's portrait section for the
    // figures over thousands of documents.
    assert!(located * 10 >= genuine * 7, "portrait found on {located} of {genuine}");
    assert!(caught * 10 >= forged * 7, "substituted portraits caught: {caught} of {forged}");
}

/// A compressed, blurred, noisy capture quantises the paper's colour noise
/// away and shows the file's own JPEG grid most in a detailed portrait:
/// neither may refer a genuine page. Where the page around the portrait
/// keeps no colour noise, `photo.noise` says so (`skipped`) instead of
/// comparing with nothing.
#[test]
fn a_compressed_capture_of_a_genuine_page_raises_no_portrait_warning() {
    let formats = [Format::Td1, Format::Td2, Format::Td3, Format::FraId];
    let mut skipped = 0;
    for k in 0..16u64 {
        let format = formats[k as usize % formats.len()];
        let g = render(700 + k, format, Truth::Genuine, Condition::Degraded);
        let r = judge(&g.visible);
        for status in [Status::Fail, Status::Warn] {
            assert!(photo(&r, status).is_empty(), "genuine {format} {k}: {:?}", photo(&r, status));
        }
        if let Some(f) = r.findings.iter().find(|f| f.check == "photo.noise" && f.status == Status::Skipped) {
            skipped += 1;
            assert!(f.evidence.measured.is_some() && f.evidence.threshold.is_some(), "{f:?}");
        }
    }
    // About half of these captures leave the paper without colour noise.
    assert!(skipped >= 2, "photo.noise skipped on {skipped} of 16 compressed captures");
}

#[test]
fn a_page_without_its_mrz_is_still_judged_on_its_portrait() {
    let erase = |s: &Specimen| {
        let mut img = mrtd_verify::image::load_from_memory(&s.visible).unwrap().to_rgb8();
        let (x0, y0, x1, y1) = s.label.mrz_quad.bounds();
        let paper = *img.get_pixel((x0 as u32).saturating_sub(4), (y1 as u32 + 4).min(img.height() - 1));
        for y in (y0 - 12.0).max(0.0) as u32..((y1 + 12.0) as u32).min(img.height()) {
            for x in (x0 - 12.0).max(0.0) as u32..((x1 + 12.0) as u32).min(img.width()) {
                img.put_pixel(x, y, Rgb(paper.0));
            }
        }
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png).unwrap();
        png
    };
    let mut flagged = 0;
    for k in 0..3 {
        let f = render(900 + k, Format::Td3, Truth::Forged(Forgery::PortraitSubstituted), Condition::Clean);
        let r = judge(&erase(&f));
        assert!(r.mrz.is_none(), "the MRZ was erased");
        assert!(r.error.is_some(), "the report says no MRZ was read");
        let run = r.checks.iter().find(|c| c.family == "photo").unwrap();
        assert_eq!(run.status, RunStatus::Ran, "{}", run.message);
        if !photo(&r, Status::Warn).is_empty() || !photo(&r, Status::Fail).is_empty() {
            flagged += 1;
            // Unreadable MRZ, failed portrait: an officer looks.
            assert_eq!(r.verdict, Verdict::Refer);
        }
        let g = render(950 + k, Format::Td3, Truth::Genuine, Condition::Clean);
        let r = judge(&erase(&g));
        assert!(photo(&r, Status::Fail).is_empty() && photo(&r, Status::Warn).is_empty(), "{:?}", r.findings);
        assert_eq!(r.verdict, Verdict::Unreadable);
    }
    assert!(flagged >= 2, "{flagged} of 3 substituted portraits flagged without an MRZ");
}

#[test]
fn a_page_with_no_portrait_says_so_and_text_has_no_portrait() {
    let blank = mrtd_verify::image::RgbImage::from_pixel(900, 600, Rgb([236, 236, 230]));
    let mut png = Vec::new();
    blank.write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png).unwrap();
    let r = judge(&png);
    let run = r.checks.iter().find(|c| c.family == "photo").unwrap();
    assert_eq!((run.status, run.reason), (RunStatus::Skipped, Some(SkipReason::NotFound)), "{}", run.message);
    let r = verifier().verify_text(
        "desk",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
    );
    let run = r.checks.iter().find(|c| c.family == "photo").unwrap();
    assert_eq!(run.reason, Some(SkipReason::NotApplicable));
}
