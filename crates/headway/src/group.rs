//! `headway group`: groups of school leaders (or schools) from a CSV — diverse, regional
//! or balanced — with explanations, a readable table and, for regional groups, a map.

use anyhow::{bail, Context, Result};
use headway::group_input::{parse_earlier, parse_input, Input};
use headway_grouping::explain::{GroupReport, MemberReport};
use headway_grouping::request::{self, Attribute, GroupRequest, Member};
use headway_grouping::run::{self, RunOptions, Search};
use indicatif::ProgressBar;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Mix the attributes as much as possible inside each group (sum of dissimilarities).
    Diverse,
    /// Keep groups close together (shortest travel inside groups).
    Regional,
    /// Diverse, but first lift the least diverse group.
    Balanced,
}

#[derive(clap::Args, Debug)]
pub struct GroupRun {
    /// The CSV of people or places; `id` (or the first column) identifies a row.
    #[arg(long)]
    pub input: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "diverse")]
    pub mode: Mode,
    /// Target group size.
    #[arg(long, default_value_t = 10)]
    pub size: usize,
    /// Smallest allowed group (default: size − 2; diverse and balanced groups without
    /// --min and --max are as equal in size as their count allows).
    #[arg(long)]
    pub min: Option<usize>,
    /// Largest allowed group (default: size + 2; see --min).
    #[arg(long)]
    pub max: Option<usize>,
    /// Columns to diversify (default: every column but id, name, lat, lon).
    #[arg(long, value_delimiter = ',')]
    pub attributes: Vec<String>,
    /// Attribute weights, e.g. `region=2,school_type=1`.
    #[arg(long, value_delimiter = ',')]
    pub weights: Vec<String>,
    /// Attributes that group members should share rather than mix.
    #[arg(long, value_delimiter = ',')]
    pub similar: Vec<String>,
    /// Pairs of ids that must not share a group, `a:b`.
    #[arg(long = "keep-apart")]
    pub keep_apart: Vec<String>,
    /// Pairs of ids that must share a group, `a:b`.
    #[arg(long = "keep-together")]
    pub keep_together: Vec<String>,
    /// Ids of hosts: one per group, each in its own group.
    #[arg(long = "host")]
    pub hosts: Vec<String>,
    /// A CSV of earlier groups (`id,group` per line); pairs that met are avoided.
    #[arg(long)]
    pub earlier: Option<PathBuf>,
    /// Seconds to search.
    #[arg(long, default_value_t = 5.0)]
    pub time: f64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Where to write assignments and per-member explanations (CSV).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Where to write per-group figures and attribute mix (CSV).
    #[arg(long)]
    pub groups_output: Option<PathBuf>,
    /// Where to write a map of regional groups (SVG).
    #[arg(long)]
    pub svg: Option<PathBuf>,
}

fn read_input(path: &PathBuf, mode: Mode, wanted: &[String]) -> Result<Input> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    parse_input(
        &path.display().to_string(),
        &bytes,
        mode == Mode::Regional,
        wanted,
    )
}

fn parse_weights(specs: &[String], attrs: &[String]) -> Result<HashMap<String, f64>> {
    let mut out = HashMap::new();
    for s in specs {
        let (k, v) = s
            .split_once('=')
            .with_context(|| format!("--weights: `{s}` is not name=number"))?;
        let k = k.trim().to_lowercase();
        if !attrs.contains(&k) {
            bail!(
                "--weights: `{k}` is not one of the attributes ({})",
                attrs.join(", ")
            );
        }
        let v: f64 = v
            .trim()
            .parse()
            .with_context(|| format!("--weights: `{v}` is not a number"))?;
        out.insert(k, v);
    }
    Ok(out)
}

fn pairs(specs: &[String], ids: &HashMap<&str, usize>, flag: &str) -> Result<Vec<(usize, usize)>> {
    specs
        .iter()
        .map(|s| {
            let (a, b) = s
                .split_once(':')
                .with_context(|| format!("{flag}: `{s}` is not id:id"))?;
            let find = |x: &str| {
                ids.get(x.trim())
                    .copied()
                    .with_context(|| format!("{flag}: no row has id `{x}`"))
            };
            Ok((find(a)?, find(b)?))
        })
        .collect()
}

impl From<Mode> for request::Mode {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Diverse => request::Mode::Diverse,
            Mode::Regional => request::Mode::Regional,
            Mode::Balanced => request::Mode::Balanced,
        }
    }
}

