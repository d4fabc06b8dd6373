//! Rounds of groups through the web, as a coordinator uses them: start a round, watch it,
//! move a member with its cost shown first, publish, and find the group on the member's
//! own page; a second round avoids the first's pairs; bad input is named and nothing
//! kept; regional groups of schools get a host each and a map; two servers run a round
//! once; a running search can be stopped and started again.

mod common;

use common::{Seed, TestApp};
use headway_domain::directory::Country;
use headway_domain::jobs::JobStatus;
use headway_store::jobs::Jobs;
use headway_store::networks::demo::{NL_ROUND, SI_PILOT};
use headway_store::networks::{NetworkQuery, Networks};
use headway_store::outbox::Outbox;
use headway_store::rounds::Rounds;
use headway_web::rounds::runner::Runner;
use serde_json::Value;
use std::collections::HashSet;

fn runner(owner: &str) -> Runner {
    Runner {
        max_steps: Some(3_000),
        renew_every: std::time::Duration::from_millis(200),
        ..Runner::new(owner)
    }
}

/// A spec whose population is every registered Dutch leader (for reading the population).
fn dutch_leaders() -> headway_domain::rounds::RoundSpec {
    serde_json::from_value(serde_json::json!({
        "title": "x", "population": {"kind": "leaders", "country": "NL", "region": null, "org_kind": null},
        "mode": "diverse", "size": 10, "min": null, "max": null, "attributes": [],
        "keep_apart": [], "keep_together": [], "hosts": [], "host_per_group": false,
        "avoid_earlier": false, "seconds": 1, "question": null
    }))
    .unwrap()
}

