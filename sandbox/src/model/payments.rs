//! Payments: the stored Payment, lookups, and REST charges of a key (`again`, scheduled runs). The
//! window's issuance is in [`super::window`], cancels in [`super::cancels`].

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::billing_keys::{self, MSG_NO_CUSTOMER};
use super::page::{self, Page};
use super::{
    digits, take_next_outcome, Buyer, Changed, ModelError, Notice, MERCHANT_UID_MAX, PG_ID,
    PG_PROVIDER,
};
use crate::store::rows;

/// The reason a card declines with when nothing more precise was asked for.
pub const DECLINED: &str = "카드사 승인 거절 (declined by the card issuer)";
/// What the real API answers in `user_agent` for every payment.
const USER_AGENT: &str = "sorry_not_supported_anymore";

/// One entry of a payment's `cancel_history` (a row of the `cancels` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelHistory {
    /// PG transaction id of the cancel.
    pub pg_tid: String,
    /// Amount cancelled.
    pub amount: i64,
    /// When (unix seconds).
    pub cancelled_at: i64,
    /// Why.
    pub reason: String,
    /// The cancel's id.
    pub cancellation_id: String,
    /// Receipt (a sandbox placeholder).
    pub receipt_url: String,
}

/// A payment as stored (iamport's PaymentAnnotation, less the fields that are constant here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// iamport's id, `imps_` + 12 digits.
    pub imp_uid: String,
    /// The merchant's order id.
    pub merchant_uid: String,
    /// Always `card`.
    pub pay_method: String,
    /// `pc` for the window, `api` for REST charges.
    pub channel: String,
    /// Always `danal_tpay`.
    pub pg_provider: String,
    /// PG transaction id.
    pub pg_tid: String,
    /// PG merchant id (a sandbox placeholder).
    pub pg_id: String,
    /// Always false.
    pub escrow: bool,
    /// Card approval number (null unless paid).
    pub apply_num: Option<String>,
    /// Card company code.
    pub card_code: Option<String>,
    /// Card company name.
    pub card_name: Option<String>,
    /// Instalments (0 = lump sum).
    pub card_quota: i64,
    /// Masked card number.
    pub card_number: Option<String>,
    /// 0 credit, 1 check card.
    pub card_type: Option<i64>,
    /// Order name.
    pub name: Option<String>,
    /// Amount charged (KRW).
    pub amount: i64,
    /// Amount cancelled so far.
    pub cancel_amount: i64,
    /// Always `KRW`.
    pub currency: String,
    /// Buyer fields.
    #[serde(flatten)]
    pub buyer: Buyer,
    /// The merchant's custom data, as a JSON string.
    pub custom_data: Option<String>,
    /// `paid`, `failed` or `cancelled` (`ready` is never stored by this sandbox).
    pub status: String,
    /// When the payment started.
    pub started_at: i64,
    /// When it was paid (0 if not).
    pub paid_at: i64,
    /// When it failed (0 if not).
    pub failed_at: i64,
    /// When it was cancelled (0 if not).
    pub cancelled_at: i64,
    /// Why it failed.
    pub fail_reason: Option<String>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// Receipt (a sandbox placeholder).
    pub receipt_url: Option<String>,
    /// Cancels made so far (the `cancels` table).
    #[serde(default)]
    pub cancel_history: Vec<CancelHistory>,
    /// Always false.
    pub cash_receipt_issued: bool,
    /// The billing key this payment issued or used.
    pub customer_uid: Option<String>,
    /// `issue`, `payment` or `payment.scheduled` (null for a plain payment).
    pub customer_uid_usage: Option<String>,
    /// This sandbox's payments are test payments.
    pub sandbox: bool,
    /// Where webhooks for this payment go (not part of iamport's answer).
    #[serde(default)]
    pub notice_url: Option<String>,
    /// When the sandbox cancels Danal's 10 KRW test charge (not part of iamport's answer).
    #[serde(default)]
    pub auto_cancel_at: Option<i64>,
}

impl Payment {
    /// The object iamport answers with: without the sandbox's bookkeeping fields, with the fields
    /// a Danal card payment has no value for (null, or 0 for the virtual account's times).
    pub fn to_api(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.remove("notice_url");
            m.remove("auto_cancel_at");
            for k in [
                "emb_pg_provider",
                "bank_code",
                "bank_name",
                "card_issuer_code",
                "card_issuer_name",
                "card_publisher_code",
                "card_publisher_name",
                "vbank_code",
                "vbank_name",
                "vbank_num",
                "vbank_holder",
            ] {
                m.insert(k.into(), Value::Null);
            }
            m.insert("vbank_date".into(), json!(0));
            m.insert("vbank_issued_at".into(), json!(0));
            m.insert("user_agent".into(), json!(USER_AGENT));
            let receipts: Vec<&str> = self
                .cancel_history
                .iter()
                .map(|c| c.receipt_url.as_str())
                .collect();
            m.insert("cancel_receipt_urls".into(), json!(receipts));
        }
        v
    }
}

