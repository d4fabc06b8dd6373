//! Login throttling under a concurrent burst, on the backend chosen by
//! `HEADWAY_TEST_DATABASE_URL`: however many attempts arrive at once, on however many
//! servers, no more than the allowed number are checked in a window.

use headway_domain::accounts::{NewPassword, Role, Username, MAX_FAILED_LOGINS};
use headway_store::accounts::{LoginOutcome, NewAccount};
use headway_store::testing::TestDb;
use headway_store::{DbConfig, Store};

async fn with_account(db: &TestDb) {
    db.store
        .create_account(
            "test",
            NewAccount {
                username: Username::parse("burst").unwrap(),
                password: NewPassword::parse("the right password").unwrap(),
                role: Role::Leader,
                display_name: "Burst".into(),
                organization_id: None,
                person_id: None,
            },
        )
        .await
        .unwrap();
}

/// Login attempts stored.
async fn attempts(db: &TestDb) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let sql = "SELECT COUNT(*) AS n FROM login_attempts";
    let row = db
        .store
        .conn()
        .query_one(Statement::from_string(db.store.backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_burst_on_two_servers_checks_at_most_the_allowed_attempts() {
    let db = TestDb::new().await;
    with_account(&db).await;
    // Two servers on one database; enough hashing slots that every attempt reaches the
    // throttle decision at the same moment (the default gate would turn most away first).
    let a = db.store.clone().with_password_slots(64);
    let b = Store::connect(&DbConfig::new(db.url.clone()))
        .await
        .unwrap()
        .with_password_slots(64);
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(81));
    let mut tasks = vec![];
    for k in 0..81 {
        let store = if k % 2 == 0 { a.clone() } else { b.clone() };
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            let password = if k == 40 {
                "the right password"
            } else {
                "wrong"
            };
            start.wait().await;
            store.login("burst", password).await.unwrap()
        }));
    }
    // The window limits failures: at most five wrong passwords are checked (the right
    // one, when among the first, is not a failure and leaves room for one more).
    let (mut failed, mut ok, mut throttled) = (0, 0, 0);
    for t in tasks {
        match t.await.unwrap() {
            LoginOutcome::Invalid => failed += 1,
            LoginOutcome::Ok(_) => ok += 1,
            LoginOutcome::Throttled => throttled += 1,
        }
    }
    assert!(
        failed <= MAX_FAILED_LOGINS,
        "{failed} wrong passwords were checked in one window (allowed {MAX_FAILED_LOGINS})"
    );
    assert!(ok <= 1);
    assert_eq!(failed + ok + throttled, 81);
    // The window is spent: now even the right password is not checked.
    assert_eq!(
        a.login("burst", "the right password").await.unwrap(),
        LoginOutcome::Throttled
    );
    // Other names are not affected.
    assert!(matches!(
        a.login("someone-else", "x").await.unwrap(),
        LoginOutcome::Invalid
    ));
}

#[tokio::test]
async fn names_that_cannot_be_usernames_are_refused_without_a_trace() {
    let db = TestDb::new().await;
    let long = "a".repeat(1_900_000);
    for name in [long.as_str(), "a\u{0}b", "x y z", ""] {
        assert_eq!(
            db.store.login(name, "whatever").await.unwrap(),
            LoginOutcome::Invalid
        );
    }
    assert_eq!(attempts(&db).await, 0, "nothing stored");
}

#[tokio::test]
async fn old_attempts_are_pruned_and_recent_ones_kept() {
    let db = TestDb::new().await;
    with_account(&db).await;
    for _ in 0..3 {
        db.store.login("burst", "wrong").await.unwrap();
    }
    use sea_orm::{ConnectionTrait, Statement};
    db.store
        .conn()
        .execute(Statement::from_string(
            db.store.backend(),
            "UPDATE login_attempts SET at = '2020-01-01T00:00:00.000000Z' WHERE id IN (SELECT MIN(id) FROM login_attempts)",
        ))
        .await
        .unwrap();
    assert_eq!(db.store.prune_login_attempts().await.unwrap(), 1);
    assert_eq!(attempts(&db).await, 2);
}
