//! The directory: search and organisation pages.

use crate::http::error::{AppError, AppResult};
use crate::http::error::{ValidPath, ValidQuery};
use crate::policy::{allows, Action};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_domain::directory::{Country, OrgKind};
use headway_store::directory::{OrgDetail, OrgPage, OrgQuery, OrgSummary, PositionRow};
use serde::Deserialize;

pub const PER_PAGE: u64 = 25;

/// Pages beyond this are refused (and offsets cannot overflow).
pub const MAX_PAGE: u64 = 1_000_000;

/// Query parameters shared by the page and the API.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find in name, place or municipality; diacritics and case are ignored.
    pub q: Option<String>,
    /// `NL`, `NO` or `SI`.
    #[param(pattern = "^([Nn][Ll]|[Nn][Oo]|[Ss][Ii])?$")]
    pub country: Option<String>,
    /// `owner`, `board`, `school`, `kindergarten`, `school_centre`, `music_school`,
    /// `dormitory`, `provider` or `agency`.
    #[param(
        pattern = "^(owner|board|school|kindergarten|school_centre|music_school|dormitory|provider|agency)?$"
    )]
    pub kind: Option<String>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
}

impl SearchParams {
    /// Validates the filters into a store query; a bad value names the parameter.
    pub fn to_query(&self, per_page: u64) -> AppResult<OrgQuery> {
        let nonempty = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let country = nonempty(&self.country)
            .map(|c| Country::parse(&c))
            .transpose()
            .map_err(|e| AppError::bad_request(format!("country: {e}")))?;
        let kind = nonempty(&self.kind)
            .map(|k| OrgKind::parse(&k))
            .transpose()
            .map_err(|e| AppError::bad_request(format!("kind: {e}")))?;
        match self.page {
            Some(0) => return Err(AppError::bad_request("page: pages start at 1")),
            Some(p) if p > MAX_PAGE => {
                return Err(AppError::bad_request(format!("page: at most {MAX_PAGE}")))
            }
            _ => {}
        }
        Ok(OrgQuery {
            q: nonempty(&self.q),
            country,
            kind,
            municipality_id: None,
            page: self.page.unwrap_or(1),
            per_page,
        })
    }
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    country: String,
    kind: String,
    result: OrgPage,
    countries: &'static [Country],
    kinds: &'static [OrgKind],
    prev_href: Option<String>,
    next_href: Option<String>,
}

fn page_href(q: &OrgQuery, page: u64) -> String {
    let mut pairs: Vec<(&str, String)> = vec![];
    if let Some(v) = &q.q {
        pairs.push(("q", v.clone()));
    }
    if let Some(c) = q.country {
        pairs.push(("country", c.code().into()));
    }
    if let Some(k) = q.kind {
        pairs.push(("kind", k.code().into()));
    }
    pairs.push(("page", page.to_string()));
    format!(
        "/directory?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidQuery(p): ValidQuery<SearchParams>,
) -> AppResult<Html<String>> {
    let query = p.to_query(PER_PAGE)?;
    let result = state.store.search_organizations_indexed(&query).await?;
    let last = result.total.div_ceil(PER_PAGE).max(1);
    render(&SearchPage {
        prev_href: (result.page > 1).then(|| page_href(&query, result.page - 1)),
        next_href: (result.page < last).then(|| page_href(&query, result.page + 1)),
        q: query.q.clone().unwrap_or_default(),
        country: query
            .country
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
        kind: query.kind.map(|k| k.code().to_owned()).unwrap_or_default(),
        ctx,
        result,
        countries: Country::ALL,
        kinds: OrgKind::ALL,
    })
}

#[derive(Template)]
#[template(path = "directory/organization.html")]
struct OrganizationPage {
    ctx: Ctx,
    org: OrgDetail,
    map: String,
    children: Vec<OrgSummary>,
    people: Option<Vec<PositionRow>>,
}

impl OrganizationPage {
    fn env_label(&self, e: &str) -> String {
        self.ctx.t(&format!("env-{e}"))
    }
}

pub async fn organization(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let org = state.store.organization(id).await?;
    let user = ctx.user.clone();
    let own = match user.as_ref().and_then(|u| u.organization_id) {
        Some(mine) => state.store.is_within(id, mine).await?,
        None => false,
    };
    let people = if allows(user.as_ref(), Action::ViewPeople { own }) {
        Some(state.store.positions_at(id).await?)
    } else {
        None
    };
    let children = state.store.child_organizations(id, 200).await?;
    let s = &org.summary;
    let label = ctx.tr.args(
        "org-map-label",
        &[
            ("name", &s.name),
            ("country", &ctx.country_label(&s.country)),
        ],
    );
    let map = state
        .maps
        .get(s.country.code())
        .map(|m| m.svg(s.lat.zip(s.lon), &label))
        .unwrap_or_default();
    render(&OrganizationPage {
        ctx,
        org,
        map,
        children,
        people,
    })
}
