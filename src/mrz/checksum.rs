//! The MRZ character set and the Doc 9303 check digit (Part 3, section 4.9).
//!
//! Values: `0`-`9` are 0-9, `A`-`Z` are 10-35, the filler `<` is 0. Weights 7, 3, 1
//! repeat from the first character of the covered data; the check digit is the
//! weighted sum modulo 10. A composite check digit runs the same weights on across
//! several non-contiguous ranges, so the functions here take the starting weight
//! phase and return the running sum.

/// Value of each byte in the check-digit computation; `NOT_MRZ` marks bytes that
/// are not MRZ characters. One table lookup per character keeps the hot path
/// branch-free.
const VALUES: [u8; 256] = build_values();

/// Marker in [`VALUES`] for a byte outside the MRZ character set.
const NOT_MRZ: u8 = 0xFF;

// Compile-time only: every index is a byte value, below the table's 256 slots.
#[allow(clippy::indexing_slicing)]
const fn build_values() -> [u8; 256] {
    let mut table = [NOT_MRZ; 256];
    let mut b = b'0';
    while b <= b'9' {
        table[b as usize] = b - b'0';
        b += 1;
    }
    let mut b = b'A';
    while b <= b'Z' {
        table[b as usize] = b - b'A' + 10;
        b += 1;
    }
    table[b'<' as usize] = 0;
    table
}

/// Whether `b` is one of the 37 MRZ characters (`A`-`Z`, `0`-`9`, `<`).
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::is_mrz_char;
/// assert!(is_mrz_char(b'<'));
/// assert!(!is_mrz_char(b'a'));
/// ```
#[inline]
pub const fn is_mrz_char(b: u8) -> bool {
    char_value(b).is_some()
}

/// The check-digit value of an MRZ character (`0`-`9` → 0-9, `A`-`Z` → 10-35,
/// `<` → 0), or `None` for any other byte.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::char_value;
/// assert_eq!(char_value(b'Z'), Some(35));
/// assert_eq!(char_value(b'<'), Some(0));
/// assert_eq!(char_value(b'-'), None);
/// ```
#[inline]
// The table has 256 entries, one per value of a `u8`: the index is always in
// bounds (and the compiler knows it; no check is emitted).
#[allow(clippy::indexing_slicing)]
pub const fn char_value(b: u8) -> Option<u8> {
    match VALUES[b as usize] {
        NOT_MRZ => None,
        v => Some(v),
    }
}

/// The weight of the character at `index` (from 0) of the data a check digit
/// covers: 7, 3, 1, repeating from the first character.
#[inline]
pub(crate) const fn weight(index: usize) -> u32 {
    match index % 3 {
        0 => 7,
        1 => 3,
        _ => 1,
    }
}

/// Adds the weighted values of `data` to `sum`, starting at weight phase `phase`
/// (0 for weight 7), and returns the new sum and phase. Bytes outside the MRZ set
/// count as 0; callers validate the character set first.
#[inline]
pub(crate) fn accumulate(data: &[u8], mut sum: u32, mut phase: usize) -> (u32, usize) {
    for &b in data {
        let v = u32::from(char_value(b).unwrap_or_default());
        sum += v * weight(phase);
        phase = if phase == 2 { 0 } else { phase + 1 };
    }
    (sum, phase)
}

/// The Doc 9303 check digit (0-9) of `data`.
///
/// Bytes outside the MRZ character set count as 0, like the filler; validate the
/// text first if that matters.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::check_digit;
/// assert_eq!(check_digit(b"L898902C3"), 6);
/// assert_eq!(check_digit(b"740812"), 2);
/// assert_eq!(check_digit(b"120415"), 9);
/// ```
#[inline]
pub fn check_digit(data: &[u8]) -> u8 {
    let (sum, _) = accumulate(data, 0, 0);
    // `sum % 10` is below 10, so the narrowing cannot truncate.
    (sum % 10) as u8
}

/// The check digit over several ranges taken as one sequence, as the composite
/// check digit of TD1, TD2 and TD3 is defined.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{check_digit, check_digit_parts};
/// assert_eq!(check_digit_parts(&[b"L898", b"902C3"]), check_digit(b"L898902C3"));
/// ```
pub fn check_digit_parts(parts: &[&[u8]]) -> u8 {
    let mut sum = 0;
    let mut phase = 0;
    for part in parts {
        (sum, phase) = accumulate(part, sum, phase);
    }
    (sum % 10) as u8
}

/// Classes of characters that a check digit cannot tell apart: two characters
/// whose values differ by a multiple of 10 give the same check digit in any
/// position, because the weights 7, 3 and 1 are all coprime with 10. The class of
/// a character is its value modulo 10.
///
/// This is the check digit's blind spot: `<` and `K`, `8` and `S`, `6` and `G`,
/// `5` and `Z` are among the OCR confusions that fall inside one class.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::blind_class;
/// assert_eq!(blind_class(b'<'), blind_class(b'K'));
/// assert_ne!(blind_class(b'O'), blind_class(b'0'));
/// ```
#[inline]
pub const fn blind_class(b: u8) -> Option<u8> {
    match char_value(b) {
        Some(v) => Some(v % 10),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain reference implementation to compare the table-driven one against.
    fn naive(data: &[u8]) -> u8 {
        let mut sum = 0u32;
        for (i, &b) in data.iter().enumerate() {
            let v = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                _ => 0,
            };
            sum += v * [7, 3, 1][i % 3];
        }
        (sum % 10) as u8
    }

    #[test]
    fn icao_examples() {
        assert_eq!(check_digit(b"L898902C3"), 6);
        assert_eq!(check_digit(b"740812"), 2);
        assert_eq!(check_digit(b"120415"), 9);
        assert_eq!(check_digit(b"D23145890"), 7);
        assert_eq!(check_digit(b"ZE184226B<<<<<"), 1);
    }

    #[test]
    fn charset() {
        let all: Vec<u8> = (0u8..=255).filter(|&b| is_mrz_char(b)).collect();
        assert_eq!(all.len(), 37);
        assert!(all.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'<'));
        assert_eq!(char_value(b'a'), None);
        assert_eq!(char_value(b' '), None);
    }

    #[test]
    fn parts_equal_concatenation() {
        let whole = b"L898902C36740812212041590";
        for cut in 0..whole.len() {
            let (a, b) = whole.split_at(cut);
            assert_eq!(check_digit_parts(&[a, b]), check_digit(whole));
        }
    }

    #[test]
    fn blind_classes_are_really_blind() {
        // Every pair in one class gives the same digit in every position.
        let chars: Vec<u8> = (0u8..=255).filter(|&b| is_mrz_char(b)).collect();
        for &a in &chars {
            for &b in &chars {
                let same = blind_class(a) == blind_class(b);
                for pos in 0..3 {
                    let mut x = *b"1234";
                    let mut y = *b"1234";
                    x[pos] = a;
                    y[pos] = b;
                    assert_eq!(check_digit(&x) == check_digit(&y), same, "{a} {b} {pos}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn table_matches_naive(data in proptest::collection::vec(proptest::sample::select(
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<".to_vec()), 0..60)) {
            proptest::prop_assert_eq!(check_digit(&data), naive(&data));
        }
    }
}
