//! Finding the MRZ at any orientation.
//!
//! On a working copy of the page (long side at most 1 400 px): local-contrast
//! ink mask, connected components, the most common character sizes. For each
//! size, the text angle is the dominant direction from each character to its
//! nearest neighbour (characters on a line are closer than lines); components
//! are then chained along that angle into lines. Every MRZ position holds a
//! glyph (fillers included), so an MRZ line is an unbroken chain of 30 to 44
//! glyphs, over 20 character heights long; the MRZ is 2 or 3 such lines of one
//! extent, spaced about 1.76 character heights apart (4.23 mm over 2.4 mm).
//! The orientation is known up to a half turn; the reader settles it.

use image::GrayImage;

use super::ScanError;
use super::binarize::local_ink;
use super::components::{Component, components};

/// Long side of the working copy, at most (pages are shrunk by a whole factor).
const WORK_SIDE: u32 = 1300;

/// Shrinks by a whole factor, averaging `f x f` blocks: cheap, and it keeps
/// thin strokes as lighter strokes rather than dropping them.
fn shrink(gray: &GrayImage, f: u32) -> GrayImage {
    let (w, h) = (gray.width() / f, gray.height() / f);
    let src = gray.as_raw();
    let stride = gray.width() as usize;
    let mut out = GrayImage::new(w.max(1), h.max(1));
    let area = f * f;
    for (y, row) in out.rows_mut().enumerate() {
        for (x, p) in row.enumerate() {
            let mut sum = 0u32;
            for dy in 0..f as usize {
                let start = (y * f as usize + dy) * stride + x * f as usize;
                sum += src.get(start..start + f as usize).map_or(0, |s| s.iter().map(|&v| u32::from(v)).sum());
            }
            p.0[0] = (sum / area) as u8;
        }
    }
    out
}

/// One MRZ line in page pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineGeometry {
    /// Centre of the line's ink.
    pub centre: (f32, f32),
    /// Length of the line's ink along its direction.
    pub length: f32,
    /// Thickness (about the character height).
    pub thickness: f32,
    /// Number of glyphs found on the line (about its character count).
    pub glyphs: usize,
}

/// A located MRZ: its lines, top line first, along `direction`.
///
/// The reading direction is `direction` and the lines follow one another
/// along `normal` (the direction rotated by a quarter turn clockwise in image
/// coordinates). The true orientation may be the opposite: [`MrzLocation::flipped`].
#[derive(Debug, Clone, PartialEq)]
pub struct MrzLocation {
    /// The lines, in order along `normal`.
    pub lines: Vec<LineGeometry>,
    /// Unit vector along the text.
    pub direction: (f32, f32),
    /// Unit vector from one line to the next.
    pub normal: (f32, f32),
    /// Character height estimate in page pixels.
    pub char_height: f32,
}

impl MrzLocation {
    /// The same zone read the other way round (a half turn).
    pub fn flipped(&self) -> MrzLocation {
        let mut lines = self.lines.clone();
        lines.reverse();
        MrzLocation {
            lines,
            direction: (-self.direction.0, -self.direction.1),
            normal: (-self.normal.0, -self.normal.1),
            char_height: self.char_height,
        }
    }

    /// Whether the zone is more likely read the other way round: the MRZ is
    /// printed at the bottom of the document, so the page holds more ink
    /// (the visual zone) above its first line than below its last. A prior
    /// that orders the reading attempts (both orientations stay possible; the
    /// check digits decide), sampled on a sparse grid: about a thousand pixels.
    ///
    /// # Examples
    ///
    /// ```
    /// use image::{GrayImage, Luma};
    /// use mrtd_verify::scan::{LineGeometry, MrzLocation};
    /// // A white page, dark above the zone's band: upright.
    /// let page = GrayImage::from_fn(400, 300, |_, y| Luma([if y < 150 { 60 } else { 250 }]));
    /// let line = |y: f32| LineGeometry { centre: (200.0, y), length: 300.0, thickness: 12.0, glyphs: 44 };
    /// let loc = MrzLocation {
    ///     lines: vec![line(230.0), line(250.0)],
    ///     direction: (1.0, 0.0),
    ///     normal: (0.0, 1.0),
    ///     char_height: 12.0,
    /// };
    /// assert!(!loc.likely_flipped(&page));
    /// assert!(loc.flipped().likely_flipped(&page));
    /// ```
    pub fn likely_flipped(&self, page: &GrayImage) -> bool {
        let (d, n) = (self.direction, self.normal);
        let (Some(first), Some(last)) = (self.lines.first(), self.lines.last()) else {
            return false;
        };
        let length = self.lines.iter().map(|l| l.length).fold(0.0f32, f32::max);
        let h = self.char_height.max(1.0);
        let (w, ht) = page.dimensions();
        // Mean darkness of a band beside a line: from 1.5 to 9 character
        // heights away, across the zone's length; off-page counts as paper.
        let band = |c: (f32, f32), side: f32| {
            let mut sum = 0u32;
            let mut count = 0u32;
            for i in 0..48 {
                let along = (i as f32 / 47.0 - 0.5) * length;
                for j in 0..20 {
                    let across = side * h * (1.5 + 7.5 * j as f32 / 19.0);
                    let (x, y) = (c.0 + d.0 * along + n.0 * across, c.1 + d.1 * along + n.1 * across);
                    count += 1;
                    if x >= 0.0 && y >= 0.0 && (x as u32) < w && (y as u32) < ht {
                        sum += u32::from(255 - page.get_pixel(x as u32, y as u32).0[0]);
                    }
                }
            }
            sum as f32 / count.max(1) as f32
        };
        band(last.centre, 1.0) > band(first.centre, -1.0) * 1.2 + 2.0
    }

