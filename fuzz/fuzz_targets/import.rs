//! Every importer: arbitrary bytes as any dataset end in a report or in an import error
//! that names file, line and field — never a panic, and never a database error (which
//! would mean a bad value got past the checks to the database).
#![no_main]

use headway_store::import::bundled::BUNDLED;
use headway_store::{Dataset, DbConfig, Store, StoreError};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct World {
    rt: tokio::runtime::Runtime,
    store: Store,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let path =
            std::env::temp_dir().join(format!("headway-fuzz-import-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let store = rt.block_on(async {
            let store = Store::connect(&DbConfig::new(format!("sqlite://{}", path.display())))
                .await
                .expect("connect");
            store.migrate().await.expect("migrate");
            // The real files first, so lookups (boards of schools, regions of
            // municipalities) have something to find.
            for (d, file, bytes) in BUNDLED.iter() {
                store
                    .import(*d, file, bytes, &|_, _| {})
                    .await
                    .expect("bundled import");
            }
            store
        });
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
