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

use std::fmt;

use super::checksum::{blind_class, char_value, is_mrz_char};
use super::country::is_known_country;
use super::layout::{Alphabet, CheckId, FieldId, Format, Span};
use super::parse::{ParseError, parse_as};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// One candidate character for a position, with a score in `0..=1` (a
/// probability from the OCR, or any monotone confidence).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The character (an MRZ character; others are ignored).
    pub ch: u8,
    /// The score, higher is likelier.
    pub score: f32,
}

/// Confusions OCR engines make on OCR-B, both ways. Each pair is a plausible
/// misreading; the list is what plain-text repair may consider.
pub const CONFUSIONS: &[(u8, u8)] = &[
    (b'0', b'O'),
    (b'0', b'Q'),
    (b'0', b'D'),
    (b'0', b'U'),
    (b'1', b'I'),
    (b'1', b'L'),
    (b'1', b'T'),
    (b'2', b'Z'),
    (b'4', b'A'),
    (b'5', b'S'),
    (b'6', b'G'),
    (b'7', b'T'),
    (b'8', b'B'),
    (b'3', b'B'),
    (b'<', b'K'),
    (b'O', b'Q'),
    (b'O', b'D'),
    (b'M', b'N'),
    (b'E', b'F'),
    (b'C', b'G'),
];

/// The characters `b` may be a misreading of.
pub fn confusions_of(b: u8) -> impl Iterator<Item = u8> {
    CONFUSIONS.iter().filter_map(move |&(x, y)| {
        if x == b {
            Some(y)
        } else if y == b {
            Some(x)
        } else {
            None
        }
    })
}

/// A change made to read the MRZ.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RepairBasis {
    /// A check digit verifies the repaired field and no equally cheap alternative
    /// exists.
    CheckDigit,
    /// The composite check digit confirms it across fields.
    Composite,
    /// The field's alphabet forces it (a digit in a name, a letter in a date) and
    /// no check digit covers the position: likely but unconfirmed.
    Alphabet,
    /// A country code that only one reading makes known.
    CountryTable,
}

/// A position whose reading could not be confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Doubt {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The character kept.
    pub read: char,
    /// Other readings the evidence allows.
    pub alternatives: Vec<char>,
    /// The field (or check digit) of the position.
    pub field: String,
    /// Why it stays in doubt.
    pub reason: DoubtReason,
}

/// Why a position stays in doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DoubtReason {
    /// No check digit covers the position.
    NoCheckDigit,
    /// The alternatives have the same check-digit value modulo 10.
    BlindSpot,
    /// Several equally cheap repairs satisfy the check digits.
    SeveralSolutions,
    /// No repair within two substitutions satisfies the check digits.
    Unrepairable,
}

impl fmt::Display for DoubtReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DoubtReason::NoCheckDigit => "no check digit covers it",
            DoubtReason::BlindSpot => "the check digit cannot tell these apart",
            DoubtReason::SeveralSolutions => "several repairs satisfy the check digits",
            DoubtReason::Unrepairable => "no repair within two changes satisfies the check digits",
        })
    }
}

/// The outcome of a repair: the lines to parse, the changes, the doubts.
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
}

/// Cost of a reading the text gives with no score (plain text).
const SURE: f32 = 0.0;
/// Cost of a confusion-table alternative in plain text, or of a forced mapping
/// into the field's alphabet.
const CONFUSION: f32 = 3.0;
/// Cost of any character at a position the text gives no usable reading for.
const WILD: f32 = 6.0;
/// Two solutions closer than this in cost are a tie.
const TIE: f32 = 0.7;
/// Maximum substitutions per check-digit group.
const MAX_CHANGES: usize = 2;

/// One position: its alternatives (character, cost), cheapest first.
#[derive(Debug, Clone, Default)]
struct Pos {
    read: u8,
    alts: Vec<(u8, f32)>,
}

impl Pos {
    fn best(&self) -> u8 {
        self.alts.first().map_or(self.read, |a| a.0)
    }
}

