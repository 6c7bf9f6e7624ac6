//! The test bed: the sandbox server as a separate process (one per test, on a port of its own,
//! state in a temporary directory), its controls, and a recording proxy in front of it that can
//! lose an answer or deliver a request late.
//!
//! The sandbox binary is `SANDBOX_BIN`, else `target/debug/iamport-sandbox` (built here with
//! `cargo build -p iamport-sandbox` when missing; `make test` builds it once first).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::http::HeaderMap;
use axum::response::Response;
use futures_util::future::BoxFuture;
use iamport_billing_server::{Client, ClientConfig};
use serde_json::{json, Value};

pub const KEY: &str = "sandbox_key";
pub const SECRET: &str = "sandbox_secret";

fn sandbox_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("SANDBOX_BIN") {
        return PathBuf::from(bin);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let bin = root.join("target/debug/iamport-sandbox");
    static BUILD: std::sync::Once = std::sync::Once::new();
    BUILD.call_once(|| {
        if !bin.exists() {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let ok = Command::new(cargo).args(["build", "-p", "iamport-sandbox"]).current_dir(&root).status();
            assert!(ok.is_ok_and(|s| s.success()), "could not build the sandbox (cargo build -p iamport-sandbox)");
        }
    });
    bin
}

/// A child process killed when dropped (also when a test panics before it is wrapped further).
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running sandbox; killed when dropped.
pub struct Sandbox {
    _child: KillOnDrop,
    pub base: String,
    _dir: tempfile::TempDir,
    http: reqwest::Client,
}

impl Sandbox {
    pub fn start() -> Sandbox {
        let http = reqwest::Client::new();
        let dir = tempfile::tempdir().unwrap();
        let mut child = KillOnDrop(
            Command::new(sandbox_bin())
                .args(["--port", "0", "--data-dir"])
                .arg(dir.path())
                .args(["--webhook-url", "http://127.0.0.1:9/nowhere"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("start the sandbox"),
        );
        let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().expect("the sandbox printed where it listens").unwrap();
            if let Some(url) = line.strip_prefix("iamport-sandbox: listening on ") {
                break url.trim().to_owned();
            }
        };
        // Keep reading its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Sandbox { _child: child, base, _dir: dir, http }
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        let res = self.http.post(format!("{}/__sandbox/{path}", self.base)).json(&body).send().await.unwrap();
        res.json().await.unwrap()
    }

    /// Issues a billing key as the browser window would; returns the window's callback object.
    pub async fn issue_key(&self, customer_uid: &str, merchant_uid: &str, amount: u64) -> Value {
        let pay = json!({
            "pg": "danal_tpay", "pay_method": "card", "merchant_uid": merchant_uid, "amount": amount,
            "customer_uid": customer_uid, "name": "정기결제 등록", "buyer_tel": "010-1234-5678", "outcome": "approve",
        });
        let answer = self.control("window/pay", pay).await;
        assert_eq!(answer["success"], true, "{answer}");
        answer
    }

    pub async fn advance(&self, seconds: u64) {
        self.control("clock/advance", json!({ "seconds": seconds })).await;
    }

    pub async fn decline_next(&self, reason: &str) {
        self.control("next-outcome", json!({ "outcome": "decline", "fail_reason": reason })).await;
    }

    pub fn client(&self) -> Client {
        client_at(&self.base, Duration::from_secs(10))
    }
}

pub fn client_at(base: &str, timeout: Duration) -> Client {
    Client::new(ClientConfig::new(KEY, SECRET).base_url(base).timeout(timeout)).unwrap()
}

/// What a test does in the middle of a proxied exchange (with its own client, straight to the
/// sandbox): see [`Fault::Late`].
#[derive(Clone)]
pub struct Then(pub Arc<dyn Fn() -> BoxFuture<'static, ()> + Send + Sync>);

impl Then {
    pub fn new<F, Fut>(f: F) -> Then
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: core::future::Future<Output = ()> + Send + 'static,
    {
        Then(Arc::new(move || Box::pin(f())))
    }
}

impl std::fmt::Debug for Then {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Then(..)")
    }
}

/// What the proxy does to the first request for a path (each fault once, in the order given;
/// `Always401` stays).
#[derive(Debug, Clone)]
pub enum Fault {
    /// Forward it, then hold the answer this long (a test gives a hold far beyond the client's
    /// timeout: the client gives up at its timeout, and the test never waits for the hold).
    HoldAnswer(String, Duration),
    /// Forward it, then break the connection instead of answering.
    DropAnswer(String),
    /// Break the connection without forwarding it.
    DropRequest(String),
    /// Answer 401 to every request for the path.
    Always401(String),
    /// Answer it with this HTTP status and JSON body without forwarding it (an answer the
    /// sandbox never gives: a refusal inside HTTP 200, another key, a 404 for an empty list).
    Answer(String, u16, Value),
    /// Hold the request without forwarding it until the next request for the same path arrives
    /// (the client timed out meanwhile, and looked the order up): then `before` runs, the held
    /// one reaches the sandbox, `after` runs, and only then the next one is forwarded. The held
    /// request is never answered; it is recorded when it is forwarded.
    Late { path: String, before: Option<Then>, after: Option<Then> },
}

impl Fault {
    /// [`Fault::Late`] with no action.
    pub fn late(path: &str) -> Fault {
        Fault::Late { path: path.into(), before: None, after: None }
    }
}

impl Fault {
    fn path(&self) -> &str {
        match self {
            Fault::HoldAnswer(f, _)
            | Fault::DropAnswer(f)
            | Fault::DropRequest(f)
            | Fault::Always401(f)
            | Fault::Answer(f, ..)
            | Fault::Late { path: f, .. } => f,
        }
    }
}

/// A request held by [`Fault::Late`].
struct Parked {
    method: axum::http::Method,
    path: String,
    path_and_query: String,
    headers: HeaderMap,
    body: Bytes,
    before: Option<Then>,
    after: Option<Then>,
}

/// One request the proxy saw: method, path (without query), HTTP status answered (0: dropped).
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub authorization: Option<String>,
}

