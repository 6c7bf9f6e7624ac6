//! [`OrderDetails`]: the optional fields a charge and a scheduled charge share (buyer, tax,
//! instalments, custom data, webhook URL).

use serde_json::{Map, Value};

use iamport_billing::fields::Read;
use iamport_billing::Value as CoreValue;

use super::read;

/// The optional fields of a charge ([`ChargeParams`](crate::ChargeParams)) or of one scheduled
/// charge ([`ScheduleEntry`](crate::ScheduleEntry)), in iamport's names.
///
/// ```
/// use iamport_billing_server::OrderDetails;
/// let details = OrderDetails::default().buyer_email("buyer@example.com").custom_data(serde_json::json!({ "plan": "monthly" }));
/// assert_eq!(details.buyer_email.as_deref(), Some("buyer@example.com"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct OrderDetails {
    /// Tax-free part of `amount`.
    pub tax_free: Option<u64>,
    /// VAT part of `amount`.
    pub vat_amount: Option<u64>,
    /// Buyer's name.
    pub buyer_name: Option<String>,
    /// Buyer's e-mail.
    pub buyer_email: Option<String>,
    /// Buyer's phone number.
    pub buyer_tel: Option<String>,
    /// Buyer's address.
    pub buyer_addr: Option<String>,
    /// Buyer's postcode.
    pub buyer_postcode: Option<String>,
    /// Instalment months (0 = lump sum, up to 36).
    pub card_quota: Option<u64>,
    /// Stored with the payment: any JSON (sent as JSON text unless it is a string).
    pub custom_data: Option<Value>,
    /// Where iamport sends this payment's webhook (else the console's URL).
    pub notice_url: Option<String>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $conv:expr;)*) => {
        impl OrderDetails {
            $(
                $(#[$doc])*
                pub fn $name(mut self, value: impl Into<$ty>) -> OrderDetails {
                    let value: $ty = value.into();
                    self.$name = Some($conv(value));
                    self
                }
            )*
        }
    };
}

setters! {
    /// Sets `tax_free`.
    tax_free: u64 => |v| v;
    /// Sets `vat_amount`.
    vat_amount: u64 => |v| v;
    /// Sets `buyer_name`.
    buyer_name: String => |v| v;
    /// Sets `buyer_email`.
    buyer_email: String => |v| v;
    /// Sets `buyer_tel`.
    buyer_tel: String => |v| v;
    /// Sets `buyer_addr`.
    buyer_addr: String => |v| v;
    /// Sets `buyer_postcode`.
    buyer_postcode: String => |v| v;
    /// Sets `card_quota`.
    card_quota: u64 => |v| v;
    /// Sets `custom_data`.
    custom_data: Value => |v| v;
    /// Sets `notice_url`.
    notice_url: String => |v| v;
}

impl OrderDetails {
    /// The details read by the table (absent fields: `None`).
    pub(crate) fn from_read(r: &Read<'_>) -> OrderDetails {
        let s = |k: &str| r.str(k).map(str::to_owned);
        OrderDetails {
            tax_free: r.u64("tax_free"),
            vat_amount: r.u64("vat_amount"),
            buyer_name: s("buyer_name"),
            buyer_email: s("buyer_email"),
            buyer_tel: s("buyer_tel"),
            buyer_addr: s("buyer_addr"),
            buyer_postcode: s("buyer_postcode"),
            card_quota: r.u64("card_quota"),
            custom_data: r.get("custom_data").map(read::json_value),
            notice_url: s("notice_url"),
        }
    }

    fn buyer(&self) -> [(&'static str, Option<&String>); 5] {
        [
            ("buyer_name", self.buyer_name.as_ref()),
            ("buyer_email", self.buyer_email.as_ref()),
            ("buyer_tel", self.buyer_tel.as_ref()),
            ("buyer_addr", self.buyer_addr.as_ref()),
            ("buyer_postcode", self.buyer_postcode.as_ref()),
        ]
    }

    /// The fields that are set, as the table reads them.
    pub(crate) fn pairs(&self, pairs: &mut Vec<(&'static str, CoreValue)>) {
        pairs.push(("tax_free", read::num(self.tax_free)));
        pairs.push(("vat_amount", read::num(self.vat_amount)));
        for (key, value) in self.buyer() {
            pairs.push((key, read::text(value)));
        }
        pairs.push(("card_quota", read::num(self.card_quota)));
        pairs.push(("custom_data", self.custom_data.as_ref().map_or(CoreValue::Null, read::core_value)));
        pairs.push(("notice_url", read::text(self.notice_url.as_ref())));
    }

    /// Adds the fields that are set to an iamport request body.
    pub(crate) fn write(&self, body: &mut Map<String, Value>) {
        for (key, value) in [("tax_free", self.tax_free), ("vat_amount", self.vat_amount), ("card_quota", self.card_quota)] {
            if let Some(v) = value {
                body.insert(key.to_owned(), Value::from(v));
            }
        }
        for (key, value) in self.buyer() {
            if let Some(v) = value {
                body.insert(key.to_owned(), Value::from(v.as_str()));
            }
        }
        if let Some(d) = &self.custom_data {
            body.insert("custom_data".to_owned(), Value::from(custom_data_text(d)));
        }
        if let Some(url) = &self.notice_url {
            body.insert("notice_url".to_owned(), Value::from(url.as_str()));
        }
    }
}

/// `custom_data` as iamport stores it: a string, JSON text for anything else.
fn custom_data_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn custom_data_is_text() {
        assert_eq!(super::custom_data_text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
        assert_eq!(super::custom_data_text(&serde_json::json!("t")), "t");
    }
}
