//! Property-based tests of the parsers that run on untrusted input: the JSON reader, the
//! session model, the access-token decoder, RFC 3339 times and the sign-out decisions.
//!
//! A panic in WebAssembly removes the whole bar, so every parser is fed arbitrary text
//! and bytes and must answer with a value or a typed error. Beyond "does not panic", each
//! block checks an exact property against a model written here, independently of the
//! code under test: a JSON encoder with several escape styles, a base64 encoder for both
//! alphabets, a day-counting calendar, and the `url` crate as the browser's resolver.
//!
//! Case counts are set per block (see the `proptest_config` lines): 32 properties,
//! 49 908 cases in all, about 14 s of CPU in a debug build (7–8 s on two idle cores).
//! A failure is shrunk to a minimal input and saved in `properties.proptest-regressions`
//! beside this file, which proptest replays first on the next run: commit it with the fix.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Debug;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use staff_bar_core::json::{self, Json, JsonErrorKind, MAX_DEPTH};
use staff_bar_core::sign_out::{destination, is_safe_redirect, request_body, validate_return_to};
use staff_bar_core::strings::fill;
use staff_bar_core::time::parse_rfc3339;
use staff_bar_core::token::{decode_base64url, decode_claims, TokenClaims, TokenError};
use staff_bar_core::{Impersonator, Organization, Reading, Session, SessionError, User};
use url::Url;

/// Cases for properties whose inputs are small.
const CHEAP: u32 = 2000;
/// Cases for properties that build whole session documents or tokens.
const MEDIUM: u32 = 1000;
/// Cases for properties over deeply nested documents (up to 20 000 levels of text).
const DEEP: u32 = 300;
/// Cases for properties over inputs of one to a few megabytes.
const HUGE: u32 = 4;

// ---------------------------------------------------------------------------------------
// A JSON encoder of our own, with every legal spelling of a string.
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Escapes {
    /// Only what JSON requires: `"`, `\` and control characters (as `\u00xx`).
    Minimal,
    /// The short escapes (`\b \f \n \r \t \/`) wherever one exists.
    Short,
    /// Every character but ASCII letters and digits as `\uXXXX`, astral ones as a
    /// surrogate pair, with upper- and lowercase hex digits alternating.
    Unicode,
}

/// How a document is spelled: its escapes and the whitespace around every token.
#[derive(Clone, Copy, Debug)]
struct Style {
    escapes: Escapes,
    space: &'static str,
}

fn style() -> impl Strategy<Value = Style> {
    (
        prop_oneof![Just(Escapes::Minimal), Just(Escapes::Short), Just(Escapes::Unicode)],
        select(vec!["", " ", "\n\t", "\r\n  "]),
    )
        .prop_map(|(escapes, space)| Style { escapes, space })
}

const COMPACT: Style = Style { escapes: Escapes::Minimal, space: "" };

fn push_u_escape(out: &mut String, unit: u16, upper: bool) {
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        let digit = b"0123456789abcdef"[usize::from((unit >> shift) & 0xf)];
        out.push(char::from(if upper { digit.to_ascii_uppercase() } else { digit }));
    }
}

/// The body of a JSON string literal for `text`, without the quotes.
fn encode_chars(out: &mut String, text: &str, escapes: Escapes) {
    for (i, c) in text.chars().enumerate() {
        match (escapes, c) {
            (Escapes::Unicode, c) if !c.is_ascii_alphanumeric() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_u_escape(out, *unit, i % 2 == 0);
                }
            }
            (_, '"') => out.push_str("\\\""),
            (_, '\\') => out.push_str("\\\\"),
            (Escapes::Short, '/') => out.push_str("\\/"),
            (Escapes::Short, '\u{8}') => out.push_str("\\b"),
            (Escapes::Short, '\u{c}') => out.push_str("\\f"),
            (Escapes::Short, '\n') => out.push_str("\\n"),
            (Escapes::Short, '\r') => out.push_str("\\r"),
            (Escapes::Short, '\t') => out.push_str("\\t"),
            (_, c) if (c as u32) < 0x20 => push_u_escape(out, c as u16, false),
            (_, c) => out.push(c),
        }
    }
}

fn encode_string(out: &mut String, text: &str, escapes: Escapes) {
    out.push('"');
    encode_chars(out, text, escapes);
    out.push('"');
}

fn encode(out: &mut String, value: &Json, style: Style) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(true) => out.push_str("true"),
        Json::Bool(false) => out.push_str("false"),
        Json::Number(text) => out.push_str(text),
        Json::String(text) => encode_string(out, text, style.escapes),
        Json::Array(items) => {
            out.push('[');
            out.push_str(style.space);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(style.space);
                }
                encode(out, item, style);
                out.push_str(style.space);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            out.push_str(style.space);
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(style.space);
                }
                encode_string(out, key, style.escapes);
                out.push_str(style.space);
                out.push(':');
                out.push_str(style.space);
                encode(out, item, style);
                out.push_str(style.space);
            }
            out.push('}');
        }
    }
}

fn to_text(value: &Json, style: Style) -> String {
    let mut out = String::from(style.space);
    encode(&mut out, value, style);
    out.push_str(style.space);
    out
}

fn string(text: &str) -> Json {
    Json::String(text.to_owned())
}

fn object(members: Vec<(&str, Json)>) -> Json {
    Json::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

// ---------------------------------------------------------------------------------------
// Generators of text and JSON values.
// ---------------------------------------------------------------------------------------

/// Pieces that have broken renderers and parsers before: markup, bidi overrides and
/// isolates, zero-width characters, line separators, quotes, backslashes, look-alike
/// escapes written as plain text, combining marks, right-to-left scripts, emoji.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</staff-bar>",
    "&amp;",
    "&#x202e;",
    "\u{202E}",
    "\u{202D}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{2028}",
    "\u{2029}",
    "\u{7F}",
    "\u{0}",
    "\u{1F}",
    "\"",
    "\\",
    "/",
    "\n",
    "\t",
    "\\u0000",
    "\\ud800",
    "\u{1F600}",
    "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}",
    "\u{E9}",
    "e\u{301}",
    "\u{FDFA}",
    "\u{5E2}\u{5D1}\u{5E8}\u{5D9}\u{5EA}",
    "\u{627}\u{644}\u{639}\u{631}\u{628}\u{64A}\u{629}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "@",
    "acme.test",
    " ",
    "\u{A0}",
    "{}[]:,",
];

/// Any text: arbitrary characters (control characters included), hostile pieces, an
/// e-mail address, or nothing.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => vec(any::<char>(), 0..40).prop_map(String::from_iter),
        3 => vec(select(HOSTILE), 0..8).prop_map(|pieces| pieces.concat()),
        1 => "[a-z0-9._%+-]{1,16}@[a-z0-9-]{1,12}\\.test",
        1 => Just(String::new()),
    ]
    .boxed()
}

/// Number texts as RFC 8259 spells them; `Json::Number` keeps the text.
fn number() -> impl Strategy<Value = String> {
    "-?(0|[1-9][0-9]{0,12})(\\.[0-9]{1,6})?([eE][+-]?[0-9]{1,3})?"
}

fn json_value() -> BoxedStrategy<Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        number().prop_map(Json::Number),
        text().prop_map(Json::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Json::Array),
            vec((text(), inner), 0..6).prop_map(Json::Object),
        ]
    })
    .boxed()
}

/// Arbitrary bytes read as the browser's `TextDecoder` would: invalid UTF-8 becomes
/// U+FFFD.
fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------------------
// (c) JSON: no panic, exact round trips, the depth cap.
// ---------------------------------------------------------------------------------------

