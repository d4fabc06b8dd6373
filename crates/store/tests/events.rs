//! Events, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`: the demo's gathering with
//! the seed's agenda, audiences and their hours, and bad input refused with nothing written.

use chrono::NaiveDate;
use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::events::agenda::{self, ItemKind};
use headway_domain::events::{parse_local, AudienceKey, EventKind, Schedule, Zone};
use headway_domain::input::Problem;
use headway_domain::language::Lang;
use headway_domain::memberships::{ContextRole, Membership};
use headway_store::accounts::NewAccount;
use headway_store::events::demo::OST_GATHERING;
use headway_store::events::{EventQuery, Events, NewAudience, NewEvent, NewItem};
use headway_store::memberships::ContextRoles;
use headway_store::testing::TestDb;
use headway_store::StoreError;

async fn with_networks() -> TestDb {
    let db = TestDb::new().await;
    for (set, path, bytes) in &headway_store::import::bundled::BUNDLED[3..] {
        db.store
            .import(*set, path, bytes, &|_, _| {})
            .await
            .unwrap();
    }
    db.store.seed_networks_demo().await.unwrap();
    db
}

fn schedule(from: &str, to: &str, zone: &str) -> Schedule {
    Schedule::new(
        parse_local("s", from).unwrap(),
        parse_local("e", to).unwrap(),
        Zone::parse("z", zone).unwrap(),
    )
    .unwrap()
}

fn key(k: &str) -> AudienceKey {
    AudienceKey::parse("a", k).unwrap()
}

fn new_event(title: &str) -> NewEvent {
    NewEvent {
        kind: EventKind::Counselling,
        title: title.into(),
        description: String::new(),
        language: Lang::Sl,
        network_id: None,
        host_id: None,
        venue_name: "OŠ Toma Brejca".into(),
        venue_address: "Kamnik".into(),
        latlon: Some((46.22, 14.61)),
        online_url: String::new(),
        schedule: schedule("2027-03-27 09:00", "2027-03-27 14:00", "Europe/Ljubljana"),
        audiences: vec![NewAudience {
            key: key("principals"),
            name: "Ravnatelji".into(),
        }],
        offer_id: None,
        organiser: None,
    }
}

fn item(time: &str, title: &str) -> NewItem {
    NewItem {
        day: NaiveDate::from_ymd_opt(2027, 3, 27).unwrap(),
        starts_at: time.into(),
        title: title.into(),
        description: String::new(),
        speakers: String::new(),
        kind: ItemKind::Talk,
        audiences: vec![],
    }
}

fn input_field(e: StoreError) -> (&'static str, Problem) {
    match e {
        StoreError::Input(i) => (i.field, i.problem),
        other => panic!("expected an input error, got {other}"),
    }
}

#[tokio::test]
async fn the_ost_gathering_holds_the_seed_agenda_and_each_audience_its_hours() {
    let db = with_networks().await;
    let s = &db.store;
    s.seed_events_demo().await.unwrap();
    s.seed_events_demo().await.unwrap(); // once
    let all = s.events(&EventQuery::default()).await.unwrap();
    assert_eq!(all.len(), 1);
    let e = s.event(all[0].id).await.unwrap();
    assert_eq!(e.summary.title, OST_GATHERING);
    assert_eq!(
        e.summary.network.as_ref().map(|n| n.1.as_str()),
        Some("Regionalt skoleeiersamarbeid ØST")
    );
    assert_eq!(
        (
            e.summary.starts_local.as_str(),
            e.summary.time_zone.as_str()
        ),
        ("2020-01-28T09:00", "Europe/Oslo")
    );
    // 09:00 in Oslo in winter is 08:00 UTC.
    assert_eq!(e.summary.starts_utc, "2020-01-28T08:00:00.000000Z");
    let names: Vec<&str> = e.audiences.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Administrative skoleeiere", "Rektorer"]);
    // The programme as the invitation prints it: times where it gives them, in its order.
    let times: Vec<Option<&str>> = e
        .agenda
        .iter()
        .map(|r| r.item.starts_at.as_deref())
        .collect();
    assert_eq!(
        times,
        [
            Some("09:00"),
            None,
            None,
            Some("11:30"),
            Some("12:15"),
            None,
            None,
            None,
            Some("15:30")
        ]
    );
    assert_eq!(e.agenda[3].item.title, "Lunsj");
    assert!(
        e.agenda[3].item.audiences.is_empty(),
        "lunch is for everyone"
    );
    assert!(e.agenda[0].item.description.contains("DEKOMP før og nå"));
    let (sched, items) = (e.schedule().unwrap(), e.items().unwrap());
    let hm = |k| {
        let (a, b) = agenda::window(&items, &sched, &key(k));
        (a.format("%H:%M").to_string(), b.format("%H:%M").to_string())
    };
    assert_eq!(hm("owners"), ("09:00".into(), "16:00".into()));
    assert_eq!(hm("principals"), ("11:30".into(), "16:00".into()));
    assert_eq!(agenda::for_audience(&items, &key("principals")).len(), 6);
}

