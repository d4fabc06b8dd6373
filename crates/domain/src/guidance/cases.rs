//! Selection decisions and guidance cases (Veilederkorpset, seed 004): the directorate
//! invites an owner (or not now; or the owner declines); a case runs up to two and a half
//! years through phases — mapping and analysis, anchoring in the organisation, the choice of
//! a development area, prioritised goals, measures, evaluation — each closed by the advisor
//! and the owner signing it off once its required outputs are recorded.

use crate::codes::codes;
use crate::refusal::{Arg, Refusal};

codes!(
    /// The directorate's decision on an owner for a school year.
    Decision, "decision", "decision" {
        /// Invited to guidance.
        Invite => "invite",
        /// Not selected this time.
        NotNow => "not_now",
        /// Invited, and the owner declined.
        Declined => "declined",
    }
);

codes!(
    /// The phases of a guidance case, in order.
    Phase, "phase", "phase" {
        /// *Kartlegging og analyse* of the indicators and the owner's own data.
        Mapping => "mapping",
        /// *Forankring* in the owner's organisation.
        Anchoring => "anchoring",
        /// *Valg av utviklingsområde*.
        Area => "area",
        /// *Prioritering av mål*.
        Goals => "goals",
        /// *Tiltak*: measures carried out.
        Measures => "measures",
        /// *Evaluering*.
        Evaluation => "evaluation",
    }
);

codes!(
    /// What a phase must produce before it is signed off.
    Output, "output", "output" {
        /// The analysis of the indicators and the owner's own data.
        Analysis => "analysis",
        /// The participating schools (all are encouraged) and whether the transition from
        /// kindergarten to school is included.
        Schools => "schools",
        /// The owner's decision to take part, anchored at every level.
        OwnerDecision => "owner_decision",
        /// What advisor and owner agree on: meetings, roles, who takes part.
        Agreement => "agreement",
        /// The development area chosen, and why.
        DevelopmentArea => "development_area",
        /// The goals, in priority order.
        PrioritisedGoals => "prioritised_goals",
        /// The measures, who is responsible, when.
        MeasurePlan => "measure_plan",
        /// The evaluation against the goals and the indicators.
        EvaluationReport => "evaluation_report",
    }
);

codes!(
    /// Who signs a phase off.
    Party, "party", "party" {
        Advisor => "advisor",
        Owner => "owner",
    }
);

codes!(
    /// How far a measure has come.
    MeasureStatus, "status", "mstatus" {
        Planned => "planned",
        Ongoing => "ongoing",
        Done => "done",
    }
);

codes!(
    /// An evaluation snapshot of a case's indicators.
    SnapshotKind, "kind", "snapshot" {
        /// When the case opened.
        Baseline => "baseline",
        /// Any later one.
        FollowUp => "follow_up",
    }
);

/// Whether a measure is overdue on `today`: its deadline has passed and it is not done.
pub fn overdue(
    deadline: chrono::NaiveDate,
    status: MeasureStatus,
    today: chrono::NaiveDate,
) -> bool {
    deadline < today && status != MeasureStatus::Done
}

impl Phase {
    /// The outputs recorded before the phase is signed off.
    pub fn outputs(self) -> &'static [Output] {
        match self {
            Phase::Mapping => &[Output::Analysis, Output::Schools],
            Phase::Anchoring => &[Output::OwnerDecision, Output::Agreement],
            Phase::Area => &[Output::DevelopmentArea],
            Phase::Goals => &[Output::PrioritisedGoals],
            Phase::Measures => &[Output::MeasurePlan],
            Phase::Evaluation => &[Output::EvaluationReport],
        }
    }

    /// The phase after this one; `None` after evaluation (the case is done).
    pub fn next(self) -> Option<Phase> {
        let all = Phase::ALL;
        let i = all.iter().position(|p| *p == self)?;
        all.get(i + 1).copied()
    }

    /// The phase an output belongs to.
    pub fn of(output: Output) -> Phase {
        Phase::ALL
            .iter()
            .copied()
            .find(|p| p.outputs().contains(&output))
            .unwrap_or(Phase::Mapping)
    }
}

