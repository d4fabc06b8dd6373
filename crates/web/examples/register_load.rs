//! The write path of the events benchmark (`bench/events.sh`): each of N accounts signs in
//! and, until the time is up, registers for the event and cancels again through the API
//! (`POST /api/v1/events/{id}/registrations`, `DELETE …/registrations/me`), one connection
//! each. Every step takes the event's lock, so this is the event's busiest path: places
//! change hands continually, waitlisted registrations are promoted and told.
//! Prints requests, unexpected answers, throughput and latency percentiles.
//!   register_load BASE EVENT USERS(comma-separated) PASSWORD SECONDS

use std::time::{Duration, Instant};

fn csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + 20;
    html[at..].split('"').next().map(str::to_owned)
}

async fn signed_in(base: &str, user: &str, password: &str) -> (reqwest::Client, String) {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = c
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("login page");
    let token = csrf(&login.text().await.unwrap_or_default()).expect("a CSRF field");
    c.post(format!("{base}/login"))
        .form(&[
            ("username", user),
            ("password", password),
            ("_csrf", &token),
        ])
        .send()
        .await
        .expect("sign in");
    let me = c.get(format!("{base}/me")).send().await.expect("me");
    let token = csrf(&me.text().await.unwrap_or_default()).expect("signed in");
    (c, token)
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    unexpected: u64,
    /// The first unexpected answer, to say what went wrong.
    first: Option<String>,
}

impl Tally {
    fn check(&mut self, r: &Result<reqwest::Response, reqwest::Error>, want: u16) {
        let got = r.as_ref().map(|r| r.status().as_u16());
        if got.as_ref().ok() != Some(&want) {
            self.unexpected += 1;
            if self.first.is_none() {
                self.first = Some(format!("{got:?} where {want} was expected"));
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, event, users, password, seconds] = args.as_slice() else {
        eprintln!("register_load BASE EVENT USERS PASSWORD SECONDS");
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("seconds");
    let mut sessions = Vec::new();
    for u in users.split(',') {
        sessions.push(signed_in(base, u, password).await);
    }
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = sessions
        .into_iter()
        .map(|(c, token)| {
            let url = format!("{base}/api/v1/events/{event}/registrations");
            tokio::spawn(async move {
                let mut t = Tally::default();
                while Instant::now() < until {
                    let at = Instant::now();
                    let r = c
                        .post(&url)
                        .header("x-csrf-token", &token)
                        .json(&serde_json::json!({ "audience": "principals" }))
                        .send()
                        .await;
                    t.latencies.push(at.elapsed());
                    t.check(&r, 201);
                    let at = Instant::now();
                    let r = c
                        .delete(format!("{url}/me"))
                        .header("x-csrf-token", &token)
                        .send()
                        .await;
                    t.latencies.push(at.elapsed());
                    t.check(&r, 204);
                }
                t
            })
        })
        .collect();
    let mut all = Tally::default();
    for task in tasks {
        let t = task.await.expect("task");
        all.latencies.extend(t.latencies);
        all.unexpected += t.unexpected;
        all.first = all.first.or(t.first);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    let pct = |p: f64| {
        let i =
            ((all.latencies.len() as f64 * p) as usize).min(all.latencies.len().saturating_sub(1));
        all.latencies
            .get(i)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "writes: {} in {elapsed:.1} s = {:.0}/s; unexpected answers {}; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all.latencies.len(),
        all.latencies.len() as f64 / elapsed,
        all.unexpected,
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
    if let Some(f) = all.first {
        println!("first unexpected answer: {f}");
    }
}
