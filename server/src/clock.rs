//! Time as the client knows it: a monotonic clock (`web_time::Instant`: `std`'s natively,
//! `performance.now()` on wasm32, where `std::time::Instant::now()` panics) and iamport's clock,
//! learned from the token answer's `now`.
//!
//! The client never asks the machine's wall clock what time it is at iamport. A token answer
//! says `now` and `expired_at` in iamport's own seconds; the client notes the monotonic instant
//! it received them, and from then on iamport's time is `now` plus the monotonic time elapsed.
//! A token is used until `expired_at − now − 60 s` has elapsed, so a machine whose wall clock is
//! wrong (or a sandbox whose clock was moved) cannot make the client hold an expired token, and a
//! `schedule_at` is judged against the same clock iamport judges it by.

use std::sync::Mutex;
use std::time::Duration;

use web_time::Instant;

/// The monotonic clock, with a hook for tests to move it forward.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    skew: Mutex<Duration>,
}

impl Clock {
    pub(crate) fn now(&self) -> Instant {
        let skew = *self.skew.lock().unwrap_or_else(|p| p.into_inner());
        Instant::now() + skew
    }

    /// Moves this client's monotonic clock forward (tests only: to make a token age without
    /// waiting).
    pub(crate) fn advance(&self, by: Duration) {
        let mut skew = self.skew.lock().unwrap_or_else(|p| p.into_inner());
        *skew = skew.saturating_add(by);
    }
}
