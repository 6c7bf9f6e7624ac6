//! An example merchant server, written as a merchant writes theirs: it knows only the REST API's base
//! URL and its imp_key/imp_secret, and talks to the API through `iamport-billing-server` (the
//! workspace's server client, the one merchants use), never looking at the sandbox's state. The demo
//! page calls it under `/merchant/`.
//!
//! The client does the token (shared, renewed by iamport's clock, one retry after a 401), the
//! confirmation rules, the charge that is never paid twice, the schedule's checks and the webhook's
//! re-fetch; this module only turns its answers into the demo's JSON.
//!
//! Its webhook handler follows docs/server.md's "Renewals and failed charges": a subscription's months
//! are `…_m1`, `…_m2`, …; a `paid` month schedules the next one from `paid_at`, a `failed` one is
//! charged again [`RETRY_AFTER`] later under the same `merchant_uid`, and after [`ATTEMPTS`] failed
//! attempts the subscription ends (the key is deleted, which revokes what is pending). The issuance's
//! own webhooks (Danal's 10 KRW check, `paid` then `cancelled`) say nothing about a subscription.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use iamport_billing_server::{
    ChargeParams, ChargeResult, Client, ClientConfig, ConfirmParams, CustomerUidUsage, Error,
    ErrorCode, Payment, PaymentStatus, RescheduleParams, ScheduleEntry, ScheduleParams, WebhookBody,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::api::{opt_str, parse_body, req_int, req_str};

/// "Monthly" for the example schedule.
const MONTH: i64 = 30 * 24 * 3600;

/// How many failed attempts a month gets before the subscription ends.
pub const ATTEMPTS: usize = 3;

/// How long after a failed attempt the month is charged again.
pub const RETRY_AFTER: i64 = 3 * 24 * 3600;

/// One webhook the merchant received.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookLog {
    /// When (unix seconds, the merchant's clock).
    pub received_at: i64,
    /// As posted.
    pub imp_uid: String,
    /// As posted.
    pub merchant_uid: String,
    /// As posted.
    pub status: String,
    /// The status `GET /payments/{imp_uid}` gave (what the merchant trusts), or null if it failed.
    pub verified_status: Option<String>,
    /// What the renewal recipe did about it (`scheduled …_m2`, `retry at …`, `ended`), if anything.
    pub action: Option<String>,
}

/// The merchant's state: its iamport client, the billing keys it stored, its webhook log.
#[derive(Debug)]
pub struct Merchant {
    iamport: Client,
    keys: Mutex<Vec<String>>,
    log: Mutex<Vec<WebhookLog>>,
    seq: AtomicU64,
    /// The renewal recipe's memory: failed attempts per month, ended subscriptions.
    subscriptions: Mutex<Subscriptions>,
}

/// What the webhook handler remembers between webhooks (a merchant keeps it in its database).
#[derive(Debug, Default)]
struct Subscriptions {
    /// A month's `merchant_uid` → the `imp_uid`s of its failed attempts (a webhook delivered twice is
    /// one attempt).
    failed: BTreeMap<String, BTreeSet<String>>,
    /// The `customer_uid`s whose subscription ended.
    ended: BTreeSet<String>,
}

impl Merchant {
    /// A merchant using the REST API at `base`.
    pub fn new(base: String, imp_key: String, imp_secret: String) -> Result<Self, String> {
        let config = ClientConfig::new(imp_key, imp_secret).base_url(base);
        Ok(Merchant {
            iamport: Client::new(config).map_err(|e| format!("iamport client: {e}"))?,
            keys: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
            subscriptions: Mutex::new(Subscriptions::default()),
        })
    }

    fn new_merchant_uid(&self, prefix: &str) -> String {
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        format!("{prefix}_{ms}_{n}")
    }

