//! The `tamper` family: edits of the page itself.
//!
//! `tamper.copy_move`: a character of the visual zone copied over another
//! (a digit of a date or of the document number moved to change the value).
//! Printing never makes two identical marks: two prints of one digit share
//! the glyph but not what lies under and around it (the security print
//! behind the text, the paper, the toner), so once the two glyphs are laid
//! on each other the backgrounds inside their boxes are as unrelated as any
//! two pieces of the page. A copy carries its background along: inside the
//! box the two agree down to the capture's own noise.
//!
//! For every pair of identical digits read in the visual zone, the check
//! lays one cell on the other (whole then quarter pixels), keeps the pixels
//! inside the glyphs' box that are neither ink nor ink's blur, removes each
//! cell's own level and slope, and measures how alike the two backgrounds
//! are: `1 - |a - b|² / (|a|² + |b|²)`, near 0 for two prints, near 1 for a
//! copy. Backgrounds too plain to tell apart (plain paper smoothed by the
//! scan or its compression) are not judged.

use crate::geometry::{Point, Quad};
use crate::report::{Evidence, Finding, SkipReason, Status};
use crate::viz::VizReading;

use super::{Check, CheckResult, Context};

/// The `tamper` family.
#[derive(Debug, Clone, Copy, Default)]
pub struct TamperCheck;

impl Check for TamperCheck {
    fn family(&self) -> &'static str {
        "tamper"
    }

    fn describe(&self) -> &'static str {
        "page tampering: visual-zone characters copied over others"
    }

    fn run(&self, cx: &Context<'_>) -> CheckResult {
        let page = match cx.page_or_skip("no page to examine") {
            Ok(p) => p,
            Err(skipped) => return skipped,
        };
        let Some(viz) = cx.document().viz() else {
            return CheckResult::Skipped(
                SkipReason::NoMrz,
                "the visual zone was not read (no MRZ to orient the page): copy-move not examined".into(),
            );
        };
        let t = cx.thresholds();
        let sampler = Sampler::new(page);
        let survey = copy_move(&sampler, viz, t.tamper_min_background);
        CheckResult::Findings(vec![judge(&survey, t.tamper_copy_warn, t.tamper_copy_fail)])
    }
}

/// What the copy-move survey of one page found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CopySurvey {
    /// Pairs of identical digits laid on each other.
    pub pairs: usize,
    /// Of those, pairs whose backgrounds had structure enough to judge.
    pub judged: usize,
    /// The most alike pair: (similarity, first cell, second cell, the digit).
    pub best: Option<(f32, Quad, Quad, char)>,
    /// Every pair compared, judged or not: (similarity, backgrounds'
    /// variance, first cell, second cell).
    pub measures: Vec<(f32, f32, Quad, Quad)>,
    /// Lines of the visual zone left out: their characters are under
    /// 12 pixels tall, too small to compare backgrounds.
    pub small_lines: usize,
}

/// The finding for a survey: `fail` at or above `fail`, `warn` at or above
/// `warn`, `skipped` when no pair could be judged.
fn judge(s: &CopySurvey, warn: f32, fail: f32) -> Finding {
    let id = "tamper.copy_move";
    let Some((sim, a, b, ch)) = s.best.filter(|_| s.judged > 0) else {
        let why = if s.pairs == 0 && s.small_lines > 0 {
            format!(
                "{} line(s) of the visual zone printed under {MIN_HEIGHT} px tall: too small to tell a copy from a print; no digit printed twice elsewhere",
                s.small_lines
            )
        } else if s.pairs == 0 {
            "no digit is printed twice in the visual zone as read: nothing to compare".to_owned()
        } else {
            format!(
                "{} pair(s) of identical digits, none on a background with structure enough to tell a copy from a print",
                s.pairs
            )
        };
        return Finding::new(id, Status::Skipped, 0.0, Evidence::default(), why);
    };
    let bar = if sim >= fail { fail } else { warn };
    let ev = Evidence::on(b).with_source(a).measured(f64::from(sim)).threshold(f64::from(bar));
    let score = (1.0 - sim).clamp(0.0, 1.0);
    let (status, message) = if sim >= fail {
        (
            Status::Fail,
            format!(
                "two '{ch}' of the visual zone are the same down to the background under them ({sim:.2}, a copy: >= {fail:.2}): one was copied over another character"
            ),
        )
    } else if sim >= warn {
        (
            Status::Warn,
            format!(
                "two '{ch}' of the visual zone have backgrounds more alike than two prints have ({sim:.2}, >= {warn:.2}): look for a copied character"
            ),
        )
    } else {
        (
            Status::Pass,
            format!(
                "{} pair(s) of identical digits compared ({} on structured background): none copied (most alike {sim:.2}, a copy >= {fail:.2})",
                s.pairs, s.judged
            ),
        )
    };
    Finding::new(id, status, score, ev, message)
}

