//! The session JSON reader on arbitrary bytes, read strictly (valid UTF-8 only) and as a
//! browser's `TextDecoder` reads them (invalid sequences become U+FFFD).
//!
//! Beyond "no panic": `Session::from_json` agrees with `json::parse` + `from_value`,
//! errors point inside the text, whatever the reader accepts reads back the same once
//! written out, and `json::write_string` of the text reads back as that text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use staff_bar_core::json::{self, Json};
use staff_bar_core::{Session, SessionError};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
    check(&String::from_utf8_lossy(data));
});

fn check(text: &str) {
    let session = Session::from_json(text);
    match json::parse(text) {
        Ok(document) => {
            assert_eq!(session, Session::from_value(&document));
            let mut written = String::new();
            write(&mut written, &document);
            assert_eq!(json::parse(&written), Ok(document), "{written:?}");
        }
        Err(error) => {
            assert!(error.offset <= text.len(), "{error:?} past the end");
            assert_eq!(session, Err(SessionError::Json(error)));
        }
    }
    if let Err(error) = &session {
        assert!(error.message().starts_with("staff-bar: "));
    }
    let mut literal = String::new();
    json::write_string(&mut literal, text);
    assert_eq!(json::parse(&literal), Ok(Json::String(text.to_owned())));
}

/// Writes `value` back as JSON (at most `json::MAX_DEPTH` levels, as it was read).
fn write(out: &mut String, value: &Json) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(true) => out.push_str("true"),
        Json::Bool(false) => out.push_str("false"),
        Json::Number(number) => out.push_str(number),
        Json::String(text) => json::write_string(out, text),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::write_string(out, key);
                out.push(':');
                write(out, item);
            }
            out.push('}');
        }
    }
}
