//! Property-based fuzzing of the native core: the no-panic guarantee, and the rules against an
//! independent reference (tests/reference/params.rs).
//!
//! Arbitrary JSON-like [`Value`]s, biased toward near-valid params (known keys with random-typed
//! values, boundary lengths, Unicode, control characters, nested objects), go through every entry
//! point of the core. Each property asserts that nothing panics and that:
//! - every `Ok` request's `to_imp_value` satisfies **every** rule of the params table, checked by an
//!   independent checker written from the docs' params table (not from `src/`);
//! - `Ok`/`Err` agrees with an independent reference validator, and every `Err` is
//!   `INVALID_PARAM` with a non-empty field (one the reference also finds invalid) and message;
//! - options, callback responses, redirect queries and JSON text decode by their documented rules.
//!
//! Runs ≥ 10⁵ cases in total under `cargo test` (about 159,000; params alone 70,000 and responses 30,000, seeded, so reproducible; a few
//! seconds in a debug build). Environment:
//! - `FUZZ_CASES=<n>` multiplies every property's case count by `n` (`make fuzz` /
//!   `scripts/fuzz.sh`); `FUZZ_SEED=<u64>` changes the seed (a failure prints the one to replay);
//! - `FUZZ_NO_SHRINK=1` reports a failing input as generated instead of shrinking it.
//!
//! The src/ bugs this fuzzer found are fixed; the `regression_*` tests at the end pin each fix.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use std::time::Instant;

use iamport_billing::internals::{decode_response, json, parse_redirect_query, RequestContext};
use iamport_billing::{
    Amount, BillingKeyRequest, BillingKeyResult, Error, ErrorCode, LoadOptions, Number, RequestOptions, Unsupported, Value,
};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Strategy};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

// ---------------------------------------------------------------------------------------------
// Runner
// ---------------------------------------------------------------------------------------------

/// `FUZZ_CASES` (a multiplier, default 1).
fn multiplier() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|s| s.trim().parse::<u32>().ok()).filter(|n| *n > 0).unwrap_or(1)
}

/// `FUZZ_SEED` (default: a fixed seed, so `make test` is reproducible).
fn seed() -> u64 {
    std::env::var("FUZZ_SEED").ok().and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(0x1a3b_0b11_1e55)
}

/// Runs `cases × FUZZ_CASES` cases of `test` on values from `strategy`; panics with the minimal
/// failing input (shrunk by proptest) and the seed that reproduces it.
fn fuzz<S: Strategy>(name: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let cases = cases.saturating_mul(multiplier());
    let seed = seed();
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        // FUZZ_NO_SHRINK=1 reports the first failing input as generated.
        max_shrink_iters: if std::env::var_os("FUZZ_NO_SHRINK").is_some() { 0 } else { 4096 },
        max_global_rejects: cases.saturating_mul(4),
        ..Config::default()
    };
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    quiet_panics(true);
    let outcome = runner.run(&strategy, test);
    quiet_panics(false);
    if let Err(e) = outcome {
        panic!("fuzz {name} failed after {:.2?} (reproduce with FUZZ_SEED={seed}): {e}", started.elapsed());
    }
    println!("fuzz {name}: {cases} cases in {:.2?} (FUZZ_SEED={seed})", started.elapsed());
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While a property runs on this thread, panics (which proptest catches, reports and shrinks) are
/// not printed once per shrinking step; other threads' panics print as usual.
fn quiet_panics(on: bool) {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                default(info);
            }
        }));
    });
    QUIET.with(|q| q.set(on));
}

