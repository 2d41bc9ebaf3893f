//! The ONNX model, through tract. Every tract call of the crate is in this
//! file: upstream calls its internal crates unstable, so the dependency is
//! pinned and wrapped, and tract's error type never leaves this module.

use std::sync::Arc;

use tract_onnx::prelude::*;

use super::OcrError;
use crate::scan::{CELL_HEIGHT, CELL_VALUES, PITCH};

/// The bundled OCR-B classifier (see `models/README.md`).
static BUNDLED: &[u8] = include_bytes!("../../models/ocrb-cnn.onnx");

/// The classes, in the model's output order.
pub const CLASSES: &[u8; 37] = b"<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A loaded, optimised model; cheap to clone, `Send + Sync`, run from any
/// thread.
#[derive(Clone)]
pub struct Model {
    plan: Arc<TypedRunnableModel>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").finish_non_exhaustive()
    }
}

fn wrap(step: &'static str) -> impl Fn(TractError) -> OcrError {
    move |e| OcrError::Model { step, source: e.into() }
}

impl Model {
    /// The model shipped in `models/`, embedded in the binary.
    ///
    /// # Errors
    ///
    /// [`OcrError::Model`] if the bundled model does not load (a build defect).
    pub fn bundled() -> Result<Model, OcrError> {
        Model::from_bytes(BUNDLED)
    }

    /// A model from ONNX bytes with input `[N, 1, 24, 20]` (cells as
    /// [`crate::scan`] cuts them) and output `[N, 37]` (logits in
    /// [`CLASSES`] order).
    ///
    /// # Errors
    ///
    /// [`OcrError::Model`] if the bytes are not such a model.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::ocr::Model;
    /// assert!(Model::from_bytes(b"not a model").is_err());
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, OcrError> {
        let mut reader = std::io::Cursor::new(bytes);
        let model = tract_onnx::onnx().model_for_read(&mut reader).map_err(wrap("reading the model"))?;
        let n = model.symbols.sym("N");
        let fact = f32::fact([TDim::from(n), 1.into(), (CELL_HEIGHT as usize).into(), (PITCH as usize).into()]);
        let plan = model
            .with_input_fact(0, fact.into())
            .map_err(wrap("setting the input shape"))?
            .into_optimized()
            .map_err(wrap("optimising the model"))?
            .into_runnable()
            .map_err(wrap("planning the model"))?;
        Ok(Model { plan })
    }

    /// Class probabilities for `n` cells given as `n * 24 * 20` values in
    /// `0..1` (ink high), row-major. Returns `n * 37` probabilities.
    ///
    /// # Errors
    ///
    /// [`OcrError::Model`] if the run fails, [`OcrError::Shape`] if the
    /// input size is wrong.
    #[doc(hidden)]
    pub fn probabilities(&self, cells: Vec<f32>) -> Result<Vec<f32>, OcrError> {
        let per = CELL_VALUES;
        if cells.is_empty() || !cells.len().is_multiple_of(per) {
            return Err(OcrError::Shape(format!(
                "got {} values: not a whole number of {per}-value cells",
                cells.len()
            )));
        }
        let n = cells.len() / per;
        let input: Tensor = tract_ndarray::Array4::from_shape_vec((n, 1, CELL_HEIGHT as usize, PITCH as usize), cells)
            .map_err(|e| OcrError::Shape(format!("input shape: {e}")))?
            .into();
        let out = self.plan.run(tvec!(input.into())).map_err(wrap("running the model"))?;
        let logits = out
            .first()
            .ok_or_else(|| OcrError::Shape("gave no output".into()))?
            .to_plain_array_view::<f32>()
            .map_err(wrap("reading the output"))?;
        let logits: Vec<f32> = logits.iter().copied().collect();
        let k = CLASSES.len();
        if logits.len() != n * k {
            return Err(OcrError::Shape(format!("gave {} values for {n} cells", logits.len())));
        }
        let mut probs = logits;
        for row in probs.chunks_mut(k) {
            let max = row.iter().copied().fold(f32::MIN, f32::max);
            let mut sum = 0.0;
            for v in row.iter_mut() {
                *v = (*v - max).exp();
                sum += *v;
            }
            for v in row.iter_mut() {
                *v /= sum;
            }
        }
        Ok(probs)
    }
}

/// The bundled visual-zone line recogniser (see `models/README.md`).
static BUNDLED_LINES: &[u8] = include_bytes!("../../models/viz-lines.onnx");

/// The widths line images are padded to: one optimised plan each, made on
/// first use (tract runs a plan of fixed shape about twice as fast as one
/// of symbolic width).
const LINE_BUCKETS: [usize; 9] = [64, 96, 128, 192, 256, 384, 512, 768, 1024];

/// One width's plan, made on first use (or why it could not be).
type PlanCell = std::sync::OnceLock<Result<Arc<TypedRunnableModel>, String>>;

/// The widest bucket, the longest line image ([`crate::viz::crop::MAX_LINE_WIDTH`]).
const MAX_BUCKET: usize = 1024;

