//! Certificates of attendance and individual counselling, through the web as its users
//! meet them: the demo leader marked present at her regional group's session downloads her
//! certificate (a PDF with its font embedded), the code confirms it publicly and a forged one
//! is refused, and her PD log gains the accredited activity (gone again when unmarked).
//! At the upcoming session she books a counselling slot; the counsellor reads and writes the
//! note; the coordinator, who keeps every event, sees neither the booking's name nor the
//! note on any page, export or API answer.

mod common;

use common::{event_titled, person_of as person, Seed, TestApp};
use headway_store::events::Certificates;
use headway_store::register::{Enrolments, PdLog};
use serde_json::Value;

#[tokio::test]
async fn attendance_gives_a_certificate_that_its_code_confirms_and_a_pd_log_entry() {
    let app = TestApp::spawn(Seed::Demo).await;
    let id = event_titled(&app, "Regijski aktiv 1:").await;
    let ana = person(&app, "leader").await;
    let leader = app.client();
    app.login(&leader, "leader").await;
    let pdf = format!("/events/{id}/certificate.pdf");
    assert_eq!(
        common::status(&leader, app.url(&pdf)).await,
        404,
        "no certificate before attendance is marked"
    );

    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let people = format!("/events/{id}/participants");
    let present = [
        ("person_id", ana.to_string()),
        ("attended", "1".to_string()),
    ];
    let present: Vec<(&str, &str)> = present.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let attendance = format!("/events/{id}/attendance");
    assert_eq!(
        common::post_form(&app, &coord, &people, &attendance, &present).await,
        303
    );
    // The event page offers the certificate; the PDF carries its font.
    let page = app.html(&leader, &format!("/events/{id}?lang=sl")).await;
    assert!(page.contains(&pdf), "the download link");
    let r = leader
        .get(app.url(&format!("{pdf}?lang=sl")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/FontFile2"), "a TrueType font embedded");
    assert!(raw.contains("DejaVuSans"), "DejaVu Sans, subset");

    // The code confirms it; a forged or malformed one is refused.
    let code = app
        .db
        .store
        .certificate(id as i32, ana)
        .await
        .unwrap()
        .expect("a certificate")
        .code;
    let anon = app.client();
    let ok = anon
        .get(app.url(&format!("/certificates/{code}?lang=en")))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let body = ok.text().await.unwrap();
    assert!(body.contains("This certificate is genuine") && body.contains("Ana Novak"));
    assert!(body.contains("24 May 2017, 09:00–14:00"), "{body}");
    for forged in [
        "2345-6789-ABCD",
        "not-a-code",
        &code.replace('-', "").to_lowercase()[1..],
    ] {
        let r = anon
            .get(app.url(&format!("/certificates/{forged}?lang=en")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{forged}");
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("No certificate has the code"));
    }
    // Typed in lower case and without dashes, a real code still reads.
    let typed = code.replace('-', "").to_lowercase();
    assert_eq!(
        common::status(&anon, app.url(&format!("/certificates/{typed}"))).await,
        200
    );

    // The PD log holds the accredited offer, once, with its points; unmarking removes it.
    let leader_id = |app: &TestApp| {
        let store = app.db.store.clone();
        async move {
            let acct = store.account_by_username("leader").await.unwrap().unwrap();
            store.leader_id_for_user(acct.id).await.unwrap().unwrap()
        }
    };
    let lid = leader_id(&app).await;
    let logged = |acts: &[headway_store::register::ActivityView]| {
        acts.iter()
            .filter(|a| a.title == "Regional group counselling for principals")
            .map(|a| (a.points, a.completed_on.clone()))
            .collect::<Vec<_>>()
    };
    let acts = app.db.store.activities(lid).await.unwrap();
    assert_eq!(logged(&acts), [(10.0, "2017-05-24".to_string())]);
    assert_eq!(
        common::post_form(&app, &coord, &people, &attendance, &present).await,
        303,
        "marked again"
    );
    assert_eq!(
        logged(&app.db.store.activities(lid).await.unwrap()).len(),
        1,
        "once"
    );
    let absent = [
        ("person_id", ana.to_string().as_str().to_owned()),
        ("attended", "0".into()),
    ];
    let absent: Vec<(&str, &str)> = absent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        common::post_form(&app, &coord, &people, &attendance, &absent).await,
        303
    );
    assert!(logged(&app.db.store.activities(lid).await.unwrap()).is_empty());
    assert_eq!(
        common::status(&anon, app.url(&format!("/certificates/{code}"))).await,
        404,
        "withdrawn with the mark"
    );
}

#[tokio::test]
async fn a_counselling_booking_and_its_note_stay_between_participant_and_counsellor() {
    let app = TestApp::spawn(Seed::Demo).await;
    let id = event_titled(&app, "Svetovanje regijskemu aktivu").await;
    let page = format!("/events/{id}/counselling");
    let leader = app.client();
    app.login(&leader, "leader").await;
    let before = app.html(&leader, &format!("{page}?lang=en")).await;
    assert!(before.contains("Mateja Kos") && before.contains("12:00–12:30"));
    assert!(
        !before.contains("/book\""),
        "not registered: no booking yet"
    );
    let event_page = format!("/events/{id}");
    assert_eq!(
        common::post_form(
            &app,
            &leader,
            &event_page,
            &format!("{event_page}/register"),
            &[]
        )
        .await,
        303
    );
    let slots: Value = leader
        .get(app.url(&format!("/api/v1/events/{id}/counselling")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slot = slots[1]["id"].as_i64().unwrap();
    assert_eq!(slots.as_array().unwrap().len(), 4);
    let book = format!("{page}/{slot}/book");
    assert_eq!(
        common::post_form(&app, &leader, &page, &book, &[]).await,
        303
    );
    let mine = app.html(&leader, &format!("{page}?lang=en")).await;
    assert!(mine.contains("Your booking"));
    let other = format!("{page}/{}/book", slots[2]["id"]);
    assert_eq!(
        common::post_form(&app, &leader, &page, &other, &[]).await,
        400,
        "one slot each"
    );

    // The counsellor sees who booked and writes a confidential note.
    let counsellor = app.client();
    app.login(&counsellor, "provider").await;
    let theirs = app.html(&counsellor, &page).await;
    assert!(
        theirs.contains("Ana Novak"),
        "the counsellor sees the booking"
    );
    const SECRET: &str = "Zaupno: spor s svetom zavoda, 7731";
    let note = format!("{page}/{slot}/note");
    assert_eq!(
        common::post_form(&app, &counsellor, &page, &note, &[("note", SECRET)]).await,
        303
    );
    assert!(app.html(&counsellor, &page).await.contains(SECRET));
    let api: Value = counsellor
        .get(app.url(&format!("/api/v1/events/{id}/counselling")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api[1]["note"], SECRET);
    assert_eq!(api[1]["participant"], "Ana Novak");

    // The coordinator keeps the event but sees neither name nor note: page, API, exports.
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let seen_by_coordinator = [
        page.clone(),
        event_page.clone(),
        format!("/events/{id}/participants"),
        format!("/events/{id}/participants.csv"),
        format!("/api/v1/events/{id}"),
        format!("/api/v1/events/{id}/counselling"),
        "/admin/audit".to_string(),
    ];
    for path in &seen_by_coordinator {
        let r = coord.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.unwrap();
        assert!(!body.contains("spor s svetom"), "{path} shows the note");
    }
    let theirs = app.html(&coord, &page).await;
    assert!(!theirs.contains("Ana Novak"), "nor who booked");
    assert!(theirs.contains("Booked") || theirs.contains("Zasedeno"));
    // Nor may the coordinator write or release it.
    assert_eq!(
        common::post_form(&app, &coord, &page, &note, &[("note", "x")]).await,
        403
    );
    let release = format!("{page}/{slot}/release");
    assert_eq!(
        common::post_form(&app, &coord, &page, &release, &[]).await,
        404,
        "another's booking is not there for the coordinator"
    );

    // The participant reads the note once the counsellor shares it.
    assert!(!app.html(&leader, &page).await.contains(SECRET));
    assert_eq!(
        common::post_form(
            &app,
            &counsellor,
            &page,
            &note,
            &[("note", SECRET), ("shared", "1")]
        )
        .await,
        303
    );
    assert!(app.html(&leader, &page).await.contains(SECRET));
    // Every read of a note is in the audit log, without its text.
    let audit = app.html(&coord, "/admin/audit").await;
    assert!(audit.contains("event.counselling.note.read"));
    assert!(!audit.contains("7731"));
    // A slot outside the session: refused by name, nothing made.
    let offer = format!("{page}/slots");
    let s = common::post_form(
        &app,
        &counsellor,
        &page,
        &offer,
        &[
            ("day", "2027-03-18"),
            ("first", "13:30"),
            ("minutes", "30"),
            ("count", "2"),
        ],
    )
    .await;
    assert_eq!(s, 400);
    let after: Value = counsellor
        .get(app.url(&format!("/api/v1/events/{id}/counselling")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after.as_array().unwrap().len(), 4);
}
