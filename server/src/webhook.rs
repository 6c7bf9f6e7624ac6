//! [`WebhookBody`]: what iamport posts to your webhook URL. V1 webhooks are unsigned, so the body
//! is only a hint of which payment changed: [`Client::verify_webhook`](crate::Client::verify_webhook)
//! fetches that payment and answers with it. The body's `status` is kept for logging and never
//! trusted.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::params::read::not_a;

/// A webhook body: `imp_uid`, `merchant_uid`, `status`, and `cancellation_id` for a cancel.
/// Other keys iamport may add are ignored.
///
/// ```
/// use iamport_billing_server::WebhookBody;
/// let form = WebhookBody::parse("imp_uid=imps_123456789012&merchant_uid=order_1&status=paid").unwrap();
/// let json = WebhookBody::parse(r#"{"imp_uid":"imps_123456789012","merchant_uid":"order_1","status":"paid"}"#).unwrap();
/// assert_eq!(form, json);
/// assert_eq!(WebhookBody::parse("status=paid").unwrap_err().field(), Some("imp_uid"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookBody {
    /// The payment that changed.
    pub imp_uid: String,
    /// Its order id, as the body says.
    pub merchant_uid: Option<String>,
    /// The status the body claims (not trusted).
    pub status: Option<String>,
    /// The cancel's id, for a cancel.
    pub cancellation_id: Option<String>,
}

impl WebhookBody {
    /// A body naming `imp_uid` only.
    pub fn new(imp_uid: impl Into<String>) -> WebhookBody {
        WebhookBody { imp_uid: imp_uid.into(), merchant_uid: None, status: None, cancellation_id: None }
    }

    /// The body as a JSON value (an object).
    pub fn from_json(value: Value) -> Result<WebhookBody, Error> {
        let Value::Object(map) = &value else {
            return Err(not_a("body", "an object", &value));
        };
        // iamport may add keys: read only the known ones, ignore the rest. `null` and `''` are absent.
        let s = |k: &str| match map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone()).filter(|s| !s.is_empty())),
            Some(other) => Err(not_a(k, "a string", other)),
        };
        let imp_uid = s("imp_uid")?.ok_or_else(|| Error::invalid("imp_uid", "imp_uid is required"))?;
        crate::params::read::id("imp_uid", &imp_uid)?;
        let body = WebhookBody { imp_uid, merchant_uid: s("merchant_uid")?, status: s("status")?, cancellation_id: s("cancellation_id")? };
        Ok(body)
    }

    /// The body as text: JSON (an object) or a form (`imp_uid=…&merchant_uid=…&status=…`).
    pub fn parse(text: &str) -> Result<WebhookBody, Error> {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') {
            let value: Value = serde_json::from_str(trimmed)
                .map_err(|e| Error::invalid("body", format!("body is not valid JSON ({e})")))?;
            return WebhookBody::from_json(value);
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(text)
            .map_err(|_| Error::invalid("body", "body must be JSON or form text (imp_uid=…&merchant_uid=…&status=…)"))?;
        let map: Map<String, Value> = pairs.into_iter().map(|(k, v)| (k, Value::from(v))).collect();
        WebhookBody::from_json(Value::Object(map))
    }
}
