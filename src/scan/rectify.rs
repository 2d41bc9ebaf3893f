//! Rectifying the located MRZ into an upright crop at a fixed scale, each
//! line's character height, and its cells on the fitted grid.
//!
//! The crop puts the pitch at [`PITCH`] pixels and the lines 4.23 mm apart;
//! a homography through each outer line's own ends takes out skew and mild
//! perspective, and maps every cell and glyph box back to the page.

use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{Border, Interpolation, Projection, warp_into};

use super::cells::{CELL_HEIGHT, PITCH};
use super::grid::{MARGIN, fit_lines, row_profile};
use super::zones::{LineGeometry, MrzLocation};
use crate::geometry::{Point, Quad};

/// Line spacing of the crop: 4.23 mm over a 2.54 mm pitch.
const LINE_SPACING: f32 = PITCH * 4.23 / 2.54;
/// Height the line's characters are scaled to within a cell: characters are
/// printed 2.0 to 3.2 mm tall at a 2.54 mm pitch, so the height is measured
/// per line and normalised, and the model always sees the same size.
const GLYPH_HEIGHT: f32 = 18.0;
/// Where between a cell's darkest ink and its paper a pixel counts as ink:
/// half way (128 on a crop stretched to ink 0, paper 255; under uneven
/// light, where the crop's one stretch leaves part of a line grey, the
/// cell's own levels keep its glyph whole).
const INK_SPLIT: f32 = 0.5;
/// A cell whose darkest pixels are within this of its paper holds no ink.
const MIN_CONTRAST: f32 = 48.0;
/// Ink pixels a row or column needs to count as part of a glyph's box.
const MIN_INK: u32 = 2;

/// One character cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Line, from 0.
    pub line: usize,
    /// Position in the line, from 0.
    pub index: usize,
    /// Left edge in the crop.
    pub x: f32,
    /// Top edge of the sampled patch in the crop.
    pub y: f32,
    /// Width (the fitted pitch) in the crop.
    pub width: f32,
    /// Height sampled in the crop (scaled so the line's characters are
    /// `GLYPH_HEIGHT` of the `CELL_HEIGHT` rows).
    pub height: f32,
    /// The cell on the page, character height tall.
    pub page: Quad,
    /// The glyph's ink box in the crop, `[x0, y0, x1, y1]` (pixel edges),
    /// when the cell holds ink.
    pub ink: Option<[f32; 4]>,
    /// The crop level below which a pixel of this cell is ink: half way
    /// between the cell's darkest ink and its paper.
    pub ink_level: u8,
}

/// An upright crop of the MRZ with its fitted grid.
#[derive(Debug, Clone)]
pub struct Rectified {
    /// The crop, dark ink on light.
    pub image: GrayImage,
    /// Crop to page coordinates.
    pub to_page: Projection,
    /// Characters per line.
    pub chars: usize,
    /// Cells, line by line.
    pub cells: Vec<Cell>,
    /// Fitted grid start per line in crop pixels (left edge of the first cell).
    pub starts: Vec<f32>,
    /// Fitted pitch per line in crop pixels.
    pub pitches: Vec<f32>,
    /// Line centres in the crop.
    pub centres: Vec<f32>,
    /// Measured character height of each line in the crop.
    pub heights: Vec<f32>,
}

impl Rectified {
    /// Maps a crop point to the page.
    pub fn page_point(&self, x: f32, y: f32) -> Point {
        Point::from(self.to_page * (x, y))
    }
}