#[tokio::test]
async fn an_event_is_created_with_its_organiser_and_bad_input_writes_nothing() {
    let db = with_networks().await;
    let s = &db.store;
    let acct = s
        .create_account(
            "t",
            NewAccount {
                username: Username::parse("organiser").unwrap(),
                password: NewPassword::parse("a long test password").unwrap(),
                role: Role::Advisor,
                display_name: "Organiser".into(),
                organization_id: None,
                person_id: None,
            },
        )
        .await
        .unwrap();
    let audit = s.audit_count().await.unwrap();
    for (bad, field) in [
        (
            NewEvent {
                network_id: Some(999_999),
                ..new_event("x")
            },
            "network_id",
        ),
        (
            NewEvent {
                host_id: Some(999_999),
                ..new_event("x")
            },
            "host_id",
        ),
        (
            NewEvent {
                title: " ".into(),
                ..new_event("x")
            },
            "title",
        ),
        (
            NewEvent {
                online_url: "javascript:alert(1)".into(),
                ..new_event("x")
            },
            "online_url",
        ),
        (
            NewEvent {
                audiences: vec![],
                ..new_event("x")
            },
            "audiences",
        ),
    ] {
        let e = s.create_event("t", bad).await.unwrap_err();
        assert_eq!(input_field(e).0, field);
    }
    let mut twice = new_event("x");
    twice.audiences.push(twice.audiences[0].clone());
    assert!(matches!(
        input_field(s.create_event("t", twice).await.unwrap_err()).1,
        Problem::Repeated { .. }
    ));
    assert_eq!(s.events(&EventQuery::default()).await.unwrap().len(), 0);
    assert_eq!(s.audit_count().await.unwrap(), audit, "nothing written");

    let id = s
        .create_event(
            "organiser",
            NewEvent {
                organiser: Some(acct.id),
                ..new_event("Svetovanje")
            },
        )
        .await
        .unwrap();
    assert!(s
        .memberships_of(acct.id)
        .await
        .unwrap()
        .contains(&Membership {
            role: ContextRole::EventOrganiser,
            context_id: id,
        }));

    // The agenda: an item outside the event's hours, before the previous item, or for an
    // audience the event does not have is refused and nothing changes.
    s.add_agenda_item(
        "organiser",
        id,
        item("09:00", "Teoretična in zakonodajna izhodišča"),
    )
    .await
    .unwrap();
    let second = s
        .add_agenda_item(
            "organiser",
            id,
            item("11:00", "Individualno pravno svetovanje"),
        )
        .await
        .unwrap();
    let before = s.event(id).await.unwrap();
    assert_eq!(before.sequence, 2, "each change raises the sequence");
    let (field, problem) = input_field(
        s.add_agenda_item("o", id, item("15:00", "Late"))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "starts_at");
    assert!(matches!(problem, Problem::Outside { .. }), "{problem:?}");
    let (_, problem) = input_field(
        s.add_agenda_item("o", id, item("10:00", "Back"))
            .await
            .unwrap_err(),
    );
    assert_eq!(problem, Problem::EndBeforeStart);
    let (field, _) = input_field(
        s.add_agenda_item(
            "o",
            id,
            NewItem {
                audiences: vec!["owners".into()],
                ..item("", "x")
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(field, "audiences");
    let (field, _) = input_field(
        s.add_agenda_item("o", id, item("9.00", "x"))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "starts_at");
    assert_eq!(s.event(id).await.unwrap(), before);

    s.remove_agenda_item("organiser", id, second).await.unwrap();
    let after = s.event(id).await.unwrap();
    assert_eq!((after.agenda.len(), after.sequence), (1, 3));
    assert!(matches!(
        s.remove_agenda_item("o", id, second).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.add_agenda_item("o", 999_999, item("", "x")).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn events_are_listed_by_start_and_filtered_by_time() {
    let db = with_networks().await;
    let s = &db.store;
    let later = s
        .create_event(
            "t",
            NewEvent {
                schedule: schedule("2027-05-01 10:00", "2027-05-02 12:00", "Europe/Amsterdam"),
                ..new_event("Later")
            },
        )
        .await
        .unwrap();
    let sooner = s.create_event("t", new_event("Sooner")).await.unwrap();
    let ids: Vec<i32> = s
        .events(&EventQuery::default())
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, [sooner, later]);
    let upcoming = s
        .events(&EventQuery {
            ending_after: Some("2027-04-01T00:00:00.000000Z".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(upcoming.iter().map(|e| e.id).collect::<Vec<_>>(), [later]);
    let past = s
        .events(&EventQuery {
            starting_before: Some("2027-04-01T00:00:00.000000Z".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(past.iter().map(|e| e.id).collect::<Vec<_>>(), [sooner]);
}
