//! Whether an MRZ reading can be trusted (family `ocr`, images only).
//!
//! A check digit vouches for the characters it covers: a misread there shows
//! as a refuted digit. Elsewhere (names, codes, unchecked optional data)
//! nothing would catch a misread, so the reading is `inconclusive` (verdict
//! `unreadable`: rescan) when such a character was read unsure or could as
//! well be another character its field allows; and a refuted check digit is
//! evidence of alteration only on a reading the model was sure of.
//!
//! Check ids: `ocr.confidence` (`warn` when a character no verified check
//! digit vouches for was read below
//! [`Thresholds::ocr_confidence_warn`](crate::Thresholds)),
//! `ocr.unconfirmed`, `ocr.close_call`, `ocr.refuted_reading`
//! (`inconclusive` when they fail).

use super::{Check, CheckResult, Context};
use crate::config::Thresholds;
use crate::geometry::Quad;
use crate::read::GlyphReading;
use crate::report::{Evidence, Finding, SkipReason, Status, TextSpan};

/// The `ocr` family.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadingTrust;

impl Check for ReadingTrust {
    fn family(&self) -> &'static str {
        "ocr"
    }

    fn describe(&self) -> &'static str {
        "trust in the MRZ reading: character confidence where no check digit vouches"
    }

    fn run(&self, cx: &Context<'_>) -> CheckResult {
        let Some(reading) = cx.document().reading() else {
            return match cx.document().kind() {
                crate::document::InputKind::Text => {
                    CheckResult::Skipped(SkipReason::NotApplicable, "MRZ text input: nothing was recognised".into())
                }
                crate::document::InputKind::Image => {
                    CheckResult::Skipped(SkipReason::NoMrz, "no MRZ was read from the image".into())
                }
            };
        };
        let Some(m) = cx.mrz() else {
            return CheckResult::Skipped(SkipReason::NoMrz, "the characters read do not form an MRZ".into());
        };
        let t = cx.thresholds();
        let doubts = &reading.repaired.doubts;
        let vouched = |g: &GlyphReading| vouched_by_digits(m, doubts, g);
        let refuted = m.check_digits().filter(|c| c.status.is_refuted()).count();
        // The characters a refuted check digit stands on or covers: only
        // their reading decides whether the refutation is the print's.
        let under_refuted = |g: &GlyphReading| {
            m.checks_covering(g.line.saturating_sub(1), g.column.saturating_sub(1)).any(|c| c.status.is_refuted())
        };
        CheckResult::Findings(trust_findings(&reading.glyphs, reading.zone, &vouched, &under_refuted, refuted, t))
    }
}

/// Whether a verified check digit vouches for a glyph's reading: one covers
/// it, and the repair left no doubt there. A doubt means the check digits
/// could not tell the reading from its alternatives (a blind spot, a blind
/// combination, several solutions), so they confirm nothing at that position
/// and the OCR's confidence alone decides.
fn vouched_by_digits(m: &crate::mrz::Mrz<'_>, doubts: &[crate::mrz::Doubt], g: &GlyphReading) -> bool {
    m.confirmed_at(g.line.saturating_sub(1), g.column.saturating_sub(1))
        && !doubts.iter().any(|d| d.line == g.line && d.column == g.column)
}

/// The four findings on a reading's glyphs; `under_refuted` tells the
/// glyphs a refuted check digit stands on or covers.
fn trust_findings(
    glyphs: &[GlyphReading],
    zone: Quad,
    vouched: &impl Fn(&GlyphReading) -> bool,
    under_refuted: &impl Fn(&GlyphReading) -> bool,
    refuted: usize,
    t: &Thresholds,
) -> Vec<Finding> {
    let r = Glyphs { glyphs, zone };
    vec![
        confidence(&r, vouched, t.ocr_confidence_warn),
        unconfirmed(&r, vouched, t.ocr_unconfirmed_min),
        close_call(&r, vouched, t.ocr_close_call_ratio),
        refuted_reading(&r, under_refuted, refuted, t.ocr_refuted_trust, t.ocr_confidence_warn),
    ]
}