/// The properties every answer of the reader has: errors point inside the text, and an
/// accepted document spells the same tree when written out again.
fn check_reader(text: &str) -> Result<(), TestCaseError> {
    match json::parse(text) {
        Ok(value) => {
            prop_assert_eq!(json::parse(&to_text(&value, COMPACT)), Ok(value.clone()));
        }
        Err(error) => prop_assert!(error.offset <= text.len(), "{error:?} past the end of {text:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CHEAP))]

    #[test]
    fn json_reader_never_panics_on_any_text(chars in vec(any::<char>(), 0..200)) {
        check_reader(&String::from_iter(chars))?;
    }

    #[test]
    fn json_reader_never_panics_on_any_bytes(bytes in vec(any::<u8>(), 0..200)) {
        check_reader(&lossy(&bytes))?;
    }

    #[test]
    fn json_reader_never_panics_on_json_like_text(pieces in vec(select(JSON_PIECES), 0..60)) {
        check_reader(&pieces.concat())?;
    }

    #[test]
    fn json_values_round_trip(value in json_value(), style in style()) {
        let text = to_text(&value, style);
        prop_assert_eq!(json::parse(&text), Ok(value));
    }

    #[test]
    fn write_string_round_trips(value in text()) {
        let mut out = String::new();
        json::write_string(&mut out, &value);
        prop_assert!(out.chars().all(|c| c as u32 >= 0x20), "a raw control character in {out:?}");
        prop_assert_eq!(json::parse(&out), Ok(Json::String(value)));
    }

    #[test]
    fn any_utf16_escapes_read_as_the_browser_decodes_them(
        units in vec(prop_oneof![any::<u16>(), 0xd800..0xe000u16], 0..12),
        uppercase in any::<bool>(),
    ) {
        // `JSON.parse` keeps lone surrogates and the page shows them as U+FFFD, which
        // is what `String::from_utf16_lossy` gives.
        let mut literal = String::from("\"");
        for unit in &units {
            let hex = format!("\\u{unit:04x}");
            literal.push_str(&if uppercase { hex.to_uppercase().replace("\\U", "\\u") } else { hex });
        }
        literal.push('"');
        prop_assert_eq!(json::parse(&literal), Ok(Json::String(String::from_utf16_lossy(&units))));
    }

    #[test]
    fn broken_escapes_are_typed_errors(
        prefix in text(),
        suffix in text(),
        (bad, kind) in select(BAD_ESCAPES),
        style in style(),
    ) {
        // The bad escape sits in the middle of a string literal, between correctly
        // escaped text, so the kind of error is known exactly.
        let mut literal = String::from("\"");
        encode_chars(&mut literal, &prefix, style.escapes);
        literal.push_str(bad);
        encode_chars(&mut literal, &suffix, style.escapes);
        literal.push('"');
        prop_assert_eq!(json::parse(&literal).map_err(|e| e.kind), Err(kind));
        let document = String::from(r#"{"user":{"email":"#) + &literal + r#"},"impersonator":{"email":"a@x.test"}}"#;
        match Session::from_json(&document) {
            Err(SessionError::Json(error)) => prop_assert_eq!(error.kind, kind),
            other => prop_assert!(false, "{document:?}: {other:?}"),
        }
    }
}

/// Tokens and fragments of JSON, to reach deeper into the reader than random text does.
#[rustfmt::skip]
const JSON_PIECES: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d800", "dc00", "0", "-", ".", "e", "+", "1", "true",
    "nul", " ", "\"k\"", "\u{0}", "\u{E9}", "\u{1F600}",
];

/// Escapes JSON forbids, each with the error it must give in the middle of a string.
const BAD_ESCAPES: &[(&str, JsonErrorKind)] = &[
    ("\\u12G4", JsonErrorKind::InvalidEscape),
    ("\\uZZZZ", JsonErrorKind::InvalidEscape),
    ("\\u-123", JsonErrorKind::InvalidEscape),
    ("\\u 123", JsonErrorKind::InvalidEscape),
    ("\\u{41}", JsonErrorKind::InvalidEscape),
    ("\\U0041", JsonErrorKind::InvalidEscape),
    ("\\x41", JsonErrorKind::InvalidEscape),
    ("\\a", JsonErrorKind::InvalidEscape),
    ("\\'", JsonErrorKind::InvalidEscape),
    ("\\0", JsonErrorKind::InvalidEscape),
    ("\\\u{E9}", JsonErrorKind::InvalidEscape),
    ("\\uD800\\u12G4", JsonErrorKind::InvalidEscape),
    ("\u{0}", JsonErrorKind::ControlCharacter),
    ("\n", JsonErrorKind::ControlCharacter),
    ("\u{1F}", JsonErrorKind::ControlCharacter),
];

/// `depth` containers around `inner`, as text: `arrays[i]` picks an array or an object
/// (`{"k":…}`) for level `i`. Also returns the byte offset of the level past the cap.
fn nested_text(arrays: &[bool], depth: usize, inner: &str) -> (String, usize) {
    let mut open = String::new();
    let mut close = Vec::with_capacity(depth);
    let mut past_cap = 0;
    for level in 0..depth {
        if level == MAX_DEPTH {
            past_cap = open.len();
        }
        if arrays[level % arrays.len()] {
            open.push('[');
            close.push(']');
        } else {
            open.push_str("{\"k\":");
            close.push('}');
        }
    }
    close.reverse();
    (open + inner + &String::from_iter(close), past_cap)
}

fn nested_value(arrays: &[bool], depth: usize, inner: Json) -> Json {
    (0..depth).rev().fold(inner, |value, level| {
        if arrays[level % arrays.len()] {
            Json::Array(vec![value])
        } else {
            object(vec![("k", value)])
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(DEEP))]

    #[test]
    fn nesting_up_to_the_cap_reads(arrays in vec(any::<bool>(), 1..8), depth in 1..=MAX_DEPTH, leaf in json_value()) {
        // `leaf` may itself nest; keep the total within the cap.
        let leaf = if matches!(leaf, Json::Array(_) | Json::Object(_)) { Json::Null } else { leaf };
        let (text, _) = nested_text(&arrays, depth, &to_text(&leaf, COMPACT));
        prop_assert_eq!(json::parse(&text), Ok(nested_value(&arrays, depth, leaf)));
        // Unclosed, it is merely too short.
        let unclosed = text.trim_end_matches([']', '}']);
        prop_assert_eq!(json::parse(unclosed).map_err(|e| e.kind), Err(JsonErrorKind::UnexpectedEnd));
    }

    #[test]
    fn nesting_past_the_cap_is_checked_and_left_out(
        arrays in vec(any::<bool>(), 1..8),
        depth in prop_oneof![MAX_DEPTH + 1..=MAX_DEPTH + 4, MAX_DEPTH + 5..20_000],
        closed in any::<bool>(),
    ) {
        let (text, _) = nested_text(&arrays, depth, "null");
        if closed {
            // The container at the cap keeps its place, empty: what was in it is skipped.
            let last = MAX_DEPTH - 1;
            let empty = if arrays[last % arrays.len()] { Json::Array(vec![]) } else { Json::Object(vec![]) };
            prop_assert_eq!(json::parse(&text), Ok(nested_value(&arrays, last, empty)));
        } else {
            // Unclosed, it is too short wherever the skipping reaches its end.
            let unclosed = text.trim_end_matches([']', '}']);
            let error = json::parse(unclosed).unwrap_err();
            prop_assert_eq!(error.kind, JsonErrorKind::UnexpectedEnd);
            prop_assert_eq!(error.offset, unclosed.len());
        }
    }

    #[test]
    fn a_deep_unknown_member_never_hides_a_session(
        spec in impersonating_spec(),
        arrays in vec(any::<bool>(), 1..8),
        depth in prop_oneof![MAX_DEPTH - 3..=MAX_DEPTH + 8, MAX_DEPTH + 9..5_000],
    ) {
        // The session object is level 1; a member may nest any depth beside it.
        let (deep, _) = nested_text(&arrays, depth, "null");
        let text = to_text(&spec.document(), spec.style);
        let Some(body) = text.trim_end().strip_suffix('}') else { unreachable!() };
        let text = format!("{body},\"x_deep\":{deep}}}");
        prop_assert_eq!(Session::from_json(&text), Ok(spec.expected()));
    }

    #[test]
    fn broken_nesting_past_the_cap_is_still_an_error(
        arrays in vec(any::<bool>(), 1..8),
        depth in MAX_DEPTH + 1..120,
        cut in 0usize..40,
        junk in prop_oneof![Just("x"), Just(","), Just(":"), Just("]"), Just("}"), Just("\"a\"")],
    ) {
        // Skipped parts are still JSON: a stray byte in them is refused exactly where
        // serde_json (whose own limit is 127 levels) refuses it.
        let (text, past_cap) = nested_text(&arrays, depth, "null");
        let at = past_cap + (cut % (text.len() - past_cap));
        let broken = format!("{}{junk}{}", &text[..at], &text[at..]);
        prop_assert_eq!(json::parse(&broken).is_ok(), serde_json::from_str::<serde_json::Value>(&broken).is_ok());
    }
}

// ---------------------------------------------------------------------------------------
// A model of the session JSON and of the access token.
// ---------------------------------------------------------------------------------------

/// A member that is absent, `null`, or has a value.
#[derive(Clone, Debug)]
enum Field<T> {
    Absent,
    Null,
    Value(T),
}

impl<T: Clone> Field<T> {
    fn value(&self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value.clone()),
            Field::Absent | Field::Null => None,
        }
    }
}

/// Each of absent, null and a value; `weight` favours the value.
fn field<S>(value: S, weight: u32) -> impl Strategy<Value = Field<S::Value>>
where
    S: Strategy + 'static,
    S::Value: Clone + Debug,
{
    prop_oneof![1 => Just(Field::Absent), 1 => Just(Field::Null), weight => value.prop_map(Field::Value)]
}

/// Appends `key` unless the field is absent.
fn push_member(members: &mut Vec<(String, Json)>, key: &str, field: &Field<Json>) {
    match field {
        Field::Absent => {}
        Field::Null => members.push((key.to_owned(), Json::Null)),
        Field::Value(value) => members.push((key.to_owned(), value.clone())),
    }
}

fn map_field<T, U>(field: &Field<T>, f: impl FnOnce(&T) -> U) -> Field<U> {
    match field {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Value(value) => Field::Value(f(value)),
    }
}

fn string_field(field: &Field<String>) -> Field<Json> {
    map_field(field, |s| string(s))
}

/// Member names that no parser reads, for the unknown members real documents carry.
fn extra_key() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec!["role", "permissions", "entitlements", "featureFlags", "object", "createdAt", "x"])
            .prop_map(str::to_owned),
        "x_[a-z_]{0,8}",
    ]
}

