//! Differential tests: the hand-written parsers against well-kept crates.
//!
//! - `json::parse` against `serde_json`: random documents read to the same tree, and
//!   random or mutated text is accepted by both or refused by both, except for the
//!   deliberate differences, each checked exactly:
//!   1. half a surrogate pair (`"\ud83d"`) reads as U+FFFD, as `JSON.parse` does in
//!      the browser; `serde_json` refuses it;
//!   2. nesting deeper than `MAX_DEPTH` (64) is refused; `serde_json` allows 127;
//!   3. numbers are kept as text, so an exponent beyond `f64` (`1e400`) reads;
//!      `serde_json` refuses it as out of range.
//! - `token::decode_base64url` against the `base64` crate (`URL_SAFE_NO_PAD`), with
//!   our padding rule: any run of trailing `=` is dropped, `+` and `/` are read as `-`
//!   and `_`, and the unused bits of the last symbol are ignored (as browsers' `atob`
//!   ignores them).
//! - `time::format_rfc3339`, `parse_rfc3339` and `parse_http_date` against the `time`
//!   crate and `httpdate`. Deliberate differences: our RFC 3339 reader also takes a
//!   space for `T`, `+hhmm` offsets, surrounding whitespace and any second `60`, and
//!   keeps milliseconds (truncating further digits), but takes no other separator
//!   between date and time (the `time` crate takes any character there); our HTTP
//!   date reader takes only IMF-fixdate, does not check the weekday, and splits on any
//!   ASCII whitespace, and it reads years before 1970, which `httpdate` refuses.
//!   (`httpdate` writes years up to 9998 only.)

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::Value;
use staff_bar_core::json::{self, Json, MAX_DEPTH};
use staff_bar_core::time::{format_rfc3339, parse_http_date, parse_rfc3339};
use staff_bar_core::token::decode_base64url;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

// ---------------------------------------------------------------------------- JSON

/// Our tree in serde_json's terms: numbers through serde_json's own reading of the
/// text we kept, objects with the last of duplicate keys (as `Json::get` reads them).
fn to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(text) => serde_json::from_str(text).unwrap(),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Object(members) => {
            Value::Object(members.iter().map(|(k, v)| (k.clone(), to_value(v))).collect())
        }
    }
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (any::<i32>(), 0u32..1000, -30i32..30).prop_map(|(i, f, e)| format!("{i}.{f}e{e}")),
        (
            any::<bool>(),
            0u32..10,
            "[0-9]{0,5}",
            prop_oneof![Just(""), Just("e"), Just("E+"), Just("e-")],
            0u32..300
        )
            .prop_map(|(neg, lead, digits, exp, e)| {
                let int = if lead == 0 { "0".to_owned() } else { format!("{lead}{digits}") };
                let frac = if digits.is_empty() { String::new() } else { format!(".{digits}") };
                let exp = if exp.is_empty() { String::new() } else { format!("{exp}{}", e % 300) };
                format!("{}{int}{frac}{exp}", if neg { "-" } else { "" })
            }),
    ]
}

/// A string literal written in any of JSON's ways: plain, short escapes, `\u` escapes
/// (surrogate pairs for astral characters).
fn string_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => prop::sample::select(vec!['"', '\\', '/', '\n', '\r', '\t', '\u{8}', '\u{c}', '\u{0}', '\u{1f}', '\u{7f}', 'é', '😀']),
    ]
}

fn string_literal() -> impl Strategy<Value = String> {
    vec((string_char(), 0u8..4), 0..12).prop_map(|chars| {
        let mut out = String::from("\"");
        for (c, style) in chars {
            match (c, style) {
                ('"', _) => out.push_str("\\\""),
                ('\\', _) => out.push_str("\\\\"),
                ('/', 1) => out.push_str("\\/"),
                ('\n', 1) => out.push_str("\\n"),
                ('\u{8}', 1) => out.push_str("\\b"),
                ('\u{c}', 1) => out.push_str("\\f"),
                ('\r', 1) => out.push_str("\\r"),
                ('\t', 1) => out.push_str("\\t"),
                (c, style) if style == 2 || (c as u32) < 0x20 => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                (c, _) => out.push(c),
            }
        }
        out.push('"');
        out
    })
}

fn whitespace() -> impl Strategy<Value = String> {
    "[ \t\n\r]{0,2}"
}

