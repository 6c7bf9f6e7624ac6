//! [`PgSetting`] (`GET /users/pg`) and what [`Client::check_setup`](crate::Client::check_setup)
//! makes of them: a [`SetupReport`] with its [`DanalChannel`]s and [`SetupProblem`]s.

use serde::{Deserialize, Serialize};

use super::{lenient, open_enum};

/// The PG code of Danal's credit-card service, the one that issues billing keys in the window
/// (`danal` is Danal's phone billing, which does not).
pub const DANAL_CARD_PG: &str = "danal_tpay";

/// One PG channel of the account as iamport lists it (`GET /users/pg`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PgSetting {
    /// The PG (`danal_tpay`, `kcp`, …).
    #[serde(default, deserialize_with = "lenient")]
    pub pg_provider: String,
    /// The PG's merchant id.
    #[serde(default, deserialize_with = "lenient")]
    pub pg_id: String,
    /// `true` for a test channel.
    #[serde(default, deserialize_with = "lenient")]
    pub sandbox: bool,
    /// What the channel is for: `payment`, or another use (identity checks, …).
    #[serde(rename = "type", default, deserialize_with = "lenient")]
    pub kind: String,
    /// The channel's name in the console.
    #[serde(default, deserialize_with = "lenient")]
    pub channel_name: Option<String>,
    /// The key that selects the channel in the window (`channelKey`).
    #[serde(default, deserialize_with = "lenient")]
    pub channel_key: Option<String>,
}

/// A Danal credit-card channel of the account, as [`SetupReport::danal`] lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DanalChannel {
    /// Danal's merchant id.
    pub pg_id: String,
    /// `true` for a test channel (no real charge).
    pub sandbox: bool,
    /// `payment` for a channel the window can issue billing keys with.
    #[serde(rename = "type")]
    pub kind: String,
    /// The key to give the window as `channelKey`.
    pub channel_key: Option<String>,
    /// The channel's name in the console.
    pub channel_name: Option<String>,
}

open_enum! {
    /// The stable code of a [`SetupProblem`].
    SetupProblemCode {
        /// The account has no Danal credit-card (`danal_tpay`) channel.
        NoDanalChannel => "NO_DANAL_CHANNEL",
        /// It has Danal credit-card channels, none of type `payment`: the window cannot issue keys.
        NoDanalPaymentChannel => "NO_DANAL_PAYMENT_CHANNEL",
        /// Live billing was asked for, and every Danal payment channel is a test channel.
        DanalTestOnly => "DANAL_TEST_ONLY",
        /// The Danal payment channel has no channel key to select it with in the window.
        NoChannelKey => "NO_CHANNEL_KEY",
    }
}

/// Something in the account's setup that keeps Danal billing from working, with what to change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SetupProblem {
    /// Stable: `NO_DANAL_CHANNEL`, `NO_DANAL_PAYMENT_CHANNEL`, `DANAL_TEST_ONLY`, `NO_CHANNEL_KEY`.
    pub code: SetupProblemCode,
    /// What is wrong and what to change in the console.
    pub message: String,
}

/// What [`Client::check_setup`](crate::Client::check_setup) found: `ok` when Danal billing can
/// work (no problems), the Danal credit-card channels, and the problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SetupReport {
    /// `true` when `problems` is empty.
    pub ok: bool,
    /// Every Danal credit-card channel of the account, payment channels first, live ones first.
    pub danal: Vec<DanalChannel>,
    /// What keeps Danal billing from working; empty when `ok`.
    pub problems: Vec<SetupProblem>,
}

/// Where Danal's credit card is set up, as the consoles name the menus.
const WHERE: &str = "in PortOne's console, 결제 연동 > 연동 정보 > 채널 관리 (the classic iamport console: 시스템 설정 > PG설정(인증방식결제))";

