//! The checks the rules are made of: text length and characters, http(s) URLs, JSON data,
//! calendar dates, unknown keys (the typo guard and the secret guard). Each answers for one value;
//! the rules themselves (which field, which limit) are in `params` and `options`.

use crate::error::{fixed, invalid_after, Error};
use crate::text::{concat, is_control, push_u64, rsplit_once_byte, split_once_byte};
use crate::value::{Unsupported, Value};

/// 1..=max characters (code points), no control characters.
pub(crate) fn check_text(field: &str, s: &str, max: usize) -> Result<(), Error> {
    let n = crate::text::char_count(s);
    if n > max {
        let mut msg = concat(&[field, " must be at most "]);
        push_u64(&mut msg, max as u64);
        msg.push_str(" characters (got ");
        push_u64(&mut msg, n as u64);
        msg.push(')');
        return Err(Error::invalid(field, msg));
    }
    if s.chars().any(is_control) {
        return Err(invalid_after(field, " must not contain control characters"));
    }
    Ok(())
}

/// Text of 1..=max characters that can be a REST API path segment.
pub(crate) fn check_path_segment(field: &str, uid: &str, max: usize) -> Result<(), Error> {
    check_text(field, uid, max)?;
    match path_segment_format(uid) {
        Some(problem) => Err(invalid_after(field, problem)),
        None => Ok(()),
    }
}

/// What keeps text from being a REST API path segment (after the name of the field), if anything:
/// leading or trailing whitespace, or one of `/ ? # % \`.
pub(crate) fn path_segment_format(uid: &str) -> Option<&'static str> {
    let space = |c: char| c.is_whitespace() || c == '\u{feff}';
    if uid.chars().next().is_some_and(space) || uid.chars().next_back().is_some_and(space) {
        return Some(" must not start or end with whitespace");
    }
    if uid.bytes().any(|b| matches!(b, b'/' | b'?' | b'#' | b'%' | b'\\')) {
        return Some(" must not contain / ? # % or \\ (it becomes a REST API path segment)");
    }
    None
}

/// An absolute `http:` or `https:` URL with a host, no whitespace or control characters.
pub(crate) fn check_url(field: &str, url: &str) -> Result<(), Error> {
    if http_authority(url).is_some() && url_text(url) {
        Ok(())
    } else {
        Err(invalid_after(field, " must be an absolute http(s) URL, like https://shop.example/path"))
    }
}

/// What every URL taken is: at most 2048 characters, no whitespace or control characters.
pub(crate) fn url_text(url: &str) -> bool {
    crate::text::char_count(url) <= 2048 && !url.chars().any(|c| c.is_whitespace() || is_control(c))
}

/// Whether an absolute `http:` or `https:` URL is `https:`, and its authority
/// (`[userinfo@]host[:port]`), when it has a valid one.
fn http_authority(url: &str) -> Option<(bool, &str)> {
    let (scheme, rest) = split_once_byte(url, b':')?;
    let https = scheme.eq_ignore_ascii_case("https");
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let rest = rest.strip_prefix("//")?;
    let authority = rest.get(..rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len())).unwrap_or("");
    valid_authority(authority).then_some((https, authority))
}

