//! Shrinking a grey page by a whole factor for the locator's working copy.

use image::GrayImage;

/// Shrinks by a whole factor, averaging `f x f` blocks: cheap, and it keeps
/// thin strokes as lighter strokes rather than dropping them.
pub(super) fn shrink(gray: &GrayImage, f: u32) -> GrayImage {
    let (w, h) = (gray.width() / f, gray.height() / f);
    let src = gray.as_raw();
    let stride = gray.width() as usize;
    let mut out = GrayImage::new(w.max(1), h.max(1));
    let area = f * f;
    for (y, row) in out.rows_mut().enumerate() {
        for (x, p) in row.enumerate() {
            let mut sum = 0u32;
            for dy in 0..f as usize {
                let start = (y * f as usize + dy) * stride + x * f as usize;
                sum += src.get(start..start + f as usize).map_or(0, |s| s.iter().map(|&v| u32::from(v)).sum());
            }
            p.0[0] = (sum / area) as u8;
        }
    }
    out
}
