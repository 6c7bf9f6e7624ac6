//! iamport's envelope `{code, message, response}`, the error type every handler returns, and request
//! body parsing (JSON or form) into a JSON object ([`Input`]) with typed field readers.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::model::{ErrorKind, ModelError};

/// An error answer: an envelope with `response: null`, under an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The envelope's `code` (never 0).
    pub code: i64,
    /// The envelope's `message`.
    pub message: String,
}

impl ApiError {
    /// HTTP 400, `code` -1.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: -1,
            message: message.into(),
        }
    }
    /// HTTP 500, `code` -1 (only for a database that cannot be written).
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: -1,
            message: message.into(),
        }
    }
}

impl From<ModelError> for ApiError {
    fn from(e: ModelError) -> Self {
        let (status, code) = match e.kind {
            ErrorKind::Unauthorized => (StatusCode::UNAUTHORIZED, -1),
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, 1),
            ErrorKind::Refused => (StatusCode::OK, 1),
            ErrorKind::Conflict => (StatusCode::BAD_REQUEST, 1),
            ErrorKind::Invalid => (StatusCode::BAD_REQUEST, -1),
            ErrorKind::Storage => (StatusCode::INTERNAL_SERVER_ERROR, -1),
        };
        ApiError {
            status,
            code,
            message: e.message,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"code": self.code, "message": self.message, "response": null})),
        )
            .into_response()
    }
}

/// A success envelope: `{code: 0, message: null, response}`.
pub fn ok(response: impl Serialize) -> Response {
    let response = serde_json::to_value(response).unwrap_or(Value::Null);
    Json(json!({"code": 0, "message": null, "response": response})).into_response()
}

/// Replaces any error answer that is not already JSON (axum's own 404/405/413/400 rejections, a
/// caught panic, a static file not found) with an envelope under the same status.
pub async fn envelope_errors(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let message = match status {
        StatusCode::NOT_FOUND => "Not Found: no such path".to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => "Method Not Allowed".to_owned(),
        StatusCode::PAYLOAD_TOO_LARGE => "Payload Too Large: the body is over the limit".to_owned(),
        StatusCode::INTERNAL_SERVER_ERROR => "Internal Server Error".to_owned(),
        s => s.canonical_reason().unwrap_or("Error").to_owned(),
    };
    ApiError {
        status,
        code: -1,
        message,
    }
    .into_response()
}

/// A request body as a JSON object, whichever way it was sent (see [`parse_body`]): the one body
/// extractor of the REST, sandbox and merchant handlers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Input(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|r| ApiError {
                status: r.status(),
                code: -1,
                message: r.body_text(),
            })?;
        parse_body(&headers, &body).map(Input)
    }
}

/// A request body as a JSON object: JSON (any content type but form) or
/// `application/x-www-form-urlencoded` (values are strings; `a[]=x` and `a[0][k]=v` become arrays).
pub fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|e| ApiError::bad_request(format!("form body: {e}")))?;
        return Ok(form_to_map(pairs));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::bad_request("the JSON body must be an object")),
        Err(e) => Err(ApiError::bad_request(format!("JSON body: {e}"))),
    }
}

fn form_to_map(pairs: Vec<(String, String)>) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, value) in pairs {
        let (name, rest) = match key.split_once('[') {
            Some((n, r)) => (n.to_owned(), Some(r)),
            None => (key.clone(), None),
        };
        match rest {
            None => {
                map.insert(name, Value::String(value));
            }
            Some("]") => {
                let entry = map.entry(name).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(a) = entry {
                    a.push(Value::String(value));
                }
            }
            Some(r) => {
                // a[0][k]=v
                let mut parts = r.split("][").map(|p| p.trim_end_matches(']'));
                let idx = parts.next().and_then(|i| i.parse::<usize>().ok());
                let field = parts.next();
                if let (Some(idx), Some(field)) = (idx, field) {
                    if idx > 1000 {
                        continue;
                    }
                    let entry = map.entry(name).or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(a) = entry {
                        while a.len() <= idx {
                            a.push(Value::Object(Map::new()));
                        }
                        if let Some(Value::Object(o)) = a.get_mut(idx) {
                            o.insert(field.to_owned(), Value::String(value));
                        }
                    }
                }
            }
        }
    }
    map
}

