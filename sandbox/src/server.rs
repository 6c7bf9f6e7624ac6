//! The router that puts the REST API, the sandbox endpoints, the example merchant and the static
//! files on one origin, and `run`. The shared state is [`crate::state`].

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get_service;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;

use crate::api::{envelope_errors, ApiError};
use crate::config::Config;
use crate::{control, merchant, rest};

use crate::state::{AppState, Shared};

/// The largest request body accepted (bigger ones get HTTP 413 in an envelope).
pub const BODY_LIMIT: usize = 64 * 1024;

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
        shared.webhooks.default_url()
    );
    println!("  example merchant  {shown}/merchant/");
    println!("  sandbox control   {shown}/__sandbox/clock, /__sandbox/clock/advance, /__sandbox/next-outcome, /__sandbox/webhooks, /__sandbox/reset");
    println!(
        "  database          {}  (sqlite3 can open it)",
        shared.data_file().display()
    );

    match shared.resume_webhooks().await {
        Ok(0) => {}
        Ok(n) => eprintln!("resending {n} webhook(s) not delivered before the last stop"),
        Err(e) => eprintln!("webhooks not delivered before the last stop: {}", e.message),
    }

    let ticker = shared.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(ticker.config.tick_every);
        loop {
            every.tick().await;
            if let Err(e) = ticker.tick().await {
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
