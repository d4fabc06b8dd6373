//! Secondary suppression on Udir's own figures: in the national tests' pupil counts, 14
//! county × subject rows have exactly one municipality the source suppressed whose count
//! follows from the county's total (Engerdal, 2022-23, grade 8: 7 pupils). Published with
//! the county totals as they are, those counts are given away; after Headway's suppression
//! (primary below 10 pupils, then secondary) none is.

use headway_domain::guidance::suppression::{derivable, suppress, Figure, Hidden, Relation};
use std::collections::BTreeMap;

const EXCERPT: &str = include_str!("data/udir_np_counts_excerpt.csv");

/// One county × subject: the county's figure first, then its municipalities'.
struct Table {
    names: Vec<String>,
    figures: Vec<Figure>,
    relation: Relation,
}

fn tables() -> BTreeMap<(String, String, String, String), Table> {
    let mut out: BTreeMap<_, Table> = BTreeMap::new();
    let mut r = csv::Reader::from_reader(EXCERPT.as_bytes());
    for (line, rec) in r.records().enumerate() {
        let rec = rec.unwrap_or_else(|e| panic!("line {}: {e}", line + 2));
        let key = (
            rec[0].to_owned(),
            rec[1].to_owned(),
            rec[3].to_owned(),
            rec[6].to_owned(),
        );
        let figure = match &rec[7] {
            "*" => Figure {
                count: None,
                hidden: Some(Hidden::Source),
            },
            n => Figure {
                count: Some(
                    n.parse()
                        .unwrap_or_else(|e| panic!("line {}: {e}", line + 2)),
                ),
                hidden: None,
            },
        };
        let t = out.entry(key).or_insert_with(|| Table {
            names: vec![String::new()],
            figures: vec![Figure {
                count: None,
                hidden: Some(Hidden::Source),
            }],
            relation: Relation {
                total: 0,
                parts: vec![],
            },
        });
        if &rec[2] == "2" {
            t.figures[0] = figure;
        } else {
            t.relation.parts.push(t.figures.len());
            t.names.push(rec[5].to_owned());
            t.figures.push(figure);
        }
    }
    out
}

#[test]
fn the_fourteen_counts_the_county_totals_give_away_are_closed() {
    let mut given_away = Vec::new();
    let mut tables = tables();
    for (key, t) in &tables {
        for i in derivable(&t.figures, std::slice::from_ref(&t.relation)) {
            given_away.push((key.clone(), t.names[i].clone()));
        }
    }
    assert_eq!(given_away.len(), 14, "{given_away:?}");
    assert!(given_away
        .iter()
        .any(|((year, grade, county, subject), name)| {
            (
                year.as_str(),
                grade.as_str(),
                county.as_str(),
                subject.as_str(),
                name.as_str(),
            ) == ("2022-23", "8", "34", "Lesing", "Engerdal")
        }));
    for t in tables.values_mut() {
        let rel = std::slice::from_ref(&t.relation);
        suppress(&mut t.figures, rel, 10);
        assert!(derivable(&t.figures, rel).is_empty());
        for f in &t.figures {
            if f.count.is_some_and(|n| n < 10) {
                assert!(f.hidden.is_some());
            }
        }
    }
    let secondary: usize = tables
        .values()
        .map(|t| {
            t.figures
                .iter()
                .filter(|f| f.hidden == Some(Hidden::Secondary))
                .count()
        })
        .sum();
    assert!(secondary >= 14, "at least one more per case: {secondary}");
}
