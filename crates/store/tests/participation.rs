//! Taking part, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`: certificates of
//! attendance and their codes, individual counselling (one slot each, notes kept until their
//! date), and reminders before events (once each, in the recipient's language, with their
//! audience's hours).

mod events_support;

use events_support::*;
use headway_store::events::Events;
use headway_store::StoreError;

/// Marking someone present makes their certificate, which its code then confirms; a forged
/// code and an absent mark confirm nothing. Counselling: one slot each, a taken slot stays
/// taken, a series outside the session is refused whole, notes are kept until their date.
#[tokio::test]
async fn certificates_and_counselling_follow_the_rules() {
    use headway_domain::events::certificate::CertificateCode;
    use headway_domain::events::counselling::SlotSeries;
    use headway_store::events::counselling::Counselling;
    use headway_store::events::{Certificates, Registrations};
    let db = with_networks().await;
    let s = &db.store;
    let event = s.create_event("t", new_event("Srečanje")).await.unwrap();
    let p = people(&db, 4).await;
    for x in &p[..3] {
        s.register("t", event, *x, "principals").await.unwrap();
    }
    let refused = |r: StoreError| match r {
        StoreError::Refused(x) => x.code(),
        other => panic!("expected a refusal, got {other}"),
    };

    // Counselling slots: 12:00–14:00 fits the session; a fifth half hour does not, and then
    // none of the series is made.
    let counsellor = {
        use headway_domain::accounts::{NewPassword, Role, Username};
        s.create_account(
            "t",
            headway_store::accounts::NewAccount {
                username: Username::parse("svetovalka").unwrap(),
                password: NewPassword::parse("a long test password").unwrap(),
                role: Role::Provider,
                display_name: "Svetovalka".into(),
                organization_id: None,
                person_id: None,
            },
        )
        .await
        .unwrap()
        .id
    };
    let series =
        |first: &str, count: &str| SlotSeries::parse("2027-03-27", first, "30", count).unwrap();
    let e = s
        .offer_slots("t", event, counsellor, series("12:00", "5"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Input(ref i) if i.field == "count"),
        "{e}"
    );
    assert!(
        s.slots(event).await.unwrap().is_empty(),
        "nothing half-made"
    );
    let ids = s
        .offer_slots("t", event, counsellor, series("12:00", "4"))
        .await
        .unwrap();
    assert_eq!(ids.len(), 4);
    let e = s
        .offer_slots("t", event, counsellor, series("13:15", "1"))
        .await
        .unwrap_err();
    assert_eq!(refused(e), "counselling-overlap");
    s.book_slot("t", event, ids[0], p[0]).await.unwrap();
    assert_eq!(
        refused(s.book_slot("t", event, ids[1], p[0]).await.unwrap_err()),
        "counselling-one_slot_each"
    );
    assert_eq!(
        refused(s.book_slot("t", event, ids[0], p[1]).await.unwrap_err()),
        "counselling-slot_taken"
    );
    let stranger = p[3];
    assert_eq!(
        refused(s.book_slot("t", event, ids[2], stranger).await.unwrap_err()),
        "counselling-not_a_participant"
    );
    assert_eq!(
        refused(
            s.write_note("t", ids[1], "x", false, d("2028-03-27"))
                .await
                .unwrap_err()
        ),
        "counselling-not_booked"
    );
    s.write_note(
        "t",
        ids[0],
        "Sistemizacija: pošlje akt.",
        false,
        d("2028-03-27"),
    )
    .await
    .unwrap();
    let slots = s.slots(event).await.unwrap();
    assert_eq!(slots[0].note, Some(false), "a note, not shared");
    assert!(
        !serde_json::to_string(&slots)
            .unwrap()
            .contains("Sistemizacija"),
        "the slot list carries no note text"
    );
    let n = s.read_note("svetovalka", ids[0]).await.unwrap().unwrap();
    assert_eq!(n.body, "Sistemizacija: pošlje akt.");
    assert_eq!(s.purge_counselling_notes(d("2028-03-27")).await.unwrap(), 0);
    assert_eq!(s.purge_counselling_notes(d("2028-03-28")).await.unwrap(), 1);
    assert!(s.read_note("svetovalka", ids[0]).await.unwrap().is_none());

    // Certificates.
    begun(&db, event).await;
    assert!(
        s.certificate(event, p[0]).await.unwrap().is_none(),
        "not marked yet"
    );
    s.mark_attendance("t", event, p[0], true).await.unwrap();
    s.mark_attendance("t", event, p[1], false).await.unwrap();
    let c = s
        .certificate(event, p[0])
        .await
        .unwrap()
        .expect("marked present");
    assert_eq!((c.given_name.as_str(), c.hours), ("P0", 5.0));
    assert!(
        s.certificate(event, p[1]).await.unwrap().is_none(),
        "absent"
    );
    let code = CertificateCode::parse("code", &c.code).unwrap();
    assert_eq!(s.verify_certificate(&code).await.unwrap(), Some(c.clone()));
    let forged = CertificateCode::parse("code", "2345-6789-ABCD").unwrap();
    assert!(s.verify_certificate(&forged).await.unwrap().is_none());
    // Marked again, the code stays; marked absent, it confirms nothing.
    s.mark_attendance("t", event, p[0], true).await.unwrap();
    assert_eq!(
        s.certificate(event, p[0]).await.unwrap().unwrap().code,
        c.code
    );
    s.mark_attendance("t", event, p[0], false).await.unwrap();
    assert!(s.verify_certificate(&code).await.unwrap().is_none());
}

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// Reminders: the nearest due one, once, to confirmed participants only, with their
/// audience's hours; nothing for a reminder whose moment came before they registered, nor
/// for a cancelled event.
#[tokio::test]
async fn reminders_come_once_at_their_moment_to_the_confirmed() {
    use chrono::{DateTime, Duration, Utc};
    use headway_domain::events::reminders::DEFAULT_HOURS;
    use headway_store::events::{EventReminders, NewAudience, Registrations};
    use headway_store::outbox::Outbox;
    let db = with_networks().await;
    let s = &db.store;
    let mut e = new_event("Srečanje");
    e.capacity = Some(2);
    e.audiences.push(NewAudience {
        key: key("owners"),
        name: "Ustanovitelji".into(),
        capacity: None,
    });
    let event = s.create_event("t", e).await.unwrap();
    // The principals from 11:00; the owners all day.
    let mut later = events_support::item_at("11:00", "Ravnatelji");
    later.audiences = vec!["principals".into()];
    let mut first = events_support::item_at("09:00", "Ustanovitelji");
    first.audiences = vec!["owners".into()];
    s.add_agenda_item("t", event, first).await.unwrap();
    s.add_agenda_item("t", event, later).await.unwrap();
    let p = people(&db, 3).await;
    s.register("t", event, p[0], "owners").await.unwrap();
    s.register("t", event, p[1], "principals").await.unwrap();
    s.register("t", event, p[2], "principals").await.unwrap(); // waits: two places
    let starts: DateTime<Utc> = "2027-03-27T08:00:00Z".parse().unwrap();
    let at = |h: i64| starts - Duration::hours(h);
    let mail = || async {
        s.outbox_unsent(1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind.starts_with("event_reminder"))
            .collect::<Vec<_>>()
    };
    // They registered now (long before): the week-before reminder falls due at its moment.
    assert_eq!(
        s.remind_participants(at(200), &DEFAULT_HOURS, &Plain)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        s.remind_participants(at(167), &DEFAULT_HOURS, &Plain)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        s.remind_participants(at(166), &DEFAULT_HOURS, &Plain)
            .await
            .unwrap(),
        0,
        "once"
    );
    assert_eq!(
        s.remind_participants(at(23), &DEFAULT_HOURS, &Plain)
            .await
            .unwrap(),
        2
    );
    let sent = mail().await;
    assert_eq!(sent.len(), 4, "two each, none to the one waiting");
    assert!(sent.iter().all(|m| m.recipient != "p2@example.org"));
    let principal = sent
        .iter()
        .find(|m| m.recipient == "p1@example.org" && m.kind == "event_reminder_24")
        .unwrap();
    assert!(
        principal.body.contains("T11:00") && !principal.body.contains("T09:00"),
        "the principals' hours: {}",
        principal.body
    );
    let owner = sent
        .iter()
        .find(|m| m.recipient == "p0@example.org" && m.kind == "event_reminder_24")
        .unwrap();
    assert!(
        owner.body.contains("starts: 2027-03-27T09:00"),
        "{}",
        owner.body
    );
    assert_eq!(
        s.remind_participants(at(0), &DEFAULT_HOURS, &Plain)
            .await
            .unwrap(),
        0,
        "begun"
    );
    assert_eq!(s.remind_participants(at(23), &[], &Plain).await.unwrap(), 0);
    // A cancelled event reminds no one.
    let other = s.create_event("t", new_event("Drugo")).await.unwrap();
    s.register("t", other, p[2], "principals").await.unwrap();
    s.cancel_event("t", other).await.unwrap();
    assert_eq!(
        s.remind_participants(at(23), &DEFAULT_HOURS, &Plain)
            .await
            .unwrap(),
        0
    );
}
