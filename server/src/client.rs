//! [`Client`]: the calls. Each method checks its params, then makes the fewest requests that
//! answer it; the rules live in `params`, `confirm` and `token`, the wire in `transport`.

use core::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use futures_util::Stream;
use serde_json::{json, Value};

use crate::clock::Clock;
use crate::config::ClientConfig;
use crate::confirm::check_confirm;
use crate::error::{Error, ErrorCode};
use crate::lists::{paged, Page, PageCursor, ScheduleCursor, Window};
use crate::params::lifecycle::check_customer_uids;
use crate::params::{
    rules, segment, CancelParams, ChargeParams, ConfirmParams, ListSchedulesParams, RescheduleParams, ScheduleParams, UnscheduleParams,
};
use crate::token::{Token, TokenCache};
use crate::transport::{Answer, Method, Transport};
use crate::types::{BillingKey, ChargeResult, Payment, PaymentStatus, PgSetting, Schedule, SetupReport};
use crate::webhook::WebhookBody;

/// A client of iamport's REST API (V1) for the billing flow. Cheap to clone: clones share one
/// connection pool and one token.
///
/// ```no_run
/// use iamport_billing_server::{ChargeParams, ChargeResult, Client, ClientConfig};
/// # async fn run() -> Result<(), iamport_billing_server::Error> {
/// let iamport = Client::new(ClientConfig::new(std::env::var("IMP_KEY").unwrap_or_default(), std::env::var("IMP_SECRET").unwrap_or_default()))?;
/// match iamport.charge_billing_key(ChargeParams::new("user_1_card", "order_2026_12", 9900, "월 구독")).await? {
///     ChargeResult::Paid { payment } => println!("paid: {}", payment.imp_uid),
///     ChargeResult::Failed { fail_reason, .. } => println!("declined: {fail_reason}"),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    imp_key: String,
    imp_secret: String,
    base_url: String,
    transport: Transport,
    tokens: TokenCache,
    clock: Clock,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("imp_key", &self.inner.imp_key)
            .field("imp_secret", &"***")
            .field("base_url", &self.inner.base_url)
            .finish_non_exhaustive()
    }
}

/// Whether an error means the answer was lost (the request may or may not have taken effect).
fn lost(e: &Error) -> bool {
    matches!(e.code(), ErrorCode::Network | ErrorCode::Timeout)
}

