//! The owned form of a parsed MRZ, for storage and reports.

use super::date::{Date, PartialDate};
use super::layout::{CheckId, FieldId, Format};
use super::parse::{CheckStatus, Mrz};
use super::repair::{Doubt, Repair, Repaired};
use super::validate::Validation;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// An owned copy of a parsed MRZ: its lines, typed field values, check-digit
/// statuses, the variants it relied on, and any repairs made to read it.
///
/// With the `serde` feature this is the `mrz` object of a report.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{self, Date};
/// let m = mrz::parse(
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
/// )?;
/// let data = m.to_data(Date::new(2026, 11, 23).unwrap());
/// assert!(data.valid);
/// assert_eq!(data.fields.given_names, "ANNA MARIA");
/// assert_eq!(data.fields.expiry_date.unwrap().to_string(), "2012-04-15");
/// # Ok::<(), mrz::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct MrzData {
    /// The format.
    pub format: Format,
    /// The lines exactly as read (after any repair the caller asked for).
    pub lines: Vec<String>,
    /// Every check digit verified or legitimately not printed, and every format
    /// rule holding (country codes included). Expiry is not part of it.
    pub valid: bool,
    /// Typed field values.
    pub fields: Fields,
    /// The status of each check digit the format has.
    pub check_digits: CheckDigits,
    /// Identifiers of the registry variants the reading relied on.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub variants: Vec<String>,
    /// Characters changed to read the MRZ, each with its reason (filled by
    /// [`Mrz::to_data_repaired`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub repairs: Vec<Repair>,
    /// Positions whose reading could not be confirmed (filled by
    /// [`Mrz::to_data_repaired`]).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub doubts: Vec<Doubt>,
}

/// Typed field values. Dates are ISO 8601 (`1974-08-12`, or `1974-08` / `1974`
/// when the MRZ leaves parts unknown); a date that does not exist is `None`,
/// and a finding says why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Fields {
    /// Document code without trailing filler (`P`, `ID`, `V`...).
    pub document_code: String,
    /// Issuing state or organisation: the code without trailing fillers (`D`
    /// for Germany, printed `D<<`; the printed form is in `lines`).
    pub issuing_state: String,
    /// Document number, long numbers in full, padding removed.
    pub document_number: String,
    /// Nationality: the code without trailing fillers (`D` for Germany).
    pub nationality: String,
    /// Date of birth.
    pub birth_date: Option<PartialDate>,
    /// Sex as written: `M`, `F`, `X` or `<`.
    pub sex: String,
    /// Date of expiry (valid-until on visas); absent on the French ID.
    pub expiry_date: Option<PartialDate>,
    /// Surname (primary identifier), components separated by spaces.
    pub surname: String,
    /// Given names (secondary identifier), separated by spaces.
    pub given_names: String,
    /// Optional data with trailing fillers removed (after a long document
    /// number: what follows the number's continuation, check digit and filler).
    pub optional_data: Option<String>,
    /// Second optional data field (TD1), trailing fillers removed.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub optional_data_2: Option<String>,
    /// Date of issue where the MRZ encodes it (French ID).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub issue_date: Option<PartialDate>,
}

/// Status of each check digit; `None` where the format has no such digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct CheckDigits {
    /// Over the document number.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub document_number: Option<CheckStatus>,
    /// Over the date of birth.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub birth_date: Option<CheckStatus>,
    /// Over the date of expiry.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub expiry_date: Option<CheckStatus>,
    /// Over the optional data.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub optional_data: Option<CheckStatus>,
    /// The composite.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub composite: Option<CheckStatus>,
}

impl CheckDigits {
    /// The status of one digit.
    pub fn get(&self, id: CheckId) -> Option<CheckStatus> {
        match id {
            CheckId::DocumentNumber => self.document_number,
            CheckId::BirthDate => self.birth_date,
            CheckId::ExpiryDate => self.expiry_date,
            CheckId::OptionalData => self.optional_data,
            CheckId::Composite => self.composite,
        }
    }

    fn set(&mut self, id: CheckId, status: CheckStatus) {
        let slot = match id {
            CheckId::DocumentNumber => &mut self.document_number,
            CheckId::BirthDate => &mut self.birth_date,
            CheckId::ExpiryDate => &mut self.expiry_date,
            CheckId::OptionalData => &mut self.optional_data,
            CheckId::Composite => &mut self.composite,
        };
        *slot = Some(status);
    }
}

fn trimmed(s: Option<&str>) -> Option<String> {
    s.map(|s| s.trim_end_matches('<').to_owned())
}

