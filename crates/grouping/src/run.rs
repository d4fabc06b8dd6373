//! Running a [`Plan`] to its groups, and judging an assignment (the solver's or one a
//! coordinator changed by hand) against the request: its objective and the constraints it
//! breaks. The command line and the web's background rounds both run plans through here.

use crate::attributes::km;
use crate::explain::{explain, GroupReport, MemberReport};
use crate::model::GroupingError;
use crate::profiles::{self, diverse_groups, ProfileOptions, Profiles};
use crate::regional::regional_groups;
use crate::request::{attribute_values, GroupRequest, Member, Mode, Plan};
use crate::solver::{solve, Options};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// How long and how to search.
#[derive(Clone, Copy)]
pub struct RunOptions<'a> {
    pub seed: u64,
    pub time_limit: Duration,
    /// Swaps or iterations per thread: with a budget the result depends only on the seed
    /// (the demo and the tests use one).
    pub max_steps: Option<u64>,
    pub threads: usize,
    pub cancel: Option<&'a AtomicBool>,
}

/// Which search ran, with its own figures.
#[derive(Debug, Clone, PartialEq)]
pub enum Search {
    Geographic {
        initial_km: f64,
        passes: usize,
    },
    Profiles {
        steps: u64,
    },
    Solve {
        iterations: u64,
        time_to_best: Duration,
    },
}

/// The groups found and why they are as they are.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The group (0-based) of each member.
    pub assign: Vec<usize>,
    pub groups: usize,
    pub min: usize,
    pub max: usize,
    /// The sum over groups of their pairs' values (minus km for regional groups).
    pub objective: f64,
    /// The upper bound of diverse groups from profiles.
    pub bound: Option<f64>,
    /// Pairs kept apart or met before that share a group.
    pub broken: usize,
    pub group_reports: Vec<GroupReport>,
    pub member_reports: Vec<MemberReport>,
    pub search: Search,
    pub elapsed: Duration,
}

/// Runs `plan` until the time limit, the step budget or cancellation.
pub fn run(plan: &Plan, opt: &RunOptions<'_>) -> Result<Outcome, GroupingError> {
    match plan {
        Plan::Geographic {
            points,
            min,
            max,
            size,
        } => {
            let started = std::time::Instant::now();
            let (min, max) = (*min, *max);
            let s = regional_groups(points, min, max, *size, opt.time_limit, opt.seed)?;
            let n = points.len();
            let (group_reports, member_reports) =
                explain(n, s.groups, &s.assign, |i, j| -km(points[i], points[j]));
            Ok(Outcome {
                objective: -s.total_km,
                bound: None,
                broken: 0,
                groups: s.groups,
                min,
                max,
                group_reports,
                member_reports,
                search: Search::Geographic {
                    initial_km: s.initial_km,
                    passes: s.passes,
                },
                elapsed: started.elapsed(),
                assign: s.assign,
            })
        }
        Plan::Profiles {
            profiles,
            sizes,
            fixed,
            apart,
            min,
            max,
        } => {
            let (min, max) = (*min, *max);
            let s = diverse_groups(
                profiles,
                sizes,
                fixed,
                apart,
                &ProfileOptions {
                    seed: opt.seed,
                    time_limit: opt.time_limit,
                    max_steps: opt.max_steps,
                    threads: opt.threads,
                    cancel: opt.cancel,
                },
            )?;
            let groups = sizes.len();
            let (group_reports, member_reports) = profiles::explain(profiles, &s.assign, groups);
            Ok(Outcome {
                objective: s.objective,
                bound: profiles.bound(sizes),
                broken: apart.broken(&s.assign),
                groups,
                min,
                max,
                group_reports,
                member_reports,
                search: Search::Profiles { steps: s.steps },
                elapsed: s.elapsed,
                assign: s.assign,
            })
        }
        Plan::Solve {
            problem,
            groups,
            min,
            max,
        } => {
            let (groups, min, max) = (*groups, *min, *max);
            let s = solve(
                problem,
                &Options {
                    seed: opt.seed,
                    time_limit: opt.time_limit,
                    max_iterations: opt.max_steps,
                    threads: opt.threads,
                    cancel: opt.cancel,
                    progress: None,
                },
            )?;
            let n = s.assign.len();
            let (group_reports, member_reports) =
                explain(n, groups, &s.assign, |i, j| problem.dist(i, j));
            let c = &problem.constraints;
            let same = |a: usize, b: usize| s.assign[a] == s.assign[b];
            let broken = c.keep_apart.iter().filter(|&&(a, b)| same(a, b)).count()
                + c.avoid.iter().filter(|&&(a, b, _)| same(a, b)).count();
            Ok(Outcome {
                objective: s.objective,
                bound: None,
                broken,
                groups,
                min,
                max,
                group_reports,
                member_reports,
                search: Search::Solve {
                    iterations: s.iterations,
                    time_to_best: s.time_to_best,
                },
                elapsed: s.elapsed,
                assign: s.assign,
            })
        }
    }
}

