//! Reports: the verdict on one document, with every finding and its evidence.
//!
//! The JSON form (feature `serde`) is the contract with post software; it is
//! described in the README and published as a JSON Schema in
//! `schema/report.schema.json`.

use std::fmt;

use crate::mrz::MrzData;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The verdict on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Verdict {
    /// Every check that could run passed.
    Pass,
    /// Something is suspicious: a trained officer should look (second line).
    Refer,
    /// Hard evidence that the document is altered, counterfeit or its data
    /// invalid.
    Fail,
    /// The input could not be read well enough to judge; rescan.
    Unreadable,
}

impl Verdict {
    /// The report name: `pass`, `refer`, `fail`, `unreadable`.
    pub const fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Refer => "refer",
            Verdict::Fail => "fail",
            Verdict::Unreadable => "unreadable",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The status of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Status {
    /// Consistent with a genuine document.
    Pass,
    /// Suspicious, or worth an officer's attention.
    Warn,
    /// Inconsistent with a genuine, valid document.
    Fail,
    /// Not run; the message says why.
    Skipped,
}

impl Status {
    /// The report name.
    pub const fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skipped => "skipped",
        }
    }
}

/// A measured or expected value in evidence.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(untagged))]
#[non_exhaustive]
pub enum Value {
    /// A number (a pitch in mm, a ratio...).
    Number(f64),
    /// Text (a character, a date, a code).
    Text(String),
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<char> for Value {
    fn from(c: char) -> Value {
        Value::Text(c.to_string())
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Value::Number(x)
    }
}

/// Where in the MRZ text: 1-based line and column, and a length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct TextSpan {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// Number of characters.
    pub length: usize,
}

/// A quadrilateral in page pixels (corners in order: top-left, top-right,
/// bottom-right, bottom-left of the region as upright).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Region {
    /// The four corners, `[x, y]`.
    pub corners: [[f32; 2]; 4],
}

/// What a finding rests on: where, what was measured, against what.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Evidence {
    /// Where in the MRZ text.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub text: Option<TextSpan>,
    /// Where on the image.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub region: Option<Region>,
    /// What was observed.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub measured: Option<Value>,
    /// What a genuine document shows.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub expected: Option<Value>,
    /// The threshold the measurement was compared with.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub threshold: Option<f64>,
}

impl Evidence {
    /// Evidence at a place in the text.
    pub fn at(text: TextSpan) -> Evidence {
        Evidence { text: Some(text), ..Evidence::default() }
    }

    /// With a measured value.
    pub fn measured(mut self, v: impl Into<Value>) -> Evidence {
        self.measured = Some(v.into());
        self
    }

    /// With an expected value.
    pub fn expected(mut self, v: impl Into<Value>) -> Evidence {
        self.expected = Some(v.into());
        self
    }

    /// With a threshold.
    pub fn threshold(mut self, t: f64) -> Evidence {
        self.threshold = Some(t);
        self
    }
}

/// The result of one check.
///
/// `score` is in `0..=1`: how consistent the document is with a genuine one on
/// this check (1: fully, 0: not at all).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Finding {
    /// Stable check id, e.g. `mrz.check_digit.birth_date`.
    pub check: String,
    /// The outcome.
    pub status: Status,
    /// Consistency with a genuine document, 0 to 1.
    pub score: f32,
    /// What it rests on.
    pub evidence: Evidence,
    /// One sentence for the officer.
    pub message: String,
}

impl Finding {
    /// A finding.
    pub fn new(
        check: impl Into<String>,
        status: Status,
        score: f32,
        evidence: Evidence,
        message: impl Into<String>,
    ) -> Finding {
        Finding { check: check.into(), status, score: score.clamp(0.0, 1.0), evidence, message: message.into() }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct ReportError {
    /// Kind: `parse`, `io`, `decode`, `not_found`...
    pub kind: String,
    /// What went wrong.
    pub message: String,
    /// Line of the input it points at, from 1, when it points at one.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub line: Option<usize>,
    /// Column, from 1.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub column: Option<usize>,
}

/// Time spent in each stage of reading an image, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Timings {
    /// Decoding the file.
    pub decode: f64,
    /// Finding the MRZ.
    pub locate: f64,
    /// Rectifying the zone and cutting cells.
    pub segment: f64,
    /// Running the character model.
    pub recognise: f64,
    /// Check-digit repair and parsing.
    pub repair: f64,
    /// Everything, checks included.
    pub total: f64,
}

/// Where the MRZ was found on an image and how it is printed.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct ScanSummary {
    /// The zone's corners in page pixels (top-left, top-right, bottom-right,
    /// bottom-left as read).
    pub quad: Region,
    /// Angle of the text in degrees (0 upright, 90 a quarter turn clockwise).
    pub angle_deg: f32,
    /// Measured MRZ pitch in pixels.
    pub pitch_px: f32,
    /// Measured MRZ character height in pixels.
    pub char_height_px: f32,
    /// Scan resolution implied by the 2.54 mm pitch.
    pub dpi_estimate: f32,
    /// Lowest first-choice probability of the character model.
    pub min_confidence: f32,
}

