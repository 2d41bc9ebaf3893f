//! Synthetic holders and their documents' data.
//!
//! Names are drawn independently from lists of common surnames and given names
//! (with the diacritics real documents carry, so transliteration is exercised),
//! so every holder is a fiction: no record of a real person is used. States are
//! weighted towards those a Sahel border post meets.

use super::rng::Rng;
use crate::mrz::{Date, DocumentFields, Format, PartialDate};

const SURNAMES: &[&str] = &[
    "Traoré",
    "Diallo",
    "Keïta",
    "Coulibaly",
    "Ouédraogo",
    "Sawadogo",
    "Maïga",
    "Touré",
    "Cissé",
    "Sidibé",
    "Kaboré",
    "Zongo",
    "Issoufou",
    "Abdou",
    "Ould Ahmed",
    "Mint Mohamed",
    "Diarra",
    "Konaté",
    "Sangaré",
    "Dembélé",
    "Ndiaye",
    "Diop",
    "Fall",
    "Sow",
    "Bâ",
    "Camara",
    "Kouyaté",
    "Tall",
    "Hamani",
    "Moussa",
    "Mahamadou",
    "Boukari",
    "Compaoré",
    "Yaméogo",
    "Nikiéma",
    "Zerbo",
    "Ould Sidi",
    "Haïdara",
    "Dicko",
    "Barry",
    "Bah",
    "Sylla",
    "Kanté",
    "Mohamed Lemine",
    "Ag Alhassane",
    "Wallet Intallah",
    "Idrissa",
    "Garba",
    "Souleymane",
    "Adamou",
    "Okafor",
    "Mensah",
    "Dupont",
    "Lefèvre",
    "Müller",
    "García Núñez",
    "Rossi",
    "Van der Berg",
    "O'Connor",
    "Nowak",
    "Şahin",
    "Eriksson",
    "Haddad",
    "El Amrani",
    "Benali",
    "Nguyen",
    "Da Silva",
    "Ødegård",
    "Kowalczyk",
    "Schäfer-Weiß",
    "De La Cruz",
    "Ben Youssef",
];

const GIVEN_M: &[&str] = &[
    "Amadou",
    "Moussa",
    "Ibrahim",
    "Oumar",
    "Seydou",
    "Boubacar",
    "Abdoulaye",
    "Mamadou",
    "Issa",
    "Souleymane",
    "Hamidou",
    "Adama",
    "Yacouba",
    "Salif",
    "Idrissa",
    "Mahamane",
    "Cheikh",
    "Sidi Mohamed",
    "Ahmed",
    "Ousmane",
    "Lassina",
    "Drissa",
    "Karim",
    "Youssouf",
    "Aliou",
    "Jean-Baptiste",
    "Émile",
    "José",
    "Jörg",
    "Luca",
    "Omar",
    "Tiémoko",
    "Bakary",
    "Modibo",
];

const GIVEN_F: &[&str] = &[
    "Aminata",
    "Fatoumata",
    "Mariam",
    "Aïssata",
    "Kadiatou",
    "Hawa",
    "Rokia",
    "Salimata",
    "Ramatou",
    "Zeinabou",
    "Hadiza",
    "Mariama",
    "Awa",
    "Oumou",
    "Assétou",
    "Fanta",
    "Djénéba",
    "Safiatou",
    "Mint Salem",
    "Khadija",
    "Halima",
    "Bintou",
    "Nafissatou",
    "Korotoumou",
    "Adjaratou",
    "Hélène",
    "Zoë",
    "María José",
    "Anaïs",
    "Ingrid",
    "Maïmouna",
    "Safiétou",
];

/// Issuing states with weights (codes as written in the MRZ).
const STATES: &[(&str, u32)] = &[
    ("MLI", 16),
    ("NER", 14),
    ("BFA", 14),
    ("MRT", 12),
    ("SEN", 6),
    ("CIV", 5),
    ("GIN", 5),
    ("TCD", 4),
    ("NGA", 4),
    ("DZA", 3),
    ("MAR", 3),
    ("GHA", 2),
    ("BEN", 2),
    ("TGO", 2),
    ("GMB", 2),
    ("CMR", 2),
    ("LBY", 1),
    ("SDN", 1),
    ("FRA", 3),
    ("D<<", 1),
    ("ESP", 1),
    ("ITA", 1),
    ("BEL", 1),
    ("USA", 1),
    ("CHN", 1),
    ("TUR", 1),
];

