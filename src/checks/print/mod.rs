//! MRZ print conformity (family `print`, images): is the MRZ printed as one
//! OCR-B print, at one size, on one grid, in one ink?
//!
//! Each glyph is measured in the rectified crop ([`measure`]) and compared
//! with the OCR-B reference ([`templates`]) and with the document's own
//! print: an MRZ re-typed in another font matches OCR-B poorly everywhere;
//! characters pasted over the original stand out of their line in position,
//! size, weight or darkness, or in shape against the document's other
//! instances of the same character. Deviations are measured against the
//! line's own spread (a robust scale with a floor), so a printer's or a
//! scan's overall character (laser on paper, engraving on polycarbonate,
//! inkjet; blur, resolution) raises no alarm, and a run of neighbouring
//! characters sharing one offset (a pasted field) adds up.
//!
//! Check ids: `print.font`, `print.position`, `print.size`, `print.ink`,
//! `print.shape`, `print.layout`. Thresholds: the `print_*` fields of
//! [`Thresholds`](crate::Thresholds), set by the calibration tool
//! (`tools/src/bin/calibrate.rs`).

#[doc(hidden)]
pub mod measure;
#[doc(hidden)]
pub mod templates;

use measure::{GlyphMeasure, InkMeasure};
use templates::{Templates, match_score, normalise};

use super::stats::{mad, median, robust_line};
use super::{Check, CheckResult, Context};
use crate::config::Thresholds;
use crate::geometry::Quad;
use crate::read::MrzReading;
use crate::report::{Evidence, Finding, SkipReason, Status, TextSpan};

/// Longest run of neighbouring characters the scans sum over (a field of
/// the MRZ is at most 14 long; pasted fields are dates and numbers).
const MAX_RUN: usize = 9;

/// The `print` family.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrintCheck;

impl Check for PrintCheck {
    fn family(&self) -> &'static str {
        "print"
    }

    fn describe(&self) -> &'static str {
        "MRZ print conformity: font, pitch, baseline, size and ink"
    }

    fn run(&self, cx: &Context<'_>) -> CheckResult {
        let Some(reading) = cx.document().reading() else {
            return match cx.document().kind() {
                crate::InputKind::Text => {
                    CheckResult::Skipped(SkipReason::NotApplicable, "MRZ text input: no print to examine".into())
                }
                crate::InputKind::Image => CheckResult::Skipped(SkipReason::NoMrz, "no MRZ was read".into()),
            };
        };
        let t = cx.thresholds();
        if reading.dpi_estimate < t.print_min_dpi {
            return CheckResult::Skipped(
                SkipReason::ScanQuality,
                format!(
                    "scan resolution about {:.0} dpi, below the {:.0} dpi the print checks need",
                    reading.dpi_estimate, t.print_min_dpi
                ),
            );
        }
        if let Some(edge) = super::quality::edge_width_mm(reading)
            && edge > t.print_max_blur_mm
        {
            return CheckResult::Skipped(
                SkipReason::ScanQuality,
                format!(
                    "MRZ edges {edge:.2} mm wide: too blurred for the print checks (at most {:.2} mm)",
                    t.print_max_blur_mm
                ),
            );
        }
        let Some(templates) = Templates::bundled() else {
            return CheckResult::Skipped(SkipReason::NotImplemented, "the OCR-B reference did not load".into());
        };
        let glyphs = measure::measure(reading, cx.document().page().and_then(|p| p.colour()));
        CheckResult::Findings(findings(reading, &glyphs, templates, t))
    }
}

