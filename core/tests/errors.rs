//! Every error type displays its message and is a `std::error::Error`, with the cause
//! of a session error as its source.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::error::Error;

use staff_bar_core::sign_out::{validate_return_to, SignOutError};
use staff_bar_core::{Session, SessionError};

fn boxed<E: Error + 'static>(error: E) -> Box<dyn Error> {
    Box::new(error)
}

#[test]
fn errors_display_their_message_and_chain_their_cause() {
    let error = Session::from_json("{").unwrap_err();
    assert_eq!(error.to_string(), error.message());
    let source = error.source().expect("a JSON error under the session error");
    assert!(source.to_string().contains("at byte 1"), "{source}");

    let error = Session::from_json(r#"{"user":{"email":"a@b.test"},"accessToken":"x"}"#).unwrap_err();
    assert!(matches!(error, SessionError::Token(_)));
    assert!(error.source().is_some_and(|token| !token.to_string().is_empty()));

    let refusal = validate_return_to("//evil.test").unwrap_err();
    assert_eq!(refusal.to_string(), refusal.message());
    assert_eq!(SignOutError::Status(500).to_string(), SignOutError::Status(500).message());

    // All of them go into a host's own error type with `?`.
    let errors = [boxed(refusal), boxed(SignOutError::Network), boxed(Session::from_json("[]").unwrap_err())];
    assert!(errors.iter().all(|error| !error.to_string().is_empty()));
}
