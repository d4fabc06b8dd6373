//! What the store's event tests share: a database with the networks, an event to create,
//! people, plain letters, and moving an event's start into the past. A folder module, so it
//! is no test target of its own.

#![allow(dead_code)]

use headway_domain::events::{parse_local, AudienceKey, EventKind, Schedule, Zone};
use headway_domain::language::Lang;
use headway_store::events::{NewAudience, NewEvent};
use headway_store::testing::TestDb;

pub async fn with_networks() -> TestDb {
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

pub fn schedule(from: &str, to: &str, zone: &str) -> Schedule {
    Schedule::new(
        parse_local("s", from).unwrap(),
        parse_local("e", to).unwrap(),
        Zone::parse("z", zone).unwrap(),
    )
    .unwrap()
}

pub fn key(k: &str) -> AudienceKey {
    AudienceKey::parse("a", k).unwrap()
}

pub fn new_event(title: &str) -> NewEvent {
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
            capacity: None,
        }],
        offer_id: None,
        capacity: None,
        registration_closes: None,
        needs_approval: false,
        organiser: None,
    }
}

/// Letters in no language but their kind, for counting them.
pub struct Plain;

impl headway_domain::mail::Letters for Plain {
    fn default_language(&self) -> Lang {
        Lang::En
    }

    fn write(
        &self,
        lang: Lang,
        letter: &headway_domain::mail::Letter,
    ) -> headway_domain::mail::Written {
        headway_domain::mail::Written {
            subject: format!("{} {}", lang.code(), letter.kind()),
            body: format!("{letter:?}"),
        }
    }
}

/// Moves `event`'s start into the past, as if the day had come (registrations stay).
pub async fn begun(db: &TestDb, event: i32) {
    use headway_store::events::entities::event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    event::Entity::update_many()
        .col_expr(
            event::Column::StartsUtc,
            sea_orm::sea_query::Expr::value("2020-01-01T08:00:00.000000Z"),
        )
        .filter(event::Column::Id.eq(event))
        .exec(db.store.conn())
        .await
        .unwrap();
}

/// `n` people with e-mail addresses.
pub async fn people(db: &TestDb, n: usize) -> Vec<i32> {
    people_named(db, "p", n).await
}

/// `n` people with e-mail addresses of their own, named by `prefix` (`p0@example.org`).
pub async fn people_named(db: &TestDb, prefix: &str, n: usize) -> Vec<i32> {
    use headway_store::entities::person;
    use sea_orm::{ActiveModelTrait, Set};
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let p = person::ActiveModel {
            given_name: Set(format!("{}{i}", prefix.to_uppercase())),
            family_name: Set("Test".into()),
            email: Set(Some(format!("{prefix}{i}@example.org"))),
            search_key: Set(format!("{prefix}{i} test")),
            created_at: Set(headway_store::now()),
            ..Default::default()
        }
        .insert(db.store.conn())
        .await
        .unwrap();
        out.push(p.id);
    }
    out
}

/// An agenda item on the day of [`new_event`], for everyone.
pub fn item_at(time: &str, title: &str) -> headway_store::events::NewItem {
    headway_store::events::NewItem {
        day: chrono::NaiveDate::from_ymd_opt(2027, 3, 27).unwrap(),
        starts_at: time.into(),
        title: title.into(),
        description: String::new(),
        speakers: String::new(),
        kind: headway_domain::events::agenda::ItemKind::Talk,
        audiences: vec![],
    }
}
