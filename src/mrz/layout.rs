//! Where each field and check digit stands, per format, as data.
//!
//! Positions follow Doc 9303 (Part 4 for TD3, Part 5 for TD1, Part 6 for TD2,
//! Part 7 for MRV-A and MRV-B) and, for the French national identity card of
//! 1988-2021, the layout of the French decree as documented in the variant
//! registry ([`crate::mrz::variants`]). Spans here are 0-based and half-open; the
//! standard's positions are 1-based.

use std::fmt;

/// An MRZ format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// ID card, 3 lines of 30 (Doc 9303 Part 5).
    Td1,
    /// ID card or official travel document, 2 lines of 36 (Part 6).
    Td2,
    /// Passport, 2 lines of 44 (Part 4).
    Td3,
    /// Visa, format A, 2 lines of 44 (Part 7).
    MrvA,
    /// Visa, format B, 2 lines of 36 (Part 7).
    MrvB,
    /// French national identity card issued 1988-2021, 2 lines of 36 starting
    /// `IDFRA` (a national format, not Doc 9303).
    FraId,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 6] = [Format::Td1, Format::Td2, Format::Td3, Format::MrvA, Format::MrvB, Format::FraId];

    /// The name used in reports: `TD1`, `TD2`, `TD3`, `MRVA`, `MRVB`, `FRA_ID`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(mrtd_verify::mrz::Format::MrvA.name(), "MRVA");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Format::Td1 => "TD1",
            Format::Td2 => "TD2",
            Format::Td3 => "TD3",
            Format::MrvA => "MRVA",
            Format::MrvB => "MRVB",
            Format::FraId => "FRA_ID",
        }
    }

    /// Parses a report name back (`TD1`, ..., `FRA_ID`).
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::Format;
    /// assert_eq!(Format::from_name("FRA_ID"), Some(Format::FraId));
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Number of lines.
    pub const fn lines(self) -> usize {
        self.layout().lines as usize
    }

    /// Characters per line.
    pub const fn width(self) -> usize {
        self.layout().width as usize
    }

    /// Whether the format is an ICAO Doc 9303 format (as opposed to a national one).
    pub const fn is_icao(self) -> bool {
        !matches!(self, Format::FraId)
    }

    /// The position of the format in [`Format::ALL`].
    pub(crate) const fn index(self) -> usize {
        match self {
            Format::Td1 => 0,
            Format::Td2 => 1,
            Format::Td3 => 2,
            Format::MrvA => 3,
            Format::MrvB => 4,
            Format::FraId => 5,
        }
    }

    pub(crate) const fn layout(self) -> &'static Layout {
        match self {
            Format::Td1 => &TD1,
            Format::Td2 => &TD2,
            Format::Td3 => &TD3,
            Format::MrvA => &MRVA,
            Format::MrvB => &MRVB,
            Format::FraId => &FRA_ID,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A data field of the MRZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FieldId {
    /// Document code (`P<`, `ID`, `V<`...).
    DocumentCode,
    /// Issuing state or organisation.
    IssuingState,
    /// Document number.
    DocumentNumber,
    /// Nationality.
    Nationality,
    /// Date of birth.
    BirthDate,
    /// Sex.
    Sex,
    /// Date of expiry (valid-until date on visas).
    ExpiryDate,
    /// The whole name field: primary identifier, `<<`, secondary identifier.
    Name,
    /// Surname alone, where the format has a field of its own for it (French ID).
    Surname,
    /// Given names alone, where the format has a field of its own (French ID).
    GivenNames,
    /// Optional data (personal number on TD3; line 1 optional data on TD1;
    /// department and office of issue on the French ID).
    OptionalData,
    /// Second optional data field (TD1 line 2).
    OptionalData2,
}

impl FieldId {
    /// The snake_case name used in reports.
    pub const fn name(self) -> &'static str {
        match self {
            FieldId::DocumentCode => "document_code",
            FieldId::IssuingState => "issuing_state",
            FieldId::DocumentNumber => "document_number",
            FieldId::Nationality => "nationality",
            FieldId::BirthDate => "birth_date",
            FieldId::Sex => "sex",
            FieldId::ExpiryDate => "expiry_date",
            FieldId::Name => "name",
            FieldId::Surname => "surname",
            FieldId::GivenNames => "given_names",
            FieldId::OptionalData => "optional_data",
            FieldId::OptionalData2 => "optional_data_2",
        }
    }

    /// The characters the field may hold (besides where fillers may stand).
    pub(crate) const fn alphabet(self) -> Alphabet {
        match self {
            FieldId::DocumentCode
            | FieldId::IssuingState
            | FieldId::Nationality
            | FieldId::Name
            | FieldId::Surname
            | FieldId::GivenNames => Alphabet::Alpha,
            FieldId::BirthDate | FieldId::ExpiryDate => Alphabet::Digits,
            FieldId::Sex => Alphabet::Sex,
            FieldId::DocumentNumber | FieldId::OptionalData | FieldId::OptionalData2 => Alphabet::AlphaNum,
        }
    }
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A check digit of the MRZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CheckId {
    /// Over the document number.
    DocumentNumber,
    /// Over the date of birth.
    BirthDate,
    /// Over the date of expiry.
    ExpiryDate,
    /// Over the optional data (TD3 personal number).
    OptionalData,
    /// The composite check digit over several fields.
    Composite,
}

impl CheckId {
    /// Every check digit kind, in report order.
    pub const ALL: [CheckId; 5] =
        [CheckId::DocumentNumber, CheckId::BirthDate, CheckId::ExpiryDate, CheckId::OptionalData, CheckId::Composite];

    /// The snake_case name used in reports.
    pub const fn name(self) -> &'static str {
        match self {
            CheckId::DocumentNumber => "document_number",
            CheckId::BirthDate => "birth_date",
            CheckId::ExpiryDate => "expiry_date",
            CheckId::OptionalData => "optional_data",
            CheckId::Composite => "composite",
        }
    }

    pub(crate) const fn index(self) -> usize {
        match self {
            CheckId::DocumentNumber => 0,
            CheckId::BirthDate => 1,
            CheckId::ExpiryDate => 2,
            CheckId::OptionalData => 3,
            CheckId::Composite => 4,
        }
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which characters a field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alphabet {
    /// Letters and fillers.
    Alpha,
    /// Digits (fillers only where a rule allows them, e.g. unknown date parts).
    Digits,
    /// Letters, digits and fillers.
    AlphaNum,
    /// `M`, `F`, `X` or `<`.
    Sex,
    /// `M`, `F`, `X`, `<` or the character an issuer's registered deviation
    /// prints ([`crate::mrz::variants::Deviation::SexCharacter`]).
    SexOr(u8),
    /// Exactly these characters.
    Set(&'static [u8]),
}

impl Alphabet {
    pub(crate) const fn allows(self, b: u8) -> bool {
        match self {
            Alphabet::Alpha => b.is_ascii_uppercase() || b == b'<',
            Alphabet::Digits => b.is_ascii_digit() || b == b'<',
            Alphabet::AlphaNum => b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<',
            Alphabet::Sex => matches!(b, b'M' | b'F' | b'X' | b'<'),
            Alphabet::SexOr(extra) => matches!(b, b'M' | b'F' | b'X' | b'<') || b == extra,
            Alphabet::Set(set) => {
                let mut rest = set;
                while let [c, tail @ ..] = rest {
                    if *c == b {
                        return true;
                    }
                    rest = tail;
                }
                false
            }
        }
    }
}

/// Whether the layout of `format` allows character `ch` at `line`, `col`
/// (from 0): digits where a date or check digit stands, letters in names and
/// codes, either in document numbers and optional data. The document code's
/// letters are fixed by the format.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{Format, allowed_at};
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
pub(crate) fn alphabet_at(format: Format, line: usize, col: usize) -> Alphabet {
    let code =
        ALPHABET_MAP.get(format.index()).and_then(|f| f.get(line)).and_then(|l| l.get(col)).copied().unwrap_or(A_ALNUM);
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

// Codes of the alphabets in `ALPHABET_MAP`, one byte per position.
const A_ALNUM: u8 = 0;
const A_ALPHA: u8 = 1;
const A_DIGITS: u8 = 2;
const A_SEX: u8 = 3;
const A_P: u8 = 4;
const A_V: u8 = 5;
const A_IAC: u8 = 6;
const A_I: u8 = 7;
const A_D: u8 = 8;

/// The alphabet code of every position of every format: format, line, column.
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
        let fi = format.index();
        let mut k = 0;
        while k < layout.fields.len() {
            let (field, span) = layout.fields[k];
            let code = match field.alphabet() {
                Alphabet::Alpha => A_ALPHA,
                Alphabet::Digits => A_DIGITS,
                Alphabet::Sex | Alphabet::SexOr(_) => A_SEX,
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

/// A run of characters on one line: 0-based line, 0-based start, length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// Line index, from 0.
    pub line: u8,
    /// First column, from 0.
    pub start: u8,
    /// Number of characters.
    pub len: u8,
}

impl Span {
    pub(crate) const fn new(line: u8, start: u8, len: u8) -> Span {
        Span { line, start, len }
    }

    /// One past the last column.
    pub const fn end(self) -> u8 {
        self.start + self.len
    }

    /// The 1-based position of the first character, as Doc 9303 numbers them.
    pub const fn position(self) -> u8 {
        self.start + 1
    }

    pub(crate) fn range(self) -> std::ops::Range<usize> {
        usize::from(self.start)..usize::from(self.end())
    }

    pub(crate) fn contains(self, line: usize, col: usize) -> bool {
        usize::from(self.line) == line && self.range().contains(&col)
    }
}

/// A check digit: where it is and which spans it covers, in order.
#[derive(Debug)]
pub(crate) struct CheckDef {
    pub(crate) id: CheckId,
    pub(crate) digit: Span,
    pub(crate) covers: &'static [Span],
}

/// The layout of one format.
#[derive(Debug)]
pub(crate) struct Layout {
    pub(crate) lines: u8,
    pub(crate) width: u8,
    pub(crate) fields: &'static [(FieldId, Span)],
    pub(crate) checks: &'static [CheckDef],
}

impl Layout {
    pub(crate) fn span(&self, id: FieldId) -> Option<Span> {
        self.fields.iter().find(|(f, _)| *f == id).map(|&(_, s)| s)
    }

    pub(crate) fn check(&self, id: CheckId) -> Option<&CheckDef> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// The field a column belongs to, if any.
    pub(crate) fn field_at(&self, line: usize, col: usize) -> Option<FieldId> {
        self.fields.iter().find(|(_, s)| s.contains(line, col)).map(|&(f, _)| f)
    }

    /// The check digit standing at a column, if any.
    pub(crate) fn check_at(&self, line: usize, col: usize) -> Option<CheckId> {
        self.checks.iter().find(|c| c.digit.contains(line, col)).map(|c| c.id)
    }
}

const fn s(line: u8, start: u8, len: u8) -> Span {
    Span::new(line, start, len)
}

// TD3 (Doc 9303 Part 4, section 4.2.2).
const TD3: Layout = Layout {
    lines: 2,
    width: 44,
    fields: &[
        (FieldId::DocumentCode, s(0, 0, 2)),
        (FieldId::IssuingState, s(0, 2, 3)),
        (FieldId::Name, s(0, 5, 39)),
        (FieldId::DocumentNumber, s(1, 0, 9)),
        (FieldId::Nationality, s(1, 10, 3)),
        (FieldId::BirthDate, s(1, 13, 6)),
        (FieldId::Sex, s(1, 20, 1)),
        (FieldId::ExpiryDate, s(1, 21, 6)),
        (FieldId::OptionalData, s(1, 28, 14)),
    ],
    checks: &[
        CheckDef { id: CheckId::DocumentNumber, digit: s(1, 9, 1), covers: &[s(1, 0, 9)] },
        CheckDef { id: CheckId::BirthDate, digit: s(1, 19, 1), covers: &[s(1, 13, 6)] },
        CheckDef { id: CheckId::ExpiryDate, digit: s(1, 27, 1), covers: &[s(1, 21, 6)] },
        CheckDef { id: CheckId::OptionalData, digit: s(1, 42, 1), covers: &[s(1, 28, 14)] },
        CheckDef { id: CheckId::Composite, digit: s(1, 43, 1), covers: &[s(1, 0, 10), s(1, 13, 7), s(1, 21, 22)] },
    ],
};

// TD2 (Part 6, section 4.2.2).
const TD2: Layout = Layout {
    lines: 2,
    width: 36,
    fields: &[
        (FieldId::DocumentCode, s(0, 0, 2)),
        (FieldId::IssuingState, s(0, 2, 3)),
        (FieldId::Name, s(0, 5, 31)),
        (FieldId::DocumentNumber, s(1, 0, 9)),
        (FieldId::Nationality, s(1, 10, 3)),
        (FieldId::BirthDate, s(1, 13, 6)),
        (FieldId::Sex, s(1, 20, 1)),
        (FieldId::ExpiryDate, s(1, 21, 6)),
        (FieldId::OptionalData, s(1, 28, 7)),
    ],
    checks: &[
        CheckDef { id: CheckId::DocumentNumber, digit: s(1, 9, 1), covers: &[s(1, 0, 9)] },
        CheckDef { id: CheckId::BirthDate, digit: s(1, 19, 1), covers: &[s(1, 13, 6)] },
        CheckDef { id: CheckId::ExpiryDate, digit: s(1, 27, 1), covers: &[s(1, 21, 6)] },
        CheckDef { id: CheckId::Composite, digit: s(1, 35, 1), covers: &[s(1, 0, 10), s(1, 13, 7), s(1, 21, 14)] },
    ],
};

// TD1 (Part 5, section 4.2.2).
const TD1: Layout = Layout {
    lines: 3,
    width: 30,
    fields: &[
        (FieldId::DocumentCode, s(0, 0, 2)),
        (FieldId::IssuingState, s(0, 2, 3)),
        (FieldId::DocumentNumber, s(0, 5, 9)),
        (FieldId::OptionalData, s(0, 15, 15)),
        (FieldId::BirthDate, s(1, 0, 6)),
        (FieldId::Sex, s(1, 7, 1)),
        (FieldId::ExpiryDate, s(1, 8, 6)),
        (FieldId::Nationality, s(1, 15, 3)),
        (FieldId::OptionalData2, s(1, 18, 11)),
        (FieldId::Name, s(2, 0, 30)),
    ],
    checks: &[
        CheckDef { id: CheckId::DocumentNumber, digit: s(0, 14, 1), covers: &[s(0, 5, 9)] },
        CheckDef { id: CheckId::BirthDate, digit: s(1, 6, 1), covers: &[s(1, 0, 6)] },
        CheckDef { id: CheckId::ExpiryDate, digit: s(1, 14, 1), covers: &[s(1, 8, 6)] },
        CheckDef {
            id: CheckId::Composite,
            digit: s(1, 29, 1),
            covers: &[s(0, 5, 25), s(1, 0, 7), s(1, 8, 7), s(1, 18, 11)],
        },
    ],
};

// MRV-A (Part 7, section 4.2.2): no composite, no optional-data check digit.
const MRVA: Layout = Layout {
    lines: 2,
    width: 44,
    fields: &[
        (FieldId::DocumentCode, s(0, 0, 2)),
        (FieldId::IssuingState, s(0, 2, 3)),
        (FieldId::Name, s(0, 5, 39)),
        (FieldId::DocumentNumber, s(1, 0, 9)),
        (FieldId::Nationality, s(1, 10, 3)),
        (FieldId::BirthDate, s(1, 13, 6)),
        (FieldId::Sex, s(1, 20, 1)),
        (FieldId::ExpiryDate, s(1, 21, 6)),
        (FieldId::OptionalData, s(1, 28, 16)),
    ],
    checks: &[
        CheckDef { id: CheckId::DocumentNumber, digit: s(1, 9, 1), covers: &[s(1, 0, 9)] },
        CheckDef { id: CheckId::BirthDate, digit: s(1, 19, 1), covers: &[s(1, 13, 6)] },
        CheckDef { id: CheckId::ExpiryDate, digit: s(1, 27, 1), covers: &[s(1, 21, 6)] },
    ],
};

// MRV-B (Part 7, section 4.2.2).
const MRVB: Layout = Layout {
    lines: 2,
    width: 36,
    fields: &[
        (FieldId::DocumentCode, s(0, 0, 2)),
        (FieldId::IssuingState, s(0, 2, 3)),
        (FieldId::Name, s(0, 5, 31)),
        (FieldId::DocumentNumber, s(1, 0, 9)),
        (FieldId::Nationality, s(1, 10, 3)),
        (FieldId::BirthDate, s(1, 13, 6)),
        (FieldId::Sex, s(1, 20, 1)),
        (FieldId::ExpiryDate, s(1, 21, 6)),
        (FieldId::OptionalData, s(1, 28, 8)),
    ],
    checks: &[
        CheckDef { id: CheckId::DocumentNumber, digit: s(1, 9, 1), covers: &[s(1, 0, 9)] },
        CheckDef { id: CheckId::BirthDate, digit: s(1, 19, 1), covers: &[s(1, 13, 6)] },
        CheckDef { id: CheckId::ExpiryDate, digit: s(1, 27, 1), covers: &[s(1, 21, 6)] },
    ],
};

// French national identity card, 1988-2021 (registry entry `FRA_CNI_1988`).
// Line 1: 1-2 `ID`, 3-5 `FRA`, 6-30 surname, 31-36 department and office of issue.
// Line 2: 1-12 card number, 13 check, 14-27 given names, 28-33 birth, 34 check,
// 35 sex, 36 composite over line 1 and line 2 positions 1-35.
const FRA_ID: Layout = Layout {
    lines: 2,
    width: 36,
    fields: &[
        (FieldId::DocumentCode, s(0, 0, 2)),
        (FieldId::IssuingState, s(0, 2, 3)),
        (FieldId::Surname, s(0, 5, 25)),
        (FieldId::OptionalData, s(0, 30, 6)),
        (FieldId::DocumentNumber, s(1, 0, 12)),
        (FieldId::GivenNames, s(1, 13, 14)),
        (FieldId::BirthDate, s(1, 27, 6)),
        (FieldId::Sex, s(1, 34, 1)),
    ],
    checks: &[
        CheckDef { id: CheckId::DocumentNumber, digit: s(1, 12, 1), covers: &[s(1, 0, 12)] },
        CheckDef { id: CheckId::BirthDate, digit: s(1, 33, 1), covers: &[s(1, 27, 6)] },
        CheckDef { id: CheckId::Composite, digit: s(1, 35, 1), covers: &[s(0, 0, 36), s(1, 0, 35)] },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column of every line is a field, a check digit or a documented
    /// unused filler position, and nothing overlaps.
    #[test]
    fn layouts_tile_the_lines() {
        for format in Format::ALL {
            let l = format.layout();
            for line in 0..usize::from(l.lines) {
                for col in 0..usize::from(l.width) {
                    let fields = l.fields.iter().filter(|(_, s)| s.contains(line, col)).count();
                    let checks = l.checks.iter().filter(|c| c.digit.contains(line, col)).count();
                    // TD1 line 1 position 15 is the document number check digit;
                    // unused: TD1 has none; every format is fully covered.
                    assert_eq!(fields + checks, 1, "{format} line {line} col {col}");
                }
            }
            for c in l.checks {
                for s in c.covers {
                    assert!(s.end() <= l.width && s.line < l.lines, "{format} {:?}", c.id);
                }
            }
        }
    }

    #[test]
    fn alphabets_follow_the_layout() {
        for (i, f) in Format::ALL.into_iter().enumerate() {
            assert_eq!(f.index(), i, "{f}");
        }
        // TD1: document number either, its digit digits, line 3 the name.
        assert_eq!(alphabet_at(Format::Td1, 0, 5), Alphabet::AlphaNum);
        assert_eq!(alphabet_at(Format::Td1, 0, 14), Alphabet::Digits);
        assert_eq!(alphabet_at(Format::Td1, 2, 0), Alphabet::Alpha);
        assert_eq!(alphabet_at(Format::Td1, 1, 7), Alphabet::Sex);
        assert_eq!(alphabet_at(Format::FraId, 0, 1), Alphabet::Set(b"D"));
        // Outside the lines: anything an MRZ holds.
        assert_eq!(alphabet_at(Format::Td3, 5, 50), Alphabet::AlphaNum);
    }

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::Td3.lines(), 2);
        assert_eq!(Format::Td1.width(), 30);
    }
}
