//! Acme, the sample app: its pages, its sessions and its auth routes.
//!
//! Sessions live here, in memory, keyed by a random id; the browser holds only that id
//! in a signed, HttpOnly, SameSite=Lax cookie. Each session has its own CSRF token.
//!
//! **Expiry.** An impersonation ends `impersonation_ttl` after it starts (60 minutes).
//! Then the whole session is over: it was never the user's own sign-in, so leaving the
//! staff member signed in as the user would be wrong. `/auth/session` answers
//! `401 {"user":null}` from that moment on (the bar, which counts down to `expiresAt`,
//! shows its ended state), pages render signed out, and the log says
//! `impersonation ended … ended_by="expired"`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, Key, SameSite, SignedCookieJar};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{json, Value};
use staff_bar_core::sign_out::validate_return_to;
use staff_bar_demo_leptos::server::{Host, SignedOut};
use time::OffsetDateTime;
use tower_http::services::ServeDir;
use workos::helpers::{AuthKitAuthorizationUrlParams, JwkSet, JwksHelper};
use workos::user_management::{AuthenticateWithCodeParams, GetLogoutUrlParams};

use crate::config::{Config, WorkosMode, STAND_IN_API_KEY, STAND_IN_CLIENT_ID};
use crate::html::html_page;
use crate::util::{random_hex, rfc3339, same_secret};
use crate::AppState;

/// The session cookie: a random session id, signed.
pub(crate) const SESSION_COOKIE: &str = "acme_session";
/// The OAuth `state` of a sign-in in progress.
const STATE_COOKIE: &str = "acme_oauth_state";
const CSRF_HEADER: &str = "x-csrf-token";
const CSRF_FIELD: &str = "csrf_token";
/// What a user reads when a sign-in fails; the details go to the log.
const SIGN_IN_FAILED: &str =
    "Signing in did not work. Please try again, or ask your administrator if it keeps happening.";

#[derive(Clone, Debug)]
struct SessionUser {
    id: String,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
}

impl SessionUser {
    fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            self.email.clone()
        } else {
            name
        }
    }
}

#[derive(Clone, Debug)]
struct Impersonator {
    email: String,
    reason: Option<String>,
}

#[derive(Clone, Debug)]
struct AppSession {
    csrf: String,
    user: SessionUser,
    impersonator: Option<Impersonator>,
    organization_id: Option<String>,
    organization_name: Option<String>,
    /// The WorkOS session id (the access token's `sid`), needed for the logout URL.
    workos_session_id: String,
    started_at: OffsetDateTime,
    /// When the impersonation ends; `None` for an ordinary sign-in.
    expires_at: Option<OffsetDateTime>,
    /// When the session ends, whatever it is: the impersonation's end, or
    /// `session_ttl` after an ordinary sign-in.
    ends_at: OffsetDateTime,
}

impl AppSession {
    fn expired(&self, at: OffsetDateTime) -> bool {
        at >= self.ends_at
    }

    /// The impersonation as staff-bar's own contract type, the one its parser
    /// reads; `None` for an ordinary sign-in. `now` is the server's time.
    fn impersonation(&self, now: OffsetDateTime) -> Option<staff_bar_core::Session> {
        let impersonator = self.impersonator.as_ref()?;
        Some(staff_bar_core::Session {
            user: self.contract_user(),
            impersonator: staff_bar_core::Impersonator {
                email: impersonator.email.clone(),
                reason: impersonator.reason.clone(),
            },
            organization: self.organization_id.as_ref().map(|id| staff_bar_core::Organization {
                id: Some(id.clone()),
                name: self.organization_name.clone(),
            }),
            session_id: Some(self.workos_session_id.clone()),
            expires_at: self.expires_at.map(millis),
            server_time: Some(millis(now)),
        })
    }

    fn contract_user(&self) -> staff_bar_core::User {
        staff_bar_core::User {
            id: Some(self.user.id.clone()),
            email: self.user.email.clone(),
            first_name: self.user.first_name.clone(),
            last_name: self.user.last_name.clone(),
        }
    }

    /// The session JSON of SPEC.md: the impersonation, or the user with
    /// `impersonator: null` for an ordinary sign-in.
    fn to_json(&self, now: OffsetDateTime) -> Value {
        if let Some(session) = self.impersonation(now) {
            return serde_json::to_value(session).unwrap_or(Value::Null);
        }
        let organization = self.organization_id.as_ref().map(|id| staff_bar_core::Organization {
            id: Some(id.clone()),
            name: self.organization_name.clone(),
        });
        json!({
            "user": self.contract_user(),
            "impersonator": null,
            "organizationId": self.organization_id,
            "organization": organization,
        })
    }
}

/// Milliseconds since the Unix epoch.
fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Why a session ended, for the log.
#[derive(Clone, Copy)]
enum Ended {
    Stop,
    Expired,
    Replaced,
}

impl Ended {
    fn as_str(self) -> &'static str {
        match self {
            Ended::Stop => "stop",
            Ended::Expired => "expired",
            Ended::Replaced => "replaced",
        }
    }
}