/// A year of a case, reported on after it ends: the first starts on the case's first day,
/// the last ends with the case (a case of 30 months has two whole years and a half one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseYear {
    /// From 1.
    pub number: u32,
    pub from: chrono::NaiveDate,
    /// The last day, inclusive.
    pub to: chrono::NaiveDate,
}

impl CaseYear {
    pub fn contains(&self, day: chrono::NaiveDate) -> bool {
        (self.from..=self.to).contains(&day)
    }

    /// Whether the year has ended by `today`: its report is final.
    pub fn ended(&self, today: chrono::NaiveDate) -> bool {
        self.to < today
    }
}

/// The years of a case running from `start` to `end` (inclusive), each twelve months but
/// the last.
pub fn case_years(start: chrono::NaiveDate, end: chrono::NaiveDate) -> Vec<CaseYear> {
    let mut years = Vec::new();
    let mut from = start;
    while from <= end {
        let number = years.len() as u32 + 1;
        let next = start
            .checked_add_months(chrono::Months::new(12 * number))
            .unwrap_or(chrono::NaiveDate::MAX);
        let to = next.pred_opt().unwrap_or(next).min(end);
        years.push(CaseYear { number, from, to });
        from = next;
    }
    years
}

/// Months a case may run at most, unless configured otherwise (two and a half years).
pub const MAX_MONTHS: u32 = 30;

/// Why a step in a case is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseRule {
    /// Outputs and sign-offs belong to the phase the case is in.
    #[error("the case is in the {current} phase, not {asked}")]
    NotCurrentPhase { current: Phase, asked: Phase },
    #[error("the {phase} phase lacks its outputs: {missing}")]
    OutputsMissing { phase: Phase, missing: String },
    #[error("already signed off by the {party}")]
    AlreadySigned { party: Party },
    #[error("a case runs at most {max} months")]
    PeriodTooLong { max: u32 },
    /// A case is opened for an owner the directorate invited.
    #[error("the owner has not been invited to guidance")]
    NotInvited,
    /// One running case per owner.
    #[error("the owner already has a running case")]
    CaseRunning,
    #[error("the case is closed")]
    Closed,
    /// The advisor must be an advisor.
    #[error("the account is not an advisor")]
    NotAnAdvisor,
    /// Referrals go to a competence environment: a provider of the directory.
    #[error("the organisation is not a competence environment")]
    NotCompetenceEnvironment,
}

impl Refusal for CaseRule {
    fn code(&self) -> &'static str {
        match self {
            Self::NotCurrentPhase { .. } => "guidance-not_current_phase",
            Self::OutputsMissing { .. } => "guidance-outputs_missing",
            Self::AlreadySigned { .. } => "guidance-already_signed",
            Self::PeriodTooLong { .. } => "guidance-period_too_long",
            Self::NotInvited => "guidance-not_invited",
            Self::CaseRunning => "guidance-case_running",
            Self::Closed => "guidance-closed",
            Self::NotAnAdvisor => "guidance-not_an_advisor",
            Self::NotCompetenceEnvironment => "guidance-not_competence_environment",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        use crate::Labelled;
        match self {
            Self::NotCurrentPhase { current, asked } => vec![
                ("current", Arg::Label(current.label_id())),
                ("asked", Arg::Label(asked.label_id())),
            ],
            Self::OutputsMissing { phase, missing } => vec![
                ("phase", Arg::Label(phase.label_id())),
                ("missing", Arg::text(missing)),
            ],
            Self::AlreadySigned { party } => vec![("party", Arg::Label(party.label_id()))],
            Self::PeriodTooLong { max } => vec![("max", Arg::text(max))],
            Self::NotInvited
            | Self::CaseRunning
            | Self::Closed
            | Self::NotAnAdvisor
            | Self::NotCompetenceEnvironment => vec![],
        }
    }
}

