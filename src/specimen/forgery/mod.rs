//! The forgery types ([`Forgery`]) and how the generator makes each one.
//!
//! A forgery acts at one of three stages of rendering, one file each, in the
//! order the generator calls them:
//!
//! - [`mrz_text`]: the MRZ text printed instead of the true one
//!   (`check_digit_altered`, `mrz_recomputed`);
//! - [`print`](mod@print): how the MRZ and the paper are printed (`mrz_retyped`,
//!   `mrz_pasted`, `mrz_ir_invisible`, `paper_uv_glow`);
//! - [`page`]: edits to the rendered page before capture
//!   (`portrait_substituted`, `copy_move`, `viz_altered`).
//!
//! Each stage draws from the specimen's one random stream, between the
//! generator's own draws, so a corpus stays the same for a seed only if the
//! stages keep their order and each keeps the order of its draws.

pub(crate) mod mrz_text;
pub(crate) mod page;
pub(crate) mod print;

/// How a forged specimen was forged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Forgery {
    /// One MRZ character covered by a check digit changed, the digit left as
    /// it was (the label names the refuted digit).
    CheckDigitAltered,
    /// An MRZ field changed with its check digits recomputed; the visual zone
    /// keeps the old value.
    MrzRecomputed,
    /// The MRZ re-typed in a font that is not OCR-B.
    MrzRetyped,
    /// One MRZ field's characters pasted with one small offset of position,
    /// size and contrast.
    MrzPasted,
    /// The portrait replaced by another one with its own noise and compression
    /// history and hard edges.
    PortraitSubstituted,
    /// A region of the visual zone copied over another: one digit of the
    /// document number or a date over another digit of it.
    CopyMove,
    /// A visual-zone field altered (patched background, new value); the MRZ
    /// keeps the genuine value.
    VizAltered,
    /// The MRZ printed with an ink that vanishes in infrared.
    MrzIrInvisible,
    /// Paper that glows under ultraviolet (ordinary paper with brighteners).
    PaperUvGlow,
}

impl Forgery {
    /// Every forgery type.
    pub const ALL: [Forgery; 9] = [
        Forgery::CheckDigitAltered,
        Forgery::MrzRecomputed,
        Forgery::MrzRetyped,
        Forgery::MrzPasted,
        Forgery::PortraitSubstituted,
        Forgery::CopyMove,
        Forgery::VizAltered,
        Forgery::MrzIrInvisible,
        Forgery::PaperUvGlow,
    ];

    /// The label name (`check_digit_altered`, `mrz_retyped`...).
    pub fn name(self) -> &'static str {
        match self {
            Forgery::CheckDigitAltered => "check_digit_altered",
            Forgery::MrzRecomputed => "mrz_recomputed",
            Forgery::MrzRetyped => "mrz_retyped",
            Forgery::MrzPasted => "mrz_pasted",
            Forgery::PortraitSubstituted => "portrait_substituted",
            Forgery::CopyMove => "copy_move",
            Forgery::VizAltered => "viz_altered",
            Forgery::MrzIrInvisible => "mrz_ir_invisible",
            Forgery::PaperUvGlow => "paper_uv_glow",
        }
    }

    /// Whether the forgery shows only in the IR or UV companion images.
    pub fn needs_bands(self) -> bool {
        matches!(self, Forgery::MrzIrInvisible | Forgery::PaperUvGlow)
    }
}
