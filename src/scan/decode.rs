//! Decoding under explicit limits: a hostile or huge file is an error, never
//! an out-of-memory.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, ImageDecoder, ImageReader, Limits};

use super::ScanError;
use crate::config::DecodeLimits;

/// Decodes image bytes (JPEG, PNG, TIFF including 16-bit and grey, BMP,
/// WebP) within `limits`, upright: an EXIF orientation (JPEG, TIFF, WebP,
/// PNG) is applied as image viewers apply it, so a phone photo stored
/// turned or mirrored reads as it is shown. A damaged orientation tag is
/// ignored (the pixels as stored).
///
/// # Errors
///
/// [`ScanError::Decode`] for bytes that are not a supported image (or are
/// truncated), [`ScanError::TooLarge`] beyond the limits; the decoder's
/// error is the source.
///
/// # Examples
///
/// ```
/// use mrtd_verify::DecodeLimits;
/// use mrtd_verify::scan::{decode, ScanError};
/// assert!(matches!(decode(b"not an image", &DecodeLimits::default()), Err(ScanError::Decode(_))));
/// ```
pub fn decode(bytes: &[u8], limits: &DecodeLimits) -> Result<DynamicImage, ScanError> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| ScanError::Decode(Box::new(e)))?;
    let mut l = Limits::default();
    l.max_image_width = Some(limits.max_side);
    l.max_image_height = Some(limits.max_side);
    l.max_alloc = Some(limits.max_alloc);
    let scan_error = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => {
            ScanError::TooLarge { max_side: limits.max_side, max_alloc: limits.max_alloc, source: Box::new(e) }
        }
        other if cut_short(&other) || ends_early(bytes) => ScanError::Truncated(Some(Box::new(other))),
        other => ScanError::Decode(Box::new(other)),
    };
    reader.limits(l.clone());
    let mut decoder = reader.into_decoder().map_err(scan_error)?;
    // The pixel buffer counts against the allocation limit before it is
    // allocated (as `ImageReader::decode` does).
    let (w, h) = decoder.dimensions();
    let (color, needed) = (decoder.color_type(), decoder.total_bytes());
    l.reserve(needed).map_err(|_| ScanError::TooLarge {
        max_side: limits.max_side,
        max_alloc: limits.max_alloc,
        source: format!("{w} x {h} pixels of {color:?} need {} MiB", needed.div_ceil(1 << 20)).into(),
    })?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(scan_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether a decoder's error says the data ran out.
fn cut_short(e: &image::ImageError) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::UnexpectedEof
        {
            return true;
        }
        let text = c.to_string();
        if text.contains("fill whole buffer") || text.contains("unexpected end") || text.contains("Unexpected EOF") {
            return true;
        }
        cause = c.source();
    }
    false
}

/// Whether the bytes of a JPEG or PNG end before the image does: a file cut
/// short. A JPEG's marker segments are walked to the first scan (skipping the
/// EXIF thumbnail, which has an end marker of its own) and the end marker
/// `FF D9` must follow it somewhere (data appended after it, as phones append
/// motion-photo video, is fine); a PNG must hold its `IEND` chunk. Some
/// decoders return the rows they got from such a file without an error.
///
/// # Examples
///
/// ```
/// use mrtd_verify::scan::ends_early;
/// // SOI, a 4-byte APP0 segment, SOS, scan data, EOI, then appended data.
/// let whole = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 1, 2, 0xFF, 0xDA, 0x00, 0x02, 7, 7, 0xFF, 0xD9, 9, 9];
/// assert!(!ends_early(&whole));
/// assert!(ends_early(&whole[..14]));
/// assert!(ends_early(&whole[..7])); // inside a header segment
/// assert!(!ends_early(b"BM not a jpeg"));
/// ```
pub fn ends_early(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut at = 2usize;
        loop {
            // Fill bytes (`FF FF`) may precede a marker.
            while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
                at += 1;
            }
            let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else { return true };
            match marker {
                // Start of scan: the end marker must follow somewhere.
                0xDA => {
                    let scan = bytes.get(at..).unwrap_or(&[]);
                    return !scan.windows(2).any(|w| w == [0xFF, 0xD9]);
                }
                // Markers without a length.
                0x01 | 0xD0..=0xD7 => at += 2,
                // An end marker before any scan: a file of headers only.
                0xD9 => return true,
                _ => match bytes.get(at + 2..at + 4) {
                    Some(&[hi, lo]) => at = at.saturating_add(2 + usize::from(u16::from_be_bytes([hi, lo]))),
                    _ => return true,
                },
            }
        }
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        !bytes.windows(4).rev().take(1 << 16).any(|w| w == b"IEND")
    } else {
        false
    }
}

