//! Taking part in an event: a registration is confirmed while there is room (in the event
//! and in the participant's audience), else it waits on the waitlist in arrival order; when
//! a place frees, the first waiting registration that fits is promoted. The store applies
//! these rules under a lock on the event, so no interleaving confirms more than capacity.

use crate::codes::codes;
use crate::input::InputError;
use crate::refusal::{Arg, Refusal};
use serde::{Deserialize, Serialize};

codes!(
    /// Where a registration stands.
    RegStatus, "status", "regstatus" {
        Confirmed => "confirmed",
        /// Waiting for a place, in arrival order.
        Waitlisted => "waitlisted",
        Cancelled => "cancelled",
        /// Waiting for the organiser's approval (at an event that asks for it); takes no
        /// place until approved.
        Pending => "pending",
        /// The organiser did not accept it.
        Declined => "declined",
    }
);

/// A number of places: a whole number from 1 to 100,000; empty is no limit.
pub fn parse_capacity(field: &'static str, s: &str) -> Result<Option<u32>, InputError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    crate::input::whole_number(field, s, 1, 100_000).map(Some)
}

/// The places of an event and of each audience, and how many are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Room {
    /// The event's places; `None`: no limit.
    pub event_capacity: Option<u32>,
    /// Confirmed registrations of the whole event.
    pub event_confirmed: u32,
    /// The places of the participant's audience; `None`: no limit of its own.
    pub audience_capacity: Option<u32>,
    /// Confirmed registrations of that audience.
    pub audience_confirmed: u32,
}

impl Room {
    /// Whether one more participant of this audience can be confirmed.
    pub fn has_place(&self) -> bool {
        self.event_capacity.is_none_or(|c| self.event_confirmed < c)
            && self
                .audience_capacity
                .is_none_or(|c| self.audience_confirmed < c)
    }
}

/// A waiting registration: its id, arrival number and audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: i32,
    pub arrival: i64,
    pub audience: String,
}

/// Which waiting registrations to promote, in arrival order, given the places taken now:
/// each is confirmed when its audience and the event still have room, counting those
/// promoted before it. `audiences` gives each audience's (capacity, confirmed).
pub fn promotions(
    event_capacity: Option<u32>,
    event_confirmed: u32,
    audiences: &[(String, Option<u32>, u32)],
    waiting: &[Waiting],
) -> Vec<i32> {
    let mut taken = event_confirmed;
    let mut per: Vec<(String, Option<u32>, u32)> = audiences.to_vec();
    let mut order: Vec<&Waiting> = waiting.iter().collect();
    order.sort_by_key(|w| w.arrival);
    let mut out = Vec::new();
    for w in order {
        if event_capacity.is_some_and(|c| taken >= c) {
            break;
        }
        let Some(a) = per.iter_mut().find(|a| a.0 == w.audience) else {
            continue;
        };
        if a.1.is_some_and(|c| a.2 >= c) {
            continue;
        }
        a.2 += 1;
        taken += 1;
        out.push(w.id);
    }
    out
}

/// What a registration becomes when it arrives: confirmed while there is room, else
/// waitlisted; at an event that asks for approval, pending until the organiser decides
/// (unless `approved` already, as an invitation's yes is).
pub fn arriving(needs_approval: bool, approved: bool, room: &Room) -> RegStatus {
    if needs_approval && !approved {
        RegStatus::Pending
    } else if room.has_place() {
        RegStatus::Confirmed
    } else {
        RegStatus::Waitlisted
    }
}

/// A step of taking part refused now.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum EventRule {
    #[error("registration closed on {deadline}")]
    RegistrationClosed { deadline: String },
    #[error("the event has been cancelled")]
    EventCancelled,
    #[error("already registered")]
    AlreadyRegistered,
    #[error("not registered")]
    NotRegistered,
    #[error("{capacity} places are fewer than the {confirmed} already confirmed")]
    CapacityBelowConfirmed { capacity: u32, confirmed: u32 },
    #[error("`{audience}` is not an audience of this event")]
    NoSuchAudience { audience: String },
    #[error("the person has no e-mail address and no account to be told by")]
    Unreachable,
    /// Attendance is marked once the event has begun.
    #[error("the event starts at {starts}; attendance is marked from then")]
    NotStarted { starts: String },
    /// Only a registration awaiting approval is approved or declined.
    #[error("the registration is not awaiting approval")]
    NotPending,
    /// The organiser declined the person's registration; they cannot register again.
    #[error("the organiser declined this registration")]
    Declined,
}

