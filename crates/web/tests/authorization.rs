//! The authorisation matrix: every route of the router × the anonymous public and every
//! role, against the policy — and against this file's own table of the rule each route
//! must have, so that a route added without a rule here fails — plus the relation cases
//! (one's own object or another's) of the data-aware actions.

mod common;

use headway_store::register::prelude::*;

use common::{Seed, TestApp};
use headway_domain::accounts::Role;
use headway_web::policy::Action as A;
use headway_web::{policy, route_table, Access};

/// The rule every route must have. A new route needs its line here (and so a decision on
/// who may use it), or the matrix fails.
fn expected_rule(method: &str, path: &str) -> Option<Access> {
    use Access::*;
    let own = Allowed(A::KeepOwnRegistration);
    let committee = Allowed(A::Committee);
    let board = Allowed(A::BoardRegister);
    let rounds = Allowed(A::CoordinateNetwork { coordinator: true });
    Some(match (method, path) {
        ("GET", "/" | "/login" | "/directory" | "/organizations/{id}") => Public,
        ("GET", "/api/openapi.json" | "/healthz" | "/static/style.css") => Public,
        ("GET", "/api/v1/organizations" | "/api/v1/organizations/{id}") => Public,
        ("GET", "/networks" | "/networks/{id}") => Public,
        ("GET", "/api/v1/networks" | "/api/v1/networks/{id}") => Public,
        ("GET", "/register" | "/register/leaders/{id}" | "/register/offers") => Public,
        ("GET", "/api/v1/register/search" | "/api/v1/register/leaders/{id}") => Public,
        ("POST", "/login") => Public,
        ("POST", "/logout") => SignedIn,
        ("GET", "/me") => Allowed(A::ViewDashboard),
        ("GET" | "POST", "/admin/accounts") => Allowed(A::ManageAccounts),
        ("GET", "/admin/outbox") => Allowed(A::ViewOutbox),
        ("GET", "/admin/audit") => Allowed(A::ViewAudit),
        ("GET" | "POST", "/register/enrol") => own,
        ("GET", "/register/me") => own,
        ("POST", p) if p.starts_with("/register/me/") => own,
        ("GET", "/register/evidence/{id}") => SignedIn,
        ("GET", "/register/committee") => committee,
        ("POST", p) if p.starts_with("/register/committee/") => committee,
        ("GET", p) if p.starts_with("/register/board") => board,
        ("GET", p) if p.starts_with("/api/v1/register/board/") => board,
        ("POST", "/register/offers") => Allowed(A::AddOffer { own_org: true }),
        ("POST", "/register/offers/{id}/status") => Allowed(A::ManageOffers),
        ("GET", "/static/rounds.js") => Public,
        ("GET", "/networks/{id}/rounds/new" | "/api/v1/rounds/{id}") => rounds,
        ("POST", "/networks/{id}/rounds" | "/api/v1/networks/{id}/rounds") => rounds,
        ("POST", "/networks/{id}/meetings" | "/networks/{id}/hosting") => rounds,
        ("GET" | "POST", "/rounds/{id}/aspects") => Allowed(A::RecordAspects { facilitator: true }),
        ("GET", "/events" | "/events/{id}" | "/events/{id}/calendar.ics") => Public,
        ("GET", "/calendar/{file}") => Public,
        ("GET" | "POST", "/me/calendar") | ("POST", "/me/calendar/revoke") => SignedIn,
        ("GET", "/api/v1/events" | "/api/v1/events/{id}" | "/api/v1/events/{id}/agenda") => Public,
        ("GET", "/events/new") | ("POST", "/events" | "/api/v1/events") => rounds,
        (
            "POST",
            "/events/{id}/register" | "/events/{id}/cancel" | "/api/v1/events/{id}/registrations",
        ) => SignedIn,
        ("DELETE", "/api/v1/events/{id}/registrations/me") => SignedIn,
        ("GET", "/certificates/{code}") => Public,
        (
            "GET",
            "/events/{id}/certificate.pdf"
            | "/events/{id}/counselling"
            | "/api/v1/events/{id}/counselling",
        ) => SignedIn,
        (
            "POST",
            "/events/{id}/counselling/{slot}/book"
            | "/events/{id}/counselling/{slot}/release"
            | "/api/v1/events/{id}/counselling/{slot}/booking",
        ) => SignedIn,
        ("POST", "/events/{id}/counselling/slots" | "/events/{id}/counselling/{slot}/note") => {
            Allowed(A::Counsel { counsellor: true })
        }
        ("POST", "/events/{id}/counsellors") => Allowed(A::OrganiseEvent { organiser: true }),
        ("GET" | "POST", "/events/{id}/invitations") => {
            Allowed(A::OrganiseEvent { organiser: true })
        }
        ("GET" | "POST", "/rsvp/{token}") => Public,
        (
            "GET",
            "/events/{id}/participants"
            | "/events/{id}/participants.csv"
            | "/events/{id}/participants.xlsx",
        )
        | (
            "POST",
            "/events/{id}/participants/cancel"
            | "/events/{id}/attendance"
            | "/events/{id}/capacity"
            | "/events/{id}/call-off"
            | "/events/{id}/participants/decide",
        ) => Allowed(A::OrganiseEvent { organiser: true }),
        // Materials: the handler asks with the relation (organiser, participant, own).
        ("POST", "/events/{id}/materials" | "/events/{id}/materials/{material}/delete")
        | ("GET", "/events/{id}/materials/{material}" | "/api/v1/events/{id}/materials") => {
            SignedIn
        }
        (
            "POST",
            "/events/{id}/agenda"
            | "/events/{id}/agenda/{item}/delete"
            | "/api/v1/events/{id}/agenda",
        ) => Allowed(A::OrganiseEvent { organiser: true }),
        ("GET", "/indicators" | "/api/v1/indicators") => Public,
        (
            "GET",
            "/guidance/assessment"
            | "/guidance/assessment/{code}"
            | "/api/v1/guidance/assessment"
            | "/guidance/networks"
            | "/api/v1/guidance/networks",
        )
        | (
            "POST",
            "/guidance/assessment/{code}/decision"
            | "/guidance/cases"
            | "/guidance/cases/invite"
            | "/guidance/networks",
        ) => Allowed(A::AssessOwners),
        // Cases: the handler asks with the relation (advisor, owner's contact).
        (
            "GET",
            "/guidance/cases"
            | "/guidance/cases/{id}"
            | "/guidance/cases/{id}/report"
            | "/guidance/cases/{id}/report.pdf"
            | "/guidance/cases/{id}/calendar.ics",
        )
        | ("GET", "/api/v1/guidance/cases" | "/api/v1/guidance/cases/{id}")
        | (
            "POST",
            "/guidance/cases/{id}/outputs"
            | "/guidance/cases/{id}/signoff"
            | "/guidance/cases/{id}/meetings"
            | "/guidance/cases/{id}/referrals"
            | "/guidance/cases/{id}/goals"
            | "/guidance/cases/{id}/measures"
            | "/guidance/cases/{id}/measures/{measure}/status"
            | "/guidance/cases/{id}/snapshots",
        ) => SignedIn,
        ("GET", "/feedback" | "/feedback/waves/{wave}") | ("POST", "/feedback/waves/{wave}") => {
            SignedIn
        }
        ("GET" | "POST", "/feedback/{token}") => Public,
        ("GET", "/feedback/questionnaires" | "/feedback/questionnaires/{id}")
        | (
            "POST",
            "/feedback/questionnaires"
            | "/feedback/questionnaires/{id}/questions"
            | "/feedback/questionnaires/{id}/questions/{key}/remove",
        ) => Allowed(A::DesignQuestionnaires),
        ("GET", "/feedback/surveys/new") | ("POST", "/feedback/surveys") => {
            Allowed(A::RunSurvey { runs: true })
        }
        // Surveys: the handler asks with the relation (runs it, hosts, was asked in it).
        (
            "GET",
            "/feedback/surveys/{id}"
            | "/feedback/surveys/{id}/results.csv"
            | "/feedback/surveys/{id}/results.xlsx"
            | "/api/v1/surveys/{id}/results",
        )
        | ("POST", "/feedback/surveys/{id}/ask" | "/feedback/surveys/{id}/texts") => SignedIn,
        ("GET", "/feedback/surveys/{id}/sets.csv") => Allowed(A::RawAnswers),
        ("GET", p) if p.starts_with("/rounds/") => rounds,
        ("POST", p) if p.starts_with("/rounds/") => rounds,
        _ => return None,
    })
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_policy_says() {
    let app = TestApp::spawn(Seed::Demo).await;
    let mut routes: Vec<_> = route_table()
        .into_iter()
        .map(|r| (r.method, r.path, r.access))
        .collect();
    // Logging out ends the session the rest of the walk needs: do it last.
    routes.sort_by_key(|r| r.1 == "/logout");
    let mut seen = std::collections::HashSet::new();
    for (m, p, access) in &routes {
        assert!(seen.insert((m.clone(), *p)), "{m} {p} is declared twice");
        match expected_rule(m.as_str(), p) {
            Some(want) => assert_eq!(*access, want, "{m} {p} has another rule than the table's"),
            None => panic!("{m} {p} has no line in the matrix's table of rules"),
        }
    }
    assert!(routes.len() >= 40, "the table holds the whole application");

    let roles: Vec<Option<Role>> = std::iter::once(None)
        .chain(Role::ALL.iter().copied().map(Some))
        .collect();
    // Counselling is judged at the session the demo's counsellor counsels at (its slots are
    // the first made); elsewhere the objects are the first of their kind.
    let session = {
        use headway_store::events::{EventQuery, Events};
        let all = app.db.store.events(&EventQuery::default()).await.unwrap();
        let id = all
            .iter()
            .find(|e| e.title == headway_store::events::demo::SI_SESSION)
            .unwrap()
            .id;
        id.to_string()
    };
    let mut checked = 0;
    for role in roles.iter().copied() {
        let c = app.client();
        let token = match role {
            Some(r) => {
                app.login(&c, r.code()).await;
                app.csrf(&c, "/me").await
            }
            None => app.csrf(&c, "/login").await,
        };
        for (method, path, access) in &routes {
            let id = if path.contains("counsel") {
                session.as_str()
            } else {
                "1"
            };
            let url = app.url(
                &path
                    .replace("{id}", id)
                    .replace("{activity}", "1")
                    .replace("{item}", "1")
                    .replace("{token}", "0")
                    .replace("{file}", "0.ics")
                    .replace("{slot}", "1")
                    .replace("{material}", "1")
                    .replace("{measure}", "1")
                    .replace("{wave}", "1")
                    .replace("{key}", "useful")
                    .replace("{code}", "2345-6789-ABCD"),
            );
            let res = c
                .request(method.clone(), url)
                .header("x-csrf-token", &token)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("")
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let who = role.map(|r| r.code()).unwrap_or("anonymous");
            // The demo account itself, with its memberships, is what the policy judges.
            let user = match role {
                Some(r) => app.db.store.account_by_username(r.code()).await.unwrap(),
                None => None,
            };
            match (access, &user) {
                (Access::Public, _) => assert!(
                    status != 401 && status != 403,
                    "{who} {method} {path}: {status}"
                ),
                (_, None) => assert_eq!(status, 401, "{who} {method} {path}"),
                // Working on a case is judged by the account's relation to the case (its
                // advisor, the owner's contact): whoever may see the case but is no party
                // to it is forbidden; whoever may not see it finds nothing.
                (Access::SignedIn, Some(u))
                    if method == "POST" && path.starts_with("/guidance/cases/{id}/") =>
                {
                    use headway_domain::memberships::{ContextRole, Memberships};
                    let case: i32 = id.parse().unwrap();
                    let (advisor, owner) = (
                        u.holds(ContextRole::CaseAdvisor, case),
                        u.holds(ContextRole::CaseOwnerContact, case),
                    );
                    let works = policy::allows(Some(u), A::WorkOnCase { advisor, owner });
                    let sees = policy::allows(Some(u), A::ViewCase { advisor, owner });
                    match (works, sees) {
                        (true, _) => assert!(
                            status != 401 && status != 403,
                            "{who} {method} {path}: {status}"
                        ),
                        (false, true) => assert_eq!(status, 403, "{who} {method} {path}"),
                        (false, false) => assert_eq!(status, 404, "{who} {method} {path}"),
                    }
                }
                // A survey (the demo's first: the pilot's evaluation) is judged by the
                // account's relation to it: whoever runs it sees and runs it, a counsellor at
                // its sessions and a participant asked in it see it, nobody else.
                (Access::SignedIn, Some(u))
                    if path.starts_with("/feedback/surveys/{id}")
                        || *path == "/api/v1/surveys/{id}/results" =>
                {
                    use headway_domain::memberships::{ContextRole, Memberships};
                    use headway_store::feedback::FeedbackOutreach;
                    let s = &app.db.store;
                    let invited = match u.person_id {
                        Some(p) => !s.asked_in(1, p).await.unwrap().is_empty(),
                        None => false,
                    };
                    let hosts = s
                        .survey_cohorts(1)
                        .await
                        .unwrap()
                        .iter()
                        .any(|e| u.holds(ContextRole::EventCounsellor, *e));
                    // No demo account coordinates the pilot by a membership: running it
                    // is the agency's.
                    let runs = false;
                    let allowed = if method == "POST" {
                        policy::allows(Some(u), A::RunSurvey { runs })
                    } else {
                        policy::allows(
                            Some(u),
                            A::SeeSurveyResults {
                                runs,
                                hosts,
                                invited,
                            },
                        )
                    };
                    match allowed {
                        true => assert!(
                            status != 401 && status != 403,
                            "{who} {method} {path}: {status}"
                        ),
                        false => assert_eq!(status, 403, "{who} {method} {path}"),
                    }
                }
                (Access::SignedIn, Some(_)) => assert!(
                    status != 401 && status != 403,
                    "{who} {method} {path}: {status}"
                ),
                (Access::Allowed(a), Some(u)) => {
                    if policy::allows(Some(u), *a) {
                        assert!(
                            status != 401 && status != 403,
                            "{who} {method} {path} is allowed but got {status}"
                        );
                    } else {
                        assert_eq!(status, 403, "{who} {method} {path} is not allowed");
                    }
                }
            }
            assert!(status < 500, "{who} {method} {path}: server error {status}");
            checked += 1;
        }
    }
    assert_eq!(checked, routes.len() * roles.len());
}

/// The data-aware actions, each with the object one's own and another's.
#[tokio::test]
async fn relations_decide_own_and_not_own() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = &app.db.store;
    let today = chrono::Utc::now().date_naive();
    // Two leaders of the demo board, one evidence file each.
    let mut evidence = vec![];
    for (user, given) in [("ownleader", "Own"), ("otherleader", "Other")] {
        let id = common::registered_leader(&app, user, given, "Leader", None, today).await;
        let a = headway_store::register::NewActivity {
            offer_id: None,
            title: format!("{given} course"),
            kind: headway_domain::register::ActivityKind::Formal,
            themes: vec![],
            hours: 1.0,
            points: 1.0,
            started_on: today,
            completed_on: today,
        };
        let file = headway_store::register::EvidenceFile {
            file_name: "c.txt".into(),
            content_type: "text/plain".into(),
            bytes: given.as_bytes().to_vec(),
        };
        let rules = headway_domain::register::RegisterRules::default();
        let act = s
            .add_activity(id, a, vec![file], &rules, today)
            .await
            .unwrap();
        let ev = s.activities(id).await.unwrap();
        let e = ev.iter().find(|x| x.id == act).unwrap().evidence[0].0;
        evidence.push((id, e));
    }
    let own = app.client();
    app.login(&own, "ownleader").await;
    // ViewEvidence { own }: one's own, not another's (404: ids reveal nothing).
    assert_eq!(
        common::status(
            &own,
            app.url(&format!("/register/evidence/{}", evidence[0].1))
        )
        .await,
        200
    );
    assert_eq!(
        common::status(
            &own,
            app.url(&format!("/register/evidence/{}", evidence[1].1))
        )
        .await,
        404
    );
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    assert_eq!(
        common::status(
            &coord,
            app.url(&format!("/register/evidence/{}", evidence[1].1))
        )
        .await,
        200
    );

    // BoardRegister on a leader: of one's own board or not.
    let board = app.client();
    app.login(&board, "owner").await;
    let leader = evidence[0].0;
    assert_eq!(
        common::status(
            &board,
            app.url(&format!("/register/board/leaders/{leader}"))
        )
        .await,
        200
    );
    let ana = s.public_search("Ana Novak", 1).await.unwrap()[0].id;
    assert_eq!(
        common::status(&board, app.url(&format!("/register/board/leaders/{ana}"))).await,
        404
    );

    // AddOffer { own_org }: a provider for its own organisation, not another's.
    let provider = app.client();
    app.login(&provider, "provider").await;
    let mine = s
        .account_by_username("provider")
        .await
        .unwrap()
        .unwrap()
        .organization_id
        .unwrap();
    let other = common::org_id(&app, "nl:vestiging:03DX00").await;
    let offer = |org: i32| {
        let org = org.to_string();
        let c = provider.clone();
        let app = &app;
        async move {
            let form = [
                ("provider_id", org.as_str()),
                ("title", "Relation test"),
                ("description", ""),
                ("theme", "Leadership"),
                ("hours", "1"),
                ("points", "1"),
                ("valid_from", "2026-01-01"),
                ("valid_until", "2027-01-01"),
            ];
            common::post_form(app, &c, "/register/offers", "/register/offers", &form).await
        }
    };
    assert_eq!(offer(other).await, 403, "not for another organisation");
    assert_eq!(offer(mine).await, 303, "for its own");

    // ViewPeople { own }: the board sees the people of its own schools, not others'.
    let sercer = common::org_id(&app, "si:zavod:os-ljubo-sercer-kocevje").await;
    let people = |html: String| html.contains("<th scope=\"col\">Position</th>");
    assert!(people(
        app.html(&board, &format!("/organizations/{other}")).await
    ));
    assert!(!people(
        app.html(&board, &format!("/organizations/{sercer}")).await
    ));

    // CoordinateNetwork { coordinator }: a leader who coordinates one network forms rounds in
    // it and in nothing else.
    use headway_store::networks::{NetworkPeople, NetworkQuery, Networks};
    let top = s
        .networks(&NetworkQuery {
            top_level: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let find = |name: &str| top.iter().find(|n| n.name == name).unwrap().id;
    let (mine, theirs) = (
        find(headway_store::networks::demo::SI_PILOT),
        find(headway_store::networks::demo::NL_ROUND),
    );
    let person = s
        .account_by_username("ownleader")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    s.add_network_person(
        "test",
        mine,
        person,
        headway_domain::memberships::ContextRole::NetworkCoordinator,
    )
    .await
    .unwrap();
    let coordinating = app.client();
    app.login(&coordinating, "ownleader").await;
    let new_round = |n: i32| app.url(&format!("/networks/{n}/rounds/new"));
    assert_eq!(common::status(&coordinating, new_round(mine)).await, 200);
    assert_eq!(common::status(&coordinating, new_round(theirs)).await, 403);
    // A leader who coordinates nothing is refused by the route's rule.
    let other = app.client();
    app.login(&other, "otherleader").await;
    assert_eq!(common::status(&other, new_round(mine)).await, 403);

    // OrganiseEvent { organiser }: the coordinator of a network keeps its events' agendas and
    // no other's; an event's organiser keeps that event only.
    use headway_store::events::{EventQuery, Events, NewAudience, NewEvent};
    let day = |t: &str| headway_domain::events::parse_local("t", t).unwrap();
    let zone = headway_domain::events::Zone::parse("z", "Europe/Ljubljana").unwrap();
    let new = |network: Option<i32>, title: &str| NewEvent {
        kind: headway_domain::events::EventKind::Counselling,
        title: title.into(),
        description: String::new(),
        language: headway_domain::language::Lang::Sl,
        network_id: network,
        host_id: None,
        venue_name: String::new(),
        venue_address: String::new(),
        latlon: None,
        online_url: String::new(),
        schedule: headway_domain::events::Schedule::new(
            day("2027-04-01 09:00"),
            day("2027-04-01 13:00"),
            zone,
        )
        .unwrap(),
        audiences: vec![NewAudience {
            key: headway_domain::events::AudienceKey::parse("a", "ravnatelji").unwrap(),
            name: "Ravnatelji".into(),
            capacity: None,
        }],
        offer_id: None,
        capacity: None,
        registration_closes: None,
        needs_approval: false,
        organiser: None,
    };
    let pilot_event = s
        .create_event("test", new(Some(mine), "Svetovanje"))
        .await
        .unwrap();
    let lone = s
        .create_event("test", new(None, "Samostojno"))
        .await
        .unwrap();
    let all = s.events(&EventQuery::default()).await.unwrap();
    let titled = |t: &str| all.iter().find(|e| e.title == t).unwrap().id;
    let ost_event = titled(headway_store::events::demo::OST_GATHERING);
    let si_session = titled(headway_store::events::demo::SI_SESSION);
    let a = &app;
    let add = |c, id: i32| {
        let path = format!("/events/{id}/agenda");
        let page = format!("/events/{id}");
        async move {
            common::post_form(
                a,
                c,
                &page,
                &path,
                &[("starts_at", "09:00"), ("title", "Uvod")],
            )
            .await
        }
    };
    assert_eq!(add(&coordinating, pilot_event).await, 303);
    assert_eq!(add(&coordinating, ost_event).await, 403);
    assert_eq!(add(&coordinating, lone).await, 403);
    let organiser = s.account_by_username("otherleader").await.unwrap().unwrap();
    use headway_store::memberships::ContextRoles;
    s.grant_membership(
        "test",
        organiser.id,
        headway_domain::memberships::Membership {
            role: headway_domain::memberships::ContextRole::EventOrganiser,
            context_id: lone,
        },
    )
    .await
    .unwrap();
    let organising = app.client();
    app.login(&organising, "otherleader").await;
    assert_eq!(add(&organising, lone).await, 303);
    assert_eq!(add(&organising, pilot_event).await, 403);
    // Creating an event: for a network one coordinates, not for another, not standalone.
    let create = |c, network: String| async move {
        common::post_form(
            a,
            c,
            "/events/new",
            "/events",
            &[
                ("title", "Srečanje"),
                ("kind", "gathering"),
                ("language", "sl"),
                ("network_id", network.as_str()),
                ("time_zone", "Europe/Ljubljana"),
                ("starts_at", "2027-05-01T09:00"),
                ("ends_at", "2027-05-01T12:00"),
                ("audiences", "Ravnatelji"),
            ],
        )
        .await
    };
    assert_eq!(create(&coordinating, mine.to_string()).await, 303);
    assert_eq!(create(&coordinating, theirs.to_string()).await, 403);
    assert_eq!(create(&coordinating, String::new()).await, 400);

    // Counsel { counsellor }: the demo's counsellor offers slots at the session she counsels
    // at and nowhere else; the coordinator, who keeps every event, counsels at none.
    let counsellor = app.client();
    app.login(&counsellor, "provider").await;
    let offer = |c, id: i32| {
        let page = format!("/events/{id}/counselling");
        let path = format!("{page}/slots");
        async move {
            common::post_form(
                a,
                c,
                &page,
                &path,
                &[
                    ("day", "2027-03-18"),
                    ("first", "09:00"),
                    ("minutes", "30"),
                    ("count", "1"),
                ],
            )
            .await
        }
    };
    assert_eq!(offer(&counsellor, si_session).await, 303);
    assert_eq!(offer(&counsellor, lone).await, 403);
    let agency = app.client();
    app.login(&agency, "coordinator").await;
    assert_eq!(offer(&agency, si_session).await, 403);
}
