//! The ink stamp of the [`Condition::Stamped`](super::Condition::Stamped)
//! capture condition ([`Stamp`]): an entry or exit stamp or a SPECIMEN
//! overprint, pressed in a coloured dye across the MRZ after any forgery and
//! before capture. It draws from its own random stream, so it changes none of
//! the page's other draws, and is recorded in the label's capture.

use super::canvas::{Bounds, Canvas, Ink, Paper};
use super::fonts::{Face, Fonts};
use super::rng::Rng;
use crate::scan::bilinear;

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
