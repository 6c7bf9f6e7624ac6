//! One HTTP exchange with iamport: the request with its timeout, the answer's envelope
//! (`{code, message, response}`), and the errors of the wire (`NETWORK`, `TIMEOUT`).
//!
//! reqwest does the HTTP: natively with hyper and rustls (its default provider, aws-lc-rs, and the
//! platform's certificate verifier); on wasm32 with the runtime's `fetch` (Node, Bun, Deno), where
//! reqwest applies the timeout with an `AbortController`.

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
    http: reqwest::Client,
    base: String,
    timeout: Duration,
}

impl Transport {
    pub(crate) fn new(base: String, timeout: Duration) -> Result<Transport, Error> {
        let http = build_http().map_err(|e| Error::other(ErrorCode::Network, format!("could not set up HTTP: {e}")))?;
        Ok(Transport { http, base, timeout })
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
        let mut req = match method {
            Method::Get => self.http.get(&url),
            Method::Post => self.http.post(&url),
            Method::Put => self.http.put(&url),
            Method::Delete => self.http.delete(&url),
        }
        .timeout(self.timeout)
        .header("accept", "application/json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.map_err(|e| wire(what, &e, self.timeout))?;
        let status = res.status().as_u16();
        let bytes = res.bytes().await.map_err(|e| wire(what, &e, self.timeout))?;
        let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|_| {
            Error::other(ErrorCode::Network, format!("{what}: the answer (HTTP {status}) is not iamport's JSON envelope"))
        })?;
        Ok(Answer { status, envelope })
    }
}

/// `TIMEOUT` or `NETWORK` for a failed exchange.
fn wire(what: &str, e: &reqwest::Error, timeout: Duration) -> Error {
    if e.is_timeout() {
        Error::other(ErrorCode::Timeout, format!("{what}: no answer within {} ms", timeout.as_millis()))
    } else {
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
        Error::other(ErrorCode::Network, format!("{what}: the request failed or its answer was lost ({})", first_line(&why)))
    }
}

/// The first line of a cause, without the `JsValue(…)` wrapper `fetch`'s errors come in on wasm32
/// (whose further lines are a JavaScript stack trace).
fn first_line(why: &str) -> &str {
    let line = why.lines().next().unwrap_or_default().trim();
    match line.strip_prefix("JsValue(") {
        Some(inner) if why.contains('\n') => inner,
        Some(inner) => inner.strip_suffix(')').unwrap_or(inner),
        None => line,
    }
}


#[cfg(not(target_arch = "wasm32"))]
fn build_http() -> Result<reqwest::Client, String> {
    reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).build().map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
fn build_http() -> Result<reqwest::Client, String> {
    reqwest::Client::builder().build().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::first_line;

    #[test]
    fn a_cause_is_one_line_without_the_js_wrapper_or_stack() {
        let wasm = "JsValue(TypeError: fetch failed\nTypeError: fetch failed\n    at node:internal/deps/undici)";
        assert_eq!(first_line(wasm), "TypeError: fetch failed");
        assert_eq!(first_line("JsValue(AbortError: aborted)"), "AbortError: aborted");
        assert_eq!(first_line("Connection refused (os error 111)"), "Connection refused (os error 111)");
        assert_eq!(first_line(""), "");
    }
}
