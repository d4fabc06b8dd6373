//! Fixtures for the events benchmark (`headway generate events`, `bench/events.sh`): an
//! event with many registrations (the organiser's list and its CSV), a person registered
//! for many events (a personal calendar feed), and a small event with accounts that register
//! and cancel at once (the write path under the event's lock). Rows are written in bulk:
//! what is measured is reading and registering, not making the fixture.

use super::entities::{event, registration};
use super::{CalendarFeeds, Events, NewAudience, NewEvent};
use crate::accounts::NewAccount;
use crate::entities::person;
use crate::{Result, Store, StoreError};
use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::events::participation::RegStatus;
use headway_domain::events::{parse_local, AudienceKey, EventKind, Schedule, Zone};
use headway_domain::language::Lang;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// What the benchmark uses.
#[derive(Debug, Clone)]
pub struct EventsBench {
    /// The event with the many registrations.
    pub list_event: i32,
    /// The personal feed's path (`/calendar/{token}.ics`).
    pub feed: String,
    /// The event the writers register for and cancel (50 places).
    pub write_event: i32,
    /// The writers' usernames.
    pub writers: Vec<String>,
}

fn bad(e: headway_domain::input::InputError) -> StoreError {
    StoreError::Internal(e.to_string())
}

fn event_on(title: &str, day: chrono::NaiveDate, capacity: Option<u32>) -> Result<NewEvent> {
    let at = |t: &str| parse_local("starts_at", &format!("{day} {t}")).map_err(bad);
    Ok(NewEvent {
        kind: EventKind::Gathering,
        title: title.into(),
        description: String::new(),
        language: Lang::Nb,
        network_id: None,
        host_id: None,
        venue_name: "Lillestrøm kultursenter".into(),
        venue_address: String::new(),
        latlon: None,
        online_url: String::new(),
        schedule: Schedule::new(
            at("09:00")?,
            at("15:30")?,
            Zone::parse("time_zone", "Europe/Oslo").map_err(bad)?,
        )
        .map_err(bad)?,
        audiences: vec![
            NewAudience {
                key: AudienceKey::parse("audience", "owners").map_err(bad)?,
                name: "Administrative skoleeiere".into(),
                capacity: None,
            },
            NewAudience {
                key: AudienceKey::parse("audience", "principals").map_err(bad)?,
                name: "Rektorer".into(),
                capacity: None,
            },
        ],
        offer_id: None,
        capacity,
        registration_closes: None,
        needs_approval: false,
        organiser: None,
    })
}

impl Store {
    /// Makes the benchmark's fixtures: `registrations` people registered for one event,
    /// the first of them also for `feed_events` events (with a feed), and `writers` accounts
    /// (password `password`) for an event of 50 places.
    pub async fn generate_events_bench(
        &self,
        registrations: u32,
        feed_events: u32,
        writers: u32,
        password: &str,
    ) -> Result<EventsBench> {
        let now = crate::now();
        for chunk in (0..registrations.max(writers + 1))
            .collect::<Vec<_>>()
            .chunks(1000)
        {
            let txn = self.begin_write().await?;
            person::Entity::insert_many(chunk.iter().map(|n| person::ActiveModel {
                given_name: Set("Deltaker".into()),
                family_name: Set(format!("Nummer {n}")),
                email: Set(Some(format!("deltaker{n}@bench.invalid"))),
                search_key: Set(format!("deltaker nummer {n}")),
                created_at: Set(now.clone()),
                ..Default::default()
            }))
            .exec_without_returning(&*txn)
            .await?;
            txn.commit().await?;
        }
        let people: Vec<i32> = person::Entity::find()
            .filter(person::Column::Email.like("deltaker%@bench.invalid"))
            .order_by_asc(person::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let day = |offset: i64| {
            chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default()
                + chrono::Duration::days(offset)
        };
        let list_event = self
            .create_event(
                "system:bench",
                event_on("Samling med mange deltakere", day(0), None)?,
            )
            .await?;
        self.bulk_register(list_event, &people[..registrations as usize])
            .await?;
        let me = people[0];
        for k in 1..=i64::from(feed_events) {
            let e = self
                .create_event(
                    "system:bench",
                    event_on(&format!("Samling {k}"), day(k), None)?,
                )
                .await?;
            self.bulk_register(e, &[me]).await?;
        }
        let token = self.new_feed("system:bench", me).await?;
        let write_event = self
            .create_event(
                "system:bench",
                event_on("Samling med 50 plasser", day(400), Some(50))?,
            )
            .await?;
        let mut names = Vec::with_capacity(writers as usize);
        for w in 1..=writers {
            let username = format!("bench-w{w}");
            let person = people.get(w as usize).copied();
            self.create_account(
                "system:bench",
                NewAccount {
                    username: Username::parse(&username)?,
                    password: NewPassword::parse(password)?,
                    role: Role::Leader,
                    display_name: format!("Skriver {w}"),
                    organization_id: None,
                    person_id: person,
                },
            )
            .await?;
            names.push(username);
        }
        Ok(EventsBench {
            list_event,
            feed: format!("/calendar/{token}.ics"),
            write_event,
            writers: names,
        })
    }

    /// Confirms `people` at `event` in arrival order, alternating the two audiences.
    async fn bulk_register(&self, event: i32, people: &[i32]) -> Result<()> {
        let now = crate::now();
        for (c, chunk) in people.chunks(1000).enumerate() {
            let txn = self.begin_write().await?;
            registration::Entity::insert_many(chunk.iter().enumerate().map(|(i, p)| {
                let arrival = (c * 1000 + i + 1) as i64;
                registration::ActiveModel {
                    event_id: Set(event),
                    person_id: Set(*p),
                    audience: Set(if arrival % 2 == 0 {
                        "owners"
                    } else {
                        "principals"
                    }
                    .into()),
                    status: Set(RegStatus::Confirmed.code().into()),
                    arrival: Set(arrival),
                    registered_at: Set(now.clone()),
                    changed_at: Set(now.clone()),
                    promoted_at: Set(None),
                    attended: Set(None),
                    certificate_code: Set(None),
                    activity_id: Set(None),
                    ..Default::default()
                }
            }))
            .exec_without_returning(&*txn)
            .await?;
            txn.commit().await?;
        }
        event::Entity::update_many()
            .col_expr(event::Column::Arrivals, Expr::value(people.len() as i64))
            .filter(event::Column::Id.eq(event))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
