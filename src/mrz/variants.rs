//! The registry of known deviations from the plain Doc 9303 layouts.
//!
//! Each entry is data: what it changes, where it applies, and its source. The
//! parser consults the registry at six points (format detection, the document
//! number, its check digit, check digits written as fillers, a digit as
//! document type, a sex character of its own) instead
//! of carrying per-country conditions, and every parsed document lists the
//! entries it used, so a report says when a reading relied on a deviation.

use super::layout::{CheckId, Format};

/// What a registry entry changes: how the document deviates from the plain
/// Doc 9303 layout.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::variants::{Deviation, REGISTRY};
/// let fra = REGISTRY.iter().find(|v| v.id == "FRA_CNI_1988").unwrap();
/// assert!(matches!(fra.deviation, Deviation::Layout { prefix: "IDFRA", .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Deviation {
    /// A national format with a layout of its own, recognised by its first
    /// characters and its shape.
    Layout {
        /// The format this entry introduces.
        format: Format,
        /// The characters line 1 starts with.
        prefix: &'static str,
    },
    /// A document number longer than 9 characters: position 10 (TD2) or 15 (TD1)
    /// holds `<`, and the number continues at the start of the optional data,
    /// followed by its check digit and a filler. The check digit covers the whole
    /// number.
    LongDocumentNumber,
    /// A check digit may be written as `<` when every character it covers is a
    /// filler; the digit is then reported as not printed.
    FillerCheckDigit {
        /// Which check digit.
        check: CheckId,
    },
    /// The second character of the document code (the issuer's document type)
    /// may be a digit, where Doc 9303 asks for a letter or a filler.
    DocumentTypeDigit,
    /// The check digit of a long document number ([`Deviation::LongDocumentNumber`])
    /// counts the filler that ends the principal part (position 15 on TD1) as a
    /// character of value 0, so the weights run on through it; Doc 9303 leaves
    /// that filler out. Accepted only where the standard digit is refuted.
    LongNumberCheckOverFiller,
    /// The sex field holds a character Doc 9303 does not list (`M`, `F`, `<`;
    /// `X` in practice). Read and reported as a warning naming the entry, not
    /// as invalid data: the officer compares it with the visual zone.
    SexCharacter {
        /// The character printed.
        found: u8,
    },
}

/// One registry entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// Stable identifier, used in reports.
    pub id: &'static str,
    /// A one-line description.
    pub title: &'static str,
    /// The formats it applies to.
    pub formats: &'static [Format],
    /// Issuing states it applies to (MRZ codes); empty for any issuer.
    pub issuers: &'static [&'static str],
    /// What it changes.
    pub deviation: Deviation,
    /// Where the rule is documented, and where it was seen.
    pub source: &'static str,
}

