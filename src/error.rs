//! The crate's error type.

use std::path::PathBuf;

use crate::mrz::{GenerateError, ParseError};

/// Every failure the crate reports.
///
/// Match on [`Error::kind`] for the detail, or use the `is_*` predicates.
///
/// # Examples
///
/// ```
/// use mrtd_verify::Error;
/// let err: Error = mrtd_verify::mrz::parse("not an mrz").unwrap_err().into();
/// assert!(err.is_parse());
/// assert!(err.to_string().contains("MRZ"));
/// ```
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error {
    kind: Box<ErrorKind>,
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// MRZ text that is not an MRZ.
    #[error("MRZ text: {0}")]
    Parse(#[from] ParseError),
    /// Field values that cannot be written as an MRZ.
    #[error("cannot generate the MRZ: {0}")]
    Generate(#[from] GenerateError),
    /// The character model could not be loaded or run.
    #[error("character model: {0}")]
    Model(String),
    /// A file could not be read (convenience loaders only; the core does no I/O).
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
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

    /// A short stable name of the kind, as reports give it: `parse`, `generate`, `io`.
    pub fn kind_name(&self) -> &'static str {
        match *self.kind {
            ErrorKind::Parse(_) => "parse",
            ErrorKind::Generate(_) => "generate",
            ErrorKind::Model(_) => "model",
            ErrorKind::Io { .. } => "io",
        }
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
