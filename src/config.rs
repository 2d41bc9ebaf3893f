//! The configuration of a [`Verifier`](crate::Verifier): the reference date,
//! text repair, decoding limits and every threshold the reader and the checks
//! use, each with a documented default.

use crate::mrz::Date;

/// Settings of a [`Verifier`](crate::Verifier), with documented defaults.
///
/// # Examples
///
/// ```
/// use mrtd_verify::Config;
/// use mrtd_verify::mrz::Date;
/// let config = Config::default().reference_date(Date::new(2026, 1, 1).unwrap()).repair(true);
/// assert!(config.repair);
/// assert_eq!(config.thresholds.ocr_unconfirmed_min, 0.45);
/// ```
///
/// With the `serde` feature a configuration reads from JSON (the C API takes
/// it so): every field may be left out and keeps its default, and a field
/// the configuration does not have is an error, so a mistyped threshold is
/// never silently ignored.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use mrtd_verify::Config;
/// let json = r#"{"reference_date": "2026-06-01", "thresholds": {"uv_max_paper": 120}}"#;
/// let config = Config::from_json(json).unwrap();
/// assert_eq!(config.reference_date.unwrap().to_string(), "2026-06-01");
/// assert_eq!(config.thresholds.uv_max_paper, 120.0);
/// assert_eq!(config.thresholds.ocr_unconfirmed_min, 0.45);
/// assert!(Config::from_json(r#"{"thresholds": {"uv_max_papr": 1}}"#).is_err());
/// assert_eq!(Config::from_json(" ").unwrap(), Config::default());
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(default, deny_unknown_fields))]
#[non_exhaustive]
pub struct Config {
    /// The date "today" means for expiry and for resolving two-digit years.
    /// Default: `None`, the system clock's date (UTC) at each verification.
    pub reference_date: Option<Date>,
    /// Repair OCR confusions in MRZ *text* input, guided by check digits.
    /// Default: `false`: text is read strictly, characters never change.
    /// (Image input always goes through repair: OCR readings are candidates.)
    pub repair: bool,
    /// Limits on decoding images. A post on modest hardware lowers them.
    pub limits: DecodeLimits,
    /// Every threshold of the reader and the checks.
    pub thresholds: Thresholds,
}

impl Config {
    /// With a fixed reference date.
    pub fn reference_date(mut self, date: Date) -> Config {
        self.reference_date = Some(date);
        self
    }

    /// With text repair on or off.
    pub fn repair(mut self, on: bool) -> Config {
        self.repair = on;
        self
    }

    /// With decoding limits.
    pub fn limits(mut self, limits: DecodeLimits) -> Config {
        self.limits = limits;
        self
    }

    /// With thresholds.
    pub fn thresholds(mut self, thresholds: Thresholds) -> Config {
        self.thresholds = thresholds;
        self
    }

    /// A configuration from its JSON (see above: every field optional,
    /// unknown fields refused); empty text gives the defaults. The C API
    /// and the Python package take their configurations so.
    ///
    /// # Errors
    ///
    /// When the text is not the JSON of a configuration, naming the field.
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str) -> Result<Config, serde_json::Error> {
        if text.trim().is_empty() { Ok(Config::default()) } else { serde_json::from_str(text) }
    }
}

/// Limits on what is decoded: a hostile or huge file is an error, never an
/// out-of-memory.
///
/// # Examples
///
/// ```
/// let limits = mrtd_verify::DecodeLimits::default().max_side(6000);
/// assert_eq!((limits.max_side, limits.max_alloc), (6000, 512 * 1024 * 1024));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(default, deny_unknown_fields))]
#[non_exhaustive]
pub struct DecodeLimits {
    /// Largest width or height in pixels. Default 12 000 (an ID-1 card is
    /// 85.6 mm wide, an A4 page 297 mm tall: 12 000 px is about 1 000 dpi on
    /// a page).
    pub max_side: u32,
    /// Largest decoding allocation in bytes. Default 512 MiB.
    pub max_alloc: u64,
    /// Largest file the loaders read, in bytes ([`crate::ScanFiles`]; text
    /// input in the scanner CLI): a bigger file is refused before it is read.
    /// Default 256 MiB.
    pub max_file: u64,
    /// Time budget of one page's reading in milliseconds, from the start of
    /// its decoding: past it, the reader tries no further zone, width or
    /// orientation and keeps its best reading so far, so one pathological
    /// image cannot stall a post's queue. The first attempt always runs (a
    /// slow machine still reads what it can); decoding and locating are not
    /// interrupted. Wall-clock time: on a loaded machine a hard page may be
    /// read from fewer attempts than on an idle one. Default 4 000 (an
    /// ordinary page takes 20 to 150 ms on one core).
    pub max_read_ms: u32,
}

