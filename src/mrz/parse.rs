//! Text to [`Mrz`]: line splitting, format detection, field views, check digits.
//!
//! Parsing borrows from the input: a [`Mrz`] holds `&str` views of its lines and
//! computes every field and check digit from the layout tables without
//! allocating. Whatever surrounds the MRZ (leading and trailing whitespace, CR/LF,
//! blank lines) is tolerated; the MRZ characters themselves are never changed: a
//! lowercase letter or a space inside a line is an error with its position.

use super::checksum::{accumulate, is_mrz_char};
use super::layout::{CheckId, FieldId, Format, Span};
use super::variants::{self, VariantSet};

/// Why a text is not an MRZ. Positions are 1-based, within the document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// No line with any character.
    #[error("no MRZ text")]
    Empty,
    /// Not 2 or 3 lines.
    #[error("{found} lines: an MRZ has 2 or 3")]
    LineCount {
        /// Lines found.
        found: usize,
    },
    /// A line whose length fits no format, or differs from line 1.
    #[error("line {line} has {found} characters, expected {expected}")]
    LineLength {
        /// The line, from 1.
        line: usize,
        /// Its length in characters.
        found: usize,
        /// The length expected.
        expected: usize,
    },
    /// Lines of a length and number no format has.
    #[error("{lines} lines of {width} characters match no MRZ format")]
    Shape {
        /// Number of lines.
        lines: usize,
        /// Characters per line.
        width: usize,
    },
    /// One line as long as a whole MRZ: its lines were joined.
    #[error(
        "one line of {found} characters: it looks like {lines} lines of {width} joined; \
         put a line break after every {width} characters"
    )]
    JoinedLines {
        /// The line's length.
        found: usize,
        /// The lines it would make.
        lines: usize,
        /// Their width.
        width: usize,
    },
    /// More lines than an MRZ has, of one MRZ width: several documents with
    /// no blank line between them.
    #[error(
        "{found} lines of {width} characters: it looks like {documents} documents with no blank line between \
         them; separate documents with a blank line"
    )]
    MissingBlankLine {
        /// Lines found.
        found: usize,
        /// Their width.
        width: usize,
        /// The documents they would make.
        documents: usize,
    },
    /// The lines form an MRZ whose check digits hold only in another order.
    #[error("the lines are in the wrong order: as {order} every check digit holds; put them in that order")]
    LinesOutOfOrder {
        /// The order that holds, as 1-based line numbers of the input (`2, 1`).
        order: String,
    },
    /// A character outside `A`-`Z`, `0`-`9`, `<`.
    #[error("line {line}, column {column}: {found:?} is not an MRZ character{hint}")]
    IllegalCharacter {
        /// The line, from 1.
        line: usize,
        /// The column, from 1 (in characters).
        column: usize,
        /// The character found.
        found: char,
        /// A hint for common cases (lowercase, space).
        hint: &'static str,
    },
}

impl ParseError {
    /// The 1-based line and column the error points at, when it points at one.
    pub fn position(&self) -> Option<(usize, usize)> {
        match *self {
            ParseError::IllegalCharacter { line, column, .. } => Some((line, column)),
            ParseError::LineLength { line, .. } => Some((line, 1)),
            _ => None,
        }
    }
}

/// The status of one check digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckStatus {
    /// The printed digit equals the computed one.
    Verified,
    /// The printed character is not the computed digit.
    Refuted {
        /// The character printed (may be a letter or `<` in a damaged MRZ).
        found: u8,
        /// The digit computed from the covered data, `0`-`9`.
        expected: u8,
    },
    /// A filler stands where the standard, or a registered variant, allows the
    /// digit to be left out.
    NotPrinted,
}

impl CheckStatus {
    /// The report name: `verified`, `refuted`, `not_printed`.
    pub const fn name(self) -> &'static str {
        match self {
            CheckStatus::Verified => "verified",
            CheckStatus::Refuted { .. } => "refuted",
            CheckStatus::NotPrinted => "not_printed",
        }
    }

    /// Whether the digit is refuted.
    pub const fn is_refuted(self) -> bool {
        matches!(self, CheckStatus::Refuted { .. })
    }
}

/// One check digit of a parsed MRZ: which one, where it stands, its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckDigit {
    /// Which check digit.
    pub id: CheckId,
    /// Where the digit stands.
    pub span: Span,
    /// What it says about the data it covers.
    pub status: CheckStatus,
}

