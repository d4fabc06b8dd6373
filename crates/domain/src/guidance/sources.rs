//! The readers of indicator files, each refusing a bad row by line and field (and then
//! reading nothing):
//! - Udir's national tests in their long form (`udir_nasjonale_prover_long.csv`: one row
//!   per unit × subject, `*` where the source withheld a value);
//! - FHI's school indicators (`fhi_telemark_skoleindikatorer_long.csv`: three-year
//!   averages, an empty value where FHI withheld it);
//! - the agency's own exports in Headway's documented format
//!   (`indicator,unit,period,subgroup,value,count`; see `docs/indicators.md`).

use super::assessment::SchoolYear;
use super::indicators::{
    definition, parse_indicator, Level, Observation, Period, NATIONAL_TEST_INDICATORS,
};
use super::suppression::Hidden;
use crate::table::{CsvTable, ImportError, Row};

/// A value checked against its indicator's range.
fn in_range(r: &Row<'_>, field: &str, code: &str, v: f64) -> Result<f64, ImportError> {
    let (lo, hi) = definition(code).map_or((f64::MIN, f64::MAX), |d| d.range);
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(r.error(
            field,
            format!("{v} lies outside {code}'s range ({lo}–{hi})"),
        ))
    }
}

/// A count of pupils or respondents.
fn count(r: &Row<'_>, idx: Option<usize>, field: &str) -> Result<Option<u32>, ImportError> {
    match r.count_opt(idx)? {
        Some(n) if (0..=2_000_000).contains(&n) => Ok(Some(n as u32)),
        Some(n) => Err(r.error(field, format!("{n} is not a count of pupils"))),
        None => Ok(None),
    }
}

/// Reads the national tests' long file whole.
pub fn national_tests(t: &CsvTable) -> Result<Vec<Observation>, ImportError> {
    let col = |n: &str| t.require(&[n]);
    let (year, grade, level, county, municipality, org, subject, points, pupils, unit_name) = (
        col("skoleaar")?,
        col("trinn")?,
        col("enhetnivaa")?,
        col("fylkekode")?,
        col("kommunekode")?,
        col("organisasjonsnummer")?,
        col("fag")?,
        col("skalapoeng")?,
        col("antall_elever")?,
        col("enhet")?,
    );
    let (county_name, municipality_name) = (t.col(&["fylke"]), t.col(&["kommune"]));
    let mut out = Vec::with_capacity(t.len());
    for r in t.rows() {
        let y = SchoolYear::parse("skoleaar", r.req(year)?)
            .map_err(|e| r.error("skoleaar", e.problem.to_string()))?;
        let g = match r.req(grade)? {
            "5" => 5,
            "8" => 8,
            v => return Err(r.error("trinn", format!("`{v}` is not a tested grade (5 or 8)"))),
        };
        let s = match r.req(subject)? {
            "Engelsk" => "english",
            "Lesing" => "reading",
            "Regning" => "numeracy",
            v => {
                return Err(r.error(
                    "fag",
                    format!("`{v}` is not a tested subject (Engelsk, Lesing, Regning)"),
                ))
            }
        };
        let digits = |idx: usize, field: &str, n: usize| -> Result<String, ImportError> {
            let v = r.req(idx)?;
            if v.len() == n && v.bytes().all(|b| b.is_ascii_digit()) {
                Ok(v.to_owned())
            } else {
                Err(r.error(field, format!("`{v}` is not {n} digits")))
            }
        };
        let (lvl, unit, name, parent) = match r.req(level)? {
            "1" => (Level::Nation, "no".to_owned(), "Norge".to_owned(), None),
            "2" => (
                Level::County,
                format!("no:fylke:{}", digits(county, "fylkekode", 2)?),
                r.opt(county_name).unwrap_or_default().to_owned(),
                Some("no".to_owned()),
            ),
            "3" => (
                Level::Municipality,
                format!("no:kommune:{}", digits(municipality, "kommunekode", 4)?),
                r.opt(municipality_name).unwrap_or_default().to_owned(),
                Some(format!("no:fylke:{}", digits(county, "fylkekode", 2)?)),
            ),
            "4" => (
                Level::School,
                format!("no:skole:{}", digits(org, "organisasjonsnummer", 9)?),
                r.req(unit_name)?.to_owned(),
                Some(format!(
                    "no:kommune:{}",
                    digits(municipality, "kommunekode", 4)?
                )),
            ),
            v => return Err(r.error("enhetnivaa", format!("`{v}` is not a level (1–4)"))),
        };
        let code = format!("np_{s}_{g}");
        let indicator = NATIONAL_TEST_INDICATORS
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.code)
            .ok_or_else(|| r.error("fag", format!("no indicator `{code}`")))?;
        // `*`: withheld by the source; blank: nothing measured (a school without pupils
        // tested that year).
        let withheld = r.opt(Some(points)) == Some("*");
        let value = match withheld {
            true => None,
            false => r
                .f64_opt(Some(points))?
                .map(|v| in_range(&r, "skalapoeng", indicator, v))
                .transpose()?,
        };
        out.push(Observation {
            indicator,
            level: lvl,
            unit,
            name,
            parent,
            period: Period::year(y),
            subgroup: String::new(),
            value,
            count: count(&r, Some(pupils), "antall_elever")?,
            hidden: withheld.then_some(Hidden::Source),
            line: r.line,
        });
    }
    Ok(out)
}

