//! The confusion table: which OCR-B characters OCR engines mistake for which.
//!
//! Plain text carries no scores, so the table is all plain-text repair may
//! consider; with OCR candidates it maps a reading its field cannot hold into
//! the field's alphabet (`O` in a date becomes `0`).

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
/// use mrtd_verify::mrz::confusions_of;
/// assert!(confusions_of(b'0').any(|c| c == b'O'));
/// assert!(confusions_of(b'K').any(|c| c == b'<'));
/// ```
pub fn confusions_of(b: u8) -> impl Iterator<Item = u8> {
    CONFUSION_TABLE.get(usize::from(b)).into_iter().flatten().copied().filter(|&c| c != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusions_go_both_ways() {
        for &(a, b) in CONFUSIONS {
            assert!(confusions_of(a).any(|c| c == b), "{} -> {}", a as char, b as char);
            assert!(confusions_of(b).any(|c| c == a), "{} -> {}", b as char, a as char);
        }
        assert_eq!(confusions_of(b'9').count(), 0);
    }
}