impl Client {
    /// A client; `INVALID_PARAM` when the config is incomplete (`imp_key`, `imp_secret`,
    /// `base_url`, `timeout`). Nothing is sent until the first call.
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let base_url = config.check()?;
        let transport = Transport::new(base_url.clone(), config.timeout)?;
        Ok(Client {
            inner: Arc::new(Inner {
                imp_key: config.imp_key,
                imp_secret: config.imp_secret,
                base_url,
                transport,
                tokens: TokenCache::default(),
                clock: Clock::default(),
            }),
        })
    }

    // --- token and the wire ---

    fn scrub(&self, e: Error, token: Option<&str>) -> Error {
        e.scrubbed(&[&self.inner.imp_secret, token.unwrap_or("")])
    }

    async fn fetch_token(&self) -> Result<Token, Error> {
        let what = "POST /users/getToken";
        let body = json!({ "imp_key": self.inner.imp_key, "imp_secret": self.inner.imp_secret });
        let answer = self.inner.transport.send(Method::Post, "/users/getToken", None, Some(&body), what).await;
        let answer = answer.map_err(|e| self.scrub(e, None))?;
        let received = self.inner.clock.now();
        let env = answer.envelope;
        if answer.status >= 500 {
            return Err(self.scrub(Error::api(what, env.code, env.message), None));
        }
        if answer.status == 401 || env.code != 0 {
            let why = env.message.unwrap_or_default();
            return Err(self.scrub(
                Error::other(ErrorCode::Unauthorized, format!("{what}: iamport refused the imp_key / imp_secret ({why})")),
                None,
            ));
        }
        let r = &env.response;
        let (Some(access_token), Some(now), Some(expired_at)) = (
            r.get("access_token").and_then(Value::as_str),
            r.get("now").and_then(Value::as_i64),
            r.get("expired_at").and_then(Value::as_i64),
        ) else {
            return Err(Error::other(ErrorCode::Network, format!("{what}: the answer has no access_token, now and expired_at")));
        };
        Ok(Token::new(access_token.to_owned(), now, expired_at, received))
    }

    async fn token(&self) -> Result<Token, Error> {
        self.inner.tokens.get(|| self.inner.clock.now(), || self.fetch_token()).await
    }

    /// One authorized request: a new token and one retry after a 401; for a GET, one retry after
    /// a network error too (repeating a read does no harm). Answers iamport's `response`.
    async fn call(&self, method: Method, path: &str, body: Option<&Value>, what: &str) -> Result<Value, Error> {
        let mut refused = false;
        let mut resent = false;
        loop {
            let token = self.token().await?;
            let sent = self.inner.transport.send(method, path, Some(&token.access_token), body, what).await;
            let answer: Answer = match sent {
                Ok(a) => a,
                Err(e) if method == Method::Get && e.code() == ErrorCode::Network && !resent => {
                    resent = true;
                    continue;
                }
                Err(e) => return Err(self.scrub(e, Some(&token.access_token))),
            };
            if answer.status == 401 {
                self.inner.tokens.forget(&token.access_token).await;
                if !refused {
                    refused = true;
                    continue;
                }
                return Err(Error::other(ErrorCode::Unauthorized, format!("{what}: iamport refused a new access token too (HTTP 401)")));
            }
            let env = answer.envelope;
            let result = if answer.status == 404 {
                Err(Error::not_found(what, env.message))
            } else if env.code != 0 {
                Err(Error::api(what, env.code, env.message))
            } else {
                Ok(env.response)
            };
            return result.map_err(|e| self.scrub(e, Some(&token.access_token)));
        }
    }

    async fn call_as<T: DeserializeOwned>(&self, method: Method, path: &str, body: Option<&Value>, what: &str) -> Result<T, Error> {
        let value = self.call(method, path, body, what).await?;
        serde_json::from_value(value).map_err(|e| {
            Error::other(ErrorCode::Network, format!("{what}: the answer is not what iamport's API describes ({e})"))
        })
    }

    // --- reading ---

    /// `GET /payments/{imp_uid}?include_sandbox=true`: a payment; `NOT_FOUND` when iamport has
    /// none.
    pub async fn get_payment(&self, imp_uid: &str) -> Result<Payment, Error> {
        rules::imp_uid("imp_uid", imp_uid)?;
        let path = format!("/payments/{}?include_sandbox=true", segment(imp_uid));
        self.call_as(Method::Get, &path, None, "GET /payments/{imp_uid}").await
    }

    /// `GET /payments/find/{merchant_uid}`: the newest payment of an order; `NOT_FOUND` when
    /// there is none.
    pub async fn find_payment(&self, merchant_uid: &str) -> Result<Payment, Error> {
        rules::merchant_uid("merchant_uid", merchant_uid)?;
        let path = format!("/payments/find/{}", segment(merchant_uid));
        self.call_as(Method::Get, &path, None, "GET /payments/find/{merchant_uid}").await
    }

    /// `GET /subscribe/customers/{customer_uid}`: the card behind a billing key; `NOT_FOUND`
    /// when there is no key under it.
    pub async fn get_billing_key(&self, customer_uid: &str) -> Result<BillingKey, Error> {
        rules::customer_uid("customer_uid", customer_uid)?;
        let path = format!("/subscribe/customers/{}", segment(customer_uid));
        self.call_as(Method::Get, &path, None, "GET /subscribe/customers/{customer_uid}").await
    }

    /// `GET /subscribe/payments/schedule/{merchant_uid}`: a scheduled charge; `NOT_FOUND` when
    /// there is none.
    pub async fn get_schedule(&self, merchant_uid: &str) -> Result<Schedule, Error> {
        rules::merchant_uid("merchant_uid", merchant_uid)?;
        let path = format!("/subscribe/payments/schedule/{}", segment(merchant_uid));
        self.call_as(Method::Get, &path, None, "GET /subscribe/payments/schedule/{merchant_uid}").await
    }

    /// iamport's clock (unix seconds), as learned from the token answer's `now` plus the time
    /// elapsed since (fetching a token first if there is none). Use it to compute `schedule_at`
    /// when your server's clock may differ.
    pub async fn iamport_now(&self) -> Result<i64, Error> {
        let token = self.token().await?;
        Ok(token.server_now(self.inner.clock.now()))
    }

    // --- the billing flow ---

    /// Confirms what the browser reported after issuing a billing key. Resolves with the payment
    /// only if it is that key's issuance: the same `customer_uid`, `customer_uid_usage`
    /// `issue`, status `paid` (for `amount: 0`, Danal's 10 KRW check, `paid` or already
    /// `cancelled`), the amount asked for, the same `merchant_uid` when given
    /// ([`check_confirm`](crate::check_confirm)), and the key exists. Otherwise `MISMATCH`
    /// with `field`, `expected` and `found`; an unknown `imp_uid` is `NOT_FOUND`.
    pub async fn confirm_billing_key(&self, params: ConfirmParams) -> Result<Payment, Error> {
        params.check()?;
        let payment = self.get_payment(&params.imp_uid).await?;
        check_confirm(&payment, &params)?;
        match self.get_billing_key(&params.customer_uid).await {
            Ok(key) if key.customer_uid == params.customer_uid => Ok(payment),
            Ok(key) => Err(Error::mismatch("customer_uid", json!(params.customer_uid), json!(key.customer_uid), " (the billing key)")),
            Err(e) if e.code() == ErrorCode::NotFound => Err(Error::mismatch(
                "billing_key",
                json!(params.customer_uid),
                Value::Null,
                " (iamport has no billing key under this customer_uid)",
            )),
            Err(e) => Err(e),
        }
    }

    /// Charges a billing key (`POST /subscribe/payments/again`). A declined card resolves
    /// [`ChargeResult::Failed`]; a refusal (`code` ≠ 0, e.g. a `merchant_uid` already paid) is
    /// `API_ERROR` with iamport's code and message.
    ///
    /// **It never charges twice.** When the answer is lost (`NETWORK`, `TIMEOUT`), it looks the
    /// `merchant_uid` up before anything else: a payment found of the same key and amount is the
    /// answer; only when iamport has none is the charge sent once more (iamport refuses a
    /// `merchant_uid` already paid, so even a late first request cannot be paid twice, and a
    /// `merchant_uid` another order paid gets iamport's refusal, not that order's payment). If the lookup fails too, the error says
    /// the outcome is unknown: look the `merchant_uid` up before you charge that order again.
    ///
    /// iamport lets a `merchant_uid` whose charge failed be charged again. If an earlier attempt
    /// of the order failed and the lost request never reached iamport, the lookup finds that
    /// failed payment and the answer is `Failed`: charging the order again with the same
    /// `merchant_uid` is then safe.
    pub async fn charge_billing_key(&self, params: ChargeParams) -> Result<ChargeResult, Error> {
        params.check()?;
        let body = params.body();
        let charge = Charge {
            path: "/subscribe/payments/again",
            body: Some(&body),
            what: "POST /subscribe/payments/again",
            merchant_uid: &params.merchant_uid,
            expected: Some((&params.customer_uid, params.amount)),
        };
        self.charge_once(charge).await
    }

    /// Charges a failed or revoked schedule now (`POST
    /// /subscribe/payments/schedule/{merchant_uid}/retry`), as
    /// [`charge_billing_key`](Client::charge_billing_key) charges a key: a declined card resolves
    /// [`ChargeResult::Failed`], a refusal (a schedule still pending or already paid) is
    /// `API_ERROR`, and it never charges twice after a lost answer.
    ///
    /// The schedule's earlier run failed, so after a lost answer the lookup may find that failed
    /// payment when the retry never reached iamport: the answer is then `Failed`, and retrying
    /// again is safe.
    pub async fn retry_schedule(&self, merchant_uid: &str) -> Result<ChargeResult, Error> {
        rules::merchant_uid("merchant_uid", merchant_uid)?;
        let path = format!("/subscribe/payments/schedule/{}/retry", segment(merchant_uid));
        let charge = Charge { path: &path, body: None, what: "POST /subscribe/payments/schedule/{merchant_uid}/retry", merchant_uid, expected: None };
        self.charge_once(charge).await
    }

    /// One charge request whose answer is a payment, recovered after a lost answer.
    async fn charge_once(&self, charge: Charge<'_>) -> Result<ChargeResult, Error> {
        match self.call_as::<Payment>(Method::Post, charge.path, charge.body, charge.what).await {
            Ok(payment) => charge_result(payment, charge.what),
            Err(first) if lost(&first) => self.recover_charge(&charge, first).await,
            Err(e) => Err(e),
        }
    }

    /// After a lost charge answer: look up, then (only if nothing is there) send once more.
    async fn recover_charge(&self, charge: &Charge<'_>, first: Error) -> Result<ChargeResult, Error> {
        let Charge { path, body, what, merchant_uid, expected } = *charge;
        let unknown = |e: Error, why: &str| {
            e.with_note(&format!(
                "; {why}: whether merchant_uid {merchant_uid} was charged is unknown, look it up (find_payment) before charging it again"
            ))
            .outcome_unknown()
        };
        match self.find_payment(merchant_uid).await {
            Ok(payment) if is_charge_of(&payment, expected) => {
                return charge_result(payment, what).map_err(|_| unknown(first, "the payment found is neither paid nor failed"))
            }
            // Another order's payment under this merchant_uid is no answer to this charge. iamport
            // refuses a merchant_uid already paid, so the repeat is safe and its refusal is the answer.
            Ok(_) => {}
            Err(e) if e.code() == ErrorCode::NotFound => {}
            Err(e) => return Err(unknown(first, &format!("the lookup failed too ({})", e.code()))),
        }
        match self.call_as::<Payment>(Method::Post, path, body, what).await {
            Ok(payment) => charge_result(payment, what),
            Err(refused) if refused.code() == ErrorCode::ApiError => {
                // The first request may have been paid meanwhile: then iamport refuses the
                // repeat, and the payment is the answer.
                match self.find_payment(merchant_uid).await {
                    Ok(p) if p.status == PaymentStatus::Paid && is_charge_of(&p, expected) => charge_result(p, what),
                    _ => Err(refused),
                }
            }
            Err(e) if lost(&e) => Err(unknown(e, "the answer was lost twice")),
            Err(e) => Err(e),
        }
    }

    /// Schedules charges of a key (`POST /subscribe/payments/schedule`). `schedule_at` is unix
    /// seconds: a value that looks like milliseconds, or that is not ahead of iamport's clock
    /// ([`iamport_now`](Client::iamport_now)), is `INVALID_PARAM` naming it
    /// (`schedules[1].schedule_at`) and nothing is scheduled.
    pub async fn schedule_charges(&self, params: ScheduleParams) -> Result<Vec<Schedule>, Error> {
        params.check()?;
        params.check_ahead(self.iamport_now().await?)?;
        let body = params.body();
        self.call_as(Method::Post, "/subscribe/payments/schedule", Some(&body), "POST /subscribe/payments/schedule").await
    }

    /// Schedules a failed or revoked charge again, at a new time (`POST
    /// /subscribe/payments/schedule/{merchant_uid}/reschedule`); answers the schedule.
    /// `schedule_at` follows [`schedule_charges`](Client::schedule_charges)' rules (unix seconds,
    /// ahead of iamport's clock).
    pub async fn reschedule(&self, params: RescheduleParams) -> Result<Schedule, Error> {
        self.move_schedule(Method::Post, "/reschedule", params, "POST /subscribe/payments/schedule/{merchant_uid}/reschedule").await
    }

    /// Moves a pending scheduled charge to a new time (`PUT
    /// /subscribe/payments/schedule/{merchant_uid}`); answers the schedule. `schedule_at` follows
    /// [`schedule_charges`](Client::schedule_charges)' rules.
    pub async fn update_schedule(&self, params: RescheduleParams) -> Result<Schedule, Error> {
        self.move_schedule(Method::Put, "", params, "PUT /subscribe/payments/schedule/{merchant_uid}").await
    }

    async fn move_schedule(&self, method: Method, suffix: &str, params: RescheduleParams, what: &str) -> Result<Schedule, Error> {
        params.check()?;
        params.check_ahead(self.iamport_now().await?)?;
        let path = format!("/subscribe/payments/schedule/{}{suffix}", segment(&params.merchant_uid));
        self.call_as(method, &path, Some(&params.body()), what).await
    }

    /// Every schedule of a billing key whose `schedule_at` lies in the params' range, newest first
    /// (`GET /subscribe/payments/schedule/customers/{customer_uid}`). Pages are fetched as the
    /// stream is read; a range longer than iamport's three months per request is asked in windows
    /// of [`SCHEDULE_WINDOW`](crate::SCHEDULE_WINDOW) seconds, the newest first. A window iamport
    /// answers `NOT_FOUND` for has none.
    ///
    /// Invalid params are the stream's only item (`INVALID_PARAM`, nothing sent); after any error
    /// the stream ends.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// use iamport_billing_server::{Client, ListSchedulesParams, ScheduleStatus};
    /// # async fn run(iamport: Client) -> Result<(), iamport_billing_server::Error> {
    /// let now = iamport.iamport_now().await?;
    /// let mut next = std::pin::pin!(iamport.list_schedules(
    ///     ListSchedulesParams::new("user_1_card", now, now + 365 * 24 * 3600).status(ScheduleStatus::Scheduled),
    /// ));
    /// while let Some(schedule) = next.next().await {
    ///     let schedule = schedule?;
    ///     println!("{} at {}", schedule.merchant_uid, schedule.schedule_at);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_schedules(&self, params: ListSchedulesParams) -> impl Stream<Item = Result<Schedule, Error>> + 'static {
        let client = self.clone();
        let first = params.check().map(|()| ScheduleCursor { to: params.to, page: 1 });
        paged(first, move |at| {
            let (client, params) = (client.clone(), params.clone());
            async move { client.schedules_page(&params, at).await }
        })
    }

    /// One page of [`list_schedules`](Client::list_schedules): its schedules, and where to go on.
    pub(crate) async fn schedules_page(&self, p: &ListSchedulesParams, at: ScheduleCursor) -> Result<(Vec<Schedule>, Option<ScheduleCursor>), Error> {
        let what = "GET /subscribe/payments/schedule/customers/{customer_uid}";
        let window = Window::ending_at(at.to, p.from);
        let (from, to) = window.query();
        let mut query = vec![("from", from.to_string()), ("to", to.to_string())];
        if let Some(status) = &p.status {
            query.push(("schedule-status", status.as_str().to_owned()));
        }
        query.push(("page", at.page.to_string()));
        let path = format!("/subscribe/payments/schedule/customers/{}?{}", segment(&p.customer_uid), query_text(&query)?);
        let page = match self.call(Method::Get, &path, None, what).await {
            Ok(value) => Page::<Schedule>::read(value, at.page, what)?,
            Err(e) if e.code() == ErrorCode::NotFound => Page { list: Vec::new(), next: None },
            Err(e) => return Err(e),
        };
        let list = page.list.into_iter().filter(|s| window.holds(s.schedule_at)).collect();
        Ok((list, window.next(page.next)))
    }

    /// Every payment made with a billing key, newest first (`GET
    /// /subscribe/customers/{customer_uid}/payments`), page by page as the stream is read. An
    /// invalid `customer_uid` is the stream's only item; after any error the stream ends.
    pub fn list_payments(&self, customer_uid: &str) -> impl Stream<Item = Result<Payment, Error>> + 'static {
        let client = self.clone();
        let customer_uid = customer_uid.to_owned();
        let first = rules::customer_uid("customer_uid", &customer_uid).map(|()| PageCursor { page: 1 });
        paged(first, move |at| {
            let (client, customer_uid) = (client.clone(), customer_uid.clone());
            async move { client.payments_page(&customer_uid, at).await }
        })
    }

    /// One page of [`list_payments`](Client::list_payments).
    pub(crate) async fn payments_page(&self, customer_uid: &str, at: PageCursor) -> Result<(Vec<Payment>, Option<PageCursor>), Error> {
        let what = "GET /subscribe/customers/{customer_uid}/payments";
        let path = format!("/subscribe/customers/{}/payments?page={}", segment(customer_uid), at.page);
        let page = Page::<Payment>::read(self.call(Method::Get, &path, None, what).await?, at.page, what)?;
        Ok((page.list, page.next.map(|page| PageCursor { page })))
    }

    /// The billing keys of several `customer_uid`s at once (`GET
    /// /subscribe/customers?customer_uid[]=…`): 1 to [`BILLING_KEYS_MAX`](crate::BILLING_KEYS_MAX)
    /// ids, none twice. Answers the keys iamport has, in the order asked (none: empty).
    pub async fn get_billing_keys<S: AsRef<str>>(&self, customer_uids: &[S]) -> Result<Vec<BillingKey>, Error> {
        check_customer_uids(customer_uids)?;
        let query: Vec<(&str, &str)> = customer_uids.iter().map(|id| ("customer_uid[]", id.as_ref())).collect();
        let path = format!("/subscribe/customers?{}", query_text(&query)?);
        match self.call_as(Method::Get, &path, None, "GET /subscribe/customers").await {
            Err(e) if e.code() == ErrorCode::NotFound => Ok(Vec::new()),
            other => other,
        }
    }

    /// The account's PG channels (`GET /users/pg`).
    pub async fn pg_settings(&self) -> Result<Vec<PgSetting>, Error> {
        let what = "GET /users/pg";
        Ok(Page::read(self.call(Method::Get, "/users/pg", None, what).await?, 1, what)?.list)
    }

    /// Checks the account can issue and charge Danal credit-card billing keys (`GET /users/pg`):
    /// a [`SetupReport`] listing the Danal channels and the problems, each with a stable code and
    /// what to change in iamport's console. `live`: real charges are wanted, so test channels
    /// alone are a problem. Keys iamport refuses are `UNAUTHORIZED`.
    pub async fn check_setup(&self, live: bool) -> Result<SetupReport, Error> {
        Ok(SetupReport::of(&self.pg_settings().await?, live))
    }

    /// Revokes pending scheduled charges of a key (`POST /subscribe/payments/unschedule`): all of
    /// them, or those of the given `merchant_uid`s. Answers the revoked schedules.
    pub async fn unschedule_charges(&self, params: UnscheduleParams) -> Result<Vec<Schedule>, Error> {
        params.check()?;
        let body = params.body();
        self.call_as(Method::Post, "/subscribe/payments/unschedule", Some(&body), "POST /subscribe/payments/unschedule").await
    }

    /// Deletes a billing key (`DELETE /subscribe/customers/{customer_uid}`); answers what it was.
    pub async fn delete_billing_key(&self, customer_uid: &str) -> Result<BillingKey, Error> {
        rules::customer_uid("customer_uid", customer_uid)?;
        let path = format!("/subscribe/customers/{}", segment(customer_uid));
        self.call_as(Method::Delete, &path, None, "DELETE /subscribe/customers/{customer_uid}").await
    }

    /// Cancels a payment in full or in part (`POST /payments/cancel`). It is not retried after a
    /// lost answer: look the payment up ([`get_payment`](Client::get_payment)) and cancel again
    /// with `checksum` if it still needs it.
    pub async fn cancel_payment(&self, params: CancelParams) -> Result<Payment, Error> {
        params.check()?;
        let body = params.body();
        self.call_as(Method::Post, "/payments/cancel", Some(&body), "POST /payments/cancel").await
    }

    /// Verifies a webhook: fetches the payment the body names and answers it. The body's
    /// `status` is never trusted; an unknown `imp_uid` is `NOT_FOUND`, and a body whose
    /// `merchant_uid` is not the payment's is `MISMATCH`. Handle the payment by its state (not
    /// by the delivery), so a repeated delivery changes nothing.
    pub async fn verify_webhook(&self, body: WebhookBody) -> Result<Payment, Error> {
        let payment = self.get_payment(&body.imp_uid).await?;
        if let Some(m) = &body.merchant_uid {
            if *m != payment.merchant_uid {
                return Err(Error::mismatch("merchant_uid", json!(m), json!(payment.merchant_uid), " (the webhook body names another order)"));
            }
        }
        Ok(payment)
    }

    /// Moves this client's monotonic clock forward, so its token ages without waiting. For
    /// tests of token renewal only; not part of the API.
    #[doc(hidden)]
    pub fn advance_clock_for_tests(&self, by: Duration) {
        self.inner.clock.advance(by);
    }
}

