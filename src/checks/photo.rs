//! Portrait substitution (family `photo`, images): the portrait is located
//! on the page without a template, then tested for what a photo pasted into
//! the page carries and the page does not, without any face recognition.
//!
//! - `photo.portrait`: where the portrait is (the largest continuous-tone
//!   region off the page's edges and off the MRZ, its sides refined to the
//!   straight edges that bound it). Informative: it never accuses.
//! - `photo.noise`: the colour noise inside the portrait against the page's
//!   around it. A portrait printed with the page shares its noise: the
//!   photographic grain of a printed portrait is in the lightness, and the
//!   colour noise of both is the scanner's. A photo from another camera or
//!   printer, pasted in, brings colour noise of its own. The ratio of the
//!   two noise floors (each pixel's colour difference from its neighbours,
//!   in the region's flattest blocks) above
//!   [`Thresholds::photo_max_noise_ratio`](crate::Thresholds::photo_max_noise_ratio)
//!   warns. Where the page around shows almost no colour noise (below
//!   [`Thresholds::photo_min_page_noise`](crate::Thresholds::photo_min_page_noise):
//!   a strongly compressed JPEG quantises the paper's colour to nothing, while
//!   a detailed portrait keeps some), there is nothing to compare with and the
//!   check is `skipped`.
//! - `photo.compression`: a JPEG 8x8 block grid inside the portrait that the
//!   page around it does not share (the pasted photo was compressed before it
//!   was pasted). Its strength inside (block-boundary steps against the
//!   other columns and rows, at the grid's phase in the page's frame) above
//!   [`Thresholds::photo_max_blocking`](crate::Thresholds::photo_max_blocking)
//!   while the page around shows less than half of it at that phase warns,
//!   unless the scan file's own grid (in the image's axes, at the phase
//!   JPEG blocks start from) explains it: a detailed portrait shows the
//!   file's own compression more than flat paper does.
//!
//! Either trace alone is a `warn` (the document is referred: real portraits
//! are printed by processes the generator does not imitate, and four of the
//! 35 real specimens' portraits are noisier in colour than their pages);
//! both together `fail`.
//!
//! Both measurements need pixels of the scan as it came: on a page too
//! blurred or too coarse (see `quality.*`) they lose what they measure, and a
//! document printed and scanned again carries no digital trace at all. There
//! is no quality gate beyond the two above: the measures are taken and
//! compared with the page's own, which such a capture degrades alike.
//!
//! Without an MRZ the checks still run: the page's direction comes from its
//! text lines and its scale from their height.

use image::RgbImage;

use super::stats::{median, quantile};
use super::{Check, CheckResult, Context};
use crate::geometry::{Point, Quad};
use crate::report::{Evidence, Finding, SkipReason, Status};

/// The `photo` family.
#[derive(Debug, Clone, Copy, Default)]
pub struct PortraitCheck;

/// The page's frame: `a` along the text (the MRZ's direction), `b` across it
/// (down the page), both in page pixels from the image's origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Unit vector along the text.
    pub u: Point,
    /// Unit vector down the page.
    pub v: Point,
}

impl Frame {
    /// The frame of text running along `direction` (any length).
    pub fn along(direction: Point) -> Frame {
        let n = direction.x.hypot(direction.y);
        let u = if n > 1e-6 { Point::new(direction.x / n, direction.y / n) } else { Point::new(1.0, 0.0) };
        Frame { u, v: Point::new(-u.y, u.x) }
    }

    /// A page point's frame coordinates.
    pub fn to_frame(&self, p: Point) -> (f32, f32) {
        (p.x * self.u.x + p.y * self.u.y, p.x * self.v.x + p.y * self.v.y)
    }

    /// The page point at frame coordinates `(a, b)`.
    pub fn to_page(&self, a: f32, b: f32) -> Point {
        Point::new(a * self.u.x + b * self.v.x, a * self.u.y + b * self.v.y)
    }

    /// Whether the frame is the image's own axes, a quarter turn or a half
    /// turn of them (within about a quarter of a degree): the page's pixels can then be taken
    /// as they are, without resampling.
    fn axis_aligned(&self) -> bool {
        self.u.x.abs().max(self.u.y.abs()) > 0.999_99
    }
}

/// A rectangle in a [`Frame`]: `a` from `a0` to `a1`, `b` from `b0` to `b1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameRect {
    /// Start along the text.
    pub a0: f32,
    /// End along the text.
    pub a1: f32,
    /// Top.
    pub b0: f32,
    /// Bottom.
    pub b1: f32,
}

impl FrameRect {
    /// Grown by `d` on every side (shrunk for a negative `d`).
    pub fn grown(&self, d: f32) -> FrameRect {
        FrameRect { a0: self.a0 - d, a1: self.a1 + d, b0: self.b0 - d, b1: self.b1 + d }
    }

    /// Whether frame coordinates `(a, b)` lie inside.
    pub fn contains(&self, a: f32, b: f32) -> bool {
        a >= self.a0 && a <= self.a1 && b >= self.b0 && b <= self.b1
    }

    /// Width along the text.
    pub fn width(&self) -> f32 {
        self.a1 - self.a0
    }

    /// Height across it.
    pub fn height(&self) -> f32 {
        self.b1 - self.b0
    }

    /// Its corners on the page (top-left, top-right, bottom-right,
    /// bottom-left in the frame).
    pub fn quad(&self, f: &Frame) -> Quad {
        Quad::new([
            f.to_page(self.a0, self.b0),
            f.to_page(self.a1, self.b0),
            f.to_page(self.a1, self.b1),
            f.to_page(self.a0, self.b1),
        ])
    }
}

/// The portrait as located.
#[derive(Debug, Clone, PartialEq)]
pub struct Portrait {
    /// The page's frame.
    pub frame: Frame,
    /// The portrait's rectangle in it.
    pub rect: FrameRect,
    /// Page pixels per millimetre the search assumed.
    pub px_per_mm: f32,
    /// Which sides (left, top, right, bottom in the frame) were placed on a
    /// straight edge; the others bound the continuous-tone region itself.
    pub edges: [bool; 4],
}

impl Portrait {
    /// The portrait's corners on the page.
    pub fn region(&self) -> Quad {
        self.rect.quad(&self.frame)
    }
}

/// What the search is told about the page: its frame, its scale, and the
/// region to leave out (the MRZ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageHint {
    /// The page's frame.
    pub frame: Frame,
    /// Page pixels per millimetre.
    pub px_per_mm: f32,
    /// A region that is not the portrait (the MRZ zone), if known.
    pub exclude: Option<Quad>,
}

/// Luminance of an RGB pixel (Rec. 601 weights, in 0..255).
fn luma(p: [u8; 3]) -> f32 {
    0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
}

/// The portrait's darkness below the page's paper that a cell needs to be
/// part of it (luminance levels).
const TONE_DROP: f32 = 40.0;

