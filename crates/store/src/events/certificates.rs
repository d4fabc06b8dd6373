//! Certificates of attendance and the PD log: marking a participant present gives their
//! registration a verification code (the certificate's), and — at an event that counts for
//! an accredited offer — adds the offer to a registered leader's PD log, once; unmarking
//! takes that activity out again. The register's consent rules then apply to it as to any
//! activity (a board sees it only with the leader's consent).

use super::entities::{event, registration};
use super::{Events, LOCAL};
use crate::audit::{self, AuditEvent};
use crate::entities::person;
use crate::entities::register::{activity, leader, offer};
use crate::{Result, Store, StoreError, WriteTxn};
use headway_domain::events::agenda;
use headway_domain::events::certificate::{attended_hours, CertificateCode};
use headway_domain::events::participation::{EventRule, RegStatus};
use headway_domain::events::{AudienceKey, EventKind};
use headway_domain::register::{ActivityKind, OfferStatus};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;

/// What a certificate states, in plain values; the web writes it in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certificate {
    /// As printed: `XXXX-XXXX-XXXX`.
    pub code: String,
    pub event_id: i32,
    pub given_name: String,
    pub family_name: String,
    pub event_title: String,
    pub kind: EventKind,
    pub time_zone: String,
    /// The participant's audience's window, wall-clock `YYYY-MM-DDTHH:MM`.
    pub from_local: String,
    pub to_local: String,
    pub hours: f64,
    pub audience: String,
    /// Where it took place: the host or the venue.
    pub place: String,
    /// The accredited offer it counts for: (title, hours, points).
    pub offer: Option<(String, f64, f64)>,
}

/// Certificates: one's own, and the public check of a code.
#[async_trait::async_trait]
pub trait Certificates {
    /// The certificate of `person` at `event`: `None` unless they were marked present.
    async fn certificate(&self, event: i32, person: i32) -> Result<Option<Certificate>>;

    /// The certificate a code names, while its holder stays marked present; `None` for a
    /// code no certificate has (a forged or mistyped one).
    async fn verify_certificate(&self, code: &CertificateCode) -> Result<Option<Certificate>>;
}

#[async_trait::async_trait]
impl Certificates for Store {
    async fn certificate(&self, event: i32, person: i32) -> Result<Option<Certificate>> {
        let r = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event))
            .filter(registration::Column::PersonId.eq(person))
            .one(&self.db)
            .await?;
        match r {
            Some(r) => self.stated(r).await,
            None => Ok(None),
        }
    }

    async fn verify_certificate(&self, code: &CertificateCode) -> Result<Option<Certificate>> {
        let r = registration::Entity::find()
            .filter(registration::Column::CertificateCode.eq(code.as_str()))
            .one(&self.db)
            .await?;
        match r {
            Some(r) => self.stated(r).await,
            None => Ok(None),
        }
    }
}