impl Mrz<'_> {
    /// An owned copy, with dates resolved and rules judged against `reference`.
    pub fn to_data(&self, reference: Date) -> MrzData {
        self.to_data_with(&self.validate(reference))
    }

    /// An owned copy using a validation already computed, with the repairs
    /// and doubts of the repair this MRZ was read through: the owned MRZ is
    /// complete when it is built, nothing is patched in afterwards.
    ///
    /// `repaired` must be the repair whose lines this MRZ was parsed from
    /// ([`Repaired::parse`] parses them); its repairs and doubts are copied as
    /// they are.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::{self, Date};
    /// let repaired = mrz::repair(
    ///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
    ///      L898902C36UTO74O8122F1204159ZE184226B<<<<<10",
    /// )?;
    /// let m = repaired.parse()?;
    /// let data = m.to_data_repaired(&m.validate(Date::new(2010, 1, 1).unwrap()), &repaired);
    /// assert!(data.valid);
    /// assert_eq!(data.fields.birth_date.unwrap().to_string(), "1974-08-12");
    /// assert_eq!(data.repairs, repaired.repairs);
    /// assert_eq!((data.repairs[0].from, data.repairs[0].to), ('O', '0'));
    /// # Ok::<(), mrz::ParseError>(())
    /// ```
    pub fn to_data_repaired(&self, validation: &Validation, repaired: &Repaired) -> MrzData {
        MrzData { repairs: repaired.repairs.clone(), doubts: repaired.doubts.clone(), ..self.to_data_with(validation) }
    }

    /// An owned copy using a validation already computed; no repairs or
    /// doubts (the MRZ was read as it stands): see [`Mrz::to_data_repaired`].
    pub fn to_data_with(&self, validation: &Validation) -> MrzData {
        let name = self.name();
        let mut check_digits = CheckDigits::default();
        for c in self.check_digits() {
            check_digits.set(c.id, c.status);
        }
        MrzData {
            format: self.format(),
            lines: self.lines().iter().map(|l| (*l).to_owned()).collect(),
            valid: validation.is_valid(),
            fields: Fields {
                document_code: self.document_code().to_owned(),
                issuing_state: self.issuing_state().to_owned(),
                document_number: self.document_number().to_string(),
                nationality: self.nationality().to_owned(),
                birth_date: validation.birth_date(),
                sex: self.sex().as_char().to_string(),
                expiry_date: validation.expiry_date(),
                surname: name.surname(),
                given_names: name.given_names(),
                optional_data: trimmed(self.optional_data()),
                optional_data_2: trimmed(self.optional_data_2()),
                issue_date: validation.issue_date(),
            },
            check_digits,
            variants: self.variants().iter().map(|v| v.id.to_owned()).collect(),
            repairs: Vec::new(),
            doubts: Vec::new(),
        }
    }
}

impl MrzData {
    /// The lines joined with `\n`, ready to parse again.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The value of a field in its report form, for display.
    pub fn field_text(&self, field: FieldId) -> Option<String> {
        let f = &self.fields;
        Some(match field {
            FieldId::DocumentCode => f.document_code.clone(),
            FieldId::IssuingState => f.issuing_state.clone(),
            FieldId::DocumentNumber => f.document_number.clone(),
            FieldId::Nationality => f.nationality.clone(),
            FieldId::BirthDate => f.birth_date?.to_string(),
            FieldId::Sex => f.sex.clone(),
            FieldId::ExpiryDate => f.expiry_date?.to_string(),
            FieldId::Name => format!("{}, {}", f.surname, f.given_names),
            FieldId::Surname => f.surname.clone(),
            FieldId::GivenNames => f.given_names.clone(),
            FieldId::OptionalData => f.optional_data.clone()?,
            FieldId::OptionalData2 => f.optional_data_2.clone()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::mrz::{Date, DoubtReason, repair};

    #[test]
    fn repairs_and_doubts_are_part_of_the_owned_copy() {
        // A repaired birth date and a forged document-number digit: one repair,
        // and doubts where the composite refutes what the number's digit would take.
        let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C35UTO74O8122F1204159ZE184226B<<<<<10";
        let repaired = repair(text).unwrap();
        let m = repaired.parse().unwrap();
        let v = m.validate(Date::new(2010, 1, 1).unwrap());
        let data = m.to_data_repaired(&v, &repaired);
        assert_eq!(data.lines, repaired.lines);
        assert_eq!(data.repairs, repaired.repairs);
        assert_eq!(data.repairs.len(), 1, "{:?}", data.repairs);
        assert_eq!(data.doubts, repaired.doubts);
        assert!(data.doubts.iter().any(|d| d.reason == DoubtReason::Unrepairable));
        assert!(!data.valid);
        // Without a repair the owned copy has none.
        let plain = m.to_data_with(&v);
        assert!(plain.repairs.is_empty() && plain.doubts.is_empty());
        assert_eq!(super::MrzData { repairs: Vec::new(), doubts: Vec::new(), ..data }, plain);
    }
}
