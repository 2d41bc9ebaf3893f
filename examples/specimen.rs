//! `specimen`: render a labelled corpus of synthetic travel documents.
//!
//! ```text
//! cargo run --release --features specimen --example specimen -- --seed 1 --count 50 --out corpus/
//! ```
//!
//! Writes `<seed>-<index>.png|jpg` (visible light), `-ir.png` and `-uv.png`
//! companions, and one `labels.jsonl` line per document.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::specimen::{Condition, CorpusOptions, Generator};
use rayon::prelude::*;

#[derive(Parser)]
#[command(about = "Render synthetic travel documents, genuine and forged, with labels")]
struct Args {
    /// Corpus seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of documents.
    #[arg(long, default_value_t = 20)]
    count: u64,
    /// Output directory (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Page resolution in dpi (low-resolution captures use 150-200).
    #[arg(long, default_value_t = 300)]
    dpi: u32,
    /// Share of forged documents.
    #[arg(long, default_value_t = 0.4)]
    forgery_rate: f64,
    /// Skip the infrared and ultraviolet companions.
    #[arg(long)]
    no_bands: bool,
    /// Draw captures from these conditions only (comma-separated names:
    /// clean, skew, quarter_turn, degraded, low_resolution, scanner_bed,
    /// stamped). Default: every one but stamped.
    #[arg(long, value_delimiter = ',')]
    conditions: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut options = CorpusOptions::default().dpi(args.dpi).forgery_rate(args.forgery_rate).bands(!args.no_bands);
    if !args.conditions.is_empty() {
        let mut chosen = Vec::new();
        for name in &args.conditions {
            match Condition::EVERY.into_iter().find(|c| c.name() == name) {
                Some(c) => chosen.push(c),
                None => {
                    eprintln!("specimen: unknown condition {name:?}");
                    return ExitCode::from(2);
                }
            }
        }
        options = options.conditions(&chosen);
    }
    let generator = match Generator::new(options) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("specimen: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("specimen: {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    let results: Vec<Result<String, String>> = (0..args.count)
        .into_par_iter()
        .map(|i| {
            let s = generator.specimen(args.seed, i).map_err(|e| format!("document {i}: {e}"))?;
            let write = |name: &str, bytes: &[u8]| {
                std::fs::write(args.out.join(name), bytes).map_err(|e| format!("{name}: {e}"))
            };
            write(&s.label.file, &s.visible)?;
            if let (Some(name), Some(bytes)) = (&s.label.ir_file, &s.ir) {
                write(name, bytes)?;
            }
            if let (Some(name), Some(bytes)) = (&s.label.uv_file, &s.uv) {
                write(name, bytes)?;
            }
            serde_json::to_string(&s.label).map_err(|e| e.to_string())
        })
        .collect();
    let mut labels = Vec::new();
    for r in results {
        match r {
            Ok(line) => labels.push(line),
            Err(e) => {
                eprintln!("specimen: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let path = args.out.join("labels.jsonl");
    let written = std::fs::File::create(&path).and_then(|mut f| labels.iter().try_for_each(|l| writeln!(f, "{l}")));
    if let Err(e) = written {
        eprintln!("specimen: {}: {e}", path.display());
        return ExitCode::from(2);
    }
    eprintln!("specimen: {} documents in {}", labels.len(), args.out.display());
    ExitCode::SUCCESS
}