/// Random JSON text, built as text so every spelling JSON allows turns up.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        number(),
        string_literal(),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            vec((whitespace(), inner.clone()), 0..6).prop_map(|items| format!(
                "[{}]",
                items.into_iter().map(|(w, v)| w + &v).collect::<Vec<_>>().join(",")
            )),
            vec((string_literal(), whitespace(), inner), 0..6).prop_map(|members| format!(
                "{{{}}}",
                members
                    .into_iter()
                    .map(|(k, w, v)| format!("{w}{k}{w}:{w}{v}{w}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
        ]
    })
}

/// What `serde_json` must say about text we accept or refuse, given the deliberate
/// differences; `Ok` when the two agree or differ only as documented.
fn agree(text: &str) -> Result<(), TestCaseError> {
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => {
            // serde_json keeps one of duplicate keys as we do (the last); compare trees.
            prop_assert_eq!(&to_value(ours), theirs, "{}", text);
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(error)) => {
            let message = error.to_string();
            prop_assert!(
                // serde_json names half a pair "lone leading surrogate" or, when no
                // `\u` follows it, "unexpected end of hex escape".
                message.contains("surrogate")
                    || message.contains("end of hex escape")
                    || message.contains("number out of range"),
                "we accept what serde_json refuses ({}): {:?}",
                message,
                text
            );
        }
        (Err(error), Ok(_)) => {
            prop_assert!(false, "we refuse what serde_json accepts ({:?}): {:?}", error, text);
        }
    }
    Ok(())
}

/// Inserts, deletes or replaces bytes of `text` (at character boundaries).
fn mutate(text: &str, edits: &[(prop::sample::Index, u8, char)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, kind, c) in edits {
        if chars.is_empty() {
            chars.push(*c);
            continue;
        }
        let i = at.index(chars.len());
        match kind % 3 {
            0 => chars.insert(i, *c),
            1 => {
                chars.remove(i);
            }
            _ => chars[i] = *c,
        }
    }
    chars.into_iter().collect()
}

fn json_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => prop::sample::select(r#"{}[]",:\/ -+.0123456789eEtrufalsnbdU"#.chars().collect::<Vec<_>>()),
        2 => prop::sample::select(vec!['\u{0}', '\u{8}', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1f}', '\u{7f}', '\u{a0}', '\u{feff}']),
        1 => any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn json_documents_read_as_serde_json_reads_them(text in document(), pad in whitespace()) {
        let text = format!("{pad}{text}{pad}");
        let theirs: Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            // Only the documented difference may make serde_json refuse a document.
            Err(error) => {
                prop_assert!(error.to_string().contains("number out of range"), "{}: {}", error, text);
                prop_assert!(json::parse(&text).is_ok());
                return Ok(());
            }
        };
        let ours = json::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?} for {text}")))?;
        prop_assert_eq!(to_value(&ours), theirs);
    }

    #[test]
    fn json_serde_json_output_reads_back(text in document()) {
        // serde_json's own writing of a document (compact and pretty) reads the same.
        // (Against serde_json's reading of what it wrote: without its float_roundtrip
        // feature, it does not always read its own shortest float back to the same f64.)
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            for written in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
                let theirs: Value = serde_json::from_str(&written).unwrap();
                prop_assert_eq!(to_value(&json::parse(&written).unwrap()), theirs);
            }
        }
    }

    #[test]
    fn json_mutated_text_is_refused_by_both_or_neither(
        text in document(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>(), json_char()), 1..4),
    ) {
        agree(&mutate(&text, &edits))?;
    }

    #[test]
    fn json_raw_strings_are_refused_by_both_or_neither(chars in vec(prop_oneof![string_char(), json_char()], 0..12)) {
        agree(&format!("\"{}\"", chars.into_iter().collect::<String>()))?;
    }

    #[test]
    fn json_random_text_is_refused_by_both_or_neither(chars in vec(json_char(), 0..24)) {
        agree(&chars.into_iter().collect::<String>())?;
    }

    /// Difference 1, exactly: a lone surrogate escape reads as U+FFFD, and the rest of
    /// the string as serde_json reads it with U+FFFD written there instead.
    #[test]
    fn json_lone_surrogates_read_as_replacement(
        before in "[a-z]{0,4}",
        unit in prop_oneof![0xd800u32..=0xdbff, 0xdc00u32..=0xdfff],
        after in prop_oneof![Just(String::new()), "[a-z]{1,4}", Just("\\u0041".to_owned()), Just("\\ud800".to_owned())],
    ) {
        let text = format!("\"{before}\\u{unit:04x}{after}\"");
        prop_assert!(serde_json::from_str::<Value>(&text).is_err());
        let mut replaced = format!("\"{before}\\ufffd{after}\"");
        if after == "\\ud800" {
            replaced = format!("\"{before}\\ufffd\\ufffd\"");
        }
        let theirs: Value = serde_json::from_str(&replaced).unwrap();
        prop_assert_eq!(to_value(&json::parse(&text).unwrap()), theirs);
    }

    /// Difference 2, exactly: nesting up to MAX_DEPTH reads as serde_json reads it;
    /// deeper containers are checked and left out (the container at MAX_DEPTH reads
    /// empty), where serde_json goes on to 127 and then refuses.
    #[test]
    fn json_depth_limit(depth in 1usize..200, object in any::<bool>()) {
        let (open, close) = if object { ("{\"a\":", "}") } else { ("[", "]") };
        let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        let ours = json::parse(&text);
        // The documented limit, written out: the constant must not drift either.
        prop_assert_eq!(MAX_DEPTH, 64);
        let expected = if depth <= 64 {
            text.clone()
        } else {
            let empty = if object { "{}" } else { "[]" };
            format!("{}{empty}{}", open.repeat(63), close.repeat(63))
        };
        let expected: Value = serde_json::from_str(&expected).unwrap();
        prop_assert_eq!(to_value(&ours.unwrap()), expected);
        prop_assert_eq!(serde_json::from_str::<Value>(&text).is_ok(), depth < 128);
    }

    /// Difference 3, exactly: a number beyond f64 keeps its text.
    #[test]
    fn json_huge_numbers_keep_their_text(mantissa in 1u32..10, exponent in 309u32..5000, neg in any::<bool>()) {
        let text = format!("{}{mantissa}e{exponent}", if neg { "-" } else { "" });
        prop_assert!(serde_json::from_str::<Value>(&text).is_err());
        prop_assert_eq!(json::parse(&text).unwrap(), Json::Number(text.clone()));
    }
}

