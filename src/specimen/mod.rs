//! Synthetic specimens with exact labels (feature `specimen`).
//!
//! Every test, model and benchmark of the project feeds on documents whose
//! truth is known: synthetic holders ([`Identity`]), their documents' data
//! ([`DocumentData`]), and MRZ text specimens, genuine and altered, with labels
//! ([`text_corpus`]). Everything is deterministic in a seed ([`Rng`]).

mod identity;
mod rng;
mod text;

pub use identity::{DocumentData, Identity};
pub use rng::Rng;
pub use text::{TextKind, TextLabel, TextSpecimen, text_corpus};
