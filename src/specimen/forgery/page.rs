//! Forgeries made on the rendered page, before capture: the portrait
//! replaced (`portrait_substituted`), a digit of a visual-zone value copied
//! over another (`copy_move`), a visual-zone value patched over and printed
//! anew (`viz_altered`). The MRZ is left as printed; the label's visual zone
//! takes the value the page now shows.

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder, RgbImage};

use super::Forgery;
use crate::specimen::art;
use crate::specimen::canvas::{Bounds, Canvas, Ink, Paper};
use crate::specimen::fonts::{Face, Fonts};
use crate::specimen::identity::DocumentData;
use crate::specimen::label::ForgeryDetail;
use crate::specimen::render::{self, DateStyle, VizValues};
use crate::specimen::rng::Rng;

/// Where a page forgery acted, in page pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PageEdit {
    /// The region changed.
    pub(crate) region: Bounds,
    /// The region copied from, for a copy-move.
    pub(crate) source: Option<Bounds>,
}

/// Edits the page as `forgery` does (nothing for a forgery of another stage):
/// the region changed, or `None` if the page offered nothing to forge. A
/// changed visual-zone value is written into `viz` and recorded in `detail`.
///
/// # Errors
///
/// When the substitute portrait cannot be JPEG-compressed and decoded.
#[allow(clippy::too_many_arguments)]
pub(crate) fn forge(
    forgery: Forgery,
    fonts: &Fonts,
    page: &mut render::Page,
    data: &DocumentData,
    style: DateStyle,
    rng: &mut Rng,
    viz: &mut VizValues,
    detail: &mut ForgeryDetail,
) -> Result<Option<PageEdit>, image::ImageError> {
    let edit = match forgery {
        Forgery::PortraitSubstituted => {
            // Hard or feathered, from a stream of its own: the hard paste
            // draws what it always drew.
            let mut style_rng = rng.fork(0xFEA7);
            if style_rng.chance(0.5) {
                substitute_feathered(&mut page.canvas, page.portrait, &mut style_rng)?;
                detail.style = Some("feathered".into());
            } else {
                substitute_portrait(&mut page.canvas, page.portrait, rng)?;
                detail.style = Some("hard".into());
            }
            Some(PageEdit { region: page.portrait, source: None })
        }
        Forgery::CopyMove => copy_move(page, rng).map(|(src, dst, key, before, after)| {
            record(viz, detail, key, before, after);
            PageEdit { region: dst, source: Some(src) }
        }),
        Forgery::VizAltered => alter_viz(fonts, page, data, style, rng).map(|(region, key, before, after)| {
            record(viz, detail, key, before, after);
            PageEdit { region, source: None }
        }),
        _ => None,
    };
    Ok(edit)
}

/// Records a visual-zone value changed from `before` to `after`.
fn record(viz: &mut VizValues, detail: &mut ForgeryDetail, key: &'static str, before: String, after: String) {
    set_viz(viz, key, after);
    detail.field = Some(key.into());
    detail.original = Some(before);
}

/// Writes `value` into the visual-zone field named `key` (an unknown key is
/// ignored).
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

/// Another face for the portrait's bounds `b`, drawn on its own canvas and
/// JPEG-compressed at a quality drawn from `quality` (the forger's photo as
/// it came from its camera or file).
fn other_face(canvas: &Canvas, b: Bounds, rng: &mut Rng, quality: (i64, i64)) -> Result<RgbImage, image::ImageError> {
    let (w, h) = ((b.x1 - b.x0).round().max(2.0) as u32, (b.y1 - b.y0).round().max(2.0) as u32);
    let paper = Paper { vis: [240, 240, 240], ir: 230, uv: [20, 20, 30] };
    let mut other = Canvas::new(w, h, canvas.ppmm, paper);
    let mut face_rng = rng.fork(0xFACE);
    art::portrait(&mut other, Bounds { x0: 0.0, y0: 0.0, x1: w as f32, y1: h as f32 }, &mut face_rng);
    let mut jpeg = Vec::new();
    let q = rng.range(quality.0, quality.1) as u8;
    JpegEncoder::new_with_quality(&mut jpeg, q).write_image(other.vis.as_raw(), w, h, ExtendedColorType::Rgb8)?;
    Ok(image::load_from_memory(&jpeg)?.to_rgb8())
}

