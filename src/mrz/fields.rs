//! The fields of a parsed MRZ as typed values: the [`Mrz`] accessors and the
//! types they hand out (document number, sex, name), each borrowing the text.

use std::fmt;

use super::Date;
use super::date::{DateError, DateRole, MrzDate, PartialDate};
use super::layout::{FieldId, Format};
use super::parse::Mrz;

/// The typed fields. Codes and numbers carry no padding fillers; the optional
/// data fields are slices as printed; [`Mrz::raw`] gives any field as printed.
impl<'a> Mrz<'a> {
    /// The document code (`P`, `PO`, `ID`, `V`...), trailing filler removed.
    pub fn document_code(&self) -> &'a str {
        self.raw(FieldId::DocumentCode).unwrap_or("").trim_end_matches('<')
    }

    /// The issuing state or organisation: its code without trailing fillers
    /// (`D` for Germany, printed `D<<`). The printed slice is
    /// [`Mrz::raw`]`(FieldId::IssuingState)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::{self, FieldId};
    /// let m = mrz::parse(
    ///     "I<D<<T220001293<<<<<<<<<<<<<<<\n\
    ///      6408125F2010315D<<<<<<<<<<<<<4\n\
    ///      MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
    /// )?;
    /// assert_eq!(m.issuing_state(), "D");
    /// assert_eq!(m.nationality(), "D");
    /// assert_eq!(m.raw(FieldId::IssuingState), Some("D<<"));
    /// assert!(mrz::is_known_country(m.issuing_state()));
    /// # Ok::<(), mrz::ParseError>(())
    /// ```
    pub fn issuing_state(&self) -> &'a str {
        self.raw(FieldId::IssuingState).unwrap_or("").trim_end_matches('<')
    }

    /// The nationality: its code without trailing fillers (`D` for Germany,
    /// printed `D<<`); the French ID implies `FRA`, and this returns its
    /// issuing state. The printed slice is [`Mrz::raw`]`(FieldId::Nationality)`.
    pub fn nationality(&self) -> &'a str {
        match self.raw(FieldId::Nationality) {
            Some(raw) => raw.trim_end_matches('<'),
            None => self.issuing_state(),
        }
    }

    /// The document number, with the continuation of a long number.
    pub fn document_number(&self) -> DocumentNumber<'a> {
        DocumentNumber::new(self.slice(self.number.head), self.number.tail.map_or("", |t| self.slice(t)))
    }

    /// The date of birth as written.
    ///
    /// # Errors
    ///
    /// [`DateError`] when the field is not a date.
    pub fn birth_date(&self) -> Result<MrzDate, DateError> {
        MrzDate::parse(self.raw(FieldId::BirthDate).unwrap_or(""))
    }

    /// The date of expiry as written, `None` for formats without one (French ID).
    pub fn expiry_date(&self) -> Option<Result<MrzDate, DateError>> {
        self.raw(FieldId::ExpiryDate).map(MrzDate::parse)
    }

    /// The sex field.
    pub fn sex(&self) -> Sex {
        Sex::from_byte(self.raw(FieldId::Sex).and_then(|s| s.bytes().next()).unwrap_or(b'?'))
    }

    /// The name: primary and secondary identifiers.
    pub fn name(&self) -> Name<'a> {
        match self.format() {
            Format::FraId => {
                Name::from_parts(self.raw(FieldId::Surname).unwrap_or(""), self.raw(FieldId::GivenNames).unwrap_or(""))
            }
            _ => Name::split(self.raw(FieldId::Name).unwrap_or("")),
        }
    }

    /// The optional data field, fillers included; after a long document number,
    /// what follows its continuation, its check digit and the filler that ends
    /// them.
    pub fn optional_data(&self) -> Option<&'a str> {
        let raw = self.raw(FieldId::OptionalData)?;
        Some(match (self.number.tail, self.format()) {
            // The number's continuation, its check digit and a filler occupy
            // the start of the field (Doc 9303 Part 5 and 6, 4.2.2 note j).
            (Some(t), Format::Td1 | Format::Td2) => raw.get(usize::from(t.len) + 2..).unwrap_or(""),
            _ => raw,
        })
    }

    /// The second optional data field (TD1 line 2).
    pub fn optional_data_2(&self) -> Option<&'a str> {
        self.raw(FieldId::OptionalData2)
    }

    /// The date of issue, where the format encodes one (French ID: year and month
    /// in the card number).
    pub fn issue_date(&self, reference: Date) -> Option<PartialDate> {
        if self.format() != Format::FraId {
            return None;
        }
        let n = self.slice(self.number.head).get(0..4)?;
        MrzDate::parse(&format_yymm(n)?).ok()?.resolve(reference, DateRole::Issue).ok()
    }
}

