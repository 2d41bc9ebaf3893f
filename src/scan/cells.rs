//! Character cells as the model sees them: the one place the cell's size and
//! sampling are defined, shared by the reader, the training data extractor
//! (`tools/src/bin/glyphs.rs`, whose cells `models/train.py` learns from),
//! the benches and the tools, so training and serving cannot drift.

use image::GrayImage;

use super::rectify::{Cell, Rectified};

/// Pitch of the rectified crop, in pixels: one cell is this wide.
pub const PITCH: f32 = 20.0;
/// Cell height taken around a line's centre (the model's input height).
pub const CELL_HEIGHT: u32 = 24;
/// Values per cell: `CELL_HEIGHT x PITCH`, row-major.
pub const CELL_VALUES: usize = CELL_HEIGHT as usize * PITCH as usize;

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

/// Every cell of a rectified zone, line by line, as one model input batch
/// (`cells x CELL_HEIGHT x PITCH` values in `0..1`, ink high).
pub fn cell_tensor(rect: &Rectified) -> Vec<f32> {
    let mut pixels = vec![0.0f32; rect.cells.len() * CELL_VALUES];
    for (cell, out) in rect.cells.iter().zip(pixels.chunks_mut(CELL_VALUES)) {
        cell_pixels(&rect.image, cell, out);
    }
    pixels
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
