//! Invitations: an organiser invites one audience of an event among the people of its
//! network — those holding a position at a member organisation (a school owner's
//! representatives) or at one of the members' schools (their principals) — and each answers
//! through a personal link, without signing in: yes registers them (confirmed, or on the
//! waitlist when full), no is recorded.

use crate::codes::codes;
use crate::refusal::{Arg, Refusal};
use serde::{Deserialize, Serialize};

codes!(
    /// Whom an invitation goes to among a network's people.
    InviteTarget, "target", "invtarget" {
        /// People with a position at a member organisation (an owner's representatives).
        Members => "members",
        /// People with a position at a school a member owns (its principals).
        MemberSchools => "member_schools",
    }
);

codes!(
    /// Where an invitation stands.
    Rsvp, "rsvp", "rsvp" {
        /// Sent, not answered.
        Invited => "invited",
        Accepted => "accepted",
        Declined => "declined",
    }
);

/// A step of inviting refused now.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum InvitationRule {
    #[error("the event belongs to no network, so there is no one to invite")]
    NoNetwork,
    #[error("registration has closed, so the invitation can no longer be answered")]
    Closed,
}

impl Refusal for InvitationRule {
    fn code(&self) -> &'static str {
        match self {
            Self::NoNetwork => "invitations-no_network",
            Self::Closed => "invitations-closed",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        vec![]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_answers_round_trip() {
        for t in InviteTarget::ALL {
            assert_eq!(InviteTarget::parse(t.code()).unwrap(), *t);
        }
        for r in Rsvp::ALL {
            assert_eq!(Rsvp::parse(r.code()).unwrap(), *r);
        }
        assert!(InviteTarget::parse("everyone").is_err());
        assert_eq!(InvitationRule::NoNetwork.code(), "invitations-no_network");
    }
}
