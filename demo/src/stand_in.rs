//! A stand-in for WorkOS, mounted at `/workos/` unless real credentials are given.
//!
//! It plays both sides WorkOS plays in the impersonation flow:
//!
//! * the **dashboard** a staff member uses: a users page, "Impersonate" with a required
//!   reason (and an organization choice when the user belongs to several), then a
//!   redirect to the app's callback with a one-time code; and the **hosted sign-in**
//!   page (`/user_management/authorize`) for ordinary users;
//! * the **API** the app reaches through the `workos` crate, answering exactly the
//!   paths and JSON shapes the crate (3.5) sends and expects:
//!   `POST /user_management/authenticate` (`grant_type=authorization_code`, `code`,
//!   `client_id`, `client_secret` in a JSON body) → `AuthenticateResponse`;
//!   `GET /organizations/{id}` (bearer API key) → `Organization`;
//!   `GET /sso/jwks/{client_id}` → the JWKS (one RSA key, `kid`, `use: sig`) that the
//!   access tokens (RS256, with that `kid`) are signed with, as at WorkOS;
//!   `GET /user_management/sessions/logout?session_id=…&return_to=…` (a browser
//!   redirect, built by the crate's `get_logout_url`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use std::sync::OnceLock;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::config::{Config, STAND_IN_API_KEY, STAND_IN_CLIENT_ID};
use crate::html::html_page;
use crate::util::{random_hex, random_id, rfc3339, same_secret};

/// The stand-in dashboard's staff account with the Admin role, the one that can turn
/// User Impersonation on. The sign-in page shows (and fills in) it: `make demo` has
/// nothing to configure.
pub const STAFF_EMAIL: &str = "ada@support.test";
/// A second staff account, with the Member role: it may impersonate once impersonation
/// is on, but not turn it on or off.
pub const MEMBER_EMAIL: &str = "max@support.test";
/// The password of both staff accounts at the stand-in dashboard.
pub const STAFF_PASSWORD: &str = "staff-bar-demo";
/// The stand-in's one environment, as the dashboard's URLs name it
/// (`/workos/<environment_id>/users/<user_id>/details`).
pub const ENVIRONMENT_ID: &str = "environment_01STAFFBARDEMO";
/// The stand-in dashboard's sign-in cookie: a random id, `Path=/workos`.
const STAFF_COOKIE: &str = "workos_staff";
/// How long a staff sign-in at the stand-in dashboard lasts.
const STAFF_SESSION_LIFETIME: Duration = Duration::from_secs(8 * 60 * 60);

/// How long a code from the dashboard or the sign-in page can be exchanged.
const CODE_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// The access token's own lifetime (minutes, as at WorkOS) — not the impersonation's.
const ACCESS_TOKEN_LIFETIME: i64 = 5 * 60;

/// A member of the WorkOS team (the dashboard's Team page), with a role.
struct StaffMember {
    email: &'static str,
    role: Role,
}

/// A dashboard role: only an Admin changes the environment's features.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Admin,
    Member,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Member => "Member",
        }
    }
}

const TEAM: &[StaffMember] = &[
    StaffMember { email: STAFF_EMAIL, role: Role::Admin },
    StaffMember { email: MEMBER_EMAIL, role: Role::Member },
];

struct DemoOrg {
    id: &'static str,
    name: &'static str,
}

struct DemoUser {
    id: &'static str,
    email: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    orgs: &'static [&'static str],
}

const ORGS: &[DemoOrg] = &[
    DemoOrg { id: "org_01NORTHWIND", name: "Northwind Traders" },
    DemoOrg { id: "org_01GLOBEX", name: "Globex" },
    DemoOrg { id: "org_01INITECH", name: "Initech" },
];

const USERS: &[DemoUser] = &[
    DemoUser {
        id: "user_01BOBNG",
        email: "bob@northwind.test",
        first_name: "Bob",
        last_name: "Ng",
        orgs: &["org_01NORTHWIND"],
    },
    DemoUser {
        id: "user_01CAROLDIAZ",
        email: "carol@consulting.test",
        first_name: "Carol",
        last_name: "Diaz",
        orgs: &["org_01GLOBEX", "org_01INITECH"],
    },
    DemoUser {
        id: "user_01DANAITO",
        email: "dana@northwind.test",
        first_name: "Dana",
        last_name: "Ito",
        orgs: &["org_01NORTHWIND"],
    },
];

fn find_user(id: &str) -> Option<&'static DemoUser> {
    USERS.iter().find(|u| u.id == id)
}

fn find_org(id: &str) -> Option<&'static DemoOrg> {
    ORGS.iter().find(|o| o.id == id)
}

fn org_name(id: &str) -> &'static str {
    find_org(id).map_or("?", |o| o.name)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct ImpersonatorJson {
    email: String,
    reason: Option<String>,
}

/// What a one-time code stands for.
struct Grant {
    user_id: &'static str,
    org_id: &'static str,
    impersonator: Option<ImpersonatorJson>,
    issued: OffsetDateTime,
}

/// A session at the stand-in: whose, in which organization, by whom if impersonated,
/// and when it ends (no refresh is granted after that).
#[derive(Clone)]
struct LiveSession {
    user_id: &'static str,
    org_id: &'static str,
    impersonator: Option<ImpersonatorJson>,
    ends_at: OffsetDateTime,
}

/// A refresh token's session, and when it was used, if it was.
struct RefreshToken {
    session_id: String,
    used: Option<OffsetDateTime>,
}

/// How long a used refresh token is still honoured: two tabs (or a page and its bar)
/// that refresh at the same moment both keep their session, as at WorkOS.
const REFRESH_REUSE: time::Duration = time::Duration::seconds(30);

/// A staff member signed in to the stand-in dashboard.
#[derive(Clone)]
struct StaffSession {
    email: &'static str,
    role: Role,
    /// The secret every dashboard form's token is derived from.
    csrf: String,
    ends_at: OffsetDateTime,
}

impl StaffSession {
    /// The token of one form (`form` names it: `impersonate:<user id>`, `sign-out`):
    /// a token taken from one form does not work on another.
    fn form_token(&self, form: &str) -> String {
        let digest = Sha256::digest(format!("{}:{form}", self.csrf).as_bytes());
        hex_lower(&digest)
    }

