//! The form that creates an event: kind, title, where, when (wall-clock times in a named
//! zone) and its audiences, for a network the organiser coordinates (or none, for the
//! agency's coordinators).

use super::pages::MAX_AUDIENCES;
use crate::http::authorize::Authorized;
use crate::http::error::{AppResult, ValidForm, ValidQuery};
use crate::networks::pages::coordinated;
use crate::policy::can::CoordinateSomeNetwork;
use crate::policy::{allows, Action};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::events::{parse_local, AudienceKey, EventKind, Schedule, Zone};
use headway_domain::input::{InputError, Problem};
use headway_domain::language::Lang;
use headway_domain::memberships::{ContextRole, Memberships};
use headway_domain::networks::NetworkKind;
use headway_store::accounts::Account;
use headway_store::events::{Events, NewAudience, NewEvent};
use headway_store::networks::{NetworkQuery, Networks};
use serde::Deserialize;

/// The form as sent: every field text, so a bad value comes back naming its field.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub network_id: String,
    #[serde(default)]
    pub venue_name: String,
    #[serde(default)]
    pub venue_address: String,
    #[serde(default)]
    pub online_url: String,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    /// One audience per line.
    #[serde(default)]
    pub audiences: String,
    /// Places; empty: no limit.
    #[serde(default)]
    pub capacity: String,
    /// When registration closes, wall-clock in the event's zone; empty: at the start.
    #[serde(default)]
    pub registration_closes: String,
    /// The host institution (one of the network's members); empty: none.
    #[serde(default)]
    pub host_id: String,
    /// `1`: each registration waits for the organiser's approval; empty: none does.
    #[serde(default)]
    pub needs_approval: String,
}

/// `?network_id=` on the new event's form: the network whose next session it plans, so the
/// form can offer its members as hosts with the suggested one chosen.
#[derive(Debug, Default, Deserialize)]
pub struct NewParams {
    #[serde(default)]
    pub network_id: Option<String>,
}

/// Audiences from their names, one per line (at most [`MAX_AUDIENCES`]); keys are made
/// from the names.
pub fn audiences(lines: &str) -> Result<Vec<NewAudience>, InputError> {
    let names: Vec<&str> = lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if names.is_empty() {
        return Err(InputError::new("audiences", Problem::Required));
    }
    if names.len() > MAX_AUDIENCES {
        return Err(InputError::new(
            "audiences",
            Problem::TooMany { max: MAX_AUDIENCES },
        ));
    }
    let mut out: Vec<NewAudience> = Vec::with_capacity(names.len());
    for n in names {
        let taken: Vec<AudienceKey> = out.iter().map(|a| a.key.clone()).collect();
        out.push(NewAudience {
            key: AudienceKey::from_name(n, &taken),
            name: n.to_owned(),
            capacity: None,
        });
    }
    Ok(out)
}

impl EventForm {
    fn defaults(lang: Lang) -> Self {
        Self {
            kind: EventKind::Gathering.code().into(),
            language: lang.code().into(),
            time_zone: match lang {
                Lang::Nl => "Europe/Amsterdam",
                Lang::Sl => "Europe/Ljubljana",
                _ => "Europe/Oslo",
            }
            .into(),
            ..Default::default()
        }
    }