macro_rules! check {
    ($cond:expr, $($fmt:tt)*) => {
        if !$cond {
            return Err(TestCaseError::fail(format!($($fmt)*)));
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------
//
// proptest drives the structure (which fields, which kind of value, lengths), so failures shrink
// to small inputs. Text and numbers are expanded from a proptest-chosen `u64` with SplitMix64:
// proptest's per-character value trees are too slow in a debug build for 10⁵ cases.

/// SplitMix64.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// Characters valid in every free-text field besides ASCII letters and digits: multi-byte,
/// non-BMP (one code point, two UTF-16 units, four UTF-8 bytes), Hangul.
const PLAIN_EXTRA: &[char] = &['-', '_', '.', '가', '힣', '😀', 'é', '\u{10ffff}', '\u{a1}', '\u{fffd}'];

/// Characters that stress the rules: separators the rules forbid, whitespace, control characters
/// (C0, DEL, C1), zero-width and BOM, quotes.
const STRESS: &[char] = &[
    ' ', '\t', '\n', '\r', '/', '?', '#', '%', '\\', '@', '+', '-', '(', ')', '.', ':', '_', '=', '&', '"', '\'',
    '\u{0}', '\u{8}', '\u{1f}', '\u{7f}', '\u{80}', '\u{85}', '\u{9f}', '\u{a0}', '\u{1680}', '\u{2028}', '\u{2029}',
    '\u{3000}', '\u{feff}', '\u{200b}', '가', '😀', '\u{fffd}',
];

fn plain_char(m: &mut Mix) -> char {
    match m.below(10) {
        0..=5 => char::from(b'a' + m.below(26) as u8),
        6 | 7 => char::from(b'0' + m.below(10) as u8),
        _ => m.pick(PLAIN_EXTRA),
    }
}

fn any_char(m: &mut Mix) -> char {
    match m.below(14) {
        0..=8 => plain_char(m),
        9..=12 => m.pick(STRESS),
        _ => loop {
            if let Some(c) = char::from_u32((m.next() % 0x11_0000) as u32) {
                break c;
            }
        },
    }
}

fn text(m: &mut Mix, len: usize, f: fn(&mut Mix) -> char) -> String {
    (0..len).map(|_| f(m)).collect()
}

/// Up to `max` characters of anything.
fn arb_string(max: usize) -> BoxedStrategy<String> {
    (0..=max, any::<u64>()).prop_map(|(len, seed)| text(&mut Mix(seed), len, any_char)).boxed()
}

/// Exactly `n − 1`, `n` or `n + 1` plain characters (a length boundary); one time in five with one
/// stressing character at a random place.
fn boundary_string(n: usize) -> BoxedStrategy<String> {
    (0usize..3, any::<u64>())
        .prop_map(move |(d, seed)| {
            let m = &mut Mix(seed);
            let len = (n + d).saturating_sub(1).max(1);
            let mut chars: Vec<char> = (0..len).map(|_| plain_char(m)).collect();
            if m.below(5) == 0 {
                let at = m.below(len);
                chars[at] = m.pick(STRESS);
            }
            chars.into_iter().collect()
        })
        .boxed()
}

/// 1–`max` plain characters (valid in every free-text field of at most `max`).
fn plain_text(max: usize) -> BoxedStrategy<String> {
    (1..=max, any::<u64>()).prop_map(|(len, seed)| text(&mut Mix(seed), len, plain_char)).boxed()
}

/// A text value for a field of at most `max` characters: short, at the boundary, or anything.
fn text_near(max: usize) -> BoxedStrategy<String> {
    prop_oneof![
        3 => plain_text(8.min(max)),
        2 => boundary_string(max),
        1 => arb_string(12),
    ]
    .boxed()
}

const NUMBER_TEXTS: &[&str] = &[
    "0", "-0", "1", "-1", "36", "37", "1000", "1004", "1.5", "0.5", "1e3", "1E+2", "1e-2", "10.0", "-0.0", "0.000",
    "9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740991", "9007199254740991.0",
    "90071992547409910e-1", "2147483647", "2147483648", "4294967296", "18446744073709551615", "18446744073709551616",
    "1e21", "1e308", "5e-324", "0e999999999999999999999", "1e-999999999999999999999", "12345678901234567890123",
    "0.000e-99999999999999999999", "-0.00e-9223372036854775807", "0.0e-9223372036854775808", "100e-9223372036854775807",
];

/// JSON number texts: small and boundary integers, negatives, fractions, exponents (huge ones
/// too), random integers and floats.
fn arb_number() -> BoxedStrategy<Number> {
    any::<u64>().prop_map(|seed| gen_number(&mut Mix(seed))).boxed()
}

fn gen_number(m: &mut Mix) -> Number {
    let text = match m.below(12) {
        0..=3 => m.below(41).to_string(),
        4 | 5 => m.pick(NUMBER_TEXTS).to_owned(),
        6 => m.next().to_string(),
        7 => (m.next() as i64).to_string(),
        8 => {
            let f = f64::from_bits(m.next());
            if f.is_finite() { f.to_string() } else { String::from("0") }
        }
        _ => {
            // -?(0|[1-9][0-9]{0,18})(\.[0-9]{1,6})?([eE][+-]?[0-9]{1,22})?
            let digit = |m: &mut Mix| char::from(b'0' + m.below(10) as u8);
            let mut t = String::new();
            if m.below(3) == 0 {
                t.push('-');
            }
            if m.below(3) == 0 {
                t.push('0');
            } else {
                t.push(char::from(b'1' + m.below(9) as u8));
                for _ in 0..m.below(19) {
                    t.push(digit(m));
                }
            }
            if m.below(2) == 0 {
                t.push('.');
                let zeros = m.below(4) == 0;
                for _ in 0..=m.below(6) {
                    t.push(if zeros { '0' } else { digit(m) });
                }
            }
            if m.below(2) == 0 {
                t.push(m.pick(&['e', 'E']));
                match m.below(3) {
                    0 => t.push('+'),
                    1 => t.push('-'),
                    _ => {}
                }
                for _ in 0..=m.below(22) {
                    t.push(digit(m));
                }
            }
            t
        }
    };
    Number::from_json_text(&text).unwrap_or_else(|| panic!("generator: {text:?} is not a JSON number"))
}

const UNSUPPORTED: &[Unsupported] = &[
    Unsupported::Undefined,
    Unsupported::BigInt,
    Unsupported::Symbol,
    Unsupported::Function,
    Unsupported::NonFinite,
    Unsupported::NonPlainObject,
    Unsupported::InvalidUnicode,
    Unsupported::Unreadable,
    Unsupported::TooLarge,
];

const ODD_KEYS: &[&str] = &["", "__proto__", "constructor", "from", "to", "card_quota", "\u{0}iamport-billing"];

fn gen_key(m: &mut Mix) -> String {
    match m.below(7) {
        0..=2 => (0..=m.below(8)).map(|_| if m.below(6) == 0 { '_' } else { char::from(b'a' + m.below(26) as u8) }).collect(),
        3 | 4 => m.pick(KNOWN).to_owned(),
        5 => m.pick(ODD_KEYS).to_owned(),
        _ => (0..m.below(7)).map(|_| any_char(m)).collect(),
    }
}

fn arb_key() -> BoxedStrategy<String> {
    any::<u64>().prop_map(|seed| gen_key(&mut Mix(seed))).boxed()
}

fn gen_leaf(m: &mut Mix) -> Value {
    match m.below(15) {
        0 | 1 => Value::Null,
        2 | 3 => Value::Bool(m.below(2) == 0),
        4..=7 => Value::Number(gen_number(m)),
        8..=11 => Value::String((0..m.below(17)).map(|_| any_char(m)).collect()),
        12 => Value::String(String::new()),
        _ => Value::Unsupported(m.pick(UNSUPPORTED)),
    }
}

/// A value of at most `budget` nodes, nested at most 3 deep.
fn gen_value(m: &mut Mix, budget: &mut usize, depth: usize) -> Value {
    if *budget == 0 || depth >= 3 || m.below(3) != 0 {
        *budget = budget.saturating_sub(1);
        return gen_leaf(m);
    }
    *budget -= 1;
    let len = m.below(5);
    if m.below(2) == 0 {
        Value::Array((0..len).map(|_| gen_value(m, budget, depth + 1)).collect())
    } else {
        Value::Object((0..len).map(|_| (gen_key(m), gen_value(m, budget, depth + 1))).collect())
    }
}

fn leaf() -> BoxedStrategy<Value> {
    any::<u64>().prop_map(|seed| gen_leaf(&mut Mix(seed))).boxed()
}

/// Any JSON-like value, nested up to 3 levels; the size shrinks toward a single leaf.
fn arb_value() -> BoxedStrategy<Value> {
    (0usize..=24, any::<u64>()).prop_map(|(mut budget, seed)| gen_value(&mut Mix(seed), &mut budget, 0)).boxed()
}

/// A JSON value with nothing JSON cannot carry in it (what `custom_data` may hold).
fn arb_json_value() -> BoxedStrategy<Value> {
    arb_value().prop_map(strip_unsupported).boxed()
}

fn strip_unsupported(v: Value) -> Value {
    match v {
        Value::Unsupported(_) => Value::Null,
        Value::Array(items) => Value::Array(items.into_iter().map(strip_unsupported).collect()),
        Value::Object(pairs) => Value::Object(pairs.into_iter().map(|(k, v)| (k, strip_unsupported(v))).collect()),
        other => other,
    }
}

/// A value that counts as absent for a string field (`undefined`, `null`, `''`).
fn arb_absent() -> BoxedStrategy<Value> {
    prop::sample::select(vec![Value::Null, Value::Unsupported(Unsupported::Undefined), Value::String(String::new())]).boxed()
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn n(v: u64) -> Value {
    Value::Number(Number::from(v))
}

const URL_SCHEMES: &[&str] = &["https://", "http://", "HTTPS://", "Http://", "ftp://", "http:/", "//", "", "javascript:", "https:"];
const URL_HOSTS: &[&str] = &[
    "shop.example", "a", "127.0.0.1", "[::1]", "shop.example:8443", "user@shop.example", "user:pw@shop.example", "",
    "@x", ":80", "user@", "user@:80", "a b", "가나.kr", "sh\u{0}op", "[", "a:b", "xn--9n2bp8q.kr", "a:",
];
const URL_PATHS: &[&str] = &["", "/", "/done", "/done?x=1", "/p?q=1#f", "?a", "#f", "/ x", "/\u{1}", "/가", "/%20"];

/// A valid absolute http(s) URL.
fn valid_url() -> BoxedStrategy<String> {
    (prop::sample::select(vec!["https://", "http://", "HTTPS://"]), prop::sample::select(vec!["shop.example", "127.0.0.1", "[::1]", "shop.example:8443", "가나.kr", "user@a.example"]), prop::sample::select(vec!["", "/", "/done", "/done?x=1&y=가", "/p#f"]))
        .prop_map(|(a, b, c)| format!("{a}{b}{c}"))
        .boxed()
}

fn arb_url() -> BoxedStrategy<String> {
    prop_oneof![
        8 => any::<u64>().prop_map(|seed| {
            let m = &mut Mix(seed);
            format!("{}{}{}", m.pick(URL_SCHEMES), m.pick(URL_HOSTS), m.pick(URL_PATHS))
        }),
        2 => valid_url(),
        1 => (2046usize..=2050).prop_map(|len| format!("https://a.example/{}", "x".repeat(len - 18))),
        1 => arb_string(20),
    ]
    .boxed()
}

fn arb_date() -> BoxedStrategy<String> {
    prop_oneof![
        6 => (1899u32..=2101, 0u32..=13, 0u32..=32).prop_map(|(y, m, d)| format!("{y:04}{m:02}{d:02}")),
        1 => prop::sample::select(vec!["20240229", "20230229", "21000229", "20000229", "19000228", "2026011", "202601011", "2026-1-1", "１２３４５６７８", "00010101"]).prop_map(str::to_owned),
    ]
    .boxed()
}

/// 1–19 characters of `0-9 +-()` and a digit.
fn valid_tel() -> BoxedStrategy<String> {
    (0usize..=19, any::<u64>())
        .prop_map(|(len, seed)| {
            let m = &mut Mix(seed);
            let mut t: String = (0..len).map(|_| m.pick(&['0', '1', '9', ' ', '+', '-', '(', ')'])).collect();
            t.insert(m.below(t.len() + 1), char::from(b'0' + m.below(10) as u8));
            t
        })
        .boxed()
}

fn arb_tel() -> BoxedStrategy<String> {
    prop_oneof![
        3 => valid_tel(),
        2 => (0usize..=22, any::<u64>()).prop_map(|(len, seed)| {
            let m = &mut Mix(seed);
            (0..len).map(|_| m.pick(&['0', '5', ' ', '+', '-', '(', ')', 'a', '.', '０', '\n'])).collect()
        }),
        1 => prop::sample::select(vec!["010", "02-1234-1234", "+82 (10) 1234-5678", "+-()", "00000000000000000000", "000000000000000000000", "010a", "０１０", "010\n"]).prop_map(str::to_owned),
        1 => arb_string(8),
    ]
    .boxed()
}

fn valid_email() -> BoxedStrategy<String> {
    (plain_text(20), plain_text(20), prop::sample::select(vec!["", ".kr", ".example"]))
        .prop_map(|(a, b, c)| format!("{a}@{b}{c}"))
        .prop_filter("≤ 64", |e| e.chars().count() <= 64)
        .boxed()
}

fn arb_email() -> BoxedStrategy<String> {
    prop_oneof![
        2 => valid_email(),
        3 => any::<u64>().prop_map(|seed| {
            let m = &mut Mix(seed);
            let part = |m: &mut Mix| -> String { (0..m.below(5)).map(|_| m.pick(&['a', '.', '+', '가', '\u{1}'])).collect() };
            let (a, b) = (part(m), part(m));
            format!("{a}{}{b}", m.pick(&["@", "@@", "", " @", "@ ", "@\u{a0}"]))
        }),
        1 => (58usize..=61).prop_map(|n| format!("{}@b.kr", "a".repeat(n))),
        1 => arb_string(10),
    ]
    .boxed()
}

const PGS: &[&str] = &[
    "danal_tpay", "danal_tpay.", "danal_tpay.A010002002", "danal_tpay.a_b-C", "DANAL_TPAY", "danal", "html5_inicis",
    "danal_tpay.a b", "danal_tpay.가", "danal_tpay..x", "danal_tpayx", "danal_tpay.x\u{0}",
];

fn arb_pg() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(PGS.to_vec()).prop_map(str::to_owned),
        1 => any::<u64>().prop_map(|seed| {
            let m = &mut Mix(seed);
            let cpid: String = (0..m.below(6)).map(|_| m.pick(&['A', 'z', '0', '_', '-', '.', ' '])).collect();
            format!("danal_tpay.{cpid}")
        }),
        1 => arb_string(12),
    ]
    .boxed()
}

/// A value that satisfies the table for `key` (as read from the table).
fn valid(key: &'static str) -> BoxedStrategy<Value> {
    let text = |max: usize| plain_text(max).prop_map(Value::String).boxed();
    match key {
        "customer_uid" => text(80),
        "amount" => prop_oneof![3 => (0u64..=2000).prop_map(n), 1 => (0..=MAX_SAFE).prop_map(n)].boxed(),
        "pay_method" => Just(s("card")).boxed(),
        "pg" => prop::sample::select(vec!["danal_tpay", "danal_tpay.A010002002", "danal_tpay.a_b-C"]).prop_map(s).boxed(),
        "channelKey" => text(200),
        "merchant_uid" | "name" | "buyer_name" | "company" => text(40),
        "buyer_tel" => valid_tel().prop_map(Value::String).boxed(),
        "buyer_email" => valid_email().prop_map(Value::String).boxed(),
        "buyer_addr" => text(128),
        "buyer_postcode" => text(10),
        "customer_id" => text(80),
        "m_redirect_url" | "confirm_url" => valid_url().prop_map(Value::String).boxed(),
        "notice_url" => prop_oneof![
            valid_url().prop_map(Value::String),
            prop::collection::vec(valid_url().prop_map(Value::String), 1..3).prop_map(Value::Array),
        ]
        .boxed(),
        "custom_data" => arb_json_value().prop_filter("present", |v| !is_nullish(v)).boxed(),
        "language" => prop::sample::select(vec!["ko", "en", "zh"]).prop_map(s).boxed(),
        "currency" => Just(s("KRW")).boxed(),
        "popup" => any::<bool>().prop_map(Value::Bool).boxed(),
        "period" => (1900u32..=2100, 1u32..=12, 1u32..=28, 0u32..=400)
            .prop_map(|(y, m, d, days)| {
                let from = format!("{y:04}{m:02}{d:02}");
                let to = format!("{:04}{m:02}{d:02}", y + days / 100);
                Value::object([("from", s(&from)), ("to", s(&to))])
            })
            .boxed(),
        "display" => prop::collection::vec((0u64..=36).prop_map(n), 0..5).prop_map(|q| Value::object([("card_quota", Value::Array(q))])).boxed(),
        "tax_free" => Just(n(0)).boxed(),
        "app_scheme" => text(200),
        "card" | "bypass" => prop::collection::vec((arb_key(), arb_json_value()), 0..3).prop_map(Value::Object).boxed(),
        _ => Just(Value::Null).boxed(),
    }
}

/// A value for `key` biased toward the field's boundaries: mostly near-valid, sometimes absent,
/// sometimes anything at all.
fn near(key: &'static str) -> BoxedStrategy<Value> {
    let typed: BoxedStrategy<Value> = match key {
        "customer_uid" => prop_oneof![
            4 => text_near(80).prop_map(Value::String),
            1 => (prop::sample::select(vec![" ", "\t", "\u{3000}", "\u{a0}", "\u{feff}", "\u{85}", "\u{2028}"]), any::<bool>())
                .prop_map(|(w, front)| if front { s(&format!("{w}c")) } else { s(&format!("c{w}")) }),
        ]
        .boxed(),
        "amount" | "tax_free" => prop_oneof![
            6 => arb_number().prop_map(Value::Number),
            1 => prop::sample::select(vec!["1000", "0", "", "1e3"]).prop_map(s),
        ]
        .boxed(),
        "pay_method" => prop::sample::select(vec!["card", "Card", "vbank", "trans", "card "]).prop_map(s).boxed(),
        "pg" => arb_pg().prop_map(Value::String).boxed(),
        "channelKey" => prop_oneof![3 => plain_text(20).prop_map(Value::String), 1 => boundary_string(200).prop_map(Value::String), 1 => arb_string(8).prop_map(Value::String)].boxed(),
        "merchant_uid" | "name" | "buyer_name" | "company" => text_near(40).prop_map(Value::String).boxed(),
        "buyer_tel" => arb_tel().prop_map(Value::String).boxed(),
        "buyer_email" => arb_email().prop_map(Value::String).boxed(),
        "buyer_addr" => text_near(128).prop_map(Value::String).boxed(),
        "buyer_postcode" => text_near(10).prop_map(Value::String).boxed(),
        "customer_id" => text_near(80).prop_map(Value::String).boxed(),
        "m_redirect_url" | "confirm_url" => arb_url().prop_map(Value::String).boxed(),
        "notice_url" => prop_oneof![
            2 => arb_url().prop_map(Value::String),
            2 => prop::collection::vec(prop_oneof![6 => arb_url().prop_map(Value::String), 1 => leaf()], 0..4).prop_map(Value::Array),
        ]
        .boxed(),
        "custom_data" => arb_value(),
        "language" => prop::sample::select(vec!["ko", "en", "zh", "KO", "jp", "ko-KR"]).prop_map(s).boxed(),
        "currency" => prop::sample::select(vec!["KRW", "krw", "USD", "KRW "]).prop_map(s).boxed(),
        "popup" => prop_oneof![3 => any::<bool>().prop_map(Value::Bool), 1 => leaf()].boxed(),
        "period" => (
            prop::option::weighted(0.9, prop_oneof![6 => arb_date().prop_map(Value::String), 1 => leaf()]),
            prop::option::weighted(0.9, prop_oneof![6 => arb_date().prop_map(Value::String), 1 => leaf()]),
            prop::option::weighted(0.1, (arb_key(), leaf())),
            any::<bool>(),
        )
            .prop_map(|(from, to, extra, swap)| {
                let mut pairs = Vec::new();
                if let Some(v) = from {
                    pairs.push((String::from("from"), v));
                }
                if let Some(v) = to {
                    pairs.push((String::from("to"), v));
                }
                if swap {
                    pairs.reverse();
                }
                pairs.extend(extra);
                Value::Object(pairs)
            })
            .boxed(),
        "display" => (
            prop::option::weighted(
                0.9,
                prop_oneof![
                    6 => prop::collection::vec(prop_oneof![8 => (0u64..=40).prop_map(n), 1 => arb_number().prop_map(Value::Number), 1 => leaf()], 0..6).prop_map(Value::Array),
                    1 => arb_absent(),
                    1 => leaf(),
                ],
            ),
            prop::option::weighted(0.1, (arb_key(), leaf())),
        )
            .prop_map(|(quota, extra)| {
                let mut pairs = Vec::new();
                if let Some(v) = quota {
                    pairs.push((String::from("card_quota"), v));
                }
                pairs.extend(extra);
                Value::Object(pairs)
            })
            .boxed(),
        "app_scheme" => text_near(200).prop_map(Value::String).boxed(),
        "card" | "bypass" => prop_oneof![3 => prop::collection::vec((arb_key(), arb_value()), 0..4).prop_map(Value::Object), 1 => leaf()].boxed(),
        _ => arb_value(),
    };
    prop_oneof![
        8 => typed,
        1 => arb_absent(),
        1 => leaf(),
    ]
    .boxed()
}

const UNKNOWN_KEYS: &[&str] = &[
    "imp_key", "imp_secret", "api_key", "secret", "access_token", "IMP_KEY", "apiKey", "access-token", "Secret",
    "rest_api_key", "__proto__", "constructor", "", "customerUid", "AMOUNT", "buyer tel", "custom_data ", "toString",
];

/// A key that is not a known field: typos (edit distance 1), secrets, prototype keys, junk.
fn arb_unknown_key() -> BoxedStrategy<String> {
    any::<u64>()
        .prop_map(|seed| {
            let m = &mut Mix(seed);
            match m.below(7) {
                0..=2 => {
                    let mut chars: Vec<char> = m.pick(KNOWN).chars().collect();
                    let i = m.below(chars.len());
                    let c = char::from(b'a' + m.below(26) as u8);
                    match m.below(3) {
                        0 => {
                            chars.remove(i);
                        }
                        1 => chars.insert(i, c),
                        _ => chars[i] = c,
                    }
                    chars.into_iter().collect()
                }
                3 | 4 => m.pick(UNKNOWN_KEYS).to_owned(),
                5 => (0..9 + m.below(62)).map(|_| char::from(b'a' + m.below(26) as u8)).collect(),
                _ => (0..m.below(8)).map(|_| any_char(m)).collect(),
            }
        })
        .boxed()
}

/// Valid params: the required fields and a few optional ones, all valid, in a random order.
fn valid_params() -> BoxedStrategy<Vec<(String, Value)>> {
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = KNOWN
        .iter()
        .map(|&key| {
            let v = valid(key).prop_map(move |v| (key.to_owned(), v));
            match key {
                "customer_uid" | "amount" | "buyer_tel" => v.prop_map(Some).boxed(),
                // pg and channelKey exclude each other: channelKey only now and then, pg otherwise.
                "channelKey" => prop::option::weighted(0.05, v).boxed(),
                _ => prop::option::weighted(0.15, v).boxed(),
            }
        })
        .collect();
    fields
        .prop_map(|fields| {
            let mut pairs: Vec<(String, Value)> = fields.into_iter().flatten().collect();
            if pairs.iter().any(|(k, _)| k == "channelKey") {
                pairs.retain(|(k, _)| k != "pg");
            }
            pairs
        })
        .boxed()
}

/// Near-valid params: valid ones with one to three fields changed (a near-valid value, an absent
/// value, or anything), sometimes an unknown key, sometimes a repeated key; in a random order.
fn arb_params() -> BoxedStrategy<Value> {
    let change = prop::sample::select(KNOWN.to_vec()).prop_flat_map(|key| near(key).prop_map(move |v| (key.to_owned(), v)));
    (
        valid_params(),
        prop::collection::vec(change, 0..=3),
        prop::option::weighted(0.1, (arb_unknown_key(), leaf())),
        prop::option::weighted(0.05, any::<prop::sample::Index>()),
        any::<u64>(),
    )
        .prop_map(|(mut pairs, changes, unknown, dup, seed)| {
            for (k, v) in changes {
                match pairs.iter_mut().find(|(pk, _)| *pk == k) {
                    Some(slot) => slot.1 = v,
                    None => pairs.push((k, v)),
                }
            }
            pairs.extend(unknown);
            if let (Some(at), false) = (dup, pairs.is_empty()) {
                // A repeated key (JSON text can carry it; JavaScript objects cannot): last wins.
                let (k, _) = pairs[at.index(pairs.len())].clone();
                pairs.push((k, Value::Null));
            }
            // Shuffle (Fisher-Yates).
            let m = &mut Mix(seed);
            for i in (1..pairs.len()).rev() {
                pairs.swap(i, m.below(i + 1));
            }
            Value::Object(pairs)
        })
        .boxed()
}

/// Params: mostly near-valid objects, sometimes exactly valid ones, sometimes anything at all.
fn arb_any_params() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => arb_params(),
        3 => valid_params().prop_map(Value::Object),
        1 => arb_value(),
    ]
    .boxed()
}