pub fn run(a: &GroupRun) -> Result<()> {
    let Some(input) = &a.input else {
        bail!("--input is required (or use `headway group bench`)")
    };
    let inp = read_input(input, a.mode, &a.attributes)?;
    if !inp.skipped.is_empty() {
        eprintln!(
            "note: {} rows without coordinates were left out (lines {}{})",
            inp.skipped.len(),
            inp.skipped
                .iter()
                .take(10)
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            if inp.skipped.len() > 10 { ", …" } else { "" }
        );
    }
    let n = inp.rows.len();
    let ids = inp.ids();
    let weights = parse_weights(&a.weights, &inp.attrs)?;
    let hosts = a
        .hosts
        .iter()
        .map(|h| {
            ids.get(h.as_str())
                .copied()
                .with_context(|| format!("--host: no row has id `{h}`"))
        })
        .collect::<Result<Vec<usize>>>()?;
    let req = GroupRequest {
        mode: a.mode.into(),
        size: a.size,
        min: a.min,
        max: a.max,
        attributes: inp
            .attrs
            .iter()
            .map(|name| Attribute {
                name: name.clone(),
                weight: weights.get(name).copied().unwrap_or(1.0),
                similar: a.similar.iter().any(|s| s.eq_ignore_ascii_case(name)),
            })
            .collect(),
        keep_apart: pairs(&a.keep_apart, &ids, "--keep-apart")?,
        keep_together: pairs(&a.keep_together, &ids, "--keep-together")?,
        hosts,
        avoid: match &a.earlier {
            Some(path) => earlier_pairs(path, &ids)?,
            None => vec![],
        },
    };
    let members: Vec<Member> = inp
        .rows
        .iter()
        .map(|r| Member {
            values: r.values.clone(),
            at: r.at,
        })
        .collect();
    let planned = request::plan(&req, &members)?;
    let pb = ProgressBar::new_spinner();
    pb.set_message("searching");
    pb.enable_steady_tick(Duration::from_millis(120));
    let out = run::run(
        &planned,
        &RunOptions {
            seed: a.seed,
            time_limit: Duration::from_secs_f64(a.time),
            max_steps: None,
            threads: a.threads,
            cancel: None,
        },
    )?;
    pb.finish_and_clear();
    let (groups, min, max) = (out.groups, out.min, out.max);
    let secs = out.elapsed.as_secs_f64();
    match out.search {
        Search::Geographic { initial_km, passes } => outln!(
            "{n} places into {groups} regional groups of {min}–{max} in {secs:.2} s: in-group distance {:.0} km (from {initial_km:.0} km after bisection, {passes} passes)",
            -out.objective
        )?,
        Search::Profiles { steps } => {
            let bound = match out.bound {
                Some(b) if b > 0.0 => format!(
                    " (upper bound {b:.3}: {:.2} % below)",
                    100.0 * (b - out.objective) / b
                ),
                _ => String::new(),
            };
            outln!(
                "{n} rows into {groups} groups of {min}–{max} (Diverse, from profiles): objective {:.3}{bound}, {steps} swaps tried in {secs:.2} s",
                out.objective,
            )?;
        }
        Search::Solve { time_to_best, .. } => outln!(
            "{n} rows into {groups} groups of {min}–{max} ({:?}): objective {:.3}, best found after {:.2} s of {secs:.2} s",
            a.mode,
            out.objective,
            time_to_best.as_secs_f64(),
        )?,
    }
    if out.broken > 0 {
        outln!(
            "note: {} pairs kept apart or met before share a group",
            out.broken
        )?;
    }
    report(
        a,
        &inp,
        &out.assign,
        groups,
        (out.group_reports, out.member_reports),
        a.mode == Mode::Regional,
    )
}

/// Pairs that shared a group in an earlier round (`id,group` CSV), each with a penalty
/// of one full attribute mismatch.
fn earlier_pairs(path: &PathBuf, ids: &HashMap<&str, usize>) -> Result<Vec<(usize, usize, f64)>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    parse_earlier(&path.display().to_string(), &bytes, ids)
}

