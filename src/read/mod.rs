//! Image to MRZ (features `image` and `ocr`): for each MRZ candidate the
//! locator found, rectify and grid the zone, recognise every cell in one
//! batch, repair with check digits, and keep the attempt that fits its
//! fields best. The zone is found up to a half turn and two-line zones have
//! two possible widths: the likelier orientation and width come first (the
//! locator's priors), and the search stops once a reading is settled.

mod reading;

use std::time::Instant;

use image::GrayImage;

pub use reading::{CLASS_COUNT, GlyphReading, LineFit, MrzReading};

use crate::config::Thresholds;
use crate::mrz::{self, Candidate, Format, RepairBasis, Repaired};
use crate::ocr::{Model, top_candidates};
use crate::report::Timings;
use crate::scan::{self, MrzLocation, Rectified, ScanError, ZoneCandidate};

/// Another MRZ found on the page than the one read: a second document.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OtherZone {
    /// Its format.
    pub format: Format,
    /// Its document number as read (every check digit held).
    pub document_number: String,
    /// Where it lies on the page.
    pub zone: crate::Quad,
}

/// Zones tried, at most.
const MAX_ZONES: usize = 3;
/// Candidates per cell handed to the repair.
const TOP_K: usize = 3;

/// One reading attempt (a zone, an orientation, a width).
struct Attempt {
    rect: Rectified,
    probs: Vec<f32>,
    repaired: Repaired,
    /// Refuted check digits after repair (`None` if it does not parse).
    refuted: Option<usize>,
    /// The format the repaired lines parse as.
    format: Option<Format>,
    confidence: f32,
    location: MrzLocation,
    /// Characters the repair had to force into their field's alphabet, plus
    /// doubts: few for the right reading, many for an upside-down or wrong one.
    misfits: usize,
}

impl Attempt {
    /// Lower is better: characters forced into their field's alphabet and
    /// doubts, plus four for each check digit left refuted, then confidence.
    /// Not "all check digits hold" first: a wrong reading (upside down, the
    /// wrong width) rewritten by dozens of forced repairs can satisfy them by
    /// chance, while the right reading of a worn scan may leave one refuted.
    fn score(&self) -> (usize, u32) {
        let refuted = self.refuted.map_or(20, |r| r.min(5));
        (self.misfits + 4 * refuted, ((1.0 - self.confidence) * 1e4) as u32)
    }

    /// Every check digit holds and few characters were forced or left in
    /// doubt (a blind spot such as `<`/`K` in a name): no other zone, width
    /// or orientation can do better, so the search stops. A wrong width or
    /// orientation satisfies the check digits only by chance, and then with
    /// dozens of forced characters.
    fn settled(&self, t: &Thresholds) -> bool {
        self.refuted == Some(0) && self.misfits <= t.read_settled_misfits && self.confidence > t.read_settled_confidence
    }
}

/// Reads MRZs from grey pages with a character model. Built once; `Send +
/// Sync`.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    model: Model,
}

impl Reader {
    /// A reader with a model.
    pub(crate) fn new(model: Model) -> Reader {
        Reader { model }
    }