/// A charge request (`POST /subscribe/payments/again`, or one schedule entry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChargeRequest {
    /// The key to charge.
    pub customer_uid: String,
    /// The merchant's order id.
    pub merchant_uid: String,
    /// Amount (KRW, > 0).
    pub amount: i64,
    /// Order name.
    pub name: Option<String>,
    /// Buyer fields.
    pub buyer: Buyer,
    /// Custom data (JSON string).
    pub custom_data: Option<String>,
    /// Webhook URL.
    pub notice_url: Option<String>,
    /// Instalments.
    pub card_quota: i64,
}

/// The payment with this imp_uid, with its cancel history.
pub fn payment(db: &Connection, imp_uid: &str) -> Result<Payment, ModelError> {
    let p: Option<Payment> = rows::one(db, "SELECT * FROM payments WHERE imp_uid = ?1", [imp_uid])?;
    let mut p = p.ok_or_else(|| {
        ModelError::not_found("존재하지 않는 결제정보입니다. (no payment with this imp_uid)")
    })?;
    p.cancel_history = cancels_of(db, imp_uid)?;
    Ok(p)
}

pub(super) fn cancels_of(db: &Connection, imp_uid: &str) -> Result<Vec<CancelHistory>, ModelError> {
    Ok(rows::all(
        db,
        "SELECT pg_tid, amount, cancelled_at, reason, cancellation_id, receipt_url FROM cancels
         WHERE imp_uid = ?1 ORDER BY cancelled_at, rowid",
        [imp_uid],
    )?)
}

/// `GET /subscribe/customers/{customer_uid}/payments`: every payment of the key (its issuance,
/// charges and scheduled charges, whatever their status), newest first, one page. Not found when
/// there is no such key and never was a payment with it.
pub fn of_customer(
    db: &Connection,
    customer_uid: &str,
    page: i64,
) -> Result<Page<Payment>, ModelError> {
    let (size, offset) = page::window(page, page::page_size(db)?)?;
    let total: i64 = db
        .prepare_cached("SELECT count(*) FROM payments WHERE customer_uid = ?1")?
        .query_row([customer_uid], |r| r.get(0))?;
    if total == 0 && !billing_keys::exists(db, customer_uid)? {
        return Err(ModelError::not_found(format!(
            "요청하신 customer_uid({customer_uid})로 등록된 정보를 찾을 수 없습니다."
        )));
    }
    let ids: Vec<String> = db
        .prepare_cached(
            "SELECT imp_uid FROM payments WHERE customer_uid = ?1
             ORDER BY started_at DESC, rowid DESC LIMIT ?2 OFFSET ?3",
        )?
        .query_map(rusqlite::params![customer_uid, size, offset], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let list = ids
        .iter()
        .map(|i| payment(db, i))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::new(total, page, size, list))
}

/// The newest payment with this merchant_uid (and status, when given and not `all`).
pub fn find_payment(
    db: &Connection,
    merchant_uid: &str,
    status: Option<&str>,
) -> Result<Payment, ModelError> {
    let status = status.filter(|s| *s != "all");
    let imp_uid: Option<String> = db
        .prepare_cached(
            "SELECT imp_uid FROM payments WHERE merchant_uid = ?1 AND (?2 IS NULL OR status = ?2)
             ORDER BY started_at DESC, paid_at DESC, failed_at DESC, rowid DESC LIMIT 1",
        )?
        .query_map(rusqlite::params![merchant_uid, status], |r| r.get(0))?
        .next()
        .transpose()?;
    match imp_uid {
        Some(i) => payment(db, &i),
        None => Err(ModelError::not_found(
            "존재하지 않는 결제정보입니다. (no payment with this merchant_uid)",
        )),
    }
}

/// Refuses a merchant_uid of the wrong length, or one already paid (or cancelled).
pub fn check_merchant_uid(db: &Connection, merchant_uid: &str) -> Result<(), ModelError> {
    if merchant_uid.is_empty() || merchant_uid.chars().count() > MERCHANT_UID_MAX {
        return Err(ModelError::invalid(format!(
            "merchant_uid는 1~{MERCHANT_UID_MAX}자여야 합니다. (merchant_uid must be 1 to {MERCHANT_UID_MAX} characters)"
        )));
    }
    let taken = db
        .prepare_cached(
            "SELECT 1 FROM payments WHERE merchant_uid = ?1 AND status IN ('paid', 'cancelled')",
        )?
        .exists([merchant_uid])?;
    if taken {
        return Err(ModelError::refused(
            "이미 결제가 완료된 merchant_uid입니다. (this merchant_uid is already paid)",
        ));
    }
    Ok(())
}

fn new_imp_uid(db: &Connection) -> Result<String, ModelError> {
    loop {
        let uid = format!("imps_{}", digits(12));
        let taken = db
            .prepare_cached("SELECT 1 FROM payments WHERE imp_uid = ?1")?
            .exists([&uid])?;
        if !taken {
            return Ok(uid);
        }
    }
}

pub(super) fn pg_tid(now: i64) -> String {
    format!("sbx{now}{}", digits(6))
}

