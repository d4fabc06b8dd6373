//! Refactoring aid: `cargo run --release -p headway-grouping --example fingerprint > a.txt`
//! prints the groupings the solver finds for fixed seeds and iteration budgets on
//! constructed problems that take every path (iterated and memetic search, oscillation
//! with weights, the balance objective, keep-apart/keep-together/avoid, hosts, one and two
//! threads). Run it before and after a change that must not change results; `diff` the two.
use headway_grouping::{solve, Bounds, Objective, Options, Problem};
use rand::{Rng, SeedableRng};
use std::time::Duration;

fn random(n: usize, k: usize, seed: u64, weighted: bool) -> Problem {
    let mut rng = rand::rngs::SmallRng::seed_from_u64(seed);
    let mut d = vec![0.0; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let v = (rng.gen_range(0..1000) as f64) / 10.0;
            d[i * n + j] = v;
            d[j * n + i] = v;
        }
    }
    let lo = (n / k) as f64 - 1.0;
    let hi = (n / k) as f64 + 1.0;
    let mut p = Problem::with_sizes(d, n, vec![Bounds { lo, hi }; k]);
    if weighted {
        p.weights = (0..n).map(|_| rng.gen_range(1..4) as f64).collect();
        let total: f64 = p.weights.iter().sum();
        p.groups = vec![
            Bounds {
                lo: 0.0,
                hi: (total / k as f64 * 1.2).ceil()
            };
            k
        ];
    }
    p
}

fn main() {
    let mut cases: Vec<(String, Problem)> = vec![];
    for (n, k, s) in [(30, 3, 1), (60, 6, 2), (120, 10, 3), (250, 10, 4)] {
        cases.push((format!("sum n{n}"), random(n, k, s, false)));
    }
    cases.push(("weighted n80".into(), random(80, 5, 5, true)));
    let mut mm = random(60, 6, 6, false);
    mm.objective = Objective::MaxMin;
    cases.push(("maxmin n60".into(), mm));
    let mut c = random(60, 6, 7, false);
    c.constraints.keep_apart = vec![(0, 1), (2, 3)];
    c.constraints.keep_together = vec![(4, 5), (6, 7)];
    c.constraints.avoid = vec![(8, 9, 50.0)];
    cases.push(("constraints n60".into(), c));
    let mut f = random(60, 6, 8, false);
    f.constraints.fixed = (0..6).map(|g| (g * 3, g)).collect();
    cases.push(("hosts n60".into(), f));
    for (name, p) in &cases {
        for (seed, threads, its) in [(1u64, 1usize, 3000u64), (7, 2, 5000)] {
            let s = solve(
                p,
                &Options {
                    seed,
                    threads,
                    time_limit: Duration::from_secs(600),
                    max_iterations: Some(its),
                    ..Options::default()
                },
            )
            .expect("solve");
            println!(
                "{name} seed {seed} threads {threads}: {:.4} {:?}",
                s.objective, s.assign
            );
        }
    }
}
