//! Development aid: writes the rectified MRZ crop(s) the reader sees for an
//! image, for each located zone and orientation (`crop IMAGE OUT_PREFIX`).
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use mrtd_verify::scan::{CELL_HEIGHT, DecodeLimits, PITCH, cell_pixels, decode, locate, rectify, to_gray};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).unwrap();
    let gray = to_gray(&decode(&bytes, &DecodeLimits::default()).unwrap());
    let locs = locate(&gray).unwrap_or_default();
    let both: Vec<_> = locs.iter().flat_map(|l| [l.clone(), l.flipped()]).collect();
    for (i, loc) in both.iter().enumerate() {
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
                if std::env::var_os("TOP").is_some() {
                    let model = mrtd_verify::ocr::Model::bundled().unwrap();
                    let mut all = Vec::new();
                    let mut big = image::GrayImage::new(6 * 160, 192);
                    for (k, c) in r.cells.iter().filter(|c| c.line == 1).take(6).enumerate() {
                        cell_pixels(&r.image, c, &mut px);
                        for (j, v) in px.iter().enumerate() {
                            let (x, y) = (j as u32 % 20, j as u32 / 20);
                            for dy in 0..8 {
                                for dx in 0..8 {
                                    big.put_pixel(
                                        k as u32 * 160 + x * 8 + dx,
                                        y * 8 + dy,
                                        image::Luma([255 - (v * 255.0) as u8]),
                                    );
                                }
                            }
                        }
                        all.extend_from_slice(&px);
                    }
                    big.save(format!("{}-{i}-{width}-big.png", args[2])).unwrap();
                    let probs = model.probabilities(all).unwrap();
                    for p in probs.chunks(37) {
                        let t = mrtd_verify::ocr::top_candidates(p, 3);
                        eprintln!(
                            "  {:?}",
                            t.iter().map(|c| (c.ch as char, (c.score * 100.0).round())).collect::<Vec<_>>()
                        );
                    }
                }
            }
        }
    }
}