    /// The 403 for posted `fields` without this staff member's token of `form`, which
    /// says where to open the form again (`reopen`); `None` when the token is right.
    fn form_refusal(&self, fields: &HashMap<String, String>, form: &str, reopen: &str) -> Option<Response> {
        let token = fields.get("csrf_token").map(String::as_str).unwrap_or("");
        if same_secret(token, &self.form_token(form)) {
            return None;
        }
        tracing::warn!(staff = self.email, form, "stand-in: dashboard form refused, wrong form token");
        let message =
            format!("This form has expired or did not come from the dashboard. Open it again from {reopen}.");
        Some(error_page(StatusCode::FORBIDDEN, "Request refused", &message))
    }
}

pub(crate) struct StandIn {
    config: Arc<Config>,
    signer: &'static Signer,
    /// Staff signed in to the dashboard: cookie value → session.
    staff: Mutex<HashMap<String, StaffSession>>,
    codes: Mutex<HashMap<String, Grant>>,
    /// Live sessions at the stand-in ("WorkOS"): session id → what its tokens say
    /// and when it ends. Ended by `sessions/logout`, or refused and forgotten when a
    /// refresh comes after its end (an impersonation's 60 minutes).
    sessions: Mutex<HashMap<String, LiveSession>>,
    /// Refresh tokens → their session, and when each was used (rotated on use).
    refresh_tokens: Mutex<HashMap<String, RefreshToken>>,
    /// Every session, live or ended, and the events about them, for auditing.
    audit: crate::audit::Trail,
    /// Authentication → Features → User Impersonation: off in a new environment, as
    /// at WorkOS, until a member with the Admin role turns it on.
    impersonation: Mutex<FeatureSetting>,
}

/// The state of User Impersonation in the environment, and who last changed it.
#[derive(Clone, Default)]
struct FeatureSetting {
    enabled: bool,
    changed: Option<(&'static str, OffsetDateTime)>,
}

impl StandIn {
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.config.clock.now()
    }

    pub(crate) fn audit(&self) -> &crate::audit::Trail {
        &self.audit
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not take the demo down with it.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) type Shared = Arc<StandIn>;

/// The stand-in's routes, or why it cannot run (no signing key).
pub(crate) fn routes(config: Arc<Config>) -> Result<Router, String> {
    let signer = signer()?;
    let state = Arc::new(StandIn {
        config,
        signer,
        staff: Mutex::new(HashMap::new()),
        codes: Mutex::new(HashMap::new()),
        sessions: Mutex::new(HashMap::new()),
        refresh_tokens: Mutex::new(HashMap::new()),
        audit: crate::audit::Trail::default(),
        impersonation: Mutex::new(FeatureSetting::default()),
    });
    Ok(Router::new()
        .route("/", get(|| async { Redirect::to("/workos/dashboard") }))
        .route("/login", get(staff_login_page).post(staff_login))
        .route("/staff/sign-out", post(staff_sign_out))
        .route("/dashboard", get(dashboard))
        .route("/dashboard/authentication/features", get(features))
        .route(FEATURE_PATH, get(feature_page).post(configure_feature))
        .route("/dashboard/users/{id}/impersonate", get(impersonate_form).post(impersonate))
        .route("/user_management/authorize", get(authorize_page).post(authorize))
        .route("/user_management/authenticate", post(authenticate))
        .route("/user_management/sessions/logout", get(logout))
        .route("/organizations/{id}", get(organization))
        .route("/user_management/users", get(list_users))
        .route("/user_management/users/{id}", get(user))
        .route("/{environment}/users/{id}/details", get(user_details))
        .route("/user_management/users/{id}/sessions", get(crate::audit::user_sessions))
        .route("/events", get(crate::audit::events))
        .route("/sso/jwks/{client_id}", get(jwks))
        .with_state(state))
}

// ---------------------------------------------------------------------------------
// Signing keys

/// The key the stand-in signs access tokens with, as WorkOS does: RSA 2048,
/// RS256, named by a `kid` that its JWKS lists.
pub(crate) struct Signer {
    key_pair: KeyPair,
    kid: String,
    jwk: Value,
}

impl Signer {
    /// A new random key.
    pub(crate) fn generate() -> Result<Signer, String> {
        let key_pair =
            KeyPair::generate(KeySize::Rsa2048).map_err(|_| "RSA key generation failed".to_owned())?;
        let public = key_pair.public_key();
        let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
        let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
        // Named after the key itself, so a new key always has a new name.
        let digest = Sha256::digest(public.as_ref());
        let kid = format!("sso_oidc_key_pair_01{}", hex_upper(&digest[..12]));
        let jwk = json!({ "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": n, "e": e });
        Ok(Signer { key_pair, kid, jwk })
    }

    /// The public key as a JWK (`kty`, `use`, `alg`, `kid`, `n`, `e`).
    pub(crate) fn jwk(&self) -> &Value {
        &self.jwk
    }

    /// `claims` as a compact JWS: `{"alg":"RS256","typ":"JWT","kid":…}`, signed.
    pub(crate) fn sign(&self, claims: &impl Serialize) -> Result<String, String> {
        let header = json!({ "alg": "RS256", "typ": "JWT", "kid": self.kid });
        let header = serde_json::to_vec(&header).map_err(|e| e.to_string())?;
        let payload = serde_json::to_vec(claims).map_err(|e| e.to_string())?;
        let message = format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(payload));
        let mut signature = vec![0u8; self.key_pair.public_modulus_len()];
        self.key_pair
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message.as_bytes(), &mut signature)
            .map_err(|_| "RS256 signing failed".to_owned())?;
        Ok(format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The process's signing key, made on first use (every stand-in in the process,
/// tests included, shares it; a restart makes a new one, as tokens live 5 minutes).
pub(crate) fn signer() -> Result<&'static Signer, String> {
    static SIGNER: OnceLock<Result<Signer, String>> = OnceLock::new();
    SIGNER.get_or_init(Signer::generate).as_ref().map_err(Clone::clone)
}

// ---------------------------------------------------------------------------------
// Pages

/// What every stand-in page shows around its `main` (demo/templates/stand_in/base.html).
struct Chrome {
    title: String,
    /// The staff member signed in to the dashboard, if one is.
    staff: Option<StaffHeader>,
}

struct StaffHeader {
    email: &'static str,
    role: &'static str,
    sign_out_token: String,
}

impl Chrome {
    fn new(staff: Option<&StaffSession>, title: impl Into<String>) -> Chrome {
        let staff = staff.map(|staff| StaffHeader {
            email: staff.email,
            role: staff.role.name(),
            sign_out_token: staff.form_token("sign-out"),
        });
        Chrome { title: title.into(), staff }
    }
}

#[derive(Template)]
#[template(path = "stand_in/error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    message: &'a str,
}

fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    html_page(status, &ErrorPage { chrome: Chrome::new(None, title), message })
}

fn no_store() -> [(header::HeaderName, &'static str); 1] {
    [(header::CACHE_CONTROL, "no-store")]
}

#[derive(Template)]
#[template(path = "stand_in/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    lifetime: String,
    users: Vec<UserRow>,
    environment: &'static str,
    /// User Impersonation is on; when off, the page says where to turn it on.
    enabled: bool,
    feature_path: &'static str,
}

struct UserRow {
    id: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    email: &'static str,
    organizations: String,
}

async fn dashboard(State(stand_in): State<Shared>, headers: HeaderMap) -> Response {
    let Some(staff) = stand_in.staff_session(&headers) else {
        return to_login("/workos/dashboard");
    };
    let users = USERS
        .iter()
        .map(|user| UserRow {
            id: user.id,
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            organizations: user.orgs.iter().map(|id| org_name(id)).collect::<Vec<_>>().join(", "),
        })
        .collect();
    let page = DashboardPage {
        chrome: Chrome::new(Some(&staff), "Users"),
        lifetime: lifetime(stand_in.config.impersonation_ttl),
        users,
        environment: ENVIRONMENT_ID,
        enabled: stand_in.impersonation_enabled(),
        feature_path: FEATURE_PAGE,
    };
    html_page(StatusCode::OK, &page)
}

/// One of a user's sessions on their page.
struct SessionRow {
    id: String,
    status: String,
    created_at: String,
    /// The staff member's email for an impersonation, else empty.
    impersonator: String,
    reason: String,
}

/// A user's page: who, their sessions (impersonations marked), the Danger Zone, and
/// with `?dialog=impersonate` the impersonation dialog open, as WorkOS's deep link
/// opens it.
#[derive(Template)]
#[template(path = "stand_in/user.html")]
struct UserPage<'a> {
    chrome: Chrome,
    user: &'a DemoUser,
    lifetime: String,
    sessions: Vec<SessionRow>,
    dialog: bool,
    // The dialog's form (stand_in/impersonate_form.html).
    enabled: bool,
    feature_path: &'static str,
    token: String,
    reason: &'a str,
    organizations: Vec<OrgChoice>,
    error: Option<&'a str>,
}

#[derive(Deserialize)]
struct UserQuery {
    dialog: Option<String>,
}

/// `/workos/<environment_id>/users/<user_id>/details`, the deep link's target.
async fn user_details(
    State(stand_in): State<Shared>,
    Path((environment, id)): Path<(String, String)>,
    Query(query): Query<UserQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(user) = find_user(&id).filter(|_| environment == ENVIRONMENT_ID) else {
        return error_page(StatusCode::NOT_FOUND, "No such user", "There is no user with this id here.");
    };
    let dialog = query.dialog.as_deref() == Some("impersonate");
    let Some(staff) = stand_in.staff_session(&headers) else {
        // Signed in first, then back here, the dialog still open.
        let back = format!("/workos/{ENVIRONMENT_ID}/users/{}/details", user.id);
        return to_login(&if dialog { back + "?dialog=impersonate" } else { back });
    };
    let sessions = stand_in
        .audit
        .sessions_of(user.id, stand_in.now())
        .iter()
        .map(|session| {
            let text = |value: &Value| value.as_str().unwrap_or("").to_owned();
            SessionRow {
                id: text(&session["id"]),
                status: text(&session["status"]),
                created_at: text(&session["created_at"]),
                impersonator: text(&session["impersonator"]["email"]),
                reason: text(&session["impersonator"]["reason"]),
            }
        })
        .collect();
    let form = stand_in.impersonate_page(&staff, user, "", "", None);
    let page = UserPage {
        chrome: Chrome::new(Some(&staff), format!("{} {}", user.first_name, user.last_name)),
        user,
        lifetime: form.lifetime,
        sessions,
        dialog,
        enabled: form.enabled,
        feature_path: form.feature_path,
        token: form.token,
        reason: "",
        organizations: form.organizations,
        error: None,
    };
    html_page(StatusCode::OK, &page)
}

/// "60 minutes", "5 seconds".
fn lifetime(ttl: Duration) -> String {
    let seconds = ttl.as_secs();
    if seconds.is_multiple_of(60) {
        format!("{} minute{}", seconds / 60, if seconds == 60 { "" } else { "s" })
    } else {
        format!("{seconds} second{}", if seconds == 1 { "" } else { "s" })
    }
}

/// An organization of the impersonate form.
struct OrgChoice {
    id: &'static str,
    name: &'static str,
    selected: bool,
}

/// The impersonate form of one user; a choice of organization when the user is in
/// several.
#[derive(Template)]
#[template(path = "stand_in/impersonate.html")]
struct ImpersonatePage<'a> {
    chrome: Chrome,
    user: &'a DemoUser,
    lifetime: String,
    /// User Impersonation is on; when off, the form makes way for where to turn it on.
    enabled: bool,
    feature_path: &'static str,
    token: String,
    /// What the staff member typed, when the form is shown again.
    reason: &'a str,
    organizations: Vec<OrgChoice>,
    error: Option<&'a str>,
}

/// The impersonate form of `user`, with `reason` and the organization `org` filled
/// in and `error` shown above it, if any.
fn impersonate_page<'a>(
    staff: &StaffSession,
    user: &'a DemoUser,
    ttl: Duration,
    enabled: bool,
    reason: &'a str,
    org: &str,
    error: Option<&'a str>,
) -> ImpersonatePage<'a> {
    let organizations =
        user.orgs.iter().map(|id| OrgChoice { id, name: org_name(id), selected: *id == org }).collect();
    ImpersonatePage {
        chrome: Chrome::new(Some(staff), format!("Impersonate {} {}", user.first_name, user.last_name)),
        user,
        lifetime: lifetime(ttl),
        enabled,
        feature_path: FEATURE_PAGE,
        token: staff.form_token(&impersonate_form_name(user)),
        reason,
        organizations,
        error,
    }
}

/// The name of the impersonate form of `user`, for its token.
fn impersonate_form_name(user: &DemoUser) -> String {
    format!("impersonate:{}", user.id)
}

