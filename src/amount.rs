//! [`Amount`]: a payment amount in KRW that cannot be negative, fractional or unsafe in JavaScript.

use crate::error::Error;
use crate::value::MAX_SAFE_INTEGER;

/// An amount in KRW: a whole number from 0 to 2⁵³ − 1 (the largest JavaScript number that is exact).
///
/// `0` issues the billing key only (Danal makes a 10 KRW test charge and cancels it about 30 minutes
/// later); more than 0 issues the key and charges that amount at once.
///
/// ```
/// use iamport_billing::Amount;
/// assert_eq!(Amount::new(1004).unwrap().get(), 1004);
/// assert!(Amount::ZERO.is_key_only());
/// assert!(Amount::new(1 << 53).is_err());
/// assert!(Amount::try_from(1.5f64).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Amount(u64);

impl Amount {
    /// Zero: issue the key only.
    ///
    /// ```
    /// # use iamport_billing::Amount;
    /// assert_eq!(Amount::ZERO.get(), 0);
    /// ```
    pub const ZERO: Amount = Amount(0);

    /// The largest amount: 2⁵³ − 1.
    ///
    /// ```
    /// # use iamport_billing::Amount;
    /// assert_eq!(Amount::MAX.get(), 9_007_199_254_740_991);
    /// ```
    pub const MAX: Amount = Amount(MAX_SAFE_INTEGER);

    /// `Ok` if `krw` ≤ 2⁵³ − 1, else [`Error::InvalidParam`] on field `amount`.
    ///
    /// ```
    /// # use iamport_billing::Amount;
    /// assert_eq!(Amount::new(0), Ok(Amount::ZERO));
    /// ```
    pub fn new(krw: u64) -> Result<Amount, Error> {
        if krw <= MAX_SAFE_INTEGER {
            Ok(Amount(krw))
        } else {
            Err(out_of_range("amount"))
        }
    }

    /// The amount in KRW.
    ///
    /// ```
    /// # use iamport_billing::Amount;
    /// assert_eq!(Amount::new(10).unwrap().get(), 10);
    /// ```
    pub fn get(self) -> u64 {
        self.0
    }

    /// `true` for 0: the request issues the key without charging.
    ///
    /// ```
    /// # use iamport_billing::Amount;
    /// assert!(!Amount::new(1).unwrap().is_key_only());
    /// ```
    pub fn is_key_only(self) -> bool {
        self.0 == 0
    }
}

pub(crate) fn out_of_range(field: &str) -> Error {
    Error::invalid(
        field,
        crate::text::concat(&[field, " must be a whole number of KRW from 0 to 9007199254740991"]),
    )
}

impl TryFrom<u64> for Amount {
    type Error = Error;
    fn try_from(krw: u64) -> Result<Amount, Error> {
        Amount::new(krw)
    }
}

impl TryFrom<f64> for Amount {
    type Error = Error;
    /// Accepts only finite whole numbers from 0 to 2⁵³ − 1 (`-0.0` counts as 0).
    fn try_from(krw: f64) -> Result<Amount, Error> {
        // The cast is exact: the value is a whole number within the safe range.
        if krw.is_finite() && krw >= 0.0 && krw.fract() == 0.0 && krw <= MAX_SAFE_INTEGER as f64 {
            Ok(Amount(krw as u64))
        } else {
            Err(out_of_range("amount"))
        }
    }
}

impl From<Amount> for u64 {
    fn from(a: Amount) -> u64 {
        a.0
    }
}
