//! Transliteration of names into the MRZ alphabet (Doc 9303 Part 3, section 6,
//! Table A for Latin characters, using the recommended forms: `Ä` → `AE`,
//! `Å` → `AA`, `Ö` and `Ø` → `OE`, `Ü` → `UE`, `ß` → `SS`, `Þ` → `TH`, `Ñ` → `N`;
//! other diacritics are dropped) and the construction of name fields (Part 3,
//! section 4.6: primary identifier, `<<`, secondary identifier, components
//! separated by `<`, padded with `<`, truncated keeping the first characters).

/// Why a name cannot be written in the MRZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no MRZ transliteration for {0:?}")]
pub struct TranslitError(pub char);

/// The MRZ form of one character: letters map to upper-case `A`-`Z`
/// sequences, separators to `<`, apostrophes and full stops to nothing.
fn map_char(c: char) -> Result<&'static str, TranslitError> {
    const LETTERS: [&str; 26] = [
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
        "W", "X", "Y", "Z",
    ];
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    if c == 'ß' || c == 'ẞ' {
        return Ok("SS");
    }
    let up = if c.is_lowercase() { c.to_uppercase().next().unwrap_or(c) } else { c };
    if up.is_ascii_uppercase() {
        return Ok(LETTERS.get(usize::from(up as u8 - b'A')).copied().unwrap_or("<"));
    }
    if up.is_ascii_digit() {
        return Ok(DIGITS.get(usize::from(up as u8 - b'0')).copied().unwrap_or("<"));
    }
    Ok(match c {
        ' ' | '-' | '<' | ',' | '\u{2010}' | '\u{2011}' => "<",
        '\'' | '\u{2019}' | '.' | '`' => "",
        _ => match up {
            'À' | 'Á' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' | 'Ǎ' => "A",
            'Ä' | 'Æ' => "AE",
            'Å' => "AA",
            'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
            'Ď' | 'Đ' | 'Ð' => "D",
            'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
            'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
            'Ĥ' | 'Ħ' => "H",
            'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' | 'I' => "I",
            'Ĳ' => "IJ",
            'Ĵ' => "J",
            'Ķ' => "K",
            'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
            'Ñ' | 'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => "N",
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ŏ' | 'Ő' => "O",
            'Ö' | 'Ø' | 'Œ' => "OE",
            'Ŕ' | 'Ŗ' | 'Ř' => "R",
            'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
            'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "T",
            'Þ' => "TH",
            'Ù' | 'Ú' | 'Û' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
            'Ü' => "UE",
            'Ŵ' => "W",
            'Ý' | 'Ÿ' | 'Ŷ' => "Y",
            'Ź' | 'Ż' | 'Ž' => "Z",
            other => return Err(TranslitError(other)),
        },
    })
}

/// Transliterates free text (a name, a place) into MRZ characters: letters
/// upper-cased and stripped of diacritics per Doc 9303, spaces and hyphens as
/// `<`, apostrophes dropped; runs of `<` are collapsed to one and trimmed.
///
/// # Errors
///
/// [`TranslitError`] for a character Table A does not cover (non-Latin
/// scripts: transliterate them with the national table first).
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::transliterate;
/// assert_eq!(transliterate("Müller-Lüdenscheidt").unwrap(), "MUELLER<LUEDENSCHEIDT");
/// assert_eq!(transliterate("N'Diaye").unwrap(), "NDIAYE");
/// assert_eq!(transliterate("Aïssata  Maïga").unwrap(), "AISSATA<MAIGA");
/// assert!(transliterate("Иван").is_err());
/// ```
pub fn transliterate(text: &str) -> Result<String, TranslitError> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let m = map_char(c)?;
        if m == "<" {
            if !out.is_empty() && !out.ends_with('<') {
                out.push('<');
            }
        } else {
            out.push_str(m);
        }
    }
    while out.ends_with('<') {
        out.pop();
    }
    Ok(out)
}

/// Builds a name field of `width` characters from a surname and given names:
/// `PRIMARY<<SECONDARY`, padded with `<`. A name too long keeps its first
/// characters, and never ends in a filler, so a reader can see it was cut.
///
/// # Errors
///
/// [`TranslitError`] as [`transliterate`].
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::transliterate_name;
/// assert_eq!(transliterate_name("Eriksson", "Anna María", 30).unwrap(), "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
/// assert_eq!(transliterate_name("Ouédraogo", "", 12).unwrap(), "OUEDRAOGO<<<");
/// ```
pub fn transliterate_name(surname: &str, given_names: &str, width: usize) -> Result<String, TranslitError> {
    let primary = transliterate(surname)?;
    let secondary = transliterate(given_names)?;
    let mut field = primary;
    if !secondary.is_empty() {
        field.push_str("<<");
        field.push_str(&secondary);
    }
    Ok(fit(field, width))
}

/// Pads with fillers or truncates to `width`; a truncated field does not end in
/// a filler.
pub(crate) fn fit(mut field: String, width: usize) -> String {
    if field.len() > width {
        field.truncate(width);
        while field.ends_with('<') {
            field.pop();
        }
    }
    while field.len() < width {
        field.push('<');
    }
    field
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_a_samples() {
        assert_eq!(transliterate("Åsa Ødegård").unwrap(), "AASA<OEDEGAARD");
        assert_eq!(transliterate("Straße").unwrap(), "STRASSE");
        assert_eq!(transliterate("Çelik Şahin").unwrap(), "CELIK<SAHIN");
        assert_eq!(transliterate("Þór").unwrap(), "THOR");
        assert_eq!(transliterate("Núñez").unwrap(), "NUNEZ");
        assert_eq!(transliterate("Ba, Oumar").unwrap(), "BA<OUMAR");
        assert_eq!(transliterate("  --  ").unwrap(), "");
        assert_eq!(transliterate("Ĳsselmeer").unwrap(), "IJSSELMEER");
    }

    #[test]
    fn truncation_keeps_a_letter_last() {
        let f = transliterate_name("Abcdefghij", "Klmno Pqrst", 13).unwrap();
        assert_eq!(f, "ABCDEFGHIJ<<K");
        let f = transliterate_name("Abcdefghij", "Klmno", 11).unwrap();
        assert_eq!(f, "ABCDEFGHIJ<");
        assert_eq!(f.len(), 11);
    }

    #[test]
    fn output_alphabet() {
        for name in ["Zoë Saldaña", "Jean-Luc Picard", "O'Brien", "Ævar Ørn"] {
            let t = transliterate(name).unwrap();
            assert!(t.bytes().all(|b| b.is_ascii_uppercase() || b == b'<'), "{t}");
        }
    }
}
