//! Selection decisions and guidance cases on the web: the coordinator records a decision on
//! a municipality (from its assessment page) and opens a case with an advisor; the case's
//! advisor and the owner's contact record each phase's outputs and sign it off. Anyone not
//! related to a case is told it does not exist.

use crate::http::authorize::{Authorized, SignedIn};
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::can::AssessOwners;
use crate::policy::{allows, Action};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use chrono::NaiveDate;
use headway_domain::guidance::assessment::SchoolYear;
use headway_domain::guidance::cases::{
    case_years, overdue, Decision, MeasureStatus, Output, Party, Phase, MAX_MONTHS,
};
use headway_domain::input::{whole_number, InputError, Problem, Reason};
use headway_domain::memberships::{ContextRole, Memberships};
use headway_domain::register::parse_date;
use headway_store::accounts::Account;
use headway_store::events::invitations::Invitations;
use headway_store::events::{EventQuery, Events};
use headway_store::guidance::{
    CaseDetail, CaseSummary, CaseWork, Cases, Evaluation, NewCase, NewDecision, Selection,
};
use serde::Deserialize;

/// How `me` stands to case `id`: (advisor, owner's contact).
pub fn relation(me: &Account, id: i32) -> (bool, bool) {
    (
        me.holds(ContextRole::CaseAdvisor, id),
        me.holds(ContextRole::CaseOwnerContact, id),
    )
}

/// The case if `me` may see it; else not found, as if there were none.
pub async fn visible_case(state: &AppState, me: &Account, id: i32) -> AppResult<CaseDetail> {
    let (advisor, owner) = relation(me, id);
    if !allows(Some(me), Action::ViewCase { advisor, owner }) {
        return Err(AppError::not_found());
    }
    Ok(state.store.case(id).await?)
}

/// The cases `me` may see: every case for the agency's coordinators, else their own.
pub async fn visible_cases(state: &AppState, me: &Account) -> AppResult<Vec<CaseSummary>> {
    let all = allows(
        Some(me),
        Action::ViewCase {
            advisor: false,
            owner: false,
        },
    );
    if all {
        return Ok(state.store.cases(None).await?);
    }
    let mine: Vec<i32> = me
        .memberships
        .iter()
        .filter(|m| {
            matches!(
                m.role,
                ContextRole::CaseAdvisor | ContextRole::CaseOwnerContact
            )
        })
        .map(|m| m.context_id)
        .collect();
    Ok(state.store.cases(Some(&mine)).await?)
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    pub period: String,
    pub decision: String,
    pub rationale: String,
    pub assessment: String,
}

pub async fn decide(
    State(state): State<AppState>,
    who: Authorized<AssessOwners>,
    ValidPath(code): ValidPath<String>,
    ValidForm(f): ValidForm<DecisionForm>,
) -> AppResult<Redirect> {
    let org = state
        .store
        .organization_id(&format!("no:kommune:{code}"))
        .await?
        .ok_or_else(AppError::not_found)?;
    let year = SchoolYear::parse("period", &f.period)?;
    state
        .store
        .decide_owner(
            &who.0.username,
            NewDecision {
                year,
                organization_id: org,
                decision: Decision::parse(&f.decision)?,
                rationale: Reason::parse("rationale", &f.rationale)?,
                assessment: Reason::parse("assessment", &f.assessment)?,
            },
            &crate::events::participation::letters(&state),
        )
        .await?;
    Ok(Redirect::to(&format!(
        "/guidance/assessment/{code}?period={year}#decision"
    )))
}

#[derive(Debug, Deserialize)]
pub struct OpenForm {
    pub organization: i32,
    pub starts_on: String,
    pub months: String,
    pub advisor: i32,
    #[serde(default)]
    pub kindergarten: Option<String>,
}

pub async fn open(
    State(state): State<AppState>,
    who: Authorized<AssessOwners>,
    ValidForm(f): ValidForm<OpenForm>,
) -> AppResult<Redirect> {
    let starts_on = parse_date(&f.starts_on).ok_or_else(|| {
        InputError::new(
            "starts_on",
            Problem::NotADate {
                value: f.starts_on.chars().take(20).collect(),
            },
        )
    })?;
    let months = whole_number("months", &f.months, 1, MAX_MONTHS)?;
    let id = state
        .store
        .open_case(
            &who.0.username,
            NewCase {
                organization_id: f.organization,
                starts_on,
                months,
                advisors: vec![f.advisor],
                kindergarten: f.kindergarten.is_some(),
            },
            MAX_MONTHS,
        )
        .await?;
    Ok(Redirect::to(&format!("/guidance/cases/{id}")))
}

