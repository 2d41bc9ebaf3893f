//! The infrared and ultraviolet companions (families `ir` and `uv`, images
//! with companions): each companion is registered to the visible page, then
//! the MRZ and the paper are measured in it where the visible page shows
//! them.
//!
//! - `ir.mrz`: Doc 9303 Part 3 asks for an MRZ printed in an ink that is dark
//!   in the B900 band. Each MRZ line's darkness in the infrared is compared
//!   with its darkness in daylight, character by character: carbon ink keeps
//!   its darkness (a ratio near 1), a dye or inkjet ink fades or vanishes (a
//!   ratio near 0). A line below
//!   [`Thresholds::ir_min_mrz_darkness`](crate::Thresholds::ir_min_mrz_darkness)
//!   fails, naming the line.
//! - `ir.viz`: which visual-zone lines are dark in the infrared (carbon ink)
//!   and which vanish (offset inks): for the officer; it never accuses.
//! - `uv.paper`: document paper is UV-dull; paper with optical brighteners
//!   glows broadly. The paper's level around the MRZ above
//!   [`Thresholds::uv_max_paper`](crate::Thresholds::uv_max_paper) fails.
//! - `uv.features`: the area that fluoresces above the paper (fibres,
//!   emblems, planchettes); none at all is a warning.
//!
//! Without a companion the family is skipped (`no_companion`); without an
//! MRZ read from the visible page it is skipped too (`no_mrz`), since the
//! MRZ is what places the measurements.
//!
//! Registration ([`register`]) assumes what document readers give: every
//! band of one capture, possibly at another resolution and a few pixels off.
//! It scales by the images' sizes and finds the shift that best aligns the
//! two bands' edge profiles (carbon print, the portrait and the page edges
//! show in every band). When the profiles do not agree well enough
//! ([`Thresholds::band_min_registration`](crate::Thresholds::band_min_registration)),
//! no finding accuses: a faded MRZ then is `skipped`, not `fail`.

use image::GrayImage;

use super::stats::median;
use super::{Check, CheckResult, Context};
use crate::geometry::{Point, Quad};
use crate::report::{Band, Evidence, Finding, SkipReason, Status};
use crate::scan::Page;

/// Where a companion band's pixels lie relative to the visible page's:
/// `u = x * scale.0 + offset.0`, `v = y * scale.1 + offset.1`.
///
/// # Examples
///
/// ```
/// use mrtd_verify::checks::bands::Registration;
/// use mrtd_verify::Point;
/// let r = Registration { scale: (0.5, 0.5), offset: (3.0, -2.0), score: 0.9, cell_px: 4.0, alternatives: vec![] };
/// assert_eq!(r.map(Point::new(10.0, 10.0)), Point::new(8.0, 3.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// Companion pixels per visible pixel, across and down.
    pub scale: (f32, f32),
    /// The companion position of the visible origin, in companion pixels.
    pub offset: (f32, f32),
    /// How well the two bands' edge profiles agree at the shift found: the
    /// zero-mean normalised correlation of their dark print's edges
    /// (1 = identical).
    pub score: f32,
    /// The working grid's cell, in visible pixels: the shift is found to a
    /// fraction of it.
    pub cell_px: f32,
    /// Other shifts that align almost as well (a local peak within 15 % of
    /// the best), as offsets like [`offset`](Registration::offset): regular
    /// print (rows of text) can make a shift of one row nearly as good. A
    /// check that would accuse tries them too.
    pub alternatives: Vec<(f32, f32)>,
}

impl Registration {
    /// A visible-page point in the companion.
    pub fn map(&self, p: Point) -> Point {
        Point::new(p.x * self.scale.0 + self.offset.0, p.y * self.scale.1 + self.offset.1)
    }

    /// A visible-page quadrilateral in the companion.
    pub fn map_quad(&self, q: &Quad) -> Quad {
        q.map(|p| self.map(p))
    }

    /// The same scale at another offset (one of the alternatives).
    pub fn at(&self, offset: (f32, f32)) -> Registration {
        Registration { offset, alternatives: Vec::new(), ..self.clone() }
    }

    /// The shift found, in visible pixels.
    pub fn shift_px(&self) -> (f32, f32) {
        (self.offset.0 / self.scale.0, self.offset.1 / self.scale.1)
    }
}

/// The working copies' long side, in pixels.
const WORK_SIDE: f32 = 200.0;

