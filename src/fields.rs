//! The one table of every field the package checks, and the one reader both halves read params
//! with.
//!
//! Each [`Field`] is one line of [`DANAL_CARD`]'s table: its name, its [`Kind`] (the JSON type and
//! the limit or format), the [`Request`]s it belongs to and whether it is required there
//! ([`Need`]), and where its limit is published. The browser's `validateParams` /
//! [`BillingKeyRequest`](crate::BillingKeyRequest) reads [`Request::RequestPay`]; the server crate
//! (`iamport-billing-server`) reads its requests ([`Request::Charge`], …) with the same [`read`]:
//! the same paths (`schedules[1].buyer_tel`), the same type messages, the same "did you mean" and
//! the same refusal of keys that look like server secrets. A limit changed in the table changes
//! both halves.
//!
//! A [`Profile`] is a PG's table: [`DANAL_CARD`] is the only real one; another PG with other
//! limits or required fields is another `Profile` value, read by the same code.
//!
//! ```
//! use iamport_billing::fields::{read, Request, DANAL_CARD};
//! use iamport_billing::internals::json;
//! let charge = json::parse(r#"{"customer_uid":"c1","merchant_uid":"m1","amount":9900,"name":"월 구독","buyer_name":"아임포트"}"#).unwrap();
//! let fields = read(&DANAL_CARD, Request::Charge, &charge, "")?;
//! assert_eq!(fields.str("name"), Some("월 구독"));
//! assert_eq!(fields.u64("amount"), Some(9900));
//!
//! let too_long = json::parse(r#"{"customer_uid":"c1","merchant_uid":"m1","amount":9900,"name":"n","buyer_name":"가나다라마바사아자차카타파하가나다"}"#).unwrap();
//! let e = read(&DANAL_CARD, Request::Charge, &too_long, "").unwrap_err();
//! assert_eq!(e.field(), Some("buyer_name"));
//! assert_eq!(e.to_string(), "buyer_name must be at most 16 characters (got 17)");
//! # Ok::<(), iamport_billing::Error>(())
//! ```

use crate::amount::out_of_range;
use crate::checks::{check_json, check_text, check_url, parse_yyyymmdd, unknown_field};
use crate::error::{fixed, indexed, invalid_after, not_a, required, unreadable, Error};
use crate::text::concat;
use crate::value::{Unsupported, Value};

/// A request the package checks: the window's params, or one request of the server client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Request {
    /// The payment window's `IMP.request_pay` params (the browser's `requestBillingKey`).
    RequestPay,
    /// A charge of a billing key (`POST /subscribe/payments/again`).
    Charge,
    /// Scheduled charges of a billing key (`POST /subscribe/payments/schedule`).
    Schedule,
    /// One entry of [`Request::Schedule`]'s `schedules`.
    ScheduleEntry,
    /// Revoking scheduled charges (`POST /subscribe/payments/unschedule`).
    Unschedule,
    /// What the browser reported about a billing key it issued (the server's confirmation).
    Confirm,
    /// A full or partial cancel (`POST /payments/cancel`).
    Cancel,
    /// The server client's config (`ClientConfig::from_json`).
    Config,
    /// A billing key's schedules in a time range (`GET /subscribe/payments/schedule/customers/{customer_uid}`).
    ListSchedules,
    /// A billing key's payments (`GET /subscribe/customers/{customer_uid}/payments`).
    ListPayments,
    /// A schedule at a new time (`POST …/{merchant_uid}/reschedule`, `PUT …/{merchant_uid}`).
    Reschedule,
    /// Several billing keys at once (`GET /subscribe/customers?customer_uid[]=…`).
    BillingKeys,
    /// The account's setup check (`GET /users/pg`).
    CheckSetup,
}

impl Request {
    /// Every request, in the order the docs list them.
    pub const ALL: &'static [Request] = &[
        Request::RequestPay,
        Request::Charge,
        Request::Schedule,
        Request::ScheduleEntry,
        Request::Unschedule,
        Request::Confirm,
        Request::Cancel,
        Request::Config,
        Request::ListSchedules,
        Request::ListPayments,
        Request::Reschedule,
        Request::BillingKeys,
        Request::CheckSetup,
    ];

    /// The request's name in the docs: `request_pay`, `charge`, `schedule`, …
    pub fn name(self) -> &'static str {
        match self {
            Request::RequestPay => "request_pay",
            Request::Charge => "charge",
            Request::Schedule => "schedule",
            Request::ScheduleEntry => "schedule entry",
            Request::Unschedule => "unschedule",
            Request::Confirm => "confirm",
            Request::Cancel => "cancel",
            Request::Config => "client config",
            Request::ListSchedules => "list schedules",
            Request::ListPayments => "list payments",
            Request::Reschedule => "reschedule",
            Request::BillingKeys => "billing keys",
            Request::CheckSetup => "check setup",
        }
    }

    /// The least amount the request takes: 1 KRW for the requests that move money (a charge, a
    /// scheduled charge, a partial cancel); 0 for the window (0 issues the key only) and a
    /// confirmation.
    pub fn min_amount(self) -> u64 {
        match self {
            Request::Charge | Request::ScheduleEntry | Request::Cancel => 1,
            _ => 0,
        }
    }
}

/// Whether a field is required in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Need {
    /// Required: absent (`undefined`, `null`, or `''` for text) is refused.
    Required,
    /// Required by the PG's payment window (the refusal says so, naming the profile's PG).
    RequiredByWindow,
    /// Optional.
    Optional,
    /// Optional: one value, or a non-empty array of values (each checked by the field's kind).
    OneOrMany,
}