#[derive(Template)]
#[template(path = "guidance/cases.html")]
struct ListPage {
    ctx: Ctx,
    cases: Vec<CaseSummary>,
    /// For the agency's coordinators: the coming events' audiences the owners in guidance
    /// may be invited as, `(event:audience, label)`.
    gatherings: Vec<(String, String)>,
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ctx: Ctx,
) -> AppResult<Html<String>> {
    let cases = visible_cases(&state, &me).await?;
    let mut gatherings = Vec::new();
    if allows(Some(&me), Action::AssessOwners) {
        let coming = state
            .store
            .events(&EventQuery {
                ending_after: Some(headway_store::now()),
                limit: Some(20),
                ..Default::default()
            })
            .await?;
        for e in coming.iter().filter(|e| !e.cancelled) {
            for a in state.store.event(e.id).await?.audiences {
                gatherings.push((
                    format!("{}:{}", e.id, a.key),
                    format!("{} ({}) — {}", e.title, ctx.date(&e.starts_utc), a.name),
                ));
            }
        }
    }
    render(&ListPage {
        ctx,
        cases,
        gatherings,
    })
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    /// `event:audience`.
    pub gathering: String,
}

/// Invites the owners in guidance (every running case's owner contacts) to a gathering as
/// one of its audiences; the event's invitations page shows who was invited.
pub async fn invite_owners(
    State(state): State<AppState>,
    who: Authorized<AssessOwners>,
    ValidForm(f): ValidForm<InviteForm>,
) -> AppResult<Redirect> {
    let bad = || {
        InputError::new(
            "gathering",
            Problem::NotOneOf {
                value: f.gathering.chars().take(40).collect(),
                allowed: "an event and one of its audiences".into(),
            },
        )
    };
    let (event, audience) = f.gathering.split_once(':').ok_or_else(bad)?;
    let event: i32 = event.parse().map_err(|_| bad())?;
    let people = state.store.owners_in_guidance().await?;
    state
        .store
        .invite_people(
            &who.0.username,
            event,
            audience,
            people,
            "owners_in_guidance",
            &crate::events::participation::letters(&state),
        )
        .await?;
    Ok(Redirect::to(&format!("/events/{event}/invitations")))
}

/// A phase as the case page shows it.
pub struct PhaseView {
    pub phase: Phase,
    pub current: bool,
    pub done: bool,
    /// `(output, text or empty)`.
    pub outputs: Vec<(Output, String)>,
    /// `(party, who and when, or empty)`.
    pub signed: Vec<(Party, String)>,
}

#[derive(Template)]
#[template(path = "guidance/case.html")]
struct CasePage {
    ctx: Ctx,
    c: CaseDetail,
    phases: Vec<PhaseView>,
    /// The party the reader signs as, when they work on the case.
    party: Option<Party>,
    /// `(date, what, overdue)`, by date.
    timeline: Vec<(String, String, bool)>,
    /// Overdue measures' ids.
    overdue: Vec<i32>,
    environments: Vec<(i32, String)>,
    statuses: &'static [MeasureStatus],
    today: String,
    evaluation: Option<super::report::Evaluated>,
    /// The years begun, as links to their reports: (number, span, ended).
    years: Vec<(u32, String, bool)>,
}

impl CasePage {
    fn is_overdue(&self, id: &i32) -> bool {
        self.overdue.contains(id)
    }
}

