//! An event's agenda: items in order, with a time or without (a break that follows the
//! talk before it), each for some of the event's audiences or for all. Each audience sees
//! its own agenda and its own hours: at ØST's start-up gathering the owners' day starts at
//! 09:00, the principals' at lunch, 11:30.

use super::{AudienceKey, Schedule};
use crate::codes::codes;
use crate::input::{InputError, Problem};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

codes!(
    /// What an agenda item is.
    ItemKind, "kind", "itemkind" {
        Talk => "talk",
        Discussion => "discussion",
        Break => "break",
        Meal => "meal",
    }
);

/// One item of an agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub day: NaiveDate,
    /// Its start; `None` when the programme gives none (it follows the item before).
    pub starts_at: Option<NaiveTime>,
    pub title: String,
    pub description: String,
    pub speakers: String,
    pub kind: ItemKind,
    /// The audiences it is for; empty: everyone.
    pub audiences: Vec<AudienceKey>,
}

impl AgendaItem {
    pub fn is_for(&self, audience: &AudienceKey) -> bool {
        self.audiences.is_empty() || self.audiences.contains(audience)
    }
}

/// An agenda refused: which item (from 1) and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("item {item}: {error}")]
pub struct AgendaError {
    pub item: usize,
    pub error: InputError,
}

/// Checks an agenda against its event: every item on one of the event's days and, when
/// timed, within the event's hours; days and times never go back (untimed items keep
/// their place); every audience named is one of the event's, and none twice.
pub fn check(
    items: &[AgendaItem],
    s: &Schedule,
    audiences: &[AudienceKey],
) -> Result<(), AgendaError> {
    let mut last: Option<NaiveDateTime> = None;
    let mut last_day: Option<NaiveDate> = None;
    for (i, it) in items.iter().enumerate() {
        let fail = |field, problem| AgendaError {
            item: i + 1,
            error: InputError::new(field, problem),
        };
        let span = |s: &Schedule| {
            (
                s.starts.format("%Y-%m-%d %H:%M").to_string(),
                s.ends.format("%Y-%m-%d %H:%M").to_string(),
            )
        };
        if it.day < s.starts.date() || it.day > s.ends.date() {
            let (start, end) = span(s);
            return Err(fail(
                "day",
                Problem::Outside {
                    value: it.day.to_string(),
                    start,
                    end,
                },
            ));
        }
        if last_day.is_some_and(|d| it.day < d) {
            return Err(fail("day", Problem::EndBeforeStart));
        }
        last_day = Some(it.day);
        if let Some(t) = it.starts_at {
            let at = it.day.and_time(t);
            if !s.contains(at) {
                let (start, end) = span(s);
                return Err(fail(
                    "starts_at",
                    Problem::Outside {
                        value: at.format("%Y-%m-%d %H:%M").to_string(),
                        start,
                        end,
                    },
                ));
            }
            if last.is_some_and(|l| at < l) {
                return Err(fail("starts_at", Problem::EndBeforeStart));
            }
            last = Some(at);
        }
        for (j, a) in it.audiences.iter().enumerate() {
            if !audiences.contains(a) {
                return Err(fail(
                    "audiences",
                    Problem::NotOneOf {
                        value: a.as_str().to_owned(),
                        allowed: audiences
                            .iter()
                            .map(AudienceKey::as_str)
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                ));
            }
            if it.audiences[..j].contains(a) {
                return Err(fail(
                    "audiences",
                    Problem::Repeated {
                        value: a.as_str().to_owned(),
                    },
                ));
            }
        }
    }
    Ok(())
}

/// One audience's agenda: the items for it, in order.
pub fn for_audience<'a>(items: &'a [AgendaItem], audience: &AudienceKey) -> Vec<&'a AgendaItem> {
    items.iter().filter(|i| i.is_for(audience)).collect()
}

/// When each item starts: its own time, else the time of the item before it on the same
/// day, else the event's starting hour on that day.
pub fn effective_starts(items: &[AgendaItem], s: &Schedule) -> Vec<NaiveDateTime> {
    let mut out = Vec::with_capacity(items.len());
    let mut prev: Option<NaiveDateTime> = None;
    for it in items {
        let at = match it.starts_at {
            Some(t) => it.day.and_time(t),
            None => match prev {
                Some(p) if p.date() == it.day => p,
                _ if it.day == s.starts.date() => s.starts,
                _ => it.day.and_time(s.starts.time()),
            },
        };
        prev = Some(at);
        out.push(at);
    }
    out
}

