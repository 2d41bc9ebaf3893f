//! `accuracy`: reading accuracy on generated documents the model never saw,
//! by capture condition and format.
//!
//! ```text
//! cargo run --release --features specimen --example accuracy -- --seed 900000 --per-cell 20
//! ```
//!
//! For each (condition, format) it renders `per-cell` genuine documents (and,
//! with `--forged`, as many with an altered check-digit character), reads them
//! through `Verifier::verify_image`, and compares the MRZ read with the MRZ
//! printed: exact full-MRZ rate, character error rate, unreadable count, and
//! the count of wrong MRZs reported as valid (which must be zero).

use clap::Parser;
use mrtd_verify::mrz::{Date, Format};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, Truth};
use mrtd_verify::{Config, Verdict, Verifier};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    /// Seed of the evaluation documents (training used 1000-3999).
    #[arg(long, default_value_t = 900_000)]
    seed: u64,
    /// Documents per condition and format.
    #[arg(long, default_value_t = 20)]
    per_cell: u64,
    /// Also read documents with an altered check-digit character.
    #[arg(long)]
    forged: bool,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    docs: u32,
    exact: u32,
    chars: u32,
    char_errors: u32,
    unreadable: u32,
    wrong_valid: u32,
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
        self.ms += o.ms;
    }

    fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {:.1} % | {:.3} % | {} | {} | {:.0} |",
            self.docs,
            100.0 * f64::from(self.exact) / f64::from(self.docs.max(1)),
            100.0 * f64::from(self.char_errors) / f64::from(self.chars.max(1)),
            self.unreadable,
            self.wrong_valid,
            self.ms / f64::from(self.docs.max(1)),
        )
    }
}

fn main() {
    let args = Args::parse();
    let reference = Date::new(2026, 6, 1).unwrap_or(Date::EPOCH);
    let Ok(generator) = Generator::new(CorpusOptions::default().bands(false).reference(reference)) else {
        eprintln!("accuracy: fonts failed to load");
        std::process::exit(2);
    };
    let Ok(verifier) = Verifier::with_model(Config::default().reference_date(reference)) else {
        eprintln!("accuracy: the model failed to load");
        std::process::exit(2);
    };
    let mut jobs = Vec::new();
    for (ci, condition) in Condition::ALL.into_iter().enumerate() {
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
    let results: Vec<(Condition, Format, Tally)> = jobs
        .par_iter()
        .filter_map(|&(condition, format, truth, index)| {
            let s = generator.render(args.seed, index, format, truth, condition).ok()?;
            let report = verifier.verify_image(&s.label.file, &s.visible);
            let truth_lines = &s.label.mrz_lines;
            let chars: usize = truth_lines.iter().map(String::len).sum();
            let mut t = Tally {
                docs: 1,
                chars: chars as u32,
                ms: report.timings_ms.map_or(0.0, |t| t.total),
                ..Tally::default()
            };
            match &report.mrz {
                Some(m) if report.verdict != Verdict::Unreadable => {
                    let errors: usize = if m.lines.len() == truth_lines.len()
                        && m.lines.iter().zip(truth_lines).all(|(a, b)| a.len() == b.len())
                    {
                        m.lines
                            .iter()
                            .zip(truth_lines)
                            .map(|(a, b)| a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count())
                            .sum()
                    } else {
                        chars
                    };
                    t.char_errors = errors as u32;
                    t.exact = u32::from(errors == 0);
                    t.wrong_valid = u32::from(errors > 0 && m.valid);
                }
                _ => {
                    t.unreadable = 1;
                    t.char_errors = chars as u32;
                }
            }
            Some((condition, format, t))
        })
        .collect();
    println!(
        "| condition / format | documents | exact MRZ | character errors | unreadable | wrong MRZ reported valid | ms per page |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut all = Tally::default();
    for condition in Condition::ALL {
        let mut c = Tally::default();
        for format in Format::ALL {
            let mut f = Tally::default();
            for (_, _, t) in results.iter().filter(|r| r.0 == condition && r.1 == format) {
                f.add(t);
            }
            println!("{}", f.row(&format!("{} / {}", condition.name(), format.name())));
            c.add(&f);
        }
        println!("{}", c.row(&format!("**{}**", condition.name())));
        all.add(&c);
    }
    println!("{}", all.row("**all**"));
}
