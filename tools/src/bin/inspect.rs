//! `inspect`: renders one generated document and shows what the crate makes
//! of it: the report as text, the print checks' statistics, and its
//! annotated picture and the page itself in `--out`.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin inspect -- --seed 40000 --index 2030007 --format MRVA --condition quarter_turn
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mrtd_verify::checks::print::measure::measure;
use mrtd_verify::checks::print::templates::Templates;
use mrtd_verify::checks::print::{Statistics, scan};
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Config, Scan, Verifier};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    seed: u64,
    #[arg(long)]
    index: u64,
    /// TD1, TD2, TD3, MRVA, MRVB or FRA_ID.
    #[arg(long)]
    format: String,
    /// A capture condition's name (clean, skew, quarter_turn...).
    #[arg(long, default_value = "clean")]
    condition: String,
    /// A forgery's name (mrz_retyped...); genuine when absent.
    #[arg(long)]
    forgery: Option<String>,
    #[arg(long, default_value = "target/inspect")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let Some(format) = Format::ALL.into_iter().find(|f| f.to_string() == args.format) else {
        eprintln!("inspect: unknown format {}", args.format);
        return ExitCode::from(2);
    };
    let Some(condition) = Condition::EVERY.into_iter().find(|c| c.name() == args.condition) else {
        eprintln!("inspect: unknown condition {}", args.condition);
        return ExitCode::from(2);
    };
    let truth = match &args.forgery {
        None => Truth::Genuine,
        Some(name) => match Forgery::ALL.into_iter().find(|f| f.name() == name) {
            Some(f) => Truth::Forged(f),
            None => {
                eprintln!("inspect: unknown forgery {name}");
                return ExitCode::from(2);
            }
        },
    };
    let reference = Date::new(2026, 6, 1).unwrap_or(Date::EPOCH);
    let (Ok(generator), Ok(verifier)) = (
        Generator::new(CorpusOptions::default().bands(false).reference(reference)),
        Verifier::new(Config::default().reference_date(reference)),
    ) else {
        eprintln!("inspect: fonts or model failed to load");
        return ExitCode::from(2);
    };
    let Ok(s) = generator.render(args.seed, args.index, format, truth, condition) else {
        eprintln!("inspect: rendering failed");
        return ExitCode::from(2);
    };
    let t = std::time::Instant::now();
    let doc = verifier.read(&Scan::from_bytes(s.label.file.as_str(), s.visible.as_slice()));
    let read_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = std::time::Instant::now();
    let report = verifier.judge(&doc);
    let judge_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = std::time::Instant::now();
    let _ = verifier.verify_image("again", &s.visible);
    println!(
        "read {read_ms:.1} ms, judge {judge_ms:.1} ms; verify_image again {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    print!("{report}");
    if let (Some(page), Some(reading)) = (doc.page(), doc.reading()) {
        let [a, b, _, _] = reading.zone.corners;
        let dir = mrtd_verify::Point::new(b.x - a.x, b.y - a.y);
        let t = std::time::Instant::now();
        let imgs: Vec<_> = doc
            .text_lines()
            .iter()
            .filter_map(|l| mrtd_verify::viz::line_image(page.grey(), &l.quad, l.height, dir))
            .collect();
        let crop = t.elapsed().as_secs_f64() * 1e3;
        if let Ok(model) = mrtd_verify::ocr::LineModel::bundled() {
            let refs: Vec<_> = imgs.iter().collect();
            let _ = model.columns(&refs);
            let t = std::time::Instant::now();
            let _ = model.columns(&refs);
            println!(
                "viz: {} lines cut in {crop:.2} ms, read in {:.2} ms ({} px wide in all)",
                imgs.len(),
                t.elapsed().as_secs_f64() * 1e3,
                imgs.iter().map(|i| i.width).sum::<usize>()
            );
        }
    }
    if let Some(viz) = doc.viz() {
        for l in &viz.lines {
            let c = l.centre();
            println!(
                "viz line at ({:.0}, {:.0}) h {:.1}: {:?} min {:.2}",
                c.x,
                c.y,
                l.height,
                l.text,
                l.confidence(0, l.chars.len().saturating_sub(1))
            );
        }
        for v in &viz.values {
            println!("viz value {}: {:?} = {} ({:.2})", v.key.name(), v.text, v.value, v.confidence);
        }
    }
    println!("printed: {:?}", s.label.mrz_lines);
    if let (Some(reading), Some(templates)) = (doc.reading(), Templates::bundled()) {
        let t0 = std::time::Instant::now();
        let glyphs = measure(reading, doc.page());
        let t1 = std::time::Instant::now();
        let st = Statistics::of(&glyphs, templates, &verifier.config().thresholds);
        let t2 = std::time::Instant::now();
        println!("font {:.3} geometry {:.3} ({} glyphs)", st.font, st.geometry, st.font_glyphs);
        println!(
            "measuring the glyphs {:.2} ms, their statistics {:.2} ms; each family: {}",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            report.checks.iter().map(|c| format!("{} {:.2} ms", c.family, c.ms)).collect::<Vec<_>>().join(", ")
        );
        for (name, r) in [("position", &st.position), ("size", &st.size), ("ink", &st.ink), ("shape", &st.shape)] {
            if let Some(w) = scan(&glyphs, r) {
                println!(
                    "{name:9} z {:6.2} measure {} line {} glyphs {}..={} mean {:+.3}",
                    w.z,
                    w.measure,
                    w.line + 1,
                    w.first,
                    w.last,
                    w.mean
                );
            }
        }
    }
    if std::fs::create_dir_all(&args.out).is_ok() {
        let _ = std::fs::write(args.out.join("page.jpg"), &s.visible);
        if let Some(p) = mrtd_verify::explain::annotate(&doc, &report) {
            let _ = p.save(args.out.join("explained.png"));
        }
        if let Some(r) = doc.reading() {
            let _ = r.rectified().image.save(args.out.join("crop.png"));
        }
    }
    ExitCode::SUCCESS
}
