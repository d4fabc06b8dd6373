//! A server killed during a round: the real `headway serve` claims a round's search, is
//! killed with SIGKILL while it runs, and a second server takes the job over once the
//! lease has run out and finishes it — the job is never left "running"; and two servers
//! running side by side on one database run each round once. Runs on the backend chosen by
//! `HEADWAY_TEST_DATABASE_URL` (`.ci/run` runs it on SQLite and PostgreSQL).

mod common;

use common::serve_with;
use headway_domain::directory::Country;
use headway_domain::jobs::JobStatus;
use headway_domain::networks::{NetworkKind, Period};
use headway_domain::rounds::*;
use headway_store::jobs::Job;
use headway_store::networks::{Networks, NewNetwork};
use headway_store::rounds::Rounds;
use headway_store::testing::TestDb;
use std::time::{Duration, Instant};

/// The round's job once `done(job)` holds; panics after `limit`.
async fn wait_for(db: &TestDb, round: i32, limit: Duration, done: impl Fn(&Job) -> bool) -> Job {
    let started = Instant::now();
    loop {
        let job = db.store.round(round).await.unwrap().job.unwrap();
        if done(&job) {
            return job;
        }
        assert!(started.elapsed() < limit, "waited {limit:?}: {job:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A database with the Slovenian directory and a programme network, and a regional round
/// over its schools whose search runs its whole time limit (4 s, twice the lease).
async fn slovenian_round(title: &str, db: Option<TestDb>) -> (TestDb, i32, i32, RoundSpec) {
    let db = match db {
        Some(db) => db,
        None => {
            let db = TestDb::new().await;
            for (d, path, bytes) in &headway_store::import::bundled::BUNDLED[3..] {
                db.store.import(*d, path, bytes, &|_, _| {}).await.unwrap();
            }
            db
        }
    };
    let net = db
        .store
        .create_network(
            "test",
            NewNetwork {
                kind: NetworkKind::Programme,
                name: format!("Pilot {title}"),
                country: Country::Slovenia,
                programme_id: None,
                parent_id: None,
                period: Period::new("2027-01-01".parse().unwrap(), None).unwrap(),
                description: String::new(),
            },
        )
        .await
        .unwrap();
    // Regional groups of the Slovenian schools: the search runs its whole time limit.
    let spec = RoundSpec {
        title: title.into(),
        population: Population {
            kind: PopulationKind::Organizations,
            country: Some(Country::Slovenia),
            region: None,
            org_kind: None,
        },
        mode: RoundMode::Regional,
        size: 6,
        min: None,
        max: None,
        attributes: vec![],
        keep_apart: vec![],
        keep_together: vec![],
        hosts: vec![],
        host_per_group: true,
        avoid_earlier: false,
        seconds: 4,
        question: None,
        competences: vec![],
    };
    let round = headway_web::rounds::pages::start_as(&db.store, "test", net, &spec)
        .await
        .unwrap();
    (db, net, round, spec)
}

#[tokio::test]
async fn a_round_whose_server_is_killed_is_finished_by_another() {
    let (db, net, round, spec) = slovenian_round("Regional groups", None).await;
    let env = [("HEADWAY_JOB_LEASE_SECS", "2")];

    let (mut first, _) = serve_with(&db.url, &env);
    let running = wait_for(&db, round, Duration::from_secs(30), |j| {
        j.status == JobStatus::Running
    })
    .await;
    assert_eq!(running.attempts, 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    first.kill().expect("SIGKILL the first server");
    first.wait().unwrap();
    let stuck = db.store.round(round).await.unwrap().job.unwrap();
    assert_eq!(
        stuck.status,
        JobStatus::Running,
        "the dead server still holds it"
    );

    let (mut second, _) = serve_with(&db.url, &env);
    let done = wait_for(&db, round, Duration::from_secs(60), |j| j.status.is_final()).await;
    second.kill().ok();
    second.wait().ok();
    assert_eq!(done.status, JobStatus::Done, "{done:?}");
    assert_eq!(done.attempts, 2, "taken over once");
    let r = db.store.round(round).await.unwrap();
    assert_eq!(r.status, RoundStatus::Draft);
    let d = r.draft.unwrap();
    assert_eq!(
        d.members.len(),
        db.store.population(net, &spec).await.unwrap().len()
    );
    assert!(d.hosts.iter().all(Option::is_some), "a host per group");
}

#[tokio::test]
async fn two_servers_on_one_database_run_each_round_once() {
    let (db, _, first_round, _) = slovenian_round("First", None).await;
    let (db, _, second_round, _) = slovenian_round("Second", Some(db)).await;
    // The lease (2 s) is half the search: a server that did not renew its lease, or a claim
    // that was not exclusive, would let the other server start the same job (attempts 2).
    let env = [("HEADWAY_JOB_LEASE_SECS", "2")];
    let mut servers = [serve_with(&db.url, &env).0, serve_with(&db.url, &env).0];
    let mut jobs = Vec::new();
    for round in [first_round, second_round] {
        jobs.push(wait_for(&db, round, Duration::from_secs(90), |j| j.status.is_final()).await);
    }
    for s in &mut servers {
        s.kill().ok();
        s.wait().ok();
    }
    for job in jobs {
        assert_eq!(job.status, JobStatus::Done, "{job:?}");
        assert_eq!(job.attempts, 1, "claimed by one server only: {job:?}");
    }
    for round in [first_round, second_round] {
        assert_eq!(
            db.store.round(round).await.unwrap().status,
            RoundStatus::Draft
        );
    }
}
