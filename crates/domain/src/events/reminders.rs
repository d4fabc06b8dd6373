//! Reminders before an event: configured as hours before its start (a week and a day by
//! default). At any moment at most one is due for a registration — the nearest whose moment
//! has come — so a worker that was down sends one reminder, not a burst; and someone who
//! registered after a reminder's moment does not get that reminder late.

use chrono::{DateTime, Duration, Utc};

/// The default: a week and a day before.
pub const DEFAULT_HOURS: [u32; 2] = [168, 24];

/// The reminder due at `now` for a registration made at `registered` to an event starting
/// at `starts`: the smallest offset (hours before the start) whose moment has passed and
/// came after the registration; none once the event has begun.
pub fn due(
    hours: &[u32],
    starts: DateTime<Utc>,
    registered: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<u32> {
    if now >= starts {
        return None;
    }
    hours
        .iter()
        .copied()
        .filter(|h| {
            let moment = starts - Duration::hours(i64::from(*h));
            moment <= now && registered < moment
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_nearest_reminder_whose_moment_came_after_registering_is_due() {
        let starts = at("2027-02-09T08:00:00Z");
        let early = at("2027-01-01T00:00:00Z");
        let h = &DEFAULT_HOURS;
        assert_eq!(
            due(h, starts, early, at("2027-02-01T00:00:00Z")),
            None,
            "too soon"
        );
        assert_eq!(due(h, starts, early, at("2027-02-02T08:00:00Z")), Some(168));
        assert_eq!(due(h, starts, early, at("2027-02-08T09:00:00Z")), Some(24));
        assert_eq!(
            due(h, starts, early, at("2027-02-09T08:00:00Z")),
            None,
            "begun"
        );
        // Registered three days before: no week-before reminder, the day-before one comes.
        let late = at("2027-02-06T10:00:00Z");
        assert_eq!(due(h, starts, late, at("2027-02-06T11:00:00Z")), None);
        assert_eq!(due(h, starts, late, at("2027-02-08T08:00:00Z")), Some(24));
        assert_eq!(due(&[], starts, early, at("2027-02-08T09:00:00Z")), None);
    }
}
