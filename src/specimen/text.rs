//! MRZ text specimens with labels: genuine documents of every format and
//! variant, documents with altered or invalid data, and malformed text.
//!
//! Each label states what the generator made and what a correct reader must
//! conclude (verdict and failing check ids), derived from how the specimen was
//! made, never from running the verifier.

use super::identity::DocumentData;
use super::rng::Rng;
use crate::mrz::{CheckId, Date, DocumentFields, Format, PartialDate, blind_class, generate, parse};
use crate::report::Verdict;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// What a text specimen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TextKind {
    /// A genuine, valid document.
    Genuine,
    /// One character covered by a check digit changed, the digit left alone.
    CheckDigitAltered,
    /// A date that does not exist, check digits recomputed.
    InvalidDate,
    /// A country code outside the table, check digits recomputed.
    UnknownCountry,
    /// Valid data of an expired document.
    Expired,
    /// Born after the document expires, check digits recomputed.
    BirthAfterExpiry,
    /// Text that is not an MRZ (wrong shape, characters outside the set).
    Malformed,
}

/// The label of a text specimen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct TextLabel {
    /// What it is.
    pub kind: TextKind,
    /// Its format, when it has one.
    pub format: Option<Format>,
    /// A short note (which variant, which field was altered).
    pub note: String,
    /// The verdict a correct reader gives.
    pub verdict: Verdict,
    /// The check ids that must fail (or warn, for expiry).
    pub failing: Vec<String>,
}

/// A text specimen: the MRZ text and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TextSpecimen {
    /// The text, lines separated by `\n`.
    pub text: String,
    /// What it is.
    pub label: TextLabel,
}

fn label(
    kind: TextKind,
    format: Option<Format>,
    note: impl Into<String>,
    verdict: Verdict,
    failing: &[&str],
) -> TextLabel {
    TextLabel { kind, format, note: note.into(), verdict, failing: failing.iter().map(|s| (*s).to_owned()).collect() }
}

/// Replaces the character at (line, col) of `text`.
fn set_char(text: &str, line: usize, col: usize, ch: u8) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                l.bytes().enumerate().map(|(j, b)| char::from(if j == col { ch } else { b })).collect()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<String>>()
        .join("\n")
}

