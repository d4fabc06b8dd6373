//! A fresh, empty, migrated database per test, on the backend the environment selects:
//! `HEADWAY_TEST_DATABASE_URL=postgres://…` runs on PostgreSQL (a new database is created
//! for each test), anything else on a new SQLite file.

use crate::{DbConfig, Store};
use rand::Rng;

/// A test database; the SQLite file is removed when dropped.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    file: Option<std::path::PathBuf>,
}

impl TestDb {
    pub async fn new() -> Self {
        let tag: u64 = rand::thread_rng().gen();
        let (url, file) = match std::env::var("HEADWAY_TEST_DATABASE_URL") {
            Ok(admin) if admin.starts_with("postgres") => {
                let name = format!("hw_t_{tag:016x}");
                let admin_store = Store::connect(&DbConfig {
                    url: admin.clone(),
                    max_connections: 1,
                })
                .await
                .expect("connect to the PostgreSQL test server");
                use sea_orm::ConnectionTrait;
                admin_store
                    .conn()
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin_store.close().await.ok();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                (format!("{base}/{name}"), None)
            }
            _ => {
                let path = std::env::temp_dir().join(format!("headway-test-{tag:016x}.db"));
                (format!("sqlite://{}", path.display()), Some(path))
            }
        };
        let store = Store::connect(&DbConfig {
            url: url.clone(),
            max_connections: 8,
        })
        .await
        .expect("connect to the test database");
        store.migrate().await.expect("migrate");
        Self { store, url, file }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
    }
}
