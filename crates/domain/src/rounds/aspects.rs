//! What a conversation round yields: the aspects each group raises around the round's
//! question, tagged to a competence, and their synthesis — how many per competence, and
//! against the groups' composition (region, school type, environment, governance).

use super::{Draft, ProfileAttribute, RoundRule};
use crate::input::{Description, InputError, Problem};
use std::collections::BTreeMap;

/// One aspect a group raised.
#[derive(Debug, Clone, PartialEq)]
pub struct Aspect {
    /// The group (from 0).
    pub group: usize,
    /// The competence (an index into the round's competences).
    pub competence: usize,
    pub text: String,
}

impl Aspect {
    /// An aspect of `groups` groups and `competences` competences: the text between 1 and
    /// 2,000 characters of plain text.
    pub fn new(
        group: usize,
        competence: usize,
        text: &str,
        groups: usize,
        competences: usize,
    ) -> Result<Self, AspectError> {
        if group >= groups {
            return Err(AspectError::Rule(RoundRule::NoSuchGroup {
                group: group + 1,
            }));
        }
        if competence >= competences {
            return Err(AspectError::Rule(RoundRule::NoSuchCompetence {
                competence: competence + 1,
            }));
        }
        let text = Description::parse("text", text)?;
        if text.as_str().trim().is_empty() {
            return Err(InputError::new("text", Problem::Required).into());
        }
        Ok(Aspect {
            group,
            competence,
            text: text.as_str().trim().to_owned(),
        })
    }
}

/// Why an aspect is refused: a field, or the round's rules.
#[derive(Debug, Clone, PartialEq)]
pub enum AspectError {
    Input(InputError),
    Rule(RoundRule),
}

impl From<InputError> for AspectError {
    fn from(e: InputError) -> Self {
        AspectError::Input(e)
    }
}

/// One category of an attribute (`Utrecht`) with the aspects counted against it: each
/// group's aspects weighted by the share of its members in the category, so a group with
/// three of ten members from Utrecht counts 0.3 of each aspect it raised.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositionRow {
    pub category: String,
    /// Members in the category across the round.
    pub members: usize,
    /// Per competence.
    pub weighted: Vec<f64>,
}

/// A round's aspects summed up.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthesis {
    /// Aspects per competence, in the round's order.
    pub by_competence: Vec<usize>,
    /// Groups that recorded at least one aspect.
    pub groups_reporting: usize,
    /// Per attribute (in the order asked), its categories, most members first.
    pub against: Vec<(ProfileAttribute, Vec<CompositionRow>)>,
}

/// Sums `aspects` up against the groups of `draft`.
pub fn synthesize(
    competences: usize,
    aspects: &[Aspect],
    draft: &Draft,
    attributes: &[ProfileAttribute],
) -> Synthesis {
    let mut by_competence = vec![0; competences];
    let mut per_group: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in aspects {
        if a.competence < competences {
            by_competence[a.competence] += 1;
            per_group
                .entry(a.group)
                .or_insert_with(|| vec![0; competences])[a.competence] += 1;
        }
    }
    let groups = draft.group_members();
    let against = attributes
        .iter()
        .map(|&attr| {
            let col = ProfileAttribute::ALL
                .iter()
                .position(|x| *x == attr)
                .unwrap_or(0);
            let mut rows: BTreeMap<String, CompositionRow> = BTreeMap::new();
            for (g, members) in groups.iter().enumerate() {
                let mut here: BTreeMap<&str, usize> = BTreeMap::new();
                for &i in members {
                    let v = draft.members[i]
                        .values
                        .get(col)
                        .map(String::as_str)
                        .unwrap_or("");
                    *here.entry(v).or_default() += 1;
                }
                for (cat, n) in here {
                    let row = rows
                        .entry(cat.to_owned())
                        .or_insert_with(|| CompositionRow {
                            category: cat.to_owned(),
                            members: 0,
                            weighted: vec![0.0; competences],
                        });
                    row.members += n;
                    if let Some(counts) = per_group.get(&g) {
                        let share = n as f64 / members.len() as f64;
                        for (w, c) in row.weighted.iter_mut().zip(counts) {
                            *w += share * *c as f64;
                        }
                    }
                }
            }
            let mut rows: Vec<CompositionRow> = rows.into_values().collect();
            rows.sort_by(|a, b| b.members.cmp(&a.members).then(a.category.cmp(&b.category)));
            (attr, rows)
        })
        .collect();
    Synthesis {
        by_competence,
        groups_reporting: per_group.len(),
        against,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::DraftMember;

    fn member(group: usize, region: &str) -> DraftMember {
        DraftMember {
            key: String::new(),
            name: String::new(),
            values: vec![
                region.into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
            at: None,
            group,
            contribution: 0.0,
            best_alternative: None,
            move_cost: 0.0,
        }
    }

    fn draft() -> Draft {
        Draft {
            members: vec![
                member(0, "Utrecht"),
                member(0, "Utrecht"),
                member(0, "Limburg"),
                member(0, "Limburg"),
                member(1, "Limburg"),
                member(1, "Limburg"),
            ],
            groups: 2,
            min: 2,
            max: 4,
            objective: 0.0,
            bound: None,
            broken: 0,
            hosts: vec![None, None],
            avoid: vec![],
            seconds: 0.0,
            search: String::new(),
            moved: 0,
        }
    }

    #[test]
    fn aspects_are_counted_by_competence_and_weighted_by_composition() {
        let aspects = vec![
            Aspect::new(0, 0, "Vision shared with the team", 2, 2).unwrap(),
            Aspect::new(0, 1, "Knows the neighbourhood", 2, 2).unwrap(),
            Aspect::new(1, 1, "Works with the municipality", 2, 2).unwrap(),
        ];
        let s = synthesize(2, &aspects, &draft(), &[ProfileAttribute::Region]);
        assert_eq!(s.by_competence, vec![1, 2]);
        assert_eq!(s.groups_reporting, 2);
        let (_, rows) = &s.against[0];
        // Limburg: 4 members; half of group 1's aspects and all of group 2's.
        assert_eq!(rows[0].category, "Limburg");
        assert_eq!(rows[0].members, 4);
        assert_eq!(rows[0].weighted, vec![0.5, 1.5]);
        assert_eq!(rows[1].weighted, vec![0.5, 0.5]);
        // Every aspect is counted once over the categories of an attribute.
        let total: f64 = rows.iter().flat_map(|r| r.weighted.iter()).sum();
        assert!((total - 3.0).abs() < 1e-9);
    }

    #[test]
    fn aspects_outside_the_round_are_refused() {
        assert_eq!(
            Aspect::new(2, 0, "x", 2, 2),
            Err(AspectError::Rule(RoundRule::NoSuchGroup { group: 3 }))
        );
        assert_eq!(
            Aspect::new(0, 5, "x", 2, 2),
            Err(AspectError::Rule(RoundRule::NoSuchCompetence {
                competence: 6
            }))
        );
        assert!(matches!(
            Aspect::new(0, 0, "  ", 2, 2),
            Err(AspectError::Input(_))
        ));
    }
}
