//! Networks in the store: the [`Networks`] capability (read and build networks, their
//! organisations and meetings) and [`NetworkPeople`] (who is in them), implemented once on
//! [`Store`]. Rules come from
//! `headway_domain::networks`.

#[cfg(feature = "fixtures")]
pub mod demo;
pub mod entities;
mod hosting;
mod people;
mod schools;

pub use hosting::{suggest_host, NetworkHosting};
pub use people::{NetworkPeople, NetworkPerson};
pub use schools::NetworkSchools;

use crate::audit::AuditEvent;
use crate::directory::{parse_summary, OrgSummary};
use crate::entities::organization;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use entities::{meeting, network, network_org};
use headway_domain::directory::Country;
use headway_domain::input::{Description, InputError, Problem, Title};
use headway_domain::networks::{NetworkKind, OrgRole, Period};
use headway_domain::register::parse_date;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// A network as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkSummary {
    pub id: i32,
    pub kind: NetworkKind,
    pub name: String,
    pub country: Country,
    pub parent_id: Option<i32>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// Organisations in it.
    pub organizations: u64,
    /// Networks directly inside it.
    pub children: u64,
}

/// An organisation in a network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkOrg {
    pub organization: OrgSummary,
    pub role: OrgRole,
    pub position: i32,
    /// It declines to host the network's meetings.
    pub declines_hosting: bool,
}

/// A meeting of a network: when, and at which host.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub held_on: String,
    pub host: Option<(i32, String)>,
    pub note: String,
}

/// Everything a network's page shows that is public.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkDetail {
    pub summary: NetworkSummary,
    pub description: String,
    pub programme: Option<(i32, String)>,
    pub parent: Option<(i32, String)>,
    pub children: Vec<NetworkSummary>,
    pub organizations: Vec<NetworkOrg>,
    pub meetings: Vec<Meeting>,
}

/// A network to create.
#[derive(Debug, Clone)]
pub struct NewNetwork {
    pub kind: NetworkKind,
    pub name: String,
    pub country: Country,
    pub programme_id: Option<i32>,
    pub parent_id: Option<i32>,
    pub period: Period,
    pub description: String,
}

/// Which networks to list.
#[derive(Debug, Clone, Default)]
pub struct NetworkQuery {
    pub country: Option<Country>,
    pub kind: Option<NetworkKind>,
    /// Only networks directly inside this one.
    pub parent_id: Option<i32>,
    /// Without a parent: only networks that sit in no other (programmes, networks that
    /// stand alone); else networks at every level.
    pub top_level: bool,
}

/// Reading and building networks.
#[async_trait::async_trait]
pub trait Networks {
    /// Networks matching `q`, by start date then name; three queries.
    async fn networks(&self, q: &NetworkQuery) -> Result<Vec<NetworkSummary>>;

    /// One network with its organisations (in their order), meetings and sub-networks.
    async fn network(&self, id: i32) -> Result<NetworkDetail>;

    /// Creates a network (audited); the parent and the programme must exist.
    async fn create_network(&self, actor: &str, n: NewNetwork) -> Result<i32>;

    /// Adds an organisation, or changes its role; it keeps its place in the order.
    async fn add_network_org(
        &self,
        actor: &str,
        network: i32,
        org: i32,
        role: OrgRole,
    ) -> Result<()>;

    /// Records a meeting on `day` at `host` (which must be in the network).
    async fn add_meeting(
        &self,
        actor: &str,
        network: i32,
        day: NaiveDate,
        host: Option<i32>,
        note: &str,
    ) -> Result<()>;
}

fn summary(m: network::Model, counts: &Counts) -> Result<NetworkSummary> {
    let stored = |e: InputError| StoreError::Internal(format!("stored network: {e}"));
    Ok(NetworkSummary {
        kind: NetworkKind::parse(&m.kind).map_err(stored)?,
        country: Country::parse(&m.country).map_err(stored)?,
        organizations: counts.orgs.get(&m.id).copied().unwrap_or(0),
        children: counts.children.get(&m.id).copied().unwrap_or(0),
        id: m.id,
        name: m.name,
        parent_id: m.parent_id,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
    })
}

#[derive(Default)]
struct Counts {
    orgs: HashMap<i32, u64>,
    children: HashMap<i32, u64>,
}