/// The glyphs of a reading and its zone.
struct Glyphs<'a> {
    glyphs: &'a [GlyphReading],
    zone: Quad,
}

impl Glyphs<'_> {
    fn min_confidence(&self) -> f32 {
        self.glyphs.iter().map(|g| g.confidence).fold(1.0, f32::min)
    }
}

/// Evidence at one glyph: its place in the text and its cell on the page.
fn at(g: &GlyphReading) -> Evidence {
    Evidence {
        text: Some(TextSpan { line: g.line, column: g.column, length: 1 }),
        region: Some(g.cell),
        ..Evidence::default()
    }
}

/// `ocr.confidence`: the lowest first-choice probability over the zone, and
/// how many characters were read below the threshold. It warns when one of
/// those no verified check digit vouches for: a character read unsure that
/// its check digit confirms is read right (the digit would refute a
/// misreading), and referring the document for it would only tell the
/// officer that the scan was poor there.
fn confidence(r: &Glyphs<'_>, vouched: &impl Fn(&GlyphReading) -> bool, warn: f32) -> Finding {
    let min = r.min_confidence();
    let low = r.glyphs.iter().filter(|g| g.confidence < warn).count();
    let unvouched = r.glyphs.iter().filter(|g| g.confidence < warn && !vouched(g)).count();
    let ev = Evidence::on(r.zone)
        .measured(f64::from(min))
        .expected(format!(
            "{low} of {} characters below {:.0} %, {unvouched} of them with no check digit to confirm them",
            r.glyphs.len(),
            warn * 100.0
        ))
        .threshold(f64::from(warn));
    let (status, message) = if low == 0 {
        (Status::Pass, format!("every MRZ character read with at least {:.0} % confidence", min * 100.0))
    } else if unvouched == 0 {
        (
            Status::Pass,
            format!(
                "{low} MRZ character(s) read below {:.0} % (lowest {:.0} %), each confirmed by a verified check digit",
                warn * 100.0,
                min * 100.0
            ),
        )
    } else {
        (
            Status::Warn,
            format!(
                "{unvouched} MRZ character(s) that no check digit confirms read below {:.0} % (lowest of all {:.0} %)",
                warn * 100.0,
                min * 100.0
            ),
        )
    };
    Finding::new("ocr.confidence", status, min, ev, message)
}

/// `ocr.unconfirmed`: the least sure character no verified check digit
/// vouches for.
fn unconfirmed(r: &Glyphs<'_>, vouched: &impl Fn(&GlyphReading) -> bool, min: f32) -> Finding {
    let worst = r.glyphs.iter().filter(|g| !vouched(g)).min_by(|a, b| a.confidence.total_cmp(&b.confidence));
    match worst {
        Some(g) if g.confidence < min => Finding::new(
            "ocr.unconfirmed",
            Status::Inconclusive,
            g.confidence,
            at(g).measured(f64::from(g.confidence)).threshold(f64::from(min)),
            format!(
                "line {} position {} ({:?}) was read with low confidence ({:.0} %) and no check digit can confirm it: rescan the document",
                g.line,
                g.column,
                g.ch,
                g.confidence * 100.0
            ),
        ),
        Some(g) => Finding::new(
            "ocr.unconfirmed",
            Status::Pass,
            1.0,
            Evidence::on(r.zone).measured(f64::from(g.confidence)).threshold(f64::from(min)),
            format!("characters no check digit covers read with at least {:.0} % confidence", g.confidence * 100.0),
        ),
        None => Finding::new(
            "ocr.unconfirmed",
            Status::Pass,
            1.0,
            Evidence::on(r.zone),
            "every character is covered by a verified check digit",
        ),
    }
}