#[derive(Clone, Copy, Debug)]
struct Base64Style {
    url_safe: bool,
    padded: bool,
}

fn base64_style() -> impl Strategy<Value = Base64Style> {
    (any::<bool>(), any::<bool>()).prop_map(|(url_safe, padded)| Base64Style { url_safe, padded })
}

/// Base64 written out here, so the decoder is not checked against itself.
fn base64(bytes: &[u8], style: Base64Style) -> String {
    let alphabet: &[u8; 64] = if style.url_safe {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::with_capacity(bytes.len() / 3 * 4 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
        }
        if style.padded {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// A JWT around `payload` with a well-formed header and `signature` (never verified).
fn jwt(payload: &[u8], style: Base64Style, signature: &str) -> String {
    base64(br#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#, style)
        + "."
        + &base64(payload, style)
        + "."
        + signature
}

/// A signature segment: base64url of any bytes (empty too, as in an unsecured JWT).
fn signature() -> impl Strategy<Value = String> {
    vec(any::<u8>(), 0..64).prop_map(|bytes| base64(&bytes, Base64Style { url_safe: true, padded: false }))
}

/// The claims of an access token.
#[derive(Clone, Debug)]
struct Claims {
    sub: Field<String>,
    sid: Field<String>,
    org_id: Field<String>,
    /// `act`: absent, null, or `{"sub": …}` with other members beside it.
    act: Field<String>,
    extra: Vec<(String, Json)>,
    style: Style,
}

fn claims() -> BoxedStrategy<Claims> {
    (
        field(text(), 2),
        field(text(), 2),
        field(text(), 2),
        field(text(), 4),
        vec((prop_oneof![Just("exp".to_owned()), Just("iat".to_owned()), extra_key()], json_value()), 0..3),
        style(),
    )
        .prop_map(|(sub, sid, org_id, act, extra, style)| Claims { sub, sid, org_id, act, extra, style })
        .boxed()
}

impl Claims {
    fn json(&self) -> Json {
        let mut members = self.extra.clone();
        push_member(&mut members, "sub", &string_field(&self.sub));
        push_member(&mut members, "sid", &string_field(&self.sid));
        push_member(&mut members, "org_id", &string_field(&self.org_id));
        let act = map_field(&self.act, |sub| {
            object(vec![
                ("sub", string(sub)),
                ("x_via", string("dashboard")),
                ("n", Json::Number("1".into())),
            ])
        });
        push_member(&mut members, "act", &act);
        Json::Object(members)
    }

    fn payload(&self) -> Vec<u8> {
        to_text(&self.json(), self.style).into_bytes()
    }

    fn expected(&self) -> TokenClaims {
        TokenClaims {
            subject: self.sub.value(),
            actor: self.act.value(),
            session_id: self.sid.value(),
            organization_id: self.org_id.value(),
            reason: None,
        }
    }
}

/// An access token: its claims, the base64 flavour and the signature segment.
#[derive(Clone, Debug)]
struct TokenSpec {
    claims: Claims,
    base64: Base64Style,
    signature: String,
}

fn token_spec() -> impl Strategy<Value = TokenSpec> {
    (claims(), base64_style(), signature()).prop_map(|(claims, base64, signature)| TokenSpec {
        claims,
        base64,
        signature,
    })
}

impl TokenSpec {
    fn text(&self) -> String {
        jwt(&self.claims.payload(), self.base64, &self.signature)
    }
}

#[derive(Clone, Debug)]
struct UserSpec {
    id: Field<String>,
    email: String,
    first_name: Field<String>,
    last_name: Field<String>,
    snake: bool,
    extra: Vec<(String, Json)>,
}

fn user_spec() -> impl Strategy<Value = UserSpec> {
    (
        field(text(), 2),
        text(),
        field(text(), 2),
        field(text(), 2),
        any::<bool>(),
        vec(
            (
                prop_oneof![
                    Just("profilePictureUrl".to_owned()),
                    Just("emailVerified".to_owned()),
                    extra_key()
                ],
                json_value(),
            ),
            0..2,
        ),
    )
        .prop_map(|(id, email, first_name, last_name, snake, extra)| UserSpec {
            id,
            email,
            first_name,
            last_name,
            snake,
            extra,
        })
}

#[derive(Clone, Debug)]
struct ImpersonatorSpec {
    email: String,
    reason: Field<String>,
}

fn impersonator_spec() -> impl Strategy<Value = ImpersonatorSpec> {
    (text(), field(text(), 2)).prop_map(|(email, reason)| ImpersonatorSpec { email, reason })
}

#[derive(Clone, Debug)]
struct OrganizationSpec {
    id: Field<String>,
    name: Field<String>,
}

fn organization_spec() -> impl Strategy<Value = OrganizationSpec> {
    (field(text(), 2), field(text(), 2)).prop_map(|(id, name)| OrganizationSpec { id, name })
}

/// A valid session document: every member present, null or absent at random, in
/// either casing, in any order, with unknown members, optionally with an earlier
/// duplicate of each member (of the wrong type: the last one must win).
#[derive(Clone, Debug)]
struct SessionSpec {
    user: Field<UserSpec>,
    impersonator: Field<ImpersonatorSpec>,
    organization_id: Field<String>,
    organization: Field<OrganizationSpec>,
    session_id: Field<String>,
    expires_at: Field<DateTime>,
    server_time: Field<DateTime>,
    access_token: Field<TokenSpec>,
    /// snake_case for `organizationId`, `sessionId`, `expiresAt`, `serverTime`, `accessToken`.
    snake: [bool; 5],
    extra: Vec<(String, Json)>,
    /// Sort keys that shuffle the members.
    order: Vec<u16>,
    decoys: bool,
    style: Style,
}

fn session_spec_with(
    user: impl Strategy<Value = Field<UserSpec>> + 'static,
    impersonator: impl Strategy<Value = Field<ImpersonatorSpec>> + 'static,
) -> BoxedStrategy<SessionSpec> {
    (
        (user, impersonator, field(text(), 2), field(organization_spec(), 2)),
        (field(text(), 2), field(date_time(), 2), field(date_time(), 1), field(token_spec(), 1)),
        (
            any::<[bool; 5]>(),
            vec((extra_key(), json_value()), 0..3),
            vec(any::<u16>(), 16),
            any::<bool>(),
            style(),
        ),
    )
        .prop_map(
            |(
                (user, impersonator, organization_id, organization),
                (session_id, expires_at, server_time, access_token),
                (snake, extra, order, decoys, style),
            )| SessionSpec {
                user,
                impersonator,
                organization_id,
                organization,
                session_id,
                expires_at,
                server_time,
                access_token,
                snake,
                extra,
                order,
                decoys,
                style,
            },
        )
        .boxed()
}

/// Any valid document, impersonating or not.
fn session_spec() -> BoxedStrategy<SessionSpec> {
    session_spec_with(field(user_spec(), 6), field(impersonator_spec(), 6))
}

/// A valid document with a user and an impersonator object.
fn impersonating_spec() -> BoxedStrategy<SessionSpec> {
    session_spec_with(user_spec().prop_map(Field::Value), impersonator_spec().prop_map(Field::Value))
}

fn key(snake: bool, camel: &'static str, snake_case: &'static str) -> &'static str {
    if snake {
        snake_case
    } else {
        camel
    }
}

impl SessionSpec {
    fn document(&self) -> Json {
        let mut members: Vec<(String, Json)> = Vec::new();
        let user = map_field(&self.user, |user| {
            let mut fields = user.extra.clone();
            push_member(&mut fields, "id", &string_field(&user.id));
            fields.push(("email".to_owned(), string(&user.email)));
            push_member(
                &mut fields,
                key(user.snake, "firstName", "first_name"),
                &string_field(&user.first_name),
            );
            push_member(
                &mut fields,
                key(user.snake, "lastName", "last_name"),
                &string_field(&user.last_name),
            );
            Json::Object(fields)
        });
        push_member(&mut members, "user", &user);
        let impersonator = map_field(&self.impersonator, |imp| {
            let mut fields = vec![("email".to_owned(), string(&imp.email))];
            push_member(&mut fields, "reason", &string_field(&imp.reason));
            Json::Object(fields)
        });
        push_member(&mut members, "impersonator", &impersonator);
        let [org_snake, sid_snake, exp_snake, server_snake, token_snake] = self.snake;
        push_member(
            &mut members,
            key(org_snake, "organizationId", "organization_id"),
            &string_field(&self.organization_id),
        );
        let organization = map_field(&self.organization, |org| {
            let mut fields = Vec::new();
            push_member(&mut fields, "id", &string_field(&org.id));
            push_member(&mut fields, "name", &string_field(&org.name));
            Json::Object(fields)
        });
        push_member(&mut members, "organization", &organization);
        push_member(&mut members, key(sid_snake, "sessionId", "session_id"), &string_field(&self.session_id));
        push_member(
            &mut members,
            key(exp_snake, "expiresAt", "expires_at"),
            &map_field(&self.expires_at, |t| string(&t.text())),
        );
        push_member(
            &mut members,
            key(server_snake, "serverTime", "server_time"),
            &map_field(&self.server_time, |t| string(&t.text())),
        );
        push_member(
            &mut members,
            key(token_snake, "accessToken", "access_token"),
            &map_field(&self.access_token, |token| string(&token.text())),
        );
        let known = members.len();
        members.extend(self.extra.iter().cloned());

        // Shuffle: a stable sort on random keys.
        let mut keyed: Vec<(u16, (String, Json))> =
            members.into_iter().enumerate().map(|(i, m)| (self.order[i % self.order.len()], m)).collect();
        keyed.sort_by_key(|(k, _)| *k);
        let mut members: Vec<(String, Json)> = keyed.into_iter().map(|(_, m)| m).collect();

        if self.decoys && known > 0 {
            // An earlier member of the same name and the wrong type: `get` must take
            // the last one, as `JSON.parse` does.
            let decoys: Vec<(String, Json)> = members
                .iter()
                .filter(|(k, _)| !self.extra.iter().any(|(e, _)| e == k))
                .map(|(k, _)| (k.clone(), Json::Array(vec![Json::Bool(true)])))
                .collect();
            members.splice(0..0, decoys);
        }
        Json::Object(members)
    }

    fn text(&self) -> String {
        to_text(&self.document(), self.style)
    }

    /// What `Session::from_json` must return, from the contract in SPEC.md.
    fn expected(&self) -> Option<Session> {
        let claims = self.access_token.value().map(|token| token.claims.expected());
        let user = self.user.value().map(|user| {
            let mut built = User::new(user.email);
            built.id = user.id.value();
            built.first_name = user.first_name.value();
            built.last_name = user.last_name.value();
            built
        })?;
        let impersonator = match &self.impersonator {
            Field::Value(imp) => {
                let mut built = Impersonator::new(imp.email.clone());
                built.reason = imp.reason.value();
                built
            }
            Field::Null => return None,
            // Only the token's actor claim is left.
            Field::Absent => Impersonator::new(claims.as_ref()?.actor.clone()?),
        };
        // The organization id comes from `organizationId`, else `organization.id`, else
        // the token's `org_id`; an `organization` object keeps its own id first.
        let org_object = self.organization.value();
        let org_id = self
            .organization_id
            .value()
            .or_else(|| org_object.as_ref().and_then(|o| o.id.value()))
            .or_else(|| claims.as_ref().and_then(|c| c.organization_id.clone()));
        let organization = match org_object {
            Some(org) => {
                let mut built = Organization::new();
                built.id = org.id.value().or(org_id);
                built.name = org.name.value();
                Some(built)
            }
            None => org_id.map(|id| Organization::new().with_id(id)),
        };
        let mut session = Session::new(user, impersonator);
        session.organization = organization;
        session.session_id = self.session_id.value().or_else(|| claims.and_then(|c| c.session_id));
        session.expires_at = self.expires_at.value().map(|t| t.reference_millis());
        session.server_time = self.server_time.value().map(|t| t.reference_millis());
        Some(session)
    }
}

// ---------------------------------------------------------------------------------------
// (a), (b) The session JSON.
// ---------------------------------------------------------------------------------------

/// `from_json` agrees with `json::parse` followed by `from_value`, and never panics.
fn check_session(text: &str) -> Result<(), TestCaseError> {
    let result = Session::from_json(text);
    match json::parse(text) {
        Ok(document) => prop_assert_eq!(&result, &Session::from_value(&document)),
        Err(error) => prop_assert_eq!(&result, &Err(SessionError::Json(error))),
    }
    if let Err(error) = &result {
        prop_assert!(error.message().starts_with("staff-bar: "));
    }
    Ok(())
}

/// A structural change to a document's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate(Index),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Overwrite(Index, u8),
    Duplicate(Index, usize),
    Swap(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (
            any::<Index>(),
            prop_oneof![
                vec(any::<u8>(), 1..4),
                select(vec![
                    "\"", "\\", "{", "}", "[", "]", ",", ":", "null", "\\u", "\\ud800", "\u{0}", "\u{FEFF}"
                ])
                .prop_map(|s| s.as_bytes().to_vec()),
            ]
        )
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<Index>(), 1..16usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<Index>(), any::<u8>()).prop_map(|(at, b)| Mutation::Overwrite(at, b)),
        (any::<Index>(), 1..64usize).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
    ]
}

impl Mutation {
    fn apply(&self, text: &str) -> Vec<u8> {
        let mut bytes = text.as_bytes().to_vec();
        let len = bytes.len();
        if len == 0 && !matches!(self, Mutation::Insert(..)) {
            return bytes;
        }
        match self {
            Mutation::Truncate(at) => bytes.truncate(at.index(len)),
            Mutation::Insert(at, inserted) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, inserted.iter().copied());
            }
            Mutation::Delete(at, n) => {
                let at = at.index(len);
                bytes.drain(at..(at + n).min(len));
            }
            Mutation::Overwrite(at, byte) => bytes[at.index(len)] = *byte,
            Mutation::Duplicate(at, n) => {
                let at = at.index(len);
                let copy = bytes[at..(at + n).min(len)].to_vec();
                bytes.splice(at..at, copy);
            }
            Mutation::Swap(a, b) => bytes.swap(a.index(len), b.index(len)),
        }
        bytes
    }
}