/// Finds the portrait on a colour page: cells of about a millimetre whose
/// luminance lies well below the page's paper, opened by a 5 mm square
/// (text lines, a few millimetres tall, vanish; a photo's head, hair and
/// shoulders stay), the largest region that does not touch the image's edge
/// with its neighbours; then each side of its rectangle in the page's frame
/// moved out to the nearest strong straight edge that runs along the whole
/// side (a portrait's backdrop against the page). `None` when no region of
/// portrait size is found, or the scale is not a positive number.
///
/// # Examples
///
/// ```
/// use mrtd_verify::checks::photo::{locate, Frame, PageHint};
/// use mrtd_verify::image::{Rgb, RgbImage};
/// use mrtd_verify::Point;
/// // A light page, 100 x 70 mm at 4 px/mm, with a 30 x 38 mm portrait: a
/// // backdrop, a dark round head and shoulders.
/// let mut img = RgbImage::from_pixel(400, 280, Rgb([236, 232, 220]));
/// for y in 40..192 {
///     for x in 40..160 {
///         let (dx, dy) = (x as f32 - 100.0, y as f32);
///         let head = dx * dx + (dy - 100.0).powi(2) < 28.0 * 28.0;
///         let shoulders = (dx / 60.0).powi(2) + ((dy - 192.0) / 45.0).powi(2) < 1.0;
///         let c = if head || shoulders { Rgb([90, 60, 40]) } else { Rgb([180, 200, 215]) };
///         img.put_pixel(x, y, c);
///     }
/// }
/// let hint = PageHint { frame: Frame::along(Point::new(1.0, 0.0)), px_per_mm: 4.0, exclude: None };
/// let p = locate(&img, &hint).unwrap();
/// assert!((p.rect.a0 - 40.0).abs() < 3.0 && (p.rect.b0 - 40.0).abs() < 3.0, "{:?}", p.rect);
/// assert!((p.rect.a1 - 160.0).abs() < 3.0 && (p.rect.b1 - 192.0).abs() < 3.0, "{:?}", p.rect);
/// ```
pub fn locate(img: &RgbImage, hint: &PageHint) -> Option<Portrait> {
    let (w, h) = img.dimensions();
    if !hint.px_per_mm.is_finite() || hint.px_per_mm < 1.0 {
        return None;
    }
    let cell = hint.px_per_mm.round().clamp(2.0, 64.0) as u32;
    // The frame's axes as unit vectors, whatever the caller passed.
    let frame = Frame::along(hint.frame.u);
    let (cw, ch) = (w / cell, h / cell);
    if cw < 12 || ch < 12 {
        return None;
    }
    // Cell means of luminance, summed exactly in integers (Rec. 601 weights
    // in thousandths: a 64-pixel cell's sum stays below 2^32).
    let mut sums = vec![0u32; (cw * ch) as usize];
    let raw = img.as_raw();
    let stride = w as usize * 3;
    let cell_bytes = cell as usize * 3;
    for y in 0..ch * cell {
        let start = y as usize * stride;
        let base = (y / cell * cw) as usize;
        let (Some(row), Some(cells)) =
            (raw.get(start..start + cw as usize * cell_bytes), sums.get_mut(base..base + cw as usize))
        else {
            break;
        };
        for (t, px) in cells.iter_mut().zip(row.chunks_exact(cell_bytes)) {
            *t += px
                .chunks_exact(3)
                .map(|p| match p {
                    [r, g, b] => 299 * u32::from(*r) + 587 * u32::from(*g) + 114 * u32::from(*b),
                    _ => 0,
                })
                .sum::<u32>();
        }
    }
    let area = (cell * cell) as f32 * 1000.0;
    let tone: Vec<f32> = sums.iter().map(|&s| s as f32 / area).collect();
    let paper = quantile(&tone, 0.75)?;
    let exclude = hint.exclude.map(|q| grown_quad(&q, hint.px_per_mm * 1.5));
    let excluded = |cx: u32, cy: u32| {
        let c = Point::new((cx as f32 + 0.5) * cell as f32, (cy as f32 + 0.5) * cell as f32);
        exclude.is_some_and(|q| q.contains(c))
    };
    let dark: Vec<bool> = (0..cw * ch)
        .map(|i| tone.get(i as usize).is_some_and(|&t| t < paper - TONE_DROP) && !excluded(i % cw, i / cw))
        .collect();
    let opened = dilate(&erode(&dark, cw, ch, 2), cw, ch, 2);
    let core = portrait_cells(&opened, cw, ch)?;
    if (core.len() as f32) < 80.0 {
        return None;
    }
    // The core's rectangle in the page's frame.
    let f = frame;
    let (mut a0, mut a1, mut b0, mut b1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for &(cx, cy) in &core {
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let (a, b) = f.to_frame(Point::new(((cx + dx) * cell) as f32, ((cy + dy) * cell) as f32));
            (a0, a1, b0, b1) = (a0.min(a), a1.max(a), b0.min(b), b1.max(b));
        }
    }
    let core_rect = FrameRect { a0, a1, b0, b1 };
    let (cw_mm, ch_mm) = (core_rect.width() / hint.px_per_mm, core_rect.height() / hint.px_per_mm);
    if !(8.0..=80.0).contains(&cw_mm) || !(8.0..=100.0).contains(&ch_mm) {
        return None;
    }
    let (rect, edges) = refine(img, &f, core_rect, hint.px_per_mm, hint.exclude.as_ref());
    Some(Portrait { frame: f, rect, px_per_mm: hint.px_per_mm, edges })
}

/// A quadrilateral grown by `d` pixels on every side: each corner moved
/// `d` outwards along both of the quadrilateral's own axes (its top side's
/// direction and its left side's).
fn grown_quad(q: &Quad, d: f32) -> Quad {
    let [tl, tr, _, bl] = q.corners;
    let unit = |a: Point, b: Point| {
        let n = (b.x - a.x).hypot(b.y - a.y).max(1e-3);
        Point::new((b.x - a.x) / n, (b.y - a.y) / n)
    };
    let (u, v) = (unit(tl, tr), unit(tl, bl));
    let [a, b, c, e] = q.corners;
    let moved =
        |p: Point, su: f32, sv: f32| Point::new(p.x + (u.x * su + v.x * sv) * d, p.y + (u.y * su + v.y * sv) * d);
    Quad::new([moved(a, -1.0, -1.0), moved(b, 1.0, -1.0), moved(c, 1.0, 1.0), moved(e, -1.0, 1.0)])
}

/// Cells whose whole `(2r+1)`-square is set.
fn erode(m: &[bool], w: u32, h: u32, r: u32) -> Vec<bool> {
    window(m, w, h, r, true)
}

/// Cells with any of their `(2r+1)`-square set.
fn dilate(m: &[bool], w: u32, h: u32, r: u32) -> Vec<bool> {
    window(m, w, h, r, false)
}

/// A square min (`all`) or max filter of a mask, separable: rows then columns.
fn window(m: &[bool], w: u32, h: u32, r: u32, all: bool) -> Vec<bool> {
    let at = |v: &[bool], x: i64, y: i64| {
        if x < 0 || y < 0 || x >= i64::from(w) || y >= i64::from(h) {
            !all
        } else {
            v.get((y * i64::from(w) + x) as usize).copied().unwrap_or(!all)
        }
    };
    let r = i64::from(r);
    let pass = |src: &[bool], horizontal: bool| -> Vec<bool> {
        (0..i64::from(w) * i64::from(h))
            .map(|i| {
                let (x, y) = (i % i64::from(w), i / i64::from(w));
                let mut k = (-r..=r).map(|d| if horizontal { at(src, x + d, y) } else { at(src, x, y + d) });
                if all { k.all(|b| b) } else { k.any(|b| b) }
            })
            .collect()
    };
    pass(&pass(m, true), false)
}

