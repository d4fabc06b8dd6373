//! The answer path of the feedback benchmark (`bench/feedback.sh`): CONNS respondents at
//! once, each taking the next personal link from the file, opening its form
//! (`GET /feedback/{token}`, which starts the session its CSRF token belongs to) and
//! sending twenty answers (`POST`, answered with 303), until the time is up or the links
//! run out. Prints answers stored, throughput, unexpected answers and latency percentiles
//! of the form and of the answer.
//!   answer_load BASE LINKS_FILE SECONDS CONNS

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + 20;
    html[at..].split('"').next().map(str::to_owned)
}

/// The answer form of respondent `n` (the generator's own: `answers_of`).
fn answers(n: u64) -> Vec<(String, String)> {
    headway_store::feedback::generate::answers_of(n)
}

#[derive(Default)]
struct Tally {
    forms: Vec<Duration>,
    answers: Vec<Duration>,
    unexpected: u64,
    first: Option<String>,
}

fn pct(v: &[Duration], p: f64) -> f64 {
    let i = ((v.len() as f64 * p) as usize).min(v.len().saturating_sub(1));
    v.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, file, seconds, conns] = args.as_slice() else {
        eprintln!("answer_load BASE LINKS_FILE SECONDS CONNS");
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("seconds");
    let conns: usize = conns.parse().expect("connections");
    let links: Vec<String> = std::fs::read_to_string(file)
        .expect("the links file")
        .lines()
        .map(str::to_owned)
        .collect();
    let queue = Arc::new(Mutex::new(links.into_iter().enumerate()));
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..conns)
        .map(|_| {
            let (queue, base) = (queue.clone(), base.clone());
            tokio::spawn(async move {
                let c = reqwest::Client::builder()
                    .cookie_store(true)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .expect("client");
                let mut t = Tally::default();
                while Instant::now() < until {
                    let next = queue.lock().expect("queue").next();
                    let Some((n, token)) = next else { break };
                    let url = format!("{base}/feedback/{token}");
                    let at = Instant::now();
                    let form = c.get(&url).send().await;
                    let html = match form {
                        Ok(r) => r.text().await.unwrap_or_default(),
                        Err(e) => e.to_string(),
                    };
                    t.forms.push(at.elapsed());
                    let Some(token) = csrf(&html) else {
                        t.unexpected += 1;
                        t.first.get_or_insert_with(|| "a form without CSRF".into());
                        continue;
                    };
                    let mut body = answers(n as u64);
                    body.push(("_csrf".into(), token));
                    let at = Instant::now();
                    let r = c.post(&url).form(&body).send().await;
                    t.answers.push(at.elapsed());
                    let got = r.as_ref().map(|r| r.status().as_u16());
                    if got.as_ref().ok() != Some(&303) {
                        t.unexpected += 1;
                        t.first
                            .get_or_insert_with(|| format!("{got:?} where 303 was expected"));
                    }
                }
                t
            })
        })
        .collect();
    let mut all = Tally::default();
    for task in tasks {
        let t = task.await.expect("task");
        all.forms.extend(t.forms);
        all.answers.extend(t.answers);
        all.unexpected += t.unexpected;
        all.first = all.first.or(t.first);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.forms.sort();
    all.answers.sort();
    println!(
        "answers: {} in {elapsed:.1} s = {:.0}/s (each after its form); unexpected {}; \
         answer p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; form p50 {:.1} ms, p99 {:.1} ms",
        all.answers.len(),
        all.answers.len() as f64 / elapsed,
        all.unexpected,
        pct(&all.answers, 0.50),
        pct(&all.answers, 0.99),
        pct(&all.answers, 1.0),
        pct(&all.forms, 0.50),
        pct(&all.forms, 0.99),
    );
    if let Some(f) = all.first {
        println!("first unexpected answer: {f}");
    }
}
