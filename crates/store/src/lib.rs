//! Persistence for Headway: SeaORM over SQLite and PostgreSQL through one code path.
//!
//! [`Store`] is cheap to clone (a pool handle). Each feature adds its capabilities in a
//! module of the same name as in the other layers (`directory`, `accounts`, `audit`, …).

pub mod accounts;
pub mod audit;
#[cfg(feature = "fixtures")]
pub mod demo;
pub mod directory;
pub mod directory_index;
pub mod entities;
pub mod events;
pub mod feedback;
mod files;
pub mod fresh;
pub mod guidance;
pub mod import;
pub mod jobs;
pub mod memberships;
pub mod migration;
pub mod networks;
pub mod outbox;
pub mod passwords;
pub mod register;
#[cfg(feature = "fixtures")]
pub mod register_gen;
pub mod rounds;
pub mod sessions;
#[cfg(feature = "fixtures")]
pub mod testing;

use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use sea_orm_migration::MigratorTrait;
use std::str::FromStr;
use std::time::Duration;

pub use import::{Dataset, ImportError, ImportReport};

/// What the store can fail with; the web layer maps each to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    /// A rule of a feature refuses the step now; the code says which, in any language.
    #[error("{0}")]
    Refused(Box<dyn headway_domain::refusal::Refusal>),
    /// Nothing the user can change: a setting that cannot work, stored data that no longer
    /// parses, a hash that failed.
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("audit chain broken: {0}")]
    Audit(#[from] headway_domain::audit::ChainError),
    /// A field of the input does not parse; the message names the field.
    #[error(transparent)]
    Input(#[from] headway_domain::input::InputError),
    /// Too much work is queued (password hashing); try again shortly.
    #[error("busy; try again in a moment")]
    Busy,
}

impl From<headway_domain::register::RuleError> for StoreError {
    fn from(e: headway_domain::register::RuleError) -> Self {
        StoreError::Refused(Box::new(e))
    }
}

impl From<headway_domain::feedback::FeedbackRule> for StoreError {
    fn from(e: headway_domain::feedback::FeedbackRule) -> Self {
        StoreError::Refused(Box::new(e))
    }
}

impl From<headway_domain::guidance::cases::CaseRule> for StoreError {
    fn from(e: headway_domain::guidance::cases::CaseRule) -> Self {
        StoreError::Refused(Box::new(e))
    }
}

impl From<headway_domain::events::participation::EventRule> for StoreError {
    fn from(e: headway_domain::events::participation::EventRule) -> Self {
        StoreError::Refused(Box::new(e))
    }
}

impl From<headway_domain::events::counselling::CounsellingRule> for StoreError {
    fn from(e: headway_domain::events::counselling::CounsellingRule) -> Self {
        StoreError::Refused(Box::new(e))
    }
}

impl From<headway_domain::events::invitations::InvitationRule> for StoreError {
    fn from(e: headway_domain::events::invitations::InvitationRule) -> Self {
        StoreError::Refused(Box::new(e))
    }
}

impl From<headway_domain::rounds::RoundRule> for StoreError {
    fn from(e: headway_domain::rounds::RoundRule) -> Self {
        StoreError::Refused(Box::new(e))
    }
}

impl From<headway_domain::accounts::AccountRule> for StoreError {
    fn from(e: headway_domain::accounts::AccountRule) -> Self {
        StoreError::Refused(Box::new(e))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DbConfig {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    pub max_connections: u32,
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
        }
    }
}

/// The handle every layer above uses.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    /// SQLite allows one writer: write transactions queue here instead of failing with
    /// SQLITE_BUSY when two deferred transactions both try to upgrade to writing.
    /// PostgreSQL needs no such gate.
    write_gate: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    /// The in-memory public register, when turned on (`with_public_index`).
    public_index: Option<std::sync::Arc<fresh::Fresh<register::index::PublicIndex>>>,
    /// The in-memory directory search, when turned on (`with_directory_index`).
    directory_index: Option<directory_index::SharedDirectoryIndex>,
    /// Counts committed write transactions of this process, so the public index knows
    /// at once when this server changed something.
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The directory's totals for the home page (counting a million people on every
    /// visit is wasted work for figures that change with imports).
    directory_counts: std::sync::Arc<fresh::Fresh<Option<directory::DirectoryCounts>>>,
    /// Password hashing, bounded in concurrency and memory.
    hashing: std::sync::Arc<passwords::HashGate>,
    /// Least counts per indicator that differ from the definitions' (primary suppression).
    least_counts: std::sync::Arc<std::collections::HashMap<String, u32>>,
    /// The units with indicator values, for the indicator pages' chooser (they change only
    /// with an import).
    indicator_units: std::sync::Arc<fresh::Fresh<Option<Vec<guidance::IndicatorUnit>>>>,
    /// Assessments made lately, by school year (they change only with an import).
    assessments: guidance::AssessmentCache,
}

