//! The group solver: each check digit and the positions it covers form a
//! group; each group's cheapest substitutions that satisfy it are found, then
//! the combinations that satisfy every digit, the composite included.

use super::cost::{CLOSE, Cost, MAX_MOVE, Pos, TIE, WILD};
use super::doubt::{DoubtReason, Pending};
use crate::mrz::checksum::{blind_class, char_value, weight};
use crate::mrz::layout::{CheckId, FieldId, Format, Span};
use crate::mrz::variants;

/// Maximum substitutions per check-digit group.
const MAX_CHANGES: usize = 2;
/// Most solutions kept per group for the joint search.
const MAX_SOLUTIONS: usize = 8;
/// Most substitutions in one joint assignment (4 groups of 2, plus one).
const MAX_JOINT: usize = 12;

/// The reading being repaired: every position's alternatives, and the
/// character chosen at each so far.
pub(super) struct Grid {
    pub(super) width: usize,
    pub(super) pos: Vec<Pos>,
    pub(super) chosen: Vec<u8>,
}

impl Grid {
    pub(super) fn idx(&self, span: Span, k: usize) -> usize {
        usize::from(span.line) * self.width + usize::from(span.start) + k
    }

    pub(super) fn span_positions(&self, span: Span) -> impl Iterator<Item = usize> + '_ {
        (0..usize::from(span.len)).map(move |k| self.idx(span, k))
    }

    pub(super) fn at(&self, i: usize) -> u8 {
        self.chosen.get(i).copied().unwrap_or(b'<')
    }

    pub(super) fn cost(&self, i: usize, ch: u8) -> Cost {
        self.pos.get(i).map_or(WILD, |p| p.cost(ch))
    }

    /// The text of a span as chosen so far.
    pub(super) fn text(&self, span: Span) -> String {
        self.span_positions(span).map(|i| char::from(self.at(i))).collect()
    }
}

/// Where the document number and its digit lie for this reading.
#[derive(Debug, Clone, Copy)]
pub(super) struct NumberLayout {
    pub(super) head: Span,
    pub(super) tail: Option<Span>,
    pub(super) digit: Span,
}

/// A check-digit group: covered positions in weight order, and the digit.
pub(super) struct Group {
    pub(super) covered: Vec<usize>,
    pub(super) digit: usize,
    filler_ok: bool,
    /// Another way the digit may be computed, where the registry allows one
    /// (a long number's digit over the filler after its principal part).
    also: Option<Vec<usize>>,
}

impl Group {
    /// The covered positions and the digit.
    pub(super) fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.covered.iter().copied().chain(std::iter::once(self.digit))
    }

    /// Whether the group holds for the characters `chars(i)`.
    pub(super) fn holds(&self, chars: impl Fn(usize) -> u8) -> bool {
        let sum_of = |covered: &[usize]| -> (u32, bool) {
            let mut sum = 0u32;
            let mut fillers = true;
            for (k, &i) in covered.iter().enumerate() {
                let c = chars(i);
                fillers &= c == b'<';
                sum += u32::from(char_value(c).unwrap_or(0)) * weight(k);
            }
            (sum, fillers)
        };
        let (sum, fillers) = sum_of(&self.covered);
        let d = chars(self.digit);
        let digit_is = |sum: u32| d.is_ascii_digit() && u32::from(d - b'0') == sum % 10;
        digit_is(sum)
            || (self.filler_ok && fillers && d == b'<')
            || self.also.as_deref().is_some_and(|a| digit_is(sum_of(a).0))
    }
}

/// The check-digit groups of a reading: one per field digit, the composite,
/// and which group each position belongs to.
pub(super) struct Groups {
    pub(super) fields: Vec<Group>,
    pub(super) composite: Option<Group>,
    member: Vec<Option<usize>>,
    in_composite: Vec<bool>,
}

