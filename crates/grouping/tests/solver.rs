//! The solver on public benchmark instances and on random problems with constraints.

use headway_grouping::formats::{read_assignment, read_ccplib, read_mdgplib};
use headway_grouping::{solve, Bounds, Constraints, GroupingError, Objective, Options, Problem};
use proptest::prelude::*;
use std::time::Duration;

struct Known {
    name: String,
    value: f64,
    kind: String,
    solution: String,
}

fn known() -> Vec<Known> {
    let text = include_str!("data/values.csv");
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, ',').collect();
            Known {
                name: f[0].into(),
                value: f[1].parse().unwrap(),
                kind: f[2].into(),
                solution: f[3].into(),
            }
        })
        .collect()
}

fn instance(name: &str) -> Problem {
    let path = format!("{}/tests/data/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    if name.starts_with("Sparse") {
        read_ccplib(&text)
    } else {
        read_mdgplib(&text)
    }
    .unwrap()
}

fn budget(seed: u64, iterations: u64) -> Options<'static> {
    Options {
        seed,
        max_iterations: Some(iterations),
        time_limit: Duration::from_secs(3600),
        ..Options::default()
    }
}

#[test]
fn the_evaluator_reproduces_the_published_best_solutions() {
    for k in known().iter().filter(|k| k.kind == "tpsdp_best") {
        let p = instance(&k.name);
        let a = read_assignment(&k.solution, p.n).unwrap();
        p.check(&a).unwrap();
        assert!(
            (p.evaluate(&a) - k.value).abs() < 1e-3,
            "{}: {} vs {}",
            k.name,
            p.evaluate(&a),
            k.value
        );
    }
}

#[test]
fn proven_optima_are_reached() {
    for k in known().iter().filter(|k| k.kind == "proven_optimum") {
        let p = instance(&k.name);
        let s = solve(&p, &budget(1, 20_000)).unwrap();
        assert!(
            (s.objective - k.value).abs() < 1e-6,
            "{}: {} vs optimum {}",
            k.name,
            s.objective,
            k.value
        );
        p.check(&s.assign).unwrap();
    }
}

#[test]
fn a_capacitated_instance_is_solved_within_its_weight_bounds() {
    let k = known()
        .into_iter()
        .find(|k| k.name == "Sparse82_01")
        .unwrap();
    let p = instance("Sparse82_01");
    let s = solve(&p, &budget(3, 30_000)).unwrap();
    p.check(&s.assign).unwrap();
    // A short run: within 2 % of the reference of a long run of a published method.
    assert!(
        s.objective > 0.98 * k.value,
        "{} vs {}",
        s.objective,
        k.value
    );
}

#[test]
fn the_same_seed_gives_the_same_grouping() {
    let p = instance("RanReal_n120_ds_01");
    let a = solve(&p, &budget(42, 3_000)).unwrap();
    let b = solve(&p, &budget(42, 3_000)).unwrap();
    assert_eq!(a.assign, b.assign);
    let c = solve(
        &p,
        &Options {
            threads: 2,
            ..budget(42, 3_000)
        },
    )
    .unwrap();
    let d = solve(
        &p,
        &Options {
            threads: 2,
            ..budget(42, 3_000)
        },
    )
    .unwrap();
    assert_eq!(c.assign, d.assign, "also with two threads");
}

#[test]
fn infeasible_requests_name_the_conflict() {
    let d = vec![0.0; 16];
    let mut p = Problem::with_sizes(d, 4, vec![Bounds { lo: 3.0, hi: 3.0 }; 2]);
    assert!(
        matches!(solve(&p, &budget(1, 10)), Err(GroupingError::Bounds(m)) if m.contains("at least 6"))
    );
    p.groups = vec![Bounds { lo: 2.0, hi: 2.0 }; 2];
    p.constraints = Constraints {
        keep_apart: vec![(0, 1)],
        keep_together: vec![(0, 1)],
        ..Default::default()
    };
    assert!(
        matches!(solve(&p, &budget(1, 10)), Err(GroupingError::Conflict(m)) if m.contains("both together and apart"))
    );
    p.constraints = Constraints {
        keep_together: vec![(0, 1), (1, 2)],
        ..Default::default()
    };
    assert!(
        matches!(solve(&p, &budget(1, 10)), Err(GroupingError::Conflict(m)) if m.contains("[0, 1, 2]"))
    );
    p.constraints = Constraints {
        fixed: vec![(0, 0), (1, 0)],
        keep_apart: vec![(0, 1)],
        ..Default::default()
    };
    assert!(
        matches!(solve(&p, &budget(1, 10)), Err(GroupingError::Conflict(m)) if m.contains("both fixed to group 0"))
    );
}

#[test]
fn balance_raises_the_worst_group() {
    let p = instance("RanReal_n120_ds_01");
    let sum = solve(&p, &budget(5, 4_000)).unwrap();
    let worst = |s: &[f64]| s.iter().copied().fold(f64::INFINITY, f64::min);
    let balanced = solve(
        &Problem {
            objective: Objective::MaxMin,
            ..p.clone()
        },
        &budget(5, 4_000),
    )
    .unwrap();
    assert!(
        worst(&balanced.group_scores) > worst(&sum.group_scores),
        "{:?} vs {:?}",
        balanced.group_scores,
        sum.group_scores
    );
}

fn random_problem(n: usize, groups: usize, seed: u64) -> Problem {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % 1000) as f64 / 10.0
    };
    let mut d = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let v = next();
            d[i * n + j] = v;
            d[j * n + i] = v;
        }
    }
    let lo = (n / groups) as f64 - 1.0;
    let hi = n.div_ceil(groups) as f64 + 1.0;
    Problem::with_sizes(
        d,
        n,
        vec![
            Bounds {
                lo: lo.max(1.0),
                hi
            };
            groups
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the constraints and weights, a returned grouping meets every bound and hard
    /// constraint.
    #[test]
    fn constraints_always_hold(
        seed in 0u64..1000,
        n in 12usize..30,
        groups in 2usize..4,
        apart in proptest::collection::vec((0usize..30, 0usize..30), 0..4),
        together in proptest::collection::vec((0usize..30, 0usize..30), 0..3),
        fixed in proptest::collection::vec((0usize..30, 0usize..4), 0..3),
        weighted in proptest::bool::ANY,
    ) {
        let mut p = random_problem(n, groups, seed);
        if weighted {
            // Unequal weights: the search may then leave the bounds for a while.
            p.weights = (0..n).map(|i| (1 + (seed as usize + i * 7) % 3) as f64).collect();
            let per = p.weights.iter().sum::<f64>() / groups as f64;
            for b in &mut p.groups {
                *b = Bounds { lo: (per - 3.0).floor().max(1.0), hi: (per + 3.0).ceil() };
            }
        }
        let ok = |(a, b): &(usize, usize)| *a < n && *b < n && a != b;
        p.constraints = Constraints {
            keep_apart: apart.into_iter().filter(ok).collect(),
            keep_together: together.into_iter().filter(ok).collect(),
            fixed: fixed.into_iter().filter(|(i, g)| *i < n && *g < groups).collect(),
            avoid: vec![],
        };
        match solve(&p, &budget(seed, 400)) {
            Ok(s) => prop_assert!(p.check(&s.assign).is_ok(), "{:?}", p.check(&s.assign)),
            Err(GroupingError::Conflict(_)) | Err(GroupingError::Infeasible(_)) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
