//! Indicators imported from Udir's real national-test file and FHI's Telemark file, with
//! Headway's suppression checked on what it publishes, and the assessment over them; on the
//! backend chosen by `HEADWAY_TEST_DATABASE_URL`.

use headway_domain::guidance::assessment::{Category, Rules, SchoolYear};
use headway_domain::guidance::indicators::Level;
use headway_domain::guidance::suppression::{derivable, Figure, Hidden, Relation};
use headway_store::guidance::{Assessments, IndicatorQuery, IndicatorValue, Indicators};
use headway_store::import::bundled::{BUNDLED, INDICATORS};
use headway_store::testing::TestDb;
use headway_store::{Dataset, Store, StoreError};
use std::collections::{BTreeMap, HashMap};

async fn with_municipalities() -> TestDb {
    let db = TestDb::new().await;
    let (d, path, bytes) = BUNDLED[3];
    assert_eq!(d, Dataset::NoMunicipalities);
    db.store.import(d, path, bytes, &|_, _| {}).await.unwrap();
    db
}

async fn all(s: &Store) -> Vec<IndicatorValue> {
    s.indicator_values(&IndicatorQuery::default())
        .await
        .unwrap()
}

/// Published values by indicator, period and subgroup, with their relations (a unit into
/// its parent): what a reader can do arithmetic with.
fn given_away(values: &[IndicatorValue]) -> Vec<String> {
    let mut groups: BTreeMap<(&str, String, &str), Vec<&IndicatorValue>> = BTreeMap::new();
    for v in values {
        groups
            .entry((&v.indicator, v.period.key(), &v.subgroup))
            .or_default()
            .push(v);
    }
    let mut out = Vec::new();
    for (key, vs) in groups {
        // Units with nothing measured (0 pupils, no value) add nothing.
        let vs: Vec<_> = vs
            .into_iter()
            .filter(|v| !(v.count == Some(0) && v.value.is_none() && v.hidden.is_none()))
            .collect();
        let at: HashMap<&str, usize> = vs
            .iter()
            .enumerate()
            .map(|(i, v)| (v.unit.as_str(), i))
            .collect();
        let figures: Vec<Figure> = vs
            .iter()
            .map(|v| Figure {
                count: v.count,
                hidden: v.hidden.or(v.count.is_none().then_some(Hidden::Source)),
            })
            .collect();
        let mut rel: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, v) in vs.iter().enumerate() {
            if let Some(&p) = v.parent.as_deref().and_then(|p| at.get(p)) {
                rel.entry(p).or_default().push(i);
            }
        }
        let rel: Vec<Relation> = rel
            .into_iter()
            .map(|(total, parts)| Relation { total, parts })
            .collect();
        for i in derivable(&figures, &rel) {
            out.push(format!("{key:?} {}", vs[i].unit));
        }
    }
    out
}

