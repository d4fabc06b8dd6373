//! What a conversation round yields: facilitators record the aspects their group raised
//! (`/rounds/{id}/aspects`), the coordinator reads the synthesis by competence and against
//! the groups' composition (`/rounds/{id}/synthesis`) and exports the aspects.

use super::pages::managed;
use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::can::{CoordinateSomeNetwork, FacilitateSomeGroup};
use crate::ui::export::{Cell, Sheet, Table};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::memberships::{ContextRole, Memberships};
use headway_domain::rounds::{synthesize, ProfileAttribute, RoundStatus, Synthesis};
use headway_store::accounts::Account;
use headway_store::networks::NetworkPeople;
use headway_store::rounds::{AspectRow, RoundAspects, RoundView, Rounds};
use serde::Deserialize;

/// The groups (from 0) `me` may record aspects for: every group for whoever manages the
/// round, else the groups whose network `me` coordinates.
async fn recordable(state: &AppState, me: &Account, r: &RoundView) -> Vec<usize> {
    if managed(state, me, r.network_id).await.is_ok() {
        return (0..r.group_networks.len()).collect();
    }
    r.group_networks
        .iter()
        .enumerate()
        .filter(|(_, n)| me.holds(ContextRole::NetworkCoordinator, **n))
        .map(|(g, _)| g)
        .collect()
}

#[derive(Template)]
#[template(path = "rounds/aspects.html")]
struct AspectsPage {
    ctx: Ctx,
    r: RoundView,
    groups: Vec<usize>,
    aspects: Vec<AspectRow>,
    error: Option<String>,
    text: String,
}

impl AspectsPage {
    fn competence(&self, i: &usize) -> &str {
        self.r
            .spec
            .competences
            .get(*i)
            .map(String::as_str)
            .unwrap_or("")
    }
}

async fn aspects_page(
    state: &AppState,
    ctx: Ctx,
    me: &Account,
    id: i32,
    error: Option<String>,
    text: String,
) -> AppResult<Response> {
    let r = state.store.round(id).await?;
    let groups = recordable(state, me, &r).await;
    if groups.is_empty() {
        return Err(AppError::forbidden());
    }
    let aspects = state
        .store
        .aspects(id)
        .await?
        .into_iter()
        .filter(|a| groups.contains(&a.aspect.group))
        .collect();
    let status = if error.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    let mut res = render(&AspectsPage {
        ctx,
        r,
        groups,
        aspects,
        error,
        text,
    })?
    .into_response();
    *res.status_mut() = status;
    Ok(res)
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<FacilitateSomeGroup>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    aspects_page(&state, ctx, &me, id, None, String::new()).await
}

#[derive(Debug, Deserialize)]
pub struct AspectForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    competence: String,
    #[serde(default)]
    text: String,
}

/// A number from 1 as the form sends it, as an index from 0.
fn index(field: &'static str, v: &str) -> Result<usize, headway_domain::input::InputError> {
    v.trim()
        .parse::<usize>()
        .ok()
        .filter(|&n| n >= 1)
        .map(|n| n - 1)
        .ok_or_else(|| {
            headway_domain::input::InputError::new(
                field,
                headway_domain::input::Problem::NotANumber {
                    value: v.chars().take(20).collect(),
                },
            )
        })
}

pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<FacilitateSomeGroup>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<AspectForm>,
) -> AppResult<Response> {
    let r = state.store.round(id).await?;
    let result = async {
        let group = index("group", &f.group)?;
        let competence = index("competence", &f.competence)?;
        if group < r.group_networks.len() && !recordable(&state, &me, &r).await.contains(&group) {
            return Err(AppError::forbidden());
        }
        Ok(state
            .store
            .add_aspect(&me.username, id, group, competence, &f.text)
            .await?)
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/rounds/{id}/aspects")).into_response()),
        Err(e) if e.code == "bad_request" => {
            let error = Some(ctx.error_text(&e));
            aspects_page(&state, ctx, &me, id, error, f.text).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct FacilitatorForm {
    #[serde(default)]
    group: String,
    /// A member key (`p12`): facilitators are people.
    #[serde(default)]
    person: String,
}

/// Names a group's facilitator: the person coordinates the group's network (a membership),
/// so they record its aspects and see its people.
pub async fn name_facilitator(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<FacilitatorForm>,
) -> AppResult<Redirect> {
    let r = super::pages::managed_round(&state, &me, id).await?;
    if r.status != RoundStatus::Published {
        return Err(headway_store::StoreError::from(
            headway_domain::rounds::RoundRule::NotPublished,
        )
        .into());
    }
    let group = index("group", &f.group)?;
    let network = *r.group_networks.get(group).ok_or_else(|| {
        headway_store::StoreError::from(headway_domain::rounds::RoundRule::NoSuchGroup {
            group: group + 1,
        })
    })?;
    let person = f
        .person
        .trim()
        .strip_prefix('p')
        .and_then(|n| n.parse::<i32>().ok())
        .ok_or_else(|| {
            headway_domain::input::InputError::new(
                "person",
                headway_domain::input::Problem::NotOneOf {
                    value: f.person.chars().take(20).collect(),
                    allowed: "p<number>".into(),
                },
            )
        })?;
    state
        .store
        .add_network_person(
            &me.username,
            network,
            person,
            ContextRole::NetworkCoordinator,
        )
        .await?;
    Ok(Redirect::to(&format!("/rounds/{id}")))
}

/// The attributes a synthesis sets the aspects against.
const COMPOSITION: [ProfileAttribute; 4] = [
    ProfileAttribute::Region,
    ProfileAttribute::SchoolType,
    ProfileAttribute::Environment,
    ProfileAttribute::Governance,
];

#[derive(Template)]
#[template(path = "rounds/synthesis.html")]
struct SynthesisPage {
    ctx: Ctx,
    r: RoundView,
    s: Synthesis,
    aspects: Vec<AspectRow>,
}

impl SynthesisPage {
    fn one(&self, v: &f64) -> String {
        format!("{v:.1}")
    }
    /// The aspects of competence `k`.
    fn of(&self, k: &usize) -> Vec<&AspectRow> {
        self.aspects
            .iter()
            .filter(|a| a.aspect.competence == *k)
            .collect()
    }
}

async fn synthesis_of(
    state: &AppState,
    me: &Account,
    id: i32,
) -> AppResult<(RoundView, Synthesis, Vec<AspectRow>)> {
    let r = state.store.round(id).await?;
    managed(state, me, r.network_id).await?;
    if r.status != RoundStatus::Published {
        return Err(AppError::not_found());
    }
    let d = r.draft.as_ref().ok_or_else(AppError::not_found)?;
    let aspects = state.store.aspects(id).await?;
    let plain: Vec<_> = aspects.iter().map(|a| a.aspect.clone()).collect();
    let s = synthesize(r.spec.competences.len(), &plain, d, &COMPOSITION);
    Ok((r, s, aspects))
}

pub async fn synthesis(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let (r, s, aspects) = synthesis_of(&state, &me, id).await?;
    render(&SynthesisPage { ctx, r, s, aspects })
}

async fn table(state: &AppState, me: &Account, id: i32) -> AppResult<Table> {
    let (r, _, aspects) = synthesis_of(state, me, id).await?;
    let d = r.draft.as_ref().ok_or_else(AppError::not_found)?;
    let groups = d.group_members();
    let mut head = vec![
        "group",
        "competence",
        "aspect",
        "recorded_by",
        "recorded_at",
    ];
    head.extend(COMPOSITION.iter().map(|a| a.code()));
    let mut t = Table::new(head);
    for a in aspects {
        let g = a.aspect.group;
        let mut row: Vec<Cell> = vec![
            ((g + 1) as f64).into(),
            r.spec
                .competences
                .get(a.aspect.competence)
                .map(String::as_str)
                .unwrap_or("")
                .into(),
            a.aspect.text.as_str().into(),
            a.recorded_by.as_str().into(),
            a.recorded_at.as_str().into(),
        ];
        // The group's composition per attribute: `Utrecht 3 · Limburg 2`.
        for attr in COMPOSITION {
            let col = ProfileAttribute::ALL
                .iter()
                .position(|x| *x == attr)
                .unwrap_or(0);
            let members = groups.get(g).map(Vec::as_slice).unwrap_or(&[]);
            let values = members.iter().map(|&i| d.members[i].values[col].clone());
            row.push(super::pages::mix(values).into());
        }
        t.push(row);
    }
    Ok(t)
}

/// The aspects with their group's composition, as CSV or XLSX.
pub async fn export<S: Sheet>(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    S::respond(
        &table(&state, &me, id).await?,
        &format!("round-{id}-aspects"),
    )
}