impl Need {
    /// Whether absence is refused.
    pub fn is_required(self) -> bool {
        matches!(self, Need::Required | Need::RequiredByWindow)
    }
}

/// A field's JSON type and its limit or format.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Kind {
    /// Text of 1..=max characters, no control characters, that can be a REST API path segment (no
    /// leading or trailing whitespace, none of `/ ? # % \`).
    PathSegment {
        /// The longest, in characters.
        max: usize,
    },
    /// Text of 1..=max characters, no control characters.
    Text {
        /// The longest, in characters.
        max: usize,
    },
    /// A phone number of 1..=max characters: digits, spaces and `+ - ( )`.
    Tel {
        /// The longest, in characters.
        max: usize,
    },
    /// An e-mail address of 1..=max characters: one `@`, not first or last, no spaces.
    Email {
        /// The longest, in characters.
        max: usize,
    },
    /// A whole number of KRW from [`Request::min_amount`] to 2⁵³ − 1.
    Amount,
    /// A part of the request's `amount` (`tax_free`, `vat_amount`): a whole number of KRW, not
    /// more than `amount`.
    PartOfAmount,
    /// A whole number of milliseconds from 1 to `max`.
    Millis {
        /// The most milliseconds.
        max: u32,
    },
    /// A whole number of instalment months from 0 to `max`.
    Months {
        /// The most months.
        max: u32,
    },
    /// An absolute `http(s)` URL with a host.
    Url,
    /// Text that must be one of the choice's values.
    OneOf(&'static Choice),
    /// A boolean.
    Bool,
    /// Any JSON data (the glue marks what JSON cannot carry; such values are refused).
    Json,
    /// A plain object of JSON data.
    Object,
    /// Unix seconds (not milliseconds, after 1970), or an RFC 3339 date-time
    /// (`2026-12-03T09:00:00Z`, what `JSON.stringify` makes of a `Date`).
    UnixSeconds,
    /// A non-empty array of objects, each read as the request given.
    Entries(Request),
    /// The window's PG code: `danal_tpay` or `danal_tpay.<CPID>`; `danal_tpay` when absent and no
    /// `channelKey` is given; not both. Checked with `channelKey` (the field of that name).
    Pg,
    /// A channel key of 1..=max characters (with [`Kind::Pg`] in the window: one or the other).
    ChannelKey {
        /// The longest, in characters.
        max: usize,
    },
    /// The window's `{from, to}`: `YYYYMMDD` dates, `from` ≤ `to`.
    Period,
    /// The window's `{card_quota: [months]}`, each month as the `card_quota` field's kind.
    Display,
}

/// The allowed values of a text field; `default` is sent when it is absent.
#[derive(Debug, PartialEq)]
pub struct Choice {
    /// The values allowed.
    pub values: &'static [&'static str],
    /// Sent when the field is absent.
    pub default: Option<&'static str>,
    /// The refusal's message.
    pub message: &'static str,
}

/// One field: its name, kind, the requests it belongs to, and where its limit is published.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The name, as iamport spells it (`channelKey` is the SDK's).
    pub name: &'static str,
    /// Its JSON type and limit or format.
    pub kind: Kind,
    /// The requests it belongs to, and whether it is required there.
    pub requests: &'static [(Request, Need)],
    /// Where its limit is published (tests/data/portone-limits.json keeps the published figures).
    pub source: Source,
}

/// Where a field's limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// PortOne's V1 API description: the parameters of `POST /subscribe/payments/again`.
    PortOneRest,
    /// The same, and the V1 JavaScript SDK's `IMP.request_pay` parameters.
    PortOneRestAndSdk,
    /// This package's own rule (PortOne publishes none).
    Package,
}

impl Source {
    /// Where, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Source::PortOneRest => "PortOne V1 API, POST /subscribe/payments/again",
            Source::PortOneRestAndSdk => "PortOne V1 API, POST /subscribe/payments/again; PortOne V1 JavaScript SDK, IMP.request_pay",
            Source::Package => "this package",
        }
    }
}

impl Field {
    /// Whether the field belongs to `request`, and how.
    pub fn need(&self, request: Request) -> Option<Need> {
        self.requests.iter().find(|(r, _)| *r == request).map(|(_, need)| *need)
    }

    /// The field's length or size limit, if its kind has one.
    pub fn max(&self) -> Option<u64> {
        match self.kind {
            Kind::PathSegment { max } | Kind::Text { max } | Kind::Tel { max } | Kind::Email { max } | Kind::ChannelKey { max } => {
                Some(max as u64)
            }
            Kind::Months { max } | Kind::Millis { max } => Some(u64::from(max)),
            _ => None,
        }
    }
}

/// A PG's table: every field of every request.
#[derive(Debug, Clone, Copy)]
pub struct Profile<'a> {
    /// The profile's name (`danal_card`).
    pub name: &'a str,
    /// The PG, as messages name it (`Danal`: "Danal's payment window can fail without it").
    pub pg: &'a str,
    /// Its fields, in the order they are checked.
    pub fields: &'a [Field],
}

impl<'a> Profile<'a> {
    /// The field of `request` named `name`.
    pub fn field(&self, request: Request, name: &str) -> Option<&'a Field> {
        self.fields.iter().find(|f| f.name == name && f.need(request).is_some())
    }

    /// The names of `request`'s fields, in table order.
    pub fn names(&self, request: Request) -> impl Iterator<Item = &'a str> + 'a {
        self.fields.iter().filter(move |f| f.need(request).is_some()).map(|f| f.name)
    }
}

