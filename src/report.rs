//! Reports: the verdict on one document, with every finding and its evidence.
//!
//! The JSON form (feature `serde`) is the contract with post software; it is
//! described in the README and published as a JSON Schema in
//! `schema/report.schema.json`.

use std::fmt;

use crate::error::ErrorCode;
use crate::geometry::Quad;
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

    /// What the verdict means for the officer and what to do, in one plain
    /// sentence: English and French (the posts of the Sahel work in French).
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::Verdict;
    /// let (en, fr) = Verdict::Fail.advice();
    /// assert!(en.contains("second-line"));
    /// assert!(fr.contains("second niveau"));
    /// ```
    pub const fn advice(self) -> (&'static str, &'static str) {
        match self {
            Verdict::Pass => (
                "Consistent: no sign of forgery or invalid data was found by the checks that ran.",
                "Cohérent\u{a0}: les contrôles effectués n'ont trouvé aucun signe de falsification ni de données invalides.",
            ),
            Verdict::Refer => (
                "Needs a look: compare the points below with the document; refer to the second-line check if in doubt.",
                "À vérifier\u{a0}: comparez les points ci-dessous avec le document\u{a0}; en cas de doute, orientez le voyageur vers le contrôle de second niveau.",
            ),
            Verdict::Fail => (
                "Signs of forgery or invalid data: refer the traveller to the second-line check.",
                "Signes de falsification ou données invalides\u{a0}: orientez le voyageur vers le contrôle de second niveau.",
            ),
            Verdict::Unreadable => (
                "Could not be judged: rescan the document (flat, whole page, clean glass), check the file, or correct the MRZ text; this is not a finding about the document.",
                "Impossible à juger\u{a0}: numérisez à nouveau le document (à plat, page entière, vitre propre), vérifiez le fichier ou corrigez le texte de la MRZ\u{a0}; ce n'est pas un constat sur le document.",
            ),
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
    /// Ran but could not judge (a character read too unsure, no MRZ to
    /// read): the verdict is `unreadable`, the post rescans.
    Inconclusive,
}

impl Status {
    /// The report name.
    pub const fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skipped => "skipped",
            Status::Inconclusive => "inconclusive",
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

/// What a finding rests on: where, what was measured, against what.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Evidence {
    /// Where in the MRZ text.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub text: Option<TextSpan>,
    /// Where on the image (page pixels of the visible band).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub region: Option<Quad>,
    /// What was observed.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub measured: Option<Value>,
    /// What a genuine document shows.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub expected: Option<Value>,
    /// The threshold the measurement was compared with.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub threshold: Option<f64>,
    /// For a copy-move, the other of the two matching regions on the image
    /// (which of the two was copied over the other cannot be told: one is
    /// here, the other in `region`).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub source: Option<Quad>,
}

impl Evidence {
    /// Evidence at a place in the text.
    pub fn at(text: TextSpan) -> Evidence {
        Evidence { text: Some(text), ..Evidence::default() }
    }

    /// Evidence at a place on the image.
    pub fn on(region: Quad) -> Evidence {
        Evidence { region: Some(region), ..Evidence::default() }
    }

    /// At a place on the image too.
    pub fn with_region(mut self, region: Quad) -> Evidence {
        self.region = Some(region);
        self
    }

    /// With the region a copy came from.
    pub fn with_source(mut self, source: Quad) -> Evidence {
        self.source = Some(source);
        self
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
    /// Kind, from a closed set ([`ErrorCode`]): `parse`, `io`, `decode`,
    /// `not_found`...
    pub kind: ErrorCode,
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
    /// Reading the visual zone's lines.
    #[cfg_attr(feature = "serde", serde(default))]
    pub viz: f64,
    /// Registering the infrared and ultraviolet companions to the page.
    #[cfg_attr(feature = "serde", serde(default))]
    pub register: f64,
    /// Running the checks (they run in parallel: this is their wall time).
    #[cfg_attr(feature = "serde", serde(default))]
    pub checks: f64,
    /// Everything, checks included.
    pub total: f64,
}

/// A band of a scan: the visible image, or an infrared or ultraviolet
/// companion as document readers give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Band {
    /// Visible light.
    Visible,
    /// Infrared (B900, Doc 9303 Part 3).
    Ir,
    /// Ultraviolet (UV-A, 365 nm).
    Uv,
}

impl Band {
    /// The report name: `visible`, `ir`, `uv`.
    pub const fn name(self) -> &'static str {
        match self {
            Band::Visible => "visible",
            Band::Ir => "ir",
            Band::Uv => "uv",
        }
    }
}