/// Reads the page's brightness at any point: the mean of the colour
/// channels (colour security print shows in it; the grey page keeps only
/// the brightest channel), or the grey page.
pub struct Sampler<'p> {
    colour: Option<&'p image::RgbImage>,
    grey: &'p image::GrayImage,
}

impl<'p> Sampler<'p> {
    /// A sampler on `page`.
    pub fn new(page: &'p crate::scan::Page) -> Sampler<'p> {
        Sampler { colour: page.colour(), grey: page.grey() }
    }

    fn px(&self, x: i64, y: i64) -> f32 {
        let (w, h) = self.grey.dimensions();
        if w == 0 || h == 0 {
            return 255.0;
        }
        let (x, y) = (x.clamp(0, i64::from(w) - 1) as u32, y.clamp(0, i64::from(h) - 1) as u32);
        match self.colour {
            Some(c) if c.dimensions() == (w, h) => {
                let p = c.get_pixel(x, y).0;
                (f32::from(p[0]) + f32::from(p[1]) + f32::from(p[2])) / 3.0
            }
            _ => f32::from(self.grey.get_pixel(x, y).0[0]),
        }
    }

    /// The two colour-opponent channels at a pixel (red - green, yellow -
    /// blue) over its brightness, clamped to the page.
    fn opponent(&self, c: &image::RgbImage, x: i64, y: i64) -> [f32; 2] {
        let (w, h) = c.dimensions();
        if w == 0 || h == 0 {
            return [0.0; 2];
        }
        let (x, y) = (x.clamp(0, i64::from(w) - 1) as u32, y.clamp(0, i64::from(h) - 1) as u32);
        let p = c.get_pixel(x, y).0;
        let (r, g, b) = (f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
        // Divided by the brightness (in grey levels of bright paper): black
        // ink's blur darkens a pixel without changing its hue, so the
        // glyph's shape, the same under two prints, stays out.
        let k = PAPER_LEVEL / ((r + g + b) / 3.0 + 10.0);
        [(r - g) * k, ((r + g) / 2.0 - b) * k]
    }

    /// Whether the page has colour (the opponent channels mean something).
    fn has_colour(&self) -> bool {
        self.colour.is_some_and(|c| c.dimensions() == self.grey.dimensions())
    }

    /// Bilinear opponent colour at (x, y); zero on a grey page.
    fn colour_at(&self, x: f32, y: f32) -> [f32; 2] {
        let Some(c) = self.colour.filter(|c| c.dimensions() == self.grey.dimensions()) else { return [0.0; 2] };
        if !(on_plane(x) && on_plane(y)) {
            return [0.0; 2];
        }
        let (fx, fy) = (x.floor(), y.floor());
        let (tx, ty) = (x - fx, y - fy);
        let (ix, iy) = (fx as i64, fy as i64);
        let (a, b, cc, d) = (
            self.opponent(c, ix, iy),
            self.opponent(c, ix + 1, iy),
            self.opponent(c, ix, iy + 1),
            self.opponent(c, ix + 1, iy + 1),
        );
        let mix = |k: usize| {
            let v = |p: [f32; 2]| if k == 0 { p[0] } else { p[1] };
            let top = v(a) * (1.0 - tx) + v(b) * tx;
            let bottom = v(cc) * (1.0 - tx) + v(d) * tx;
            top * (1.0 - ty) + bottom * ty
        };
        [mix(0), mix(1)]
    }

    /// Bilinear brightness at (x, y) (pixel centres at integers).
    fn at(&self, x: f32, y: f32) -> f32 {
        if !(on_plane(x) && on_plane(y)) {
            return 255.0;
        }
        let (fx, fy) = (x.floor(), y.floor());
        let (tx, ty) = (x - fx, y - fy);
        let (ix, iy) = (fx as i64, fy as i64);
        let top = self.px(ix, iy) * (1.0 - tx) + self.px(ix + 1, iy) * tx;
        let bottom = self.px(ix, iy + 1) * (1.0 - tx) + self.px(ix + 1, iy + 1) * tx;
        top * (1.0 - ty) + bottom * ty
    }
}

/// A coordinate the samplers can take (finite and far from integer
/// overflow; anything beyond is off every page).
fn on_plane(v: f32) -> bool {
    v.is_finite() && v.abs() < 1.0e9
}

/// One digit read in the visual zone, on the page.
#[derive(Debug, Clone, Copy)]
struct Cell {
    ch: char,
    centre: Point,
    /// Along the line, one sample step long.
    u: Point,
    /// Down the line, one sample step long.
    n: Point,
    /// Character height in samples.
    height: f32,
    /// Character height on the page, in pixels.
    page_height: f32,
    /// The line it is on.
    line: usize,
}

/// The largest number of pairs compared on one page (the first found).
const MAX_PAIRS: usize = 200;
/// The largest number of digits considered on one page (the first read).
const MAX_CELLS: usize = 400;
/// Character height the cells are sampled at, at most (samples): a finer
/// scan is sampled coarser.
const SAMPLED_HEIGHT: f32 = 24.0;
/// Smallest character height judged, in page pixels.
const MIN_HEIGHT: f32 = 12.0;
/// The brightness the opponent channels are scaled to (bright paper).
const PAPER_LEVEL: f32 = 220.0;
/// Samples around the ink left out of the backgrounds (the ink's blur).
const NEAR: usize = 1;
/// Search for the best overlay, in samples each way.
const SHIFT: i32 = 3;

/// Surveys the visual zone for copied digits: every pair of identical
/// digits read with confidence, compared as the module says. A pair counts
/// as judged when its two backgrounds vary by at least `min_background` on
/// average (variance after level and slope are removed, in the compared
/// channels: grey levels, or on a colour page the opponent channels scaled
/// to bright paper).
pub fn copy_move(sampler: &Sampler<'_>, viz: &VizReading, min_background: f32) -> CopySurvey {
    let cells = cells(sampler, viz);
    // Each line's digits count: lines of numbers and dates (four digits or
    // more) are compared with each other too, the others within themselves.
    let numeric: Vec<bool> = {
        let mut count = vec![0usize; viz.lines.len()];
        for c in &cells {
            if let Some(n) = count.get_mut(c.line) {
                *n += 1;
            }
        }
        count.iter().map(|&n| n >= 4).collect()
    };
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, a) in cells.iter().enumerate() {
        for (j, b) in cells.iter().enumerate().skip(i + 1) {
            let lines = a.line == b.line
                || (numeric.get(a.line).copied().unwrap_or(false) && numeric.get(b.line).copied().unwrap_or(false));
            // Two places on the page (a line read twice is not a copy),
            // printed at one size.
            let apart = a.centre.distance(b.centre) >= 0.4 * a.page_height.max(b.page_height);
            if a.ch == b.ch && lines && apart && (a.page_height / b.page_height - 1.0).abs() <= 0.15 {
                pairs.push((i, j));
            }
        }
    }
    // Within a line first (where a forger finds the digit he needs in the
    // same print), then across.
    pairs.sort_by_key(|&(i, j)| usize::from(cells.get(i).map(|c| c.line) != cells.get(j).map(|c| c.line)));
    pairs.truncate(MAX_PAIRS);
    let patches: Vec<Option<Patch>> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| pairs.iter().any(|&(a, b)| a == i || b == i).then(|| Patch::new(sampler, c)))
        .collect();
    let small_lines = viz.lines.iter().filter(|l| !(l.height.is_finite() && l.height >= MIN_HEIGHT)).count();
    let mut survey = CopySurvey { pairs: pairs.len(), small_lines, ..CopySurvey::default() };
    for (i, j) in pairs {
        let (Some(Some(pa)), Some(Some(pb)), Some(a), Some(b)) =
            (patches.get(i), patches.get(j), cells.get(i), cells.get(j))
        else {
            continue;
        };
        let Some((sim, background)) = compare(pa, pb) else { continue };
        survey.measures.push((sim, background, box_of(a), box_of(b)));
        if background < min_background {
            continue;
        }
        survey.judged += 1;
        if survey.best.is_none_or(|(s, ..)| sim > s) {
            survey.best = Some((sim, box_of(a), box_of(b), a.ch));
        }
    }
    survey
}

