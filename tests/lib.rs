//! The integration test binary: one crate, one module per area.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

mod common;
mod conformance;
mod properties;

#[cfg(all(feature = "specimen", feature = "ocr", feature = "serde"))]
mod bands;
#[cfg(all(feature = "serde", feature = "ocr"))]
mod batch;
#[cfg(all(feature = "specimen", feature = "ocr", feature = "serde"))]
mod checks;
#[cfg(feature = "serde")]
mod cli;
#[cfg(all(feature = "specimen", feature = "serde"))]
mod fixtures;
#[cfg(all(feature = "serde", feature = "ocr"))]
mod hostile;
#[cfg(all(feature = "specimen", feature = "serde"))]
mod image_fixtures;
#[cfg(all(feature = "specimen", feature = "ocr", feature = "serde"))]
mod photo;
#[cfg(all(feature = "specimen", feature = "ocr", feature = "serde"))]
mod read;
#[cfg(feature = "serde")]
mod schema;
#[cfg(feature = "specimen")]
mod specimens;
#[cfg(all(feature = "specimen", feature = "ocr", feature = "serde"))]
mod tamper;
#[cfg(all(feature = "specimen", feature = "ocr", feature = "serde"))]
mod viz;

/// Inputs kept in `fixtures/fuzz/` (fuzzer crashers and seeds) replay through
/// the same entry points as the fuzz targets.
#[test]
fn fuzz_regressions() {
    let dir = common::root().join("fixtures/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        mrtd_verify::fuzz::mrz_text(&data);
        mrtd_verify::fuzz::mrz_repair(&data);
        #[cfg(feature = "ocr")]
        mrtd_verify::fuzz::image_bytes(&data);
        #[cfg(feature = "image")]
        mrtd_verify::fuzz::decode_reduced(&data);
        n += 1;
    }
    assert!(n >= 3);
}
