//! Reading the directory: search, organisation pages, counts.

use crate::entities::{municipality, organization, person, position, region};
use crate::{Result, Store, StoreError};
use headway_domain::directory::{Country, OrgKind};
use headway_domain::text;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// A directory search. Terms are folded, so `sercer` finds `Šercer`.
#[derive(Debug, Clone, Default)]
pub struct OrgQuery {
    pub q: Option<String>,
    pub country: Option<Country>,
    pub kind: Option<OrgKind>,
    pub municipality_id: Option<i32>,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

/// One row of a search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgSummary {
    pub id: i32,
    pub external_id: String,
    pub name: String,
    pub kind: OrgKind,
    pub country: Country,
    pub municipality: Option<String>,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgPage {
    pub items: Vec<OrgSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// Everything the organisation page shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgDetail {
    pub summary: OrgSummary,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub school_type: Option<String>,
    pub environment: Option<String>,
    pub governance: Option<String>,
    pub pupils: Option<i64>,
    pub website: Option<String>,
    pub region: Option<String>,
    pub parent: Option<(i32, String)>,
    pub children: u64,
}

/// A person's position at an organisation, as listed on its page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PositionRow {
    pub person_id: i32,
    pub name: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
}

/// Directory totals for the home page and the acceptance checks.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct DirectoryCounts {
    pub municipalities: HashMap<String, u64>,
    pub organizations: u64,
    pub people: u64,
}

pub(crate) fn parse_summary(
    m: organization::Model,
    munis: &HashMap<i32, String>,
) -> Result<OrgSummary> {
    Ok(OrgSummary {
        kind: OrgKind::parse(&m.kind).map_err(|e| StoreError::Internal(e.to_string()))?,
        country: Country::parse(&m.country).map_err(|e| StoreError::Internal(e.to_string()))?,
        municipality: m.municipality_id.and_then(|id| munis.get(&id).cloned()),
        id: m.id,
        external_id: m.external_id,
        name: m.name,
        city: m.city,
        lat: m.lat,
        lon: m.lon,
    })
}

impl Store {
    /// Every municipality's name by id.
    pub(crate) async fn municipality_name_map(&self) -> Result<HashMap<i32, String>> {
        Ok(municipality::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect())
    }

