//! Rendered specimens, genuine and forged, with exact labels.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder, RgbImage};
use imageproc::geometric_transformations::Projection;

use super::art::{self, Stamp};
use super::canvas::{Bounds, Canvas, Ink, Paper};
use super::capture::{self, Capture, Condition};
use super::fonts::{Face, FontError, Fonts};
use super::identity::DocumentData;
use super::invalid::{InvalidData, make_invalid};
use super::label::{CharLabel, ForgeryDetail, Label, Quad, Truth};
use super::render::{self, DateStyle, MrzStyle, PageSpec, VizValues};
use super::rng::Rng;
use super::text::alter_checked;
use crate::mrz::{self, CheckId, Date, Format, PartialDate};

/// How a forged specimen was forged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Forgery {
    /// One MRZ character covered by a check digit changed, the digit left as
    /// it was (the label names the refuted digit).
    CheckDigitAltered,
    /// An MRZ field changed with its check digits recomputed; the visual zone
    /// keeps the old value.
    MrzRecomputed,
    /// The MRZ re-typed in a font that is not OCR-B.
    MrzRetyped,
    /// Some MRZ characters pasted with small pitch, baseline, size or contrast
    /// offsets.
    MrzPasted,
    /// The portrait replaced by another one with its own noise and compression
    /// history and hard edges.
    PortraitSubstituted,
    /// A region of the visual zone copied over another.
    CopyMove,
    /// A visual-zone field altered (patched background, new value); the MRZ
    /// keeps the genuine value.
    VizAltered,
    /// The MRZ printed with an ink that vanishes in infrared.
    MrzIrInvisible,
    /// Paper that glows under ultraviolet (ordinary paper with brighteners).
    PaperUvGlow,
}

impl Forgery {
    /// Every forgery type.
    pub const ALL: [Forgery; 9] = [
        Forgery::CheckDigitAltered,
        Forgery::MrzRecomputed,
        Forgery::MrzRetyped,
        Forgery::MrzPasted,
        Forgery::PortraitSubstituted,
        Forgery::CopyMove,
        Forgery::VizAltered,
        Forgery::MrzIrInvisible,
        Forgery::PaperUvGlow,
    ];

    /// Whether the forgery shows only in the IR or UV companion images.
    pub fn needs_bands(self) -> bool {
        matches!(self, Forgery::MrzIrInvisible | Forgery::PaperUvGlow)
    }
}

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
    /// Capture conditions drawn from. Default: all.
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

fn quad(p: &Projection, b: Bounds) -> Quad {
    let map = |x: f32, y: f32| {
        let (u, v) = *p * (x, y);
        [u, v]
    };
    [map(b.x0, b.y0), map(b.x1, b.y0), map(b.x1, b.y1), map(b.x0, b.y1)]
}