/// Registers a companion band to the visible page (see the module
/// documentation) over `window`, a region of the visible page (the page
/// around the MRZ), searching shifts up to `reach_px` visible pixels:
/// `None` when the two images' shapes differ (not one capture) or the window
/// is too small to measure.
///
/// The two bands are averaged onto one working grid of about 200 pixels
/// across the window; their dark print's edges are correlated at every
/// shift within reach (zero-mean normalised correlation) and the best shift
/// refined to a fraction of a working pixel.
///
/// # Examples
///
/// ```
/// use image::{GrayImage, Luma};
/// use mrtd_verify::Quad;
/// use mrtd_verify::checks::bands::register;
/// // A page with dark blocks, and its companion at half resolution moved
/// // 10 visible pixels right and 6 down.
/// let mut page = GrayImage::from_pixel(400, 300, Luma([230]));
/// let mut band = GrayImage::from_pixel(200, 150, Luma([230]));
/// for (x0, y0, w, h) in [(40, 30, 60, 80), (150, 200, 200, 12), (150, 230, 180, 12), (300, 40, 30, 30)] {
///     for y in y0..y0 + h {
///         for x in x0..x0 + w {
///             page.put_pixel(x, y, Luma([20]));
///             band.put_pixel((x + 10) / 2, (y + 6) / 2, Luma([40]));
///         }
///     }
/// }
/// let r = register(&page, &band, &Quad::from_box(0.0, 0.0, 400.0, 300.0), 20.0).unwrap();
/// let (dx, dy) = r.shift_px();
/// assert!((dx - 10.0).abs() < 2.0 && (dy - 6.0).abs() < 2.0, "{dx} {dy}");
/// ```
pub fn register(visible: &GrayImage, band: &GrayImage, window: &Quad, reach_px: f32) -> Option<Registration> {
    let ((vw, vh), (bw, bh)) = (visible.dimensions(), band.dimensions());
    if vw < 32 || vh < 32 || bw < 16 || bh < 16 {
        return None;
    }
    let (sx, sy) = (bw as f32 / vw as f32, bh as f32 / vh as f32);
    if (sx / sy - 1.0).abs() > 0.03 {
        return None;
    }
    let (left, top, right, bottom) = window.bounds();
    let (x0, x1) = (left.max(0.0), right.min(vw as f32));
    let (y0, y1) = (top.max(0.0), bottom.min(vh as f32));
    if x1 - x0 < 32.0 || y1 - y0 < 32.0 {
        return None;
    }
    let cell = ((x1 - x0).max(y1 - y0) / WORK_SIDE).max(1.0);
    let (w, h) = (((x1 - x0) / cell) as usize, ((y1 - y0) / cell) as usize);
    if w < 4 || h < 4 {
        return None;
    }
    let r = (reach_px.max(0.0) / cell).ceil() as usize + 1;
    let v = block_means(visible, (x0, y0), (cell, cell), (w, h));
    let rf = r as f32 * cell;
    let g = block_means(band, ((x0 - rf) * sx, (y0 - rf) * sy), (cell * sx, cell * sy), (w + 2 * r, h + 2 * r));
    let mut ev = dark_edges(&v, w);
    let eb = dark_edges(&g, w + 2 * r);
    let mean = ev.iter().sum::<f32>() / ev.len().max(1) as f32;
    ev.iter_mut().for_each(|e| *e -= mean);
    let norm_v: f32 = ev.iter().map(|e| e * e).sum();
    if norm_v <= 0.0 {
        return None;
    }
    let (gw, n) = (w + 2 * r, (w * h) as f32);
    let span = 2 * r + 1;
    let mut scores = vec![f32::NEG_INFINITY; span * span];
    for sy_ in 0..span {
        for sx_ in 0..span {
            let (mut dot, mut sum, mut sq) = (0f32, 0f32, 0f32);
            for (j, a) in ev.chunks_exact(w).enumerate() {
                let start = (j + sy_) * gw + sx_;
                let Some(bb) = eb.get(start..start + w) else { continue };
                for (x, y) in a.iter().zip(bb) {
                    dot += x * y;
                    sum += y;
                    sq += y * y;
                }
            }
            let var = sq - sum * sum / n;
            if var > 0.0
                && let Some(slot) = scores.get_mut(sy_ * span + sx_)
            {
                *slot = dot / (norm_v * var).sqrt();
            }
        }
    }
    let (at, &best) = scores.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
    if !best.is_finite() {
        return None;
    }
    let (bx, by) = (at % span, at / span);
    let score_at = |x: usize, y: usize| scores.get(y * span + x).copied().filter(|s| s.is_finite());
    let refine = |l: Option<f32>, r: Option<f32>| match (l, r) {
        (Some(l), Some(r)) if l + r - 2.0 * best < 0.0 => (0.5 * (l - r) / (l + r - 2.0 * best)).clamp(-0.5, 0.5),
        _ => 0.0,
    };
    let fx = refine(bx.checked_sub(1).and_then(|x| score_at(x, by)), score_at(bx + 1, by));
    let fy = refine(by.checked_sub(1).and_then(|y| score_at(bx, y)), score_at(bx, by + 1));
    let (dx, dy) = ((bx as f32 - r as f32 + fx) * cell, (by as f32 - r as f32 + fy) * cell);
    // Local peaks nearly as good, best first, at most three.
    let mut alternatives: Vec<(f32, (f32, f32))> = Vec::new();
    for y in 0..span {
        for x in 0..span {
            let Some(v) = score_at(x, y) else { continue };
            let peak = (x, y) != (bx, by)
                && v >= 0.85 * best
                && (-1i64..=1).all(|oy| {
                    (-1i64..=1).all(|ox| {
                        let (nx, ny) = (x as i64 + ox, y as i64 + oy);
                        (ox, oy) == (0, 0)
                            || nx < 0
                            || ny < 0
                            || score_at(nx as usize, ny as usize).is_none_or(|n| n <= v)
                    })
                });
            if peak {
                let off = ((x as f32 - r as f32) * cell * sx, (y as f32 - r as f32) * cell * sy);
                alternatives.push((v, off));
            }
        }
    }
    alternatives.sort_by(|a, b| b.0.total_cmp(&a.0));
    let alternatives = alternatives.into_iter().take(3).map(|a| a.1).collect();
    Some(Registration { scale: (sx, sy), offset: (dx * sx, dy * sy), score: best, cell_px: cell, alternatives })
}

