//! Options of `requestBillingKey` and `loadIamport`, validated like params.

use crate::checks::{check_script_src, unknown_option, url_text};
use crate::error::{fixed, invalid_after, not_a, unreadable, Error};
use crate::value::Value;

/// The largest timeout a browser timer honours (2³¹ − 1 ms, about 24.8 days); longer ones are
/// capped to it (a browser timer set longer would fire at once).
///
/// ```
/// # use iamport_billing::RequestOptions;
/// # use iamport_billing::internals::MAX_TIMEOUT_MS;
/// assert!(RequestOptions::with_timeout_ms(MAX_TIMEOUT_MS).is_ok());
/// ```
pub const MAX_TIMEOUT_MS: u32 = i32::MAX as u32;

/// The iamport v1 SDK's address.
///
/// ```
/// assert!(iamport_billing::internals::DEFAULT_SDK_SRC.starts_with("https://cdn.iamport.kr/"));
/// ```
pub const DEFAULT_SDK_SRC: &str = "https://cdn.iamport.kr/v1/iamport.js";

/// The default time allowed for the SDK script to load.
///
/// ```
/// assert_eq!(iamport_billing::LoadOptions::default().timeout_ms, iamport_billing::internals::DEFAULT_LOAD_TIMEOUT_MS);
/// ```
pub const DEFAULT_LOAD_TIMEOUT_MS: u32 = 10_000;

/// Options of a billing-key request.
///
/// ```
/// use iamport_billing::{RequestOptions, Value};
/// let o = RequestOptions::from_value(&Value::object([("timeoutMs", Value::from(60_000u64))])).unwrap();
/// assert_eq!(o.timeout_ms, Some(60_000));
/// let zero = RequestOptions::from_value(&Value::object([("timeoutMs", Value::from(0u64))]));
/// assert_eq!(zero.unwrap_err().field(), Some("timeoutMs"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Reject with `TIMEOUT` when no callback arrives within this many ms. `None` (the default)
    /// waits as long as the person takes.
    pub timeout_ms: Option<u32>,
}

impl RequestOptions {
    /// No timeout.
    ///
    /// ```
    /// assert_eq!(iamport_billing::RequestOptions::NONE.timeout_ms, None);
    /// ```
    pub const NONE: RequestOptions = RequestOptions { timeout_ms: None };

    /// With a timeout (at least 1 ms; capped at [`MAX_TIMEOUT_MS`]).
    ///
    /// ```
    /// # use iamport_billing::RequestOptions;
    /// assert!(RequestOptions::with_timeout_ms(0).is_err());
    /// assert_eq!(RequestOptions::with_timeout_ms(5).unwrap().timeout_ms, Some(5));
    /// ```
    pub fn with_timeout_ms(ms: u32) -> Result<RequestOptions, Error> {
        timeout(&Value::from(ms), "timeoutMs").map(|t| RequestOptions { timeout_ms: Some(t) })
    }

    /// Reads `{ timeoutMs? }`; `undefined`/`null` mean defaults.
    ///
    /// ```
    /// use iamport_billing::{RequestOptions, Value};
    /// assert_eq!(RequestOptions::from_value(&Value::Null), Ok(RequestOptions::NONE));
    /// ```
    pub fn from_value(v: &Value) -> Result<RequestOptions, Error> {
        let pairs = object_or_default(v, "options")?;
        let mut out = RequestOptions::default();
        for (key, value) in pairs {
            match key.as_str() {
                "timeoutMs" if value.is_nullish() => {}
                "timeoutMs" => out.timeout_ms = Some(timeout(value, "timeoutMs")?),
                _ => return Err(unknown_option(key, &["timeoutMs"])),
            }
        }
        Ok(out)
    }
}

/// Options of loading the iamport SDK.
///
/// ```
/// use iamport_billing::{LoadOptions, Value};
/// let o = LoadOptions::from_value(&Value::object([("merchantCode", Value::from("imp12345678"))])).unwrap();
/// assert_eq!(o.src, "https://cdn.iamport.kr/v1/iamport.js");
/// assert_eq!(o.merchant_code.as_deref(), Some("imp12345678"));
/// let bad = LoadOptions::from_value(&Value::object([("merchantCode", Value::from("imp123"))]));
/// assert_eq!(bad.unwrap_err().field(), Some("merchantCode"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadOptions {
    /// The SDK script's address (default [`DEFAULT_SDK_SRC`]): an `https:` URL, an `http:` URL of
    /// `localhost` (a local sandbox), or a path on the page's own origin (`/sdk/iamport.js`).
    /// Other schemes (`data:`, `blob:`, `javascript:`, …) are refused with `INVALID_PARAM`.
    pub src: String,
    /// The merchant code (`imp` + 8 digits) to `IMP.init` with, if any.
    pub merchant_code: Option<String>,
    /// How long the script may take to load (default 10 000 ms).
    pub timeout_ms: u32,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions { src: String::from(DEFAULT_SDK_SRC), merchant_code: None, timeout_ms: DEFAULT_LOAD_TIMEOUT_MS }
    }
}

