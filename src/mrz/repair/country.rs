//! Country-code repair: no check digit covers the issuing state or the
//! nationality, but the country table does. A code the reading had to force
//! into letters, or one the table does not know, is changed when exactly one
//! reading within reach of what was read is a known code.

use super::RepairBasis;
use super::cost::{Cost, MAX_MOVE, TIE};
use super::doubt::{DoubtReason, Pending};
use super::group::Grid;
use crate::mrz::country::is_known_country;
use crate::mrz::layout::{FieldId, Layout};

/// Repairs the issuing state and nationality of `grid` by the country table;
/// `forced[i]` says whether position `i` held a character its field cannot.
pub(super) fn repair_codes(
    grid: &mut Grid,
    layout: &Layout,
    forced: &[bool],
    basis: &mut Vec<(usize, RepairBasis)>,
    doubts: &mut Vec<Pending>,
) {
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
                        doubts.push(Pending::new(i, alts, DoubtReason::SeveralSolutions));
                    }
                }
            }
            [] => {}
        }
    }
}
