//! Pictures an officer can read (feature `explain`): the page as scanned
//! with the MRZ box, every finding that did not pass outlined on the page in
//! its status colour with a short label, and the verdict in a corner.
//! Officers look rather than read.

use ab_glyph::{FontRef, PxScale};
use image::{Rgb, RgbImage};
use imageproc::drawing::{draw_filled_rect_mut, draw_line_segment_mut, draw_text_mut, text_size};
use imageproc::rect::Rect;

use crate::document::Document;
use crate::geometry::Quad;
use crate::report::{Report, Status, Verdict};

/// The labels' font (SIL Open Font License; `assets/fonts/`).
static SANS: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");

const BLUE: Rgb<u8> = Rgb([30, 90, 220]);
const WHITE: Rgb<u8> = Rgb([255, 255, 255]);

/// The colour of a status.
fn colour(status: Status) -> Rgb<u8> {
    match status {
        Status::Pass => Rgb([20, 150, 60]),
        Status::Warn => Rgb([235, 140, 0]),
        Status::Fail => Rgb([210, 20, 30]),
        Status::Inconclusive => Rgb([130, 60, 170]),
        _ => Rgb([120, 120, 120]),
    }
}

/// The colour of a verdict.
fn verdict_colour(v: Verdict) -> Rgb<u8> {
    match v {
        Verdict::Pass => colour(Status::Pass),
        Verdict::Refer => colour(Status::Warn),
        Verdict::Fail => colour(Status::Fail),
        _ => colour(Status::Inconclusive),
    }
}

/// The annotated page of a document and its report; `None` when the
/// document has no decoded page (MRZ text, an image that did not decode).
///
/// # Examples
///
/// ```
/// use mrtd_verify::image::{DynamicImage, GrayImage, Luma};
/// use mrtd_verify::{Config, Scan, Verifier, explain};
/// let verifier = Verifier::new(Config::default())?;
/// let page = DynamicImage::ImageLuma8(GrayImage::from_pixel(600, 400, Luma([240])));
/// let doc = verifier.read(&Scan::new("blank", page));
/// let report = verifier.judge(&doc);
/// let picture = explain::annotate(&doc, &report).unwrap();
/// assert_eq!(picture.dimensions(), (600, 400));
/// // The verdict's banner is drawn in the top-left corner.
/// assert_ne!(picture.get_pixel(2, 2).0, [240, 240, 240]);
/// # Ok::<(), mrtd_verify::Error>(())
/// ```
pub fn annotate(doc: &Document, report: &Report) -> Option<RgbImage> {
    let page = doc.page()?;
    let mut img = match page.colour() {
        Some(c) => c.clone(),
        None => image::DynamicImage::ImageLuma8(page.grey().clone()).to_rgb8(),
    };
    let font = FontRef::try_from_slice(SANS).ok()?;
    let (w, h) = img.dimensions();
    let unit = (w.max(h) as f32 / 900.0).max(1.0);
    let scale = PxScale::from(14.0 * unit);
    let thick = (2.0 * unit).round().max(1.0) as i32;
    if let Some(zone) = report.scan.as_ref().and_then(|s| s.quad) {
        outline(&mut img, &zone, BLUE, thick);
    }
    // Findings that did not pass, each outlined with its id; one label per
    // region so overlapping findings stay legible.
    let mut labelled: Vec<(Quad, String)> = Vec::new();
    for f in report.findings.iter().filter(|f| !matches!(f.status, Status::Pass | Status::Skipped)) {
        let Some(region) = f.evidence.region else { continue };
        outline(&mut img, &region, colour(f.status), thick * 2);
        // Where a copy came from: outlined thinner, labelled with the id.
        if let Some(source) = f.evidence.source {
            outline(&mut img, &source, colour(f.status), thick);
            labelled.push((source, format!("{} (source)", f.check)));
        }
        match labelled.iter_mut().find(|(q, _)| *q == region) {
            Some((_, text)) => {
                text.push_str(", ");
                text.push_str(&f.check);
            }
            None => labelled.push((region, f.check.clone())),
        }
    }
    for (region, text) in &labelled {
        let status = report
            .findings
            .iter()
            .filter(|f| f.evidence.region == Some(*region) || f.evidence.source == Some(*region))
            .map(|f| f.status)
            .max_by_key(|s| match s {
                Status::Fail => 3,
                Status::Inconclusive => 2,
                Status::Warn => 1,
                _ => 0,
            })
            .unwrap_or(Status::Warn);
        let Some(region) = on_canvas(region, (w, h)) else { continue };
        let (left, top, _, _) = region.bounds();
        let (tw, th) = text_size(scale, &font, text);
        let y = (top - th as f32 - 4.0 * unit).clamp(0.0, h as f32) as i32;
        label(&mut img, left.clamp(0.0, w as f32) as i32, y, (tw, th), colour(status), |img, x, y| {
            draw_text_mut(img, WHITE, x, y, scale, &font, text)
        });
    }
    // The verdict, top left.
    let banner = format!("{}  {}", report.verdict.name().to_uppercase(), report.source);
    let big = PxScale::from(22.0 * unit);
    let (tw, th) = text_size(big, &font, &banner);
    label(&mut img, 0, 0, (tw, th), verdict_colour(report.verdict), |img, x, y| {
        draw_text_mut(img, WHITE, x, y, big, &font, &banner)
    });
    Some(img)
}

