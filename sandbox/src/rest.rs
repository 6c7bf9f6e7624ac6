//! iamport's REST API (V1) at its own paths: thin handlers that read the request, call the model
//! through [`Shared`](crate::state::Shared), and answer with the envelope.

use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{Map, Value};

use crate::api::{
    ok, opt_int, opt_str, query_int, query_pairs, query_value, req_int, req_str, ApiError, Input,
};
use crate::model::schedules::ListQuery;
use crate::model::{
    billing_keys, cancels, custom_data_of, delete_customer as delete_key, payments, pg_settings,
    schedules, tokens, Buyer, CancelRequest, ChargeRequest, ModelError,
};
use crate::state::AppState;

/// The REST routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/getToken", post(get_token))
        .route("/users/pg", get(pg_settings_of))
        .route("/payments/cancel", post(cancel))
        .route("/payments/find/{merchant_uid}", get(find_payment))
        .route(
            "/payments/find/{merchant_uid}/{status}",
            get(find_payment_status),
        )
        .route("/payments/{imp_uid}", get(payment))
        .route("/subscribe/customers", get(customers))
        .route(
            "/subscribe/customers/{customer_uid}",
            get(customer)
                .delete(delete_customer)
                .post(not_for_danal_customer),
        )
        .route(
            "/subscribe/customers/{customer_uid}/payments",
            get(customer_payments),
        )
        .route(
            "/subscribe/customers/{customer_uid}/schedules",
            get(customer_schedules),
        )
        .route("/subscribe/payments/onetime", post(not_for_danal))
        .route("/subscribe/payments/again", post(again))
        .route("/subscribe/payments/schedule", post(schedule))
        .route(
            "/subscribe/payments/schedule/{merchant_uid}",
            get(schedule_of).put(update_schedule),
        )
        .route(
            "/subscribe/payments/schedule/{merchant_uid}/retry",
            post(retry),
        )
        .route(
            "/subscribe/payments/schedule/{merchant_uid}/reschedule",
            post(reschedule),
        )
        .route(
            "/subscribe/payments/schedule/customers/{customer_uid}",
            get(customer_schedules),
        )
        .route("/subscribe/payments/unschedule", post(unschedule))
}

/// Proof of a valid access token: `Authorization: Bearer <token>`, the bare token, or the older
/// `X-ImpTokenHeader`.
#[derive(Debug)]
pub struct Authed;

/// The token a request carries, if any.
pub fn token_of(headers: &HeaderMap) -> Option<String> {
    let raw = headers
        .get(header::AUTHORIZATION)
        .or_else(|| headers.get("x-imptokenheader"))
        .and_then(|v| v.to_str().ok())?
        .trim();
    let token = match raw.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ => raw,
    };
    (!token.is_empty()).then(|| token.to_owned())
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = token_of(&parts.headers)
            .ok_or_else(|| ApiError::from(ModelError::unauthorized("Unauthorized")))?;
        state
            .read(move |db, now| tokens::check_token(db, &token, now))
            .await?;
        Ok(Authed)
    }
}

async fn get_token(State(s): State<AppState>, Input(map): Input) -> Result<Response, ApiError> {
    let key = req_str(&map, "imp_key")?;
    let secret = req_str(&map, "imp_secret")?;
    let expected = (s.config.imp_key.clone(), s.config.imp_secret.clone());
    let info = s
        .mutate(move |db, now| {
            let info = tokens::issue_token(db, &key, &secret, (&expected.0, &expected.1), now)?;
            Ok((info, Vec::new()))
        })
        .await?;
    Ok(ok(info))
}

async fn payment(
    _: Authed,
    State(s): State<AppState>,
    Path(imp_uid): Path<String>,
) -> Result<Response, ApiError> {
    let p = s.read(move |db, _| payments::payment(db, &imp_uid)).await?;
    Ok(ok(p.to_api()))
}

async fn find_payment(
    _: Authed,
    State(s): State<AppState>,
    Path(merchant_uid): Path<String>,
) -> Result<Response, ApiError> {
    let p = s
        .read(move |db, _| payments::find_payment(db, &merchant_uid, None))
        .await?;
    Ok(ok(p.to_api()))
}