impl Default for DecodeLimits {
    fn default() -> DecodeLimits {
        DecodeLimits { max_side: 12_000, max_alloc: 512 * 1024 * 1024, max_file: 256 * 1024 * 1024, max_read_ms: 4_000 }
    }
}

impl DecodeLimits {
    /// With a maximum side.
    pub fn max_side(mut self, px: u32) -> Self {
        self.max_side = px;
        self
    }

    /// With a maximum allocation.
    pub fn max_alloc(mut self, bytes: u64) -> Self {
        self.max_alloc = bytes;
        self
    }

    /// With a maximum file size.
    pub fn max_file(mut self, bytes: u64) -> Self {
        self.max_file = bytes;
        self
    }

    /// With a reading time budget per page.
    pub fn max_read_ms(mut self, ms: u32) -> Self {
        self.max_read_ms = ms;
        self
    }

    /// How many documents can be in flight at once within a memory budget
    /// of `bytes` without any one's decoding allocation falling below 96 MiB
    /// (an A4 page in colour at 300 dpi is 25 MiB, a 12-megapixel phone photo
    /// 34 MiB): at most `wanted`, at least one.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::DecodeLimits;
    /// assert_eq!(DecodeLimits::workers_within(1 << 30, 16), 2);
    /// assert_eq!(DecodeLimits::workers_within(4 << 30, 2), 2);
    /// assert_eq!(DecodeLimits::workers_within(128 << 20, 4), 1);
    /// ```
    pub fn workers_within(bytes: u64, wanted: usize) -> usize {
        const PER_WORKER: u64 = 4 * (96 << 20);
        let fit = bytes.saturating_sub(64 << 20) / PER_WORKER;
        wanted.min(usize::try_from(fit).unwrap_or(usize::MAX)).max(1)
    }

    /// Limits that keep `workers` documents in flight within a memory
    /// budget of `bytes` for the whole process. A document costs about four
    /// times its decoding allocation at its peak (the file's bytes, the
    /// decoded pixels, a turned copy when the EXIF orientation asks for one,
    /// the grey page and its working images), and a fixed 64 MiB is kept for
    /// the model and the rest of the process; each worker's allocation limit
    /// is a quarter of its share of what remains, never above the default;
    /// so is the file limit.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::DecodeLimits;
    /// // 1 GiB for 2 workers: 120 MiB of pixels each, enough for an A4 page
    /// // in colour at 600 dpi (4961 x 7016 x 3 bytes, 100 MiB).
    /// let l = DecodeLimits::for_memory(1 << 30, 2);
    /// assert_eq!(l.max_alloc, 120 << 20);
    /// // An 8000 x 8000 RGBA image of 16 bits (512 MB) is refused.
    /// assert!(l.max_alloc < 8000 * 8000 * 8);
    /// ```
    pub fn for_memory(bytes: u64, workers: usize) -> DecodeLimits {
        const RESERVED: u64 = 64 << 20;
        let share = bytes.saturating_sub(RESERVED) / (workers.max(1) as u64) / 4;
        let d = DecodeLimits::default();
        DecodeLimits { max_alloc: share.min(d.max_alloc), max_file: share.min(d.max_file), ..d }
    }
}

