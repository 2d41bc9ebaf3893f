//! Finding the values the MRZ also carries among the visual zone's lines,
//! template-free: a value by its caption (the nearest line below it, left
//! aligned, in French, English, Spanish or Portuguese), dates by their form
//! wherever they are printed.

use super::read::VizLine;
use crate::geometry::{Point, Quad};

/// A value of the visual zone the MRZ also carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum VizKey {
    /// The document number.
    DocumentNumber,
    /// The surname (primary identifier).
    Surname,
    /// The given names (secondary identifier).
    GivenNames,
    /// The nationality.
    Nationality,
    /// The sex.
    Sex,
    /// The date of birth.
    BirthDate,
    /// The date of issue.
    IssueDate,
    /// The date of expiry.
    ExpiryDate,
}

impl VizKey {
    /// The report name (`document_number`, `birth_date`...).
    pub const fn name(self) -> &'static str {
        match self {
            VizKey::DocumentNumber => "document_number",
            VizKey::Surname => "surname",
            VizKey::GivenNames => "given_names",
            VizKey::Nationality => "nationality",
            VizKey::Sex => "sex",
            VizKey::BirthDate => "birth_date",
            VizKey::IssueDate => "issue_date",
            VizKey::ExpiryDate => "expiry_date",
        }
    }

    /// The caption a line announces, from its words (accents folded, upper
    /// case), or `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::viz::VizKey;
    /// assert_eq!(VizKey::of_caption("Date de naissance / Date of birth"), Some(VizKey::BirthDate));
    /// assert_eq!(VizKey::of_caption("Lieu de naissance / Place of birth"), None);
    /// assert_eq!(VizKey::of_caption("Prénoms / Given names"), Some(VizKey::GivenNames));
    /// assert_eq!(VizKey::of_caption("Nom / Surname"), Some(VizKey::Surname));
    /// assert_eq!(VizKey::of_caption("TRAORE"), None);
    /// ```
    pub fn of_caption(text: &str) -> Option<VizKey> {
        let folded = fold(text);
        let words: Vec<&str> = folded.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
        // A word names a keyword when it is the keyword, or (four letters
        // or more: the locator cuts small captions into pieces) a piece of it.
        let names = |word: &str, key: &str| {
            word == key || (word.len() >= 4 && key.contains(word)) || (key.len() >= 4 && word.starts_with(key))
        };
        let has = |keys: &[&str]| words.iter().any(|w| keys.iter().any(|k| names(w, k)));
        if has(&["LIEU", "PLACE", "LUGAR", "LOCAL"]) {
            return None;
        }
        for (key, keywords) in CAPTIONS {
            if has(keywords) {
                return Some(key);
            }
        }
        if has(&["PASSPORT", "PASSEPORT", "PASAPORTE", "PASSAPORTE"])
            && words.iter().any(|w| ["NO", "NUMBER", "NUMERO", "N"].contains(w))
        {
            return Some(VizKey::DocumentNumber);
        }
        None
    }
}

/// Caption keywords, in the order they are tried (given names before the
/// surname: `PRENOMS` holds `NOM`).
const CAPTIONS: [(VizKey, &[&str]); 8] = [
    (VizKey::BirthDate, &["NAISSANCE", "BIRTH", "NACIMIENTO", "NASCIMENTO"]),
    (
        VizKey::ExpiryDate,
        &["EXPIRATION", "EXPIRY", "VALIDITE", "VALIDITY", "VALID", "VENCIMIENTO", "CADUCIDAD", "VALIDADE"],
    ),
    (VizKey::IssueDate, &["DELIVRANCE", "ISSUE", "EMISSION", "EXPEDICION", "EMISSAO", "EMISION"]),
    (VizKey::GivenNames, &["PRENOMS", "PRENOM", "GIVEN", "FORENAMES", "NOMBRES", "NOMES"]),
    (VizKey::Surname, &["NOM", "SURNAME", "APELLIDOS", "APELIDOS"]),
    (VizKey::Nationality, &["NATIONALITE", "NATIONALITY", "NACIONALIDAD", "NACIONALIDADE"]),
    (VizKey::Sex, &["SEXE", "SEX", "SEXO"]),
    (VizKey::DocumentNumber, &["DOCUMENT", "DOCUMENTO"]),
];

