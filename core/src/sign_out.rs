//! The sign-out contract, as plain Rust: which `return-to` values are allowed, what
//! the request body is, and what each answer of the app's sign-out endpoint means.
//! The browser side (`staff_bar`'s `dom` layer) only moves bytes; every decision is made here,
//! where it is tested natively.

use crate::json::{self, Json};
use crate::session::push_decimal;

/// Why a `return-to` value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReturnToError {
    /// It does not start with a single `/` (an absolute URL, `//host`, `javascript:`…).
    NotAPath,
    /// It holds a backslash, which browsers read as `/` (`/\evil.test`).
    Backslash,
    /// It holds whitespace or a control character, which browsers strip or misread.
    ControlCharacter,
    /// Once percent-decoded it would leave the origin (`/%2F%2Fevil.test`).
    EncodedEscape,
}

impl ReturnToError {
    /// The sentence for the console.
    pub fn message(self) -> &'static str {
        match self {
            ReturnToError::NotAPath => {
                "staff-bar: return-to must be a same-origin path starting with a single /"
            }
            ReturnToError::Backslash => "staff-bar: return-to must not contain a backslash",
            ReturnToError::ControlCharacter => {
                "staff-bar: return-to must not contain whitespace or control characters"
            }
            ReturnToError::EncodedEscape => "staff-bar: return-to must not encode a path to another origin",
        }
    }
}

/// Accepts `raw` only when it is a path on this origin: it starts with exactly one `/`,
/// holds no backslash, whitespace or control character, and still does after
/// percent-decoding (so `/%2F%2Fevil.test` and `/%5Cevil.test` are refused too).
pub fn validate_return_to(raw: &str) -> Result<&str, ReturnToError> {
    check_path(raw)?;
    // Decoding repeatedly catches double encoding (`%252F`); three rounds are plenty and
    // anything still changing after that is refused.
    let mut current = raw.to_owned();
    for _ in 0..3 {
        let decoded = percent_decode(&current);
        if decoded == current {
            return Ok(raw);
        }
        check_path(&decoded).map_err(|_| ReturnToError::EncodedEscape)?;
        current = decoded;
    }
    Err(ReturnToError::EncodedEscape)
}

fn check_path(path: &str) -> Result<(), ReturnToError> {
    if path.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(ReturnToError::ControlCharacter);
    }
    if path.contains('\\') {
        return Err(ReturnToError::Backslash);
    }
    let mut chars = path.chars();
    if chars.next() != Some('/') || chars.next() == Some('/') {
        return Err(ReturnToError::NotAPath);
    }
    Ok(())
}

/// Decodes `%XX` sequences; a malformed one is kept as it is. Bytes that do not form
/// UTF-8 become U+FFFD, which the checks then treat as ordinary text.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let high = bytes.get(i + 1).and_then(|b| (*b as char).to_digit(16));
            let low = bytes.get(i + 2).and_then(|b| (*b as char).to_digit(16));
            if let (Some(high), Some(low)) = (high, low) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(byte);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON body of a `fetch`-mode sign-out: `{"returnTo":"/path"}`, or `{}` without one.
#[doc(hidden)]
pub fn request_body(return_to: Option<&str>) -> String {
    let mut body = String::from("{");
    if let Some(path) = return_to {
        body.push_str("\"returnTo\":");
        json::write_string(&mut body, path);
    }
    body.push('}');
    body
}

/// How long a sign-out request may take before Stop is offered again.
#[doc(hidden)]
pub const TIMEOUT_MS: u32 = 30_000;

/// Why a sign-out did not complete. The bar shows the message and offers Stop again.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignOutError {
    /// The endpoint answered with a status other than 2xx.
    Status(u16),
    /// The request did not reach the server or was aborted.
    Network,
    /// A 2xx answer whose body is not the JSON of the contract.
    BadAnswer,
    /// The answer named a destination that is not an http(s) URL or a path.
    UnsafeRedirect,
    /// No sign-out endpoint was configured.
    NoEndpoint,
    /// The sign-out endpoint is not an http(s) URL or a path (`javascript:…`).
    UnsafeEndpoint,
    /// `form` mode could not submit its form (no `<body>`, the browser refused).
    FormNotSent,
    /// `form` mode submitted its form, but the page was still here when the time was
    /// up: the server answered 204, the navigation was cancelled or a policy blocked it.
    FormStayed,
    /// A host-supplied stop action failed with this message.
    Action(String),
}

impl SignOutError {
    /// What the bar shows, in English; localized text comes from the strings table.
    pub fn message(&self) -> String {
        match self {
            SignOutError::Status(status) => {
                let mut text = String::from("Could not stop impersonating: the server answered HTTP ");
                push_decimal(&mut text, u64::from(*status));
                text.push_str(". Try again.");
                text
            }
            SignOutError::Network => {
                "Could not stop impersonating: the server could not be reached. Try again.".into()
            }
            SignOutError::BadAnswer => {
                "Could not stop impersonating: the server's answer was not understood. Try again.".into()
            }
            SignOutError::UnsafeRedirect => {
                "Could not stop impersonating: the server asked for an unsafe redirect.".into()
            }
            SignOutError::NoEndpoint => "Could not stop impersonating: no sign-out URL is configured.".into(),
            SignOutError::UnsafeEndpoint => {
                "Could not stop impersonating: the sign-out URL is not a web address.".into()
            }
            SignOutError::FormNotSent => {
                "Could not stop impersonating: the sign-out form could not be sent. Try again.".into()
            }
            SignOutError::FormStayed => {
                "Could not stop impersonating: the sign-out form did not lead away from this page. Try again."
                    .into()
            }
            SignOutError::Action(message) => message.clone(),
        }
    }
}

/// Where the browser goes after the endpoint answered `status` with `body`.
///
/// 2xx with `{"redirectTo": url}` (or `{"logoutUrl": url}`) goes to that URL; 204 goes
/// to `return_to`, or `/`. Anything else is an error and the bar stays.
#[doc(hidden)]
pub fn destination(status: u16, body: &str, return_to: Option<&str>) -> Result<String, SignOutError> {
    if status == 204 {
        return Ok(return_to.unwrap_or("/").to_owned());
    }
    if !(200..300).contains(&status) {
        return Err(SignOutError::Status(status));
    }
    let answer = json::parse(body).map_err(|_| SignOutError::BadAnswer)?;
    let target = match answer.get_any(&["redirectTo", "logoutUrl", "redirect_to", "logout_url"]) {
        Some(Json::String(url)) => url,
        _ => return Err(SignOutError::BadAnswer),
    };
    if is_safe_redirect(target) {
        Ok(target.clone())
    } else {
        Err(SignOutError::UnsafeRedirect)
    }
}

/// A server-given destination may leave the origin (the WorkOS logout URL does) but must
/// be http(s) or a relative reference: never `javascript:`, `data:` or the like.
#[doc(hidden)]
pub fn is_safe_redirect(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_control()) {
        return false;
    }
    match url.find([':', '/', '?', '#']) {
        Some(at) if url.as_bytes().get(at) == Some(&b':') => {
            let scheme = url.get(..at).unwrap_or("");
            scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")
        }
        _ => true,
    }
}
