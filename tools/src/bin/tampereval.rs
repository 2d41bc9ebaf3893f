//! `tampereval`: measures `tamper.copy_move` on generated documents, genuine
//! ones (every `warn` or `fail` is a false alarm) and ones with a visual-zone
//! digit copied over another, by capture condition: how often each is
//! flagged, whether the pair found is the copy (the destination found
//! overlaps the generator's), the similarity's spread, and the family's time.
//! With `--folder`, it judges every image of a folder instead (genuine
//! documents: every flag is a false alarm) and lists each finding.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin tampereval -- --seed 100000 --per-cell 10
//! cargo run --release -p mrtd-verify-tools --bin tampereval -- --folder ../shared/specimens
//! ```

use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::checks::tamper::{Sampler, copy_move};
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Config, Quad, RunStatus, Scan, Status, Value, Verifier};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    /// The corpus seed (thresholds come from other seeds).
    #[arg(long, default_value_t = 100_000)]
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
    /// Write one line per document (truth, condition, format, index, status,
    /// similarity, whether the pair found is the copy) to this file.
    #[arg(long)]
    tsv: Option<std::path::PathBuf>,
    /// Write each forged page's true copy source and destination, enlarged, to this folder.
    #[arg(long)]
    dump: Option<std::path::PathBuf>,
}

struct Outcome {
    condition: Condition,
    format: Format,
    index: u64,
    forged: bool,
    /// The finding's status and similarity, or why the family did not run.
    status: Option<Status>,
    similarity: f64,
    message: String,
    /// The pair found overlaps the generator's copy (source or destination).
    on_copy: bool,
    ms: f64,
    /// Every pair measured: (similarity, background variance, is the copy).
    pairs: Vec<(f32, f32, bool)>,
}

fn overlaps(a: &Quad, b: &Quad) -> bool {
    let ((ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1)) = (a.bounds(), b.bounds());
    ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1
}

/// The family's finding: (status, similarity, message, (region, source),
/// time in ms); no status when the family did not run.
type Found = (Option<Status>, f64, String, Option<(Quad, Option<Quad>)>, f64);

