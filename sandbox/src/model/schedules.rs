//! Scheduled charges: made, revoked, looked up, and run when the sandbox clock reaches them.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::billing_keys;
use super::page::{self, Page};
use super::payments::{self, ChargeRequest, Payment};
use super::{Buyer, Changed, ErrorKind, ModelError, Notice, PG_ID, PG_PROVIDER};
use crate::store::rows;

/// The message for an unschedule of nothing.
pub const MSG_NOTHING_TO_UNSCHEDULE: &str = "취소할 예약결제 기록이 존재하지 않습니다.";
/// The longest range one list of a customer's schedules may cover: the sandbox's reading of the
/// published "at most 3 months a query" (whose exact rule is not published) as 90 days.
pub const MAX_LIST_RANGE: i64 = 90 * 24 * 3600;
/// The statuses a list may be narrowed to (`schedule-status`).
pub const STATUSES: [&str; 3] = ["scheduled", "executed", "revoked"];

/// A schedule as stored (iamport's ScheduleResultAnnotation, less the constant fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The key charged.
    pub customer_uid: String,
    /// The order id the charge will use.
    pub merchant_uid: String,
    /// The payment, once run.
    pub imp_uid: Option<String>,
    /// When due (unix seconds, sandbox clock).
    pub schedule_at: i64,
    /// When run (0 if not).
    pub executed_at: i64,
    /// When revoked (0 if not).
    pub revoked_at: i64,
    /// Amount to charge.
    pub amount: i64,
    /// Always `KRW`.
    pub currency: String,
    /// Order name.
    pub name: Option<String>,
    /// Buyer fields.
    #[serde(flatten)]
    pub buyer: Buyer,
    /// Custom data, as a JSON string.
    pub custom_data: Option<String>,
    /// `scheduled`, `executed` or `revoked`.
    pub schedule_status: String,
    /// null until run, then `paid` or `failed` (`cancelled` once the payment is cancelled).
    pub payment_status: Option<String>,
    /// Why the run failed.
    pub fail_reason: Option<String>,
    /// Where the webhook goes (not part of iamport's answer).
    #[serde(default)]
    pub notice_url: Option<String>,
}

impl Schedule {
    /// The object iamport answers with.
    pub fn to_api(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.remove("notice_url");
            m.insert("pg_provider".into(), PG_PROVIDER.into());
            m.insert("pg_id".into(), PG_ID.into());
            m.insert("customer_id".into(), Value::Null);
        }
        v
    }

    /// The charge this schedule makes.
    fn charge_request(&self) -> ChargeRequest {
        ChargeRequest {
            customer_uid: self.customer_uid.clone(),
            merchant_uid: self.merchant_uid.clone(),
            amount: self.amount,
            name: self.name.clone(),
            buyer: self.buyer.clone(),
            custom_data: self.custom_data.clone(),
            notice_url: self.notice_url.clone(),
            card_quota: 0,
        }
    }

    /// Records that this schedule ran and made payment `p`.
    fn ran(&mut self, p: &Payment, now: i64) {
        self.schedule_status = "executed".into();
        self.executed_at = now;
        self.imp_uid = Some(p.imp_uid.clone());
        self.payment_status = Some(p.status.clone());
        self.fail_reason = p.fail_reason.clone();
    }
}

fn get(db: &Connection, merchant_uid: &str) -> Result<Option<Schedule>, ModelError> {
    Ok(rows::one(
        db,
        "SELECT * FROM schedules WHERE merchant_uid = ?1",
        [merchant_uid],
    )?)
}

/// The schedule for merchant_uid.
pub fn schedule_of(db: &Connection, merchant_uid: &str) -> Result<Schedule, ModelError> {
    get(db, merchant_uid)?.ok_or_else(|| {
        ModelError::not_found("존재하지 않는 예약결제입니다. (no schedule with this merchant_uid)")
    })
}

/// What `GET /subscribe/payments/schedule/customers/{customer_uid}` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Whose schedules.
    pub customer_uid: String,
    /// From (unix seconds, `from <= schedule_at`).
    pub from: i64,
    /// To (unix seconds, `schedule_at < to`).
    pub to: i64,
    /// Only this `schedule_status` (one of [`STATUSES`]).
    pub status: Option<String>,
    /// The page, from 1.
    pub page: i64,
}

