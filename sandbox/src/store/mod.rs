//! The data: one SQLite database, `sandbox.db` in the data directory, in WAL mode.
//!
//! One writer thread ([`writer::Writer`]) owns the only connection that writes: it runs each
//! request's change in its own savepoint, commits a group of them in one transaction (one fsync), and
//! only then lets their answers go. Reads use a small pool of read-only connections ([`Readers`]),
//! which WAL lets run beside the writer. Nothing is ever copied or rewritten whole.
//!
//! `synchronous = FULL`: a commit is on disk (the WAL fsynced) before any answer is sent, so what
//! was answered survives a crash of the process and a power cut alike.

pub mod rows;
pub mod writer;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// The database's file name in the data directory.
pub const DB_FILE: &str = "sandbox.db";
/// The schema's version (`PRAGMA user_version`).
const VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (access_token TEXT PRIMARY KEY, expired_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS payments (
  imp_uid TEXT PRIMARY KEY, merchant_uid TEXT NOT NULL, pay_method TEXT, channel TEXT,
  pg_provider TEXT, pg_tid TEXT, pg_id TEXT, escrow INTEGER, apply_num TEXT, card_code TEXT,
  card_name TEXT, card_quota INTEGER, card_number TEXT, card_type INTEGER, name TEXT,
  amount INTEGER NOT NULL, cancel_amount INTEGER NOT NULL, currency TEXT, buyer_name TEXT,
  buyer_email TEXT, buyer_tel TEXT, buyer_addr TEXT, buyer_postcode TEXT, custom_data TEXT,
  status TEXT NOT NULL, started_at INTEGER, paid_at INTEGER, failed_at INTEGER, cancelled_at INTEGER,
  fail_reason TEXT, cancel_reason TEXT, receipt_url TEXT, cash_receipt_issued INTEGER,
  customer_uid TEXT, customer_uid_usage TEXT, sandbox INTEGER, notice_url TEXT, auto_cancel_at INTEGER);
CREATE INDEX IF NOT EXISTS payments_by_merchant_uid ON payments (merchant_uid, status);
CREATE INDEX IF NOT EXISTS payments_by_customer_uid ON payments (customer_uid);
CREATE INDEX IF NOT EXISTS payments_to_auto_cancel ON payments (auto_cancel_at)
  WHERE auto_cancel_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS cancels (
  cancellation_id TEXT PRIMARY KEY, imp_uid TEXT NOT NULL REFERENCES payments (imp_uid),
  pg_tid TEXT, amount INTEGER NOT NULL, cancelled_at INTEGER, reason TEXT, receipt_url TEXT);
CREATE INDEX IF NOT EXISTS cancels_by_imp_uid ON cancels (imp_uid);
CREATE TABLE IF NOT EXISTS billing_keys (
  customer_uid TEXT PRIMARY KEY, pg_provider TEXT, pg_id TEXT, card_name TEXT, card_code TEXT,
  card_number TEXT, card_type INTEGER, customer_name TEXT, customer_tel TEXT, customer_email TEXT,
  customer_addr TEXT, customer_postcode TEXT, inserted INTEGER, updated INTEGER);
CREATE TABLE IF NOT EXISTS schedules (
  merchant_uid TEXT PRIMARY KEY, customer_uid TEXT NOT NULL, imp_uid TEXT, schedule_at INTEGER NOT NULL,
  executed_at INTEGER, revoked_at INTEGER, amount INTEGER NOT NULL, currency TEXT, name TEXT,
  buyer_name TEXT, buyer_email TEXT, buyer_tel TEXT, buyer_addr TEXT, buyer_postcode TEXT,
  custom_data TEXT, schedule_status TEXT NOT NULL, payment_status TEXT, fail_reason TEXT,
  notice_url TEXT);
CREATE INDEX IF NOT EXISTS schedules_by_customer_uid ON schedules (customer_uid);
CREATE INDEX IF NOT EXISTS schedules_due ON schedules (schedule_at) WHERE schedule_status = 'scheduled';
CREATE INDEX IF NOT EXISTS schedules_by_imp_uid ON schedules (imp_uid) WHERE imp_uid IS NOT NULL;
CREATE TABLE IF NOT EXISTS pg_settings (
  pg_provider TEXT NOT NULL, pg_id TEXT NOT NULL, sandbox INTEGER NOT NULL, type TEXT NOT NULL,
  channel_key TEXT, channel_name TEXT);
CREATE TABLE IF NOT EXISTS webhooks (
  id INTEGER PRIMARY KEY, imp_uid TEXT NOT NULL, merchant_uid TEXT NOT NULL, status TEXT NOT NULL,
  notice_url TEXT, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  delivered_at INTEGER, given_up_at INTEGER);
CREATE INDEX IF NOT EXISTS webhooks_by_imp_uid ON webhooks (imp_uid);
CREATE INDEX IF NOT EXISTS webhooks_pending ON webhooks (id)
  WHERE delivered_at IS NULL AND given_up_at IS NULL;
";

/// Creates the tables and indexes that are missing.
pub fn schema(db: &Connection) -> rusqlite::Result<()> {
    db.execute_batch(SCHEMA)?;
    db.pragma_update(None, "user_version", VERSION)
}

fn tune(db: &Connection) -> rusqlite::Result<()> {
    db.busy_timeout(Duration::from_secs(10))?;
    db.pragma_update(None, "synchronous", "FULL")?;
    db.pragma_update(None, "foreign_keys", "ON")?;
    db.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Opens (creating) the database in `dir` for writing: WAL and the schema. Returns the connection
/// and the database's path. (An old `state.json` beside it is imported a layer up, by
/// [`crate::legacy::open`], which knows the model's types.)
pub fn open(dir: &Path) -> Result<(Connection, PathBuf), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(DB_FILE);
    let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
    let db = Connection::open(&path).map_err(fail)?;
    let mode: String = db
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(fail)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!("{}: WAL mode refused ({mode})", path.display()));
    }
    tune(&db).map_err(fail)?;
    let version: i64 = db
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(fail)?;
    if version > VERSION {
        return Err(format!(
            "{}: made by a newer iamport-sandbox (schema {version}); move it away to start afresh",
            path.display()
        ));
    }
    schema(&db).map_err(fail)?;
    Ok((db, path))
}

/// Read connections kept open for reuse (more may be open at once; those are closed after use).
const MAX_IDLE_READERS: usize = 32;

/// Read-only connections to the database, reused.
#[derive(Debug)]
pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    /// Readers of the database at `path` (opened when first needed).
    pub fn new(path: PathBuf) -> Self {
        Readers {
            path,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on a read connection (blocking: call it off the async workers).
    pub fn with<R, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<R, E>,
    ) -> Result<R, E> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let db = match idle {
            Some(db) => db,
            None => {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let db = Connection::open_with_flags(&self.path, flags)?;
                db.busy_timeout(Duration::from_secs(10))?;
                db.set_prepared_statement_cache_capacity(64);
                db
            }
        };
        let out = f(&db);
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE_READERS {
            idle.push(db);
        }
        out
    }
}
