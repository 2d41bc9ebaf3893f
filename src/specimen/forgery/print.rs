//! Forgeries in how the document is printed, set in the print style before
//! the page is drawn: the MRZ re-typed in another font (`mrz_retyped`), a
//! field's characters pasted with offsets (`mrz_pasted`), the MRZ in an ink
//! that vanishes in infrared (`mrz_ir_invisible`), paper that glows under
//! ultraviolet (`paper_uv_glow`).

use super::Forgery;
use crate::mrz::{self, FieldId};
use crate::specimen::canvas::Ink;
use crate::specimen::fonts::Face;
use crate::specimen::label::ForgeryDetail;
use crate::specimen::render::{MrzStyle, Paste};
use crate::specimen::rng::Rng;

/// Paper with optical brighteners, as it glows under ultraviolet.
const GLOWING_PAPER_UV: [u8; 3] = [175, 180, 235];

/// Changes the MRZ's print style and the paper's ultraviolet colour as
/// `forgery` does (nothing for a forgery of another stage), recording what it
/// changed in `detail`. `true_text` is the true MRZ, whose spans place a
/// pasted field.
pub(crate) fn forge(
    forgery: Forgery,
    true_text: &str,
    rng: &mut Rng,
    mrz_style: &mut MrzStyle,
    paper_uv: &mut [u8; 3],
    detail: &mut ForgeryDetail,
) {
    match forgery {
        Forgery::MrzRetyped => {
            // The font from a stream of its own: the other draws, and so the
            // rest of every corpus, stay as they were.
            let mut pick = rng.fork(0xF0A7);
            let face = *pick.pick(&Face::RETYPE).unwrap_or(&Face::Mono);
            mrz_style.face = face;
            detail.font = Some(face.name().to_owned());
        }
        Forgery::MrzIrInvisible => mrz_style.ink = Ink::Colour([30, 30, 36]),
        Forgery::PaperUvGlow => *paper_uv = GLOWING_PAPER_UV,
        Forgery::MrzPasted => mrz_pasted(true_text, rng, mrz_style, detail),
        _ => {}
    }
}

/// A field re-pasted: its characters share one offset of position, size and
/// contrast.
fn mrz_pasted(true_text: &str, rng: &mut Rng, mrz_style: &mut MrzStyle, detail: &mut ForgeryDetail) {
    let m = mrz::parse(true_text).ok();
    let field =
        *rng.pick(&[FieldId::DocumentNumber, FieldId::BirthDate, FieldId::ExpiryDate]).unwrap_or(&FieldId::BirthDate);
    if let Some(span) = m.and_then(|m| m.span(field).or_else(|| m.span(FieldId::BirthDate))) {
        let dx = rng.uniform(0.15, 0.35) as f32 * if rng.chance(0.5) { 1.0 } else { -1.0 };
        let dy = rng.uniform(0.15, 0.35) as f32 * if rng.chance(0.5) { 1.0 } else { -1.0 };
        let size = rng.uniform(1.06, 1.14) as f32;
        let contrast = rng.uniform(0.7, 0.85) as f32;
        for c in span.range() {
            mrz_style.pasted.push(((usize::from(span.line), c), Paste { dx, dy, size, contrast }));
            detail.pasted.push((usize::from(span.line), c));
        }
        detail.field = Some(field.name().into());
    }
}
