//! The params of a subscription's later life: [`ListSchedulesParams`] (a key's schedules in a time
//! range), [`RescheduleParams`] (a schedule at a new time) and the list of keys of
//! [`Client::get_billing_keys`](crate::Client::get_billing_keys).

use serde_json::Value;

use super::read::{not_a, Obj};
use super::rules;
use super::schedule::read_time;
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

const LIST_KEYS: &[&str] = &["customer_uid", "from", "to", "status"];

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
        let obj = Obj::new(&value, "", LIST_KEYS)?;
        let params = ListSchedulesParams {
            customer_uid: obj.req_str("customer_uid")?.to_owned(),
            from: read_time(&obj, "from")?,
            to: read_time(&obj, "to")?,
            status: obj.opt_str("status")?.map(ScheduleStatus::from),
        };
        params.check()?;
        Ok(params)
    }

    /// Checks every field.
    pub fn check(&self) -> Result<(), Error> {
        rules::customer_uid("customer_uid", &self.customer_uid)?;
        rules::schedule_at("from", self.from)?;
        rules::schedule_at("to", self.to)?;
        if self.to < self.from {
            return Err(Error::invalid("to", format!("to ({}) must not be before from ({})", self.to, self.from)));
        }
        match &self.status {
            None | Some(ScheduleStatus::Scheduled | ScheduleStatus::Executed | ScheduleStatus::Revoked) => Ok(()),
            Some(other) => Err(Error::invalid(
                "status",
                format!("status must be scheduled, executed or revoked (got '{}')", other.as_str().chars().take(40).collect::<String>()),
            )),
        }
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
        let obj = Obj::new(&value, "", &["merchant_uid", "schedule_at"])?;
        let params = RescheduleParams {
            merchant_uid: obj.req_str("merchant_uid")?.to_owned(),
            schedule_at: read_time(&obj, "schedule_at")?,
        };
        params.check()?;
        Ok(params)
    }

    /// Checks every field (not yet against iamport's clock: the client does that).
    pub fn check(&self) -> Result<(), Error> {
        rules::merchant_uid("merchant_uid", &self.merchant_uid)?;
        rules::schedule_at("schedule_at", self.schedule_at)
    }

    pub(crate) fn body(&self) -> Value {
        serde_json::json!({ "schedule_at": self.schedule_at })
    }
}

/// The `customer_uid`s of [`Client::get_billing_keys`](crate::Client::get_billing_keys): one to
/// [`BILLING_KEYS_MAX`], each valid, none twice.
pub(crate) fn check_customer_uids<S: AsRef<str>>(ids: &[S]) -> Result<(), Error> {
    if ids.is_empty() {
        return Err(Error::invalid("customer_uid", "customer_uid must hold at least one customer_uid"));
    }
    if ids.len() > BILLING_KEYS_MAX {
        return Err(Error::invalid(
            "customer_uid",
            format!("customer_uid holds {} ids: ask for at most {BILLING_KEYS_MAX} at a time", ids.len()),
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        let at = format!("customer_uid[{i}]");
        rules::customer_uid(&at, id.as_ref())?;
        if ids.iter().take(i).any(|earlier| earlier.as_ref() == id.as_ref()) {
            return Err(Error::invalid(&at, format!("{at} repeats an earlier customer_uid")));
        }
    }
    Ok(())
}

/// The JSON form of [`Client::get_billing_keys`](crate::Client::get_billing_keys)' list: an array
/// of strings.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn customer_uids_from_json(value: Value) -> Result<Vec<String>, Error> {
    let Value::Array(items) = value else {
        return Err(not_a("customer_uid", "an array of customer_uid strings", &value));
    };
    let ids = items
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(s) => Ok(s),
            other => Err(not_a(&format!("customer_uid[{i}]"), "a string", &other)),
        })
        .collect::<Result<Vec<_>, _>>()?;
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