/// The page quadrilateral of a cell's glyph (its height, 0.7 of it wide).
fn box_of(c: &Cell) -> Quad {
    let (hw, hh) = (c.height * 0.35, c.height * 0.5);
    let at = |s: f32, t: f32| Point::new(c.centre.x + c.u.x * s + c.n.x * t, c.centre.y + c.u.y * s + c.n.y * t);
    Quad::new([at(-hw, -hh), at(hw, -hh), at(hw, hh), at(-hw, hh)])
}

/// The digits of the visual zone read with confidence, each centred on its
/// ink.
fn cells(sampler: &Sampler<'_>, viz: &VizReading) -> Vec<Cell> {
    let mut out = Vec::new();
    for (li, line) in viz.lines.iter().enumerate() {
        if !(line.height.is_finite() && line.height >= MIN_HEIGHT) {
            continue;
        }
        let [a, b, _, d] = line.frame.corners;
        let (ux, uy) = (b.x - a.x, b.y - a.y);
        let len = (ux * ux + uy * uy).sqrt();
        if !(len.is_finite() && len > 1.0) {
            continue;
        }
        let (ux, uy) = (ux / len, uy / len);
        // Down the page: the side from the top-left to the bottom-left.
        let down = if (d.x - a.x) * -uy + (d.y - a.y) * ux >= 0.0 { 1.0 } else { -1.0 };
        let step = (line.height / SAMPLED_HEIGHT).max(1.0);
        let u = Point::new(ux * step, uy * step);
        let n = Point::new(-uy * step * down, ux * step * down);
        for (ci, c) in line.chars.iter().enumerate() {
            if !c.ch.is_ascii_digit() || c.confidence < 0.5 {
                continue;
            }
            let centre = line.region(ci, ci).centre();
            let cell = Cell { ch: c.ch, centre, u, n, height: line.height / step, page_height: line.height, line: li };
            out.push(centred(sampler, cell));
            if out.len() >= MAX_CELLS {
                return out;
            }
        }
    }
    out
}

