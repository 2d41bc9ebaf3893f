//! Building a valid MRZ from field values.

use super::checksum::check_digit;
use super::date::PartialDate;
use super::layout::{CheckId, FieldId, Format};
use super::translit::{TranslitError, fit, transliterate, transliterate_name};

/// Field values to write into an MRZ. Free text (names) is transliterated;
/// codes and numbers must already be MRZ characters.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{generate, Date, DocumentFields, Format};
/// let fields = DocumentFields {
///     format: Format::Td3,
///     document_code: "P".into(),
///     issuing_state: "UTO".into(),
///     document_number: "L898902C3".into(),
///     nationality: "UTO".into(),
///     birth_date: Date::new(1974, 8, 12).unwrap().into(),
///     sex: 'F',
///     expiry_date: Some(Date::new(2012, 4, 15).unwrap()),
///     surname: "Eriksson".into(),
///     given_names: "Anna María".into(),
///     optional_data: "ZE184226B".into(),
///     ..DocumentFields::default()
/// };
/// assert_eq!(
///     generate(&fields)?,
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///      L898902C36UTO7408122F1204159ZE184226B<<<<<10"
/// );
/// # Ok::<(), mrtd_verify::mrz::GenerateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFields {
    /// The format to write.
    pub format: Format,
    /// Document code, one or two characters (`P`, `PO`, `ID`, `I`, `V`...).
    pub document_code: String,
    /// Issuing state (`D` or `D<<` for Germany).
    pub issuing_state: String,
    /// Document number (more than 9 characters: TD1 and TD2 continue it in the
    /// optional data; the French ID takes 12).
    pub document_number: String,
    /// Nationality (ignored by the French ID).
    pub nationality: String,
    /// Date of birth; unknown month or day are written as fillers.
    pub birth_date: PartialDate,
    /// `M`, `F`, `X` or `<`.
    pub sex: char,
    /// Date of expiry (required except on the French ID).
    pub expiry_date: Option<super::Date>,
    /// Surname, free text.
    pub surname: String,
    /// Given names, free text.
    pub given_names: String,
    /// Optional data (MRZ characters; spaces become fillers). On the French ID:
    /// department and office of issue, 6 characters.
    pub optional_data: String,
    /// Second optional data field (TD1 line 2).
    pub optional_data_2: String,
}

impl Default for DocumentFields {
    fn default() -> DocumentFields {
        DocumentFields {
            format: Format::Td3,
            document_code: "P".into(),
            issuing_state: String::new(),
            document_number: String::new(),
            nationality: String::new(),
            birth_date: PartialDate::from(super::Date::EPOCH),
            sex: '<',
            expiry_date: None,
            surname: String::new(),
            given_names: String::new(),
            optional_data: String::new(),
            optional_data_2: String::new(),
        }
    }
}

/// Why fields cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// A value holds characters the field cannot.
    #[error("{field}: {value:?} {reason}")]
    Invalid {
        /// The field.
        field: FieldId,
        /// The value given.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A value does not fit its field.
    #[error("{field}: {len} characters, at most {max} fit")]
    TooLong {
        /// The field.
        field: FieldId,
        /// Length of the value.
        len: usize,
        /// Room in the field.
        max: usize,
    },
    /// A name character with no transliteration.
    #[error("{field}: {source}")]
    Transliteration {
        /// The field.
        field: FieldId,
        /// The character.
        source: TranslitError,
    },
}

/// Upper-cases and checks a code or number: `A`-`Z`, `0`-`9`, `<` (spaces
/// become `<`).
fn code(field: FieldId, value: &str, max: usize) -> Result<String, GenerateError> {
    let v: String = value.trim().chars().map(|c| if c == ' ' { '<' } else { c.to_ascii_uppercase() }).collect();
    if !v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<') {
        return Err(GenerateError::Invalid {
            field,
            value: value.into(),
            reason: "holds characters outside A-Z, 0-9, <",
        });
    }
    if v.len() > max {
        return Err(GenerateError::TooLong { field, len: v.len(), max });
    }
    Ok(v)
}

fn alpha_code(field: FieldId, value: &str, len: usize) -> Result<String, GenerateError> {
    let v = code(field, value, len)?;
    if v.is_empty() || v.bytes().any(|b| b.is_ascii_digit()) {
        return Err(GenerateError::Invalid { field, value: value.into(), reason: "must be letters" });
    }
    Ok(fit(v, len))
}

