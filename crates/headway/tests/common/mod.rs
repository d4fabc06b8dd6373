//! Starting the real `headway serve` for tests that need a separate process.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts `headway serve` on a free port; returns the child and its base URL.
pub fn serve(url: &str) -> (Child, String) {
    serve_with(url, &[])
}

/// As [`serve`], with more `HEADWAY_*` settings.
pub fn serve_with(url: &str, env: &[(&str, &str)]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_headway"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .env("HEADWAY_DATABASE_URL", url)
        .env("HEADWAY_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start headway serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .trim_start_matches("Headway is running at ")
        .trim_end_matches('/')
        .to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "unexpected start line: {line}"
    );
    (child, base)
}

/// The CSRF token of a page's first form.
pub fn csrf(html: &str) -> String {
    let k = "name=\"_csrf\" value=\"";
    let at = html.find(k).expect("csrf field") + k.len();
    html[at..].split('"').next().unwrap().to_owned()
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Opens `path` with `c` and returns the CSRF token of its first form.
pub async fn token(c: &reqwest::Client, base: &str, path: &str) -> String {
    let page = c
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    csrf(&page)
}
