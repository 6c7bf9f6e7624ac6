//! The shared state (model behind a mutex, the data file, webhooks), the router that puts the REST API,
//! the sandbox endpoints, the example merchant and the static files on one origin, and `run`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get_service;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;

use crate::api::{envelope_errors, ApiError};
use crate::config::Config;
use crate::model::{ModelError, Notice, State};
use crate::store::Store;
use crate::webhook::Webhooks;
use crate::{control, merchant, rest};

/// The largest request body accepted (bigger ones get HTTP 413 in an envelope).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What every handler shares, behind an `Arc`.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<State>,
    store: Store,
    /// The configuration.
    pub config: Config,
    /// Webhook delivery.
    pub webhooks: Webhooks,
}

/// The handlers' state.
pub type AppState = Arc<Shared>;

/// System time in unix seconds.
pub fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Shared {
    /// Loads the data file and sets up webhooks to `default_webhook_url` (when not configured).
    pub fn open(config: Config, default_webhook_url: String) -> Result<Shared, String> {
        let (store, state) = Store::open(&config.data_dir)
            .map_err(|e| format!("data dir {}: {e}", config.data_dir.display()))?;
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        let webhooks = Webhooks {
            client,
            default_url: config.webhook_url.clone().unwrap_or(default_webhook_url),
            allow_remote: config.allow_remote_webhooks,
            attempts: config.webhook_attempts,
            backoff: config.webhook_backoff,
        };
        Ok(Shared {
            state: Mutex::new(state),
            store,
            config,
            webhooks,
        })
    }

    /// The data file's path.
    pub fn data_file(&self) -> &std::path::Path {
        self.store.path()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => {
                // A panic in the middle of a change (the model has no panicking paths; clippy denies
                // them): go back to the last state written, which every answer so far agrees with.
                let mut guard = poisoned.into_inner();
                match self.store.load() {
                    Ok(saved) => *guard = saved,
                    Err(e) => eprintln!("data file {}: {e}", self.store.path().display()),
                }
                self.state.clear_poison();
                guard
            }
        }
    }

    /// Reads the state at the sandbox time.
    pub fn read<R>(&self, f: impl FnOnce(&State, i64) -> R) -> R {
        let st = self.lock();
        let now = st.now(system_now());
        f(&st, now)
    }

    /// Changes the state at the sandbox time, writes the data file, then sends the webhooks. On an
    /// error (from `f` or the disk) the state is left as it was.
    pub fn mutate<R>(
        &self,
        f: impl FnOnce(&mut State, i64) -> Result<(R, Vec<Notice>), ModelError>,
    ) -> Result<R, ApiError> {
        let mut st = self.lock();
        let snapshot = st.clone();
        let now = st.now(system_now());
        let (out, notices) = match f(&mut st, now) {
            Ok(v) => v,
            Err(e) => {
                *st = snapshot;
                return Err(e.into());
            }
        };
        if *st != snapshot {
            if let Err(e) = self.store.save(&st) {
                *st = snapshot;
                eprintln!("data file {}: {e}", self.store.path().display());
                return Err(ApiError::internal(format!(
                    "the sandbox could not write its data file: {e}"
                )));
            }
        }
        drop(st);
        self.webhooks.dispatch(notices);
        Ok(out)
    }

    /// Runs what is due on the sandbox clock (schedules, test-charge cancels).
    pub fn tick(&self) -> Result<(), ApiError> {
        if self.read(|st, now| st.has_due(now)) {
            self.mutate(|st, now| Ok(((), st.tick(now))))?;
        }
        Ok(())
    }
}

/// The whole application: REST API, `/__sandbox/`, `/merchant/`, `/pkg/` and the demo page.
pub fn router(shared: AppState, merchant: Arc<merchant::Merchant>) -> Router {
    let pkg = ServeDir::new(&shared.config.pkg);
    let www = ServeDir::new(&shared.config.www);
    Router::new()
        .merge(rest::routes())
        .merge(control::routes())
        .with_state(shared)
        .nest("/merchant", merchant::routes(merchant))
        .nest_service("/pkg", get_service(pkg).fallback(no_such_path))
        .fallback_service(get_service(www).fallback(no_such_path))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::map_response(envelope_errors))
}

/// A path that is neither an API route nor a file to GET: 404 in an envelope, whatever the method.
async fn no_such_path() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        code: -1,
        message: "Not Found: no such path".into(),
    }
}

/// Binds, prints where everything is, and serves until Ctrl-C.
pub async fn run(config: Config) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base = self_url(addr);
    let shared = Arc::new(Shared::open(config, format!("{base}/merchant/webhook"))?);
    let merchant = Arc::new(merchant::Merchant::new(
        base.clone(),
        shared.config.imp_key.clone(),
        shared.config.imp_secret.clone(),
    )?);
    let shown = format!("http://{addr}");
    println!("iamport-sandbox: listening on {shown}");
    println!(
        "  demo page         {shown}/  (www: {}, pkg at /pkg/: {})",
        shared.config.www.display(),
        shared.config.pkg.display()
    );
    println!("  REST base URL     {shown}  (iamport V1 paths, e.g. POST {shown}/users/getToken)");
    println!("  imp_key           {}", shared.config.imp_key);
    println!("  imp_secret        {}", shared.config.imp_secret);
    println!(
        "  webhooks to       {}  (unless a payment has notice_url)",
        shared.webhooks.default_url
    );
    println!("  example merchant  {shown}/merchant/");
    println!("  sandbox control   {shown}/__sandbox/clock, /__sandbox/clock/advance, /__sandbox/next-outcome, /__sandbox/reset");
    println!("  data file         {}", shared.data_file().display());

    let ticker = shared.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(ticker.config.tick_every);
        loop {
            every.tick().await;
            if let Err(e) = ticker.tick() {
                eprintln!("clock tick: {}", e.message);
            }
        }
    });
    let app = router(shared, merchant);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

/// The URL this server reaches itself at (loopback when listening on every address).
pub fn self_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv6() => "[::1]".to_owned(),
        ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        std::net::IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{ip}:{}", addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_mid_change_goes_back_to_the_saved_state() {
        let dir =
            std::env::temp_dir().join(format!("iamport-sandbox-poison-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let config = Config {
            data_dir: dir.clone(),
            ..Config::default()
        };
        let s = Shared::open(config, "http://127.0.0.1:1/".into()).unwrap();
        s.mutate(|st, _| {
            st.advance(100);
            Ok(((), Vec::new()))
        })
        .unwrap();
        let hit = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            s.mutate::<()>(|st, _| {
                st.advance(5);
                panic!("in the middle of a change")
            })
        }));
        assert!(hit.is_err());
        assert_eq!(s.read(|st, _| st.clock_offset), 100);
        assert!(s.mutate(|st, _| Ok((st.clock_offset, Vec::new()))).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn self_url_is_loopback_for_unspecified_addresses() {
        assert_eq!(
            self_url("0.0.0.0:80".parse().unwrap()),
            "http://127.0.0.1:80"
        );
        assert_eq!(self_url("[::]:80".parse().unwrap()), "http://[::1]:80");
        assert_eq!(
            self_url("127.0.0.1:8".parse().unwrap()),
            "http://127.0.0.1:8"
        );
    }
}
