//! Events in the web: the ØST gathering's programme with its audience column, each
//! audience's own agenda and hours (pages and API), and the organiser's forms.

mod common;

use common::{Seed, TestApp};
use serde_json::Value;

async fn json(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.client().get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn ost_gathering(app: &TestApp) -> i64 {
    let (_, all) = json(app, "/api/v1/events").await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"].as_str().unwrap().starts_with("Oppstartsamling"))
        .expect("the demo's gathering")["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_gathering_shows_the_programme_and_each_audience_its_own_day() {
    let app = TestApp::spawn(Seed::Demo).await;
    let id = ost_gathering(&app).await;
    let c = app.client();
    let page = app.html(&c, &format!("/events/{id}?lang=nb")).await;
    assert!(page.contains("Samling") && page.contains("Regionalt skoleeiersamarbeid ØST"));
    assert!(
        page.contains("28. januar 2020, 09:00–16:00 (Europe/Oslo)"),
        "the event's own zone"
    );
    assert!(page.contains("Administrative skoleeiere: 28. januar 2020, 09:00–16:00"));
    assert!(page.contains("Rektorer: 28. januar 2020, 11:30–16:00"));
    assert!(page.contains("Intensjoner og rammer for skoleeiersamarbeidet"));
    assert!(page.contains("Johan Kaggestad – Om å bli bedre gjennom samarbeid"));
    assert!(page.contains("<td>Alle</td>"), "lunch is for everyone");
    // A principal's agenda starts at lunch and leaves out the owners' morning.
    let mine = app
        .html(&c, &format!("/events/{id}?lang=nb&audience=principals"))
        .await;
    assert!(mine.contains("Program for Rektorer"));
    assert!(mine.contains("Denne målgruppen deltar: 28. januar 2020, 11:30–16:00"));
    assert!(mine.contains("Lunsj") && mine.contains("Avslutning"));
    assert!(!mine.contains("Drøfte mulige aktiviteter for administrative skoleeiere"));
    for (lang, kind) in [
        ("en", "Gathering"),
        ("nl", "Bijeenkomst"),
        ("sl", "Srečanje"),
    ] {
        let p = app.html(&c, &format!("/events/{id}?lang={lang}")).await;
        assert!(p.contains(kind), "{lang}");
    }
    let r = c
        .get(app.url(&format!("/events/{id}?audience=teachers")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text().await.unwrap().contains("owners, principals"),
        "names the audiences"
    );
    let list = app.html(&c, "/events?lang=en").await;
    assert!(list.contains("Past") && list.contains("Oppstartsamling"));
    assert_eq!(common::status(&c, app.url("/events/999999")).await, 404);
}

#[tokio::test]
async fn the_api_gives_times_in_the_event_s_zone_and_utc_and_each_audience_s_agenda() {
    let app = TestApp::spawn(Seed::Demo).await;
    let id = ost_gathering(&app).await;
    let (status, e) = json(&app, &format!("/api/v1/events/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(e["starts_at"], "2020-01-28T09:00");
    assert_eq!(e["starts_utc"], "2020-01-28T08:00:00.000000Z");
    assert_eq!(e["time_zone"], "Europe/Oslo");
    assert_eq!(e["agenda"].as_array().unwrap().len(), 9);
    assert_eq!(e["audiences"][1]["key"], "principals");
    assert_eq!(e["audiences"][1]["starts_at"], "2020-01-28T11:30");
    let (_, a) = json(
        &app,
        &format!("/api/v1/events/{id}/agenda?audience=principals"),
    )
    .await;
    assert_eq!(a["starts_at"], "2020-01-28T11:30");
    assert_eq!(a["items"].as_array().unwrap().len(), 6);
    assert_eq!(a["items"][0]["title"], "Lunsj");
    let (_, o) = json(&app, &format!("/api/v1/events/{id}/agenda?audience=owners")).await;
    assert_eq!(
        (
            o["starts_at"].as_str(),
            o["items"].as_array().unwrap().len()
        ),
        (Some("2020-01-28T09:00"), 9)
    );
    let (status, e) = json(&app, &format!("/api/v1/events/{id}/agenda?audience=x")).await;
    assert_eq!(status, 404);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("owners, principals"),
        "{e}"
    );
    let (_, past) = json(&app, "/api/v1/events?when=past").await;
    assert_eq!(
        past.as_array().unwrap().len(),
        11,
        "ØST's start-up gathering and the ten regional groups' sessions"
    );
    let (_, upcoming) = json(&app, "/api/v1/events?when=upcoming").await;
    assert_eq!(
        upcoming.as_array().unwrap().len(),
        2,
        "the demo's next gatherings"
    );
    let (status, _) = json(&app, "/api/v1/events?when=soon").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_coordinator_creates_an_event_and_keeps_its_agenda() {
    let app = TestApp::spawn(Seed::Demo).await;
    let c = app.client();
    app.login(&c, "coordinator").await;
    let form = |end: &'static str, zone: &'static str| {
        vec![
            ("title", "Regijski aktiv Gorenjska"),
            ("kind", "counselling"),
            ("language", "sl"),
            ("network_id", ""),
            ("time_zone", zone),
            ("starts_at", "2027-03-28T01:00"),
            ("ends_at", end),
            ("venue_name", "OŠ Poldeta Stražišarja Jesenice"),
            ("audiences", "Ravnatelji\nPomočniki ravnateljev"),
        ]
    };
    // An end before the start, an unknown zone, a time the clocks skip: named, nothing kept.
    let before = app.db.store.audit_count().await.unwrap();
    let token = app.csrf(&c, "/events/new").await;
    for (end, zone, says) in [
        ("2027-03-28T00:30", "Europe/Ljubljana", "ends_at"),
        ("2027-03-28T05:00", "Europe/Lisboa", "Europe/Lisboa"),
        ("2027-03-28T02:30", "Europe/Ljubljana", "2027-03-28 02:30"),
    ] {
        let mut f = form(end, zone);
        f.push(("_csrf", &token));
        let r = c.post(app.url("/events")).form(&f).send().await.unwrap();
        assert_eq!(r.status(), 400, "{end} {zone}");
        assert!(r.text().await.unwrap().contains(says), "{says}");
    }
    assert_eq!(
        app.db.store.audit_count().await.unwrap(),
        before,
        "nothing written"
    );
    let mut f = form("2027-03-28T12:00", "Europe/Ljubljana");
    f.push(("_csrf", &token));
    let r = c.post(app.url("/events")).form(&f).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let at = r.headers()["location"].to_str().unwrap().to_owned();
    let id: i32 = at.trim_start_matches("/events/").parse().unwrap();
    // 01:00 on 28 March 2027 in Ljubljana is before the clocks move: CET, 00:00 UTC.
    let (_, e) = json(&app, &format!("/api/v1/events/{id}")).await;
    assert_eq!(e["starts_utc"], "2027-03-28T00:00:00.000000Z");
    assert_eq!(e["audiences"][1]["key"], "pomocniki-ravnateljev");

    let add = |fields: Vec<(&'static str, &'static str)>| {
        let c = c.clone();
        let app = &app;
        async move {
            let token = app.csrf(&c, &format!("/events/{id}")).await;
            let mut f = fields;
            f.push(("_csrf", Box::leak(token.into_boxed_str())));
            let r = c
                .post(app.url(&format!("/events/{id}/agenda")))
                .form(&f)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (s, _) = add(vec![
        ("starts_at", "09:00"),
        ("title", "Skupinski del"),
        ("kind", "talk"),
    ])
    .await;
    assert_eq!(s, 303);
    let (s, _) = add(vec![
        ("starts_at", "11:00"),
        ("title", "Individualno pravno svetovanje"),
        ("kind", "discussion"),
        ("for_1", "on"),
    ])
    .await;
    assert_eq!(s, 303);
    let (s, page) = add(vec![("starts_at", "13:00"), ("title", "Prepozno")]).await;
    assert_eq!(s, 400);
    assert!(
        page.contains("starts_at") && page.contains("Prepozno"),
        "names the field and keeps the values"
    );
    let (_, e) = json(&app, &format!("/api/v1/events/{id}")).await;
    let items = e["agenda"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["audiences"][0], "ravnatelji");
    assert_eq!(
        e["audiences"][1]["ends_at"], "2027-03-28T11:00",
        "the deputies leave when counselling starts"
    );
    let item = items[0]["id"].as_i64().unwrap();
    let token = app.csrf(&c, &format!("/events/{id}")).await;
    let r = c
        .post(app.url(&format!("/events/{id}/agenda/{item}/delete")))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, e) = json(&app, &format!("/api/v1/events/{id}")).await;
    assert_eq!(
        (
            e["agenda"].as_array().unwrap().len(),
            e["sequence"].as_i64()
        ),
        (1, Some(3))
    );

    // The API: created with 201; an item outside the event is a conflict naming the field.
    let token = app.csrf(&c, "/me").await;
    let r = c
        .post(app.url("/api/v1/events"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({
            "kind": "gathering", "title": "Nettverkssamling", "language": "nb",
            "time_zone": "Europe/Oslo", "starts_at": "2027-02-02T10:00", "ends_at": "2027-02-03T15:00",
            "audiences": ["Administrative skoleeiere", "Rektorer"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let eid = created["id"].as_i64().unwrap();
    let item = |day: &str, time: &str| serde_json::json!({"day": day, "starts_at": time, "title": "Velkommen", "kind": "talk"});
    let post = |body: Value| {
        c.post(app.url(&format!("/api/v1/events/{eid}/agenda")))
            .header("x-csrf-token", &token)
            .json(&body)
            .send()
    };
    assert_eq!(
        post(item("2027-02-03", "09:00")).await.unwrap().status(),
        201
    );
    let r = post(item("2027-02-04", "09:00")).await.unwrap();
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("day"));
    // A leader may not create events.
    let l = app.client();
    app.login(&l, "leader").await;
    assert_eq!(common::status(&l, app.url("/events/new")).await, 403);
}

async fn upcoming_session(app: &TestApp) -> i64 {
    let (_, all) = json(app, "/api/v1/events?when=upcoming").await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "counselling")
        .expect("the demo's counselling session")["id"]
        .as_i64()
        .unwrap()
}

/// A full session: the leader joins the waitlist, a participant cancels, the leader is
/// promoted and told once; the organiser marks attendance and exports the list; places
/// below those confirmed are refused with a message.
#[tokio::test]
async fn a_waiting_leader_is_promoted_when_a_place_frees() {
    let app = TestApp::spawn(Seed::Demo).await;
    let id = upcoming_session(&app).await;
    let anon = app.client();
    let page = app.html(&anon, &format!("/events/{id}?lang=sl")).await;
    assert!(page.contains("Mesta: 12") && page.contains("Za prijavo se prijavite"));

    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let post =
        |c: &reqwest::Client, path: String, page: String, form: Vec<(&'static str, String)>| {
            let c = c.clone();
            let app = &app;
            async move {
                let token = app.csrf(&c, &page).await;
                let mut f: Vec<(&str, String)> = form;
                f.push(("_csrf", token));
                let r = c.post(app.url(&path)).form(&f).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap_or_default())
            }
        };
    let people = format!("/events/{id}/participants");
    let set = |n: &'static str| {
        post(
            &coord,
            format!("/events/{id}/capacity"),
            people.clone(),
            vec![("capacity", n.into())],
        )
    };
    assert_eq!(set("1").await.0, 303);

    // Someone else takes the one place; the demo leader joins the waitlist.
    common::registered_leader(
        &app,
        "first",
        "Maja",
        "Kranjc",
        Some("maja@example.org"),
        chrono::Utc::now().date_naive(),
    )
    .await;
    let first = app.client();
    app.login(&first, "first").await;
    let event_page = format!("/events/{id}");
    let (s, _) = post(
        &first,
        format!("/events/{id}/register"),
        event_page.clone(),
        vec![],
    )
    .await;
    assert_eq!(s, 303);
    let leader = app.client();
    app.login(&leader, "leader").await;
    let before = app.html(&leader, &format!("/events/{id}?lang=sl")).await;
    assert!(
        before.contains("Na čakalni seznam"),
        "the button says waitlist when full"
    );
    let (s, _) = post(
        &leader,
        format!("/events/{id}/register"),
        event_page.clone(),
        vec![],
    )
    .await;
    assert_eq!(s, 303);
    let waiting = app.html(&leader, &format!("/events/{id}?lang=en")).await;
    assert!(
        waiting.contains("You are on the waitlist, number 1"),
        "the leader waits first"
    );
    // Zero places is not a number of places: refused, naming the field.
    let (s, body) = set("0").await;
    assert_eq!(s, 400);
    assert!(
        body.contains("capacity: must lie between 1 and 100000"),
        "names the field"
    );

    // The first participant cancels: the leader is promoted and told once.
    let (s, _) = post(
        &first,
        format!("/events/{id}/cancel"),
        event_page.clone(),
        vec![],
    )
    .await;
    assert_eq!(s, 303);
    let now = app.html(&leader, &format!("/events/{id}?lang=en")).await;
    assert!(now.contains("You are registered"), "promoted");
    let mail = {
        use headway_store::outbox::Outbox;
        app.db.store.outbox(100).await.unwrap()
    };
    let told: Vec<_> = mail.iter().filter(|m| m.kind == "place_freed").collect();
    assert_eq!(told.len(), 1, "told once");
    assert_eq!(told[0].recipient, "leader@demo.headway.invalid");
    assert!(told[0].body.contains(&format!("/events/{id}")));

    // The organiser's list: mark the leader present, export.
    let list = app.html(&coord, &format!("{people}?lang=en")).await;
    assert!(list.contains("Ana Novak") && list.contains("Maja Kranjc"));
    let ana = app
        .db
        .store
        .account_by_username("leader")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    // Attendance waits for the day itself.
    let (s, body) = post(
        &coord,
        format!("/events/{id}/attendance"),
        people.clone(),
        vec![("person_id", ana.to_string()), ("attended", "1".into())],
    )
    .await;
    assert_eq!(s, 400);
    assert!(body.contains("attendance is marked from then"), "{body}");
    let csv = coord
        .get(app.url(&format!("{people}.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.lines()
            .any(|l| l.contains("Ana Novak") && l.contains("confirmed") && !l.ends_with("present")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.contains("Maja Kranjc") && l.contains("cancelled")),
        "{csv}"
    );
    // Places below those confirmed: refused with the figures, nothing changes.
    let (s, body) = post(
        &coord,
        format!("/events/{id}/capacity"),
        people.clone(),
        vec![("capacity", "1".into())],
    )
    .await;
    assert_eq!(s, 303, "one place, one confirmed: allowed {body}");
    let third = app.client();
    common::registered_leader(
        &app,
        "third",
        "Luka",
        "Zupan",
        None,
        chrono::Utc::now().date_naive(),
    )
    .await;
    app.login(&third, "third").await;
    post(
        &third,
        format!("/events/{id}/register"),
        event_page.clone(),
        vec![],
    )
    .await;
    let (s, _) = post(
        &coord,
        format!("/events/{id}/capacity"),
        people.clone(),
        vec![("capacity", "2".into())],
    )
    .await;
    assert_eq!(s, 303, "a second place promotes the third");
    let (s, body) = post(
        &coord,
        format!("/events/{id}/capacity"),
        people.clone(),
        vec![("capacity", "1".into())],
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        body.contains("1 places are fewer than the 2 already confirmed"),
        "names the figures"
    );
    // The leader may not see the list.
    assert_eq!(common::status(&leader, app.url(&people)).await, 403);

    // The API: registering twice is a conflict.
    let token = app.csrf(&leader, "/me").await;
    let r = leader
        .post(app.url(&format!("/api/v1/events/{id}/registrations")))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert_eq!(status, 409, "{}", r.text().await.unwrap());
    // Cancelling through the API frees the place; a second time there is nothing to cancel.
    let me = format!("/api/v1/events/{id}/registrations/me");
    for want in [204, 409] {
        let r = leader
            .delete(app.url(&me))
            .header("x-csrf-token", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), want, "{}", r.text().await.unwrap());
    }
    // Cancelled, the person may register again (refused above while registered).
    let r = leader
        .post(app.url(&format!("/api/v1/events/{id}/registrations")))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// The event's ICS file in its own zone (with a VTIMEZONE), one audience's hours, and the
/// personal feed: made, read, following a cancellation, revoked.
#[tokio::test]
async fn calendars_carry_the_event_s_zone_and_the_audience_s_hours() {
    let app = TestApp::spawn(Seed::Demo).await;
    let id = ost_gathering(&app).await;
    let c = app.client();
    let r = c
        .get(app.url(&format!("/events/{id}/calendar.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = r.text().await.unwrap();
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo"), "{ics}");
    assert!(
        ics.contains("DTSTART;TZID=Europe/Oslo:20200128T090000"),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:event-{id}@headway")));
    assert!(ics.contains("TZOFFSETTO:+0200") && ics.contains("TZNAME:CEST"));
    let ics = app
        .html(
            &c,
            &format!("/events/{id}/calendar.ics?audience=principals"),
        )
        .await;
    assert!(
        ics.contains("DTSTART;TZID=Europe/Oslo:20200128T113000"),
        "{ics}"
    );

    // The leader registers, makes a feed, and reads her session in it.
    let session = upcoming_session(&app).await;
    let leader = app.client();
    app.login(&leader, "leader").await;
    let event_page = format!("/events/{session}");
    let register = format!("/events/{session}/register");
    assert_eq!(
        common::post_form(&app, &leader, &event_page, &register, &[]).await,
        303
    );
    let token = app.csrf(&leader, "/me/calendar").await;
    let page = leader
        .post(app.url("/me/calendar"))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = page.find("/calendar/").expect("the new link");
    let link = page[at..].split('"').next().unwrap().to_owned();
    let feed = app.html(&app.client(), &link).await;
    assert!(
        feed.contains(&format!("UID:event-{session}@headway")),
        "{feed}"
    );
    assert!(
        feed.contains("DTSTART;TZID=Europe/Ljubljana:20270318T090000"),
        "{feed}"
    );
    assert!(feed.contains("STATUS:CONFIRMED"));
    // Cancelling shows as cancelled in the feed, so calendars drop it.
    let cancel = format!("/events/{session}/cancel");
    assert_eq!(
        common::post_form(&app, &leader, &event_page, &cancel, &[]).await,
        303
    );
    let feed = app.html(&app.client(), &link).await;
    assert!(feed.contains("STATUS:CANCELLED"), "{feed}");
    // A revoked link stops working; a made-up one never did.
    let revoke = "/me/calendar/revoke";
    assert_eq!(
        common::post_form(&app, &leader, "/me/calendar", revoke, &[]).await,
        303
    );
    assert_eq!(common::status(&app.client(), app.url(&link)).await, 404);
    assert_eq!(
        common::status(&app.client(), app.url("/calendar/0123.ics")).await,
        404
    );

    // The organiser calls the session off: its file says cancelled with a higher sequence,
    // and registering is refused.
    let before = app
        .html(&c, &format!("/events/{session}/calendar.ics"))
        .await;
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let people = format!("/events/{session}/participants");
    let call_off = format!("/events/{session}/call-off");
    assert_eq!(
        common::post_form(&app, &coord, &people, &call_off, &[]).await,
        303
    );
    let after = app
        .html(&c, &format!("/events/{session}/calendar.ics"))
        .await;
    assert!(after.contains("STATUS:CANCELLED"), "{after}");
    let seq = |ics: &str| -> i64 {
        ics.lines()
            .find_map(|l| l.strip_prefix("SEQUENCE:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(seq(&after), seq(&before) + 1);
    assert_eq!(
        common::post_form(&app, &leader, &event_page, &register, &[]).await,
        400,
        "a cancelled event takes no registrations"
    );
}

/// A principal registered for ØST's next gathering sees the principals' agenda by default;
/// asking for everyone shows the whole programme.
#[tokio::test]
async fn a_participant_sees_their_own_agenda_by_default() {
    let app = TestApp::spawn(Seed::Demo).await;
    let (_, all) = json(&app, "/api/v1/events?when=upcoming").await;
    let id = all
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "gathering")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let leader = app.client();
    app.login(&leader, "leader").await;
    let page = format!("/events/{id}");
    let register = format!("/events/{id}/register");
    let s = common::post_form(
        &app,
        &leader,
        &page,
        &register,
        &[("audience", "principals")],
    )
    .await;
    assert_eq!(s, 303);
    let mine = app.html(&leader, &format!("{page}?lang=nb")).await;
    assert!(mine.contains("Program for Rektorer"), "her own agenda");
    assert!(mine.contains("Denne målgruppen deltar: 9. februar 2027, 11:30–15:30"));
    assert!(!mine.contains("Skoleeiersamarbeidet: status og veien videre"));
    let whole = app
        .html(&leader, &format!("{page}?lang=nb&audience="))
        .await;
    assert!(
        whole.contains("Skoleeiersamarbeidet: status og veien videre"),
        "everyone's"
    );
}