async fn impersonate_form(
    State(stand_in): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(staff) = stand_in.staff_session(&headers) else {
        return to_login(&format!("/workos/dashboard/users/{id}/impersonate"));
    };
    match find_user(&id) {
        Some(user) => html_page(StatusCode::OK, &stand_in.impersonate_page(&staff, user, "", "", None)),
        None => error_page(StatusCode::NOT_FOUND, "No such user", "There is no user with this id."),
    }
}

/// What a dashboard form posted from another site gets.
fn cross_site_refusal() -> Response {
    error_page(StatusCode::FORBIDDEN, "Request refused", "Dashboard forms work from the dashboard only.")
}

async fn impersonate(
    State(stand_in): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    // Nobody but a signed-in staff member, on the dashboard's own form, starts an
    // impersonation: another site cannot submit one, with any reason, for any user.
    if stand_in.cross_site(&headers) {
        return cross_site_refusal();
    }
    let Some(staff) = stand_in.staff_session(&headers) else {
        return to_login("/workos/dashboard");
    };
    let Some(user) = find_user(&id) else {
        return error_page(StatusCode::NOT_FOUND, "No such user", "There is no user with this id.");
    };
    if let Some(refusal) = staff.form_refusal(&form, &impersonate_form_name(user), "the users list") {
        return refusal;
    }
    let reason = form.get("reason").map(|r| r.trim()).unwrap_or("");
    let chosen = form.get("organization_id").map(|o| o.trim()).unwrap_or("");
    let refuse = |status: StatusCode, message: &str| {
        html_page(status, &stand_in.impersonate_page(&staff, user, reason, chosen, Some(message)))
    };
    if !stand_in.impersonation_enabled() {
        tracing::warn!(
            target: "impersonation",
            staff = staff.email,
            user = user.email,
            "stand-in: impersonation refused, User Impersonation is off"
        );
        // The page says it, and where to turn it on, in place of the form.
        return html_page(
            StatusCode::FORBIDDEN,
            &stand_in.impersonate_page(&staff, user, reason, chosen, None),
        );
    }
    let refuse = |message: &str| refuse(StatusCode::UNPROCESSABLE_ENTITY, message);
    if reason.is_empty() {
        return refuse("Enter a reason: it is recorded with the impersonation and shown to the team.");
    }
    let org_id = if user.orgs.len() == 1 {
        user.orgs[0]
    } else {
        match user.orgs.iter().find(|o| **o == chosen) {
            Some(org) => org,
            None => return refuse("Choose the organization to impersonate the user in."),
        }
    };
    let impersonator = ImpersonatorJson { email: staff.email.to_owned(), reason: Some(reason.to_owned()) };
    let code = stand_in.issue_code(user.id, org_id, Some(impersonator));
    redirect_with(&stand_in.config.callback_url(), &[("code", &code)])
}

// ---------------------------------------------------------------------------------
// Authentication → Features → User Impersonation

/// The Features page and User Impersonation's Configure page, under `/workos`.
const FEATURES_PAGE: &str = "/workos/dashboard/authentication/features";
const FEATURE_PATH: &str = "/dashboard/authentication/features/user-impersonation";
pub const FEATURE_PAGE: &str = "/workos/dashboard/authentication/features/user-impersonation";
/// The name of the Configure form, for its token.
const FEATURE_FORM: &str = "feature:user-impersonation";

impl StandIn {
    fn impersonation_enabled(&self) -> bool {
        lock(&self.impersonation).enabled
    }

    /// The impersonate form of `user` as this environment has it (its lifetime, and
    /// whether the feature is on), with `reason`, organization `org` and `error`.
    fn impersonate_page<'a>(
        &self,
        staff: &StaffSession,
        user: &'a DemoUser,
        reason: &'a str,
        org: &str,
        error: Option<&'a str>,
    ) -> ImpersonatePage<'a> {
        let (ttl, enabled) = (self.config.impersonation_ttl, self.impersonation_enabled());
        impersonate_page(staff, user, ttl, enabled, reason, org, error)
    }
}

/// Authentication → Features: the environment's features and their state.
#[derive(Template)]
#[template(path = "stand_in/features.html")]
struct FeaturesPage {
    chrome: Chrome,
    enabled: bool,
    feature_path: &'static str,
}

async fn features(State(stand_in): State<Shared>, headers: HeaderMap) -> Response {
    let Some(staff) = stand_in.staff_session(&headers) else {
        return to_login(FEATURES_PAGE);
    };
    let page = FeaturesPage {
        chrome: Chrome::new(Some(&staff), "Features"),
        enabled: stand_in.impersonation_enabled(),
        feature_path: FEATURE_PAGE,
    };
    html_page(StatusCode::OK, &page)
}

/// User Impersonation → Configure: its state, who changed it last, and (for an Admin)
/// the switch.
#[derive(Template)]
#[template(path = "stand_in/feature.html")]
struct FeaturePage<'a> {
    chrome: Chrome,
    enabled: bool,
    /// Who changed it, and when (RFC 3339), if anyone has.
    changed: Option<(&'static str, String)>,
    admin: bool,
    role: &'static str,
    lifetime: String,
    token: String,
    error: Option<&'a str>,
}

impl StandIn {
    fn feature_page<'a>(&self, staff: &StaffSession, error: Option<&'a str>) -> FeaturePage<'a> {
        let setting = lock(&self.impersonation).clone();
        FeaturePage {
            chrome: Chrome::new(Some(staff), "User Impersonation"),
            enabled: setting.enabled,
            changed: setting.changed.map(|(email, at)| (email, rfc3339(at))),
            admin: staff.role == Role::Admin,
            role: staff.role.name(),
            lifetime: lifetime(self.config.impersonation_ttl),
            token: staff.form_token(FEATURE_FORM),
            error,
        }
    }
}

async fn feature_page(State(stand_in): State<Shared>, headers: HeaderMap) -> Response {
    let Some(staff) = stand_in.staff_session(&headers) else {
        return to_login(FEATURE_PAGE);
    };
    html_page(StatusCode::OK, &stand_in.feature_page(&staff, None))
}

