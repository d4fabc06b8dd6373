//! Guidance in the store: indicator values ([`Indicators`]: imported all or nothing with
//! suppression applied, read with every hidden value masked) and the assessment of school
//! owners by the directorate's rules ([`Assessments`]), the decisions on owners
//! ([`Selection`]) and guidance cases ([`Cases`]). Rules come from
//! `headway_domain::guidance`.

mod assessment;
mod cases;
mod casework;
#[cfg(feature = "fixtures")]
pub mod demo;
pub mod entities;
mod evaluation;
pub(crate) mod import;
pub(crate) mod places;
mod selection;

pub use assessment::{AssessedUnit, Assessment, AssessmentCache, Assessments};
pub use cases::{CaseDetail, CaseSummary, Cases, NewCase, OutputRow, SignOff};
pub use casework::{CaseWork, GoalRow, MeasureRow, MeetingRow, NewMeeting, ReferralRow};
pub use evaluation::{Evaluation, Snapshot, SnapshotValue};
pub use places::{NewOwnerNetwork, SmallOwnerList, SmallOwners};
pub use selection::{DecisionRow, NewDecision, Selection};

use crate::{Result, Store, StoreError};
use entities::indicator_value;
use headway_domain::guidance::indicators::{Level, Period};
use headway_domain::guidance::suppression::Hidden;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;

/// A published indicator value: when hidden, neither value nor count is given, only why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorValue {
    pub indicator: String,
    pub level: Level,
    pub unit: String,
    pub unit_name: String,
    pub parent: Option<String>,
    pub period: Period,
    pub subgroup: String,
    pub value: Option<f64>,
    pub count: Option<u32>,
    pub hidden: Option<Hidden>,
}

impl TryFrom<indicator_value::Model> for IndicatorValue {
    type Error = StoreError;

    fn try_from(m: indicator_value::Model) -> Result<Self> {
        let hidden = m.hidden.as_deref().map(Hidden::parse).transpose()?;
        let shown = hidden.is_none();
        Ok(Self {
            level: Level::parse(&m.level)?,
            period: Period::parse("period", &m.period)?,
            indicator: m.indicator,
            unit: m.unit_key,
            unit_name: m.unit_name,
            parent: m.parent_key,
            subgroup: m.subgroup,
            value: m.value.filter(|_| shown),
            count: m.count.filter(|_| shown).map(|c| c.max(0) as u32),
            hidden,
        })
    }
}

/// Which values to read; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct IndicatorQuery {
    /// These units.
    pub units: Vec<String>,
    /// Or the units that add up into this one (a county's municipalities).
    pub parent: Option<String>,
    pub indicator: Option<String>,
    /// A period's key (`2024-25`, `2022-23..2024-25`).
    pub period: Option<String>,
    /// A subgroup's key; `None`: every subgroup.
    pub subgroup: Option<String>,
}

/// A unit indicators are kept for, named as its latest period names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorUnit {
    pub key: String,
    pub name: String,
    pub level: Level,
}

/// Reading published indicator values.
#[async_trait::async_trait]
pub trait Indicators {
    /// The values `q` asks for, by indicator, period and unit; one query.
    async fn indicator_values(&self, q: &IndicatorQuery) -> Result<Vec<IndicatorValue>>;
    /// The counties and municipalities with values, by key; read again at most every 30 s
    /// or after this server wrote.
    async fn indicator_units(&self) -> Result<Vec<IndicatorUnit>>;
    /// The periods with values for `unit` (every unit: `None`), latest first.
    async fn indicator_periods(&self, unit: Option<&str>) -> Result<Vec<Period>>;
}

#[async_trait::async_trait]
impl Indicators for Store {
    async fn indicator_values(&self, q: &IndicatorQuery) -> Result<Vec<IndicatorValue>> {
        use indicator_value::Column as C;
        let mut find = indicator_value::Entity::find();
        if !q.units.is_empty() {
            find = find.filter(C::UnitKey.is_in(q.units.iter().cloned()));
        }
        if let Some(p) = &q.parent {
            find = find.filter(C::ParentKey.eq(p.as_str()));
        }
        if let Some(i) = &q.indicator {
            find = find.filter(C::Indicator.eq(i.as_str()));
        }
        if let Some(p) = &q.period {
            find = find.filter(C::Period.eq(p.as_str()));
        }
        if let Some(s) = &q.subgroup {
            find = find.filter(C::Subgroup.eq(s.as_str()));
        }
        find.order_by_asc(C::Indicator)
            .order_by_asc(C::FirstYear)
            .order_by_asc(C::LastYear)
            .order_by_asc(C::UnitName)
            .order_by_asc(C::Subgroup)
            .all(&self.db)
            .await?
            .into_iter()
            .map(IndicatorValue::try_from)
            .collect()
    }

    async fn indicator_units(&self) -> Result<Vec<IndicatorUnit>> {
        let cached = self
            .indicator_units
            .get(&self.writes, async |u| {
                *u = Some(read_units(self).await?);
                Ok(())
            })
            .await?;
        Ok(cached.clone().unwrap_or_default())
    }

    async fn indicator_periods(&self, unit: Option<&str>) -> Result<Vec<Period>> {
        use indicator_value::Column as C;
        let mut find = indicator_value::Entity::find()
            .select_only()
            .column(C::Period)
            .distinct();
        if let Some(u) = unit {
            find = find.filter(C::UnitKey.eq(u));
        }
        let keys: Vec<String> = find.into_tuple().all(&self.db).await?;
        let mut periods = keys
            .iter()
            .map(|k| Ok(Period::parse("period", k)?))
            .collect::<Result<Vec<_>>>()?;
        periods.sort_by_key(|p| std::cmp::Reverse((p.last, p.first)));
        Ok(periods)
    }
}

/// The counties and municipalities with values, each named as its latest period names it.
async fn read_units(store: &Store) -> Result<Vec<IndicatorUnit>> {
    use indicator_value::Column as C;
    let rows: Vec<(String, String, String, i32)> = indicator_value::Entity::find()
        .select_only()
        .columns([C::UnitKey, C::UnitName, C::Level, C::LastYear])
        .distinct()
        .filter(C::Level.is_in([Level::County.code(), Level::Municipality.code()]))
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut latest: HashMap<String, (i32, String, String)> = HashMap::new();
    for (key, name, level, year) in rows {
        let e = latest
            .entry(key)
            .or_insert((i32::MIN, String::new(), String::new()));
        if year > e.0 {
            *e = (year, name, level);
        }
    }
    let mut units = latest
        .into_iter()
        .map(|(key, (_, name, level))| {
            Ok(IndicatorUnit {
                key,
                name,
                level: Level::parse(&level)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    units.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(units)
}