/// Alters one character covered by `check` so that the check digit refutes it.
/// Returns the text and the failing check ids, or `None` if the document has no
/// such digit.
pub(crate) fn alter_checked(
    rng: &mut Rng,
    text: &str,
    check: CheckId,
    reference: Date,
) -> Option<(String, Vec<String>)> {
    let m = parse(text).ok()?;
    let digit = m.check(check)?;
    let layout = m.format().layout();
    let covered: Vec<(usize, usize)> = if check == CheckId::DocumentNumber {
        let (head, tail, _) = m.document_number_spans();
        let mut v: Vec<(usize, usize)> = head
            .range()
            .map(|c| (usize::from(head.line), c))
            .filter(|&(l, c)| byte(text, l, c) != Some(b'<'))
            .collect();
        if let Some(t) = tail {
            v.extend(t.range().map(|c| (usize::from(t.line), c)));
        }
        v
    } else {
        // Positions this digit covers and no other field digit does, so that
        // exactly this digit (and the composite over it) is refuted.
        let others: Vec<(usize, usize)> = m
            .check_digits()
            .filter(|c| c.id != check && c.id != CheckId::Composite)
            .flat_map(|c| {
                let mut v: Vec<(usize, usize)> = vec![(usize::from(c.span.line), usize::from(c.span.start))];
                if c.id == CheckId::DocumentNumber {
                    let (head, tail, _) = m.document_number_spans();
                    v.extend(head.range().map(|k| (usize::from(head.line), k)));
                    v.extend(tail.into_iter().flat_map(|t| t.range().map(move |k| (usize::from(t.line), k))));
                } else if let Some(def) = layout.check(c.id) {
                    v.extend(def.covers.iter().flat_map(|s| s.range().map(move |k| (usize::from(s.line), k))));
                }
                v
            })
            .collect();
        let own: Vec<(usize, usize)> = layout
            .check(check)?
            .covers
            .iter()
            .flat_map(|s| s.range().map(move |c| (usize::from(s.line), c)))
            .filter(|p| !others.contains(p))
            .collect();
        if own.is_empty() {
            // The composite covers nothing of its own (TD3): its digit is
            // what the forger leaves wrong.
            vec![(usize::from(digit.span.line), usize::from(digit.span.start))]
        } else {
            own
        }
    };
    for _ in 0..50 {
        let &(line, col) = rng.pick(&covered)?;
        let orig = byte(text, line, col)?;
        // Same kind of character (digit for digit, letter for letter), not in
        // the same blind class, and for dates: still a real date.
        let pool: &[u8] = if orig.is_ascii_digit() { b"0123456789" } else { b"ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
        let &new = rng.pick(pool)?;
        if new == orig || blind_class(new) == blind_class(orig) {
            continue;
        }
        let altered = set_char(text, line, col, new);
        let Ok(a) = parse(&altered) else { continue };
        let v = a.validate(reference);
        // Keep the alteration if only check digits break (every data rule,
        // expiry included, still holds).
        let rules_ok =
            v.outcomes().all(|(_, o)| matches!(o, crate::mrz::Outcome::Pass | crate::mrz::Outcome::NotApplicable));
        if !rules_ok {
            continue;
        }
        let mut failing: Vec<String> = a
            .check_digits()
            .filter(|c| c.status.is_refuted())
            .map(|c| format!("mrz.check_digit.{}", c.id.name()))
            .collect();
        failing.sort();
        if failing.iter().any(|f| f.ends_with(digit.id.name())) {
            return Some((altered, failing));
        }
    }
    None
}

fn byte(text: &str, line: usize, col: usize) -> Option<u8> {
    text.lines().nth(line)?.as_bytes().get(col).copied()
}

/// A corpus of text specimens: for every format, genuine documents (long
/// numbers, unknown birth parts, filler check digits and the French ID among
/// them), each check digit refuted in turn, invalid dates and codes, expired
/// documents, and malformed text. Deterministic in `seed`; every genuine
/// document is valid on `reference`.
pub fn text_corpus(seed: u64, reference: Date) -> Vec<TextSpecimen> {
    let root = Rng::new(seed);
    let mut out = Vec::new();
    let mut n = 0u64;
    let mut next = |root: &Rng| {
        n += 1;
        root.fork(n)
    };
    for format in Format::ALL {
        let mut rng = next(&root);
        // Two plain genuine documents per format.
        for _ in 0..2 {
            let d = DocumentData::random(&mut rng, format, reference);
            if let Ok(text) = generate(&d.fields) {
                out.push(TextSpecimen { text, label: label(TextKind::Genuine, Some(format), "", Verdict::Pass, &[]) });
            }
        }
        // Each check digit refuted in turn.
        for check in CheckId::ALL {
            let d = DocumentData::random(&mut rng, format, reference);
            let Ok(text) = generate(&d.fields) else { continue };
            if let Some((altered, failing)) = alter_checked(&mut rng, &text, check, reference) {
                let failing: Vec<&str> = failing.iter().map(String::as_str).collect();
                out.push(TextSpecimen {
                    text: altered,
                    label: label(TextKind::CheckDigitAltered, Some(format), check.name(), Verdict::Fail, &failing),
                });
            }
        }
    }
    let mut rng = next(&root);
    // Variants: long document numbers, empty optional data with a filler check
    // digit, unknown birth day and month, Germany's one-letter code.
    for format in [Format::Td1, Format::Td2] {
        let mut d = DocumentData::random(&mut rng, format, reference);
        d.fields.document_number = "AB12345678901".into();
        d.fields.optional_data = String::new();
        if let Ok(text) = generate(&d.fields) {
            out.push(TextSpecimen {
                text,
                label: label(TextKind::Genuine, Some(format), "ICAO_LONG_DOCUMENT_NUMBER", Verdict::Pass, &[]),
            });
        }
    }
    let mut d = DocumentData::random(&mut rng, Format::Td3, reference);
    d.fields.optional_data = String::new();
    if let Ok(text) = generate(&d.fields) {
        // Write the optional-data check digit as a filler, recompute the composite.
        let text = refill_composite(&set_char(&text, 1, 42, b'<'));
        out.push(TextSpecimen {
            text,
            label: label(
                TextKind::Genuine,
                Some(Format::Td3),
                "ICAO_OPTIONAL_DATA_FILLER_CHECK_DIGIT",
                Verdict::Pass,
                &[],
            ),
        });
    }
    let mut d = DocumentData::random(&mut rng, Format::Td3, reference);
    d.fields.birth_date = PartialDate::new(d.holder.birth_date.year(), None, None).unwrap_or(d.fields.birth_date);
    if let Ok(text) = generate(&d.fields) {
        out.push(TextSpecimen {
            text,
            label: label(TextKind::Genuine, Some(Format::Td3), "unknown birth day and month", Verdict::Pass, &[]),
        });
    }
    let mut d = DocumentData::random(&mut rng, Format::Td1, reference);
    d.fields.issuing_state = "D".into();
    d.fields.nationality = "D".into();
    if let Ok(text) = generate(&d.fields) {
        out.push(TextSpecimen {
            text,
            label: label(TextKind::Genuine, Some(Format::Td1), "Germany D<<", Verdict::Pass, &[]),
        });
    }

    // Invalid data with consistent check digits.
    let invalid: [(TextKind, &str, &[&str], Verdict); 4] = [
        (TextKind::InvalidDate, "birth date 31 April", &["mrz.birth_date"], Verdict::Fail),
        (TextKind::UnknownCountry, "nationality ZZZ", &["mrz.nationality"], Verdict::Fail),
        (TextKind::Expired, "expired a year ago", &["mrz.expiry"], Verdict::Refer),
        (TextKind::BirthAfterExpiry, "born after expiry", &["mrz.date_order", "mrz.expiry"], Verdict::Fail),
    ];
    for (kind, note, failing, verdict) in invalid {
        let format = *rng.pick(&[Format::Td1, Format::Td3, Format::Td2]).unwrap_or(&Format::Td3);
        let d = DocumentData::random(&mut rng, format, reference);
        let fields = DocumentFields { ..d.fields.clone() };
        let text = match kind {
            TextKind::InvalidDate => generate(&fields).ok().map(|t| {
                let m = parse(&t).ok();
                let span = m.and_then(|m| m.span(crate::mrz::FieldId::BirthDate));
                let (l, c) = span.map_or((1, 13), |s| (usize::from(s.line), usize::from(s.start)));
                let t = set_char(
                    &set_char(&set_char(&set_char(&t, l, c + 2, b'0'), l, c + 3, b'4'), l, c + 4, b'3'),
                    l,
                    c + 5,
                    b'1',
                );
                refill_all(&t)
            }),
            TextKind::UnknownCountry => {
                let mut f = fields;
                f.nationality = "ZZZ".into();
                generate(&f).ok()
            }
            TextKind::Expired => {
                // Expired a year ago; born well before that.
                let mut f = fields;
                f.expiry_date = reference.add_years(-1);
                if let Some(e) = f.expiry_date
                    && f.birth_date.latest() >= e
                {
                    f.birth_date = e.add_years(-20).map_or(f.birth_date, PartialDate::from);
                }
                generate(&f).ok()
            }
            _ => {
                // Expiry (1990) before birth (1995).
                let mut f = fields;
                f.birth_date = PartialDate::from(Date::new(1995, 6, 15).unwrap_or(Date::EPOCH));
                f.expiry_date = Date::new(1990, 6, 14);
                generate(&f).ok()
            }
        };
        if let Some(text) = text {
            out.push(TextSpecimen { text, label: label(kind, Some(format), note, verdict, failing) });
        }
    }

    // Malformed text.
    let d = DocumentData::random(&mut rng, Format::Td3, reference);
    if let Ok(text) = generate(&d.fields) {
        let malformed = [
            ("line too short", text.replacen('<', "", 1)),
            ("one line only", text.lines().next().unwrap_or("").to_owned()),
            ("lowercase", text.to_lowercase()),
            ("character outside the set", text.replacen('<', "-", 1)),
            ("four lines", format!("{text}\n{}", text.lines().next().unwrap_or(""))),
        ];
        for (note, t) in malformed {
            out.push(TextSpecimen { text: t, label: label(TextKind::Malformed, None, note, Verdict::Unreadable, &[]) });
        }
    }
    out
}

/// Recomputes the composite check digit of a TD3/TD2 text.
fn refill_composite(text: &str) -> String {
    let Ok(m) = parse(text) else { return text.to_owned() };
    match m.check(CheckId::Composite) {
        Some(c) => match c.status {
            crate::mrz::CheckStatus::Refuted { expected, .. } => {
                set_char(text, usize::from(c.span.line), usize::from(c.span.start), expected)
            }
            _ => text.to_owned(),
        },
        None => text.to_owned(),
    }
}

/// Recomputes every refuted check digit (field digits first, then the composite).
fn refill_all(text: &str) -> String {
    let mut t = text.to_owned();
    for _ in 0..2 {
        let Ok(m) = parse(&t) else { return t };
        let fixes: Vec<(usize, usize, u8)> = m
            .check_digits()
            .filter_map(|c| match c.status {
                crate::mrz::CheckStatus::Refuted { expected, .. } if c.id != CheckId::Composite => {
                    Some((usize::from(c.span.line), usize::from(c.span.start), expected))
                }
                _ => None,
            })
            .collect();
        for (l, c, d) in fixes {
            t = set_char(&t, l, c, d);
        }
        t = refill_composite(&t);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_deterministic_and_complete() {
        let r = Date::new(2026, 6, 1).unwrap();
        let a = text_corpus(5, r);
        let b = text_corpus(5, r);
        assert_eq!(a, b);
        assert_ne!(a, text_corpus(6, r));
        for kind in [
            TextKind::Genuine,
            TextKind::CheckDigitAltered,
            TextKind::InvalidDate,
            TextKind::UnknownCountry,
            TextKind::Expired,
            TextKind::BirthAfterExpiry,
            TextKind::Malformed,
        ] {
            assert!(a.iter().any(|s| s.label.kind == kind), "{kind:?}");
        }
        for format in Format::ALL {
            assert!(a.iter().any(|s| s.label.format == Some(format) && s.label.kind == TextKind::Genuine));
        }
    }
}
