//! The lists ([`Client::list_schedules`](crate::Client::list_schedules),
//! [`Client::list_payments`](crate::Client::list_payments)): iamport's pages read one at a time, as
//! the stream is read.
//!
//! A page is either iamport's paged object (`{ total, previous, next, list }`, `next` 0 on the last
//! page) or a bare array (the published description of the schedule list): a bare array is the
//! whole answer. Both lists are newest first, as iamport answers them: a range of schedules longer
//! than iamport's three months per request is asked in windows of [`SCHEDULE_WINDOW`] seconds, the
//! newest window first.

use futures_util::Stream;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorCode};

/// The longest range of `schedule_at` one schedule-list request covers: 89 days, shorter than any
/// three calendar months (February to April), so no window is refused for being too long.
pub const SCHEDULE_WINDOW: i64 = 89 * 24 * 3600;

/// Where a schedule list goes on: the window that ends at `to`, its page `page` (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScheduleCursor {
    pub(crate) to: i64,
    pub(crate) page: u32,
}

/// Where a payment list goes on: its page `page` (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageCursor {
    pub(crate) page: u32,
}

/// One page of a list: its items, and the next page's number when iamport says there is one (a
/// number not after this page's is taken for none, so a list always ends).
#[derive(Debug)]
pub(crate) struct Page<T> {
    pub(crate) list: Vec<T>,
    pub(crate) next: Option<u32>,
}

impl<T: serde::de::DeserializeOwned> Page<T> {
    /// Reads page `page` of an answer; `what` names the request in errors.
    pub(crate) fn read(value: Value, page: u32, what: &str) -> Result<Page<T>, Error> {
        let bad = |e: serde_json::Error| {
            Error::other(ErrorCode::Network, format!("{what}: the answer is not what iamport's API describes ({e})"))
        };
        match value {
            Value::Array(_) => Ok(Page { list: serde_json::from_value(value).map_err(bad)?, next: None }),
            Value::Object(mut map) => {
                let list = map.remove("list").unwrap_or(Value::Array(Vec::new()));
                let next = map.get("next").and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok());
                Ok(Page { list: serde_json::from_value(list).map_err(bad)?, next: next.filter(|n| *n > page) })
            }
            Value::Null => Ok(Page { list: Vec::new(), next: None }),
            _ => Err(Error::other(ErrorCode::Network, format!("{what}: the answer is neither a list nor a page of one"))),
        }
    }
}

/// A window of a schedule list `[from, to]` (both included), cut from the newest end into spans
/// of [`SCHEDULE_WINDOW`]: the window ending at `end` starts at `start` and holds the schedules
/// after `start` up to `end`, the oldest window (`start == from`) `from` itself too. So a schedule
/// at a window's edge is listed once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) start: i64,
    pub(crate) end: i64,
    from: i64,
}

impl Window {
    pub(crate) fn ending_at(end: i64, from: i64) -> Window {
        Window { start: end.saturating_sub(SCHEDULE_WINDOW).max(from), end, from }
    }

    /// The request's `from` and `to`: iamport's `to` is taken as excluded (the sandbox's reading),
    /// so it is asked one second past `end`; a server that includes `to` answers one second more,
    /// which [`Window::holds`] leaves out.
    pub(crate) fn query(self) -> (i64, i64) {
        (self.start, self.end.saturating_add(1))
    }

    /// Whether a schedule at `at` is this window's.
    pub(crate) fn holds(self, at: i64) -> bool {
        at <= self.end && (at > self.start || (self.start == self.from && at == self.from))
    }

    /// The cursor after a page of this window: `next_page` of it, else the next older window, else
    /// none.
    pub(crate) fn next(self, next_page: Option<u32>) -> Option<ScheduleCursor> {
        match next_page {
            Some(page) => Some(ScheduleCursor { to: self.end, page }),
            None if self.start > self.from => Some(ScheduleCursor { to: self.start, page: 1 }),
            None => None,
        }
    }
}

