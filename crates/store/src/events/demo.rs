//! The demo's events, from the seeds: the start-up gathering of Regionalt
//! skoleeiersamarbeid ØST on 28 January 2020 (seed 002), with its agenda exactly as the
//! invitation gives it — owners all day, principals from lunch. And two upcoming events to
//! take part in, whose dates and times are the demo's own: ØST's next gathering, patterned
//! on the first (owners from 09:00, principals from lunch), and a group-counselling session
//! of the first Slovenian regional group at its host, in the two parts seed 000 describes (a
//! group part, then individual legal counselling), with twelve places.

use super::{EventQuery, Events, NewAudience, NewEvent, NewItem};
use crate::networks::demo::OST;
use crate::networks::{NetworkQuery, Networks};
use crate::{Result, Store, StoreError};
use headway_domain::events::agenda::ItemKind;
use headway_domain::events::{parse_local, AudienceKey, EventKind, Schedule, Zone};
use headway_domain::language::Lang;

const ACTOR: &str = "system:demo";

pub const OST_GATHERING: &str = "Oppstartsamling i Regionalt skoleeiersamarbeid ØST";
pub const OST_NEXT: &str = "Samling for skoleeiere og rektorer i Regionalt skoleeiersamarbeid ØST";
pub const SI_SESSION: &str =
    "Svetovanje regijskemu aktivu: skupinski del in individualno pravno svetovanje";

/// The agenda of seed 002: (time, title, bullet points, kind, audiences). Items without a
/// time follow the one before; the invitation's audience column is empty for them, so they
/// are for the audience of the timed item they follow.
const OST_AGENDA: [(&str, &str, &str, ItemKind, &str); 9] = [
    (
        "0900",
        "Intensjoner og rammer for skoleeiersamarbeidet",
        "• Presentasjon av samordningsgruppa\n• Muligheter og begrensninger for samarbeidet\n• DEKOMP før og nå, meldingsarbeid\n• Økonomi og muligheter for ekstern finansiering",
        ItemKind::Talk,
        "owners",
    ),
    ("", "Pause", "", ItemKind::Break, "owners"),
    (
        "",
        "Drøfte mulige aktiviteter for administrative skoleeiere",
        "• Samlinger for skoleeiere – intensjon og rammer?\n• Samlinger for skoleeiere og rektorer på tvers av kommunene – intensjon og rammer?",
        ItemKind::Discussion,
        "owners",
    ),
    ("1130", "Lunsj", "", ItemKind::Meal, ""),
    (
        "1215",
        "Johan Kaggestad – Om å bli bedre gjennom samarbeid",
        "",
        ItemKind::Talk,
        "owners principals",
    ),
    ("", "Pause", "", ItemKind::Break, "owners principals"),
    (
        "",
        "Intensjoner og rammer for det regionale samarbeidet presenteres rektorene",
        "",
        ItemKind::Talk,
        "owners principals",
    ),
    (
        "",
        "Drøfte aktiviteter for lærere og skoleledere på tvers av kommunene",
        "• Samlinger for utviklingsaktører (Dekomp) – temaer framover?\n• Samlinger for faglærere (Dekomp)?",
        ItemKind::Discussion,
        "owners principals",
    ),
    ("1530", "Avslutning", "", ItemKind::Talk, "owners principals"),
];

impl Store {
    /// Seeds the demo's events once (nothing when they exist); the networks first.
    pub async fn seed_events_demo(&self) -> Result<()> {
        let ost = self
            .networks(&NetworkQuery::default())
            .await?
            .into_iter()
            .find(|n| n.name == OST)
            .ok_or_else(|| StoreError::Internal("seed the networks first".into()))?;
        let existing = self
            .events(&EventQuery {
                network_id: Some(ost.id),
                ..Default::default()
            })
            .await?;
        if existing.iter().any(|e| e.title == OST_GATHERING) {
            return Ok(());
        }
        let input = |e: headway_domain::input::InputError| StoreError::Internal(e.to_string());
        let key = |k| AudienceKey::parse("audience", k).map_err(input);
        // The invitation gives no end; the closing at 15:30 is taken to last half an hour.
        let schedule = Schedule::new(
            parse_local("starts_at", "2020-01-28 09:00").map_err(input)?,
            parse_local("ends_at", "2020-01-28 16:00").map_err(input)?,
            Zone::parse("time_zone", "Europe/Oslo").map_err(input)?,
        )
        .map_err(input)?;
        let id = self
            .create_event(
                ACTOR,
                NewEvent {
                    kind: EventKind::Gathering,
                    title: OST_GATHERING.into(),
                    description: "Eierskap – Ledelse – Læring. Intensjon med første samling: \
                        bygge felles eierskap for ny samarbeidsmodell, og drøfte muligheter \
                        dette samarbeidet kan gi, både i innhold og form — aktiviteter for \
                        administrative skoleeiere og rammer for disse, aktiviteter for \
                        skoleledere og lærere på tvers av kommunene og rammer for disse. \
                        Representanter fra administrativ skoleeier deltar hele dagen. \
                        Rektorene inviteres fra lunsj."
                        .into(),
                    language: Lang::Nb,
                    network_id: Some(ost.id),
                    host_id: None,
                    venue_name: "Nationalteatret Konferansesenter (KS Agenda)".into(),
                    venue_address: "KS sine konferanselokaler, Oslo".into(),
                    latlon: None,
                    online_url: String::new(),
                    schedule,
                    audiences: vec![
                        NewAudience {
                            key: key("owners")?,
                            name: "Administrative skoleeiere".into(),
                            capacity: None,
                        },
                        NewAudience {
                            key: key("principals")?,
                            name: "Rektorer".into(),
                            capacity: None,
                        },
                    ],
                    offer_id: None,
                    capacity: None,
                    registration_closes: None,
                    needs_approval: false,
                    organiser: None,
                },
            )
            .await?;
        self.seed_upcoming(ost.id).await?;
        let day = schedule.starts.date();
        for (time, title, description, kind, audiences) in OST_AGENDA {
            self.add_agenda_item(
                ACTOR,
                id,
                NewItem {
                    day,
                    starts_at: time.into(),
                    title: title.into(),
                    description: description.into(),
                    speakers: if title.starts_with("Johan Kaggestad") {
                        "Johan Kaggestad".into()
                    } else {
                        String::new()
                    },
                    kind,
                    audiences: audiences.split_whitespace().map(str::to_owned).collect(),
                },
            )
            .await?;
        }
        self.seed_regional_sessions().await?;
        Ok(())
    }
}