fn log_ended(session: &AppSession, why: Ended, now: OffsetDateTime) {
    let lasted = (now - session.started_at).whole_seconds();
    match &session.impersonator {
        Some(impersonator) => tracing::info!(
            target: "impersonation",
            staff = %impersonator.email,
            user = %session.user.email,
            organization = session.organization_name.as_deref().unwrap_or("-"),
            reason = impersonator.reason.as_deref().unwrap_or("-"),
            ended_by = why.as_str(),
            lasted_seconds = lasted,
            session = %session.workos_session_id,
            "impersonation ended"
        ),
        None => tracing::info!(
            target: "session",
            user = %session.user.email,
            ended_by = why.as_str(),
            session = %session.workos_session_id,
            "signed out"
        ),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) struct Acme {
    config: Arc<Config>,
    workos: workos::Client,
    /// The environment's signing keys (`GET {base}/sso/jwks/{client_id}`), fetched
    /// and cached (10 minutes) by the `workos` crate.
    jwks: JwksHelper,
    /// Live sessions: random 256-bit id (in the signed cookie) → session.
    ///
    /// Hand-written rather than `tower-sessions` (0.15): its `MemoryStore` never
    /// removes an expired record (`load` only filters it out) and has no
    /// `ExpiredDeletion`, so nothing could sweep it; its expiry is read from
    /// `OffsetDateTime::now_utc()` (the store and `Session::expiry_date`), not from
    /// `Config::clock`, so tests could not move time without sleeping; and a sweep
    /// could not log `impersonation ended … ended_by="expired"` on time. Keeping those
    /// would need a store of our own behind its API: this map, with more around it.
    sessions: Mutex<HashMap<String, AppSession>>,
}

impl Acme {
    pub(crate) fn new(config: Arc<Config>) -> Acme {
        let (api_key, client_id) = match &config.workos {
            WorkosMode::StandIn => (STAND_IN_API_KEY.to_owned(), STAND_IN_CLIENT_ID.to_owned()),
            WorkosMode::Real { api_key, client_id } => (api_key.clone(), client_id.clone()),
        };
        // `base_url` is used for every API call and by the URL builders
        // (`authkit().authorization_url`, `get_logout_url`) alike.
        let workos = workos::Client::builder()
            .api_key(api_key)
            .client_id(client_id)
            .base_url(config.workos_base_url())
            .timeout(Duration::from_secs(15))
            .build();
        let jwks = workos.jwks();
        Acme { config, workos, jwks, sessions: Mutex::new(HashMap::new()) }
    }

    /// The live session the cookie points to. An impersonation past its end is
    /// ended here (and logged) if the sweeper has not done it yet.
    fn session(&self, jar: &SignedCookieJar) -> Option<AppSession> {
        let id = jar.get(SESSION_COOKIE)?.value().to_owned();
        let now = self.now();
        let mut sessions = lock(&self.sessions);
        let session = sessions.get(&id)?;
        if session.expired(now) {
            if let Some(gone) = sessions.remove(&id) {
                log_ended(&gone, Ended::Expired, now);
            }
            return None;
        }
        Some(session.clone())
    }

    /// The server's time, from the configured clock.
    fn now(&self) -> OffsetDateTime {
        self.config.clock.now()
    }

    /// Ends every session whose time is up: impersonations after
    /// `impersonation_ttl`, ordinary sign-ins after `session_ttl`. So the map holds
    /// live sessions only, however many browsers sign in and walk away.
    fn sweep(&self) {
        let at = self.now();
        let mut sessions = lock(&self.sessions);
        let expired: Vec<String> =
            sessions.iter().filter(|(_, s)| s.expired(at)).map(|(id, _)| id.clone()).collect();
        for id in expired {
            if let Some(gone) = sessions.remove(&id) {
                log_ended(&gone, Ended::Expired, at);
            }
        }
    }

    fn dashboard_url(&self) -> &'static str {
        match self.config.workos {
            WorkosMode::StandIn => "/workos/dashboard",
            WorkosMode::Real { .. } => "https://dashboard.workos.com/",
        }
    }
}

impl Acme {
    /// Where the browser goes once `ended` (the session just taken out of the map,
    /// if one was live) is signed out: the WorkOS logout URL, or straight back to
    /// `return_path`. The end is logged here.
    fn after_sign_out(&self, ended: Option<AppSession>, return_path: &str) -> String {
        let return_url = self.config.app_url(return_path);
        let Some(session) = ended else { return return_url };
        let now = self.now();
        let why = if session.expired(now) { Ended::Expired } else { Ended::Stop };
        log_ended(&session, why, now);
        let params =
            GetLogoutUrlParams { session_id: session.workos_session_id.clone(), return_to: Some(return_url) };
        match self.workos.user_management().get_logout_url(params) {
            Ok(url) => url,
            Err(error) => {
                tracing::warn!(%error, "could not build the logout URL");
                self.config.app_url(return_path)
            }
        }
    }

    /// Stop from the `/leptos` pages, through their server function. A server
    /// function is a plain POST with no CSRF token of ours, so it must come from this
    /// app's own pages: the browser says so in `Sec-Fetch-Site`, or in `Origin`.
    fn stop_from_leptos(&self, headers: &HeaderMap, key: Key) -> Result<SignedOut, String> {
        let value = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        let same_site = value(header::HeaderName::from_static("sec-fetch-site")) == Some("same-origin")
            || value(header::ORIGIN) == Some(self.config.base_url.as_str());
        if !same_site {
            return Err("Stop must come from this site's own pages.".to_owned());
        }
        let jar = SignedCookieJar::from_headers(headers, key);
        let ended = jar.get(SESSION_COOKIE).and_then(|cookie| lock(&self.sessions).remove(cookie.value()));
        let redirect_to = self.after_sign_out(ended, "/");
        let mut gone = removal(&self.config, SESSION_COOKIE, "/");
        gone.make_removal();
        let cookie = HeaderValue::from_str(&gone.to_string()).map_err(|error| error.to_string())?;
        Ok(SignedOut { redirect_to, set_cookies: vec![cookie] })
    }
}

/// What the `/leptos` pages' server functions need from Acme: the impersonation
/// behind a request's cookie, and ending it.
pub(crate) fn leptos_host(acme: &Arc<Acme>, key: Key) -> Host {
    let (reader, reader_key) = (acme.clone(), key.clone());
    let ender = acme.clone();
    Host::new(
        move |headers: &HeaderMap| {
            let jar = SignedCookieJar::from_headers(headers, reader_key.clone());
            reader.session(&jar)?.impersonation(reader.config.clock.now_millis())
        },
        move |headers: HeaderMap| {
            let (acme, key) = (ender.clone(), key.clone());
            async move { acme.stop_from_leptos(&headers, key) }
        },
    )
}

/// Ends expired sessions on time, twice a second, for as long as the app lives.
pub(crate) fn spawn_sweeper(acme: &Arc<Acme>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    let acme = Arc::downgrade(acme);
    runtime.spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_millis(500));
        loop {
            ticks.tick().await;
            match acme.upgrade() {
                Some(acme) => acme.sweep(),
                None => break,
            }
        }
    });
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/invoices", get(invoices))
        .route("/account", get(account))
        .route("/account/password", get(password))
        .route("/admin/impersonations", get(impersonation_log))
        .route("/support", get(support))
        .route("/static/acme.css", get(stylesheet))
        .route("/auth/sign-in", get(sign_in))
        .route("/auth/callback", get(callback))
        .route("/auth/session", get(session_json))
        .route("/auth/sign-out", post(sign_out))
        .fallback(not_found)
}

