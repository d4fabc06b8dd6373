//! Who a round groups: registered leaders (described by their first school), organisations
//! of the directory, or a network's member organisations; and who met in earlier rounds.

use super::entities::round;
use super::entities::round_group;
use crate::entities::register::{leader, leader_school};
use crate::entities::{membership, municipality, organization, person, region};
use crate::networks::entities::network_org;
use crate::{Result, Store};
use headway_domain::directory::OrgKind;
use headway_domain::memberships::ContextKind;
use headway_domain::register::LeaderStatus;
use headway_domain::rounds::{pupil_band, MemberKey, Population, PopulationKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// One member of a population.
#[derive(Debug, Clone, PartialEq)]
pub struct PopMember {
    /// `p<person id>` or `o<organisation id>`.
    pub key: MemberKey,
    pub name: String,
    /// In the order of `ProfileAttribute::ALL`; empty when unknown.
    pub values: Vec<String>,
    pub at: Option<(f64, f64)>,
}

/// Region names by municipality.
async fn regions(s: &Store) -> Result<HashMap<i32, (i32, String)>> {
    let names: HashMap<i32, String> = region::Entity::find()
        .all(&s.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    Ok(municipality::Entity::find()
        .all(&s.db)
        .await?
        .into_iter()
        .filter_map(|m| {
            let r = m.region_id?;
            Some((m.id, (r, names.get(&r).cloned().unwrap_or_default())))
        })
        .collect())
}

/// Attribute values and place.
type Profile = (Vec<String>, Option<(f64, f64)>);

/// An organisation's profile, or `None` when it lies outside the filter.
fn profile(
    o: &organization::Model,
    regions: &HashMap<i32, (i32, String)>,
    p: &Population,
) -> Option<Profile> {
    let region = o.municipality_id.and_then(|m| regions.get(&m));
    if p.country.is_some_and(|c| c.code() != o.country) {
        return None;
    }
    if p.region.is_some() && region.map(|r| r.0) != p.region {
        return None;
    }
    let values = vec![
        region.map(|r| r.1.clone()).unwrap_or_default(),
        o.school_type.clone().unwrap_or_default(),
        o.environment.clone().unwrap_or_default(),
        o.governance.clone().unwrap_or_default(),
        pupil_band(o.pupils).to_owned(),
    ];
    Some((values, o.lat.zip(o.lon)))
}

pub(super) async fn load(s: &Store, network: i32, p: &Population) -> Result<Vec<PopMember>> {
    let regions = regions(s).await?;
    let mut out = match p.kind {
        PopulationKind::Leaders => leaders(s, &regions, p).await?,
        PopulationKind::Organizations => {
            let kind = p.org_kind.unwrap_or(OrgKind::School);
            let mut q =
                organization::Entity::find().filter(organization::Column::Kind.eq(kind.code()));
            if let Some(c) = p.country {
                q = q.filter(organization::Column::Country.eq(c.code()));
            }
            orgs(q.all(&s.db).await?, &regions, p)
        }
        PopulationKind::NetworkMembers => {
            let ids: Vec<i32> = network_org::Entity::find()
                .filter(network_org::Column::NetworkId.eq(network))
                .all(&s.db)
                .await?
                .into_iter()
                .map(|m| m.organization_id)
                .collect();
            let rows = organization::Entity::find()
                .filter(organization::Column::Id.is_in(ids))
                .all(&s.db)
                .await?;
            orgs(rows, &regions, p)
        }
    };
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

fn orgs(
    rows: Vec<organization::Model>,
    regions: &HashMap<i32, (i32, String)>,
    p: &Population,
) -> Vec<PopMember> {
    rows.iter()
        .filter_map(|o| {
            let (values, at) = profile(o, regions, p)?;
            Some(PopMember {
                key: format!("o{}", o.id),
                name: o.name.clone(),
                values,
                at,
            })
        })
        .collect()
}

async fn leaders(
    s: &Store,
    regions: &HashMap<i32, (i32, String)>,
    p: &Population,
) -> Result<Vec<PopMember>> {
    let registered = [LeaderStatus::Registered, LeaderStatus::Conditional].map(|x| x.code());
    let leaders = leader::Entity::find()
        .filter(leader::Column::Status.is_in(registered))
        .all(&s.db)
        .await?;
    // Each leader's first school (lowest id), one query.
    let mut school: BTreeMap<i32, i32> = BTreeMap::new();
    for ls in leader_school::Entity::find()
        .order_by_asc(leader_school::Column::OrganizationId)
        .all(&s.db)
        .await?
    {
        school.entry(ls.leader_id).or_insert(ls.organization_id);
    }
    let mut org_ids: Vec<i32> = leaders
        .iter()
        .filter_map(|l| school.get(&l.id).copied())
        .collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let mut orgs: HashMap<i32, organization::Model> = HashMap::new();
    for chunk in org_ids.chunks(5000) {
        for o in organization::Entity::find()
            .filter(organization::Column::Id.is_in(chunk.to_vec()))
            .all(&s.db)
            .await?
        {
            orgs.insert(o.id, o);
        }
    }
    let mut names: HashMap<i32, String> = HashMap::new();
    let person_ids: Vec<i32> = leaders.iter().map(|l| l.person_id).collect();
    for chunk in person_ids.chunks(5000) {
        for pr in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .all(&s.db)
            .await?
        {
            names.insert(pr.id, format!("{} {}", pr.given_name, pr.family_name));
        }
    }
    Ok(leaders
        .iter()
        .filter_map(|l| {
            let o = orgs.get(school.get(&l.id)?)?;
            let (values, at) = profile(o, regions, p)?;
            Some(PopMember {
                key: format!("p{}", l.person_id),
                name: names.get(&l.person_id).cloned().unwrap_or_default(),
                values,
                at,
            })
        })
        .collect())
}

pub(super) async fn earlier_pairs(s: &Store, network: i32) -> Result<Vec<(MemberKey, MemberKey)>> {
    let rounds: Vec<i32> = round::Entity::find()
        .filter(round::Column::NetworkId.eq(network))
        .select_only()
        .column(round::Column::Id)
        .into_tuple()
        .all(&s.db)
        .await?;
    let groups: Vec<i32> = round_group::Entity::find()
        .filter(round_group::Column::RoundId.is_in(rounds))
        .all(&s.db)
        .await?
        .into_iter()
        .map(|g| g.network_id)
        .collect();
    let mut members: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for m in membership::Entity::find()
        .filter(membership::Column::ContextKind.eq(ContextKind::Network.code()))
        .filter(membership::Column::ContextId.is_in(groups.clone()))
        .all(&s.db)
        .await?
    {
        if let Some(p) = m.person_id {
            members
                .entry(m.context_id)
                .or_default()
                .push(format!("p{p}"));
        }
    }
    for o in network_org::Entity::find()
        .filter(network_org::Column::NetworkId.is_in(groups))
        .all(&s.db)
        .await?
    {
        members
            .entry(o.network_id)
            .or_default()
            .push(format!("o{}", o.organization_id));
    }
    let mut pairs = Vec::new();
    for keys in members.values_mut() {
        keys.sort();
        keys.dedup();
        for (k, a) in keys.iter().enumerate() {
            for b in &keys[k + 1..] {
                pairs.push((a.clone(), b.clone()));
            }
        }
    }
    Ok(pairs)
}
