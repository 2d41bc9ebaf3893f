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
//! Check ids: `print.font` (`fail`: not OCR-B), `print.run` (`warn`: a run
//! of characters that stands out in several ways at once), `print.layout`
//! (`warn`: character size against OCR-B size 1), and, to show the officer
//! where the print deviates most, `print.position`, `print.size`,
//! `print.ink`, `print.shape` (informative: `pass`, or `skipped` with too few
//! characters measured). Thresholds: the `print_*` fields of
//! [`Thresholds`], set by the calibration tool
//! (`tools/src/bin/calibrate.rs`).

#[doc(hidden)]
pub mod measure;
#[doc(hidden)]
pub mod statistics;
#[doc(hidden)]
pub mod templates;

use measure::GlyphMeasure;
pub use statistics::{COMBINED, MAX_RUN, Residuals, Statistics, Window, combined_scan, scan};
use templates::{Templates, best_match as best_ocrb_match};

use super::stats::median;
use super::{Check, CheckResult, Context};
use crate::config::Thresholds;
use crate::geometry::Quad;
use crate::read::MrzReading;
use crate::report::{Evidence, Finding, SkipReason, Status, TextSpan};

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
        let glyphs = measure::measure(reading, cx.document().page());
        // The print is compared character by character with OCR-B's: a
        // reading whose characters are largely wrong would compare the
        // print with the wrong references. When the grid still sits on the
        // glyphs (an unfamiliar font, not a grid off the ink),
        // the glyphs are still compared with OCR-B, without their reading.
        if let Some(why) = unsound(cx) {
            let aligned = aligned_share(&glyphs);
            if aligned < ALIGNED {
                return CheckResult::Skipped(
                    SkipReason::NoMrz,
                    format!(
                        "the reading is too uncertain to compare its print ({why}) and the grid is off its glyphs ({:.0} % on them)",
                        aligned * 100.0
                    ),
                );
            }
            return CheckResult::Findings(vec![unread_font_finding(reading, &glyphs, templates, t, &why)]);
        }
        CheckResult::Findings(findings(reading, &glyphs, templates, t))
    }
}

/// A grid sits on its glyphs when at least this share of the inked cells
/// have their ink centred within a quarter pitch.
const ALIGNED: f32 = 0.9;

/// The share of inked cells whose ink is centred within a quarter pitch.
fn aligned_share(glyphs: &[GlyphMeasure]) -> f32 {
    let inked: Vec<f32> = glyphs.iter().filter_map(|g| g.ink.map(|m| m.dx)).collect();
    inked.iter().filter(|dx| dx.abs() < 0.25).count() as f32 / inked.len().max(1) as f32
}

/// `print.font` on a reading too uncertain for the comparison character by
/// character: each glyph's best match with any OCR-B character; `warn` at
/// most (see below).
fn unread_font_finding(
    reading: &MrzReading,
    glyphs: &[GlyphMeasure],
    templates: &Templates,
    t: &Thresholds,
    why: &str,
) -> Finding {
    let best: Vec<f32> =
        glyphs.iter().filter(|g| g.measurable()).map(|g| best_ocrb_match(templates, &g.form)).collect();
    let m = median(&best).unwrap_or(1.0);
    let ev = Evidence::on(reading.zone).measured(f64::from(m)).threshold(f64::from(t.print_best_min));
    if best.len() < 10 {
        Finding::new("print.font", Status::Skipped, 1.0, ev, "too few characters measured to judge the font")
    } else if m < t.print_best_floor {
        off_glyphs(ev, m, t)
    } else if m < t.print_best_min {
        // A warning, never a failure: real documents whose reading is this
        // uncertain (worn print, a dense background, a poor scan) have
        // glyphs far from OCR-B too, so this is a reason to look, with the
        // verdict left to the reading (`unreadable`: rescan).
        Finding::new(
            "print.font",
            Status::Warn,
            0.3,
            ev,
            format!(
                "the glyphs resemble no OCR-B character closely (median best match {m:.3} of {}, below {:.3}): another font, or print too damaged to read; the reading is uncertain ({why}), rescan and compare the MRZ with the document",
                best.len(),
                t.print_best_min
            ),
        )
    } else {
        Finding::new(
            "print.font",
            Status::Pass,
            0.6,
            ev,
            format!(
                "the glyphs resemble OCR-B characters (median best match {m:.3}); the reading is uncertain ({why})"
            ),
        )
    }
}

