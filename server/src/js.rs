//! The JavaScript layer of the npm entry `iamport-billing/server` (wasm32 only; built by
//! `scripts/build-server-pkg.sh`, wrapped by `js/server/api.js`).
//!
//! JSON text in, JSON text out: the wrapper hands each method's params over as JSON text, this layer
//! reads them with the params' own `from_json` (so every rule, message and field path is the crate's),
//! runs the call and answers the result serialized as iamport's JSON. A failure rejects with the
//! [`Error`]'s own JSON (`{ code, message, field?, … }`), which the wrapper turns into an
//! `IamportError`. Neither way carries the secret or a token: the client keeps them in wasm memory.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::config::MAX_TIMEOUT;
use crate::lists::{PageCursor, ScheduleCursor};
use crate::params::lifecycle::customer_uids_from_json;
use crate::params::read::{self, not_a};
use iamport_billing::fields::Request;
use iamport_billing::Unsupported;
use crate::{
    CancelParams, ChargeParams, Client, ClientConfig, ConfirmParams, Error, ErrorCode, ListSchedulesParams, RescheduleParams,
    ScheduleParams, UnscheduleParams, WebhookBody,
};

/// The config keys `createIamportClient` takes, in the order the messages list them.
const CONFIG_KEYS: [&str; 4] = ["impKey", "impSecret", "baseUrl", "timeoutMs"];

/// A client behind the wrapper's `IamportClient` (which the wrapper's users never see). Its `Debug`
/// is the client's: never the secret or a token.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmClient {
    client: Client,
}

#[wasm_bindgen]
impl WasmClient {
    /// Reads `{ impKey, impSecret, baseUrl?, timeoutMs? }` (JSON text); throws an error's JSON text.
    #[wasm_bindgen(constructor)]
    pub fn new(config: &str) -> Result<WasmClient, String> {
        let config = client_config(config).map_err(|e| error_json(&e))?;
        let client = Client::new(config).map_err(|e| error_json(&config_names(e)))?;
        Ok(WasmClient { client })
    }

    /// Runs `method` with its params (JSON text): a Promise of the result's JSON text that rejects
    /// with an error's JSON text.
    pub fn call(&self, method: String, params: String) -> js_sys::Promise {
        let client = self.client.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            match dispatch(&client, &method, &params).await {
                Ok(json) => Ok(JsValue::from_str(&json)),
                Err(e) => Err(JsValue::from_str(&error_json(&js_names(e)))),
            }
        })
    }
}

/// The client's methods as a JavaScript caller knows them, for messages that name one.
const METHOD_NAMES: [(&str, &str); 6] = [
    ("find_payment", "findPayment"),
    ("get_payment", "getPayment"),
    ("get_schedule", "getSchedule"),
    ("charge_billing_key", "chargeBillingKey"),
    ("retry_schedule", "retrySchedule"),
    ("iamport_now", "iamportNow"),
];

/// The error with the Rust method names in its message replaced by the JavaScript ones.
fn js_names(e: Error) -> Error {
    if !METHOD_NAMES.iter().any(|(rust, _)| e.message().contains(rust)) {
        return e;
    }
    e.map_message(|m| METHOD_NAMES.iter().fold(m.to_owned(), |m, (rust, js)| m.replace(rust, js)))
}

