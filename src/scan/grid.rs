//! Fitting each line's character grid (start and pitch) in the rectified
//! crop. The MRZ is printed at a fixed pitch, so the cells come from a grid
//! rather than from per-glyph segmentation, which copes with touching and
//! broken glyphs: the grid is fitted to the glyph centres where enough glyphs
//! stand apart, else to the ink profile (cell boundaries where the columns are
//! emptiest); one grid for all lines first, then each line refined around it.

use image::{GrayImage, Luma};

use super::cells::PITCH;

/// Crop margin around the zone (room for the grid to shift when the located
/// extent missed a character at either end).
pub(super) const MARGIN: f32 = 2.0 * PITCH;

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
pub(super) fn row_profile(img: &GrayImage) -> Vec<f32> {
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
pub(super) fn glyph_centres(crop: &GrayImage, centre: f32, height: f32) -> Vec<f32> {
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

/// Each line's grid `(start, pitch)` in crop pixels, for lines centred at
/// `centres` with character heights `heights`, `chars` cells each.
pub(super) fn fit_lines(crop: &GrayImage, centres: &[f32], heights: &[f32], chars: usize) -> Vec<(f32, f32)> {
    let profiles: Vec<Vec<f32>> = centres
        .iter()
        .zip(heights)
        .map(|(&c, &hgt)| column_profile(crop, (c - hgt / 2.0).max(0.0) as u32, (c + hgt / 2.0) as u32))
        .collect();
    let mut summed = vec![0.0f32; crop.width() as usize];
    for p in &profiles {
        for (s, v) in summed.iter_mut().zip(p) {
            *s += v;
        }
    }
    let line_centres: Vec<Vec<f32>> = centres.iter().zip(heights).map(|(&c, &h)| glyph_centres(crop, c, h)).collect();
    let all: Vec<f32> = line_centres.iter().flatten().copied().collect();
    let by_centres = fit_centres(&all, chars, centres.len());
    let common = by_centres.unwrap_or_else(|| fit_common(&summed, chars));
    profiles
        .iter()
        .enumerate()
        .map(|(line, profile)| {
            let own = line_centres.get(line).map_or(&[][..], Vec::as_slice);
            match by_centres {
                Some(_) => refine_centres(own, chars, common).unwrap_or(common),
                None => refine_line(profile, chars, common),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyph centres of `n` cells on a grid, some missing, with jitter.
    fn centres(start: f32, pitch: f32, n: usize) -> Vec<f32> {
        (0..n)
            .filter(|k| k % 7 != 3)
            .map(|k| start + (k as f32 + 0.5) * pitch + [0.3, -0.4, 0.1, -0.2, 0.0][k % 5])
            .collect()
    }

    #[test]
    fn grid_fit_on_centres_recovers_start_and_pitch() {
        for (start, pitch) in [(MARGIN, PITCH), (MARGIN - 13.0, PITCH * 1.03), (MARGIN + 9.5, PITCH * 0.97)] {
            let (s, p) = fit_centres(&centres(start, pitch, 44), 44, 1).unwrap();
            assert!((s - start).abs() < 0.6, "start {s} vs {start}");
            assert!((p - pitch).abs() < 0.03, "pitch {p} vs {pitch}");
        }
        // Too few glyphs stand apart to trust the centres.
        assert_eq!(fit_centres(&[50.0, 70.0, 90.0], 44, 2), None);
    }

    #[test]
    fn line_refinement_stays_near_the_common_grid() {
        let common = (MARGIN, PITCH);
        let (s, p) = refine_centres(&centres(MARGIN + 2.0, PITCH * 1.004, 30), 30, common).unwrap();
        assert!((s - (MARGIN + 2.0)).abs() < 0.5 && (p - PITCH * 1.004).abs() < 0.02, "{s} {p}");
        // A line shifted by a whole pitch is not followed: refinement searches
        // within 0.3 pitch.
        let (s, _) = refine_centres(&centres(MARGIN + PITCH, PITCH, 30), 30, common).unwrap();
        assert!((s - MARGIN).abs() <= 0.3 * PITCH + 0.01, "{s}");
    }

    #[test]
    fn grid_fit_on_the_ink_profile_puts_boundaries_in_the_gaps() {
        // Glyphs 12 px wide centred in each 20.5 px cell from 37.0.
        let (start, pitch, n) = (37.0f32, 20.5f32, 36);
        let width = (MARGIN * 2.0 + n as f32 * PITCH) as usize + 20;
        let profile: Vec<f32> = (0..width)
            .map(|x| {
                let k = ((x as f32 - start) / pitch).floor();
                let centre = start + (k + 0.5) * pitch;
                if k >= 0.0 && (k as usize) < n && (x as f32 + 0.5 - centre).abs() < 6.0 { 2000.0 } else { 0.0 }
            })
            .collect();
        let (s, p) = fit_common(&profile, n);
        assert!((p - pitch).abs() < pitch * 0.015, "pitch {p}");
        // Every boundary falls in the 8.5 px gap between two glyphs (any
        // grid that does is as good as another on a clean profile).
        for k in 0..=n {
            let b = s + k as f32 * p;
            let gap_centre = start + k as f32 * pitch;
            assert!((b - gap_centre).abs() < 4.25, "boundary {k} at {b}, gap at {gap_centre}");
        }
    }
}