// The independent reference validator is in tests/reference/params.rs.
#[path = "reference/params.rs"]
mod reference;
use reference::*;

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// Statistics of the params property (printed, so a change in the generator's balance shows).
#[derive(Default)]
struct Stats {
    ok: std::cell::Cell<u32>,
    err: std::cell::Cell<u32>,
}

#[test]
fn params_core() {
    let stats = Stats::default();
    fuzz("params", 70_000, arb_any_params(), |params| {
        let got = BillingKeyRequest::from_value(&params);
        let problems = reference_problems(&params);
        match got {
            Ok(req) => {
                stats.ok.set(stats.ok.get() + 1);
                check!(problems.is_empty(), "accepted, but the table says {problems:?} are invalid");
                let generated = "billing_generated0000000001";
                let merchant_uid = req.merchant_uid().unwrap_or(generated).to_owned();
                let given = match present(&params, "merchant_uid") {
                    Some(Value::String(m)) => m.clone(),
                    _ => generated.to_owned(),
                };
                check!(merchant_uid == given, "merchant_uid() {merchant_uid:?} is not the one given ({given:?})");
                check!(
                    Some(req.customer_uid()) == present(&params, "customer_uid").and_then(Value::as_str),
                    "customer_uid() differs from the input"
                );
                check!(Some(req.amount().get()) == present(&params, "amount").and_then(safe_int), "amount() differs");
                check!(
                    req.m_redirect_url() == present(&params, "m_redirect_url").and_then(Value::as_str),
                    "m_redirect_url() differs"
                );
                let out = req.to_imp_value(&merchant_uid);
                if let Err(why) = check_imp_object(&params, &out, &merchant_uid) {
                    return Err(TestCaseError::fail(format!("{why}\n  sent: {}", json::to_string(&out))));
                }
            }
            Err(e) => {
                stats.err.set(stats.err.get() + 1);
                let (field, _) = check_invalid_param(&e).map_err(TestCaseError::fail)?;
                check!(!problems.is_empty(), "rejected ({field}: {}) but the table accepts it", e.message());
                check!(problems.contains(&field), "rejected on {field:?}, but the invalid fields are {problems:?}");
            }
        }
        Ok(())
    });
    let (ok, err) = (stats.ok.get(), stats.err.get());
    println!("fuzz params: {ok} accepted, {err} rejected");
    assert!(ok * 10 >= ok + err, "the generator must produce enough valid params to test the output ({ok}/{})", ok + err);
}

