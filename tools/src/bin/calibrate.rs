//! `calibrate`: sets the print checks' thresholds on genuine documents and
//! measures detection on forged ones the thresholds never saw.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin calibrate -- --seed 40000 --eval-seed 50000 --per-cell 20 --out target/calibration
//! ```
//!
//! 1. Calibration: `per-cell` genuine documents per format and capture
//!    condition (stamped included) from `--seed`, read by the crate; each
//!    print check's statistic on each. A threshold is set for an operating
//!    point of at most `--budget` of genuine documents flagged over all the
//!    checks together (the budget is split evenly between them), with a
//!    margin of `--margin` beyond the genuine quantile.
//! 2. Evaluation, from `--eval-seed` (never used for calibration): genuine
//!    documents and each forgery type, every condition, judged by the whole
//!    verifier with the calibrated thresholds. The table gives, per forgery
//!    type and condition, the share flagged (`refer` or `fail`) and
//!    `unreadable` (the rest passed); and the genuine documents flagged.
//! 3. Each check's ROC curve (genuine from the calibration set against its
//!    target forgery from the evaluation set) as a PNG in `--out`, and the
//!    thresholds as `thresholds.json`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::checks::print::measure::measure;
use mrtd_verify::checks::print::templates::Templates;
use mrtd_verify::checks::print::{Statistics, combined_scan};
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Config, Scan, Thresholds, Verdict, Verifier};
use plotters::prelude::*;
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    /// Seed of the calibration documents (genuine only).
    #[arg(long, default_value_t = 40_000)]
    seed: u64,
    /// Seed of the evaluation documents (never used to set a threshold).
    #[arg(long, default_value_t = 50_000)]
    eval_seed: u64,
    /// Documents per format and condition, in each set and for each truth.
    #[arg(long, default_value_t = 20)]
    per_cell: u64,
    /// Documents per format and condition in the evaluation (default: as
    /// `per-cell`).
    #[arg(long)]
    eval_per_cell: Option<u64>,
    /// Share of genuine documents the print checks may flag together.
    #[arg(long, default_value_t = 0.01)]
    budget: f64,
    /// Margin beyond the genuine quantile, as a fraction of it.
    #[arg(long, default_value_t = 0.1)]
    margin: f32,
    /// Where the ROC curves and thresholds go.
    #[arg(long, default_value = "target/calibration")]
    out: PathBuf,
    /// Also write every document's statistics as CSV lines to this file
    /// (set, truth, condition, format, index, verdict, the four statistics,
    /// the findings that did not pass).
    #[arg(long)]
    dump: Option<PathBuf>,
    /// Skip the calibration: judge the evaluation documents with the default
    /// thresholds (no ROC curves, no thresholds written).
    #[arg(long)]
    eval_only: bool,
    /// Evaluate genuine documents only (the false alarms).
    #[arg(long)]
    genuine_only: bool,
    /// Evaluate genuine documents and this forgery only (`mrz_retyped`...).
    #[arg(long)]
    forgery: Option<String>,
    /// Print every genuine evaluation document flagged, with each finding
    /// that did not pass and its message.
    #[arg(long)]
    verbose: bool,
}

/// The print checks calibrated here: id, and whether a high statistic (true)
/// or a low one (false) is suspicious.
const CHECKS: [(&str, bool); 4] =
    [("print.font", false), ("print.best_match", false), ("print.geometry", true), ("print.run", true)];

/// One evaluation document: truth, condition, verdict, statistics, format,
/// index, and the findings that did not pass.
type Evaluated = (Truth, Condition, Verdict, Option<[f32; 4]>, Format, u64, String);

/// One calibration document: condition, format, index, statistics.
type Calibrated = (Condition, Format, u64, [f32; 4]);

/// The forgery each check targets, for its ROC curve.
fn target(check: &str) -> Forgery {
    if check != "print.run" { Forgery::MrzRetyped } else { Forgery::MrzPasted }
}

