//! The specimen generator: deterministic, valid genuine documents, every
//! forgery type produced and labelled right, character boxes on the glyphs.

use std::sync::OnceLock;

use image::GrayImage;
use mrtd_verify::mrz::{self, CheckId, Format, Outcome, Rule};
use mrtd_verify::specimen::{Condition, CorpusOptions, Forgery, Generator, InvalidData, Label, Quad, Specimen, Truth};

fn generator() -> &'static Generator {
    static G: OnceLock<Generator> = OnceLock::new();
    G.get_or_init(|| Generator::new(CorpusOptions::default().dpi(200)).unwrap())
}

fn render(index: u64, format: Format, truth: Truth, condition: Condition) -> Specimen {
    generator().render(77, index, format, truth, condition).unwrap()
}

fn reference() -> mrz::Date {
    generator().options().reference
}

fn bbox(q: &Quad) -> (f32, f32, f32, f32) {
    let xs = q.corners.iter().map(|p| p.x);
    let ys = q.corners.iter().map(|p| p.y);
    (
        xs.clone().fold(f32::MAX, f32::min),
        ys.clone().fold(f32::MAX, f32::min),
        xs.fold(f32::MIN, f32::max),
        ys.fold(f32::MIN, f32::max),
    )
}

/// Whether a point lies in a convex quad grown by `grow` pixels.
fn in_quad(q: &Quad, grow: f32, x: f32, y: f32) -> bool {
    let (cx, cy) = (q.centre().x, q.centre().y);
    let grown: Vec<(f32, f32)> = q
        .corners
        .iter()
        .map(|p| {
            let (dx, dy) = (p.x - cx, p.y - cy);
            let d = (dx * dx + dy * dy).sqrt().max(1e-3);
            (p.x + dx / d * grow, p.y + dy / d * grow)
        })
        .collect();
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b) = (grown[i], grown[(i + 1) % 4]);
        let cross = (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0);
        if cross != 0.0 {
            if sign != 0.0 && cross.signum() != sign {
                return false;
            }
            sign = cross.signum();
        }
    }
    true
}

fn mean_in(img: &GrayImage, q: &Quad) -> f32 {
    let (x0, y0, x1, y1) = bbox(q);
    let (mut sum, mut n) = (0.0f32, 0.0f32);
    for y in y0.max(0.0) as u32..(y1 as u32).min(img.height()) {
        for x in x0.max(0.0) as u32..(x1 as u32).min(img.width()) {
            sum += f32::from(img.get_pixel(x, y).0[0]);
            n += 1.0;
        }
    }
    sum / n.max(1.0)
}

/// A region of the visible page where it lies in the label's companion
/// images (the reader's misregistration and resolution).
fn in_band(q: &Quad, l: &Label) -> Quad {
    let b = l.capture.bands.expect("companions were drawn");
    let mut out = *q;
    for c in &mut out.corners {
        c.x = (c.x + b.shift_px.0 as f32) * b.scale;
        c.y = (c.y + b.shift_px.1 as f32) * b.scale;
    }
    out
}

/// The `q` quantile of the grey levels inside a region's bounding box.
fn quantile_in(img: &GrayImage, q: &Quad, at: f32) -> f32 {
    let (x0, y0, x1, y1) = bbox(q);
    let mut v: Vec<u8> = (y0.max(0.0) as u32..(y1 as u32).min(img.height()))
        .flat_map(|y| (x0.max(0.0) as u32..(x1 as u32).min(img.width())).map(move |x| (x, y)))
        .map(|(x, y)| img.get_pixel(x, y).0[0])
        .collect();
    v.sort_unstable();
    f32::from(v[((v.len() - 1) as f32 * at) as usize])
}

#[test]
fn same_seed_same_bytes() {
    let a = generator().specimen(5, 3).unwrap();
    let b = generator().specimen(5, 3).unwrap();
    assert_eq!(a.visible, b.visible);
    assert_eq!(a.ir, b.ir);
    assert_eq!(a.uv, b.uv);
    assert_eq!(a.label, b.label);
    let c = generator().specimen(6, 3).unwrap();
    assert_ne!(a.visible, c.visible);
}

