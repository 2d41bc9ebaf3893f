//! The visual zone against the MRZ (`viz.*`) on generated documents from a
//! seed no threshold was set on: silent on genuine pages of every format,
//! catching the MRZ edited with its check digits recomputed and the printed
//! page edited with the MRZ left alone, and skipping (never failing) where
//! the visual zone cannot be read.

use std::sync::OnceLock;

use mrtd_verify::image::{DynamicImage, Rgb};
use mrtd_verify::mrz::Format;
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Report, Scan, Status};

const SEED: u64 = 91_000;

use crate::common::reference;

use crate::common::verifier;

fn generator() -> &'static Generator {
    static G: OnceLock<Generator> = OnceLock::new();
    G.get_or_init(|| Generator::new(CorpusOptions::default().bands(false).reference(reference())).unwrap())
}

fn viz_fails(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.family() == "viz" && f.status == Status::Fail)
        .map(|f| format!("{}: {}", f.check, f.message))
        .collect()
}

#[test]
fn genuine_pages_pass_and_both_forgeries_are_caught() {
    let (mut genuine, mut recomputed, mut altered) = (0, 0, 0);
    let per_format = 3u64;
    for (fi, format) in Format::ALL.into_iter().enumerate() {
        for k in 0..per_format {
            let index = fi as u64 * 100 + k;
            let condition = [Condition::Clean, Condition::Skew, Condition::Stamped][k as usize % 3];
            let g = generator().render(SEED, index, format, Truth::Genuine, condition).unwrap();
            let r = verifier().verify_image(&g.label.file, &g.visible);
            assert!(viz_fails(&r).is_empty(), "genuine {format} {index}: {:?}", viz_fails(&r));
            // Genuine values are found and agree: some viz check passed.
            if r.findings.iter().any(|f| f.family() == "viz" && f.status == Status::Pass) {
                genuine += 1;
            }
            for (forgery, count) in [(Forgery::MrzRecomputed, &mut recomputed), (Forgery::VizAltered, &mut altered)] {
                let f = generator().render(SEED, index + 50, format, Truth::Forged(forgery), Condition::Clean).unwrap();
                let r = verifier().verify_image(&f.label.file, &f.visible);
                let fails: Vec<_> = r
                    .findings
                    .iter()
                    .filter(|x| x.family() == "viz" && matches!(x.status, Status::Fail | Status::Warn))
                    .filter(|x| x.check != "viz.issue_date")
                    .collect();
                if let Some(first) = fails.first() {
                    *count += 1;
                    // The evidence shows both sides: the printed value and its
                    // place on the page, the MRZ's value and its place in the text.
                    let ev = &first.evidence;
                    assert!(ev.region.is_some() && ev.measured.is_some() && ev.expected.is_some(), "{first:?}");
                    assert!(ev.text.is_some(), "{first:?}");
                    assert_ne!(r.verdict, mrtd_verify::Verdict::Pass);
                }
            }
        }
    }
    let n = Format::ALL.len() * per_format as usize;
    assert!(genuine >= n * 3 / 4, "only {genuine} of {n} genuine pages had a viz value found and matched");
    // Measured at about 70 % and 57 % on unseen seeds (README); these bounds
    // catch a family that stopped working, not small drifts.
    assert!(recomputed * 2 >= n, "mrz_recomputed caught on {recomputed} of {n}");
    assert!(altered * 3 >= n, "viz_altered caught on {altered} of {n}");
}

#[test]
fn a_visual_zone_that_cannot_be_read_is_skipped_never_failed() {
    let s = generator().render(SEED, 7, Format::Td3, Truth::Genuine, Condition::Clean).unwrap();
    // Paint over everything above the MRZ.
    let mut img = s.image.clone();
    let top = s.label.mrz_quad.corners.iter().map(|p| p.y).fold(f32::MAX, f32::min) - 4.0;
    for (_, y, px) in img.enumerate_pixels_mut() {
        if (y as f32) < top {
            *px = Rgb([235, 235, 232]);
        }
    }
    let doc = verifier().read(&Scan::new("blank-viz", DynamicImage::ImageRgb8(img)));
    assert!(doc.mrz_text().is_some(), "the MRZ is still read");
    let r = verifier().judge(&doc);
    let viz: Vec<_> = r.findings.iter().filter(|f| f.family() == "viz").collect();
    assert!(viz.iter().all(|f| f.status == Status::Skipped), "{viz:?}");
    let run = r.checks.iter().find(|c| c.family == "viz").unwrap();
    assert!(run.status == mrtd_verify::RunStatus::Skipped || !viz.is_empty(), "{run:?}");
}

#[test]
fn the_visual_zone_is_read_within_the_page_budget() {
    use mrtd_verify::viz::read::MIN_LINES;
    use mrtd_verify::{Config, DecodeLimits, Verifier};
    let g = generator().render(SEED, 7, Format::Td3, Truth::Genuine, Condition::Clean).unwrap();
    let scan = Scan::from_bytes(&g.label.file, &g.visible);
    let whole = verifier().read(&scan);
    let all = whole.viz().expect("the visual zone is read");
    assert_eq!(all.unread, 0, "within the default budget every line is read");
    assert!(all.lines.len() > MIN_LINES, "a passport page holds more lines than the minimum: {}", all.lines.len());
    // A budget already spent when the MRZ is read: only the longest lines.
    let limits = DecodeLimits::default().max_read_ms(0);
    let hurried = Verifier::new(Config::default().reference_date(reference()).limits(limits)).unwrap();
    let doc = hurried.read(&scan);
    assert!(doc.mrz_text().is_some(), "the MRZ is still read (its first attempt always runs)");
    let viz = doc.viz().expect("the visual zone is still read in part");
    assert!(viz.lines.len() <= MIN_LINES, "{} lines read", viz.lines.len());
    assert!(viz.unread >= all.lines.len() - MIN_LINES, "{} unread of {}", viz.unread, all.lines.len());
    // What could not be compared is skipped and says why; nothing fails.
    let report = hurried.judge(&doc);
    assert!(viz_fails(&report).is_empty(), "{:?}", viz_fails(&report));
    for f in report.findings.iter().filter(|f| f.family() == "viz" && f.status == Status::Skipped) {
        if f.message.contains("not found") {
            assert!(f.message.contains("time budget"), "{}", f.message);
        }
    }
}
