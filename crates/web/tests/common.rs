//! A running server per test, on its own database (SQLite or PostgreSQL, as the
//! environment selects), bound to port 0.

#![allow(dead_code)]

use headway_store::import::bundled::BUNDLED;
use headway_store::testing::TestDb;
use headway_web::{Application, WebConfig};
use reqwest::redirect::Policy;
use reqwest::Client;

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
}

/// What to load before serving.
pub enum Seed {
    /// Nothing: an empty directory.
    Empty,
    /// Slovenia and Norway only (fast).
    Small,
    /// Every bundled file and the demo accounts.
    Demo,
}

impl TestApp {
    pub async fn spawn(seed: Seed) -> TestApp {
        let db = TestDb::new().await;
        let files: &[_] = match seed {
            Seed::Empty => &[],
            Seed::Small => &BUNDLED[3..],
            Seed::Demo => &BUNDLED[..],
        };
        for (d, path, bytes) in files {
            db.store
                .import(*d, path, bytes, &|_, _| {})
                .await
                .expect("import");
        }
        if matches!(seed, Seed::Demo) {
            db.store.seed_demo().await.expect("demo accounts");
        }
        let config = WebConfig {
            listen: "127.0.0.1:0".into(),
            ..WebConfig::default()
        };
        let app = Application::build(config, db.store.clone().with_directory_index())
            .await
            .expect("bind");
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until(std::future::pending()));
        TestApp { base, db }
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Fetches `path` and returns the CSRF token of its first form.
    pub async fn csrf(&self, c: &Client, path: &str) -> String {
        let html = c
            .get(self.url(path))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("body");
        csrf_of(&html).unwrap_or_else(|| panic!("no CSRF field on {path}"))
    }

    /// The body of a GET of `path`.
    pub async fn html(&self, c: &Client, path: &str) -> String {
        c.get(self.url(path))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("body")
    }

    /// Logs in with the demo password; panics unless redirected.
    pub async fn login(&self, c: &Client, username: &str) {
        let token = self.csrf(c, "/login").await;
        let res = c
            .post(self.url("/login"))
            .form(&[
                ("username", username),
                ("password", headway_store::demo::DEMO_PASSWORD),
                ("_csrf", &token),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), 303, "login of {username} should redirect");
    }
}

pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}
