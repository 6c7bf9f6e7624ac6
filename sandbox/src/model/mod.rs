//! The sandbox's rules, one module per resource, with no HTTP in sight.
//!
//! Every operation takes the open transaction (a [`rusqlite::Connection`]: the store's writer runs
//! each request's change in its own savepoint of a transaction) and the sandbox time (`now`, unix
//! seconds on the sandbox clock), and returns what happened plus the webhooks ([`Notice`]s) it calls
//! for. Reads take a read connection. The unit tests run the rules on an in-memory database.

pub mod billing_keys;
pub mod cancels;
pub mod page;
pub mod payments;
pub mod pg_settings;
pub mod schedules;
pub mod tokens;
pub mod window;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use billing_keys::Customer;
pub use cancels::CancelRequest;
pub use page::Page;
pub use payments::{CancelHistory, ChargeRequest, Payment};
pub use pg_settings::PgSetting;
pub use schedules::Schedule;
pub use tokens::TokenInfo;

/// The PG this sandbox stands in for.
pub const PG_PROVIDER: &str = "danal_tpay";
/// The PG merchant id the sandbox shows (a placeholder).
pub const PG_ID: &str = "sandbox_mid";
/// iamport's limit on `merchant_uid`.
pub const MERCHANT_UID_MAX: usize = 40;

/// What an operation refused, and why. The server maps the kind to an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// The class of failure.
    pub kind: ErrorKind,
    /// iamport-style message for the envelope.
    pub message: String,
}

/// Classes of [`ModelError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Missing, unknown or expired token, or wrong imp_key/imp_secret (HTTP 401).
    Unauthorized,
    /// Unknown imp_uid / customer_uid / merchant_uid on a lookup (HTTP 404).
    NotFound,
    /// The request is well-formed but refused (`code` 1, HTTP 200 as iamport does for these).
    Refused,
    /// The request is well-formed but the schedule is in the wrong state for it, or the new time is
    /// past (`code` 1, HTTP 400 as the published description gives for retry, reschedule and
    /// update).
    Conflict,
    /// A field is missing or has the wrong type or value (HTTP 400, `code` -1).
    Invalid,
    /// The database failed (HTTP 500): the change was not made.
    Storage,
}

impl ModelError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ModelError {
            kind,
            message: message.into(),
        }
    }
    /// A refusal (`code` 1).
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Refused, message)
    }
    /// A schedule in the wrong state (HTTP 400, `code` 1).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    /// A not-found (HTTP 404).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
    /// A bad request (HTTP 400).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }
    /// An authentication failure (HTTP 401).
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthorized, message)
    }
    /// A database failure (HTTP 500).
    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Storage, message)
    }
}

impl From<rusqlite::Error> for ModelError {
    fn from(e: rusqlite::Error) -> Self {
        ModelError::storage(format!("the sandbox's database failed: {e}"))
    }
}

impl From<crate::store::rows::RowError> for ModelError {
    fn from(e: crate::store::rows::RowError) -> Self {
        ModelError::storage(e.to_string())
    }
}

impl From<serde_json::Error> for ModelError {
    fn from(e: serde_json::Error) -> Self {
        ModelError::storage(format!("a stored row could not be read: {e}"))
    }
}

/// The result of an operation that changes something.
pub type Changed<T> = Result<(T, Vec<Notice>), ModelError>;

/// A webhook the server should deliver: `{imp_uid, merchant_uid, status}` to `notice_url` (if the
/// payment had one) or the configured URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The payment's `notice_url`, if it gave one.
    #[serde(skip)]
    pub notice_url: Option<String>,
    /// The payment.
    pub imp_uid: String,
    /// The merchant's order id.
    pub merchant_uid: String,
    /// `paid`, `failed` or `cancelled`.
    pub status: String,
}

impl Notice {
    /// The webhook for a payment's current status.
    pub fn of(p: &Payment) -> Notice {
        Notice {
            notice_url: p.notice_url.clone(),
            imp_uid: p.imp_uid.clone(),
            merchant_uid: p.merchant_uid.clone(),
            status: p.status.clone(),
        }
    }
}

/// The buyer fields iamport carries on payments and schedules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    /// Buyer's name.
    #[serde(default)]
    pub buyer_name: Option<String>,
    /// Buyer's e-mail.
    #[serde(default)]
    pub buyer_email: Option<String>,
    /// Buyer's phone number.
    #[serde(default)]
    pub buyer_tel: Option<String>,
    /// Buyer's address.
    #[serde(default)]
    pub buyer_addr: Option<String>,
    /// Buyer's postcode.
    #[serde(default)]
    pub buyer_postcode: Option<String>,
}

