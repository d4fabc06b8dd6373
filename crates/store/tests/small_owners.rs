//! Where Norway's schools are (the bundled school places, imported whole and idempotently),
//! the small owners they make, and a network founded from a suggestion in one transaction;
//! on the backend chosen by `HEADWAY_TEST_DATABASE_URL`.

use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::memberships::{ContextRole, Membership};
use headway_domain::networks::{NetworkKind, OrgRole};
use headway_store::accounts::NewAccount;
use headway_store::guidance::{NewOwnerNetwork, SmallOwners};
use headway_store::import::bundled::{BUNDLED, INDICATORS};
use headway_store::memberships::ContextRoles;
use headway_store::networks::{NetworkQuery, Networks};
use headway_store::testing::TestDb;
use headway_store::{Dataset, StoreError};

async fn with_places() -> TestDb {
    let db = TestDb::new().await;
    let (d, path, bytes) = BUNDLED[3];
    assert_eq!(d, Dataset::NoMunicipalities);
    db.store.import(d, path, bytes, &|_, _| {}).await.unwrap();
    let (d, path, bytes) = INDICATORS[2];
    assert_eq!(d, Dataset::NoSchoolPlaces);
    let first = db.store.import(d, path, bytes, &|_, _| {}).await.unwrap();
    // Svalbard's school is no municipality's; every other line finds its municipality.
    assert_eq!((first.rows, first.inserted, first.updated), (2458, 2458, 0));
    let again = db.store.import(d, path, bytes, &|_, _| {}).await.unwrap();
    assert_eq!((again.inserted, again.updated), (0, 0));
    db
}

#[tokio::test]
async fn school_places_count_the_schools_of_each_owner() {
    let db = with_places().await;
    let s = &db.store;
    let list = s.small_owners(2).await.unwrap();
    assert_eq!(list.places, 2458);
    // Names in Sámi and Kven forms, and namesakes told apart by county, all found: every
    // municipality but one has a school in the list.
    assert_eq!(list.with_places, 356);
    assert!(list.owners.iter().all(|o| (1..=2).contains(&o.schools)));
    let one = s.small_owners(1).await.unwrap().owners;
    assert!(one.len() < list.owners.len() && !one.is_empty());
    // Utsira (1151), an island of some 200 people, has one school; Oslo is no small owner.
    let utsira = list
        .owners
        .iter()
        .find(|o| o.key == "no:kommune:1151")
        .expect("Utsira");
    assert_eq!((utsira.schools, utsira.county.as_str()), (1, "Rogaland"));
    assert!(list.owners.iter().all(|o| o.key != "no:kommune:0301"));
    // Both Herøy and both Våler are placed, each in its own county.
    let ten = s.small_owners(10).await.unwrap().owners;
    for key in ["1515", "1818", "3110", "3419"] {
        let k = format!("no:kommune:{key}");
        assert!(ten.iter().any(|o| o.key == k), "{k}");
    }
}

#[tokio::test]
async fn an_unknown_municipality_is_named_by_line_and_nothing_is_written() {
    let db = with_places().await;
    let s = &db.store;
    let file =
        "EnhetNavn;Kommune;lat;lng\nNy skole;Utsira;59.3;4.9\nAtlantis skole;Atlantis;60;5\n";
    let e = s
        .import(
            Dataset::NoSchoolPlaces,
            "bad.csv",
            file.as_bytes(),
            &|_, _| {},
        )
        .await
        .unwrap_err();
    let StoreError::Import(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!((e.line, e.field.as_str()), (3, "kommune"));
    assert!(e.message.contains("Atlantis"), "{}", e.message);
    // The first line was not written, and nothing stored was removed.
    assert_eq!(s.small_owners(10).await.unwrap().places, 2458);
    let twice = "EnhetNavn;Kommune;lat;lng\nA;Utsira;59.3;4.9\nA;Utsira;59.3;4.9\n";
    let e = s
        .import(
            Dataset::NoSchoolPlaces,
            "twice.csv",
            twice.as_bytes(),
            &|_, _| {},
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("line 2"), "{e}");
    // A file that is the whole list replaces the stored one.
    let small = "EnhetNavn;Kommune;lat;lng\nUtsira skule;Utsira;59.30;4.88\n";
    let r = s
        .import(
            Dataset::NoSchoolPlaces,
            "small.csv",
            small.as_bytes(),
            &|_, _| {},
        )
        .await
        .unwrap();
    assert_eq!(r.rows, 1);
    let list = s.small_owners(10).await.unwrap();
    assert_eq!(
        (list.places, list.with_places, list.owners.len()),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn a_network_of_small_owners_is_founded_whole_with_its_coordinator() {
    let db = with_places().await;
    let s = &db.store;
    let coordinator = s
        .create_account(
            "test",
            NewAccount {
                username: Username::parse("coord").unwrap(),
                password: NewPassword::parse("a long enough password").unwrap(),
                role: Role::Coordinator,
                display_name: "Coordinator".into(),
                organization_id: None,
                person_id: None,
            },
        )
        .await
        .unwrap()
        .id;
    let owners: Vec<String> = ["1151", "1144", "1145"]
        .map(|k| format!("no:kommune:{k}"))
        .to_vec();
    let new = |owners: Vec<String>| NewOwnerNetwork {
        name: "Small owners: Utsira, Kvitsøy, Bokn".into(),
        owners,
        description: "Suggested by the regional grouping".into(),
        coordinator,
    };
    let before = s.networks(&NetworkQuery::default()).await.unwrap().len();
    for bad in [
        vec![owners[0].clone()],
        vec![owners[0].clone(), owners[0].clone()],
        vec![owners[0].clone(), "no:kommune:9999".into()],
        vec![owners[0].clone(), "nl:gemeente:0363".into()],
    ] {
        let e = s.found_owner_network("coord", new(bad.clone())).await;
        assert!(
            matches!(&e, Err(StoreError::Input(i)) if i.field == "owners"),
            "{bad:?}: {e:?}"
        );
    }
    assert_eq!(
        s.networks(&NetworkQuery::default()).await.unwrap().len(),
        before
    );
    let id = s
        .found_owner_network("coord", new(owners.clone()))
        .await
        .unwrap();
    let n = s.network(id).await.unwrap();
    assert_eq!(n.summary.kind, NetworkKind::OwnerNetwork);
    let keys: Vec<&str> = n
        .organizations
        .iter()
        .map(|o| o.organization.external_id.as_str())
        .collect();
    assert_eq!(keys, owners.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(n.organizations.iter().all(|o| o.role == OrgRole::Member));
    assert!(s
        .memberships_of(coordinator)
        .await
        .unwrap()
        .contains(&Membership {
            role: ContextRole::NetworkCoordinator,
            context_id: id
        }));
}