/// What an image showed: the bands decoded and, when the MRZ was read, where
/// it lies and how it is printed.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct ScanSummary {
    /// The bands decoded and used, visible first.
    pub bands: Vec<Band>,
    /// The zone's corners in page pixels (top-left, top-right, bottom-right,
    /// bottom-left as read).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub quad: Option<Quad>,
    /// Angle of the text in degrees (0 upright, 90 a quarter turn clockwise).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub angle_deg: Option<f32>,
    /// Measured MRZ pitch in pixels.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub pitch_px: Option<f32>,
    /// Measured MRZ character height in pixels.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub char_height_px: Option<f32>,
    /// Scan resolution implied by the 2.54 mm pitch.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub dpi_estimate: Option<f32>,
    /// Lowest first-choice probability of the character model.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub min_confidence: Option<f32>,
    /// When the visible image was too large for the memory budget and was
    /// decoded at a reduced resolution: the factor (2, 3 or 4). Every pixel
    /// measure of the report is then of the reduced page: multiply by it
    /// for the file's pixels.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub reduction: Option<u32>,
    /// The file ended before its image did (a scan cut short in transfer or
    /// on a full disk): the decoder filled the missing part, so the page's
    /// last rows are not the document's. The MRZ was read from what came;
    /// checks of the page's lower part may have had nothing to look at.
    /// Copy or export the scan again.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "std::ops::Not::not"))]
    pub truncated: bool,
}

/// Whether a check family ran on a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RunStatus {
    /// It ran; its findings are in the report.
    Ran,
    /// It did not run; the reason says why.
    Skipped,
}

/// Why a check family did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SkipReason {
    /// The family does not apply to this input (image checks on MRZ text).
    NotApplicable,
    /// This version of the crate has no checks of this family yet.
    NotImplemented,
    /// The family needs a companion image (IR, UV) the scan did not include.
    NoCompanion,
    /// The family needs the MRZ, which could not be read.
    NoMrz,
    /// The scan is too poor for the family to judge.
    ScanQuality,
    /// The configuration turned the family off.
    Disabled,
    /// What the family examines is not on the page (no portrait found).
    NotFound,
}

impl SkipReason {
    /// The report name (`not_applicable`, `not_implemented`...).
    pub const fn name(self) -> &'static str {
        match self {
            SkipReason::NotApplicable => "not_applicable",
            SkipReason::NotImplemented => "not_implemented",
            SkipReason::NoCompanion => "no_companion",
            SkipReason::NoMrz => "no_mrz",
            SkipReason::ScanQuality => "scan_quality",
            SkipReason::Disabled => "disabled",
            SkipReason::NotFound => "not_found",
        }
    }
}

/// One check family on one document: whether it ran, why not, how many
/// findings it gave and how long it took.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct CheckRun {
    /// The family: the prefix of its findings' check ids (`mrz`, `ocr`,
    /// `print`...).
    pub family: String,
    /// Ran or skipped.
    pub status: RunStatus,
    /// Why it was skipped.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub reason: Option<SkipReason>,
    /// What the family checks, or why it was skipped, for the officer.
    pub message: String,
    /// Findings it gave.
    pub findings: usize,
    /// Time it took, in milliseconds.
    pub ms: f64,
}

