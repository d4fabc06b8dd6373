//! Every importer: arbitrary bytes as any dataset end in a report or in an import error
//! that names file, line and field — never a panic, and never a database error (which
//! would mean a bad value got past the checks to the database).
#![no_main]

mod common;

use headway_store::{Dataset, Store, StoreError};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct World {
    rt: tokio::runtime::Runtime,
    store: Store,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        // The real files first, so lookups (boards of schools, regions of municipalities)
        // have something to find.
        let (rt, store) = common::seeded_store("import");
        World { rt, store }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let dataset = Dataset::ALL[which as usize % Dataset::ALL.len()];
    let w = world();
    let result =
        w.rt.block_on(w.store.import(dataset, "fuzz.csv", bytes, &|_, _| {}));
    match result {
        Ok(_) => {}
        Err(StoreError::Import(e)) => {
            assert_eq!(e.file, "fuzz.csv");
            assert!(!e.field.is_empty() && !e.message.is_empty(), "{e}");
        }
        Err(other) => panic!("{dataset}: not an import error: {other}"),
    }
});