/// Each check's statistic on one document (`None`: not read, or, with
/// `only_judged`, the print family skipped: too coarse, too blurred, a
/// reading too uncertain with its grid off the glyphs). Where the family
/// judged the glyphs without their reading (a reading too uncertain to
/// compare character by character, its grid on the glyphs), only the
/// best match is what the check used; the other statistics are NaN, so the
/// calibration sees exactly what the checks see.
fn statistics(verifier: &Verifier, bytes: &[u8], t: &Thresholds, only_judged: bool) -> Option<[f32; 4]> {
    let doc = verifier.read(&Scan::from_bytes("c", bytes));
    let report = verifier.judge(&doc);
    let print_ran = report.checks.iter().any(|c| c.family == "print" && c.status == mrtd_verify::RunStatus::Ran);
    if only_judged && !print_ran {
        return None;
    }
    let reading = doc.reading()?;
    let templates = Templates::bundled()?;
    let glyphs = measure(reading, doc.page());
    let s = Statistics::of(&glyphs, templates, t);
    let run = combined_scan(&glyphs, &s).map_or(f32::NAN, |(w, _)| w.z);
    let whole = report.findings.iter().any(|f| f.check == "print.run");
    let font_judged =
        report.findings.iter().any(|f| f.check == "print.font" && f.status != mrtd_verify::Status::Skipped);
    if only_judged {
        let nan = f32::NAN;
        if !whole {
            return Some([nan, if font_judged { s.best_match } else { nan }, nan, nan]);
        }
        if !font_judged {
            return Some([nan, nan, nan, run]);
        }
    }
    Some([s.font, s.best_match, s.geometry, run])
}

/// The documents of a set: (condition, format, index) for each truth.
fn jobs(per_cell: u64) -> Vec<(Condition, Format, u64)> {
    let mut out = Vec::new();
    for (ci, c) in Condition::EVERY.into_iter().enumerate() {
        for (fi, f) in Format::ALL.into_iter().enumerate() {
            for i in 0..per_cell {
                out.push((c, f, (ci as u64 * 100 + fi as u64) * 10_000 + i));
            }
        }
    }
    out
}

fn quantile(v: &mut [f32], q: f64) -> f32 {
    v.sort_by(f32::total_cmp);
    let i = ((v.len().max(1) - 1) as f64 * q).round() as usize;
    v.get(i).copied().unwrap_or(0.0)
}

/// The font the curves' labels are drawn in.
static SANS: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");