impl Store {
    /// Organisation and sub-network counts of `ids` (two queries).
    async fn network_counts(&self, ids: &[i32]) -> Result<Counts> {
        let mut c = Counts::default();
        for o in network_org::Entity::find()
            .filter(network_org::Column::NetworkId.is_in(ids.to_vec()))
            .all(&self.db)
            .await?
        {
            *c.orgs.entry(o.network_id).or_default() += 1;
        }
        for n in network::Entity::find()
            .filter(network::Column::ParentId.is_in(ids.to_vec()))
            .all(&self.db)
            .await?
        {
            if let Some(p) = n.parent_id {
                *c.children.entry(p).or_default() += 1;
            }
        }
        Ok(c)
    }

    async fn summaries(&self, rows: Vec<network::Model>) -> Result<Vec<NetworkSummary>> {
        let ids: Vec<i32> = rows.iter().map(|n| n.id).collect();
        let counts = self.network_counts(&ids).await?;
        rows.into_iter().map(|n| summary(n, &counts)).collect()
    }

    async fn org_names(&self, ids: Vec<i32>) -> Result<HashMap<i32, String>> {
        Ok(organization::Entity::find()
            .filter(organization::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect())
    }
}

#[async_trait::async_trait]
impl Networks for Store {
    async fn networks(&self, q: &NetworkQuery) -> Result<Vec<NetworkSummary>> {
        let mut find = network::Entity::find();
        if let Some(c) = q.country {
            find = find.filter(network::Column::Country.eq(c.code()));
        }
        if let Some(k) = q.kind {
            find = find.filter(network::Column::Kind.eq(k.code()));
        }
        find = match q.parent_id {
            Some(p) => find.filter(network::Column::ParentId.eq(p)),
            None if q.top_level => find.filter(network::Column::ParentId.is_null()),
            None => find,
        };
        let rows = find
            .order_by_asc(network::Column::StartsOn)
            .order_by_asc(network::Column::Name)
            .order_by_asc(network::Column::Id)
            .all(&self.db)
            .await?;
        self.summaries(rows).await
    }

    async fn network(&self, id: i32) -> Result<NetworkDetail> {
        let n = network::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let children = network::Entity::find()
            .filter(network::Column::ParentId.eq(id))
            .order_by_asc(network::Column::StartsOn)
            .order_by_asc(network::Column::Name)
            .all(&self.db)
            .await?;
        let children = self.summaries(children).await?;
        let links = network_org::Entity::find()
            .filter(network_org::Column::NetworkId.eq(id))
            .order_by_asc(network_org::Column::Position)
            .all(&self.db)
            .await?;
        let link_count = links.len() as u64;
        let orgs: HashMap<i32, organization::Model> = organization::Entity::find()
            .filter(
                organization::Column::Id
                    .is_in(links.iter().map(|l| l.organization_id).collect::<Vec<_>>()),
            )
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let munis = self
            .municipality_names(orgs.values().filter_map(|o| o.municipality_id))
            .await?;
        let mut organizations = Vec::with_capacity(links.len());
        for l in links {
            let Some(o) = orgs.get(&l.organization_id) else {
                continue;
            };
            organizations.push(NetworkOrg {
                organization: parse_summary(o.clone(), &munis)?,
                role: OrgRole::parse(&l.role)
                    .map_err(|e| StoreError::Internal(format!("stored network role: {e}")))?,
                position: l.position,
                declines_hosting: l.declines_hosting,
            });
        }
        let meetings = meeting::Entity::find()
            .filter(meeting::Column::NetworkId.eq(id))
            .order_by_asc(meeting::Column::HeldOn)
            .all(&self.db)
            .await?;
        let mut named: Vec<i32> = meetings.iter().filter_map(|m| m.host_id).collect();
        named.extend(n.programme_id);
        let names = self.org_names(named).await?;
        let parent = match n.parent_id {
            Some(p) => network::Entity::find_by_id(p)
                .one(&self.db)
                .await?
                .map(|p| (p.id, p.name)),
            None => None,
        };
        let programme = n
            .programme_id
            .and_then(|p| names.get(&p).map(|name| (p, name.clone())));
        let meetings = meetings
            .into_iter()
            .map(|m| Meeting {
                host: m
                    .host_id
                    .and_then(|h| names.get(&h).map(|name| (h, name.clone()))),
                held_on: m.held_on,
                note: m.note,
            })
            .collect();
        let description = n.description.clone();
        // Its own counts are what was just read; no query for them.
        let counts = Counts {
            orgs: HashMap::from([(id, link_count)]),
            children: HashMap::from([(id, children.len() as u64)]),
        };
        Ok(NetworkDetail {
            summary: summary(n, &counts)?,
            description,
            programme,
            parent,
            children,
            organizations,
            meetings,
        })
    }

