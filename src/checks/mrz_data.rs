//! The MRZ data checks (family `mrz`): every check digit and every data
//! rule, as findings.
//!
//! Check ids: `mrz.check_digit.<digit>` for each check digit the format has,
//! `mrz.<rule>` for each data rule ([`crate::mrz::Rule::check_id`]),
//! `mrz.repair` when characters were changed to read the MRZ, `mrz.doubt`
//! for positions whose reading could not be confirmed, and `mrz.read`
//! (`inconclusive`) when no MRZ could be read at all.

use super::{Check, CheckResult, Context};
use crate::mrz::{
    CheckStatus, DateError, Doubt, FieldId, Mrz, Outcome, Repair, RepairBasis, Rule, Span, Validation, Violation,
};
use crate::report::{Evidence, Finding, Status, TextSpan};

/// The `mrz` family: check digits, data rules, repairs and doubts.
#[derive(Debug, Clone, Copy, Default)]
pub struct MrzDataCheck;

impl Check for MrzDataCheck {
    fn family(&self) -> &'static str {
        "mrz"
    }

    fn describe(&self) -> &'static str {
        "MRZ data: check digits, field rules, repairs"
    }

    fn run(&self, cx: &Context<'_>) -> CheckResult {
        let (Some(m), Some(v)) = (cx.mrz(), cx.validation()) else {
            let (message, at) = cx.unread().map_or_else(
                || ("no MRZ to check".to_owned(), None),
                |e| {
                    let at = e.line.map(|line| TextSpan { line, column: e.column.unwrap_or(1), length: 1 });
                    (e.message.clone(), at)
                },
            );
            let ev = Evidence { text: at, ..Evidence::default() };
            return CheckResult::Findings(vec![Finding::new(
                "mrz.read",
                Status::Inconclusive,
                0.0,
                ev,
                match cx.document().kind() {
                    _ if cx.document().error().is_some_and(crate::Error::is_io) => {
                        format!("the file could not be read ({message}): check the path and that it is an image file")
                    }
                    crate::document::InputKind::Text => {
                        format!("no MRZ could be read ({message}): check the text against the document and correct it")
                    }
                    crate::document::InputKind::Image => {
                        format!("no MRZ could be read ({message}): rescan the document or type the MRZ")
                    }
                },
            )]);
        };
        let mut out = findings(m, v);
        if let Some(r) = cx.document().repaired() {
            out.extend(repair_findings(&r.repairs, &r.doubts));
        }
        #[cfg(feature = "ocr")]
        out.extend(other_zone_findings(m, cx.document().other_zones()));
        CheckResult::Findings(out)
    }
}

/// A page holding another MRZ than the one read holds two documents: the
/// page's checks (visual zone, portrait) cannot tell which is which, so
/// the page is inconclusive (`unreadable`: scan each document alone).
#[cfg(feature = "ocr")]
fn other_zone_findings(read: &Mrz<'_>, others: &[crate::read::OtherZone]) -> Vec<Finding> {
    others
        .iter()
        .map(|o| {
            let ev = Evidence::on(o.zone).measured(format!("{} {}", o.format.name(), o.document_number));
            Finding::new(
                "mrz.other_zone",
                Status::Inconclusive,
                0.0,
                ev,
                format!(
                    "the page holds a second document: another machine readable zone ({}, document number {}) \
                     beside the {} read (number {}); scan each document alone",
                    o.format.name(),
                    o.document_number,
                    read.format().name(),
                    read.document_number()
                ),
            )
        })
        .collect()
}

pub(crate) fn text_span(s: Span) -> TextSpan {
    TextSpan { line: usize::from(s.line) + 1, column: usize::from(s.start) + 1, length: usize::from(s.len) }
}

fn describe_date_error(e: DateError) -> String {
    match e {
        DateError::Malformed => "is not a YYMMDD date".into(),
        DateError::UnknownYear => "has an unknown year".into(),
        DateError::Month(m) => format!("has month {m:02}, which does not exist"),
        DateError::Day { month, day } => format!("has day {day:02} in month {month:02}, which does not exist"),
        DateError::DayWithoutMonth => "gives a day without a month".into(),
    }
}