/// The cell moved onto its ink's centroid (the reader's place for a
/// character is only roughly where it is printed), twice, within a window
/// narrow enough to leave the neighbours out.
fn centred(sampler: &Sampler<'_>, c: Cell) -> Cell {
    let (hw, hh) = ((c.height * 0.35).round() as i32, (c.height * 0.75).round() as i32);
    let mut c = c;
    let mut values = Vec::with_capacity(((2 * hw + 1) * (2 * hh + 1)) as usize);
    let mut sorted = Vec::with_capacity(values.capacity());
    for _ in 0..2 {
        values.clear();
        for t in -hh..=hh {
            for s in -hw..=hw {
                values.push((s, t, sample(sampler, &c, s as f32, t as f32)));
            }
        }
        sorted.clear();
        sorted.extend(values.iter().map(|v| v.2));
        let Some(paper) = quantile(&mut sorted, 0.85) else { return c };
        let (mut w, mut sx, mut sy) = (0.0f32, 0.0f32, 0.0f32);
        for &(s, t, v) in &values {
            let ink = (paper - v).max(0.0);
            let ink = ink * ink;
            w += ink;
            sx += ink * s as f32;
            sy += ink * t as f32;
        }
        if w <= 0.0 {
            return c;
        }
        let (ds, dt) = (sx / w, sy / w);
        c.centre = Point::new(c.centre.x + c.u.x * ds + c.n.x * dt, c.centre.y + c.u.y * ds + c.n.y * dt);
    }
    c
}

fn sample(sampler: &Sampler<'_>, c: &Cell, s: f32, t: f32) -> f32 {
    sampler.at(c.centre.x + c.u.x * s + c.n.x * t, c.centre.y + c.u.y * s + c.n.y * t)
}

fn quantile(v: &mut [f32], q: f32) -> Option<f32> {
    let last = v.len().checked_sub(1)?;
    let k = ((last as f32 * q) as usize).min(last);
    Some(*v.select_nth_unstable_by(k, f32::total_cmp).1)
}

/// A cell sampled once: brightness and (on a colour page) the two opponent
/// channels, over the glyph, the bands above and below it and a margin for
/// the search.
struct Patch {
    /// Half width and half height of the compared window, in samples.
    hw: i32,
    hh: i32,
    /// Half height of the rows the overlay is fitted on.
    core: i32,
    /// Row length of the stored planes (window plus margins).
    stride: usize,
    lum: Vec<f32>,
    /// Opponent channels, one plane after the other; empty on a grey page.
    chroma: Vec<f32>,
    /// Character height in samples.
    cap: f32,
}

impl Patch {
    fn new(sampler: &Sampler<'_>, c: &Cell) -> Patch {
        let (hw, core, hh) =
            ((c.height * 0.45).round() as i32, (c.height * 0.65).round() as i32, (c.height * 0.95).round() as i32);
        let m = SHIFT + 1;
        let stride = (2 * (hw + m) + 1) as usize;
        let rows = (2 * (hh + m) + 1) as usize;
        let mut lum = Vec::with_capacity(stride * rows);
        let colour = sampler.has_colour();
        let mut chroma = vec![0.0f32; if colour { 2 * stride * rows } else { 0 }];
        let plane = stride * rows;
        for t in -hh - m..=hh + m {
            for s in -hw - m..=hw + m {
                let p = Point::new(
                    c.centre.x + c.u.x * s as f32 + c.n.x * t as f32,
                    c.centre.y + c.u.y * s as f32 + c.n.y * t as f32,
                );
                let i = lum.len();
                lum.push(sampler.at(p.x, p.y));
                if colour {
                    let [r, y] = sampler.colour_at(p.x, p.y);
                    if let Some(v) = chroma.get_mut(i) {
                        *v = r;
                    }
                    if let Some(v) = chroma.get_mut(plane + i) {
                        *v = y;
                    }
                }
            }
        }
        Patch { hw, hh, core, stride, lum, chroma, cap: c.height }
    }

    /// Bilinear value of `plane` at window offset (s, t) (0 at the centre).
    fn at(&self, plane: &[f32], s: f32, t: f32) -> f32 {
        let m = (SHIFT + 1) as f32;
        let (x, y) = (s + (self.hw as f32 + m), t + (self.hh as f32 + m));
        let (fx, fy) = (x.floor(), y.floor());
        let (tx, ty) = (x - fx, y - fy);
        let (ix, iy) = (fx.max(0.0) as usize, fy.max(0.0) as usize);
        let v = |xx: usize, yy: usize| plane.get(yy * self.stride + xx).copied().unwrap_or(255.0);
        let top = v(ix, iy) * (1.0 - tx) + v(ix + 1, iy) * tx;
        let bottom = v(ix, iy + 1) * (1.0 - tx) + v(ix + 1, iy + 1) * tx;
        top * (1.0 - ty) + bottom * ty
    }