// -------------------------------------------------------------------------- base64

/// The `base64` crate set to our rule: URL-safe alphabet, no padding (we drop any run
/// of trailing `=` first), unused trailing bits ignored.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

fn reference_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=').replace('+', "-").replace('/', "_");
    LENIENT.decode(text).ok()
}

fn base64_char() -> impl Strategy<Value = char> {
    prop_oneof![
        20 => prop::sample::select(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".chars().collect::<Vec<_>>()
        ),
        2 => prop::sample::select(vec!['+', '/', '=']),
        1 => prop::sample::select(vec![' ', '.', '\n', '!', 'é', '\0']),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn base64url_reads_what_the_base64_crate_writes(bytes in vec(any::<u8>(), 0..80)) {
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
        for engine in [URL_SAFE_NO_PAD, URL_SAFE, STANDARD_NO_PAD, STANDARD] {
            let encoded = engine.encode(&bytes);
            prop_assert_eq!(decode_base64url(&encoded), Some(bytes.clone()), "{}", encoded);
        }
    }

    #[test]
    fn base64url_canonical_text_decodes_as_url_safe_no_pad(text in vec(base64_char(), 0..40)) {
        // Where the strict decoder accepts text, ours gives the same bytes.
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let text: String = text.into_iter().collect();
        if let Ok(bytes) = URL_SAFE_NO_PAD.decode(&text) {
            prop_assert_eq!(decode_base64url(&text), Some(bytes));
        }
    }

    #[test]
    fn base64url_any_text_decodes_as_the_reference(text in vec(base64_char(), 0..40)) {
        let text: String = text.into_iter().collect();
        prop_assert_eq!(decode_base64url(&text), reference_decode(&text), "{:?}", text);
    }

    #[test]
    fn base64url_padding_rule(bytes in vec(any::<u8>(), 1..40), extra in 0usize..6) {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let encoded = URL_SAFE_NO_PAD.encode(&bytes);
        // Any run of trailing `=` is dropped, however long; one inside is refused.
        prop_assert_eq!(decode_base64url(&format!("{encoded}{}", "=".repeat(extra))), Some(bytes.clone()));
        if encoded.len() > 1 {
            let (head, tail) = encoded.split_at(1);
            prop_assert_eq!(decode_base64url(&format!("{head}={tail}")), None);
        }
    }
}

// ---------------------------------------------------------------------------- time

/// 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, what RFC 3339 can write.
const FIRST_MS: i64 = -62_167_219_200_000;
const LAST_MS: i64 = 253_402_300_799_999;

fn at_ms(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap()
}

/// 9999-01-01T00:00:00Z: `httpdate` writes dates before it only.
const HTTPDATE_LAST: u64 = 253_370_764_800;

fn to_ms(time: OffsetDateTime) -> i64 {
    time.unix_timestamp_nanos().div_euclid(1_000_000) as i64
}

/// The `time` crate's writing of our format: milliseconds only when there are some.
fn reference_format(ms: i64) -> String {
    let time = at_ms(ms);
    let format = if ms.rem_euclid(1000) == 0 {
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z")
    } else {
        time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        )
    };
    time.format(&format).unwrap()
}