/// Registers a companion over the page above a read MRZ (0.7 of the
/// zone's width above it), searching up to 2 mm: what the `ir` and `uv`
/// families use.
pub fn register_on_mrz(
    visible: &GrayImage,
    band: &GrayImage,
    reading: &crate::read::MrzReading,
) -> Option<Registration> {
    register(visible, band, &page_window(&reading.zone), reach(reading))
}

/// The infrared and ultraviolet companions registered on a read MRZ: the
/// ultraviolet takes the infrared's registration when the two have one
/// size.
pub(crate) fn register_companions(
    visible: &GrayImage,
    ir: Option<&GrayImage>,
    uv: Option<&GrayImage>,
    reading: &crate::read::MrzReading,
) -> [Option<Registration>; 2] {
    let ir_reg = ir.and_then(|b| register_on_mrz(visible, b, reading));
    let uv_reg = match (uv, ir, &ir_reg) {
        (Some(u), Some(i), Some(r)) if u.dimensions() == i.dimensions() => Some(r.clone()),
        (Some(u), _, _) => register_on_mrz(visible, u, reading),
        _ => None,
    };
    [ir_reg, uv_reg]
}

/// The image averaged over a grid of `size` cells of `cell` pixels from
/// `origin` (in the image's pixels); cells beyond the image repeat its edge.
fn block_means(img: &GrayImage, origin: (f32, f32), cell: (f32, f32), size: (usize, usize)) -> Vec<f32> {
    let (iw, ih) = (img.width() as i64, img.height() as i64);
    let ranges = |o: f32, c: f32, n: usize, lim: i64| -> Vec<(usize, usize)> {
        (0..n)
            .map(|i| {
                let a = ((o + i as f32 * c).floor() as i64).clamp(0, lim - 1);
                let b = ((o + (i + 1) as f32 * c).floor() as i64).clamp(a + 1, lim);
                (a as usize, b as usize)
            })
            .collect()
    };
    let cols = ranges(origin.0, cell.0, size.0, iw);
    let rows = ranges(origin.1, cell.1, size.1, ih);
    let raw = img.as_raw();
    let stride = iw as usize;
    let mut out = vec![0f32; size.0 * size.1];
    let mut acc = vec![0u32; size.0];
    for (out_row, &(r0, r1)) in out.chunks_exact_mut(size.0.max(1)).zip(&rows) {
        acc.iter_mut().for_each(|a| *a = 0);
        for row in raw.chunks_exact(stride.max(1)).skip(r0).take(r1 - r0) {
            for (a, &(c0, c1)) in acc.iter_mut().zip(&cols) {
                *a += row.get(c0..c1).unwrap_or_default().iter().map(|&v| u32::from(v)).sum::<u32>();
            }
        }
        for ((o, &a), &(c0, c1)) in out_row.iter_mut().zip(&acc).zip(&cols) {
            *o = a as f32 / ((c1 - c0) * (r1 - r0)) as f32;
        }
    }
    out
}