    /// The window of `plane` at offset (dx, dy), `hw` x `hh` half sizes.
    fn window(&self, plane: &[f32], (hw, hh): (i32, i32), (dx, dy): (f32, f32), out: &mut Vec<f32>) {
        out.clear();
        for t in -hh..=hh {
            for s in -hw..=hw {
                out.push(self.at(plane, s as f32 + dx, t as f32 + dy));
            }
        }
    }
}

/// Lays `b` on `a` and compares their backgrounds: (similarity, the
/// backgrounds' mean variance), or `None` when the pair cannot be compared
/// (too little contrast, too few background pixels).
fn compare(a: &Patch, b: &Patch) -> Option<(f32, f32)> {
    let (hw, hh, core) = (a.hw.min(b.hw), a.hh.min(b.hh), a.core.min(b.core));
    let (w, ht) = ((2 * hw + 1) as usize, (2 * hh + 1) as usize);
    let rows = ((hh - core) as usize, (hh + core) as usize);
    // Fitted on the glyph's rows and on its own columns: the neighbours,
    // which differ from one cell to the other, stay out.
    let half = ((a.cap + b.cap) * 0.15).round() as usize;
    let cols = ((w / 2).saturating_sub(half), (w / 2 + half).min(w - 1));
    let ssd = |pa: &[f32], pb: &[f32]| -> f32 {
        let mut sum = 0.0f32;
        for y in rows.0..=rows.1 {
            let (from, to) = (y * w + cols.0, y * w + cols.1 + 1);
            sum += pa
                .get(from..to)
                .unwrap_or(&[])
                .iter()
                .zip(pb.get(from..to).unwrap_or(&[]))
                .map(|(p, q)| (p - q) * (p - q))
                .sum::<f32>();
        }
        sum
    };
    let mut pa = Vec::with_capacity(w * ht);
    a.window(&a.lum, (hw, hh), (0.0, 0.0), &mut pa);
    let mut pb = Vec::with_capacity(w * ht);
    let mut best = (f32::INFINITY, 0.0f32, 0.0f32);
    for dy in -SHIFT..=SHIFT {
        for dx in -SHIFT..=SHIFT {
            b.window(&b.lum, (hw, hh), (dx as f32, dy as f32), &mut pb);
            let d = ssd(&pa, &pb);
            if d < best.0 {
                best = (d, dx as f32, dy as f32);
            }
        }
    }
    // Quarter samples around the best whole one.
    let whole = best;
    for qy in -2..=2 {
        for qx in -2..=2 {
            if qx == 0 && qy == 0 {
                continue;
            }
            let off = (whole.1 + qx as f32 * 0.25, whole.2 + qy as f32 * 0.25);
            b.window(&b.lum, (hw, hh), off, &mut pb);
            let d = ssd(&pa, &pb);
            if d < best.0 {
                best = (d, off.0, off.1);
            }
        }
    }
    b.window(&b.lum, (hw, hh), (best.1, best.2), &mut pb);
    // The backgrounds compared in colour where the page has it: black ink
    // and its blur barely move the opponent channels, the colour security
    // print under the text does. Softened: fine background lines resampled
    // at two phases differ in their last pixel, which says nothing about a
    // copy.
    let signal = |p: &Patch, off: (f32, f32), fallback: &[f32]| -> Vec<f32> {
        let plane = p.lum.len();
        if p.chroma.len() < 2 * plane {
            return soften(fallback, w, ht);
        }
        let mut out = Vec::with_capacity(2 * w * ht);
        let mut chan = Vec::with_capacity(w * ht);
        for k in 0..2 {
            p.window(p.chroma.get(k * plane..(k + 1) * plane).unwrap_or(&[]), (hw, hh), off, &mut chan);
            out.extend(soften(&chan, w, ht));
        }
        out
    };
    let (ca, cb) = (signal(a, (0.0, 0.0), &pa), signal(b, (best.1, best.2), &pb));
    backgrounds(&pa, &pb, &ca, &cb, (w, ht), rows, (a.cap + b.cap) / 2.0)
}

/// A 3x3 binomial blur (edges repeated).
fn soften(v: &[f32], w: usize, h: usize) -> Vec<f32> {
    let at = |x: usize, y: usize| v.get(y * w + x).copied().unwrap_or(0.0);
    let mut rows = vec![0.0f32; v.len()];
    for y in 0..h {
        for x in 0..w {
            let (l, r) = (x.saturating_sub(1), (x + 1).min(w - 1));
            if let Some(o) = rows.get_mut(y * w + x) {
                *o = (at(l, y) + 2.0 * at(x, y) + at(r, y)) / 4.0;
            }
        }
    }
    let at = |x: usize, y: usize| rows.get(y * w + x).copied().unwrap_or(0.0);
    let mut out = vec![0.0f32; v.len()];
    for y in 0..h {
        let (u, d) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for x in 0..w {
            if let Some(o) = out.get_mut(y * w + x) {
                *o = (at(x, u) + 2.0 * at(x, y) + at(x, d)) / 4.0;
            }
        }
    }
    out
}

