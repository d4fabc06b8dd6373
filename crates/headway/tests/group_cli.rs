//! `headway group` from CSV files, as an agency would run it.

use std::process::Command;

fn headway(args: &[&str]) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_headway"))
        .args(args)
        .output()
        .expect("run headway");
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

/// `headway group` arguments for diverse groups of ten from `input`, searching `time`
/// seconds.
fn diverse_of_ten<'a>(input: &'a str, time: &'a str) -> Vec<&'a str> {
    vec![
        "group", "--input", input, "--mode", "diverse", "--size", "10", "--time", time,
    ]
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("headway-group-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// 40 leaders over 4 regions, 3 school types, 2 environments, 3 governance forms.
fn leaders_csv() -> String {
    leaders_csv_n(40)
}

/// `n` leaders, as `leaders_csv`.
fn leaders_csv_n(n: usize) -> String {
    let regions = ["Noord", "Oost", "Zuid", "West"];
    let types = ["basisschool", "sbo", "so"];
    let envs = ["urban", "rural"];
    let gov = ["openbaar", "rk", "pc"];
    let mut s = String::from("id,name,region,school_type,environment,governance\n");
    for i in 0..n {
        s += &format!(
            "L{i:02},Leader {i},{},{},{},{}\n",
            regions[i % 4],
            types[i % 3],
            envs[(i / 4) % 2],
            gov[(i / 2) % 3]
        );
    }
    s
}

#[test]
fn diverse_groups_of_ten_mix_every_attribute_and_explain_each_member() {
    let input = tmp("leaders.csv");
    std::fs::write(&input, leaders_csv()).unwrap();
    let (out, groups) = (tmp("out.csv"), tmp("groups.csv"));
    let mut args = diverse_of_ten(input.to_str().unwrap(), "0.5");
    args.extend([
        "--host",
        "L00",
        "--host",
        "L01",
        "--keep-apart",
        "L02:L03",
        "--output",
        out.to_str().unwrap(),
        "--groups-output",
        groups.to_str().unwrap(),
    ]);
    let (ok, text) = headway(&args);
    assert!(ok, "{text}");
    assert!(text.contains("40 rows into 4 groups"), "{text}");
    let rows: Vec<Vec<String>> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 40);
    let group_of = |id: &str| rows.iter().find(|r| r[0] == id).unwrap()[2].clone();
    assert_eq!(group_of("L00"), "1", "the first host leads group 1");
    assert_eq!(group_of("L01"), "2", "the second host leads group 2");
    assert_ne!(group_of("L02"), group_of("L03"), "kept apart");
    // Every group of ten has all four regions: the most diverse grouping there is.
    for g in 1..=4 {
        let regions: std::collections::BTreeSet<&str> = rows
            .iter()
            .filter(|r| r[2] == g.to_string())
            .map(|r| r[7].as_str())
            .collect();
        assert_eq!(regions.len(), 4, "group {g} regions {regions:?}");
    }
    // Each member is explained: its contribution, the best other group and the cost of moving there.
    for r in &rows {
        assert!(
            r[3].parse::<f64>().is_ok() && r[5].parse::<f64>().is_ok(),
            "{r:?}"
        );
        assert!(!r[4].is_empty() && r[4] != r[2], "{r:?}");
    }
    let g = std::fs::read_to_string(&groups).unwrap();
    assert!(g.lines().next().unwrap().contains("mix_region"));
    assert_eq!(g.lines().count(), 5);
}

#[test]
fn regional_groups_from_coordinates_with_a_map() {
    let input = tmp("schools.csv");
    let mut s = String::from("id,name,lat,lon\n");
    for i in 0..60 {
        let (lat, lon) = if i < 30 {
            (52.0 + i as f64 * 0.001, 4.5)
        } else {
            (53.2 + i as f64 * 0.001, 6.5)
        };
        s += &format!("S{i},School {i},{lat},{lon}\n");
    }
    std::fs::write(&input, s).unwrap();
    let (out, svg) = (tmp("regional.csv"), tmp("map.svg"));
    let (ok, text) = headway(&[
        "group",
        "--input",
        input.to_str().unwrap(),
        "--mode",
        "regional",
        "--size",
        "10",
        "--min",
        "8",
        "--max",
        "12",
        "--time",
        "0.5",
        "--output",
        out.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert!(ok, "{text}");
    let rows: Vec<Vec<String>> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    // No group mixes the two clusters (200 km apart).
    for g in rows
        .iter()
        .map(|r| r[2].clone())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let south: Vec<bool> = rows
            .iter()
            .filter(|r| r[2] == g)
            .map(|r| r[0][1..].parse::<u32>().unwrap() < 30)
            .collect();
        assert!(
            south.iter().all(|x| *x) || south.iter().all(|x| !*x),
            "group {g} mixes clusters"
        );
    }
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
}

#[test]
fn a_bad_csv_names_its_line() {
    let input = tmp("bad.csv");
    std::fs::write(&input, "id,name,lat,lon\nA,a,52.1,4.3\nB,b,52.2\n").unwrap();
    let (ok, text) = headway(&[
        "group",
        "--input",
        input.to_str().unwrap(),
        "--mode",
        "regional",
    ]);
    assert!(!ok);
    assert!(text.contains("line 3"), "{text}");
    std::fs::write(&input, "id,name,lat,lon\nA,a,52.1,4.3\nB,b,fifty,4.4\n").unwrap();
    let (ok, text) = headway(&[
        "group",
        "--input",
        input.to_str().unwrap(),
        "--mode",
        "regional",
    ]);
    assert!(
        !ok && text.contains("line 3") && text.contains("fifty"),
        "{text}"
    );
    std::fs::write(&input, "id,region\nA,x\nA,y\n").unwrap();
    let (ok, text) = headway(&[
        "group",
        "--input",
        input.to_str().unwrap(),
        "--size",
        "2",
        "--min",
        "1",
    ]);
    assert!(
        !ok && text.contains("line 3") && text.contains("already used on line 2"),
        "{text}"
    );
}

/// `headway group bench` tells the two libraries apart: a CCPLIB file gets n seconds, an
/// MDGPLIB file of 10 items one second (both times the scale), and the proven optimum
/// of the small instance is reached.
#[test]
fn the_benchmark_command_reads_both_libraries() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../grouping/tests/data");
    let bks = tmp("bks.csv");
    std::fs::write(
        &bks,
        "instance,bks\nRanReal_n010_ss_01,1427.845\nSparse82_01,1342.170096\n",
    )
    .unwrap();
    let bks = bks.to_str().unwrap();
    let run = |filter: &str| {
        let (ok, out) = headway(&[
            "group",
            "bench",
            "--instances",
            data,
            "--bks",
            bks,
            "--filter",
            filter,
            "--time-scale",
            "0.01",
        ]);
        assert!(ok, "{out}");
        let row = out
            .lines()
            .find(|l| l.starts_with(filter))
            .unwrap_or_else(|| panic!("no row for {filter}: {out}"))
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        row
    };
    let mdgp = run("RanReal_n010_ss_01");
    assert_eq!(
        (mdgp[1].as_str(), mdgp[2].as_str()),
        ("10", "0.0"),
        "{mdgp:?}"
    );
    assert_eq!(mdgp[6].trim_start_matches('-'), "0.0000", "{mdgp:?}");
    let ccp = run("Sparse82_01");
    assert_eq!((ccp[1].as_str(), ccp[2].as_str()), ("82", "0.8"), "{ccp:?}");
}

/// Piped into a reader that stops early (`headway group … | head -1`), the command ends
/// quietly and successfully instead of panicking on the broken pipe.
#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    use std::process::Stdio;
    let input = tmp("leaders-pipe.csv");
    std::fs::write(&input, leaders_csv()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_headway"))
        .args(diverse_of_ten(input.to_str().unwrap(), "0.2"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run headway");
    // Close the reading end before the table is written.
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "status {:?}: {err}", o.status);
    assert!(!err.contains("panicked"), "{err}");
}

/// Groups of "about ten" differ in size by one at most unless the user widens the bounds;
/// with --min and --max the sizes stay within them.
#[test]
fn diverse_groups_are_alike_in_size_unless_the_bounds_are_widened() {
    let input = tmp("leaders-43.csv");
    std::fs::write(&input, leaders_csv_n(43)).unwrap();
    let sizes = |extra: &[&str], name: &str| -> Vec<usize> {
        let groups = tmp(name);
        let mut args = vec![
            "group",
            "--input",
            input.to_str().unwrap(),
            "--size",
            "10",
            "--time",
            "0.3",
            "--groups-output",
            groups.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let (ok, text) = headway(&args);
        assert!(ok, "{text}");
        let g = std::fs::read_to_string(&groups).unwrap();
        let header: Vec<&str> = g.lines().next().unwrap().split(',').collect();
        let col = header
            .iter()
            .position(|h| *h == "size")
            .expect("size column");
        let mut v: Vec<usize> = g
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(col).unwrap().parse().unwrap())
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(sizes(&[], "alike.csv"), vec![10, 11, 11, 11]);
    let wide = sizes(&["--min", "8", "--max", "12"], "wide.csv");
    assert_eq!(wide.iter().sum::<usize>(), 43);
    assert!(wide.iter().all(|&s| (8..=12).contains(&s)), "{wide:?}");
    // The sum objective uses the room it is given: more pairs in fewer, larger groups.
    assert!(wide.contains(&12), "{wide:?}");
}

#[test]
fn leaders_at_national_scale_are_grouped_from_profiles_with_the_bound_shown() {
    let input = tmp("national.csv");
    let (ok, text) = headway(&[
        "generate",
        "leaders",
        "--count",
        "1500",
        "--seed",
        "3",
        "--output",
        input.to_str().unwrap(),
    ]);
    assert!(ok, "{text}");
    let head = std::fs::read_to_string(&input).unwrap();
    assert!(head.starts_with("id,name,province,denomination,environment,pupils\n"));
    assert_eq!(head.lines().count(), 1501);
    let out = tmp("national-out.csv");
    let mut args = diverse_of_ten(input.to_str().unwrap(), "1");
    args.extend([
        "--host",
        "L00001",
        "--keep-apart",
        "L00002:L00003",
        "--output",
        out.to_str().unwrap(),
    ]);
    let (ok, text) = headway(&args);
    assert!(ok, "{text}");
    assert!(
        text.contains("1500 rows into 150 groups of 10–10 (Diverse, from profiles)"),
        "{text}"
    );
    assert!(text.contains("upper bound"), "{text}");
    let rows: Vec<Vec<String>> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 1500);
    let group_of = |id: &str| rows.iter().find(|r| r[0] == id).unwrap()[2].clone();
    assert_eq!(group_of("L00001"), "1", "the host leads group 1");
    assert_ne!(group_of("L00002"), group_of("L00003"), "kept apart");
    let mut sizes = std::collections::HashMap::<String, usize>::new();
    for r in &rows {
        *sizes.entry(r[2].clone()).or_default() += 1;
    }
    assert_eq!(sizes.len(), 150);
    assert!(sizes.values().all(|&s| s == 10));
}
