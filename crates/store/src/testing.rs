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

/// The text columns users fill, each with the most characters it may hold and whether
/// line breaks are allowed ([`headway_domain::input`]).
pub const USER_TEXT: [(&str, &str, usize, bool); 19] = {
    use headway_domain::input::{Description, Email, FileName, PersonName, Reason, Title};
    [
        ("people", "given_name", PersonName::MAX, false),
        ("people", "family_name", PersonName::MAX, false),
        ("people", "email", Email::MAX, false),
        ("users", "display_name", PersonName::MAX, false),
        ("login_attempts", "username", 64, false),
        ("register_leaders", "qualification", Reason::MAX, true),
        ("register_decisions", "reasons", Reason::MAX, true),
        ("register_cycles", "deferral_requested", Reason::MAX, true),
        ("register_activities", "title", Title::MAX, false),
        ("register_evidence", "file_name", FileName::MAX, false),
        ("register_offers", "title", Title::MAX, false),
        ("register_offers", "description", Description::MAX, true),
        ("events", "title", Title::MAX, false),
        ("agenda_items", "title", Title::MAX, false),
        ("event_materials", "title", Title::MAX, false),
        ("event_materials", "file_name", FileName::MAX, false),
        ("guidance_decisions", "rationale", Reason::MAX, true),
        ("guidance_decisions", "assessment", Reason::MAX, true),
        ("guidance_outputs", "text", Reason::MAX, true),
    ]
};

impl Store {
    /// Stored user text that breaks its limit or the character policy, as
    /// `table.column #id: what`. Tests and the form fuzzer assert that it stays empty.
    pub async fn text_policy_violations(&self) -> crate::Result<Vec<String>> {
        use headway_domain::input::refused_char;
        use sea_orm::{ConnectionTrait, Statement};
        let mut out = vec![];
        // Only rows over the limit or with a character outside printable ASCII can break
        // the policy; the database finds those, the policy itself is checked here.
        let unusual = match self.backend() {
            sea_orm::DbBackend::Postgres => "~ '[^ -~]'",
            _ => "GLOB '*[^ -~]*'",
        };
        for (table, column, max, multiline) in USER_TEXT {
            let sql = format!(
                "SELECT id, {column} AS v FROM {table} \
                 WHERE LENGTH({column}) > {max} OR {column} {unusual}"
            );
            let rows = self
                .conn()
                .query_all(Statement::from_string(self.backend(), sql))
                .await?;
            for r in rows {
                let id: i32 = r.try_get("", "id")?;
                let v: String = r.try_get("", "v")?;
                let n = v.chars().count();
                if n > max {
                    out.push(format!(
                        "{table}.{column} #{id}: {n} characters (at most {max})"
                    ));
                }
                if let Some(c) = v.chars().find(|c| refused_char(*c, multiline).is_some()) {
                    out.push(format!("{table}.{column} #{id}: holds U+{:04X}", c as u32));
                }
            }
        }
        Ok(out)
    }
}
