//! `bandeval`: measures the `ir` and `uv` families on generated documents
//! with companions: genuine ones (every `ir`/`uv` fail is a false alarm),
//! MRZs printed in an ink that vanishes in infrared (`mrz_ir_invisible`) and
//! paper that glows under ultraviolet (`paper_uv_glow`), by capture
//! condition; the registration's error against the generator's known
//! misregistration; the measurements' spread; and the families' time.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin bandeval -- --seed 60000 --per-cell 10
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Band, Config, Scan, Status, Verdict, Verifier};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    seed: u64,
    /// Documents per format, condition and truth.
    #[arg(long, default_value_t = 10)]
    per_cell: u64,
    /// Print each false alarm and each miss.
    #[arg(long)]
    verbose: bool,
    /// Write the visible and IR images of each registration off by more
    /// than 3 px to this folder.
    #[arg(long)]
    dump: Option<std::path::PathBuf>,
}

struct Outcome {
    condition: Condition,
    forgery: Option<Forgery>,
    /// Judged (not `unreadable`).
    read: bool,
    findings: Vec<(String, Status, f64, String)>,
    /// Registration error of the IR band, in visible pixels, and its score.
    reg_error: Option<(f32, f32)>,
    ms: f64,
    index: u64,
    format: Format,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let reference = Date::new(2026, 6, 1).unwrap_or(Date::EPOCH);
    let (Ok(generator), Ok(verifier)) = (
        Generator::new(CorpusOptions::default().bands(true).reference(reference)),
        Verifier::new(Config::default().reference_date(reference)),
    ) else {
        eprintln!("bandeval: fonts or models failed to load");
        return ExitCode::from(2);
    };
    let truths = [None, Some(Forgery::MrzIrInvisible), Some(Forgery::PaperUvGlow)];
    let mut jobs = Vec::new();
    for (ci, condition) in Condition::EVERY.into_iter().enumerate() {
        for (fi, format) in Format::ALL.into_iter().enumerate() {
            for k in 0..args.per_cell {
                let index = (ci as u64 * 100 + fi as u64) * 10_000 + k;
                for (ti, t) in truths.into_iter().enumerate() {
                    jobs.push((condition, format, t, index + ti as u64 * 3_000));
                }
            }
        }
    }
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .filter_map(|&(condition, format, forgery, index)| {
            let truth = forgery.map_or(Truth::Genuine, Truth::Forged);
            let s = generator.render(args.seed, index, format, truth, condition).ok()?;
            let mut scan = Scan::from_bytes(s.label.file.as_str(), s.visible.as_slice());
            if let Some(ir) = &s.ir {
                scan = scan.with_ir(ir.as_slice());
            }
            if let Some(uv) = &s.uv {
                scan = scan.with_uv(uv.as_slice());
            }
            let doc = verifier.read(&scan);
            let report = verifier.judge(&doc);
            let findings = report
                .findings
                .iter()
                .filter(|f| matches!(f.family(), "ir" | "uv"))
                .map(|f| {
                    (
                        f.check.clone(),
                        f.status,
                        match f.evidence.measured {
                            Some(mrtd_verify::Value::Number(n)) => n,
                            _ => f64::NAN,
                        },
                        f.message.clone(),
                    )
                })
                .collect();
            let mut findings: Vec<(String, Status, f64, String)> = findings;
            for c in report
                .checks
                .iter()
                .filter(|c| matches!(c.family.as_str(), "ir" | "uv") && c.status != mrtd_verify::RunStatus::Ran)
            {
                findings.push((c.family.clone(), Status::Skipped, f64::NAN, c.message.clone()));
            }
            let ms = doc.timings().register
                + report.checks.iter().filter(|c| matches!(c.family.as_str(), "ir" | "uv")).map(|c| c.ms).sum::<f64>();
            let reg_error = match (doc.registration(Band::Ir), s.label.capture.bands) {
                (Some(r), Some(b)) => {
                    let (dx, dy) = r.shift_px();
                    Some((((dx - b.shift_px.0 as f32).powi(2) + (dy - b.shift_px.1 as f32).powi(2)).sqrt(), r.score))
                }
                _ => None,
            };
            if let Some(dir) = &args.dump
                && reg_error.is_none_or(|e| e.0 > 3.0)
            {
                let stem = dir.join(format!("{}-{index}", s.label.format));
                let _ = std::fs::create_dir_all(dir);
                let _ = std::fs::write(stem.with_extension(s.visible_ext), &s.visible);
                if let Some(ir) = &s.ir {
                    let _ = std::fs::write(stem.with_extension("ir.png"), ir);
                }
            }
            Some(Outcome {
                condition,
                forgery,
                read: report.verdict != Verdict::Unreadable,
                findings,
                reg_error,
                ms,
                index,
                format,
            })
        })
        .collect();