fn encode_png_rgb(img: &RgbImage) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(img.as_raw(), img.width(), img.height(), ExtendedColorType::Rgb8)?;
    Ok(out)
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
        let mut printed = true_lines.clone();
        let forgery = if let Truth::Forged(f) = truth { Some(f) } else { None };
        match forgery {
            Some(Forgery::CheckDigitAltered) => {
                let m = mrz::parse(&true_text).ok();
                let checks: Vec<CheckId> = m.map(|m| m.check_digits().map(|c| c.id).collect()).unwrap_or_default();
                for _ in 0..8 {
                    let Some(&check) = rng.pick(&checks) else { break };
                    if let Some((altered, _)) = alter_checked(&mut rng, &true_text, check, reference) {
                        printed = altered.lines().map(str::to_owned).collect();
                        detail.refuted_check = Some(check);
                        break;
                    }
                }
            }
            Some(Forgery::MrzRecomputed) => {
                let mut f = data.fields.clone();
                let field = match rng.below(3) {
                    0 => {
                        // Younger by some years.
                        let b = f.birth_date;
                        f.birth_date =
                            PartialDate::new(b.year() + rng.range(3, 12) as u16, b.month(), b.day().map(|d| d.min(28)))
                                .unwrap_or(b);
                        "birth_date"
                    }
                    1 => {
                        let e = f.expiry_date.and_then(|e| e.add_years(rng.range(3, 8) as i32));
                        f.expiry_date = e.or(f.expiry_date);
                        if f.expiry_date.is_none() {
                            f.surname = format!("{}A", f.surname);
                            "surname"
                        } else {
                            "expiry_date"
                        }
                    }
                    _ => {
                        f.surname = rng
                            .pick(&["Keita", "Diallo", "Sow", "Toure", "Mensah"])
                            .copied()
                            .unwrap_or("Sow")
                            .to_owned();
                        "surname"
                    }
                };
                let text = mrz::generate(&f)?;
                printed = text.lines().map(str::to_owned).collect();
                detail.field = Some(field.into());
            }
            _ => {}
        }

        // The printer: ink spread and the OCR-B implementation's glyph width.
        let mut mrz_style = MrzStyle {
            face: if rng.chance(0.5) { Face::OcrB } else { Face::OcrBSharp },
            weight_mm: rng.uniform(0.0, 0.14) as f32,
            width_scale: rng.uniform(0.92, 1.1) as f32,
            ..MrzStyle::default()
        };
        let mut paper_uv = [28, 30, 48];
        match forgery {
            Some(Forgery::MrzRetyped) => mrz_style.face = Face::Mono,
            Some(Forgery::MrzIrInvisible) => mrz_style.ink = Ink::Colour([30, 30, 36]),
            Some(Forgery::PaperUvGlow) => paper_uv = [175, 180, 235],
            Some(Forgery::MrzPasted) => {
                // A field re-pasted: its characters share one offset.
                let m = mrz::parse(&true_text).ok();
                let field = *rng
                    .pick(&[mrz::FieldId::DocumentNumber, mrz::FieldId::BirthDate, mrz::FieldId::ExpiryDate])
                    .unwrap_or(&mrz::FieldId::BirthDate);
                if let Some(span) = m.and_then(|m| m.span(field).or_else(|| m.span(mrz::FieldId::BirthDate))) {
                    let dx = rng.uniform(0.15, 0.35) as f32 * if rng.chance(0.5) { 1.0 } else { -1.0 };
                    let dy = rng.uniform(0.15, 0.35) as f32 * if rng.chance(0.5) { 1.0 } else { -1.0 };
                    let size = rng.uniform(1.06, 1.14) as f32;
                    let contrast = rng.uniform(0.7, 0.85) as f32;
                    for c in span.range() {
                        mrz_style.pasted.push(((usize::from(span.line), c), render::Paste { dx, dy, size, contrast }));
                        detail.pasted.push((usize::from(span.line), c));
                    }
                    detail.field = Some(field.name().into());
                }
            }
            _ => {}
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
        let mut page_region: Option<Bounds> = None;
        let mut page_source: Option<Bounds> = None;
        match forgery {
            Some(Forgery::PortraitSubstituted) => {
                substitute_portrait(&mut page.canvas, page.portrait, &mut rng)?;
                page_region = Some(page.portrait);
            }
            Some(Forgery::CopyMove) => {
                if let Some((src, dst, key, before, after)) = copy_move(&mut page, &mut rng) {
                    page_region = Some(dst);
                    page_source = Some(src);
                    set_viz(&mut viz, key, after);
                    detail.field = Some(key.into());
                    detail.original = Some(before);
                }
            }
            Some(Forgery::VizAltered) => {
                if let Some((region, key, before, after)) = alter_viz(&self.fonts, &mut page, &data, style, &mut rng) {
                    page_region = Some(region);
                    set_viz(&mut viz, key, after);
                    detail.field = Some(key.into());
                    detail.original = Some(before);
                }
            }
            _ => {}
        }

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
        let (visible_bytes, ext, image) = match capture.jpeg_quality {
            Some(q) => {
                let mut out = Vec::new();
                JpegEncoder::new_with_quality(&mut out, q).write_image(
                    visible.as_raw(),
                    visible.width(),
                    visible.height(),
                    ExtendedColorType::Rgb8,
                )?;
                let decoded = image::load_from_memory(&out)?.to_rgb8();
                (out, "jpg", decoded)
            }
            None => (encode_png_rgb(&visible)?, "png", visible),
        };
        let (ir, uv) = if self.options.bands {
            let ir = capture::warp_gray(&page.canvas.ir, size, &projection, 230);
            let uv = capture::warp_rgb(&page.canvas.uv, size, &projection, [8, 8, 12]);
            let mut ir_png = Vec::new();
            PngEncoder::new(&mut ir_png).write_image(ir.as_raw(), ir.width(), ir.height(), ExtendedColorType::L8)?;
            (Some(ir_png), Some(encode_png_rgb(&uv)?))
        } else {
            (None, None)
        };

        let stem = format!("{seed}-{index:05}");
        let page_bounds = Bounds { x0: 0.0, y0: 0.0, x1: pw as f32, y1: ph as f32 };
        detail.region = page_region.map(|b| quad(&projection, b));
        detail.source_region = page_source.map(|b| quad(&projection, b));
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
        };
        Ok(Specimen { visible: visible_bytes, visible_ext: ext, image, ir, uv, label })
    }
}

