//! Acme's sessions, kept the way a Rust app on WorkOS keeps them: the `workos` crate's
//! sealed session (`SessionManager`) in a cookie, its access token verified against the
//! environment's JWKS on every request and refreshed through WorkOS when it runs out.
//! The server stores nothing: a sign-in lasts as long as WorkOS grants refreshes, so
//! an impersonation ends when WorkOS says its 60 minutes are over (the stand-in's
//! access tokens end with it, and it refuses the refresh after that).
//!
//! A middleware ([`resolve`]) reads the cookie once per request, refreshing it when
//! needed, and hands the handlers the [`AppSession`] as a request extension; the new
//! cookie (or its removal) goes out with the response.

use axum::extract::{Request, State};
use axum::http::header::SET_COOKIE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, Key, SameSite, SignedCookieJar};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use workos::helpers::{seal, unseal, SessionData, SessionRefreshOptions, SessionState};

use crate::config::Config;
use crate::AppState;

/// The session cookie: the sealed session, signed too.
pub(crate) const SESSION_COOKIE: &str = "acme_session";

/// What the sealed cookie holds: the crate's `SessionData` (the tokens, the user and
/// the impersonator, as `SessionManager` reads them) and three things of the app's.
/// `SessionManager` ignores the app's fields; [`Sessions::refresh`] carries them over.
#[derive(Serialize, Deserialize)]
struct Sealed {
    #[serde(flatten)]
    data: SessionData,
    /// When the sign-in happened, in Unix seconds (for the log).
    started_at: i64,
    /// When the impersonation ends, in Unix milliseconds, as WorkOS lists the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization_name: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct SessionUser {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
}

