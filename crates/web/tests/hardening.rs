//! What a probe of the running demo broke (issue 13), each reproduced against a running
//! server and shown fixed, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`.

mod common;

use headway_store::register::prelude::*;

use common::{new_account, org_id, post_form, registered_leader, status, Seed, TestApp};
use headway_domain::accounts::{Role, MAX_FAILED_LOGINS};
use reqwest::multipart::{Form, Part};
use sea_orm::{ConnectionTrait, Statement};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn count(app: &TestApp, sql: &str) -> i64 {
    let s = &app.db.store;
    s.conn()
        .query_one(Statement::from_string(s.backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

/// Sends a request head (no body) over a raw connection and returns the status line and
/// headers the server answers with, within five seconds.
async fn head_only(app: &TestApp, head: &str) -> String {
    let addr = app.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut got = vec![];
    let mut buf = [0u8; 4096];
    let read = async {
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = tcp.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), read)
        .await
        .expect("the server answered without waiting for the body");
    String::from_utf8_lossy(&got).into_owned()
}

/// A leader registered today at the demo owner's board, with one activity (10 points)
/// completed today and consent to the board for all activities.
async fn sharing_leader(
    app: &TestApp,
    username: &str,
    given: &str,
    family: &str,
    title: &str,
) -> i32 {
    let s = &app.db.store;
    let today = chrono::Utc::now().date_naive();
    let id = registered_leader(app, username, given, family, None, today).await;
    let a = headway_store::register::NewActivity {
        offer_id: None,
        title: title.into(),
        kind: headway_domain::register::ActivityKind::Formal,
        themes: vec![],
        hours: 8.0,
        points: 10.0,
        started_on: today,
        completed_on: today,
    };
    let rules = headway_domain::register::RegisterRules::default();
    s.add_activity(id, a, vec![], &rules, today).await.unwrap();
    s.grant_consent(id, None).await.unwrap();
    id
}

/// Finding 1: 80 wrong passwords and the right one at the same moment.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_burst_checks_at_most_the_allowed_attempts() {
    let app = TestApp::spawn(Seed::Empty).await;
    new_account(&app, "burst", Role::Leader, None).await;
    let mut clients = vec![];
    for _ in 0..81 {
        let c = app.client();
        let token = app.csrf(&c, "/login").await;
        clients.push((c, token));
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(81));
    let mut tasks = vec![];
    for (k, (c, token)) in clients.into_iter().enumerate() {
        let (url, start) = (app.url("/login"), start.clone());
        tasks.push(tokio::spawn(async move {
            let password = if k == 40 {
                headway_store::demo::DEMO_PASSWORD
            } else {
                "wrong password"
            };
            start.wait().await;
            let r = c
                .post(url)
                .form(&[
                    ("username", "burst"),
                    ("password", password),
                    ("_csrf", &token),
                ])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.headers().contains_key("retry-after"))
        }));
    }
    // Failures are what the window limits: at most five wrong passwords are checked. (A
    // success does not count as a failure, so the right password among the first five
    // leaves room for one more wrong one.)
    let (mut failed, mut signed_in) = (0, 0);
    for t in tasks {
        let (status, retry_after) = t.await.unwrap();
        match status {
            401 => failed += 1,
            303 => signed_in += 1,
            429 => {}
            503 => assert!(retry_after, "a busy answer says when to retry"),
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(
        failed <= MAX_FAILED_LOGINS,
        "{failed} wrong passwords checked in one window"
    );
    assert!(signed_in <= 1);
}

/// Finding 3: `next` after login stays on this site, whatever it holds.
#[tokio::test]
async fn login_never_redirects_off_site() {
    let app = TestApp::spawn(Seed::Empty).await;
    new_account(&app, "walker", Role::Leader, None).await;
    for next in [
        "/\t/evil.example",
        "/\n",
        "/\r\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "/\u{0}x",
    ] {
        let c = app.client();
        let token = app.csrf(&c, "/login").await;
        let r = c
            .post(app.url("/login"))
            .form(&[
                ("username", "walker"),
                ("password", headway_store::demo::DEMO_PASSWORD),
                ("next", next),
                ("_csrf", &token),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{next:?}");
        assert_eq!(r.headers()["location"], "/me", "{next:?}");
    }
    // The form carries only a safe `next` either.
    let c = app.client();
    let page = app.html(&c, "/login?next=%2F%09%2Fevil.example").await;
    assert!(page.contains(r#"name="next" value="/me""#));
    let page = app.html(&c, "/login?next=%2Fregister%2Fme").await;
    assert!(page.contains(r#"name="next" value="/register/me""#));
}

/// Findings 4, 5 and 6 on the board's side: an enrolment is not the board's to see until
/// the committee decided; exports neutralise formulas and take whatever is stored.
#[tokio::test]
async fn boards_see_reviewed_leaders_and_exports_are_inert() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let school = org_id(&app, "nl:vestiging:03DX00").await;
    new_account(&app, "formula", Role::Leader, None).await;
    let leader = app.client();
    app.login(&leader, "formula").await;
    let school_s = school.to_string();
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/enrol",
            "/register/enrol",
            &[
                ("given_name", "=HYPERLINK(\"http://evil.example\",\"x\")"),
                ("family_name", "@SUM(1+1)"),
                ("schools", &school_s),
                ("position", "director"),
                ("qualification", "+31 RDO\n-master"),
            ],
        )
        .await,
        303
    );
    let id = s
        .leader_id_for_user(s.account_by_username("formula").await.unwrap().unwrap().id)
        .await
        .unwrap()
        .unwrap();
    let board = app.client();
    app.login(&board, "owner").await;
    let list = app.html(&board, "/api/v1/register/board/leaders").await;
    assert!(
        !list.contains("HYPERLINK"),
        "not before the committee decided"
    );
    let page = app.url(&format!("/register/board/leaders/{id}"));
    assert_eq!(status(&board, page).await, 404);
    let csv = app.html(&board, "/register/board/export.csv").await;
    assert!(!csv.contains("HYPERLINK"));

    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let ids = id.to_string();
    let form = [
        ("leader_id", ids.as_str()),
        ("decision", "register"),
        ("level", "RDO niveau 1"),
    ];
    assert_eq!(
        post_form(
            &app,
            &coord,
            "/register/committee",
            "/register/committee/decide",
            &form
        )
        .await,
        303
    );
    let list = app.html(&board, "/api/v1/register/board/leaders").await;
    assert!(
        list.contains("HYPERLINK"),
        "the board sees the reviewed leader"
    );
    let csv = app.html(&board, "/register/board/export.csv").await;
    let row = csv.lines().find(|l| l.contains("HYPERLINK")).unwrap();
    let name = row.split(',').nth(1).unwrap().trim_start_matches('"');
    assert!(name.starts_with("'="), "formula neutralised: {row}");

    // Whatever is stored — even a name far over Excel's cell limit, written past the
    // application — the exports still work.
    let long = "x".repeat(40_000);
    let sql = format!(
        "UPDATE people SET family_name = '{long}', given_name = 'A\u{200B}B' WHERE id = (SELECT person_id FROM register_leaders WHERE id = {id})"
    );
    s.conn()
        .execute(Statement::from_string(s.backend(), sql))
        .await
        .unwrap();
    // The check the form fuzzer relies on sees what was written past the application.
    let broken = s.text_policy_violations().await.unwrap();
    assert!(
        broken.iter().any(|v| v.starts_with("people.family_name"))
            && broken.iter().any(|v| v.contains("U+200B")),
        "{broken:?}"
    );
    for path in ["/register/board/export.xlsx", "/register/board/export.csv"] {
        assert_eq!(status(&board, app.url(path)).await, 200, "{path}");
    }
}

/// Finding 6: text has limits and a character policy; nothing is half-written. On
/// PostgreSQL a NUL byte would be a database error: it is refused before it gets there.
#[tokio::test]
async fn text_over_a_limit_or_with_hidden_characters_is_refused() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let school = org_id(&app, "nl:vestiging:03DX00").await.to_string();
    let user = new_account(&app, "careless", Role::Leader, None).await;
    let leader = app.client();
    app.login(&leader, "careless").await;
    let long_name = "N".repeat(5_000);
    let cases: [(&str, &str, &str); 6] = [
        (
            "given_name",
            &long_name,
            "given_name: at most 100 characters",
        ),
        (
            "family_name",
            "Ja\u{0}nsen",
            "family_name: character 3 is U+0000",
        ),
        ("family_name", "Jan\u{202E}sen", "U+202E"),
        ("given_name", "An\u{200B}na", "U+200B"),
        ("email", "a\u{1b}@x.nl", "email: character 2 is U+001B"),
        ("qualification", "RDO\u{2066}", "U+2066"),
    ];
    for (field, value, message) in cases {
        let mut form = vec![
            ("given_name", "Anna"),
            ("family_name", "Jansen"),
            ("email", ""),
            ("schools", school.as_str()),
            ("position", "director"),
            ("qualification", "RDO"),
        ];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let token = app.csrf(&leader, "/register/enrol").await;
        form.push(("_csrf", &token));
        let r = leader
            .post(app.url("/register/enrol"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{field}");
        let body = r.text().await.unwrap();
        assert!(
            body.contains(message),
            "{field}: expected `{message}` in the page: {}",
            body.split("<main")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(600)
                .collect::<String>()
        );
        assert_eq!(
            s.leader_id_for_user(user).await.unwrap(),
            None,
            "nothing stored"
        );
    }
    // The message is the reader's: in Slovenian on a Slovenian page.
    let token = app.csrf(&leader, "/register/enrol").await;
    let form = [
        ("given_name", long_name.as_str()),
        ("family_name", "Novak"),
        ("schools", school.as_str()),
        ("position", "director"),
        ("qualification", "RDO"),
        ("_csrf", &token),
    ];
    let r = leader
        .post(app.url("/register/enrol?lang=sl"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("given_name: dovoljenih je največ 100 znakov"),
        "the message in Slovenian"
    );
    // A body over the form limit is refused whole (413), also on the login form.
    let huge = "N".repeat(100_000);
    let token = app.csrf(&leader, "/register/enrol").await;
    let r = leader
        .post(app.url("/register/enrol"))
        .form(&[("given_name", huge.as_str()), ("_csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let anon = app.client();
    let token = app.csrf(&anon, "/login").await;
    let name = "a".repeat(1_900_000);
    let r = anon
        .post(app.url("/login"))
        .form(&[
            ("username", name.as_str()),
            ("password", "x"),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let long_attempts = count(
        &app,
        "SELECT COUNT(*) AS n FROM login_attempts WHERE LENGTH(username) > 64",
    )
    .await;
    assert_eq!(
        long_attempts, 0,
        "no failed-login name is stored over 64 characters"
    );
}

/// Finding 7: numbers and dates parse into ranges; the theme must be the register's.
#[tokio::test]
async fn numbers_and_dates_out_of_range_are_refused() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let provider = s.account_by_username("provider").await.unwrap().unwrap();
    let pid = provider.organization_id.unwrap().to_string();
    let c = app.client();
    app.login(&c, "provider").await;
    let offers = "SELECT COUNT(*) AS n FROM register_offers";
    let before = count(&app, offers).await;
    let good = [
        ("provider_id", pid.as_str()),
        ("title", "Coaching"),
        ("description", ""),
        ("theme", "Leadership"),
        ("hours", "8"),
        ("points", "5"),
        ("valid_from", "2026-01-01"),
        ("valid_until", "2027-01-01"),
    ];
    for (field, value) in [
        ("points", "NaN"),
        ("points", "inf"),
        ("points", "-1e308"),
        ("hours", "NaN"),
        ("hours", "1e9"),
        ("theme", "Astrology"),
        ("valid_from", "20270-01-01"),
        ("valid_until", "-0001-01-01"),
    ] {
        let mut form: Vec<(&str, &str)> =
            good.iter().copied().filter(|(k, _)| *k != field).collect();
        form.push((field, value));
        let st = post_form(&app, &c, "/register/offers", "/register/offers", &form).await;
        assert_eq!(st, 400, "{field} = {value}");
    }
    assert_eq!(count(&app, offers).await, before, "nothing stored");
    assert_eq!(
        post_form(&app, &c, "/register/offers", "/register/offers", &good).await,
        303,
        "the good offer is taken"
    );

    // PD activities: not in the future, dates of four-digit years, finite points, file
    // names without hidden characters.
    let leader = app.client();
    app.login(&leader, "leader").await;
    let activities = "SELECT COUNT(*) AS n FROM register_activities";
    let before = count(&app, activities).await;
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Duration::days(1)).to_string();
    let today = chrono::Utc::now().date_naive().to_string();
    for (field, value, file) in [
        ("completed_on", tomorrow.as_str(), "a.pdf"),
        ("completed_on", "20270-01-01", "a.pdf"),
        ("points", "NaN", "a.pdf"),
        ("points", "inf", "a.pdf"),
        ("title", "", "evil\u{202E}fdp.pdf"),
    ] {
        let token = app.csrf(&leader, "/register/me").await;
        let mut f = Form::new()
            .text("title", "Peer review")
            .text("kind", "formal")
            .text("hours", "2")
            .text("points", "2")
            .text("started_on", today.clone())
            .text("completed_on", today.clone());
        if !value.is_empty() {
            f = f.text(field, value.to_owned());
        }
        let f = f.part(
            "evidence",
            Part::bytes(b"%PDF-1.4".to_vec())
                .file_name(file.to_owned())
                .mime_str("application/pdf")
                .unwrap(),
        );
        let r = leader
            .post(app.url(&format!("/register/me/activities?_csrf={token}")))
            .multipart(f)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{field} = {value:?}, file {file:?}");
    }
    assert_eq!(count(&app, activities).await, before, "nothing stored");
}

/// Findings 2 and 8: a declared body over the route's limit is answered 413 before the
/// body is sent; a POST without a valid session token is refused without its body.
#[tokio::test]
async fn bodies_are_judged_by_their_headers_first() {
    let app = TestApp::spawn(Seed::Empty).await;
    let upload = "POST /register/me/activities HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 52428800\r\nExpect: 100-continue\r\n\r\n";
    let answer = head_only(&app, upload).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        !answer.contains("100 Continue"),
        "the client is not asked to send it"
    );
    let form = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\n";
    assert!(head_only(&app, form).await.starts_with("HTTP/1.1 413"));
    // Within the limit but without a session token: refused at once, the body unread.
    let small = "POST /register/committee/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n";
    assert!(head_only(&app, small).await.starts_with("HTTP/1.1 403"));
}

/// Finding 9: a leader changes jobs. The registration and its points continue; the old
/// board loses sight at once; the new board sees the leader after the committee's
/// confirmation, and their activities only after the leader consents again.
#[tokio::test]
async fn a_leader_who_moves_takes_no_consent_to_the_new_board() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let today = chrono::Utc::now().date_naive();
    let id = sharing_leader(&app, "mover", "Mila", "Verhuis", "Coaching course").await;
    let rules = headway_domain::register::RegisterRules::default();
    let old_board = app.client();
    app.login(&old_board, "owner").await;
    let acts = format!("/api/v1/register/board/leaders/{id}/activities");
    assert!(app
        .html(&old_board, &acts)
        .await
        .contains("Coaching course"));

    // The move, by the leader's own form.
    let leader = app.client();
    app.login(&leader, "mover").await;
    let own = s
        .account_by_username("owner")
        .await
        .unwrap()
        .unwrap()
        .organization_id
        .unwrap();
    let other = count(
        &app,
        &format!("SELECT CAST(MIN(id) AS BIGINT) AS n FROM organizations WHERE kind = 'school' AND parent_id IS NOT NULL AND parent_id <> {own}"),
    )
    .await as i32;
    let other_s = other.to_string();
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/schools",
            &[("schools", &other_s)]
        )
        .await,
        303
    );
    let moved = s.leader_view(id).await.unwrap();
    assert_eq!(
        moved.schools.iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![other]
    );
    assert_eq!(
        moved.status.code(),
        "registered",
        "the registration continues"
    );
    let new_board_id = moved.board_id.unwrap();
    assert_ne!(new_board_id, own);
    let cycle = s.current_cycle(id, &rules, today).await.unwrap().unwrap();
    assert_eq!(cycle.points, 10.0, "and so do its points");
    // The old board: nothing, at once.
    assert_eq!(status(&old_board, app.url(&acts)).await, 404);
    assert!(!app
        .html(&old_board, "/api/v1/register/board/leaders")
        .await
        .contains("Verhuis"));

    // The new board: not before the committee confirmed.
    new_account(&app, "newboard", Role::Owner, Some(new_board_id)).await;
    let new_board = app.client();
    app.login(&new_board, "newboard").await;
    assert!(!app
        .html(&new_board, "/api/v1/register/board/leaders")
        .await
        .contains("Verhuis"));
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let queue = app.html(&coord, "/register/committee").await;
    assert!(
        queue.contains("Mila Verhuis"),
        "the committee sees the change"
    );
    let ids = id.to_string();
    assert_eq!(
        post_form(
            &app,
            &coord,
            "/register/committee",
            "/register/committee/schools",
            &[("leader_id", &ids)]
        )
        .await,
        303
    );
    assert!(app
        .html(&new_board, "/api/v1/register/board/leaders")
        .await
        .contains("Verhuis"));
    // …and sees the leader, but none of the activities consented to the old board.
    assert_eq!(app.html(&new_board, &acts).await, "[]");
    assert_eq!(s.consents(id).await.unwrap(), (false, vec![]));
    s.grant_consent(id, None).await.unwrap();
    assert!(app
        .html(&new_board, &acts)
        .await
        .contains("Coaching course"));
    // The old board still sees nothing.
    assert_eq!(status(&old_board, app.url(&acts)).await, 404);
}

/// Finding 10: reading a leader's activities writes the access log, so a cross-site
/// request (a link or image elsewhere) is refused and logs nothing.
#[tokio::test]
async fn cross_site_reads_of_a_leader_are_refused() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let id = sharing_leader(&app, "shared", "Sanne", "Deel", "Intervision").await;
    let board = app.client();
    app.login(&board, "owner").await;
    let page = app.url(&format!("/register/board/leaders/{id}"));
    let r = board
        .get(&page)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(s.access_log(id).await.unwrap().is_empty(), "nothing logged");
    let r = board
        .get(&page)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(s.access_log(id).await.unwrap().len(), 1);
}

/// Finding 10: a visit of the login form stores a session for its CSRF token; it lives
/// half an hour unless someone signs in with it.
#[tokio::test]
async fn anonymous_sessions_are_short_lived() {
    let app = TestApp::spawn(Seed::Empty).await;
    let c = app.client();
    app.csrf(&c, "/login").await;
    let now = chrono::Utc::now().timestamp();
    let longest = count(&app, "SELECT MAX(expires_at) AS n FROM sessions").await;
    assert!(longest - now <= 31 * 60, "{} s", longest - now);
    assert!(longest - now >= 29 * 60);
}