    /// Searches organisations: every folded term must occur in the search key.
    /// Three queries whatever the page size: the count, the page, and the page's
    /// municipality names.
    pub async fn search_organizations(&self, q: &OrgQuery) -> Result<OrgPage> {
        let per_page = q.per_page.clamp(1, 200);
        let page = q.page.max(1);
        let mut cond = Condition::all();
        if let Some(c) = q.country {
            cond = cond.add(organization::Column::Country.eq(c.code()));
        }
        if let Some(k) = q.kind {
            cond = cond.add(organization::Column::Kind.eq(k.code()));
        }
        if let Some(m) = q.municipality_id {
            cond = cond.add(organization::Column::MunicipalityId.eq(m));
        }
        for t in text::terms(q.q.as_deref().unwrap_or(""), 8) {
            // Folding leaves only letters, digits and single spaces: no LIKE wildcards.
            cond = cond.add(Expr::col(organization::Column::SearchKey).like(format!("%{t}%")));
        }
        let base = organization::Entity::find().filter(cond);
        let total = base.clone().count(&self.db).await?;
        let rows = base
            .order_by_asc(organization::Column::Name)
            .order_by_asc(organization::Column::Id)
            .offset((page - 1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await?;
        let munis = self
            .municipality_names(rows.iter().filter_map(|r| r.municipality_id))
            .await?;
        let items = rows
            .into_iter()
            .map(|m| parse_summary(m, &munis))
            .collect::<Result<Vec<_>>>()?;
        Ok(OrgPage {
            items,
            total,
            page,
            per_page,
        })
    }

    pub(crate) async fn municipality_names(
        &self,
        ids: impl Iterator<Item = i32>,
    ) -> Result<HashMap<i32, String>> {
        let mut ids: Vec<i32> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(municipality::Entity::find()
            .filter(municipality::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect())
    }

    pub async fn organization(&self, id: i32) -> Result<OrgDetail> {
        let m = organization::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let muni = match m.municipality_id {
            Some(mid) => municipality::Entity::find_by_id(mid).one(&self.db).await?,
            None => None,
        };
        let region = match muni.as_ref().and_then(|m| m.region_id) {
            Some(rid) => region::Entity::find_by_id(rid)
                .one(&self.db)
                .await?
                .map(|r| r.name),
            None => None,
        };
        let parent = match m.parent_id {
            Some(pid) => organization::Entity::find_by_id(pid)
                .one(&self.db)
                .await?
                .map(|p| (p.id, p.name)),
            None => None,
        };
        let children = organization::Entity::find()
            .filter(organization::Column::ParentId.eq(id))
            .count(&self.db)
            .await?;
        let munis: HashMap<i32, String> = muni.iter().map(|x| (x.id, x.name.clone())).collect();
        Ok(OrgDetail {
            address: m.address.clone(),
            postcode: m.postcode.clone(),
            school_type: m.school_type.clone(),
            environment: m.environment.clone(),
            governance: m.governance.clone(),
            pupils: m.pupils,
            website: m.website.clone(),
            region,
            parent,
            children,
            summary: parse_summary(m, &munis)?,
        })
    }

    /// The id of the organisation with this source-register id (`nl:vestiging:32JK00`).
    pub async fn organization_id(&self, external_id: &str) -> Result<Option<i32>> {
        Ok(organization::Entity::find()
            .select_only()
            .column(organization::Column::Id)
            .filter(organization::Column::ExternalId.eq(external_id))
            .into_tuple::<i32>()
            .one(&self.db)
            .await?)
    }

    /// Organisations directly under `parent` (a board's schools), by name.
    pub async fn child_organizations(&self, parent: i32, limit: u64) -> Result<Vec<OrgSummary>> {
        let rows = organization::Entity::find()
            .filter(organization::Column::ParentId.eq(parent))
            .order_by_asc(organization::Column::Name)
            .limit(limit)
            .all(&self.db)
            .await?;
        let munis = self
            .municipality_names(rows.iter().filter_map(|r| r.municipality_id))
            .await?;
        rows.into_iter().map(|m| parse_summary(m, &munis)).collect()
    }

    /// Current and past positions at an organisation, with names; two queries.
    pub async fn positions_at(&self, org: i32) -> Result<Vec<PositionRow>> {
        let pos = position::Entity::find()
            .filter(position::Column::OrganizationId.eq(org))
            .order_by_asc(position::Column::StartsOn)
            .all(&self.db)
            .await?;
        let ids: Vec<i32> = pos.iter().map(|p| p.person_id).collect();
        let people: HashMap<i32, person::Model> = if ids.is_empty() {
            HashMap::new()
        } else {
            person::Entity::find()
                .filter(person::Column::Id.is_in(ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect()
        };
        Ok(pos
            .into_iter()
            .filter_map(|p| {
                people.get(&p.person_id).map(|person| PositionRow {
                    person_id: p.person_id,
                    name: format!("{} {}", person.given_name, person.family_name),
                    title: p.title,
                    starts_on: p.starts_on,
                    ends_on: p.ends_on,
                })
            })
            .collect())
    }

    /// Whether `org` is `ancestor` or lies below it (a school under a board).
    pub async fn is_within(&self, org: i32, ancestor: i32) -> Result<bool> {
        let mut cur = Some(org);
        // The hierarchy is shallow (owner → school centre → unit); bound the walk anyway.
        for _ in 0..8 {
            match cur {
                Some(id) if id == ancestor => return Ok(true),
                Some(id) => {
                    cur = organization::Entity::find_by_id(id)
                        .one(&self.db)
                        .await?
                        .and_then(|o| o.parent_id)
                }
                None => return Ok(false),
            }
        }
        Ok(false)
    }

    /// [`Self::directory_counts`], counted again at most every 30 s or after a write of
    /// this process ([`crate::fresh`]).
    pub async fn directory_counts_cached(&self) -> Result<DirectoryCounts> {
        let counts = self
            .directory_counts
            .get(&self.writes, async |c: &mut Option<DirectoryCounts>| {
                *c = Some(self.directory_counts().await?);
                Ok(())
            })
            .await?;
        Ok(counts.clone().unwrap_or_default())
    }

    pub async fn directory_counts(&self) -> Result<DirectoryCounts> {
        let mut municipalities = HashMap::new();
        for c in Country::ALL {
            let n = municipality::Entity::find()
                .filter(municipality::Column::Country.eq(c.code()))
                .count(&self.db)
                .await?;
            municipalities.insert(c.code().to_owned(), n);
        }
        Ok(DirectoryCounts {
            municipalities,
            organizations: organization::Entity::find().count(&self.db).await?,
            people: person::Entity::find().count(&self.db).await?,
        })
    }

    /// Counts organisations of a kind in a country.
    pub async fn count_organizations(&self, country: Country, kind: OrgKind) -> Result<u64> {
        Ok(organization::Entity::find()
            .filter(organization::Column::Country.eq(country.code()))
            .filter(organization::Column::Kind.eq(kind.code()))
            .count(&self.db)
            .await?)
    }

    /// Members of a level-2 region (Follo …), by name.
    pub async fn region_by_name(
        &self,
        country: Country,
        name: &str,
    ) -> Result<Option<region::Model>> {
        Ok(region::Entity::find()
            .filter(region::Column::Country.eq(country.code()))
            .filter(region::Column::Name.eq(name))
            .one(&self.db)
            .await?)
    }
}
