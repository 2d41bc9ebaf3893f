//! Procedural artwork: security backgrounds (guilloche rosettes, fine-line
//! waves, tints), a face-like portrait (no real face: ellipses, strokes and
//! noise), an emblem, a signature, and UV features.

use super::canvas::{Bounds, Canvas, Ink, Paper};
use super::fonts::{Face, Fonts};
use super::rng::Rng;
use crate::scan::bilinear;

/// A pastel colour from a hue in degrees.
pub(crate) fn pastel(hue: f32, sat: f32, light: f32) -> [u8; 3] {
    let h = hue.rem_euclid(360.0) / 60.0;
    let c = (1.0 - (2.0 * light - 1.0).abs()) * sat;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = light - c / 2.0;
    let q = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [q(r), q(g), q(b)]
}

/// Coverage of a line of width `w` px at distance `d` px, anti-aliased.
fn stroke(d: f32, w: f32) -> f32 {
    (w / 2.0 - d + 0.5).clamp(0.0, 1.0)
}

/// A security background over `b`: a tint gradient, a guilloche rosette and a
/// fine wave pattern, all in colour inks (they vanish in infrared).
pub(crate) fn security_background(canvas: &mut Canvas, b: Bounds, rng: &mut Rng) {
    let hue = rng.uniform(0.0, 360.0) as f32;
    let tint_a = pastel(hue, 0.45, 0.88);
    let tint_b = pastel(hue + rng.uniform(20.0, 60.0) as f32, 0.45, 0.9);
    let line_a = pastel(hue + 180.0, 0.35, 0.72);
    let line_b = pastel(hue + 30.0, 0.4, 0.7);
    let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
    let angle = rng.uniform(0.0, 1.0) as f32;
    let (sin, cos) = angle.sin_cos();
    canvas.field(b, |x, y| {
        let t = (((x - b.x0) / w) * cos + ((y - b.y0) / h) * sin).clamp(0.0, 1.0);
        Some((
            Ink::Colour([
                (f32::from(tint_a[0]) * (1.0 - t) + f32::from(tint_b[0]) * t) as u8,
                (f32::from(tint_a[1]) * (1.0 - t) + f32::from(tint_b[1]) * t) as u8,
                (f32::from(tint_a[2]) * (1.0 - t) + f32::from(tint_b[2]) * t) as u8,
            ]),
            0.85,
        ))
    });
    // Rosette: level lines of r/period + a sin(n theta).
    let (cx, cy) = (b.x0 + w * rng.uniform(0.3, 0.7) as f32, b.y0 + h * rng.uniform(0.3, 0.7) as f32);
    let period = canvas.px(rng.uniform(0.7, 1.3) as f32);
    let petals = rng.range(5, 13) as f32;
    let amp = rng.uniform(0.8, 2.5) as f32;
    let lw = canvas.px(0.09).max(0.6);
    canvas.field(b, |x, y| {
        let (dx, dy) = (x - cx, y - cy);
        let r = (dx * dx + dy * dy).sqrt();
        let th = dy.atan2(dx);
        let phase = r / period + amp * (petals * th).sin();
        let d = (phase - phase.round()).abs() * period;
        let c = stroke(d, lw);
        (c > 0.0).then_some((Ink::Colour(line_a), c * 0.7))
    });
    // Waves: level lines of (y + A sin(x / L)) / period.
    let wl = canvas.px(rng.uniform(6.0, 14.0) as f32);
    let wa = canvas.px(rng.uniform(0.8, 2.0) as f32);
    let wp = canvas.px(rng.uniform(0.9, 1.6) as f32);
    canvas.field(b, |x, y| {
        let phase = (y + wa * (x / wl).sin()) / wp;
        let d = (phase - phase.round()).abs() * wp;
        let c = stroke(d, lw);
        (c > 0.0).then_some((Ink::Colour(line_b), c * 0.55))
    });
}

