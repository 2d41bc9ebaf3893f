//! A decoded page: the colour image as scanned and the grey page the MRZ is
//! read from, made once and kept for every check.

use image::{DynamicImage, GrayImage, RgbImage};

use super::decode::{brightest_channel, to_gray};

/// One band of a scan, decoded: the colour image (`None` for a grey scan) and
/// the grey page (each pixel's brightest channel, see [`to_gray`]).
///
/// # Examples
///
/// ```
/// use mrtd_verify::image::{DynamicImage, Rgb, RgbImage};
/// use mrtd_verify::scan::Page;
/// let page = Page::new(DynamicImage::ImageRgb8(RgbImage::from_pixel(4, 3, Rgb([200, 30, 40]))));
/// assert_eq!(page.dimensions(), (4, 3));
/// assert_eq!(page.grey().get_pixel(0, 0).0[0], 200);
/// assert!(page.colour().is_some());
/// ```
#[derive(Debug, Clone)]
pub struct Page {
    colour: Option<RgbImage>,
    grey: GrayImage,
    reduction: u32,
    truncated: bool,
}

impl Page {
    /// The page of a decoded image; 16-bit and alpha images are reduced to
    /// 8-bit colour (alpha dropped), grey images keep no colour copy.
    pub fn new(image: DynamicImage) -> Page {
        match image {
            DynamicImage::ImageRgb8(rgb) => {
                Page { grey: brightest_channel(&rgb), colour: Some(rgb), reduction: 1, truncated: false }
            }
            DynamicImage::ImageLuma8(g) => Page { grey: g, colour: None, reduction: 1, truncated: false },
            grey @ (DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA8(_) | DynamicImage::ImageLumaA16(_)) => {
                Page { grey: to_gray(&grey), colour: None, reduction: 1, truncated: false }
            }
            other => {
                let rgb = other.to_rgb8();
                Page { grey: brightest_channel(&rgb), colour: Some(rgb), reduction: 1, truncated: false }
            }
        }
    }

    /// A page from a grey image alone.
    pub fn from_grey(grey: GrayImage) -> Page {
        Page { colour: None, grey, reduction: 1, truncated: false }
    }

    /// The grey page.
    pub fn grey(&self) -> &GrayImage {
        &self.grey
    }

    /// The colour image, unless the scan was grey.
    pub fn colour(&self) -> Option<&RgbImage> {
        self.colour.as_ref()
    }

    /// The page of an image decoded at a reduced resolution
    /// ([`super::decode_reducing`]): `reduction` is the factor.
    pub fn reduced(image: DynamicImage, reduction: u32) -> Page {
        Page { reduction: reduction.max(1), ..Page::new(image) }
    }

    /// The factor the scan's resolution was divided by when it was decoded
    /// (1: whole).
    pub fn reduction(&self) -> u32 {
        self.reduction
    }

    /// Whether the file ended before its image did (see
    /// [`super::ends_early`]): the decoder filled what was missing, so the
    /// page's last rows are not the document's.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// Marked as decoded from a file that ended before its image did.
    #[cfg(feature = "ocr")]
    pub(crate) fn cut_short(self, truncated: bool) -> Page {
        Page { truncated, ..self }
    }

    /// Width and height in pixels.
    pub fn dimensions(&self) -> (u32, u32) {
        self.grey.dimensions()
    }
}