/// `ocr.close_call`: an unvouched character whose second choice among the
/// characters its field allows is nearly as likely as the first.
fn close_call(r: &Glyphs<'_>, vouched: &impl Fn(&GlyphReading) -> bool, ratio: f32) -> Finding {
    match r.glyphs.iter().filter(|g| !vouched(g)).find(|g| g.runner_up >= ratio * g.confidence) {
        Some(g) => Finding::new(
            "ocr.close_call",
            Status::Inconclusive,
            1.0 - g.runner_up / g.confidence.max(f32::MIN_POSITIVE),
            at(g).measured(f64::from(g.runner_up / g.confidence.max(f32::MIN_POSITIVE))).threshold(f64::from(ratio)),
            format!(
                "line {} position {} reads {:?} at {:.0} % but could be another character ({:.0} %), and no check digit can confirm it: rescan the document",
                g.line,
                g.column,
                g.ch,
                g.confidence * 100.0,
                g.runner_up * 100.0
            ),
        ),
        None => Finding::new(
            "ocr.close_call",
            Status::Pass,
            1.0,
            Evidence::on(r.zone).threshold(f64::from(ratio)),
            "no character outside the check digits' cover could be read as another",
        ),
    }
}

/// `ocr.refuted_reading`: refuted check digits count as evidence only where
/// the model was sure of every character they stand on or cover (a
/// character read somewhat unsure elsewhere, under a stamp over the names,
/// say, cannot have refuted them), and on a reading with no character below
/// `floor` anywhere (a scan that poor is rescanned before anyone is
/// accused).
fn refuted_reading(
    r: &Glyphs<'_>,
    under_refuted: &impl Fn(&GlyphReading) -> bool,
    refuted: usize,
    trust: f32,
    floor: f32,
) -> Finding {
    let covered: Vec<f32> = r.glyphs.iter().filter(|g| under_refuted(g)).map(|g| g.confidence).collect();
    let min = covered.iter().copied().fold(1.0, f32::min);
    let zone = r.min_confidence();
    let ev = Evidence::on(r.zone).measured(f64::from(min)).threshold(f64::from(trust));
    let doubt = |why: String| Finding::new("ocr.refuted_reading", Status::Inconclusive, min.min(zone), ev.clone(), why);
    if refuted == 0 {
        Finding::new("ocr.refuted_reading", Status::Pass, 1.0, ev, "no check digit refuted")
    } else if covered.is_empty() {
        doubt(format!(
            "{refuted} check digit(s) refuted, but the characters they cover were not read: rescan the document"
        ))
    } else if min < trust {
        doubt(format!(
            "{refuted} check digit(s) refuted where the reading is of low confidence ({:.0} %): rescan the document",
            min * 100.0
        ))
    } else if zone < floor {
        doubt(format!(
            "{refuted} check digit(s) refuted on a reading with a character of very low confidence elsewhere ({:.0} %): \
             rescan the document",
            zone * 100.0
        ))
    } else {
        Finding::new(
            "ocr.refuted_reading",
            Status::Pass,
            1.0,
            ev,
            format!(
                "{refuted} check digit(s) refuted where every character was read with at least {:.0} % confidence: the print disagrees with itself",
                min * 100.0
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::CLASS_COUNT;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

    /// The glyphs of TD3 read sure, except (line, column) from 1, read at
    /// `confidence` with a runner-up at `runner_up`.
    fn glyphs(at: (usize, usize), confidence: f32, runner_up: f32) -> Vec<GlyphReading> {
        TD3.lines()
            .enumerate()
            .flat_map(|(l, text)| text.chars().enumerate().map(move |(i, ch)| (l + 1, i + 1, ch)))
            .map(|(line, column, ch)| {
                let odd = (line, column) == at;
                GlyphReading {
                    line,
                    column,
                    ch,
                    confidence: if odd { confidence } else { 0.99 },
                    runner_up: if odd { runner_up } else { 0.005 },
                    cell: Quad::default(),
                    ink: None,
                    probabilities: [0.0; CLASS_COUNT],
                }
            })
            .collect()
    }

    fn statuses(at: (usize, usize), confidence: f32, runner_up: f32, refuted: usize) -> Vec<(String, Status)> {
        statuses_with(at, confidence, runner_up, refuted, &[])
    }

    fn statuses_with(
        at: (usize, usize),
        confidence: f32,
        runner_up: f32,
        refuted: usize,
        doubts: &[crate::mrz::Doubt],
    ) -> Vec<(String, Status)> {
        let m = crate::mrz::parse(TD3).unwrap();
        let vouched = |g: &GlyphReading| vouched_by_digits(&m, doubts, g);
        // The refuted digits, when there are any, are taken to be line 2's
        // (the document number, dates and composite).
        let under_refuted = |g: &GlyphReading| refuted > 0 && g.line == 2;
        let t = Thresholds::default();
        trust_findings(&glyphs(at, confidence, runner_up), Quad::default(), &vouched, &under_refuted, refuted, &t)
            .into_iter()
            .map(|f| (f.check, f.status))
            .collect()
    }

    fn status_of(all: &[(String, Status)], id: &str) -> Status {
        all.iter().find(|(c, _)| c == id).map(|(_, s)| *s).unwrap()
    }

    #[test]
    fn close_calls_where_no_check_digit_vouches_are_inconclusive() {
        // The document number's first character: its check digit decides.
        let s = statuses((2, 1), 0.62, 0.3, 0);
        assert!(s.iter().all(|(_, st)| *st == Status::Pass), "{s:?}");
        // A name character: nothing would catch the other reading.
        let s = statuses((1, 11), 0.62, 0.3, 0);
        assert_eq!(status_of(&s, "ocr.close_call"), Status::Inconclusive);
        assert_eq!(status_of(&s, "ocr.unconfirmed"), Status::Pass);
        // The sex is not covered by a check digit; the personal number's
        // filler is, by its own.
        assert_eq!(status_of(&statuses((2, 21), 0.62, 0.3, 0), "ocr.close_call"), Status::Inconclusive);
        assert_eq!(status_of(&statuses((2, 40), 0.62, 0.3, 0), "ocr.close_call"), Status::Pass);
        // A runner-up below a quarter of the first choice is no close call.
        assert_eq!(status_of(&statuses((1, 11), 0.62, 0.15, 0), "ocr.close_call"), Status::Pass);
    }

    #[test]
    fn a_doubt_takes_the_check_digits_vouching_away() {
        // The document number's second character, read 62 % / 30 %: its digit
        // vouches for it, unless the repair found that the digits cannot tell
        // the reading from an alternative (a blind combination).
        assert_eq!(status_of(&statuses((2, 2), 0.62, 0.3, 0), "ocr.close_call"), Status::Pass);
        let blind = crate::mrz::repair_readings(&doubtful_td3()).unwrap().doubts;
        assert!(blind.iter().any(|d| (d.line, d.column) == (2, 2)), "{blind:?}");
        assert_eq!(status_of(&statuses_with((2, 2), 0.62, 0.3, 0, &blind), "ocr.close_call"), Status::Inconclusive);
        // Sure of the character, the reading stands even so.
        assert_eq!(status_of(&statuses_with((2, 2), 0.97, 0.02, 0, &blind), "ocr.close_call"), Status::Pass);
        assert_eq!(status_of(&statuses_with((2, 2), 0.97, 0.02, 0, &blind), "ocr.unconfirmed"), Status::Pass);
    }

    /// Candidates for TD3 whose document number's second and third characters
    /// hesitate between `8` and `4` (weight 3: 12 less) and between `9` and
    /// `1` (weight 1: 8 less): together 20 less, which neither the number's
    /// digit nor the composite can see.
    fn doubtful_td3() -> Vec<Vec<Vec<crate::mrz::Candidate>>> {
        use crate::mrz::Candidate;
        let mut lines: Vec<Vec<Vec<Candidate>>> =
            TD3.lines().map(|l| l.bytes().map(|b| vec![Candidate { ch: b, score: 0.99 }]).collect()).collect();
        lines[1][1] = vec![Candidate { ch: b'8', score: 0.62 }, Candidate { ch: b'4', score: 0.3 }];
        lines[1][2] = vec![Candidate { ch: b'9', score: 0.7 }, Candidate { ch: b'1', score: 0.25 }];
        lines
    }

    #[test]
    fn low_confidence_and_refuted_readings() {
        // Unsure in a name: inconclusive; unsure under a verified check
        // digit: confirmed by it, nothing to warn of.
        let s = statuses((1, 11), 0.40, 0.01, 0);
        assert_eq!(status_of(&s, "ocr.unconfirmed"), Status::Inconclusive);
        assert_eq!(status_of(&s, "ocr.confidence"), Status::Warn);
        let s = statuses((2, 3), 0.40, 0.01, 0);
        assert_eq!(status_of(&s, "ocr.unconfirmed"), Status::Pass);
        assert_eq!(status_of(&s, "ocr.confidence"), Status::Pass);
        // Between the two thresholds in a name: a warning alone.
        let s = statuses((1, 11), 0.47, 0.01, 0);
        assert_eq!(status_of(&s, "ocr.unconfirmed"), Status::Pass);
        assert_eq!(status_of(&s, "ocr.confidence"), Status::Warn);
        // A refuted digit on a sure reading is the print's; on an unsure one, a rescan.
        assert_eq!(status_of(&statuses((2, 3), 0.95, 0.01, 1), "ocr.refuted_reading"), Status::Pass);
        assert_eq!(status_of(&statuses((2, 3), 0.85, 0.01, 1), "ocr.refuted_reading"), Status::Inconclusive);
        // An unsure character the refuted digits do not cover (a name, under
        // a stamp) does not make their refutation doubtful; one very unsure
        // anywhere does.
        assert_eq!(status_of(&statuses((1, 11), 0.85, 0.01, 1), "ocr.refuted_reading"), Status::Pass);
        assert_eq!(status_of(&statuses((1, 11), 0.85, 0.01, 1), "ocr.unconfirmed"), Status::Pass);
        assert_eq!(status_of(&statuses((1, 11), 0.46, 0.01, 1), "ocr.refuted_reading"), Status::Inconclusive);
    }

    /// The characters a refuted check digit covers, as the parsed MRZ says:
    /// a birth date altered (its digit and the composite refuted), the
    /// nationality beside it (no digit covers it) read somewhat unsure.
    #[test]
    fn a_refutation_is_judged_on_the_characters_it_covers() {
        let altered = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7409122F1204159ZE184226B<<<<<10";
        let m = crate::mrz::parse(altered).unwrap();
        let refuted = m.check_digits().filter(|c| c.status.is_refuted()).count();
        assert_eq!(refuted, 2);
        let under = |g: &GlyphReading| m.checks_covering(g.line - 1, g.column - 1).any(|c| c.status.is_refuted());
        let vouched = |g: &GlyphReading| vouched_by_digits(&m, &[], g);
        let t = Thresholds::default();
        let status = |at: (usize, usize), confidence: f32| {
            let glyphs: Vec<GlyphReading> = glyphs(at, confidence, 0.01)
                .into_iter()
                .zip(altered.lines().flat_map(str::chars).filter(|c| *c != '\n'))
                .map(|(g, ch)| GlyphReading { ch, ..g })
                .collect();
            let all = trust_findings(&glyphs, Quad::default(), &vouched, &under, refuted, &t);
            all.into_iter().find(|f| f.check == "ocr.refuted_reading").map(|f| f.status)
        };
        // Nationality (line 2, columns 11-13): covered by no check digit.
        assert_eq!(status((2, 11), 0.8), Some(Status::Pass));
        // The birth date itself read unsure: a rescan, not a forgery.
        assert_eq!(status((2, 15), 0.8), Some(Status::Inconclusive));
        // The expiry date, covered by the refuted composite: a rescan too.
        assert_eq!(status((2, 23), 0.8), Some(Status::Inconclusive));
        // Every character sure: the print disagrees with itself.
        assert_eq!(status((1, 1), 0.99), Some(Status::Pass));
    }
}
