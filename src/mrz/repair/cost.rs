//! The cost model: what each position may hold, and how unlikely each
//! alternative is.
//!
//! Costs are in tenths of a nat (`-10 ln p`), as integers so that sums are
//! exact and ties are ties. A reading's cost is the sum of the costs of the
//! characters chosen; the repair prefers the cheapest reading its check digits
//! allow, and never moves far from what was read ([`MAX_MOVE`]).

use super::Candidate;
use super::confusion::confusions_of;
use crate::mrz::checksum::is_mrz_char;
use crate::mrz::layout::Alphabet;

/// A cost in tenths of a nat.
pub(super) type Cost = u16;
/// Cost of a reading the text gives with no score (plain text).
pub(super) const SURE: Cost = 0;
/// Cost of a confusion-table alternative in plain text, or of a forced mapping
/// into the field's alphabet.
pub(super) const CONFUSION: Cost = 30;
/// Cost of any character at a position the text gives no usable reading for.
pub(super) const WILD: Cost = 60;
/// What a check digit left refuted costs when formats are compared: as much as
/// one unread character.
pub(super) const REFUTED_PENALTY: u32 = WILD as u32;
/// Two solutions closer than this in cost are a tie.
pub(super) const TIE: Cost = 7;
/// An alternative the model found at least a quarter as likely as what it
/// read (`-10 ln 0.25` is 13.9): a close call, the bound the `ocr` family's
/// default `ocr_close_call_ratio` uses. A position where the check digits
/// cannot tell the reading from such an alternative is in doubt.
pub(super) const CLOSE: Cost = 14;
/// The most a single substitution may cost beyond the character read: an
/// alternative at least 1/20 as likely as the reading (or a confusion-table
/// alternative in plain text). A character read clearly is never rewritten to
/// satisfy a check digit: an altered character printed cleanly is a forgery to
/// report, not an OCR error to repair, and with three candidates per position
/// some improbable alternative would satisfy a check digit one time in ten.
pub(super) const MAX_MOVE: Cost = CONFUSION;
/// Alternatives kept per position (every digit and the filler fit).
const MAX_ALTS: usize = 12;

/// The cost of a candidate with this score.
pub(super) fn cost_of(score: f32) -> Cost {
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
pub(super) struct Pos {
    pub(super) read: u8,
    pub(super) n: u8,
    pub(super) lazy: bool,
    alts: [(u8, u8); MAX_ALTS],
}

impl Pos {
    const EMPTY: Pos = Pos { read: b'?', n: 0, lazy: false, alts: [(0, 0); MAX_ALTS] };

    /// The alternatives of a character read from plain text: the character
    /// itself (lazy: confusions are added where they matter).
    #[inline]
    pub(super) fn from_text(c: char) -> Pos {
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

    /// The alternatives an OCR engine gives, cheapest first; characters
    /// outside the MRZ set are ignored.
    pub(super) fn from_candidates(cands: &[Candidate]) -> Pos {
        let mut p = Pos::EMPTY;
        for c in cands.iter().filter(|c| is_mrz_char(c.ch)) {
            p.push(c.ch, cost_of(c.score));
        }
        p.sort();
        p.read = p.first().map_or(b'?', |a| a.0);
        p
    }

    /// Adds the confusion-table alternatives of a plain-text reading that the
    /// alphabet allows.
    pub(super) fn expand(&mut self, alphabet: Alphabet) {
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

    /// Keeps what the field's alphabet allows; characters it cannot hold are
    /// mapped through the confusion table. A position with nothing usable in a
    /// digit field gets every digit (a check digit may recover it); elsewhere
    /// no check digit can single out a letter, so a filler stands in and the
    /// position is unread: the return value says so.
    pub(super) fn fit(&mut self, alphabet: Alphabet) -> bool {
        if self.lazy && self.alts().all(|a| alphabet.allows(a.0)) {
            return false;
        }
        if self.lazy {
            // Not in the alphabet: the confusions are the candidate mappings.
            let read = self.first().map_or(self.read, |a| a.0);
            let mut mapped = Pos { read: self.read, ..Pos::EMPTY };
            for x in confusions_of(read).filter(|&x| alphabet.allows(x)) {
                mapped.push(x, CONFUSION);
            }
            *self = mapped;
        }
        if self.alts().any(|a| alphabet.allows(a.0)) {
            self.retain(|c| alphabet.allows(c));
            return false;
        }
        let mut mapped = Pos { read: self.read, ..Pos::EMPTY };
        for (ch, c) in self.alts() {
            for x in confusions_of(ch).filter(|&x| alphabet.allows(x)) {
                mapped.push(x, c + CONFUSION);
            }
        }
        let mut unread = false;
        if mapped.n == 0 {
            if alphabet == Alphabet::Digits {
                for b in b"0123456789<" {
                    mapped.push(*b, WILD);
                }
            } else {
                let stand_in = [b'<', b'A', b'0', b'M'].into_iter().find(|&b| alphabet.allows(b)).unwrap_or(b'<');
                mapped.push(stand_in, WILD);
                unread = true;
            }
        }
        mapped.sort();
        *self = mapped;
        unread
    }

    /// The alternatives with their costs as stored, cheapest first.
    pub(super) fn raw(&self) -> &[(u8, u8)] {
        self.alts.get(..usize::from(self.n)).unwrap_or(&[])
    }

    /// The alternatives with their costs, cheapest first.
    pub(super) fn alts(&self) -> impl Iterator<Item = (u8, Cost)> + '_ {
        self.raw().iter().map(|&(c, k)| (c, Cost::from(k)))
    }

    pub(super) fn first(&self) -> Option<(u8, Cost)> {
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

    /// The cheapest alternative (what was read if there is none).
    pub(super) fn best(&self) -> u8 {
        self.first().map_or(self.read, |a| a.0)
    }

    /// The cost of `ch` here ([`WILD`] if it is no alternative).
    pub(super) fn cost(&self, ch: u8) -> Cost {
        self.alts().find(|a| a.0 == ch).map_or(WILD, |a| a.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_follow_probabilities() {
        assert_eq!(cost_of(1.0), 0);
        assert_eq!(cost_of(0.0), 200);
        assert_eq!(cost_of(f32::NAN), 200);
        // 1/20 as likely is just within a move.
        assert!(cost_of(0.05) <= MAX_MOVE && cost_of(0.04) > MAX_MOVE);
    }

    #[test]
    fn a_letter_in_a_digit_field_maps_through_the_table() {
        let mut p = Pos::from_text('O');
        assert!(!p.fit(Alphabet::Digits));
        assert_eq!(p.best(), b'0');
        assert_eq!(p.cost(b'0'), CONFUSION);
        // Nothing maps '9' into a name: a filler stands in, unread.
        let mut p = Pos::from_text('9');
        assert!(p.fit(Alphabet::Alpha));
        assert_eq!(p.best(), b'<');
    }
}
