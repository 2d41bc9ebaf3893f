//! Serde representations of the text layer's types, as reports show them.
//!
//! `Format` is its report name (`TD3`); dates are ISO 8601 strings of reduced
//! precision where parts are unknown; check-digit statuses are objects tagged by
//! `status`; field and check identifiers are their snake_case names.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::date::{Date, PartialDate};
use super::layout::{CheckId, FieldId, Format};
use super::parse::CheckStatus;

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Format, D::Error> {
        let name = String::deserialize(d)?;
        Format::from_name(&name).ok_or_else(|| D::Error::custom(format!("unknown MRZ format {name:?}")))
    }
}

impl Serialize for FieldId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for FieldId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FieldId, D::Error> {
        const ALL: [FieldId; 12] = [
            FieldId::DocumentCode,
            FieldId::IssuingState,
            FieldId::DocumentNumber,
            FieldId::Nationality,
            FieldId::BirthDate,
            FieldId::Sex,
            FieldId::ExpiryDate,
            FieldId::Name,
            FieldId::Surname,
            FieldId::GivenNames,
            FieldId::OptionalData,
            FieldId::OptionalData2,
        ];
        let name = String::deserialize(d)?;
        ALL.into_iter().find(|f| f.name() == name).ok_or_else(|| D::Error::custom(format!("unknown field {name:?}")))
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for CheckId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CheckId, D::Error> {
        let name = String::deserialize(d)?;
        CheckId::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| D::Error::custom(format!("unknown check digit {name:?}")))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PartialDate, D::Error> {
        let text = String::deserialize(d)?;
        parse_partial(&text).ok_or_else(|| D::Error::custom(format!("not a date: {text:?}")))
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn parse_partial(text: &str) -> Option<PartialDate> {
    let mut parts = text.split('-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: Option<u8> = parts.next().map(str::parse).transpose().ok()?;
    let day: Option<u8> = parts.next().map(str::parse).transpose().ok()?;
    if parts.next().is_some() || !(1..=9999).contains(&year) {
        return None;
    }
    PartialDate::new(year, month, day)
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse_iso(&text).ok_or_else(|| D::Error::custom(format!("not a date: {text:?}")))
    }
}

/// The serialized form of [`CheckStatus`].
#[derive(Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum StatusRepr {
    Verified,
    Refuted { found: char, expected: char },
    NotPrinted,
}

impl Serialize for CheckStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            CheckStatus::Verified => StatusRepr::Verified,
            CheckStatus::Refuted { found, expected } => {
                StatusRepr::Refuted { found: char::from(found), expected: char::from(expected) }
            }
            CheckStatus::NotPrinted => StatusRepr::NotPrinted,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for CheckStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CheckStatus, D::Error> {
        Ok(match StatusRepr::deserialize(d)? {
            StatusRepr::Verified => CheckStatus::Verified,
            StatusRepr::NotPrinted => CheckStatus::NotPrinted,
            StatusRepr::Refuted { found, expected } => {
                let byte = |c: char| u8::try_from(c).map_err(|_| D::Error::custom("non-ASCII check digit"));
                CheckStatus::Refuted { found: byte(found)?, expected: byte(expected)? }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_round_trip() {
        for text in ["1974-08-12", "1974-08", "1974", "2000-02-29", "0001"] {
            let p = parse_partial(text).unwrap();
            assert_eq!(p.to_string(), text);
        }
        for bad in ["1974-13", "1974-02-30", "1974-08-12-1", "x", "", "0"] {
            assert!(parse_partial(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn status_json() {
        let s = CheckStatus::Refuted { found: b'3', expected: b'2' };
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(j, r#"{"status":"refuted","found":"3","expected":"2"}"#);
        assert_eq!(serde_json::from_str::<CheckStatus>(&j).unwrap(), s);
        assert_eq!(serde_json::to_string(&CheckStatus::NotPrinted).unwrap(), r#"{"status":"not_printed"}"#);
    }
}
