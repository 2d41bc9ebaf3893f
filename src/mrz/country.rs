//! The one table of issuing-state and nationality codes.
//!
//! Sources:
//! - ISO 3166-1 alpha-3, the officially assigned codes (249 entries, as maintained
//!   by the ISO 3166 Maintenance Agency; the list Doc 9303 Part 3 section 5 builds on).
//! - Doc 9303 Part 3 (8th edition), section 5, the codes ICAO adds for MRTDs:
//!   `D` (Germany, printed `D<<`), the British codes `GBD`, `GBN`, `GBO`, `GBP`,
//!   `GBS`, the United Nations codes `UNO`, `UNA`, `UNK`, the stateless and refugee
//!   codes `XXA`, `XXB`, `XXC`, `XXX`, and the codes of organisations: `EUE`,
//!   `XOM`, `XPO`, `XES`, `XMP`, `XCC`, `XBA`, `XEC`, `XIM`.
//! - `UTO`, the fictitious state of the Doc 9303 specimens; it is accepted so
//!   that specimen documents validate, and flagged by [`CountryKind::Specimen`].
//!
//! Codes are looked up as printed (`D<<`) or as field values, which carry no
//! trailing fillers (`D`). Lookup is a constant-time bitset probe, built at
//! compile time from the table.

/// What kind of entity a code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CountryKind {
    /// An ISO 3166-1 alpha-3 country or territory.
    Iso,
    /// A code Doc 9303 Part 3 adds (Germany's `D`, British nationality classes,
    /// United Nations, stateless persons and refugees, international organisations).
    Icao,
    /// The Doc 9303 specimen state `UTO`.
    Specimen,
}

/// ISO 3166-1 alpha-3, officially assigned codes.
const ISO: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF", "ATG", "AUS", "AUT",
    "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS", "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL",
    "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF", "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG",
    "COK", "COL", "COM", "CPV", "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM",
    "DZA", "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM", "GAB", "GBR",
    "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD", "GRL", "GTM", "GUF", "GUM", "GUY",
    "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN", "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA",
    "JAM", "JEY", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY",
    "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX", "MHL",
    "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS", "MWI", "MYS", "MYT", "NAM",
    "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER",
    "PHL", "PLW", "PNG", "POL", "PRI", "PRK", "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU",
    "SDN", "SEN", "SGP", "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL", "TKM", "TLS", "TON",
    "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY", "USA", "UZB", "VAT", "VCT", "VEN", "VGB",
    "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF", "ZMB", "ZWE",
];

/// Codes added by Doc 9303 Part 3 section 5, as written in the MRZ.
const ICAO: &[&str] = &[
    "D<<", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "EUE", "XOM", "XPO",
    "XES", "XMP", "XCC", "XBA", "XEC", "XIM",
];

/// The specimen state of Doc 9303.
const SPECIMEN: &[&str] = &["UTO"];

/// Index of a three-character code in a base-27 space (`A`-`Z`, then `<`).
// Compile-time table code: the length is checked before the three reads.
#[allow(clippy::indexing_slicing)]
const fn index(code: &[u8]) -> Option<usize> {
    if code.len() != 3 {
        return None;
    }
    let mut i = 0;
    let mut acc = 0usize;
    while i < 3 {
        let d = match code[i] {
            b @ b'A'..=b'Z' => (b - b'A') as usize,
            b'<' => 26,
            _ => return None,
        };
        acc = acc * 27 + d;
        i += 1;
    }
    Some(acc)
}

const SPACE: usize = 27 * 27 * 27;
const WORDS: usize = SPACE.div_ceil(64);

/// Two bits per code: known (any kind), and the kind in a side table.
struct Table {
    known: [u64; WORDS],
    icao: [u64; WORDS],
    specimen: [u64; WORDS],
}

// Runs only at compile time (for `TABLE`): a malformed entry or an index out of
// range stops the build, which is what a panic in a const context means.
#[allow(clippy::indexing_slicing, clippy::panic)]
const fn set(bits: &mut [u64; WORDS], codes: &[&str]) {
    let mut k = 0;
    while k < codes.len() {
        match index(codes[k].as_bytes()) {
            Some(i) => bits[i / 64] |= 1 << (i % 64),
            None => panic!("malformed code in the country table"),
        }
        k += 1;
    }
}