fn arb_options() -> BoxedStrategy<Value> {
    let timeout = prop_oneof![
        4 => prop::sample::select(vec![1u64, 2, 30, 10_000, 2_147_483_647, 2_147_483_648, 0, 4_294_967_296]).prop_map(n),
        3 => arb_number().prop_map(Value::Number),
        1 => arb_absent(),
        1 => arb_value(),
    ];
    let code = prop_oneof![
        4 => "imp[0-9]{8}".prop_map(Value::String),
        2 => prop::sample::select(vec!["imp1234567", "imp123456789", "IMP12345678", "imp1234567a", "imp１２３４５６７８", " imp12345678", "imp12345678\n"]).prop_map(s),
        1 => arb_absent(),
        1 => arb_value(),
    ];
    let src = prop_oneof![
        3 => arb_url().prop_map(Value::String),
        1 => prop::sample::select(vec![
            "/iamport.js", "data:text/javascript,window.IMP={}", "./a b.js", "iamport.js", "//cdn.iamport.kr/v1/iamport.js",
            "\\\\x.example/a.js", "blob:https://x.example/1", "javascript:void 0", "http://localhost:8080/s.js",
            "http://127.0.0.1/s.js", "http://[::1]/s.js", "http://127.0.0.1.x.example/s.js", "http://cdn.iamport.kr/v1/iamport.js",
        ]).prop_map(s),
        1 => arb_absent(),
        1 => arb_value(),
    ];
    let keyed = (
        prop::option::weighted(0.7, timeout.prop_map(|v| (String::from("timeoutMs"), v))),
        prop::option::weighted(0.5, code.prop_map(|v| (String::from("merchantCode"), v))),
        prop::option::weighted(0.5, src.prop_map(|v| (String::from("src"), v))),
        prop::option::weighted(0.1, (prop_oneof![arb_unknown_key(), Just(String::from("timeout")), Just(String::from("merchant_code"))], arb_value())),
    )
        .prop_flat_map(|(a, b, c, d)| Just([a, b, c, d].into_iter().flatten().collect::<Vec<_>>()).prop_shuffle())
        .prop_map(Value::Object);
    prop_oneof![8 => keyed, 1 => arb_absent(), 1 => arb_value()].boxed()
}