/// A write transaction (holding the SQLite write gate while it lives).
pub struct WriteTxn {
    txn: sea_orm::DatabaseTransaction,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl std::ops::Deref for WriteTxn {
    type Target = sea_orm::DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTxn {
    pub async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Records what was done in the audit chain and commits both together.
    pub async fn commit_audited(self, ev: audit::AuditEvent<'_>) -> Result<()> {
        audit::append(&*self, ev).await?;
        self.commit().await
    }
}

/// The current instant in stored form (`headway_domain::time::format`): the store is
/// where the clock is read.
pub fn now() -> String {
    headway_domain::time::format(chrono::Utc::now())
}

/// The URL with any password replaced, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Store {
    /// Connects. SQLite files are created when missing and opened in WAL mode with a busy
    /// timeout and foreign keys enforced; PostgreSQL gets a pool that reconnects by itself.
    pub async fn connect(cfg: &DbConfig) -> Result<Self> {
        let db = if cfg.url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(&cfg.url)
                .map_err(|e| StoreError::Internal(format!("database url: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(cfg.max_connections.max(1))
                .connect_with(opts)
                .await
                .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))?;
            sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
        } else if cfg.url.starts_with("postgres:") || cfg.url.starts_with("postgresql:") {
            let mut opt = ConnectOptions::new(cfg.url.clone());
            opt.max_connections(cfg.max_connections)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(10))
                .acquire_timeout(Duration::from_secs(10))
                .sqlx_logging(false);
            Database::connect(opt).await?
        } else {
            return Err(StoreError::Internal(format!(
                "database url `{}` must start with sqlite:// or postgres://",
                redact_url(&cfg.url)
            )));
        };
        let write_gate = (db.get_database_backend() == DbBackend::Sqlite)
            .then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        Ok(Self {
            db,
            write_gate,
            public_index: None,
            directory_index: None,
            writes: Default::default(),
            directory_counts: fresh::Fresh::new(30_000),
            hashing: std::sync::Arc::new(passwords::HashGate::for_this_machine()),
            least_counts: Default::default(),
            indicator_units: fresh::Fresh::new(30_000),
            assessments: Default::default(),
        })
    }

    /// Indicators' least counts (values on fewer pupils are hidden) where they differ from
    /// the definitions'; applied by the next indicator import.
    pub fn with_least_counts(mut self, least: std::collections::HashMap<String, u32>) -> Self {
        self.least_counts = std::sync::Arc::new(least);
        self
    }

    /// Password hashing with `slots` hashes at once (default: one per core) and a queue of
    /// sixteen per slot.
    pub fn with_password_slots(mut self, slots: usize) -> Self {
        self.hashing = std::sync::Arc::new(passwords::HashGate::new(slots));
        self
    }

    /// Begins a transaction that will write.
    pub async fn begin_write(&self) -> Result<WriteTxn> {
        let gate = match &self.write_gate {
            Some(g) => Some(g.clone().lock_owned().await),
            None => None,
        };
        let txn = sea_orm::TransactionTrait::begin(&self.db).await?;
        if gate.is_some() {
            // Take SQLite's write lock now, as BEGIN IMMEDIATE would (SeaORM only issues a
            // deferred BEGIN). A deferred transaction that reads first and then writes fails
            // at once with SQLITE_BUSY when another connection committed in between (a
            // session saved, say), and the busy timeout does not help: the soak found it.
            // A no-op UPDATE opens the write transaction with the busy handler waiting for
            // the lock. Before the first migration the table is missing and the transaction
            // stays deferred, which is harmless then: nothing else writes.
            let _ = txn
                .execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 0")
                .await;
        }
        Ok(WriteTxn {
            txn,
            _gate: gate,
            writes: self.writes.clone(),
        })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<()> {
        migration::Migrator::up(&self.db, None).await?;
        Ok(())
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A cheap liveness probe for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await?;
        Ok(())
    }

    pub async fn close(self) -> Result<()> {
        self.db.close().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_password() {
        assert_eq!(
            super::redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
