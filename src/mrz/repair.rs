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

/// Up to this many confusions per character.
const MAX_CONFUSIONS: usize = 6;

/// `CONFUSIONS` indexed by byte, built at compile time.
static CONFUSION_TABLE: [[u8; MAX_CONFUSIONS]; 256] = build_confusions();

// Compile-time only: indices are byte values into a 256-entry table, and the
// per-character count is checked against its capacity.
#[allow(clippy::indexing_slicing, clippy::panic)]
const fn build_confusions() -> [[u8; MAX_CONFUSIONS]; 256] {
    let mut table = [[0u8; MAX_CONFUSIONS]; 256];
    let mut k = 0;
    while k < CONFUSIONS.len() {
        let (a, b) = CONFUSIONS[k];
        let mut pair = 0;
        while pair < 2 {
            let (from, to) = if pair == 0 { (a, b) } else { (b, a) };
            let row = &mut table[from as usize];
            let mut i = 0;
            while i < MAX_CONFUSIONS && row[i] != 0 {
                i += 1;
            }
            if i == MAX_CONFUSIONS {
                panic!("too many confusions for one character");
            }
            row[i] = to;
            pair += 1;
        }
        k += 1;
    }
    table
}

/// The characters `b` may be a misreading of.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::repair::confusions_of;
/// assert!(confusions_of(b'0').any(|c| c == b'O'));
/// assert!(confusions_of(b'K').any(|c| c == b'<'));
/// ```
pub fn confusions_of(b: u8) -> impl Iterator<Item = u8> {
    CONFUSION_TABLE.get(usize::from(b)).into_iter().flatten().copied().filter(|&c| c != 0)
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

/// Costs are in tenths of a nat (`-10 ln p`), as integers so that sums are
/// exact and ties are ties.
type Cost = u16;
/// Cost of a reading the text gives with no score (plain text).
const SURE: Cost = 0;
/// Cost of a confusion-table alternative in plain text, or of a forced mapping
/// into the field's alphabet.
const CONFUSION: Cost = 30;
/// Cost of any character at a position the text gives no usable reading for.
const WILD: Cost = 60;
/// What a check digit left refuted costs when formats are compared: as much as
/// one unread character.
const REFUTED_PENALTY: u32 = WILD as u32;
/// Two solutions closer than this in cost are a tie.
const TIE: Cost = 7;
/// The most a single substitution may cost beyond the character read: an
/// alternative at least 1/20 as likely as the reading (or a confusion-table
/// alternative in plain text). A character read clearly is never rewritten to
/// satisfy a check digit: an altered character printed cleanly is a forgery to
/// report, not an OCR error to repair, and with three candidates per position
/// some improbable alternative would satisfy a check digit one time in ten.
const MAX_MOVE: Cost = CONFUSION;
/// Maximum substitutions per check-digit group.
const MAX_CHANGES: usize = 2;
/// Alternatives kept per position (every digit and the filler fit).
const MAX_ALTS: usize = 12;
/// Most solutions kept per group for the joint search.
const MAX_SOLUTIONS: usize = 8;
/// Most substitutions in one joint assignment (4 groups of 2, plus one).
const MAX_JOINT: usize = 12;

fn cost_of(score: f32) -> Cost {
    if score.is_nan() || score <= 0.0 {
        return 200;
    }
    // -10 ln p in 0..=200; the clamp makes the narrowing exact.
    (-10.0 * score.min(1.0).ln()).round().clamp(0.0, 200.0) as Cost
}

/// One position: what was read and the alternatives, cheapest first; no heap.
///
/// Plain text starts `lazy`: only the character read is listed, and its
/// confusion-table alternatives are added ([`Pos::expand`]) only where they can
/// matter (a refuted check digit, a character its field cannot hold, an unknown
/// country code).
#[derive(Debug, Clone, Copy)]
struct Pos {
    read: u8,
    n: u8,
    lazy: bool,
    alts: [(u8, u8); MAX_ALTS],
}

impl Pos {
    const EMPTY: Pos = Pos { read: b'?', n: 0, lazy: false, alts: [(0, 0); MAX_ALTS] };

    /// Adds the confusion-table alternatives of a plain-text reading that the
    /// alphabet allows.
    fn expand(&mut self, alphabet: Alphabet) {
        if !self.lazy {
            return;
        }
        self.lazy = false;
        if let Some((b, _)) = self.first() {
            for x in confusions_of(b).filter(|&x| alphabet.allows(x)) {
                self.push(x, CONFUSION);
            }
        }
    }

    fn raw(&self) -> &[(u8, u8)] {
        self.alts.get(..usize::from(self.n)).unwrap_or(&[])
    }

    /// The alternatives with their costs, cheapest first.
    fn alts(&self) -> impl Iterator<Item = (u8, Cost)> + '_ {
        self.raw().iter().map(|&(c, k)| (c, Cost::from(k)))
    }

    fn first(&self) -> Option<(u8, Cost)> {
        self.alts().next()
    }

    /// Adds an alternative, keeping the cheaper cost of a repeated character.
    fn push(&mut self, ch: u8, cost: Cost) {
        let n = usize::from(self.n);
        let cost = u8::try_from(cost).unwrap_or(u8::MAX);
        if let Some(a) = self.alts.iter_mut().take(n).find(|a| a.0 == ch) {
            a.1 = a.1.min(cost);
        } else if let Some(slot) = self.alts.get_mut(n) {
            *slot = (ch, cost);
            self.n += 1;
        }
    }

    /// Stable insertion sort by cost (few elements, no allocation).
    fn sort(&mut self) {
        let n = usize::from(self.n);
        if let Some(s) = self.alts.get_mut(..n) {
            for i in 1..s.len() {
                let mut j = i;
                while j > 0 && s.get(j - 1).map(|a| a.1) > s.get(j).map(|a| a.1) {
                    s.swap(j - 1, j);
                    j -= 1;
                }
            }
        }
    }

    fn retain(&mut self, keep: impl Fn(u8) -> bool) {
        let mut w = 0;
        for r in 0..usize::from(self.n) {
            if let Some(a) = self.alts.get(r).copied()
                && keep(a.0)
            {
                if let Some(slot) = self.alts.get_mut(w) {
                    *slot = a;
                }
                w += 1;
            }
        }
        // w <= n <= MAX_ALTS.
        self.n = w as u8;
    }

    fn best(&self) -> u8 {
        self.first().map_or(self.read, |a| a.0)
    }

    fn cost(&self, ch: u8) -> Cost {
        self.alts().find(|a| a.0 == ch).map_or(WILD, |a| a.1)
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
            pos.push(text_pos(c));
        }
    }
    solve(pos, count, width)
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