    /// Angle of the reading direction in degrees (0: left to right, upright;
    /// 90: top to bottom...).
    pub fn angle_deg(&self) -> f32 {
        self.direction.1.atan2(self.direction.0).to_degrees()
    }

    /// The zone's corners (top-left, top-right, bottom-right, bottom-left, as
    /// read), with half a character of margin.
    pub fn quad(&self) -> [(f32, f32); 4] {
        let (d, n) = (self.direction, self.normal);
        let (Some(first), Some(last)) = (self.lines.first(), self.lines.last()) else {
            return [(0.0, 0.0); 4];
        };
        let half = self.lines.iter().map(|l| l.length).fold(0.0f32, f32::max) / 2.0 + self.char_height * 0.5;
        let up = self.char_height * 0.75;
        let at = |c: (f32, f32), along: f32, across: f32| {
            (c.0 + d.0 * along + n.0 * across, c.1 + d.1 * along + n.1 * across)
        };
        [
            at(first.centre, -half, -up),
            at(first.centre, half, -up),
            at(last.centre, half, up),
            at(last.centre, -half, up),
        ]
    }
}

/// A component seen in the text frame (u along the text, v across).
#[derive(Debug, Clone, Copy)]
struct Glyph {
    u0: f64,
    u1: f64,
    v0: f64,
    v1: f64,
    cx: f64,
    cy: f64,
}

impl Glyph {
    fn v(&self) -> f64 {
        (self.v0 + self.v1) / 2.0
    }
}

/// A chain of glyphs: one text line.
#[derive(Debug, Clone)]
struct Chain {
    glyphs: Vec<usize>,
    u0: f64,
    u1: f64,
    v: f64,
    thickness: f64,
}

/// The dominant text angle (radians, modulo a half turn) from the directions
/// between each character-sized component and its nearest neighbour.
fn text_angle(comps: &[&Component], size: f64) -> Option<f64> {
    let centres: Vec<(f64, f64)> = comps.iter().map(|c| c.centre()).collect();
    let cell = (size * 2.0).max(1.0);
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> = std::collections::HashMap::new();
    for (i, &(x, y)) in centres.iter().enumerate() {
        grid.entry(((x / cell) as i64, (y / cell) as i64)).or_default().push(i);
    }
    let mut hist = [0.0f64; 180];
    for (i, &(x, y)) in centres.iter().enumerate() {
        let (gx, gy) = ((x / cell) as i64, (y / cell) as i64);
        let mut best: Option<(f64, f64, f64)> = None;
        for dy in -1..=1 {
            for dx in -1..=1 {
                for &j in grid.get(&(gx + dx, gy + dy)).map_or(&[][..], |v| v.as_slice()) {
                    if j == i {
                        continue;
                    }
                    let Some(&(px, py)) = centres.get(j) else { continue };
                    let d2 = (px - x).powi(2) + (py - y).powi(2);
                    if d2 > size * size * 0.25 && best.is_none_or(|b| d2 < b.0) {
                        best = Some((d2, px - x, py - y));
                    }
                }
            }
        }
        if let Some((d2, dx, dy)) = best
            && d2 < (size * 1.8).powi(2)
        {
            let deg = dy.atan2(dx).to_degrees().rem_euclid(180.0);
            if let Some(b) = hist.get_mut((deg as usize).min(179)) {
                *b += 1.0;
            }
        }
    }
    let smooth = |i: usize| (0..5).map(|k| hist.get((i + 178 + k) % 180).copied().unwrap_or(0.0)).sum::<f64>();
    let (peak, votes) = (0..180).map(|i| (i, smooth(i))).max_by(|a, b| a.1.total_cmp(&b.1))?;
    if votes < 10.0 {
        return None;
    }
    Some((peak as f64 + 0.5).to_radians())
}