/// `POST …/user-impersonation`: `enabled=on` or `off`, from an Admin's Configure form;
/// then back to the users list, where impersonating starts.
async fn configure_feature(
    State(stand_in): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if stand_in.cross_site(&headers) {
        return cross_site_refusal();
    }
    let Some(staff) = stand_in.staff_session(&headers) else {
        return to_login(FEATURE_PAGE);
    };
    if let Some(refusal) = staff.form_refusal(&form, FEATURE_FORM, "Features") {
        return refusal;
    }
    if staff.role != Role::Admin {
        tracing::warn!(
            target: "impersonation",
            staff = staff.email,
            role = staff.role.name(),
            "stand-in: User Impersonation left as it was, the staff member is not an Admin"
        );
        let refusal = format!(
            "Only a member with the Admin role can turn User Impersonation on or off. You are signed in \
             as {}, a {}: ask an Admin ({STAFF_EMAIL} in this demo).",
            staff.email,
            staff.role.name()
        );
        return html_page(StatusCode::FORBIDDEN, &stand_in.feature_page(&staff, Some(&refusal)));
    }
    let enabled = match form.get("enabled").map(String::as_str) {
        Some("on") => true,
        Some("off") => false,
        _ => {
            return html_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &stand_in.feature_page(&staff, Some("Choose whether User Impersonation is on or off.")),
            )
        }
    };
    *lock(&stand_in.impersonation) = FeatureSetting { enabled, changed: Some((staff.email, stand_in.now())) };
    tracing::info!(
        target: "impersonation",
        staff = staff.email,
        enabled,
        "stand-in: User Impersonation turned {}",
        if enabled { "on" } else { "off" }
    );
    Redirect::to(if enabled { "/workos/dashboard" } else { FEATURE_PAGE }).into_response()
}

// ---------------------------------------------------------------------------------
// Staff sign-in to the dashboard

impl StandIn {
    /// The staff member the request's dashboard cookie belongs to, if still signed in.
    fn staff_session(&self, headers: &HeaderMap) -> Option<StaffSession> {
        let id = cookie(headers, STAFF_COOKIE)?;
        let now = self.config.clock.now();
        let mut staff = lock(&self.staff);
        match staff.get(id) {
            Some(session) if now < session.ends_at => Some(session.clone()),
            Some(_) => {
                staff.remove(id);
                None
            }
            None => None,
        }
    }

    /// Did the browser say this request comes from another site? `Sec-Fetch-Site`
    /// (anything but `same-origin`, or `none` for a typed URL) or an `Origin` other
    /// than the app's own one. Clients that send neither (curl, tests) pass; the form
    /// token still has to be right.
    fn cross_site(&self, headers: &HeaderMap) -> bool {
        let value = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or("?"));
        if let Some(site) = value("sec-fetch-site") {
            if site != "same-origin" && site != "none" {
                return true;
            }
        }
        match value("origin") {
            Some(origin) => {
                let own = url::Url::parse(&self.config.base_url).map(|u| u.origin().ascii_serialization());
                own.map_or(true, |own| !origin.eq_ignore_ascii_case(&own))
            }
            None => false,
        }
    }

    fn staff_cookie(&self, value: &str, max_age: time::Duration) -> String {
        let secure = if self.config.secure_cookies() { "; Secure" } else { "" };
        format!(
            "{STAFF_COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/workos; Max-Age={}{secure}",
            max_age.whole_seconds()
        )
    }
}

/// The value of cookie `name` in the request, if it is there once or more (the first).
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Off to the dashboard's sign-in, coming back to `next` afterwards.
fn to_login(next: &str) -> Response {
    redirect_with_path("/workos/login", &[("next", next)])
}

/// A path of the dashboard to go to after signing in; anything else is the users list.
fn dashboard_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if (path == "/workos/dashboard"
                || path.starts_with("/workos/dashboard/")
                || path.starts_with(&format!("/workos/{ENVIRONMENT_ID}/users/")))
                && path.bytes().all(|b| b.is_ascii_graphic())
                && staff_bar_core::sign_out::validate_return_to(path).is_ok() =>
        {
            path
        }
        _ => "/workos/dashboard",
    }
}

fn redirect_with_path(path: &str, pairs: &[(&str, &str)]) -> Response {
    let query: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    Redirect::to(&format!("{path}?{query}")).into_response()
}

/// The dashboard's sign-in page, the demo's staff account filled in.
#[derive(Template)]
#[template(path = "stand_in/login.html")]
struct LoginPage<'a> {
    chrome: Chrome,
    /// The Admin account, filled in.
    email: &'a str,
    /// The Member account, named beside it.
    member: &'a str,
    password: &'a str,
    /// Where to go once signed in (a dashboard path).
    next: &'a str,
    error: Option<&'a str>,
}

fn login_page<'a>(next: &'a str, error: Option<&'a str>) -> LoginPage<'a> {
    LoginPage {
        chrome: Chrome::new(None, "Sign in"),
        email: STAFF_EMAIL,
        member: MEMBER_EMAIL,
        password: STAFF_PASSWORD,
        next,
        error,
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

/// `GET /workos/login`: the dashboard's sign-in page, for staff.
async fn staff_login_page(
    State(stand_in): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    let next = dashboard_path(query.next.as_deref());
    if stand_in.staff_session(&headers).is_some() {
        return Redirect::to(next).into_response();
    }
    html_page(StatusCode::OK, &login_page(next, None))
}

/// `POST /workos/login`: email and password of the staff account → the dashboard
/// cookie, then on to `next`.
async fn staff_login(
    State(stand_in): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let next = dashboard_path(form.get("next").map(String::as_str)).to_owned();
    if stand_in.cross_site(&headers) {
        return error_page(StatusCode::FORBIDDEN, "Request refused", "Sign in from the sign-in page itself.");
    }
    let email = form.get("email").map(|e| e.trim()).unwrap_or("");
    let password = form.get("password").map(String::as_str).unwrap_or("");
    let member = TEAM.iter().find(|member| member.email.eq_ignore_ascii_case(email));
    let Some(member) = member.filter(|_| same_secret(password, STAFF_PASSWORD)) else {
        tracing::warn!(email, "stand-in: staff sign-in refused");
        let page = login_page(&next, Some("The email or the password is wrong."));
        return html_page(StatusCode::UNAUTHORIZED, &page);
    };
    let now = stand_in.config.clock.now();
    let id = random_hex(32);
    let session = StaffSession {
        email: member.email,
        role: member.role,
        csrf: random_hex(32),
        ends_at: now + STAFF_SESSION_LIFETIME,
    };
    {
        let mut staff = lock(&stand_in.staff);
        staff.retain(|_, s| now < s.ends_at);
        staff.insert(id.clone(), session);
    }
    tracing::info!(
        target: "impersonation",
        staff = member.email,
        role = member.role.name(),
        "stand-in: staff signed in to the dashboard"
    );
    let lifetime = time::Duration::try_from(STAFF_SESSION_LIFETIME).unwrap_or(time::Duration::hours(8));
    let cookie = stand_in.staff_cookie(&id, lifetime);
    ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
}

/// `POST /workos/staff/sign-out`: ends the dashboard sign-in.
async fn staff_sign_out(
    State(stand_in): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if stand_in.cross_site(&headers) {
        return cross_site_refusal();
    }
    if let Some(staff) = stand_in.staff_session(&headers) {
        if let Some(refusal) = staff.form_refusal(&form, "sign-out", "any dashboard page") {
            return refusal;
        }
        if let Some(id) = cookie(&headers, STAFF_COOKIE) {
            lock(&stand_in.staff).remove(id);
        }
    }
    let cookie = stand_in.staff_cookie("", time::Duration::ZERO);
    ([(header::SET_COOKIE, cookie)], Redirect::to("/workos/login")).into_response()
}

/// Can the code for `grant` still be exchanged at `now`?
fn fresh(grant: &Grant, now: OffsetDateTime) -> bool {
    now - grant.issued < CODE_LIFETIME
}

/// The URL with these query pairs appended, as a 303 redirect.
fn redirect_with(base: &str, pairs: &[(&str, &str)]) -> Response {
    match url::Url::parse(base) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(pairs);
            Redirect::to(url.as_str()).into_response()
        }
        Err(_) => error_page(StatusCode::INTERNAL_SERVER_ERROR, "Bad redirect URI", base),
    }
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    state: Option<String>,
}

