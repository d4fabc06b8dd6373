//! `headway group bench`: the grouping solver on public benchmark sets, against their
//! best-known values, at the standard time limits.

use anyhow::{bail, Context, Result};
use headway_grouping::formats::{is_ccplib, read_instance};
use headway_grouping::{solve, Options, Problem};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct BenchArgs {
    pub instances: PathBuf,
    pub bks: PathBuf,
    pub runs: u32,
    pub time_scale: f64,
    pub threads: usize,
    pub filter: Option<String>,
}

/// Best-known values by instance name: `recomputed_double` (MDGPLIB), else `bks`, else
/// `f_within_cluster_max` (CCPLIB reference runs).
fn read_bks(path: &Path) -> Result<HashMap<String, f64>> {
    let mut rdr =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let h = rdr.headers()?.clone();
    let col = |name: &str| h.iter().position(|c| c == name);
    let inst = col("instance").context("the BKS file has no `instance` column")?;
    let cols: Vec<usize> = ["recomputed_double", "bks", "f_within_cluster_max"]
        .iter()
        .filter_map(|c| col(c))
        .collect();
    let mut out = HashMap::new();
    for (k, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: line {}", path.display(), k + 2))?;
        if let Some(v) = cols
            .iter()
            .find_map(|&c| rec.get(c).and_then(|v| v.trim().parse::<f64>().ok()))
        {
            out.insert(rec[inst].to_owned(), v);
        }
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = e?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
    Ok(())
}

/// The standard limits: MDGP 3 / 20 / 120 / 600 s for n = 120 / 240 / 480 / 960 (1 s
/// below 120); CCP n seconds.
fn time_limit(n: usize, ccp: bool) -> f64 {
    if ccp {
        return n as f64;
    }
    match n {
        0..=60 => 1.0,
        61..=120 => 3.0,
        121..=240 => 20.0,
        241..=480 => 120.0,
        _ => 600.0,
    }
}

pub fn run(a: &BenchArgs) -> Result<()> {
    let bks = read_bks(&a.bks)?;
    let mut files = vec![];
    collect(&a.instances, &mut files)?;
    files.sort();
    if let Some(f) = &a.filter {
        files.retain(|p| p.to_string_lossy().contains(f.as_str()));
    }
    if files.is_empty() {
        bail!("no instance files (*.txt) under {}", a.instances.display());
    }
    outln!(
        "{:<26} {:>5} {:>7} {:>16} {:>16} {:>16} {:>8} {:>8} {:>7}",
        "instance",
        "n",
        "limit_s",
        "bks",
        "best",
        "avg",
        "gap_best%",
        "gap_avg%",
        "ttb_s"
    )?;
    let (mut gaps_avg, mut gaps_best, mut hits, mut counted) = (vec![], vec![], 0, 0);
    for f in &files {
        let name = f
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(f)?;
        let ccp = is_ccplib(&text);
        let p: Problem =
            read_instance(&text).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
        let limit = time_limit(p.n, ccp) * a.time_scale;
        let (mut best, mut sum, mut ttb) = (f64::NEG_INFINITY, 0.0, 0.0);
        for r in 0..a.runs {
            let s = solve(
                &p,
                &Options {
                    seed: 1 + r as u64,
                    time_limit: Duration::from_secs_f64(limit),
                    threads: a.threads,
                    ..Options::default()
                },
            )?;
            sum += s.objective;
            if s.objective > best {
                best = s.objective;
                ttb = s.time_to_best.as_secs_f64();
            }
        }
        let avg = sum / a.runs as f64;
        let target = bks.get(&name).copied();
        let gap = |v: f64| target.map(|t| (t - v) / t.abs() * 100.0);
        if let (Some(gb), Some(ga)) = (gap(best), gap(avg)) {
            gaps_best.push(gb);
            gaps_avg.push(ga);
            counted += 1;
            if gb <= 1e-7 {
                hits += 1;
            }
        }
        let fmt = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_else(|| "-".into());
        outln!(
            "{:<26} {:>5} {:>7.1} {:>16} {:>16.3} {:>16.3} {:>8} {:>8} {:>7.2}",
            name,
            p.n,
            limit,
            target
                .map(|t| format!("{t:.3}"))
                .unwrap_or_else(|| "-".into()),
            best,
            avg,
            fmt(gap(best)),
            fmt(gap(avg)),
            ttb
        )?;
    }
    let mean = |v: &[f64]| {
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    outln!(
        "summary: {} instances, {} with a best-known value, runs {}, time scale {}, threads {}: average gap of the average {:.4} %, of the best {:.4} %, best-known reached or beaten by the best run on {}/{}",
        files.len(),
        counted,
        a.runs,
        a.time_scale,
        a.threads,
        mean(&gaps_avg),
        mean(&gaps_best),
        hits,
        counted
    )?;
    Ok(())
}
