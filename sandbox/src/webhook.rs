//! Webhook delivery: `POST {imp_uid, merchant_uid, status}` as JSON, retried with doubling delays,
//! only to loopback addresses unless remote ones are allowed.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use crate::model::Notice;

/// Where and how webhooks go.
#[derive(Debug, Clone)]
pub struct Webhooks {
    /// The HTTP client (shared; it pools connections).
    pub client: reqwest::Client,
    /// The URL for payments without `notice_url`.
    pub default_url: String,
    /// Allow non-loopback URLs.
    pub allow_remote: bool,
    /// Attempts per webhook, first included.
    pub attempts: u32,
    /// Delay before the first retry; doubles each time.
    pub backoff: Duration,
}

/// Whether a URL may receive webhooks: http(s) to a loopback address (or `localhost`), or anywhere
/// when `allow_remote`.
pub fn allowed(url: &str, allow_remote: bool) -> Result<Url, String> {
    let url = Url::parse(url).map_err(|e| format!("bad webhook URL {url:?}: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("webhook URL {url} is not http(s)"));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    if loopback || allow_remote {
        Ok(url)
    } else {
        Err(format!("webhook URL {url} is not a loopback address (start with --allow-remote-webhooks to allow it)"))
    }
}

impl Webhooks {
    /// Sends each notice in the background.
    pub fn dispatch(&self, notices: Vec<Notice>) {
        for notice in notices {
            let this = self.clone();
            tokio::spawn(async move { this.deliver(notice).await });
        }
    }

    /// Delivers one notice, retrying on a connection error or a non-2xx answer. Returns whether it
    /// was delivered.
    pub async fn deliver(&self, notice: Notice) -> bool {
        let target = notice
            .notice_url
            .clone()
            .unwrap_or_else(|| self.default_url.clone());
        let url = match allowed(&target, self.allow_remote) {
            Ok(u) => u,
            Err(e) => {
                eprintln!(
                    "webhook {} {}: not sent: {e}",
                    notice.imp_uid, notice.status
                );
                return false;
            }
        };
        let mut delay = self.backoff;
        for attempt in 1..=self.attempts.max(1) {
            let sent = self.client.post(url.clone()).json(&notice).send().await;
            match sent {
                Ok(r) if r.status().is_success() => {
                    eprintln!(
                        "webhook {} {} -> {url}: delivered (attempt {attempt})",
                        notice.imp_uid, notice.status
                    );
                    return true;
                }
                Ok(r) => eprintln!(
                    "webhook {} {} -> {url}: HTTP {} (attempt {attempt})",
                    notice.imp_uid,
                    notice.status,
                    r.status()
                ),
                Err(e) => eprintln!(
                    "webhook {} {} -> {url}: {e} (attempt {attempt})",
                    notice.imp_uid, notice.status
                ),
            }
            if attempt < self.attempts {
                tokio::time::sleep(delay).await;
                delay = delay.saturating_mul(2);
            }
        }
        eprintln!(
            "webhook {} {} -> {url}: given up",
            notice.imp_uid, notice.status
        );
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_unless_allowed() {
        assert!(allowed("http://127.0.0.1:9/x", false).is_ok());
        assert!(allowed("http://localhost/x", false).is_ok());
        assert!(allowed("http://[::1]:8/x", false).is_ok());
        assert!(allowed("http://127.8.9.1/x", false).is_ok());
        assert!(allowed("http://10.0.0.1/x", false).is_err());
        assert!(allowed("https://example.com/x", false).is_err());
        assert!(allowed("https://example.com/x", true).is_ok());
        assert!(allowed("ftp://127.0.0.1/x", true).is_err());
        assert!(allowed("not a url", true).is_err());
    }
}
