//! The corpus generator: what to make ([`CorpusOptions`]), and the
//! [`Generator`] that draws each specimen of a corpus from its seed and index
//! (format, truth, capture condition), renders it (data, visual zone, MRZ,
//! page, forgery, stamp, capture) and encodes its images ([`Specimen`]).

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, GrayImage, ImageEncoder, RgbImage};
use imageproc::geometric_transformations::Projection;

use super::canvas::Bounds;
use super::capture::{self, BandCapture, Capture, Condition};
use super::fonts::{Face, FontError, Fonts};
use super::forgery::{self, Forgery};
use super::identity::DocumentData;
use super::invalid::{InvalidData, make_invalid};
use super::label::{CharLabel, ForgeryDetail, Label, Quad, Truth, VizText};
use super::render::{self, DateStyle, MrzStyle, PageSpec, VizValues};
use super::rng::Rng;
use super::stamp::Stamp;
use crate::mrz::{self, Date, Format, PartialDate};

/// A rendered specimen: encoded images and the label.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Specimen {
    /// The visible-light image, encoded (`visible_ext` says how).
    pub visible: Vec<u8>,
    /// `png` or `jpg`.
    pub visible_ext: &'static str,
    /// The decoded visible-light image (what `visible` decodes to).
    pub image: RgbImage,
    /// Infrared companion (PNG, grey), when bands are rendered.
    pub ir: Option<Vec<u8>>,
    /// Ultraviolet companion (PNG), when bands are rendered.
    pub uv: Option<Vec<u8>>,
    /// What it is, exactly.
    pub label: Label,
}

/// Why a specimen could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecimenError {
    /// An embedded font did not parse.
    #[error("an embedded font could not be parsed")]
    Font,
    /// The generated data could not be written as an MRZ.
    #[error("generating the MRZ: {0}")]
    Generate(#[from] mrz::GenerateError),
    /// Encoding an image failed.
    #[error("encoding an image: {0}")]
    Encode(#[from] image::ImageError),
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CorpusOptions {
    /// Resolution of pages (low-resolution captures override it). Default 300.
    pub dpi: u32,
    /// Formats drawn from. Default: all.
    pub formats: Vec<Format>,
    /// Capture conditions drawn from. Default: [`Condition::ALL`], every
    /// condition but [`Condition::Stamped`].
    pub conditions: Vec<Condition>,
    /// Share of forged specimens. Default 0.4.
    pub forgery_rate: f64,
    /// Share of specimens with invalid data. Default 0.05.
    pub invalid_rate: f64,
    /// Forgery types drawn from. Default: all.
    pub forgeries: Vec<Forgery>,
    /// Render infrared and ultraviolet companions. Default true.
    pub bands: bool,
    /// The date genuine documents are valid on. Default 2026-06-01.
    pub reference: Date,
    /// Store every visible image as JPEG at this quality (recorded in the
    /// capture, since it is part of the image's history). Default: `None`,
    /// only captures that re-compress use JPEG.
    pub store_jpeg: Option<u8>,
}

impl Default for CorpusOptions {
    fn default() -> CorpusOptions {
        CorpusOptions {
            dpi: 300,
            formats: Format::ALL.to_vec(),
            conditions: Condition::ALL.to_vec(),
            forgery_rate: 0.4,
            invalid_rate: 0.05,
            forgeries: Forgery::ALL.to_vec(),
            bands: true,
            reference: Date::new(2026, 6, 1).unwrap_or(Date::EPOCH),
            store_jpeg: None,
        }
    }
}

impl CorpusOptions {
    /// With a page resolution.
    pub fn dpi(mut self, dpi: u32) -> Self {
        self.dpi = dpi;
        self
    }

    /// With these formats only.
    pub fn formats(mut self, formats: &[Format]) -> Self {
        self.formats = formats.to_vec();
        self
    }

    /// With these capture conditions only.
    pub fn conditions(mut self, conditions: &[Condition]) -> Self {
        self.conditions = conditions.to_vec();
        self
    }

    /// With a share of forged documents.
    pub fn forgery_rate(mut self, rate: f64) -> Self {
        self.forgery_rate = rate;
        self
    }

    /// With a share of documents with invalid data.
    pub fn invalid_rate(mut self, rate: f64) -> Self {
        self.invalid_rate = rate;
        self
    }

    /// With these forgery types only.
    pub fn forgeries(mut self, forgeries: &[Forgery]) -> Self {
        self.forgeries = forgeries.to_vec();
        self
    }

    /// With or without the infrared and ultraviolet companions.
    pub fn bands(mut self, on: bool) -> Self {
        self.bands = on;
        self
    }

    /// With a reference date.
    pub fn reference(mut self, date: Date) -> Self {
        self.reference = date;
        self
    }

    /// Storing visible images as JPEG at this quality.
    pub fn store_jpeg(mut self, quality: Option<u8>) -> Self {
        self.store_jpeg = quality;
        self
    }
}

/// Renders specimens. Build once (it parses the fonts); `Send + Sync`.
///
/// # Examples
///
/// ```
/// use mrtd_verify::specimen::{CorpusOptions, Generator, Truth, Condition};
/// use mrtd_verify::mrz::Format;
/// let generator = Generator::new(CorpusOptions::default().dpi(150).bands(false))?;
/// let s = generator.render(7, 0, Format::Td1, Truth::Genuine, Condition::Clean)?;
/// assert!(s.label.genuine);
/// assert_eq!(s.label.mrz_lines.len(), 3);
/// assert_eq!(s.label.chars.len(), 90);
/// # Ok::<(), mrtd_verify::specimen::SpecimenError>(())
/// ```
pub struct Generator {
    fonts: Fonts,
    options: CorpusOptions,
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator").field("options", &self.options).finish_non_exhaustive()
    }
}

impl From<FontError> for SpecimenError {
    fn from(_: FontError) -> SpecimenError {
        SpecimenError::Font
    }
}

/// The corners of a box in page pixels, mapped to output pixels.
fn quad(p: &Projection, b: Bounds) -> Quad {
    Quad::from_box(b.x0, b.y0, b.x1, b.y1).map(|q| crate::Point::from(*p * (q.x, q.y)))
}

fn encode_png_rgb(img: &RgbImage) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(img.as_raw(), img.width(), img.height(), ExtendedColorType::Rgb8)?;
    Ok(out)
}

