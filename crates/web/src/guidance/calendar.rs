//! A case's calendar for its parties: its meetings, its measures' deadlines and the end of
//! each of its years (when the year's report is due) as all-day entries, written with the
//! `ics` crate. Meetings are kept by date, so the entries carry no time of day; each has a
//! stable `UID`, so a calendar that imports the file again updates rather than duplicates.

use super::cases::visible_case;
use crate::http::authorize::SignedIn;
use crate::http::error::{AppResult, ValidPath};
use crate::ui::Ctx;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use headway_domain::guidance::cases::{case_years, MeasureStatus};
use headway_domain::register::parse_date;
use ics::parameters::Value;
use ics::properties::{Description, DtEnd, DtStart, Status, Summary};
use ics::{escape_text, ICalendar};

/// One all-day entry.
struct Day {
    uid: String,
    on: NaiveDate,
    summary: String,
    description: String,
    done: bool,
}

fn write(days: Vec<Day>, stamp: &str) -> String {
    let mut cal = ICalendar::new("2.0", "-//Headway//Guidance//EN");
    cal.push(ics::properties::Method::new("PUBLISH"));
    for d in days {
        let mut ev = ics::Event::new(d.uid, stamp.to_owned());
        let mut start = DtStart::new(d.on.format("%Y%m%d").to_string());
        start.add(Value::DATE);
        let next = d.on.succ_opt().unwrap_or(d.on);
        let mut end = DtEnd::new(next.format("%Y%m%d").to_string());
        end.add(Value::DATE);
        ev.push(start);
        ev.push(end);
        ev.push(Summary::new(escape_text(d.summary)));
        if !d.description.is_empty() {
            ev.push(Description::new(escape_text(d.description)));
        }
        ev.push(if d.done {
            Status::cancelled()
        } else {
            Status::confirmed()
        });
        cal.add_event(ev);
    }
    cal.to_string()
}

/// `/guidance/cases/{id}/calendar.ics`: for whoever may see the case.
pub async fn ics(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    let c = visible_case(&state, &me, id).await?;
    let owner = &c.summary.owner;
    let mut days = Vec::new();
    for (k, m) in c.meetings.iter().enumerate() {
        if let Some(on) = parse_date(&m.held_on) {
            days.push(Day {
                uid: format!("case-{id}-meeting-{}-{k}@headway", m.held_on),
                on,
                summary: ctx.tr.args("case-cal-meeting", &[("owner", owner)]),
                description: format!("{}\n\n{}", m.participants, m.minutes),
                done: false,
            });
        }
    }
    for m in c.goals.iter().flat_map(|g| &g.measures) {
        if let Some(on) = parse_date(&m.deadline) {
            days.push(Day {
                uid: format!("case-{id}-measure-{}@headway", m.id),
                on,
                summary: ctx
                    .tr
                    .args("case-cal-deadline", &[("what", &m.what), ("owner", owner)]),
                description: format!("{} · {}", m.responsible, ctx.label(&m.status)),
                // A measure done needs no reminder of its deadline.
                done: m.status == MeasureStatus::Done,
            });
        }
    }
    if let (Some(a), Some(b)) = (
        parse_date(&c.summary.starts_on),
        parse_date(&c.summary.ends_on),
    ) {
        for y in case_years(a, b) {
            days.push(Day {
                uid: format!("case-{id}-year-{}@headway", y.number),
                on: y.to,
                summary: ctx.tr.args(
                    "case-cal-year",
                    &[("number", &y.number.to_string()), ("owner", owner)],
                ),
                description: String::new(),
                done: false,
            });
        }
    }
    days.sort_by_key(|d| d.on);
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"case-{id}.ics\""),
            ),
        ],
        write(days, &stamp),
    )
        .into_response())
}
