//! The MRZ text layer: parse, validate, repair and generate machine readable
//! zones per ICAO Doc 9303 (TD1, TD2, TD3, MRV-A, MRV-B) and the registered
//! national variants.
//!
//! - [`parse`] reads text into a borrowed [`Mrz`]: fields are views of the input,
//!   check digits are computed on the spot, nothing is allocated.
//! - [`Mrz::validate`] judges the data rules (dates, sex, country codes, document
//!   code, fillers) against a reference date, also without allocating.
//! - [`repair()`] (plain text) and [`repair_readings`] (OCR candidates) fix
//!   OCR confusions where the field's alphabet and the check digits confirm
//!   them, and report every change and every doubt.
//! - [`generate`] builds a valid MRZ from field values, transliterating names.
//! - [`Mrz::to_data`] gives an owned copy for storage; [`Mrz::to_data_repaired`]
//!   one that carries the repairs and doubts of the reading.

mod checksum;
mod country;
mod data;
mod date;
mod fields;
mod generate;
mod layout;
mod parse;
mod repair;
#[cfg(feature = "serde")]
mod serde_impls;
mod translit;
mod validate;
pub mod variants;

pub use checksum::{blind_class, char_value, check_digit, check_digit_parts, is_mrz_char};
pub use country::{CountryKind, country_kind, is_known_country, known_countries};
pub use data::MrzData;
pub use date::{Date, DateError, DateRole, MrzDate, PartialDate};
pub use fields::{DocumentNumber, Name, Sex};
pub use generate::{DocumentFields, GenerateError, generate};
pub use layout::{CheckId, FieldId, Format, Span, allowed_at};
pub use parse::{CheckDigit, CheckStatus, Mrz, ParseError, parse, parse_lines, reordered};
pub use repair::{
    CONFUSIONS, Candidate, Doubt, DoubtReason, Repair, RepairBasis, Repaired, confusions_of, repair, repair_readings,
};
pub use translit::{TranslitError, transliterate, transliterate_name};
pub use validate::{Outcome, Rule, Validation, Violation};
pub use variants::{Deviation, Variant, VariantSet};