/// Invisible in daylight, glowing under UV: a rosette emblem and fibres.
pub(crate) fn uv_features(canvas: &mut Canvas, b: Bounds, rng: &mut Rng) {
    let glow = [[70, 200, 255], [255, 230, 90], [120, 255, 140], [255, 120, 200]];
    let c1 = *rng.pick(&glow).unwrap_or(&glow[0]);
    let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
    let (cx, cy) = (b.x0 + w * rng.uniform(0.4, 0.7) as f32, b.y0 + h * rng.uniform(0.3, 0.6) as f32);
    let rad = h * rng.uniform(0.25, 0.4) as f32;
    let petals = rng.range(6, 12) as f32;
    let lw = canvas.px(0.25);
    canvas.field(Bounds { x0: cx - rad - 2.0, y0: cy - rad - 2.0, x1: cx + rad + 2.0, y1: cy + rad + 2.0 }, |x, y| {
        let (dx, dy) = (x - cx, y - cy);
        let r = (dx * dx + dy * dy).sqrt();
        let th = dy.atan2(dx);
        let edge = rad * (0.75 + 0.25 * (petals * th).cos());
        let ring = stroke((r - edge).abs(), lw) + stroke((r - rad * 0.4).abs(), lw);
        (ring > 0.0).then_some((Ink::Fluorescent(c1), ring.min(1.0)))
    });
    // Fibres: short curved strokes in two colours.
    for _ in 0..rng.range(25, 60) {
        let c = *rng.pick(&glow).unwrap_or(&glow[1]);
        let (mut x, mut y) = (b.x0 + w * rng.unit() as f32, b.y0 + h * rng.unit() as f32);
        let mut dir = rng.uniform(0.0, std::f64::consts::TAU) as f32;
        let step = canvas.px(0.4);
        for _ in 0..rng.range(4, 10) {
            dir += rng.uniform(-0.4, 0.4) as f32;
            let (nx, ny) = (x + step * dir.cos(), y + step * dir.sin());
            canvas.line((x, y), (nx, ny), canvas.px(0.08).max(0.8), Ink::Fluorescent(c), 0.9);
            (x, y) = (nx, ny);
        }
    }
}

/// A face-like portrait filling `b`, with its own noise texture. Printed in
/// carbon-based ink, as portraits are (it shows in infrared). Drawn on its own
/// canvas and copied in, so nothing spills outside the frame.
pub(crate) fn portrait(canvas: &mut Canvas, b: Bounds, rng: &mut Rng) {
    let (pw, ph) = ((b.x1 - b.x0).round().max(1.0) as u32, (b.y1 - b.y0).round().max(1.0) as u32);
    let paper = super::canvas::Paper { vis: [250, 250, 250], ir: 230, uv: [20, 20, 30] };
    let mut sub = Canvas::new(pw, ph, canvas.ppmm, paper);
    sub.bands = canvas.bands;
    draw_face(&mut sub, rng);
    canvas.blit(&sub, b.x0.round().max(0.0) as u32, b.y0.round().max(0.0) as u32);
}

