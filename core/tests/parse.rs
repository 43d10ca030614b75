//! Native tests of the session JSON and access-token parsers: every valid shape reads,
//! every malformed one is a typed error, none panics.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "support/jwt.rs"]
mod jwt_support;

use jwt_support::{base64url, jwt};
use staff_bar_core::json::JsonErrorKind;
use staff_bar_core::time::parse_rfc3339;
use staff_bar_core::token::{decode_base64url, decode_claims, TokenError};
use staff_bar_core::{Reading, Session, SessionError};

const CAMEL: &str = r#"{
  "user": { "id": "user_01", "email": "bob@acme.test", "firstName": "Bob", "lastName": "Ng",
            "profilePictureUrl": null, "emailVerified": true },
  "impersonator": { "email": "ada@support.test", "reason": "Ticket 4521" },
  "organizationId": "org_01",
  "organization": { "id": "org_01", "name": "Acme" },
  "sessionId": "session_01",
  "expiresAt": "2026-11-25T13:00:00Z",
  "role": "member",
  "permissions": ["read", "write"]
}"#;

const SNAKE: &str = r#"{
  "user": { "id": "user_01", "email": "bob@acme.test", "first_name": "Bob", "last_name": "Ng" },
  "impersonator": { "email": "ada@support.test", "reason": "Ticket 4521" },
  "organization_id": "org_01",
  "organization": { "id": "org_01", "name": "Acme" },
  "session_id": "session_01",
  "expires_at": "2026-11-25T13:00:00Z"
}"#;

fn impersonating(text: &str) -> Session {
    match Session::from_json(text) {
        Ok(Some(session)) => session,
        other => panic!("expected an impersonation for {text}, got {other:?}"),
    }
}

#[test]
fn camel_case_reads_every_field() {
    let session = impersonating(CAMEL);
    assert_eq!(session.user.id.as_deref(), Some("user_01"));
    assert_eq!(session.user.email, "bob@acme.test");
    assert_eq!(session.user.first_name.as_deref(), Some("Bob"));
    assert_eq!(session.user.last_name.as_deref(), Some("Ng"));
    assert_eq!(session.impersonator.email, "ada@support.test");
    assert_eq!(session.impersonator.reason.as_deref(), Some("Ticket 4521"));
    assert_eq!(session.organization_name(), Some("Acme"));
    assert_eq!(session.organization.as_ref().and_then(|o| o.id.as_deref()), Some("org_01"));
    assert_eq!(session.session_id.as_deref(), Some("session_01"));
    assert_eq!(session.expires_at, Some(1_795_611_600_000));
}

#[test]
fn snake_case_reads_the_same() {
    assert_eq!(impersonating(SNAKE), impersonating(CAMEL));
}

#[test]
fn only_user_and_impersonator_are_required() {
    let session =
        impersonating(r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@support.test"}}"#);
    assert_eq!(session.user.id, None);
    assert_eq!(session.user.first_name, None);
    assert_eq!(session.impersonator.reason, None);
    assert_eq!(session.organization, None);
    assert_eq!(session.session_id, None);
    assert_eq!(session.expires_at, None);
    assert_eq!(session.server_time, None);
}

#[test]
fn null_reason_and_null_optionals_are_accepted() {
    let session = impersonating(
        r#"{"user":{"email":"b@x.test","firstName":null},"impersonator":{"email":"a@x.test","reason":null},
            "organization":null,"organizationId":null,"sessionId":null,"expiresAt":null,"accessToken":null}"#,
    );
    assert_eq!(session.impersonator.reason, None);
    assert_eq!(session.organization, None);
}

#[test]
fn organization_id_without_name_has_no_name() {
    let session = impersonating(
        r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"a@x.test"},"organizationId":"org_9"}"#,
    );
    assert_eq!(session.organization_name(), None);
    assert_eq!(session.organization.and_then(|o| o.id).as_deref(), Some("org_9"));
}

#[test]
fn not_impersonating_shapes_are_none() {
    for text in [
        r#"{"user":{"email":"b@x.test"},"impersonator":null}"#,
        r#"{"user":null,"impersonator":{"email":"a@x.test"}}"#,
        r#"{"user":{"email":"b@x.test"}}"#,
        r#"{"impersonator":{"email":"a@x.test"}}"#,
        r#"{}"#,
        r#"{"user":null,"impersonator":null}"#,
    ] {
        assert_eq!(Session::from_json(text), Ok(None), "{text}");
    }
}

