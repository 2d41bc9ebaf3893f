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
//!      --max-memory SIZE      memory budget for the whole run (default 1G)
//! ```
//!
//! Reports stream out in input order as the documents are judged, one per
//! worker at a time, so memory stays flat whatever the batch's size. Only
//! regular files are read; a folder that cannot be listed, a special file or
//! a file too large gets its own `unreadable` report and the walk goes on;
//! each folder is walked once however many links lead to it; files of other
//! formats are named on stderr. Text input is decoded leniently (UTF-8 or
//! UTF-16): a document holding bytes that are not text gets its own report.
//!
//! Exit code: 0 when at least one document was judged and every one passed,
//! 1 when some did not pass, 2 when the run itself failed or nothing was
//! judged (no input, or no file could be read at all). One bad file never stops the batch. All the work is the library's
//! (`Verifier::verify_files_each`, `group_companions`, `decode_text`); this
//! binary reads arguments, walks folders and prints.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use mrtd_verify::mrz::Date;
use mrtd_verify::{
    Config, DecodeLimits, Error, Report, Verdict, Verifier, decode_text, group_companions, read_file_within,
    source_name, split_documents,
};

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
    /// Memory budget for the whole run (bytes, or with K, M, G): each
    /// worker's decoding limits and the largest file read follow from it.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    max_memory: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("{s:?} is not a YYYY-MM-DD date"))
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: u64 = digits.parse().map_err(|_| format!("{s:?} is not a size (bytes, or a number with K, M or G)"))?;
    let bytes = n.checked_shl(shift).filter(|b| b >> shift == n).ok_or_else(|| format!("{s:?} is too large"))?;
    if bytes < 128 << 20 {
        return Err(format!("{s:?} is below the 128M the reader needs"));
    }
    Ok(bytes)
}

const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "tif", "tiff", "bmp", "webp"];

fn is_image(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// What a walk of the command line's paths found.
#[derive(Default)]
struct Walk {
    /// Image files, in order: named on the command line, or found in
    /// folders (sorted by name); a folder that could not be listed stands
    /// where the walk met it.
    files: Vec<PathBuf>,
    /// Folders that could not be listed, with why (one entry each).
    problems: HashMap<PathBuf, std::io::Error>,
    /// Files of formats the scanner does not read.
    unsupported: Vec<PathBuf>,
    /// Folders walked (canonical paths): each once, however many links lead to it.
    visited: HashSet<PathBuf>,
}

impl Walk {
    /// A path from the command line: a folder is walked; anything else is a
    /// document as given (the loader says what is wrong with it).
    fn arg(&mut self, path: &Path) {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => self.dir(path),
            _ => self.files.push(path.to_path_buf()),
        }
    }

    /// A folder that could not be listed: its own report, in place.
    fn problem(&mut self, dir: &Path, e: std::io::Error) {
        if !self.problems.contains_key(dir) {
            self.files.push(dir.to_path_buf());
            self.problems.insert(dir.to_path_buf(), e);
        }
    }

    fn dir(&mut self, dir: &Path) {
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.visited.insert(key) {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.problem(dir, e);
                return;
            }
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => paths.push(e.path()),
                Err(e) => self.problem(dir, e),
            }
        }
        paths.sort();
        for p in paths {
            // `metadata` follows links: a link to a folder is walked (once).
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => self.dir(&p),
                // Special files and dangling links with an image's name are
                // documents the loader refuses with a reason.
                _ if is_image(&p) => self.files.push(p),
                _ => self.unsupported.push(p),
            }
        }
    }
}

/// Verdict counts for the end of a batch, and the exit code.
#[derive(Default)]
struct Tally {
    pass: usize,
    refer: usize,
    fail: usize,
    unreadable: usize,
    /// Reports of files that could not be read at all (`io`): a path
    /// mistyped, a folder locked, a special file.
    not_read: usize,
}

impl Tally {
    fn add(&mut self, r: &Report) {
        match r.verdict {
            Verdict::Pass => self.pass += 1,
            Verdict::Refer => self.refer += 1,
            Verdict::Fail => self.fail += 1,
            _ => self.unreadable += 1,
        }
        if r.error.as_ref().is_some_and(|e| e.kind == mrtd_verify::ErrorCode::Io) {
            self.not_read += 1;
        }
    }

    fn judged(&self) -> usize {
        self.pass + self.refer + self.fail + self.unreadable
    }
}

/// Prints reports as they come: JSON Lines or the readable view.
struct Printer {
    format: Format,
    out: std::io::Stdout,
    tally: Tally,
    failed: Option<std::io::Error>,
}

impl Printer {
    /// Prints one report; breaks once the output cannot be written (a
    /// closed pipe, a full disk), so the batch stops instead of judging
    /// documents nobody will see.
    fn print(&mut self, report: &Report) -> ControlFlow<()> {
        if self.failed.is_some() {
            return ControlFlow::Break(());
        }
        self.tally.add(report);
        let mut out = self.out.lock();
        let written = match self.format {
            Format::Json => report.to_json().map_err(std::io::Error::other).and_then(|j| writeln!(out, "{j}")),
            Format::Text => write!(out, "{report}"),
        }
        .and_then(|()| out.flush());
        match written {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                self.failed = Some(e);
                ControlFlow::Break(())
            }
        }
    }
}

