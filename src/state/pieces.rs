//! Parts of answers kept by the content of what they read: the overview recomputes only the
//! targets whose indicators changed, and takes the others from here.

use crate::domain::tracking::GroupProgress;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Most pieces kept; all are dropped beyond (they are cheap to compute again one by one).
const MAX_PIECES: usize = 4096;

type Piece = ((u64, u64), Option<GroupProgress>);

/// Targets' headline progress, by target and options, marked by the values they read.
#[derive(Default)]
pub struct Pieces {
    headlines: Mutex<HashMap<String, Piece>>,
    computed: AtomicU64,
}

impl Pieces {
    /// The headline kept under `key` for values marked `mark` (see `DataSet::mark`), else
    /// `compute`d and kept.
    pub fn headline(
        &self,
        key: String,
        mark: (u64, u64),
        compute: impl FnOnce() -> Option<GroupProgress>,
    ) -> Option<GroupProgress> {
        if let Some((kept, headline)) = self.headlines.lock().ok().and_then(|m| m.get(&key).cloned()) {
            if kept == mark {
                return headline;
            }
        }
        self.computed.fetch_add(1, Ordering::Relaxed);
        let headline = compute();
        if let Ok(mut headlines) = self.headlines.lock() {
            if headlines.len() >= MAX_PIECES {
                headlines.clear();
            }
            headlines.insert(key, (mark, headline.clone()));
        }
        headline
    }

    /// Headlines computed since start-up.
    pub fn computed(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }
}