/// A customer's schedules due in `[from, to)`, newest `schedule_at` first, one page. A range longer
/// than [`MAX_LIST_RANGE`] is refused, as iamport refuses one over 3 months.
pub fn list_of_customer(db: &Connection, q: &ListQuery) -> Result<Page<Schedule>, ModelError> {
    if q.from >= q.to {
        return Err(ModelError::invalid(
            "to는 from보다 커야 합니다. (to must be after from)",
        ));
    }
    if q.to.saturating_sub(q.from) > MAX_LIST_RANGE {
        return Err(ModelError::invalid(format!(
            "조회 기간은 최대 3개월입니다. (from..to spans at most 3 months: {MAX_LIST_RANGE} seconds here; split a longer range)"
        )));
    }
    if let Some(s) = q.status.as_deref().filter(|s| !STATUSES.contains(s)) {
        return Err(ModelError::invalid(format!(
            "schedule-status는 {} 중 하나여야 합니다: {s} (schedule-status must be one of those)",
            STATUSES.join(", ")
        )));
    }
    let (size, offset) = page::window(q.page, page::page_size(db)?)?;
    let filter = rusqlite::params![q.customer_uid, q.from, q.to, q.status];
    let total: i64 = db
        .prepare_cached(
            "SELECT count(*) FROM schedules WHERE customer_uid = ?1 AND schedule_at >= ?2
             AND schedule_at < ?3 AND (?4 IS NULL OR schedule_status = ?4)",
        )?
        .query_row(filter, |r| r.get(0))?;
    let list = rows::all(
        db,
        "SELECT * FROM schedules WHERE customer_uid = ?1 AND schedule_at >= ?2 AND schedule_at < ?3
         AND (?4 IS NULL OR schedule_status = ?4)
         ORDER BY schedule_at DESC, merchant_uid DESC LIMIT ?5 OFFSET ?6",
        rusqlite::params![q.customer_uid, q.from, q.to, q.status, size, offset],
    )?;
    Ok(Page::new(total, q.page, size, list))
}

/// Whether a schedule may be charged again or scheduled again: its run failed, or it was revoked.
fn check_failed_or_revoked(s: &Schedule, what: &str) -> Result<(), ModelError> {
    let failed = s.schedule_status == "executed" && s.payment_status.as_deref() == Some("failed");
    if failed || s.schedule_status == "revoked" {
        return Ok(());
    }
    let now = match (s.schedule_status.as_str(), s.payment_status.as_deref()) {
        ("scheduled", _) => {
            "아직 실행되지 않은 예약결제입니다. (the schedule has not run yet)".to_owned()
        }
        (_, Some(status)) => {
            format!("이미 승인된 예약결제입니다: {status} (the schedule's charge is {status})")
        }
        (status, None) => format!("예약결제 상태가 {status}입니다. (the schedule is {status})"),
    };
    Err(ModelError::conflict(format!(
        "{now}; {what}: only a failed or revoked schedule"
    )))
}

/// The charge a schedule makes, refused when its key is gone or its merchant_uid is paid already.
fn charge_of(db: &Connection, s: &Schedule) -> Result<ChargeRequest, ModelError> {
    if !billing_keys::exists(db, &s.customer_uid)? {
        return Err(ModelError::not_found(format!(
            "존재하지 않는 빌링키입니다: {} (the schedule's billing key was deleted)",
            s.customer_uid
        )));
    }
    let req = s.charge_request();
    payments::check_charge(db, &req).map_err(|e| match e.kind {
        ErrorKind::Refused | ErrorKind::Invalid => ModelError::conflict(e.message),
        _ => e,
    })?;
    Ok(req)
}

fn check_future(at: i64, now: i64) -> Result<(), ModelError> {
    if at <= now {
        return Err(ModelError::conflict(format!(
            "schedule_at({at})은 현재시각({now}) 이후여야 합니다. (schedule_at must be in the future)"
        )));
    }
    Ok(())
}

/// `POST /subscribe/payments/schedule/{merchant_uid}/retry`: charges a failed or revoked schedule
/// now. The answer is the payment (declined: `failed`, as for `again`); the webhook goes as for
/// `again` (when paid). A merchant_uid that is paid is never charged again.
pub fn retry(db: &Connection, merchant_uid: &str, now: i64) -> Changed<Payment> {
    let mut s = schedule_of(db, merchant_uid)?;
    check_failed_or_revoked(&s, "retry")?;
    let req = charge_of(db, &s)?;
    let p = payments::charge(db, &req, "payment.scheduled", now)?;
    s.ran(&p, now);
    rows::put(db, "schedules", &s)?;
    let notices = if p.status == "paid" {
        vec![Notice::of(&p)]
    } else {
        Vec::new()
    };
    Ok((p, notices))
}