/// The edges of dark print: per pixel, the larger step to its right or
/// lower neighbour where one of the two is darker than 60 % of the paper
/// (the 90th percentile). Carbon text and the portrait show in every band;
/// pastel backgrounds (gone in infrared) and fluorescent features (only in
/// ultraviolet) do not weigh.
fn dark_edges(v: &[f32], w: usize) -> Vec<f32> {
    let mut sample: Vec<f32> = v.iter().step_by(3).copied().collect();
    if sample.is_empty() {
        return vec![0.0; v.len()];
    }
    let k = (sample.len() - 1) * 9 / 10;
    let paper = *sample.select_nth_unstable_by(k, f32::total_cmp).1;
    let dark = paper * 0.6;
    v.iter()
        .enumerate()
        .map(|(k, &p)| {
            let right = (k % w.max(1) + 1 < w).then(|| v.get(k + 1)).flatten();
            let below = v.get(k + w);
            [right, below].into_iter().flatten().filter(|&&q| p.min(q) < dark).fold(0f32, |e, &q| e.max((p - q).abs()))
        })
        .collect()
}

/// Reusable pixel buffer and the box statistics the checks take.
struct Sampler<'a> {
    img: &'a GrayImage,
    buf: Vec<u8>,
}

impl<'a> Sampler<'a> {
    fn new(img: &'a GrayImage) -> Sampler<'a> {
        Sampler { img, buf: Vec::new() }
    }

    /// The `q` quantile (0..1) of the pixels in `quad`'s bounding box grown
    /// by `grow` pixels, visiting every `step`-th pixel; `None` when the box
    /// falls outside the image.
    fn quantile(&mut self, quad: &Quad, grow: f32, step: usize, q: f32) -> Option<f32> {
        let (w, h) = self.img.dimensions();
        let (left, top, right, bottom) = quad.bounds();
        let (x0, x1) = ((left - grow).max(0.0) as u32, (((right + grow).ceil().max(0.0)) as u32).min(w));
        let (y0, y1) = ((top - grow).max(0.0) as u32, (((bottom + grow).ceil().max(0.0)) as u32).min(h));
        if x0 >= x1 || y0 >= y1 {
            return None;
        }
        self.buf.clear();
        let raw = self.img.as_raw();
        for y in (y0..y1).step_by(step.max(1)) {
            let row = y as usize * w as usize;
            self.buf.extend(raw.get(row + x0 as usize..row + x1 as usize)?.iter().step_by(step.max(1)));
        }
        let k = ((self.buf.len() - 1) as f32 * q.clamp(0.0, 1.0)) as usize;
        let (_, v, _) = self.buf.select_nth_unstable(k);
        Some(f32::from(*v))
    }
}

/// How much darker than its paper a region's darkest print is, as a share
/// of the paper's level (0: no print, near 1: black on white).
fn darkness(paper: f32, ink: f32) -> f32 {
    if paper <= 1.0 { 0.0 } else { ((paper - ink) / paper).clamp(0.0, 1.0) }
}

/// The darkest print's quantile in a box: the strokes, not the paper
/// between them.
const INK_QUANTILE: f32 = 0.05;

/// The paper's quantile in a zone: what lies between the characters.
const PAPER_QUANTILE: f32 = 0.85;

/// The page above an MRZ zone: from the zone's top edge, across the
/// reading direction, 0.7 of its width (the visual zone and portrait of
/// every format lie there). The MRZ itself is left out: its regular pitch
/// would let a shift of whole characters align as well as the true one, and
/// an MRZ that vanishes in one band must not upset the registration.
fn page_window(zone: &Quad) -> Quad {
    let [tl, tr, br, bl] = zone.corners;
    let up = |top: Point, bottom: Point| {
        let (dx, dy) = (top.x - bottom.x, top.y - bottom.y);
        let len = (dx * dx + dy * dy).sqrt().max(1e-3);
        let k = 0.7 * zone.width() / len;
        Point::new(top.x + dx * k, top.y + dy * k)
    };
    Quad::new([up(tl, bl), up(tr, br), tr, tl])
}

/// The largest misregistration searched: 2 mm at the MRZ's resolution.
fn reach(reading: &crate::read::MrzReading) -> f32 {
    2.0 * reading.dpi_estimate / 25.4
}

/// What a band family needs: the companion, its registration to the page,
/// the MRZ reading.
struct Bands<'d> {
    page: &'d Page,
    band: &'d Page,
    reg: Registration,
    reading: &'d crate::read::MrzReading,
}

