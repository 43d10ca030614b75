//! What the demo's integration tests share: the server started for real on
//! 127.0.0.1:0, a browser as a cookie jar, and the staff member's walk through the
//! stand-in's dashboard into an impersonation.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use staff_bar_demo::{app, Clock, Config, STAND_IN_STAFF_PASSWORD};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub const BOB: &str = "user_01BOBNG";
pub const CAROL: &str = "user_01CAROLDIAZ";
pub const STAFF: &str = "ada@support.test";

pub struct Server {
    pub base: String,
    /// How far (in seconds) the server's clock is ahead of the system's.
    pub clock_offset: Arc<AtomicI64>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Moves the server's clock forward: time passes without a sleep.
    pub fn advance(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).expect("seconds");
        self.clock_offset.fetch_add(seconds, Ordering::SeqCst);
    }
}

pub async fn start_with(configure: impl FnOnce(&mut Config)) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let mut config = Config::new(base.clone());
    let clock_offset = Arc::new(AtomicI64::new(0));
    let offset = clock_offset.clone();
    config.clock = Clock::from_fn(move || {
        OffsetDateTime::now_utc() + time::Duration::seconds(offset.load(Ordering::SeqCst))
    });
    configure(&mut config);
    let router = app(config);
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    Server { base, clock_offset }
}

pub async fn start() -> Server {
    start_with(|_| {}).await
}

/// A server whose Admin has turned User Impersonation on already.
pub async fn start_enabled() -> Server {
    let server = start().await;
    let admin = browser();
    staff_sign_in(&server, &admin).await;
    let enabled = switch_impersonation(&server, &admin, "on").await;
    assert_eq!(enabled.status(), StatusCode::SEE_OTHER, "the Admin turns impersonation on");
    server
}

/// A browser: its own cookie jar, redirects followed by hand.
pub fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client")
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("no Location on a {} answer", response.status()))
        .to_str()
        .expect("ascii Location")
        .to_owned()
}

pub fn set_cookies(response: &Response) -> Vec<String> {
    response.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().expect("ascii").to_owned()).collect()
}

pub fn session_cookie(response: &Response) -> Option<String> {
    set_cookies(response).into_iter().find(|c| c.starts_with("acme_session="))
}

/// Signs `browser` in to the stand-in dashboard as its staff member, through the
/// sign-in page the dashboard sends a signed-out browser to.
pub async fn staff_sign_in(server: &Server, browser: &Client) {
    let dashboard = browser.get(server.url("/workos/dashboard")).send().await.expect("dashboard");
    assert_eq!(dashboard.status(), StatusCode::SEE_OTHER, "the dashboard needs a staff sign-in");
    let login = location(&dashboard);
    assert_eq!(login, "/workos/login?next=%2Fworkos%2Fdashboard");
    let html = browser.get(server.url(&login)).send().await.expect("login").text().await.expect("html");
    assert!(html.contains(STAFF) && html.contains(STAND_IN_STAFF_PASSWORD), "the demo credentials are shown");
    let signed_in = staff_sign_in_as(server, browser, STAFF).await;
    let cookie =
        set_cookies(&signed_in).into_iter().find(|c| c.starts_with("workos_staff=")).expect("a cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/workos")
    );
}

/// The stand-in's User Impersonation switch (Authentication → Features → User
/// Impersonation → Configure).
pub const FEATURE: &str = "/workos/dashboard/authentication/features/user-impersonation";

/// Signs `browser` in to the stand-in dashboard as `email` (either member of the team);
/// returns the answer, a redirect to the dashboard.
pub async fn staff_sign_in_as(server: &Server, browser: &Client, email: &str) -> Response {
    let signed_in = browser
        .post(server.url("/workos/login"))
        .form(&[("email", email), ("password", STAND_IN_STAFF_PASSWORD), ("next", "/workos/dashboard")])
        .send()
        .await
        .expect("login");
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/workos/dashboard");
    signed_in
}

/// Posts the Configure form of User Impersonation as the staff member signed in to
/// `browser`: `on` or `off`.
pub async fn switch_impersonation(server: &Server, browser: &Client, state: &str) -> Response {
    let page = browser.get(server.url(FEATURE)).send().await.expect("feature page");
    assert_eq!(page.status(), StatusCode::OK);
    let token = form_token(&page.text().await.expect("html"), FEATURE);
    let fields = [("csrf_token", token.as_str()), ("enabled", state)];
    browser.post(server.url(FEATURE)).form(&fields).send().await.expect("configure")
}