/// FHI's period: school years (`2022/23-2024/25`) or, for *grunnskolepoeng*, the years of
/// the spring exams (`2014-2016`: the school years 2013-14 to 2015-16).
fn fhi_period(r: &Row<'_>, field: &str, s: &str) -> Result<Period, ImportError> {
    let bad = || {
        r.error(
            field,
            format!("`{s}` is not a period such as 2022/23-2024/25"),
        )
    };
    if s.contains('/') {
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let first = SchoolYear::parse("period", a).map_err(|_| bad())?;
        let last = SchoolYear::parse("period", b).map_err(|_| bad())?;
        return (first <= last)
            .then_some(Period { first, last })
            .ok_or_else(bad);
    }
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let (a, b): (i32, i32) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    if !(1991..=2100).contains(&a) || !(a..=a + 10).contains(&b) {
        return Err(bad());
    }
    let year = |spring: i32| SchoolYear::parse("period", &format!("{}-{}", spring - 1, spring));
    Ok(Period {
        first: year(a).map_err(|_| bad())?,
        last: year(b).map_err(|_| bad())?,
    })
}

/// Reads FHI's school indicators (the long file: `indikator`, `geo_nivaa`, `geo_kode`,
/// `geo_navn`, `periode`, `trinn`, `foreldres_utdanning`, `verdi`, `prikket`).
pub fn fhi_school_indicators(t: &CsvTable) -> Result<Vec<Observation>, ImportError> {
    let col = |n: &str| t.require(&[n]);
    let (ind, level, code, name, period, grade, education, value, hidden) = (
        col("indikator")?,
        col("geo_nivaa")?,
        col("geo_kode")?,
        col("geo_navn")?,
        col("periode")?,
        col("trinn")?,
        col("foreldres_utdanning")?,
        col("verdi")?,
        col("prikket")?,
    );
    let mut out = Vec::with_capacity(t.len());
    for r in t.rows() {
        let g = r.req(grade)?;
        let indicator = match (r.req(ind)?, g) {
            ("lesing_andel_mestringsnivaa_1", "5") => "level1_reading_5",
            ("lesing_andel_mestringsnivaa_1", "8") => "level1_reading_8",
            ("regning_andel_mestringsnivaa_1", "5") => "level1_numeracy_5",
            ("regning_andel_mestringsnivaa_1", "8") => "level1_numeracy_8",
            ("mobbing_andel", "7") => "bullying_7",
            ("trivsel_andel", "10") => "wellbeing_10",
            ("grunnskolepoeng", "10") => "points_10",
            (i, g) => {
                return Err(r.error(
                    "indikator",
                    format!("`{i}` in grade {g} is not an indicator Headway knows"),
                ))
            }
        };
        let c = r.req(code)?;
        let digits = |n: usize| c.len() == n && c.bytes().all(|b| b.is_ascii_digit());
        let (lvl, unit) = match r.req(level)? {
            "land" => (Level::Nation, "no".to_owned()),
            "fylke" if digits(2) => (Level::County, format!("no:fylke:{c}")),
            "kommune" if digits(4) => (Level::Municipality, format!("no:kommune:{c}")),
            "fylke" | "kommune" => {
                return Err(r.error(
                    "geo_kode",
                    format!("`{c}` is not a county or municipality number"),
                ))
            }
            v => return Err(r.error("geo_nivaa", format!("`{v}` is not land, fylke or kommune"))),
        };
        let subgroup = match r.opt(Some(education)).unwrap_or_default() {
            "" | "totalt" | "alle utdanningsnivåer" => "",
            "grunnskole" => "parents:primary",
            "videregående" => "parents:upper_secondary",
            "universitet/ høgskole" | "universitet/høgskole" => "parents:higher",
            v => {
                return Err(r.error(
                    "foreldres_utdanning",
                    format!("`{v}` is not a level of parents' education"),
                ))
            }
        };
        let withheld = match r.req(hidden)? {
            "0" => false,
            "1" => true,
            v => return Err(r.error("prikket", format!("`{v}` is not 0 or 1"))),
        };
        let v = r
            .f64_opt(Some(value))?
            .map(|v| in_range(&r, "verdi", indicator, v))
            .transpose()?;
        if withheld && v.is_some() {
            return Err(r.error("verdi", "a withheld value (prikket 1) must be empty"));
        }
        out.push(Observation {
            indicator,
            parent: Level::parent_of(&unit),
            level: lvl,
            unit,
            name: r.req(name)?.to_owned(),
            period: fhi_period(&r, "periode", r.req(period)?)?,
            subgroup: subgroup.to_owned(),
            value: v,
            count: None,
            hidden: withheld.then_some(Hidden::Source),
            line: r.line,
        });
    }
    Ok(out)
}

