//! Development aid: writes the rectified MRZ crop(s) the reader sees for an
//! image, for each located zone and orientation (`crop IMAGE OUT_PREFIX`).
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use mrtd_verify::scan::{CELL_HEIGHT, DecodeLimits, PITCH, cell_pixels, decode, locate, rectify, to_gray};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).unwrap();
    let gray = to_gray(&decode(&bytes, &DecodeLimits::default()).unwrap());
    let locs = locate(&gray).unwrap_or_default();
    for (i, loc) in locs.iter().enumerate() {
        let glyphs: Vec<usize> = loc.lines.iter().map(|l| l.glyphs).collect();
        eprintln!(
            "zone {i}: {} lines, angle {:.1}, char height {:.1}, glyphs {glyphs:?}",
            loc.lines.len(),
            loc.angle_deg(),
            loc.char_height
        );
        for width in [30usize, 36, 44] {
            if (loc.lines.len() == 3) != (width == 30) {
                continue;
            }
            if let Some(r) = rectify(&gray, loc, width) {
                r.image.save(format!("{}-{i}-{width}.png", args[2])).unwrap();
                // The cells as the model sees them, side by side.
                let (cw, ch) = (PITCH as u32, CELL_HEIGHT);
                let mut grid = image::GrayImage::new(width as u32 * (cw + 2), r.centres.len() as u32 * (ch + 2));
                let mut px = vec![0.0f32; (cw * ch) as usize];
                for c in &r.cells {
                    cell_pixels(&r.image, c, &mut px);
                    for (k, v) in px.iter().enumerate() {
                        let (x, y) =
                            (c.index as u32 * (cw + 2) + k as u32 % cw, c.line as u32 * (ch + 2) + k as u32 / cw);
                        grid.put_pixel(x, y, image::Luma([255 - (v * 255.0) as u8]));
                    }
                }
                grid.save(format!("{}-{i}-{width}-cells.png", args[2])).unwrap();
            }
        }
    }
}