impl Groups {
    /// The groups of `format` over this reading; the document number's from
    /// `number`.
    pub(super) fn new(grid: &Grid, format: Format, number: &NumberLayout) -> Groups {
        let layout = format.layout();
        let issuer = layout.span(FieldId::IssuingState).map(|s| grid.text(s)).unwrap_or_default();
        let mut fields: Vec<Group> = Vec::new();
        let mut composite: Option<Group> = None;
        for def in layout.checks {
            let mut also = None;
            let (covered, digit): (Vec<usize>, usize) = if def.id == CheckId::DocumentNumber {
                let mut v: Vec<usize> = grid.span_positions(number.head).collect();
                if let Some(t) = number.tail {
                    if variants::long_number_over_filler(format, &issuer).is_some() {
                        // `def.digit` is the filler ending the principal part.
                        let over: Vec<usize> = v
                            .iter()
                            .copied()
                            .chain(grid.span_positions(def.digit))
                            .chain(grid.span_positions(t))
                            .collect();
                        also = Some(over);
                    }
                    v.extend(grid.span_positions(t));
                }
                (v, grid.idx(number.digit, 0))
            } else {
                (def.covers.iter().flat_map(|&s| grid.span_positions(s)).collect(), grid.idx(def.digit, 0))
            };
            let filler_ok = variants::filler_check(format, &issuer, def.id).is_some();
            let g = Group { covered, digit, filler_ok, also };
            if def.id == CheckId::Composite {
                composite = Some(g);
            } else {
                fields.push(g);
            }
        }
        let mut member = vec![None; grid.pos.len()];
        for (gi, g) in fields.iter().enumerate() {
            for i in g.positions() {
                if let Some(m) = member.get_mut(i) {
                    *m = Some(gi);
                }
            }
        }
        let mut in_composite = vec![false; grid.pos.len()];
        if let Some(cg) = &composite {
            for i in cg.positions() {
                if let Some(m) = in_composite.get_mut(i) {
                    *m = true;
                }
            }
        }
        Groups { fields, composite, member, in_composite }
    }

    /// The field group position `i` belongs to (covered or its digit).
    pub(super) fn member_of(&self, i: usize) -> Option<usize> {
        self.member.get(i).copied().flatten()
    }

    /// Whether the composite covers position `i` (or stands there).
    pub(super) fn in_composite(&self, i: usize) -> bool {
        self.in_composite.get(i).copied().unwrap_or(false)
    }

    /// Substitutions at positions only the composite covers, within reach of
    /// what was read.
    pub(super) fn composite_moves(&self, grid: &Grid) -> Vec<(usize, u8, Cost)> {
        let mut moves = Vec::new();
        let Some(cg) = &self.composite else { return moves };
        for i in cg.positions() {
            if self.member_of(i).is_some() {
                continue;
            }
            let cur = grid.at(i);
            let base = grid.cost(i, cur);
            if let Some(p) = grid.pos.get(i) {
                for (ch, c) in p.alts() {
                    let extra = c.saturating_sub(base);
                    if ch != cur && (i != cg.digit || ch.is_ascii_digit()) && extra <= MAX_MOVE {
                        moves.push((i, ch, extra));
                    }
                }
            }
        }
        moves
    }
}

/// Settles what the check digits decide: every group's solutions, then the
/// combinations that satisfy every digit. Positions every tied combination
/// sets the same way are changed (their basis follows from the digits that
/// hold at the end); the others stay as read, in doubt.
pub(super) fn settle(grid: &mut Grid, groups: &Groups, doubts: &mut Vec<Pending>) {
    let solutions: Vec<Vec<Solution>> = groups.fields.iter().map(|g| solve_group(grid, g)).collect();
    for (g, s) in groups.fields.iter().zip(&solutions) {
        if s.is_empty() {
            doubts.push(Pending::new(g.digit, Vec::new(), DoubtReason::Unrepairable));
        }
    }
    let composite_moves = groups.composite_moves(grid);
    let joint = joint_search(grid, &solutions, groups.composite.as_ref(), &composite_moves);
    match joint.as_slice() {
        [] => {
            // Nothing satisfies every digit. Each group's unique cheapest fix
            // satisfies its own digit; it is applied only if no other digit
            // covering it stays refuted: a fix the composite refutes is no
            // confirmation (an altered check digit is not an OCR error), so the
            // characters stay as read and the fix is a doubt.
            let mut applied: Vec<(usize, u8, u8)> = Vec::new();
            for sols in &solutions {
                if let [best, rest @ ..] = sols.as_slice() {
                    if rest.first().is_none_or(|s| s.cost - best.cost >= TIE) {
                        for &(i, ch) in best.changes.as_slice() {
                            let i = usize::from(i);
                            if let Some(slot) = grid.chosen.get_mut(i) {
                                applied.push((i, *slot, ch));
                                *slot = ch;
                            }
                        }
                    } else {
                        for &(i, ch) in best.changes.as_slice() {
                            doubts.push(Pending::new(usize::from(i), vec![ch], DoubtReason::SeveralSolutions));
                        }
                    }
                }
            }
            if let Some(cg) = &groups.composite
                && !cg.holds(|i| grid.at(i))
            {
                for &(i, read, ch) in applied.iter().filter(|a| groups.in_composite(a.0)) {
                    if let Some(slot) = grid.chosen.get_mut(i) {
                        *slot = read;
                    }
                    doubts.push(Pending::new(i, vec![ch], DoubtReason::Unrepairable));
                }
            }
            if let Some(cg) = &groups.composite
                && !groups.fields.is_empty()
                && solutions.iter().all(|s| !s.is_empty())
            {
                doubts.push(Pending::new(cg.digit, Vec::new(), DoubtReason::Unrepairable));
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
                    let reason = if blind { DoubtReason::BlindSpot } else { DoubtReason::SeveralSolutions };
                    doubts.push(Pending::new(i, alts, reason));
                }
            }
        }
    }
}

