//! The C ABI as a C caller uses it: the checked-in header is current, null
//! and invalid arguments are answered with a status and a message, and the
//! reports are the library's own, from any number of threads.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]
#![allow(clippy::undocumented_unsafe_blocks)]

use std::ffi::{CStr, CString, c_char};
use std::path::PathBuf;
use std::ptr::{null, null_mut};

use mrtd_verify::{Config, Scan, Verifier};
use mrtd_verify_c::*;

const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Takes a string the library returned, and frees it.
fn take(p: *mut c_char) -> String {
    assert!(!p.is_null());
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    unsafe { mrtd_string_free(p) };
    s
}

fn verifier(config: &str) -> *mut MrtdVerifier {
    let config = CString::new(config).unwrap();
    let (mut v, mut err) = (null_mut(), null_mut());
    let status = unsafe { mrtd_verifier_new(config.as_ptr(), &mut v, &mut err) };
    assert_eq!(status, MrtdStatus::Ok, "{}", if err.is_null() { String::new() } else { take(err) });
    v
}

/// A report without its timings, which differ from run to run.
fn untimed(json: &str) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("timings_ms");
                m.remove("ms");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    strip(&mut v);
    v
}

#[test]
fn header_is_current() {
    let config = cbindgen::Config::from_file(root().join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new().with_config(config).with_src(root().join("src/lib.rs")).generate().unwrap();
    let mut fresh = Vec::new();
    bindings.write(&mut fresh);
    let path = root().join("include/mrtd_verify.h");
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let checked_in = std::fs::read(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "include/mrtd_verify.h is stale: UPDATE_HEADER=1 cargo test -p mrtd-verify-capi header rewrites it"
    );
}

#[test]
fn version_is_the_crates() {
    let v = unsafe { CStr::from_ptr(mrtd_version()) }.to_str().unwrap();
    assert_eq!(v, env!("CARGO_PKG_VERSION"));
}

#[test]
fn null_and_invalid_arguments_are_errors_with_a_message() {
    let mut err = null_mut();
    // No out-pointer.
    assert_eq!(unsafe { mrtd_verifier_new(null(), null_mut(), &mut err) }, MrtdStatus::NullArgument);
    assert!(take(err).contains("out"));
    // A configuration that is not JSON, or names a field that does not exist.
    for (config, says) in [("{", "config_json"), (r#"{"thresholds": {"uv_max_papr": 1}}"#, "uv_max_papr")] {
        let config = CString::new(config).unwrap();
        let (mut v, mut err) = (null_mut(), null_mut());
        assert_eq!(unsafe { mrtd_verifier_new(config.as_ptr(), &mut v, &mut err) }, MrtdStatus::InvalidArgument);
        assert!(v.is_null());
        let message = take(err);
        assert!(message.contains(says), "{message}");
    }
    // A null error pointer is allowed: only the status comes back.
    assert_eq!(unsafe { mrtd_verifier_new(null(), null_mut(), null_mut()) }, MrtdStatus::NullArgument);

    let v = verifier("{}");
    let text = CString::new(TD3).unwrap();
    let (mut report, mut err) = (null_mut(), null_mut());
    // No verifier, no text, no report pointer, a null image with a length.
    assert_eq!(
        unsafe { mrtd_verify_text(null(), null(), text.as_ptr(), &mut report, &mut err) },
        MrtdStatus::NullArgument
    );
    assert!(take(err).contains("verifier"));
    assert_eq!(unsafe { mrtd_verify_text(v, null(), null(), &mut report, &mut err) }, MrtdStatus::NullArgument);
    assert!(take(err).contains("text"));
    assert_eq!(unsafe { mrtd_verify_text(v, null(), text.as_ptr(), null_mut(), &mut err) }, MrtdStatus::NullArgument);
    assert!(take(err).contains("report_json"));
    let status = unsafe { mrtd_verify_image(v, null(), null(), 10, null(), 0, null(), 0, &mut report, &mut err) };
    assert_eq!(status, MrtdStatus::NullArgument);
    assert!(take(err).contains("visible"));
    // A source that is not UTF-8.
    let bad = [0xffu8, 0xfe, 0];
    let status = unsafe { mrtd_verify_text(v, bad.as_ptr().cast(), text.as_ptr(), &mut report, &mut err) };
    assert_eq!(status, MrtdStatus::InvalidArgument);
    assert!(take(err).contains("UTF-8"));
    assert!(report.is_null(), "no report on an error");
    unsafe { mrtd_verifier_free(v) };
    unsafe { mrtd_verifier_free(null_mut()) };
    unsafe { mrtd_string_free(null_mut()) };
}

#[test]
fn reports_are_the_librarys_from_many_threads() {
    let config = r#"{"reference_date": "2026-06-01"}"#;
    let v = verifier(config);
    let rust = Verifier::new(Config::from_json(config).unwrap()).unwrap();

    // A scanned fixture with its infrared and ultraviolet companions.
    let dir = root().join("../fixtures/specimens");
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let (visible, ir, uv) = (read("2026-00000.jpg"), read("2026-00000-ir.png"), read("2026-00000-uv.png"));
    let source = CString::new("2026-00000.jpg").unwrap();
    let (mut report, mut err) = (null_mut(), null_mut());
    let status = unsafe {
        mrtd_verify_image(
            v,
            source.as_ptr(),
            visible.as_ptr(),
            visible.len(),
            ir.as_ptr(),
            ir.len(),
            uv.as_ptr(),
            uv.len(),
            &mut report,
            &mut err,
        )
    };
    assert_eq!(status, MrtdStatus::Ok);
    let from_c = take(report);
    let expected = rust
        .verify(&Scan::from_bytes("2026-00000.jpg", visible.as_slice()).with_ir(ir.as_slice()).with_uv(uv.as_slice()));
    assert_eq!(untimed(&from_c), untimed(&expected.to_json().unwrap()));
    assert!(from_c.contains(r#""bands":["visible","ir","uv"]"#), "{from_c}");

    // Bytes that are no image: a report, not an error.
    let junk = b"not an image at all";
    let status =
        unsafe { mrtd_verify_image(v, null(), junk.as_ptr(), junk.len(), null(), 0, null(), 0, &mut report, &mut err) };
    assert_eq!(status, MrtdStatus::Ok);
    assert!(take(report).contains(r#""verdict":"unreadable""#));

    // One verifier, four threads at once: each gets its own report.
    struct Shared(*mut MrtdVerifier);
    // SAFETY (test): the verifier is documented thread-safe.
    unsafe impl Sync for Shared {}
    let shared = Shared(v);
    let expected = untimed(&rust.verify_text("t", TD3).to_json().unwrap());
    std::thread::scope(|s| {
        for i in 0..4 {
            let shared = &shared;
            let expected = &expected;
            s.spawn(move || {
                let text = CString::new(TD3).unwrap();
                let source = CString::new("t").unwrap();
                for _ in 0..8 + i {
                    let (mut report, mut err) = (null_mut(), null_mut());
                    let status =
                        unsafe { mrtd_verify_text(shared.0, source.as_ptr(), text.as_ptr(), &mut report, &mut err) };
                    assert_eq!(status, MrtdStatus::Ok);
                    assert_eq!(&untimed(&take(report)), expected);
                }
            });
        }
    });
    unsafe { mrtd_verifier_free(v) };
}

/// The fuzz target's seeds and crashers (`fixtures/fuzz/`), and some bytes
/// of each kind, through every entry point: a status each, never a panic.
#[test]
fn fuzz_inputs_get_a_status_never_a_panic() {
    let mut inputs: Vec<Vec<u8>> = std::fs::read_dir(root().join("../fixtures/fuzz"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    let jpeg = std::fs::read(root().join("../fixtures/specimens/2026-00001.jpg")).unwrap();
    inputs.extend([
        b"{\"thresholds\": {\"ocr_confidence_warn\": \"high\"}}".to_vec(),
        b"{\"reference_date\": \"2026-13-45\"}".to_vec(),
        TD3.as_bytes().to_vec(),
        jpeg[..jpeg.len() / 3].to_vec(),
        vec![0u8; 64],
    ]);
    let mut seen = 0;
    for input in &inputs {
        for pick in 0..4u8 {
            let data: Vec<u8> = std::iter::once(pick).chain(input.iter().copied()).collect();
            for status in mrtd_verify_c::fuzz(&data) {
                assert_ne!(status, MrtdStatus::Panic, "pick {pick}, {} bytes", input.len());
                seen += 1;
            }
        }
    }
    assert_eq!(seen, inputs.len() * 4);
}
