//! Scan quality (family `quality`, images): the resolution (from the MRZ
//! pitch), the sharpness of the MRZ's print, the exposure of the page and
//! glare over the MRZ. These findings inform; they never accuse: a check that
//! cannot be trusted at the scan's quality is skipped by its own family
//! (`print` reads [`edge_width_mm`] and the resolution), never failed, and a
//! page whose MRZ cannot be read at all is `unreadable` through `mrz.read`.
//!
//! Check ids: `quality.resolution`, `quality.sharpness`, `quality.exposure`,
//! `quality.glare`.

use super::stats::{median, quantile};
use super::{Check, CheckResult, Context};
use crate::read::MrzReading;
use crate::report::{Evidence, Finding, Status};
use crate::scan::PITCH;

/// The `quality` family.
#[derive(Debug, Clone, Copy, Default)]
pub struct QualityCheck;

impl Check for QualityCheck {
    fn family(&self) -> &'static str {
        "quality"
    }

    fn describe(&self) -> &'static str {
        "scan quality: resolution, sharpness, exposure, glare"
    }

    fn run(&self, cx: &Context<'_>) -> CheckResult {
        let doc = cx.document();
        let page = match cx.page_or_skip("no scan to judge") {
            Ok(page) => page,
            Err(skip) => return skip,
        };
        let t = cx.thresholds();
        let mut out = Vec::new();
        // Exposure: the page's paper and ink levels.
        let grey = page.grey();
        let (w, h) = grey.dimensions();
        let step = ((u64::from(w) * u64::from(h) / 40_000).max(1) as f32).sqrt().max(1.0) as u32;
        let sample: Vec<f32> = (0..h)
            .step_by(step as usize)
            .flat_map(|y| (0..w).step_by(step as usize).map(move |x| (x, y)))
            .filter_map(|(x, y)| grey.get_pixel_checked(x, y).map(|p| f32::from(p.0[0])))
            .collect();
        let (dark, paper) = (quantile(&sample, 0.02).unwrap_or(0.0), quantile(&sample, 0.6).unwrap_or(255.0));
        out.push(Finding::new(
            "quality.exposure",
            Status::Pass,
            ((paper - dark) / 200.0).clamp(0.0, 1.0),
            Evidence::default()
                .measured(f64::from(paper - dark))
                .expected(format!("paper {paper:.0}, ink {dark:.0} of 255")),
            format!("paper at {paper:.0} and darkest print at {dark:.0} of 255"),
        ));
        let Some(reading) = doc.reading() else {
            return CheckResult::Findings(out);
        };
        out.push(Finding::new(
            "quality.resolution",
            Status::Pass,
            (reading.dpi_estimate / 300.0).clamp(0.0, 1.0),
            Evidence::on(reading.zone).measured(f64::from(reading.dpi_estimate)).threshold(f64::from(t.print_min_dpi)),
            if reading.dpi_estimate < t.print_min_dpi {
                format!(
                    "about {:.0} dpi (from the MRZ pitch): too coarse for the print checks (at least {:.0})",
                    reading.dpi_estimate, t.print_min_dpi
                )
            } else {
                format!("about {:.0} dpi (from the MRZ pitch)", reading.dpi_estimate)
            },
        ));
        if let Some(edge) = edge_width_mm(reading) {
            out.push(Finding::new(
                "quality.sharpness",
                Status::Pass,
                (1.0 - edge / (2.0 * t.print_max_blur_mm)).clamp(0.0, 1.0),
                Evidence::on(reading.zone).measured(f64::from(edge)).threshold(f64::from(t.print_max_blur_mm)),
                if edge > t.print_max_blur_mm {
                    format!(
                        "MRZ edges {edge:.2} mm wide: too blurred for the print checks (at most {:.2} mm)",
                        t.print_max_blur_mm
                    )
                } else {
                    format!("MRZ edges {edge:.2} mm wide")
                },
            ));
        }
        // Glare: saturated pixels over the MRZ's characters.
        let washed = reading
            .glyphs
            .iter()
            .filter(|g| {
                let c = g.cell.centre();
                grey.get_pixel_checked(c.x.max(0.0) as u32, c.y.max(0.0) as u32).is_some_and(|p| p.0[0] >= 250)
                    && g.ink.is_none()
            })
            .count();
        let share = washed as f32 / reading.glyphs.len().max(1) as f32;
        out.push(Finding::new(
            "quality.glare",
            Status::Pass,
            1.0 - share,
            Evidence::on(reading.zone).measured(f64::from(share)),
            format!("{:.0} % of the MRZ's characters under saturated glare", share * 100.0),
        ));
        CheckResult::Findings(out)
    }
}

/// The width of the MRZ's ink edges in millimetres: per glyph, the steepest
/// step between neighbouring pixels of each of its rows in the rectified
/// crop (stretched so ink is 0 and paper 255) gives the edge's width as 255
/// over that step; the median over the glyphs, at the crop's 2.54 mm pitch.
/// Sharp laser print scanned at 300 dpi is about 0.1 mm; a defocused phone
/// photo several tenths.
pub fn edge_width_mm(reading: &MrzReading) -> Option<f32> {
    let rect = reading.rectified();
    let crop = &rect.image;
    let widths: Vec<f32> = rect
        .cells
        .iter()
        .filter_map(|c| {
            let [x0, y0, x1, y1] = c.ink?;
            let mut steps = Vec::new();
            for y in y0 as u32..y1 as u32 {
                let mut best = 0u8;
                for x in (x0 as u32).saturating_sub(1)..(x1 as u32 + 1) {
                    let (Some(a), Some(b)) = (crop.get_pixel_checked(x, y), crop.get_pixel_checked(x + 1, y)) else {
                        continue;
                    };
                    best = best.max(a.0[0].abs_diff(b.0[0]));
                }
                if best > 32 {
                    steps.push(f32::from(best));
                }
            }
            median(&steps).map(|s| 255.0 / s)
        })
        .collect();
    median(&widths).map(|px| px * 2.54 / PITCH)
}
