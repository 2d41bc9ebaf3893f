//! Genuine documents with invalid data, which are not forgeries: the kinds
//! ([`InvalidData`]) and how the generator makes a genuine document's data
//! invalid before anything is printed.

use super::identity::DocumentData;
use super::rng::Rng;
use crate::mrz::{Date, Format};

/// Data that is invalid without any forgery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum InvalidData {
    /// Expired before the reference date.
    Expired,
    /// Born after the document was issued.
    BirthAfterIssue,
}

/// Makes genuine data invalid: expired, or born after issue.
pub(crate) fn make_invalid(data: &mut DocumentData, kind: InvalidData, reference: Date, rng: &mut Rng) {
    match kind {
        InvalidData::Expired => {
            let expiry = Date::from_days(reference.to_days() - rng.range(30, 900)).unwrap_or(reference);
            let years = if data.fields.format == Format::Td3 { 10 } else { 5 };
            data.issue_date = expiry.add_years(-years).unwrap_or(data.issue_date);
            if data.fields.expiry_date.is_some() {
                data.fields.expiry_date = Some(expiry);
            }
            if data.holder.birth_date >= data.issue_date {
                data.holder.birth_date = data.issue_date.add_years(-20).unwrap_or(data.holder.birth_date);
                data.fields.birth_date = data.holder.birth_date.into();
            }
        }
        InvalidData::BirthAfterIssue => {
            let issue = Date::from_days(reference.to_days() - rng.range(800, 2000)).unwrap_or(reference);
            data.issue_date = issue;
            let birth = Date::from_days(issue.to_days() + rng.range(30, 300)).unwrap_or(issue);
            data.holder.birth_date = birth;
            data.fields.birth_date = birth.into();
            if data.fields.expiry_date.is_some() {
                data.fields.expiry_date = issue.add_years(10);
            }
        }
    }
    if data.fields.format == Format::FraId {
        // The French card number starts with the issue year and month.
        let rest = data.fields.document_number.get(4..).unwrap_or("00000000").to_owned();
        data.fields.document_number =
            format!("{:02}{:02}{rest}", data.issue_date.year() % 100, data.issue_date.month());
    }
}