/// The static directories: the `<staff-bar>` bundle and the built Leptos page.
/// Missing directories answer 404; the pages render regardless.
pub(crate) fn static_routes(config: &Config) -> Router {
    Router::new()
        .nest_service("/static/staff-bar", ServeDir::new(&config.dist_dir))
        .nest_service("/leptos/pkg", ServeDir::new(config.leptos_site_dir.join(crate::config::LEPTOS_PKG)))
}

fn no_store() -> [(header::HeaderName, &'static str); 1] {
    [(header::CACHE_CONTROL, "no-store")]
}

// ---------------------------------------------------------------------------------
// Pages

const CSS: &str = r#"
:root { font: 16px/1.5 system-ui, sans-serif; color: #17202a; background: #fbfaf7; }
body { margin: 0; }
.topbar { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: center; padding: 12px 24px; background: #0f4c5c; color: #fff; }
.topbar a { color: #fff; }
.topbar .brand { font-weight: 800; font-size: 20px; letter-spacing: .02em; text-decoration: none; }
.topbar nav { display: flex; gap: 16px; flex-wrap: wrap; }
.topbar nav a[aria-current="page"] { text-decoration-thickness: 3px; }
.topbar .who { margin-inline-start: auto; display: flex; gap: 10px; align-items: center; }
.topbar form { margin: 0; }
main { max-width: 800px; margin: 24px auto 96px; padding: 0 24px; }
.card { background: #fff; border: 1px solid #e4e0d6; border-radius: 10px; padding: 18px 22px; margin-bottom: 16px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: start; padding: 8px 6px; border-bottom: 1px solid #eeeae0; }
td.amount { text-align: end; font-variant-numeric: tabular-nums; }
.button, button { display: inline-block; background: #e36414; color: #fff; border: 0; border-radius: 6px; padding: 7px 14px; font: inherit; cursor: pointer; text-decoration: none; }
.button.secondary, button.secondary { background: #fff; color: #0f4c5c; border: 1px solid #0f4c5c; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; }
dt { font-weight: 600; }
dd { margin: 0; }
.hint { color: #5c6670; font-size: 14px; }
#leptos-app { max-width: 752px; margin: 24px auto 96px; }
.notice { background: #fff4d6; border: 1px solid #e8cf86; border-radius: 6px; padding: 8px 12px; }
/* The host page's own redaction: the bar sets data-impersonating on <html>. */
html[data-impersonating] .redact { filter: blur(6px); user-select: none; pointer-events: none; }
.redact-note { display: none; }
html[data-impersonating] .redact-note { display: inline; }
"#;

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

/// A link of the top bar's navigation.
struct NavLink {
    href: &'static str,
    label: &'static str,
    current: bool,
}

/// What every Acme page shows around its `main` (demo/templates/acme/base.html).
struct Chrome<'a> {
    title: &'a str,
    /// The session's CSRF token, for the meta tag and the sign-out form; empty when
    /// signed out.
    csrf: &'a str,
    nav: Vec<NavLink>,
    dashboard: &'static str,
    /// The name of who is signed in (the impersonated user while impersonating).
    signed_in: Option<String>,
}

impl<'a> Chrome<'a> {
    /// `active` is the path of the page, for `aria-current`.
    fn new(acme: &Acme, session: Option<&'a AppSession>, title: &'a str, active: &str) -> Chrome<'a> {
        let nav = [
            ("/", "Home"),
            ("/invoices", "Invoices"),
            ("/account", "Account"),
            ("/leptos", "Leptos page"),
            ("/support", "Support"),
            ("/admin/impersonations", "Impersonation log"),
        ]
        .into_iter()
        .map(|(href, label)| NavLink { href, label, current: href == active })
        .collect();
        Chrome {
            title,
            csrf: session.map_or("", |s| s.csrf.as_str()),
            nav,
            dashboard: acme.dashboard_url(),
            signed_in: session.map(|s| s.user.display_name()),
        }
    }
}

/// What the home page says about the session.
enum HomeStatus<'a> {
    /// (staff email, user email)
    Impersonating(&'a str, &'a str),
    /// The user's name.
    SignedIn(String),
    SignedOut,
}

#[derive(Template)]
#[template(path = "acme/home.html")]
struct HomePage<'a> {
    chrome: Chrome<'a>,
    status: HomeStatus<'a>,
    /// The stand-in's User Impersonation switch, the walk's first step (`None` with
    /// the real WorkOS, whose dashboard has it at the same place).
    enable_url: Option<&'static str>,
}

/// One made-up invoice.
#[derive(Debug, PartialEq, Eq)]
struct Invoice {
    number: String,
    item: &'static str,
    amount: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "acme/invoices.html")]
struct InvoicesPage<'a> {
    chrome: Chrome<'a>,
    /// `None` when signed out: the page asks to sign in.
    organization: Option<&'a str>,
    invoices: Vec<Invoice>,
}

struct AccountView<'a> {
    name: String,
    email: &'a str,
    organization: &'a str,
    /// The sensitive fields, already masked on the server while impersonating: the
    /// page never carries them then, whatever the browser does with its CSS.
    card: String,
    tax_id: String,
}

/// The account's card number and tax ID as shown: whole to the user, masked to staff
/// impersonating them (redaction on the server, as the seed asks, not a blur alone).
fn sensitive_fields(impersonating: bool) -> (String, String) {
    use staff_bar_core::redact::mask;
    const CARD: &str = "4242 4242 4242 4242";
    const TAX_ID: &str = "123-45-6789";
    if impersonating {
        (mask(CARD, 4), mask(TAX_ID, 4))
    } else {
        (CARD.to_owned(), TAX_ID.to_owned())
    }
}

#[derive(Template)]
#[template(path = "acme/account.html")]
struct AccountPage<'a> {
    chrome: Chrome<'a>,
    /// `None` when signed out: the page asks to sign in.
    account: Option<AccountView<'a>>,
}

/// "Not found" (no message) and the error pages.
#[derive(Template)]
#[template(path = "acme/message.html")]
struct MessagePage<'a> {
    chrome: Chrome<'a>,
    message: Option<&'a str>,
}

