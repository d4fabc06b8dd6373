//! Events: gatherings, group-counselling sessions, trainings, observation lessons and
//! conferences — when they run (wall-clock times in a named time zone, so a meeting at
//! 09:00 in Oslo stays at 09:00 across a daylight-saving change), for which audiences
//! (*administrative skoleeiere*, *rektorer*), and the agenda each audience follows
//! ([`agenda`]).

pub mod agenda;
pub mod certificate;
pub mod counselling;
pub mod invitations;
pub mod participation;
pub mod reminders;

use crate::codes::codes;
use crate::input::{InputError, Problem};
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

codes!(
    /// What an event is.
    EventKind, "kind", "evkind" {
        /// A network's gathering (ØST's start-up gathering, a professional gathering).
        Gathering => "gathering",
        /// A group-counselling session: a group part, then individual counselling.
        Counselling => "counselling",
        Training => "training",
        /// A lesson opened to observers, followed by a feedback conversation.
        ObservationLesson => "observation_lesson",
        Conference => "conference",
    }
);

/// A named IANA time zone (`Europe/Oslo`), parsed rather than carried as free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(Tz);

impl Zone {
    /// The zones of the countries Headway serves, offered first in forms.
    pub const SERVED: [&'static str; 3] = ["Europe/Amsterdam", "Europe/Ljubljana", "Europe/Oslo"];

    pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
        let t = s.trim();
        t.parse::<Tz>().map(Zone).map_err(|_| {
            InputError::new(
                field,
                Problem::UnknownTimeZone {
                    value: t.chars().take(40).collect(),
                },
            )
        })
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    /// The instant a wall-clock time stands for. A time that occurs twice (clocks moved
    /// back) is its first occurrence; a time that never occurs (clocks moved forward) is
    /// refused.
    pub fn instant(
        self,
        field: &'static str,
        at: NaiveDateTime,
    ) -> Result<DateTime<Utc>, InputError> {
        match self.0.from_local_datetime(&at) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
            LocalResult::None => Err(InputError::new(
                field,
                Problem::NoSuchLocalTime {
                    value: at.format("%Y-%m-%d %H:%M").to_string(),
                    zone: self.name().to_owned(),
                },
            )),
        }
    }
}

/// A change of a zone's offset from UTC (a daylight-saving change), as a calendar's
/// `VTIMEZONE` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The wall-clock time it happens at, read with the offset before it (RFC 5545's
    /// `DTSTART` of an observance).
    pub local: NaiveDateTime,
    /// Offsets from UTC before and after, in seconds.
    pub offset_from: i32,
    pub offset_to: i32,
    /// Whether the offset after it is daylight-saving time.
    pub daylight: bool,
    /// The zone's abbreviation after it (`CEST`).
    pub abbreviation: String,
}

impl Zone {
    /// The zone's offset changes from the start of `from_year` to the end of `to_year`,
    /// in order, found from the zone's rules (a day's steps, then to the second).
    pub fn transitions(self, from_year: i32, to_year: i32) -> Vec<Transition> {
        use chrono::{Duration, Offset};
        use chrono_tz::{OffsetComponents, OffsetName};
        let offset = |t: DateTime<Utc>| self.0.offset_from_utc_datetime(&t.naive_utc());
        let seconds = |t: DateTime<Utc>| offset(t).fix().local_minus_utc();
        let (Some(mut t), Some(end)) = (
            NaiveDate::from_ymd_opt(from_year, 1, 1).map(|d| d.and_time(NaiveTime::MIN).and_utc()),
            NaiveDate::from_ymd_opt(to_year + 1, 1, 1)
                .map(|d| d.and_time(NaiveTime::MIN).and_utc()),
        ) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        while t < end {
            let next = t + Duration::days(1);
            let before = seconds(t);
            if seconds(next) != before {
                // The change lies in (t, next]: narrow it to the second.
                let (mut lo, mut hi) = (t.timestamp(), next.timestamp());
                let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or(t);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if seconds(at(mid)) == before {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                let hi = at(hi);
                let after = offset(hi);
                out.push(Transition {
                    local: (hi + Duration::seconds(i64::from(before))).naive_utc(),
                    offset_from: before,
                    offset_to: after.fix().local_minus_utc(),
                    daylight: after.dst_offset() != Duration::zero(),
                    abbreviation: after.abbreviation().unwrap_or_default().to_owned(),
                });
            }
            t = next;
        }
        out
    }
}

/// Parses a wall-clock date and time: `2020-01-28T09:00`, `2020-01-28 09:00` (seconds
/// allowed).
pub fn parse_local(field: &'static str, s: &str) -> Result<NaiveDateTime, InputError> {
    let t = s.trim();
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .ok_or_else(|| {
        InputError::new(
            field,
            Problem::NotADate {
                value: t.chars().take(40).collect(),
            },
        )
    })
}

/// Parses a time of day: `09:00`, `9:00`, or the programme's `0900`. Empty is `None`
/// (an agenda item without a time, like a break).
pub fn parse_time(field: &'static str, s: &str) -> Result<Option<NaiveTime>, InputError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let compact = t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
    let parsed = if compact {
        NaiveTime::parse_from_str(&format!("{}:{}", &t[..2], &t[2..]), "%H:%M")
    } else {
        NaiveTime::parse_from_str(t, "%H:%M")
    };
    parsed.map(Some).map_err(|_| {
        InputError::new(
            field,
            Problem::NotATime {
                value: t.chars().take(20).collect(),
            },
        )
    })
}

/// When an event runs: from `starts` to `ends`, wall-clock times in `zone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub zone: Zone,
}

