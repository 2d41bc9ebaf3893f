//! Development aid: how well the locator and grid find the MRZ on generated
//! specimens, by capture condition (cells within a quarter pitch of the label).
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use mrtd_verify::Thresholds;
use mrtd_verify::image;
use mrtd_verify::scan::{locate, rectify, to_gray};
use mrtd_verify::specimen::{Condition, CorpusOptions, Generator, Truth};

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let dpi = std::env::var("DPI").ok().and_then(|d| d.parse().ok()).unwrap_or(300);
    let g = Generator::new(CorpusOptions::default().bands(false).dpi(dpi)).unwrap();
    for condition in Condition::ALL {
        let (mut found, mut aligned, mut total) = (0, 0, 0);
        let mut ms = 0.0;
        for i in 0..n {
            let format = mrtd_verify::mrz::Format::ALL[(i % 6) as usize];
            let s = g.render(31, i, format, Truth::Genuine, condition).unwrap();
            total += 1;
            let gray = to_gray(&image::DynamicImage::ImageRgb8(s.image.clone()));
            let t = std::time::Instant::now();
            let Ok(layout) = locate(&gray, &Thresholds::default()) else { continue };
            let locs: Vec<_> = layout.zones.into_iter().map(|z| z.location).collect();
            ms += t.elapsed().as_secs_f64() * 1000.0;
            let l = &s.label;
            let truth_dir =
                (l.mrz_quad.corners[1].x - l.mrz_quad.corners[0].x, l.mrz_quad.corners[1].y - l.mrz_quad.corners[0].y);
            let Some(loc) = locs.iter().find(|loc| loc.lines.len() == format.lines()) else { continue };
            found += 1;
            let loc = if loc.direction.x * truth_dir.0 + loc.direction.y * truth_dir.1 < 0.0 {
                loc.flipped()
            } else {
                loc.clone()
            };
            let Some(r) = rectify(&gray, &loc, format.width()) else { continue };
            let ok = r.cells.iter().zip(&l.chars).all(|(c, t)| {
                let (cx, cy) = (c.page.centre().x, c.page.centre().y);
                let (tx, ty) = (t.cell.centre().x, t.cell.centre().y);
                ((cx - tx).powi(2) + (cy - ty).powi(2)).sqrt() < l.mrz_pitch_px * 0.25
            });
            if ok {
                aligned += 1;
            } else if std::env::var_os("SAVE").is_some() {
                r.image.save(format!("/tmp/crop-{}-{i}.png", condition.name())).unwrap();
            }
        }
        println!(
            "{:15} found {found}/{total} aligned {aligned}/{total}  locate {:.1} ms avg",
            condition.name(),
            ms / total as f64
        );
    }
}
