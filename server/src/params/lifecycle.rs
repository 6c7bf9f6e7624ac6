//! The params of a subscription's later life: [`ListSchedulesParams`] (a key's schedules in a time
//! range), [`RescheduleParams`] (a schedule at a new time) and the list of keys of
//! [`Client::get_billing_keys`](crate::Client::get_billing_keys).

use iamport_billing::fields::Request;
use iamport_billing::{Number, Value as CoreValue};
use serde_json::Value;

use super::read;
use crate::error::Error;
use crate::types::ScheduleStatus;

/// The most keys one [`Client::get_billing_keys`](crate::Client::get_billing_keys) asks for: their
/// ids travel in the URL's query.
pub const BILLING_KEYS_MAX: usize = 100;

/// The params of [`Client::list_schedules`](crate::Client::list_schedules): the schedules of a
/// billing key whose `schedule_at` lies from `from` to `to` (unix seconds, both included),
/// optionally only those of one `schedule_status`.
///
/// iamport answers at most three months per request; the client splits a longer range into
/// windows and asks them in turn, page by page, as the list is read.
///
/// ```
/// use iamport_billing_server::{ListSchedulesParams, ScheduleStatus};
/// let p = ListSchedulesParams::new("user_1_card", 1_798_761_600, 1_830_297_600).status(ScheduleStatus::Scheduled);
/// assert!(p.check().is_ok());
/// let e = ListSchedulesParams::from_json(serde_json::json!({ "customer_uid": "c", "from": 1_830_297_600, "to": 1_798_761_600 })).unwrap_err();
/// assert_eq!(e.field(), Some("to"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ListSchedulesParams {
    /// The billing key.
    pub customer_uid: String,
    /// The range's start, unix seconds (included).
    pub from: i64,
    /// The range's end, unix seconds (included); not before `from`.
    pub to: i64,
    /// Only schedules of this status: `scheduled`, `executed` or `revoked`; `None`: all.
    pub status: Option<ScheduleStatus>,
}

/// Unix seconds as the table reads them (a negative number is refused, naming the field).
fn seconds(at: i64) -> CoreValue {
    Number::from_json_text(&at.to_string()).map_or(CoreValue::Null, CoreValue::Number)
}

/// Unix seconds the table has read.
fn read_seconds(r: &iamport_billing::fields::Read<'_>, name: &str) -> i64 {
    r.u64(name).and_then(|s| i64::try_from(s).ok()).unwrap_or_default()
}

impl ListSchedulesParams {
    /// Every schedule of the key from `from` to `to` (unix seconds).
    pub fn new(customer_uid: impl Into<String>, from: i64, to: i64) -> ListSchedulesParams {
        ListSchedulesParams { customer_uid: customer_uid.into(), from, to, status: None }
    }

    /// Only the schedules of this status.
    pub fn status(mut self, status: ScheduleStatus) -> ListSchedulesParams {
        self.status = Some(status);
        self
    }

    /// Reads and checks params given as JSON (`from` and `to`: unix seconds or RFC 3339 text).
    pub fn from_json(value: Value) -> Result<ListSchedulesParams, Error> {
        let r = read::read(Request::ListSchedules, &value)?;
        let params = ListSchedulesParams {
            customer_uid: r.str("customer_uid").unwrap_or_default().to_owned(),
            from: read_seconds(&r, "from"),
            to: read_seconds(&r, "to"),
            status: r.str("status").map(ScheduleStatus::from),
        };
        params.ordered()?;
        Ok(params)
    }

    /// Checks every field (by the package's table), and that `to` is not before `from`.
    pub fn check(&self) -> Result<(), Error> {
        let status = self.status.as_ref().map_or(CoreValue::Null, |s| CoreValue::from(s.as_str()));
        let pairs = vec![
            ("customer_uid", CoreValue::from(self.customer_uid.as_str())),
            ("from", seconds(self.from)),
            ("to", seconds(self.to)),
            ("status", status),
        ];
        read::check(Request::ListSchedules, pairs)?;
        self.ordered()
    }

