//! The check layer: every check family implements [`Check`], runs on a
//! [`Context`] (the document as read, its parsed MRZ and validation, the
//! configuration), and returns findings with a stable check id, a status, a
//! score and evidence. A [`Registry`] holds the families a verifier runs;
//! the checks of one document run in parallel (feature `rayon`) and each is
//! timed. The verdict is one function of the findings
//! ([`verdict_of`](crate::verdict_of)).
//!
//! Families, with the prefix of their check ids:
//!
//! | family | checks | needs |
//! |---|---|---|
//! | `mrz` | check digits, data rules, repairs and doubts ([`mrz_data`]) | an MRZ (text or image) |
//! | `ocr` | whether the reading can be trusted ([`ocr_trust`]) | an MRZ read from an image |
//! | `quality` | resolution, sharpness, exposure, glare: informs, never accuses ([`quality`]) | an image |
//! | `print` | MRZ print conformity: font, position, size, ink, shape, layout ([`print`](mod@print)) | an MRZ read from an image |
//! | `viz` | the visual zone against the MRZ: document number, names, dates ([`viz`](mod@viz)) | an MRZ read from an image |
//! | `ir`, `uv` | the MRZ dark in infrared, the paper dull and features fluorescent in ultraviolet ([`bands`]) | an MRZ read from an image, and the companion |
//! | `photo` | portrait substitution: the portrait's noise and compression against the page's ([`photo`]) | a colour image (MRZ or not) |
//! | `tamper` | page tampering: visual-zone digits copied over others ([`tamper`]) | an image whose visual zone was read |
//!
//! Every report lists every family of [`FAMILIES`] with whether it ran, so a
//! `pass` never hides a family that did not look at the document.

#[cfg(feature = "ocr")]
pub mod bands;
pub mod mrz_data;
#[cfg(feature = "ocr")]
pub mod ocr_trust;
#[cfg(feature = "ocr")]
pub mod photo;
#[cfg(feature = "ocr")]
pub mod print;
#[cfg(feature = "ocr")]
pub mod quality;
#[cfg(feature = "ocr")]
mod stats;
#[cfg(feature = "ocr")]
pub mod tamper;
#[cfg(feature = "ocr")]
pub mod viz;

use std::fmt;
use std::time::Instant;

use crate::config::{Config, Thresholds};
use crate::document::{Document, InputKind};
use crate::mrz::{Mrz, Validation};
use crate::report::{CheckRun, Finding, ReportError, SkipReason};

/// The check families every report accounts for, with what each checks.
pub const FAMILIES: [(&str, &str); 9] = [
    ("mrz", "MRZ data: check digits, field rules, repairs"),
    ("ocr", "trust in the MRZ reading: character confidence where no check digit vouches"),
    ("quality", "scan quality: resolution, sharpness, exposure, glare"),
    ("print", "MRZ print conformity: font, pitch, baseline, size and ink"),
    ("viz", "visual zone against the MRZ"),
    ("photo", "portrait substitution"),
    ("tamper", "page tampering: visual-zone digits copied over others"),
    ("ir", "infrared: the MRZ dark in B900, background print gone"),
    ("uv", "ultraviolet: paper UV-dull, fluorescent features present"),
];

/// What a check returns: its findings, or why it did not run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CheckResult {
    /// It ran and found these (possibly none).
    Findings(Vec<Finding>),
    /// It could not run on this document.
    Skipped(SkipReason, String),
}

