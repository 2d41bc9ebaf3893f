//! Decoding under explicit limits: a hostile or huge file is an error, never
//! an out-of-memory.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::ScanError;
use crate::config::DecodeLimits;

/// Decodes image bytes (JPEG, PNG, TIFF including 16-bit and grey, BMP,
/// WebP) within `limits`, upright: an EXIF orientation (JPEG, TIFF, WebP,
/// PNG) is applied as image viewers apply it, so a phone photo stored
/// turned or mirrored reads as it is shown. A damaged orientation tag is
/// ignored (the pixels as stored). A PNG or JPEG whose pixels exceed the
/// allocation limit is decoded at a reduced resolution when one fits
/// ([`decode_reducing`] says by how much).
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
    decode_reducing(bytes, limits).map(|d| d.image)
}

/// An image decoded within limits.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Decoded {
    /// The pixels, upright.
    pub image: DynamicImage,
    /// The factor the resolution was divided by to fit the allocation limit
    /// (1: decoded whole; 2, 3 or 4: each output pixel the mean of a block
    /// of that side).
    pub reduction: u32,
}

/// The largest reduction [`decode_reducing`] applies: an A4 page at
/// 1 200 dpi still reads at 300.
pub const MAX_REDUCTION: u32 = 4;

/// [`decode`], saying whether the image had to be reduced: a PNG (not
/// interlaced) or a sequential (baseline) JPEG
/// whose pixels exceed `limits.max_alloc` is decoded at 1/2, 1/3 or 1/4 of
/// its resolution (1/2 or 1/4 for JPEG, by its scaled transform), the
/// smallest reduction that fits; 16-bit samples become 8-bit. An image
/// that fits no reduction, or another format, is refused as too large
/// with its dimensions and the limit.
///
/// # Errors
///
/// As [`decode`].
///
/// # Examples
///
/// ```
/// use mrtd_verify::DecodeLimits;
/// use mrtd_verify::image::{DynamicImage, ImageFormat, Rgba, Rgba32FImage};
/// use mrtd_verify::scan::decode_reducing;
/// // 1000 x 800 RGBA of 16 bits: 6.1 MiB of pixels, under a 2 MiB limit.
/// let big = DynamicImage::ImageRgba32F(Rgba32FImage::from_pixel(1000, 800, Rgba([0.9; 4]))).to_rgba16();
/// let mut png = Vec::new();
/// DynamicImage::ImageRgba16(big).write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)?;
/// let d = decode_reducing(&png, &DecodeLimits::default().max_alloc(2 << 20))?;
/// assert_eq!((d.reduction, d.image.width(), d.image.height()), (2, 500, 400));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode_reducing(bytes: &[u8], limits: &DecodeLimits) -> Result<Decoded, ScanError> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| ScanError::Decode(Box::new(e)))?;
    let format = reader.format();
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
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // The pixel buffer counts against the allocation limit before it is
    // allocated (as `ImageReader::decode` does).
    let (w, h) = decoder.dimensions();
    let (color, needed) = (decoder.color_type(), decoder.total_bytes());
    if l.reserve(needed).is_err() {
        drop(decoder);
        let reduced = match format {
            Some(ImageFormat::Png) => png_reduced(bytes, limits)?,
            Some(ImageFormat::Jpeg) => jpeg_reduced(bytes, w, h, limits.max_alloc)?,
            _ => None,
        };
        let Some((mut image, reduction)) = reduced else {
            return Err(ScanError::TooLarge {
                max_side: limits.max_side,
                max_alloc: limits.max_alloc,
                source: format!("{w} x {h} pixels of {color:?} need {} MiB", needed.div_ceil(1 << 20)).into(),
            });
        };
        image.apply_orientation(orientation);
        return Ok(Decoded { image, reduction });
    }
    let mut image = DynamicImage::from_decoder(decoder).map_err(scan_error)?;
    image.apply_orientation(orientation);
    Ok(Decoded { image, reduction: 1 })
}

/// The smallest of `factors` at which `w` x `h` pixels of `channels` bytes
/// take at most `budget` bytes `copies` times over.
fn reduction_within(w: u32, h: u32, channels: u64, copies: u64, budget: u64, factors: &[u32]) -> Option<u32> {
    factors.iter().copied().find(|&k| u64::from(w.div_ceil(k)) * u64::from(h.div_ceil(k)) * channels * copies <= budget)
}

