//! One HTTP exchange with iamport: the request with its timeout, the answer's envelope
//! (`{code, message, response}`), and the errors of the wire (`NETWORK`, `TIMEOUT`).
//!
//! Natively reqwest does the HTTP, with hyper and rustls (its default provider, aws-lc-rs, and the
//! platform's certificate verifier). On wasm32 the runtime's own `fetch` does (Node, Bun, Deno,
//! workerd, Vercel Edge), called through js-sys, with `AbortSignal.timeout` for the timeout.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode};

/// An HTTP method the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// iamport's answer envelope.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    #[serde(default)]
    pub(crate) code: i64,
    #[serde(default)]
    pub(crate) message: Option<String>,
    #[serde(default)]
    pub(crate) response: Value,
}

/// An answer: the HTTP status and its envelope.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) envelope: Envelope,
}

#[derive(Debug, Clone)]
pub(crate) struct Transport {
    #[cfg(not(target_arch = "wasm32"))]
    http: reqwest::Client,
    base: String,
    timeout: Duration,
}

impl Transport {
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn new(base: String, timeout: Duration) -> Result<Transport, Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::other(ErrorCode::Network, format!("could not set up HTTP: {e}")))?;
        Ok(Transport { http, base, timeout })
    }

    #[cfg(target_arch = "wasm32")]
    pub(crate) fn new(base: String, timeout: Duration) -> Result<Transport, Error> {
        Ok(Transport { base, timeout })
    }

    /// Sends one request; `what` names it in errors (`GET /payments/{imp_uid}`).
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        what: &str,
    ) -> Result<Answer, Error> {
        let url = format!("{}{path}", self.base);
        let (status, bytes) = self.exchange(method, &url, token, body).await.map_err(|failure| match failure {
            Failure::Timeout => {
                Error::other(ErrorCode::Timeout, format!("{what}: no answer within {} ms", self.timeout.as_millis()))
            }
            Failure::Network(why) => {
                Error::other(ErrorCode::Network, format!("{what}: the request failed or its answer was lost ({why})"))
            }
        })?;
        let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|_| {
            Error::other(ErrorCode::Network, format!("{what}: the answer (HTTP {status}) is not iamport's JSON envelope"))
        })?;
        Ok(Answer { status, envelope })
    }

    /// The exchange with reqwest (hyper and rustls): the status and the body.
    #[cfg(not(target_arch = "wasm32"))]
    async fn exchange(&self, method: Method, url: &str, token: Option<&str>, body: Option<&Value>) -> Result<(u16, Vec<u8>), Failure> {
        let mut req = match method {
            Method::Get => self.http.get(url),
            Method::Post => self.http.post(url),
            Method::Put => self.http.put(url),
            Method::Delete => self.http.delete(url),
        }
        .timeout(self.timeout)
        .header("accept", "application/json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.map_err(|e| Failure::of(&e))?;
        let status = res.status().as_u16();
        let bytes = res.bytes().await.map_err(|e| Failure::of(&e))?;
        Ok((status, bytes.to_vec()))
    }

    /// The exchange with the runtime's own `fetch` (Node, Bun, Deno, workerd, Vercel Edge).
    #[cfg(target_arch = "wasm32")]
    async fn exchange(&self, method: Method, url: &str, token: Option<&str>, body: Option<&Value>) -> Result<(u16, Vec<u8>), Failure> {
        let method = match method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        };
        let bearer = token.map(|t| format!("Bearer {t}"));
        let body = body.map(Value::to_string);
        fetch::exchange(method, url, bearer.as_deref(), body.as_deref(), self.timeout).await
    }
}

/// Why an exchange failed.
#[derive(Debug)]
enum Failure {
    /// No answer within the timeout.
    Timeout,
    /// Anything else, and why (refused, reset, DNS, TLS), in one line.
    Network(String),
}

#[cfg(not(target_arch = "wasm32"))]
impl Failure {
    fn of(e: &reqwest::Error) -> Failure {
        if e.is_timeout() {
            return Failure::Timeout;
        }
        // The source chain says why (refused, reset, DNS, TLS) without the URL's query.
        let mut why = String::new();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            why = s.to_string();
            source = s.source();
        }
        if why.is_empty() {
            why = e.to_string();
        }
        Failure::Network(why.lines().next().unwrap_or_default().trim().to_owned())
    }
}

