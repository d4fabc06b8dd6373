//! Writers that read first and then write, next to writers of single statements (session
//! saves), on the backend chosen by `HEADWAY_TEST_DATABASE_URL`. On SQLite a deferred
//! transaction in that position failed at once with "database is locked" when the other
//! connection committed between its read and its write (the soak of `bench/load.sh` found
//! it); write transactions now take the write lock when they begin.

use headway_store::testing::TestDb;
use sea_orm::{ConnectionTrait, Statement};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_then_write_transactions_survive_concurrent_single_writes() {
    let db = TestDb::new().await;
    let store = db.store.clone();
    let stop = Arc::new(AtomicBool::new(false));
    // Sessions saved as fast as they go, each its own statement.
    let saver = {
        let (store, stop) = (store.clone(), stop.clone());
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
        // Room for the other writer between transactions.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let saves = saver.await.unwrap();
    assert_eq!(committed, 60);
    assert!(
        saves >= 20,
        "the other writer kept writing meanwhile ({saves} saves)"
    );
}