/// Where the document number lies: the principal part, and for long numbers the
/// continuation in the optional data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NumberSpans {
    pub(super) head: Span,
    pub(super) tail: Option<Span>,
    pub(super) digit: Span,
}

/// A parsed MRZ, borrowing its text.
///
/// Every field is a view into the input; nothing is allocated. Parse with
/// [`parse`]; judge the field rules with [`Mrz::validate`]; keep an owned copy
/// with [`Mrz::to_data`].
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{self, CheckId, CheckStatus, Format};
/// let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///             L898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// let m = mrz::parse(text)?;
/// assert_eq!(m.format(), Format::Td3);
/// assert_eq!(m.document_number().to_string(), "L898902C3");
/// assert_eq!(m.name().surname(), "ERIKSSON");
/// assert_eq!(m.name().given_names(), "ANNA MARIA");
/// assert_eq!(m.check(CheckId::Composite).unwrap().status, CheckStatus::Verified);
/// # Ok::<(), mrz::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mrz<'a> {
    format: Format,
    lines: [&'a str; 3],
    pub(super) number: NumberSpans,
    checks: [Option<CheckDigit>; 5],
    variants: VariantSet,
}

/// Splits text into its non-blank lines, trimmed, without allocating. Returns the
/// lines and how many there were (at most 3 are kept; the count says if more).
fn split_lines(text: &str) -> ([&str; 3], usize) {
    let mut out = [""; 3];
    let mut n = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(slot) = out.get_mut(n) {
            *slot = line;
        }
        n += 1;
    }
    (out, n)
}

/// Checks that every byte of a line is an MRZ character.
fn check_charset(line: &str, index: usize) -> Result<(), ParseError> {
    match line.bytes().position(|b| !is_mrz_char(b)) {
        None => Ok(()),
        Some(pos) => {
            let column = line.get(..pos).map_or(pos, |p| p.chars().count()) + 1;
            let found = line.get(pos..).and_then(|r| r.chars().next()).unwrap_or('\u{FFFD}');
            let hint = if found.is_ascii_lowercase() {
                " (lowercase: an MRZ is upper case)"
            } else if found == '\u{FEFF}' {
                " (a byte-order mark: save the text without it)"
            } else if found.is_whitespace() {
                " (whitespace inside a line)"
            } else {
                ""
            };
            Err(ParseError::IllegalCharacter { line: index + 1, column, found, hint })
        }
    }
}

/// Decides the format from the shape of the lines and their first characters.
fn detect(lines: &[&str; 3], count: usize) -> Result<(Format, Option<usize>), ParseError> {
    let first = lines[0];
    let width = first.len();
    if lines.iter().take(count).any(|l| l.len() != width) {
        // Lines of different lengths: the one to blame is the one that is
        // not of an MRZ width the others have (a first line one character
        // short is line 1's fault, not line 2's); between two lines of two
        // MRZ widths, the first line's sets the format, as it does below.
        let widths: &[usize] = if count == 3 { &[30] } else { &[44, 36] };
        let expected = widths
            .iter()
            .copied()
            .max_by_key(|&w| (lines.iter().take(count).filter(|l| l.len() == w).count(), w == width))
            .filter(|&w| lines.iter().take(count).any(|l| l.len() == w))
            .unwrap_or(width);
        if let Some((i, line)) = lines.iter().take(count).enumerate().find(|(_, l)| l.len() != expected) {
            return Err(ParseError::LineLength { line: i + 1, found: line.chars().count(), expected });
        }
    }
    if let Some((index, format)) = variants::detect_layout(first, count, width) {
        return Ok((format, Some(index)));
    }
    let visa = first.starts_with('V');
    let format = match (count, width, visa) {
        (3, 30, _) => Format::Td1,
        (2, 44, false) => Format::Td3,
        (2, 44, true) => Format::MrvA,
        (2, 36, false) => Format::Td2,
        (2, 36, true) => Format::MrvB,
        (2 | 3, w, _) if ![30, 36, 44].contains(&w) => {
            let expected = if count == 3 {
                30
            } else if w < 40 {
                36
            } else {
                44
            };
            return Err(ParseError::LineLength { line: 1, found: first.chars().count(), expected });
        }
        (lines, width, _) => return Err(ParseError::Shape { lines, width }),
    };
    Ok((format, None))
}

