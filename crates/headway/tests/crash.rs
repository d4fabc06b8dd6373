//! Crash safety: the real `headway serve` takes concurrent PD-activity writes (and, in a
//! second test, a burst of event registrations), is killed with SIGKILL at a random moment,
//! and restarts; every write it acknowledged with 2xx/3xx must still be there and the
//! database must pass its integrity check. Runs on the backend
//! chosen by `HEADWAY_TEST_DATABASE_URL`.

mod common;

use common::serve;
use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::register::{Decision, RegisterRules};
use headway_store::accounts::NewAccount;
use headway_store::register::prelude::*;
use headway_store::register::Enrolment;
use headway_store::testing::TestDb;
use rand::Rng;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn login(base: &str) -> (reqwest::Client, String) {
    let c = common::client();
    let token = common::token(&c, base, "/login").await;
    let res = c
        .post(format!("{base}/login"))
        .form(&[
            ("username", "crashtest"),
            ("password", "crash test password"),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let token = common::token(&c, base, "/register/me").await;
    (c, token)
}

/// A PD activity as the page's form sends it (multipart), titled so it can be found.
fn activity_form(title: &str, today: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("title", title.to_owned())
        .text("kind", "formal")
        .text("hours", "1")
        .text("points", "1")
        .text("started_on", today.to_owned())
        .text("completed_on", today.to_owned())
}

/// The acknowledged titles that are not among the stored activities.
fn lost(acked: &[String], stored: Vec<headway_store::register::ActivityView>) -> Vec<&String> {
    let stored: std::collections::HashSet<String> = stored.into_iter().map(|a| a.title).collect();
    acked.iter().filter(|t| !stored.contains(*t)).collect()
}

async fn integrity(db: &TestDb) -> String {
    let conn = db.store.conn();
    match conn.get_database_backend() {
        DbBackend::Sqlite => {
            let row = conn
                .query_one(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA integrity_check",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<String>(0).unwrap()
        }
        _ => {
            // PostgreSQL is crash-safe by its WAL; check the data is readable end to end.
            let row = conn
                .query_one(Statement::from_string(
                    conn.get_database_backend(),
                    "SELECT count(*) FROM register_activities",
                ))
                .await
                .unwrap()
                .unwrap();
            let _: i64 = row.try_get_by_index(0).unwrap();
            "ok".into()
        }
    }
}

/// A registered leader with an account (`crashtest`) that can log in and write.
async fn writing_leader(db: &TestDb) -> i32 {
    let s = &db.store;
    for (d, path, bytes) in &headway_store::import::bundled::BUNDLED[6..] {
        s.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    let acct = s
        .create_account(
            "test",
            NewAccount {
                username: Username::parse("crashtest").unwrap(),
                password: NewPassword::parse("crash test password").unwrap(),
                role: Role::Leader,
                display_name: "Crash Test".into(),
                organization_id: None,
                person_id: None,
            },
        )
        .await
        .unwrap();
    let school = s
        .organization_id("si:zavod:os-ljubo-sercer-kocevje")
        .await
        .unwrap()
        .unwrap();
    let leader = s
        .enrol(
            acct.id,
            Enrolment {
                given_name: "Crash".into(),
                family_name: "Test".into(),
                email: None,
                board_id: None,
                school_ids: vec![school],
                position: headway_domain::register::Position::Director,
                qualification: "x".into(),
            },
        )
        .await
        .unwrap();
    let rules = RegisterRules::default();
    s.decide(
        "test",
        leader,
        Decision::Register {
            level: "Master".into(),
        },
        chrono::Utc::now().date_naive(),
        &rules,
    )
    .await
    .unwrap();
    leader
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let db = TestDb::new().await;
    let s = &db.store;
    let leader = writing_leader(&db).await;
    let trials = 3;
    let mut acknowledged_total = 0;
    for trial in 0..trials {
        let (mut child, base) = serve(&db.url);
        let (client, token) = login(&base).await;
        let acked = Arc::new(Mutex::new(Vec::<String>::new()));
        let today = chrono::Utc::now().date_naive().to_string();
        let mut writers = vec![];
        for w in 0..6 {
            let (client, token, base, acked, today) = (
                client.clone(),
                token.clone(),
                base.clone(),
                acked.clone(),
                today.clone(),
            );
            writers.push(tokio::spawn(async move {
                for k in 0.. {
                    let title = format!("trial {trial} writer {w} #{k}");
                    let form = activity_form(&title, &today);
                    match client
                        .post(format!("{base}/register/me/activities?_csrf={token}"))
                        .multipart(form)
                        .send()
                        .await
                    {
                        Ok(r) if r.status().is_success() || r.status().is_redirection() => {
                            acked.lock().unwrap().push(title)
                        }
                        Ok(r) => panic!("write refused with {}", r.status()),
                        Err(_) => break, // the server is gone
                    }
                }
            }));
        }
        let wait = rand::thread_rng().gen_range(300..1500);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        for w in writers {
            w.await.unwrap();
        }
        let acked = acked.lock().unwrap().clone();
        assert!(
            !acked.is_empty(),
            "trial {trial}: some writes were acknowledged before the kill"
        );
        acknowledged_total += acked.len();

        // Restart and check: nothing acknowledged is lost, the database is sound.
        let (mut again, base) = serve(&db.url);
        let lost = lost(&acked, s.activities(leader).await.unwrap());
        assert!(
            lost.is_empty(),
            "trial {trial}: {} acknowledged writes lost, e.g. {:?}",
            lost.len(),
            lost.first()
        );
        assert_eq!(integrity(&db).await, "ok");
        let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
        assert_eq!(health.status(), 200);
        again.kill().unwrap();
        again.wait().unwrap();
    }
    eprintln!("crash trials: {trials}, acknowledged writes: {acknowledged_total}, lost: 0");
}

/// Events of the future to register for, each with one audience.
async fn events(db: &TestDb, n: usize) -> Vec<i32> {
    use headway_domain::events::{parse_local, AudienceKey, EventKind, Schedule, Zone};
    use headway_store::events::{Events, NewAudience, NewEvent};
    let zone = Zone::parse("z", "Europe/Ljubljana").unwrap();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let e = NewEvent {
            kind: EventKind::Training,
            title: format!("Crash {i}"),
            description: String::new(),
            language: headway_domain::language::Lang::Sl,
            network_id: None,
            host_id: None,
            venue_name: String::new(),
            venue_address: String::new(),
            latlon: None,
            online_url: String::new(),
            schedule: Schedule::new(
                parse_local("s", "2030-01-10 09:00").unwrap(),
                parse_local("e", "2030-01-10 12:00").unwrap(),
                zone,
            )
            .unwrap(),
            audiences: vec![NewAudience {
                key: AudienceKey::parse("a", "ravnatelji").unwrap(),
                name: "Ravnatelji".into(),
                capacity: None,
            }],
            offer_id: None,
            capacity: Some(1),
            registration_closes: None,
            needs_approval: false,
            organiser: None,
        };
        out.push(db.store.create_event("test", e).await.unwrap());
    }
    out
}

/// A burst of registrations (each for its own event, through the page's form) while the
/// server is killed with SIGKILL: every registration it acknowledged is there after the
/// restart, confirmed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_registrations_survive_sigkill() {
    use headway_domain::events::participation::RegStatus;
    use headway_store::events::Registrations;
    let db = TestDb::new().await;
    let s = &db.store;
    writing_leader(&db).await;
    let person = s
        .account_by_username("crashtest")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .expect("the leader's person");
    let ids = Arc::new(events(&db, 600).await);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (mut child, base) = serve(&db.url);
    let (client, token) = login(&base).await;
    let acked = Arc::new(Mutex::new(Vec::<i32>::new()));
    let mut writers = vec![];
    for _ in 0..6 {
        let (client, token, base, acked, ids, next) = (
            client.clone(),
            token.clone(),
            base.clone(),
            acked.clone(),
            ids.clone(),
            next.clone(),
        );
        writers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(&event) = ids.get(i) else { break };
                match client
                    .post(format!("{base}/events/{event}/register"))
                    .form(&[("_csrf", token.as_str()), ("audience", "ravnatelji")])
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_redirection() => acked.lock().unwrap().push(event),
                    Ok(r) => panic!("registration refused with {}", r.status()),
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    let wait = rand::thread_rng().gen_range(300..1200);
    tokio::time::sleep(Duration::from_millis(wait)).await;
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        !acked.is_empty(),
        "registrations were acknowledged before the kill"
    );
    assert!(acked.len() < ids.len(), "the kill came during the burst");
    let (mut again, _) = serve(&db.url);
    let mut lost = Vec::new();
    for &e in &acked {
        let r = s.registration(e, person).await.unwrap();
        if r.map(|r| r.status) != Some(RegStatus::Confirmed) {
            lost.push(e);
        }
    }
    assert!(
        lost.is_empty(),
        "{} acknowledged registrations lost: {lost:?}",
        lost.len()
    );
    assert_eq!(integrity(&db).await, "ok");
    again.kill().unwrap();
    again.wait().unwrap();
    eprintln!(
        "registrations acknowledged before SIGKILL: {}, lost: 0",
        acked.len()
    );
}

/// The command that restarts the PostgreSQL server under test: `HEADWAY_PG_RESTART`, or
/// Debian's `pg_ctlcluster` for the newest installed cluster, in immediate mode (no
/// checkpoint: recovery from the WAL, as after a crash).
fn pg_restart() -> Command {
    if let Ok(cmd) = std::env::var("HEADWAY_PG_RESTART") {
        let mut c = Command::new("sh");
        c.args(["-c", &cmd]);
        return c;
    }
    let mut versions: Vec<String> = std::fs::read_dir("/etc/postgresql")
        .expect("/etc/postgresql (Debian's PostgreSQL) or HEADWAY_PG_RESTART")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    versions.sort_by_key(|v| v.parse::<u32>().unwrap_or(0));
    let mut c = Command::new("pg_ctlcluster");
    c.args(["--skip-systemctl-redirect", "--mode", "immediate"])
        .arg(versions.last().expect("a PostgreSQL cluster"))
        .args(["main", "restart"])
        // Recovery syncs the data directory first; on a busy disk that outlasts pg_ctl's
        // default minute.
        .args(["--", "--timeout=300"]);
    c
}

/// PostgreSQL restarts (immediate mode) while `headway serve` takes writes: the server
/// is not restarted, its pool reconnects by itself, writes succeed again, and every write
/// acknowledged before, during or after the restart is stored. It restarts the shared
/// PostgreSQL server, so it runs alone: `.ci/run` calls it with `--ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "restarts the PostgreSQL server; .ci/run runs it alone"]
async fn acknowledged_writes_survive_a_postgresql_restart() {
    let db = TestDb::new().await;
    assert!(
        db.url.starts_with("postgres"),
        "set HEADWAY_TEST_DATABASE_URL to a PostgreSQL server this test may restart"
    );
    let s = &db.store;
    let leader = writing_leader(&db).await;
    let (mut child, base) = serve(&db.url);
    let (client, token) = login(&base).await;
    let acked = Arc::new(Mutex::new(Vec::<(String, std::time::Instant)>::new()));
    let failed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let today = chrono::Utc::now().date_naive().to_string();
    let mut writers = vec![];
    for w in 0..4 {
        let (client, token, base, acked, failed, stop, today) = (
            client.clone(),
            token.clone(),
            base.clone(),
            acked.clone(),
            failed.clone(),
            stop.clone(),
            today.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut k = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                k += 1;
                let title = format!("restart writer {w} #{k}");
                let form = activity_form(&title, &today);
                let res = client
                    .post(format!("{base}/register/me/activities?_csrf={token}"))
                    .timeout(Duration::from_secs(15))
                    .multipart(form)
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() || r.status().is_redirection() => acked
                        .lock()
                        .unwrap()
                        .push((title, std::time::Instant::now())),
                    // While the database is away, the answer is an error, not an ack.
                    _ => {
                        failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = acked.lock().unwrap().len();
    assert!(before > 0, "writes were acknowledged before the restart");
    let restart_started = std::time::Instant::now();
    let status = pg_restart().status().expect("run the restart command");
    assert!(status.success(), "the PostgreSQL restart failed: {status}");
    let restarted = std::time::Instant::now();
    // Writes must be acknowledged again without touching `headway serve`.
    let mut recovered = None;
    for _ in 0..600 {
        if let Some((_, at)) = acked
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|(_, at)| *at > restarted)
        {
            recovered = Some(*at - restarted);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let recovered = recovered.expect("writes succeed again within 30 s of the restart");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "headway serve kept running"
    );
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);

    let acked: Vec<String> = acked
        .lock()
        .unwrap()
        .iter()
        .map(|(t, _)| t.clone())
        .collect();
    // The test's own pool went through the restart too; it must reconnect as well.
    let mut stored = None;
    for _ in 0..50 {
        if let Ok(a) = s.activities(leader).await {
            stored = Some(a);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let lost = lost(&acked, stored.expect("the test's pool reconnects"));
    assert!(
        lost.is_empty(),
        "{} acknowledged writes lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!(
        "PostgreSQL restart: {} writes acknowledged ({before} before), {} refused while it was away, \
         restart took {:.1} s, writes acknowledged again {:.2} s after it, lost: 0",
        acked.len(),
        failed.load(std::sync::atomic::Ordering::Relaxed),
        (restarted - restart_started).as_secs_f64(),
        recovered.as_secs_f64()
    );
}
