//! An example merchant server, written as a merchant writes theirs: it knows only the REST API's base
//! URL and its imp_key/imp_secret, talks HTTP with an access token, and never looks at the sandbox's
//! state. The demo page calls it under `/merchant/`.
//!
//! The HTTP client is reqwest with default features off and `json` only (plain HTTP to loopback needs
//! no TLS stack). Measured when it was chosen (`cargo build --timings`): reqwest and the url/idna
//! crates it brings are about a sixth of the dependency tree's compile time, since hyper and tokio
//! are there for the server anyway. hyper-util's legacy client would build a little faster but leaves
//! timeouts, URL handling and JSON bodies to hand-written code; reqwest is well kept and is the client
//! merchants' Rust servers actually use. The sandbox's webhooks use the same client.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::api::{opt_str, parse_body, req_int, req_str};

/// Danal's card-check charge when a key is issued with amount 0 (what the merchant expects to see).
const DANAL_TEST_CHARGE: i64 = 10;
/// "Monthly" for the example schedule.
const MONTH: i64 = 30 * 24 * 3600;

/// iamport's answer envelope.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    /// 0 on success.
    pub code: i64,
    /// Why not.
    pub message: Option<String>,
    /// The payload.
    pub response: Option<Value>,
}

/// A merchant's iamport REST client: token cached until shortly before it expires, fetched again
/// after a 401.
#[derive(Debug)]
pub struct IamportClient {
    http: reqwest::Client,
    base: String,
    imp_key: String,
    imp_secret: String,
    token: Mutex<Option<(String, Instant)>>,
}

impl IamportClient {
    /// A client for the API at `base` (e.g. `https://api.iamport.kr`).
    pub fn new(base: String, imp_key: String, imp_secret: String) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(IamportClient {
            http,
            base,
            imp_key,
            imp_secret,
            token: Mutex::new(None),
        })
    }

    fn cached(&self) -> Option<String> {
        let guard = self.token.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|(_, until)| Instant::now() < *until)
            .map(|(t, _)| t.clone())
    }

    fn forget_token(&self) {
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    async fn token(&self) -> Result<String, String> {
        if let Some(t) = self.cached() {
            return Ok(t);
        }
        let env: Envelope = self
            .http
            .post(format!("{}/users/getToken", self.base))
            .json(&json!({ "imp_key": self.imp_key, "imp_secret": self.imp_secret }))
            .send()
            .await
            .map_err(|e| format!("getToken: {e}"))?
            .json()
            .await
            .map_err(|e| format!("getToken: {e}"))?;
        let r = match (env.code, env.response) {
            (0, Some(r)) => r,
            (_, _) => return Err(format!("getToken: {}", env.message.unwrap_or_default())),
        };
        let token = r
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or("getToken: no access_token")?
            .to_owned();
        let expired_at = r.get("expired_at").and_then(Value::as_i64).unwrap_or(0);
        let left = expired_at.saturating_sub(r.get("now").and_then(Value::as_i64).unwrap_or(0));
        // Renew a minute early; the server's clock is the one that counts (a 401 also renews).
        let keep = Duration::from_secs(u64::try_from(left.saturating_sub(60)).unwrap_or(0));
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((token.clone(), Instant::now() + keep));
        Ok(token)
    }

    /// Calls the API (`body` as JSON), with one retry on a 401 after fetching a new token.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Envelope, String> {
        for attempt in 0..2 {
            let token = self.token().await?;
            let mut req = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .bearer_auth(&token);
            if let Some(b) = body {
                req = req.json(b);
            }
            let res = req.send().await.map_err(|e| format!("{path}: {e}"))?;
            if res.status() == StatusCode::UNAUTHORIZED && attempt == 0 {
                self.forget_token();
                continue;
            }
            return res
                .json::<Envelope>()
                .await
                .map_err(|e| format!("{path}: {e}"));
        }
        Err(format!("{path}: unauthorized"))
    }

    /// `GET /payments/{imp_uid}` (test-channel payments included, as a merchant testing must ask).
    pub async fn payment(&self, imp_uid: &str) -> Result<Envelope, String> {
        let path = format!("/payments/{}?include_sandbox=true", encode(imp_uid));
        self.call(reqwest::Method::GET, &path, None).await
    }
}

/// Percent-encodes a path segment.
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

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
}

/// The merchant's state: its REST client, the billing keys it stored, its webhook log.
#[derive(Debug)]
pub struct Merchant {
    iamport: IamportClient,
    keys: Mutex<Vec<String>>,
    log: Mutex<Vec<WebhookLog>>,
    seq: AtomicU64,
}

impl Merchant {
    /// A merchant using the REST API at `base`.
    pub fn new(base: String, imp_key: String, imp_secret: String) -> Result<Self, String> {
        Ok(Merchant {
            iamport: IamportClient::new(base, imp_key, imp_secret)?,
            keys: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
        })
    }