/// Fields of the session document, where each lives and what it must hold.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    OptionalString,
    RequiredString,
    Object,
    Time,
    Token,
}

/// Every field the parser reads: (parent member or "" for the top level, the spellings
/// of the member, the field name errors report, what it must be).
const FIELDS: &[(&str, &[&str], &str, Kind)] = &[
    ("", &["user"], "user", Kind::Object),
    ("user", &["id"], "user.id", Kind::OptionalString),
    ("user", &["email"], "user.email", Kind::RequiredString),
    ("user", &["firstName", "first_name"], "user.firstName", Kind::OptionalString),
    ("user", &["lastName", "last_name"], "user.lastName", Kind::OptionalString),
    ("", &["impersonator"], "impersonator", Kind::Object),
    ("impersonator", &["email"], "impersonator.email", Kind::RequiredString),
    ("impersonator", &["reason"], "impersonator.reason", Kind::OptionalString),
    ("", &["organizationId", "organization_id"], "organizationId", Kind::OptionalString),
    ("", &["organization"], "organization", Kind::Object),
    ("organization", &["id"], "organization.id", Kind::OptionalString),
    ("organization", &["name"], "organization.name", Kind::OptionalString),
    ("", &["sessionId", "session_id"], "sessionId", Kind::OptionalString),
    ("", &["expiresAt", "expires_at"], "expiresAt", Kind::Time),
    ("", &["serverTime", "server_time"], "serverTime", Kind::Time),
    ("", &["accessToken", "access_token"], "accessToken", Kind::Token),
];

