//! Uses the whole Rust API of the browser layer, as a Yew or Leptos component would.

use iamport_billing::{BillingKeyRequest, BillingKeyResult, Error, LoadOptions, RedirectResult, RequestOptions};

/// Loads the SDK, then requests a billing key.
pub async fn pay(request: &BillingKeyRequest) -> Result<BillingKeyResult, Error> {
    iamport_billing::load_iamport(LoadOptions::with_merchant_code("imp12345678")?).await?;
    iamport_billing::request(request, RequestOptions::NONE).await
}

/// The callback-level API.
pub fn pay_with_callback(request: &BillingKeyRequest, done: impl FnOnce(Result<BillingKeyResult, Error>) + 'static) {
    iamport_billing::request_with_callback(request, RequestOptions::NONE, done);
}

/// The redirect page and a fresh order id.
pub fn on_redirect(href: &str) -> (Option<RedirectResult>, Result<String, Error>) {
    (iamport_billing::parse_redirect(href), iamport_billing::new_merchant_uid("order"))
}
