//! Browser tests in real Chromium (Debian's `chromium` and `chromedriver`), driven over
//! WebDriver by fantoccini, with axe-core (from the npm registry, installed into the target
//! directory at first use) checking accessibility. Each test starts its own server on port
//! 0 with its own database (SQLite, or PostgreSQL when `HEADWAY_TEST_DATABASE_URL` says so).
//!
//! They need a browser, so they are `#[ignore]`d in the plain test command and run by
//! `.ci/run` with `--ignored` (which installs Chromium when it is missing):
//! `cargo test -p headway-web --test browser -- --ignored --test-threads 2`.
//! `HEADWAY_CHROMIUM` and `HEADWAY_CHROMEDRIVER` point at other binaries.

mod chromium;
mod common;

use headway_store::register::prelude::*;

use chromium::Browser;
use common::{Seed, TestApp};
use fantoccini::Locator;
use serde_json::json;
use std::time::Duration;

const ROLES: [(&str, &str); 6] = [
    ("admin", "/admin/accounts"),
    ("coordinator", "/register/committee"),
    ("advisor", "/me"),
    ("owner", "/register/board"),
    ("leader", "/register/me"),
    ("provider", "/me"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn every_role_logs_in_sees_its_menu_and_logs_out() {
    let app = TestApp::spawn(Seed::Demo).await;
    let b = Browser::open(&app).await;
    for (user, own_page) in ROLES {
        b.login(user, headway_store::demo::DEMO_PASSWORD).await;
        assert_eq!(b.path().await, "/me", "{user} lands on the dashboard");
        let nav = b.text("header nav").await;
        assert!(nav.contains(user), "{user}'s name in the menu: {nav}");
        b.el(&format!("header a[href='{own_page}']")).await;
        // The admin menu only for the administrator.
        let admin_links =
            b.c.find_all(Locator::Css("header a[href='/admin/accounts']"))
                .await
                .expect("find");
        assert_eq!(admin_links.len(), usize::from(user == "admin"), "{user}");
        b.goto(own_page).await;
        assert_eq!(b.path().await, own_page);
        b.logout().await;
        b.goto("/me").await;
        let logout_forms =
            b.c.find_all(Locator::Css("form[action='/logout']"))
                .await
                .expect("find");
        assert!(logout_forms.is_empty(), "{user} is signed out");
        b.el("header a[href='/login']").await;
    }
    // A wrong password stays on the login page with a message.
    b.goto("/login").await;
    b.fill("#username", "leader").await;
    b.fill("#password", "not-the-password").await;
    b.click("main form button[type=submit]").await;
    assert!(b.text("[role=alert]").await.len() > 3);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn the_public_searches_the_directory_and_the_register() {
    let app = TestApp::spawn(Seed::Demo).await;
    let b = Browser::open(&app).await;
    b.goto("/").await;
    b.click("header a[href='/directory']").await;
    b.fill("#q", "Šercer").await;
    b.click("form[role=search] button[type=submit]").await;
    let results = b.text("main table").await;
    assert!(results.contains("Šercer"), "directory results: {results}");
    b.click("main table a").await;
    assert!(b.path().await.starts_with("/organizations/"));
    assert!(b.text("h1").await.contains("Šercer"));

    b.click("header a[href='/register']").await;
    // Typed without the diacritic and with a typo: the register still finds her.
    b.fill("#q", "ana novk").await;
    b.click("form[role=search] button[type=submit]").await;
    b.el("main table a").await;
    let links =
        b.c.find_all(Locator::Css("main table a"))
            .await
            .expect("rows");
    let mut found = None;
    for l in links {
        if l.text().await.expect("text") == "Ana Novak" {
            found = Some(l);
        }
    }
    b.follow(found.expect("Ana Novak in the results")).await;
    assert!(b.path().await.starts_with("/register/leaders/"));
    assert_eq!(b.text("h1").await, "Ana Novak");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn the_public_finds_a_regional_group_its_host_and_its_date() {
    let app = TestApp::spawn(Seed::Demo).await;
    let b = Browser::open(&app).await;
    b.goto("/?lang=sl").await;
    b.click("header a[href='/networks']").await;
    assert_eq!(b.path().await, "/networks");
    // Only Slovenian networks, by the filter.
    b.c.execute("document.querySelector('#country').value = 'SI';", vec![])
        .await
        .expect("choose Slovenia");
    b.click("main form button[type=submit]").await;
    let list = b.text("main table").await;
    assert!(list.contains("pilot 2016–2017"), "{list}");
    assert!(!list.contains("ØST"), "{list}");
    b.click("main table a").await;
    let groups = b.text("main table").await;
    assert!(groups.contains("Regijski aktiv 4: ŠC Postojna"), "{groups}");
    assert!(groups.contains("1. 6. 2016"), "the source's date: {groups}");
    b.click("main table a").await;
    assert!(b.text("h1").await.contains("ŠC Postojna"));
    let members = b.text("#members + table").await;
    assert!(
        members.contains("Gostitelj"),
        "the host, in Slovenian: {members}"
    );
    assert!(
        members.contains("Gimnazija Antonio Sema Piran"),
        "{members}"
    );
    assert!(b.text("#meetings + ul").await.contains("1. 6. 2016"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_principal_reads_the_gathering_from_lunch_and_a_coordinator_plans_an_event() {
    let app = TestApp::spawn(Seed::Demo).await;
    let b = Browser::open(&app).await;
    b.goto("/?lang=nb").await;
    b.click("header a[href='/events']").await;
    assert_eq!(b.path().await, "/events");
    b.click("#past + table a[href^='/events/']").await;
    assert!(b.text("h1").await.contains("Oppstartsamling"));
    let programme = b.text("#agenda ~ table").await;
    assert!(
        programme.contains("09:00") && programme.contains("Administrative skoleeiere"),
        "{programme}"
    );
    // The principals' own agenda: from lunch, without the owners' morning.
    b.set_value("audience", "principals").await;
    b.click("#agenda ~ form button[type=submit]").await;
    assert!(b.text("#agenda").await.contains("Rektorer"));
    let mine = b.text("#agenda ~ table").await;
    let first = b.text("#agenda ~ table tbody tr td").await;
    assert_eq!(first, "11:30", "{mine}");
    assert!(!mine.contains("Drøfte mulige aktiviteter"), "{mine}");

    b.login("coordinator", headway_store::demo::DEMO_PASSWORD)
        .await;
    b.goto("/events/new?lang=sl").await;
    b.fill("#title", "Regijski aktiv Koroška: svetovanje").await;
    b.set_value("kind", "counselling").await;
    b.set_value("starts_at", "2027-05-20T09:00").await;
    b.set_value("ends_at", "2027-05-20T13:00").await;
    b.set_value("time_zone", "Europe/Ljubljana").await;
    b.fill("#venue_name", "Druga OŠ Slovenj Gradec").await;
    b.fill("#audiences", "Ravnatelji").await;
    b.click("main form button[type=submit]").await;
    assert!(b.path().await.starts_with("/events/"));
    assert!(b
        .text("dl.facts")
        .await
        .contains("20. 5. 2027, 09:00–13:00"));
    b.fill("#starts_at", "09:00").await;
    b.fill("#item_title", "Teoretična in zakonodajna izhodišča")
        .await;
    b.click("form[action$='/agenda'] button[type=submit]").await;
    b.fill("#starts_at", "14:00").await;
    b.fill("#item_title", "Prepozno").await;
    b.click("form[action$='/agenda'] button[type=submit]").await;
    assert!(
        b.text("[role=alert]").await.contains("starts_at"),
        "the time outside the event is named"
    );
    let agenda = b.text("#agenda ~ table").await;
    assert!(agenda.contains("Teoretična in zakonodajna izhodišča") && !agenda.contains("Prepozno"));
    b.logout().await;

    // The demo leader registers for her group's counselling session and cancels again.
    let session = {
        use headway_store::events::{EventQuery, Events};
        app.db
            .store
            .events(&EventQuery::default())
            .await
            .expect("events")
            .into_iter()
            .find(|e| e.title == headway_store::events::demo::SI_SESSION)
            .expect("the session")
            .id
    };
    b.login("leader", headway_store::demo::DEMO_PASSWORD).await;
    b.goto(&format!("/events/{session}?lang=sl")).await;
    assert!(b
        .text("section[aria-labelledby=taking-part]")
        .await
        .contains("Mesta: 12"));
    b.click("form[action$='/register'] button").await;
    assert!(b
        .text("section[aria-labelledby=taking-part]")
        .await
        .contains("Prijavljeni ste"));
    b.click("form[action$='/cancel'] button").await;
    let after = b.text("section[aria-labelledby=taking-part]").await;
    assert!(
        !after.contains("Prijavljeni ste") && after.contains("Prijavi me"),
        "{after}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_coordinator_forms_a_round_watches_it_moves_a_member_and_publishes() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = app.db.store.clone();
    use headway_store::networks::{NetworkQuery, Networks};
    let nl = s
        .networks(&NetworkQuery {
            top_level: true,
            ..Default::default()
        })
        .await
        .expect("networks")
        .into_iter()
        .find(|n| n.name == headway_store::networks::demo::NL_ROUND)
        .expect("the Dutch round")
        .id;
    use headway_store::rounds::Rounds;
    let utrecht = s
        .round_regions(headway_domain::directory::Country::Netherlands)
        .await
        .expect("regions")
        .into_iter()
        .find(|(_, n)| n == "Utrecht")
        .expect("Utrecht")
        .0;
    // The servers' background runner, as `headway serve` runs it.
    let runner = headway_web::rounds::runner::Runner {
        max_steps: Some(3_000),
        idle: Duration::from_millis(100),
        ..headway_web::rounds::runner::Runner::new("browser-test")
    };
    let background = tokio::spawn(runner.run_forever(s.clone()));
    let b = Browser::open(&app).await;
    b.login("coordinator", headway_store::demo::DEMO_PASSWORD)
        .await;
    b.goto(&format!("/networks/{nl}")).await;
    b.click(&format!("a[href='/networks/{nl}/rounds/new']"))
        .await;
    b.fill("#title", "Gespreksgroepen Utrecht").await;
    b.set_value("region", &utrecht.to_string()).await;
    b.fill("#seconds", "1").await;
    b.click("main form button[type=submit]").await;
    assert!(b.path().await.starts_with("/rounds/"));
    // The page follows the search by itself and shows the groups when it ends.
    // The search is the server's background job: on a busy machine it may take a while.
    let first = b
        .el_within("#g1 ~ table tbody tr td", Duration::from_secs(90))
        .await
        .text()
        .await
        .expect("text");
    assert!(first.starts_with('p'), "a member key: {first}");
    b.fill("#member", &first).await;
    b.fill("#to", "2").await;
    b.click("form[action$='/move'] button").await;
    let preview = b.text("#preview + p + p").await;
    assert!(
        preview.contains('→'),
        "the objective before and after: {preview}"
    );
    b.click("#preview ~ form button").await;
    assert!(b.text("dl.facts").await.contains("Moved by hand\n1"));
    b.click("form[action$='/publish'] button").await;
    assert_eq!(b.path().await, format!("/networks/{nl}"));
    let groups = b.text("main").await;
    assert!(groups.contains("Gespreksgroepen Utrecht · 1"), "{groups}");
    background.abort();
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_new_leader_enrols_is_registered_and_records_an_activity() {
    let app = TestApp::spawn(Seed::Demo).await;
    let school = app
        .db
        .store
        .organization_id("nl:vestiging:03DX00")
        .await
        .unwrap()
        .expect("a demo school");
    let b = Browser::open(&app).await;

    // The administrator creates the account.
    b.login("admin", headway_store::demo::DEMO_PASSWORD).await;
    b.goto("/admin/accounts").await;
    b.fill("#username", "mirjam").await;
    b.fill("#display_name", "Mirjam de Vries").await;
    b.fill("#password", "a-long-password-1").await;
    b.el("#role option[value='leader']")
        .await
        .click()
        .await
        .expect("role");
    b.click("main form button[type=submit]").await;
    assert!(b.text("[role=status]").await.contains("mirjam"));
    b.logout().await;

    // She enrols.
    b.login("mirjam", "a-long-password-1").await;
    b.goto("/register/enrol").await;
    b.fill("#given_name", "Mirjam").await;
    b.fill("#family_name", "de Vries").await;
    b.fill("#email", "mirjam@example.org").await;
    b.fill("#schools", &school.to_string()).await;
    b.fill("#qualification", "Schoolleider basisbekwaam, 2019")
        .await;
    b.click("main form button[type=submit]").await;
    assert_eq!(b.path().await, "/register/me");
    assert_eq!(
        b.el("#status").await.attr("class").await.unwrap().unwrap(),
        "badge submitted"
    );
    b.logout().await;

    // The committee registers her.
    b.login("coordinator", headway_store::demo::DEMO_PASSWORD)
        .await;
    b.goto("/register/committee").await;
    b.fill("#name", "mirjam").await;
    b.click("form[role=search] button[type=submit]").await;
    assert!(b.path().await.contains("name=mirjam"));
    let cards =
        b.c.find_all(Locator::Css("article.card"))
            .await
            .expect("cards");
    let mut decided = false;
    for card in cards {
        if card.text().await.expect("text").contains("Mirjam de Vries") {
            let button = card
                .find(Locator::Css("button[type=submit]"))
                .await
                .expect("decide button");
            b.follow(button).await;
            decided = true;
            break;
        }
    }
    assert!(decided, "her enrolment waits for the committee");
    b.logout().await;

    // She records a formal activity with evidence.
    let evidence = tempfile::Builder::new()
        .suffix(".txt")
        .tempfile()
        .expect("evidence file");
    std::fs::write(evidence.path(), "Certificate: leadership course, 12 hours").unwrap();
    b.login("mirjam", "a-long-password-1").await;
    b.goto("/register/me").await;
    assert_eq!(
        b.el("#status").await.attr("class").await.unwrap().unwrap(),
        "badge registered"
    );
    b.fill("#title", "Leergang onderwijskundig leiderschap")
        .await;
    b.fill("#hours", "12").await;
    b.fill("#apoints", "12").await;
    // Within her first cycle, which began with today's decision.
    let today = chrono::Utc::now().date_naive().to_string();
    b.set_value("started_on", &today).await;
    b.set_value("completed_on", &today).await;
    b.el("#evidence")
        .await
        .send_keys(&evidence.path().display().to_string())
        .await
        .expect("choose file");
    b.click("form[enctype='multipart/form-data'] button[type=submit]")
        .await;
    let log = b.text("section[aria-labelledby=pd] table").await;
    assert!(
        log.contains("Leergang onderwijskundig leiderschap"),
        "PD log: {log}"
    );
    assert!(log.contains(".txt"), "the evidence is listed: {log}");
    let points = b.el("#points").await.attr("value").await.unwrap().unwrap();
    assert_ne!(points, "0", "the formal activity counts at once");
    b.close().await;
}

/// A leader changes schools by the form on their page; the committee confirms the change
/// on its page. Both pages, in the state only this flow shows, pass axe in four languages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_leader_changes_schools_and_the_committee_confirms() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let today = chrono::Utc::now().date_naive();
    let id = common::registered_leader(&app, "joris", "Joris", "Verhuizer", None, today).await;
    let other = s
        .organization_id("nl:vestiging:00DO00")
        .await
        .unwrap()
        .expect("a second demo school");
    let b = Browser::open(&app).await;
    b.login("joris", headway_store::demo::DEMO_PASSWORD).await;
    b.goto("/register/me").await;
    b.el("details summary").await.click().await.expect("open");
    b.fill("#new_schools", &other.to_string()).await;
    b.click("form[action='/register/me/schools'] button[type=submit]")
        .await;
    assert_eq!(b.path().await, "/register/me");
    let view = s.leader_view(id).await.unwrap();
    assert_eq!(view.schools[0].0, other);
    assert!(view.schools_changed_at.is_some());
    assert!(b.text("dl.facts").await.contains(&view.schools[0].1));
    let mut report = vec![];
    for lang in ["en", "nl", "nb", "sl"] {
        b.goto(&format!("/register/me?lang={lang}")).await;
        report.extend(b.axe().await.into_iter().map(|v| format!("{lang} me: {v}")));
    }
    b.goto("/register/me?lang=en").await;
    b.logout().await;

    b.login("coordinator", headway_store::demo::DEMO_PASSWORD)
        .await;
    for lang in ["en", "nl", "nb", "sl"] {
        b.goto(&format!("/register/committee?lang={lang}")).await;
        b.el("form[action='/register/committee/schools']").await;
        report.extend(
            b.axe()
                .await
                .into_iter()
                .map(|v| format!("{lang} committee: {v}")),
        );
    }
    b.goto("/register/committee?lang=en").await;
    b.click("form[action='/register/committee/schools'] button[type=submit]")
        .await;
    assert_eq!(b.path().await, "/register/committee");
    let view = s.leader_view(id).await.unwrap();
    assert!(view.board_confirmed && view.schools_changed_at.is_none());
    assert!(
        report.is_empty(),
        "serious or critical violations:\n{}",
        report.join("\n")
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn the_language_switch_changes_and_keeps_the_language() {
    let app = TestApp::spawn(Seed::Small).await;
    let b = Browser::open(&app).await;
    b.goto("/").await;
    for code in ["nl", "nb", "sl", "en"] {
        b.click(&format!("nav.langs a[hreflang='{code}']")).await;
        let lang =
            b.c.execute("return document.documentElement.lang;", vec![])
                .await
                .expect("lang");
        assert_eq!(lang, json!(code));
        // The choice is kept on the next page, without the query parameter.
        b.click("header a[href='/directory']").await;
        let lang =
            b.c.execute("return document.documentElement.lang;", vec![])
                .await
                .expect("lang");
        assert_eq!(lang, json!(code), "kept after navigating");
        let current = b.text("nav.langs a[aria-current=true]").await;
        assert!(!current.is_empty());
    }
    // Each language has its own words for the same page.
    let mut titles = std::collections::HashSet::new();
    for code in ["en", "nl", "nb", "sl"] {
        b.goto(&format!("/login?lang={code}")).await;
        titles.insert(b.text("h1").await);
    }
    assert_eq!(titles.len(), 4, "four different login titles: {titles:?}");
    b.close().await;
}

/// Every main page, in every language, for the public and each role that has pages of
/// its own: axe-core finds no serious or critical violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn main_pages_have_no_serious_accessibility_violations() {
    let app = TestApp::spawn(Seed::Demo).await;
    app.import_indicators().await;
    let s = &app.db.store;
    let school = s
        .organization_id("nl:vestiging:03DX00")
        .await
        .unwrap()
        .expect("school");
    let ana = s
        .public_search("Ana Novak", 1)
        .await
        .expect("search")
        .into_iter()
        .next()
        .expect("Ana Novak")
        .id;
    use headway_store::networks::{NetworkQuery, Networks};
    let top = s
        .networks(&NetworkQuery {
            top_level: true,
            ..Default::default()
        })
        .await
        .expect("networks");
    let pilot = top.iter().find(|n| n.children > 0).expect("the pilot").id;
    let ost = top.iter().find(|n| n.name.contains("ØST")).expect("ØST").id;
    let groups = s.network(pilot).await.expect("pilot").children;
    let group = groups[0].id;
    // The demo leader is a member of group 1: her view lists the group's people.
    let her_group = groups
        .iter()
        .find(|g| g.name.starts_with("Regijski aktiv 1:"))
        .expect("group 1")
        .id;
    // A regional round of the Slovenian schools, formed: its draft page and the form.
    let nl_round = top
        .iter()
        .find(|n| n.name == headway_store::networks::demo::NL_ROUND)
        .expect("the Dutch round")
        .id;
    let round = {
        use headway_domain::rounds::*;
        let spec = RoundSpec {
            title: "Regijski aktivi 2027".into(),
            population: Population {
                kind: PopulationKind::Organizations,
                country: Some(headway_domain::directory::Country::Slovenia),
                region: None,
                org_kind: None,
            },
            mode: RoundMode::Regional,
            size: 6,
            min: None,
            max: None,
            attributes: vec![],
            keep_apart: vec![],
            keep_together: vec![],
            hosts: vec![],
            host_per_group: true,
            avoid_earlier: false,
            seconds: 1,
            question: None,
            competences: vec!["Vizija".into(), "Okolje".into()],
        };
        let id = headway_web::rounds::pages::start_as(s, "test", pilot, &spec)
            .await
            .expect("a round");
        let runner = headway_web::rounds::runner::Runner {
            max_steps: Some(2_000),
            ..headway_web::rounds::runner::Runner::new("test")
        };
        assert!(runner.work_once(s).await.expect("formed"));
        use headway_store::rounds::{RoundAspects, Rounds};
        s.publish_round(
            "test",
            id,
            &headway_web::ui::mail::FluentLetters::new(headway_domain::language::Lang::Sl),
        )
        .await
        .expect("published");
        s.add_aspect("test", id, 0, 0, "Skupna vizija z učitelji")
            .await
            .expect("an aspect");
        id
    };
    let (gathering, session, code, next, rsvp) = {
        use headway_store::events::{Certificates, EventQuery, Events, Registrations};
        let all = s.events(&EventQuery::default()).await.expect("events");
        let titled = |t: &str| all.iter().find(|e| e.title.starts_with(t)).expect(t).id;
        let group_session = titled("Regijski aktiv 1:");
        let ana_person = s
            .account_by_username("leader")
            .await
            .expect("leader")
            .and_then(|a| a.person_id)
            .expect("a person");
        s.mark_attendance("test", group_session, ana_person, true)
            .await
            .expect("marked present");
        let code = s
            .certificate(group_session, ana_person)
            .await
            .expect("certificate")
            .expect("made")
            .code;
        // An invitation to ØST's next gathering, for its answer page.
        let next = titled(headway_store::events::demo::OST_NEXT);
        use headway_store::events::invitations::Invitations;
        use headway_store::outbox::Outbox;
        s.invite(
            "test",
            next,
            "owners",
            headway_domain::events::invitations::InviteTarget::Members,
            &headway_web::ui::mail::FluentLetters::new(headway_domain::language::Lang::Nb),
        )
        .await
        .expect("invited");
        let body = s
            .outbox_unsent(10_000)
            .await
            .expect("outbox")
            .into_iter()
            .find(|m| m.kind == "invitation")
            .expect("an invitation")
            .body;
        let at = body.find("/rsvp/").expect("a link");
        let rsvp = body[at..]
            .split_whitespace()
            .next()
            .expect("link")
            .to_owned();
        // A material on the gathering's first item, for the organiser's view of its list.
        let gathering = titled(headway_store::events::demo::OST_GATHERING);
        use headway_store::events::{Materials, NewMaterial};
        let first_item = s.event(gathering).await.expect("gathering").agenda[0].id;
        s.attach_material(
            "test",
            gathering,
            None,
            NewMaterial {
                agenda_item: Some(first_item),
                title: "Presentasjon: samarbeid om kvalitet".into(),
                file_name: "presentasjon.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.7 presentasjon".to_vec(),
            },
        )
        .await
        .expect("a material");
        (
            gathering,
            titled(headway_store::events::demo::SI_SESSION),
            code,
            next,
            rsvp,
        )
    };
    // Feedback: the pilot's evaluation, its follow-up open now, and a personal link.
    let (feedback_link, pilot_survey, follow_wave, regional) = {
        use headway_store::feedback::{FeedbackOutreach, Questionnaires, Surveys};
        let all = s.all_surveys().await.expect("surveys");
        let titled = |p: &str| {
            all.iter()
                .find(|x| x.title.starts_with(p))
                .expect("a demo survey")
                .clone()
        };
        let follow = titled("Spremljava");
        let person = s
            .add_person_with_position("Vesna", "Kralj", None, school, "director", "2020-09-01")
            .await
            .expect("a person");
        let token = s
            .ask(follow.waves[0].id, &[person])
            .await
            .expect("asked")
            .remove(0)
            .1;
        let regional = s
            .questionnaires()
            .await
            .expect("questionnaires")
            .into_iter()
            .find(|q| q.key == "regional-group")
            .expect("the regional-group questionnaire")
            .id;
        (
            format!("/feedback/{token}"),
            titled("Svetovanje v regijskih").id,
            follow.waves[0].id,
            regional,
        )
    };
    let b = Browser::open(&app).await;
    let public = vec![
        "/".to_string(),
        "/events".into(),
        format!("/events/{gathering}"),
        format!("/events/{gathering}?audience=principals"),
        "/login".into(),
        "/networks".into(),
        format!("/networks/{pilot}"),
        format!("/networks/{group}"),
        format!("/networks/{ost}"),
        "/directory?q=school".into(),
        format!("/organizations/{school}"),
        "/register?q=novak".into(),
        format!("/register/leaders/{ana}"),
        "/register/offers".into(),
        "/no-such-page".into(),
        format!("/certificates/{code}"),
        "/certificates/2345-6789-ABCD".into(),
        rsvp,
        "/rsvp/0123456789abcdef".into(),
        "/indicators".into(),
        "/indicators?unit=no:kommune:3205".into(),
        "/indicators?unit=no:kommune:3425".into(),
        "/indicators?unit=no:fylke:34&period=2022-23".into(),
        feedback_link,
        "/feedback/0123456789abcdef".into(),
    ];
    let cases = {
        use headway_store::guidance::Cases;
        s.cases(None).await.expect("the demo's cases")
    };
    let case_of = |owner: &str| {
        cases
            .iter()
            .find(|c| c.owner == owner)
            .map(|c| c.id)
            .expect("a demo case")
    };
    let (ullensaker, follo) = (
        case_of("Ullensaker kommune"),
        case_of("Nordre Follo kommune"),
    );
    let signed_in: Vec<(&str, Vec<String>)> = vec![
        (
            "advisor",
            vec![
                "/guidance/cases".into(),
                format!("/guidance/cases/{ullensaker}"),
                format!("/guidance/cases/{ullensaker}/report"),
                format!("/guidance/cases/{ullensaker}/report?year=1"),
            ],
        ),
        ("ost-owner", vec![format!("/guidance/cases/{follo}")]),
        (
            "leader",
            vec![
                "/me".into(),
                "/register/me".into(),
                format!("/networks/{her_group}"),
                format!("/events/{session}"),
                "/me/calendar".into(),
                format!("/events/{session}/counselling"),
                "/feedback".into(),
                format!("/feedback/waves/{follow_wave}"),
                format!("/feedback/surveys/{pilot_survey}"),
            ],
        ),
        (
            "coordinator",
            vec![
                "/register/committee".into(),
                "/register/offers".into(),
                format!("/networks/{nl_round}/rounds/new"),
                format!("/rounds/{round}"),
                format!("/rounds/{round}/aspects"),
                format!("/rounds/{round}/synthesis"),
                format!("/networks/{group}"),
                "/events/new".into(),
                format!("/events/{gathering}"),
                format!("/events/{session}/participants"),
                format!("/events/{session}/counselling"),
                format!("/events/{next}/invitations"),
                "/guidance/assessment".into(),
                "/guidance/assessment/3425".into(),
                "/guidance/cases".into(),
                "/guidance/networks".into(),
                "/feedback/questionnaires".into(),
                format!("/feedback/questionnaires/{regional}"),
                "/feedback/surveys/new".into(),
                format!("/feedback/surveys/{pilot_survey}"),
            ],
        ),
        (
            "owner",
            vec![
                "/register/board".into(),
                format!("/register/board/leaders/{ana}"),
            ],
        ),
        (
            "admin",
            vec![
                "/admin/accounts".into(),
                "/admin/audit".into(),
                "/admin/outbox".into(),
            ],
        ),
        (
            "provider",
            vec![
                "/register/offers".into(),
                format!("/events/{session}/counselling"),
            ],
        ),
    ];
    // First show that the check can fail: an image without a text alternative and an
    // unlabelled field are critical violations.
    b.goto("/").await;
    b.c.execute(
        "document.querySelector('main').insertAdjacentHTML('beforeend', \
         '<img src=\"/static/x.png\"><input type=\"text\">');",
        vec![],
    )
    .await
    .expect("break the page");
    let rules: Vec<String> = b
        .axe()
        .await
        .iter()
        .map(|v| v["rule"].to_string())
        .collect();
    assert!(
        rules.iter().any(|r| r.contains("image-alt")) && rules.iter().any(|r| r.contains("label")),
        "axe-core should report the broken page: {rules:?}"
    );

    let mut report = Vec::new();
    let mut checked = 0;
    for lang in ["en", "nl", "nb", "sl"] {
        b.goto(&format!("/?lang={lang}")).await;
        for p in &public {
            b.goto(p).await;
            for v in b.axe().await {
                report.push(format!("{lang} {p} (anonymous): {v}"));
            }
            checked += 1;
        }
        for (user, pages) in &signed_in {
            b.login(user, headway_store::demo::DEMO_PASSWORD).await;
            for p in pages {
                b.goto(p).await;
                assert_eq!(&b.path().await, p, "{user} may open {p}");
                for v in b.axe().await {
                    report.push(format!("{lang} {p} ({user}): {v}"));
                }
                checked += 1;
            }
            b.logout().await;
        }
    }
    println!("axe-core: {checked} page views checked");
    assert_eq!(checked, 4 * 66);
    assert!(
        report.is_empty(),
        "serious or critical violations:\n{}",
        report.join("\n")
    );
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium; .ci/run runs it"]
async fn a_principal_answers_the_follow_up_from_her_page_and_cannot_answer_twice() {
    let app = TestApp::spawn(Seed::Demo).await;
    let b = Browser::open(&app).await;
    b.login("leader", headway_store::demo::DEMO_PASSWORD).await;
    b.goto("/feedback").await;
    let answer = b.el("a[href^='/feedback/waves/']").await;
    b.follow(answer).await;
    assert!(b
        .text("main")
        .await
        .contains("Only 4 people were asked in your group"));
    for (field, value) in [
        ("q_group_part", "4"),
        ("q_legal_part", "5"),
        ("q_changed", "yes"),
        ("q_confidence", "4"),
    ] {
        b.choose(&format!("input[name='{field}'][value='{value}']"))
            .await;
    }
    b.choose("input[name='q_used'][value='2']").await;
    b.fill("textarea[name='q_remarks']", "Več primerov iz prakse.")
        .await;
    b.click("form.survey button[type=submit]").await;
    assert!(b
        .text("[role=status]")
        .await
        .contains("your answers are stored"));
    b.goto("/feedback").await;
    assert!(
        !b.text("main").await.contains("Answer now"),
        "answered once"
    );
    b.close().await;
}
