//! Reading scans (feature `ocr`): decode every band under the limits, locate
//! the text lines and the MRZ on the visible page, read the MRZ; and the
//! batch entry points.

use std::ops::ControlFlow;
use std::time::Instant;

use super::{Verifier, ms};
use crate::Error;
use crate::document::{Document, InputKind};
use crate::input::{ImageInput, Scan, ScanFiles};
use crate::report::{Band, Report};
use crate::scan::{self, Page};

impl Verifier {
    /// Reads one scan: decodes each band within the configured limits, finds
    /// the text lines and the MRZ on the visible page and reads it. Never
    /// fails: what could not be read is recorded in the document (and judged
    /// `unreadable`); a companion that does not decode is left out and noted.
    pub fn read(&self, scan: &Scan<'_>) -> Document {
        let t0 = Instant::now();
        let mut doc = Document::empty(scan.source().to_owned(), InputKind::Image);
        let visible = match self.decode(&scan.visible) {
            Ok(page) => page,
            Err(e) => {
                doc.error = Some(e);
                doc.timings.total = ms(t0);
                return doc;
            }
        };
        for (band, input) in [(Band::Ir, &scan.ir), (Band::Uv, &scan.uv)] {
            let Some(input) = input else { continue };
            match self.decode(input) {
                Ok(page) if band == Band::Ir => doc.ir = Some(page),
                Ok(page) => doc.uv = Some(page),
                Err(e) => doc.companion_errors.push((band, e)),
            }
        }
        doc.timings.decode = ms(t0);
        let thresholds = &self.config.thresholds;
        let t = Instant::now();
        let layout = scan::locate(visible.grey(), thresholds);
        doc.timings.locate = ms(t);
        match layout {
            Ok(layout) => {
                let budget = std::time::Duration::from_millis(u64::from(self.config.limits.max_read_ms));
                let deadline = t0.checked_add(budget);
                match self.reader.read(visible.grey(), &layout.zones, thresholds, deadline, &mut doc.timings) {
                    Ok(reading) => {
                        let t = Instant::now();
                        // The visual zone is read within the page's budget too.
                        doc.viz = crate::viz::VizReading::read_within(
                            visible.grey(),
                            &layout.lines,
                            &reading.zone,
                            &self.lines,
                            deadline,
                        )
                        .ok();
                        doc.timings.viz = ms(t);
                        let t = Instant::now();
                        doc.registered = crate::checks::bands::register_companions(
                            visible.grey(),
                            doc.ir.as_ref().map(Page::grey),
                            doc.uv.as_ref().map(Page::grey),
                            &reading,
                        );
                        doc.timings.register = ms(t);
                        match self.reader.other_zones(
                            visible.grey(),
                            &layout.zones,
                            &reading,
                            thresholds,
                            deadline,
                            &mut doc.timings,
                        ) {
                            Ok(others) => doc.other_zones = others,
                            Err(e) => doc.error = Some(e),
                        }
                        doc.mrz_text = Some(reading.text());
                        doc.repaired = Some(reading.repaired.clone());
                        doc.reading = Some(reading);
                    }
                    Err(e) => doc.error = Some(e),
                }
                doc.text_lines = layout.lines;
            }
            Err(e) => doc.error = Some(e.into()),
        }
        // A partial page from a file cut short: say so, rather than that the
        // page holds no MRZ.
        if doc.reading.is_none() && visible.truncated() {
            doc.error = Some(scan::ScanError::Truncated(None).into());
        }
        doc.visible = Some(visible);
        doc.timings.total = ms(t0);
        doc
    }

    fn decode(&self, input: &ImageInput<'_>) -> Result<Page, Error> {
        match input {
            ImageInput::Bytes(b) => {
                let d = scan::decode_reducing(b, &self.config.limits)?;
                Ok(Page::reduced(d.image, d.reduction).cut_short(scan::ends_early(b)))
            }
            ImageInput::Pixels(p) => {
                let limits = &self.config.limits;
                let (w, h) = (p.width(), p.height());
                if w.max(h) > limits.max_side {
                    let why = format!("{w} x {h} pixels");
                    return Err(scan::ScanError::TooLarge {
                        max_side: limits.max_side,
                        max_alloc: limits.max_alloc,
                        source: why.into(),
                    }
                    .into());
                }
                Ok(Page::new(p.clone().into_owned()))
            }
        }
    }