fn encode_png_gray(img: &GrayImage) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(img.as_raw(), img.width(), img.height(), ExtendedColorType::L8)?;
    Ok(out)
}

/// The visible image as stored: JPEG at `jpeg_quality` (with what it decodes
/// to) or PNG; returns the bytes, their extension and the decoded image.
fn encode_visible(
    visible: RgbImage,
    jpeg_quality: Option<u8>,
) -> Result<(Vec<u8>, &'static str, RgbImage), image::ImageError> {
    match jpeg_quality {
        Some(q) => {
            let mut out = Vec::new();
            JpegEncoder::new_with_quality(&mut out, q).write_image(
                visible.as_raw(),
                visible.width(),
                visible.height(),
                ExtendedColorType::Rgb8,
            )?;
            let decoded = image::load_from_memory(&out)?.to_rgb8();
            Ok((out, "jpg", decoded))
        }
        None => Ok((encode_png_rgb(&visible)?, "png", visible)),
    }
}

impl Generator {
    /// A generator with these options.
    ///
    /// # Errors
    ///
    /// [`SpecimenError::Font`] if an embedded font does not parse.
    pub fn new(options: CorpusOptions) -> Result<Generator, SpecimenError> {
        Ok(Generator { fonts: Fonts::load()?, options })
    }

    /// The options.
    pub fn options(&self) -> &CorpusOptions {
        &self.options
    }

