//! The values progress is computed from: current (or as-of) values by indicator and
//! disaggregation, then country, then year.

use crate::domain::estimation::YearValues;
use std::collections::BTreeSet;
// foldhash: a fast hash for keys that come from the catalogue, looked up millions of times
// per computation (SipHash, the standard one, resists collisions built by attackers).
use foldhash::{HashMap, HashMapExt};
use std::sync::atomic::{AtomicU64, Ordering};

/// Data sets started so far: each new one has a lineage of its own.
static LINEAGES: AtomicU64 = AtomicU64::new(1);

/// All values, indexed for aggregation.
#[derive(Debug, Clone)]
pub struct DataSet {
    /// Indicator, then disaggregation, then country: nested so that lookups by `&str` allocate
    /// nothing (a tuple of owned strings as key would need both allocated for every lookup).
    series: HashMap<String, HashMap<String, HashMap<String, YearValues>>>,
    len: usize,
    /// Shared by the copies of one data set (a copy made to change it keeps it).
    lineage: u64,
    /// Changes per indicator since the data set was started.
    changes: HashMap<String, u64>,
}

impl Default for DataSet {
    fn default() -> Self {
        Self {
            series: HashMap::new(),
            len: 0,
            lineage: LINEAGES.fetch_add(1, Ordering::Relaxed),
            changes: HashMap::new(),
        }
    }
}

impl DataSet {
    /// Sets a value (replacing any earlier one for the same key).
    pub fn insert(&mut self, indicator: &str, disaggregation: &str, country: &str, year: i32, value: f64) {
        self.count_change(indicator);
        let by_breakdown = get_or_insert(&mut self.series, indicator);
        let by_country = get_or_insert(by_breakdown, disaggregation);
        if get_or_insert(by_country, country).insert(year, value).is_none() {
            self.len += 1;
        }
    }

    /// Sets a country's values of a series, several years at once (a data set being built
    /// series by series).
    pub fn insert_series(&mut self, indicator: &str, disaggregation: &str, country: &str, years: YearValues) {
        let given = years.len() as u64;
        *get_or_insert(&mut self.changes, indicator) += given;
        let held = get_or_insert(get_or_insert(get_or_insert(&mut self.series, indicator), disaggregation), country);
        if held.is_empty() {
            self.len += years.len();
            *held = years;
        } else {
            for (year, value) in years {
                if held.insert(year, value).is_none() {
                    self.len += 1;
                }
            }
        }
    }

    /// Removes a value (a withdrawal).
    pub fn remove(&mut self, indicator: &str, disaggregation: &str, country: &str, year: i32) {
        let removed = self
            .series
            .get_mut(indicator)
            .and_then(|by_breakdown| by_breakdown.get_mut(disaggregation))
            .and_then(|by_country| by_country.get_mut(country))
            .and_then(|years| years.remove(&year));
        if removed.is_some() {
            self.len -= 1;
            self.count_change(indicator);
        }
    }

    fn count_change(&mut self, indicator: &str) {
        *get_or_insert(&mut self.changes, indicator) += 1;
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.len
    }

    /// A mark of the values of these indicators: two data sets (or one at two moments) with
    /// the same mark hold the same values of them, so what is computed from those values alone
    /// can be kept under it.
    pub fn mark(&self, indicators: &[String]) -> (u64, u64) {
        (self.lineage, indicators.iter().map(|code| self.changes.get(code).copied().unwrap_or(0)).sum())
    }

    /// Number of values of these indicators.
    pub fn len_of(&self, indicators: &[String]) -> usize {
        indicators
            .iter()
            .filter_map(|code| self.series.get(code))
            .flat_map(HashMap::values)
            .map(|by_country| by_country.values().map(|years| years.len()).sum::<usize>())
            .sum()
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A country's values of a series.
    pub fn country(&self, indicator: &str, disaggregation: &str, country: &str) -> Option<&YearValues> {
        self.series(indicator, disaggregation)?.get(country)
    }

    /// Every country's values of a series (resolve once, then look countries up).
    pub fn series(&self, indicator: &str, disaggregation: &str) -> Option<&HashMap<String, YearValues>> {
        self.series.get(indicator)?.get(disaggregation)
    }

    /// Every year with a value of a series, in any country.
    pub fn years(&self, indicator: &str, disaggregation: &str) -> BTreeSet<i32> {
        self.series(indicator, disaggregation)
            .map(|by_country| by_country.values().flat_map(|years| years.keys().copied()).collect())
            .unwrap_or_default()
    }
}

/// The entry of `key`, inserted empty if missing; the key is copied only then.
fn get_or_insert<'a, V: Default>(map: &'a mut HashMap<String, V>, key: &str) -> &'a mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key).expect("present: inserted just above")
}

#[cfg(test)]
mod tests {
    use super::DataSet;

    #[test]
    fn values_are_replaced_and_withdrawn_by_key() {
        let mut data = DataSet::default();
        data.insert("x", "", "KEN", 2018, 10.0);
        data.insert("x", "", "KEN", 2021, 12.0);
        assert_eq!(data.country("x", "", "KEN").and_then(|s| s.get(&2021)), Some(&12.0));
        data.insert("x", "", "KEN", 2021, 13.0);
        assert_eq!(data.len(), 2, "replacing does not add");
        data.remove("x", "", "KEN", 2021);
        assert_eq!(data.len(), 1);
        assert_eq!(data.years("x", "").into_iter().collect::<Vec<_>>(), vec![2018]);
    }

    #[test]
    fn a_series_set_at_once_counts_like_its_values_set_one_by_one() {
        let mut data = DataSet::default();
        data.insert_series("x", "", "KEN", [(2018, 10.0), (2021, 12.0)].into());
        data.insert_series("x", "", "KEN", [(2021, 13.0), (2022, 14.0)].into());
        data.insert_series("y", "", "KEN", [(2020, 1.0)].into());
        assert_eq!(data.len(), 4, "the replaced 2021 counts once");
        assert_eq!(data.len_of(&["x".into()]), 3);
        let years = data.country("x", "", "KEN").expect("the series");
        assert_eq!(years.iter().map(|(y, v)| (*y, *v)).collect::<Vec<_>>(), [(2018, 10.0), (2021, 13.0), (2022, 14.0)]);
        let before = data.mark(&["x".into()]);
        data.insert_series("y", "", "UGA", [(2020, 2.0)].into());
        assert_eq!(data.mark(&["x".into()]), before, "another indicator's values leave x's mark alone");
        data.insert_series("x", "", "UGA", [(2020, 2.0)].into());
        assert_ne!(data.mark(&["x".into()]), before);
    }
}