/// A filled box of `colour` at (x, y) big enough for text of `size`, and the
/// text drawn in it.
fn label(
    img: &mut RgbImage,
    x: i32,
    y: i32,
    (tw, th): (u32, u32),
    colour: Rgb<u8>,
    draw: impl FnOnce(&mut RgbImage, i32, i32),
) {
    let pad = 4;
    draw_filled_rect_mut(img, Rect::at(x, y).of_size(tw + 2 * pad as u32, th + 2 * pad as u32), colour);
    draw(img, x + pad, y + pad);
}

/// The quadrilateral's edges, `thick` pixels wide. A quadrilateral with a
/// corner that is not a finite number (a degenerate projection) is not
/// drawn, and corners far off the picture are pulled to within one picture
/// of it, so the line drawing never walks to the end of the integers.
fn outline(img: &mut RgbImage, q: &Quad, colour: Rgb<u8>, thick: i32) {
    let Some(q) = on_canvas(q, img.dimensions()) else { return };
    for k in 0..4 {
        let (Some(a), Some(b)) = (q.corners.get(k), q.corners.get((k + 1) % 4)) else { continue };
        for d in -(thick / 2)..=(thick / 2) {
            let o = d as f32;
            draw_line_segment_mut(img, (a.x + o, a.y), (b.x + o, b.y), colour);
            draw_line_segment_mut(img, (a.x, a.y + o), (b.x, b.y + o), colour);
        }
    }
}

/// The quadrilateral with its corners within one picture's size of the
/// picture, or `None` when a corner is not finite.
fn on_canvas(q: &Quad, (w, h): (u32, u32)) -> Option<Quad> {
    if q.corners.iter().any(|p| !p.x.is_finite() || !p.y.is_finite()) {
        return None;
    }
    let (w, h) = (w as f32, h as f32);
    Some(q.map(|p| crate::geometry::Point::new(p.x.clamp(-w, 2.0 * w), p.y.clamp(-h, 2.0 * h))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Point;

    #[test]
    fn wild_regions_are_dropped_or_pulled_in() {
        let mut img = RgbImage::new(40, 30);
        let nan =
            Quad::new([Point::new(f32::NAN, 0.0), Point::new(5.0, 0.0), Point::new(5.0, 5.0), Point::new(0.0, 5.0)]);
        assert!(on_canvas(&nan, img.dimensions()).is_none());
        let huge =
            Quad::new([Point::new(0.0, 0.0), Point::new(1e30, 0.0), Point::new(1e30, 1e30), Point::new(0.0, 1e30)]);
        let pulled = on_canvas(&huge, img.dimensions()).unwrap();
        assert!(pulled.corners.iter().all(|p| p.x <= 80.0 && p.y <= 60.0));
        // Drawing either returns at once and colours the picture's corner.
        outline(&mut img, &nan, BLUE, 2);
        outline(&mut img, &huge, BLUE, 2);
        assert_eq!(*img.get_pixel(0, 0), BLUE);
    }
}
