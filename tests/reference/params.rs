//! An independent reference for the params rules, written from the docs' params table
//! (docs/params.md), not from src/: tests/native_fuzz.rs checks the core against it. It restates
//! each limit on purpose: a rule changed in src/ must be changed here too, by someone who means it.

use super::*;

pub(crate) const KNOWN: &[&str] = &[
    "customer_uid", "amount", "pay_method", "pg", "channelKey", "merchant_uid", "name", "buyer_tel", "buyer_email",
    "buyer_name", "buyer_addr", "buyer_postcode", "company", "customer_id", "m_redirect_url", "notice_url",
    "custom_data", "language", "currency", "popup", "period", "display", "tax_free", "app_scheme", "confirm_url",
    "card", "bypass",
];

/// Fields whose value is a string (or, for `notice_url`, string or array): for these, `''` counts
/// as absent. For every other field only `undefined`/`null` do ("(for strings) ''" in the table).
pub(crate) const STRING_FIELDS: &[&str] = &[
    "customer_uid", "pay_method", "pg", "channelKey", "merchant_uid", "name", "buyer_tel", "buyer_email",
    "buyer_name", "buyer_addr", "buyer_postcode", "company", "customer_id", "m_redirect_url", "notice_url",
    "language", "currency", "app_scheme", "confirm_url", "custom_data",
];

pub(crate) const MAX_SAFE: u64 = (1 << 53) - 1;

/// Last value of `key` (JavaScript semantics for repeated JSON keys).
pub(crate) fn lookup<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Object(pairs) => pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

pub(crate) fn is_nullish(v: &Value) -> bool {
    matches!(v, Value::Null | Value::Unsupported(Unsupported::Undefined))
}

/// The field's value unless absent by the table's rule.
pub(crate) fn present<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    let v = lookup(obj, key)?;
    let empty_string = matches!(v, Value::String(s) if s.is_empty());
    if is_nullish(v) || (empty_string && STRING_FIELDS.contains(&key)) {
        None
    } else {
        Some(v)
    }
}

/// U+0000–U+001F and U+007F–U+009F.
pub(crate) fn control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// Unicode White_Space (the characters `trim` removes, except U+FEFF which is not White_Space).
pub(crate) fn whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}' | ' ' | '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}'
            | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// 1..=max code points, no control characters.
pub(crate) fn text_ok(s: &str, max: usize) -> bool {
    let count = s.chars().count();
    (1..=max).contains(&count) && !s.chars().any(control)
}

/// An absolute http(s) URL with a non-empty host. (Also ≤ 2048 characters, no whitespace or control
/// characters: stricter than the table, which is fine.)
pub(crate) fn url_ok(u: &str) -> bool {
    let lower = u.to_ascii_lowercase();
    let rest = match (lower.strip_prefix("https://"), lower.strip_prefix("http://")) {
        (Some(r), _) | (None, Some(r)) => r,
        _ => return false,
    };
    // authority = [userinfo@]host[:port]; the host must not be empty (`new URL` throws then).
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((h, after)) => (h, after.strip_prefix(':').unwrap_or(after)),
            None => ("", ""),
        },
        None => host_port.split_once(':').unwrap_or((host_port, "")),
    };
    // An authority starting with '@' or ':' is refused too (stricter than `new URL`: fine).
    !host.is_empty()
        && !authority.starts_with(['@', ':'])
        && port.bytes().all(|b| b.is_ascii_digit())
        && u.chars().count() <= 2048
        && !u.chars().any(|c| whitespace(c) || control(c))
}

/// docs/params.md, `src` of `loadIamport`: an `https:` URL, an `http:` URL of localhost,
/// 127.0.0.1 or [::1], or a path on the page's own origin (no scheme — no `:` before the first
/// `/`, `?` or `#` — and not `//…`).
pub(crate) fn script_src_ok(u: &str) -> bool {
    if u.chars().count() > 2048 || u.chars().any(|c| whitespace(c) || control(c)) {
        return false;
    }
    let lower = u.to_ascii_lowercase();
    let head = lower.split(['/', '?', '#']).next().unwrap_or("");
    if !head.contains(':') {
        let first_two: String = lower.chars().take(2).collect();
        return !matches!(first_two.as_str(), "//" | "\\\\" | "/\\" | "\\/");
    }
    if lower.starts_with("https:") {
        return url_ok(u);
    }
    // The host as written (`LOCALHOST` is refused).
    let Some(rest) = lower.strip_prefix("http://").map(|_| &u["http://".len()..]) else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // No user name (`user@localhost` is refused).
    let host_port = authority;
    let host = match host_port.strip_prefix("[::1]") {
        Some(port) => (port.is_empty() || port.starts_with(':')).then_some("[::1]"),
        None => host_port.split(':').next(),
    };
    url_ok(u) && matches!(host, Some("localhost" | "127.0.0.1" | "[::1]"))
}

