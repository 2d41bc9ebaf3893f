//! Repair of OCR confusions, guided by the fields' alphabets and confirmed by
//! check digits.
//!
//! Input is either plain text ([`repair`]) or, from an OCR engine, per-position
//! candidates with scores ([`repair_readings`]). Each position's candidates are
//! first filtered by what its field may hold (a date holds digits, a name
//! letters); when none fits, the confusion table maps the reading into the
//! alphabet (`O` in a date becomes `0`). Then every check digit picks, among the
//! candidate strings of its field, the cheapest one it verifies, trying up to
//! two substitutions; the composite check digit arbitrates across fields.
//!
//! Nothing is guessed: a change is applied only when it is the unique cheapest
//! way to satisfy the check digits, and reported as a [`Repair`] with its basis.
//! Where the evidence cannot decide, a [`Doubt`] says so:
//! - [`DoubtReason::NoCheckDigit`]: the field has no check digit (names, line 1
//!   of TD3) and the OCR's alternatives are close;
//! - [`DoubtReason::BlindSpot`]: the alternatives differ by a multiple of 10 in
//!   check-digit value (`<`/`K`, `8`/`S`, `6`/`G`, `5`/`Z`...), which no check
//!   digit can see;
//! - [`DoubtReason::SeveralSolutions`]: more than one equally cheap change
//!   satisfies the check digits;
//! - [`DoubtReason::Unrepairable`]: no change within reach satisfies them.
//!
//! The files, one concept each: `confusion` (the confusion table), `cost` (the
//! cost model: each position's alternatives and their costs), `group` (the
//! check-digit groups and their solver), `country` (country codes by the
//! country table), `doubt` (doubts), `solve` (a whole reading, format by
//! format); the entry points are here.

mod confusion;
mod cost;
mod country;
mod doubt;
mod group;
mod solve;

pub use confusion::{CONFUSIONS, confusions_of};
pub use doubt::{Doubt, DoubtReason};

use super::parse::{Mrz, ParseError, parse_lines};
use cost::Pos;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// One candidate character for a position, with a score in `0..=1` (a
/// probability from the OCR, or any monotone confidence).
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::Candidate;
/// let c = Candidate { ch: b'8', score: 0.6 };
/// assert!(c.score > 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The character (an MRZ character; others are ignored).
    pub ch: u8,
    /// The score, higher is likelier.
    pub score: f32,
}

/// A change made to read the MRZ.
///
/// # Examples
///
/// ```
/// let r = mrtd_verify::mrz::repair(
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///      L898902C36UTO74O8122F1204159ZE184226B<<<<<10",
/// )?;
/// let fix = &r.repairs[0];
/// assert_eq!((fix.line, fix.column, fix.from, fix.to), (2, 16, 'O', '0'));
/// assert_eq!(fix.field, "birth_date");
/// # Ok::<(), mrtd_verify::mrz::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Repair {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The character read.
    pub from: char,
    /// The character it was changed to.
    pub to: char,
    /// The field it belongs to, or the check digit it is.
    pub field: String,
    /// What decided the change.
    pub basis: RepairBasis,
}

/// What decided a repair.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{RepairBasis, repair};
/// // A digit in a name: only the alphabet says so, no check digit covers it.
/// let r = repair(
///     "P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
/// )?;
/// assert_eq!(r.repairs[0].basis, RepairBasis::Alphabet);
/// # Ok::<(), mrtd_verify::mrz::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RepairBasis {
    /// A check digit verifies the repaired field, no equally cheap alternative
    /// exists, and every other check digit covering it (the composite) holds.
    CheckDigit,
    /// The composite check digit confirms it across fields (no other digit
    /// covers it).
    Composite,
    /// The field's alphabet forces it (a digit in a name, a letter in a date)
    /// and no check digit confirms it: none covers the position, or one that
    /// does stays refuted. Likely but unconfirmed.
    Alphabet,
    /// A country code that only one reading makes known.
    CountryTable,
}

