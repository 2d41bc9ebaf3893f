//! Development aid: writes the rectified MRZ crop(s) the reader sees for an
//! image, for each located zone and orientation (`crop IMAGE OUT_PREFIX`).
#![allow(missing_docs, clippy::unwrap_used)]

use mrtd_verify::scan::{DecodeLimits, decode, locate, rectify, to_gray};

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
            }
        }
    }
}
