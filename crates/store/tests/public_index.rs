//! The in-memory public register as `headway serve` runs it (`Store::with_public_index`),
//! on the backend chosen by `HEADWAY_TEST_DATABASE_URL`: it answers as the database
//! search does, sees this server's writes at once and another server's within the
//! recheck interval.

use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::register::{Decision, RegisterRules};
use headway_store::accounts::NewAccount;
use headway_store::import::bundled::BUNDLED;
use headway_store::register::index::RECHECK_MS;
use headway_store::register::prelude::*;
use headway_store::register::Enrolment;
use headway_store::testing::TestDb;
use headway_store::{DbConfig, Store};
use std::time::{Duration, Instant};

/// Enrols and registers a leader named `given family` at a Dutch school, through `s`.
async fn register(s: &Store, username: &str, given: &str, family: &str) -> i32 {
    let user = s
        .create_account(
            "test",
            NewAccount {
                username: Username::parse(username).unwrap(),
                password: NewPassword::parse("a long test password").unwrap(),
                role: Role::Leader,
                display_name: username.into(),
                organization_id: None,
                person_id: None,
            },
        )
        .await
        .unwrap();
    let school = s
        .organization_id("nl:vestiging:03DX00")
        .await
        .unwrap()
        .unwrap();
    let e = Enrolment {
        given_name: given.into(),
        family_name: family.into(),
        email: None,
        board_id: None,
        school_ids: vec![school],
        position: headway_domain::register::Position::Director,
        qualification: "RDO".into(),
    };
    let id = s.enrol(user.id, e).await.unwrap();
    let level = Decision::Register {
        level: "RDO niveau 1".into(),
    };
    let today = chrono::Utc::now().date_naive();
    s.decide("test", id, level, today, &RegisterRules::default())
        .await
        .unwrap();
    id
}

fn ids(v: &[headway_store::register::PublicEntry]) -> Vec<i32> {
    v.iter().map(|e| e.id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_production_index_answers_like_the_database_and_stays_fresh() {
    let db = TestDb::new().await;
    for (d, path, bytes) in &BUNDLED[..3] {
        db.store.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    let today = chrono::Utc::now().date_naive();
    db.store
        .generate_register(400, 2, 11, today, &RegisterRules::default(), &|_, _| {})
        .await
        .unwrap();
    // Two servers on one database, each with its index, as `serve` runs them.
    let a = db.store.clone().with_public_index();
    let b = Store::connect(&DbConfig::new(db.url.clone()))
        .await
        .unwrap()
        .with_public_index();

    // The same answers as the database search, for names, schools, places and typos.
    let mut compared = 0;
    for q in [
        "de",
        "jansen",
        "school",
        "amsterdam",
        "rotterdam",
        "basisschool de",
        "jnsen",
    ] {
        let from_index = a.public_search_indexed(q, 50).await.unwrap();
        let from_db = a.public_search(q, 50).await.unwrap();
        assert_eq!(ids(&from_index), ids(&from_db), "query `{q}`");
        compared += from_db.len();
    }
    assert!(compared > 50, "the queries found leaders ({compared})");

    // A write on this server: seen at once.
    let mine = register(&a, "first", "Zwaantje", "Zeldzaam").await;
    let found = a.public_search_indexed("zeldzaam", 5).await.unwrap();
    assert_eq!(
        ids(&found),
        vec![mine],
        "this server's write is seen at once"
    );
    assert_eq!(
        a.public_entry_indexed(mine).await.unwrap().name,
        "Zwaantje Zeldzaam"
    );

    // A write on the other server: seen within the recheck interval.
    b.public_search_indexed("x", 1).await.unwrap();
    let theirs = register(&b, "second", "Ottoline", "Onvindbaar").await;
    let deadline = Instant::now() + Duration::from_millis(20 * RECHECK_MS);
    loop {
        let found = a.public_search_indexed("onvindbaar", 5).await.unwrap();
        if ids(&found) == vec![theirs] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "another server's write was never seen"
        );
        tokio::time::sleep(Duration::from_millis(RECHECK_MS / 4)).await;
    }
}
