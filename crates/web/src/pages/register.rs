//! The register's pages: public search and entries, enrolment and the leader's own
//! page (PD log, objection, deferral, re-registration, consent, access log), the
//! committee, the board's view and exports, the catalogue.

use super::{render, Ctx};
use crate::auth::require_user;
use crate::error::{AppError, AppResult, ValidForm, ValidPath, ValidQuery};
use crate::export::Table;
use crate::policy::{allows, Action};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use headway_domain::input::{Hours, Points};
use headway_domain::register::{self as rules, Decision};
use headway_store::accounts::Account;
use headway_store::entities::register::decision;
use headway_store::register::{
    AccessEntry, ActivityView, BoardLeaderRow, CycleView, Enrolment, EvidenceFile, LeaderView,
    NewActivity, OfferView, PublicEntry, RegisterStats, POSITIONS,
};
use serde::Deserialize;
use tower_sessions::Session;

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn require(state: &AppState, session: &Session, action: Action) -> AppResult<Account> {
    let me = require_user(state, session).await?;
    if !allows(Some(&me), action) {
        return Err(AppError::forbidden());
    }
    Ok(me)
}

fn bad(m: impl Into<String>) -> AppError {
    AppError::bad_request(m)
}

fn parse_date(field: &'static str, v: &str) -> AppResult<NaiveDate> {
    Ok(headway_domain::input::date(field, v)?)
}

/// Directory ids of schools, separated by commas or spaces.
fn school_ids(v: &str) -> AppResult<Vec<i32>> {
    v.split([',', ' '])
        .filter(|s| !s.trim().is_empty())
        .take(headway_store::register::MAX_SCHOOLS + 1)
        .map(|s| s.trim().parse::<i32>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad("schools: give directory ids of schools, separated by commas"))
}

/// An SVG bar chart of first registrations per year.
fn chart(per_year: &[(i32, u64)], label: &str) -> String {
    let max = per_year.iter().map(|p| p.1).max().unwrap_or(1).max(1) as f64;
    let w = 40.0 * per_year.len().max(1) as f64;
    let mut s = format!(
        r#"<svg class="chart" viewBox="0 0 {w:.0} 140" role="img" aria-label="{label}"><title>{label}</title>"#
    );
    for (i, (y, n)) in per_year.iter().enumerate() {
        let h = 100.0 * *n as f64 / max;
        let x = 40.0 * i as f64 + 6.0;
        s += &format!(
            r#"<rect x="{x:.0}" y="{:.1}" width="28" height="{h:.1}" class="bar"/><text x="{:.0}" y="{:.1}" class="val">{n}</text><text x="{:.0}" y="134" class="yr">{y}</text>"#,
            110.0 - h,
            x + 14.0,
            106.0 - h,
            x + 14.0
        );
    }
    s + "</svg>"
}

#[derive(Deserialize, Default)]
pub struct Q {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "register/search.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    results: Vec<PublicEntry>,
    stats: RegisterStats,
    percent: String,
    chart: String,
}

pub async fn public_search(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidQuery(p): ValidQuery<Q>,
) -> AppResult<Html<String>> {
    let q = p.q.unwrap_or_default();
    let results = if q.trim().is_empty() {
        vec![]
    } else {
        state.store.public_search_indexed(&q, 50).await?
    };
    let stats = state.store.register_stats().await?;
    let percent = if stats.school_locations > 0 {
        format!(
            "{:.1}",
            100.0 * stats.registered as f64 / stats.school_locations as f64
        )
    } else {
        "0".into()
    };
    let chart = chart(&stats.per_year, &ctx.t("reg-chart"));
    render(&SearchPage {
        ctx,
        q,
        results,
        stats,
        percent,
        chart,
    })
}

#[derive(Template)]
#[template(path = "register/entry.html")]
struct EntryPage {
    ctx: Ctx,
    e: PublicEntry,
}

pub async fn public_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let e = state.store.public_entry_indexed(id).await?;
    render(&EntryPage { ctx, e })
}

