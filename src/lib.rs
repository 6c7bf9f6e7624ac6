//! # iamport-billing
//!
//! Issue a **Danal credit-card billing key through iamport (PortOne V1)** from a web page with one
//! typed, validated call.
//!
//! iamport's `IMP.request_pay(param, callback)` is untyped and checks nothing: a typo in
//! `customer_uid`, `pay_method: 'vbank'` or `amount: '1000'` silently becomes the wrong payment. This
//! crate validates the parameters against iamport's Danal billing-key rules, fills the defaults
//! (`pg: 'danal_tpay'`, `pay_method: 'card'`, a fresh `merchant_uid`), calls the SDK, and turns the
//! callback into a typed [`BillingKeyResult`]. Integration mistakes become an [`Error`] with a stable
//! [`ErrorCode`].
//!
//! The crate has two layers:
//! - a **core** with no JavaScript in it — [`BillingKeyRequest`] (its rules, and the object sent to
//!   IMP), the typed [`BillingKeyResult`] and [`RedirectResult`], [`Error`] — unit-tested natively;
//! - the **entry points**: [`request`] / [`request_with_callback`], [`load_iamport`],
//!   [`parse_redirect`], [`new_merchant_uid`]. They exist on every target, so a component compiled
//!   for the server too (Leptos or Yew SSR, hydration) builds unchanged: off the browser `request`
//!   answers [`ErrorCode::ImpNotLoaded`] and `load_iamport` [`ErrorCode::SdkLoadFailed`] at once.
//!   (The npm package's JavaScript API is built from the same crate with its internal feature
//!   `npm`.)
//!
//! ```
//! use iamport_billing::{BillingKeyRequest, ErrorCode};
//!
//! let request = BillingKeyRequest::builder()
//!     .customer_uid("your-customer-unique-id")
//!     .amount(0) // issue the key only; Danal test-charges 10 KRW and cancels it ~30 minutes later
//!     .name("최초인증결제")
//!     .buyer_email("iamport@siot.do")
//!     .buyer_name("아임포트")
//!     .buyer_tel("02-1234-1234")
//!     .build()?;
//! assert_eq!(request.customer_uid(), "your-customer-unique-id");
//!
//! let typo = BillingKeyRequest::builder().set("custmer_uid", "x".into()).build().unwrap_err();
//! assert_eq!(typo.code(), ErrorCode::InvalidParam);
//! assert!(typo.to_string().contains("did you mean customer_uid?"));
//! # Ok::<(), iamport_billing::Error>(())
//! ```
//!
//! In a Rust frontend (Yew, Leptos), on `wasm32`:
//!
//! ```ignore
//! let result = iamport_billing::request(&request, RequestOptions::NONE).await?;
//! match result {
//!     BillingKeyResult::Success(ok) => send_to_server(&ok.customer_uid, &ok.imp_uid, &ok.merchant_uid),
//!     BillingKeyResult::Failure(no) => show(&no.error_msg),
//! }
//! ```
//!
//! The browser result is not proof of payment: your server confirms it with iamport's REST API
//! (`imp_uid`) or a webhook, and charges the key later with `POST /subscribe/payments/again`.
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

mod amount;
mod builder;
mod checks;
mod error;
mod json;
mod merchant_uid;
mod options;
mod params;
mod redirect;
mod response;
pub mod rules;
mod text;
mod value;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod web;

pub use amount::Amount;
pub use builder::BillingKeyRequestBuilder;
pub use error::{Error, ErrorCode};
pub use options::{LoadOptions, RequestOptions};
pub use params::BillingKeyRequest;
pub use redirect::RedirectResult;
pub use response::{BillingKeyFailure, BillingKeyResult, BillingKeySuccess, PaymentStatus};
pub use value::{Number, Unsupported, Value};

/// The core's internals, for this crate's own tests, fuzzing and benchmarks. Not part of the API:
/// nothing here is covered by semver.
#[doc(hidden)]
pub mod internals {
    /// JSON text ⇄ [`Value`](crate::Value).
    pub mod json {
        pub use crate::json::{parse, to_string, SyntaxError, MAX_DEPTH};
    }
    pub use crate::merchant_uid::{check_merchant_uid_prefix, format_merchant_uid, DEFAULT_PREFIX, MAX_PREFIX_LEN};
    pub use crate::options::{DEFAULT_LOAD_TIMEOUT_MS, DEFAULT_SDK_SRC, MAX_TIMEOUT_MS};
    pub use crate::params::{DEFAULT_PG, KNOWN_FIELDS};
    pub use crate::redirect::{parse_redirect_query, record_json, STORAGE_PREFIX};
    pub use crate::response::{decode_response, is_success, RequestContext, DEFAULT_ERROR_MSG, MALFORMED_RESPONSE};
    pub use crate::value::MAX_SAFE_INTEGER;
}

#[cfg(all(target_arch = "wasm32", not(feature = "npm")))]
#[doc(hidden)]
pub use web::js;
#[cfg(not(target_arch = "wasm32"))]
pub use native::{load_iamport, new_merchant_uid, parse_redirect, request, request_with_callback};
#[cfg(target_arch = "wasm32")]
pub use web::{new_merchant_uid, parse_redirect};
#[cfg(all(target_arch = "wasm32", not(feature = "npm")))]
pub use web::{load_iamport, request, request_with_callback};
