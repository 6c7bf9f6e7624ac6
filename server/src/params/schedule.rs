//! [`ScheduleParams`] (`POST /subscribe/payments/schedule`) and [`UnscheduleParams`]
//! (`POST /subscribe/payments/unschedule`).

use serde_json::{Map, Value};

use iamport_billing::fields::{Read, Request};
use iamport_billing::{Number, Value as CoreValue};

use super::details::OrderDetails;
use super::read;
use crate::error::Error;

/// One future charge of a billing key.
///
/// `schedule_at` is **unix seconds**. A value that looks like milliseconds is refused (it would
/// schedule the charge tens of thousands of years ahead), and so is one that is not ahead of
/// iamport's clock.
///
/// ```
/// use iamport_billing_server::ScheduleEntry;
/// let next_month = ScheduleEntry::new("order_2027_01", 1_798_761_600, 9900, "월 구독");
/// assert!(next_month.check("schedules[0]").is_ok());
/// let ms = ScheduleEntry::new("order_2027_01", 1_798_761_600_000, 9900, "월 구독");
/// assert_eq!(ms.check("schedules[0]").unwrap_err().field(), Some("schedules[0].schedule_at"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ScheduleEntry {
    /// The charge's order id (at most 40 characters).
    pub merchant_uid: String,
    /// When to charge, unix seconds.
    pub schedule_at: i64,
    /// KRW to charge, at least 1.
    pub amount: u64,
    /// The order name.
    pub name: String,
    /// Buyer, tax, instalments, custom data, webhook URL.
    pub details: OrderDetails,
}

impl ScheduleEntry {
    /// The required fields; `schedule_at` in unix seconds.
    pub fn new(merchant_uid: impl Into<String>, schedule_at: i64, amount: u64, name: impl Into<String>) -> ScheduleEntry {
        ScheduleEntry { merchant_uid: merchant_uid.into(), schedule_at, amount, name: name.into(), details: OrderDetails::default() }
    }

    /// The same, due at `when` (whole seconds; a [`std::time::SystemTime`] before 1970 gives 0,
    /// which is refused).
    pub fn at_time(merchant_uid: impl Into<String>, when: std::time::SystemTime, amount: u64, name: impl Into<String>) -> ScheduleEntry {
        let secs = when.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        ScheduleEntry::new(merchant_uid, secs, amount, name)
    }

    /// Sets the optional fields.
    pub fn details(mut self, details: OrderDetails) -> ScheduleEntry {
        self.details = details;
        self
    }

    fn from_read(r: &Read<'_>) -> ScheduleEntry {
        ScheduleEntry {
            merchant_uid: r.str("merchant_uid").unwrap_or_default().to_owned(),
            schedule_at: r.u64("schedule_at").and_then(|s| i64::try_from(s).ok()).unwrap_or_default(),
            amount: r.u64("amount").unwrap_or_default(),
            name: r.str("name").unwrap_or_default().to_owned(),
            details: OrderDetails::from_read(r),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, CoreValue)> {
        // `schedule_at` as written (a negative one is refused by the table, naming it).
        let at = Number::from_json_text(&self.schedule_at.to_string()).map_or(CoreValue::Null, CoreValue::Number);
        let mut pairs = vec![
            ("merchant_uid", CoreValue::from(self.merchant_uid.as_str())),
            ("schedule_at", at),
            ("amount", CoreValue::from(self.amount)),
            ("name", CoreValue::from(self.name.as_str())),
        ];
        self.details.pairs(&mut pairs);
        pairs
    }

    /// Checks every field (by the package's table); `at` is the entry's path (`schedules[1]`).
    pub fn check(&self, at: &str) -> Result<(), Error> {
        read::check_at(Request::ScheduleEntry, self.pairs(), at).map(drop)
    }

    fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("merchant_uid".into(), Value::from(self.merchant_uid.as_str()));
        body.insert("schedule_at".into(), Value::from(self.schedule_at));
        body.insert("amount".into(), Value::from(self.amount));
        body.insert("name".into(), Value::from(self.name.as_str()));
        self.details.write(&mut body);
        Value::Object(body)
    }
}

/// The params of [`Client::schedule_charges`](crate::Client::schedule_charges).
///
/// ```
/// use iamport_billing_server::ScheduleParams;
/// let e = ScheduleParams::from_json(serde_json::json!({
///     "customer_uid": "user_1_card",
///     "schedules": [
///         { "merchant_uid": "m_1", "schedule_at": 1798761600, "amount": 9900, "name": "월 구독" },
///         { "merchant_uid": "m_2", "schedule_at": 1801440000000u64, "amount": 9900, "name": "월 구독" },
///     ],
/// })).unwrap_err();
/// assert_eq!(e.field(), Some("schedules[1].schedule_at"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ScheduleParams {
    /// The billing key.
    pub customer_uid: String,
    /// The charges, at least one; each `merchant_uid` once.
    pub schedules: Vec<ScheduleEntry>,
}

