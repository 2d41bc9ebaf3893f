//! Real reports validate against the published JSON Schema.

use mrtd_verify::mrz::Date;
use mrtd_verify::{Config, Verifier, split_documents};

use crate::common::root;

pub fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema/report.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

pub fn check_all(reports: &[mrtd_verify::Report]) {
    let v = validator();
    for r in reports {
        let json = serde_json::to_value(r).unwrap();
        let errors: Vec<String> = v.iter_errors(&json).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:?}\n{json}", r.source);
        // And the JSON reads back into the same report.
        let back: mrtd_verify::Report = serde_json::from_value(json).unwrap();
        assert_eq!(&back, r);
    }
}

#[test]
fn fixture_reports_conform() {
    let text = std::fs::read_to_string(root().join("fixtures/mrz/documents.txt")).unwrap();
    let docs = split_documents("fixtures/mrz/documents.txt", &text);
    let reference = Date::new(2026, 6, 1).unwrap();
    for repair in [false, true] {
        let verifier = Verifier::new(Config::default().reference_date(reference).repair(repair)).unwrap();
        let reports = verifier.verify_texts(&docs);
        assert!(reports.len() > 30);
        check_all(&reports);
    }
}

#[test]
fn repaired_and_doubtful_reports_conform() {
    let damaged = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO74O8122F1204159ZE184226B<<<<<10",
        "P<UT0ERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902G36UTO7408122F1204159ZE184226B<<<<<10",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408192F1204159ZE184226B<<<<<10",
    ];
    let verifier =
        Verifier::new(Config::default().reference_date(Date::new(2010, 1, 1).unwrap()).repair(true)).unwrap();
    let reports: Vec<_> = damaged.iter().map(|t| verifier.verify_text("t", t)).collect();
    assert!(reports.iter().any(|r| !r.mrz.as_ref().unwrap().repairs.is_empty()));
    assert!(reports.iter().any(|r| !r.mrz.as_ref().unwrap().doubts.is_empty()));
    check_all(&reports);
}

/// Image reports (every committed specimen, their companions, and the bad
/// inputs) validate too, and the schema's error kinds are the crate's.
#[cfg(feature = "ocr")]
#[test]
fn image_reports_conform() {
    let verifier = Verifier::new(Config::default().reference_date(Date::new(2026, 6, 1).unwrap())).unwrap();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["fixtures/specimens", "fixtures/bad"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if !p.extension().is_some_and(|x| x == "md" || x == "py" || x == "jsonl") {
                files.push(p);
            }
        }
    }
    files.sort();
    let docs = mrtd_verify::group_companions(&files);
    assert!(docs.iter().any(|d| d.ir.is_some()));
    let reports = verifier.verify_files(&docs, |_, _| {});
    assert!(reports.iter().any(|r| r.scan.as_ref().is_some_and(|s| s.bands.len() == 3)));
    assert!(reports.iter().any(|r| r.error.is_some()));
    check_all(&reports);
    let text = std::fs::read_to_string(root().join("schema/report.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let kinds: Vec<&str> = schema["$defs"]["error"]["properties"]["kind"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let ours: Vec<&str> = mrtd_verify::ErrorCode::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(kinds, ours);
}