#[test]
fn access_token_alone_supplies_impersonator_session_and_org() {
    let token = jwt(
        r#"{"sub":"user_01","sid":"session_77","org_id":"org_5","act":{"sub":"ada@support.test"},"exp":1,"iat":0}"#,
    );
    let text = String::from(r#"{"user":{"email":"bob@acme.test"},"accessToken":""#) + &token + "\"}";
    let session = impersonating(&text);
    assert_eq!(session.impersonator.email, "ada@support.test");
    assert_eq!(session.impersonator.reason, None);
    assert_eq!(session.session_id.as_deref(), Some("session_77"));
    assert_eq!(session.organization.and_then(|o| o.id).as_deref(), Some("org_5"));
    // The token's `exp` is the access token's expiry, never the impersonation's.
    assert_eq!(session.expires_at, None);
}

#[test]
fn the_tokens_impersonator_claim_gives_the_reason() {
    // As WorkOS writes an impersonation's token: `act` and, beside it, `impersonator`.
    let token = jwt(
        r#"{"sub":"user_01","sid":"s_1","act":{"sub":"ada@support.test"},"impersonator":{"email":"ada@support.test","reason":"Ticket 9: <b>x</b>"}}"#,
    );
    let text = String::from(r#"{"user":{"email":"bob@acme.test"},"accessToken":""#) + &token + "\"}";
    let session = impersonating(&text);
    assert_eq!(session.impersonator.email, "ada@support.test");
    assert_eq!(session.impersonator.reason.as_deref(), Some("Ticket 9: <b>x</b>"));
    // Display only: a claim of any other shape gives no reason and fails nothing; the
    // actor is still `act.sub`, and without `act` nobody is impersonating.
    for claim in [r#""why""#, "null", "[1]", r#"{"reason":7}"#, r#"{"email":"x@y.test"}"#] {
        let payload = format!(r#"{{"sub":"u","act":{{"sub":"ada@x.test"}},"impersonator":{claim}}}"#);
        let text = String::from(r#"{"user":{"email":"b@x.test"},"accessToken":""#) + &jwt(&payload) + "\"}";
        let session = impersonating(&text);
        assert_eq!(
            (session.impersonator.email.as_str(), session.impersonator.reason),
            ("ada@x.test", None),
            "{claim}"
        );
    }
    let payload = r#"{"sub":"u","impersonator":{"email":"ada@x.test","reason":"r"}}"#;
    let text = String::from(r#"{"user":{"email":"b@x.test"},"accessToken":""#) + &jwt(payload) + "\"}";
    assert_eq!(Session::from_json(&text), Ok(None));
    // Explicit fields still win.
    let text = String::from(
        r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"json@x.test","reason":null},"accessToken":""#,
    ) + &token
        + "\"}";
    assert_eq!(impersonating(&text).impersonator.reason, None);
}

#[test]
fn explicit_fields_win_over_the_token() {
    let token =
        jwt(r#"{"sub":"user_01","sid":"from_token","org_id":"org_token","act":{"sub":"token@x.test"}}"#);
    let text = String::from(
        r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"json@x.test","reason":"why"},"sessionId":"from_json","organizationId":"org_json","access_token":""#,
    ) + &token
        + "\"}";
    let session = impersonating(&text);
    assert_eq!(session.impersonator.email, "json@x.test");
    assert_eq!(session.session_id.as_deref(), Some("from_json"));
    assert_eq!(session.organization.and_then(|o| o.id).as_deref(), Some("org_json"));
}

#[test]
fn token_without_act_is_not_impersonating() {
    let token = jwt(r#"{"sub":"user_01","sid":"s"}"#);
    let text = String::from(r#"{"user":{"email":"b@x.test"},"accessToken":""#) + &token + "\"}";
    assert_eq!(Session::from_json(&text), Ok(None));
}

#[test]
fn bad_json_is_a_json_error() {
    for text in
        ["", "{", "{\"user\":", "[1,2", "nul", "{\"a\":1,}", "{'a':1}", "\"\\x\"", "01", "1.", "-", "{} {}"]
    {
        assert!(matches!(Session::from_json(text), Err(SessionError::Json(_))), "{text:?}");
    }
}

#[test]
fn json_errors_have_kinds_and_offsets() {
    let Err(SessionError::Json(error)) = Session::from_json("{\"a\": tru}") else { panic!() };
    assert_eq!(error.kind, JsonErrorKind::UnexpectedCharacter);
    assert_eq!(error.offset, 6);
    let Err(SessionError::Json(error)) = Session::from_json("\"a\u{1}b\"") else { panic!() };
    assert_eq!(error.kind, JsonErrorKind::ControlCharacter);
    // Deep, but JSON: read (its depths past the cap skipped), and not a session object.
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    assert_eq!(Session::from_json(&deep), Err(SessionError::NotAnObject));
    let Err(SessionError::Json(error)) = Session::from_json(&deep[..19_999]) else { panic!() };
    assert_eq!(error.kind, JsonErrorKind::UnexpectedEnd);
}

#[test]
fn a_member_nested_seventy_deep_does_not_hide_the_bar() {
    let deep = "{\"k\":".repeat(70) + "null" + &"}".repeat(70);
    let text = String::from(r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"a@x.test"},"x":"#)
        + &deep
        + "}";
    let session = Session::from_json(&text).unwrap().expect("a session");
    assert_eq!(session.impersonator.email, "a@x.test");
    // Nested a million levels (an array this time), on a 2 MB stack or less: still read.
    let deep = "[".repeat(1_000_000) + &"]".repeat(1_000_000);
    let text = String::from(r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"a@x.test"},"x":"#)
        + &deep
        + "}";
    assert!(Session::from_json(&text).unwrap().is_some());
}

#[test]
fn an_opaque_or_broken_token_beside_an_impersonator_is_dropped() {
    let header = base64url(br#"{"alg":"RS256"}"#);
    for token in [
        "opaque-token-0123456789".to_owned(),
        "abc.def".to_owned(),
        header.clone() + ".!!!!.c2ln",
        jwt(r#"{"act":"a@x.test"}"#),
    ] {
        let text = String::from(
            r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"a@x.test"},"accessToken":""#,
        ) + &token
            + "\"}";
        let reading = Session::read_json(&text).expect(&token);
        let session = reading.session.expect("the bar shows");
        assert_eq!(session.impersonator.email, "a@x.test");
        assert!(
            matches!(reading.ignored.as_slice(), [SessionError::Token(_)]),
            "{token}: {:?}",
            reading.ignored
        );
    }
    // A token that is not even a string, beside an impersonator: dropped too.
    let text = r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"a@x.test"},"accessToken":5}"#;
    let reading = Session::read_json(text).unwrap();
    assert!(reading.session.is_some());
    assert_eq!(reading.ignored.len(), 1);
    // `impersonator: null` says nobody impersonates, whatever the token.
    let text = r#"{"user":{"email":"b@x.test"},"impersonator":null,"accessToken":"opaque"}"#;
    assert_eq!(Session::from_json(text), Ok(None));
    // Without `impersonator`, the token is what names the actor: a broken one still fails.
    let text = r#"{"user":{"email":"b@x.test"},"accessToken":"opaque"}"#;
    assert!(matches!(Session::from_json(text), Err(SessionError::Token(_))));
}

#[test]
fn half_a_surrogate_pair_reads_as_a_replacement_character() {
    // `"🙂".slice(0, 1)` in a reason: valid JSON that `JSON.parse` accepts.
    let text = r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"a@x.test","reason":"a\ud83d b \ude42\ud83d\ude42"}}"#;
    let session = impersonating(text);
    assert_eq!(session.impersonator.reason.as_deref(), Some("a\u{FFFD} b \u{FFFD}\u{1F642}"));
}

#[test]
fn a_bad_optional_field_is_dropped_and_the_bar_stays() {
    let text = r#"{"user":{"email":"b@x.test","firstName":7},"impersonator":{"email":"a@x.test"},
        "organization":"Acme","expiresAt":"2026-11-25T13:00:00","serverTime":"yesterday","sessionId":"s_1"}"#;
    let reading = Session::read_json(text).expect("a bar");
    let session = reading.session.expect("still impersonating");
    assert_eq!((session.user.first_name, session.organization, session.expires_at), (None, None, None));
    assert_eq!(session.session_id.as_deref(), Some("s_1"));
    let fields: Vec<&str> = reading
        .ignored
        .iter()
        .map(|error| match error {
            SessionError::WrongType { field, .. } | SessionError::InvalidTime { field } => *field,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(fields, ["user.firstName", "organization", "expiresAt", "serverTime"]);
    assert!(reading.ignored[2].ignored_message().contains("expiresAt is not an ISO 8601"));
    // What decides the bar still decides it.
    let bad_email = r#"{"user":{"email":7},"impersonator":{"email":"a@x.test"}}"#;
    assert!(matches!(
        Session::read_json(bad_email),
        Err(SessionError::WrongType { field: "user.email", .. })
    ));
}

#[test]
fn non_objects_are_refused() {
    for text in ["[]", "null", "\"user\"", "42", "true"] {
        assert_eq!(Session::from_json(text), Err(SessionError::NotAnObject), "{text}");
    }
}

#[test]
fn wrong_types_name_the_field() {
    // These decide whether there is a bar at all: the whole session is refused.
    let refused = [
        (r#"{"user":"bob","impersonator":{"email":"a@x.test"}}"#, "user"),
        (r#"{"user":{"email":42},"impersonator":{"email":"a@x.test"}}"#, "user.email"),
        (r#"{"user":{"email":"b@x.test"},"impersonator":["a"]}"#, "impersonator"),
        (r#"{"user":{"email":"b@x.test"},"accessToken":12}"#, "accessToken"),
    ];
    for (text, field) in refused {
        match Session::from_json(text) {
            Err(SessionError::WrongType { field: got, .. }) => assert_eq!(got, field, "{text}"),
            other => panic!("{text}: expected a wrong-type error, got {other:?}"),
        }
    }
    // Optional fields: dropped, named, and the bar still shows.
    let dropped = [
        (r#""impersonator":{"email":"a@x.test","reason":7}"#, "impersonator.reason"),
        (r#""impersonator":{"email":"a@x.test"},"organization":"Acme""#, "organization"),
        (r#""impersonator":{"email":"a@x.test"},"organization":{"name":1}"#, "organization.name"),
        (r#""impersonator":{"email":"a@x.test"},"sessionId":{}"#, "sessionId"),
        (
            r#""impersonator":{"email":"a@x.test"},"user":{"email":"b@x.test","firstName":false}"#,
            "user.firstName",
        ),
        (r#""impersonator":{"email":"a@x.test"},"expiresAt":1700000000"#, "expiresAt"),
    ];
    for (members, field) in dropped {
        // The user comes first; a later `user` member replaces it, as in `JSON.parse`.
        let text = String::from(r#"{"user":{"email":"b@x.test"},"#) + members + "}";
        match Session::read_json(&text) {
            Ok(Reading { session: Some(_), ignored, .. }) => match ignored.as_slice() {
                [SessionError::WrongType { field: got, .. }] => assert_eq!(*got, field, "{text}"),
                other => panic!("{text}: {other:?}"),
            },
            other => panic!("{text}: expected the field dropped, got {other:?}"),
        }
    }
}

#[test]
fn missing_emails_are_reported() {
    assert_eq!(
        Session::from_json(r#"{"user":{"id":"u"},"impersonator":{"email":"a@x.test"}}"#),
        Err(SessionError::Missing { field: "user.email" })
    );
    assert_eq!(
        Session::from_json(r#"{"user":{"email":"b@x.test"},"impersonator":{"reason":"r"}}"#),
        Err(SessionError::Missing { field: "impersonator.email" })
    );
}

#[test]
fn bad_times_are_dropped_and_reported() {
    for time in
        ["tomorrow", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-25T13:00:00", "2026-11-25", ""]
    {
        let text =
            String::from(r#"{"user":{"email":"b@x.test"},"impersonator":{"email":"a@x.test"},"expiresAt":""#)
                + time
                + "\"}";
        let reading = Session::read_json(&text).expect(time);
        assert_eq!(reading.ignored, [SessionError::InvalidTime { field: "expiresAt" }], "{time}");
        assert_eq!(reading.session.map(|session| session.expires_at), Some(None), "{time}");
    }
}

fn token_error(token: &str) -> TokenError {
    let text = String::from(r#"{"user":{"email":"b@x.test"},"accessToken":""#) + token + "\"}";
    match Session::from_json(&text) {
        Err(SessionError::Token(error)) => error,
        other => panic!("{token}: expected a token error, got {other:?}"),
    }
}

#[test]
fn malformed_tokens_are_token_errors() {
    let header = base64url(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = base64url(br#"{"act":{"sub":"a@x.test"}}"#);
    let with_payload = |payload: &str| header.clone() + "." + payload + ".c2ln";
    assert_eq!(token_error("abc.def"), TokenError::WrongSegmentCount);
    assert_eq!(token_error(&(with_payload(&payload) + ".d")), TokenError::WrongSegmentCount);
    assert_eq!(token_error("nodots"), TokenError::WrongSegmentCount);
    assert_eq!(token_error(&with_payload("!!!!")), TokenError::InvalidBase64);
    assert_eq!(token_error(&with_payload("abcde")), TokenError::InvalidBase64);
    assert_eq!(token_error(&with_payload(&base64url(&[0xff, 0xfe, 0xfd]))), TokenError::NotUtf8);
    assert_eq!(
        token_error(&with_payload(&base64url(b"not json"))),
        TokenError::NotJson(JsonErrorKind::UnexpectedCharacter)
    );
    assert_eq!(token_error(&with_payload(&base64url(b"[1]"))), TokenError::NotAnObject);
    assert_eq!(token_error(&jwt(r#"{"act":"a@x.test"}"#)), TokenError::InvalidActor);
    assert_eq!(token_error(&jwt(r#"{"act":{"sub":5}}"#)), TokenError::InvalidActor);
    assert_eq!(token_error(&jwt(r#"{"act":{}}"#)), TokenError::InvalidActor);
    assert_eq!(token_error(&jwt(r#"{"sid":5,"act":{"sub":"a@x.test"}}"#)), TokenError::InvalidClaim);
}

#[test]
fn a_token_is_read_only_when_every_segment_has_its_shape() {
    // A valid payload naming an actor, under headers and signatures that are not a JWT's.
    let payload = base64url(br#"{"act":{"sub":"a@x.test"}}"#);
    for header in ["", "a", "!!!", &base64url(b"not json"), &base64url(b"[1]"), &base64url(&[0xff, 0xfe])] {
        let token = String::from(header) + "." + &payload + ".c2ln";
        assert_eq!(token_error(&token), TokenError::InvalidHeader, "{token}");
    }
    let header = base64url(br#"{"alg":"RS256"}"#);
    for signature in ["a", "!!", "c2ln.", "sig nature"] {
        let token = header.clone() + "." + &payload + "." + signature;
        assert!(
            matches!(token_error(&token), TokenError::InvalidSignature | TokenError::WrongSegmentCount),
            "{token}"
        );
    }
    assert!(decode_claims(&(header + "." + &payload + ".c2ln")).is_ok());
}

#[test]
fn base64_accepts_padding_and_both_alphabets() {
    assert_eq!(decode_base64url("aGk").as_deref(), Some(&b"hi"[..]));
    assert_eq!(decode_base64url("aGk=").as_deref(), Some(&b"hi"[..]));
    assert_eq!(decode_base64url("-_-_").as_deref(), decode_base64url("+/+/").as_deref());
    assert_eq!(decode_base64url("a"), None);
    assert_eq!(decode_base64url("a b"), None);
}

#[test]
fn claims_read_for_display() {
    let claims =
        decode_claims(&jwt(r#"{"sub":"user_1","sid":"s_1","org_id":"o_1","act":{"sub":"ada@x.test"}}"#))
            .unwrap();
    assert_eq!(claims.subject.as_deref(), Some("user_1"));
    assert_eq!(claims.actor.as_deref(), Some("ada@x.test"));
    assert_eq!(claims.session_id.as_deref(), Some("s_1"));
    assert_eq!(claims.organization_id.as_deref(), Some("o_1"));
}

#[test]
fn hostile_text_is_kept_verbatim() {
    let text = r#"{"user":{"email":"<img src=x onerror=alert(1)>\u202e@x.test"},"impersonator":{"email":"a@x.test","reason":"<script>alert(1)</script>"}}"#;
    let session = impersonating(text);
    assert_eq!(session.user.email, "<img src=x onerror=alert(1)>\u{202e}@x.test");
    assert_eq!(session.impersonator.reason.as_deref(), Some("<script>alert(1)</script>"));
}

#[test]
fn unicode_escapes_decode() {
    let session = impersonating(
        r#"{"user":{"email":"\u00e9\ud83d\ude00@x.test"},"impersonator":{"email":"a\/b@x.test"}}"#,
    );
    assert_eq!(session.user.email, "é😀@x.test");
    assert_eq!(session.impersonator.email, "a/b@x.test");
}

#[test]
fn huge_strings_do_not_break_anything() {
    let email = "a".repeat(1 << 20);
    let text = String::from(r#"{"user":{"email":""#) + &email + r#""},"impersonator":{"email":"a@x.test"}}"#;
    assert_eq!(impersonating(&text).user.email.len(), 1 << 20);
}

#[test]
fn rfc3339_times() {
    assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(parse_rfc3339("1970-01-01T01:00:00+01:00"), Some(0));
    assert_eq!(parse_rfc3339("1969-12-31T19:00:00-0500"), Some(0));
    assert_eq!(parse_rfc3339("2000-02-29T12:30:15.250Z"), Some(951_827_415_250));
    assert_eq!(parse_rfc3339("2026-11-25t13:00:00z"), Some(1_795_611_600_000));
    assert_eq!(parse_rfc3339("2001-02-29T00:00:00Z"), None);
    assert_eq!(parse_rfc3339("2026-11-25T24:00:00Z"), None);
    assert_eq!(parse_rfc3339("2026-11-25T13:00:00.Z"), None);
    assert_eq!(parse_rfc3339("2026-11-25T13:00:00Zjunk"), None);
}

mod countdown {
    use staff_bar_core::time::{remaining_ms, Countdown};

    #[test]
    fn minutes_round_up_and_change_exactly_once_a_minute() {
        assert_eq!(
            Countdown::at(42 * 60_000),
            Countdown::Minutes { minutes: 42, warning: false, next_change_ms: 60_000 }
        );
        assert_eq!(
            Countdown::at(41 * 60_000 + 1),
            Countdown::Minutes { minutes: 42, warning: false, next_change_ms: 1 }
        );
        assert_eq!(
            Countdown::at(5 * 60_000 + 1),
            Countdown::Minutes { minutes: 6, warning: false, next_change_ms: 1 }
        );
        assert_eq!(
            Countdown::at(5 * 60_000),
            Countdown::Minutes { minutes: 5, warning: true, next_change_ms: 60_000 }
        );
    }

    #[test]
    fn the_last_minute_counts_seconds() {
        assert_eq!(Countdown::at(60_000), Countdown::Seconds { seconds: 60, next_change_ms: 1000 });
        assert_eq!(Countdown::at(2_500), Countdown::Seconds { seconds: 3, next_change_ms: 500 });
        assert_eq!(Countdown::at(1), Countdown::Seconds { seconds: 1, next_change_ms: 1 });
        assert!(Countdown::at(1).is_warning());
        assert_eq!(Countdown::at(0), Countdown::Ended);
        assert_eq!(Countdown::at(-5), Countdown::Ended);
        assert_eq!(Countdown::at(0).next_change_ms(), None);
    }

    #[test]
    fn huge_values_do_not_overflow() {
        assert!(matches!(Countdown::at(i64::MAX), Countdown::Minutes { .. }));
        assert_eq!(remaining_ms(i64::MAX, i64::MIN, i64::MIN), i64::MAX);
        assert_eq!(remaining_ms(1_000, 400, 100), 500);
    }
}

#[test]
fn http_dates() {
    use staff_bar_core::time::parse_http_date;
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(parse_http_date("Wed, 25 Nov 2026 13:00:00 GMT"), Some(1_795_611_600_000));
    assert_eq!(parse_http_date("Wed, 25 Nov 2026 13:00:00 UTC"), None);
    assert_eq!(parse_http_date("Wed, 25 Foo 2026 13:00:00 GMT"), None);
    assert_eq!(parse_http_date("Wed, 32 Nov 2026 13:00:00 GMT"), None);
    assert_eq!(parse_http_date("25 Nov 2026 13:00:00 GMT"), None);
    assert_eq!(parse_http_date(""), None);
}

#[test]
fn the_key_of_an_impersonation_tells_new_ones_apart() {
    let with_id = impersonating(CAMEL);
    assert_eq!(with_id.key(), "session_01");
    let at = |expires: &str| {
        let text =
            String::from(r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@support.test"}"#)
                + expires
                + "}";
        impersonating(&text).key()
    };
    assert_eq!(at(""), "ada@support.test>bob@acme.test");
    let first = at(r#","expiresAt":"2026-11-25T13:00:00Z""#);
    assert_eq!(first, at(r#","expires_at":"2026-11-25T13:00:00Z""#), "the same impersonation, either casing");
    assert_ne!(first, at(r#","expiresAt":"2026-11-25T14:05:00Z""#), "a new impersonation of the same pair");
    assert!(first.starts_with("ada@support.test>bob@acme.test@"), "{first}");
}