/// Rectifies a located MRZ of `chars` characters per line into an upright crop
/// and fits its character grid.
pub fn rectify(page: &GrayImage, loc: &MrzLocation, chars: usize) -> Option<Rectified> {
    let n_lines = loc.lines.len();
    if n_lines < 2 || chars == 0 {
        return None;
    }
    let d = loc.direction;
    let first = loc.lines.first()?;
    let last = loc.lines.last()?;
    // Ink runs from about 0.15 pitch into the first cell to 0.15 pitch before
    // the end of the last one.
    let w = (chars as f32 * PITCH + 2.0 * MARGIN).round();
    let top = PITCH * 0.9;
    let h = (2.0 * top + (n_lines - 1) as f32 * LINE_SPACING).round();
    let (x0, x1) = (MARGIN + 0.15 * PITCH, MARGIN + (chars as f32 - 0.15) * PITCH);
    let (y0, y1) = (top, top + (n_lines - 1) as f32 * LINE_SPACING);
    // Each outer line's own extent: under perspective the lines' ends drift
    // apart, and the homography takes that out.
    let end = |l: &LineGeometry, t: f32| (l.centre.x + d.x * t * l.length / 2.0, l.centre.y + d.y * t * l.length / 2.0);
    let page_pts = [end(first, -1.0), end(first, 1.0), end(last, 1.0), end(last, -1.0)];
    let crop_pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
    let to_crop = Projection::from_control_points(page_pts, crop_pts)?;
    let mut crop = GrayImage::from_pixel(w as u32, h as u32, Luma([255]));
    warp_into(page, to_crop, Interpolation::Bilinear, Border::Constant(Luma([255])), &mut crop);
    // Normalise contrast: darkest 2 % to black, lightest 40 % to white.
    normalise(&mut crop);
    let to_page = to_crop.invert();

    // Each line's ink: around the darkest row near its nominal centre, the
    // run of rows whose darkness stands out from the band's background by
    // more than a quarter of the peak's gives the top and bottom of the
    // characters (fillers are lower than capitals, and weigh little). The
    // background is a low quantile of the band: paper on a plain document,
    // the print's level on a guilloche or hatched one.
    let rows = row_profile(&crop);
    let mut centres = Vec::with_capacity(n_lines);
    let mut heights = Vec::with_capacity(n_lines);
    for i in 0..n_lines {
        let nominal = top + i as f32 * LINE_SPACING;
        let lo = (nominal - LINE_SPACING * 0.5).max(0.0) as usize;
        let hi = ((nominal + LINE_SPACING * 0.5) as usize).min(rows.len());
        match ink_rows(rows.get(lo..hi).unwrap_or(&[])) {
            Some((a, b)) if b > a + 4 => {
                centres.push((lo + a + lo + b) as f32 / 2.0 + 0.5);
                heights.push((b - a + 1) as f32);
            }
            _ => {
                centres.push(nominal);
                heights.push(PITCH * 2.4 / 2.54);
            }
        }
    }
    let fits = fit_lines(&crop, &centres, &heights, chars);
    let mut cells = Vec::with_capacity(n_lines * chars);
    for (line, ((&c, &hgt), &(start, pitch))) in centres.iter().zip(&heights).zip(&fits).enumerate() {
        let cap = hgt / 2.0;
        let sampled = CELL_HEIGHT as f32 * hgt / GLYPH_HEIGHT;
        for index in 0..chars {
            let x = start + index as f32 * pitch;
            let corner = |px: f32, py: f32| Point::from(to_page * (px, py));
            let ink = ink_box(&crop, x, pitch, c, hgt);
            cells.push(Cell {
                line,
                index,
                x,
                y: c - sampled / 2.0,
                width: pitch,
                height: sampled,
                page: Quad::new([
                    corner(x, c - cap),
                    corner(x + pitch, c - cap),
                    corner(x + pitch, c + cap),
                    corner(x, c + cap),
                ]),
                ink: ink.map(|(b, _)| b),
                ink_level: ink.map_or(0, |(_, level)| level),
            });
        }
    }
    let (starts, pitches) = fits.into_iter().unzip();
    Some(Rectified { image: crop, to_page, chars, cells, starts, pitches, centres, heights })
}

/// The ink box of the glyph in the cell from `x` (one `pitch` wide) on the
/// line centred at `c` with characters `hgt` tall: the rows and columns of
/// the cell, within 0.8 character heights of the centre, that hold ink, and
/// the level that told ink from paper there ([`INK_SPLIT`] between the
/// window's darkest pixels and its paper, its 75th percentile). `None` for
/// an empty cell.
fn ink_box(crop: &GrayImage, x: f32, pitch: f32, c: f32, hgt: f32) -> Option<([f32; 4], u8)> {
    let (w, h) = crop.dimensions();
    let x0 = x.max(0.0) as u32;
    let x1 = ((x + pitch).max(0.0) as u32).min(w);
    let y0 = (c - hgt * 0.8).max(0.0) as u32;
    let y1 = ((c + hgt * 0.8).max(0.0) as u32).min(h);
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let hist = histogram((y0..y1).flat_map(|y| (x0..x1).map(move |xx| crop.get_pixel(xx, y).0[0])));
    // The darkest 3 % (a lone dark speck does not set it) and the paper.
    let (dark, paper) = (f32::from(level_at(&hist, 0.03)?), f32::from(level_at(&hist, 0.75)?));
    if paper - dark < MIN_CONTRAST {
        return None;
    }
    let level = (dark + (paper - dark) * INK_SPLIT).round().clamp(1.0, 255.0) as u8;
    let mut rows = vec![0u32; (y1 - y0) as usize];
    let mut cols = vec![0u32; (x1 - x0) as usize];
    for y in y0..y1 {
        for xx in x0..x1 {
            if crop.get_pixel(xx, y).0[0] < level {
                if let Some(r) = rows.get_mut((y - y0) as usize) {
                    *r += 1;
                }
                if let Some(k) = cols.get_mut((xx - x0) as usize) {
                    *k += 1;
                }
            }
        }
    }
    // A row or column of the glyph holds at least two ink pixels: a lone
    // speck of noise, dust or the neighbour's serif does not widen the box.
    let span = |v: &[u32]| {
        let first = v.iter().position(|&n| n >= MIN_INK)?;
        let last = v.iter().rposition(|&n| n >= MIN_INK)?;
        Some((first as u32, last as u32 + 1))
    };
    let ((r0, r1), (k0, k1)) = (span(&rows)?, span(&cols)?);
    Some(([(x0 + k0) as f32, (y0 + r0) as f32, (x0 + k1) as f32, (y0 + r1) as f32], level))
}

