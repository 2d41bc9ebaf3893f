//! `vizlines`: cuts the visual zone's text lines out of rendered genuine
//! specimens through the crate's own locator and line cutter, labelled with
//! the text the renderer printed there: training and validation data for the
//! VIZ line model (see `models/README.md`).
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin vizlines -- --seed 70000 --count 3000 --out models/data/viz-train.bin
//! ```
//!
//! Format: for each line, its width `W` (u16 little-endian), the capture
//! condition's index (u8), the label's length in bytes (u8), the label
//! (UTF-8), then `LINE_HEIGHT x W` grey bytes, ink high, row-major. Beside
//! `OUT` it writes `OUT.json` with the line height and the alphabet, which
//! `models/train_viz.py` reads, so training and serving cannot drift.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::Point;
use mrtd_verify::Thresholds;
use mrtd_verify::image;
use mrtd_verify::scan::{locate, to_gray};
use mrtd_verify::specimen::{Condition, CorpusOptions, Generator, Label};
use mrtd_verify::viz::{ALPHABET, LINE_HEIGHT, LineImage, line_image};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    seed: u64,
    #[arg(long)]
    count: u64,
    #[arg(long)]
    out: PathBuf,
    /// Also write the first lines as PNG files here, the label in the name.
    #[arg(long)]
    debug: Option<PathBuf>,
}

/// Where a page point falls in a line image: (along, across) in page pixels
/// from its top-left corner.
fn line_coords(line: &LineImage, p: Point) -> (f32, f32, f32, f32) {
    let [a, b, _, d] = line.quad.corners;
    let (ux, uy) = (b.x - a.x, b.y - a.y);
    let (vx, vy) = (d.x - a.x, d.y - a.y);
    let (lu, lv) = ((ux * ux + uy * uy).sqrt().max(1e-3), (vx * vx + vy * vy).sqrt().max(1e-3));
    let (rx, ry) = (p.x - a.x, p.y - a.y);
    ((rx * ux + ry * uy) / lu, (rx * vx + ry * vy) / lv, lu, lv)
}

/// The text printed on a cut line, or `None` when the line holds no label's
/// characters, cuts a value in two places, or uses a character outside the
/// alphabet.
fn label_of(line: &LineImage, height: f32, label: &Label) -> Option<String> {
    let mut parts: Vec<(f32, String)> = Vec::new();
    for field in &label.viz_text {
        let chars: Vec<char> = field.text.chars().collect();
        let inside: Vec<(usize, f32)> = chars
            .iter()
            .zip(&field.chars)
            .enumerate()
            .filter(|(_, (c, _))| !c.is_whitespace())
            .filter_map(|(i, (_, q))| {
                let (s, t, lu, lv) = line_coords(line, q.centre());
                ((0.0..lu).contains(&s) && (t - lv / 2.0).abs() < height * 0.4).then_some((i, s))
            })
            .collect();
        let (Some(&(first, s0)), Some(&(last, _))) = (inside.first(), inside.last()) else { continue };
        // A contiguous run of the value's characters.
        let non_space = chars.get(first..=last)?.iter().filter(|c| !c.is_whitespace()).count();
        if non_space != inside.len() {
            return None;
        }
        let text: String = chars.get(first..=last)?.iter().collect();
        parts.push((s0, text));
    }
    if parts.is_empty() {
        return None;
    }
    parts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let text = parts.into_iter().map(|p| p.1).collect::<Vec<_>>().join(" ");
    text.chars().all(|c| ALPHABET.contains(c)).then_some(text)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let options = CorpusOptions::default().bands(false).forgery_rate(0.0).invalid_rate(0.0);
    let Ok(generator) = Generator::new(options) else {
        eprintln!("vizlines: fonts failed to load");
        return ExitCode::from(2);
    };
    let results: Vec<Vec<(String, u8, LineImage)>> = (0..args.count)
        .into_par_iter()
        .map(|i| {
            let mut out = Vec::new();
            let Ok(s) = generator.specimen(args.seed, i) else { return out };
            let l = &s.label;
            let gray = to_gray(&image::DynamicImage::ImageRgb8(s.image.clone()));
            let Ok(layout) = locate(&gray, &Thresholds::default()) else { return out };
            let [a, b, _, _] = l.mrz_quad.corners;
            let direction = Point::new(b.x - a.x, b.y - a.y);
            let condition = Condition::ALL.iter().position(|c| *c == l.capture.condition).unwrap_or(0) as u8;
            for tl in &layout.lines {
                if l.mrz_quad.contains(tl.quad.centre()) {
                    continue;
                }
                let Some(img) = line_image(&gray, &tl.quad, tl.height, direction) else { continue };
                if let Some(text) = label_of(&img, tl.height, l) {
                    out.push((text, condition, img));
                }
            }
            out
        })
        .collect();
    let mut bytes = Vec::new();
    let mut n = 0usize;
    for (k, (text, condition, img)) in results.iter().flatten().enumerate() {
        let Ok(w) = u16::try_from(img.width) else { continue };
        let t = text.as_bytes();
        let Ok(tn) = u8::try_from(t.len()) else { continue };
        bytes.extend_from_slice(&w.to_le_bytes());
        bytes.push(*condition);
        bytes.push(tn);
        bytes.extend_from_slice(t);
        bytes.extend(img.pixels.iter().map(|v| (v * 255.0 + 0.5) as u8));
        n += 1;
        if let (Some(dir), true) = (&args.debug, k < 200) {
            let _ = std::fs::create_dir_all(dir);
            let px: Vec<u8> = img.pixels.iter().map(|v| 255 - (v * 255.0) as u8).collect();
            if let Some(im) = image::GrayImage::from_raw(img.width as u32, LINE_HEIGHT as u32, px) {
                let name: String = text.chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect();
                let _ = im.save(dir.join(format!("{k:04}-{name}.png")));
            }
        }
    }
    if let Err(e) = std::fs::File::create(&args.out).and_then(|mut f| f.write_all(&bytes)) {
        eprintln!("vizlines: {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    let meta = serde_json::json!({
        "line_height": LINE_HEIGHT,
        "alphabet": ALPHABET,
        "conditions": Condition::ALL.iter().map(|c| c.name()).collect::<Vec<_>>(),
    });
    let sidecar = args.out.with_extension("bin.json");
    if let Err(e) = std::fs::write(&sidecar, format!("{meta}\n")) {
        eprintln!("vizlines: {}: {e}", sidecar.display());
        return ExitCode::from(2);
    }
    eprintln!("vizlines: {n} lines from {} documents in {}", args.count, args.out.display());
    ExitCode::SUCCESS
}
