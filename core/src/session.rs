//! The session model: who is impersonated, by whom, in which organization, until when.
//!
//! [`Session::from_json`] accepts the object AuthKit SDKs return from `withAuth()` /
//! `getAuth()` as it is (camelCase) and the snake_case spelling of server SDKs. Every
//! malformed input is a typed [`SessionError`]; nothing here can panic.

use crate::json::{self, Json, JsonError};
use crate::time;
use crate::token::{self, TokenError};

/// An impersonation in progress: the signed-in user and the staff member acting as them.
/// There is no value for "not impersonating": that is `None` where a `Session` is expected.
///
/// A server builds one with [`Session::new`] and the `with_` methods (new fields may
/// come in later releases, so it is not built as a struct literal outside this crate):
///
/// ```
/// use staff_bar_core::{Impersonator, Organization, Session, User};
///
/// let session = Session::new(
///     User::new("bob@acme.test").with_id("user_01").with_first_name("Bob"),
///     Impersonator::new("ada@support.test").with_reason("Ticket 4521"),
/// )
/// .with_organization(Organization::new().with_id("org_01").with_name("Acme"))
/// .with_expires_at(1_795_611_600_000);
/// assert_eq!(session.organization_name(), Some("Acme"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Session {
    /// The user being impersonated: who the app now acts as.
    pub user: User,
    /// The staff member doing it.
    pub impersonator: Impersonator,
    /// The organization the user is signed in to, when the app has one.
    pub organization: Option<Organization>,
    /// The WorkOS session id (`sid`); keys what is remembered per impersonation.
    pub session_id: Option<String>,
    /// When the impersonation ends, in milliseconds since the Unix epoch.
    pub expires_at: Option<i64>,
    /// The server's clock when it answered, in milliseconds since the Unix epoch, so a
    /// countdown can correct for a client clock that is off.
    pub server_time: Option<i64>,
}

/// The impersonated user, as the session JSON's `user`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct User {
    /// The user's id in the identity provider (`user_…` in WorkOS).
    pub id: Option<String>,
    /// The address the bar shows.
    pub email: String,
    /// `firstName` (or `first_name`).
    pub first_name: Option<String>,
    /// `lastName` (or `last_name`).
    pub last_name: Option<String>,
}

/// The staff member impersonating, as the session JSON's `impersonator` (or, with
/// only an access token, its `act` claim).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Impersonator {
    /// The staff member's address, which the bar shows.
    pub email: String,
    /// Why the staff member is impersonating; AuthKit sends `null` when none was given.
    pub reason: Option<String>,
}

/// The organization of the session, as its `organization` or `organizationId`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Organization {
    /// The organization's id (`org_…` in WorkOS).
    pub id: Option<String>,
    /// Shown in the bar ("within the **Acme** organization") only when known.
    pub name: Option<String>,
}

/// Why a session JSON could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionError {
    /// The text is not JSON.
    Json(JsonError),
    /// The JSON is not an object.
    NotAnObject,
    /// A member has the wrong type; `field` is its path, as in `user.email`.
    WrongType {
        /// The member's path.
        field: &'static str,
        /// What it has to be, as a phrase ("a string").
        expected: &'static str,
    },
    /// A required member is missing.
    Missing {
        /// The member's path.
        field: &'static str,
    },
    /// A time member is not an ISO 8601 date-time.
    InvalidTime {
        /// The member's path.
        field: &'static str,
    },
    /// `accessToken` is present but cannot be read.
    Token(TokenError),
}

impl SessionError {
    /// A sentence for the console, built without `format!` to keep `core::fmt` out of
    /// the WebAssembly.
    pub fn message(&self) -> String {
        let mut out = String::from("staff-bar: the session was not used: ");
        self.push_detail(&mut out);
        out
    }

    /// The sentence for an optional field that was dropped while the bar still shows.
    pub fn ignored_message(&self) -> String {
        let mut out = String::from("staff-bar: a session field was ignored: ");
        self.push_detail(&mut out);
        out
    }

