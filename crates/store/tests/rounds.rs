//! Rounds and their background jobs, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`:
//! one server wins a claim, a dead server's job is taken over (and given up after three
//! servers died on it), cancelling and restarting, and publishing a draft as networks.

use chrono::{Duration, Utc};
use headway_domain::directory::Country;
use headway_domain::jobs::JobStatus;
use headway_domain::language::Lang;
use headway_domain::mail::{Letter, Letters, Written};
use headway_domain::networks::{NetworkKind, OrgRole, Period};
use headway_domain::rounds::*;
use headway_store::jobs::{Ending, Jobs, Renewal, MAX_ATTEMPTS};
use headway_store::networks::{NetworkPeople, Networks, NewNetwork};
use headway_store::outbox::Outbox;
use headway_store::rounds::{RoundAspects, Rounds, JOB_KIND};
use headway_store::testing::TestDb;
use headway_store::StoreError;

struct Plain;

impl Letters for Plain {
    fn default_language(&self) -> Lang {
        Lang::En
    }

    fn write(&self, lang: Lang, letter: &Letter) -> Written {
        Written {
            subject: format!("{} {}", lang.code(), letter.kind()),
            body: format!("{letter:?}"),
        }
    }
}

async fn with_directory() -> TestDb {
    let db = TestDb::new().await;
    for (set, path, bytes) in &headway_store::import::bundled::BUNDLED[3..] {
        db.store
            .import(*set, path, bytes, &|_, _| {})
            .await
            .unwrap();
    }
    db
}

fn spec(kind: PopulationKind) -> RoundSpec {
    RoundSpec {
        title: "Regional groups 2027".into(),
        population: Population {
            kind,
            country: Some(Country::Slovenia),
            region: None,
            org_kind: None,
        },
        mode: RoundMode::Regional,
        size: 2,
        min: None,
        max: None,
        attributes: vec![],
        keep_apart: vec![],
        keep_together: vec![],
        hosts: vec![],
        host_per_group: true,
        avoid_earlier: true,
        seconds: 1,
        question: None,
        competences: vec![],
    }
}