/// The alternatives of a character read from plain text: the character
/// itself (lazy: confusions are added where they matter).
#[inline]
fn text_pos(c: char) -> Pos {
    let mut p = Pos::EMPTY;
    let Ok(b) = u8::try_from(c) else { return p };
    p.read = b;
    let up = b.to_ascii_uppercase();
    if is_mrz_char(up) {
        // A lowercase letter is read, but not for sure.
        let cost = if b.is_ascii_lowercase() { CONFUSION / 2 } else { SURE };
        p.alts[0] = (up, cost as u8);
        p.n = 1;
        p.lazy = true;
    }
    p
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
    pos.extend(lines.iter().flat_map(|l| l.as_ref().iter()).map(|cands| {
        let mut p = Pos::EMPTY;
        for c in cands.as_ref().iter().filter(|c| is_mrz_char(c.ch)) {
            p.push(c.ch, cost_of(c.score));
        }
        p.sort();
        p.read = p.first().map_or(b'?', |a| a.0);
        p
    }));
    solve(pos, count, width)
}

/// The alphabet of each position of a reading: [`alphabet_at`], except that the
/// document type (second character) may be a digit where the registry allows
/// it for the issuing state the reading spells.
fn alphabet_in(pos: &[Pos], format: Format, width: usize, i: usize) -> Alphabet {
    if i == 1 && digit_type_allowed(pos, format) {
        return Alphabet::AlphaNum;
    }
    alphabet_at(format, i / width, i % width)
}

fn digit_type_allowed(pos: &[Pos], format: Format) -> bool {
    let mut issuer = [b'<'; 3];
    for (k, slot) in issuer.iter_mut().enumerate() {
        *slot = pos.get(2 + k).map_or(b'<', |p| p.read);
    }
    std::str::from_utf8(&issuer).is_ok_and(|s| super::variants::document_type_digit(format, s).is_some())
}

/// Whether the layout of `format` allows character `ch` at `line`, `col`
/// (from 0): digits where a date or check digit stands, letters in names and
/// codes, either in document numbers and optional data. The document code's
/// letters are fixed by the format.
///
/// ```
/// use mrtd_verify::mrz::{Format, repair::allowed_at};
/// // TD3 line 2: document number (either), its check digit (digits only).
/// assert!(allowed_at(Format::Td3, 1, 0, b'O') && allowed_at(Format::Td3, 1, 0, b'0'));
/// assert!(!allowed_at(Format::Td3, 1, 9, b'O'));
/// // Names take letters and fillers only.
/// assert!(!allowed_at(Format::Td3, 0, 10, b'0'));
/// ```
pub fn allowed_at(format: Format, line: usize, col: usize, ch: u8) -> bool {
    alphabet_at(format, line, col).allows(ch)
}

