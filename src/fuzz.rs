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
