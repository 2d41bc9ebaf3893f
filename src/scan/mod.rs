//! Reading the MRZ from scans (feature `image`): decode under limits, locate
//! the zone at any orientation, rectify it upright, and cut it into character
//! cells on its fixed pitch.
//!
//! ```text
//! bytes ──decode──▶ grey page ──locate──▶ MrzLocation (lines, any angle)
//!       ──rectify──▶ upright crop + projection back to the page
//!       ──segment──▶ character cells (crop and page coordinates)
//! ```
//!
//! Recognition of the cells is the [`crate::ocr`] layer's (feature `ocr`).

mod binarize;
mod components;
mod decode;
mod locate;
mod rectify;

pub use decode::{DecodeLimits, decode, to_gray};
pub use locate::{LineGeometry, MrzLocation, locate};
pub(crate) use rectify::bilinear;
pub use rectify::{CELL_HEIGHT, Cell, PITCH, Rectified, cell_pixels, rectify};

/// Why a scan could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The bytes are not an image in a supported format (JPEG, PNG, TIFF, BMP),
    /// or are truncated or corrupt.
    #[error("cannot decode the image: {0}")]
    Decode(String),
    /// The image exceeds the decoding limits (dimensions or memory).
    #[error("image too large: {0}")]
    TooLarge(String),
    /// The image is too small to hold a readable MRZ.
    #[error("image too small ({width} x {height} pixels)")]
    TooSmall {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// No MRZ was found on the page.
    #[error("no machine readable zone found")]
    NotFound,
}