use Need::{OneOrMany, Optional, Required};
use Request::{
    BillingKeys, Cancel, Charge, CheckSetup, Config, Confirm, ListPayments, ListSchedules, RequestPay, Reschedule, Schedule, ScheduleEntry,
    Unschedule,
};

const AGAIN: Source = Source::PortOneRest;
const AGAIN_AND_SDK: Source = Source::PortOneRestAndSdk;
const OURS: Source = Source::Package;

/// Danal credit-card billing (`danal_tpay`): the package's table. In the order fields are checked
/// (the window's first, in the order of docs/params.md); the first problem is reported.
pub const DANAL_CARD: Profile<'static> = Profile { name: "danal_card", pg: "Danal", fields: DANAL_CARD_FIELDS };

const DANAL_CARD_FIELDS: &[Field] = &[
    Field { name: "customer_uid", kind: Kind::PathSegment { max: 80 }, source: AGAIN,
        requests: &[(RequestPay, Required), (Charge, Required), (Schedule, Required), (Unschedule, Required), (Confirm, Required),
            (ListSchedules, Required), (ListPayments, Required), (BillingKeys, OneOrMany)] },
    Field { name: "amount", kind: Kind::Amount, source: OURS,
        requests: &[(RequestPay, Required), (Charge, Required), (ScheduleEntry, Required), (Confirm, Required), (Cancel, Optional)] },
    Field { name: "pay_method", kind: Kind::OneOf(&Choice {
        values: &["card"],
        default: Some("card"),
        message: "pay_method must be 'card': Danal billing keys are issued for credit cards only",
    }), source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "pg", kind: Kind::Pg, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "channelKey", kind: Kind::ChannelKey { max: 55 }, source: AGAIN, requests: &[(RequestPay, Optional)] },
    Field { name: "merchant_uid", kind: Kind::Text { max: 40 }, source: AGAIN,
        requests: &[(RequestPay, Optional), (Charge, Required), (ScheduleEntry, Required), (Unschedule, OneOrMany), (Confirm, Optional), (Cancel, Optional),
            (Reschedule, Required)] },
    Field { name: "name", kind: Kind::Text { max: 40 }, source: AGAIN_AND_SDK,
        requests: &[(RequestPay, Optional), (Charge, Required), (ScheduleEntry, Required)] },
    Field { name: "buyer_tel", kind: Kind::Tel { max: 16 }, source: AGAIN,
        requests: &[(RequestPay, Need::RequiredByWindow), (Charge, Optional), (ScheduleEntry, Optional)] },
    Field { name: "buyer_email", kind: Kind::Email { max: 64 }, source: AGAIN,
        requests: &[(RequestPay, Optional), (Charge, Optional), (ScheduleEntry, Optional)] },
    Field { name: "buyer_name", kind: Kind::Text { max: 16 }, source: AGAIN,
        requests: &[(RequestPay, Optional), (Charge, Optional), (ScheduleEntry, Optional)] },
    Field { name: "buyer_addr", kind: Kind::Text { max: 128 }, source: AGAIN,
        requests: &[(RequestPay, Optional), (Charge, Optional), (ScheduleEntry, Optional)] },
    Field { name: "buyer_postcode", kind: Kind::Text { max: 8 }, source: AGAIN,
        requests: &[(RequestPay, Optional), (Charge, Optional), (ScheduleEntry, Optional)] },
    Field { name: "company", kind: Kind::Text { max: 40 }, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "customer_id", kind: Kind::Text { max: 80 }, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "m_redirect_url", kind: Kind::Url, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "notice_url", kind: Kind::Url, source: OURS,
        requests: &[(RequestPay, OneOrMany), (Charge, Optional), (ScheduleEntry, Optional)] },
    Field { name: "custom_data", kind: Kind::Json, source: OURS,
        requests: &[(RequestPay, Optional), (Charge, Optional), (ScheduleEntry, Optional)] },
    Field { name: "language", kind: Kind::OneOf(&Choice { values: &["ko", "en", "zh"], default: None, message: "language must be 'ko', 'en' or 'zh'" }),
        source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "currency", kind: Kind::OneOf(&Choice {
        values: &["KRW"],
        default: None,
        message: "currency must be 'KRW' (Danal credit-card billing is in won)",
    }), source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "popup", kind: Kind::Bool, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "period", kind: Kind::Period, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "display", kind: Kind::Display, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "tax_free", kind: Kind::PartOfAmount, source: OURS,
        requests: &[(RequestPay, Optional), (Charge, Optional), (ScheduleEntry, Optional), (Cancel, Optional)] },
    Field { name: "app_scheme", kind: Kind::Text { max: 200 }, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "confirm_url", kind: Kind::Url, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "card", kind: Kind::Object, source: OURS, requests: &[(RequestPay, Optional)] },
    Field { name: "bypass", kind: Kind::Object, source: OURS, requests: &[(RequestPay, Optional)] },
    // The server client's own fields.
    Field { name: "vat_amount", kind: Kind::PartOfAmount, source: OURS,
        requests: &[(Charge, Optional), (ScheduleEntry, Optional), (Cancel, Optional)] },
    Field { name: "card_quota", kind: Kind::Months { max: 36 }, source: OURS,
        requests: &[(Charge, Optional), (ScheduleEntry, Optional)] },
    Field { name: "schedule_at", kind: Kind::UnixSeconds, source: OURS, requests: &[(ScheduleEntry, Required), (Reschedule, Required)] },
    Field { name: "from", kind: Kind::UnixSeconds, source: OURS, requests: &[(ListSchedules, Required)] },
    Field { name: "to", kind: Kind::UnixSeconds, source: OURS, requests: &[(ListSchedules, Required)] },
    Field { name: "status", kind: Kind::OneOf(&Choice {
        values: &["scheduled", "executed", "revoked"],
        default: None,
        message: "status must be 'scheduled', 'executed' or 'revoked'",
    }), source: OURS, requests: &[(ListSchedules, Optional)] },
    Field { name: "live", kind: Kind::Bool, source: OURS, requests: &[(CheckSetup, Optional)] },
    Field { name: "schedules", kind: Kind::Entries(ScheduleEntry), source: OURS, requests: &[(Schedule, Required)] },
    Field { name: "imp_uid", kind: Kind::Text { max: 100 }, source: OURS, requests: &[(Confirm, Required), (Cancel, Optional)] },
    Field { name: "reason", kind: Kind::Text { max: 200 }, source: OURS, requests: &[(Cancel, Required)] },
    Field { name: "checksum", kind: Kind::Amount, source: OURS, requests: &[(Cancel, Optional)] },
    Field { name: "imp_key", kind: Kind::Text { max: 256 }, source: OURS, requests: &[(Config, Required)] },
    Field { name: "imp_secret", kind: Kind::Text { max: 256 }, source: OURS, requests: &[(Config, Required)] },
    Field { name: "base_url", kind: Kind::Url, source: OURS, requests: &[(Config, Optional)] },
    Field { name: "timeout_ms", kind: Kind::Millis { max: 600_000 }, source: OURS, requests: &[(Config, Optional)] },
];