/// Whether a bad value of the field named `name` decides the whole session (the rest
/// are optional: dropped with a warning).
fn decides(name: &str) -> bool {
    matches!(name, "user" | "user.email" | "impersonator" | "impersonator.email" | "accessToken")
}

/// Replaces one field of `document` (removing both spellings first), creating its
/// parent object if it is missing or null.
fn set_field(document: &mut Json, parent: &str, spellings: &[&str], spelling: usize, value: Option<Json>) {
    let Json::Object(members) = document else { unreachable!() };
    let target = if parent.is_empty() {
        members
    } else {
        members.retain(|(k, v)| k != parent || matches!(v, Json::Object(_)));
        if !members.iter().any(|(k, _)| k == parent) {
            members.push((parent.to_owned(), Json::Object(Vec::new())));
        }
        // Decoys may put earlier members of the same name; the last one is read.
        let Some((_, Json::Object(inner))) = members.iter_mut().rev().find(|(k, _)| k == parent) else {
            unreachable!()
        };
        inner
    };
    target.retain(|(k, _)| !spellings.contains(&k.as_str()));
    if let Some(value) = value {
        target.push((spellings[spelling % spellings.len()].to_owned(), value));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CHEAP))]

    #[test]
    fn session_never_panics_on_any_bytes(bytes in vec(any::<u8>(), 0..300)) {
        check_session(&lossy(&bytes))?;
    }

    #[test]
    fn session_never_panics_on_any_json(
        value in json_value(),
        style in style(),
        (parent, spellings, _, _) in select(FIELDS),
        spelling in 0..2usize,
    ) {
        check_session(&to_text(&value, style))?;
        // The same value as one of the members the parser reads, in an otherwise valid
        // document.
        let mut document = object(vec![
            ("user", object(vec![("email", string("b@x.test"))])),
            ("impersonator", object(vec![("email", string("a@x.test"))])),
        ]);
        set_field(&mut document, parent, spellings, spelling, Some(value));
        check_session(&to_text(&document, style))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(MEDIUM))]

    #[test]
    fn valid_sessions_read_exactly(spec in session_spec()) {
        let text = spec.text();
        prop_assert_eq!(Session::from_json(&text), Ok(spec.expected()), "{}", text);
    }

    #[test]
    fn mutated_sessions_never_panic(spec in session_spec(), mutations in vec(mutation(), 1..4)) {
        let text = spec.text();
        let mut bytes = text.clone().into_bytes();
        for mutation in &mutations {
            bytes = mutation.apply(&lossy(&bytes));
        }
        let mutated = lossy(&bytes);
        check_session(&mutated)?;
        // A document cut short before its closing brace is never accepted.
        if let Mutation::Truncate(at) = &mutations[0] {
            let cut = &text.as_bytes()[..at.index(text.len())];
            if cut.len() < text.trim_end().len() {
                prop_assert!(matches!(Session::from_json(&lossy(cut)), Err(SessionError::Json(_))));
            }
        }
    }

    #[test]
    fn wrong_types_name_the_field(
        spec in impersonating_spec(),
        (parent, spellings, name, kind) in select(FIELDS),
        spelling in 0..2usize,
        value in json_value(),
    ) {
        let mut document = spec.document();
        // Arrays are of no kind the session accepts; wrap anything that would be valid.
        let valid = match kind {
            Kind::OptionalString | Kind::RequiredString | Kind::Time | Kind::Token => {
                matches!(value, Json::String(_) | Json::Null)
            }
            Kind::Object => matches!(value, Json::Object(_) | Json::Null),
        };
        let value = if valid { Json::Array(vec![value]) } else { value };
        set_field(&mut document, parent, spellings, spelling, Some(value));
        let text = to_text(&document, spec.style);
        // Beside an explicit impersonator, the token only adds details: dropped.
        let decides = decides(name) && !(name == "accessToken" && document.get("impersonator").is_some());
        if decides {
            match Session::from_json(&text) {
                Err(SessionError::WrongType { field, .. }) => prop_assert_eq!(field, name),
                other => prop_assert!(false, "{name}: expected a wrong type, got {other:?} for {text}"),
            }
        } else {
            // An optional field of the wrong type is dropped, with the reason, and the
            // bar still shows.
            match Session::read_json(&text) {
                Ok(Reading { session: Some(_), ignored, .. }) => {
                    prop_assert!(
                        matches!(ignored.as_slice(), [SessionError::WrongType { field, .. }] if *field == name),
                        "{name}: {ignored:?} for {text}"
                    );
                    prop_assert!(ignored[0].ignored_message().starts_with("staff-bar: a session field was ignored: "));
                }
                other => prop_assert!(false, "{name}: expected the field dropped, got {other:?} for {text}"),
            }
        }
        if kind == Kind::RequiredString {
            for value in [None, Some(Json::Null)] {
                let mut document = spec.document();
                set_field(&mut document, parent, spellings, spelling, value);
                prop_assert_eq!(
                    Session::from_json(&to_text(&document, spec.style)),
                    Err(SessionError::Missing { field: name })
                );
            }
        }
    }

    #[test]
    fn times_that_do_not_parse_are_reported(
        spec in impersonating_spec(),
        (spellings, name) in select(vec![(&["expiresAt", "expires_at"][..], "expiresAt"), (&["serverTime", "server_time"][..], "serverTime")]),
        spelling in 0..2usize,
        bad in prop_oneof![text(), out_of_range_time(), date_time().prop_map(|t| t.text() + "x")],
    ) {
        let mut document = spec.document();
        set_field(&mut document, "", spellings, spelling, Some(string(&bad)));
        let result = Session::read_json(&to_text(&document, spec.style));
        let Ok(Reading { session: Some(session), ignored, .. }) = result else {
            return Err(TestCaseError::fail(format!("{name}: a bad time hid the bar: {result:?}")));
        };
        let read = if name == "expiresAt" { session.expires_at } else { session.server_time };
        match parse_rfc3339(&bad) {
            None => {
                prop_assert_eq!(ignored, vec![SessionError::InvalidTime { field: name }]);
                prop_assert_eq!(read, None);
            }
            Some(at) => {
                prop_assert!(ignored.is_empty());
                prop_assert_eq!(read, Some(at));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// (d) The access token.
// ---------------------------------------------------------------------------------------

/// What `decode_claims` must say about a well-formed token whose payload is `bytes`.
fn expected_for_payload(bytes: &[u8]) -> Option<Result<TokenClaims, TokenError>> {
    let Ok(text) = std::str::from_utf8(bytes) else { return Some(Err(TokenError::NotUtf8)) };
    match json::parse(text) {
        Err(error) => Some(Err(TokenError::NotJson(error.kind))),
        Ok(Json::Object(_)) => None, // decided by the claims: checked elsewhere
        Ok(_) => Some(Err(TokenError::NotAnObject)),
    }
}

/// Payloads: arbitrary bytes, JSON values, and JSON with a byte or two changed.
fn payload_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..200),
        (json_value(), style()).prop_map(|(v, s)| to_text(&v, s).into_bytes()),
        (claims(), any::<Index>(), any::<u8>()).prop_map(|(c, at, byte)| {
            let mut bytes = c.payload();
            let at = at.index(bytes.len());
            bytes[at] = byte;
            bytes
        }),
    ]
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_-]{0,24}",
        "[A-Za-z0-9+/=]{0,24}",
        claims().prop_map(|c| base64(&c.payload(), Base64Style { url_safe: true, padded: false }))
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CHEAP))]

    #[test]
    fn base64_round_trips_in_both_alphabets(bytes in vec(any::<u8>(), 0..300), style in base64_style()) {
        prop_assert_eq!(decode_base64url(&base64(&bytes, style)), Some(bytes));
    }

    #[test]
    fn base64_accepts_exactly_its_alphabet(text in prop_oneof!["[A-Za-z0-9+/_=-]{0,40}", "[A-Za-z0-9_-]{0,40}={0,3}", vec(any::<char>(), 0..40).prop_map(String::from_iter)]) {
        // The model: after the trailing `=`, only the 64 symbols of either alphabet, and
        // not one symbol left over (fewer than 8 bits); the output has 6 bits a symbol.
        let symbols = text.trim_end_matches('=');
        let valid = symbols.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/-_".contains(&b)) && symbols.len() % 4 != 1;
        match decode_base64url(&text) {
            Some(bytes) => {
                prop_assert!(valid, "{text:?} accepted");
                prop_assert_eq!(bytes.len(), symbols.len() * 6 / 8);
            }
            None => prop_assert!(!valid, "{text:?} refused"),
        }
    }

    #[test]
    fn token_claims_are_read_back(token in token_spec(), padding in select(vec!["", " ", "\n", "\t "])) {
        let text = String::from(padding) + &token.text() + padding;
        prop_assert_eq!(decode_claims(&text), Ok(token.claims.expected()));
    }

    #[test]
    fn any_payload_bytes_are_typed(bytes in payload_bytes(), style in base64_style(), sig in signature()) {
        let token = jwt(&bytes, style, &sig);
        let result = decode_claims(&token);
        if let Some(expected) = expected_for_payload(&bytes) {
            prop_assert_eq!(result, expected);
        }
        // Inside a session document, the same answer arrives as `SessionError::Token`.
        let mut document = String::from(r#"{"user":{"email":"b@x.test"},"accessToken":"#);
        json::write_string(&mut document, &token);
        document.push('}');
        match (Session::from_json(&document), decode_claims(&token)) {
            (Err(SessionError::Token(a)), Err(b)) => prop_assert_eq!(a, b),
            (Ok(_), Ok(_)) => {}
            (a, b) => prop_assert!(false, "session {a:?} but token {b:?}"),
        }
    }

    #[test]
    fn tokens_need_exactly_three_segments(segments in vec(segment(), 0..=6)) {
        let token = segments.join(".");
        let result = decode_claims(&token);
        // Zero segments is the empty string: one empty segment.
        if segments.len() != 3 {
            prop_assert_eq!(result, Err(TokenError::WrongSegmentCount));
        } else {
            prop_assert_ne!(result, Err(TokenError::WrongSegmentCount));
        }
    }

    #[test]
    fn token_decoder_never_panics_on_any_text(chars in vec(any::<char>(), 0..200), bytes in vec(any::<u8>(), 0..200)) {
        let _ = decode_claims(&String::from_iter(chars));
        let _ = decode_claims(&lossy(&bytes));
        let _ = decode_base64url(&lossy(&bytes));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(MEDIUM))]

    #[test]
    fn claims_of_the_wrong_type_are_refused(
        token in token_spec(),
        claim in select(vec!["sub", "sid", "org_id", "act", "act.sub"]),
        value in json_value(),
    ) {
        let mut payload = token.claims.json();
        let Json::Object(members) = &mut payload else { unreachable!() };
        let (expected, value) = match claim {
            "act" => (TokenError::InvalidActor, if matches!(value, Json::Object(_) | Json::Null) { Json::Array(vec![value]) } else { value }),
            "act.sub" => {
                let value = if matches!(value, Json::String(_)) { Json::Array(vec![value]) } else { value };
                (TokenError::InvalidActor, object(vec![("sub", value)]))
            }
            _ => (TokenError::InvalidClaim, if matches!(value, Json::String(_) | Json::Null) { Json::Array(vec![value]) } else { value }),
        };
        let name = claim.trim_end_matches(".sub");
        members.retain(|(k, _)| k != name);
        members.push((name.to_owned(), value));
        // The other claims, `act` included, are valid, so this one is the error.
        let text = jwt(to_text(&payload, token.claims.style).as_bytes(), token.base64, &token.signature);
        prop_assert_eq!(decode_claims(&text), Err(expected));
    }
}

