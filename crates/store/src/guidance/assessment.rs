//! The assessment over stored values: every municipality and its schools scored by the
//! directorate's rules over the chosen school year and the ones before it, ranked and
//! placed in categories. Hidden values are unknown points, as on the published pages.

use super::entities::indicator_value;
use crate::{Result, Store};
use headway_domain::guidance::assessment::{assess, score, Measure, Ranked, Rules, SchoolYear};
use headway_domain::guidance::indicators::{Level, NOT_MUNICIPALITIES};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A municipality in the ranked list, by key and name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessedUnit {
    pub unit: String,
    pub name: String,
    #[serde(flatten)]
    pub ranked: Ranked,
}

/// The ranked list for a school year, with the rules it was made by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub year: SchoolYear,
    /// The school years looked back over, oldest first.
    pub years: Vec<SchoolYear>,
    pub rules: Rules,
    pub units: Vec<AssessedUnit>,
    /// Schools scored (for category 2's spread and top schools).
    pub schools: usize,
}

/// Assessing school owners for guidance.
#[async_trait::async_trait]
pub trait Assessments {
    /// Every municipality with values in `year`'s window, ranked; one query.
    async fn assessment(&self, year: SchoolYear, rules: &Rules) -> Result<Assessment>;
    /// The school years with yearly municipal values, latest first.
    async fn assessment_years(&self) -> Result<Vec<SchoolYear>>;
    /// [`Self::assessment`], made again at most every 30 s or after this server wrote:
    /// values change only with an import.
    async fn cached_assessment(&self, year: SchoolYear, rules: &Rules) -> Result<Arc<Assessment>>;
}

/// An assessment made, with the writes this server had seen and when (ms).
type Made = (u64, u64, Arc<Assessment>);

/// Assessments by school year, with when they were made and the writes seen then.
#[derive(Debug, Clone, Default)]
pub struct AssessmentCache(Arc<tokio::sync::Mutex<HashMap<i32, Made>>>);

/// How long a cached assessment is trusted, in milliseconds.
const TRUSTED_MS: u64 = 30_000;

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    i32,
    Option<f64>,
    Option<String>,
);
type SchoolRow = (
    String,
    String,
    Option<String>,
    i32,
    Option<f64>,
    Option<String>,
);

