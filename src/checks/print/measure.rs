//! What the print checks measure on each MRZ glyph, in the rectified crop
//! (pitch 20 px, lines upright): where its ink sits in its cell, how tall
//! and wide it is against its line's character height, how much ink it
//! holds and how dark that ink is. The same function measures the documents
//! the OCR-B reference is built from (`tools/src/bin/templates.rs`) and the
//! documents being checked, so the two cannot drift.

use image::RgbImage;

use crate::checks::stats::median;
use crate::geometry::Quad;
use crate::ocr::CLASSES;
use crate::read::MrzReading;
use crate::scan::{Page, bilinear};

/// Side of a glyph's form: its ink box resampled to a square of this many
/// samples, the same for every size of print.
pub const FORM: usize = 16;
/// Values in a form.
pub const FORM_VALUES: usize = FORM * FORM;

/// A pixel whose channels differ by more than this is coloured.
const CHROMA: u8 = 60;
/// A glyph is under coloured print when this much more of its cell is
/// coloured than the document's usual cell.
const OVERPRINT_SHARE: f32 = 0.08;

/// Paper at least this bright on the grey page (of 255) is saturated...
const GLARE_LEVEL: f32 = 248.0;
/// ...and under glare when it is this much brighter than the document's
/// usual paper (a page scanned white all over has no highlight).
const GLARE_MARGIN: f32 = 8.0;

/// The share of coloured pixels in a cell of the colour page (sampled on a
/// 6 x 6 grid of the cell).
fn chroma_share(img: &RgbImage, cell: &Quad) -> f32 {
    let [a, b, _, d] = cell.corners;
    let mut coloured = 0u32;
    for i in 0..6 {
        for j in 0..6 {
            let (u, v) = ((i as f32 + 0.5) / 6.0, (j as f32 + 0.5) / 6.0);
            let x = a.x + (b.x - a.x) * u + (d.x - a.x) * v;
            let y = a.y + (b.y - a.y) * u + (d.y - a.y) * v;
            if let Some(p) = img.get_pixel_checked(x.max(0.0) as u32, y.max(0.0) as u32) {
                let [r, g, bl] = p.0;
                if r.max(g).max(bl) - r.min(g).min(bl) > CHROMA {
                    coloured += 1;
                }
            }
        }
    }
    coloured as f32 / 36.0
}

/// One glyph's ink, relative to its cell and its line.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct InkMeasure {
    /// Horizontal offset of the ink box's centre from the cell's centre, in
    /// pitches.
    pub dx: f32,
    /// Offset of the ink's bottom from the line's baseline (the bottom of
    /// its character height), in character heights (down positive).
    pub bottom: f32,
    /// Offset of the ink's top from the line's cap line, in character heights.
    pub top: f32,
    /// Ink box height over the line's character height.
    pub height: f32,
    /// Ink box width over the pitch.
    pub width: f32,
    /// Ink pixels over the cell's area (character height x pitch): the
    /// stroke weight.
    pub weight: f32,
    /// Darkness of the ink against the paper around the glyph, on the page:
    /// 1 - (median ink level / median paper level), 0 (paper) to 1 (black).
    pub darkness: f32,
}

impl InkMeasure {
    /// The measures as an array, in [`InkMeasure::NAMES`] order.
    pub fn values(&self) -> [f32; 7] {
        [self.dx, self.bottom, self.top, self.height, self.width, self.weight, self.darkness]
    }

    /// The measures from an array in [`InkMeasure::NAMES`] order.
    pub fn from_values(v: [f32; 7]) -> InkMeasure {
        let [dx, bottom, top, height, width, weight, darkness] = v;
        InkMeasure { dx, bottom, top, height, width, weight, darkness }
    }

    /// The measures' names.
    pub const NAMES: [&'static str; 7] = ["dx", "bottom", "top", "height", "width", "weight", "darkness"];
}

/// One MRZ glyph as the print checks see it.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphMeasure {
    /// Line, from 0.
    pub line: usize,
    /// Position, from 0.
    pub index: usize,
    /// The character read.
    pub ch: char,
    /// Its class index in [`CLASSES`].
    pub class: Option<usize>,
    /// The model's probability for it.
    pub confidence: f32,
    /// Whether coloured print lies over it (a stamp, a signature): its ink
    /// cannot be measured as the MRZ's.
    pub overprint: bool,
    /// Whether glare washes the glyph out: the paper around it on the page
    /// is saturated and brighter than the document's usual paper (a
    /// highlight, not the print). Its ink cannot be measured either.
    pub glare: bool,
    /// Its ink, when the cell holds some.
    pub ink: Option<InkMeasure>,
    /// The glyph's form: its ink box in the crop resampled to [`FORM`] x
    /// [`FORM`] (row-major, ink high); empty without ink.
    pub form: Vec<f32>,
}

impl GlyphMeasure {
    /// Whether its ink can be compared with the MRZ's print: it holds ink
    /// with a full form, and no stamp or glare lies over it.
    pub fn measurable(&self) -> bool {
        self.ink.is_some() && !self.overprint && !self.glare && self.form.len() == FORM_VALUES
    }
}