fn cost_of(score: f32) -> f32 {
    if score.is_nan() || score <= 0.0 { 20.0 } else { -score.min(1.0).ln() }
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
/// use mrtd_verify::mrz::repair::{repair, RepairBasis};
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
    let lines: Vec<Vec<Pos>> =
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| l.chars().map(text_pos).collect()).collect();
    solve(lines)
}

/// The alternatives of a character read from plain text.
fn text_pos(c: char) -> Pos {
    let up = c.to_ascii_uppercase();
    let b = u8::try_from(up).unwrap_or(b'?');
    let mut alts = Vec::with_capacity(4);
    if is_mrz_char(b) && c.is_ascii() && !c.is_ascii_lowercase() {
        alts.push((b, SURE));
        alts.extend(confusions_of(b).map(|x| (x, CONFUSION)));
    } else if is_mrz_char(b) {
        // A lowercase letter: its uppercase form and confusions, none sure.
        alts.push((b, CONFUSION / 2.0));
        alts.extend(confusions_of(b).map(|x| (x, CONFUSION)));
    }
    let read = if c.is_ascii() { c as u8 } else { b'?' };
    Pos { read, alts }
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
/// use mrtd_verify::mrz::repair::{repair_readings, Candidate};
/// let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///             L898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// let mut lines: Vec<Vec<Vec<Candidate>>> = text
///     .lines()
///     .map(|l| l.bytes().map(|b| vec![Candidate { ch: b, score: 0.99 }]).collect())
///     .collect();
/// // The OCR hesitated on the first digit of the birth date: 8 (0.6) or 0 (0.4).
/// lines[1][13] = vec![Candidate { ch: b'8', score: 0.6 }, Candidate { ch: b'7', score: 0.4 }];
/// let r = repair_readings(&lines)?;
/// assert_eq!(&r.lines[1][13..19], "740812");
/// assert_eq!(r.repairs.len(), 1);
/// # Ok::<(), mrtd_verify::mrz::ParseError>(())
/// ```
pub fn repair_readings<L: AsRef<[P]>, P: AsRef<[Candidate]>>(lines: &[L]) -> Result<Repaired, ParseError> {
    let lines: Vec<Vec<Pos>> = lines
        .iter()
        .map(|l| {
            l.as_ref()
                .iter()
                .map(|p| {
                    let mut alts: Vec<(u8, f32)> =
                        p.as_ref().iter().filter(|c| is_mrz_char(c.ch)).map(|c| (c.ch, cost_of(c.score))).collect();
                    alts.sort_by(|a, b| a.1.total_cmp(&b.1));
                    alts.dedup_by_key(|a| a.0);
                    let read = alts.first().map_or(b'?', |a| a.0);
                    Pos { read, alts }
                })
                .collect()
        })
        .collect();
    solve(lines)
}

/// The alphabet of each position, from the layout; the document code's letters
/// are fixed by the format.
fn alphabet_at(format: Format, line: usize, col: usize) -> Alphabet {
    let layout = format.layout();
    match (format, line, col) {
        (Format::Td3, 0, 0) => return Alphabet::Set(b"P"),
        (Format::MrvA | Format::MrvB, 0, 0) => return Alphabet::Set(b"V"),
        (Format::Td1 | Format::Td2, 0, 0) => return Alphabet::Set(b"IAC"),
        (Format::FraId, 0, 0) => return Alphabet::Set(b"I"),
        (Format::FraId, 0, 1) => return Alphabet::Set(b"D"),
        _ => {}
    }
    if layout.check_at(line, col).is_some() {
        return Alphabet::Digits;
    }
    layout.field_at(line, col).map_or(Alphabet::AlphaNum, FieldId::alphabet)
}

/// Label of a position for reports: its field, or `<check>_check_digit`.
fn label_at(format: Format, line: usize, col: usize, number: &NumberLayout) -> String {
    if number.digit.contains(line, col) {
        return "document_number_check_digit".into();
    }
    if number.tail.is_some_and(|t| t.contains(line, col)) {
        return FieldId::DocumentNumber.name().into();
    }
    let layout = format.layout();
    if let Some(c) = layout.check_at(line, col) {
        return format!("{}_check_digit", c.name());
    }
    layout.field_at(line, col).map_or_else(|| "unknown".into(), |f| f.name().into())
}

/// Where the document number and its digit lie for this reading.
#[derive(Debug, Clone, Copy)]
struct NumberLayout {
    head: Span,
    tail: Option<Span>,
    digit: Span,
}

/// A check-digit group: covered positions in weight order, and the digit.
struct Group {
    covered: Vec<usize>,
    digit: usize,
    filler_ok: bool,
}

/// A solution for one group: the substitutions (position, character) and cost.
#[derive(Debug, Clone)]
struct Solution {
    changes: Vec<(usize, u8)>,
    cost: f32,
}

struct Grid {
    width: usize,
    pos: Vec<Pos>,
    chosen: Vec<u8>,
}

impl Grid {
    fn idx(&self, span: Span, k: usize) -> usize {
        usize::from(span.line) * self.width + usize::from(span.start) + k
    }

    fn span_positions(&self, span: Span) -> impl Iterator<Item = usize> + '_ {
        (0..usize::from(span.len)).map(move |k| self.idx(span, k))
    }

    fn base_cost(&self, i: usize, ch: u8) -> f32 {
        self.pos.get(i).and_then(|p| p.alts.iter().find(|a| a.0 == ch)).map_or(WILD, |a| a.1)
    }
}