/// A constraint an assignment breaks (members and groups 0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    TooSmall {
        group: usize,
        size: usize,
        min: usize,
    },
    TooLarge {
        group: usize,
        size: usize,
        max: usize,
    },
    KeptApart(usize, usize),
    KeptTogether(usize, usize),
    /// A host out of its own group, or two hosts in one group.
    Host {
        group: usize,
    },
    MetBefore(usize, usize),
}

/// An assignment judged against its request.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// The sum over groups (the worst group for balanced groups).
    pub objective: f64,
    pub broken: Vec<Broken>,
}

/// The value of two members sharing a group, as the request counts it.
pub struct PairValue {
    mode: Mode,
    profiles: Option<Profiles>,
    places: Vec<(f64, f64)>,
}

impl PairValue {
    pub fn new(req: &GroupRequest, members: &[Member]) -> Self {
        if req.mode == Mode::Regional {
            PairValue {
                mode: req.mode,
                profiles: None,
                places: members.iter().map(|m| m.at.unwrap_or_default()).collect(),
            }
        } else {
            let (values, specs) = attribute_values(req, members);
            PairValue {
                mode: req.mode,
                profiles: Some(Profiles::new(&values, &specs)),
                places: Vec::new(),
            }
        }
    }

    pub fn value(&self, i: usize, j: usize) -> f64 {
        match &self.profiles {
            Some(p) => p.d(i, j),
            None => -km(self.places[i], self.places[j]),
        }
    }

    /// Why each member sits where it does under `assign` (as [`crate::explain::explain`]).
    pub fn explain(
        &self,
        assign: &[usize],
        groups: usize,
    ) -> (Vec<GroupReport>, Vec<MemberReport>) {
        match &self.profiles {
            Some(p) => profiles::explain(p, assign, groups),
            None => explain(assign.len(), groups, assign, |i, j| self.value(i, j)),
        }
    }

