//! Field rules: the Doc 9303 data rules each parsed MRZ is judged against.
//!
//! A rule violation is a finding, never a parse failure: the document is still
//! read and reported, with every rule's outcome. [`Mrz::validate`] runs them all
//! without allocating; reports turn the outcomes into findings with messages.

use super::country::is_known_country;
use super::date::{Date, DateError, DateRole, PartialDate};
use super::fields::Sex;
use super::layout::{FieldId, Format};
use super::parse::Mrz;

/// One data rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The document code suits the format (`P` for TD3, `I`/`A`/`C` for cards,
    /// `V` for visas, `ID` for the French ID).
    DocumentCode,
    /// The issuing state is in the country table.
    IssuingState,
    /// The nationality is in the country table.
    Nationality,
    /// The document number is present, alphanumeric, padded only at its end.
    DocumentNumber,
    /// The birth date is a real calendar date (unknown day or month allowed).
    BirthDate,
    /// The expiry date is a real calendar date.
    ExpiryDate,
    /// Sex is `M`, `F`, `X` or `<`.
    Sex,
    /// The name has letters and fillers only and nothing after its padding;
    /// a name with secondary identifiers but no primary identifier (`<<ANNA`)
    /// is a warning ([`Violation::NoPrimaryIdentifier`]), an empty one fails.
    Name,
    /// Birth precedes expiry (and issue, where the MRZ gives it).
    DateOrder,
    /// The document has not expired on the reference date. Not part of
    /// [`Validation::is_valid`]: an expired document is read correctly.
    Expiry,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Rule; 10] = [
        Rule::DocumentCode,
        Rule::IssuingState,
        Rule::Nationality,
        Rule::DocumentNumber,
        Rule::BirthDate,
        Rule::ExpiryDate,
        Rule::Sex,
        Rule::Name,
        Rule::DateOrder,
        Rule::Expiry,
    ];

    /// The stable check id used in reports (`mrz.birth_date`...).
    pub const fn check_id(self) -> &'static str {
        match self {
            Rule::DocumentCode => "mrz.document_code",
            Rule::IssuingState => "mrz.issuing_state",
            Rule::Nationality => "mrz.nationality",
            Rule::DocumentNumber => "mrz.document_number",
            Rule::BirthDate => "mrz.birth_date",
            Rule::ExpiryDate => "mrz.expiry_date",
            Rule::Sex => "mrz.sex",
            Rule::Name => "mrz.name",
            Rule::DateOrder => "mrz.date_order",
            Rule::Expiry => "mrz.expiry",
        }
    }

    /// The field the rule is about, if one.
    pub const fn field(self) -> Option<FieldId> {
        match self {
            Rule::DocumentCode => Some(FieldId::DocumentCode),
            Rule::IssuingState => Some(FieldId::IssuingState),
            Rule::Nationality => Some(FieldId::Nationality),
            Rule::DocumentNumber => Some(FieldId::DocumentNumber),
            Rule::BirthDate => Some(FieldId::BirthDate),
            Rule::ExpiryDate | Rule::Expiry => Some(FieldId::ExpiryDate),
            Rule::Sex => Some(FieldId::Sex),
            Rule::Name => Some(FieldId::Name),
            Rule::DateOrder => None,
        }
    }

    const fn index(self) -> usize {
        match self {
            Rule::DocumentCode => 0,
            Rule::IssuingState => 1,
            Rule::Nationality => 2,
            Rule::DocumentNumber => 3,
            Rule::BirthDate => 4,
            Rule::ExpiryDate => 5,
            Rule::Sex => 6,
            Rule::Name => 7,
            Rule::DateOrder => 8,
            Rule::Expiry => 9,
        }
    }
}