/// Parses MRZ text: 2 or 3 lines, detected as one of the [`Format`]s.
///
/// # Errors
///
/// [`ParseError`] when the text has the wrong number or length of lines, or a
/// character outside the MRZ set. Field rule violations (a bad date, an unknown
/// country) are not errors: see [`Mrz::validate`].
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{self, Format, ParseError};
/// let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
///            7408122F1204159UTO<<<<<<<<<<<6\n\
///            ERIKSSON<<ANNA<MARIA<<<<<<<<<<\n";
/// assert_eq!(mrz::parse(td1)?.format(), Format::Td1);
/// assert!(matches!(mrz::parse("p<uto"), Err(ParseError::IllegalCharacter { .. })));
/// # Ok::<(), ParseError>(())
/// ```
pub fn parse(text: &str) -> Result<Mrz<'_>, ParseError> {
    let (lines, count) = split_lines(text);
    if count == 0 {
        return Err(ParseError::Empty);
    }
    for (i, line) in lines.iter().enumerate().take(count) {
        check_charset(line, i)?;
    }
    if !(2..=3).contains(&count) {
        let all = text.lines().map(str::trim).filter(|l| !l.is_empty());
        return Err(shape_mistake(all, count).unwrap_or(ParseError::LineCount { found: count }));
    }
    let (format, layout_variant) = detect(&lines, count)?;
    Ok(build_best(format, lines, layout_variant))
}

/// A typing or export mistake that a wrong number of lines reveals: one
/// line as long as a whole MRZ (lines joined), or a multiple of an MRZ's
/// lines, all of one MRZ width (documents with no blank line between them).
/// `lines` are every line that is not blank, `count` of them.
fn shape_mistake<'l>(mut lines: impl Iterator<Item = &'l str> + Clone, count: usize) -> Option<ParseError> {
    let width = lines.clone().next().map_or(0, str::len);
    if count == 1 {
        let (n, w) = match width {
            90 => (3, 30),
            72 => (2, 36),
            88 => (2, 44),
            _ => return None,
        };
        return Some(ParseError::JoinedLines { found: width, lines: n, width: w });
    }
    let per_document = match width {
        30 => 3,
        36 | 44 => 2,
        _ => return None,
    };
    let same = lines.all(|l| l.len() == width);
    (count > 3 && count.is_multiple_of(per_document) && same).then_some(ParseError::MissingBlankLine {
        found: count,
        width,
        documents: count / per_document,
    })
}

/// The order of `lines` in which every check digit holds, when the order
/// given is not one (two TD3 lines typed the other way round): 1-based line
/// numbers of the input, or `None` when the order given holds, or no other
/// does, or the lines are no MRZ in any order.
///
/// # Examples
///
/// ```
/// let swapped = ["L898902C36UTO7408122F1204159ZE184226B<<<<<10", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"];
/// assert_eq!(mrtd_verify::mrz::reordered(&swapped), Some(vec![2, 1]));
/// assert_eq!(mrtd_verify::mrz::reordered(&[swapped[1], swapped[0]]), None);
/// ```
pub fn reordered(lines: &[&str]) -> Option<Vec<usize>> {
    let holds = |order: &[usize]| {
        let ls: Vec<&str> = order.iter().filter_map(|&i| lines.get(i).copied()).collect();
        parse_lines(&ls).is_ok_and(|m| m.check_digits_hold())
    };
    let orders: &[&[usize]] = match lines.len() {
        2 => &[&[1, 0]],
        3 => &[&[0, 2, 1], &[1, 0, 2], &[1, 2, 0], &[2, 0, 1], &[2, 1, 0]],
        _ => return None,
    };
    let given: Vec<usize> = (0..lines.len()).collect();
    if holds(&given) {
        return None;
    }
    orders.iter().find(|o| holds(o)).map(|o| o.iter().map(|i| i + 1).collect())
}

