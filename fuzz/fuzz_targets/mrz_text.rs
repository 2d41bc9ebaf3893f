//! Parse, validate and keep an owned copy of arbitrary text.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mrtd_verify::fuzz::mrz_text(data));
