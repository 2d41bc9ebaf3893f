//! The MRZ among the text lines: zones of 2 or 3 lines of one extent and one
//! size, evenly spaced; their geometry on the page; the orientation prior
//! and the line widths to try.

use image::GrayImage;

use super::lines::Chain;
use crate::config::Thresholds;
use crate::geometry::{Point, Quad};

/// One MRZ line in page pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineGeometry {
    /// Centre of the line's ink.
    pub centre: Point,
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
    pub direction: Point,
    /// Unit vector from one line to the next.
    pub normal: Point,
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
            direction: Point::new(-self.direction.x, -self.direction.y),
            normal: Point::new(-self.normal.x, -self.normal.y),
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
    /// use mrtd_verify::image::{GrayImage, Luma};
    /// use mrtd_verify::scan::{LineGeometry, MrzLocation};
    /// use mrtd_verify::Point;
    /// // A white page, dark above the zone's band: upright.
    /// let page = GrayImage::from_fn(400, 300, |_, y| Luma([if y < 150 { 60 } else { 250 }]));
    /// let line = |y: f32| LineGeometry { centre: Point::new(200.0, y), length: 300.0, thickness: 12.0, glyphs: 44 };
    /// let loc = MrzLocation {
    ///     lines: vec![line(230.0), line(250.0)],
    ///     direction: Point::new(1.0, 0.0),
    ///     normal: Point::new(0.0, 1.0),
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
        let band = |c: Point, side: f32| {
            let mut sum = 0u32;
            let mut count = 0u32;
            for i in 0..48 {
                let along = (i as f32 / 47.0 - 0.5) * length;
                for j in 0..20 {
                    let across = side * h * (1.5 + 7.5 * j as f32 / 19.0);
                    let (x, y) = (c.x + d.x * along + n.x * across, c.y + d.y * along + n.y * across);
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
        self.direction.y.atan2(self.direction.x).to_degrees()
    }

    /// The zone's corners (top-left, top-right, bottom-right, bottom-left, as
    /// read), with half a character of margin.
    pub fn quad(&self) -> Quad {
        let (d, n) = (self.direction, self.normal);
        let (Some(first), Some(last)) = (self.lines.first(), self.lines.last()) else {
            return Quad::default();
        };
        let half = self.lines.iter().map(|l| l.length).fold(0.0f32, f32::max) / 2.0 + self.char_height * 0.5;
        let up = self.char_height * 0.75;
        let at = |c: Point, along: f32, across: f32| {
            Point::new(c.x + d.x * along + n.x * across, c.y + d.y * along + n.y * across)
        };
        Quad::new([
            at(first.centre, -half, -up),
            at(first.centre, half, -up),
            at(last.centre, half, up),
            at(last.centre, -half, up),
        ])
    }
}

/// Groups of 2 or 3 lines of one extent, evenly spaced: MRZ candidates.
pub(super) fn groups(chains: &[Chain]) -> Vec<Vec<&Chain>> {
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

/// Line widths to try for a zone, likeliest first: TD1 has 3 lines of 30;
/// two lines are 44 (TD3, MRV-A) or 36 (TD2, MRV-B, French ID), told apart by
/// how many glyphs the lines hold and how long they are against their height.
pub(super) fn widths(loc: &MrzLocation, t: &Thresholds) -> Vec<usize> {
    if loc.lines.len() == 3 {
        return vec![30];
    }
    let ratio = loc.lines.iter().map(|l| l.length / l.thickness.max(1.0)).sum::<f32>() / loc.lines.len().max(1) as f32;
    let mut glyphs: Vec<usize> = loc.lines.iter().map(|l| l.glyphs).collect();
    glyphs.sort_unstable();
    let median = glyphs.get(glyphs.len() / 2).copied().unwrap_or(0);
    if median >= t.width_long_glyphs || (median < t.width_short_glyphs && ratio > t.width_long_ratio) {
        vec![44, 36]
    } else {
        vec![36, 44]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain of `n` glyphs from `u0` to `u1` at `v`, `t` thick.
    fn chain(u0: f64, u1: f64, v: f64, t: f64, n: usize) -> Chain {
        Chain { glyphs: (0..n).collect(), u0, u1, v, thickness: t }
    }

    #[test]
    fn zone_selection_prefers_three_lines_of_one_extent() {
        // A TD1: three lines 1.75 heights apart, a title line of another size
        // above, and a line of microprint just below.
        let lines = [
            chain(0.0, 600.0, 100.0, 20.0, 30),
            chain(0.0, 600.0, 135.0, 20.0, 30),
            chain(2.0, 598.0, 170.0, 20.0, 29),
            chain(0.0, 400.0, 20.0, 35.0, 12),
            chain(0.0, 600.0, 190.0, 8.0, 60),
        ];
        let zones = groups(&lines);
        let best = zones.first().unwrap();
        let vs: Vec<f64> = best.iter().map(|c| c.v).collect();
        assert_eq!(vs, [100.0, 135.0, 170.0]);
        // The microprint and the title never join a zone.
        assert!(zones.iter().all(|z| z.iter().all(|c| c.thickness == 20.0)));
    }

    #[test]
    fn zone_selection_needs_overlap_spacing_and_adjacency() {
        // Two lines that do not overlap along the text are not one zone.
        assert!(groups(&[chain(0.0, 300.0, 100.0, 20.0, 20), chain(400.0, 700.0, 135.0, 20.0, 20)]).is_empty());
        // Too close (touching) or too far apart (5 heights).
        assert!(groups(&[chain(0.0, 600.0, 100.0, 20.0, 44), chain(0.0, 600.0, 118.0, 20.0, 44)]).is_empty());
        assert!(groups(&[chain(0.0, 600.0, 100.0, 20.0, 44), chain(0.0, 600.0, 200.0, 20.0, 44)]).is_empty());
        // A line of that extent between two lines makes them non-adjacent:
        // the pairs are (1, 2) and (2, 3), not (1, 3).
        let three = [
            chain(0.0, 600.0, 100.0, 20.0, 44),
            chain(0.0, 600.0, 135.0, 20.0, 44),
            chain(0.0, 600.0, 165.0, 20.0, 44),
        ];
        let zones = groups(&three);
        assert!(zones.iter().all(|z| z.len() == 2 || z.len() == 3));
        assert!(!zones.iter().any(|z| z.len() == 2 && z[0].v == 100.0 && z[1].v == 165.0));
    }

    fn location(glyphs: usize, length: f32, thickness: f32) -> MrzLocation {
        let line = |y: f32| LineGeometry { centre: Point::new(0.0, y), length, thickness, glyphs };
        MrzLocation {
            lines: vec![line(0.0), line(30.0)],
            direction: Point::new(1.0, 0.0),
            normal: Point::new(0.0, 1.0),
            char_height: thickness,
        }
    }

    #[test]
    fn width_guess() {
        let t = Thresholds::default();
        assert_eq!(widths(&location(44, 920.0, 20.0), &t), [44, 36]);
        assert_eq!(widths(&location(36, 760.0, 20.0), &t), [36, 44]);
        // Glyphs merged (bold print): the length decides.
        assert_eq!(widths(&location(25, 920.0, 20.0), &t), [44, 36]);
        assert_eq!(widths(&location(25, 760.0, 20.0), &t), [36, 44]);
        let mut three = location(30, 600.0, 20.0);
        three.lines.push(three.lines[0]);
        assert_eq!(widths(&three, &t), [30]);
    }
}
