//! `photoeval`: measures the `photo` family on generated documents, genuine
//! ones (every `photo` fail is a false alarm) and ones whose portrait was
//! substituted (hard paste and feathered, colour-matched edges), by capture
//! condition; how well the locator finds the portrait (overlap with the
//! generator's known rectangle); the measurements' spread; and the family's
//! time. With `--folder`, it judges every image of a folder instead (the real
//! specimens: only genuine documents, so every `fail` is a false alarm) and
//! lists each finding that is not a `pass`.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin photoeval -- --seed 70000 --per-cell 10
//! cargo run --release -p mrtd-verify-tools --bin photoeval -- --folder ../shared/specimens
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Config, Quad, RunStatus, Scan, Status, Value, Verifier};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    /// The corpus seed (unseen by the calibration: thresholds come from
    /// other seeds).
    #[arg(long, default_value_t = 70_000)]
    seed: u64,
    /// Documents per format, condition and truth.
    #[arg(long, default_value_t = 10)]
    per_cell: u64,
    /// Judge the images of this folder (recursively) instead.
    #[arg(long)]
    folder: Option<std::path::PathBuf>,
    /// Print each false alarm and each miss.
    #[arg(long)]
    verbose: bool,
    /// Write each page whose portrait was not found (overlap under 0.7) to
    /// this folder, the rectangle found in red and the true one in green.
    #[arg(long)]
    dump: Option<std::path::PathBuf>,
    /// Write one line per document to this file (tab-separated values: truth,
    /// paste style, condition, format, index, overlap, then each `photo`
    /// finding as id, status, measured and what it was compared with), to
    /// study the measures' spread.
    #[arg(long)]
    tsv: Option<std::path::PathBuf>,
}

/// A finding: (id, status, measured, message, what it was compared with).
type Row = (String, Status, f64, String, String);

struct Outcome {
    condition: Condition,
    forgery: Option<Forgery>,
    style: Option<String>,
    /// `photo` findings: (id, status, measured, message).
    findings: Vec<Row>,
    /// Why the family did not run, if it did not.
    skipped: Option<String>,
    /// Overlap of the portrait found with the true one (intersection over
    /// union of their bounding boxes).
    overlap: Option<f32>,
    ms: f64,
    index: u64,
    format: Format,
}

