//! Integration errors: what rejects the Promise (JavaScript) or the `Result` (Rust).
//!
//! Payment outcomes (approved, declined, cancelled by the user) are *not* errors: they are a
//! [`BillingKeyResult`](crate::BillingKeyResult). An [`Error`] means the integration is wrong (bad
//! params, SDK missing) or the flow broke (timeout, SDK threw).

use core::fmt;

use crate::json::{JsonObject, ObjectWriter};
use crate::text::{concat, push_u64};
use crate::value::{Unsupported, Value};

/// The stable, machine-readable code of an [`Error`]; `BillingKeyError.code` in JavaScript.
///
/// ```
/// use iamport_billing::ErrorCode;
/// assert_eq!(ErrorCode::InvalidParam.as_str(), "INVALID_PARAM");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ErrorCode {
    /// A parameter or option is invalid; [`Error::field`] names it.
    InvalidParam,
    /// `globalThis.IMP.request_pay` is not a function: the iamport SDK is not loaded.
    ImpNotLoaded,
    /// The iamport SDK script failed to load, timed out, or did not define `IMP`.
    SdkLoadFailed,
    /// Another billing-key request is still waiting for its callback.
    InProgress,
    /// No callback arrived within the requested timeout.
    Timeout,
    /// `IMP.request_pay` threw or returned `false`.
    SdkError,
    /// JavaScript only: a synchronous function was called before the wasm was ready (`await
    /// ready()` first).
    NotReady,
    /// JavaScript only: the wasm could not be fetched or instantiated.
    WasmLoadFailed,
}

impl ErrorCode {
    /// Every code, once, in the order the docs list them (the package's `index.d.ts`, docs/api.md
    /// and the READMEs are tested against this list).
    ///
    /// ```
    /// use iamport_billing::ErrorCode;
    /// assert_eq!(ErrorCode::ALL.first(), Some(&ErrorCode::InvalidParam));
    /// assert!(ErrorCode::ALL.iter().any(|c| c.as_str() == "WASM_LOAD_FAILED"));
    /// ```
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidParam,
        ErrorCode::ImpNotLoaded,
        ErrorCode::SdkLoadFailed,
        ErrorCode::InProgress,
        ErrorCode::Timeout,
        ErrorCode::SdkError,
        ErrorCode::NotReady,
        ErrorCode::WasmLoadFailed,
    ];

    /// The code as written in JavaScript (`"INVALID_PARAM"`, …).
    ///
    /// ```
    /// # use iamport_billing::ErrorCode;
    /// assert_eq!(ErrorCode::SdkLoadFailed.as_str(), "SDK_LOAD_FAILED");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidParam => "INVALID_PARAM",
            ErrorCode::ImpNotLoaded => "IMP_NOT_LOADED",
            ErrorCode::SdkLoadFailed => "SDK_LOAD_FAILED",
            ErrorCode::InProgress => "IN_PROGRESS",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::SdkError => "SDK_ERROR",
            ErrorCode::NotReady => "NOT_READY",
            ErrorCode::WasmLoadFailed => "WASM_LOAD_FAILED",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An integration error, with a stable [`code`](Error::code) and a clear message.
///
/// ```
/// use iamport_billing::{BillingKeyRequest, ErrorCode};
/// let err = BillingKeyRequest::builder().amount(0).buyer_tel("02-1234-1234").build().unwrap_err();
/// assert_eq!(err.code(), ErrorCode::InvalidParam);
/// assert_eq!(err.field(), Some("customer_uid"));
/// assert_eq!(err.to_string(), "customer_uid is required");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A parameter or option is invalid.
    InvalidParam {
        /// The field's path: `customer_uid`, `display.card_quota[2]`, `timeoutMs`, …
        field: String,
        /// What is wrong, starting with the field's name.
        message: String,
    },
    /// The iamport SDK is not loaded (`globalThis.IMP.request_pay` is not a function).
    ImpNotLoaded,
    /// The iamport SDK could not be loaded.
    SdkLoadFailed {
        /// Why.
        message: String,
    },
    /// Another request is still waiting for its callback.
    InProgress,
    /// No callback arrived in time. The payment window may still complete: confirm on the server.
    Timeout {
        /// The request's `merchant_uid`.
        merchant_uid: String,
        /// The request's `customer_uid`.
        customer_uid: String,
        /// The timeout that expired.
        timeout_ms: u32,
    },
    /// `IMP.request_pay` threw or returned `false`.
    SdkError {
        /// The request's `merchant_uid`.
        merchant_uid: String,
        /// The request's `customer_uid`.
        customer_uid: String,
        /// What the SDK did.
        message: String,
    },
}

impl Error {
    /// An [`Error::InvalidParam`] for `field`.
    pub(crate) fn invalid(field: &str, message: String) -> Error {
        Error::InvalidParam { field: field.to_owned(), message }
    }

