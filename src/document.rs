//! The document as read: what every check receives, built once by
//! [`Verifier::read`](crate::Verifier::read) (images) or
//! [`Verifier::read_text`](crate::Verifier::read_text) (MRZ text), and judged
//! by [`Verifier::judge`](crate::Verifier::judge).

use crate::Error;
use crate::mrz::Repaired;
use crate::report::{Band, ScanSummary, Timings};

/// What the input was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputKind {
    /// MRZ text (typed, or from another reader).
    Text,
    /// A scan: a visible image and optional companions.
    Image,
}

/// One document as read: for a scan, its pages (the colour and grey visible
/// page, the IR and UV companions), every text line the locator found and
/// the MRZ reading with its whole geometry; for text, the MRZ text; for both,
/// the repairs made and why reading failed, if it did.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Config, InputKind, Verifier};
/// let verifier = Verifier::new(Config::default())?;
/// let doc = verifier.read_text("desk-1", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
///                                         L898902C36UTO7408122F1204159ZE184226B<<<<<10");
/// assert_eq!(doc.kind(), InputKind::Text);
/// assert_eq!(doc.mrz_text().unwrap().lines().count(), 2);
/// let report = verifier.judge(&doc);
/// assert_eq!(report.source, "desk-1");
/// # Ok::<(), mrtd_verify::Error>(())
/// ```
#[derive(Debug)]
pub struct Document {
    pub(crate) source: String,
    pub(crate) kind: InputKind,
    pub(crate) mrz_text: Option<String>,
    pub(crate) repaired: Option<Repaired>,
    pub(crate) error: Option<Error>,
    pub(crate) timings: Timings,
    #[cfg(feature = "image")]
    pub(crate) visible: Option<crate::scan::Page>,
    #[cfg(feature = "image")]
    pub(crate) ir: Option<crate::scan::Page>,
    #[cfg(feature = "image")]
    pub(crate) uv: Option<crate::scan::Page>,
    #[cfg(feature = "image")]
    pub(crate) companion_errors: Vec<(Band, Error)>,
    #[cfg(feature = "image")]
    pub(crate) text_lines: Vec<crate::scan::TextLine>,
    #[cfg(feature = "ocr")]
    pub(crate) viz: Option<crate::viz::VizReading>,
    #[cfg(feature = "ocr")]
    pub(crate) reading: Option<crate::read::MrzReading>,
    /// Other MRZs on the page than the one read (a second document).
    #[cfg(feature = "ocr")]
    pub(crate) other_zones: Vec<crate::read::OtherZone>,
    /// The infrared and ultraviolet companions' registrations to the page.
    #[cfg(feature = "ocr")]
    pub(crate) registered: [Option<crate::checks::bands::Registration>; 2],
}

impl Document {
    /// A document of this kind with nothing read yet.
    pub(crate) fn empty(source: String, kind: InputKind) -> Document {
        Document {
            source,
            kind,
            mrz_text: None,
            repaired: None,
            error: None,
            timings: Timings::default(),
            #[cfg(feature = "image")]
            visible: None,
            #[cfg(feature = "image")]
            ir: None,
            #[cfg(feature = "image")]
            uv: None,
            #[cfg(feature = "image")]
            companion_errors: Vec::new(),
            #[cfg(feature = "image")]
            text_lines: Vec::new(),
            #[cfg(feature = "ocr")]
            viz: None,
            #[cfg(feature = "ocr")]
            reading: None,
            #[cfg(feature = "ocr")]
            other_zones: Vec::new(),
            #[cfg(feature = "ocr")]
            registered: [None, None],
        }
    }

    /// The input as given (a path, `path:LINE`...).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Text or image.
    pub fn kind(&self) -> InputKind {
        self.kind
    }

    /// The MRZ text, lines joined by `\n` (after repair, for images and for
    /// text read with repair on); `None` when none was read.
    pub fn mrz_text(&self) -> Option<&str> {
        self.mrz_text.as_deref()
    }

