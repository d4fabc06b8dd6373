//! Tuning aid: `cargo run --release -p headway-grouping --example quick FILE SECONDS [SEED]`
//! (MDGPLIB or CCPLIB format A); prints the objective and the load of each group.
use headway_grouping::formats::read_instance;
use headway_grouping::{solve, Options};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let p = read_instance(&std::fs::read_to_string(&args[1]).expect("file")).expect("parse");
    let secs: f64 = args[2].parse().expect("seconds");
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let s = solve(
        &p,
        &Options {
            seed,
            time_limit: Duration::from_secs_f64(secs),
            ..Options::default()
        },
    )
    .expect("solve");
    let mut sizes = vec![0.0; p.groups.len()];
    for (i, &g) in s.assign.iter().enumerate() {
        sizes[g] += p.weights[i];
    }
    println!(
        "{:.3} iterations {} ttb {:.2} sizes {:?}",
        s.objective,
        s.iterations,
        s.time_to_best.as_secs_f64(),
        sizes
    );
}
