//! Recognising MRZ characters (feature `ocr`): a small convolutional network
//! trained on OCR-B cells (see `models/README.md`), run with tract, batched per
//! document. It returns, for every cell, the likeliest characters with their
//! probabilities, which the text layer's repair turns into a reading the check
//! digits confirm.

mod model;

pub use model::{CLASSES, LineModel, Model};

use crate::mrz::Candidate;

/// Why recognition failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OcrError {
    /// tract failed at one step of loading or running the model; its error
    /// is the source.
    #[error("the character model failed {step}")]
    Model {
        /// What was being done: `reading the model`, `running the model`...
        step: &'static str,
        /// tract's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The model's input or output does not have the expected shape.
    #[error("the character model {0}")]
    Shape(String),
}

/// The `k` likeliest characters of one cell's probabilities, best first.
#[doc(hidden)]
///
/// # Examples
///
/// ```
/// use mrtd_verify::ocr::{top_candidates, CLASSES};
/// let mut p = vec![0.0f32; CLASSES.len()];
/// p[1] = 0.7; // '0'
/// p[25] = 0.3; // 'O'
/// let c = top_candidates(&p, 2);
/// assert_eq!((c[0].ch, c[1].ch), (b'0', b'O'));
/// ```
pub fn top_candidates(probs: &[f32], k: usize) -> Vec<Candidate> {
    let mut idx: Vec<usize> = (0..probs.len().min(CLASSES.len())).collect();
    idx.sort_by(|&a, &b| probs.get(b).copied().unwrap_or(0.0).total_cmp(&probs.get(a).copied().unwrap_or(0.0)));
    idx.into_iter()
        .take(k)
        .filter_map(|i| Some(Candidate { ch: *CLASSES.get(i)?, score: probs.get(i).copied()? }))
        .collect()
}
