//! The [`Verifier`]: configuration, character model and check registry built
//! once; documents read and judged many times, from any thread.
//!
//! ```text
//! Scan ──read──▶ Document ──judge──▶ Report
//! text ──read_text──▶ Document ──judge──▶ Report
//! ```
//!
//! [`Verifier::verify`] and [`Verifier::verify_text`] do both steps.

#[cfg(feature = "ocr")]
mod image;
mod text;

use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Instant;

pub use text::{TextDocument, decode_text, split_documents};

use crate::checks::{Context, Registry};
use crate::config::Config;
use crate::document::{Document, InputKind};
use crate::mrz::{self, Date, Mrz, Validation};
use crate::report::Report;

/// Judges documents. Build it once; it is `Send + Sync` and holds no mutable
/// state, so one verifier serves every thread. With the `ocr` feature it
/// always holds a character model (the bundled one unless the builder was
/// given another), so it can read images.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Config, Verdict, Verifier};
/// let verifier = Verifier::new(Config::default())?;
/// let report = verifier.verify_text("stdin:1", "P<UTO\nnot an MRZ");
/// assert_eq!(report.verdict, Verdict::Unreadable);
/// assert!(report.error.is_some());
/// # Ok::<(), mrtd_verify::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    config: Config,
    registry: Arc<Registry>,
    #[cfg(feature = "ocr")]
    reader: crate::read::Reader,
    #[cfg(feature = "ocr")]
    lines: crate::ocr::LineModel,
}

// The verifier is shared by every thread of a post's software.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Verifier>();
    assert_send_sync::<Document>();
};

/// Builds a [`Verifier`]: configuration, check registry and (feature `ocr`)
/// character model, each with a default.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Config, Verifier};
/// use mrtd_verify::checks::Registry;
/// let verifier = Verifier::builder().config(Config::default().repair(true)).registry(Registry::standard()).build()?;
/// assert!(verifier.config().repair);
/// # Ok::<(), mrtd_verify::Error>(())
/// ```
#[derive(Debug, Default)]
#[must_use]
pub struct VerifierBuilder {
    config: Config,
    registry: Option<Registry>,
    #[cfg(feature = "ocr")]
    model: Option<crate::ocr::Model>,
}

impl VerifierBuilder {
    /// With this configuration (default: [`Config::default`]).
    pub fn config(mut self, config: Config) -> VerifierBuilder {
        self.config = config;
        self
    }

    /// With these check families (default: [`Registry::standard`]).
    pub fn registry(mut self, registry: Registry) -> VerifierBuilder {
        self.registry = Some(registry);
        self
    }

    /// With another character model (default: the bundled one).
    #[cfg(feature = "ocr")]
    pub fn model(mut self, model: crate::ocr::Model) -> VerifierBuilder {
        self.model = Some(model);
        self
    }

    /// The verifier; loads and optimises the bundled model unless one was
    /// given.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Model`] if the bundled model does not load (a
    /// build defect). Without the `ocr` feature it never fails.
    pub fn build(self) -> Result<Verifier, crate::Error> {
        #[cfg(feature = "ocr")]
        let model = match self.model {
            Some(m) => m,
            None => crate::ocr::Model::bundled()?,
        };
        Ok(Verifier {
            config: self.config,
            registry: Arc::new(self.registry.unwrap_or_default()),
            #[cfg(feature = "ocr")]
            reader: crate::read::Reader::new(model),
            #[cfg(feature = "ocr")]
            lines: crate::ocr::LineModel::bundled()?,
        })
    }
}

impl Verifier {
    /// A verifier with this configuration, the standard checks and (feature
    /// `ocr`) the bundled character model, loaded and optimised once.
    ///
    /// # Errors
    ///
    /// As [`VerifierBuilder::build`].
    pub fn new(config: Config) -> Result<Verifier, crate::Error> {
        Verifier::builder().config(config).build()
    }

    /// A builder, for another model or other checks.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The check families this verifier runs.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The reference date for this run.
    pub fn reference_date(&self) -> Date {
        self.config.reference_date.unwrap_or_else(Date::today)
    }

    /// Reads one document given as MRZ text: strictly, or with check-digit
    /// guided repair when the configuration asks for it. Never fails: text
    /// that is not an MRZ is judged `unreadable`.
    pub fn read_text(&self, source: &str, text: &str) -> Document {
        let mut doc = Document::empty(source.to_owned(), InputKind::Text);
        if let Some((line, column)) = text::undecodable_at(text) {
            // Bytes that were not text ([`decode_text`]): an input error at
            // its place, whatever else the document holds.
            let hint = " (bytes that are not text: save the file as UTF-8 or ASCII text)";
            doc.error = Some(mrz::ParseError::IllegalCharacter { line, column, found: '\u{FFFD}', hint }.into());
            return doc;
        }
        // Lines typed in the wrong order are an input mistake, not eleven
        // findings about the document.
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if let Some(order) = mrz::reordered(&lines) {
            let order = order.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
            doc.error = Some(mrz::ParseError::LinesOutOfOrder { order }.into());
            return doc;
        }
        if self.config.repair {
            match mrz::repair(text) {
                Ok(repaired) => {
                    doc.mrz_text = Some(repaired.text());
                    doc.repaired = Some(repaired);
                }
                Err(e) => doc.error = Some(e.into()),
            }
        } else {
            doc.mrz_text = Some(text.to_owned());
        }
        doc
    }