/// Findings for every check digit and data rule of a parsed MRZ.
pub fn findings(mrz: &Mrz<'_>, validation: &Validation) -> Vec<Finding> {
    let mut out = Vec::with_capacity(16);
    for c in mrz.check_digits() {
        let id = format!("mrz.check_digit.{}", c.id.name());
        let what = c.id.name().replace('_', " ");
        let ev = Evidence::at(text_span(c.span));
        out.push(match c.status {
            CheckStatus::Verified => {
                let digit = mrz.slice(c.span);
                Finding::new(
                    id,
                    Status::Pass,
                    1.0,
                    ev.measured(digit).expected(digit),
                    format!("{what} check digit verified"),
                )
            }
            CheckStatus::NotPrinted => Finding::new(
                id,
                Status::Pass,
                1.0,
                ev.measured("<"),
                format!("{what} check digit not printed, as allowed for an empty field"),
            ),
            CheckStatus::Refuted { found, expected } => Finding::new(
                id,
                Status::Fail,
                0.0,
                ev.measured(char::from(found)).expected(char::from(expected)),
                format!(
                    "{what} check digit refuted: printed {:?}, the data it covers gives {}",
                    char::from(found),
                    char::from(expected)
                ),
            ),
        });
    }
    for (rule, outcome) in validation.outcomes() {
        if let Some(f) = rule_finding(mrz, validation, rule, outcome) {
            out.push(f);
        }
    }
    out
}

fn rule_finding(mrz: &Mrz<'_>, v: &Validation, rule: Rule, outcome: Outcome) -> Option<Finding> {
    let field = match (rule, mrz.format()) {
        (Rule::Name, crate::mrz::Format::FraId) => Some(FieldId::Surname),
        _ => rule.field(),
    };
    let span = field.and_then(|f| mrz.span(f));
    let raw = span.map(|s| mrz.slice(s)).unwrap_or("");
    let mut ev = span.map(|s| Evidence::at(text_span(s))).unwrap_or_default();
    let id = rule.check_id();
    let label = match rule {
        Rule::DocumentCode => "document code",
        Rule::IssuingState => "issuing state",
        Rule::Nationality => "nationality",
        Rule::DocumentNumber => "document number",
        Rule::BirthDate => "date of birth",
        Rule::ExpiryDate => "date of expiry",
        Rule::Sex => "sex",
        Rule::Name => "name",
        Rule::DateOrder => "dates",
        Rule::Expiry => "validity",
    };
    let (status, score, message) = match outcome {
        Outcome::NotApplicable if rule == Rule::Expiry && mrz.format() == crate::mrz::Format::FraId => {
            (Status::Skipped, 1.0, "the French ID's MRZ carries no expiry date: read it on the card".to_owned())
        }
        Outcome::NotApplicable => return None,
        Outcome::Pass => {
            let message = match rule {
                Rule::BirthDate => format!(
                    "date of birth {} is a real date",
                    v.birth_date().map(|d| d.to_string()).unwrap_or_default()
                ),
                Rule::ExpiryDate => format!(
                    "date of expiry {} is a real date",
                    v.expiry_date().map(|d| d.to_string()).unwrap_or_default()
                ),
                Rule::Expiry => format!(
                    "not expired on {} (expires {})",
                    v.reference(),
                    v.expiry_date().map(|d| d.to_string()).unwrap_or_default()
                ),
                Rule::DateOrder => "birth precedes expiry and issue".into(),
                Rule::IssuingState | Rule::Nationality => format!("{label} {raw:?} is a known code"),
                _ => format!("{label} conforms"),
            };
            ev = ev.measured(raw.to_owned());
            (Status::Pass, 1.0, message)
        }
        Outcome::Warn(violation) | Outcome::Fail(violation) => {
            let status = if matches!(outcome, Outcome::Warn(_)) { Status::Warn } else { Status::Fail };
            let message = match violation {
                Violation::DocumentCode => {
                    ev = ev.measured(raw.to_owned()).expected(match mrz.format() {
                        crate::mrz::Format::Td3 => "P followed by a letter or <",
                        crate::mrz::Format::MrvA | crate::mrz::Format::MrvB => "V followed by a letter or <",
                        crate::mrz::Format::FraId => "ID",
                        _ => "I, A or C followed by a letter or < (not V)",
                    });
                    format!("document code {raw:?} does not suit a {} document", mrz.format())
                }
                Violation::UnknownCountry => {
                    ev = ev.measured(raw.to_owned()).expected("ISO 3166-1 alpha-3 or a Doc 9303 code");
                    format!("{label} {raw:?} is not a known state or organisation code")
                }
                Violation::Character { line, column, found } => {
                    ev = Evidence::at(TextSpan {
                        line: usize::from(line) + 1,
                        column: usize::from(column) + 1,
                        length: 1,
                    })
                    .measured(char::from(found));
                    format!(
                        "{label} holds {:?} at line {}, column {}, which it may not",
                        char::from(found),
                        line + 1,
                        column + 1
                    )
                }
                Violation::RegisteredCharacter { line, column, found, variant } => {
                    ev = Evidence::at(TextSpan {
                        line: usize::from(line) + 1,
                        column: usize::from(column) + 1,
                        length: 1,
                    })
                    .measured(char::from(found))
                    .expected(variant);
                    format!(
                        "{label} holds {:?} at line {}, column {}: not a Doc 9303 value, but how this issuer prints it \
                         (registered national deviation {variant}); compare with the visual zone",
                        char::from(found),
                        line + 1,
                        column + 1
                    )
                }
                Violation::AfterFiller { line, column } => {
                    ev = Evidence::at(TextSpan {
                        line: usize::from(line) + 1,
                        column: usize::from(column) + 1,
                        length: 1,
                    })
                    .measured(raw.to_owned());
                    format!(
                        "{label} has characters after its filler padding (line {}, column {})",
                        line + 1,
                        column + 1
                    )
                }
                Violation::Empty => format!("{label} is empty"),
                Violation::NoPrimaryIdentifier => {
                    ev = ev.measured(raw.to_owned());
                    format!("{label} has no primary identifier, only secondary identifiers (Doc 9303 discourages it)")
                }
                Violation::Date(e) => {
                    ev = ev.measured(raw.to_owned()).expected("YYMMDD");
                    format!("{label} {raw:?} {}", describe_date_error(e))
                }
                Violation::BirthAfterExpiry { birth, expiry } => {
                    ev = ev.measured(birth.to_string()).expected(format!("before {expiry}"));
                    format!("born {birth}, after the document expires ({expiry})")
                }
                Violation::BirthAfterIssue { birth, issue } => {
                    ev = ev.measured(birth.to_string()).expected(format!("before {issue}"));
                    format!("born {birth}, after the document was issued ({issue})")
                }
                Violation::Expired { expiry, reference } => {
                    ev = ev.measured(expiry.to_string()).expected(format!("on or after {reference}"));
                    format!("expired on {expiry} (checked on {reference})")
                }
            };
            (status, 0.0, message)
        }
    };
    Some(Finding::new(id, status, score, ev, message))
}