/// `fetch` through js-sys, rather than reqwest's wasm backend: reqwest there brings `http`, `url`
/// and `url`'s IDNA tables (Unicode data) into the wasm, and turns a failed fetch into its
/// `TypeError` alone, losing the `cause` that says why (BENCHMARKS.md has the sizes).
#[cfg(target_arch = "wasm32")]
mod fetch {
    use std::time::Duration;

    use js_sys::{Function, Object, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    use super::Failure;

    fn get(target: &JsValue, key: &str) -> JsValue {
        Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), Failure> {
        Reflect::set(target, &JsValue::from_str(key), value).map(drop).map_err(failure)
    }

    /// A method of `target`, called with `args`: what it returns, awaited when it is a Promise or
    /// any thenable (`Promise.resolve`: Next's edge sandbox hands out Promises of another realm,
    /// which `instanceof Promise` does not recognise).
    async fn call(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, Failure> {
        let Ok(f) = get(target, name).dyn_into::<Function>() else {
            return Err(Failure::Network(format!("this runtime has no {name}()")));
        };
        let returned = match args {
            [] => f.call0(target),
            [a] => f.call1(target, a),
            [a, b, ..] => f.call2(target, a, b),
        };
        let returned = returned.map_err(failure)?;
        JsFuture::from(Promise::resolve(&returned)).await.map_err(failure)
    }

    pub(super) async fn exchange(
        method: &str,
        url: &str,
        bearer: Option<&str>,
        body: Option<&str>,
        timeout: Duration,
    ) -> Result<(u16, Vec<u8>), Failure> {
        let global = js_sys::global();
        let headers = Object::new();
        set(&headers, "accept", &"application/json".into())?;
        if let Some(b) = bearer {
            set(&headers, "authorization", &b.into())?;
        }
        let init = Object::new();
        set(&init, "method", &method.into())?;
        if let Some(b) = body {
            set(&headers, "content-type", &"application/json".into())?;
            set(&init, "body", &b.into())?;
        }
        set(&init, "headers", &headers)?;
        // AbortSignal.timeout covers the request and reading the answer, and rejects with a
        // `TimeoutError`. (Not a Promise: `call` resolves to the signal itself.)
        let ms = JsValue::from_f64(timeout.as_millis() as f64);
        let signal = call(&get(&global, "AbortSignal"), "timeout", &[&ms]).await?;
        set(&init, "signal", &signal)?;
        let response = call(&global, "fetch", &[&url.into(), &init]).await?;
        let status = get(&response, "status").as_f64().unwrap_or(0.0) as u16;
        let text = call(&response, "text", &[]).await?;
        Ok((status, text.as_string().unwrap_or_default().into_bytes()))
    }

    /// A rejection as a [`Failure`]: a `TimeoutError` (or an `AbortError`) is the timeout; anything
    /// else is named with its causes, as deep as they go: `TypeError: fetch failed` alone does not
    /// say whether the connection was refused, the name did not resolve or TLS failed.
    fn failure(thrown: JsValue) -> Failure {
        let name = get(&thrown, "name").as_string().unwrap_or_default();
        if name == "TimeoutError" || name == "AbortError" {
            return Failure::Timeout;
        }
        let mut why = describe(&thrown);
        let mut cause = get(&thrown, "cause");
        for _ in 0..4 {
            if cause.is_undefined() || cause.is_null() {
                break;
            }
            let text = describe(&cause);
            if !text.is_empty() && !why.contains(&text) {
                why = format!("{why}: {text}");
            }
            cause = get(&cause, "cause");
        }
        Failure::Network(why)
    }

    /// `Name: message [code]` of an error (its first inner error's for an AggregateError, whose own
    /// message may be empty), or the value as text.
    fn describe(value: &JsValue) -> String {
        if let Some(text) = value.as_string() {
            return text;
        }
        let text = |key: &str| get(value, key).as_string().filter(|s| !s.trim().is_empty());
        let mut message = text("message").unwrap_or_default();
        if message.is_empty() {
            if let Ok(errors) = get(value, "errors").dyn_into::<js_sys::Array>() {
                message = describe(&errors.get(0));
            }
        }
        let mut out = match text("name") {
            Some(name) if name != "Error" && !message.starts_with(&name) => format!("{name}: {message}"),
            _ => message,
        };
        if let Some(code) = text("code").filter(|c| !out.contains(c.as_str())) {
            out = if out.is_empty() { code } else { format!("{out} [{code}]") };
        }
        out.lines().next().unwrap_or_default().trim().to_owned()
    }
}