    /// The stable code.
    ///
    /// ```
    /// # use iamport_billing::{Error, ErrorCode};
    /// assert_eq!(Error::InProgress.code(), ErrorCode::InProgress);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidParam { .. } => ErrorCode::InvalidParam,
            Error::ImpNotLoaded => ErrorCode::ImpNotLoaded,
            Error::SdkLoadFailed { .. } => ErrorCode::SdkLoadFailed,
            Error::InProgress => ErrorCode::InProgress,
            Error::Timeout { .. } => ErrorCode::Timeout,
            Error::SdkError { .. } => ErrorCode::SdkError,
        }
    }

    /// The invalid field's path, for [`ErrorCode::InvalidParam`].
    ///
    /// ```
    /// # use iamport_billing::Error;
    /// assert_eq!(Error::ImpNotLoaded.field(), None);
    /// ```
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidParam { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The request's `merchant_uid` and `customer_uid`, for [`ErrorCode::Timeout`] and
    /// [`ErrorCode::SdkError`], so nothing is lost.
    ///
    /// ```
    /// # use iamport_billing::Error;
    /// let e = Error::Timeout { merchant_uid: "m1".into(), customer_uid: "c1".into(), timeout_ms: 5 };
    /// assert_eq!(e.request_ids(), Some(("m1", "c1")));
    /// ```
    pub fn request_ids(&self) -> Option<(&str, &str)> {
        match self {
            Error::Timeout { merchant_uid, customer_uid, .. } | Error::SdkError { merchant_uid, customer_uid, .. } => {
                Some((merchant_uid, customer_uid))
            }
            _ => None,
        }
    }

    /// The human-readable message (English; codes are for programs).
    ///
    /// ```
    /// # use iamport_billing::Error;
    /// assert!(Error::ImpNotLoaded.message().contains("IMP"));
    /// ```
    pub fn message(&self) -> String {
        use crate::text::concat;
        match self {
            Error::InvalidParam { message, .. } => message.clone(),
            Error::ImpNotLoaded => String::from(
                "the iamport SDK is not loaded (globalThis.IMP.request_pay is not a function): \
                 call loadIamport() or add <script src=\"https://cdn.iamport.kr/v1/iamport.js\"> first",
            ),
            Error::SdkLoadFailed { message } => concat(&["could not load the iamport SDK: ", message]),
            Error::InProgress => String::from(
                "another billing-key request is still open; wait for it to settle before starting a new one",
            ),
            Error::Timeout { merchant_uid, timeout_ms, .. } => {
                let mut ms = String::new();
                crate::text::push_u64(&mut ms, u64::from(*timeout_ms));
                concat(&[
                    "no response from the payment window within ",
                    &ms,
                    " ms (merchant_uid ",
                    merchant_uid,
                    "); the payment may still complete: confirm it on your server",
                ])
            }
            Error::SdkError { message, .. } => concat(&["IMP.request_pay failed: ", message]),
        }
    }
}

impl Error {
    /// The JSON the glue turns into a `BillingKeyError` (`js/glue.js`): `code`, `message`, and
    /// `field` or the request's ids when there are.
    #[cfg_attr(not(all(target_arch = "wasm32", any(feature = "browser", feature = "npm"))), allow(dead_code))]
    pub(crate) fn to_js_json(&self) -> String {
        let mut o = JsonObject::new();
        o.str("code", Some(self.code().as_str()));
        o.str("message", Some(&self.message()));
        o.str_opt("field", self.field());
        if let Some((merchant_uid, customer_uid)) = self.request_ids() {
            o.str("merchant_uid", Some(merchant_uid));
            o.str("customer_uid", Some(customer_uid));
        }
        o.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

// Building errors: the messages of invalid parameters, in one place.

/// An [`Error::InvalidParam`] with a fixed message.
#[inline(never)]
pub(crate) fn fixed(field: &str, message: &'static str) -> Error {
    Error::invalid(field, String::from(message))
}

/// An [`Error::InvalidParam`] whose message is the field's path and `rest` (" is required", " must
/// …"): one function for every such message (less wasm than a `concat` at each).
#[inline(never)]
pub(crate) fn invalid_after(field: &str, rest: &str) -> Error {
    Error::invalid(field, concat(&[field, rest]))
}

/// "a number", "an array", … for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::Unsupported(kind) => kind.describe(),
    }
}

/// The error for a value that could not be read (a getter or a Proxy trap threw, a revoked Proxy,
/// a cycle), if `got` is one: whatever the field expects, that is what to fix. (The npm package's
/// glue adds which it was: "…could not be read: a getter threw: boom".)
#[inline(never)]
pub(crate) fn unreadable(field: &str, got: &Value) -> Option<Error> {
    matches!(got, Value::Unsupported(Unsupported::Unreadable)).then(|| invalid_after(field, " could not be read"))
}

