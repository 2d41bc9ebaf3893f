//! The committed image fixtures (`fixtures/specimens/`) are what the generator
//! makes from their seed; `REGENERATE=1 cargo test --all-features image_fixtures`
//! rewrites them. Rendering uses floating point, so the comparison allows for
//! last-bit differences between maths libraries: labels equal up to 0.05 px,
//! images equal up to a mean absolute difference of 1 grey level.

use mrtd_verify::mrz::Format;
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, InvalidData, Specimen, Truth};
use serde_json::Value;

use crate::common::root;

/// The seed of `fixtures/specimens/`.
pub const IMAGE_SEED: u64 = 2026;

/// What the committed corpus holds: every format genuine, every forgery type,
/// both kinds of invalid data, under varied capture conditions.
pub fn plan() -> Vec<(Format, Truth, Condition)> {
    use Condition::*;
    let mut p = vec![
        (Format::Td3, Truth::Genuine, Clean),
        (Format::Td1, Truth::Genuine, Skew),
        (Format::Td2, Truth::Genuine, QuarterTurn),
        (Format::MrvA, Truth::Genuine, Degraded),
        (Format::MrvB, Truth::Genuine, LowResolution),
        (Format::FraId, Truth::Genuine, Clean),
        (Format::Td1, Truth::Genuine, ScannerBed),
        (Format::Td3, Truth::Genuine, Skew),
    ];
    let formats = [Format::Td3, Format::Td1, Format::Td2];
    for (i, f) in Forgery::ALL.into_iter().enumerate() {
        p.push((formats[i % 3], Truth::Forged(f), if i % 2 == 0 { Clean } else { Skew }));
    }
    p.push((Format::Td3, Truth::Invalid(InvalidData::Expired), Clean));
    p.push((Format::FraId, Truth::Invalid(InvalidData::BirthAfterIssue), Clean));
    p
}

pub fn generate() -> Vec<Specimen> {
    let g = Generator::new(CorpusOptions::default().dpi(200).store_jpeg(Some(88))).unwrap();
    plan()
        .into_iter()
        .enumerate()
        .map(|(i, (format, truth, condition))| {
            let mut s = g.render(IMAGE_SEED, i as u64, format, truth, condition).unwrap();
            // Keep the infrared and ultraviolet companions where they matter: the
            // band forgeries and one genuine reference.
            let keep_bands = matches!(truth, Truth::Forged(f) if f.needs_bands()) || i == 0;
            if !keep_bands {
                s.ir = None;
                s.uv = None;
                s.label.ir_file = None;
                s.label.uv_file = None;
            }
            s
        })
        .collect()
}

fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (x.as_f64().unwrap_or(0.0) - y.as_f64().unwrap_or(0.0)).abs() < 0.05,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| close(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        _ => a == b,
    }
}

fn mean_abs_diff(a: &[u8], b: &[u8]) -> f64 {
    let da = image::load_from_memory(a).unwrap().to_rgb8();
    let db = image::load_from_memory(b).unwrap().to_rgb8();
    assert_eq!(da.dimensions(), db.dimensions());
    let sum: u64 = da.as_raw().iter().zip(db.as_raw()).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
    sum as f64 / da.as_raw().len() as f64
}

#[test]
fn image_fixtures_match_the_generator() {
    let dir = root().join("fixtures/specimens");
    let specimens = generate();
    if std::env::var_os("REGENERATE").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut labels = String::new();
        for s in &specimens {
            std::fs::write(dir.join(&s.label.file), &s.visible).unwrap();
            if let (Some(n), Some(b)) = (&s.label.ir_file, &s.ir) {
                std::fs::write(dir.join(n), b).unwrap();
            }
            if let (Some(n), Some(b)) = (&s.label.uv_file, &s.uv) {
                std::fs::write(dir.join(n), b).unwrap();
            }
            labels.push_str(&serde_json::to_string(&s.label).unwrap());
            labels.push('\n');
        }
        std::fs::write(dir.join("labels.jsonl"), labels).unwrap();
        // The README's two samples.
        let samples = root().join("fixtures/samples");
        std::fs::create_dir_all(&samples).unwrap();
        let g = Generator::new(CorpusOptions::default().dpi(120).bands(false)).unwrap();
        let genuine = g.render(IMAGE_SEED, 100, Format::Td3, Truth::Genuine, Condition::Clean).unwrap();
        let forged =
            g.render(IMAGE_SEED, 101, Format::Td3, Truth::Forged(Forgery::VizAltered), Condition::Clean).unwrap();
        std::fs::write(samples.join("genuine-td3.png"), &genuine.visible).unwrap();
        std::fs::write(samples.join("forged-td3.png"), &forged.visible).unwrap();
        let both = [serde_json::to_string(&genuine.label).unwrap(), serde_json::to_string(&forged.label).unwrap()];
        std::fs::write(samples.join("labels.jsonl"), both.join("\n") + "\n").unwrap();
    }
    let committed: Vec<Value> = std::fs::read_to_string(dir.join("labels.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(committed.len(), specimens.len(), "REGENERATE=1 to rewrite fixtures/specimens");
    for (c, s) in committed.iter().zip(&specimens) {
        let fresh = serde_json::to_value(&s.label).unwrap();
        assert!(close(c, &fresh), "label of {} differs from the generator: REGENERATE=1 to rewrite", s.label.file);
        let on_disk = std::fs::read(dir.join(&s.label.file)).unwrap();
        let d = mean_abs_diff(&on_disk, &s.visible);
        assert!(d < 1.0, "{}: mean difference {d}", s.label.file);
    }
    // Every forgery type and every format is in the committed corpus.
    for f in Forgery::ALL {
        assert!(specimens.iter().any(|s| s.label.forgery == Some(f)), "{f:?}");
    }
    for f in Format::ALL {
        assert!(specimens.iter().any(|s| s.label.format == f && s.label.genuine), "{f:?}");
    }
}