fn main() -> ExitCode {
    let args = Args::parse();
    if plotters::style::register_font("sans-serif", plotters::style::FontStyle::Normal, SANS).is_err() {
        eprintln!("calibrate: the label font failed to load");
        return ExitCode::from(2);
    }
    let reference = Date::new(2026, 6, 1).unwrap_or(Date::EPOCH);
    let Ok(generator) = Generator::new(CorpusOptions::default().bands(false).reference(reference)) else {
        eprintln!("calibrate: fonts failed to load");
        return ExitCode::from(2);
    };
    let base = Config::default().reference_date(reference);
    let Ok(verifier) = Verifier::new(base.clone()) else {
        eprintln!("calibrate: the model failed to load");
        return ExitCode::from(2);
    };
    let defaults = Thresholds::default();

    // 1. Calibration on genuine documents.
    let calibration: Vec<Calibrated> = jobs(if args.eval_only { 0 } else { args.per_cell })
        .par_iter()
        .filter_map(|&(c, f, i)| {
            let s = generator.render(args.seed, i, f, Truth::Genuine, c).ok()?;
            Some((c, f, i, statistics(&verifier, &s.visible, &defaults, true)?))
        })
        .collect();
    let genuine: Vec<[f32; 4]> = calibration.iter().map(|r| r.3).collect();
    let per_check = args.budget / CHECKS.len() as f64;
    let mut thresholds = defaults;
    let mut chosen = BTreeMap::new();
    for (k, (id, high)) in CHECKS.iter().enumerate() {
        if args.eval_only {
            break;
        }
        let mut v: Vec<f32> = genuine.iter().filter_map(|s| s.get(k).copied()).filter(|v| v.is_finite()).collect();
        if v.is_empty() {
            eprintln!("calibrate: no genuine document was judged by {id}: no threshold to set");
            return ExitCode::from(2);
        }
        // The margin widens the genuine quantile's distance from the ideal
        // (0 for a deviation, 1 for a similarity).
        let t = if *high {
            quantile(&mut v, 1.0 - per_check) * (1.0 + args.margin)
        } else {
            1.0 - (1.0 - quantile(&mut v, per_check)) * (1.0 + args.margin)
        };
        let t = (t * 1000.0).round() / 1000.0;
        chosen.insert(*id, t);
        match *id {
            "print.font" => thresholds.print_font_min = t,
            "print.best_match" => thresholds.print_best_min = t,
            "print.geometry" => thresholds.print_geometry_max = t,
            _ => thresholds.print_run_z = t,
        }
    }
    if !args.eval_only {
        println!(
            "calibration: {} genuine documents read (seed {}, {} per format and condition)",
            genuine.len(),
            args.seed,
            args.per_cell
        );
        println!();
        println!("| check | threshold | genuine median | genuine worst |");
        println!("|---|---|---|---|");
        for (k, (id, high)) in CHECKS.iter().enumerate() {
            let mut v: Vec<f32> = genuine.iter().filter_map(|s| s.get(k).copied()).filter(|v| v.is_finite()).collect();
            let med = quantile(&mut v, 0.5);
            let worst = if *high { quantile(&mut v, 1.0) } else { quantile(&mut v, 0.0) };
            println!("| `{id}` | {:.3} | {med:.3} | {worst:.3} |", chosen.get(id).copied().unwrap_or(0.0));
        }
        println!();
        for (k, (id, high)) in CHECKS.iter().enumerate() {
            // The three genuine documents nearest the threshold's side, to look at
            // with `inspect`.
            let mut docs: Vec<(f32, &Calibrated)> = calibration
                .iter()
                .filter_map(|r| r.3.get(k).copied().filter(|v| v.is_finite()).map(|v| (if *high { -v } else { v }, r)))
                .collect();
            docs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let worst: Vec<String> =
                docs.iter().take(3).map(|(v, r)| format!("{} {} {} ({:.3})", r.0.name(), r.1, r.2, v.abs())).collect();
            println!("worst genuine on `{id}`: {}", worst.join(", "));
        }
    }

    // 2. Evaluation with the calibrated thresholds, from other seeds.
    let eval_per_cell = args.eval_per_cell.unwrap_or(args.per_cell);
    let mut config = base;
    config.thresholds = thresholds;
    let Ok(judge) = Verifier::new(config) else {
        eprintln!("calibrate: the model failed to load");
        return ExitCode::from(2);
    };
    let truths: Vec<Truth> = std::iter::once(Truth::Genuine)
        .chain(
            [
                Forgery::CheckDigitAltered,
                Forgery::MrzRetyped,
                Forgery::MrzPasted,
                Forgery::CopyMove,
                Forgery::MrzRecomputed,
            ]
            .into_iter()
            .map(Truth::Forged),
        )
        .filter(|t| !args.genuine_only || *t == Truth::Genuine)
        .filter(|t| match (&args.forgery, t) {
            (Some(name), Truth::Forged(f)) => f.name() == name,
            _ => true,
        })
        .collect();
    let eval_meta: Vec<Evaluated> = truths
        .iter()
        .flat_map(|&t| jobs(eval_per_cell).into_iter().map(move |(c, f, i)| (t, c, f, i)))
        .collect::<Vec<_>>()
        .par_iter()
        .filter_map(|&(truth, c, f, i)| {
            let s = generator.render(args.eval_seed, i, f, truth, c).ok()?;
            let report = judge.verify_image("e", &s.visible);
            let stats = statistics(&verifier, &s.visible, &defaults, false);
            let flagged: Vec<String> = report
                .findings
                .iter()
                .filter(|x| !matches!(x.status, mrtd_verify::Status::Pass | mrtd_verify::Status::Skipped))
                .map(|x| match (&x.evidence.expected, x.check.as_str()) {
                    // How many characters the model read unsure.
                    (Some(mrtd_verify::Value::Text(t)), "ocr.confidence") => {
                        format!("ocr.confidence[{}]", t.split(' ').next().unwrap_or(""))
                    }
                    (_, id) => id.to_owned(),
                })
                .collect();
            if args.verbose && truth == Truth::Genuine && matches!(report.verdict, Verdict::Refer | Verdict::Fail) {
                let why: Vec<String> = report
                    .findings
                    .iter()
                    .filter(|x| !matches!(x.status, mrtd_verify::Status::Pass | mrtd_verify::Status::Skipped))
                    .map(|x| format!("\n    {} {}: {}", x.check, x.status.name(), x.message))
                    .collect();
                eprintln!("genuine {} {f} {i} {}:{}", c.name(), report.verdict.name(), why.concat());
            }
            let font =
                s.label.detail.font.as_deref().map(|f| format!("font={}", f.replace(' ', "_"))).unwrap_or_default();
            Some((truth, c, report.verdict, stats, f, i, format!("{} {font}", flagged.join(" "))))
        })
        .collect();
    let eval: Vec<(Truth, Condition, Verdict, Option<[f32; 4]>)> =
        eval_meta.iter().map(|r| (r.0, r.1, r.2, r.3)).collect();
    if let Some(path) = &args.dump {
        let fmt = |s: Option<[f32; 4]>| s.map_or(",,,".to_owned(), |s| s.map(|v| format!("{v:.4}")).join(","));
        let truth_name = |t: Truth| match t {
            Truth::Forged(f) => f.name().to_owned(),
            _ => "genuine".to_owned(),
        };
        let mut out = String::from("set,truth,condition,format,index,verdict,font,best,geometry,run,flagged\n");
        for (c, f, i, s) in &calibration {
            out.push_str(&format!("cal,genuine,{},{f},{i},,{},\n", c.name(), fmt(Some(*s))));
        }
        for (t, c, v, s, f, i, flagged) in &eval_meta {
            out.push_str(&format!("eval,{},{},{f},{i},{},{},{flagged}\n", truth_name(*t), c.name(), v.name(), fmt(*s)));
        }
        if let Err(e) = std::fs::write(path, out) {
            eprintln!("calibrate: {}: {e}", path.display());
        }
    }
    println!();
    println!(
        "evaluation: seed {}, {} per format and condition; flagged = refer or fail",
        args.eval_seed, eval_per_cell
    );
    println!();
    let mut header = String::from("| truth |");
    let mut rule = String::from("|---|");
    for c in Condition::EVERY {
        header.push_str(&format!(" {} |", c.name()));
        rule.push_str("---|");
    }
    header.push_str(" all |");
    rule.push_str("---|");
    println!("{header}\n{rule}");
    for truth in &truths {
        let name = match truth {
            Truth::Genuine => "genuine (flagged)".to_owned(),
            Truth::Forged(f) => format!("{} (flagged / unreadable)", f.name()),
            _ => continue,
        };
        let mut row = format!("| {name} |");
        let cell = |rows: Vec<&(Truth, Condition, Verdict, Option<[f32; 4]>)>| {
            let n = rows.len().max(1) as f64;
            let flagged = rows.iter().filter(|r| matches!(r.2, Verdict::Refer | Verdict::Fail)).count() as f64;
            let unreadable = rows.iter().filter(|r| r.2 == Verdict::Unreadable).count() as f64;
            if *truth == Truth::Genuine {
                format!(" {:.1} % |", 100.0 * flagged / n)
            } else {
                format!(" {:.0} % / {:.0} % |", 100.0 * flagged / n, 100.0 * unreadable / n)
            }
        };
        for c in Condition::EVERY {
            row.push_str(&cell(eval.iter().filter(|r| r.0 == *truth && r.1 == c).collect()));
        }
        row.push_str(&cell(eval.iter().filter(|r| r.0 == *truth).collect()));
        println!("{row}");
    }

    // 3. ROC curves and the thresholds.
    if args.eval_only {
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("calibrate: {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    for (k, (id, high)) in CHECKS.iter().enumerate() {
        let neg: Vec<f32> = genuine.iter().filter_map(|s| s.get(k).copied()).filter(|v| v.is_finite()).collect();
        let pos: Vec<f32> = eval
            .iter()
            .filter(|r| r.0 == Truth::Forged(target(id)))
            .filter_map(|r| r.3.and_then(|s| s.get(k).copied()))
            .filter(|v| v.is_finite())
            .collect();
        let path = args.out.join(format!("roc-{}.png", id.replace('.', "-")));
        if let Err(e) = roc(&path, id, &neg, &pos, *high, chosen.get(id).copied()) {
            eprintln!("calibrate: {}: {e}", path.display());
        }
    }
    let json = serde_json::json!(chosen);
    if let Err(e) = std::fs::write(args.out.join("thresholds.json"), format!("{json}\n")) {
        eprintln!("calibrate: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// The ROC curve of a statistic: true positive rate against false positive
/// rate over every threshold, the chosen one marked.
fn roc(
    path: &std::path::Path,
    id: &str,
    neg: &[f32],
    pos: &[f32],
    high: bool,
    chosen: Option<f32>,
) -> Result<(), Box<dyn std::error::Error>> {
    let flagged = |v: &[f32], t: f32| {
        v.iter().filter(|&&x| if high { x > t } else { x < t }).count() as f64 / v.len().max(1) as f64
    };
    let mut cuts: Vec<f32> = neg.iter().chain(pos).copied().collect();
    cuts.sort_by(f32::total_cmp);
    cuts.dedup();
    let mut points: Vec<(f64, f64)> = cuts.iter().map(|&t| (flagged(neg, t), flagged(pos, t))).collect();
    points.push((0.0, 0.0));
    points.push((1.0, 1.0));
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let root = BitMapBackend::new(path, (640, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{id}: genuine (n={}) vs {} (n={})", neg.len(), target(id).name(), pos.len()),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc("genuine flagged (false positive rate)")
        .y_desc("forged flagged (true positive rate)")
        .draw()?;
    chart.draw_series(LineSeries::new(points, BLUE.stroke_width(2)))?;
    if let Some(t) = chosen {
        chart.draw_series(std::iter::once(Circle::new((flagged(neg, t), flagged(pos, t)), 6, RED.filled())))?;
    }
    root.present()?;
    Ok(())
}
