//! Rectifying the located MRZ into an upright crop at a fixed scale, and
//! cutting it into character cells on its fixed pitch.
//!
//! The crop puts the pitch at [`PITCH`] pixels. The MRZ is printed at a fixed
//! pitch, so cells come from a grid fitted to each line (offset and pitch chosen
//! where the columns between cells are emptiest), which copes with touching and
//! broken glyphs where per-glyph segmentation would not.

use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{Border, Interpolation, Projection, warp_into};

use super::locate::{LineGeometry, MrzLocation};

/// Pitch of the rectified crop, in pixels.
pub const PITCH: f32 = 20.0;
/// Line spacing of the crop: 4.23 mm over a 2.54 mm pitch.
const LINE_SPACING: f32 = PITCH * 4.23 / 2.54;
/// Crop margin around the zone (room for the grid to shift when the located
/// extent missed a character at either end).
const MARGIN: f32 = 2.0 * PITCH;
/// Cell height taken around a line's centre (the model's input height).
pub const CELL_HEIGHT: u32 = 24;
/// Height the line's characters are scaled to within a cell: characters are
/// printed 2.0 to 3.2 mm tall at a 2.54 mm pitch, so the height is measured
/// per line and normalised, and the model always sees the same size.
const GLYPH_HEIGHT: f32 = 18.0;

/// One character cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Line, from 0.
    pub line: usize,
    /// Position in the line, from 0.
    pub index: usize,
    /// Left edge in the crop.
    pub x: f32,
    /// Top edge in the crop.
    pub y: f32,
    /// Width (the fitted pitch) in the crop.
    pub width: f32,
    /// Height sampled in the crop (scaled so the line's characters are
    /// `GLYPH_HEIGHT` of the `CELL_HEIGHT` rows).
    pub height: f32,
    /// Corners in page pixels: top-left, top-right, bottom-right, bottom-left
    /// of the character's cell (cap height tall).
    pub page: [(f32, f32); 4],
}

/// An upright crop of the MRZ.
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
    /// Fitted pitch per line in crop pixels.
    pub pitches: Vec<f32>,
    /// Line centres in the crop.
    pub centres: Vec<f32>,
    /// Measured character height of each line in the crop.
    pub heights: Vec<f32>,
}

impl Rectified {
    /// Maps a crop point to the page.
    pub fn page_point(&self, x: f32, y: f32) -> (f32, f32) {
        self.to_page * (x, y)
    }
}

/// Darkness profile of the crop's columns between rows `y0..y1`.
fn column_profile(img: &GrayImage, y0: u32, y1: u32) -> Vec<f32> {
    let (w, h) = img.dimensions();
    let mut p = vec![0.0f32; w as usize];
    for y in y0.min(h)..y1.min(h) {
        for (x, v) in p.iter_mut().enumerate() {
            *v += f32::from(255 - img.get_pixel(x as u32, y).0[0]);
        }
    }
    p
}

/// Darkness profile of rows over all columns.
fn row_profile(img: &GrayImage) -> Vec<f32> {
    img.rows().map(|r| r.map(|p| f32::from(255 - p.0[0])).sum()).collect()
}

fn sample(p: &[f32], x: f32) -> f32 {
    if x < 0.0 {
        return p.first().copied().unwrap_or(0.0);
    }
    let i = x.floor() as usize;
    let t = x - x.floor();
    let a = p.get(i).copied().unwrap_or(0.0);
    let b = p.get(i + 1).copied().unwrap_or(a);
    a + (b - a) * t
}