impl StandIn {
    /// Is this our client, sending the browser back to a registered redirect URI?
    /// The refusal is a (title, message) for a 400 page.
    fn check_authorize(
        &self,
        client_id: Option<&str>,
        redirect_uri: Option<&str>,
    ) -> Result<(), (&'static str, &'static str)> {
        if client_id != Some(STAND_IN_CLIENT_ID) {
            return Err(("Unknown client", "The client_id is not known here."));
        }
        if redirect_uri != Some(self.config.callback_url().as_str()) {
            return Err((
                "Redirect URI not allowed",
                "The redirect_uri is not one of this environment's redirect URIs.",
            ));
        }
        Ok(())
    }

    fn issue_code(
        &self,
        user_id: &'static str,
        org_id: &'static str,
        impersonator: Option<ImpersonatorJson>,
    ) -> String {
        let code = random_hex(20);
        let now = self.config.clock.now();
        let mut codes = lock(&self.codes);
        codes.retain(|_, grant| fresh(grant, now));
        codes.insert(code.clone(), Grant { user_id, org_id, impersonator, issued: now });
        code
    }
}

/// The hosted sign-in page ("AuthKit") for ordinary users: pick who you are. Each
/// user's button is a form that carries the sign-in's `state` on.
#[derive(Template)]
#[template(path = "stand_in/authorize.html")]
struct AuthorizePage<'a> {
    chrome: Chrome,
    client_id: &'a str,
    redirect_uri: String,
    state: &'a str,
    users: &'static [DemoUser],
}

async fn authorize_page(State(stand_in): State<Shared>, Query(query): Query<AuthorizeQuery>) -> Response {
    if let Err((title, message)) =
        stand_in.check_authorize(query.client_id.as_deref(), query.redirect_uri.as_deref())
    {
        return error_page(StatusCode::BAD_REQUEST, title, message);
    }
    if query.response_type.as_deref() != Some("code") {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Unsupported response type",
            "Only response_type=code is supported.",
        );
    }
    let page = AuthorizePage {
        chrome: Chrome::new(None, "Sign in"),
        client_id: STAND_IN_CLIENT_ID,
        redirect_uri: stand_in.config.callback_url(),
        state: query.state.as_deref().unwrap_or(""),
        users: USERS,
    };
    html_page(StatusCode::OK, &page)
}

async fn authorize(
    State(stand_in): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if stand_in.cross_site(&headers) {
        return error_page(StatusCode::FORBIDDEN, "Request refused", "Sign in from the sign-in page itself.");
    }
    let field = |name: &str| form.get(name).map(String::as_str);
    if let Err((title, message)) = stand_in.check_authorize(field("client_id"), field("redirect_uri")) {
        return error_page(StatusCode::BAD_REQUEST, title, message);
    }
    let Some(user) = field("user_id").and_then(find_user) else {
        return error_page(StatusCode::BAD_REQUEST, "No such user", "There is no user with this id.");
    };
    let code = stand_in.issue_code(user.id, user.orgs[0], None);
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = field("state").filter(|s| !s.is_empty()) {
        pairs.push(("state", state));
    }
    redirect_with(&stand_in.config.callback_url(), &pairs)
}

// ---------------------------------------------------------------------------------
// API

pub(crate) fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "error": code, "message": message, "error_description": message })))
        .into_response()
}

/// The 401 for an API request without the environment's API key (as a bearer token),
/// which every API call but the code exchange must carry; `None` when it has it.
pub(crate) fn without_api_key(headers: &HeaderMap) -> Option<Response> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    (!same_secret(bearer, STAND_IN_API_KEY))
        .then(|| api_error(StatusCode::UNAUTHORIZED, "unauthorized", "Missing or wrong API key."))
}

fn user_json(user: &DemoUser) -> Value {
    json!({
        "object": "user",
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email_verified": true,
        "profile_picture_url": null,
        "created_at": "2026-01-05T09:00:00.000Z",
        "updated_at": "2026-01-05T09:00:00.000Z",
    })
}

#[derive(Serialize)]
struct AccessClaims<'a> {
    iss: String,
    sub: &'a str,
    sid: &'a str,
    org_id: &'a str,
    role: &'a str,
    iat: i64,
    exp: i64,
    jti: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    act: Option<Value>,
    /// As WorkOS puts it in an impersonation's access token beside `act`: the staff
    /// member's email and the reason given.
    #[serde(skip_serializing_if = "Option::is_none")]
    impersonator: Option<&'a ImpersonatorJson>,
}

/// `POST /user_management/authenticate`, as `authenticate_with_code` sends it.
/// `POST /user_management/authenticate`: a code from the dashboard or the hosted
/// sign-in (`authorization_code`), or a session's refresh token (`refresh_token`, as
/// the crate's `SessionManager::refresh` sends it).
async fn authenticate(State(stand_in): State<Shared>, Json(body): Json<Value>) -> Response {
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or("");
    if text("client_id") != STAND_IN_CLIENT_ID || !same_secret(text("client_secret"), STAND_IN_API_KEY) {
        return api_error(StatusCode::UNAUTHORIZED, "invalid_client", "Invalid client ID or secret.");
    }
    match text("grant_type") {
        "authorization_code" => exchange_code(&stand_in, text("code")),
        "refresh_token" => refresh(&stand_in, text("refresh_token")),
        _ => api_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Only authorization_code and refresh_token are supported here.",
        ),
    }
}

