//! A running server per test, on its own database (SQLite or PostgreSQL, as the
//! environment selects), bound to port 0.

#![allow(dead_code)]

use headway_store::import::bundled::BUNDLED;
use headway_store::register::prelude::*;
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
            db.store.seed_guidance_demo().await.expect("guidance demo");
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

    /// Imports the bundled indicators (Udir's national tests, FHI's Telemark figures).
    pub async fn import_indicators(&self) {
        for (d, path, bytes) in headway_store::import::bundled::INDICATORS {
            self.db
                .store
                .import(d, path, bytes, &|_, _| {})
                .await
                .expect("indicators");
        }
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

/// A new account with the demo password; returns its id.
pub async fn new_account(
    app: &TestApp,
    username: &str,
    role: headway_domain::accounts::Role,
    organization_id: Option<i32>,
) -> i32 {
    use headway_domain::accounts::{NewPassword, Username};
    app.db
        .store
        .create_account(
            "test",
            headway_store::accounts::NewAccount {
                username: Username::parse(username).unwrap(),
                password: NewPassword::parse(headway_store::demo::DEMO_PASSWORD).unwrap(),
                role,
                display_name: username.into(),
                organization_id,
                person_id: None,
            },
        )
        .await
        .unwrap()
        .id
}

/// A new leader account, enrolled as director of school 03DX00 (of the demo owner's board)
/// and registered on `on`; returns the leader's id.
pub async fn registered_leader(
    app: &TestApp,
    username: &str,
    given: &str,
    family: &str,
    email: Option<&str>,
    on: chrono::NaiveDate,
) -> i32 {
    let s = &app.db.store;
    let user = new_account(app, username, headway_domain::accounts::Role::Leader, None).await;
    let school = s
        .organization_id("nl:vestiging:03DX00")
        .await
        .unwrap()
        .unwrap();
    let enrolment = headway_store::register::Enrolment {
        given_name: given.into(),
        family_name: family.into(),
        email: email.map(Into::into),
        board_id: None,
        school_ids: vec![school],
        position: headway_domain::register::Position::Director,
        qualification: "RDO".into(),
    };
    let id = s.enrol(user, enrolment).await.unwrap();
    let level = headway_domain::register::Decision::Register {
        level: "RDO niveau 1".into(),
    };
    s.decide(
        "test",
        id,
        level,
        on,
        &headway_domain::register::RegisterRules::default(),
    )
    .await
    .unwrap();
    id
}

pub async fn post_form(
    app: &TestApp,
    c: &reqwest::Client,
    page: &str,
    path: &str,
    form: &[(&str, &str)],
) -> u16 {
    let token = app.csrf(c, page).await;
    let mut f: Vec<(&str, &str)> = form.to_vec();
    f.push(("_csrf", &token));
    c.post(app.url(path))
        .form(&f)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The status of a GET of `url`.
pub async fn status(c: &Client, url: String) -> u16 {
    c.get(url).send().await.unwrap().status().as_u16()
}

/// A directory organisation's id by its source id.
pub async fn org_id(app: &TestApp, external: &str) -> i32 {
    app.db
        .store
        .organization_id(external)
        .await
        .unwrap()
        .expect(external)
}

pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}

/// The id of the first event whose title starts with `prefix`.
pub async fn event_titled(app: &TestApp, prefix: &str) -> i32 {
    use headway_store::events::{EventQuery, Events};
    app.db
        .store
        .events(&EventQuery::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.title.starts_with(prefix))
        .unwrap_or_else(|| panic!("no event `{prefix}…`"))
        .id
}

/// The person behind the demo account `username`.
pub async fn person_of(app: &TestApp, username: &str) -> i32 {
    app.db
        .store
        .account_by_username(username)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account `{username}`"))
        .person_id
        .unwrap_or_else(|| panic!("`{username}` is no person"))
}
