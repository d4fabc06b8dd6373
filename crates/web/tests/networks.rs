//! Networks over HTTP: the API's filters and errors, and the pages in four languages.

mod common;

use common::{Seed, TestApp};
use serde_json::Value;

async fn json(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.client().get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn the_api_lists_filters_and_details_networks() {
    let app = TestApp::spawn(Seed::Demo).await;
    let (status, all) = json(&app, "/api/v1/networks").await;
    assert_eq!(status, 200);
    assert_eq!(
        all.as_array().unwrap().len(),
        3,
        "the pilot, ØST and the Dutch round"
    );
    let (_, no) = json(&app, "/api/v1/networks?country=no").await;
    let no = no.as_array().unwrap();
    assert_eq!(no.len(), 1);
    assert_eq!(no[0]["kind"], "owner_network");
    assert_eq!(no[0]["organizations"], 12);
    let (_, groups) = json(&app, "/api/v1/networks?kind=regional_group").await;
    assert_eq!(
        groups.as_array().unwrap().len(),
        10,
        "a kind is found at every level"
    );

    let pilot = all
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "programme")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, p) = json(&app, &format!("/api/v1/networks/{pilot}")).await;
    assert_eq!(status, 200);
    let inside = p["networks"].as_array().unwrap();
    assert_eq!(inside.len(), 10);
    let g = inside[0]["id"].as_i64().unwrap();
    let (_, g) = json(&app, &format!("/api/v1/networks/{g}")).await;
    assert_eq!(g["members"][0]["role"], "host");
    let members = g["members"].as_array().unwrap().len() as u64;
    assert_eq!(
        Some(members),
        g["organizations"].as_u64(),
        "the count and the list agree"
    );
    assert_eq!(
        g["meetings"][0]["host_id"],
        g["members"][0]["organization_id"]
    );

    let (status, e) = json(&app, "/api/v1/networks?kind=club").await;
    assert_eq!(status, 400);
    assert!(
        e["error"]["message"].as_str().unwrap().starts_with("kind:"),
        "{e}"
    );
    let (status, _) = json(&app, "/api/v1/networks/999999").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_pages_show_hosts_dates_and_members_in_four_languages() {
    let app = TestApp::spawn(Seed::Demo).await;
    let (_, all) = json(&app, "/api/v1/networks?country=si").await;
    let pilot = all[0]["id"].as_i64().unwrap();
    let c = app.client();
    for (lang, kind, date) in [
        ("en", "Regional group of principals", "1 June 2016"),
        ("nl", "Regionale groep van schoolleiders", "1 juni 2016"),
        ("nb", "Regional rektorgruppe", "1. juni 2016"),
        ("sl", "Regijski aktiv ravnateljev", "1. 6. 2016"),
    ] {
        let page = app
            .html(&c, &format!("/networks/{pilot}?lang={lang}"))
            .await;
        assert!(page.contains(kind), "{lang}: {kind}");
        assert!(page.contains(date), "{lang}: {date}");
    }
    let (_, ost) = json(&app, "/api/v1/networks?country=no").await;
    let ost = ost[0]["id"].as_i64().unwrap();
    let page = app.html(&c, &format!("/networks/{ost}?lang=nb")).await;
    assert!(page.contains("Nordre Follo") && page.contains("Ullensaker"));
    assert!(page.contains("<svg class=\"map\""), "the members on a map");
    // The second audience: the principals of the 133 public schools of the 12 kommuner; not
    // a private school (no kommune owns it), not a school of a kommune outside the network.
    assert!(
        page.contains("Medlemmenes skoler (133)"),
        "the members' schools"
    );
    assert!(page.contains("Asak skole") && page.contains("Kolbotn skole"));
    assert!(!page.contains("Wang Ung Follo AS") && !page.contains("Eidsvoll Verk skole"));
    let list = app.html(&c, "/networks?kind=owner_network").await;
    assert!(list.contains("ØST") && !list.contains("pilot 2016"));
    let r = c.get(app.url("/networks?country=xx")).send().await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn names_are_shown_to_members_and_staff_only() {
    let app = TestApp::spawn(Seed::Demo).await;
    let (_, groups) = json(&app, "/api/v1/networks?kind=regional_group").await;
    // The demo leader's school, OŠ Ljubo Šercer Kočevje, is in group 1.
    let group = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"].as_str().unwrap().starts_with("Regijski aktiv 1:"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let other = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"].as_str().unwrap().starts_with("Regijski aktiv 2:"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let page = |user: Option<&'static str>, id: i64| {
        let app = &app;
        async move {
            let c = app.client();
            if let Some(u) = user {
                app.login(&c, u).await;
            }
            app.html(&c, &format!("/networks/{id}?lang=en")).await
        }
    };
    let hidden = "Names are shown to the network";
    let anon = page(None, group).await;
    assert!(anon.contains(hidden) && !anon.contains("Ana Novak"));
    let owner = page(Some("owner"), group).await;
    assert!(owner.contains(hidden) && !owner.contains("Ana Novak"));
    let leader = page(Some("leader"), group).await;
    assert!(
        leader.contains("Ana Novak") && leader.contains("Member"),
        "a member sees the names"
    );
    let elsewhere = page(Some("leader"), other).await;
    assert!(elsewhere.contains(hidden), "not in another group");
    let coordinator = page(Some("coordinator"), group).await;
    assert!(
        coordinator.contains("Ana Novak"),
        "the agency's staff see every network"
    );
}

