//! Dates and times as a reader reads them: in the page's language (`30 November 2026`,
//! `30 november 2026`, `30. november 2026`, `30. 11. 2026`) and, for instants, in the
//! reader's time zone. The patterns and month names live in the Fluent files
//! (`date-long`, `datetime-long`, `month-1` … `month-12`), so a language brings its own.

use crate::ui::i18n::Tr;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

/// A calendar date in the page's language.
pub fn date(tr: &Tr, d: NaiveDate) -> String {
    let day = d.day().to_string();
    let month_num = d.month().to_string();
    let month = tr.t(&format!("month-{}", d.month()));
    let year = d.year().to_string();
    tr.args(
        "date-long",
        &[
            ("day", &day),
            ("month", &month),
            ("monthnum", &month_num),
            ("year", &year),
        ],
    )
}

/// An instant as a date and a time of day in `tz`, in the page's language.
pub fn instant(tr: &Tr, tz: chrono_tz::Tz, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&tz);
    let time = format!("{:02}:{:02}", local.hour(), local.minute());
    tr.args(
        "datetime-long",
        &[("date", &date(tr, local.date_naive())), ("time", &time)],
    )
}

/// A stored value: `YYYY-MM-DD` as a date, RFC 3339 as an instant; anything else as is.
pub fn show(tr: &Tr, tz: chrono_tz::Tz, stored: &str) -> String {
    if let Some(d) = headway_domain::register::parse_date(stored) {
        return date(tr, d);
    }
    match headway_domain::time::parse(stored) {
        Some(at) => instant(tr, tz, at),
        None => stored.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::{I18n, Lang};
    use std::sync::Arc;

    fn tr(lang: Lang) -> Tr {
        Tr {
            i18n: Arc::new(I18n::new()),
            lang,
        }
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(date(&tr(Lang::En), d), "30 November 2026");
        assert_eq!(date(&tr(Lang::Nl), d), "30 november 2026");
        assert_eq!(date(&tr(Lang::Nb), d), "30. november 2026");
        assert_eq!(date(&tr(Lang::Sl), d), "30. 11. 2026");
    }

    #[test]
    fn instants_are_shown_in_the_readers_zone() {
        let tz: chrono_tz::Tz = "Europe/Ljubljana".parse().unwrap();
        // 02:30 UTC in November is 03:30 in Ljubljana (CET).
        let s = show(&tr(Lang::Sl), tz, "2026-11-30T02:30:44.592803Z");
        assert_eq!(s, "30. 11. 2026 ob 03:30");
        // In summer, CEST: 10:00 UTC is 12:00.
        let s = show(&tr(Lang::En), tz, "2026-07-01T10:00:00.000000Z");
        assert_eq!(s, "1 July 2026, 12:00");
        assert_eq!(show(&tr(Lang::En), tz, "not a date"), "not a date");
    }
}