    fn push_detail(&self, out: &mut String) {
        match self {
            SessionError::Json(error) => {
                out.push_str(error.kind.message());
                out.push_str(" (at byte ");
                push_decimal(out, error.offset as u64);
                out.push(')');
            }
            SessionError::NotAnObject => out.push_str("it is not a JSON object"),
            SessionError::WrongType { field, expected } => {
                out.push_str(field);
                out.push_str(" must be ");
                out.push_str(expected);
            }
            SessionError::Missing { field } => {
                out.push_str(field);
                out.push_str(" is missing");
            }
            SessionError::InvalidTime { field } => {
                out.push_str(field);
                out.push_str(" is not an ISO 8601 date-time such as 2026-11-25T13:00:00Z");
            }
            SessionError::Token(error) => out.push_str(error.message()),
        }
    }
}

impl User {
    /// A user known by their email address.
    pub fn new(email: impl Into<String>) -> User {
        User { id: None, email: email.into(), first_name: None, last_name: None }
    }

    /// The user's id in the identity provider.
    pub fn with_id(mut self, id: impl Into<String>) -> User {
        self.id = Some(id.into());
        self
    }

    /// The user's first name.
    pub fn with_first_name(mut self, name: impl Into<String>) -> User {
        self.first_name = Some(name.into());
        self
    }

    /// The user's last name.
    pub fn with_last_name(mut self, name: impl Into<String>) -> User {
        self.last_name = Some(name.into());
        self
    }
}

impl Impersonator {
    /// A staff member known by their email address, with no reason given.
    pub fn new(email: impl Into<String>) -> Impersonator {
        Impersonator { email: email.into(), reason: None }
    }

    /// Why they are impersonating.
    pub fn with_reason(mut self, reason: impl Into<String>) -> Impersonator {
        self.reason = Some(reason.into());
        self
    }
}

impl Organization {
    /// An organization with nothing known yet.
    pub fn new() -> Organization {
        Organization::default()
    }

    /// The organization's id.
    pub fn with_id(mut self, id: impl Into<String>) -> Organization {
        self.id = Some(id.into());
        self
    }

    /// The organization's display name.
    pub fn with_name(mut self, name: impl Into<String>) -> Organization {
        self.name = Some(name.into());
        self
    }
}

/// Appends `n` in decimal, without `core::fmt`.
#[doc(hidden)]
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (n % 10) as u8;
        }
        len += 1;
        n /= 10;
        if n == 0 || len == digits.len() {
            break;
        }
    }
    for digit in digits.iter().take(len).rev() {
        out.push(char::from(*digit));
    }
}

/// Appends a signed `value` in decimal, without `core::fmt`.
#[doc(hidden)]
pub fn push_integer(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    push_decimal(out, value.unsigned_abs());
}

/// A session read from JSON, with the optional fields that were left out of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reading {
    /// `None`: not impersonating.
    pub session: Option<Session>,
    /// Optional fields that were present but unusable (an `expiresAt` without a zone, a
    /// number where a name belongs): each was dropped and the rest of the session kept,
    /// so one bad field never hides a bar. The browser reports them on the console.
    pub ignored: Vec<SessionError>,
}

impl Session {
    /// `user` impersonated by `impersonator`, with nothing else known yet.
    pub fn new(user: User, impersonator: Impersonator) -> Session {
        Session {
            user,
            impersonator,
            organization: None,
            session_id: None,
            expires_at: None,
            server_time: None,
        }
    }

    /// The organization the user is signed in to.
    pub fn with_organization(mut self, organization: Organization) -> Session {
        self.organization = Some(organization);
        self
    }

    /// The WorkOS session id (`sid`).
    pub fn with_session_id(mut self, id: impl Into<String>) -> Session {
        self.session_id = Some(id.into());
        self
    }

