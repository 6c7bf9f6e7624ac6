//! The sandbox's state and every operation on it, with no HTTP in sight.
//!
//! Each operation takes the sandbox time (`now`, unix seconds on the sandbox clock) as an argument and
//! returns what happened plus the webhooks ([`Notice`]s) it calls for; the server persists the state and
//! delivers the notices. Everything here is plain data, so it is tested directly (see the unit tests at
//! the bottom).

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The PG this sandbox stands in for.
pub const PG_PROVIDER: &str = "danal_tpay";
/// Danal's card-check charge when a key is issued with `amount: 0`.
pub const TEST_CHARGE: i64 = 10;
/// When Danal cancels that test charge, in seconds after issuance.
pub const TEST_CHARGE_CANCEL_AFTER: i64 = 30 * 60;
/// Lifetime of an access token from `POST /users/getToken`.
pub const TOKEN_TTL: i64 = 30 * 60;
/// A token with less than this left is extended by [`TOKEN_EXTENSION`] when asked for again.
pub const TOKEN_EXTEND_BELOW: i64 = 60;
/// See [`TOKEN_EXTEND_BELOW`].
pub const TOKEN_EXTENSION: i64 = 5 * 60;
/// iamport's limit on `merchant_uid`.
pub const MERCHANT_UID_MAX: usize = 40;

/// The message iamport gives for an unknown customer on `again` / `schedule`.
pub const MSG_NO_CUSTOMER: &str = "등록된 고객정보가 없습니다.";
/// The message for a cancel of nothing.
pub const MSG_NOTHING_TO_CANCEL: &str = "취소할 결제건이 존재하지 않습니다.";
/// The message for an unschedule of nothing.
pub const MSG_NOTHING_TO_UNSCHEDULE: &str = "취소할 예약결제 기록이 존재하지 않습니다.";

/// Cards the sandbox "issues" keys for (Danal's masking), picked by customer_uid.
const CARDS: [(&str, &str, &str); 4] = [
    ("신한카드", "361", "451842******3201"),
    ("KB국민카드", "381", "540927******8812"),
    ("삼성카드", "365", "531057******4407"),
    ("현대카드", "367", "409220******1536"),
];

/// What an operation refused, and why. The server maps the kind to an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// The class of failure.
    pub kind: ErrorKind,
    /// iamport-style message for the envelope.
    pub message: String,
}

/// Classes of [`ModelError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Missing, unknown or expired token, or wrong imp_key/imp_secret (HTTP 401).
    Unauthorized,
    /// Unknown imp_uid / customer_uid / merchant_uid on a lookup (HTTP 404).
    NotFound,
    /// The request is well-formed but refused (`code` 1, HTTP 200 as iamport does for these).
    Refused,
    /// A field is missing or has the wrong type or value (HTTP 400, `code` -1).
    Invalid,
}

impl ModelError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ModelError {
            kind,
            message: message.into(),
        }
    }
    /// A refusal (`code` 1).
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Refused, message)
    }
    /// A not-found (HTTP 404).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
    /// A bad request (HTTP 400).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }
    /// An authentication failure (HTTP 401).
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthorized, message)
    }
}

/// A webhook the server should deliver: `{imp_uid, merchant_uid, status}` to `notice_url` (if the
/// payment had one) or the configured URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The payment's `notice_url`, if it gave one.
    #[serde(skip)]
    pub notice_url: Option<String>,
    /// The payment.
    pub imp_uid: String,
    /// The merchant's order id.
    pub merchant_uid: String,
    /// `paid`, `failed` or `cancelled`.
    pub status: String,
}

/// The buyer fields iamport carries on payments and schedules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    /// Buyer's name.
    pub buyer_name: Option<String>,
    /// Buyer's e-mail.
    pub buyer_email: Option<String>,
    /// Buyer's phone number.
    pub buyer_tel: Option<String>,
    /// Buyer's address.
    pub buyer_addr: Option<String>,
    /// Buyer's postcode.
    pub buyer_postcode: Option<String>,
}

impl Buyer {
    /// Reads the `buyer_*` strings of a request object (other types are ignored).
    pub fn from_map(map: &Map<String, Value>) -> Self {
        let s = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
        Buyer {
            buyer_name: s("buyer_name"),
            buyer_email: s("buyer_email"),
            buyer_tel: s("buyer_tel"),
            buyer_addr: s("buyer_addr"),
            buyer_postcode: s("buyer_postcode"),
        }
    }
}

/// One entry of a payment's `cancel_history`.
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
    /// Receipt (a sandbox placeholder).
    pub receipt_url: String,
}

/// iamport's Payment object (the fields the billing flow uses).
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
    /// Cancels made so far.
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
    /// The object iamport answers with (without the sandbox's bookkeeping fields).
    pub fn to_api(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.remove("notice_url");
            m.remove("auto_cancel_at");
        }
        v
    }
}

/// iamport's Customer object (a billing key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The merchant's key id.
    pub customer_uid: String,
    /// Always `danal_tpay`.
    pub pg_provider: String,
    /// PG merchant id (a sandbox placeholder).
    pub pg_id: String,
    /// Card company name.
    pub card_name: String,
    /// Card company code.
    pub card_code: String,
    /// Masked card number.
    pub card_number: String,
    /// `credit`.
    pub card_type: String,
    /// From buyer_name at issuance.
    pub customer_name: Option<String>,
    /// From buyer_tel.
    pub customer_tel: Option<String>,
    /// From buyer_email.
    pub customer_email: Option<String>,
    /// From buyer_addr.
    pub customer_addr: Option<String>,
    /// From buyer_postcode.
    pub customer_postcode: Option<String>,
    /// First issued (unix seconds).
    pub inserted: i64,
    /// Last re-issued.
    pub updated: i64,
}