fn mix(inp: &Input, members: &[usize], attr: usize) -> String {
    let mut c: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in members {
        *c.entry(inp.rows[i].values[attr].as_str()).or_default() += 1;
    }
    let mut v: Vec<(&str, usize)> = c.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| format!("{} {n}", if k.is_empty() { "?" } else { k }))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn report(
    a: &GroupRun,
    inp: &Input,
    assign: &[usize],
    groups: usize,
    (greps, mreps): (Vec<GroupReport>, Vec<MemberReport>),
    km_units: bool,
) -> Result<()> {
    let mut members: Vec<Vec<usize>> = vec![vec![]; groups];
    for (i, &g) in assign.iter().enumerate() {
        members[g].push(i);
    }
    let unit = |v: f64| {
        if km_units {
            format!("{:.1} km", -v)
        } else {
            format!("{v:.3}")
        }
    };
    // The readable table: at most 40 groups on screen; the CSVs hold everything.
    for g in greps.iter().take(40) {
        let mut line = format!(
            "group {:>3}  {:>3} members  mean pair {:>10}",
            g.group + 1,
            g.size,
            unit(g.mean_pair)
        );
        if !km_units {
            for (k, attr) in inp.attrs.iter().enumerate().take(4) {
                let _ = write!(line, "  | {attr}: {}", mix(inp, &members[g.group], k));
            }
        }
        outln!("{line}")?;
    }
    if groups > 40 {
        outln!("… {} more groups in the output files", groups - 40)?;
    }
    if let Some(path) = &a.output {
        let mut w =
            csv::Writer::from_path(path).with_context(|| format!("writing {}", path.display()))?;
        let mut head = vec![
            "id",
            "name",
            "group",
            "contribution",
            "best_alternative",
            "move_cost",
            "source_line",
        ];
        head.extend(inp.attrs.iter().map(String::as_str));
        w.write_record(&head)?;
        for MemberReport {
            item,
            group,
            contribution,
            best_alternative,
            move_cost,
        } in &mreps
        {
            let r = &inp.rows[*item];
            let mut rec = vec![
                r.id.clone(),
                r.name.clone(),
                (group + 1).to_string(),
                format!("{contribution:.4}"),
                best_alternative
                    .map(|g| (g + 1).to_string())
                    .unwrap_or_default(),
                format!("{move_cost:.4}"),
                r.line.to_string(),
            ];
            rec.extend(r.values.iter().cloned());
            w.write_record(&rec)?;
        }
        w.flush()?;
        outln!("assignments and explanations: {}", path.display())?;
    }
    if let Some(path) = &a.groups_output {
        let mut w =
            csv::Writer::from_path(path).with_context(|| format!("writing {}", path.display()))?;
        let mut head = vec![
            "group".to_owned(),
            "size".into(),
            "score".into(),
            "mean_pair".into(),
            "min_pair".into(),
            "max_pair".into(),
        ];
        head.extend(inp.attrs.iter().map(|x| format!("mix_{x}")));
        w.write_record(&head)?;
        for g in &greps {
            let mut rec = vec![
                (g.group + 1).to_string(),
                g.size.to_string(),
                format!("{:.4}", g.score),
                format!("{:.4}", g.mean_pair),
                format!("{:.4}", g.min_pair),
                format!("{:.4}", g.max_pair),
            ];
            rec.extend((0..inp.attrs.len()).map(|k| mix(inp, &members[g.group], k)));
            w.write_record(&rec)?;
        }
        w.flush()?;
        outln!("group figures: {}", path.display())?;
    }
    if let Some(path) = &a.svg {
        let pts: Vec<(f64, f64)> = inp.rows.iter().map(|r| r.at.unwrap_or_default()).collect();
        std::fs::write(path, svg_map(&pts, assign, groups))
            .with_context(|| format!("writing {}", path.display()))?;
        outln!("map: {}", path.display())?;
    }
    Ok(())
}

/// Places as dots coloured by group, each joined to its group's centre, over the
/// country outline when the places lie in one of Headway's countries.
fn svg_map(pts: &[(f64, f64)], assign: &[usize], groups: usize) -> String {
    let maps = headway_web::ui::map::Maps::load(&headway_store::import::bundled::OUTLINES);
    let (mlat, mlon) = (
        pts.iter().map(|p| p.0).sum::<f64>() / pts.len().max(1) as f64,
        pts.iter().map(|p| p.1).sum::<f64>() / pts.len().max(1) as f64,
    );
    let country = if (50.5..54.0).contains(&mlat) && (3.0..7.5).contains(&mlon) {
        "NL"
    } else if (45.3..47.0).contains(&mlat) && (13.3..16.7).contains(&mlon) {
        "SI"
    } else {
        "NO"
    };
    let Some(map) = maps.get(country) else {
        return String::new();
    };
    let mut centre = vec![(0.0, 0.0, 0usize); groups];
    for (i, &g) in assign.iter().enumerate() {
        centre[g].0 += pts[i].0;
        centre[g].1 += pts[i].1;
        centre[g].2 += 1;
    }
    let mut body = String::new();
    for (i, &g) in assign.iter().enumerate() {
        let (c0, c1, c) = centre[g];
        let (cx, cy) = map.project(c0 / c as f64, c1 / c as f64);
        let (x, y) = map.project(pts[i].0, pts[i].1);
        let hue = (g as f64 * 137.508) % 360.0;
        let _ = write!(
            body,
            r#"<line x1="{x:.1}" y1="{y:.1}" x2="{cx:.1}" y2="{cy:.1}" stroke="hsl({hue:.0},60%,45%)" stroke-width="0.3"/><circle cx="{x:.1}" cy="{y:.1}" r="0.8" fill="hsl({hue:.0},70%,40%)"/>"#
        );
    }
    map.svg_with(&body, "Regional groups")
}
