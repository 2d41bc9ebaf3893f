//! Conformance table: the Doc 9303 specimens of every format, every check digit
//! refuted one at a time, long document numbers, the French ID, each registered
//! variant, and malformed input.

use mrtd_verify::mrz::{self, CheckId, CheckStatus, Date, FieldId, Format, Outcome, ParseError, Rule, Sex};

/// Doc 9303 specimens (fictitious holder, state `UTO`), with their format and
/// document number.
const SPECIMENS: &[(&str, Format, &str)] = &[
    (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
        Format::Td3,
        "L898902C3",
    ),
    (
        "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        Format::Td1,
        "D23145890",
    ),
    ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6", Format::Td2, "D23145890"),
    (
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<",
        Format::MrvA,
        "L8988901C",
    ),
    ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<", Format::MrvB, "L8988901C"),
];

fn reference() -> Date {
    Date::new(1995, 1, 1).unwrap()
}

#[test]
fn specimens_of_every_format() {
    for &(text, format, number) in SPECIMENS {
        let m = mrz::parse(text).unwrap();
        assert_eq!(m.format(), format);
        assert_eq!(m.document_number().to_string(), number);
        assert_eq!(m.name().surname(), "ERIKSSON");
        assert_eq!(m.name().given_names(), "ANNA MARIA");
        assert_eq!(m.sex(), Sex::Female);
        assert!(m.check_digits_hold(), "{format}");
        let v = m.validate(reference());
        assert!(v.is_valid(), "{format}: {v:?}");
        let expected_checks = match format {
            Format::Td3 => 5,
            Format::Td1 | Format::Td2 => 4,
            _ => 3,
        };
        assert_eq!(m.check_digits().count(), expected_checks, "{format}");
    }
}

/// Every check digit of every specimen, refuted one at a time by changing the
/// digit itself: exactly that digit is refuted with the right expected value
/// (and the composite, when it covers the digit).
#[test]
fn each_check_digit_refuted_alone() {
    for &(text, format, _) in SPECIMENS {
        let m = mrz::parse(text).unwrap();
        for c in m.check_digits() {
            let (line, col) = (usize::from(c.span.line), usize::from(c.span.start));
            let printed = text.lines().nth(line).unwrap().as_bytes()[col];
            let wrong = if printed == b'9' { b'0' } else { printed + 1 };
            let altered: String = text
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    let mut b = l.as_bytes().to_vec();
                    if i == line {
                        b[col] = wrong;
                    }
                    String::from_utf8(b).unwrap()
                })
                .collect::<Vec<_>>()
                .join("\n");
            let a = mrz::parse(&altered).unwrap();
            let status = a.check(c.id).unwrap().status;
            assert_eq!(status, CheckStatus::Refuted { found: wrong, expected: printed }, "{format} {:?}", c.id);
            for other in a.check_digits().filter(|o| o.id != c.id) {
                let covered_by_composite = other.id == CheckId::Composite;
                assert_eq!(
                    other.status.is_refuted(),
                    covered_by_composite,
                    "{format}: changing the {:?} digit affects {:?}",
                    c.id,
                    other.id
                );
            }
            assert!(!a.validate(reference()).is_valid());
        }
    }
}

