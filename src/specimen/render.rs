//! Renders one document page: security background, header, portrait, the
//! visual inspection zone with bilingual captions, and the MRZ in OCR-B at the
//! Doc 9303 pitch and position. Layout, fonts and colours vary with the seed so
//! that a checker cannot succeed by memorising one template.

use super::art;
use super::canvas::{Bounds, Canvas, Ink, Paper};
use super::fonts::{Face, Fonts};
use super::rng::Rng;
use crate::mrz::{Date, Format};

/// Physical size of a format in millimetres (width, height).
pub(crate) fn page_mm(format: Format) -> (f32, f32) {
    match format {
        Format::Td1 => (85.6, 54.0),
        Format::Td2 | Format::MrvB | Format::FraId => (105.0, 74.0),
        Format::Td3 => (125.0, 88.0),
        Format::MrvA => (120.0, 80.0),
    }
}

/// Nominal MRZ line centres in mm from the bottom edge, top line first. The
/// pitch is 2.54 mm (10 characters per inch) and the line spacing 4.23 mm
/// (1/6 inch), as Doc 9303 prescribes for OCR-B size 1.
fn mrz_centres(format: Format) -> Vec<f32> {
    match format {
        Format::Td1 => vec![13.26, 9.03, 4.8],
        _ => vec![10.58, 6.35],
    }
}

/// The nominal MRZ pitch in mm.
pub(crate) const MRZ_PITCH_MM: f32 = 2.54;

/// How the MRZ is printed (genuine, or altered by a forgery).
#[derive(Debug, Clone)]
pub(crate) struct MrzStyle {
    pub(crate) face: Face,
    pub(crate) ink: Ink,
    /// Characters printed with offsets, by (line, index).
    pub(crate) pasted: Vec<((usize, usize), Paste)>,
    /// Ink spread of the printer (stroke thickening) in mm.
    pub(crate) weight_mm: f32,
    /// Horizontal scale of the glyphs (OCR-B implementations differ in width).
    pub(crate) width_scale: f32,
}

/// How a pasted character is off: position (mm), size and contrast factors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Paste {
    pub(crate) dx: f32,
    pub(crate) dy: f32,
    pub(crate) size: f32,
    pub(crate) contrast: f32,
}

impl Default for MrzStyle {
    fn default() -> MrzStyle {
        MrzStyle {
            face: Face::OcrB,
            ink: Ink::Carbon([22, 22, 26]),
            pasted: Vec::new(),
            weight_mm: 0.0,
            width_scale: 1.0,
        }
    }
}

/// What the visual zone prints.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VizValues {
    /// Surname as printed.
    pub surname: String,
    /// Given names as printed.
    pub given_names: String,
    /// Document number.
    pub document_number: String,
    /// Nationality code.
    pub nationality: String,
    /// Date of birth as printed.
    pub birth_date: String,
    /// Sex.
    pub sex: String,
    /// Place of birth.
    pub birth_place: String,
    /// Date of issue as printed.
    pub issue_date: String,
    /// Date of expiry as printed (empty when the document has none printed).
    pub expiry_date: String,
    /// Issuing state code.
    pub issuing_state: String,
}

/// A date style used in visual zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateStyle {
    /// `12.01.1985`
    Dotted,
    /// `12 JANV/JAN 85`
    Bilingual,
    /// `12 JAN 1985`
    Month,
    /// `12/01/1985`
    Slashed,
}

const MONTHS_FR: [&str; 12] =
    ["JANV", "FEVR", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOUT", "SEPT", "OCT", "NOV", "DEC"];
const MONTHS_EN: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/// Formats a date as documents print it.
pub(crate) fn format_date(d: Date, style: DateStyle) -> String {
    let m = usize::from(d.month().saturating_sub(1));
    let (fr, en) = (MONTHS_FR.get(m).copied().unwrap_or("?"), MONTHS_EN.get(m).copied().unwrap_or("?"));
    match style {
        DateStyle::Dotted => format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year()),
        DateStyle::Bilingual => format!("{:02} {fr}/{en} {:02}", d.day(), d.year() % 100),
        DateStyle::Month => format!("{:02} {en} {:04}", d.day(), d.year()),
        DateStyle::Slashed => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
    }
}