/// Upper case with the accents of Latin letters folded (`é` → `E`).
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'À' | 'Â' | 'Ä' | 'Á' | 'Ã' => 'A',
            'Ç' => 'C',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'Î' | 'Ï' | 'Í' => 'I',
            'Ô' | 'Ö' | 'Ó' | 'Õ' => 'O',
            'Ù' | 'Û' | 'Ü' | 'Ú' => 'U',
            'Ñ' => 'N',
            other => other,
        })
        .collect()
}

/// A value found in the visual zone.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VizValue {
    /// Which value.
    pub key: VizKey,
    /// The text as read.
    pub text: String,
    /// The value: dates as `YYMMDD` (as the MRZ writes them, `<<` for a
    /// part not printed), names and numbers as read.
    pub value: String,
    /// The lowest character confidence of the text, `0..1`.
    pub confidence: f32,
    /// Where it is printed.
    pub region: Quad,
    /// Found under its caption (rather than by its form alone).
    pub by_caption: bool,
    /// The caption's text as read.
    pub caption: String,
}

/// A date printed in the visual zone.
#[derive(Debug, Clone, PartialEq)]
pub struct VizDate {
    /// `YYMMDD`.
    pub yymmdd: String,
    /// The full year, when printed.
    pub year: Option<u16>,
    /// Index of its line.
    pub line: usize,
    /// Its characters in the line (`first..=last`).
    pub first: usize,
    /// Last character.
    pub last: usize,
}

impl VizDate {
    /// A sort key: the full date where the year is printed in full, else
    /// the two-digit year read in the 1900s before 50, the 2000s after.
    fn order(&self) -> (u16, String) {
        let yy: u16 = self.yymmdd.get(..2).and_then(|y| y.parse().ok()).unwrap_or(0);
        let year = self.year.unwrap_or(if yy < 50 { 2000 + yy } else { 1900 + yy });
        (year, self.yymmdd.get(2..).unwrap_or("").to_owned())
    }
}

const MONTHS: [&[&str]; 12] = [
    &["JAN", "JANV", "JANVIER", "JANUARY", "ENE", "ENERO", "JANEIRO"],
    &["FEB", "FEV", "FEVR", "FEVRIER", "FEBRUARY", "FEBRERO", "FEVEREIRO"],
    &["MAR", "MARS", "MARCH", "MARZO", "MARCO"],
    &["APR", "AVR", "AVRIL", "APRIL", "ABR", "ABRIL"],
    &["MAY", "MAI", "MAYO", "MAIO"],
    &["JUN", "JUIN", "JUNE", "JUNIO", "JUNHO"],
    &["JUL", "JUIL", "JUILLET", "JULY", "JULIO", "JULHO"],
    &["AUG", "AOUT", "AUGUST", "AGO", "AGOSTO"],
    &["SEP", "SEPT", "SEPTEMBRE", "SEPTEMBER", "SEPTIEMBRE", "SET", "SETEMBRO"],
    &["OCT", "OCTOBRE", "OCTOBER", "OCTUBRE", "OUT", "OUTUBRO"],
    &["NOV", "NOVEMBRE", "NOVEMBER", "NOVIEMBRE", "NOVEMBRO"],
    &["DEC", "DECEMBRE", "DECEMBER", "DIC", "DICIEMBRE", "DEZ", "DEZEMBRO"],
];

/// A token of a line: a run of digits or letters, with its characters.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    text: String,
    digits: bool,
    first: usize,
    last: usize,
    /// The separator after it (`.`, `/`, `-`, ` ` or none at the end).
    after: Option<char>,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut folded: Vec<char> = fold(text).chars().collect();
    // An `O` touching a digit is a zero a reader took for a letter.
    for i in 0..folded.len() {
        let digit = |j: Option<usize>| j.and_then(|j| folded.get(j)).is_some_and(char::is_ascii_digit);
        if folded.get(i) == Some(&'O')
            && (digit(i.checked_sub(1)) || digit(Some(i + 1)))
            && let Some(c) = folded.get_mut(i)
        {
            *c = '0';
        }
    }
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while let Some(&c) = folded.get(i) {
        if c.is_ascii_alphanumeric() {
            let digits = c.is_ascii_digit();
            let start = i;
            while folded.get(i).is_some_and(|c| c.is_ascii_alphanumeric() && c.is_ascii_digit() == digits) {
                i += 1;
            }
            out.push(Token {
                text: folded.get(start..i).unwrap_or_default().iter().collect(),
                digits,
                first: start,
                last: i - 1,
                after: folded.get(i).copied().filter(|c| !c.is_ascii_alphanumeric()),
            });
        } else {
            i += 1;
        }
    }
    out
}

