//! Where Norway's schools are ([`school_places`], imported all or nothing: a municipality the
//! directory does not know is refused by line and field), the owners with few schools
//! ([`SmallOwners::small_owners`]) and a network founded from a suggestion in one
//! transaction ([`SmallOwners::found_owner_network`]).

use super::entities::school_place;
use crate::audit::AuditEvent;
use crate::entities::{membership, municipality, organization, region};
use crate::import::{CsvTable, ImportError, ImportReport, Progress};
use crate::networks::entities::{network, network_org};
use crate::{Result, Store};
use headway_domain::directory::Country;
use headway_domain::guidance::places::{
    municipality_of, school_places as read_places, KnownMunicipality, SmallOwner, SmallOwnerRules,
};
use headway_domain::input::{InputError, Problem, Title};
use headway_domain::memberships::{ContextKind, ContextRole};
use headway_domain::networks::{NetworkKind, OrgRole};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set,
};
use std::collections::{HashMap, HashSet};

const PREFIX: &str = "no:kommune:";

/// Imports the school places in `t`: every line must fall in a municipality of the
/// directory; places no longer in the file are removed, so the file is the whole list.
pub(crate) async fn school_places(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let places = read_places(t)?;
    let munis = municipality::Entity::find()
        .filter(municipality::Column::ExternalId.starts_with(PREFIX))
        .all(txn)
        .await?;
    let counties: HashMap<i32, String> = region::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    // The owner organisation keeps the official name (Sámi, Kven) where it differs.
    let official: HashMap<String, String> = organization::Entity::find()
        .filter(organization::Column::ExternalId.starts_with(PREFIX))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|o| Some((o.external_id, o.city?)))
        .collect();
    let known: Vec<KnownMunicipality> = munis
        .iter()
        .map(|m| {
            let mut names = vec![m.name.as_str()];
            names.extend(official.get(&m.external_id).map(String::as_str));
            let county = m.region_id.and_then(|r| counties.get(&r));
            KnownMunicipality::new(
                &m.external_id,
                &names,
                county.map_or("", String::as_str),
                m.lat.zip(m.lon),
            )
        })
        .collect();
    let ids: HashMap<&str, i32> = munis
        .iter()
        .map(|m| (m.external_id.as_str(), m.id))
        .collect();
    let mut wanted: HashMap<(i32, String), ((f64, f64), u64)> = HashMap::new();
    for p in &places {
        let Some(m) = municipality_of(p, &known) else {
            return Err(ImportError {
                file: t.file.clone(),
                line: p.line,
                field: "kommune".into(),
                message: format!(
                    "`{}` is not a municipality in the directory (import no-municipalities first)",
                    p.municipality
                ),
            }
            .into());
        };
        let key = (ids[m.key.as_str()], p.name.clone());
        if let Some((_, first)) = wanted.insert(key, (p.at, p.line)) {
            return Err(ImportError {
                file: t.file.clone(),
                line: p.line,
                field: "enhetnavn".into(),
                message: format!(
                    "`{}` in {} is already on line {first}",
                    p.name, p.municipality
                ),
            }
            .into());
        }
    }
    let mut report = ImportReport {
        rows: places.len() as u64,
        ..Default::default()
    };
    let stored = school_place::Entity::find().all(txn).await?;
    let mut gone = Vec::new();
    for s in stored {
        match wanted.remove(&(s.municipality_id, s.name.clone())) {
            Some((at, _)) if at == (s.lat, s.lon) => {}
            Some((at, _)) => {
                report.updated += 1;
                let mut a: school_place::ActiveModel = s.into();
                a.lat = Set(at.0);
                a.lon = Set(at.1);
                a.update(txn).await?;
            }
            None => gone.push(s.id),
        }
    }
    if !gone.is_empty() {
        school_place::Entity::delete_many()
            .filter(school_place::Column::Id.is_in(gone))
            .exec(txn)
            .await?;
    }
    let mut fresh: Vec<_> = wanted.into_iter().collect();
    fresh.sort_by_key(|(_, (_, line))| *line);
    let total = fresh.len() as u64;
    report.inserted = total;
    for (done, chunk) in fresh.chunks(500).enumerate() {
        school_place::Entity::insert_many(chunk.iter().map(|((m, name), (at, _))| {
            school_place::ActiveModel {
                municipality_id: Set(*m),
                name: Set(name.clone()),
                lat: Set(at.0),
                lon: Set(at.1),
                ..Default::default()
            }
        }))
        .exec_without_returning(txn)
        .await?;
        progress(((done + 1) * 500).min(total as usize) as u64, total);
    }
    Ok(report)
}

/// The owners with few schools, and how many municipalities the count covers.
#[derive(Debug, Clone, PartialEq)]
pub struct SmallOwnerList {
    /// By county, then name.
    pub owners: Vec<SmallOwner>,
    /// Municipalities with at least one school place.
    pub with_places: usize,
    /// School places in all.
    pub places: usize,
}

/// A network to found from a suggestion.
#[derive(Debug, Clone)]
pub struct NewOwnerNetwork {
    pub name: String,
    /// The owners' keys (`no:kommune:4036`).
    pub owners: Vec<String>,
    pub description: String,
    /// The coordinator who founds it and coordinates it.
    pub coordinator: i32,
}