/// `POST /subscribe/payments/schedule/{merchant_uid}/reschedule`: a failed or revoked schedule,
/// pending again at `at`.
pub fn reschedule(
    db: &Connection,
    merchant_uid: &str,
    at: i64,
    now: i64,
) -> Result<Schedule, ModelError> {
    let mut s = schedule_of(db, merchant_uid)?;
    check_failed_or_revoked(&s, "reschedule")?;
    check_future(at, now)?;
    charge_of(db, &s)?;
    s.schedule_status = "scheduled".into();
    s.schedule_at = at;
    s.executed_at = 0;
    s.revoked_at = 0;
    s.imp_uid = None;
    s.payment_status = None;
    s.fail_reason = None;
    rows::put(db, "schedules", &s)?;
    Ok(s)
}

/// `PUT /subscribe/payments/schedule/{merchant_uid}`: a pending schedule, moved to `at`.
pub fn update(
    db: &Connection,
    merchant_uid: &str,
    at: i64,
    now: i64,
) -> Result<Schedule, ModelError> {
    let mut s = schedule_of(db, merchant_uid)?;
    if s.schedule_status != "scheduled" {
        return Err(ModelError::conflict(format!(
            "이미 실행되었거나 취소된 예약결제입니다: {} (only a pending schedule can be moved)",
            s.schedule_status
        )));
    }
    check_future(at, now)?;
    s.schedule_at = at;
    rows::put(db, "schedules", &s)?;
    Ok(s)
}

