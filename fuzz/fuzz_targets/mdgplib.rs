//! The MDGPLIB reader and the assignment reader: any text gives a problem or a
//! line-numbered error, never a panic or an unbounded allocation; a problem it accepts
//! can be validated and evaluated.
#![no_main]

use headway_grouping::formats::{read_assignment, read_mdgplib};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The second part, after a form feed, is read as an assignment of the problem's items.
    let (instance, assignment) = text.split_once('\u{c}').unwrap_or((text, ""));
    match read_mdgplib(instance) {
        Ok(p) => {
            let _ = p.validate();
            if let Ok(a) = read_assignment(assignment, p.n) {
                if a.iter().all(|&g| g < p.groups.len()) {
                    assert!(p.evaluate(&a).is_finite());
                }
            }
        }
        Err(e) => assert!(e.line >= 1 && !e.message.is_empty()),
    }
});