/// Cost of a grid on a column profile (with its prefix sums): ink on the cell
/// boundaries, cells without ink (every MRZ position holds a glyph), and ink
/// just outside the grid.
fn grid_cost(profile: &[f32], prefix: &[f32], typical: f32, start: f32, pitch: f32, n: usize) -> f32 {
    let mean = |a: f32, b: f32| {
        let (ia, ib) = (a.max(0.0) as usize, (b.max(0.0) as usize).min(prefix.len().saturating_sub(1)));
        if ib <= ia {
            return 0.0;
        }
        (prefix.get(ib).copied().unwrap_or(0.0) - prefix.get(ia).copied().unwrap_or(0.0)) / (ib - ia) as f32
    };
    let boundaries: f32 = (0..=n).map(|k| sample(profile, start + k as f32 * pitch)).sum();
    let empty: f32 = (0..n)
        .map(|k| {
            let c = start + (k as f32 + 0.5) * pitch;
            (typical * 0.35 - mean(c - pitch * 0.25, c + pitch * 0.25)).max(0.0)
        })
        .sum();
    let end = start + n as f32 * pitch;
    let outside = mean(start - pitch, start - pitch * 0.15) + mean(end + pitch * 0.15, end + pitch);
    boundaries + 4.0 * empty + 4.0 * outside
}

/// Prefix sums of a profile, and its typical inked level over the nominal grid.
fn prefix_and_typical(profile: &[f32], n: usize) -> (Vec<f32>, f32) {
    let mut prefix = Vec::with_capacity(profile.len() + 1);
    let mut acc = 0.0;
    prefix.push(0.0);
    for v in profile {
        acc += v;
        prefix.push(acc);
    }
    let lo = MARGIN as usize;
    let hi = ((MARGIN + n as f32 * PITCH) as usize).min(profile.len());
    let mut cols: Vec<f32> = profile.get(lo..hi).unwrap_or(&[]).to_vec();
    cols.sort_by(f32::total_cmp);
    let typical = cols.get(cols.len() * 3 / 4).copied().unwrap_or(0.0);
    (prefix, typical)
}

/// Fits one grid (start, pitch) to all lines at once on their summed profile,
/// near the nominal grid.
fn fit_common(profile: &[f32], n: usize) -> (f32, f32) {
    let (prefix, typical) = prefix_and_typical(profile, n);
    let cost = |start: f32, pitch: f32| grid_cost(profile, &prefix, typical, start, pitch, n);
    search_grid(cost, PITCH, (0.004, 15), (MARGIN - PITCH * 1.6, MARGIN + PITCH * 1.6, 0.5)).1
}

/// Horizontal centres of the separate, glyph-sized blobs of one line band.
fn glyph_centres(crop: &GrayImage, centre: f32, height: f32) -> Vec<f32> {
    let (y0, y1) = ((centre - height * 0.6).max(0.0) as u32, ((centre + height * 0.6) as u32).min(crop.height()));
    if y1 <= y0 + 2 {
        return Vec::new();
    }
    let band = GrayImage::from_fn(crop.width(), y1 - y0, |x, y| {
        Luma([if crop.get_pixel(x, y0 + y).0[0] < 128 { 255 } else { 0 }])
    });
    super::components::components(&band)
        .into_iter()
        .filter(|c| {
            let (w, h) = (c.width() as f32, c.height() as f32);
            w > PITCH * 0.15 && w < PITCH * 1.1 && h > height * 0.3 && h < height * 1.3
        })
        .map(|c| (c.x0 + c.x1 + 1) as f32 / 2.0)
        .collect()
}

/// How far glyph centres sit from the centres of a grid's cells (squared,
/// capped at half a pitch), plus a pitch squared for each centre outside the
/// `n` cells. The hot loop of the grid fit: no division, no libm rounding.
fn centres_cost(centres: &[f32], n: usize, start: f32, pitch: f32) -> f32 {
    let inv = 1.0 / pitch;
    let half = pitch * 0.5;
    let mut cost = 0.0;
    for &x in centres {
        // Cell index (floor, for any x above -1000 pitches).
        let k = (((x - start) * inv) + 1000.0) as i32 - 1000;
        let d = (x - (start + (k as f32 + 0.5) * pitch)).abs().min(half);
        cost += d * d;
        if k < 0 || k >= n as i32 {
            cost += pitch * pitch;
        }
    }
    cost
}

