//! Reading the visual zone's lines: every text line the locator found that
//! is not the MRZ's, cut upright and read by the line model, decoded by best
//! path with each character's confidence and place.

use std::time::Instant;

use image::GrayImage;

use super::crop::line_image;
use crate::geometry::{Point, Quad};
use crate::ocr::{LineModel, OcrError};
use crate::scan::TextLine;

/// One character of a read line.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VizChar {
    /// The character.
    pub ch: char,
    /// The model's probability for it (the best of its columns), `0..1`.
    pub confidence: f32,
    /// Its extent along the line image, in line-image pixels.
    pub x0: f32,
    /// End of its extent.
    pub x1: f32,
}

/// One text line of the visual zone as read.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VizLine {
    /// The text read (spaces between words).
    pub text: String,
    /// Each character of `text`, in order.
    pub chars: Vec<VizChar>,
    /// The line image's rectangle on the page (top-left first, reading
    /// order).
    pub frame: Quad,
    /// The line image's width in its own pixels.
    pub width: usize,
    /// Character height on the page, in pixels.
    pub height: f32,
}

impl VizLine {
    /// The page region of characters `first..=last` (indices into `chars`).
    pub fn region(&self, first: usize, last: usize) -> Quad {
        let (Some(a), Some(b)) = (self.chars.get(first), self.chars.get(last)) else { return self.frame };
        super::crop::region_between(&self.frame, self.width, a.x0, b.x1)
    }

    /// The lowest confidence of characters `first..=last`.
    pub fn confidence(&self, first: usize, last: usize) -> f32 {
        self.chars.get(first..=last).map_or(0.0, |c| c.iter().map(|c| c.confidence).fold(1.0, f32::min))
    }

    /// The centre of the line on the page.
    pub fn centre(&self) -> Point {
        self.frame.centre()
    }
}

/// Best-path decoding of one line's columns (`1 + alphabet` probabilities
/// each, blank first): the likeliest class per column, repeats merged, blanks
/// dropped.
///
/// A character's confidence is its best column's probability, lowered by
/// any other character the columns between it and its neighbours hint at
/// (a thin glyph the best path dropped): a line read with a character lost
/// is not read with confidence.
///
/// # Examples
///
/// ```
/// use mrtd_verify::viz::{ALPHABET, decode};
/// let k = ALPHABET.chars().count() + 1;
/// // Columns: 'A', 'A', blank, 'A', 'B'.
/// let a = 1 + ALPHABET.find('A').unwrap();
/// let b = 1 + ALPHABET.find('B').unwrap();
/// let mut cols = vec![0.0f32; 5 * k];
/// for (i, class) in [a, a, 0, a, b].into_iter().enumerate() {
///     cols[i * k + class] = 0.9;
/// }
/// let (text, chars) = decode(&cols);
/// assert_eq!(text, "AAB");
/// assert_eq!(chars[0].x0, 0.0);
/// assert_eq!(chars[0].x1, 8.0);
/// ```
pub fn decode(columns: &[f32]) -> (String, Vec<VizChar>) {
    let alphabet: Vec<char> = super::ALPHABET.chars().collect();
    let k = alphabet.len() + 1;
    let mut chars: Vec<VizChar> = Vec::new();
    let mut classes: Vec<usize> = Vec::new();
    let mut prev = 0usize;
    let best_of =
        |col: &[f32]| col.iter().enumerate().fold((0, f32::MIN), |m, (i, &v)| if v > m.1 { (i, v) } else { m });
    for (f, col) in columns.chunks_exact(k).enumerate() {
        let (best, p) = best_of(col);
        let x = f as f32 * 4.0;
        if best != 0 && best == prev {
            if let Some(c) = chars.last_mut() {
                c.x1 = x + 4.0;
                c.confidence = c.confidence.max(p);
            }
        } else if let Some(&ch) = best.checked_sub(1).and_then(|i| alphabet.get(i)) {
            chars.push(VizChar { ch, confidence: p, x0: x, x1: x + 4.0 });
            classes.push(best);
        }
        prev = best;
    }
    // Blank columns: the likeliest class other than the blank and the
    // characters on either side is a character the path may have lost.
    let mut next = 0;
    for (f, col) in columns.chunks_exact(k).enumerate() {
        if best_of(col).0 != 0 {
            continue;
        }
        let x = f as f32 * 4.0;
        // Columns go left to right: the next character only moves on.
        while chars.get(next).is_some_and(|c| c.x0 < x) {
            next += 1;
        }
        let after = (next < chars.len()).then_some(next);
        let before = after.map_or(chars.len(), |a| a).checked_sub(1);
        let near = [before.and_then(|b| classes.get(b)), after.and_then(|a| classes.get(a))];
        let hidden = col
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(c, _)| !near.contains(&Some(c)))
            .map(|(_, &p)| p)
            .fold(0.0f32, f32::max);
        if let Some(c) = after.or(before).and_then(|i| chars.get_mut(i)) {
            c.confidence = c.confidence.min(1.0 - hidden);
        }
    }
    // Spaces at the ends carry nothing.
    while chars.last().is_some_and(|c| c.ch == ' ') {
        chars.pop();
    }
    while chars.first().is_some_and(|c| c.ch == ' ') {
        chars.remove(0);
    }
    (chars.iter().map(|c| c.ch).collect(), chars)
}

