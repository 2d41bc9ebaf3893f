//! Synthetic specimens with exact labels (feature `specimen`).
//!
//! Every test, model and benchmark of the project feeds on documents whose
//! truth is known: synthetic holders ([`Identity`]), their documents' data
//! ([`DocumentData`]), MRZ text specimens with labels ([`text_corpus`]), and
//! rendered pages ([`Generator`]): TD1, TD2, TD3, MRV-A, MRV-B and the French
//! ID, genuine or forged ([`Forgery`]), with infrared and ultraviolet
//! companions, under capture conditions ([`Capture`]), each with a [`Label`]
//! that gives the MRZ as printed, the visual zone, every capture parameter and
//! the MRZ's geometry down to each character. Everything is deterministic in a
//! seed ([`Rng`]).
//!
//! The MRZ is printed in OCR-B (Matthew Skala's public-domain font, embedded)
//! at the Doc 9303 pitch of 2.54 mm and line spacing of 4.23 mm; the visual
//! zone uses the Liberation fonts (SIL OFL). No real person's data or face is
//! used: names are drawn independently from lists, portraits are drawings.

mod art;
mod canvas;
mod capture;
mod fonts;
mod forgery;
mod generator;
mod identity;
mod invalid;
mod label;
mod render;
mod rng;
mod stamp;
mod text;

pub use capture::{BandCapture, Capture, Condition};
pub use forgery::Forgery;
pub use generator::{CorpusOptions, Generator, Specimen, SpecimenError};
pub use identity::{DocumentData, Identity};
pub use invalid::InvalidData;
pub use label::{CharLabel, ForgeryDetail, Label, Quad, Truth, VizText};
pub use render::VizValues;
pub use rng::Rng;
pub use stamp::Stamp;
pub use text::{TextKind, TextLabel, TextSpecimen, text_corpus};
