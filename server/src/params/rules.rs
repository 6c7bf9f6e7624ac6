//! The value rules of every param (one place): ids, amounts, text, URLs, months. `customer_uid`,
//! `merchant_uid` and amounts are the browser crate's own rules (`iamport_billing::rules`,
//! `iamport_billing::Amount`), so the browser and the server accept the same values.

use serde_json::Value;

use crate::error::Error;

/// The longest `imp_uid` accepted.
pub const IMP_UID_MAX: usize = 100;
/// The longest order name (`name`), as on the browser side.
pub const NAME_MAX: usize = 40;
/// The longest buyer field, cancel reason or other free text.
pub const TEXT_MAX: usize = 200;
/// The longest instalment plan, in months.
pub const CARD_QUOTA_MAX: u64 = 36;
/// A `schedule_at` above this is not unix seconds (it would be after the year 2286): it is
/// taken for milliseconds and refused.
pub const SCHEDULE_AT_MAX: i64 = 10_000_000_000;

pub(crate) fn customer_uid(path: &str, uid: &str) -> Result<(), Error> {
    Ok(iamport_billing::rules::check_customer_uid(path, uid)?)
}

pub(crate) fn merchant_uid(path: &str, uid: &str) -> Result<(), Error> {
    Ok(iamport_billing::rules::check_merchant_uid(path, uid)?)
}

pub(crate) fn imp_uid(path: &str, uid: &str) -> Result<(), Error> {
    if uid.is_empty() {
        return Err(super::read::required(path));
    }
    text(path, uid, IMP_UID_MAX)
}

/// A whole number of KRW from 0 to 2⁵³ − 1 (the browser's [`Amount`](iamport_billing::Amount)).
pub(crate) fn amount(path: &str, krw: u64) -> Result<(), Error> {
    iamport_billing::Amount::new(krw)
        .map(drop)
        .map_err(|_| Error::invalid(path, format!("{path} must be a whole number of KRW from 0 to 9007199254740991")))
}

/// An amount that charges something: 1 KRW or more.
pub(crate) fn positive_amount(path: &str, krw: u64) -> Result<(), Error> {
    amount(path, krw)?;
    if krw == 0 {
        return Err(Error::invalid(path, format!("{path} must be at least 1 KRW")));
    }
    Ok(())
}

/// A part of `amount` (`tax_free`, `vat_amount`): not more than it.
pub(crate) fn part_of(path: &str, krw: u64, of: u64) -> Result<(), Error> {
    amount(path, krw)?;
    if krw > of {
        return Err(Error::invalid(path, format!("{path} must not be more than amount ({of})")));
    }
    Ok(())
}

/// 1..=max characters, no control characters: not empty, then the browser's text rule.
pub(crate) fn text(path: &str, s: &str, max: usize) -> Result<(), Error> {
    if s.is_empty() {
        return Err(Error::invalid(path, format!("{path} must not be empty")));
    }
    Ok(iamport_billing::rules::check_text(path, s, max)?)
}

/// An absolute http(s) URL with a host and no whitespace.
pub(crate) fn url(path: &str, s: &str) -> Result<(), Error> {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let ok = host.is_some_and(|h| !h.is_empty() && !h.starts_with([':', '@']))
        && s.chars().count() <= 2048
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(path, format!("{path} must be an absolute http(s) URL, like https://shop.example/webhook")))
    }
}

/// Instalment months: 0 (lump sum) to 36.
pub(crate) fn card_quota(path: &str, months: u64) -> Result<(), Error> {
    if months > CARD_QUOTA_MAX {
        return Err(Error::invalid(path, format!("{path} must be a whole number of months from 0 to 36")));
    }
    Ok(())
}

/// `custom_data` as iamport stores it: a string, JSON text for anything else.
pub(crate) fn custom_data_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Unix seconds, not milliseconds, not before 1970.
pub(crate) fn schedule_at(path: &str, at: i64) -> Result<(), Error> {
    if at > SCHEDULE_AT_MAX {
        return Err(Error::invalid(
            path,
            format!(
                "{path} looks like milliseconds ({at}): iamport wants unix seconds, like {}",
                at / 1000
            ),
        ));
    }
    if at <= 0 {
        return Err(Error::invalid(path, format!("{path} must be unix seconds after 1970 (got {at})")));
    }
    Ok(())
}

/// `schedule_at` against iamport's clock (`now`, unix seconds): it must lie ahead.
pub(crate) fn schedule_at_ahead(path: &str, at: i64, now: i64) -> Result<(), Error> {
    if at <= now {
        return Err(Error::invalid(
            path,
            format!("{path} is in the past ({at}; iamport's clock says {now}): a schedule must lie ahead"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_rules_are_the_browser_crate_s() {
        for uid in ["", " a", "a/b", "a%b", &"x".repeat(81)] {
            let ours = customer_uid("customer_uid", uid).unwrap_err();
            let theirs = iamport_billing::rules::check_customer_uid("customer_uid", uid).unwrap_err();
            assert_eq!(ours.to_string(), theirs.to_string());
        }
        assert!(merchant_uid("m", &"x".repeat(40)).is_ok());
        assert_eq!(merchant_uid("schedules[0].merchant_uid", &"x".repeat(41)).unwrap_err().field(), Some("schedules[0].merchant_uid"));
    }

    #[test]
    fn amounts_and_parts() {
        assert!(amount("amount", 9_007_199_254_740_991).is_ok());
        assert!(amount("amount", 9_007_199_254_740_992).is_err());
        assert!(positive_amount("amount", 0).is_err());
        assert!(part_of("tax_free", 10, 10).is_ok());
        assert_eq!(part_of("tax_free", 11, 10).unwrap_err().to_string(), "tax_free must not be more than amount (10)");
    }

    #[test]
    fn schedule_times() {
        assert!(schedule_at("s", 1_767_225_600).is_ok());
        assert!(schedule_at("s", SCHEDULE_AT_MAX).is_ok());
        let ms = schedule_at("schedules[1].schedule_at", 1_767_225_600_000).unwrap_err();
        assert_eq!(ms.field(), Some("schedules[1].schedule_at"));
        assert_eq!(ms.to_string(), "schedules[1].schedule_at looks like milliseconds (1767225600000): iamport wants unix seconds, like 1767225600");
        assert!(schedule_at("s", 0).is_err());
        assert!(schedule_at_ahead("s", 100, 99).is_ok());
        assert!(schedule_at_ahead("s", 99, 99).is_err());
    }

    #[test]
    fn text_urls_months() {
        assert!(text("name", "월 구독", NAME_MAX).is_ok());
        assert!(text("name", "a\nb", NAME_MAX).is_err());
        assert!(text("name", "", NAME_MAX).is_err());
        assert!(url("notice_url", "https://shop.example/hook").is_ok());
        for bad in ["ftp://x", "https://", "https:// x", "shop.example"] {
            assert!(url("notice_url", bad).is_err(), "{bad}");
        }
        assert!(card_quota("card_quota", 36).is_ok() && card_quota("card_quota", 37).is_err());
        assert_eq!(custom_data_text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
        assert_eq!(custom_data_text(&serde_json::json!("t")), "t");
    }
}
