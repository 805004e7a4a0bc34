//! What this instance has heard of writes, and when: its own commits, and the writes other
//! instances announced (PostgreSQL). An unchanged count means nothing moved; the instants
//! say since when a data version read later was already superseded, so that the age of a
//! superseded answer counts from the commit or the announcement, never from the next read.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Signals whose instant is remembered until a read of the data version takes them.
const MAX_PENDING: usize = 1024;

/// Writes committed by this process or announced to it, counted, with their instants.
#[derive(Default)]
pub struct Signals {
    /// Read by every request (lock-free); moved only under `pending`'s lock, so a count read
    /// is never ahead of the instants a read of the version then takes.
    count: AtomicU64,
    /// (count after the signal, when it came), oldest first, not yet taken by a read.
    pending: Mutex<VecDeque<(u64, Instant)>>,
}

impl Signals {
    /// Something may have moved the data, now.
    pub fn signal(&self) {
        self.signal_at(Instant::now());
    }

    fn signal_at(&self, at: Instant) {
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        pending.push_back((count, at));
        if pending.len() > MAX_PENDING {
            // Merged into its successor with the earlier instant: an age read from it can
            // only come out longer than the truth, which serves a superseded answer less.
            if let Some((_, earlier)) = pending.remove(1) {
                if let Some(next) = pending.get_mut(1) {
                    next.1 = earlier;
                }
            }
        }
    }

    /// Signals since start-up.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }

    /// The instant of the earliest signal not yet taken among the first `count` (counted
    /// before a read of the data version, so that read saw every one of them); takes them.
    pub fn take_until(&self, count: u64) -> Option<Instant> {
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut earliest = None;
        while pending.front().is_some_and(|(n, _)| *n <= count) {
            if let Some((_, at)) = pending.pop_front() {
                earliest = earliest.or(Some(at));
            }
        }
        earliest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_read_takes_the_signals_it_saw_and_leaves_the_later_ones() {
        let signals = Signals::default();
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        signals.signal_at(at(0));
        signals.signal_at(at(10));
        let counted = signals.count();
        signals.signal_at(at(20));
        assert_eq!(signals.take_until(counted), Some(at(0)), "the earliest of those counted");
        assert_eq!(signals.take_until(counted), None, "taken once");
        assert_eq!(signals.take_until(signals.count()), Some(at(20)), "the later one waited");
    }

    #[test]
    fn beyond_the_bound_instants_only_move_earlier() {
        let signals = Signals::default();
        let t0 = Instant::now();
        for n in 0..(MAX_PENDING as u64 * 3) {
            signals.signal_at(t0 + Duration::from_millis(n));
        }
        assert!(signals.pending.lock().unwrap().len() <= MAX_PENDING);
        assert_eq!(signals.take_until(1), Some(t0), "the first is kept exactly");
        let next = signals.take_until(2);
        assert!(next.is_none_or(|at| at <= t0 + Duration::from_millis(1)), "never later than the truth");
        assert!(signals.take_until(signals.count()).is_some_and(|at| at <= t0 + Duration::from_millis(2)));
    }
}
