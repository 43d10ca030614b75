//! Acme, the sample app: its pages and its auth routes. Its sessions are the `workos`
//! crate's sealed sessions (`crate::sessions`).
//!
//! **Expiry.** An impersonation ends when WorkOS says so: 60 minutes after it started
//! (`IMPERSONATION_TTL` in the stand-in), its access token runs out and the refresh is
//! refused. Then the whole session is over: it was never the user's own sign-in, so
//! leaving the staff member signed in as the user would be wrong. `/auth/session`
//! answers `401 {"user":null}` from that moment on (the bar, which counts down to
//! `expiresAt`, shows its ended state), pages render signed out, and the log says
//! `impersonation ended … ended_by="expired"`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use axum_extra::extract::cookie::{Cookie, Key, SameSite, SignedCookieJar};
use serde::Deserialize;
use serde_json::{json, Value};
use staff_bar_core::sign_out::validate_return_to;
use staff_bar_demo_leptos::server::{Host, SignedOut};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tower_http::services::ServeDir;
use workos::helpers::AuthKitAuthorizationUrlParams;
use workos::user_management::{AuthenticateWithCodeParams, GetLogoutUrlParams};

use crate::config::{Config, WorkosMode, STAND_IN_API_KEY, STAND_IN_CLIENT_ID};
use crate::html::html_page;
use crate::sessions::{
    log_ended, removal, session_cookie, AppSession, Current, Ended, NewSession, Sessions, SESSION_COOKIE,
};
use crate::util::{random_hex, rfc3339, same_secret};
use crate::AppState;

/// The OAuth `state` of a sign-in in progress.
const STATE_COOKIE: &str = "acme_oauth_state";
const CSRF_HEADER: &str = "x-csrf-token";
const CSRF_FIELD: &str = "csrf_token";
/// What a user reads when a sign-in fails; the details go to the log.
const SIGN_IN_FAILED: &str =
    "Signing in did not work. Please try again, or ask your administrator if it keeps happening.";

pub(crate) struct Acme {
    pub(crate) config: Arc<Config>,
    pub(crate) workos: workos::Client,
    /// How sessions are sealed, and their CSRF tokens derived.
    pub(crate) sessions: Sessions,
}

impl Acme {
    pub(crate) fn new(config: Arc<Config>, key: &Key) -> Acme {
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
        Acme { config, workos, sessions: Sessions::new(key) }
    }

    /// The server's time, from the configured clock.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.config.clock.now()
    }

    fn dashboard_url(&self) -> &'static str {
        match self.config.workos {
            WorkosMode::StandIn => "/workos/dashboard",
            WorkosMode::Real { .. } => "https://dashboard.workos.com/",
        }
    }
}