fn set_viz(viz: &mut VizValues, key: &str, value: String) {
    let slot = match key {
        "surname" => &mut viz.surname,
        "given_names" => &mut viz.given_names,
        "document_number" => &mut viz.document_number,
        "birth_date" => &mut viz.birth_date,
        "expiry_date" => &mut viz.expiry_date,
        "issue_date" => &mut viz.issue_date,
        "birth_place" => &mut viz.birth_place,
        "nationality" => &mut viz.nationality,
        "sex" => &mut viz.sex,
        _ => return,
    };
    *slot = value;
}

/// Replaces the portrait with another face, compressed hard and noisier, pasted
/// with hard edges.
fn substitute_portrait(canvas: &mut Canvas, b: Bounds, rng: &mut Rng) -> Result<(), SpecimenError> {
    let (w, h) = ((b.x1 - b.x0).round().max(2.0) as u32, (b.y1 - b.y0).round().max(2.0) as u32);
    let paper = Paper { vis: [240, 240, 240], ir: 230, uv: [20, 20, 30] };
    let mut other = Canvas::new(w, h, canvas.ppmm, paper);
    let mut face_rng = rng.fork(0xFACE);
    art::portrait(&mut other, Bounds { x0: 0.0, y0: 0.0, x1: w as f32, y1: h as f32 }, &mut face_rng);
    // The substitute was printed elsewhere: it shows none of the page's UV
    // features.
    let mut jpeg = Vec::new();
    let q = rng.range(18, 45) as u8;
    JpegEncoder::new_with_quality(&mut jpeg, q).write_image(other.vis.as_raw(), w, h, ExtendedColorType::Rgb8)?;
    let photo = image::load_from_memory(&jpeg)?.to_rgb8();
    let mut noise = rng.fork(0xBEEF);
    let sigma = rng.uniform(5.0, 12.0) as f32;
    let (x0, y0) = (b.x0.round() as u32, b.y0.round() as u32);
    for (x, y, p) in photo.enumerate_pixels() {
        let (tx, ty) = (x0 + x, y0 + y);
        if tx < canvas.width() && ty < canvas.height() {
            let mut v = p.0;
            for ch in &mut v {
                *ch = (f32::from(*ch) + noise.normal_fast() * sigma + 0.5).max(0.0) as u8;
            }
            canvas.vis.put_pixel(tx, ty, image::Rgb(v));
            let lum = (0.3 * f32::from(v[0]) + 0.59 * f32::from(v[1]) + 0.11 * f32::from(v[2])) * 0.55 + 14.0;
            canvas.ir.put_pixel(tx, ty, image::Luma([lum as u8]));
        }
    }
    Ok(())
}