/// Intersection over union of two quadrilaterals' bounding boxes.
fn iou(a: &Quad, b: &Quad) -> f32 {
    let ((ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1)) = (a.bounds(), b.bounds());
    let (ix, iy) = ((ax1.min(bx1) - ax0.max(bx0)).max(0.0), (ay1.min(by1) - ay0.max(by0)).max(0.0));
    let inter = ix * iy;
    inter / ((ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter).max(1.0)
}

fn photo_findings(report: &mrtd_verify::Report) -> (Vec<Row>, Option<String>, f64) {
    let findings = report
        .findings
        .iter()
        .filter(|f| f.family() == "photo")
        .map(|f| {
            let m = match f.evidence.measured {
                Some(Value::Number(n)) => n,
                _ => f64::NAN,
            };
            (
                f.check.clone(),
                f.status,
                m,
                f.message.clone(),
                match &f.evidence.expected {
                    Some(Value::Text(t)) => t.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    Some(_) => String::new(),
                    None => String::new(),
                },
            )
        })
        .collect();
    let run = report.checks.iter().find(|c| c.family == "photo");
    let skipped = run.filter(|c| c.status != RunStatus::Ran).map(|c| c.message.clone());
    (findings, skipped, run.map_or(0.0, |c| c.ms))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let reference = Date::new(2026, 6, 1).unwrap_or(Date::EPOCH);
    let Ok(verifier) = Verifier::new(Config::default().reference_date(reference)) else {
        eprintln!("photoeval: the models failed to load");
        return ExitCode::from(2);
    };
    if let Some(folder) = &args.folder {
        return judge_folder(&verifier, folder);
    }
    let Ok(generator) = Generator::new(CorpusOptions::default().reference(reference)) else {
        eprintln!("photoeval: the fonts failed to load");
        return ExitCode::from(2);
    };
    let truths = [None, Some(Forgery::PortraitSubstituted)];
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
            let doc = verifier.read(&Scan::from_bytes(s.label.file.as_str(), s.visible.as_slice()));
            let report = verifier.judge(&doc);
            let (findings, skipped, ms) = photo_findings(&report);
            let overlap = report
                .findings
                .iter()
                .find(|f| f.check == "photo.portrait")
                .and_then(|f| f.evidence.region)
                .map(|q| iou(&q, &s.label.portrait_quad));
            if let Some(dir) = &args.dump
                && overlap.is_none_or(|v| v < 0.7)
                && let Some(page) = doc.page().and_then(|p| p.colour())
            {
                let mut img = page.clone();
                let found =
                    report.findings.iter().find(|f| f.check == "photo.portrait").and_then(|f| f.evidence.region);
                for (q, colour) in [(Some(s.label.portrait_quad), [0, 200, 0]), (found, [230, 0, 0])] {
                    let Some(q) = q else { continue };
                    let [c0, c1, c2, c3] = q.corners;
                    for (a, b) in [(c0, c1), (c1, c2), (c2, c3), (c3, c0)] {
                        for t in 0..=400 {
                            let t = t as f32 / 400.0;
                            let (x, y) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
                            for d in 0..3 {
                                if let Some(p) = img.get_pixel_mut_checked((x as u32).saturating_add(d), y as u32) {
                                    *p = mrtd_verify::image::Rgb(colour);
                                }
                            }
                        }
                    }
                }
                let _ = std::fs::create_dir_all(dir);
                let _ = img.save(dir.join(format!("{}-{}-{index}.png", format, condition.name())));
            }
            Some(Outcome {
                condition,
                forgery,
                style: s.label.detail.style.clone(),
                findings,
                skipped,
                overlap,
                ms,
                index,
                format,
            })
        })
        .collect();

    let failed = |o: &Outcome| o.findings.iter().any(|f| f.1 == Status::Fail);
    let warned = |o: &Outcome| o.findings.iter().any(|f| f.1 == Status::Warn);
    // A forgery is caught when the family refers or fails the document.
    let flagged = |o: &Outcome| failed(o) || warned(o);
    let found = |o: &Outcome| o.overlap.is_some_and(|v| v >= 0.7);
    println!(
        "{:14} {:>10} {:>14} {:>14} {:>12} {:>12}",
        "condition", "located", "genuine fail", "genuine warn", "hard paste", "feathered"
    );
    let pct = |v: &[&Outcome], f: &dyn Fn(&Outcome) -> bool| {
        100.0 * v.iter().filter(|o| f(o)).count() as f64 / v.len().max(1) as f64
    };
    let row = |name: &str, keep: &dyn Fn(&Outcome) -> bool| {
        let all: Vec<&Outcome> = outcomes.iter().filter(|o| keep(o)).collect();
        let genuine: Vec<&Outcome> = all.iter().copied().filter(|o| o.forgery.is_none()).collect();
        let style = |s: &str| -> Vec<&Outcome> {
            all.iter().copied().filter(|o| o.forgery.is_some() && o.style.as_deref().unwrap_or("hard") == s).collect()
        };
        println!(
            "{:14} {:>9.1}% {:>13.1}% {:>13.1}% {:>11.1}% {:>11.1}%",
            name,
            pct(&all, &found),
            pct(&genuine, &failed),
            pct(&genuine, &warned),
            pct(&style("hard"), &flagged),
            pct(&style("feathered"), &flagged)
        );
    };
    for c in Condition::EVERY {
        row(c.name(), &|o| o.condition == c);
    }
    for f in Format::ALL {
        row(&f.to_string(), &|o| o.format == f);
    }
    row("all", &|_| true);

    let mut spread: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for o in &outcomes {
        let truth = match o.forgery {
            None => "genuine".to_owned(),
            Some(_) => o.style.clone().unwrap_or_else(|| "hard".into()),
        };
        for (id, status, m, _, _) in &o.findings {
            // A skipped check's measure is not its statistic (photo.noise
            // skipped reports the page's noise).
            if m.is_finite() && *status != Status::Skipped {
                spread.entry((id.clone(), truth.clone())).or_default().push(*m);
            }
        }
        if let Some(v) = o.overlap {
            spread.entry(("overlap".into(), truth.clone())).or_default().push(f64::from(v));
        }
    }
    println!("\nmeasured (min / p1 / p5 / median / p95 / p99 / max):");
    for ((id, truth), v) in &mut spread {
        v.sort_by(f64::total_cmp);
        let q = |p: f64| v.get(((v.len() - 1) as f64 * p).round() as usize).copied().unwrap_or(f64::NAN);
        println!(
            "  {id:18} {truth:10} n={:4} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2}",
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
    let mut ms: Vec<f64> = outcomes.iter().map(|o| o.ms).collect();
    ms.sort_by(f64::total_cmp);
    let qm = |p: f64| ms.get(((ms.len().saturating_sub(1)) as f64 * p) as usize).copied().unwrap_or(0.0);
    println!("photo family: median {:.1} ms, p90 {:.1} ms (parallel run, not one core)", qm(0.5), qm(0.9));
    if let Some(path) = &args.tsv {
        let mut text = String::new();
        for o in &outcomes {
            let truth = o.forgery.map_or("genuine", |f| f.name());
            let mut line = format!(
                "{truth}\t{}\t{}\t{}\t{}\t{}",
                o.style.as_deref().unwrap_or("-"),
                o.condition.name(),
                o.format,
                o.index,
                o.overlap.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
            );
            for (id, status, m, _, expected) in &o.findings {
                line.push_str(&format!("\t{id}\t{}\t{m:.4}\t{expected}", status.name()));
            }
            text.push_str(&line);
            text.push('\n');
        }
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("photoeval: writing {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if args.verbose {
        for o in &outcomes {
            let bad = if o.forgery.is_none() { flagged(o) || warned(o) } else { !flagged(o) };
            if bad || !found(o) {
                println!(
                    "{} {} {} index {}: overlap {:?} skipped {:?} {:?}",
                    if !bad {
                        "LOCATOR"
                    } else if o.forgery.is_none() {
                        "FALSE ALARM"
                    } else {
                        "MISSED"
                    },
                    o.format,
                    o.condition.name(),
                    o.index,
                    o.overlap,
                    o.skipped,
                    o.findings.iter().map(|f| format!("{} {} {:.2}", f.0, f.1.name(), f.2)).collect::<Vec<_>>()
                );
            }
        }
    }
    ExitCode::SUCCESS
}

/// Judges every image below `folder` (genuine documents): the `photo`
/// findings that are not a `pass`, and a count.
fn judge_folder(verifier: &Verifier, folder: &std::path::Path) -> ExitCode {
    let mut files = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| {
                matches!(x.to_string_lossy().to_lowercase().as_str(), "png" | "jpg" | "jpeg" | "tif" | "tiff" | "webp")
            }) {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut fails, mut warns, mut skipped, mut located) = (0, 0, 0, 0);
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else { continue };
        let name = f.strip_prefix(folder).unwrap_or(f).display().to_string();
        let report = verifier.judge(&verifier.read(&Scan::from_bytes(name.as_str(), bytes.as_slice())));
        let (findings, skip, ms) = photo_findings(&report);
        if let Some(why) = skip {
            skipped += 1;
            println!("{name}: skipped ({why})");
            continue;
        }
        located += 1;
        fails += usize::from(findings.iter().any(|x| x.1 == Status::Fail));
        warns += usize::from(findings.iter().any(|x| x.1 == Status::Warn));
        println!(
            "{name}: {ms:.1} ms {}",
            findings.iter().map(|x| format!("{} {} {:.2}", x.0, x.1.name(), x.2)).collect::<Vec<_>>().join(", ")
        );
        for x in findings.iter().filter(|x| matches!(x.1, Status::Fail | Status::Warn)) {
            println!("    {} {}: {}", x.0, x.1.name(), x.3);
        }
    }
    println!(
        "\n{} images: photo ran on {located}, skipped on {skipped}; {fails} with a fail, {warns} with a warn",
        files.len()
    );
    ExitCode::SUCCESS
}