    /// The repairs and doubts of the check-digit-guided repair, when it ran.
    pub fn repaired(&self) -> Option<&Repaired> {
        self.repaired.as_ref()
    }

    /// Why the input could not be read (no image decoded, no MRZ found), if
    /// it could not. MRZ text that is not an MRZ is reported when judged.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// Time spent reading.
    pub fn timings(&self) -> Timings {
        self.timings
    }

    /// The bands decoded, visible first.
    pub fn bands(&self) -> Vec<Band> {
        #[cfg(feature = "image")]
        {
            [(Band::Visible, self.visible.is_some()), (Band::Ir, self.ir.is_some()), (Band::Uv, self.uv.is_some())]
                .into_iter()
                .filter_map(|(b, present)| present.then_some(b))
                .collect()
        }
        #[cfg(not(feature = "image"))]
        {
            Vec::new()
        }
    }

    /// What the report says about the scan: bands, and the MRZ's geometry.
    pub(crate) fn scan_summary(&self) -> Option<ScanSummary> {
        if self.kind != InputKind::Image {
            return None;
        }
        #[allow(unused_mut)]
        let mut summary = ScanSummary { bands: self.bands(), ..ScanSummary::default() };
        #[cfg(feature = "image")]
        {
            summary.reduction = self.visible.as_ref().map(crate::scan::Page::reduction).filter(|&k| k > 1);
            summary.truncated = self.visible.as_ref().is_some_and(crate::scan::Page::truncated);
        }
        #[cfg(feature = "ocr")]
        if let Some(r) = &self.reading {
            summary.quad = Some(r.zone);
            summary.angle_deg = Some(r.angle_deg);
            summary.pitch_px = Some(r.pitch_px);
            summary.char_height_px = Some(r.char_height_px);
            summary.dpi_estimate = Some(r.dpi_estimate);
            summary.min_confidence = Some(r.min_confidence());
        }
        Some(summary)
    }
}

#[cfg(feature = "image")]
impl Document {
    /// The visible page (colour and grey), when the image decoded.
    pub fn page(&self) -> Option<&crate::scan::Page> {
        self.visible.as_ref()
    }

    /// A band's page, when given and decoded.
    pub fn band(&self, band: Band) -> Option<&crate::scan::Page> {
        match band {
            Band::Visible => self.visible.as_ref(),
            Band::Ir => self.ir.as_ref(),
            Band::Uv => self.uv.as_ref(),
        }
    }

    /// Companions that were given but could not be decoded, with why.
    pub fn companion_errors(&self) -> &[(Band, Error)] {
        &self.companion_errors
    }

    /// Every text line the locator found on the visible page (the MRZ's
    /// lines among them).
    pub fn text_lines(&self) -> &[crate::scan::TextLine] {
        &self.text_lines
    }

    /// The visual zone as read (pages whose MRZ was read).
    #[cfg(feature = "ocr")]
    pub fn viz(&self) -> Option<&crate::viz::VizReading> {
        self.viz.as_ref()
    }
}

#[cfg(feature = "ocr")]
impl Document {
    /// The MRZ read from the image, with its geometry.
    pub fn reading(&self) -> Option<&crate::read::MrzReading> {
        self.reading.as_ref()
    }

    /// Other MRZs found on the page than the one read, each read with every
    /// check digit holding: the page holds more than one document (two on
    /// the scanner bed, a visa facing the data page). Empty for one.
    pub fn other_zones(&self) -> &[crate::read::OtherZone] {
        &self.other_zones
    }

    /// Where a companion band's pixels lie relative to the visible page's,
    /// when the companion was given, the MRZ read and the two registered
    /// ([`register_on_mrz`](crate::checks::bands::register_on_mrz)); the
    /// ultraviolet image takes the infrared one's registration when both
    /// have one size (document readers capture every band through one
    /// sensor).
    pub fn registration(&self, band: Band) -> Option<&crate::checks::bands::Registration> {
        match band {
            Band::Ir => self.registered[0].as_ref(),
            Band::Uv => self.registered[1].as_ref(),
            Band::Visible => None,
        }
    }
}
