//! The OCR-B reference the print checks compare glyphs with: for each MRZ
//! character, its mean form (the glyph's ink box resampled to
//! [`FORM`] x [`FORM`]) and the mean of each ink measure, over genuine documents the generator prints in the OCR-B fonts
//! the repository ships (`assets/fonts/`), through every capture condition.
//! Built by `tools/src/bin/templates.rs` (command in `models/README.md`),
//! embedded in the crate, read once.
//!
//! Format (little-endian): `MRZTPL02`, then `u32` classes and form side;
//! per class in [`CLASSES`](crate::ocr::CLASSES) order: `u32` glyph count,
//! the seven ink measures' means (`f32`, in [`InkMeasure::NAMES`] order),
//! the mean form (`f32` x side x side).

use std::sync::OnceLock;

use super::measure::{FORM, FORM_VALUES, InkMeasure};
use crate::ocr::CLASSES;

static BUNDLED: &[u8] = include_bytes!("../../../models/ocrb-templates.bin");

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"MRZTPL02";

/// One character's reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Glyphs averaged.
    pub count: u32,
    /// Mean ink measures.
    pub ink: InkMeasure,
    /// Mean form, zero-mean and unit-norm for correlation (empty when no
    /// glyph of the class was seen).
    pub form: Vec<f32>,
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
        let (n, side) = (c.u32()?, c.u32()?);
        if n as usize != CLASSES.len() || side as usize != FORM {
            return None;
        }
        let mut classes = Vec::with_capacity(CLASSES.len());
        for _ in 0..n {
            let count = c.u32()?;
            let mut ink = [0.0f32; 7];
            for v in &mut ink {
                *v = c.f32()?;
            }
            let mut form = Vec::with_capacity(FORM_VALUES);
            for _ in 0..FORM_VALUES {
                form.push(c.f32()?);
            }
            classes.push(Template { count, ink: InkMeasure::from_values(ink), form: normalise(&form) });
        }
        c.bytes.is_empty().then_some(Templates { classes })
    }

    /// Writes templates in the format above (the templates tool's output).
    pub fn write(classes: &[(u32, InkMeasure, Vec<f32>)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        for v in [classes.len() as u32, FORM as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for (count, ink, form) in classes {
            out.extend_from_slice(&count.to_le_bytes());
            for v in ink.values() {
                out.extend_from_slice(&v.to_le_bytes());
            }
            for i in 0..FORM_VALUES {
                out.extend_from_slice(&form.get(i).copied().unwrap_or(0.0).to_le_bytes());
            }
        }
        out
    }

    /// The reference of a class.
    pub fn get(&self, class: usize) -> Option<&Template> {
        self.classes.get(class).filter(|t| t.count > 0)
    }
}

/// A form made zero-mean and unit-norm (empty if it is flat).
pub fn normalise(form: &[f32]) -> Vec<f32> {
    let n = form.len().max(1) as f32;
    let mean = form.iter().sum::<f32>() / n;
    let norm = form.iter().map(|v| (v - mean).powi(2)).sum::<f32>().sqrt();
    if norm <= 1e-6 { Vec::new() } else { form.iter().map(|v| (v - mean) / norm).collect() }
}

/// The best correlation of a form with a normalised template over shifts of
/// up to one sample each way (a glyph's ink box and the reference's differ by
/// that much between prints).
pub fn match_score(cell: &[f32], template: &[f32]) -> f32 {
    if cell.len() != FORM_VALUES {
        return 0.0;
    }
    match_shifted(&shifted_forms(cell), template)
}

/// A form shifted by up to one sample each way (paper where it leaves the
/// box), each normalised: computed once per glyph and matched against every
/// template with [`match_shifted`]. Empty for a form of the wrong size.
pub fn shifted_forms(cell: &[f32]) -> Vec<Vec<f32>> {
    let (h, w) = (FORM as i32, FORM as i32);
    if cell.len() != FORM_VALUES {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(9);
    for dy in -1..=1 {
        for dx in -1..=1 {
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
            if !s.is_empty() {
                out.push(s);
            }
        }
    }
    out
}

/// The best correlation of a glyph's [`shifted_forms`] with a normalised
/// template (-1 when there is nothing to compare).
pub fn match_shifted(shifts: &[Vec<f32>], template: &[f32]) -> f32 {
    if template.len() != FORM_VALUES {
        return 0.0;
    }
    shifts.iter().map(|s| dot(s, template)).fold(-1.0, f32::max)
}

/// The dot product of two forms, in eight independent partial sums (which
/// the compiler turns into vector instructions: this is the print checks'
/// inner loop, 36 classes x 9 shifts x 256 values per glyph).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for ((s, p), q) in acc.iter_mut().zip(x).zip(y) {
            *s += p * q;
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// The best match of a glyph's form with any character of the reference.
pub fn best_match(templates: &Templates, form: &[f32]) -> f32 {
    let shifts = shifted_forms(form);
    templates.classes.iter().filter(|c| c.count > 0).map(|c| match_shifted(&shifts, &c.form)).fold(-1.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_reference_parses_and_writes_back() {
        let t = Templates::bundled().expect("bundled templates");
        assert_eq!(t.classes.len(), CLASSES.len());
        // Every character the generator prints was seen (it never prints a Q).
        let seen = t.classes.iter().filter(|c| c.count > 50).count();
        assert!(seen >= 36, "{:?}", t.classes.iter().map(|c| c.count).collect::<Vec<_>>());
        // Each template is a proper form: it matches itself (through the
        // shifted comparison) at 1.
        for (i, c) in t.classes.iter().enumerate().filter(|(_, c)| c.count > 0) {
            let own = match_score(&c.form, &c.form);
            assert!(own > 0.99, "class {i}: {own}");
        }
        // A damaged file is refused, not misread.
        assert!(Templates::parse(&BUNDLED[..BUNDLED.len() - 3]).is_none());
        assert!(Templates::parse(b"MRZTPL02").is_none());
    }

    #[test]
    fn shifted_cells_still_match() {
        // A bar one sample off the template's place.
        let bar = |x0: usize| -> Vec<f32> {
            (0..FORM_VALUES).map(|i| if (x0..x0 + 3).contains(&(i % FORM)) { 1.0 } else { 0.0 }).collect()
        };
        let t = normalise(&bar(8));
        assert!(match_score(&bar(9), &t) > 0.99);
        assert!(match_score(&bar(12), &t) < 0.2);
    }
}
