//! The print family's statistics: each glyph's residuals against its line
//! (position, size, ink, shape), the document's match with the OCR-B
//! reference (font, best match, geometry), and the scan statistics that find
//! the run of neighbouring glyphs that stands out most.

use super::measure::{self, GlyphMeasure, InkMeasure};
use super::templates::{Templates, best_match as best_ocrb_match, match_score, normalise};
use crate::checks::stats::{mad, median, robust_line};
use crate::config::Thresholds;

/// Longest run of neighbouring characters the scans sum over (a field of
/// the MRZ is at most 14 long; pasted fields are dates and numbers).
pub const MAX_RUN: usize = 9;

/// Per-glyph residuals of one kind, possibly on two measures (index 0 and 1),
/// line by line; `None` where a glyph could not be measured.
#[derive(Debug, Clone, Default)]
pub struct Residuals {
    /// `[measure][glyph]`, glyphs in reading order.
    pub values: Vec<Vec<Option<f32>>>,
    /// Each measure's noise floor.
    pub floors: Vec<f32>,
}

/// The document's statistics.
#[derive(Debug, Clone, Default)]
pub struct Statistics {
    /// OCR-B match of the characters' mean cells (median over the glyphs).
    pub font: f32,
    /// How far the characters' ink boxes sit from OCR-B's, once the
    /// document's own scale is taken out: each character's mean offset of
    /// bottom, top, height and width, summed, averaged over the glyphs.
    pub geometry: f32,
    /// Number of glyphs matched.
    pub font_glyphs: usize,
    /// The median over the glyphs of each glyph's best match with any
    /// character of the OCR-B reference: needs no reading of the character.
    pub best_match: f32,
    /// Horizontal offset (pitches) and baseline offset (heights), after each
    /// line's own trend.
    pub position: Residuals,
    /// Height relative to the class's reference, against the line's median.
    pub size: Residuals,
    /// Darkness (0..1) and weight (relative), against the line's median.
    pub ink: Residuals,
    /// Unlikeness to the document's other instances of the character.
    pub shape: Residuals,
}