/// Why a reading cannot carry the print comparison, if it cannot: more than
/// two characters forced into their field's alphabet or the country table,
/// or a field rule broken (an unknown code, a date that does not exist).
fn unsound(cx: &Context<'_>) -> Option<String> {
    use crate::mrz::{Outcome, RepairBasis, Rule};
    let forced = cx.document().repaired().map_or(0, |r| {
        r.repairs.iter().filter(|x| matches!(x.basis, RepairBasis::Alphabet | RepairBasis::CountryTable)).count()
    });
    if forced > 2 {
        return Some(format!("{forced} characters forced into their fields"));
    }
    let v = cx.validation()?;
    let broken: Vec<&str> = v
        .outcomes()
        .filter(|(r, o)| !matches!(r, Rule::Expiry | Rule::DateOrder) && matches!(o, Outcome::Fail(_)))
        .map(|(r, _)| r.check_id())
        .collect();
    (!broken.is_empty()).then(|| format!("field rules broken ({})", broken.join(", ")))
}

/// Everything the print family reports on one reading.
pub fn findings(reading: &MrzReading, glyphs: &[GlyphMeasure], templates: &Templates, t: &Thresholds) -> Vec<Finding> {
    let stats = Statistics::of(glyphs, templates, t);
    let mm_per_px = 25.4 / reading.dpi_estimate.max(1.0);
    let line_height_mm = |line: usize| reading.line_fits.get(line).map_or(0.0, |f| f.char_height_px) * mm_per_px;
    vec![
        font_finding(reading, &stats, aligned_share(glyphs), t),
        scan_finding(reading, glyphs, "print.position", &stats.position, |w| {
            let (axis, unit) =
                if w.measure == 0 { ("across", 2.54) } else { ("above or below the baseline", line_height_mm(w.line)) };
            format!("{:.2} mm {axis}", w.mean.abs() * unit)
        }),
        scan_finding(reading, glyphs, "print.size", &stats.size, |w| format!("{:+.0} % in height", w.mean * 100.0)),
        scan_finding(reading, glyphs, "print.ink", &stats.ink, |w| {
            if w.measure == 0 {
                format!("ink {:+.0} % darker", w.mean * 100.0)
            } else {
                format!("stroke weight {:+.0} %", w.mean * 100.0)
            }
        }),
        scan_finding(reading, glyphs, "print.shape", &stats.shape, |w| {
            format!("shape {:.0} % less alike", w.mean * 100.0)
        }),
        run_finding(reading, glyphs, &stats, t.print_run_z),
        layout_finding(reading, t),
    ]
}

/// `print.run`: neighbouring characters that differ from their line in
/// several ways at once.
fn run_finding(reading: &MrzReading, glyphs: &[GlyphMeasure], s: &Statistics, threshold: f32) -> Finding {
    let Some((w, parts)) = combined_scan(glyphs, s) else {
        return Finding::new(
            "print.run",
            Status::Skipped,
            1.0,
            Evidence::on(reading.zone),
            "too few characters measured",
        );
    };
    let chars: String = (w.first..=w.last).filter_map(|i| reading.glyphs.get(i)).map(|g| g.ch).collect();
    let (col0, col1) = (glyphs.get(w.first).map_or(0, |g| g.index + 1), glyphs.get(w.last).map_or(0, |g| g.index + 1));
    let mut named: Vec<(f32, &str)> = parts.iter().zip(COMBINED).map(|(p, n)| (p.abs(), n)).collect();
    named.sort_by(|a, b| b.0.total_cmp(&a.0));
    let most: Vec<String> = named.iter().take(3).map(|(p, n)| format!("{n} {p:.1}")).collect();
    let ev = Evidence {
        text: Some(TextSpan { line: w.line + 1, column: col0, length: (col1 + 1).saturating_sub(col0) }),
        region: run_quad(reading, w.first, w.last),
        ..Evidence::default()
    }
    .measured(f64::from(w.z))
    .expected(most.join(", "))
    .threshold(f64::from(threshold));
    let score = (1.0 - w.z / (2.0 * threshold)).clamp(0.0, 1.0);
    let place = format!("line {} positions {col0}-{col1} ({chars:?})", w.line + 1);
    if w.z > threshold {
        Finding::new(
            "print.run",
            Status::Warn,
            score,
            ev,
            format!(
                "{place} differ from the rest of the line in several ways at once ({}; {:.1} combined, threshold {threshold:.1}): characters printed apart from the others? compare with the document",
                most.join(", "),
                w.z
            ),
        )
    } else {
        Finding::new(
            "print.run",
            Status::Pass,
            score,
            ev,
            format!("no run of characters stands out (most: {place}, {:.1})", w.z),
        )
    }
}