fn error_json(e: &Error) -> String {
    // Plain data (strings, numbers, JSON values): writing it cannot fail; still a coded error if it did.
    serde_json::to_string(e)
        .unwrap_or_else(|_| r#"{"code":"INVALID_PARAM","message":"the error could not be written as JSON"}"#.to_owned())
}

async fn dispatch(client: &Client, method: &str, params: &str) -> Result<String, Error> {
    let value: Value = serde_json::from_str(params)
        .map_err(|_| Error::invalid("params", "params must be JSON"))?;
    match method {
        "confirm_billing_key" => answer(&client.confirm_billing_key(ConfirmParams::from_json(value)?).await?),
        "charge_billing_key" => answer(&client.charge_billing_key(ChargeParams::from_json(value)?).await?),
        "schedule_charges" => answer(&client.schedule_charges(ScheduleParams::from_json(value)?).await?),
        "unschedule_charges" => answer(&client.unschedule_charges(UnscheduleParams::from_json(value)?).await?),
        "cancel_payment" => answer(&client.cancel_payment(CancelParams::from_json(value)?).await?),
        "get_schedule" => answer(&client.get_schedule(&id("merchant_uid", value)?).await?),
        "get_billing_key" => answer(&client.get_billing_key(&id("customer_uid", value)?).await?),
        "delete_billing_key" => answer(&client.delete_billing_key(&id("customer_uid", value)?).await?),
        "get_payment" => answer(&client.get_payment(&id("imp_uid", value)?).await?),
        "find_payment" => answer(&client.find_payment(&id("merchant_uid", value)?).await?),
        "retry_schedule" => answer(&client.retry_schedule(&id("merchant_uid", value)?).await?),
        "reschedule" => answer(&client.reschedule(RescheduleParams::from_json(value)?).await?),
        "update_schedule" => answer(&client.update_schedule(RescheduleParams::from_json(value)?).await?),
        "get_billing_keys" => answer(&client.get_billing_keys(&customer_uids_from_json(value)?).await?),
        "check_setup" => {
            let r = read::read(Request::CheckSetup, &value)?;
            let live = matches!(r.get("live"), Some(iamport_billing::Value::Bool(true)));
            answer(&client.check_setup(live).await?)
        }
        "list_schedules" => {
            let (params, cursor) = page_request(value)?;
            let params = ListSchedulesParams::from_json(params)?;
            let at = cursor_or(cursor, ScheduleCursor { to: params.to, page: 1 })?;
            let (list, next) = client.schedules_page(&params, at).await?;
            answer(&serde_json::json!({ "list": list, "cursor": next }))
        }
        "list_payments" => {
            let (params, cursor) = page_request(value)?;
            let r = read::read(Request::ListPayments, &params)?;
            let customer_uid = r.str("customer_uid").unwrap_or_default();
            let at = cursor_or(cursor, PageCursor { page: 1 })?;
            let (list, next) = client.payments_page(customer_uid, at).await?;
            answer(&serde_json::json!({ "list": list, "cursor": next }))
        }
        "verify_webhook" => {
            let body = match value {
                Value::String(text) => WebhookBody::parse(&text)?,
                Value::Object(_) if read::marker(&value).is_none() => WebhookBody::from_json(value)?,
                other if read::marker(&other) == Some(Unsupported::Undefined) => return Err(Error::invalid("body", NO_BODY)),
                other => return Err(not_a("body", "an object, JSON text or form text", &other)),
            };
            answer(&client.verify_webhook(body).await?)
        }
        other => Err(Error::invalid("method", format!("no method {other}"))),
    }
}

/// `verifyWebhook(undefined)`: the route read no body.
const NO_BODY: &str = "the webhook body is undefined: no body parser ran on this route. In Express add express.json() and \
    express.urlencoded() (iamport posts JSON or form text) before the handler; in a route handler pass await request.text()";

fn answer<T: Serialize>(result: &T) -> Result<String, Error> {
    serde_json::to_string(result)
        .map_err(|_| Error::other(ErrorCode::Network, "the answer could not be written as JSON"))
}

/// A list's page request from the wrapper: `{ params, cursor }`, the cursor `null` for the first
/// page and then the one the previous page answered.
fn page_request(value: Value) -> Result<(Value, Value), Error> {
    match value {
        Value::Object(mut map) => {
            let params = map.remove("params").unwrap_or(Value::Null);
            Ok((params, map.remove("cursor").unwrap_or(Value::Null)))
        }
        other => Err(not_a("params", "an object", &other)),
    }
}

/// The wrapper's cursor (one this layer answered before), or `first` when there is none.
fn cursor_or<C: serde::de::DeserializeOwned>(cursor: Value, first: C) -> Result<C, Error> {
    if cursor.is_null() {
        return Ok(first);
    }
    serde_json::from_value(cursor).map_err(|_| Error::invalid("cursor", "cursor is not one a previous page answered"))
}

/// The one string a lookup takes (`getPayment(imp_uid)`): the wrapper has checked it is a string.
fn id(name: &str, value: Value) -> Result<String, Error> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(not_a(name, "a string", &other)),
    }
}

/// `{ impKey, impSecret, baseUrl?, timeoutMs? }`: unknown keys with a "did you mean" (`imp_key`
/// too: the Rust name), types, limits. `null` counts as absent, as in params.
fn client_config(json: &str) -> Result<ClientConfig, Error> {
    let value: Value = serde_json::from_str(json).map_err(|_| Error::invalid("config", "the config must be JSON"))?;
    let (Value::Object(map), None) = (&value, read::marker(&value)) else {
        return Err(not_a("config", "a plain object { impKey, impSecret, baseUrl?, timeoutMs? }", &value));
    };
    if let Some(key) = map.keys().find(|k| !CONFIG_KEYS.contains(&k.as_str())) {
        let message = match nearest(key) {
            Some(near) => format!("{key} is not a known config key; did you mean {near}?"),
            None => format!("{key} is not a known config key (known: {})", CONFIG_KEYS.join(", ")),
        };
        return Err(Error::invalid(key, message));
    }
    let get = |key: &str| map.get(key).filter(|v| !v.is_null());
    // The value itself never goes into a message: it may be the secret.
    let required = |key: &str, what: &str| match get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) | None => Err(Error::invalid(key, format!("{key} is required: {what} from iamport's admin console"))),
        Some(other) => Err(not_a(key, "a string", other)),
    };
    let imp_key = required("impKey", "your REST API key (imp_key)")?;
    let imp_secret = required("impSecret", "your REST API secret (imp_secret)")?;
    let mut config = ClientConfig::new(imp_key, imp_secret);
    match get("baseUrl") {
        None => {}
        Some(Value::String(url)) => config = config.base_url(url.clone()),
        Some(other) => return Err(not_a("baseUrl", "a string", other)),
    }
    match get("timeoutMs") {
        None => {}
        Some(Value::Number(n)) => match n.as_f64() {
            Some(ms) if ms.fract() == 0.0 && (1.0..=MAX_TIMEOUT.as_millis() as f64).contains(&ms) => {
                config = config.timeout(Duration::from_millis(ms as u64))
            }
            _ => {
                let max = MAX_TIMEOUT.as_millis();
                let message = format!("timeoutMs must be a whole number of milliseconds from 1 to {max} (got {n})");
                return Err(Error::invalid("timeoutMs", message));
            }
        },
        Some(other) => return Err(not_a("timeoutMs", "a number of milliseconds", other)),
    }
    Ok(config)
}

/// The crate's config check names the Rust fields; a JavaScript caller wrote the camelCase ones.
fn config_names(e: Error) -> Error {
    const NAMES: [(&str, &str); 4] =
        [("imp_key", "impKey"), ("imp_secret", "impSecret"), ("base_url", "baseUrl"), ("timeout", "timeoutMs")];
    match NAMES.iter().find(|(rust, _)| e.field() == Some(rust)) {
        Some((rust, js)) => Error::invalid(js, e.message().replacen(rust, js, 1)),
        None => e,
    }
}

/// The config key `key` was probably meant to be: the package's one "did you mean".
fn nearest(key: &str) -> Option<&'static str> {
    iamport_billing::rules::did_you_mean(key, &CONFIG_KEYS)
}