/// The portrait's cells: the largest 4-connected region of set cells that
/// touches no edge of the grid (a dark scanner lid or background around the
/// page touches it), with every other region of at least 20 cells whose box
/// overlaps its box grown by 6 cells (a portrait's dark parts, hair and
/// shoulders, need not touch each other).
fn portrait_cells(m: &[bool], w: u32, h: u32) -> Option<Vec<(u32, u32)>> {
    let mut regions = inner_components(m, w, h);
    regions.sort_by_key(|r| std::cmp::Reverse(r.len()));
    let mut it = regions.into_iter();
    let mut core = it.next()?;
    let boxed = |r: &[(u32, u32)]| {
        r.iter()
            .fold((u32::MAX, u32::MAX, 0, 0), |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)))
    };
    let (x0, y0, x1, y1) = boxed(&core);
    let (x0, y0, x1, y1) = (x0.saturating_sub(6), y0.saturating_sub(6), x1 + 6, y1 + 6);
    for r in it.filter(|r| r.len() >= 20) {
        let (a0, b0, a1, b1) = boxed(&r);
        if a0 <= x1 && a1 >= x0 && b0 <= y1 && b1 >= y0 {
            core.extend(r);
        }
    }
    Some(core)
}

/// The 4-connected regions of set cells that touch no edge of the grid.
fn inner_components(m: &[bool], w: u32, h: u32) -> Vec<Vec<(u32, u32)>> {
    let mut seen = vec![false; m.len()];
    let mut out = Vec::new();
    for start in 0..m.len() {
        if !m.get(start).copied().unwrap_or(false) || seen.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut stack = vec![start];
        let mut cells = Vec::new();
        let mut edge = false;
        if let Some(s) = seen.get_mut(start) {
            *s = true;
        }
        while let Some(i) = stack.pop() {
            let (x, y) = ((i as u32) % w, (i as u32) / w);
            cells.push((x, y));
            edge |= x == 0 || y == 0 || x + 1 == w || y + 1 == h;
            let mut push = |nx: u32, ny: u32| {
                let j = (ny * w + nx) as usize;
                if m.get(j).copied().unwrap_or(false) && !seen.get(j).copied().unwrap_or(true) {
                    if let Some(s) = seen.get_mut(j) {
                        *s = true;
                    }
                    stack.push(j);
                }
            };
            if x > 0 {
                push(x - 1, y);
            }
            if x + 1 < w {
                push(x + 1, y);
            }
            if y > 0 {
                push(x, y - 1);
            }
            if y + 1 < h {
                push(x, y + 1);
            }
        }
        if !edge {
            out.push(cells);
        }
    }
    out
}

/// Bilinear sample of one colour pixel (clamped at the image's edge; black
/// for an empty image).
fn sample(img: &RgbImage, p: Point) -> [f32; 3] {
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 {
        return [0.0; 3];
    }
    let x = p.x.clamp(0.0, (w - 1) as f32);
    let y = p.y.clamp(0.0, (h - 1) as f32);
    // Non-negative: truncation is the floor (and a NaN lands on 0).
    let (x0, y0) = (x as u32, y as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (tx, ty) = (x - x0 as f32, y - y0 as f32);
    let raw = img.as_raw();
    let px = |x: u32, y: u32| -> [f32; 3] {
        let i = (y as usize * w as usize + x as usize) * 3;
        match raw.get(i..i + 3) {
            Some(&[r, g, b]) => [f32::from(r), f32::from(g), f32::from(b)],
            _ => [0.0; 3],
        }
    };
    let (p00, p10, p01, p11) = (px(x0, y0), px(x1, y0), px(x0, y1), px(x1, y1));
    std::array::from_fn(|c| {
        let g = |p: &[f32; 3]| p.get(c).copied().unwrap_or(0.0);
        let top = g(&p00) + (g(&p10) - g(&p00)) * tx;
        let bottom = g(&p01) + (g(&p11) - g(&p01)) * tx;
        top + (bottom - top) * ty
    })
}

/// Moves each side of the core's rectangle out (or up to 1 mm in) to the
/// strongest straight edge parallel to it, within 12 mm (more where the
/// core is far from a portrait's proportions) and short of the MRZ. The side is cut into eight segments; along each, the page's colour
/// is averaged at every distance from the side (a profile across it, in
/// which the page's fine lines and grain average out); an edge's strength at
/// a distance is the colour step between the 0.2 mm just inside and just
/// outside it, and a side's strength the second weakest of its segments': a
/// straight edge runs along the whole side, a text line's or a hairline's
/// does not. The side goes to the nearest peak at least half as strong as
/// the strongest; a side with no peak of 12 levels (summed over the
/// channels) stays where the core put it.
fn refine(img: &RgbImage, f: &Frame, core: FrameRect, ppmm: f32, exclude: Option<&Quad>) -> (FrameRect, [bool; 4]) {
    const SEGMENTS: usize = 8;
    let mut rect = core;
    let mut found = [false; 4];
    let band = (0.2 * ppmm).round().max(2.0) as usize;
    let reach_in = ppmm.round() as usize;
    // (side, outward sign): left, top, right, bottom.
    for (side, outward) in [(0usize, -1.0f32), (1, -1.0), (2, 1.0), (3, 1.0)] {
        let along_a = side % 2 == 1;
        // Within 12 mm, or as far as a portrait of the core's other extent
        // could reach (photos are about 0.78 as wide as tall): a core of
        // shoulders alone is far below the portrait's top.
        let (own, other) = if along_a { (core.height(), core.width()) } else { (core.width(), core.height()) };
        let fit = if along_a { other / 0.7 } else { other * 0.9 } - own;
        let reach_out = (12.0 * ppmm).max(fit).min(60.0 * ppmm).clamp(1.0, 4096.0).round() as usize;
        let depth = reach_in + reach_out + 2 * band + 1;
        let (lo, hi) = if along_a { (core.a0, core.a1) } else { (core.b0, core.b1) };
        let (lo, hi) = (lo + (hi - lo) * 0.05, hi - (hi - lo) * 0.05);
        let base = match side {
            0 => core.a0,
            1 => core.b0,
            2 => core.a1,
            _ => core.b1,
        };
        // The normal coordinate of profile index `i`.
        let at = |i: usize| base + outward * (i as f32 - (reach_in + band) as f32);
        let point = |s: f32, q: f32| if along_a { f.to_page(s, q) } else { f.to_page(q, s) };
        let samples = (((hi - lo) / SEGMENTS as f32) / 3.0).clamp(2.0, 8.0) as usize;
        let mut profile = vec![[0.0f32; 3]; SEGMENTS * depth];
        for k in 0..SEGMENTS {
            for i in 0..depth {
                let q = at(i);
                let mut acc = [0.0f32; 3];
                for j in 0..samples {
                    let s = lo + (hi - lo) * (k as f32 + (j as f32 + 0.5) / samples as f32) / SEGMENTS as f32;
                    let c = sample(img, point(s, q));
                    for (a, v) in acc.iter_mut().zip(c) {
                        *a += v;
                    }
                }
                if let Some(slot) = profile.get_mut(k * depth + i) {
                    *slot = acc.map(|a| a / samples as f32);
                }
            }
        }
        let mean = |k: usize, from: usize| {
            let mut m = [0.0f32; 3];
            for i in from..from + band {
                if let Some(c) = profile.get(k * depth + i) {
                    for (a, v) in m.iter_mut().zip(c) {
                        *a += v / band as f32;
                    }
                }
            }
            m
        };
        let mut scores = Vec::with_capacity(depth);
        for i in band..depth - band {
            let pos = at(i);
            if exclude.is_some_and(|q| q.contains(point((lo + hi) / 2.0, pos))) {
                break;
            }
            let mut steps: Vec<f32> = (0..SEGMENTS)
                .map(|k| {
                    let (inner, outer) = (mean(k, i - band), mean(k, i + 1));
                    inner.iter().zip(outer.iter()).map(|(a, b)| (a - b).abs()).sum::<f32>()
                })
                .collect();
            steps.sort_by(f32::total_cmp);
            scores.push((steps.get(1).copied().unwrap_or(0.0), pos));
        }
        // The nearest peak at least half as strong as the strongest: the
        // portrait's own edge comes before the page's edge or the MRZ band's.
        let strongest = scores.iter().map(|s| s.0).fold(0.0f32, f32::max);
        let peak = |j: usize| {
            let v = scores.get(j).map_or(0.0, |s| s.0);
            (j.saturating_sub(band)..(j + band + 1).min(scores.len())).all(|k| scores.get(k).is_none_or(|s| s.0 <= v))
        };
        let best = (0..scores.len())
            .find(|&j| scores.get(j).is_some_and(|s| s.0 >= 12.0 && s.0 >= 0.5 * strongest) && peak(j))
            .and_then(|j| scores.get(j).copied())
            .unwrap_or((0.0, base));
        if best.0 >= 12.0 {
            if let Some(f) = found.get_mut(side) {
                *f = true;
            }
            match side {
                0 => rect.a0 = best.1,
                1 => rect.b0 = best.1,
                2 => rect.a1 = best.1,
                _ => rect.b1 = best.1,
            }
        }
    }
    (rect, found)
}

/// A region of the page in a [`Frame`]: a rectangle, less a rectangle inside
/// it (the portrait, around which a ring is measured) and less a
/// quadrilateral of the page (the MRZ).
#[derive(Debug, Clone, Copy)]
struct Region<'a> {
    frame: &'a Frame,
    outer: FrameRect,
    hole: Option<FrameRect>,
    exclude: Option<&'a Quad>,
}