    fn subscriptions(&self) -> std::sync::MutexGuard<'_, Subscriptions> {
        self.subscriptions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The customer_uids this merchant stored.
    pub fn keys(&self) -> Vec<String> {
        self.keys.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The `/merchant/` routes.
pub fn routes(merchant: Arc<Merchant>) -> Router {
    Router::new()
        .route("/confirm", post(confirm))
        .route("/charge", post(charge))
        .route("/schedule", post(schedule))
        .route("/webhook", post(webhook))
        .route("/webhooks", get(webhooks))
        .with_state(merchant)
}

/// The merchant's own error answer: `{ok: false, error}` under an HTTP status.
#[derive(Debug)]
pub struct MerchantError(StatusCode, String);

impl IntoResponse for MerchantError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "ok": false, "error": self.1 }))).into_response()
    }
}

impl From<crate::api::ApiError> for MerchantError {
    fn from(e: crate::api::ApiError) -> Self {
        MerchantError(StatusCode::BAD_REQUEST, e.message)
    }
}

/// The client's error: 400 for bad input, 502 when iamport could not be reached or refused us.
impl From<Error> for MerchantError {
    fn from(e: Error) -> Self {
        let status = match e.code() {
            ErrorCode::InvalidParam => StatusCode::BAD_REQUEST,
            _ => StatusCode::BAD_GATEWAY,
        };
        MerchantError(status, e.to_string())
    }
}