/// Reads an agency's own export: `indicator` (a code Headway knows), `unit` (a unit key),
/// `period` (`2024-25` or `2022-23..2024-25`), optional `subgroup`, `value` (empty or `*`
/// where withheld), optional `count` and `name`.
pub fn agency_export(t: &CsvTable) -> Result<Vec<Observation>, ImportError> {
    let (ind, unit, period, value) = (
        t.require(&["indicator"])?,
        t.require(&["unit"])?,
        t.require(&["period"])?,
        t.require(&["value"])?,
    );
    let (subgroup, pupils, name, parent) = (
        t.col(&["subgroup"]),
        t.col(&["count"]),
        t.col(&["name"]),
        t.col(&["parent"]),
    );
    let mut out = Vec::with_capacity(t.len());
    for r in t.rows() {
        let d = parse_indicator("indicator", r.req(ind)?)
            .map_err(|e| r.error("indicator", e.problem.to_string()))?;
        let key = r.req(unit)?;
        let level = Level::of_key(key).ok_or_else(|| {
            r.error(
                "unit",
                format!("`{key}` is not a unit key (no, no:fylke:NN, no:kommune:NNNN, no:skole:<9 digits>)"),
            )
        })?;
        let p = Period::parse("period", r.req(period)?)
            .map_err(|e| r.error("period", e.problem.to_string()))?;
        let sub = r.opt(subgroup).unwrap_or_default();
        if sub.len() > 60
            || !sub
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b":_-".contains(&b))
        {
            return Err(r.error(
                "subgroup",
                format!(
                    "`{}` is not a subgroup key (letters, digits, `:`, `_`, `-`)",
                    sub.chars().take(60).collect::<String>()
                ),
            ));
        }
        let withheld = r.opt(Some(value)) == Some("*");
        let v = match withheld {
            true => None,
            false => r
                .f64_opt(Some(value))?
                .map(|v| in_range(&r, "value", d.code, v))
                .transpose()?,
        };
        let parent = match r.opt(parent) {
            Some(p) if Level::of_key(p).is_some() => Some(p.to_owned()),
            Some(p) => return Err(r.error("parent", format!("`{p}` is not a unit key"))),
            None => Level::parent_of(key),
        };
        out.push(Observation {
            indicator: d.code,
            level,
            unit: key.to_owned(),
            name: r.opt(name).unwrap_or_default().chars().take(200).collect(),
            parent,
            period: p,
            subgroup: sub.to_owned(),
            value: v,
            count: count(&r, pupils, "count")?,
            hidden: withheld.then_some(Hidden::Source),
            line: r.line,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "skoleaar,trinn,enhetnivaa,fylkekode,kommunekode,organisasjonsnummer,fylke,kommune,enhet,fag,skalapoeng,usikkerhet,antall_elever\n";

    fn read(rows: &str) -> Result<Vec<Observation>, ImportError> {
        let t = CsvTable::parse("np.csv", format!("{HEADER}{rows}").as_bytes()).unwrap();
        national_tests(&t)
    }

    #[test]
    fn every_level_is_read_and_the_sources_stars_are_hidden_values() {
        let obs = read(
            "2022-23,8,1,00,0000,I,Alle fylker,Alle kommuner,Alle skoler,Lesing,50,0.1,\"61 000\"\n\
             2022-23,8,2,34,0000,34,Innlandet,Alle kommuner,Alle skoler,Lesing,49,0.4,3812\n\
             2022-23,8,3,34,3425,3425,Innlandet,Engerdal,Alle skoler,Lesing,*,*,*\n\
             2022-23,8,4,34,3425,975273598,Innlandet,Engerdal,Engerdal barne- og ungdomsskole,Lesing,*,*,*\n",
        )
        .unwrap();
        let levels: Vec<Level> = obs.iter().map(|o| o.level).collect();
        assert_eq!(
            levels,
            [
                Level::Nation,
                Level::County,
                Level::Municipality,
                Level::School
            ]
        );
        assert_eq!(obs[0].count, Some(61_000));
        assert_eq!(
            (obs[1].unit.as_str(), obs[1].name.as_str()),
            ("no:fylke:34", "Innlandet")
        );
        assert_eq!((obs[1].value, obs[1].hidden), (Some(49.0), None));
        let engerdal = &obs[2];
        assert_eq!(
            (
                engerdal.unit.as_str(),
                engerdal.name.as_str(),
                engerdal.indicator
            ),
            ("no:kommune:3425", "Engerdal", "np_reading_8")
        );
        assert_eq!((engerdal.value, engerdal.count), (None, None));
        assert_eq!(engerdal.hidden, Some(Hidden::Source));
        assert_eq!(obs[3].unit, "no:skole:975273598");
        assert_eq!(obs[3].period.to_string(), "2022-23");
        assert_eq!(obs[3].parent.as_deref(), Some("no:kommune:3425"));
        assert_eq!(obs[2].parent.as_deref(), Some("no:fylke:34"));
    }

    #[test]
    fn a_bad_row_is_refused_by_line_and_field() {
        let good = "2024-25,5,3,33,3318,3318,Buskerud,Flå,Alle skoler,Lesing,47,2.1,12\n";
        let cases = [
            ("2024-25,6,3,33,3318,3318,B,F,A,Lesing,47,2.1,12\n", "trinn"),
            ("2024-25,5,3,33,3318,3318,B,F,A,Historie,47,2.1,12\n", "fag"),
            (
                "2024-25,5,3,33,331,331,B,F,A,Lesing,47,2.1,12\n",
                "kommunekode",
            ),
            (
                "2024-25,5,3,33,3318,3318,B,F,A,Lesing,140,2.1,12\n",
                "skalapoeng",
            ),
            (
                "2024-25,5,3,33,3318,3318,B,F,A,Lesing,47,2.1,tolv\n",
                "antall_elever",
            ),
            (
                "2024-27,5,3,33,3318,3318,B,F,A,Lesing,47,2.1,12\n",
                "skoleaar",
            ),
            (
                "2024-25,5,7,33,3318,3318,B,F,A,Lesing,47,2.1,12\n",
                "enhetnivaa",
            ),
        ];
        for (row, field) in cases {
            let e = read(&format!("{good}{row}")).unwrap_err();
            assert_eq!((e.line, e.field.as_str()), (3, field), "{e}");
        }
        assert_eq!(read(good).unwrap()[0].value, Some(47.0));
        // Nothing measured is no value, and not a hidden one.
        let none =
            read("2022-23,5,4,42,4203,975280888,Agder,Arendal,Asdal skole,Engelsk,,,0\n").unwrap();
        assert_eq!(
            (none[0].value, none[0].count, none[0].hidden),
            (None, Some(0), None)
        );
    }

    #[test]
    fn fhi_rows_read_their_windows_subgroups_and_withheld_values() {
        let t = CsvTable::parse(
            "fhi.csv",
            "indikator,fhi_tabell,geo_nivaa,geo_kode,geo_navn,periode,periode_slutt_aar,trinn,foreldres_utdanning,verdi,enhet,prikket\n\
             grunnskolepoeng,362,kommune,4001,Porsgrunn,2014-2016,2016,10,grunnskole,32.5,grunnskolepoeng,0\n\
             lesing_andel_mestringsnivaa_1,670,land,0,Hele landet,2022/23-2024/25,2024,5,alle utdanningsnivåer,24.1,prosent,0\n\
             mobbing_andel,806,kommune,4036,Vinje,2023/24-2025/26,2025,7,,,prosent,1\n"
                .as_bytes(),
        )
        .unwrap();
        let o = fhi_school_indicators(&t).unwrap();
        assert_eq!(
            (o[0].indicator, o[0].subgroup.as_str(), o[0].period.key()),
            (
                "points_10",
                "parents:primary",
                "2013-14..2015-16".to_owned()
            )
        );
        assert_eq!(o[0].parent.as_deref(), Some("no:fylke:40"));
        assert_eq!(
            (o[1].indicator, o[1].unit.as_str(), o[1].value),
            ("level1_reading_5", "no", Some(24.1))
        );
        assert_eq!(o[1].period.key(), "2022-23..2024-25");
        assert_eq!((o[2].value, o[2].hidden), (None, Some(Hidden::Source)));
        let bad = |row: &str| {
            let t = CsvTable::parse(
                "fhi.csv",
                format!("indikator,geo_nivaa,geo_kode,geo_navn,periode,trinn,foreldres_utdanning,verdi,prikket\n{row}\n").as_bytes(),
            )
            .unwrap();
            let e = fhi_school_indicators(&t).unwrap_err();
            (e.line, e.field)
        };
        assert_eq!(
            bad("mobbing_andel,kommune,4036,Vinje,2023/24-2025/26,9,,12,0"),
            (2, "indikator".into())
        );
        assert_eq!(
            bad("mobbing_andel,kommune,40,Vinje,2023/24-2025/26,7,,12,0"),
            (2, "geo_kode".into())
        );
        assert_eq!(
            bad("mobbing_andel,kommune,4036,Vinje,2023/24-2025/26,7,,140,0"),
            (2, "verdi".into())
        );
        assert_eq!(
            bad("mobbing_andel,kommune,4036,Vinje,2025/26-2023/24,7,,12,0"),
            (2, "periode".into())
        );
        assert_eq!(
            bad("mobbing_andel,kommune,4036,Vinje,2023/24-2025/26,7,,12,1"),
            (2, "verdi".into())
        );
    }

    #[test]
    fn the_agency_format_names_the_bad_field() {
        let read = |rows: &str| {
            let t = CsvTable::parse(
                "own.csv",
                format!("indicator,unit,period,subgroup,value,count\n{rows}").as_bytes(),
            )
            .unwrap();
            agency_export(&t)
        };
        let o = read("bullying_7,no:kommune:3205,2024-25,,6.1,523\nsupport_10,no:kommune:3205,2024-25,sex:girls,*,\n").unwrap();
        assert_eq!(
            (o[0].level, o[0].parent.as_deref(), o[0].count),
            (Level::Municipality, Some("no:fylke:32"), Some(523))
        );
        assert_eq!(
            (o[1].subgroup.as_str(), o[1].hidden),
            ("sex:girls", Some(Hidden::Source))
        );
        for (row, field) in [
            ("bullying_9,no:kommune:3205,2024-25,,6.1,5", "indicator"),
            ("bullying_7,no:kommune:32055,2024-25,,6.1,5", "unit"),
            ("bullying_7,no:kommune:3205,2024,,6.1,5", "period"),
            ("bullying_7,no:kommune:3205,2024-25,a b,6.1,5", "subgroup"),
            ("support_7,no:kommune:3205,2024-25,,7.5,5", "value"),
            ("support_7,no:kommune:3205,2024-25,,4.5,-5", "count"),
        ] {
            let e = read(&format!("bullying_7,no,2024-25,,6.1,5\n{row}\n")).unwrap_err();
            assert_eq!((e.line, e.field.as_str()), (3, field), "{e}");
        }
    }
}
