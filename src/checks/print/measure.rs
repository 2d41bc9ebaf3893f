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
use crate::scan::CELL_VALUES;

/// A crop pixel darker than this is ink (the crop is stretched so ink is
/// near 0 and paper near 255).
const INK_LEVEL: u8 = 128;
/// A pixel whose channels differ by more than this is coloured.
const CHROMA: u8 = 60;
/// A glyph is under coloured print when this much more of its cell is
/// coloured than the document's usual cell.
const OVERPRINT_SHARE: f32 = 0.08;

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
    /// Mean darkness of the ink pixels, 0 (paper) to 1 (black).
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
    /// Its ink, when the cell holds some.
    pub ink: Option<InkMeasure>,
    /// The cell as the model saw it (`CELL_HEIGHT x PITCH`, ink high).
    pub cell: Vec<f32>,
}

/// Measures every glyph of a reading; with the colour page, also which
/// glyphs lie under coloured print.
pub fn measure(reading: &MrzReading, colour: Option<&RgbImage>) -> Vec<GlyphMeasure> {
    let rect = reading.rectified();
    let crop = &rect.image;
    let cells = reading.cell_pixels();
    let chroma: Vec<f32> = reading.glyphs.iter().map(|g| colour.map_or(0.0, |c| chroma_share(c, &g.cell))).collect();
    let usual = median(&chroma).unwrap_or(0.0);
    rect.cells
        .iter()
        .zip(&reading.glyphs)
        .enumerate()
        .map(|(i, (c, g))| {
            let class = CLASSES.iter().position(|&k| char::from(k) == g.ch);
            let centre = rect.centres.get(c.line).copied().unwrap_or(0.0);
            let h = rect.heights.get(c.line).copied().unwrap_or(1.0).max(1.0);
            let ink = c.ink.and_then(|[x0, y0, x1, y1]| {
                let (mut n, mut dark) = (0u32, 0u32);
                for y in y0 as u32..y1 as u32 {
                    for x in x0 as u32..x1 as u32 {
                        let v = crop.get_pixel_checked(x, y).map_or(255, |p| p.0[0]);
                        if v < INK_LEVEL {
                            n += 1;
                            dark += u32::from(255 - v);
                        }
                    }
                }
                (n > 0).then(|| InkMeasure {
                    dx: ((x0 + x1) / 2.0 - (c.x + c.width / 2.0)) / c.width.max(1.0),
                    bottom: (y1 - (centre + h / 2.0)) / h,
                    top: (y0 - (centre - h / 2.0)) / h,
                    height: (y1 - y0) / h,
                    width: (x1 - x0) / c.width.max(1.0),
                    weight: n as f32 / (h * c.width.max(1.0)),
                    darkness: dark as f32 / n as f32 / 255.0,
                })
            });
            let cell = cells.get(i * CELL_VALUES..(i + 1) * CELL_VALUES).unwrap_or(&[]).to_vec();
            let overprint = chroma.get(i).is_some_and(|&s| s > usual + OVERPRINT_SHARE);
            GlyphMeasure {
                line: c.line,
                index: c.index,
                ch: g.ch,
                class,
                confidence: g.confidence,
                overprint,
                ink,
                cell,
            }
        })
        .collect()
}