impl Statistics {
    /// Measures and compares every glyph.
    pub fn of(all: &[GlyphMeasure], templates: &Templates, t: &Thresholds) -> Statistics {
        // Only glyphs the model was sure of (a misread compares a glyph with
        // the wrong reference) and not under a stamp.
        let glyphs: Vec<GlyphMeasure> = all
            .iter()
            .map(|g| {
                let mut g = g.clone();
                if g.confidence < t.print_min_confidence || !g.measurable() {
                    g.ink = None;
                }
                g
            })
            .collect();
        let glyphs = glyphs.as_slice();
        let reference = |g: &GlyphMeasure| g.class.and_then(|c| templates.get(c));
        // Font: each character's mean cell over its instances against OCR-B
        // (averaging takes out the print's and the scan's noise; a font's
        // difference is the same at every instance), weighted by instances.
        let mut by_class: std::collections::BTreeMap<usize, Vec<&GlyphMeasure>> = std::collections::BTreeMap::new();
        for g in glyphs.iter().filter(|g| g.ink.is_some() && g.form.len() == measure::FORM_VALUES) {
            if let Some(c) = g.class.filter(|&c| templates.get(c).is_some()) {
                by_class.entry(c).or_default().push(g);
            }
        }
        let mut weighted: Vec<(f32, usize)> = Vec::new();
        for (&c, members) in &by_class {
            let Some(r) = templates.get(c) else { continue };
            let mut mean = vec![0.0f32; measure::FORM_VALUES];
            for g in members {
                for (m, v) in mean.iter_mut().zip(&g.form) {
                    *m += v / members.len() as f32;
                }
            }
            weighted.push((match_score(&mean, &r.form), members.len()));
        }
        let font_glyphs: usize = weighted.iter().map(|w| w.1).sum();
        let best: Vec<f32> = glyphs
            .iter()
            .filter(|g| g.ink.is_some() && g.form.len() == measure::FORM_VALUES)
            .map(|g| best_ocrb_match(templates, &g.form))
            .collect();
        let best_match = median(&best).unwrap_or(0.0);
        let font = weighted_median(&mut weighted).unwrap_or(0.0);
        let rel = |g: &GlyphMeasure, f: fn(&InkMeasure) -> f32| -> Option<f32> {
            let (ink, r) = (g.ink.as_ref()?, reference(g)?);
            Some(f(ink) - f(&r.ink))
        };
        let ratio = |g: &GlyphMeasure, f: fn(&InkMeasure) -> f32| -> Option<f32> {
            let (ink, r) = (g.ink.as_ref()?, reference(g)?);
            let base = f(&r.ink);
            (base.abs() > 1e-3).then(|| f(ink) / base - 1.0)
        };
        let dx: Vec<Option<f32>> = glyphs.iter().map(|g| rel(g, |m| m.dx)).collect();
        let bottom: Vec<Option<f32>> = glyphs.iter().map(|g| rel(g, |m| m.bottom)).collect();
        let height: Vec<Option<f32>> = glyphs.iter().map(|g| ratio(g, |m| m.height)).collect();
        let darkness: Vec<Option<f32>> = glyphs.iter().map(|g| g.ink.map(|m| m.darkness)).collect();
        let weight: Vec<Option<f32>> = glyphs.iter().map(|g| ratio(g, |m| m.weight)).collect();
        let shape = unlikeness(glyphs);
        Statistics {
            font,
            geometry: geometry(glyphs, templates),
            font_glyphs,
            best_match,
            position: Residuals {
                values: vec![detrend(glyphs, &dx), detrend(glyphs, &bottom)],
                floors: vec![t.print_position_floor, t.print_position_floor],
            },
            size: Residuals { values: vec![centre(glyphs, &height)], floors: vec![t.print_size_floor] },
            ink: Residuals {
                values: vec![detrend(glyphs, &darkness), centre(glyphs, &weight)],
                floors: vec![t.print_ink_floor, t.print_size_floor],
            },
            shape: Residuals { values: vec![centre(glyphs, &shape)], floors: vec![t.print_shape_floor] },
        }
    }
}

/// The distance of the characters' ink from OCR-B's: for each glyph, the
/// offsets of its bottom, top, height, width, horizontal place and (a
/// quarter of its relative) stroke weight from its class's reference, less
/// the document's median offset of each (its own size, width, weight);
/// averaged per character, summed in absolute value, averaged over glyphs.
fn geometry(glyphs: &[GlyphMeasure], templates: &Templates) -> f32 {
    let offsets: Vec<(usize, [f32; 6])> = glyphs
        .iter()
        .filter_map(|g| {
            let (m, c) = (g.ink.as_ref()?, g.class?);
            let r = templates.get(c)?;
            let weight = if r.ink.weight > 1e-3 { m.weight / r.ink.weight - 1.0 } else { 0.0 };
            Some((
                c,
                [
                    m.bottom - r.ink.bottom,
                    m.top - r.ink.top,
                    m.height - r.ink.height,
                    m.width - r.ink.width,
                    m.dx - r.ink.dx,
                    weight * 0.25,
                ],
            ))
        })
        .collect();
    if offsets.len() < 10 {
        return 0.0;
    }
    let medians: Vec<f32> = (0..6)
        .map(|k| median(&offsets.iter().filter_map(|o| o.1.get(k).copied()).collect::<Vec<_>>()).unwrap_or(0.0))
        .collect();
    // Each character's mean offset: a font places every instance alike, so
    // its offset survives the mean while the print's noise does not.
    let mut by_class: std::collections::BTreeMap<usize, (usize, [f32; 6])> = std::collections::BTreeMap::new();
    for (c, o) in &offsets {
        let e = by_class.entry(*c).or_insert((0, [0.0; 6]));
        e.0 += 1;
        for ((s, v), m) in e.1.iter_mut().zip(o).zip(&medians) {
            *s += v - m;
        }
    }
    let (mut sum, mut n) = (0.0f32, 0usize);
    for (count, s) in by_class.values() {
        let d: f32 = s.iter().map(|v| (v / *count as f32).abs()).sum();
        sum += d.min(1.0) * *count as f32;
        n += count;
    }
    sum / n.max(1) as f32
}

