//! Group rounds: a coordinator of a network asks for groups over a population (registered
//! leaders, organisations of the directory, the network's own members), the solver forms
//! them in the background, the coordinator may move members by hand, and publishing makes
//! each group a network of its own inside the round's network.

use crate::codes::codes;
use crate::directory::{Country, OrgKind};
use crate::input::{InputError, Problem};
use crate::refusal::{Arg, Refusal};
use serde::{Deserialize, Serialize};

mod aspects;
pub use aspects::{synthesize, Aspect, AspectError, CompositionRow, Synthesis};

codes!(
    /// What kind of groups.
    RoundMode, "mode", "rmode" {
        /// Mix the attributes inside each group as much as possible.
        Diverse => "diverse",
        /// Keep groups close together.
        Regional => "regional",
        /// Diverse, but first lift the least diverse group.
        Balanced => "balanced",
    }
);

codes!(
    /// Who is grouped.
    PopulationKind, "population", "rpop" {
        /// Leaders registered in the register (with their first school's profile).
        Leaders => "leaders",
        /// Schools and other organisations of the directory.
        Organizations => "organizations",
        /// The organisations and people of the round's network.
        NetworkMembers => "network_members",
    }
);

codes!(
    /// What describes a member (a leader through their school).
    ProfileAttribute, "attribute", "rattr" {
        Region => "region",
        SchoolType => "school_type",
        Environment => "environment",
        Governance => "governance",
        Pupils => "pupils",
    }
);

codes!(
    /// Where a round stands.
    RoundStatus, "status", "rstatus" {
        /// The solver has not yet produced groups (or was stopped before).
        Forming => "forming",
        /// Groups exist and may be changed by hand.
        Draft => "draft",
        /// The groups are networks with their members.
        Published => "published",
    }
);

/// Who is grouped, with the filters of the population's kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Population {
    pub kind: PopulationKind,
    /// Organisations: the country (required); leaders: their school's country.
    pub country: Option<Country>,
    /// The region (province, county, statistical region) by id.
    pub region: Option<i32>,
    /// Organisations: their kind (schools when not given).
    pub org_kind: Option<OrgKind>,
}

/// An attribute with its weight and direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weighted {
    pub attribute: ProfileAttribute,
    pub weight: f64,
    /// Members should share it rather than mix it.
    pub similar: bool,
}

/// A member of a population: `p<id>` for a person, `o<id>` for an organisation.
pub type MemberKey = String;

/// What a coordinator asks for. Stored with the round as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundSpec {
    pub title: String,
    pub population: Population,
    pub mode: RoundMode,
    pub size: usize,
    pub min: Option<usize>,
    pub max: Option<usize>,
    pub attributes: Vec<Weighted>,
    pub keep_apart: Vec<(MemberKey, MemberKey)>,
    pub keep_together: Vec<(MemberKey, MemberKey)>,
    /// Named hosts, each in a group of its own.
    pub hosts: Vec<MemberKey>,
    /// Groups without a named host get the member closest to the others as host.
    pub host_per_group: bool,
    /// Pairs that shared a group in an earlier round of the same network are kept apart
    /// as far as the groups allow.
    pub avoid_earlier: bool,
    /// The search's time limit in seconds.
    pub seconds: u32,
    /// The question the groups discuss (conversation rounds).
    pub question: Option<String>,
    /// What the groups' facilitators tag the aspects they record with (a conversation
    /// round's basic competences); none when the round collects no aspects.
    #[serde(default)]
    pub competences: Vec<String>,
}

/// The largest group a round may ask for, and the longest search.
pub const MAX_SIZE: usize = 200;
pub const MAX_SECONDS: u32 = 120;

impl RoundSpec {
    /// The smallest and largest group: as given, or two either side of the size.
    pub fn bounds(&self) -> (usize, usize) {
        (
            self.min.unwrap_or(self.size.saturating_sub(2).max(1)),
            self.max.unwrap_or(self.size + 2),
        )
    }