async fn find_payment_status(
    _: Authed,
    State(s): State<AppState>,
    Path((merchant_uid, status)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    if !matches!(
        status.as_str(),
        "ready" | "paid" | "cancelled" | "failed" | "all"
    ) {
        return Err(ApiError::bad_request(
            "status must be ready, paid, cancelled, failed or all",
        ));
    }
    let p = s
        .read(move |db, _| payments::find_payment(db, &merchant_uid, Some(&status)))
        .await?;
    Ok(ok(p.to_api()))
}

async fn cancel(
    _: Authed,
    State(s): State<AppState>,
    Input(map): Input,
) -> Result<Response, ApiError> {
    let req = CancelRequest {
        imp_uid: opt_str(&map, "imp_uid")?.filter(|v| !v.is_empty()),
        merchant_uid: opt_str(&map, "merchant_uid")?.filter(|v| !v.is_empty()),
        amount: opt_int(&map, "amount")?,
        checksum: opt_int(&map, "checksum")?,
        reason: opt_str(&map, "reason")?,
    };
    let p = s
        .mutate(move |db, now| cancels::cancel(db, &req, now))
        .await?;
    Ok(ok(p.to_api()))
}

async fn customer(
    _: Authed,
    State(s): State<AppState>,
    Path(customer_uid): Path<String>,
) -> Result<Response, ApiError> {
    let c = s
        .read(move |db, _| billing_keys::customer(db, &customer_uid))
        .await?;
    Ok(ok(c.to_api()))
}

async fn delete_customer(
    _: Authed,
    State(s): State<AppState>,
    Path(customer_uid): Path<String>,
) -> Result<Response, ApiError> {
    let c = s
        .mutate(move |db, now| Ok((delete_key(db, &customer_uid, now)?, Vec::new())))
        .await?;
    Ok(ok(c.to_api()))
}

/// What iamport answers for REST issuance / one-time payments on a channel whose PG does not offer them.
fn not_available() -> ApiError {
    ModelError::refused(
        "다날(danal_tpay)은 REST API 빌링키 발급(카드정보 직접 전달)을 지원하지 않습니다. 결제창(IMP.request_pay)으로 발급하세요. \
         (Not available for this PG: Danal issues billing keys through the payment window only.)",
    )
    .into()
}

async fn not_for_danal_customer(_: Authed, Path(_customer_uid): Path<String>) -> ApiError {
    not_available()
}

async fn not_for_danal(_: Authed) -> ApiError {
    not_available()
}

fn charge_request(
    map: &Map<String, Value>,
    customer_uid: String,
) -> Result<ChargeRequest, ApiError> {
    Ok(ChargeRequest {
        customer_uid,
        merchant_uid: req_str(map, "merchant_uid")?,
        amount: req_int(map, "amount")?,
        name: Some(req_str(map, "name")?),
        buyer: Buyer::from_map(map),
        custom_data: custom_data_of(map.get("custom_data")),
        notice_url: opt_str(map, "notice_url")?,
        card_quota: opt_int(map, "card_quota")?.unwrap_or(0),
    })
}

async fn again(
    _: Authed,
    State(s): State<AppState>,
    Input(map): Input,
) -> Result<Response, ApiError> {
    let req = charge_request(&map, req_str(&map, "customer_uid")?)?;
    let p = s
        .mutate(move |db, now| payments::again(db, &req, now))
        .await?;
    Ok(ok(p.to_api()))
}

async fn schedule(
    _: Authed,
    State(s): State<AppState>,
    Input(map): Input,
) -> Result<Response, ApiError> {
    let customer_uid = req_str(&map, "customer_uid")?;
    let Some(Value::Array(items)) = map.get("schedules") else {
        return Err(ApiError::bad_request(
            "schedules(array)은(는) 필수입니다. (schedules must be an array)",
        ));
    };
    let mut reqs = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(entry) = item else {
            return Err(ApiError::bad_request("each schedule must be an object"));
        };
        let at = req_int(entry, "schedule_at")?;
        reqs.push((charge_request(entry, customer_uid.clone())?, at));
    }
    let out = s
        .mutate(move |db, now| Ok((schedules::schedule(db, &reqs, now)?, Vec::new())))
        .await?;
    Ok(ok(out.iter().map(|x| x.to_api()).collect::<Vec<_>>()))
}

async fn unschedule(
    _: Authed,
    State(s): State<AppState>,
    Input(map): Input,
) -> Result<Response, ApiError> {
    let customer_uid = req_str(&map, "customer_uid")?;
    let merchant_uids = match map.get("merchant_uid") {
        None | Some(Value::Null) => None,
        Some(Value::String(m)) => Some(vec![m.clone()]),
        Some(Value::Array(a)) => Some(
            a.iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    ApiError::bad_request("merchant_uid must be a string or an array of strings")
                })?,
        ),
        Some(_) => {
            return Err(ApiError::bad_request(
                "merchant_uid must be a string or an array of strings",
            ))
        }
    };
    let out = s
        .mutate(move |db, now| {
            let revoked = schedules::unschedule(db, &customer_uid, merchant_uids.as_deref(), now)?;
            Ok((revoked, Vec::new()))
        })
        .await?;
    Ok(ok(out.iter().map(|x| x.to_api()).collect::<Vec<_>>()))
}

