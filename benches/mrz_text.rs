//! MRZ text throughput: parse + validate of TD1 and TD3, and check-digit
//! guided repair, for this crate and the `mrz` crate (0.9) side by side.
//!
//! `cargo bench --bench mrz_text`. Documents are generated from a fixed seed
//! before timing; throughput is documents per second.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mrtd_verify::mrz::{self, Date, Format};
use mrtd_verify::specimen::{DocumentData, Rng};
use std::hint::black_box;

const DOCS: usize = 1024;

fn reference() -> Date {
    Date::new(2026, 6, 1).unwrap()
}

fn corpus(format: Format, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..DOCS).map(|_| mrz::generate(&DocumentData::random(&mut rng, format, reference()).fields).unwrap()).collect()
}

/// One OCR confusion per document in a field a check digit covers, so repair
/// has work to do.
fn damaged(docs: &[String]) -> Vec<String> {
    let mut rng = Rng::new(99);
    docs.iter()
        .map(|t| {
            let m = mrz::parse(t).unwrap();
            let span = m.span(mrz::FieldId::BirthDate).unwrap();
            let line = usize::from(span.line);
            let col = usize::from(span.start) + rng.below(6) as usize;
            let mut lines: Vec<Vec<u8>> = t.lines().map(|l| l.as_bytes().to_vec()).collect();
            let b = lines[line][col];
            lines[line][col] = match b {
                b'0' => b'O',
                b'1' => b'I',
                b'2' => b'Z',
                b'5' => b'S',
                b'6' => b'G',
                b'8' => b'B',
                other => other,
            };
            lines.into_iter().map(|l| String::from_utf8(l).unwrap()).collect::<Vec<_>>().join("\n")
        })
        .collect()
}

fn parse_validate(c: &mut Criterion) {
    let reference = reference();
    let opts = mrz_crate::ParseOptions::default().with_pivot_yy(26);
    for (format, name, seed) in [(Format::Td3, "TD3", 1), (Format::Td1, "TD1", 2)] {
        let docs = corpus(format, seed);
        let lines: Vec<Vec<&str>> = docs.iter().map(|d| d.lines().collect()).collect();
        let mut g = c.benchmark_group(format!("parse_validate/{name}"));
        g.throughput(Throughput::Elements(DOCS as u64));
        g.bench_function(BenchmarkId::new("mrtd_verify", name), |b| {
            b.iter(|| {
                let mut valid = 0;
                for d in &docs {
                    let m = mrz::parse(black_box(d)).unwrap();
                    valid += usize::from(m.validate(reference).is_valid());
                }
                assert_eq!(valid, DOCS);
                valid
            })
        });
        g.bench_function(BenchmarkId::new("mrz_0.9", name), |b| {
            b.iter(|| {
                let mut valid = 0;
                for l in &lines {
                    let m = match format {
                        Format::Td3 => mrz_crate::parse_td3_with(black_box(l[0]), black_box(l[1]), &opts),
                        _ => mrz_crate::parse_td1_with(black_box(l[0]), black_box(l[1]), black_box(l[2]), &opts),
                    };
                    valid += usize::from(m.is_ok_and(|m| m.valid()));
                }
                valid
            })
        });
        g.finish();
    }
}

fn repair(c: &mut Criterion) {
    let opts = mrz_crate::ParseOptions::default().with_pivot_yy(26);
    for (format, name, seed) in [(Format::Td3, "TD3", 3), (Format::Td1, "TD1", 4)] {
        let docs = damaged(&corpus(format, seed));
        let mut g = c.benchmark_group(format!("repair/{name}"));
        g.throughput(Throughput::Elements(DOCS as u64));
        g.bench_function(BenchmarkId::new("mrtd_verify", name), |b| {
            b.iter(|| {
                let mut ok = 0;
                for d in &docs {
                    let r = mrz::repair(black_box(d)).unwrap();
                    ok += usize::from(r.doubts.is_empty());
                }
                ok
            })
        });
        g.bench_function(BenchmarkId::new("mrz_0.9", name), |b| {
            b.iter(|| {
                let mut ok = 0;
                for d in &docs {
                    ok += usize::from(mrz_crate::find_and_parse_with(black_box(d), &opts).is_ok_and(|m| m.valid()));
                }
                ok
            })
        });
        g.finish();
    }
}

criterion_group!(benches, parse_validate, repair);
criterion_main!(benches);
