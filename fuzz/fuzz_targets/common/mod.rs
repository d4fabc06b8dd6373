//! What the targets that need a database share: a runtime and a fresh SQLite store
//! holding every bundled public file.

use headway_store::import::bundled::BUNDLED;
use headway_store::{DbConfig, Store};

/// A current-thread runtime and a migrated store (a new file in the temp dir, named after
/// `tag` and the process) with the real directory imported.
pub fn seeded_store(tag: &str) -> (tokio::runtime::Runtime, Store) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let path = std::env::temp_dir().join(format!("headway-fuzz-{tag}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = rt.block_on(async {
        let store = Store::connect(&DbConfig::new(format!("sqlite://{}", path.display())))
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        for (d, file, bytes) in BUNDLED.iter() {
            store
                .import(*d, file, bytes, &|_, _| {})
                .await
                .expect("bundled import");
        }
        store
    });
    (rt, store)
}