/// Similarity of two overlaid cells' backgrounds: `a`, `b` their
/// brightness (`w` x `h` samples each, for the ink), `sa`, `sb` the signal
/// compared (one or more planes of `w` x `h`), `rows` the rows of the glyph
/// and around, `cap` the character height in samples.
///
/// Returns (the similarity inside the glyph's box less the similarity in
/// the bands above and below it at the same offset, the backgrounds' mean
/// variance inside): a background that repeats along the line (lines
/// parallel to the text) is as alike outside the box as inside, a copy
/// only inside.
fn backgrounds(
    a: &[f32],
    b: &[f32],
    sa: &[f32],
    sb: &[f32],
    (w, h): (usize, usize),
    rows: (usize, usize),
    cap: f32,
) -> Option<(f32, f32)> {
    let core = |v: &[f32]| v.get(rows.0 * w..(rows.1 + 1) * w).map(<[f32]>::to_vec);
    let mut sorted = core(a)?;
    let paper = quantile(&mut sorted, 0.85)?;
    let ink = quantile(&mut sorted, 0.02)?;
    let contrast = paper - ink;
    if contrast < 30.0 {
        return None;
    }
    // Ink and its blur: darker than a quarter of the way to the ink, in
    // either cell, and one sample around.
    let cut = paper - 0.25 * contrast;
    let inky: Vec<bool> = a.iter().zip(b).map(|(&p, &q)| p < cut || q < cut).collect();
    let ink_at = |x: usize, y: usize| inky.get(y * w + x).copied().unwrap_or(false);
    // The glyph's box: from the centre outwards while the columns, then
    // the rows, hold ink (the gaps between characters and lines end it),
    // within a digit's half width of the centre.
    let half = (cap * 0.33).round() as usize;
    let (cx0, cx1) = ((w / 2).saturating_sub(half), (w / 2 + half).min(w - 1));
    let (ry0, ry1) = (rows.0, rows.1.min(h - 1));
    let column = |x: usize| (ry0..=ry1).any(|y| ink_at(x, y));
    let centre = (cx0..=cx1).filter(|&x| column(x)).min_by_key(|&x| x.abs_diff(w / 2))?;
    let (mut x0, mut x1) = (centre, centre);
    while x0 > cx0 && column(x0 - 1) {
        x0 -= 1;
    }
    while x1 < cx1 && column(x1 + 1) {
        x1 += 1;
    }
    let row = |y: usize| (x0..=x1).any(|x| ink_at(x, y));
    let middle = (ry0..=ry1).filter(|&y| row(y)).min_by_key(|&y| y.abs_diff(h / 2))?;
    let (mut y0, mut y1) = (middle, middle);
    while y0 > ry0 && row(y0 - 1) {
        y0 -= 1;
    }
    while y1 < ry1 && row(y1 + 1) {
        y1 += 1;
    }
    let near_ink = |x: usize, y: usize| {
        (y.saturating_sub(NEAR)..=(y + NEAR).min(h - 1))
            .any(|yy| (x.saturating_sub(NEAR)..=(x + NEAR).min(w - 1)).any(|xx| ink_at(xx, yy)))
    };
    let pick = |ys: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        ys.flat_map(|y| (x0..=x1).map(move |x| (x, y)))
            .filter(|&(x, y)| !near_ink(x, y))
            .map(|(x, y)| y * w + x)
            .collect()
    };
    let inside = pick(&mut (y0..=y1));
    let band = (cap * 0.3).round() as usize;
    let outside =
        pick(&mut (y0.saturating_sub(band)..y0.saturating_sub(2)).chain((y1 + 3).min(h)..(y1 + 1 + band).min(h)));
    if inside.len() < 30 || outside.len() < 30 {
        return None;
    }
    let (sim_in, var_in) = alike(sa, sb, &inside, w, h)?;
    let (sim_out, _) = alike(sa, sb, &outside, w, h)?;
    // What the overlay leaves unexplained inside, as a share of what it
    // leaves outside (at most all of it).
    let (left_in, left_out) = (1.0 - sim_in, (1.0 - sim_out).clamp(0.05, 1.0));
    Some((1.0 - left_in / left_out, var_in))
}

/// How alike two signals are over the samples `keep` (indices into each
/// `w` x `h` plane), each plane's level and slope removed: (similarity,
/// mean variance).
fn alike(sa: &[f32], sb: &[f32], keep: &[usize], w: usize, h: usize) -> Option<(f32, f32)> {
    let planes = (sa.len() / (w * h)).min(sb.len() / (w * h));
    let (mut ea, mut eb, mut d) = (0.0f32, 0.0f32, 0.0f32);
    for k in 0..planes {
        let plane = k * w * h;
        let pts: Vec<(f32, f32, f32, f32)> = keep
            .iter()
            .filter_map(|&i| Some(((i % w) as f32, (i / w) as f32, *sa.get(plane + i)?, *sb.get(plane + i)?)))
            .collect();
        let ra = residuals(&pts, |p| p.2)?;
        let rb = residuals(&pts, |p| p.3)?;
        ea += ra.iter().map(|v| v * v).sum::<f32>();
        eb += rb.iter().map(|v| v * v).sum::<f32>();
        d += ra.iter().zip(&rb).map(|(p, q)| (p - q) * (p - q)).sum::<f32>();
    }
    let n = (keep.len() * planes.max(1)) as f32;
    if ea + eb <= 0.0 {
        return Some((0.0, 0.0));
    }
    Some((1.0 - d / (ea + eb), (ea + eb) / (2.0 * n)))
}

