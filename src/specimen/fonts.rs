//! The fonts the generator embeds (see `assets/fonts/README.md` for licences).

use ab_glyph::{Font, FontRef, GlyphId, PxScale};

static OCRB: &[u8] = include_bytes!("../../assets/fonts/OCRB.otf");
static OCRB_SHARP: &[u8] = include_bytes!("../../assets/fonts/OCRBS.otf");
static SANS: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
static SERIF: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf");
static MONO: &[u8] = include_bytes!("../../assets/fonts/LiberationMono-Regular.ttf");
static MONO_DEJAVU: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");
static MONO_INCONSOLATA: &[u8] = include_bytes!("../../assets/fonts/Inconsolata.otf");

/// A font of the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Face {
    /// OCR-B, for the MRZ.
    OcrB,
    /// OCR-B with squarer strokes ("sharp" variant of the same family).
    OcrBSharp,
    /// Sans-serif, regular.
    Sans,
    /// Sans-serif, bold.
    SansBold,
    /// Serif.
    Serif,
    /// A monospaced font that is not OCR-B (forgeries): Liberation Mono.
    Mono,
    /// Another: DejaVu Sans Mono.
    MonoDejaVu,
    /// Another: Inconsolata.
    MonoInconsolata,
}

impl Face {
    /// The monospaced fonts an MRZ can be re-typed in.
    pub(crate) const RETYPE: [Face; 3] = [Face::Mono, Face::MonoDejaVu, Face::MonoInconsolata];

    /// The font's name, for labels.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Face::OcrB => "OCR-B",
            Face::OcrBSharp => "OCR-B sharp",
            Face::Sans => "Liberation Sans",
            Face::SansBold => "Liberation Sans Bold",
            Face::Serif => "Liberation Serif",
            Face::Mono => "Liberation Mono",
            Face::MonoDejaVu => "DejaVu Sans Mono",
            Face::MonoInconsolata => "Inconsolata",
        }
    }
}

/// The parsed fonts, loaded once per generator.
pub(crate) struct Fonts {
    ocrb: FontRef<'static>,
    ocrb_sharp: FontRef<'static>,
    sans: FontRef<'static>,
    sans_bold: FontRef<'static>,
    serif: FontRef<'static>,
    mono: FontRef<'static>,
    mono_dejavu: FontRef<'static>,
    mono_inconsolata: FontRef<'static>,
}

/// A font failed to parse (the embedded files are fixed, so this is a build
/// defect, reported rather than panicking).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("an embedded font could not be parsed")]
pub(crate) struct FontError;

impl Fonts {
    pub(crate) fn load() -> Result<Fonts, FontError> {
        let parse = |b: &'static [u8]| FontRef::try_from_slice(b).map_err(|_| FontError);
        Ok(Fonts {
            ocrb: parse(OCRB)?,
            ocrb_sharp: parse(OCRB_SHARP)?,
            sans: parse(SANS)?,
            sans_bold: parse(SANS_BOLD)?,
            serif: parse(SERIF)?,
            mono: parse(MONO)?,
            mono_dejavu: parse(MONO_DEJAVU)?,
            mono_inconsolata: parse(MONO_INCONSOLATA)?,
        })
    }

    pub(crate) fn get(&self, face: Face) -> &FontRef<'static> {
        match face {
            Face::OcrB => &self.ocrb,
            Face::OcrBSharp => &self.ocrb_sharp,
            Face::Sans => &self.sans,
            Face::SansBold => &self.sans_bold,
            Face::Serif => &self.serif,
            Face::Mono => &self.mono,
            Face::MonoDejaVu => &self.mono_dejavu,
            Face::MonoInconsolata => &self.mono_inconsolata,
        }
    }

    /// The `PxScale` that gives capital letters a height of `cap_px` pixels.
    pub(crate) fn scale_for_cap(&self, face: Face, cap_px: f32) -> PxScale {
        let font = self.get(face);
        let cap_units = font
            .outline(font.glyph_id('H'))
            .map(|o| o.bounds.max.y - o.bounds.min.y)
            .filter(|h| *h > 0.0)
            .unwrap_or(font.units_per_em().unwrap_or(1000.0) * 0.7);
        PxScale::from(cap_px * font.height_unscaled() / cap_units)
    }

    pub(crate) fn glyph_id(&self, face: Face, c: char) -> GlyphId {
        self.get(face).glyph_id(c)
    }
}