/// What broke a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// The document code does not suit the format.
    DocumentCode,
    /// The code is not in the country table.
    UnknownCountry,
    /// A character the field may not hold, at a 0-based line and column.
    Character {
        /// Line, from 0.
        line: u8,
        /// Column, from 0.
        column: u8,
        /// The character.
        found: u8,
    },
    /// A character the plain layout does not allow but a registry entry
    /// ([`crate::mrz::variants`]) allows for this issuer, at a 0-based line and
    /// column: a national deviation, worth a look, not invalid data.
    RegisteredCharacter {
        /// Line, from 0.
        line: u8,
        /// Column, from 0.
        column: u8,
        /// The character.
        found: u8,
        /// The registry entry's id.
        variant: &'static str,
    },
    /// A character after the field's filler padding, at a 0-based line and column.
    AfterFiller {
        /// Line, from 0.
        line: u8,
        /// Column, from 0.
        column: u8,
    },
    /// The field is empty (fillers only).
    Empty,
    /// The name starts with its separator: no primary identifier, only
    /// secondary identifiers (`<<ANNA<MARIA`). Doc 9303 Part 3 puts a name of
    /// one part in the primary identifier, but documents carry this form.
    NoPrimaryIdentifier,
    /// The date does not exist or is malformed.
    Date(DateError),
    /// Born after the document expires.
    BirthAfterExpiry {
        /// Birth date.
        birth: PartialDate,
        /// Expiry date.
        expiry: PartialDate,
    },
    /// Born after the document was issued.
    BirthAfterIssue {
        /// Birth date.
        birth: PartialDate,
        /// Issue date.
        issue: PartialDate,
    },
    /// Expired before the reference date.
    Expired {
        /// Expiry date.
        expiry: Date,
        /// The reference date.
        reference: Date,
    },
}

/// The outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The rule holds.
    Pass,
    /// Worth an officer's look, not a sign of invalid data (an expired document).
    Warn(Violation),
    /// The rule is broken.
    Fail(Violation),
    /// The format has no such field, or the rule cannot be judged because a
    /// field it needs is invalid.
    NotApplicable,
}

/// Every rule's outcome for one document, computed against a reference date.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{self, Date, Outcome, Rule};
/// let m = mrz::parse(
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
/// )?;
/// let v = m.validate(Date::new(2026, 11, 23).unwrap());
/// assert!(v.is_valid());
/// assert!(matches!(v.outcome(Rule::Expiry), Outcome::Warn(_))); // expired in 2012
/// assert_eq!(v.birth_date().unwrap().to_string(), "1974-08-12");
/// # Ok::<(), mrz::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validation {
    reference: Date,
    outcomes: [Outcome; 10],
    check_digits_hold: bool,
    birth: Option<PartialDate>,
    expiry: Option<PartialDate>,
    issue: Option<PartialDate>,
}

impl Validation {
    /// The outcome of one rule.
    pub fn outcome(&self, rule: Rule) -> Outcome {
        self.outcomes.get(rule.index()).copied().unwrap_or(Outcome::NotApplicable)
    }

    /// Every rule with its outcome, in report order.
    pub fn outcomes(&self) -> impl Iterator<Item = (Rule, Outcome)> + '_ {
        Rule::ALL.into_iter().map(|r| (r, self.outcome(r)))
    }

    /// The reference date the rules were judged against.
    pub fn reference(&self) -> Date {
        self.reference
    }

    /// Whether every check digit is verified or legitimately not printed and
    /// every format rule holds. Expiry is not part of it.
    pub fn is_valid(&self) -> bool {
        self.check_digits_hold && self.outcomes().all(|(r, o)| r == Rule::Expiry || !matches!(o, Outcome::Fail(_)))
    }

    /// The resolved birth date, if valid.
    pub fn birth_date(&self) -> Option<PartialDate> {
        self.birth
    }

    /// The resolved expiry date, if the format has one and it is valid.
    pub fn expiry_date(&self) -> Option<PartialDate> {
        self.expiry
    }

    /// The issue date, where the MRZ encodes one (French ID).
    pub fn issue_date(&self) -> Option<PartialDate> {
        self.issue
    }
}

/// First character not allowed by `ok`, as a violation.
fn bad_char(m: &Mrz<'_>, field: FieldId, ok: impl Fn(u8) -> bool) -> Option<Violation> {
    let span = m.span(field)?;
    let text = m.slice(span);
    let i = text.bytes().position(|b| !ok(b))?;
    let found = text.as_bytes().get(i).copied().unwrap_or(b'?');
    Some(Violation::Character { line: span.line, column: span.start.saturating_add(i as u8), found })
}

