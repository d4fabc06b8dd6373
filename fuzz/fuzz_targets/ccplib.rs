//! The CCPLIB reader (formats A and B): a problem or a line-numbered error, never a panic
//! or an unbounded allocation.
#![no_main]

use headway_grouping::formats::read_ccplib;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match read_ccplib(text) {
        Ok(p) => {
            assert_eq!(p.weights.len(), p.n);
            assert_eq!(p.d.len(), p.n * p.n);
            let _ = p.validate();
        }
        Err(e) => assert!(!e.message.is_empty()),
    }
});