/// iamport's Schedule object.
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
        }
        v
    }
}

/// The card's answer to the next REST charge, set by the control endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Approve (true) or decline.
    pub approve: bool,
    /// The decline's reason.
    pub fail_reason: Option<String>,
}

/// `POST /users/getToken`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// The token.
    pub access_token: String,
    /// Sandbox time now.
    pub now: i64,
    /// When it expires.
    pub expired_at: i64,
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

/// Everything the sandbox remembers; what the data file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// Seconds the sandbox clock runs ahead of the system clock.
    pub clock_offset: i64,
    /// A counter mixed into generated ids.
    pub seq: u64,
    /// Access tokens and when each expires.
    pub tokens: BTreeMap<String, i64>,
    /// Payments by imp_uid.
    pub payments: BTreeMap<String, Payment>,
    /// Billing keys by customer_uid.
    pub customers: BTreeMap<String, Customer>,
    /// Schedules by merchant_uid.
    pub schedules: BTreeMap<String, Schedule>,
    /// The next REST charge's outcome (approve when none).
    pub next_outcome: Option<Outcome>,
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn random_u64(seq: u64) -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(seq);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.write_u128(nanos);
    h.finish()
}

/// A `custom_data` value as iamport stores it: strings as they are, anything else as JSON text.
pub fn custom_data_of(value: Option<&Value>) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

impl State {
    /// The sandbox time for a given system time.
    pub fn now(&self, system_now: i64) -> i64 {
        system_now.saturating_add(self.clock_offset)
    }

    fn next_seq(&mut self) -> u64 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    fn digits(&mut self, n: u32) -> String {
        let seq = self.next_seq();
        let modulus = 10_u64.pow(n);
        format!("{:0width$}", random_u64(seq) % modulus, width = n as usize)
    }

    fn new_imp_uid(&mut self) -> String {
        loop {
            let uid = format!("imps_{}", self.digits(12));
            if !self.payments.contains_key(&uid) {
                return uid;
            }
        }
    }

    fn pg_tid(&mut self, now: i64) -> String {
        format!("sbx{now}{}", self.digits(6))
    }

    /// `POST /users/getToken`: the same token again while it is valid (extended when nearly expired).
    pub fn issue_token(
        &mut self,
        imp_key: &str,
        imp_secret: &str,
        expected: (&str, &str),
        now: i64,
    ) -> Result<TokenInfo, ModelError> {
        if (imp_key, imp_secret) != expected {
            return Err(ModelError::unauthorized(
                "imp_key, imp_secret 인증에 실패하였습니다. (wrong imp_key or imp_secret)",
            ));
        }
        self.tokens.retain(|_, exp| *exp > now);
        if let Some((token, exp)) = self.tokens.iter_mut().next() {
            if *exp - now < TOKEN_EXTEND_BELOW {
                *exp = exp.saturating_add(TOKEN_EXTENSION);
            }
            return Ok(TokenInfo {
                access_token: token.clone(),
                now,
                expired_at: *exp,
            });
        }
        let seq = self.next_seq();
        let token = format!(
            "{:016x}{:016x}",
            random_u64(seq),
            random_u64(seq.wrapping_add(1) << 1)
        );
        let expired_at = now.saturating_add(TOKEN_TTL);
        self.tokens.insert(token.clone(), expired_at);
        Ok(TokenInfo {
            access_token: token,
            now,
            expired_at,
        })
    }

    /// Whether a token is known and unexpired.
    pub fn check_token(&self, token: &str, now: i64) -> Result<(), ModelError> {
        match self.tokens.get(token) {
            Some(exp) if *exp > now => Ok(()),
            Some(_) => Err(ModelError::unauthorized(
                "Unauthorized: the access token has expired",
            )),
            None => Err(ModelError::unauthorized("Unauthorized")),
        }
    }

    /// The payment with this imp_uid.
    pub fn payment(&self, imp_uid: &str) -> Result<&Payment, ModelError> {
        self.payments.get(imp_uid).ok_or_else(|| {
            ModelError::not_found("존재하지 않는 결제정보입니다. (no payment with this imp_uid)")
        })
    }

    /// The newest payment with this merchant_uid (and status, when given).
    pub fn find_payment(
        &self,
        merchant_uid: &str,
        status: Option<&str>,
    ) -> Result<&Payment, ModelError> {
        self.payments
            .values()
            .filter(|p| {
                p.merchant_uid == merchant_uid && status.is_none_or(|s| s == "all" || p.status == s)
            })
            .max_by_key(|p| (p.started_at, p.paid_at, p.failed_at))
            .ok_or_else(|| {
                ModelError::not_found(
                    "존재하지 않는 결제정보입니다. (no payment with this merchant_uid)",
                )
            })
    }

    fn merchant_uid_taken(&self, merchant_uid: &str) -> bool {
        self.payments.values().any(|p| {
            p.merchant_uid == merchant_uid && (p.status == "paid" || p.status == "cancelled")
        })
    }