    /// Reads the MRZ among the locator's candidates on a grey page; adds the
    /// time of each stage to `timings`.
    ///
    /// # Errors
    ///
    /// [`ScanError::NotFound`] without candidates, [`ScanError::Unreadable`]
    /// when no candidate reads as an MRZ, the model's error if it fails.
    pub(crate) fn read(
        &self,
        page: &GrayImage,
        zones: &[ZoneCandidate],
        thresholds: &Thresholds,
        deadline: Option<Instant>,
        timings: &mut Timings,
    ) -> Result<MrzReading, crate::Error> {
        if zones.is_empty() {
            return Err(ScanError::NotFound.into());
        }
        let mut best: Option<Attempt> = None;
        'zones: for zone in zones.iter().take(MAX_ZONES) {
            for &width in &zone.widths {
                for orientation in zone.orientations() {
                    // At least one attempt always runs: a slow machine
                    // still reads what it can.
                    if best.is_some() && deadline.is_some_and(|d| Instant::now() >= d) {
                        break 'zones;
                    }
                    let Some(a) = self.attempt(page, orientation, width, timings)? else { continue };
                    let done = a.settled(thresholds);
                    if best.as_ref().is_none_or(|b| a.score() < b.score()) {
                        best = Some(a);
                    }
                    if done {
                        break 'zones;
                    }
                }
            }
        }
        let Some(a) = best else {
            return Err(ScanError::Unreadable("no zone could be cut into character cells").into());
        };
        let Some(format) = a.format else {
            return Err(ScanError::Unreadable("the characters read do not form an MRZ").into());
        };
        let placement = (a.location.quad(), a.location.angle_deg());
        let runner_up = |p: &[f32], line: usize, col: usize| runner_up(p, format, line, col);
        Ok(MrzReading::new(format, a.rect, &a.probs, a.repaired, placement, runner_up, *timings))
    }

    /// The other MRZs on the page than `reading`'s: zones apart from it,
    /// printed at its size, that read with every check digit holding (a
    /// second document on the scanner bed, a visa facing the data page).
    /// A zone that reads only with doubts or refuted digits is not counted:
    /// a second document is told only when it is certain. Stops at
    /// `deadline` (the page's budget).
    ///
    /// # Errors
    ///
    /// The model's error if it fails.
    pub(crate) fn other_zones(
        &self,
        page: &GrayImage,
        zones: &[ZoneCandidate],
        reading: &MrzReading,
        thresholds: &Thresholds,
        deadline: Option<Instant>,
        timings: &mut Timings,
    ) -> Result<Vec<OtherZone>, crate::Error> {
        let mut found: Vec<OtherZone> = Vec::new();
        for zone in zones {
            let quad = zone.location.quad();
            let size = zone.location.char_height / reading.char_height_px.max(1.0);
            let apart = !reading.zone.contains(quad.centre())
                && !quad.contains(reading.zone.centre())
                && !found.iter().any(|f| f.zone.contains(quad.centre()));
            // An MRZ's lines hold 30 to 44 characters, most of them glyphs.
            let full = zone.location.lines.len() >= 2 && zone.location.lines.iter().all(|l| l.glyphs >= 20);
            if !(apart && full && (0.7..1.4).contains(&size)) {
                continue;
            }
            'tries: for &width in &zone.widths {
                for orientation in zone.orientations() {
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        return Ok(found);
                    }
                    let Some(a) = self.attempt(page, orientation, width, timings)? else { continue };
                    if !a.settled(thresholds) {
                        continue;
                    }
                    // The zone read, found again elsewhere by the locator.
                    if a.repaired.lines == reading.lines {
                        break 'tries;
                    }
                    let refs: Vec<&str> = a.repaired.lines.iter().map(String::as_str).collect();
                    if let (Ok(m), Some(format)) = (mrz::parse_lines(&refs), a.format) {
                        let number = m.document_number().to_string();
                        found.push(OtherZone { format, document_number: number, zone: a.location.quad() });
                    }
                    break 'tries;
                }
            }
        }
        Ok(found)
    }

    fn attempt(
        &self,
        page: &GrayImage,
        loc: MrzLocation,
        width: usize,
        timings: &mut Timings,
    ) -> Result<Option<Attempt>, crate::Error> {
        let t = Instant::now();
        let Some(rect) = scan::rectify(page, &loc, width) else { return Ok(None) };
        let cells = scan::cell_tensor(&rect);
        timings.segment += ms(t);
        let t = Instant::now();
        let probs = self.model.probabilities(cells)?;
        timings.recognise += ms(t);
        let t = Instant::now();
        let k = CLASS_COUNT;
        let lines: Vec<Vec<Vec<Candidate>>> = (0..loc.lines.len())
            .map(|l| {
                (0..width)
                    .map(|i| {
                        top_candidates(probs.get((l * width + i) * k..(l * width + i + 1) * k).unwrap_or(&[]), TOP_K)
                    })
                    .collect()
            })
            .collect();
        let confidence = probs.chunks(k).map(|p| p.iter().copied().fold(0.0f32, f32::max)).sum::<f32>()
            / (probs.len() / k).max(1) as f32;
        let attempt = match mrz::repair_readings(&lines) {
            Ok(repaired) => {
                let refs: Vec<&str> = repaired.lines.iter().map(String::as_str).collect();
                let (refuted, format) = mrz::parse_lines(&refs).map_or((None, None), |m| {
                    (Some(m.check_digits().filter(|c| c.status.is_refuted()).count()), Some(m.format()))
                });
                let misfits = repaired.repairs.iter().filter(|r| r.basis == RepairBasis::Alphabet).count()
                    + repaired.doubts.len();
                Some(Attempt { rect, probs, repaired, refuted, format, confidence, location: loc, misfits })
            }
            Err(_) => None,
        };
        timings.repair += ms(t);
        Ok(attempt)
    }
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// The probability of the likeliest class other than the first choice that
/// the field at (`line`, `col`) of `format` allows.
fn runner_up(p: &[f32], format: Format, line: usize, col: usize) -> f32 {
    let first = p.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(usize::MAX, |(i, _)| i);
    p.iter()
        .zip(crate::ocr::CLASSES.iter())
        .enumerate()
        .filter(|&(i, (_, &ch))| i != first && mrz::allowed_at(format, line, col, ch))
        .map(|(_, (&v, _))| v)
        .fold(0.0, f32::max)
}
