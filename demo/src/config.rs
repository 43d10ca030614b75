//! What the demo server needs to know, and how `main` reads it from the environment.

use std::path::PathBuf;
use std::time::Duration;

use axum_extra::extract::cookie::Key;
use sha2::{Digest, Sha512};

/// Impersonation sessions end 60 minutes after they start, as at WorkOS.
pub const DEFAULT_IMPERSONATION_TTL: Duration = Duration::from_secs(60 * 60);

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
    /// How long an impersonation lasts (`IMPERSONATION_TTL` seconds; 60 minutes).
    pub impersonation_ttl: Duration,
    /// Secret the session cookie is signed with (`SESSION_SECRET`); random per
    /// process when `None`.
    pub session_secret: Option<String>,
    /// Served at `/static/staff-bar/`: the `<staff-bar>` bundle (`STAFF_BAR_DIST`).
    pub dist_dir: PathBuf,
    /// Served at `/leptos/pkg/`: the built Leptos page (`target/demo-leptos`).
    pub leptos_pkg_dir: PathBuf,
    /// The stand-in's "logout redirect URIs": paths of the app that
    /// `sessions/logout` may send the browser back to. Anything else is refused.
    pub logout_return_paths: Vec<String>,
}

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
            impersonation_ttl: DEFAULT_IMPERSONATION_TTL,
            session_secret: None,
            dist_dir: workspace_root().join("dist"),
            leptos_pkg_dir: workspace_root().join("target/demo-leptos"),
            logout_return_paths: ["/", "/invoices", "/account", "/leptos"].map(String::from).to_vec(),
        }
    }

    /// Reads `WORKOS_API_KEY` + `WORKOS_CLIENT_ID`, `IMPERSONATION_TTL`,
    /// `SESSION_SECRET`, `STAFF_BAR_DIST` and `APP_BASE_URL` (default: the address the
    /// server is bound to).
    pub fn from_env(bound_base_url: &str) -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let base_url = var("APP_BASE_URL").unwrap_or_else(|| bound_base_url.to_owned());
        let mut config = Config::new(base_url);
        if let (Some(api_key), Some(client_id)) = (var("WORKOS_API_KEY"), var("WORKOS_CLIENT_ID")) {
            config.workos = WorkosMode::Real { api_key, client_id };
        }
        if let Some(ttl) = var("IMPERSONATION_TTL") {
            let seconds: u64 = ttl
                .trim()
                .parse()
                .map_err(|_| format!("IMPERSONATION_TTL must be a whole number of seconds, not {ttl:?}"))?;
            if seconds == 0 {
                return Err("IMPERSONATION_TTL must be at least 1 second".into());
            }
            config.impersonation_ttl = Duration::from_secs(seconds);
        }
        config.session_secret = var("SESSION_SECRET");
        if let Some(dist) = var("STAFF_BAR_DIST") {
            config.dist_dir = PathBuf::from(dist);
        }
        Ok(config)
    }

    /// The base URL the `workos` client uses. The crate joins it with paths that
    /// begin with `/` (`format!("{base}{path}")`), so it must not end in a slash.
    pub fn workos_base_url(&self) -> String {
        match self.workos {
            WorkosMode::StandIn => format!("{}/workos", self.base_url),
            WorkosMode::Real { .. } => workos::DEFAULT_BASE_URL.to_owned(),
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
        a.session_secret = Some("correct horse".into());
        let b = a.clone();
        assert_eq!(a.cookie_key().master(), b.cookie_key().master());
        let c = Config::new("http://x");
        assert_ne!(a.cookie_key().master(), c.cookie_key().master());
    }
}