/// A PNG decoded row by row into blocks of `k` x `k` pixels averaged, at
/// the smallest `k` whose output fits half the allocation limit (the
/// decoder's own buffers, one row and any compressed metadata, get the
/// other half). `None` when none fits or the PNG is interlaced (its rows
/// come in passes).
fn png_reduced(bytes: &[u8], limits: &DecodeLimits) -> Result<Option<(DynamicImage, u32)>, ScanError> {
    let budget = limits.max_alloc;
    let fail = |e: png::DecodingError| match e {
        png::DecodingError::LimitsExceeded => ScanError::TooLarge {
            max_side: limits.max_side,
            max_alloc: budget,
            source: "the PNG decoder's buffers exceed the allocation limit".into(),
        },
        other if matches!(&other, png::DecodingError::IoError(_)) || ends_early(bytes) => {
            ScanError::Truncated(Some(Box::new(other)))
        }
        other => ScanError::Decode(Box::new(other)),
    };
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    decoder.set_limits(png::Limits { bytes: usize::try_from(budget / 2).unwrap_or(usize::MAX) });
    let mut reader = decoder.read_info().map_err(fail)?;
    if reader.info().interlaced {
        return Ok(None);
    }
    let (w, h) = (reader.info().width, reader.info().height);
    let (stride, grey) = match reader.output_color_type().0 {
        png::ColorType::Grayscale => (1, true),
        png::ColorType::GrayscaleAlpha => (2, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (4, false),
        png::ColorType::Indexed => return Ok(None),
    };
    let channels: usize = if grey { 1 } else { 3 };
    let Some(k) = reduction_within(w, h, channels as u64, 2, budget, &[2, 3, MAX_REDUCTION]) else { return Ok(None) };
    let (ow, oh) = (w.div_ceil(k), h.div_ceil(k));
    let (kk, wide) = (k as usize, ow as usize * channels);
    let mut out = vec![0u8; wide * oh as usize];
    let mut sums = vec![0u32; wide];
    let (mut rows, mut y) = (0u32, 0u32);
    let mut blocks = out.chunks_mut(wide);
    while let Some(row) = reader.next_row().map_err(fail)? {
        for (x, px) in row.data().chunks_exact(stride).take(w as usize).enumerate() {
            let at = (x / kk) * channels;
            for (s, &v) in sums.iter_mut().skip(at).take(channels).zip(px) {
                *s += u32::from(v);
            }
        }
        rows += 1;
        y += 1;
        if rows == k || y == h {
            let Some(block) = blocks.next() else { break };
            for (i, (o, s)) in block.iter_mut().zip(sums.iter_mut()).enumerate() {
                // The last block of a row may be narrower.
                let cols = (w - (i / channels) as u32 * k).min(k);
                let n = cols * rows;
                *o = ((*s + n / 2) / n.max(1)) as u8;
                *s = 0;
            }
            rows = 0;
        }
    }
    if y < h {
        return Err(ScanError::Truncated(None));
    }
    let image = if grey {
        GrayImage::from_raw(ow, oh, out).map(DynamicImage::ImageLuma8)
    } else {
        image::RgbImage::from_raw(ow, oh, out).map(DynamicImage::ImageRgb8)
    };
    Ok(image.map(|i| (i, k)))
}

/// A JPEG decoded by its scaled transform at 1/2 or 1/4, the smallest that
/// fits `budget` (the output and the decoder's planes of the same size).
/// `None` when none fits, for a JPEG that is not sequential (a progressive
/// one keeps every coefficient of the whole image: more than the budget
/// whenever a reduction is needed), for CMYK and 16-bit JPEGs, and when the
/// decoder's header or output size disagrees with what was asked.
fn jpeg_reduced(bytes: &[u8], w: u32, h: u32, budget: u64) -> Result<Option<(DynamicImage, u32)>, ScanError> {
    let fail = |e: jpeg_decoder::Error| {
        if ends_early(bytes) { ScanError::Truncated(Some(Box::new(e))) } else { ScanError::Decode(Box::new(e)) }
    };
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().map_err(fail)?;
    let Some(info) = decoder.info() else { return Ok(None) };
    if info.coding_process != jpeg_decoder::CodingProcess::DctSequential
        || (u32::from(info.width), u32::from(info.height)) != (w, h)
    {
        return Ok(None);
    }
    let channels: u64 = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        _ => return Ok(None),
    };
    let Some(k) = reduction_within(w, h, channels, 2, budget, &[2, MAX_REDUCTION]) else { return Ok(None) };
    let want = |side: u32| u16::try_from(side.div_ceil(k)).unwrap_or(u16::MAX);
    let (ow, oh) = decoder.scale(want(w), want(h)).map_err(fail)?;
    if (u32::from(ow), u32::from(oh)) != (w.div_ceil(k), h.div_ceil(k)) {
        // The decoder picked another scale (a very thin image): not the
        // reduction that was checked against the budget.
        return Ok(None);
    }
    decoder.set_max_decoding_buffer_size(usize::try_from(budget).unwrap_or(usize::MAX));
    // The decoder hands components to worker threads and `expect`s them to
    // answer: should one fail, that is this file's decoding error, not a
    // panic through the batch.
    let pixels = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| decoder.decode()))
        .map_err(|_| ScanError::Decode("the JPEG decoder failed on this file".into()))?
        .map_err(fail)?;
    let (ow, oh) = (u32::from(ow), u32::from(oh));
    let image = if channels == 1 {
        GrayImage::from_raw(ow, oh, pixels).map(DynamicImage::ImageLuma8)
    } else {
        image::RgbImage::from_raw(ow, oh, pixels).map(DynamicImage::ImageRgb8)
    };
    Ok(image.map(|i| (i, k)))
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

    fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Vec::new();
        image.write_to(&mut Cursor::new(&mut bytes), format).unwrap();
        bytes
    }

    #[test]
    fn a_png_too_large_is_decoded_at_a_reduced_resolution_block_by_block() {
        // 7 x 5 pixels of 16-bit RGBA, each pixel's value its position, so
        // every block's mean is known; the last column and row of blocks
        // are narrower.
        let big = image::ImageBuffer::from_fn(7, 5, |x, y| {
            let v = ((x * 10 + y) * 256) as u16;
            image::Rgba([v, 65535 - v, 1000, 65535])
        });
        let png = encoded(&DynamicImage::ImageRgba16(big), ImageFormat::Png);
        // 7 x 5 x 8 = 280 bytes whole; 4 x 3 x 3 = 36 at half resolution.
        let limits = DecodeLimits::default().max_alloc(100);
        let d = decode_reducing(&png, &limits).unwrap();
        assert_eq!((d.reduction, d.image.width(), d.image.height()), (2, 4, 3));
        let rgb = d.image.to_rgb8();
        // Block (0, 0): x 0..2, y 0..2, 8-bit values x * 10 + y: 0, 10, 1
        // and 11, a mean of 5.5, rounded up.
        assert_eq!(rgb.get_pixel(0, 0).0[0], 6);
        // The last block of a row is one column wide: x 6, y 0..2 (60, 61).
        assert_eq!(rgb.get_pixel(3, 0).0[0], 61);
        // The last row of blocks is one row tall: y 4.
        assert_eq!(rgb.get_pixel(3, 2).0[0], 64);
        assert_eq!(rgb.get_pixel(3, 2).0[1], 255 - 64);
        // Within the limit: decoded whole, as before.
        let whole = decode_reducing(&png, &DecodeLimits::default()).unwrap();
        assert_eq!((whole.reduction, whole.image.width()), (1, 7));
        // No reduction fits: refused.
        let err = decode_reducing(&png, &DecodeLimits::default().max_alloc(5)).unwrap_err();
        assert!(matches!(err, ScanError::TooLarge { .. }), "{err:?}");
        // Grey stays grey.
        let grey = GrayImage::from_fn(9, 9, |x, _| image::Luma([(x * 20) as u8]));
        let png = encoded(&DynamicImage::ImageLuma8(grey), ImageFormat::Png);
        let d = decode_reducing(&png, &DecodeLimits::default().max_alloc(20)).unwrap();
        assert_eq!(d.reduction, 3);
        let DynamicImage::ImageLuma8(g) = d.image else { panic!("grey in, grey out") };
        assert_eq!(g.get_pixel(1, 1).0[0], 80);
    }

    #[test]
    fn a_png_cut_short_while_reduced_is_truncated_not_a_partial_page() {
        let rgb = RgbImage::from_fn(300, 200, |x, y| Rgb([(x ^ y) as u8, (x * 7) as u8, (y * 3) as u8]));
        let png = encoded(&DynamicImage::ImageRgb8(rgb), ImageFormat::Png);
        let limits = DecodeLimits::default().max_alloc(100_000);
        assert_eq!(decode_reducing(&png, &limits).unwrap().reduction, 2);
        let cut = png.get(..png.len() * 2 / 3).unwrap();
        assert!(matches!(decode_reducing(cut, &limits), Err(ScanError::Truncated(_))));
    }

    #[test]
    fn a_jpeg_too_large_is_decoded_by_its_scaled_transform() {
        let rgb = RgbImage::from_fn(400, 240, |x, _| if x < 200 { Rgb([30, 30, 30]) } else { Rgb([220, 200, 180]) });
        let jpeg = encoded(&DynamicImage::ImageRgb8(rgb), ImageFormat::Jpeg);
        // 288 000 bytes whole; the output and the planes at half size twice 72 000.
        let limits = DecodeLimits::default().max_alloc(150_000);
        let d = decode_reducing(&jpeg, &limits).unwrap();
        assert_eq!((d.reduction, d.image.width(), d.image.height()), (2, 200, 120));
        let p = d.image.to_rgb8();
        assert!(p.get_pixel(50, 60).0[0] < 60 && p.get_pixel(150, 60).0[0] > 190);
        let d = decode_reducing(&jpeg, &DecodeLimits::default().max_alloc(40_000)).unwrap();
        assert_eq!((d.reduction, d.image.width()), (4, 100));
    }

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
