//! `POST /api/v1/networks/{id}/rounds` and `GET /api/v1/rounds/{id}`, and the small script
//! that keeps a round's page current while its groups are formed.

use super::pages::{managed, managed_round, start};
use crate::http::authorize::Authorized;
use crate::http::error::{AppResult, ErrorBody, ValidPath};
use crate::policy::can::CoordinateSomeNetwork;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use headway_domain::directory::{Country, OrgKind};
use headway_domain::rounds::{
    Population, PopulationKind, ProfileAttribute, RoundMode, RoundSpec, Weighted,
};
use headway_store::rounds::RoundView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An attribute with its weight.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AttributeWeight {
    /// `region`, `school_type`, `environment`, `governance` or `pupils`.
    #[schema(pattern = "^(region|school_type|environment|governance|pupils)$")]
    pub attribute: String,
    #[schema(minimum = 0, maximum = 100)]
    pub weight: f64,
    /// Members should share it rather than mix it.
    #[serde(default)]
    pub similar: bool,
}

/// What a round asks for.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoundRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// `leaders`, `organizations` or `network_members`.
    #[schema(pattern = "^(leaders|organizations|network_members)$")]
    pub population: String,
    /// `NL`, `NO` or `SI`; required for organisations.
    #[schema(pattern = "^(NL|NO|SI)$")]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "crate::http::whole::whole")]
    pub region: Option<i32>,
    /// An organisation kind (`school` when not given).
    #[schema(
        pattern = "^(owner|board|school|kindergarten|school_centre|music_school|dormitory|provider|agency)$"
    )]
    pub org_kind: Option<String>,
    /// `diverse`, `regional` or `balanced`.
    #[schema(pattern = "^(diverse|regional|balanced)$")]
    pub mode: String,
    #[schema(minimum = 2, maximum = 200)]
    #[serde(deserialize_with = "crate::http::whole::whole_required")]
    pub size: u32,
    #[serde(default, deserialize_with = "crate::http::whole::whole")]
    pub min: Option<u32>,
    #[serde(default, deserialize_with = "crate::http::whole::whole")]
    pub max: Option<u32>,
    #[serde(default)]
    pub attributes: Vec<AttributeWeight>,
    /// Pairs of member keys (`[["p12", "p40"]]`): two different keys each.
    #[serde(default)]
    pub keep_apart: Vec<Vec<String>>,
    #[serde(default)]
    pub keep_together: Vec<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub host_per_group: bool,
    #[serde(default)]
    pub avoid_earlier: bool,
    /// The search's time limit.
    #[schema(minimum = 1, maximum = 120)]
    #[serde(default, deserialize_with = "crate::http::whole::whole")]
    pub seconds: Option<u32>,
    pub question: Option<String>,
    /// What facilitators tag the aspects of a conversation round with (its basic
    /// competences), at most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub competences: Vec<String>,
}

impl RoundRequest {
    fn to_spec(&self) -> AppResult<RoundSpec> {
        let spec = RoundSpec {
            title: self.title.clone(),
            population: Population {
                kind: PopulationKind::parse(&self.population)?,
                country: self.country.as_deref().map(Country::parse).transpose()?,
                region: self.region,
                org_kind: self.org_kind.as_deref().map(OrgKind::parse).transpose()?,
            },
            mode: RoundMode::parse(&self.mode)?,
            size: self.size as usize,
            min: self.min.map(|v| v as usize),
            max: self.max.map(|v| v as usize),
            attributes: self
                .attributes
                .iter()
                .map(|a| {
                    Ok(Weighted {
                        attribute: ProfileAttribute::parse(&a.attribute)?,
                        weight: a.weight,
                        similar: a.similar,
                    })
                })
                .collect::<Result<_, headway_domain::input::InputError>>()?,
            keep_apart: pairs("keep_apart", &self.keep_apart)?,
            keep_together: pairs("keep_together", &self.keep_together)?,
            hosts: self.hosts.clone(),
            host_per_group: self.host_per_group,
            avoid_earlier: self.avoid_earlier,
            seconds: self.seconds.unwrap_or(10),
            question: self.question.clone(),
            competences: self.competences.clone(),
        };
        // Every field parses: what remains are fields that do not fit together or the rules.
        spec.check()
            .map_err(|e| crate::http::error::AppError::from(e).into_conflict())?;
        Ok(spec)
    }
}

