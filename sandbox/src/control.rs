//! The sandbox's own endpoints, under `/__sandbox/` (outside iamport's paths): the browser sandbox
//! window registers what it issues, and tests and the demo page move the clock, pick the next card
//! outcome, change how webhooks are sent and reset.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::api::{ok, opt_int, opt_str, req_int, req_str, ApiError, Input};
use crate::model::window::{self, WindowPay};
use crate::model::{page, pg_settings, set_next_outcome, ModelError, Outcome};
use crate::state::AppState;
use crate::webhook::MAX_COPIES;

/// The longest single clock step (ten years): keeps sandbox time far from overflow.
pub const MAX_ADVANCE: i64 = 10 * 366 * 24 * 3600;

/// The `/__sandbox/` routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/__sandbox/window/pay", post(window_pay))
        .route("/__sandbox/clock", get(clock))
        .route("/__sandbox/clock/advance", post(advance))
        .route("/__sandbox/next-outcome", post(next_outcome))
        .route(
            "/__sandbox/webhooks",
            get(webhook_mode).post(set_webhook_mode),
        )
        .route(
            "/__sandbox/pg-settings",
            get(pg_settings_now).post(set_pg_settings),
        )
        .route("/__sandbox/page-size", get(page_size).post(set_page_size))
        .route("/__sandbox/reset", post(reset))
}

impl<S: Send + Sync> FromRequest<S> for WindowPay {
    type Rejection = ApiError;

    /// The `IMP.request_pay` param plus `outcome` and `fail_reason`, JSON or form.
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Input(map) = Input::from_request(req, state).await?;
        let outcome = req_str(&map, "outcome")?;
        let fail_reason = opt_str(&map, "fail_reason")?;
        Ok(WindowPay::from_map(&map, &outcome, fail_reason)?)
    }
}

/// Answers the callback object (not an envelope); malformed requests get an envelope.
async fn window_pay(State(s): State<AppState>, req: WindowPay) -> Result<Response, ApiError> {
    let callback = s
        .mutate(move |db, now| window::window_pay(db, &req, now))
        .await?;
    Ok(Json(callback).into_response())
}

async fn clock(State(s): State<AppState>) -> Response {
    ok(json!({ "now": s.now() }))
}

async fn advance(State(s): State<AppState>, Input(map): Input) -> Result<Response, ApiError> {
    let seconds = req_int(&map, "seconds")?;
    if !(0..=MAX_ADVANCE).contains(&seconds) {
        return Err(ApiError::bad_request(format!(
            "seconds must be 0 to {MAX_ADVANCE}"
        )));
    }
    let now = s.advance(seconds).await?;
    Ok(ok(json!({ "now": now })))
}

async fn next_outcome(State(s): State<AppState>, Input(map): Input) -> Result<Response, ApiError> {
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
    s.mutate(move |db, _| Ok((set_next_outcome(db, &outcome)?, Vec::new())))
        .await?;
    Ok(ok(shown))
}

async fn webhook_mode(State(s): State<AppState>) -> Response {
    ok(s.webhooks.mode())
}

/// `{copies?: 1..5, out_of_order?: bool}`: what is not given keeps its value.
async fn set_webhook_mode(
    State(s): State<AppState>,
    Input(map): Input,
) -> Result<Response, ApiError> {
    let mut mode = s.webhooks.mode();
    if let Some(copies) = opt_int(&map, "copies")? {
        mode.copies = u32::try_from(copies)
            .ok()
            .filter(|c| (1..=MAX_COPIES).contains(c))
            .ok_or_else(|| ApiError::bad_request(format!("copies must be 1 to {MAX_COPIES}")))?;
    }
    match map.get("out_of_order") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => mode.out_of_order = *b,
        Some(_) => return Err(ApiError::bad_request("out_of_order must be true or false")),
    }
    s.webhooks.set_mode(mode);
    Ok(ok(mode))
}

async fn reset(State(s): State<AppState>) -> Result<Response, ApiError> {
    let now = s.reset().await?;
    Ok(ok(json!({ "now": now })))
}

async fn pg_settings_now(State(s): State<AppState>) -> Result<Response, ApiError> {
    Ok(ok(s.read(|db, _| pg_settings::settings(db)).await?))
}

/// A JSON array of `{pg_provider, pg_id, sandbox, type, channel_key?, channel_name?}`: what
/// `GET /users/pg` answers from now on (until the next reset).
async fn set_pg_settings(State(s): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("JSON body: {e}")))?;
    let list = pg_settings::from_json(&value)?;
    let shown = list.clone();
    s.mutate(move |db, _| Ok((pg_settings::set_settings(db, &list)?, Vec::new())))
        .await?;
    Ok(ok(shown))
}

async fn page_size(State(s): State<AppState>) -> Result<Response, ApiError> {
    let size = s.read(|db, _| page::page_size(db)).await?;
    Ok(ok(json!({ "size": size })))
}

/// `{size}`: the page size of the REST lists (until the next reset).
async fn set_page_size(State(s): State<AppState>, Input(map): Input) -> Result<Response, ApiError> {
    let size = req_int(&map, "size")?;
    let size = s
        .mutate(move |db, _| Ok((page::set_page_size(db, size)?, Vec::new())))
        .await?;
    Ok(ok(json!({ "size": size })))
}