// ---------------------------------------------------------------------------------------
// (e) return-to never leaves the origin; server redirects are http(s) or relative.
// ---------------------------------------------------------------------------------------

fn app() -> Url {
    Url::parse("https://app.test/").unwrap()
}

/// Where a browser on `https://app.test/` goes for `target`, per the WHATWG URL parser
/// (which the `url` crate implements): `None` if it does not resolve at all.
fn resolve(target: &str) -> Option<Url> {
    app().join(target).ok()
}

fn same_origin(target: &str) -> bool {
    resolve(target).is_some_and(|url| {
        url.scheme() == "https"
            && url.host_str() == Some("app.test")
            && url.port().is_none()
            && url.username().is_empty()
            && url.password().is_none()
    })
}

/// Percent-decoding written here: `%XX` becomes the byte, everything else stays.
fn percent_decoded(text: &str) -> String {
    fn hex(byte: u8) -> Option<u8> {
        char::from(byte).to_digit(16).map(|d| d as u8)
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    lossy(&out)
}

/// `target` as the browser reads it, and every form a server that percent-decodes the
/// path (once, twice, …) could redirect to. Any of them leaving the origin is an escape.
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

fn check_return_to(target: &str) -> Result<(), TestCaseError> {
    if let Ok(accepted) = validate_return_to(target) {
        prop_assert_eq!(accepted, target);
        prop_assert!(!escapes(target), "{target:?} was accepted but leaves https://app.test/");
        // The accepted value goes into the request body and comes back unchanged.
        let body = json::parse(&request_body(Some(target)));
        prop_assert_eq!(body, Ok(object(vec![("returnTo", string(target))])));
        prop_assert_eq!(destination(204, "", Some(target)), Ok(target.to_owned()));
    }
    Ok(())
}

/// Characters and escapes that browsers or servers have read as a slash, or strip.
#[rustfmt::skip]
const SLASHES: &[&str] = &[
    "/", "\\", "%2f", "%2F", "%5c", "%5C", "%252f", "%252F", "%255c", "%255C", "%25252f", "%2525252F",
    "\u{2215}", "\u{FF0F}", "\u{FF3C}", "\u{2044}", "\u{29F8}", "%E2%88%95", "%ef%bc%8f", "%c0%af",
    "%e0%80%af", "%09", "%0a", "%0D", "%00", "%20", "\t", "\n", "\r", " ", "\u{0}", "\u{A0}", "\u{3000}",
    "\u{200B}", "\u{FEFF}", ".", "..", "%2e", "%2E%2E", "@", ":", "%3a", "%40", "?", "#", "%3f", "%23", "%",
];

#[rustfmt::skip]
const HOSTS: &[&str] = &[
    "evil.test", "EVIL.TEST", "evil.test:443", "user@evil.test", "app.test@evil.test", "app.test.evil.test",
    "127.0.0.1", "[::1]", "0x7f.1", "xn--80ak6aa92e.com", "\u{E9}vil.test", "",
];

#[rustfmt::skip]
const TAILS: &[&str] = &[
    "", "/", "/path", "?next=//evil.test", "#//evil.test", "%2f..%2f", "/..", "/%2e%2e/",
];

#[rustfmt::skip]
const PREFIXES: &[&str] = &[
    "", "/", "//", "///", "/\\", "\\/", "\\\\", " /", "\t/", "/\t/", "https:", "https://", "HTTPS://",
    "http:/", "javascript:", "JaVaScRiPt:", "data:", "/%2f", "/%2F", "/%5c", "%2f%2f", "/%252f", "/%09/",
];

/// Paths built from the pieces that have fooled open-redirect checks, in mixed case.
fn adversarial_return_to() -> impl Strategy<Value = String> {
    (select(PREFIXES), vec(select(SLASHES), 0..4), select(HOSTS), select(TAILS), vec(any::<bool>(), 8))
        .prop_map(|(prefix, slashes, host, tail, case)| {
            let raw = String::from(prefix) + &slashes.concat() + host + tail;
            // Flip the case of ASCII letters at random: `%2F`/`%2f`, `JavaScript:`.
            raw.chars()
                .enumerate()
                .map(|(i, c)| if case[i % case.len()] { c.to_ascii_uppercase() } else { c })
                .collect()
        })
}

/// Forms that leave the origin, literally or once a server decodes them.
#[rustfmt::skip]
const KNOWN_ESCAPES: &[&str] = &[
    "//", "///", "/\\", "\\/", "\\\\", "/\t/", "/\n/", "/\r/", " //", "\t//", "https://", "HTTPS://",
    "https:\\\\", "javascript:", "/%2f", "/%2F", "/%5c", "/%5C", "/%2f/", "/%252f", "/%252F/", "/%25252f",
    "/%255c", "/%09/", "/%0a/", "/%0d/", "%2f%2f", "/%2f%2f", "/%5c%5c",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CHEAP))]

    #[test]
    fn return_to_never_leaves_the_origin(target in prop_oneof![
        vec(any::<char>(), 0..40).prop_map(String::from_iter),
        vec(select(SLASHES), 0..8).prop_map(|p| String::from("/") + &p.concat()),
        adversarial_return_to(),
        "/[a-zA-Z0-9._~!$&'()*+,;=:@/?#%-]{0,40}",
    ]) {
        check_return_to(&target)?;
    }

    #[test]
    fn known_escapes_are_refused(
        escape in select(KNOWN_ESCAPES),
        host in select(HOSTS).prop_filter("a host", |h| !h.is_empty()),
        tail in select(TAILS),
        upper in any::<bool>(),
    ) {
        let target = String::from(escape) + host + tail;
        let target = if upper { target.to_ascii_uppercase() } else { target };
        // The model agrees these escape; the validator must refuse every one.
        prop_assert!(escapes(&target), "{target:?} is not an escape after all");
        prop_assert!(validate_return_to(&target).is_err(), "{target:?} accepted");
    }

    #[test]
    fn server_redirects_are_http_or_relative(
        target in prop_oneof![
            text(),
            adversarial_return_to(),
            (select(vec!["javascript:", "JAVASCRIPT:", " javascript:", "\u{0}javascript:", "java\tscript:",
                "\njavascript:", "javascript\t:", "\u{A0}javascript:", "\u{FEFF}javascript:", "vbscript:", "data:",
                "file:", "blob:", "https:", "http:", "HTTPS:", "", "/", "?", "#"]), text())
                .prop_map(|(scheme, rest)| String::from(scheme) + &rest),
        ],
        status in prop_oneof![Just(200u16), Just(201), Just(204), 100u16..600],
        key in select(vec!["redirectTo", "logoutUrl", "redirect_to", "logout_url"]),
        return_to in proptest::option::of(text()),
    ) {
        let mut body = String::from("{\"");
        body.push_str(key);
        body.push_str("\":");
        json::write_string(&mut body, &target);
        body.push('}');
        let result = destination(status, &body, return_to.as_deref());
        match status {
            204 => prop_assert_eq!(result, Ok(return_to.clone().unwrap_or_else(|| "/".into()))),
            200..=299 if is_safe_redirect(&target) => prop_assert_eq!(result, Ok(target.clone())),
            200..=299 => prop_assert!(result.is_err()),
            _ => prop_assert!(result.is_err()),
        }
        if is_safe_redirect(&target) {
            // The browser either refuses the URL or navigates over http(s).
            if let Some(url) = resolve(&target) {
                prop_assert!(matches!(url.scheme(), "http" | "https"), "{target:?} goes to {url}");
            }
        }
        // Any body at all: no panic, and an Ok answer is always a safe destination.
        for body in [target.as_str(), body.as_str()] {
            if let (Ok(to), true) = (destination(status, body, None), status != 204) {
                prop_assert!(is_safe_redirect(&to));
            }
        }
    }

    #[test]
    fn request_body_round_trips(target in text()) {
        let body = json::parse(&request_body(Some(&target)));
        prop_assert_eq!(body, Ok(object(vec![("returnTo", string(&target))])));
        prop_assert_eq!(request_body(None), "{}");
    }
}

