//! What a rendered specimen is, exactly: its [`Truth`] (genuine, forged, or
//! genuine with invalid data) and its [`Label`], the record written next to
//! the images (one `labels.jsonl` line per document with the `serde`
//! feature): the MRZ as printed and as true, the visual zone, every capture
//! parameter, where a forgery acted, and the geometry of the page, the MRZ and
//! each of its characters in output pixels.

use super::capture::Capture;
use super::forgery::Forgery;
use super::invalid::InvalidData;
use super::render::VizValues;
use crate::mrz::{CheckId, Format};

/// What a specimen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Truth {
    /// A genuine, valid document.
    Genuine,
    /// Forged.
    Forged(Forgery),
    /// Genuine but with invalid data.
    Invalid(InvalidData),
}

pub use crate::geometry::Quad;

/// One MRZ character's geometry.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CharLabel {
    /// Line, from 0.
    pub line: usize,
    /// Position in the line, from 0.
    pub index: usize,
    /// The character printed.
    pub ch: char,
    /// The glyph's ink box.
    #[cfg_attr(feature = "serde", serde(with = "crate::geometry::as_points"))]
    pub ink: Quad,
    /// The character cell (pitch wide, cap height tall).
    #[cfg_attr(feature = "serde", serde(with = "crate::geometry::as_points"))]
    pub cell: Quad,
}

/// Where and what a forgery changed.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ForgeryDetail {
    /// The check digit a `check_digit_altered` forgery refutes.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub refuted_check: Option<CheckId>,
    /// The field changed (MRZ or visual zone key).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub field: Option<String>,
    /// The value before the forgery.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub original: Option<String>,
    /// The region changed (output pixels).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none", with = "crate::geometry::as_points::option")
    )]
    pub region: Option<Quad>,
    /// The source of a copy-move (output pixels).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none", with = "crate::geometry::as_points::option")
    )]
    pub source_region: Option<Quad>,
    /// The font an `mrz_retyped` forgery printed the MRZ in.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub font: Option<String>,
    /// How a `portrait_substituted` forgery pasted the photo: `hard` (straight
    /// edges, the photo as it came) or `feathered` (edges blended over a
    /// millimetre or so, colours matched to the portrait it covers).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub style: Option<String>,
    /// MRZ characters printed with offsets, as (line, index).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub pasted: Vec<(usize, usize)>,
}

/// A printed text line of the visual zone (a value, a caption or a header
/// line), as the renderer laid it out.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VizText {
    /// `header`, `caption`, or the field's key (`surname`, `birth_date`...).
    pub key: String,
    /// The text printed.
    pub text: String,
    /// Each character's box (advance wide, cap height tall) in the output
    /// image, one per `char` of `text`.
    pub chars: Vec<Quad>,
}

/// The label of a rendered specimen.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Label {
    /// Image file name (visible light).
    pub file: String,
    /// Infrared companion, when rendered.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub ir_file: Option<String>,
    /// Ultraviolet companion, when rendered.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub uv_file: Option<String>,
    /// Corpus seed.
    pub seed: u64,
    /// Index in the corpus.
    pub index: u64,
    /// The document's format.
    pub format: Format,
    /// Genuine or not.
    pub genuine: bool,
    /// The forgery type, if forged.
    pub forgery: Option<Forgery>,
    /// Invalid data, if any (not a forgery).
    pub invalid: Option<InvalidData>,
    /// Details of the forgery.
    #[cfg_attr(feature = "serde", serde(default))]
    pub detail: ForgeryDetail,
    /// The MRZ lines exactly as printed.
    pub mrz_lines: Vec<String>,
    /// The true document data (what a genuine MRZ would encode).
    pub true_mrz_lines: Vec<String>,
    /// The visual zone as printed.
    pub viz: VizValues,
    /// Every capture parameter.
    pub capture: Capture,
    /// The page's corners in the output image.
    #[cfg_attr(feature = "serde", serde(with = "crate::geometry::as_points"))]
    pub page_quad: Quad,
    /// The MRZ zone's corners in the output image.
    #[cfg_attr(feature = "serde", serde(with = "crate::geometry::as_points"))]
    pub mrz_quad: Quad,
    /// The portrait's corners in the output image.
    #[cfg_attr(feature = "serde", serde(with = "crate::geometry::as_points"))]
    pub portrait_quad: Quad,
    /// Each MRZ character's geometry, line by line.
    pub chars: Vec<CharLabel>,
    /// Nominal MRZ character (cap) height in output pixels.
    pub mrz_char_height_px: f32,
    /// Nominal MRZ pitch (one character cell's width) in output pixels.
    pub mrz_pitch_px: f32,
    /// Output image width in pixels.
    pub width: u32,
    /// Output image height in pixels.
    pub height: u32,
    /// Every text line of the visual zone with its characters' boxes (not
    /// serialised: it is for building training data).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub viz_text: Vec<VizText>,
}