#[derive(Template)]
#[template(path = "register/enrol.html")]
struct EnrolPage {
    ctx: Ctx,
    positions: [&'static str; 3],
    error: Option<String>,
}

pub async fn enrol_page(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::KeepOwnRegistration).await?;
    if state.store.leader_id_for_user(me.id).await?.is_some() {
        return Ok(Redirect::to("/register/me").into_response());
    }
    Ok(render(&EnrolPage {
        ctx,
        positions: POSITIONS,
        error: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct EnrolForm {
    given_name: String,
    family_name: String,
    email: Option<String>,
    /// Directory ids of the schools led, comma separated.
    schools: String,
    position: String,
    qualification: String,
}

pub async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
    ValidForm(f): ValidForm<EnrolForm>,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::KeepOwnRegistration).await?;
    let result = match school_ids(&f.schools) {
        Err(e) => Err(e),
        Ok(school_ids) => state
            .store
            .enrol(
                me.id,
                Enrolment {
                    given_name: f.given_name,
                    family_name: f.family_name,
                    email: f.email.filter(|e| !e.trim().is_empty()),
                    board_id: None,
                    school_ids,
                    position: f.position,
                    qualification: f.qualification,
                },
            )
            .await
            .map_err(AppError::from),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/register/me").into_response()),
        Err(e) if e.code == "bad_request" => {
            let page = EnrolPage {
                ctx,
                positions: POSITIONS,
                error: Some(e.message),
            };
            Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// PD-log entries on the leader's own page, newest first.
const PD_LOG_SHOWN: u64 = 500;

#[derive(Template)]
#[template(path = "register/me.html")]
struct MyPage {
    ctx: Ctx,
    leader: LeaderView,
    cycle: Option<CycleView>,
    percent: u32,
    timeline: u32,
    activities: Vec<ActivityView>,
    /// All entries of the PD log; the page shows the newest [`PD_LOG_SHOWN`].
    activities_total: u64,
    decisions: Vec<decision::Model>,
    offers: Vec<OfferView>,
    themes: Vec<String>,
    consent_all: bool,
    consent_ids: Vec<i32>,
    access: Vec<AccessEntry>,
    can_reregister: bool,
}

impl MyPage {
    fn consented(&self, id: &i32) -> bool {
        self.consent_all || self.consent_ids.contains(id)
    }
}

async fn my_leader(state: &AppState, session: &Session) -> AppResult<(Account, i32)> {
    let me = require(state, session, Action::KeepOwnRegistration).await?;
    let id = state
        .store
        .leader_id_for_user(me.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((me, id))
}

pub async fn my_page(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::KeepOwnRegistration).await?;
    let Some(id) = state.store.leader_id_for_user(me.id).await? else {
        return Ok(Redirect::to("/register/enrol").into_response());
    };
    let r = &state.config.register;
    let leader = state.store.leader_view(id).await?;
    let cycle = state.store.current_cycle(id, r, today()).await?;
    let (consent_all, consent_ids) = state.store.consents(id).await?;
    let percent = cycle
        .as_ref()
        .map(|c| ((c.points / c.target).min(1.0) * 100.0) as u32)
        .unwrap_or(0);
    let timeline = cycle
        .as_ref()
        .map(|c| (c.elapsed * 100.0) as u32)
        .unwrap_or(0);
    let can_reregister = cycle
        .as_ref()
        .is_some_and(|c| c.status != "lapsed" && rules::may_reregister(c.points, r));
    let (activities, activities_total) = state.store.recent_activities(id, PD_LOG_SHOWN).await?;
    let page = MyPage {
        leader,
        activities_total,
        percent,
        timeline,
        can_reregister,
        cycle,
        activities,
        decisions: state.store.decisions(id).await?,
        offers: state.store.offers(true).await?,
        themes: r.themes.clone(),
        consent_all,
        consent_ids,
        access: state.store.access_log(id).await?,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

pub async fn add_activity(
    State(state): State<AppState>,
    session: Session,
    mut mp: Multipart,
) -> AppResult<Response> {
    let (_, id) = my_leader(&state, &session).await?;
    let mut fields: std::collections::HashMap<String, String> = Default::default();
    let mut themes = vec![];
    let mut files = vec![];
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| bad(format!("form: {e}")))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| bad(format!("evidence: {e}")))?;
            if !file_name.is_empty() && !bytes.is_empty() {
                files.push(EvidenceFile {
                    file_name,
                    content_type,
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            let v = field
                .text()
                .await
                .map_err(|e| bad(format!("{name}: {e}")))?;
            if name == "themes" {
                themes.push(v);
            } else {
                fields.insert(name, v);
            }
        }
    }
    let get = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
    let offer_id = match get("offer_id") {
        "" => None,
        v => Some(
            v.parse::<i32>()
                .map_err(|_| bad("offer_id: not a number"))?,
        ),
    };
    let a = NewActivity {
        offer_id,
        title: get("title").to_owned(),
        formal: get("kind") != "informal",
        themes,
        hours: Hours::parse("hours", get("hours"))?.get(),
        points: Points::parse("points", get("points"))?.get(),
        started_on: parse_date("started_on", get("started_on"))?,
        completed_on: parse_date("completed_on", get("completed_on"))?,
    };
    let title_ok = offer_id.is_some() || !a.title.is_empty();
    if !title_ok {
        return Err(bad("title: a title is required"));
    }
    let a = if offer_id.is_some() && a.title.is_empty() {
        NewActivity {
            title: "(offer)".into(),
            ..a
        }
    } else {
        a
    };
    state
        .store
        .add_activity(id, a, files, &state.config.register, today())
        .await?;
    Ok(Redirect::to("/register/me").into_response())
}

#[derive(Deserialize)]
pub struct ReasonForm {
    reason: String,
}

pub async fn objection(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<ReasonForm>,
) -> AppResult<Response> {
    let (_, id) = my_leader(&state, &session).await?;
    state.store.object(id, &f.reason).await?;
    Ok(Redirect::to("/register/me").into_response())
}

pub async fn deferral(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<ReasonForm>,
) -> AppResult<Response> {
    let (_, id) = my_leader(&state, &session).await?;
    state.store.request_deferral(id, &f.reason).await?;
    Ok(Redirect::to("/register/me").into_response())
}

pub async fn reregister(State(state): State<AppState>, session: Session) -> AppResult<Response> {
    let (me, id) = my_leader(&state, &session).await?;
    state
        .store
        .reregister(&format!("user:{}", me.id), id, &state.config.register)
        .await?;
    Ok(Redirect::to("/register/me").into_response())
}

#[derive(Deserialize)]
pub struct ConsentForm {
    /// `grant` or `revoke`.
    action: String,
    /// Empty for all activities.
    activity_id: Option<String>,
}

pub async fn consent(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<ConsentForm>,
) -> AppResult<Response> {
    let (_, id) = my_leader(&state, &session).await?;
    let activity = match f
        .activity_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(v) => Some(
            v.parse::<i32>()
                .map_err(|_| bad("activity_id: not a number"))?,
        ),
        None => None,
    };
    match f.action.as_str() {
        "grant" => state.store.grant_consent(id, activity).await?,
        "revoke" => state.store.revoke_consent(id, activity).await?,
        other => {
            return Err(bad(format!(
                "action: `{other}` is neither grant nor revoke"
            )))
        }
    }
    Ok(Redirect::to("/register/me").into_response())
}

#[derive(Deserialize)]
pub struct SchoolsForm {
    /// Directory ids of the schools now led, comma separated.
    schools: String,
}

/// The leader now leads other schools (perhaps under another board).
pub async fn change_schools(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<SchoolsForm>,
) -> AppResult<Response> {
    let (_, id) = my_leader(&state, &session).await?;
    state
        .store
        .change_schools(id, &school_ids(&f.schools)?)
        .await?;
    Ok(Redirect::to("/register/me").into_response())
}

#[derive(Deserialize)]
pub struct LeaderForm {
    leader_id: i32,
}

/// The committee confirms a change of schools; the new board then sees the leader.
pub async fn confirm_schools(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<LeaderForm>,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::Committee).await?;
    state
        .store
        .confirm_schools(&format!("user:{}", me.id), f.leader_id)
        .await?;
    Ok(Redirect::to("/register/committee").into_response())
}

pub async fn evidence(
    State(state): State<AppState>,
    session: Session,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    let me = require_user(&state, &session).await?;
    let (name, ctype, bytes, leader) = state.store.evidence_file(id).await?;
    let own = state.store.leader_id_for_user(me.id).await? == Some(leader);
    // Someone else's evidence answers as if it did not exist: ids reveal nothing.
    if !allows(Some(&me), Action::ViewEvidence { own }) {
        return Err(AppError::not_found());
    }
    let disposition = crate::export::attachment(&name);
    Ok((
        [
            (header::CONTENT_TYPE, ctype),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "register/committee.html")]
struct CommitteePage {
    ctx: Ctx,
    name: String,
    total: u64,
    page: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    waiting: Vec<LeaderView>,
    pending: Vec<(i32, ActivityView)>,
    /// Changes of schools waiting for confirmation.
    moves: Vec<LeaderView>,
    levels: Vec<String>,
    offers: Vec<OfferView>,
}

/// The committee queue's filter: a part of the name, and the page.
#[derive(Deserialize)]
pub struct QueueQuery {
    name: Option<String>,
    page: Option<u64>,
}

/// Enrolments shown per page of the committee queue.
const QUEUE_PAGE: u64 = 50;

pub async fn committee(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
    ValidQuery(q): ValidQuery<QueueQuery>,
) -> AppResult<Html<String>> {
    require(&state, &session, Action::Committee).await?;
    let name = q.name.unwrap_or_default();
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let queue = state
        .store
        .committee_queue(&name, (page - 1) * QUEUE_PAGE, QUEUE_PAGE)
        .await?;
    let offers = state.store.offers(false).await?;
    let href = |p: u64| {
        let pairs = [("name", name.as_str()), ("page", &p.to_string())];
        format!(
            "/register/committee?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    render(&CommitteePage {
        ctx,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page * QUEUE_PAGE < queue.total).then(|| href(page + 1)),
        name,
        total: queue.total,
        page,
        waiting: queue.waiting,
        pending: queue.pending,
        moves: state.store.school_changes(QUEUE_PAGE).await?,
        levels: state.config.register.levels.clone(),
        offers,
    })
}

#[derive(Deserialize)]
pub struct DecideForm {
    leader_id: i32,
    /// register, aspirant, reject
    decision: String,
    level: Option<String>,
    reasons: Option<String>,
}

pub async fn decide(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<DecideForm>,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::Committee).await?;
    let d = match f.decision.as_str() {
        "register" => Decision::Register {
            level: f.level.unwrap_or_default(),
        },
        "aspirant" => Decision::Aspirant,
        "reject" => Decision::Reject {
            reasons: f.reasons.unwrap_or_default(),
        },
        other => {
            return Err(bad(format!(
                "decision: `{other}` is not register, aspirant or reject"
            )))
        }
    };
    state
        .store
        .decide(
            &format!("user:{}", me.id),
            f.leader_id,
            d,
            today(),
            &state.config.register,
        )
        .await?;
    Ok(Redirect::to("/register/committee").into_response())
}

#[derive(Deserialize)]
pub struct ValidateForm {
    activity_id: i32,
    approve: String,
}

pub async fn validate(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<ValidateForm>,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::Committee).await?;
    state
        .store
        .validate_activity(
            &format!("user:{}", me.id),
            f.activity_id,
            f.approve == "yes",
        )
        .await?;
    Ok(Redirect::to("/register/committee").into_response())
}

#[derive(Deserialize)]
pub struct DeferralDecisionForm {
    leader_id: i32,
    /// A date grants until then; empty refuses.
    until: Option<String>,
}

pub async fn decide_deferral(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<DeferralDecisionForm>,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::Committee).await?;
    let until = match f.until.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => Some(parse_date("until", v)?),
        None => None,
    };
    state
        .store
        .decide_deferral(&format!("user:{}", me.id), f.leader_id, until)
        .await?;
    Ok(Redirect::to("/register/committee").into_response())
}

#[derive(Template)]
#[template(path = "register/board.html")]
struct BoardPage {
    ctx: Ctx,
    rows: Vec<BoardLeaderRow>,
}

async fn my_board(state: &AppState, session: &Session) -> AppResult<(Account, i32)> {
    let me = require(state, session, Action::BoardRegister).await?;
    let board = me.organization_id.ok_or_else(AppError::forbidden)?;
    Ok((me, board))
}

pub async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
) -> AppResult<Html<String>> {
    let (_, b) = my_board(&state, &session).await?;
    let rows = state.store.board_leaders(b, &state.config.register).await?;
    render(&BoardPage { ctx, rows })
}