fn input(e: headway_domain::input::InputError) -> StoreError {
    StoreError::Internal(e.to_string())
}

fn at(s: &str) -> Result<chrono::NaiveDateTime> {
    parse_local("starts_at", s).map_err(input)
}

impl Store {
    async fn seed_upcoming(&self, ost: i32) -> Result<()> {
        let key = |k| AudienceKey::parse("audience", k).map_err(input);
        let oslo = Zone::parse("time_zone", "Europe/Oslo").map_err(input)?;
        let next = self
            .create_event(
                ACTOR,
                NewEvent {
                    kind: EventKind::Gathering,
                    title: OST_NEXT.into(),
                    description: "Administrative skoleeiere deltar hele dagen; rektorene \
                        inviteres fra lunsj."
                        .into(),
                    language: Lang::Nb,
                    network_id: Some(ost),
                    host_id: None,
                    venue_name: "Lillestrøm kultursenter".into(),
                    venue_address: "Lillestrøm".into(),
                    latlon: None,
                    online_url: String::new(),
                    schedule: Schedule::new(at("2027-02-09 09:00")?, at("2027-02-09 15:30")?, oslo)
                        .map_err(input)?,
                    audiences: vec![
                        NewAudience {
                            key: key("owners")?,
                            name: "Administrative skoleeiere".into(),
                            capacity: None,
                        },
                        NewAudience {
                            key: key("principals")?,
                            name: "Rektorer".into(),
                            capacity: Some(20),
                        },
                    ],
                    offer_id: None,
                    capacity: Some(60),
                    registration_closes: None,
                    needs_approval: false,
                    organiser: None,
                },
            )
            .await?;
        let day = chrono::NaiveDate::from_ymd_opt(2027, 2, 9).unwrap_or_default();
        for (time, title, kind, audiences) in [
            (
                "09:00",
                "Skoleeiersamarbeidet: status og veien videre",
                ItemKind::Talk,
                "owners",
            ),
            ("11:30", "Lunsj", ItemKind::Meal, ""),
            (
                "12:15",
                "Profesjonsutvikling på tvers av kommunene",
                ItemKind::Discussion,
                "owners principals",
            ),
            ("15:00", "Avslutning", ItemKind::Talk, "owners principals"),
        ] {
            self.add_agenda_item(ACTOR, next, item(day, time, title, kind, audiences))
                .await?;
        }
        // The first regional group of the pilot, at its host.
        let group = self
            .networks(&NetworkQuery::default())
            .await?
            .into_iter()
            .find(|n| n.name.starts_with("Regijski aktiv 1:"))
            .ok_or_else(|| StoreError::Internal("seed the networks first".into()))?;
        let host = self
            .network(group.id)
            .await?
            .organizations
            .first()
            .map(|o| (o.organization.id, o.organization.name.clone()));
        let ljubljana = Zone::parse("time_zone", "Europe/Ljubljana").map_err(input)?;
        let session = self
            .create_event(
                ACTOR,
                NewEvent {
                    kind: EventKind::Counselling,
                    title: SI_SESSION.into(),
                    description: super::demo_sessions::SI_DESCRIPTION.into(),
                    language: Lang::Sl,
                    network_id: Some(group.id),
                    host_id: host.as_ref().map(|h| h.0),
                    venue_name: host.map(|h| h.1).unwrap_or_default(),
                    venue_address: String::new(),
                    latlon: None,
                    online_url: String::new(),
                    schedule: Schedule::new(
                        at("2027-03-18 09:00")?,
                        at("2027-03-18 14:00")?,
                        ljubljana,
                    )
                    .map_err(input)?,
                    audiences: vec![NewAudience {
                        key: key("ravnatelji")?,
                        name: "Ravnatelji in direktorji VIZ".into(),
                        capacity: None,
                    }],
                    offer_id: self.group_offer().await?,
                    capacity: Some(12),
                    registration_closes: None,
                    needs_approval: false,
                    organiser: None,
                },
            )
            .await?;
        let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 18).unwrap_or_default();
        for item in super::demo_sessions::two_parts(day) {
            self.add_agenda_item(ACTOR, session, item).await?;
        }
        self.counselling_slots(session, day).await?;
        self.fill_principals(next).await?;
        Ok(())
    }
}

fn item(
    day: chrono::NaiveDate,
    time: &str,
    title: &str,
    kind: ItemKind,
    audiences: &str,
) -> NewItem {
    NewItem {
        day,
        starts_at: time.into(),
        title: title.into(),
        description: String::new(),
        speakers: String::new(),
        kind,
        audiences: audiences.split_whitespace().map(str::to_owned).collect(),
    }
}