/// The outcome of a repair: the lines to parse, the changes, the doubts.
///
/// # Examples
///
/// ```
/// let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///             L898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// let r = mrtd_verify::mrz::repair(text)?;
/// assert_eq!(r.text(), text);
/// assert!(r.repairs.is_empty() && r.doubts.is_empty());
/// # Ok::<(), mrtd_verify::mrz::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Repaired {
    /// The repaired lines.
    pub lines: Vec<String>,
    /// Every change made.
    pub repairs: Vec<Repair>,
    /// Every position left in doubt.
    pub doubts: Vec<Doubt>,
}

impl Repaired {
    /// The lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Parses the repaired lines, borrowing them.
    ///
    /// # Errors
    ///
    /// [`ParseError`] if they form no MRZ (repair keeps the shape it was
    /// given, so this happens only for shapes no format has).
    ///
    /// # Examples
    ///
    /// ```
    /// let r = mrtd_verify::mrz::repair(
    ///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
    ///      L898902C36UTO74O8122F1204159ZE184226B<<<<<10",
    /// )?;
    /// assert!(r.parse()?.check_digits_hold());
    /// # Ok::<(), mrtd_verify::mrz::ParseError>(())
    /// ```
    pub fn parse(&self) -> Result<Mrz<'_>, ParseError> {
        let lines: Vec<&str> = self.lines.iter().map(String::as_str).collect();
        parse_lines(&lines)
    }
}

/// Repairs plain MRZ text. The lines' number and lengths must already match a
/// format; characters outside the MRZ set (lowercase, stray symbols) are treated
/// as unread positions.
///
/// # Errors
///
/// [`ParseError`] when the shape of the text matches no format.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{repair, RepairBasis};
/// // The birth date was read with a letter O and the document number's check
/// // digit as a letter too.
/// let r = repair("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///                 L898902C3GUTO74O8122F1204159ZE184226B<<<<<10")?;
/// assert_eq!(r.lines[1], "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
/// assert_eq!(r.repairs.len(), 2);
/// assert!(r.repairs.iter().all(|x| x.basis == RepairBasis::CheckDigit));
/// # Ok::<(), mrtd_verify::mrz::ParseError>(())
/// ```
pub fn repair(text: &str) -> Result<Repaired, ParseError> {
    let mut lines = [""; 3];
    let mut count = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(slot) = lines.get_mut(count) {
            *slot = line;
        }
        count += 1;
    }
    let lines = lines.get(..count.min(3)).unwrap_or(&[]);
    let width = check_shape(count, lines.iter().map(|l| l.chars().count()))?;
    let mut pos = Vec::with_capacity(count * width);
    for line in lines {
        for c in line.chars() {
            pos.push(Pos::from_text(c));
        }
    }
    solve::solve(pos, count, width)
}

/// Repairs an OCR reading given as per-position candidates with scores, best
/// first or not (they are sorted here). Each line is a slice of positions.
///
/// # Errors
///
/// [`ParseError`] when the shape matches no format.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{repair_readings, Candidate};
/// let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///             L898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// let mut lines: Vec<Vec<Vec<Candidate>>> = text
///     .lines()
///     .map(|l| l.bytes().map(|b| vec![Candidate { ch: b, score: 0.99 }]).collect())
///     .collect();
/// // The OCR hesitated on the first digit of the birth date: 8 (0.6) or 7 (0.4).
/// lines[1][13] = vec![Candidate { ch: b'8', score: 0.6 }, Candidate { ch: b'7', score: 0.4 }];
/// let r = repair_readings(&lines)?;
/// assert_eq!(&r.lines[1][13..19], "740812");
/// assert_eq!(r.repairs.len(), 1);
/// # Ok::<(), mrtd_verify::mrz::ParseError>(())
/// ```
pub fn repair_readings<L: AsRef<[P]>, P: AsRef<[Candidate]>>(lines: &[L]) -> Result<Repaired, ParseError> {
    let count = lines.len();
    let width = check_shape(count, lines.iter().map(|l| l.as_ref().len()))?;
    let mut pos = Vec::with_capacity(count * width);
    pos.extend(lines.iter().flat_map(|l| l.as_ref().iter()).map(|cands| Pos::from_candidates(cands.as_ref())));
    solve::solve(pos, count, width)
}

