//! A local iamport (PortOne V1) REST sandbox for the Danal credit-card billing-key flow.
//!
//! One program serves, on one origin: the demo page (`www/`) and the npm package (`/pkg/`); the
//! endpoints the browser sandbox SDK registers its payments and keys with (`/__sandbox/window/pay`);
//! iamport's REST API at its own paths (`/users/getToken`, `/payments/…`, `/subscribe/…`), so a
//! merchant's server works against it by changing the base URL; sandbox controls (`/__sandbox/…`:
//! clock, next card outcome, reset); and an example merchant server (`/merchant/…`) that uses the REST
//! API over HTTP as a merchant would.
//!
//! Layout, from the bottom up (each layer uses only those below it): [`store`] is the SQLite
//! database (rows to structs, one writer thread with group commit, a pool of readers); [`model`]
//! holds every rule, one module per resource, without HTTP; [`legacy`] imports an older data file;
//! [`webhook`] records and delivers webhooks; [`state`] is what the handlers share (the database, the
//! clock, webhook delivery); [`api`] is the envelope and body parsing; [`rest`] and [`control`] are
//! thin handlers; [`merchant`] is the example merchant; [`server`] is the router and `run`. See
//! `README.md` for the differences from the real API.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![deny(missing_docs)]

pub mod api;
pub mod clock;
pub mod config;
pub mod control;
pub mod legacy;
pub mod merchant;
pub mod model;
pub mod rest;
pub mod server;
pub mod state;
pub mod store;
pub mod webhook;
