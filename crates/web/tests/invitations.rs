//! Invitations to ØST's next gathering: the coordinator invites the owners' audience among
//! the members' people and the principals' among the members' schools; each answers through
//! the personal link in their letter without signing in — yes registers them, no cancels
//! that again — and a made-up link opens nothing.

mod common;

use common::{Seed, TestApp};
use headway_store::events::{EventQuery, Events, Registrations};
use headway_store::outbox::Outbox;

async fn next_gathering(app: &TestApp) -> i32 {
    app.db
        .store
        .events(&EventQuery::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.title == headway_store::events::demo::OST_NEXT)
        .unwrap()
        .id
}

/// The personal link in the newest letter to `to`.
async fn link_to(app: &TestApp, to: &str) -> String {
    let letters = app.db.store.outbox_unsent(10_000).await.unwrap();
    let body = &letters
        .iter()
        .rev()
        .find(|m| m.recipient == to && m.kind == "invitation")
        .unwrap_or_else(|| panic!("an invitation to {to}"))
        .body;
    let at = body.find("/rsvp/").expect("a link");
    body[at..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn the_invited_answer_through_their_own_link() {
    let app = TestApp::spawn(Seed::Demo).await;
    let id = next_gathering(&app).await;
    let page = format!("/events/{id}/invitations");
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    assert!(app
        .html(&coord, &format!("/events/{id}/participants"))
        .await
        .contains(&page));
    let invite = |audience: &'static str, target: &'static str| {
        let (c, p) = (coord.clone(), page.clone());
        let app = &app;
        async move {
            let token = app.csrf(&c, &p).await;
            let r = c
                .post(app.url(&format!("{p}?lang=en")))
                .form(&[
                    ("audience", audience),
                    ("target", target),
                    ("_csrf", &token),
                ])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (s, body) = invite("owners", "members").await;
    assert_eq!(s, 200, "{body}");
    assert!(
        body.contains("Ingrid Berg"),
        "the owner's representative is listed"
    );
    let (_, again) = invite("owners", "members").await;
    assert!(again.contains("0 invited;"), "nobody twice: {again}");
    // The principals' audience among the members' schools: the 22 registered are skipped.
    let (_, principals) = invite("principals", "member_schools").await;
    assert!(principals.contains("Lars Haugen"), "{principals}");
    let skipped = principals
        .split("invited; ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse::<u32>().ok())
        .expect("a count of those left alone");
    assert!(skipped >= 22, "{principals}");

    // The owner answers through her link, without an account.
    let link = link_to(&app, "ost-owner@demo.headway.invalid").await;
    let anon = app.client();
    let card = app.html(&anon, &format!("{link}?lang=nb")).await;
    assert!(
        card.contains("Ingrid, du er invitert som Administrative skoleeiere"),
        "{card}"
    );
    assert!(
        card.contains("9. februar 2027, 09:00–15:30"),
        "the owners' day: {card}"
    );
    let owner = app
        .db
        .store
        .account_by_username("ost-owner")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    let answer = |a: &'static str| {
        let (c, l) = (anon.clone(), link.clone());
        let app = &app;
        async move { common::post_form(app, &c, &l, &l, &[("answer", a)]).await }
    };
    assert_eq!(answer("yes").await, 303);
    let r = app.db.store.registration(id, owner).await.unwrap().unwrap();
    assert_eq!(
        (r.status.code(), r.audience.as_str()),
        ("confirmed", "owners")
    );
    assert_eq!(answer("yes").await, 303, "answering twice changes nothing");
    assert_eq!(answer("no").await, 303);
    let r = app.db.store.registration(id, owner).await.unwrap().unwrap();
    assert_eq!(r.status.code(), "cancelled");
    assert!(app
        .html(&coord, &format!("{page}?lang=en"))
        .await
        .contains("Not coming"));
    assert_eq!(answer("maybe").await, 400);
    // A made-up link opens nothing.
    let r = anon
        .get(app.url("/rsvp/0123456789abcdef?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("This invitation link is not valid"));
    // An event of no network has no one to invite: refused by name, nothing sent.
    let lone = {
        let token = app.csrf(&coord, "/events/new").await;
        let r = coord
            .post(app.url("/api/v1/events"))
            .header("x-csrf-token", token)
            .json(&serde_json::json!({
                "kind": "training", "title": "Samostojno", "language": "sl",
                "time_zone": "Europe/Ljubljana", "starts_at": "2027-06-10T09:00",
                "ends_at": "2027-06-10T12:00", "audiences": ["Ravnatelji"], "capacity": 30.0
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let lone_page = format!("/events/{lone}/invitations");
    let token = app.csrf(&coord, &lone_page).await;
    let r = coord
        .post(app.url(&format!("{lone_page}?lang=en")))
        .form(&[
            ("audience", "ravnatelji"),
            ("target", "members"),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("belongs to no network"));
    // Someone who organises nothing may not invite.
    let leader = app.client();
    app.login(&leader, "leader").await;
    assert_eq!(common::status(&leader, app.url(&page)).await, 403);
}