/// Checks the number of lines and that they have one length; returns it.
fn check_shape(count: usize, mut lengths: impl Iterator<Item = usize>) -> Result<usize, ParseError> {
    if count == 0 {
        return Err(ParseError::Empty);
    }
    if !(2..=3).contains(&count) {
        return Err(ParseError::LineCount { found: count });
    }
    let width = lengths.next().unwrap_or(0);
    for (i, len) in lengths.enumerate() {
        if len != width {
            return Err(ParseError::LineLength { line: i + 2, found: len, expected: width });
        }
    }
    Ok(width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mrz::checksum::blind_class;
    use crate::mrz::layout::CheckId;
    use crate::mrz::parse;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";

    #[test]
    fn clean_text_is_untouched() {
        for t in [TD3, TD1] {
            let r = repair(t).unwrap();
            assert_eq!(r.text(), t);
            assert!(r.repairs.is_empty());
            assert!(r.doubts.is_empty(), "{:?}", r.doubts);
        }
    }

    #[test]
    fn alphabet_repairs_in_digit_fields() {
        let damaged = TD3.replacen("7408122", "74O8I22", 1);
        let r = repair(&damaged).unwrap();
        assert_eq!(r.text(), TD3);
        assert_eq!(r.repairs.len(), 2);
        assert!(r.repairs.iter().all(|x| x.field == "birth_date"));
    }

    #[test]
    fn check_digits_never_accept_a_wrong_repair() {
        // Every single confusion in the document number and the dates of the
        // specimen: either repaired back exactly, or left in doubt with the true
        // character among the alternatives. Never a different, wrong MRZ.
        let (mut repaired, mut doubted) = (0, 0);
        let line2 = TD3.lines().nth(1).unwrap();
        for col in (0..9).chain(13..19).chain(21..27) {
            let orig = line2.as_bytes()[col];
            for alt in confusions_of(orig) {
                let mut l2 = line2.as_bytes().to_vec();
                l2[col] = alt;
                let damaged = format!("{}\n{}", TD3.lines().next().unwrap(), String::from_utf8(l2).unwrap());
                let r = repair(&damaged).unwrap();
                if parse(&damaged).unwrap().check_digits_hold() {
                    // A blind-spot confusion (L/1 differ by 20): plain text carries
                    // no evidence against it, and nothing may change.
                    // Unless the field's alphabet forbids it (a letter in a date).
                    assert_eq!(blind_class(orig), blind_class(alt));
                    let forbidden = col >= 13 && !alt.is_ascii_digit();
                    assert_eq!(r.text(), if forbidden { TD3.to_owned() } else { damaged });
                    continue;
                }
                if r.text() == TD3 {
                    repaired += 1;
                    assert!(r.repairs.iter().all(|x| x.basis != RepairBasis::Alphabet || col >= 13), "{:?}", r.repairs);
                } else {
                    doubted += 1;
                    assert_eq!(r.text(), damaged, "a wrong repair of col {col} {}->{}", orig as char, alt as char);
                    let d =
                        r.doubts.iter().find(|d| d.column == col + 1).unwrap_or_else(|| {
                            panic!("no doubt at col {col} {}->{}: {r:?}", orig as char, alt as char)
                        });
                    assert!(
                        d.alternatives.contains(&char::from(orig)) || d.reason == DoubtReason::Unrepairable,
                        "{d:?}"
                    );
                }
            }
        }
        assert!(repaired > 10, "repaired {repaired}, doubted {doubted}");
    }

    #[test]
    fn unconfirmed_name_repair_is_labelled() {
        let damaged = TD3.replacen("ERIKSSON", "ERIKSS0N", 1);
        let r = repair(&damaged).unwrap();
        assert_eq!(r.text(), TD3);
        assert_eq!(r.repairs[0].basis, RepairBasis::Alphabet);
    }

    #[test]
    fn country_code_repaired_by_table() {
        let damaged = TD3.replacen("P<UTO", "P<UT0", 1);
        let r = repair(&damaged).unwrap();
        assert_eq!(r.text(), TD3);
        assert_eq!(r.repairs[0].basis, RepairBasis::CountryTable);
    }

    #[test]
    fn refuses_to_guess_without_evidence() {
        // A wrong birth digit that is no OCR confusion (2 -> 9): the check digit
        // refutes it, nothing in the confusion table fixes it.
        let damaged = TD3.replacen("7408122", "7408192", 1);
        let r = repair(&damaged).unwrap();
        assert!(r.repairs.iter().all(|x| x.field != "birth_date"), "{:?}", r.repairs);
        assert!(r.doubts.iter().any(|d| d.reason == DoubtReason::Unrepairable));
        assert!(parse(&r.text()).unwrap().check(CheckId::BirthDate).unwrap().status.is_refuted());
    }

    #[test]
    fn td1_composite_settles_optional_data() {
        // Only the composite covers TD1 line 2 optional data.
        let fixed = TD1.replacen("UTO<<<<<<<<<<<6", "UTO<<<<<<<8<<<6", 1);
        let fixed = {
            // Recompute the composite for the new optional data.
            let m = parse(&fixed).unwrap();
            let want = match m.check(CheckId::Composite).unwrap().status {
                crate::mrz::CheckStatus::Refuted { expected, .. } => expected,
                _ => b'6',
            };
            let mut lines: Vec<String> = fixed.lines().map(String::from).collect();
            lines[1].replace_range(29..30, &char::from(want).to_string());
            lines.join("\n")
        };
        assert!(parse(&fixed).unwrap().check_digits_hold());
        let damaged = fixed.replacen("<<<8<<<", "<<<B<<<", 1);
        let r = repair(&damaged).unwrap();
        assert_eq!(r.text(), fixed);
        assert_eq!(r.repairs[0].basis, RepairBasis::Composite);
    }

    #[test]
    fn blind_spot_reported_from_candidates() {
        let mut lines = sure_reading(TD3);
        // Optional data position: '<' or 'K' with close scores; blind to the digit.
        lines[1][40] = vec![Candidate { ch: b'<', score: 0.55 }, Candidate { ch: b'K', score: 0.45 }];
        let r = repair_readings(&lines).unwrap();
        assert_eq!(r.text(), TD3);
        let d = r.doubts.iter().find(|d| d.column == 41).unwrap();
        assert_eq!(d.reason, DoubtReason::BlindSpot);
        assert_eq!(d.alternatives, vec!['K']);
    }

    /// TD3 with the document number `000000000` and every digit recomputed.
    fn td3_zero_number() -> String {
        let mut l2: Vec<u8> = TD3.lines().nth(1).unwrap().bytes().collect();
        l2[..9].copy_from_slice(b"000000000");
        l2[9] = b'0' + crate::mrz::check_digit(&l2[..9]);
        l2[43] = b'0' + crate::mrz::check_digit_parts(&[&l2[..10], &l2[13..20], &l2[21..43]]);
        format!("{}\n{}", TD3.lines().next().unwrap(), String::from_utf8(l2).unwrap())
    }

    #[test]
    fn a_blind_combination_is_never_confirmed() {
        // Two O/0 confusions at weights 7 and 3 cancel (24 x 7 + 24 x 3 = 240):
        // the number's digit and the composite hold for "OO0000000" as for
        // "000000000", so they confirm neither reading.
        let genuine = td3_zero_number();
        assert!(parse(&genuine).unwrap().check_digits_hold());
        let misread = genuine.replacen("<\n00", "<\nOO", 1);
        assert!(parse(&misread).unwrap().check_digits_hold());
        let mut lines = sure_reading(&misread);
        // The model saw the zeros, less likely than the letters, each far from
        // a tie (a pair the joint search would already call a tie).
        for col in [0, 1] {
            lines[1][col] = vec![Candidate { ch: b'O', score: 0.75 }, Candidate { ch: b'0', score: 0.2 }];
        }
        let r = repair_readings(&lines).unwrap();
        assert_eq!(r.text(), misread, "nothing decides, so nothing is changed");
        for col in [1, 2] {
            let d = r.doubts.iter().find(|d| d.line == 2 && d.column == col).unwrap_or_else(|| panic!("{r:?}"));
            assert_eq!(d.reason, DoubtReason::BlindSpot);
            assert_eq!(d.alternatives, vec!['0']);
        }
        // One hesitation alone is no blind combination: the digit sees it.
        lines[1][1] = vec![Candidate { ch: b'O', score: 0.99 }];
        let r = repair_readings(&lines).unwrap();
        assert!(r.doubts.iter().all(|d| d.line != 2 || d.column > 2), "{r:?}");
        // Nor a pair the model was fairly sure of: each under a quarter as likely.
        for col in [0, 1] {
            lines[1][col] = vec![Candidate { ch: b'O', score: 0.8 }, Candidate { ch: b'0', score: 0.15 }];
        }
        let r = repair_readings(&lines).unwrap();
        assert!(r.doubts.is_empty(), "{r:?}");
    }

    #[test]
    fn a_single_blind_close_call_is_in_doubt() {
        // `6` and `G` have the same check-digit value (16 = 6 mod 10): in the
        // optional data, the digit holds for both.
        let mut lines = sure_reading(TD3);
        lines[1][35] = vec![Candidate { ch: b'6', score: 0.7 }, Candidate { ch: b'G', score: 0.25 }];
        let r = repair_readings(&lines).unwrap();
        assert_eq!(r.text(), TD3);
        let d = r.doubts.iter().find(|d| (d.line, d.column) == (2, 36)).unwrap_or_else(|| panic!("{r:?}"));
        assert_eq!((d.reason, d.alternatives.as_slice()), (DoubtReason::BlindSpot, &['G'][..]));
        // Where a check digit is refuted, it cannot be blind: no such doubt.
        let forged = TD3.replacen("<<<<<10", "<<<<<19", 1);
        let mut lines = sure_reading(&forged);
        lines[1][35] = vec![Candidate { ch: b'6', score: 0.7 }, Candidate { ch: b'G', score: 0.25 }];
        let r = repair_readings(&lines).unwrap();
        assert!(r.doubts.iter().all(|d| d.reason != DoubtReason::BlindSpot || d.column != 36), "{r:?}");
    }

    #[test]
    fn a_registered_sex_character_is_read_for_its_issuer_only() {
        let hrv = TD1.replacen("I<UTO", "I<HRV", 1).replacen("122F120", "1220120", 1).replacen("9UTO", "9HRV", 1);
        let r = repair_readings(&sure_reading(&hrv)).unwrap();
        assert_eq!(r.text(), hrv);
        assert!(r.doubts.is_empty() && r.repairs.is_empty(), "{r:?}");
        // Elsewhere a `0` is no sex the field can hold: left unread, in doubt.
        let uto = TD1.replacen("122F120", "1220120", 1);
        let r = repair_readings(&sure_reading(&uto)).unwrap();
        assert!(r.doubts.iter().any(|d| (d.line, d.column) == (2, 8)), "{r:?}");
    }

    /// Candidates: every character as `text` gives it, read at 0.99.
    fn sure_reading(text: &str) -> Vec<Vec<Vec<Candidate>>> {
        text.lines().map(|l| l.bytes().map(|b| vec![Candidate { ch: b, score: 0.99 }]).collect()).collect()
    }

    /// Candidates: every character as `text` gives it (0.99), with `alt` as a
    /// second candidate at `score` at (line, column).
    fn clear_reading(text: &str, at: (usize, usize), alt: u8, score: f32) -> Vec<Vec<Vec<Candidate>>> {
        let mut lines = sure_reading(text);
        lines[at.0][at.1].push(Candidate { ch: alt, score });
        lines
    }

    #[test]
    fn a_clearly_read_character_is_not_rewritten() {
        // A forged first character of the document number, printed cleanly:
        // the genuine 'L' is only a faint alternative. The check digit stays
        // refuted; the reading is kept.
        let forged = TD3.replacen("L898902C3", "M898902C3", 1);
        let r = repair_readings(&clear_reading(&forged, (1, 0), b'L', 0.004)).unwrap();
        assert_eq!(r.text(), forged);
        assert!(r.repairs.is_empty());
        // A close alternative is an OCR doubt the check digit settles.
        let r = repair_readings(&clear_reading(&forged, (1, 0), b'L', 0.3)).unwrap();
        assert_eq!(r.text(), TD3);
        assert_eq!(r.repairs.len(), 1);
    }

    #[test]
    fn a_clearly_read_document_code_keeps_its_format() {
        // A passport whose optional-data digit is refuted does not become a
        // visa (no such digit) through a faint 'V' behind the 'P'.
        let forged = TD3.replacen("<<<<<10", "<<<<<40", 1);
        let r = repair_readings(&clear_reading(&forged, (0, 0), b'V', 0.004)).unwrap();
        assert_eq!(r.text(), forged);
    }

    #[test]
    fn document_type_digit_follows_the_registry() {
        const TD1: &str =
            "C1USAD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        let read = |text: &str| {
            let lines: Vec<Vec<Vec<Candidate>>> = text
                .lines()
                .map(|l| {
                    l.bytes()
                        .map(|b| vec![Candidate { ch: b, score: 0.9 }, Candidate { ch: b'I', score: 0.05 }])
                        .collect()
                })
                .collect();
            repair_readings(&lines).unwrap().text()
        };
        // A United States card keeps its digit; elsewhere the letter wins.
        assert_eq!(read(TD1), TD1);
        assert!(read(&TD1.replacen("USA", "UTO", 1)).starts_with("CIUTO"));
    }

    #[test]
    fn a_refuted_check_digit_is_not_repaired_away() {
        // The ICAO specimen with its document-number check digit altered (6 -> 5).
        // Reading the number's 8 as B would satisfy that digit, but the
        // composite still refutes it: no confirmation, the print stays.
        let altered = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C35UTO7408122F1204159ZE184226B<<<<<10";
        let r = repair(altered).unwrap();
        assert_eq!(r.text(), altered, "{r:?}");
        assert!(r.repairs.is_empty(), "{:?}", r.repairs);
        let text = r.text();
        let m = parse(&text).unwrap();
        assert_eq!(m.document_number().to_string(), "L898902C3");
        assert!(m.check(CheckId::DocumentNumber).unwrap().status.is_refuted());
        assert!(m.check(CheckId::Composite).unwrap().status.is_refuted());
        // The alternative the number's digit alone would take is a doubt.
        let d = r.doubts.iter().find(|d| d.line == 2 && d.alternatives.contains(&'B')).unwrap();
        assert_eq!((d.read, d.reason), ('8', DoubtReason::Unrepairable));
        assert!(r.doubts.iter().any(|d| d.field == "composite_check_digit"), "{:?}", r.doubts);
    }

    #[test]
    fn shape_errors() {
        assert!(matches!(repair("P<UTO\nL89"), Err(ParseError::LineLength { .. }) | Err(ParseError::Shape { .. })));
        assert_eq!(repair(""), Err(ParseError::Empty));
    }
}
