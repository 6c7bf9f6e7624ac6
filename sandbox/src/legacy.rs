//! The data file of earlier versions, `state.json` (the whole state as one JSON document): imported
//! once into an empty database, then renamed `state.json.imported`. One that cannot be read, or that
//! would mix with data already in the database, stops the start with a message that says what to do.
//!
//! It sits above both the [`store`](crate::store) (the tables) and the [`model`](crate::model) (the
//! stored types it reads the old file into), so neither of those depends on the other's upper half.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Deserialize;
use serde_json::Value;

use crate::model::{meta_set, CancelHistory, Customer, Payment, Schedule};
use crate::store::{self, rows};

/// The old file's name.
pub const LEGACY_FILE: &str = "state.json";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct State {
    clock_offset: i64,
    tokens: BTreeMap<String, i64>,
    payments: BTreeMap<String, Value>,
    customers: BTreeMap<String, Value>,
    schedules: BTreeMap<String, Schedule>,
    next_outcome: Option<Value>,
}

fn is_empty(db: &Connection) -> rusqlite::Result<bool> {
    let n: i64 = db.query_row(
        "SELECT (SELECT count(*) FROM payments) + (SELECT count(*) FROM billing_keys)
              + (SELECT count(*) FROM schedules) + (SELECT count(*) FROM tokens)",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 0)
}

/// Opens the database in `dir` ([`store::open`]) and imports an old `state.json` found beside it.
pub fn open(dir: &Path) -> Result<(Connection, PathBuf), String> {
    let (db, path) = store::open(dir)?;
    import(&db, dir)?;
    Ok((db, path))
}

/// Imports `dir/state.json` if there is one (see the module's doc).
pub fn import(db: &Connection, dir: &Path) -> Result<(), String> {
    let file = dir.join(LEGACY_FILE);
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{}: {e}", file.display())),
    };
    let shown = file.display();
    let state: State = serde_json::from_slice(&bytes).map_err(|e| {
        format!("{shown}: not a data file this sandbox can read ({e}); move it away (or delete it) to start with an empty sandbox")
    })?;
    if !is_empty(db).map_err(|e| e.to_string())? {
        return Err(format!(
            "{shown}: an old data file beside a database that already has data; move {shown} away \
             (or delete it) to keep the database, or delete {} to import it",
            dir.join(store::DB_FILE).display()
        ));
    }
    let tx = db.unchecked_transaction().map_err(|e| e.to_string())?;
    write(&tx, state).map_err(|e| format!("{shown}: cannot import: {e}"))?;
    tx.commit().map_err(|e| e.to_string())?;
    let done = dir.join(format!("{LEGACY_FILE}.imported"));
    std::fs::rename(&file, &done)
        .map_err(|e| format!("{shown}: imported, but not renamed: {e}"))?;
    eprintln!(
        "iamport-sandbox: imported {shown} into the database (kept as {})",
        done.display()
    );
    Ok(())
}

