//! The access-token decoder, two ways on every input: the bytes as a whole token, and
//! the bytes as a token's payload (base64url-encoded here), so the fuzzer reaches the
//! claims reader directly.
//!
//! Beyond "no panic": exactly the tokens without three segments are segment-count
//! errors, surrounding whitespace changes nothing, base64url decodes what it encodes,
//! and a payload gets the error its bytes call for (not UTF-8, not JSON, not an object).

#![no_main]

use libfuzzer_sys::fuzz_target;
use staff_bar_core::json::{self, Json};
use staff_bar_core::token::{decode_base64url, decode_claims, TokenError};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let result = decode_claims(&text);
    assert_eq!(result, decode_claims(text.trim()));
    let segments = text.trim().split('.').count();
    assert_eq!(
        segments != 3,
        result == Err(TokenError::WrongSegmentCount),
        "{segments} segments: {result:?}"
    );
    for segment in text.split('.') {
        if let Some(bytes) = decode_base64url(segment) {
            assert_eq!(bytes.len(), segment.trim_end_matches('=').len() * 6 / 8);
        }
    }

    let payload = base64url(data);
    assert_eq!(decode_base64url(&payload).as_deref(), Some(data));
    let result = decode_claims(&(String::from("eyJhbGciOiJub25lIn0.") + &payload + ".sig"));
    match std::str::from_utf8(data) {
        Err(_) => assert_eq!(result, Err(TokenError::NotUtf8)),
        Ok(text) => match json::parse(text) {
            Err(error) => assert_eq!(result, Err(TokenError::NotJson(error.kind))),
            Ok(Json::Object(_)) => assert!(!matches!(
                result,
                Err(TokenError::NotUtf8 | TokenError::NotJson(_) | TokenError::NotAnObject)
            )),
            Ok(_) => assert_eq!(result, Err(TokenError::NotAnObject)),
        },
    }
});

/// Base64url without padding, written here so the decoder is not checked against itself.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() / 3 * 4 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}