/// The glyphs' cells from `first` to `last` as one quadrilateral.
fn run_quad(reading: &MrzReading, first: usize, last: usize) -> Option<Quad> {
    let (a, b) = (reading.glyphs.get(first)?, reading.glyphs.get(last)?);
    let [tl, _, _, bl] = a.cell.corners;
    let [_, tr, br, _] = b.cell.corners;
    Some(Quad::new([tl, tr, br, bl]))
}

/// A finding on the most deviant run of one kind of residual. It informs
/// (the officer sees which characters deviate most, by how much): the
/// decision is `print.run`'s, which needs several measures to agree, since
/// one measure alone deviates now and then on genuine print (a speck on a
/// glyph, perspective at a line's end).
fn scan_finding(
    reading: &MrzReading,
    glyphs: &[GlyphMeasure],
    id: &'static str,
    r: &Residuals,
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
        text: Some(TextSpan { line: w.line + 1, column: col0, length: (col1 + 1).saturating_sub(col0) }),
        region: run_quad(reading, w.first, w.last),
        ..Evidence::default()
    }
    .measured(f64::from(w.z))
    .expected(describe(&w));
    let place = if col0 == col1 {
        format!("line {} position {col0} ({chars:?})", w.line + 1)
    } else {
        format!("line {} positions {col0}-{col1} ({chars:?})", w.line + 1)
    };
    Finding::new(
        id,
        Status::Pass,
        (1.0 / (1.0 + w.z / 10.0)).clamp(0.0, 1.0),
        ev,
        format!("most deviant {what}: {place}, {} ({:.1} spreads)", describe(&w), w.z),
    )
}

/// `print.font`: the MRZ's glyphs against OCR-B, in shape (their cells
/// against the reference's) and in geometry (where each class's ink sits).
fn font_finding(reading: &MrzReading, s: &Statistics, aligned: f32, t: &Thresholds) -> Finding {
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
    // Cells that hold no whole glyph of any font, on a grid off the ink,
    // say nothing of the print; on a grid that sits on the ink they are
    // glyphs far from OCR-B, and fail below.
    if s.best_match < t.print_best_floor && aligned < ALIGNED {
        return off_glyphs(ev, s.best_match, t);
    }
    let mut wrong = Vec::new();
    if s.best_match < t.print_best_min {
        wrong.push(format!(
            "its glyphs resemble no OCR-B character closely (median best match {:.3}, below {:.3})",
            s.best_match, t.print_best_min
        ));
    }
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
            format!(
                "the characters match OCR-B: {:.3} in shape, {:.3} best match, {:.3} in geometry",
                s.font, s.best_match, s.geometry
            ),
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

/// `print.font` skipped: the cells resemble no glyph of any font (a grid
/// off the characters), which says nothing about the print.
fn off_glyphs(ev: Evidence, best: f32, t: &Thresholds) -> Finding {
    Finding::new(
        "print.font",
        Status::Skipped,
        1.0,
        ev,
        format!(
            "the cells do not hold whole characters of any font (median best match {best:.3}, below {:.2}): the reading's grid or width does not fit the print, so the font cannot be judged",
            t.print_best_floor
        ),
    )
}

/// `print.layout`: character height against the pitch (Doc 9303: OCR-B size
/// 1, 2.0 to 3.2 mm tall at a 2.54 mm pitch); the pitch itself is the
/// reader's fit.
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
