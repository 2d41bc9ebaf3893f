//! Reading speed: one 300 dpi TD3 page and one TD1 card, stage by stage
//! (decode, locate, segment, recognise, repair, the visual zone's lines),
//! the whole read, the infrared and ultraviolet companions (registration,
//! each band family), the portrait family, the page-tampering family, and batch throughput on one thread and on every core.
//!
//! `cargo bench --features specimen --bench scan`

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mrtd_verify::mrz::Format;
use mrtd_verify::mrz::{Candidate, repair_readings};
use mrtd_verify::ocr::{CLASSES, LineModel, Model, top_candidates};
use mrtd_verify::scan;
use mrtd_verify::specimen::{Condition, CorpusOptions, Generator, Truth};
use mrtd_verify::viz::VizReading;
use mrtd_verify::{Config, DecodeLimits, Thresholds, Verifier};
use rayon::prelude::*;

fn pages(format: Format, n: u64) -> Vec<Vec<u8>> {
    let g = Generator::new(CorpusOptions::default().dpi(300).bands(false).store_jpeg(Some(90))).unwrap();
    (0..n).map(|i| g.render(4242, i, format, Truth::Genuine, Condition::Clean).unwrap().visible).collect()
}

fn stages(c: &mut Criterion) {
    let model = Model::bundled().unwrap();
    for (name, format) in [("td3", Format::Td3), ("td1", Format::Td1)] {
        let bytes = pages(format, 1).remove(0);
        let gray = scan::to_gray(&scan::decode(&bytes, &DecodeLimits::default()).unwrap());
        let thresholds = Thresholds::default();
        let layout = scan::locate(&gray, &thresholds).unwrap();
        let loc =
            layout.zones.iter().find(|z| z.location.lines.len() == format.lines()).unwrap().orientations()[0].clone();
        let rect = scan::rectify(&gray, &loc, format.width()).unwrap();
        let cells = scan::cell_tensor(&rect);
        let probs = model.probabilities(cells.clone()).unwrap();
        let k = CLASSES.len();
        let candidates: Vec<Vec<Vec<Candidate>>> = (0..format.lines())
            .map(|l| {
                (0..format.width()).map(|i| top_candidates(&probs[(l * format.width() + i) * k..][..k], 3)).collect()
            })
            .collect();

        let mut g = c.benchmark_group(format!("read/{name}"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("decode", |b| {
            b.iter(|| scan::to_gray(&scan::decode(black_box(&bytes), &DecodeLimits::default()).unwrap()))
        });
        g.bench_function("locate", |b| b.iter(|| scan::locate(black_box(&gray), &thresholds).unwrap()));
        g.bench_function("segment", |b| {
            b.iter(|| {
                let r = scan::rectify(black_box(&gray), &loc, format.width()).unwrap();
                scan::cell_tensor(&r)
            })
        });
        g.bench_function("recognise", |b| b.iter(|| model.probabilities(black_box(cells.clone())).unwrap()));
        g.bench_function("repair", |b| b.iter(|| repair_readings(black_box(&candidates)).unwrap()));
        let verifier = Verifier::new(Config::default()).unwrap();
        g.bench_function("whole_read", |b| b.iter(|| verifier.verify_image("bench", black_box(&bytes))));
        // The check families on a document already read.
        let doc = verifier.read(&mrtd_verify::Scan::from_bytes("bench", bytes.as_slice()));
        g.bench_function("checks", |b| b.iter(|| verifier.judge(black_box(&doc))));
        // The visual zone: cutting and reading its lines, finding the values
        // (the `viz` checks themselves are in `checks`).
        let lines = LineModel::bundled().unwrap();
        let zone = doc.reading().unwrap().zone;
        g.bench_function("viz_read", |b| {
            b.iter(|| VizReading::read(black_box(&gray), &layout.lines, &zone, &lines).unwrap())
        });
        g.finish();
    }
}

/// The companions: registering the infrared image to the page, and each band
/// family on a document already read (judging with that family alone).
fn bands(c: &mut Criterion) {
    use mrtd_verify::checks::Registry;
    use mrtd_verify::checks::bands::{IrCheck, UvCheck, register_on_mrz};
    let g = Generator::new(CorpusOptions::default().dpi(300).bands(true).store_jpeg(Some(90))).unwrap();
    for (name, format) in [("td3", Format::Td3), ("td1", Format::Td1)] {
        let s = g.render(4243, 0, format, Truth::Genuine, Condition::Clean).unwrap();
        let scan_ = mrtd_verify::Scan::from_bytes("bench", s.visible.as_slice())
            .with_ir(s.ir.as_deref().unwrap())
            .with_uv(s.uv.as_deref().unwrap());
        let verifier = Verifier::new(Config::default()).unwrap();
        let doc = verifier.read(&scan_);
        let (page, ir, reading) =
            (doc.page().unwrap(), doc.band(mrtd_verify::Band::Ir).unwrap(), doc.reading().unwrap());
        let mut group = c.benchmark_group(format!("bands/{name}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("register", |b| {
            b.iter(|| register_on_mrz(black_box(page.grey()), ir.grey(), reading).unwrap())
        });
        for (family, registry) in [("ir", Registry::empty().with(IrCheck)), ("uv", Registry::empty().with(UvCheck))] {
            let v = Verifier::builder().registry(registry).build().unwrap();
            group.bench_function(family, |b| b.iter(|| v.judge(black_box(&doc))));
        }
        group.finish();
    }
}

/// The portrait family on a 300 dpi page already read: locating the
/// portrait, and the whole family (locate, noise, compression) judged alone.
fn photo(c: &mut Criterion) {
    use mrtd_verify::checks::Registry;
    use mrtd_verify::checks::photo::PortraitCheck;
    let verifier = Verifier::new(Config::default()).unwrap();
    let v = Verifier::builder().registry(Registry::empty().with(PortraitCheck)).build().unwrap();
    for (name, format) in [("td3", Format::Td3), ("td1", Format::Td1)] {
        let bytes = pages(format, 1).remove(0);
        let doc = verifier.read(&mrtd_verify::Scan::from_bytes("bench", bytes.as_slice()));
        let mut group = c.benchmark_group(format!("photo/{name}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("family", |b| b.iter(|| v.judge(black_box(&doc))));
        group.finish();
    }
}

/// The page-tampering family on a 300 dpi page already read (its visual
/// zone too): every pair of identical digits laid on each other.
fn tamper(c: &mut Criterion) {
    use mrtd_verify::checks::Registry;
    use mrtd_verify::checks::tamper::TamperCheck;
    let verifier = Verifier::new(Config::default()).unwrap();
    let v = Verifier::builder().registry(Registry::empty().with(TamperCheck)).build().unwrap();
    for (name, format) in [("td3", Format::Td3), ("td1", Format::Td1)] {
        let bytes = pages(format, 1).remove(0);
        let doc = verifier.read(&mrtd_verify::Scan::from_bytes("bench", bytes.as_slice()));
        let mut group = c.benchmark_group(format!("tamper/{name}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("family", |b| b.iter(|| v.judge(black_box(&doc))));
        group.finish();
    }
}

fn batch(c: &mut Criterion) {
    let docs = pages(Format::Td3, 8);
    let verifier = Verifier::new(Config::default()).unwrap();
    let mut g = c.benchmark_group("batch/td3_300dpi");
    g.sample_size(10);
    g.throughput(Throughput::Elements(docs.len() as u64));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        g.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                pool.install(|| docs.par_iter().map(|d| verifier.verify_image("bench", d).verdict).collect::<Vec<_>>())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages, bands, photo, tamper, batch);
criterion_main!(benches);
