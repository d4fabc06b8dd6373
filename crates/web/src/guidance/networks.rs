//! Networks across municipal borders for small school owners (the agency's coordinators):
//! owners with one or a few schools, grouped by the regional grouping into networks of
//! neighbours, on a map; a suggestion becomes an owner network in one step. The page,
//! `/api/v1/guidance/networks` and the founding form share [`suggest`].

use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm, ValidQuery};
use crate::policy::can::AssessOwners;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::Json;
use headway_domain::guidance::places::{span_km, SmallOwner, SmallOwnerRules};
use headway_grouping::request::{plan, GroupRequest, Member, Mode};
use headway_grouping::run::{run, RunOptions};
use headway_store::guidance::{NewOwnerNetwork, SmallOwnerList, SmallOwners};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SmallOwnerParams {
    /// Owners with at most this many schools (1–10); the installation's setting when left
    /// out.
    #[param(minimum = 1, maximum = 10)]
    pub max_schools: Option<u32>,
    /// About this many owners per network (3–12), one fewer or more allowed.
    #[param(minimum = 3, maximum = 12)]
    pub size: Option<usize>,
}

impl SmallOwnerParams {
    fn rules(&self, state: &AppState) -> AppResult<SmallOwnerRules> {
        let d = state.config.small_owners;
        Ok(SmallOwnerRules::new(
            self.max_schools.unwrap_or(d.max_schools),
            self.size.unwrap_or(d.size),
        )?)
    }
}

/// A suggested network: neighbouring small owners.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestedNetwork {
    /// By county, then name.
    pub owners: Vec<OwnerDto>,
    /// Their schools together.
    pub schools: u32,
    /// The longest distance between two of its owners' centres, in km.
    pub span_km: f64,
}

/// A small owner.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OwnerDto {
    /// `no:kommune:` and the municipality number.
    pub unit: String,
    pub name: String,
    pub county: String,
    pub schools: u32,
    pub lat: f64,
    pub lon: f64,
}

impl From<&SmallOwner> for OwnerDto {
    fn from(o: &SmallOwner) -> Self {
        Self {
            unit: o.key.clone(),
            name: o.name.clone(),
            county: o.county.clone(),
            schools: o.schools,
            lat: o.at.0,
            lon: o.at.1,
        }
    }
}

/// The small owners, how they were counted, and the networks suggested.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestionsDto {
    pub max_schools: u32,
    pub size: usize,
    /// The smallest and largest network.
    pub min: usize,
    pub max: usize,
    /// Municipalities with at least one school in the school places.
    pub municipalities_with_schools: usize,
    pub small_owners: usize,
    pub networks: Vec<SuggestedNetwork>,
}

/// Groups `owners` into networks of neighbours by the regional grouping: the same search
/// as a round of regional groups, with a fixed seed and step budget so that the same
/// owners always get the same suggestion.
pub fn suggest(owners: &[SmallOwner], rules: SmallOwnerRules) -> Vec<SuggestedNetwork> {
    let n = owners.len();
    let (min, max) = rules.bounds();
    let groups: Vec<Vec<usize>> = if n < 2 {
        vec![]
    } else if n <= max {
        vec![(0..n).collect()]
    } else {
        let members: Vec<Member> = owners
            .iter()
            .map(|o| Member {
                values: vec![],
                at: Some(o.at),
            })
            .collect();
        // A count the bounds cannot split (7 owners in networks of 4–6) may use smaller
        // networks, down to pairs.
        let outcome = [min, 2].into_iter().find_map(|min| {
            let req = GroupRequest {
                mode: Mode::Regional,
                size: rules.size,
                min: Some(min),
                max: Some(max),
                attributes: vec![],
                keep_apart: vec![],
                keep_together: vec![],
                hosts: vec![],
                avoid: vec![],
            };
            let p = plan(&req, &members).ok()?;
            run(
                &p,
                &RunOptions {
                    seed: 18,
                    time_limit: Duration::from_secs(10),
                    max_steps: Some(10_000),
                    threads: 1,
                    cancel: None,
                },
            )
            .ok()
        });
        match outcome {
            Some(o) => {
                let mut g = vec![vec![]; o.groups];
                for (i, &k) in o.assign.iter().enumerate() {
                    g[k].push(i);
                }
                g
            }
            None => vec![(0..n).collect()],
        }
    };
    let mut out: Vec<SuggestedNetwork> = groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| {
            let mut members: Vec<&SmallOwner> = g.iter().map(|&i| &owners[i]).collect();
            members.sort_by(|a, b| (&a.county, &a.name).cmp(&(&b.county, &b.name)));
            let places: Vec<(f64, f64)> = members.iter().map(|o| o.at).collect();
            SuggestedNetwork {
                schools: members.iter().map(|o| o.schools).sum(),
                span_km: span_km(&places),
                owners: members.into_iter().map(OwnerDto::from).collect(),
            }
        })
        .collect();
    // North to south by the network's centre, as the map is read.
    let centre = |s: &SuggestedNetwork| {
        s.owners.iter().map(|o| o.lat).sum::<f64>() / s.owners.len().max(1) as f64
    };
    out.sort_by(|a, b| centre(b).total_cmp(&centre(a)));
    out
}