/// One charge request (a key's, a schedule's retry): where it goes, and how a payment found under its
/// `merchant_uid` after a lost answer is known to be its own. `expected` is the key and amount that
/// payment must have (none for a schedule's retry: the `merchant_uid` is the schedule's own).
#[derive(Clone, Copy)]
struct Charge<'a> {
    path: &'a str,
    body: Option<&'a Value>,
    what: &'a str,
    merchant_uid: &'a str,
    expected: Option<(&'a str, u64)>,
}

/// Whether a payment found by `merchant_uid` can be this charge: the `expected` key and amount. A
/// `merchant_uid` reused by another order finds that order's payment.
fn is_charge_of(payment: &Payment, expected: Option<(&str, u64)>) -> bool {
    match expected {
        Some((customer_uid, amount)) => payment.customer_uid.as_deref() == Some(customer_uid) && payment.amount == amount as f64,
        None => true,
    }
}

/// A charge's payment as a result: `paid` or `failed`; any other status is not an outcome of a
/// charge and is reported as an error.
fn charge_result(payment: Payment, what: &str) -> Result<ChargeResult, Error> {
    match payment.status {
        PaymentStatus::Paid => Ok(ChargeResult::Paid { payment }),
        PaymentStatus::Failed => Ok(ChargeResult::Failed { fail_reason: payment.fail_reason.clone().unwrap_or_default(), payment }),
        ref other => Err(Error::other(
            ErrorCode::ApiError,
            format!("{what}: the payment {} is {other}, neither paid nor failed", payment.imp_uid),
        )),
    }
}

