//! The system clock in unix seconds. The sandbox clock is this plus an offset kept in the database
//! ([`crate::model::clock_offset`]); webhook bookkeeping and the example merchant use the system's.

use std::time::{SystemTime, UNIX_EPOCH};

/// System time in unix seconds.
pub fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
