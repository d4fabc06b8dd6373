//! The school-leader register's rules, as pure functions: cycles, points, status,
//! reminders. The store applies them; a background worker moves statuses forward.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

mod error;
mod values;
pub use error::RuleError;
pub use values::{
    ActivityKind, CycleStatus, DecisionKind, EnrolmentStatus, LeaderStatus, OfferStatus, Position,
    Validation,
};

/// The register's settings (configurable per installation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterRules {
    /// Years a registration runs.
    pub cycle_years: u32,
    /// Points a cycle must gather.
    pub points_target: f64,
    /// Months after the cycle's end during which the registration is conditional.
    pub grace_months: u32,
    /// Days before the cycle's end on which a reminder goes out.
    pub reminder_days: Vec<u32>,
    /// The levels the committee can register at, e.g. "RDO niveau 1".
    pub levels: Vec<String>,
    /// The professional themes activities are tagged with.
    pub themes: Vec<String>,
}

impl Default for RegisterRules {
    fn default() -> Self {
        Self {
            cycle_years: 4,
            points_target: 100.0,
            grace_months: 6,
            reminder_days: vec![180, 90, 30],
            levels: vec![
                "RDO niveau 1".into(),
                "RDO niveau 2".into(),
                "Master".into(),
            ],
            themes: vec![
                "Leadership".into(),
                "Education and learning".into(),
                "Organisation and quality".into(),
                "People and culture".into(),
                "Environment and partners".into(),
            ],
        }
    }
}

/// A committee decision, and the enrolment status it leads to from `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Register { level: String },
    Aspirant,
    Reject { reasons: String },
}

/// The committee decides on a submitted enrolment, or closes an objection with a second
/// decision (a rejection then is final).
pub fn decide(
    from: EnrolmentStatus,
    d: &Decision,
    rules: &RegisterRules,
) -> Result<EnrolmentStatus, RuleError> {
    if !matches!(
        from,
        EnrolmentStatus::Submitted | EnrolmentStatus::Objection | EnrolmentStatus::Aspirant
    ) {
        return Err(RuleError::NotDecidable {
            status: from.into(),
        });
    }
    match d {
        Decision::Register { level } if !rules.levels.contains(level) => {
            Err(RuleError::UnknownLevel {
                level: level.chars().take(60).collect(),
                allowed: rules.levels.join(", "),
            })
        }
        Decision::Register { .. } => Ok(EnrolmentStatus::Registered),
        Decision::Aspirant => Ok(EnrolmentStatus::Aspirant),
        Decision::Reject { reasons } if reasons.trim().is_empty() => {
            Err(RuleError::RejectionNeedsReasons)
        }
        Decision::Reject { .. } => Ok(EnrolmentStatus::Rejected),
    }
}

/// A rejected leader may object once; the objection waits for the second decision.
pub fn object(from: EnrolmentStatus, already_objected: bool) -> Result<EnrolmentStatus, RuleError> {
    match (from, already_objected) {
        (EnrolmentStatus::Rejected, false) => Ok(EnrolmentStatus::Objection),
        (EnrolmentStatus::Rejected, true) => Err(RuleError::ObjectionDecided),
        (s, _) => Err(RuleError::NotObjectable { status: s.into() }),
    }
}

/// A cycle's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

fn add_years(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * years)).unwrap_or(d)
}

/// The first cycle starts on the registration decision.
pub fn first_cycle(decided_on: NaiveDate, rules: &RegisterRules) -> Cycle {
    Cycle {
        starts_on: decided_on,
        ends_on: add_years(decided_on, rules.cycle_years),
    }
}

/// The next cycle starts where the last one ended, however late the re-registration:
/// the dates stay on the original rhythm.
pub fn next_cycle(prev: Cycle, rules: &RegisterRules) -> Cycle {
    Cycle {
        starts_on: prev.ends_on,
        ends_on: add_years(prev.ends_on, rules.cycle_years),
    }
}

/// The end of the grace period (or of a granted deferral, when later).
pub fn grace_end(c: Cycle, rules: &RegisterRules, deferral_until: Option<NaiveDate>) -> NaiveDate {
    let g = c
        .ends_on
        .checked_add_months(Months::new(rules.grace_months))
        .unwrap_or(c.ends_on);
    deferral_until.map_or(g, |d| d.max(g))
}

/// The status a cycle has on `today`: registered until its end, conditional during the
/// grace period (or a deferral), lapsed after.
pub fn status_on(
    today: NaiveDate,
    c: Cycle,
    rules: &RegisterRules,
    deferral_until: Option<NaiveDate>,
) -> CycleStatus {
    if today < c.ends_on {
        CycleStatus::Registered
    } else if today < grace_end(c, rules, deferral_until) {
        CycleStatus::Conditional
    } else {
        CycleStatus::Lapsed
    }
}

/// The worker's step: statuses only move forward within a cycle. Going back to
/// registered takes a new cycle (re-registration) or a new decision, never a date.
pub fn advance(current: CycleStatus, computed: CycleStatus) -> CycleStatus {
    current.max(computed)
}

/// Whether the cycle's points are enough to re-register.
pub fn may_reregister(points: f64, rules: &RegisterRules) -> bool {
    points + 1e-9 >= rules.points_target
}

/// The reminder offsets (days before the end) that are due on `today` and not yet sent.
pub fn due_reminders(today: NaiveDate, c: Cycle, rules: &RegisterRules, sent: &[u32]) -> Vec<u32> {
    rules
        .reminder_days
        .iter()
        .copied()
        .filter(|d| !sent.contains(d))
        .filter(|&d| {
            let due = c.ends_on - chrono::Duration::days(i64::from(d));
            today >= due && today < c.ends_on
        })
        .collect()
}