/// Parses lines already separated (each without line terminator).
///
/// # Errors
///
/// As [`parse`].
///
/// # Examples
///
/// ```
/// let m = mrtd_verify::mrz::parse_lines(&[
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
///     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
/// ])?;
/// assert!(m.check_digits().all(|c| !c.status.is_refuted()));
/// # Ok::<(), mrtd_verify::mrz::ParseError>(())
/// ```
pub fn parse_lines<'a>(lines: &[&'a str]) -> Result<Mrz<'a>, ParseError> {
    let mut arr = [""; 3];
    let mut count = 0;
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if let Some(slot) = arr.get_mut(count) {
            *slot = line;
        }
        count += 1;
    }
    if count == 0 {
        return Err(ParseError::Empty);
    }
    for (i, line) in arr.iter().enumerate().take(count) {
        check_charset(line, i)?;
    }
    if !(2..=3).contains(&count) {
        let all = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty());
        return Err(shape_mistake(all, count).unwrap_or(ParseError::LineCount { found: count }));
    }
    let (format, layout_variant) = detect(&arr, count)?;
    Ok(build_best(format, arr, layout_variant))
}

/// Parses lines as a given format, without detection (the repair tries several
/// formats on one reading). The lines must have the format's shape and MRZ
/// characters only.
pub(crate) fn parse_as<'a>(format: Format, lines: &[&'a str]) -> Result<Mrz<'a>, ParseError> {
    if lines.len() != format.lines() {
        return Err(ParseError::LineCount { found: lines.len() });
    }
    let mut arr = [""; 3];
    for (i, line) in lines.iter().enumerate() {
        check_charset(line, i)?;
        if line.len() != format.width() {
            return Err(ParseError::LineLength { line: i + 1, found: line.len(), expected: format.width() });
        }
        if let Some(slot) = arr.get_mut(i) {
            *slot = line;
        }
    }
    let layout_variant = variants::REGISTRY
        .iter()
        .position(|v| matches!(v.deviation, variants::Deviation::Layout { format: f, .. } if f == format));
    Ok(Mrz::build(format, arr, layout_variant))
}

/// Builds the document; when a national layout matched by its prefix, the ICAO
/// layout of the same shape is tried too, and the one whose check digits hold
/// better wins (a TD2 card with code `ID` from France also starts `IDFRA`).
fn build_best(format: Format, lines: [&str; 3], layout_variant: Option<usize>) -> Mrz<'_> {
    let national = Mrz::build(format, lines, layout_variant);
    if layout_variant.is_none() {
        return national;
    }
    let icao_format = if lines[0].starts_with('V') { Format::MrvB } else { Format::Td2 };
    if icao_format.width() != format.width() || icao_format.lines() != format.lines() {
        return national;
    }
    let icao = Mrz::build(icao_format, lines, None);
    let refuted = |m: &Mrz<'_>| m.check_digits().filter(|c| c.status.is_refuted()).count();
    if refuted(&icao) < refuted(&national) { icao } else { national }
}

