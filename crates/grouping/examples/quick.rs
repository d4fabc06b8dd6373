//! Tuning aid: `cargo run --release -p headway-grouping --example quick FILE SECONDS [SEED
//! [TARGET [THREADS]]]` (MDGPLIB or CCPLIB format A). SECONDS may be `200000it`: a fixed
//! number of iterations, the same result on every machine. Prints the objective, the
//! iterations, the time to the best, when the target was first reached (−1: never), the
//! load of each group, the time taken and a hash of the grouping; with `ASSIGN` set in the
//! environment, also the grouping itself (on stderr).
use headway_grouping::formats::read_instance;
use headway_grouping::{solve, Options, Progress};
use std::sync::Mutex;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let p = read_instance(&std::fs::read_to_string(&args[1]).expect("file")).expect("parse");
    let iters: Option<u64> = args[2]
        .strip_suffix("it")
        .map(|v| v.parse().expect("iterations"));
    let secs: f64 = match iters {
        Some(_) => 1e9,
        None => args[2].parse().expect("seconds"),
    };
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let target: f64 = args
        .get(4)
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::INFINITY);
    let threads: usize = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(1);
    let reached = Mutex::new(None::<f64>);
    let progress = |pr: Progress| {
        if pr.best >= target - 1e-6 * target.abs() {
            if let Ok(mut r) = reached.lock() {
                r.get_or_insert(pr.elapsed.as_secs_f64());
            }
        }
    };
    let s = solve(
        &p,
        &Options {
            seed,
            time_limit: Duration::from_secs_f64(secs),
            max_iterations: iters,
            threads,
            progress: Some(&progress),
            ..Options::default()
        },
    )
    .expect("solve");
    let mut sizes = vec![0.0; p.groups.len()];
    for (i, &g) in s.assign.iter().enumerate() {
        sizes[g] += p.weights[i];
    }
    if std::env::var_os("ASSIGN").is_some() {
        eprintln!("{:?}", s.assign);
    }
    let tt = reached.lock().map(|r| r.unwrap_or(-1.0)).unwrap_or(-1.0);
    let hash = s.assign.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &g| {
        (h ^ g as u64).wrapping_mul(0x100_0000_01b3)
    });
    println!(
        "{:.3} iterations {} ttb {:.2} target {:.2} sizes {:?} elapsed {:.3} hash {:x}",
        s.objective,
        s.iterations,
        s.time_to_best.as_secs_f64(),
        tt,
        sizes,
        s.elapsed.as_secs_f64(),
        hash
    );
}
