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
