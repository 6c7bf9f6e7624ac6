//! Cancels (`POST /payments/cancel`, whole or partial) and Danal's automatic cancel of its card-check
//! charge.

use rusqlite::Connection;

use super::payments::{find_payment, payment, pg_tid, CancelHistory, Payment};
use super::{digits, schedules, Changed, ErrorKind, ModelError, Notice};
use crate::store::rows;

/// The message for a cancel of nothing.
pub const MSG_NOTHING_TO_CANCEL: &str = "취소할 결제건이 존재하지 않습니다.";

/// A cancel request (`POST /payments/cancel`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CancelRequest {
    /// Which payment (first choice).
    pub imp_uid: Option<String>,
    /// Which payment (if no imp_uid).
    pub merchant_uid: Option<String>,
    /// Partial amount; the rest when absent.
    pub amount: Option<i64>,
    /// The cancellable amount the merchant believes is left.
    pub checksum: Option<i64>,
    /// Why.
    pub reason: Option<String>,
}

/// `POST /payments/cancel`.
pub fn cancel(db: &Connection, req: &CancelRequest, now: i64) -> Changed<Payment> {
    let imp_uid = match (&req.imp_uid, &req.merchant_uid) {
        (Some(i), _) => payment(db, i).ok().map(|p| p.imp_uid),
        (None, Some(m)) => find_payment(db, m, Some("paid")).ok().map(|p| p.imp_uid),
        (None, None) => {
            return Err(ModelError::invalid(
                "imp_uid 또는 merchant_uid가 필요합니다. (imp_uid or merchant_uid is required)",
            ))
        }
    };
    let reason = req.reason.clone().unwrap_or_default();
    let imp_uid = imp_uid.ok_or_else(|| ModelError::refused(MSG_NOTHING_TO_CANCEL))?;
    cancel_payment(db, &imp_uid, req.amount, req.checksum, reason, now)
}

fn cancel_payment(
    db: &Connection,
    imp_uid: &str,
    amount: Option<i64>,
    checksum: Option<i64>,
    reason: String,
    now: i64,
) -> Changed<Payment> {
    let mut p = payment(db, imp_uid).map_err(|_| ModelError::refused(MSG_NOTHING_TO_CANCEL))?;
    if p.status == "cancelled" {
        return Err(ModelError::refused(
            "이미 전액취소된 주문입니다. (already fully cancelled)",
        ));
    }
    if p.status != "paid" {
        return Err(ModelError::refused(MSG_NOTHING_TO_CANCEL));
    }
    let left = p.amount - p.cancel_amount;
    if let Some(c) = checksum {
        if c != left {
            return Err(ModelError::refused(format!(
                "checksum({c})이 취소가능금액({left})과 일치하지 않습니다. (checksum does not match the cancellable amount)"
            )));
        }
    }
    let amount = amount.unwrap_or(left);
    if amount <= 0 || amount > left {
        return Err(ModelError::refused(format!(
            "취소가능금액({left})을 벗어났습니다. (the amount must be 1 to {left})"
        )));
    }
    let entry = CancelHistory {
        pg_tid: pg_tid(now),
        amount,
        cancelled_at: now,
        reason: reason.clone(),
        cancellation_id: format!("sbxc{now}{}", digits(8)),
        receipt_url: format!("/__sandbox/receipt/{imp_uid}"),
    };
    db.prepare_cached(
        "INSERT INTO cancels (cancellation_id, imp_uid, pg_tid, amount, cancelled_at, reason, receipt_url)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        entry.cancellation_id,
        imp_uid,
        entry.pg_tid,
        entry.amount,
        entry.cancelled_at,
        entry.reason,
        entry.receipt_url
    ])?;
    p.cancel_history.push(entry);
    p.cancel_amount += amount;
    p.cancel_reason = Some(reason);
    p.auto_cancel_at = None;
    if p.cancel_amount == p.amount {
        p.status = "cancelled".into();
        p.cancelled_at = now;
        schedules::payment_cancelled(db, imp_uid)?;
    }
    rows::put(db, "payments", &p)?;
    let mut notice = Notice::of(&p);
    notice.status = "cancelled".into();
    Ok((p, vec![notice]))
}

/// Whether a test charge is due to be cancelled at `now`.
pub fn has_due_cancel(db: &Connection, now: i64) -> Result<bool, ModelError> {
    Ok(db
        .prepare_cached("SELECT 1 FROM payments WHERE auto_cancel_at <= ?1")?
        .exists([now])?)
}

/// Cancels the test charges due at `now`.
pub fn run_due_cancels(db: &Connection, now: i64) -> Result<Vec<Notice>, ModelError> {
    let due: Vec<String> = db
        .prepare_cached("SELECT imp_uid FROM payments WHERE auto_cancel_at <= ?1")?
        .query_map([now], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut notices = Vec::new();
    for imp_uid in due {
        let reason = "다날 빌링키 발급 확인용 결제 자동취소 (Danal's card-check charge, cancelled automatically)".to_owned();
        match cancel_payment(db, &imp_uid, None, None, reason, now) {
            Ok((_, n)) => notices.extend(n),
            Err(e) if e.kind == ErrorKind::Storage => return Err(e),
            Err(_) => {
                db.prepare_cached("UPDATE payments SET auto_cancel_at = NULL WHERE imp_uid = ?1")?
                    .execute([&imp_uid])?;
            }
        }
    }
    Ok(notices)
}
