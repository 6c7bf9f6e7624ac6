//! Command-line options.

use std::path::PathBuf;
use std::time::Duration;

/// The default `imp_key` (printed at start).
pub const DEFAULT_IMP_KEY: &str = "sandbox_key";
/// The default `imp_secret` (printed at start).
pub const DEFAULT_IMP_SECRET: &str = "sandbox_secret";

/// The usage text for `--help` and errors.
pub const USAGE: &str = "\
usage: iamport-sandbox [--port 8080] [--host 127.0.0.1] [--data-dir target/sandbox-data] [--www www]
                       [--pkg pkg] [--imp-key sandbox_key] [--imp-secret sandbox_secret]
                       [--webhook-url URL] [--allow-remote-webhooks]

  --port N                 port to listen on (0: any free port; the chosen one is printed)
  --host H                 address to listen on (default 127.0.0.1: this machine only)
  --data-dir DIR           where the database (sandbox.db) is kept (created if missing)
  --www DIR                the demo page, served at /
  --pkg DIR                the built npm package, served at /pkg/
  --imp-key K              the REST API's imp_key
  --imp-secret S           the REST API's imp_secret
  --webhook-url URL        where webhooks go when a payment has no notice_url
                           (default: this server's /merchant/webhook)
  --allow-remote-webhooks  allow webhook URLs that are not loopback addresses";

/// Everything the server is configured with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address.
    pub host: String,
    /// Listen port (0 = any).
    pub port: u16,
    /// Directory of the database.
    pub data_dir: PathBuf,
    /// Static demo page directory.
    pub www: PathBuf,
    /// Built npm package directory, served at `/pkg/`.
    pub pkg: PathBuf,
    /// Expected imp_key.
    pub imp_key: String,
    /// Expected imp_secret.
    pub imp_secret: String,
    /// Webhook URL for payments without notice_url (None: the example merchant's).
    pub webhook_url: Option<String>,
    /// Allow non-loopback webhook URLs.
    pub allow_remote_webhooks: bool,
    /// Delay before the first webhook retry; doubles each time.
    pub webhook_backoff: Duration,
    /// Attempts per webhook (first try included).
    pub webhook_attempts: u32,
    /// How often the sandbox clock is checked for due schedules and cancels.
    pub tick_every: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8080,
            data_dir: PathBuf::from("target/sandbox-data"),
            www: PathBuf::from("www"),
            pkg: PathBuf::from("pkg"),
            imp_key: DEFAULT_IMP_KEY.into(),
            imp_secret: DEFAULT_IMP_SECRET.into(),
            webhook_url: None,
            allow_remote_webhooks: false,
            webhook_backoff: Duration::from_millis(500),
            webhook_attempts: 5,
            tick_every: Duration::from_secs(1),
        }
    }
}

/// What the command line asked for.
#[derive(Debug)]
pub enum Command {
    /// Run with this configuration.
    Run(Box<Config>),
    /// Print [`USAGE`].
    Help,
}

impl Config {
    /// Parses the arguments (without the program name).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
        let mut c = Config::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or(format!("{name} needs a value"))
            };
            match flag.as_str() {
                "-h" | "--help" => return Ok(Command::Help),
                "--port" => {
                    c.port = value("--port")?
                        .parse()
                        .map_err(|_| "--port must be 0..65535".to_owned())?
                }
                "--host" => c.host = value("--host")?,
                "--data-dir" => c.data_dir = value("--data-dir")?.into(),
                "--www" => c.www = value("--www")?.into(),
                "--pkg" => c.pkg = value("--pkg")?.into(),
                "--imp-key" => c.imp_key = value("--imp-key")?,
                "--imp-secret" => c.imp_secret = value("--imp-secret")?,
                "--webhook-url" => c.webhook_url = Some(value("--webhook-url")?),
                "--allow-remote-webhooks" => c.allow_remote_webhooks = true,
                other => return Err(format!("unknown argument: {other}")),
            }
        }
        Ok(Command::Run(Box::new(c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Result<Command, String> {
        Config::from_args(a.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_flags_and_defaults() {
        let Ok(Command::Run(c)) = args(&[
            "--port",
            "0",
            "--data-dir=/tmp/x",
            "--allow-remote-webhooks",
        ]) else {
            panic!("not parsed")
        };
        assert_eq!(
            (c.port, c.host.as_str(), c.imp_key.as_str()),
            (0, "127.0.0.1", DEFAULT_IMP_KEY)
        );
        assert_eq!(c.data_dir, PathBuf::from("/tmp/x"));
        assert!(c.allow_remote_webhooks);
        assert!(args(&["--port"]).is_err());
        assert!(args(&["--port", "x"]).is_err());
        assert!(args(&["--nope"]).is_err());
        assert!(matches!(args(&["--help"]), Ok(Command::Help)));
    }
}
