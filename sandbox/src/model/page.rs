//! One page of a list, as iamport pages them: `{ total, previous, next, list }`, pages numbered from 1,
//! `previous` and `next` 0 when there is none.

use rusqlite::Connection;
use serde::Serialize;

use super::ModelError;

/// The page size when none was set (iamport's lists give at most 20 entries a page).
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// The largest page size `/__sandbox/page-size` takes.
pub const MAX_PAGE_SIZE: i64 = 1000;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    /// How many entries the whole list has.
    pub total: i64,
    /// The page before this one (0: none).
    pub previous: i64,
    /// The page after this one (0: none).
    pub next: i64,
    /// This page's entries.
    pub list: Vec<T>,
}

impl<T> Page<T> {
    /// The page numbered `page` (from 1) of a list of `total` entries whose entries on that page are
    /// `list`, `size` a page.
    pub fn new(total: i64, page: i64, size: i64, list: Vec<T>) -> Self {
        let last = if total == 0 {
            1
        } else {
            (total + size - 1) / size
        };
        Page {
            total,
            previous: if page > 1 { (page - 1).min(last) } else { 0 },
            next: if page < last { page + 1 } else { 0 },
            list,
        }
    }

    /// The same page with each entry mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            total: self.total,
            previous: self.previous,
            next: self.next,
            list: self.list.into_iter().map(f).collect(),
        }
    }
}

/// The entries a page shows: `(size, offset)` of page `page` (from 1), refused when below 1.
pub fn window(page: i64, size: i64) -> Result<(i64, i64), ModelError> {
    if page < 1 {
        return Err(ModelError::invalid(
            "page는 1 이상이어야 합니다. (page must be 1 or more)",
        ));
    }
    Ok((size, (page - 1).saturating_mul(size)))
}

/// The page size of the list endpoints now.
pub fn page_size(db: &Connection) -> Result<i64, ModelError> {
    Ok(super::meta_get(db, "page_size")?
        .and_then(|v| v.parse().ok())
        .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
        .unwrap_or(DEFAULT_PAGE_SIZE))
}

/// Sets the page size of the list endpoints (`/__sandbox/page-size`; reset by `/__sandbox/reset`).
pub fn set_page_size(db: &Connection, size: i64) -> Result<i64, ModelError> {
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(ModelError::invalid(format!(
            "size must be 1 to {MAX_PAGE_SIZE}"
        )));
    }
    super::meta_set(db, "page_size", Some(&size.to_string()))?;
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_their_neighbours() {
        let p = |total, page| {
            let x = Page::new(total, page, 2, Vec::<()>::new());
            (x.previous, x.next)
        };
        assert_eq!(p(0, 1), (0, 0));
        assert_eq!(p(2, 1), (0, 0));
        assert_eq!(p(3, 1), (0, 2));
        assert_eq!(p(3, 2), (1, 0));
        assert_eq!(p(5, 2), (1, 3));
        assert_eq!(p(3, 9), (2, 0), "past the end: back to the last page");
        assert!(window(0, 20).is_err());
        assert_eq!(window(3, 20).unwrap(), (20, 40));
    }
}
