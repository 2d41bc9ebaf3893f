//! `vizeval`: measures the `viz` family on generated documents: genuine ones
//! (every `viz.*` fail is a false alarm) and the forgeries the visual zone
//! exposes (`mrz_recomputed`: an MRZ field edited, its check digits
//! recomputed, the page left alone; `viz_altered`: a printed value patched,
//! the MRZ left alone), by format and capture condition, with each check's
//! pass/skip/fail counts, how often each value is found under its caption
//! and read right on genuine pages, and the time spent reading the lines.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin vizeval -- --seed 80000 --per-cell 10
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::viz::{VizKey, dates_in};
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
    forgery: Option<Forgery>,
    /// Per value found under its caption: (key, read right).
    read: Vec<(&'static str, bool)>,
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
                jobs.push((condition, format, Truth::Forged(Forgery::VizAltered), index + 7_000));
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
            let v = &s.label.viz;
            let truth_of = |key: VizKey| -> String {
                let printed = match key {
                    VizKey::DocumentNumber => return v.document_number.clone(),
                    VizKey::Surname => return v.surname.to_uppercase(),
                    VizKey::GivenNames => return v.given_names.to_uppercase(),
                    VizKey::BirthDate => &v.birth_date,
                    VizKey::IssueDate => &v.issue_date,
                    VizKey::ExpiryDate => &v.expiry_date,
                    _ => return String::new(),
                };
                dates_in(printed).first().map(|d| d.0.clone()).unwrap_or_default()
            };
            let read = doc
                .viz()
                .map(|z| {
                    z.values
                        .iter()
                        .filter(|f| !matches!(f.key, VizKey::Sex | VizKey::Nationality))
                        .map(|f| (f.key.name(), f.value == truth_of(f.key)))
                        .collect()
                })
                .unwrap_or_default();
            Some(Outcome {
                format,
                condition,
                genuine: truth == Truth::Genuine,
                forgery: if let Truth::Forged(f) = truth { Some(f) } else { None },
                read,
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
    // Flagged: a viz finding failed or warned (verdict fail or refer).
    let flagged = |o: &Outcome| o.statuses.iter().any(|(_, s, _)| matches!(s, Status::Fail | Status::Warn));
    println!("\n{:14} {:>17} {:>20} {:>20}", "condition", "genuine flagged", "mrz_recomputed", "viz_altered");
    let truths = [None, Some(Forgery::MrzRecomputed), Some(Forgery::VizAltered)];
    let pct = |v: &[&Outcome]| 100.0 * v.iter().filter(|o| flagged(o)).count() as f64 / v.len().max(1) as f64;
    for condition in Condition::EVERY {
        let of = |t: Option<Forgery>| {
            outcomes.iter().filter(|o| o.condition == condition && o.forgery == t).collect::<Vec<_>>()
        };
        println!(
            "{:14} {:>16.1}% {:>19.1}% {:>19.1}%",
            condition.name(),
            pct(&of(truths[0])),
            pct(&of(truths[1])),
            pct(&of(truths[2]))
        );
    }
    let all = |t: Option<Forgery>| outcomes.iter().filter(|o| o.forgery == t).collect::<Vec<_>>();
    println!(
        "{:14} {:>16.1}% {:>19.1}% {:>19.1}%",
        "all",
        pct(&all(truths[0])),
        pct(&all(truths[1])),
        pct(&all(truths[2]))
    );
    let mut by_field: BTreeMap<(&str, String), (usize, usize)> = BTreeMap::new();
    for o in outcomes.iter().filter(|o| !o.genuine) {
        let name = o.forgery.map_or("", Forgery::name);
        let e = by_field.entry((name, o.field.clone().unwrap_or_default())).or_default();
        e.0 += 1;
        e.1 += usize::from(flagged(o));
    }
    for ((forgery, field), (n, k)) in &by_field {
        println!("{forgery} {field:16}: {k}/{n} flagged by a viz fail or warning");
    }
    // Values read on genuine pages: found under their caption, and right.
    let mut read: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    let genuine = outcomes.iter().filter(|o| o.genuine).count().max(1);
    for o in outcomes.iter().filter(|o| o.genuine) {
        for (key, right) in &o.read {
            for c in [o.condition.name(), "all"] {
                let e = read.entry((key, c)).or_default();
                e.0 += 1;
                e.1 += usize::from(*right);
            }
        }
    }
    println!("\nvalue read under its caption on genuine pages (found % of pages, right % of found):");
    for ((key, c), (n, k)) in &read {
        let pages = if *c == "all" { genuine } else { genuine / Condition::EVERY.len() };
        println!(
            "  {key:16} {c:14} found {:5.1}%  right {:5.1}%",
            100.0 * *n as f64 / pages.max(1) as f64,
            100.0 * *k as f64 / (*n).max(1) as f64
        );
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
                    if o.genuine {
                        "FALSE ALARM"
                    } else if o.forgery == Some(Forgery::VizAltered) {
                        "MISSED viz_altered"
                    } else {
                        "MISSED"
                    },
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