fn weight(k: usize) -> u32 {
    match k % 3 {
        0 => 7,
        1 => 3,
        _ => 1,
    }
}

/// Whether a group holds for the characters `chars(i)`.
fn holds(g: &Group, chars: impl Fn(usize) -> u8) -> bool {
    let mut sum = 0u32;
    let mut fillers = true;
    for (k, &i) in g.covered.iter().enumerate() {
        let c = chars(i);
        fillers &= c == b'<';
        sum += u32::from(char_value(c).unwrap_or(0)) * weight(k);
    }
    let d = chars(g.digit);
    (d.is_ascii_digit() && u32::from(d - b'0') == sum % 10) || (g.filler_ok && fillers && d == b'<')
}

/// Enumerates substitutions (up to `MAX_CHANGES`) over a group's positions in
/// increasing cost and returns every satisfying solution found, cheapest first.
fn solve_group(grid: &Grid, g: &Group) -> Vec<Solution> {
    let positions: Vec<usize> = g.covered.iter().copied().chain(std::iter::once(g.digit)).collect();
    // Moves: (position, char, extra cost over the chosen char).
    let mut moves: Vec<(usize, u8, f32)> = Vec::new();
    for &i in &positions {
        let cur = grid.chosen.get(i).copied().unwrap_or(b'<');
        let base = grid.base_cost(i, cur);
        if let Some(p) = grid.pos.get(i) {
            for &(ch, c) in &p.alts {
                if ch != cur {
                    let digit_ok = i != g.digit || ch.is_ascii_digit() || (g.filler_ok && ch == b'<');
                    if digit_ok {
                        moves.push((i, ch, (c - base).max(0.0)));
                    }
                }
            }
        }
    }
    let base_chars = |i: usize| grid.chosen.get(i).copied().unwrap_or(b'<');
    let mut out = Vec::new();
    if holds(g, base_chars) {
        out.push(Solution { changes: Vec::new(), cost: 0.0 });
        // Only alternatives close to the reading can compete with it.
        moves.retain(|m| m.2 < TIE);
    }
    for (a, &(i, ch, c)) in moves.iter().enumerate() {
        let with = |j: usize| if j == i { ch } else { base_chars(j) };
        if holds(g, with) {
            out.push(Solution { changes: vec![(i, ch)], cost: c });
        }
        if MAX_CHANGES >= 2 {
            for &(i2, ch2, c2) in moves.iter().skip(a + 1) {
                if i2 == i {
                    continue;
                }
                let with2 = |j: usize| {
                    if j == i {
                        ch
                    } else if j == i2 {
                        ch2
                    } else {
                        base_chars(j)
                    }
                };
                if holds(g, with2) {
                    out.push(Solution { changes: vec![(i, ch), (i2, ch2)], cost: c + c2 });
                }
            }
        }
    }
    out.sort_by(|a, b| a.cost.total_cmp(&b.cost));
    out
}

/// Most solutions kept per group for the joint search.
const MAX_SOLUTIONS: usize = 8;