/// A code becomes a new session, recorded for auditing, and its first tokens.
fn exchange_code(stand_in: &StandIn, code: &str) -> Response {
    let grant = lock(&stand_in.codes).remove(code);
    let Some(grant) = grant.filter(|g| fresh(g, stand_in.config.clock.now())) else {
        return api_error(StatusCode::BAD_REQUEST, "invalid_grant", "The code is invalid, used or expired.");
    };
    let Some(user) = find_user(grant.user_id) else {
        return api_error(StatusCode::BAD_REQUEST, "invalid_grant", "The user is gone.");
    };
    let session_id = random_id("session");
    let config = &stand_in.config;
    let (now, issued_at) = (config.clock.now(), config.clock.now_seconds());
    // The impersonation's own end, or an ordinary sign-in's, in whole seconds as its
    // access tokens' `exp`.
    let ttl = if grant.impersonator.is_some() { config.impersonation_ttl } else { config.session_ttl };
    let live = LiveSession {
        user_id: user.id,
        org_id: grant.org_id,
        impersonator: grant.impersonator,
        ends_at: issued_at + ttl,
    };
    {
        let mut sessions = lock(&stand_in.sessions);
        sessions.retain(|_, session| now < session.ends_at);
        sessions.insert(session_id.clone(), live.clone());
    }
    let impersonator = live.impersonator.as_ref().map(|i| json!(i));
    stand_in.audit.created(&session_id, user.id, grant.org_id, impersonator, now, live.ends_at);
    tracing::debug!(session = %session_id, at = %rfc3339(now), "stand-in: session created");
    stand_in.tokens(&session_id, &live, issued_at)
}

/// A refresh token becomes new tokens for its session, and is used up. Refused (400
/// `invalid_grant`, the OAuth answer the official Node SDK reads as such) once
/// the session was signed out or its end has come: an impersonation is never extended
/// past its 60 minutes (`IMPERSONATION_TTL`), however often the app refreshes.
fn refresh(stand_in: &StandIn, refresh_token: &str) -> Response {
    let now = stand_in.config.clock.now_seconds();
    let session_id = {
        let mut tokens = lock(&stand_in.refresh_tokens);
        match tokens.get_mut(refresh_token) {
            Some(token) if token.used.is_none_or(|used| now - used <= REFRESH_REUSE) => {
                token.used.get_or_insert(now);
                Some(token.session_id.clone())
            }
            _ => None,
        }
    };
    let live = session_id.as_ref().and_then(|id| lock(&stand_in.sessions).get(id).cloned());
    let (Some(session_id), Some(live)) = (session_id, live) else {
        return api_error(StatusCode::BAD_REQUEST, "invalid_grant", "The refresh token is invalid or used.");
    };
    if now >= live.ends_at {
        lock(&stand_in.sessions).remove(&session_id);
        tracing::debug!(session = %session_id, "stand-in: refresh refused, the session has ended");
        return api_error(StatusCode::BAD_REQUEST, "invalid_grant", "The session has ended.");
    }
    stand_in.tokens(&session_id, &live, now)
}

impl StandIn {
    /// The authenticate answer for a live session: a new access token (RS256, expiring
    /// after its few minutes or at the session's end, whichever comes first) and a new
    /// refresh token.
    fn tokens(&self, session_id: &str, live: &LiveSession, now: OffsetDateTime) -> Response {
        let Some(user) = find_user(live.user_id) else {
            return api_error(StatusCode::BAD_REQUEST, "invalid_grant", "The user is gone.");
        };
        let claims = AccessClaims {
            iss: self.config.workos_base_url(),
            sub: user.id,
            sid: session_id,
            org_id: live.org_id,
            role: "member",
            iat: now.unix_timestamp(),
            exp: (now.unix_timestamp() + ACCESS_TOKEN_LIFETIME).min(live.ends_at.unix_timestamp()),
            jti: random_hex(12),
            act: live.impersonator.as_ref().map(|i| json!({ "sub": i.email })),
            impersonator: live.impersonator.as_ref(),
        };
        let token = match self.signer.sign(&claims) {
            Ok(token) => token,
            Err(error) => {
                tracing::error!(%error, "stand-in: could not sign the access token");
                return api_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    "Could not sign the token.",
                );
            }
        };
        let refresh_token = random_hex(24);
        {
            let mut tokens = lock(&self.refresh_tokens);
            let sessions = lock(&self.sessions);
            tokens.retain(|_, token| {
                sessions.contains_key(&token.session_id)
                    && token.used.is_none_or(|used| now - used <= REFRESH_REUSE)
            });
            tokens.insert(
                refresh_token.clone(),
                RefreshToken { session_id: session_id.to_owned(), used: None },
            );
        }
        let mut answer = json!({
            "user": user_json(user),
            "organization_id": live.org_id,
            "access_token": token,
            "refresh_token": refresh_token,
            "authentication_method": if live.impersonator.is_some() { "Impersonation" } else { "Password" },
        });
        if let Some(impersonator) = &live.impersonator {
            answer["impersonator"] = json!(impersonator);
        }
        (no_store(), Json(answer)).into_response()
    }
}

/// `GET /user_management/users`, as `user_management().list_users` sends it: every
/// user of the environment (there are three).
async fn list_users(headers: HeaderMap) -> Response {
    if let Some(refusal) = without_api_key(&headers) {
        return refusal;
    }
    let data: Vec<Value> = USERS.iter().map(user_json).collect();
    let list = json!({ "object": "list", "data": data, "list_metadata": { "after": null, "before": null } });
    Json(list).into_response()
}

/// `GET /user_management/users/{id}`, as `user_management().get_user` sends it.
async fn user(Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Some(refusal) = without_api_key(&headers) {
        return refusal;
    }
    match find_user(&id) {
        Some(user) => Json(user_json(user)).into_response(),
        None => api_error(StatusCode::NOT_FOUND, "entity_not_found", "User not found."),
    }
}

