//! MRZ text input: cutting a text that holds several documents into them.

/// One document cut from a text holding several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDocument<'a> {
    /// `NAME:LINE`, LINE the 1-based line where the document starts.
    pub source: String,
    /// Its text.
    pub text: &'a str,
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
