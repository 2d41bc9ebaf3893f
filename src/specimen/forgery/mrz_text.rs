//! Forgeries of the MRZ text, made before anything is drawn: a character
//! changed under its check digit (`check_digit_altered`), or a field changed
//! with every check digit recomputed (`mrz_recomputed`). The visual zone is
//! drawn from the true data either way.

use super::Forgery;
use crate::mrz::{self, CheckId, Date, DocumentFields, GenerateError, PartialDate};
use crate::specimen::label::ForgeryDetail;
use crate::specimen::rng::Rng;
use crate::specimen::text::alter_checked;

/// The MRZ lines `forgery` prints instead of the true ones (`true_text`, made
/// from `fields`), recording what it changed in `detail`. `None` when the
/// forgery acts at another stage, or found nothing to alter: the true lines
/// are printed.
///
/// # Errors
///
/// When the altered fields cannot be written as an MRZ.
pub(crate) fn forge(
    forgery: Forgery,
    fields: &DocumentFields,
    true_text: &str,
    reference: Date,
    rng: &mut Rng,
    detail: &mut ForgeryDetail,
) -> Result<Option<Vec<String>>, GenerateError> {
    match forgery {
        Forgery::CheckDigitAltered => Ok(check_digit_altered(true_text, reference, rng, detail)),
        Forgery::MrzRecomputed => mrz_recomputed(fields, rng, detail).map(Some),
        _ => Ok(None),
    }
}

/// One character changed under a check digit drawn from the document's, the
/// digit left as it was; up to eight check digits are drawn until one can be
/// refuted.
fn check_digit_altered(
    true_text: &str,
    reference: Date,
    rng: &mut Rng,
    detail: &mut ForgeryDetail,
) -> Option<Vec<String>> {
    let m = mrz::parse(true_text).ok();
    let checks: Vec<CheckId> = m.map(|m| m.check_digits().map(|c| c.id).collect()).unwrap_or_default();
    for _ in 0..8 {
        let &check = rng.pick(&checks)?;
        if let Some((altered, _)) = alter_checked(rng, true_text, check, reference) {
            detail.refuted_check = Some(check);
            return Some(altered.lines().map(str::to_owned).collect());
        }
    }
    None
}

/// The birth date made younger, the expiry pushed back (the surname
/// lengthened on a document without an expiry), or the surname replaced; the
/// MRZ written again with consistent check digits.
fn mrz_recomputed(
    fields: &DocumentFields,
    rng: &mut Rng,
    detail: &mut ForgeryDetail,
) -> Result<Vec<String>, GenerateError> {
    let mut f = fields.clone();
    let field = match rng.below(3) {
        0 => {
            // Younger by some years.
            let b = f.birth_date;
            f.birth_date = PartialDate::new(b.year() + rng.range(3, 12) as u16, b.month(), b.day().map(|d| d.min(28)))
                .unwrap_or(b);
            "birth_date"
        }
        1 => {
            let e = f.expiry_date.and_then(|e| e.add_years(rng.range(3, 8) as i32));
            f.expiry_date = e.or(f.expiry_date);
            if f.expiry_date.is_none() {
                f.surname = format!("{}A", f.surname);
                "surname"
            } else {
                "expiry_date"
            }
        }
        _ => {
            f.surname = rng.pick(&["Keita", "Diallo", "Sow", "Toure", "Mensah"]).copied().unwrap_or("Sow").to_owned();
            "surname"
        }
    };
    let text = mrz::generate(&f)?;
    detail.field = Some(field.into());
    Ok(text.lines().map(str::to_owned).collect())
}
