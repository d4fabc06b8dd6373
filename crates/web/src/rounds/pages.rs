//! The rounds' pages: the form that starts a round, the round's page (progress, the
//! draft's groups with their mix, a hand move with its cost, publishing) and the exports.

use super::form::RoundForm;
use super::forming::{prepare, preview_move, MovePreview};
use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::can::CoordinateSomeNetwork;
use crate::ui::export::{Cell, Sheet, Table};
use crate::ui::mail::FluentLetters;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::directory::OrgKind;
use headway_domain::jobs::JobStatus;
use headway_domain::refusal::Said;
use headway_domain::rounds::{PopulationKind, ProfileAttribute, RoundMode, RoundRule, RoundStatus};
use headway_grouping::run::Broken;
use headway_store::accounts::Account;
use headway_store::jobs::Jobs;
use headway_store::networks::NetworkDetail;
use headway_store::rounds::{RoundView, Rounds};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The network, if `me` may form rounds in it (coordinates it, or the network it sits in).
pub(super) use crate::networks::pages::coordinated as managed;

/// The round, if `me` may manage it.
pub(super) async fn managed_round(state: &AppState, me: &Account, id: i32) -> AppResult<RoundView> {
    let r = state.store.round(id).await?;
    managed(state, me, r.network_id).await?;
    Ok(r)
}

#[derive(Template)]
#[template(path = "rounds/new.html")]
struct NewPage {
    ctx: Ctx,
    n: NetworkDetail,
    f: RoundForm,
    regions: Vec<(i32, String)>,
    error: Option<String>,
}

impl NewPage {
    fn populations(&self) -> &'static [PopulationKind] {
        PopulationKind::ALL
    }
    fn modes(&self) -> &'static [RoundMode] {
        RoundMode::ALL
    }
    fn attributes(&self) -> &'static [ProfileAttribute] {
        ProfileAttribute::ALL
    }
    fn org_kinds(&self) -> &'static [OrgKind] {
        OrgKind::ALL
    }
}

pub async fn new_round(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let n = managed(&state, &me, id).await?;
    let regions = state.store.round_regions(n.summary.country).await?;
    let f = RoundForm::defaults(n.summary.country);
    render(&NewPage {
        ctx,
        n,
        f,
        regions,
        error: None,
    })
}

/// Checks the spec against its population (so bounds, pairs and hosts that cannot be met
/// are refused before anything is kept) and keeps the round with its job.
pub(super) async fn start(
    state: &AppState,
    me: &Account,
    network: i32,
    spec: &headway_domain::rounds::RoundSpec,
) -> AppResult<i32> {
    start_as(&state.store, &me.username, network, spec).await
}

