//! A document being drawn, in three bands at once: visible light, near
//! infrared (B900) and ultraviolet. Each mark is made with an [`Ink`] that
//! decides how it shows in each band, as on a real document: carbon-based
//! print absorbs infrared, colour offset inks vanish in it, fluorescent inks
//! show only under UV.

use ab_glyph::{Font, Glyph, PxScale, ScaleFont, point};
use image::{GrayImage, Luma, Rgb, RgbImage};

use super::fonts::{Face, Fonts};

/// How a mark shows in each band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ink {
    /// Dark pigment that absorbs near infrared (carbon print, laser
    /// engraving): dark in every band.
    Carbon([u8; 3]),
    /// Colour ink transparent in infrared (security backgrounds, captions):
    /// vanishes in IR, dull under UV.
    Colour([u8; 3]),
    /// Invisible in white light, glows in this colour under UV.
    Fluorescent([u8; 3]),
}

/// The paper in each band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Paper {
    pub(crate) vis: [u8; 3],
    pub(crate) ir: u8,
    pub(crate) uv: [u8; 3],
}

/// An axis-aligned box in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Bounds {
    pub(crate) x0: f32,
    pub(crate) y0: f32,
    pub(crate) x1: f32,
    pub(crate) y1: f32,
}

pub(crate) struct Canvas {
    pub(crate) vis: RgbImage,
    pub(crate) ir: GrayImage,
    pub(crate) uv: RgbImage,
    /// Pixels per millimetre.
    pub(crate) ppmm: f32,
    /// Whether the infrared and ultraviolet bands are drawn (when not, they
    /// stay blank paper and painting them is skipped).
    pub(crate) bands: bool,
}

/// Blends two channel values; `as u8` saturates, so adding 0.5 rounds.
fn lerp(a: u8, b: u8, t: f32) -> u8 {
    (f32::from(a) + (f32::from(b) - f32::from(a)) * t + 0.5) as u8
}

fn lerp3(a: [u8; 3], b: [u8; 3], t: f32) -> [u8; 3] {
    [lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t)]
}

impl Canvas {
    pub(crate) fn new(width: u32, height: u32, ppmm: f32, paper: Paper) -> Canvas {
        Canvas {
            vis: RgbImage::from_pixel(width, height, Rgb(paper.vis)),
            ir: GrayImage::from_pixel(width, height, Luma([paper.ir])),
            uv: RgbImage::from_pixel(width, height, Rgb(paper.uv)),
            ppmm,
            bands: true,
        }
    }

    pub(crate) fn width(&self) -> u32 {
        self.vis.width()
    }

    pub(crate) fn height(&self) -> u32 {
        self.vis.height()
    }

    /// Millimetres to pixels.
    pub(crate) fn px(&self, mm: f32) -> f32 {
        mm * self.ppmm
    }

    /// Lays ink of coverage `alpha` (0..1) on one pixel.
    pub(crate) fn paint(&mut self, x: u32, y: u32, ink: Ink, alpha: f32) {
        if alpha <= 0.0 || x >= self.width() || y >= self.height() {
            return;
        }
        let a = alpha.min(1.0);
        if !self.bands {
            if let Ink::Carbon(c) | Ink::Colour(c) = ink {
                let vis = self.vis.get_pixel_mut(x, y);
                vis.0 = lerp3(vis.0, c, a);
            }
            return;
        }
        let (vis, ir, uv) = (self.vis.get_pixel_mut(x, y), self.ir.get_pixel_mut(x, y), self.uv.get_pixel_mut(x, y));
        match ink {
            Ink::Carbon(c) => {
                vis.0 = lerp3(vis.0, c, a);
                // Absorbs infrared in proportion to how dark it is.
                let lum = (0.3 * f32::from(c[0]) + 0.59 * f32::from(c[1]) + 0.11 * f32::from(c[2])) * 0.55 + 14.0;
                ir.0[0] = lerp(ir.0[0], lum.min(255.0) as u8, a);
                uv.0 = lerp3(uv.0, [12, 12, 16], a * 0.85);
            }
            Ink::Colour(c) => {
                // Offset inks stay as dull as the paper under UV.
                vis.0 = lerp3(vis.0, c, a);
                let _ = uv;
            }
            Ink::Fluorescent(c) => {
                uv.0 = lerp3(uv.0, c, a);
            }
        }
    }

    /// Paints every pixel of a box where `f` returns ink and coverage.
    pub(crate) fn field(&mut self, b: Bounds, mut f: impl FnMut(f32, f32) -> Option<(Ink, f32)>) {
        let (x0, y0, x1, y1) = self.clip(b);
        for y in y0..y1 {
            for x in x0..x1 {
                if let Some((ink, a)) = f(x as f32 + 0.5, y as f32 + 0.5) {
                    self.paint(x, y, ink, a);
                }
            }
        }
    }

    /// Integer pixel range of a box, clipped to the canvas.
    pub(crate) fn clip(&self, b: Bounds) -> (u32, u32, u32, u32) {
        let cx = |v: f32, max: u32| (v.max(0.0) as u32).min(max);
        (
            cx(b.x0.floor(), self.width()),
            cx(b.y0.floor(), self.height()),
            cx(b.x1.ceil(), self.width()),
            cx(b.y1.ceil(), self.height()),
        )
    }

