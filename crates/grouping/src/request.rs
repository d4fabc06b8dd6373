//! From what a coordinator asks for to what the solver solves: the modes (diverse,
//! regional, balanced), the default bounds, hosts and other constraints, the matrix from
//! the members' attributes or places, and when the geographic search for thousands of
//! places is used instead of the matrix. The command line and the web both go through
//! [`plan`], so a round of groups means the same wherever it is asked for.

use crate::attributes::{gower_matrix, proximity_matrix, AttrSpec, Direction, Value};
use crate::model::{Bounds, Constraints, GroupingError, Objective, Problem};
use crate::profiles::{even_sizes, Apart, Profiles};
use crate::regional::group_count;

/// What kind of groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Mix the attributes as much as possible inside each group (sum of dissimilarities).
    Diverse,
    /// Keep groups close together (shortest travel inside groups).
    Regional,
    /// Diverse, but first lift the least diverse group.
    Balanced,
}

/// From this many places on, regional groups are formed by the geographic search, which
/// never builds an n × n matrix.
pub const GEOGRAPHIC_FROM: usize = 1500;

/// From this many members on, diverse groups are formed from the members' profiles
/// ([`crate::profiles`]), without an n × n matrix (unless pairs must be kept together).
pub const PROFILES_FROM: usize = 1000;

/// One member of the population: attribute values (empty when missing) in the order of
/// [`GroupRequest::attributes`], and a place for regional groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub values: Vec<String>,
    pub at: Option<(f64, f64)>,
}

/// An attribute and how it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub weight: f64,
    /// Members should share it rather than mix it.
    pub similar: bool,
}

/// A request for groups. Pairs, hosts and earlier meetings name members by index.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRequest {
    pub mode: Mode,
    /// The target size.
    pub size: usize,
    /// The smallest and largest group allowed; when neither is given, regional groups
    /// may be two smaller or larger than `size`, and diverse and balanced groups differ
    /// in size by one at most.
    pub min: Option<usize>,
    pub max: Option<usize>,
    pub attributes: Vec<Attribute>,
    pub keep_apart: Vec<(usize, usize)>,
    pub keep_together: Vec<(usize, usize)>,
    /// One host per group, each placed in its own group.
    pub hosts: Vec<usize>,
    /// Pairs that met in earlier rounds, with the penalty for meeting again.
    pub avoid: Vec<(usize, usize, f64)>,
}

/// What to run.
#[derive(Debug, Clone)]
pub enum Plan {
    /// Thousands of places: the geographic search ([`crate::regional::regional_groups`]).
    Geographic {
        points: Vec<(f64, f64)>,
        min: usize,
        max: usize,
        size: usize,
    },
    /// Thousands of members, diverse groups: [`crate::profiles::diverse_groups`].
    Profiles {
        profiles: Profiles,
        sizes: Vec<usize>,
        /// (member, group): a host per group.
        fixed: Vec<(usize, usize)>,
        apart: Apart,
        min: usize,
        max: usize,
    },
    /// Everything else: [`crate::solve`] on this problem.
    Solve {
        problem: Problem,
        groups: usize,
        min: usize,
        max: usize,
    },
}

fn conflict(m: impl Into<String>) -> GroupingError {
    GroupingError::Conflict(m.into())
}

/// Turns a request over `members` into a plan, or names what cannot be met.
pub fn plan(req: &GroupRequest, members: &[Member]) -> Result<Plan, GroupingError> {
    let n = members.len();
    let min = req.min.unwrap_or(req.size.saturating_sub(2).max(1));
    let max = req.max.unwrap_or(req.size + 2);
    if min > req.size || req.size > max {
        return Err(GroupingError::Bounds(format!(
            "min {min} ≤ size {} ≤ max {max} must hold",
            req.size
        )));
    }
    let points =
        || -> Vec<(f64, f64)> { members.iter().map(|m| m.at.unwrap_or_default()).collect() };
    if req.mode == Mode::Regional && n > GEOGRAPHIC_FROM {
        return Ok(Plan::Geographic {
            points: points(),
            min,
            max,
            size: req.size,
        });
    }
    let groups = group_count(n, min, max, req.size)?;
    // The sum objective gains pairs by filling groups to the largest size allowed, which
    // leaves others at the smallest (40 leaders, size 10: 12 + 12 + 8 + 8). Groups "of about
    // ten" are meant to be alike, so unless the bounds are widened they differ by one.
    let (min, max) = if req.mode != Mode::Regional && req.min.is_none() && req.max.is_none() {
        (n / groups, n.div_ceil(groups))
    } else {
        (min, max)
    };
    if req.hosts.len() > groups {
        return Err(conflict(format!(
            "{} hosts, but there are only {groups} groups",
            req.hosts.len()
        )));
    }
    let index_ok = |i: usize| i < n;
    let pairs_ok = |v: &[(usize, usize)]| v.iter().all(|&(a, b)| index_ok(a) && index_ok(b));
    if !pairs_ok(&req.keep_apart)
        || !pairs_ok(&req.keep_together)
        || !req.hosts.iter().all(|&h| index_ok(h))
        || !req
            .avoid
            .iter()
            .all(|&(a, b, _)| index_ok(a) && index_ok(b))
    {
        return Err(GroupingError::Shape(
            "a pair, host or earlier meeting names a member outside the population".into(),
        ));
    }
    if req.mode == Mode::Diverse && n >= PROFILES_FROM && req.keep_together.is_empty() {
        let (values, specs) = attribute_values(req, members);
        return Ok(Plan::Profiles {
            profiles: Profiles::new(&values, &specs),
            sizes: even_sizes(n, groups),
            fixed: req.hosts.iter().enumerate().map(|(g, &i)| (i, g)).collect(),
            apart: Apart::new(n, &req.keep_apart, &req.avoid),
            min,
            max,
        });
    }
    let d = if req.mode == Mode::Regional {
        proximity_matrix(&points())
    } else {
        let (values, specs) = attribute_values(req, members);
        gower_matrix(&values, &specs)
    };
    let constraints = Constraints {
        keep_apart: req.keep_apart.clone(),
        keep_together: req.keep_together.clone(),
        fixed: req.hosts.iter().enumerate().map(|(g, &i)| (i, g)).collect(),
        avoid: req.avoid.clone(),
    };
    let bounds: Vec<Bounds> = Problem::size_bounds(n, groups, min, max)?;
    let problem = Problem {
        objective: if req.mode == Mode::Balanced {
            Objective::MaxMin
        } else {
            Objective::Sum
        },
        constraints,
        ..Problem::with_sizes(d, n, bounds)
    };
    Ok(Plan::Solve {
        problem,
        groups,
        min,
        max,
    })
}

