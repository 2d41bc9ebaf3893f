//! Doubts: positions whose reading the evidence cannot confirm, and why.

use std::fmt;

use super::cost::TIE;
use super::group::{Grid, Groups};
use crate::mrz::checksum::blind_class;
use crate::mrz::layout::{FieldId, Layout};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

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

/// A doubt found while solving, at a position of the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pending {
    pub(super) at: usize,
    pub(super) alternatives: Vec<u8>,
    pub(super) reason: DoubtReason,
}

impl Pending {
    pub(super) fn new(at: usize, alternatives: Vec<u8>, reason: DoubtReason) -> Pending {
        Pending { at, alternatives, reason }
    }
}

/// The doubts left once the check digits and the country table have spoken:
/// close OCR alternatives where no check digit covers the position, close
/// alternatives no covering digit can see (blind spots), and positions nothing
/// could be read at.
pub(super) fn remaining(grid: &Grid, groups: &Groups, layout: &Layout, unread: &[usize], doubts: &mut Vec<Pending>) {
    // Positions no check digit covers: close OCR alternatives are doubts.
    let country_spans = [layout.span(FieldId::IssuingState), layout.span(FieldId::Nationality)];
    for (i, p) in grid.pos.iter().enumerate() {
        let chosen = grid.at(i);
        let c0 = p.cost(chosen);
        if !p.alts().any(|a| a.0 != chosen && a.1 < c0 + TIE) {
            continue;
        }
        let (line, col) = (i / grid.width, i % grid.width);
        let in_country = country_spans.iter().flatten().any(|s| s.contains(line, col));
        if groups.member_of(i).is_some() || groups.in_composite(i) || in_country {
            continue;
        }
        let close: Vec<u8> = p.alts().filter(|a| a.0 != chosen && a.1 < c0 + TIE).map(|a| a.0).collect();
        doubts.push(Pending::new(i, close, DoubtReason::NoCheckDigit));
    }
    // Blind spots: covered positions whose close alternative no digit can see.
    for g in groups.fields.iter().chain(groups.composite.iter()) {
        for &i in &g.covered {
            let Some(p) = grid.pos.get(i) else { continue };
            let chosen = grid.at(i);
            let c0 = p.cost(chosen);
            let blind: Vec<u8> = p
                .alts()
                .filter(|a| a.0 != chosen && a.1 < c0 + TIE && blind_class(a.0) == blind_class(chosen))
                .map(|a| a.0)
                .collect();
            if !blind.is_empty() && !doubts.iter().any(|d| d.at == i) {
                doubts.push(Pending::new(i, blind, DoubtReason::BlindSpot));
            }
        }
    }
    for &i in unread {
        if !doubts.iter().any(|d| d.at == i) {
            doubts.push(Pending::new(i, Vec::new(), DoubtReason::Unrepairable));
        }
    }
}