    fn check_merchant_uid(&self, merchant_uid: &str) -> Result<(), ModelError> {
        if merchant_uid.is_empty() || merchant_uid.chars().count() > MERCHANT_UID_MAX {
            return Err(ModelError::invalid(format!(
                "merchant_uid는 1~{MERCHANT_UID_MAX}자여야 합니다. (merchant_uid must be 1 to {MERCHANT_UID_MAX} characters)"
            )));
        }
        if self.merchant_uid_taken(merchant_uid) {
            return Err(ModelError::refused(
                "이미 결제가 완료된 merchant_uid입니다. (this merchant_uid is already paid)",
            ));
        }
        Ok(())
    }

    fn card_for(customer_uid: &str) -> (&'static str, &'static str, &'static str) {
        let i = (fnv(customer_uid) % CARDS.len() as u64) as usize;
        CARDS
            .get(i)
            .copied()
            .unwrap_or(("신한카드", "361", "451842******3201"))
    }

    /// The card the window picked (`card_name`, `card_number`, as the browser sandbox sends them),
    /// else one of the sandbox's cards chosen by `seed`.
    fn window_card(params: &Map<String, Value>, seed: &str) -> (String, String, String) {
        let text = |k: &str| {
            params
                .get(k)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty() && v.chars().count() <= 40)
        };
        match (text("card_name"), text("card_number")) {
            (Some(name), Some(number)) => {
                let code = CARDS.iter().find(|c| c.0 == name).map_or("000", |c| c.1);
                (name.to_owned(), code.to_owned(), number.replace('-', ""))
            }
            _ => {
                let c = Self::card_for(seed);
                (c.0.to_owned(), c.1.to_owned(), c.2.to_owned())
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn new_payment(
        &mut self,
        merchant_uid: &str,
        amount: i64,
        name: Option<String>,
        buyer: Buyer,
        channel: &str,
        card: (&str, &str, &str),
        now: i64,
    ) -> Payment {
        let imp_uid = self.new_imp_uid();
        let pg_tid = self.pg_tid(now);
        Payment {
            imp_uid: imp_uid.clone(),
            merchant_uid: merchant_uid.to_owned(),
            pay_method: "card".into(),
            channel: channel.into(),
            pg_provider: PG_PROVIDER.into(),
            pg_tid,
            pg_id: "sandbox_mid".into(),
            escrow: false,
            apply_num: None,
            card_code: Some(card.1.into()),
            card_name: Some(card.0.into()),
            card_quota: 0,
            card_number: Some(card.2.into()),
            card_type: Some(0),
            name,
            amount,
            cancel_amount: 0,
            currency: "KRW".into(),
            buyer,
            custom_data: None,
            status: "ready".into(),
            started_at: now,
            paid_at: 0,
            failed_at: 0,
            cancelled_at: 0,
            fail_reason: None,
            cancel_reason: None,
            receipt_url: Some(format!("/__sandbox/receipt/{imp_uid}")),
            cancel_history: Vec::new(),
            cash_receipt_issued: false,
            customer_uid: None,
            customer_uid_usage: None,
            sandbox: true,
            notice_url: None,
            auto_cancel_at: None,
        }
    }

    fn mark_paid(&mut self, p: &mut Payment, now: i64) {
        p.status = "paid".into();
        p.paid_at = now;
        p.apply_num = Some(self.digits(8));
    }

    fn mark_failed(p: &mut Payment, reason: String, now: i64) {
        p.status = "failed".into();
        p.failed_at = now;
        p.fail_reason = Some(reason);
    }

    /// `POST /__sandbox/window/pay`: what the browser sandbox's window decided. Returns the callback
    /// object the SDK hands the page, and the webhook to send.
    pub fn window_pay(
        &mut self,
        params: &Map<String, Value>,
        outcome: &str,
        fail_reason: Option<String>,
        now: i64,
    ) -> Result<(Value, Vec<Notice>), ModelError> {
        let merchant_uid = params
            .get("merchant_uid")
            .and_then(Value::as_str)
            .ok_or_else(|| ModelError::invalid("merchant_uid(string) is required"))?
            .to_owned();
        let amount = match params.get("amount") {
            Some(Value::Number(n)) => n.as_i64().filter(|a| *a >= 0),
            _ => None,
        }
        .ok_or_else(|| ModelError::invalid("amount must be a whole number of KRW, 0 or more"))?;
        let customer_uid = params
            .get("customer_uid")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        let fail = |imp_uid: Option<&str>, code: &str, msg: &str| {
            serde_json::json!({
                "success": false, "imp_uid": imp_uid, "merchant_uid": merchant_uid,
                "error_code": code, "error_msg": msg,
            })
        };
        if !matches!(outcome, "approve" | "decline" | "cancel") {
            return Err(ModelError::invalid(
                "outcome must be \"approve\", \"decline\" or \"cancel\"",
            ));
        }
        if let Err(e) = self.check_merchant_uid(&merchant_uid) {
            let code = if e.kind == ErrorKind::Refused {
                "ALREADY_PAID"
            } else {
                "INVALID_MERCHANT_UID"
            };
            return Ok((fail(None, code, &e.message), Vec::new()));
        }
        if amount == 0 && customer_uid.is_none() {
            return Ok((
                fail(None, "INVALID_AMOUNT", "결제금액은 1원 이상이어야 합니다. (amount 0 needs customer_uid: it only issues a billing key)"),
                Vec::new(),
            ));
        }
        let charged = if amount == 0 { TEST_CHARGE } else { amount };
        let card = Self::window_card(params, customer_uid.as_deref().unwrap_or(&merchant_uid));
        let card = (card.0.as_str(), card.1.as_str(), card.2.as_str());
        let name = params
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let buyer = Buyer::from_map(params);
        let mut p = self.new_payment(&merchant_uid, charged, name, buyer.clone(), "pc", card, now);
        p.custom_data = custom_data_of(params.get("custom_data"));
        p.notice_url = params
            .get("notice_url")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(cu) = &customer_uid {
            p.customer_uid = Some(cu.clone());
            p.customer_uid_usage = Some("issue".into());
        }
        if outcome != "approve" {
            let (code, msg) = if outcome == "decline" {
                (
                    "F400",
                    fail_reason
                        .unwrap_or_else(|| "카드사 승인 거절 (declined by the card issuer)".into()),
                )
            } else {
                (
                    "USER_CANCEL",
                    "사용자가 결제를 취소하셨습니다. (the buyer closed the window)".to_owned(),
                )
            };
            Self::mark_failed(&mut p, msg.clone(), now);
            let imp_uid = p.imp_uid.clone();
            self.payments.insert(imp_uid.clone(), p);
            return Ok((fail(Some(&imp_uid), code, &msg), Vec::new()));
        }
        self.mark_paid(&mut p, now);
        if amount == 0 {
            p.auto_cancel_at = Some(now.saturating_add(TEST_CHARGE_CANCEL_AFTER));
        }
        if let Some(cu) = &customer_uid {
            let inserted = self.customers.get(cu).map_or(now, |c| c.inserted);
            self.customers.insert(
                cu.clone(),
                Customer {
                    customer_uid: cu.clone(),
                    pg_provider: PG_PROVIDER.into(),
                    pg_id: "sandbox_mid".into(),
                    card_name: card.0.into(),
                    card_code: card.1.into(),
                    card_number: card.2.into(),
                    card_type: "credit".into(),
                    customer_name: buyer.buyer_name.clone(),
                    customer_tel: buyer.buyer_tel.clone(),
                    customer_email: buyer.buyer_email.clone(),
                    customer_addr: buyer.buyer_addr.clone(),
                    customer_postcode: buyer.buyer_postcode.clone(),
                    inserted,
                    updated: now,
                },
            );
        }
        let callback = serde_json::json!({
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
            "buyer_name": buyer.buyer_name,
            "buyer_email": buyer.buyer_email,
            "buyer_tel": buyer.buyer_tel,
            "buyer_addr": buyer.buyer_addr,
            "buyer_postcode": buyer.buyer_postcode,
            "custom_data": p.custom_data,
            "receipt_url": p.receipt_url,
        });
        let notice = Notice {
            notice_url: p.notice_url.clone(),
            imp_uid: p.imp_uid.clone(),
            merchant_uid: p.merchant_uid.clone(),
            status: "paid".into(),
        };
        self.payments.insert(p.imp_uid.clone(), p);
        Ok((callback, vec![notice]))
    }

    /// The billing key stored under customer_uid.
    pub fn customer(&self, customer_uid: &str) -> Result<&Customer, ModelError> {
        self.customers.get(customer_uid).ok_or_else(|| {
            ModelError::not_found(format!(
                "요청하신 customer_uid({customer_uid})로 등록된 정보를 찾을 수 없습니다."
            ))
        })
    }

    /// `DELETE /subscribe/customers/{customer_uid}`: removes the key (its pending schedules are revoked).
    pub fn delete_customer(
        &mut self,
        customer_uid: &str,
        now: i64,
    ) -> Result<Customer, ModelError> {
        self.customer(customer_uid)?;
        for s in self.schedules.values_mut() {
            if s.customer_uid == customer_uid && s.schedule_status == "scheduled" {
                s.schedule_status = "revoked".into();
                s.revoked_at = now;
            }
        }
        self.customers
            .remove(customer_uid)
            .ok_or_else(|| ModelError::not_found("customer vanished"))
    }

    fn take_outcome(&mut self) -> Outcome {
        self.next_outcome.take().unwrap_or(Outcome {
            approve: true,
            fail_reason: None,
        })
    }

    fn charge(&mut self, req: &ChargeRequest, usage: &str, now: i64) -> Payment {
        let card = self.customers.get(&req.customer_uid).map(|c| {
            (
                c.card_name.clone(),
                c.card_code.clone(),
                c.card_number.clone(),
            )
        });
        let (cn, cc, num) = card.unwrap_or_default();
        let mut p = self.new_payment(
            &req.merchant_uid,
            req.amount,
            req.name.clone(),
            req.buyer.clone(),
            "api",
            (&cn, &cc, &num),
            now,
        );
        p.custom_data = req.custom_data.clone();
        p.notice_url = req.notice_url.clone();
        p.card_quota = req.card_quota;
        p.customer_uid = Some(req.customer_uid.clone());
        p.customer_uid_usage = Some(usage.into());
        let outcome = self.take_outcome();
        if outcome.approve {
            self.mark_paid(&mut p, now);
        } else {
            let reason = outcome
                .fail_reason
                .unwrap_or_else(|| "카드사 승인 거절 (declined by the card issuer)".into());
            Self::mark_failed(&mut p, reason, now);
        }
        self.payments.insert(p.imp_uid.clone(), p.clone());
        p
    }

    fn check_charge(&self, req: &ChargeRequest) -> Result<(), ModelError> {
        if req.amount <= 0 {
            return Err(ModelError::invalid(
                "amount는 1원 이상이어야 합니다. (amount must be at least 1 KRW)",
            ));
        }
        self.check_merchant_uid(&req.merchant_uid)?;
        if !self.customers.contains_key(&req.customer_uid) {
            return Err(ModelError::refused(MSG_NO_CUSTOMER));
        }
        Ok(())
    }

    /// `POST /subscribe/payments/again`: a declined card is `Ok` with status `failed`.
    pub fn again(
        &mut self,
        req: &ChargeRequest,
        now: i64,
    ) -> Result<(Payment, Vec<Notice>), ModelError> {
        self.check_charge(req)?;
        let p = self.charge(req, "payment", now);
        let notices = if p.status == "paid" {
            vec![Notice {
                notice_url: p.notice_url.clone(),
                imp_uid: p.imp_uid.clone(),
                merchant_uid: p.merchant_uid.clone(),
                status: p.status.clone(),
            }]
        } else {
            Vec::new()
        };
        Ok((p, notices))
    }

    /// `POST /payments/cancel`.
    pub fn cancel(
        &mut self,
        req: &CancelRequest,
        now: i64,
    ) -> Result<(Payment, Vec<Notice>), ModelError> {
        let imp_uid =
            match (&req.imp_uid, &req.merchant_uid) {
                (Some(i), _) => self.payments.get(i).map(|p| p.imp_uid.clone()),
                (None, Some(m)) => self
                    .find_payment(m, Some("paid"))
                    .ok()
                    .map(|p| p.imp_uid.clone()),
                (None, None) => return Err(ModelError::invalid(
                    "imp_uid 또는 merchant_uid가 필요합니다. (imp_uid or merchant_uid is required)",
                )),
            };
        let reason = req.reason.clone().unwrap_or_default();
        let imp_uid = imp_uid.ok_or_else(|| ModelError::refused(MSG_NOTHING_TO_CANCEL))?;
        self.cancel_payment(&imp_uid, req.amount, req.checksum, reason, now)
    }

    fn cancel_payment(
        &mut self,
        imp_uid: &str,
        amount: Option<i64>,
        checksum: Option<i64>,
        reason: String,
        now: i64,
    ) -> Result<(Payment, Vec<Notice>), ModelError> {
        let pg_tid = self.pg_tid(now);
        let p = self
            .payments
            .get_mut(imp_uid)
            .ok_or_else(|| ModelError::refused(MSG_NOTHING_TO_CANCEL))?;
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
        p.cancel_amount += amount;
        p.cancel_history.push(CancelHistory {
            pg_tid,
            amount,
            cancelled_at: now,
            reason: reason.clone(),
            receipt_url: format!("/__sandbox/receipt/{imp_uid}"),
        });
        p.cancel_reason = Some(reason);
        p.auto_cancel_at = None;
        if p.cancel_amount == p.amount {
            p.status = "cancelled".into();
            p.cancelled_at = now;
        }
        let p = p.clone();
        if p.status == "cancelled" {
            for s in self.schedules.values_mut() {
                if s.imp_uid.as_deref() == Some(imp_uid) {
                    s.payment_status = Some("cancelled".into());
                }
            }
        }
        let notice = Notice {
            notice_url: p.notice_url.clone(),
            imp_uid: p.imp_uid.clone(),
            merchant_uid: p.merchant_uid.clone(),
            status: "cancelled".into(),
        };
        Ok((p, vec![notice]))
    }

    /// `POST /subscribe/payments/schedule`: all entries or none.
    pub fn schedule(
        &mut self,
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
            self.check_charge(req)?;
            if *at <= now {
                return Err(ModelError::refused(format!(
                    "schedule_at({at})은 현재시각({now}) 이후여야 합니다. (schedule_at must be in the future)"
                )));
            }
            let busy = self
                .schedules
                .get(&req.merchant_uid)
                .is_some_and(|s| s.schedule_status != "revoked");
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
            self.schedules.insert(s.merchant_uid.clone(), s.clone());
            out.push(s);
        }
        Ok(out)
    }

    /// `POST /subscribe/payments/unschedule`: revokes the customer's pending schedules (those named).
    pub fn unschedule(
        &mut self,
        customer_uid: &str,
        merchant_uids: Option<&[String]>,
        now: i64,
    ) -> Result<Vec<Schedule>, ModelError> {
        let mut out = Vec::new();
        for s in self.schedules.values_mut() {
            let named = merchant_uids.is_none_or(|m| m.contains(&s.merchant_uid));
            if s.customer_uid == customer_uid && s.schedule_status == "scheduled" && named {
                s.schedule_status = "revoked".into();
                s.revoked_at = now;
                out.push(s.clone());
            }
        }
        if out.is_empty() {
            return Err(ModelError::refused(MSG_NOTHING_TO_UNSCHEDULE));
        }
        Ok(out)
    }

    /// The schedule for merchant_uid.
    pub fn schedule_of(&self, merchant_uid: &str) -> Result<&Schedule, ModelError> {
        self.schedules.get(merchant_uid).ok_or_else(|| {
            ModelError::not_found(
                "존재하지 않는 예약결제입니다. (no schedule with this merchant_uid)",
            )
        })
    }

    /// Whether [`State::tick`] has anything to do at `now`.
    pub fn has_due(&self, now: i64) -> bool {
        self.schedules
            .values()
            .any(|s| s.schedule_status == "scheduled" && s.schedule_at <= now)
            || self
                .payments
                .values()
                .any(|p| p.auto_cancel_at.is_some_and(|t| t <= now))
    }

    /// Runs what is due at `now`: scheduled charges (oldest first) and Danal's test-charge cancels.
    pub fn tick(&mut self, now: i64) -> Vec<Notice> {
        let mut notices = Vec::new();
        let mut due: Vec<(i64, String)> = self
            .schedules
            .values()
            .filter(|s| s.schedule_status == "scheduled" && s.schedule_at <= now)
            .map(|s| (s.schedule_at, s.merchant_uid.clone()))
            .collect();
        due.sort();
        for (_, merchant_uid) in due {
            let Some(s) = self.schedules.get(&merchant_uid).cloned() else {
                continue;
            };
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
            let p = match self.check_charge(&req) {
                Ok(()) => self.charge(&req, "payment.scheduled", now),
                Err(e) => {
                    let mut p = self.new_payment(
                        &req.merchant_uid,
                        req.amount,
                        req.name.clone(),
                        req.buyer.clone(),
                        "api",
                        ("", "", ""),
                        now,
                    );
                    p.customer_uid = Some(req.customer_uid.clone());
                    p.customer_uid_usage = Some("payment.scheduled".into());
                    p.notice_url = req.notice_url.clone();
                    Self::mark_failed(&mut p, e.message, now);
                    self.payments.insert(p.imp_uid.clone(), p.clone());
                    p
                }
            };
            if let Some(s) = self.schedules.get_mut(&merchant_uid) {
                s.schedule_status = "executed".into();
                s.executed_at = now;
                s.imp_uid = Some(p.imp_uid.clone());
                s.payment_status = Some(p.status.clone());
                s.fail_reason = p.fail_reason.clone();
            }
            notices.push(Notice {
                notice_url: p.notice_url.clone(),
                imp_uid: p.imp_uid,
                merchant_uid: p.merchant_uid,
                status: p.status,
            });
        }
        let cancels: Vec<String> = self
            .payments
            .values()
            .filter(|p| p.auto_cancel_at.is_some_and(|t| t <= now))
            .map(|p| p.imp_uid.clone())
            .collect();
        for imp_uid in cancels {
            let reason = "다날 빌링키 발급 확인용 결제 자동취소 (Danal's card-check charge, cancelled automatically)".to_owned();
            match self.cancel_payment(&imp_uid, None, None, reason, now) {
                Ok((_, n)) => notices.extend(n),
                Err(_) => {
                    if let Some(p) = self.payments.get_mut(&imp_uid) {
                        p.auto_cancel_at = None;
                    }
                }
            }
        }
        notices
    }

    /// Moves the sandbox clock forward.
    pub fn advance(&mut self, seconds: i64) {
        self.clock_offset = self.clock_offset.saturating_add(seconds);
    }

    /// Forgets everything (the clock too).
    pub fn reset(&mut self) {
        *self = State::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEYS: (&str, &str) = ("k", "s");

    fn params(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn issue(
        st: &mut State,
        customer_uid: &str,
        merchant_uid: &str,
        amount: i64,
        now: i64,
    ) -> Value {
        let p = params(
            json!({"merchant_uid": merchant_uid, "amount": amount, "customer_uid": customer_uid, "name": "n"}),
        );
        st.window_pay(&p, "approve", None, now).unwrap().0
    }

    fn charge(customer_uid: &str, merchant_uid: &str, amount: i64) -> ChargeRequest {
        ChargeRequest {
            customer_uid: customer_uid.into(),
            merchant_uid: merchant_uid.into(),
            amount,
            name: Some("월 구독".into()),
            ..ChargeRequest::default()
        }
    }

    #[test]
    fn token_is_reused_then_extended_then_expires() {
        let mut st = State::default();
        let a = st.issue_token("k", "s", KEYS, 1000).unwrap();
        assert_eq!(a.expired_at, 1000 + TOKEN_TTL);
        let b = st.issue_token("k", "s", KEYS, 1100).unwrap();
        assert_eq!(a.access_token, b.access_token);
        assert_eq!(b.expired_at, a.expired_at);
        let c = st.issue_token("k", "s", KEYS, a.expired_at - 30).unwrap();
        assert_eq!(c.access_token, a.access_token);
        assert_eq!(c.expired_at, a.expired_at + TOKEN_EXTENSION);
        assert!(st.check_token(&a.access_token, c.expired_at - 1).is_ok());
        assert_eq!(
            st.check_token(&a.access_token, c.expired_at)
                .unwrap_err()
                .kind,
            ErrorKind::Unauthorized
        );
        assert_eq!(
            st.check_token("nope", 0).unwrap_err().kind,
            ErrorKind::Unauthorized
        );
        assert_eq!(
            st.issue_token("k", "x", KEYS, 0).unwrap_err().kind,
            ErrorKind::Unauthorized
        );
        let d = st.issue_token("k", "s", KEYS, c.expired_at + 1).unwrap();
        assert_ne!(d.access_token, a.access_token);
    }

    #[test]
    fn amount_zero_issues_with_a_test_charge_cancelled_30_minutes_later() {
        let mut st = State::default();
        let cb = issue(&mut st, "cu_1", "m_1", 0, 1000);
        assert_eq!(cb["success"], true);
        assert_eq!(cb["paid_amount"], TEST_CHARGE);
        let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
        let p = st.payment(&imp_uid).unwrap();
        assert_eq!((p.status.as_str(), p.amount), ("paid", TEST_CHARGE));
        assert_eq!(p.customer_uid_usage.as_deref(), Some("issue"));
        assert!(st.customer("cu_1").is_ok());
        assert!(st.tick(1000 + TEST_CHARGE_CANCEL_AFTER - 1).is_empty());
        let n = st.tick(1000 + TEST_CHARGE_CANCEL_AFTER);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].status, "cancelled");
        let p = st.payment(&imp_uid).unwrap();
        assert_eq!(
            (p.status.as_str(), p.cancel_amount),
            ("cancelled", TEST_CHARGE)
        );
        assert!(
            st.customer("cu_1").is_ok(),
            "the key outlives its test charge"
        );
        assert!(st.tick(1000 + 10 * TEST_CHARGE_CANCEL_AFTER).is_empty());
    }

    #[test]
    fn the_window_card_is_kept() {
        let mut st = State::default();
        let p = params(
            json!({"merchant_uid": "m", "amount": 0, "customer_uid": "c",
            "card_name": "현대카드", "card_number": "4092-20**-****-1536"}),
        );
        let (cb, _) = st.window_pay(&p, "approve", None, 1).unwrap();
        assert_eq!(
            (cb["card_name"].as_str(), cb["card_number"].as_str()),
            (Some("현대카드"), Some("409220******1536"))
        );
        let c = st.customer("c").unwrap();
        assert_eq!(
            (c.card_code.as_str(), c.card_number.as_str()),
            ("367", "409220******1536")
        );
    }

    #[test]
    fn amount_positive_charges_at_once_and_is_not_cancelled() {
        let mut st = State::default();
        let cb = issue(&mut st, "cu_1", "m_1", 9900, 1000);
        let p = st.payment(cb["imp_uid"].as_str().unwrap()).unwrap().clone();
        assert_eq!(
            (p.status.as_str(), p.amount, p.auto_cancel_at),
            ("paid", 9900, None)
        );
        assert!(st.tick(1000 + 100 * TEST_CHARGE_CANCEL_AFTER).is_empty());
    }

    #[test]
    fn window_refuses_a_paid_merchant_uid_and_records_declines() {
        let mut st = State::default();
        issue(&mut st, "cu_1", "m_1", 0, 1);
        let again = issue(&mut st, "cu_1", "m_1", 0, 2);
        assert_eq!(again["success"], false);
        let p = params(json!({"merchant_uid": "m_2", "amount": 0, "customer_uid": "cu_2"}));
        let (cb, n) = st
            .window_pay(&p, "decline", Some("한도초과".into()), 3)
            .unwrap();
        assert_eq!(
            (cb["success"].clone(), cb["error_msg"].clone()),
            (json!(false), json!("한도초과"))
        );
        assert!(n.is_empty());
        assert!(st.customer("cu_2").is_err());
        // a declined merchant_uid may be retried
        assert_eq!(issue(&mut st, "cu_2", "m_2", 0, 4)["success"], true);
        let plain = params(json!({"merchant_uid": "m_3", "amount": 500}));
        let (cb, _) = st.window_pay(&plain, "approve", None, 5).unwrap();
        assert_eq!(cb["customer_uid"], Value::Null);
        assert!(st
            .window_pay(&params(json!({"amount": 1})), "approve", None, 5)
            .is_err());
        assert!(st.window_pay(&plain, "maybe", None, 5).is_err());
    }

    #[test]
    fn again_charges_once_per_merchant_uid_and_reports_declines_as_failed() {
        let mut st = State::default();
        issue(&mut st, "cu_1", "m_0", 0, 1);
        let (p, n) = st.again(&charge("cu_1", "m_1", 9900), 2).unwrap();
        assert_eq!((p.status.as_str(), n.len()), ("paid", 1));
        assert_eq!(p.customer_uid_usage.as_deref(), Some("payment"));
        assert_eq!(
            st.again(&charge("cu_1", "m_1", 9900), 3).unwrap_err().kind,
            ErrorKind::Refused
        );
        st.next_outcome = Some(Outcome {
            approve: false,
            fail_reason: Some("잔액부족".into()),
        });
        let (p, n) = st.again(&charge("cu_1", "m_2", 9900), 4).unwrap();
        assert_eq!(
            (p.status.as_str(), p.fail_reason.as_deref(), n.len()),
            ("failed", Some("잔액부족"), 0)
        );
        let (p, _) = st.again(&charge("cu_1", "m_2", 9900), 5).unwrap();
        assert_eq!(
            p.status, "paid",
            "the outcome applies once; a failed merchant_uid may be retried"
        );
        let e = st.again(&charge("nobody", "m_3", 1), 6).unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::Refused, MSG_NO_CUSTOMER)
        );
        assert_eq!(
            st.again(&charge("cu_1", "m_4", 0), 6).unwrap_err().kind,
            ErrorKind::Invalid
        );
        assert_eq!(
            st.again(&charge("cu_1", &"x".repeat(41), 1), 6)
                .unwrap_err()
                .kind,
            ErrorKind::Invalid
        );
    }

    #[test]
    fn schedules_run_when_due_and_can_be_revoked() {
        let mut st = State::default();
        issue(&mut st, "cu_1", "m_0", 1000, 1);
        let out = st
            .schedule(
                &[
                    (charge("cu_1", "s_1", 9900), 100),
                    (charge("cu_1", "s_2", 9900), 200),
                ],
                10,
            )
            .unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(
            st.schedule(&[(charge("cu_1", "s_1", 1), 300)], 10)
                .unwrap_err()
                .kind,
            ErrorKind::Refused
        );
        assert_eq!(
            st.schedule(&[(charge("cu_1", "s_9", 1), 5)], 10)
                .unwrap_err()
                .kind,
            ErrorKind::Refused
        );
        assert_eq!(
            st.schedule(&[(charge("zz", "s_9", 1), 50)], 10)
                .unwrap_err()
                .message,
            MSG_NO_CUSTOMER
        );
        assert!(
            st.schedule_of("s_9").is_err(),
            "a refused batch leaves nothing behind"
        );
        let revoked = st
            .unschedule("cu_1", Some(&["s_2".to_owned()]), 20)
            .unwrap();
        assert_eq!(revoked[0].schedule_status, "revoked");
        assert_eq!(
            st.unschedule("cu_1", Some(&["s_2".to_owned()]), 21)
                .unwrap_err()
                .message,
            MSG_NOTHING_TO_UNSCHEDULE
        );
        assert!(!st.has_due(99));
        st.next_outcome = Some(Outcome {
            approve: false,
            fail_reason: Some("정지카드".into()),
        });
        let n = st.tick(500);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].status, "failed");
        let s = st.schedule_of("s_1").unwrap();
        assert_eq!(
            (s.schedule_status.as_str(), s.payment_status.as_deref()),
            ("executed", Some("failed"))
        );
        let p = st.payment(s.imp_uid.as_deref().unwrap()).unwrap();
        assert_eq!(p.customer_uid_usage.as_deref(), Some("payment.scheduled"));
        assert_eq!(st.schedule_of("s_2").unwrap().schedule_status, "revoked");
        assert!(st.tick(1000).is_empty());
    }

    #[test]
    fn cancel_partial_then_full_and_checksum() {
        let mut st = State::default();
        let cb = issue(&mut st, "cu_1", "m_1", 1000, 1);
        let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
        let req = |amount, checksum| CancelRequest {
            imp_uid: Some(imp_uid.clone()),
            amount,
            checksum,
            ..Default::default()
        };
        assert_eq!(
            st.cancel(&req(Some(100), Some(999)), 2).unwrap_err().kind,
            ErrorKind::Refused
        );
        let (p, n) = st.cancel(&req(Some(100), Some(1000)), 2).unwrap();
        assert_eq!(
            (p.status.as_str(), p.cancel_amount, n.len()),
            ("paid", 100, 1)
        );
        let (p, _) = st
            .cancel(
                &CancelRequest {
                    merchant_uid: Some("m_1".into()),
                    ..Default::default()
                },
                3,
            )
            .unwrap();
        assert_eq!(
            (p.status.as_str(), p.cancel_amount, p.cancel_history.len()),
            ("cancelled", 1000, 2)
        );
        assert_eq!(
            st.cancel(&req(None, None), 4).unwrap_err().kind,
            ErrorKind::Refused
        );
        let none = CancelRequest {
            imp_uid: Some("imps_0".into()),
            ..Default::default()
        };
        assert_eq!(
            st.cancel(&none, 4).unwrap_err().message,
            MSG_NOTHING_TO_CANCEL
        );
        assert_eq!(
            st.cancel(&CancelRequest::default(), 4).unwrap_err().kind,
            ErrorKind::Invalid
        );
        // a cancelled merchant_uid is not reusable
        assert_eq!(issue(&mut st, "cu_1", "m_1", 1000, 5)["success"], false);
    }

    #[test]
    fn delete_customer_revokes_its_schedules_and_reissue_keeps_inserted() {
        let mut st = State::default();
        issue(&mut st, "cu_1", "m_1", 0, 1);
        issue(&mut st, "cu_1", "m_2", 0, 7);
        let c = st.customer("cu_1").unwrap();
        assert_eq!((c.inserted, c.updated), (1, 7));
        st.schedule(&[(charge("cu_1", "s_1", 10), 100)], 10)
            .unwrap();
        st.delete_customer("cu_1", 11).unwrap();
        assert_eq!(st.customer("cu_1").unwrap_err().kind, ErrorKind::NotFound);
        assert_eq!(st.schedule_of("s_1").unwrap().schedule_status, "revoked");
        assert_eq!(
            st.delete_customer("cu_1", 12).unwrap_err().kind,
            ErrorKind::NotFound
        );
    }

    #[test]
    fn state_round_trips_through_json() {
        let mut st = State::default();
        issue(&mut st, "cu_1", "m_1", 0, 1);
        st.schedule(&[(charge("cu_1", "s_1", 10), 100)], 10)
            .unwrap();
        st.issue_token("k", "s", KEYS, 1).unwrap();
        st.advance(3600);
        let text = serde_json::to_string(&st).unwrap();
        let back: State = serde_json::from_str(&text).unwrap();
        assert_eq!(back, st);
        let api = back.payments.values().next().unwrap().to_api();
        assert!(api.get("auto_cancel_at").is_none() && api.get("buyer_name").is_some());
    }
}