/// State names for headers (the codes the generator issues from); others get
/// a generic header.
fn state_name(code: &str) -> &'static str {
    match code {
        "MLI" => "REPUBLIQUE DU MALI",
        "NER" => "REPUBLIQUE DU NIGER",
        "BFA" => "BURKINA FASO",
        "MRT" => "REPUBLIQUE ISLAMIQUE DE MAURITANIE",
        "SEN" => "REPUBLIQUE DU SENEGAL",
        "CIV" => "REPUBLIQUE DE COTE D'IVOIRE",
        "GIN" => "REPUBLIQUE DE GUINEE",
        "TCD" => "REPUBLIQUE DU TCHAD",
        "NGA" => "FEDERAL REPUBLIC OF NIGERIA",
        "DZA" => "REPUBLIQUE ALGERIENNE",
        "MAR" => "ROYAUME DU MAROC",
        "GHA" => "REPUBLIC OF GHANA",
        "BEN" => "REPUBLIQUE DU BENIN",
        "TGO" => "REPUBLIQUE TOGOLAISE",
        "GMB" => "REPUBLIC OF THE GAMBIA",
        "CMR" => "REPUBLIQUE DU CAMEROUN",
        "FRA" => "REPUBLIQUE FRANCAISE",
        "D<<" => "BUNDESREPUBLIK DEUTSCHLAND",
        "ESP" => "REINO DE ESPANA",
        "ITA" => "REPUBBLICA ITALIANA",
        "BEL" => "ROYAUME DE BELGIQUE",
        "USA" => "UNITED STATES OF AMERICA",
        _ => "ETAT EMETTEUR / ISSUING STATE",
    }
}

fn title(format: Format, code: &str) -> &'static str {
    match format {
        Format::Td3 => "PASSEPORT / PASSPORT",
        Format::MrvA | Format::MrvB => "VISA",
        Format::FraId => "CARTE NATIONALE D'IDENTITE",
        Format::Td1 | Format::Td2 => {
            if code.starts_with('A') || code.starts_with("IR") {
                "TITRE DE SEJOUR / RESIDENCE PERMIT"
            } else {
                "CARTE D'IDENTITE / IDENTITY CARD"
            }
        }
    }
}

/// A field of the visual zone, as laid out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VizField {
    /// Key: `surname`, `given_names`, `document_number`, `birth_date`...
    pub(crate) key: &'static str,
    pub(crate) value: String,
    /// Box of the printed value in canvas pixels.
    pub(crate) bounds: Bounds,
    /// Box of each printed character of the value.
    pub(crate) chars: Vec<Bounds>,
    pub(crate) face: Face,
    pub(crate) cap_px: f32,
    pub(crate) baseline: f32,
    pub(crate) x: f32,
}

/// One MRZ character as printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MrzGlyph {
    pub(crate) line: usize,
    pub(crate) index: usize,
    pub(crate) ch: char,
    /// Ink box (the glyph's outline bounds; a filler `<` has its chevron's box).
    pub(crate) ink: Bounds,
    /// The character cell: pitch-wide, from cap height to baseline.
    pub(crate) cell: Bounds,
}

/// A rendered page before capture.
pub(crate) struct Page {
    pub(crate) canvas: Canvas,
    pub(crate) viz: Vec<VizField>,
    /// Every other printed text line of the visual zone (header, captions),
    /// with character boxes; key `header` or `caption`.
    pub(crate) captions: Vec<VizField>,
    pub(crate) mrz: Vec<MrzGlyph>,
    /// The MRZ zone (all lines, all cells) in pixels.
    pub(crate) mrz_bounds: Bounds,
    pub(crate) portrait: Bounds,
    /// Nominal MRZ character (cap) height in pixels.
    pub(crate) mrz_cap_px: f32,
    /// Nominal MRZ pitch in pixels.
    pub(crate) mrz_pitch_px: f32,
}

/// Everything needed to draw one page.
pub(crate) struct PageSpec<'a> {
    pub(crate) format: Format,
    pub(crate) document_code: &'a str,
    pub(crate) mrz_lines: &'a [String],
    pub(crate) viz: &'a VizValues,
    pub(crate) dpi: f32,
    pub(crate) mrz_style: MrzStyle,
    pub(crate) paper_uv: [u8; 3],
    /// Draw the infrared and ultraviolet bands.
    pub(crate) bands: bool,
}