/// Findings for repairs and doubts.
pub fn repair_findings(repairs: &[Repair], doubts: &[Doubt]) -> Vec<Finding> {
    let mut out = Vec::new();
    if !repairs.is_empty() {
        let unconfirmed: Vec<&Repair> =
            repairs.iter().filter(|r| matches!(r.basis, RepairBasis::Alphabet | RepairBasis::CountryTable)).collect();
        let list = |rs: &mut dyn Iterator<Item = &Repair>| {
            rs.map(|r| format!("{:?}→{:?} at {}:{} ({})", r.from, r.to, r.line, r.column, r.field.replace('_', " ")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let first = repairs.first().map(|r| TextSpan { line: r.line, column: r.column, length: 1 });
        let ev = Evidence { text: first, ..Evidence::default() }.measured(repairs.len() as f64);
        if unconfirmed.is_empty() {
            out.push(Finding::new(
                "mrz.repair",
                Status::Pass,
                1.0,
                ev,
                format!(
                    "{} character(s) repaired, each confirmed by a check digit: {}",
                    repairs.len(),
                    list(&mut repairs.iter())
                ),
            ));
        } else {
            out.push(Finding::new(
                "mrz.repair",
                Status::Warn,
                0.5,
                ev,
                format!(
                    "{} character(s) repaired without a check digit to confirm them: {}; compare with the printed document",
                    unconfirmed.len(),
                    list(&mut unconfirmed.iter().copied())
                ),
            ));
        }
    }
    for d in doubts {
        let alts: String = d.alternatives.iter().collect();
        out.push(Finding::new(
            "mrz.doubt",
            Status::Warn,
            0.5,
            Evidence::at(TextSpan { line: d.line, column: d.column, length: 1 })
                .measured(d.read)
                .expected(alts.clone()),
            format!(
                "{} at line {}, column {}: read {:?}{}; {}: compare with the printed document",
                d.field.replace('_', " "),
                d.line,
                d.column,
                d.read,
                if alts.is_empty() { String::new() } else { format!(", could be {alts:?}") },
                d.reason
            ),
        ));
    }
    out
}