/// A new payment in `ready`, not stored yet.
pub(super) fn new_payment(
    db: &Connection,
    merchant_uid: &str,
    amount: i64,
    channel: &str,
    card: (&str, &str, &str),
    now: i64,
) -> Result<Payment, ModelError> {
    let imp_uid = new_imp_uid(db)?;
    Ok(Payment {
        receipt_url: Some(format!("/__sandbox/receipt/{imp_uid}")),
        imp_uid,
        merchant_uid: merchant_uid.to_owned(),
        pay_method: "card".into(),
        channel: channel.into(),
        pg_provider: PG_PROVIDER.into(),
        pg_tid: pg_tid(now),
        pg_id: PG_ID.into(),
        escrow: false,
        apply_num: None,
        card_code: Some(card.1.into()),
        card_name: Some(card.0.into()),
        card_quota: 0,
        card_number: Some(card.2.into()),
        card_type: Some(0),
        name: None,
        amount,
        cancel_amount: 0,
        currency: "KRW".into(),
        buyer: Buyer::default(),
        custom_data: None,
        status: "ready".into(),
        started_at: now,
        paid_at: 0,
        failed_at: 0,
        cancelled_at: 0,
        fail_reason: None,
        cancel_reason: None,
        cancel_history: Vec::new(),
        cash_receipt_issued: false,
        customer_uid: None,
        customer_uid_usage: None,
        sandbox: true,
        notice_url: None,
        auto_cancel_at: None,
    })
}

pub(super) fn mark_paid(p: &mut Payment, now: i64) {
    p.status = "paid".into();
    p.paid_at = now;
    p.apply_num = Some(digits(8));
}

pub(super) fn mark_failed(p: &mut Payment, reason: String, now: i64) {
    p.status = "failed".into();
    p.failed_at = now;
    p.fail_reason = Some(reason);
}

/// Refuses a charge of nothing, of a used merchant_uid, or of an unknown key.
pub fn check_charge(db: &Connection, req: &ChargeRequest) -> Result<(), ModelError> {
    if req.amount <= 0 {
        return Err(ModelError::invalid(
            "amount는 1원 이상이어야 합니다. (amount must be at least 1 KRW)",
        ));
    }
    check_merchant_uid(db, &req.merchant_uid)?;
    if !billing_keys::exists(db, &req.customer_uid)? {
        return Err(ModelError::refused(MSG_NO_CUSTOMER));
    }
    Ok(())
}

/// Charges a key (checked by [`check_charge`]): declined for the test keys, else as the next
/// outcome says (approved when none was set).
pub fn charge(
    db: &Connection,
    req: &ChargeRequest,
    usage: &str,
    now: i64,
) -> Result<Payment, ModelError> {
    let key = billing_keys::customer(db, &req.customer_uid).ok();
    let card = key
        .as_ref()
        .map(|c| {
            (
                c.card_name.as_str(),
                c.card_code.as_str(),
                c.card_number.as_str(),
            )
        })
        .unwrap_or_default();
    let mut p = new_payment(db, &req.merchant_uid, req.amount, "api", card, now)?;
    p.name = req.name.clone();
    p.buyer = req.buyer.clone();
    p.custom_data = req.custom_data.clone();
    p.notice_url = req.notice_url.clone();
    p.card_quota = req.card_quota;
    p.customer_uid = Some(req.customer_uid.clone());
    p.customer_uid_usage = Some(usage.into());
    if key.is_none() {
        mark_failed(&mut p, MSG_NO_CUSTOMER.into(), now);
    } else if let Some(reason) = billing_keys::test_decline(&req.customer_uid) {
        mark_failed(&mut p, reason.into(), now);
    } else {
        let outcome = take_next_outcome(db)?;
        if outcome.approve {
            mark_paid(&mut p, now);
        } else {
            mark_failed(
                &mut p,
                outcome.fail_reason.unwrap_or_else(|| DECLINED.into()),
                now,
            );
        }
    }
    rows::put(db, "payments", &p)?;
    Ok(p)
}

/// A scheduled charge that could not run (its key was deleted, its merchant_uid paid meanwhile):
/// a failed payment with the reason, as iamport records it.
pub fn record_refused(
    db: &Connection,
    req: &ChargeRequest,
    reason: String,
    now: i64,
) -> Result<Payment, ModelError> {
    let mut p = new_payment(db, &req.merchant_uid, req.amount, "api", ("", "", ""), now)?;
    p.name = req.name.clone();
    p.buyer = req.buyer.clone();
    p.notice_url = req.notice_url.clone();
    p.customer_uid = Some(req.customer_uid.clone());
    p.customer_uid_usage = Some("payment.scheduled".into());
    mark_failed(&mut p, reason, now);
    rows::put(db, "payments", &p)?;
    Ok(p)
}

/// `POST /subscribe/payments/again`: a declined card is `Ok` with status `failed`.
pub fn again(db: &Connection, req: &ChargeRequest, now: i64) -> Changed<Payment> {
    check_charge(db, req)?;
    let p = charge(db, req, "payment", now)?;
    let notices = if p.status == "paid" {
        vec![Notice::of(&p)]
    } else {
        Vec::new()
    };
    Ok((p, notices))
}
