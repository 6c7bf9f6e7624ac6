//! The browser window's decision (`POST /__sandbox/window/pay`): a payment, and a billing key when
//! `customer_uid` is given; Danal's 10 KRW card check for `amount: 0`.

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::payments::{check_merchant_uid, mark_failed, mark_paid, new_payment, DECLINED};
use super::{
    billing_keys, custom_data_of, Buyer, Changed, ErrorKind, ModelError, Notice, PG_PROVIDER,
};
use crate::store::rows;

/// Danal's card-check charge when a key is issued with `amount: 0`.
pub const TEST_CHARGE: i64 = 10;
/// When Danal cancels that test charge, in seconds after issuance.
pub const TEST_CHARGE_CANCEL_AFTER: i64 = 30 * 60;

/// Cards the sandbox "issues" keys for (Danal's masking), picked by customer_uid.
const CARDS: [(&str, &str, &str); 4] = [
    ("신한카드", "361", "451842******3201"),
    ("KB국민카드", "381", "540927******8812"),
    ("삼성카드", "365", "531057******4407"),
    ("현대카드", "367", "409220******1536"),
];

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
