//! `vizeval`: measures the `viz` family on generated documents: genuine ones
//! (every `viz.*` fail is a false alarm) and the forgeries the visual zone
//! exposes (`mrz_recomputed`: an MRZ field edited, its check digits
//! recomputed, the page left alone), by format and capture condition, with
//! each check's pass/skip/fail counts and the time spent reading the lines.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin vizeval -- --seed 80000 --per-cell 10
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Config, Scan, Status, Verifier};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    seed: u64,
    /// Documents per format, condition and truth.
    #[arg(long, default_value_t = 10)]
    per_cell: u64,
    /// Print each genuine document a `viz` check failed, and each forgery it missed.
    #[arg(long)]
    verbose: bool,
}

struct Outcome {
    format: Format,
    condition: Condition,
    genuine: bool,
    field: Option<String>,
    statuses: Vec<(String, Status, String)>,
    viz_ms: f64,
    index: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let reference = Date::new(2026, 6, 1).unwrap_or(Date::EPOCH);
    let (Ok(generator), Ok(verifier)) = (
        Generator::new(CorpusOptions::default().bands(false).reference(reference)),
        Verifier::new(Config::default().reference_date(reference)),
    ) else {
        eprintln!("vizeval: fonts or models failed to load");
        return ExitCode::from(2);
    };
    let mut jobs = Vec::new();
    for (ci, condition) in Condition::EVERY.into_iter().enumerate() {
        for (fi, format) in Format::ALL.into_iter().enumerate() {
            for k in 0..args.per_cell {
                let index = (ci as u64 * 100 + fi as u64) * 10_000 + k;
                jobs.push((condition, format, Truth::Genuine, index));
                jobs.push((condition, format, Truth::Forged(Forgery::MrzRecomputed), index + 5_000));
            }
        }
    }
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .filter_map(|&(condition, format, truth, index)| {
            let s = generator.render(args.seed, index, format, truth, condition).ok()?;
            let doc = verifier.read(&Scan::from_bytes(s.label.file.as_str(), s.visible.as_slice()));
            let report = verifier.judge(&doc);
            let statuses = report
                .findings
                .iter()
                .filter(|f| f.family() == "viz")
                .map(|f| (f.check.clone(), f.status, f.message.clone()))
                .collect();
            Some(Outcome {
                format,
                condition,
                genuine: truth == Truth::Genuine,
                field: s.label.detail.field.clone(),
                statuses,
                viz_ms: doc.timings().viz,
                index,
            })
        })
        .collect();
    // Per check: pass / skipped / fail, genuine and forged.
    let mut per: BTreeMap<(bool, String), [usize; 3]> = BTreeMap::new();
    for o in &outcomes {
        for (id, st, _) in &o.statuses {
            let c = per.entry((o.genuine, id.clone())).or_default();
            match st {
                Status::Pass => c[0] += 1,
                Status::Fail | Status::Warn => c[2] += 1,
                _ => c[1] += 1,
            }
        }
    }
    println!("{:8} {:22} {:>6} {:>6} {:>6}", "truth", "check", "pass", "skip", "flag");
    for ((genuine, id), c) in &per {
        println!("{:8} {:22} {:6} {:6} {:6}", if *genuine { "genuine" } else { "forged" }, id, c[0], c[1], c[2]);
    }
    let flagged = |o: &Outcome| o.statuses.iter().any(|(_, s, _)| *s == Status::Fail);
    println!("\n{:14} {:>18} {:>22}", "condition", "genuine viz fail", "recomputed viz fail");
    for condition in Condition::EVERY {
        let of = |g: bool| outcomes.iter().filter(|o| o.condition == condition && o.genuine == g).collect::<Vec<_>>();
        let (g, f) = (of(true), of(false));
        let pct = |v: &[&Outcome]| 100.0 * v.iter().filter(|o| flagged(o)).count() as f64 / v.len().max(1) as f64;
        println!("{:14} {:>17.1}% {:>21.1}%", condition.name(), pct(&g), pct(&f));
    }
    let mut by_field: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for o in outcomes.iter().filter(|o| !o.genuine) {
        let e = by_field.entry(o.field.clone().unwrap_or_default()).or_default();
        e.0 += 1;
        e.1 += usize::from(flagged(o));
    }
    for (field, (n, k)) in &by_field {
        println!("recomputed {field:12}: {k}/{n} flagged by a viz fail");
    }
    let mut ms: Vec<f64> = outcomes.iter().map(|o| o.viz_ms).collect();
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms.get(((ms.len().saturating_sub(1)) as f64 * p) as usize).copied().unwrap_or(0.0);
    println!("viz reading: median {:.1} ms, p90 {:.1} ms", q(0.5), q(0.9));
    if args.verbose {
        for o in &outcomes {
            let bad = if o.genuine { flagged(o) } else { !flagged(o) };
            if bad {
                println!(
                    "{} {} {} index {} {}: {:?}",
                    if o.genuine { "FALSE ALARM" } else { "MISSED" },
                    o.format,
                    o.condition.name(),
                    o.index,
                    o.field.clone().unwrap_or_default(),
                    o.statuses
                        .iter()
                        .filter(|s| s.1 != Status::Pass)
                        .map(|s| format!("{} {}: {}", s.0, s.1.name(), s.2))
                        .collect::<Vec<_>>()
                );
            }
        }
    }
    ExitCode::SUCCESS
}