fn draw_face(canvas: &mut Canvas, rng: &mut Rng) {
    let b = Bounds { x0: 0.0, y0: 0.0, x1: canvas.width() as f32, y1: canvas.height() as f32 };
    let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
    let backdrop = pastel(rng.uniform(180.0, 240.0) as f32, 0.15, rng.uniform(0.78, 0.9) as f32);
    let skins = [[224, 187, 155], [198, 144, 105], [161, 110, 75], [122, 80, 52], [92, 60, 40], [240, 205, 180]];
    let skin = *rng.pick(&skins).unwrap_or(&skins[2]);
    let hair = [[20, 16, 14], [45, 32, 25], [90, 60, 35], [140, 140, 140], [30, 30, 40]];
    let hair = *rng.pick(&hair).unwrap_or(&hair[0]);
    let cloth = pastel(rng.uniform(0.0, 360.0) as f32, 0.4, rng.uniform(0.15, 0.45) as f32);
    canvas.rect(b, Ink::Carbon(backdrop), 1.0);
    let cx = b.x0 + w * rng.uniform(0.46, 0.54) as f32;
    let head_y = b.y0 + h * rng.uniform(0.38, 0.44) as f32;
    let hr = w * rng.uniform(0.24, 0.3) as f32;
    let vr = hr * rng.uniform(1.2, 1.4) as f32;
    // Shoulders and neck.
    canvas.ellipse(cx, b.y1 + h * 0.05, w * rng.uniform(0.48, 0.6) as f32, h * 0.3, Ink::Carbon(cloth), 1.0);
    canvas.rect(
        Bounds { x0: cx - hr * 0.45, y0: head_y + vr * 0.6, x1: cx + hr * 0.45, y1: b.y1 - h * 0.18 },
        Ink::Carbon(skin),
        1.0,
    );
    // Hair behind, head, then hair on top.
    let long = rng.chance(0.4);
    if long {
        canvas.ellipse(cx, head_y + vr * 0.3, hr * 1.35, vr * 1.25, Ink::Carbon(hair), 1.0);
    }
    canvas.ellipse(cx, head_y, hr, vr, Ink::Carbon(skin), 1.0);
    let cap = rng.uniform(0.35, 0.6) as f32;
    canvas.field(Bounds { x0: cx - hr * 1.2, y0: head_y - vr * 1.2, x1: cx + hr * 1.2, y1: head_y }, |x, y| {
        let d = (((x - cx) / (hr * 1.08)).powi(2) + ((y - (head_y - vr * 0.1)) / (vr * 1.05)).powi(2)).sqrt();
        let above = (head_y - vr * cap - y) / (vr * 0.3) + 0.5;
        let c = ((1.0 - d) * hr * 0.3 + 0.5).clamp(0.0, 1.0) * above.clamp(0.0, 1.0);
        (c > 0.0).then_some((Ink::Carbon(hair), c))
    });
    // Eyes, brows, nose, mouth.
    let eye_y = head_y - vr * rng.uniform(0.05, 0.15) as f32;
    let eye_dx = hr * rng.uniform(0.38, 0.46) as f32;
    let eye_r = hr * 0.13;
    for side in [-1.0f32, 1.0] {
        let ex = cx + side * eye_dx;
        canvas.ellipse(ex, eye_y, eye_r * 1.5, eye_r * 0.8, Ink::Carbon([235, 235, 230]), 1.0);
        canvas.ellipse(ex, eye_y, eye_r * 0.7, eye_r * 0.7, Ink::Carbon([40, 30, 25]), 1.0);
        let by = eye_y - eye_r * 2.2;
        canvas.line(
            (ex - eye_r * 1.6, by + eye_r * 0.3),
            (ex + eye_r * 1.6, by - eye_r * 0.2 * side),
            eye_r * 0.5,
            Ink::Carbon(hair),
            1.0,
        );
    }
    let nose_bottom = head_y + vr * 0.3;
    canvas.line(
        (cx, eye_y + eye_r),
        (cx + hr * 0.06, nose_bottom),
        (hr * 0.06).max(1.0),
        Ink::Carbon([120, 80, 60]),
        0.5,
    );
    let mouth_y = head_y + vr * rng.uniform(0.5, 0.6) as f32;
    canvas.ellipse(cx, mouth_y, hr * rng.uniform(0.28, 0.4) as f32, vr * 0.05, Ink::Carbon([120, 50, 50]), 0.9);
    // Photographic grain.
    let mut grain = rng.fork(17);
    let amp = rng.uniform(6.0, 14.0) as f32;
    let (x0, y0, x1, y1) = canvas.clip(b);
    for y in y0..y1 {
        for x in x0..x1 {
            let n = grain.normal_fast() * amp;
            let p = canvas.vis.get_pixel_mut(x, y);
            for ch in &mut p.0 {
                *ch = (f32::from(*ch) + n + 0.5).max(0.0) as u8;
            }
        }
    }
}

/// A round emblem in colour ink: rings and a star.
pub(crate) fn emblem(canvas: &mut Canvas, cx: f32, cy: f32, r: f32, colour: [u8; 3], rng: &mut Rng) {
    let lw = canvas.px(0.18).max(1.0);
    let points = rng.range(5, 9) as f32;
    canvas.field(Bounds { x0: cx - r - 2.0, y0: cy - r - 2.0, x1: cx + r + 2.0, y1: cy + r + 2.0 }, |x, y| {
        let (dx, dy) = (x - cx, y - cy);
        let d = (dx * dx + dy * dy).sqrt();
        let th = dy.atan2(dx);
        let star = r * (0.35 + 0.25 * ((points * th).cos() * 0.5 + 0.5));
        let c = stroke((d - r).abs(), lw) + stroke((d - r * 0.82).abs(), lw * 0.6) + if d < star { 0.6 } else { 0.0 };
        (c > 0.0).then_some((Ink::Colour(colour), c.min(1.0)))
    });
}

