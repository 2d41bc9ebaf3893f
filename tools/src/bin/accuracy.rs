//! `accuracy`: reading accuracy on generated documents the model never saw,
//! by capture condition and format.
//!
//! ```text
//! cargo run --release -p mrtd-verify-tools --bin accuracy -- --seed 900000 --per-cell 20
//! ```
//!
//! For each (condition, format) it renders `per-cell` genuine documents (and,
//! with `--forged`, as many with one checked MRZ character altered and its
//! check digit left as it was), reads them through `Verifier::verify_image`,
//! and compares the MRZ read with the MRZ printed. A second table gives the
//! reading's time beyond decoding per page (median and 90th percentile by
//! condition; run with `RAYON_NUM_THREADS=1` on an idle machine for one-core
//! figures). Genuine documents: exact
//! full-MRZ rate, character error rate, unreadable count, wrong MRZs reported
//! valid (must be zero). Forged documents: the rate read exactly as printed
//! (the forgery then shows as a refuted check digit), and the count reported
//! valid (a forgery missed: must be zero).

use clap::Parser;
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Config, Verdict, Verifier};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    /// Seed of the evaluation documents (the model's data used seeds 21000-26000).
    #[arg(long, default_value_t = 900_000)]
    seed: u64,
    /// Documents per condition and format.
    #[arg(long, default_value_t = 20)]
    per_cell: u64,
    /// Also read documents with an altered check-digit character.
    #[arg(long)]
    forged: bool,
    /// List every document not read exactly on stderr.
    #[arg(long)]
    verbose: bool,
    /// Write the images of documents not read exactly to this folder.
    #[arg(long)]
    dump: Option<std::path::PathBuf>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    docs: u32,
    exact: u32,
    chars: u32,
    char_errors: u32,
    unreadable: u32,
    wrong_valid: u32,
    forged: u32,
    forged_exact: u32,
    forged_valid: u32,
    ms: f64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.docs += o.docs;
        self.exact += o.exact;
        self.chars += o.chars;
        self.char_errors += o.char_errors;
        self.unreadable += o.unreadable;
        self.wrong_valid += o.wrong_valid;
        self.forged += o.forged;
        self.forged_exact += o.forged_exact;
        self.forged_valid += o.forged_valid;
        self.ms += o.ms;
    }

    fn row(&self, name: &str, forged: bool) -> String {
        let pct = |a: u32, b: u32| 100.0 * f64::from(a) / f64::from(b.max(1));
        let mut row = format!(
            "| {name} | {} | {:.1} % | {:.3} % | {} | {} |",
            self.docs,
            pct(self.exact, self.docs),
            100.0 * f64::from(self.char_errors) / f64::from(self.chars.max(1)),
            self.unreadable,
            self.wrong_valid,
        );
        if forged {
            row +=
                &format!(" {} | {:.1} % | {} |", self.forged, pct(self.forged_exact, self.forged), self.forged_valid);
        }
        row + &format!(" {:.0} |", self.ms / f64::from((self.docs + self.forged).max(1)))
    }
}