    /// The event this form describes (the network is checked by the handler).
    pub fn to_event(&self, organiser: i32) -> Result<NewEvent, InputError> {
        let zone = Zone::parse("time_zone", &self.time_zone)?;
        let schedule = Schedule::new(
            parse_local("starts_at", &self.starts_at)?,
            parse_local("ends_at", &self.ends_at)?,
            zone,
        )?;
        // A deadline after the event's end would never close registration.
        let registration_closes = match self.registration_closes.trim() {
            "" => None,
            t => {
                let at = parse_local("registration_closes", t)?;
                if at > schedule.ends {
                    return Err(InputError::new(
                        "registration_closes",
                        Problem::Outside {
                            value: at.format("%Y-%m-%d %H:%M").to_string(),
                            start: "…".into(),
                            end: schedule.ends.format("%Y-%m-%d %H:%M").to_string(),
                        },
                    ));
                }
                Some(zone.instant("registration_closes", at)?)
            }
        };
        Ok(NewEvent {
            kind: EventKind::parse(&self.kind)?,
            title: self.title.clone(),
            description: self.description.clone(),
            language: Lang::parse(&self.language).ok_or_else(|| {
                InputError::new(
                    "language",
                    Problem::NotOneOf {
                        value: self.language.chars().take(20).collect(),
                        allowed: "en, nl, nb, sl".into(),
                    },
                )
            })?,
            network_id: headway_domain::input::record_id("network_id", &self.network_id)?,
            host_id: headway_domain::input::record_id("host_id", &self.host_id)?,
            venue_name: self.venue_name.clone(),
            venue_address: self.venue_address.clone(),
            latlon: None,
            online_url: self.online_url.clone(),
            schedule,
            audiences: audiences(&self.audiences)?,
            offer_id: None,
            capacity: headway_domain::events::participation::parse_capacity(
                "capacity",
                &self.capacity,
            )?,
            registration_closes,
            needs_approval: match self.needs_approval.trim() {
                "" => false,
                v => headway_domain::input::flag("needs_approval", v)?,
            },
            organiser: Some(organiser),
        })
    }
}

#[derive(Template)]
#[template(path = "events/new.html")]
struct NewPage {
    ctx: Ctx,
    f: EventForm,
    /// Networks the event may belong to: (id, name).
    networks: Vec<(i32, String)>,
    /// Whether it may belong to none (the agency's coordinators).
    standalone: bool,
    /// The chosen network's members, to host it: (id, name).
    hosts: Vec<(i32, String)>,
    /// The member whose turn it is to host (hosted least, then longest ago).
    suggested: Option<(i32, String)>,
    error: Option<String>,
}

impl NewPage {
    fn kinds(&self) -> &'static [EventKind] {
        EventKind::ALL
    }
    fn zones(&self) -> [&'static str; 3] {
        Zone::SERVED
    }
    fn langs(&self) -> [Lang; 4] {
        Lang::ALL
    }
}

/// The networks `me` may hold an event in: every network but single conversation groups
/// for the agency's coordinators, else those `me` coordinates.
async fn offered(state: &AppState, me: &Account) -> AppResult<Vec<(i32, String)>> {
    let all = state.store.networks(&NetworkQuery::default()).await?;
    let anywhere = allows(Some(me), Action::CoordinateNetwork { coordinator: false });
    Ok(all
        .into_iter()
        .filter(|n| {
            me.holds(ContextRole::NetworkCoordinator, n.id)
                || (anywhere && n.kind != NetworkKind::ConversationGroup)
        })
        .map(|n| (n.id, n.name))
        .collect())
}

/// The members of the network the form names that may host, and the one to suggest.
async fn hosting(
    state: &AppState,
    f: &EventForm,
) -> AppResult<(Vec<(i32, String)>, Option<(i32, String)>)> {
    let Ok(Some(n)) = headway_domain::input::record_id("network_id", &f.network_id) else {
        return Ok((Vec::new(), None));
    };
    let Ok(detail) = state.store.network(n).await else {
        return Ok((Vec::new(), None));
    };
    let hosts = detail
        .organizations
        .iter()
        .filter(|o| !o.declines_hosting)
        .map(|o| (o.organization.id, o.organization.name.clone()))
        .collect();
    Ok((hosts, headway_store::networks::suggest_host(&detail)))
}

/// The form; `?network_id=` plans that network's next session, its suggested host chosen.
pub async fn new_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidQuery(q): ValidQuery<NewParams>,
) -> AppResult<Html<String>> {
    let networks = offered(&state, &me).await?;
    let standalone = allows(Some(&me), Action::CoordinateNetwork { coordinator: false });
    let mut f = EventForm::defaults(ctx.tr.lang);
    if let Some(n) = q
        .network_id
        .filter(|n| networks.iter().any(|(id, _)| id.to_string() == *n))
    {
        f.network_id = n;
    }
    let (hosts, suggested) = hosting(&state, &f).await?;
    if let Some((id, name)) = &suggested {
        f.host_id = id.to_string();
        f.venue_name = name.clone();
    }
    render(&NewPage {
        ctx,
        f,
        networks,
        standalone,
        hosts,
        suggested,
        error: None,
    })
}

