//! What every handler shares ([`Shared`], behind an `Arc`): the database (one writer thread, a pool
//! of readers), the sandbox clock, the configuration and webhook delivery.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::api::ApiError;
use crate::clock::system_now;
use crate::config::Config;
use crate::model::{self, Changed, ModelError};
use crate::store::writer::{Outcome, Writer};
use crate::store::Readers;
use crate::webhook::{Delivery, Webhooks};

/// The handlers' state.
pub type AppState = Arc<Shared>;

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    writer: Writer,
    readers: Arc<Readers>,
    db_path: PathBuf,
    /// Seconds the sandbox clock runs ahead of the system clock (the database has the same; this
    /// copy spares reads a query).
    clock_offset: AtomicI64,
    /// The configuration.
    pub config: Config,
    /// Webhook delivery.
    pub webhooks: Webhooks,
}

fn unavailable() -> ApiError {
    ApiError::internal("the sandbox's database writer stopped; restart the sandbox")
}

impl Shared {
    /// Opens the database (importing an old `state.json` once) and sets up webhooks to
    /// `default_webhook_url` (when not configured).
    pub fn open(config: Config, default_webhook_url: String) -> Result<Shared, String> {
        let (db, db_path) = crate::legacy::open(&config.data_dir)
            .map_err(|e| format!("data dir {}: {e}", config.data_dir.display()))?;
        let offset = model::clock_offset(&db).map_err(|e| e.message)?;
        let writer = Writer::start(db)?;
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        let webhooks = Webhooks::new(
            client,
            config.webhook_url.clone().unwrap_or(default_webhook_url),
            &config,
            writer.clone(),
        );
        Ok(Shared {
            writer,
            readers: Arc::new(Readers::new(db_path.clone())),
            db_path,
            clock_offset: AtomicI64::new(offset),
            config,
            webhooks,
        })
    }

    /// The database file's path.
    pub fn data_file(&self) -> &Path {
        &self.db_path
    }

    /// The sandbox time now.
    pub fn now(&self) -> i64 {
        system_now().saturating_add(self.clock_offset.load(Ordering::Acquire))
    }

    /// Reads at the sandbox time, on a read connection off the async workers.
    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection, i64) -> Result<R, ModelError> + Send + 'static,
    ) -> Result<R, ApiError> {
        let readers = self.readers.clone();
        let now = self.now();
        tokio::task::spawn_blocking(move || readers.with(|db| f(db, now)))
            .await
            .map_err(|_| ApiError::internal("a read of the database failed"))?
            .map_err(ApiError::from)
    }

    /// Changes the data at the sandbox time, in one transaction committed before this returns, then
    /// sends the webhooks the change calls for (recorded in the same transaction). On an error the
    /// data is left as it was.
    pub async fn mutate<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection, i64) -> Changed<R> + Send + 'static,
    ) -> Result<R, ApiError> {
        let (tx, rx) = oneshot::channel::<Result<(R, Vec<Delivery>), ApiError>>();
        let job = Box::new(move |db: &Connection| {
            let changed = model::clock_offset(db).and_then(|offset| {
                let (out, notices) = f(db, system_now().saturating_add(offset))?;
                let deliveries = crate::webhook::record(db, notices, system_now())?;
                Ok((out, deliveries))
            });
            match changed {
                Ok(done) => Outcome {
                    keep: true,
                    then: Box::new(move |committed: Result<(), String>| {
                        let _ = tx.send(committed.map(|()| done).map_err(ApiError::internal));
                    }),
                },
                Err(e) => Outcome {
                    keep: false,
                    then: Box::new(move |_| {
                        let _ = tx.send(Err(e.into()));
                    }),
                },
            }
        });
        if !self.writer.submit(job) {
            return Err(unavailable());
        }
        let (out, deliveries) = rx.await.map_err(|_| unavailable())??;
        self.webhooks.dispatch(deliveries);
        Ok(out)
    }

    /// Moves the sandbox clock forward and runs what is then due; returns the new sandbox time.
    pub async fn advance(&self, seconds: i64) -> Result<i64, ApiError> {
        let (offset, now) = self
            .mutate(move |db, now| {
                let offset = model::advance(db, seconds)?;
                let now = now.saturating_add(seconds);
                Ok(((offset, now), model::tick(db, now)?))
            })
            .await?;
        self.clock_offset.store(offset, Ordering::Release);
        Ok(now)
    }

    /// Forgets everything (the clock too).
    pub async fn reset(&self) -> Result<i64, ApiError> {
        self.mutate(|db, _| Ok((model::reset(db)?, Vec::new())))
            .await?;
        self.clock_offset.store(0, Ordering::Release);
        self.webhooks.reset();
        Ok(self.now())
    }

    /// Runs what is due on the sandbox clock (schedules, test-charge cancels).
    pub async fn tick(&self) -> Result<(), ApiError> {
        if self.read(model::has_due).await? {
            self.mutate(|db, now| Ok(((), model::tick(db, now)?)))
                .await?;
        }
        Ok(())
    }

    /// Sends the webhooks a previous run recorded but did not deliver.
    pub async fn resume_webhooks(&self) -> Result<usize, ApiError> {
        let pending = self.read(|db, _| crate::webhook::pending(db)).await?;
        let n = pending.len();
        self.webhooks.dispatch(pending);
        Ok(n)
    }
}
