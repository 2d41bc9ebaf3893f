//! Capture conditions: how a scanner or document reader sees the page.
//!
//! Every condition is a parameter recorded in the label: quarter turn and
//! skew, mild perspective, placement on a larger scanner bed, uneven light and
//! glare, blur, sensor noise, JPEG re-compression, an ink stamp across the MRZ
//! (drawn in `stamp.rs`). Resolution is chosen when the page is rendered
//! (rendering at 150 dpi is scanning at 150 dpi).

use image::{GrayImage, Luma, Rgb, RgbImage};
use imageproc::geometric_transformations::{Interpolation, Projection, warp_into};

use super::rng::Rng;
use super::stamp::Stamp;

/// The family of capture conditions, for breaking accuracy down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Condition {
    /// Upright, aligned, sharp.
    Clean,
    /// A few degrees of skew and mild perspective.
    Skew,
    /// Turned by a quarter, half or three-quarter turn (plus slight skew).
    QuarterTurn,
    /// Blur, sensor noise, uneven light, glare, JPEG re-compression.
    Degraded,
    /// Scanned at 150-200 dpi.
    LowResolution,
    /// Lying anywhere on a larger scanner bed, slightly turned.
    ScannerBed,
    /// A coloured ink stamp pressed across the MRZ (an entry or exit stamp
    /// on a visa page, a SPECIMEN overprint), otherwise a clean capture.
    Stamped,
}

impl Condition {
    /// The conditions a corpus draws from by default: every one but
    /// [`Condition::Stamped`], which came later (adding it here would change
    /// the corpora already named by seed, the model's training data among
    /// them).
    pub const ALL: [Condition; 6] = [
        Condition::Clean,
        Condition::Skew,
        Condition::QuarterTurn,
        Condition::Degraded,
        Condition::LowResolution,
        Condition::ScannerBed,
    ];

    /// Every condition, for accuracy tables and tests: [`Condition::ALL`]
    /// and [`Condition::Stamped`].
    pub const EVERY: [Condition; 7] = {
        let [a, b, c, d, e, f] = Condition::ALL;
        [a, b, c, d, e, f, Condition::Stamped]
    };

    /// The name used in labels and tables.
    pub fn name(self) -> &'static str {
        match self {
            Condition::Clean => "clean",
            Condition::Skew => "skew",
            Condition::QuarterTurn => "quarter_turn",
            Condition::Degraded => "degraded",
            Condition::LowResolution => "low_resolution",
            Condition::ScannerBed => "scanner_bed",
            Condition::Stamped => "stamped",
        }
    }
}

/// Every capture parameter of one specimen.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Capture {
    /// The family.
    pub condition: Condition,
    /// Resolution the page was rendered (scanned) at.
    pub dpi: u32,
    /// Clockwise quarter turns, 0 to 3.
    pub quarter_turns: u8,
    /// Extra rotation in degrees.
    pub skew_deg: f32,
    /// Corner displacement of the perspective, as a fraction of the page size.
    pub perspective: f32,
    /// Scanner bed size in mm (width, height), when the page lies on one.
    pub bed_mm: Option<(f32, f32)>,
    /// Page centre on the output, as fractions of the output size.
    pub centre: (f32, f32),
    /// Gaussian blur sigma in pixels.
    pub blur_sigma: f32,
    /// Sensor noise standard deviation (0-255 scale).
    pub noise_sigma: f32,
    /// Darkening across the page, 0 to 1.
    pub light_gradient: f32,
    /// Glare spot strength, 0 to 1.
    pub glare: f32,
    /// JPEG quality the image was re-compressed at, if it was.
    pub jpeg_quality: Option<u8>,
    /// The ink stamp pressed over the page, if any.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub stamp: Option<Stamp>,
    /// How the infrared and ultraviolet companions were captured, when
    /// there are companions.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub bands: Option<BandCapture>,
}

/// How a document reader captures the infrared and ultraviolet companions:
/// its own focus, sensor noise and exposure, a small misregistration against
/// the visible image and, for some readers, a lower resolution.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BandCapture {
    /// Where the page lies in a companion relative to the visible image,
    /// in visible pixels (before `scale`): companion content is moved by
    /// this much.
    pub shift_px: (i32, i32),
    /// A companion's size over the visible image's (1 or 0.5).
    pub scale: f32,
    /// Gaussian blur sigma in companion pixels.
    pub blur_sigma: f32,
    /// Sensor noise standard deviation (0-255 scale).
    pub noise_sigma: f32,
    /// Exposure gain.
    pub gain: f32,
}

impl BandCapture {
    /// Draws a reader's companion capture for a page scanned at `dpi`.
    pub fn random(dpi: u32, rng: &mut Rng) -> BandCapture {
        // Up to 1 mm of misregistration.
        let most = (dpi as f32 / 25.4).round().max(1.0) as i64;
        BandCapture {
            shift_px: (rng.range(-most, most) as i32, rng.range(-most, most) as i32),
            scale: if rng.chance(0.3) { 0.5 } else { 1.0 },
            blur_sigma: rng.uniform(0.3, 1.1) as f32,
            noise_sigma: rng.uniform(1.5, 6.0) as f32,
            gain: rng.uniform(0.85, 1.15) as f32,
        }
    }