/// `GET /organizations/{id}`, as `organizations().get_organization` sends it.
async fn organization(Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Some(refusal) = without_api_key(&headers) {
        return refusal;
    }
    let Some(org) = find_org(&id) else {
        return api_error(StatusCode::NOT_FOUND, "entity_not_found", "Organization not found.");
    };
    Json(json!({
        "object": "organization",
        "id": org.id,
        "name": org.name,
        "domains": [],
        "metadata": {},
        "external_id": null,
        "created_at": "2026-01-05T09:00:00.000Z",
        "updated_at": "2026-01-05T09:00:00.000Z",
    }))
    .into_response()
}

/// `GET /sso/jwks/{client_id}`: the keys access tokens are signed with, where the
/// `workos` crate's `JwksHelper` (`jwks_url`) and WorkOS's other SDKs look for them.
async fn jwks(State(stand_in): State<Shared>, Path(client_id): Path<String>) -> Response {
    if client_id != STAND_IN_CLIENT_ID {
        return api_error(StatusCode::NOT_FOUND, "entity_not_found", "No JWKS for this client.");
    }
    Json(json!({ "keys": [stand_in.signer.jwk()] })).into_response()
}

#[derive(Deserialize)]
struct LogoutQuery {
    session_id: Option<String>,
    return_to: Option<String>,
}

/// `GET /user_management/sessions/logout`: ends the session and sends the browser to
/// `return_to` — only if it is one of the configured logout redirect URIs.
async fn logout(State(stand_in): State<Shared>, Query(query): Query<LogoutQuery>) -> Response {
    let Some(session_id) = query.session_id.filter(|s| !s.is_empty()) else {
        return error_page(StatusCode::BAD_REQUEST, "Missing session", "session_id is required.");
    };
    let config = &stand_in.config;
    let allowed: Vec<String> = config.logout_return_paths.iter().map(|p| config.app_url(p)).collect();
    let target = query.return_to.unwrap_or_else(|| config.app_url("/"));
    if !allowed.contains(&target) {
        // Refused before anything happens: the session stays as it was.
        return error_page(
            StatusCode::BAD_REQUEST,
            "Logout redirect not allowed",
            &format!(
                "return_to {target:?} is not one of this environment's logout redirect URIs ({}).",
                allowed.join(", ")
            ),
        );
    }
    // An unknown or already ended session still lands the browser back on the app.
    let ended = lock(&stand_in.sessions).remove(&session_id).is_some();
    stand_in.audit.revoked(&session_id, stand_in.now());
    tracing::debug!(session = %session_id, ended, "stand-in: logout");
    Redirect::to(&target).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_a_single_org_and_a_multi_org_user() {
        assert!(USERS.iter().any(|u| u.orgs.len() == 1));
        assert!(USERS.iter().any(|u| u.orgs.len() > 1));
        for user in USERS {
            for org in user.orgs {
                assert!(find_org(org).is_some(), "{org}");
            }
        }
    }

    #[test]
    fn the_form_escapes_what_it_echoes() {
        let staff = StaffSession {
            email: STAFF_EMAIL,
            role: Role::Admin,
            csrf: "secret".into(),
            ends_at: OffsetDateTime::UNIX_EPOCH,
        };
        let page = impersonate_page(
            &staff,
            &USERS[0],
            Duration::from_secs(3600),
            true,
            "<script>alert(1)</script>",
            "",
            Some("a < b"),
        );
        let html = page.render().unwrap_or_default();
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;</textarea>"), "{html}");
        assert!(!html.contains("<script>"));
        assert!(html.contains(r#"<p class="error" role="alert" id="form-error">a &#60; b</p>"#), "{html}");
        assert!(html.contains(r#"<label for="reason">Reason</label>"#));
        assert!(html.contains("Impersonate user"));
        assert!(html.contains("60 minutes"));
        assert!(html.contains("<p>Organization: <strong>Northwind Traders</strong></p>"), "{html}");
        let token = staff.form_token("impersonate:user_01BOBNG");
        assert!(html.contains(&format!(r#"<input type="hidden" name="csrf_token" value="{token}">"#)));
    }

    #[test]
    fn a_user_in_several_organizations_chooses_one() {
        let staff = StaffSession {
            email: STAFF_EMAIL,
            role: Role::Admin,
            csrf: "secret".into(),
            ends_at: OffsetDateTime::UNIX_EPOCH,
        };
        let carol = find_user("user_01CAROLDIAZ");
        let Some(carol) = carol else { panic!("Carol") };
        let html = impersonate_page(&staff, carol, Duration::from_secs(5), true, "", "org_01INITECH", None)
            .render()
            .unwrap_or_default();
        assert!(html.contains(r#"<option value="org_01GLOBEX">Globex</option>"#), "{html}");
        assert!(html.contains(r#"<option value="org_01INITECH" selected>Initech</option>"#), "{html}");
        assert!(html.contains("5 seconds"));
        assert!(!html.contains("form-error"));
    }

    #[test]
    fn the_login_page_escapes_next() {
        let html = login_page(r#""><script>"#, None).render().unwrap_or_default();
        assert!(html.contains(r#"name="next" value="&#34;&#62;&#60;script&#62;""#), "{html}");
        assert!(html.contains(r#"id="demo-credentials""#) && html.contains(STAFF_PASSWORD));
    }

    #[test]
    fn after_the_staff_sign_in_only_dashboard_paths_are_followed() {
        assert_eq!(
            dashboard_path(Some("/workos/dashboard/users/user_01BOBNG/impersonate")),
            "/workos/dashboard/users/user_01BOBNG/impersonate"
        );
        for other in [
            None,
            Some(""),
            Some("https://evil.test/"),
            Some("//evil.test/workos/dashboard"),
            Some("/workos/dashboardx"),
            Some("/invoices"),
            Some("/workos/dashboard/\u{e9}"),
            Some("/workos/dashboard/a b"),
        ] {
            assert_eq!(dashboard_path(other), "/workos/dashboard", "{other:?}");
        }
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "xworkos_staff=no; workos_staff=abc; other=1"
                .parse()
                .unwrap_or(header::HeaderValue::from_static("")),
        );
        assert_eq!(cookie(&headers, STAFF_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn lifetimes_read_naturally() {
        assert_eq!(lifetime(Duration::from_secs(3600)), "60 minutes");
        assert_eq!(lifetime(Duration::from_secs(60)), "1 minute");
        assert_eq!(lifetime(Duration::from_secs(5)), "5 seconds");
        assert_eq!(lifetime(Duration::from_secs(1)), "1 second");
    }
}
