//! Starts the real binary on port 0 with a temporary data dir, and talks to it over HTTP.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

pub const KEY: &str = "sandbox_key";
pub const SECRET: &str = "sandbox_secret";

static DIRS: AtomicU32 = AtomicU32::new(0);

/// A fresh temporary data directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let n = DIRS.fetch_add(1, Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("iamport-sandbox-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

pub struct Sandbox {
    child: Child,
    pub base: String,
    pub data_dir: PathBuf,
    pub http: reqwest::Client,
}

impl Sandbox {
    pub fn start(data_dir: &PathBuf, extra: &[&str]) -> Sandbox {
        let mut child = Command::new(env!("CARGO_BIN_EXE_iamport-sandbox"))
            .args(["--port", "0", "--data-dir"])
            .arg(data_dir)
            .args(["--www", "/nonexistent-www", "--pkg", "/nonexistent-pkg"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn iamport-sandbox");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut base = None;
        for line in lines.by_ref() {
            let line = line.expect("read stdout");
            if let Some(url) = line.split("listening on ").nth(1) {
                base = Some(url.trim().to_owned());
                break;
            }
        }
        // keep draining stdout so the server never blocks on a full pipe
        std::thread::spawn(move || for _ in lines {});
        let base = base.expect("the server printed no 'listening on' line");
        Sandbox {
            child,
            base,
            data_dir: data_dir.clone(),
            http: reqwest::Client::new(),
        }
    }

    /// The server's process id (to kill it with SIGKILL while requests are in flight).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn token(&self) -> String {
        let v = self
            .post(
                "/users/getToken",
                json!({"imp_key": KEY, "imp_secret": SECRET}),
            )
            .await
            .1;
        v["response"]["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        let v =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, v)
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.http.post(self.url(path)).json(&body)).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.http.get(self.url(path))).await
    }

    pub async fn authed_get(&self, token: &str, path: &str) -> (u16, Value) {
        self.send(self.http.get(self.url(path)).bearer_auth(token))
            .await
    }

    pub async fn authed_post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.send(
            self.http
                .post(self.url(path))
                .bearer_auth(token)
                .json(&body),
        )
        .await
    }

    /// The browser window approving an issuance.
    pub async fn issue(&self, customer_uid: &str, merchant_uid: &str, amount: i64) -> Value {
        let (s, v) = self
            .post(
                "/__sandbox/window/pay",
                json!({"pg": "danal_tpay", "pay_method": "card", "merchant_uid": merchant_uid, "amount": amount,
                       "customer_uid": customer_uid, "name": "정기결제 등록", "buyer_tel": "010-1234-5678", "outcome": "approve"}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["success"], true, "{v}");
        v
    }

    pub async fn advance(&self, seconds: i64) -> i64 {
        let (s, v) = self
            .post("/__sandbox/clock/advance", json!({"seconds": seconds}))
            .await;
        assert_eq!((s, v["code"].as_i64()), (200, Some(0)), "{v}");
        v["response"]["now"].as_i64().expect("now")
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asserts an error envelope: `code` ≠ 0, a message, `response` null.
pub fn assert_error(status: u16, v: &Value, want_status: u16) {
    assert_eq!(status, want_status, "{v}");
    assert_ne!(v["code"].as_i64().expect("code"), 0, "{v}");
    assert!(v["message"].is_string(), "{v}");
    assert!(v["response"].is_null(), "{v}");
}

/// Polls until `f` holds (webhooks and the clock ticker run in the background).
pub async fn eventually<F, Fut>(what: &str, f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    if !holds_within(100, f).await {
        panic!("timed out waiting for: {what}");
    }
}

/// Whether `f` comes to hold within `tries` polls, 100 ms apart.
pub async fn holds_within<F, Fut>(tries: u32, mut f: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..tries {
        if f().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// What a receiver got: (the status it answered, the body).
pub type Got = Arc<Mutex<Vec<(u16, Value)>>>;

/// A webhook receiver on 127.0.0.1 that answers 500 to the first `fail_first` posts.
pub async fn receiver(fail_first: usize) -> (String, Got) {
    use axum::{extract::State, http::StatusCode, routing::post, Json, Router};
    let got: Got = Arc::default();
    async fn hook(
        State((got, fail_first)): State<(Got, usize)>,
        Json(v): Json<Value>,
    ) -> StatusCode {
        let mut got = got.lock().unwrap();
        let status = if got.len() < fail_first {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        };
        got.push((status.as_u16(), v));
        status
    }
    let app = Router::new()
        .route("/hook", post(hook))
        .with_state((got.clone(), fail_first));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}
