//! Decode arbitrary bytes under tight limits: the reduced PNG and JPEG decoders.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mrtd_verify::fuzz::decode_reduced(data));