/// Every threshold of the reader and the checks, in one place.
///
/// The defaults were set on the project's generated documents and the real
/// specimens as the README's reading-accuracy section describes; each field
/// says what it decides. Probabilities are the character model's softmax
/// outputs.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Config, Thresholds};
/// let mut strict = Thresholds::default();
/// strict.ocr_unconfirmed_min = 0.6;
/// let config = Config::default().thresholds(strict);
/// assert_eq!(config.thresholds.ocr_close_call_ratio, 0.25);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(default, deny_unknown_fields))]
#[non_exhaustive]
pub struct Thresholds {
    /// `ocr.confidence` warns (verdict `refer`) when some MRZ character no
    /// verified check digit vouches for was read with a first-choice
    /// probability below this (one a verified digit covers is confirmed by
    /// it). Default 0.5.
    pub ocr_confidence_warn: f32,
    /// `ocr.unconfirmed`: a character no verified check digit vouches for
    /// (names, codes, unchecked optional data) read below this probability
    /// makes the reading inconclusive (verdict `unreadable`, rescan). On the
    /// real specimens every exact reading had all its characters above 0.55
    /// and the wrong ones had some below 0.45. Default 0.45.
    pub ocr_unconfirmed_min: f32,
    /// `ocr.close_call`: such a character whose likeliest alternative its
    /// field allows is at least this fraction as likely as the first choice
    /// could be either; inconclusive. Default 0.25 (a quarter).
    pub ocr_close_call_ratio: f32,
    /// `ocr.refuted_reading`: a refuted check digit is evidence of alteration
    /// only when every character it stands on or covers was read at least
    /// this sure; below it the reading is inconclusive (rescan), not a
    /// forgery. Characters no refuted digit covers (the names under a stamp)
    /// do not count. Default 0.9.
    pub ocr_refuted_trust: f32,
    /// The reader stops trying other zones, widths and orientations once a
    /// reading is settled (every check digit holds, few forced characters)
    /// and its mean first-choice probability exceeds this. Default 0.6.
    pub read_settled_confidence: f32,
    /// A reading is settled when at most this many characters were forced
    /// into their field's alphabet or left in doubt. Default 2.
    pub read_settled_misfits: usize,
    /// Two-line zones are tried at 44 characters first when the median line
    /// holds at least this many glyphs. Default 40.
    pub width_long_glyphs: usize,
    /// ... or when it holds fewer than `width_short_glyphs` glyphs (glyphs
    /// merged or lost) but its length exceeds `width_long_ratio` character
    /// heights. Defaults 33 and 42.0: a 44-character line is about 46
    /// heights long, a 36-character one about 38.
    pub width_short_glyphs: usize,
    /// See `width_short_glyphs`. Default 42.0.
    pub width_long_ratio: f32,
    /// The print checks need at least this resolution (estimated from the
    /// MRZ pitch); below it they are skipped (`scan_quality`). Default 110.
    pub print_min_dpi: f32,
    /// The print checks are skipped (`scan_quality`) when the MRZ's ink edges
    /// are wider than this (`quality.sharpness`). Default 0.45 mm.
    pub print_max_blur_mm: f32,
    /// The print checks measure only glyphs the model read with at least this
    /// probability (a misread glyph would be compared with the wrong
    /// character's reference). Default 0.6.
    pub print_min_confidence: f32,
    /// `print.font` also fails when the glyphs' ink boxes sit further than
    /// this from OCR-B's, class by class (mean summed offset in character
    /// heights and pitches, once the document's own scale is taken out).
    /// Default 0.175, like the other three `print_*` decision thresholds
    /// (`print_best_min`, `print_font_min`, `print_run_z`): set by
    /// the calibration tool (`tools/src/bin/calibrate.rs`, command in the
    /// README) for at most 0.5 % of generated genuine documents flagged by
    /// the print checks together, on seeds no test or evaluation uses.
    pub print_geometry_max: f32,
    /// `print.font` fails when the median over the glyphs of each glyph's
    /// best match with any OCR-B character is below this (needs no reading
    /// of the characters). Default 0.898 (calibrated).
    pub print_best_min: f32,
    /// Below this median best match the cells do not hold whole glyphs of
    /// any font (the grid is off the characters: a wrong line width, a
    /// misplaced zone), so `print.font` is `skipped` rather than failed.
    /// Default 0.7: glyphs of every other monospaced font measured resemble
    /// some OCR-B character at 0.8 or more; cells cut across two glyphs
    /// reach about 0.6.
    pub print_best_floor: f32,
    /// `print.font` fails when the median match of the MRZ's glyphs with the
    /// OCR-B reference (a correlation, 1 for identical) is below this.
    /// Default 0.900 (calibrated).
    pub print_font_min: f32,
    /// `print.run` warns when a run of neighbouring characters stands out on
    /// several measures at once beyond this (the root of the summed squares
    /// of each measure's scan statistic, without the largest). Default 11.0
    /// (calibrated: 11.012).
    pub print_run_z: f32,
    /// The least spread assumed for positions (pitches and character
    /// heights): a printer and scanner place glyphs no better than this, so
    /// a very clean document's tiny spread does not magnify noise.
    pub print_position_floor: f32,
    /// The least spread assumed for relative sizes and stroke weights.
    pub print_size_floor: f32,
    /// The least spread assumed for ink darkness (0..1).
    pub print_ink_floor: f32,
    /// The least spread assumed for shape unlikeness.
    pub print_shape_floor: f32,
    /// `print.layout` warns below this character height at the 2.54 mm
    /// pitch. Default 1.8 mm (Doc 9303: about 2.0 mm at least).
    pub print_height_min_mm: f32,
    /// `print.layout` warns above this character height. Default 3.4 mm
    /// (Doc 9303: about 3.2 mm at most).
    pub print_height_max_mm: f32,
    /// The `viz.*` checks compare a value of the visual zone with the MRZ
    /// only when each of its characters was read with at least this
    /// probability; below it the check is skipped (a misread is not a
    /// forgery). Default 0.9.
    pub viz_min_confidence: f32,
    /// `ir.mrz` fails when an MRZ line keeps less than this share of its
    /// daylight darkness in the infrared companion (carbon ink keeps nearly
    /// all of it, dye and inkjet inks fade). Default 0.4.
    pub ir_min_mrz_darkness: f32,
    /// A companion whose edge profiles agree with the visible page's less
    /// than this (normalised correlation) is not trusted to place the
    /// measurements: the `ir` and `uv` families then do not accuse.
    /// Default 0.15 (generated companions, misregistered by up to 1 mm,
    /// some at half resolution, score 0.2 or more).
    pub band_min_registration: f32,
    /// `uv.paper` fails when the paper around the MRZ is brighter than this
    /// under ultraviolet (0-255, the companion's brightest channel).
    /// Default 110.
    pub uv_max_paper: f32,
    /// A pixel counts as fluorescent when it is this much brighter than the
    /// paper under ultraviolet (0-255). Default 35.
    pub uv_feature_contrast: f32,
    /// `uv.features` warns when less than this area fluoresces (mm²).
    /// Default 2.
    pub uv_min_feature_mm2: f32,
    /// `photo.noise` warns when the portrait's colour noise floor is more
    /// than this many times the page's around it. Default 1.3 (generated
    /// genuine documents of seeds 71000 and 72000: 99th percentile 1.0, one
    /// in 357 above 1.3).
    pub photo_max_noise_ratio: f32,
    /// `photo.noise` is `skipped` when the page around the portrait shows a
    /// colour noise floor below this (the mean colour residual of its
    /// quietest blocks, in grey levels): the capture smoothed the paper's
    /// colour away (a strongly compressed JPEG quantises it to nothing while
    /// a detailed portrait keeps some), so there is no page noise to hold
    /// the portrait's against. On such a page, only a portrait whose colour
    /// noise exceeds this floor twice
    /// [`photo_max_noise_ratio`](Self::photo_max_noise_ratio) still warns.
    /// Default 0.7 (generated genuine documents of seed 71000: at least 0.77
    /// on every capture but the compressed ones and the 150-200 dpi ones,
    /// which go down to 0; below it, their portraits' colour noise at most
    /// 0.98).
    pub photo_min_page_noise: f32,
    /// `photo.compression` warns when an 8x8 block grid inside the portrait
    /// is stronger than this (the block-boundary steps over the others')
    /// and the page around shows less than half of it (both warning: the
    /// two fail), unless the scan file's own JPEG grid explains it (at the
    /// file's phase, at least half as strong inside, and showing on the page
    /// around too). Default 1.6 (the same genuine documents: at most 1.5).
    pub photo_max_blocking: f32,
    /// `tamper.copy_move` fails when two identical digits of the visual zone,
    /// laid on each other, have backgrounds at least this alike inside the
    /// glyph's box, against how alike they are just above and below it
    /// (about `0` for two prints, `1` for a copy; below 0 where the bands
    /// match better than the box). Default 0.97.
    pub tamper_copy_fail: f32,
    /// `tamper.copy_move` warns at or above this similarity. Default 0.94
    /// (generated genuine documents of seeds 101000 and 103000, 420 pages,
    /// every capture: the most alike pair of a page above 0.94 on one page
    /// (0.955), 99th percentile 0.88; copies: median 0.87).
    pub tamper_copy_warn: f32,
    /// `tamper.copy_move` judges a pair only when its backgrounds vary by at
    /// least this much on average (variance after level and slope, in grey
    /// levels squared, or on a colour page in the opponent channels scaled
    /// to bright paper): under plain paper smoothed by the capture, a print
    /// and a copy look alike. Default 4.
    pub tamper_min_background: f32,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            ocr_confidence_warn: 0.5,
            ocr_unconfirmed_min: 0.45,
            ocr_close_call_ratio: 0.25,
            ocr_refuted_trust: 0.9,
            read_settled_confidence: 0.6,
            read_settled_misfits: 2,
            width_long_glyphs: 40,
            width_short_glyphs: 33,
            width_long_ratio: 42.0,
            print_min_dpi: 110.0,
            print_max_blur_mm: 0.45,
            print_min_confidence: 0.6,
            print_geometry_max: 0.175,
            print_best_min: 0.898,
            print_best_floor: 0.7,
            print_font_min: 0.900,
            print_run_z: 11.0,
            print_position_floor: 0.02,
            print_size_floor: 0.02,
            print_ink_floor: 0.02,
            print_shape_floor: 0.02,
            print_height_min_mm: 1.8,
            print_height_max_mm: 3.4,
            viz_min_confidence: 0.9,
            ir_min_mrz_darkness: 0.4,
            band_min_registration: 0.15,
            uv_max_paper: 110.0,
            uv_feature_contrast: 35.0,
            uv_min_feature_mm2: 2.0,
            photo_max_noise_ratio: 1.3,
            photo_min_page_noise: 0.7,
            photo_max_blocking: 1.6,
            tamper_copy_fail: 0.97,
            tamper_copy_warn: 0.94,
            tamper_min_background: 4.0,
        }
    }
}
