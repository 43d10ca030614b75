//! Native tests of the sign-out contract: return-to validation, the request body and
//! what each answer of the endpoint means.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use staff_bar_core::sign_out::{
    destination, is_safe_redirect, request_body, validate_return_to, ReturnToError, SignOutError,
};

#[test]
fn same_origin_paths_are_accepted() {
    for path in ["/", "/dashboard", "/a/b?c=d#e", "/caf%C3%A9", "/100%25"] {
        assert_eq!(validate_return_to(path), Ok(path), "{path}");
    }
}

#[test]
fn everything_else_is_refused() {
    let cases = [
        ("https://evil.test/", ReturnToError::NotAPath),
        ("//evil.test", ReturnToError::NotAPath),
        ("javascript:alert(1)", ReturnToError::NotAPath),
        ("data:text/html,x", ReturnToError::NotAPath),
        ("dashboard", ReturnToError::NotAPath),
        ("", ReturnToError::NotAPath),
        ("/\\evil.test", ReturnToError::Backslash),
        ("\\\\evil.test", ReturnToError::Backslash),
        ("/\t/evil.test", ReturnToError::ControlCharacter),
        (" /x", ReturnToError::ControlCharacter),
        ("/%2F%2Fevil.test", ReturnToError::EncodedEscape),
        ("/%2fevil.test", ReturnToError::EncodedEscape),
        ("/%5Cevil.test", ReturnToError::EncodedEscape),
        ("/%252F/evil.test", ReturnToError::EncodedEscape),
        ("/%09/evil.test", ReturnToError::EncodedEscape),
        ("/%25252F/evil.test", ReturnToError::EncodedEscape),
    ];
    for (path, expected) in cases {
        assert_eq!(validate_return_to(path), Err(expected), "{path}");
    }
}

#[test]
fn body_is_json_with_return_to() {
    assert_eq!(request_body(Some("/home")), r#"{"returnTo":"/home"}"#);
    assert_eq!(request_body(Some("/a\"b")), r#"{"returnTo":"/a\"b"}"#);
    assert_eq!(request_body(None), "{}");
}

#[test]
fn redirect_answers_send_the_browser_there() {
    let logout = "https://api.workos.com/user_management/sessions/logout?session_id=s&return_to=x";
    let body = String::from(r#"{"redirectTo":""#) + logout + "\"}";
    assert_eq!(destination(200, &body, Some("/home")), Ok(logout.to_owned()));
    assert_eq!(destination(201, r#"{"logoutUrl":"/bye"}"#, None), Ok("/bye".to_owned()));
}

#[test]
fn no_content_goes_to_return_to_or_root() {
    assert_eq!(destination(204, "", Some("/home")), Ok("/home".to_owned()));
    assert_eq!(destination(204, "", None), Ok("/".to_owned()));
}

#[test]
fn failures_are_errors() {
    assert_eq!(destination(500, r#"{"redirectTo":"/x"}"#, None), Err(SignOutError::Status(500)));
    assert_eq!(destination(403, "", None), Err(SignOutError::Status(403)));
    assert_eq!(destination(302, "", None), Err(SignOutError::Status(302)));
    assert_eq!(destination(200, "<html>", None), Err(SignOutError::BadAnswer));
    assert_eq!(destination(200, "{}", None), Err(SignOutError::BadAnswer));
    assert_eq!(destination(200, r#"{"redirectTo":5}"#, None), Err(SignOutError::BadAnswer));
    assert_eq!(
        destination(200, r#"{"redirectTo":"javascript:alert(1)"}"#, None),
        Err(SignOutError::UnsafeRedirect)
    );
    assert_eq!(
        SignOutError::Status(500).message(),
        "Could not stop impersonating: the server answered HTTP 500. Try again."
    );
}

#[test]
fn server_redirects_must_be_http_or_relative() {
    assert!(is_safe_redirect("https://api.workos.com/logout"));
    assert!(is_safe_redirect("HTTP://localhost:8080/"));
    assert!(is_safe_redirect("/signed-out"));
    assert!(is_safe_redirect("#signed-out"));
    assert!(is_safe_redirect("?x=1"));
    assert!(!is_safe_redirect("javascript:alert(1)"));
    assert!(!is_safe_redirect(" JavaScript:alert(1)"));
    assert!(!is_safe_redirect("data:text/html,hi"));
    assert!(!is_safe_redirect("java\tscript:alert(1)"));
    assert!(!is_safe_redirect(""));
}