/// The board's leaders as a table for the exports.
async fn board_table(state: &AppState, session: &Session) -> AppResult<Table> {
    let (_, b) = my_board(state, session).await?;
    let rows = state.store.board_leaders(b, &state.config.register).await?;
    let mut t = Table::new(vec![
        "id",
        "name",
        "position",
        "status",
        "level",
        "schools",
        "cycle_ends_on",
        "points",
    ]);
    for r in rows {
        t.push(vec![
            r.id.into(),
            r.name.into(),
            r.position.into(),
            r.status.into(),
            r.level.unwrap_or_default().into(),
            r.schools.into(),
            r.cycle_ends_on.unwrap_or_default().into(),
            r.points.into(),
        ]);
    }
    Ok(t)
}

pub async fn board_csv(State(state): State<AppState>, session: Session) -> AppResult<Response> {
    board_table(&state, &session).await?.csv_response("leaders")
}

pub async fn board_xlsx(State(state): State<AppState>, session: Session) -> AppResult<Response> {
    board_table(&state, &session)
        .await?
        .xlsx_response("leaders")
}

#[derive(Template)]
#[template(path = "register/board_leader.html")]
struct BoardLeaderPage {
    ctx: Ctx,
    leader: LeaderView,
    activities: Vec<ActivityView>,
}

