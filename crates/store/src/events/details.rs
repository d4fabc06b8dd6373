//! Events in full (audiences, agenda, network, host, offer) read for many events at once:
//! one query per table, not per event, so a personal feed of 200 events costs seven
//! queries rather than a thousand.

use super::entities::{agenda_item, event, event_audience};
use super::rows::{summary, view};
use super::{AgendaRow, Audience, EventDetail};
use crate::entities::organization;
use crate::networks::entities::network;
use crate::Result;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Ids in chunks a database takes as bound parameters.
const CHUNK: usize = 1000;

fn ids(models: &[event::Model], of: impl Fn(&event::Model) -> Option<i32>) -> Vec<i32> {
    let mut v: Vec<i32> = models.iter().filter_map(of).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// `models` in full, in the same order.
pub(super) async fn details(
    db: &DatabaseConnection,
    models: Vec<event::Model>,
) -> Result<Vec<EventDetail>> {
    let event_ids = ids(&models, |m| Some(m.id));
    let mut audiences: HashMap<i32, Vec<Audience>> = HashMap::new();
    let mut agendas: HashMap<i32, Vec<AgendaRow>> = HashMap::new();
    for chunk in event_ids.chunks(CHUNK) {
        for a in event_audience::Entity::find()
            .filter(event_audience::Column::EventId.is_in(chunk.to_vec()))
            .order_by_asc(event_audience::Column::EventId)
            .order_by_asc(event_audience::Column::Position)
            .all(db)
            .await?
        {
            audiences.entry(a.event_id).or_default().push(Audience {
                key: a.key,
                name: a.name,
                capacity: a.capacity.map(|c| c as u32),
            });
        }
        for i in agenda_item::Entity::find()
            .filter(agenda_item::Column::EventId.is_in(chunk.to_vec()))
            .order_by_asc(agenda_item::Column::EventId)
            .order_by_asc(agenda_item::Column::Position)
            .all(db)
            .await?
        {
            agendas.entry(i.event_id).or_default().push(view(&i)?);
        }
    }
    let mut networks = HashMap::new();
    for chunk in ids(&models, |m| m.network_id).chunks(CHUNK) {
        for n in network::Entity::find()
            .filter(network::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            networks.insert(n.id, n.name);
        }
    }
    let mut hosts = HashMap::new();
    for chunk in ids(&models, |m| m.host_id).chunks(CHUNK) {
        for o in organization::Entity::find()
            .filter(organization::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            hosts.insert(o.id, o.name);
        }
    }
    let mut offers = HashMap::new();
    for chunk in ids(&models, |m| m.offer_id).chunks(CHUNK) {
        use crate::entities::register::offer;
        for o in offer::Entity::find()
            .filter(offer::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            offers.insert(o.id, (o.id, o.title, o.hours, o.points));
        }
    }
    models
        .into_iter()
        .map(|m| {
            Ok(EventDetail {
                summary: summary(&m, &networks)?,
                host: m
                    .host_id
                    .and_then(|h| hosts.get(&h).map(|name| (h, name.clone()))),
                offer: m.offer_id.and_then(|o| offers.get(&o).cloned()),
                audiences: audiences.remove(&m.id).unwrap_or_default(),
                agenda: agendas.remove(&m.id).unwrap_or_default(),
                description: m.description,
                language: m.language,
                venue_address: m.venue_address,
                lat: m.lat,
                lon: m.lon,
                online_url: m.online_url,
                sequence: m.sequence,
                capacity: m.capacity.map(|c| c as u32),
                registration_closes_utc: m.registration_closes_utc.unwrap_or(m.starts_utc),
                needs_approval: m.needs_approval,
            })
        })
        .collect()
}