/// Measures every glyph of a reading. With the page it was read from, the
/// ink's darkness is taken on the page against the paper around the glyph
/// (so uneven light, which scales both, leaves it alone), and glyphs under
/// coloured print are marked; without it, darkness is the crop's.
pub fn measure(reading: &MrzReading, page: Option<&Page>) -> Vec<GlyphMeasure> {
    let rect = reading.rectified();
    let crop = &rect.image;
    let colour = page.and_then(Page::colour);
    let grey = page.map(Page::grey);
    let chroma: Vec<f32> = reading.glyphs.iter().map(|g| colour.map_or(0.0, |c| chroma_share(c, &g.cell))).collect();
    let usual = median(&chroma).unwrap_or(0.0);
    let measured: Vec<(GlyphMeasure, Option<f32>)> = rect
        .cells
        .iter()
        .zip(&reading.glyphs)
        .enumerate()
        .map(|(i, (c, g))| {
            let class = CLASSES.iter().position(|&k| char::from(k) == g.ch);
            let centre = rect.centres.get(c.line).copied().unwrap_or(0.0);
            let h = rect.heights.get(c.line).copied().unwrap_or(1.0).max(1.0);
            let ink = c.ink.and_then(|[x0, y0, x1, y1]| {
                let (mut n, mut dark) = (0u32, 0u32);
                let (mut ink_page, mut paper_page) = (Vec::new(), Vec::new());
                // Paper: the lightest quarter of the levels above the ink's.
                let paper_level = 255 - (255 - c.ink_level) / 4;
                for y in (c.y.max(0.0) as u32)..((c.y + c.height).max(0.0) as u32) {
                    for x in (c.x.max(0.0) as u32)..((c.x + c.width).max(0.0) as u32) {
                        let v = crop.get_pixel_checked(x, y).map_or(255, |p| p.0[0]);
                        let inside = (x as f32) >= x0 && (x as f32) < x1 && (y as f32) >= y0 && (y as f32) < y1;
                        let on_page = || {
                            let p = rect.page_point(x as f32 + 0.5, y as f32 + 0.5);
                            grey.map(|g| bilinear(g, p.x - 0.5, p.y - 0.5))
                        };
                        if inside && v < c.ink_level {
                            n += 1;
                            dark += u32::from(255 - v);
                            ink_page.extend(on_page());
                        } else if v >= paper_level && (x + y) % 3 == 0 {
                            paper_page.extend(on_page());
                        }
                    }
                }
                let darkness = match (median(&ink_page), median(&paper_page)) {
                    (Some(i), Some(p)) if p > 8.0 => (1.0 - i / p).clamp(0.0, 1.0),
                    _ => dark as f32 / n.max(1) as f32 / 255.0,
                };
                let paper = median(&paper_page);
                (n > 0).then(|| {
                    (
                        InkMeasure {
                            dx: ((x0 + x1) / 2.0 - (c.x + c.width / 2.0)) / c.width.max(1.0),
                            bottom: (y1 - (centre + h / 2.0)) / h,
                            top: (y0 - (centre - h / 2.0)) / h,
                            height: (y1 - y0) / h,
                            width: (x1 - x0) / c.width.max(1.0),
                            weight: n as f32 / (h * c.width.max(1.0)),
                            darkness,
                        },
                        paper,
                    )
                })
            });
            let (ink, paper) = (ink.map(|(m, _)| m), ink.and_then(|(_, p)| p));
            let form = c.ink.map_or_else(Vec::new, |b| form(crop, b));
            let overprint = chroma.get(i).is_some_and(|&s| s > usual + OVERPRINT_SHARE);
            (
                GlyphMeasure {
                    line: c.line,
                    index: c.index,
                    ch: g.ch,
                    class,
                    confidence: g.confidence,
                    overprint,
                    glare: false,
                    ink,
                    form,
                },
                paper,
            )
        })
        .collect();
    let papers: Vec<f32> = measured.iter().filter_map(|m| m.1).collect();
    let usual_paper = median(&papers).unwrap_or(255.0);
    measured
        .into_iter()
        .map(|(mut g, paper)| {
            g.glare = paper.is_some_and(|p| p >= GLARE_LEVEL && p > usual_paper + GLARE_MARGIN);
            g
        })
        .collect()
}

/// The ink box `[x0, y0, x1, y1]` of the crop resampled to a
/// [`FORM`] x [`FORM`] form, ink high.
fn form(crop: &image::GrayImage, [x0, y0, x1, y1]: [f32; 4]) -> Vec<f32> {
    let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
    (0..FORM_VALUES)
        .map(|i| {
            let (r, c) = ((i / FORM) as f32, (i % FORM) as f32);
            let x = x0 + (c + 0.5) * w / FORM as f32 - 0.5;
            let y = y0 + (r + 0.5) * h / FORM as f32 - 0.5;
            1.0 - bilinear(crop, x, y) / 255.0
        })
        .collect()
}