    /// Specimen `index` of the corpus `seed`: format, truth and capture drawn
    /// from the options. Deterministic.
    ///
    /// # Errors
    ///
    /// As [`Generator::render`].
    pub fn specimen(&self, seed: u64, index: u64) -> Result<Specimen, SpecimenError> {
        let mut rng = Rng::new(seed).fork(index);
        let o = &self.options;
        let format = *rng.pick(&o.formats).unwrap_or(&Format::Td3);
        let roll = rng.unit();
        let forgeries: Vec<Forgery> = o.forgeries.iter().copied().filter(|f| o.bands || !f.needs_bands()).collect();
        let truth = if roll < o.forgery_rate && !forgeries.is_empty() {
            Truth::Forged(*rng.pick(&forgeries).unwrap_or(&Forgery::CheckDigitAltered))
        } else if roll < o.forgery_rate + o.invalid_rate {
            Truth::Invalid(
                *rng.pick(&[InvalidData::Expired, InvalidData::BirthAfterIssue]).unwrap_or(&InvalidData::Expired),
            )
        } else {
            Truth::Genuine
        };
        let condition = *rng.pick(&o.conditions).unwrap_or(&Condition::Clean);
        self.render(seed, index, format, truth, condition)
    }

    /// Renders one specimen of a given format, truth and capture condition.
    /// Deterministic in (`seed`, `index`).
    ///
    /// # Errors
    ///
    /// [`SpecimenError`] if the data cannot be written or an image encoded.
    pub fn render(
        &self,
        seed: u64,
        index: u64,
        format: Format,
        truth: Truth,
        condition: Condition,
    ) -> Result<Specimen, SpecimenError> {
        let mut rng = Rng::new(seed).fork(index).fork(0xD0C);
        let reference = self.options.reference;
        let mut data = DocumentData::random(&mut rng, format, reference);
        if let Truth::Invalid(kind) = truth {
            make_invalid(&mut data, kind, reference, &mut rng);
        }
        let true_text = mrz::generate(&data.fields)?;
        let true_lines: Vec<String> = true_text.lines().map(str::to_owned).collect();

        // The visual zone, as genuinely printed.
        let style = *rng
            .pick(&[DateStyle::Dotted, DateStyle::Bilingual, DateStyle::Month, DateStyle::Slashed])
            .unwrap_or(&DateStyle::Dotted);
        let date_text = |p: PartialDate| match p.date() {
            Some(d) => render::format_date(d, style),
            None => match p.month() {
                Some(m) => format!("XX.{m:02}.{:04}", p.year()),
                None => format!("XX.XX.{:04}", p.year()),
            },
        };
        let mut viz = VizValues {
            surname: data.holder.surname.clone(),
            given_names: data.holder.given_names.clone(),
            document_number: data.fields.document_number.clone(),
            nationality: data.fields.nationality.trim_end_matches('<').to_owned(),
            birth_date: date_text(data.fields.birth_date),
            sex: data.fields.sex.to_string(),
            birth_place: data.holder.birth_place.clone(),
            issue_date: render::format_date(data.issue_date, style),
            expiry_date: data.fields.expiry_date.map(|d| render::format_date(d, style)).unwrap_or_default(),
            issuing_state: data.fields.issuing_state.clone(),
        };
        let mut detail = ForgeryDetail::default();

        // Text-level forgeries: the MRZ as printed.
        let forgery = if let Truth::Forged(f) = truth { Some(f) } else { None };
        let forged_lines = match forgery {
            Some(f) => forgery::mrz_text::forge(f, &data.fields, &true_text, reference, &mut rng, &mut detail)?,
            None => None,
        };
        let printed = forged_lines.unwrap_or_else(|| true_lines.clone());

        // The printer: ink spread and the OCR-B implementation's glyph width.
        let mut mrz_style = MrzStyle {
            face: if rng.chance(0.5) { Face::OcrB } else { Face::OcrBSharp },
            weight_mm: rng.uniform(0.0, 0.14) as f32,
            width_scale: rng.uniform(0.92, 1.1) as f32,
            ..MrzStyle::default()
        };
        let mut paper_uv = [28, 30, 48];
        if let Some(f) = forgery {
            forgery::print::forge(f, &true_text, &mut rng, &mut mrz_style, &mut paper_uv, &mut detail);
        }

        // Render the page.
        let mut capture = Capture::random(condition, self.options.dpi, &mut rng);
        if capture.jpeg_quality.is_none() {
            capture.jpeg_quality = self.options.store_jpeg;
        }
        let spec = PageSpec {
            format,
            document_code: &data.fields.document_code,
            mrz_lines: &printed,
            viz: &viz,
            dpi: capture.dpi as f32,
            mrz_style,
            paper_uv,
            bands: self.options.bands,
        };
        let mut page = render::render_page(&self.fonts, &spec, &mut rng);

        // Image-level forgeries on the page.
        let edit = match forgery {
            Some(f) => forgery::page::forge(f, &self.fonts, &mut page, &data, style, &mut rng, &mut viz, &mut detail)?,
            None => None,
        };

        // A stamp pressed over the MRZ, from its own stream (the others'
        // draws are unchanged).
        if condition == Condition::Stamped {
            let mut stamp_rng = rng.fork(0x57A3);
            let stamp = Stamp::random(page.canvas.ppmm, page.mrz_bounds, &mut stamp_rng);
            stamp.press(&mut page.canvas, &self.fonts, &mut stamp_rng);
            capture.stamp = Some(stamp);
        }

        // Capture.
        let (pw, ph) = (page.canvas.width(), page.canvas.height());
        let (size, projection) = capture::geometry(&capture, pw, ph, &mut rng);
        let bed = if capture.bed_mm.is_some() { [238, 238, 236] } else { [rng.range(200, 250) as u8; 3] };
        let mut visible = capture::warp_rgb(&page.canvas.vis, size, &projection, bed);
        capture::degrade(&mut visible, &capture, &mut rng);
        let (visible_bytes, ext, image) = encode_visible(visible, capture.jpeg_quality)?;
        let (ir, uv) = if self.options.bands {
            // The companions from a stream of their own: the visible band's
            // draws stay as they were.
            let mut band_rng = rng.fork(0xBA4D);
            let reader = BandCapture::random(capture.dpi, &mut band_rng);
            capture.bands = Some(reader);
            let ir = reader.grey(&capture::warp_gray(&page.canvas.ir, size, &projection, 230), 230, &mut band_rng);
            let uv = reader.rgb(
                &capture::warp_rgb(&page.canvas.uv, size, &projection, [8, 8, 12]),
                [8, 8, 12],
                &mut band_rng,
            );
            (Some(encode_png_gray(&ir)?), Some(encode_png_rgb(&uv)?))
        } else {
            (None, None)
        };

        let stem = format!("{seed}-{index:05}");
        let page_bounds = Bounds { x0: 0.0, y0: 0.0, x1: pw as f32, y1: ph as f32 };
        detail.region = edit.map(|e| quad(&projection, e.region));
        detail.source_region = edit.and_then(|e| e.source).map(|b| quad(&projection, b));
        let label = Label {
            file: format!("{stem}.{ext}"),
            ir_file: ir.as_ref().map(|_| format!("{stem}-ir.png")),
            uv_file: uv.as_ref().map(|_| format!("{stem}-uv.png")),
            seed,
            index,
            format,
            genuine: truth == Truth::Genuine,
            forgery,
            invalid: if let Truth::Invalid(k) = truth { Some(k) } else { None },
            detail,
            mrz_lines: printed,
            true_mrz_lines: true_lines,
            viz,
            capture,
            page_quad: quad(&projection, page_bounds),
            mrz_quad: quad(&projection, page.mrz_bounds),
            portrait_quad: quad(&projection, page.portrait),
            chars: page
                .mrz
                .iter()
                .map(|g| CharLabel {
                    line: g.line,
                    index: g.index,
                    ch: g.ch,
                    ink: quad(&projection, g.ink),
                    cell: quad(&projection, g.cell),
                })
                .collect(),
            mrz_char_height_px: page.mrz_cap_px,
            mrz_pitch_px: page.mrz_pitch_px,
            width: image.width(),
            height: image.height(),
            viz_text: page
                .viz
                .iter()
                .chain(&page.captions)
                .map(|f| VizText {
                    key: f.key.to_owned(),
                    text: f.value.clone(),
                    chars: f.chars.iter().map(|&b| quad(&projection, b)).collect(),
                })
                .collect(),
        };
        Ok(Specimen { visible: visible_bytes, visible_ext: ext, image, ir, uv, label })
    }
}