#[async_trait::async_trait]
impl Assessments for Store {
    async fn assessment(&self, year: SchoolYear, rules: &Rules) -> Result<Assessment> {
        use indicator_value::Column as C;
        let years = year.window(rules.lookback_years.max(1));
        let window = || {
            indicator_value::Entity::find()
                .select_only()
                .filter(Expr::col(C::FirstYear).equals(C::LastYear))
                .filter(C::LastYear.is_in(years.iter().map(|y| y.start())))
                .filter(C::Subgroup.eq(""))
                .filter(C::Indicator.is_in(rules.indicators.iter().map(|i| i.code.clone())))
        };
        // Names only where they are shown: the nation's and the municipalities' rows; the
        // many school rows without them.
        let rows: Vec<Row> = window()
            .columns([
                C::Indicator,
                C::Level,
                C::UnitKey,
                C::UnitName,
                C::ParentKey,
            ])
            .columns([C::LastYear, C::Value, C::Hidden])
            .filter(C::Level.is_in([Level::Nation.code(), Level::Municipality.code()]))
            .into_tuple()
            .all(&self.db)
            .await?;
        let school_rows: Vec<SchoolRow> = window()
            .columns([
                C::Indicator,
                C::UnitKey,
                C::ParentKey,
                C::LastYear,
                C::Value,
                C::Hidden,
            ])
            .filter(C::Level.eq(Level::School.code()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let year_of = |y: i32| years.iter().copied().find(|s| s.start() == y);
        let mut national: HashMap<(&str, i32), Option<f64>> = HashMap::new();
        for (ind, level, _, _, _, y, value, hidden) in &rows {
            if level == Level::Nation.code() {
                national.insert((ind.as_str(), *y), value.filter(|_| hidden.is_none()));
            }
        }
        // Municipalities by key: their number in the scoring, name (latest) and measures.
        let mut munis: HashMap<&str, (i32, &str, i32, Vec<Measure>)> = HashMap::new();
        let mut schools: HashMap<&str, (Option<&str>, Vec<Measure>)> = HashMap::new();
        let measure = |ind: &String, y: i32, value: &Option<f64>, hidden: &Option<String>| {
            Some(Measure {
                indicator: ind.clone(),
                year: year_of(y)?,
                value: value.filter(|_| hidden.is_none()),
                national: national.get(&(ind.as_str(), y)).copied().flatten(),
            })
        };
        for (ind, level, unit, name, _, y, value, hidden) in &rows {
            if level != Level::Municipality.code() || NOT_MUNICIPALITIES.contains(&unit.as_str()) {
                continue;
            }
            let Some(m) = measure(ind, *y, value, hidden) else {
                continue;
            };
            let next = munis.len() as i32;
            let e = munis.entry(unit).or_insert((next, name, *y, Vec::new()));
            if *y > e.2 {
                (e.1, e.2) = (name, *y);
            }
            e.3.push(m);
        }
        for (ind, unit, parent, y, value, hidden) in &school_rows {
            let Some(m) = measure(ind, *y, value, hidden) else {
                continue;
            };
            let e = schools
                .entry(unit)
                .or_insert((parent.as_deref(), Vec::new()));
            e.1.push(m);
        }
        let scores = munis
            .values()
            .map(|(id, _, _, ms)| score(*id, ms, &years, rules))
            .collect();
        let school_scores: Vec<_> = schools
            .values()
            .filter_map(|(parent, ms)| {
                let (id, ..) = munis.get((*parent)?)?;
                Some((*id, score(*id, ms, &years, rules)))
            })
            .collect();
        let by_id: HashMap<i32, (&str, &str)> = munis
            .iter()
            .map(|(key, (id, name, ..))| (*id, (*key, *name)))
            .collect();
        let units = assess(scores, &school_scores, rules)
            .into_iter()
            .map(|ranked| {
                let (key, name) = by_id.get(&ranked.score.unit).copied().unwrap_or_default();
                AssessedUnit {
                    unit: key.to_owned(),
                    name: name.to_owned(),
                    ranked,
                }
            })
            .collect();
        Ok(Assessment {
            year,
            years,
            rules: rules.clone(),
            units,
            schools: school_scores.len(),
        })
    }

    async fn cached_assessment(&self, year: SchoolYear, rules: &Rules) -> Result<Arc<Assessment>> {
        use std::sync::atomic::Ordering::SeqCst;
        let writes = self.writes.load(SeqCst);
        let now = crate::fresh::now_ms();
        let mut cache = self.assessments.0.lock().await;
        if let Some((seen, at, a)) = cache.get(&year.start()) {
            if *seen == writes && now.saturating_sub(*at) < TRUSTED_MS && a.rules == *rules {
                return Ok(a.clone());
            }
        }
        let a = Arc::new(self.assessment(year, rules).await?);
        cache.insert(year.start(), (writes, now, a.clone()));
        Ok(a)
    }

    async fn assessment_years(&self) -> Result<Vec<SchoolYear>> {
        use indicator_value::Column as C;
        let mut starts: Vec<i32> = indicator_value::Entity::find()
            .select_only()
            .column(C::LastYear)
            .distinct()
            .filter(Expr::col(C::FirstYear).equals(C::LastYear))
            .filter(C::Level.eq(Level::Municipality.code()))
            .into_tuple()
            .all(&self.db)
            .await?;
        starts.sort_unstable_by(|a, b| b.cmp(a));
        starts
            .into_iter()
            .map(|s| Ok(SchoolYear::parse("period", &format!("{}-{}", s, s + 1))?))
            .collect()
    }
}
