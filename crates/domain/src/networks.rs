//! Networks: organisations and people who work together over a period and meet — a
//! regional group of principals (*regijski aktiv*), a network of school owners
//! (*skoleeiersamarbeid*), a round of conversation groups and its groups, a study group.
//! A network may sit inside another (a programme's round → its groups). Organisations
//! belong with a role (a member, the host of the meetings); people hold their roles in a
//! network as memberships (`memberships::ContextRole::Network*`).

use crate::codes::codes;
use crate::input::{InputError, Problem};
use chrono::NaiveDate;

codes!(
    /// What a network is.
    NetworkKind, "kind", "netkind" {
        /// A programme's set of networks (a pilot of regional groups, a year's rounds).
        Programme => "programme",
        /// Principals of one region who meet for group counselling (Slovenia).
        RegionalGroup => "regional_group",
        /// School owners who work together (Norway's regional owner networks).
        OwnerNetwork => "owner_network",
        /// A round of conversation groups (the Dutch register's), holding its groups.
        ConversationRound => "conversation_round",
        /// One group of a conversation round, about ten people.
        ConversationGroup => "conversation_group",
        StudyGroup => "study_group",
    }
);

codes!(
    /// What an organisation is in a network.
    OrgRole, "role", "netrole" {
        /// Hosts the network's meetings (a regional group's first-listed institution).
        Host => "host",
        Member => "member",
    }
);

/// A network's period: from a date, until a date or open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Period {
    /// A period whose end (when given) is not before its start.
    pub fn new(starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> Result<Self, InputError> {
        if ends_on.is_some_and(|e| e < starts_on) {
            return Err(InputError::new("ends_on", Problem::EndBeforeStart));
        }
        Ok(Self { starts_on, ends_on })
    }

    /// Whether the network runs on `day`.
    pub fn runs_on(&self, day: NaiveDate) -> bool {
        day >= self.starts_on && self.ends_on.is_none_or(|e| day <= e)
    }
}

/// The host to suggest for a network's next meeting: among `candidates` (organisation
/// ids, in the network's order), one that has hosted least, then longest ago, then first
/// in order. `hosted` lists past meetings as (host, date); `declined` hosts are skipped.
pub fn next_host(candidates: &[i32], hosted: &[(i32, NaiveDate)], declined: &[i32]) -> Option<i32> {
    candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| !declined.contains(c))
        .min_by_key(|(i, c)| {
            let times = hosted.iter().filter(|(h, _)| h == *c).count();
            let last = hosted
                .iter()
                .filter(|(h, _)| h == *c)
                .map(|(_, d)| *d)
                .max();
            (times, last, *i)
        })
        .map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn kinds_parse_and_name_their_labels() {
        use crate::Labelled;
        assert_eq!(
            NetworkKind::parse("Regional_Group").unwrap(),
            NetworkKind::RegionalGroup
        );
        assert_eq!(
            NetworkKind::RegionalGroup.label_id(),
            "netkind-regional_group"
        );
        assert_eq!(OrgRole::parse("host").unwrap(), OrgRole::Host);
        assert!(OrgRole::parse("chair").is_err());
    }

    #[test]
    fn a_period_ends_after_it_starts() {
        assert!(Period::new(d("2017-05-01"), Some(d("2016-05-01"))).is_err());
        let p = Period::new(d("2016-06-01"), Some(d("2017-10-20"))).unwrap();
        assert!(p.runs_on(d("2017-01-01")));
        assert!(!p.runs_on(d("2018-01-01")));
        assert!(Period::new(d("2020-01-28"), None)
            .unwrap()
            .runs_on(d("2030-01-01")));
    }

    #[test]
    fn the_next_host_has_hosted_least_and_longest_ago() {
        let all = [1, 2, 3];
        // Nobody has hosted: the first in order.
        assert_eq!(next_host(&all, &[], &[]), Some(1));
        // 1 hosted: 2 is next.
        assert_eq!(next_host(&all, &[(1, d("2017-05-24"))], &[]), Some(2));
        // Everyone hosted once: the one who hosted longest ago.
        let once = [
            (1, d("2018-01-01")),
            (2, d("2017-01-01")),
            (3, d("2019-01-01")),
        ];
        assert_eq!(next_host(&all, &once, &[]), Some(2));
        // 2 declined: then 1.
        assert_eq!(next_host(&all, &once, &[2]), Some(1));
        assert_eq!(next_host(&all, &[], &[1, 2, 3]), None);
    }
}
