//! The browser layer (wasm32, features `browser` or `npm`), in dependency order: `bindings` (the
//! glue's functions), `page` (a fresh `merchant_uid`, the redirect page), `settle` (whom an
//! outcome goes to), the request flow (`request`) and the SDK loader (`loader`), `exports` (the
//! two entry points the glue calls: the npm package's JavaScript API), `api` (the Rust API,
//! feature `browser`) and `js` (the JavaScript API called from Rust, for the browser tests).

mod bindings;
mod exports;
mod loader;
mod page;
mod request;
mod settle;

#[cfg(feature = "browser")]
mod api;
#[cfg(feature = "browser")]
#[doc(hidden)]
pub mod js;

#[cfg(feature = "browser")]
pub use api::{load_iamport, request, request_with_callback};
#[cfg(feature = "browser")]
pub use page::{new_merchant_uid, parse_redirect};