async fn network(app: &TestApp, name: &str) -> i32 {
    app.db
        .store
        .networks(&NetworkQuery {
            top_level: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| panic!("{name} in the demo"))
        .id
}

/// Starts a round through the form; returns the response's status and location.
async fn start(
    app: &TestApp,
    c: &reqwest::Client,
    net: i32,
    extra: &[(&str, &str)],
) -> (u16, String, String) {
    let page = format!("/networks/{net}/rounds/new");
    let token = app.csrf(c, &page).await;
    let mut form: Vec<(&str, &str)> = vec![
        ("_csrf", &token),
        ("title", "Round"),
        ("population", "leaders"),
        ("country", "NL"),
        ("mode", "diverse"),
        ("size", "10"),
        ("w_region", "1"),
        ("w_school_type", "1"),
        ("w_environment", "1"),
        ("w_governance", "1"),
        ("seconds", "2"),
    ];
    for (k, v) in extra {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    let res = c
        .post(app.url(&format!("/networks/{net}/rounds")))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

async fn api(app: &TestApp, c: &reqwest::Client, round: &str) -> Value {
    c.get(app.url(&format!("/api/v1{round}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// (member key → group number) of a round as the API gives it.
fn groups_of(r: &Value) -> Vec<Vec<String>> {
    r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["key"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

fn pairs(groups: &[Vec<String>]) -> HashSet<(String, String)> {
    let mut out = HashSet::new();
    for g in groups {
        for a in g {
            for b in g {
                if a < b {
                    out.insert((a.clone(), b.clone()));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn a_coordinator_forms_moves_and_publishes_and_the_member_finds_the_group() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let today = chrono::Utc::now().date_naive();
    common::registered_leader(
        &app,
        "roundleader",
        "Rosa",
        "Round",
        Some("rosa@example.org"),
        today,
    )
    .await;
    let person = s
        .account_by_username("roundleader")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    let me = format!("p{person}");
    let net = network(&app, NL_ROUND).await;
    // One province keeps the test quick: the one Rosa's school lies in.
    let everyone = s.population(net, &dutch_leaders()).await.unwrap();
    let province = everyone.iter().find(|m| m.key == me).unwrap().values[0].clone();
    let region = s
        .round_regions(Country::Netherlands)
        .await
        .unwrap()
        .into_iter()
        .find(|(_, name)| *name == province)
        .unwrap()
        .0
        .to_string();

    let c = app.client();
    app.login(&c, "coordinator").await;
    let network_page = app.html(&c, &format!("/networks/{net}")).await;
    assert!(network_page.contains(&format!("/networks/{net}/rounds/new")));
    let extra = [("region", region.as_str()), ("avoid_earlier", "on")];
    let (status, location, _) = start(&app, &c, net, &extra).await;
    assert_eq!(status, 303);
    let page = app.html(&c, &location).await;
    assert!(
        page.contains("id=\"round-progress\""),
        "progress while queued"
    );
    let queued = api(&app, &c, &location).await;
    assert_eq!(queued["job_status"], "queued");

    assert!(runner("server-1").work_once(s).await.unwrap());
    let formed = api(&app, &c, &location).await;
    assert_eq!(formed["status"], "draft");
    assert_eq!(formed["job_status"], "done");
    let groups = groups_of(&formed);
    assert!(groups.len() >= 2);
    let members: usize = groups.iter().map(Vec::len).sum();
    assert!(
        groups.iter().all(|g| (9..=11).contains(&g.len())),
        "{members} members"
    );
    let from = groups.iter().position(|g| g.contains(&me)).unwrap();
    let to = (from + 1) % groups.len();

    // The move is shown with its cost before it is saved.
    let token = app.csrf(&c, &location).await;
    let target = (to + 1).to_string();
    let preview = c
        .post(app.url(&format!("{location}/move")))
        .form(&[("_csrf", token.as_str()), ("member", &me), ("to", &target)])
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.unwrap();
    assert!(html.contains("The move before it is saved"));
    assert!(html.contains(&format!("{} → {}", from + 1, to + 1)));
    assert!(html.contains("Save this move"));
    // Unsaved: the draft is unchanged.
    assert!(groups_of(&api(&app, &c, &location).await)[from].contains(&me));
    let saved = c
        .post(app.url(&format!("{location}/move")))
        .form(&[
            ("_csrf", token.as_str()),
            ("member", &me),
            ("to", &target),
            ("confirm", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let moved = api(&app, &c, &location).await;
    assert!(groups_of(&moved)[to].contains(&me));
    assert!(app
        .html(&c, &location)
        .await
        .contains("<dt>Moved by hand</dt><dd>1</dd>"));

    let token = app.csrf(&c, &location).await;
    let res = c
        .post(app.url(&format!("{location}/publish")))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let published = api(&app, &c, &location).await;
    assert_eq!(published["status"], "published");
    let group_net = published["groups"][to]["network_id"].as_i64().unwrap();
    let mail = s.outbox(5000).await.unwrap();
    assert!(mail
        .iter()
        .any(|m| m.recipient == "rosa@example.org" && m.kind == "group_assigned"));

    // Rosa's own page shows her group.
    let rosa = app.client();
    app.login(&rosa, "roundleader").await;
    let mine = app.html(&rosa, "/me").await;
    assert!(mine.contains(&format!("/networks/{group_net}")), "{mine}");

    // A second round avoids the pairs of the first.
    let (status, second, _) = start(&app, &c, net, &extra).await;
    assert_eq!(status, 303);
    assert!(runner("server-1").work_once(s).await.unwrap());
    let again = api(&app, &c, &second).await;
    let met_again: Vec<_> = pairs(&groups_of(&again))
        .intersection(&pairs(&groups_of(&published)))
        .cloned()
        .collect();
    assert_eq!(met_again, vec![], "pairs of the first round meet again");
}

#[tokio::test]
async fn bad_input_names_the_conflict_and_keeps_nothing() {
    let app = TestApp::spawn(Seed::Demo).await;
    let net = network(&app, NL_ROUND).await;
    let c = app.client();
    app.login(&c, "coordinator").await;
    let (status, _, body) = start(
        &app,
        &c,
        net,
        &[("size", "11"), ("min", "11"), ("max", "11")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("cannot be split into groups of 11 to 11"),
        "{body}"
    );

    let (status, _, body) = start(&app, &c, net, &[("hosts", "o999999")]).await;
    assert_eq!(status, 400);
    assert!(body.contains("o999999 is not in the population"), "{body}");

    let spec = dutch_leaders();
    let keys: Vec<String> = app
        .db
        .store
        .population(net, &spec)
        .await
        .unwrap()
        .into_iter()
        .take(11)
        .map(|m| m.key)
        .collect();
    let chain: String = keys
        .windows(2)
        .map(|w| format!("{} {}\n", w[0], w[1]))
        .collect();
    let (status, _, body) = start(&app, &c, net, &[("max", "10"), ("keep_together", &chain)]).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("11 members must be kept together, but a group holds at most 10"),
        "{body}"
    );

    let (status, _, body) = start(&app, &c, net, &[("size", "ten")]).await;
    assert_eq!(status, 400);
    assert!(body.contains("size"), "{body}");
    // Dutch, for a Dutch reader.
    let nl = c.get(app.url("/?lang=nl")).send().await.unwrap();
    assert!(nl.status().is_success());
    let (status, _, body) = start(&app, &c, net, &[("hosts", "o999999")]).await;
    assert_eq!(status, 400);
    assert!(body.contains("o999999 zit niet in de populatie"), "{body}");

    assert!(app.db.store.rounds_of(net).await.unwrap().is_empty());
}

#[tokio::test]
async fn regional_groups_of_slovenian_schools_get_a_host_each_and_a_map() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let net = network(&app, SI_PILOT).await;
    let c = app.client();
    app.login(&c, "coordinator").await;
    let (status, location, body) = start(
        &app,
        &c,
        net,
        &[
            ("population", "organizations"),
            ("country", "SI"),
            ("mode", "regional"),
            ("size", "6"),
            ("host_per_group", "on"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert!(runner("server-1").work_once(s).await.unwrap());
    let r = api(&app, &c, &location).await;
    let groups = r["groups"].as_array().unwrap();
    assert!(groups.len() >= 5);
    for g in groups {
        let hosts = g["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["host"] == true)
            .count();
        assert_eq!(hosts, 1, "one host per group");
    }
    let page = app.html(&c, &location).await;
    assert!(page.contains("<svg") && page.contains("pin host"), "a map");
    assert!(page.contains("host:"), "each group names its host");
}

#[tokio::test]
async fn two_servers_run_a_round_once() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let net = network(&app, SI_PILOT).await;
    let c = app.client();
    app.login(&c, "coordinator").await;
    let (status, location, _) = start(
        &app,
        &c,
        net,
        &[
            ("population", "organizations"),
            ("country", "SI"),
            ("mode", "regional"),
            ("size", "6"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (a, b) = (runner("server-a"), runner("server-b"));
    let (ra, rb) = tokio::join!(a.work_once(s), b.work_once(s));
    assert!(ra.unwrap() != rb.unwrap(), "exactly one server ran it");
    let id: i32 = location.rsplit('/').next().unwrap().parse().unwrap();
    let job = s.round(id).await.unwrap().job.unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Done, 1));
    assert!(!a.work_once(s).await.unwrap(), "nothing left to run");
}

#[tokio::test]
async fn a_running_search_stops_when_asked_and_starts_again() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = app.db.store.clone();
    let net = network(&app, NL_ROUND).await;
    let c = app.client();
    app.login(&c, "coordinator").await;
    let (status, location, _) = start(&app, &c, net, &[("seconds", "60")]).await;
    assert_eq!(status, 303);
    let id: i32 = location.rsplit('/').next().unwrap().parse().unwrap();
    let slow = Runner {
        max_steps: None,
        ..runner("server-1")
    };
    let store = s.clone();
    let running = tokio::spawn(async move { slow.work_once(&store).await });
    let job = loop {
        let j = s.round(id).await.unwrap().job.unwrap();
        if j.status == JobStatus::Running {
            break j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let token = app.csrf(&c, &location).await;
    let res = c
        .post(app.url(&format!("{location}/cancel")))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let started = std::time::Instant::now();
    assert!(running.await.unwrap().unwrap());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(50),
        "stopped, not run out"
    );
    assert_eq!(s.job(job.id).await.unwrap().status, JobStatus::Cancelled);
    let page = app.html(&c, &location).await;
    assert!(page.contains("Start the search again"));
    let token = app.csrf(&c, &location).await;
    c.post(app.url(&format!("{location}/rerun")))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(s.job(job.id).await.unwrap().status, JobStatus::Queued);
}

#[tokio::test]
async fn the_api_starts_a_round_and_names_bad_fields() {
    let app = TestApp::spawn(Seed::Demo).await;
    let net = network(&app, SI_PILOT).await;
    let c = app.client();
    app.login(&c, "coordinator").await;
    let token = app.csrf(&c, "/me").await;
    let body = serde_json::json!({
        "title": "API round", "population": "organizations", "country": "SI",
        "mode": "regional", "size": 6, "host_per_group": true
    });
    let res = c
        .post(app.url(&format!("/api/v1/networks/{net}/rounds")))
        .header("x-csrf-token", &token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["job_status"], "queued");
    let mut bad = body.clone();
    bad["mode"] = "scattered".into();
    let res = c
        .post(app.url(&format!("/api/v1/networks/{net}/rounds")))
        .header("x-csrf-token", &token)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let e: Value = res.json().await.unwrap();
    assert!(
        e["error"]["message"].as_str().unwrap().contains("mode"),
        "{e}"
    );
    // Well-formed, but this population cannot be split so: a conflict that says why.
    let mut unmet = body.clone();
    unmet["size"] = 11.into();
    unmet["min"] = 11.into();
    unmet["max"] = 11.into();
    unmet["population"] = "leaders".into();
    unmet["country"] = "NL".into();
    unmet["mode"] = "diverse".into();
    unmet["attributes"] = serde_json::json!([{"attribute": "region", "weight": 1.0}]);
    let res = c
        .post(app.url(&format!("/api/v1/networks/{net}/rounds")))
        .header("x-csrf-token", &token)
        .json(&unmet)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let e: Value = res.json().await.unwrap();
    assert_eq!(status, 409, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("groups of 11 to 11"),
        "{e}"
    );
    // Others than coordinators are refused.
    let leader = app.client();
    app.login(&leader, "leader").await;
    assert_eq!(
        common::status(&leader, app.url(&format!("/api/v1/rounds/{}", r["id"]))).await,
        403
    );
}

#[tokio::test]
async fn facilitators_record_their_groups_aspects_and_the_synthesis_sets_them_against_composition()
{
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let today = chrono::Utc::now().date_naive();
    common::registered_leader(&app, "facilitator", "Fenna", "Faciliteert", None, today).await;
    let fenna = s
        .account_by_username("facilitator")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    let net = network(&app, NL_ROUND).await;
    let utrecht = s
        .round_regions(Country::Netherlands)
        .await
        .unwrap()
        .into_iter()
        .find(|(_, n)| n == "Utrecht")
        .unwrap()
        .0
        .to_string();
    let c = app.client();
    app.login(&c, "coordinator").await;
    let (status, location, _) = start(
        &app,
        &c,
        net,
        &[
            ("region", utrecht.as_str()),
            ("competences", "Visie\nOmgeving\n"),
            (
                "question",
                "Hoe verhouden persoonlijke en omgevingsaspecten zich?",
            ),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(runner("server-1").work_once(s).await.unwrap());
    let id: i32 = location.rsplit('/').next().unwrap().parse().unwrap();
    s.publish_round(
        "coordinator",
        id,
        &headway_web::ui::mail::FluentLetters::new(headway_domain::language::Lang::Nl),
    )
    .await
    .unwrap();
    let view = s.round(id).await.unwrap();
    assert!(view.group_networks.len() >= 2);
    // The coordinator names Fenna facilitator of group 1: she coordinates its network.
    let key = format!("p{fenna}");
    let form = [("group", "1"), ("person", key.as_str())];
    let facilitators = format!("/rounds/{id}/facilitators");
    assert_eq!(
        common::post_form(&app, &c, &location, &facilitators, &form).await,
        303
    );
    let bad = [("group", "999"), ("person", key.as_str())];
    assert_eq!(
        common::post_form(&app, &c, &location, &facilitators, &bad).await,
        400
    );
    let f = app.client();
    app.login(&f, "facilitator").await;
    let aspects = format!("/rounds/{id}/aspects");
    let page = app.html(&f, &aspects).await;
    assert!(page.contains("<option value=\"1\">"), "her group");
    assert!(
        !page.contains("<option value=\"2\">Group 2"),
        "only her group"
    );
    let post = |group: &'static str, competence: &'static str, text: &'static str| {
        let f = f.clone();
        let app = &app;
        let aspects = aspects.clone();
        async move {
            common::post_form(
                app,
                &f,
                &aspects,
                &aspects,
                &[("group", group), ("competence", competence), ("text", text)],
            )
            .await
        }
    };
    assert_eq!(post("1", "2", "Werkt samen met de gemeente").await, 303);
    assert_eq!(post("1", "1", "Een gedeelde visie met het team").await, 303);
    assert_eq!(post("2", "1", "Niet haar groep").await, 403);
    assert_eq!(post("1", "9", "Geen competentie").await, 400);
    // Her own page lists the group she facilitates.
    assert!(app
        .html(&f, "/me")
        .await
        .contains(&format!("/networks/{}", view.group_networks[0])));
    // A leader who facilitates nothing is refused by the route's rule.
    let other = app.client();
    app.login(&other, "leader").await;
    assert_eq!(common::status(&other, app.url(&aspects)).await, 403);

    let synthesis = app.html(&c, &format!("/rounds/{id}/synthesis")).await;
    assert!(synthesis.contains("2 aspects from 1 groups"), "{synthesis}");
    assert!(synthesis.contains("composition: Region"), "{synthesis}");
    assert!(synthesis.contains("Werkt samen met de gemeente"));
    assert!(!synthesis.contains("Niet haar groep"));
    // Utrecht holds every member: each aspect counts once there.
    assert!(
        synthesis.contains("<th scope=\"row\">Utrecht</th>"),
        "{synthesis}"
    );
    let csv = c
        .get(app.url(&format!("/rounds/{id}/aspects.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("group,competence,aspect"), "{csv}");
    assert!(
        csv.contains("Omgeving,Werkt samen met de gemeente"),
        "{csv}"
    );
    assert!(csv.contains("Utrecht"), "the group's composition: {csv}");
}