impl LoadOptions {
    /// Defaults plus a merchant code, checked.
    ///
    /// ```
    /// # use iamport_billing::LoadOptions;
    /// assert!(LoadOptions::with_merchant_code("imp12345678").is_ok());
    /// assert!(LoadOptions::with_merchant_code("IMP12345678").is_err());
    /// ```
    pub fn with_merchant_code(code: &str) -> Result<LoadOptions, Error> {
        check_merchant_code(code)?;
        Ok(LoadOptions { merchant_code: Some(code.to_owned()), ..LoadOptions::default() })
    }

    /// Reads `{ src?, merchantCode?, timeoutMs? }`; `undefined`/`null` mean defaults.
    ///
    /// ```
    /// use iamport_billing::{LoadOptions, Value};
    /// assert_eq!(LoadOptions::from_value(&Value::Null), Ok(LoadOptions::default()));
    /// ```
    pub fn from_value(v: &Value) -> Result<LoadOptions, Error> {
        let pairs = object_or_default(v, "options")?;
        let mut out = LoadOptions::default();
        for (key, value) in pairs {
            match key.as_str() {
                "src" | "merchantCode" | "timeoutMs" if value.is_nullish() => {}
                // An empty merchantCode is a mistake (an empty form field), not "no code": it is checked.
                "src" | "timeoutMs" if value.as_str() == Some("") => {}
                "src" => match value {
                    Value::String(s) => {
                        check_src(s)?;
                        out.src = s.clone()
                    }
                    other => return Err(not_a("src", "string", other)),
                },
                "merchantCode" => match value {
                    Value::String(s) => {
                        check_merchant_code(s)?;
                        out.merchant_code = Some(s.clone());
                    }
                    other => return Err(not_a("merchantCode", "string", other)),
                },
                "timeoutMs" => out.timeout_ms = timeout(value, "timeoutMs")?,
                _ => return Err(unknown_option(key, &["src", "merchantCode", "timeoutMs"])),
            }
        }
        Ok(out)
    }
}

impl LoadOptions {
    /// Checks options made in Rust (the fields are public) as [`from_value`](Self::from_value)
    /// checks those from JavaScript, before anything is loaded.
    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    pub(crate) fn check(&self) -> Result<(), Error> {
        check_src(&self.src)?;
        if let Some(code) = &self.merchant_code {
            check_merchant_code(code)?;
        }
        timeout(&Value::from(self.timeout_ms), "timeoutMs").map(|_| ())
    }
}

/// At most 2048 characters, no whitespace or control characters, and a place scripts may come
/// from ([`check_script_src`]).
fn check_src(src: &str) -> Result<(), Error> {
    if !url_text(src) {
        return Err(fixed("src", "src must be a script URL without spaces"));
    }
    check_script_src(src)
}

/// `^imp[0-9]{8}$`.
pub(crate) fn check_merchant_code(code: &str) -> Result<(), Error> {
    let ok = code.len() == 11 && code.starts_with("imp") && code.bytes().skip(3).all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(fixed(
            "merchantCode",
            "merchantCode must be 'imp' followed by 8 digits (your iamport merchant code, e.g. imp12345678)",
        ))
    }
}

fn object_or_default<'a>(v: &'a Value, field: &str) -> Result<&'a [(String, Value)], Error> {
    match v {
        _ if v.is_nullish() => Ok(&[]),
        Value::Object(pairs) => Ok(pairs),
        other => Err(not_a(field, "object", other)),
    }
}

/// A positive safe integer of milliseconds, capped at [`MAX_TIMEOUT_MS`] (a browser timer set
/// longer would fire at once; 2³¹ − 1 ms is about 24.8 days, as good as no timeout).
fn timeout(v: &Value, field: &str) -> Result<u32, Error> {
    if let Some(e) = unreadable(field, v) {
        return Err(e);
    }
    match v.as_safe_integer() {
        Some(ms) if ms >= 1 => Ok(u32::try_from(ms).unwrap_or(MAX_TIMEOUT_MS).min(MAX_TIMEOUT_MS)),
        _ => Err(invalid_after(field, " must be a positive whole number of milliseconds")),
    }
}