impl<'a> Region<'a> {
    /// The whole of a rectangle.
    fn rect(frame: &'a Frame, outer: FrameRect) -> Region<'a> {
        Region { frame, outer, hole: None, exclude: None }
    }

    /// Whether frame coordinates `(a, b)` lie in the region.
    fn contains(&self, a: f32, b: f32) -> bool {
        self.outer.contains(a, b)
            && !self.hole.is_some_and(|h| h.contains(a, b))
            && !self.exclude.is_some_and(|q| q.contains(self.frame.to_page(a, b)))
    }

    /// The columns `a0 + i` (`i` below `n`) of frame row `b` in the region,
    /// as ranges of `i`, into `out` (cleared first).
    fn row(&self, b: f32, a0: f32, n: usize, out: &mut Vec<std::ops::Range<usize>>) {
        out.clear();
        if b < self.outer.b0 || b > self.outer.b1 {
            return;
        }
        // Column indices whose `a` lies in `[lo, hi]`.
        let cols = |lo: f32, hi: f32| {
            let first = (lo - a0).ceil().max(0.0);
            let end = ((hi - a0).floor() + 1.0).clamp(0.0, n as f32);
            (first as usize)..(end as usize).max(first.min(n as f32) as usize)
        };
        out.push(cols(self.outer.a0, self.outer.a1));
        let cut = |lo: f32, hi: f32, out: &mut Vec<std::ops::Range<usize>>| {
            let gone = cols(lo, hi);
            if gone.is_empty() {
                return;
            }
            let kept: Vec<_> = out
                .iter()
                .flat_map(|r| [r.start..r.end.min(gone.start), r.start.max(gone.end)..r.end])
                .filter(|r| !r.is_empty())
                .collect();
            *out = kept;
        };
        if let Some(h) = self.hole
            && b >= h.b0
            && b <= h.b1
        {
            cut(h.a0, h.a1, out);
        }
        if let Some((lo, hi)) = self.exclude.and_then(|q| self.crossing(q, b)) {
            cut(lo, hi, out);
        }
    }

    /// Where frame row `b` crosses a convex quadrilateral of the page: the
    /// interval of `a` inside it.
    fn crossing(&self, q: &Quad, b: f32) -> Option<(f32, f32)> {
        let c = q.corners.map(|p| self.frame.to_frame(p));
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        for k in 0..4 {
            let (Some(&(pa, pb)), Some(&(qa, qb))) = (c.get(k), c.get((k + 1) % 4)) else { continue };
            if b < pb.min(qb) || b > pb.max(qb) {
                continue;
            }
            let a = if (qb - pb).abs() < 1e-6 {
                lo = lo.min(pa.min(qa));
                pa.max(qa)
            } else {
                pa + (qa - pa) * (b - pb) / (qb - pb)
            };
            (lo, hi) = (lo.min(a), hi.max(a));
        }
        (lo <= hi).then_some((lo, hi))
    }
}

/// The scan's noise floor over the page pixels whose frame coordinates
/// satisfy `keep`: each pixel's difference from the mean of its four
/// neighbours, per channel, split into a colour part (red and blue against
/// green) and a lightness part (the channels' mean); their magnitudes
/// averaged over 6 x 6 pixel blocks (every other one across and down); and
/// of the blocks, the quietest fifth's
/// level (the 20th percentile): the flat parts of the region, where print
/// and picture edges add nothing and only noise remains. Pixels at or near
/// clipping (any channel of the five below 8 or above 247) are left out, and
/// blocks with fewer than half their pixels or with no noise at all (padding
/// around a cropped or deskewed scan). `(colour, lightness, blocks)`.
fn noise(img: &RgbImage, f: &Frame, bounds: FrameRect, keep: impl Fn(f32, f32) -> bool) -> Option<(f32, f32, usize)> {
    const BLOCK: u32 = 6;
    let (w, h) = img.dimensions();
    let q = bounds.quad(f);
    let (x0, y0, x1, y1) = q.bounds();
    let (x0, y0) = (x0.max(1.0) as u32, y0.max(1.0) as u32);
    let (x1, y1) = ((x1 as u32).min(w.saturating_sub(2)), (y1 as u32).min(h.saturating_sub(2)));
    let mut colour = Vec::new();
    let mut light = Vec::new();
    let raw = img.as_raw();
    let stride = w as usize * 3;
    let row = |y: u32| raw.get(y as usize * stride..(y as usize + 1) * stride);
    let rgb = |r: &[u8], i: usize| -> Option<[u8; 3]> { r.get(i..i + 3)?.try_into().ok() };
    // Every other block across and down: a quarter of the pixels, still
    // hundreds of blocks.
    for by in (y0..y1.saturating_sub(BLOCK)).step_by(2 * BLOCK as usize) {
        for bx in (x0..x1.saturating_sub(BLOCK)).step_by(2 * BLOCK as usize) {
            let (a, b) = f.to_frame(Point::new((bx + BLOCK / 2) as f32, (by + BLOCK / 2) as f32));
            if !keep(a, b) {
                continue;
            }
            let (mut c_sum, mut l_sum, mut n) = (0.0f32, 0.0f32, 0u32);
            for y in by..by + BLOCK {
                let (Some(up), Some(mid), Some(down)) = (row(y - 1), row(y), row(y + 1)) else { continue };
                for x in bx..bx + BLOCK {
                    let i = x as usize * 3;
                    let (Some(c), Some(l), Some(r), Some(t), Some(b)) =
                        (rgb(mid, i), rgb(mid, i - 3), rgb(mid, i + 3), rgb(up, i), rgb(down, i))
                    else {
                        continue;
                    };
                    if [c, l, r, t, b].iter().flatten().any(|&v| !(8..=247).contains(&v)) {
                        continue;
                    }
                    let res: [f32; 3] = std::array::from_fn(|k| {
                        let g = |p: [u8; 3]| f32::from(p.get(k).copied().unwrap_or(0));
                        g(c) - (g(l) + g(r) + g(t) + g(b)) / 4.0
                    });
                    let [rr, rg, rb] = res;
                    c_sum += ((rr - rg).abs() + (rb - rg).abs()) / 2.0;
                    l_sum += ((rr + rg + rb) / 3.0).abs();
                    n += 1;
                }
            }
            // A block without any noise at all is not a scan of paper
            // (padding from a crop or a deskew, a synthetic border).
            if n * 2 >= BLOCK * BLOCK && l_sum > 0.0 {
                colour.push(c_sum / n as f32);
                light.push(l_sum / n as f32);
            }
        }
    }
    let n = light.len();
    if n < 30 {
        return None;
    }
    Some((quantile(&colour, 0.2)?, quantile(&light, 0.2)?, n))
}

/// The 8x8 block grid's strength in a region of the page, in the page's
/// frame: the region resampled at one pixel per frame unit (the page's own
/// pixels when the frame is the image's axes), the mean step between
/// neighbouring columns at each of the eight phases of a column's position,
/// and the same for rows. Per direction, the strongest phase's mean over the
/// other seven's; `(strength, phase along, phase across)`, the strength the
/// lesser of the two directions (a block grid has both).
fn blocking(img: &RgbImage, region: &Region<'_>) -> Option<Blocking> {
    let (f, rect) = (region.frame, region.outer);
    let (a0, b0) = (rect.a0.floor(), rect.b0.floor());
    let (nw, nh) = ((rect.a1 - a0).max(0.0) as usize, (rect.b1 - b0).max(0.0) as usize);
    if nw < 32 || nh < 32 || nw * nh > 8_000_000 {
        return None;
    }
    let (w, h) = img.dimensions();
    let aligned = f.axis_aligned();
    let raw = img.as_raw();
    let value = |a: f32, b: f32| -> f32 {
        let p = f.to_page(a, b);
        if p.x < 0.0 || p.y < 0.0 || p.x > (w - 1) as f32 || p.y > (h - 1) as f32 {
            return f32::NAN;
        }
        if aligned {
            // Non-negative: adding a half and truncating rounds.
            let i = ((p.y + 0.5) as usize * w as usize + (p.x + 0.5) as usize) * 3;
            match raw.get(i..i + 3) {
                Some(&[r, g, b]) => luma([r, g, b]),
                _ => f32::NAN,
            }
        } else {
            luma(sample(img, p).map(|c| (c + 0.5).clamp(0.0, 255.0) as u8))
        }
    };
    // Row by row, the previous row kept for the steps down; NaN where the
    // region leaves the page or leaves the pixel out.
    let mut cols = [(0.0f64, 0u32); 8];
    let mut rows = [(0.0f64, 0u32); 8];
    let (mut above, mut row) = (vec![f32::NAN; nw], vec![f32::NAN; nw]);
    let mut spans = Vec::with_capacity(4);
    for j in 0..nh {
        let b = b0 + j as f32;
        row.fill(f32::NAN);
        region.row(b, a0, nw, &mut spans);
        for span in &spans {
            let Some(slots) = row.get_mut(span.clone()) else { continue };
            for (i, slot) in (span.start..).zip(slots) {
                *slot = value(a0 + i as f32, b);
            }
        }
        for (i, pair) in row.windows(2).enumerate() {
            if let ([v, r], Some(c)) = (pair, cols.get_mut((a0 as i64 + i as i64).rem_euclid(8) as usize))
                && !v.is_nan()
                && !r.is_nan()
            {
                c.0 += f64::from((r - v).abs());
                c.1 += 1;
            }
        }
        if j > 0
            && let Some(c) = rows.get_mut((b0 as i64 + j as i64 - 1).rem_euclid(8) as usize)
        {
            for (u, d) in above.iter().zip(&row) {
                if !u.is_nan() && !d.is_nan() {
                    c.0 += f64::from((d - u).abs());
                    c.1 += 1;
                }
            }
        }
        std::mem::swap(&mut above, &mut row);
    }
    let peak = |acc: &[(f64, u32); 8]| -> Option<(f32, usize, [f32; 8])> {
        let means: Vec<f32> =
            acc.iter().map(|&(s, n)| if n > 0 { (s / f64::from(n)) as f32 } else { f32::NAN }).collect();
        if means.iter().any(|m| m.is_nan()) || acc.iter().any(|&(_, n)| n < 200) {
            return None;
        }
        let (k, &top) = means.iter().enumerate().max_by(|x, y| x.1.total_cmp(y.1))?;
        let rest = (means.iter().sum::<f32>() - top) / 7.0;
        let all: [f32; 8] = std::array::from_fn(|i| means.get(i).copied().unwrap_or(0.0));
        Some((top / rest.max(1e-3), k, all))
    };
    let (sx, kx, mx) = peak(&cols)?;
    let (sy, ky, my) = peak(&rows)?;
    Some(Blocking { strength: sx.min(sy), phase: (kx, ky), cols: mx, rows: my })
}

/// The strength of the image file's own 8x8 grid (JPEG blocks start at the
/// image's origin: steps between columns 7 and 8, rows 7 and 8...) inside
/// the axis-aligned box within quadrilateral `q`; `None` when that box is
/// too small to measure (a page turned far from the image's axes, where the
/// file's grid does not line up with the page's frame anyway).
fn native_blocking(img: &RgbImage, q: &Quad) -> Option<f32> {
    let mut xs = q.corners.map(|c| c.x);
    let mut ys = q.corners.map(|c| c.y);
    xs.sort_by(f32::total_cmp);
    ys.sort_by(f32::total_cmp);
    // The middle two of each: the box inside a slightly turned rectangle.
    let (&[_, x0, x1, _], &[_, y0, y1, _]) = (&xs, &ys);
    let axes = Frame::along(Point::new(1.0, 0.0));
    let b = blocking(
        img,
        &Region::rect(&axes, FrameRect { a0: x0.ceil(), a1: x1.floor(), b0: y0.ceil(), b1: y1.floor() }),
    )?;
    Some(b.at((7, 7)))
}

/// The block-grid strength the page around the portrait must show at the
/// file's phase for the portrait's grid to be the file's own: flat paper
/// keeps little of a JPEG's blocks, but more than none (generated genuine
/// JPEG captures: 1.1-1.3 where the portrait's own grid reached 1.7).
const FILE_GRID_ON_PAGE: f32 = 1.05;

/// The phase, in the page's frame, at which the image file's own 8x8 grid
/// (block boundaries between pixels 7 and 8, 15 and 16... of the image's
/// axes) falls in [`blocking`]'s convention (a step between frame columns
/// `i` and `i + 1` has phase `i mod 8`), around the middle of `rect`; `None`
/// when the frame is more than about a degree off the image's axes (the
/// file's grid then drifts by whole columns across a window and shows no
/// phase of its own in the frame).
fn native_phase(f: &Frame, rect: FrameRect) -> Option<(usize, usize)> {
    let (ca, cb) = ((rect.a0 + rect.a1) / 2.0, (rect.b0 + rect.b1) / 2.0);
    if f.u.x.abs().max(f.u.y.abs()) < 0.999_85 {
        return None;
    }
    let p = f.to_page(ca, cb);
    // Along one frame axis (direction `d`), the other frame coordinate held
    // at `other` along `o`: where the file's boundary nearest the centre
    // falls, as a step phase.
    let phase = |d: Point, o: Point, other: f32| -> Option<usize> {
        let (pos, dk, ok) = if d.x.abs() >= d.y.abs() { (p.x, d.x, o.x) } else { (p.y, d.y, o.y) };
        let boundary = ((pos - 7.5) / 8.0).round() * 8.0 + 7.5;
        let t = (boundary - other * ok) / dk;
        t.is_finite().then(|| ((t - 0.5).round() as i64).rem_euclid(8) as usize)
    };
    Some((phase(f.u, f.v, cb)?, phase(f.v, f.u, ca)?))
}

/// A block grid as measured by [`blocking`].
#[derive(Debug, Clone, Copy)]
struct Blocking {
    strength: f32,
    phase: (usize, usize),
    cols: [f32; 8],
    rows: [f32; 8],
}

impl Blocking {
    /// This region's strength at another region's phase: that phase's mean
    /// step over the other seven's, per direction, the lesser.
    fn at(&self, phase: (usize, usize)) -> f32 {
        let at = |m: &[f32; 8], k: usize| {
            let top = m.get(k).copied().unwrap_or(0.0);
            top / ((m.iter().sum::<f32>() - top) / 7.0).max(1e-3)
        };
        at(&self.cols, phase.0).min(at(&self.rows, phase.1))
    }
}

/// The page's frame, scale and MRZ from the document: the MRZ's when it was
/// read; otherwise the text lines' median direction (folded to within 45
/// degrees of the image's axes: a page turned a quarter without an MRZ is
/// searched in a transposed frame, where the portrait's proportions are
/// taken the other way round) and their upper quartile height taken
/// as 2.5 mm.
fn hint_of(doc: &crate::Document) -> Option<PageHint> {
    if let Some(r) = doc.reading() {
        let [tl, tr, _, _] = r.zone.corners;
        return Some(PageHint {
            frame: Frame::along(Point::new(tr.x - tl.x, tr.y - tl.y)),
            px_per_mm: r.dpi_estimate / 25.4,
            exclude: Some(r.zone),
        });
    }
    let lines = doc.text_lines();
    let angles: Vec<f32> = lines
        .iter()
        .filter(|l| l.glyphs >= 4)
        .map(|l| {
            let [a, b, _, _] = l.quad.corners;
            (b.y - a.y).atan2(b.x - a.x).rem_euclid(std::f32::consts::FRAC_PI_2)
        })
        .map(|t| if t > std::f32::consts::FRAC_PI_4 { t - std::f32::consts::FRAC_PI_2 } else { t })
        .collect();
    let heights: Vec<f32> = lines.iter().filter(|l| l.glyphs >= 4).map(|l| l.height).collect();
    let angle = median(&angles).unwrap_or(0.0);
    // Captions are small and values large: the upper quartile is a value's
    // height, about 2.5 mm on identity documents.
    let px_per_mm = quantile(&heights, 0.75).map_or(0.0, |h| h / 2.5);
    let (w, h) = doc.page()?.dimensions();
    // Without text, a page filling the image: its long side about 125 mm.
    let px_per_mm = if px_per_mm >= 2.0 { px_per_mm } else { w.max(h) as f32 / 125.0 };
    Some(PageHint { frame: Frame::along(Point::new(angle.cos(), angle.sin())), px_per_mm, exclude: None })
}

impl Check for PortraitCheck {
    fn family(&self) -> &'static str {
        "photo"
    }