impl<'d> Bands<'d> {
    fn of(cx: &Context<'d>, band: Band) -> Result<Bands<'d>, CheckResult> {
        let doc = cx.document();
        let name = if band == Band::Ir { "infrared" } else { "ultraviolet" };
        if doc.kind() == crate::InputKind::Text {
            return Err(CheckResult::Skipped(SkipReason::NotApplicable, "MRZ text input: no scan".into()));
        }
        let Some(companion) = doc.band(band) else {
            return Err(CheckResult::Skipped(
                SkipReason::NoCompanion,
                format!("no {name} image was given with the scan (name it NAME-{}.png)", band.name()),
            ));
        };
        let (Some(page), Some(reading)) = (doc.page(), doc.reading()) else {
            return Err(CheckResult::Skipped(
                SkipReason::NoMrz,
                format!("no MRZ was read on the visible page to place the {name} measurements"),
            ));
        };
        let Some(reg) = doc.registration(band).cloned() else {
            let ((w, h), (bw, bh)) = (page.dimensions(), companion.dimensions());
            return Err(CheckResult::Skipped(
                SkipReason::ScanQuality,
                format!(
                    "the {name} image ({bw} x {bh}) could not be registered to the visible image ({w} x {h}): \
                     another shape, or no print to align on"
                ),
            ));
        };
        Ok(Bands { page, band: companion, reg, reading })
    }

    /// The registration in words.
    fn registered(&self) -> String {
        let (dx, dy) = self.reg.shift_px();
        format!(
            "registered at {:.2}x, shift ({dx:+.1}, {dy:+.1}) px, profile agreement {:.2}",
            self.reg.scale.0, self.reg.score
        )
    }

    /// How much of a print's visible darkness each region keeps in the
    /// band: per region, band darkness over visible darkness (`None` where
    /// the visible page shows too little print to compare).
    fn kept(&self, reg: &Registration, zone: &Quad, regions: impl Iterator<Item = Quad>) -> Vec<Option<f32>> {
        let mut vis = Sampler::new(self.page.grey());
        let mut band = Sampler::new(self.band.grey());
        let step = |side: f32| ((side / 60.0) as usize).max(1);
        let bzone = reg.map_quad(zone);
        let (Some(paper_v), Some(paper_b)) = (
            vis.quantile(zone, 0.0, step(zone.height()), PAPER_QUANTILE),
            band.quantile(&bzone, 0.0, step(bzone.height()), PAPER_QUANTILE),
        ) else {
            return Vec::new();
        };
        // The band box grows by the registration's working cell and blur.
        let grow = 1.5 + 0.4 * reg.cell_px * reg.scale.0;
        regions
            .map(|r| {
                let dv = darkness(paper_v, vis.quantile(&r, 1.0, 1, INK_QUANTILE)?);
                let db = darkness(paper_b, band.quantile(&reg.map_quad(&r), grow, 1, INK_QUANTILE)?);
                (dv >= 0.2).then(|| (db / dv).min(1.5))
            })
            .collect()
    }
}

/// The `ir` family.
#[derive(Debug, Clone, Copy, Default)]
pub struct IrCheck;

impl Check for IrCheck {
    fn family(&self) -> &'static str {
        "ir"
    }