/// Where `loadIamport` may load a script from: an `https:` URL; an `http:` URL of this computer
/// (`localhost`, `127.0.0.1`, `[::1]`, as written, with a port if any: a local sandbox); or a path on the page's
/// own origin (a reference without a scheme, such as `/sdk/iamport.js` or `./iamport.js`, but not
/// `//host/…`). Other schemes (`data:`, `blob:`, `javascript:`, `file:`, …) are refused, and so is a
/// `:` before the first `/`, `?` or `#` (write `./a:b.js`). `src` has no whitespace or control
/// characters (checked before).
pub(crate) fn check_script_src(src: &str) -> Result<(), Error> {
    let bytes = src.as_bytes();
    let ok = match http_authority(src) {
        Some((https, authority)) => {
            // The host of `host[:port]` (as written, without a user name: `user@localhost` is refused).
            let end = if authority.starts_with('[') { b']' } else { b':' };
            let host = split_once_byte(authority, end).map_or(authority, |(host, _)| host);
            https || matches!(host, "localhost" | "127.0.0.1" | "[::1")
        }
        // No scheme (no `:` before the first `/`, `?` or `#`), and not `//host/…` (browsers read
        // `\\` as `/` here), which loads from whatever host it names.
        None => {
            bytes.iter().find(|b| matches!(b, b':' | b'/' | b'?' | b'#')) != Some(&b':')
                && !matches!(bytes, [b'/' | b'\\', b'/' | b'\\', ..])
        }
    };
    if ok {
        Ok(())
    } else {
        Err(fixed("src", "src must be an https: URL, an http: URL of localhost, or a path on the page's own origin"))
    }
}

/// `[userinfo@]host[:port]` with a non-empty host (a name or a bracketed IPv6 address); the port,
/// if any, digits.
fn valid_authority(authority: &str) -> bool {
    if matches!(authority.bytes().next(), Some(b'@' | b':')) {
        return false; // an empty user name or host: refused, as a typo more likely than intent
    }
    let host_port = rsplit_once_byte(authority, b'@').map_or(authority, |(_, hp)| hp);
    let (host, port) = if let Some(v6) = host_port.strip_prefix("[") {
        match split_once_byte(v6, b']') {
            Some((addr, rest)) => {
                let ok = !addr.is_empty() && addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
                if !ok {
                    return false;
                }
                match rest.strip_prefix(":") {
                    Some(port) => ("v6", port),
                    None if rest.is_empty() => ("v6", ""),
                    None => return false,
                }
            }
            None => return false,
        }
    } else {
        split_once_byte(host_port, b':').unwrap_or((host_port, ""))
    };
    // Lenient on the name itself (IDN, percent-encoding); strict on its presence and the port.
    let host_ok = !host.is_empty() && !host.bytes().any(|b| b == b'[' || b == b']');
    let port_ok = port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
    host_ok && port_ok
}

/// Rejects values JSON cannot carry anywhere inside `value`.
pub(crate) fn check_json(field: &str, value: &Value) -> Result<(), Error> {
    match value.find_unsupported(field) {
        None => Ok(()),
        Some((path, kind)) => {
            let message = if kind == Unsupported::Unreadable {
                concat(&[&path, " could not be read"])
            } else {
                concat(&[&path, " must be JSON data (got ", kind.describe(), ")"])
            };
            Err(Error::invalid(&path, message))
        }
    }
}

/// Key names that look like server-side secrets (compared lower-case, without `_` and `-`).
const SECRET_LIKE: &[&str] = &[
    "impkey",
    "impsecret",
    "apikey",
    "apisecret",
    "secret",
    "accesstoken",
    "restapikey",
    "restapisecret",
    "secretkey",
];

/// Whether a key names a server-side secret: one of [`SECRET_LIKE`], compared lower-case without
/// `_` and `-` (`imp_secret`, `IMP-KEY`, `accessToken`).
pub(crate) fn looks_like_secret(key: &str) -> bool {
    // Folded as "did you mean" folds (no key over 64 bytes is one of them).
    let mut buf = [0u8; 64];
    fold(key, &mut buf).is_some_and(|folded| SECRET_LIKE.iter().any(|s| s.as_bytes() == folded))
}

/// The error for a key that is not a field of a request (the window's, `in_window`, or one of the
/// server's): a secret, a likely typo, or just unknown. `parent` is the path of the object holding it (`""` at the top).
pub(crate) fn unknown_field(key: &str, known: &[&str], parent: &str, in_window: bool) -> Error {
    let suffix = if in_window { " of a Danal billing-key request" } else { " (known: " };
    with_known_list(unknown_key(key, known, parent, suffix), known)
}

/// An unknown option key (`timeoutMs`, …).
pub(crate) fn unknown_option(key: &str, known: &[&str]) -> Error {
    with_known_list(unknown_key(key, known, "", " (options are: "), known)
}