/// A required non-empty string field.
pub fn req_str(map: &Map<String, Value>, name: &str) -> Result<String, ApiError> {
    match map.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(ApiError::bad_request(format!(
            "{name}은(는) 필수입니다. ({name} is required)"
        ))),
        Some(_) => Err(ApiError::bad_request(format!("{name} must be a string"))),
    }
}

/// An optional string field (null and absent are None).
pub fn opt_str(map: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::bad_request(format!("{name} must be a string"))),
    }
}

/// An optional whole number (a JSON integer, or a numeric string as forms send).
pub fn opt_int(map: &Map<String, Value>, name: &str) -> Result<Option<i64>, ApiError> {
    let bad = || ApiError::bad_request(format!("{name} must be a whole number"));
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Ok(Some(i)),
            None => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
                _ => Err(bad()),
            },
        },
        Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

/// A request's query string as `(name, value)` pairs, decoded (`customer_uid%5B%5D` is
/// `customer_uid[]`).
pub fn query_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("query string: {e}")))
}

/// The first value of the first of `names` (spellings of one parameter) that the query has.
pub fn query_value<'a>(pairs: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| pairs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str()))
}

/// A whole-number query parameter (under any of `names`), refused when it is not one.
pub fn query_int(pairs: &[(String, String)], names: &[&str]) -> Result<Option<i64>, ApiError> {
    let Some(v) = query_value(pairs, names) else {
        return Ok(None);
    };
    v.trim().parse().map(Some).map_err(|_| {
        ApiError::bad_request(format!(
            "{} must be a whole number: {v:?}",
            names.first().copied().unwrap_or("a parameter")
        ))
    })
}

/// A required whole number.
pub fn req_int(map: &Map<String, Value>, name: &str) -> Result<i64, ApiError> {
    opt_int(map, name)?.ok_or_else(|| {
        ApiError::bad_request(format!("{name}은(는) 필수입니다. ({name} is required)"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_become_objects() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        let m = parse_body(&h, b"customer_uid=c&merchant_uid[]=a&merchant_uid[]=b&schedules[0][amount]=5&schedules[1][name]=x").unwrap();
        assert_eq!(m["customer_uid"], "c");
        assert_eq!(m["merchant_uid"], json!(["a", "b"]));
        assert_eq!(m["schedules"], json!([{"amount": "5"}, {"name": "x"}]));
        assert_eq!(
            opt_int(&m["schedules"][0].as_object().unwrap().clone(), "amount").unwrap(),
            Some(5)
        );
    }

    #[test]
    fn json_bodies_must_be_objects() {
        let h = HeaderMap::new();
        assert!(parse_body(&h, b"").unwrap().is_empty());
        assert_eq!(
            parse_body(&h, b"[1]").unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
        assert!(parse_body(&h, b"{").is_err());
        let m = parse_body(&h, br#"{"amount": 1.0, "x": true, "s": "7"}"#).unwrap();
        assert_eq!(req_int(&m, "amount").unwrap(), 1);
        assert_eq!(req_int(&m, "s").unwrap(), 7);
        assert!(req_int(&m, "x").is_err());
        assert!(req_str(&m, "x").is_err());
        assert!(req_str(&m, "missing").is_err());
    }

    #[test]
    fn query_parameters_by_any_spelling() {
        let q = query_pairs(Some(
            "from=5&schedule_to=9&customer_uid%5B%5D=a&customer_uid[]=b&page=x",
        ))
        .unwrap();
        assert_eq!(query_int(&q, &["from", "schedule_from"]).unwrap(), Some(5));
        assert_eq!(query_int(&q, &["to", "schedule_to"]).unwrap(), Some(9));
        assert_eq!(query_int(&q, &["status"]).unwrap(), None);
        assert!(query_int(&q, &["page"]).is_err());
        let uids: Vec<&str> = q
            .iter()
            .filter(|(k, _)| k == "customer_uid[]")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(uids, ["a", "b"]);
    }
}