/// One check family.
///
/// # Examples
///
/// A family of one's own, added to a verifier's registry:
///
/// ```
/// use mrtd_verify::checks::{Check, CheckResult, Context, Registry};
/// use mrtd_verify::{Config, Evidence, Finding, Status, Verdict, Verifier};
/// use mrtd_verify::mrz::Date;
///
/// /// Refers every document of one issuing state for a manual look.
/// struct Watchlist;
///
/// impl Check for Watchlist {
///     fn family(&self) -> &'static str { "watch" }
///     fn describe(&self) -> &'static str { "issuing states on the post's watch list" }
///     fn run(&self, cx: &Context<'_>) -> CheckResult {
///         let Some(m) = cx.mrz() else { return CheckResult::Findings(Vec::new()) };
///         let status = if m.issuing_state() == "UTO" { Status::Warn } else { Status::Pass };
///         CheckResult::Findings(vec![Finding::new("watch.state", status, 0.5, Evidence::default(), "watch list")])
///     }
/// }
///
/// let verifier = Verifier::builder()
///     .config(Config::default().reference_date(Date::new(2010, 1, 1).unwrap()))
///     .registry(Registry::standard().with(Watchlist))
///     .build()?;
/// let report = verifier.verify_text(
///     "desk-1",
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
/// );
/// assert_eq!(report.verdict, Verdict::Refer);
/// assert!(report.checks.iter().any(|c| c.family == "watch"));
/// # Ok::<(), mrtd_verify::Error>(())
/// ```
pub trait Check: Send + Sync {
    /// The family: the prefix of every check id it reports (`mrz` for
    /// `mrz.check_digit.birth_date`).
    fn family(&self) -> &'static str;

    /// What the family checks, in a few words for the officer.
    fn describe(&self) -> &'static str;

    /// Runs on one document.
    fn run(&self, cx: &Context<'_>) -> CheckResult;
}

/// Everything a check receives: the document as read (pages, text lines,
/// the MRZ reading with its geometry), the MRZ parsed once and validated
/// once, and the configuration.
#[derive(Debug)]
pub struct Context<'d> {
    document: &'d Document,
    mrz: Option<Mrz<'d>>,
    validation: Option<Validation>,
    unread: Option<ReportError>,
    config: &'d Config,
    reference: crate::mrz::Date,
}

impl<'d> Context<'d> {
    /// The context of a document: its MRZ text parsed and validated against
    /// the configuration's reference date.
    pub(crate) fn new(document: &'d Document, config: &'d Config, reference: crate::mrz::Date) -> Context<'d> {
        let parsed = document.mrz_text().map(crate::mrz::parse);
        let (mrz, unread) = match parsed {
            Some(Ok(m)) => (Some(m), None),
            Some(Err(e)) => (None, Some(ReportError::from(&crate::Error::from(e)))),
            None => (None, document.error().map(ReportError::from)),
        };
        let validation = mrz.as_ref().map(|m| m.validate(reference));
        Context { document, mrz, validation, unread, config, reference }
    }

    /// The date the document is judged on (the configuration's reference
    /// date, or today).
    pub fn reference(&self) -> crate::mrz::Date {
        self.reference
    }

    /// The document as read.
    pub fn document(&self) -> &'d Document {
        self.document
    }

    /// The parsed MRZ, when one was read.
    pub fn mrz(&self) -> Option<&Mrz<'d>> {
        self.mrz.as_ref()
    }

    /// Its validation against the reference date.
    pub fn validation(&self) -> Option<&Validation> {
        self.validation.as_ref()
    }

    /// Why no MRZ could be read, when none could.
    pub fn unread(&self) -> Option<&ReportError> {
        self.unread.as_ref()
    }

    /// The configuration.
    pub fn config(&self) -> &'d Config {
        self.config
    }

    /// The thresholds.
    pub fn thresholds(&self) -> &'d Thresholds {
        &self.config.thresholds
    }

    /// The visible page, or the skip of a family that needs one: MRZ text
    /// has none (`not_applicable`, "MRZ text input: `missing`"), an image
    /// that did not decode neither (`no_mrz`).
    #[cfg(feature = "ocr")]
    pub(crate) fn page_or_skip(&self, missing: &str) -> Result<&'d crate::scan::Page, CheckResult> {
        self.document.page().ok_or_else(|| match self.document.kind() {
            InputKind::Text => CheckResult::Skipped(SkipReason::NotApplicable, format!("MRZ text input: {missing}")),
            InputKind::Image => CheckResult::Skipped(SkipReason::NoMrz, "the image did not decode".into()),
        })
    }
}

