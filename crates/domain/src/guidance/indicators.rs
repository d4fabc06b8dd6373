//! Indicators as Headway keeps them: what is measured (a [`Definition`]), for which unit
//! (the nation, a county, a municipality, a school: a unit key), over which [`Period`] (a
//! school year or a window of them), for which subgroup, with the value, the count of
//! pupils or respondents it rests on, and whether it is hidden and why. The readers of the
//! source files are in [`super::sources`].

use super::assessment::{Better, SchoolYear};
use super::suppression::Hidden;
use crate::codes::codes;
use crate::input::{InputError, Problem};
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

impl Level {
    /// The level of a unit key (`no`, `no:fylke:34`, `no:kommune:3425`,
    /// `no:skole:<organisasjonsnummer>`), when the key is well formed.
    pub fn of_key(key: &str) -> Option<Level> {
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match key.split(':').collect::<Vec<_>>()[..] {
            ["no"] => Some(Level::Nation),
            ["no", "fylke", n] if digits(n, 2) => Some(Level::County),
            ["no", "kommune", n] if digits(n, 4) => Some(Level::Municipality),
            ["no", "skole", n] if digits(n, 9) => Some(Level::School),
            _ => None,
        }
    }

    /// The unit a key adds up into, where the key alone says it: a county into the nation,
    /// a municipality into the county of its number's first two digits.
    pub fn parent_of(key: &str) -> Option<String> {
        match Level::of_key(key)? {
            Level::County => Some("no".to_owned()),
            Level::Municipality => Some(format!("no:fylke:{}", &key[11..13])),
            Level::Nation | Level::School => None,
        }
    }
}

/// Units Udir reports at the municipal level that are not municipalities, nor school owners
/// in the selection: Svalbard (2100; its school is run by Longyearbyen lokalstyre). Kept,
/// because the county totals include them, but never assessed.
pub const NOT_MUNICIPALITIES: [&str; 1] = ["no:kommune:2100"];

/// What an indicator measures and how it is published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definition {
    /// `np_reading_5`; its names are the Fluent messages `indicator-<code>`, its unit's
    /// `unit-<unit>`.
    pub code: &'static str,
    pub unit: &'static str,
    pub better: Better,
    /// Values on fewer pupils or respondents are hidden (primary suppression).
    pub min_count: u32,
    /// The values it can take.
    pub range: (f64, f64),
    /// The absolute limit the assessment uses unless configured otherwise (the directorate
    /// does not publish its own).
    pub absolute: f64,
    /// Times its risk points count (*grunnskolepoeng*: 3).
    pub weight: u32,
    pub source: &'static str,
    pub licence: &'static str,
}

const NATIONAL_TESTS: &str = "Udir, nasjonale prøver (statistikkportalen.udir.no)";
const NLOD: &str =
    "NLOD: «Inneholder data under NLOD, tilgjengeliggjort på statistikkportalen.udir.no»";
const FHI: &str = "FHI, Kommunehelsa statistikkbank (data fra Utdanningsdirektoratet/SSB)";
const FHI_TERMS: &str =
    "Open with attribution: «Kilde: Kommunehelsa statistikkbank, Folkehelseinstituttet»";
const AGENCY: &str = "The agency's own export";
const AGENCY_TERMS: &str = "As the agency publishes it";

const fn national_test(code: &'static str) -> Definition {
    Definition {
        code,
        unit: "scale_points",
        better: Better::Higher,
        min_count: 10,
        range: (1.0, 100.0),
        // Half a standard deviation (10) below the national mean (50).
        absolute: 45.0,
        weight: 1,
        source: NATIONAL_TESTS,
        licence: NLOD,
    }
}

const fn share(
    code: &'static str,
    better: Better,
    absolute: f64,
    source: &'static str,
    licence: &'static str,
) -> Definition {
    Definition {
        code,
        unit: "percent",
        better,
        min_count: 10,
        range: (0.0, 100.0),
        absolute,
        weight: 1,
        source,
        licence,
    }
}

