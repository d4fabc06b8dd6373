//! Surveys are asked in waves: right after their subject ends (an event, a network's
//! session, a guidance case, a development project) and again months later about changes in
//! practice. A wave opens and closes on dates (the worker moves it), and reminds those who
//! have not answered on set days after it opens.

use crate::codes::codes;
use crate::input::{InputError, Problem};
use chrono::{Months, NaiveDate};

codes!(
    /// What a survey asks about.
    SubjectKind, "subject", "fsubject" {
        Event => "event",
        /// A network: its sessions.
        Network => "network",
        Case => "case",
        Project => "project",
    }
);

codes!(
    /// Where a wave stands.
    WaveStatus, "status", "wstatus" {
        Planned => "planned",
        Open => "open",
        Closed => "closed",
    }
);

codes!(
    /// A free-text answer's review by the coordinator: nobody else sees it before it is
    /// published.
    TextReview, "review", "review" {
        Pending => "pending",
        Published => "published",
        Hidden => "hidden",
    }
);

/// A wave as planned: how many months after the subject ends it opens (0: right after), and
/// for how many days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavePlan {
    pub months: u32,
    pub open_days: u32,
}

impl WavePlan {
    pub const MONTHS: std::ops::RangeInclusive<u32> = 0..=36;
    pub const DAYS: std::ops::RangeInclusive<u32> = 1..=90;

    pub fn new(months: u32, open_days: u32) -> Result<Self, InputError> {
        let out = |field, r: &std::ops::RangeInclusive<u32>| {
            InputError::new(
                field,
                Problem::OutOfRange {
                    min: f64::from(*r.start()),
                    max: f64::from(*r.end()),
                },
            )
        };
        if !Self::MONTHS.contains(&months) {
            return Err(out("months", &Self::MONTHS));
        }
        if !Self::DAYS.contains(&open_days) {
            return Err(out("open_days", &Self::DAYS));
        }
        Ok(Self { months, open_days })
    }
}

/// The first and last day a wave is open, for a subject that ended on `ended_on`: an
/// immediate wave opens that day.
pub fn wave_window(ended_on: NaiveDate, plan: WavePlan) -> (NaiveDate, NaiveDate) {
    let opens = ended_on
        .checked_add_months(Months::new(plan.months))
        .unwrap_or(NaiveDate::MAX);
    let closes = opens
        .checked_add_days(chrono::Days::new(u64::from(plan.open_days - 1)))
        .unwrap_or(NaiveDate::MAX);
    (opens, closes)
}

/// Where a wave open from `opens` to `closes` (inclusive) stands on `today`.
pub fn status_on(opens: NaiveDate, closes: NaiveDate, today: NaiveDate) -> WaveStatus {
    if today < opens {
        WaveStatus::Planned
    } else if today <= closes {
        WaveStatus::Open
    } else {
        WaveStatus::Closed
    }
}

/// Whether a reminder is due on `today` for someone who has had `sent` of them: the next of
/// `offsets` (days after the wave opens) has come, and the wave is still open.
pub fn reminder_due(
    opens: NaiveDate,
    closes: NaiveDate,
    offsets: &[u32],
    sent: u32,
    today: NaiveDate,
) -> bool {
    let Some(days) = offsets.get(sent as usize) else {
        return false;
    };
    let due = opens
        .checked_add_days(chrono::Days::new(u64::from(*days)))
        .unwrap_or(NaiveDate::MAX);
    status_on(opens, closes, today) == WaveStatus::Open && due <= today
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn waves_open_after_their_subject_and_close_after_their_days() {
        let ended = d("2026-03-12");
        let now = WavePlan::new(0, 14).unwrap();
        assert_eq!(wave_window(ended, now), (d("2026-03-12"), d("2026-03-25")));
        let later = WavePlan::new(3, 21).unwrap();
        assert_eq!(
            wave_window(ended, later),
            (d("2026-06-12"), d("2026-07-02"))
        );
        let (o, c) = wave_window(ended, later);
        assert_eq!(status_on(o, c, d("2026-06-11")), WaveStatus::Planned);
        assert_eq!(status_on(o, c, d("2026-07-02")), WaveStatus::Open);
        assert_eq!(status_on(o, c, d("2026-07-03")), WaveStatus::Closed);
        assert_eq!(WavePlan::new(3, 0).unwrap_err().field, "open_days");
        assert_eq!(WavePlan::new(40, 7).unwrap_err().field, "months");
    }

    #[test]
    fn reminders_come_on_their_days_while_the_wave_is_open() {
        let (o, c) = (d("2026-06-12"), d("2026-07-02"));
        let offsets = [7, 14];
        assert!(!reminder_due(o, c, &offsets, 0, d("2026-06-18")));
        assert!(reminder_due(o, c, &offsets, 0, d("2026-06-19")));
        assert!(!reminder_due(o, c, &offsets, 1, d("2026-06-25")));
        assert!(reminder_due(o, c, &offsets, 1, d("2026-06-26")));
        assert!(
            !reminder_due(o, c, &offsets, 2, d("2026-06-30")),
            "no third"
        );
        assert!(!reminder_due(o, c, &offsets, 1, d("2026-07-03")), "closed");
    }
}
