//! Decoding under explicit limits: a hostile or huge file is an error, never
//! an out-of-memory.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageReader, Limits};

use super::ScanError;

/// Limits on what is decoded.
///
/// # Examples
///
/// ```
/// let limits = mrtd_verify::scan::DecodeLimits::default();
/// assert_eq!(limits.max_side, 12_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeLimits {
    /// Largest width or height in pixels. Default 12 000 (an A4 page at
    /// 1 200 dpi is 9 921 x 14 031... so 12 000 caps at about 1 000 dpi).
    pub max_side: u32,
    /// Largest decoding allocation in bytes. Default 512 MiB.
    pub max_alloc: u64,
}

impl Default for DecodeLimits {
    fn default() -> DecodeLimits {
        DecodeLimits { max_side: 12_000, max_alloc: 512 * 1024 * 1024 }
    }
}

impl DecodeLimits {
    /// With a maximum side.
    pub fn max_side(mut self, px: u32) -> Self {
        self.max_side = px;
        self
    }

    /// With a maximum allocation.
    pub fn max_alloc(mut self, bytes: u64) -> Self {
        self.max_alloc = bytes;
        self
    }
}

/// Decodes image bytes (JPEG, PNG, TIFF including 16-bit and grey, BMP) within
/// `limits`.
///
/// # Errors
///
/// [`ScanError::Decode`] for bytes that are not a supported image (or are
/// truncated), [`ScanError::TooLarge`] beyond the limits.
///
/// # Examples
///
/// ```
/// use mrtd_verify::scan::{decode, DecodeLimits, ScanError};
/// assert!(matches!(decode(b"not an image", &DecodeLimits::default()), Err(ScanError::Decode(_))));
/// ```
pub fn decode(bytes: &[u8], limits: &DecodeLimits) -> Result<DynamicImage, ScanError> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| ScanError::Decode(e.to_string()))?;
    let mut l = Limits::default();
    l.max_image_width = Some(limits.max_side);
    l.max_image_height = Some(limits.max_side);
    l.max_alloc = Some(limits.max_alloc);
    reader.limits(l);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(l) => ScanError::TooLarge(l.to_string()),
        other => ScanError::Decode(other.to_string()),
    })
}

/// The grey page an MRZ is read from (luma of colour images; 16-bit images
/// reduced to 8 bits).
pub fn to_gray(image: &DynamicImage) -> GrayImage {
    match image {
        DynamicImage::ImageLuma8(g) => g.clone(),
        other => other.to_luma8(),
    }
}
