//! Development aid: writes the rectified MRZ crop(s) the reader sees for an
//! image, for each located zone and orientation (`crop IMAGE OUT_PREFIX`).
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use mrtd_verify::image;
use mrtd_verify::scan::{CELL_HEIGHT, PITCH, cell_pixels, cell_tensor, decode, locate, rectify, to_gray};
use mrtd_verify::{DecodeLimits, Thresholds};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).unwrap();
    let gray = to_gray(&decode(&bytes, &DecodeLimits::default()).unwrap());
    let zones = locate(&gray, &Thresholds::default()).map(|l| l.zones).unwrap_or_default();
    let both: Vec<_> = zones.iter().flat_map(|z| z.orientations()).collect();
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
                eprintln!("  width {width}: line centres {:?}, heights {:?}", r.centres, r.heights);
                if std::env::var_os("ROWS").is_some() {
                    let rows: Vec<u32> =
                        r.image.rows().map(|row| row.map(|p| u32::from(255 - p.0[0])).sum::<u32>() / 255).collect();
                    eprintln!("  rows {rows:?}");
                }
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
                    // The cells the model is unsure of (first choice under 60 %).
                    let model = mrtd_verify::ocr::Model::bundled().unwrap();
                    let all = cell_tensor(&r);
                    let probs = model.probabilities(all.clone()).unwrap();
                    // The unsure cells (up to 8), 8x, to look at.
                    let mut big = image::GrayImage::new(8 * 160, 192);
                    let unsure = all
                        .chunks(px.len())
                        .zip(probs.chunks(mrtd_verify::ocr::CLASSES.len()))
                        .filter(|(_, p)| p.iter().all(|&v| v < 0.6));
                    for (k, (cell, _)) in unsure.take(8).enumerate() {
                        for (j, v) in cell.iter().enumerate() {
                            let (x, y) = (k as u32 * 160 + (j as u32 % cw) * 8, (j as u32 / cw) * 8);
                            for d in 0..64 {
                                big.put_pixel(x + d % 8, y + d / 8, image::Luma([255 - (v * 255.0) as u8]));
                            }
                        }
                    }
                    big.save(format!("{}-{i}-{width}-big.png", args[2])).unwrap();
                    for (c, p) in r.cells.iter().zip(probs.chunks(mrtd_verify::ocr::CLASSES.len())) {
                        let t = mrtd_verify::ocr::top_candidates(p, 3);
                        if t.first().is_some_and(|b| b.score < 0.6) {
                            eprintln!(
                                "  width {width} line {} col {}: {:?}",
                                c.line + 1,
                                c.index + 1,
                                t.iter().map(|c| (c.ch as char, (c.score * 100.0).round())).collect::<Vec<_>>()
                            );
                        }
                    }
                }
            }
        }
    }
}
