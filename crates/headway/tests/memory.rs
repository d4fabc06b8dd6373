//! Memory under an anonymous burst of logins (issue 13, finding 2): each login hashes with
//! Argon2 (~19 MiB). Unbounded, 160 parallel logins took a server from 1.6 GB to 3.2 GB
//! and it never gave the memory back. Here the real `headway serve` takes bursts of 160
//! parallel anonymous logins, and its resident memory may grow by a bounded amount only.
//! It measures a process, so it is `#[ignore]`d in the plain test command; `.ci/run` runs
//! it on SQLite and on PostgreSQL.

mod common;

use headway_domain::accounts::{NewPassword, Role, Username};
use headway_store::accounts::NewAccount;
use headway_store::testing::TestDb;

/// The most the server's resident memory may grow through the bursts. Two hashing slots
/// keep two 19 MiB blocks; sessions, buffers and threads take the rest.
const GROWTH_LIMIT_MIB: u64 = 128;

/// Resident memory of a process, in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "measures a real server's memory; .ci/run runs it"]
async fn an_anonymous_login_burst_keeps_the_servers_memory_bounded() {
    let db = TestDb::new().await;
    db.store
        .create_account(
            "test",
            NewAccount {
                username: Username::parse("known").unwrap(),
                password: NewPassword::parse("the right password").unwrap(),
                role: Role::Leader,
                display_name: "Known".into(),
                organization_id: None,
                person_id: None,
            },
        )
        .await
        .unwrap();
    let (mut child, base) = common::serve(&db.url);
    let pid = child.id();
    // A few logins first, so that what any server keeps after its first logins (the
    // hashing blocks, connections) is in the baseline.
    let warm = reqwest::Client::new();
    for _ in 0..4 {
        warm.post(format!("{base}/login")).send().await.unwrap();
    }
    let before = rss_kib(pid);
    let mut statuses = std::collections::BTreeMap::new();
    let mut peak = before;
    for round in 0..3 {
        let mut tasks = vec![];
        for k in 0..160 {
            let base = base.clone();
            tasks.push(tokio::spawn(async move {
                let c = common::client();
                let token = common::token(&c, &base, "/login").await;
                let name = if k % 4 == 0 {
                    "known".to_owned()
                } else {
                    format!("nobody{round}x{k}")
                };
                c.post(format!("{base}/login"))
                    .form(&[
                        ("username", name.as_str()),
                        ("password", "not it at all"),
                        ("_csrf", &token),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
        for t in tasks {
            *statuses.entry(t.await.unwrap()).or_insert(0u32) += 1;
        }
        peak = peak.max(rss_kib(pid));
    }
    let after = rss_kib(pid);
    let health = reqwest::get(format!("{base}/healthz"))
        .await
        .unwrap()
        .status();
    child.kill().ok();
    child.wait().ok();
    println!(
        "RSS before {} MiB, peak {} MiB, after {} MiB; answers {statuses:?}",
        before / 1024,
        peak / 1024,
        after / 1024
    );
    assert_eq!(health, 200, "the server still answers");
    assert!(
        statuses.keys().all(|s| matches!(s, 401 | 429 | 503)),
        "only refusals: {statuses:?}"
    );
    assert!(
        peak.saturating_sub(before) <= GROWTH_LIMIT_MIB * 1024,
        "resident memory grew by {} MiB (limit {GROWTH_LIMIT_MIB} MiB)",
        (peak - before) / 1024
    );
}
