//! The demo's counselling: the ten Slovenian regional groups' sessions on the dates seed 000
//! gives, at their hosts, each in its two parts (the group part, then individual legal
//! counselling in slots offered by the demo provider's programme lead, an expert of the
//! school for principals), counting for the accredited offer "Regional group counselling
//! for principals". The demo leader took part in her group's session (attendance not yet
//! marked, so marking it shows the certificate and the PD log at work). The times of day
//! (09:00–14:00, slots from 12:00) are the demo's own: the seed gives dates only.
//! And the upcoming ØST gathering's principals: twenty places taken, two waiting.

use super::counselling::Counselling;
use super::entities::registration;
use super::{Events, NewAudience, NewEvent, NewItem, Registrations};
use crate::memberships::ContextRoles;
use crate::networks::{NetworkQuery, Networks};
use crate::register::Catalogue;
use crate::{Result, Store, StoreError};
use headway_domain::events::agenda::ItemKind;
use headway_domain::events::counselling::SlotSeries;
use headway_domain::events::participation::RegStatus;
use headway_domain::events::{parse_local, AudienceKey, EventKind, Schedule, Zone};
use headway_domain::language::Lang;
use headway_domain::memberships::{ContextRole, Membership};
use sea_orm::{ActiveModelTrait, Set};

const ACTOR: &str = "system:demo";
pub const GROUP_OFFER: &str = "Regional group counselling for principals";
pub const SI_DESCRIPTION: &str = "Program svetovanja je sestavljen iz dveh delov: v prvem delu se \
    ob poudarku teoretičnih in zakonodajnih izhodišč spodbuja izmenjava dobrih praks med \
    ravnatelji, v drugem delu je vsem udeležencem na voljo še individualno pravno svetovanje.";

fn input(e: headway_domain::input::InputError) -> StoreError {
    StoreError::Internal(e.to_string())
}

/// The two parts of a session on `day`: the group part from 09:00, individual counselling
/// from 12:00.
pub(super) fn two_parts(day: chrono::NaiveDate) -> Vec<NewItem> {
    [
        (
            "09:00",
            "Skupinski del: teoretična in zakonodajna izhodišča",
            ItemKind::Talk,
        ),
        (
            "",
            "Izmenjava dobrih praks med ravnatelji",
            ItemKind::Discussion,
        ),
        ("11:30", "Odmor", ItemKind::Break),
        (
            "12:00",
            "Individualno pravno svetovanje",
            ItemKind::Discussion,
        ),
    ]
    .into_iter()
    .map(|(time, title, kind)| NewItem {
        day,
        starts_at: time.into(),
        title: title.into(),
        description: String::new(),
        speakers: String::new(),
        kind,
        audiences: Vec::new(),
    })
    .collect()
}

impl Store {
    /// The accredited offer the regional groups' sessions count for.
    pub(super) async fn group_offer(&self) -> Result<Option<i32>> {
        Ok(self
            .offers(true)
            .await?
            .into_iter()
            .find(|o| o.title == GROUP_OFFER)
            .map(|o| o.id))
    }

    /// The demo provider's programme lead counsels at `event`, with four half-hour slots
    /// from 12:00.
    pub(super) async fn counselling_slots(&self, event: i32, day: chrono::NaiveDate) -> Result<()> {
        let Some(counsellor) = self.account_by_username("provider").await? else {
            return Ok(());
        };
        self.grant_membership(
            ACTOR,
            counsellor.id,
            Membership {
                role: ContextRole::EventCounsellor,
                context_id: event,
            },
        )
        .await?;
        let series = SlotSeries::parse(&day.format("%Y-%m-%d").to_string(), "12:00", "30", "4")
            .map_err(input)?;
        self.offer_slots(ACTOR, event, counsellor.id, series)
            .await?;
        Ok(())
    }