/// [`DANAL_CARD`] as the window reads it (`BillingKeyRequest::from_value`): the table's rows of
/// [`Request::RequestPay`], and the rows the window's kinds take a limit from (`card_quota`, for
/// `display`), in table order, copied out of the one table at compile time with the window's entry
/// of their request lists only. The browser's wasm then holds none of the server's rows (their
/// names, request lists and messages).
pub(crate) const DANAL_CARD_WINDOW: Profile<'static> = Profile { fields: &WINDOW_ROWS, ..DANAL_CARD };

const WINDOW_ROWS: [Field; window_rows_len(DANAL_CARD_FIELDS)] = window_rows(DANAL_CARD_FIELDS);

/// Whether the window's reader needs `f`: a field of the window, or the `card_quota` field whose
/// limit `display` applies.
const fn in_window(f: &Field) -> bool {
    let mut rest = f.requests;
    while let [(r, _), tail @ ..] = rest {
        if matches!(r, Request::RequestPay) {
            return true;
        }
        rest = tail;
    }
    matches!(f.kind, Kind::Months { .. })
}

const fn window_rows_len(fields: &[Field]) -> usize {
    let (mut rest, mut n) = (fields, 0);
    while let [f, tail @ ..] = rest {
        if in_window(f) {
            n += 1;
        }
        rest = tail;
    }
    n
}

/// The window's entry of a row's request list, alone (the other requests' entries are the
/// server's): one of four lists, shared by every row.
const fn window_need(requests: &[(Request, Need)]) -> &'static [(Request, Need)] {
    let mut rest = requests;
    while let [(r, need), tail @ ..] = rest {
        if matches!(r, Request::RequestPay) {
            return match need {
                Need::Required => &[(Request::RequestPay, Need::Required)],
                Need::RequiredByWindow => &[(Request::RequestPay, Need::RequiredByWindow)],
                Need::Optional => &[(Request::RequestPay, Need::Optional)],
                Need::OneOrMany => &[(Request::RequestPay, Need::OneOrMany)],
            };
        }
        rest = tail;
    }
    &[]
}

/// The rows of `fields` [`in_window`] with their [`window_need`], in order (`N` is their number: a wrong `N` fails to compile).
#[allow(clippy::indexing_slicing)] // evaluated at compile time only: an index out of bounds is a compile error
const fn window_rows<const N: usize>(fields: &[Field]) -> [Field; N] {
    const NONE: Field = Field { name: "", kind: Kind::Bool, requests: &[], source: Source::Package };
    let mut out = [NONE; N];
    let (mut rest, mut n) = (fields, 0);
    while let [f, tail @ ..] = rest {
        if in_window(f) {
            out[n] = Field { requests: window_need(f.requests), ..*f };
            n += 1;
        }
        rest = tail;
    }
    assert!(n == N, "window_rows: N is not the number of window rows");
    out
}

/// The limit of field `name` in `fields` (the first field of that name with one), or 0: for the
/// constants the crate exports (`rules::CUSTOMER_UID_MAX`, …), so they follow the table.
pub(crate) const fn max_of(fields: &[Field], name: &str) -> usize {
    let mut rest = fields;
    while let [f, tail @ ..] = rest {
        if same(f.name.as_bytes(), name.as_bytes()) {
            match f.kind {
                Kind::PathSegment { max } | Kind::Text { max } | Kind::Tel { max } | Kind::Email { max } | Kind::ChannelKey { max } => {
                    return max
                }
                Kind::Months { max } => return max as usize,
                _ => {}
            }
        }
        rest = tail;
    }
    0
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a, mut b) = (a, b);
    while let ([x, a_tail @ ..], [y, b_tail @ ..]) = (a, b) {
        if *x != *y {
            return false;
        }
        a = a_tail;
        b = b_tail;
    }
    true
}

/// The fields of one request read from an object: each checked by its [`Kind`] and kept,
/// normalised (defaults filled: `pay_method: 'card'`, `pg: 'danal_tpay'`; a date-time
/// `schedule_at` as unix seconds), in table order; absent fields left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Read<'p> {
    fields: Vec<(&'p str, Value)>,
    entries: Vec<(&'p str, Vec<Read<'p>>)>,
}