    /// When the impersonation ends, in milliseconds since the Unix epoch.
    pub fn with_expires_at(mut self, at_ms: i64) -> Session {
        self.expires_at = Some(at_ms);
        self
    }

    /// The server's clock as it answers, in milliseconds since the Unix epoch.
    pub fn with_server_time(mut self, at_ms: i64) -> Session {
        self.server_time = Some(at_ms);
        self
    }

    /// Reads a session JSON. `Ok(None)` means "not impersonating": no user, no
    /// impersonator, or either of them `null`. Unusable optional fields are dropped
    /// silently; [`Session::read_json`] says which.
    ///
    /// ```
    /// use staff_bar_core::Session;
    ///
    /// let text = r#"{"user":{"email":"bob@acme.test","first_name":"Bob"},
    ///               "impersonator":{"email":"ada@support.test","reason":"Ticket 4521"},
    ///               "expiresAt":"2026-11-25T13:00:00Z"}"#;
    /// let session = Session::from_json(text)?.expect("someone is impersonated");
    /// assert_eq!(session.user.first_name.as_deref(), Some("Bob"));
    /// assert_eq!(session.reason(), Some("Ticket 4521"));
    ///
    /// // Nobody is impersonated: not an error.
    /// assert_eq!(Session::from_json(r#"{"user":{"email":"bob@acme.test"},"impersonator":null}"#)?, None);
    /// // Not a session at all: an error that says why, never a panic.
    /// assert!(Session::from_json(r#"{"user":{},"impersonator":{"email":"a@x.test"}}"#).is_err());
    /// # Ok::<(), staff_bar_core::SessionError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Option<Session>, SessionError> {
        Session::read_json(text).map(|reading| reading.session)
    }

    /// Like [`Session::from_json`], for a document already parsed.
    #[doc(hidden)]
    pub fn from_value(document: &Json) -> Result<Option<Session>, SessionError> {
        Session::read_value(document).map(|reading| reading.session)
    }

    /// Reads a session JSON and reports the optional fields it had to drop. What decides
    /// whether there is a bar (the JSON itself, `user`, `user.email`, `impersonator`,
    /// `impersonator.email`, and without `impersonator` a present `accessToken`) still
    /// fails the whole reading.
    pub fn read_json(text: &str) -> Result<Reading, SessionError> {
        let document = json::parse(text).map_err(SessionError::Json)?;
        Session::read_value(&document)
    }

    /// Like [`Session::read_json`], for a document already parsed.
    #[doc(hidden)]
    pub fn read_value(document: &Json) -> Result<Reading, SessionError> {
        if !matches!(document, Json::Object(_)) {
            return Err(SessionError::NotAnObject);
        }
        let mut ignored = Vec::new();
        let claims =
            optional_string(document, &["accessToken", "access_token"], "accessToken").and_then(|token| {
                token.map(|token| token::decode_claims(&token).map_err(SessionError::Token)).transpose()
            });
        // With `impersonator` given, the token only adds an organization or a session id:
        // an opaque or broken one is dropped, not fatal. Without it, the token is what
        // says who impersonates, and an unreadable one fails the reading.
        let claims =
            if document.get("impersonator").is_some() { lenient(claims, &mut ignored) } else { claims? };

        let user = match optional_object(document, &["user"], "user")? {
            Some(user) => Some(User {
                id: lenient(optional_string(user, &["id"], "user.id"), &mut ignored),
                email: required_string(user, &["email"], "user.email")?,
                first_name: lenient(
                    optional_string(user, &["firstName", "first_name"], "user.firstName"),
                    &mut ignored,
                ),
                last_name: lenient(
                    optional_string(user, &["lastName", "last_name"], "user.lastName"),
                    &mut ignored,
                ),
            }),
            None => None,
        };

        let impersonator = match document.get("impersonator") {
            // Explicitly null: the server says nobody is impersonating.
            Some(Json::Null) => None,
            Some(value @ Json::Object(_)) => Some(Impersonator {
                email: required_string(value, &["email"], "impersonator.email")?,
                reason: lenient(optional_string(value, &["reason"], "impersonator.reason"), &mut ignored),
            }),
            Some(_) => return Err(wrong_type("impersonator", "an object or null")),
            // Absent: an app that only forwards its access token still has `act.sub`.
            None => claims
                .as_ref()
                .and_then(|c| Some(Impersonator { email: c.actor.clone()?, reason: c.reason.clone() })),
        };

        let (Some(user), Some(impersonator)) = (user, impersonator) else {
            return Ok(Reading { session: None, ignored });
        };

        let mut organization_id = lenient(
            optional_string(document, &["organizationId", "organization_id"], "organizationId"),
            &mut ignored,
        );
        let organization =
            lenient(optional_object(document, &["organization"], "organization"), &mut ignored).map(|org| {
                Organization {
                    id: lenient(optional_string(org, &["id"], "organization.id"), &mut ignored),
                    name: lenient(optional_string(org, &["name"], "organization.name"), &mut ignored),
                }
            });
        if organization_id.is_none() {
            organization_id = organization
                .as_ref()
                .and_then(|o| o.id.clone())
                .or_else(|| claims.as_ref().and_then(|c| c.organization_id.clone()));
        }
        let organization = match (organization, organization_id) {
            (Some(org), id) => Some(Organization { id: org.id.or(id), name: org.name }),
            (None, Some(id)) => Some(Organization { id: Some(id), name: None }),
            (None, None) => None,
        };

        let session_id =
            match lenient(optional_string(document, &["sessionId", "session_id"], "sessionId"), &mut ignored)
            {
                Some(id) => Some(id),
                None => claims.as_ref().and_then(|c| c.session_id.clone()),
            };
        let expires_at =
            lenient(optional_time(document, &["expiresAt", "expires_at"], "expiresAt"), &mut ignored);
        let server_time =
            lenient(optional_time(document, &["serverTime", "server_time"], "serverTime"), &mut ignored);

        let session = Session { user, impersonator, organization, session_id, expires_at, server_time };
        Ok(Reading { session: Some(session), ignored })
    }

    /// The session JSON (camelCase, times in RFC 3339 UTC), the text that `session_json`,
    /// a `session-url` answer and the `<staff-bar session>` attribute take. A server
    /// that hands the bar this text instead of a [`Session`] keeps the session reader
    /// out of its Leptos app's main bundle: the bar reads it in its own chunk.
    /// [`Session::from_json`] reads it back as it was.
    ///
    /// ```
    /// use staff_bar_core::Session;
    ///
    /// let text = r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@support.test"}}"#;
    /// let session = Session::from_json(text)?.expect("someone is impersonated");
    /// assert_eq!(
    ///     session.to_json(),
    ///     r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@support.test","reason":null}}"#
    /// );
    /// assert_eq!(Session::from_json(&session.to_json())?, Some(session));
    /// # Ok::<(), staff_bar_core::SessionError>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        out.push_str("{\"user\":{");
        let mut members = Members::new(&mut out);
        members.optional("id", self.user.id.as_deref());
        members.string("email", &self.user.email);
        members.optional("firstName", self.user.first_name.as_deref());
        members.optional("lastName", self.user.last_name.as_deref());
        out.push_str("},\"impersonator\":{");
        let mut members = Members::new(&mut out);
        members.string("email", &self.impersonator.email);
        members.key("reason");
        match &self.impersonator.reason {
            Some(reason) => json::write_string(members.out, reason),
            None => members.out.push_str("null"),
        }
        out.push('}');
        let mut members = Members { out: &mut out, first: false };
        let organization_id = self.organization.as_ref().and_then(|org| org.id.as_deref());
        members.optional("organizationId", organization_id);
        if let Some(organization) = &self.organization {
            members.key("organization");
            members.out.push('{');
            let mut inner = Members::new(members.out);
            inner.optional("id", organization.id.as_deref());
            inner.optional("name", organization.name.as_deref());
            members.out.push('}');
        }
        members.optional("sessionId", self.session_id.as_deref());
        members.optional("expiresAt", self.expires_at.map(time::format_rfc3339).as_deref());
        members.optional("serverTime", self.server_time.map(time::format_rfc3339).as_deref());
        out.push('}');
        out
    }

    /// Whether `other` describes the same impersonation, ignoring `server_time` (which
    /// changes with every answer), so a refresh that changes nothing re-renders nothing.
    pub fn same_as(&self, other: &Session) -> bool {
        self.user == other.user
            && self.impersonator == other.impersonator
            && self.organization == other.organization
            && self.session_id == other.session_id
            && self.expires_at == other.expires_at
    }

    /// What identifies this impersonation when remembering a minimized bar and in
    /// messages to other tabs: the session id; without one, impersonator, user and
    /// expiry together, so that a new impersonation of the same user by the same staff
    /// member (which expires at another time) starts afresh.
    pub fn key(&self) -> String {
        match &self.session_id {
            Some(id) => id.clone(),
            None => {
                let mut key = self.impersonator.email.clone();
                key.push('>');
                key.push_str(&self.user.email);
                if let Some(expires_at) = self.expires_at {
                    key.push('@');
                    push_integer(&mut key, expires_at);
                }
                key
            }
        }
    }

    /// The reason to show: `None` when absent or blank.
    pub fn reason(&self) -> Option<&str> {
        self.impersonator.reason.as_deref().filter(|reason| !reason.trim().is_empty())
    }

    /// The organization's display name, when the session carries one.
    pub fn organization_name(&self) -> Option<&str> {
        self.organization.as_ref()?.name.as_deref()
    }
}