/// An exact check that a JSON number text is an integer in 0..=2⁵³−1 (`-0` and `1e3` count).
pub(crate) fn ref_safe_integer(text: &str) -> Option<u64> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, "0"),
    };
    let exp_digits = exp.trim_start_matches(['+', '-']).trim_start_matches('0');
    let exp_neg = exp.starts_with('-');
    // |exponent| beyond 10⁶ is "huge": only zero survives it.
    let exp_val: i64 = if exp_digits.len() > 6 { 1_000_000 } else { exp_digits.parse().unwrap_or(0) };
    let exp_val = if exp_neg { -exp_val } else { exp_val };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{int}{frac}");
    let mut e = exp_val - frac.len() as i64; // value = digits × 10^e
    let trimmed = digits.trim_end_matches('0').len();
    e += (digits.len() - trimmed) as i64;
    digits.truncate(trimmed);
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    if neg || e < 0 || digits.len() as i64 + e > 16 {
        return None;
    }
    let v: u128 = digits.parse::<u128>().ok()? * 10u128.pow(e as u32);
    (v <= u128::from(MAX_SAFE)).then_some(v as u64)
}

pub(crate) fn safe_int(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => ref_safe_integer(n.as_str()),
        _ => None,
    }
}

/// `YYYYMMDD`, a real Gregorian date (year ≥ 1900: stricter than the table, which is fine).
pub(crate) fn date_ok(d: &str) -> bool {
    if d.len() != 8 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (y, m, day): (u32, u32, u32) = (d[..4].parse().unwrap_or(0), d[4..6].parse().unwrap_or(0), d[6..].parse().unwrap_or(0));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    y >= 1900 && (1..=12).contains(&m) && day >= 1 && day <= days[(m - 1) as usize]
}

pub(crate) fn tel_ok(t: &str) -> bool {
    text_ok(t, 16) && t.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) && t.chars().any(|c| c.is_ascii_digit())
}

/// ≤ 64, exactly one `@` with text on both sides, no whitespace (no control characters either:
/// stricter than the table, which is fine).
pub(crate) fn email_ok(e: &str) -> bool {
    let parts: Vec<&str> = e.split('@').collect();
    text_ok(e, 64) && parts.len() == 2 && parts.iter().all(|p| !p.is_empty()) && !e.chars().any(whitespace)
}

pub(crate) fn pg_ok(pg: &str) -> bool {
    pg == "danal_tpay"
        || pg.strip_prefix("danal_tpay.").is_some_and(|cpid| !cpid.is_empty() && cpid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
}

pub(crate) fn customer_uid_ok(c: &str) -> bool {
    // What JavaScript's trim() removes: White_Space plus U+FEFF.
    let trimmed = |ch: char| whitespace(ch) || ch == '\u{feff}';
    text_ok(c, 80)
        && !c.starts_with(trimmed)
        && !c.ends_with(trimmed)
        && !c.contains(['/', '?', '#', '%', '\\'])
}

/// Paths of values JSON cannot carry inside `v` (the path syntax of the table: `a.b`, `a[1]`).
pub(crate) fn unsupported_paths(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Unsupported(_) => out.push(path.to_owned()),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| unsupported_paths(x, &format!("{path}[{i}]"), out)),
        Value::Object(pairs) => pairs.iter().for_each(|(k, x)| unsupported_paths(x, &format!("{path}.{k}"), out)),
        _ => {}
    }
}

/// How an unknown key is named in `field`: itself, cut to 64 characters + `…` when longer.
pub(crate) fn shown(key: &str) -> String {
    if key.is_empty() {
        String::from("\"\"")
    } else if key.chars().count() > 64 {
        format!("{}…", key.chars().take(64).collect::<String>())
    } else {
        key.to_owned()
    }
}