const fn index(code: &'static str) -> Definition {
    Definition {
        code,
        unit: "index",
        better: Better::Higher,
        min_count: 10,
        range: (1.0, 5.0),
        absolute: 3.5,
        weight: 1,
        source: AGENCY,
        licence: AGENCY_TERMS,
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

/// Every indicator Headway knows: the national tests; FHI's three-year figures (the share
/// at the lowest mastery level, bullying, well-being, *grunnskolepoeng*); and what an
/// agency imports from its own exports (the pupil survey's indices, completion of upper
/// secondary).
pub const INDICATORS: [Definition; 19] = [
    national_test("np_english_5"),
    national_test("np_reading_5"),
    national_test("np_numeracy_5"),
    national_test("np_english_8"),
    national_test("np_reading_8"),
    national_test("np_numeracy_8"),
    share("level1_reading_5", Better::Lower, 35.0, FHI, FHI_TERMS),
    share("level1_reading_8", Better::Lower, 15.0, FHI, FHI_TERMS),
    share("level1_numeracy_5", Better::Lower, 35.0, FHI, FHI_TERMS),
    share("level1_numeracy_8", Better::Lower, 15.0, FHI, FHI_TERMS),
    share("bullying_7", Better::Lower, 15.0, FHI, FHI_TERMS),
    share("wellbeing_10", Better::Higher, 80.0, FHI, FHI_TERMS),
    Definition {
        code: "points_10",
        unit: "points",
        better: Better::Higher,
        min_count: 10,
        range: (0.0, 60.0),
        absolute: 38.0,
        weight: 3,
        source: FHI,
        licence: FHI_TERMS,
    },
    share("bullying_10", Better::Lower, 15.0, AGENCY, AGENCY_TERMS),
    index("support_7"),
    index("support_10"),
    index("motivation_7"),
    index("motivation_10"),
    share("completion", Better::Higher, 70.0, AGENCY, AGENCY_TERMS),
];

/// The definition of `code`.
pub fn definition(code: &str) -> Option<&'static Definition> {
    INDICATORS.iter().find(|d| d.code == code)
}

/// The definition of `code`, or an input error for `field` naming the known ones.
pub fn parse_indicator(field: &'static str, code: &str) -> Result<&'static Definition, InputError> {
    definition(code.trim()).ok_or_else(|| {
        InputError::new(
            field,
            Problem::NotOneOf {
                value: code.trim().chars().take(40).collect(),
                allowed: INDICATORS.map(|d| d.code).join(", "),
            },
        )
    })
}

/// The school years a value covers: one (`2024-25`), or a window (`2022-23..2024-25`, as
/// FHI's three-year averages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Period {
    pub first: SchoolYear,
    pub last: SchoolYear,
}

impl Period {
    pub fn year(y: SchoolYear) -> Self {
        Self { first: y, last: y }
    }

    /// `2024-25`, `2024/2025` or `2022-23..2024-25`.
    pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
        let t = s.trim();
        match t.split_once("..") {
            None => Ok(Self::year(SchoolYear::parse(field, t)?)),
            Some((a, b)) => {
                let (first, last) = (SchoolYear::parse(field, a)?, SchoolYear::parse(field, b)?);
                if last < first {
                    return Err(InputError::new(field, Problem::EndBeforeStart));
                }
                Ok(Self { first, last })
            }
        }
    }

    pub fn is_year(&self) -> bool {
        self.first == self.last
    }

    /// The key it is stored and asked for by.
    pub fn key(&self) -> String {
        match self.is_year() {
            true => self.last.to_string(),
            false => format!("{}..{}", self.first, self.last),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.is_year() {
            true => write!(f, "{}", self.last),
            false => write!(f, "{}–{}", self.first, self.last),
        }
    }
}

/// One value of an indicator, as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub indicator: &'static str,
    pub level: Level,
    /// The unit's key: `no` for the nation, `no:fylke:34`, `no:kommune:3425`,
    /// `no:skole:<organisasjonsnummer>`.
    pub unit: String,
    pub name: String,
    /// The unit it adds up into (a school's municipality, a municipality's county), as the
    /// period's geography numbered it.
    pub parent: Option<String>,
    pub period: Period,
    /// `""` for everyone; else `parents:<education>` (or any other key of a subgroup).
    pub subgroup: String,
    pub value: Option<f64>,
    pub count: Option<u32>,
    /// `Source` where the file withheld the value.
    pub hidden: Option<Hidden>,
    /// The line of the file it was read from, for errors found later (an unknown unit).
    #[serde(skip)]
    pub line: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_print() {
        let p = Period::parse("period", "2022-23..2024-25").unwrap();
        assert_eq!(
            (p.key(), p.to_string()),
            ("2022-23..2024-25".into(), "2022-23–2024-25".into())
        );
        assert!(!p.is_year());
        let y = Period::parse("period", "2024/2025").unwrap();
        assert_eq!((y.key(), y.is_year()), ("2024-25".into(), true));
        assert_eq!(
            Period::parse("period", "2024-25..2022-23")
                .unwrap_err()
                .field,
            "period"
        );
        assert!(Period::parse("period", "2024").is_err());
    }

    #[test]
    fn unit_keys_say_their_level_and_parent() {
        assert_eq!(Level::of_key("no:kommune:3425"), Some(Level::Municipality));
        assert_eq!(
            Level::parent_of("no:kommune:3425").as_deref(),
            Some("no:fylke:34")
        );
        assert_eq!(Level::parent_of("no:fylke:34").as_deref(), Some("no"));
        assert_eq!(Level::of_key("no:skole:974593785"), Some(Level::School));
        for bad in [
            "no:kommune:342",
            "se",
            "no:skole:12",
            "no:fylke:3x",
            "no:kommune:3425:1",
        ] {
            assert_eq!(Level::of_key(bad), None, "{bad}");
        }
        assert!(INDICATORS.iter().all(|d| definition(d.code) == Some(d)));
        assert_eq!(
            parse_indicator("indicator", "x").unwrap_err().field,
            "indicator"
        );
    }
}
