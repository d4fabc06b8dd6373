//! Roles held in a context. An account's global role says what it is everywhere (an
//! administrator, an agency's coordinator); a membership says what it is *somewhere*: the
//! representative of one school board, the staff of one provider, the coordinator of one
//! network, a counsellor at one gathering, the advisor of one guidance case. The policy
//! decides from the account, the action and the account's memberships in the object's
//! context.

use crate::directory::ParseError;
use serde::{Deserialize, Serialize};

/// What a role can be held in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContextKind {
    /// An organisation of the directory (a board, a school owner, a provider).
    Organization,
    /// A network or group (a regional group of principals, an owner network).
    Network,
    /// A gathering or session.
    Event,
    /// A guidance case of a school owner.
    GuidanceCase,
}

/// A role in a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContextRole {
    /// Represents an organisation: a school board's or owner's representative.
    Representative,
    /// Works for an organisation: a provider's staff, who keep its offers.
    Staff,
    NetworkCoordinator,
    NetworkMember,
    /// The institution that hosts a network's meetings.
    NetworkHost,
    /// The coordination group of a network (*samordningsgruppe*).
    CoordinationGroup,
    EventOrganiser,
    EventParticipant,
    EventCounsellor,
    CaseAdvisor,
    CaseOwnerContact,
}

impl ContextKind {
    pub const ALL: [ContextKind; 4] = [
        ContextKind::Organization,
        ContextKind::Network,
        ContextKind::Event,
        ContextKind::GuidanceCase,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContextKind::Organization => "organization",
            ContextKind::Network => "network",
            ContextKind::Event => "event",
            ContextKind::GuidanceCase => "guidance_case",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| ParseError {
                what: "context",
                value: s.to_owned(),
                expected: Self::ALL.map(Self::code).join(", "),
            })
    }
}

impl ContextRole {
    pub const ALL: [ContextRole; 11] = [
        ContextRole::Representative,
        ContextRole::Staff,
        ContextRole::NetworkCoordinator,
        ContextRole::NetworkMember,
        ContextRole::NetworkHost,
        ContextRole::CoordinationGroup,
        ContextRole::EventOrganiser,
        ContextRole::EventParticipant,
        ContextRole::EventCounsellor,
        ContextRole::CaseAdvisor,
        ContextRole::CaseOwnerContact,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContextRole::Representative => "representative",
            ContextRole::Staff => "staff",
            ContextRole::NetworkCoordinator => "network_coordinator",
            ContextRole::NetworkMember => "network_member",
            ContextRole::NetworkHost => "network_host",
            ContextRole::CoordinationGroup => "coordination_group",
            ContextRole::EventOrganiser => "event_organiser",
            ContextRole::EventParticipant => "event_participant",
            ContextRole::EventCounsellor => "event_counsellor",
            ContextRole::CaseAdvisor => "case_advisor",
            ContextRole::CaseOwnerContact => "case_owner_contact",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| ParseError {
                what: "role in a context",
                value: s.to_owned(),
                expected: Self::ALL.map(Self::code).join(", "),
            })
    }

    /// The kind of context the role is held in.
    pub fn context(self) -> ContextKind {
        match self {
            ContextRole::Representative | ContextRole::Staff => ContextKind::Organization,
            ContextRole::NetworkCoordinator
            | ContextRole::NetworkMember
            | ContextRole::NetworkHost
            | ContextRole::CoordinationGroup => ContextKind::Network,
            ContextRole::EventOrganiser
            | ContextRole::EventParticipant
            | ContextRole::EventCounsellor => ContextKind::Event,
            ContextRole::CaseAdvisor | ContextRole::CaseOwnerContact => ContextKind::GuidanceCase,
        }
    }
}

/// A role held in one context (`context_id` is the id of the organisation, network,
/// event or case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Membership {
    pub role: ContextRole,
    pub context_id: i32,
}

impl Membership {
    pub fn kind(self) -> ContextKind {
        self.role.context()
    }
}

/// An account's memberships, asked by the policy.
pub trait Memberships {
    fn memberships(&self) -> &[Membership];

    /// Whether `role` is held in the context `id`.
    fn holds(&self, role: ContextRole, id: i32) -> bool {
        self.memberships()
            .iter()
            .any(|m| m.role == role && m.context_id == id)
    }

    /// Whether `role` is held anywhere.
    fn holds_any(&self, role: ContextRole) -> bool {
        self.memberships().iter().any(|m| m.role == role)
    }

    /// The contexts in which `role` is held.
    fn contexts_of(&self, role: ContextRole) -> Vec<i32> {
        self.memberships()
            .iter()
            .filter(|m| m.role == role)
            .map(|m| m.context_id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_roles_know_their_context() {
        for r in ContextRole::ALL {
            assert_eq!(ContextRole::parse(r.code()).unwrap(), r);
        }
        for k in ContextKind::ALL {
            assert_eq!(ContextKind::parse(k.code()).unwrap(), k);
        }
        assert_eq!(
            ContextRole::Representative.context(),
            ContextKind::Organization
        );
        assert_eq!(
            ContextRole::CaseAdvisor.context(),
            ContextKind::GuidanceCase
        );
        assert!(ContextRole::parse("king")
            .unwrap_err()
            .to_string()
            .contains("representative"));
    }

    struct A(Vec<Membership>);
    impl Memberships for A {
        fn memberships(&self) -> &[Membership] {
            &self.0
        }
    }

    #[test]
    fn holds_asks_role_and_context() {
        let a = A(vec![Membership {
            role: ContextRole::Representative,
            context_id: 7,
        }]);
        assert!(a.holds(ContextRole::Representative, 7));
        assert!(!a.holds(ContextRole::Representative, 8));
        assert!(!a.holds(ContextRole::Staff, 7));
        assert_eq!(a.contexts_of(ContextRole::Representative), vec![7]);
    }
}
