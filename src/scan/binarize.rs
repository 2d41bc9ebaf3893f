//! Local-contrast binarisation: a pixel is ink when it is clearly darker than
//! its neighbourhood, which survives uneven light and glare, and leaves the
//! light colour inks of security backgrounds out.

use image::GrayImage;

/// Ink mask: 255 where the pixel is at least `delta` grey levels and `ratio`
/// darker than the mean of the `2 r + 1` square window around it, 0 elsewhere.
pub(crate) fn local_ink(gray: &GrayImage, r: u32, delta: u32, ratio: f32) -> GrayImage {
    let (w, h) = gray.dimensions();
    let (wu, hu) = (w as usize, h as usize);
    // Integral image with a zero row and column: (w + 1) x (h + 1).
    let stride = wu + 1;
    let mut integral = vec![0u64; stride * (hu + 1)];
    let src = gray.as_raw();
    for y in 0..hu {
        let mut row = 0u64;
        for x in 0..wu {
            row += u64::from(src.get(y * wu + x).copied().unwrap_or(0));
            let above = integral.get(y * stride + x + 1).copied().unwrap_or(0);
            if let Some(slot) = integral.get_mut((y + 1) * stride + x + 1) {
                *slot = above + row;
            }
        }
    }
    let mut out = GrayImage::new(w, h);
    let dst: &mut [u8] = &mut out;
    let r = r as usize;
    for y in 0..hu {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(hu));
        for x in 0..wu {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(wu));
            let at = |yy: usize, xx: usize| integral.get(yy * stride + xx).copied().unwrap_or(0);
            let sum = at(y1, x1) + at(y0, x0) - at(y0, x1) - at(y1, x0);
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            let mean = (sum / n.max(1)) as u32;
            let v = u32::from(src.get(y * wu + x).copied().unwrap_or(255));
            let ink = v + delta <= mean && (v as f32) < mean as f32 * ratio;
            if let Some(d) = dst.get_mut(y * wu + x) {
                *d = if ink { 255 } else { 0 };
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_marks_on_uneven_light() {
        // A gradient background with two dark squares, one in the dark half.
        let img = GrayImage::from_fn(100, 40, |x, y| {
            let bg = 230 - x as i32 * 120 / 100;
            let mark = (10..16).contains(&x) && (15..25).contains(&y) || (80..86).contains(&x) && (15..25).contains(&y);
            image::Luma([if mark { (bg - 70).max(0) as u8 } else { bg as u8 }])
        });
        let ink = local_ink(&img, 8, 25, 0.85);
        assert_eq!(ink.get_pixel(12, 20).0[0], 255);
        assert_eq!(ink.get_pixel(82, 20).0[0], 255);
        assert_eq!(ink.get_pixel(50, 20).0[0], 0);
        assert_eq!(ink.get_pixel(5, 5).0[0], 0);
    }
}
