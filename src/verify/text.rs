//! MRZ text input: cutting a text that holds several documents into them.

/// One document cut from a text holding several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDocument<'a> {
    /// `NAME:LINE`, LINE the 1-based line where the document starts.
    pub source: String,
    /// Its text.
    pub text: &'a str,
}

/// Decodes MRZ text given as bytes, leniently: a UTF-8 byte-order mark is
/// dropped, UTF-16 (with a byte-order mark, or without one when every other
/// byte is zero, as Windows tools write it) is decoded, and bytes that are
/// not UTF-8 become U+FFFD, so that the documents around them can still be
/// judged; [`Verifier::read_text`](crate::Verifier::read_text) reports a
/// document holding U+FFFD as an input error with its line and column.
///
/// # Examples
///
/// ```
/// use mrtd_verify::decode_text;
/// assert_eq!(decode_text(b"\xEF\xBB\xBFP<UTO"), "P<UTO");
/// let utf16: Vec<u8> = "P<UTO\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
/// assert_eq!(decode_text(&utf16), "P<UTO\n");
/// assert_eq!(decode_text(b"P<UT\xFFO"), "P<UT\u{FFFD}O");
/// ```
pub fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let utf16 = |body: &[u8], little: bool| -> Cow<'_, str> {
        let units = body.chunks(2).map(|c| match (c, little) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            // An odd byte at the end: no character.
            _ => 0xFFFD,
        });
        Cow::Owned(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect())
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        _ => {
            // UTF-16 without a mark: MRZ text is ASCII, so one byte of every
            // pair is zero.
            let pairs = bytes.len() / 2;
            let zero_at = |k: usize| bytes.iter().skip(k).step_by(2).filter(|&&b| b == 0).count();
            if pairs >= 2 && zero_at(1) == pairs && zero_at(0) == 0 {
                utf16(bytes, true)
            } else if pairs >= 2 && zero_at(0) == pairs && zero_at(1) == 0 {
                utf16(bytes, false)
            } else {
                String::from_utf8_lossy(bytes)
            }
        }
    }
}

/// Where the first U+FFFD (bytes that were not text) stands: 1-based line
/// and column in characters.
pub(crate) fn undecodable_at(text: &str) -> Option<(usize, usize)> {
    // Lines and columns as the parser counts them: blank lines skipped,
    // whitespace around each line trimmed.
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .find_map(|(i, line)| line.chars().position(|c| c == '\u{FFFD}').map(|c| (i + 1, c + 1)))
}

/// Cuts text into documents separated by blank lines. `name` labels them
/// (`name:LINE`).
///
/// # Examples
///
/// ```
/// let text = "P<UTO...\nL898...\n\n\nI<UTO...\n7408...\nERIK...\n";
/// let docs = mrtd_verify::split_documents("stdin", text);
/// assert_eq!(docs.len(), 2);
/// assert_eq!(docs[1].source, "stdin:5");
/// assert_eq!(docs[1].text.lines().count(), 3);
/// ```
pub fn split_documents<'a>(name: &str, text: &'a str) -> Vec<TextDocument<'a>> {
    let mut docs = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (line number, byte offset)
    let mut offset = 0;
    let mut end = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some((i + 1, offset)),
            (true, Some((n, s))) => {
                docs.push(TextDocument { source: format!("{name}:{n}"), text: text.get(s..end).unwrap_or("") });
                start = None;
            }
            _ => {}
        }
        if !blank {
            end = offset + line.trim_end_matches(['\n', '\r']).len();
        }
        offset += line.len();
    }
    if let Some((n, s)) = start {
        docs.push(TextDocument { source: format!("{name}:{n}"), text: text.get(s..end).unwrap_or("") });
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn undecodable_bytes_are_placed_as_the_parser_counts() {
        assert_eq!(undecodable_at("\n  P<U\u{FFFD}O\nX"), Some((1, 4)));
        assert_eq!(undecodable_at("AB\n\n C\u{FFFD}"), Some((2, 2)));
        assert_eq!(undecodable_at("clean"), None);
    }

    #[test]
    fn splitting() {
        let text = format!("\n\n{TD3}\n\n{TD3}\r\n\r\n\r\nxx\n");
        let docs = split_documents("f", &text);
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].source, "f:3");
        assert_eq!(docs[0].text, TD3);
        assert_eq!(docs[1].source, "f:6");
        assert_eq!(docs[2].text, "xx");
        assert!(split_documents("f", "").is_empty());
        assert!(split_documents("f", "\n \n").is_empty());
    }
}