impl Buyer {
    /// Reads the `buyer_*` strings of a request object (other types are ignored).
    pub fn from_map(map: &Map<String, Value>) -> Self {
        let s = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
        Buyer {
            buyer_name: s("buyer_name"),
            buyer_email: s("buyer_email"),
            buyer_tel: s("buyer_tel"),
            buyer_addr: s("buyer_addr"),
            buyer_postcode: s("buyer_postcode"),
        }
    }
}

/// The card's answer to the next REST charge, set by the control endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Approve (true) or decline.
    pub approve: bool,
    /// The decline's reason.
    pub fail_reason: Option<String>,
}

/// A `custom_data` value as iamport stores it: strings as they are, anything else as JSON text.
pub fn custom_data_of(value: Option<&Value>) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

static SEQ: AtomicU64 = AtomicU64::new(0);

/// 64 random bits (std's per-process random hash keys, a counter and the time).
pub fn random_u64() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(SEQ.fetch_add(1, Ordering::Relaxed));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.write_u128(nanos);
    h.finish()
}

/// `n` random decimal digits (n ≤ 18).
pub fn digits(n: u32) -> String {
    let modulus = 10_u64.pow(n.min(18));
    format!("{:0width$}", random_u64() % modulus, width = n as usize)
}

/// A value of the `meta` table (the clock offset, the next outcome).
pub fn meta_get(db: &Connection, key: &str) -> Result<Option<String>, ModelError> {
    Ok(db
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get::<_, String>(0))
        .optional()?)
}

/// Sets (or, with `None`, removes) a value of the `meta` table.
pub fn meta_set(db: &Connection, key: &str, value: Option<&str>) -> Result<(), ModelError> {
    match value {
        Some(v) => db
            .prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?
            .execute([key, v])?,
        None => db
            .prepare_cached("DELETE FROM meta WHERE key = ?1")?
            .execute([key])?,
    };
    Ok(())
}

/// Seconds the sandbox clock runs ahead of the system clock.
pub fn clock_offset(db: &Connection) -> Result<i64, ModelError> {
    Ok(meta_get(db, "clock_offset")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Moves the sandbox clock forward; returns the new offset.
pub fn advance(db: &Connection, seconds: i64) -> Result<i64, ModelError> {
    let offset = clock_offset(db)?.saturating_add(seconds);
    meta_set(db, "clock_offset", Some(&offset.to_string()))?;
    Ok(offset)
}

/// Sets the next REST charge's outcome.
pub fn set_next_outcome(db: &Connection, outcome: &Outcome) -> Result<(), ModelError> {
    meta_set(db, "next_outcome", Some(&serde_json::to_string(outcome)?))
}

/// Takes the next REST charge's outcome (approve when none was set).
pub fn take_next_outcome(db: &Connection) -> Result<Outcome, ModelError> {
    let Some(text) = meta_get(db, "next_outcome")? else {
        return Ok(Outcome {
            approve: true,
            fail_reason: None,
        });
    };
    meta_set(db, "next_outcome", None)?;
    Ok(serde_json::from_str(&text)?)
}

/// Forgets everything (the clock, the PG settings and the page size too); the webhook log stays.
pub fn reset(db: &Connection) -> Result<(), ModelError> {
    db.execute_batch(
        "DELETE FROM tokens; DELETE FROM cancels; DELETE FROM payments; DELETE FROM billing_keys;
         DELETE FROM schedules; DELETE FROM pg_settings;
         DELETE FROM meta WHERE key IN ('clock_offset', 'next_outcome', 'page_size', 'pg_settings');",
    )?;
    Ok(())
}

/// `DELETE /subscribe/customers/{customer_uid}`: removes the key and revokes its pending schedules.
pub fn delete_customer(
    db: &Connection,
    customer_uid: &str,
    now: i64,
) -> Result<Customer, ModelError> {
    let c = billing_keys::remove(db, customer_uid)?;
    schedules::revoke_all_of(db, customer_uid, now)?;
    Ok(c)
}

/// Whether [`tick`] has anything to do at `now`.
pub fn has_due(db: &Connection, now: i64) -> Result<bool, ModelError> {
    Ok(schedules::has_due(db, now)? || cancels::has_due_cancel(db, now)?)
}

/// Runs what is due at `now`: scheduled charges (oldest first) and Danal's test-charge cancels.
pub fn tick(db: &Connection, now: i64) -> Result<Vec<Notice>, ModelError> {
    let mut notices = schedules::run_due(db, now)?;
    notices.extend(cancels::run_due_cancels(db, now)?);
    Ok(notices)
}