#[derive(Clone)]
struct ProxyState {
    upstream: String,
    http: reqwest::Client,
    faults: Arc<Mutex<Vec<Fault>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    parked: Arc<Mutex<Option<Parked>>>,
}

/// A recording proxy in front of the sandbox.
pub struct Proxy {
    pub base: String,
    faults: Arc<Mutex<Vec<Fault>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Proxy {
    pub async fn start(upstream: &str) -> Proxy {
        let faults = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let state = ProxyState {
            upstream: upstream.to_owned(),
            http: reqwest::Client::new(),
            faults: faults.clone(),
            seen: seen.clone(),
            parked: Arc::new(Mutex::new(None)),
        };
        let app = axum::Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Proxy { base, faults, seen }
    }

    pub fn fault(&self, fault: Fault) {
        self.faults.lock().unwrap().push(fault);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// How many requests for `path` (exact, without query) it saw.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method && s.path == path).count()
    }

    pub fn count_prefix(&self, prefix: &str) -> usize {
        self.seen().iter().filter(|s| s.path.starts_with(prefix)).count()
    }

    pub fn statuses(&self, status: u16) -> usize {
        self.seen().iter().filter(|s| s.status == status).count()
    }
}

fn broken() -> Response {
    let stream = futures_util::stream::once(async { Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped by the test proxy")) });
    let mut res = Response::new(Body::from_stream(stream));
    res.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    res
}

impl ProxyState {
    fn record(&self, method: &axum::http::Method, path: &str, status: u16, headers: &HeaderMap) {
        let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
        self.seen.lock().unwrap().push(Seen { method: method.to_string(), path: path.to_owned(), status, authorization });
    }

    /// Sends a request on to the sandbox; its status and body.
    async fn upstream(&self, method: &axum::http::Method, path_and_query: &str, headers: &HeaderMap, body: Bytes) -> (reqwest::StatusCode, Bytes) {
        let mut out = self.http.request(method.clone(), format!("{}{path_and_query}", self.upstream)).body(body);
        for (name, value) in headers.iter() {
            if name != "host" && name != "content-length" {
                out = out.header(name, value);
            }
        }
        let answer = out.send().await.unwrap();
        let status = answer.status();
        (status, answer.bytes().await.unwrap())
    }
}

async fn forward(State(p): State<ProxyState>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let path_and_query = req.uri().path_and_query().map_or(path.clone(), |pq| pq.as_str().to_owned());
    let headers = req.headers().clone();
    let body = axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default();

    // A late request for this path reaches the sandbox now, before this one.
    let late = {
        let mut slot = p.parked.lock().unwrap();
        if slot.as_ref().is_some_and(|k| k.path == path) {
            slot.take()
        } else {
            None
        }
    };
    if let Some(k) = late {
        if let Some(before) = k.before {
            (before.0)().await;
        }
        let (status, _) = p.upstream(&k.method, &k.path_and_query, &k.headers, k.body).await;
        p.record(&k.method, &k.path, status.as_u16(), &k.headers);
        if let Some(after) = k.after {
            (after.0)().await;
        }
    }

    let fault = {
        let mut faults = p.faults.lock().unwrap();
        match faults.iter().position(|f| path.starts_with(f.path())) {
            Some(i) if matches!(faults[i], Fault::Always401(_)) => Some(faults[i].clone()),
            Some(i) => Some(faults.remove(i)),
            None => None,
        }
    };
    match fault {
        Some(Fault::DropRequest(_)) => {
            p.record(&method, &path, 0, &headers);
            return broken();
        }
        Some(Fault::Always401(_)) => {
            p.record(&method, &path, 401, &headers);
            let mut res = Response::new(Body::from(r#"{"code":-1,"message":"Unauthorized","response":null}"#));
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            return res;
        }
        Some(Fault::Answer(_, status, body)) => {
            p.record(&method, &path, status, &headers);
            return respond(reqwest::StatusCode::from_u16(status).unwrap(), Bytes::from(body.to_string()));
        }
        Some(Fault::Late { before, after, .. }) => {
            *p.parked.lock().unwrap() = Some(Parked { method, path, path_and_query, headers, body, before, after });
            // Never answered: the client gives up at its timeout.
            return std::future::pending().await;
        }
        _ => {}
    }
    let (status, bytes) = p.upstream(&method, &path_and_query, &headers, body).await;
    match fault {
        Some(Fault::DropAnswer(_)) => {
            p.record(&method, &path, 0, &headers);
            broken()
        }
        Some(Fault::HoldAnswer(_, hold)) => {
            p.record(&method, &path, status.as_u16(), &headers);
            tokio::time::sleep(hold).await;
            respond(status, bytes)
        }
        _ => {
            p.record(&method, &path, status.as_u16(), &headers);
            respond(status, bytes)
        }
    }
}

fn respond(status: reqwest::StatusCode, bytes: Bytes) -> Response {
    let mut res = Response::new(Body::from(bytes));
    *res.status_mut() = StatusCode::from_u16(status.as_u16()).unwrap();
    res.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    res
}
