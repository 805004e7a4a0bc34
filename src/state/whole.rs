//! A bound on answers built whole in memory before the first byte is sent (SDMX-JSON data
//! messages, whose series refer to value lists that only the whole message knows): one at a
//! time, a few more waiting their turn, the rest asked to retry, so concurrent exports cannot
//! grow the resident set without limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Answers built at the same time.
const AT_ONCE: usize = 1;
/// Requests waiting for their turn; more are refused.
const WAITING: usize = 16;

/// The bound of one instance.
pub struct WholeBuilds {
    permits: Semaphore,
    waiting: AtomicUsize,
}

impl Default for WholeBuilds {
    fn default() -> Self {
        Self { permits: Semaphore::new(AT_ONCE), waiting: AtomicUsize::new(0) }
    }
}

impl WholeBuilds {
    /// A turn to build one answer (held until dropped), after waiting if others are building;
    /// none when too many already wait.
    pub async fn turn(&self) -> Option<SemaphorePermit<'_>> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Some(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= WAITING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let permit = self.permits.acquire().await.ok();
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        permit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn builds_take_turns_and_too_many_waiting_are_refused() {
        let builds = WholeBuilds::default();
        let first = builds.turn().await.expect("the first builds at once");
        assert!(builds.permits.try_acquire().is_err(), "one at a time");
        builds.waiting.store(WAITING, Ordering::SeqCst);
        assert!(builds.turn().await.is_none(), "beyond the waiting line: retry later");
        builds.waiting.store(0, Ordering::SeqCst);
        drop(first);
        assert!(builds.turn().await.is_some(), "the next one's turn");
    }
}
