//! Loading the iamport SDK: one shared attempt, cleared on failure so a later call retries, and
//! `IMP.init` at most once per page.
//!
//! The page work of one attempt (find or inject the `<script>`, listen for load/error, the timer,
//! removing a failed script) is `watchScript` in `js/glue.js`; the rules — one attempt shared by
//! concurrent callers, retry after failure, init once per merchant code — live here.

use std::cell::RefCell;

use super::bindings;
use super::settle::Settle;
use crate::error::{fixed, Error};
use crate::options::LoadOptions;
use crate::text::{concat, truncate_chars};

struct Waiter {
    merchant_code: Option<String>,
    settle: Settle<()>,
}

struct Attempt {
    id: u32,
    waiters: Vec<Waiter>,
}

struct Loader {
    attempt: Option<Attempt>,
    next_id: u32,
    /// The merchant code `IMP.init` was called with.
    initialized: Option<String>,
}

thread_local! {
    static LOADER: RefCell<Loader> = const { RefCell::new(Loader { attempt: None, next_id: 0, initialized: None }) };
}

/// Starts loading (or joins the load in progress); `settle` runs exactly once.
pub(crate) fn start(options: LoadOptions, settle: Settle<()>) {
    if let Some(code) = options.merchant_code.as_deref() {
        if let Err(e) = check_not_initialized_with_other(code) {
            return settle.send(Err(e));
        }
    }
    if bindings::imp_defined() {
        return settle.send(init_once(options.merchant_code.as_deref()));
    }
    let waiter = Waiter { merchant_code: options.merchant_code.clone(), settle };
    // Join the attempt in progress, or open a new one.
    let opened = LOADER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut loader) => {
            if let Some(attempt) = loader.attempt.as_mut() {
                attempt.waiters.push(waiter);
                return Ok(None);
            }
            loader.next_id = loader.next_id.wrapping_add(1);
            let id = loader.next_id;
            loader.attempt = Some(Attempt { id, waiters: vec![waiter] });
            Ok(Some(id))
        }
        Err(_) => Err(waiter),
    });
    let id = match opened {
        Ok(Some(id)) => id,
        Ok(None) => return,
        Err(waiter) => return waiter.settle.send(Err(failed(String::from("the loader is busy")))),
    };
    // No borrow is held here. `on_script` is only ever called later, from an event or the timer.
    let problem = bindings::watch_script(&options.src, options.timeout_ms, id);
    if problem == "src" {
        settle_all(id, Err(fixed("src", "src must be a valid script URL")));
    } else if !problem.is_empty() {
        settle_all(id, Err(failed(problem)));
    }
}

/// Attempt `id` ended (reported through `exports::report`): `problem` is `""` when the script loaded and
/// defined `IMP`.
pub(crate) fn on_script(id: u32, problem: String) {
    let outcome = if problem.is_empty() { Ok(()) } else { Err(failed(truncate_chars(&problem, 300))) };
    settle_all(id, outcome);
}

/// Ends attempt `id` (if it is the current one) and settles everyone waiting on it.
fn settle_all(id: u32, outcome: Result<(), Error>) {
    let attempt = LOADER.with(|cell| {
        let mut loader = cell.try_borrow_mut().ok()?;
        if loader.attempt.as_ref().map(|a| a.id) == Some(id) {
            loader.attempt.take()
        } else {
            None
        }
    });
    let Some(attempt) = attempt else { return };
    for waiter in attempt.waiters {
        let result = outcome.clone().and_then(|()| init_once(waiter.merchant_code.as_deref()));
        waiter.settle.send(result);
    }
}

pub(crate) fn failed(message: String) -> Error {
    Error::SdkLoadFailed { message }
}

fn check_not_initialized_with_other(code: &str) -> Result<(), Error> {
    let done = LOADER.with(|cell| cell.try_borrow().ok().and_then(|l| l.initialized.clone()));
    match done {
        Some(done) if done != code => Err(Error::invalid(
            "merchantCode",
            concat(&[
                "merchantCode: IMP.init was already called with ",
                &done,
                " on this page; iamport must be initialised once per page",
            ]),
        )),
        _ => Ok(()),
    }
}

/// Calls `IMP.init(code)` unless it was already called with `code`.
fn init_once(code: Option<&str>) -> Result<(), Error> {
    let Some(code) = code else { return Ok(()) };
    check_not_initialized_with_other(code)?;
    let already = LOADER.with(|cell| cell.try_borrow().ok().map(|l| l.initialized.is_some())).unwrap_or(false);
    if already {
        return Ok(());
    }
    let problem = bindings::imp_init(code);
    if !problem.is_empty() {
        return Err(failed(truncate_chars(&problem, 300)));
    }
    LOADER.with(|cell| {
        if let Ok(mut loader) = cell.try_borrow_mut() {
            loader.initialized = Some(code.to_owned());
        }
    });
    Ok(())
}