// ---------------------------------------------------------------------------------------
// (f) RFC 3339 against a day-counting reference.
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Zone {
    Utc(char),
    Offset { negative: bool, hours: i64, minutes: i64, colon: bool },
}

#[derive(Clone, Debug)]
struct DateTime {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    fraction: Option<String>,
    separator: char,
    zone: Zone,
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn month_length(year: i64, month: i64) -> i64 {
    const LENGTHS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    LENGTHS[(month - 1) as usize] + i64::from(month == 2 && is_leap(year))
}

fn zone() -> impl Strategy<Value = Zone> {
    prop_oneof![
        select(vec!['Z', 'z']).prop_map(Zone::Utc),
        (any::<bool>(), 0i64..=23, 0i64..=59, any::<bool>())
            .prop_map(|(negative, hours, minutes, colon)| Zone::Offset { negative, hours, minutes, colon }),
    ]
}

fn date_time() -> BoxedStrategy<DateTime> {
    (
        (0i64..=9999, 1i64..=12).prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=month_length(y, m))),
        (0i64..=23, 0i64..=59, 0i64..=60),
        proptest::option::of("[0-9]{1,12}"),
        select(vec!['T', 't', ' ']),
        zone(),
    )
        .prop_map(|((year, month, day), (hour, minute, second), fraction, separator, zone)| DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
            fraction,
            separator,
            zone,
        })
        .boxed()
}