/// The check families a verifier runs.
///
/// # Examples
///
/// ```
/// use mrtd_verify::checks::Registry;
/// let families: Vec<&str> = Registry::standard().families().collect();
/// assert!(families.contains(&"mrz"));
/// ```
pub struct Registry {
    checks: Vec<Box<dyn Check>>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.checks.iter().map(|c| c.family())).finish()
    }
}

impl Default for Registry {
    fn default() -> Registry {
        Registry::standard()
    }
}

impl Registry {
    /// The families this build of the crate implements.
    pub fn standard() -> Registry {
        let r = Registry::empty().with(mrz_data::MrzDataCheck);
        #[cfg(feature = "ocr")]
        let r = r
            .with(ocr_trust::ReadingTrust)
            .with(quality::QualityCheck)
            .with(print::PrintCheck)
            .with(viz::VizCheck)
            .with(photo::PortraitCheck)
            .with(tamper::TamperCheck)
            .with(bands::IrCheck)
            .with(bands::UvCheck);
        r
    }

    /// No checks at all.
    pub fn empty() -> Registry {
        Registry { checks: Vec::new() }
    }

    /// With one more family (replacing a registered one of the same family).
    pub fn with(mut self, check: impl Check + 'static) -> Registry {
        self.checks.retain(|c| c.family() != check.family());
        self.checks.push(Box::new(check));
        self
    }

    /// The registered families.
    pub fn families(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.checks.iter().map(|c| c.family())
    }

    /// Runs every family on a document, in parallel with the `rayon`
    /// feature: the findings in family order, and one [`CheckRun`] for each
    /// family of [`FAMILIES`] and each other registered family.
    pub fn run(&self, cx: &Context<'_>) -> (Vec<Finding>, Vec<CheckRun>) {
        let timed = |c: &dyn Check| {
            let t = Instant::now();
            let result = c.run(cx);
            Some((result, t.elapsed().as_secs_f64() * 1000.0))
        };
        #[cfg(feature = "rayon")]
        let mut results: Vec<Option<(CheckResult, f64)>> = {
            use rayon::prelude::*;
            self.checks.par_iter().map(|c| timed(c.as_ref())).collect()
        };
        #[cfg(not(feature = "rayon"))]
        let mut results: Vec<Option<(CheckResult, f64)>> = self.checks.iter().map(|c| timed(c.as_ref())).collect();

        let mut order: Vec<&'static str> = FAMILIES.iter().map(|f| f.0).collect();
        for c in &self.checks {
            if !order.contains(&c.family()) {
                order.push(c.family());
            }
        }
        let mut findings = Vec::new();
        let mut runs = Vec::with_capacity(order.len());
        for family in order {
            let at = self.checks.iter().position(|c| c.family() == family);
            let ran = at.and_then(|i| Some((self.checks.get(i)?, results.get_mut(i)?.take()?)));
            runs.push(match ran {
                Some((c, (CheckResult::Findings(f), ms))) => {
                    let run = CheckRun::ran(family, c.describe(), f.len(), ms);
                    findings.extend(f);
                    run
                }
                Some((_, (CheckResult::Skipped(reason, why), _))) => CheckRun::skipped(family, reason, why),
                None => unregistered(family, cx.document().kind()),
            });
        }
        (findings, runs)
    }
}

/// The run of a family this registry has no check for.
fn unregistered(family: &str, kind: InputKind) -> CheckRun {
    let what = FAMILIES.iter().find(|f| f.0 == family).map_or("", |f| f.1);
    match kind {
        InputKind::Text if family != "mrz" => CheckRun::skipped(
            family,
            SkipReason::NotApplicable,
            format!("{what}: needs an image, the input is MRZ text"),
        ),
        _ => CheckRun::skipped(family, SkipReason::NotImplemented, format!("{what}: not in this version")),
    }
}