/// A synthetic document holder.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Identity {
    /// Surname as printed in the visual zone (with diacritics).
    pub surname: String,
    /// Given names as printed.
    pub given_names: String,
    /// `M`, `F` or `X`.
    pub sex: char,
    /// Date of birth.
    pub birth_date: Date,
    /// Nationality (MRZ code).
    pub nationality: String,
    /// Place of birth (a town, for the visual zone).
    pub birth_place: String,
}

const PLACES: &[&str] = &[
    "Bamako",
    "Niamey",
    "Ouagadougou",
    "Nouakchott",
    "Gao",
    "Tombouctou",
    "Mopti",
    "Kayes",
    "Agadez",
    "Zinder",
    "Maradi",
    "Bobo-Dioulasso",
    "Koudougou",
    "Nouadhibou",
    "Kiffa",
    "Dakar",
    "Abidjan",
    "Conakry",
    "N'Djamena",
    "Kano",
    "Ségou",
    "Sikasso",
    "Tahoua",
    "Dori",
    "Rosso",
    "Atar",
    "Lyon",
    "Madrid",
];

fn weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|x| x.1).sum();
    let mut r = rng.below(u64::from(total)) as u32;
    for &(item, w) in items {
        if r < w {
            return item;
        }
        r -= w;
    }
    items.first().map_or("UTO", |x| x.0)
}

impl Identity {
    /// A random holder born between 1940 and a year before `reference`
    /// (children included).
    pub fn random(rng: &mut Rng, reference: Date) -> Identity {
        let sex = match rng.below(100) {
            0..=47 => 'M',
            48..=97 => 'F',
            _ => 'X',
        };
        let pool = match sex {
            'M' => GIVEN_M,
            'F' => GIVEN_F,
            _ => {
                if rng.chance(0.5) {
                    GIVEN_M
                } else {
                    GIVEN_F
                }
            }
        };
        let mut given = rng.pick(pool).copied().unwrap_or("Awa").to_owned();
        if rng.chance(0.3) {
            given.push(' ');
            given.push_str(rng.pick(pool).copied().unwrap_or("Awa"));
        }
        let mut surname = rng.pick(SURNAMES).copied().unwrap_or("Traoré").to_owned();
        if rng.chance(0.08) {
            surname.push(' ');
            surname.push_str(rng.pick(SURNAMES).copied().unwrap_or("Diallo"));
        }
        let start = Date::new(1940, 1, 1).map_or(0, Date::to_days);
        let end = reference.to_days() - 365;
        let birth_date = Date::from_days(rng.range(start, end.max(start + 1))).unwrap_or(Date::EPOCH);
        let nationality = if rng.chance(0.03) {
            rng.pick(&["XXA", "XXB", "XXC"]).copied().unwrap_or("XXA").to_owned()
        } else {
            weighted(rng, STATES).to_owned()
        };
        let birth_place = rng.pick(PLACES).copied().unwrap_or("Bamako").to_owned();
        Identity { surname, given_names: given, sex, birth_date, nationality, birth_place }
    }
}

/// The data of one document: its holder and the document's own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocumentData {
    /// The holder.
    pub holder: Identity,
    /// The fields written into the MRZ.
    pub fields: DocumentFields,
    /// Date of issue (printed in the visual zone).
    pub issue_date: Date,
}

fn document_number(rng: &mut Rng, format: Format, long: bool) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let mut n = String::new();
    let digits = |rng: &mut Rng, k: usize, s: &mut String| {
        for _ in 0..k {
            s.push(char::from(b'0' + rng.below(10) as u8));
        }
    };
    if format == Format::FraId {
        // YYMM + department (3) + serial (5): filled by the caller's issue date.
        digits(rng, 12, &mut n);
        return n;
    }
    if long {
        digits(rng, 12, &mut n);
        return n;
    }
    match rng.below(3) {
        0 => {
            for _ in 0..2 {
                n.push(char::from(rng.pick(LETTERS).copied().unwrap_or(b'A')));
            }
            digits(rng, 7, &mut n);
        }
        1 => {
            n.push(char::from(rng.pick(LETTERS).copied().unwrap_or(b'B')));
            digits(rng, 8, &mut n);
        }
        _ => digits(rng, 9, &mut n),
    }
    n
}