/// Options parsed by the crate against the reference: both accept (and `same` agrees), or both
/// reject and the crate names a field the reference also finds invalid.
fn compare_options<O: std::fmt::Debug, R>(
    got: Result<O, iamport_billing::Error>,
    reference: Result<R, Vec<String>>,
    same: impl Fn(&O, &R) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    match (got, reference) {
        (Ok(o), Ok(r)) => same(&o, &r)?,
        (Ok(o), Err(bad)) => check!(false, "accepted ({o:?}) but {bad:?} are invalid"),
        (Err(e), Ok(_)) => check!(false, "rejected valid options: {e:?}"),
        (Err(e), Err(bad)) => {
            let (field, _) = check_invalid_param(&e).map_err(TestCaseError::fail)?;
            check!(bad.contains(&field), "rejected on {field:?}, expected one of {bad:?}");
        }
    }
    Ok(())
}

fn timeout_ok(v: &Value) -> Option<u32> {
    // Any positive safe integer; capped at the browser timer limit 2³¹ − 1.
    safe_int(v).filter(|t| *t >= 1).map(|t| t.min(2_147_483_647) as u32)
}

#[test]
fn request_options() {
    fuzz("request options", 12_000, arb_options(), |v| {
        // Reference: undefined/null → defaults; an object whose only key is timeoutMs (every
        // occurrence valid or nullish; the last one counts); anything else names a field.
        let reference: Result<Option<u32>, Vec<String>> = match &v {
            v if is_nullish(v) => Ok(None),
            Value::Object(pairs) => {
                let mut bad = Vec::new();
                let mut t = None;
                for (k, x) in pairs {
                    match k.as_str() {
                        "timeoutMs" if is_nullish(x) => {}
                        "timeoutMs" => match timeout_ok(x) {
                            Some(ms) => t = Some(ms),
                            None => bad.push(String::from("timeoutMs")),
                        },
                        other => bad.push(shown(other)),
                    }
                }
                if bad.is_empty() { Ok(t) } else { Err(bad) }
            }
            _ => Err(vec![String::from("options")]),
        };
        compare_options(RequestOptions::from_value(&v), reference, |o, t| {
            check!(o.timeout_ms == *t, "timeout_ms {:?}, expected {t:?}", o.timeout_ms);
            Ok(())
        })
    });
}