impl<'p> Read<'p> {
    /// The field's value, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// A text field's value, if present.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// A whole-number field's value, if present (amounts, months, unix seconds).
    pub fn u64(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(Value::as_safe_integer)
    }

    /// A [`Need::OneOrMany`] field's values (one given alone is one), empty when absent.
    pub fn strs(&self, name: &str) -> Vec<&str> {
        match self.get(name) {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// A [`Kind::Entries`] field's entries, each read, empty when absent.
    pub fn entries(&self, name: &str) -> &[Read<'p>] {
        self.entries.iter().find(|(k, _)| *k == name).map_or(&[], |(_, e)| e.as_slice())
    }

    /// The fields read, in table order, without the entries of a [`Kind::Entries`] field.
    pub fn fields(&self) -> &[(&'p str, Value)] {
        &self.fields
    }
}

/// Reads `value` as `request`'s params by `profile`'s table: it must be an object; every key a
/// field of the request (else "did you mean", or the refusal of a key that looks like a server
/// secret); every required field present; each present field of its kind. `path` is where the
/// object is (`""` at the top, `schedules[1]` for an entry): errors name `path.field`. The first
/// problem, in table order, is the error.
pub fn read<'p>(profile: &Profile<'p>, request: Request, value: &Value, path: &str) -> Result<Read<'p>, Error> {
    read_boxed(profile, request, value, path, server_kinds).map_err(|fail| *fail.0)
}

/// [`read`] for the window's params, with the checks of the window's kinds only: the server's
/// ([`Kind::UnixSeconds`], [`Kind::Millis`], [`Kind::Months`], the least amount of a request that
/// moves money) stay out of the browser's wasm. A window field of those kinds is refused.
pub(crate) fn read_window<'p>(profile: &Profile<'p>, value: &Value) -> Result<Read<'p>, Error> {
    read_boxed(profile, Request::RequestPay, value, "", window_kinds).map_err(|fail| *fail.0)
}

/// The checks of the kinds only the server's requests have, and of the amounts of the requests
/// that move money ([`Request::min_amount`] over 0): they keep what they read in the reader.
type Extra = fn(&mut Reader<'_, '_>, Kind, &'static str, &str, &Value) -> Check<()>;

fn server_kinds(reader: &mut Reader<'_, '_>, kind: Kind, name: &'static str, path: &str, value: &Value) -> Check<()> {
    let kept = match kind {
        // The amounts of a request that moves money: at least its least amount.
        Kind::Amount => {
            let krw = whole(path, value)?;
            if krw < reader.request.min_amount() {
                let why = if reader.request == Request::Cancel { " (leave it out to cancel what is left)" } else { "" };
                return Err(Error::invalid(path, concat(&[path, " must be at least 1 KRW", why])).into());
            }
            if name == "amount" {
                reader.amount = Some(krw);
            }
            Value::from(krw)
        }
        Kind::UnixSeconds => Value::from(unix_seconds(path, value)?),
        Kind::Months { max } => months(path, value, max)?,
        Kind::Millis { max } => match value.as_safe_integer() {
            Some(ms) if (1..=u64::from(max)).contains(&ms) => Value::from(ms),
            _ if !matches!(value, Value::Number(_)) => return Err(not_a(path, "number of milliseconds", value).into()),
            _ => {
                let mut msg = concat(&[path, " must be a whole number of milliseconds from 1 to "]);
                crate::text::push_u64(&mut msg, u64::from(max));
                return Err(Error::invalid(path, msg).into());
            }
        },
        Kind::Entries(of) => {
            let items = match value {
                Value::Array(items) if !items.is_empty() => items,
                Value::Array(_) => return Err(invalid_after(path, " must hold at least one entry").into()),
                other => return Err(not_a(path, "array", other).into()),
            };
            let mut entries = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                entries.push(read_boxed(reader.profile, of, item, &indexed(path, i), server_kinds)?);
            }
            reader.out.entries.push((name, entries));
            return Ok(());
        }
        _ => return Ok(()),
    };
    reader.keep(name, kept);
    Ok(())
}

fn window_kinds(_: &mut Reader<'_, '_>, _: Kind, _: &'static str, path: &str, _: &Value) -> Check<()> {
    Err(invalid_after(path, " is a server field: the browser does not check it").into())
}

fn read_boxed<'p>(profile: &Profile<'p>, request: Request, value: &Value, path: &str, extra: Extra) -> Check<Read<'p>> {
    let pairs = match value {
        Value::Object(pairs) => pairs,
        // The whole params over the glue's cap: say so, rather than "not a plain object".
        Value::Unsupported(Unsupported::TooLarge) => {
            return Err(fixed(
                "params",
                "params is too large to check: over 4 Mi characters of JSON, or nested deeper than 64 levels",
            )
            .into())
        }
        other => return Err(not_a(if path.is_empty() { "params" } else { path }, "plain object", other).into()),
    };
    // The request's field names, once (pushed one by one: less wasm than collecting an iterator).
    let mut known: Vec<&str> = Vec::new();
    for f in profile.fields {
        if f.need(request).is_some() {
            known.push(f.name);
        }
    }
    for (key, _) in pairs {
        if !known.contains(&key.as_str()) {
            return Err(unknown_field(key, &known, path, request == Request::RequestPay).into());
        }
    }
    let mut reader = Reader { profile, request, object: value, path, out: Read { fields: Vec::new(), entries: Vec::new() }, amount: None, extra };
    for field in profile.fields {
        if let Some(need) = field.need(request) {
            reader.field(field, need)?;
        }
    }
    Ok(reader.out)
}