impl SetupReport {
    /// The report on the account's PG channels; `live`: real charges are wanted (a test channel
    /// alone is then a problem).
    pub fn of(settings: &[PgSetting], live: bool) -> SetupReport {
        let mut danal: Vec<DanalChannel> = settings
            .iter()
            .filter(|s| s.pg_provider == DANAL_CARD_PG)
            .map(|s| DanalChannel {
                pg_id: s.pg_id.clone(),
                sandbox: s.sandbox,
                kind: s.kind.clone(),
                channel_key: s.channel_key.clone().filter(|k| !k.is_empty()),
                channel_name: s.channel_name.clone(),
            })
            .collect();
        danal.sort_by_key(|c| (c.kind != "payment", c.sandbox));
        let payment: Vec<&DanalChannel> = danal.iter().filter(|c| c.kind == "payment").collect();
        let mut problems = Vec::new();
        let mut problem = |code: SetupProblemCode, message: String| problems.push(SetupProblem { code, message });
        if danal.is_empty() {
            let phone = settings.iter().any(|s| s.pg_provider == "danal");
            let also = if phone {
                " The account has a Danal phone-billing channel (danal): that one cannot issue card billing keys."
            } else {
                ""
            };
            problem(
                SetupProblemCode::NoDanalChannel,
                format!("no Danal credit-card channel (danal_tpay): add one {WHERE}, PG 다날 - 신용카드, channel type 결제.{also}"),
            );
        } else if payment.is_empty() {
            problem(
                SetupProblemCode::NoDanalPaymentChannel,
                format!("the Danal credit-card channels are not of type payment, so the window cannot issue billing keys: set 채널 속성 to 결제 {WHERE}"),
            );
        } else {
            if live && payment.iter().all(|c| c.sandbox) {
                problem(
                    SetupProblemCode::DanalTestOnly,
                    format!("every Danal credit-card payment channel is a test channel (no real charges): add a live one with Danal's merchant id {WHERE}, 연동 모드 실연동"),
                );
            }
            if payment.iter().all(|c| c.channel_key.is_none()) {
                problem(
                    SetupProblemCode::NoChannelKey,
                    format!("the Danal credit-card payment channel has no channel key: save the channel again {WHERE} to get one"),
                );
            }
        }
        SetupReport { ok: problems.is_empty(), danal, problems }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(v: serde_json::Value) -> Vec<PgSetting> {
        serde_json::from_value(v).unwrap()
    }

    fn codes(r: &SetupReport) -> Vec<&str> {
        r.problems.iter().map(|p| p.code.as_str()).collect()
    }

    #[test]
    fn a_danal_test_payment_channel_is_enough_unless_live() {
        let s = settings(json!([
            { "pg_provider": "kcp", "pg_id": "T0000", "sandbox": true, "type": "payment", "channel_key": "ck_kcp", "channel_name": "kcp" },
            { "pg_provider": "danal_tpay", "pg_id": "9810030929", "sandbox": true, "type": "payment", "channel_key": "ck_danal", "channel_name": "다날" },
        ]));
        let r = SetupReport::of(&s, false);
        assert!(r.ok && r.problems.is_empty(), "{r:?}");
        assert_eq!(r.danal.len(), 1);
        assert_eq!(r.danal[0].channel_key.as_deref(), Some("ck_danal"));
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["danal"][0]["type"], "payment");
        let live = SetupReport::of(&s, true);
        assert_eq!(codes(&live), ["DANAL_TEST_ONLY"]);
        assert!(!live.ok);
        assert!(live.problems[0].message.contains("PG설정(인증방식결제)"), "{}", live.problems[0].message);
    }

    #[test]
    fn each_problem_has_its_code() {
        assert_eq!(codes(&SetupReport::of(&[], false)), ["NO_DANAL_CHANNEL"]);
        let phone = settings(json!([{ "pg_provider": "danal", "pg_id": "x", "sandbox": true, "type": "payment" }]));
        let r = SetupReport::of(&phone, false);
        assert_eq!(codes(&r), ["NO_DANAL_CHANNEL"]);
        assert!(r.problems[0].message.contains("phone"), "{r:?}");
        let identity = settings(json!([{ "pg_provider": "danal_tpay", "pg_id": "x", "sandbox": false, "type": "certification", "channel_key": "k" }]));
        assert_eq!(codes(&SetupReport::of(&identity, false)), ["NO_DANAL_PAYMENT_CHANNEL"]);
        let keyless = settings(json!([{ "pg_provider": "danal_tpay", "pg_id": "x", "sandbox": false, "type": "payment", "channel_key": "" }]));
        assert_eq!(codes(&SetupReport::of(&keyless, true)), ["NO_CHANNEL_KEY"]);
        let both = settings(json!([
            { "pg_provider": "danal_tpay", "pg_id": "t", "sandbox": true, "type": "payment", "channel_key": "t" },
            { "pg_provider": "danal_tpay", "pg_id": "l", "sandbox": false, "type": "payment", "channel_key": "l" },
        ]));
        let r = SetupReport::of(&both, true);
        assert!(r.ok, "{r:?}");
        assert_eq!(r.danal[0].pg_id, "l", "live channels first");
    }
}