/// `YYMM` → `YYMM<<` as an MRZ date with unknown day.
fn format_yymm(s: &str) -> Option<String> {
    s.bytes().all(|b| b.is_ascii_digit()).then(|| format!("{s}<<"))
}

/// A document number, with the continuation of a long one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentNumber<'a> {
    head: &'a str,
    tail: &'a str,
}

impl<'a> DocumentNumber<'a> {
    pub(crate) fn new(head: &'a str, tail: &'a str) -> DocumentNumber<'a> {
        DocumentNumber { head, tail }
    }

    /// The principal part (positions 1-9, or 6-14 on TD1), fillers included.
    pub fn head(&self) -> &'a str {
        self.head
    }

    /// The continuation of a long number, "" for a plain one.
    pub fn tail(&self) -> &'a str {
        self.tail
    }

    /// Whether the number is continued in the optional data.
    pub fn is_long(&self) -> bool {
        !self.tail.is_empty()
    }
}

impl fmt::Display for DocumentNumber<'_> {
    /// The number without padding fillers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tail.is_empty() {
            f.write_str(self.head.trim_end_matches('<'))
        } else {
            f.write_str(self.head)?;
            f.write_str(self.tail)
        }
    }
}

/// The sex field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// `X`: unspecified.
    Unspecified,
    /// `<`: not given.
    NotGiven,
    /// Anything else (a rule violation).
    Invalid(u8),
}

impl Sex {
    pub(crate) fn from_byte(b: u8) -> Sex {
        match b {
            b'M' => Sex::Male,
            b'F' => Sex::Female,
            b'X' => Sex::Unspecified,
            b'<' => Sex::NotGiven,
            other => Sex::Invalid(other),
        }
    }

    /// The character as printed.
    pub fn as_char(self) -> char {
        match self {
            Sex::Male => 'M',
            Sex::Female => 'F',
            Sex::Unspecified => 'X',
            Sex::NotGiven => '<',
            Sex::Invalid(b) => char::from(b),
        }
    }
}

/// A name field: the primary identifier (surname) and secondary identifier
/// (given names), as printed with fillers.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::Name;
/// let n = Name::split("VAN<DER<BERG<<JAN<PIETER<<<<");
/// assert_eq!(n.surname(), "VAN DER BERG");
/// assert_eq!(n.given_names(), "JAN PIETER");
/// assert_eq!(n.given_name_parts().collect::<Vec<_>>(), ["JAN", "PIETER"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name<'a> {
    primary: &'a str,
    secondary: &'a str,
}

impl<'a> Name<'a> {
    /// A name whose format has separate fields for the two identifiers.
    pub(crate) fn from_parts(primary: &'a str, secondary: &'a str) -> Name<'a> {
        Name { primary, secondary }
    }

    /// Splits a name field at its first `<<`.
    pub fn split(field: &'a str) -> Name<'a> {
        match field.find("<<") {
            Some(i) => Name { primary: field.get(..i).unwrap_or(""), secondary: field.get(i + 2..).unwrap_or("") },
            None => Name { primary: field, secondary: "" },
        }
    }

    /// The primary identifier as printed (no padding).
    pub fn primary_raw(&self) -> &'a str {
        self.primary.trim_end_matches('<')
    }

    /// The secondary identifier as printed (no padding).
    pub fn secondary_raw(&self) -> &'a str {
        self.secondary.trim_end_matches('<')
    }

    /// The components of the primary identifier.
    pub fn surname_parts(&self) -> impl Iterator<Item = &'a str> {
        self.primary.split('<').filter(|p| !p.is_empty())
    }

    /// The components of the secondary identifier.
    pub fn given_name_parts(&self) -> impl Iterator<Item = &'a str> {
        self.secondary.split('<').filter(|p| !p.is_empty())
    }

    /// The surname with components separated by spaces.
    pub fn surname(&self) -> String {
        join(self.surname_parts())
    }

    /// The given names separated by spaces.
    pub fn given_names(&self) -> String {
        join(self.given_name_parts())
    }
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for p in parts {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let n = Name::split("ERIKSSON<<ANNA<MARIA<<<<<<<<");
        assert_eq!(n.primary_raw(), "ERIKSSON");
        assert_eq!(n.secondary_raw(), "ANNA<MARIA");
        let only = Name::split("MONONYM<<<<<<");
        assert_eq!(only.surname(), "MONONYM");
        assert_eq!(only.given_names(), "");
        let truncated = Name::split("ABCDEFGHIJ");
        assert_eq!(truncated.surname(), "ABCDEFGHIJ");
    }
}
