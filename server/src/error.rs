//! [`Error`] and its stable [`ErrorCode`].
//!
//! A declined card is not an error (it is [`ChargeResult::Failed`](crate::ChargeResult::Failed)).
//! An `Error` means the call was wrong (`INVALID_PARAM`), the payment is not what was claimed
//! (`MISMATCH`), iamport refused (`API_ERROR`, `UNAUTHORIZED`, `NOT_FOUND`) or the answer was lost
//! (`NETWORK`, `TIMEOUT`). No message ever holds the `imp_secret` or an access token.

use core::fmt;

use serde::ser::SerializeStruct;
use serde_json::Value;

/// The shortest `imp_secret` accepted, in characters. iamport's REST API secrets are 80 characters
/// long (the sandbox's is `sandbox_secret`); a shorter one is a placeholder or a paste cut short, and
/// could not be starred out of messages without starring out ordinary words with it.
pub const MIN_SECRET_CHARS: usize = 12;

/// The stable, machine-readable code of an [`Error`] (`IamportError.code` in JavaScript).
///
/// ```
/// use iamport_billing_server::ErrorCode;
/// assert_eq!(ErrorCode::InvalidParam.as_str(), "INVALID_PARAM");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ErrorCode {
    /// A parameter is invalid; nothing was sent. [`Error::field`] names it by path.
    InvalidParam,
    /// The payment is not what the browser claimed: [`Error::field`], [`Error::expected`] and
    /// [`Error::found`] say where.
    Mismatch,
    /// iamport refused the request (`code` ≠ 0): [`Error::api_code`] and [`Error::api_message`].
    ApiError,
    /// iamport refused the `imp_key` / `imp_secret`, or a token twice in a row.
    Unauthorized,
    /// iamport has no such payment, billing key or schedule.
    NotFound,
    /// The request could not be sent or its answer could not be read.
    Network,
    /// No answer within the client's timeout.
    Timeout,
}

impl ErrorCode {
    /// Every code, in the order of the docs' table.
    pub const ALL: [ErrorCode; 7] = [
        ErrorCode::InvalidParam,
        ErrorCode::Mismatch,
        ErrorCode::ApiError,
        ErrorCode::Unauthorized,
        ErrorCode::NotFound,
        ErrorCode::Network,
        ErrorCode::Timeout,
    ];

    /// The code as written in JavaScript (`"INVALID_PARAM"`, …).
    ///
    /// ```
    /// # use iamport_billing_server::ErrorCode;
    /// assert_eq!(ErrorCode::NotFound.as_str(), "NOT_FOUND");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidParam => "INVALID_PARAM",
            ErrorCode::Mismatch => "MISMATCH",
            ErrorCode::ApiError => "API_ERROR",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Network => "NETWORK",
            ErrorCode::Timeout => "TIMEOUT",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error of the client, with a stable [`code`](Error::code) and an English message.
///
/// It serializes (for the JavaScript layer) to `{ code, message, field?, expected?, found?,
/// api_code?, api_message?, outcome_unknown? }` (`outcome_unknown` only when `true`).
///
/// ```
/// use iamport_billing_server::{ChargeParams, ErrorCode};
/// let err = ChargeParams::from_json(serde_json::json!({ "customer_uid": "c1", "merchant_uid": "m1", "amount": 9900, "nmae": "월 구독" })).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::InvalidParam);
/// assert_eq!(err.field(), Some("nmae"));
/// assert_eq!(err.to_string(), "nmae is not a known parameter; did you mean name?");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, PartialEq)]
struct Inner {
    code: ErrorCode,
    message: String,
    field: Option<String>,
    expected: Option<Value>,
    found: Option<Value>,
    api_code: Option<i64>,
    api_message: Option<String>,
    outcome_unknown: bool,
}

impl Error {
    fn new(code: ErrorCode, message: String) -> Error {
        Error(Box::new(Inner {
            code,
            message,
            field: None,
            expected: None,
            found: None,
            api_code: None,
            api_message: None,
            outcome_unknown: false,
        }))
    }

    /// `INVALID_PARAM` on `field` (a path like `schedules[1].schedule_at`).
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Error {
        let mut e = Error::new(ErrorCode::InvalidParam, message.into());
        e.0.field = Some(field.to_owned());
        e
    }

    /// `MISMATCH` on `field`.
    pub(crate) fn mismatch(field: &str, expected: Value, found: Value, why: &str) -> Error {
        let message = format!("{field}: expected {expected}, found {found}{why}");
        let mut e = Error::new(ErrorCode::Mismatch, message);
        e.0.field = Some(field.to_owned());
        e.0.expected = Some(expected);
        e.0.found = Some(found);
        e
    }