impl Refusal for EventRule {
    fn code(&self) -> &'static str {
        match self {
            Self::RegistrationClosed { .. } => "events-registration_closed",
            Self::EventCancelled => "events-cancelled",
            Self::AlreadyRegistered => "events-already_registered",
            Self::NotRegistered => "events-not_registered",
            Self::CapacityBelowConfirmed { .. } => "events-capacity_below_confirmed",
            Self::NoSuchAudience { .. } => "events-no_such_audience",
            Self::Unreachable => "events-unreachable",
            Self::NotStarted { .. } => "events-not_started",
            Self::NotPending => "events-not_pending",
            Self::Declined => "events-declined",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Self::RegistrationClosed { deadline } => vec![("deadline", Arg::text(deadline))],
            Self::CapacityBelowConfirmed {
                capacity,
                confirmed,
            } => vec![
                ("capacity", Arg::text(capacity)),
                ("confirmed", Arg::text(confirmed)),
            ],
            Self::NoSuchAudience { audience } => vec![("audience", Arg::text(audience))],
            Self::NotStarted { starts } => vec![("starts", Arg::text(starts))],
            Self::EventCancelled
            | Self::AlreadyRegistered
            | Self::NotRegistered
            | Self::Unreachable
            | Self::NotPending
            | Self::Declined => {
                vec![]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(id: i32, arrival: i64, audience: &str) -> Waiting {
        Waiting {
            id,
            arrival,
            audience: audience.into(),
        }
    }

    #[test]
    fn room_counts_the_event_and_the_audience() {
        let r = Room {
            event_capacity: Some(50),
            event_confirmed: 49,
            audience_capacity: None,
            audience_confirmed: 30,
        };
        assert!(r.has_place());
        assert!(!Room {
            event_confirmed: 50,
            ..r
        }
        .has_place());
        assert!(!Room {
            audience_capacity: Some(30),
            ..r
        }
        .has_place());
        assert!(Room::default().has_place(), "no limits");
    }

    #[test]
    fn the_first_waiting_that_fits_is_promoted_in_arrival_order() {
        let waiting = [
            w(7, 30, "owners"),
            w(5, 10, "principals"),
            w(6, 20, "owners"),
        ];
        let aud = |p: Option<u32>, c| {
            vec![
                ("owners".to_string(), None, 10),
                ("principals".to_string(), p, c),
            ]
        };
        // One place frees in the event: the earliest arrival takes it.
        assert_eq!(promotions(Some(21), 20, &aud(None, 10), &waiting), [5]);
        // The principals are full: the earliest owner goes first.
        assert_eq!(promotions(Some(21), 20, &aud(Some(10), 10), &waiting), [6]);
        // Room for all: all, in arrival order.
        assert_eq!(promotions(None, 20, &aud(None, 10), &waiting), [5, 6, 7]);
        assert!(promotions(Some(20), 20, &aud(None, 10), &waiting).is_empty());
    }

    #[test]
    fn approval_holds_a_registration_until_decided() {
        let full = Room {
            event_capacity: Some(1),
            event_confirmed: 1,
            ..Room::default()
        };
        assert_eq!(arriving(true, false, &Room::default()), RegStatus::Pending);
        assert_eq!(arriving(true, true, &Room::default()), RegStatus::Confirmed);
        assert_eq!(arriving(true, true, &full), RegStatus::Waitlisted);
        assert_eq!(arriving(false, false, &full), RegStatus::Waitlisted);
        assert_eq!(
            arriving(false, false, &Room::default()),
            RegStatus::Confirmed
        );
    }

    #[test]
    fn capacities_parse() {
        assert_eq!(parse_capacity("c", " 50 ").unwrap(), Some(50));
        assert_eq!(parse_capacity("c", "").unwrap(), None);
        assert!(parse_capacity("c", "0").is_err());
        assert!(parse_capacity("c", "fifty").is_err());
    }
}