/// Lines of glyphs at angle `theta` among components of about `size`.
fn chains(comps: &[&Component], theta: f64, size: f64) -> (Vec<Glyph>, Vec<Chain>) {
    let (c, s) = (theta.cos(), theta.sin());
    let mut glyphs: Vec<Glyph> = comps
        .iter()
        .map(|k| {
            let corners = [(k.x0, k.y0), (k.x1 + 1, k.y0), (k.x1 + 1, k.y1 + 1), (k.x0, k.y1 + 1)];
            let us = corners.iter().map(|&(x, y)| f64::from(x) * c + f64::from(y) * s);
            let vs = corners.iter().map(|&(x, y)| -f64::from(x) * s + f64::from(y) * c);
            let (cx, cy) = k.centre();
            Glyph {
                u0: us.clone().fold(f64::MAX, f64::min),
                u1: us.fold(f64::MIN, f64::max),
                v0: vs.clone().fold(f64::MAX, f64::min),
                v1: vs.fold(f64::MIN, f64::max),
                cx,
                cy,
            }
        })
        .filter(|g| {
            let (du, dv) = (g.u1 - g.u0, g.v1 - g.v0);
            dv > size * 0.3 && dv < size * 1.6 && du < size * 15.0
        })
        .collect();
    glyphs.sort_by(|a, b| a.u0.total_cmp(&b.u0));
    // Each glyph links to the nearest glyph ahead of it on the same line.
    let n = glyphs.len();
    let mut next: Vec<Option<usize>> = vec![None; n];
    let mut has_prev = vec![false; n];
    for i in 0..n {
        let Some(&g) = glyphs.get(i) else { continue };
        let mut best: Option<(f64, usize)> = None;
        for (j, h) in glyphs.iter().enumerate().skip(i + 1) {
            if h.u0 > g.u1 + size * 1.2 {
                break;
            }
            let gap = h.u0 - g.u1;
            let dv = (h.v() - g.v()).abs();
            if gap > -size * 0.4 && dv < size * 0.35 && best.is_none_or(|b| gap < b.0) {
                best = Some((gap, j));
            }
        }
        if let Some((_, j)) = best
            && !has_prev.get(j).copied().unwrap_or(true)
        {
            if let Some(slot) = next.get_mut(i) {
                *slot = Some(j);
            }
            if let Some(slot) = has_prev.get_mut(j) {
                *slot = true;
            }
        }
    }
    let mut out = Vec::new();
    for start in 0..n {
        if has_prev.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut members = vec![start];
        let mut at = start;
        while let Some(Some(j)) = next.get(at) {
            members.push(*j);
            at = *j;
        }
        if members.len() < 4 {
            continue;
        }
        let gs: Vec<&Glyph> = members.iter().filter_map(|&i| glyphs.get(i)).collect();
        let u0 = gs.iter().map(|g| g.u0).fold(f64::MAX, f64::min);
        let u1 = gs.iter().map(|g| g.u1).fold(f64::MIN, f64::max);
        let mut heights: Vec<f64> = gs.iter().map(|g| g.v1 - g.v0).collect();
        heights.sort_by(f64::total_cmp);
        let thickness = heights.get(heights.len() * 3 / 4).copied().unwrap_or(size);
        let v = gs.iter().map(|g| g.v()).sum::<f64>() / gs.len() as f64;
        out.push(Chain { glyphs: members, u0, u1, v, thickness });
    }
    // A line broken by a mark or a merged glyph comes out as several chains on
    // one baseline: join them when the gap is small.
    out.sort_by(|a, b| a.u0.total_cmp(&b.u0));
    let mut merged: Vec<Chain> = Vec::new();
    for c in out {
        let joined = merged.iter_mut().find(|m| {
            let t = (m.thickness + c.thickness) / 2.0;
            (m.v - c.v).abs() < 0.4 * t && c.u0 - m.u1 < 4.0 * t && c.u0 > m.u0
        });
        match joined {
            Some(m) => {
                let (na, nb) = (m.glyphs.len() as f64, c.glyphs.len() as f64);
                m.v = (m.v * na + c.v * nb) / (na + nb);
                m.thickness = (m.thickness * na + c.thickness * nb) / (na + nb);
                m.u1 = m.u1.max(c.u1);
                m.glyphs.extend(c.glyphs);
            }
            None => merged.push(c),
        }
    }
    merged.retain(|c| c.glyphs.len() >= 14 && c.u1 - c.u0 > c.thickness * 20.0);
    (glyphs, merged)
}