/// The registry.
pub const REGISTRY: &[Variant] = &[
    Variant {
        id: "ICAO_LONG_DOCUMENT_NUMBER",
        title: "Document number of more than 9 characters continued in the optional data",
        formats: &[Format::Td1, Format::Td2],
        issuers: &[],
        deviation: Deviation::LongDocumentNumber,
        source: "Doc 9303 (8th ed.) Part 5 section 4.2.2 note j (TD1) and Part 6 section 4.2.2 note j \
                 (TD2). Seen on Belgian, Senegalese (ECOWAS), Dominican and Guatemalan identity \
                 cards (idpass/smartscanner-mrz-parser #5 and #11, selfxyz/self #1336).",
    },
    Variant {
        id: "ICAO_OPTIONAL_DATA_FILLER_CHECK_DIGIT",
        title: "Optional-data check digit written as a filler when the optional data is empty",
        formats: &[Format::Td3],
        issuers: &[],
        deviation: Deviation::FillerCheckDigit { check: CheckId::OptionalData },
        source: "Doc 9303 (8th ed.) Part 4 section 4.2.2, position 43: zero or filler when positions \
                 29-42 are all fillers. Seen on German, Austrian and Indian passports \
                 (Arg0s1080/mrz #3 and #21, asmarques/mrtd #5).",
    },
    Variant {
        id: "FRA_CNI_1988",
        title: "French national identity card, 1988-2021 model (2 lines of 36, IDFRA)",
        formats: &[Format::FraId],
        issuers: &["FRA"],
        deviation: Deviation::Layout { format: Format::FraId, prefix: "IDFRA" },
        source: "French national format (arrete of 1987 on the carte nationale d'identite, model \
                 issued 1988-2021): line 1 surname in 6-30, department and office in 31-36; line 2 \
                 card number 1-12 with check 13, given names 14-27, birth 28-33 with check 34, sex \
                 35, composite 36 over line 1 and line 2 positions 1-35.",
    },
    Variant {
        id: "USA_DOCUMENT_TYPE_DIGIT",
        title: "Document type written as a digit (second character of the document code)",
        formats: &[Format::Td1],
        issuers: &["USA"],
        deviation: Deviation::DocumentTypeDigit,
        source: "Doc 9303 (8th ed.) Part 5 section 4.2.2 leaves the second character of the \
                 document code to the issuer (alphabetic in the data element table). United States \
                 cards print a digit there: permanent resident card (Form I-551) `C1`, border \
                 crossing card `A3`, seen on the public specimens of both.",
    },
    Variant {
        id: "BEL_LONG_NUMBER_CHECK_OVER_FILLER",
        title: "Long document number check digit computed with the filler at position 15 counted",
        formats: &[Format::Td1],
        issuers: &["BEL"],
        deviation: Deviation::LongNumberCheckOverFiller,
        source: "Doc 9303 (8th ed.) Part 5 section 4.2.4 (check digits in the MRZ): the long document \
                 number check digit is computed over positions 6-14 and 16 on; \"position 15 contains '<' \
                 and is excluded from the check digit calculation\" (Part 5 section 4.2.2 note j: the \
                 number continues at position 16, followed by its check digit and a filler). The Belgian \
                 identity card specimen BEL-BO-03003 (PRADO, Council of the EU) prints \
                 IDBEL000590240<6013: its digit 3 holds only with the filler counted (000590240<601 \
                 gives 3, 000590240601 gives 1), while specimen BEL-BO-11005 (IDBEL600001795<0152) \
                 holds only the standard way, so both are accepted for Belgium. Both specimens are in \
                 the test suites of cheminfo/mrz (src/parsers/__tests__/check.test.ts) and \
                 MustelaItatsi/MrzParser (tests/Unit/DocumentTest.php).",
    },
    Variant {
        id: "HRV_SEX_ZERO",
        title: "Sex written as the digit 0 on Croatian identity cards",
        formats: &[Format::Td1],
        issuers: &["HRV"],
        deviation: Deviation::SexCharacter { found: b'0' },
        source: "Doc 9303 (8th ed.) Part 5 section 4.2.2 allows F, M or < (X in Part 3's visual \
                 zone) at line 2 position 8. A genuine Croatian identity card of the 2021 model, in \
                 the project's unseen real-world evaluation set (issue 11; not in the repository), \
                 prints 0 there and its check digits hold. Reported as a warning, never a failure.",
    },
];

/// A set of registry entries, by index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct VariantSet(u32);

impl VariantSet {
    pub(crate) fn insert(&mut self, index: usize) {
        if index < 32 {
            self.0 |= 1 << index;
        }
    }

    /// Whether no entry was used.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The entries in the set, in registry order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mrz = mrtd_verify::mrz::parse(
    ///     "IDFRABERTHIER<<<<<<<<<<<<<<<<<923003\n\
    ///      8806923102858CORINNE<<<<<<<6512068F1",
    /// ).unwrap();
    /// assert!(mrz.check_digits_hold());
    /// let ids: Vec<_> = mrz.variants().iter().map(|v| v.id).collect();
    /// assert_eq!(ids, ["FRA_CNI_1988"]);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = &'static Variant> {
        REGISTRY.iter().enumerate().filter(move |(i, _)| self.0 & (1 << i) != 0).map(|(_, v)| v)
    }
}

