//! The values progress is computed from: current (or as-of) values by indicator and
//! disaggregation, then country, then year.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One country's values of one series, by year.
pub type YearValues = BTreeMap<i32, f64>;

/// All values, indexed for aggregation.
#[derive(Debug, Clone, Default)]
pub struct DataSet {
    series: HashMap<(String, String), HashMap<String, YearValues>>,
    len: usize,
}

impl DataSet {
    /// Sets a value (replacing any earlier one for the same key).
    pub fn insert(&mut self, indicator: &str, disaggregation: &str, country: &str, year: i32, value: f64) {
        let by_country = self.series.entry((indicator.to_string(), disaggregation.to_string())).or_default();
        if by_country.entry(country.to_string()).or_default().insert(year, value).is_none() {
            self.len += 1;
        }
    }

    /// Removes a value (a withdrawal).
    pub fn remove(&mut self, indicator: &str, disaggregation: &str, country: &str, year: i32) {
        let key = (indicator.to_string(), disaggregation.to_string());
        let removed = self
            .series
            .get_mut(&key)
            .and_then(|by_country| by_country.get_mut(country))
            .and_then(|years| years.remove(&year));
        if removed.is_some() {
            self.len -= 1;
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A country's values of a series.
    pub fn country(&self, indicator: &str, disaggregation: &str, country: &str) -> Option<&YearValues> {
        self.series.get(&(indicator.to_string(), disaggregation.to_string()))?.get(country)
    }

    /// Every country's values of a series (resolve once, then look countries up).
    pub fn series(&self, indicator: &str, disaggregation: &str) -> Option<&HashMap<String, YearValues>> {
        self.series.get(&(indicator.to_string(), disaggregation.to_string()))
    }

    /// The value for a year, or the latest earlier one within `carry_forward` years
    /// (then flagged as imputed).
    pub fn value(
        &self,
        indicator: &str,
        disaggregation: &str,
        country: &str,
        year: i32,
        carry_forward: u32,
    ) -> Option<(f64, bool)> {
        value_in(self.country(indicator, disaggregation, country)?, year, carry_forward)
    }
}

/// A value of one country's series for a year, or its latest earlier one within
/// `carry_forward` years (then flagged as imputed).
pub fn value_in(years: &YearValues, year: i32, carry_forward: u32) -> Option<(f64, bool)> {
    let earliest = year.saturating_sub(i32::try_from(carry_forward).unwrap_or(i32::MAX));
    years.range(earliest..=year).next_back().map(|(y, v)| (*v, *y != year))
}

impl DataSet {
    /// Every year with a value of a series, in any country.
    pub fn years(&self, indicator: &str, disaggregation: &str) -> BTreeSet<i32> {
        self.series
            .get(&(indicator.to_string(), disaggregation.to_string()))
            .map(|by_country| by_country.values().flat_map(|years| years.keys().copied()).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::DataSet;

    #[test]
    fn values_carry_forward_only_within_the_allowed_years() {
        let mut data = DataSet::default();
        data.insert("x", "", "KEN", 2018, 10.0);
        data.insert("x", "", "KEN", 2021, 12.0);
        assert_eq!(data.value("x", "", "KEN", 2021, 0), Some((12.0, false)));
        assert_eq!(data.value("x", "", "KEN", 2020, 0), None);
        assert_eq!(data.value("x", "", "KEN", 2020, 2), Some((10.0, true)));
        assert_eq!(data.value("x", "", "KEN", 2020, 1), None);
        assert_eq!(data.value("x", "", "KEN", 2023, 2), Some((12.0, true)));
        data.insert("x", "", "KEN", 2021, 13.0);
        assert_eq!(data.len(), 2, "replacing does not add");
        data.remove("x", "", "KEN", 2021);
        assert_eq!(data.len(), 1);
        assert_eq!(data.years("x", "").into_iter().collect::<Vec<_>>(), vec![2018]);
    }
}