/// The best (start, pitch) of a search over pitches `pitch0 * (1 + i * rel)`
/// for `i` in `-steps..=steps` and starts from `lo` to `hi` by `step`, with
/// its cost. Every grid fit (on glyph centres or on the ink profile, common or
/// per line) is one such search.
fn search_grid(
    cost: impl Fn(f32, f32) -> f32,
    pitch0: f32,
    (rel, steps): (f32, i32),
    (lo, hi, step): (f32, f32, f32),
) -> (f32, (f32, f32)) {
    let mut best = (f32::MAX, (lo, pitch0));
    for i in -steps..=steps {
        let pitch = pitch0 * (1.0 + i as f32 * rel);
        let mut start = lo;
        while start <= hi {
            let c = cost(start, pitch);
            if c < best.0 {
                best = (c, (start, pitch));
            }
            start += step;
        }
    }
    best
}

/// Fits the grid to glyph centres: each centre should sit on a cell's
/// centre, and none outside the `n` cells. `None` when too few glyphs stand
/// apart (very bold print merges them) to trust it. Coarse to fine: pitch
/// within +-6 % by 0.4 %, start within +-1.6 pitch by half a pixel, then
/// around the best by 0.1 % and a quarter pixel.
fn fit_centres(centres: &[f32], n: usize, lines: usize) -> Option<(f32, f32)> {
    if centres.len() < n * lines / 3 {
        return None;
    }
    let cost = |start: f32, pitch: f32| centres_cost(centres, n, start, pitch);
    let (_, (start, pitch)) = search_grid(cost, PITCH, (0.004, 15), (MARGIN - PITCH * 1.6, MARGIN + PITCH * 1.6, 0.5));
    let (_, fine) = search_grid(cost, pitch, (0.001, 3), (start - 0.75, start + 0.75, 0.25));
    Some(fine)
}

/// Refines one line's start and pitch from its own glyph centres, near the
/// common grid.
fn refine_centres(centres: &[f32], n: usize, (start0, pitch0): (f32, f32)) -> Option<(f32, f32)> {
    if centres.len() < n / 3 {
        return None;
    }
    let cost = |start: f32, pitch: f32| centres_cost(centres, n, start, pitch);
    let (_, best) = search_grid(cost, pitch0, (0.002, 5), (start0 - pitch0 * 0.3, start0 + pitch0 * 0.3, 0.25));
    Some(best)
}