/// Least-squares direction of a chain's glyph centres (radians).
fn chain_angle(glyphs: &[Glyph], chain: &Chain, theta: f64) -> f64 {
    let (c, s) = (theta.cos(), theta.sin());
    let pts: Vec<(f64, f64)> = chain
        .glyphs
        .iter()
        .filter_map(|&i| glyphs.get(i))
        .map(|g| (g.cx * c + g.cy * s, -g.cx * s + g.cy * c))
        .collect();
    let n = pts.len() as f64;
    let (mu, mv) = (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n);
    let (mut suu, mut suv) = (0.0, 0.0);
    for &(u, v) in &pts {
        suu += (u - mu) * (u - mu);
        suv += (u - mu) * (v - mv);
    }
    theta + if suu > 0.0 { (suv / suu).atan() } else { 0.0 }
}

/// Groups of 2 or 3 lines of one extent, evenly spaced: MRZ candidates.
fn groups(chains: &[Chain]) -> Vec<Vec<&Chain>> {
    let mut sorted: Vec<&Chain> = chains.iter().collect();
    sorted.sort_by(|a, b| a.v.total_cmp(&b.v));
    let mut out: Vec<(f64, Vec<&Chain>)> = Vec::new();
    let fits = |a: &Chain, b: &Chain, spacing: Option<f64>| {
        let t = (a.thickness + b.thickness) / 2.0;
        // One zone is printed at one size: a line of microprint next to the
        // MRZ is not one of its lines.
        let similar = a.thickness.min(b.thickness) > 0.7 * a.thickness.max(b.thickness);
        let dv = b.v - a.v;
        let spaced = match spacing {
            Some(s) => (dv - s).abs() < 0.2 * s,
            None => dv > 1.1 * t && dv < 4.0 * t,
        };
        // Lines of one zone have one extent; a line partly lost still overlaps
        // most of its neighbour.
        let overlaps = |a: &Chain, b: &Chain| {
            let len = (a.u1 - a.u0).max(b.u1 - b.u0);
            a.u1.min(b.u1) - a.u0.max(b.u0) > 0.5 * len
        };
        // Neighbours: no line of that extent between them.
        let adjacent = !sorted.iter().any(|m| m.v > a.v && m.v < b.v && overlaps(a, m));
        similar && spaced && overlaps(a, b) && adjacent
    };
    for (i, a) in sorted.iter().enumerate() {
        for b in sorted.iter().skip(i + 1) {
            if !fits(a, b, None) {
                continue;
            }
            let spacing = b.v - a.v;
            let mut lines = vec![*a, *b];
            if let Some(c) = sorted.iter().find(|c| c.v > b.v && fits(b, c, Some(spacing))) {
                lines.push(*c);
            }
            let count: usize = lines.iter().map(|l| l.glyphs.len()).sum();
            out.push((lines.len() as f64 * 1e6 + count as f64, lines));
        }
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out.into_iter().map(|(_, g)| g).collect()
}

/// The most common character sizes among the components, best first.
fn character_sizes(comps: &[Component]) -> Vec<f64> {
    let mut hist = [0u32; 96];
    for c in comps {
        let (w, h) = (c.width(), c.height());
        let size = w.max(h);
        let fill = f64::from(c.area) / f64::from(w * h);
        if (5..90).contains(&size)
            && c.area >= 8
            && (0.08..0.9).contains(&fill)
            && w.min(h) * 4 >= size
            && let Some(b) = hist.get_mut(size as usize)
        {
            *b += 1;
        }
    }
    let smooth: Vec<u32> = (0..hist.len())
        .map(|i| {
            hist.get(i.wrapping_sub(1)).copied().unwrap_or(0)
                + 2 * hist.get(i).copied().unwrap_or(0)
                + hist.get(i + 1).copied().unwrap_or(0)
        })
        .collect();
    let mut peaks: Vec<(u32, usize)> = (5..smooth.len())
        .filter(|&i| {
            let v = smooth.get(i).copied().unwrap_or(0);
            v >= 20 && v >= smooth.get(i - 1).copied().unwrap_or(0) && v > smooth.get(i + 1).copied().unwrap_or(0)
        })
        .map(|i| (smooth.get(i).copied().unwrap_or(0), i))
        .collect();
    peaks.sort_by(|a, b| b.cmp(a));
    peaks.into_iter().take(3).map(|(_, i)| i as f64).collect()
}

/// Finds MRZ candidates on a grey page, best first.
///
/// # Errors
///
/// [`ScanError::TooSmall`] for a page too small to hold an MRZ,
/// [`ScanError::NotFound`] when nothing looks like one.
pub fn locate(gray: &GrayImage) -> Result<Vec<MrzLocation>, ScanError> {
    let (w, h) = gray.dimensions();
    if w.min(h) < 60 || w.max(h) < 200 {
        return Err(ScanError::TooSmall { width: w, height: h });
    }
    let factor = w.max(h).div_ceil(WORK_SIDE).max(1);
    let scale = 1.0 / f64::from(factor);
    let work = if factor > 1 { shrink(gray, factor) } else { gray.clone() };
    let ink = local_ink(&work, 15, 28, 0.86);
    let comps = components(&ink);
    let inv = (1.0 / scale) as f32;
    let mut found: Vec<(f64, MrzLocation)> = Vec::new();
    let peaks = character_sizes(&comps);
    // The common sizes first; if they give nothing, a ladder of sizes (a busy
    // background can outnumber the MRZ's characters).
    let ladder = [7.0, 9.0, 12.0, 16.0, 21.0, 28.0, 37.0];
    let sizes: Vec<(bool, f64)> = peaks
        .iter()
        .map(|&s| (false, s))
        .chain(ladder.iter().filter(|l| !peaks.iter().any(|p| (p - *l).abs() < 1.5)).map(|&s| (true, s)))
        .collect();
    for (fallback, size) in sizes {
        if fallback && !found.is_empty() {
            break;
        }
        let near: Vec<&Component> = comps
            .iter()
            .filter(|c| {
                let m = f64::from(c.width().max(c.height()));
                m > size * 0.3 && m < size * 16.0 && c.area >= 4
            })
            .collect();
        let sized: Vec<&Component> = near
            .iter()
            .copied()
            .filter(|c| (size * 0.6..size * 1.5).contains(&f64::from(c.width().max(c.height()))))
            .collect();
        let Some(theta) = text_angle(&sized, size) else { continue };
        let (glyphs, lines) = chains(&near, theta, size);
        for group in groups(&lines) {
            let Some(first) = group.first() else { continue };
            let angle = chain_angle(&glyphs, first, theta);
            let (dx, dy) = (angle.cos(), angle.sin());
            let (c, s) = (theta.cos(), theta.sin());
            // Back from the text frame (u, v) to the working image, then the page.
            let to_xy = |u: f64, v: f64| ((u * c - v * s) as f32 * inv, (u * s + v * c) as f32 * inv);
            // All lines of an MRZ have one extent: each end of a line is the
            // zone's (the union), unless the line's own end lies within a
            // fraction of a character of it: under perspective the lines'
            // ends drift apart by that much, while a lost glyph or a stray
            // mark moves an end by a whole character or more.
            let u0 = group.iter().map(|l| l.u0).fold(f64::MAX, f64::min);
            let u1 = group.iter().map(|l| l.u1).fold(f64::MIN, f64::max);
            let location = MrzLocation {
                lines: group
                    .iter()
                    .map(|l| {
                        let near =
                            |own: f64, zone: f64| if (own - zone).abs() < 0.3 * l.thickness { own } else { zone };
                        let (a, b) = (near(l.u0, u0), near(l.u1, u1));
                        LineGeometry {
                            centre: to_xy((a + b) / 2.0, l.v),
                            length: (b - a) as f32 * inv,
                            thickness: l.thickness as f32 * inv,
                            glyphs: l.glyphs.len(),
                        }
                    })
                    .collect(),
                direction: (dx as f32, dy as f32),
                normal: (-dy as f32, dx as f32),
                char_height: (group.iter().map(|l| l.thickness).sum::<f64>() / group.len() as f64) as f32 * inv,
            };
            let score = group.len() as f64 * 1e6 + group.iter().map(|l| l.glyphs.len() as f64).sum::<f64>();
            // The same zone found at two sizes (or both ways round) counts once.
            let near =
                |p: (f32, f32), q: (f32, f32)| (p.0 - q.0).abs() + (p.1 - q.1).abs() < location.char_height * 2.0;
            let dup = found.iter().any(|(_, f)| {
                f.lines.len() == location.lines.len()
                    && location.lines.iter().all(|l| f.lines.iter().any(|m| near(l.centre, m.centre)))
            });
            if !dup {
                found.push((score, location));
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    if found.is_empty() {
        return Err(ScanError::NotFound);
    }
    Ok(found.into_iter().map(|(_, l)| l).take(4).collect())
}