/// Whether the current phase may be signed off by `party`: it has every output and `party`
/// has not signed it yet. `recorded` are the phase's outputs with text, `signed` the
/// parties that signed it.
pub fn may_sign(
    phase: Phase,
    recorded: &[Output],
    signed: &[Party],
    party: Party,
) -> Result<(), CaseRule> {
    let missing: Vec<&str> = phase
        .outputs()
        .iter()
        .filter(|o| !recorded.contains(o))
        .map(|o| o.code())
        .collect();
    if !missing.is_empty() {
        return Err(CaseRule::OutputsMissing {
            phase,
            missing: missing.join(", "),
        });
    }
    if signed.contains(&party) {
        return Err(CaseRule::AlreadySigned { party });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_run_in_order_each_with_its_outputs() {
        assert_eq!(Phase::Mapping.next(), Some(Phase::Anchoring));
        assert_eq!(Phase::Evaluation.next(), None);
        for p in Phase::ALL {
            assert!(!p.outputs().is_empty());
            for o in p.outputs() {
                assert_eq!(Phase::of(*o), *p);
            }
        }
        let every: usize = Phase::ALL.iter().map(|p| p.outputs().len()).sum();
        assert_eq!(every, Output::ALL.len(), "each output in one phase");
    }

    #[test]
    fn a_measure_is_overdue_after_its_deadline_until_done() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(overdue(
            d("2026-10-01"),
            MeasureStatus::Ongoing,
            d("2026-10-02")
        ));
        assert!(!overdue(
            d("2026-10-01"),
            MeasureStatus::Ongoing,
            d("2026-10-01")
        ));
        assert!(!overdue(
            d("2026-10-01"),
            MeasureStatus::Done,
            d("2027-01-01")
        ));
    }

    #[test]
    fn a_phase_is_signed_off_with_its_outputs_once_by_each_party() {
        let e = may_sign(Phase::Mapping, &[Output::Analysis], &[], Party::Advisor).unwrap_err();
        assert_eq!(e.code(), "guidance-outputs_missing");
        assert_eq!(
            e.to_string(),
            "the mapping phase lacks its outputs: schools"
        );
        let both = [Output::Analysis, Output::Schools];
        assert!(may_sign(Phase::Mapping, &both, &[], Party::Advisor).is_ok());
        assert!(may_sign(Phase::Mapping, &both, &[Party::Advisor], Party::Owner).is_ok());
        assert_eq!(
            may_sign(Phase::Mapping, &both, &[Party::Advisor], Party::Advisor),
            Err(CaseRule::AlreadySigned {
                party: Party::Advisor
            })
        );
    }

    #[test]
    fn a_case_of_thirty_months_has_two_whole_years_and_a_half_one() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let years = case_years(d("2025-08-15"), d("2028-02-14"));
        let spans: Vec<(u32, String, String)> = years
            .iter()
            .map(|y| (y.number, y.from.to_string(), y.to.to_string()))
            .collect();
        assert_eq!(
            spans,
            [
                (1, "2025-08-15".into(), "2026-08-14".into()),
                (2, "2026-08-15".into(), "2027-08-14".into()),
                (3, "2027-08-15".into(), "2028-02-14".into()),
            ]
        );
        assert!(years[0].contains(d("2026-08-14")) && !years[0].contains(d("2026-08-15")));
        assert!(years[0].ended(d("2026-08-15")) && !years[0].ended(d("2026-08-14")));
        // A case that starts on 29 February keeps its years from the month's end.
        let leap = case_years(d("2024-02-29"), d("2026-03-31"));
        assert_eq!(leap[1].from, d("2025-02-28"));
        assert_eq!(leap.len(), 3);
        assert_eq!(case_years(d("2025-01-01"), d("2024-12-31")), vec![]);
    }
}