fn input(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, MerchantError> {
    Ok(parse_body(headers, body)?)
}

fn amount(map: &Map<String, Value>) -> Result<u64, MerchantError> {
    u64::try_from(req_int(map, "amount")?).map_err(|_| {
        MerchantError(
            StatusCode::BAD_REQUEST,
            "amount must not be negative".into(),
        )
    })
}

/// An amount as the demo shows it: a whole number when it is one.
fn krw(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// The confirmation's checks, in the client's order, as the demo lists them.
const CHECKS: &[(&str, &str)] = &[
    ("imp_uid", "payment found"),
    ("customer_uid", "customer_uid as expected"),
    ("customer_uid_usage", "key issued"),
    ("status", "status is paid"),
    ("amount", "amount as expected"),
    ("merchant_uid", "merchant_uid as expected"),
    ("billing_key", "billing key exists"),
];

fn check(name: &str, ok: bool, detail: String) -> Value {
    json!({ "name": name, "ok": ok, "detail": detail })
}

async fn confirm(
    State(m): State<Arc<Merchant>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, MerchantError> {
    let map = input(&headers, &body)?;
    let imp_uid = req_str(&map, "imp_uid")?;
    let customer_uid = req_str(&map, "customer_uid")?;
    let merchant_uid = opt_str(&map, "merchant_uid")?;
    let mut claim = ConfirmParams::new(imp_uid.clone(), customer_uid.clone(), amount(&map)?);
    if let Some(mu) = &merchant_uid {
        claim = claim.merchant_uid(mu.clone());
    }
    let applies = |field: &str| field != "merchant_uid" || merchant_uid.is_some();
    let (ok, checks, payment) = match m.iamport.confirm_billing_key(claim).await {
        Ok(payment) => {
            let checks = CHECKS
                .iter()
                .filter(|(field, _)| applies(field))
                .map(|(_, name)| check(name, true, "as expected".into()))
                .collect::<Vec<_>>();
            (
                true,
                checks,
                serde_json::to_value(&payment).unwrap_or(Value::Null),
            )
        }
        Err(e) if e.code() == ErrorCode::NotFound => {
            let checks = vec![check("payment found", false, e.to_string())];
            (false, checks, Value::Null)
        }
        Err(e) if e.code() == ErrorCode::Mismatch => {
            let failed = e.field().unwrap_or("");
            let mut checks = Vec::new();
            for (field, name) in CHECKS.iter().filter(|(field, _)| applies(field)) {
                if *field == failed {
                    checks.push(check(name, false, e.to_string()));
                    break;
                }
                checks.push(check(name, true, "as expected".into()));
            }
            // Show what iamport has, for the demo (best effort).
            let payment = m.iamport.get_payment(&imp_uid).await.ok();
            (
                false,
                checks,
                payment
                    .and_then(|p| serde_json::to_value(p).ok())
                    .unwrap_or(Value::Null),
            )
        }
        Err(e) => return Err(e.into()),
    };
    if ok {
        let mut keys = m.keys.lock().unwrap_or_else(|p| p.into_inner());
        if !keys.contains(&customer_uid) {
            keys.push(customer_uid);
        }
    }
    Ok(Json(json!({ "ok": ok, "checks": checks, "payment": payment })).into_response())
}

fn charge_input(headers: &HeaderMap, body: &[u8]) -> Result<(String, u64, String), MerchantError> {
    let map = input(headers, body)?;
    Ok((
        req_str(&map, "customer_uid")?,
        amount(&map)?,
        req_str(&map, "name")?,
    ))
}

async fn charge(
    State(m): State<Arc<Merchant>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, MerchantError> {
    let (customer_uid, amount, name) = charge_input(&headers, &body)?;
    let merchant_uid = m.new_merchant_uid("charge");
    let params = ChargeParams::new(customer_uid, merchant_uid.clone(), amount, name);
    Ok(match m.iamport.charge_billing_key(params).await {
        Ok(result) => {
            let p = result.payment();
            let fail_reason = match &result {
                ChargeResult::Failed { fail_reason, .. } => json!(fail_reason),
                ChargeResult::Paid { .. } => Value::Null,
            };
            Json(json!({
                "ok": result.is_paid(),
                "status": p.status.as_str(),
                "imp_uid": p.imp_uid,
                "merchant_uid": merchant_uid,
                "amount": krw(p.amount),
                "fail_reason": fail_reason,
            }))
            .into_response()
        }
        Err(e) if e.code() == ErrorCode::ApiError => Json(json!({
            "ok": false,
            "status": "error",
            "code": e.api_code(),
            "imp_uid": null,
            "merchant_uid": merchant_uid,
            "amount": amount,
            "fail_reason": e.api_message(),
        }))
        .into_response(),
        Err(e) => return Err(e.into()),
    })
}

async fn schedule(
    State(m): State<Arc<Merchant>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, MerchantError> {
    let (customer_uid, amount, name) = charge_input(&headers, &body)?;
    // The subscription's first month; its webhook schedules the next (see `renew`).
    let merchant_uid = format!("{}_m1", m.new_merchant_uid("monthly"));
    // "A month from now" by iamport's clock (here the sandbox's), as the client learned it from its
    // token. If that clock jumped since (the demo advances it), iamport refuses the time and the
    // token alike; the client then holds a new token and knows the new time: try once more.
    let mut attempt = 0;
    loop {
        attempt += 1;
        let schedule_at = m.iamport.iamport_now().await?.saturating_add(MONTH);
        let entry = ScheduleEntry::new(merchant_uid.clone(), schedule_at, amount, name.clone());
        let params = ScheduleParams::new(customer_uid.clone(), vec![entry]);
        match m.iamport.schedule_charges(params).await {
            Ok(_) => {
                return Ok(Json(json!({ "ok": true, "merchant_uid": merchant_uid, "schedule_at": schedule_at, "error": null }))
                    .into_response())
            }
            Err(e) if e.code() == ErrorCode::ApiError && attempt == 1 => continue,
            Err(e) if e.code() == ErrorCode::ApiError => {
                return Ok(Json(json!({ "ok": false, "merchant_uid": merchant_uid, "schedule_at": schedule_at, "error": e.api_message() }))
                    .into_response())
            }
            Err(e) => return Err(e.into()),
        }
    }
}

async fn webhook(
    State(m): State<Arc<Merchant>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, MerchantError> {
    let map = input(&headers, &body)?;
    let hint = WebhookBody::from_json(Value::Object(map.clone()))?;
    let text = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    // The posted status is a hint; the payment itself is the truth.
    let verified = m.iamport.verify_webhook(hint.clone()).await.ok();
    let action = match &verified {
        Some(payment) => renew(&m, payment).await,
        None => None,
    };
    let received_at = crate::clock::system_now();
    m.log
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(WebhookLog {
            received_at,
            imp_uid: hint.imp_uid,
            merchant_uid: text("merchant_uid"),
            status: text("status"),
            verified_status: verified.map(|p| p.status.as_str().to_owned()),
            action,
        });
    Ok(Json(json!({ "ok": true })).into_response())
}

/// A subscription month's `merchant_uid` (`…_m3`): the subscription's part and the month's number.
fn month_of(merchant_uid: &str) -> Option<(&str, u32)> {
    let (base, n) = merchant_uid.rsplit_once("_m")?;
    let n = n.parse().ok().filter(|n| *n > 0)?;
    (!base.is_empty()).then_some((base, n))
}

/// The renewal recipe for one verified payment: what it did, if anything.
async fn renew(m: &Merchant, payment: &Payment) -> Option<String> {
    if payment.customer_uid_usage == Some(CustomerUidUsage::Issue) {
        return None; // the issuance's own webhooks
    }
    let customer_uid = payment.customer_uid.as_deref()?;
    let (base, n) = month_of(&payment.merchant_uid)?;
    if m.subscriptions().ended.contains(customer_uid) {
        return None; // a late webhook of an ended subscription
    }
    match payment.status {
        PaymentStatus::Paid => {
            let next = format!("{base}_m{}", n.saturating_add(1));
            let at = payment.paid_at.saturating_add(MONTH);
            let amount = payment.amount.max(0.0) as u64;
            let entry = ScheduleEntry::new(next.clone(), at, amount, payment.name.clone().unwrap_or_default());
            Some(match m.iamport.schedule_charges(ScheduleParams::new(customer_uid, vec![entry])).await {
                Ok(_) => format!("scheduled {next} at {at}"),
                // The same webhook again: the month is scheduled already (or paid), which is done.
                Err(e) if e.code() == ErrorCode::ApiError => format!("{next} already scheduled"),
                Err(e) => format!("{next} not scheduled: {e}"),
            })
        }
        PaymentStatus::Failed => {
            let attempts = {
                let mut subs = m.subscriptions();
                let failed = subs.failed.entry(payment.merchant_uid.clone()).or_default();
                failed.insert(payment.imp_uid.clone());
                failed.len()
            };
            if attempts < ATTEMPTS {
                // From the failed attempt's own time (iamport's clock), as a paid month counts
                // from its paid_at: the client's idea of iamport's time may be older.
                let from = match payment.failed_at {
                    at if at > 0 => at,
                    _ => match m.iamport.iamport_now().await {
                        Ok(now) => now,
                        Err(e) => return Some(format!("not rescheduled: {e}")),
                    },
                };
                let at = from.saturating_add(RETRY_AFTER);
                let params = RescheduleParams::new(payment.merchant_uid.clone(), at);
                Some(match m.iamport.reschedule(params).await {
                    Ok(_) => format!("retry at {at} (attempt {} of {ATTEMPTS})", attempts + 1),
                    Err(e) => format!("not rescheduled: {e}"),
                })
            } else {
                // Ended first, so a late webhook changes nothing; then the key, with what is pending.
                m.subscriptions().ended.insert(customer_uid.to_owned());
                Some(match m.iamport.delete_billing_key(customer_uid).await {
                    Ok(_) => format!("ended after {attempts} failed attempts: key deleted"),
                    Err(e) => format!("ended after {attempts} failed attempts; the key was not deleted: {e}"),
                })
            }
        }
        _ => None,
    }
}

async fn webhooks(State(m): State<Arc<Merchant>>) -> Response {
    let log = m.log.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Json(log).into_response()
}

#[cfg(test)]
mod tests {
    use super::{krw, month_of};

    #[test]
    fn a_month_is_the_part_after_the_last_m() {
        assert_eq!(month_of("monthly_1_0_m1"), Some(("monthly_1_0", 1)));
        assert_eq!(month_of("imps_1_m12"), Some(("imps_1", 12)));
        for other in ["monthly_1_0", "_m1", "x_m0", "x_m", "x_m1a", "charge_1_0"] {
            assert_eq!(month_of(other), None, "{other}");
        }
    }

    #[test]
    fn amounts_show_as_whole_numbers() {
        assert_eq!(krw(9900.0), serde_json::json!(9900));
        assert_eq!(krw(0.5), serde_json::json!(0.5));
    }
}