/// The alphabet of each position, from the layout; the document code's letters
/// are fixed by the format. A table lookup: the map is built at compile time.
fn alphabet_at(format: Format, line: usize, col: usize) -> Alphabet {
    let code = ALPHABET_MAP
        .get(format_index(format))
        .and_then(|f| f.get(line))
        .and_then(|l| l.get(col))
        .copied()
        .unwrap_or(A_ALNUM);
    match code {
        A_ALPHA => Alphabet::Alpha,
        A_DIGITS => Alphabet::Digits,
        A_SEX => Alphabet::Sex,
        A_P => Alphabet::Set(b"P"),
        A_V => Alphabet::Set(b"V"),
        A_IAC => Alphabet::Set(b"IAC"),
        A_I => Alphabet::Set(b"I"),
        A_D => Alphabet::Set(b"D"),
        _ => Alphabet::AlphaNum,
    }
}

const A_ALNUM: u8 = 0;
const A_ALPHA: u8 = 1;
const A_DIGITS: u8 = 2;
const A_SEX: u8 = 3;
const A_P: u8 = 4;
const A_V: u8 = 5;
const A_IAC: u8 = 6;
const A_I: u8 = 7;
const A_D: u8 = 8;

const fn format_index(format: Format) -> usize {
    match format {
        Format::Td1 => 0,
        Format::Td2 => 1,
        Format::Td3 => 2,
        Format::MrvA => 3,
        Format::MrvB => 4,
        Format::FraId => 5,
    }
}

type AlphabetMap = [[[u8; 44]; 3]; 6];
static ALPHABET_MAP: AlphabetMap = build_alphabet_map();

// Compile-time only: every index is bounded by the layouts (lines <= 3,
// width <= 44), which the layout tests check.
#[allow(clippy::indexing_slicing)]
const fn build_alphabet_map() -> AlphabetMap {
    let mut map = [[[A_ALNUM; 44]; 3]; 6];
    let mut f = 0;
    while f < Format::ALL.len() {
        let format = Format::ALL[f];
        let layout = format.layout();
        let fi = format_index(format);
        let mut k = 0;
        while k < layout.fields.len() {
            let (field, span) = layout.fields[k];
            let code = match field.alphabet() {
                Alphabet::Alpha => A_ALPHA,
                Alphabet::Digits => A_DIGITS,
                Alphabet::Sex => A_SEX,
                Alphabet::AlphaNum | Alphabet::Set(_) => A_ALNUM,
            };
            let mut c = span.start as usize;
            while c < (span.start + span.len) as usize {
                map[fi][span.line as usize][c] = code;
                c += 1;
            }
            k += 1;
        }
        let mut k = 0;
        while k < layout.checks.len() {
            let d = layout.checks[k].digit;
            map[fi][d.line as usize][d.start as usize] = A_DIGITS;
            k += 1;
        }
        map[fi][0][0] = match format {
            Format::Td3 => A_P,
            Format::MrvA | Format::MrvB => A_V,
            Format::Td1 | Format::Td2 => A_IAC,
            Format::FraId => A_I,
        };
        if matches!(format, Format::FraId) {
            map[fi][0][1] = A_D;
        }

        f += 1;
    }
    map
}

/// Where the document number and its digit lie for this reading.
#[derive(Debug, Clone, Copy)]
struct NumberLayout {
    head: Span,
    tail: Option<Span>,
    digit: Span,
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

/// A check-digit group: covered positions in weight order, and the digit.
struct Group {
    covered: Vec<usize>,
    digit: usize,
    filler_ok: bool,
}

/// Up to `N` substitutions (position, character), without allocation.
#[derive(Debug, Clone, Copy)]
struct Changes<const N: usize> {
    n: u8,
    items: [(u16, u8); N],
}

impl<const N: usize> Changes<N> {
    const EMPTY: Self = Changes { n: 0, items: [(0, 0); N] };

    fn as_slice(&self) -> &[(u16, u8)] {
        self.items.get(..usize::from(self.n)).unwrap_or(&[])
    }

    fn push(&mut self, i: usize, ch: u8) -> bool {
        match (self.items.get_mut(usize::from(self.n)), u16::try_from(i)) {
            (Some(slot), Ok(i)) => {
                *slot = (i, ch);
                self.n += 1;
                true
            }
            _ => false,
        }
    }

    fn extend(&mut self, other: &[(u16, u8)]) -> bool {
        other.iter().all(|&(i, ch)| self.push(usize::from(i), ch))
    }

    fn get(&self, i: usize) -> Option<u8> {
        self.as_slice().iter().find(|c| usize::from(c.0) == i).map(|c| c.1)
    }
}

/// A solution for one group: its substitutions and their extra cost.
#[derive(Debug, Clone, Copy)]
struct Solution {
    changes: Changes<MAX_CHANGES>,
    cost: Cost,
}

/// One consistent assignment over all groups.
#[derive(Debug, Clone, Copy)]
struct Joint {
    cost: Cost,
    changes: Changes<MAX_JOINT>,
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

    fn at(&self, i: usize) -> u8 {
        self.chosen.get(i).copied().unwrap_or(b'<')
    }