/// The hidden `csrf_token` of the dashboard form that posts to `action`.
pub fn form_token(html: &str, action: &str) -> String {
    let form = html.find(&format!(r#"action="{action}""#)).unwrap_or_else(|| panic!("a form for {action}"));
    let html = &html[form..];
    let field = r#"<input type="hidden" name="csrf_token" value=""#;
    let start = html.find(field).expect("a csrf_token field") + field.len();
    let end = start + html[start..].find('"').expect("closing quote");
    html[start..end].to_owned()
}

/// The staff member's walk through the stand-in dashboard (signing in first if
/// needed), up to the redirect to the app's callback. Returns that redirect.
pub async fn dashboard_impersonate(
    server: &Server,
    browser: &Client,
    user: &str,
    reason: &str,
    org: Option<&str>,
) -> Response {
    let mut dashboard = browser.get(server.url("/workos/dashboard")).send().await.expect("dashboard");
    if dashboard.status() == StatusCode::SEE_OTHER {
        staff_sign_in(server, browser).await;
        dashboard = browser.get(server.url("/workos/dashboard")).send().await.expect("dashboard");
    }
    assert_eq!(dashboard.status(), StatusCode::OK);
    let form_path = format!("/workos/dashboard/users/{user}/impersonate");
    let mut html = dashboard.text().await.expect("html");
    if html.contains(r#"id="impersonation-off""#) {
        // A new environment: the Admin turns the feature on first, as at WorkOS.
        let enabled = switch_impersonation(server, browser, "on").await;
        assert_eq!(enabled.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&enabled), "/workos/dashboard");
        let dashboard = browser.get(server.url("/workos/dashboard")).send().await.expect("dashboard");
        html = dashboard.text().await.expect("html");
        assert!(!html.contains(r#"id="impersonation-off""#), "{html}");
    }
    assert!(html.contains(&format!(r#"href="{form_path}""#)), "the dashboard links to {form_path}");

    let form = browser.get(server.url(&form_path)).send().await.expect("form");
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.expect("html");
    assert!(html.contains(r#"<label for="reason">Reason</label>"#));
    assert!(html.contains(r#"id="reason" name="reason" rows="3" required"#));
    assert!(html.contains(">Impersonate user</button>"));
    let token = form_token(&html, &form_path);

    let mut fields = vec![("csrf_token", token.as_str()), ("reason", reason)];
    if let Some(org) = org {
        fields.push(("organization_id", org));
    }
    browser.post(server.url(&form_path)).form(&fields).send().await.expect("submit")
}

/// Dashboard → callback → back on the app, signed in as `user`.
pub async fn impersonate(server: &Server, browser: &Client, user: &str, reason: &str, org: Option<&str>) {
    let submitted = dashboard_impersonate(server, browser, user, reason, org).await;
    assert!(submitted.status() == StatusCode::SEE_OTHER || submitted.status() == StatusCode::FOUND);
    let callback = location(&submitted);
    assert!(callback.starts_with(&server.url("/auth/callback?code=")), "{callback}");

    let landed = browser.get(&callback).send().await.expect("callback");
    assert_eq!(landed.status(), StatusCode::SEE_OTHER, "{}", landed.text().await.unwrap_or_default());
    assert_eq!(location(&landed), "/");
    let cookie = session_cookie(&landed).expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
}

pub async fn session(server: &Server, browser: &Client) -> (StatusCode, Value) {
    let response = browser.get(server.url("/auth/session")).send().await.expect("session");
    assert_eq!(response.headers().get(CACHE_CONTROL).map(|v| v.to_str().unwrap_or("")), Some("no-store"));
    let status = response.status();
    (status, response.json().await.expect("json"))
}

/// The CSRF token of the session, read from a page's `<meta name="csrf-token">`.
pub async fn csrf_token(server: &Server, browser: &Client) -> String {
    let html = browser.get(server.url("/")).send().await.expect("home").text().await.expect("html");
    let meta = r#"<meta name="csrf-token" content=""#;
    let start = html.find(meta).expect("the csrf meta") + meta.len();
    let end = start + html[start..].find('"').expect("closing quote");
    html[start..end].to_owned()
}

pub fn parse_time(value: &Value) -> OffsetDateTime {
    let text = value.as_str().unwrap_or_else(|| panic!("not a time: {value}"));
    assert!(text.ends_with('Z'), "{text}");
    OffsetDateTime::parse(text, &Rfc3339).expect("RFC 3339")
}

pub async fn sign_out_json(server: &Server, browser: &Client, token: Option<&str>, body: &str) -> Response {
    let mut request = browser
        .post(server.url("/auth/sign-out"))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.header("X-CSRF-Token", token);
    }
    request.send().await.expect("sign-out")
}