/// The most text lines [`read_lines`] reads on one page.
pub const MAX_LINES: usize = 64;

/// The lines [`read_lines_within`] always reads, however late: the page's
/// longest lines, so a slow machine still compares what it can.
pub const MIN_LINES: usize = 8;

/// Reads every text line of the page outside the MRZ zone, in the MRZ's
/// reading direction (at most [`MAX_LINES`], those with the most glyphs).
///
/// # Errors
///
/// [`OcrError`] if the line model fails to run.
pub fn read_lines(
    grey: &GrayImage,
    lines: &[TextLine],
    mrz_zone: &Quad,
    model: &LineModel,
) -> Result<Vec<VizLine>, OcrError> {
    read_lines_within(grey, lines, mrz_zone, model, None).map(|(read, _)| read)
}

/// [`read_lines`] within a time budget: lines are read longest first (most
/// glyphs), and once `deadline` has passed no further line is read beyond
/// the first [`MIN_LINES`]. Returns the lines read, in page order, and how
/// many eligible lines were left unread.
///
/// # Errors
///
/// [`OcrError`] if the line model fails to run.
pub fn read_lines_within(
    grey: &GrayImage,
    lines: &[TextLine],
    mrz_zone: &Quad,
    model: &LineModel,
    deadline: Option<Instant>,
) -> Result<(Vec<VizLine>, usize), OcrError> {
    let [a, b, _, _] = mrz_zone.corners;
    let direction = Point::new(b.x - a.x, b.y - a.y);
    let norm = direction.x.hypot(direction.y).max(1e-3);
    // Lines across the page's direction (vertical print), the MRZ's own and
    // single glyphs are not read. A page holds a few dozen lines; noise or a
    // damaged image can hold hundreds: only the MAX_LINES with the most
    // glyphs are read, so a bad scan costs no more than a full page.
    let mut wanted: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let [p, q, _, _] = l.quad.corners;
            let cos = ((q.x - p.x) * direction.x + (q.y - p.y) * direction.y).abs()
                / ((q.x - p.x).hypot(q.y - p.y).max(1e-3) * norm);
            !mrz_zone.contains(l.quad.centre()) && l.glyphs >= 2 && cos >= 0.94
        })
        .map(|(i, _)| i)
        .collect();
    // Longest first (stable: page order among equals).
    wanted.sort_by_key(|&i| std::cmp::Reverse(lines.get(i).map_or(0, |l| l.glyphs)));
    wanted.truncate(MAX_LINES);
    let mut read: Vec<(usize, VizLine)> = Vec::with_capacity(wanted.len());
    let mut unread = 0;
    for (n, &i) in wanted.iter().enumerate() {
        if n >= MIN_LINES && deadline.is_some_and(|d| Instant::now() >= d) {
            unread = wanted.len() - n;
            break;
        }
        let Some(l) = lines.get(i) else { continue };
        let Some(img) = line_image(grey, &l.quad, l.height, direction) else { continue };
        let Some(cols) = model.columns(&[&img])?.into_iter().next() else { continue };
        let (text, chars) = decode(&cols);
        if !text.is_empty() {
            read.push((i, VizLine { text, chars, frame: img.quad, width: img.width, height: l.height }));
        }
    }
    read.sort_by_key(|(i, _)| *i);
    Ok((read.into_iter().map(|(_, l)| l).collect(), unread))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::LineImage;

    #[test]
    fn the_line_model_gives_a_column_per_four_pixels_for_lines_of_any_width() {
        let model = LineModel::bundled().unwrap();
        let k = super::super::ALPHABET.chars().count() + 1;
        let line = |w: usize| LineImage {
            width: w,
            pixels: (0..w * super::super::LINE_HEIGHT).map(|i| (i % 7) as f32 / 7.0).collect(),
            quad: Quad::default(),
        };
        let (a, b) = (line(40), line(100));
        let cols = model.columns(&[&a, &b]).unwrap();
        assert_eq!(cols.len(), 2);
        assert_eq!(cols[0].len(), 10 * k);
        assert_eq!(cols[1].len(), 25 * k);
        let sum: f32 = cols[1][..k].iter().sum();
        assert!((sum - 1.0).abs() < 1e-3);
    }
}
