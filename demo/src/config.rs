//! What the demo server needs to know, and how `main` reads it from the environment.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum_extra::extract::cookie::Key;
use sha2::{Digest, Sha512};
use time::OffsetDateTime;

/// Impersonation sessions end 60 minutes after they start, as at WorkOS.
pub const DEFAULT_IMPERSONATION_TTL: Duration = Duration::from_secs(60 * 60);
/// Ordinary sign-ins end 24 hours after they start.
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// The shortest `SESSION_SECRET` accepted, in bytes.
pub const MIN_SESSION_SECRET_BYTES: usize = 32;

/// Where the server reads the time: the system clock, or one a test moves by hand.
/// Every expiry (sessions, codes, tokens) and every time the server hands out is
/// read from it.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(OffsetDateTime::now_utc))
    }

    /// A clock that answers `now()` with whatever `read` returns.
    pub fn from_fn(read: impl Fn() -> OffsetDateTime + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(read))
    }

    /// Now, in UTC.
    pub fn now(&self) -> OffsetDateTime {
        (self.0)().to_offset(time::UtcOffset::UTC)
    }

    /// Now, in UTC, to the whole second (the times we hand out have no fractions).
    pub fn now_seconds(&self) -> OffsetDateTime {
        let now = self.now();
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// Now, in UTC, to the millisecond (for `serverTime`, which corrects client clocks).
    pub fn now_millis(&self) -> OffsetDateTime {
        let now = self.now();
        now.replace_millisecond(now.millisecond()).unwrap_or(now)
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// The API key the app presents to the stand-in (and the stand-in expects).
pub const STAND_IN_API_KEY: &str = "sk_test_staff_bar_demo";
/// The client id the app presents to the stand-in (and the stand-in expects).
pub const STAND_IN_CLIENT_ID: &str = "client_staff_bar_demo";

/// Which WorkOS the app talks to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkosMode {
    /// The stand-in embedded in this server under `/workos/`.
    StandIn,
    /// The real WorkOS API (`https://api.workos.com`) with these credentials.
    Real { api_key: String, client_id: String },
}

/// The demo server's configuration. [`Config::new`] gives the defaults for an app
/// served at `base_url`; tests change the fields they care about.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the app is reached, without a trailing slash: `http://127.0.0.1:8080`.
    /// Absolute return URLs and the stand-in's API base URL are built from it.
    pub base_url: String,
    pub workos: WorkosMode,
    /// With [`WorkosMode::Real`]: the API base URL, if not `https://api.workos.com`
    /// (a proxy; the tests' fake WorkOS).
    pub workos_api_url: Option<String>,
    /// With [`WorkosMode::Real`]: the environment's id (`WORKOS_ENVIRONMENT_ID`), for
    /// the support page's deep links into the dashboard; the stand-in has its own.
    pub workos_environment_id: Option<String>,
    /// How long an impersonation lasts (`IMPERSONATION_TTL` seconds; 60 minutes).
    pub impersonation_ttl: Duration,
    /// How long an ordinary sign-in lasts (`SESSION_TTL` seconds; 24 hours).
    pub session_ttl: Duration,
    /// Secret the session cookie is signed with (`SESSION_SECRET`, at least 32
    /// bytes); random per process when `None`.
    pub session_secret: Option<String>,
    /// Where the server reads the time ([`Clock::system`]; tests move their own).
    pub clock: Clock,
    /// Served at `/static/staff-bar/`: the `<staff-bar>` bundle (`STAFF_BAR_DIST`).
    pub dist_dir: PathBuf,
    /// The site root of the Leptos pages as `cargo leptos build` writes it
    /// (`target/demo-site`): their bundle, split chunks and split manifest are in its
    /// `leptos/pkg/`, served at `/leptos/pkg/`.
    pub leptos_site_dir: PathBuf,
    /// The stand-in's "logout redirect URIs": paths of the app that
    /// `sessions/logout` may send the browser back to. Anything else is refused.
    pub logout_return_paths: Vec<String>,
}

