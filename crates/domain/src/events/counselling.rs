//! Individual counselling, the second part of a group-counselling session (seed 000): a
//! counsellor offers slots of a set length within the session; each participant may book
//! one. What is said stays between the two: a booking is seen only by its participant and
//! the counsellor, and the counsellor's notes only by the counsellor (and the participant,
//! when shared) — the policy decides each read, the store audits it.

use crate::input::{whole_number, InputError, Problem};
use crate::refusal::{Arg, Refusal};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::{parse_time, Schedule};

/// How long a counselling note is kept after the session, unless configured otherwise.
pub const NOTE_RETENTION_DAYS: u32 = 365;
/// The most slots one offer makes.
pub const MAX_SLOTS: u32 = 40;

/// A series of slots one counsellor offers: `count` slots of `minutes`, back to back from
/// `first` on `day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotSeries {
    pub day: NaiveDate,
    pub first: NaiveTime,
    pub minutes: u32,
    pub count: u32,
}

impl SlotSeries {
    /// Reads the counsellor's form: a date, a first time (`12:00`, `1200`), a length in
    /// minutes (10–120) and a number of slots (1–40). Each refusal names its field.
    pub fn parse(day: &str, first: &str, minutes: &str, count: &str) -> Result<Self, InputError> {
        let day = crate::input::date("day", day)?;
        let first =
            parse_time("first", first)?.ok_or(InputError::new("first", Problem::Required))?;
        let minutes = whole_number("minutes", minutes, 10, 120)?;
        let count = whole_number("count", count, 1, MAX_SLOTS)?;
        Ok(Self {
            day,
            first,
            minutes,
            count,
        })
    }

    /// The slots' wall-clock times, every one inside the session; the first that is not is
    /// refused with the session's times.
    pub fn slots(&self, s: &Schedule) -> Result<Vec<(NaiveDateTime, NaiveDateTime)>, InputError> {
        let len = Duration::minutes(i64::from(self.minutes));
        let mut at = self.day.and_time(self.first);
        let mut out = Vec::with_capacity(self.count as usize);
        for _ in 0..self.count {
            let end = at + len;
            if at < s.starts || end > s.ends {
                return Err(InputError::new(
                    if out.is_empty() { "first" } else { "count" },
                    Problem::Outside {
                        value: format!("{} – {}", fmt(at), end.format("%H:%M")),
                        start: fmt(s.starts),
                        end: fmt(s.ends),
                    },
                ));
            }
            out.push((at, end));
            at = end;
        }
        Ok(out)
    }
}

fn fmt(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// Whether two periods share any time.
pub fn overlaps(a: (NaiveDateTime, NaiveDateTime), b: (NaiveDateTime, NaiveDateTime)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A step of counselling refused now.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum CounsellingRule {
    #[error("only confirmed participants of the session book counselling")]
    NotAParticipant,
    #[error("you have booked a slot at this session already; release it to take another")]
    OneSlotEach,
    #[error("this slot has been booked by someone else")]
    SlotTaken,
    #[error("the slot {slot} overlaps one you offer already")]
    Overlap { slot: String },
    #[error("notes are written for booked slots only")]
    NotBooked,
}

impl Refusal for CounsellingRule {
    fn code(&self) -> &'static str {
        match self {
            Self::NotAParticipant => "counselling-not_a_participant",
            Self::OneSlotEach => "counselling-one_slot_each",
            Self::SlotTaken => "counselling-slot_taken",
            Self::Overlap { .. } => "counselling-overlap",
            Self::NotBooked => "counselling-not_booked",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Self::Overlap { slot } => vec![("slot", Arg::text(slot))],
            _ => vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{parse_local, Zone};

    fn session() -> Schedule {
        Schedule::new(
            parse_local("s", "2027-03-18 09:00").unwrap(),
            parse_local("e", "2027-03-18 14:00").unwrap(),
            Zone::parse("z", "Europe/Ljubljana").unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn a_series_lies_back_to_back_inside_the_session() {
        let s = SlotSeries::parse("2027-03-18", "12:00", "30", "4").unwrap();
        let slots = s.slots(&session()).unwrap();
        assert_eq!(slots.len(), 4);
        assert_eq!(slots[0].0, parse_local("a", "2027-03-18 12:00").unwrap());
        assert_eq!(slots[3].1, parse_local("b", "2027-03-18 14:00").unwrap());
    }

    #[test]
    fn a_slot_outside_the_session_is_refused_with_its_times() {
        let s = SlotSeries::parse("2027-03-18", "12:00", "30", "5").unwrap();
        let e = s.slots(&session()).unwrap_err();
        assert_eq!(e.field, "count");
        assert!(e.to_string().contains("2027-03-18 14:00 – 14:30"), "{e}");
        let early = SlotSeries::parse("2027-03-18", "08:30", "30", "1").unwrap();
        assert_eq!(early.slots(&session()).unwrap_err().field, "first");
        let other_day = SlotSeries::parse("2027-03-19", "12:00", "30", "1").unwrap();
        assert!(other_day.slots(&session()).is_err());
    }

    #[test]
    fn the_form_s_fields_are_named_when_refused() {
        for (form, field) in [
            (("x", "12:00", "30", "1"), "day"),
            (("2027-03-18", "", "30", "1"), "first"),
            (("2027-03-18", "12:00", "5", "1"), "minutes"),
            (("2027-03-18", "12:00", "30", "41"), "count"),
            (("2027-03-18", "12:00", "half", "1"), "minutes"),
        ] {
            let e = SlotSeries::parse(form.0, form.1, form.2, form.3).unwrap_err();
            assert_eq!(e.field, field, "{form:?}");
        }
    }

    #[test]
    fn overlapping_periods_share_time_and_touching_ones_do_not() {
        let at = |s| parse_local("t", s).unwrap();
        let a = (at("2027-03-18 12:00"), at("2027-03-18 12:30"));
        assert!(overlaps(
            a,
            (at("2027-03-18 12:15"), at("2027-03-18 12:45"))
        ));
        assert!(!overlaps(
            a,
            (at("2027-03-18 12:30"), at("2027-03-18 13:00"))
        ));
    }
}