/// The median of values weighted by counts.
fn weighted_median(v: &mut [(f32, usize)]) -> Option<f32> {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: usize = v.iter().map(|x| x.1).sum();
    let mut acc = 0;
    for (x, w) in v.iter() {
        acc += w;
        if 2 * acc >= total {
            return Some(*x);
        }
    }
    None
}

/// Each glyph's unlikeness (1 - match) to the mean of the document's other
/// instances of its character, where there are at least two others.
fn unlikeness(glyphs: &[GlyphMeasure]) -> Vec<Option<f32>> {
    glyphs
        .iter()
        .enumerate()
        .map(|(i, g)| {
            g.ink?;
            let others: Vec<&GlyphMeasure> = glyphs
                .iter()
                .enumerate()
                .filter(|(j, o)| *j != i && o.class == g.class && o.ink.is_some() && o.form.len() == g.form.len())
                .map(|(_, o)| o)
                .collect();
            if others.len() < 2 {
                return None;
            }
            let mut mean = vec![0.0f32; g.form.len()];
            for o in &others {
                for (m, v) in mean.iter_mut().zip(&o.form) {
                    *m += v / others.len() as f32;
                }
            }
            let m = normalise(&mean);
            (!m.is_empty()).then(|| 1.0 - match_score(&g.form, &m))
        })
        .collect()
}

/// Residuals after each line's robust straight-line trend along the line.
fn detrend(glyphs: &[GlyphMeasure], v: &[Option<f32>]) -> Vec<Option<f32>> {
    by_line(glyphs, v, |xs, ys| {
        let (a, b) = robust_line(xs, ys, 0.01).unwrap_or((median(ys).unwrap_or(0.0), 0.0));
        xs.iter().zip(ys).map(|(&x, &y)| y - (a + b * x)).collect()
    })
}

/// Residuals after each line's median.
fn centre(glyphs: &[GlyphMeasure], v: &[Option<f32>]) -> Vec<Option<f32>> {
    by_line(glyphs, v, |_, ys| {
        let m = median(ys).unwrap_or(0.0);
        ys.iter().map(|y| y - m).collect()
    })
}

/// Applies `f(indices, values)` to each line's measured glyphs.
fn by_line(glyphs: &[GlyphMeasure], v: &[Option<f32>], f: impl Fn(&[f32], &[f32]) -> Vec<f32>) -> Vec<Option<f32>> {
    let mut out: Vec<Option<f32>> = vec![None; v.len()];
    let lines = glyphs.iter().map(|g| g.line).max().map_or(0, |l| l + 1);
    for line in 0..lines {
        let at: Vec<usize> = (0..v.len())
            .filter(|&i| glyphs.get(i).is_some_and(|g| g.line == line) && v.get(i).copied().flatten().is_some())
            .collect();
        let xs: Vec<f32> = at.iter().filter_map(|&i| glyphs.get(i)).map(|g| g.index as f32).collect();
        let ys: Vec<f32> = at.iter().filter_map(|&i| v.get(i).copied().flatten()).collect();
        if ys.len() < 3 {
            continue;
        }
        for (&i, r) in at.iter().zip(f(&xs, &ys)) {
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(r);
            }
        }
    }
    out
}

/// The run of neighbouring glyphs that stands out most.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Which measure of the residuals.
    pub measure: usize,
    /// Line, from 0.
    pub line: usize,
    /// First and last glyph (indices into the glyphs), inclusive.
    pub first: usize,
    /// Last glyph.
    pub last: usize,
    /// Mean residual over the run.
    pub mean: f32,
    /// The scan statistic: |sum| / (spread x sqrt(length)).
    pub z: f32,
}