/// Every field the reference finds invalid (empty: the params are valid).
pub(crate) fn reference_problems(params: &Value) -> Vec<String> {
    let Value::Object(pairs) = params else { return vec![String::from("params")] };
    let mut bad: Vec<String> = Vec::new();
    let mut flag = |ok: bool, field: &str| {
        if !ok {
            bad.push(field.to_owned());
        }
    };
    for (k, _) in pairs {
        if !KNOWN.contains(&k.as_str()) {
            flag(false, &shown(k));
        }
    }
    let p = |k: &str| present(params, k);
    let str_rule = |k: &str, rule: &dyn Fn(&str) -> bool| match p(k) {
        None => true,
        Some(Value::String(v)) => rule(v),
        Some(_) => false,
    };

    flag(matches!(p("customer_uid"), Some(Value::String(c)) if customer_uid_ok(c)), "customer_uid");
    let amount = p("amount").and_then(safe_int);
    flag(amount.is_some(), "amount");
    flag(str_rule("pay_method", &|v| v == "card"), "pay_method");
    flag(str_rule("pg", &pg_ok), "pg");
    // channelKey: ≤ 200 characters without control characters (stricter than the table: fine).
    flag(str_rule("channelKey", &|v| text_ok(v, 55)) && !(p("pg").is_some() && p("channelKey").is_some()), "channelKey");
    flag(str_rule("merchant_uid", &|v| text_ok(v, 40)), "merchant_uid");
    flag(str_rule("name", &|v| text_ok(v, 40)), "name");
    flag(matches!(p("buyer_tel"), Some(Value::String(t)) if tel_ok(t)), "buyer_tel");
    flag(str_rule("buyer_email", &email_ok), "buyer_email");
    for (k, max) in [("buyer_name", 16), ("buyer_addr", 128), ("buyer_postcode", 8), ("company", 40), ("customer_id", 80)] {
        flag(str_rule(k, &|v| text_ok(v, max)), k);
    }
    flag(str_rule("m_redirect_url", &url_ok), "m_redirect_url");
    flag(str_rule("confirm_url", &url_ok), "confirm_url");
    match p("notice_url") {
        None => {}
        Some(Value::String(u)) => flag(url_ok(u), "notice_url"),
        Some(Value::Array(items)) => {
            flag(!items.is_empty(), "notice_url");
            for (i, item) in items.iter().enumerate() {
                flag(matches!(item, Value::String(u) if url_ok(u)), &format!("notice_url[{i}]"));
            }
        }
        Some(_) => flag(false, "notice_url"),
    }
    if let Some(data) = p("custom_data") {
        let mut paths = Vec::new();
        unsupported_paths(data, "custom_data", &mut paths);
        paths.iter().for_each(|path| flag(false, path));
    }
    flag(str_rule("language", &|v| matches!(v, "ko" | "en" | "zh")), "language");
    flag(str_rule("currency", &|v| v == "KRW"), "currency");
    flag(matches!(p("popup"), None | Some(Value::Bool(_))), "popup");
    match p("period") {
        None => {}
        Some(period @ Value::Object(pp)) => {
            for (k, _) in pp {
                flag(k == "from" || k == "to", &format!("period.{}", shown(k)));
            }
            let date = |k: &str| match lookup(period, k) {
                Some(Value::String(d)) if date_ok(d) => Some(d.clone()),
                _ => None,
            };
            let (from, to) = (date("from"), date("to"));
            flag(from.is_some(), "period.from");
            flag(to.is_some(), "period.to");
            if let (Some(f), Some(t)) = (from, to) {
                flag(f <= t, "period.from");
            }
        }
        Some(_) => flag(false, "period"),
    }
    match p("display") {
        None => {}
        Some(display @ Value::Object(dp)) => {
            for (k, _) in dp {
                flag(k == "card_quota", &format!("display.{}", shown(k)));
            }
            match lookup(display, "card_quota") {
                None => {}
                Some(v) if is_nullish(v) => {}
                Some(Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        flag(matches!(safe_int(item), Some(0..=36)), &format!("display.card_quota[{i}]"));
                    }
                }
                Some(_) => flag(false, "display.card_quota"),
            }
        }
        Some(_) => flag(false, "display"),
    }
    match p("tax_free") {
        None => {}
        Some(v) => match (safe_int(v), amount) {
            (Some(t), Some(a)) => flag(t <= a, "tax_free"),
            (Some(_), None) => {} // cannot be compared: amount is already reported
            (None, _) => flag(false, "tax_free"),
        },
    }
    // app_scheme: ≤ 200 characters without control characters (stricter than the table: fine).
    flag(str_rule("app_scheme", &|v| text_ok(v, 200)), "app_scheme");
    for k in ["card", "bypass"] {
        match p(k) {
            None => {}
            Some(v @ Value::Object(_)) => {
                let mut paths = Vec::new();
                unsupported_paths(v, k, &mut paths);
                paths.iter().for_each(|path| flag(false, path));
            }
            Some(_) => flag(false, k),
        }
    }
    bad
}

