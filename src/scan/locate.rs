//! Finding the text lines and the MRZ at any orientation.
//!
//! On a working copy of the page (shrunk by a whole factor to at most
//! 1 300 px a side): local-contrast ink mask, connected components, the most
//! common character sizes. For each size the text angle and the text lines
//! come from [`lines`](super::lines); the MRZ is 2 or 3 lines of one extent,
//! spaced about 1.76 character heights apart (4.23 mm over 2.4 mm), chosen by
//! [`zones`](super::zones). Every line found is kept in the [`Layout`] (the
//! visual zone's checks read them), and each MRZ candidate carries what the
//! reader needs to try it: the orientation prior and the widths to try. The
//! orientation is known up to a half turn; the reader settles it.

use image::GrayImage;

use super::ScanError;
use super::binarize::local_ink;
use super::components::{Component, components};
use super::lines::{Chain, chain_angle, chains, character_sizes, text_angle};
use super::shrink::shrink;
pub use super::zones::{LineGeometry, MrzLocation};
use super::zones::{groups, widths};
use crate::config::Thresholds;
use crate::geometry::{Point, Quad};

/// Long side of the working copy, at most (pages are shrunk by a whole factor).
const WORK_SIDE: u32 = 1300;

/// Most MRZ candidates returned.
const MAX_ZONES: usize = 4;

/// A line of text found on the page (in the visual zone or the MRZ).
///
/// # Examples
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use mrtd_verify::{Config, Scan, Verifier};
/// let verifier = Verifier::new(Config::default())?;
/// let document = verifier.read(&Scan::from_bytes("scan.jpg", std::fs::read("scan.jpg")?));
/// for line in document.text_lines() {
///     println!("{} glyphs, {:.0} px tall at {:?}", line.glyphs, line.height, line.quad.centre());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TextLine {
    /// The line's ink box on the page, corners in reading order along the
    /// direction the locator found (which may be a half turn off: lines are
    /// found up to a half turn, the MRZ's reading settles its page's).
    pub quad: Quad,
    /// Character height in page pixels (the thickness of the line).
    pub height: f32,
    /// Glyphs (connected ink components) on the line.
    pub glyphs: usize,
}

/// An MRZ candidate with what the reader needs to try it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneCandidate {
    /// The zone, read in the likelier orientation first.
    pub location: MrzLocation,
    /// Whether the page's ink says the zone is more likely read the other way
    /// round ([`MrzLocation::likely_flipped`]).
    pub likely_flipped: bool,
    /// Characters per line to try, likeliest first.
    pub widths: Vec<usize>,
}

impl ZoneCandidate {
    /// The zone in both orientations, likelier first.
    pub fn orientations(&self) -> [MrzLocation; 2] {
        if self.likely_flipped {
            [self.location.flipped(), self.location.clone()]
        } else {
            [self.location.clone(), self.location.flipped()]
        }
    }
}

/// What the locator found on a page: every text line and the MRZ
/// candidates, best first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Every text line found, MRZ lines included.
    pub lines: Vec<TextLine>,
    /// MRZ candidates, best first (at most four).
    pub zones: Vec<ZoneCandidate>,
}

/// Finds the text lines and the MRZ candidates on a grey page.
///
/// # Errors
///
/// [`ScanError::TooSmall`] for a page too small to hold an MRZ. A page with
/// no MRZ is not an error here: its layout has no zones.
pub fn locate(gray: &GrayImage, thresholds: &Thresholds) -> Result<Layout, ScanError> {
    let (w, h) = gray.dimensions();
    if w.min(h) < 60 || w.max(h) < 200 {
        return Err(ScanError::TooSmall { width: w, height: h });
    }
    let factor = w.max(h).div_ceil(WORK_SIDE).max(1);
    let shrunk;
    let work = if factor > 1 {
        shrunk = shrink(gray, factor);
        &shrunk
    } else {
        gray
    };
    let ink = local_ink(work, 15, 28, 0.86);
    let comps = components(&ink);
    let inv = factor as f32;
    let mut found: Vec<(f64, MrzLocation)> = Vec::new();
    let mut text_lines: Vec<TextLine> = Vec::new();
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
        let (glyphs, mut lines) = chains(&near, theta, size);
        let (c, s) = (theta.cos(), theta.sin());
        // Back from the text frame (u, v) to the working image, then the page.
        let to_xy = |u: f64, v: f64| Point::new((u * c - v * s) as f32 * inv, (u * s + v * c) as f32 * inv);
        for l in &lines {
            add_text_line(&mut text_lines, text_line(l, &to_xy, inv));
        }
        lines.retain(Chain::could_be_mrz);
        for group in groups(&lines) {
            let Some(first) = group.first() else { continue };
            let angle = chain_angle(&glyphs, first, theta);
            let (dx, dy) = (angle.cos(), angle.sin());
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
                direction: Point::new(dx as f32, dy as f32),
                normal: Point::new(-dy as f32, dx as f32),
                char_height: (group.iter().map(|l| l.thickness).sum::<f64>() / group.len() as f64) as f32 * inv,
            };
            let score = group.len() as f64 * 1e6 + group.iter().map(|l| l.glyphs.len() as f64).sum::<f64>();
            // The same zone found at two sizes (or both ways round) counts once.
            let near = |p: Point, q: Point| (p.x - q.x).abs() + (p.y - q.y).abs() < location.char_height * 2.0;
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
    let zones = found
        .into_iter()
        .take(MAX_ZONES)
        .map(|(_, location)| ZoneCandidate {
            likely_flipped: location.likely_flipped(gray),
            widths: widths(&location, thresholds),
            location,
        })
        .collect();
    Ok(Layout { lines: text_lines, zones })
}

/// A chain's ink box on the page.
fn text_line(l: &Chain, to_xy: &impl Fn(f64, f64) -> Point, scale: f32) -> TextLine {
    let half = l.thickness * 0.5;
    let quad =
        Quad::new([to_xy(l.u0, l.v - half), to_xy(l.u1, l.v - half), to_xy(l.u1, l.v + half), to_xy(l.u0, l.v + half)]);
    TextLine { quad, height: l.thickness as f32 * scale, glyphs: l.glyphs.len() }
}

/// Adds a line unless the same line was already found at another size: its
/// centre within half a character height of a known line's axis and inside
/// its extent.
fn add_text_line(lines: &mut Vec<TextLine>, new: TextLine) {
    let c = new.quad.centre();
    let same = lines.iter_mut().find(|l| {
        let [a, b, _, _] = l.quad.corners;
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let axis = l.quad.centre();
        let (rx, ry) = (c.x - axis.x, c.y - axis.y);
        let along = (rx * dx + ry * dy) / len;
        let across = (-rx * dy + ry * dx) / len;
        across.abs() < l.height.max(new.height) * 0.5 && along.abs() < len * 0.5
    });
    match same {
        // Keep the longer reading of the line.
        Some(l) if new.glyphs > l.glyphs => *l = new,
        Some(_) => {}
        None => lines.push(new),
    }
}
