//! The browser the browser tests drive: real Chromium (Debian's `chromium` and
//! `chromedriver`) over WebDriver by fantoccini, with axe-core (from the npm registry,
//! installed into the target directory at first use) checking accessibility. Shared by the
//! browser test files (`browser.rs`, `acceptance.rs`); as a folder module it is no test
//! target of its own.

#![allow(dead_code)]

use crate::common::TestApp;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// A chromedriver (in its own process group, so Chromium goes with it) and a session.
pub struct Browser {
    driver: Child,
    pub c: Client,
    base: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Browser {
    pub async fn open(app: &TestApp) -> Browser {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let driver_bin =
            std::env::var("HEADWAY_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{driver_bin}: {e}; install Debian's chromium and chromium-driver")
            });
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let chromium =
            std::env::var("HEADWAY_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        // Plain HTTP to the local chromedriver: no TLS stack needed.
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("a WebDriver session in Chromium");
        Browser {
            driver,
            c,
            base: app.base.clone(),
            _profile: profile,
        }
    }

    /// Ends the WebDriver session (Chromium quits); the driver goes on drop.
    pub async fn close(self) {
        self.c.clone().close().await.expect("close the session");
    }

    pub async fn goto(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    pub async fn el(&self, css: &str) -> Element {
        self.el_within(css, Duration::from_secs(10)).await
    }

    /// Waits up to `limit` for `css` (for what a background job brings).
    pub async fn el_within(&self, css: &str, limit: Duration) -> Element {
        match self
            .c
            .wait()
            .at_most(limit)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => panic!("no `{css}` on {}: {e}", self.path().await),
        }
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.el(css).await;
        e.clear().await.expect("clear");
        e.send_keys(text).await.expect("type");
    }

    /// Ticks a radio button or checkbox (a click that stays on the page).
    pub async fn choose(&self, css: &str) {
        self.el(css).await.click().await.expect("choose");
    }

    /// Clicks what leads to another page (a link, a submit button) and waits until the
    /// old document is gone, so that the next lookup cannot find the page being left.
    pub async fn click(&self, css: &str) {
        let el = self.el(css).await;
        self.follow(el).await;
    }

    pub async fn follow(&self, el: Element) {
        let old = self
            .c
            .find(Locator::Css("html"))
            .await
            .expect("the current document");
        el.click().await.expect("click");
        for _ in 0..200 {
            if old.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("clicking did not lead to a new page");
    }

    /// Sets a value by script, for inputs whose typing depends on the browser's locale
    /// (dates).
    pub async fn set_value(&self, id: &str, value: &str) {
        self.c
            .execute(
                "document.getElementById(arguments[0]).value = arguments[1];",
                vec![json!(id), json!(value)],
            )
            .await
            .expect("set value");
    }

    pub async fn path(&self) -> String {
        let u = self.c.current_url().await.expect("url");
        format!(
            "{}{}",
            u.path(),
            u.query().map(|q| format!("?{q}")).unwrap_or_default()
        )
    }

    pub async fn text(&self, css: &str) -> String {
        self.el(css).await.text().await.expect("text")
    }

    pub async fn login(&self, user: &str, password: &str) {
        self.goto("/login").await;
        self.fill("#username", user).await;
        self.fill("#password", password).await;
        self.click("main form button[type=submit]").await;
        self.el("form[action='/logout']").await;
    }

    pub async fn logout(&self) {
        self.click("form[action='/logout'] button").await;
        self.el("a[href='/login']").await;
    }

    /// Runs axe-core on the current page; returns its serious and critical violations.
    pub async fn axe(&self) -> Vec<Value> {
        self.c
            .execute(axe_source(), vec![])
            .await
            .expect("inject axe-core");
        let found = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document).then(r => done(r.violations
                   .filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => ({ rule: v.id, impact: v.impact, help: v.help,
                                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))),
                   e => done([{ rule: 'axe-error', help: String(e) }]));",
                vec![],
            )
            .await
            .expect("axe.run");
        found.as_array().cloned().unwrap_or_default()
    }
}

/// axe-core's browser script, installed with npm into the target directory once.
fn axe_source() -> &'static str {
    static AXE: OnceLock<String> = OnceLock::new();
    AXE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-tools");
        let script = dir.join("node_modules/axe-core/axe.min.js");
        if !script.exists() {
            std::fs::create_dir_all(&dir).expect("tools dir");
            let ok = Command::new("npm")
                .args([
                    "install",
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                ])
                .arg(&dir)
                .arg("axe-core@4")
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(
                ok,
                "npm install axe-core failed (the npm registry must be reachable)"
            );
        }
        std::fs::read_to_string(&script).expect("axe.min.js")
    })
}
