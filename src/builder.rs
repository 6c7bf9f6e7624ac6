//! [`BillingKeyRequestBuilder`]: the Rust way to write a request. Setters never fail; [`build`]
//! runs the same validation as JavaScript params and reports the first invalid field.
//!
//! [`build`]: BillingKeyRequestBuilder::build

use crate::error::Error;
use crate::params::BillingKeyRequest;
use crate::value::Value;

/// Builds a [`BillingKeyRequest`]. Field names follow iamport's (`buyer_tel`, `m_redirect_url`, …).
///
/// ```
/// use iamport_billing::BillingKeyRequest;
/// let request = BillingKeyRequest::builder()
///     .customer_uid("your-customer-unique-id")
///     .amount(1004)
///     .name("최초인증결제")
///     .buyer_email("iamport@siot.do")
///     .buyer_name("아임포트")
///     .buyer_tel("02-1234-1234")
///     .build()?;
/// assert_eq!(request.amount().get(), 1004);
/// # Ok::<(), iamport_billing::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until build() is called"]
pub struct BillingKeyRequestBuilder {
    fields: Vec<(String, Value)>,
}

impl BillingKeyRequest {
    /// Starts a [`BillingKeyRequestBuilder`].
    ///
    /// ```
    /// # use iamport_billing::BillingKeyRequest;
    /// let req = BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("010-0000-0000").build();
    /// assert!(req.is_ok());
    /// ```
    pub fn builder() -> BillingKeyRequestBuilder {
        BillingKeyRequestBuilder::default()
    }
}

