//! The sign-out decisions on arbitrary text: `validate_return_to`, `destination` and
//! `is_safe_redirect`.
//!
//! The property that matters: a `return-to` value that is accepted never sends the
//! browser to another origin. The `url` crate (the WHATWG URL parser that browsers
//! follow) resolves it against `https://app.test/`, as it is and after each round of
//! percent-decoding a server might apply, and every result must stay on `app.test`.
//! A server-given redirect that is accepted must be http(s) or relative.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use staff_bar_core::json::{self, Json};
use staff_bar_core::sign_out::{destination, is_safe_redirect, request_body, validate_return_to, SignOutError};
use url::Url;

fuzz_target!(|data: &[u8]| {
    let target = String::from_utf8_lossy(data);
    let target = target.as_ref();

    if let Ok(accepted) = validate_return_to(target) {
        assert_eq!(accepted, target);
        assert!(!escapes(target), "{target:?} was accepted but leaves https://app.test/");
        let body = json::parse(&request_body(Some(target)));
        assert_eq!(body, Ok(Json::Object(vec![("returnTo".to_owned(), Json::String(target.to_owned()))])));
        assert_eq!(destination(204, "", Some(target)), Ok(target.to_owned()));
    }

    // The text as the destination a server names.
    let mut body = String::from(r#"{"redirectTo":"#);
    json::write_string(&mut body, target);
    body.push('}');
    match destination(200, &body, None) {
        Ok(to) => {
            assert_eq!(to, target);
            assert!(is_safe_redirect(&to));
            if let Ok(url) = app().join(&to) {
                assert!(matches!(url.scheme(), "http" | "https"), "{to:?} goes to {url}");
            }
        }
        Err(error) => {
            assert_eq!(error, SignOutError::UnsafeRedirect);
            assert!(!is_safe_redirect(target));
        }
    }
    // The text as the whole answer.
    if let Ok(to) = destination(200, target, None) {
        assert!(is_safe_redirect(&to));
    }
});

fn app() -> &'static Url {
    static APP: OnceLock<Url> = OnceLock::new();
    APP.get_or_init(|| Url::parse("https://app.test/").expect("a valid base URL"))
}

fn same_origin(target: &str) -> bool {
    app().join(target).is_ok_and(|url| {
        url.scheme() == "https"
            && url.host_str() == Some("app.test")
            && url.port().is_none()
            && url.username().is_empty()
            && url.password().is_none()
    })
}

/// Whether `target`, or what a server makes of it by percent-decoding it any number of
/// times, resolves outside `https://app.test/`.
fn escapes(target: &str) -> bool {
    let mut current = target.to_owned();
    for _ in 0..8 {
        if !same_origin(&current) {
            return true;
        }
        let next = percent_decoded(&current);
        if next == current {
            return false;
        }
        current = next;
    }
    true
}

/// `%XX` becomes the byte, everything else stays; invalid UTF-8 becomes U+FFFD.
fn percent_decoded(text: &str) -> String {
    fn hex(byte: u8) -> Option<u8> {
        char::from(byte).to_digit(16).map(|d| d as u8)
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match escaped {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
