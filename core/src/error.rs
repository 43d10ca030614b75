//! `Display` and `std::error::Error` for every error type, so a host can `?` them into
//! its own errors (`anyhow`, `ServerFnError`) and log them. Each writes the same text
//! as its `message`, which the browser side uses directly: formatting machinery stays
//! out of the `<staff-bar>` element's wasm unless a host asks for it.

use std::fmt;

use crate::json::{JsonError, JsonErrorKind};
use crate::session::SessionError;
use crate::sign_out::{ReturnToError, SignOutError};
use crate::token::TokenError;

impl fmt::Display for JsonErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.kind.message(), self.offset)
    }
}

impl std::error::Error for JsonError {}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for TokenError {}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionError::Json(error) => Some(error),
            SessionError::Token(error) => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for ReturnToError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for ReturnToError {}

impl fmt::Display for SignOutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SignOutError {}
