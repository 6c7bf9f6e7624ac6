//! Payments: the window's issuance, REST charges of a key (`again`), lookups and cancels, and
//! Danal's 10 KRW card check that is cancelled 30 minutes after issuance.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::billing_keys::{self, MSG_NO_CUSTOMER};
use super::{
    custom_data_of, digits, schedules, take_next_outcome, Buyer, Changed, ErrorKind, ModelError,
    Notice, MERCHANT_UID_MAX, PG_ID, PG_PROVIDER,
};
use crate::store::rows;

/// Danal's card-check charge when a key is issued with `amount: 0`.
pub const TEST_CHARGE: i64 = 10;
/// When Danal cancels that test charge, in seconds after issuance.
pub const TEST_CHARGE_CANCEL_AFTER: i64 = 30 * 60;
/// The message for a cancel of nothing.
pub const MSG_NOTHING_TO_CANCEL: &str = "취소할 결제건이 존재하지 않습니다.";
/// The reason a card declines with when nothing more precise was asked for.
pub const DECLINED: &str = "카드사 승인 거절 (declined by the card issuer)";
/// What the real API answers in `user_agent` for every payment.
const USER_AGENT: &str = "sorry_not_supported_anymore";

/// Cards the sandbox "issues" keys for (Danal's masking), picked by customer_uid.
const CARDS: [(&str, &str, &str); 4] = [
    ("신한카드", "361", "451842******3201"),
    ("KB국민카드", "381", "540927******8812"),
    ("삼성카드", "365", "531057******4407"),
    ("현대카드", "367", "409220******1536"),
];

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

/// What the browser window decided (`POST /__sandbox/window/pay`): the `IMP.request_pay` param's
/// fields the sandbox uses, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowPay {
    /// The order id.
    pub merchant_uid: String,
    /// KRW, 0 to issue a key only.
    pub amount: i64,
    /// The key to issue, if any.
    pub customer_uid: Option<String>,
    /// Order name.
    pub name: Option<String>,
    /// Buyer fields.
    pub buyer: Buyer,
    /// Custom data (JSON string).
    pub custom_data: Option<String>,
    /// Webhook URL.
    pub notice_url: Option<String>,
    /// The test card picked in the window: name and masked number.
    pub card: Option<(String, String)>,
    /// `approve`, `decline` or `cancel` (the buyer closed the window).
    pub outcome: String,
    /// The decline's reason.
    pub fail_reason: Option<String>,
}