impl Schedule {
    /// A schedule whose end lies after its start and whose times both exist in `zone`.
    pub fn new(starts: NaiveDateTime, ends: NaiveDateTime, zone: Zone) -> Result<Self, InputError> {
        zone.instant("starts_at", starts)?;
        zone.instant("ends_at", ends)?;
        if ends <= starts {
            return Err(InputError::new("ends_at", Problem::EndBeforeStart));
        }
        Ok(Self { starts, ends, zone })
    }

    pub fn start_utc(&self) -> DateTime<Utc> {
        // Checked in `new`.
        self.zone
            .instant("starts_at", self.starts)
            .unwrap_or_default()
    }

    pub fn end_utc(&self) -> DateTime<Utc> {
        self.zone.instant("ends_at", self.ends).unwrap_or_default()
    }

    /// The days it runs on, first to last.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.starts
            .date()
            .iter_days()
            .take_while(|d| *d <= self.ends.date())
            .collect()
    }

    /// Whether a wall-clock time lies within it (ends included).
    pub fn contains(&self, at: NaiveDateTime) -> bool {
        at >= self.starts && at <= self.ends
    }
}

/// An audience's key within its event (`owners`, `principals`): 1–40 of a–z, 0–9, `_`
/// and `-`; what agenda items name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct AudienceKey(String);

impl AudienceKey {
    pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(InputError::new(field, Problem::Required));
        }
        if t.chars().count() > 40 {
            return Err(InputError::new(field, Problem::TooLong { max: 40 }));
        }
        let allowed =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
        if let Some(c) = t.chars().find(|c| !allowed(*c)) {
            return Err(InputError::new(
                field,
                Problem::CharNotAllowed {
                    value: c.to_string(),
                    allowed: "a–z, 0–9, _ and -".into(),
                },
            ));
        }
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A key made from an audience's name (`Administrative skoleeiere` →
    /// `administrative-skoleeiere`), distinct from `taken` (a number is added).
    pub fn from_name(name: &str, taken: &[AudienceKey]) -> Self {
        let folded = crate::text::fold(name);
        let mut base: String = folded
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        base.truncate(36);
        let base = base.trim_end_matches('-').to_owned();
        let base = if base.is_empty() {
            "audience".to_owned()
        } else {
            base
        };
        let mut key = base.clone();
        let mut n = 2;
        while taken.iter().any(|k| k.0 == key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        Self(key)
    }
}

