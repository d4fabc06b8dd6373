//! The register's values as types: each parses once at the edge from its stored code and
//! names its translation.

use crate::codes::codes;

codes!(
    /// A leader's position at their schools.
    Position, "position", "pos" {
        Director => "director",
        Deputy => "deputy",
        TeamLeader => "team_leader",
    }
);

codes!(
    /// Formal learning counts at once; informal learning after an assessor validated it.
    ActivityKind, "kind", "kind" {
        Formal => "formal",
        Informal => "informal",
    }
);

codes!(
    /// Where an offer of the catalogue stands.
    OfferStatus, "status", "offer" {
        /// Waiting for a coordinator.
        Pending => "pending",
        Accredited => "accredited",
        Withdrawn => "withdrawn",
    }
);

codes!(
    /// Whether an activity counts: formal ones at once, informal ones once validated.
    Validation, "validation", "val" {
        NotNeeded => "not_needed",
        Pending => "pending",
        Validated => "validated",
        Rejected => "rejected",
    }
);

codes!(
    /// Where an enrolment stands.
    EnrolmentStatus, "status", "status" {
        /// Waiting for the committee.
        Submitted => "submitted",
        /// Registered at a level; the cycle decides registered / conditional / lapsed.
        Registered => "registered",
        /// In training towards a level.
        Aspirant => "aspirant",
        /// Rejected; an objection may follow.
        Rejected => "rejected",
        /// An objection waits for the second decision.
        Objection => "objection",
    }
);

codes!(
    /// Where a registration stands on a date (ordered: statuses only move forward).
    CycleStatus, "status", "status" {
        Registered => "registered",
        Conditional => "conditional",
        Lapsed => "lapsed",
    }
);

codes!(
    /// Where a leader stands, as the register shows it: the enrolment's status until the
    /// committee registers them, then the cycle's.
    LeaderStatus, "status", "status" {
        Submitted => "submitted",
        Aspirant => "aspirant",
        Rejected => "rejected",
        Objection => "objection",
        Registered => "registered",
        Conditional => "conditional",
        Lapsed => "lapsed",
    }
);

impl LeaderStatus {
    /// The statuses the public register publishes.
    pub const PUBLIC: [LeaderStatus; 3] = [Self::Registered, Self::Conditional, Self::Lapsed];
}

impl From<EnrolmentStatus> for LeaderStatus {
    fn from(s: EnrolmentStatus) -> Self {
        match s {
            EnrolmentStatus::Submitted => Self::Submitted,
            EnrolmentStatus::Registered => Self::Registered,
            EnrolmentStatus::Aspirant => Self::Aspirant,
            EnrolmentStatus::Rejected => Self::Rejected,
            EnrolmentStatus::Objection => Self::Objection,
        }
    }
}

impl From<CycleStatus> for LeaderStatus {
    fn from(s: CycleStatus) -> Self {
        match s {
            CycleStatus::Registered => Self::Registered,
            CycleStatus::Conditional => Self::Conditional,
            CycleStatus::Lapsed => Self::Lapsed,
        }
    }
}

codes!(
    /// What a decision on a registration was.
    DecisionKind, "kind", "dec" {
        Register => "register",
        Aspirant => "aspirant",
        Reject => "reject",
        Objection => "objection",
        ObjectionRegister => "objection_register",
        ObjectionAspirant => "objection_aspirant",
        ObjectionReject => "objection_reject",
        Reregister => "reregister",
        DeferralGranted => "deferral_granted",
        DeferralRefused => "deferral_refused",
    }
);
