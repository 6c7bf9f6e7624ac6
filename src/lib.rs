#![doc = include_str!("../README.rust.md")]

mod amount;
mod builder;
mod checks;
mod error;
pub mod fields;
mod json;
mod merchant_uid;
mod options;
mod params;
mod redirect;
mod response;
pub mod rules;
mod text;
mod value;

// The entry points: on wasm32 the browser layer (the Rust API with feature `browser`, the npm
// package's exports with `npm`); elsewhere the Rust API's stand-ins for a server-side render.
#[cfg(all(not(target_arch = "wasm32"), feature = "browser"))]
mod native;
#[cfg(all(target_arch = "wasm32", any(feature = "browser", feature = "npm")))]
mod web;

pub use amount::Amount;
pub use builder::BillingKeyRequestBuilder;
pub use error::{Error, ErrorCode};
pub use options::{LoadOptions, RequestOptions};
pub use params::BillingKeyRequest;
pub use redirect::RedirectResult;
pub use response::{BillingKeyFailure, BillingKeyResult, BillingKeySuccess, PaymentStatus};
pub use value::{Number, Unsupported, Value};

/// The core's internals, for this crate's own tests, fuzzing and benchmarks, and for the server
/// crate's reading of the npm wrapper's markers (`json::MARKER_KEY`, `json::marker_kind`). Not part
/// of the API: nothing here is covered by semver.
#[doc(hidden)]
pub mod internals {
    /// JSON text ⇄ [`Value`](crate::Value).
    pub mod json {
        pub use crate::json::{marker_kind, parse, to_string, SyntaxError, MARKER_KEY, MAX_DEPTH};
        pub use crate::value::MARKER_TAGS;
    }
    pub use crate::merchant_uid::{check_merchant_uid_prefix, format_merchant_uid, DEFAULT_PREFIX, MAX_PREFIX_LEN};
    pub use crate::options::{DEFAULT_LOAD_TIMEOUT_MS, DEFAULT_SDK_SRC, MAX_TIMEOUT_MS};
    pub use crate::params::{DEFAULT_PG, KNOWN_FIELDS};
    pub use crate::redirect::{parse_redirect_query, record_json, STORAGE_PREFIX};
    pub use crate::response::{decode_response, is_success, RequestContext, DEFAULT_ERROR_MSG, MALFORMED_RESPONSE};
    pub use crate::value::MAX_SAFE_INTEGER;
}

#[cfg(all(not(target_arch = "wasm32"), feature = "browser"))]
pub use native::{load_iamport, new_merchant_uid, parse_redirect, request, request_with_callback};
#[cfg(all(target_arch = "wasm32", feature = "browser"))]
#[doc(hidden)]
pub use web::js;
#[cfg(all(target_arch = "wasm32", feature = "browser"))]
pub use web::{load_iamport, new_merchant_uid, parse_redirect, request, request_with_callback};

// The npm package's allocator (feature `small-alloc`, set by scripts/build-pkg.sh): lol_alloc's
// free list instead of std's dlmalloc: less wasm.
// SAFETY: wasm32-unknown-unknown without the atomics target feature runs on exactly one thread,
// which is what `AssumeSingleThreaded` requires.
#[cfg(all(target_arch = "wasm32", feature = "small-alloc"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