/// One consistent assignment: its total cost and its substitutions.
type Joint = (f32, Vec<(usize, u8)>);

/// Searches the combinations of group solutions (and single substitutions at
/// positions only the composite covers) that satisfy every check digit, and
/// returns the cheapest and every one within [`TIE`] of it, cheapest first.
fn joint_search(
    grid: &Grid,
    group_solutions: &[Vec<Solution>],
    composite: Option<&Group>,
    moves: &[(usize, u8, f32)],
) -> Vec<Joint> {
    if group_solutions.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    let mut found: Vec<Joint> = Vec::new();
    let mut bound = f32::INFINITY;
    let mut changes: Vec<(usize, u8)> = Vec::new();
    search(grid, group_solutions, composite, moves, 0, 0.0, &mut changes, &mut found, &mut bound);
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let best = found.first().map_or(0.0, |f| f.0);
    found.retain(|f| f.0 - best < TIE);
    found
}

#[allow(clippy::too_many_arguments)]
fn search(
    grid: &Grid,
    sols: &[Vec<Solution>],
    composite: Option<&Group>,
    moves: &[(usize, u8, f32)],
    k: usize,
    cost: f32,
    changes: &mut Vec<(usize, u8)>,
    found: &mut Vec<Joint>,
    bound: &mut f32,
) {
    if cost - *bound >= TIE {
        return;
    }
    if let Some(options) = sols.get(k) {
        for s in options.iter().take(MAX_SOLUTIONS) {
            let n = changes.len();
            changes.extend_from_slice(&s.changes);
            search(grid, sols, composite, moves, k + 1, cost + s.cost, changes, found, bound);
            changes.truncate(n);
        }
        return;
    }
    fn record(c: f32, ch: Vec<(usize, u8)>, found: &mut Vec<Joint>, bound: &mut f32) {
        if c < *bound {
            *bound = c;
        }
        found.push((c, ch));
    }
    let Some(cg) = composite else {
        record(cost, changes.clone(), found, bound);
        return;
    };
    let mut scratch = grid.chosen.clone();
    for &(i, ch) in changes.iter() {
        if let Some(slot) = scratch.get_mut(i) {
            *slot = ch;
        }
    }
    if holds(cg, |i| scratch.get(i).copied().unwrap_or(b'<')) {
        record(cost, changes.clone(), found, bound);
    }
    for &(i, ch, c) in moves {
        if cost + c - *bound >= TIE {
            continue;
        }
        let read = |j: usize| if j == i { ch } else { scratch.get(j).copied().unwrap_or(b'<') };
        if holds(cg, read) {
            let mut with = changes.clone();
            with.push((i, ch));
            record(cost + c, with, found, bound);
        }
    }
}

/// Solves a whole reading.
fn solve(lines: Vec<Vec<Pos>>) -> Result<Repaired, ParseError> {
    let count = lines.len();
    if count == 0 {
        return Err(ParseError::Empty);
    }
    if !(2..=3).contains(&count) {
        return Err(ParseError::LineCount { found: count });
    }
    let width = lines.first().map_or(0, Vec::len);
    for (i, l) in lines.iter().enumerate() {
        if l.len() != width {
            return Err(ParseError::LineLength { line: i + 1, found: l.len(), expected: width });
        }
    }
    // Every format of this shape the first characters could spell is tried; the
    // reading whose check digits hold best wins (then the fewest doubts, then the
    // fewest changes). A misread document code cannot force the wrong layout.
    let candidates = candidate_formats(&lines, count, width);
    if candidates.is_empty() {
        return Err(ParseError::Shape { lines: count, width });
    }
    let mut best: Option<((usize, u32, usize), Repaired)> = None;
    for format in candidates {
        let (r, cost) = solve_as(lines.clone(), format, width, count);
        let refs: Vec<&str> = r.lines.iter().map(String::as_str).collect();
        let refuted =
            parse_as(format, &refs).map_or(usize::MAX, |m| m.check_digits().filter(|c| c.status.is_refuted()).count());
        // Costs compared in tenths, so the score is totally ordered.
        let score = (refuted, (cost * 10.0).round() as u32, r.doubts.len());
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, r));
        }
    }
    best.map(|(_, r)| r).ok_or(ParseError::Shape { lines: count, width })
}