fn month_of(word: &str) -> Option<u8> {
    MONTHS.iter().position(|names| names.contains(&word)).and_then(|m| u8::try_from(m + 1).ok())
}

/// Every date printed on a line, in the forms documents use:
/// `12.01.1985`, `12/01/1985`, `12-01-1985`, `12 01 1985`, `1985-01-12`,
/// `12 JAN 1985`, `12 JANV/JAN 85`, `12JAN85`.
///
/// # Examples
///
/// ```
/// use mrtd_verify::viz::dates_in;
/// let d: Vec<String> = dates_in("12 JANV/JAN 85").into_iter().map(|d| d.0).collect();
/// assert_eq!(d, ["850112"]);
/// assert_eq!(dates_in("1985-01-12")[0].0, "850112");
/// assert_eq!(dates_in("born 03.11.2001 at")[0].0, "011103");
/// assert!(dates_in("C66685187").is_empty());
/// assert!(dates_in("31.13.1985").is_empty());
/// ```
pub fn dates_in(text: &str) -> Vec<(String, Option<u16>, usize, usize)> {
    let t = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if let Some((date, used)) = date_at(t.get(i..).unwrap_or_default()) {
            let (Some(first), Some(last)) = (t.get(i), t.get(i + used - 1)) else { break };
            out.push((date.0, date.1, first.first, last.last));
            i += used;
        } else {
            i += 1;
        }
    }
    out
}

fn num(t: &Token) -> Option<u32> {
    if t.digits { t.text.parse().ok() } else { None }
}

fn ymd(year: u32, month: u32, day: u32, full: bool) -> Option<(String, Option<u16>)> {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return None,
    };
    if day == 0 || day > days || (full && !(1900..=2100).contains(&year)) {
        return None;
    }
    let full_year = if full { u16::try_from(year).ok() } else { None };
    Some((format!("{:02}{month:02}{day:02}", year % 100), full_year))
}

/// A date starting at the first token, and how many tokens it takes.
fn date_at(t: &[Token]) -> Option<((String, Option<u16>), usize)> {
    let a = t.first()?;
    // 1985-01-12
    if let (Some(y), Some(m), Some(d)) = (num(a), t.get(1).and_then(num), t.get(2).and_then(num))
        && a.text.len() == 4
        && t.get(1).is_some_and(|m| m.text.len() <= 2)
        && t.get(2).is_some_and(|d| d.text.len() <= 2)
    {
        return ymd(y, m, d, true).map(|r| (r, 3));
    }
    // XX.XX.1985, XX.01.1985: a date known in part, as documents print it.
    let unknown = |t: &Token| t.text == "XX";
    if let (Some(b), Some(c)) = (t.get(1), t.get(2))
        && unknown(a)
        && (unknown(b) || (b.digits && b.text.len() <= 2))
        && c.digits
        && c.text.len() == 4
        && a.after == b.after
    {
        let y: u16 = c.text.parse().ok()?;
        let m = if unknown(b) { "<<".to_owned() } else { format!("{:02}", num(b).filter(|m| (1..=12).contains(m))?) };
        return Some(((format!("{:02}{m}<<", y % 100), Some(y)), 3));
    }
    let d = num(a).filter(|_| a.text.len() <= 2)?;
    let b = t.get(1)?;
    // 12 JAN 1985, 12 JANV/JAN 85, 12JAN85
    if !b.digits {
        let m = month_of(&b.text)?;
        let (year_token, used) = match t.get(2) {
            Some(c) if !c.digits && month_of(&c.text) == Some(m) => (t.get(3)?, 4),
            Some(c) => (c, 3),
            None => return None,
        };
        let y = num(year_token)?;
        let full = year_token.text.len() == 4;
        if year_token.text.len() != 2 && !full {
            return None;
        }
        return ymd(y, u32::from(m), d, full).map(|r| (r, used));
    }
    // 12.01.1985, 12/01/85, 12 01 1985
    let m = num(b).filter(|_| b.text.len() <= 2)?;
    let c = t.get(2)?;
    let y = num(c)?;
    let full = c.text.len() == 4;
    if (c.text.len() != 2 && !full) || a.after != b.after {
        return None;
    }
    ymd(y, m, d, full).map(|r| (r, 3))
}