/// The grey page an MRZ is read from: each pixel's brightest colour channel
/// (16-bit images reduced to 8 bits).
///
/// Doc 9303 prints the MRZ in dark, IR-absorbing ink, black in every channel;
/// stamps, signatures and security printing over it are coloured, and one of
/// their channels stays bright. Taking the brightest channel keeps the MRZ
/// black and lightens a red border stamp or a green guilloche, where luma
/// would have kept them half as dark as the characters.
///
/// ```
/// use image::{DynamicImage, Rgb, RgbImage};
/// use mrtd_verify::scan::to_gray;
///
/// // Black ink, then a red stamp.
/// let rgb = RgbImage::from_fn(2, 1, |x, _| if x == 0 { Rgb([20, 20, 20]) } else { Rgb([210, 30, 40]) });
/// let gray = to_gray(&DynamicImage::ImageRgb8(rgb));
/// assert_eq!((gray.get_pixel(0, 0).0[0], gray.get_pixel(1, 0).0[0]), (20, 210));
/// ```
pub fn to_gray(image: &DynamicImage) -> GrayImage {
    match image {
        DynamicImage::ImageLuma8(g) => g.clone(),
        DynamicImage::ImageRgb8(rgb) => brightest_channel(rgb),
        DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA8(_) | DynamicImage::ImageLumaA16(_) => image.to_luma8(),
        other => brightest_channel(&other.to_rgb8()),
    }
}

/// Each pixel's brightest channel.
pub(super) fn brightest_channel(rgb: &image::RgbImage) -> GrayImage {
    let (w, h) = rgb.dimensions();
    let mut out = GrayImage::new(w, h);
    for (o, p) in out.pixels_mut().zip(rgb.pixels()) {
        let [r, g, b] = p.0;
        o.0[0] = r.max(g).max(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    #[test]
    fn coloured_overprint_is_lighter_than_black_ink() {
        // Black MRZ ink, a red stamp, a green tint, white paper.
        let colours = [[10u8, 12, 9], [200, 40, 40], [150, 200, 160], [250, 250, 250]];
        let rgb = RgbImage::from_fn(4, 1, |x, _| Rgb(colours[x as usize]));
        let gray = to_gray(&DynamicImage::ImageRgb8(rgb.clone()));
        let values: Vec<u8> = gray.pixels().map(|p| p.0[0]).collect();
        assert_eq!(values, vec![12, 200, 200, 250]);
        // Luma would have made the stamp darker than half grey.
        let luma = DynamicImage::ImageRgb8(rgb).to_luma8();
        assert!(luma.get_pixel(1, 0).0[0] < 100);
        // Other layouts go through the same rule.
        let rgba = DynamicImage::ImageRgba16(
            DynamicImage::ImageRgb8(RgbImage::from_pixel(1, 1, Rgb([200, 40, 40]))).to_rgba16(),
        );
        assert_eq!(to_gray(&rgba).get_pixel(0, 0).0[0], 200);
        let grey = GrayImage::from_pixel(2, 2, image::Luma([77]));
        assert_eq!(to_gray(&DynamicImage::ImageLuma8(grey.clone())), grey);
    }
}