/// Checks a round against its population and keeps it with its job (the form, the API
/// and the demo start rounds through here).
pub async fn start_as(
    store: &headway_store::Store,
    actor: &str,
    network: i32,
    spec: &headway_domain::rounds::RoundSpec,
) -> AppResult<i32> {
    let pop = store.population(network, spec).await?;
    let earlier = if spec.avoid_earlier {
        store.earlier_pairs(network).await?
    } else {
        Vec::new()
    };
    prepare(spec, &pop, &earlier).map_err(headway_store::StoreError::from)?;
    Ok(store.create_round(actor, network, spec).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<RoundForm>,
) -> AppResult<Response> {
    let n = managed(&state, &me, id).await?;
    let result = match f.to_spec() {
        Ok(spec) => start(&state, &me, id, &spec).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(round) => Ok(Redirect::to(&format!("/rounds/{round}")).into_response()),
        Err(e) if e.code == "bad_request" => {
            let regions = state.store.round_regions(n.summary.country).await?;
            let error = Some(ctx.error_text(&e));
            let mut res = render(&NewPage {
                ctx,
                n,
                f,
                regions,
                error,
            })?
            .into_response();
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

/// One group as the page shows it.
struct GroupView {
    number: usize,
    host: Option<String>,
    /// Per chosen attribute: its label and the mix (`Utrecht 2 · Gelderland 1`).
    mix: Vec<(String, String)>,
    members: Vec<usize>,
    network: Option<i32>,
}

#[derive(Template)]
#[template(path = "rounds/round.html")]
struct RoundPage {
    ctx: Ctx,
    r: RoundView,
    groups: Vec<GroupView>,
    /// The chosen attributes' columns in a member's values.
    columns: Vec<(String, usize)>,
    preview: Option<MovePreview>,
    /// A failed job's reason, in the reader's language.
    failure: Option<String>,
    error: Option<String>,
    /// Regional groups on the country's map.
    map: String,
}

impl RoundPage {
    fn running(&self) -> bool {
        self.r
            .job
            .as_ref()
            .is_some_and(|j| matches!(j.status, JobStatus::Queued | JobStatus::Running))
    }
    fn restartable(&self) -> bool {
        self.r.status != RoundStatus::Published
            && self
                .r
                .job
                .as_ref()
                .is_some_and(|j| matches!(j.status, JobStatus::Failed | JobStatus::Cancelled))
    }
    fn is_draft(&self) -> bool {
        self.r.status == RoundStatus::Draft && !self.running()
    }
    fn gap(&self) -> String {
        match self
            .r
            .draft
            .as_ref()
            .and_then(|d| Some((d.objective, d.bound?)))
        {
            Some((o, b)) if b > 0.0 => format!("{:.2} %", 100.0 * (b - o) / b),
            _ => String::new(),
        }
    }
    fn percent(&self) -> i32 {
        self.r.job.as_ref().map(|j| j.progress / 10).unwrap_or(0)
    }
    /// A broken constraint of the preview, in the reader's language.
    fn breaks(&self, b: &Broken) -> String {
        let name = |i: &usize| {
            self.shown()
                .and_then(|d| d.members.get(*i))
                .map(|m| format!("{} ({})", m.name, m.key))
                .unwrap_or_default()
        };
        let tr = &self.ctx.tr;
        match b {
            Broken::TooSmall { group, size, min } => tr.args(
                "round-b-too-small",
                &[
                    ("group", &(group + 1).to_string()),
                    ("size", &size.to_string()),
                    ("min", &min.to_string()),
                ],
            ),
            Broken::TooLarge { group, size, max } => tr.args(
                "round-b-too-large",
                &[
                    ("group", &(group + 1).to_string()),
                    ("size", &size.to_string()),
                    ("max", &max.to_string()),
                ],
            ),
            Broken::KeptApart(a, b) => {
                tr.args("round-b-apart", &[("a", &name(a)), ("b", &name(b))])
            }
            Broken::KeptTogether(a, b) => {
                tr.args("round-b-together", &[("a", &name(a)), ("b", &name(b))])
            }
            Broken::Host { group } => tr.a("round-b-host", "group", &(group + 1).to_string()),
            Broken::MetBefore(a, b) => tr.args("round-b-met", &[("a", &name(a)), ("b", &name(b))]),
        }
    }

    fn shown(&self) -> Option<&headway_domain::rounds::Draft> {
        self.preview
            .as_ref()
            .map(|p| &p.moved)
            .or(self.r.draft.as_ref())
    }
    fn fmt(&self, v: impl Figure) -> String {
        format!("{:.3}", v.value())
    }
}

/// A figure however many references a template wraps it in.
trait Figure {
    fn value(&self) -> f64;
}

impl Figure for f64 {
    fn value(&self) -> f64 {
        *self
    }
}

impl<T: Figure> Figure for &T {
    fn value(&self) -> f64 {
        (**self).value()
    }
}

pub(super) fn mix(values: impl Iterator<Item = String>) -> String {
    let mut c: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *c.entry(if v.is_empty() { "?".into() } else { v })
            .or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = c.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn failure(ctx: &Ctx, r: &RoundView) -> Option<String> {
    let j = r.job.as_ref().filter(|j| j.status == JobStatus::Failed)?;
    let e = j.error.clone().unwrap_or_default();
    Some(match serde_json::from_str::<RoundRule>(&e) {
        Ok(rule) => ctx.error_text(&AppError {
            said: Some(Said::of(&rule)),
            ..AppError::bad_request(rule.to_string())
        }),
        Err(_) => e,
    })
}

fn page(
    state: &AppState,
    ctx: Ctx,
    r: RoundView,
    preview: Option<MovePreview>,
    error: Option<String>,
) -> AppResult<Html<String>> {
    let columns: Vec<(String, usize)> = r
        .spec
        .attributes
        .iter()
        .map(|w| {
            let col = ProfileAttribute::ALL
                .iter()
                .position(|a| *a == w.attribute)
                .unwrap_or(0);
            (ctx.label(&w.attribute), col)
        })
        .collect();
    let shown = preview.as_ref().map(|p| &p.moved).or(r.draft.as_ref());
    let groups = shown
        .map(|d| {
            d.group_members()
                .into_iter()
                .enumerate()
                .map(|(g, members)| GroupView {
                    number: g + 1,
                    host: d
                        .hosts
                        .get(g)
                        .copied()
                        .flatten()
                        .map(|h| d.members[h].name.clone()),
                    mix: columns
                        .iter()
                        .map(|(label, col)| {
                            (
                                label.clone(),
                                mix(members.iter().map(|&i| d.members[i].values[*col].clone())),
                            )
                        })
                        .collect(),
                    network: r.group_networks.get(g).copied(),
                    members,
                })
                .collect()
        })
        .unwrap_or_default();
    let failure = failure(&ctx, &r);
    let map = match (shown, r.spec.population.country) {
        (Some(d), Some(country)) if r.spec.mode == RoundMode::Regional => {
            let places: Vec<crate::ui::map::PlacedGroup> = d
                .group_members()
                .iter()
                .enumerate()
                .map(|(g, ms)| {
                    let host = d
                        .hosts
                        .get(g)
                        .copied()
                        .flatten()
                        .and_then(|h| d.members[h].at);
                    (ms.iter().filter_map(|&i| d.members[i].at).collect(), host)
                })
                .collect();
            let label = ctx.tr.args(
                "round-map-label",
                &[("title", &r.spec.title), ("count", &d.groups.to_string())],
            );
            state
                .maps
                .get(country.code())
                .map(|m| m.svg_groups(&places, &label))
                .unwrap_or_default()
        }
        _ => String::new(),
    };
    render(&RoundPage {
        ctx,
        r,
        groups,
        columns,
        preview,
        failure,
        error,
        map,
    })
}

pub async fn round(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let r = managed_round(&state, &me, id).await?;
    page(&state, ctx, r, None, None)
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    member: String,
    #[serde(default)]
    to: String,
    /// Present when the coordinator saves the move seen in the preview.
    confirm: Option<String>,
}

/// Shows what moving a member would change; with `confirm`, saves it.
pub async fn move_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<MoveForm>,
) -> AppResult<Response> {
    let r = managed_round(&state, &me, id).await?;
    let outcome = (|| -> AppResult<MovePreview> {
        let d = r
            .draft
            .as_ref()
            .filter(|_| r.status == RoundStatus::Draft)
            .ok_or(RoundRule::NotADraft { status: r.status })
            .map_err(headway_store::StoreError::from)?;
        let to: usize =
            f.to.trim()
                .parse()
                .ok()
                .filter(|&g| g >= 1)
                .ok_or_else(|| {
                    headway_domain::input::InputError::new(
                        "to",
                        headway_domain::input::Problem::NotANumber {
                            value: f.to.chars().take(20).collect(),
                        },
                    )
                })?;
        Ok(preview_move(&r.spec, d, f.member.trim(), to - 1)
            .map_err(headway_store::StoreError::from)?)
    })();
    match outcome {
        Ok(p) if f.confirm.is_some() => {
            let detail = format!("{} → {}", f.member.trim(), p.to + 1);
            state
                .store
                .save_draft(&me.username, id, &p.moved, &detail)
                .await?;
            Ok(Redirect::to(&format!("/rounds/{id}")).into_response())
        }
        Ok(p) => Ok(page(&state, ctx, r, Some(p), None)?.into_response()),
        Err(e) if e.code == "bad_request" => {
            let error = Some(ctx.error_text(&e));
            let mut res = page(&state, ctx, r, None, error)?.into_response();
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Redirect> {
    let r = managed_round(&state, &me, id).await?;
    if let Some(j) = r.job {
        state.store.cancel_job(j.id).await?;
    }
    Ok(Redirect::to(&format!("/rounds/{id}")))
}

pub async fn rerun(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Redirect> {
    managed_round(&state, &me, id).await?;
    state.store.rerun_round(id).await?;
    Ok(Redirect::to(&format!("/rounds/{id}")))
}

pub async fn publish(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Redirect> {
    let r = managed_round(&state, &me, id).await?;
    let letters = FluentLetters::new(state.config.language);
    state
        .store
        .publish_round(&me.username, id, &letters)
        .await?;
    Ok(Redirect::to(&format!("/networks/{}", r.network_id)))
}

async fn table(state: &AppState, me: &Account, id: i32) -> AppResult<Table> {
    let r = managed_round(state, me, id).await?;
    let d = r.draft.ok_or_else(AppError::not_found)?;
    let mut head = vec![
        "group",
        "key",
        "name",
        "host",
        "contribution",
        "best_alternative",
        "move_cost",
    ];
    head.extend(ProfileAttribute::ALL.iter().map(|a| a.code()));
    let mut t = Table::new(head);
    for (i, m) in d.members.iter().enumerate() {
        let mut row: Vec<Cell> = vec![
            ((m.group + 1) as f64).into(),
            m.key.as_str().into(),
            m.name.as_str().into(),
            if d.hosts.get(m.group).copied().flatten() == Some(i) {
                "host"
            } else {
                ""
            }
            .into(),
            m.contribution.into(),
            m.best_alternative
                .map(|g| ((g + 1) as f64).into())
                .unwrap_or_else(|| "".into()),
            m.move_cost.into(),
        ];
        row.extend(m.values.iter().map(|v| Cell::from(v.as_str())));
        t.push(row);
    }
    Ok(t)
}

/// The draft's groups as CSV or XLSX.
pub async fn groups<S: Sheet>(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    S::respond(&table(&state, &me, id).await?, &format!("round-{id}"))
}