#[derive(Deserialize)]
pub struct ActivityParam {
    activity: Option<i32>,
}

pub async fn board_leader(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
    ValidPath(id): ValidPath<i32>,
    ValidQuery(q): ValidQuery<ActivityParam>,
) -> AppResult<Html<String>> {
    let (me, b) = my_board(&state, &session).await?;
    let activities = state
        .store
        .board_read_activities(&format!("user:{}", me.id), b, id, q.activity)
        .await?;
    let leader = state.store.leader_view(id).await?;
    render(&BoardLeaderPage {
        ctx,
        leader,
        activities,
    })
}

#[derive(Template)]
#[template(path = "register/offers.html")]
struct OffersPage {
    ctx: Ctx,
    offers: Vec<OfferView>,
    manage: bool,
    /// May add offers (coordinators for any provider, a provider for itself).
    add: bool,
    /// The provider's own organisation, fixed in the form.
    own_provider: Option<i32>,
    themes: Vec<String>,
}

pub async fn offers(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let manage = allows(ctx.user.as_ref(), Action::ManageOffers);
    let add = allows(ctx.user.as_ref(), Action::AddOffer);
    let own_provider = ctx
        .user
        .as_ref()
        .filter(|u| u.role == headway_domain::accounts::Role::Provider)
        .and_then(|u| u.organization_id);
    // Providers see their pending offers too; the public only accredited ones.
    let offers = state.store.offers(!manage).await?;
    let mut offers = offers;
    if let (false, Some(p)) = (manage, own_provider) {
        let mine = state
            .store
            .offers(false)
            .await?
            .into_iter()
            .filter(|o| o.provider_id == p && o.status != "accredited");
        offers.extend(mine);
    }
    let themes = state.config.register.themes.clone();
    render(&OffersPage {
        ctx,
        offers,
        manage,
        add,
        own_provider,
        themes,
    })
}

