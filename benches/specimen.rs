//! Rendering speed of the specimen generator: one TD3 data page at 300 dpi,
//! with and without the infrared and ultraviolet companions, and one TD1 card.
//!
//! `cargo bench --features specimen --bench specimen`

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mrtd_verify::mrz::Format;
use mrtd_verify::specimen::{Condition, CorpusOptions, Generator, Truth};
use std::hint::black_box;

fn render(c: &mut Criterion) {
    let mut g = c.benchmark_group("specimen");
    g.sample_size(20);
    g.throughput(Throughput::Elements(1));
    for (name, bands, format) in [
        ("td3_300dpi_visible", false, Format::Td3),
        ("td3_300dpi_with_ir_uv", true, Format::Td3),
        ("td1_300dpi_visible", false, Format::Td1),
    ] {
        let generator = Generator::new(CorpusOptions::default().dpi(300).bands(bands)).unwrap();
        let mut i = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                black_box(generator.render(1, i, format, Truth::Genuine, Condition::Clean).unwrap())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