async fn home(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    let session = acme.session(&jar);
    let status = match &session {
        Some(s) => match &s.impersonator {
            Some(i) => HomeStatus::Impersonating(&i.email, &s.user.email),
            None => HomeStatus::SignedIn(s.user.display_name()),
        },
        None => HomeStatus::SignedOut,
    };
    let enable_url =
        matches!(acme.config.workos, WorkosMode::StandIn).then_some(crate::stand_in::FEATURE_PAGE);
    let page = HomePage { chrome: Chrome::new(acme, session.as_ref(), "Home", "/"), status, enable_url };
    html_page(StatusCode::OK, &page)
}

/// A few made-up invoices, the same for the same organization.
fn sample_invoices(org: &str) -> Vec<Invoice> {
    let seed = org.bytes().fold(7u32, |acc, b| acc.wrapping_mul(31).wrapping_add(u32::from(b)));
    let items = ["Hosting", "Support plan", "Seats", "Storage", "Consulting"];
    let states = ["Paid", "Paid", "Open", "Overdue"];
    (0..5u32)
        .map(|i| {
            let n = seed.wrapping_add(i.wrapping_mul(2654435761));
            let cents = 1_000 + n % 90_000;
            Invoice {
                number: format!("INV-{:04}", 1000 + (seed % 8000) + i),
                item: items.get((n % 5) as usize).copied().unwrap_or("Hosting"),
                amount: format!("${}.{:02}", cents / 100, cents % 100),
                status: states.get(((n >> 3) % 4) as usize).copied().unwrap_or("Open"),
            }
        })
        .collect()
}

async fn invoices(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    let session = acme.session(&jar);
    let (organization, invoices) = match &session {
        None => (None, Vec::new()),
        Some(s) => (
            Some(s.organization_name.as_deref().unwrap_or("your organization")),
            sample_invoices(s.organization_id.as_deref().unwrap_or(&s.user.id)),
        ),
    };
    let chrome = Chrome::new(acme, session.as_ref(), "Invoices", "/invoices");
    html_page(StatusCode::OK, &InvoicesPage { chrome, organization, invoices })
}

async fn account(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    let session = acme.session(&jar);
    let account = session.as_ref().map(|s| {
        let (card, tax_id) = sensitive_fields(s.impersonator.is_some());
        AccountView {
            name: s.user.display_name(),
            email: &s.user.email,
            organization: s.organization_name.as_deref().unwrap_or("-"),
            card,
            tax_id,
        }
    });
    let chrome = Chrome::new(acme, session.as_ref(), "Account", "/account");
    html_page(StatusCode::OK, &AccountPage { chrome, account })
}

/// The account's password page: where the user changes their password (at WorkOS,
/// which keeps it). A sensitive view: nobody impersonating gets it, on the server.
#[derive(Template)]
#[template(path = "acme/password.html")]
struct PasswordPage<'a> {
    chrome: Chrome<'a>,
    email: &'a str,
}

async fn password(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    let session = acme.session(&jar);
    if let Some(refusal) = sensitive_view_refusal(acme, session.as_ref(), "Password", "/account/password") {
        return refusal;
    }
    let Some(session) = session.as_ref() else {
        return error_page(acme, StatusCode::UNAUTHORIZED, "Password", "Sign in first.");
    };
    let chrome = Chrome::new(acme, Some(session), "Password", "/account");
    html_page(StatusCode::OK, &PasswordPage { chrome, email: &session.user.email })
}

/// Who may not see a sensitive view (`title` at `path`), and what they get: someone
/// signed out is asked to sign in (401); someone impersonating is refused on the
/// server (403), so the staff member acting as a user sees nothing of it.
fn sensitive_view_refusal(
    acme: &Acme,
    session: Option<&AppSession>,
    title: &str,
    path: &str,
) -> Option<Response> {
    let Some(session) = session else {
        let chrome = Chrome::new(acme, None, title, path);
        return Some(html_page(StatusCode::UNAUTHORIZED, &AccountPage { chrome, account: None }));
    };
    let message = "This page is not available while impersonating: it is never sent to a staff member \
                   signed in as the user.";
    session
        .impersonator
        .is_some()
        .then(|| error_page(acme, StatusCode::FORBIDDEN, "Not available while impersonating", message))
}

#[derive(Template)]
#[template(path = "acme/impersonations.html")]
struct ImpersonationLogPage<'a> {
    chrome: Chrome<'a>,
    entries: Vec<crate::impersonation_log::Entry>,
}

/// Acme's own admins audit impersonations here. A sensitive view: refused on the
/// server to anyone impersonating (the staff member acting as a user sees nothing of
/// it), and to anyone signed out.
async fn impersonation_log(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    let session = acme.session(&jar);
    if let Some(refusal) =
        sensitive_view_refusal(acme, session.as_ref(), "Impersonation log", "/admin/impersonations")
    {
        return refusal;
    }
    let entries = match crate::impersonation_log::read(&acme.workos).await {
        Ok(entries) => entries,
        Err(error) => {
            // WorkOS's own words go to the log; the page says what happened.
            tracing::warn!(%error, "could not read the impersonation events");
            return error_page(
                acme,
                StatusCode::BAD_GATEWAY,
                "Log unavailable",
                "WorkOS could not be reached.",
            );
        }
    };
    let chrome = Chrome::new(acme, session.as_ref(), "Impersonation log", "/admin/impersonations");
    html_page(StatusCode::OK, &ImpersonationLogPage { chrome, entries })
}

struct SupportUser {
    name: String,
    email: String,
    /// The deep link into the WorkOS dashboard, when the environment is known.
    link: Option<String>,
}

#[derive(Template)]
#[template(path = "acme/support.html")]
struct SupportPage<'a> {
    chrome: Chrome<'a>,
    users: Vec<SupportUser>,
    environment_note: Option<&'static str>,
}

