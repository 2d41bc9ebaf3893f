//! `scan`: verify travel documents and print one report per document.
//!
//! ```text
//! scan [PATH]...              images (JPEG, PNG, TIFF, BMP, WebP) and folders, recursively
//!                             (NAME-ir.* / NAME-uv.* beside NAME.* are band companions)
//! scan --mrz-text FILE        MRZ text, documents separated by blank lines ('-': stdin)
//!      --jobs N               parallel documents (default: all cores)
//!      --repair               repair text input too (images are always repaired)
//!      --format json|text     JSON Lines (default when piped) or a readable table
//!      --reference-date D     judge expiry on D (YYYY-MM-DD) instead of today
//!      --explain DIR          one annotated PNG per scanned document
//! ```
//!
//! Exit code: 0 when every document passed, 1 when some did not, 2 when the run
//! itself failed. One bad file never stops the batch. All the work is the
//! library's (`Verifier::verify_files`, `group_companions`); this binary reads
//! arguments, walks folders and prints.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use mrtd_verify::mrz::Date;
use mrtd_verify::{Config, Report, Verdict, Verifier, group_companions, split_documents};

#[derive(Parser)]
#[command(version, about = "Verify travel documents: read the MRZ from scans or text, check digits and data rules")]
struct Args {
    /// Image files and folders (searched recursively).
    paths: Vec<PathBuf>,
    /// MRZ text file, documents separated by blank lines; `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    mrz_text: Option<String>,
    /// Documents processed in parallel (default: all cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// Repair OCR confusions in text input (reported per change).
    #[arg(long)]
    repair: bool,
    /// Output format; default: json when stdout is not a terminal, text otherwise.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Judge expiry against this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = parse_date)]
    reference_date: Option<Date>,
    /// Write one annotated PNG per scanned document to this folder: the MRZ
    /// box, every finding that did not pass outlined and labelled, the verdict.
    #[arg(long, value_name = "DIR")]
    explain: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("{s:?} is not a YYYY-MM-DD date"))
}

const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "tif", "tiff", "bmp", "webp"];

fn is_image(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Files named on the command line as given; folders walked for image
/// files, in sorted order.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in &entries {
        if p.is_dir() {
            collect(p, out)?;
        } else if is_image(p) {
            out.push(p.clone());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.paths.is_empty() && args.mrz_text.is_none() {
        eprintln!("scan: give image files or folders, or --mrz-text FILE (see --help)");
        return ExitCode::from(2);
    }
    if let Some(jobs) = args.jobs
        && let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global()
    {
        eprintln!("scan: --jobs: {e}");
        return ExitCode::from(2);
    }
    let mut config = Config::default().repair(args.repair);
    config.reference_date = args.reference_date;
    let mut reports: Vec<Report> = Vec::new();

    if let Some(file) = &args.mrz_text {
        let (name, text) = if file == "-" {
            let mut buf = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut buf) {
                eprintln!("scan: stdin: {e}");
                return ExitCode::from(2);
            }
            ("stdin".to_owned(), buf)
        } else {
            match std::fs::read_to_string(file) {
                Ok(t) => (file.clone(), t),
                Err(e) => {
                    eprintln!("scan: {file}: {e}");
                    return ExitCode::from(2);
                }
            }
        };
        match Verifier::new(config.clone()) {
            Ok(v) => reports.extend(v.verify_texts(&split_documents(&name, &text))),
            Err(e) => {
                eprintln!("scan: {}", e.chain());
                return ExitCode::from(2);
            }
        }
    }

    if !args.paths.is_empty() {
        let mut files = Vec::new();
        for p in &args.paths {
            if let Err(e) = collect(p, &mut files) {
                eprintln!("scan: {}: {e}", p.display());
                return ExitCode::from(2);
            }
        }
        // NAME-ir.* and NAME-uv.* beside NAME.* are that document's bands.
        let documents = group_companions(&files);
        let verifier = match Verifier::new(config) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("scan: {}", e.chain());
                return ExitCode::from(2);
            }
        };
        let bar = if std::io::stderr().is_terminal() {
            ProgressBar::new(documents.len() as u64)
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        if let Some(dir) = &args.explain
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            eprintln!("scan: --explain {}: {e}", dir.display());
            return ExitCode::from(2);
        }
        let image_reports = verifier.verify_files(&documents, |doc, report| {
            if let Some(dir) = &args.explain
                && let Some(picture) = mrtd_verify::explain::annotate(doc, report)
            {
                let name = Path::new(doc.source()).file_stem().map_or("document".into(), |s| s.to_string_lossy());
                let out = dir.join(format!("{name}.png"));
                if let Err(e) = picture.save(&out) {
                    bar.println(format!("scan: {}: {e}", out.display()));
                }
            }
            bar.inc(1);
        });
        bar.finish_and_clear();
        reports.extend(image_reports);
    }

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
    if reports.iter().all(|r| r.verdict == Verdict::Pass) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