    fn describe(&self) -> &'static str {
        "infrared: the MRZ dark in B900, which visual-zone print is carbon"
    }

    fn run(&self, cx: &Context<'_>) -> CheckResult {
        let b = match Bands::of(cx, Band::Ir) {
            Ok(b) => b,
            Err(skip) => return skip,
        };
        let t = cx.thresholds();
        let zone = b.reading.zone;
        let glyphs: Vec<_> = b.reading.glyphs.iter().filter_map(|g| Some((g.line, g.ink?))).collect();
        let lines = b.reading.lines.len();
        let per_line_at = |reg: &Registration| -> Vec<(usize, f32)> {
            let kept = b.kept(reg, &zone, glyphs.iter().map(|g| g.1));
            (1..=lines)
                .filter_map(|line| {
                    let v: Vec<f32> =
                        glyphs.iter().zip(&kept).filter(|(g, _)| g.0 == line).filter_map(|(_, k)| *k).collect();
                    Some((line, median(&v)?))
                })
                .collect()
        };
        let worst_of = |v: &[(usize, f32)]| v.iter().map(|l| l.1).fold(f32::INFINITY, f32::min);
        let mut per_line = per_line_at(&b.reg);
        // Where the MRZ looks faded, the near-best alignments are tried too:
        // the MRZ is judged where it looks darkest.
        if worst_of(&per_line) < t.ir_min_mrz_darkness {
            for &alt in &b.reg.alternatives {
                let other = per_line_at(&b.reg.at(alt));
                if worst_of(&other) > worst_of(&per_line) {
                    per_line = other;
                }
            }
        }
        let mut out = Vec::new();
        let Some(&(worst_line, worst)) = per_line.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
            return CheckResult::Skipped(SkipReason::ScanQuality, "the MRZ's print could not be measured".into());
        };
        let listed =
            per_line.iter().map(|(l, k)| format!("line {l} {:.0} %", k * 100.0)).collect::<Vec<_>>().join(", ");
        let evidence = Evidence::on(zone)
            .measured(f64::from(worst))
            .threshold(f64::from(t.ir_min_mrz_darkness))
            .expected("carbon ink: as dark in infrared as in daylight (near 100 %)");
        let faded = worst < t.ir_min_mrz_darkness;
        let (status, message) = if !faded {
            (Status::Pass, format!("the MRZ keeps its darkness in infrared ({listed}); {}", b.registered()))
        } else if b.reg.score < t.band_min_registration {
            (
                Status::Skipped,
                format!(
                    "the MRZ looks faded in infrared ({listed}), but the infrared image could not be aligned with the \
                     page with confidence ({}); not judged",
                    b.registered()
                ),
            )
        } else {
            (
                Status::Fail,
                format!(
                    "MRZ line {worst_line} keeps only {:.0} % of its darkness in infrared (at least {:.0} % expected: \
                     Doc 9303 asks for an MRZ dark in B900; {listed}); {}",
                    worst * 100.0,
                    t.ir_min_mrz_darkness * 100.0,
                    b.registered()
                ),
            )
        };
        out.push(Finding::new("ir.mrz", status, worst.clamp(0.0, 1.0), evidence, message));

        // The visual zone's lines: carbon or offset ink.
        if let Some(viz) = cx.document().viz() {
            let frames: Vec<Quad> = viz.lines.iter().map(|l| l.frame).collect();
            let kept = b.kept(&b.reg, &zone, frames.iter().copied());
            let dark: Vec<&str> = viz
                .lines
                .iter()
                .zip(&kept)
                .filter(|(_, k)| k.is_some_and(|k| k >= 0.5))
                .map(|(l, _)| l.text.as_str())
                .collect();
            let measured = kept.iter().filter(|k| k.is_some()).count();
            out.push(Finding::new(
                "ir.viz",
                Status::Pass,
                dark.len() as f32 / measured.max(1) as f32,
                Evidence::default().measured(dark.len() as f64).expected(format!("{measured} lines measured")),
                format!(
                    "{} of {measured} visual-zone lines are dark in infrared (carbon ink){}{}",
                    dark.len(),
                    if dark.is_empty() { "" } else { ": " },
                    dark.iter().take(6).map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        CheckResult::Findings(out)
    }
}

/// The `uv` family.
#[derive(Debug, Clone, Copy, Default)]
pub struct UvCheck;

impl Check for UvCheck {
    fn family(&self) -> &'static str {
        "uv"
    }

    fn describe(&self) -> &'static str {
        "ultraviolet: paper UV-dull, fluorescent features present"
    }

    fn run(&self, cx: &Context<'_>) -> CheckResult {
        let b = match Bands::of(cx, Band::Uv) {
            Ok(b) => b,
            Err(skip) => return skip,
        };
        let t = cx.thresholds();
        let zone = b.reading.zone;
        let bzone = b.reg.map_quad(&zone);
        let mut uv = Sampler::new(b.band.grey());
        let step = ((bzone.height() / 40.0) as usize).max(1);
        // The median of the zone grown by half its height: paper, between
        // and around the characters, robust to a fibre crossing it.
        let Some(paper) = uv.quantile(&bzone, bzone.height() * 0.5, step, 0.5) else {
            return CheckResult::Skipped(SkipReason::ScanQuality, "the MRZ falls outside the ultraviolet image".into());
        };
        let mut out = Vec::new();
        let glows = paper > t.uv_max_paper;
        out.push(Finding::new(
            "uv.paper",
            if glows { Status::Fail } else { Status::Pass },
            (1.0 - paper / 255.0).clamp(0.0, 1.0),
            Evidence::on(zone)
                .measured(f64::from(paper))
                .threshold(f64::from(t.uv_max_paper))
                .expected("document paper is dull under ultraviolet"),
            if glows {
                format!(
                    "the paper glows under ultraviolet (level {paper:.0} of 255 around the MRZ, at most {:.0} for \
                     document paper): ordinary paper with optical brighteners",
                    t.uv_max_paper
                )
            } else {
                format!("the paper is dull under ultraviolet (level {paper:.0} of 255 around the MRZ)")
            },
        ));
        // Fluorescent features: what glows well above the paper.
        let img = b.band.grey();
        let above = paper + t.uv_feature_contrast;
        let s = 2usize;
        let count = img
            .as_raw()
            .chunks(img.width().max(1) as usize)
            .step_by(s)
            .fold(0usize, |n, row| n + row.iter().step_by(s).filter(|&&v| f32::from(v) > above).count());
        let px_per_mm = b.reading.dpi_estimate * b.reg.scale.0 / 25.4;
        let mm2 = (count * s * s) as f32 / (px_per_mm * px_per_mm).max(1e-3);
        let none = mm2 < t.uv_min_feature_mm2;
        out.push(Finding::new(
            "uv.features",
            if none { Status::Warn } else { Status::Pass },
            (mm2 / (4.0 * t.uv_min_feature_mm2.max(1e-3))).clamp(0.0, 1.0),
            Evidence::default()
                .measured(f64::from(mm2))
                .threshold(f64::from(t.uv_min_feature_mm2))
                .expected("fluorescent fibres, emblem or planchettes"),
            if none {
                format!(
                    "no fluorescent feature under ultraviolet ({mm2:.1} mm² glows above the paper, at least {:.1} \
                     expected): look for the issuer's UV features",
                    t.uv_min_feature_mm2
                )
            } else {
                format!("fluorescent features cover {mm2:.0} mm² above the paper's level")
            },
        ));
        CheckResult::Findings(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn differently_shaped_images_do_not_register() {
        let a = GrayImage::from_pixel(400, 300, Luma([200]));
        let b = GrayImage::from_pixel(300, 300, Luma([200]));
        let w = Quad::from_box(0.0, 0.0, 400.0, 300.0);
        assert!(register(&a, &b, &w, 10.0).is_none());
        assert!(register(&a, &GrayImage::new(4, 4), &w, 10.0).is_none());
        // A blank page has nothing to register on.
        assert!(register(&a, &a, &w, 10.0).is_none());
        // A window off the page.
        assert!(register(&a, &a, &Quad::from_box(500.0, 0.0, 600.0, 100.0), 10.0).is_none());
    }

    #[test]
    fn quantiles_of_a_box() {
        let mut img = GrayImage::from_pixel(50, 50, Luma([200]));
        for x in 10..20 {
            img.put_pixel(x, 15, Luma([10]));
        }
        let mut s = Sampler::new(&img);
        let q = Quad::from_box(10.0, 10.0, 20.0, 20.0);
        assert_eq!(s.quantile(&q, 0.0, 1, 0.05), Some(10.0));
        assert_eq!(s.quantile(&q, 0.0, 1, 0.5), Some(200.0));
        assert_eq!(s.quantile(&Quad::from_box(60.0, 60.0, 70.0, 70.0), 0.0, 1, 0.5), None);
        assert!((darkness(200.0, 10.0) - 0.95).abs() < 1e-6);
    }
}