/// A cycle's progress for the timeline: fraction of time elapsed, clamped to [0, 1].
pub fn elapsed_fraction(today: NaiveDate, c: Cycle) -> f64 {
    let total = (c.ends_on - c.starts_on).num_days().max(1) as f64;
    ((today - c.starts_on).num_days() as f64 / total).clamp(0.0, 1.0)
}

/// Parses `YYYY-MM-DD` with a four-digit year in range ([`crate::input::date`]).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    crate::input::date("date", s).ok()
}

pub fn format_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn codes_parse_and_name_what_is_allowed() {
        assert_eq!(Position::parse(" deputy ").unwrap(), Position::Deputy);
        let e = Position::parse("king").unwrap_err().to_string();
        assert_eq!(
            e,
            "position: `king` is not one of director, deputy, team_leader"
        );
        assert_eq!(
            ActivityKind::parse("informal").unwrap(),
            ActivityKind::Informal
        );
        assert!(OfferStatus::parse("maybe").is_err());
        for p in Position::ALL {
            assert_eq!(Position::parse(p.code()).unwrap(), *p);
        }
    }

    #[test]
    fn cycles_keep_their_rhythm() {
        let r = RegisterRules::default();
        let c1 = first_cycle(d("2020-02-29"), &r);
        assert_eq!(c1.ends_on, d("2024-02-29"));
        let c2 = next_cycle(c1, &r);
        assert_eq!(
            (c2.starts_on, c2.ends_on),
            (d("2024-02-29"), d("2028-02-29"))
        );
        assert_eq!(
            status_on(d("2024-02-28"), c1, &r, None),
            CycleStatus::Registered
        );
        assert_eq!(
            status_on(d("2024-02-29"), c1, &r, None),
            CycleStatus::Conditional
        );
        assert_eq!(
            status_on(d("2024-08-29"), c1, &r, None),
            CycleStatus::Lapsed
        );
        assert_eq!(
            status_on(d("2024-09-15"), c1, &r, Some(d("2024-12-31"))),
            CycleStatus::Conditional
        );
    }

    #[test]
    fn decisions_and_objections() {
        let r = RegisterRules::default();
        let reject = Decision::Reject {
            reasons: "no evidence of qualification".into(),
        };
        assert_eq!(
            decide(EnrolmentStatus::Submitted, &reject, &r),
            Ok(EnrolmentStatus::Rejected)
        );
        assert!(decide(
            EnrolmentStatus::Submitted,
            &Decision::Reject {
                reasons: " ".into()
            },
            &r
        )
        .is_err());
        assert_eq!(
            object(EnrolmentStatus::Rejected, false),
            Ok(EnrolmentStatus::Objection)
        );
        assert!(object(EnrolmentStatus::Rejected, true).is_err());
        let reg = Decision::Register {
            level: "RDO niveau 1".into(),
        };
        assert_eq!(
            decide(EnrolmentStatus::Objection, &reg, &r),
            Ok(EnrolmentStatus::Registered)
        );
        assert!(
            decide(EnrolmentStatus::Rejected, &reg, &r).is_err(),
            "no decision without an objection"
        );
        assert!(decide(
            EnrolmentStatus::Submitted,
            &Decision::Register {
                level: "Guru".into()
            },
            &r
        )
        .is_err());
    }

    #[test]
    fn reminders_fall_due_once_each() {
        let r = RegisterRules::default();
        let c = first_cycle(d("2022-01-01"), &r);
        assert!(due_reminders(d("2025-06-01"), c, &r, &[]).is_empty());
        assert_eq!(due_reminders(d("2025-07-05"), c, &r, &[]), vec![180]);
        assert_eq!(due_reminders(d("2025-12-10"), c, &r, &[180, 90]), vec![30]);
        assert_eq!(
            due_reminders(d("2025-12-10"), c, &r, &[]),
            vec![180, 90, 30]
        );
        assert!(
            due_reminders(d("2026-01-02"), c, &r, &[]).is_empty(),
            "none after the end"
        );
    }

    proptest! {
        /// Walking forward through dates, a cycle's status never returns to registered.
        #[test]
        fn status_never_goes_back(start in 0i64..3000, steps in proptest::collection::vec(0i64..400, 1..20), grace in 0u32..12) {
            let r = RegisterRules { grace_months: grace, ..RegisterRules::default() };
            let c = first_cycle(d("2015-01-01") + chrono::Duration::days(start), &r);
            let mut today = c.starts_on;
            let mut status = CycleStatus::Registered;
            for s in steps {
                today += chrono::Duration::days(s);
                let next = advance(status, status_on(today, c, &r, None));
                prop_assert!(next >= status);
                if status == CycleStatus::Lapsed {
                    prop_assert_eq!(next, CycleStatus::Lapsed);
                }
                status = next;
            }
        }

        /// Even a status computed for an earlier date cannot move a lapsed registration back.
        #[test]
        fn lapsed_is_final_for_the_cycle(a in 0usize..3, b in 0usize..3) {
            let all = [CycleStatus::Registered, CycleStatus::Conditional, CycleStatus::Lapsed];
            let r = advance(all[a], all[b]);
            prop_assert!(r >= all[a] && r >= all[b]);
            if all[a] == CycleStatus::Lapsed { prop_assert_eq!(r, CycleStatus::Lapsed); }
        }
    }
}