impl CheckRun {
    /// A family that ran.
    pub fn ran(family: impl Into<String>, message: impl Into<String>, findings: usize, ms: f64) -> CheckRun {
        CheckRun { family: family.into(), status: RunStatus::Ran, reason: None, message: message.into(), findings, ms }
    }

    /// A family that was skipped, and why.
    pub fn skipped(family: impl Into<String>, reason: SkipReason, message: impl Into<String>) -> CheckRun {
        CheckRun {
            family: family.into(),
            status: RunStatus::Skipped,
            reason: Some(reason),
            message: message.into(),
            findings: 0,
            ms: 0.0,
        }
    }
}

impl ReportError {
    /// An error of a kind with a message.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::{ErrorCode, ReportError};
    /// let e = ReportError::new(ErrorCode::Io, "permission denied");
    /// assert_eq!(e.kind.name(), "io");
    /// ```
    pub fn new(kind: ErrorCode, message: impl Into<String>) -> ReportError {
        ReportError { kind, message: message.into(), line: None, column: None }
    }
}

impl From<&crate::Error> for ReportError {
    /// The report form of an error: its code, its message with every cause,
    /// and the position it points at.
    fn from(e: &crate::Error) -> ReportError {
        let (line, column) = e.position().map_or((None, None), |(l, c)| (Some(l), Some(c)));
        ReportError { kind: e.code(), message: e.chain(), line, column }
    }
}

/// The report on one document.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Config, Verdict, Verifier};
/// use mrtd_verify::mrz::Date;
/// let verifier = Verifier::new(Config::default().reference_date(Date::new(2010, 1, 1).unwrap()))?;
/// let report = verifier.verify_text(
///     "stdin:1",
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
/// );
/// assert_eq!(report.verdict, Verdict::Pass);
/// assert!(report.mrz.as_ref().unwrap().valid);
/// assert!(report.findings.iter().any(|f| f.check == "mrz.check_digit.composite"));
/// // The image families did not look at MRZ text, and the report says so.
/// assert!(report.checks.iter().any(|c| c.family == "print" && c.reason.is_some()));
/// # Ok::<(), mrtd_verify::Error>(())
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
    /// Every check family: ran, or skipped and why. A `pass` never hides a
    /// family that did not look at the document.
    #[cfg_attr(feature = "serde", serde(default))]
    pub checks: Vec<CheckRun>,
    /// Why the input could not be read, when it could not.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub error: Option<ReportError>,
    /// For images: the bands decoded, and where the MRZ was found.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub scan: Option<ScanSummary>,
    /// For images: time per stage.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub timings_ms: Option<Timings>,
    /// For images whose MRZ was read: the visual zone as read.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub viz: Option<VizSummary>,
}

/// The visual zone of a page as read: how many lines, and each value found
/// under its caption.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct VizSummary {
    /// Text lines of the visual zone read.
    pub lines: usize,
    /// The values found under their captions.
    pub values: Vec<VizField>,
}

/// A value of the visual zone, as read.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct VizField {
    /// `document_number`, `surname`, `given_names`, `nationality`, `sex`,
    /// `birth_date`, `issue_date` or `expiry_date`.
    pub key: String,
    /// The text as read.
    pub text: String,
    /// The value: dates as `YYMMDD`, names and numbers as read.
    pub value: String,
    /// The lowest character confidence of the text, `0..1`.
    pub confidence: f32,
    /// Where it is printed (page pixels).
    pub region: Quad,
    /// Found under its caption.
    pub by_caption: bool,
}

