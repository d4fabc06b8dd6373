//! Form parsing end to end: arbitrary bodies, as url-encoded forms or multipart, posted to
//! every state-changing route of the real router (demo data, signed in as each role with a
//! valid CSRF token). Whatever the body, the answer is never a 5xx, and whatever a request
//! that succeeded stored keeps the text limits and the character policy.
#![no_main]

mod common;

use axum::body::{to_bytes, Body};
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use headway_web::http::csrf::CSRF_HEADER;
use headway_web::{route_table, router, AppState, WebConfig};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower::ServiceExt;

struct Session {
    cookie: String,
    csrf: String,
}

struct World {
    rt: tokio::runtime::Runtime,
    app: Router,
    /// The anonymous visitor, then one signed-in session per demo account.
    sessions: Vec<Session>,
    posts: Vec<&'static str>,
    store: headway_store::Store,
}

const ACCOUNTS: [&str; 6] = [
    "admin",
    "coordinator",
    "advisor",
    "owner",
    "leader",
    "provider",
];

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, Option<String>, String) {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let body = to_bytes(res.into_body(), 8 << 20).await.unwrap_or_default();
    (status, cookie, String::from_utf8_lossy(&body).into_owned())
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a CSRF field") + 20;
    html[at..].split('"').next().expect("token").to_owned()
}

/// A session cookie and its CSRF token, signed in as `user` (or anonymous).
async fn session(app: &Router, user: Option<&str>) -> Session {
    let (_, cookie, html) = call(app, Request::get("/login").body(Body::empty()).unwrap()).await;
    let mut cookie = cookie.expect("a session cookie");
    let mut csrf = csrf_of(&html);
    if let Some(u) = user {
        let form = format!("username={u}&password=headway-demo&_csrf={csrf}");
        let req = Request::post("/login")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let (status, new_cookie, _) = call(app, req).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login as {u}");
        cookie = new_cookie.expect("a new session id at login");
        let req = Request::get("/login")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        csrf = csrf_of(&call(app, req).await.2);
    }
    Session { cookie, csrf }
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let (rt, store) = common::seeded_store("forms");
        let (app, sessions) = rt.block_on(async {
            store.seed_demo().await.expect("demo");
            let app = router(AppState::new(store.clone(), WebConfig::default()));
            let mut sessions = vec![session(&app, None).await];
            for u in ACCOUNTS {
                sessions.push(session(&app, Some(u)).await);
            }
            (app, sessions)
        });
        let posts = route_table()
            .into_iter()
            .filter(|r| {
                r.method == Method::POST && r.path != "/logout" && !r.path.starts_with("/login")
            })
            .map(|r| r.path)
            .collect();
        World {
            rt,
            app,
            sessions,
            posts,
            store,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let [route, who, id, kind, body @ ..] = data else {
        return;
    };
    let w = world();
    let path = w.posts[*route as usize % w.posts.len()];
    // Path parameters get small ids, so that some name real leaders, activities, offers.
    let mut uri = String::new();
    for (k, part) in path.split('/').enumerate().skip(1) {
        uri.push('/');
        if part.starts_with('{') {
            uri.push_str(&(*id as u32 + k as u32 % 3).to_string());
        } else {
            uri.push_str(part);
        }
    }
    let s = &w.sessions[*who as usize % w.sessions.len()];
    let content_type = if kind & 1 == 0 {
        "application/x-www-form-urlencoded"
    } else {
        "multipart/form-data; boundary=XyZ"
    };
    let req = Request::post(uri.as_str())
        .header(header::COOKIE, &s.cookie)
        .header(CSRF_HEADER, &s.csrf)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_vec()))
        .unwrap();
    let (status, _, text) = w.rt.block_on(call(&w.app, req));
    assert!(
        !status.is_server_error(),
        "POST {uri} as session {who}: {status}\n{}",
        &text[..text.len().min(2000)]
    );
    if status.is_success() || status.is_redirection() {
        let broken = w
            .rt
            .block_on(w.store.text_policy_violations())
            .expect("read back");
        assert!(broken.is_empty(), "POST {uri} stored {broken:?}");
    }
});
