//! The demo's events, from the seeds: the start-up gathering of Regionalt
//! skoleeiersamarbeid ØST on 28 January 2020 (seed 002), with its agenda exactly as the
//! invitation gives it — owners all day, principals from lunch.

use super::{EventQuery, Events, NewAudience, NewEvent, NewItem};
use crate::networks::demo::OST;
use crate::networks::{NetworkQuery, Networks};
use crate::{Result, Store, StoreError};
use headway_domain::events::agenda::ItemKind;
use headway_domain::events::{parse_local, AudienceKey, EventKind, Schedule, Zone};
use headway_domain::language::Lang;

const ACTOR: &str = "system:demo";

pub const OST_GATHERING: &str = "Oppstartsamling i Regionalt skoleeiersamarbeid ØST";

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
                        },
                        NewAudience {
                            key: key("principals")?,
                            name: "Rektorer".into(),
                        },
                    ],
                    offer_id: None,
                    organiser: None,
                },
            )
            .await?;
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
        Ok(())
    }
}
