//! Events, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`: the demo's gathering with
//! the seed's agenda, audiences and their hours, and bad input refused with nothing written.

use chrono::NaiveDate;
use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::events::agenda::{self, ItemKind};
use headway_domain::input::Problem;
use headway_domain::memberships::{ContextRole, Membership};
use headway_store::accounts::NewAccount;
use headway_store::events::demo::OST_GATHERING;
use headway_store::events::{EventQuery, Events, NewAudience, NewEvent, NewItem};
use headway_store::memberships::ContextRoles;
use headway_store::StoreError;

mod events_support;
use events_support::*;

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
    assert_eq!(
        all.len(),
        13,
        "the seed's gathering, two upcoming events and the ten regional groups' sessions"
    );
    let gathering = all.iter().find(|e| e.title == OST_GATHERING).unwrap();
    let e = s.event(gathering.id).await.unwrap();
    // The regional groups meet on the seed's dates, at their hosts, in two parts.
    let first = &all[0];
    assert_eq!(
        (first.starts_local.as_str(), first.venue_name.as_str()),
        ("2016-06-01T09:00", "ŠC Postojna")
    );
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

/// 200 people register at once for 50 places: exactly 50 are confirmed — the first 50 to
/// arrive — and 150 wait at positions 1…150 in arrival order; 10 cancellations promote the
/// first 10 waiting, each told exactly once.
#[tokio::test]
async fn two_hundred_register_at_once_for_fifty_places() {
    use headway_domain::events::participation::RegStatus;
    use headway_store::events::Registrations;
    use headway_store::outbox::Outbox;
    let db = with_networks().await;
    let s = &db.store;
    let event = s
        .create_event(
            "t",
            NewEvent {
                capacity: Some(50),
                ..new_event("Svetovanje")
            },
        )
        .await
        .unwrap();
    let who = people(&db, 200).await;
    let tasks: Vec<_> = who
        .iter()
        .map(|&p| {
            let store = s.clone();
            tokio::spawn(async move { store.register("t", event, p, "principals").await })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap().unwrap());
    }
    let confirmed = results
        .iter()
        .filter(|r| r.status == RegStatus::Confirmed)
        .count();
    assert_eq!(confirmed, 50);
    let mut arrivals: Vec<i64> = results.iter().map(|r| r.arrival).collect();
    arrivals.sort();
    arrivals.dedup();
    assert_eq!(arrivals.len(), 200, "every registration its own arrival");
    let list = s.registrations(event).await.unwrap();
    assert!(
        list.windows(2).all(|w| w[0].arrival < w[1].arrival),
        "by arrival"
    );
    // The first 50 arrivals hold the places; the rest wait in arrival order.
    assert!(list[..50].iter().all(|r| r.status == RegStatus::Confirmed));
    let positions: Vec<u32> = list[50..]
        .iter()
        .map(|r| r.waitlist_position.unwrap())
        .collect();
    assert_eq!(positions, (1..=150).collect::<Vec<u32>>());
    // Each caller was told the position the list shows.
    for r in &results {
        let listed = list.iter().find(|l| l.person_id == r.person_id).unwrap();
        assert_eq!(r.waitlist_position, listed.waitlist_position);
    }

    let first_waiting: Vec<i32> = list[50..60].iter().map(|r| r.person_id).collect();
    let mut promoted = Vec::new();
    for r in &list[..10] {
        promoted.extend(
            s.cancel_registration("t", event, r.person_id, &Plain)
                .await
                .unwrap(),
        );
    }
    assert_eq!(promoted, first_waiting, "promoted in arrival order");
    let after = s.registrations(event).await.unwrap();
    let confirmed = after
        .iter()
        .filter(|r| r.status == RegStatus::Confirmed)
        .count();
    assert_eq!(confirmed, 50, "never more than the places");
    let mail = s.outbox(1000).await.unwrap();
    for p in &first_waiting {
        let i = who.iter().position(|w| w == p).unwrap();
        let to = format!("p{i}@example.org");
        let told = mail
            .iter()
            .filter(|m| m.recipient == to && m.kind == "place_freed")
            .count();
        assert_eq!(told, 1, "{to} told once");
    }
    assert_eq!(mail.iter().filter(|m| m.kind == "place_freed").count(), 10);
    // Waiting positions closed up: 1…140.
    let waiting: Vec<u32> = after.iter().filter_map(|r| r.waitlist_position).collect();
    assert_eq!(waiting, (1..=140).collect::<Vec<u32>>());
}

