#![doc = include_str!("../README.md")]

mod client;
mod clock;
mod config;
mod confirm;
mod error;
mod gloss;
mod lists;
pub mod params;
mod token;
mod transport;
mod types;
mod webhook;

// The npm entry `iamport-billing/server` (scripts/build-server-pkg.sh): JSON in, JSON out.
#[cfg(target_arch = "wasm32")]
mod js;

pub use client::Client;
pub use config::{ClientConfig, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, MAX_TIMEOUT};
pub use confirm::{check_confirm, DANAL_CHECK_AMOUNT};
pub use error::{Error, ErrorCode, MIN_SECRET_CHARS};
pub use params::{
    CancelParams, ChargeParams, ConfirmParams, ListSchedulesParams, OrderDetails, RescheduleParams, ScheduleEntry, ScheduleParams,
    UnscheduleParams, BILLING_KEYS_MAX,
};
pub use lists::SCHEDULE_WINDOW;
pub use params::PaymentRef;
pub use token::RENEW_MARGIN;
pub use types::{
    BillingKey, CancelHistory, ChargeResult, CustomerUidUsage, DanalChannel, Payment, PaymentStatus, PgSetting, Schedule, ScheduleStatus,
    SetupProblem, SetupProblemCode, SetupReport, DANAL_CARD_PG,
};
pub use webhook::WebhookBody;
