//! Writers that read first and then write, next to writers of single statements (session
//! saves), on the backend chosen by `HEADWAY_TEST_DATABASE_URL`. On SQLite a deferred
//! transaction in that position failed at once with "database is locked" when the other
//! connection committed between its read and its write (the soak of `bench/load.sh` found
//! it); write transactions now take the write lock when they begin.

use headway_store::testing::TestDb;
use sea_orm::{ConnectionTrait, Statement};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_then_write_transactions_survive_concurrent_single_writes() {
    let db = TestDb::new().await;
    let store = db.store.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let saved = Arc::new(AtomicU64::new(0));
    // Sessions saved as fast as they go, each its own statement.
    let saver = {
        let (store, stop, saved) = (store.clone(), stop.clone(), saved.clone());
        tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let record = Record {
                    id: Id(n as i128 + 1),
                    data: Default::default(),
                    expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
                };
                store.save(&record).await.expect("session save");
                n += 1;
                saved.store(n, Ordering::Relaxed);
            }
            n
        })
    };
    let backend = store.conn().get_database_backend();
    let mut committed = 0;
    for k in 0..60 {
        let txn = store.begin_write().await.expect("begin");
        let row = txn
            .query_one(Statement::from_string(
                backend,
                "SELECT COUNT(*) FROM sessions",
            ))
            .await
            .expect("read");
        let _: i64 = row.unwrap().try_get_by_index(0).unwrap();
        // Let the other writer commit between this transaction's read and its write.
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        let sql =
            format!("INSERT INTO sessions (id, data, expires_at) VALUES ('txn-{k}', '{{}}', 0)");
        txn.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("write {k} after a read: {e}"));
        txn.commit().await.expect("commit");
        committed += 1;
        // The other writer must get through between transactions; wait for it (bounded)
        // rather than count its saves in a fixed time, which a busy machine can starve.
        let before = saved.load(Ordering::Relaxed);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while saved.load(Ordering::Relaxed) == before {
            assert!(
                std::time::Instant::now() < deadline,
                "the other writer made no save in 10 s after transaction {k}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let saves = saver.await.unwrap();
    assert_eq!(committed, 60);
    assert!(
        saves >= 60,
        "the other writer saved between every two transactions ({saves} saves)"
    );
}
