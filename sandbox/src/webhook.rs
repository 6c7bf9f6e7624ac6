//! Webhook delivery: `POST {imp_uid, merchant_uid, status}` as JSON, retried with doubling delays,
//! only to loopback addresses unless remote ones are allowed.
//!
//! Each webhook is a row of the `webhooks` table, written in the same transaction as the change
//! that calls for it, so one that was not delivered when the process stopped is sent at the next
//! start. On request (`POST /__sandbox/webhooks`) each is sent several times, and each is held back
//! until the next one has gone (out of order), so a merchant can test that its handler is idempotent
//! and does not trust the order of arrival.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::model::{ModelError, Notice};
use crate::store::writer::{Outcome, Writer};

/// The most copies of one webhook [`Mode`] may ask for.
pub const MAX_COPIES: u32 = 5;
/// How long an out-of-order webhook waits for the next one before it goes anyway.
pub const HOLD: Duration = Duration::from_secs(2);

/// How webhooks are sent (`POST /__sandbox/webhooks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mode {
    /// Each webhook is sent this many times (1 to [`MAX_COPIES`]).
    pub copies: u32,
    /// Each webhook is held back until the next one has been sent (or [`HOLD`] has passed).
    pub out_of_order: bool,
}

impl Default for Mode {
    fn default() -> Self {
        Mode {
            copies: 1,
            out_of_order: false,
        }
    }
}

/// A recorded webhook: its row id and what is posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The row of the `webhooks` table.
    pub id: i64,
    /// What is posted.
    pub notice: Notice,
}

/// Records the webhooks a change calls for (in the change's transaction).
pub fn record(
    db: &Connection,
    notices: Vec<Notice>,
    now: i64,
) -> Result<Vec<Delivery>, ModelError> {
    let mut out = Vec::with_capacity(notices.len());
    for notice in notices {
        db.prepare_cached(
            "INSERT INTO webhooks (imp_uid, merchant_uid, status, notice_url, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![
            notice.imp_uid,
            notice.merchant_uid,
            notice.status,
            notice.notice_url,
            now
        ])?;
        out.push(Delivery {
            id: db.last_insert_rowid(),
            notice,
        });
    }
    Ok(out)
}