    /// The fields that do not fit, before any population is read.
    pub fn check(&self) -> Result<(), InputError> {
        let range = |field: &'static str, v: f64, min: f64, max: f64| {
            if v < min || v > max || v.is_nan() {
                Err(InputError::new(field, Problem::OutOfRange { min, max }))
            } else {
                Ok(())
            }
        };
        if self.title.trim().is_empty() {
            return Err(InputError::new("title", Problem::Required));
        }
        range("size", self.size as f64, 2.0, MAX_SIZE as f64)?;
        range(
            "seconds",
            f64::from(self.seconds),
            1.0,
            f64::from(MAX_SECONDS),
        )?;
        let (min, max) = self.bounds();
        range("min", min as f64, 1.0, self.size as f64)?;
        range("max", max as f64, self.size as f64, (2 * MAX_SIZE) as f64)?;
        if self.mode != RoundMode::Regional && self.attributes.is_empty() {
            return Err(InputError::new("attributes", Problem::Required));
        }
        for w in &self.attributes {
            range("weight", w.weight, 0.0, 100.0)?;
        }
        if self.population.kind == PopulationKind::Organizations
            && self.population.country.is_none()
        {
            return Err(InputError::new("country", Problem::Required));
        }
        if self.competences.len() > 20 {
            return Err(InputError::new("competences", Problem::TooMany { max: 20 }));
        }
        for c in &self.competences {
            crate::input::Title::parse("competences", c)?;
        }
        let mut seen = std::collections::HashSet::new();
        for h in &self.hosts {
            if !seen.insert(h) {
                return Err(InputError::new(
                    "hosts",
                    Problem::Repeated { value: h.clone() },
                ));
            }
        }
        Ok(())
    }

    /// Whether `n` members can be grouped within the bounds, the keep-together pairs fit
    /// the largest group, and every named member is in the population (`has`).
    pub fn check_population(
        &self,
        n: usize,
        has: impl Fn(&str) -> bool,
    ) -> Result<usize, RoundRule> {
        if n == 0 {
            return Err(RoundRule::EmptyPopulation);
        }
        let (min, max) = self.bounds();
        let groups =
            group_count(n, min, max, self.size).ok_or(RoundRule::BoundsUnmet { n, min, max })?;
        if self.hosts.len() > groups {
            return Err(RoundRule::TooManyHosts {
                hosts: self.hosts.len(),
                groups,
            });
        }
        let named = self
            .keep_apart
            .iter()
            .chain(&self.keep_together)
            .flat_map(|(a, b)| [a, b])
            .chain(&self.hosts);
        for key in named {
            if !has(key) {
                return Err(RoundRule::NotInPopulation { key: key.clone() });
            }
        }
        let largest = together_largest(&self.keep_together);
        if largest > max {
            return Err(RoundRule::TogetherTooLarge { size: largest, max });
        }
        Ok(groups)
    }
}

/// The number of groups for `n` members with sizes in `[min, max]`, closest to `target`;
/// `None` when no number of groups fits.
pub fn group_count(n: usize, min: usize, max: usize, target: usize) -> Option<usize> {
    if min == 0 || min > max || target == 0 || n == 0 {
        return None;
    }
    let (lo, hi) = (n.div_ceil(max), n / min);
    (lo <= hi).then(|| ((n as f64 / target as f64).round() as usize).clamp(lo, hi))
}

/// The largest set of members tied together by keep-together pairs.
fn together_largest(pairs: &[(MemberKey, MemberKey)]) -> usize {
    let mut sets: Vec<std::collections::BTreeSet<&str>> = Vec::new();
    for (a, b) in pairs {
        let hit: Vec<usize> = (0..sets.len())
            .filter(|&i| sets[i].contains(a.as_str()) || sets[i].contains(b.as_str()))
            .collect();
        let mut merged: std::collections::BTreeSet<&str> = [a.as_str(), b.as_str()].into();
        for &i in hit.iter().rev() {
            merged.extend(sets.swap_remove(i));
        }
        sets.push(merged);
    }
    sets.iter().map(|s| s.len()).max().unwrap_or(0)
}

