//! The acceptance of gatherings and sessions (issue 16), tried in real Chromium as its users
//! would: ØST's owner representative, invited, answers through her personal link; she and a
//! principal each see their own day at the next gathering and subscribe to it; the principal waits on the full gathering's waitlist and
//! is promoted when a place frees; a Slovenian principal books individual counselling, the
//! counsellor keeps a confidential note that the coordinator never sees, and attendance
//! gives the principal a certificate that its code confirms and an entry in her PD log; she
//! shares a good-practice description with the session, which the counsellor downloads. An
//! event that asks for approval holds a principal's registration until the organiser
//! approves it on the participant list. A coordinator follows a municipality from the
//! assessment of school owners to its explained points, and asks the regional groups for
//! feedback that a principal gives by her link. Run by `.ci/run` with the other browser tests (`--ignored`).

mod chromium;
mod common;

use chromium::Browser;
use common::{event_titled, Seed, TestApp};
use headway_store::outbox::Outbox;

/// The feed behind the link the calendar page shows once.
async fn subscribe(b: &Browser, app: &TestApp) -> String {
    b.goto("/me/calendar").await;
    b.click("form[action='/me/calendar'] button").await;
    let link = b
        .el("#feed-link")
        .await
        .prop("value")
        .await
        .expect("value")
        .expect("a link");
    app.html(&app.client(), &link).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn ost_owner_and_principal_see_their_own_day_and_the_waitlist_moves() {
    let app = TestApp::spawn(Seed::Demo).await;
    let next = event_titled(&app, headway_store::events::demo::OST_NEXT).await;
    let password = headway_store::demo::DEMO_PASSWORD;
    let b = Browser::open(&app).await;

    // The coordinator invites the owners' audience among the members' people; the owner's
    // representative answers yes through her link, without signing in.
    b.login("coordinator", password).await;
    b.goto(&format!("/events/{next}/invitations?lang=nb")).await;
    b.set_value("inv_audience", "owners").await;
    b.set_value("inv_target", "members").await;
    b.click("form[action$='/invitations'] button").await;
    assert!(b.text("[role=status]").await.contains("invitert"));
    b.logout().await;
    let letter = app
        .db
        .store
        .outbox_unsent(10_000)
        .await
        .expect("outbox")
        .into_iter()
        .find(|m| m.recipient == "ost-owner@demo.headway.invalid" && m.kind == "invitation")
        .expect("her invitation");
    let at = letter.body.find("/rsvp/").expect("her link");
    let link = letter.body[at..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned();
    b.goto(&format!("{link}?lang=nb")).await;
    assert!(b.text("main").await.contains("09:00–15:30"));
    b.click("form input[value=yes] ~ button").await;
    assert!(b.text("dl.facts").await.contains("Kommer"));

    // The owner's representative: the whole day, from 09:00.
    b.login("ost-owner", password).await;
    b.goto(&format!("/events/{next}?lang=nb")).await;
    let taking_part = b.text("section[aria-labelledby=taking-part]").await;
    assert!(taking_part.contains("Du er påmeldt"), "{taking_part}");
    assert_eq!(b.text("#agenda ~ table tbody tr td").await, "09:00");
    let feed = subscribe(&b, &app).await;
    assert!(
        feed.contains("DTSTART;TZID=Europe/Oslo:20270209T090000"),
        "{feed}"
    );
    b.logout().await;

    // A principal: the principals' places are taken, so the waitlist; the day from lunch.
    b.login("ost-principal", password).await;
    b.goto(&format!("/events/{next}?lang=nb")).await;
    b.set_value("reg_audience", "principals").await;
    b.click("form[action$='/register'] button").await;
    let taking_part = b.text("section[aria-labelledby=taking-part]").await;
    assert!(
        taking_part.contains("Du står på ventelisten, nummer 3"),
        "{taking_part}"
    );
    assert_eq!(b.text("#agenda ~ table tbody tr td").await, "11:30");
    let feed = subscribe(&b, &app).await;
    assert!(
        feed.contains("DTSTART;TZID=Europe/Oslo:20270209T113000")
            && feed.contains("STATUS:TENTATIVE"),
        "{feed}"
    );
    b.logout().await;

    // The organiser cancels three principals' places: the two waiting before her, then she,
    // are promoted in arrival order, and she is told once.
    b.login("coordinator", password).await;
    for _ in 0..3 {
        b.goto(&format!("/events/{next}/participants")).await;
        b.click("form[action$='/participants/cancel'] button").await;
    }
    b.logout().await;
    let told: Vec<_> = app
        .db
        .store
        .outbox_unsent(10_000)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == "ost-principal@demo.headway.invalid")
        .collect();
    assert_eq!(told.len(), 1, "told once: {told:?}");
    b.login("ost-principal", password).await;
    b.goto(&format!("/events/{next}?lang=nb")).await;
    assert!(b
        .text("section[aria-labelledby=taking-part]")
        .await
        .contains("Du er påmeldt"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_principal_books_counselling_kept_confidential_and_is_certified() {
    let app = TestApp::spawn(Seed::Demo).await;
    let session = event_titled(&app, headway_store::events::demo::SI_SESSION).await;
    let group_session = event_titled(&app, "Regijski aktiv 1:").await;
    let password = headway_store::demo::DEMO_PASSWORD;
    let b = Browser::open(&app).await;

    // The leader registers and books a slot of the second part.
    b.login("leader", password).await;
    b.goto(&format!("/events/{session}?lang=sl")).await;
    b.click("form[action$='/register'] button").await;
    b.click("a[href$='/counselling']").await;
    b.click("form[action$='/book'] button").await;
    assert!(b.text("main table").await.contains("Vaša rezervacija"));
    // She shares her school's good practice with the session's first agenda item.
    let file = std::env::temp_dir().join(format!("dobra-praksa-{}.pdf", std::process::id()));
    std::fs::write(&file, b"%PDF-1.7 Dobra praksa: uvajanje novih uciteljev").expect("a file");
    b.goto(&format!("/events/{session}?lang=sl")).await;
    b.el("#mat_file")
        .await
        .send_keys(file.to_str().expect("a path"))
        .await
        .expect("choose the file");
    b.fill("#mat_title", "Dobra praksa: uvajanje novih učiteljev")
        .await;
    b.click("form[action*='/materials'] button").await;
    assert!(b
        .text("section[aria-labelledby=materials]")
        .await
        .contains("Dobra praksa: uvajanje novih učiteljev"));
    let _ = std::fs::remove_file(&file);
    b.logout().await;

    // The counsellor sees who booked and keeps a note.
    const SECRET: &str = "Zaupno: vprašanje o sistemizaciji, 4412";
    b.login("provider", password).await;
    b.goto(&format!("/events/{session}?lang=sl")).await;
    assert!(b
        .text("section[aria-labelledby=materials] table")
        .await
        .contains("Ana Novak"));
    b.goto(&format!("/events/{session}/counselling?lang=sl"))
        .await;
    assert!(b.text("main table").await.contains("Ana Novak"));
    b.fill("textarea[name=note]", SECRET).await;
    b.click("form[action$='/note'] button").await;
    assert!(b.text("main table").await.contains("Ana Novak"));
    assert_eq!(
        b.el("textarea[name=note]")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some(SECRET)
    );
    b.logout().await;

    // The coordinator sees the slot taken, not by whom, and not the note.
    b.login("coordinator", password).await;
    b.goto(&format!("/events/{session}/counselling?lang=sl"))
        .await;
    let seen = b.text("main").await;
    assert!(seen.contains("Zasedeno") && !seen.contains("Ana Novak") && !seen.contains("4412"));
    // Attendance at her group's session, marked by the coordinator.
    b.goto(&format!("/events/{group_session}/participants"))
        .await;
    b.click("form[action$='/attendance'] input[value='1'] ~ button")
        .await;
    b.logout().await;

    // The leader's certificate, its public check, and her PD log.
    b.login("leader", password).await;
    b.goto(&format!("/events/{group_session}?lang=sl")).await;
    b.el("a[href$='/certificate.pdf']").await;
    let code = {
        use headway_store::events::Certificates;
        let ana = app
            .db
            .store
            .account_by_username("leader")
            .await
            .expect("leader")
            .and_then(|a| a.person_id)
            .expect("a person");
        app.db
            .store
            .certificate(group_session, ana)
            .await
            .expect("certificate")
            .expect("made")
            .code
    };
    b.goto(&format!("/certificates/{code}?lang=sl")).await;
    let check = b.text("main").await;
    assert!(
        check.contains("To potrdilo je pristno") && check.contains("Ana Novak"),
        "{check}"
    );
    b.goto("/register/me?lang=en").await;
    assert!(b
        .text("main")
        .await
        .contains("Regional group counselling for principals"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_registration_waits_until_the_organiser_approves_it() {
    let app = TestApp::spawn(Seed::Demo).await;
    let password = headway_store::demo::DEMO_PASSWORD;
    let b = Browser::open(&app).await;
    // The coordinator creates a principals' meeting that asks for approval.
    b.login("coordinator", password).await;
    b.goto("/events/new?lang=nb").await;
    b.fill("#title", "Rektormøte med godkjenning").await;
    b.set_value("language", "nb").await;
    b.set_value("time_zone", "Europe/Oslo").await;
    b.set_value("starts_at", "2027-05-11T09:00").await;
    b.set_value("ends_at", "2027-05-11T15:00").await;
    b.fill("#audiences", "Rektorer").await;
    b.el("input[name=needs_approval]")
        .await
        .click()
        .await
        .expect("tick");
    b.click("form[action='/events'] button[type=submit]").await;
    let id: i32 = b
        .path()
        .await
        .trim_start_matches("/events/")
        .split(['?', '#'])
        .next()
        .and_then(|s| s.parse().ok())
        .expect("the new event's page");
    b.logout().await;

    // A principal asks to register: she waits for approval.
    b.login("ost-principal", password).await;
    b.goto(&format!("/events/{id}?lang=nb")).await;
    b.click("form[action$='/register'] button").await;
    assert!(b
        .text("section[aria-labelledby=taking-part]")
        .await
        .contains("venter på arrangørens godkjenning"));
    b.logout().await;

    // The organiser approves her on the participant list; she is told and registered.
    b.login("coordinator", password).await;
    b.goto(&format!("/events/{id}/participants?lang=nb")).await;
    b.click("form[action$='/participants/decide'] input[value='1'] ~ button")
        .await;
    assert!(b.text("main table").await.contains("Påmeldt"));
    b.logout().await;
    let told: Vec<String> = app
        .db
        .store
        .outbox_unsent(10_000)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == "ost-principal@demo.headway.invalid")
        .map(|m| m.kind)
        .collect();
    assert_eq!(told, ["decided_confirmed"]);
    b.login("ost-principal", password).await;
    b.goto(&format!("/events/{id}?lang=nb")).await;
    assert!(b
        .text("section[aria-labelledby=taking-part]")
        .await
        .contains("Du er påmeldt"));
    b.close().await;
}

/// Guidance (issue 18), as far as it goes: anyone picks a small municipality and sees its
/// suppressed values as such; the agency's coordinator opens the assessment of the latest
/// school year and follows a municipality from the ranked list to each of its points,
/// explained.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_coordinator_follows_a_municipality_from_the_ranked_list_to_its_points() {
    let app = TestApp::spawn(Seed::Demo).await;
    app.import_indicators().await;
    let b = Browser::open(&app).await;

    b.goto("/").await;
    b.click("header a[href='/indicators']").await;
    b.el("#unit option[value='no:kommune:3425']")
        .await
        .click()
        .await
        .expect("choose Engerdal");
    b.click("main form.filters button[type=submit]").await;
    assert_eq!(b.text("main h1").await, "Engerdal");
    let history = b.text("#history").await;
    assert!(history.contains("withheld by the source"), "{history}");

    b.login("coordinator", headway_store::demo::DEMO_PASSWORD)
        .await;
    b.click("header a[href='/guidance/assessment']").await;
    assert_eq!(b.text("main h1").await, "Assessment for guidance 2025-26");
    let first = b.el("main table.figures tbody tr:first-child th a").await;
    let name = first.text().await.expect("a municipality");
    b.follow(first).await;
    assert_eq!(b.text("main h1").await, name);
    let points = b.text("main ul.points").await;
    assert!(points.contains("national 50"), "{points}");
    assert!(points.contains(" of 3 points"), "{points}");
    b.click("main a[href^='/indicators?unit=no:kommune:']")
        .await;
    assert_eq!(b.text("main h1").await, name);
    b.close().await;
}

/// Networks for small owners (issue 18): the coordinator goes from the assessment to the
/// networks suggested to owners with few schools, narrows them to owners of one school,
/// renames the first suggestion and founds it; the network's page lists its owners.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_coordinator_founds_a_network_of_small_neighbouring_owners() {
    let app = TestApp::spawn(Seed::Demo).await;
    app.import_indicators().await;
    let b = Browser::open(&app).await;
    b.login("coordinator", headway_store::demo::DEMO_PASSWORD)
        .await;
    b.click("header a[href='/guidance/assessment']").await;
    b.click("main a[href='/guidance/networks']").await;
    assert_eq!(b.text("main h1").await, "Networks for small school owners");
    b.el("#max_schools option[value='1']")
        .await
        .click()
        .await
        .expect("one school");
    b.click("main form.filters button[type=submit]").await;
    let counted = b.text("main p.notice").await;
    assert!(counted.contains("small owners"), "{counted}");
    let first = b
        .text("main section:first-of-type tbody tr:first-child th")
        .await;
    let last = b
        .text("main section:first-of-type tbody tr:last-child th")
        .await;
    b.fill("#name-1", "Småskolenettverket i nord").await;
    b.click("main section:first-of-type form button[type=submit]")
        .await;
    assert!(b.path().await.starts_with("/networks/"));
    assert_eq!(b.text("main h1").await, "Småskolenettverket i nord");
    let members = b.text("main").await;
    for name in [first, last] {
        assert!(members.contains(&name), "{name} in {members}");
    }
    b.close().await;
}

/// Guidance cases (issue 18), as their users would: the coordinator invites a municipality
/// with a rationale and opens its case with the demo advisor; the advisor sees only the cases
/// assigned to her, records the mapping's outputs and signs off, the owner signs too, and so
/// through anchoring; she records a meeting and a referral. The owner sees the own case and
/// indicators, and not another owner's case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_case_is_opened_and_moved_through_its_first_two_phases() {
    let app = TestApp::spawn(Seed::Demo).await;
    app.import_indicators().await;
    let engerdal = app
        .db
        .store
        .organization_id("no:kommune:3425")
        .await
        .unwrap()
        .unwrap();
    common::new_account(
        &app,
        "engerdal-owner",
        headway_domain::accounts::Role::Owner,
        Some(engerdal),
    )
    .await;
    let password = headway_store::demo::DEMO_PASSWORD;
    let b = Browser::open(&app).await;

    b.login("coordinator", password).await;
    b.goto("/guidance/assessment/3425?period=2025-26").await;
    b.el("input[name=decision][value=invite]")
        .await
        .click()
        .await
        .expect("invite");
    b.fill(
        "#assessment",
        "Small and remote; most values hidden, the trend weak.",
    )
    .await;
    b.fill("#rationale", "The county governor recommends guidance.")
        .await;
    b.click("form[action$='/decision'] button[type=submit]")
        .await;
    assert!(b
        .text("main")
        .await
        .contains("The county governor recommends guidance."));
    b.set_value("starts_on", "2026-08-01").await;
    b.click("form[action='/guidance/cases'] button[type=submit]")
        .await;
    assert_eq!(b.text("main h1").await, "Engerdal kommune");
    let case = b.path().await;
    b.logout().await;

    // The advisor sees her four cases, and works on the new one.
    b.login("advisor", password).await;
    b.click("header a[href='/guidance/cases']").await;
    assert_eq!(
        b.c.find_all(fantoccini::Locator::Css("main table a"))
            .await
            .unwrap()
            .len(),
        4
    );
    b.goto(&case).await;
    record_and_sign(
        &b,
        &[
            ("analysis", "Reading lags in grade 5."),
            ("schools", "Both schools."),
        ],
    )
    .await;
    b.logout().await;
    b.login("engerdal-owner", password).await;
    b.goto(&case).await;
    sign_off(&b).await;
    assert!(b.text("#phase-anchoring").await.contains("(now)"));
    b.logout().await;
    b.login("advisor", password).await;
    b.goto(&case).await;
    record_and_sign(
        &b,
        &[
            ("owner_decision", "The council decided to take part."),
            ("agreement", "Monthly meetings."),
        ],
    )
    .await;
    b.fill("#participants", "Kari Nordmann, the head of education")
        .await;
    b.fill("#minutes", "Agreed on the anchoring.").await;
    b.click("form[action$='/meetings'] button[type=submit]")
        .await;
    b.fill("#ref-topic", "Reading in grades 1–4").await;
    b.click("form[action$='/referrals'] button[type=submit]")
        .await;
    b.logout().await;
    b.login("engerdal-owner", password).await;
    b.goto(&case).await;
    sign_off(&b).await;
    assert!(b.text("#phase-area").await.contains("(now)"));
    let main = b.text("main").await;
    assert!(main.contains("Agreed on the anchoring."), "{main}");
    assert!(main.contains("Reading in grades 1–4"), "{main}");
    // Her own indicators, and not another owner's case.
    b.goto("/indicators?unit=no:kommune:3425").await;
    assert_eq!(b.text("main h1").await, "Engerdal");
    let other = case_of(&app, "Nordre Follo kommune").await;
    b.goto(&format!("/guidance/cases/{other}")).await;
    // Another owner's case is not there for her: the error page, nothing of the case.
    assert!(b
        .c
        .find(fantoccini::Locator::Css("main [role=alert]"))
        .await
        .is_ok());
    assert_ne!(b.text("main h1").await, "Nordre Follo kommune");
    assert!(!b.text("main").await.contains("Lesesenteret"));
    b.close().await;
}

/// Feedback on effects (issue 17), as a coordinator would: from the menu to a new survey of
/// the pilot's regional groups with the regional-group questionnaire, asked right after and
/// three months on; each participant's letter with a personal link is in the outbox; a
/// principal answers by her link without signing in, and a second use of it says it was
/// answered; the report shows the 3-month wave beside the immediate one, each with too few
/// answers to show yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_coordinator_asks_the_regional_groups_and_a_principal_answers_by_her_link() {
    use headway_store::feedback::Questionnaires;
    use headway_store::networks::{NetworkQuery, Networks};
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let pilot = s
        .networks(&NetworkQuery::default())
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.name == headway_store::networks::demo::SI_PILOT)
        .unwrap()
        .id;
    let regional = s
        .questionnaires()
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.key == "regional-group")
        .unwrap()
        .id;
    let before = s.outbox_unsent(100_000).await.unwrap().len();
    let b = Browser::open(&app).await;
    b.login("coordinator", headway_store::demo::DEMO_PASSWORD)
        .await;
    b.click("header a[href='/feedback']").await;
    b.click("main a[href='/feedback/surveys/new']").await;
    b.el(&format!("#subject option[value='network:{pilot}']"))
        .await
        .click()
        .await
        .expect("the pilot");
    b.el(&format!("#questionnaire option[value='{regional}']"))
        .await
        .click()
        .await
        .expect("the questionnaire");
    b.fill("#title", "Regijski aktivi: učinki svetovanja").await;
    let today = chrono::Utc::now().date_naive().to_string();
    b.set_value("ended_on", &today).await;
    b.click("main form button[type=submit]").await;
    assert!(b.path().await.starts_with("/feedback/surveys/"));
    let report = b.text("main").await;
    assert!(
        report.contains("Right after") && report.contains("After 3 months"),
        "{report}"
    );
    let letters: Vec<_> = s
        .outbox_unsent(100_000)
        .await
        .unwrap()
        .into_iter()
        .skip(before)
        .filter(|m| m.kind == "survey_invitation")
        .collect();
    assert!(
        letters.len() >= 40,
        "every group's principals: {}",
        letters.len()
    );
    let body = &letters[0].body;
    let at = body.find("/feedback/").expect("a personal link");
    let link = body[at..].split_whitespace().next().unwrap().to_owned();
    b.logout().await;

    b.goto(&link).await;
    for (field, value) in [
        ("q_group_part", "5"),
        ("q_legal_part", "4"),
        ("q_changed", "yes"),
        ("q_confidence", "4"),
    ] {
        b.choose(&format!("input[name='{field}'][value='{value}']"))
            .await;
    }
    b.click("form.survey button[type=submit]").await;
    assert!(b
        .text("[role=status]")
        .await
        .contains("your answers are stored"));
    b.goto(&link).await;
    assert!(b.text("main").await.contains("already been answered"));

    b.login("coordinator", headway_store::demo::DEMO_PASSWORD)
        .await;
    b.click("header a[href='/feedback']").await;
    b.click("main ul.plain a[href^='/feedback/surveys/']").await;
    let report = b.text("main").await;
    assert!(report.contains("Too few answers to show."), "{report}");
    b.close().await;
}

async fn case_of(app: &TestApp, owner: &str) -> i32 {
    use headway_store::guidance::Cases;
    app.db
        .store
        .cases(None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.owner == owner)
        .unwrap()
        .id
}

/// Records a phase's outputs through its forms, then signs it off.
async fn record_and_sign(b: &Browser, outputs: &[(&str, &str)]) {
    for (output, text) in outputs {
        b.fill(&format!("#text-{output}"), text).await;
        b.click(&format!("form:has(#text-{output}) button[type=submit]"))
            .await;
    }
    sign_off(b).await;
}

async fn sign_off(b: &Browser) {
    b.click("form[action$='/signoff'] button").await;
}