/// Small school owners and the networks suggested to them.
#[async_trait::async_trait]
pub trait SmallOwners {
    /// Owners with from one to `max_schools` school places; three queries.
    async fn small_owners(&self, max_schools: u32) -> Result<SmallOwnerList>;

    /// Founds an owner network of `n.owners` (audited), coordinated by `n.coordinator`;
    /// every owner must be a Norwegian municipality of the directory.
    async fn found_owner_network(&self, actor: &str, n: NewOwnerNetwork) -> Result<i32>;
}

#[async_trait::async_trait]
impl SmallOwners for Store {
    async fn small_owners(&self, max_schools: u32) -> Result<SmallOwnerList> {
        let counts: Vec<(i32, i64)> = school_place::Entity::find()
            .select_only()
            .column(school_place::Column::MunicipalityId)
            .column_as(Expr::col(school_place::Column::Id).count(), "n")
            .group_by(school_place::Column::MunicipalityId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let with_places = counts.len();
        let places = counts.iter().map(|c| c.1 as usize).sum();
        let small: HashMap<i32, u32> = counts
            .into_iter()
            .filter(|(_, n)| *n <= i64::from(max_schools))
            .map(|(m, n)| (m, n as u32))
            .collect();
        let munis = municipality::Entity::find()
            .filter(municipality::Column::Id.is_in(small.keys().copied()))
            .all(&self.db)
            .await?;
        let regions: HashSet<i32> = munis.iter().filter_map(|m| m.region_id).collect();
        let counties: HashMap<i32, String> = region::Entity::find()
            .filter(region::Column::Id.is_in(regions))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        let mut owners: Vec<SmallOwner> = munis
            .into_iter()
            .filter_map(|m| {
                Some(SmallOwner {
                    schools: small[&m.id],
                    county: m
                        .region_id
                        .and_then(|r| counties.get(&r).cloned())
                        .unwrap_or_default(),
                    at: m.lat.zip(m.lon)?,
                    key: m.external_id,
                    name: m.name,
                })
            })
            .collect();
        owners.sort_by(|a, b| (&a.county, &a.name).cmp(&(&b.county, &b.name)));
        Ok(SmallOwnerList {
            owners,
            with_places,
            places,
        })
    }

    async fn found_owner_network(&self, actor: &str, n: NewOwnerNetwork) -> Result<i32> {
        let name = Title::parse("name", &n.name)?;
        let description = headway_domain::input::Description::parse("description", &n.description)?;
        let most = SmallOwnerRules::SIZES.end() + 1;
        if !(2..=most).contains(&n.owners.len()) {
            let range = Problem::OutOfRange {
                min: 2.0,
                max: most as f64,
            };
            return Err(InputError::new("owners", range).into());
        }
        let mut seen = HashSet::new();
        if let Some(k) = n.owners.iter().find(|k| !seen.insert(k.as_str())) {
            let twice = Problem::Repeated { value: k.clone() };
            return Err(InputError::new("owners", twice).into());
        }
        let txn = self.begin_write().await?;
        let orgs: HashMap<String, i32> = organization::Entity::find()
            .select_only()
            .columns([organization::Column::ExternalId, organization::Column::Id])
            .filter(organization::Column::ExternalId.is_in(n.owners.iter().cloned()))
            .filter(organization::Column::ExternalId.starts_with(PREFIX))
            .into_tuple::<(String, i32)>()
            .all(&*txn)
            .await?
            .into_iter()
            .collect();
        if let Some(k) = n.owners.iter().find(|k| !orgs.contains_key(k.as_str())) {
            let unknown = Problem::NotOneOf {
                value: k.clone(),
                allowed: "Norwegian school owners (no:kommune:NNNN)".into(),
            };
            return Err(InputError::new("owners", unknown).into());
        }
        let now = crate::now();
        let net = network::ActiveModel {
            kind: Set(NetworkKind::OwnerNetwork.code().into()),
            name: Set(name.as_str().into()),
            country: Set(Country::Norway.code().into()),
            programme_id: Set(None),
            parent_id: Set(None),
            starts_on: Set(now[..10].to_owned()),
            ends_on: Set(None),
            description: Set(description.as_str().into()),
            created_at: Set(now.clone()),
            updated_at: Set(now.clone()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        network_org::Entity::insert_many(n.owners.iter().enumerate().map(|(i, k)| {
            network_org::ActiveModel {
                network_id: Set(net.id),
                organization_id: Set(orgs[k.as_str()]),
                role: Set(OrgRole::Member.code().into()),
                position: Set(i as i32 + 1),
                declines_hosting: Set(false),
            }
        }))
        .exec_without_returning(&*txn)
        .await?;
        membership::ActiveModel {
            account_id: Set(Some(n.coordinator)),
            person_id: Set(None),
            context_kind: Set(ContextKind::Network.code().into()),
            context_id: Set(net.id),
            role: Set(ContextRole::NetworkCoordinator.code().into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "network.create",
            subject: &format!("network:{}", net.id),
            detail: &format!("{} ({})", name.as_str(), n.owners.join(", ")),
        })
        .await?;
        Ok(net.id)
    }
}