/// The formats of this shape whose document code the reading's candidates can
/// spell.
fn candidate_formats(lines: &[Vec<Pos>], count: usize, width: usize) -> Vec<Format> {
    let first = lines.first();
    let can = |col: usize, ch: u8| {
        first
            .and_then(|l| l.get(col))
            .is_some_and(|p| p.read == ch || p.alts.iter().any(|a| a.0 == ch || confusions_of(a.0).any(|c| c == ch)))
    };
    let spells = |text: &[u8]| text.iter().enumerate().all(|(i, &c)| can(i, c));
    let mut out = Vec::new();
    for format in Format::ALL {
        if format.lines() != count || format.width() != width {
            continue;
        }
        let ok = match format {
            Format::Td3 => can(0, b'P'),
            Format::MrvA | Format::MrvB => can(0, b'V'),
            Format::Td1 | Format::Td2 => can(0, b'I') || can(0, b'A') || can(0, b'C'),
            Format::FraId => spells(b"IDFRA"),
        };
        if ok {
            out.push(format);
        }
    }
    if out.is_empty() {
        // No code readable at all: fall back on the shape alone.
        out.extend(shape_format(count, width, ""));
    }
    out
}

/// Solves a reading as a given format.
fn solve_as(lines: Vec<Vec<Pos>>, format: Format, width: usize, count: usize) -> (Repaired, f32) {
    let mut pos: Vec<Pos> = lines.into_iter().flatten().collect();
    // Alphabet filtering, forced mappings.
    let mut forced: Vec<usize> = Vec::new();
    for (i, p) in pos.iter_mut().enumerate() {
        let (line, col) = (i / width, i % width);
        let alphabet = alphabet_at(format, line, col);
        let fits: Vec<(u8, f32)> = p.alts.iter().copied().filter(|a| alphabet.allows(a.0)).collect();
        if !alphabet.allows(p.read) {
            forced.push(i);
        }
        if fits.is_empty() {
            let mut mapped: Vec<(u8, f32)> = p
                .alts
                .iter()
                .flat_map(|&(ch, c)| confusions_of(ch).map(move |x| (x, c + CONFUSION)))
                .filter(|a| alphabet.allows(a.0))
                .collect();
            if mapped.is_empty() {
                // Nothing usable was read here: any character of the alphabet.
                mapped = (0u8..=255).filter(|&b| is_mrz_char(b) && alphabet.allows(b)).map(|b| (b, WILD)).collect();
            }
            mapped.sort_by(|a, b| a.1.total_cmp(&b.1));
            mapped.dedup_by_key(|a| a.0);
            p.alts = mapped;
        } else {
            p.alts = fits;
        }
    }
    let chosen: Vec<u8> = pos.iter().map(Pos::best).collect();
    let mut grid = Grid { width, pos, chosen };

    // Document number spans from the forced-best reading.
    let number = {
        let text: Vec<String> = (0..count)
            .map(|l| grid.chosen.iter().skip(l * width).take(width).map(|&b| char::from(b)).collect())
            .collect();
        let refs: Vec<&str> = text.iter().map(String::as_str).collect();
        match parse_as(format, &refs) {
            Ok(m) => {
                let (head, tail, digit) = m.document_number_spans();
                NumberLayout { head, tail, digit }
            }
            Err(_) => {
                let layout = format.layout();
                let head = layout.span(FieldId::DocumentNumber).unwrap_or(Span::new(0, 0, 0));
                let digit = layout.check(CheckId::DocumentNumber).map_or(head, |c| c.digit);
                NumberLayout { head, tail: None, digit }
            }
        }
    };

    // Groups.
    let layout = format.layout();
    let issuer_span = layout.span(FieldId::IssuingState);
    let mut groups: Vec<Group> = Vec::new();
    let mut composite: Option<Group> = None;
    for def in layout.checks {
        let (covered, digit): (Vec<usize>, usize) = if def.id == CheckId::DocumentNumber {
            let mut v: Vec<usize> = grid.span_positions(number.head).collect();
            if let Some(t) = number.tail {
                v.extend(grid.span_positions(t));
            }
            (v, grid.idx(number.digit, 0))
        } else {
            (
                def.covers.iter().flat_map(|&s| grid.span_positions(s).collect::<Vec<_>>()).collect(),
                grid.idx(def.digit, 0),
            )
        };
        let issuer: String = issuer_span
            .map(|s| grid.span_positions(s).map(|i| char::from(grid.chosen.get(i).copied().unwrap_or(b'<'))).collect())
            .unwrap_or_default();
        let filler_ok = super::variants::filler_check(format, &issuer, def.id).is_some();
        let g = Group { covered, digit, filler_ok };
        if def.id == CheckId::Composite {
            composite = Some(g);
        } else {
            groups.push(g);
        }
    }

    let mut repairs_basis: Vec<(usize, RepairBasis)> = Vec::new();
    let mut doubts: Vec<(usize, Vec<u8>, DoubtReason)> = Vec::new();
    let group_solutions: Vec<Vec<Solution>> = groups.iter().map(|g| solve_group(&grid, g)).collect();
    for (g, sols) in groups.iter().zip(&group_solutions) {
        if sols.is_empty() {
            doubts.push((g.digit, Vec::new(), DoubtReason::Unrepairable));
        }
    }
    // Positions only the composite covers, and their substitutions.
    let in_groups = |i: usize| groups.iter().any(|g| g.covered.contains(&i) || g.digit == i);
    let composite_moves: Vec<(usize, u8, f32)> = composite
        .iter()
        .flat_map(|cg| cg.covered.iter().copied().chain(std::iter::once(cg.digit)).map(move |i| (cg.digit, i)))
        .filter(|&(_, i)| !in_groups(i))
        .flat_map(|(digit, i)| {
            let cur = grid.chosen.get(i).copied().unwrap_or(b'<');
            let base = grid.base_cost(i, cur);
            grid.pos
                .get(i)
                .map(|p| p.alts.as_slice())
                .unwrap_or(&[])
                .iter()
                .filter(move |a| a.0 != cur && (i != digit || a.0.is_ascii_digit()))
                .map(move |a| (i, a.0, (a.1 - base).max(0.0)))
        })
        .collect();
    let joint = joint_search(&grid, &group_solutions, composite.as_ref(), &composite_moves);
    match joint.as_slice() {
        [] => {
            // No assignment satisfies every digit: apply each group's unique
            // cheapest fix (its own digit confirms it) and leave the composite
            // refuted.
            for sols in &group_solutions {
                if let [best, rest @ ..] = sols.as_slice() {
                    if rest.first().is_none_or(|s| s.cost - best.cost >= TIE) {
                        for &(i, ch) in &best.changes {
                            if let Some(slot) = grid.chosen.get_mut(i) {
                                *slot = ch;
                                repairs_basis.push((i, RepairBasis::CheckDigit));
                            }
                        }
                    } else {
                        for &(i, ch) in &best.changes {
                            doubts.push((i, vec![ch], DoubtReason::SeveralSolutions));
                        }
                    }
                }
            }
            if let Some(cg) = &composite
                && !groups.is_empty()
                && group_solutions.iter().all(|s| !s.is_empty())
            {
                doubts.push((cg.digit, Vec::new(), DoubtReason::Unrepairable));
            }
        }
        [best, rest @ ..] => {
            let tied: Vec<&Vec<(usize, u8)>> = rest.iter().take_while(|j| j.0 - best.0 < TIE).map(|j| &j.1).collect();
            // Positions every tied solution sets the same way are settled; the
            // others stay as read, in doubt.
            let all: Vec<&Vec<(usize, u8)>> = std::iter::once(&best.1).chain(tied.iter().copied()).collect();
            let mut touched: Vec<usize> = all.iter().flat_map(|t| t.iter().map(|x| x.0)).collect();
            touched.sort_unstable();
            touched.dedup();
            for i in touched {
                let current = grid.chosen.get(i).copied().unwrap_or(b'<');
                let values: Vec<u8> =
                    all.iter().map(|t| t.iter().find(|(j, _)| *j == i).map_or(current, |x| x.1)).collect();
                let first = values.first().copied().unwrap_or(current);
                if values.iter().all(|&v| v == first) {
                    if let Some(slot) = grid.chosen.get_mut(i) {
                        *slot = first;
                    }
                } else {
                    let mut alts: Vec<u8> = values.into_iter().filter(|&v| v != current).collect();
                    alts.sort_unstable();
                    alts.dedup();
                    let blind = alts.iter().all(|&a| blind_class(a) == blind_class(current));
                    let reason = if blind { DoubtReason::BlindSpot } else { DoubtReason::SeveralSolutions };
                    doubts.push((i, alts, reason));
                }
            }
        }
    }

    // Country codes: a forced or doubtful code that one reading makes known.
    for field in [FieldId::IssuingState, FieldId::Nationality] {
        let Some(span) = layout.span(field) else { continue };
        let idx: Vec<usize> = grid.span_positions(span).collect();
        let current: String = idx.iter().map(|&i| char::from(grid.chosen.get(i).copied().unwrap_or(b'<'))).collect();
        let touched = idx.iter().any(|i| forced.contains(i));
        if is_known_country(&current) && !touched {
            continue;
        }
        let mut options: Vec<(f32, [u8; 3])> = Vec::new();
        let alts = |k: usize| idx.get(k).and_then(|&i| grid.pos.get(i)).map_or(&[][..], |p| p.alts.as_slice());
        for &(a, ca) in alts(0) {
            for &(b, cb) in alts(1) {
                for &(c, cc) in alts(2) {
                    let code = [a, b, c];
                    if std::str::from_utf8(&code).is_ok_and(is_known_country) {
                        options.push((ca + cb + cc, code));
                    }
                }
            }
        }
        options.sort_by(|x, y| x.0.total_cmp(&y.0));
        match options.as_slice() {
            [best, rest @ ..] if rest.first().is_none_or(|s| s.0 - best.0 >= TIE) => {
                for (k, &i) in idx.iter().enumerate() {
                    let ch = best.1.get(k).copied().unwrap_or(b'<');
                    if let Some(slot) = grid.chosen.get_mut(i)
                        && (*slot != ch || forced.contains(&i))
                    {
                        *slot = ch;
                        repairs_basis.push((i, RepairBasis::CountryTable));
                    }
                }
            }
            [_, ..] => {
                for &i in &idx {
                    if forced.contains(&i) {
                        let alts = options
                            .iter()
                            .filter_map(|o| o.1.get(idx.iter().position(|&j| j == i).unwrap_or(0)).copied())
                            .collect();
                        doubts.push((i, alts, DoubtReason::SeveralSolutions));
                    }
                }
            }
            [] => {}
        }
    }

    // Positions no check digit covers: forced mappings are unconfirmed repairs;
    // close OCR alternatives are doubts.
    let covered_by_check =
        |i: usize| groups.iter().chain(composite.iter()).any(|g| g.covered.contains(&i) || g.digit == i);
    for i in 0..grid.pos.len() {
        let (line, col) = (i / width, i % width);
        let in_country = [FieldId::IssuingState, FieldId::Nationality]
            .iter()
            .any(|f| layout.span(*f).is_some_and(|s| s.contains(line, col)));
        if covered_by_check(i) || in_country {
            continue;
        }
        let Some(p) = grid.pos.get(i) else { continue };
        let chosen = grid.chosen.get(i).copied().unwrap_or(b'<');
        if forced.contains(&i) {
            repairs_basis.push((i, RepairBasis::Alphabet));
        }
        let c0 = grid.base_cost(i, chosen);
        let close: Vec<u8> = p.alts.iter().filter(|a| a.0 != chosen && a.1 - c0 < TIE).map(|a| a.0).collect();
        if !close.is_empty() {
            doubts.push((i, close, DoubtReason::NoCheckDigit));
        }
    }
    // Blind spots: covered positions whose close alternative the digit cannot see.
    for g in groups.iter().chain(composite.iter()) {
        for &i in &g.covered {
            let Some(p) = grid.pos.get(i) else { continue };
            let chosen = grid.chosen.get(i).copied().unwrap_or(b'<');
            let c0 = grid.base_cost(i, chosen);
            let blind: Vec<u8> = p
                .alts
                .iter()
                .filter(|a| a.0 != chosen && a.1 - c0 < TIE && blind_class(a.0) == blind_class(chosen))
                .map(|a| a.0)
                .collect();
            if !blind.is_empty() && !doubts.iter().any(|d| d.0 == i) {
                doubts.push((i, blind, DoubtReason::BlindSpot));
            }
        }
    }

    // Report every changed position with what confirms it.
    let final_holds = |g: &Group| holds(g, |i| grid.chosen.get(i).copied().unwrap_or(b'<'));
    let mut repairs = Vec::new();
    for (i, p) in grid.pos.iter().enumerate() {
        let to = grid.chosen.get(i).copied().unwrap_or(b'<');
        if p.read == to {
            continue;
        }
        let explicit = repairs_basis.iter().find(|(j, _)| *j == i).map(|x| x.1);
        let group = groups.iter().find(|g| g.covered.contains(&i) || g.digit == i);
        let basis = match (explicit, group, &composite) {
            (Some(b), _, _) => b,
            (None, Some(g), _) if final_holds(g) => RepairBasis::CheckDigit,
            (None, None, Some(cg)) if (cg.covered.contains(&i) || cg.digit == i) && final_holds(cg) => {
                RepairBasis::Composite
            }
            _ => RepairBasis::Alphabet,
        };
        let (line, col) = (i / width, i % width);
        repairs.push(Repair {
            line: line + 1,
            column: col + 1,
            from: char::from(p.read),
            to: char::from(to),
            field: label_at(format, line, col, &number),
            basis,
        });
    }
    repairs.sort_by_key(|r| (r.line, r.column));
    let mut doubt_list: Vec<Doubt> = doubts
        .into_iter()
        .map(|(i, alts, reason)| {
            let (line, col) = (i / width, i % width);
            Doubt {
                line: line + 1,
                column: col + 1,
                read: char::from(grid.chosen.get(i).copied().unwrap_or(b'<')),
                alternatives: alts.into_iter().map(char::from).collect(),
                field: label_at(format, line, col, &number),
                reason,
            }
        })
        .collect();
    doubt_list.sort_by_key(|d| (d.line, d.column));
    doubt_list.dedup_by(|a, b| a.line == b.line && a.column == b.column);
    let lines =
        (0..count).map(|l| grid.chosen.iter().skip(l * width).take(width).map(|&b| char::from(b)).collect()).collect();
    let cost: f32 = grid.chosen.iter().enumerate().map(|(i, &c)| grid.base_cost(i, c)).sum();
    (Repaired { lines, repairs, doubts: doubt_list }, cost)
}