    fn cost(&self, i: usize, ch: u8) -> Cost {
        self.pos.get(i).map_or(WILD, |p| p.cost(ch))
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

/// Substitutions of up to `MAX_CHANGES` positions of a group, in increasing
/// cost; every satisfying one found, cheapest first.
fn solve_group(grid: &Grid, g: &Group) -> Vec<Solution> {
    let mut moves: Vec<(usize, u8, Cost)> = Vec::new();
    for &i in g.covered.iter().chain(std::iter::once(&g.digit)) {
        let cur = grid.at(i);
        let base = grid.cost(i, cur);
        if let Some(p) = grid.pos.get(i) {
            for (ch, c) in p.alts() {
                let digit_ok = i != g.digit || ch.is_ascii_digit() || (g.filler_ok && ch == b'<');
                let extra = c.saturating_sub(base);
                if ch != cur && digit_ok && extra <= MAX_MOVE {
                    moves.push((i, ch, extra));
                }
            }
        }
    }
    let base_chars = |i: usize| grid.at(i);
    let mut out = Vec::new();
    if holds(g, base_chars) {
        out.push(Solution { changes: Changes::EMPTY, cost: 0 });
        // Only alternatives close to the reading can compete with it.
        moves.retain(|m| m.2 < TIE);
    }
    for (a, &(i, ch, c)) in moves.iter().enumerate() {
        if holds(g, |j| if j == i { ch } else { base_chars(j) }) {
            let mut changes = Changes::EMPTY;
            changes.push(i, ch);
            out.push(Solution { changes, cost: c });
        }
        if MAX_CHANGES < 2 {
            continue;
        }
        for &(i2, ch2, c2) in moves.iter().skip(a + 1) {
            if i2 == i {
                continue;
            }
            let read = |j: usize| {
                if j == i {
                    ch
                } else if j == i2 {
                    ch2
                } else {
                    base_chars(j)
                }
            };
            if holds(g, read) {
                let mut changes = Changes::EMPTY;
                changes.push(i, ch);
                changes.push(i2, ch2);
                out.push(Solution { changes, cost: c + c2 });
            }
        }
    }
    out.sort_by_key(|s| s.cost);
    out
}

/// Searches the combinations of group solutions (and single substitutions at
/// positions only the composite covers) that satisfy every check digit, and
/// returns the cheapest and every one within [`TIE`] of it, cheapest first.
fn joint_search(
    grid: &Grid,
    sols: &[Vec<Solution>],
    composite: Option<&Group>,
    moves: &[(usize, u8, Cost)],
) -> Vec<Joint> {
    if sols.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    let mut found: Vec<Joint> = Vec::new();
    let mut bound = Cost::MAX;
    let mut scratch = grid.chosen.clone();
    search(
        grid,
        sols,
        composite,
        moves,
        0,
        Joint { cost: 0, changes: Changes::EMPTY },
        &mut scratch,
        &mut found,
        &mut bound,
    );
    found.sort_by_key(|j| j.cost);
    let best = found.first().map_or(0, |f| f.cost);
    found.retain(|f| f.cost - best < TIE);
    found
}

#[allow(clippy::too_many_arguments)]
fn search(
    grid: &Grid,
    sols: &[Vec<Solution>],
    composite: Option<&Group>,
    moves: &[(usize, u8, Cost)],
    k: usize,
    at: Joint,
    scratch: &mut [u8],
    found: &mut Vec<Joint>,
    bound: &mut Cost,
) {
    if at.cost >= bound.saturating_add(TIE) {
        return;
    }
    fn record(j: Joint, found: &mut Vec<Joint>, bound: &mut Cost) {
        *bound = (*bound).min(j.cost);
        found.push(j);
    }
    if let Some(options) = sols.get(k) {
        for s in options.iter().take(MAX_SOLUTIONS) {
            let mut next = at;
            next.cost += s.cost;
            if next.changes.extend(s.changes.as_slice()) {
                search(grid, sols, composite, moves, k + 1, next, scratch, found, bound);
            }
        }
        return;
    }
    let Some(cg) = composite else {
        record(at, found, bound);
        return;
    };
    for &(i, ch) in at.changes.as_slice() {
        if let Some(slot) = scratch.get_mut(usize::from(i)) {
            *slot = ch;
        }
    }
    if holds(cg, |i| scratch.get(i).copied().unwrap_or(b'<')) {
        record(at, found, bound);
    }
    for &(i, ch, c) in moves {
        if at.cost + c >= bound.saturating_add(TIE) {
            continue;
        }
        if holds(cg, |j| if j == i { ch } else { scratch.get(j).copied().unwrap_or(b'<') }) {
            let mut with = at;
            with.cost += c;
            if with.changes.push(i, ch) {
                record(with, found, bound);
            }
        }
    }
    for &(i, _) in at.changes.as_slice() {
        let i = usize::from(i);
        if let Some(slot) = scratch.get_mut(i) {
            *slot = grid.at(i);
        }
    }
}

/// Solves a whole reading.
fn solve(pos: Vec<Pos>, count: usize, width: usize) -> Result<Repaired, ParseError> {
    let candidates = candidate_formats(&pos, count, width);
    if candidates.is_empty() {
        return Err(ParseError::Shape { lines: count, width });
    }

    // Fast path: a reading that is certain at every position, fits a format's
    // alphabets and satisfies every check digit needs nothing.
    let certain = pos.iter().all(|p| {
        let mut alts = p.alts();
        alts.next().is_some_and(|b| b.0 == p.read && alts.next().is_none_or(|second| second.1 >= b.1 + TIE))
    });
    if certain {
        let text: Vec<String> =
            (0..count).map(|l| pos.iter().skip(l * width).take(width).map(|p| char::from(p.read)).collect()).collect();
        let refs: Vec<&str> = text.iter().map(String::as_str).collect();
        for &format in &candidates {
            let fits = pos.iter().enumerate().all(|(i, p)| alphabet_in(&pos, format, width, i).allows(p.read));
            if fits && parse_as(format, &refs).is_ok_and(|m| m.check_digits_hold()) {
                return Ok(Repaired { lines: text, repairs: Vec::new(), doubts: Vec::new() });
            }
        }
    }

    // Every format the first characters could spell is tried; the most likely
    // reading wins: the cost of the characters chosen, plus a penalty for each
    // check digit left refuted (then the fewest doubts). A misread document code
    // cannot force the wrong layout, and a wrong layout cannot win by rewriting
    // many characters until its check digits happen to hold.
    if let [format] = candidates.as_slice() {
        return Ok(solve_as(pos, *format, width, count).0);
    }
    let mut best: Option<((u32, usize), Repaired)> = None;
    for format in candidates {
        let (r, cost) = solve_as(pos.clone(), format, width, count);
        let refs: Vec<&str> = r.lines.iter().map(String::as_str).collect();
        let refuted =
            parse_as(format, &refs).map_or(10, |m| m.check_digits().filter(|c| c.status.is_refuted()).count());
        let score = (cost + REFUTED_PENALTY * refuted as u32, r.doubts.len());
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, r));
        }
    }
    best.map(|(_, r)| r).ok_or(ParseError::Shape { lines: count, width })
}