#[tokio::test]
async fn places_registration_and_attendance_follow_the_rules() {
    use headway_domain::events::participation::RegStatus;
    use headway_store::events::Registrations;
    let db = with_networks().await;
    let s = &db.store;
    let mut e = new_event("Srečanje");
    e.capacity = Some(2);
    e.audiences.push(NewAudience {
        key: key("deputies"),
        name: "Pomočniki".into(),
        capacity: Some(1),
    });
    let event = s.create_event("t", e).await.unwrap();
    let p = people(&db, 5).await;
    let refused = |r: StoreError| match r {
        StoreError::Refused(x) => x.code(),
        other => panic!("expected a refusal, got {other}"),
    };
    assert_eq!(
        s.register("t", event, p[0], "deputies")
            .await
            .unwrap()
            .status,
        RegStatus::Confirmed
    );
    // The deputies' one place is taken: the next deputy waits though the event has room.
    let r = s.register("t", event, p[1], "deputies").await.unwrap();
    assert_eq!(
        (r.status, r.waitlist_position),
        (RegStatus::Waitlisted, Some(1))
    );
    assert_eq!(
        s.register("t", event, p[2], "principals")
            .await
            .unwrap()
            .status,
        RegStatus::Confirmed
    );
    assert_eq!(
        refused(
            s.register("t", event, p[2], "principals")
                .await
                .unwrap_err()
        ),
        "events-already_registered"
    );
    assert_eq!(
        refused(s.register("t", event, p[3], "owners").await.unwrap_err()),
        "events-no_such_audience"
    );
    // Fewer places than confirmed: refused, nothing changes.
    let e = s
        .set_capacity("t", event, Some(1), &[], &Plain)
        .await
        .unwrap_err();
    assert_eq!(refused(e), "events-capacity_below_confirmed");
    // More places for the deputies promote the one waiting... but the event is full.
    let promoted = s
        .set_capacity("t", event, Some(2), &[("deputies".into(), Some(2))], &Plain)
        .await
        .unwrap();
    assert!(promoted.is_empty(), "the event's own limit still holds");
    let promoted = s
        .set_capacity("t", event, Some(3), &[("deputies".into(), Some(2))], &Plain)
        .await
        .unwrap();
    assert_eq!(promoted, [p[1]]);
    let list = s.registrations(event).await.unwrap();
    // Cancelling twice, or without registering, is refused; re-registering after cancelling
    // is a new arrival.
    s.cancel_registration("t", event, p[2], &Plain)
        .await
        .unwrap();
    assert_eq!(
        refused(
            s.cancel_registration("t", event, p[2], &Plain)
                .await
                .unwrap_err()
        ),
        "events-not_registered"
    );
    let again = s.register("t", event, p[2], "principals").await.unwrap();
    assert!(again.arrival > list[2].arrival);
    // Past the deadline nothing is taken.
    let past = s
        .create_event(
            "t",
            NewEvent {
                schedule: schedule("2020-01-28 09:00", "2020-01-28 16:00", "Europe/Oslo"),
                ..new_event("Oppstart")
            },
        )
        .await
        .unwrap();
    assert_eq!(
        refused(s.register("t", past, p[0], "principals").await.unwrap_err()),
        "events-registration_closed"
    );
    // Attendance is marked once the event has begun, for confirmed participants only.
    assert_eq!(
        refused(s.mark_attendance("t", event, p[0], true).await.unwrap_err()),
        "events-not_started"
    );
    begun(&db, event).await;
    s.mark_attendance("t", event, p[0], true).await.unwrap();
    s.mark_attendance("t", event, p[2], false).await.unwrap();
    assert_eq!(
        refused(s.mark_attendance("t", event, p[4], true).await.unwrap_err()),
        "events-not_registered"
    );
    let marked = s.registrations(event).await.unwrap();
    assert_eq!(
        marked
            .iter()
            .map(|r| (r.person_id, r.attended))
            .collect::<Vec<_>>(),
        [(p[0], Some(true)), (p[1], None), (p[2], Some(false))]
    );
}
