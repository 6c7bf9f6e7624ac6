//! The PG settings of the merchant's console (`GET /users/pg`): which PG channels exist, in test or
//! live mode, and of which type. The sandbox is given them (`POST /__sandbox/pg-settings`), so a check
//! of the console's setup can be tested passing and failing; until then, and after a reset, there is
//! one Danal test channel for the payment window ([`default_settings`]).

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{meta_get, meta_set, ModelError, PG_ID, PG_PROVIDER};
use crate::store::rows;

/// The default channel's key (the shape of a V1 console's channel keys).
pub const DEFAULT_CHANNEL_KEY: &str = "channel-key-7c1e5d3a-2b4f-4c8e-9a6d-0d5a4e1b2c3f";
/// The default channel's name.
pub const DEFAULT_CHANNEL_NAME: &str = "다날 신용카드 (테스트)";
/// The types the published description lists: the payment window (인증방식 결제), REST payments
/// with card data (API 방식), identity checks.
pub const TYPES: [&str; 3] = ["payment", "api_payment", "certification"];
/// The published length limits of `pg_provider` and `pg_id`.
const PG_PROVIDER_MAX: usize = 16;
const PG_ID_MAX: usize = 80;
/// The most settings the sandbox takes at once.
const MAX_SETTINGS: usize = 100;
/// The meta key saying the settings were given (the table then holds them, even none).
const GIVEN: &str = "pg_settings";

/// One PG setting (iamport's PgSettingAnnotation); a row of the `pg_settings` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PgSetting {
    /// The PG's code, e.g. `danal_tpay`.
    pub pg_provider: String,
    /// The PG merchant id.
    pub pg_id: String,
    /// Test mode.
    pub sandbox: bool,
    /// `payment`, `api_payment` or `certification` ([`TYPES`]).
    pub r#type: String,
    /// The channel's key (what the window's `channelKey` takes).
    pub channel_key: Option<String>,
    /// The channel's name in the console.
    pub channel_name: Option<String>,
}

/// One Danal credit-card test channel for the payment window.
pub fn default_settings() -> Vec<PgSetting> {
    vec![PgSetting {
        pg_provider: PG_PROVIDER.into(),
        pg_id: PG_ID.into(),
        sandbox: true,
        r#type: "payment".into(),
        channel_key: Some(DEFAULT_CHANNEL_KEY.into()),
        channel_name: Some(DEFAULT_CHANNEL_NAME.into()),
    }]
}

/// The settings now, in the order given.
pub fn settings(db: &Connection) -> Result<Vec<PgSetting>, ModelError> {
    if meta_get(db, GIVEN)?.is_none() {
        return Ok(default_settings());
    }
    Ok(rows::all(
        db,
        "SELECT pg_provider, pg_id, sandbox, type, channel_key, channel_name FROM pg_settings
         ORDER BY rowid",
        [],
    )?)
}

/// Replaces the settings (an empty list: no channel at all).
pub fn set_settings(db: &Connection, list: &[PgSetting]) -> Result<(), ModelError> {
    db.execute("DELETE FROM pg_settings", [])?;
    for s in list {
        rows::put(db, "pg_settings", s)?;
    }
    meta_set(db, GIVEN, Some("given"))
}

/// Reads `POST /__sandbox/pg-settings`'s body: an array of settings, each checked.
pub fn from_json(body: &Value) -> Result<Vec<PgSetting>, ModelError> {
    let Value::Array(items) = body else {
        return Err(ModelError::invalid(
            "the body must be a JSON array of {pg_provider, pg_id, sandbox, type, channel_key?, channel_name?}",
        ));
    };
    if items.len() > MAX_SETTINGS {
        return Err(ModelError::invalid(format!(
            "at most {MAX_SETTINGS} settings"
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Object(m) => one(m).map_err(|e| ModelError::invalid(format!("[{i}]: {e}"))),
            _ => Err(ModelError::invalid(format!("[{i}]: not an object"))),
        })
        .collect()
}

fn one(m: &Map<String, Value>) -> Result<PgSetting, String> {
    const FIELDS: [&str; 6] = [
        "pg_provider",
        "pg_id",
        "sandbox",
        "type",
        "channel_key",
        "channel_name",
    ];
    if let Some(k) = m.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown field `{k}` (the fields: {})",
            FIELDS.join(", ")
        ));
    }
    let text = |k: &str, max: usize| match m.get(k) {
        Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= max => Ok(s.clone()),
        _ => Err(format!("{k} must be a string of 1 to {max} characters")),
    };
    let optional = |k: &str| match m.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{k} must be a string or null")),
    };
    let Some(Value::Bool(sandbox)) = m.get("sandbox") else {
        return Err("sandbox must be true or false".into());
    };
    let kind = match m.get("type") {
        Some(Value::String(t)) if TYPES.contains(&t.as_str()) => t.clone(),
        _ => return Err(format!("type must be one of {}", TYPES.join(", "))),
    };
    Ok(PgSetting {
        pg_provider: text("pg_provider", PG_PROVIDER_MAX)?,
        pg_id: text("pg_id", PG_ID_MAX)?,
        sandbox: *sandbox,
        r#type: kind,
        channel_key: optional("channel_key")?,
        channel_name: optional("channel_name")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::db;
    use serde_json::json;

    #[test]
    fn settings_are_the_default_until_given_and_can_be_none() {
        let db = db();
        assert_eq!(settings(&db).unwrap(), default_settings());
        assert!(DEFAULT_CHANNEL_KEY.len() <= 55);
        let live = from_json(&json!([
            {"pg_provider": "danal_tpay", "pg_id": "A010002002", "sandbox": false, "type": "payment",
             "channel_key": "channel-key-1", "channel_name": "live"},
            {"pg_provider": "html5_inicis", "pg_id": "INIpayTest", "sandbox": true, "type": "api_payment"}
        ]))
        .unwrap();
        set_settings(&db, &live).unwrap();
        assert_eq!(settings(&db).unwrap(), live);
        set_settings(&db, &[]).unwrap();
        assert!(settings(&db).unwrap().is_empty(), "none is not the default");
        crate::model::reset(&db).unwrap();
        assert_eq!(settings(&db).unwrap(), default_settings());
    }

    #[test]
    fn bad_settings_are_refused_with_where() {
        let bad = [
            json!({"pg_provider": "danal_tpay"}),
            json!([{"pg_provider": "danal_tpay", "pg_id": "x", "sandbox": "yes", "type": "payment"}]),
            json!([{"pg_provider": "danal_tpay", "pg_id": "x", "sandbox": true, "type": "window"}]),
            json!([{"pg_provider": "", "pg_id": "x", "sandbox": true, "type": "payment"}]),
            json!([{"pg_provider": "danal_tpay", "pg_id": "x", "sandbox": true, "type": "payment", "channelKey": "k"}]),
            json!([7]),
        ];
        for b in bad {
            let e = from_json(&b).unwrap_err();
            assert_eq!(e.kind, crate::model::ErrorKind::Invalid, "{b}");
        }
    }
}