pub(crate) fn not_a(field: &str, expected: &str, got: &Value) -> Error {
    if let Some(e) = unreadable(field, got) {
        return e;
    }
    let article = if matches!(expected.as_bytes().first(), Some(b'a' | b'e' | b'i' | b'o' | b'u')) { "an " } else { "a " };
    let mut msg = concat(&[field, " must be ", article, expected, " (got ", type_name(got), ")"]);
    if expected == "number" {
        if let Value::String(s) = got {
            if s.len() <= 20 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                msg.push_str(": write ");
                msg.push_str(s);
                msg.push_str(", not '");
                msg.push_str(s);
                msg.push('\'');
            }
        }
    }
    Error::invalid(field, msg)
}

pub(crate) fn required(field: &str) -> Error {
    invalid_after(field, " is required")
}

pub(crate) fn indexed(field: &str, i: usize) -> String {
    let mut p = String::from(field);
    p.push('[');
    push_u64(&mut p, i as u64);
    p.push(']');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`ErrorCode::ALL`] has every code once: adding a variant fails to compile here until it is
    /// listed.
    #[test]
    fn all_lists_every_code_once() {
        for (i, code) in ErrorCode::ALL.iter().enumerate() {
            let place = match code {
                ErrorCode::InvalidParam => 0,
                ErrorCode::ImpNotLoaded => 1,
                ErrorCode::SdkLoadFailed => 2,
                ErrorCode::InProgress => 3,
                ErrorCode::Timeout => 4,
                ErrorCode::SdkError => 5,
                ErrorCode::NotReady => 6,
                ErrorCode::WasmLoadFailed => 7,
            };
            assert_eq!(place, i, "{code} is listed at {i}");
        }
        assert_eq!(ErrorCode::ALL.len(), 8);
    }

    /// The codes each document lists, in order: the `BillingKeyErrorCode` union of index.d.ts, and
    /// the first column of the table headed `| `code` |` in docs/api.md and the READMEs.
    fn listed(file: &str, text: &str) -> Vec<String> {
        let quoted = |s: &str, q: char| s.split(q).nth(1).map(str::to_owned);
        let found: Vec<String> = if file.ends_with(".d.ts") {
            let union = text.split("export type BillingKeyErrorCode =").nth(1).and_then(|t| t.split(';').next()).unwrap_or("");
            union.lines().filter_map(|l| l.trim().strip_prefix("| ").and_then(|c| quoted(c, '\''))).collect()
        } else {
            // The table whose header row starts with `code` (a row of another table may too).
            let table = text.split("\n| `code` |").skip(1).find(|t| t.lines().nth(1).is_some_and(|l| l.starts_with("|---"))).unwrap_or("");
            table.lines().skip(2).take_while(|l| l.starts_with("| `")).filter_map(|l| quoted(l, '`')).collect()
        };
        assert!(!found.is_empty(), "{file}: no list of error codes found");
        found
    }

    #[test]
    fn the_docs_and_the_types_list_exactly_the_error_codes() {
        let want: Vec<String> = ErrorCode::ALL.iter().map(|c| c.as_str().to_owned()).collect();
        for (file, text) in [
            ("js/pkg/index.d.ts", include_str!("../js/pkg/index.d.ts")),
            ("docs/api.md", include_str!("../docs/api.md")),
            ("README.md", include_str!("../README.md")),
            ("README.ko.md", include_str!("../README.ko.md")),
        ] {
            assert_eq!(listed(file, text), want, "{file} must list the codes of ErrorCode::ALL, in its order");
        }
    }

    #[test]
    fn the_reader_finds_a_list_and_its_end() {
        let md = "| p |\n|---|\n| `code` | a row |\ntext\n| `code` | meaning |\n|---|---|\n| `A` | a |\n| `B` | b |\n\nafter\n| `C` | not this table |\n";
        assert_eq!(listed("x.md", md), ["A", "B"]);
        let ts = "export type BillingKeyErrorCode =\n  | 'A'\n  | 'B';\nexport type X = 'C';";
        assert_eq!(listed("x.d.ts", ts), ["A", "B"]);
    }

    /// The JSON the glue makes a `BillingKeyError` of (only the wasm builds call it): the code and
    /// message, the field of a param's error, the request's ids of a request's error.
    #[test]
    fn the_glue_gets_the_code_the_message_and_the_field_or_the_ids() {
        assert_eq!(
            Error::invalid("buyer_tel", "buyer_tel is required".into()).to_js_json(),
            r#"{"code":"INVALID_PARAM","message":"buyer_tel is required","field":"buyer_tel"}"#
        );
        let e = Error::Timeout { merchant_uid: "m1".into(), customer_uid: "c1".into(), timeout_ms: 5 };
        let json = e.to_js_json();
        assert!(json.starts_with(r#"{"code":"TIMEOUT","message":""#), "{json}");
        assert!(json.ends_with(r#","merchant_uid":"m1","customer_uid":"c1"}"#), "{json}");
    }
}