fn yymmdd(d: PartialDate) -> String {
    let part = |x: Option<u8>| x.map_or_else(|| "<<".to_owned(), |v| format!("{v:02}"));
    format!("{:02}{}{}", d.year() % 100, part(d.month()), part(d.day()))
}

fn digit(data: &str) -> char {
    char::from(b'0' + check_digit(data.as_bytes()))
}

/// Writes the MRZ of `fields`, lines separated by `\n`, every check digit
/// computed.
///
/// # Errors
///
/// [`GenerateError`] when a value cannot be written in its field.
pub fn generate(fields: &DocumentFields) -> Result<String, GenerateError> {
    let f = fields;
    let format = f.format;
    let width = format.width();
    let doc_code = alpha_code(FieldId::DocumentCode, &f.document_code, 2)?;
    let issuer = alpha_code(FieldId::IssuingState, &f.issuing_state, 3)?;
    let sex = match f.sex {
        'M' | 'F' | 'X' | '<' => f.sex,
        other => {
            return Err(GenerateError::Invalid {
                field: FieldId::Sex,
                value: other.into(),
                reason: "must be M, F, X or <",
            });
        }
    };
    let birth = yymmdd(f.birth_date);
    let name_err = |field| move |source| GenerateError::Transliteration { field, source };

    if format == Format::FraId {
        let number = code(FieldId::DocumentNumber, &f.document_number, 12)?;
        if number.len() != 12 {
            return Err(GenerateError::Invalid {
                field: FieldId::DocumentNumber,
                value: number,
                reason: "must be 12 characters",
            });
        }
        let surname = fit(transliterate(&f.surname).map_err(name_err(FieldId::Surname))?, 25);
        let given = transliterate(&f.given_names).map_err(name_err(FieldId::GivenNames))?.replace('<', "<<");
        let given = fit(given, 14);
        let office = fit(code(FieldId::OptionalData, &f.optional_data, 6)?, 6);
        let line1 = format!("{doc_code}{issuer}{surname}{office}");
        let mut line2 = format!("{number}{}{given}{birth}{}{sex}", digit(&number), digit(&birth));
        let composite = format!("{line1}{line2}");
        line2.push(digit(&composite));
        return Ok(format!("{line1}\n{line2}"));
    }

    let nationality = alpha_code(FieldId::Nationality, &f.nationality, 3)?;
    let expiry_date = f.expiry_date.ok_or(GenerateError::Invalid {
        field: FieldId::ExpiryDate,
        value: String::new(),
        reason: "is required for this format",
    })?;
    let expiry = yymmdd(expiry_date.into());
    let layout = format.layout();
    let opt_len = layout.span(FieldId::OptionalData).map_or(0, |s| usize::from(s.len));
    let number = code(FieldId::DocumentNumber, &f.document_number, 9 + opt_len)?;
    let mut optional = code(FieldId::OptionalData, &f.optional_data, opt_len)?;
    let (number_field, number_digit) = if number.len() > 9 {
        if !matches!(format, Format::Td1 | Format::Td2) {
            return Err(GenerateError::TooLong { field: FieldId::DocumentNumber, len: number.len(), max: 9 });
        }
        // Long number: `<` at the check position; the rest, its check digit and
        // a filler open the optional data.
        let (head, tail) = number.split_at(9);
        let cont = format!("{tail}{}<{optional}", digit(&number));
        if cont.len() > opt_len {
            return Err(GenerateError::TooLong { field: FieldId::OptionalData, len: cont.len(), max: opt_len });
        }
        optional = cont;
        (head.to_owned(), '<')
    } else {
        let padded = fit(number.clone(), 9);
        let d = digit(&padded);
        (padded, d)
    };
    let optional = fit(optional, opt_len);
    let name_width = layout.span(FieldId::Name).map_or(0, |s| usize::from(s.len));
    let name = transliterate_name(&f.surname, &f.given_names, name_width).map_err(name_err(FieldId::Name))?;

    let lines = match format {
        Format::Td1 => {
            let opt2 = fit(code(FieldId::OptionalData2, &f.optional_data_2, 11)?, 11);
            let line1 = format!("{doc_code}{issuer}{number_field}{number_digit}{optional}");
            let line2_body = format!("{birth}{}{sex}{expiry}{}{nationality}{opt2}", digit(&birth), digit(&expiry));
            // Composite: line 1 positions 6-30, line 2 1-7, 9-15, 19-29.
            let composite_data = format!(
                "{}{}{}{}",
                line1.get(5..30).unwrap_or(""),
                line2_body.get(0..7).unwrap_or(""),
                line2_body.get(8..15).unwrap_or(""),
                line2_body.get(18..29).unwrap_or("")
            );
            vec![line1, format!("{line2_body}{}", digit(&composite_data)), name]
        }
        Format::Td2 | Format::Td3 | Format::MrvA | Format::MrvB => {
            let line1 = format!("{doc_code}{issuer}{name}");
            let mut line2 = format!(
                "{number_field}{number_digit}{nationality}{birth}{}{sex}{expiry}{}{optional}",
                digit(&birth),
                digit(&expiry)
            );
            if layout.check(CheckId::OptionalData).is_some() {
                line2.push(digit(&optional));
            }
            if let Some(c) = layout.check(CheckId::Composite) {
                let data: String = c.covers.iter().filter_map(|s| line2.get(s.range())).collect();
                line2.push(digit(&data));
            }
            vec![line1, line2]
        }
        Format::FraId => Vec::new(),
    };
    for (i, l) in lines.iter().enumerate() {
        if l.len() != width {
            // Every piece above is fitted to its field, so this is a bug, reported
            // rather than panicking.
            return Err(GenerateError::Invalid {
                field: if i == 0 { FieldId::DocumentCode } else { FieldId::OptionalData },
                value: l.clone(),
                reason: "produced a line of the wrong length",
            });
        }
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mrz::{Date, parse};

    fn base(format: Format) -> DocumentFields {
        DocumentFields {
            format,
            document_code: match format {
                Format::Td3 => "P",
                Format::MrvA | Format::MrvB => "V",
                Format::FraId => "ID",
                _ => "I",
            }
            .into(),
            issuing_state: if format == Format::FraId { "FRA" } else { "UTO" }.into(),
            document_number: if format == Format::FraId { "940992310285" } else { "D23145890" }.into(),
            nationality: "UTO".into(),
            birth_date: Date::new(1974, 8, 12).unwrap().into(),
            sex: 'F',
            expiry_date: (format != Format::FraId).then(|| Date::new(2012, 4, 15).unwrap()),
            surname: "Eriksson".into(),
            given_names: "Anna Maria".into(),
            optional_data: String::new(),
            optional_data_2: String::new(),
        }
    }

    #[test]
    fn specimens_reproduced() {
        let td1 = generate(&base(Format::Td1)).unwrap();
        assert_eq!(
            td1,
            "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
        );
    }

    #[test]
    fn every_format_generates_valid() {
        for format in Format::ALL {
            let text = generate(&base(format)).unwrap();
            let m = parse(&text).unwrap();
            assert_eq!(m.format(), format, "{text}");
            assert!(m.check_digits_hold(), "{format}: {text}");
            assert!(m.validate(Date::new(2010, 1, 1).unwrap()).is_valid(), "{format}: {text}");
        }
    }

    #[test]
    fn long_numbers() {
        for format in [Format::Td1, Format::Td2] {
            let mut f = base(format);
            f.document_number = "AB1234567890".into();
            let text = generate(&f).unwrap();
            let m = parse(&text).unwrap();
            assert_eq!(m.document_number().to_string(), "AB1234567890", "{text}");
            assert!(m.check_digits_hold(), "{text}");
            assert_eq!(m.variants().iter().next().unwrap().id, "ICAO_LONG_DOCUMENT_NUMBER");
        }
        let mut f = base(Format::Td3);
        f.document_number = "AB1234567890".into();
        assert!(matches!(generate(&f), Err(GenerateError::TooLong { .. })));
    }

    #[test]
    fn rejects_bad_values() {
        let mut f = base(Format::Td3);
        f.issuing_state = "U1O".into();
        assert!(generate(&f).is_err());
        let mut f = base(Format::Td3);
        f.sex = 'Q';
        assert!(generate(&f).is_err());
        let mut f = base(Format::Td3);
        f.surname = "Петров".into();
        assert!(matches!(generate(&f), Err(GenerateError::Transliteration { .. })));
        let mut f = base(Format::Td3);
        f.expiry_date = None;
        assert!(generate(&f).is_err());
    }
}