/// `POST /subscribe/payments/schedule`: all entries or none.
pub fn schedule(
    db: &Connection,
    reqs: &[(ChargeRequest, i64)],
    now: i64,
) -> Result<Vec<Schedule>, ModelError> {
    if reqs.is_empty() {
        return Err(ModelError::invalid(
            "schedules는 1건 이상이어야 합니다. (schedules must not be empty)",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (req, at) in reqs {
        payments::check_charge(db, req)?;
        if *at <= now {
            return Err(ModelError::refused(format!(
                "schedule_at({at})은 현재시각({now}) 이후여야 합니다. (schedule_at must be in the future)"
            )));
        }
        let busy = get(db, &req.merchant_uid)?.is_some_and(|s| s.schedule_status != "revoked");
        if busy || !seen.insert(req.merchant_uid.clone()) {
            return Err(ModelError::refused(format!(
                "이미 예약된 merchant_uid입니다: {} (this merchant_uid is already scheduled)",
                req.merchant_uid
            )));
        }
    }
    let mut out = Vec::with_capacity(reqs.len());
    for (req, at) in reqs {
        let s = Schedule {
            customer_uid: req.customer_uid.clone(),
            merchant_uid: req.merchant_uid.clone(),
            imp_uid: None,
            schedule_at: *at,
            executed_at: 0,
            revoked_at: 0,
            amount: req.amount,
            currency: "KRW".into(),
            name: req.name.clone(),
            buyer: req.buyer.clone(),
            custom_data: req.custom_data.clone(),
            schedule_status: "scheduled".into(),
            payment_status: None,
            fail_reason: None,
            notice_url: req.notice_url.clone(),
        };
        rows::put(db, "schedules", &s)?;
        out.push(s);
    }
    Ok(out)
}

/// `POST /subscribe/payments/unschedule`: revokes the customer's pending schedules (those named).
pub fn unschedule(
    db: &Connection,
    customer_uid: &str,
    merchant_uids: Option<&[String]>,
    now: i64,
) -> Result<Vec<Schedule>, ModelError> {
    let pending: Vec<Schedule> = rows::all(
        db,
        "SELECT * FROM schedules WHERE customer_uid = ?1 AND schedule_status = 'scheduled'
         ORDER BY merchant_uid",
        [customer_uid],
    )?;
    let mut out = Vec::new();
    for mut s in pending {
        if merchant_uids.is_none_or(|m| m.contains(&s.merchant_uid)) {
            s.schedule_status = "revoked".into();
            s.revoked_at = now;
            rows::put(db, "schedules", &s)?;
            out.push(s);
        }
    }
    if out.is_empty() {
        return Err(ModelError::refused(MSG_NOTHING_TO_UNSCHEDULE));
    }
    Ok(out)
}

/// Revokes every pending schedule of a key (the key is being deleted).
pub fn revoke_all_of(db: &Connection, customer_uid: &str, now: i64) -> Result<(), ModelError> {
    db.prepare_cached(
        "UPDATE schedules SET schedule_status = 'revoked', revoked_at = ?2
         WHERE customer_uid = ?1 AND schedule_status = 'scheduled'",
    )?
    .execute(rusqlite::params![customer_uid, now])?;
    Ok(())
}

/// Marks the schedule that made this payment as `cancelled` (the payment was cancelled in full).
pub fn payment_cancelled(db: &Connection, imp_uid: &str) -> Result<(), ModelError> {
    db.prepare_cached("UPDATE schedules SET payment_status = 'cancelled' WHERE imp_uid = ?1")?
        .execute([imp_uid])?;
    Ok(())
}

/// Whether a schedule is due at `now`.
pub fn has_due(db: &Connection, now: i64) -> Result<bool, ModelError> {
    Ok(db
        .prepare_cached(
            "SELECT 1 FROM schedules WHERE schedule_status = 'scheduled' AND schedule_at <= ?1",
        )?
        .exists([now])?)
}

/// Runs the schedules due at `now`, oldest first: each becomes a payment (paid, or failed with the
/// reason a charge was refused) and a webhook.
pub fn run_due(db: &Connection, now: i64) -> Result<Vec<Notice>, ModelError> {
    let due: Vec<Schedule> = rows::all(
        db,
        "SELECT * FROM schedules WHERE schedule_status = 'scheduled' AND schedule_at <= ?1
         ORDER BY schedule_at, merchant_uid",
        [now],
    )?;
    let mut notices = Vec::new();
    for mut s in due {
        let req = s.charge_request();
        let p = match payments::check_charge(db, &req) {
            Ok(()) => payments::charge(db, &req, "payment.scheduled", now)?,
            Err(e) if e.kind == ErrorKind::Storage => return Err(e),
            Err(e) => payments::record_refused(db, &req, e.message, now)?,
        };
        s.ran(&p, now);
        rows::put(db, "schedules", &s)?;
        notices.push(Notice::of(&p));
    }
    Ok(notices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{charge, db, issue};
    use crate::model::{set_next_outcome, tick, Outcome};

    #[test]
    fn schedules_run_when_due_and_can_be_revoked() {
        let db = db();
        issue(&db, "cu_1", "m_0", 1000, 1);
        let two = [
            (charge("cu_1", "s_1", 9900), 100),
            (charge("cu_1", "s_2", 9900), 200),
        ];
        assert_eq!(schedule(&db, &two, 10).unwrap().len(), 2);
        let again = schedule(&db, &[(charge("cu_1", "s_1", 1), 300)], 10);
        assert_eq!(again.unwrap_err().kind, ErrorKind::Refused);
        let past = schedule(&db, &[(charge("cu_1", "s_9", 1), 5)], 10);
        assert_eq!(past.unwrap_err().kind, ErrorKind::Refused);
        let nobody = schedule(&db, &[(charge("zz", "s_9", 1), 50)], 10);
        assert_eq!(
            nobody.unwrap_err().message,
            super::super::billing_keys::MSG_NO_CUSTOMER
        );
        assert!(
            schedule_of(&db, "s_9").is_err(),
            "a refused batch leaves nothing behind"
        );
        let revoked = unschedule(&db, "cu_1", Some(&["s_2".to_owned()]), 20).unwrap();
        assert_eq!(revoked[0].schedule_status, "revoked");
        let none = unschedule(&db, "cu_1", Some(&["s_2".to_owned()]), 21);
        assert_eq!(none.unwrap_err().message, MSG_NOTHING_TO_UNSCHEDULE);
        assert!(!has_due(&db, 99).unwrap());
        let decline = Outcome {
            approve: false,
            fail_reason: Some("정지카드".into()),
        };
        set_next_outcome(&db, &decline).unwrap();
        let n = tick(&db, 500).unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].status, "failed");
        let s = schedule_of(&db, "s_1").unwrap();
        assert_eq!(
            (s.schedule_status.as_str(), s.payment_status.as_deref()),
            ("executed", Some("failed"))
        );
        let p = payments::payment(&db, s.imp_uid.as_deref().unwrap()).unwrap();
        assert_eq!(p.customer_uid_usage.as_deref(), Some("payment.scheduled"));
        assert_eq!(schedule_of(&db, "s_2").unwrap().schedule_status, "revoked");
        assert!(tick(&db, 1000).unwrap().is_empty());
    }

    #[test]
    fn due_means_scheduled_at_or_before_now() {
        let db = db();
        issue(&db, "cu_1", "m_0", 0, 1);
        schedule(&db, &[(charge("cu_1", "s_1", 9900), 100)], 10).unwrap();
        assert!(!has_due(&db, 99).unwrap());
        assert!(has_due(&db, 100).unwrap());
        assert_eq!(tick(&db, 100).unwrap().len(), 1);
        assert!(!has_due(&db, 1000).unwrap(), "once run it is no longer due");
    }

    #[test]
    fn only_a_failed_or_revoked_schedule_is_charged_again() {
        let db = db();
        issue(&db, "cu_1", "m_0", 0, 1);
        schedule(&db, &[(charge("cu_1", "s_1", 9900), 100)], 10).unwrap();
        let pending = retry(&db, "s_1", 50).unwrap_err();
        assert!(pending.message.contains("아직 실행되지 않은 예약결제입니다"), "{}", pending.message);
        assert_eq!(tick(&db, 100).unwrap()[0].status, "paid");
        // Paid: refused as the schedule's own state, before any charge is tried.
        let paid = retry(&db, "s_1", 150).unwrap_err();
        assert!(paid.message.contains("이미 승인된 예약결제입니다: paid"), "{}", paid.message);
        assert_eq!(payments::find_payment(&db, "s_1", None).unwrap().status, "paid");
    }

    #[test]
    fn a_schedule_paid_meanwhile_runs_as_a_refused_charge_and_a_storage_failure_stops_the_run() {
        let db = db();
        issue(&db, "cu_1", "m_0", 0, 1);
        schedule(&db, &[(charge("cu_1", "s_1", 9900), 100)], 10).unwrap();
        // The same merchant_uid paid by `again` before the schedule is due: iamport refuses the run.
        payments::again(&db, &charge("cu_1", "s_1", 9900), 50).unwrap();
        let n = run_due(&db, 100).unwrap();
        assert_eq!(n.len(), 1);
        let s = schedule_of(&db, "s_1").unwrap();
        assert_eq!((s.schedule_status.as_str(), s.payment_status.as_deref()), ("executed", Some("failed")));
        // A storage failure is an error of the run, not a refused charge recorded as failed.
        schedule(&db, &[(charge("cu_1", "s_2", 9900), 200)], 60).unwrap();
        db.execute_batch("DROP TABLE billing_keys").unwrap();
        assert_eq!(run_due(&db, 200).unwrap_err().kind, ErrorKind::Storage);
        assert_eq!(schedule_of(&db, "s_2").unwrap().schedule_status, "scheduled");
    }

    #[test]
    fn a_scheduled_payment_cancelled_in_full_shows_on_its_schedule() {
        use crate::model::cancels::{cancel, CancelRequest};
        let db = db();
        issue(&db, "cu_1", "m_0", 0, 1);
        schedule(&db, &[(charge("cu_1", "s_1", 9900), 100)], 10).unwrap();
        let run = tick(&db, 100).unwrap();
        let req = CancelRequest { imp_uid: Some(run[0].imp_uid.clone()), merchant_uid: None, amount: None, checksum: None, reason: Some("환불".into()) };
        cancel(&db, &req, 200).unwrap();
        let s = schedule_of(&db, "s_1").unwrap();
        assert_eq!((s.schedule_status.as_str(), s.payment_status.as_deref()), ("executed", Some("cancelled")));
    }

    #[test]
    fn a_test_key_declines_its_scheduled_charge() {
        let db = db();
        issue(&db, "u_decline_balance", "m_0", 0, 1);
        schedule(&db, &[(charge("u_decline_balance", "s_1", 500), 100)], 10).unwrap();
        let n = tick(&db, 100).unwrap();
        assert_eq!(n[0].status, "failed");
        assert_eq!(
            schedule_of(&db, "s_1").unwrap().fail_reason.as_deref(),
            Some("잔액부족")
        );
    }
}