/// The formats of this shape whose document code the reading's candidates can
/// spell.
fn candidate_formats(pos: &[Pos], count: usize, width: usize) -> Vec<Format> {
    // A document code letter within reach of the reading: an alternative no
    // less likely than [`MAX_MOVE`] allows, or a confusion of one. A clearly
    // read `P` does not make a visa (whose line 2 carries fewer check digits).
    let can = |col: usize, ch: u8| {
        pos.get(col).is_some_and(|p| {
            let base = p.first().map_or(0, |a| a.1);
            p.read == ch
                || p.alts()
                    .filter(|a| a.1.saturating_sub(base) <= MAX_MOVE)
                    .any(|a| a.0 == ch || confusions_of(a.0).any(|c| c == ch))
        })
    };
    let spells = |text: &[u8]| text.iter().enumerate().all(|(i, &c)| can(i, c));
    let mut out: Vec<Format> = Format::ALL
        .into_iter()
        .filter(|f| f.lines() == count && f.width() == width)
        .filter(|f| match f {
            Format::Td3 => can(0, b'P'),
            Format::MrvA | Format::MrvB => can(0, b'V'),
            Format::Td1 | Format::Td2 => can(0, b'I') || can(0, b'A') || can(0, b'C'),
            Format::FraId => spells(b"IDFRA"),
        })
        .collect();
    if out.is_empty() {
        // No document code readable at all: the shape alone decides.
        out.extend(shape_format(count, width));
    }
    out
}

/// The ICAO format a shape suggests.
fn shape_format(lines: usize, width: usize) -> Option<Format> {
    Some(match (lines, width) {
        (3, 30) => Format::Td1,
        (2, 44) => Format::Td3,
        (2, 36) => Format::Td2,
        _ => return None,
    })
}