impl<'a> Mrz<'a> {
    /// Builds the views and check digits of text whose shape matches `format`.
    fn build(format: Format, lines: [&'a str; 3], layout_variant: Option<usize>) -> Mrz<'a> {
        let layout = format.layout();
        let mut variants = VariantSet::default();
        if let Some(i) = layout_variant {
            variants.insert(i);
        }
        let get = |s: Span| lines.get(usize::from(s.line)).and_then(|l| l.get(s.range())).unwrap_or("");
        let issuer = layout.span(FieldId::IssuingState).map_or("", get);
        let doc_type = layout.span(FieldId::DocumentCode).map_or("", get).as_bytes().get(1).copied();
        if doc_type.is_some_and(|b| b.is_ascii_digit())
            && let Some(i) = variants::document_type_digit(format, issuer)
        {
            variants.insert(i);
        }
        if let Some(&sex) = layout.span(FieldId::Sex).map_or("", get).as_bytes().first()
            && let Some(i) = variants::sex_character(format, issuer, sex)
        {
            variants.insert(i);
        }

        // Document number: plain, or long (continued in the optional data).
        let head = layout.span(FieldId::DocumentNumber).unwrap_or(Span::new(0, 0, 0));
        let plain_digit = layout.check(CheckId::DocumentNumber).map_or(head, |c| c.digit);
        let mut number = NumberSpans { head, tail: None, digit: plain_digit };
        if get(plain_digit) == "<"
            && let (Some(rule), Some(opt)) = (variants::long_number(format, issuer), layout.span(FieldId::OptionalData))
        {
            let text = get(opt);
            let run = text.bytes().position(|b| b == b'<').unwrap_or(text.len());
            // At least one continued character and the check digit.
            if run >= 2 && get(head).bytes().all(|b| b != b'<') {
                // run <= opt.len <= 255, so the narrowing holds.
                let run = u8::try_from(run).unwrap_or(opt.len);
                number.tail = Some(Span::new(opt.line, opt.start, run - 1));
                number.digit = Span::new(opt.line, opt.start + run - 1, 1);
                variants.insert(rule);
            }
        }

        let mut checks = [None; 5];
        for def in layout.checks {
            let (digit_span, covered): (Span, &[Option<Span>]) = if def.id == CheckId::DocumentNumber {
                (number.digit, &[Some(number.head), number.tail])
            } else {
                (def.digit, &[])
            };
            let spans = covered.iter().flatten().chain(if covered.is_empty() { def.covers } else { &[] });
            let (mut sum, mut phase) = (0, 0);
            let mut all_fillers = true;
            for &s in spans {
                let text = get(s).as_bytes();
                all_fillers &= text.iter().all(|&b| b == b'<');
                (sum, phase) = accumulate(text, sum, phase);
            }
            let found = get(digit_span).bytes().next().unwrap_or(b'<');
            // `sum % 10` is below 10.
            let expected = b'0' + (sum % 10) as u8;
            // A registered issuer whose long numbers' digit counts the filler
            // that ends the principal part (weights run on through it).
            let over_filler = || {
                let tail = number.tail?;
                let i = variants::long_number_over_filler(format, issuer)?;
                let (mut sum, mut phase) = (0, 0);
                for s in [number.head, plain_digit, tail] {
                    (sum, phase) = accumulate(get(s).as_bytes(), sum, phase);
                }
                (found == b'0' + (sum % 10) as u8).then_some(i)
            };
            let status = if found == expected {
                CheckStatus::Verified
            } else if let (b'<', true, Some(i)) = (found, all_fillers, variants::filler_check(format, issuer, def.id)) {
                variants.insert(i);
                CheckStatus::NotPrinted
            } else if def.id == CheckId::DocumentNumber
                && let Some(i) = over_filler()
            {
                variants.insert(i);
                CheckStatus::Verified
            } else {
                CheckStatus::Refuted { found, expected }
            };
            if let Some(slot) = checks.get_mut(def.id.index()) {
                *slot = Some(CheckDigit { id: def.id, span: digit_span, status });
            }
        }
        Mrz { format, lines, number, checks, variants }
    }

    /// The format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The lines as read (2 or 3).
    pub fn lines(&self) -> &[&'a str] {
        self.lines.get(..self.format.lines()).unwrap_or(&[])
    }

    /// The registry entries this reading relied on.
    pub fn variants(&self) -> VariantSet {
        self.variants
    }

    /// The text of a span ("" if the span lies outside the lines, which the
    /// layout tables rule out).
    pub fn slice(&self, span: Span) -> &'a str {
        self.lines.get(usize::from(span.line)).and_then(|l| l.get(span.range())).unwrap_or("")
    }

    /// The raw text of a field, as printed, fillers included; `None` if the
    /// format has no such field. The document number is its principal part
    /// only: use [`Mrz::document_number`] for long numbers.
    pub fn raw(&self, field: FieldId) -> Option<&'a str> {
        self.format.layout().span(field).map(|s| self.slice(s))
    }

    /// Where a field stands, if the format has it.
    pub fn span(&self, field: FieldId) -> Option<Span> {
        self.format.layout().span(field)
    }

    /// Where the document number and its check digit stand.
    pub fn document_number_spans(&self) -> (Span, Option<Span>, Span) {
        (self.number.head, self.number.tail, self.number.digit)
    }

    /// The status of one check digit, `None` if the format has no such digit.
    pub fn check(&self, id: CheckId) -> Option<CheckDigit> {
        self.checks.get(id.index()).copied().flatten()
    }

