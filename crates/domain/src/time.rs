//! The one portable timestamp form stored by every backend. (The domain reads no clock:
//! the store stamps instants, `headway_store::now`.)

use chrono::{DateTime, SecondsFormat, Utc};

/// Formats a UTC instant as fixed-width RFC 3339 with microseconds and `Z`
/// (`2026-11-23T00:14:31.123456Z`). Fixed width makes text order equal time order,
/// so SQLite and PostgreSQL compare and index it the same way.
pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses what [`format`] writes (any RFC 3339 instant is accepted).
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn round_trips_and_orders_as_text() {
        let a = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let b = a + chrono::Duration::microseconds(1);
        assert_eq!(format(a), "2026-01-02T03:04:05.000000Z");
        assert_eq!(parse(&format(b)), Some(b));
        assert!(format(a) < format(b));
    }
}
