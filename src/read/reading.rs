//! What the reader returns: the MRZ read from an image with its whole
//! geometry, kept for the checks (every glyph's cell, ink box and class
//! probabilities, each line's fitted grid and baseline, the rectified crop and
//! its projection to the page).

use crate::geometry::{Point, Quad};
use crate::mrz::Format;
use crate::mrz::Repaired;
use crate::ocr::CLASSES;
use crate::report::Timings;
use crate::scan::Rectified;

/// Number of classes the character model tells apart.
pub const CLASS_COUNT: usize = CLASSES.len();

/// One MRZ character as read, with its place on the page.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GlyphReading {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The character after repair.
    pub ch: char,
    /// The model's probability for its first choice.
    pub confidence: f32,
    /// The model's probability for the likeliest other character the
    /// position's field allows: close to `confidence`, the cell could as
    /// well be that other character.
    pub runner_up: f32,
    /// The fitted grid cell on the page, one pitch wide and one character
    /// height tall.
    pub cell: Quad,
    /// The glyph's ink box on the page (`None` for a cell without ink).
    pub ink: Option<Quad>,
    /// The model's probability for every class, in [`CLASSES`] order.
    pub probabilities: [f32; CLASS_COUNT],
}

impl GlyphReading {
    /// The model's probability that the cell holds `ch` (0 for a character
    /// outside the MRZ alphabet).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use mrtd_verify::{Config, Scan, Verifier};
    /// let verifier = Verifier::new(Config::default())?;
    /// let document = verifier.read(&Scan::from_bytes("scan.jpg", std::fs::read("scan.jpg")?));
    /// if let Some(reading) = document.reading() {
    ///     let g = &reading.glyphs[0];
    ///     println!("{} read at {:.2}, '<' at {:.2}", g.ch, g.confidence, g.probability('<'));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn probability(&self, ch: char) -> f32 {
        CLASSES
            .iter()
            .position(|&c| char::from(c) == ch)
            .and_then(|i| self.probabilities.get(i))
            .copied()
            .unwrap_or(0.0)
    }
}

/// One MRZ line's fitted grid on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct LineFit {
    /// The baseline (bottom of the character height) from the first cell's
    /// left edge to the last cell's right edge.
    pub baseline: [Point; 2],
    /// The fitted pitch, in page pixels.
    pub pitch_px: f32,
    /// The measured character height, in page pixels.
    pub char_height_px: f32,
}

/// The MRZ read from an image, with its whole geometry.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MrzReading {
    /// The format the reading parses as, decided once by the reader.
    pub format: Format,
    /// The lines after repair.
    pub lines: Vec<String>,
    /// The model's first choices, before repair.
    pub raw_lines: Vec<String>,
    /// Repairs and doubts of the check-digit-guided repair.
    pub repaired: Repaired,
    /// The zone's corners on the page (top-left, top-right, bottom-right,
    /// bottom-left as read).
    pub zone: Quad,
    /// Angle of the text in degrees (0: upright, 90: turned a quarter
    /// clockwise).
    pub angle_deg: f32,
    /// Fitted pitch in page pixels (mean over lines).
    pub pitch_px: f32,
    /// Measured character height in page pixels (mean over lines).
    pub char_height_px: f32,
    /// Scan resolution implied by Doc 9303's 2.54 mm pitch.
    pub dpi_estimate: f32,
    /// Each line's fitted grid, first line first.
    pub line_fits: Vec<LineFit>,
    /// Every character, line by line.
    pub glyphs: Vec<GlyphReading>,
    /// Time spent locating, segmenting, recognising and repairing.
    pub timings: Timings,
    rect: Rectified,
}

impl MrzReading {
    /// The lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The lowest first-choice probability over the characters.
    pub fn min_confidence(&self) -> f32 {
        self.glyphs.iter().map(|c| c.confidence).fold(1.0, f32::min)
    }

    /// The rectified crop with its grid, in crop pixels (the pipeline's own
    /// frame: pitch 20 px; it may change between versions).
    #[doc(hidden)]
    pub fn rectified(&self) -> &Rectified {
        &self.rect
    }

    /// Assembles a reading from the reader's chosen attempt.
    pub(super) fn new(
        format: Format,
        rect: Rectified,
        probs: &[f32],
        repaired: Repaired,
        (zone, angle_deg): (Quad, f32),
        runner_up: impl Fn(&[f32], usize, usize) -> f32,
        timings: Timings,
    ) -> MrzReading {
        let k = CLASS_COUNT;
        let width = rect.chars;
        let n_lines = rect.centres.len();
        let probs_of = |i: usize| probs.get(i * k..(i + 1) * k).unwrap_or(&[]);
        let raw_lines: Vec<String> = (0..n_lines)
            .map(|l| {
                (0..width)
                    .map(|i| {
                        let p = probs_of(l * width + i);
                        let best = p.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map(|(j, _)| j);
                        best.and_then(|j| CLASSES.get(j)).map_or('<', |&c| char::from(c))
                    })
                    .collect()
            })
            .collect();
        let glyphs: Vec<GlyphReading> = rect
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let p = probs_of(i);
                let mut probabilities = [0.0f32; CLASS_COUNT];
                for (slot, v) in probabilities.iter_mut().zip(p) {
                    *slot = *v;
                }
                let ch = repaired.lines.get(c.line).and_then(|l| l.chars().nth(c.index)).unwrap_or('<');
                GlyphReading {
                    line: c.line + 1,
                    column: c.index + 1,
                    ch,
                    confidence: p.iter().copied().fold(0.0, f32::max),
                    runner_up: runner_up(p, c.line, c.index),
                    cell: c.page,
                    ink: c
                        .ink
                        .map(|[x0, y0, x1, y1]| Quad::from_box(x0, y0, x1, y1).map(|q| rect.page_point(q.x, q.y))),
                    probabilities,
                }
            })
            .collect();
        let line_fits: Vec<LineFit> = (0..n_lines)
            .map(|l| {
                let first = rect.cells.iter().find(|c| c.line == l);
                let last = rect.cells.iter().rev().find(|c| c.line == l);
                match (first, last) {
                    (Some(f), Some(e)) => {
                        let [tl, _, _, bl] = f.page.corners;
                        let [_, _, br, _] = e.page.corners;
                        LineFit {
                            baseline: [bl, br],
                            pitch_px: tl.distance(e.page.corners[0]) / (width as f32 - 1.0).max(1.0),
                            char_height_px: tl.distance(bl),
                        }
                    }
                    _ => LineFit { baseline: [Point::default(); 2], pitch_px: 0.0, char_height_px: 0.0 },
                }
            })
            .collect();
        let mean = |f: fn(&LineFit) -> f32| line_fits.iter().map(f).sum::<f32>() / line_fits.len().max(1) as f32;
        let pitch_px = mean(|l| l.pitch_px);
        let char_height_px = mean(|l| l.char_height_px);
        MrzReading {
            format,
            lines: repaired.lines.clone(),
            raw_lines,
            repaired,
            zone,
            angle_deg,
            pitch_px,
            char_height_px,
            dpi_estimate: pitch_px / (2.54 / 25.4),
            line_fits,
            glyphs,
            timings,
            rect,
        }
    }
}
