//! Selecting school owners for guidance by the directorate's published rules (udir.no,
//! *Oppfølgingsordningen*: "Hvilke kommuner deltar i ordningen"): per indicator and year a
//! unit earns risk points — worse than the national mean 1, worse than the absolute limit 3,
//! each times the indicator's weight (*grunnskolepoeng* 3) — and its score is the share of
//! the points it could have earned over the last years. Category 1: the municipalities with
//! the highest shares. Category 2: among the rest, those whose schools spread widely and
//! that have a school among the quarter of all schools with the highest shares. The absolute
//! limits and the spread level are not published: every limit, weight and count is in
//! [`Rules`] and is shown with each result. Points that cannot be assessed (no value, or a
//! suppressed one) are unknown and left out of both sides of the share.

use crate::codes::codes;
use crate::input::{InputError, Problem};
use serde::Serialize;

codes!(
    /// Which way an indicator is better.
    Better, "better", "better" {
        /// More is better (scale points, *grunnskolepoeng*, well-being).
        Higher => "higher",
        /// Less is better (a share at the lowest mastery level, bullying).
        Lower => "lower",
    }
);

codes!(
    /// Why a municipality is selected.
    Category, "category", "category" {
        /// Among the highest shares of risk points.
        First => "1",
        /// Wide spread between its schools, with a school among the highest shares.
        Second => "2",
    }
);

/// A school year, `2024-25`: the autumn it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SchoolYear(i32);

impl SchoolYear {
    pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
        let t = s.trim();
        let bad = || {
            InputError::new(
                field,
                Problem::NotOneOf {
                    value: t.chars().take(20).collect(),
                    allowed: "a school year such as 2024-25".into(),
                },
            )
        };
        let (a, b) = t.split_once(['-', '/']).ok_or_else(bad)?;
        let start: i32 = a.parse().map_err(|_| bad())?;
        let end: i32 = b.parse().map_err(|_| bad())?;
        let next = (start + 1) % 100;
        if !(1990..=2100).contains(&start) || !(end == next || end == start + 1) {
            return Err(bad());
        }
        Ok(Self(start))
    }

    pub fn start(self) -> i32 {
        self.0
    }

    /// The `n` school years ending with this one, oldest first.
    pub fn window(self, n: u32) -> Vec<SchoolYear> {
        (0..n as i32)
            .rev()
            .map(|k| SchoolYear(self.0 - k))
            .collect()
    }
}

impl std::fmt::Display for SchoolYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1) % 100)
    }
}

/// How one indicator counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRule {
    pub code: String,
    pub better: Better,
    /// The absolute limit; worse than it earns [`Rules::absolute_points`].
    pub absolute: f64,
    /// Times its points count.
    pub weight: u32,
}

/// Every number the assessment uses, shown with each result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rules {
    pub indicators: Vec<IndicatorRule>,
    /// School years looked back over, the chosen one included.
    pub lookback_years: u32,
    /// Points for worse than the national mean.
    pub national_points: u32,
    /// Points for worse than the absolute limit.
    pub absolute_points: u32,
    /// Municipalities in category 1.
    pub first_count: usize,
    /// Municipalities in category 2 at most.
    pub second_count: usize,
    /// The spread between a municipality's schools (highest share less lowest, in
    /// percentage points) above which it may be in category 2.
    pub spread_level: f64,
    /// The top fraction of all schools by share that category 2 asks a school among.
    pub top_schools: f64,
}

impl Default for Rules {
    /// The directorate's published numbers (30 in category 1, 10 in category 2, three
    /// years, 1 and 3 points), and Headway's own where it publishes none: each indicator's
    /// absolute limit and weight as [`super::indicators::INDICATORS`] define them, a spread
    /// of 40 percentage points, the top quarter of schools.
    fn default() -> Self {
        Self {
            indicators: super::indicators::INDICATORS
                .iter()
                .map(|d| IndicatorRule {
                    code: d.code.to_owned(),
                    better: d.better,
                    absolute: d.absolute,
                    weight: d.weight,
                })
                .collect(),
            lookback_years: 3,
            national_points: 1,
            absolute_points: 3,
            first_count: 30,
            second_count: 10,
            spread_level: 40.0,
            top_schools: 0.25,
        }
    }
}

impl Rules {
    pub fn indicator(&self, code: &str) -> Option<&IndicatorRule> {
        self.indicators.iter().find(|i| i.code == code)
    }
}

/// A unit's value of an indicator in a year, and the nation's; `None`: not known (missing
/// or suppressed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub indicator: String,
    pub year: SchoolYear,
    pub value: Option<f64>,
    pub national: Option<f64>,
}