/// The webhooks recorded but neither delivered nor given up, oldest first.
pub fn pending(db: &Connection) -> Result<Vec<Delivery>, ModelError> {
    let mut stmt = db.prepare_cached(
        "SELECT id, imp_uid, merchant_uid, status, notice_url FROM webhooks
         WHERE delivered_at IS NULL AND given_up_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Delivery {
            id: r.get(0)?,
            notice: Notice {
                imp_uid: r.get(1)?,
                merchant_uid: r.get(2)?,
                status: r.get(3)?,
                notice_url: r.get(4)?,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// Where and how webhooks go (cheap to clone).
#[derive(Debug, Clone)]
pub struct Webhooks {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    default_url: String,
    allow_remote: bool,
    attempts: u32,
    backoff: Duration,
    writer: Writer,
    mode: Mutex<Mode>,
    held: Mutex<Option<Delivery>>,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Webhooks {
    /// Delivery with `client` to `default_url` (for payments without `notice_url`), as `config`
    /// says; outcomes are recorded through `writer`.
    pub fn new(
        client: reqwest::Client,
        default_url: String,
        config: &Config,
        writer: Writer,
    ) -> Self {
        Webhooks {
            inner: Arc::new(Inner {
                client,
                default_url,
                allow_remote: config.allow_remote_webhooks,
                attempts: config.webhook_attempts,
                backoff: config.webhook_backoff,
                writer,
                mode: Mutex::new(Mode::default()),
                held: Mutex::new(None),
            }),
        }
    }

    /// The URL for payments without `notice_url`.
    pub fn default_url(&self) -> &str {
        &self.inner.default_url
    }

    /// How webhooks are sent now.
    pub fn mode(&self) -> Mode {
        *locked(&self.inner.mode)
    }

    /// Changes how webhooks are sent.
    pub fn set_mode(&self, mode: Mode) {
        *locked(&self.inner.mode) = mode;
    }

    /// Back to one copy, in order (`/__sandbox/reset`).
    pub fn reset(&self) {
        self.set_mode(Mode::default());
    }

    /// Sends each delivery in the background, as the [`Mode`] says.
    pub fn dispatch(&self, deliveries: Vec<Delivery>) {
        let mode = self.mode();
        for d in deliveries {
            let this = self.clone();
            if !mode.out_of_order {
                tokio::spawn(async move { this.send(d, mode.copies).await });
                continue;
            }
            let earlier = locked(&self.inner.held).take();
            match earlier {
                Some(earlier) => {
                    tokio::spawn(async move {
                        this.send(d, mode.copies).await;
                        this.send(earlier, mode.copies).await;
                    });
                }
                None => {
                    let id = d.id;
                    *locked(&self.inner.held) = Some(d);
                    tokio::spawn(async move {
                        tokio::time::sleep(HOLD).await;
                        let mine = {
                            let mut held = locked(&this.inner.held);
                            match held.take() {
                                Some(h) if h.id == id => Some(h),
                                other => {
                                    *held = other;
                                    None
                                }
                            }
                        };
                        if let Some(d) = mine {
                            this.send(d, mode.copies).await;
                        }
                    });
                }
            }
        }
    }

    /// Sends `copies` copies of one delivery and records the outcome.
    async fn send(&self, d: Delivery, copies: u32) {
        let mut delivered = false;
        let mut attempts = 0;
        for _ in 0..copies.clamp(1, MAX_COPIES) {
            let (ok, n) = self.deliver(&d.notice).await;
            delivered |= ok;
            attempts += n;
        }
        let now = crate::clock::system_now();
        let id = d.id;
        let recorded = self.inner.writer.submit(Box::new(move |db: &Connection| {
            let done = db.execute(
                "UPDATE webhooks SET attempts = attempts + ?2,
                   delivered_at = CASE WHEN ?3 THEN ?4 END, given_up_at = CASE WHEN ?3 THEN NULL ELSE ?4 END
                 WHERE id = ?1",
                rusqlite::params![id, attempts, delivered, now],
            );
            Outcome {
                keep: done.is_ok(),
                then: Box::new(|_| {}),
            }
        }));
        if !recorded {
            eprintln!("webhook {id}: outcome not recorded (the database writer stopped)");
        }
    }

    /// Delivers one notice, retrying on a connection error or a non-2xx answer. Returns whether it
    /// was delivered, and the attempts made.
    pub async fn deliver(&self, notice: &Notice) -> (bool, u32) {
        let target = notice
            .notice_url
            .clone()
            .unwrap_or_else(|| self.inner.default_url.clone());
        let url = match allowed(&target, self.inner.allow_remote) {
            Ok(u) => u,
            Err(e) => {
                eprintln!(
                    "webhook {} {}: not sent: {e}",
                    notice.imp_uid, notice.status
                );
                return (false, 0);
            }
        };
        let mut delay = self.inner.backoff;
        let attempts = self.inner.attempts.max(1);
        for attempt in 1..=attempts {
            let sent = self
                .inner
                .client
                .post(url.clone())
                .json(notice)
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => return (true, attempt),
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
            if attempt < attempts {
                tokio::time::sleep(delay).await;
                delay = delay.saturating_mul(2);
            }
        }
        eprintln!(
            "webhook {} {} -> {url}: given up",
            notice.imp_uid, notice.status
        );
        (false, attempts)
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

    #[test]
    fn webhooks_are_recorded_and_pending_until_marked() {
        let db = crate::model::testing::db();
        let n = |s: &str| Notice {
            notice_url: None,
            imp_uid: "imps_1".into(),
            merchant_uid: "m".into(),
            status: s.into(),
        };
        let d = record(&db, vec![n("paid"), n("cancelled")], 5).unwrap();
        assert_eq!(pending(&db).unwrap(), d);
        db.execute(
            "UPDATE webhooks SET delivered_at = 6 WHERE id = ?1",
            [d[0].id],
        )
        .unwrap();
        assert_eq!(pending(&db).unwrap(), vec![d[1].clone()]);
    }
}
