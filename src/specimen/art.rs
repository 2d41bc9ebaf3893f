//! Procedural artwork: security backgrounds (guilloche rosettes, fine-line
//! waves, tints), a face-like portrait (no real face: ellipses, strokes and
//! noise), an emblem, a signature, and UV features.

use super::canvas::{Bounds, Canvas, Ink, Paper};
use super::rng::Rng;

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
    let paper = Paper { vis: [250, 250, 250], ir: 230, uv: [20, 20, 30] };
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