async fn network(db: &TestDb) -> i32 {
    db.store
        .create_network(
            "t",
            NewNetwork {
                kind: NetworkKind::Programme,
                name: "Pilot".into(),
                country: Country::Slovenia,
                programme_id: None,
                parent_id: None,
                period: Period::new("2027-01-01".parse().unwrap(), None).unwrap(),
                description: String::new(),
            },
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn one_server_wins_a_claim_and_a_dead_servers_job_is_taken_over() {
    let db = with_directory().await;
    let s = &db.store;
    let net = network(&db).await;
    let round = s
        .create_round("coordinator", net, &spec(PopulationKind::Organizations))
        .await
        .unwrap();
    let job = s.round(round).await.unwrap().job.unwrap();
    assert_eq!(job.status, JobStatus::Queued);

    let now = Utc::now();
    let lease = Duration::seconds(30);
    let (a, b) = tokio::join!(
        s.claim_job(JOB_KIND, "server-a", now, lease),
        s.claim_job(JOB_KIND, "server-b", now, lease)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(
        a.is_some() != b.is_some(),
        "exactly one server claims the job"
    );
    let (winner, loser) = if a.is_some() {
        ("server-a", "server-b")
    } else {
        ("server-b", "server-a")
    };
    assert!(s
        .claim_job(JOB_KIND, loser, now, lease)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        s.renew_job(job.id, winner, now + lease, 400, "0.5")
            .await
            .unwrap(),
        Renewal::Held
    );
    assert_eq!(s.job(job.id).await.unwrap().progress, 400);

    // The winner dies: its lease runs out and the other server takes the job over.
    let later = now + lease + Duration::seconds(1);
    let taken = s
        .claim_job(JOB_KIND, loser, later, lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((taken.id, taken.attempts), (job.id, 2));
    assert_eq!(
        s.renew_job(job.id, winner, later, 900, "").await.unwrap(),
        Renewal::Lost
    );
    assert!(!s.end_job(job.id, winner, Ending::Done).await.unwrap());

    // Servers keep dying: after the last attempt the job is failed, never stuck running.
    let mut at = later;
    for _ in 2..MAX_ATTEMPTS {
        at = at + lease + Duration::seconds(1);
        assert!(s
            .claim_job(JOB_KIND, "server-c", at, lease)
            .await
            .unwrap()
            .is_some());
    }
    at = at + lease + Duration::seconds(1);
    assert!(s
        .claim_job(JOB_KIND, "server-d", at, lease)
        .await
        .unwrap()
        .is_none());
    let failed = s.job(job.id).await.unwrap();
    assert_eq!(failed.status, JobStatus::Failed);
    assert!(failed.error.unwrap().contains("stopped 3 times"));

    // Restartable: queued again, and the next server runs it to the end.
    assert_eq!(
        s.rerun_round(round).await.unwrap().status,
        JobStatus::Queued
    );
    let again = s
        .claim_job(JOB_KIND, "server-e", at, lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.attempts, 1);
    assert!(s.end_job(job.id, "server-e", Ending::Done).await.unwrap());
    assert_eq!(s.job(job.id).await.unwrap().status, JobStatus::Done);
}

#[tokio::test]
async fn cancelling_stops_a_queued_job_at_once_and_a_running_one_at_its_next_renewal() {
    let db = with_directory().await;
    let s = &db.store;
    let net = network(&db).await;
    let sp = spec(PopulationKind::Organizations);
    let first = s.create_round("c", net, &sp).await.unwrap();
    let second = s.create_round("c", net, &sp).await.unwrap();
    let queued = s.round(second).await.unwrap().job.unwrap();
    assert_eq!(
        s.cancel_job(queued.id).await.unwrap().status,
        JobStatus::Cancelled
    );
    let now = Utc::now();
    let running = s
        .claim_job(JOB_KIND, "a", now, Duration::seconds(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(running.id, s.round(first).await.unwrap().job.unwrap().id);
    s.cancel_job(running.id).await.unwrap();
    assert_eq!(
        s.renew_job(running.id, "a", now, 10, "").await.unwrap(),
        Renewal::CancelRequested
    );
    assert!(s.end_job(running.id, "a", Ending::Cancelled).await.unwrap());
    assert_eq!(
        s.job(running.id).await.unwrap().status,
        JobStatus::Cancelled
    );
    // Nothing left to claim: the cancelled jobs are not picked up.
    assert!(s
        .claim_job(JOB_KIND, "b", now, Duration::seconds(30))
        .await
        .unwrap()
        .is_none());
}

fn member(key: String, name: &str, group: usize) -> DraftMember {
    DraftMember {
        key,
        name: name.into(),
        values: vec![String::new(); 5],
        at: None,
        group,
        contribution: 0.0,
        best_alternative: None,
        move_cost: 0.0,
    }
}

#[tokio::test]
async fn a_published_round_is_networks_with_members_hosts_and_letters() {
    let db = with_directory().await;
    let s = &db.store;
    let net = network(&db).await;
    let mut sp = spec(PopulationKind::NetworkMembers);
    let mut orgs = Vec::new();
    for ext in [
        "si:zavod:os-dr-slavka-gruma-zagorje-ob-savi",
        "si:zavod:os-ljubo-sercer-kocevje",
        "si:zavod:os-dramlje",
    ] {
        let id = s.organization_id(ext).await.unwrap().unwrap();
        s.add_network_org("t", net, id, OrgRole::Member)
            .await
            .unwrap();
        orgs.push(id);
    }
    let population = s.population(net, &sp).await.unwrap();
    assert_eq!(population.len(), 3);
    assert!(population
        .iter()
        .all(|m| m.at.is_some() && !m.values[0].is_empty()));

    let ana = s
        .add_person_with_position(
            "Ana",
            "Novak",
            Some("ana@example.org"),
            orgs[0],
            "ravnateljica",
            "2020-01-01",
        )
        .await
        .unwrap();
    sp.population.kind = PopulationKind::Leaders;
    let round = s.create_round("c", net, &sp).await.unwrap();
    let draft = Draft {
        members: vec![
            member(format!("o{}", orgs[0]), "A", 0),
            member(format!("o{}", orgs[1]), "B", 0),
            member(format!("o{}", orgs[2]), "C", 1),
            member(format!("p{ana}"), "Ana Novak", 1),
        ],
        groups: 2,
        min: 2,
        max: 2,
        objective: 0.0,
        bound: None,
        broken: 0,
        hosts: vec![Some(1), None],
        avoid: vec![],
        seconds: 0.1,
        search: "test".into(),
        moved: 0,
    };
    s.save_draft("c", round, &draft, "search").await.unwrap();
    let groups = s.publish_round("c", round, &Plain).await.unwrap();
    assert_eq!(groups.len(), 2);

    let first = s.network(groups[0]).await.unwrap();
    assert_eq!(first.summary.kind, NetworkKind::ConversationGroup);
    assert_eq!(first.summary.parent_id, Some(net));
    let roles: Vec<(i32, OrgRole)> = first
        .organizations
        .iter()
        .map(|o| (o.organization.id, o.role))
        .collect();
    assert!(roles.contains(&(orgs[1], OrgRole::Host)));
    assert!(roles.contains(&(orgs[0], OrgRole::Member)));
    let people = s.network_people(groups[1]).await.unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].person_id, ana);

    let mail = s.outbox(10).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].recipient, "ana@example.org");
    assert!(mail[0].body.contains("\"C\""), "{}", mail[0].body);

    let view = s.round(round).await.unwrap();
    assert_eq!(view.status, RoundStatus::Published);
    assert_eq!(view.group_networks, groups);
    // Published once: a second publish and any change are refused, nothing written.
    assert!(matches!(
        s.publish_round("c", round, &Plain).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        s.save_draft("c", round, &draft, "move").await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(s.outbox(10).await.unwrap().len(), 1);
    // The pairs of this round are what the next round avoids.
    let pairs = s.earlier_pairs(net).await.unwrap();
    let mut expect = vec![
        (format!("o{}", orgs[0]), format!("o{}", orgs[1])),
        (format!("o{}", orgs[2]), format!("p{ana}")),
    ];
    expect.sort();
    let mut got = pairs.clone();
    got.sort();
    assert_eq!(got, expect);
}

#[tokio::test]
async fn aspects_are_recorded_once_published_for_the_rounds_groups_and_competences() {
    let db = with_directory().await;
    let s = &db.store;
    let net = network(&db).await;
    let mut sp = spec(PopulationKind::NetworkMembers);
    sp.competences = vec!["Vision".into(), "Environment".into()];
    let round = s.create_round("c", net, &sp).await.unwrap();
    let orgs: Vec<i32> = {
        let mut v = Vec::new();
        for ext in ["si:zavod:os-dramlje", "si:zavod:os-ljubo-sercer-kocevje"] {
            v.push(s.organization_id(ext).await.unwrap().unwrap());
        }
        v
    };
    let draft = Draft {
        members: vec![
            member(format!("o{}", orgs[0]), "A", 0),
            member(format!("o{}", orgs[1]), "B", 1),
        ],
        groups: 2,
        min: 1,
        max: 1,
        objective: 0.0,
        bound: None,
        broken: 0,
        hosts: vec![None, None],
        avoid: vec![],
        seconds: 0.1,
        search: "test".into(),
        moved: 0,
    };
    s.save_draft("c", round, &draft, "search").await.unwrap();
    let refused = |r: Result<i32, StoreError>| matches!(r, Err(StoreError::Refused(_)));
    assert!(refused(s.add_aspect("f", round, 0, 0, "Too early").await));
    s.publish_round("c", round, &Plain).await.unwrap();
    assert!(refused(
        s.add_aspect("f", round, 2, 0, "No such group").await
    ));
    assert!(refused(
        s.add_aspect("f", round, 0, 2, "No such competence").await
    ));
    assert!(matches!(
        s.add_aspect("f", round, 0, 0, "   ").await,
        Err(StoreError::Input(_))
    ));
    assert!(
        s.aspects(round).await.unwrap().is_empty(),
        "nothing half-written"
    );
    s.add_aspect("f", round, 1, 1, "Works with the municipality")
        .await
        .unwrap();
    s.add_aspect("f", round, 0, 0, "A shared vision")
        .await
        .unwrap();
    let got: Vec<(usize, usize, String)> = s
        .aspects(round)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.aspect.group, a.aspect.competence, a.aspect.text))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, 0, "A shared vision".to_string()),
            (1, 1, "Works with the municipality".to_string())
        ]
    );
}