#[test]
fn genuine_documents_carry_a_valid_mrz() {
    for (i, format) in Format::ALL.into_iter().enumerate() {
        for (j, condition) in Condition::EVERY.into_iter().enumerate() {
            let s = render((i * 10 + j) as u64, format, Truth::Genuine, condition);
            let l = &s.label;
            assert!(l.genuine && l.forgery.is_none());
            assert_eq!(l.format, format);
            assert_eq!(l.mrz_lines, l.true_mrz_lines);
            let text = l.mrz_lines.join("\n");
            let m = mrz::parse(&text).unwrap();
            assert_eq!(m.format(), format, "{text}");
            let v = m.validate(reference());
            assert!(v.is_valid(), "{format} {condition:?}: {text}");
            assert_ne!(v.outcome(Rule::Expiry), Outcome::Warn(mrz::Violation::Empty));
            assert_eq!(l.capture.condition, condition);
            assert_eq!(l.chars.len(), format.lines() * format.width());
            assert_eq!((l.width, l.height), (s.image.width(), s.image.height()));
        }
    }
}

#[test]
fn check_digit_forgery_refutes_the_named_digit() {
    for (i, format) in [Format::Td3, Format::Td1, Format::Td2, Format::MrvA, Format::FraId].into_iter().enumerate() {
        for k in 0..3 {
            let s =
                render(100 + (i * 3 + k) as u64, format, Truth::Forged(Forgery::CheckDigitAltered), Condition::Clean);
            let l = &s.label;
            let named = l.detail.refuted_check.expect("the label names the digit");
            let m_text = l.mrz_lines.join("\n");
            let m = mrz::parse(&m_text).unwrap();
            let refuted: Vec<CheckId> = m.check_digits().filter(|c| c.status.is_refuted()).map(|c| c.id).collect();
            assert!(refuted.contains(&named), "{format}: {named:?} not refuted in {refuted:?}");
            // Nothing but the named digit and the composite covering it.
            assert!(refuted.iter().all(|c| *c == named || *c == CheckId::Composite), "{refuted:?}");
            // Exactly one character differs from the genuine MRZ, and only the
            // check digits break: every data rule still holds.
            let diff: usize = l
                .mrz_lines
                .iter()
                .zip(&l.true_mrz_lines)
                .map(|(a, b)| a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count())
                .sum();
            assert_eq!(diff, 1);
            assert!(
                m.validate(reference()).outcomes().all(|(_, o)| matches!(o, Outcome::Pass | Outcome::NotApplicable))
            );
        }
    }
}

