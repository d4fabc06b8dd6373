//! The CSV that `headway group` reads (people or places, and earlier groups): rows or an
//! error naming the problem, never a panic.
#![no_main]

use headway::group_input::{parse_earlier, parse_input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let (people, earlier) = match rest.iter().position(|&b| b == 0x0c) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let wanted: Vec<String> = if flags & 2 != 0 {
        vec!["region".into(), "type".into()]
    } else {
        vec![]
    };
    match parse_input("people.csv", people, flags & 1 != 0, &wanted) {
        Ok(inp) => {
            assert!(inp.rows.len() >= 2);
            for r in &inp.rows {
                assert_eq!(r.values.len(), inp.attrs.len());
                if flags & 1 != 0 {
                    assert!(r.at.is_some());
                }
            }
            let ids = inp.ids();
            if let Ok(pairs) = parse_earlier("earlier.csv", earlier, &ids) {
                assert!(pairs
                    .iter()
                    .all(|&(i, j, _)| i < ids.len() && j < ids.len()));
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