    /// Reads and judges one scan. Never fails: an image that cannot be read
    /// gives an `unreadable` report saying why.
    ///
    /// # Examples
    ///
    /// From pixels already decoded, with every rule a file goes through:
    ///
    /// ```
    /// use mrtd_verify::image::{DynamicImage, GrayImage, Luma};
    /// use mrtd_verify::{Config, Scan, Verdict, Verifier};
    /// let verifier = Verifier::new(Config::default())?;
    /// let blank = DynamicImage::ImageLuma8(GrayImage::from_pixel(800, 600, Luma([250])));
    /// let report = verifier.verify(&Scan::new("blank", blank));
    /// assert_eq!(report.verdict, Verdict::Unreadable);
    /// assert_eq!(report.error.unwrap().kind.name(), "not_found");
    /// # Ok::<(), mrtd_verify::Error>(())
    /// ```
    pub fn verify(&self, scan: &Scan<'_>) -> Report {
        self.judge(&self.read(scan))
    }

    /// Reads and judges one document given as image bytes (JPEG, PNG, TIFF,
    /// BMP, WebP): [`Verifier::verify`] of a scan without companions.
    pub fn verify_image(&self, source: &str, bytes: &[u8]) -> Report {
        self.verify(&Scan::from_bytes(source, bytes))
    }

    /// Reads and judges many scans, in parallel with the `rayon` feature;
    /// reports in input order.
    pub fn verify_batch(&self, scans: &[Scan<'_>]) -> Vec<Report> {
        let mut out = Vec::with_capacity(scans.len());
        let _ = super::in_windows(
            scans,
            scans.len(),
            |s| self.verify(s),
            |r| {
                out.push(r);
                ControlFlow::Continue(())
            },
        );
        out
    }

    /// Reads and judges scanned documents from files (each file read when
    /// its document is processed, so memory holds only the documents in
    /// flight), in parallel with the `rayon` feature; reports in input
    /// order. A file that cannot be read gives an `unreadable` report with
    /// an `io` error; the batch goes on. `inspect` sees each document with
    /// its report once judged (to draw its picture, count progress...), from
    /// the worker threads, before the document is dropped.
    pub fn verify_files(&self, files: &[ScanFiles], inspect: impl Fn(&Document, &Report) + Sync) -> Vec<Report> {
        let mut out = Vec::with_capacity(files.len());
        let _ = self.verify_files_each(files, files.len(), inspect, |r| {
            out.push(r);
            ControlFlow::Continue(())
        });
        out
    }

    /// Reads and judges scanned documents from files like
    /// [`Verifier::verify_files`], handing each report to `emit` in input
    /// order as soon as its window is done: `window` documents at a time are
    /// read and judged in parallel, so memory holds at most one window's
    /// documents and reports, whatever the batch's size. Files are read
    /// under the configured limits ([`ScanFiles::load_within`]). `emit`
    /// returns [`ControlFlow::Break`] to stop the batch (its output was
    /// closed): no further window is read, and the break is returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use mrtd_verify::{Config, ScanFiles, Verdict, Verifier};
    /// let verifier = Verifier::new(Config::default())?;
    /// let files = [ScanFiles::new("no/such/file.jpg"), ScanFiles::new("nor/this.png")];
    /// let mut seen = Vec::new();
    /// verifier.verify_files_each(&files, 1, |_, _| {}, |r| {
    ///     seen.push((r.source, r.verdict));
    ///     ControlFlow::Continue(())
    /// });
    /// assert_eq!(seen[1], ("nor/this.png".to_owned(), Verdict::Unreadable));
    /// # Ok::<(), mrtd_verify::Error>(())
    /// ```
    pub fn verify_files_each(
        &self,
        files: &[ScanFiles],
        window: usize,
        inspect: impl Fn(&Document, &Report) + Sync,
        emit: impl FnMut(Report) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let one = |f: &ScanFiles| {
            let doc = match f.load_within(&self.config.limits) {
                Ok(scan) => self.read(&scan),
                Err(e) => unread(crate::input::source_name(&f.visible), e),
            };
            let report = self.judge(&doc);
            inspect(&doc, &report);
            report
        };
        super::in_windows(files, window, one, emit)
    }

    /// The `unreadable` report of an image document that could not be read
    /// at all (a folder that cannot be listed, a file that cannot be
    /// opened): the error is the report's, every family is skipped.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::{Config, Error, Verdict, Verifier};
    /// let verifier = Verifier::new(Config::default())?;
    /// let denied = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
    /// let r = verifier.unreadable("scans/locked", Error::io("scans/locked", denied));
    /// assert_eq!(r.verdict, Verdict::Unreadable);
    /// assert_eq!(r.error.unwrap().kind.name(), "io");
    /// # Ok::<(), mrtd_verify::Error>(())
    /// ```
    pub fn unreadable(&self, source: &str, error: Error) -> Report {
        self.judge(&unread(source.to_owned(), error))
    }
}

/// An image document that could not be read.
fn unread(source: String, error: Error) -> Document {
    let mut doc = Document::empty(source, InputKind::Image);
    doc.error = Some(error);
    doc
}