async fn schedule_of(
    _: Authed,
    State(s): State<AppState>,
    Path(merchant_uid): Path<String>,
) -> Result<Response, ApiError> {
    let sch = s
        .read(move |db, _| schedules::schedule_of(db, &merchant_uid))
        .await?;
    Ok(ok(sch.to_api()))
}

/// `customer_uid[]=a&customer_uid[]=b` (or `customer_uid=a`): HTTP 207 when some were not found.
async fn customers(
    _: Authed,
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let uids: Vec<String> = query_pairs(raw.as_deref())?
        .into_iter()
        .filter(|(k, _)| k == "customer_uid[]" || k == "customer_uid")
        .map(|(_, v)| v)
        .collect();
    let (found, all) = s
        .read(move |db, _| billing_keys::customers(db, &uids))
        .await?;
    let mut res = ok(found.iter().map(|c| c.to_api()).collect::<Vec<_>>());
    if !all {
        *res.status_mut() = StatusCode::MULTI_STATUS;
    }
    Ok(res)
}

/// The `page` query parameter (1 when absent).
fn page_of(pairs: &[(String, String)]) -> Result<i64, ApiError> {
    Ok(query_int(pairs, &["page"])?.unwrap_or(1))
}

async fn customer_payments(
    _: Authed,
    State(s): State<AppState>,
    Path(customer_uid): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let page = page_of(&query_pairs(raw.as_deref())?)?;
    let list = s
        .read(move |db, _| payments::of_customer(db, &customer_uid, page))
        .await?;
    Ok(ok(list.map(|p| p.to_api())))
}

/// `from`, `to`, `schedule-status`, `page` (and the spellings iamport's Java client sends:
/// `schedule_from`, `schedule_to`, `schedule_status`).
async fn customer_schedules(
    _: Authed,
    State(s): State<AppState>,
    Path(customer_uid): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = query_pairs(raw.as_deref())?;
    let required = |names: &[&str]| -> Result<i64, ApiError> {
        query_int(&q, names)?.ok_or_else(|| {
            ApiError::bad_request(format!(
                "{0}은(는) 필수입니다. ({0} is required)",
                names.first().copied().unwrap_or_default()
            ))
        })
    };
    let query = ListQuery {
        customer_uid,
        from: required(&["from", "schedule_from"])?,
        to: required(&["to", "schedule_to"])?,
        status: query_value(&q, &["schedule-status", "schedule_status"])
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
        page: page_of(&q)?,
    };
    let list = s
        .read(move |db, _| schedules::list_of_customer(db, &query))
        .await?;
    Ok(ok(list.map(|x| x.to_api())))
}

/// Any body is ignored: the schedule says what to charge.
async fn retry(
    _: Authed,
    State(s): State<AppState>,
    Path(merchant_uid): Path<String>,
) -> Result<Response, ApiError> {
    let p = s
        .mutate(move |db, now| schedules::retry(db, &merchant_uid, now))
        .await?;
    Ok(ok(p.to_api()))
}

async fn reschedule(
    _: Authed,
    State(s): State<AppState>,
    Path(merchant_uid): Path<String>,
    Input(map): Input,
) -> Result<Response, ApiError> {
    let at = req_int(&map, "schedule_at")?;
    let sch = s
        .mutate(move |db, now| {
            Ok((
                schedules::reschedule(db, &merchant_uid, at, now)?,
                Vec::new(),
            ))
        })
        .await?;
    Ok(ok(sch.to_api()))
}

async fn update_schedule(
    _: Authed,
    State(s): State<AppState>,
    Path(merchant_uid): Path<String>,
    Input(map): Input,
) -> Result<Response, ApiError> {
    let at = req_int(&map, "schedule_at")?;
    let sch = s
        .mutate(move |db, now| Ok((schedules::update(db, &merchant_uid, at, now)?, Vec::new())))
        .await?;
    Ok(ok(sch.to_api()))
}

async fn pg_settings_of(_: Authed, State(s): State<AppState>) -> Result<Response, ApiError> {
    let list = s.read(|db, _| pg_settings::settings(db)).await?;
    Ok(ok(list))
}