/// Pairs of two different keys; anything else is a conflict that names the field.
fn pairs(field: &'static str, v: &[Vec<String>]) -> AppResult<Vec<(String, String)>> {
    v.iter()
        .map(|p| match p.as_slice() {
            [a, b] if a != b => Ok((a.clone(), b.clone())),
            _ => Err(
                crate::http::error::AppError::from(headway_domain::input::InputError::new(
                    field,
                    headway_domain::input::Problem::NotOneOf {
                        value: p.join(" ").chars().take(40).collect(),
                        allowed: "two different member keys".into(),
                    },
                ))
                .into_conflict(),
            ),
        })
        .collect()
}

/// A member of a group.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberDto {
    pub key: String,
    pub name: String,
    pub host: bool,
    /// What the member adds to its group.
    pub contribution: f64,
    /// The best other group (from 1) and the objective lost by moving there.
    pub best_alternative: Option<usize>,
    pub move_cost: f64,
}

/// A group of the draft or of the published round.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDto {
    /// From 1.
    pub number: usize,
    /// The group's network, once published.
    pub network_id: Option<i32>,
    pub members: Vec<MemberDto>,
}

/// A round: where its search stands and, once formed, its groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundDto {
    pub id: i32,
    pub network_id: i32,
    pub title: String,
    /// `forming`, `draft` or `published`.
    pub status: String,
    /// The search's job: `queued`, `running`, `done`, `failed` or `cancelled`.
    pub job_status: Option<String>,
    /// From 0 to 1000.
    pub progress: i32,
    pub error: Option<String>,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub groups: Vec<GroupDto>,
}

impl From<RoundView> for RoundDto {
    fn from(r: RoundView) -> Self {
        let groups = r
            .draft
            .as_ref()
            .map(|d| {
                d.group_members()
                    .into_iter()
                    .enumerate()
                    .map(|(g, members)| GroupDto {
                        number: g + 1,
                        network_id: r.group_networks.get(g).copied(),
                        members: members
                            .into_iter()
                            .map(|i| {
                                let m = &d.members[i];
                                MemberDto {
                                    key: m.key.clone(),
                                    name: m.name.clone(),
                                    host: d.hosts.get(g).copied().flatten() == Some(i),
                                    contribution: m.contribution,
                                    best_alternative: m.best_alternative.map(|g| g + 1),
                                    move_cost: m.move_cost,
                                }
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        RoundDto {
            id: r.id,
            network_id: r.network_id,
            title: r.spec.title.clone(),
            status: r.status.code().into(),
            job_status: r.job.as_ref().map(|j| j.status.code().into()),
            progress: r.job.as_ref().map(|j| j.progress).unwrap_or(0),
            error: r.job.as_ref().and_then(|j| j.error.clone()),
            objective: r.draft.as_ref().map(|d| d.objective),
            bound: r.draft.as_ref().and_then(|d| d.bound),
            groups,
        }
    }
}

/// Starts a round: the population is read and the request checked against it (bounds
/// that cannot be met, pairs or hosts outside it are refused, nothing kept); the groups
/// are formed in the background.
#[utoipa::path(
    post,
    path = "/api/v1/networks/{id}/rounds",
    tag = "rounds",
    params(("id" = i32, Path, description = "The network")),
    request_body = RoundRequest,
    responses(
        (status = 202, description = "The round, its search queued", body = RoundDto),
        (status = 400, description = "A value does not parse; the message names the field", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator of this network", body = ErrorBody),
        (status = 404, description = "No such network", body = ErrorBody),
        (status = 409, description = "The request cannot be met (bounds, pairs or hosts against the population, fields that do not fit together); the message names the conflict", body = ErrorBody),
        (status = 413, description = "Too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The body does not fit the schema", body = ErrorBody),
    )
)]
pub async fn start_round(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
    body: crate::http::error::ValidJson<RoundRequest>,
) -> AppResult<Response> {
    managed(&state, &me, id).await?;
    let spec = body.0.to_spec()?;
    let round = start(&state, &me, id, &spec)
        .await
        .map_err(crate::http::error::AppError::into_conflict)?;
    let view = managed_round(&state, &me, round).await?;
    Ok((StatusCode::ACCEPTED, Json(RoundDto::from(view))).into_response())
}

/// A round: status, progress and, once formed, its groups with each member's explanation.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{id}",
    tag = "rounds",
    params(("id" = i32, Path, description = "The round")),
    responses(
        (status = 200, description = "The round", body = RoundDto),
        (status = 400, description = "The id does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator of its network", body = ErrorBody),
        (status = 404, description = "No such round", body = ErrorBody),
    )
)]
pub async fn get_round(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<RoundDto>> {
    Ok(Json(managed_round(&state, &me, id).await?.into()))
}

/// Keeps a round's progress current and reloads the page when the search ends.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/rounds.js"),
    )
        .into_response()
}
