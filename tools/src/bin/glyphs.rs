//! `glyphs`: extracts labelled MRZ character cells from rendered specimens,
//! through the reader's own locate → rectify → grid pipeline, as training and
//! evaluation data for the OCR model (see `models/README.md`).
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin glyphs -- --seed 1000 --count 2000 --dpi 300 --out models/data/train-300.bin
//! ```
//!
//! Format: for each cell, `CELL_HEIGHT x PITCH` (24 x 20) grey bytes (ink
//! high) followed by one class byte (index in `mrtd_verify::ocr::CLASSES`),
//! then a one-byte capture-condition index. Orientation comes from the label.
//! Beside `OUT` it writes `OUT.json`: the cell size, the class order and the
//! condition names, which `models/train.py` reads instead of its own copy,
//! so training and serving cannot drift. Cells are cut by the crate's own
//! `scan::cell_pixels`, as the reader cuts them.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::Thresholds;
use mrtd_verify::image;
use mrtd_verify::mrz::Format;
use mrtd_verify::ocr::CLASSES;
use mrtd_verify::scan::{CELL_HEIGHT, CELL_VALUES, PITCH, cell_pixels, locate, rectify, to_gray};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    seed: u64,
    #[arg(long)]
    count: u64,
    #[arg(long)]
    out: PathBuf,
    /// Page resolution (low-resolution captures use 150-200 dpi regardless).
    #[arg(long, default_value_t = 300)]
    dpi: u32,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Genuine documents and the MRZ print forgeries (so the reader reads them
    // too); every capture condition.
    let options = CorpusOptions::default()
        .dpi(args.dpi)
        .bands(false)
        .forgery_rate(0.25)
        .invalid_rate(0.0)
        .forgeries(&[Forgery::MrzPasted, Forgery::MrzRetyped, Forgery::CheckDigitAltered, Forgery::MrzRecomputed]);
    let Ok(generator) = Generator::new(options) else {
        eprintln!("glyphs: fonts failed to load");
        return ExitCode::from(2);
    };
    let cell = CELL_VALUES;
    let results: Vec<(Vec<u8>, usize)> = (0..args.count)
        .into_par_iter()
        .map(|i| {
            let mut out = Vec::new();
            let Ok(s) = generator.specimen(args.seed, i) else { return (out, 0) };
            let l = &s.label;
            let gray = to_gray(&image::DynamicImage::ImageRgb8(s.image.clone()));
            let Ok(layout) = locate(&gray, &Thresholds::default()) else { return (out, 0) };
            let locs: Vec<_> = layout.zones.into_iter().map(|z| z.location).collect();
            let format: Format = l.format;
            let truth =
                (l.mrz_quad.corners[1].x - l.mrz_quad.corners[0].x, l.mrz_quad.corners[1].y - l.mrz_quad.corners[0].y);
            let Some(loc) = locs.iter().find(|loc| loc.lines.len() == format.lines()) else { return (out, 0) };
            let loc =
                if loc.direction.x * truth.0 + loc.direction.y * truth.1 < 0.0 { loc.flipped() } else { loc.clone() };
            let Some(r) = rectify(&gray, &loc, format.width()) else { return (out, 0) };
            let condition = Condition::ALL.iter().position(|c| *c == l.capture.condition).unwrap_or(0) as u8;
            let mut px = vec![0.0f32; cell];
            let mut n = 0;
            for (c, t) in r.cells.iter().zip(&l.chars) {
                // Keep cells the grid put on their character (a quarter pitch).
                let (cx, cy) = (c.page.centre().x, c.page.centre().y);
                let (tx, ty) = (t.cell.centre().x, t.cell.centre().y);
                if ((cx - tx).powi(2) + (cy - ty).powi(2)).sqrt() > l.mrz_pitch_px * 0.25 {
                    continue;
                }
                let Some(class) = CLASSES.iter().position(|&k| char::from(k) == t.ch) else { continue };
                cell_pixels(&r.image, c, &mut px);
                out.extend(px.iter().map(|v| (v * 255.0 + 0.5) as u8));
                out.push(class as u8);
                out.push(condition);
                n += 1;
            }
            (out, n)
        })
        .collect();
    let total: usize = results.iter().map(|r| r.1).sum();
    let written =
        std::fs::File::create(&args.out).and_then(|mut f| results.iter().try_for_each(|(b, _)| f.write_all(b)));
    if let Err(e) = written {
        eprintln!("glyphs: {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    let meta = serde_json::json!({
        "cell_height": CELL_HEIGHT,
        "cell_width": PITCH as u32,
        "classes": String::from_utf8_lossy(CLASSES),
        "conditions": Condition::ALL.iter().map(|c| c.name()).collect::<Vec<_>>(),
    });
    let sidecar = args.out.with_extension("bin.json");
    if let Err(e) = std::fs::write(&sidecar, format!("{meta}\n")) {
        eprintln!("glyphs: {}: {e}", sidecar.display());
        return ExitCode::from(2);
    }
    eprintln!("glyphs: {total} cells from {} documents in {}", args.count, args.out.display());
    ExitCode::SUCCESS
}