/// Checks one value of field `name` (its first entry in `profile`), as a request would: for the
/// lookups that take a single id (`getPayment(imp_uid)`). `''` is refused as absent.
pub fn check_one(profile: &Profile<'_>, name: &str, value: &Value) -> Result<(), Error> {
    let Some(field) = profile.fields.iter().find(|f| f.name == name) else {
        return Err(invalid_after(name, " is not a field of the table"));
    };
    let empty = Value::Null;
    let reader = Reader {
        profile,
        request: Request::Confirm,
        object: &empty,
        path: "",
        out: Read { fields: Vec::new(), entries: Vec::new() },
        amount: None,
        extra: server_kinds,
    };
    if value.is_nullish() || value.as_str() == Some("") {
        return Err(required(name));
    }
    reader.check(field.kind, name, value).map(drop).map_err(|fail| *fail.0)
}

/// The package's type error: `<path> must be a <expected> (got <type>)`, as every reader says it
/// (`expected` without its article: "string", "number", "plain object").
pub fn type_error(path: &str, expected: &str, got: &Value) -> Error {
    not_a(path, expected, got)
}

/// A failed check: the error, boxed, so that each `?` in the checks moves one pointer rather
/// than a whole [`Error`] (less wasm).
pub(crate) struct Fail(pub(crate) Box<Error>);

impl From<Error> for Fail {
    #[inline(never)]
    fn from(e: Error) -> Fail {
        Fail(Box::new(e))
    }
}

pub(crate) type Check<T> = Result<T, Fail>;

struct Reader<'a, 'p> {
    profile: &'a Profile<'p>,
    request: Request,
    object: &'a Value,
    path: &'a str,
    out: Read<'p>,
    /// The request's `amount`, once read (parts of it are checked against it).
    amount: Option<u64>,
    /// The checks of the server's own kinds.
    extra: Extra,
}

/// `parent.key`, or `key` at the top.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        concat(&[parent, ".", key])
    }
}

/// Whether a field of this kind holds text (for text, `''` is absent).
fn is_text(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::PathSegment { .. }
            | Kind::Text { .. }
            | Kind::Tel { .. }
            | Kind::Email { .. }
            | Kind::Url
            | Kind::OneOf(_)
            | Kind::Pg
            | Kind::ChannelKey { .. }
            | Kind::Json
    )
}

impl<'a, 'p> Reader<'a, 'p> {
    /// Keeps a field's value (one push for every field: less wasm than one inlined per kind).
    #[inline(never)]
    fn keep(&mut self, name: &'p str, value: Value) {
        self.out.fields.push((name, value));
    }