    /// `API_ERROR`: iamport answered `code` ≠ 0.
    pub(crate) fn api(what: &str, code: i64, message: Option<String>) -> Error {
        let text = crate::gloss::glossed(message.as_deref().unwrap_or_default());
        let mut e = Error::new(ErrorCode::ApiError, format!("{what}: iamport refused (code {code}): {text}"));
        e.0.api_code = Some(code);
        e.0.api_message = message;
        e
    }

    /// `NOT_FOUND`, with iamport's message when it gave one.
    pub(crate) fn not_found(what: &str, api_message: Option<String>) -> Error {
        let message = match &api_message {
            Some(m) if !m.is_empty() => format!("{what}: not found ({})", crate::gloss::glossed(m)),
            _ => format!("{what}: not found"),
        };
        let mut e = Error::new(ErrorCode::NotFound, message);
        e.0.api_message = api_message;
        e
    }

    pub(crate) fn other(code: ErrorCode, message: impl Into<String>) -> Error {
        Error::new(code, message.into())
    }

    /// The same error with `more` appended to its message.
    pub(crate) fn with_note(mut self, more: &str) -> Error {
        self.0.message.push_str(more);
        self
    }

    /// The same error with its message rewritten (the JavaScript layer names its own methods).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn map_message(mut self, f: impl FnOnce(&str) -> String) -> Error {
        self.0.message = f(&self.0.message);
        self
    }

    /// The same error marked: whether the request took effect is unknown.
    pub(crate) fn outcome_unknown(mut self) -> Error {
        self.0.outcome_unknown = true;
        self
    }

    /// The same error with each of `secrets` (the `imp_secret`, an access token) starred out of its
    /// message and iamport's message: see [`scrub`].
    pub(crate) fn scrubbed(mut self, secrets: &[&str]) -> Error {
        for s in secrets.iter().filter(|s| !s.is_empty()) {
            scrub(&mut self.0.message, s);
            if let Some(m) = self.0.api_message.as_mut() {
                scrub(m, s);
            }
        }
        self
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// The human-readable message (also the `Display`).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// For `INVALID_PARAM` and `MISMATCH`: the field's path (`amount`, `schedules[1].schedule_at`).
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// For `MISMATCH`: what the call asked for.
    pub fn expected(&self) -> Option<&Value> {
        self.0.expected.as_ref()
    }

    /// For `MISMATCH`: what iamport has.
    pub fn found(&self) -> Option<&Value> {
        self.0.found.as_ref()
    }

    /// For `API_ERROR`: iamport's `code` (never 0).
    pub fn api_code(&self) -> Option<i64> {
        self.0.api_code
    }

    /// For `API_ERROR` (and `NOT_FOUND` when given): iamport's `message`, as sent.
    pub fn api_message(&self) -> Option<&str> {
        self.0.api_message.as_deref()
    }

    /// `true` when a charge's answer was lost and so was the lookup meant to recover it (`NETWORK`
    /// or `TIMEOUT`): whether the card was charged is unknown. Look the `merchant_uid` up
    /// ([`find_payment`](crate::Client::find_payment)) before charging that order again. `false`
    /// for every other error, including a lost answer the client recovered from.
    ///
    /// ```
    /// # use iamport_billing_server::{ChargeParams, ErrorCode};
    /// let e = ChargeParams::new("c", "m", 0, "n").check().unwrap_err();
    /// assert!(!e.is_outcome_unknown());
    /// ```
    pub fn is_outcome_unknown(&self) -> bool {
        self.0.outcome_unknown
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = 2
            + usize::from(self.0.field.is_some())
            + usize::from(self.0.expected.is_some())
            + usize::from(self.0.found.is_some())
            + usize::from(self.0.api_code.is_some())
            + usize::from(self.0.api_message.is_some())
            + usize::from(self.0.outcome_unknown);
        let mut st = s.serialize_struct("IamportError", n)?;
        st.serialize_field("code", &self.0.code)?;
        st.serialize_field("message", &self.0.message)?;
        if let Some(v) = &self.0.field {
            st.serialize_field("field", v)?;
        }
        if let Some(v) = &self.0.expected {
            st.serialize_field("expected", v)?;
        }
        if let Some(v) = &self.0.found {
            st.serialize_field("found", v)?;
        }
        if let Some(v) = &self.0.api_code {
            st.serialize_field("api_code", v)?;
        }
        if let Some(v) = &self.0.api_message {
            st.serialize_field("api_message", v)?;
        }
        if self.0.outcome_unknown {
            st.serialize_field("outcome_unknown", &true)?;
        }
        st.end()
    }
}

/// The browser crate's rule errors are `INVALID_PARAM` here, on the same path.
impl From<iamport_billing::Error> for Error {
    fn from(e: iamport_billing::Error) -> Error {
        let field = e.field().unwrap_or("params").to_owned();
        Error::invalid(&field, e.message())
    }
}

/// Replaces `secret` in `text` with `***`: every occurrence of one at least
/// [`MIN_SECRET_CHARS`] long (every `imp_secret` the client accepts, iamport's 40-character tokens);
/// of a shorter one (a token a test server made up), only whole words, not the same letters inside
/// a longer word, which would mangle the message and tell nothing about the secret.
fn scrub(text: &mut String, secret: &str) {
    if !text.contains(secret) {
        return;
    }
    if secret.chars().count() >= MIN_SECRET_CHARS {
        *text = text.replace(secret, "***");
        return;
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, _) in text.match_indices(secret) {
        let end = at + secret.len();
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = text.get(end..).and_then(|t| t.chars().next());
        if at >= copied && !word(before) && !word(after) {
            out.push_str(text.get(copied..at).unwrap_or_default());
            out.push_str("***");
            copied = end;
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    *text = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_are_the_documented_strings() {
        let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(all, ["INVALID_PARAM", "MISMATCH", "API_ERROR", "UNAUTHORIZED", "NOT_FOUND", "NETWORK", "TIMEOUT"]);
        for c in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
        }
    }

    #[test]
    fn serializes_without_holes() {
        let e = Error::mismatch("amount", json!(9900), json!(100), "");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({ "code": "MISMATCH", "message": "amount: expected 9900, found 100", "field": "amount", "expected": 9900, "found": 100 })
        );
        let e = Error::api("POST /subscribe/payments/again", 1, Some("이미 결제된 주문번호".into()));
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({ "code": "API_ERROR", "message": "POST /subscribe/payments/again: iamport refused (code 1): 이미 결제된 주문번호", "api_code": 1, "api_message": "이미 결제된 주문번호" })
        );
    }