    fn ordered(&self) -> Result<(), Error> {
        if self.to < self.from {
            return Err(Error::invalid("to", format!("to ({}) must not be before from ({})", self.to, self.from)));
        }
        Ok(())
    }
}

/// The params of [`Client::reschedule`](crate::Client::reschedule) (a failed or revoked schedule,
/// again at a new time) and [`Client::update_schedule`](crate::Client::update_schedule) (a pending
/// schedule, moved). `schedule_at` is unix seconds, ahead of iamport's clock.
///
/// ```
/// use iamport_billing_server::RescheduleParams;
/// assert!(RescheduleParams::new("order_2027_01", 1_798_761_600).check().is_ok());
/// let ms = RescheduleParams::new("order_2027_01", 1_798_761_600_000).check().unwrap_err();
/// assert_eq!(ms.field(), Some("schedule_at"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RescheduleParams {
    /// The schedule's order id.
    pub merchant_uid: String,
    /// The new time, unix seconds.
    pub schedule_at: i64,
}

impl RescheduleParams {
    /// The schedule `merchant_uid` at `schedule_at` (unix seconds).
    pub fn new(merchant_uid: impl Into<String>, schedule_at: i64) -> RescheduleParams {
        RescheduleParams { merchant_uid: merchant_uid.into(), schedule_at }
    }

    /// Reads and checks params given as JSON (`schedule_at`: unix seconds or RFC 3339 text).
    pub fn from_json(value: Value) -> Result<RescheduleParams, Error> {
        let r = read::read(Request::Reschedule, &value)?;
        Ok(RescheduleParams {
            merchant_uid: r.str("merchant_uid").unwrap_or_default().to_owned(),
            schedule_at: read_seconds(&r, "schedule_at"),
        })
    }

    /// Checks every field (by the package's table; not yet against iamport's clock: the client
    /// does that).
    pub fn check(&self) -> Result<(), Error> {
        let pairs = vec![("merchant_uid", CoreValue::from(self.merchant_uid.as_str())), ("schedule_at", seconds(self.schedule_at))];
        read::check(Request::Reschedule, pairs).map(drop)
    }

    /// `schedule_at` must lie ahead of `now` (iamport's clock, unix seconds).
    pub(crate) fn check_ahead(&self, now: i64) -> Result<(), Error> {
        let at = self.schedule_at;
        if at <= now {
            return Err(Error::invalid(
                "schedule_at",
                format!("schedule_at is in the past ({at}; iamport's clock says {now}): a schedule must lie ahead"),
            ));
        }
        Ok(())
    }

    pub(crate) fn body(&self) -> Value {
        serde_json::json!({ "schedule_at": self.schedule_at })
    }
}

/// The `customer_uid`s of [`Client::get_billing_keys`](crate::Client::get_billing_keys): one to
/// [`BILLING_KEYS_MAX`], each valid (by the package's table), none twice.
pub(crate) fn check_customer_uids<S: AsRef<str>>(ids: &[S]) -> Result<(), Error> {
    let values = ids.iter().map(|id| CoreValue::from(id.as_ref())).collect();
    check_customer_uid_values(values)?;
    for (i, id) in ids.iter().enumerate() {
        if ids.iter().take(i).any(|earlier| earlier.as_ref() == id.as_ref()) {
            let at = format!("customer_uid[{i}]");
            return Err(Error::invalid(&at, format!("{at} repeats an earlier customer_uid")));
        }
    }
    Ok(())
}