/// A stream of every item of every page: `first` is the first page's cursor (or the params' error,
/// which is then the stream's only item), `fetch` reads one page and gives the next cursor. After
/// an error the stream ends.
pub(crate) fn paged<T, C, F, Fut>(first: Result<C, Error>, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(C) -> Fut,
    Fut: core::future::Future<Output = Result<(Vec<T>, Option<C>), Error>>,
{
    struct State<T, C, F> {
        fetch: F,
        next: Option<Result<C, Error>>,
        buffer: std::vec::IntoIter<T>,
    }
    let state = State { fetch, next: Some(first), buffer: Vec::new().into_iter() };
    futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.buffer.next() {
                return Some((Ok(item), st));
            }
            match st.next.take()? {
                Err(e) => return Some((Err(e), st)),
                Ok(cursor) => match (st.fetch)(cursor).await {
                    Ok((items, next)) => {
                        st.buffer = items.into_iter();
                        st.next = next.map(Ok);
                    }
                    Err(e) => return Some((Err(e), st)),
                },
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_answer_forms() {
        let bare: Page<i64> = Page::read(json!([1, 2]), 1, "x").unwrap();
        assert_eq!((bare.list, bare.next), (vec![1, 2], None));
        let paged: Page<i64> = Page::read(json!({ "total": 5, "previous": 0, "next": 2, "list": [1, 2] }), 1, "x").unwrap();
        assert_eq!((paged.list, paged.next), (vec![1, 2], Some(2)));
        let last: Page<i64> = Page::read(json!({ "total": 5, "previous": 2, "next": 0, "list": [5] }), 3, "x").unwrap();
        assert_eq!(last.next, None);
        let looping: Page<i64> = Page::read(json!({ "next": 2, "list": [] }), 2, "x").unwrap();
        assert_eq!(looping.next, None, "a next page that is not after this one ends the list");
        assert_eq!(Page::<i64>::read(json!("x"), 1, "GET /x").unwrap_err().code(), ErrorCode::Network);
        assert_eq!(Page::<i64>::read(json!({ "list": ["a"] }), 1, "GET /x").unwrap_err().code(), ErrorCode::Network);
    }

    #[test]
    fn windows_cover_the_range_once_newest_first() {
        let (from, to) = (1_000, 1_000 + 2 * SCHEDULE_WINDOW + 5);
        let mut cursor = Some(ScheduleCursor { to, page: 1 });
        let mut windows = Vec::new();
        while let Some(c) = cursor {
            let w = Window::ending_at(c.to, from);
            windows.push(w);
            cursor = w.next(None);
        }
        let spans: Vec<(i64, i64)> = windows.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(spans, [(5 + SCHEDULE_WINDOW + 1_000, to), (1_005, 1_005 + SCHEDULE_WINDOW), (1_000, 1_005)]);
        for at in [from, from + 1, 1_005, 1_006, 1_005 + SCHEDULE_WINDOW, to - 1, to] {
            assert_eq!(windows.iter().filter(|w| w.holds(at)).count(), 1, "{at}");
        }
        assert!(!windows.iter().any(|w| w.holds(to + 1) || w.holds(from - 1)));
        assert!(windows.iter().all(|w| { let (a, b) = w.query(); b - a <= SCHEDULE_WINDOW + 1 }));
        assert_eq!(windows[0].next(Some(3)), Some(ScheduleCursor { to, page: 3 }));
        let one = Window::ending_at(7, 7);
        assert!(one.holds(7) && one.query() == (7, 8) && one.next(None).is_none(), "a range of one second");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[tokio::test]
    async fn a_stream_of_pages() {
        use futures_util::StreamExt;
        let pages = |c: u32| async move {
            match c {
                1 => Ok((vec![1, 2], Some(2))),
                2 => Ok((vec![], Some(3))),
                3 => Ok((vec![3], None)),
                _ => Err(Error::other(ErrorCode::Network, "no")),
            }
        };
        let all: Vec<Result<i32, Error>> = paged(Ok(1), pages).collect().await;
        assert_eq!(all.into_iter().map(Result::unwrap).collect::<Vec<_>>(), [1, 2, 3]);
        let failing: Vec<Result<i32, Error>> = paged(Ok(9), pages).collect().await;
        assert_eq!(failing.len(), 1, "the stream ends after an error");
        let invalid: Vec<Result<i32, Error>> = paged(Err(Error::invalid("from", "bad")), pages).collect().await;
        assert_eq!(invalid.len(), 1);
    }
}
