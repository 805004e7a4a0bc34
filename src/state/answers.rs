//! Computed answers: the latest one per question (served stale for a bounded time while its
//! successor is computed), immutable answers about past instants (least recently used first
//! out), and the computations in flight, so that one question is computed once however many
//! ask it at the same time.

use actix_web::web::Bytes;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most questions whose latest answer is kept, and their largest total size (each distinct
/// query string is a question, so anyone can ask for new ones).
const MAX_CURRENT: usize = 512;
const MAX_CURRENT_BYTES: usize = 64 << 20;
/// Most answers about past instants kept, and their largest total size.
const MAX_PAST: usize = 256;
const MAX_PAST_BYTES: usize = 64 << 20;

/// A computed answer in every encoding it is served in (compressed once, when computed).
pub struct Answer {
    /// Strong entity tag of the identity encoding (quoted); see [`Answer::tagged`].
    pub etag: String,
    /// The answer as computed.
    pub identity: Bytes,
    /// The same, gzip-compressed.
    pub gzip: Bytes,
    /// The data version it was computed from.
    pub data_version: i64,
}

impl Answer {
    /// The entity tag of one encoding of the answer tagged `etag`: every encoding is a
    /// representation of its own.
    pub fn tagged(etag: &str, gzip: bool) -> String {
        if gzip {
            format!("{}-gzip\"", etag.trim_end_matches('"'))
        } else {
            etag.to_string()
        }
    }

    fn size(&self) -> usize {
        self.identity.len() + self.gzip.len()
    }
}

/// What the cache holds for a question.
pub enum Lookup {
    /// The answer for the current data.
    Fresh(Arc<Answer>),
    /// An answer computed from older data, superseded this long ago (within the bound).
    Stale(Arc<Answer>, Duration),
    /// Nothing servable.
    Miss,
}

/// Why a computation failed, shared by everyone who waited for it.
pub type Failure = Arc<dyn std::error::Error + Send + Sync>;
/// The outcome of a computation.
pub type Computed = Result<Arc<Answer>, Failure>;
/// A computation in flight, awaited by every request for the same answer.
pub type Flight = Shared<BoxFuture<'static, Computed>>;

struct Latest {
    answer: Arc<Answer>,
    /// The data version of what the answer reads.
    fingerprint: i64,
    /// The latest data version under which the answer was found current.
    checked: i64,
    used: u64,
}

struct Lru<T> {
    entries: HashMap<String, T>,
    clock: u64,
    bytes: usize,
}

impl<T> Default for Lru<T> {
    fn default() -> Self {
        Self { entries: HashMap::new(), clock: 0, bytes: 0 }
    }
}

/// Answers counted since start-up.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Served from memory, current.
    pub hits: u64,
    /// Served from memory while their successor was computed.
    pub stale: u64,
    /// Not in memory (the request waited for a computation).
    pub misses: u64,
    /// Computations run.
    pub computations: u64,
}

/// The answer cache of one instance.
#[derive(Default)]
pub struct Answers {
    max_stale: Duration,
    latest: Mutex<Lru<Latest>>,
    past: Mutex<Lru<(Arc<Answer>, u64)>>,
    flights: Mutex<HashMap<String, Flight>>,
    hits: AtomicU64,
    stale: AtomicU64,
    misses: AtomicU64,
    computations: AtomicU64,
}

fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Answers {
    /// A cache that serves a superseded answer for at most `max_stale` (zero: never).
    pub fn new(max_stale: Duration) -> Self {
        Self { max_stale, ..Self::default() }
    }

    /// The latest answer to `question` when what it reads is at data version `fingerprint`
    /// (the whole data at `global`). A superseded answer is served while `superseded_at`
    /// (when this instance learned of data newer than a version) is at most the bound ago,
    /// unless the client asked for a fresh one (`fresh`).
    pub fn latest(
        &self,
        question: &str,
        (fingerprint, global): (i64, i64),
        fresh: bool,
        now: Instant,
        superseded_at: impl Fn(i64) -> Option<Instant>,
    ) -> Lookup {
        let Ok(mut lru) = self.latest.lock() else { return Lookup::Miss };
        lru.clock += 1;
        let clock = lru.clock;
        let found = match lru.entries.get_mut(question) {
            Some(entry) if entry.fingerprint >= fingerprint => {
                entry.checked = entry.checked.max(global);
                entry.used = clock;
                Lookup::Fresh(entry.answer.clone())
            }
            Some(entry) if !fresh && !self.max_stale.is_zero() => {
                entry.used = clock;
                match superseded_at(entry.checked).map(|at| now.saturating_duration_since(at)) {
                    Some(age) if age <= self.max_stale => Lookup::Stale(entry.answer.clone(), age),
                    _ => Lookup::Miss,
                }
            }
            _ => Lookup::Miss,
        };
        count(match found {
            Lookup::Fresh(_) => &self.hits,
            Lookup::Stale(..) => &self.stale,
            Lookup::Miss => &self.misses,
        });
        found
    }

    /// Keeps `answer` as the latest for `question`, unless a newer one is already there.
    pub fn store_latest(&self, question: &str, (fingerprint, global): (i64, i64), answer: Arc<Answer>) {
        let Ok(mut lru) = self.latest.lock() else { return };
        lru.clock += 1;
        let used = lru.clock;
        if lru.entries.get(question).is_some_and(|entry| entry.fingerprint > fingerprint) {
            return;
        }
        lru.bytes += answer.size() + question.len();
        let latest = Latest { answer, fingerprint, checked: global, used };
        if let Some(old) = lru.entries.insert(question.to_string(), latest) {
            lru.bytes -= old.answer.size() + question.len();
        }
        while lru.entries.len() > MAX_CURRENT || (lru.bytes > MAX_CURRENT_BYTES && lru.entries.len() > 1) {
            if let Some((key, old)) = evict_oldest(&mut lru.entries, |entry| entry.used) {
                lru.bytes -= old.answer.size() + key.len();
            }
        }
    }

    /// An answer about a past instant (they never change).
    pub fn past(&self, key: &str) -> Option<Arc<Answer>> {
        let found = self.past.lock().ok().and_then(|mut lru| {
            lru.clock += 1;
            let clock = lru.clock;
            lru.entries.get_mut(key).map(|(answer, used)| {
                *used = clock;
                answer.clone()
            })
        });
        count(if found.is_some() { &self.hits } else { &self.misses });
        found
    }

    /// Keeps an answer about a past instant, dropping the least recently used beyond the bounds.
    pub fn store_past(&self, key: &str, answer: Arc<Answer>) {
        let Ok(mut lru) = self.past.lock() else { return };
        lru.clock += 1;
        let used = lru.clock;
        lru.bytes += answer.size();
        if let Some((old, _)) = lru.entries.insert(key.to_string(), (answer, used)) {
            lru.bytes -= old.size();
        }
        while lru.entries.len() > MAX_PAST || (lru.bytes > MAX_PAST_BYTES && lru.entries.len() > 1) {
            if let Some((_, (old, _))) = evict_oldest(&mut lru.entries, |(_, used)| *used) {
                lru.bytes -= old.size();
            }
        }
    }

    /// The computation of `key` in flight, or a new one from `start` (which must call
    /// [`Answers::land`] with `key` when it is done).
    pub fn flight(&self, key: &str, start: impl FnOnce() -> BoxFuture<'static, Computed>) -> Flight {
        let mut flights = self.flights.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(flight) = flights.get(key) {
            return flight.clone();
        }
        count(&self.computations);
        let flight = start().shared();
        flights.insert(key.to_string(), flight.clone());
        flight
    }

    /// Forgets a finished computation (its answer is stored first).
    pub fn land(&self, key: &str) {
        if let Ok(mut flights) = self.flights.lock() {
            flights.remove(key);
        }
    }

    /// Answers counted since start-up.
    pub fn counts(&self) -> Counts {
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        Counts {
            hits: load(&self.hits),
            stale: load(&self.stale),
            misses: load(&self.misses),
            computations: load(&self.computations),
        }
    }
}

