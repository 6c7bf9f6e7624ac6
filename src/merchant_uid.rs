//! `merchant_uid` generation: unique per call, at most 40 characters, `^[A-Za-z0-9_-]+$`.

use crate::error::{fixed, Error};

/// The longest prefix [`new_merchant_uid`](crate::new_merchant_uid) accepts.
///
/// ```
/// # use iamport_billing::internals::{check_merchant_uid_prefix, MAX_PREFIX_LEN};
/// assert!(check_merchant_uid_prefix(&"p".repeat(MAX_PREFIX_LEN)).is_ok());
/// ```
pub const MAX_PREFIX_LEN: usize = 20;

/// The default prefix.
///
/// ```
/// assert_eq!(iamport_billing::internals::DEFAULT_PREFIX, "billing");
/// ```
pub const DEFAULT_PREFIX: &str = "billing";

/// Checks a prefix: 1–20 characters of `A-Z a-z 0-9 _ -`.
///
/// ```
/// use iamport_billing::internals::check_merchant_uid_prefix;
/// assert!(check_merchant_uid_prefix("order").is_ok());
/// assert_eq!(check_merchant_uid_prefix("주문").unwrap_err().field(), Some("prefix"));
/// ```
pub fn check_merchant_uid_prefix(prefix: &str) -> Result<(), Error> {
    if prefix.is_empty()
        || prefix.len() > MAX_PREFIX_LEN
        || !prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(fixed("prefix", "prefix must be 1-20 characters of A-Z, a-z, 0-9, _ or -"));
    }
    Ok(())
}

/// `{prefix}_{time in base 36}{10 hex digits of randomness}`: at most 40 characters.
///
/// ```
/// use iamport_billing::internals::format_merchant_uid;
/// assert_eq!(format_merchant_uid("billing", 1_800_000_000_000, [0, 1, 2, 0xab, 0xff]).unwrap(), "billing_mywpiww0000102abff");
/// ```
pub fn format_merchant_uid(prefix: &str, now_ms: u64, random: [u8; 5]) -> Result<String, Error> {
    check_merchant_uid_prefix(prefix)?;
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut time = Vec::new();
    let mut t = now_ms;
    loop {
        time.push(DIGITS.get((t % 36) as usize).copied().unwrap_or(b'0'));
        t /= 36;
        if t == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(40);
    out.push_str(prefix);
    out.push('_');
    // 9 base-36 digits cover every date until the year 2059; keep the newest 9 after that.
    for &d in time.iter().take(9).rev() {
        out.push(char::from(d));
    }
    for b in random {
        out.push(char::from(DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
        out.push(char::from(DIGITS.get(usize::from(b & 0xf)).copied().unwrap_or(b'0')));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_and_length() {
        for (prefix, now) in [("billing", 0u64), ("a", 1_800_000_000_000), ("abcdefghij0123456789", u64::MAX)] {
            let uid = format_merchant_uid(prefix, now, [0xff; 5]).unwrap();
            assert!(uid.len() <= 40, "{uid}");
            assert!(uid.starts_with(prefix));
            assert!(uid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        }
        assert!(format_merchant_uid("", 0, [0; 5]).is_err());
        assert!(format_merchant_uid("abcdefghij0123456789x", 0, [0; 5]).is_err());
        assert!(format_merchant_uid("a b", 0, [0; 5]).is_err());
    }
}