/// The first and last rows of the run of inked rows around a band's darkest
/// row: rows darker than the band's background (its 20th percentile) by more
/// than a quarter of the peak's excess.
fn ink_rows(band: &[f32]) -> Option<(usize, usize)> {
    let (peak_at, peak) = band.iter().copied().enumerate().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let mut sorted = band.to_vec();
    sorted.sort_by(f32::total_cmp);
    let background = sorted.get(sorted.len() / 5).copied().unwrap_or(0.0);
    let threshold = background + (peak - background) * 0.25;
    let inked = |k: &usize| band.get(*k).is_some_and(|&v| v > threshold);
    let first = (0..peak_at).rev().take_while(inked).last().unwrap_or(peak_at);
    let last = (peak_at + 1..band.len()).take_while(inked).last().unwrap_or(peak_at);
    Some((first, last))
}

/// Stretches the crop's grey levels so ink is near 0 and paper near 255.
fn normalise(img: &mut GrayImage) {
    let hist = histogram(img.pixels().map(|p| p.0[0]));
    let quantile = |q: f32| level_at(&hist, q).map_or(255.0, f32::from);
    let (lo, hi) = (quantile(0.02), quantile(0.6));
    let span = (hi - lo).max(16.0);
    for p in img.pixels_mut() {
        let v = (f32::from(p.0[0]) - lo) / span * 255.0;
        p.0[0] = (v + 0.5).clamp(0.0, 255.0) as u8;
    }
}

/// The histogram of grey levels.
fn histogram(levels: impl Iterator<Item = u8>) -> [u32; 256] {
    let mut hist = [0u32; 256];
    for v in levels {
        if let Some(b) = hist.get_mut(usize::from(v)) {
            *b += 1;
        }
    }
    hist
}

/// The lowest level at or below which a share `q` of a histogram lies.
fn level_at(hist: &[u32; 256], q: f32) -> Option<u8> {
    let target = ((hist.iter().sum::<u32>() as f32 * q) as u32).max(1);
    let mut acc = 0;
    hist.iter()
        .position(|&n| {
            acc += n;
            acc >= target
        })
        .and_then(|v| u8::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::{ink_box, ink_rows};
    use image::{GrayImage, Luma};

    #[test]
    fn ink_box_keeps_a_grey_glyph_whole_and_finds_none_on_paper() {
        // A glyph under dim light: ink 90 on paper 200, not below the 128 a
        // crop stretched to ink 0, paper 255 would use.
        let mut crop = GrayImage::from_pixel(20, 40, Luma([200]));
        for y in 10..30 {
            for x in 5..15 {
                crop.put_pixel(x, y, Luma([90]));
            }
        }
        let (b, level) = ink_box(&crop, 0.0, 20.0, 20.0, 20.0).unwrap();
        assert_eq!(b, [5.0, 10.0, 15.0, 30.0]);
        assert!((140..=150).contains(&level), "{level}");
        // Paper with a faint speck holds no ink.
        let mut paper = GrayImage::from_pixel(20, 40, Luma([250]));
        paper.put_pixel(9, 20, Luma([225]));
        assert_eq!(ink_box(&paper, 0.0, 20.0, 20.0, 20.0), None);
    }

    #[test]
    fn ink_rows_on_plain_paper_span_the_characters() {
        let mut band = vec![0.0f32; 33];
        for v in band.iter_mut().skip(8).take(18) {
            *v = 300.0;
        }
        // Fillers and the feet of the characters weigh less, but count.
        band[7] = 90.0;
        assert_eq!(ink_rows(&band), Some((7, 25)));
    }

    #[test]
    fn ink_rows_on_hatched_background_ignore_the_hatching() {
        // Hatching lifts every row to 60-130; the characters are rows 12-20.
        let hatch = [102.0, 95.0, 72.0, 59.0, 120.0, 73.0, 68.0, 64.0, 108.0, 77.0, 76.0];
        let mut band: Vec<f32> = hatch.iter().chain(hatch.iter()).chain(hatch.iter()).copied().collect();
        for (k, v) in [208.0, 184.0, 230.0, 289.0, 273.0, 266.0, 257.0, 288.0, 204.0].into_iter().enumerate() {
            band[12 + k] = v;
        }
        // A lone hatch line beside the characters is not part of them.
        band[10] = 76.0;
        band[22] = 130.0;
        assert_eq!(ink_rows(&band), Some((12, 20)));
        assert_eq!(ink_rows(&[]), None);
    }
}