fn finding(report: &mrtd_verify::Report) -> Found {
    let run = report.checks.iter().find(|c| c.family == "tamper");
    let ms = run.map_or(0.0, |c| c.ms);
    if let Some(c) = run.filter(|c| c.status != RunStatus::Ran) {
        return (None, f64::NAN, c.message.clone(), None, ms);
    }
    match report.findings.iter().find(|f| f.check == "tamper.copy_move") {
        Some(f) => {
            let sim = match f.evidence.measured {
                Some(Value::Number(n)) => n,
                _ => f64::NAN,
            };
            (Some(f.status), sim, f.message.clone(), f.evidence.region.map(|r| (r, f.evidence.source)), ms)
        }
        None => (None, f64::NAN, "no finding".into(), None, ms),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let reference = Date::new(2026, 6, 1).unwrap_or(Date::EPOCH);
    let Ok(verifier) = Verifier::new(Config::default().reference_date(reference)) else {
        eprintln!("tampereval: the models failed to load");
        return ExitCode::from(2);
    };
    if let Some(folder) = &args.folder {
        return judge_folder(&verifier, folder);
    }
    let Ok(generator) = Generator::new(CorpusOptions::default().reference(reference)) else {
        eprintln!("tampereval: the fonts failed to load");
        return ExitCode::from(2);
    };
    let mut jobs = Vec::new();
    for (ci, condition) in Condition::EVERY.into_iter().enumerate() {
        for (fi, format) in Format::ALL.into_iter().enumerate() {
            for k in 0..args.per_cell {
                let index = (ci as u64 * 100 + fi as u64) * 10_000 + k;
                jobs.push((condition, format, false, index));
                jobs.push((condition, format, true, index + 3_000));
            }
        }
    }
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .filter_map(|&(condition, format, forged, index)| {
            let truth = if forged { Truth::Forged(Forgery::CopyMove) } else { Truth::Genuine };
            let s = generator.render(args.seed, index, format, truth, condition).ok()?;
            let doc = verifier.read(&Scan::from_bytes(s.label.file.as_str(), s.visible.as_slice()));
            let report = verifier.judge(&doc);
            let (status, similarity, message, found, ms) = finding(&report);
            if let (Some(dir), Some((dst, Some(src))), Some(page), false) = (&args.dump, found, doc.page(), forged)
                && similarity >= 0.75
            {
                let prefix = format!("{similarity:.3}-{}-{format}-{index}", condition.name());
                dump(dir, page, &prefix, [("gdst", dst), ("gsrc", src)]);
            }
            let on_copy = match (found, s.label.detail.region, s.label.detail.source_region) {
                (Some((dst, src)), Some(t_dst), Some(t_src)) => {
                    let hit = |q: &Quad| overlaps(q, &t_dst) || overlaps(q, &t_src);
                    hit(&dst) && src.is_some_and(|q| hit(&q))
                }
                _ => false,
            };
            let truth_boxes = s.label.detail.region.zip(s.label.detail.source_region);
            if let (Some(dir), Some((d, src)), Some(page)) = (&args.dump, truth_boxes, doc.page()) {
                dump(dir, page, &format!("{}-{format}-{index}", condition.name()), [("dst", d), ("src", src)]);
            }
            let pairs = match (doc.page(), doc.viz()) {
                (Some(page), Some(viz)) => {
                    let survey = copy_move(&Sampler::new(page), viz, 0.0);
                    survey
                        .measures
                        .iter()
                        .map(|&(sim, bg, a, b)| {
                            let copy = truth_boxes.is_some_and(|(d, s)| {
                                (overlaps(&a, &d) && overlaps(&b, &s)) || (overlaps(&a, &s) && overlaps(&b, &d))
                            });
                            if copy && args.verbose {
                                println!("copy pair {} {format} {index}: sim {sim:.3} bg {bg:.1}", condition.name());
                            }
                            (sim, bg, copy)
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
            Some(Outcome { condition, format, index, forged, status, similarity, message, on_copy, ms, pairs })
        })
        .collect();

    let flagged = |o: &Outcome| matches!(o.status, Some(Status::Warn | Status::Fail));
    let failed = |o: &Outcome| matches!(o.status, Some(Status::Fail));
    let judged = |o: &Outcome| matches!(o.status, Some(Status::Pass | Status::Warn | Status::Fail));
    let pct = |v: &[&Outcome], f: &dyn Fn(&Outcome) -> bool| {
        100.0 * v.iter().filter(|o| f(o)).count() as f64 / v.len().max(1) as f64
    };
    println!(
        "{:14} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "condition", "gen judg", "gen warn", "gen fail", "cm judg", "cm flag", "cm fail", "on copy"
    );
    let row = |name: &str, keep: &dyn Fn(&Outcome) -> bool| {
        let genuine: Vec<&Outcome> = outcomes.iter().filter(|o| keep(o) && !o.forged).collect();
        let forged: Vec<&Outcome> = outcomes.iter().filter(|o| keep(o) && o.forged).collect();
        println!(
            "{:14} {:>8.1}% {:>8.1}% {:>8.1}% {:>8.1}% {:>8.1}% {:>8.1}% {:>8.1}%",
            name,
            pct(&genuine, &judged),
            pct(&genuine, &|o| matches!(o.status, Some(Status::Warn))),
            pct(&genuine, &failed),
            pct(&forged, &judged),
            pct(&forged, &flagged),
            pct(&forged, &failed),
            pct(&forged, &|o| flagged(o) && o.on_copy),
        );
    };
    for c in Condition::EVERY {
        row(c.name(), &|o| o.condition == c);
    }
    for f in Format::ALL {
        row(&f.to_string(), &|o| o.format == f);
    }
    row("all", &|_| true);

    for (name, forged) in [("genuine", false), ("copy_move", true)] {
        let mut v: Vec<f64> =
            outcomes.iter().filter(|o| o.forged == forged && o.similarity.is_finite()).map(|o| o.similarity).collect();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| v.get(((v.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(f64::NAN);
        println!(
            "similarity {name:10} n={:4} min {:.3} p1 {:.3} p5 {:.3} p25 {:.3} median {:.3} p75 {:.3} p95 {:.3} p99 {:.3} max {:.3}",
            v.len(),
            q(0.0),
            q(0.01),
            q(0.05),
            q(0.25),
            q(0.5),
            q(0.75),
            q(0.95),
            q(0.99),
            q(1.0)
        );
    }
    for (name, copy) in [("print pairs", false), ("copy pairs", true)] {
        for bg_min in [0.0f32, 4.0, 10.0, 25.0] {
            let mut v: Vec<f32> = outcomes
                .iter()
                .flat_map(|o| o.pairs.iter())
                .filter(|p| p.2 == copy && p.1 >= bg_min)
                .map(|p| p.0)
                .collect();
            v.sort_by(f32::total_cmp);
            let q = |p: f64| v.get(((v.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(f32::NAN);
            println!(
                "{name:12} bg>={bg_min:4} n={:5} p1 {:.3} p5 {:.3} p25 {:.3} median {:.3} p75 {:.3} p95 {:.3} p99 {:.3} p99.9 {:.3} max {:.3}",
                v.len(),
                q(0.01),
                q(0.05),
                q(0.25),
                q(0.5),
                q(0.75),
                q(0.95),
                q(0.99),
                q(0.999),
                q(1.0)
            );
        }
    }
    let found = outcomes.iter().filter(|o| o.forged && o.pairs.iter().any(|p| p.2)).count();
    println!("copy pair measured on {found} of {} forged documents", outcomes.iter().filter(|o| o.forged).count());
    let mut ms: Vec<f64> = outcomes.iter().map(|o| o.ms).collect();
    ms.sort_by(f64::total_cmp);
    let qm = |p: f64| ms.get(((ms.len().saturating_sub(1)) as f64 * p) as usize).copied().unwrap_or(0.0);
    println!("tamper family: median {:.1} ms, p90 {:.1} ms (parallel run, not one core)", qm(0.5), qm(0.9));
    if args.verbose {
        for o in &outcomes {
            if o.forged != flagged(o) {
                println!(
                    "{} {} {} {} {:?} {:.3} {}: {}",
                    if o.forged { "missed" } else { "false alarm" },
                    o.condition.name(),
                    o.format,
                    o.index,
                    o.status.map(Status::name),
                    o.similarity,
                    if o.on_copy { "on copy" } else { "elsewhere" },
                    o.message
                );
            }
        }
    }
    if let Some(path) = &args.tsv {
        let text: String = outcomes
            .iter()
            .map(|o| {
                format!(
                    "{}\t{}\t{}\t{}\t{}\t{:.4}\t{}\n",
                    if o.forged { "copy_move" } else { "genuine" },
                    o.condition.name(),
                    o.format,
                    o.index,
                    o.status.map_or("not_run", Status::name),
                    o.similarity,
                    o.on_copy
                )
            })
            .collect();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("tampereval: writing {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// Writes each region of `page`, with 8 pixels around and enlarged 8 times,
/// to `dir` as `{prefix}-{name}.png`.
fn dump(dir: &std::path::Path, page: &mrtd_verify::scan::Page, prefix: &str, regions: [(&str, Quad); 2]) {
    use mrtd_verify::image::{DynamicImage, imageops};
    let g = page.colour().cloned().unwrap_or_else(|| DynamicImage::ImageLuma8(page.grey().clone()).to_rgb8());
    let _ = std::fs::create_dir_all(dir);
    for (name, q) in regions {
        let (x0, y0, x1, y1) = q.bounds();
        let (x0, y0) = ((x0 - 8.0).max(0.0) as u32, (y0 - 8.0).max(0.0) as u32);
        let (w, h) = ((x1 - x0 as f32 + 8.0) as u32, (y1 - y0 as f32 + 8.0) as u32);
        let crop = imageops::crop_imm(&g, x0, y0, w, h).to_image();
        let big = imageops::resize(&crop, w * 8, h * 8, imageops::FilterType::Nearest);
        let _ = big.save(dir.join(format!("{prefix}-{name}.png")));
    }
}

fn judge_folder(verifier: &Verifier, folder: &std::path::Path) -> ExitCode {
    let mut files = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                matches!(x.to_ascii_lowercase().as_str(), "jpg" | "jpeg" | "png" | "tif" | "tiff" | "bmp" | "webp")
            }) {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut ran, mut flagged) = (0, 0);
    for p in &files {
        let Ok(bytes) = std::fs::read(p) else { continue };
        let name = p.strip_prefix(folder).unwrap_or(p).display().to_string();
        let report = verifier.judge(&verifier.read(&Scan::from_bytes(name.as_str(), bytes.as_slice())));
        let (status, sim, message, _, ms) = finding(&report);
        ran += usize::from(status.is_some_and(|s| s != Status::Skipped));
        flagged += usize::from(matches!(status, Some(Status::Warn | Status::Fail)));
        println!(
            "{}\t{}\t{sim:.3}\t{ms:.1} ms\t{message}",
            p.strip_prefix(folder).unwrap_or(p).display(),
            status.map_or("not run", Status::name)
        );
    }
    println!("{} images: tamper.copy_move judged {ran}, flagged {flagged}", files.len());
    ExitCode::SUCCESS
}