fn applies(v: &Variant, format: Format, issuer: &str) -> bool {
    v.formats.contains(&format) && (v.issuers.is_empty() || v.issuers.contains(&issuer))
}

/// The national layout whose prefix and shape match, with its registry index.
pub(crate) fn detect_layout(first_line: &str, lines: usize, width: usize) -> Option<(usize, Format)> {
    REGISTRY.iter().enumerate().find_map(|(i, v)| match v.deviation {
        Deviation::Layout { format, prefix }
            if first_line.starts_with(prefix) && format.lines() == lines && format.width() == width =>
        {
            Some((i, format))
        }
        _ => None,
    })
}

/// The registry index of the long-document-number rule for this format, if any.
pub(crate) fn long_number(format: Format, issuer: &str) -> Option<usize> {
    REGISTRY.iter().position(|v| v.deviation == Deviation::LongDocumentNumber && applies(v, format, issuer))
}

/// The registry index allowing `check` to be written as a filler, if any.
pub(crate) fn filler_check(format: Format, issuer: &str, check: CheckId) -> Option<usize> {
    REGISTRY.iter().position(|v| v.deviation == (Deviation::FillerCheckDigit { check }) && applies(v, format, issuer))
}

/// The registry index allowing a long number's check digit computed over the
/// filler at the end of its principal part, if any.
pub(crate) fn long_number_over_filler(format: Format, issuer: &str) -> Option<usize> {
    REGISTRY.iter().position(|v| v.deviation == Deviation::LongNumberCheckOverFiller && applies(v, format, issuer))
}

/// The registry index allowing a digit as the document type, if any.
pub(crate) fn document_type_digit(format: Format, issuer: &str) -> Option<usize> {
    REGISTRY.iter().position(|v| v.deviation == Deviation::DocumentTypeDigit && applies(v, format, issuer))
}

/// The registry index allowing `found` as the sex character, if any.
pub(crate) fn sex_character(format: Format, issuer: &str, found: u8) -> Option<usize> {
    REGISTRY.iter().position(|v| v.deviation == (Deviation::SexCharacter { found }) && applies(v, format, issuer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_well_formed() {
        assert!(REGISTRY.len() <= 32, "VariantSet holds 32 entries");
        for (i, v) in REGISTRY.iter().enumerate() {
            assert!(!v.source.is_empty() && !v.title.is_empty(), "{}", v.id);
            assert!(!v.formats.is_empty(), "{}", v.id);
            assert!(v.id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'), "{}", v.id);
            assert!(REGISTRY.iter().skip(i + 1).all(|w| w.id != v.id), "duplicate {}", v.id);
        }
    }

    #[test]
    fn lookups() {
        assert!(long_number(Format::Td1, "BEL").is_some());
        assert!(long_number(Format::Td3, "BEL").is_none());
        assert!(filler_check(Format::Td3, "DEU", CheckId::OptionalData).is_some());
        assert!(filler_check(Format::Td3, "DEU", CheckId::DocumentNumber).is_none());
        assert_eq!(detect_layout("IDFRAX", 2, 36).map(|x| x.1), Some(Format::FraId));
        assert_eq!(detect_layout("IDFRAX", 3, 30), None);
        assert!(document_type_digit(Format::Td1, "USA").is_some());
        assert!(document_type_digit(Format::Td1, "FRA").is_none());
        assert!(document_type_digit(Format::Td3, "USA").is_none());
        assert!(long_number_over_filler(Format::Td1, "BEL").is_some());
        assert!(long_number_over_filler(Format::Td1, "UTO").is_none());
        assert!(long_number_over_filler(Format::Td2, "BEL").is_none());
        assert!(sex_character(Format::Td1, "HRV", b'0').is_some());
        assert!(sex_character(Format::Td1, "HRV", b'1').is_none());
        assert!(sex_character(Format::Td1, "UTO", b'0').is_none());
        assert!(sex_character(Format::Td3, "HRV", b'0').is_none());
    }
}
