//! The infrared and ultraviolet families (`ir.*`, `uv.*`) on generated
//! documents from a seed no threshold was set on: companions misregistered
//! by up to 1 mm and some at half resolution, under every capture
//! condition. Genuine documents raise nothing, an MRZ in an ink that
//! vanishes in infrared and paper that glows under ultraviolet fail with
//! evidence, the registration finds the generator's shift, and a scan
//! without companions says so.

use std::sync::OnceLock;

use mrtd_verify::mrz::Format;
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Specimen, Truth};
use mrtd_verify::{Band, Document, Report, RunStatus, Scan, SkipReason, Status, Verdict};

const SEED: u64 = 93_000;

use crate::common::reference;

use crate::common::verifier;

fn generator() -> &'static Generator {
    static G: OnceLock<Generator> = OnceLock::new();
    G.get_or_init(|| Generator::new(CorpusOptions::default().bands(true).reference(reference())).unwrap())
}

fn read(s: &Specimen) -> (Document, Report) {
    let scan = Scan::from_bytes(s.label.file.as_str(), s.visible.as_slice())
        .with_ir(s.ir.as_deref().unwrap())
        .with_uv(s.uv.as_deref().unwrap());
    let doc = verifier().read(&scan);
    let report = verifier().judge(&doc);
    (doc, report)
}

fn flagged(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| matches!(f.family(), "ir" | "uv") && matches!(f.status, Status::Fail | Status::Warn))
        .map(|f| format!("{} {}: {}", f.check, f.status.name(), f.message))
        .collect()
}

#[test]
fn genuine_silent_band_forgeries_fail_with_evidence() {
    let conditions = Condition::EVERY;
    let formats = [Format::Td3, Format::Td1, Format::Td2, Format::MrvA];
    let mut judged = [0usize; 3];
    let mut caught = [0usize; 2];
    for (ci, condition) in conditions.into_iter().enumerate() {
        for (fi, format) in formats.into_iter().enumerate() {
            let index = (ci * 10 + fi) as u64;
            let g = generator().render(SEED, index, format, Truth::Genuine, condition).unwrap();
            let (doc, r) = read(&g);
            if r.verdict == Verdict::Unreadable {
                continue;
            }
            judged[0] += 1;
            assert!(flagged(&r).is_empty(), "genuine {format} {}: {:?}", condition.name(), flagged(&r));
            assert_eq!(r.scan.as_ref().unwrap().bands, [Band::Visible, Band::Ir, Band::Uv]);
            // The registration finds the reader's misregistration to within
            // a few pixels.
            let truth = g.label.capture.bands.unwrap().shift_px;
            let (dx, dy) = doc.registration(Band::Ir).unwrap().shift_px();
            let err = ((dx - truth.0 as f32).powi(2) + (dy - truth.1 as f32).powi(2)).sqrt();
            assert!(err < 4.0, "{format} {}: found ({dx}, {dy}), true {truth:?}", condition.name());
            for (k, (forgery, check)) in
                [(Forgery::MrzIrInvisible, "ir.mrz"), (Forgery::PaperUvGlow, "uv.paper")].into_iter().enumerate()
            {
                let f = generator().render(SEED, index + 500, format, Truth::Forged(forgery), condition).unwrap();
                let (_, r) = read(&f);
                if r.verdict == Verdict::Unreadable {
                    continue;
                }
                judged[k + 1] += 1;
                if let Some(finding) = r.findings.iter().find(|x| x.check == check && x.status == Status::Fail) {
                    caught[k] += 1;
                    // Failed, or referred where the reading itself is in
                    // doubt (a physical failure is never unreadable).
                    assert!(matches!(r.verdict, Verdict::Fail | Verdict::Refer), "{:?}", r.verdict);
                    // Evidence: where (the MRZ zone), what was measured and
                    // the threshold it was compared with.
                    assert!(finding.evidence.region.is_some(), "{finding:?}");
                    assert!(finding.evidence.measured.is_some() && finding.evidence.threshold.is_some());
                }
            }
        }
    }
    assert!(judged[0] >= 24, "{judged:?}");
    // Every judged forgery of either kind is caught (measured: 100 % on
    // unseen seeds, README).
    assert_eq!(caught[0], judged[1], "MRZ invisible in infrared: {caught:?} of {judged:?}");
    assert_eq!(caught[1], judged[2], "paper glowing under ultraviolet: {caught:?} of {judged:?}");
}

#[test]
fn without_companions_the_families_say_so() {
    let g = generator().render(SEED, 900, Format::Td3, Truth::Genuine, Condition::Clean).unwrap();
    let r = verifier().verify_image(&g.label.file, &g.visible);
    for family in ["ir", "uv"] {
        let run = r.checks.iter().find(|c| c.family == family).unwrap();
        assert_eq!(run.status, RunStatus::Skipped, "{run:?}");
        assert_eq!(run.reason, Some(SkipReason::NoCompanion), "{run:?}");
    }
    assert_eq!(r.scan.as_ref().unwrap().bands, [Band::Visible]);
}

#[test]
fn a_companion_of_another_shape_is_not_registered() {
    let g = generator().render(SEED, 901, Format::Td1, Truth::Genuine, Condition::Clean).unwrap();
    let ir = mrtd_verify::image::load_from_memory(g.ir.as_deref().unwrap()).unwrap();
    // Cropped to half its width: not the same capture.
    let cropped = ir.crop_imm(0, 0, ir.width() / 2, ir.height());
    let scan = Scan::from_bytes("odd", g.visible.as_slice()).with_ir(cropped);
    let r = verifier().verify(&scan);
    let run = r.checks.iter().find(|c| c.family == "ir").unwrap();
    assert_eq!(run.reason, Some(SkipReason::ScanQuality), "{run:?}");
    assert!(run.message.contains("could not be registered"), "{run:?}");
    assert!(flagged(&r).is_empty());
}