/// Acme's support desk: its users, each linked into the WorkOS dashboard's
/// impersonation dialog. A staff tool: refused while impersonating and signed out.
async fn support(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    let session = acme.session(&jar);
    if let Some(refusal) = sensitive_view_refusal(acme, session.as_ref(), "Support", "/support") {
        return refusal;
    }
    // The stand-in's own environment, or the real one's when its id is configured.
    let (dashboard, environment) = match &acme.config.workos {
        WorkosMode::StandIn => {
            (acme.config.workos_base_url(), Some(crate::stand_in::ENVIRONMENT_ID.to_owned()))
        }
        WorkosMode::Real { .. } => (
            staff_bar_core::deep_link::WORKOS_DASHBOARD.to_owned(),
            acme.config.workos_environment_id.clone(),
        ),
    };
    let params = workos::user_management::ListUsersParams::default();
    let users = match acme.workos.user_management().list_users(params).await {
        Ok(list) => list
            .data
            .into_iter()
            .map(|user| SupportUser {
                name: [user.first_name.as_deref(), user.last_name.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
                link: environment.as_deref().and_then(|environment| {
                    staff_bar_core::deep_link::impersonation_url(&dashboard, environment, &user.id)
                }),
                email: user.email,
            })
            .collect(),
        Err(error) => {
            tracing::warn!(%error, "could not list the users");
            let message = "WorkOS could not be reached.";
            return error_page(acme, StatusCode::BAD_GATEWAY, "Users unavailable", message);
        }
    };
    let environment_note = environment
        .is_none()
        .then_some("Set WORKOS_ENVIRONMENT_ID to link each user into the WorkOS dashboard.");
    let chrome = Chrome::new(acme, session.as_ref(), "Support", "/support");
    html_page(StatusCode::OK, &SupportPage { chrome, users, environment_note })
}

async fn not_found(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    let session = acme.session(&jar);
    let chrome = Chrome::new(acme, session.as_ref(), "Not found", "");
    html_page(StatusCode::NOT_FOUND, &MessagePage { chrome, message: None })
}

fn error_page(acme: &Acme, status: StatusCode, title: &str, message: &str) -> Response {
    let chrome = Chrome::new(acme, None, title, "");
    html_page(status, &MessagePage { chrome, message: Some(message) })
}

// ---------------------------------------------------------------------------------
// Auth

/// The session cookie: `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` when the
/// app is served over https.
fn session_cookie(config: &Config, value: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(config.secure_cookies())
        .build()
}

/// What removes the cookie `name` (with the attributes it was set with).
fn removal(config: &Config, name: &'static str, path: &'static str) -> Cookie<'static> {
    Cookie::build(name)
        .http_only(true)
        .same_site(SameSite::Lax)
        .path(path)
        .secure(config.secure_cookies())
        .build()
}

/// `GET /auth/sign-in`: off to the hosted sign-in (AuthKit, or the stand-in's page).
async fn sign_in(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    let oauth_state = random_hex(16);
    let params = AuthKitAuthorizationUrlParams {
        redirect_uri: acme.config.callback_url(),
        provider: Some("authkit".to_owned()),
        state: Some(oauth_state.clone()),
        ..Default::default()
    };
    match acme.workos.authkit().authorization_url(params) {
        Ok(url) => {
            let cookie = Cookie::build((STATE_COOKIE, oauth_state))
                .http_only(true)
                .same_site(SameSite::Lax)
                .path("/auth")
                .max_age(time::Duration::minutes(10))
                .secure(acme.config.secure_cookies())
                .build();
            (jar.add(cookie), Redirect::to(&url)).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "could not build the authorization URL");
            error_page(acme, StatusCode::INTERNAL_SERVER_ERROR, "Sign-in is not set up", SIGN_IN_FAILED)
        }
    }
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// The claims of a verified access token that the app uses.
#[derive(Debug, Deserialize)]
struct AccessClaims {
    sub: String,
    sid: String,
    #[serde(default)]
    org_id: Option<String>,
    exp: i64,
}