/// Everything the print family reports on one reading.
pub fn findings(reading: &MrzReading, glyphs: &[GlyphMeasure], templates: &Templates, t: &Thresholds) -> Vec<Finding> {
    let stats = Statistics::of(glyphs, templates, t);
    let mm_per_px = 25.4 / reading.dpi_estimate.max(1.0);
    let line_height_mm = |line: usize| reading.line_fits.get(line).map_or(0.0, |f| f.char_height_px) * mm_per_px;
    vec![
        font_finding(reading, &stats, t),
        scan_finding(reading, glyphs, "print.position", &stats.position, t.print_position_z, |w| {
            let (axis, unit) =
                if w.measure == 0 { ("across", 2.54) } else { ("above or below the baseline", line_height_mm(w.line)) };
            format!("{:.2} mm {axis}", w.mean.abs() * unit)
        }),
        scan_finding(reading, glyphs, "print.size", &stats.size, t.print_size_z, |w| {
            format!("{:+.0} % in height", w.mean * 100.0)
        }),
        scan_finding(reading, glyphs, "print.ink", &stats.ink, t.print_ink_z, |w| {
            if w.measure == 0 {
                format!("ink {:+.0} % darker", w.mean * 100.0)
            } else {
                format!("stroke weight {:+.0} %", w.mean * 100.0)
            }
        }),
        scan_finding(reading, glyphs, "print.shape", &stats.shape, t.print_shape_z, |w| {
            format!("shape {:.0} % less alike", w.mean * 100.0)
        }),
        layout_finding(reading, t),
    ]
}

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
    /// Median OCR-B match over the glyphs.
    pub font: f32,
    /// How far the glyphs' ink boxes sit from OCR-B's, class by class, once
    /// the document's own scale is taken out (mean over the glyphs of the
    /// summed offsets of bottom, top, height and width).
    pub geometry: f32,
    /// Number of glyphs matched.
    pub font_glyphs: usize,
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
                if g.confidence < t.print_min_confidence || g.overprint {
                    g.ink = None;
                }
                g
            })
            .collect();
        let glyphs = glyphs.as_slice();
        let reference = |g: &GlyphMeasure| g.class.and_then(|c| templates.get(c));
        // Font: each glyph against OCR-B.
        let matches: Vec<f32> = glyphs
            .iter()
            .filter(|g| g.ink.is_some())
            .filter_map(|g| Some(match_score(&g.cell, &reference(g)?.cell)))
            .collect();
        let font = median(&matches).unwrap_or(0.0);
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
            font_glyphs: matches.len(),
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

