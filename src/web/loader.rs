//! Loading the iamport SDK: one shared attempt, cleared on failure so a later call retries, and
//! `IMP.init` at most once per page.

use std::cell::RefCell;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;

use super::bindings;
use crate::error::Error;
use crate::options::LoadOptions;
use crate::text::{concat, push_u64, truncate_chars};

type Settle = Box<dyn FnOnce(Result<(), Error>)>;

struct Waiter {
    merchant_code: Option<String>,
    settle: Settle,
}

struct Attempt {
    id: u32,
    /// The existing `<script>` we reused, remembered as dead if the attempt fails.
    reused: Option<web_sys::Element>,
    /// The `<script>` we injected (removed again if the attempt fails); `None` when reusing one.
    injected: Option<web_sys::Element>,
    waiters: Vec<Waiter>,
    _on_load: EventListener,
    _on_error: EventListener,
    _timeout: Timeout,
}

#[derive(Default)]
struct Loader {
    attempt: Option<Attempt>,
    next_id: u32,
    /// The merchant code `IMP.init` was called with.
    initialized: Option<String>,
    /// Existing `<script>` elements that failed us once: a retry injects a fresh one instead of
    /// waiting again for a load event that will not come.
    dead_scripts: Vec<web_sys::Element>,
}

thread_local! {
    static LOADER: RefCell<Loader> = RefCell::new(Loader::default());
}

enum Finish {
    Loaded,
    Failed(String),
}

/// Starts loading (or joins the load in progress); `settle` runs exactly once.
pub(crate) fn start(options: LoadOptions, settle: Settle) {
    if let Some(code) = options.merchant_code.as_deref() {
        if let Err(e) = check_not_initialized_with_other(code) {
            return settle(Err(e));
        }
    }
    if bindings::imp_defined() {
        return settle(init_once(options.merchant_code.as_deref()));
    }
    let waiter = Waiter { merchant_code: options.merchant_code.clone(), settle };
    let joined = LOADER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut loader) => match loader.attempt.as_mut() {
            Some(attempt) => {
                attempt.waiters.push(waiter);
                Ok(true)
            }
            None => Err(waiter),
        },
        Err(_) => Err(waiter),
    });
    let waiter = match joined {
        Ok(_) => return,
        Err(waiter) => waiter,
    };
    match begin(&options) {
        Ok((script, injected)) => {
            let id = LOADER.with(|cell| {
                cell.try_borrow_mut().ok().map(|mut loader| {
                    loader.next_id = loader.next_id.wrapping_add(1);
                    loader.next_id
                })
            });
            let Some(id) = id else {
                return (waiter.settle)(Err(failed(String::from("the loader is busy"))));
            };
            let target: &web_sys::EventTarget = script.as_ref();
            let src = options.src.clone();
            let on_load = EventListener::once(target, "load", move |_| finish(id, Finish::Loaded));
            let on_error = EventListener::once(target, "error", move |_| {
                finish(id, Finish::Failed(concat(&["the script ", &truncate_chars(&src, 200), " failed to load"])))
            });
            let ms = options.timeout_ms;
            let timeout = Timeout::new(ms, move || {
                let mut why = String::from("the script did not load within ");
                push_u64(&mut why, u64::from(ms));
                why.push_str(" ms");
                finish(id, Finish::Failed(why));
            });
            let attempt = Attempt {
                id,
                reused: if injected { None } else { Some(script.clone()) },
                injected: if injected { Some(script.clone()) } else { None },
                waiters: vec![waiter],
                _on_load: on_load,
                _on_error: on_error,
                _timeout: timeout,
            };
            LOADER.with(|cell| {
                if let Ok(mut loader) = cell.try_borrow_mut() {
                    loader.attempt = Some(attempt);
                }
            });
            if injected {
                if let Some(parent) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.head().map(Into::into).or(d.document_element())) {
                    let parent: web_sys::Element = parent;
                    if parent.append_child(&script).is_err() {
                        finish(id, Finish::Failed(String::from("the script could not be added to the page")));
                    }
                }
            }
        }
        Err(e) => (waiter.settle)(Err(e)),
    }
}

/// Finds a `<script>` with the same (resolved) `src`, or creates one (not yet in the page).
fn begin(options: &LoadOptions) -> Result<(web_sys::Element, bool), Error> {
    let existing = bindings::find_script(&options.src);
    if existing.is_undefined() {
        return Err(Error::invalid("src", String::from("src must be a valid script URL")));
    }
    if let Ok(script) = existing.dyn_into::<web_sys::Element>() {
        let dead = LOADER.with(|cell| cell.try_borrow().map(|l| l.dead_scripts.contains(&script)).unwrap_or(false));
        if !dead {
            return Ok((script, false));
        }
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| failed(String::from("there is no document to add the script to")))?;
    let script = document
        .create_element("script")
        .map_err(|_| failed(String::from("could not create a <script> element")))?;
    let script: web_sys::HtmlScriptElement =
        script.dyn_into().map_err(|_| failed(String::from("could not create a <script> element")))?;
    script.set_src(&options.src);
    script.set_async(true);
    Ok((script.into(), true))
}

fn finish(id: u32, how: Finish) {
    let attempt = LOADER.with(|cell| {
        let mut loader = cell.try_borrow_mut().ok()?;
        if loader.attempt.as_ref().map(|a| a.id) == Some(id) {
            loader.attempt.take()
        } else {
            None
        }
    });
    let Some(mut attempt) = attempt else { return };
    let outcome = match how {
        Finish::Loaded if bindings::imp_defined() => Ok(()),
        Finish::Loaded => Err(failed(String::from("the script loaded but did not define IMP"))),
        Finish::Failed(why) => Err(failed(why)),
    };
    if outcome.is_err() {
        if let Some(script) = attempt.injected.take() {
            script.remove();
        }
        if let Some(script) = attempt.reused.take() {
            LOADER.with(|cell| {
                if let Ok(mut loader) = cell.try_borrow_mut() {
                    loader.dead_scripts.truncate(7);
                    loader.dead_scripts.push(script);
                }
            });
        }
    }
    let waiters = std::mem::take(&mut attempt.waiters);
    drop(attempt); // removes both listeners and clears the timer
    for waiter in waiters {
        let result = outcome.clone().and_then(|()| init_once(waiter.merchant_code.as_deref()));
        (waiter.settle)(result);
    }
}

fn failed(message: String) -> Error {
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

/// Makes `globalThis.IMP` available, and optionally calls `IMP.init(merchant_code)` (once per page).
///
/// If `IMP` exists nothing is injected; else an existing `<script>` with the same `src` is reused,
/// else one is added. Concurrent calls share one load. A load error, a timeout or a script that
/// does not define `IMP` fails with [`ErrorCode::SdkLoadFailed`](crate::ErrorCode::SdkLoadFailed)
/// and a later call retries.
///
/// ```no_run
/// # async fn run() -> Result<(), iamport_billing::Error> {
/// use iamport_billing::{load_iamport, LoadOptions};
/// load_iamport(LoadOptions::with_merchant_code("imp12345678")?).await?;
/// # Ok(()) }
/// ```
pub fn load_iamport(options: LoadOptions) -> impl std::future::Future<Output = Result<(), Error>> {
    let (sender, receiver) = futures_channel::oneshot::channel();
    start(options, Box::new(move |outcome| {
        let _ = sender.send(outcome);
    }));
    async move {
        receiver.await.unwrap_or_else(|_| Err(failed(String::from("the load was dropped without an outcome"))))
    }
}
