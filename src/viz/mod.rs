//! The visual zone: its text lines cut from the page, read by the bundled
//! line model, and the values the MRZ also carries found in them.
//!
//! The lines come from the locator ([`crate::scan::TextLine`]); the page's
//! reading direction from the MRZ. [`read_lines`] reads every line that is
//! not the MRZ's, [`extract`] finds the values.

pub mod crop;

pub use crop::{LINE_HEIGHT, LineImage, line_image};

/// The characters the line model knows, in its output order after the CTC
/// blank (output 0): space, capitals and small letters, digits, the
/// punctuation captions and dates use, and the accented capitals of French,
/// Portuguese and Spanish names.
pub const ALPHABET: &str =
    " ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.,/-'():ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜÑÁÍÓÚÃÕ";

pub mod read;

pub use read::{VizChar, VizLine, decode, read_lines, read_lines_within};

pub mod fields;

pub use fields::{VizDate, VizKey, VizValue, dates_in, extract, neighbour};

/// The visual zone of one page as read: its lines, the values found under
/// their captions, and every date printed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VizReading {
    /// Every line read, in the order the locator found them.
    pub lines: Vec<VizLine>,
    /// The page's reading direction (the MRZ's).
    pub direction: crate::Point,
    /// The values found under their captions.
    pub values: Vec<VizValue>,
    /// Every date printed, earliest first.
    pub dates: Vec<VizDate>,
    /// Lines left unread because the page's time budget ran out
    /// ([`crate::DecodeLimits::max_read_ms`]): a value not found may be on
    /// one of them.
    pub unread: usize,
}

impl VizReading {
    /// Reads the visual zone of a page whose MRZ was found in `mrz_zone`
    /// (its corners top-left first, in reading order).
    ///
    /// # Errors
    ///
    /// [`crate::ocr::OcrError`] if the line model fails to run.
    pub fn read(
        grey: &image::GrayImage,
        lines: &[crate::scan::TextLine],
        mrz_zone: &crate::Quad,
        model: &crate::ocr::LineModel,
    ) -> Result<VizReading, crate::ocr::OcrError> {
        VizReading::read_within(grey, lines, mrz_zone, model, None)
    }

    /// [`VizReading::read`] within a time budget: past `deadline`, no line
    /// is read beyond the page's [`read::MIN_LINES`] longest, and
    /// [`VizReading::unread`] counts those left.
    ///
    /// # Errors
    ///
    /// [`crate::ocr::OcrError`] if the line model fails to run.
    pub fn read_within(
        grey: &image::GrayImage,
        lines: &[crate::scan::TextLine],
        mrz_zone: &crate::Quad,
        model: &crate::ocr::LineModel,
        deadline: Option<std::time::Instant>,
    ) -> Result<VizReading, crate::ocr::OcrError> {
        let (lines, unread) = read_lines_within(grey, lines, mrz_zone, model, deadline)?;
        let [a, b, _, _] = mrz_zone.corners;
        let direction = crate::Point::new(b.x - a.x, b.y - a.y);
        let (values, dates) = extract(&lines, direction);
        Ok(VizReading { lines, direction, values, dates, unread })
    }

    /// The value found under the caption of `key`.
    pub fn value(&self, key: VizKey) -> Option<&VizValue> {
        self.values.iter().find(|v| v.key == key)
    }
}