/// Copies one character of a visual-zone value over another character of a
/// value; returns (source, destination, key, value before, value after).
fn copy_move(page: &mut render::Page, rng: &mut Rng) -> Option<(Bounds, Bounds, &'static str, String, String)> {
    let candidates: Vec<usize> = page
        .viz
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            matches!(f.key, "document_number" | "birth_date" | "expiry_date")
                && f.value.chars().filter(char::is_ascii_digit).count() >= 4
        })
        .map(|(i, _)| i)
        .collect();
    let &fi = rng.pick(&candidates)?;
    let field = page.viz.get(fi)?.clone();
    let digits: Vec<usize> =
        field.value.chars().enumerate().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
    for _ in 0..10 {
        let (&a, &b) = (rng.pick(&digits)?, rng.pick(&digits)?);
        let (ca, cb) = (field.value.chars().nth(a)?, field.value.chars().nth(b)?);
        if ca == cb || a == b {
            continue;
        }
        let (src, dst) = (*field.chars.get(a)?, *field.chars.get(b)?);
        // Copy the source cell's pixels onto the destination cell (same size:
        // digits share one advance in these fonts).
        let (sx0, sy0, sx1, sy1) = page.canvas.clip(src);
        let (dx0, dy0, _, _) = page.canvas.clip(dst);
        let patch: Vec<(u32, u32, image::Rgb<u8>, image::Luma<u8>)> = (sy0..sy1)
            .flat_map(|y| (sx0..sx1).map(move |x| (x, y)))
            .map(|(x, y)| (x - sx0, y - sy0, *page.canvas.vis.get_pixel(x, y), *page.canvas.ir.get_pixel(x, y)))
            .collect();
        for (x, y, v, i) in patch {
            let (tx, ty) = (dx0 + x, dy0 + y);
            if tx < page.canvas.width() && ty < page.canvas.height() {
                page.canvas.vis.put_pixel(tx, ty, v);
                page.canvas.ir.put_pixel(tx, ty, i);
            }
        }
        let after: String = field.value.chars().enumerate().map(|(i, c)| if i == b { ca } else { c }).collect();
        let dst_box =
            Bounds { x0: dx0 as f32, y0: dy0 as f32, x1: (dx0 + sx1 - sx0) as f32, y1: (dy0 + sy1 - sy0) as f32 };
        let src_box = Bounds { x0: sx0 as f32, y0: sy0 as f32, x1: sx1 as f32, y1: sy1 as f32 };
        return Some((src_box, dst_box, field.key, field.value.clone(), after));
    }
    None
}

/// Alters a visual-zone value: patches its background with a flat colour
/// sampled nearby and prints a new value, slightly off in size and position.
fn alter_viz(
    fonts: &Fonts,
    page: &mut render::Page,
    data: &DocumentData,
    style: DateStyle,
    rng: &mut Rng,
) -> Option<(Bounds, &'static str, String, String)> {
    let keys: Vec<&'static str> = page
        .viz
        .iter()
        .map(|f| f.key)
        .filter(|k| matches!(*k, "expiry_date" | "birth_date" | "surname" | "document_number"))
        .collect();
    let &key = rng.pick(&keys)?;
    let field = page.viz.iter().find(|f| f.key == key)?.clone();
    let after = match key {
        "expiry_date" => data
            .fields
            .expiry_date
            .and_then(|e| e.add_years(rng.range(4, 9) as i32))
            .map(|d| render::format_date(d, style))?,
        "birth_date" => {
            data.holder.birth_date.add_years(rng.range(4, 12) as i32).map(|d| render::format_date(d, style))?
        }
        "surname" => rng.pick(&["KEITA", "DIALLO", "SOW", "TOURE", "MENSAH", "BARRY"]).copied()?.to_owned(),
        _ => {
            let mut n: Vec<char> = field.value.chars().collect();
            let i = rng.below(n.len() as u64) as usize;
            if let Some(c) = n.get_mut(i) {
                *c = if *c == '7' {
                    '1'
                } else if c.is_ascii_digit() {
                    '7'
                } else {
                    'X'
                };
            }
            n.into_iter().collect()
        }
    };
    if after == field.value {
        return None;
    }
    let pad = field.cap_px * 0.25;
    let region = Bounds {
        x0: field.bounds.x0 - pad,
        y0: field.bounds.y0 - pad,
        x1: field.bounds.x1 + pad * 4.0,
        y1: field.bounds.y1 + pad,
    };
    // The forger's flat patch: a colour sampled just above the value.
    let (sx, sy) = ((region.x0 + 2.0).max(0.0) as u32, (region.y0 - 2.0).max(0.0) as u32);
    let sample = *page
        .canvas
        .vis
        .get_pixel(sx.min(page.canvas.width().saturating_sub(1)), sy.min(page.canvas.height().saturating_sub(1)));
    let (x0, y0, x1, y1) = page.canvas.clip(region);
    for y in y0..y1 {
        for x in x0..x1 {
            page.canvas.vis.put_pixel(x, y, sample);
            page.canvas.ir.put_pixel(x, y, image::Luma([232]));
        }
    }
    let size = field.cap_px * rng.uniform(0.94, 1.08) as f32;
    let face = if rng.chance(0.5) { field.face } else { Face::Sans };
    let dy = field.cap_px * rng.uniform(-0.12, 0.12) as f32;
    page.canvas.text(
        fonts,
        face,
        &after,
        (field.x + field.cap_px * 0.1, field.baseline + dy),
        size,
        Ink::Carbon([30, 30, 34]),
    );
    Some((region, key, field.value, after))
}