/// The hours an audience attends: from the start of its first item to the start of the
/// next timed item after its last one on that day, else the event's end (on a day before
/// the last, that day at the event's ending hour). The whole event when no item is for it.
pub fn window(
    items: &[AgendaItem],
    s: &Schedule,
    audience: &AudienceKey,
) -> (NaiveDateTime, NaiveDateTime) {
    let starts = effective_starts(items, s);
    let mine: Vec<usize> = (0..items.len())
        .filter(|i| items[*i].is_for(audience))
        .collect();
    let (Some(&first), Some(&last)) = (mine.first(), mine.last()) else {
        return (s.starts, s.ends);
    };
    let day = items[last].day;
    let end = items[last + 1..]
        .iter()
        .take_while(|i| i.day == day)
        .find_map(|i| i.starts_at.map(|t| day.and_time(t)))
        .unwrap_or(if day == s.ends.date() {
            s.ends
        } else {
            day.and_time(s.ends.time())
        });
    (starts[first], end.max(starts[first]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{parse_local, parse_time, Zone};

    fn key(s: &str) -> AudienceKey {
        AudienceKey::parse("a", s).unwrap()
    }

    /// Seed 002, the start-up gathering of Regionalt skoleeiersamarbeid ØST, 28 January 2020.
    fn ost() -> (Schedule, Vec<AudienceKey>, Vec<AgendaItem>) {
        let s = Schedule::new(
            parse_local("s", "2020-01-28 09:00").unwrap(),
            parse_local("e", "2020-01-28 16:00").unwrap(),
            Zone::parse("z", "Europe/Oslo").unwrap(),
        )
        .unwrap();
        let day: NaiveDate = "2020-01-28".parse().unwrap();
        let (o, p) = (key("owners"), key("principals"));
        let item = |t: &str, title: &str, kind, aud: Vec<AudienceKey>| AgendaItem {
            day,
            starts_at: parse_time("t", t).unwrap(),
            title: title.into(),
            description: String::new(),
            speakers: String::new(),
            kind,
            audiences: aud,
        };
        use ItemKind::*;
        let items = vec![
            item(
                "0900",
                "Intensjoner og rammer for skoleeiersamarbeidet",
                Talk,
                vec![o.clone()],
            ),
            item("", "Pause", Break, vec![o.clone()]),
            item(
                "",
                "Drøfte mulige aktiviteter for administrative skoleeiere",
                Discussion,
                vec![o.clone()],
            ),
            item("1130", "Lunsj", Meal, vec![]),
            item(
                "1215",
                "Johan Kaggestad – Om å bli bedre gjennom samarbeid",
                Talk,
                vec![o.clone(), p.clone()],
            ),
            item("", "Pause", Break, vec![o.clone(), p.clone()]),
            item(
                "",
                "Intensjoner og rammer for det regionale samarbeidet presenteres rektorene",
                Talk,
                vec![o.clone(), p.clone()],
            ),
            item(
                "",
                "Drøfte aktiviteter for lærere og skoleledere på tvers av kommunene",
                Discussion,
                vec![o.clone(), p.clone()],
            ),
            item("1530", "Avslutning", Talk, vec![o.clone(), p.clone()]),
        ];
        (s, vec![o, p], items)
    }

    #[test]
    fn the_seed_agenda_is_valid_and_each_audience_has_its_day() {
        let (s, auds, items) = ost();
        check(&items, &s, &auds).unwrap();
        let (o, p) = (&auds[0], &auds[1]);
        assert_eq!(for_audience(&items, o).len(), 9);
        let mine = for_audience(&items, p);
        assert_eq!(mine.len(), 6);
        assert_eq!(mine[0].title, "Lunsj");
        let hm = |w: (NaiveDateTime, NaiveDateTime)| {
            (
                w.0.format("%H:%M").to_string(),
                w.1.format("%H:%M").to_string(),
            )
        };
        assert_eq!(hm(window(&items, &s, o)), ("09:00".into(), "16:00".into()));
        assert_eq!(hm(window(&items, &s, p)), ("11:30".into(), "16:00".into()));
        // An untimed break follows the talk before it.
        assert_eq!(
            effective_starts(&items, &s)[1].format("%H:%M").to_string(),
            "09:00"
        );
    }

    #[test]
    fn an_audience_that_leaves_early_ends_at_the_next_timed_item() {
        let (s, auds, mut items) = ost();
        for i in &mut items[4..] {
            i.audiences.retain(|a| a.as_str() == "principals");
        }
        let (start, end) = window(&items, &s, &auds[0]);
        assert_eq!(
            (
                start.format("%H:%M").to_string(),
                end.format("%H:%M").to_string()
            ),
            ("09:00".into(), "12:15".into())
        );
    }

    #[test]
    fn a_bad_agenda_names_the_item_and_the_problem() {
        let (s, auds, items) = ost();
        let mut late = items.clone();
        late[8].starts_at = parse_time("t", "1700").unwrap();
        let e = check(&late, &s, &auds).unwrap_err();
        assert_eq!((e.item, e.error.field), (9, "starts_at"));
        assert!(matches!(e.error.problem, Problem::Outside { .. }));
        let mut back = items.clone();
        back[4].starts_at = parse_time("t", "1000").unwrap();
        let e = check(&back, &s, &auds).unwrap_err();
        assert_eq!((e.item, e.error.problem), (5, Problem::EndBeforeStart));
        let mut unknown = items.clone();
        unknown[0].audiences = vec![key("teachers")];
        let e = check(&unknown, &s, &auds).unwrap_err();
        assert_eq!((e.item, e.error.field), (1, "audiences"));
        let mut twice = items;
        twice[0].audiences = vec![key("owners"), key("owners")];
        assert!(matches!(
            check(&twice, &s, &auds).unwrap_err().error.problem,
            Problem::Repeated { .. }
        ));
    }
}