const fn build() -> Table {
    let mut t = Table { known: [0; WORDS], icao: [0; WORDS], specimen: [0; WORDS] };
    set(&mut t.known, ISO);
    set(&mut t.known, ICAO);
    set(&mut t.known, SPECIMEN);
    set(&mut t.icao, ICAO);
    set(&mut t.specimen, SPECIMEN);
    t
}

/// Built at compile time; a malformed entry fails the build, not a run.
static TABLE: Table = build();

fn probe(bits: &[u64; WORDS], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// The three characters of a code as printed: the code itself, or a shorter
/// one padded with fillers (`D` is printed `D<<`).
fn printed(code: &str) -> Option<[u8; 3]> {
    let bytes = code.as_bytes();
    if bytes.is_empty() || bytes.len() > 3 || (bytes.len() < 3 && bytes.contains(&b'<')) {
        return None;
    }
    let mut out = [b'<'; 3];
    for (slot, &b) in out.iter_mut().zip(bytes) {
        *slot = b;
    }
    Some(out)
}

/// Looks up a code as printed in the MRZ (three characters, `D<<` for
/// Germany) or as a field value without trailing fillers (`D`).
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{country_kind, CountryKind};
/// assert_eq!(country_kind("MLI"), Some(CountryKind::Iso));
/// assert_eq!(country_kind("D<<"), Some(CountryKind::Icao));
/// assert_eq!(country_kind("D"), Some(CountryKind::Icao));
/// assert_eq!(country_kind("XXB"), Some(CountryKind::Icao));
/// assert_eq!(country_kind("UTO"), Some(CountryKind::Specimen));
/// assert_eq!(country_kind("ZZZ"), None);
/// ```
pub fn country_kind(code: &str) -> Option<CountryKind> {
    let i = index(&printed(code)?)?;
    if !probe(&TABLE.known, i) {
        None
    } else if probe(&TABLE.icao, i) {
        Some(CountryKind::Icao)
    } else if probe(&TABLE.specimen, i) {
        Some(CountryKind::Specimen)
    } else {
        Some(CountryKind::Iso)
    }
}

/// Whether a code is in the table, as printed (`D<<`) or as a value (`D`).
///
/// # Examples
///
/// ```
/// assert!(mrtd_verify::mrz::is_known_country("NER"));
/// assert!(mrtd_verify::mrz::is_known_country("D"));
/// assert!(!mrtd_verify::mrz::is_known_country("NE<"));
/// assert!(!mrtd_verify::mrz::is_known_country("NE"));
/// ```
pub fn is_known_country(code: &str) -> bool {
    country_kind(code).is_some()
}

/// Every code in the table as printed (`D<<` for Germany), in table order (ISO,
/// then ICAO additions, then the specimen code). Generators pick from it.
///
/// # Examples
///
/// ```
/// assert!(mrtd_verify::mrz::known_countries().any(|c| c == "BFA"));
/// ```
pub fn known_countries() -> impl Iterator<Item = &'static str> {
    ISO.iter().chain(ICAO).chain(SPECIMEN).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(ISO.len(), 249);
        let mut sorted = ISO.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 249, "duplicates in the ISO table");
        assert_eq!(sorted, ISO, "keep the ISO table sorted");
    }

    #[test]
    fn every_entry_is_found() {
        for c in ISO {
            assert_eq!(country_kind(c), Some(CountryKind::Iso), "{c}");
        }
        for c in ICAO {
            assert_eq!(country_kind(c), Some(CountryKind::Icao), "{c}");
        }
    }

    #[test]
    fn absent_and_malformed() {
        for c in ["", "AAA", "ZZZ", "DE", "DEUX", "deu", "D<", "<", "<<<", "FR<", "12A", "d"] {
            assert_eq!(country_kind(c), None, "{c}");
        }
        // A code shorter than three is its printed form without the fillers.
        assert_eq!(country_kind("D"), Some(CountryKind::Icao));
        for c in ISO.iter().chain(ICAO).chain(SPECIMEN) {
            assert_eq!(country_kind(c.trim_end_matches('<')), country_kind(c), "{c}");
        }
        // Exactly the table is known: count the bits.
        let total: u32 = TABLE.known.iter().map(|w| w.count_ones()).sum();
        assert_eq!(total as usize, ISO.len() + ICAO.len() + SPECIMEN.len());
    }
}