#[test]
fn td1_long_document_number() {
    // Number of 12 characters: 9 at positions 6-14, `<` at 15, the rest, its
    // check digit and a filler at 16-19.
    let number = "AB123456789XY";
    let digit = mrz::check_digit(number.as_bytes());
    let line1 = format!("I<UTO{}<{}{}<", &number[..9], &number[9..], digit);
    let line1 = format!("{line1:<<30}");
    let line2_body = "7408122F1204159UTO<<<<<<<<<<<";
    let composite_data = format!("{}{}{}{}", &line1[5..30], &line2_body[0..7], &line2_body[8..15], &line2_body[18..29]);
    let line2 = format!("{line2_body}{}", mrz::check_digit(composite_data.as_bytes()));
    let text = format!("{line1}\n{line2}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    let m = mrz::parse(&text).unwrap();
    assert_eq!(m.document_number().to_string(), number);
    assert!(m.document_number().is_long());
    assert!(m.check_digits_hold(), "{text}");
    assert_eq!(m.variants().iter().map(|v| v.id).collect::<Vec<_>>(), ["ICAO_LONG_DOCUMENT_NUMBER"]);
    // The optional data follows the number's continuation, its check digit
    // and the filler after them.
    assert_eq!(m.optional_data(), Some("<<<<<<<<<"));
    let l1 = format!("{}ABC<<<<<<", &line1[..21]);
    let composite = format!("{}{}{}{}", &l1[5..30], &line2_body[0..7], &line2_body[8..15], &line2_body[18..29]);
    let with_data =
        format!("{l1}\n{line2_body}{}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", mrz::check_digit(composite.as_bytes()));
    let m = mrz::parse(&with_data).unwrap();
    assert!(m.check_digits_hold(), "{with_data}");
    assert_eq!(m.optional_data(), Some("ABC<<<<<<"));
    assert_eq!(m.to_data(reference()).fields.optional_data.as_deref(), Some("ABC"));
    // The long number's check digit is refuted when a continued character changes.
    let bad = text.replacen("XY", "XZ", 1);
    assert!(mrz::parse(&bad).unwrap().check(CheckId::DocumentNumber).unwrap().status.is_refuted());
}

/// A TD1 card around a given line 1: synthetic holder (born 1990-03-12,
/// expires 2031-06-30, Belgian), line 2's check digits and the composite
/// computed with the crate.
fn td1_around(line1: &str) -> String {
    let birth = "900312";
    let expiry = "310630";
    let body = format!(
        "{birth}{}F{expiry}{}BEL<<<<<<<<<<<",
        mrz::check_digit(birth.as_bytes()),
        mrz::check_digit(expiry.as_bytes())
    );
    let composite = mrz::check_digit_parts(&[
        &line1.as_bytes()[5..30],
        &body.as_bytes()[0..7],
        &body.as_bytes()[8..15],
        &body.as_bytes()[18..29],
    ]);
    format!("{line1}\n{body}{composite}\nSPECIMEN<<JOHANNA<MARIE<<<<<<<")
}

#[test]
fn belgian_long_document_number_both_forms() {
    let ids = |m: &mrz::Mrz<'_>| m.variants().iter().map(|v| v.id).collect::<Vec<_>>();
    // BEL-BO-03003: the digit 3 counts the filler at position 15
    // (000590240<601 gives 3; the number alone, 000590240601, gives 1).
    let over_filler = td1_around("IDBEL000590240<6013<<<<<<<<<<<");
    let m = mrz::parse(&over_filler).unwrap();
    assert_eq!(m.document_number().to_string(), "000590240601");
    assert_eq!(m.check(CheckId::DocumentNumber).unwrap().status, CheckStatus::Verified);
    assert!(m.check_digits_hold(), "{over_filler}");
    assert_eq!(ids(&m), ["ICAO_LONG_DOCUMENT_NUMBER", "BEL_LONG_NUMBER_CHECK_OVER_FILLER"]);
    let v = m.validate(Date::new(2026, 1, 1).unwrap());
    assert!(v.is_valid(), "{v:?}");
    // BEL-BO-11005: the standard digit (600001795015 gives 2), no deviation
    // beyond the long number itself.
    let standard = td1_around("IDBEL600001795<0152<<<<<<<<<<<");
    let m = mrz::parse(&standard).unwrap();
    assert_eq!(m.document_number().to_string(), "600001795015");
    assert!(m.check_digits_hold(), "{standard}");
    assert_eq!(ids(&m), ["ICAO_LONG_DOCUMENT_NUMBER"]);

    // Only Belgian TD1 cards: the same line from another issuer is refuted,
    // with the standard digit expected.
    let elsewhere = over_filler.replacen("IDBEL", "IDUTO", 1).replacen("BEL<", "UTO<", 1);
    let m = mrz::parse(&elsewhere).unwrap();
    assert_eq!(m.check(CheckId::DocumentNumber).unwrap().status, CheckStatus::Refuted { found: b'3', expected: b'1' });
    assert_eq!(ids(&m), ["ICAO_LONG_DOCUMENT_NUMBER"]);
    // A digit neither computation gives is refuted, and names the standard one.
    let neither = over_filler.replacen("<6013<", "<6015<", 1);
    let m = mrz::parse(&neither).unwrap();
    assert_eq!(m.check(CheckId::DocumentNumber).unwrap().status, CheckStatus::Refuted { found: b'5', expected: b'1' });
    // A changed digit of the number is caught either way.
    let changed = over_filler.replacen("000590240<601", "000590241<601", 1);
    assert!(mrz::parse(&changed).unwrap().check(CheckId::DocumentNumber).unwrap().status.is_refuted());

    // Repair reads both forms as they are: nothing to change, nothing in doubt.
    for text in [&over_filler, &standard] {
        let r = mrz::repair(text).unwrap();
        assert_eq!(&r.text(), text);
        assert!(r.repairs.is_empty() && r.doubts.is_empty(), "{r:?}");
    }
    // An OCR confusion in the number (1 read as I: neither computation gives
    // 3 then) is not guessed at: counted over the filler, the number's digit
    // runs in step with the composite's weights over line 1, so the two digits
    // cannot tell which character of the number was misread. The true one is
    // among the doubts.
    let misread = over_filler.replacen("000590240<601", "000590240<60I", 1);
    assert!(mrz::parse(&misread).unwrap().check(CheckId::DocumentNumber).unwrap().status.is_refuted());
    let r = mrz::repair(&misread).unwrap();
    assert_eq!(r.text(), misread, "{r:?}");
    let d = r.doubts.iter().find(|d| (d.line, d.column) == (1, 18)).unwrap();
    assert_eq!(d.alternatives, ['1']);
    // The standard form has no such tie: the composite settles it.
    let misread = standard.replacen("600001795<015", "600001795<0I5", 1);
    let r = mrz::repair(&misread).unwrap();
    assert_eq!(r.text(), standard, "{r:?}");
    assert_eq!(r.repairs.iter().map(|x| x.basis).collect::<Vec<_>>(), [mrz::RepairBasis::CheckDigit]);
}

#[test]
fn french_identity_card() {
    let fields = mrz::DocumentFields {
        format: Format::FraId,
        document_code: "ID".into(),
        issuing_state: "FRA".into(),
        document_number: "880692310285".into(),
        birth_date: Date::new(1965, 12, 6).unwrap().into(),
        sex: 'F',
        surname: "Berthier".into(),
        given_names: "Corinne".into(),
        optional_data: "923003".into(),
        ..mrz::DocumentFields::default()
    };
    let text = mrz::generate(&fields).unwrap();
    assert_eq!(text, "IDFRABERTHIER<<<<<<<<<<<<<<<<<923003\n8806923102858CORINNE<<<<<<<6512068F1");
    let m = mrz::parse(&text).unwrap();
    assert_eq!(m.format(), Format::FraId);
    assert_eq!(m.name().surname(), "BERTHIER");
    assert_eq!(m.name().given_names(), "CORINNE");
    assert_eq!(m.document_number().to_string(), "880692310285");
    assert!(m.check_digits_hold());
    assert_eq!(m.check_digits().count(), 3);
    let v = m.validate(Date::new(1995, 1, 1).unwrap());
    assert!(v.is_valid());
    assert_eq!(v.issue_date().unwrap().to_string(), "1988-06");
    assert_eq!(v.outcome(Rule::Expiry), Outcome::NotApplicable);
    // The composite covers line 1: a changed surname letter refutes it.
    let bad = text.replacen("BERTHIER", "BERTHIEE", 1);
    assert!(mrz::parse(&bad).unwrap().check(CheckId::Composite).unwrap().status.is_refuted());
    // Born after issue.
    let late = mrz::DocumentFields { birth_date: Date::new(1990, 1, 1).unwrap().into(), ..fields };
    let v = mrz::parse(&mrz::generate(&late).unwrap()).unwrap().validate(Date::new(1995, 1, 1).unwrap());
    assert!(matches!(v.outcome(Rule::DateOrder), Outcome::Fail(_)));
}

#[test]
fn optional_data_filler_check_digit() {
    let empty = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159<<<<<<<<<<<<<<<";
    // Composite with `<` at 43 (value 0, as `0`).
    let composite = mrz::check_digit_parts(&[b"L898902C36", b"7408122", b"1204159<<<<<<<<<<<<<<<"]);
    let text = format!("{empty}{composite}");
    let m = mrz::parse(&text).unwrap();
    assert_eq!(m.check(CheckId::OptionalData).unwrap().status, CheckStatus::NotPrinted);
    assert!(m.check_digits_hold());
    assert_eq!(m.variants().iter().map(|v| v.id).collect::<Vec<_>>(), ["ICAO_OPTIONAL_DATA_FILLER_CHECK_DIGIT"]);
    // `0` is equally allowed, and verified.
    let zero = format!("{}0{composite}", &empty[..empty.len() - 1]);
    assert_eq!(mrz::parse(&zero).unwrap().check(CheckId::OptionalData).unwrap().status, CheckStatus::Verified);
    // A filler digit over non-empty data is refuted.
    let filled = text.replacen("1204159<", "1204159A", 1);
    assert!(mrz::parse(&filled).unwrap().check(CheckId::OptionalData).unwrap().status.is_refuted());
}

#[test]
fn germany_single_letter_code() {
    let text = "I<D<<T220001293<<<<<<<<<<<<<<<\n6408125F2010315D<<<<<<<<<<<<<4\nMUSTERMANN<<ERIKA<<<<<<<<<<<<<";
    let m = mrz::parse(text).unwrap();
    // The value is the code, `D`; the printed slice keeps its fillers.
    assert_eq!(m.issuing_state(), "D");
    assert_eq!(m.nationality(), "D");
    assert_eq!(m.raw(FieldId::IssuingState), Some("D<<"));
    assert_eq!(m.raw(FieldId::Nationality), Some("D<<"));
    assert_eq!(mrz::country_kind(m.issuing_state()), Some(mrz::CountryKind::Icao));
    let v = m.validate(Date::new(2015, 1, 1).unwrap());
    assert_eq!(v.outcome(Rule::IssuingState), Outcome::Pass);
    assert_eq!(v.outcome(Rule::Nationality), Outcome::Pass);
    let data = m.to_data_with(&v);
    assert_eq!((data.fields.issuing_state.as_str(), data.fields.nationality.as_str()), ("D", "D"));
    assert_eq!(data.lines[0], "I<D<<T220001293<<<<<<<<<<<<<<<");
    // No typed value of the document ends in a filler.
    let f = &data.fields;
    let values = [&f.document_code, &f.issuing_state, &f.document_number, &f.nationality, &f.surname, &f.given_names];
    assert!(values.iter().all(|v| !v.ends_with('<')), "{f:?}");
    assert_eq!(f.optional_data.as_deref(), Some(""));
}

#[test]
fn name_without_primary_identifier_is_a_warning() {
    // Doc 9303 discourages it (a one-part name goes in the primary
    // identifier), but documents carry `<<GIVEN<NAMES`.
    let text = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n<<ANNA<MARIA<<<<<<<<<<<<<<<<<<";
    let m = mrz::parse(text).unwrap();
    assert_eq!(m.name().surname(), "");
    assert_eq!(m.name().given_names(), "ANNA MARIA");
    let v = m.validate(reference());
    assert!(matches!(v.outcome(Rule::Name), Outcome::Warn(mrz::Violation::NoPrimaryIdentifier)));
    assert!(v.is_valid(), "a warning, not an invalid MRZ");
    let data = m.to_data_with(&v);
    assert!(data.valid);
    assert_eq!((data.fields.surname.as_str(), data.fields.given_names.as_str()), ("", "ANNA MARIA"));
    // The report refers it to an officer; it does not fail it.
    let verifier = mrtd_verify::Verifier::new(mrtd_verify::Config::default().reference_date(reference())).unwrap();
    let report = verifier.verify_text("t", text);
    assert_eq!(report.verdict, mrtd_verify::Verdict::Refer);
    let name = report.findings.iter().find(|f| f.check == "mrz.name").unwrap();
    assert_eq!(name.status, mrtd_verify::Status::Warn);
    assert!(name.message.contains("no primary identifier"), "{}", name.message);
    // Nothing at all in the name is still invalid.
    let empty = text.replacen("<<ANNA<MARIA", "<<<<<<<<<<<<", 1);
    let v = mrz::parse(&empty).unwrap().validate(reference());
    assert!(matches!(v.outcome(Rule::Name), Outcome::Fail(mrz::Violation::Empty)));
    assert!(!v.is_valid());
}

#[test]
fn united_states_document_type_digit() {
    // A permanent-resident-style card: document code `C1`, issuer USA.
    let text = "C1USAD231458907<<<<<<<<<<<<<<<\n7408122F1204159USA<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    let m = mrz::parse(text).unwrap();
    assert_eq!(m.variants().iter().map(|v| v.id).collect::<Vec<_>>(), ["USA_DOCUMENT_TYPE_DIGIT"]);
    let v = m.validate(Date::new(2010, 1, 1).unwrap());
    assert_eq!(v.outcome(Rule::DocumentCode), Outcome::Pass);
    assert!(v.is_valid());
    // The same digit from another issuer breaks the document-code rule.
    let other = text.replacen("C1USA", "C1UTO", 1);
    let v = mrz::parse(&other).unwrap().validate(Date::new(2010, 1, 1).unwrap());
    assert!(matches!(v.outcome(Rule::DocumentCode), Outcome::Fail(_)));
}

#[test]
fn croatian_sex_zero_is_a_registered_deviation() {
    // Synthetic data on the Croatian layout: the sex printed `0`.
    let text = "I<HRVD231458907<<<<<<<<<<<<<<<\n740812201204159HRV<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    let m = mrz::parse(text).unwrap();
    assert_eq!(m.variants().iter().map(|v| v.id).collect::<Vec<_>>(), ["HRV_SEX_ZERO"]);
    let v = m.validate(Date::new(2010, 1, 1).unwrap());
    assert!(matches!(v.outcome(Rule::Sex), Outcome::Warn(mrz::Violation::RegisteredCharacter { found: b'0', .. })));
    assert!(v.is_valid());
    // From another issuer the same character is invalid.
    let other = text.replace("HRV", "UTO");
    let v = mrz::parse(&other).unwrap().validate(Date::new(2010, 1, 1).unwrap());
    assert!(matches!(v.outcome(Rule::Sex), Outcome::Fail(_)));
}

#[test]
fn every_registry_entry_is_exercised() {
    // Each entry of the registry is used by at least one document above; this
    // guards against an entry that no parse path consults.
    let ids: Vec<&str> = mrz::variants::REGISTRY.iter().map(|v| v.id).collect();
    assert_eq!(
        ids,
        [
            "ICAO_LONG_DOCUMENT_NUMBER",
            "ICAO_OPTIONAL_DATA_FILLER_CHECK_DIGIT",
            "FRA_CNI_1988",
            "USA_DOCUMENT_TYPE_DIGIT",
            "BEL_LONG_NUMBER_CHECK_OVER_FILLER",
            "HRV_SEX_ZERO"
        ]
    );
}

#[test]
fn malformed_input() {
    let td3 = SPECIMENS[0].0;
    type Expect = fn(&ParseError) -> bool;
    let cases: Vec<(String, Expect)> = vec![
        (String::new(), |e| matches!(e, ParseError::Empty)),
        ("\n \r\n\t\n".into(), |e| matches!(e, ParseError::Empty)),
        (td3.lines().next().unwrap().into(), |e| matches!(e, ParseError::LineCount { found: 1 })),
        (format!("{td3}\n{td3}"), |e| matches!(e, ParseError::MissingBlankLine { found: 4, documents: 2, .. })),
        (td3.replace('\n', ""), |e| matches!(e, ParseError::JoinedLines { found: 88, lines: 2, width: 44 })),
        (td3.replacen("<<10", "<10", 1), |e| matches!(e, ParseError::LineLength { line: 2, found: 43, expected: 44 })),
        (td3.replacen("P<UTO", "P<UTO<", 1), |e| matches!(e, ParseError::LineLength { line: 1, found: 45, .. })),
        (td3.to_lowercase(), |e| matches!(e, ParseError::IllegalCharacter { line: 1, column: 1, found: 'p', .. })),
        (td3.replacen("ANNA", "AN-A", 1), |e| matches!(e, ParseError::IllegalCharacter { found: '-', column: 18, .. })),
        (td3.replacen("ANNA", "ANNÄ", 1), |e| matches!(e, ParseError::IllegalCharacter { found: 'Ä', .. })),
        (td3.replacen('\n', " ", 1), |e| {
            matches!(e, ParseError::IllegalCharacter { found: ' ', .. } | ParseError::LineCount { .. })
        }),
        ("ABCDEFGHIJ\nABCDEFGHIJ".into(), |e| matches!(e, ParseError::LineLength { .. })),
        (format!("{0}\n{0}", "<".repeat(30)), |e| matches!(e, ParseError::Shape { lines: 2, width: 30 })),
    ];
    for (text, ok) in cases {
        let err = mrz::parse(&text).unwrap_err();
        assert!(ok(&err), "{text:?}: {err:?}");
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn surroundings_tolerated_characters_kept() {
    let td3 = SPECIMENS[0].0;
    let messy =
        format!("\r\n\r\n   {}   \r\n\r\n\t{}\t\r\n\n", td3.lines().next().unwrap(), td3.lines().nth(1).unwrap());
    let m = mrz::parse(&messy).unwrap();
    assert_eq!(m.lines(), td3.lines().collect::<Vec<_>>());
}