    /// Judges a document: every check family on it (in parallel with the
    /// `rayon` feature), the verdict from their findings.
    pub fn judge(&self, doc: &Document) -> Report {
        let t = Instant::now();
        let cx = Context::new(doc, &self.config, self.reference_date());
        let (findings, checks) = self.registry.run(&cx);
        let mrz = match (cx.mrz(), cx.validation()) {
            (Some(m), Some(v)) => Some(owned(m, v, doc)),
            _ => None,
        };
        let mut report = Report::new(doc.source(), mrz, findings, checks);
        report.error = cx.unread().cloned();
        report.scan = doc.scan_summary();
        #[cfg(feature = "ocr")]
        {
            report.viz = doc.viz().map(|v| crate::report::VizSummary {
                lines: v.lines.len(),
                values: v
                    .values
                    .iter()
                    .map(|f| crate::report::VizField {
                        key: f.key.name().to_owned(),
                        text: f.text.clone(),
                        value: f.value.clone(),
                        confidence: f.confidence,
                        region: f.region,
                        by_caption: f.by_caption,
                    })
                    .collect(),
            });
        }
        if doc.kind() == InputKind::Image {
            let mut timings = doc.timings();
            timings.checks = ms(t);
            timings.total += timings.checks;
            report.timings_ms = Some(timings);
        }
        report
    }

    /// Judges one document given as MRZ text. `source` is recorded in the
    /// report as given. Never fails: unreadable text gives an `unreadable`
    /// report with the error.
    pub fn verify_text(&self, source: &str, text: &str) -> Report {
        self.judge(&self.read_text(source, text))
    }

    /// Judges many text documents, in parallel with the `rayon` feature; the
    /// reports come back in input order.
    pub fn verify_texts(&self, documents: &[TextDocument<'_>]) -> Vec<Report> {
        let mut out = Vec::with_capacity(documents.len());
        let _ = self.verify_texts_each(documents, documents.len(), |r| {
            out.push(r);
            ControlFlow::Continue(())
        });
        out
    }

    /// Judges many text documents `window` at a time (in parallel with the
    /// `rayon` feature), handing each report to `emit` in input order as its
    /// window is done: memory holds one window's reports, whatever the
    /// batch's size. `emit` returns [`ControlFlow::Break`] to stop the batch
    /// (its output was closed, the operator cancelled): no further window is
    /// judged, and the break is returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use mrtd_verify::{split_documents, Config, Verdict, Verifier};
    /// let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
    ///             L898902C36UTO7408122F1204159ZE184226B<<<<<10\n\nnot an MRZ\n";
    /// let verifier = Verifier::new(Config::default())?;
    /// let mut verdicts = Vec::new();
    /// let documents = split_documents("stdin", text);
    /// verifier.verify_texts_each(&documents, 1, |r| {
    ///     verdicts.push(r.verdict);
    ///     ControlFlow::Continue(())
    /// });
    /// assert_eq!(verdicts.len(), 2);
    /// assert_eq!(verdicts[1], Verdict::Unreadable);
    /// // Stopped after the first report: the second is never judged.
    /// let mut first = Vec::new();
    /// let flow = verifier.verify_texts_each(&documents, 1, |r| {
    ///     first.push(r.verdict);
    ///     ControlFlow::Break(())
    /// });
    /// assert_eq!((flow, first.len()), (ControlFlow::Break(()), 1));
    /// # Ok::<(), mrtd_verify::Error>(())
    /// ```
    pub fn verify_texts_each(
        &self,
        documents: &[TextDocument<'_>],
        window: usize,
        emit: impl FnMut(Report) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        in_windows(documents, window, |d| self.verify_text(&d.source, d.text), emit)
    }
}

/// Maps `items` `window` at a time (in parallel with the `rayon` feature) and
/// hands the results to `emit` in input order, each window's once it is done,
/// until `emit` breaks.
fn in_windows<T: Sync>(
    items: &[T],
    window: usize,
    f: impl Fn(&T) -> Report + Sync,
    mut emit: impl FnMut(Report) -> ControlFlow<()>,
) -> ControlFlow<()> {
    for chunk in items.chunks(window.max(1)) {
        #[cfg(feature = "rayon")]
        let reports: Vec<Report> = {
            use rayon::prelude::*;
            chunk.par_iter().map(&f).collect()
        };
        #[cfg(not(feature = "rayon"))]
        let reports: Vec<Report> = chunk.iter().map(&f).collect();
        for r in reports {
            emit(r)?;
        }
    }
    ControlFlow::Continue(())
}

/// The owned MRZ of the report, with the repairs made to read it.
fn owned(m: &Mrz<'_>, v: &Validation, doc: &Document) -> mrz::MrzData {
    match doc.repaired() {
        Some(r) => m.to_data_repaired(v, r),
        None => m.to_data_with(v),
    }
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests;