fn evict_oldest<T>(entries: &mut HashMap<String, T>, used: impl Fn(&T) -> u64) -> Option<(String, T)> {
    let oldest = entries.iter().min_by_key(|(_, entry)| used(entry)).map(|(key, _)| key.clone())?;
    entries.remove_entry(&oldest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(tag: &str) -> Arc<Answer> {
        Arc::new(Answer {
            etag: format!("\"{tag}\""),
            identity: Bytes::from(tag.to_string()),
            gzip: Bytes::new(),
            data_version: 1,
        })
    }

    #[test]
    fn a_superseded_answer_is_served_only_within_the_bound() {
        let answers = Answers::new(Duration::from_secs(1));
        let start = Instant::now();
        answers.store_latest("q", (5, 5), answer("a"));
        // Data newer than version 6 (version 7) was learned at `start`.
        let learned = |version: i64| (version < 7).then_some(start);
        assert!(
            matches!(answers.latest("q", (5, 6), false, start, learned), Lookup::Fresh(_)),
            "another indicator moved"
        );
        let within = start + Duration::from_millis(1000);
        match answers.latest("q", (7, 7), false, within, learned) {
            Lookup::Stale(found, age) => assert_eq!((found.etag.as_str(), age), ("\"a\"", Duration::from_secs(1))),
            _ => panic!("within the bound the previous answer is served"),
        }
        let beyond = start + Duration::from_millis(1001);
        assert!(
            matches!(answers.latest("q", (7, 7), false, beyond, learned), Lookup::Miss),
            "never older than the bound"
        );
        assert!(
            matches!(answers.latest("q", (7, 7), true, start, learned), Lookup::Miss),
            "a fresh answer was asked for"
        );
        let unknown = |_: i64| None;
        assert!(matches!(answers.latest("q", (7, 7), false, start, unknown), Lookup::Miss), "onset unknown: too old");
        let never_stale = Answers::new(Duration::ZERO);
        never_stale.store_latest("q", (5, 5), answer("a"));
        assert!(matches!(never_stale.latest("q", (7, 7), false, start, learned), Lookup::Miss), "bound 0: never stale");
    }

    #[test]
    fn an_older_computation_never_replaces_a_newer_answer() {
        let answers = Answers::new(Duration::from_secs(1));
        answers.store_latest("q", (7, 7), answer("new"));
        answers.store_latest("q", (6, 7), answer("old"));
        match answers.latest("q", (7, 7), false, Instant::now(), |_| None) {
            Lookup::Fresh(found) => assert_eq!(found.etag, "\"new\""),
            _ => panic!("the newer answer stays"),
        }
    }

    #[test]
    fn past_answers_are_bounded_least_recently_used_first() {
        let answers = Answers::new(Duration::ZERO);
        for i in 0..MAX_PAST {
            answers.store_past(&i.to_string(), answer("x"));
        }
        assert!(answers.past("0").is_some(), "touched: now the most recently used");
        answers.store_past("new", answer("y"));
        assert!(answers.past("1").is_none(), "the least recently used went");
        assert!(answers.past("0").is_some() && answers.past("new").is_some());
    }

    #[test]
    fn current_answers_are_bounded_by_their_total_size() {
        let answers = Answers::new(Duration::ZERO);
        let big = |n: usize| {
            Arc::new(Answer {
                etag: format!("\"{n}\""),
                identity: Bytes::from(vec![b'x'; 1 << 20]),
                gzip: Bytes::from(vec![b'z'; 1 << 18]),
                data_version: 1,
            })
        };
        for n in 0..200 {
            answers.store_latest(&format!("q{n}"), (1, 1), big(n));
        }
        let lru = answers.latest.lock().unwrap();
        assert!(lru.bytes <= MAX_CURRENT_BYTES, "{} bytes kept", lru.bytes);
        assert!(lru.entries.contains_key("q199") && !lru.entries.contains_key("q0"), "the oldest went first");
        let counted: usize = lru.entries.iter().map(|(q, e)| e.answer.size() + q.len()).sum();
        assert_eq!(counted, lru.bytes, "the running total is exact");
    }

    #[test]
    fn gzip_and_identity_have_distinct_strong_tags() {
        let a = answer("abc");
        assert_eq!(Answer::tagged(&a.etag, false), "\"abc\"");
        assert_eq!(Answer::tagged(&a.etag, true), "\"abc-gzip\"");
    }
}
