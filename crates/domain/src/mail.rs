//! Mail as the domain knows it: what a letter says (its kind and figures), not its words.
//! The store queues a letter in the recipient's language through [`Letters`], which the
//! web layer implements with the Fluent files, so the store holds no text of its own and
//! every letter exists in every language.

use crate::language::Lang;
use chrono::NaiveDate;

/// A letter to one recipient: its kind and the figures its text uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Letter {
    /// A registration's cycle ends in `days` days.
    CycleReminder {
        given_name: String,
        ends_on: NaiveDate,
        days: u32,
        points: f64,
        target: f64,
    },
    /// A round's groups are published: the recipient's group and who else is in it.
    GroupAssigned {
        given_name: String,
        round: String,
        group: String,
        others: Vec<String>,
        /// The group's page, from the site's root (`/networks/12`).
        path: String,
    },
    /// A place freed at an event and the recipient, who waited for it, now has it.
    PlaceFreed {
        given_name: String,
        event: String,
        /// Wall-clock start and end in `zone`.
        starts: chrono::NaiveDateTime,
        ends: chrono::NaiveDateTime,
        zone: String,
        /// The event's page, from the site's root (`/events/3`).
        path: String,
    },
    /// The organiser decided on the recipient's registration at an event that asks for
    /// approval: `outcome` is confirmed, waitlisted (approved, but full) or declined.
    RegistrationDecided {
        given_name: String,
        event: String,
        starts: chrono::NaiveDateTime,
        ends: chrono::NaiveDateTime,
        zone: String,
        outcome: crate::events::participation::RegStatus,
        path: String,
    },
    /// An event the recipient is confirmed for begins `hours` hours from when the reminder
    /// fell due; the times are the recipient's audience's.
    EventReminder {
        given_name: String,
        event: String,
        starts: chrono::NaiveDateTime,
        ends: chrono::NaiveDateTime,
        zone: String,
        /// The host or venue; empty when online only.
        place: String,
        hours: u32,
        path: String,
    },
    /// The recipient is invited to an event as one of its audiences; `path` is their
    /// personal link to answer (`/rsvp/{token}`).
    Invitation {
        given_name: String,
        event: String,
        audience: String,
        starts: chrono::NaiveDateTime,
        ends: chrono::NaiveDateTime,
        zone: String,
        place: String,
        path: String,
    },
    /// The directorate's decision on the recipient's organisation for guidance.
    GuidanceDecision {
        given_name: String,
        owner: String,
        year: String,
        decision: crate::guidance::cases::Decision,
        rationale: String,
    },
    /// The recipient is asked for feedback in a wave of a survey; `path` is their personal
    /// link (`/feedback/{token}`).
    SurveyInvitation {
        given_name: String,
        survey: String,
        wave: String,
        closes_on: NaiveDate,
        path: String,
    },
    /// The recipient has not answered a wave yet; `path` is a fresh personal link (it
    /// replaces the invitation's).
    SurveyReminder {
        given_name: String,
        survey: String,
        wave: String,
        closes_on: NaiveDate,
        path: String,
    },
}

impl Letter {
    /// Stored with the message (`reminder_180`), for the outbox page and deduplication.
    pub fn kind(&self) -> String {
        match self {
            Letter::CycleReminder { days, .. } => format!("reminder_{days}"),
            Letter::GroupAssigned { .. } => "group_assigned".into(),
            Letter::PlaceFreed { .. } => "place_freed".into(),
            Letter::EventReminder { hours, .. } => format!("event_reminder_{hours}"),
            Letter::Invitation { .. } => "invitation".into(),
            Letter::RegistrationDecided { outcome, .. } => format!("decided_{}", outcome.code()),
            Letter::GuidanceDecision { decision, .. } => format!("guidance_{}", decision.code()),
            Letter::SurveyInvitation { .. } => "survey_invitation".into(),
            Letter::SurveyReminder { .. } => "survey_reminder".into(),
        }
    }
}

/// A letter in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub subject: String,
    pub body: String,
}

/// Puts letters into words.
pub trait Letters: Send + Sync {
    /// The language of a recipient who has none recorded: the installation's.
    fn default_language(&self) -> Lang;

    /// `letter` in `lang`.
    fn write(&self, lang: Lang, letter: &Letter) -> Written;
}