/// A handwritten-like signature: a smooth random stroke in dark blue.
pub(crate) fn signature(canvas: &mut Canvas, b: Bounds, rng: &mut Rng) {
    let ink = Ink::Carbon([25, 30, 90]);
    let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
    let mut x = b.x0;
    let mut y = b.y0 + h * 0.6;
    let width = canvas.px(0.22).max(1.0);
    let mut phase = 0.0f32;
    let freq = rng.uniform(0.25, 0.6) as f32;
    while x < b.x1 {
        phase += freq;
        let nx = x + w / 90.0;
        let ny = b.y0 + h * (0.55 + 0.35 * phase.sin() * (phase * 0.31).cos());
        canvas.line((x, y), (nx, ny), width, ink, 0.9);
        (x, y) = (nx, ny);
    }
}

/// An ink stamp pressed over a page: a border post's entry stamp or a
/// SPECIMEN overprint, in a coloured dye. Pages captured under
/// [`Condition::Stamped`](super::Condition::Stamped) carry one across their
/// MRZ, recorded in the label's capture.
///
/// ```
/// use mrtd_verify::mrz::Format;
/// use mrtd_verify::specimen::{Condition, CorpusOptions, Generator, Truth};
///
/// let generator = Generator::new(CorpusOptions::default().dpi(150).bands(false))?;
/// let s = generator.render(7, 0, Format::Td1, Truth::Genuine, Condition::Stamped)?;
/// let stamp = s.label.capture.stamp.as_ref().expect("a stamped capture records its stamp");
/// assert!(!stamp.text.is_empty());
/// // Every channel of the dye stays light: black MRZ ink is told from it.
/// assert!(stamp.colour.iter().max().is_some_and(|&c| c >= 150));
/// # Ok::<(), mrtd_verify::specimen::SpecimenError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Stamp {
    /// Centre on the page, in millimetres from its top-left corner.
    pub centre_mm: (f32, f32),
    /// Width and height of the frame before rotation, in millimetres.
    pub size_mm: (f32, f32),
    /// Rotation, degrees clockwise.
    pub angle_deg: f32,
    /// Ink colour (sRGB): every channel stays light enough that a dye is
    /// told from black carbon print by its brightest channel.
    pub colour: [u8; 3],
    /// Ink strength, 0 to 1.
    pub strength: f32,
    /// The text pressed.
    pub text: Vec<String>,
}

impl Stamp {
    /// Draws a stamp whose centre lies in `over` (page pixels).
    pub(crate) fn random(ppmm: f32, over: Bounds, rng: &mut Rng) -> Stamp {
        let colours = [[196, 32, 44], [44, 70, 200], [120, 48, 168], [36, 140, 80], [210, 80, 30]];
        let colour = *rng.pick(&colours).unwrap_or(&[196, 32, 44]);
        let text = match rng.below(3) {
            0 => vec!["SPECIMEN".to_owned()],
            1 => {
                let post = *rng.pick(&["GOGUI", "KOURY", "NIAMEY AIB", "FAADA", "ROSSO"]).unwrap_or(&"GOGUI");
                let date = format!(
                    "{:02} {} {}",
                    rng.range(1, 28),
                    rng.pick(&["JAN", "MAR", "JUN", "OCT"]).unwrap_or(&"JAN"),
                    rng.range(2019, 2026)
                );
                vec!["ENTREE".to_owned(), date, post.to_owned()]
            }
            _ => vec![
                format!("SORTIE {}", rng.range(100, 999)),
                format!("{:02}.{:02}.{}", rng.range(1, 28), rng.range(1, 12), rng.range(2019, 2026)),
            ],
        };
        let (w, h) = if text.len() == 1 {
            (rng.uniform(38.0, 55.0), rng.uniform(9.0, 13.0))
        } else {
            (rng.uniform(30.0, 42.0), rng.uniform(16.0, 24.0))
        };
        let cx = over.x0 + (over.x1 - over.x0) * rng.uniform(0.15, 0.85) as f32;
        let cy = over.y0 + (over.y1 - over.y0) * rng.uniform(0.0, 1.0) as f32;
        Stamp {
            centre_mm: (cx / ppmm, cy / ppmm),
            size_mm: (w as f32, h as f32),
            angle_deg: rng.uniform(-25.0, 25.0) as f32,
            colour,
            strength: rng.uniform(0.55, 0.9) as f32,
            text,
        }
    }