    fn describe(&self) -> &'static str {
        "portrait substitution: the portrait's noise and compression against the page's"
    }

    fn run(&self, cx: &Context<'_>) -> CheckResult {
        let doc = cx.document();
        let page = match cx.page_or_skip("no portrait to examine") {
            Ok(page) => page,
            Err(skip) => return skip,
        };
        let Some(img) = page.colour() else {
            return CheckResult::Skipped(
                SkipReason::ScanQuality,
                "a grey scan: the portrait's colour cannot be compared".into(),
            );
        };
        let Some(hint) = hint_of(doc) else {
            return CheckResult::Skipped(SkipReason::ScanQuality, "the page's frame could not be found".into());
        };
        let Some(portrait) = locate(img, &hint) else {
            return CheckResult::Skipped(SkipReason::NotFound, "no portrait found on the page".into());
        };
        CheckResult::Findings(judge(img, &portrait, hint.exclude.as_ref(), cx.thresholds()))
    }
}

/// The `photo` findings on a located portrait.
fn judge(img: &RgbImage, p: &Portrait, exclude: Option<&Quad>, t: &crate::Thresholds) -> Vec<Finding> {
    let region = p.region();
    let mm = p.px_per_mm;
    let mut out = vec![Finding::new(
        "photo.portrait",
        Status::Pass,
        p.edges.iter().filter(|&&e| e).count() as f32 / 4.0,
        Evidence::on(region).measured(f64::from(p.rect.width() / mm)).expected(format!(
            "{:.1} x {:.1} mm, {} of 4 sides on a straight edge",
            p.rect.width() / mm,
            p.rect.height() / mm,
            p.edges.iter().filter(|&&e| e).count()
        )),
        format!("portrait of {:.0} x {:.0} mm", p.rect.width() / mm, p.rect.height() / mm),
    )];
    let inside = p.rect.grown(-(mm * 1.0).max(2.0));
    let (near, far) = (p.rect.grown(mm * 1.5), p.rect.grown(mm * 6.0));
    let ring = Region { frame: &p.frame, outer: far, hole: Some(near), exclude };
    let (noise_in, noise_out) = (
        noise(img, &p.frame, inside, |a, b| inside.contains(a, b)),
        noise(img, &p.frame, far, |a, b| ring.contains(a, b)),
    );
    match (noise_in, noise_out) {
        (Some((ci, li, _)), Some((co, lo, _))) if co < t.photo_min_page_noise => {
            // No page noise to compare with: held against the floor itself,
            // only a portrait far noisier than any the page could explain
            // (twice the usual ratio) still warns.
            let blatant = ci > 2.0 * t.photo_max_noise_ratio * t.photo_min_page_noise;
            out.push(Finding::new(
                "photo.noise",
                if blatant { Status::Warn } else { Status::Skipped },
                if blatant { 0.0 } else { 1.0 },
                Evidence::on(region)
                    .measured(f64::from(ci / t.photo_min_page_noise))
                    .expected(format!(
                        "colour noise {ci:.2} inside (lightness {li:.2}), {co:.2} on the page around (lightness \
                         {lo:.2}), below its floor {:.2}",
                        t.photo_min_page_noise
                    ))
                    .threshold(f64::from(2.0 * t.photo_max_noise_ratio)),
                if blatant {
                    format!(
                        "the portrait carries colour noise ({ci:.2}) on a page that shows none ({co:.2}): a photo \
                         with a noise of its own, pasted in? Look at the portrait's edges"
                    )
                } else {
                    format!(
                        "the page around the portrait shows no colour noise to compare with ({co:.2}, below {:.2}): \
                         the capture smoothed it away (a compressed JPEG?)",
                        t.photo_min_page_noise
                    )
                },
            ));
        }
        (Some((ci, li, _)), Some((co, lo, _))) => {
            let ratio = ci / co.max(0.5);
            let status = if ratio > t.photo_max_noise_ratio { Status::Warn } else { Status::Pass };
            out.push(Finding::new(
                "photo.noise",
                status,
                (1.0 - ratio / (2.0 * t.photo_max_noise_ratio).max(1e-3)).clamp(0.0, 1.0),
                Evidence::on(region)
                    .measured(f64::from(ratio))
                    .expected(format!(
                        "colour noise {ci:.2} inside (lightness {li:.2}), {co:.2} on the page around (lightness {lo:.2})"
                    ))
                    .threshold(f64::from(t.photo_max_noise_ratio)),
                if status == Status::Warn {
                    format!(
                        "the portrait's colour noise is {ratio:.1} times the page's around it (at most {:.1}): \
                         a photo with a noise of its own, pasted in? Look at the portrait's edges",
                        t.photo_max_noise_ratio
                    )
                } else {
                    format!("the portrait's colour noise is {ratio:.1} times the page's around it")
                },
            ));
        }
        _ => out.push(Finding::new(
            "photo.noise",
            Status::Skipped,
            0.0,
            Evidence::on(region),
            "too few unclipped pixels inside or around the portrait to compare their noise",
        )),
    }
    // The block grid inside, on a central window of at most 320 x 320
    // pixels (tens of thousands of steps per phase).
    let centre = ((inside.a0 + inside.a1) / 2.0, (inside.b0 + inside.b1) / 2.0);
    let (ha, hb) = ((inside.width() / 2.0).min(160.0), (inside.height() / 2.0).min(160.0));
    let window = FrameRect { a0: centre.0 - ha, a1: centre.0 + ha, b0: centre.1 - hb, b1: centre.1 + hb };
    let (bin, bout) = (blocking(img, &Region::rect(&p.frame, window)), blocking(img, &ring));
    // The scan's own block grid, if the file was JPEG-compressed: in the
    // image's axes at the file's block phase, over the window's inner
    // axis-aligned box. A detailed portrait shows the file's own grid more
    // than the flat paper around it; that grid is the capture's, not a trace
    // of a photo compressed before it was pasted.
    let native = native_blocking(img, &window.quad(&p.frame));
    match (bin, bout) {
        (Some(bi), Some(bo)) => {
            let page_at = bo.at(bi.phase);
            // The file's own grid, only where it can be: at the file's phase
            // in the page's frame (within a column), strong enough inside to
            // explain what was seen, and showing on the page around too (the
            // file is a JPEG). A photo compressed at another phase before it
            // was pasted is not excused by the file's own compression.
            let at_file_phase = native_phase(&p.frame, window).is_some_and(|(ka, kb)| {
                let near = |k: usize, m: usize| matches!((k + 8 - m) % 8, 0 | 1 | 7);
                near(bi.phase.0, ka) && near(bi.phase.1, kb)
            });
            let own = at_file_phase
                && page_at >= FILE_GRID_ON_PAGE
                && native.is_some_and(|n| n - 1.0 >= (bi.strength - 1.0) / 2.0);
            let foreign = bi.strength > t.photo_max_blocking && page_at - 1.0 < (bi.strength - 1.0) / 2.0 && !own;
            out.push(Finding::new(
                "photo.compression",
                if foreign { Status::Warn } else { Status::Pass },
                (1.0 - (bi.strength - 1.0) / (2.0 * (t.photo_max_blocking - 1.0).max(1e-3))).clamp(0.0, 1.0),
                Evidence::on(region)
                    .measured(f64::from(bi.strength))
                    .expected(format!(
                        "block grid {:.2} inside at phase ({}, {}); {page_at:.2} on the page around at that phase \
                         ({:.2} at its own); the file's own grid inside {}",
                        bi.strength,
                        bi.phase.0,
                        bi.phase.1,
                        bo.strength,
                        native.map_or_else(|| "not measured".to_owned(), |n| format!("{n:.2}"))
                    ))
                    .threshold(f64::from(t.photo_max_blocking)),
                if foreign {
                    format!(
                        "an 8x8 JPEG block grid inside the portrait (strength {:.2}, at most {:.2}) that the page \
                         around it does not share ({page_at:.2}): the photo was compressed before it was pasted? \
                         Look at the portrait's edges",
                        bi.strength, t.photo_max_blocking
                    )
                } else if own && bi.strength > t.photo_max_blocking {
                    format!(
                        "the portrait shows the scan file's own JPEG block grid (strength {:.2}), no grid of its own",
                        bi.strength
                    )
                } else {
                    format!("no block grid of the portrait's own (strength {:.2}, page {page_at:.2})", bi.strength)
                },
            ));
        }
        _ => out.push(Finding::new(
            "photo.compression",
            Status::Skipped,
            0.0,
            Evidence::on(region),
            "the portrait or the page around it is too small (or too large) to measure a block grid",
        )),
    }
    // Either trace alone refers the document (real portraits are printed by
    // many processes the generator does not imitate); both together fail it.
    let raised = |id: &str| out.iter().any(|f| f.check == id && f.status == Status::Warn);
    if raised("photo.noise") && raised("photo.compression") {
        for f in out.iter_mut().filter(|f| f.status == Status::Warn) {
            f.status = Status::Fail;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use image::Rgb;

    use super::*;

    #[test]
    fn a_scale_that_is_not_a_positive_number_finds_nothing() {
        // A page with a portrait, found at the right scale.
        let mut img = RgbImage::from_pixel(400, 280, Rgb([236, 232, 220]));
        for y in 40..192 {
            for x in 40..160 {
                let (dx, dy) = (x as f32 - 100.0, y as f32);
                let head = dx * dx + (dy - 100.0).powi(2) < 28.0 * 28.0;
                let shoulders = (dx / 60.0).powi(2) + ((dy - 192.0) / 45.0).powi(2) < 1.0;
                img.put_pixel(x, y, if head || shoulders { Rgb([90, 60, 40]) } else { Rgb([180, 200, 215]) });
            }
        }
        let at = |s: f32| PageHint { frame: Frame::along(Point::new(1.0, 0.0)), px_per_mm: s, exclude: None };
        assert!(locate(&img, &at(4.0)).is_some());
        // A frame of any length is the same frame.
        let long = PageHint { frame: Frame { u: Point::new(1e4, 0.0), v: Point::new(0.0, 1e4) }, ..at(4.0) };
        assert_eq!(locate(&img, &long).map(|p| p.rect), locate(&img, &at(4.0)).map(|p| p.rect));
        for s in [f32::NAN, 0.0, -3.0, f32::INFINITY] {
            assert!(locate(&img, &at(s)).is_none(), "{s}");
        }
    }

    #[test]
    fn a_region_s_row_spans_are_the_pixels_it_contains() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 10_000) as f32 / 10_000.0
        };
        let mut spans = Vec::new();
        for _ in 0..40 {
            let frame = Frame::along(Point::new(1.0, next() - 0.5));
            let outer = FrameRect { a0: 10.3 + next() * 20.0, a1: 170.7, b0: 5.1 + next() * 9.0, b1: 120.6 };
            let hole = FrameRect { a0: 40.0 + next() * 20.0, a1: 110.2, b0: 30.4, b1: 60.0 + next() * 30.0 };
            // A turned quadrilateral of the page, partly over the ring.
            let (cx, cy, t) = (60.0 + next() * 80.0, 70.0 + next() * 60.0, next() * 1.5);
            let corner = |sx: f32, sy: f32| {
                let (dx, dy) = (sx * 45.0, sy * 12.0);
                Point::new(cx + dx * t.cos() - dy * t.sin(), cy + dx * t.sin() + dy * t.cos())
            };
            let quad = Quad::new([corner(-1.0, -1.0), corner(1.0, -1.0), corner(1.0, 1.0), corner(-1.0, 1.0)]);
            let region = Region { frame: &frame, outer, hole: Some(hole), exclude: Some(&quad) };
            let (a0, n) = (0.0, 200usize);
            let (mut inside, mut mismatched) = (0, 0);
            for b in 0..140 {
                let b = b as f32;
                region.row(b, a0, n, &mut spans);
                for i in 0..n {
                    let a = a0 + i as f32;
                    let listed = spans.iter().any(|r| r.contains(&i));
                    inside += usize::from(region.contains(a, b));
                    mismatched += usize::from(listed != region.contains(a, b));
                }
            }
            assert!(inside > 1000, "{inside}");
            assert_eq!(mismatched, 0, "{outer:?} {hole:?} {quad:?}");
        }
    }

    #[test]
    fn a_block_grid_is_found_at_its_phase() {
        // Flat 8 x 8 blocks whose boundaries fall after columns 2, 10, ...
        // and after rows 5, 13, ...
        let img = RgbImage::from_fn(256, 256, |x, y| {
            let v = ((x + 5) / 8 * 37 + (y + 2) / 8 * 53) % 60 + 100;
            Rgb([v as u8; 3])
        });
        let f = Frame::along(Point::new(1.0, 0.0));
        let rect = FrameRect { a0: 10.0, a1: 240.0, b0: 10.0, b1: 240.0 };
        let b = blocking(&img, &Region::rect(&f, rect)).unwrap();
        assert!(b.strength > 3.0, "{}", b.strength);
        assert_eq!(b.phase, (2, 5));
        // Smooth content has no phase of its own.
        let smooth = RgbImage::from_fn(256, 256, |x, y| Rgb([(x / 2 + y / 3) as u8; 3]));
        let s = blocking(&smooth, &Region::rect(&f, rect)).unwrap();
        assert!(s.strength < 1.2, "{}", s.strength);
    }

    #[test]
    fn colour_noise_raises_the_colour_floor_and_lightness_grain_does_not() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 21) as i32 - 10
        };
        // Left half: grain in the lightness only; right half: each channel
        // its own noise.
        let img = RgbImage::from_fn(240, 120, |x, _| {
            let base = [150i32, 120, 100];
            let v = if x < 120 {
                let n = next();
                base.map(|c| c + n)
            } else {
                base.map(|c| c + next() / 2)
            };
            Rgb(v.map(|c| c.clamp(0, 255) as u8))
        });
        let f = Frame::along(Point::new(1.0, 0.0));
        let left = FrameRect { a0: 2.0, a1: 116.0, b0: 2.0, b1: 116.0 };
        let right = FrameRect { a0: 124.0, a1: 236.0, b0: 2.0, b1: 116.0 };
        let (lc, ll, _) = noise(&img, &f, left, |a, b| left.contains(a, b)).unwrap();
        let (rc, _, _) = noise(&img, &f, right, |a, b| right.contains(a, b)).unwrap();
        assert!(lc < 0.5 && ll > 2.0, "grain: colour {lc}, lightness {ll}");
        assert!(rc > 1.5, "colour noise: {rc}");
    }

    /// A page with paper noise `paper(x, y)` and, inside `portrait`, noise
    /// `inside(x, y)`; each returns per-channel offsets.
    fn page_with_portrait(
        portrait: FrameRect,
        mut paper: impl FnMut() -> [i32; 3],
        mut inside: impl FnMut() -> [i32; 3],
    ) -> RgbImage {
        RgbImage::from_fn(400, 320, |x, y| {
            let (base, n) = if portrait.contains(x as f32, y as f32) {
                ([120i32, 100, 90], inside())
            } else {
                ([232i32, 228, 215], paper())
            };
            Rgb(std::array::from_fn(|k| (base[k] + n[k]).clamp(0, 255) as u8))
        })
    }

    fn rng(seed: u64) -> impl FnMut() -> i32 {
        let mut state = seed;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 13) as i32 - 6
        }
    }

    #[test]
    fn a_page_without_colour_noise_is_no_reference_for_the_portrait_s() {
        let rect = FrameRect { a0: 120.0, a1: 260.0, b0: 80.0, b1: 240.0 };
        let p = Portrait { frame: Frame::along(Point::new(1.0, 0.0)), rect, px_per_mm: 4.0, edges: [true; 4] };
        let t = crate::Thresholds::default();
        let status =
            |img: &RgbImage| judge(img, &p, None, &t).into_iter().find(|f| f.check == "photo.noise").map(|f| f.status);
        // Paper grain in the lightness only (a compressed capture's paper):
        // nothing to hold the portrait's mild colour noise against...
        let (mut a, mut b) = (rng(7), rng(11));
        let flat = page_with_portrait(rect, move || [a(); 3], move || [b() / 4, b() / 4, b() / 4]);
        assert_eq!(status(&flat), Some(Status::Skipped));
        // ... but a portrait full of colour noise on such a page still warns.
        let (mut a, mut b) = (rng(7), rng(11));
        let blatant = page_with_portrait(rect, move || [a(); 3], move || [b(), b(), b()]);
        assert_eq!(status(&blatant), Some(Status::Warn));
        // The paper's colour noise as the portrait's: a pass.
        let (mut a, mut b) = (rng(7), rng(11));
        let same = page_with_portrait(rect, move || [a(), a(), a()], move || [b(), b(), b()]);
        assert_eq!(status(&same), Some(Status::Pass));
        // The portrait's colour noise far above the paper's: a warning.
        let (mut a, mut b) = (rng(7), rng(11));
        let pasted = page_with_portrait(rect, move || [a() / 3, a() / 3, a() / 3], move || [b() * 2, b() * 2, b() * 2]);
        assert_eq!(status(&pasted), Some(Status::Warn));
    }

    #[test]
    fn the_file_s_own_block_grid_is_found_in_the_image_s_axes() {
        // Flat 8 x 8 blocks as a JPEG file has them (from the image's origin),
        // and the same shifted, as a photo compressed before it was pasted.
        let blocks = |dx: u32, dy: u32| {
            RgbImage::from_fn(256, 256, move |x, y| {
                let v = ((x + dx) / 8 * 37 + (y + dy) / 8 * 53) % 60 + 100;
                Rgb([v as u8; 3])
            })
        };
        let rect = FrameRect { a0: 20.0, a1: 230.0, b0: 20.0, b1: 230.0 };
        let q = rect.quad(&Frame::along(Point::new(1.0, 0.0)));
        let own = native_blocking(&blocks(0, 0), &q).unwrap();
        assert!(own > 3.0, "{own}");
        let foreign = native_blocking(&blocks(5, 2), &q).unwrap();
        assert!(foreign < 1.2, "{foreign}");
        // A rectangle turned 45 degrees holds no axis-aligned box.
        let turned = rect.quad(&Frame::along(Point::new(1.0, 1.0)));
        assert!(native_blocking(&blocks(0, 0), &turned).is_none());
    }

    #[test]
    fn the_file_s_grid_has_a_phase_in_a_frame_near_the_image_s_axes() {
        let rect = FrameRect { a0: 40.0, a1: 200.0, b0: 40.0, b1: 200.0 };
        assert_eq!(native_phase(&Frame::along(Point::new(1.0, 0.0)), rect), Some((7, 7)));
        // Turned half or a quarter: the frame's steps run the other way.
        assert_eq!(native_phase(&Frame::along(Point::new(-1.0, 0.0)), rect), Some((0, 0)));
        assert_eq!(native_phase(&Frame::along(Point::new(0.0, 1.0)), rect), Some((7, 0)));
        assert!(native_phase(&Frame::along(Point::new(1.0, 0.1)), rect).is_none());
        // A fraction of a degree off the axes: where the measured grid of a
        // JPEG-blocked page falls in that frame.
        let img = RgbImage::from_fn(1200, 400, |x, y| {
            let v = (x / 8 * 37 + y / 8 * 53) % 60 + 100;
            Rgb([v as u8; 3])
        });
        for tilt in [0.0f32, 0.001, -0.002, 0.003] {
            let f = Frame::along(Point::new(1.0, tilt));
            let rect = FrameRect { a0: 800.0, a1: 1100.0, b0: 60.0, b1: 340.0 };
            let measured = blocking(&img, &Region::rect(&f, rect)).unwrap().phase;
            let (ka, kb) = native_phase(&f, rect).unwrap();
            let near = |k: usize, m: usize| matches!((k + 8 - m) % 8, 0 | 1 | 7);
            assert!(near(measured.0, ka) && near(measured.1, kb), "tilt {tilt}: {measured:?} vs ({ka}, {kb})");
        }
    }
}