/// The page's frame: `u` along the text (the MRZ's direction), `v` down
/// the page.
struct PageFrame {
    dx: f32,
    dy: f32,
}

impl PageFrame {
    fn new(direction: Point) -> PageFrame {
        let norm = direction.x.hypot(direction.y).max(1e-3);
        PageFrame { dx: direction.x / norm, dy: direction.y / norm }
    }

    fn at(&self, p: Point) -> (f32, f32) {
        (p.x * self.dx + p.y * self.dy, -p.x * self.dy + p.y * self.dx)
    }

    /// A line's start and end along the text, and its axis across it.
    fn extent(&self, l: &VizLine) -> (f32, f32, f32) {
        let [a, b, c, d] = l.frame.corners;
        let (u0, v) = self.at(a.midpoint(d));
        let (u1, _) = self.at(b.midpoint(c));
        (u0.min(u1), u0.max(u1), v)
    }
}

/// The values found among the lines: each caption's value (the nearest
/// line below it that starts near the caption's start), and every date.
pub fn extract(lines: &[VizLine], direction: Point) -> (Vec<VizValue>, Vec<VizDate>) {
    let page = PageFrame::new(direction);
    let extent = |l: &VizLine| page.extent(l);
    let mut values = Vec::new();
    let mut dates = Vec::new();
    let captions: Vec<Option<VizKey>> = lines.iter().map(|l| VizKey::of_caption(&l.text)).collect();
    for (i, line) in lines.iter().enumerate() {
        for (yymmdd, year, first, last) in dates_in(&line.text) {
            dates.push(VizDate { yymmdd, year, line: i, first, last });
        }
        let Some(key) = captions.get(i).copied().flatten() else { continue };
        let (cu0, cu1, cv) = extent(line);
        // The value: below the caption, within three of its own character
        // heights, overlapping it along the text (a caption the locator cut
        // in pieces may be only the end of its line).
        let below = lines
            .iter()
            .enumerate()
            .filter(|(j, _)| captions.get(*j).copied().flatten().is_none())
            .filter_map(|(j, l)| {
                let (u0, u1, v) = extent(l);
                let gap = v - cv;
                let overlaps = u0 < cu1 && u1 > cu0;
                (gap > 0.3 * l.height && gap < 3.0 * l.height && overlaps).then_some((j, gap))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let Some((j, _)) = below else { continue };
        let Some(v) = lines.get(j) else { continue };
        let last = v.chars.len().saturating_sub(1);
        let value = match key {
            VizKey::BirthDate | VizKey::IssueDate | VizKey::ExpiryDate => match dates_in(&v.text).first() {
                Some((d, _, f, l)) => {
                    values.push(VizValue {
                        key,
                        text: v.text.chars().skip(*f).take(l + 1 - f).collect(),
                        value: d.clone(),
                        confidence: v.confidence(*f, *l),
                        region: v.region(*f, *l),
                        by_caption: true,
                        caption: line.text.clone(),
                    });
                    continue;
                }
                None => continue,
            },
            VizKey::DocumentNumber => v.text.chars().filter(char::is_ascii_alphanumeric).collect(),
            _ => v.text.clone(),
        };
        values.push(VizValue {
            key,
            text: v.text.clone(),
            value,
            confidence: v.confidence(0, last),
            region: v.region(0, last),
            by_caption: true,
            caption: line.text.clone(),
        });
    }
    // A key announced twice (a caption read twice): the first, top of the page.
    let mut seen = std::collections::HashSet::new();
    values.retain(|v| seen.insert(v.key));
    dates.sort_by_key(VizDate::order);
    (values, dates)
}

impl VizDate {
    /// The date's region and confidence on its line.
    pub fn place(&self, lines: &[VizLine]) -> Option<(Quad, f32)> {
        let l = lines.get(self.line)?;
        Some((l.region(self.first, self.last), l.confidence(self.first, self.last)))
    }
}

/// The line printed right above (`up`) or below another, as Doc 9303's
/// visual zone prints the surname above the given names: a line of letters
/// about as tall, starting within two characters of it, within three
/// character heights.
pub fn neighbour(lines: &[VizLine], of: usize, up: bool, direction: Point) -> Option<usize> {
    let page = PageFrame::new(direction);
    let me = lines.get(of)?;
    let (u, _, v) = page.extent(me);
    lines
        .iter()
        .enumerate()
        .filter(|(j, l)| {
            *j != of
                && (l.height / me.height - 1.0).abs() < 0.25
                && l.text.chars().any(char::is_alphabetic)
                && !l.text.chars().any(|c| c.is_ascii_digit())
                && VizKey::of_caption(&l.text).is_none()
        })
        .filter_map(|(j, l)| {
            let (lu, _, lv) = page.extent(l);
            let gap = if up { v - lv } else { lv - v };
            (gap > 0.5 * me.height && gap < 3.0 * me.height && (lu - u).abs() < 2.0 * me.height).then_some((j, gap))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(j, _)| j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::VizChar;

    /// A line of text at (x, y) on an upright page, 10 px characters.
    fn line(text: &str, x: f32, y: f32) -> VizLine {
        let chars: Vec<VizChar> = text
            .chars()
            .enumerate()
            .map(|(i, ch)| VizChar { ch, confidence: 0.99, x0: i as f32 * 8.0, x1: i as f32 * 8.0 + 8.0 })
            .collect();
        let w = text.chars().count() as f32 * 8.0;
        VizLine {
            text: text.to_owned(),
            chars,
            frame: Quad::from_box(x, y - 9.0, x + w, y + 9.0),
            width: w as usize,
            height: 10.0,
        }
    }

    #[test]
    fn a_value_is_found_under_its_caption_and_dates_are_ordered() {
        let lines = vec![
            line("Nom / Surname", 100.0, 50.0),
            line("TRAORÉ", 100.0, 65.0),
            line("Date de naissance / Date of birth", 100.0, 90.0),
            line("12 JAN 1985", 100.0, 105.0),
            // Another column: its own caption.
            line("Expiration / Expiry", 300.0, 130.0),
            line("Delivrance / Issue", 100.0, 130.0),
            line("03.04.2020", 100.0, 145.0),
            line("02.04.2030", 300.0, 145.0),
        ];
        let (values, dates) = extract(&lines, Point::new(1.0, 0.0));
        let get = |k| values.iter().find(|v| v.key == k).map(|v| v.value.as_str());
        assert_eq!(get(VizKey::Surname), Some("TRAORÉ"));
        assert_eq!(get(VizKey::BirthDate), Some("850112"));
        assert_eq!(get(VizKey::IssueDate), Some("200403"));
        assert_eq!(get(VizKey::ExpiryDate), Some("300402"));
        assert_eq!(get(VizKey::GivenNames), None);
        let order: Vec<&str> = dates.iter().map(|d| d.yymmdd.as_str()).collect();
        assert_eq!(order, ["850112", "200403", "300402"]);
    }

    #[test]
    fn dates_in_every_printed_form() {
        for (text, want) in [
            ("12.01.1985", "850112"),
            ("12/01/1985", "850112"),
            ("12-01-85", "850112"),
            ("12 01 1985", "850112"),
            ("1985-01-12", "850112"),
            ("12 JANV/JAN 85", "850112"),
            ("12JAN85", "850112"),
            ("12 Fév 2001", "010212"),
            ("29 FEB 2000", "000229"),
            ("24/03/203O", "300324"),
            ("XX.XX.1974", "74<<<<"),
            ("XX.07.1974", "7407<<"),
        ] {
            assert_eq!(dates_in(text).first().map(|d| d.0.as_str()), Some(want), "{text}");
        }
        for text in ["12.01/1985", "32.01.1985", "12 XYZ 1985", "123456789", "12.01.198"] {
            assert!(dates_in(text).is_empty(), "{text}");
        }
    }
}
