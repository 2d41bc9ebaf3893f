//! Entry points for the fuzz targets in `fuzz/` (hidden from the docs).
//!
//! Each takes arbitrary bytes and must return without panicking; the targets
//! are shims over these so the same code is replayed by the test suite on the
//! crashers kept in `fixtures/fuzz/`.

use crate::mrz::{self, Date};

/// Parses, validates and copies arbitrary text (bytes taken as UTF-8 where
/// valid).
pub fn mrz_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(m) = mrz::parse(&text) {
        let v = m.validate(Date::EPOCH.add_years(56).unwrap_or(Date::EPOCH));
        let owned = m.to_data_with(&v);
        // The owned text parses back to the same lines.
        if let Ok(again) = mrz::parse(&owned.text()) {
            assert_eq!(again.lines(), m.lines(), "owned copy does not parse back");
        }
    }
}

/// Repairs arbitrary text.
pub fn mrz_repair(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(r) = mrz::repair(&text) {
        // Repair never changes the shape.
        let width = r.lines.first().map_or(0, String::len);
        assert!(r.lines.iter().all(|l| l.len() == width), "repair changed a line length");
        // A repair said to be confirmed has every check digit covering it verified.
        if let Ok(m) = r.parse() {
            for x in r
                .repairs
                .iter()
                .filter(|x| matches!(x.basis, mrz::RepairBasis::CheckDigit | mrz::RepairBasis::Composite))
            {
                let mut covering = m.checks_covering(x.line.saturating_sub(1), x.column.saturating_sub(1));
                assert!(covering.all(|c| !c.status.is_refuted()), "confirmed repair under a refuted check digit");
            }
        }
    }
}

/// Reads and judges arbitrary bytes as an image: never panics, and the
/// report keeps its invariants (an `unreadable` verdict never carries an MRZ
/// marked valid; a verdict is the function of the findings).
#[cfg(feature = "ocr")]
pub fn image_bytes(data: &[u8]) {
    use std::sync::OnceLock;

    use crate::{Config, DecodeLimits, Verdict, Verifier};
    static VERIFIER: OnceLock<Option<Verifier>> = OnceLock::new();
    // Limits a fuzzer's memory cap can live with.
    let limits = DecodeLimits::default().max_side(4000).max_alloc(64 * 1024 * 1024);
    let verifier = VERIFIER.get_or_init(|| {
        Verifier::new(Config::default().reference_date(Date::EPOCH.add_years(56).unwrap_or(Date::EPOCH)).limits(limits))
            .ok()
    });
    let Some(verifier) = verifier else { return };
    let report = verifier.verify_image("fuzz", data);
    assert!(
        report.verdict != Verdict::Unreadable || !report.mrz.as_ref().is_some_and(|m| m.valid),
        "an unreadable report carries a valid MRZ"
    );
    assert_eq!(report.verdict, crate::verdict_of(&report.findings), "the verdict is not the findings'");
}

/// Decodes arbitrary bytes under limits tight enough that most images go
/// through the reduced decoders (PNG rows, JPEG scaled transform): never
/// panics, and a reduced image keeps within the allocation limit.
#[cfg(feature = "image")]
pub fn decode_reduced(data: &[u8]) {
    use crate::DecodeLimits;
    let limits = DecodeLimits::default().max_side(4000).max_alloc(192 * 1024);
    if let Ok(d) = crate::scan::decode_reducing(data, &limits) {
        let (w, h) = (u64::from(d.image.width()), u64::from(d.image.height()));
        let bytes = w * h * u64::from(d.image.color().bytes_per_pixel());
        assert!(d.reduction == 1 || bytes <= limits.max_alloc, "a reduced image of {w} x {h} exceeds the limit");
        assert!(d.reduction <= crate::scan::MAX_REDUCTION, "reduced {} times", d.reduction);
    }
}
