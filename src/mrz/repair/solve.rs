//! Solving a whole reading: which formats it could be, each solved in turn
//! (alphabets, check-digit groups, country codes, doubts), the likeliest kept.

use super::cost::{CLOSE, MAX_MOVE, Pos, REFUTED_PENALTY};
use super::doubt::{self, Doubt, Pending};
use super::group::{self, Grid, Groups, NumberLayout};
use super::{Repair, RepairBasis, Repaired, confusions_of, country};
use crate::mrz::layout::{Alphabet, CheckId, FieldId, Format, Span, alphabet_at};
use crate::mrz::parse::{ParseError, parse_as};
use crate::mrz::variants;

/// Solves a whole reading of `count` lines of `width` positions.
pub(super) fn solve(pos: Vec<Pos>, count: usize, width: usize) -> Result<Repaired, ParseError> {
    let candidates = candidate_formats(&pos, count, width);
    if candidates.is_empty() {
        return Err(ParseError::Shape { lines: count, width });
    }

    // Fast path: a reading that is certain at every position, fits a format's
    // alphabets and satisfies every check digit needs nothing. Certain: no
    // position has an alternative that is a close call ([`CLOSE`]), the
    // least a doubt the check digits cannot settle starts from
    // ([`group::blind_combinations`]).
    let certain = pos.iter().all(|p| {
        let mut alts = p.alts();
        alts.next().is_some_and(|b| b.0 == p.read && alts.next().is_none_or(|second| second.1 > b.1 + CLOSE))
    });
    if certain {
        let text: Vec<String> =
            (0..count).map(|l| pos.iter().skip(l * width).take(width).map(|p| char::from(p.read)).collect()).collect();
        let refs: Vec<&str> = text.iter().map(String::as_str).collect();
        for &format in &candidates {
            let allow = Allowances::of(&pos, format, width);
            let fits = pos.iter().enumerate().all(|(i, p)| allow.alphabet(format, width, i).allows(p.read));
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

/// What a reading's issuer allows beyond the plain alphabets, from the
/// registry of national deviations: a digit as document type, a sex character
/// of its own. The issuer is the one the reading spells.
#[derive(Clone, Copy)]
struct Allowances {
    digit_type: bool,
    sex: Option<u8>,
}

impl Allowances {
    fn of(pos: &[Pos], format: Format, width: usize) -> Allowances {
        let mut issuer = [b'<'; 3];
        for (k, slot) in issuer.iter_mut().enumerate() {
            *slot = pos.get(2 + k).map_or(b'<', |p| p.read);
        }
        let issuer = std::str::from_utf8(&issuer).unwrap_or("");
        let sex = format.layout().span(FieldId::Sex).and_then(|span| {
            let read = pos.get(usize::from(span.line) * width + usize::from(span.start)).map(|p| p.read)?;
            variants::sex_character(format, issuer, read).map(|_| read)
        });
        Allowances { digit_type: variants::document_type_digit(format, issuer).is_some(), sex }
    }

    /// The alphabet of position `i`: [`alphabet_at`], widened where the
    /// registry allows it for this issuer.
    fn alphabet(self, format: Format, width: usize, i: usize) -> Alphabet {
        match alphabet_at(format, i / width, i % width) {
            _ if i == 1 && self.digit_type => Alphabet::AlphaNum,
            Alphabet::Sex => self.sex.map_or(Alphabet::Sex, Alphabet::SexOr),
            a => a,
        }
    }
}

/// Solves a reading as a given format; returns the result and the cost of the
/// characters chosen.
fn solve_as(mut pos: Vec<Pos>, format: Format, width: usize, count: usize) -> (Repaired, u32) {
    // Alphabet filtering; characters the field cannot hold are mapped through
    // the confusion table (see [`Pos::fit`]).
    let mut forced = vec![false; pos.len()];
    let mut unread: Vec<usize> = Vec::new();
    let allow = Allowances::of(&pos, format, width);
    for (i, p) in pos.iter_mut().enumerate() {
        let alphabet = allow.alphabet(format, width, i);
        if let Some(f) = forced.get_mut(i) {
            *f = !alphabet.allows(p.read);
        }
        if p.fit(alphabet) {
            unread.push(i);
        }
    }
    let chosen: Vec<u8> = pos.iter().map(Pos::best).collect();
    let mut grid = Grid { width, pos, chosen };
    let layout = format.layout();
    let number = number_layout(&grid, format, count);
    let groups = Groups::new(&grid, format, &number);

    // Plain text: open the alternatives where they can matter.
    let expand = |grid: &mut Grid, i: usize| {
        if let Some(p) = grid.pos.get_mut(i) {
            p.expand(alphabet_at(format, i / width, i % width));
        }
    };
    for g in &groups.fields {
        if !g.holds(|i| grid.at(i)) {
            for i in g.positions() {
                expand(&mut grid, i);
            }
        }
    }
    if let Some(cg) = &groups.composite
        && !cg.holds(|i| grid.at(i))
    {
        for i in cg.positions() {
            if groups.member_of(i).is_none() {
                expand(&mut grid, i);
            }
        }
    }
    for field in [FieldId::IssuingState, FieldId::Nationality] {
        if let Some(span) = layout.span(field)
            && !crate::mrz::is_known_country(&grid.text(span))
        {
            let idx: Vec<usize> = grid.span_positions(span).collect();
            for i in idx {
                expand(&mut grid, i);
            }
        }
    }

    let mut basis: Vec<(usize, RepairBasis)> = Vec::new();
    let mut doubts: Vec<Pending> = Vec::new();
    group::settle(&mut grid, &groups, &mut doubts);
    country::repair_codes(&mut grid, layout, &forced, &mut basis, &mut doubts);
    group::blind_combinations(&grid, &groups, &mut doubts);
    doubt::remaining(&grid, &groups, layout, &unread, &mut doubts);
    let cost: u32 = grid.chosen.iter().enumerate().map(|(i, &c)| u32::from(grid.cost(i, c))).sum();
    (report(&grid, &groups, format, count, &number, &basis, doubts), cost)
}

/// Where the document number's spans lie, from the reading chosen so far.
fn number_layout(grid: &Grid, format: Format, count: usize) -> NumberLayout {
    let text = lines_of(grid, count);
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
}

/// The lines as chosen.
fn lines_of(grid: &Grid, count: usize) -> Vec<String> {
    (0..count)
        .map(|l| grid.chosen.iter().skip(l * grid.width).take(grid.width).map(|&b| char::from(b)).collect())
        .collect()
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

/// The outcome: the lines chosen, every changed position with what confirms
/// it, every doubt. A change is confirmed (`CheckDigit`, `Composite`) only if
/// every check digit covering it holds; one a digit still refutes was forced
/// by the field's alphabet (`Alphabet`), not confirmed.
fn report(
    grid: &Grid,
    groups: &Groups,
    format: Format,
    count: usize,
    number: &NumberLayout,
    basis: &[(usize, RepairBasis)],
    doubts: Vec<Pending>,
) -> Repaired {
    let width = grid.width;
    let holds_by_group: Vec<bool> = groups.fields.iter().map(|g| g.holds(|i| grid.at(i))).collect();
    let composite_holds = groups.composite.as_ref().is_some_and(|g| g.holds(|i| grid.at(i)));
    let mut repairs = Vec::new();
    for (i, p) in grid.pos.iter().enumerate() {
        let to = grid.at(i);
        if p.read == to {
            continue;
        }
        let m = groups.member_of(i);
        let composite_ok = !groups.in_composite(i) || composite_holds;
        let b = match basis.iter().find(|(j, _)| *j == i) {
            Some(&(_, b)) => b,
            None if m.is_some_and(|m| holds_by_group.get(m).copied().unwrap_or(false)) && composite_ok => {
                RepairBasis::CheckDigit
            }
            None if m.is_none() && groups.in_composite(i) && composite_holds => RepairBasis::Composite,
            None => RepairBasis::Alphabet,
        };
        let (line, col) = (i / width, i % width);
        repairs.push(Repair {
            line: line + 1,
            column: col + 1,
            from: char::from(p.read),
            to: char::from(to),
            field: label_at(format, line, col, number),
            basis: b,
        });
    }
    let mut doubt_list: Vec<Doubt> = doubts
        .into_iter()
        .map(|d| {
            let (line, col) = (d.at / width, d.at % width);
            Doubt {
                line: line + 1,
                column: col + 1,
                read: char::from(grid.at(d.at)),
                alternatives: d.alternatives.into_iter().map(char::from).collect(),
                field: label_at(format, line, col, number),
                reason: d.reason,
            }
        })
        .collect();
    doubt_list.sort_by_key(|d| (d.line, d.column));
    doubt_list.dedup_by(|a, b| a.line == b.line && a.column == b.column);
    Repaired { lines: lines_of(grid, count), repairs, doubts: doubt_list }
}