/// Suggestions by the rules they were made by, with the owners they were made for: a
/// search takes some 0.3 s, and the owners change only when school places are imported.
#[derive(Default)]
pub struct SuggestionCache(Mutex<HashMap<(u32, usize), Suggested>>);

type Suggested = (Vec<SmallOwner>, Arc<Vec<SuggestedNetwork>>);

async fn suggestions(
    state: &AppState,
    rules: SmallOwnerRules,
) -> AppResult<(SmallOwnerList, Arc<Vec<SuggestedNetwork>>)> {
    let list = state.store.small_owners(rules.max_schools).await?;
    let key = (rules.max_schools, rules.size);
    let cache = &state.small_networks.0;
    let hit = {
        let c = cache
            .lock()
            .map_err(|e| AppError::internal(e.to_string()))?;
        c.get(&key)
            .filter(|(owners, _)| *owners == list.owners)
            .map(|(_, n)| n.clone())
    };
    if let Some(networks) = hit {
        return Ok((list, networks));
    }
    let owners = list.owners.clone();
    let networks = tokio::task::spawn_blocking(move || suggest(&owners, rules))
        .await
        .map_err(AppError::internal)?;
    let networks = Arc::new(networks);
    cache
        .lock()
        .map_err(|e| AppError::internal(e.to_string()))?
        .insert(key, (list.owners.clone(), networks.clone()));
    Ok((list, networks))
}

/// Owners with one or a few schools and the networks of neighbours suggested to them.
#[utoipa::path(
    get,
    path = "/api/v1/guidance/networks",
    tag = "guidance",
    params(SmallOwnerParams),
    responses(
        (status = 200, description = "The suggested networks", body = SuggestionsDto),
        (status = 400, description = "A number out of range", body = crate::http::error::ErrorBody),
        (status = 401, description = "Not signed in", body = crate::http::error::ErrorBody),
        (status = 403, description = "Not one of the agency's coordinators", body = crate::http::error::ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    _who: Authorized<AssessOwners>,
    ValidQuery(p): ValidQuery<SmallOwnerParams>,
) -> AppResult<Json<SuggestionsDto>> {
    let rules = p.rules(&state)?;
    let (list, networks) = suggestions(&state, rules).await?;
    let (min, max) = rules.bounds();
    Ok(Json(SuggestionsDto {
        max_schools: rules.max_schools,
        size: rules.size,
        min,
        max,
        municipalities_with_schools: list.with_places,
        small_owners: list.owners.len(),
        networks: networks.to_vec(),
    }))
}

#[derive(Template)]
#[template(path = "guidance/networks.html")]
struct NetworksPage {
    ctx: Ctx,
    rules: SmallOwnerRules,
    min: usize,
    max: usize,
    schools_choices: Vec<u32>,
    size_choices: Vec<usize>,
    list: SmallOwnerList,
    networks: Vec<(SuggestedNetwork, String, String)>,
    map: String,
}

pub async fn page(
    State(state): State<AppState>,
    _who: Authorized<AssessOwners>,
    ctx: Ctx,
    ValidQuery(p): ValidQuery<SmallOwnerParams>,
) -> AppResult<Html<String>> {
    let rules = p.rules(&state)?;
    let (list, networks) = suggestions(&state, rules).await?;
    let places: Vec<crate::ui::map::PlacedGroup> = networks
        .iter()
        .map(|n| (n.owners.iter().map(|o| (o.lat, o.lon)).collect(), None))
        .collect();
    let label = ctx
        .tr
        .args("guid-net-map", &[("count", &networks.len().to_string())]);
    let map = state
        .maps
        .get("NO")
        .map(|m| m.svg_groups(&places, &label))
        .unwrap_or_default();
    let networks = networks
        .iter()
        .cloned()
        .map(|n| {
            let names: Vec<&str> = n.owners.iter().map(|o| o.name.as_str()).collect();
            let name = ctx
                .tr
                .args("guid-net-default-name", &[("names", &names.join(", "))]);
            let span = ctx.decimal(n.span_km, 0);
            (n, name, span)
        })
        .collect();
    let (min, max) = rules.bounds();
    render(&NetworksPage {
        ctx,
        rules,
        min,
        max,
        schools_choices: SmallOwnerRules::SCHOOLS.collect(),
        size_choices: SmallOwnerRules::SIZES.collect(),
        list,
        networks,
        map,
    })
}

#[derive(Debug, Deserialize)]
pub struct FoundForm {
    pub name: String,
    /// The owners' keys, comma-separated (`no:kommune:1151,no:kommune:1144`).
    pub owners: String,
}

/// Founds the owner network of a suggestion, with the coordinator as its coordinator.
pub async fn found(
    State(state): State<AppState>,
    who: Authorized<AssessOwners>,
    ctx: Ctx,
    ValidForm(f): ValidForm<FoundForm>,
) -> AppResult<Redirect> {
    let owners: Vec<String> = f
        .owners
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let id = state
        .store
        .found_owner_network(
            &who.0.username,
            NewOwnerNetwork {
                name: f.name,
                owners,
                description: ctx.t("guid-net-description"),
                coordinator: who.0.id,
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/networks/{id}")))
}
