//! Cutting a text line out of the page as the line model reads it: upright,
//! [`LINE_HEIGHT`] pixels tall, ink high.

use image::GrayImage;

use crate::geometry::{Point, Quad};
use crate::scan::cells::bilinear;

/// The height of a line image, in pixels.
pub const LINE_HEIGHT: usize = 24;

/// How much taller than the line's character height the image spans (room
/// for accents above and descenders below).
const SPAN: f32 = 1.8;

/// Blank margin added at each end of the line, in character heights.
const END_MARGIN: f32 = 0.35;

/// The longest line image, in pixels (longer lines are cut: no VIZ value is
/// that long).
pub const MAX_LINE_WIDTH: usize = 1024;

/// A line image: `width x LINE_HEIGHT` values in `0..1`, ink high, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct LineImage {
    /// Width in pixels (a multiple of 4).
    pub width: usize,
    /// The pixels, `LINE_HEIGHT` rows of `width`.
    pub pixels: Vec<f32>,
    /// Where the line image lies on the page: the corners of its sampled
    /// rectangle, top-left first, in reading order.
    pub quad: Quad,
}

impl LineImage {
    /// The page point of a position along the line image (pixels from its
    /// left end, at mid height).
    pub fn page_point(&self, x: f32) -> Point {
        let [a, b, c, d] = self.quad.corners;
        let t = (x / self.width.max(1) as f32).clamp(0.0, 1.0);
        let top = Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
        let bottom = Point::new(d.x + (c.x - d.x) * t, d.y + (c.y - d.y) * t);
        top.midpoint(bottom)
    }

    /// The region of the page between two positions along the line image.
    pub fn page_region(&self, x0: f32, x1: f32) -> Quad {
        let [a, b, c, d] = self.quad.corners;
        let w = self.width.max(1) as f32;
        let at = |p: Point, q: Point, x: f32| {
            let t = (x / w).clamp(0.0, 1.0);
            Point::new(p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t)
        };
        Quad::new([at(a, b, x0), at(a, b, x1), at(d, c, x1), at(d, c, x0)])
    }
}

/// Cuts a text line out of the grey page.
///
/// `quad` is the line's ink box (corners in reading order, as the locator
/// gives them), `height` its character height in page pixels, and
/// `direction` the page's reading direction (the MRZ's): a line found the
/// other way round is turned to it. Returns `None` for a degenerate line or
/// one with no contrast.
pub fn line_image(grey: &GrayImage, quad: &Quad, height: f32, direction: Point) -> Option<LineImage> {
    let [a, b, c, d] = quad.corners;
    // Turned half way round, the corners are (c, d, a, b).
    let (a, b, d) = if (b.x - a.x) * direction.x + (b.y - a.y) * direction.y < 0.0 { (c, d, b) } else { (a, b, d) };
    let (ux, uy) = (b.x - a.x, b.y - a.y);
    let len = (ux * ux + uy * uy).sqrt();
    if !(len.is_finite() && height.is_finite()) || len < 2.0 || height < 3.0 {
        return None;
    }
    let (ux, uy) = (ux / len, uy / len);
    // Down the page, perpendicular to the line.
    let (nx, ny) = (-uy, ux);
    let mid = |p: Point, q: Point| p.midpoint(q);
    let left = mid(a, d);
    let span = height * SPAN;
    let scale = span / LINE_HEIGHT as f32;
    let margin = height * END_MARGIN;
    let page_len = len + 2.0 * margin;
    let width = ((page_len / scale / 4.0).round() as usize * 4).clamp(4, MAX_LINE_WIDTH);
    let origin = Point::new(left.x - ux * margin - nx * span / 2.0, left.y - uy * margin - ny * span / 2.0);
    // Supersampling when the line is shrunk, so thin strokes are not lost.
    let ss = (scale.ceil() as usize).clamp(1, 4);
    let sub = 1.0 / ss as f32;
    let mut raw = vec![0.0f32; width * LINE_HEIGHT];
    for (row, out) in raw.chunks_mut(width).enumerate() {
        for (col, v) in out.iter_mut().enumerate() {
            let mut sum = 0.0;
            for sy in 0..ss {
                for sx in 0..ss {
                    let s = (col as f32 + (sx as f32 + 0.5) * sub) * scale;
                    let t = (row as f32 + (sy as f32 + 0.5) * sub) * scale;
                    sum += bilinear(grey, origin.x + ux * s + nx * t, origin.y + uy * s + ny * t);
                }
            }
            *v = sum / (ss * ss) as f32;
        }
    }
    // Ink high, from the line's own paper (its bright quantile) and ink (its
    // dark quantile).
    let mut sorted = raw.clone();
    sorted.sort_by(f32::total_cmp);
    let at = |q: f32| sorted.get(((sorted.len() - 1) as f32 * q) as usize).copied().unwrap_or(255.0);
    let (ink, paper) = (at(0.02), at(0.7));
    if paper - ink < 12.0 {
        return None;
    }
    let pixels = raw.iter().map(|&v| ((paper - v) / (paper - ink)).clamp(0.0, 1.0)).collect();
    let end = width as f32 * scale;
    let corner = |s: f32, t: f32| Point::new(origin.x + ux * s + nx * t, origin.y + uy * s + ny * t);
    let quad = Quad::new([corner(0.0, 0.0), corner(end, 0.0), corner(end, span), corner(0.0, span)]);
    Some(LineImage { width, pixels, quad })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn a_line_is_cut_upright_and_ink_high() {
        // A dark bar 10 px tall across a white page, found the wrong way round.
        let mut g = GrayImage::from_pixel(200, 60, Luma([240]));
        for y in 25..35 {
            for x in 40..160 {
                g.put_pixel(x, y, Luma([20]));
            }
        }
        let q = Quad::new([
            Point::new(160.0, 35.0),
            Point::new(40.0, 35.0),
            Point::new(40.0, 25.0),
            Point::new(160.0, 25.0),
        ]);
        let line = line_image(&g, &q, 10.0, Point::new(1.0, 0.0)).unwrap();
        assert_eq!(line.width % 4, 0);
        // Mid height is ink, the top row paper.
        let mid = LINE_HEIGHT / 2;
        assert!(line.pixels[mid * line.width + line.width / 2] > 0.9);
        assert!(line.pixels[line.width / 2] < 0.1);
        // Reading order: the image's left end is the page's left.
        assert!(line.page_point(0.0).x < line.page_point(line.width as f32).x);
        // A blank page has no line.
        assert!(line_image(&GrayImage::from_pixel(200, 60, Luma([240])), &q, 10.0, Point::new(1.0, 0.0)).is_none());
    }
}
