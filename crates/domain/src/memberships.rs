//! Roles held in a context. An account's global role says what it is everywhere (an
//! administrator, an agency's coordinator); a membership says what it is *somewhere*: the
//! representative of one school board, the staff of one provider, the coordinator of one
//! network, a counsellor at one gathering, the advisor of one guidance case. The policy
//! decides from the account, the action and the account's memberships in the object's
//! context.

use crate::codes::codes;
use serde::{Deserialize, Serialize};

codes!(
    /// What a role can be held in.
    ContextKind, "context", "context" {
        /// An organisation of the directory (a board, a school owner, a provider).
        Organization => "organization",
        /// A network or group (a regional group of principals, an owner network).
        Network => "network",
        /// A gathering or session.
        Event => "event",
        /// A guidance case of a school owner.
        GuidanceCase => "guidance_case",
    }
);

codes!(
    /// A role in a context.
    ContextRole, "role", "crole" {
        /// Represents an organisation: a school board's or owner's representative.
        Representative => "representative",
        /// Works for an organisation: a provider's staff, who keep its offers.
        Staff => "staff",
        NetworkCoordinator => "network_coordinator",
        NetworkMember => "network_member",
        /// The institution that hosts a network's meetings.
        NetworkHost => "network_host",
        /// The coordination group of a network (*samordningsgruppe*).
        CoordinationGroup => "coordination_group",
        EventOrganiser => "event_organiser",
        EventParticipant => "event_participant",
        EventCounsellor => "event_counsellor",
        CaseAdvisor => "case_advisor",
        CaseOwnerContact => "case_owner_contact",
    }
);

impl ContextRole {
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

    /// Whether any role is held in the context `id` of `kind` (a member of that network).
    fn in_context(&self, kind: ContextKind, id: i32) -> bool {
        self.memberships()
            .iter()
            .any(|m| m.kind() == kind && m.context_id == id)
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
            assert_eq!(ContextRole::parse(r.code()).unwrap(), *r);
        }
        for k in ContextKind::ALL {
            assert_eq!(ContextKind::parse(k.code()).unwrap(), *k);
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
