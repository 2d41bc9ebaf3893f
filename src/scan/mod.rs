//! Reading scans (feature `image`): decode under limits into a [`Page`],
//! find the text lines and the MRZ on it at any orientation, rectify the zone
//! upright and cut it into character cells on its fixed pitch.
//!
//! ```text
//! bytes ──decode──▶ Page (colour + grey) ──locate──▶ Layout (every text line, MRZ candidates)
//!       ──rectify──▶ upright crop + projection back to the page
//!       ──grid─────▶ each line's fitted start and pitch, character cells, glyph ink boxes
//! ```
//!
//! Recognition of the cells is the [`crate::ocr`] layer's (feature `ocr`).
//! The public surface is [`decode`], [`to_gray`], [`Page`] and [`TextLine`];
//! the stages' own types are hidden from the docs so the checks can change
//! them (the benches and development tools use them).

mod binarize;
pub(crate) mod cells;
mod components;
mod decode;
mod grid;
mod lines;
mod locate;
mod page;
mod rectify;
mod shrink;
mod zones;

pub use decode::{Decoded, MAX_REDUCTION, decode, decode_reducing, ends_early, to_gray};
pub use page::Page;

pub use crate::config::DecodeLimits;
#[doc(hidden)]
pub use cells::{CELL_HEIGHT, CELL_VALUES, PITCH, cell_pixels, cell_tensor};
pub use locate::TextLine;
#[doc(hidden)]
pub use locate::{Layout, LineGeometry, MrzLocation, ZoneCandidate, locate};
#[doc(hidden)]
pub use rectify::{Cell, Rectified, rectify};

#[cfg(any(feature = "specimen", feature = "ocr"))]
pub(crate) use cells::bilinear;

/// Boxed cause of a decoding failure (the image crate's error).
type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why a scan could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The bytes are not an image in a supported format (JPEG, PNG, TIFF, BMP, WebP),
    /// or are truncated or corrupt. The decoder's error is the source.
    #[error("cannot decode the image")]
    Decode(#[source] Cause),
    /// The file ends before the image does (a copy or transfer cut short):
    /// the decoder gave up, or returned a partial page on which no MRZ was
    /// read. The decoder's error, if any, is the source.
    #[error("the file seems truncated: it ends before the image does; copy or export the scan again")]
    Truncated(#[source] Option<Cause>),
    /// The image exceeds the decoding limits (dimensions or memory).
    #[error(
        "the image is too large to decode (limits: {max_side} pixels a side, {} MiB of pixels; re-export it at \
         300 dpi)",
        max_alloc >> 20
    )]
    TooLarge {
        /// The side limit in force.
        max_side: u32,
        /// The allocation limit in force.
        max_alloc: u64,
        /// The decoder's report.
        #[source]
        source: Cause,
    },
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
    /// A zone was found but could not be read into an MRZ.
    #[error("the machine readable zone could not be read: {0}")]
    Unreadable(&'static str),
}

impl ScanError {
    /// The report's error code.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode;
        match self {
            ScanError::Decode(_) | ScanError::Truncated(_) => ErrorCode::Decode,
            ScanError::TooLarge { .. } => ErrorCode::TooLarge,
            ScanError::TooSmall { .. } => ErrorCode::TooSmall,
            ScanError::NotFound => ErrorCode::NotFound,
            ScanError::Unreadable(_) => ErrorCode::Unreadable,
        }
    }
}
