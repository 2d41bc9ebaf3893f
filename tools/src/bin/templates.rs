//! `templates`: builds the OCR-B reference of the print checks
//! (`models/ocrb-templates.bin`): for each MRZ character, its mean form and
//! mean ink measures over genuine documents the generator prints in the
//! repository's OCR-B fonts, through every capture condition but the
//! stamped one, read by the crate's own reader and measured by the print
//! checks' own function.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin templates -- --seed 31000 --count 600 --out models/ocrb-templates.bin
//! ```
//!
//! Only glyphs read exactly as printed count. Deterministic: same seed and
//! count, same bytes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::checks::print::measure::{FORM_VALUES, InkMeasure, measure};
use mrtd_verify::checks::print::templates::Templates;
use mrtd_verify::mrz::Format;
use mrtd_verify::ocr::CLASSES;
use mrtd_verify::specimen::{Condition, CorpusOptions, Generator, Truth};
use mrtd_verify::{Config, Scan, Verifier};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    /// Seed of the reference documents (not used by any evaluation).
    #[arg(long, default_value_t = 31_000)]
    seed: u64,
    /// Documents in all, spread over formats and conditions.
    #[arg(long, default_value_t = 600)]
    count: u64,
    /// Where to write the reference.
    #[arg(long)]
    out: PathBuf,
}

/// Sums for one class.
#[derive(Clone)]
struct Acc {
    count: u32,
    ink: [f64; 7],
    cell: Vec<f64>,
}

impl Acc {
    fn new() -> Acc {
        Acc { count: 0, ink: [0.0; 7], cell: vec![0.0; FORM_VALUES] }
    }

    fn add(&mut self, o: &Acc) {
        self.count += o.count;
        for (a, b) in self.ink.iter_mut().zip(o.ink) {
            *a += b;
        }
        for (a, b) in self.cell.iter_mut().zip(&o.cell) {
            *a += b;
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let Ok(generator) = Generator::new(CorpusOptions::default().bands(false)) else {
        eprintln!("templates: fonts failed to load");
        return ExitCode::from(2);
    };
    let Ok(verifier) = Verifier::new(Config::default()) else {
        eprintln!("templates: the model failed to load");
        return ExitCode::from(2);
    };
    let conditions = Condition::ALL;
    let sums: Vec<Acc> = (0..args.count)
        .into_par_iter()
        .map(|i| {
            let mut acc = vec![Acc::new(); CLASSES.len()];
            let n = Format::ALL.len() as u64;
            let (Some(&format), Some(&condition)) =
                (Format::ALL.get((i % n) as usize), conditions.get(((i / n) % conditions.len() as u64) as usize))
            else {
                return acc;
            };
            let Ok(s) = generator.render(args.seed, i, format, Truth::Genuine, condition) else { return acc };
            let doc = verifier.read(&Scan::from_bytes("t", s.visible.as_slice()));
            let Some(reading) = doc.reading() else { return acc };
            if reading.lines != s.label.mrz_lines {
                return acc;
            }
            for g in measure(reading, doc.page()) {
                if g.glare || g.overprint {
                    continue;
                }
                let (Some(class), Some(ink)) = (g.class, g.ink) else { continue };
                let Some(a) = acc.get_mut(class) else { continue };
                a.count += 1;
                for (s, v) in a.ink.iter_mut().zip(ink.values()) {
                    *s += f64::from(v);
                }
                for (s, v) in a.cell.iter_mut().zip(&g.form) {
                    *s += f64::from(*v);
                }
            }
            acc
        })
        .reduce(
            || vec![Acc::new(); CLASSES.len()],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(&b) {
                    x.add(y);
                }
                a
            },
        );
    let classes: Vec<(u32, InkMeasure, Vec<f32>)> = sums
        .iter()
        .map(|a| {
            let n = f64::from(a.count.max(1));
            let mut ink = [0.0f32; 7];
            for (o, s) in ink.iter_mut().zip(a.ink) {
                *o = (s / n) as f32;
            }
            (a.count, InkMeasure::from_values(ink), a.cell.iter().map(|s| (s / n) as f32).collect())
        })
        .collect();
    for ((count, ink, _), ch) in classes.iter().zip(CLASSES.iter()) {
        eprintln!("{}: {count:6} glyphs, {:?}", char::from(*ch), ink.values().map(|v| (v * 1000.0).round() / 1000.0));
    }
    let bytes = Templates::write(&classes);
    if Templates::parse(&bytes).is_none() {
        eprintln!("templates: the reference does not parse back (a class without glyphs?)");
        return ExitCode::from(2);
    }
    if let Err(e) = std::fs::write(&args.out, &bytes) {
        eprintln!("templates: {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    eprintln!("templates: {} classes from {} documents in {}", classes.len(), args.count, args.out.display());
    ExitCode::SUCCESS
}
