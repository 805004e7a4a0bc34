//! What each observation is, by id. An observation's key never changes once it exists, so it
//! is learned once, while the current values load, and a past state is read as (observation,
//! value) pairs instead of joining every value to its key again.

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
/// a place in one of the country series learned, so that a whole state is built series by
/// series instead of value by value.
#[derive(Debug, Default, Clone)]
pub struct ObservationKeys {
    by_id: Vec<Option<Place>>,
    series: Vec<SeriesKey>,
    /// Series by the addresses of their shared texts (each text is stored once).
    series_index: HashMap<[usize; 3], u32>,
    texts: HashSet<Arc<str>>,
}

/// A value of an observation as known at some moment: (observation id, value, withdrawn).
pub type PastValue = (i64, Option<f64>, bool);

impl ObservationKeys {
    /// Remembers an observation's key.
    pub fn learn(&mut self, id: i64, indicator: &str, disaggregation: &str, country: &str, year: i32) {
        let Ok(at) = usize::try_from(id) else { return };
        let key = (self.shared(indicator), self.shared(disaggregation), self.shared(country));
        let address = [key.0.as_ptr() as usize, key.1.as_ptr() as usize, key.2.as_ptr() as usize];
        let next = u32::try_from(self.series.len()).expect("fewer than 2^32 series");
        let series = *self.series_index.entry(address).or_insert(next);
        if series == next {
            self.series.push(key);
        }
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

    /// The data set holding these values, given (in chunks) in the order they were recorded:
    /// an observation's last value wins. Keys not learned yet (observations created since they
    /// were) are read from the database first.
    pub fn data_set(&self, conn: &mut DbConnection, chunks: &[Vec<PastValue>]) -> DbResult<DataSet> {
        // Grouped by series in one array (counted, then placed: no vector per series to grow),
        // each series' values still in the order they were recorded.
        let mut starts = vec![0usize; self.series.len() + 1];
        let mut placed = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        let mut unknown = Vec::new();
        for &(id, value, withdrawn) in chunks.iter().flatten() {
            let value = value.filter(|_| !withdrawn);
            match self.place(id) {
                Some(place) => {
                    starts[place.series as usize + 1] += 1;
                    placed.push((place, value));
                }
                None => unknown.push((id, value)),
            }
        }
        for series in 1..starts.len() {
            starts[series] += starts[series - 1];
        }
        let mut grouped = vec![(0, None); placed.len()];
        let mut next = starts.clone();
        for (place, value) in placed {
            let at = &mut next[place.series as usize];
            grouped[*at] = (place.year, value);
            *at += 1;
        }
        let mut data = DataSet::default();
        for (series, (indicator, disaggregation, country)) in self.series.iter().enumerate() {
            let years = last_values(&mut grouped[starts[series]..starts[series + 1]]);
            if !years.is_empty() {
                data.insert_series(indicator, disaggregation, country, years);
            }
        }
        let found = Self::read(conn, unknown.iter().map(|u| u.0))?;
        for (id, value) in unknown {
            let place = found.place(id).ok_or_else(|| {
                DbError::Inconsistent(format!("a revision names observation {id}, which does not exist"))
            })?;
            let (indicator, disaggregation, country) = &found.series[place.series as usize];
            match value {
                Some(value) => data.insert(indicator, disaggregation, country, place.year, value),
                None => data.remove(indicator, disaggregation, country, place.year),
            }
        }
        Ok(data)
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

/// A series' values by year, from values in the order they were recorded (the last of a year
/// wins; none: withdrawn). Built whole from sorted years, not year by year: building a past
/// state's series one insert at a time took a fifth longer.
fn last_values(values: &mut [(i32, Option<f64>)]) -> YearValues {
    // Stable, so that the values of a year stay in the order they were recorded.
    values.sort_by_key(|&(year, _)| year);
    let mut years = values.iter().peekable();
    std::iter::from_fn(|| {
        let (year, value) = *years.next()?;
        // The last of the year's values, the one it ends with.
        let last = std::iter::from_fn(|| years.next_if(|next| next.0 == year)).last().map_or(value, |next| next.1);
        Some((year, last))
    })
    .filter_map(|(year, value)| Some((year, value?)))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::last_values;

    #[test]
    fn the_last_value_recorded_of_each_year_wins_and_a_withdrawal_removes_the_year() {
        let mut recorded = [(2021, Some(1.0)), (2020, Some(5.0)), (2021, Some(2.0)), (2019, Some(3.0)), (2019, None)];
        let years = last_values(&mut recorded);
        assert_eq!(years.into_iter().collect::<Vec<_>>(), [(2020, 5.0), (2021, 2.0)]);
        let mut withdrawn_then_reported = [(2018, None), (2018, Some(7.0))];
        assert_eq!(last_values(&mut withdrawn_then_reported).get(&2018), Some(&7.0));
    }
}