/// A round that cannot be formed or changed as asked. Kept as JSON with a failed job, so
/// its page says it in the reader's language.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RoundRule {
    #[error("the population is empty")]
    EmptyPopulation,
    #[error("{n} members cannot be split into groups of {min} to {max}")]
    BoundsUnmet { n: usize, min: usize, max: usize },
    #[error("{hosts} hosts, but only {groups} groups")]
    TooManyHosts { hosts: usize, groups: usize },
    #[error("{key} is not in the population")]
    NotInPopulation { key: String },
    #[error("{size} members must be kept together, but a group holds at most {max}")]
    TogetherTooLarge { size: usize, max: usize },
    #[error("the groups cannot be formed: {detail}")]
    Unsolvable { detail: String },
    #[error("the round is {status}, not a draft")]
    NotADraft { status: RoundStatus },
    #[error("no group {group}")]
    NoSuchGroup { group: usize },
    #[error("the round collects no aspect of competence {competence}")]
    NoSuchCompetence { competence: usize },
    #[error("aspects are recorded once the groups are published")]
    NotPublished,
}

impl Refusal for RoundRule {
    fn code(&self) -> &'static str {
        match self {
            Self::EmptyPopulation => "rounds-empty_population",
            Self::BoundsUnmet { .. } => "rounds-bounds_unmet",
            Self::TooManyHosts { .. } => "rounds-too_many_hosts",
            Self::NotInPopulation { .. } => "rounds-not_in_population",
            Self::TogetherTooLarge { .. } => "rounds-together_too_large",
            Self::Unsolvable { .. } => "rounds-unsolvable",
            Self::NotADraft { .. } => "rounds-not_a_draft",
            Self::NoSuchGroup { .. } => "rounds-no_such_group",
            Self::NoSuchCompetence { .. } => "rounds-no_such_competence",
            Self::NotPublished => "rounds-not_published",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        use crate::Labelled;
        match self {
            Self::BoundsUnmet { n, min, max } => vec![
                ("n", Arg::text(n)),
                ("min", Arg::text(min)),
                ("max", Arg::text(max)),
            ],
            Self::TooManyHosts { hosts, groups } => {
                vec![("hosts", Arg::text(hosts)), ("groups", Arg::text(groups))]
            }
            Self::NotInPopulation { key } => vec![("key", Arg::text(key))],
            Self::TogetherTooLarge { size, max } => {
                vec![("size", Arg::text(size)), ("max", Arg::text(max))]
            }
            Self::Unsolvable { detail } => vec![("detail", Arg::text(detail))],
            Self::NotADraft { status } => vec![("status", Arg::Label(status.label_id()))],
            Self::NoSuchGroup { group } => vec![("group", Arg::text(group))],
            Self::NoSuchCompetence { competence } => vec![("competence", Arg::text(competence))],
            Self::EmptyPopulation | Self::NotPublished => Vec::new(),
        }
    }
}

/// One member of a draft, with the profile the round was formed from (so a draft can
/// be judged again after a hand move without reading the population anew).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftMember {
    pub key: MemberKey,
    pub name: String,
    /// In the order of [`ProfileAttribute::ALL`]; empty when unknown.
    pub values: Vec<String>,
    pub at: Option<(f64, f64)>,
    /// From 0.
    pub group: usize,
    /// What the member adds to its group, and the best other group with the objective
    /// lost by moving there (from the engine's explanation).
    pub contribution: f64,
    pub best_alternative: Option<usize>,
    pub move_cost: f64,
}

