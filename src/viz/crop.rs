//! Cutting a text line out of the page as the line model reads it: upright,
//! [`LINE_HEIGHT`] pixels tall, ink high.

use image::GrayImage;

use crate::geometry::{Point, Quad};

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
        region_between(&self.quad, self.width, x0, x1)
    }
}

/// The region of the page between two positions (line-image pixels) along a
/// line image `width` pixels wide whose rectangle on the page is `quad`.
pub(crate) fn region_between(quad: &Quad, width: usize, x0: f32, x1: f32) -> Quad {
    let [a, b, c, d] = quad.corners;
    let w = width.max(1) as f32;
    let at = |p: Point, q: Point, x: f32| {
        let t = (x / w).clamp(0.0, 1.0);
        Point::new(p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t)
    };
    Quad::new([at(a, b, x0), at(a, b, x1), at(d, c, x1), at(d, c, x0)])
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
    let step = scale / ss as f32;
    let mut raw = vec![0.0f32; width * LINE_HEIGHT];
    let (w, h) = grey.dimensions();
    let page = grey.as_raw();
    for (row, out) in raw.chunks_mut(width).enumerate() {
        for sy in 0..ss {
            let t = ((row * ss + sy) as f32 + 0.5) * step;
            let (bx, by) = (origin.x + nx * t, origin.y + ny * t);
            let (mut x, mut y) = (bx + ux * step * 0.5, by + uy * step * 0.5);
            let (dx, dy) = (ux * step, uy * step);
            for v in out.iter_mut() {
                for _ in 0..ss {
                    *v += sample(page, w, h, x, y);
                    x += dx;
                    y += dy;
                }
            }
        }
        let n = (ss * ss) as f32;
        for v in out.iter_mut() {
            *v /= n;
        }
    }
    // Ink high, from the line's own paper (its bright quantile) and ink (its
    // dark quantile).
    let mut sorted = raw.clone();
    let last = sorted.len().saturating_sub(1);
    let mut at = |q: f32| {
        if sorted.is_empty() {
            return 255.0;
        }
        *sorted.select_nth_unstable_by(((last as f32 * q) as usize).min(last), f32::total_cmp).1
    };
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

/// `x.floor()` without the library call (the default x86-64 target has no
/// rounding instruction): exact for every `x` within `i32`'s range, which
/// holds any page coordinate; NaN stays NaN.
fn floor(x: f32) -> f32 {
    if x.is_nan() || x.abs() >= 2.0e9 {
        return x.floor();
    }
    let t = x as i32 as f32;
    if t > x { t - 1.0 } else { t }
}

/// Bilinear sample of the grey page's raw pixels at (x, y); outside it,
/// white paper (as the MRZ cutter samples).
fn sample(page: &[u8], w: u32, h: u32, x: f32, y: f32) -> f32 {
    let (x0, y0) = (floor(x), floor(y));
    let (tx, ty) = (x - x0, y - y0);
    // Inside the page (nearly always): the four pixels in two reads.
    if x0 >= 0.0 && y0 >= 0.0 && x0 + 1.0 < w as f32 && y0 + 1.0 < h as f32 {
        let i = y0 as usize * w as usize + x0 as usize;
        if let (Some(&[a, b]), Some(&[c, d])) = (page.get(i..i + 2), page.get(i + w as usize..i + w as usize + 2)) {
            let (a, b, c, d) = (f32::from(a), f32::from(b), f32::from(c), f32::from(d));
            let top = a + (b - a) * tx;
            return top + (c + (d - c) * tx - top) * ty;
        }
    }
    let px = |xi: f32, yi: f32| -> f32 {
        if xi < 0.0 || yi < 0.0 || xi >= w as f32 || yi >= h as f32 {
            return 255.0;
        }
        page.get(yi as usize * w as usize + xi as usize).map_or(255.0, |&v| f32::from(v))
    };
    let (a, b, c, d) = (px(x0, y0), px(x0 + 1.0, y0), px(x0, y0 + 1.0), px(x0 + 1.0, y0 + 1.0));
    let top = a + (b - a) * tx;
    let bottom = c + (d - c) * tx;
    top + (bottom - top) * ty
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn floor_is_the_library_s() {
        for i in -4000..4000 {
            let x = i as f32 * 0.37 + 0.001;
            assert_eq!(floor(x), x.floor(), "{x}");
        }
        for x in [0.0, -0.0, -1.0, 1.0, -0.5, 0.999_999_9, -1e-8, 3e9, -3e9, f32::INFINITY, f32::NEG_INFINITY] {
            assert_eq!(floor(x), x.floor(), "{x}");
        }
        assert!(floor(f32::NAN).is_nan());
    }

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