/// The case's dates in order: its start and end, meetings, referrals, measures' deadlines
/// (overdue ones marked).
fn timeline(
    ctx: &Ctx,
    c: &CaseDetail,
    today: NaiveDate,
) -> (Vec<(String, String, bool)>, Vec<i32>) {
    let mut items = vec![
        (
            c.summary.starts_on.clone(),
            ctx.t("case-timeline-start"),
            false,
        ),
        (c.summary.ends_on.clone(), ctx.t("case-timeline-end"), false),
    ];
    // Each whole year ends with its report (the last ends with the case).
    if let (Some(a), Some(b)) = (
        parse_date(&c.summary.starts_on),
        parse_date(&c.summary.ends_on),
    ) {
        for y in case_years(a, b).iter().filter(|y| y.to < b) {
            let what = ctx
                .tr
                .args("case-timeline-year", &[("number", &y.number.to_string())]);
            items.push((y.to.to_string(), what, false));
        }
    }
    for m in &c.meetings {
        items.push((m.held_on.clone(), ctx.t("case-timeline-meeting"), false));
    }
    for r in &c.referrals {
        let what = ctx.tr.args(
            "case-timeline-referral",
            &[("name", &r.name), ("topic", &r.topic)],
        );
        items.push((r.referred_on.clone(), what, false));
    }
    let mut late = Vec::new();
    for m in c.goals.iter().flat_map(|g| &g.measures) {
        let due = parse_date(&m.deadline).is_some_and(|d| overdue(d, m.status, today));
        if due {
            late.push(m.id);
        }
        let what = ctx.tr.args(
            "case-timeline-measure",
            &[("what", &m.what), ("who", &m.responsible)],
        );
        items.push((m.deadline.clone(), what, due));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let items = items
        .into_iter()
        .map(|(d, w, o)| (ctx.date(&d), w, o))
        .collect();
    (items, late)
}

pub async fn page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let c = visible_case(&state, &me, id).await?;
    let current = Phase::ALL
        .iter()
        .position(|p| *p == c.summary.phase)
        .unwrap_or(0);
    let phases = Phase::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| PhaseView {
            phase: *p,
            current: i == current && !c.summary.closed,
            done: i < current || c.summary.closed,
            outputs: p
                .outputs()
                .iter()
                .map(|o| {
                    let text = c
                        .outputs
                        .iter()
                        .find(|r| r.output == *o)
                        .map(|r| r.text.clone())
                        .unwrap_or_default();
                    (*o, text)
                })
                .collect(),
            signed: Party::ALL
                .iter()
                .map(|party| {
                    let s = c
                        .signoffs
                        .iter()
                        .find(|s| s.phase == *p && s.party == *party)
                        .map(|s| format!("{}, {}", s.by, ctx.date(&s.at)))
                        .unwrap_or_default();
                    (*party, s)
                })
                .collect(),
        })
        .collect();
    let party = party_of(&me, id);
    let today = chrono::Utc::now().date_naive();
    let (timeline, overdue) = timeline(&ctx, &c, today);
    let environments = match party {
        Some(_) => state.store.competence_environments().await?,
        None => vec![],
    };
    let evaluation = super::report::evaluate(&ctx, &state.store.snapshots(id).await?)?;
    render(&CasePage {
        evaluation,
        years: super::report::year_links(&ctx, &c),
        ctx,
        c,
        phases,
        party,
        timeline,
        overdue,
        environments,
        statuses: MeasureStatus::ALL,
        today: today.to_string(),
    })
}

/// The party `me` works on case `id` as, if any: its advisor, else the owner's contact.
pub fn party_of(me: &Account, id: i32) -> Option<Party> {
    let (advisor, owner) = relation(me, id);
    if !allows(Some(me), Action::WorkOnCase { advisor, owner }) {
        return None;
    }
    Some(if advisor {
        Party::Advisor
    } else {
        Party::Owner
    })
}

/// The party `me` works on case `id` as; anyone else gets not found (a related reader who
/// may only look, forbidden).
async fn working_party(state: &AppState, me: &Account, id: i32) -> AppResult<Party> {
    visible_case(state, me, id).await?;
    party_of(me, id).ok_or_else(AppError::forbidden)
}

#[derive(Debug, Deserialize)]
pub struct OutputForm {
    pub output: String,
    pub text: String,
}

pub async fn record_output(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    form: Result<ValidForm<OutputForm>, AppError>,
) -> AppResult<Redirect> {
    working_party(&state, &me, id).await?;
    let ValidForm(f) = form?;
    let o = Output::parse(&f.output)?;
    state
        .store
        .record_output(&me.username, id, o, Reason::parse("text", &f.text)?)
        .await?;
    Ok(Redirect::to(&format!("/guidance/cases/{id}#{}", o.code())))
}

pub async fn sign_off(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Redirect> {
    let party = working_party(&state, &me, id).await?;
    state.store.sign_off(&me.username, id, party, me.id).await?;
    Ok(Redirect::to(&format!("/guidance/cases/{id}")))
}
