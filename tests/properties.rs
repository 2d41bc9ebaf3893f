//! Property tests: generation then parsing is the identity; no input panics;
//! repair never accepts a wrong MRZ; the text layer agrees with a naive
//! reference.

use mrtd_verify::mrz::{self, Date, DocumentFields, Format, PartialDate};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

fn format_strategy() -> impl Strategy<Value = Format> {
    prop::sample::select(Format::ALL.to_vec())
}

fn letters(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Z]{{{min},{max}}}")).unwrap()
}

fn date_strategy(lo: u16, hi: u16) -> impl Strategy<Value = Date> {
    (lo..=hi, 1u8..=12, 1u8..=31).prop_filter_map("real date", |(y, m, d)| Date::new(y, m, d))
}

prop_compose! {
    fn fields_strategy()(
        format in format_strategy(),
        code2 in prop::sample::select(vec!["", "D", "O", "<"]),
        state in prop::sample::select(mrz::known_countries().filter(|c| *c != "D<<").collect::<Vec<_>>()),
        nationality in prop::sample::select(mrz::known_countries().collect::<Vec<_>>()),
        number in proptest::string::string_regex("[A-Z0-9]{1,9}").unwrap(),
        birth in date_strategy(1930, 2025),
        unknown_birth in prop::bool::weighted(0.1),
        expiry in date_strategy(2000, 2060),
        sex in prop::sample::select(vec!['M', 'F', 'X', '<']),
        surname in letters(1, 12),
        given1 in letters(0, 8),
        given2 in letters(0, 8),
        optional in proptest::string::string_regex("[A-Z0-9]{0,7}").unwrap(),
        fra_number in proptest::string::string_regex("[0-9]{12}").unwrap(),
    ) -> DocumentFields {
        let first = match format {
            Format::Td3 => "P",
            Format::MrvA | Format::MrvB => "V",
            Format::FraId => "I",
            _ => "I",
        };
        let code = if format == Format::FraId { "ID".to_owned() } else { format!("{first}{code2}") };
        let given = [given1, given2].iter().filter(|g| !g.is_empty()).cloned().collect::<Vec<_>>().join(" ");
        let birth_date = if unknown_birth { PartialDate::new(birth.year(), None, None).unwrap() } else { birth.into() };
        DocumentFields {
            format,
            document_code: code,
            issuing_state: if format == Format::FraId { "FRA".into() } else { state.into() },
            document_number: if format == Format::FraId { fra_number } else { number },
            nationality: nationality.into(),
            birth_date,
            sex,
            expiry_date: (format != Format::FraId).then_some(expiry),
            surname,
            given_names: given,
            optional_data: if format == Format::FraId { "123456".into() } else { optional },
            optional_data_2: String::new(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// parse(generate(x)) returns x, field by field.
    #[test]
    fn generate_then_parse_is_identity(f in fields_strategy()) {
        let text = mrz::generate(&f).unwrap();
        let m = mrz::parse(&text).unwrap();
        prop_assert_eq!(m.format(), f.format);
        prop_assert!(m.check_digits_hold(), "{}", text);
        prop_assert_eq!(m.document_code(), f.document_code.trim_end_matches('<'));
        // Typed codes carry no fillers (`D`, printed `D<<`).
        prop_assert_eq!(m.issuing_state(), f.issuing_state.trim_end_matches('<'));
        if f.format != Format::FraId {
            prop_assert_eq!(m.nationality(), f.nationality.trim_end_matches('<'));
        }
        prop_assert!(mrz::is_known_country(m.issuing_state()) && mrz::is_known_country(m.nationality()));
        prop_assert_eq!(m.document_number().to_string(), f.document_number.clone());
        prop_assert_eq!(m.sex().as_char(), f.sex);
        let name = m.name();
        let width = match f.format { Format::Td1 => 30, Format::Td2 | Format::MrvB => 31, Format::FraId => 25, _ => 39 };
        // Names fit unless too long for the field; compare when they fit.
        if f.surname.len() + 2 + f.given_names.len() <= width && f.format != Format::FraId {
            prop_assert_eq!(name.surname(), f.surname.clone());
            prop_assert_eq!(name.given_names(), f.given_names.clone());
        }
        // Dates resolve to what was written (a reference just after both).
        let reference = Date::new(2026, 1, 1).unwrap();
        let birth = m.birth_date().unwrap().resolve(reference, mrz::DateRole::Birth).unwrap();
        prop_assert_eq!(birth.year() % 100, f.birth_date.year() % 100);
        prop_assert_eq!(birth.month(), f.birth_date.month());
        prop_assert_eq!(birth.day(), f.birth_date.day());
        if let Some(e) = f.expiry_date {
            let got = m.expiry_date().unwrap().unwrap();
            prop_assert_eq!((got.yy(), got.month(), got.day()), ((e.year() % 100) as u8, Some(e.month()), Some(e.day())));
        }
        // The owned form agrees with the borrowed one.
        let data = m.to_data(reference);
        prop_assert_eq!(&data.text(), &text);
        prop_assert_eq!(data.fields.issuing_state.as_str(), m.issuing_state());
        prop_assert_eq!(data.fields.nationality.as_str(), m.nationality());
    }

    /// Arbitrary text never panics the parser, the validator, the owned form
    /// or the repair.
    #[test]
    fn arbitrary_text_never_panics(s in "(?s).{0,200}") {
        if let Ok(m) = mrz::parse(&s) {
            let v = m.validate(Date::new(2026, 1, 1).unwrap());
            let _ = m.to_data_with(&v);
        }
        let _ = mrz::repair(&s);
    }

    /// Text near an MRZ (right shape, arbitrary MRZ characters) never panics.
    #[test]
    fn mrz_shaped_noise_never_panics(
        shape in prop::sample::select(vec![(2usize, 44usize), (2, 36), (3, 30)]),
        chars in prop::collection::vec(prop::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<".to_vec()), 132),
    ) {
        let (n, w) = shape;
        let text: String = (0..n)
            .map(|l| chars[l * w..(l + 1) * w].iter().map(|&b| char::from(b)).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n");
        let m = mrz::parse(&text).unwrap();
        let v = m.validate(Date::new(2026, 1, 1).unwrap());
        let _ = m.to_data_with(&v);
        let r = mrz::repair(&text).unwrap();
        // Repair keeps the shape.
        prop_assert_eq!(r.lines.len(), n);
        prop_assert!(r.lines.iter().all(|l| l.len() == w));
    }

    /// One OCR confusion anywhere: every repair that claims check-digit
    /// confirmation restores the original character. (Repairs forced by a
    /// field's alphabet or the country table are reported as unconfirmed and
    /// may be wrong; they are not held to this.)
    #[test]
    fn confirmed_repairs_restore_the_original(f in fields_strategy(), pos in 0usize..200, k in 0usize..8) {
        let text = mrz::generate(&f).unwrap();
        let mut damaged: Vec<u8> = text.bytes().collect();
        // The first position from `pos` on that has a confusion.
        let n = damaged.len();
        let Some(i) = (0..n).map(|k| (pos + k) % n).find(|&i| mrz::confusions_of(damaged[i]).next().is_some())
        else {
            return Ok(());
        };
        let alts: Vec<u8> = mrz::confusions_of(damaged[i]).collect();
        damaged[i] = alts[k % alts.len()];
        let damaged = String::from_utf8(damaged).unwrap();
        let r = mrz::repair(&damaged).unwrap();
        let original: Vec<&str> = text.lines().collect();
        for rep in &r.repairs {
            let truth = original[rep.line - 1].as_bytes()[rep.column - 1];
            if matches!(rep.basis, mrz::RepairBasis::CheckDigit | mrz::RepairBasis::Composite) {
                prop_assert_eq!(char::from(truth), rep.to, "{}\n{}\n{:?}", text, damaged, r);
            }
        }
        // And a confirmed result is the original, unless the damage is invisible
        // to every check digit (blind spot or uncovered field) and the alphabet
        // did not force it back.
        let out_text = r.text();
        let out = mrz::parse(&out_text).unwrap();
        if out.check_digits_hold() && r.doubts.is_empty() && r.text() != text {
            let damaged_holds = mrz::parse(&damaged).unwrap().check_digits_hold();
            prop_assert!(damaged_holds || r.repairs.iter().any(|x| !matches!(x.basis, mrz::RepairBasis::CheckDigit | mrz::RepairBasis::Composite)),
                "{}\n{}\n{:?}", text, damaged, r);
        }
    }

    /// Damage of every kind a scan or a forger leaves (OCR confusions, an
    /// altered check digit, both): a repair reported as confirmed by a check
    /// digit or the composite is one every check digit covering it verifies.
    #[test]
    fn confirmed_repairs_leave_no_covering_digit_refuted(
        f in fields_strategy(),
        picks in prop::collection::vec((0usize..200, 0usize..8), 0..3),
        alter_digit in prop::option::of((0usize..5, 1u8..10)),
    ) {
        let text = mrz::generate(&f).unwrap();
        let mut damaged: Vec<u8> = text.bytes().collect();
        let n = damaged.len();
        if let Some((which, by)) = alter_digit {
            let m = mrz::parse(&text).unwrap();
            let digits: Vec<_> = m.check_digits().collect();
            let d = digits[which % digits.len()];
            let i = usize::from(d.span.line) * (f.format.width() + 1) + usize::from(d.span.start);
            if damaged[i].is_ascii_digit() {
                damaged[i] = b'0' + (damaged[i] - b'0' + by) % 10;
            }
        }
        for (pos, k) in picks {
            if let Some(i) = (0..n).map(|j| (pos + j) % n).find(|&i| mrz::confusions_of(damaged[i]).next().is_some()) {
                let alts: Vec<u8> = mrz::confusions_of(damaged[i]).collect();
                damaged[i] = alts[k % alts.len()];
            }
        }
        let damaged = String::from_utf8(damaged).unwrap();
        let r = mrz::repair(&damaged).unwrap();
        let out_text = r.text();
        let out = mrz::parse(&out_text).unwrap();
        for rep in &r.repairs {
            if matches!(rep.basis, mrz::RepairBasis::CheckDigit | mrz::RepairBasis::Composite) {
                let covering: Vec<_> = out.checks_covering(rep.line - 1, rep.column - 1).collect();
                prop_assert!(!covering.is_empty(), "{:?}\n{}", rep, damaged);
                prop_assert!(covering.iter().all(|c| !c.status.is_refuted()), "{:?} {:?}\n{}", rep, covering, damaged);
            }
        }
    }
}

#[test]
fn naive_reference_agrees_on_generated_documents() {
    // A straightforward re-implementation of the TD3 check digits from the
    // standard's text, against the table-driven parser.
    fn naive(data: &str) -> u32 {
        data.chars()
            .enumerate()
            .map(|(i, c)| {
                let v = match c {
                    '0'..='9' => c as u32 - '0' as u32,
                    'A'..='Z' => c as u32 - 'A' as u32 + 10,
                    _ => 0,
                };
                v * [7, 3, 1][i % 3]
            })
            .sum::<u32>()
            % 10
    }
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..500 {
        let f = fields_strategy().new_tree(&mut runner).unwrap().current();
        if f.format != Format::Td3 {
            continue;
        }
        let text = mrz::generate(&f).unwrap();
        let l2: Vec<char> = text.lines().nth(1).unwrap().chars().collect();
        let s = |a: usize, b: usize| l2[a..b].iter().collect::<String>();
        assert_eq!(naive(&s(0, 9)), l2[9].to_digit(10).unwrap());
        assert_eq!(naive(&s(13, 19)), l2[19].to_digit(10).unwrap());
        assert_eq!(naive(&s(21, 27)), l2[27].to_digit(10).unwrap());
        let composite = format!("{}{}{}", s(0, 10), s(13, 20), s(21, 43));
        assert_eq!(naive(&composite), l2[43].to_digit(10).unwrap());
    }
}