    /// The ten regional groups' sessions on their seed dates (once, with the other events).
    pub(super) async fn seed_regional_sessions(&self) -> Result<()> {
        let offer = self.group_offer().await?;
        let ljubljana = Zone::parse("time_zone", "Europe/Ljubljana").map_err(input)?;
        let audience = AudienceKey::parse("audience", "ravnatelji").map_err(input)?;
        let leader = self.account_by_username("leader").await?;
        let groups = self
            .networks(&NetworkQuery::default())
            .await?
            .into_iter()
            .filter(|n| n.name.starts_with("Regijski aktiv "));
        for g in groups {
            let detail = self.network(g.id).await?;
            let Some(meeting) = detail.meetings.first() else {
                continue;
            };
            let Ok(day) = meeting.held_on.parse::<chrono::NaiveDate>() else {
                continue;
            };
            let at = |t: &str| parse_local("starts_at", &format!("{day} {t}")).map_err(input);
            let number = g
                .name
                .trim_start_matches("Regijski aktiv ")
                .split(':')
                .next()
                .unwrap_or_default()
                .to_owned();
            let id = self
                .create_event(
                    ACTOR,
                    NewEvent {
                        kind: EventKind::Counselling,
                        title: format!(
                            "Regijski aktiv {number}: skupinsko in individualno svetovanje"
                        ),
                        description: SI_DESCRIPTION.into(),
                        language: Lang::Sl,
                        network_id: Some(g.id),
                        host_id: meeting.host.as_ref().map(|h| h.0),
                        venue_name: meeting
                            .host
                            .as_ref()
                            .map(|h| h.1.clone())
                            .unwrap_or_default(),
                        venue_address: String::new(),
                        latlon: None,
                        online_url: String::new(),
                        schedule: Schedule::new(at("09:00")?, at("14:00")?, ljubljana)
                            .map_err(input)?,
                        audiences: vec![NewAudience {
                            key: audience.clone(),
                            name: "Ravnatelji in direktorji VIZ".into(),
                            capacity: None,
                        }],
                        offer_id: offer,
                        capacity: Some(12),
                        registration_closes: None,
                        needs_approval: false,
                        organiser: None,
                    },
                )
                .await?;
            for item in two_parts(day) {
                self.add_agenda_item(ACTOR, id, item).await?;
            }
            self.counselling_slots(id, day).await?;
            // The demo leader's school is in the first group: she took part.
            if number == "1" {
                if let Some(person) = leader.as_ref().and_then(|l| l.person_id) {
                    let now = crate::now();
                    registration::ActiveModel {
                        event_id: Set(id),
                        person_id: Set(person),
                        audience: Set(audience.as_str().to_owned()),
                        status: Set(RegStatus::Confirmed.code().into()),
                        arrival: Set(1),
                        registered_at: Set(now.clone()),
                        changed_at: Set(now),
                        promoted_at: Set(None),
                        attended: Set(None),
                        certificate_code: Set(None),
                        activity_id: Set(None),
                        ..Default::default()
                    }
                    .insert(&self.db)
                    .await?;
                }
            }
        }
        Ok(())
    }

    /// Twenty principals of ØST's schools take the principals' twenty places at the next
    /// gathering, and two more wait: the demo's full gathering with a waitlist.
    pub(super) async fn fill_principals(&self, event: i32) -> Result<()> {
        use crate::entities::organization;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
        const GIVEN: [&str; 11] = [
            "Ingrid", "Kari", "Marit", "Hilde", "Silje", "Nina", "Lars", "Ole", "Jon", "Per",
            "Bjørn",
        ];
        const FAMILY: [&str; 11] = [
            "Hansen",
            "Johansen",
            "Olsen",
            "Larsen",
            "Andersen",
            "Pedersen",
            "Nilsen",
            "Kristiansen",
            "Jensen",
            "Karlsen",
            "Sæther",
        ];
        let mut owners = Vec::new();
        for k in crate::networks::demo::OST_MEMBERS {
            if let Some(o) = self.organization_id(&format!("no:kommune:{k}")).await? {
                owners.push(o);
            }
        }
        let schools = organization::Entity::find()
            .filter(organization::Column::ExternalId.starts_with("no:skole:"))
            .filter(organization::Column::ParentId.is_in(owners))
            .order_by_asc(organization::Column::Name)
            .limit(22)
            .all(&self.db)
            .await?;
        for (i, school) in schools.iter().enumerate() {
            let given = GIVEN[i % GIVEN.len()];
            let family = FAMILY[(i * 7 + 3) % FAMILY.len()];
            let email = format!("rektor{}@demo.headway.invalid", i + 1);
            let person = self
                .add_person_with_position(
                    given,
                    family,
                    Some(&email),
                    school.id,
                    "director",
                    "2020-08-01",
                )
                .await?;
            self.register(ACTOR, event, person, "principals").await?;
        }
        Ok(())
    }
}