/// The format a shape suggests when the text does not parse.
fn shape_format(lines: usize, width: usize, first: &str) -> Option<Format> {
    let visa = first.starts_with('V');
    Some(match (lines, width, visa) {
        (3, 30, _) => Format::Td1,
        (2, 44, false) => Format::Td3,
        (2, 44, true) => Format::MrvA,
        (2, 36, _) if first.starts_with("IDFRA") => Format::FraId,
        (2, 36, false) => Format::Td2,
        (2, 36, true) => Format::MrvB,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let mut lines: Vec<Vec<Vec<Candidate>>> =
            TD3.lines().map(|l| l.bytes().map(|b| vec![Candidate { ch: b, score: 0.99 }]).collect()).collect();
        // Optional data position: '<' or 'K' with close scores; blind to the digit.
        lines[1][40] = vec![Candidate { ch: b'<', score: 0.55 }, Candidate { ch: b'K', score: 0.45 }];
        let r = repair_readings(&lines).unwrap();
        assert_eq!(r.text(), TD3);
        let d = r.doubts.iter().find(|d| d.column == 41).unwrap();
        assert_eq!(d.reason, DoubtReason::BlindSpot);
        assert_eq!(d.alternatives, vec!['K']);
    }

    #[test]
    fn shape_errors() {
        assert!(matches!(repair("P<UTO\nL89"), Err(ParseError::LineLength { .. }) | Err(ParseError::Shape { .. })));
        assert_eq!(repair(""), Err(ParseError::Empty));
    }
}
