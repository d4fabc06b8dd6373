//! Approval of registrations and an event's materials, on the backend chosen by
//! `HEADWAY_TEST_DATABASE_URL`.

mod events_support;

use events_support::*;
use headway_domain::events::participation::RegStatus;
use headway_store::events::{Events, Materials, NewEvent, NewMaterial, Registrations};
use headway_store::outbox::Outbox;
use headway_store::StoreError;

fn refused(r: StoreError) -> &'static str {
    match r {
        StoreError::Refused(x) => x.code(),
        other => panic!("expected a refusal, got {other}"),
    }
}

/// A pending registration takes no place; approved, it is confirmed while there is room and
/// waits by its arrival when not; declined, it stays declined. Each decision is told once.
#[tokio::test]
async fn approval_holds_registrations_until_the_organiser_decides() {
    let db = with_networks().await;
    let s = &db.store;
    let event = s
        .create_event(
            "t",
            NewEvent {
                capacity: Some(1),
                needs_approval: true,
                ..new_event("Srečanje s potrditvijo")
            },
        )
        .await
        .unwrap();
    let p = people(&db, 4).await;
    for x in &p[..3] {
        let r = s.register("t", event, *x, "principals").await.unwrap();
        assert_eq!((r.status, r.waitlist_position), (RegStatus::Pending, None));
    }
    let t = s.registration_counts(event).await.unwrap();
    assert_eq!((t.confirmed, t.waitlisted, t.pending), (0, 0, 3));

    // The second to arrive is approved first and takes the one place; the first, approved
    // next, waits.
    let decide = |who: i32, yes: bool| s.decide_registration("t", event, who, yes, &Plain);
    assert_eq!(decide(p[1], true).await.unwrap(), RegStatus::Confirmed);
    assert_eq!(decide(p[0], true).await.unwrap(), RegStatus::Waitlisted);
    assert_eq!(decide(p[2], false).await.unwrap(), RegStatus::Declined);
    assert_eq!(
        refused(decide(p[0], true).await.unwrap_err()),
        "events-not_pending"
    );
    assert_eq!(
        refused(decide(p[3], true).await.unwrap_err()),
        "events-not_registered"
    );
    let first = s.registration(event, p[0]).await.unwrap().unwrap();
    assert_eq!(first.waitlist_position, Some(1));

    // Declined: neither registering again nor cancelling.
    assert_eq!(
        refused(
            s.register("t", event, p[2], "principals")
                .await
                .unwrap_err()
        ),
        "events-declined"
    );
    assert_eq!(
        refused(
            s.cancel_registration("t", event, p[2], &Plain)
                .await
                .unwrap_err()
        ),
        "events-not_registered"
    );

    // The confirmed one cancels: the approved waiting one is promoted (no new approval).
    let promoted = s
        .cancel_registration("t", event, p[1], &Plain)
        .await
        .unwrap();
    assert_eq!(promoted, [p[0]]);

    let mail = s.outbox(100).await.unwrap();
    let kinds = |i: usize| {
        let to = format!("p{i}@example.org");
        let mut k: Vec<String> = mail
            .iter()
            .filter(|m| m.recipient == to)
            .map(|m| m.kind.clone())
            .collect();
        k.sort();
        k
    };
    assert_eq!(kinds(0), ["decided_waitlisted", "place_freed"]);
    assert_eq!(kinds(1), ["decided_confirmed"]);
    assert_eq!(kinds(2), ["decided_declined"]);
    assert!(kinds(3).is_empty());
}

fn pdf(title: &str, item: Option<i32>, bytes: &[u8]) -> NewMaterial {
    NewMaterial {
        agenda_item: item,
        title: title.into(),
        file_name: "praksa.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: bytes.to_vec(),
    }
}

/// Materials are checked before anything is kept, belong to their event (and to one of its
/// items, or none), and share their content when it is the same.
#[tokio::test]
async fn materials_are_checked_kept_and_removed() {
    let db = with_networks().await;
    let s = &db.store;
    let event = s.create_event("t", new_event("Srečanje")).await.unwrap();
    let other = s
        .create_event("t", new_event("Drugo srečanje"))
        .await
        .unwrap();
    let item = s
        .add_agenda_item("t", event, item_at("09:00", "Dobra praksa"))
        .await
        .unwrap();
    let foreign = s
        .add_agenda_item("t", other, item_at("09:00", "Drugje"))
        .await
        .unwrap();
    let p = people(&db, 1).await[0];
    let body = b"%PDF-1.7 slides";

    let e = s
        .attach_material("t", event, Some(p), pdf("", Some(foreign), body))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Input(ref i) if i.field == "agenda_item_id"),
        "{e}"
    );
    let e = s
        .attach_material("t", event, Some(p), pdf("x", None, b"MZ\x90"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Input(ref i) if i.field == "file"),
        "{e}"
    );
    assert!(s.materials(event).await.unwrap().is_empty(), "nothing kept");

    let a = s
        .attach_material("t", event, Some(p), pdf("", Some(item), body))
        .await
        .unwrap();
    let b = s
        .attach_material("t", event, None, pdf("Ista vsebina", None, body))
        .await
        .unwrap();
    let list = s.materials(event).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].title, "praksa.pdf", "no title: the file's name");
    assert_eq!(list[0].agenda_item_id, Some(item));
    assert_eq!(list[0].by, "P0 Test");
    assert_eq!(list[1].by, "");
    let (row, content) = s.material_content(event, a).await.unwrap();
    assert_eq!(
        (row.size, content.as_slice()),
        (body.len() as i64, &body[..])
    );
    assert!(matches!(
        s.material(other, a).await,
        Err(StoreError::NotFound)
    ));

    // Removing one leaves the other's shared content readable.
    s.remove_material("t", event, a).await.unwrap();
    assert!(matches!(
        s.remove_material("t", event, a).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.material_content(event, b).await.unwrap().1, body);
    // An agenda item removed: its materials stay, for the whole event.
    let c = s
        .attach_material("t", event, None, pdf("Za točko", Some(item), body))
        .await
        .unwrap();
    s.remove_agenda_item("t", event, item).await.unwrap();
    assert_eq!(s.material(event, c).await.unwrap().agenda_item_id, None);
}