#[derive(Deserialize)]
pub struct OfferForm {
    provider_id: i32,
    title: String,
    description: String,
    theme: String,
    hours: String,
    points: String,
    valid_from: String,
    valid_until: String,
}

pub async fn add_offer(
    State(state): State<AppState>,
    session: Session,
    ValidForm(f): ValidForm<OfferForm>,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::AddOffer).await?;
    // A provider adds offers for its own organisation only.
    if me.role == headway_domain::accounts::Role::Provider
        && me.organization_id != Some(f.provider_id)
    {
        return Err(AppError::forbidden());
    }
    state
        .store
        .add_offer(
            &format!("user:{}", me.id),
            f.provider_id,
            &f.title,
            &f.description,
            &[f.theme],
            Hours::parse("hours", &f.hours)?.get(),
            Points::parse("points", &f.points)?.get(),
            parse_date("valid_from", &f.valid_from)?,
            parse_date("valid_until", &f.valid_until)?,
            &state.config.register,
        )
        .await?;
    Ok(Redirect::to("/register/offers").into_response())
}

#[derive(Deserialize)]
pub struct OfferStatusForm {
    /// accredit or withdraw
    action: String,
}

pub async fn offer_status(
    State(state): State<AppState>,
    session: Session,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<OfferStatusForm>,
) -> AppResult<Response> {
    let me = require(&state, &session, Action::ManageOffers).await?;
    state
        .store
        .set_offer_status(&format!("user:{}", me.id), id, f.action == "accredit")
        .await?;
    Ok(Redirect::to("/register/offers").into_response())
}