#[test]
fn load_options() {
    fuzz("load options", 12_000, arb_options(), |v| {
        // '' is "not given" for src and timeoutMs; an empty merchantCode is a mistake (an empty
        // form field) and is checked.
        let absent = |k: &str, x: &Value| is_nullish(x) || (k != "merchantCode" && matches!(x, Value::String(s) if s.is_empty()));
        let reference: Result<(String, Option<String>, u32), Vec<String>> = match &v {
            v if is_nullish(v) => Ok((String::from("https://cdn.iamport.kr/v1/iamport.js"), None, 10_000)),
            Value::Object(pairs) => {
                let mut bad = Vec::new();
                let (mut src, mut code, mut t) = (String::from("https://cdn.iamport.kr/v1/iamport.js"), None, 10_000);
                for (k, x) in pairs {
                    match k.as_str() {
                        "src" | "merchantCode" | "timeoutMs" if absent(k, x) => {}
                        "src" => match x {
                            Value::String(u) if script_src_ok(u) => src = u.clone(),
                            _ => bad.push(String::from("src")),
                        },
                        "merchantCode" => match x {
                            Value::String(c) if c.len() == 11 && c.starts_with("imp") && c[3..].bytes().all(|b| b.is_ascii_digit()) => code = Some(c.clone()),
                            _ => bad.push(String::from("merchantCode")),
                        },
                        "timeoutMs" => match timeout_ok(x) {
                            Some(ms) => t = ms,
                            None => bad.push(String::from("timeoutMs")),
                        },
                        other => bad.push(shown(other)),
                    }
                }
                if bad.is_empty() { Ok((src, code, t)) } else { Err(bad) }
            }
            _ => Err(vec![String::from("options")]),
        };
        compare_options(LoadOptions::from_value(&v), reference, |o, (src, code, t)| {
            check!(o.src == *src && o.merchant_code == *code && o.timeout_ms == *t, "got {o:?}, expected {:?}", (src, code, t));
            Ok(())
        })
    });
}

/// Callback values: anything, and objects built from the keys the success rule and the typed
/// result read, with random-typed values.
fn arb_response() -> BoxedStrategy<Value> {
    let keys = vec![
        "success", "imp_success", "imp_uid", "merchant_uid", "error_code", "error_msg", "pay_method", "paid_amount",
        "status", "name", "pg_provider", "pg_tid", "pg_type", "currency", "card_name", "card_number", "card_quota",
        "apply_num", "paid_at", "receipt_url", "buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode",
        "custom_data", "customer_uid", "amount",
    ];
    let val = prop_oneof![
        3 => prop::sample::select(vec![
            Value::Bool(true), Value::Bool(false), s("true"), s("false"), s(""), s("imps_123456789012"), s("F400"),
            s("paid"), s("ready"), s("failed"), s("cancelled"), s("PAID"), s("결제 취소"), n(0), n(1004),
        ]),
        2 => arb_value(),
    ];
    let obj = prop::collection::vec((prop::sample::select(keys).prop_map(str::to_owned), val), 0..10).prop_map(Value::Object);
    prop_oneof![6 => obj, 1 => arb_value()].boxed()
}

fn arb_context() -> BoxedStrategy<RequestContext> {
    (text_near(40), text_near(80), 0u64..=MAX_SAFE)
        .prop_map(|(m, c, a)| RequestContext { merchant_uid: m, customer_uid: c, amount: Amount::new(a).unwrap_or(Amount::ZERO) })
        .boxed()
}

/// The success rule, written from the table: failure if `error_code` is a non-empty string or
/// `success`/`imp_success` is `false`/`"false"`; else success iff `imp_uid` is a non-empty string.
fn reference_success(r: &Value) -> bool {
    let non_empty = |k: &str| matches!(lookup(r, k), Some(Value::String(s)) if !s.is_empty());
    let is_false = |k: &str| matches!(lookup(r, k), Some(Value::Bool(false))) || matches!(lookup(r, k), Some(Value::String(s)) if s == "false");
    !(non_empty("error_code") || is_false("success") || is_false("imp_success")) && non_empty("imp_uid")
}

#[test]
fn callback_responses() {
    fuzz("responses", 30_000, (arb_response(), arb_context()), |(raw, ctx)| {
        let result = decode_response(raw.clone(), &ctx);
        let str_at = |k: &str| match lookup(&raw, k) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        check!(result.raw() == &raw, "raw must be the value as received");
        check!(result.customer_uid() == ctx.customer_uid, "customer_uid comes from the request");
        let merchant_uid = str_at("merchant_uid").unwrap_or_else(|| ctx.merchant_uid.clone());
        match (&raw, result) {
            (Value::Object(_), BillingKeyResult::Success(ok)) => {
                check!(reference_success(&raw), "judged a success against the rule");
                check!(!ok.imp_uid.is_empty() && Some(&ok.imp_uid) == str_at("imp_uid").as_ref(), "imp_uid");
                check!(ok.merchant_uid == merchant_uid && ok.amount == ctx.amount, "merchant_uid / amount");
                let int_at = |k: &str| lookup(&raw, k).and_then(safe_int);
                check!(ok.paid_amount == int_at("paid_amount") && ok.paid_at == int_at("paid_at") && ok.card_quota == int_at("card_quota"), "numbers are typed only when safe integers");
                check!(ok.status.map(|s| s.as_str().to_owned()) == str_at("status").filter(|s| ["ready", "paid", "failed", "cancelled"].contains(&s.as_str())), "status");
                for (got, k) in [(&ok.pay_method, "pay_method"), (&ok.card_name, "card_name"), (&ok.buyer_tel, "buyer_tel"), (&ok.pg_provider, "pg_provider")] {
                    check!(*got == str_at(k), "{k}");
                }
                if let Some(data) = &ok.custom_data {
                    let mut paths = Vec::new();
                    unsupported_paths(data, "custom_data", &mut paths);
                    check!(paths.is_empty() && !is_nullish(data) && Some(data) == lookup(&raw, "custom_data"), "custom_data must be JSON, as reported");
                }
            }
            (Value::Object(_), BillingKeyResult::Failure(no)) => {
                check!(!reference_success(&raw), "judged a failure against the rule");
                check!(no.merchant_uid == merchant_uid && no.amount == ctx.amount, "merchant_uid / amount");
                check!(no.error_code == str_at("error_code"), "error_code as reported");
                check!(no.imp_uid == str_at("imp_uid"), "imp_uid as reported");
                check!(!no.error_msg.is_empty(), "error_msg is never empty");
                if let Some(m) = str_at("error_msg") {
                    check!(no.error_msg == m, "error_msg as reported");
                }
            }
            (_, BillingKeyResult::Success(_)) => check!(false, "a non-object response must not be a success"),
            (_, BillingKeyResult::Failure(no)) => {
                check!(no.error_code.as_deref() == Some("MALFORMED_RESPONSE"), "MALFORMED_RESPONSE");
                check!(no.imp_uid.is_none() && no.merchant_uid == ctx.merchant_uid && !no.error_msg.is_empty(), "failure fields");
            }
        }
        Ok(())
    });
}