/// One indicator-year assessed, with what decided it: the explanation a reader follows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub indicator: String,
    pub year: SchoolYear,
    pub value: Option<f64>,
    pub national: Option<f64>,
    pub absolute: f64,
    pub better: Better,
    pub weight: u32,
    /// Points earned (weight included); `None`: could not be assessed.
    pub points: Option<u32>,
    /// The most it could have earned.
    pub possible: u32,
}

/// A unit's score: its points, and the share of the possible ones it earned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub unit: i32,
    pub points: Vec<Point>,
    pub earned: u32,
    /// Over the points that could be assessed.
    pub possible: u32,
    /// Indicator-years that could not be assessed.
    pub unknown: u32,
    /// `earned / possible` in percent; `None` when nothing could be assessed.
    pub share: Option<f64>,
}

/// Whether `value` is worse than `limit` for an indicator that is `better` one way.
fn worse(better: Better, value: f64, limit: f64) -> bool {
    match better {
        Better::Higher => value < limit,
        Better::Lower => value > limit,
    }
}

/// Scores `unit` from its measures; indicators without a rule and years outside `years`
/// are left out.
pub fn score(unit: i32, measures: &[Measure], years: &[SchoolYear], rules: &Rules) -> Score {
    let mut points = Vec::new();
    for m in measures.iter().filter(|m| years.contains(&m.year)) {
        let Some(rule) = rules.indicator(&m.indicator) else {
            continue;
        };
        let possible = rules.absolute_points * rule.weight;
        let earned = match (m.value, m.national) {
            (Some(v), Some(n)) => Some(
                rule.weight
                    * if worse(rule.better, v, rule.absolute) {
                        rules.absolute_points
                    } else if worse(rule.better, v, n) {
                        rules.national_points
                    } else {
                        0
                    },
            ),
            _ => None,
        };
        points.push(Point {
            indicator: m.indicator.clone(),
            year: m.year,
            value: m.value,
            national: m.national,
            absolute: rule.absolute,
            better: rule.better,
            weight: rule.weight,
            points: earned,
            possible,
        });
    }
    points.sort_by(|a, b| (&a.indicator, a.year).cmp(&(&b.indicator, b.year)));
    let assessed = || points.iter().filter(|p| p.points.is_some());
    let earned: u32 = assessed().filter_map(|p| p.points).sum();
    let possible: u32 = assessed().map(|p| p.possible).sum();
    let unknown = points.iter().filter(|p| p.points.is_none()).count() as u32;
    Score {
        unit,
        earned,
        possible,
        unknown,
        share: (possible > 0).then(|| 100.0 * f64::from(earned) / f64::from(possible)),
        points,
    }
}

/// A municipality in the ranked list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub score: Score,
    /// From 1, by share (highest first); unassessed last.
    pub rank: u32,
    pub category: Option<Category>,
    /// Highest school share less lowest, when two or more schools have one.
    pub spread: Option<f64>,
    /// Its schools among the top [`Rules::top_schools`] of all schools by share.
    pub top_schools: u32,
}

