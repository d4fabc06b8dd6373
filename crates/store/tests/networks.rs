//! Networks, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`: building them, the rules
//! that refuse bad input with nothing written, and the demo's real networks.

use chrono::NaiveDate;
use headway_domain::directory::Country;
use headway_domain::networks::{next_host, NetworkKind, OrgRole, Period};
use headway_store::networks::{
    hosted, suggest_host, NetworkHosting, NetworkQuery, Networks, NewNetwork,
};
use headway_store::testing::TestDb;
use headway_store::StoreError;

fn top_level() -> NetworkQuery {
    NetworkQuery {
        top_level: true,
        ..Default::default()
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A test database holding the Norwegian and Slovenian directory.
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

async fn org(db: &TestDb, ext: &str) -> i32 {
    db.store.organization_id(ext).await.unwrap().unwrap()
}

fn network(kind: NetworkKind, name: &str, parent: Option<i32>) -> NewNetwork {
    NewNetwork {
        kind,
        name: name.into(),
        country: Country::Slovenia,
        programme_id: None,
        parent_id: parent,
        period: Period::new(d("2017-05-01"), None).unwrap(),
        description: String::new(),
    }
}

#[tokio::test]
async fn a_network_holds_organisations_in_order_and_meetings_at_a_member() {
    let db = with_directory().await;
    let s = &db.store;
    let a = org(&db, "si:zavod:os-dr-slavka-gruma-zagorje-ob-savi").await;
    let b = org(&db, "si:zavod:os-ljubo-sercer-kocevje").await;
    let c = org(&db, "si:zavod:os-dramlje").await;
    let round = s
        .create_network("t", network(NetworkKind::Programme, "Pilot", None))
        .await
        .unwrap();
    let g = s
        .create_network(
            "t",
            network(NetworkKind::RegionalGroup, "Aktiv", Some(round)),
        )
        .await
        .unwrap();
    s.add_network_org("t", g, a, OrgRole::Host).await.unwrap();
    s.add_network_org("t", g, b, OrgRole::Member).await.unwrap();
    s.add_network_org("t", g, c, OrgRole::Member).await.unwrap();
    // A second add changes the role and keeps the place.
    s.add_network_org("t", g, b, OrgRole::Host).await.unwrap();
    s.add_meeting("t", g, d("2017-05-24"), Some(a), "")
        .await
        .unwrap();

    let n = s.network(g).await.unwrap();
    let order: Vec<(i32, OrgRole, i32)> = n
        .organizations
        .iter()
        .map(|o| (o.organization.id, o.role, o.position))
        .collect();
    assert_eq!(
        order,
        [
            (a, OrgRole::Host, 1),
            (b, OrgRole::Host, 2),
            (c, OrgRole::Member, 3)
        ]
    );
    assert_eq!(n.parent.as_ref().map(|p| p.0), Some(round));
    assert_eq!(n.meetings.len(), 1);
    assert_eq!(n.meetings[0].host.as_ref().map(|h| h.0), Some(a));
    // Who hosts next: not the one who hosted, the next in order.
    let ids: Vec<i32> = n.organizations.iter().map(|o| o.organization.id).collect();
    assert_eq!(next_host(&ids, &hosted(&n), &[]), Some(b));
    assert_eq!(suggest_host(&n).map(|h| h.0), Some(b));
    // b declines to host: the suggestion skips it; hosting again brings it back.
    s.set_declines_hosting("t", g, b, true).await.unwrap();
    let n = s.network(g).await.unwrap();
    assert!(n.organizations[1].declines_hosting);
    assert_eq!(suggest_host(&n).map(|h| h.0), Some(c));
    s.set_declines_hosting("t", g, b, false).await.unwrap();
    assert_eq!(
        suggest_host(&s.network(g).await.unwrap()).map(|h| h.0),
        Some(b)
    );
    // Only a member can decline.
    assert!(matches!(
        s.set_declines_hosting("t", g, 999_999, true).await,
        Err(StoreError::NotFound)
    ));

    let top = s.networks(&top_level()).await.unwrap();
    assert_eq!(top.len(), 1, "only the programme is top-level");
    assert_eq!((top[0].children, top[0].organizations), (1, 0));
    let inside = s
        .networks(&NetworkQuery {
            parent_id: Some(round),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((inside[0].id, inside[0].organizations), (g, 3));
    assert!(s.network(g + 100).await.is_err());
}

#[tokio::test]
async fn bad_input_names_its_field_and_writes_nothing() {
    let db = with_directory().await;
    let s = &db.store;
    let field = |e: StoreError| match e {
        StoreError::Input(i) => i.field,
        other => panic!("expected an input error, got {other}"),
    };
    let mut orphan = network(NetworkKind::RegionalGroup, "Orphan", Some(999_999));
    assert_eq!(
        field(s.create_network("t", orphan.clone()).await.unwrap_err()),
        "parent_id"
    );
    orphan.parent_id = None;
    orphan.name = "\u{202e}evil".into();
    assert_eq!(
        field(s.create_network("t", orphan).await.unwrap_err()),
        "name"
    );
    assert!(Period::new(d("2018-01-01"), Some(d("2017-01-01"))).is_err());
    assert!(s.networks(&top_level()).await.unwrap().is_empty());

    let g = s
        .create_network("t", network(NetworkKind::StudyGroup, "Study", None))
        .await
        .unwrap();
    let outsider = org(&db, "si:zavod:os-dramlje").await;
    // A host must be in the network.
    let e = s
        .add_meeting("t", g, d("2017-05-24"), Some(outsider), "")
        .await;
    assert_eq!(field(e.unwrap_err()), "host_id");
    assert!(s.network(g).await.unwrap().meetings.is_empty());
    let e = s.add_network_org("t", g, 999_999, OrgRole::Member).await;
    assert_eq!(field(e.unwrap_err()), "organization_id");
}

#[tokio::test]
async fn the_demo_holds_the_ten_slovenian_groups_the_ost_network_and_the_dutch_round() {
    let db = with_directory().await;
    let s = &db.store;
    s.seed_networks_demo().await.unwrap();
    s.seed_networks_demo().await.unwrap(); // once
    let top = s.networks(&top_level()).await.unwrap();
    assert_eq!(top.len(), 3);
    let round = top
        .iter()
        .find(|n| n.kind == NetworkKind::ConversationRound)
        .unwrap();
    assert_eq!(
        (round.country, round.children),
        (Country::Netherlands, 0),
        "its groups are formed by the solver (the web's rounds)"
    );
    let pilot = top
        .iter()
        .find(|n| n.kind == NetworkKind::Programme)
        .unwrap();
    assert_eq!((pilot.children, pilot.country), (10, Country::Slovenia));
    assert_eq!(
        (pilot.starts_on.as_str(), pilot.ends_on.as_deref()),
        ("2016-06-01", Some("2017-10-20")),
        "from the 2016 date the source gives group 4 to the last group's"
    );
    let groups = s.network(pilot.id).await.unwrap().children;
    let mut sizes = Vec::new();
    let mut dramlje = 0;
    for g in &groups {
        let n = s.network(g.id).await.unwrap();
        let host = &n.organizations[0];
        assert_eq!(
            host.role,
            OrgRole::Host,
            "{}: the first listed hosts",
            g.name
        );
        assert!(g.name.ends_with(&host.organization.name));
        assert_eq!(n.meetings.len(), 1);
        assert_eq!(n.meetings[0].held_on, g.starts_on);
        assert_eq!(
            n.meetings[0].host.as_ref().map(|h| h.0),
            Some(host.organization.id)
        );
        sizes.push(n.organizations.len());
        dramlje += n
            .organizations
            .iter()
            .filter(|o| o.organization.name == "OŠ Dramlje")
            .count();
    }
    sizes.sort_unstable();
    assert_eq!(sizes, [4, 4, 4, 5, 5, 5, 6, 7, 8, 9]);
    assert_eq!(
        dramlje, 2,
        "OŠ Dramlje is listed in two groups, as in the source"
    );

    let ost = top
        .iter()
        .find(|n| n.kind == NetworkKind::OwnerNetwork)
        .unwrap();
    let ost = s.network(ost.id).await.unwrap();
    assert_eq!(ost.summary.country, Country::Norway);
    let names: Vec<&str> = ost
        .organizations
        .iter()
        .map(|o| o.organization.name.as_str())
        .collect();
    assert_eq!(names.len(), 12);
    for m in [
        "Nordre Follo",
        "Ås",
        "Lillestrøm",
        "Lørenskog",
        "Ullensaker",
    ] {
        assert!(names.iter().any(|n| n.contains(m)), "{m} in {names:?}");
    }
    assert_eq!(ost.meetings[0].held_on, "2020-01-28");
}

#[tokio::test]
async fn people_hold_network_roles_through_their_person() {
    use headway_domain::accounts::{NewPassword, Role, Username};
    use headway_domain::memberships::{ContextKind, ContextRole, Memberships};
    use headway_store::accounts::NewAccount;
    use headway_store::networks::NetworkPeople;
    let db = with_directory().await;
    let s = &db.store;
    let school = org(&db, "si:zavod:os-ljubo-sercer-kocevje").await;
    let g = s
        .create_network("t", network(NetworkKind::RegionalGroup, "Aktiv", None))
        .await
        .unwrap();
    let ana = s
        .add_person_with_position("Ana", "Novak", None, school, "director", "2020-08-01")
        .await
        .unwrap();
    let bor = s
        .add_person_with_position("Bor", "Zupan", None, school, "deputy", "2020-08-01")
        .await
        .unwrap();
    s.add_network_person("t", g, ana, ContextRole::NetworkMember)
        .await
        .unwrap();
    s.add_network_person("t", g, ana, ContextRole::NetworkMember)
        .await
        .unwrap(); // once
    s.add_network_person("t", g, bor, ContextRole::NetworkCoordinator)
        .await
        .unwrap();
    // A role of another kind of context is refused by name, and so is an unknown person.
    let e = s
        .add_network_person("t", g, ana, ContextRole::CaseAdvisor)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Input(ref i) if i.field == "role"),
        "{e}"
    );
    let e = s
        .add_network_person("t", g, 999_999, ContextRole::NetworkMember)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Input(ref i) if i.field == "person_id"),
        "{e}"
    );

    let people = s.network_people(g).await.unwrap();
    let shown: Vec<(&str, ContextRole)> =
        people.iter().map(|p| (p.name.as_str(), p.role)).collect();
    assert_eq!(
        shown,
        [
            ("Bor Zupan", ContextRole::NetworkCoordinator),
            ("Ana Novak", ContextRole::NetworkMember)
        ],
        "coordinators first"
    );
    // An account reads what its person holds.
    let account = s
        .create_account(
            "t",
            NewAccount {
                username: Username::parse("ana").unwrap(),
                password: NewPassword::parse("a long test password").unwrap(),
                role: Role::Leader,
                display_name: "Ana".into(),
                organization_id: Some(school),
                person_id: Some(ana),
            },
        )
        .await
        .unwrap();
    let account = s.account(account.id).await.unwrap();
    assert!(account.in_context(ContextKind::Network, g));
    assert!(!account.in_context(ContextKind::Network, g + 1));
}