/// Mutations of valid JSON texts (and of the params' own JSON): byte flips, cuts, insertions.
fn arb_json_text() -> BoxedStrategy<String> {
    let seeds = prop_oneof![
        3 => arb_value().prop_map(|v| json::to_string(&v)),
        1 => arb_params().prop_map(|v| json::to_string(&v)),
        1 => prop::sample::select(vec![
            r#"{"a":"\ud83d\ude00","b":"\ud800","c":"\udc00x","d":"\ud83d\u0041"}"#, r#"[1e999999999999999999, -0.0e-99999999999999999999]"#,
            r#"{"\u0000iamport-billing":"bigint"}"#, r#"{"\u0000iamport-billing":"nope"}"#, "\"\\u00zz\"", "[[[[[[[[", "]]]]", "{\"a\":}", "\u{feff}{}",
        ]).prop_map(str::to_owned),
    ];
    let mutation = prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, prop::sample::select(vec!['"', '\\', '{', '}', '[', ']', ',', ':', 'u', '0', 'e', '-', '.', ' ', 'n', '\u{1}', '가'])), 0..4);
    prop_oneof![
        4 => (seeds, mutation).prop_map(|(text, muts)| {
            let mut chars: Vec<char> = text.chars().collect();
            for (at, op, c) in muts {
                let i = at.index(chars.len() + 1);
                match op {
                    0 => chars.insert(i, c),
                    1 if i < chars.len() => { chars.remove(i); }
                    2 if i < chars.len() => chars[i] = c,
                    _ => chars.truncate(i),
                }
            }
            chars.into_iter().collect()
        }),
        1 => arb_string(40),
        1 => (1usize..200, prop::sample::select(vec!["[", "{\"a\":"])).prop_map(|(depth, open)| {
            let close = if open == "[" { "]" } else { "}" };
            format!("{}1{}", open.repeat(depth), close.repeat(depth))
        }),
    ]
    .boxed()
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(pairs) => 1 + pairs.iter().map(|(_, x)| depth(x)).max().unwrap_or(0),
        _ => 0,
    }
}

#[test]
fn json_text() {
    fuzz("json::parse", 15_000, arb_json_text(), |text| {
        if let Ok(v) = json::parse(&text) {
            // Whatever parses writes back to text that parses to the same value, unless it holds a
            // marker for what JSON cannot carry (written as null by design).
            let mut paths = Vec::new();
            unsupported_paths(&v, "$", &mut paths);
            check!(depth(&v) <= json::MAX_DEPTH + 1, "nesting beyond MAX_DEPTH must become TooLarge");
            if paths.is_empty() {
                let again = json::to_string(&v);
                check!(json::parse(&again).as_ref() == Ok(&v), "round trip changed the value: {again}");
            }
            // Every Value the core accepts as params goes through without a panic.
            let _ = BillingKeyRequest::from_value(&v);
            let _ = RequestOptions::from_value(&v);
            let _ = LoadOptions::from_value(&v);
        }
        Ok(())
    });
    // Values → text → value.
    fuzz("json round trip", 8_000, arb_value(), |v| {
        let mut paths = Vec::new();
        unsupported_paths(&v, "$", &mut paths);
        let text = json::to_string(&v);
        let back = json::parse(&text).map_err(|_| TestCaseError::fail(format!("own output is not JSON: {text}")))?;
        let has_marker_key = text.contains("\\u0000iamport-billing");
        if paths.is_empty() && !has_marker_key {
            check!(back == v, "round trip changed the value: {text}");
        }
        Ok(())
    });
}

fn arb_query() -> BoxedStrategy<String> {
    let key = prop_oneof![
        4 => prop::sample::select(vec!["imp_uid", "merchant_uid", "imp_success", "success", "error_code", "error_msg", "x"]).prop_map(str::to_owned),
        1 => "[a-z_%+]{0,6}",
    ];
    let value = prop_oneof![
        3 => prop::sample::select(vec!["", "true", "false", "imps_1", "m1", "F400", "%EC%B7%A8%EC%86%8C", "a+b", "%zz", "%e", "%", "%C3", "%FF%FE", "%00", "a%20b", "=", "%2B"]).prop_map(str::to_owned),
        1 => "[a-zA-Z0-9%+=.]{0,8}",
        1 => arb_string(6),
    ];
    let part = (key, prop::option::weighted(0.9, value)).prop_map(|(k, v)| match v {
        Some(v) => format!("{k}={v}"),
        None => k,
    });
    let prefix = prop::sample::select(vec!["https://shop.example/done?", "?", "", "https://shop.example/done#x?", "/r?a=1?", "https://x.example/?"]);
    let suffix = prop::sample::select(vec!["", "#frag", "#imp_uid=zzz", "&", "&&"]);
    prop_oneof![
        6 => (prefix, prop::collection::vec(part, 0..6), suffix).prop_map(|(p, parts, sfx)| format!("{p}{}{sfx}", parts.join("&"))),
        1 => arb_string(30),
    ]
    .boxed()
}