impl SessionUser {
    pub(crate) fn display_name(&self) -> String {
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
pub(crate) struct Impersonator {
    pub(crate) email: String,
    pub(crate) reason: Option<String>,
}

/// The signed-in session of a request, as its verified access token and the sealed
/// cookie say.
#[derive(Clone, Debug)]
pub(crate) struct AppSession {
    /// The CSRF token of the session's forms and sign-out requests, derived from the
    /// WorkOS session id with the server's key (nothing to store).
    pub(crate) csrf: String,
    pub(crate) user: SessionUser,
    pub(crate) impersonator: Option<Impersonator>,
    pub(crate) organization_id: Option<String>,
    pub(crate) organization_name: Option<String>,
    /// The WorkOS session id (the access token's `sid`), needed for the logout URL.
    pub(crate) workos_session_id: String,
    pub(crate) started_at: OffsetDateTime,
    /// When the impersonation ends; `None` for an ordinary sign-in.
    pub(crate) expires_at: Option<OffsetDateTime>,
}

impl AppSession {
    /// The impersonation as staff-bar's own contract type, the one its parser
    /// reads; `None` for an ordinary sign-in. `now` is the server's time.
    pub(crate) fn impersonation(&self, now: OffsetDateTime) -> Option<staff_bar_core::Session> {
        let impersonator = self.impersonator.as_ref()?;
        let mut staff = staff_bar_core::Impersonator::new(impersonator.email.clone());
        staff.reason = impersonator.reason.clone();
        let mut session = staff_bar_core::Session::new(self.contract_user(), staff)
            .with_session_id(self.workos_session_id.clone())
            .with_server_time(millis(now));
        session.organization = self.organization();
        session.expires_at = self.expires_at.map(millis);
        Some(session)
    }

    fn organization(&self) -> Option<staff_bar_core::Organization> {
        self.organization_id.as_ref().map(|id| {
            let mut organization = staff_bar_core::Organization::new().with_id(id.clone());
            organization.name = self.organization_name.clone();
            organization
        })
    }

    fn contract_user(&self) -> staff_bar_core::User {
        let mut user = staff_bar_core::User::new(self.user.email.clone()).with_id(self.user.id.clone());
        user.first_name = self.user.first_name.clone();
        user.last_name = self.user.last_name.clone();
        user
    }

    /// The session JSON of SPEC.md: the impersonation, or the user with
    /// `impersonator: null` for an ordinary sign-in.
    pub(crate) fn to_json(&self, now: OffsetDateTime) -> Value {
        if let Some(session) = self.impersonation(now) {
            return serde_json::to_value(session).unwrap_or(Value::Null);
        }
        json!({
            "user": self.contract_user(),
            "impersonator": null,
            "organizationId": self.organization_id,
            "organization": self.organization(),
        })
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Why a session ended, for the log.
#[derive(Clone, Copy)]
pub(crate) enum Ended {
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

pub(crate) fn log_ended(session: &AppSession, why: Ended, now: OffsetDateTime) {
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

/// What a sign-in starts a session from: the code exchange's answer, with what the
/// app looked up beside it.
pub(crate) struct NewSession {
    pub(crate) auth: workos::models::AuthenticateResponse,
    pub(crate) organization_name: Option<String>,
    pub(crate) expires_at: Option<OffsetDateTime>,
    pub(crate) started_at: OffsetDateTime,
}

/// The sealing password and the CSRF key, both derived from the server's cookie key.
pub(crate) struct Sessions {
    /// 64 hex characters, as the crate's sealing asks.
    password: String,
    csrf_key: [u8; 32],
}

impl Sessions {
    pub(crate) fn new(key: &Key) -> Sessions {
        let derive = |label: &str| -> [u8; 32] {
            let mut digest = Sha256::new();
            digest.update(key.master());
            digest.update(label.as_bytes());
            digest.finalize().into()
        };
        let password = derive("acme sealed session").iter().map(|b| format!("{b:02x}")).collect();
        Sessions { password, csrf_key: derive("acme csrf") }
    }

    fn csrf(&self, workos_session_id: &str) -> String {
        let mut digest = Sha256::new();
        digest.update(self.csrf_key);
        digest.update(workos_session_id.as_bytes());
        digest.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Seals a new session for the cookie.
    pub(crate) fn seal(&self, new: NewSession) -> Result<String, String> {
        let NewSession { auth, organization_name, expires_at, started_at } = new;
        let sealed = Sealed {
            data: SessionData {
                access_token: auth.access_token,
                refresh_token: auth.refresh_token,
                user: Some(auth.user),
                impersonator: auth.impersonator,
            },
            started_at: started_at.unix_timestamp(),
            expires_at: expires_at.map(millis),
            organization_name,
        };
        seal(&sealed, &self.password).map_err(|error| error.to_string())
    }

    /// The session `sealed` stands for, read without asking anyone (for the log of one
    /// that is ending); `None` if it is not one of ours.
    pub(crate) fn peek(&self, sealed: &str) -> Option<AppSession> {
        self.unverified(&unseal(sealed, &self.password).ok()?)
    }

    /// What an unsealed session says, its token unverified (for the log only).
    fn unverified(&self, sealed: &Sealed) -> Option<AppSession> {
        let claims = unverified_claims(sealed.data.access_token.expose())?;
        self.app_session(sealed, &claims, sealed.data.impersonator.clone())
    }

    fn app_session(
        &self,
        sealed: &Sealed,
        claims: &Claims,
        impersonator: Option<workos::models::AuthenticateResponseImpersonator>,
    ) -> Option<AppSession> {
        let user = sealed.data.user.as_ref()?;
        let at = |millis: i64| OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).ok();
        Some(AppSession {
            csrf: self.csrf(&claims.sid),
            user: SessionUser {
                id: user.id.clone(),
                email: user.email.clone(),
                first_name: user.first_name.clone(),
                last_name: user.last_name.clone(),
            },
            impersonator: impersonator
                .map(|i| Impersonator { email: i.email, reason: i.reason.filter(|r| !r.is_empty()) }),
            organization_id: claims.org_id.clone().filter(|id| !id.is_empty()),
            organization_name: sealed.organization_name.clone(),
            workos_session_id: claims.sid.clone(),
            started_at: OffsetDateTime::from_unix_timestamp(sealed.started_at)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            expires_at: sealed.expires_at.and_then(at),
        })
    }
}

/// The claims the app reads from an access token the crate has verified.
#[derive(Deserialize)]
struct Claims {
    sid: String,
    #[serde(default)]
    org_id: Option<String>,
    exp: i64,
}

/// The payload of a JWT, unverified: only for a token `SessionManager` verified, or
/// for the log.
fn unverified_claims(token: &str) -> Option<Claims> {
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The WorkOS session id (`sid`) an access token names, unverified: only to look the
/// session up at WorkOS.
pub(crate) fn session_id_of(token: &str) -> Option<String> {
    unverified_claims(token).map(|claims| claims.sid)
}

/// What the response does with the session cookie.
enum CookieChange {
    Keep,
    Set(String),
    Clear,
}

/// The request's session, for handlers: `Extension<Current>`.
#[derive(Clone, Default)]
pub(crate) struct Current(pub(crate) Option<AppSession>);

impl crate::acme::Acme {
    /// The session behind the cookie: authenticated by the crate (the seal, the access
    /// token's signature against the JWKS, the impersonator bound to it), refreshed
    /// through WorkOS when the access token has run out by this server's clock.
    async fn load(&self, jar: &SignedCookieJar) -> (Option<AppSession>, CookieChange) {
        let Some(cookie) = jar.get(SESSION_COOKIE) else { return (None, CookieChange::Keep) };
        let sealed_text = cookie.value().to_owned();
        let sessions = &self.sessions;
        let Ok(sealed) = unseal::<Sealed>(&sealed_text, &sessions.password) else {
            return (None, CookieChange::Clear);
        };
        let manager = self.workos.session(sealed_text.as_str(), sessions.password.as_str());
        let state = manager.authenticate().await;
        let now = self.now().unix_timestamp();
        if let Some(session) = self.verified(&sealed, &state, now) {
            return (Some(session), CookieChange::Keep);
        }
        if !state.authenticated && !state.needs_refresh {
            tracing::warn!(reason = %state.reason, "session refused");
            return (None, CookieChange::Clear);
        }
        let refreshed = match manager.refresh(SessionRefreshOptions::default()).await {
            Ok(result) => result.session.filter(|_| result.authenticated).ok_or(result.reason),
            Err(error) => Err(error.to_string()),
        };
        let data = match refreshed {
            Ok(data) => data,
            Err(reason) => {
                // WorkOS ended it: an impersonation's time is up, or it was signed out.
                if let Some(ended) = sessions.unverified(&sealed) {
                    log_ended(&ended, Ended::Expired, self.now());
                }
                tracing::debug!(%reason, "refresh refused");
                return (None, CookieChange::Clear);
            }
        };
        let renewed = Sealed { data, ..sealed };
        let Ok(text) = seal(&renewed, &sessions.password) else { return (None, CookieChange::Clear) };
        let state = self.workos.session(text.as_str(), sessions.password.as_str()).authenticate().await;
        match self.verified(&renewed, &state, now) {
            Some(session) => (Some(session), CookieChange::Set(text)),
            None => (None, CookieChange::Clear),
        }
    }

    /// A session just sealed, once the crate has verified it.
    pub(crate) async fn open(&self, sealed_text: &str) -> Option<AppSession> {
        let sealed = unseal::<Sealed>(sealed_text, &self.sessions.password).ok()?;
        let state = self.workos.session(sealed_text, self.sessions.password.as_str()).authenticate().await;
        self.verified(&sealed, &state, self.now().unix_timestamp())
    }

    /// The session, if the crate authenticated it and its token has not run out by
    /// this server's clock (which the tests move; the crate reads the system's).
    fn verified(&self, sealed: &Sealed, state: &SessionState, now: i64) -> Option<AppSession> {
        if !state.authenticated {
            return None;
        }
        let claims = unverified_claims(sealed.data.access_token.expose())?;
        if now >= claims.exp || claims.sid != state.session_id {
            return None;
        }
        self.sessions.app_session(sealed, &claims, state.impersonator.clone())
    }
}

/// The middleware: the request's session for the handlers, and the refreshed cookie
/// (or its removal) on the way out, unless the handler set the cookie itself.
pub(crate) async fn resolve(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let (session, change) = state.acme.load(&jar).await;
    request.extensions_mut().insert(Current(session));
    let mut response = next.run(request).await;
    let handled =
        response.headers().get_all(SET_COOKIE).iter().any(|value| {
            value.to_str().is_ok_and(|cookie| cookie.starts_with(&format!("{SESSION_COOKIE}=")))
        });
    let jar = match change {
        _ if handled => return response,
        CookieChange::Keep => return response,
        CookieChange::Set(value) => jar.add(session_cookie(&state.acme.config, value)),
        CookieChange::Clear => jar.remove(removal(&state.acme.config, SESSION_COOKIE, "/")),
    };
    let (parts, _) = jar.into_response().into_parts();
    for value in parts.headers.get_all(SET_COOKIE) {
        response.headers_mut().append(SET_COOKIE, value.clone());
    }
    response
}

/// The session cookie: `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` when the
/// app is served over https.
pub(crate) fn session_cookie(config: &Config, value: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(config.secure_cookies())
        .build()
}

/// What removes the cookie `name` (with the attributes it was set with).
pub(crate) fn removal(config: &Config, name: &'static str, path: &'static str) -> Cookie<'static> {
    Cookie::build(name)
        .http_only(true)
        .same_site(SameSite::Lax)
        .path(path)
        .secure(config.secure_cookies())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claims: &Value) -> String {
        let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
        format!("{}.{}.signature", part(&json!({"alg": "RS256", "kid": "k"})), part(claims))
    }

    fn new_session(sid: &str) -> NewSession {
        let auth: workos::models::AuthenticateResponse = serde_json::from_value(json!({
            "user": {
                "object": "user", "id": "user_1", "email": "bob@northwind.test", "email_verified": true,
                "first_name": "Bob", "last_name": "Ng", "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z"
            },
            "organization_id": "org_1",
            "access_token": token(&json!({"sub": "user_1", "sid": sid, "org_id": "org_1", "exp": 4_000_000_000_i64})),
            "refresh_token": "refresh",
            "authentication_method": "Impersonation",
            "impersonator": {"email": "ada@support.test", "reason": "Ticket 1"}
        }))
        .unwrap_or_else(|error| panic!("an AuthenticateResponse: {error}"));
        NewSession {
            auth,
            organization_name: Some("Northwind <b>Traders</b>".into()),
            expires_at: OffsetDateTime::from_unix_timestamp(1_900_000_000).ok(),
            started_at: OffsetDateTime::from_unix_timestamp(1_800_000_000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        }
    }

    #[test]
    fn a_sealed_session_keeps_the_apps_fields_beside_the_crates() {
        let sessions = Sessions::new(&Key::generate());
        let sealed = sessions.seal(new_session("session_1")).unwrap_or_default();
        assert!(!sealed.contains("bob@northwind.test") && !sealed.contains("Ticket"), "sealed, not encoded");
        // The crate reads it as its own SessionData.
        let data: SessionData = unseal(&sealed, &sessions.password).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.refresh_token.expose(), "refresh");
        assert_eq!(data.impersonator.map(|i| i.email).as_deref(), Some("ada@support.test"));
        let Some(session) = sessions.peek(&sealed) else { panic!("our own seal") };
        assert_eq!(session.workos_session_id, "session_1");
        assert_eq!(session.organization_name.as_deref(), Some("Northwind <b>Traders</b>"));
        assert_eq!(session.expires_at.map(OffsetDateTime::unix_timestamp), Some(1_900_000_000));
        assert_eq!(session.started_at.unix_timestamp(), 1_800_000_000);
        assert_eq!(session.impersonator.and_then(|i| i.reason).as_deref(), Some("Ticket 1"));
    }

    #[test]
    fn csrf_tokens_are_per_session_and_per_key() {
        let key = Key::generate();
        let sessions = Sessions::new(&key);
        assert_eq!(sessions.csrf("session_1"), Sessions::new(&key).csrf("session_1"), "nothing to store");
        assert_ne!(sessions.csrf("session_1"), sessions.csrf("session_2"));
        assert_ne!(sessions.csrf("session_1"), Sessions::new(&Key::generate()).csrf("session_1"));
        assert_eq!(sessions.password.len(), 64, "the crate's sealing asks 64 hex characters");
    }

    #[test]
    fn a_foreign_or_broken_seal_is_nobody() {
        let sessions = Sessions::new(&Key::generate());
        let foreign = Sessions::new(&Key::generate()).seal(new_session("session_1")).unwrap_or_default();
        assert!(sessions.peek(&foreign).is_none());
        let mut sealed = sessions.seal(new_session("session_1")).unwrap_or_default();
        sealed.insert(10, 'A');
        assert!(sessions.peek(&sealed).is_none());
        for junk in ["", "x", &"A".repeat(100_000), "%%%"] {
            assert!(sessions.peek(junk).is_none());
        }
    }
}
