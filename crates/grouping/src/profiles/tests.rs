//! The profile search's tests: the dissimilarity is the Gower matrix's, the bound holds,
//! sizes, hosts and pairs to keep apart are kept, and a seed repeats its result.

use super::*;
use crate::attributes::gower_matrix;

fn spec(name: &str, direction: Direction) -> AttrSpec {
    AttrSpec {
        name: name.into(),
        weight: 1.0,
        direction,
    }
}

/// `n` members over four categorical attributes with uneven category sizes.
fn population(n: usize, seed: u64) -> Vec<Vec<Value>> {
    let mut rng = SmallRng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            [12usize, 6, 2, 4]
                .iter()
                .map(|&k| {
                    // Skewed: low codes are more common.
                    let c = rng.gen_range(0..k).min(rng.gen_range(0..k));
                    Value::Cat(format!("c{c}"))
                })
                .collect()
        })
        .collect()
}

#[test]
fn dissimilarities_are_the_gower_matrix() {
    let mut rng = SmallRng::seed_from_u64(3);
    let rows: Vec<Vec<Value>> = (0..60)
        .map(|i| {
            vec![
                Value::Cat(["a", "b", "c"][i % 3].into()),
                if i % 7 == 0 {
                    Value::Missing
                } else {
                    Value::Num(rng.gen_range(0.0..500.0))
                },
                Value::Cat(["x", "y"][i % 2].into()),
            ]
        })
        .collect();
    let specs = [
        spec("region", Direction::Diverse),
        spec("pupils", Direction::Diverse),
        spec("kind", Direction::Similar),
    ];
    let m = gower_matrix(&rows, &specs);
    let p = Profiles::new(&rows, &specs);
    for i in 0..60 {
        for j in 0..60 {
            if i != j {
                assert_eq!(p.d(i, j), m[i * 60 + j], "({i}, {j})");
            }
        }
    }
    assert_eq!(
        p.bound(&[30, 30]),
        None,
        "no bound with numbers or shared attributes"
    );
}