    /// The value unless it is absent: `undefined`, `null`, or `''` for a text field.
    fn present(&self, name: &str, kind: Kind) -> Option<&'a Value> {
        self.object.get(name).filter(|v| !(v.is_nullish() || is_text(kind) && v.as_str() == Some("")))
    }

    #[inline(never)]
    fn field(&mut self, field: &Field, need: Need) -> Check<()> {
        let name: &'p str = field.name;
        // At the top (the window, a request) the path is the name: nothing to allocate.
        let joined;
        let path: &str = if self.path.is_empty() {
            name
        } else {
            joined = join(self.path, name);
            &joined
        };
        let Some(value) = self.present(name, field.kind) else {
            return match (field.kind, need) {
                (Kind::OneOf(Choice { default: Some(d), .. }), _) => {
                    self.keep(name, Value::from(*d));
                    Ok(())
                }
                (Kind::Pg, _) => self.pg(path, None),
                (_, Need::RequiredByWindow) => {
                    Err(Error::invalid(path, concat(&[path, " is required (", self.profile.pg, "'s payment window can fail without it)"])).into())
                }
                (_, Need::Required) => Err(required(path).into()),
                _ => Ok(()),
            };
        };
        if need == OneOrMany {
            match value {
                Value::Array(items) if items.is_empty() => {
                    return Err(invalid_after(path, " must be a value or a non-empty array of values").into());
                }
                // Each item checked, the array kept as given: the table's `OneOrMany` fields are
                // text (the test `one_or_many_fields_are_text` holds it), which is kept as given.
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(field.kind, &indexed(path, i), item)?;
                    }
                    self.keep(name, value.clone());
                    return Ok(());
                }
                Value::String(_) => {}
                other => return Err(not_a(path, "string or an array of strings", other).into()),
            }
        }
        if matches!(field.kind, Kind::Entries(_) | Kind::UnixSeconds | Kind::Months { .. } | Kind::Millis { .. })
            || matches!(field.kind, Kind::Amount) && self.request.min_amount() > 0
        {
            return (self.extra)(self, field.kind, field.name, path, value);
        }
        if matches!(field.kind, Kind::Pg) {
            return self.pg(path, Some(value));
        }
        let kept = self.check(field.kind, path, value)?;
        if name == "amount" {
            self.amount = kept.as_safe_integer();
        }
        self.keep(name, kept);
        Ok(())
    }

    /// One value of a kind, normalised.
    #[inline(never)]
    fn check(&self, kind: Kind, path: &str, value: &Value) -> Check<Value> {
        let normalised = match kind {
            // The text kinds: the text; its length and characters, for the kinds with a limit;
            // then the kind's format (one arm: less wasm than one per kind).
            Kind::PathSegment { .. } | Kind::Text { .. } | Kind::ChannelKey { .. } | Kind::Tel { .. } | Kind::Email { .. } | Kind::Url | Kind::OneOf(_) => {
                let text = as_text(path, value)?;
                if let Kind::PathSegment { max } | Kind::Text { max } | Kind::ChannelKey { max } | Kind::Tel { max } | Kind::Email { max } = kind {
                    check_text(path, text, max)?;
                }
                let format = match kind {
                    Kind::PathSegment { .. } => crate::checks::path_segment_format(text),
                    // Bytes: a non-ASCII character's are all over 0x7f, refused as the character is.
                    Kind::Tel { .. } => (!text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'+' | b'-' | b'(' | b')'))
                        || !text.bytes().any(|b| b.is_ascii_digit()))
                    .then_some(" must be a phone number: digits, spaces and + - ( ) only"),
                    // One '@' (ASCII, so byte positions are char boundaries), not first or last.
                    Kind::Email { .. } => (text.bytes().filter(|&b| b == b'@').count() != 1
                        || text.as_bytes().first() == Some(&b'@')
                        || text.as_bytes().last() == Some(&b'@')
                        || text.chars().any(char::is_whitespace))
                    .then_some(" must look like name@example.com (one @, no spaces)"),
                    Kind::Url => {
                        check_url(path, text)?;
                        None
                    }
                    Kind::OneOf(choice) if !choice.values.contains(&text) => return Err(fixed(path, choice.message).into()),
                    _ => None,
                };
                if let Some(problem) = format {
                    return Err(invalid_after(path, problem).into());
                }
                None
            }
            // An amount from 0 (a request with a least amount over 0 reads its amounts with the
            // server's kinds, `field`: that check stays out of the browser's wasm); a part of the
            // amount, at most the amount.
            Kind::Amount | Kind::PartOfAmount => {
                let krw = whole(path, value)?;
                if matches!(kind, Kind::PartOfAmount) && self.amount.is_some_and(|amount| krw > amount) {
                    return Err(invalid_after(path, " must not be more than amount").into());
                }
                Some(Value::from(krw))
            }
            Kind::Bool => match value {
                Value::Bool(_) => None,
                other => return Err(not_a(path, "boolean", other).into()),
            },
            // JSON data; an object of it.
            Kind::Json | Kind::Object => {
                if matches!(kind, Kind::Object) && !matches!(value, Value::Object(_)) {
                    return Err(not_a(path, "object", value).into());
                }
                check_json(path, value)?;
                None
            }
            Kind::Period => {
                check_period(path, value)?;
                None
            }
            Kind::Display => Some(check_display(self.profile, self.request, path, value)?),
            // Read by `field` (the server's kinds through `extra`), never here: the test
            // `one_or_many_fields_are_text` holds that no field of these kinds is `OneOrMany`.
            Kind::Pg | Kind::Entries(_) | Kind::UnixSeconds | Kind::Months { .. } | Kind::Millis { .. } => None,
        };
        Ok(normalised.unwrap_or_else(|| value.clone()))
    }

    /// `pg` and `channelKey`: one of them, or neither (then `pg` is the default). A `channelKey`
    /// given is read at its own row.
    fn pg(&mut self, path: &str, pg: Option<&'a Value>) -> Check<()> {
        let pg = match pg {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => return Err(not_a(path, "string", other).into()),
        };
        if let Some(pg) = pg {
            let ok = pg == DEFAULT_PG
                || pg.strip_prefix("danal_tpay.").is_some_and(|cpid| {
                    !cpid.is_empty() && cpid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                });
            if !ok {
                return Err(fixed(
                    path,
                    "pg must be 'danal_tpay' or 'danal_tpay.<CPID>' (this library issues Danal credit-card billing keys)",
                )
                .into());
            }
        }
        let channel_key = self
            .profile
            .fields
            .iter()
            .any(|f| matches!(f.kind, Kind::ChannelKey { .. }) && f.need(self.request).is_some() && self.present(f.name, f.kind).is_some());
        match (pg, channel_key) {
            (Some(_), true) => Err(fixed("channelKey", "channelKey and pg select the same thing: give one of them, not both").into()),
            (None, true) => Ok(()),
            (pg, false) => {
                self.keep("pg", Value::from(pg.unwrap_or(DEFAULT_PG)));
                Ok(())
            }
        }
    }
}

/// The text of a text field.
fn as_text<'v>(path: &str, value: &'v Value) -> Check<&'v str> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(not_a(path, "string", other).into()),
    }
}

/// The default PG code: Danal credit card.
pub const DEFAULT_PG: &str = "danal_tpay";

/// A whole number of KRW from 0 to 2⁵³ − 1.
fn whole(path: &str, value: &Value) -> Check<u64> {
    match value {
        Value::Number(n) => n.as_safe_integer().ok_or_else(|| out_of_range(path).into()),
        other => Err(not_a(path, "number", other).into()),
    }
}

/// A whole number of months from 0 to `max`.
fn months(path: &str, value: &Value, max: u32) -> Result<Value, Error> {
    match value.as_safe_integer() {
        Some(m) if m <= u64::from(max) => Ok(Value::from(m)),
        _ => {
            if let Some(e) = unreadable(path, value) {
                return Err(e);
            }
            let mut msg = concat(&[path, " must be a whole number of months from 0 to "]);
            crate::text::push_u64(&mut msg, u64::from(max));
            Err(Error::invalid(path, msg))
        }
    }
}

/// A `schedule_at` above this is not unix seconds (it would be after the year 2286): it is taken
/// for milliseconds and refused.
pub const SCHEDULE_AT_MAX: u64 = 10_000_000_000;

