//! The guidance settings an installation may change (`[guidance]` in `headway.toml`):
//! every number of the assessment, and per indicator its absolute limit, weight and least
//! count. The directorate publishes neither its absolute limits nor its spread level, so
//! an agency sets its own; every result shows the values in force.

use super::assessment::Rules;
use super::indicators::{definition, INDICATORS};
use super::places::SmallOwnerRules;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuidanceSettings {
    pub lookback_years: u32,
    pub national_points: u32,
    pub absolute_points: u32,
    pub first_count: usize,
    pub second_count: usize,
    pub spread_level: f64,
    pub top_schools: f64,
    /// Absolute limits by indicator code, where they differ from the definitions'.
    pub absolute: BTreeMap<String, f64>,
    /// Weights by indicator code, where they differ from the definitions'.
    pub weight: BTreeMap<String, u32>,
    /// Least counts by indicator code (values on fewer are hidden), where they differ.
    pub least_count: BTreeMap<String, u32>,
    /// Owners with at most this many schools are offered networks across borders.
    pub small_owner_schools: u32,
    /// About this many owners per suggested network.
    pub small_network_size: usize,
}

impl Default for GuidanceSettings {
    fn default() -> Self {
        let r = Rules::default();
        Self {
            lookback_years: r.lookback_years,
            national_points: r.national_points,
            absolute_points: r.absolute_points,
            first_count: r.first_count,
            second_count: r.second_count,
            spread_level: r.spread_level,
            top_schools: r.top_schools,
            absolute: BTreeMap::new(),
            weight: BTreeMap::new(),
            least_count: BTreeMap::new(),
            small_owner_schools: 2,
            small_network_size: 5,
        }
    }
}

impl GuidanceSettings {
    /// The assessment's rules; a setting that cannot work is named.
    pub fn rules(&self) -> Result<Rules, String> {
        let known = |section: &str, code: &str| {
            definition(code).map(|_| ()).ok_or_else(|| {
                format!(
                    "guidance.{section}.{code}: no such indicator (known: {})",
                    INDICATORS.map(|d| d.code).join(", ")
                )
            })
        };
        for c in self.absolute.keys() {
            known("absolute", c)?;
        }
        for c in self.weight.keys() {
            known("weight", c)?;
        }
        for c in self.least_count.keys() {
            known("least_count", c)?;
        }
        if !(1..=10).contains(&self.lookback_years) {
            return Err("guidance.lookback_years: from 1 to 10".into());
        }
        if !(0.0..=1.0).contains(&self.top_schools) {
            return Err("guidance.top_schools: a fraction from 0 to 1".into());
        }
        if !(0.0..=100.0).contains(&self.spread_level) {
            return Err("guidance.spread_level: percentage points from 0 to 100".into());
        }
        let mut rules = Rules {
            lookback_years: self.lookback_years,
            national_points: self.national_points,
            absolute_points: self.absolute_points,
            first_count: self.first_count,
            second_count: self.second_count,
            spread_level: self.spread_level,
            top_schools: self.top_schools,
            ..Rules::default()
        };
        for i in rules.indicators.iter_mut() {
            if let Some(a) = self.absolute.get(&i.code) {
                i.absolute = *a;
            }
            if let Some(w) = self.weight.get(&i.code) {
                i.weight = *w;
            }
        }
        Ok(rules)
    }

    /// What counts as a small owner by default, and its networks' size.
    pub fn small_owners(&self) -> Result<SmallOwnerRules, String> {
        SmallOwnerRules::new(self.small_owner_schools, self.small_network_size).map_err(|e| match e
            .field
        {
            "size" => format!("guidance.small_network_size: {}", e.problem),
            _ => format!("guidance.small_owner_schools: {}", e.problem),
        })
    }

    /// The least counts that differ from the definitions'.
    pub fn least_counts(&self) -> HashMap<String, u32> {
        self.least_count.clone().into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_override_the_definitions_and_bad_ones_are_named() {
        let mut s = GuidanceSettings::default();
        assert_eq!(s.rules().unwrap(), Rules::default());
        s.absolute.insert("np_reading_5".into(), 44.0);
        s.weight.insert("points_10".into(), 2);
        let r = s.rules().unwrap();
        assert_eq!(r.indicator("np_reading_5").unwrap().absolute, 44.0);
        assert_eq!(r.indicator("points_10").unwrap().weight, 2);
        assert_eq!(r.indicator("np_reading_8").unwrap().absolute, 45.0);
        s.least_count.insert("np_lesing".into(), 5);
        assert!(s
            .rules()
            .unwrap_err()
            .contains("guidance.least_count.np_lesing"));
        let s = GuidanceSettings {
            top_schools: 2.0,
            ..Default::default()
        };
        assert!(s.rules().unwrap_err().contains("top_schools"));
        assert_eq!(
            GuidanceSettings::default().small_owners().unwrap(),
            SmallOwnerRules::new(2, 5).unwrap()
        );
        let s = GuidanceSettings {
            small_network_size: 1,
            ..Default::default()
        };
        assert!(s.small_owners().unwrap_err().contains("size"));
    }
}