/// The first letter or digit after a run of at least `run` fillers, as a
/// violation ("characters after the padding").
fn after_padding(m: &Mrz<'_>, field: FieldId, run: usize) -> Option<Violation> {
    let span = m.span(field)?;
    let text = m.slice(span).as_bytes();
    let mut fillers = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'<' {
            fillers += 1;
        } else {
            if fillers >= run {
                return Some(Violation::AfterFiller { line: span.line, column: span.start.saturating_add(i as u8) });
            }
            fillers = 0;
        }
    }
    None
}

fn outcome_of(v: Option<Violation>) -> Outcome {
    v.map_or(Outcome::Pass, Outcome::Fail)
}

impl Mrz<'_> {
    /// Judges every data rule against `reference` (the date "today" means; dates'
    /// centuries are resolved against it too).
    pub fn validate(&self, reference: Date) -> Validation {
        let mut outcomes = [Outcome::NotApplicable; 10];
        let mut set = |rule: Rule, o: Outcome| {
            if let Some(slot) = outcomes.get_mut(rule.index()) {
                *slot = o;
            }
        };

        // Document code.
        let code = self.raw(FieldId::DocumentCode).unwrap_or("").as_bytes();
        let (first, second) = (code.first().copied().unwrap_or(b'<'), code.get(1).copied().unwrap_or(b'<'));
        let first_ok = match self.format() {
            Format::Td3 => first == b'P',
            Format::Td1 | Format::Td2 => matches!(first, b'I' | b'A' | b'C') && second != b'V',
            Format::MrvA | Format::MrvB => first == b'V',
            Format::FraId => first == b'I' && second == b'D',
        };
        // A digit only where a registry entry allows it (recorded at parse).
        let digit_ok =
            self.variants().iter().any(|v| v.deviation == crate::mrz::variants::Deviation::DocumentTypeDigit);
        let second_ok = second.is_ascii_uppercase() || second == b'<' || (second.is_ascii_digit() && digit_ok);
        set(
            Rule::DocumentCode,
            if first_ok && second_ok { Outcome::Pass } else { Outcome::Fail(Violation::DocumentCode) },
        );

        // Countries.
        set(
            Rule::IssuingState,
            if is_known_country(self.issuing_state()) {
                Outcome::Pass
            } else {
                Outcome::Fail(Violation::UnknownCountry)
            },
        );
        if self.raw(FieldId::Nationality).is_some() {
            set(
                Rule::Nationality,
                if is_known_country(self.nationality()) {
                    Outcome::Pass
                } else {
                    Outcome::Fail(Violation::UnknownCountry)
                },
            );
        }

        // Document number.
        let number = self.document_number();
        let number_outcome = if number.head().bytes().all(|b| b == b'<') {
            Outcome::Fail(Violation::Empty)
        } else {
            outcome_of(after_padding(self, FieldId::DocumentNumber, 1))
        };
        set(Rule::DocumentNumber, number_outcome);

        // Dates.
        let birth = self.birth_date().and_then(|d| d.resolve(reference, DateRole::Birth));
        set(
            Rule::BirthDate,
            match birth {
                Ok(_) => Outcome::Pass,
                Err(e) => Outcome::Fail(Violation::Date(e)),
            },
        );
        let birth = birth.ok();
        let expiry = self.expiry_date().map(|r| {
            r.and_then(|d| {
                if d.month().is_none() || d.day().is_none() {
                    Err(DateError::Malformed)
                } else {
                    d.resolve(reference, DateRole::Expiry)
                }
            })
        });
        if let Some(e) = expiry {
            set(
                Rule::ExpiryDate,
                match e {
                    Ok(_) => Outcome::Pass,
                    Err(err) => Outcome::Fail(Violation::Date(err)),
                },
            );
        }
        let expiry = expiry.and_then(Result::ok);
        let issue = self.issue_date(reference);

        // Sex.
        set(
            Rule::Sex,
            match self.sex() {
                Sex::Invalid(b) => {
                    let span = self.span(FieldId::Sex);
                    let (line, column) = (span.map_or(0, |s| s.line), span.map_or(0, |s| s.start));
                    // A character of the issuer's own, registered with its
                    // source (recorded at parse): a warning naming the entry.
                    let registered = self
                        .variants()
                        .iter()
                        .find(|v| v.deviation == crate::mrz::variants::Deviation::SexCharacter { found: b });
                    match registered {
                        Some(v) => {
                            Outcome::Warn(Violation::RegisteredCharacter { line, column, found: b, variant: v.id })
                        }
                        None => Outcome::Fail(Violation::Character { line, column, found: b }),
                    }
                }
                _ => Outcome::Pass,
            },
        );

        // Name.
        let name_fields: &[FieldId] =
            if self.format() == Format::FraId { &[FieldId::Surname, FieldId::GivenNames] } else { &[FieldId::Name] };
        let mut name = None;
        for &f in name_fields {
            name = name
                .or_else(|| bad_char(self, f, |b| b.is_ascii_uppercase() || b == b'<'))
                .or_else(|| after_padding(self, f, 3));
        }
        let parts = self.name();
        let name_outcome = match name {
            Some(v) => Outcome::Fail(v),
            None if parts.primary_raw().is_empty() && parts.secondary_raw().is_empty() => {
                Outcome::Fail(Violation::Empty)
            }
            None if parts.primary_raw().is_empty() => Outcome::Warn(Violation::NoPrimaryIdentifier),
            None => Outcome::Pass,
        };
        set(Rule::Name, name_outcome);

        // Order of dates.
        let order = match (birth, expiry, issue) {
            (Some(b), Some(e), _) if b.earliest() > e.latest() => {
                Outcome::Fail(Violation::BirthAfterExpiry { birth: b, expiry: e })
            }
            (Some(b), _, Some(i)) if b.earliest() > i.latest() => {
                Outcome::Fail(Violation::BirthAfterIssue { birth: b, issue: i })
            }
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Outcome::Pass,
            _ => Outcome::NotApplicable,
        };
        set(Rule::DateOrder, order);

        // Expiry against the reference date.
        if let Some(e) = expiry {
            let last = e.latest();
            set(
                Rule::Expiry,
                if last < reference {
                    Outcome::Warn(Violation::Expired { expiry: last, reference })
                } else {
                    Outcome::Pass
                },
            );
        }

        Validation { reference, outcomes, check_digits_hold: self.check_digits_hold(), birth, expiry, issue }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mrz::parse;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

    fn reference() -> Date {
        Date::new(2010, 1, 1).unwrap()
    }

    #[test]
    fn specimen_is_valid_and_current_in_2010() {
        let v = parse(TD3).unwrap().validate(reference());
        assert!(v.is_valid());
        for (rule, o) in v.outcomes() {
            assert_eq!(o, Outcome::Pass, "{rule:?}");
        }
    }

    #[test]
    fn violations() {
        let cases: &[(&str, &str, Rule)] = &[
            ("P<UTO", "P<ZZZ", Rule::IssuingState),
            ("36UTO74", "36ZZZ74", Rule::Nationality),
            ("P<UTO", "I<UTO", Rule::DocumentCode),
            ("2F12", "2Q12", Rule::Sex),
            ("ERIKSSON<<", "ERIKSS0N<<", Rule::Name),
            ("<<<<<<<<<<<<<<<<<<<\n", "<<<<<<<<<<<<<<<<<<X\n", Rule::Name),
            ("L898902C3", "L898<02C3", Rule::DocumentNumber),
            ("7408122", "7413122", Rule::BirthDate),
            ("1204159", "1202309", Rule::ExpiryDate),
            ("7408122F1204159", "7408122F7004159", Rule::DateOrder),
        ];
        for (from, to, rule) in cases {
            let text = TD3.replacen(from, to, 1);
            let v = parse(&text).unwrap().validate(reference());
            assert!(matches!(v.outcome(*rule), Outcome::Fail(_)), "{rule:?}: {:?}", v.outcome(*rule));
            assert!(!v.is_valid(), "{rule:?}");
            // Exactly that rule fails (check digits aside).
            for (r, o) in v.outcomes() {
                if r != *rule {
                    assert!(!matches!(o, Outcome::Fail(_)), "{rule:?} also broke {r:?}: {o:?}");
                }
            }
        }
    }

    #[test]
    fn a_name_without_primary_identifier_is_a_warning() {
        let text = TD3.replacen("ERIKSSON<<ANNA<MARIA<<<<<<<<", "<<ANNA<MARIA<<<<<<<<<<<<<<<<", 1);
        let m = parse(&text).unwrap();
        assert_eq!((m.name().surname(), m.name().given_names().as_str()), (String::new(), "ANNA MARIA"));
        let v = m.validate(reference());
        assert_eq!(v.outcome(Rule::Name), Outcome::Warn(Violation::NoPrimaryIdentifier));
        assert!(v.is_valid());
        // A name of fillers only is still empty, and invalid.
        let empty = TD3.replacen("ERIKSSON<<ANNA<MARIA", "<<<<<<<<<<<<<<<<<<<<", 1);
        let v = parse(&empty).unwrap().validate(reference());
        assert_eq!(v.outcome(Rule::Name), Outcome::Fail(Violation::Empty));
        assert!(!v.is_valid());
        // Characters after the padding still break the rule.
        let late = text.replacen("<<<<<<<<<<<<<<<<<<<\n", "<<<<<<<<<<<<<<<<<<X\n", 1);
        assert!(matches!(parse(&late).unwrap().validate(reference()).outcome(Rule::Name), Outcome::Fail(_)));
    }

    #[test]
    fn document_type_digit_only_where_registered() {
        const TD1: &str =
            "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        let (usa_text, other_text) = (TD1.replacen("I<UTO", "C1USA", 1), TD1.replacen("I<UTO", "C1UTO", 1));
        let usa = parse(&usa_text).unwrap();
        assert_eq!(usa.validate(reference()).outcome(Rule::DocumentCode), Outcome::Pass);
        assert!(usa.variants().iter().any(|v| v.id == "USA_DOCUMENT_TYPE_DIGIT"));
        let other = parse(&other_text).unwrap();
        assert!(matches!(other.validate(reference()).outcome(Rule::DocumentCode), Outcome::Fail(_)));
        assert!(other.variants().is_empty());
    }

    #[test]
    fn a_registered_sex_character_is_a_warning_only_for_its_issuer() {
        // Synthetic: the ICAO TD1 example issued by Croatia, sex printed `0`
        // (no check digit covers the sex, the others still hold).
        const TD1: &str =
            "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        let hrv = TD1.replacen("I<UTO", "I<HRV", 1).replacen("122F120", "1220120", 1).replacen("9UTO", "9HRV", 1);
        let m = parse(&hrv).unwrap();
        assert!(m.check_digits_hold());
        assert!(m.variants().iter().any(|v| v.id == "HRV_SEX_ZERO"));
        let v = m.validate(reference());
        assert_eq!(
            v.outcome(Rule::Sex),
            Outcome::Warn(Violation::RegisteredCharacter { line: 1, column: 7, found: b'0', variant: "HRV_SEX_ZERO" })
        );
        assert!(v.is_valid(), "a warning, not invalid data");
        // Another character, or another issuer: invalid as Doc 9303 says.
        let one_text = hrv.replacen("1220120", "1221120", 1);
        let one = parse(&one_text).unwrap();
        assert!(matches!(one.validate(reference()).outcome(Rule::Sex), Outcome::Fail(Violation::Character { .. })));
        assert!(one.variants().is_empty());
        let uto_text = TD1.replacen("122F120", "1220120", 1);
        let uto = parse(&uto_text).unwrap();
        assert!(matches!(uto.validate(reference()).outcome(Rule::Sex), Outcome::Fail(Violation::Character { .. })));
    }

    #[test]
    fn expiry_is_separate_from_validity() {
        let v = parse(TD3).unwrap().validate(Date::new(2026, 1, 1).unwrap());
        assert!(v.is_valid());
        assert!(matches!(v.outcome(Rule::Expiry), Outcome::Warn(Violation::Expired { .. })));
    }

    #[test]
    fn unknown_birth_parts_are_allowed() {
        let text = TD3.replacen("7408122", "74<<<<2", 1);
        let v = parse(&text).unwrap().validate(reference());
        assert_eq!(v.outcome(Rule::BirthDate), Outcome::Pass);
        assert_eq!(v.birth_date().unwrap().to_string(), "1974");
    }

    #[test]
    fn unknown_expiry_parts_are_not() {
        let text = TD3.replacen("1204159", "1204<<9", 1);
        let v = parse(&text).unwrap().validate(reference());
        assert!(matches!(v.outcome(Rule::ExpiryDate), Outcome::Fail(_)));
    }
}
