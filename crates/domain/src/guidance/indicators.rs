//! Indicators as Headway keeps them: what is measured (a definition), for which unit (the
//! nation, a county, a municipality, a school), in which school year, with the value, the
//! count of pupils it rests on, and whether it is hidden and why. And the reader of Udir's
//! national tests in their long form (`udir_nasjonale_prover_long.csv`: one row per unit ×
//! subject), refusing a bad row by line and field.

use super::assessment::{Better, SchoolYear};
use super::suppression::Hidden;
use crate::codes::codes;
use crate::table::{CsvTable, ImportError};
use serde::Serialize;

codes!(
    /// The unit an indicator's value is for.
    Level, "level", "level" {
        Nation => "nation",
        County => "county",
        Municipality => "municipality",
        School => "school",
    }
);

/// What an indicator measures and how it is published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definition {
    /// `np_reading_5`; its names are the Fluent messages `indicator-<code>`.
    pub code: &'static str,
    pub unit: &'static str,
    pub better: Better,
    /// Values on fewer pupils or respondents are hidden (primary suppression).
    pub min_count: u32,
    pub source: &'static str,
    pub licence: &'static str,
}

const NATIONAL_TESTS: &str = "Udir, nasjonale prøver (statistikkportalen.udir.no)";
const NLOD: &str =
    "NLOD: «Inneholder data under NLOD, tilgjengeliggjort på statistikkportalen.udir.no»";

const fn national_test(code: &'static str) -> Definition {
    Definition {
        code,
        unit: "scale_points",
        better: Better::Higher,
        min_count: 10,
        source: NATIONAL_TESTS,
        licence: NLOD,
    }
}

/// The national tests: English, reading and numeracy in grades 5 and 8, in scale points
/// (national mean 50).
pub const NATIONAL_TEST_INDICATORS: [Definition; 6] = [
    national_test("np_english_5"),
    national_test("np_reading_5"),
    national_test("np_numeracy_5"),
    national_test("np_english_8"),
    national_test("np_reading_8"),
    national_test("np_numeracy_8"),
];

/// One value of an indicator, as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub indicator: &'static str,
    pub level: Level,
    /// The unit's key: `no` for the nation, `no:fylke:34`, `no:kommune:3425` (as the
    /// year's geography numbered it), `no:skole:<organisasjonsnummer>`.
    pub unit: String,
    pub name: String,
    pub year: SchoolYear,
    pub value: Option<f64>,
    pub count: Option<u32>,
    /// `Source` where the file withheld the value.
    pub hidden: Option<Hidden>,
}

/// Reads the national tests' long file whole; the first bad row is refused with its line
/// and field, and then nothing is read.
pub fn national_tests(t: &CsvTable) -> Result<Vec<Observation>, ImportError> {
    let col = |n: &str| t.require(&[n]);
    let (year, grade, level, county, municipality, org, subject, points, count, unit_name) = (
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
        let (lvl, unit, name) = match r.req(level)? {
            "1" => (Level::Nation, "no".to_owned(), "Norge".to_owned()),
            "2" => (
                Level::County,
                format!("no:fylke:{}", digits(county, "fylkekode", 2)?),
                r.opt(county_name).unwrap_or_default().to_owned(),
            ),
            "3" => (
                Level::Municipality,
                format!("no:kommune:{}", digits(municipality, "kommunekode", 4)?),
                r.opt(municipality_name).unwrap_or_default().to_owned(),
            ),
            "4" => (
                Level::School,
                format!("no:skole:{}", digits(org, "organisasjonsnummer", 9)?),
                r.req(unit_name)?.to_owned(),
            ),
            v => return Err(r.error("enhetnivaa", format!("`{v}` is not a level (1–4)"))),
        };
        // `*`: withheld by the source; blank: nothing measured (a school without pupils
        // tested that year).
        let withheld = r.opt(Some(points)) == Some("*");
        let value = match withheld {
            true => None,
            false => match r.f64_opt(Some(points))? {
                Some(v) if (1.0..=100.0).contains(&v) => Some(v),
                Some(v) => {
                    return Err(r.error("skalapoeng", format!("{v} lies outside the scale (1–100)")))
                }
                None => None,
            },
        };
        let n = match r.count_opt(Some(count))? {
            Some(n) if (0..=2_000_000).contains(&n) => Some(n as u32),
            Some(n) => {
                return Err(r.error("antall_elever", format!("{n} is not a count of pupils")))
            }
            None => None,
        };
        let code = format!("np_{s}_{g}");
        let indicator = NATIONAL_TEST_INDICATORS
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.code)
            .ok_or_else(|| r.error("fag", format!("no indicator `{code}`")))?;
        out.push(Observation {
            indicator,
            level: lvl,
            unit,
            name,
            year: y,
            value,
            count: n,
            hidden: withheld.then_some(Hidden::Source),
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
        assert_eq!(obs[3].year.to_string(), "2022-23");
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
}