impl Acme {
    /// Verifies an access token as an app must before it believes a word of it: an
    /// RS256 signature by a key of this environment's JWKS (looked up by the header's
    /// `kid`, refetched once if the key is new), not expired by this server's clock,
    /// and about `user_id`. The error is for the log.
    async fn verify_access_token(&self, token: &str, user_id: &str) -> Result<AccessClaims, String> {
        let header = jsonwebtoken::decode_header(token).map_err(|e| format!("unreadable header: {e}"))?;
        if header.alg != Algorithm::RS256 {
            return Err(format!("algorithm {:?}, not RS256", header.alg));
        }
        let kid = header.kid.filter(|kid| !kid.is_empty()).ok_or("no kid in the header")?;
        let has_kid = |set: &JwkSet| set.keys.iter().any(|key| key.kid.as_deref() == Some(kid.as_str()));
        let mut set = self.jwks.fetch().await.map_err(|e| format!("JWKS: {e}"))?;
        if !has_kid(&set) {
            // WorkOS may have rotated its keys since the cached fetch.
            set = self.jwks.refresh().await.map_err(|e| format!("JWKS: {e}"))?;
        }
        let mut matching = set.keys.iter().filter(|key| key.kid.as_deref() == Some(kid.as_str()));
        let key = matching.next().ok_or_else(|| format!("no key {kid:?} in the JWKS"))?;
        if matching.next().is_some()
            || key.kty.as_deref() != Some("RSA")
            || key.alg.as_deref().is_some_and(|alg| alg != "RS256")
            || key.use_.as_deref().is_some_and(|usage| usage != "sig")
        {
            return Err(format!("key {kid:?} is not one RS256 signing key"));
        }
        let jwk: Jwk = serde_json::to_value(key)
            .and_then(serde_json::from_value)
            .map_err(|e| format!("key {kid:?} is not a JWK: {e}"))?;
        let decoding_key = DecodingKey::from_jwk(&jwk).map_err(|e| format!("key {kid:?}: {e}"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        // Expiry is checked against this server's clock below; the environment is
        // chosen by the client's own JWKS, not by `aud`.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &decoding_key, &validation)
            .map_err(|e| format!("signature or claims: {e}"))?
            .claims;
        if self.now().unix_timestamp() >= claims.exp {
            return Err("the access token has expired".to_owned());
        }
        if claims.sub != user_id {
            return Err("the access token is about another user".to_owned());
        }
        if claims.sid.is_empty() {
            return Err("the access token carries no session id".to_owned());
        }
        Ok(claims)
    }
}

/// `GET /auth/callback?code=…`: where the dashboard (impersonation) and the hosted
/// sign-in send the browser. Exchanges the code with the `workos` crate.
async fn callback(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let acme = &state.acme;
    if let Some(error) = query.error {
        // What the redirect says is logged, not shown: it is text anyone can put in a
        // link to this page.
        tracing::warn!(%error, description = query.error_description.as_deref().unwrap_or("-"), "sign-in failed at WorkOS");
        return error_page(acme, StatusCode::BAD_REQUEST, "Sign-in failed", SIGN_IN_FAILED);
    }
    let Some(code) = query.code.filter(|c| !c.is_empty()) else {
        return error_page(
            acme,
            StatusCode::BAD_REQUEST,
            "Sign-in failed",
            "The callback came without a code.",
        );
    };
    // Login CSRF: a code is proof of *someone's* sign-in, not of this browser's. An
    // attacker could sign in as themselves, stop before the callback and send the
    // victim the link; without a check the victim would be signed in as the attacker
    // (and type their data into the attacker's account). A sign-in this app started
    // carries its `state` back, which must match the cookie set in this browser.
    let started_here = match &query.state {
        Some(returned) => {
            let expected = jar.get(STATE_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
            if expected.is_empty() || !same_secret(returned, &expected) {
                tracing::warn!("sign-in refused: the state does not match this browser's");
                return error_page(
                    acme,
                    StatusCode::BAD_REQUEST,
                    "Sign-in failed",
                    "The sign-in state does not match. Please sign in again.",
                );
            }
            true
        }
        None => false,
    };
    let jar = jar.remove(removal(&acme.config, STATE_COOKIE, "/auth"));

    let auth = match acme
        .workos
        .user_management()
        .authenticate_with_code(AuthenticateWithCodeParams::new(code))
        .await
    {
        Ok(auth) => auth,
        Err(error) => {
            // WorkOS's own words go to the log; the user gets a plain message.
            tracing::warn!(%error, "code exchange failed");
            return error_page(acme, StatusCode::BAD_REQUEST, "Sign-in failed", SIGN_IN_FAILED);
        }
    };
    // Without a state only an impersonation is accepted. WorkOS's dashboard starts an
    // impersonation itself and redirects to the callback with a code and no state
    // (the app never saw the flow begin, so it has no state to give). Such a code is
    // exchanged first, and kept only if WorkOS says it is an impersonation: one made by
    // a staff member signed in to the dashboard, who gave a reason that is recorded.
    // An ordinary sign-in without the state this browser was given is refused.
    if !started_here && auth.impersonator.is_none() {
        tracing::warn!(
            user = %auth.user.email,
            "sign-in refused: a code without state that is not an impersonation (login CSRF?)"
        );
        return error_page(acme, StatusCode::BAD_REQUEST, "Sign-in failed", SIGN_IN_FAILED);
    }
    let claims = match acme.verify_access_token(auth.access_token.expose(), &auth.user.id).await {
        Ok(claims) => claims,
        Err(error) => {
            tracing::warn!(%error, user = %auth.user.email, "sign-in refused: the access token does not verify");
            return error_page(acme, StatusCode::BAD_GATEWAY, "Sign-in failed", SIGN_IN_FAILED);
        }
    };
    let workos_session_id = claims.sid;
    let organization_id = auth.organization_id.clone().or(claims.org_id);
    let organization_name = match &organization_id {
        Some(id) => match acme.workos.organizations().get_organization(id).await {
            Ok(org) => Some(org.name),
            Err(error) => {
                tracing::warn!(%error, organization = %id, "could not fetch the organization");
                None
            }
        },
        None => None,
    };

    let now = acme.now();
    let started_at = now.replace_nanosecond(0).unwrap_or(now);
    let impersonator = auth
        .impersonator
        .map(|i| Impersonator { email: i.email, reason: i.reason.filter(|r| !r.is_empty()) });
    let expires_at = impersonator.as_ref().map(|_| {
        let end = now + acme.config.impersonation_ttl;
        // Whole seconds, rounded down: the session never lasts longer than the TTL
        // (so a 60-minute one never shows "61 min left"), and what we report is
        // exactly when the server ends it.
        end.replace_nanosecond(0).unwrap_or(end)
    });
    let ends_at = expires_at.unwrap_or(now + acme.config.session_ttl);
    let session = AppSession {
        csrf: random_hex(32),
        user: SessionUser {
            id: auth.user.id,
            email: auth.user.email,
            first_name: auth.user.first_name,
            last_name: auth.user.last_name,
        },
        impersonator,
        organization_id,
        organization_name,
        workos_session_id,
        started_at,
        expires_at,
        ends_at,
    };
    match &session.impersonator {
        Some(impersonator) => tracing::info!(
            target: "impersonation",
            staff = %impersonator.email,
            user = %session.user.email,
            organization = session.organization_name.as_deref().unwrap_or("-"),
            reason = impersonator.reason.as_deref().unwrap_or("-"),
            expires_at = %session.expires_at.map(rfc3339).unwrap_or_default(),
            session = %session.workos_session_id,
            "impersonation started"
        ),
        None => {
            tracing::info!(target: "session", user = %session.user.email, session = %session.workos_session_id, "signed in")
        }
    }

    let id = random_hex(32);
    {
        let mut sessions = lock(&acme.sessions);
        if let Some(old) = jar.get(SESSION_COOKIE).and_then(|c| sessions.remove(c.value())) {
            log_ended(&old, Ended::Replaced, now);
        }
        sessions.insert(id.clone(), session);
    }
    (jar.add(session_cookie(&acme.config, id)), Redirect::to("/")).into_response()
}

/// `GET /auth/session`: the session JSON, or `401 {"user":null}`.
async fn session_json(State(state): State<AppState>, jar: SignedCookieJar) -> Response {
    let acme = &state.acme;
    match acme.session(&jar) {
        Some(session) => (no_store(), Json(session.to_json(acme.config.clock.now_millis()))).into_response(),
        None => {
            // A cookie pointing at an ended session is dropped too.
            let jar = if jar.get(SESSION_COOKIE).is_some() {
                jar.remove(removal(&acme.config, SESSION_COOKIE, "/"))
            } else {
                jar
            };
            (StatusCode::UNAUTHORIZED, jar, no_store(), Json(json!({ "user": null }))).into_response()
        }
    }
}

/// What a sign-out request asked for.
struct SignOutRequest {
    form: bool,
    token: Option<String>,
    return_to: Option<String>,
}

fn parse_sign_out(headers: &HeaderMap, body: &[u8]) -> Result<SignOutRequest, String> {
    let header_token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        let fields: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
        return Ok(SignOutRequest {
            form: true,
            token: fields.get(CSRF_FIELD).cloned().or(header_token),
            return_to: fields.get("return_to").cloned(),
        });
    }
    let return_to = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let value: Value = serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
        value.get("returnTo").or_else(|| value.get("return_to")).and_then(Value::as_str).map(str::to_owned)
    };
    Ok(SignOutRequest { form: false, token: header_token, return_to })
}

/// `POST /auth/sign-out`: checks the CSRF token, ends the session, clears the cookie
/// and sends the browser to the WorkOS logout URL — as `{"redirectTo": …}` for
/// `fetch`, or as a `303` for a form POST.
async fn sign_out(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let acme = &state.acme;
    let request = match parse_sign_out(&headers, &body) {
        Ok(request) => request,
        Err(message) => {
            return (StatusCode::BAD_REQUEST, no_store(), Json(json!({ "error": message }))).into_response()
        }
    };
    let refuse = |status: StatusCode, message: &str| -> Response {
        if request.form {
            error_page(acme, status, "Sign-out refused", message)
        } else {
            (status, no_store(), Json(json!({ "error": message }))).into_response()
        }
    };
    let Some(token) = request.token.as_deref().filter(|t| !t.is_empty()) else {
        return refuse(StatusCode::FORBIDDEN, "The CSRF token is missing.");
    };
    let return_path = request.return_to.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| "/".to_owned());
    // staff-bar's own check, the one the bar applies before it sends the path: a
    // single leading `/`, no backslash or control character, and still so once
    // percent-decoded (`/%2F%2Fevil.test` is `//evil.test` to some servers).
    if validate_return_to(&return_path).is_err() {
        return refuse(StatusCode::BAD_REQUEST, "returnTo must be a path of this site.");
    }