/// A link to an online meeting or a venue's page: `http://` or `https://`, no spaces,
/// at most 500 characters.
pub fn parse_link(field: &'static str, s: &str) -> Result<Option<String>, InputError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > 500 {
        return Err(InputError::new(field, Problem::TooLong { max: 500 }));
    }
    let lower = t.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !t.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Ok(Some(t.to_owned()))
        }
        _ => Err(InputError::new(
            field,
            Problem::NotOneOf {
                value: t.chars().take(40).collect(),
                allowed: "https://…, http://…".into(),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        parse_local("t", s).unwrap()
    }

    #[test]
    fn zones_are_named_and_unknown_ones_refused() {
        assert_eq!(
            Zone::parse("z", " Europe/Oslo ").unwrap().name(),
            "Europe/Oslo"
        );
        let e = Zone::parse("time_zone", "Europe/Trondheim").unwrap_err();
        assert_eq!(e.field, "time_zone");
        assert!(matches!(e.problem, Problem::UnknownTimeZone { .. }));
        for z in Zone::SERVED {
            Zone::parse("z", z).unwrap();
        }
    }

    #[test]
    fn a_wall_clock_time_keeps_its_hour_across_daylight_saving() {
        let oslo = Zone::parse("z", "Europe/Oslo").unwrap();
        // 09:00 in winter is 08:00 UTC, in summer 07:00 UTC.
        assert_eq!(
            oslo.instant("t", at("2026-03-28 09:00"))
                .unwrap()
                .to_rfc3339(),
            "2026-03-28T08:00:00+00:00"
        );
        assert_eq!(
            oslo.instant("t", at("2026-03-30 09:00"))
                .unwrap()
                .to_rfc3339(),
            "2026-03-30T07:00:00+00:00"
        );
        // 02:30 on 29 March 2026 never happens in Oslo.
        let e = oslo
            .instant("starts_at", at("2026-03-29 02:30"))
            .unwrap_err();
        assert!(matches!(e.problem, Problem::NoSuchLocalTime { .. }), "{e}");
        // 02:30 on 25 October happens twice: the first is meant.
        assert_eq!(
            oslo.instant("t", at("2026-10-25 02:30"))
                .unwrap()
                .to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
    }

    #[test]
    fn transitions_are_the_zone_s_daylight_saving_changes() {
        let oslo = Zone::parse("z", "Europe/Oslo").unwrap();
        let t = oslo.transitions(2026, 2026);
        assert_eq!(t.len(), 2);
        // 29 March 2026, 02:00 CET becomes 03:00 CEST; 25 October, 03:00 CEST becomes 02:00.
        assert_eq!(t[0].local, at("2026-03-29 02:00"));
        assert_eq!(
            (t[0].offset_from, t[0].offset_to, t[0].daylight),
            (3600, 7200, true)
        );
        assert_eq!(t[0].abbreviation, "CEST");
        assert_eq!(t[1].local, at("2026-10-25 03:00"));
        assert_eq!(
            (t[1].offset_from, t[1].offset_to, t[1].daylight),
            (7200, 3600, false)
        );
        assert_eq!(oslo.transitions(2020, 2022).len(), 6);
    }

    #[test]
    fn a_schedule_ends_after_it_starts_and_lists_its_days() {
        let z = Zone::parse("z", "Europe/Ljubljana").unwrap();
        let e = Schedule::new(at("2026-05-02 10:00"), at("2026-05-02 09:00"), z).unwrap_err();
        assert_eq!((e.field, e.problem), ("ends_at", Problem::EndBeforeStart));
        assert!(Schedule::new(at("2026-05-02 10:00"), at("2026-05-02 10:00"), z).is_err());
        let s = Schedule::new(at("2026-05-02 10:00"), at("2026-05-04 13:00"), z).unwrap();
        assert_eq!(s.days().len(), 3);
        assert!(s.contains(at("2026-05-04 13:00")) && !s.contains(at("2026-05-04 13:01")));
        assert_eq!(s.start_utc().to_rfc3339(), "2026-05-02T08:00:00+00:00");
    }

    #[test]
    fn times_parse_in_the_programme_s_forms() {
        let t = |s| {
            parse_time("time", s)
                .unwrap()
                .map(|t| t.format("%H:%M").to_string())
        };
        assert_eq!(t("0900").as_deref(), Some("09:00"));
        assert_eq!(t("9:00").as_deref(), Some("09:00"));
        assert_eq!(t(" 11:30 ").as_deref(), Some("11:30"));
        assert_eq!(t(""), None);
        for bad in ["2500", "9", "noon", "12:60"] {
            let e = parse_time("time", bad).unwrap_err();
            assert!(matches!(e.problem, Problem::NotATime { .. }), "{bad}");
        }
        assert!(parse_local("starts_at", "28.1.2020 9:00").is_err());
    }

    #[test]
    fn links_are_web_addresses() {
        assert_eq!(
            parse_link("l", " https://meet.example/x ")
                .unwrap()
                .as_deref(),
            Some("https://meet.example/x")
        );
        assert_eq!(parse_link("l", "").unwrap(), None);
        for bad in ["javascript:alert(1)", "https://", "https://a b", "ftp://x"] {
            assert!(parse_link("l", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn audience_keys_are_short_slugs() {
        assert_eq!(
            AudienceKey::parse("a", " owners ").unwrap().as_str(),
            "owners"
        );
        assert!(AudienceKey::parse("a", "").is_err());
        assert!(AudienceKey::parse("a", "Rektorer").is_err());
        assert!(AudienceKey::parse("a", &"x".repeat(41)).is_err());
        let owners = AudienceKey::from_name("Administrative skoleeiere", &[]);
        assert_eq!(owners.as_str(), "administrative-skoleeiere");
        let again =
            AudienceKey::from_name("Administrative  skoleeiere!", std::slice::from_ref(&owners));
        assert_eq!(again.as_str(), "administrative-skoleeiere-2");
        assert_eq!(
            AudienceKey::from_name("Ravnatelji – vrtci", &[]).as_str(),
            "ravnatelji-vrtci"
        );
        assert_eq!(AudienceKey::from_name("…", &[]).as_str(), "audience");
        let long = AudienceKey::from_name(&"ø".repeat(60), &[]);
        assert!(
            AudienceKey::parse("a", long.as_str()).is_ok(),
            "a valid key"
        );
    }
}