/// The key of `known` that `key` was probably meant to be: the nearest within two edits, compared
/// lower-case without `_` and `-` (`customerUid`, `CUSTOMER-UID` and `custmer_uid` all mean
/// `customer_uid`). The one "did you mean" of the package: the browser's params and options and
/// the server's params and config all ask it.
pub fn did_you_mean<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let (mut buf, mut other) = ([0u8; 64], [0u8; 64]);
    let folded = fold(key, &mut buf)?;
    let mut best: Option<(usize, &str)> = None;
    for candidate in known {
        let Some(theirs) = fold(candidate, &mut other) else { continue };
        if let Some(d) = crate::text::edit_distance_bytes(folded, theirs, 2) {
            if best.map_or(true, |(bd, _)| d < bd) {
                best = Some((d, candidate));
            }
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// `key` lower-case without `_` and `-`, in `buf`; `None` when that is empty or over 64 bytes
/// (no field name is: nothing to suggest).
fn fold<'b>(key: &str, buf: &'b mut [u8; 64]) -> Option<&'b [u8]> {
    let mut n = 0;
    for b in key.bytes().filter(|b| *b != b'_' && *b != b'-') {
        *buf.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    buf.get(..n).filter(|f| !f.is_empty())
}

fn unknown_key(key: &str, known: &[&str], parent: &str, top_level_suffix: &str) -> Error {
    let shown = if key.is_empty() { String::from("\"\"") } else { crate::text::truncate_chars(key, 64) };
    let path = if parent.is_empty() { shown.clone() } else { concat(&[parent, ".", &shown]) };
    if looks_like_secret(key) {
        return Error::invalid(
            &path,
            concat(&[
                &path,
                " looks like a server secret: REST API keys, secrets and access tokens belong in the server \
                 client's config only, never in a request's params, and never in the browser",
            ]),
        );
    }
    let mut msg = concat(&[&path, " is not a known parameter"]);
    match did_you_mean(key, known) {
        Some(candidate) => {
            msg.push_str("; did you mean ");
            msg.push_str(candidate);
            msg.push('?');
        }
        None if parent.is_empty() || top_level_suffix.ends_with(": ") => msg.push_str(top_level_suffix),
        None => {}
    }
    Error::invalid(&path, msg)
}

/// Appends `a, b, c)` to an unknown-key message that ends with "(options are: " or "(known: ".
fn with_known_list(mut e: Error, known: &[&str]) -> Error {
    if let Error::InvalidParam { message, .. } = &mut e {
        if message.ends_with(": ") {
            // A loop rather than `join`: join's generic copy costs more wasm.
            for (i, name) in known.iter().enumerate() {
                if i > 0 {
                    message.push_str(", ");
                }
                message.push_str(name);
            }
            message.push(')');
        }
    }
    e
}

/// `YYYYMMDD` → the number, if it is a real calendar date.
pub(crate) fn parse_yyyymmdd(s: &str) -> Option<u32> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.bytes().fold(0, |acc, b| acc * 10 + u32::from(b - b'0'));
    let (year, month, day) = (n / 10000, n / 100 % 100, n % 100);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1900 && (1..=days).contains(&day)).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_days_from_1900() {
        for ok in ["19000101", "20260101", "20260131", "20260430", "20261231", "20240229", "20000229", "99991231"] {
            assert_eq!(parse_yyyymmdd(ok), ok.parse().ok(), "{ok}");
        }
        for bad in [
            "18991231", // before 1900
            "20230229", "21000229", "19000229", // not leap years (÷4 fails; ÷100 without ÷400)
            "20260229", "20260431", "20260631", "20260931", "20261131", // past the month's end
            "20260132", "20260100", "20261301", "20260001", // no such day or month
            "2026011", "020260101", "2026010a", "2026-1-1", "２０２６０１０１", "",
        ] {
            assert_eq!(parse_yyyymmdd(bad), None, "{bad}");
        }
    }
}