#[test]
fn the_bound_holds_and_an_even_spread_reaches_it() {
    // Two attributes whose categories divide evenly: dealing reaches the bound.
    let rows: Vec<Vec<Value>> = (0..40)
        .map(|i| {
            vec![
                Value::Cat(format!("r{}", i % 4)),
                Value::Cat(format!("k{}", (i / 4) % 2)),
            ]
        })
        .collect();
    let specs = [spec("a", Direction::Diverse), spec("b", Direction::Diverse)];
    let p = Profiles::new(&rows, &specs);
    let sizes = even_sizes(40, 4);
    let bound = p.bound(&sizes).unwrap();
    let s = diverse_groups(
        &p,
        &sizes,
        &[],
        &Apart::default(),
        &ProfileOptions {
            seed: 1,
            max_steps: Some(20_000),
            threads: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        (s.objective - bound).abs() < 1e-9,
        "{} vs {bound}",
        s.objective
    );
    // And never above it, whatever the population.
    for seed in 0..5 {
        let rows = population(200, seed);
        let specs: Vec<AttrSpec> = (0..4)
            .map(|a| spec(&a.to_string(), Direction::Diverse))
            .collect();
        let p = Profiles::new(&rows, &specs);
        let sizes = even_sizes(200, 20);
        let s = diverse_groups(
            &p,
            &sizes,
            &[],
            &Apart::default(),
            &ProfileOptions {
                seed,
                max_steps: Some(50_000),
                threads: 1,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(s.objective <= p.bound(&sizes).unwrap() + 1e-9);
    }
}

#[test]
fn the_search_keeps_sizes_and_hosts_improves_and_repeats_for_a_seed() {
    let rows = population(2_000, 7);
    let specs: Vec<AttrSpec> = (0..4)
        .map(|a| spec(&a.to_string(), Direction::Diverse))
        .collect();
    let p = Profiles::new(&rows, &specs);
    let sizes = even_sizes(2_000, 200);
    let fixed = [(5, 0), (17, 1), (1999, 199)];
    let opt = ProfileOptions {
        seed: 11,
        max_steps: Some(400_000),
        threads: 1,
        ..Default::default()
    };
    let s = diverse_groups(&p, &sizes, &fixed, &Apart::default(), &opt).unwrap();
    let mut fill = vec![0; 200];
    for &g in &s.assign {
        fill[g] += 1;
    }
    assert_eq!(fill, sizes);
    for &(i, g) in &fixed {
        assert_eq!(s.assign[i], g);
    }
    let dealt = objective(&p, &deal(&p, &sizes, &fixed), 200);
    let bound = p.bound(&sizes).unwrap();
    assert!(s.objective > dealt, "{} > {dealt}", s.objective);
    assert!(
        s.objective >= 0.99 * bound,
        "{} within 1 % of {bound}",
        s.objective
    );
    assert!((objective(&p, &s.assign, 200) - s.objective).abs() < 1e-6);
    let again = diverse_groups(&p, &sizes, &fixed, &Apart::default(), &opt).unwrap();
    assert_eq!((again.assign, again.objective), (s.assign, s.objective));
}

#[test]
fn pairs_kept_apart_and_pairs_that_met_are_separated() {
    let rows = population(300, 5);
    let specs: Vec<AttrSpec> = (0..4)
        .map(|a| spec(&a.to_string(), Direction::Diverse))
        .collect();
    let p = Profiles::new(&rows, &specs);
    let sizes = even_sizes(300, 30);
    let opt = ProfileOptions {
        seed: 2,
        max_steps: Some(200_000),
        threads: 1,
        ..Default::default()
    };
    let first = diverse_groups(&p, &sizes, &[], &Apart::default(), &opt).unwrap();
    // Every pair of the first round met; the second round avoids them.
    let mut met = Vec::new();
    for i in 0..300 {
        for j in i + 1..300 {
            if first.assign[i] == first.assign[j] {
                met.push((i, j, 1.0));
            }
        }
    }
    let apart = Apart::new(300, &[(0, 1), (2, 3)], &met);
    assert!(apart.broken(&first.assign) >= met.len());
    let second = diverse_groups(&p, &sizes, &[], &apart, &opt).unwrap();
    assert_eq!(apart.broken(&second.assign), 0, "nobody meets again");
    assert!(second.objective > 0.97 * first.objective);
}

#[test]
fn explanations_from_counts_are_those_from_the_pairs() {
    let rows = population(150, 9);
    let specs: Vec<AttrSpec> = (0..4)
        .map(|a| spec(&a.to_string(), Direction::Diverse))
        .collect();
    let p = Profiles::new(&rows, &specs);
    let assign: Vec<usize> = (0..150).map(|i| (i * 7) % 15).collect();
    let fast = explain(&p, &assign, 15);
    let slow = crate::explain::explain(150, 15, &assign, |i, j| p.d(i, j));
    assert_eq!(fast.0, slow.0);
    for (f, s) in fast.1.iter().zip(&slow.1) {
        assert_eq!((f.group, f.best_alternative.is_some()), (s.group, true));
        assert!((f.contribution - s.contribution).abs() < 1e-9);
        assert!((f.move_cost - s.move_cost).abs() < 1e-9);
    }
}

#[test]
fn impossible_sizes_and_fixed_members_are_named() {
    let p = Profiles::new(&population(10, 1), &[spec("a", Direction::Diverse)]);
    let opt = ProfileOptions::default();
    assert!(matches!(
        diverse_groups(&p, &[3, 3], &[], &Apart::default(), &opt),
        Err(GroupingError::Bounds(_))
    ));
    assert!(matches!(
        diverse_groups(&p, &[5, 5], &[(10, 0)], &Apart::default(), &opt),
        Err(GroupingError::Shape(_))
    ));
}
