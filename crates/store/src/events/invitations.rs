//! Invitations to events: an organiser invites one audience among the people of the event's
//! network (`InviteTarget`), each told through the outbox in their language with a
//! personal link; answering it needs no account. Yes registers the person (confirmed, or
//! waitlisted when full); no is recorded, and cancels a registration the yes had made.
//! Only the token's SHA-256 is stored; the token itself is in the letter alone.

use super::entities::{event, event_audience, invitation, registration};
use super::feeds::hash;
use super::{Events, Registrations};
use crate::audit::{self, AuditEvent};
use crate::entities::{organization, person, position};
use crate::networks::entities::network_org;
use crate::{outbox, Result, Store, StoreError};
use headway_domain::directory::OrgKind;
use headway_domain::events::agenda;
use headway_domain::events::invitations::{InvitationRule, InviteTarget, Rsvp};
use headway_domain::events::participation::{EventRule, RegStatus};
use headway_domain::events::AudienceKey;
use headway_domain::mail::{Letter, Letters};
use rand::RngCore;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What an invitation round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InviteReport {
    /// Invited now, each told by mail.
    pub invited: u32,
    /// Invited before, or registered already: left alone.
    pub already: u32,
    /// Without an e-mail address: not invited (nothing to send the link to).
    pub unreachable: u32,
}

/// An invitation as the organiser's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvitationRow {
    pub person_id: i32,
    pub name: String,
    pub audience: String,
    pub status: Rsvp,
    pub invited_at: String,
    pub answered_at: Option<String>,
}

/// An invitation as its link opens it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvitationView {
    pub event_id: i32,
    pub person_id: i32,
    pub given_name: String,
    pub audience: String,
    pub status: Rsvp,
}

/// Invitations.
#[async_trait::async_trait]
pub trait Invitations {
    /// Invites `audience` among the event's network's people of `target`; people invited
    /// before or registered already are left alone. All or nothing.
    async fn invite(
        &self,
        actor: &str,
        event: i32,
        audience: &str,
        target: InviteTarget,
        letters: &dyn Letters,
    ) -> Result<InviteReport>;

    /// Invites `audience` to the event: these `people` (the owners in guidance, say), named
    /// `whom` in the audit log; people invited before or registered already are left alone.
    async fn invite_people(
        &self,
        actor: &str,
        event: i32,
        audience: &str,
        people: Vec<i32>,
        whom: &str,
        letters: &dyn Letters,
    ) -> Result<InviteReport>;

    /// The event's invitations, in the order they were sent.
    async fn invitations(&self, event: i32) -> Result<Vec<InvitationRow>>;

    /// The invitation a link's token opens; `None` for a token no invitation has.
    async fn invitation(&self, token: &str) -> Result<Option<InvitationView>>;

    /// Answers through the link: yes registers (or keeps the registration), no declines
    /// (and cancels a registration the yes made, passing the place on). Returns the answer.
    async fn answer_invitation(
        &self,
        token: &str,
        accept: bool,
        letters: &dyn Letters,
    ) -> Result<Rsvp>;
}

fn rsvp(m: &invitation::Model) -> Result<Rsvp> {
    Rsvp::parse(&m.status).map_err(|e| StoreError::Internal(format!("stored invitation: {e}")))
}