    /// Captures a grey band as this reader does.
    pub(crate) fn grey(&self, img: &GrayImage, background: u8, rng: &mut Rng) -> GrayImage {
        let mut out = GrayImage::from_pixel(img.width(), img.height(), Luma([background]));
        shift_into(img, &mut out, self.shift_px);
        let mut out = self.resized(&out);
        if self.blur_sigma > 0.05 {
            out = imageproc::filter::gaussian_blur_f32(&out, self.blur_sigma);
        }
        let mut n = rng.fork(0xB1);
        for p in out.pixels_mut() {
            p.0[0] = (f32::from(p.0[0]) * self.gain + n.normal_fast() * self.noise_sigma + 0.5) as u8;
        }
        out
    }

    /// Captures a colour band as this reader does.
    pub(crate) fn rgb(&self, img: &RgbImage, background: [u8; 3], rng: &mut Rng) -> RgbImage {
        let mut out = RgbImage::from_pixel(img.width(), img.height(), Rgb(background));
        shift_into(img, &mut out, self.shift_px);
        let mut out = self.resized(&out);
        if self.blur_sigma > 0.05 {
            out = imageproc::filter::gaussian_blur_f32(&out, self.blur_sigma);
        }
        let mut n = rng.fork(0xB2);
        for p in out.pixels_mut() {
            for ch in &mut p.0 {
                *ch = (f32::from(*ch) * self.gain + n.normal_fast() * self.noise_sigma + 0.5) as u8;
            }
        }
        out
    }

    fn resized<P: image::Pixel<Subpixel = u8> + 'static>(
        &self,
        img: &image::ImageBuffer<P, Vec<u8>>,
    ) -> image::ImageBuffer<P, Vec<u8>> {
        if (self.scale - 1.0).abs() < 1e-3 {
            return img.clone();
        }
        let w = ((img.width() as f32 * self.scale).round() as u32).max(1);
        let h = ((img.height() as f32 * self.scale).round() as u32).max(1);
        image::imageops::resize(img, w, h, image::imageops::FilterType::Triangle)
    }
}

/// Copies `src` into `dst` moved by `shift` pixels (what falls outside is lost).
fn shift_into<P: image::Pixel<Subpixel = u8>>(
    src: &image::ImageBuffer<P, Vec<u8>>,
    dst: &mut image::ImageBuffer<P, Vec<u8>>,
    shift: (i32, i32),
) {
    let (w, h) = (i64::from(src.width()), i64::from(src.height()));
    for y in 0..h {
        let ty = y + i64::from(shift.1);
        if !(0..h).contains(&ty) {
            continue;
        }
        for x in 0..w {
            let tx = x + i64::from(shift.0);
            if (0..w).contains(&tx) {
                dst.put_pixel(tx as u32, ty as u32, *src.get_pixel(x as u32, y as u32));
            }
        }
    }
}

impl Capture {
    /// Draws parameters for a condition.
    pub fn random(condition: Condition, dpi: u32, rng: &mut Rng) -> Capture {
        let mut c = Capture {
            condition,
            dpi,
            quarter_turns: 0,
            skew_deg: 0.0,
            perspective: 0.0,
            bed_mm: None,
            centre: (0.5, 0.5),
            blur_sigma: 0.0,
            noise_sigma: rng.uniform(0.5, 2.0) as f32,
            light_gradient: 0.0,
            glare: 0.0,
            jpeg_quality: None,
            stamp: None,
            bands: None,
        };
        match condition {
            Condition::Clean => {}
            Condition::Skew => {
                c.skew_deg = rng.uniform(-8.0, 8.0) as f32;
                c.perspective = rng.uniform(0.0, 0.02) as f32;
            }
            Condition::QuarterTurn => {
                c.quarter_turns = rng.range(1, 3) as u8;
                c.skew_deg = rng.uniform(-3.0, 3.0) as f32;
            }
            Condition::Degraded => {
                c.skew_deg = rng.uniform(-2.0, 2.0) as f32;
                c.blur_sigma = rng.uniform(0.5, 1.3) as f32;
                c.noise_sigma = rng.uniform(3.0, 9.0) as f32;
                c.light_gradient = rng.uniform(0.1, 0.35) as f32;
                c.glare = rng.uniform(0.0, 0.5) as f32;
                c.jpeg_quality = Some(rng.range(45, 80) as u8);
            }
            Condition::LowResolution => {
                c.dpi = rng.range(150, 200) as u32;
                c.skew_deg = rng.uniform(-2.0, 2.0) as f32;
                c.blur_sigma = rng.uniform(0.0, 0.5) as f32;
                c.jpeg_quality = rng.chance(0.5).then(|| rng.range(70, 92) as u8);
            }
            Condition::ScannerBed => {
                c.bed_mm = Some((215.9, 297.0));
                c.quarter_turns = rng.range(0, 3) as u8;
                c.skew_deg = rng.uniform(-6.0, 6.0) as f32;
                c.centre = (rng.uniform(0.3, 0.7) as f32, rng.uniform(0.25, 0.75) as f32);
                c.light_gradient = rng.uniform(0.0, 0.15) as f32;
            }
            Condition::Stamped => {
                c.skew_deg = rng.uniform(-2.0, 2.0) as f32;
            }
        }
        c
    }
}

