//! The register's values as types: each parses once at the edge from its stored code and
//! names its translation.

use serde::{Deserialize, Serialize};

/// Defines a code enum: variants with their stored codes, `ALL`, `code`, `parse` (whose
/// error names the field and the codes allowed) and `label_id` (the Fluent message that
/// names the value, `<labels>-<code>`). Serialised and shown as its code.
macro_rules! codes {
    ($(#[$m:meta])* $name:ident, $what:literal, $labels:literal { $($(#[$vm:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Result<Self, crate::input::InputError> {
                let t = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == t).ok_or_else(|| {
                    let shown: String = t.chars().take(40).collect();
                    crate::input::InputError::new(
                        $what,
                        crate::input::Problem::NotOneOf {
                            value: shown,
                            allowed: Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", "),
                        },
                    )
                })
            }
        }

        impl crate::Labelled for $name {
            fn label_id(&self) -> String {
                format!("{}-{}", $labels, self.code())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

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

impl PartialOrd for CycleStatus {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CycleStatus {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let rank = |s: &Self| Self::ALL.iter().position(|x| x == s);
        rank(self).cmp(&rank(other))
    }
}

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