#[tokio::test]
async fn a_coordinator_records_the_next_meeting_at_the_suggested_host_or_another() {
    let app = TestApp::spawn(Seed::Demo).await;
    let (_, all) = json(&app, "/api/v1/networks?kind=regional_group").await;
    let g = all[0]["id"].as_i64().unwrap();
    let (_, detail) = json(&app, &format!("/api/v1/networks/{g}")).await;
    let members: Vec<i64> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["organization_id"].as_i64().unwrap())
        .collect();
    assert!(members.len() >= 3);
    let page = format!("/networks/{g}");
    let c = app.client();
    app.login(&c, "coordinator").await;
    // The host hosted the first meeting: the second member is suggested, preselected.
    let html = app.html(&c, &page).await;
    let selected = format!("<option value=\"{}\" selected>", members[1]);
    assert!(html.contains(&selected), "{html}");
    // It declines: the suggestion moves on to the third.
    let second = members[1].to_string();
    let hosting = format!("/networks/{g}/hosting");
    let form = [("organization_id", second.as_str()), ("declines", "1")];
    assert_eq!(
        common::post_form(&app, &c, &page, &hosting, &form).await,
        303
    );
    let html = app.html(&c, &page).await;
    assert!(html.contains(&format!("<option value=\"{}\" selected>", members[2])));
    // The coordinator overrides: the meeting is at the member who declined.
    let meetings = format!("/networks/{g}/meetings");
    let form = [
        ("held_on", "2027-03-15"),
        ("host_id", second.as_str()),
        ("note", "Override: the new building"),
    ];
    assert_eq!(
        common::post_form(&app, &c, &page, &meetings, &form).await,
        303
    );
    let (_, detail) = json(&app, &format!("/api/v1/networks/{g}")).await;
    let last = detail["meetings"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["held_on"], "2027-03-15");
    assert_eq!(last["host_id"].as_i64(), Some(members[1]));
    // Bad input is named; a non-member host is refused; nothing is written.
    let bad = [("held_on", "15.3.2027"), ("host_id", second.as_str())];
    assert_eq!(
        common::post_form(&app, &c, &page, &meetings, &bad).await,
        400
    );
    let outsider = [("held_on", "2027-04-01"), ("host_id", "999999")];
    assert_eq!(
        common::post_form(&app, &c, &page, &meetings, &outsider).await,
        400
    );
    let (_, after) = json(&app, &format!("/api/v1/networks/{g}")).await;
    assert_eq!(
        after["meetings"].as_array().unwrap().len(),
        detail["meetings"].as_array().unwrap().len()
    );
    // Someone who coordinates nothing may not.
    let leader = app.client();
    app.login(&leader, "leader").await;
    assert_eq!(
        common::post_form(&app, &leader, &page, &meetings, &form).await,
        403
    );
    assert!(
        !app.html(&leader, &page).await.contains("/meetings\""),
        "no form for her"
    );
}

/// Planning a group's next session suggests the member whose turn it is to host (and its
/// name as the venue); the event is created at that host with its places and deadline.
#[tokio::test]
async fn the_next_session_is_planned_at_the_host_whose_turn_it_is() {
    let app = TestApp::spawn(Seed::Demo).await;
    let (_, all) = json(&app, "/api/v1/networks?kind=regional_group").await;
    let g = all[0]["id"].as_i64().unwrap();
    let (_, detail) = json(&app, &format!("/api/v1/networks/{g}")).await;
    let second = detail["members"][1]["organization_id"].as_i64().unwrap();
    let c = app.client();
    app.login(&c, "coordinator").await;
    let network = app.html(&c, &format!("/networks/{g}")).await;
    let plan = format!("/events/new?network_id={g}");
    assert!(network.contains(&plan.replace('&', "&amp;")));
    let form = app.html(&c, &format!("{plan}&lang=en")).await;
    assert!(
        form.contains(&format!("<option value=\"{second}\" selected>")),
        "the member whose turn it is, chosen: {form}"
    );
    assert!(form.contains("whose turn it is"));
    let fields = [
        ("title", "Regijski aktiv: naslednje srečanje"),
        ("kind", "counselling"),
        ("language", "sl"),
        ("network_id", &g.to_string()),
        ("host_id", &second.to_string()),
        ("time_zone", "Europe/Ljubljana"),
        ("starts_at", "2027-05-20T09:00"),
        ("ends_at", "2027-05-20T14:00"),
        ("capacity", "12"),
        ("registration_closes", "2027-05-13T12:00"),
        ("audiences", "Ravnatelji"),
    ];
    let fields: Vec<(&str, &str)> = fields.to_vec();
    assert_eq!(
        common::post_form(&app, &c, &plan, "/events", &fields).await,
        303
    );
    let (_, events) = json(
        &app,
        &format!("/api/v1/events?network_id={g}&when=upcoming"),
    )
    .await;
    let id = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Regijski aktiv: naslednje srečanje")
        .expect("created")["id"]
        .as_i64()
        .unwrap();
    let (_, e) = json(&app, &format!("/api/v1/events/{id}")).await;
    assert_eq!(e["host_id"].as_i64(), Some(second), "{e}");
    assert_eq!(e["capacity"], 12, "{e}");
    // A deadline after the session is refused by name.
    let mut late = fields.clone();
    late.retain(|(k, _)| *k != "registration_closes");
    late.push(("registration_closes", "2027-05-21T12:00"));
    assert_eq!(
        common::post_form(&app, &c, &plan, "/events", &late).await,
        400
    );
}