    /// Every check digit of the format, in report order.
    pub fn check_digits(&self) -> impl Iterator<Item = CheckDigit> + '_ {
        self.checks.iter().flatten().copied()
    }

    /// Whether every check digit is verified or legitimately not printed.
    pub fn check_digits_hold(&self) -> bool {
        self.check_digits().all(|c| !c.status.is_refuted())
    }

    /// Whether a verified check digit vouches for the character at `line`,
    /// `col` (0-based): the position is such a digit, or lies in the data one
    /// covers. Names and codes have no check digit: nothing vouches for them.
    ///
    /// # Examples
    ///
    /// ```
    /// let m = mrtd_verify::mrz::parse(
    ///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
    ///      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    /// ).unwrap();
    /// assert!(m.confirmed_at(1, 0)); // document number
    /// assert!(!m.confirmed_at(0, 5)); // surname
    /// ```
    pub fn confirmed_at(&self, line: usize, col: usize) -> bool {
        self.checks_covering(line, col).any(|c| c.status == CheckStatus::Verified)
    }

    /// Every check digit that stands at `line`, `col` (0-based) or covers the
    /// character there, whatever its status.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::{self, CheckId};
    /// let m = mrz::parse(
    ///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
    ///      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    /// )?;
    /// // The document number is covered by its own digit and the composite.
    /// let ids: Vec<CheckId> = m.checks_covering(1, 0).map(|c| c.id).collect();
    /// assert_eq!(ids, [CheckId::DocumentNumber, CheckId::Composite]);
    /// assert_eq!(m.checks_covering(0, 5).count(), 0); // the name
    /// # Ok::<(), mrz::ParseError>(())
    /// ```
    pub fn checks_covering(&self, line: usize, col: usize) -> impl Iterator<Item = CheckDigit> + '_ {
        let layout = self.format.layout();
        self.check_digits().filter(move |c| {
            c.span.contains(line, col)
                || if c.id == CheckId::DocumentNumber {
                    self.number.head.contains(line, col) || self.number.tail.is_some_and(|t| t.contains(line, col))
                } else {
                    layout.check(c.id).is_some_and(|def| def.covers.iter().any(|s| s.contains(line, col)))
                }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mrz::Sex;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";

    #[test]
    fn input_mistakes_are_named_as_such() {
        // Lines joined into one.
        let joined = TD3.replace('\n', "");
        assert_eq!(parse(&joined), Err(ParseError::JoinedLines { found: 88, lines: 2, width: 44 }));
        assert_eq!(parse(&TD1.replace('\n', "")), Err(ParseError::JoinedLines { found: 90, lines: 3, width: 30 }));
        // Two documents with no blank line between them.
        let two = format!("{TD3}\n{TD3}");
        assert_eq!(parse(&two), Err(ParseError::MissingBlankLine { found: 4, width: 44, documents: 2 }));
        let two_td1 = format!("{TD1}\n{TD1}");
        assert!(matches!(parse(&two_td1), Err(ParseError::MissingBlankLine { documents: 2, .. })));
        // Four lines whose last is of another width are not two documents:
        // every line's width counts, not only the first three's.
        let ragged = format!("{TD3}\n{}", TD3.replacen("<<<<<10", "<10", 1));
        assert_eq!(parse(&ragged), Err(ParseError::LineCount { found: 4 }));
        // A line one character short is blamed on itself, whichever it is.
        let short_first = TD3.replacen("<<<<<\n", "<<<<\n", 1);
        assert_eq!(parse(&short_first), Err(ParseError::LineLength { line: 1, found: 43, expected: 44 }));
        let short_second = TD3.replacen("<<<<<10", "<<<<10", 1);
        assert_eq!(parse(&short_second), Err(ParseError::LineLength { line: 2, found: 43, expected: 44 }));
        // A 44-character line then a 36-character one: the first sets the
        // width, the second is blamed (and the other way round).
        let mixed = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159<<<<<<<6";
        assert_eq!(parse(mixed), Err(ParseError::LineLength { line: 2, found: 36, expected: 44 }));
        let mixed = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
        assert_eq!(parse(mixed), Err(ParseError::LineLength { line: 2, found: 44, expected: 36 }));
        let short_td1 = TD1.replacen("<<<<<<6", "<<<<<6", 1);
        assert_eq!(parse(&short_td1), Err(ParseError::LineLength { line: 2, found: 29, expected: 30 }));
        // Other shapes keep their plain errors.
        assert_eq!(parse("ABC"), Err(ParseError::LineCount { found: 1 }));
        // Lines out of order: the order in which every digit holds.
        let l: Vec<&str> = TD1.lines().collect();
        assert_eq!(reordered(&[l[1], l[0], l[2]]), Some(vec![2, 1, 3]));
        assert_eq!(reordered(&[l[2], l[0], l[1]]), Some(vec![2, 3, 1]));
        assert_eq!(reordered(&l), None);
        // A forged check digit holds in no order: no reordering is offered.
        let forged = TD3.replacen("<<<<<10", "<<<<<19", 1);
        let f: Vec<&str> = forged.lines().collect();
        assert_eq!(reordered(&[f[1], f[0]]), None);
    }

    #[test]
    fn verified_check_digits_vouch_for_what_they_cover() {
        let m = parse(TD3).unwrap();
        assert!(m.confirmed_at(1, 0), "document number");
        assert!(m.confirmed_at(1, 9), "its check digit");
        assert!(m.confirmed_at(1, 13), "birth date");
        assert!(!m.confirmed_at(0, 5), "name: no check digit");
        assert!(!m.confirmed_at(1, 10), "nationality: no check digit");
        // A refuted digit vouches for nothing; the composite still covers the
        // number but is refuted too.
        let bad = TD3.replacen("L898902C3", "L898902C4", 1);
        let m = parse(&bad).unwrap();
        assert!(!m.confirmed_at(1, 0));
        assert!(m.confirmed_at(1, 13), "birth date still verified");
    }

    #[test]
    fn td3_specimen() {
        let m = parse(TD3).unwrap();
        assert_eq!(m.format(), Format::Td3);
        assert_eq!(m.document_code(), "P");
        assert_eq!(m.issuing_state(), "UTO");
        assert_eq!(m.nationality(), "UTO");
        assert_eq!(m.document_number().to_string(), "L898902C3");
        assert_eq!(m.sex(), Sex::Female);
        assert_eq!(m.optional_data(), Some("ZE184226B<<<<<"));
        assert!(m.check_digits_hold());
        assert_eq!(m.check_digits().count(), 5);
        assert!(m.variants().is_empty());
    }

    #[test]
    fn td1_specimen() {
        let m = parse(TD1).unwrap();
        assert_eq!(m.format(), Format::Td1);
        assert_eq!(m.document_number().to_string(), "D23145890");
        assert_eq!(m.check_digits().count(), 4);
        assert!(m.check_digits_hold());
        assert_eq!(m.name().surname(), "ERIKSSON");
    }

    #[test]
    fn tolerates_surroundings_only() {
        let messy = format!("\r\n  \n{}\r\n\n\n", TD3.replace('\n', "\r\n\n  "));
        assert_eq!(parse(&messy).unwrap().lines(), parse(TD3).unwrap().lines());
        let inner_space = TD3.replacen("ANNA", "AN A", 1);
        assert!(matches!(
            parse(&inner_space),
            Err(ParseError::IllegalCharacter { line: 1, column: 18, found: ' ', .. })
        ));
        assert!(matches!(
            parse(&TD3.to_lowercase()),
            Err(ParseError::IllegalCharacter { line: 1, column: 1, found: 'p', .. })
        ));
    }

    #[test]
    fn shapes() {
        assert_eq!(parse(""), Err(ParseError::Empty));
        assert_eq!(parse(" \n\n "), Err(ParseError::Empty));
        assert_eq!(parse("P<UTO"), Err(ParseError::LineCount { found: 1 }));
        let four = format!("{TD1}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<");
        assert_eq!(parse(&four), Err(ParseError::LineCount { found: 4 }));
        let short = TD3.replacen("<10", "<1", 1);
        assert!(matches!(parse(&short), Err(ParseError::LineLength { line: 2, found: 43, expected: 44 })));
        assert!(matches!(parse("ABC\nDEF"), Err(ParseError::LineLength { line: 1, .. })));
        let td1_as_two: Vec<&str> = TD1.lines().take(2).collect();
        assert_eq!(parse_lines(&td1_as_two), Err(ParseError::Shape { lines: 2, width: 30 }));
        let non_ascii = TD3.replacen('A', "Ä", 1);
        assert!(matches!(parse(&non_ascii), Err(ParseError::IllegalCharacter { found: 'Ä', .. })));
    }

    #[test]
    fn refuted_digit_names_expected() {
        let bad = TD3.replacen("7408122", "7408123", 1);
        let m = parse(&bad).unwrap();
        assert_eq!(m.check(CheckId::BirthDate).unwrap().status, CheckStatus::Refuted { found: b'3', expected: b'2' });
        // The composite covers the birth check digit too.
        assert!(m.check(CheckId::Composite).unwrap().status.is_refuted());
        assert!(!m.check(CheckId::DocumentNumber).unwrap().status.is_refuted());
    }
}