#[test]
fn every_forgery_type_is_produced_and_labelled() {
    for (i, forgery) in Forgery::ALL.into_iter().enumerate() {
        let format = [Format::Td3, Format::Td1, Format::Td2][i % 3];
        let s = render(200 + i as u64, format, Truth::Forged(forgery), Condition::Clean);
        let l = &s.label;
        assert!(!l.genuine);
        assert_eq!(l.forgery, Some(forgery));
        let printed_text = l.mrz_lines.join("\n");
        let printed = mrz::parse(&printed_text).unwrap();
        match forgery {
            Forgery::CheckDigitAltered => assert!(!printed.check_digits_hold()),
            Forgery::MrzRecomputed => {
                // Check digits recomputed: the MRZ holds, but it is not the
                // document's data, and the visual zone keeps the old value.
                assert!(printed.check_digits_hold());
                assert_ne!(l.mrz_lines, l.true_mrz_lines);
                assert!(l.detail.field.is_some());
            }
            Forgery::MrzPasted => {
                assert!(!l.detail.pasted.is_empty());
                // The pasted characters sit off the line the others share.
                let line = l.detail.pasted[0].0;
                let base = |pasted: bool| {
                    let ys: Vec<f32> = l
                        .chars
                        .iter()
                        .filter(|c| c.line == line && c.ch.is_ascii_digit())
                        .filter(|c| l.detail.pasted.contains(&(c.line, c.index)) == pasted)
                        .map(|c| bbox(&c.ink).3)
                        .collect();
                    ys.iter().sum::<f32>() / ys.len().max(1) as f32
                };
                assert!(
                    (base(true) - base(false)).abs() > 0.1 * l.mrz_pitch_px / 2.54,
                    "{} vs {}",
                    base(true),
                    base(false)
                );
                assert_eq!(l.mrz_lines, l.true_mrz_lines);
            }
            Forgery::PortraitSubstituted => assert!(l.detail.region.is_some()),
            Forgery::CopyMove => {
                assert!(l.detail.region.is_some() && l.detail.source_region.is_some());
                let field = l.detail.field.clone().unwrap();
                let printed_value = match field.as_str() {
                    "document_number" => &l.viz.document_number,
                    "birth_date" => &l.viz.birth_date,
                    _ => &l.viz.expiry_date,
                };
                assert_ne!(Some(printed_value), l.detail.original.as_ref());
            }
            Forgery::VizAltered => {
                assert_eq!(l.mrz_lines, l.true_mrz_lines, "the MRZ keeps the genuine value");
                assert!(l.detail.original.is_some() && l.detail.region.is_some());
            }
            Forgery::MrzIrInvisible => {
                let ir = image::load_from_memory(s.ir.as_ref().unwrap()).unwrap().to_luma8();
                let genuine = render(200 + i as u64, format, Truth::Genuine, Condition::Clean);
                let gir = image::load_from_memory(genuine.ir.as_ref().unwrap()).unwrap().to_luma8();
                // The ink's darkest pixels: near the paper's level when the
                // ink vanishes in infrared, dark when it does not.
                let dark = |img: &GrayImage, l: &Label| quantile_in(img, &in_band(&l.mrz_quad, l), 0.05);
                let (forged, real) = (dark(&ir, l), dark(&gir, &genuine.label));
                assert!(forged > real + 60.0, "MRZ in IR: forged {forged}, genuine {real}");
            }
            Forgery::PaperUvGlow => {
                let uv = image::load_from_memory(s.uv.as_ref().unwrap()).unwrap().to_luma8();
                let genuine = render(200 + i as u64, format, Truth::Genuine, Condition::Clean);
                let guv = image::load_from_memory(genuine.uv.as_ref().unwrap()).unwrap().to_luma8();
                let (forged, real) = (
                    mean_in(&uv, &in_band(&l.page_quad, l)),
                    mean_in(&guv, &in_band(&genuine.label.page_quad, &genuine.label)),
                );
                assert!(forged > 120.0 && real < 90.0, "paper under UV: forged {forged}, genuine {real}");
            }
            Forgery::MrzRetyped => assert_eq!(l.mrz_lines, l.true_mrz_lines),
            _ => unreachable!("a new forgery type needs a check here"),
        }
    }
}

#[test]
fn invalid_data_is_labelled() {
    let s = render(300, Format::Td3, Truth::Invalid(InvalidData::Expired), Condition::Clean);
    assert_eq!(s.label.invalid, Some(InvalidData::Expired));
    let m_text = s.label.mrz_lines.join("\n");
    let m = mrz::parse(&m_text).unwrap();
    let v = m.validate(reference());
    assert!(v.is_valid(), "expired, not invalid");
    assert!(matches!(v.outcome(Rule::Expiry), Outcome::Warn(_)));

    let s = render(301, Format::FraId, Truth::Invalid(InvalidData::BirthAfterIssue), Condition::Clean);
    let m_text = s.label.mrz_lines.join("\n");
    let m = mrz::parse(&m_text).unwrap();
    // The French ID carries its issue date, so the text layer sees it.
    assert!(matches!(m.validate(reference()).outcome(Rule::DateOrder), Outcome::Fail(_)));
}

