//! Read and judge arbitrary bytes as a scan: decode, locate, read, check.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mrtd_verify::fuzz::image_bytes(data));
