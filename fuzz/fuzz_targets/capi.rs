//! The C entry points on arbitrary bytes: the first byte picks the entry
//! (a configuration, MRZ text, image bytes with or without companions), the
//! rest is its argument. Every call must return a status (never `Panic`),
//! never crash.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for status in mrtd_verify_c::fuzz(data) {
        assert_ne!(status, mrtd_verify_c::MrtdStatus::Panic);
    }
});
