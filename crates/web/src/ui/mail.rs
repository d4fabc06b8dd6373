//! Letters in words: the domain's [`Letter`]s written in a language from the Fluent files
//! (`mail-*`), with dates as that language writes them. The store queues mail through
//! this, so every letter exists in the four languages and the store holds no text.

use crate::ui::dates;
use crate::ui::i18n::{I18n, Lang, Tr};
use headway_domain::events::participation::RegStatus;
use headway_domain::mail::{Letter, Letters, Written};
use std::sync::Arc;

/// Letters written from the Fluent files; `default` is the installation's language, for
/// recipients who have none recorded.
pub struct FluentLetters {
    pub i18n: Arc<I18n>,
    pub default: Lang,
}

impl FluentLetters {
    pub fn new(default: Lang) -> Self {
        Self {
            i18n: Arc::new(I18n::new()),
            default,
        }
    }
}

impl Letters for FluentLetters {
    fn default_language(&self) -> Lang {
        self.default
    }

    fn write(&self, lang: Lang, letter: &Letter) -> Written {
        let tr = Tr {
            i18n: self.i18n.clone(),
            lang,
        };
        match letter {
            Letter::CycleReminder {
                given_name,
                ends_on,
                days,
                points,
                target,
            } => {
                let ends = dates::date(&tr, *ends_on);
                let days = days.to_string();
                let (points, target) = (points.to_string(), target.to_string());
                let subject = tr.args("mail-reminder-subject", &[("ends", &ends), ("days", &days)]);
                let body = [
                    tr.a("mail-greeting", "name", given_name),
                    tr.args(
                        "mail-reminder-body",
                        &[("ends", &ends), ("points", &points), ("target", &target)],
                    ),
                    tr.t("mail-reminder-action"),
                ]
                .join("\n\n");
                Written {
                    subject,
                    body: body + "\n",
                }
            }
            Letter::GroupAssigned {
                given_name,
                round,
                group,
                others,
                path,
            } => {
                let subject = tr.args("mail-group-subject", &[("round", round), ("group", group)]);
                let body = [
                    tr.a("mail-greeting", "name", given_name),
                    tr.args("mail-group-body", &[("round", round), ("group", group)]),
                    others
                        .iter()
                        .map(|o| format!("- {o}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    tr.a("mail-group-action", "path", path),
                ]
                .join("\n\n");
                Written {
                    subject,
                    body: body + "\n",
                }
            }
            Letter::GuidanceDecision {
                given_name,
                owner,
                year,
                decision,
                rationale,
            } => {
                let subject = tr.args("mail-guidance-subject", &[("owner", owner), ("year", year)]);
                let body = [
                    tr.a("mail-greeting", "name", given_name),
                    tr.args(
                        &format!("mail-guidance-{}", decision.code()),
                        &[("owner", owner), ("year", year)],
                    ),
                    tr.a("mail-guidance-rationale", "rationale", rationale),
                ]
                .join("\n\n");
                Written {
                    subject,
                    body: body + "\n",
                }
            }
            Letter::SurveyInvitation {
                given_name,
                survey,
                wave,
                closes_on,
                path,
            }
            | Letter::SurveyReminder {
                given_name,
                survey,
                wave,
                closes_on,
                path,
            } => {
                let part = match letter {
                    Letter::SurveyInvitation { .. } => "invitation",
                    _ => "reminder",
                };
                let closes = dates::date(&tr, *closes_on);
                let subject = tr.a(&format!("mail-survey-{part}-subject"), "survey", survey);
                let body = [
                    tr.a("mail-greeting", "name", given_name),
                    tr.args(
                        &format!("mail-survey-{part}-body"),
                        &[("survey", survey), ("wave", wave), ("closes", &closes)],
                    ),
                    tr.a("mail-survey-action", "path", path),
                    tr.t("mail-survey-anonymous"),
                ]
                .join("\n\n");
                Written {
                    subject,
                    body: body + "\n",
                }
            }
            Letter::PlaceFreed {
                given_name,
                event,
                starts,
                ends,
                zone,
                path,
            } => {
                let when = &span(&tr, starts, ends, zone);
                let subject = tr.a("mail-place-subject", "event", event);
                let body = [
                    tr.a("mail-greeting", "name", given_name),
                    tr.args("mail-place-body", &[("event", event), ("when", when)]),
                    tr.a("mail-place-action", "path", path),
                ]
                .join("\n\n");
                Written {
                    subject,
                    body: body + "\n",
                }
            }
            Letter::RegistrationDecided {
                given_name,
                event,
                starts,
                ends,
                zone,
                outcome,
                path,
            } => {
                let when = &span(&tr, starts, ends, zone);
                let (subject, body) = match outcome {
                    RegStatus::Declined => ("mail-declined-subject", "mail-declined-body"),
                    RegStatus::Waitlisted => {
                        ("mail-approved-subject", "mail-approved-waiting-body")
                    }
                    _ => ("mail-approved-subject", "mail-approved-body"),
                };
                let body = [
                    tr.a("mail-greeting", "name", given_name),
                    tr.args(body, &[("event", event), ("when", when)]),
                    tr.a("mail-decided-action", "path", path),
                ]
                .join("\n\n");
                Written {
                    subject: tr.a(subject, "event", event),
                    body: body + "\n",
                }
            }
            Letter::EventReminder {
                given_name,
                event,
                starts,
                ends,
                zone,
                place,
                hours: _,
                path,
            } => {
                let when = &span(&tr, starts, ends, zone);
                let subject = tr.args(
                    "mail-event-reminder-subject",
                    &[("event", event), ("when", when)],
                );
                let mut parts = vec![
                    tr.a("mail-greeting", "name", given_name),
                    tr.args(
                        "mail-event-reminder-body",
                        &[("event", event), ("when", when)],
                    ),
                ];
                if !place.is_empty() {
                    parts.push(tr.a("mail-event-reminder-place", "place", place));
                }
                parts.push(tr.a("mail-event-reminder-action", "path", path));
                Written {
                    subject,
                    body: parts.join("\n\n") + "\n",
                }
            }
            Letter::Invitation {
                given_name,
                event,
                audience,
                starts,
                ends,
                zone,
                place,
                path,
            } => {
                let when = &span(&tr, starts, ends, zone);
                let subject = tr.a("mail-invitation-subject", "event", event);
                let mut parts = vec![
                    tr.a("mail-greeting", "name", given_name),
                    tr.args(
                        "mail-invitation-body",
                        &[("event", event), ("audience", audience), ("when", when)],
                    ),
                ];
                if !place.is_empty() {
                    parts.push(tr.a("mail-event-reminder-place", "place", place));
                }
                parts.push(tr.a("mail-invitation-action", "path", path));
                Written {
                    subject,
                    body: parts.join("\n\n") + "\n",
                }
            }
        }
    }
}

/// `9 February 2027, 11:30–15:30 (Europe/Oslo)`, or with two dates for several days.
fn span(
    tr: &crate::ui::i18n::Tr,
    starts: &chrono::NaiveDateTime,
    ends: &chrono::NaiveDateTime,
    zone: &str,
) -> String {
    let day = |d: &chrono::NaiveDateTime| dates::date(tr, d.date());
    if starts.date() == ends.date() {
        format!(
            "{}, {}–{} ({zone})",
            day(starts),
            starts.format("%H:%M"),
            ends.format("%H:%M")
        )
    } else {
        format!(
            "{}, {} – {}, {} ({zone})",
            day(starts),
            starts.format("%H:%M"),
            day(ends),
            ends.format("%H:%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_reminder_is_written_in_the_recipients_language() {
        let letters = FluentLetters::new(Lang::En);
        let letter = Letter::CycleReminder {
            given_name: "Ana".into(),
            ends_on: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            days: 90,
            points: 40.0,
            target: 100.0,
        };
        let sl = letters.write(Lang::Sl, &letter);
        assert!(sl.subject.contains("1. 3. 2027"), "{}", sl.subject);
        assert!(sl.body.starts_with("Spoštovani Ana"), "{}", sl.body);
        assert!(sl.body.contains("40 od 100"), "{}", sl.body);
        let nl = letters.write(Lang::Nl, &letter);
        assert!(nl.subject.contains("1 maart 2027"), "{}", nl.subject);
        let en = letters.write(Lang::En, &letter);
        assert!(en.body.contains("40 of 100 points"), "{}", en.body);
        // No bidi isolation marks in mail.
        assert!(!sl.body.contains('\u{2068}'));
    }

    #[test]
    fn an_event_reminder_gives_the_audience_s_hours_and_the_place() {
        let letters = FluentLetters::new(Lang::En);
        let at = |s| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let letter = Letter::EventReminder {
            given_name: "Lars".into(),
            event: "Samling i ØST".into(),
            starts: at("2027-02-09 11:30"),
            ends: at("2027-02-09 15:30"),
            zone: "Europe/Oslo".into(),
            place: "Lillestrøm kultursenter".into(),
            hours: 24,
            path: "/events/2".into(),
        };
        let nb = letters.write(Lang::Nb, &letter);
        assert!(
            nb.subject.contains("9. februar 2027, 11:30–15:30"),
            "{}",
            nb.subject
        );
        assert!(nb.body.contains("Lillestrøm kultursenter") && nb.body.contains("/events/2"));
        assert_eq!(letter.kind(), "event_reminder_24");
    }

    #[test]
    fn a_decision_on_a_registration_says_which_in_every_language() {
        let letters = FluentLetters::new(Lang::En);
        let at = |s| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let decided = |outcome| Letter::RegistrationDecided {
            given_name: "Lars".into(),
            event: "Rektormøte".into(),
            starts: at("2027-05-11 09:00"),
            ends: at("2027-05-11 15:00"),
            zone: "Europe/Oslo".into(),
            outcome,
            path: "/events/9".into(),
        };
        for lang in [Lang::En, Lang::Nl, Lang::Nb, Lang::Sl] {
            let mut bodies = Vec::new();
            for o in [
                RegStatus::Confirmed,
                RegStatus::Waitlisted,
                RegStatus::Declined,
            ] {
                let w = letters.write(lang, &decided(o));
                assert!(w.subject.contains("Rektormøte"), "{lang:?}: {}", w.subject);
                assert!(w.body.contains("/events/9") && !w.body.contains("mail-"));
                bodies.push(w.body);
            }
            bodies.dedup();
            assert_eq!(bodies.len(), 3, "{lang:?}: three different letters");
        }
        let en = letters.write(Lang::En, &decided(RegStatus::Waitlisted));
        assert!(en.body.contains("waitlist"), "{}", en.body);
        assert_eq!(decided(RegStatus::Declined).kind(), "decided_declined");
    }
}
