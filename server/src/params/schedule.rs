//! [`ScheduleParams`] (`POST /subscribe/payments/schedule`) and [`UnscheduleParams`]
//! (`POST /subscribe/payments/unschedule`).

use serde_json::{Map, Value};

use super::details::{self, OrderDetails};
use super::read::{not_a, Obj};
use super::rules;
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

const ENTRY_KEYS: &[&str] = &["merchant_uid", "schedule_at", "amount", "name"];

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

    fn read(value: &Value, at: &str) -> Result<ScheduleEntry, Error> {
        let keys: Vec<&str> = ENTRY_KEYS.iter().chain(details::KEYS).copied().collect();
        let obj = Obj::new(value, at, &keys)?;
        Ok(ScheduleEntry {
            merchant_uid: obj.req_str("merchant_uid")?.to_owned(),
            schedule_at: read_time(&obj, "schedule_at")?,
            amount: obj.req_u64("amount")?,
            name: obj.req_str("name")?.to_owned(),
            details: OrderDetails::read(&obj)?,
        })
    }

    /// Checks every field; `at` is the entry's path (`schedules[1]`).
    pub fn check(&self, at: &str) -> Result<(), Error> {
        let p = |k: &str| super::read::path(at, k);
        rules::merchant_uid(&p("merchant_uid"), &self.merchant_uid)?;
        rules::schedule_at(&p("schedule_at"), self.schedule_at)?;
        rules::positive_amount(&p("amount"), self.amount)?;
        rules::text(&p("name"), &self.name, rules::NAME_MAX)?;
        self.details.check(at, self.amount)
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

/// A time (`schedule_at`, `from`, `to`) as unix seconds, or as the RFC 3339 text `JSON.stringify`
/// makes of a `Date`.
pub(crate) fn read_time(obj: &Obj<'_>, key: &str) -> Result<i64, Error> {
    let at = obj.path(key);
    match obj.get(key) {
        None => Err(super::read::required(&at)),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(i),
            (None, Some(f)) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            _ => Err(Error::invalid(&at, format!("{at} must be whole unix seconds (got {n})"))),
        },
        Some(Value::String(s)) => time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .map(|t| t.unix_timestamp())
            .map_err(|_| {
                Error::invalid(&at, format!("{at} must be unix seconds or a date like 2026-12-03T09:00:00Z (got '{s}')"))
            }),
        Some(other) => Err(not_a(&at, "a number of unix seconds or a Date", other)),
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

    /// Reads and checks params given as JSON.
    pub fn from_json(value: Value) -> Result<ScheduleParams, Error> {
        let obj = Obj::new(&value, "", &["customer_uid", "schedules"])?;
        let customer_uid = obj.req_str("customer_uid")?.to_owned();
        let schedules = match obj.get("schedules") {
            None => return Err(super::read::required("schedules")),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| ScheduleEntry::read(v, &format!("schedules[{i}]")))
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => return Err(not_a("schedules", "an array", other)),
        };
        let params = ScheduleParams { customer_uid, schedules };
        params.check()?;
        Ok(params)
    }

    /// Checks every field (not yet against iamport's clock: the client does that).
    pub fn check(&self) -> Result<(), Error> {
        rules::customer_uid("customer_uid", &self.customer_uid)?;
        if self.schedules.is_empty() {
            return Err(Error::invalid("schedules", "schedules must hold at least one charge"));
        }
        for (i, entry) in self.schedules.iter().enumerate() {
            let at = format!("schedules[{i}]");
            entry.check(&at)?;
            if self.schedules.iter().take(i).any(|e| e.merchant_uid == entry.merchant_uid) {
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
            rules::schedule_at_ahead(&format!("schedules[{i}].schedule_at"), entry.schedule_at, now)?;
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
        let obj = Obj::new(&value, "", &["customer_uid", "merchant_uid"])?;
        let customer_uid = obj.req_str("customer_uid")?.to_owned();
        let merchant_uid = match obj.get("merchant_uid") {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(not_a(&format!("merchant_uid[{i}]"), "a string", other)),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(not_a("merchant_uid", "a string or an array of strings", other)),
        };
        let params = UnscheduleParams { customer_uid, merchant_uid };
        params.check()?;
        Ok(params)
    }

    /// Checks every field.
    pub fn check(&self) -> Result<(), Error> {
        rules::customer_uid("customer_uid", &self.customer_uid)?;
        for (i, m) in self.merchant_uid.iter().enumerate() {
            rules::merchant_uid(&format!("merchant_uid[{i}]"), m)?;
        }
        Ok(())
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