impl Store {
    /// The people of `target` in the network: a current position at a member (or at a
    /// school a member owns).
    async fn network_people(&self, network: i32, target: InviteTarget) -> Result<Vec<i32>> {
        let members = Query::select()
            .column(network_org::Column::OrganizationId)
            .from(network_org::Entity)
            .and_where(network_org::Column::NetworkId.eq(network))
            .to_owned();
        let orgs: Vec<i32> = match target {
            InviteTarget::Members => network_org::Entity::find()
                .filter(network_org::Column::NetworkId.eq(network))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|m| m.organization_id)
                .collect(),
            InviteTarget::MemberSchools => organization::Entity::find()
                .filter(organization::Column::Kind.eq(OrgKind::School.code()))
                .filter(organization::Column::ParentId.in_subquery(members))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|o| o.id)
                .collect(),
        };
        let today = chrono::Utc::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
        let mut people = Vec::new();
        let mut seen = HashSet::new();
        for chunk in orgs.chunks(5000) {
            for p in position::Entity::find()
                .filter(position::Column::OrganizationId.is_in(chunk.to_vec()))
                .filter(
                    Condition::any()
                        .add(position::Column::EndsOn.is_null())
                        .add(position::Column::EndsOn.gte(today.as_str())),
                )
                .order_by_asc(position::Column::PersonId)
                .all(&self.db)
                .await?
            {
                if seen.insert(p.person_id) {
                    people.push(p.person_id);
                }
            }
        }
        Ok(people)
    }
}

#[async_trait::async_trait]
impl Invitations for Store {
    async fn invite(
        &self,
        actor: &str,
        event: i32,
        audience: &str,
        target: InviteTarget,
        letters: &dyn Letters,
    ) -> Result<InviteReport> {
        let e = event::Entity::find_by_id(event)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let Some(network) = e.network_id else {
            return Err(InvitationRule::NoNetwork.into());
        };
        let people = self.network_people(network, target).await?;
        self.invite_people(actor, event, audience, people, target.code(), letters)
            .await
    }