macro_rules! string_setters {
    ($($(#[$doc:meta])* $method:ident => $key:literal;)*) => {$(
        $(#[$doc])*
        pub fn $method(self, value: impl Into<String>) -> Self {
            self.set($key, Value::String(value.into()))
        }
    )*};
}

impl BillingKeyRequestBuilder {
    /// Sets any field by its iamport name (replacing an earlier value).
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let r = BillingKeyRequest::builder().set("customer_uid", "c1".into()).amount(0).buyer_tel("010").build();
    /// assert!(r.is_ok());
    /// ```
    pub fn set(mut self, key: &str, value: Value) -> Self {
        self.fields.retain(|(k, _)| k != key);
        self.fields.push((key.to_owned(), value));
        self
    }

    string_setters! {
        /// `customer_uid` (required): the key iamport stores the billing key under.
        customer_uid => "customer_uid";
        /// `merchant_uid`: your order id (default: a fresh [`new_merchant_uid`](crate::new_merchant_uid)).
        merchant_uid => "merchant_uid";
        /// `name`: the order name shown in the window.
        name => "name";
        /// `buyer_tel` (required by Danal's window).
        buyer_tel => "buyer_tel";
        /// `buyer_email`.
        buyer_email => "buyer_email";
        /// `buyer_name`.
        buyer_name => "buyer_name";
        /// `buyer_addr`.
        buyer_addr => "buyer_addr";
        /// `buyer_postcode`.
        buyer_postcode => "buyer_postcode";
        /// `company`.
        company => "company";
        /// `customer_id`.
        customer_id => "customer_id";
        /// `pg`: `danal_tpay` (default) or `danal_tpay.<CPID>`.
        pg => "pg";
        /// `channelKey`: the newest SDK's channel selector (instead of `pg`).
        channel_key => "channelKey";
        /// `m_redirect_url`: where mobile browsers land after the window (see [`parse_redirect`](crate::parse_redirect)).
        m_redirect_url => "m_redirect_url";
        /// `notice_url`: a webhook URL for this payment.
        notice_url => "notice_url";
        /// `confirm_url`.
        confirm_url => "confirm_url";
        /// `language`: `ko`, `en` or `zh`.
        language => "language";
        /// `currency`: `KRW`.
        currency => "currency";
        /// `app_scheme`: your app's URL scheme, for WebView apps.
        app_scheme => "app_scheme";
    }

    /// `amount` (required): 0 issues the key only; more charges it at once.
    ///
    /// ```
    /// # use iamport_billing::BillingKeyRequest;
    /// let err = BillingKeyRequest::builder().customer_uid("c").amount(1 << 53).buyer_tel("010").build().unwrap_err();
    /// assert_eq!(err.field(), Some("amount"));
    /// ```
    pub fn amount(self, krw: u64) -> Self {
        self.set("amount", Value::from(krw))
    }

    /// `tax_free`: the tax-free part of `amount`.
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let req = BillingKeyRequest::builder().customer_uid("c").amount(1000).buyer_tel("010")
    ///     .tax_free(100).build()?;
    /// assert_eq!(req.to_imp_value("m").get("tax_free").and_then(Value::as_safe_integer), Some(100));
    /// # Ok::<(), iamport_billing::Error>(())
    /// ```
    pub fn tax_free(self, krw: u64) -> Self {
        self.set("tax_free", Value::from(krw))
    }

    /// `popup`: open the window as a popup.
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let req = BillingKeyRequest::builder().customer_uid("c").amount(1000).buyer_tel("010")
    ///     .popup(true).build()?;
    /// assert_eq!(req.to_imp_value("m").get("popup"), Some(&Value::Bool(true)));
    /// # Ok::<(), iamport_billing::Error>(())
    /// ```
    pub fn popup(self, popup: bool) -> Self {
        self.set("popup", Value::Bool(popup))
    }

    /// `notice_url` as several webhook URLs.
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let req = BillingKeyRequest::builder().customer_uid("c").amount(1000).buyer_tel("010")
    ///     .notice_urls(["https://a.example/hook", "https://b.example/hook"]).build()?;
    /// assert!(matches!(req.to_imp_value("m").get("notice_url"), Some(Value::Array(urls)) if urls.len() == 2));
    /// # Ok::<(), iamport_billing::Error>(())
    /// ```
    pub fn notice_urls<I: IntoIterator<Item = S>, S: Into<String>>(self, urls: I) -> Self {
        self.set("notice_url", Value::Array(urls.into_iter().map(|u| Value::String(u.into())).collect()))
    }

    /// `period`: the service period shown in the window, `YYYYMMDD` to `YYYYMMDD`.
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let req = BillingKeyRequest::builder().customer_uid("c").amount(1000).buyer_tel("010")
    ///     .period("20260101", "20261231").build()?;
    /// assert!(req.to_imp_value("m").get("period").is_some());
    /// # Ok::<(), iamport_billing::Error>(())
    /// ```
    pub fn period(self, from: impl Into<String>, to: impl Into<String>) -> Self {
        let period = Value::object([("from", Value::String(from.into())), ("to", Value::String(to.into()))]);
        self.set("period", period)
    }

    /// `display.card_quota`: the instalment months offered (0–36).
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let req = BillingKeyRequest::builder().customer_uid("c").amount(1000).buyer_tel("010")
    ///     .card_quota(&[0, 2, 3]).build()?;
    /// assert!(req.to_imp_value("m").get("display").is_some());
    /// # Ok::<(), iamport_billing::Error>(())
    /// ```
    pub fn card_quota(self, months: &[u8]) -> Self {
        let quota = Value::Array(months.iter().map(|m| Value::from(u64::from(*m))).collect());
        self.set("display", Value::object([("card_quota", quota)]))
    }

    /// `custom_data`: any JSON value, passed through to iamport.
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let req = BillingKeyRequest::builder().customer_uid("c").amount(1000).buyer_tel("010")
    ///     .custom_data(Value::object([("plan", Value::from("pro"))])).build()?;
    /// assert!(req.to_imp_value("m").get("custom_data").is_some());
    /// # Ok::<(), iamport_billing::Error>(())
    /// ```
    pub fn custom_data(self, data: Value) -> Self {
        self.set("custom_data", data)
    }

    /// `card`: PG-specific card options, passed through.
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let req = BillingKeyRequest::builder().customer_uid("c").amount(1000).buyer_tel("010")
    ///     .card(Value::object([("direct", Value::object([("code", Value::from("367"))]))])).build()?;
    /// assert!(req.to_imp_value("m").get("card").is_some());
    /// # Ok::<(), iamport_billing::Error>(())
    /// ```
    pub fn card(self, card: Value) -> Self {
        self.set("card", card)
    }

    /// `bypass`: PG-specific options, passed through.
    ///
    /// ```
    /// # use iamport_billing::{BillingKeyRequest, Value};
    /// let req = BillingKeyRequest::builder().customer_uid("c").amount(1000).buyer_tel("010")
    ///     .bypass(Value::object([("x", Value::from(1u64))])).build()?;
    /// assert!(req.to_imp_value("m").get("bypass").is_some());
    /// # Ok::<(), iamport_billing::Error>(())
    /// ```
    pub fn bypass(self, bypass: Value) -> Self {
        self.set("bypass", bypass)
    }

    /// Validates everything and returns the request, or the first invalid field.
    ///
    /// ```
    /// # use iamport_billing::BillingKeyRequest;
    /// let err = BillingKeyRequest::builder().customer_uid("c").amount(0).build().unwrap_err();
    /// assert_eq!(err.field(), Some("buyer_tel"));
    /// ```
    pub fn build(self) -> Result<BillingKeyRequest, Error> {
        BillingKeyRequest::from_value(&Value::Object(self.fields))
    }
}
