//! Two parts of taking part, through the web: an event that asks for the organiser's
//! approval holds each registration until the organiser decides (the person is told once
//! either way; a declined person cannot simply register again; an invitation's yes needs no
//! approval), and an event's materials — slides and good-practice descriptions attached to
//! agenda items — which its participants and organisers see and nobody else, checked as
//! evidence is (a program named `.pdf` is refused, naming the field).

mod common;

use common::{event_titled, person_of as person, Seed, TestApp};
use headway_store::events::{Events, Materials, Registrations};
use headway_store::outbox::Outbox;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

/// The kinds of letters queued to `to`.
async fn told(app: &TestApp, to: &str) -> Vec<String> {
    app.db
        .store
        .outbox_unsent(10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == to)
        .map(|m| m.kind)
        .collect()
}

#[tokio::test]
async fn registrations_wait_for_the_organisers_approval() {
    let app = TestApp::spawn(Seed::Demo).await;
    let next = app
        .db
        .store
        .event(event_titled(&app, headway_store::events::demo::OST_NEXT).await)
        .await
        .unwrap();
    let network = next.summary.network.unwrap().0;
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let token = app.csrf(&coord, "/events/new").await;
    let r = coord
        .post(app.url("/api/v1/events"))
        .header("x-csrf-token", token)
        .json(&serde_json::json!({
            "kind": "gathering", "title": "Rektormøte med påmelding", "language": "nb",
            "network_id": network, "time_zone": "Europe/Oslo",
            "starts_at": "2027-05-11T09:00", "ends_at": "2027-05-11T15:00",
            "audiences": ["Rektorer", "Administrative skoleeiere"], "capacity": 1,
            "needs_approval": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let detail: Value = coord
        .get(app.url(&format!("/api/v1/events/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["needs_approval"], true);

    // The principal asks on the page; the leader through the API: both pending.
    let event_page = format!("/events/{id}");
    let principal = app.client();
    app.login(&principal, "ost-principal").await;
    assert!(app
        .html(&principal, &format!("{event_page}?lang=en"))
        .await
        .contains("Ask to register"));
    let form = [("audience", "rektorer")];
    let reg = format!("{event_page}/register");
    assert_eq!(
        common::post_form(&app, &principal, &event_page, &reg, &form).await,
        303
    );
    assert!(app
        .html(&principal, &format!("{event_page}?lang=en"))
        .await
        .contains("Your registration awaits the organiser"));
    let leader = app.client();
    app.login(&leader, "leader").await;
    let token = app.csrf(&leader, &event_page).await;
    let r = leader
        .post(app.url(&format!("/api/v1/events/{id}/registrations")))
        .header("x-csrf-token", token)
        .json(&serde_json::json!({ "audience": "rektorer" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "pending");
    let (lars, ana) = (
        person(&app, "ost-principal").await,
        person(&app, "leader").await,
    );
    assert_eq!(
        app.db
            .store
            .registration_counts(id as i32)
            .await
            .unwrap()
            .pending,
        2,
        "pending takes no place"
    );

    // The organiser approves one (the only place) and declines the other.
    let people = format!("/events/{id}/participants");
    let listed = app.html(&coord, &format!("{people}?lang=en")).await;
    assert!(listed.contains("Awaiting approval") && listed.contains("Approve"));
    let decide = format!("{people}/decide");
    let (l, a) = (lars.to_string(), ana.to_string());
    for (who, approve) in [(&l, "1"), (&a, "0")] {
        let f = [("person_id", who.as_str()), ("approve", approve)];
        assert_eq!(
            common::post_form(&app, &coord, &people, &decide, &f).await,
            303
        );
    }
    let f = [("person_id", l.as_str()), ("approve", "1")];
    assert_eq!(
        common::post_form(&app, &coord, &people, &decide, &f).await,
        400,
        "decided once"
    );
    let status = |p| {
        let app = &app;
        async move {
            let r = app.db.store.registration(id as i32, p).await.unwrap();
            r.unwrap().status.code()
        }
    };
    assert_eq!(status(lars).await, "confirmed");
    assert_eq!(status(ana).await, "declined");
    assert_eq!(
        told(&app, "ost-principal@demo.headway.invalid").await,
        ["decided_confirmed"]
    );
    let ana_mail = told(&app, "leader@demo.headway.invalid").await;
    assert_eq!(
        ana_mail.iter().filter(|k| *k == "decided_declined").count(),
        1
    );
    // Declined: asking again is refused by name.
    let token = app.csrf(&leader, &event_page).await;
    let r = leader
        .post(app.url(&format!("/api/v1/events/{id}/registrations?lang=en")))
        .header("x-csrf-token", token)
        .json(&serde_json::json!({ "audience": "rektorer" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("declined"));

    // An invitation's yes is the organiser's choice already: confirmed (here, waitlisted:
    // the one place is taken), not pending.
    let inv = format!("/events/{id}/invitations");
    let f = [
        ("audience", "administrative-skoleeiere"),
        ("target", "members"),
    ];
    assert_eq!(common::post_form(&app, &coord, &inv, &inv, &f).await, 200);
    let letters = app.db.store.outbox_unsent(10_000).await.unwrap();
    let body = &letters
        .iter()
        .rev()
        .find(|m| m.recipient == "ost-owner@demo.headway.invalid" && m.kind == "invitation")
        .expect("an invitation to the owner")
        .body;
    let link = body[body.find("/rsvp/").unwrap()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let anon = app.client();
    assert_eq!(
        common::post_form(&app, &anon, &link, &link, &[("answer", "yes")]).await,
        303
    );
    assert_eq!(status(person(&app, "ost-owner").await).await, "waitlisted");
}

#[tokio::test]
async fn materials_are_for_the_events_participants_and_organisers() {
    let app = TestApp::spawn(Seed::Demo).await;
    let id = event_titled(&app, "Svetovanje regijskemu aktivu").await;
    let e = app.db.store.event(id).await.unwrap();
    let item = e.agenda[0].id;
    let event_page = format!("/events/{id}");
    let leader = app.client();
    app.login(&leader, "leader").await;
    let upload =
        |c: reqwest::Client, name: &'static str, mime: &'static str, bytes: &'static [u8]| {
            let app = &app;
            let page = event_page.clone();
            async move {
                let token = app.csrf(&c, &page).await;
                let form = Form::new()
                    .text("title", "Dobra praksa: uvajanje novih učiteljev")
                    .text("agenda_item_id", item.to_string())
                    .part(
                        "file",
                        Part::bytes(bytes.to_vec())
                            .file_name(name)
                            .mime_str(mime)
                            .unwrap(),
                    );
                let r = c
                    .post(app.url(&format!("/events/{id}/materials?_csrf={token}&lang=en")))
                    .multipart(form)
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            }
        };
    const PDF: &[u8] = b"%PDF-1.7 dobra praksa";
    // Not yet registered: the event's materials are not hers.
    assert_eq!(
        upload(leader.clone(), "praksa.pdf", "application/pdf", PDF)
            .await
            .0,
        404
    );
    let reg = format!("{event_page}/register");
    assert_eq!(
        common::post_form(&app, &leader, &event_page, &reg, &[]).await,
        303
    );
    // A program sent as a PDF is refused, naming the field; nothing is kept.
    let (s, body) = upload(
        leader.clone(),
        "praksa.pdf",
        "application/pdf",
        b"MZ\x90\x00",
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        body.contains("file") && body.contains("is not a application/pdf file"),
        "{body}"
    );
    assert!(app.db.store.materials(id).await.unwrap().is_empty());
    assert_eq!(
        upload(leader.clone(), "praksa.pdf", "application/pdf", PDF)
            .await
            .0,
        303
    );

    // On the page under its agenda item, and in the API; the download is the file.
    let page = app.html(&leader, &format!("{event_page}?lang=en")).await;
    assert!(page.contains("Dobra praksa: uvajanje novih učiteljev"));
    let list: Value = leader
        .get(app.url(&format!("/api/v1/events/{id}/materials")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["agenda_item_id"], item);
    assert_eq!(list[0]["by"], "Ana Novak");
    let url = list[0]["url"].as_str().unwrap().to_owned();
    let r = leader.get(app.url(&url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);

    // The counsellor (taking part) and the coordinator (organising) see it; a board's
    // representative who takes no part does not, anywhere.
    for who in ["provider", "coordinator"] {
        let c = app.client();
        app.login(&c, who).await;
        assert_eq!(common::status(&c, app.url(&url)).await, 200, "{who}");
    }
    let owner = app.client();
    app.login(&owner, "owner").await;
    assert_eq!(common::status(&owner, app.url(&url)).await, 404);
    assert_eq!(
        common::status(&owner, app.url(&format!("/api/v1/events/{id}/materials"))).await,
        404
    );
    assert!(!app
        .html(&owner, &event_page)
        .await
        .contains("uvajanje novih učiteljev"));
    let remove = format!("{url}/delete");
    assert_eq!(
        common::post_form(&app, &owner, &event_page, &remove, &[]).await,
        404
    );
    // The counsellor may see it but not remove another's; she who attached it may.
    let counsellor = app.client();
    app.login(&counsellor, "provider").await;
    assert_eq!(
        common::post_form(&app, &counsellor, &event_page, &remove, &[]).await,
        403
    );
    assert_eq!(
        common::post_form(&app, &leader, &event_page, &remove, &[]).await,
        303
    );
    assert!(app.db.store.materials(id).await.unwrap().is_empty());
}