/// The value of an optional field, or `None` with the reason kept in `ignored`.
fn lenient<T>(result: Result<Option<T>, SessionError>, ignored: &mut Vec<SessionError>) -> Option<T> {
    result.unwrap_or_else(|error| {
        ignored.push(error);
        None
    })
}

fn wrong_type(field: &'static str, expected: &'static str) -> SessionError {
    SessionError::WrongType { field, expected }
}

fn optional_string(
    object: &Json,
    keys: &[&str],
    field: &'static str,
) -> Result<Option<String>, SessionError> {
    match object.get_any(keys) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(wrong_type(field, "a string or null")),
    }
}

fn required_string(object: &Json, keys: &[&str], field: &'static str) -> Result<String, SessionError> {
    match object.get_any(keys) {
        None | Some(Json::Null) => Err(SessionError::Missing { field }),
        Some(Json::String(value)) => Ok(value.clone()),
        Some(_) => Err(wrong_type(field, "a string")),
    }
}

fn optional_object<'a>(
    object: &'a Json,
    keys: &[&str],
    field: &'static str,
) -> Result<Option<&'a Json>, SessionError> {
    match object.get_any(keys) {
        None | Some(Json::Null) => Ok(None),
        Some(value @ Json::Object(_)) => Ok(Some(value)),
        Some(_) => Err(wrong_type(field, "an object or null")),
    }
}

fn optional_time(object: &Json, keys: &[&str], field: &'static str) -> Result<Option<i64>, SessionError> {
    match optional_string(object, keys, field)? {
        Some(text) => time::parse_rfc3339(&text).map(Some).ok_or(SessionError::InvalidTime { field }),
        None => Ok(None),
    }
}

/// The members of a JSON object being written: commas between them, absent ones left out.
struct Members<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Members<'a> {
    fn new(out: &'a mut String) -> Self {
        Members { out, first: true }
    }

    fn key(&mut self, name: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        json::write_string(self.out, name);
        self.out.push(':');
    }

    fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        json::write_string(self.out, value);
    }

    fn optional(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string(name, value);
        }
    }
}
