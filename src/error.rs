//! The crate's error type: one [`Error`] with a [`ErrorKind`] per area, and
//! the closed set of [`ErrorCode`]s that reports carry.

use std::path::PathBuf;

use crate::mrz::{GenerateError, ParseError};

/// Every failure the crate reports.
///
/// Match on [`Error::kind`] for the detail, use the `is_*` predicates, or
/// [`Error::code`] for the stable name reports give. The area errors
/// (`ParseError`, `ScanError`, `OcrError`...) convert with `From`, and are
/// kept as the error's source: [`std::error::Error::source`] walks to the
/// cause (a decoder's message, an I/O error), and each message is printed
/// once by [`Error::chain`].
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Error, ErrorCode};
/// let err: Error = mrtd_verify::mrz::parse("not an mrz").unwrap_err().into();
/// assert!(err.is_parse());
/// assert_eq!(err.code(), ErrorCode::Parse);
/// assert_eq!(err.to_string(), err.chain()); // a parse error has no further cause
/// ```
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error {
    kind: Box<ErrorKind>,
}

/// What went wrong, by area.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// MRZ text that is not an MRZ.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Field values that cannot be written as an MRZ.
    #[error(transparent)]
    Generate(#[from] GenerateError),
    /// An image that could not be decoded, or holds no readable MRZ.
    #[cfg(feature = "image")]
    #[error(transparent)]
    Scan(#[from] crate::scan::ScanError),
    /// The character model could not be loaded or run.
    #[cfg(feature = "ocr")]
    #[error(transparent)]
    Model(#[from] crate::ocr::OcrError),
    /// A file could not be read (convenience loaders only; the core does no I/O).
    #[error("cannot read {}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// The stable name of an error's kind, as reports give it (`error.kind` in
/// the JSON Schema): a closed set post software can match on.
///
/// # Examples
///
/// ```
/// use mrtd_verify::ErrorCode;
/// assert_eq!(ErrorCode::NotFound.name(), "not_found");
/// assert!(ErrorCode::ALL.iter().any(|c| c.name() == "decode"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ErrorCode {
    /// MRZ text that is not an MRZ (with line and column).
    Parse,
    /// Field values that cannot be written as an MRZ.
    Generate,
    /// A file could not be read.
    Io,
    /// The bytes are not an image in a supported format, or are corrupt.
    Decode,
    /// The image exceeds the decoding limits.
    TooLarge,
    /// The image is too small to hold a readable MRZ.
    TooSmall,
    /// No MRZ was found on the page.
    NotFound,
    /// A zone was found but its characters do not form an MRZ.
    Unreadable,
    /// The character model failed.
    Model,
}

impl ErrorCode {
    /// Every code, in schema order.
    pub const ALL: [ErrorCode; 9] = [
        ErrorCode::Parse,
        ErrorCode::Generate,
        ErrorCode::Io,
        ErrorCode::Decode,
        ErrorCode::TooLarge,
        ErrorCode::TooSmall,
        ErrorCode::NotFound,
        ErrorCode::Unreadable,
        ErrorCode::Model,
    ];

    /// The report name (`parse`, `io`, `decode`, `too_large`...).
    pub const fn name(self) -> &'static str {
        match self {
            ErrorCode::Parse => "parse",
            ErrorCode::Generate => "generate",
            ErrorCode::Io => "io",
            ErrorCode::Decode => "decode",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::TooSmall => "too_small",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Unreadable => "unreadable",
            ErrorCode::Model => "model",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Error {
    /// The detail.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Whether the input text was not an MRZ.
    pub fn is_parse(&self) -> bool {
        matches!(*self.kind, ErrorKind::Parse(_))
    }

    /// Whether a file could not be read.
    pub fn is_io(&self) -> bool {
        matches!(*self.kind, ErrorKind::Io { .. })
    }

    /// The stable name of the kind, as reports give it.
    pub fn code(&self) -> ErrorCode {
        match &*self.kind {
            ErrorKind::Parse(_) => ErrorCode::Parse,
            ErrorKind::Generate(_) => ErrorCode::Generate,
            #[cfg(feature = "image")]
            ErrorKind::Scan(e) => e.code(),
            #[cfg(feature = "ocr")]
            ErrorKind::Model(_) => ErrorCode::Model,
            ErrorKind::Io { .. } => ErrorCode::Io,
        }
    }

    /// The line and column (from 1) of the input the error points at, when
    /// it points at one.
    pub fn position(&self) -> Option<(usize, usize)> {
        match &*self.kind {
            ErrorKind::Parse(e) => e.position(),
            _ => None,
        }
    }

    /// The message with every cause, each once: `cannot decode the image:
    /// Format error decoding Png: ...`.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::Error;
    /// let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
    /// assert_eq!(Error::io("scan.jpg", io).chain(), "cannot read scan.jpg: no such file");
    /// ```
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            out.push_str(": ");
            out.push_str(&c.to_string());
            cause = c.source();
        }
        out
    }

    /// An I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        ErrorKind::Io { path: path.into(), source }.into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error { kind: Box::new(kind) }
    }
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Error {
        ErrorKind::Parse(e).into()
    }
}

impl From<GenerateError> for Error {
    fn from(e: GenerateError) -> Error {
        ErrorKind::Generate(e).into()
    }
}

#[cfg(feature = "image")]
impl From<crate::scan::ScanError> for Error {
    fn from(e: crate::scan::ScanError) -> Error {
        ErrorKind::Scan(e).into()
    }
}

#[cfg(feature = "ocr")]
impl From<crate::ocr::OcrError> for Error {
    fn from(e: crate::ocr::OcrError) -> Error {
        ErrorKind::Model(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_name_and_the_chain_prints_causes_once() {
        let names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(
            names,
            ["parse", "generate", "io", "decode", "too_large", "too_small", "not_found", "unreadable", "model"]
        );
        let e: Error = crate::mrz::parse("P<UTO\nshort").unwrap_err().into();
        assert_eq!(e.chain(), e.to_string());
        assert!(e.position().is_some() || e.code() == ErrorCode::Parse);
    }

    #[cfg(feature = "image")]
    #[test]
    fn decode_errors_keep_the_decoder_as_source() {
        // Damaged inside (the file ends as a PNG ends), and cut short.
        for (bytes, lead) in [
            (&b"\x89PNG\r\n\x1a\nbroken\0\0\0\0IEND\xaeB`\x82"[..], "cannot decode the image: "),
            (b"\x89PNG\r\n\x1a\nbroken", "the file seems truncated"),
        ] {
            let e: Error = crate::scan::decode(bytes, &crate::DecodeLimits::default()).unwrap_err().into();
            assert_eq!(e.code(), ErrorCode::Decode);
            let chain = e.chain();
            assert!(chain.starts_with(lead), "{chain}");
            assert!(std::error::Error::source(&e).is_some());
            // The decoder's message appears once.
            let cause = std::error::Error::source(&e).unwrap().to_string();
            assert_eq!(chain.matches(&cause).count(), 1, "{chain}");
        }
    }
}
