//! `scan`: verify travel documents and print one report per document.
//!
//! ```text
//! scan --mrz-text FILE      MRZ text, documents separated by blank lines ('-': stdin)
//!      --repair             repair OCR confusions, guided by check digits
//!      --format json|text   JSON Lines (default when piped) or a readable table
//!      --reference-date D   judge expiry on D (YYYY-MM-DD) instead of today
//! ```
//!
//! Exit code: 0 when every document passed, 1 when some did not, 2 when the run
//! itself failed.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use mrtd_verify::mrz::Date;
use mrtd_verify::{Config, Report, Verdict, Verifier, split_documents};

#[derive(Parser)]
#[command(version, about = "Verify travel documents: MRZ check digits, data rules, repair")]
struct Args {
    /// MRZ text file, documents separated by blank lines; `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    mrz_text: String,
    /// Repair OCR confusions where check digits confirm them (reported per change).
    #[arg(long)]
    repair: bool,
    /// Output format; default: json when stdout is not a terminal, text otherwise.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Judge expiry against this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = parse_date)]
    reference_date: Option<Date>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("{s:?} is not a YYYY-MM-DD date"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (name, text) = if args.mrz_text == "-" {
        let mut buf = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut buf) {
            eprintln!("scan: stdin: {e}");
            return ExitCode::from(2);
        }
        ("stdin".to_owned(), buf)
    } else {
        match std::fs::read_to_string(&args.mrz_text) {
            Ok(t) => (args.mrz_text.clone(), t),
            Err(e) => {
                eprintln!("scan: {}: {e}", args.mrz_text);
                return ExitCode::from(2);
            }
        }
    };
    let mut config = Config::default().repair(args.repair);
    config.reference_date = args.reference_date;
    let verifier = Verifier::new(config);
    let reports = verifier.verify_texts(&split_documents(&name, &text));

    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() { Format::Text } else { Format::Json });
    let mut out = std::io::stdout().lock();
    for report in &reports {
        let written = match format {
            Format::Json => report.to_json().map_err(std::io::Error::other).and_then(|j| writeln!(out, "{j}")),
            Format::Text => write!(out, "{report}"),
        };
        if let Err(e) = written {
            eprintln!("scan: writing the report: {e}");
            return ExitCode::from(2);
        }
    }
    if reports.iter().all(|r: &Report| r.verdict == Verdict::Pass) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