/// The visual-zone line model: a line image `[1, 1, LINE_HEIGHT, W]` in,
/// CTC logits `[1, 1 + alphabet, 1, W / 4]` out (blank first, then
/// [`crate::viz::ALPHABET`] in order). Cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct LineModel {
    bytes: Arc<[u8]>,
    plans: Arc<[PlanCell; LINE_BUCKETS.len()]>,
}

impl std::fmt::Debug for LineModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LineModel").finish_non_exhaustive()
    }
}

impl LineModel {
    /// The model shipped in `models/`, embedded in the binary.
    ///
    /// # Errors
    ///
    /// [`OcrError::Model`] if the bundled model does not load (a build defect).
    pub fn bundled() -> Result<LineModel, OcrError> {
        LineModel::from_bytes(BUNDLED_LINES)
    }

    /// A line model from ONNX bytes. The smallest width's plan is made
    /// here, to refuse bytes that are not such a model; the others when a
    /// line first needs them.
    ///
    /// # Errors
    ///
    /// [`OcrError::Model`] if the bytes are not such a model.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::ocr::LineModel;
    /// assert!(LineModel::from_bytes(b"not a model").is_err());
    /// assert!(LineModel::bundled().is_ok());
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<LineModel, OcrError> {
        let model =
            LineModel { bytes: Arc::from(bytes), plans: Arc::new(std::array::from_fn(|_| std::sync::OnceLock::new())) };
        model.plan(0)?;
        Ok(model)
    }

    fn plan(&self, bucket: usize) -> Result<Arc<TypedRunnableModel>, OcrError> {
        let width = LINE_BUCKETS.get(bucket).copied().unwrap_or(MAX_BUCKET);
        let cell = self.plans.get(bucket).ok_or_else(|| OcrError::Shape(format!("no plan for width {width}")))?;
        let made = cell.get_or_init(|| {
            let mut reader = std::io::Cursor::new(&self.bytes[..]);
            let fact = f32::fact([1, 1, crate::viz::LINE_HEIGHT, width]);
            tract_onnx::onnx()
                .model_for_read(&mut reader)
                .and_then(|m| m.with_input_fact(0, fact.into()))
                .and_then(|m| m.into_optimized())
                .and_then(|m| m.into_runnable())
                .map_err(|e| format!("{e:#}"))
        });
        made.clone().map_err(|e| OcrError::Model { step: "preparing the line model", source: e.into() })
    }

    /// Per-column class probabilities of each line: for each, `width / 4`
    /// columns of `1 + alphabet` probabilities, the CTC blank first. Each
    /// line runs alone, padded with paper to its width bucket.
    ///
    /// # Errors
    ///
    /// [`OcrError::Model`] if the run fails, [`OcrError::Shape`] if the
    /// model's output is not the expected shape.
    pub fn columns(&self, lines: &[&crate::viz::LineImage]) -> Result<Vec<Vec<f32>>, OcrError> {
        use crate::viz::LINE_HEIGHT;
        let k = crate::viz::ALPHABET.chars().count() + 1;
        let mut result = Vec::with_capacity(lines.len());
        for line in lines {
            let bucket = LINE_BUCKETS.iter().position(|&b| b >= line.width).unwrap_or(LINE_BUCKETS.len() - 1);
            let w = LINE_BUCKETS.get(bucket).copied().unwrap_or(MAX_BUCKET);
            let plan = self.plan(bucket)?;
            let mut input = vec![0.0f32; LINE_HEIGHT * w];
            for (src, dst) in line.pixels.chunks(line.width.max(1)).zip(input.chunks_mut(w)) {
                let n = src.len().min(w);
                if let (Some(dst), Some(src)) = (dst.get_mut(..n), src.get(..n)) {
                    dst.copy_from_slice(src);
                }
            }
            let input: Tensor = tract_ndarray::Array4::from_shape_vec((1, 1, LINE_HEIGHT, w), input)
                .map_err(|e| OcrError::Shape(format!("line input shape: {e}")))?
                .into();
            let out = plan.run(tvec!(input.into())).map_err(wrap("running the line model"))?;
            let logits = out
                .first()
                .ok_or_else(|| OcrError::Shape("line model gave no output".into()))?
                .to_plain_array_view::<f32>()
                .map_err(wrap("reading the line model's output"))?;
            let shape = logits.shape().to_vec();
            if shape.len() != 4 || shape.get(1) != Some(&k) {
                return Err(OcrError::Shape(format!("line model gave shape {shape:?}")));
            }
            let t = shape.get(3).copied().unwrap_or(0);
            let flat = logits.as_slice().ok_or_else(|| OcrError::Shape("line model output not contiguous".into()))?;
            let frames = (line.width / 4).min(t);
            let mut probs = vec![0.0f32; frames * k];
            for (f, row) in probs.chunks_mut(k).enumerate() {
                for (c, v) in row.iter_mut().enumerate() {
                    *v = flat.get(c * t + f).copied().unwrap_or(f32::MIN);
                }
                let max = row.iter().copied().fold(f32::MIN, f32::max);
                let mut sum = 0.0;
                for v in row.iter_mut() {
                    *v = (*v - max).exp();
                    sum += *v;
                }
                for v in row.iter_mut() {
                    *v /= sum;
                }
            }
            result.push(probs);
        }
        Ok(result)
    }
}