fn main() {
    let args = Args::parse();
    let reference = Date::new(2026, 6, 1).unwrap_or(Date::EPOCH);
    let Ok(generator) = Generator::new(CorpusOptions::default().bands(false).reference(reference)) else {
        eprintln!("accuracy: fonts failed to load");
        std::process::exit(2);
    };
    let Ok(verifier) = Verifier::new(Config::default().reference_date(reference)) else {
        eprintln!("accuracy: the model failed to load");
        std::process::exit(2);
    };
    let mut jobs = Vec::new();
    for (ci, condition) in Condition::EVERY.into_iter().enumerate() {
        for (fi, format) in Format::ALL.into_iter().enumerate() {
            for i in 0..args.per_cell {
                let index = (ci as u64 * 100 + fi as u64) * 10_000 + i;
                jobs.push((condition, format, Truth::Genuine, index));
                if args.forged {
                    jobs.push((condition, format, Truth::Forged(Forgery::CheckDigitAltered), index + 5_000));
                }
            }
        }
    }
    let results: Vec<(Condition, Format, Tally, f64)> = jobs
        .par_iter()
        .filter_map(|&(condition, format, truth, index)| {
            let s = generator.render(args.seed, index, format, truth, condition).ok()?;
            let report = verifier.verify_image(&s.label.file, &s.visible);
            let printed = &s.label.mrz_lines;
            let chars: usize = printed.iter().map(String::len).sum();
            let read = report.mrz.as_ref().filter(|_| report.verdict != Verdict::Unreadable);
            let errors = read.map_or(chars, |m| {
                if m.lines.len() == printed.len() && m.lines.iter().zip(printed).all(|(a, b)| a.len() == b.len()) {
                    m.lines
                        .iter()
                        .zip(printed)
                        .map(|(a, b)| a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count())
                        .sum()
                } else {
                    chars
                }
            });
            let valid = read.is_some_and(|m| m.valid);
            if let (Some(dir), true) = (&args.dump, errors > 0) {
                let name = format!(
                    "{}-{}-{index}.{}",
                    condition.name(),
                    format.name(),
                    s.label.file.rsplit('.').next().unwrap_or("png")
                );
                if std::fs::create_dir_all(dir).and_then(|()| std::fs::write(dir.join(name), &s.visible)).is_err() {
                    eprintln!("accuracy: cannot write to {}", dir.display());
                }
            }
            if args.verbose && errors > 0 {
                eprintln!(
                    "{} {} {truth:?} index {index}: {} valid {valid}\n  read    {:?}\n  printed {:?}",
                    condition.name(),
                    format.name(),
                    report.verdict,
                    read.map(|m| m.lines.clone()).unwrap_or_default(),
                    printed
                );
            }
            let ms = report.timings_ms.map_or(0.0, |t| t.total);
            // The reading beyond decoding: locate, segment, recognise, repair.
            let read_ms = report.timings_ms.map_or(0.0, |t| t.locate + t.segment + t.recognise + t.repair);
            let t = if truth == Truth::Genuine {
                Tally {
                    docs: 1,
                    chars: chars as u32,
                    char_errors: errors as u32,
                    exact: u32::from(errors == 0),
                    unreadable: u32::from(read.is_none()),
                    wrong_valid: u32::from(errors > 0 && valid),
                    ms,
                    ..Tally::default()
                }
            } else {
                Tally {
                    forged: 1,
                    forged_exact: u32::from(errors == 0),
                    forged_valid: u32::from(valid),
                    ms,
                    ..Tally::default()
                }
            };
            Some((condition, format, t, read_ms))
        })
        .collect();
    let mut header =
        "| condition / format | genuine | exact MRZ | character errors | unreadable | wrong MRZ reported valid |"
            .to_string();
    let mut rule = "|---|---|---|---|---|---|".to_string();
    if args.forged {
        header += " forged | read as printed | forgery reported valid |";
        rule += "---|---|---|";
    }
    println!("{header} ms per page |\n{rule}---|");
    let mut all = Tally::default();
    for condition in Condition::EVERY {
        let mut c = Tally::default();
        for format in Format::ALL {
            let mut f = Tally::default();
            for (_, _, t, _) in results.iter().filter(|r| r.0 == condition && r.1 == format) {
                f.add(t);
            }
            println!("{}", f.row(&format!("{} / {}", condition.name(), format.name()), args.forged));
            c.add(&f);
        }
        println!("{}", c.row(&format!("**{}**", condition.name()), args.forged));
        all.add(&c);
    }
    println!("{}", all.row("**all**", args.forged));

    // The reading's time beyond decoding (locate, segment, recognise,
    // repair), every page, by condition: median and 90th percentile.
    println!("\n| condition | pages | read ms median | read ms p90 |\n|---|---|---|---|");
    let quantiles = |mut v: Vec<f64>| -> (usize, f64, f64) {
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v.get(((v.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN);
        (v.len(), at(0.5), at(0.9))
    };
    for condition in Condition::EVERY {
        let (n, median, p90) = quantiles(results.iter().filter(|r| r.0 == condition).map(|r| r.3).collect());
        println!("| {} | {n} | {median:.1} | {p90:.1} |", condition.name());
    }
    let (n, median, p90) = quantiles(results.iter().map(|r| r.3).collect());
    println!("| **all** | {n} | {median:.1} | {p90:.1} |");
}