/// Up to `N` substitutions (position, character), without allocation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Changes<const N: usize> {
    n: u8,
    items: [(u16, u8); N],
}

impl<const N: usize> Changes<N> {
    const EMPTY: Self = Changes { n: 0, items: [(0, 0); N] };

    pub(super) fn as_slice(&self) -> &[(u16, u8)] {
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

    pub(super) fn get(&self, i: usize) -> Option<u8> {
        self.as_slice().iter().find(|c| usize::from(c.0) == i).map(|c| c.1)
    }
}

/// A solution for one group: its substitutions and their extra cost.
#[derive(Debug, Clone, Copy)]
pub(super) struct Solution {
    pub(super) changes: Changes<MAX_CHANGES>,
    pub(super) cost: Cost,
}

/// One consistent assignment over all groups.
#[derive(Debug, Clone, Copy)]
pub(super) struct Joint {
    pub(super) cost: Cost,
    pub(super) changes: Changes<MAX_JOINT>,
}

/// The substitutions within reach ([`MAX_MOVE`]) at a group's positions, with
/// their cost beyond what was chosen; the digit takes only digits (or the
/// filler where the registry allows it).
fn group_moves(grid: &Grid, g: &Group) -> Vec<(usize, u8, Cost)> {
    let mut moves = Vec::new();
    for i in g.positions() {
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
    moves
}

/// Substitutions of up to `MAX_CHANGES` positions of a group, in increasing
/// cost; every satisfying one found, cheapest first.
pub(super) fn solve_group(grid: &Grid, g: &Group) -> Vec<Solution> {
    let mut moves = group_moves(grid, g);
    let base_chars = |i: usize| grid.at(i);
    let mut out = Vec::new();
    if g.holds(base_chars) {
        out.push(Solution { changes: Changes::EMPTY, cost: 0 });
        // Only alternatives close to the reading can compete with it.
        moves.retain(|m| m.2 < TIE);
    }
    for (a, &(i, ch, c)) in moves.iter().enumerate() {
        if g.holds(|j| if j == i { ch } else { base_chars(j) }) {
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
            if g.holds(read) {
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
pub(super) fn joint_search(
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
    let mut search =
        Search { grid, sols, composite, moves, scratch: &mut scratch, found: &mut found, bound: &mut bound };
    search.run(0, Joint { cost: 0, changes: Changes::EMPTY });
    found.sort_by_key(|j| j.cost);
    let best = found.first().map_or(0, |f| f.cost);
    found.retain(|f| f.cost - best < TIE);
    found
}

/// The state of a joint search.
struct Search<'a> {
    grid: &'a Grid,
    sols: &'a [Vec<Solution>],
    composite: Option<&'a Group>,
    moves: &'a [(usize, u8, Cost)],
    scratch: &'a mut [u8],
    found: &'a mut Vec<Joint>,
    bound: &'a mut Cost,
}

impl Search<'_> {
    fn record(&mut self, j: Joint) {
        *self.bound = (*self.bound).min(j.cost);
        self.found.push(j);
    }

    /// Extends `at` with a solution of group `k` and on; at the end, checks the
    /// composite (with one more substitution where it alone covers).
    fn run(&mut self, k: usize, at: Joint) {
        if at.cost >= self.bound.saturating_add(TIE) {
            return;
        }
        let (sols, moves) = (self.sols, self.moves);
        if let Some(options) = sols.get(k) {
            for s in options.iter().take(MAX_SOLUTIONS) {
                let mut next = at;
                next.cost += s.cost;
                if next.changes.extend(s.changes.as_slice()) {
                    self.run(k + 1, next);
                }
            }
            return;
        }
        let Some(cg) = self.composite else {
            self.record(at);
            return;
        };
        for &(i, ch) in at.changes.as_slice() {
            if let Some(slot) = self.scratch.get_mut(usize::from(i)) {
                *slot = ch;
            }
        }
        if cg.holds(|i| self.scratch.get(i).copied().unwrap_or(b'<')) {
            self.record(at);
        }
        for &(i, ch, c) in moves {
            if at.cost + c >= self.bound.saturating_add(TIE) {
                continue;
            }
            if cg.holds(|j| if j == i { ch } else { self.scratch.get(j).copied().unwrap_or(b'<') }) {
                let mut with = at;
                with.cost += c;
                if with.changes.push(i, ch) {
                    self.record(with);
                }
            }
        }
        for &(i, _) in at.changes.as_slice() {
            let i = usize::from(i);
            if let Some(slot) = self.scratch.get_mut(i) {
                *slot = self.grid.at(i);
            }
        }
    }
}

/// Most substitutions in one blind combination.
const MAX_BLIND: usize = 3;
/// Most alternatives per group tried for blind combinations (the cheapest).
const MAX_BLIND_MOVES: usize = 16;

/// Readings the check digits cannot tell from the one chosen: one to three
/// substitutions among the OCR's alternatives, each a close call ([`CLOSE`]:
/// at least a quarter as likely as the character chosen) and together at
/// most [`MAX_MOVE`] beyond the reading, that leave every check digit as it
/// stands, where every check digit they touch holds (a refuted digit
/// confirms nothing anyway). Two `O`/`0` confusions at weights 7 and 3 are
/// one (24 x 7 + 24 x 3 = 240); `6`/`G` alone is one too. Each position of
/// such a combination is a [`DoubtReason::BlindSpot`], with the alternatives
/// that combine there; the reading's trust then rests on the OCR alone.
pub(super) fn blind_combinations(grid: &Grid, groups: &Groups, doubts: &mut Vec<Pending>) {
    let all: Vec<&Group> = groups.fields.iter().chain(groups.composite.iter()).collect();
    let as_read: Vec<bool> = all.iter().map(|g| g.holds(|i| grid.at(i))).collect();
    let mut found: Vec<(usize, u8)> = Vec::new();
    for (g, _) in all.iter().zip(&as_read).filter(|(_, held)| **held) {
        let mut moves = group_moves(grid, g);
        moves.retain(|m| m.2 <= CLOSE);
        moves.sort_by_key(|m| m.2);
        moves.truncate(MAX_BLIND_MOVES);
        combine(grid, &all, &as_read, &moves, 0, 0, Changes::EMPTY, &mut found);
    }
    found.sort_unstable();
    found.dedup();
    for (i, ch) in found {
        match doubts.iter_mut().find(|d| d.at == i) {
            Some(d) => {
                if !d.alternatives.contains(&ch) {
                    d.alternatives.push(ch);
                    d.alternatives.sort_unstable();
                }
            }
            None => doubts.push(Pending::new(i, vec![ch], DoubtReason::BlindSpot)),
        }
    }
}

/// Extends `pick` with moves from `from` on, recording every combination
/// that no check digit sees.
#[allow(clippy::too_many_arguments)]
fn combine(
    grid: &Grid,
    all: &[&Group],
    as_read: &[bool],
    moves: &[(usize, u8, Cost)],
    from: usize,
    cost: Cost,
    pick: Changes<MAX_BLIND>,
    found: &mut Vec<(usize, u8)>,
) {
    for (k, &(i, ch, c)) in moves.iter().enumerate().skip(from) {
        let total = cost.saturating_add(c);
        // Moves are sorted by cost: none further fits either.
        if total > MAX_MOVE {
            break;
        }
        if pick.get(i).is_some() {
            continue;
        }
        let mut next = pick;
        if !next.push(i, ch) {
            continue;
        }
        let read = |j: usize| next.get(j).unwrap_or_else(|| grid.at(j));
        let touches = |g: &Group| g.positions().any(|p| next.get(p).is_some());
        if all.iter().zip(as_read).all(|(g, &held)| if touches(g) { held && g.holds(read) } else { true }) {
            found.extend(next.as_slice().iter().map(|&(p, c)| (usize::from(p), c)));
        }
        if next.as_slice().len() < MAX_BLIND {
            combine(grid, all, as_read, moves, k + 1, total, next, found);
        }
    }
}