    let flagged = |o: &Outcome| o.findings.iter().any(|f| f.1 == Status::Fail);
    let warned = |o: &Outcome| o.findings.iter().any(|f| f.1 == Status::Warn);
    println!(
        "{:14} {:>8} {:>16} {:>16} {:>16} {:>16}",
        "condition", "judged", "genuine fail", "genuine warn", "ir_invisible", "uv_glow"
    );
    let pct = |v: &[&Outcome], f: &dyn Fn(&Outcome) -> bool| {
        100.0 * v.iter().filter(|o| f(o)).count() as f64 / v.len().max(1) as f64
    };
    let row = |name: &str, keep: &dyn Fn(&Outcome) -> bool| {
        let of = |t: Option<Forgery>| outcomes.iter().filter(|o| keep(o) && o.forgery == t).collect::<Vec<_>>();
        let all: Vec<&Outcome> = outcomes.iter().filter(|o| keep(o)).collect();
        println!(
            "{:14} {:>7.1}% {:>15.1}% {:>15.1}% {:>15.1}% {:>15.1}%",
            name,
            pct(&all, &|o| o.read),
            pct(&of(None), &flagged),
            pct(&of(None), &warned),
            pct(&of(truths[1]), &flagged),
            pct(&of(truths[2]), &flagged)
        );
    };
    for c in Condition::EVERY {
        row(c.name(), &|o| o.condition == c);
    }
    row("all", &|_| true);
    row("all judged", &|o| o.read);

    // Measurements by truth and check.
    let mut spread: BTreeMap<(String, &str), Vec<f64>> = BTreeMap::new();
    for o in &outcomes {
        for (id, _, m, _) in &o.findings {
            if m.is_finite() {
                spread.entry((id.clone(), o.forgery.map_or("genuine", Forgery::name))).or_default().push(*m);
            }
        }
    }
    println!("\nmeasured (min / p1 / p5 / median / p95 / p99 / max):");
    for ((id, truth), v) in &mut spread {
        v.sort_by(f64::total_cmp);
        let q = |p: f64| v.get(((v.len() - 1) as f64 * p).round() as usize).copied().unwrap_or(f64::NAN);
        println!(
            "  {id:12} {truth:18} n={:4} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2}",
            v.len(),
            q(0.0),
            q(0.01),
            q(0.05),
            q(0.5),
            q(0.95),
            q(0.99),
            q(1.0)
        );
    }
    let mut errs: Vec<f32> = outcomes.iter().filter_map(|o| o.reg_error.map(|e| e.0)).collect();
    let mut scores: Vec<f32> = outcomes.iter().filter_map(|o| o.reg_error.map(|e| e.1)).collect();
    errs.sort_by(f32::total_cmp);
    scores.sort_by(f32::total_cmp);
    let q = |v: &[f32], p: f64| v.get(((v.len().saturating_sub(1)) as f64 * p) as usize).copied().unwrap_or(f32::NAN);
    println!(
        "\nIR registration error (visible px): median {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}; score min {:.2}, p5 {:.2}, median {:.2}",
        q(&errs, 0.5),
        q(&errs, 0.9),
        q(&errs, 0.99),
        q(&errs, 1.0),
        q(&scores, 0.0),
        q(&scores, 0.05),
        q(&scores, 0.5)
    );
    let mut ms: Vec<f64> = outcomes.iter().map(|o| o.ms).collect();
    ms.sort_by(f64::total_cmp);
    let qm = |p: f64| ms.get(((ms.len().saturating_sub(1)) as f64 * p) as usize).copied().unwrap_or(0.0);
    println!("registration + ir + uv families: median {:.1} ms, p90 {:.1} ms", qm(0.5), qm(0.9));
    if args.verbose {
        for o in &outcomes {
            if let Some((e, score)) = o.reg_error.filter(|e| e.0 > 3.0) {
                println!(
                    "REGISTRATION {} {} {} index {}: error {e:.1} px, score {score:.2}",
                    o.forgery.map_or("genuine", Forgery::name),
                    o.format,
                    o.condition.name(),
                    o.index
                );
            }
        }
        for o in &outcomes {
            let bad = if o.forgery.is_none() { flagged(o) || warned(o) } else { !flagged(o) };
            if bad {
                println!(
                    "{} {} {} index {}: {:?}",
                    o.forgery.map_or("FALSE ALARM", |_| "MISSED"),
                    o.format,
                    o.condition.name(),
                    o.index,
                    o.findings
                        .iter()
                        .filter(|f| f.1 != Status::Pass)
                        .map(|f| format!("{} {}: {}", f.0, f.1.name(), f.3))
                        .collect::<Vec<_>>()
                );
            }
        }
    }
    ExitCode::SUCCESS
}