    async fn invite_people(
        &self,
        actor: &str,
        event: i32,
        audience: &str,
        people: Vec<i32>,
        whom: &str,
        letters: &dyn Letters,
    ) -> Result<InviteReport> {
        let e = event::Entity::find_by_id(event)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if e.status == "cancelled" {
            return Err(EventRule::EventCancelled.into());
        }
        let a = event_audience::Entity::find()
            .filter(event_audience::Column::EventId.eq(event))
            .filter(event_audience::Column::Key.eq(audience))
            .one(&self.db)
            .await?
            .ok_or_else(|| EventRule::NoSuchAudience {
                audience: audience.chars().take(40).collect(),
            })?;
        let detail = self.event(event).await?;
        let (schedule, items) = (detail.schedule()?, detail.items()?);
        let (starts, ends) = match AudienceKey::parse("audience", &a.key) {
            Ok(k) => agenda::window(&items, &schedule, &k),
            Err(_) => (schedule.starts, schedule.ends),
        };
        let place = match &detail.host {
            Some((_, name)) => name.clone(),
            None => e.venue_name.clone(),
        };
        let txn = self.begin_write().await?;
        let mut skip: HashSet<i32> = invitation::Entity::find()
            .filter(invitation::Column::EventId.eq(event))
            .all(&*txn)
            .await?
            .into_iter()
            .map(|i| i.person_id)
            .collect();
        skip.extend(
            registration::Entity::find()
                .filter(registration::Column::EventId.eq(event))
                .filter(registration::Column::Status.ne(RegStatus::Cancelled.code()))
                .all(&*txn)
                .await?
                .into_iter()
                .map(|r| r.person_id),
        );
        let mut report = InviteReport::default();
        let fresh: Vec<i32> = people
            .into_iter()
            .filter(|p| {
                let known = skip.contains(p);
                report.already += u32::from(known);
                !known
            })
            .collect();
        let to = outbox::Recipients::read(&*txn, &fresh).await?;
        let now = crate::now();
        for id in fresh {
            let Some(p) = to.people.get(&id) else {
                continue;
            };
            let Some(email) = p.email.as_deref().filter(|m| !m.is_empty()) else {
                report.unreachable += 1;
                continue;
            };
            let mut bytes = [0u8; 24];
            rand::thread_rng().fill_bytes(&mut bytes);
            let token = hex::encode(bytes);
            invitation::ActiveModel {
                event_id: Set(event),
                person_id: Set(id),
                audience: Set(a.key.clone()),
                token_hash: Set(hash(&token)),
                status: Set(Rsvp::Invited.code().into()),
                invited_by: Set(actor.to_owned()),
                invited_at: Set(now.clone()),
                answered_at: Set(None),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
            let letter = Letter::Invitation {
                given_name: p.given_name.clone(),
                event: e.title.clone(),
                audience: a.name.clone(),
                starts,
                ends,
                zone: e.time_zone.clone(),
                place: place.clone(),
                path: format!("/rsvp/{token}"),
            };
            let lang = to.language(id, letters.default_language());
            outbox::queue(
                &*txn,
                letters,
                email,
                lang,
                &letter,
                format!("invitation:{event}:{id}"),
            )
            .await?;
            report.invited += 1;
        }
        audit::append(
            &*txn,
            AuditEvent {
                actor,
                action: "event.invite",
                subject: &format!("event:{event}"),
                detail: &format!(
                    "{} {}: {} invited, {} already, {} without e-mail",
                    a.key, whom, report.invited, report.already, report.unreachable
                ),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(report)
    }

    async fn invitations(&self, event: i32) -> Result<Vec<InvitationRow>> {
        let rows = invitation::Entity::find()
            .filter(invitation::Column::EventId.eq(event))
            .order_by_asc(invitation::Column::Id)
            .all(&self.db)
            .await?;
        let mut names: HashMap<i32, String> = HashMap::new();
        let ids: Vec<i32> = rows.iter().map(|r| r.person_id).collect();
        for chunk in ids.chunks(5000) {
            for p in person::Entity::find()
                .filter(person::Column::Id.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                names.insert(p.id, format!("{} {}", p.given_name, p.family_name));
            }
        }
        rows.into_iter()
            .map(|r| {
                Ok(InvitationRow {
                    person_id: r.person_id,
                    name: names.get(&r.person_id).cloned().unwrap_or_default(),
                    status: rsvp(&r)?,
                    audience: r.audience,
                    invited_at: r.invited_at,
                    answered_at: r.answered_at,
                })
            })
            .collect()
    }

    async fn invitation(&self, token: &str) -> Result<Option<InvitationView>> {
        let Some(i) = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(hash(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let p = person::Entity::find_by_id(i.person_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Some(InvitationView {
            event_id: i.event_id,
            person_id: i.person_id,
            given_name: p.given_name,
            status: rsvp(&i)?,
            audience: i.audience,
        }))
    }

    async fn answer_invitation(
        &self,
        token: &str,
        accept: bool,
        letters: &dyn Letters,
    ) -> Result<Rsvp> {
        let i = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(hash(token)))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let actor = format!("rsvp:person:{}", i.person_id);
        let answer = if accept {
            Rsvp::Accepted
        } else {
            Rsvp::Declined
        };
        let registered = self
            .registration(i.event_id, i.person_id)
            .await?
            .is_some_and(|r| !matches!(r.status, RegStatus::Cancelled | RegStatus::Declined));
        // Registering and cancelling take the event's lock themselves; a second answer
        // finds the state the first left and changes only what differs.
        match (accept, registered) {
            (true, false) => {
                // The organiser chose whom to invite: a yes needs no approval.
                super::registrations::register_as(
                    self,
                    &actor,
                    i.event_id,
                    i.person_id,
                    &i.audience,
                    true,
                )
                .await
                .map_err(|e| match e {
                    StoreError::Refused(r) if r.code() == "events-registration_closed" => {
                        InvitationRule::Closed.into()
                    }
                    other => other,
                })?;
            }
            (false, true) => {
                self.cancel_registration(&actor, i.event_id, i.person_id, letters)
                    .await?;
            }
            _ => {}
        }
        let mut m: invitation::ActiveModel = i.into();
        m.status = Set(answer.code().into());
        m.answered_at = Set(Some(crate::now()));
        m.update(&self.db).await?;
        Ok(answer)
    }
}
