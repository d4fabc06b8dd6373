//! Pages, login, roles, CSRF and languages over real HTTP.

mod common;

use common::{csrf_of, org_id, status, Seed, TestApp};
use headway_store::demo::DEMO_PASSWORD;

#[tokio::test]
async fn each_role_sees_only_what_it_may() {
    let app = TestApp::spawn(Seed::Demo).await;
    let sercer = org_id(&app, "si:zavod:os-ljubo-sercer-kocevje").await;
    let board_school = org_id(&app, "nl:vestiging:00DO00").await;
    let people_visible = |html: &str| html.contains("<th scope=\"col\">Position</th>");

    let anon = app.client();
    assert_eq!(status(&anon, app.url("/me")).await, 401);
    assert_eq!(status(&anon, app.url("/admin/accounts")).await, 401);
    let page = anon
        .get(app.url(&format!("/organizations/{sercer}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!people_visible(&page), "the public does not see people");
    assert!(!page.contains("Ana Novak"));

    // (role, accounts page, audit page, people at Šercer, people at a school of the owner's board)
    let expect = [
        ("admin", 200, 200, true, true),
        ("coordinator", 403, 200, true, true),
        ("advisor", 403, 403, true, true),
        ("owner", 403, 403, false, true),
        ("leader", 403, 403, true, false),
    ];
    for (who, accounts, audit, at_sercer, at_board) in expect {
        let c = app.client();
        app.login(&c, who).await;
        assert_eq!(status(&c, app.url("/me")).await, 200, "{who} /me");
        assert_eq!(
            status(&c, app.url("/admin/accounts")).await,
            accounts,
            "{who} accounts"
        );
        assert_eq!(
            status(&c, app.url("/admin/audit")).await,
            audit,
            "{who} audit"
        );
        let p = c
            .get(app.url(&format!("/organizations/{sercer}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(people_visible(&p), at_sercer, "{who} people at Šercer");
        if at_sercer {
            assert!(p.contains("Ana Novak"));
        }
        let p = c
            .get(app.url(&format!("/organizations/{board_school}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            people_visible(&p),
            at_board,
            "{who} people at the board's school"
        );
    }
}

#[tokio::test]
async fn state_changing_posts_need_the_csrf_token() {
    let app = TestApp::spawn(Seed::Demo).await;
    let c = app.client();
    // Login itself is a form: without a token it is refused.
    let res = c
        .post(app.url("/login"))
        .form(&[("username", "admin"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    app.login(&c, "admin").await;
    let form = [
        ("username", "newcoord"),
        ("password", "a long password"),
        ("display_name", "New"),
        ("role", "coordinator"),
    ];
    let res = c
        .post(app.url("/admin/accounts"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "no token");
    let mut bad = form.to_vec();
    bad.push(("_csrf", "0000"));
    assert_eq!(
        c.post(app.url("/admin/accounts"))
            .form(&bad)
            .send()
            .await
            .unwrap()
            .status(),
        403,
        "wrong token"
    );
    assert!(app
        .db
        .store
        .account_by_username("newcoord")
        .await
        .unwrap()
        .is_none());

    let token = app.csrf(&c, "/admin/accounts").await;
    let mut good = form.to_vec();
    good.push(("_csrf", &token));
    let res = c
        .post(app.url("/admin/accounts"))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(app
        .db
        .store
        .account_by_username("newcoord")
        .await
        .unwrap()
        .is_some());
    // The creation is in the audit log, and the chain verifies.
    let entries = app.db.store.recent_audit(1).await.unwrap();
    assert_eq!(entries[0].action, "account.create");
    assert!(entries[0].detail.contains("newcoord"));
    app.db.store.verify_audit().await.unwrap();

    // A bad value names the field and creates nothing.
    let token = app.csrf(&c, "/admin/accounts").await;
    let res = c
        .post(app.url("/admin/accounts"))
        .form(&[
            ("username", "x y"),
            ("password", "a long password"),
            ("display_name", "X"),
            ("role", "owner"),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("username:"));
}

#[tokio::test]
async fn the_sixth_wrong_password_in_a_minute_is_throttled() {
    let app = TestApp::spawn(Seed::Demo).await;
    let c = app.client();
    let token = app.csrf(&c, "/login").await;
    let attempt = |pw: &'static str| {
        let c = c.clone();
        let token = token.clone();
        let url = app.url("/login");
        async move {
            c.post(url)
                .form(&[("username", "leader"), ("password", pw), ("_csrf", &token)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for i in 1..=5 {
        assert_eq!(attempt("wrong password").await, 401, "attempt {i}");
    }
    assert_eq!(
        attempt("wrong password").await,
        429,
        "the sixth is throttled"
    );
    assert_eq!(
        attempt(DEMO_PASSWORD).await,
        429,
        "even the right password waits out the window"
    );
    // Another name is not affected.
    let other = app.client();
    app.login(&other, "advisor").await;
}

#[tokio::test]
async fn login_rotates_the_session_and_cookies_are_http_only() {
    let app = TestApp::spawn(Seed::Demo).await;
    let c = app.client();
    let res = c.get(app.url("/login")).send().await.unwrap();
    let before = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        before.contains("HttpOnly") && before.contains("SameSite=Lax"),
        "{before}"
    );
    let token = csrf_of(&res.text().await.unwrap()).unwrap();
    let res = c
        .post(app.url("/login"))
        .form(&[
            ("username", "admin"),
            ("password", DEMO_PASSWORD),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    let after = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let id = |s: &str| s.split(';').next().unwrap().to_owned();
    assert_ne!(id(&before), id(&after), "a new session id after login");
    // Logout ends the session.
    let token = app.csrf(&c, "/me").await;
    assert_eq!(
        c.post(app.url("/logout"))
            .form(&[("_csrf", token)])
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(status(&c, app.url("/me")).await, 401);
}

#[tokio::test]
async fn pages_render_in_all_four_languages() {
    let app = TestApp::spawn(Seed::Small).await;
    let c = app.client();
    for (lang, word) in [
        ("en", "Directory"),
        ("nl", "Adresboek"),
        ("nb", "Katalog"),
        ("sl", "Imenik"),
    ] {
        for path in ["/", "/directory?q=kocevje", "/login"] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let html = c
                .get(app.url(&format!("{path}{sep}lang={lang}")))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                html.contains(&format!("<html lang=\"{lang}\">")),
                "{lang} {path}"
            );
            assert!(html.contains(word), "{lang} {path} has `{word}`");
        }
    }
    // The explicit choice is remembered in a cookie…
    let html = c
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"sl\">"));
    // …and without one, Accept-Language decides.
    let fresh = app.client();
    let html = fresh
        .get(app.url("/"))
        .header("accept-language", "nb-NO,nb;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"nb\">"));
    // A Slovenian plural with two items uses the dual.
    let html = c
        .get(app.url("/directory?q=kocevje&lang=sl"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("2 organizaciji"), "dual form for 2");
}

#[tokio::test]
async fn directory_search_ignores_diacritics_and_shows_the_map() {
    let app = TestApp::spawn(Seed::Small).await;
    let c = app.client();
    for q in ["sercer", "Šercer", "SERCER kocevje"] {
        let html = c
            .get(app.url("/directory"))
            .query(&[("q", q)])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("OŠ Ljubo Šercer Kočevje"), "{q}");
    }
    let id: i32 = {
        let v: serde_json::Value = c
            .get(app.url("/api/v1/organizations?q=sercer"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["items"][0]["id"].as_i64().unwrap() as i32
    };
    let html = c
        .get(app.url(&format!("/organizations/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<svg class=\"map\"") && html.contains("<circle class=\"pin\""));
    assert!(html.contains("Jugovzhodna Slovenija"));
    assert_eq!(status(&c, app.url("/organizations/999999")).await, 404);
    assert_eq!(status(&c, app.url("/no/such/page")).await, 404);
}

#[tokio::test]
async fn health_and_security_headers() {
    let app = TestApp::spawn(Seed::Empty).await;
    let c = app.client();
    let res = c.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = c.get(app.url("/")).send().await.unwrap();
    let h = res.headers();
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h.get("set-cookie").is_none(),
        "anonymous pages create no session"
    );
}

/// Dates on a leader's page are written as the page's language writes them, instants in
/// the reader's time zone; never as stored (`2026-11-30`, `2026-11-30T02:30:44.592803Z`).
#[tokio::test]
async fn a_leaders_page_shows_dates_in_the_pages_language() {
    let app = TestApp::spawn(Seed::Demo).await;
    let today = chrono::Utc::now().date_naive();
    common::registered_leader(&app, "datum", "Dora", "Datum", None, today).await;
    let c = app.client();
    app.login(&c, "datum").await;
    use chrono::Datelike;
    let (d, m, y) = (today.day(), today.month(), today.year());
    let nl_months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    for (lang, shown) in [
        ("sl", format!("{d}. {m}. {y}")),
        ("nl", format!("{d} {} {y}", nl_months[m as usize - 1])),
    ] {
        let html = app.html(&c, &format!("/register/me?lang={lang}")).await;
        assert!(html.contains(&shown), "{lang}: {shown} on the page");
        let stored = today.format("%Y-%m-%d").to_string();
        let main = html.split("<main").nth(1).unwrap_or(&html);
        assert!(!main.contains(&stored), "{lang}: a stored date on the page");
        assert!(
            !main.contains(&format!("{stored}T")) && !main.contains("Z</"),
            "{lang}: an RFC 3339 instant on the page"
        );
    }
}