impl ScheduleParams {
    /// Charges of one key.
    pub fn new(customer_uid: impl Into<String>, schedules: Vec<ScheduleEntry>) -> ScheduleParams {
        ScheduleParams { customer_uid: customer_uid.into(), schedules }
    }

    /// Reads and checks params given as JSON (`schedule_at`: unix seconds, or an RFC 3339
    /// date-time such as `2026-12-03T09:00:00Z`, what `JSON.stringify` makes of a `Date`).
    pub fn from_json(value: Value) -> Result<ScheduleParams, Error> {
        let r = read::read(Request::Schedule, &value)?;
        let params = ScheduleParams {
            customer_uid: r.str("customer_uid").unwrap_or_default().to_owned(),
            schedules: r.entries("schedules").iter().map(ScheduleEntry::from_read).collect(),
        };
        params.unique()?;
        Ok(params)
    }

    /// Checks every field (not yet against iamport's clock: the client does that).
    pub fn check(&self) -> Result<(), Error> {
        let entries = self.schedules.iter().map(|e| CoreValue::Object(e.pairs().into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
        let pairs = vec![("customer_uid", CoreValue::from(self.customer_uid.as_str())), ("schedules", CoreValue::Array(entries.collect()))];
        read::check(Request::Schedule, pairs)?;
        self.unique()
    }

    /// Each `merchant_uid` once.
    fn unique(&self) -> Result<(), Error> {
        for (i, entry) in self.schedules.iter().enumerate() {
            if self.schedules.iter().take(i).any(|e| e.merchant_uid == entry.merchant_uid) {
                let at = format!("schedules[{i}]");
                return Err(Error::invalid(
                    &format!("{at}.merchant_uid"),
                    format!("{at}.merchant_uid repeats an earlier merchant_uid: each charge needs its own"),
                ));
            }
        }
        Ok(())
    }

    /// Every `schedule_at` must lie ahead of `now` (iamport's clock, unix seconds).
    pub(crate) fn check_ahead(&self, now: i64) -> Result<(), Error> {
        for (i, entry) in self.schedules.iter().enumerate() {
            if entry.schedule_at <= now {
                let path = format!("schedules[{i}].schedule_at");
                let at = entry.schedule_at;
                return Err(Error::invalid(
                    &path,
                    format!("{path} is in the past ({at}; iamport's clock says {now}): a schedule must lie ahead"),
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("customer_uid".into(), Value::from(self.customer_uid.as_str()));
        body.insert("schedules".into(), Value::Array(self.schedules.iter().map(ScheduleEntry::body).collect()));
        Value::Object(body)
    }
}

/// The params of [`Client::unschedule_charges`](crate::Client::unschedule_charges): every
/// pending charge of a key, or only those of the given `merchant_uid`s.
///
/// ```
/// use iamport_billing_server::UnscheduleParams;
/// let one = UnscheduleParams::from_json(serde_json::json!({ "customer_uid": "c", "merchant_uid": "m_2" })).unwrap();
/// assert_eq!(one.merchant_uid, ["m_2"]);
/// assert!(UnscheduleParams::new("c").merchant_uid.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnscheduleParams {
    /// The billing key.
    pub customer_uid: String,
    /// The charges to revoke; empty: all pending charges of the key.
    pub merchant_uid: Vec<String>,
}

impl UnscheduleParams {
    /// Every pending charge of the key.
    pub fn new(customer_uid: impl Into<String>) -> UnscheduleParams {
        UnscheduleParams { customer_uid: customer_uid.into(), merchant_uid: Vec::new() }
    }

    /// Only these charges.
    pub fn merchant_uids<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> UnscheduleParams {
        self.merchant_uid = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Reads and checks params given as JSON (`merchant_uid`: a string or an array of strings).
    pub fn from_json(value: Value) -> Result<UnscheduleParams, Error> {
        let r = read::read(Request::Unschedule, &value)?;
        Ok(UnscheduleParams {
            customer_uid: r.str("customer_uid").unwrap_or_default().to_owned(),
            merchant_uid: r.strs("merchant_uid").into_iter().map(str::to_owned).collect(),
        })
    }

    /// Checks every field (by the package's table).
    pub fn check(&self) -> Result<(), Error> {
        let ids = match self.merchant_uid.as_slice() {
            [] => CoreValue::Null,
            ids => CoreValue::Array(ids.iter().map(|m| CoreValue::from(m.as_str())).collect()),
        };
        read::check(Request::Unschedule, vec![("customer_uid", CoreValue::from(self.customer_uid.as_str())), ("merchant_uid", ids)]).map(drop)
    }

    pub(crate) fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("customer_uid".into(), Value::from(self.customer_uid.as_str()));
        if !self.merchant_uid.is_empty() {
            body.insert("merchant_uid".into(), Value::from(self.merchant_uid.clone()));
        }
        Value::Object(body)
    }
}