/// The most deviant run of up to [`MAX_RUN`] neighbouring glyphs of one line
/// over every measure: the sum of the run's residuals over its standard
/// error. A single glyph far off and a field of glyphs a little off both
/// stand out; noise does not add up.
pub fn scan(glyphs: &[GlyphMeasure], r: &Residuals) -> Option<Window> {
    let mut best: Option<Window> = None;
    for (measure, values) in r.values.iter().enumerate() {
        let present: Vec<f32> = values.iter().flatten().copied().collect();
        let floor = r.floors.get(measure).copied().unwrap_or(0.0);
        let Some(spread) = mad(&present) else { continue };
        let spread = spread.max(floor).max(1e-6);
        for first in 0..values.len() {
            let Some(line) = glyphs.get(first).map(|g| g.line) else { continue };
            let mut sum = 0.0f32;
            let mut n = 0usize;
            for last in first..(first + MAX_RUN).min(values.len()) {
                if glyphs.get(last).is_none_or(|g| g.line != line) {
                    break;
                }
                let Some(v) = values.get(last).copied().flatten() else { continue };
                sum += v;
                n += 1;
                let z = sum.abs() / (spread * (n as f32).sqrt());
                if best.is_none_or(|b| z > b.z) {
                    best = Some(Window { measure, line, first, last, mean: sum / n as f32, z });
                }
            }
        }
    }
    best
}

/// The names of the measures [`combined_scan`] combines, in its order.
pub const COMBINED: [&str; 6] = ["offset across", "baseline", "height", "darkness", "stroke weight", "shape"];

/// The run of up to [`MAX_RUN`] neighbouring glyphs of one line that stands
/// out on several measures at once: for each measure (offset across, off
/// the baseline, height, darkness, weight, shape) the run's summed residual
/// over its standard error, combined as the root of their sum of squares
/// without the largest (so at least two measures must deviate).
/// Characters pasted over the original differ in place, size and ink
/// together, where a genuine print's odd glyph differs in one; returns the
/// run with each measure's part.
pub fn combined_scan(glyphs: &[GlyphMeasure], s: &Statistics) -> Option<(Window, [f32; 6])> {
    let series: Vec<(&Vec<Option<f32>>, f32)> =
        [(&s.position, 0usize), (&s.position, 1), (&s.size, 0), (&s.ink, 0), (&s.ink, 1), (&s.shape, 0)]
            .iter()
            .filter_map(|(r, k)| {
                let v = r.values.get(*k)?;
                let present: Vec<f32> = v.iter().flatten().copied().collect();
                let spread = mad(&present)?.max(r.floors.get(*k).copied().unwrap_or(0.0)).max(1e-6);
                Some((v, spread))
            })
            .collect();
    if series.len() < COMBINED.len() {
        return None;
    }
    let mut best: Option<(Window, [f32; 6])> = None;
    for first in 0..glyphs.len() {
        let Some(line) = glyphs.get(first).map(|g| g.line) else { continue };
        let mut sums = [0.0f32; 6];
        let mut counts = [0usize; 6];
        for last in first..(first + MAX_RUN).min(glyphs.len()) {
            if glyphs.get(last).is_none_or(|g| g.line != line) {
                break;
            }
            for (k, (v, _)) in series.iter().enumerate() {
                if let (Some(Some(x)), Some(sum), Some(n)) = (v.get(last), sums.get_mut(k), counts.get_mut(k)) {
                    *sum += x;
                    *n += 1;
                }
            }
            let mut parts = [0.0f32; 6];
            for (k, (_, spread)) in series.iter().enumerate() {
                let (sum, n) = (sums.get(k).copied().unwrap_or(0.0), counts.get(k).copied().unwrap_or(0));
                if let Some(p) = parts.get_mut(k) {
                    *p = if n == 0 { 0.0 } else { sum / (spread * (n as f32).sqrt()) };
                }
            }
            // Without the largest part: one measure alone deviating (a speck,
            // perspective at a line's end) is not enough, two or more are.
            let largest = parts.iter().map(|p| p * p).fold(0.0f32, f32::max);
            let z = (parts.iter().map(|p| p * p).sum::<f32>() - largest).max(0.0).sqrt();
            if best.as_ref().is_none_or(|b| z > b.0.z) {
                best = Some((Window { measure: 0, line, first, last, mean: 0.0, z }, parts));
            }
        }
    }
    best
}
