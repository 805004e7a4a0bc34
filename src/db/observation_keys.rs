//! What each observation is, by id. An observation's key never changes once it exists, so it
//! is learned once, while the current values load, and a past state is read as (observation,
//! value) pairs instead of joining every value to its key again.

use super::schema::observations;
use super::{DbConnection, DbError, DbResult};
use crate::domain::tracking::DataSet;
use diesel::prelude::*;
use foldhash::HashSet;
use std::sync::Arc;

/// Observation ids asked of the database at once, for keys not learned yet.
const LOOKUP_CHUNK: usize = 5000;

/// An observation's key, its texts shared with every other key.
#[derive(Debug, Clone)]
struct Key {
    indicator: Arc<str>,
    disaggregation: Arc<str>,
    country: Arc<str>,
    year: i32,
}

/// Keys of observations by id (ids are dense: the application allocates them in order).
#[derive(Debug, Default, Clone)]
pub struct ObservationKeys {
    by_id: Vec<Option<Key>>,
    texts: HashSet<Arc<str>>,
}

/// A value of an observation as known at some moment: (observation id, value, withdrawn).
pub type PastValue = (i64, Option<f64>, bool);

impl ObservationKeys {
    /// Remembers an observation's key.
    pub fn learn(&mut self, id: i64, indicator: &str, disaggregation: &str, country: &str, year: i32) {
        let Ok(at) = usize::try_from(id) else { return };
        let key = Key {
            indicator: self.shared(indicator),
            disaggregation: self.shared(disaggregation),
            country: self.shared(country),
            year,
        };
        if self.by_id.len() <= at {
            self.by_id.resize(at + 1, None);
        }
        self.by_id[at] = Some(key);
    }

    fn shared(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.texts.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = text.into();
        self.texts.insert(shared.clone());
        shared
    }

    fn get(&self, id: i64) -> Option<&Key> {
        self.by_id.get(usize::try_from(id).ok()?)?.as_ref()
    }

    /// Applies values to a data set, in order; keys not learned yet (observations created
    /// since they were) are read from the database first.
    pub fn apply(&self, conn: &mut DbConnection, data: &mut DataSet, values: &[PastValue]) -> DbResult<()> {
        let unknown: Vec<i64> = values.iter().map(|v| v.0).filter(|id| self.get(*id).is_none()).collect();
        let mut found = ObservationKeys::default();
        for chunk in unknown.chunks(LOOKUP_CHUNK) {
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
        for &(id, value, withdrawn) in values {
            let key = self.get(id).or_else(|| found.get(id)).ok_or_else(|| {
                DbError::Inconsistent(format!("a revision names observation {id}, which does not exist"))
            })?;
            match (withdrawn, value) {
                (false, Some(value)) => data.insert(&key.indicator, &key.disaggregation, &key.country, key.year, value),
                _ => data.remove(&key.indicator, &key.disaggregation, &key.country, key.year),
            }
        }
        Ok(())
    }
}
