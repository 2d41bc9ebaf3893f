//! Image to MRZ: the reading pipeline (features `image` and `ocr`).
//!
//! decode → grey page → locate (any angle) → rectify and grid → recognise
//! (one batch per document) → repair with check digits → parse. The zone is
//! found up to a half turn; both readings are tried when the first is not
//! confirmed by its check digits, and the better one kept.

use std::time::Instant;

use image::GrayImage;

use crate::mrz::{self, Candidate, Format, Repaired};
use crate::ocr::{Model, OcrError, top_candidates};
use crate::report::Timings;
use crate::scan::{self, CELL_HEIGHT, MrzLocation, PITCH, Rectified, ScanError};

/// One character as read, with its place on the page.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CharReading {
    /// Line, from 0.
    pub line: usize,
    /// Position, from 0.
    pub index: usize,
    /// The character after repair.
    pub ch: char,
    /// The model's probability for its first choice.
    pub confidence: f32,
    /// The model's probability for the likeliest other character the
    /// position's field allows: close to `confidence`, the cell could as
    /// well be that other character.
    pub runner_up: f32,
    /// The cell in page pixels (top-left, top-right, bottom-right, bottom-left).
    pub cell: [[f32; 2]; 4],
}

/// Where the MRZ lies and how it is printed.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MrzGeometry {
    /// The zone's corners in page pixels (top-left, top-right, bottom-right,
    /// bottom-left as read).
    pub quad: [[f32; 2]; 4],
    /// Each line's baseline, from its first to its last cell.
    pub baselines: Vec<[[f32; 2]; 2]>,
    /// Every character cell.
    pub chars: Vec<CharReading>,
    /// Measured pitch in page pixels (mean over lines).
    pub pitch_px: f32,
    /// Measured character height in page pixels.
    pub char_height_px: f32,
    /// Angle of the text in degrees (0: upright, 90: turned a quarter
    /// clockwise).
    pub angle_deg: f32,
    /// Scan resolution implied by the 2.54 mm pitch.
    pub dpi_estimate: f32,
}

/// The MRZ read from an image.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MrzReading {
    /// The lines after repair.
    pub lines: Vec<String>,
    /// The model's first choices, before repair.
    pub raw_lines: Vec<String>,
    /// Repairs and doubts.
    pub repaired: Repaired,
    /// Geometry.
    pub geometry: MrzGeometry,
    /// Stage timings (decode is filled by callers that decode).
    pub timings: Timings,
}

impl MrzReading {
    /// The lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The lowest first-choice probability over the characters.
    pub fn min_confidence(&self) -> f32 {
        self.geometry.chars.iter().map(|c| c.confidence).fold(1.0, f32::min)
    }
}

/// Why an image could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Decoding or locating failed.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// The model failed.
    #[error(transparent)]
    Ocr(#[from] OcrError),
    /// A zone was found but could not be read into an MRZ.
    #[error("the machine readable zone could not be read: {0}")]
    Unreadable(String),
}

impl ReadError {
    /// A stable kind name for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            ReadError::Scan(ScanError::Decode(_)) => "decode",
            ReadError::Scan(ScanError::TooLarge(_)) => "too_large",
            ReadError::Scan(ScanError::TooSmall { .. }) => "too_small",
            ReadError::Scan(ScanError::NotFound) => "not_found",
            ReadError::Ocr(_) => "model",
            _ => "unreadable",
        }
    }
}

/// One reading attempt (a zone, an orientation, a width).
struct Attempt {
    rect: Rectified,
    probs: Vec<f32>,
    repaired: Repaired,
    /// Refuted check digits after repair (`usize::MAX` if it does not parse).
    refuted: usize,
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
        let refuted = if self.refuted == usize::MAX { 20 } else { self.refuted.min(5) };
        (self.misfits + 4 * refuted, ((1.0 - self.confidence) * 1e4) as u32)
    }

    /// Every check digit holds and at most two characters were forced or left
    /// in doubt (a blind spot such as `<`/`K` in a name): no other zone, width
    /// or orientation can do better, so the search stops. A wrong width or
    /// orientation satisfies the check digits only by chance, and then with
    /// dozens of forced characters.
    fn settled(&self) -> bool {
        self.refuted == 0 && self.misfits <= 2
    }
}

/// Reads MRZs from grey pages. Build once (it holds the optimised model);
/// `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Reader {
    model: Model,
}

const TOP_K: usize = 3;

impl Reader {
    /// A reader with the bundled model.
    ///
    /// # Errors
    ///
    /// [`OcrError`] if the model does not load.
    pub fn new() -> Result<Reader, OcrError> {
        Ok(Reader { model: Model::bundled()? })
    }

    /// A reader with a given model.
    pub fn with_model(model: Model) -> Reader {
        Reader { model }
    }