/// Groups formed, not yet published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub members: Vec<DraftMember>,
    pub groups: usize,
    pub min: usize,
    pub max: usize,
    pub objective: f64,
    /// The upper bound of diverse groups (from profiles), when known.
    pub bound: Option<f64>,
    /// Pairs kept apart or met before that share a group.
    pub broken: usize,
    /// Each group's host (a member index), when hosts are named or chosen.
    pub hosts: Vec<Option<usize>>,
    /// Pairs (member indices) that met in earlier rounds.
    pub avoid: Vec<(usize, usize)>,
    /// How long the search ran, and which search.
    pub seconds: f64,
    pub search: String,
    /// Members moved by hand since the search.
    pub moved: usize,
}

impl Draft {
    /// Each group's members (indices), in member order.
    pub fn group_members(&self) -> Vec<Vec<usize>> {
        let mut g = vec![Vec::new(); self.groups];
        for (i, m) in self.members.iter().enumerate() {
            if let Some(v) = g.get_mut(m.group) {
                v.push(i);
            }
        }
        g
    }
}

/// A pupil count as a band, so that schools of similar size count as alike.
pub fn pupil_band(pupils: Option<i64>) -> &'static str {
    match pupils {
        None => "",
        Some(p) if p < 100 => "<100",
        Some(p) if p < 200 => "100–199",
        Some(p) if p < 400 => "200–399",
        Some(_) => "400+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RoundSpec {
        RoundSpec {
            title: "Round 1".into(),
            population: Population {
                kind: PopulationKind::Leaders,
                country: Some(Country::Netherlands),
                region: None,
                org_kind: None,
            },
            mode: RoundMode::Diverse,
            size: 10,
            min: None,
            max: None,
            attributes: vec![Weighted {
                attribute: ProfileAttribute::Region,
                weight: 1.0,
                similar: false,
            }],
            keep_apart: vec![],
            keep_together: vec![],
            hosts: vec![],
            host_per_group: false,
            avoid_earlier: true,
            seconds: 5,
            question: None,
            competences: vec![],
        }
    }

    #[test]
    fn bounds_that_cannot_be_met_are_named() {
        let s = RoundSpec {
            min: Some(10),
            max: Some(10),
            ..spec()
        };
        assert_eq!(
            s.check_population(25, |_| true),
            Err(RoundRule::BoundsUnmet {
                n: 25,
                min: 10,
                max: 10
            })
        );
        assert_eq!(s.check_population(30, |_| true), Ok(3));
        assert_eq!(spec().check_population(43, |_| true), Ok(4));
        assert_eq!(
            spec().check_population(0, |_| true),
            Err(RoundRule::EmptyPopulation)
        );
    }

    #[test]
    fn kept_together_larger_than_a_group_is_refused() {
        let pairs: Vec<(String, String)> = (0..12)
            .map(|i| (format!("p{i}"), format!("p{}", i + 1)))
            .collect();
        let s = RoundSpec {
            keep_together: pairs,
            ..spec()
        };
        assert_eq!(
            s.check_population(100, |_| true),
            Err(RoundRule::TogetherTooLarge { size: 13, max: 12 })
        );
    }

    #[test]
    fn a_host_outside_the_population_is_named() {
        let s = RoundSpec {
            hosts: vec!["o7".into()],
            ..spec()
        };
        assert_eq!(
            s.check_population(40, |k| k != "o7"),
            Err(RoundRule::NotInPopulation { key: "o7".into() })
        );
    }

    #[test]
    fn fields_out_of_range_are_named() {
        let s = RoundSpec {
            min: Some(12),
            ..spec()
        };
        assert_eq!(s.check().unwrap_err().field, "min");
        let s = RoundSpec {
            attributes: vec![],
            ..spec()
        };
        assert_eq!(s.check().unwrap_err().field, "attributes");
        assert!(RoundSpec {
            mode: RoundMode::Regional,
            attributes: vec![],
            ..spec()
        }
        .check()
        .is_ok());
    }
}
