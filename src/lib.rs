//! Read and verify the machine readable zone (MRZ) of travel documents, per
//! ICAO Doc 9303, and judge documents for signs of forgery.
//!
//! The pipeline runs one way, each arrow a function from one typed value to the
//! next:
//!
//! ```text
//! text ──parse──▶ Mrz (borrowed views, check digits) ──validate──▶ Validation
//!   │                                                                  │
//!   └──repair (check-digit guided, optional)                 checks ──▶ Findings ──▶ Report
//! ```
//!
//! The [`mrz`] module is the text layer: parsing of TD1, TD2, TD3, MRV-A, MRV-B
//! and registered national variants, every check digit, the data rules, repair
//! of OCR confusions and generation. It depends on nothing heavy and builds with
//! `default-features = false`. A [`Verifier`] turns input into a [`Report`]
//! whose verdict is `pass`, `refer`, `fail` or `unreadable`, with one
//! [`Finding`] per check and the evidence behind it.
//!
//! # Example
//!
//! ```
//! use mrtd_verify::{Config, Verdict, Verifier};
//! use mrtd_verify::mrz::Date;
//!
//! let verifier = Verifier::new(Config::default().reference_date(Date::new(2011, 6, 1).unwrap()));
//! let report = verifier.verify_text(
//!     "desk-3",
//!     "I<UTOD231458907<<<<<<<<<<<<<<<\n\
//!      7408122F1204159UTO<<<<<<<<<<<6\n\
//!      ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
//! );
//! assert_eq!(report.verdict, Verdict::Pass);
//! let mrz = report.mrz.unwrap();
//! assert_eq!(mrz.fields.document_number, "D23145890");
//! assert_eq!(mrz.fields.birth_date.unwrap().to_string(), "1974-08-12");
//! ```
//!
//! # Features
//!
//! - `serde` (default): serialise reports and parsed documents (JSON).
//! - `rayon` (default): parallel batch entry points.
//! - `image`: decoding scans and finding the MRZ on them ([`scan`]).
//! - `ocr` (default): recognising MRZ characters with the bundled ONNX model
//!   ([`ocr`], [`Reader`]).
//! - `specimen`: the synthetic specimen generator ([`specimen`]).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

/// The README's examples compile and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod checks;
mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod mrz;
#[cfg(feature = "ocr")]
pub mod ocr;
#[cfg(feature = "ocr")]
mod read;
mod report;
#[cfg(feature = "image")]
pub mod scan;
#[cfg(feature = "specimen")]
pub mod specimen;
mod verify;

pub use error::{Error, ErrorKind};
#[cfg(feature = "ocr")]
pub use read::{CharReading, MrzGeometry, MrzReading, ReadError, Reader};
pub use report::{
    Evidence, Finding, Region, Report, ReportError, ScanSummary, Status, TextSpan, Timings, Value, Verdict, verdict_of,
};
pub use verify::{Config, TextDocument, Verifier, split_documents};