/// A valid RFC 3339 text for `ms` at `offset` minutes, with `digits` of fraction.
fn rfc3339_text(ms: i64, offset_minutes: i16, digits: usize, lower: bool) -> String {
    let offset = time::UtcOffset::from_whole_seconds(i32::from(offset_minutes) * 60).unwrap();
    let local = at_ms(ms).to_offset(offset);
    let mut text = local
        .format(&time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"))
        .unwrap();
    if digits > 0 {
        let nanos = format!("{:09}", local.nanosecond());
        text.push('.');
        for i in 0..digits {
            text.push(nanos.as_bytes().get(i).map_or('7', |&b| b as char));
        }
    }
    if offset_minutes == 0 && !lower {
        text.push('Z');
    } else if offset_minutes == 0 {
        text.push('z');
    } else {
        let (sign, minutes) = if offset_minutes < 0 { ('-', -offset_minutes) } else { ('+', offset_minutes) };
        text.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
    }
    if lower {
        text = text.replace('T', "t");
    }
    text
}

fn digit_or_punct() -> impl Strategy<Value = char> {
    prop::sample::select("0123456789-:+TtZz. 6".chars().collect::<Vec<_>>())
}

/// Our leniencies undone: whitespace around, a space for `T`, `+hhmm` offsets.
fn normalize_rfc3339(text: &str) -> String {
    let mut text = text.trim().to_owned();
    if matches!(text.as_bytes().get(10), Some(b' ' | b't')) {
        text.replace_range(10..11, "T");
    }
    let bytes = text.as_bytes();
    let n = bytes.len();
    if n >= 5
        && matches!(bytes[n - 5], b'+' | b'-')
        && bytes[n - 4..].iter().all(u8::is_ascii_digit)
        && n > 19
    {
        text.insert(n - 2, ':');
    }
    text
}

/// The second field of an RFC 3339 text (bytes 17–18).
fn second_field(text: &str) -> Option<&str> {
    text.trim().get(17..19)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn rfc3339_format_is_the_time_crates(ms in FIRST_MS..=LAST_MS) {
        let ours = format_rfc3339(ms);
        prop_assert_eq!(&ours, &reference_format(ms));
        // And the time crate reads it back to the same instant.
        prop_assert_eq!(to_ms(OffsetDateTime::parse(&ours, &Rfc3339).unwrap()), ms);
    }

    #[test]
    fn rfc3339_format_clamps_outside_its_years(ms in any::<i64>()) {
        prop_assert_eq!(format_rfc3339(ms), reference_format(ms.clamp(FIRST_MS, LAST_MS)));
    }

    #[test]
    fn rfc3339_parse_reads_what_the_time_crate_reads(
        ms in FIRST_MS + 86_400_000..=LAST_MS - 86_400_000,
        offset in -1439i16..=1439,
        digits in 0usize..10,
        lower in any::<bool>(),
    ) {
        let text = rfc3339_text(ms, offset, digits, lower);
        let theirs = to_ms(OffsetDateTime::parse(&text, &Rfc3339).unwrap());
        prop_assert_eq!(parse_rfc3339(&text), Some(theirs), "{}", text);
    }

    #[test]
    fn rfc3339_mutated_text_is_refused_by_both_or_neither(
        ms in FIRST_MS + 86_400_000..=LAST_MS - 86_400_000,
        offset in -1439i16..=1439,
        digits in 0usize..5,
        edits in vec((any::<prop::sample::Index>(), any::<u8>(), digit_or_punct()), 1..3),
    ) {
        let text = mutate(&rfc3339_text(ms, offset, digits, false), &edits);
        let ours = parse_rfc3339(&text);
        let normalized = normalize_rfc3339(&text);
        let separator = normalized.as_bytes().get(10).copied();
        let theirs = OffsetDateTime::parse(&normalized, &Rfc3339)
            .ok()
            .map(to_ms)
            // The time crate takes any byte between date and time; we take only T.
            .filter(|_| separator == Some(b'T'));
        if second_field(&text) == Some("60") {
            // A leap second: we read it as the next second anywhere; the time crate only
            // at the end of a UTC month, as 59.999999999. Both read it or neither.
            return Ok(());
        }
        prop_assert_eq!(ours, theirs, "{:?} (normalized {:?})", text, normalized);
    }

    /// Every field at and past its bounds: both read the text or neither does, to the
    /// same instant. A second of 60 is the documented difference: ours reads it as the
    /// second after :59, anywhere.
    #[test]
    fn rfc3339_fields_at_their_bounds(
        // Centuries and the ends of February often: the leap-year rule's corners.
        (year, month, day) in (
            prop_oneof![0u32..=9999, (0u32..100).prop_map(|c| c * 100), (0u32..2500).prop_map(|y| y * 4)],
            prop_oneof![0u32..=13, Just(2)],
            prop_oneof![0u32..=32, 28u32..=31],
        ),
        (hour, minute, second) in (0u32..=24, 0u32..=60, 0u32..=60),
        fraction in "[0-9]{0,12}",
        offset in prop_oneof![Just(None), (any::<bool>(), 0u32..=25, 0u32..=61).prop_map(Some)],
    ) {
        let clock = |second: u32| {
            let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
            if !fraction.is_empty() {
                text.push('.');
                text.push_str(&fraction);
            }
            match offset {
                None => text.push('Z'),
                Some((west, h, m)) => text.push_str(&format!("{}{h:02}:{m:02}", if west { '-' } else { '+' })),
            }
            text
        };
        let text = clock(second);
        let theirs = OffsetDateTime::parse(&text, &Rfc3339).ok().map(to_ms);
        if second == 60 {
            let before = OffsetDateTime::parse(&clock(59), &Rfc3339).ok().map(to_ms);
            prop_assert_eq!(parse_rfc3339(&text), before.map(|ms| ms + 1000), "{}", text);
        } else {
            prop_assert_eq!(parse_rfc3339(&text), theirs, "{}", text);
        }
    }

    #[test]
    fn http_date_reads_what_httpdate_writes(seconds in 0u64..HTTPDATE_LAST) {
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        let text = httpdate::fmt_http_date(time);
        prop_assert_eq!(parse_http_date(&text), Some(seconds as i64 * 1000), "{}", text);
    }

    #[test]
    fn http_date_mutated_text_agrees_with_httpdate(
        seconds in 0u64..HTTPDATE_LAST,
        edits in vec(
            (any::<prop::sample::Index>(), any::<u8>(), prop::sample::select("0123456789 :,GMTJanFebWedSun\t".chars().collect::<Vec<_>>())),
            1..3,
        ),
    ) {
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        let text = mutate(&httpdate::fmt_http_date(time), &edits);
        let theirs = httpdate::parse_http_date(&text)
            .ok().map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 * 1000);
        match (parse_http_date(&text), theirs) {
            (Some(ours), Some(theirs)) => prop_assert_eq!(ours, theirs, "{:?}", text),
            (None, None) => {}
            // httpdate also reads RFC 850 and asctime dates, which we do not.
            (None, Some(_)) => prop_assert!(!text.contains(" GMT") || text.contains('-'), "{:?}", text),
            (Some(ours), None) => {
                // We do not check the weekday and split on any whitespace: the text must
                // be httpdate's writing of our instant, up to those two.
                // httpdate refuses years before 1970 (a SystemTime before the epoch),
                // which we read, and writes none from 9999 on.
                if !(0..HTTPDATE_LAST as i64 * 1000).contains(&ours) {
                    return Ok(());
                }
                let words = |t: &str| t.split_ascii_whitespace().skip(1).map(str::to_owned).collect::<Vec<_>>();
                let canonical = httpdate::fmt_http_date(
                    std::time::UNIX_EPOCH + std::time::Duration::from_millis(ours as u64),
                );
                let leap = words(&text).get(3).is_some_and(|clock| clock.ends_with(":60"));
                prop_assert!(leap || words(&text) == words(&canonical), "{:?} vs {:?}", text, canonical);
            }
        }
    }
}
