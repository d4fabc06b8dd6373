//! Guidance in the web: published indicators with suppression (anyone), the assessment
//! (the agency's coordinators only), on pages and in the API.

mod common;

use common::*;
use headway_domain::accounts::Role;
use serde_json::Value;

/// The JSON a signed-in (or anonymous) client gets at `path`.
async fn json<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    c: &reqwest::Client,
    path: impl AsRef<str>,
) -> T {
    c.get(app.url(path.as_ref()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn app() -> TestApp {
    let app = TestApp::spawn(Seed::Small).await;
    app.import_indicators().await;
    app
}

#[tokio::test]
async fn anyone_sees_published_indicators_with_hidden_cells_marked_as_such() {
    let app = app().await;
    let c = app.client();
    // Engerdal, a small municipality: its withheld values are shown as withheld, never as
    // numbers.
    let page = app.html(&c, "/indicators?unit=no:kommune:3425").await;
    assert!(page.contains("<h1>Engerdal</h1>"), "{page}");
    assert!(page.contains("withheld by the source"));
    let lillestrom = app.html(&c, "/indicators?unit=no:kommune:3205").await;
    assert!(
        lillestrom.contains("<svg"),
        "the profile against the nation"
    );
    assert!(lillestrom.contains("Lillestrøm against the nation, 2025-26"));
    assert!(
        lillestrom.contains("<h2>The units it is made of</h2>"),
        "its schools"
    );
    let api: Vec<Value> = json(
        &app,
        &c,
        "/api/v1/indicators?unit=no:kommune:3425&period=2022-23",
    )
    .await;
    assert_eq!(api.len(), 6, "three subjects in two grades");
    let reading8 = api
        .iter()
        .find(|v| v["indicator"] == "np_reading_8")
        .unwrap();
    assert_eq!(reading8["hidden"], "source");
    assert!(reading8["value"].is_null() && reading8["count"].is_null());
    assert_eq!(reading8["national"], 50.0);
    // Innlandet's view of 2022-23 marks a second municipality as protected, so Engerdal's
    // 7 pupils no longer follow from the county's total.
    let county = app
        .html(&c, "/indicators?unit=no:fylke:34&period=2022-23")
        .await;
    assert!(
        county.contains("Engerdal"),
        "the county lists its municipalities"
    );
    assert!(
        county.contains("protected"),
        "a secondary suppression is shown"
    );
    let counts: Vec<Value> = json(
        &app,
        &c,
        "/api/v1/indicators?unit=no:fylke:34&indicator=np_reading_8&period=2022-23",
    )
    .await;
    assert_eq!(counts.len(), 1);
    assert!(counts[0]["count"].as_u64().unwrap() > 1_000);
    // By directory organisation.
    let engerdal = org_id(&app, "no:kommune:3425").await;
    let by_org: Vec<Value> = json(
        &app,
        &c,
        &format!("/api/v1/indicators?organization={engerdal}"),
    )
    .await;
    assert!(by_org.iter().all(|v| v["unit"] == "no:kommune:3425"));
    assert_eq!(by_org.len(), 24, "6 indicators × 4 school years");
    // Bad parameters are named; a unit without values is not found.
    for (q, field) in [
        ("unit=no:kommune:34", "unit"),
        ("indicator=np_history_5", "indicator"),
        ("period=2024", "period"),
    ] {
        let res = c
            .get(app.url(&format!("/api/v1/indicators?{q}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{q}");
        let body: Value = res.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("{field}:")), "{body}");
    }
    assert_eq!(
        status(&c, app.url("/indicators?unit=no:kommune:9999")).await,
        404
    );
    assert_eq!(
        status(&c, app.url("/api/v1/indicators?organization=999999")).await,
        404
    );
}

#[tokio::test]
async fn only_the_agencys_coordinators_see_the_assessment_and_every_point_is_explained() {
    let app = app().await;
    new_account(&app, "coordinator", Role::Coordinator, None).await;
    new_account(&app, "advisor", Role::Advisor, None).await;
    let anonymous = app.client();
    assert_eq!(
        status(&anonymous, app.url("/api/v1/guidance/assessment")).await,
        401
    );
    let advisor = app.client();
    app.login(&advisor, "advisor").await;
    assert_eq!(status(&advisor, app.url("/guidance/assessment")).await, 403);
    assert_eq!(
        status(&advisor, app.url("/api/v1/guidance/assessment")).await,
        403
    );

    let c = app.client();
    app.login(&c, "coordinator").await;
    let page = app.html(&c, "/guidance/assessment").await;
    assert!(page.contains("Assessment for guidance 2025-26"), "{page}");
    assert_eq!(page.matches("/guidance/assessment/").count(), 357);
    assert!(page.contains("Category 1"));
    let a: Value = json(&app, &c, "/api/v1/guidance/assessment?period=2025-26").await;
    assert_eq!(
        a["years"],
        serde_json::json!(["2023-24", "2024-25", "2025-26"])
    );
    assert_eq!(a["rules"]["first_count"], 30);
    let list = a["municipalities"].as_array().unwrap();
    assert_eq!(list.len(), 357);
    let first = &list[0];
    assert_eq!(
        (first["rank"].as_u64(), first["category"].as_str()),
        (Some(1), Some("1"))
    );
    let code = first["unit"]
        .as_str()
        .unwrap()
        .trim_start_matches("no:kommune:")
        .to_owned();
    let points = first["points"].as_array().unwrap();
    assert!(!points.is_empty());
    for p in points {
        let e = p["explanation"].as_str().unwrap();
        assert!(e.contains(p["year"].as_str().unwrap()), "{e}");
    }
    // The municipality's own page explains each point in the reader's language.
    let detail = app
        .html(
            &c,
            &format!("/guidance/assessment/{code}?period=2025-26&lang=nb"),
        )
        .await;
    assert!(detail.contains("Hvert poeng forklart"), "{detail}");
    assert!(detail.contains("landet 50"), "{detail}");
    assert_eq!(status(&c, app.url("/guidance/assessment/0000")).await, 404);
    assert_eq!(
        status(&c, app.url("/guidance/assessment?period=2025-27")).await,
        404,
        "no such school year"
    );
    assert_eq!(
        status(&c, app.url("/guidance/assessment?period=x")).await,
        400
    );
}

/// The cases a reader sees: an advisor their own, an owner's contact the owner's, the
/// agency's coordinators every case (to look at, not to sign); anyone else is told a case
/// does not exist, in pages and the API.
#[tokio::test]
async fn each_reader_sees_only_their_cases_and_only_the_parties_work_on_them() {
    let app = TestApp::spawn(Seed::Demo).await;
    let cases: Vec<Value> = {
        let c = app.client();
        app.login(&c, "coordinator").await;
        json(&app, &c, "/api/v1/guidance/cases").await
    };
    assert_eq!(cases.len(), 3);
    let id_of = |owner: &str| {
        cases.iter().find(|c| c["owner"] == owner).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (follo, lillestrom) = (id_of("Nordre Follo kommune"), id_of("Lillestrøm kommune"));
    new_account(&app, "advisor2", Role::Advisor, None).await;
    for (user, sees) in [
        ("advisor", 3),
        ("advisor2", 0),
        ("ost-owner", 1),
        ("ullensaker-owner", 1),
        ("leader", 0),
    ] {
        let c = app.client();
        app.login(&c, user).await;
        let mine: Vec<Value> = json(&app, &c, "/api/v1/guidance/cases").await;
        assert_eq!(mine.len(), sees, "{user}");
        let page = app.html(&c, "/guidance/cases").await;
        assert_eq!(
            page.matches("href=\"/guidance/cases/").count(),
            sees,
            "{user}"
        );
    }
    let owner = app.client();
    app.login(&owner, "ost-owner").await;
    let own: Value = json(&app, &owner, &format!("/api/v1/guidance/cases/{follo}")).await;
    assert_eq!(own["phase"], "anchoring");
    assert_eq!(
        own["referrals"][0]["name"],
        "Lesesenteret, Universitetet i Stavanger"
    );
    for path in [
        format!("/guidance/cases/{lillestrom}"),
        format!("/api/v1/guidance/cases/{lillestrom}"),
    ] {
        assert_eq!(status(&owner, app.url(&path)).await, 404, "{path}");
    }
    let stranger = app.client();
    app.login(&stranger, "advisor2").await;
    assert_eq!(
        status(&stranger, app.url(&format!("/guidance/cases/{follo}"))).await,
        404
    );
    let page = format!("/guidance/cases/{lillestrom}");
    let out = format!("/guidance/cases/{lillestrom}/outputs");
    assert_eq!(
        post_form(
            &app,
            &stranger,
            "/me",
            &out,
            &[("output", "schools"), ("text", "x")]
        )
        .await,
        404
    );
    // The coordinator sees every case but is no party to it.
    let coordinator = app.client();
    app.login(&coordinator, "coordinator").await;
    assert_eq!(
        post_form(
            &app,
            &coordinator,
            &page,
            &out,
            &[("output", "schools"), ("text", "x")]
        )
        .await,
        403
    );

    // The advisor moves Lillestrøm's case through mapping with its outputs: signing off
    // early is refused by name.
    let advisor = app.client();
    app.login(&advisor, "advisor").await;
    let sign = format!("/guidance/cases/{lillestrom}/signoff");
    let res = {
        let token = app.csrf(&advisor, &page).await;
        advisor
            .post(app.url(&sign))
            .form(&[("_csrf", token.as_str())])
            .send()
            .await
            .unwrap()
    };
    assert_eq!(res.status(), 400);
    assert!(
        res.text().await.unwrap().contains("lacks"),
        "the missing outputs are named"
    );
    assert_eq!(
        post_form(
            &app,
            &advisor,
            &page,
            &out,
            &[("output", "schools"), ("text", "All 24 schools.")]
        )
        .await,
        303
    );
    assert_eq!(post_form(&app, &advisor, &page, &sign, &[]).await, 303);
    let shown = app.html(&advisor, &page).await;
    assert!(shown.contains("All 24 schools."));
    assert!(shown.contains("signed off (Kari Nordmann"), "{shown}");
    // A meeting and a referral.
    let meetings = format!("/guidance/cases/{lillestrom}/meetings");
    assert_eq!(
        post_form(
            &app,
            &advisor,
            &page,
            &meetings,
            &[
                ("held_on", "2026-09-15"),
                ("participants", "Kari Nordmann, the principals"),
                ("minutes", "Agreed on the analysis.")
            ],
        )
        .await,
        303
    );
    let env = app
        .db
        .store
        .organization_id("demo:no:competence:oslomet")
        .await
        .unwrap()
        .unwrap();
    let referrals = format!("/guidance/cases/{lillestrom}/referrals");
    assert_eq!(
        post_form(
            &app,
            &advisor,
            &page,
            &referrals,
            &[
                ("organization", &env.to_string()),
                ("topic", "Classroom management"),
                ("referred_on", "2026-09-15")
            ],
        )
        .await,
        303
    );
    let shown = app.html(&advisor, &page).await;
    assert!(shown.contains("Agreed on the analysis."));
    assert!(shown.contains("OsloMet – storbyuniversitetet — Classroom management"));
    assert_eq!(
        post_form(
            &app,
            &advisor,
            &page,
            &meetings,
            &[
                ("held_on", "15.09.2026"),
                ("participants", "x"),
                ("minutes", "y")
            ]
        )
        .await,
        400
    );
}

/// The coordinator records a decision on a municipality from its assessment page, and the
/// owner's case opens only after an invitation.
#[tokio::test]
async fn the_coordinator_decides_and_opens_a_case_with_an_advisor() {
    let app = TestApp::spawn(Seed::Demo).await;
    app.import_indicators().await;
    let c = app.client();
    app.login(&c, "coordinator").await;
    let page = "/guidance/assessment/3425?period=2025-26";
    let engerdal = org_id(&app, "no:kommune:3425").await.to_string();
    let advisor = app
        .db
        .store
        .account_by_username("advisor")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let open = [
        ("organization", engerdal.as_str()),
        ("starts_on", "2026-08-01"),
        ("months", "30"),
        ("advisor", advisor.as_str()),
    ];
    assert_eq!(
        post_form(&app, &c, page, "/guidance/cases", &open).await,
        400,
        "not invited yet"
    );
    let decide = [
        ("period", "2025-26"),
        ("decision", "invite"),
        (
            "rationale",
            "Small and remote; its values are mostly hidden.",
        ),
        ("assessment", "The county governor recommends guidance."),
    ];
    assert_eq!(
        post_form(
            &app,
            &c,
            page,
            "/guidance/assessment/3425/decision",
            &decide
        )
        .await,
        303
    );
    let shown = app.html(&c, page).await;
    assert!(shown.contains("Small and remote; its values are mostly hidden."));
    assert!(
        shown.contains("action=\"/guidance/cases\""),
        "the form to open a case"
    );
    let res = {
        let token = app.csrf(&c, page).await;
        let mut f = open.to_vec();
        f.push(("_csrf", &token));
        c.post(app.url("/guidance/cases"))
            .form(&f)
            .send()
            .await
            .unwrap()
    };
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let case = app.html(&c, &to).await;
    assert!(case.contains("<h1>Engerdal kommune</h1>"), "{case}");
    assert!(case.contains("Kari Nordmann"));
    // The baseline was taken as the case opened: Engerdal's published values, hidden ones
    // as hidden.
    assert!(case.contains("<th scope=\"col\">Baseline</th>"), "{case}");
    assert!(case.contains("withheld by the source"));
    let id = to.trim_start_matches("/guidance/cases/").to_owned();
    let snapshots = format!("/guidance/cases/{id}/snapshots");
    assert_eq!(
        post_form(&app, &c, &to, &snapshots, &[]).await,
        403,
        "no party"
    );
    let advisor = app.client();
    app.login(&advisor, "advisor").await;
    assert_eq!(post_form(&app, &advisor, &to, &snapshots, &[]).await, 303);
    let report = app.html(&advisor, &format!("{to}/report")).await;
    assert!(report.contains("Case report: Engerdal kommune"), "{report}");
    assert!(report.contains("Baseline of"));
    let pdf = advisor
        .get(app.url(&format!("{to}/report.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let stranger = app.client();
    app.login(&stranger, "ost-owner").await;
    assert_eq!(
        status(&stranger, app.url(&format!("{to}/report.pdf"))).await,
        404
    );
    let months = [("months", "31")];
    let mut too_long = open.to_vec();
    too_long.retain(|(k, _)| *k != "months");
    too_long.extend(months);
    assert_eq!(
        post_form(&app, &c, page, "/guidance/cases", &too_long).await,
        400
    );
}

/// The agency's coordinator invites the owners in guidance to a gathering: each running
/// case's owner contacts, once.
#[tokio::test]
async fn the_owners_in_guidance_are_invited_to_a_gathering() {
    use headway_store::events::invitations::Invitations;
    let app = TestApp::spawn(Seed::Demo).await;
    let c = app.client();
    app.login(&c, "coordinator").await;
    let next = event_titled(&app, headway_store::events::demo::OST_NEXT).await;
    let page = app.html(&c, "/guidance/cases").await;
    let choice = format!("{next}:owners");
    assert!(page.contains(&format!("value=\"{choice}\"")), "{page}");
    let form = [("gathering", choice.as_str())];
    assert_eq!(
        post_form(&app, &c, "/guidance/cases", "/guidance/cases/invite", &form).await,
        303
    );
    let invited: Vec<String> = app
        .db
        .store
        .invitations(next)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert!(invited.iter().any(|n| n.contains("Siri")), "{invited:?}");
    // Again: nobody twice.
    assert_eq!(
        post_form(&app, &c, "/guidance/cases", "/guidance/cases/invite", &form).await,
        303
    );
    let again = app.db.store.invitations(next).await.unwrap().len();
    assert_eq!(again, invited.len());
    let bad = [("gathering", "x")];
    assert_eq!(
        post_form(&app, &c, "/guidance/cases", "/guidance/cases/invite", &bad).await,
        400
    );
}

#[tokio::test]
async fn small_owners_get_networks_of_neighbours_and_a_coordinator_founds_one() {
    let app = app().await;
    new_account(&app, "coordinator", Role::Coordinator, None).await;
    new_account(&app, "advisor", Role::Advisor, None).await;
    let advisor = app.client();
    app.login(&advisor, "advisor").await;
    assert_eq!(status(&advisor, app.url("/guidance/networks")).await, 403);
    assert_eq!(
        status(&advisor, app.url("/api/v1/guidance/networks")).await,
        403
    );
    let c = app.client();
    app.login(&c, "coordinator").await;
    let s: Value = json(&app, &c, "/api/v1/guidance/networks").await;
    assert_eq!(
        (s["max_schools"].as_u64(), s["size"].as_u64()),
        (Some(2), Some(5))
    );
    let nets = s["networks"].as_array().unwrap();
    // Every small owner in exactly one network, each of 4 to 6 neighbours.
    let mut seen: Vec<&str> = nets
        .iter()
        .flat_map(|n| n["owners"].as_array().unwrap())
        .map(|o| o["unit"].as_str().unwrap())
        .collect();
    let owners = s["small_owners"].as_u64().unwrap() as usize;
    assert!(owners > 100, "{owners}");
    assert_eq!(seen.len(), owners);
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), owners, "no owner twice");
    for n in nets {
        let k = n["owners"].as_array().unwrap().len();
        assert!((4..=6).contains(&k), "{n}");
        let schools: u64 = n["owners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["schools"].as_u64().unwrap())
            .sum();
        assert_eq!(n["schools"].as_u64(), Some(schools));
    }
    // Neighbours: most networks span less than Norway's length (some 1,700 km) by far.
    let mut spans: Vec<f64> = nets
        .iter()
        .map(|n| n["span_km"].as_f64().unwrap())
        .collect();
    spans.sort_by(f64::total_cmp);
    assert!(spans[spans.len() / 2] < 250.0, "median span {spans:?}");
    // The same owners get the same suggestion.
    let again: Value = json(&app, &c, "/api/v1/guidance/networks").await;
    assert_eq!(again, s);
    // Owners with one school only, in networks of about three.
    let ones: Value = json(&app, &c, "/api/v1/guidance/networks?max_schools=1&size=3").await;
    assert!(ones["small_owners"].as_u64().unwrap() < owners as u64);
    assert!(ones["networks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| (2..=4).contains(&n["owners"].as_array().unwrap().len())));
    let bad = c
        .get(app.url("/api/v1/guidance/networks?size=40"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("size"));
    // The page shows the networks on a map, each with a form that founds it.
    let page = app.html(&c, "/guidance/networks").await;
    assert!(page.contains("<svg"), "a map");
    assert!(page.contains(&format!("{owners} small owners")), "{page}");
    assert_eq!(page.matches("Found this network").count(), nets.len());
    let first = &nets[0]["owners"];
    let keys: Vec<&str> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["unit"].as_str().unwrap())
        .collect();
    let joined = keys.join(",");
    let token = csrf_of(&page).unwrap();
    let res = c
        .post(app.url("/guidance/networks"))
        .form(&[
            ("_csrf", token.as_str()),
            ("name", "Small owners of the north"),
            ("owners", joined.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("/networks/"), "{to}");
    let network = app.html(&c, &to).await;
    assert!(network.contains("Small owners of the north"));
    for o in first.as_array().unwrap() {
        assert!(network.contains(o["name"].as_str().unwrap()), "{o}");
    }
    // A second owner that is no Norwegian owner: refused by field, nothing founded.
    let res = c
        .post(app.url("/guidance/networks"))
        .form(&[
            ("_csrf", token.as_str()),
            ("name", "Across the sea"),
            ("owners", "no:kommune:1151,nl:gemeente:0363"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("owners"));
}

/// Ullensaker's case began on 1 September 2025: its first year has ended and has a report
/// of what happened in it; the second is running. Years the case does not have are not
/// found.
#[tokio::test]
async fn each_year_of_a_case_has_its_report() {
    use headway_store::guidance::Cases;
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let ullensaker = org_id(&app, "no:kommune:3209").await;
    let id = s
        .cases(None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.organization_id == ullensaker)
        .unwrap()
        .id;
    let c = app.client();
    app.login(&c, "ullensaker-owner").await;
    let case = app.html(&c, &format!("/guidance/cases/{id}")).await;
    assert!(case.contains(&format!("/guidance/cases/{id}/report?year=1")));
    assert!(
        case.contains("End of year 1: year report"),
        "on the timeline"
    );
    let one = app
        .html(&c, &format!("/guidance/cases/{id}/report?year=1"))
        .await;
    assert!(
        one.contains("<h1>Year report 1: Ullensaker kommune</h1>"),
        "{one}"
    );
    assert!(
        one.contains("Year 1 of the case: 1 September 2025 – 31 August 2026."),
        "{one}"
    );
    assert!(
        one.contains("Phases completed in the year: Mapping and analysis, Anchoring, Choice of development area, Prioritised goals"),
        "{one}"
    );
    assert!(
        one.contains("Numeracy across subjects"),
        "the referral of January 2026"
    );
    assert!(
        one.contains("Learning walks on numeracy"),
        "the measure due in June 2026"
    );
    assert!(
        !one.contains("Common criteria for assessment"),
        "due in year 2"
    );
    assert!(
        !one.contains("moved to the spring"),
        "the meeting of September 2026"
    );
    let two = app
        .html(&c, &format!("/guidance/cases/{id}/report?year=2"))
        .await;
    assert!(
        two.contains("still running; this report is not final"),
        "{two}"
    );
    assert!(two.contains("moved to the spring"));
    assert!(!two.contains("Numeracy across subjects"));
    let whole = app.html(&c, &format!("/guidance/cases/{id}/report")).await;
    assert!(whole.contains("Numeracy across subjects") && whole.contains("moved to the spring"));
    assert_eq!(
        status(&c, app.url(&format!("/guidance/cases/{id}/report?year=4"))).await,
        404,
        "a 30-month case has three years"
    );
    assert_eq!(
        status(
            &c,
            app.url(&format!("/guidance/cases/{id}/report?year=one"))
        )
        .await,
        400
    );
    let pdf = c
        .get(app.url(&format!("/guidance/cases/{id}/report.pdf?year=1")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(
        pdf.headers()["content-disposition"],
        format!("attachment; filename=\"case-{id}-year-1.pdf\"").as_str()
    );
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    // The case's calendar: its meetings, deadlines and the ends of its years, all day.
    let ics = c
        .get(app.url(&format!("/guidance/cases/{id}/calendar.ics")))
        .send()
        .await
        .unwrap();
    assert!(ics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = ics.text().await.unwrap();
    assert!(ics.contains("DTSTART;VALUE=DATE:20260908"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Guidance meeting: Ullensaker kommune"),
        "{ics}"
    );
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20260831"),
        "the end of year 1"
    );
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1 + 3 + 3, "{ics}");
    // Another owner is told the case does not exist, a year of it included.
    let other = app.client();
    app.login(&other, "ost-owner").await;
    assert_eq!(
        status(
            &other,
            app.url(&format!("/guidance/cases/{id}/report?year=1"))
        )
        .await,
        404
    );
}