/// A pasted photo's infrared level: a photo print's dyes are partly dark in
/// infrared, less than carbon print.
fn photo_ir(v: [u8; 3]) -> f32 {
    (0.3 * f32::from(v[0]) + 0.59 * f32::from(v[1]) + 0.11 * f32::from(v[2])) * 0.55 + 14.0
}

/// Replaces the portrait with another face, compressed hard and noisier, pasted
/// with hard edges.
fn substitute_portrait(canvas: &mut Canvas, b: Bounds, rng: &mut Rng) -> Result<(), image::ImageError> {
    // Only the visible and infrared bands are replaced: the page's ultraviolet
    // band keeps the genuine portrait's dark print (a shortcut; a photo
    // pasted over it would cover it in every band).
    let photo = other_face(canvas, b, rng, (18, 45))?;
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
            canvas.ir.put_pixel(tx, ty, image::Luma([photo_ir(v) as u8]));
        }
    }
    Ok(())
}

/// Replaces the portrait as a careful forger does: another face from a
/// camera (moderate JPEG compression, the camera's own colour noise), its
/// colours matched to the portrait it covers (each channel's mean and spread)
/// and its edges blended into it over 0.5 to 1.5 mm.
fn substitute_feathered(canvas: &mut Canvas, b: Bounds, rng: &mut Rng) -> Result<(), image::ImageError> {
    let photo = other_face(canvas, b, rng, (50, 90))?;
    let (w, h) = photo.dimensions();
    let (x0, y0) = (b.x0.round() as u32, b.y0.round() as u32);
    let (cw, ch) = (canvas.width(), canvas.height());
    let inside = |x: u32, y: u32| x0 + x < cw && y0 + y < ch;
    // Each channel's mean and spread, of the photo and of the portrait it
    // covers.
    let stats = |get: &dyn Fn(u32, u32) -> [u8; 3]| {
        let mut acc = [(0.0f64, 0.0f64); 3];
        let mut n = 0.0f64;
        for y in (0..h).step_by(2) {
            for x in (0..w).step_by(2) {
                if inside(x, y) {
                    for (a, &c) in acc.iter_mut().zip(get(x, y).iter()) {
                        a.0 += f64::from(c);
                        a.1 += f64::from(c) * f64::from(c);
                    }
                    n += 1.0;
                }
            }
        }
        acc.map(|(s, s2)| {
            let m = s / n.max(1.0);
            (m, (s2 / n.max(1.0) - m * m).max(1.0).sqrt())
        })
    };
    let theirs = stats(&|x, y| photo.get_pixel(x, y).0);
    let ours = stats(&|x, y| canvas.vis.get_pixel(x0 + x, y0 + y).0);
    let feather = canvas.px(rng.uniform(0.5, 1.5) as f32).max(1.0);
    let mut noise = rng.fork(0xCA3E);
    let sigma = rng.uniform(3.0, 8.0) as f32;
    for (x, y, p) in photo.enumerate_pixels() {
        if !inside(x, y) {
            continue;
        }
        let edge = (x.min(w - 1 - x).min(y).min(h - 1 - y)) as f32;
        let alpha = ((edge + 0.5) / feather).min(1.0);
        let under = canvas.vis.get_pixel(x0 + x, y0 + y).0;
        let mut v = [0u8; 3];
        for (k, out) in v.iter_mut().enumerate() {
            let (Some(&(tm, ts)), Some(&(om, os)), Some(&c), Some(&u)) =
                (theirs.get(k), ours.get(k), p.0.get(k), under.get(k))
            else {
                continue;
            };
            let matched = (f64::from(c) - tm) * (os / ts) + om;
            let pasted = matched as f32 + noise.normal_fast() * sigma;
            *out = (pasted * alpha + f32::from(u) * (1.0 - alpha) + 0.5).clamp(0.0, 255.0) as u8;
        }
        canvas.vis.put_pixel(x0 + x, y0 + y, image::Rgb(v));
        let ir = f32::from(canvas.ir.get_pixel(x0 + x, y0 + y).0[0]);
        canvas.ir.put_pixel(x0 + x, y0 + y, image::Luma([(photo_ir(v) * alpha + ir * (1.0 - alpha)) as u8]));
    }
    Ok(())
}

/// Copies one digit of a visual-zone value (document number or a date) over
/// another digit of the same value, in the visible and infrared bands;
/// returns (source, destination, key, value before, value after).
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

/// Alters a visual-zone value (expiry, birth date, surname or document
/// number): patches its background with a flat colour sampled nearby and
/// prints a new value, slightly off in size and position and sometimes in
/// another face; returns (region, key, value before, value after).
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
