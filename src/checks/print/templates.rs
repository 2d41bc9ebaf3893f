//! The OCR-B reference the print checks compare glyphs with: for each MRZ
//! character, its mean cell as the reader cuts it and the mean of each ink
//! measure, over genuine documents the generator prints in the OCR-B fonts
//! the repository ships (`assets/fonts/`), through every capture condition.
//! Built by `tools/src/bin/templates.rs` (command in `models/README.md`),
//! embedded in the crate, read once.
//!
//! Format (little-endian): `MRZTPL01`, then `u32` classes, cell height and
//! width; per class in [`CLASSES`](crate::ocr::CLASSES) order: `u32` glyph
//! count, the seven ink measures' means (`f32`, in
//! [`InkMeasure::NAMES`] order), the mean cell (`f32` x height x width).

use std::sync::OnceLock;

use super::measure::InkMeasure;
use crate::ocr::CLASSES;
use crate::scan::{CELL_HEIGHT, CELL_VALUES, PITCH};

static BUNDLED: &[u8] = include_bytes!("../../../models/ocrb-templates.bin");

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"MRZTPL01";

/// One character's reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Glyphs averaged.
    pub count: u32,
    /// Mean ink measures.
    pub ink: InkMeasure,
    /// Mean cell, zero-mean and unit-norm for correlation (empty when no
    /// glyph of the class was seen).
    pub cell: Vec<f32>,
}

/// The reference of every class.
#[derive(Debug, Clone, PartialEq)]
pub struct Templates {
    /// In [`CLASSES`] order.
    pub classes: Vec<Template>,
}

/// A cursor over bytes that never reads past the end.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.bytes.split_first_chunk::<N>()?;
        self.bytes = rest;
        Some(*head)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }

    fn f32(&mut self) -> Option<f32> {
        self.take::<4>().map(f32::from_le_bytes).filter(|v| v.is_finite())
    }
}

impl Templates {
    /// The bundled reference, parsed once. `None` only if the embedded file
    /// is damaged (a build defect; the print checks then skip).
    pub fn bundled() -> Option<&'static Templates> {
        static PARSED: OnceLock<Option<Templates>> = OnceLock::new();
        PARSED.get_or_init(|| Templates::parse(BUNDLED)).as_ref()
    }

    /// Parses the format above; `None` for anything else (wrong magic,
    /// classes or cell size, truncated, non-finite values).
    pub fn parse(bytes: &[u8]) -> Option<Templates> {
        let mut c = Cursor { bytes };
        if &c.take::<8>()? != MAGIC {
            return None;
        }
        let (n, h, w) = (c.u32()?, c.u32()?, c.u32()?);
        if n as usize != CLASSES.len() || h != CELL_HEIGHT || w != PITCH as u32 {
            return None;
        }
        let mut classes = Vec::with_capacity(CLASSES.len());
        for _ in 0..n {
            let count = c.u32()?;
            let mut ink = [0.0f32; 7];
            for v in &mut ink {
                *v = c.f32()?;
            }
            let mut cell = Vec::with_capacity(CELL_VALUES);
            for _ in 0..CELL_VALUES {
                cell.push(c.f32()?);
            }
            classes.push(Template { count, ink: InkMeasure::from_values(ink), cell: normalise(&cell) });
        }
        c.bytes.is_empty().then_some(Templates { classes })
    }

    /// Writes templates in the format above (the templates tool's output).
    pub fn write(classes: &[(u32, InkMeasure, Vec<f32>)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        for v in [classes.len() as u32, CELL_HEIGHT, PITCH as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for (count, ink, cell) in classes {
            out.extend_from_slice(&count.to_le_bytes());
            for v in ink.values() {
                out.extend_from_slice(&v.to_le_bytes());
            }
            for i in 0..CELL_VALUES {
                out.extend_from_slice(&cell.get(i).copied().unwrap_or(0.0).to_le_bytes());
            }
        }
        out
    }

    /// The reference of a class.
    pub fn get(&self, class: usize) -> Option<&Template> {
        self.classes.get(class).filter(|t| t.count > 0)
    }
}

/// A cell made zero-mean and unit-norm (empty if it is flat).
pub fn normalise(cell: &[f32]) -> Vec<f32> {
    let n = cell.len().max(1) as f32;
    let mean = cell.iter().sum::<f32>() / n;
    let norm = cell.iter().map(|v| (v - mean).powi(2)).sum::<f32>().sqrt();
    if norm <= 1e-6 { Vec::new() } else { cell.iter().map(|v| (v - mean) / norm).collect() }
}

/// The best correlation of `cell` with a normalised template over shifts of
/// up to one pixel each way (the grid and the glyph's own placement differ
/// by that much between prints).
pub fn match_score(cell: &[f32], template: &[f32]) -> f32 {
    let (h, w) = (CELL_HEIGHT as i32, PITCH as i32);
    if cell.len() != CELL_VALUES || template.len() != CELL_VALUES {
        return 0.0;
    }
    let mut best = -1.0f32;
    for dy in -1..=1 {
        for dx in -1..=1 {
            // The cell shifted by (dx, dy), paper (0) where it leaves the cell.
            let shifted: Vec<f32> = (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .map(|(x, y)| {
                    let (sx, sy) = (x - dx, y - dy);
                    if sx < 0 || sy < 0 || sx >= w || sy >= h {
                        0.0
                    } else {
                        cell.get((sy * w + sx) as usize).copied().unwrap_or(0.0)
                    }
                })
                .collect();
            let s = normalise(&shifted);
            if s.is_empty() {
                continue;
            }
            let r: f32 = s.iter().zip(template).map(|(a, b)| a * b).sum();
            best = best.max(r);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_reference_parses_and_writes_back() {
        let t = Templates::bundled().expect("bundled templates");
        assert_eq!(t.classes.len(), CLASSES.len());
        // Every character of the MRZ alphabet was seen.
        // Every character the generator prints was seen (it never prints a Q).
        let seen = t.classes.iter().filter(|c| c.count > 50).count();
        assert!(seen >= 36, "{:?}", t.classes.iter().map(|c| c.count).collect::<Vec<_>>());
        // Each template matches itself best among the classes.
        for (i, c) in t.classes.iter().enumerate().filter(|(_, c)| c.count > 0) {
            let own = match_score(&c.cell, &c.cell);
            assert!(own > 0.99, "class {i}: {own}");
        }
        // A damaged file is refused, not misread.
        assert!(Templates::parse(&BUNDLED[..BUNDLED.len() - 3]).is_none());
        assert!(Templates::parse(b"MRZTPL02").is_none());
    }

    #[test]
    fn shifted_cells_still_match() {
        // A bar one pixel off the template's place.
        let bar = |x0: usize| -> Vec<f32> {
            (0..CELL_VALUES).map(|i| if (x0..x0 + 3).contains(&(i % PITCH as usize)) { 1.0 } else { 0.0 }).collect()
        };
        let t = normalise(&bar(8));
        assert!(match_score(&bar(9), &t) > 0.99);
        assert!(match_score(&bar(14), &t) < 0.2);
    }
}