impl Acme {
    /// Where the browser goes once `ended` (the request's session, if one was live) is
    /// signed out: the WorkOS logout URL, which ends it there, or straight back to
    /// `return_path`. The end is logged here.
    fn after_sign_out(&self, ended: Option<&AppSession>, return_path: &str) -> String {
        let return_url = self.config.app_url(return_path);
        let Some(session) = ended else { return return_url };
        let now = self.now();
        let why = if session.expires_at.is_some_and(|end| now >= end) { Ended::Expired } else { Ended::Stop };
        log_ended(session, why, now);
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
    fn stop_from_leptos(&self, request: &Parts) -> Result<SignedOut, String> {
        let headers = &request.headers;
        let value = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        let same_site = value(header::HeaderName::from_static("sec-fetch-site")) == Some("same-origin")
            || value(header::ORIGIN) == Some(self.config.base_url.as_str());
        if !same_site {
            return Err("Stop must come from this site's own pages.".to_owned());
        }
        let redirect_to = self.after_sign_out(current(request).as_ref(), "/");
        let mut gone = removal(&self.config, SESSION_COOKIE, "/");
        gone.make_removal();
        let cookie = HeaderValue::from_str(&gone.to_string()).map_err(|error| error.to_string())?;
        Ok(SignedOut { redirect_to, set_cookies: vec![cookie] })
    }
}

/// The session the middleware found for a request (`sessions::resolve`).
fn current(request: &Parts) -> Option<AppSession> {
    request.extensions.get::<Current>().and_then(|current| current.0.clone())
}

/// What the `/leptos` pages' server functions need from Acme: the impersonation
/// behind a request, and ending it.
pub(crate) fn leptos_host(acme: &Arc<Acme>) -> Host {
    let (reader, ender) = (acme.clone(), acme.clone());
    Host::new(
        move |request: &Parts| current(request)?.impersonation(reader.config.clock.now_millis()),
        move |request: Parts| {
            let acme = ender.clone();
            async move { acme.stop_from_leptos(&request) }
        },
    )
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
/// Missing directories answer 404; the pages render regardless. The bundle's file
/// names carry no version, so it is served as the README advises for that: revalidated
/// on every use (`no-cache`, answered by a 304 while unchanged), never stale after an
/// upgrade.
pub(crate) fn static_routes(config: &Config) -> Router {
    let bundle = tower_http::set_header::SetResponseHeader::overriding(
        ServeDir::new(&config.dist_dir),
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    Router::new()
        .nest_service("/static/staff-bar", bundle)
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

async fn home(State(state): State<AppState>, Extension(Current(session)): Extension<Current>) -> Response {
    let acme = &state.acme;
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

async fn invoices(
    State(state): State<AppState>,
    Extension(Current(session)): Extension<Current>,
) -> Response {
    let acme = &state.acme;
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

async fn account(State(state): State<AppState>, Extension(Current(session)): Extension<Current>) -> Response {
    let acme = &state.acme;
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

async fn password(
    State(state): State<AppState>,
    Extension(Current(session)): Extension<Current>,
) -> Response {
    let acme = &state.acme;
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
    // The page around the refusal stays the session's (its CSRF token included), so
    // the bar's Stop works from here as from any page.
    session.impersonator.is_some().then(|| {
        let chrome = Chrome::new(acme, Some(session), "Not available while impersonating", path);
        html_page(StatusCode::FORBIDDEN, &MessagePage { chrome, message: Some(message) })
    })
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
async fn impersonation_log(
    State(state): State<AppState>,
    Extension(Current(session)): Extension<Current>,
) -> Response {
    let acme = &state.acme;
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
async fn support(State(state): State<AppState>, Extension(Current(session)): Extension<Current>) -> Response {
    let acme = &state.acme;
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

async fn not_found(
    State(state): State<AppState>,
    Extension(Current(session)): Extension<Current>,
) -> Response {
    let acme = &state.acme;
    let chrome = Chrome::new(acme, session.as_ref(), "Not found", "");
    html_page(StatusCode::NOT_FOUND, &MessagePage { chrome, message: None })
}

fn error_page(acme: &Acme, status: StatusCode, title: &str, message: &str) -> Response {
    let chrome = Chrome::new(acme, None, title, "");
    html_page(status, &MessagePage { chrome, message: Some(message) })
}

// ---------------------------------------------------------------------------------
// Auth

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
    let organization_name = match &auth.organization_id {
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
    let expires_at = match auth.impersonator {
        Some(_) => Some(acme.impersonation_end(&auth, now).await),
        None => None,
    };
    let new = NewSession { auth, organization_name, expires_at, started_at };
    let sealed = match acme.sessions.seal(new) {
        Ok(sealed) => sealed,
        Err(error) => {
            tracing::error!(%error, "could not seal the session");
            return error_page(acme, StatusCode::INTERNAL_SERVER_ERROR, "Sign-in failed", SIGN_IN_FAILED);
        }
    };
    // The crate verifies the new access token as it will on every request: its
    // signature against the JWKS, its subject and its impersonator.
    let Some(session) = acme.open(&sealed).await else {
        tracing::warn!("sign-in refused: the access token does not verify");
        return error_page(acme, StatusCode::BAD_GATEWAY, "Sign-in failed", SIGN_IN_FAILED);
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
    if let Some(old) = jar.get(SESSION_COOKIE).and_then(|cookie| acme.sessions.peek(cookie.value())) {
        log_ended(&old, Ended::Replaced, now);
    }
    (jar.add(session_cookie(&acme.config, sealed)), Redirect::to("/")).into_response()
}

impl Acme {
    /// When WorkOS ends the impersonation it just started: the session's
    /// `expires_at` in the user's sessions list. If the list cannot say, the rule
    /// (`IMPERSONATION_TTL`, 60 minutes at WorkOS) from now.
    async fn impersonation_end(
        &self,
        auth: &workos::models::AuthenticateResponse,
        now: OffsetDateTime,
    ) -> OffsetDateTime {
        let fallback = now + self.config.impersonation_ttl;
        let fallback = fallback.replace_nanosecond(0).unwrap_or(fallback);
        let sid = crate::sessions::session_id_of(auth.access_token.expose());
        let params = workos::user_management::ListSessionsParams::default();
        let listed = match self.workos.user_management().list_sessions(&auth.user.id, params).await {
            Ok(page) => page.data.into_iter().find(|session| Some(&session.id) == sid.as_ref()),
            Err(error) => {
                tracing::warn!(%error, "could not list the user's sessions");
                None
            }
        };
        listed
            .and_then(|session| OffsetDateTime::parse(&session.expires_at, &Rfc3339).ok())
            .unwrap_or(fallback)
    }
}

/// `GET /auth/session`: the session JSON, or `401 {"user":null}`.
async fn session_json(
    State(state): State<AppState>,
    Extension(Current(session)): Extension<Current>,
) -> Response {
    let acme = &state.acme;
    match session {
        Some(session) => (no_store(), Json(session.to_json(acme.config.clock.now_millis()))).into_response(),
        // A cookie of an ended session is dropped on the way out (`sessions::resolve`).
        None => (StatusCode::UNAUTHORIZED, no_store(), Json(json!({ "user": null }))).into_response(),
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
    Extension(Current(session)): Extension<Current>,
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

    // Signed out already (or ended by expiry): nothing to end and nothing a forged
    // request could harm, so the browser just goes where it asked.
    if session.as_ref().is_some_and(|session| !same_secret(token, &session.csrf)) {
        return refuse(StatusCode::FORBIDDEN, "The CSRF token is wrong.");
    }
    let destination = acme.after_sign_out(session.as_ref(), &return_path);
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
    use crate::sessions::{Impersonator, SessionUser};

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
        let acme = Acme::new(Arc::new(Config::new("http://127.0.0.1:9")), &Key::generate());
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
