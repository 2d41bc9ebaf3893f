//! The [`Verifier`]: configuration built once, documents judged many times.

use crate::checks::mrz_data;
use crate::mrz::{self, Date, ParseError};
use crate::report::{Report, ReportError};

/// Settings of a [`Verifier`], with documented defaults.
///
/// # Examples
///
/// ```
/// use mrtd_verify::Config;
/// use mrtd_verify::mrz::Date;
/// let config = Config::default().reference_date(Date::new(2026, 1, 1).unwrap()).repair(true);
/// assert!(config.repair);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Config {
    /// The date "today" means for expiry and for resolving two-digit years.
    /// Default: `None`, the system clock's date (UTC) at each verification.
    pub reference_date: Option<Date>,
    /// Repair OCR confusions in MRZ *text* input, guided by check digits.
    /// Default: `false`: text is read strictly, characters never change.
    /// (Image input always goes through repair: OCR readings are candidates.)
    pub repair: bool,
}

impl Config {
    /// With a fixed reference date.
    pub fn reference_date(mut self, date: Date) -> Config {
        self.reference_date = Some(date);
        self
    }

    /// With text repair on or off.
    pub fn repair(mut self, on: bool) -> Config {
        self.repair = on;
        self
    }
}

/// Judges documents. Build it once; it is `Send + Sync` and holds no mutable
/// state, so one verifier serves every thread.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Config, Verdict, Verifier};
/// let verifier = Verifier::new(Config::default());
/// let report = verifier.verify_text("stdin:1", "P<UTO\nnot an MRZ");
/// assert_eq!(report.verdict, Verdict::Unreadable);
/// assert!(report.error.is_some());
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    config: Config,
}

impl Verifier {
    /// A verifier with this configuration.
    pub fn new(config: Config) -> Verifier {
        Verifier { config }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The reference date for this run.
    pub fn reference_date(&self) -> Date {
        self.config.reference_date.unwrap_or_else(Date::today)
    }

    /// Judges one document given as MRZ text. `source` is recorded in the
    /// report as given. Never fails: unreadable text gives an `unreadable`
    /// report with the error.
    pub fn verify_text(&self, source: &str, text: &str) -> Report {
        let reference = self.reference_date();
        if self.config.repair {
            match mrz::repair::repair(text) {
                Ok(repaired) => {
                    let joined = repaired.text();
                    match mrz::parse(&joined) {
                        Ok(m) => {
                            let mut report = self.text_report(source, &m, reference);
                            let extra = mrz_data::repair_findings(&repaired.repairs, &repaired.doubts);
                            if let Some(data) = report.mrz.as_mut() {
                                data.repairs = repaired.repairs;
                                data.doubts = repaired.doubts;
                            }
                            report.findings.extend(extra);
                            report.verdict = crate::report::verdict_of(&report.findings);
                            report
                        }
                        Err(e) => Report::unreadable(source, parse_error(&e)),
                    }
                }
                Err(e) => Report::unreadable(source, parse_error(&e)),
            }
        } else {
            match mrz::parse(text) {
                Ok(m) => self.text_report(source, &m, reference),
                Err(e) => Report::unreadable(source, parse_error(&e)),
            }
        }
    }

    fn text_report(&self, source: &str, m: &mrz::Mrz<'_>, reference: Date) -> Report {
        let validation = m.validate(reference);
        let findings = mrz_data::findings(m, &validation);
        Report::from_findings(source, Some(m.to_data_with(&validation)), findings)
    }

    /// Judges many text documents, in parallel with the `rayon` feature; the
    /// reports come back in input order.
    pub fn verify_texts(&self, documents: &[TextDocument<'_>]) -> Vec<Report> {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            documents.par_iter().map(|d| self.verify_text(&d.source, d.text)).collect()
        }
        #[cfg(not(feature = "rayon"))]
        {
            documents.iter().map(|d| self.verify_text(&d.source, d.text)).collect()
        }
    }
}

fn parse_error(e: &ParseError) -> ReportError {
    let (line, column) = e.position().map_or((None, None), |(l, c)| (Some(l), Some(c)));
    ReportError { kind: "parse".into(), message: e.to_string(), line, column }
}

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
    use crate::report::Verdict;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

    fn verifier(repair: bool) -> Verifier {
        Verifier::new(Config::default().reference_date(Date::new(2010, 1, 1).unwrap()).repair(repair))
    }

    #[test]
    fn verdicts() {
        assert_eq!(verifier(false).verify_text("a", TD3).verdict, Verdict::Pass);
        let bad = TD3.replacen("7408122", "7408123", 1);
        let r = verifier(false).verify_text("a", &bad);
        assert_eq!(r.verdict, Verdict::Fail);
        assert!(!r.mrz.unwrap().valid);
        let expired = Verifier::new(Config::default().reference_date(Date::new(2020, 1, 1).unwrap()));
        let r = expired.verify_text("a", TD3);
        assert_eq!(r.verdict, Verdict::Refer);
        assert!(r.mrz.unwrap().valid, "expiry is not part of validity");
    }

    #[test]
    fn strict_text_never_changes_characters() {
        let damaged = TD3.replacen("7408122", "74O8122", 1);
        let strict = verifier(false).verify_text("a", &damaged);
        assert_eq!(strict.mrz.as_ref().unwrap().lines[1], damaged.lines().nth(1).unwrap());
        assert_eq!(strict.verdict, Verdict::Fail);
        let repaired = verifier(true).verify_text("a", &damaged);
        assert_eq!(repaired.verdict, Verdict::Pass);
        let data = repaired.mrz.unwrap();
        assert_eq!(data.repairs.len(), 1);
        assert_eq!(data.lines[1], TD3.lines().nth(1).unwrap());
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

    #[test]
    fn batch_keeps_order() {
        let texts = [TD3.to_owned(), "junk".to_owned(), TD3.replacen("7408122", "7408123", 1)];
        let docs: Vec<TextDocument<'_>> =
            texts.iter().enumerate().map(|(i, t)| TextDocument { source: i.to_string(), text: t }).collect();
        let reports = verifier(false).verify_texts(&docs);
        let verdicts: Vec<Verdict> = reports.iter().map(|r| r.verdict).collect();
        assert_eq!(verdicts, [Verdict::Pass, Verdict::Unreadable, Verdict::Fail]);
        assert_eq!(reports[2].source, "2");
    }
}
