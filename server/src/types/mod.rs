//! What iamport answers, typed: [`Payment`] (with its [`CancelHistory`]), [`BillingKey`],
//! [`Schedule`], and the [`ChargeResult`] of a charge.
//!
//! Field names are iamport's (snake_case) and their JSON types are those of the published V1 API
//! description: amounts are numbers (`f64`), times are unix seconds (`i64`, 0 when not yet).
//! `Serialize` writes every field, `null` for an absent value.
//!
//! Decoding is strict only where a wrong value would mislead (ids, amounts, statuses, times of a
//! schedule). Any other field that iamport leaves out, or sends with another type than the
//! description says, decodes as its default (`None`, `0`, `""`, `false`) rather than failing the
//! whole answer: a payment that was charged must never be lost to a cosmetic field. Statuses keep
//! values added after this crate was written (`Unknown("…")`).

mod billing_key;
mod charge;
mod payment;
mod schedule;

pub use billing_key::BillingKey;
pub use charge::ChargeResult;
pub use payment::{CancelHistory, CustomerUidUsage, Payment, PaymentStatus};
pub use schedule::{Schedule, ScheduleStatus};

/// Decodes a field, or gives its default when it has another shape.
pub(crate) fn lenient<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned + Default,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    Ok(T::deserialize(value).unwrap_or_default())
}

/// A string enum that keeps values it does not know.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this crate does not know yet, as iamport sent it.
            Unknown(String),
        }

        impl $name {
            /// The value as iamport writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> $name {
                match s {
                    $($text => $name::$variant,)*
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok($name::from(&*s))
            }
        }
    };
}
pub(crate) use open_enum;