    let ended = {
        let cookie_id = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
        let mut sessions = lock(&acme.sessions);
        match cookie_id.as_ref().and_then(|id| sessions.get(id).map(|s| (id.clone(), s))) {
            Some((id, session)) => {
                if !same_secret(token, &session.csrf) {
                    return refuse(StatusCode::FORBIDDEN, "The CSRF token is wrong.");
                }
                sessions.remove(&id)
            }
            // Signed out already (or ended by expiry): nothing to end and nothing a
            // forged request could harm, so the browser just goes where it asked.
            None => None,
        }
    };
    let destination = acme.after_sign_out(ended, &return_path);
    let jar = jar.remove(removal(&acme.config, SESSION_COOKIE, "/"));
    if request.form {
        (jar, no_store(), Redirect::to(&destination)).into_response()
    } else {
        (jar, no_store(), Json(json!({ "redirectTo": destination }))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Clock;
    use std::sync::atomic::{AtomicI64, Ordering};

    /// A clock `offset` seconds ahead of the system's; the test moves it.
    fn moved_clock() -> (Clock, Arc<AtomicI64>) {
        let offset = Arc::new(AtomicI64::new(0));
        let read = offset.clone();
        let clock = Clock::from_fn(move || {
            OffsetDateTime::now_utc() + time::Duration::seconds(read.load(Ordering::SeqCst))
        });
        (clock, offset)
    }

    #[test]
    fn the_sweeper_ends_ordinary_sign_ins_too_so_the_map_cannot_grow_forever() {
        let (clock, offset) = moved_clock();
        let mut config = Config::new("http://127.0.0.1:9");
        config.clock = clock;
        let acme = Acme::new(Arc::new(config));
        {
            let mut sessions = lock(&acme.sessions);
            for i in 0..100 {
                sessions.insert(format!("plain-{i}"), sample(None));
            }
            sessions.insert("impersonation".into(), sample(Some(60)));
        }
        acme.sweep();
        assert_eq!(lock(&acme.sessions).len(), 101, "nothing is over yet");

        offset.store(61, Ordering::SeqCst);
        acme.sweep();
        assert_eq!(lock(&acme.sessions).len(), 100, "the impersonation ended after its TTL");
        assert!(!lock(&acme.sessions).contains_key("impersonation"));

        offset.store(24 * 3600 - 5, Ordering::SeqCst);
        acme.sweep();
        assert_eq!(lock(&acme.sessions).len(), 100, "an ordinary sign-in lasts 24 hours");
        offset.store(24 * 3600 + 1, Ordering::SeqCst);
        acme.sweep();
        assert!(lock(&acme.sessions).is_empty(), "and then it is swept");
    }

    fn sample(expires_in: Option<i64>) -> AppSession {
        let started_at = Clock::system().now_seconds();
        AppSession {
            csrf: "t".into(),
            user: SessionUser {
                id: "user_1".into(),
                email: "bob@northwind.test".into(),
                first_name: Some("Bob".into()),
                last_name: Some("Ng".into()),
            },
            impersonator: expires_in.map(|_| Impersonator { email: "ada@support.test".into(), reason: None }),
            organization_id: Some("org_1".into()),
            organization_name: Some("Northwind Traders".into()),
            workos_session_id: "session_1".into(),
            started_at,
            expires_at: expires_in.map(|s| started_at + time::Duration::seconds(s)),
            ends_at: started_at + time::Duration::seconds(expires_in.unwrap_or(24 * 3600)),
        }
    }

    #[test]
    fn session_cookies_are_secure_over_https_only() {
        let https = Config::new("https://acme.example");
        for cookie in [session_cookie(&https, "id".into()), removal(&https, SESSION_COOKIE, "/")] {
            let text = cookie.to_string();
            assert!(text.contains("; Secure"), "{text}");
            assert!(
                text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Path=/"),
                "{text}"
            );
        }
        let http = Config::new("http://127.0.0.1:8080");
        assert!(!session_cookie(&http, "id".into()).to_string().contains("Secure"));
    }

    #[test]
    fn the_session_json_has_the_spec_shape() {
        let json = sample(Some(3600)).to_json(Clock::system().now_millis());
        assert_eq!(json["user"]["firstName"], "Bob");
        assert_eq!(json["impersonator"]["email"], "ada@support.test");
        assert!(json["impersonator"]["reason"].is_null());
        assert_eq!(json["organization"]["name"], "Northwind Traders");
        assert_eq!(json["organizationId"], "org_1");
        assert_eq!(json["sessionId"], "session_1");
        assert!(json["expiresAt"].as_str().is_some_and(|t| t.ends_with('Z')));
        assert!(json["serverTime"].as_str().is_some_and(|t| t.ends_with('Z')));

        let plain = sample(None).to_json(Clock::system().now_millis());
        assert!(plain["impersonator"].is_null());
        assert!(plain.get("expiresAt").is_none());
    }

    #[test]
    fn an_impersonation_expires_and_so_does_a_plain_sign_in_later() {
        let now = Clock::system().now();
        let later = now + time::Duration::hours(5);
        assert!(sample(Some(60)).expired(later));
        assert!(!sample(Some(60)).expired(now));
        assert!(!sample(None).expired(later));
        assert!(sample(None).expired(now + time::Duration::hours(25)));
    }

    #[test]
    fn sign_out_bodies_are_read_by_content_type() {
        let mut headers = HeaderMap::new();
        headers.insert(CSRF_HEADER, "abc".parse().unwrap_or(header::HeaderValue::from_static("")));
        let json = parse_sign_out(&headers, br#"{"returnTo":"/invoices"}"#).ok();
        assert!(json.as_ref().is_some_and(|r| !r.form && r.token.as_deref() == Some("abc")));
        assert_eq!(json.and_then(|r| r.return_to).as_deref(), Some("/invoices"));
        assert!(parse_sign_out(&headers, b"{nope").is_err());
        assert!(parse_sign_out(&headers, b"").is_ok_and(|r| r.return_to.is_none()));

        headers.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap_or(header::HeaderValue::from_static("")),
        );
        let form = parse_sign_out(&headers, b"csrf_token=xyz&return_to=%2Faccount").ok();
        assert!(form.as_ref().is_some_and(|r| r.form && r.token.as_deref() == Some("xyz")));
        assert_eq!(form.and_then(|r| r.return_to).as_deref(), Some("/account"));
    }

    #[test]
    fn hostile_text_in_a_name_is_escaped_on_every_page() {
        let acme = Acme::new(Arc::new(Config::new("http://127.0.0.1:9")));
        let mut session = sample(Some(3600));
        session.user.first_name = Some("<img src=x onerror=alert(1)>".into());
        session.user.last_name = Some(r#""><script>alert(2)</script>"#.into());
        session.user.email = "bob'@northwind.test".into();
        session.organization_name = Some("Northwind & <b>Co</b>".into());
        session.csrf = r#"" autofocus onfocus="alert(3)"#.into();
        if let Some(impersonator) = session.impersonator.as_mut() {
            impersonator.email = "<i>ada</i>@support.test".into();
        }
        let status = HomeStatus::Impersonating(
            session.impersonator.as_ref().map_or("", |i| i.email.as_str()),
            &session.user.email,
        );
        let home =
            HomePage { chrome: Chrome::new(&acme, Some(&session), "Home", "/"), status, enable_url: None };
        let invoices = InvoicesPage {
            chrome: Chrome::new(&acme, Some(&session), "Invoices", "/invoices"),
            organization: session.organization_name.as_deref(),
            invoices: sample_invoices("org_1"),
        };
        let error = MessagePage { chrome: Chrome::new(&acme, None, "<h1>", ""), message: Some("<em>x</em>") };
        let account = account_html(&acme, &session);
        let pages = [home.render(), invoices.render(), error.render()].map(Result::unwrap_or_default);
        for html in pages.iter().chain([&account]) {
            assert!(html.contains("</html>"), "{html}");
            for raw in ["<img", "<script>", "<b>", "<i>", "<em>x", "<h1><h1>", r#"" autofocus"#] {
                assert!(!html.contains(raw), "{raw} got through: {html}");
            }
        }
        let html = account;
        assert!(
            html.contains(
                "&#60;img src=x onerror=alert(1)&#62; &#34;&#62;&#60;script&#62;alert(2)&#60;/script&#62;"
            ),
            "{html}"
        );
        assert!(html.contains("Northwind &#38; &#60;b&#62;Co&#60;/b&#62;"), "{html}");
        assert!(
            html.contains(r#"<meta name="csrf-token" content="&#34; autofocus onfocus=&#34;alert(3)">"#),
            "{html}"
        );
        assert!(html.contains(r#"<a href="/account" aria-current="page">Account</a>"#), "{html}");
    }

    fn account_html(acme: &Acme, session: &AppSession) -> String {
        let page = AccountPage {
            chrome: Chrome::new(acme, Some(session), "Account", "/account"),
            account: Some(AccountView {
                name: session.user.display_name(),
                email: &session.user.email,
                organization: session.organization_name.as_deref().unwrap_or("-"),
                card: sensitive_fields(session.impersonator.is_some()).0,
                tax_id: sensitive_fields(session.impersonator.is_some()).1,
            }),
        };
        page.render().unwrap_or_default()
    }

    #[test]
    fn sample_invoices_are_stable_per_organization() {
        assert_eq!(sample_invoices("org_a"), sample_invoices("org_a"));
        assert_ne!(sample_invoices("org_a"), sample_invoices("org_b"));
    }
}
