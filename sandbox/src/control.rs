//! The sandbox's own endpoints, under `/__sandbox/` (outside iamport's paths): the browser sandbox
//! window registers what it issues, and tests and the demo page move the clock, pick the next card
//! outcome and reset.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::api::{ok, opt_str, parse_body, req_int, req_str, ApiError};
use crate::model::{ModelError, Outcome};
use crate::server::AppState;

/// The longest single clock step (ten years): keeps sandbox time far from overflow.
pub const MAX_ADVANCE: i64 = 10 * 366 * 24 * 3600;

/// The `/__sandbox/` routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/__sandbox/window/pay", post(window_pay))
        .route("/__sandbox/clock", get(clock))
        .route("/__sandbox/clock/advance", post(advance))
        .route("/__sandbox/next-outcome", post(next_outcome))
        .route("/__sandbox/reset", post(reset))
}

/// Body: the object `IMP.request_pay` received plus `outcome` (`approve` | `decline` | `cancel`) and
/// `fail_reason`. Answers the callback object (not an envelope); malformed requests get an envelope.
async fn window_pay(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let map = parse_body(&headers, &body)?;
    let outcome = req_str(&map, "outcome")?;
    let fail_reason = opt_str(&map, "fail_reason")?;
    let callback = s.mutate(|st, now| st.window_pay(&map, &outcome, fail_reason, now))?;
    Ok(Json(callback).into_response())
}

async fn clock(State(s): State<AppState>) -> Response {
    s.read(|_, now| ok(json!({ "now": now })))
}

async fn advance(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let map = parse_body(&headers, &body)?;
    let seconds = req_int(&map, "seconds")?;
    if !(0..=MAX_ADVANCE).contains(&seconds) {
        return Err(ApiError::bad_request(format!(
            "seconds must be 0 to {MAX_ADVANCE}"
        )));
    }
    let now = s.mutate(|st, now| {
        st.advance(seconds);
        let now = now.saturating_add(seconds);
        let notices = st.tick(now);
        Ok((now, notices))
    })?;
    Ok(ok(json!({ "now": now })))
}

async fn next_outcome(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let map = parse_body(&headers, &body)?;
    let approve = match req_str(&map, "outcome")?.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(ModelError::invalid("outcome must be \"approve\" or \"decline\"").into()),
    };
    let outcome = Outcome {
        approve,
        fail_reason: opt_str(&map, "fail_reason")?,
    };
    let shown = json!({ "outcome": if approve { "approve" } else { "decline" }, "fail_reason": outcome.fail_reason });
    s.mutate(|st, _| {
        st.next_outcome = Some(outcome);
        Ok(((), Vec::new()))
    })?;
    Ok(ok(shown))
}

async fn reset(State(s): State<AppState>) -> Result<Response, ApiError> {
    s.mutate(|st, _| {
        st.reset();
        Ok(((), Vec::new()))
    })?;
    Ok(ok(s.read(|_, now| json!({ "now": now }))))
}
