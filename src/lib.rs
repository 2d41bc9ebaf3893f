//! Read and verify the machine readable zone (MRZ) of travel documents, per
//! ICAO Doc 9303, and judge documents for signs of forgery.
//!
//! The pipeline runs one way, each arrow a function from one typed value to
//! the next:
//!
//! ```text
//! Scan (visible, IR, UV) ──decode──▶ Page ──locate──▶ Layout (text lines, MRZ candidates)
//!   ──read (rectify, grid, recognise, repair)──▶ MrzReading ─┐
//! MRZ text ──(repair)────────────────────────────────────────┴─▶ Document
//! Document ──parse, validate──▶ Context ──checks (in parallel)──▶ Findings ──verdict──▶ Report
//! ```
//!
//! The [`mrz`] module is the text layer: parsing of TD1, TD2, TD3, MRV-A,
//! MRV-B and registered national variants, every check digit, the data rules,
//! repair of OCR confusions and generation. It depends on nothing heavy and
//! builds with `default-features = false`. A [`Verifier`] reads a [`Scan`]
//! (feature `ocr`) or MRZ text into a [`Document`], runs every check family
//! of its [`checks::Registry`] on it, and gives a [`Report`] whose verdict is
//! `pass`, `refer`, `fail` or `unreadable` ([`verdict_of`]), with one
//! [`Finding`] per check, the evidence behind it, and which families ran.
//!
//! # Example
//!
//! ```
//! use mrtd_verify::{Config, Verdict, Verifier};
//! use mrtd_verify::mrz::Date;
//!
//! let verifier = Verifier::new(Config::default().reference_date(Date::new(2011, 6, 1).unwrap()))?;
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
//! # Ok::<(), mrtd_verify::Error>(())
//! ```
//!
//! # Features
//!
//! - `serde` (default): serialise reports and parsed documents (JSON).
//! - `rayon` (default): parallel batches and checks.
//! - `image`: decoding scans and finding the text lines and the MRZ on them
//!   ([`scan`]); re-exports the [`image`] crate it uses.
//! - `ocr` (default): recognising MRZ characters with the bundled ONNX model
//!   ([`ocr`]): [`Verifier::verify`] reads scans.
//! - `explain` (default): annotated pictures of a verdict ([`explain`]).
//! - `specimen`: the synthetic specimen generator ([`specimen`]).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

/// The README's examples compile and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod checks;
mod config;
mod document;
mod error;
#[cfg(feature = "explain")]
pub mod explain;
#[doc(hidden)]
pub mod fuzz;
mod geometry;
#[cfg(feature = "ocr")]
mod input;
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
#[cfg(feature = "ocr")]
pub mod viz;

pub use config::{Config, DecodeLimits, Thresholds};
pub use document::{Document, InputKind};
pub use error::{Error, ErrorCode, ErrorKind};
pub use geometry::{Point, Quad};
#[cfg(feature = "image")]
pub use image;
#[cfg(feature = "ocr")]
pub use input::{ImageInput, Scan, ScanFiles, group_companions, read_file_within, source_name};
#[cfg(feature = "ocr")]
pub use read::{GlyphReading, LineFit, MrzReading, OtherZone};
pub use report::{
    Band, CheckRun, Evidence, Finding, PAGE_FAMILIES, PHYSICAL_FAMILIES, Report, ReportError, RunStatus, ScanSummary,
    SkipReason, Status, TextSpan, Timings, Value, Verdict, VizField, VizSummary, verdict_of,
};
pub use verify::{TextDocument, Verifier, VerifierBuilder, decode_text, split_documents};
