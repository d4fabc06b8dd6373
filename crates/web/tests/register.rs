//! The register end to end over HTTP, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`.

mod common;

use headway_store::outbox::Outbox;
use headway_store::register::prelude::*;

use common::{post_form, registered_leader};

use chrono::NaiveDate;
use common::{Seed, TestApp};
use headway_domain::accounts::Role;
use headway_domain::register::{Decision, RegisterRules};
use headway_store::register::Enrolment;
use headway_web::ui::i18n::Lang;
use headway_web::ui::mail::FluentLetters;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

async fn new_leader_account(app: &TestApp, username: &str) -> i32 {
    common::new_account(app, username, Role::Leader, None).await
}

async fn status_of(app: &TestApp, id: i32) -> String {
    app.db
        .store
        .leader_view(id)
        .await
        .unwrap()
        .status
        .to_string()
}

fn d(s: &str) -> NaiveDate {
    headway_domain::register::parse_date(s).unwrap()
}

#[tokio::test]
async fn enrol_reject_object_register_log_points_and_reregister() {
    let app = TestApp::spawn(Seed::Demo).await;
    let school = app
        .db
        .store
        .organization_id("nl:vestiging:00DO00")
        .await
        .unwrap()
        .unwrap();
    new_leader_account(&app, "marieke").await;
    let leader = app.client();
    app.login(&leader, "marieke").await;
    // Enrol.
    let school_s = school.to_string();
    let st = post_form(
        &app,
        &leader,
        "/register/enrol",
        "/register/enrol",
        &[
            ("given_name", "Marieke"),
            ("family_name", "Verhoeven"),
            ("email", "marieke@example.org"),
            ("schools", &school_s),
            ("position", "director"),
            ("qualification", "Master Educational Leadership, 2019"),
        ],
    )
    .await;
    assert_eq!(st, 303);
    let acct = app
        .db
        .store
        .account_by_username("marieke")
        .await
        .unwrap()
        .unwrap();
    let id = app
        .db
        .store
        .leader_id_for_user(acct.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status_of(&app, id).await, "submitted");
    // A bad enrolment names the field.
    let other = app.client();
    new_leader_account(&app, "bram").await;
    app.login(&other, "bram").await;
    let token = app.csrf(&other, "/register/enrol").await;
    let res = other
        .post(app.url("/register/enrol"))
        .form(&[
            ("given_name", "B"),
            ("family_name", "K"),
            ("schools", "x"),
            ("position", "director"),
            ("qualification", "q"),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("schools:"));

    // The committee rejects; the leader objects; the committee registers.
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let ids = id.to_string();
    assert_eq!(
        post_form(
            &app,
            &coord,
            "/register/committee",
            "/register/committee/decide",
            &[
                ("leader_id", &ids),
                ("decision", "reject"),
                ("reasons", "no evidence of the master's degree")
            ]
        )
        .await,
        303
    );
    assert_eq!(status_of(&app, id).await, "rejected");
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/objection",
            &[("reason", "diploma attached now")]
        )
        .await,
        303
    );
    assert_eq!(status_of(&app, id).await, "objection");
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/objection",
            &[("reason", "again")]
        )
        .await,
        400,
        "one objection only"
    );
    assert_eq!(
        post_form(
            &app,
            &coord,
            "/register/committee",
            "/register/committee/decide",
            &[
                ("leader_id", &ids),
                ("decision", "register"),
                ("level", "RDO niveau 2")
            ]
        )
        .await,
        303
    );
    assert_eq!(status_of(&app, id).await, "registered");
    let decisions = app
        .db
        .store
        .decisions(id)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.kind.code())
        .collect::<Vec<_>>();
    assert_eq!(decisions, ["reject", "objection", "objection_register"]);

    // Activities: a formal course with evidence, and informal learning that waits for validation.
    let today = chrono::Utc::now().date_naive().to_string();
    let token = app.csrf(&leader, "/register/me").await;
    let add = |title: &'static str,
               kind: &'static str,
               points: &'static str,
               evidence: Option<(&'static str, &'static str)>| {
        let mut f = Form::new()
            .text("title", title)
            .text("kind", kind)
            .text("themes", "Leadership")
            .text("hours", "40")
            .text("points", points)
            .text("started_on", today.clone())
            .text("completed_on", today.clone());
        if let Some((name, mime)) = evidence {
            f = f.part(
                "evidence",
                Part::bytes(b"%PDF-1.4 certificate".to_vec())
                    .file_name(name)
                    .mime_str(mime)
                    .unwrap(),
            );
        }
        leader
            .post(app.url(&format!("/register/me/activities?_csrf={token}")))
            .multipart(f)
            .send()
    };
    assert_eq!(
        add(
            "Leading learning",
            "formal",
            "60",
            Some(("certificate.pdf", "application/pdf"))
        )
        .await
        .unwrap()
        .status(),
        303
    );
    assert_eq!(
        add("Peer review", "informal", "50", None)
            .await
            .unwrap()
            .status(),
        303
    );
    let bad = add(
        "Holiday",
        "formal",
        "10",
        Some(("virus.exe", "application/x-msdownload")),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), 400, "evidence type is checked");
    let rules = RegisterRules::default();
    let cycle = app
        .db
        .store
        .current_cycle(id, &rules, chrono::Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        cycle.points, 60.0,
        "informal learning counts only after validation"
    );
    let acts = app.db.store.activities(id).await.unwrap();
    let evidence_id = acts
        .iter()
        .find(|a| a.title == "Leading learning")
        .unwrap()
        .evidence[0]
        .0;
    let file = leader
        .get(app.url(&format!("/register/evidence/{evidence_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(
        file.bytes().await.unwrap().as_ref(),
        b"%PDF-1.4 certificate"
    );
    assert_eq!(
        other
            .get(app.url(&format!("/register/evidence/{evidence_id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "someone else's evidence answers as if it did not exist"
    );

    // Too few points: re-registration is refused.
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/reregister",
            &[]
        )
        .await,
        400
    );
    let informal = acts
        .iter()
        .find(|a| a.title == "Peer review")
        .unwrap()
        .id
        .to_string();
    assert_eq!(
        post_form(
            &app,
            &coord,
            "/register/committee",
            "/register/committee/validate",
            &[("activity_id", &informal), ("approve", "yes")]
        )
        .await,
        303
    );
    let cycle = app
        .db
        .store
        .current_cycle(id, &rules, chrono::Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cycle.points, 110.0);
    let page = leader
        .get(app.url("/register/me"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("110 of 100 points"), "progress shown");
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/reregister",
            &[]
        )
        .await,
        303
    );
    let next = app
        .db
        .store
        .current_cycle(id, &rules, chrono::Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.number, 2);
    assert_eq!(
        next.starts_on, cycle.ends_on,
        "the next cycle starts where the last ended"
    );
    app.db.store.verify_audit().await.unwrap();
}

#[tokio::test]
async fn dates_move_a_registration_to_conditional_then_lapsed_with_reminders() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let id = registered_leader(
        &app,
        "sanne",
        "Sanne",
        "Bos",
        Some("sanne@example.org"),
        d("2020-01-01"),
    )
    .await;
    let rules = RegisterRules::default();
    let letters = FluentLetters::new(Lang::En);
    // Sanne signs in with a Dutch page: her mail is written in Dutch from then on.
    let sanne = app.client();
    sanne.get(app.url("/?lang=nl")).send().await.unwrap();
    app.login(&sanne, "sanne").await;
    let public = |app: &TestApp| {
        let c = app.client();
        let url = app.url(&format!("/api/v1/register/leaders/{id}"));
        async move {
            c.get(url)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()["status"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    assert_eq!(public(&app).await, "registered");
    let mut reminders = vec![];
    for (day, status, new) in [
        ("2023-07-01", "registered", 0),
        ("2023-07-05", "registered", 1), // 180 days before 2024-01-01
        ("2023-07-06", "registered", 0), // not again
        ("2023-10-03", "registered", 1), // 90 days
        ("2023-12-02", "registered", 1), // 30 days
        ("2024-01-01", "conditional", 0), // the date passed with too few points
        ("2024-06-30", "conditional", 0), // within the 6-month grace
        ("2024-07-01", "lapsed", 0),
        ("2023-01-01", "lapsed", 0), // an earlier date cannot bring it back
    ] {
        let r = s.register_tick(d(day), &rules, &letters).await.unwrap();
        assert_eq!(r.reminders, new, "{day}");
        assert_eq!(public(&app).await, status, "{day}");
        reminders.push(r.reminders);
    }
    let out = s.outbox(10).await.unwrap();
    let kinds: Vec<&str> = out.iter().rev().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["reminder_180", "reminder_90", "reminder_30"]);
    assert!(out
        .iter()
        .all(|m| m.recipient == "sanne@example.org" && m.sent_at.is_none()));
    assert!(out.iter().all(|m| m.language.as_deref() == Some("nl")));
    let first = out.last().unwrap();
    assert_eq!(
        first.subject,
        "Uw registratie loopt af op 1 januari 2024 (over 180 dagen)"
    );
    assert!(first.body.starts_with("Beste Sanne,"), "{}", first.body);
    // Without SMTP the outbox is visible to administrators.
    let admin = app.client();
    app.login(&admin, "admin").await;
    let page = admin
        .get(app.url("/admin/outbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("sanne@example.org"));
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    assert_eq!(
        coord
            .get(app.url("/admin/outbox"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // Lapsed cannot re-register without a new decision.
    assert!(s.reregister("test", id, &rules).await.is_err());
}

#[tokio::test]
async fn a_deferral_extends_the_conditional_period() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let id = registered_leader(&app, "niels", "Niels", "Vos", None, d("2020-01-01")).await;
    let rules = RegisterRules::default();
    let letters = FluentLetters::new(Lang::Nb);
    s.request_deferral(id, "long illness").await.unwrap();
    s.decide_deferral("test", id, Some(d("2024-12-31")))
        .await
        .unwrap();
    // Niels never signed in: his reminders are in the installation's language.
    let r = s
        .register_tick(d("2023-12-15"), &rules, &letters)
        .await
        .unwrap();
    assert_eq!(r.reminders, 3);
    let out = s.outbox(10).await.unwrap();
    let to_niels: Vec<_> = out
        .iter()
        .filter(|m| m.recipient == format!("leader:{id}"))
        .collect();
    assert_eq!(to_niels.len(), 3);
    assert!(to_niels.iter().all(|m| m.language.as_deref() == Some("nb")
        && m.subject
            .starts_with("Registreringen din utløper 1. januar 2024")));
    s.register_tick(d("2024-08-01"), &rules, &letters)
        .await
        .unwrap();
    assert_eq!(status_of(&app, id).await, "conditional");
    s.register_tick(d("2025-01-01"), &rules, &letters)
        .await
        .unwrap();
    assert_eq!(status_of(&app, id).await, "lapsed");
}

#[tokio::test]
async fn boards_read_only_consented_activities_and_every_read_is_logged() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let rules = RegisterRules::default();
    let id = registered_leader(
        &app,
        "femke",
        "Femke",
        "Smit",
        None,
        chrono::Utc::now().date_naive(),
    )
    .await;
    let today = chrono::Utc::now().date_naive();
    let mk = |t: &str| headway_store::register::NewActivity {
        offer_id: None,
        title: t.into(),
        kind: headway_domain::register::ActivityKind::Formal,
        themes: vec![],
        hours: 8.0,
        points: 10.0,
        started_on: today,
        completed_on: today,
    };
    let a1 = s
        .add_activity(id, mk("Coaching course"), vec![], &rules, today)
        .await
        .unwrap();
    let a2 = s
        .add_activity(id, mk("Private reading"), vec![], &rules, today)
        .await
        .unwrap();

    let board = app.client();
    app.login(&board, "owner").await;
    let api = |path: String| {
        let c = board.clone();
        async move {
            let r = c.get(path).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // The board sees its leader and status…
    let (st, body) = api(app.url("/api/v1/register/board/leaders")).await;
    assert_eq!(st, 200);
    assert!(body.contains("Femke Smit") && body.contains("registered"));
    // …but no activity without consent: API and page both answer as if it did not exist.
    assert_eq!(
        api(app.url(&format!(
            "/api/v1/register/board/leaders/{id}/activities/{a1}"
        )))
        .await
        .0,
        404
    );
    assert_eq!(
        board
            .get(app.url(&format!("/register/board/leaders/{id}?activity={a1}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let (_, list) = api(app.url(&format!("/api/v1/register/board/leaders/{id}/activities"))).await;
    assert_eq!(list, "[]");
    assert!(
        s.access_log(id).await.unwrap().is_empty(),
        "nothing was read"
    );

    // Consent for one activity: that one, not the other.
    let leader = app.client();
    app.login(&leader, "femke").await;
    let a1s = a1.to_string();
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/consent",
            &[("action", "grant"), ("activity_id", &a1s)]
        )
        .await,
        303
    );
    let (st, body) = api(app.url(&format!(
        "/api/v1/register/board/leaders/{id}/activities/{a1}"
    )))
    .await;
    assert_eq!(st, 200);
    assert!(body.contains("Coaching course"));
    assert_eq!(
        api(app.url(&format!(
            "/api/v1/register/board/leaders/{id}/activities/{a2}"
        )))
        .await
        .0,
        404
    );
    let page = board
        .get(app.url(&format!("/register/board/leaders/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Coaching course") && !page.contains("Private reading"));
    // Each read is in the leader's access log, and the leader sees it.
    let log = s.access_log(id).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(log
        .iter()
        .all(|e| e.detail.contains(&format!("activities:{a1}"))));
    let mine = leader
        .get(app.url("/register/me"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains(&format!("activities:{a1}")));

    // Revoked: refused again.
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/consent",
            &[("action", "revoke"), ("activity_id", &a1s)]
        )
        .await,
        303
    );
    assert_eq!(
        api(app.url(&format!(
            "/api/v1/register/board/leaders/{id}/activities/{a1}"
        )))
        .await
        .0,
        404
    );
    // Consent for all, then its revocation.
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/consent",
            &[("action", "grant"), ("activity_id", "")]
        )
        .await,
        303
    );
    let (_, list) = api(app.url(&format!("/api/v1/register/board/leaders/{id}/activities"))).await;
    assert!(list.contains("Coaching course") && list.contains("Private reading"));
    assert_eq!(
        post_form(
            &app,
            &leader,
            "/register/me",
            "/register/me/consent",
            &[("action", "revoke"), ("activity_id", "")]
        )
        .await,
        303
    );
    assert_eq!(
        api(app.url(&format!(
            "/api/v1/register/board/leaders/{id}/activities/{a2}"
        )))
        .await
        .0,
        404
    );
    // Another board's account, or a non-board role, gets nothing.
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    assert_eq!(
        coord
            .get(app.url(&format!("/api/v1/register/board/leaders/{id}/activities")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // Exports: CSV and XLSX.
    let csv = board
        .get(app.url("/register/board/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("id,name,position,status") && csv.contains("Femke Smit"));
    let xlsx = board
        .get(app.url("/register/board/export.xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&xlsx[..2], b"PK", "an XLSX (zip) file");
}

#[tokio::test]
async fn public_search_is_fuzzy_and_shows_only_public_fields() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let rules = RegisterRules::default();
    let sercer = s
        .organization_id("si:zavod:os-ljubo-sercer-kocevje")
        .await
        .unwrap()
        .unwrap();
    let user = new_leader_account(&app, "mojca").await;
    let id = s
        .enrol(
            user,
            Enrolment {
                given_name: "Mojca".into(),
                family_name: "Horvat".into(),
                email: Some("private@example.org".into()),
                board_id: None,
                school_ids: vec![sercer],
                position: headway_domain::register::Position::Director,
                qualification: "secret notes".into(),
            },
        )
        .await
        .unwrap();
    // Not published before a decision.
    let c = app.client();
    let found = |q: &'static str| {
        let c = c.clone();
        let url = app.url("/api/v1/register/search");
        async move {
            c.get(url)
                .query(&[("q", q)])
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let before = found("Sercer").await;
    assert!(
        before.as_array().unwrap().iter().all(|e| e["id"] != id),
        "not published before a decision"
    );
    s.decide(
        "test",
        id,
        Decision::Register {
            level: "Master".into(),
        },
        chrono::Utc::now().date_naive(),
        &rules,
    )
    .await
    .unwrap();
    for q in ["Sercer", "šercer", "sercr", "horvt kocevje", "mojca horvat"] {
        let v = found(q).await;
        let hit = v
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| panic!("{q} finds Šercer's leader: {v}"));
        let keys: Vec<&str> = hit
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["id", "level", "municipalities", "name", "schools", "status"],
            "only public fields"
        );
        assert_eq!(hit["schools"][0], "OŠ Ljubo Šercer Kočevje");
    }
    let text = serde_json::to_string(&found("sercer").await).unwrap();
    assert!(
        !text.contains("private@example.org")
            && !text.contains("secret notes")
            && !text.contains("director")
    );
    let page = c
        .get(app.url("/register?q=sercr"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Mojca Horvat"));
    assert!(!page.contains("private@example.org"));
}

#[tokio::test]
async fn providers_add_their_own_offers_and_the_committee_accredits_them() {
    let app = TestApp::spawn(Seed::Demo).await;
    let agency = app
        .db
        .store
        .organization_id("demo:agency:szr")
        .await
        .unwrap()
        .unwrap()
        .to_string();
    let other = app
        .db
        .store
        .organization_id("si:zavod:os-ljubo-sercer-kocevje")
        .await
        .unwrap()
        .unwrap()
        .to_string();
    let provider = app.client();
    app.login(&provider, "provider").await;
    let offer = |p: &str| -> Vec<(&'static str, String)> {
        vec![
            ("provider_id", p.to_owned()),
            ("title", "Coaching for new principals".into()),
            ("description", "Six meetings".into()),
            ("theme", "Leadership".into()),
            ("hours", "24".into()),
            ("points", "15".into()),
            ("valid_from", "2026-01-01".into()),
            ("valid_until", "2027-12-31".into()),
        ]
    };
    let post = |c: &reqwest::Client, path: &'static str, form: Vec<(&'static str, String)>| {
        let c = c.clone();
        let app_url = app.url(path);
        let page = app.url("/register/offers");
        async move {
            let html = c.get(page).send().await.unwrap().text().await.unwrap();
            let token = common::csrf_of(&html).expect("a form with a token");
            let mut form = form;
            form.push(("_csrf", token));
            c.post(app_url)
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        post(&provider, "/register/offers", offer(&other)).await,
        403,
        "not for another organisation"
    );
    assert_eq!(
        post(&provider, "/register/offers", offer(&agency)).await,
        303
    );
    let all = app.db.store.offers(false).await.unwrap();
    let new = all
        .iter()
        .find(|o| o.title == "Coaching for new principals")
        .expect("added");
    assert_eq!(new.status.code(), "pending");
    let public = app
        .client()
        .get(app.url("/register/offers"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !public.contains("Coaching for new principals"),
        "pending offers are not public"
    );
    // The provider cannot accredit; the coordinator can.
    let status_path: &'static str =
        Box::leak(format!("/register/offers/{}/status", new.id).into_boxed_str());
    assert_eq!(
        post(&provider, status_path, vec![("action", "accredit".into())]).await,
        403
    );
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    assert_eq!(
        post(&coord, status_path, vec![("action", "accredit".into())]).await,
        303
    );
    let public = app
        .client()
        .get(app.url("/register/offers"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("Coaching for new principals"));
}

/// A long PD log (the load benchmark's writer reached 150,000 entries) is shown bounded:
/// the newest 500, with the count of all.
#[tokio::test]
async fn the_leaders_page_shows_a_bounded_pd_log() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let rules = RegisterRules::default();
    let today = chrono::Utc::now().date_naive();
    let id = registered_leader(&app, "lotte", "Lotte", "Bos", None, today).await;
    for k in 0..503 {
        let a = headway_store::register::NewActivity {
            offer_id: None,
            title: format!("Intervisie {k:03}"),
            kind: headway_domain::register::ActivityKind::Formal,
            themes: vec![],
            hours: 1.0,
            points: 0.1,
            started_on: today,
            completed_on: today,
        };
        s.add_activity(id, a, vec![], &rules, today).await.unwrap();
    }
    let c = app.client();
    app.login(&c, "lotte").await;
    let html = app.html(&c, "/register/me").await;
    assert!(html.contains("Intervisie 502"), "the newest is shown");
    assert!(!html.contains("Intervisie 002"), "the oldest three are not");
    assert!(html.contains("Intervisie 003"));
    assert!(html.contains("The newest 500 of 503 activities are shown."));
}