/// Refines one line's grid around the common one: start within +-0.2 pitch,
/// pitch within +-0.8 % (mild perspective shifts and stretches lines a little
/// against each other; more freedom lets runs of hollow glyphs pull the grid
/// half a pitch off).
fn refine_line(profile: &[f32], n: usize, (start0, pitch0): (f32, f32)) -> (f32, f32) {
    let (prefix, typical) = prefix_and_typical(profile, n);
    let cost = |start: f32, pitch: f32| grid_cost(profile, &prefix, typical, start, pitch, n);
    search_grid(cost, pitch0, (0.004, 2), (start0 - pitch0 * 0.2, start0 + pitch0 * 0.2, 0.5)).1
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
    let end = |l: &LineGeometry, t: f32| (l.centre.0 + d.0 * t * l.length / 2.0, l.centre.1 + d.1 * t * l.length / 2.0);
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
    let mut cells = Vec::with_capacity(n_lines * chars);
    let mut pitches = Vec::with_capacity(n_lines);
    let profiles: Vec<Vec<f32>> = centres
        .iter()
        .zip(&heights)
        .map(|(&c, &hgt)| column_profile(&crop, (c - hgt / 2.0).max(0.0) as u32, (c + hgt / 2.0) as u32))
        .collect();
    let mut summed = vec![0.0f32; crop.width() as usize];
    for p in &profiles {
        for (s, v) in summed.iter_mut().zip(p) {
            *s += v;
        }
    }
    // The grid from glyph centres when enough glyphs stand apart, else from
    // the ink profile; then each line refined around it.
    let line_centres: Vec<Vec<f32>> = centres.iter().zip(&heights).map(|(&c, &h)| glyph_centres(&crop, c, h)).collect();
    let all: Vec<f32> = line_centres.iter().flatten().copied().collect();
    let by_centres = fit_centres(&all, chars, n_lines);
    let common = by_centres.unwrap_or_else(|| fit_common(&summed, chars));
    for (line, ((&c, &hgt), profile)) in centres.iter().zip(&heights).zip(&profiles).enumerate() {
        let cap = hgt / 2.0;
        let sampled = CELL_HEIGHT as f32 * hgt / GLYPH_HEIGHT;
        let own = line_centres.get(line).map_or(&[][..], Vec::as_slice);
        let (start, pitch) = match by_centres {
            Some(_) => refine_centres(own, chars, common).unwrap_or(common),
            None => refine_line(profile, chars, common),
        };
        pitches.push(pitch);
        for index in 0..chars {
            let x = start + index as f32 * pitch;
            let corner = |px: f32, py: f32| to_page * (px, py);
            cells.push(Cell {
                line,
                index,
                x,
                y: c - sampled / 2.0,
                width: pitch,
                height: sampled,
                page: [corner(x, c - cap), corner(x + pitch, c - cap), corner(x + pitch, c + cap), corner(x, c + cap)],
            });
        }
    }
    Some(Rectified { image: crop, to_page, chars, cells, pitches, centres, heights })
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
    let mut hist = [0u32; 256];
    for p in img.pixels() {
        if let Some(b) = hist.get_mut(usize::from(p.0[0])) {
            *b += 1;
        }
    }
    let total: u32 = hist.iter().sum();
    let quantile = |q: f32| {
        let target = (total as f32 * q) as u32;
        let mut acc = 0;
        for (v, &c) in hist.iter().enumerate() {
            acc += c;
            if acc >= target {
                return v as f32;
            }
        }
        255.0
    };
    let (lo, hi) = (quantile(0.02), quantile(0.6));
    let span = (hi - lo).max(16.0);
    for p in img.pixels_mut() {
        let v = (f32::from(p.0[0]) - lo) / span * 255.0;
        p.0[0] = (v + 0.5).clamp(0.0, 255.0) as u8;
    }
}

/// The `CELL_HEIGHT x PITCH` grey patch of a cell, as model input in `0..1`
/// (ink high), written into `out` (row-major, `CELL_HEIGHT * PITCH` values).
pub fn cell_pixels(crop: &GrayImage, cell: &Cell, out: &mut [f32]) {
    let w = PITCH as usize;
    let sx = cell.width / PITCH;
    let sy = cell.height / CELL_HEIGHT as f32;
    for (i, v) in out.iter_mut().enumerate().take(CELL_HEIGHT as usize * w) {
        let (r, c) = ((i / w) as f32, (i % w) as f32);
        let x = cell.x + (c + 0.5) * sx - 0.5;
        let y = cell.y + (r + 0.5) * sy - 0.5;
        *v = 1.0 - bilinear(crop, x, y) / 255.0;
    }
}

/// Bilinear sample of a grey image at (x, y); outside it, white paper.
pub(crate) fn bilinear(img: &GrayImage, x: f32, y: f32) -> f32 {
    let (w, h) = img.dimensions();
    let (x0, y0) = (x.floor(), y.floor());
    let (tx, ty) = (x - x0, y - y0);
    let px = |xi: f32, yi: f32| {
        if xi < 0.0 || yi < 0.0 || xi >= w as f32 || yi >= h as f32 {
            255.0
        } else {
            f32::from(img.get_pixel(xi as u32, yi as u32).0[0])
        }
    };
    let a = px(x0, y0) + (px(x0 + 1.0, y0) - px(x0, y0)) * tx;
    let b = px(x0, y0 + 1.0) + (px(x0 + 1.0, y0 + 1.0) - px(x0, y0 + 1.0)) * tx;
    a + (b - a) * ty
}

#[cfg(test)]
mod tests {
    use super::ink_rows;

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