impl Store {
    /// The certificate a registration holds, if its person was marked present.
    async fn stated(&self, r: registration::Model) -> Result<Option<Certificate>> {
        let (Some(true), Some(code)) = (r.attended, r.certificate_code.as_deref()) else {
            return Ok(None);
        };
        let code = CertificateCode::parse("code", code)
            .map_err(|e| StoreError::Internal(format!("stored certificate code: {e}")))?;
        let e = self.event(r.event_id).await?;
        let p = person::Entity::find_by_id(r.person_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let schedule = e.schedule()?;
        let items = e.items()?;
        let window = match AudienceKey::parse("audience", &r.audience) {
            Ok(k) => agenda::window(&items, &schedule, &k),
            Err(_) => (schedule.starts, schedule.ends),
        };
        let audience = e.audience_name(&r.audience);
        let place = match &e.host {
            Some((_, name)) => name.clone(),
            None if !e.summary.venue_name.is_empty() => e.summary.venue_name.clone(),
            None => e.online_url.clone().unwrap_or_default(),
        };
        Ok(Some(Certificate {
            code: code.display(),
            event_id: e.summary.id,
            given_name: p.given_name,
            family_name: p.family_name,
            event_title: e.summary.title.clone(),
            kind: e.summary.kind,
            time_zone: e.summary.time_zone.clone(),
            from_local: window.0.format(LOCAL).to_string(),
            to_local: window.1.format(LOCAL).to_string(),
            hours: attended_hours(window),
            audience,
            place,
            offer: e
                .offer
                .map(|(_, title, hours, points)| (title, hours, points)),
        }))
    }
}

/// Applies a present or absent mark to a confirmed registration inside `txn`: the code on
/// the first "present", the PD-log activity at an accredited event for a registered leader
/// (once), and its removal when the mark turns to absent.
pub(super) async fn on_attendance(
    txn: &WriteTxn,
    actor: &str,
    e: &event::Model,
    r: registration::Model,
    attended: bool,
) -> Result<()> {
    if e.starts_utc > crate::now() {
        return Err(EventRule::NotStarted {
            starts: e.starts_local.replace('T', " ").chars().take(16).collect(),
        }
        .into());
    }
    if r.status != RegStatus::Confirmed.code() {
        return Err(EventRule::NotRegistered.into());
    }
    let code = match (&r.certificate_code, attended) {
        (None, true) => Some(new_code()?),
        (c, _) => c.clone(),
    };
    let activity_id = if attended {
        match r.activity_id {
            Some(a) => Some(a),
            None => log_activity(txn, actor, e, r.person_id).await?,
        }
    } else {
        if let Some(a) = r.activity_id {
            activity::Entity::delete_by_id(a).exec(&**txn).await?;
            audit::append(
                &**txn,
                AuditEvent {
                    actor,
                    action: "register.activity.remove",
                    subject: &format!("activity:{a}"),
                    detail: &format!("event:{} absent", e.id),
                },
            )
            .await?;
        }
        None
    };
    let mut a: registration::ActiveModel = r.into();
    a.attended = Set(Some(attended));
    a.certificate_code = Set(code);
    a.activity_id = Set(activity_id);
    a.update(&**txn).await?;
    Ok(())
}

fn new_code() -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    CertificateCode::from_random(&bytes)
        .map(|c| c.as_str().to_owned())
        .ok_or_else(|| StoreError::Internal("random bytes ran out for a code".into()))
}

/// Adds the event's accredited offer to the PD log of the registered leader who is
/// `person`: `None` when the event counts for no accredited offer or the person is no
/// leader in the register (or a rejected one).
async fn log_activity(
    txn: &WriteTxn,
    actor: &str,
    e: &event::Model,
    person: i32,
) -> Result<Option<i32>> {
    let Some(offer_id) = e.offer_id else {
        return Ok(None);
    };
    let Some(o) = offer::Entity::find_by_id(offer_id).one(&**txn).await? else {
        return Ok(None);
    };
    if o.status != OfferStatus::Accredited.code() {
        return Ok(None);
    }
    let Some(l) = leader::Entity::find()
        .filter(leader::Column::PersonId.eq(person))
        .filter(leader::Column::Status.ne("rejected"))
        .one(&**txn)
        .await?
    else {
        return Ok(None);
    };
    let day = |local: &str| local.chars().take(10).collect::<String>();
    let a = activity::ActiveModel {
        leader_id: Set(l.id),
        offer_id: Set(Some(o.id)),
        title: Set(o.title),
        kind: Set(ActivityKind::Formal.code().into()),
        themes: Set(o.themes),
        hours: Set(o.hours),
        points: Set(o.points),
        started_on: Set(day(&e.starts_local)),
        completed_on: Set(day(&e.ends_local)),
        validation: Set("not_needed".into()),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&**txn)
    .await?;
    audit::append(
        &**txn,
        AuditEvent {
            actor,
            action: "register.activity.add",
            subject: &format!("leader:{}", l.id),
            detail: &format!("activity:{} event:{}", a.id, e.id),
        },
    )
    .await?;
    Ok(Some(a.id))
}
