//! Reading the claims of an AuthKit access token (a JWT) for display.
//!
//! The signature is not checked and nothing here is a security decision: the server
//! already decided who is signed in. The bar only reads who the actor is (`act.sub`,
//! RFC 8693) and why (`impersonator.reason`, beside it in WorkOS's tokens), the session
//! id and the organization, so that an app that hands over nothing but its access
//! token still gets a complete bar.

use crate::json::{self, Json, JsonErrorKind};

/// The claims the bar shows. Each is `None` when the token does not carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenClaims {
    /// `sub`: the signed-in (impersonated) user's id.
    pub subject: Option<String>,
    /// `act.sub`: the impersonator, present only during impersonation.
    pub actor: Option<String>,
    /// `sid`: the WorkOS session id.
    pub session_id: Option<String>,
    /// `org_id`: the organization the session is scoped to.
    pub organization_id: Option<String>,
    /// `impersonator.reason`: why, as WorkOS writes it beside `act` in an
    /// impersonation's token. Display only, so a malformed claim is simply absent.
    pub reason: Option<String>,
}

/// Why a token could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// A JWT has exactly three dot-separated segments.
    WrongSegmentCount,
    /// The header segment is not base64url of a JSON object (RFC 7519, section 7.2).
    InvalidHeader,
    /// The signature segment is not base64url.
    InvalidSignature,
    /// The payload segment is not base64url (or base64).
    InvalidBase64,
    /// The decoded payload is not UTF-8.
    NotUtf8,
    /// The decoded payload is not JSON.
    NotJson(JsonErrorKind),
    /// The payload is JSON but not an object.
    NotAnObject,
    /// `act` is present but is not an object with a string `sub`.
    InvalidActor,
    /// A claim the bar reads (`sub`, `sid`, `org_id`) is not a string.
    InvalidClaim,
}

impl TokenError {
    pub fn message(self) -> &'static str {
        match self {
            TokenError::WrongSegmentCount => "the access token does not have three segments",
            TokenError::InvalidHeader => "the access token header is not base64url of a JSON object",
            TokenError::InvalidSignature => "the access token signature is not base64url",
            TokenError::InvalidBase64 => "the access token payload is not base64url",
            TokenError::NotUtf8 => "the access token payload is not UTF-8",
            TokenError::NotJson(_) => "the access token payload is not JSON",
            TokenError::NotAnObject => "the access token payload is not a JSON object",
            TokenError::InvalidActor => "the access token's act claim is not an object with a string sub",
            TokenError::InvalidClaim => "an access token claim (sub, sid or org_id) is not a string",
        }
    }
}

/// Reads the claims of `token` without verifying it. Each of the three segments must
/// have the shape of a JWT's (a JSON object header, a JSON object payload, a base64url
/// signature), so a broken token is never half read.
pub fn decode_claims(token: &str) -> Result<TokenClaims, TokenError> {
    let mut segments = token.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (segments.next(), segments.next(), segments.next(), segments.next())
    else {
        return Err(TokenError::WrongSegmentCount);
    };
    let header = decode_base64url(header).and_then(|bytes| String::from_utf8(bytes).ok());
    if !header.and_then(|text| json::parse(&text).ok()).is_some_and(|value| matches!(value, Json::Object(_)))
    {
        return Err(TokenError::InvalidHeader);
    }
    if decode_base64url(signature).is_none() {
        return Err(TokenError::InvalidSignature);
    }
    let bytes = decode_base64url(payload).ok_or(TokenError::InvalidBase64)?;
    let text = String::from_utf8(bytes).map_err(|_| TokenError::NotUtf8)?;
    let claims = json::parse(&text).map_err(|e| TokenError::NotJson(e.kind))?;
    if !matches!(claims, Json::Object(_)) {
        return Err(TokenError::NotAnObject);
    }
    let actor = match claims.get("act") {
        None | Some(Json::Null) => None,
        Some(act @ Json::Object(_)) => match act.get("sub") {
            Some(Json::String(sub)) => Some(sub.clone()),
            _ => return Err(TokenError::InvalidActor),
        },
        Some(_) => return Err(TokenError::InvalidActor),
    };
    Ok(TokenClaims {
        subject: string_claim(&claims, "sub")?,
        actor,
        session_id: string_claim(&claims, "sid")?,
        organization_id: string_claim(&claims, "org_id")?,
        reason: match claims.get("impersonator").and_then(|impersonator| impersonator.get("reason")) {
            Some(Json::String(reason)) => Some(reason.clone()),
            _ => None,
        },
    })
}

fn string_claim(claims: &Json, name: &str) -> Result<Option<String>, TokenError> {
    match claims.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(TokenError::InvalidClaim),
    }
}

/// Decodes base64url without padding, as JWTs use it. Padding and the standard
/// alphabet (`+`, `/`) are accepted as well, since some issuers emit them; anything
/// else is refused.
pub fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    // A single leftover character carries fewer than 8 bits: no valid encoding ends so.
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}
