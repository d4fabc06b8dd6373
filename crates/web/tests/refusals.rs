//! A rule that refuses a step is said in the reader's language on pages (a code with its
//! figures, translated by the web), and in English in logs and API
//! errors (`AppError::message`).

mod common;

use common::{registered_leader, Seed, TestApp};

async fn post_page(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let token = app.csrf(c, "/register/me").await;
    let mut f = form.to_vec();
    f.push(("_csrf", &token));
    let r = c.post(app.url(path)).form(&f).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn refusals_are_said_in_the_readers_language() {
    let app = TestApp::spawn(Seed::Demo).await;
    let on = chrono::Utc::now().date_naive();
    registered_leader(&app, "mojca", "Mojca", "Kranjc", None, on).await;
    let c = app.client();
    app.login(&c, "mojca").await;

    // Enrolling twice: a rule of the register, in Slovenian.
    let school = common::org_id(&app, "nl:vestiging:03DX00")
        .await
        .to_string();
    let form = [
        ("schools", school.as_str()),
        ("given_name", "Mojca"),
        ("family_name", "Kranjc"),
        ("position", "director"),
        ("qualification", "RDO"),
    ];
    let (status, body) = post_page(&app, &c, "/register/enrol?lang=sl", &form).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Ta račun je že prijavljen."),
        "{}",
        &body[..body.len().min(3000)]
    );
    assert!(!body.contains("already enrolled"));

    // Re-registering without the points: the figures in the Dutch sentence.
    let (status, body) = post_page(&app, &c, "/register/me/reregister?lang=nl", &[]).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("0 van 100 punten: nog niet genoeg om te herregistreren."),
        "{}",
        &body[..body.len().min(3000)]
    );

    // A field the store refuses (an end before its start), in Norwegian.
    let token = app.csrf(&c, "/register/me").await;
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in [
        ("title", "Course"),
        ("kind", "formal"),
        ("themes", "Leadership"),
        ("hours", "2"),
        ("points", "2"),
        ("started_on", "2026-01-10"),
        ("completed_on", "2026-01-01"),
    ] {
        form = form.text(k, v);
    }
    let r = c
        .post(app.url(&format!("/register/me/activities?lang=nb&_csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("completed_on: slutten ligger før starten"),
        "{}",
        &body[..body.len().min(3000)]
    );
}