impl Report {
    /// A report on findings: the verdict follows from them ([`verdict_of`]);
    /// an MRZ whose reading is in doubt (an `inconclusive` finding, an
    /// `unreadable` verdict) is never marked valid.
    pub fn new(
        source: impl Into<String>,
        mrz: Option<MrzData>,
        findings: Vec<Finding>,
        checks: Vec<CheckRun>,
    ) -> Report {
        let verdict = verdict_of(&findings);
        let in_doubt = findings.iter().any(|f| f.status == Status::Inconclusive);
        let mrz = mrz.map(|mut m| {
            m.valid &= verdict != Verdict::Unreadable && !in_doubt;
            m
        });
        Report {
            source: source.into(),
            verdict,
            mrz,
            findings,
            checks,
            error: None,
            scan: None,
            timings_ms: None,
            viz: None,
        }
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

/// The families whose findings rest on the physical print or page.
pub const PHYSICAL_FAMILIES: [&str; 5] = ["print", "tamper", "photo", "ir", "uv"];

/// The families that judge the page rather than the MRZ's reading: their
/// warnings refer a document on which no MRZ was read at all (`photo` runs
/// on pages with no MRZ; `tamper` needs the visual zone read, which today
/// needs the MRZ to orient the page).
pub const PAGE_FAMILIES: [&str; 2] = ["tamper", "photo"];

impl Finding {
    /// The family of the check (`mrz` for `mrz.check_digit.birth_date`).
    pub fn family(&self) -> &str {
        self.check.split('.').next().unwrap_or("")
    }
}

/// The verdict findings call for, one pure function of their statuses:
///
/// 1. any `inconclusive` finding (the reading cannot be trusted, or there
///    is no MRZ): `refer` if the print or the page failed
///    ([`PHYSICAL_FAMILIES`]: an MRZ that is not OCR-B is suspicious however
///    it reads, and an officer should look) or, when no MRZ was read at all
///    (`mrz.read`), a check of the page warned ([`PAGE_FAMILIES`]: a
///    portrait that looks pasted on a card with no MRZ), `unreadable`
///    otherwise: a
///    scan that cannot be judged is never reported as forged;
/// 2. else `fail` if any failed, `refer` if any warned, `pass` otherwise.
///
/// Skipped findings do not count.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{verdict_of, Evidence, Finding, Status, Verdict};
/// let f = |id, s| Finding::new(id, s, 0.5, Evidence::default(), "");
/// assert_eq!(verdict_of(&[]), Verdict::Pass);
/// assert_eq!(verdict_of(&[f("mrz.sex", Status::Pass), f("mrz.expiry", Status::Warn)]), Verdict::Refer);
/// let unsure = f("ocr.close_call", Status::Inconclusive);
/// assert_eq!(verdict_of(&[f("mrz.check_digit.composite", Status::Fail), unsure.clone()]), Verdict::Unreadable);
/// assert_eq!(verdict_of(&[f("print.font", Status::Fail), unsure.clone()]), Verdict::Refer);
/// assert_eq!(verdict_of(&[f("print.font", Status::Warn), unsure.clone()]), Verdict::Unreadable);
/// assert_eq!(verdict_of(&[f("photo.noise", Status::Warn), unsure]), Verdict::Unreadable);
/// let no_mrz = f("mrz.read", Status::Inconclusive);
/// assert_eq!(verdict_of(&[f("photo.noise", Status::Warn), no_mrz]), Verdict::Refer);
/// ```
pub fn verdict_of(findings: &[Finding]) -> Verdict {
    let any = |s: Status| findings.iter().any(|f| f.status == s);
    // No MRZ at all (not merely a doubtful character): the page's own
    // checks are all there is to go on.
    let no_mrz = || findings.iter().any(|f| f.check == "mrz.read" && f.status == Status::Inconclusive);
    let physical_fail = || {
        findings.iter().any(|f| {
            (f.status == Status::Fail && PHYSICAL_FAMILIES.contains(&f.family()))
                || (f.status == Status::Warn && PAGE_FAMILIES.contains(&f.family()) && no_mrz())
        })
    };
    if any(Status::Inconclusive) {
        if physical_fail() { Verdict::Refer } else { Verdict::Unreadable }
    } else if any(Status::Fail) {
        Verdict::Fail
    } else if any(Status::Warn) {
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
        let (en, fr) = self.verdict.advice();
        writeln!(f, "           {en}")?;
        writeln!(f, "           {fr}")?;
        if let Some(e) = &self.error {
            writeln!(f, "           error ({}): {}", e.kind, e.message)?;
        }
        if self.scan.as_ref().is_some_and(|s| s.truncated) {
            writeln!(
                f,
                "           note: the file ends before its image does (its last rows are filled in); copy or \
                 export the scan again"
            )?;
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
        if let Some(m) = &self.mrz {
            for r in &m.repairs {
                writeln!(
                    f,
                    "           repair       line {} column {}: {:?} read as {:?} ({}, {:?})",
                    r.line, r.column, r.from, r.to, r.field, r.basis
                )?;
            }
        }
        for finding in self.findings.iter().filter(|x| x.status != Status::Pass) {
            writeln!(f, "           {:<12} {:<32} {}", finding.status.name(), finding.check, finding.message)?;
        }
        let skipped: Vec<String> = self
            .checks
            .iter()
            .filter(|c| c.status == RunStatus::Skipped)
            .map(|c| format!("{} ({})", c.family, c.reason.map_or("skipped", SkipReason::name)))
            .collect();
        if !skipped.is_empty() {
            writeln!(f, "           not checked: {}", skipped.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(status: Status) -> Finding {
        Finding::new("mrz.x", status, 0.5, Evidence::default(), "")
    }

    /// The verdict as a table of the statuses present.
    #[test]
    fn verdict_table() {
        use Status::*;
        let table: [(&[Status], Verdict); 12] = [
            (&[], Verdict::Pass),
            (&[Pass], Verdict::Pass),
            (&[Skipped], Verdict::Pass),
            (&[Pass, Skipped], Verdict::Pass),
            (&[Warn], Verdict::Refer),
            (&[Pass, Warn, Skipped], Verdict::Refer),
            (&[Fail], Verdict::Fail),
            (&[Warn, Fail], Verdict::Fail),
            (&[Pass, Fail, Skipped], Verdict::Fail),
            (&[Inconclusive], Verdict::Unreadable),
            (&[Fail, Inconclusive], Verdict::Unreadable),
            (&[Pass, Warn, Fail, Skipped, Inconclusive], Verdict::Unreadable),
        ];
        for (statuses, verdict) in table {
            let findings: Vec<Finding> = statuses.iter().map(|&s| finding(s)).collect();
            assert_eq!(verdict_of(&findings), verdict, "{statuses:?}");
            // Order does not matter.
            let reversed: Vec<Finding> = findings.iter().rev().cloned().collect();
            assert_eq!(verdict_of(&reversed), verdict, "{statuses:?} reversed");
        }
        // A failed print over a reading in doubt is referred, a warned one not.
        let print = |s| Finding::new("print.font", s, 0.1, Evidence::default(), "");
        let table: [(Vec<Finding>, Verdict); 4] = [
            (vec![print(Status::Fail), finding(Status::Inconclusive)], Verdict::Refer),
            (vec![print(Status::Warn), finding(Status::Inconclusive)], Verdict::Unreadable),
            (vec![print(Status::Fail), finding(Status::Pass)], Verdict::Fail),
            (vec![print(Status::Pass), finding(Status::Fail), finding(Status::Inconclusive)], Verdict::Unreadable),
        ];
        for (findings, verdict) in table {
            assert_eq!(verdict_of(&findings), verdict);
        }
    }

    #[test]
    fn an_unreadable_report_never_carries_a_valid_mrz() {
        let m = crate::mrz::parse(
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
        )
        .unwrap()
        .to_data(crate::mrz::Date::new(2010, 1, 1).unwrap());
        assert!(m.valid);
        let r = Report::new("s", Some(m.clone()), vec![finding(Status::Pass)], Vec::new());
        assert!(r.mrz.unwrap().valid);
        let r = Report::new("s", Some(m), vec![finding(Status::Pass), finding(Status::Inconclusive)], Vec::new());
        assert_eq!(r.verdict, Verdict::Unreadable);
        assert!(!r.mrz.unwrap().valid);
    }
}