    /// `assign` (one group per member, `groups` groups of `min..=max`) judged against
    /// `req`.
    pub fn judge(
        &self,
        req: &GroupRequest,
        assign: &[usize],
        groups: usize,
        (min, max): (usize, usize),
    ) -> Judged {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
        for (i, &g) in assign.iter().enumerate() {
            if g < groups {
                members[g].push(i);
            }
        }
        let scores: Vec<f64> = members
            .iter()
            .map(|m| {
                let mut s = 0.0;
                for (k, &i) in m.iter().enumerate() {
                    for &j in &m[k + 1..] {
                        s += self.value(i, j);
                    }
                }
                s
            })
            .collect();
        let objective = if self.mode == Mode::Balanced {
            scores.iter().copied().fold(f64::INFINITY, f64::min)
        } else {
            scores.iter().sum()
        };
        let mut broken = Vec::new();
        for (group, m) in members.iter().enumerate() {
            let size = m.len();
            if size < min {
                broken.push(Broken::TooSmall { group, size, min });
            }
            if size > max {
                broken.push(Broken::TooLarge { group, size, max });
            }
        }
        let same = |a: usize, b: usize| assign.get(a).is_some() && assign.get(a) == assign.get(b);
        broken.extend(
            req.keep_apart
                .iter()
                .filter(|&&(a, b)| same(a, b))
                .map(|&(a, b)| Broken::KeptApart(a, b)),
        );
        broken.extend(
            req.keep_together
                .iter()
                .filter(|&&(a, b)| !same(a, b))
                .map(|&(a, b)| Broken::KeptTogether(a, b)),
        );
        for (group, &h) in req.hosts.iter().enumerate() {
            let hosts_here = req.hosts.iter().filter(|&&o| same(o, h)).count();
            if assign.get(h) != Some(&group) || hosts_here > 1 {
                broken.push(Broken::Host { group });
            }
        }
        broken.extend(
            req.avoid
                .iter()
                .filter(|&&(a, b, _)| same(a, b))
                .map(|&(a, b, _)| Broken::MetBefore(a, b)),
        );
        Judged { objective, broken }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{plan, Attribute};

    fn members(n: usize) -> Vec<Member> {
        (0..n)
            .map(|i| Member {
                values: vec![["a", "b", "c"][i % 3].into(), ["x", "y"][i % 2].into()],
                at: Some((52.0 + i as f64 * 0.01, 5.0)),
            })
            .collect()
    }

    fn request(mode: Mode) -> GroupRequest {
        GroupRequest {
            mode,
            size: 5,
            min: None,
            max: None,
            attributes: ["kind", "side"]
                .map(|name| Attribute {
                    name: name.into(),
                    weight: 1.0,
                    similar: false,
                })
                .to_vec(),
            keep_apart: vec![(0, 3)],
            keep_together: vec![],
            hosts: vec![],
            avoid: vec![(1, 2, 1.0)],
        }
    }

    fn opt() -> RunOptions<'static> {
        RunOptions {
            seed: 7,
            time_limit: Duration::from_secs(5),
            max_steps: Some(2_000),
            threads: 1,
            cancel: None,
        }
    }

    #[test]
    fn the_judged_objective_is_the_solvers() {
        let req = request(Mode::Diverse);
        let m = members(20);
        let out = run(&plan(&req, &m).unwrap(), &opt()).unwrap();
        let pv = PairValue::new(&req, &m);
        let judged = pv.judge(&req, &out.assign, out.groups, (out.min, out.max));
        assert!((judged.objective - out.objective).abs() < 1e-9);
        assert_eq!(judged.broken, vec![]);
        assert_eq!(out.broken, 0);
    }

    #[test]
    fn a_hand_move_shows_what_it_breaks() {
        let req = GroupRequest {
            hosts: vec![4],
            ..request(Mode::Diverse)
        };
        let m = members(20);
        let out = run(&plan(&req, &m).unwrap(), &opt()).unwrap();
        let pv = PairValue::new(&req, &m);
        let mut moved = out.assign.clone();
        // Member 3 joins member 0 (kept apart), and the host leaves its group.
        moved[3] = moved[0];
        moved[4] = (out.assign[4] + 1) % out.groups;
        let j = pv.judge(&req, &moved, out.groups, (out.min, out.max));
        assert!(j.broken.contains(&Broken::KeptApart(0, 3)));
        assert!(j.broken.contains(&Broken::Host { group: 0 }));
        assert!(j
            .broken
            .iter()
            .any(|b| matches!(b, Broken::TooLarge { .. } | Broken::TooSmall { .. })));
    }

    #[test]
    fn cancelled_runs_stop_with_what_they_have() {
        let stop = AtomicBool::new(true);
        let req = request(Mode::Diverse);
        let m = members(30);
        let out = run(
            &plan(&req, &m).unwrap(),
            &RunOptions {
                max_steps: None,
                time_limit: Duration::from_secs(60),
                cancel: Some(&stop),
                ..opt()
            },
        )
        .unwrap();
        assert_eq!(out.assign.len(), 30);
        assert!(out.elapsed < Duration::from_secs(30));
    }
}
