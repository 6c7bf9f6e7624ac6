//! Scheduled charges: made, revoked, looked up, and run when the sandbox clock reaches them.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::payments::{self, ChargeRequest};
use super::{Buyer, ModelError, Notice, PG_ID, PG_PROVIDER};
use crate::store::rows;

/// The message for an unschedule of nothing.
pub const MSG_NOTHING_TO_UNSCHEDULE: &str = "취소할 예약결제 기록이 존재하지 않습니다.";

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
}

fn get(db: &Connection, merchant_uid: &str) -> Result<Option<Schedule>, ModelError> {
    rows::one(
        db,
        "SELECT * FROM schedules WHERE merchant_uid = ?1",
        [merchant_uid],
    )
}

/// The schedule for merchant_uid.
pub fn schedule_of(db: &Connection, merchant_uid: &str) -> Result<Schedule, ModelError> {
    get(db, merchant_uid)?.ok_or_else(|| {
        ModelError::not_found("존재하지 않는 예약결제입니다. (no schedule with this merchant_uid)")
    })
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
        let req = ChargeRequest {
            customer_uid: s.customer_uid.clone(),
            merchant_uid: s.merchant_uid.clone(),
            amount: s.amount,
            name: s.name.clone(),
            buyer: s.buyer.clone(),
            custom_data: s.custom_data.clone(),
            notice_url: s.notice_url.clone(),
            card_quota: 0,
        };
        let p = match payments::check_charge(db, &req) {
            Ok(()) => payments::charge(db, &req, "payment.scheduled", now)?,
            Err(e) if e.kind == super::ErrorKind::Storage => return Err(e),
            Err(e) => payments::record_refused(db, &req, e.message, now)?,
        };
        s.schedule_status = "executed".into();
        s.executed_at = now;
        s.imp_uid = Some(p.imp_uid.clone());
        s.payment_status = Some(p.status.clone());
        s.fail_reason = p.fail_reason.clone();
        rows::put(db, "schedules", &s)?;
        notices.push(Notice::of(&p));
    }
    Ok(notices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{charge, db, issue};
    use crate::model::{set_next_outcome, tick, ErrorKind, Outcome};

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