/// `application/x-www-form-urlencoded` decoding, written from its definition.
fn form_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn redirect_queries() {
    fuzz("parse_redirect_query", 12_000, arb_query(), |url| {
        let got = parse_redirect_query(&url);
        // Reference: the query is between the first '?' and the next '#'.
        let Some((_, query)) = url.split_once('?') else {
            check!(got.is_none(), "no query, no result");
            return Ok(());
        };
        let query = query.split('#').next().unwrap_or("");
        let mut fields: Vec<(String, String)> = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let (k, v) = (form_decode(k), form_decode(v));
            if !fields.iter().any(|(seen, _)| *seen == k) {
                fields.push((k, v));
            }
        }
        let first = |k: &str| fields.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
        let (imp_uid, merchant_uid) = (first("imp_uid"), first("merchant_uid"));
        let Some(r) = got else {
            check!(imp_uid.is_none() && merchant_uid.is_none(), "None although imp_uid/merchant_uid are present");
            return Ok(());
        };
        check!(imp_uid.is_some() || merchant_uid.is_some(), "a result without imp_uid or merchant_uid");
        check!(r.raw == fields, "raw {:?} != {fields:?}", r.raw);
        check!(r.imp_uid == imp_uid && r.merchant_uid == merchant_uid, "ids");
        let as_value = Value::Object(fields.iter().map(|(k, v)| (k.clone(), s(v))).collect());
        let success = reference_success(&as_value);
        check!(r.success == success, "success {} by the callback rule {success}", r.success);
        check!(r.customer_uid.is_none() && r.amount.is_none(), "no record, no customer_uid/amount");
        if success {
            check!(r.error_code.is_none() && r.error_msg.is_none(), "no error on success");
        } else {
            check!(r.error_code == first("error_code"), "error_code");
            check!(r.error_msg.as_ref().is_some_and(|m| !m.is_empty()), "error_msg never empty on failure");
            if let Some(m) = first("error_msg") {
                check!(r.error_msg == Some(m), "error_msg as given");
            }
        }
        // The record recovery never panics, whatever sessionStorage holds.
        let mut r2 = r.clone();
        r2.recover(&url);
        r2.recover(&format!(r#"{{"merchant_uid":{},"customer_uid":"c","amount":1e3}}"#, json::to_string(&Value::String(r.merchant_uid.clone().unwrap_or_default()))));
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Self-tests of the reference (so a bug in it cannot hide one in the core)
// ---------------------------------------------------------------------------------------------

#[test]
fn reference_agrees_with_the_table_examples() {
    let p = |t: &str| json::parse(t).expect("test JSON");
    assert!(reference_problems(&p(r#"{"customer_uid":"c","amount":0,"buyer_tel":"010"}"#)).is_empty());
    assert!(reference_problems(&p(r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"merchant_1700000000000","name":"최초인증결제","amount":1004,"customer_uid":"your-customer-unique-id","buyer_email":"iamport@siot.do","buyer_name":"아임포트","buyer_tel":"02-1234-1234"}"#)).is_empty());
    for (extra, field) in [
        (r#""amount":"1000""#, "amount"),
        (r#""amount":1.5"#, "amount"),
        (r#""amount":9007199254740992"#, "amount"),
        (r#""popup":"""#, "popup"),
        (r#""period":{"from":"20260301","to":"20260201"}"#, "period.from"),
        (r#""display":{"card_quota":[0,37]}"#, "display.card_quota[1]"),
        (r#""notice_url":["https://a.example",""]"#, "notice_url[1]"),
        (r#""custmer_uid":"c""#, "custmer_uid"),
        (r#""m_redirect_url":"https://user@/x""#, "m_redirect_url"),
    ] {
        let v = p(&format!(r#"{{"customer_uid":"c","amount":0,"buyer_tel":"010",{extra}}}"#));
        assert!(reference_problems(&v).contains(&field.to_owned()), "{extra}: {:?}", reference_problems(&v));
    }
    for (text, want) in [("0", Some(0)), ("-0", Some(0)), ("1e3", Some(1000)), ("10.0", Some(10)), ("1.5", None), ("-1", None), ("9007199254740991", Some(MAX_SAFE)), ("9007199254740992", None), ("0.000e-99999999999999999999", Some(0)), ("1e-999999999999", None), ("1e999999999", None), ("0e999999999", Some(0))] {
        assert_eq!(ref_safe_integer(text), want, "{text}");
    }
    assert!(url_ok("https://shop.example/done?x=1") && url_ok("HTTP://a:80") && url_ok("https://[::1]:8443/x"));
    assert!(!url_ok("https://") && !url_ok("https://@x") && !url_ok("ftp://a") && !url_ok("https://a b") && !url_ok("https://:80"));
    assert_eq!(form_decode("a+b%20c%zz%e%"), "a b c%zz%e%");
}

// ---------------------------------------------------------------------------------------------
// Bugs the fuzzer found in src/: all fixed; each fix is pinned by a regression_* test
// ---------------------------------------------------------------------------------------------

fn parse(text: &str) -> Value {
    json::parse(text).unwrap_or_else(|_| panic!("test JSON: {text}"))
}

fn base(extra: &str) -> Value {
    parse(&format!(r#"{{"customer_uid":"c","amount":0,"buyer_tel":"010"{extra}}}"#))
}

/// Fixed; pinned here. src/value.rs, `Number::as_safe_integer`: `let mut pad = shift -
/// digits.len() as i64;` overflowed when the exponent saturated near −2⁶³ and the mantissa had two
/// or more digits more than its integer part (all zeros, so no earlier `return None`): a panic in
/// debug builds (wasm tests included; reachable from the page through a `sessionStorage` record read
/// by `parseRedirect`). Such a number is 0.
#[test]
fn regression_as_safe_integer_is_zero_on_a_zero_mantissa_with_a_huge_negative_exponent() {
    for text in ["0.000e-99999999999999999999", "0.00e-9223372036854775807", "-0.0000E-99999999999999999999"] {
        let n = Number::from_json_text(text).expect("a JSON number");
        let got = std::panic::catch_unwind(|| n.as_safe_integer());
        assert_eq!(got.ok(), Some(Some(0)), "{text} is 0: a safe integer, and must not panic");
    }
    let mut r = parse_redirect_query("?imp_uid=i&merchant_uid=m1").expect("a result");
    let record = r#"{"merchant_uid":"m1","customer_uid":"c1","amount":0.000e-99999999999999999999}"#;
    assert!(std::panic::catch_unwind(move || r.recover(record)).is_ok(), "a sessionStorage record must not panic");
}

/// Fixed; pinned here. src/params.rs `unknown_field` (and src/options.rs, which uses it) reported
/// an empty key `""` with `field: ""` and a message that started with " is not a known parameter";
/// for params it even suggested `pg` (edit distance 2 from the empty string). The key is now
/// named `""`, with no suggestion.
#[test]
fn regression_an_empty_key_is_reported_by_name() {
    let params = parse(r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","":1}"#);
    let e = BillingKeyRequest::from_value(&params).expect_err("unknown key");
    assert!(!e.field().unwrap_or_default().is_empty(), "params: field must name the key somehow: {e:?}");
    assert!(!e.message().contains("did you mean pg"), "no suggestion for an empty key: {e:?}");
    let e = RequestOptions::from_value(&parse(r#"{"":1}"#)).expect_err("unknown key");
    assert!(!e.field().unwrap_or_default().is_empty(), "requestBillingKey options: {e:?}");
    let e = LoadOptions::from_value(&parse(r#"{"":1}"#)).expect_err("unknown key");
    assert!(!e.field().unwrap_or_default().is_empty(), "loadIamport options: {e:?}");
}

/// Fixed; pinned here. src/params.rs `Fields::present` treated `''` as absent for every field; the
/// table says "(for strings) ''". So `popup: ''`, `period: ''`, `display: ''`, `tax_free: ''`,
/// `card: ''`, `bypass: ''` were silently dropped instead of rejected. Now `''` is absent only for
/// string fields (`custom_data: ''` is a JSON string, and a `''` string is absent: not sent).
#[test]
fn regression_an_empty_string_is_absent_only_for_string_fields() {
    for field in ["popup", "period", "display", "tax_free", "card", "bypass"] {
        let got = BillingKeyRequest::from_value(&base(&format!(r#","{field}":"""#)));
        assert_eq!(got.err().and_then(|e| e.field().map(str::to_owned)).as_deref(), Some(field), "{field}: '' is not a {field}");
    }
    let req = BillingKeyRequest::from_value(&base(r#","custom_data":"""#)).expect("custom_data may be any JSON value");
    assert_eq!(lookup(&req.to_imp_value("m1"), "custom_data"), None, "custom_data given as '' is a string, and '' strings are absent");
}

/// Fixed; pinned here. src/params.rs `check_display` validated `card_quota` with the "absent" rule
/// but returned `v.clone()`, so an absent `card_quota` (`null`, or `''`) was still sent to IMP.
#[test]
fn regression_an_absent_display_card_quota_is_not_sent_to_imp() {
    for quota in ["null", r#""""#] {
        match BillingKeyRequest::from_value(&base(&format!(r#","display":{{"card_quota":{quota}}}"#))) {
            Ok(req) => {
                let sent = req.to_imp_value("m1");
                let display = lookup(&sent, "display");
                assert!(
                    display.map_or(true, |d| lookup(d, "card_quota").is_none()),
                    "card_quota: {quota} must not reach IMP: {}",
                    json::to_string(&sent)
                );
            }
            Err(e) => assert_eq!(e.field(), Some("display.card_quota"), "{quota}"),
        }
    }
}

/// Fixed; pinned here. src/params.rs `check_url` only checked that the text after `scheme://` up to
/// `/?#` was non-empty and did not start with `@` or `:`, so URLs without a host (`new URL()` throws
/// on them) passed. Now the host and port are checked.
#[test]
fn regression_urls_without_a_valid_host_are_rejected() {
    for url in ["https://user@/done", "https://user@:80/done", "https://[/done", "https://a:b/done", "http://[", "https://x@"] {
        let got = BillingKeyRequest::from_value(&base(&format!(r#","m_redirect_url":{}"#, json::to_string(&s(url)))));
        assert_eq!(got.err().and_then(|e| e.field().map(str::to_owned)).as_deref(), Some("m_redirect_url"), "{url} is not an absolute URL");
    }
}
