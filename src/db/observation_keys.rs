//! What each observation is, by id. An observation's key never changes once it exists, so it
//! is learned once, while the current values load, and a past state is read as values by
//! observation id instead of joining every value to its key again.

use super::schema::observations;
use super::{DbConnection, DbError, DbResult};
use crate::domain::estimation::YearValues;
use crate::domain::tracking::DataSet;
use diesel::prelude::*;
use foldhash::{HashMap, HashSet};
use std::sync::Arc;

/// Observation ids asked of the database at once, for keys not learned yet.
const LOOKUP_CHUNK: usize = 5000;

/// A country's series: (indicator, disaggregation, country), texts shared with every other.
type SeriesKey = (Arc<str>, Arc<str>, Arc<str>);

/// Where an observation's value goes: its series (an index into the series learned) and year.
#[derive(Debug, Clone, Copy)]
struct Place {
    series: u32,
    year: i32,
}

/// Keys of observations by id (ids are dense: the application allocates them in order), each
/// a place in one of the country series learned, and each series' observations by year, so
/// that a whole state is built series by series instead of value by value.
#[derive(Debug, Default, Clone)]
pub struct ObservationKeys {
    by_id: Vec<Option<Place>>,
    series: Vec<Series>,
    /// Series by the addresses of their shared texts (each text is stored once).
    series_index: HashMap<[usize; 3], u32>,
    texts: HashSet<Arc<str>>,
}

/// A country series learned: its key, and its observations (year, id) in order of year.
#[derive(Debug, Clone)]
struct Series {
    key: SeriesKey,
    observations: Vec<(i32, usize)>,
}

impl ObservationKeys {
    /// Remembers an observation's key.
    pub fn learn(&mut self, id: i64, indicator: &str, disaggregation: &str, country: &str, year: i32) {
        let Ok(at) = usize::try_from(id) else { return };
        if self.by_id.get(at).is_some_and(Option::is_some) {
            return;
        }
        let key = (self.shared(indicator), self.shared(disaggregation), self.shared(country));
        let address = [key.0.as_ptr() as usize, key.1.as_ptr() as usize, key.2.as_ptr() as usize];
        let next = u32::try_from(self.series.len()).expect("fewer than 2^32 series");
        let series = *self.series_index.entry(address).or_insert(next);
        if series == next {
            self.series.push(Series { key, observations: Vec::new() });
        }
        let observations = &mut self.series[series as usize].observations;
        let before = observations.partition_point(|&(earlier, _)| earlier < year);
        observations.insert(before, (year, at));
        if self.by_id.len() <= at {
            self.by_id.resize(at + 1, None);
        }
        self.by_id[at] = Some(Place { series, year });
    }

    fn shared(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.texts.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = text.into();
        self.texts.insert(shared.clone());
        shared
    }

    fn place(&self, id: i64) -> Option<Place> {
        *self.by_id.get(usize::try_from(id).ok()?)?
    }

    /// The data set of these values, by observation id (none: not reported, or withdrawn).
    /// Keys not learned yet (observations created since they were) are read from the database
    /// first.
    pub fn data_set(&self, conn: &mut DbConnection, values: &[Option<f64>]) -> DbResult<DataSet> {
        let mut data = self.known_series(values);
        let unknown: Vec<(i64, f64)> = values
            .iter()
            .enumerate()
            .filter(|&(id, _)| self.by_id.get(id).is_none_or(Option::is_none))
            .filter_map(|(id, value)| Some((id as i64, (*value)?)))
            .collect();
        let found = Self::read(conn, unknown.iter().map(|u| u.0))?;
        for (id, value) in unknown {
            let place = found.place(id).ok_or_else(|| {
                DbError::Inconsistent(format!("a revision names observation {id}, which does not exist"))
            })?;
            let (indicator, disaggregation, country) = &found.series[place.series as usize].key;
            data.insert(indicator, disaggregation, country, place.year, value);
        }
        Ok(data)
    }

    /// The data set of every learned series' values (`values` by observation id): each
    /// series' years are already in order, so its map is built whole, not one insert at a
    /// time.
    fn known_series(&self, values: &[Option<f64>]) -> DataSet {
        let mut data = DataSet::default();
        for Series { key: (indicator, disaggregation, country), observations } in &self.series {
            let years: YearValues =
                observations.iter().filter_map(|&(year, id)| Some((year, (*values.get(id)?)?))).collect();
            if !years.is_empty() {
                data.insert_series(indicator, disaggregation, country, years);
            }
        }
        data
    }

    /// The keys of these observations, read from the database.
    fn read(conn: &mut DbConnection, ids: impl Iterator<Item = i64>) -> DbResult<Self> {
        let ids: Vec<i64> = ids.collect();
        let mut found = Self::default();
        for chunk in ids.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(i64, String, String, String, i32)> = observations::table
                .filter(observations::id.eq_any(chunk))
                .select((
                    observations::id,
                    observations::indicator,
                    observations::disaggregation,
                    observations::country,
                    observations::year,
                ))
                .load(conn)?;
            for (id, indicator, disaggregation, country, year) in rows {
                found.learn(id, &indicator, &disaggregation, &country, year);
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::ObservationKeys;

    #[test]
    fn every_learned_series_gets_its_values_and_a_series_without_any_is_left_out() {
        let mut keys = ObservationKeys::default();
        for (id, year) in [(1, 2021), (2, 2020), (3, 2019), (4, 2018)] {
            keys.learn(id, "internet", "_T", "KEN", year);
        }
        keys.learn(5, "internet", "_T", "UGA", 2021);
        keys.learn(9, "internet", "_T", "TZA", 2021);
        // By id: 3 withdrawn, 5 not reported yet, 9 created after these values were known.
        let values = [None, Some(2.0), Some(5.0), None, Some(7.0), None];
        let data = keys.known_series(&values);
        let years: Vec<_> =
            data.country("internet", "_T", "KEN").expect("Kenya's series").clone().into_iter().collect();
        assert_eq!(years, [(2018, 7.0), (2020, 5.0), (2021, 2.0)]);
        assert_eq!(data.country("internet", "_T", "UGA"), None, "a series never reported is not in the data set");
        assert_eq!(data.country("internet", "_T", "TZA"), None, "nor one created later");
        assert_eq!(data.len(), 3);
    }
}