    /// A filled rectangle.
    pub(crate) fn rect(&mut self, b: Bounds, ink: Ink, alpha: f32) {
        self.field(b, |_, _| Some((ink, alpha)));
    }

    /// A filled ellipse, anti-aliased over one pixel.
    pub(crate) fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, ink: Ink, alpha: f32) {
        let b = Bounds { x0: cx - rx - 1.0, y0: cy - ry - 1.0, x1: cx + rx + 1.0, y1: cy + ry + 1.0 };
        let r = rx.min(ry).max(0.5);
        self.field(b, |x, y| {
            let d = (((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2)).sqrt();
            let cover = ((1.0 - d) * r + 0.5).clamp(0.0, 1.0);
            (cover > 0.0).then_some((ink, cover * alpha))
        });
    }

    /// A line segment of width `w`, anti-aliased.
    pub(crate) fn line(&mut self, a: (f32, f32), b: (f32, f32), w: f32, ink: Ink, alpha: f32) {
        let pad = w + 1.0;
        let bounds =
            Bounds { x0: a.0.min(b.0) - pad, y0: a.1.min(b.1) - pad, x1: a.0.max(b.0) + pad, y1: a.1.max(b.1) + pad };
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = (dx * dx + dy * dy).max(1e-6);
        self.field(bounds, |x, y| {
            let t = (((x - a.0) * dx + (y - a.1) * dy) / len2).clamp(0.0, 1.0);
            let (px, py) = (a.0 + t * dx, a.1 + t * dy);
            let d = ((x - px).powi(2) + (y - py).powi(2)).sqrt();
            let cover = (w / 2.0 - d + 0.5).clamp(0.0, 1.0);
            (cover > 0.0).then_some((ink, cover * alpha))
        });
    }

    /// Draws one character with its baseline-left at (x, baseline); returns the
    /// ink box of the glyph (or a zero-size box at the pen for a blank).
    pub(crate) fn glyph(
        &mut self,
        fonts: &Fonts,
        face: Face,
        c: char,
        (x, baseline): (f32, f32),
        scale: PxScale,
        ink: Ink,
    ) -> Bounds {
        let font = fonts.get(face);
        let glyph: Glyph = fonts.glyph_id(face, c).with_scale_and_position(scale, point(x, baseline));
        let Some(outlined) = font.outline_glyph(glyph) else {
            return Bounds { x0: x, y0: baseline, x1: x, y1: baseline };
        };
        let r = outlined.px_bounds();
        let (w, h) = (self.width() as i64, self.height() as i64);
        outlined.draw(|gx, gy, cover| {
            let px = r.min.x as i64 + i64::from(gx);
            let py = r.min.y as i64 + i64::from(gy);
            if (0..w).contains(&px) && (0..h).contains(&py) {
                self.paint(px as u32, py as u32, ink, cover);
            }
        });
        Bounds { x0: r.min.x, y0: r.min.y, x1: r.max.x, y1: r.max.y }
    }

    /// Draws a string with the font's advances; returns its box.
    pub(crate) fn text(
        &mut self,
        fonts: &Fonts,
        face: Face,
        s: &str,
        (x, baseline): (f32, f32),
        cap_px: f32,
        ink: Ink,
    ) -> Bounds {
        let scale = fonts.scale_for_cap(face, cap_px);
        let font = fonts.get(face).as_scaled(scale);
        let mut pen = x;
        let mut bounds = Bounds { x0: x, y0: baseline - cap_px, x1: x, y1: baseline };
        for c in s.chars() {
            let b = self.glyph(fonts, face, c, (pen, baseline), scale, ink);
            if b.x1 > b.x0 {
                bounds.y0 = bounds.y0.min(b.y0);
                bounds.y1 = bounds.y1.max(b.y1);
            }
            pen += font.h_advance(fonts.glyph_id(face, c));
            bounds.x1 = pen;
        }
        bounds
    }

    /// Copies another canvas (all three bands) with its top-left corner at
    /// (x0, y0), clipped to this canvas.
    pub(crate) fn blit(&mut self, other: &Canvas, x0: u32, y0: u32) {
        for (x, y, p) in other.vis.enumerate_pixels() {
            let (tx, ty) = (x0.saturating_add(x), y0.saturating_add(y));
            if tx < self.width() && ty < self.height() {
                self.vis.put_pixel(tx, ty, *p);
                self.ir.put_pixel(tx, ty, *other.ir.get_pixel(x, y));
                self.uv.put_pixel(tx, ty, *other.uv.get_pixel(x, y));
            }
        }
    }

    /// The width a string takes.
    pub(crate) fn text_width(fonts: &Fonts, face: Face, s: &str, cap_px: f32) -> f32 {
        let scale = fonts.scale_for_cap(face, cap_px);
        let font = fonts.get(face).as_scaled(scale);
        s.chars().map(|c| font.h_advance(fonts.glyph_id(face, c))).sum()
    }
}