fn write(db: &Connection, state: State) -> Result<(), String> {
    let e = |e: crate::model::ModelError| e.message;
    meta_set(db, "clock_offset", Some(&state.clock_offset.to_string())).map_err(e)?;
    if let Some(outcome) = state.next_outcome {
        meta_set(db, "next_outcome", Some(&outcome.to_string())).map_err(e)?;
    }
    for (token, exp) in state.tokens {
        db.execute(
            "INSERT INTO tokens (access_token, expired_at) VALUES (?1, ?2)",
            rusqlite::params![token, exp],
        )
        .map_err(|e| e.to_string())?;
    }
    for (n, (_, mut v)) in state.payments.into_iter().enumerate() {
        // Cancels had no id: give each one.
        if let Some(Value::Array(history)) = v.get_mut("cancel_history") {
            for (i, c) in history.iter_mut().enumerate() {
                if let Value::Object(c) = c {
                    c.entry("cancellation_id")
                        .or_insert_with(|| format!("sbxc_imported_{n}_{i}").into());
                }
            }
        }
        let p: Payment = serde_json::from_value(v).map_err(|e| e.to_string())?;
        rows::put(db, "payments", &p).map_err(|e| e.to_string())?;
        for c in &p.cancel_history {
            put_cancel(db, &p.imp_uid, c)?;
        }
    }
    for (_, mut v) in state.customers {
        // card_type was the string "credit"; iamport's is 0 (credit) or 1 (check card).
        if let Some(t) = v.get_mut("card_type") {
            *t = match t.as_str() {
                Some("check") => 1.into(),
                Some(_) => 0.into(),
                None => t.clone(),
            };
        }
        let c: Customer = serde_json::from_value(v).map_err(|e| e.to_string())?;
        rows::put(db, "billing_keys", &c).map_err(|e| e.to_string())?;
    }
    for (_, s) in state.schedules {
        rows::put(db, "schedules", &s).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn put_cancel(db: &Connection, imp_uid: &str, c: &CancelHistory) -> Result<(), String> {
    db.execute(
        "INSERT INTO cancels (cancellation_id, imp_uid, pg_tid, amount, cancelled_at, reason, receipt_url)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![c.cancellation_id, imp_uid, c.pg_tid, c.amount, c.cancelled_at, c.reason, c.receipt_url],
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "iamport-sandbox-legacy-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    const OLD: &str = r#"{"clock_offset": 600, "seq": 9, "tokens": {"abc": 99999999999},
      "payments": {"imps_1": {"imp_uid": "imps_1", "merchant_uid": "m_1", "pay_method": "card",
        "channel": "pc", "pg_provider": "danal_tpay", "pg_tid": "t", "pg_id": "sandbox_mid",
        "escrow": false, "apply_num": "1", "card_code": "361", "card_name": "신한카드", "card_quota": 0,
        "card_number": "451842******3201", "card_type": 0, "name": "n", "amount": 1000,
        "cancel_amount": 100, "currency": "KRW", "buyer_name": null, "buyer_email": null,
        "buyer_tel": "010", "buyer_addr": null, "buyer_postcode": null, "custom_data": null,
        "status": "paid", "started_at": 1, "paid_at": 1, "failed_at": 0, "cancelled_at": 0,
        "fail_reason": null, "cancel_reason": "r", "receipt_url": "/x",
        "cancel_history": [{"pg_tid": "c", "amount": 100, "cancelled_at": 2, "reason": "r", "receipt_url": "/x"}],
        "cash_receipt_issued": false, "customer_uid": "cu", "customer_uid_usage": "issue",
        "sandbox": true, "notice_url": null, "auto_cancel_at": null}},
      "customers": {"cu": {"customer_uid": "cu", "pg_provider": "danal_tpay", "pg_id": "sandbox_mid",
        "card_name": "신한카드", "card_code": "361", "card_number": "451842******3201",
        "card_type": "credit", "customer_name": null, "customer_tel": "010", "customer_email": null,
        "customer_addr": null, "customer_postcode": null, "inserted": 1, "updated": 1}},
      "schedules": {}, "next_outcome": {"approve": false, "fail_reason": "x"}}"#;

    #[test]
    fn an_old_state_json_is_imported_once() {
        let d = dir("import");
        std::fs::write(d.join(LEGACY_FILE), OLD).unwrap();
        let (db, _) = open(&d).unwrap();
        assert!(!d.join(LEGACY_FILE).exists() && d.join("state.json.imported").exists());
        let p = crate::model::payments::payment(&db, "imps_1").unwrap();
        assert_eq!((p.cancel_amount, p.cancel_history.len()), (100, 1));
        assert!(!p.cancel_history[0].cancellation_id.is_empty());
        let c = crate::model::billing_keys::customer(&db, "cu").unwrap();
        assert_eq!(c.card_type, Some(0));
        assert_eq!(crate::model::clock_offset(&db).unwrap(), 600);
        drop(db);
        // the same file again, now that the database has data: refused, with what to do
        std::fs::write(d.join(LEGACY_FILE), OLD).unwrap();
        let e = open(&d).unwrap_err();
        assert!(e.contains("move") && e.contains("away"), "{e}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_corrupt_state_json_stops_the_start() {
        let d = dir("corrupt");
        std::fs::write(d.join(LEGACY_FILE), b"{not json").unwrap();
        let e = open(&d).unwrap_err();
        assert!(e.contains("move it away"), "{e}");
        assert!(d.join(LEGACY_FILE).exists(), "the file is left as it was");
        let _ = std::fs::remove_dir_all(&d);
    }
}
