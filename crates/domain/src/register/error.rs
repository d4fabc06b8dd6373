//! Why a step of the register is refused now.

use super::LeaderStatus;
use crate::refusal::{Arg, Refusal};
use crate::Labelled;

/// Why a step of the register is not allowed now; pages say it in the reader's language
/// (`register-<code>` messages), `Display` in English.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleError {
    #[error("an enrolment that is {} cannot be decided on", .status.code())]
    NotDecidable { status: LeaderStatus },
    #[error("`{level}` is not a level of this register ({allowed})")]
    UnknownLevel { level: String, allowed: String },
    #[error("a rejection needs its reasons")]
    RejectionNeedsReasons,
    #[error("the objection was decided; that decision is final")]
    ObjectionDecided,
    #[error("only a rejection can be objected to (this enrolment is {})", .status.code())]
    NotObjectable { status: LeaderStatus },
    #[error("only pending informal activities are validated")]
    ActivityNotPending,
    #[error("there is no registration")]
    NoRegistration,
    #[error("no deferral was asked for")]
    NoDeferralAsked,
    #[error("the registration has lapsed; a new enrolment and decision are needed")]
    Lapsed,
    #[error("{points} of {target} points: not yet enough to re-register")]
    NotEnoughPoints { points: f64, target: f64 },
    #[error("no board is linked to this enrolment")]
    NoBoardLinked,
    #[error("a rejected enrolment keeps no PD log and no schools")]
    Rejected,
    #[error("the offer is not accredited")]
    OfferNotAccredited,
    #[error("this account has already enrolled")]
    AlreadyEnrolled,
    #[error("no change of schools waits for confirmation")]
    NothingToConfirm,
}

impl Refusal for RuleError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotDecidable { .. } => "register-not_decidable",
            Self::UnknownLevel { .. } => "register-unknown_level",
            Self::RejectionNeedsReasons => "register-rejection_needs_reasons",
            Self::ObjectionDecided => "register-objection_decided",
            Self::NotObjectable { .. } => "register-not_objectable",
            Self::ActivityNotPending => "register-activity_not_pending",
            Self::NoRegistration => "register-no_registration",
            Self::NoDeferralAsked => "register-no_deferral_asked",
            Self::Lapsed => "register-lapsed",
            Self::NotEnoughPoints { .. } => "register-not_enough_points",
            Self::NoBoardLinked => "register-no_board_linked",
            Self::Rejected => "register-rejected",
            Self::OfferNotAccredited => "register-offer_not_accredited",
            Self::AlreadyEnrolled => "register-already_enrolled",
            Self::NothingToConfirm => "register-nothing_to_confirm",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Self::NotDecidable { status } | Self::NotObjectable { status } => {
                vec![("status", Arg::Label(status.label_id()))]
            }
            Self::UnknownLevel { level, allowed } => {
                vec![("level", Arg::text(level)), ("allowed", Arg::text(allowed))]
            }
            Self::NotEnoughPoints { points, target } => {
                vec![("points", Arg::text(points)), ("target", Arg::text(target))]
            }
            _ => Vec::new(),
        }
    }
}
