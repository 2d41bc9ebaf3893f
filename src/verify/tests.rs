use super::*;
use crate::report::{RunStatus, SkipReason, Status, Verdict};

const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn verifier(repair: bool) -> Verifier {
    Verifier::new(Config::default().reference_date(Date::new(2010, 1, 1).unwrap()).repair(repair)).unwrap()
}

#[test]
fn verdicts() {
    assert_eq!(verifier(false).verify_text("a", TD3).verdict, Verdict::Pass);
    let bad = TD3.replacen("7408122", "7408123", 1);
    let r = verifier(false).verify_text("a", &bad);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(!r.mrz.unwrap().valid);
    let expired = Verifier::new(Config::default().reference_date(Date::new(2020, 1, 1).unwrap())).unwrap();
    let r = expired.verify_text("a", TD3);
    assert_eq!(r.verdict, Verdict::Refer);
    assert!(r.mrz.unwrap().valid, "expiry is not part of validity");
}

#[test]
fn strict_text_never_changes_characters() {
    let damaged = TD3.replacen("7408122", "74O8122", 1);
    let strict = verifier(false).verify_text("a", &damaged);
    assert_eq!(strict.mrz.as_ref().unwrap().lines[1], damaged.lines().nth(1).unwrap());
    assert_eq!(strict.verdict, Verdict::Fail);
    let repaired = verifier(true).verify_text("a", &damaged);
    assert_eq!(repaired.verdict, Verdict::Pass);
    let data = repaired.mrz.unwrap();
    assert_eq!(data.repairs.len(), 1);
    assert_eq!(data.lines[1], TD3.lines().nth(1).unwrap());
}

#[test]
fn every_report_says_which_families_ran() {
    let r = verifier(false).verify_text("a", TD3);
    let families: Vec<&str> = r.checks.iter().map(|c| c.family.as_str()).collect();
    assert_eq!(families, ["mrz", "ocr", "quality", "print", "viz", "photo", "tamper", "ir", "uv"]);
    let mrz = &r.checks[0];
    assert_eq!((mrz.status, mrz.findings), (RunStatus::Ran, r.findings.len()));
    // Text input: no image family applies.
    assert!(r.checks[1..].iter().all(|c| c.reason == Some(SkipReason::NotApplicable)), "{:?}", r.checks);
}

#[test]
fn unreadable_text_is_an_inconclusive_finding() {
    let r = verifier(false).verify_text("a", "P<UTO\nnot an MRZ");
    assert_eq!(r.verdict, Verdict::Unreadable);
    assert!(r.mrz.is_none());
    assert_eq!(r.error.as_ref().unwrap().kind, crate::ErrorCode::Parse);
    assert_eq!(r.findings.len(), 1);
    assert_eq!((r.findings[0].check.as_str(), r.findings[0].status), ("mrz.read", Status::Inconclusive));
}

#[test]
fn batch_keeps_order() {
    let texts = [TD3.to_owned(), "junk".to_owned(), TD3.replacen("7408122", "7408123", 1)];
    let docs: Vec<TextDocument<'_>> =
        texts.iter().enumerate().map(|(i, t)| TextDocument { source: i.to_string(), text: t }).collect();
    let reports = verifier(false).verify_texts(&docs);
    let verdicts: Vec<Verdict> = reports.iter().map(|r| r.verdict).collect();
    assert_eq!(verdicts, [Verdict::Pass, Verdict::Unreadable, Verdict::Fail]);
    assert_eq!(reports[2].source, "2");
}

#[test]
fn a_registered_national_sex_character_is_referred_not_failed() {
    // Synthetic Croatian TD1 with the sex printed `0` (registry entry
    // HRV_SEX_ZERO): a warning the officer can read, never a failure.
    let hrv = "I<HRVD231458907<<<<<<<<<<<<<<<\n740812201204159HRV<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    for repair in [false, true] {
        let r = verifier(repair).verify_text("a", hrv);
        assert_eq!(r.verdict, Verdict::Refer, "{:?}", r.findings);
        let sex = r.findings.iter().find(|f| f.check == "mrz.sex").unwrap();
        assert_eq!(sex.status, Status::Warn);
        assert!(sex.message.contains("HRV_SEX_ZERO"), "{}", sex.message);
        assert!(r.mrz.unwrap().valid);
    }
    // The same character from another issuer is invalid data.
    let r = verifier(false).verify_text("a", &hrv.replace("HRV", "UTO"));
    assert_eq!(r.verdict, Verdict::Fail);
}

#[test]
fn lines_typed_in_the_wrong_order_are_an_input_error() {
    let swapped = TD3.lines().rev().collect::<Vec<_>>().join("\n");
    for repair in [false, true] {
        let r = verifier(repair).verify_text("a", &swapped);
        assert_eq!(r.verdict, Verdict::Unreadable, "not a forgery: {:?}", r.findings);
        assert_eq!(r.findings.len(), 1);
        let error = r.error.unwrap();
        assert_eq!(error.kind, crate::ErrorCode::Parse);
        assert!(error.message.contains("wrong order") && error.message.contains("2, 1"), "{}", error.message);
    }
}