/// Draws a page.
pub(crate) fn render_page(fonts: &Fonts, spec: &PageSpec<'_>, rng: &mut Rng) -> Page {
    let (w_mm, h_mm) = page_mm(spec.format);
    let ppmm = spec.dpi / 25.4;
    let (w, h) = ((w_mm * ppmm).round() as u32, (h_mm * ppmm).round() as u32);
    let hue = rng.uniform(0.0, 360.0) as f32;
    let paper = Paper { vis: art::pastel(hue, 0.25, 0.95), ir: 232, uv: spec.paper_uv };
    let mut canvas = Canvas::new(w, h, ppmm, paper);
    canvas.bands = spec.bands;
    let px = |mm: f32| mm * ppmm;

    // Zones.
    let margin = if spec.format == Format::Td1 { 3.0 } else { 4.0 };
    let centres = mrz_centres(spec.format);
    // OCR-B size 1 is printed 2.0 to 3.2 mm tall; printers differ.
    let mrz_cap_mm = rng.uniform(1.9, 2.7) as f32;
    let top_centre = centres.first().copied().unwrap_or(10.0);
    let mrz_top_mm = h_mm - top_centre - mrz_cap_mm / 2.0 - 1.6;
    let header_h = match spec.format {
        Format::Td1 => 7.0,
        Format::Td3 | Format::MrvA => 10.0,
        _ => 8.0,
    };
    art::security_background(&mut canvas, Bounds { x0: 0.0, y0: 0.0, x1: w as f32, y1: px(mrz_top_mm) }, rng);
    // Drawn (and its random draws made) either way, so a page's visible band is
    // the same with or without companions.
    let mut uv_rng = rng.fork(0x0F);
    if spec.bands {
        art::uv_features(&mut canvas, Bounds { x0: 0.0, y0: 0.0, x1: w as f32, y1: h as f32 }, &mut uv_rng);
    }

    // Header.
    let accent = art::pastel(hue + 180.0, 0.5, 0.35);
    let value_face = *rng.pick(&[Face::Sans, Face::SansBold, Face::Serif]).unwrap_or(&Face::Sans);
    let caption_face = *rng.pick(&[Face::Sans, Face::Serif]).unwrap_or(&Face::Sans);
    let header_cap = px(header_h * 0.22);
    let mut captions = Vec::new();
    for (face, text, baseline, cap) in [
        (Face::SansBold, state_name(&spec.viz.issuing_state), px(margin + header_h * 0.35), header_cap),
        (Face::Sans, title(spec.format, spec.document_code), px(margin + header_h * 0.8), header_cap * 0.9),
    ] {
        let (bounds, chars) =
            text_with_boxes(&mut canvas, fonts, face, text, (px(margin), baseline), cap, Ink::Colour(accent));
        captions.push(VizField {
            key: "header",
            value: text.to_owned(),
            bounds,
            chars,
            face,
            cap_px: cap,
            baseline,
            x: px(margin),
        });
    }
    let emblem_r = px(header_h * 0.42);
    art::emblem(&mut canvas, w as f32 - px(margin) - emblem_r, px(margin) + emblem_r, emblem_r, accent, rng);

    // Portrait.
    let content_top = margin + header_h + 1.0;
    let content_h = (mrz_top_mm - content_top - 1.0).max(10.0);
    let portrait_h = content_h * if spec.format == Format::Td1 { 0.95 } else { 0.9 };
    let portrait_w = portrait_h * 0.78;
    let portrait_left = rng.chance(0.75);
    let portrait_x = if portrait_left { margin } else { w_mm - margin - portrait_w };
    let portrait = Bounds {
        x0: px(portrait_x),
        y0: px(content_top),
        x1: px(portrait_x + portrait_w),
        y1: px(content_top + portrait_h),
    };
    art::portrait(&mut canvas, portrait, rng);

    // Visual zone fields, in rows beside the portrait.
    let fields_x0 = if portrait_left { portrait_x + portrait_w + 3.0 } else { margin };
    let fields_x1 = if portrait_left { w_mm - margin } else { portrait_x - 3.0 };
    let v = spec.viz;
    let mut rows: Vec<Vec<(&'static str, &'static str, String)>> = vec![
        vec![("document_number", "No du document / Document No.", v.document_number.clone())],
        vec![("surname", "Nom / Surname", v.surname.to_uppercase())],
        vec![("given_names", "Prenoms / Given names", v.given_names.to_uppercase())],
        vec![("nationality", "Nationalite / Nationality", v.nationality.clone()), ("sex", "Sexe / Sex", v.sex.clone())],
        vec![("birth_date", "Date de naissance / Date of birth", v.birth_date.clone())],
        vec![("birth_place", "Lieu de naissance / Place of birth", v.birth_place.to_uppercase())],
        vec![("issue_date", "Delivrance / Issue", v.issue_date.clone())],
    ];
    if let (false, Some(last)) = (v.expiry_date.is_empty(), rows.last_mut()) {
        last.push(("expiry_date", "Expiration / Expiry", v.expiry_date.clone()));
    }
    if rng.chance(0.4) {
        // The document number after the names, as many states print it.
        let r = rows.remove(0);
        rows.insert(3, r);
    }
    let n_rows = rows.len() as f32;
    let row_h = (content_h / n_rows).min(if spec.format == Format::Td1 { 4.6 } else { 6.5 });
    let value_cap = (row_h * 0.36).clamp(1.3, 2.6);
    let caption_cap = (row_h * 0.17).clamp(0.7, 1.3);
    let caption_ink = Ink::Colour(art::pastel(hue + 180.0, 0.35, 0.4));
    let value_ink = Ink::Carbon([18, 18, 22]);
    let mut viz = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let y = content_top + r as f32 * row_h;
        let col_w = (fields_x1 - fields_x0) / row.len() as f32;
        for (c, (key, caption, value)) in row.iter().enumerate() {
            let x = fields_x0 + c as f32 * col_w;
            let caption_baseline = px(y + caption_cap + 0.3);
            let (bounds, chars) = text_with_boxes(
                &mut canvas,
                fonts,
                caption_face,
                caption,
                (px(x), caption_baseline),
                px(caption_cap),
                caption_ink,
            );
            captions.push(VizField {
                key: "caption",
                value: (*caption).to_owned(),
                bounds,
                chars,
                face: caption_face,
                cap_px: px(caption_cap),
                baseline: caption_baseline,
                x: px(x),
            });
            let baseline = px(y + caption_cap + 0.9 + value_cap);
            let cap_px = px(value_cap);
            // Shrink a value that would overflow its column.
            let width = Canvas::text_width(fonts, value_face, value, cap_px);
            let cap_px = if width > px(col_w - 0.5) { cap_px * px(col_w - 0.5) / width } else { cap_px };
            let (bounds, chars) =
                text_with_boxes(&mut canvas, fonts, value_face, value, (px(x), baseline), cap_px, value_ink);
            viz.push(VizField {
                key,
                value: value.clone(),
                bounds,
                chars,
                face: value_face,
                cap_px,
                baseline,
                x: px(x),
            });
        }
    }
    if spec.format != Format::Td1 && spec.format != Format::MrvA && spec.format != Format::MrvB {
        let sig =
            Bounds { x0: px(fields_x0), y0: px(mrz_top_mm - 6.0), x1: px(fields_x0 + 25.0), y1: px(mrz_top_mm - 1.0) };
        art::signature(&mut canvas, sig, rng);
    }

    // The MRZ.
    let count = spec.mrz_lines.len();
    let width_chars = spec.mrz_lines.first().map_or(0, |l| l.chars().count());
    let pitch_mm = MRZ_PITCH_MM * (1.0 + rng.normal() as f32 * 0.0015);
    let left_mm = (w_mm - width_chars as f32 * pitch_mm) / 2.0 + rng.uniform(-0.6, 0.6) as f32;
    let pitch = px(pitch_mm);
    let cap_px = px(mrz_cap_mm);
    let base_scale = fonts.scale_for_cap(spec.mrz_style.face, cap_px);
    let centre_shift = rng.uniform(-0.4, 0.4) as f32;
    let mut mrz = Vec::new();
    for (li, line) in spec.mrz_lines.iter().enumerate() {
        let centre = centres.get(li).copied().unwrap_or(5.0) + centre_shift;
        let baseline = px(h_mm - centre) + cap_px / 2.0;
        for (ci, ch) in line.chars().enumerate() {
            let cell_x = px(left_mm) + ci as f32 * pitch;
            let Paste { dx, dy, size, contrast } = spec
                .mrz_style
                .pasted
                .iter()
                .find(|(k, _)| *k == (li, ci))
                .map_or(Paste { dx: 0.0, dy: 0.0, size: 1.0, contrast: 1.0 }, |(_, o)| *o);
            let scale =
                ab_glyph::PxScale { x: base_scale.x * size * spec.mrz_style.width_scale, y: base_scale.y * size };
            // Centre each glyph in its cell: OCR-B is monospaced, other fonts
            // are placed the same way (a re-typed MRZ keeps the pitch).
            let adv = Canvas::text_width(fonts, spec.mrz_style.face, &ch.to_string(), cap_px * size)
                * spec.mrz_style.width_scale;
            let x = cell_x + (pitch - adv) / 2.0 + px(dx);
            let ink = match spec.mrz_style.ink {
                Ink::Carbon(c) => {
                    Ink::Carbon(c.map(|v| (f32::from(v) + (1.0 - contrast) * 160.0).clamp(0.0, 255.0) as u8))
                }
                other => other,
            };
            let mut ink_box = canvas.glyph(fonts, spec.mrz_style.face, ch, (x, baseline + px(dy)), scale, ink);
            // Ink spread: the glyph printed again around a small circle.
            let spread = px(spec.mrz_style.weight_mm) / 2.0;
            if spread > 0.05 {
                for k in 0..8 {
                    let a = k as f32 * std::f32::consts::FRAC_PI_4;
                    let b = canvas.glyph(
                        fonts,
                        spec.mrz_style.face,
                        ch,
                        (x + spread * a.cos(), baseline + px(dy) + spread * a.sin()),
                        scale,
                        ink,
                    );
                    ink_box.x0 = ink_box.x0.min(b.x0);
                    ink_box.y0 = ink_box.y0.min(b.y0);
                    ink_box.x1 = ink_box.x1.max(b.x1);
                    ink_box.y1 = ink_box.y1.max(b.y1);
                }
            }
            let cell = Bounds { x0: cell_x, y0: baseline - cap_px, x1: cell_x + pitch, y1: baseline };
            mrz.push(MrzGlyph { line: li, index: ci, ch, ink: ink_box, cell });
        }
    }
    let first_baseline = px(h_mm - centres.first().copied().unwrap_or(10.0) - centre_shift) + cap_px / 2.0;
    let last_baseline =
        px(h_mm - centres.get(count.saturating_sub(1)).copied().unwrap_or(5.0) - centre_shift) + cap_px / 2.0;
    let mrz_bounds = Bounds {
        x0: px(left_mm),
        y0: first_baseline - cap_px,
        x1: px(left_mm) + width_chars as f32 * pitch,
        y1: last_baseline,
    };
    Page { canvas, viz, captions, mrz, mrz_bounds, portrait, mrz_cap_px: cap_px, mrz_pitch_px: pitch }
}

/// Draws text and returns its box and each character's box.
pub(crate) fn text_with_boxes(
    canvas: &mut Canvas,
    fonts: &Fonts,
    face: Face,
    s: &str,
    (x, baseline): (f32, f32),
    cap_px: f32,
    ink: Ink,
) -> (Bounds, Vec<Bounds>) {
    use ab_glyph::{Font, ScaleFont};
    let scale = fonts.scale_for_cap(face, cap_px);
    let font = fonts.get(face).as_scaled(scale);
    let mut pen = x;
    let mut chars = Vec::with_capacity(s.len());
    let mut all = Bounds { x0: x, y0: baseline - cap_px, x1: x, y1: baseline };
    for c in s.chars() {
        let b = canvas.glyph(fonts, face, c, (pen, baseline), scale, ink);
        let adv = font.h_advance(fonts.glyph_id(face, c));
        chars.push(Bounds { x0: pen, y0: baseline - cap_px, x1: pen + adv, y1: baseline.max(b.y1) });
        pen += adv;
        all.x1 = pen;
        if b.x1 > b.x0 {
            all.y0 = all.y0.min(b.y0);
            all.y1 = all.y1.max(b.y1);
        }
    }
    (all, chars)
}