    /// Presses the stamp on the visible band: the dye multiplies what is
    /// under it (black print stays black) and vanishes in infrared; pressure
    /// varies across the stamp, so its ink is uneven.
    pub(crate) fn press(&self, canvas: &mut Canvas, fonts: &Fonts, rng: &mut Rng) {
        let ppmm = canvas.ppmm;
        let (w, h) = (self.size_mm.0 * ppmm, self.size_mm.1 * ppmm);
        let (sw, sh) = ((w + 4.0).ceil() as u32, (h + 4.0).ceil() as u32);
        // The stamp face, upright, black on white: coverage = darkness.
        let mut face = Canvas::new(sw, sh, ppmm, Paper { vis: [255; 3], ir: 255, uv: [0; 3] });
        face.bands = false;
        let black = Ink::Colour([0, 0, 0]);
        let lw = (0.5 * ppmm).max(1.0);
        let (x0, y0, x1, y1) = (2.0, 2.0, w + 2.0, h + 2.0);
        for (a, b) in [((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))] {
            face.line(a, b, lw, black, 1.0);
        }
        let rows = self.text.len() as f32;
        let cap = (h / rows * 0.55).min(h * 0.6);
        for (i, line) in self.text.iter().enumerate() {
            let tw = Canvas::text_width(fonts, Face::SansBold, line, cap);
            let cap = if tw > w * 0.9 { cap * w * 0.9 / tw } else { cap };
            let tw = Canvas::text_width(fonts, Face::SansBold, line, cap);
            let baseline = y0 + h * (i as f32 + 0.5) / rows + cap / 2.0;
            face.text(fonts, Face::SansBold, line, ((x0 + x1 - tw) / 2.0, baseline), cap, black);
        }
        let face = image::imageops::grayscale(&face.vis);
        // Uneven pressure: a smooth field over the stamp, plus grain.
        let (pa, pb, pc) = (rng.uniform(0.0, 6.3) as f32, rng.uniform(0.0, 6.3) as f32, rng.uniform(0.5, 1.5) as f32);
        let mut grain = rng.fork(7);
        let (cx, cy) = (self.centre_mm.0 * ppmm, self.centre_mm.1 * ppmm);
        let (sin, cos) = self.angle_deg.to_radians().sin_cos();
        let reach = (sw.max(sh) as f32) * 0.75;
        let (bx0, by0, bx1, by1) =
            canvas.clip(Bounds { x0: cx - reach, y0: cy - reach, x1: cx + reach, y1: cy + reach });
        for y in by0..by1 {
            for x in bx0..bx1 {
                // Page pixel to stamp face (inverse rotation).
                let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
                let (u, v) = (dx * cos + dy * sin + sw as f32 / 2.0, -dx * sin + dy * cos + sh as f32 / 2.0);
                if u < 0.0 || v < 0.0 || u >= sw as f32 - 1.0 || v >= sh as f32 - 1.0 {
                    continue;
                }
                let cover = 1.0 - bilinear(&face, u, v) / 255.0;
                if cover <= 0.01 {
                    continue;
                }
                let pressure = 0.75 + 0.25 * ((u / w * pc * 6.0 + pa).sin() * (v / h * 3.0 + pb).cos());
                let a = (cover * self.strength * pressure * (1.0 + 0.25 * grain.normal_fast())).clamp(0.0, 1.0);
                let p = canvas.vis.get_pixel_mut(x, y);
                for (ch, &dye) in p.0.iter_mut().zip(&self.colour) {
                    let under = f32::from(*ch);
                    *ch = (under * (1.0 - a + a * f32::from(dye) / 255.0) + 0.5) as u8;
                }
            }
        }
    }
}