impl ReportError {
    /// An error of a kind (`io`, `decode`...) with a message.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = mrtd_verify::ReportError::new("io", "permission denied");
    /// assert_eq!(e.kind, "io");
    /// ```
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> ReportError {
        ReportError { kind: kind.into(), message: message.into(), line: None, column: None }
    }
}

/// The report on one document.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Config, Verdict, Verifier};
/// use mrtd_verify::mrz::Date;
/// let verifier = Verifier::new(Config::default().reference_date(Date::new(2010, 1, 1).unwrap()));
/// let report = verifier.verify_text(
///     "stdin:1",
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
/// );
/// assert_eq!(report.verdict, Verdict::Pass);
/// assert!(report.mrz.as_ref().unwrap().valid);
/// assert!(report.findings.iter().any(|f| f.check == "mrz.check_digit.composite"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Report {
    /// The input as given: a path, `path:LINE` or `stdin:LINE` for text.
    pub source: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The MRZ read, or `None` when none could be.
    pub mrz: Option<MrzData>,
    /// Every check's finding.
    pub findings: Vec<Finding>,
    /// Why the input could not be read, when it could not.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub error: Option<ReportError>,
    /// For images: where the MRZ was found.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub scan: Option<ScanSummary>,
    /// For images: time per stage.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub timings_ms: Option<Timings>,
}

impl Report {
    /// A report on an input that could not be read.
    pub fn unreadable(source: impl Into<String>, error: ReportError) -> Report {
        Report {
            source: source.into(),
            verdict: Verdict::Unreadable,
            mrz: None,
            findings: Vec::new(),
            error: Some(error),
            scan: None,
            timings_ms: None,
        }
    }

    /// A report from findings; the verdict follows from them
    /// ([`verdict_of`]).
    pub fn from_findings(source: impl Into<String>, mrz: Option<MrzData>, findings: Vec<Finding>) -> Report {
        let verdict = verdict_of(&findings);
        Report { source: source.into(), verdict, mrz, findings, error: None, scan: None, timings_ms: None }
    }

    /// The report as one line of JSON.
    ///
    /// # Errors
    ///
    /// Only if serialisation fails, which the report's types rule out.
    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

/// The verdict findings call for: `fail` if any failed, else `refer` if any
/// warned, else `pass`.
pub fn verdict_of(findings: &[Finding]) -> Verdict {
    if findings.iter().any(|f| f.status == Status::Fail) {
        Verdict::Fail
    } else if findings.iter().any(|f| f.status == Status::Warn) {
        Verdict::Refer
    } else {
        Verdict::Pass
    }
}

impl fmt::Display for Report {
    /// A readable block for a terminal: verdict, source, the MRZ's key fields,
    /// then every finding that did not pass.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<10} {}", self.verdict.name().to_uppercase(), self.source)?;
        if let Some(e) = &self.error {
            writeln!(f, "           error ({}): {}", e.kind, e.message)?;
        }
        if let Some(m) = &self.mrz {
            let d = &m.fields;
            let date = |x: Option<crate::mrz::PartialDate>| x.map_or_else(|| "-".to_owned(), |d| d.to_string());
            writeln!(
                f,
                "           {} {} no. {}  {}, {}  born {}  sex {}  nationality {}  expires {}  valid MRZ: {}",
                m.format,
                d.issuing_state,
                d.document_number,
                d.surname,
                d.given_names,
                date(d.birth_date),
                d.sex,
                d.nationality,
                date(d.expiry_date),
                if m.valid { "yes" } else { "no" }
            )?;
            for line in &m.lines {
                writeln!(f, "           | {line}")?;
            }
        }
        for finding in self.findings.iter().filter(|x| x.status != Status::Pass) {
            writeln!(f, "           {:<7} {:<32} {}", finding.status.name(), finding.check, finding.message)?;
        }
        Ok(())
    }
}