/// The character boxes lie on the printed glyphs: each non-filler box holds
/// dark ink, and the MRZ's ink lies inside the boxes.
#[test]
fn character_boxes_line_up_with_glyphs() {
    for (k, (format, condition)) in
        [(Format::Td3, Condition::Clean), (Format::Td1, Condition::Skew), (Format::Td2, Condition::QuarterTurn)]
            .into_iter()
            .enumerate()
    {
        let s = render(400 + k as u64, format, Truth::Genuine, condition);
        let gray = image::DynamicImage::ImageRgb8(s.image.clone()).to_luma8();
        let l: &Label = &s.label;
        let inside_any = |x: f32, y: f32| l.chars.iter().any(|c| in_quad(&c.ink, 1.5, x, y));
        for c in l.chars.iter().filter(|c| c.ch != '<') {
            let (x0, y0, x1, y1) = bbox(&c.ink);
            let mut darkest = 255u8;
            for y in y0.max(0.0) as u32..=(y1 as u32).min(gray.height() - 1) {
                for x in x0.max(0.0) as u32..=(x1 as u32).min(gray.width() - 1) {
                    darkest = darkest.min(gray.get_pixel(x, y).0[0]);
                }
            }
            assert!(darkest < 90, "{format} {condition:?}: no ink in the box of {:?} at {},{}", c.ch, c.line, c.index);
        }
        // Dark pixels of the MRZ zone fall inside character boxes.
        let (x0, y0, x1, y1) = bbox(&l.mrz_quad);
        let (mut dark, mut outside) = (0, 0);
        for y in y0.max(0.0) as u32..(y1 as u32).min(gray.height()) {
            for x in x0.max(0.0) as u32..(x1 as u32).min(gray.width()) {
                if !in_quad(&l.mrz_quad, 0.0, x as f32 + 0.5, y as f32 + 0.5) {
                    continue;
                }
                if gray.get_pixel(x, y).0[0] < 70 {
                    dark += 1;
                    if !inside_any(x as f32 + 0.5, y as f32 + 0.5) {
                        outside += 1;
                    }
                }
            }
        }
        assert!(dark > 1000, "{dark}");
        assert!(outside * 100 <= dark, "{format} {condition:?}: {outside} of {dark} dark pixels outside the boxes");
    }
}

#[test]
fn capture_geometry_is_labelled() {
    let s = render(500, Format::Td3, Truth::Genuine, Condition::QuarterTurn);
    let l = &s.label;
    // The page's top edge points along the rotation the label gives.
    let [tl, tr, ..] = l.page_quad.corners;
    let angle = (tr.y - tl.y).atan2(tr.x - tl.x).to_degrees();
    let expected = f32::from(l.capture.quarter_turns) * 90.0 + l.capture.skew_deg;
    let diff = (angle - expected).rem_euclid(360.0);
    assert!(!(1.0..=359.0).contains(&diff), "{angle} vs {expected}");
    let bed = render(501, Format::Td1, Truth::Genuine, Condition::ScannerBed);
    assert!(bed.label.capture.bed_mm.is_some());
    // A card on an A4-size bed: the image is much larger than the card.
    assert!(bed.image.width() as f32 > 2.0 * (85.6 / 25.4 * 200.0));
    let low = render(502, Format::Td3, Truth::Genuine, Condition::LowResolution);
    assert!((150..=200).contains(&low.label.capture.dpi));
}

/// A stamped page carries a coloured dye over its MRZ, recorded in the
/// label; no other condition stamps.
#[test]
fn stamps_are_pressed_over_the_mrz_in_a_dye() {
    // Strongly coloured pixels (channel spread over 30) within the MRZ box.
    let coloured = |s: &Specimen| {
        let (x0, y0, x1, y1) = bbox(&s.label.mrz_quad);
        s.image
            .enumerate_pixels()
            .filter(|(x, y, p)| {
                let (x, y) = (*x as f32, *y as f32);
                let spread = p.0.iter().max().unwrap_or(&0) - p.0.iter().min().unwrap_or(&0);
                x >= x0 && x <= x1 && y >= y0 && y <= y1 && spread > 30
            })
            .count()
    };
    for (i, format) in Format::ALL.into_iter().enumerate() {
        let stamped = render(400 + i as u64, format, Truth::Genuine, Condition::Stamped);
        let stamp = stamped.label.capture.stamp.as_ref().expect("a stamped page records its stamp");
        assert!(!stamp.text.is_empty() && stamp.strength > 0.5, "{stamp:?}");
        assert!(coloured(&stamped) > 500, "{format}: {} coloured pixels over the MRZ", coloured(&stamped));
        let clean = render(400 + i as u64, format, Truth::Genuine, Condition::Clean);
        assert!(clean.label.capture.stamp.is_none());
        assert!(coloured(&clean) < 20, "{format}: {} coloured pixels on a clean page", coloured(&clean));
    }
}