/// Where the page lands in the output image: the output size and the
/// projection from page pixels to output pixels.
pub(crate) fn geometry(c: &Capture, page_w: u32, page_h: u32, rng: &mut Rng) -> ((u32, u32), Projection) {
    let (w, h) = (page_w as f32, page_h as f32);
    let ppmm = c.dpi as f32 / 25.4;
    let angle = (f32::from(c.quarter_turns) * 90.0 + c.skew_deg).to_radians();
    let (sin, cos) = angle.sin_cos();
    // Rotated extent.
    let ext_w = (w * cos).abs() + (h * sin).abs();
    let ext_h = (w * sin).abs() + (h * cos).abs();
    let (out_w, out_h) = match c.bed_mm {
        Some((bw, bh)) => ((bw * ppmm).round(), (bh * ppmm).round()),
        None => ((ext_w * 1.06 + 8.0).round(), (ext_h * 1.06 + 8.0).round()),
    };
    let (ox, oy) = (out_w * c.centre.0, out_h * c.centre.1);
    let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let mut dst = [(0.0f32, 0.0f32); 4];
    for (d, &(x, y)) in dst.iter_mut().zip(corners.iter()) {
        let (px, py) = (x - w / 2.0, y - h / 2.0);
        let jitter = c.perspective * w.max(h);
        let (jx, jy) = (rng.uniform(-1.0, 1.0) as f32 * jitter, rng.uniform(-1.0, 1.0) as f32 * jitter);
        *d = (ox + px * cos - py * sin + jx, oy + px * sin + py * cos + jy);
    }
    let projection = Projection::from_control_points(corners, dst)
        .or_else(|| {
            Projection::from_matrix([
                cos,
                -sin,
                ox - (w / 2.0) * cos + (h / 2.0) * sin,
                sin,
                cos,
                oy - (w / 2.0) * sin - (h / 2.0) * cos,
                0.0,
                0.0,
                1.0,
            ])
        })
        .unwrap_or_else(|| Projection::translate(0.0, 0.0));
    ((out_w.max(1.0) as u32, out_h.max(1.0) as u32), projection)
}

/// Applies the geometry to an RGB band.
pub(crate) fn warp_rgb(img: &RgbImage, size: (u32, u32), p: &Projection, background: [u8; 3]) -> RgbImage {
    let mut out = RgbImage::from_pixel(size.0, size.1, Rgb(background));
    warp_into(
        img,
        *p,
        Interpolation::Bilinear,
        imageproc::geometric_transformations::Border::Constant(Rgb(background)),
        &mut out,
    );
    out
}

/// Applies the geometry to a grey band.
pub(crate) fn warp_gray(img: &GrayImage, size: (u32, u32), p: &Projection, background: u8) -> GrayImage {
    let mut out = GrayImage::from_pixel(size.0, size.1, Luma([background]));
    warp_into(
        img,
        *p,
        Interpolation::Bilinear,
        imageproc::geometric_transformations::Border::Constant(Luma([background])),
        &mut out,
    );
    out
}

/// Light, glare, blur and noise on the visible band.
pub(crate) fn degrade(img: &mut RgbImage, c: &Capture, rng: &mut Rng) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    if c.light_gradient > 0.0 || c.glare > 0.0 {
        let angle = rng.uniform(0.0, std::f64::consts::TAU) as f32;
        let (gx, gy) = (angle.cos(), angle.sin());
        let (sx, sy) = (w * rng.uniform(0.2, 0.8) as f32, h * rng.uniform(0.2, 0.8) as f32);
        let sr = w.min(h) * rng.uniform(0.1, 0.25) as f32;
        for (x, y, p) in img.enumerate_pixels_mut() {
            let t = ((x as f32 / w - 0.5) * gx + (y as f32 / h - 0.5) * gy + 0.5).clamp(0.0, 1.0);
            let shade = 1.0 - c.light_gradient * t;
            let d2 = ((x as f32 - sx).powi(2) + (y as f32 - sy).powi(2)) / (sr * sr);
            let glare = c.glare * (-d2).exp() * 255.0;
            for ch in &mut p.0 {
                *ch = (f32::from(*ch) * shade + glare + 0.5) as u8;
            }
        }
    }
    if c.blur_sigma > 0.05 {
        *img = imageproc::filter::gaussian_blur_f32(img, c.blur_sigma);
    }
    if c.noise_sigma > 0.0 {
        let mut n = rng.fork(99);
        for p in img.pixels_mut() {
            for ch in &mut p.0 {
                // `as u8` saturates at 0 and 255.
                *ch = (f32::from(*ch) + n.normal_fast() * c.noise_sigma + 0.5) as u8;
            }
        }
    }
}