/// A URL query's text.
fn query_text<T: serde::Serialize>(query: &T) -> Result<String, Error> {
    serde_urlencoded::to_string(query).map_err(|e| Error::other(ErrorCode::InvalidParam, format!("the query could not be written ({e})")))
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: T) {}

    /// Natively the client and its futures can be shared across threads (axum handlers, tokio
    /// tasks).
    #[test]
    fn client_and_futures_are_send() {
        let client = Client::new(ClientConfig::new("k", "sandbox_secret").base_url("http://127.0.0.1:9")).unwrap();
        send_sync(&client);
        send(client.get_payment("imps_1"));
        send(client.charge_billing_key(ChargeParams::new("c", "m", 1, "n")));
        send(client.schedule_charges(ScheduleParams::new("c", Vec::new())));
        send(client.verify_webhook(WebhookBody::new("imps_1")));
        send(client.list_schedules(ListSchedulesParams::new("c", 1, 2)));
        send(client.list_payments("c"));
        send(client.retry_schedule("m"));
    }

    #[test]
    fn only_paid_and_failed_are_outcomes_of_a_charge() {
        let payment = |status: &str| -> Payment {
            serde_json::from_value(json!({
                "imp_uid": "imps_1", "merchant_uid": "m", "amount": 100, "status": status, "fail_reason": "한도초과",
            }))
            .unwrap()
        };
        assert!(charge_result(payment("paid"), "x").unwrap().is_paid());
        match charge_result(payment("failed"), "x").unwrap() {
            ChargeResult::Failed { fail_reason, .. } => assert_eq!(fail_reason, "한도초과"),
            other => panic!("{other:?}"),
        }
        for other in ["ready", "cancelled", "partial"] {
            assert_eq!(charge_result(payment(other), "x").unwrap_err().code(), ErrorCode::ApiError, "{other}");
        }
    }
}