    async fn create_network(&self, actor: &str, n: NewNetwork) -> Result<i32> {
        let name = Title::parse("name", &n.name)?;
        let description = Description::parse("description", &n.description)?;
        let txn = self.begin_write().await?;
        if let Some(p) = n.parent_id {
            if network::Entity::find_by_id(p).count(&*txn).await? == 0 {
                return Err(InputError::new("parent_id", Problem::NoSuchRecord).into());
            }
        }
        if let Some(p) = n.programme_id {
            if organization::Entity::find_by_id(p).count(&*txn).await? == 0 {
                return Err(InputError::new("programme_id", Problem::NoSuchRecord).into());
            }
        }
        let now = crate::now();
        let row = network::ActiveModel {
            kind: Set(n.kind.code().into()),
            name: Set(name.as_str().into()),
            country: Set(n.country.code().into()),
            programme_id: Set(n.programme_id),
            parent_id: Set(n.parent_id),
            starts_on: Set(n.period.starts_on.to_string()),
            ends_on: Set(n.period.ends_on.map(|d| d.to_string())),
            description: Set(description.as_str().into()),
            created_at: Set(now.clone()),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "network.create",
            subject: &format!("network:{}", row.id),
            detail: name.as_str(),
        })
        .await?;
        Ok(row.id)
    }

    async fn add_network_org(
        &self,
        actor: &str,
        network: i32,
        org: i32,
        role: OrgRole,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        if network::Entity::find_by_id(network).count(&*txn).await? == 0 {
            return Err(StoreError::NotFound);
        }
        if organization::Entity::find_by_id(org).count(&*txn).await? == 0 {
            return Err(InputError::new("organization_id", Problem::NoSuchRecord).into());
        }
        let existing = network_org::Entity::find_by_id((network, org))
            .one(&*txn)
            .await?;
        match existing {
            Some(e) => {
                let mut a: network_org::ActiveModel = e.into();
                a.role = Set(role.code().into());
                a.update(&*txn).await?;
            }
            None => {
                let position = network_org::Entity::find()
                    .filter(network_org::Column::NetworkId.eq(network))
                    .count(&*txn)
                    .await? as i32
                    + 1;
                network_org::ActiveModel {
                    network_id: Set(network),
                    organization_id: Set(org),
                    role: Set(role.code().into()),
                    position: Set(position),
                    declines_hosting: Set(false),
                }
                .insert(&*txn)
                .await?;
            }
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: "network.organization",
            subject: &format!("network:{network}"),
            detail: &format!("organization:{org} {}", role.code()),
        })
        .await?;
        Ok(())
    }

    async fn add_meeting(
        &self,
        actor: &str,
        network: i32,
        day: NaiveDate,
        host: Option<i32>,
        note: &str,
    ) -> Result<()> {
        let note = Description::parse("note", note)?;
        let txn = self.begin_write().await?;
        if network::Entity::find_by_id(network).count(&*txn).await? == 0 {
            return Err(StoreError::NotFound);
        }
        if let Some(h) = host {
            if network_org::Entity::find_by_id((network, h))
                .count(&*txn)
                .await?
                == 0
            {
                return Err(InputError::new("host_id", Problem::NoSuchRecord).into());
            }
        }
        meeting::ActiveModel {
            network_id: Set(network),
            held_on: Set(day.to_string()),
            host_id: Set(host),
            note: Set(note.as_str().into()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "network.meeting",
            subject: &format!("network:{network}"),
            detail: &format!("{day} host:{host:?}"),
        })
        .await?;
        Ok(())
    }
}

/// The hosts of a network's past meetings, for [`headway_domain::networks::next_host`].
pub fn hosted(d: &NetworkDetail) -> Vec<(i32, NaiveDate)> {
    d.meetings
        .iter()
        .filter_map(|m| Some((m.host.as_ref()?.0, parse_date(&m.held_on)?)))
        .collect()
}