impl DateTime {
    fn text(&self) -> String {
        let mut out = format!(
            "{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.separator, self.hour, self.minute, self.second
        );
        if let Some(fraction) = &self.fraction {
            out.push('.');
            out.push_str(fraction);
        }
        match &self.zone {
            Zone::Utc(z) => out.push(*z),
            Zone::Offset { negative, hours, minutes, colon } => {
                out.push_str(&format!(
                    "{}{:02}{}{:02}",
                    if *negative { '-' } else { '+' },
                    hours,
                    if *colon { ":" } else { "" },
                    minutes
                ));
            }
        }
        out
    }

    /// Milliseconds since 1970-01-01T00:00:00Z by counting whole years and months, the
    /// slow way, independently of the closed formula in `time.rs`. A leap second (`:60`)
    /// counts as the first second of the next minute; digits past milliseconds are cut.
    fn reference_millis(&self) -> i64 {
        let mut days = 0;
        if self.year >= 1970 {
            days += (1970..self.year).map(|y| 365 + i64::from(is_leap(y))).sum::<i64>();
        } else {
            days -= (self.year..1970).map(|y| 365 + i64::from(is_leap(y))).sum::<i64>();
        }
        days += (1..self.month).map(|m| month_length(self.year, m)).sum::<i64>();
        days += self.day - 1;
        let offset_minutes = match &self.zone {
            Zone::Utc(_) => 0,
            Zone::Offset { negative, hours, minutes, .. } => {
                (hours * 60 + minutes) * if *negative { -1 } else { 1 }
            }
        };
        let seconds =
            days * 86_400 + self.hour * 3_600 + self.minute * 60 + self.second - offset_minutes * 60;
        let millis = self.fraction.as_deref().map_or(0, |f| {
            let digits: String = f.chars().chain("000".chars()).take(3).collect();
            digits.parse::<i64>().unwrap()
        });
        seconds * 1_000 + millis
    }
}

/// A valid date-time with exactly one field pushed out of its range (still two digits).
fn out_of_range_time() -> BoxedStrategy<String> {
    (date_time(), 0..7usize, any::<u8>(), any::<bool>())
        .prop_map(|(mut t, which, bad, negative)| {
            let bad = i64::from(bad);
            match which {
                0 => t.month = if bad % 4 == 0 { 0 } else { 13 + bad % 87 },
                1 => {
                    let length = month_length(t.year, t.month);
                    t.day = match bad % 4 {
                        0 => 0,
                        1 => length + 1,
                        _ => length + 1 + bad % (99 - length),
                    }
                }
                2 => t.hour = 24 + bad % 76,
                3 => t.minute = 60 + bad % 40,
                4 => t.second = 61 + bad % 39,
                5 => {
                    t.zone = Zone::Offset { negative, hours: 24 + bad % 76, minutes: 0, colon: bad % 2 == 0 }
                }
                _ => {
                    t.zone = Zone::Offset {
                        negative,
                        hours: bad % 24,
                        minutes: 60 + bad % 40,
                        colon: bad % 2 == 0,
                    }
                }
            }
            t.text()
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CHEAP))]

    #[test]
    fn rfc3339_agrees_with_day_counting(t in date_time(), padding in select(vec!["", " ", "\n", " \t"])) {
        prop_assert_eq!(parse_rfc3339(&t.text()), Some(t.reference_millis()), "{}", t.text());
        // Surrounding whitespace is ignored; anything else after the zone is refused.
        let padded = String::from(padding) + &t.text() + padding;
        prop_assert_eq!(parse_rfc3339(&padded), Some(t.reference_millis()));
        prop_assert_eq!(parse_rfc3339(&(t.text() + "0")), None);
    }

    #[test]
    fn rfc3339_refuses_out_of_range_fields(text in out_of_range_time()) {
        prop_assert_eq!(parse_rfc3339(&text), None, "{}", text);
    }

    #[test]
    fn rfc3339_refuses_what_is_not_a_date_time(t in date_time(), cut in any::<Index>(), chars in vec(any::<char>(), 0..40)) {
        // Any strict prefix lacks the zone.
        let text = t.text();
        let cut = cut.index(text.len());
        prop_assert_eq!(parse_rfc3339(&text[..cut]), None, "{}", &text[..cut]);
        // Arbitrary text: no panic, and anything accepted lies within years 0000–9999
        // give or take a day of offset and a leap second.
        let arbitrary = String::from_iter(chars);
        if let Some(ms) = parse_rfc3339(&arbitrary) {
            prop_assert!((-62_167_305_600_000..=253_402_387_200_000).contains(&ms), "{arbitrary:?} → {ms}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Megabyte inputs: huge strings and 1 MB tokens.
// ---------------------------------------------------------------------------------------

/// `piece` repeated to at least `size` bytes.
fn repeated(piece: &str, size: usize) -> String {
    let piece = if piece.is_empty() { "a" } else { piece };
    piece.repeat(size / piece.len() + 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(HUGE))]

    #[test]
    fn megabyte_strings_read_verbatim(
        spec in impersonating_spec(),
        piece in text(),
        size in (1usize << 20)..(3 << 20),
        escapes in prop_oneof![Just(Escapes::Minimal), Just(Escapes::Short), Just(Escapes::Unicode)],
    ) {
        let huge = repeated(&piece, if matches!(escapes, Escapes::Unicode) { size / 4 } else { size });
        let mut spec = spec;
        spec.style = Style { escapes, space: spec.style.space };
        if let Field::Value(user) = &mut spec.user {
            user.email = huge.clone();
        }
        if let Field::Value(imp) = &mut spec.impersonator {
            imp.reason = Field::Value(huge.clone());
        }
        let session = Session::from_json(&spec.text());
        prop_assert_eq!(&session, &Ok(spec.expected()));
        let session = session.unwrap().unwrap();
        prop_assert_eq!(session.user.email.len(), huge.len());
        // A megabyte of garbage after a valid prefix is an error, not a hang or a panic.
        let garbage = spec.text() + "]" + &repeated(&piece, size);
        prop_assert!(Session::from_json(&garbage).is_err());
    }

    #[test]
    fn megabyte_tokens_read_back(token in token_spec(), piece in text(), size in (1usize << 20)..(2 << 20)) {
        let mut token = token;
        let huge = repeated(&piece, size);
        token.claims.act = Field::Value(huge.clone());
        token.claims.sid = Field::Value(piece.clone());
        let text = token.text();
        prop_assert!(text.len() > 1 << 20);
        let claims = decode_claims(&text).unwrap();
        prop_assert_eq!(claims.actor.as_deref(), Some(huge.as_str()));
        prop_assert_eq!(claims.session_id, Some(piece));
        // In a session without an impersonator member, the actor becomes the impersonator.
        let mut document = String::from(r#"{"user":{"email":"b@x.test"},"accessToken":"#);
        json::write_string(&mut document, &text);
        document.push('}');
        let session = Session::from_json(&document).unwrap().unwrap();
        prop_assert_eq!(session.impersonator.email, huge);
        // A megabyte of symbols that is not base64 of JSON: a typed error.
        let junk = String::from("a.") + &repeated("QUJD", size) + "x.c";
        prop_assert!(decode_claims(&junk).is_err());
    }
}

// ---------------------------------------------------------------------------------------
// String templates: `fill` against the standard library's replace.
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CHEAP))]

    #[test]
    fn fill_replaces_exactly_like_str_replace(
        pieces in vec(select(&["{n}", "{", "}", "{user}", "{{n}}", "n", "分", " ", "{nn}", "{n"][..]), 0..12),
        name in select(&["n", "user", ""][..]),
        value in text(),
    ) {
        let template: String = pieces.concat();
        let placeholder = String::from("{") + name + "}";
        prop_assert_eq!(fill(&template, name, &value), template.replace(&placeholder, &value));
    }
}