impl DocumentData {
    /// A random genuine document of `format`, issued before `reference` and valid
    /// on it (visas and cards included).
    pub fn random(rng: &mut Rng, format: Format, reference: Date) -> DocumentData {
        let mut holder = Identity::random(rng, reference);
        let issuing_state = if format == Format::FraId {
            holder.nationality = "FRA".into();
            "FRA".to_owned()
        } else if matches!(format, Format::MrvA | Format::MrvB) {
            // Visas are issued by the destination state.
            weighted(rng, STATES).to_owned()
        } else if holder.nationality.starts_with("XX") {
            // Travel documents for stateless persons and refugees: the host state.
            weighted(rng, STATES).to_owned()
        } else {
            holder.nationality.clone()
        };
        let validity_years: i32 = match format {
            Format::Td3 => *rng.pick(&[5, 10]).unwrap_or(&10),
            Format::MrvA | Format::MrvB => 1,
            Format::FraId => 15,
            _ => 10,
        };
        // Issued at least 1 day before the reference and still valid on it.
        let max_age_days = (i64::from(validity_years) * 365 - 30).max(31);
        let issue = Date::from_days(reference.to_days() - rng.range(1, max_age_days)).unwrap_or(reference);
        let issue = if issue < holder.birth_date { holder.birth_date.add_years(1).unwrap_or(reference) } else { issue };
        let expiry = issue.add_years(validity_years).unwrap_or(reference);
        let long = matches!(format, Format::Td1 | Format::Td2) && rng.chance(0.15);
        let mut number = document_number(rng, format, long);
        let mut optional = String::new();
        if format == Format::FraId {
            // Card number starts with the issue year and month.
            let dept = format!("{:02}{}", rng.range(1, 95), rng.below(10));
            number =
                format!("{:02}{:02}{}{}", issue.year() % 100, issue.month(), dept, number.get(0..5).unwrap_or("00000"));
            optional = format!("{dept}{:03}", rng.range(1, 999));
        } else if rng.chance(0.5) && !(long && format == Format::Td2) {
            // A personal number in the optional data (digits only).
            let len = match format {
                Format::Td3 => 9 + rng.below(5) as usize,
                Format::Td1 => {
                    if long {
                        2
                    } else {
                        9
                    }
                }
                Format::MrvA => 9,
                _ => 5,
            };
            for _ in 0..len {
                optional.push(char::from(b'0' + rng.below(10) as u8));
            }
        }
        let document_code = match format {
            Format::Td3 => *rng.pick(&["P", "P", "P", "PO", "PD"]).unwrap_or(&"P"),
            Format::Td1 | Format::Td2 => *rng.pick(&["I", "ID", "I", "AR", "IR"]).unwrap_or(&"I"),
            Format::MrvA | Format::MrvB => "V",
            Format::FraId => "ID",
        };
        let birth: PartialDate = if rng.chance(0.02) {
            // Unknown day and month (Doc 9303 allows fillers).
            PartialDate::new(holder.birth_date.year(), None, None).unwrap_or(holder.birth_date.into())
        } else {
            holder.birth_date.into()
        };
        let fields = DocumentFields {
            format,
            document_code: document_code.into(),
            issuing_state,
            document_number: number,
            nationality: holder.nationality.clone(),
            birth_date: birth,
            sex: holder.sex,
            expiry_date: (format != Format::FraId).then_some(expiry),
            surname: holder.surname.clone(),
            given_names: holder.given_names.clone(),
            optional_data: optional,
            optional_data_2: String::new(),
        };
        DocumentData { holder, fields, issue_date: issue }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mrz::{generate, parse};

    #[test]
    fn generated_documents_are_valid() {
        let reference = Date::new(2026, 6, 1).unwrap();
        let mut rng = Rng::new(42);
        for i in 0..3000 {
            let format = Format::ALL[i % Format::ALL.len()];
            let d = DocumentData::random(&mut rng, format, reference);
            let text = generate(&d.fields).unwrap_or_else(|e| panic!("{e}: {d:?}"));
            let m = parse(&text).unwrap();
            let v = m.validate(reference);
            assert!(v.is_valid(), "{text}\n{v:?}");
            let expiry = v.outcome(crate::mrz::Rule::Expiry);
            if format == Format::FraId {
                assert_eq!(expiry, crate::mrz::Outcome::NotApplicable, "no expiry in the French ID's MRZ");
            } else {
                assert_eq!(expiry, crate::mrz::Outcome::Pass, "{text}");
            }
        }
    }
}