    #[test]
    fn scrubbing_a_long_secret_stars_every_occurrence() {
        let secret = "sandbox_secret";
        let e = Error::other(ErrorCode::Network, format!("failed ({secret}, x{secret}y)")).scrubbed(&[secret]);
        assert_eq!(e.message(), "failed (***, x***y)");
    }

    #[test]
    fn scrubbing_a_short_token_leaves_other_words_alone() {
        let what = "POST /users/getToken: the request failed or its answer was lost (reset)";
        let e = Error::other(ErrorCode::Network, what).scrubbed(&["s", "t", "e"]);
        assert_eq!(e.message(), what);
        let e = Error::api("GET /payments/x", -1, Some("token t0k is not t0k-like: t0k".into())).scrubbed(&["t0k"]);
        assert_eq!(e.api_message(), Some("token *** is not t0k-like: ***"));
        assert_eq!(e.message(), "GET /payments/x: iamport refused (code -1): token *** is not t0k-like: ***");
        let e = Error::other(ErrorCode::Network, "가t0k t0k가 (t0k)").scrubbed(&["t0k"]);
        assert_eq!(e.message(), "가t0k t0k가 (***)");
    }

    #[test]
    fn outcome_unknown_is_a_field_only_when_set() {
        let lost = Error::other(ErrorCode::Network, "lost");
        assert!(!lost.is_outcome_unknown());
        assert_eq!(serde_json::to_value(&lost).unwrap(), json!({ "code": "NETWORK", "message": "lost" }));
        let unknown = lost.outcome_unknown();
        assert!(unknown.is_outcome_unknown());
        assert_eq!(serde_json::to_value(&unknown).unwrap(), json!({ "code": "NETWORK", "message": "lost", "outcome_unknown": true }));
    }

    #[test]
    fn scrubbing_removes_every_secret() {
        let e = Error::api("x", 1, Some("bad token tok123 and s3cret".into())).with_note(" (s3cret)");
        let e = e.scrubbed(&["s3cret", "tok123", ""]);
        assert!(!e.to_string().contains("s3cret") && !e.to_string().contains("tok123"), "{e}");
        assert_eq!(e.api_message(), Some("bad token *** and ***"));
    }
}
