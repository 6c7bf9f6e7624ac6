//! The access token: fetched with `POST /users/getToken`, kept until a minute before it
//! expires by iamport's clock, shared by every concurrent call (one request in flight), and
//! forgotten when iamport answers 401 to it.

use core::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::lock::Mutex;
use web_time::Instant;

use crate::error::Error;

/// A token is renewed this long before iamport says it expires.
pub const RENEW_MARGIN: Duration = Duration::from_secs(60);

/// An access token and what its answer said about time.
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) access_token: String,
    /// iamport's `now` in the answer.
    server_now: i64,
    /// `expired_at − now`, seconds.
    lifetime: i64,
    /// The monotonic instant the answer arrived.
    received: Instant,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"***")
            .field("server_now", &self.server_now)
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

impl Token {
    pub(crate) fn new(access_token: String, now: i64, expired_at: i64, received: Instant) -> Token {
        Token { access_token, server_now: now, lifetime: expired_at.saturating_sub(now), received }
    }

    /// Whether it may still be used at `at`: more than [`RENEW_MARGIN`] of its life left.
    pub(crate) fn is_fresh(&self, at: Instant) -> bool {
        let usable = u64::try_from(self.lifetime).unwrap_or(0).saturating_sub(RENEW_MARGIN.as_secs());
        at.saturating_duration_since(self.received) < Duration::from_secs(usable)
    }

    /// iamport's clock at `at` (unix seconds).
    pub(crate) fn server_now(&self, at: Instant) -> i64 {
        let elapsed = at.saturating_duration_since(self.received).as_secs();
        self.server_now.saturating_add(i64::try_from(elapsed).unwrap_or(i64::MAX))
    }
}

#[derive(Debug, Default)]
struct State {
    token: Option<Token>,
    /// How many fetches have started.
    fetches: u64,
    /// The last fetch's error, if it failed.
    failed: Option<Error>,
}

/// The token cache. Its lock is held across the fetch, so concurrent callers wait for the one
/// request in flight; callers that were waiting while a fetch failed get that error instead of
/// starting one fetch each; the next call after that tries again.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
    fetches: AtomicU64,
}

impl TokenCache {
    /// A fresh token: the cached one, or the one `fetch` gets.
    pub(crate) async fn get<F, Fut>(&self, now: impl Fn() -> Instant, fetch: F) -> Result<Token, Error>
    where
        F: FnOnce() -> Fut,
        Fut: core::future::Future<Output = Result<Token, Error>>,
    {
        let seen = self.fetches.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        if let Some(t) = state.token.as_ref().filter(|t| t.is_fresh(now())) {
            return Ok(t.clone());
        }
        if state.fetches > seen {
            if let Some(e) = &state.failed {
                return Err(e.clone());
            }
        }
        state.fetches += 1;
        self.fetches.store(state.fetches, Ordering::Release);
        match fetch().await {
            Ok(t) => {
                state.token = Some(t.clone());
                state.failed = None;
                Ok(t)
            }
            Err(e) => {
                state.token = None;
                state.failed = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Forgets `access_token` if it is still the cached one (iamport answered 401 to it).
    pub(crate) async fn forget(&self, access_token: &str) {
        let mut state = self.state.lock().await;
        if state.token.as_ref().is_some_and(|t| t.access_token == access_token) {
            state.token = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_follows_the_answer_not_the_wall_clock() {
        let t0 = Instant::now();
        // iamport's clock may be anywhere: only expired_at − now counts.
        let t = Token::new("tok".into(), 5_000_000_000, 5_000_001_800, t0);
        assert!(t.is_fresh(t0));
        assert!(t.is_fresh(t0 + Duration::from_secs(1739)));
        assert!(!t.is_fresh(t0 + Duration::from_secs(1740)));
        assert_eq!(t.server_now(t0 + Duration::from_secs(90)), 5_000_000_090);
        // A token with under a minute left is never fresh.
        assert!(!Token::new("tok".into(), 100, 150, t0).is_fresh(t0));
        assert!(!Token::new("tok".into(), 100, 50, t0).is_fresh(t0));
        let debug = format!("{t:?}");
        assert!(!debug.contains("tok\""), "{debug}");
        assert_eq!(debug, "Token { access_token: \"***\", server_now: 5000000000, lifetime: 1800 }");
    }
}