/// Solves a reading as a given format; returns the result and the cost of the
/// characters chosen.
fn solve_as(mut pos: Vec<Pos>, format: Format, width: usize, count: usize) -> (Repaired, u32) {
    // Alphabet filtering; characters the field cannot hold are mapped through
    // the confusion table. A position with nothing usable in a digit field gets
    // every digit (a check digit may recover it); elsewhere no check digit can
    // single out a letter, so a filler stands in and the position is in doubt.
    let mut forced = vec![false; pos.len()];
    let mut unread: Vec<usize> = Vec::new();
    let digit_type = digit_type_allowed(&pos, format);
    for (i, p) in pos.iter_mut().enumerate() {
        let alphabet =
            if i == 1 && digit_type { Alphabet::AlphaNum } else { alphabet_at(format, i / width, i % width) };
        if let Some(f) = forced.get_mut(i) {
            *f = !alphabet.allows(p.read);
        }
        if p.lazy && p.alts().all(|a| alphabet.allows(a.0)) {
            continue;
        }
        if p.lazy {
            // Not in the alphabet: the confusions are the candidate mappings.
            let read = p.first().map_or(p.read, |a| a.0);
            let mut mapped = Pos { read: p.read, ..Pos::EMPTY };
            for x in confusions_of(read).filter(|&x| alphabet.allows(x)) {
                mapped.push(x, CONFUSION);
            }
            *p = mapped;
        }
        if p.alts().any(|a| alphabet.allows(a.0)) {
            p.retain(|c| alphabet.allows(c));
            continue;
        }
        let mut mapped = Pos { read: p.read, ..Pos::EMPTY };
        for (ch, c) in p.alts() {
            for x in confusions_of(ch).filter(|&x| alphabet.allows(x)) {
                mapped.push(x, c + CONFUSION);
            }
        }
        if mapped.n == 0 {
            if alphabet == Alphabet::Digits {
                for b in b"0123456789<" {
                    mapped.push(*b, WILD);
                }
            } else {
                let stand_in = [b'<', b'A', b'0', b'M'].into_iter().find(|&b| alphabet.allows(b)).unwrap_or(b'<');
                mapped.push(stand_in, WILD);
                unread.push(i);
            }
        }
        mapped.sort();
        *p = mapped;
    }
    let chosen: Vec<u8> = pos.iter().map(Pos::best).collect();
    let mut grid = Grid { width, pos, chosen };
    let layout = format.layout();

    // The document number's spans, from the forced-best reading.
    let text_of = |grid: &Grid| -> Vec<String> {
        (0..count).map(|l| grid.chosen.iter().skip(l * width).take(width).map(|&b| char::from(b)).collect()).collect()
    };
    let number = {
        let text = text_of(&grid);
        let refs: Vec<&str> = text.iter().map(String::as_str).collect();
        match parse_as(format, &refs) {
            Ok(m) => {
                let (head, tail, digit) = m.document_number_spans();
                NumberLayout { head, tail, digit }
            }
            Err(_) => {
                let head = layout.span(FieldId::DocumentNumber).unwrap_or(Span::new(0, 0, 0));
                let digit = layout.check(CheckId::DocumentNumber).map_or(head, |c| c.digit);
                NumberLayout { head, tail: None, digit }
            }
        }
    };

    // Check-digit groups, and which group each position belongs to.
    const NONE: u8 = u8::MAX;
    let issuer: String = layout
        .span(FieldId::IssuingState)
        .map(|s| grid.span_positions(s).map(|i| char::from(grid.at(i))).collect())
        .unwrap_or_default();
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
            (def.covers.iter().flat_map(|&s| grid.span_positions(s)).collect(), grid.idx(def.digit, 0))
        };
        let filler_ok = super::variants::filler_check(format, &issuer, def.id).is_some();
        let g = Group { covered, digit, filler_ok };
        if def.id == CheckId::Composite {
            composite = Some(g);
        } else {
            groups.push(g);
        }
    }
    let mut member = vec![NONE; grid.pos.len()];
    for (gi, g) in groups.iter().enumerate() {
        for &i in g.covered.iter().chain(std::iter::once(&g.digit)) {
            if let Some(m) = member.get_mut(i) {
                *m = gi as u8;
            }
        }
    }
    let mut in_composite = vec![false; grid.pos.len()];
    if let Some(cg) = &composite {
        for &i in cg.covered.iter().chain(std::iter::once(&cg.digit)) {
            if let Some(m) = in_composite.get_mut(i) {
                *m = true;
            }
        }
    }
    let member_of = |i: usize| member.get(i).copied().unwrap_or(NONE);

    // Plain text: open the alternatives where they can matter.
    let expand = |grid: &mut Grid, i: usize| {
        if let Some(p) = grid.pos.get_mut(i) {
            p.expand(alphabet_at(format, i / width, i % width));
        }
    };
    for g in &groups {
        if !holds(g, |i| grid.at(i)) {
            for &i in g.covered.iter().chain(std::iter::once(&g.digit)) {
                expand(&mut grid, i);
            }
        }
    }
    if let Some(cg) = &composite
        && !holds(cg, |i| grid.at(i))
    {
        for &i in cg.covered.iter().chain(std::iter::once(&cg.digit)) {
            if member_of(i) == NONE {
                expand(&mut grid, i);
            }
        }
    }
    for field in [FieldId::IssuingState, FieldId::Nationality] {
        if let Some(span) = layout.span(field) {
            let code: String = grid.span_positions(span).map(|i| char::from(grid.at(i))).collect();
            if !is_known_country(&code) {
                let idx: Vec<usize> = grid.span_positions(span).collect();
                for i in idx {
                    expand(&mut grid, i);
                }
            }
        }
    }

    let mut basis: Vec<(usize, RepairBasis)> = Vec::new();
    let mut doubts: Vec<(usize, Vec<u8>, DoubtReason)> = Vec::new();
    let solutions: Vec<Vec<Solution>> = groups.iter().map(|g| solve_group(&grid, g)).collect();
    for (g, s) in groups.iter().zip(&solutions) {
        if s.is_empty() {
            doubts.push((g.digit, Vec::new(), DoubtReason::Unrepairable));
        }
    }
    // Substitutions at positions only the composite covers.
    let mut composite_moves: Vec<(usize, u8, Cost)> = Vec::new();
    if let Some(cg) = &composite {
        for &i in cg.covered.iter().chain(std::iter::once(&cg.digit)) {
            if member_of(i) != NONE {
                continue;
            }
            let cur = grid.at(i);
            let base = grid.cost(i, cur);
            if let Some(p) = grid.pos.get(i) {
                for (ch, c) in p.alts() {
                    let extra = c.saturating_sub(base);
                    if ch != cur && (i != cg.digit || ch.is_ascii_digit()) && extra <= MAX_MOVE {
                        composite_moves.push((i, ch, extra));
                    }
                }
            }
        }
    }

    let joint = joint_search(&grid, &solutions, composite.as_ref(), &composite_moves);
    match joint.as_slice() {
        [] => {
            // Nothing satisfies every digit: apply each group's unique cheapest
            // fix (its own digit confirms it); the composite stays refuted.
            for sols in &solutions {
                if let [best, rest @ ..] = sols.as_slice() {
                    if rest.first().is_none_or(|s| s.cost - best.cost >= TIE) {
                        for &(i, ch) in best.changes.as_slice() {
                            let i = usize::from(i);
                            if let Some(slot) = grid.chosen.get_mut(i) {
                                *slot = ch;
                                basis.push((i, RepairBasis::CheckDigit));
                            }
                        }
                    } else {
                        for &(i, ch) in best.changes.as_slice() {
                            doubts.push((usize::from(i), vec![ch], DoubtReason::SeveralSolutions));
                        }
                    }
                }
            }
            if let Some(cg) = &composite
                && !groups.is_empty()
                && solutions.iter().all(|s| !s.is_empty())
            {
                doubts.push((cg.digit, Vec::new(), DoubtReason::Unrepairable));
            }
        }
        [_, ..] => {
            // Positions every tied solution sets the same way are settled; the
            // others stay as read, in doubt.
            let mut touched: Vec<usize> =
                joint.iter().flat_map(|j| j.changes.as_slice().iter().map(|c| usize::from(c.0))).collect();
            touched.sort_unstable();
            touched.dedup();
            for i in touched {
                let current = grid.at(i);
                let mut values = joint.iter().map(|j| j.changes.get(i).unwrap_or(current));
                let v0 = values.next().unwrap_or(current);
                if values.all(|v| v == v0) {
                    if let Some(slot) = grid.chosen.get_mut(i) {
                        *slot = v0;
                    }
                } else {
                    let mut alts: Vec<u8> =
                        joint.iter().map(|j| j.changes.get(i).unwrap_or(current)).filter(|&v| v != current).collect();
                    alts.sort_unstable();
                    alts.dedup();
                    let blind = alts.iter().all(|&a| blind_class(a) == blind_class(current));
                    doubts.push((i, alts, if blind { DoubtReason::BlindSpot } else { DoubtReason::SeveralSolutions }));
                }
            }
        }
    }

    // Country codes: a forced or unknown code that one reading makes known.
    for field in [FieldId::IssuingState, FieldId::Nationality] {
        let Some(span) = layout.span(field) else { continue };
        let idx: Vec<usize> = grid.span_positions(span).collect();
        let current: String = idx.iter().map(|&i| char::from(grid.at(i))).collect();
        let touched = idx.iter().any(|&i| forced.get(i).copied().unwrap_or(false));
        if is_known_country(&current) && !touched {
            continue;
        }
        // Each position's alternatives within reach of what was read there.
        let alts = |k: usize| -> Vec<(u8, u8)> {
            idx.get(k).and_then(|&i| grid.pos.get(i).map(|p| (p, p.cost(grid.at(i))))).map_or(
                Vec::new(),
                |(p, base)| {
                    p.raw().iter().copied().filter(|a| Cost::from(a.1).saturating_sub(base) <= MAX_MOVE).collect()
                },
            )
        };
        let mut options: Vec<(Cost, [u8; 3])> = Vec::new();
        let (a0, a1, a2) = (alts(0), alts(1), alts(2));
        for &(a, ca) in &a0 {
            for &(b, cb) in &a1 {
                for &(c, cc) in &a2 {
                    let code = [a, b, c];
                    if std::str::from_utf8(&code).is_ok_and(is_known_country) {
                        options.push((Cost::from(ca) + Cost::from(cb) + Cost::from(cc), code));
                    }
                }
            }
        }
        options.sort_by_key(|o| o.0);
        match options.as_slice() {
            [best, rest @ ..] if rest.first().is_none_or(|s| s.0 - best.0 >= TIE) => {
                for (&i, &ch) in idx.iter().zip(best.1.iter()) {
                    if let Some(slot) = grid.chosen.get_mut(i) {
                        *slot = ch;
                    }
                    basis.push((i, RepairBasis::CountryTable));
                }
            }
            [_, ..] => {
                for (k, &i) in idx.iter().enumerate() {
                    let alts: Vec<u8> =
                        options.iter().filter_map(|o| o.1.get(k).copied()).filter(|&c| c != grid.at(i)).collect();
                    if !alts.is_empty() {
                        doubts.push((i, alts, DoubtReason::SeveralSolutions));
                    }
                }
            }
            [] => {}
        }
    }

    // Positions no check digit covers: close OCR alternatives are doubts.
    let country_spans = [layout.span(FieldId::IssuingState), layout.span(FieldId::Nationality)];
    for (i, p) in grid.pos.iter().enumerate() {
        let chosen = grid.at(i);
        let c0 = p.cost(chosen);
        if !p.alts().any(|a| a.0 != chosen && a.1 < c0 + TIE) {
            continue;
        }
        let (line, col) = (i / width, i % width);
        let in_country = country_spans.iter().flatten().any(|s| s.contains(line, col));
        if member_of(i) != NONE || in_composite.get(i).copied().unwrap_or(false) || in_country {
            continue;
        }
        let close: Vec<u8> = p.alts().filter(|a| a.0 != chosen && a.1 < c0 + TIE).map(|a| a.0).collect();
        doubts.push((i, close, DoubtReason::NoCheckDigit));
    }
    // Blind spots: covered positions whose close alternative no digit can see.
    for g in groups.iter().chain(composite.iter()) {
        for &i in &g.covered {
            let Some(p) = grid.pos.get(i) else { continue };
            let chosen = grid.at(i);
            let c0 = p.cost(chosen);
            let blind: Vec<u8> = p
                .alts()
                .filter(|a| a.0 != chosen && a.1 < c0 + TIE && blind_class(a.0) == blind_class(chosen))
                .map(|a| a.0)
                .collect();
            if !blind.is_empty() && !doubts.iter().any(|d| d.0 == i) {
                doubts.push((i, blind, DoubtReason::BlindSpot));
            }
        }
    }

    for i in unread {
        if !doubts.iter().any(|d| d.0 == i) {
            doubts.push((i, Vec::new(), DoubtReason::Unrepairable));
        }
    }

    // Every changed position, with what confirms it.
    let group_holds = |g: &Group| holds(g, |i| grid.at(i));
    let holds_by_group: Vec<bool> = groups.iter().map(group_holds).collect();
    let composite_holds = composite.as_ref().is_some_and(group_holds);
    let mut repairs = Vec::new();
    for (i, p) in grid.pos.iter().enumerate() {
        let to = grid.at(i);
        if p.read == to {
            continue;
        }
        let m = member_of(i);
        let b = match basis.iter().find(|(j, _)| *j == i) {
            Some(&(_, b)) => b,
            None if m != NONE && holds_by_group.get(usize::from(m)).copied().unwrap_or(false) => {
                RepairBasis::CheckDigit
            }
            None if m == NONE && in_composite.get(i).copied().unwrap_or(false) && composite_holds => {
                RepairBasis::Composite
            }
            None => RepairBasis::Alphabet,
        };
        let (line, col) = (i / width, i % width);
        repairs.push(Repair {
            line: line + 1,
            column: col + 1,
            from: char::from(p.read),
            to: char::from(to),
            field: label_at(format, line, col, &number),
            basis: b,
        });
    }
    let mut doubt_list: Vec<Doubt> = doubts
        .into_iter()
        .map(|(i, alts, reason)| {
            let (line, col) = (i / width, i % width);
            Doubt {
                line: line + 1,
                column: col + 1,
                read: char::from(grid.at(i)),
                alternatives: alts.into_iter().map(char::from).collect(),
                field: label_at(format, line, col, &number),
                reason,
            }
        })
        .collect();
    doubt_list.sort_by_key(|d| (d.line, d.column));
    doubt_list.dedup_by(|a, b| a.line == b.line && a.column == b.column);
    let cost: u32 = grid.chosen.iter().enumerate().map(|(i, &c)| u32::from(grid.cost(i, c))).sum();
    (Repaired { lines: text_of(&grid), repairs, doubts: doubt_list }, cost)
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

    /// Candidates: every character as `text` gives it (0.99), with `alt` as a
    /// second candidate at `score` at (line, column).
    fn clear_reading(text: &str, at: (usize, usize), alt: u8, score: f32) -> Vec<Vec<Vec<Candidate>>> {
        let mut lines: Vec<Vec<Vec<Candidate>>> =
            text.lines().map(|l| l.bytes().map(|b| vec![Candidate { ch: b, score: 0.99 }]).collect()).collect();
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
    fn shape_errors() {
        assert!(matches!(repair("P<UTO\nL89"), Err(ParseError::LineLength { .. }) | Err(ParseError::Shape { .. })));
        assert_eq!(repair(""), Err(ParseError::Empty));
    }
}