/// Unix seconds, or an RFC 3339 date-time.
fn unix_seconds(path: &str, value: &Value) -> Result<u64, Error> {
    let secs = match value {
        Value::Number(n) => match n.as_safe_integer() {
            Some(s) => s,
            None => {
                return Err(Error::invalid(path, concat(&[path, " must be whole unix seconds after 1970 (got ", n.as_str(), ")"])))
            }
        },
        Value::String(s) => rfc3339_seconds(s).ok_or_else(|| {
            Error::invalid(path, concat(&[path, " must be unix seconds or a date like 2026-12-03T09:00:00Z (got '", &crate::text::truncate_chars(s, 40), "')"]))
        })?,
        other => return Err(not_a(path, "number of unix seconds or a Date", other)),
    };
    if secs > SCHEDULE_AT_MAX {
        let mut msg = concat(&[path, " looks like milliseconds ("]);
        crate::text::push_u64(&mut msg, secs);
        msg.push_str("): iamport wants unix seconds, like ");
        crate::text::push_u64(&mut msg, secs / 1000);
        return Err(Error::invalid(path, msg));
    }
    if secs == 0 {
        return Err(invalid_after(path, " must be unix seconds after 1970 (got 0)"));
    }
    Ok(secs)
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` → unix seconds (the fraction dropped), from 1970.
pub(crate) fn rfc3339_seconds(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |n, d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0')))
    };
    let sep = |at: usize, c: &[u8]| b.get(at).is_some_and(|x| c.contains(x));
    if b.len() < 20 || !sep(4, b"-") || !sep(7, b"-") || !sep(10, b"Tt ") || !sep(13, b":") || !sep(16, b":") {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let ymd = concat(&[s.get(0..4)?, s.get(5..7)?, s.get(8..10)?]);
    parse_yyyymmdd(&ymd)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut at = 19;
    if sep(at, b".") {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return None;
        }
    }
    let offset = match b.get(at)? {
        b'Z' | b'z' if at + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == b.len() && sep(at + 3, b":") => {
            let (h, m) = (num(at + 1, 2)?, num(at + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let o = h * 3600 + m * 60;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    u64::try_from(secs).ok()
}

/// `v` is an object (else "must be an <like>") of `keys` only (else the unknown key's error).
fn object_of(path: &str, v: &Value, like: &str, keys: &[&str], in_window: bool) -> Result<(), Error> {
    let Value::Object(pairs) = v else {
        return Err(not_a(path, like, v));
    };
    for (key, _) in pairs {
        if !keys.contains(&key.as_str()) {
            return Err(unknown_field(key, keys, path, in_window));
        }
    }
    Ok(())
}

fn check_period(path: &str, v: &Value) -> Result<(), Error> {
    object_of(path, v, "object like {from: 'YYYYMMDD', to: 'YYYYMMDD'}", &["from", "to"], true)?;
    let (from, to) = (period_date(path, v, "from")?, period_date(path, v, "to")?);
    if from > to {
        return Err(Error::invalid(&join(path, "from"), concat(&[path, ".from must not be after ", path, ".to"])));
    }
    Ok(())
}

/// `from` or `to` of a period: a `YYYYMMDD` date.
fn period_date(path: &str, v: &Value, key: &str) -> Result<u32, Error> {
    let at = join(path, key);
    let s = match v.get(key).filter(|v| !v.is_nullish()) {
        None => return Err(required(&at)),
        Some(Value::String(s)) => s,
        Some(other) => return Err(not_a(&at, "string", other)),
    };
    parse_yyyymmdd(s).ok_or_else(|| invalid_after(&at, " must be a date written YYYYMMDD, like 20260101"))
}

fn check_display(profile: &Profile<'_>, request: Request, path: &str, v: &Value) -> Result<Value, Error> {
    object_of(path, v, "object like {card_quota: [0, 2, 3]}", &["card_quota"], request == Request::RequestPay)?;
    // The instalment limit is the card_quota field's (the server's charges take it too).
    let max = match profile.fields.iter().find(|f| f.name == "card_quota").map(|f| f.kind) {
        Some(Kind::Months { max }) => max,
        _ => 0,
    };
    let at = join(path, "card_quota");
    match v.get("card_quota").filter(|v| !v.is_nullish()) {
        None => Ok(Value::Object(Vec::new())),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                months(&indexed(&at, i), item, max)?;
            }
            // One pair, by `vec!` (less wasm than `Value::object`'s generic collect).
            Ok(Value::Object(vec![(String::from("card_quota"), Value::Array(items.clone()))]))
        }
        Some(other) => Err(not_a(&at, "array of months", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `OneOrMany` field's array is kept as given once each item passes its kind's check: right
    /// for text, which no check rewrites (numbers and objects are rewritten: `1e3` is kept as 1000).
    #[test]
    fn one_or_many_fields_are_text() {
        for f in DANAL_CARD.fields {
            for (request, need) in f.requests {
                if *need == Need::OneOrMany {
                    assert!(is_text(f.kind) && !matches!(f.kind, Kind::Pg | Kind::Json), "{} of {request:?}", f.name);
                }
            }
        }
        // A text item is kept as given by the check.
        let reader = Reader {
            profile: &DANAL_CARD,
            request: Request::Unschedule,
            object: &Value::Null,
            path: "",
            out: Read { fields: Vec::new(), entries: Vec::new() },
            amount: None,
            extra: server_kinds,
        };
        let m = Value::from("m_1");
        assert_eq!(reader.check(Kind::Text { max: 40 }, "merchant_uid", &m).ok(), Some(m));
    }
}
