//! [`ClientConfig`]: the REST API's base URL, the `imp_key` / `imp_secret` pair and the timeout.

use core::fmt;
use std::time::Duration;

use crate::error::{Error, MIN_SECRET_CHARS};

/// iamport's REST API.
pub const DEFAULT_BASE_URL: &str = "https://api.iamport.kr";

/// The timeout of one request when none is given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest timeout accepted (ten minutes).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// How a [`Client`](crate::Client) reaches iamport.
///
/// `Debug` never shows the secret:
///
/// ```
/// use iamport_billing_server::ClientConfig;
/// let config = ClientConfig::new("imp_key", "imp_s3cret");
/// assert!(!format!("{config:?}").contains("imp_s3cret"));
/// assert!(format!("{config:?}").contains(r#"imp_secret: "***""#));
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The REST API key (`imp_key`).
    pub imp_key: String,
    /// The REST API secret (`imp_secret`). Never printed.
    pub imp_secret: String,
    /// Where the API is: [`DEFAULT_BASE_URL`] unless you point it at a sandbox. No trailing `/`
    /// needed.
    pub base_url: String,
    /// The most one request may take (sending and reading the answer); 1 ms to 10 minutes.
    pub timeout: Duration,
}

impl ClientConfig {
    /// A config for `https://api.iamport.kr` with a 30 s timeout.
    pub fn new(imp_key: impl Into<String>, imp_secret: impl Into<String>) -> ClientConfig {
        ClientConfig {
            imp_key: imp_key.into(),
            imp_secret: imp_secret.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Another base URL (a sandbox, a proxy).
    pub fn base_url(mut self, base_url: impl Into<String>) -> ClientConfig {
        self.base_url = base_url.into();
        self
    }

    /// Another timeout per request.
    pub fn timeout(mut self, timeout: Duration) -> ClientConfig {
        self.timeout = timeout;
        self
    }

    /// The config from JSON (what the JavaScript layer passes): `{ imp_key, imp_secret,
    /// base_url?, timeout_ms? }`.
    ///
    /// ```
    /// use iamport_billing_server::ClientConfig;
    /// let c = ClientConfig::from_json(serde_json::json!({ "imp_key": "k", "imp_secret": "s", "timeout_ms": 5000 })).unwrap();
    /// assert_eq!(c.timeout.as_millis(), 5000);
    /// ```
    pub fn from_json(value: serde_json::Value) -> Result<ClientConfig, Error> {
        let r = crate::params::read::read(iamport_billing::fields::Request::Config, &value)?;
        let mut config = ClientConfig::new(r.str("imp_key").unwrap_or_default(), r.str("imp_secret").unwrap_or_default());
        if let Some(url) = r.str("base_url") {
            config.base_url = url.to_owned();
        }
        if let Some(ms) = r.u64("timeout_ms") {
            config.timeout = Duration::from_millis(ms);
        }
        Ok(config)
    }

    /// Checks the config: key present, a secret of at least [`MIN_SECRET_CHARS`] characters, an
    /// absolute http(s) base URL, a timeout from 1 ms to 10 minutes. Returns the base URL without a trailing `/`.
    pub(crate) fn check(&self) -> Result<String, Error> {
        if self.imp_key.trim().is_empty() {
            return Err(Error::invalid("imp_key", "imp_key is required"));
        }
        if self.imp_secret.trim().is_empty() {
            return Err(Error::invalid("imp_secret", "imp_secret is required"));
        }
        if self.imp_secret.chars().count() < MIN_SECRET_CHARS {
            return Err(Error::invalid(
                "imp_secret",
                format!(
                    "imp_secret is too short to be a REST API secret (at least {MIN_SECRET_CHARS} characters; iamport's have 80): copy it whole from iamport's admin console"
                ),
            ));
        }
        let base = self.base_url.trim_end_matches('/');
        let scheme_ok = base.starts_with("https://") || base.starts_with("http://");
        let host = base.split_once("://").map_or("", |(_, rest)| rest);
        if !scheme_ok || host.is_empty() || base.contains(char::is_whitespace) || base.contains(['?', '#']) {
            return Err(Error::invalid(
                "base_url",
                "base_url must be an absolute http(s) URL without query, like https://api.iamport.kr",
            ));
        }
        if self.timeout.is_zero() || self.timeout > MAX_TIMEOUT {
            return Err(Error::invalid("timeout", "timeout must be from 1 ms to 10 minutes"));
        }
        Ok(base.to_owned())
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("imp_key", &self.imp_key)
            .field("imp_secret", &"***")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_config() {
        let ok = ClientConfig::new("k", "sandbox_secret");
        assert_eq!(ok.check().unwrap(), DEFAULT_BASE_URL);
        assert_eq!(ok.clone().base_url("http://127.0.0.1:9/").check().unwrap(), "http://127.0.0.1:9");
        for (bad, field) in [
            (ClientConfig::new("", "sandbox_secret"), "imp_key"),
            (ClientConfig::new("k", " "), "imp_secret"),
            (ClientConfig::new("k", "s"), "imp_secret"),
            (ClientConfig::new("k", "shortsecret"), "imp_secret"),
            (ok.clone().base_url("api.iamport.kr"), "base_url"),
            (ok.clone().base_url("https://"), "base_url"),
            (ok.clone().base_url("https://a.example/?x=1"), "base_url"),
            (ok.clone().timeout(Duration::ZERO), "timeout"),
            (ok.clone().timeout(MAX_TIMEOUT + Duration::from_millis(1)), "timeout"),
        ] {
            assert_eq!(bad.check().unwrap_err().field(), Some(field), "{bad:?}");
        }
    }

    #[test]
    fn a_secret_too_short_to_be_real_is_refused_without_showing_it() {
        let e = ClientConfig::new("k", "s3cr3t").check().unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::InvalidParam);
        assert_eq!(e.field(), Some("imp_secret"));
        assert_eq!(
            e.message(),
            "imp_secret is too short to be a REST API secret (at least 12 characters; iamport's have 80): copy it whole from iamport's admin console"
        );
        // Characters, not bytes: twelve Hangul syllables are a long enough secret.
        assert!(ClientConfig::new("k", "가".repeat(MIN_SECRET_CHARS)).check().is_ok());
        assert!(ClientConfig::new("k", "가".repeat(MIN_SECRET_CHARS - 1)).check().is_err());
    }

    #[test]
    fn from_json_names_the_keys() {
        let e = ClientConfig::from_json(serde_json::json!({ "imp_key": "k", "imp_secret": "s", "timeoutMs": 1 })).unwrap_err();
        assert_eq!(e.to_string(), "timeoutMs is not a known parameter; did you mean timeout_ms?");
        let e = ClientConfig::from_json(serde_json::json!({ "imp_key": "k" })).unwrap_err();
        assert_eq!(e.field(), Some("imp_secret"));
    }
}