/// Reads MRZ text: a file (as the library's loaders read files) or stdin,
/// at most `max` bytes. A file that cannot be read is the input's problem,
/// reported as a mistyped image path is (an `io` report, then exit 2).
fn read_text_input(file: &str, max: u64) -> Result<(String, Vec<u8>), Error> {
    if file != "-" {
        let path = Path::new(file);
        let bytes = read_file_within(path, max).map_err(|e| Error::io(path, e))?;
        return Ok((source_name(path), bytes));
    }
    let mut bytes = Vec::new();
    let stdin = Path::new("stdin");
    std::io::stdin().lock().take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Error::io(stdin, e))?;
    if bytes.len() as u64 > max {
        let e = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("more than {} MiB of text: split it into smaller files", max >> 20),
        );
        return Err(Error::io(stdin, e));
    }
    Ok(("stdin".to_owned(), bytes))
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.paths.is_empty() && args.mrz_text.is_none() {
        eprintln!("scan: give image files or folders, or --mrz-text FILE (see --help)");
        return ExitCode::from(2);
    }
    // As many workers as asked (all cores by default) that fit the memory
    // budget, each with one document in flight: a window of one document per
    // worker, so that memory does not grow with the batch (a worker waiting
    // inside a document's checks may take up another document of its window,
    // never more than the window).
    let wanted = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
    let workers = DecodeLimits::workers_within(args.max_memory, wanted);
    if args.jobs.is_some() && workers < wanted {
        eprintln!("scan: --jobs {wanted} does not fit --max-memory {}; running {workers}", args.max_memory);
    }
    if let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(workers).build_global() {
        eprintln!("scan: --jobs: {e}");
        return ExitCode::from(2);
    }
    let window = workers;
    let limits = DecodeLimits::for_memory(args.max_memory, workers);
    let mut config = Config::default().repair(args.repair).limits(limits);
    config.reference_date = args.reference_date;
    let verifier = match Verifier::new(config) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("scan: {}", e.chain());
            return ExitCode::from(2);
        }
    };
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() { Format::Text } else { Format::Json });
    let mut printer = Printer { format, out: std::io::stdout(), tally: Tally::default(), failed: None };

    if let Some(file) = &args.mrz_text {
        match read_text_input(file, limits.max_file) {
            Ok((name, bytes)) => {
                let text = decode_text(&bytes);
                let _ = verifier.verify_texts_each(&split_documents(&name, &text), window, |r| printer.print(&r));
            }
            Err(e) => {
                let source = if file == "-" { "stdin".to_owned() } else { source_name(Path::new(file)) };
                let _ = printer.print(&verifier.unreadable(&source, e));
            }
        }
    }

    let mut skipped = 0;
    if !args.paths.is_empty() && printer.failed.is_none() {
        let mut walk = Walk::default();
        for p in &args.paths {
            walk.arg(p);
        }
        for p in &walk.unsupported {
            eprintln!(
                "scan: skipped {}: not an image format this scanner reads ({})",
                source_name(p),
                IMAGE_EXTENSIONS.join(", ")
            );
        }
        skipped = walk.unsupported.len();
        // NAME-ir.* and NAME-uv.* beside NAME.* are that document's bands.
        let documents = group_companions(&walk.files);
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
        let inspect = |doc: &mrtd_verify::Document, report: &Report| {
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
        };
        // Runs of documents between the folders that could not be listed,
        // each folder's report in its place.
        let mut rest = documents.as_slice();
        while !rest.is_empty() {
            let problem = rest.iter().position(|d| walk.problems.contains_key(&d.visible)).unwrap_or(rest.len());
            let (run, after) = rest.split_at(problem);
            if verifier.verify_files_each(run, window, inspect, |r| printer.print(&r)).is_break() {
                break;
            }
            if let Some((folder, tail)) = after.split_first() {
                if let Some(e) = walk.problems.remove(&folder.visible) {
                    let report = verifier.unreadable(&source_name(&folder.visible), Error::io(&folder.visible, e));
                    if printer.print(&report).is_break() {
                        break;
                    }
                }
                bar.inc(1);
                rest = tail;
            } else {
                rest = after;
            }
        }
        bar.finish_and_clear();
    }

    if let Some(e) = &printer.failed {
        eprintln!("scan: writing the report: {e}");
        return ExitCode::from(2);
    }
    let t = &printer.tally;
    if t.judged() == 0 {
        let why = if skipped > 0 {
            format!(" ({skipped} file(s) skipped: no supported image format)")
        } else {
            String::new()
        };
        eprintln!("scan: nothing to judge: no document in the input{why}");
        return ExitCode::from(2);
    }
    if t.not_read == t.judged() {
        // Every input failed before any document was seen: an input
        // mistake (a mistyped path), not documents that did not pass.
        eprintln!("scan: nothing to judge: no file could be read (see the reports); check the paths");
        return ExitCode::from(2);
    }
    if let Format::Text = format {
        let mut out = std::io::stdout().lock();
        let skipped =
            if skipped > 0 { format!("; {skipped} file(s) skipped (not an image format)") } else { String::new() };
        let _ = writeln!(
            out,
            "{} documents: {} pass, {} refer, {} fail, {} unreadable{skipped}",
            t.judged(),
            t.pass,
            t.refer,
            t.fail,
            t.unreadable
        );
    }
    if t.pass == t.judged() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