/// A whole, positive number of seconds from the variable `name`.
fn seconds(name: &str, text: &str) -> Result<Duration, String> {
    let seconds: u64 =
        text.trim().parse().map_err(|_| format!("{name} must be a whole number of seconds, not {text:?}"))?;
    if seconds == 0 {
        return Err(format!("{name} must be at least 1 second"));
    }
    Ok(Duration::from_secs(seconds))
}

/// Where, under the Leptos site root, its bundle is (and the URL path it is served at).
pub const LEPTOS_PKG: &str = "leptos/pkg";

/// The workspace root, as seen when this crate was compiled.
fn workspace_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

impl Config {
    /// The defaults for an app served at `base_url`, using the stand-in.
    pub fn new(base_url: impl Into<String>) -> Config {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        Config {
            base_url,
            workos: WorkosMode::StandIn,
            workos_api_url: None,
            workos_environment_id: None,
            impersonation_ttl: DEFAULT_IMPERSONATION_TTL,
            session_ttl: DEFAULT_SESSION_TTL,
            session_secret: None,
            clock: Clock::system(),
            dist_dir: workspace_root().join("dist"),
            leptos_site_dir: workspace_root().join("target/demo-site"),
            logout_return_paths: ["/", "/invoices", "/account", "/leptos"].map(String::from).to_vec(),
        }
    }

    /// Reads `WORKOS_API_KEY` + `WORKOS_CLIENT_ID`, `IMPERSONATION_TTL`, `SESSION_TTL`,
    /// `SESSION_SECRET`, `STAFF_BAR_DIST` and `APP_BASE_URL` (default: the address the
    /// server is bound to) from the environment.
    pub fn from_env(bound_base_url: &str) -> Result<Config, String> {
        Config::from_vars(bound_base_url, |name| std::env::var(name).ok())
    }

    /// [`Config::from_env`] with the variables read through `var` (a test passes its
    /// own map). The error is a message for the person starting the server.
    pub fn from_vars(bound_base_url: &str, var: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let base_url = var("APP_BASE_URL").unwrap_or_else(|| bound_base_url.to_owned());
        let parsed = url::Url::parse(base_url.trim())
            .map_err(|error| format!("APP_BASE_URL must be an absolute URL, not {base_url:?}: {error}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(format!("APP_BASE_URL must be an http:// or https:// URL, not {base_url:?}"));
        }
        let mut config = Config::new(base_url.trim());
        if let (Some(api_key), Some(client_id)) = (var("WORKOS_API_KEY"), var("WORKOS_CLIENT_ID")) {
            config.workos = WorkosMode::Real { api_key, client_id };
        }
        config.workos_environment_id = var("WORKOS_ENVIRONMENT_ID");
        if let Some(ttl) = var("IMPERSONATION_TTL") {
            config.impersonation_ttl = seconds("IMPERSONATION_TTL", &ttl)?;
        }
        if let Some(ttl) = var("SESSION_TTL") {
            config.session_ttl = seconds("SESSION_TTL", &ttl)?;
        }
        if let Some(secret) = var("SESSION_SECRET") {
            if secret.len() < MIN_SESSION_SECRET_BYTES {
                return Err(format!(
                    "SESSION_SECRET must be at least {MIN_SESSION_SECRET_BYTES} bytes long (it is {}): \
                     a short secret lets anyone who guesses it forge session cookies. \
                     Use e.g. `openssl rand -hex 32`, or leave it unset for a random one per process.",
                    secret.len()
                ));
            }
            config.session_secret = Some(secret);
        }
        if let Some(dist) = var("STAFF_BAR_DIST") {
            config.dist_dir = PathBuf::from(dist);
        }
        Ok(config)
    }

    /// Is the app served over https? Then every cookie it (and the stand-in) sets is
    /// `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.to_ascii_lowercase().starts_with("https://")
    }

    /// The base URL the `workos` client uses. The crate joins it with paths that
    /// begin with `/` (`format!("{base}{path}")`), so it must not end in a slash.
    pub fn workos_base_url(&self) -> String {
        match self.workos {
            WorkosMode::StandIn => format!("{}/workos", self.base_url),
            WorkosMode::Real { .. } => match &self.workos_api_url {
                Some(url) => url.trim_end_matches('/').to_owned(),
                None => workos::DEFAULT_BASE_URL.to_owned(),
            },
        }
    }