/// Checks the object handed to `IMP.request_pay` against every rule of the table, and against the
/// input it came from. `merchant_uid` is the one passed to `to_imp_value`.
pub(crate) fn check_imp_object(input: &Value, out: &Value, merchant_uid: &str) -> Result<(), String> {
    let Value::Object(pairs) = out else { return Err(format!("not an object: {out:?}")) };
    let mut seen = std::collections::HashSet::new();
    for (k, v) in pairs {
        if !KNOWN.contains(&k.as_str()) {
            return Err(format!("unknown key {k:?} sent to IMP"));
        }
        if !seen.insert(k.as_str()) {
            return Err(format!("key {k:?} sent twice"));
        }
        if is_nullish(v) || matches!(v, Value::Unsupported(_)) || matches!(v, Value::String(s) if s.is_empty()) {
            return Err(format!("{k}: absent values must not be sent (got {v:?})"));
        }
        let mut paths = Vec::new();
        unsupported_paths(v, k, &mut paths);
        if !paths.is_empty() {
            return Err(format!("non-JSON values sent to IMP at {paths:?}"));
        }
    }
    let get = |k: &str| lookup(out, k);
    let str_of = |k: &str| match get(k) {
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let fail = |why: &str| Err(why.to_owned());
    // What the input says (last value wins), to check pass-through and defaults.
    let given = |k: &str| present(input, k);

    // customer_uid
    match str_of("customer_uid") {
        Some(c) if customer_uid_ok(c) && given("customer_uid") == get("customer_uid") => {}
        _ => return fail("customer_uid: required, 1-80 chars, no edge whitespace, control or / ? # % \\, and as given"),
    }
    // amount
    match get("amount").and_then(safe_int) {
        Some(a) if given("amount").and_then(safe_int) == Some(a) => {}
        _ => return fail("amount: required safe integer ≥ 0, as given"),
    }
    if str_of("pay_method") != Some("card") {
        return fail("pay_method must be 'card'");
    }
    match (str_of("pg"), str_of("channelKey")) {
        (Some(pg), None) => {
            let want = match given("pg") {
                Some(Value::String(g)) => g.as_str(),
                _ => "danal_tpay",
            };
            if !pg_ok(pg) || pg != want || given("channelKey").is_some() {
                return fail("pg: danal_tpay(.CPID), as given or the default, and only without channelKey");
            }
        }
        (None, Some(key)) => {
            if given("channelKey") != get("channelKey") || given("pg").is_some() || key.is_empty() {
                return fail("channelKey: passed through unchanged, never with pg");
            }
        }
        _ => return fail("exactly one of pg and channelKey must be sent"),
    }
    match str_of("merchant_uid") {
        Some(m) if m == merchant_uid && text_ok(m, 40) => {}
        _ => return fail("merchant_uid: the request's, 1-40 chars, no control chars"),
    }
    match str_of("buyer_tel") {
        Some(t) if tel_ok(t) && given("buyer_tel") == get("buyer_tel") => {}
        _ => return fail("buyer_tel: required phone number, as given"),
    }
    // Optional fields: sent iff given (absent → not sent), and valid.
    type Rule<'a> = &'a dyn Fn(&str) -> bool;
    let optional_text: &[(&str, Rule)] = &[
        ("name", &|v| text_ok(v, 40)),
        ("buyer_email", &email_ok),
        ("buyer_name", &|v| text_ok(v, 16)),
        ("buyer_addr", &|v| text_ok(v, 128)),
        ("buyer_postcode", &|v| text_ok(v, 8)),
        ("company", &|v| text_ok(v, 40)),
        ("customer_id", &|v| text_ok(v, 80)),
        ("m_redirect_url", &url_ok),
        ("confirm_url", &url_ok),
        ("language", &|v| matches!(v, "ko" | "en" | "zh")),
        ("currency", &|v| v == "KRW"),
        ("app_scheme", &|v| !v.is_empty()),
    ];
    for (k, rule) in optional_text {
        if given(k) != get(k) {
            return Err(format!("{k}: must be sent exactly as given (given {:?}, sent {:?})", given(k), get(k)));
        }
        if let Some(v) = get(k) {
            if !matches!(v, Value::String(x) if rule(x)) {
                return Err(format!("{k}: breaks its rule: {v:?}"));
            }
        }
    }
    for k in ["notice_url", "custom_data", "popup", "period", "display", "tax_free", "card", "bypass"] {
        if given(k).is_some() != get(k).is_some() {
            return Err(format!("{k}: sent iff given (given {:?}, sent {:?})", given(k), get(k)));
        }
    }
    match get("notice_url") {
        None => {}
        Some(Value::String(u)) if url_ok(u) => {}
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(|i| matches!(i, Value::String(u) if url_ok(u))) => {}
        Some(v) => return Err(format!("notice_url breaks its rule: {v:?}")),
    }
    if get("notice_url") != given("notice_url") {
        return fail("notice_url: as given");
    }
    if get("custom_data") != given("custom_data") {
        return fail("custom_data: passed through unchanged");
    }
    if !matches!(get("popup"), None | Some(Value::Bool(_))) || get("popup") != given("popup") {
        return fail("popup: a boolean, as given");
    }
    if let Some(period) = get("period") {
        let Value::Object(pp) = period else { return fail("period: an object") };
        let date = |k: &str| match lookup(period, k) {
            Some(Value::String(d)) if date_ok(d) => Some(d.as_str()),
            _ => None,
        };
        match (date("from"), date("to")) {
            (Some(f), Some(t)) if f <= t && pp.iter().all(|(k, _)| k == "from" || k == "to") => {}
            _ => return Err(format!("period must be {{from, to}} as YYYYMMDD, from ≤ to: {period:?}")),
        }
        if Some(period) != given("period") {
            return fail("period: as given");
        }
    }
    if let Some(display) = get("display") {
        let Value::Object(dp) = display else { return fail("display: an object") };
        for (k, v) in dp {
            let ok = k == "card_quota"
                && matches!(v, Value::Array(items) if items.iter().all(|i| matches!(safe_int(i), Some(0..=36))));
            if !ok {
                return Err(format!("display.{k} must be an array of integers 0-36 (got {v:?})"));
            }
        }
    }
    if let Some(t) = get("tax_free") {
        match (safe_int(t), get("amount").and_then(safe_int)) {
            (Some(t), Some(a)) if t <= a && given("tax_free").and_then(safe_int) == Some(t) => {}
            _ => return Err(format!("tax_free must be a safe integer ≤ amount, as given: {t:?}")),
        }
    }
    for k in ["card", "bypass"] {
        if let Some(v) = get(k) {
            if !matches!(v, Value::Object(_)) || Some(v) != given(k) {
                return Err(format!("{k}: an object passed through unchanged (got {v:?})"));
            }
        }
    }
    // What JavaScript receives (JSON.parse of the text) is the same object.
    // (Skipped when a key is the glue's marker key "\u{0}iamport-billing", which json::parse reads
    // back as a marker by design; JavaScript's JSON.parse does not.)
    let text = json::to_string(out);
    if !text.contains("\\u0000iamport-billing") && json::parse(&text).as_ref() != Ok(out) {
        return fail("the object does not survive its own JSON text");
    }
    Ok(())
}

pub(crate) fn check_invalid_param(e: &Error) -> Result<(String, String), String> {
    match e {
        Error::InvalidParam { field, message } if !field.is_empty() && !message.is_empty() => {
            if e.code() != ErrorCode::InvalidParam || e.field() != Some(field.as_str()) {
                return Err(format!("code/field accessors disagree: {e:?}"));
            }
            Ok((field.clone(), message.clone()))
        }
        other => Err(format!("expected INVALID_PARAM with a non-empty field and message, got {other:?}")),
    }
}