    /// Reads the MRZ of a grey page.
    ///
    /// # Errors
    ///
    /// [`ReadError`] when no MRZ is found or none can be read.
    pub fn read(&self, page: &GrayImage) -> Result<MrzReading, ReadError> {
        let t0 = Instant::now();
        let locations = scan::locate(page)?;
        let mut timings = Timings { locate: ms(t0), ..Timings::default() };
        let mut best: Option<Attempt> = None;
        'zones: for loc in locations.iter().take(3) {
            for width in widths(loc) {
                // The likelier orientation first (the document's bulk lies
                // above its MRZ): a clean page is read in one attempt.
                let pair =
                    if loc.likely_flipped(page) { [loc.flipped(), loc.clone()] } else { [loc.clone(), loc.flipped()] };
                for orientation in pair {
                    let Some(a) = self.attempt(page, orientation, width, &mut timings)? else { continue };
                    let done = a.settled() && a.confidence > 0.6;
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
            return Err(ReadError::Unreadable("no zone could be cut into character cells".into()));
        };
        if a.refuted == usize::MAX {
            return Err(ReadError::Unreadable("the characters read do not form an MRZ".into()));
        }
        timings.total = ms(t0);
        Ok(finish(a, timings))
    }

    fn attempt(
        &self,
        page: &GrayImage,
        loc: MrzLocation,
        width: usize,
        timings: &mut Timings,
    ) -> Result<Option<Attempt>, ReadError> {
        let t = Instant::now();
        let Some(rect) = scan::rectify(page, &loc, width) else { return Ok(None) };
        let per = CELL_HEIGHT as usize * PITCH as usize;
        let mut pixels = vec![0.0f32; rect.cells.len() * per];
        for (cell, out) in rect.cells.iter().zip(pixels.chunks_mut(per)) {
            scan::cell_pixels(&rect.image, cell, out);
        }
        timings.segment += ms(t);
        let t = Instant::now();
        let probs = self.model.probabilities(pixels)?;
        timings.recognise += ms(t);
        let t = Instant::now();
        let k = crate::ocr::CLASSES.len();
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
                let (refuted, format) = mrz::parse_lines(&refs).map_or((usize::MAX, None), |m| {
                    (m.check_digits().filter(|c| c.status.is_refuted()).count(), Some(m.format()))
                });
                let misfits = repaired.repairs.iter().filter(|r| r.basis == mrz::RepairBasis::Alphabet).count()
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

/// Line widths to try for a zone: TD1 has 3 lines of 30; two lines are 44
/// (TD3, MRV-A) or 36 (TD2, MRV-B, French ID), told apart by how many glyphs
/// the lines hold and how long they are.
fn widths(loc: &MrzLocation) -> Vec<usize> {
    if loc.lines.len() == 3 {
        return vec![Format::Td1.width()];
    }
    let ratio = loc.lines.iter().map(|l| l.length / l.thickness.max(1.0)).sum::<f32>() / loc.lines.len().max(1) as f32;
    let mut glyphs: Vec<usize> = loc.lines.iter().map(|l| l.glyphs).collect();
    glyphs.sort_unstable();
    let median = glyphs.get(glyphs.len() / 2).copied().unwrap_or(0);
    if median >= 40 || (median < 33 && ratio > 42.0) { vec![44, 36] } else { vec![36, 44] }
}

/// The probability of the likeliest class other than the first choice that
/// the field at (`line`, `col`) allows (any other class when the format is
/// unknown).
fn runner_up(p: &[f32], format: Option<Format>, line: usize, col: usize) -> f32 {
    let first = p.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(usize::MAX, |(i, _)| i);
    p.iter()
        .zip(crate::ocr::CLASSES.iter())
        .enumerate()
        .filter(|&(i, (_, &ch))| i != first && format.is_none_or(|f| mrz::allowed_at(f, line, col, ch)))
        .map(|(_, (&v, _))| v)
        .fold(0.0, f32::max)
}

fn finish(a: Attempt, timings: Timings) -> MrzReading {
    let k = crate::ocr::CLASSES.len();
    let width = a.rect.chars;
    let raw_lines: Vec<String> = (0..a.location.lines.len())
        .map(|l| {
            (0..width)
                .map(|i| {
                    let p = a.probs.get((l * width + i) * k..(l * width + i + 1) * k).unwrap_or(&[]);
                    top_candidates(p, 1).first().map_or('<', |c| char::from(c.ch))
                })
                .collect()
        })
        .collect();
    let chars: Vec<CharReading> = a
        .rect
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let p = a.probs.get(i * k..(i + 1) * k).unwrap_or(&[]);
            let ch = a.repaired.lines.get(c.line).and_then(|l| l.chars().nth(c.index)).unwrap_or('<');
            CharReading {
                line: c.line,
                index: c.index,
                ch,
                confidence: p.iter().copied().fold(0.0, f32::max),
                runner_up: runner_up(p, a.format, c.line, c.index),
                cell: c.page.map(|(x, y)| [x, y]),
            }
        })
        .collect();
    let baselines = (0..a.location.lines.len())
        .map(|l| {
            let first = a.rect.cells.iter().find(|c| c.line == l);
            let last = a.rect.cells.iter().rev().find(|c| c.line == l);
            match (first, last) {
                (Some(f), Some(e)) => [[f.page[3].0, f.page[3].1], [e.page[2].0, e.page[2].1]],
                _ => [[0.0; 2]; 2],
            }
        })
        .collect();
    // Pitch and height on the page, measured along the first line's cells.
    let dist = |p: (f32, f32), q: (f32, f32)| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
    let (pitch_px, char_height_px) =
        match (a.rect.cells.first(), a.rect.cells.iter().find(|c| c.line == 0 && c.index + 1 == width)) {
            (Some(f), Some(l)) => {
                (dist(f.page[0], l.page[0]) / (width as f32 - 1.0).max(1.0), dist(f.page[0], f.page[3]))
            }
            _ => (0.0, 0.0),
        };
    let quad = a.location.quad().map(|(x, y)| [x, y]);
    MrzReading {
        lines: a.repaired.lines.clone(),
        raw_lines,
        geometry: MrzGeometry {
            quad,
            baselines,
            chars,
            pitch_px,
            char_height_px,
            angle_deg: a.location.angle_deg(),
            dpi_estimate: pitch_px / (2.54 / 25.4),
        },
        repaired: a.repaired,
        timings,
    }
}