    /// The app's callback, registered as the redirect URI.
    pub fn callback_url(&self) -> String {
        format!("{}/auth/callback", self.base_url)
    }

    /// The absolute URL of a same-origin path of the app.
    pub fn app_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// The key that signs the session cookie.
    pub(crate) fn cookie_key(&self) -> Key {
        match &self.session_secret {
            Some(secret) => {
                let digest = Sha512::digest(secret.as_bytes());
                Key::from(digest.as_slice())
            }
            None => {
                let mut bytes = [0u8; 64];
                crate::util::fill_random(&mut bytes);
                Key::from(&bytes)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_loses_its_trailing_slash() {
        let config = Config::new("http://127.0.0.1:9/");
        assert_eq!(config.base_url, "http://127.0.0.1:9");
        assert_eq!(config.workos_base_url(), "http://127.0.0.1:9/workos");
        assert_eq!(config.callback_url(), "http://127.0.0.1:9/auth/callback");
    }

    #[test]
    fn the_same_secret_gives_the_same_key() {
        let mut a = Config::new("http://x");
        a.session_secret = Some("correct horse battery staple, and more".into());
        let b = a.clone();
        assert_eq!(a.cookie_key().master(), b.cookie_key().master());
        let c = Config::new("http://x");
        assert_ne!(a.cookie_key().master(), c.cookie_key().master());
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> =
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn a_short_session_secret_is_refused_with_a_clear_message() {
        let error = Config::from_vars("http://127.0.0.1:9", vars(&[("SESSION_SECRET", "hunter2")]))
            .err()
            .unwrap_or_default();
        assert!(error.contains("SESSION_SECRET must be at least 32 bytes"), "{error}");
        assert!(error.contains("it is 7"), "{error}");
        let just_short = "x".repeat(31);
        assert!(Config::from_vars("http://x", vars(&[("SESSION_SECRET", &just_short)])).is_err());

        let long = "x".repeat(32);
        let config = Config::from_vars("http://127.0.0.1:9", vars(&[("SESSION_SECRET", &long)]));
        assert_eq!(config.ok().and_then(|c| c.session_secret), Some(long));
        let unset = Config::from_vars("http://127.0.0.1:9", vars(&[]));
        assert!(unset.is_ok_and(|c| c.session_secret.is_none()));
    }

    #[test]
    fn the_environment_is_read_through_the_lookup() {
        let config = Config::from_vars(
            "http://127.0.0.1:9",
            vars(&[
                ("APP_BASE_URL", "https://acme.example/"),
                ("SESSION_TTL", "60"),
                ("IMPERSONATION_TTL", "5"),
            ]),
        );
        let config = match config {
            Ok(config) => config,
            Err(error) => panic!("{error}"),
        };
        assert_eq!(config.base_url, "https://acme.example");
        assert!(config.secure_cookies());
        assert_eq!(config.session_ttl, Duration::from_secs(60));
        assert_eq!(config.impersonation_ttl, Duration::from_secs(5));
        assert!(!Config::new("http://127.0.0.1:9").secure_cookies());
        for (name, value) in [("SESSION_TTL", "0"), ("SESSION_TTL", "soon"), ("APP_BASE_URL", "acme.example")]
        {
            assert!(Config::from_vars("http://x", vars(&[(name, value)])).is_err(), "{name}={value}");
        }
    }

    #[test]
    fn a_clock_can_be_set_by_hand() {
        let at = OffsetDateTime::UNIX_EPOCH + time::Duration::milliseconds(1_500_250);
        let clock = Clock::from_fn(move || at);
        assert_eq!(clock.now(), at);
        assert_eq!(clock.now_seconds().unix_timestamp_nanos(), 1_500_000_000_000);
        assert_eq!(clock.now_millis().unix_timestamp_nanos(), 1_500_250_000_000);
    }
}