/// What is left of `v` over the points once its best plane is removed.
fn residuals(pts: &[(f32, f32, f32, f32)], v: impl Fn(&(f32, f32, f32, f32)) -> f32) -> Option<Vec<f32>> {
    let n = pts.len() as f64;
    let (mx, my, mv) = pts.iter().fold((0.0f64, 0.0f64, 0.0f64), |(a, b, c), p| {
        (a + f64::from(p.0) / n, b + f64::from(p.1) / n, c + f64::from(v(p)) / n)
    });
    let (mut sxx, mut sxy, mut syy, mut sxv, mut syv) = (0.0f64, 0.0, 0.0, 0.0, 0.0);
    for p in pts {
        let (x, y, z) = (f64::from(p.0) - mx, f64::from(p.1) - my, f64::from(v(p)) - mv);
        sxx += x * x;
        sxy += x * y;
        syy += y * y;
        sxv += x * z;
        syv += y * z;
    }
    let det = sxx * syy - sxy * sxy;
    let (gx, gy) =
        if det.abs() > 1e-9 { ((sxv * syy - syv * sxy) / det, (syv * sxx - sxv * sxy) / det) } else { (0.0, 0.0) };
    Some(
        pts.iter()
            .map(|p| (f64::from(v(p)) - mv - gx * (f64::from(p.0) - mx) - gy * (f64::from(p.1) - my)) as f32)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use image::{DynamicImage, Rgb, RgbImage};

    use super::*;
    use crate::viz::{VizChar, VizLine};

    const CAP: f32 = 30.0;
    const PITCH: f32 = 20.0;
    const BASE_Y: f32 = 60.0;

    /// A page of colour security print (a few wavy lines of another hue
    /// whose phase wanders across the page, plus fine noise) with a line of
    /// `n` ring-shaped "0"s; `copy` copies the first cell's pixels over the
    /// last; `plain` leaves the paper without the lines.
    fn page(n: usize, copy: bool, plain: bool) -> (RgbImage, VizReading) {
        let (w, h) = (40 + (n as u32) * PITCH as u32 + 40, 120);
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f32 / (1u64 << 53) as f32
        };
        let mut img = RgbImage::from_fn(w, h, |x, y| {
            let (x, y) = (x as f32, y as f32);
            // Lines of a period near the cell's, bent so that no two cells
            // see the same pattern.
            let phase = (y + 4.0 * (x / 9.0).sin() + 0.03 * x * x / 10.0) / 5.0;
            let line = if plain { 0.0 } else { (1.0 - (phase - phase.round()).abs() * 5.0).clamp(0.0, 1.0) };
            Rgb([(235.0 - 60.0 * line) as u8, (225.0 - 10.0 * line) as u8, (190.0 + 40.0 * line) as u8])
        });
        for p in img.pixels_mut() {
            for c in &mut p.0 {
                *c = (f32::from(*c) + (rnd() - 0.5) * 4.0).clamp(0.0, 255.0) as u8;
            }
        }
        let left = 40.0;
        for i in 0..n {
            let cx = left + PITCH * (i as f32 + 0.5);
            let cy = BASE_Y - CAP / 2.0;
            for y in (cy - CAP / 2.0) as u32..=(cy + CAP / 2.0) as u32 {
                for x in (cx - 8.0) as u32..=(cx + 8.0) as u32 {
                    let (dx, dy) = ((x as f32 - cx) / 8.0, (y as f32 - cy) / (CAP / 2.0));
                    let r = (dx * dx + dy * dy).sqrt();
                    if (0.62..=1.0).contains(&r) {
                        img.put_pixel(x, y, Rgb([20, 20, 25]));
                    }
                }
            }
        }
        if copy {
            // The first cell with a few pixels around its glyph, as a
            // forger's selection goes, over the last.
            let (sx, dx) = (left as u32 - 1, left as u32 - 1 + PITCH as u32 * (n as u32 - 1));
            let (y0, y1) = ((BASE_Y - CAP - 4.0) as u32, BASE_Y as u32 + 4);
            for y in y0..=y1 {
                for x in 0..(PITCH as u32 + 3) {
                    let p = *img.get_pixel(sx + x, y);
                    img.put_pixel(dx + x, y, p);
                }
            }
        }
        let frame_top = BASE_Y - CAP / 2.0 - CAP * 0.9;
        let frame_bottom = BASE_Y - CAP / 2.0 + CAP * 0.9;
        let right = left + PITCH * n as f32;
        let frame = Quad::new([
            Point::new(left, frame_top),
            Point::new(right, frame_top),
            Point::new(right, frame_bottom),
            Point::new(left, frame_bottom),
        ]);
        // The line image's pixels are page pixels here.
        let chars = (0..n)
            .map(|i| VizChar {
                ch: '0',
                confidence: 0.99,
                x0: PITCH * i as f32 + 3.0,
                x1: PITCH * (i + 1) as f32 - 3.0,
            })
            .collect();
        let line = VizLine { text: "0".repeat(n), chars, frame, width: (right - left) as usize, height: CAP };
        (img, VizReading { lines: vec![line], ..VizReading::default() })
    }

    fn survey(img: RgbImage, viz: &VizReading) -> CopySurvey {
        let page = crate::scan::Page::new(DynamicImage::ImageRgb8(img));
        copy_move(&Sampler::new(&page), viz, 4.0)
    }

    #[test]
    fn two_prints_are_unrelated_and_a_copy_is_caught_where_it_is() {
        let t = crate::Thresholds::default();
        let (img, viz) = page(5, false, false);
        let genuine = survey(img, &viz);
        assert_eq!(genuine.pairs, 10);
        assert!(genuine.judged >= 8, "{genuine:?}");
        let (sim, ..) = genuine.best.unwrap();
        assert!(sim < t.tamper_copy_warn, "prints: {sim}");
        assert_eq!(judge(&genuine, t.tamper_copy_warn, t.tamper_copy_fail).status, Status::Pass);

        let (img, viz) = page(5, true, false);
        let forged = survey(img, &viz);
        let (sim, a, b, ch) = forged.best.unwrap();
        assert!(sim >= t.tamper_copy_fail, "copy: {sim}");
        assert_eq!(ch, '0');
        // The first and the last cell.
        assert!(a.centre().x < 40.0 + PITCH && b.centre().x > 40.0 + PITCH * 4.0, "{a:?} {b:?}");
        let f = judge(&forged, t.tamper_copy_warn, t.tamper_copy_fail);
        assert_eq!(f.status, Status::Fail);
        assert!(f.evidence.region.is_some() && f.evidence.source.is_some());
    }

    #[test]
    fn plain_paper_and_single_digits_are_not_judged() {
        let t = crate::Thresholds::default();
        // A copy on paper without structure cannot be told from a print.
        let (img, viz) = page(4, true, true);
        let s = survey(img, &viz);
        assert_eq!(s.judged, 0, "{s:?}");
        assert_eq!(judge(&s, t.tamper_copy_warn, t.tamper_copy_fail).status, Status::Skipped);
        let (img, viz) = page(1, false, false);
        let s = survey(img, &viz);
        assert_eq!(s.pairs, 0);
        assert!(judge(&s, t.tamper_copy_warn, t.tamper_copy_fail).message.contains("twice"));
    }

    #[test]
    fn a_reading_off_the_page_or_degenerate_does_not_panic() {
        let (img, mut viz) = page(3, false, false);
        if let Some(l) = viz.lines.first_mut() {
            l.frame = Quad::new([
                Point::new(-1e9, 5.0),
                Point::new(f32::NAN, 5.0),
                Point::new(3.0, 1e9),
                Point::new(0.0, 0.0),
            ]);
        }
        let s = survey(img.clone(), &viz);
        assert!(s.best.is_none_or(|b| b.0.is_finite() || b.0.is_nan()));
        let tiny = RgbImage::new(1, 1);
        let (_, viz) = page(3, false, false);
        let _ = survey(tiny, &viz);
        let _ = survey(RgbImage::new(0, 0), &viz);
        // Coordinates far beyond any page, and a character height that
        // would make the sampling step astronomic.
        let (img, mut viz) = page(3, false, false);
        if let Some(l) = viz.lines.first_mut() {
            l.frame = Quad::new([
                Point::new(1e20, 1e20),
                Point::new(3e20, 1e20),
                Point::new(3e20, 2e20),
                Point::new(1e20, 2e20),
            ]);
            l.height = 1e30;
        }
        let s = survey(img, &viz);
        assert_eq!(s.judged, 0, "{s:?}");
    }

    #[test]
    fn a_line_read_twice_is_not_taken_for_a_copy() {
        let t = crate::Thresholds::default();
        let (img, mut viz) = page(4, false, false);
        let again = viz.lines.first().cloned().unwrap();
        viz.lines.push(again);
        let s = survey(img, &viz);
        // Each line's four digits against each other (6 + 6), and across
        // the two lines of numbers every digit against the others' places
        // (16 - 4), never a digit against itself.
        assert_eq!(s.pairs, 6 + 6 + 12, "{s:?}");
        assert_ne!(judge(&s, t.tamper_copy_warn, t.tamper_copy_fail).status, Status::Fail);
        assert!(s.best.is_none_or(|b| b.0 < t.tamper_copy_warn), "{s:?}");
    }
}