    fn new_merchant_uid(&self, prefix: &str) -> String {
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        format!("{prefix}_{ms}_{n}")
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

fn upstream(e: String) -> MerchantError {
    MerchantError(StatusCode::BAD_GATEWAY, e)
}

fn input(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, MerchantError> {
    Ok(parse_body(headers, body)?)
}

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
    let amount = req_int(&map, "amount")?;
    let env = m.iamport.payment(&imp_uid).await.map_err(upstream)?;
    let mut checks = Vec::new();
    let payment = env.response.unwrap_or(Value::Null);
    checks.push(check(
        "payment found",
        env.code == 0,
        format!(
            "GET /payments/{imp_uid}: code {} {}",
            env.code,
            env.message.unwrap_or_default()
        ),
    ));
    let s = |k: &str| {
        payment
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let paid_amount = payment.get("amount").and_then(Value::as_i64).unwrap_or(-1);
    if env.code == 0 {
        checks.push(check(
            "status is paid",
            s("status") == "paid",
            format!("status {}", s("status")),
        ));
        // Danal issues a key for amount 0 by charging 10 KRW (cancelled later).
        let expected = if amount == 0 {
            DANAL_TEST_CHARGE
        } else {
            amount
        };
        checks.push(check(
            "amount as expected",
            paid_amount == expected,
            format!(
                "paid {paid_amount}, expected {expected}{}",
                if amount == 0 {
                    " (Danal's card check for amount 0)"
                } else {
                    ""
                }
            ),
        ));
        checks.push(check(
            "customer_uid as expected",
            s("customer_uid") == customer_uid,
            format!("customer_uid {:?}", s("customer_uid")),
        ));
        checks.push(check(
            "key issued",
            s("customer_uid_usage") == "issue",
            format!("customer_uid_usage {:?}", s("customer_uid_usage")),
        ));
        if let Some(mu) = &merchant_uid {
            checks.push(check(
                "merchant_uid as expected",
                &s("merchant_uid") == mu,
                format!("merchant_uid {:?}", s("merchant_uid")),
            ));
        }
    }
    let ok = checks
        .iter()
        .all(|c| c.get("ok") == Some(&Value::Bool(true)));
    if ok {
        let mut keys = m.keys.lock().unwrap_or_else(|p| p.into_inner());
        if !keys.contains(&customer_uid) {
            keys.push(customer_uid);
        }
    }
    Ok(Json(json!({ "ok": ok, "checks": checks, "payment": payment })).into_response())
}

fn charge_input(headers: &HeaderMap, body: &[u8]) -> Result<(String, i64, String), MerchantError> {
    let map = input(headers, body)?;
    Ok((
        req_str(&map, "customer_uid")?,
        req_int(&map, "amount")?,
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
    let req = json!({ "customer_uid": customer_uid, "merchant_uid": merchant_uid, "amount": amount, "name": name });
    let env = m
        .iamport
        .call(
            reqwest::Method::POST,
            "/subscribe/payments/again",
            Some(&req),
        )
        .await
        .map_err(upstream)?;
    Ok(match (env.code, env.response) {
        (0, Some(p)) => {
            let status = p.get("status").cloned().unwrap_or(Value::Null);
            Json(json!({
                "ok": status == "paid",
                "status": status,
                "imp_uid": p.get("imp_uid"),
                "merchant_uid": merchant_uid,
                "amount": p.get("amount"),
                "fail_reason": p.get("fail_reason"),
            }))
            .into_response()
        }
        (code, _) => Json(json!({
            "ok": false,
            "status": "error",
            "code": code,
            "imp_uid": null,
            "merchant_uid": merchant_uid,
            "amount": amount,
            "fail_reason": env.message,
        }))
        .into_response(),
    })
}

async fn schedule(
    State(m): State<Arc<Merchant>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, MerchantError> {
    let (customer_uid, amount, name) = charge_input(&headers, &body)?;
    // A real merchant uses its own clock; here the sandbox clock stands in for "now", so advancing
    // it makes the charge due.
    let now = match m
        .iamport
        .http
        .get(format!("{}/__sandbox/clock", m.iamport.base))
        .send()
        .await
    {
        Ok(r) => r
            .json::<Envelope>()
            .await
            .ok()
            .and_then(|e| e.response)
            .and_then(|r| r.get("now").and_then(Value::as_i64)),
        Err(_) => None,
    };
    let now = now.ok_or_else(|| upstream("could not read the sandbox clock".into()))?;
    let merchant_uid = m.new_merchant_uid("monthly");
    let schedule_at = now.saturating_add(MONTH);
    let req = json!({
        "customer_uid": customer_uid,
        "schedules": [{ "merchant_uid": merchant_uid, "schedule_at": schedule_at, "amount": amount, "name": name }],
    });
    let env = m
        .iamport
        .call(
            reqwest::Method::POST,
            "/subscribe/payments/schedule",
            Some(&req),
        )
        .await
        .map_err(upstream)?;
    let ok = env.code == 0;
    Ok(Json(json!({ "ok": ok, "merchant_uid": merchant_uid, "schedule_at": schedule_at, "error": env.message })).into_response())
}

async fn webhook(
    State(m): State<Arc<Merchant>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, MerchantError> {
    let map = input(&headers, &body)?;
    let imp_uid = req_str(&map, "imp_uid")?;
    let text = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    // The posted status is a hint; the payment itself is the truth.
    let verified_status = match m.iamport.payment(&imp_uid).await {
        Ok(env) if env.code == 0 => env
            .response
            .and_then(|p| p.get("status").and_then(Value::as_str).map(str::to_owned)),
        _ => None,
    };
    let received_at = crate::state::system_now();
    m.log
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(WebhookLog {
            received_at,
            imp_uid,
            merchant_uid: text("merchant_uid"),
            status: text("status"),
            verified_status,
        });
    Ok(Json(json!({ "ok": true })).into_response())
}

async fn webhooks(State(m): State<Arc<Merchant>>) -> Response {
    let log = m.log.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Json(log).into_response()
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode("imps_123"), "imps_123");
        assert_eq!(encode("a/b c"), "a%2Fb%20c");
    }
}