/// The members' attribute values and how each counts: an attribute whose every value is a
/// number (a decimal comma allowed) or missing is numeric, any other categorical.
pub(crate) fn attribute_values(
    req: &GroupRequest,
    members: &[Member],
) -> (Vec<Vec<Value>>, Vec<AttrSpec>) {
    let as_number = |v: &str| v.replace(',', ".").parse::<f64>().ok();
    let numeric: Vec<bool> = (0..req.attributes.len())
        .map(|k| {
            members
                .iter()
                .all(|m| m.values[k].is_empty() || as_number(&m.values[k]).is_some())
        })
        .collect();
    let specs: Vec<AttrSpec> = req
        .attributes
        .iter()
        .map(|a| AttrSpec {
            name: a.name.clone(),
            weight: a.weight,
            direction: if a.similar {
                Direction::Similar
            } else {
                Direction::Diverse
            },
        })
        .collect();
    let values: Vec<Vec<Value>> = members
        .iter()
        .map(|m| {
            m.values
                .iter()
                .enumerate()
                .map(|(k, v)| match (v.is_empty(), numeric[k]) {
                    (true, _) => Value::Missing,
                    (false, true) => Value::Num(as_number(v).unwrap_or(0.0)),
                    (false, false) => Value::Cat(v.clone()),
                })
                .collect()
        })
        .collect();
    (values, specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(n: usize) -> Vec<Member> {
        (0..n)
            .map(|i| Member {
                values: vec![["a", "b", "c"][i % 3].into(), (i % 7).to_string()],
                at: Some((52.0 + i as f64 * 0.01, 5.0)),
            })
            .collect()
    }

    fn request(mode: Mode) -> GroupRequest {
        GroupRequest {
            mode,
            size: 10,
            min: None,
            max: None,
            attributes: ["region", "pupils"]
                .map(|name| Attribute {
                    name: name.into(),
                    weight: 1.0,
                    similar: false,
                })
                .to_vec(),
            keep_apart: vec![],
            keep_together: vec![],
            hosts: vec![],
            avoid: vec![],
        }
    }

    #[test]
    fn diverse_groups_differ_by_one_unless_widened() {
        let Plan::Solve {
            groups,
            min,
            max,
            problem,
        } = plan(&request(Mode::Diverse), &members(43)).unwrap()
        else {
            panic!("a problem to solve")
        };
        assert_eq!((groups, min, max), (4, 10, 11));
        assert_eq!(problem.objective, Objective::Sum);
        let wide = GroupRequest {
            min: Some(8),
            max: Some(12),
            ..request(Mode::Balanced)
        };
        let Plan::Solve {
            min, max, problem, ..
        } = plan(&wide, &members(43)).unwrap()
        else {
            panic!("a problem to solve")
        };
        assert_eq!((min, max), (8, 12));
        assert_eq!(problem.objective, Objective::MaxMin);
    }

    #[test]
    fn thousands_of_places_take_the_geographic_search() {
        let r = request(Mode::Regional);
        assert!(matches!(
            plan(&r, &members(GEOGRAPHIC_FROM + 1)).unwrap(),
            Plan::Geographic { .. }
        ));
        assert!(matches!(
            plan(&r, &members(200)).unwrap(),
            Plan::Solve { .. }
        ));
    }

    #[test]
    fn conflicts_are_named() {
        let r = GroupRequest {
            min: Some(11),
            ..request(Mode::Diverse)
        };
        assert!(plan(&r, &members(40))
            .unwrap_err()
            .to_string()
            .contains("min 11"));
        let r = GroupRequest {
            hosts: vec![0, 1, 2, 3, 4],
            ..request(Mode::Diverse)
        };
        assert!(plan(&r, &members(40))
            .unwrap_err()
            .to_string()
            .contains("5 hosts"));
        let r = GroupRequest {
            keep_apart: vec![(0, 99)],
            ..request(Mode::Diverse)
        };
        assert!(matches!(
            plan(&r, &members(40)),
            Err(GroupingError::Shape(_))
        ));
    }

    #[test]
    fn hosts_are_fixed_one_per_group() {
        let r = GroupRequest {
            hosts: vec![5, 9],
            ..request(Mode::Regional)
        };
        let Plan::Solve { problem, .. } = plan(&r, &members(40)).unwrap() else {
            panic!("a problem to solve")
        };
        assert_eq!(problem.constraints.fixed, vec![(5, 0), (9, 1)]);
    }
}