#[tokio::test]
async fn the_national_tests_import_whole_and_nothing_published_gives_a_hidden_count_away() {
    let db = with_municipalities().await;
    let s = &db.store;
    let (d, path, bytes) = INDICATORS[0];
    let started = std::time::Instant::now();
    let r = s.import(d, path, bytes, &|_, _| {}).await.unwrap();
    eprintln!("national tests imported in {:?}: {r}", started.elapsed());
    assert_eq!((r.rows, r.inserted, r.updated), (48_096, 48_096, 0));
    let values = all(s).await;
    assert_eq!(values.len(), 48_096);
    // Engerdal, 2022-23, grade 8: 7 pupils, withheld by Udir and given away by Innlandet's
    // total as published; Headway hides a second municipality of Innlandet with it.
    let innlandet: Vec<&IndicatorValue> = values
        .iter()
        .filter(|v| {
            v.indicator == "np_reading_8"
                && v.period.key() == "2022-23"
                && v.parent.as_deref() == Some("no:fylke:34")
        })
        .collect();
    let engerdal = innlandet
        .iter()
        .find(|v| v.unit == "no:kommune:3425")
        .unwrap();
    assert_eq!(engerdal.hidden, Some(Hidden::Source));
    assert!(innlandet
        .iter()
        .any(|v| v.hidden == Some(Hidden::Secondary)));
    let secondary = values
        .iter()
        .filter(|v| v.hidden == Some(Hidden::Secondary))
        .count();
    let source = values
        .iter()
        .filter(|v| v.hidden == Some(Hidden::Source))
        .count();
    eprintln!("{source} withheld by Udir, {secondary} more hidden by Headway");
    assert!(secondary >= 14, "{secondary}");
    // A hidden value is published as neither value nor count.
    assert!(values
        .iter()
        .filter(|v| v.hidden.is_some())
        .all(|v| v.value.is_none() && v.count.is_none()));
    assert_eq!(given_away(&values), Vec::<String>::new());
    // The 2020–2023 numbers are the 2024 ones: Lillestrøm (3030 then, 3205 now) has four years.
    let lillestrom = s
        .indicator_values(&IndicatorQuery {
            units: vec!["no:kommune:3205".into()],
            indicator: Some("np_reading_5".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let years: Vec<String> = lillestrom.iter().map(|v| v.period.key()).collect();
    assert_eq!(years, ["2022-23", "2023-24", "2024-25", "2025-26"]);

    // Again: nothing changes.
    let again = s.import(d, path, bytes, &|_, _| {}).await.unwrap();
    assert_eq!((again.inserted, again.updated), (0, 48_096));
    assert_eq!(all(s).await, values);
}

#[tokio::test]
async fn the_assessment_ranks_every_municipality_and_explains_every_point() {
    let db = with_municipalities().await;
    let s = &db.store;
    let (d, path, bytes) = INDICATORS[0];
    s.import(d, path, bytes, &|_, _| {}).await.unwrap();
    let years = s.assessment_years().await.unwrap();
    assert_eq!(
        years.first().map(|y| y.to_string()).as_deref(),
        Some("2025-26")
    );
    let rules = Rules::default();
    let started = std::time::Instant::now();
    let a = s.assessment(years[0], &rules).await.unwrap();
    eprintln!(
        "assessment of {} municipalities in {:?}",
        a.units.len(),
        started.elapsed()
    );
    assert_eq!(
        a.years.iter().map(|y| y.to_string()).collect::<Vec<_>>(),
        ["2023-24", "2024-25", "2025-26"]
    );
    assert!(a.units.len() >= 350, "{}", a.units.len());
    let first = a
        .units
        .iter()
        .filter(|u| u.ranked.category == Some(Category::First))
        .count();
    let second = a
        .units
        .iter()
        .filter(|u| u.ranked.category == Some(Category::Second))
        .count();
    assert_eq!(first, 30);
    assert!(second <= 10);
    for (i, u) in a.units.iter().enumerate() {
        assert_eq!(u.ranked.rank as usize, i + 1);
        assert!(!u.name.is_empty() && u.unit.starts_with("no:kommune:"));
        let sc = &u.ranked.score;
        // The share is what the explained points add up to.
        let earned: u32 = sc.points.iter().filter_map(|p| p.points).sum();
        assert_eq!(earned, sc.earned);
        if let Some(share) = sc.share {
            assert!((0.0..=100.0).contains(&share));
            assert!((share - 100.0 * f64::from(sc.earned) / f64::from(sc.possible)).abs() < 1e-9);
        }
        for p in &sc.points {
            assert!(a.years.contains(&p.year));
            if let (Some(v), Some(n), Some(pts)) = (p.value, p.national, p.points) {
                let expect = if v < p.absolute {
                    3
                } else if v < n {
                    1
                } else {
                    0
                };
                assert_eq!(pts, expect * p.weight, "{p:?}");
            }
        }
    }
    // Shares fall down the list.
    let shares: Vec<f64> = a
        .units
        .iter()
        .filter_map(|u| u.ranked.score.share)
        .collect();
    assert!(shares.windows(2).all(|w| w[0] >= w[1]));
    // A suppressed municipality's points are unknown, not zero.
    assert!(a.units.iter().any(|u| u.ranked.score.unknown > 0));
}

#[tokio::test]
async fn fhi_windows_and_an_agencys_own_export_are_read_and_checked() {
    let db = with_municipalities().await;
    let s = &db.store;
    let (d, path, bytes) = INDICATORS[1];
    let r = s.import(d, path, bytes, &|_, _| {}).await.unwrap();
    assert_eq!(r.rows, 1_254);
    let porsgrunn = s
        .indicator_values(&IndicatorQuery {
            units: vec!["no:kommune:4001".into()],
            indicator: Some("points_10".into()),
            period: Some("2013-14..2015-16".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let subgroups: Vec<&str> = porsgrunn.iter().map(|v| v.subgroup.as_str()).collect();
    assert_eq!(
        subgroups,
        [
            "",
            "parents:higher",
            "parents:primary",
            "parents:upper_secondary"
        ]
    );
    // FHI publishes no counts: its values are shown as FHI gave them, withheld ones hidden.
    assert_eq!(porsgrunn[0].value, Some(39.6));
    assert_eq!(porsgrunn[3].hidden, Some(Hidden::Source));

    // The agency's own export: girls and boys add up to everyone, so a lone small group
    // hides its sibling too.
    let own = "indicator,unit,period,subgroup,value,count\n\
               bullying_7,no:kommune:4001,2024-25,,6.0,400\n\
               bullying_7,no:kommune:4001,2024-25,sex:girls,5.0,396\n\
               bullying_7,no:kommune:4001,2024-25,sex:boys,9.0,4\n";
    s.import(Dataset::Indicators, "own.csv", own.as_bytes(), &|_, _| {})
        .await
        .unwrap();
    let b = s
        .indicator_values(&IndicatorQuery {
            units: vec!["no:kommune:4001".into()],
            indicator: Some("bullying_7".into()),
            period: Some("2024-25".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let hidden: Vec<(&str, Option<Hidden>)> =
        b.iter().map(|v| (v.subgroup.as_str(), v.hidden)).collect();
    assert_eq!(
        hidden,
        [
            ("", None),
            ("sex:boys", Some(Hidden::Primary)),
            ("sex:girls", Some(Hidden::Secondary))
        ]
    );

    // Bad files: named by line and field, and nothing is written.
    let before = all(s).await;
    for (file, field) in [
        ("indicator,unit,period,value,count\nbullying_7,no:kommune:4001,2024-25,5,30\nbullying_7,no:kommune:9999,2024-25,5,30\n", "unit"),
        ("indicator,unit,period,value,count\nbullying_7,no:kommune:4001,2025-26,5,30\nbullying_7,no:kommune:4003,2025-26,105,30\n", "value"),
        ("indicator,unit,period,value,count\nbullying_7,no:kommune:4001,2025-26,5,30\nbullying_7,no:kommune:4001,2025-26,6,30\n", "unit"),
    ] {
        match s.import(Dataset::Indicators, "bad.csv", file.as_bytes(), &|_, _| {}).await {
            Err(StoreError::Import(e)) => assert_eq!((e.line, e.field.as_str()), (3, field), "{e}"),
            other => panic!("expected an import error, got {other:?}"),
        }
    }
    let udir_bad = "skoleaar,trinn,enhetnivaa,fylkekode,kommunekode,organisasjonsnummer,fylke,kommune,enhet,fag,skalapoeng,antall_elever\n\
                    2024-25,5,3,40,4001,4001,Telemark,Porsgrunn,,Lesing,49,300\n\
                    2024-25,5,3,40,4099,4099,Telemark,Nowhere,,Lesing,49,300\n";
    let e = s
        .import(
            Dataset::NoNationalTests,
            "np.csv",
            udir_bad.as_bytes(),
            &|_, _| {},
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Import(e) if e.line == 3 && e.field == "kommunekode"),
        "{e}"
    );
    assert_eq!(all(s).await, before);
    assert!(before.iter().all(|v| v.level != Level::School));
    let _ = SchoolYear::parse("p", "2024-25").unwrap();
}