/// The mean distance of the glyphs' ink boxes from OCR-B's: for each glyph,
/// the offsets of its bottom, top, height and width from its class's
/// reference, less the document's median offset of each (its own size,
/// width and weight), summed in absolute value.
fn geometry(glyphs: &[GlyphMeasure], templates: &Templates) -> f32 {
    let offsets: Vec<[f32; 4]> = glyphs
        .iter()
        .filter_map(|g| {
            let (m, r) = (g.ink.as_ref()?, templates.get(g.class?)?);
            Some([m.bottom - r.ink.bottom, m.top - r.ink.top, m.height - r.ink.height, m.width - r.ink.width])
        })
        .collect();
    if offsets.len() < 10 {
        return 0.0;
    }
    let medians: Vec<f32> = (0..4)
        .map(|k| median(&offsets.iter().filter_map(|o| o.get(k).copied()).collect::<Vec<_>>()).unwrap_or(0.0))
        .collect();
    let per_glyph: Vec<f32> =
        offsets.iter().map(|o| o.iter().zip(&medians).map(|(v, m)| (v - m).abs()).sum::<f32>().min(1.0)).collect();
    per_glyph.iter().sum::<f32>() / per_glyph.len() as f32
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
                .filter(|(j, o)| *j != i && o.class == g.class && o.ink.is_some() && o.cell.len() == g.cell.len())
                .map(|(_, o)| o)
                .collect();
            if others.len() < 2 {
                return None;
            }
            let mut mean = vec![0.0f32; g.cell.len()];
            for o in &others {
                for (m, v) in mean.iter_mut().zip(&o.cell) {
                    *m += v / others.len() as f32;
                }
            }
            let m = normalise(&mean);
            (!m.is_empty()).then(|| 1.0 - match_score(&g.cell, &m))
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

/// The glyphs' cells from `first` to `last` as one quadrilateral.
fn run_quad(reading: &MrzReading, first: usize, last: usize) -> Option<Quad> {
    let (a, b) = (reading.glyphs.get(first)?, reading.glyphs.get(last)?);
    let [tl, _, _, bl] = a.cell.corners;
    let [_, tr, br, _] = b.cell.corners;
    Some(Quad::new([tl, tr, br, bl]))
}

/// A finding on the most deviant run of one kind of residual.
fn scan_finding(
    reading: &MrzReading,
    glyphs: &[GlyphMeasure],
    id: &'static str,
    r: &Residuals,
    threshold: f32,
    describe: impl Fn(&Window) -> String,
) -> Finding {
    let what = id.trim_start_matches("print.");
    let Some(w) = scan(glyphs, r) else {
        return Finding::new(
            id,
            Status::Skipped,
            1.0,
            Evidence::on(reading.zone),
            format!("too few characters to compare their {what}"),
        );
    };
    let chars: String = (w.first..=w.last).filter_map(|i| reading.glyphs.get(i)).map(|g| g.ch).collect();
    let (col0, col1) = (glyphs.get(w.first).map_or(0, |g| g.index + 1), glyphs.get(w.last).map_or(0, |g| g.index + 1));
    let ev = Evidence {
        text: Some(TextSpan { line: w.line + 1, column: col0, length: col1 + 1 - col0 }),
        region: run_quad(reading, w.first, w.last),
        ..Evidence::default()
    }
    .measured(f64::from(w.z))
    .threshold(f64::from(threshold));
    let score = (1.0 - w.z / (2.0 * threshold)).clamp(0.0, 1.0);
    let place = if col0 == col1 {
        format!("line {} position {col0} ({chars:?})", w.line + 1)
    } else {
        format!("line {} positions {col0}-{col1} ({chars:?})", w.line + 1)
    };
    if w.z > threshold {
        Finding::new(
            id,
            Status::Warn,
            score,
            ev,
            format!(
                "{place} stand(s) out of the line's print: {} ({:.1} spreads, threshold {threshold:.1}); compare with the document",
                describe(&w),
                w.z
            ),
        )
    } else {
        Finding::new(
            id,
            Status::Pass,
            score,
            ev,
            format!("the characters' {what} is uniform (most deviant: {place}, {:.1} spreads)", w.z),
        )
    }
}

/// `print.font`: the MRZ's glyphs against OCR-B, in shape (their cells
/// against the reference's) and in geometry (where each class's ink sits).
fn font_finding(reading: &MrzReading, s: &Statistics, t: &Thresholds) -> Finding {
    let ev = Evidence::on(reading.zone)
        .measured(f64::from(s.font))
        .expected(format!("geometry within {:.2} of OCR-B (measured {:.3})", t.print_geometry_max, s.geometry))
        .threshold(f64::from(t.print_font_min));
    let shape_score = ((s.font - t.print_font_min) / (1.0 - t.print_font_min).max(1e-3) * 0.5 + 0.5).clamp(0.0, 1.0);
    let geometry_score = (1.0 - s.geometry / (2.0 * t.print_geometry_max).max(1e-3)).clamp(0.0, 1.0);
    let score = shape_score.min(geometry_score);
    if s.font_glyphs < 10 {
        return Finding::new("print.font", Status::Skipped, 1.0, ev, "too few characters measured to judge the font");
    }
    let mut wrong = Vec::new();
    if s.font < t.print_font_min {
        wrong.push(format!(
            "their shapes match the OCR-B reference at {:.2} (median of {}), below {:.2}",
            s.font, s.font_glyphs, t.print_font_min
        ));
    }
    if s.geometry > t.print_geometry_max {
        wrong.push(format!(
            "their ink sits {:.3} from OCR-B's place and size, beyond {:.3}",
            s.geometry, t.print_geometry_max
        ));
    }
    if wrong.is_empty() {
        Finding::new(
            "print.font",
            Status::Pass,
            score,
            ev,
            format!("the characters match OCR-B at {:.2} in shape and {:.3} in geometry", s.font, s.geometry),
        )
    } else {
        Finding::new(
            "print.font",
            Status::Fail,
            score.min(0.25),
            ev,
            format!("the MRZ is not printed in OCR-B: {}", wrong.join("; ")),
        )
    }
}

/// `print.layout`: character height against the pitch (Doc 9303: OCR-B size
/// 1, 2.0 to 3.2 mm tall at a 2.54 mm pitch) and even line spacing.
fn layout_finding(reading: &MrzReading, t: &Thresholds) -> Finding {
    let pitch = reading.pitch_px.max(1e-3);
    let ratio = reading.char_height_px / pitch;
    let height_mm = ratio * 2.54;
    let (lo, hi) = (t.print_height_min_mm, t.print_height_max_mm);
    let ev = Evidence::on(reading.zone)
        .measured(f64::from(height_mm))
        .expected(format!("{lo:.1} to {hi:.1} mm at a 2.54 mm pitch"));
    if height_mm < lo || height_mm > hi {
        Finding::new(
            "print.layout",
            Status::Warn,
            0.3,
            ev,
            format!("characters {height_mm:.2} mm tall at the 2.54 mm pitch: OCR-B size 1 is {lo:.1} to {hi:.1} mm"),
        )
    } else {
        Finding::new(
            "print.layout",
            Status::Pass,
            1.0,
            ev,
            format!("characters {height_mm:.2} mm tall at the 2.54 mm pitch"),
        )
    }
}