impl WindowPay {
    /// Reads the request_pay param (other fields are ignored, as iamport's SDK ignores them).
    pub fn from_map(
        params: &Map<String, Value>,
        outcome: &str,
        fail_reason: Option<String>,
    ) -> Result<Self, ModelError> {
        if !matches!(outcome, "approve" | "decline" | "cancel") {
            return Err(ModelError::invalid(
                "outcome must be \"approve\", \"decline\" or \"cancel\"",
            ));
        }
        let text = |k: &str| params.get(k).and_then(Value::as_str).map(str::to_owned);
        let merchant_uid = text("merchant_uid")
            .ok_or_else(|| ModelError::invalid("merchant_uid(string) is required"))?;
        let amount = match params.get("amount") {
            Some(Value::Number(n)) => n.as_i64().filter(|a| *a >= 0),
            _ => None,
        }
        .ok_or_else(|| ModelError::invalid("amount must be a whole number of KRW, 0 or more"))?;
        let short = |k: &str| text(k).filter(|v| !v.is_empty() && v.chars().count() <= 40);
        Ok(WindowPay {
            merchant_uid,
            amount,
            customer_uid: text("customer_uid").filter(|s| !s.is_empty()),
            name: text("name"),
            buyer: Buyer::from_map(params),
            custom_data: custom_data_of(params.get("custom_data")),
            notice_url: text("notice_url"),
            card: short("card_name").zip(short("card_number")),
            outcome: outcome.to_owned(),
            fail_reason,
        })
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The card the window picked, else one of the sandbox's cards chosen by `seed`.
fn window_card(card: Option<&(String, String)>, seed: &str) -> (String, String, String) {
    match card {
        Some((name, number)) => {
            let code = CARDS.iter().find(|c| c.0 == name).map_or("000", |c| c.1);
            (name.clone(), code.to_owned(), number.replace('-', ""))
        }
        None => {
            let i = (fnv(seed) % CARDS.len() as u64) as usize;
            let c = CARDS
                .get(i)
                .copied()
                .unwrap_or(("신한카드", "361", "451842******3201"));
            (c.0.to_owned(), c.1.to_owned(), c.2.to_owned())
        }
    }
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

fn cancels_of(db: &Connection, imp_uid: &str) -> Result<Vec<CancelHistory>, ModelError> {
    rows::all(
        db,
        "SELECT pg_tid, amount, cancelled_at, reason, cancellation_id, receipt_url FROM cancels
         WHERE imp_uid = ?1 ORDER BY cancelled_at, rowid",
        [imp_uid],
    )
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

fn pg_tid(now: i64) -> String {
    format!("sbx{now}{}", digits(6))
}

/// A new payment in `ready`, not stored yet.
fn new_payment(
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

fn mark_paid(p: &mut Payment, now: i64) {
    p.status = "paid".into();
    p.paid_at = now;
    p.apply_num = Some(digits(8));
}

fn mark_failed(p: &mut Payment, reason: String, now: i64) {
    p.status = "failed".into();
    p.failed_at = now;
    p.fail_reason = Some(reason);
}

/// `POST /__sandbox/window/pay`: what the browser sandbox's window decided. Returns the callback
/// object the SDK hands the page, and the webhook to send.
pub fn window_pay(db: &Connection, req: &WindowPay, now: i64) -> Changed<Value> {
    let fail = |imp_uid: Option<&str>, code: &str, msg: &str| {
        json!({
            "success": false, "imp_uid": imp_uid, "merchant_uid": req.merchant_uid,
            "error_code": code, "error_msg": msg,
        })
    };
    if let Err(e) = check_merchant_uid(db, &req.merchant_uid) {
        let code = match e.kind {
            ErrorKind::Refused => "ALREADY_PAID",
            ErrorKind::Storage => return Err(e),
            _ => "INVALID_MERCHANT_UID",
        };
        return Ok((fail(None, code, &e.message), Vec::new()));
    }
    if req.amount == 0 && req.customer_uid.is_none() {
        return Ok((
            fail(None, "INVALID_AMOUNT", "결제금액은 1원 이상이어야 합니다. (amount 0 needs customer_uid: it only issues a billing key)"),
            Vec::new(),
        ));
    }
    let charged = if req.amount == 0 {
        TEST_CHARGE
    } else {
        req.amount
    };
    let seed = req.customer_uid.as_deref().unwrap_or(&req.merchant_uid);
    let (card_name, card_code, card_number) = window_card(req.card.as_ref(), seed);
    let card = (card_name.as_str(), card_code.as_str(), card_number.as_str());
    let mut p = new_payment(db, &req.merchant_uid, charged, "pc", card, now)?;
    p.name = req.name.clone();
    p.buyer = req.buyer.clone();
    p.custom_data = req.custom_data.clone();
    p.notice_url = req.notice_url.clone();
    if let Some(cu) = &req.customer_uid {
        p.customer_uid = Some(cu.clone());
        p.customer_uid_usage = Some("issue".into());
    }
    if req.outcome != "approve" {
        let (code, msg) = if req.outcome == "decline" {
            let reason = req.fail_reason.clone().unwrap_or_else(|| DECLINED.into());
            ("F400", reason)
        } else {
            let msg = "사용자가 결제를 취소하셨습니다. (the buyer closed the window)";
            ("USER_CANCEL", msg.to_owned())
        };
        mark_failed(&mut p, msg.clone(), now);
        rows::put(db, "payments", &p)?;
        return Ok((fail(Some(&p.imp_uid), code, &msg), Vec::new()));
    }
    mark_paid(&mut p, now);
    if req.amount == 0 {
        p.auto_cancel_at = Some(now.saturating_add(TEST_CHARGE_CANCEL_AFTER));
    }
    if let Some(cu) = &req.customer_uid {
        billing_keys::issue(db, cu, card, &req.buyer, now)?;
    }
    let b = &req.buyer;
    let callback = json!({
        "success": true,
        "imp_uid": p.imp_uid,
        "merchant_uid": p.merchant_uid,
        "pay_method": "card",
        "paid_amount": p.amount,
        "status": "paid",
        "name": p.name,
        "pg_provider": PG_PROVIDER,
        "pg_type": "payment",
        "pg_tid": p.pg_tid,
        "card_name": p.card_name,
        "card_number": p.card_number,
        "card_quota": 0,
        "apply_num": p.apply_num,
        "paid_at": p.paid_at,
        "currency": "KRW",
        "customer_uid": p.customer_uid,
        "customer_uid_usage": p.customer_uid_usage,
        "buyer_name": b.buyer_name,
        "buyer_email": b.buyer_email,
        "buyer_tel": b.buyer_tel,
        "buyer_addr": b.buyer_addr,
        "buyer_postcode": b.buyer_postcode,
        "custom_data": p.custom_data,
        "receipt_url": p.receipt_url,
    });
    rows::put(db, "payments", &p)?;
    Ok((callback, vec![Notice::of(&p)]))
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

#[cfg(test)]
#[path = "payments_tests.rs"]
mod tests;
