//! Text lines on the locator's working copy: the common character sizes, the
//! text angle, and glyphs chained into lines along it.
//!
//! Components are seen in the text frame (`u` along the text, `v` across).
//! The text angle is the dominant direction from each character to its
//! nearest neighbour (characters on a line are closer than lines); each glyph
//! then links to the nearest glyph ahead of it on the same line.

use super::components::Component;

/// A component seen in the text frame (u along the text, v across).
#[derive(Debug, Clone, Copy)]
pub(super) struct Glyph {
    pub(super) u0: f64,
    pub(super) u1: f64,
    pub(super) v0: f64,
    pub(super) v1: f64,
    pub(super) cx: f64,
    pub(super) cy: f64,
}

impl Glyph {
    fn v(&self) -> f64 {
        (self.v0 + self.v1) / 2.0
    }
}

/// A chain of glyphs: one text line.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Chain {
    /// Indices of its glyphs.
    pub(super) glyphs: Vec<usize>,
    /// Start and end along the text (`u`).
    pub(super) u0: f64,
    pub(super) u1: f64,
    /// Centre across the text (`v`).
    pub(super) v: f64,
    /// Thickness: about the character height.
    pub(super) thickness: f64,
}

impl Chain {
    /// Whether the chain could be an MRZ line: every MRZ position holds a
    /// glyph (fillers included), so an MRZ line is an unbroken chain of 30 to
    /// 44 glyphs; at least 14 found (some merge or break) over 20 character
    /// heights long.
    pub(super) fn could_be_mrz(&self) -> bool {
        self.glyphs.len() >= 14 && self.u1 - self.u0 > self.thickness * 20.0
    }
}

/// The dominant text angle (radians, modulo a half turn) from the directions
/// between each character-sized component and its nearest neighbour.
pub(super) fn text_angle(comps: &[&Component], size: f64) -> Option<f64> {
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

/// Lines of glyphs at angle `theta` among components of about `size`: every
/// chain of at least four glyphs, a line broken by a mark joined again.
pub(super) fn chains(comps: &[&Component], theta: f64, size: f64) -> (Vec<Glyph>, Vec<Chain>) {
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
    (glyphs, merged)
}

/// Least-squares direction of a chain's glyph centres (radians).
pub(super) fn chain_angle(glyphs: &[Glyph], chain: &Chain, theta: f64) -> f64 {
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

/// The most common character sizes among the components, best first.
pub(super) fn character_sizes(comps: &[Component]) -> Vec<f64> {
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