/// Ranks the municipalities and places them in categories; `schools` gives each school's
/// score with its municipality.
pub fn assess(municipalities: Vec<Score>, schools: &[(i32, Score)], rules: &Rules) -> Vec<Ranked> {
    // The share a school needs to be among the top fraction of all schools.
    let mut shares: Vec<f64> = schools.iter().filter_map(|(_, s)| s.share).collect();
    shares.sort_by(|a, b| b.total_cmp(a));
    let top_n = (shares.len() as f64 * rules.top_schools).ceil() as usize;
    let threshold = (top_n > 0).then(|| shares[top_n.min(shares.len()) - 1]);
    // Each municipality's school shares, grouped once.
    let mut own: std::collections::HashMap<i32, Vec<f64>> = std::collections::HashMap::new();
    for (m, s) in schools {
        if let Some(x) = s.share {
            own.entry(*m).or_default().push(x);
        }
    }
    let mut ranked: Vec<Ranked> = municipalities
        .into_iter()
        .map(|score| {
            let own = own.get(&score.unit).map(Vec::as_slice).unwrap_or_default();
            let spread = (own.len() >= 2).then(|| {
                own.iter().copied().fold(f64::MIN, f64::max)
                    - own.iter().copied().fold(f64::MAX, f64::min)
            });
            let top_schools = threshold.map_or(0, |t| own.iter().filter(|s| **s >= t).count());
            Ranked {
                score,
                rank: 0,
                category: None,
                spread,
                top_schools: top_schools as u32,
            }
        })
        .collect();
    ranked.sort_by(|a, b| match (a.score.share, b.score.share) {
        (Some(x), Some(y)) => y.total_cmp(&x).then(a.score.unit.cmp(&b.score.unit)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.score.unit.cmp(&b.score.unit),
    });
    let mut second = 0;
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i as u32 + 1;
        if r.score.share.is_none() {
            continue;
        }
        if i < rules.first_count {
            r.category = Some(Category::First);
        } else if second < rules.second_count
            && r.spread.is_some_and(|s| s > rules.spread_level)
            && r.top_schools > 0
        {
            r.category = Some(Category::Second);
            second += 1;
        }
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            indicators: vec![
                IndicatorRule {
                    code: "reading_5_level1".into(),
                    better: Better::Lower,
                    absolute: 40.0,
                    weight: 1,
                },
                IndicatorRule {
                    code: "points".into(),
                    better: Better::Higher,
                    absolute: 36.0,
                    weight: 3,
                },
            ],
            lookback_years: 3,
            national_points: 1,
            absolute_points: 3,
            first_count: 1,
            second_count: 1,
            spread_level: 20.0,
            top_schools: 0.25,
        }
    }

    fn y(s: &str) -> SchoolYear {
        SchoolYear::parse("period", s).unwrap()
    }

    fn m(indicator: &str, year: &str, value: Option<f64>, national: f64) -> Measure {
        Measure {
            indicator: indicator.into(),
            year: y(year),
            value,
            national: Some(national),
        }
    }

    #[test]
    fn school_years_parse_and_look_back() {
        assert_eq!(y("2024-25").to_string(), "2024-25");
        assert_eq!(y("2024/2025"), y("2024-25"));
        assert_eq!(
            y("2025-26").window(3),
            [y("2023-24"), y("2024-25"), y("2025-26")]
        );
        assert!(SchoolYear::parse("period", "2024-27").is_err());
        assert_eq!(
            SchoolYear::parse("period", "x").unwrap_err().field,
            "period"
        );
    }

    #[test]
    fn points_follow_the_limits_and_weights_and_unknowns_are_left_out() {
        let r = rules();
        let years = y("2025-26").window(3);
        let s = score(
            7,
            &[
                // 31 % at the lowest level against 24 % nationally: 1 point.
                m("reading_5_level1", "2023-24", Some(31.0), 24.0),
                // Worse than the absolute limit: 3.
                m("reading_5_level1", "2024-25", Some(45.0), 24.0),
                // Suppressed: unknown.
                m("reading_5_level1", "2025-26", None, 24.0),
                // Points below the national mean, weight 3: 3 of 9.
                m("points", "2025-26", Some(39.0), 41.0),
                // Outside the window: not counted.
                m("points", "2021-22", Some(20.0), 41.0),
            ],
            &years,
            &r,
        );
        let earned: Vec<Option<u32>> = s.points.iter().map(|p| p.points).collect();
        assert_eq!(earned, [Some(3), Some(1), Some(3), None]);
        assert_eq!((s.earned, s.possible, s.unknown), (7, 15, 1));
        assert!((s.share.unwrap() - 100.0 * 7.0 / 15.0).abs() < 1e-9);
        let nothing = score(8, &[m("points", "2025-26", None, 41.0)], &years, &r);
        assert_eq!((nothing.share, nothing.unknown), (None, 1));
    }

    #[test]
    fn categories_take_the_highest_shares_then_a_wide_spread_with_a_top_school() {
        let r = rules();
        let share = |unit, earned, possible| Score {
            unit,
            points: vec![],
            earned,
            possible,
            unknown: 0,
            share: (possible > 0).then(|| 100.0 * f64::from(earned) / f64::from(possible)),
        };
        let municipalities = vec![
            share(1, 2, 10),
            share(2, 6, 10),
            share(3, 3, 10),
            share(4, 4, 10),
            share(5, 0, 0),
        ];
        // Municipality 3 has a school at 90 % and one at 10 %; 4's schools are alike.
        let schools = vec![
            (3, share(31, 9, 10)),
            (3, share(32, 1, 10)),
            (4, share(41, 4, 10)),
            (4, share(42, 5, 10)),
            (1, share(11, 2, 10)),
            (1, share(12, 2, 10)),
            (2, share(21, 6, 10)),
            (2, share(22, 6, 10)),
        ];
        let ranked = assess(municipalities, &schools, &r);
        let order: Vec<(i32, u32, Option<Category>)> = ranked
            .iter()
            .map(|x| (x.score.unit, x.rank, x.category))
            .collect();
        assert_eq!(
            order,
            [
                (2, 1, Some(Category::First)),
                (4, 2, None),
                (3, 3, Some(Category::Second)),
                (1, 4, None),
                (5, 5, None),
            ]
        );
        assert!((ranked[2].spread.unwrap() - 80.0).abs() < 1e-9);
        assert_eq!(ranked[2].top_schools, 1);
    }
}