/// The list's length, and each id as the table's `customer_uid`.
fn check_customer_uid_values(ids: Vec<CoreValue>) -> Result<(), Error> {
    if ids.is_empty() {
        return Err(Error::invalid("customer_uid", "customer_uid must hold at least one customer_uid"));
    }
    if ids.len() > BILLING_KEYS_MAX {
        return Err(Error::invalid(
            "customer_uid",
            format!("customer_uid holds {} ids: ask for at most {BILLING_KEYS_MAX} at a time", ids.len()),
        ));
    }
    read::check(Request::BillingKeys, vec![("customer_uid", CoreValue::Array(ids.clone()))])?;
    // The table takes `''` for absent at a field, not within an array: an empty id is refused here.
    match ids.iter().position(|id| id.as_str() == Some("")) {
        Some(i) => {
            let at = format!("customer_uid[{i}]");
            Err(Error::invalid(&at, format!("{at} must not be empty")))
        }
        None => Ok(()),
    }
}

/// The JSON form of [`Client::get_billing_keys`](crate::Client::get_billing_keys)' list: an array
/// of strings.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn customer_uids_from_json(value: Value) -> Result<Vec<String>, Error> {
    let Value::Array(items) = &value else {
        return Err(read::not_a("customer_uid", "an array", &value));
    };
    check_customer_uid_values(items.iter().map(read::core_value).collect())?;
    let ids: Vec<String> = items.iter().filter_map(Value::as_str).map(str::to_owned).collect();
    check_customer_uids(&ids)?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_schedules_params() {
        let p = ListSchedulesParams::from_json(json!({
            "customer_uid": "c", "from": "2027-01-01T00:00:00Z", "to": 1_830_297_600, "status": "revoked",
        }))
        .unwrap();
        assert_eq!((p.from, p.to, p.status), (1_798_761_600, 1_830_297_600, Some(ScheduleStatus::Revoked)));
        for (bad, field) in [
            (json!({ "customer_uid": "c", "to": 2 }), "from"),
            (json!({ "customer_uid": "c", "from": 1_798_761_600_000u64, "to": 2 }), "from"),
            (json!({ "customer_uid": "c", "from": 5, "to": 4 }), "to"),
            (json!({ "customer_uid": "c", "from": 1, "to": 2, "status": "paid" }), "status"),
            (json!({ "customer_uid": "c", "from": 1, "to": 2, "stauts": "paid" }), "stauts"),
            (json!({ "customer_uid": "a/b", "from": 1, "to": 2 }), "customer_uid"),
        ] {
            assert_eq!(ListSchedulesParams::from_json(bad.clone()).unwrap_err().field(), Some(field), "{bad}");
        }
        assert!(ListSchedulesParams::new("c", 7, 7).check().is_ok(), "a range of one second");
    }

    #[test]
    fn reschedule_params() {
        let p = RescheduleParams::from_json(json!({ "merchant_uid": "m", "schedule_at": "2027-01-01T09:00:00+09:00" })).unwrap();
        assert_eq!(p.schedule_at, 1_798_761_600);
        assert_eq!(p.body(), json!({ "schedule_at": 1_798_761_600 }));
        let e = RescheduleParams::from_json(json!({ "merchant_uid": "m" })).unwrap_err();
        assert_eq!(e.to_string(), "schedule_at is required");
        assert!(p.check_ahead(1_798_761_599).is_ok());
        assert_eq!(p.check_ahead(1_798_761_600).unwrap_err().field(), Some("schedule_at"));
    }

    #[test]
    fn customer_uid_lists() {
        assert_eq!(customer_uids_from_json(json!(["a", "b"])).unwrap(), ["a", "b"]);
        for (bad, field) in [
            (json!([]), "customer_uid"),
            (json!("a"), "customer_uid"),
            (json!(["a", 1]), "customer_uid[1]"),
            (json!(["a", "a"]), "customer_uid[1]"),
            (json!(["a", ""]), "customer_uid[1]"),
        ] {
            assert_eq!(customer_uids_from_json(bad.clone()).unwrap_err().field(), Some(field), "{bad}");
        }
        let many: Vec<String> = (0..=BILLING_KEYS_MAX).map(|i| format!("c{i}")).collect();
        assert!(check_customer_uids(&many).is_err());
    }
}