/// Creates the event for `me`, who must coordinate its network (or, without one, be the
/// agency's coordinator); `me` becomes its organiser.
pub(super) async fn create_for(state: &AppState, me: &Account, e: NewEvent) -> AppResult<i32> {
    match e.network_id {
        Some(n) => {
            coordinated(state, me, n).await.map_err(|err| {
                if err.code == "not_found" {
                    InputError::new("network_id", Problem::NoSuchRecord).into()
                } else {
                    err
                }
            })?;
        }
        None if allows(Some(me), Action::CoordinateNetwork { coordinator: false }) => {}
        None => return Err(InputError::new("network_id", Problem::Required).into()),
    }
    Ok(state.store.create_event(&me.username, e).await?)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidForm(f): ValidForm<EventForm>,
) -> AppResult<Response> {
    let result = match f.to_event(me.id) {
        Ok(e) => create_for(&state, &me, e).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/events/{id}")).into_response()),
        Err(e) if e.code == "bad_request" => {
            let networks = offered(&state, &me).await?;
            let standalone = allows(Some(&me), Action::CoordinateNetwork { coordinator: false });
            let (hosts, suggested) = hosting(&state, &f).await?;
            let error = Some(ctx.error_text(&e));
            let mut res = render(&NewPage {
                ctx,
                f,
                networks,
                standalone,
                hosts,
                suggested,
                error,
            })?
            .into_response();
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_come_one_per_line_with_keys_from_their_names() {
        let a = audiences("Administrative skoleeiere\n\n Rektorer \n").unwrap();
        let keys: Vec<&str> = a.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["administrative-skoleeiere", "rektorer"]);
        assert_eq!(a[1].name, "Rektorer");
        assert_eq!(audiences(" \n").unwrap_err().field, "audiences");
        let seven = "a\nb\nc\nd\ne\nf\ng";
        assert!(matches!(
            audiences(seven).unwrap_err().problem,
            Problem::TooMany { .. }
        ));
        let same = audiences("Ravnatelji\nravnatelji").unwrap();
        assert_ne!(same[0].key, same[1].key);
    }

    #[test]
    fn a_form_names_its_bad_field() {
        let f = EventForm {
            title: "Oppstart".into(),
            starts_at: "2027-01-28T09:00".into(),
            ends_at: "2027-01-28T08:00".into(),
            audiences: "Rektorer".into(),
            ..EventForm::defaults(Lang::Nb)
        };
        assert_eq!(f.to_event(1).unwrap_err().field, "ends_at");
        let f = EventForm {
            time_zone: "Europe/Bergen".into(),
            ..f
        };
        assert!(matches!(
            f.to_event(1).unwrap_err().problem,
            Problem::UnknownTimeZone { .. }
        ));
    }

    #[test]
    fn places_and_the_deadline_are_read_in_the_event_s_zone() {
        let f = EventForm {
            title: "Oppstart".into(),
            starts_at: "2027-01-28T09:00".into(),
            ends_at: "2027-01-28T16:00".into(),
            audiences: "Rektorer".into(),
            capacity: "60".into(),
            registration_closes: "2027-01-21T12:00".into(),
            ..EventForm::defaults(Lang::Nb)
        };
        let e = f.to_event(1).unwrap();
        assert_eq!(e.capacity, Some(60));
        assert_eq!(
            e.registration_closes.map(|t| t.to_rfc3339()),
            Some("2027-01-21T11:00:00+00:00".into()),
            "12:00 in Oslo in winter"
        );
        let late = EventForm {
            registration_closes: "2027-01-29T12:00".into(),
            ..f.clone()
        };
        assert_eq!(late.to_event(1).unwrap_err().field, "registration_closes");
        let none = EventForm {
            capacity: "0".into(),
            ..f
        };
        assert_eq!(none.to_event(1).unwrap_err().field, "capacity");
    }
}
