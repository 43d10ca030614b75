//! `Session` across the wire (the `serde` feature): what serde writes is the session
//! JSON, what it reads is exactly what `Session::from_json` reads, in both casings.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(all(feature = "serde", not(target_arch = "wasm32")))]

use proptest::prelude::*;
use staff_bar_core::time::{format_rfc3339, parse_rfc3339};
use staff_bar_core::{Impersonator, Organization, Session, User};

fn full() -> Session {
    Session::new(
        User::new("bob@acme.test").with_id("user_01").with_first_name("Bob").with_last_name("Ng"),
        Impersonator::new("ada@support.test").with_reason("Ticket 4521"),
    )
    .with_organization(Organization::new().with_id("org_01").with_name("Acme"))
    .with_session_id("session_01")
    .with_expires_at(parse_rfc3339("2026-11-25T13:00:00Z").unwrap())
    .with_server_time(parse_rfc3339("2026-11-25T12:18:00.250Z").unwrap())
}

#[test]
fn writes_the_session_json_in_camel_case() {
    let json: serde_json::Value = serde_json::to_value(full()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "user": { "id": "user_01", "email": "bob@acme.test", "firstName": "Bob", "lastName": "Ng" },
            "impersonator": { "email": "ada@support.test", "reason": "Ticket 4521" },
            "organizationId": "org_01",
            "organization": { "id": "org_01", "name": "Acme" },
            "sessionId": "session_01",
            "expiresAt": "2026-11-25T13:00:00Z",
            "serverTime": "2026-11-25T12:18:00.250Z"
        })
    );
}

#[test]
fn leaves_out_what_is_unknown_but_keeps_a_null_reason() {
    let mut session = full();
    session.user = User::new("bob@acme.test");
    session.impersonator.reason = None;
    session.organization = None;
    session.session_id = None;
    session.expires_at = None;
    session.server_time = None;
    let json = serde_json::to_string(&session).unwrap();
    assert_eq!(
        json,
        r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@support.test","reason":null}}"#
    );
}

#[test]
fn round_trips_through_serde_json() {
    let session = full();
    let text = serde_json::to_string(&session).unwrap();
    assert_eq!(serde_json::from_str::<Session>(&text).unwrap(), session);
    // And the browser's reader, which does not use serde, reads the same.
    assert_eq!(Session::from_json(&text).unwrap(), Some(session.clone()));
    // As a server function's answer or a resource: `Option<Session>`.
    let some = serde_json::to_string(&Some(session.clone())).unwrap();
    assert_eq!(serde_json::from_str::<Option<Session>>(&some).unwrap(), Some(session));
    assert_eq!(serde_json::from_str::<Option<Session>>("null").unwrap(), None);
}

#[test]
fn reads_snake_case_as_camel_case() {
    let snake = r#"{"user":{"id":"user_01","email":"bob@acme.test","first_name":"Bob","last_name":"Ng"},
        "impersonator":{"email":"ada@support.test","reason":"Ticket 4521"},
        "organization_id":"org_01","organization":{"id":"org_01","name":"Acme"},
        "session_id":"session_01","expires_at":"2026-11-25T13:00:00Z",
        "server_time":"2026-11-25T12:18:00.250Z"}"#;
    assert_eq!(serde_json::from_str::<Session>(snake).unwrap(), full());
}

#[test]
fn reads_what_the_browser_reader_reads_and_refuses_what_it_refuses() {
    let cases = [
        // The token fallback: `act.sub` is the impersonator.
        r#"{"user":{"email":"bob@acme.test"},"accessToken":"eyJhbGciOiJub25lIn0.eyJhY3QiOnsic3ViIjoiYWRhQHN1cHBvcnQudGVzdCJ9LCJzaWQiOiJzZXNzaW9uXzAxIn0.sig"}"#,
        r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@x.test"},"expiresAt":"2026-11-25T14:00:00+01:00"}"#,
        r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@x.test"},"organizationId":"org_9"}"#,
        r#"{"user":{"email":5},"impersonator":{"email":"ada@x.test"}}"#,
        r#"{"user":{"email":"bob@acme.test"},"impersonator":"ada"}"#,
        r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@x.test"},"expiresAt":"tomorrow"}"#,
        r#"{"user":{"email":"bob@acme.test"},"impersonator":null}"#,
        r#"[1,2]"#,
    ];
    for text in cases {
        let by_reader = Session::from_json(text);
        let by_serde = serde_json::from_str::<Session>(text);
        match (by_reader, by_serde) {
            (Ok(Some(expected)), Ok(read)) => assert_eq!(read, expected, "{text}"),
            (Ok(None), Err(error)) => {
                assert!(error.to_string().contains("nobody is impersonated"), "{text}: {error}")
            }
            (Err(expected), Err(error)) => {
                assert!(
                    error.to_string().contains(&expected.message()),
                    "{text}: {error} vs {}",
                    expected.message()
                )
            }
            (reader, serde) => panic!("{text}: the reader said {reader:?}, serde {serde:?}"),
        }
    }
}

#[test]
fn parts_read_alone() {
    let user: User = serde_json::from_str(r#"{"email":"bob@acme.test","first_name":"Bob"}"#).unwrap();
    assert_eq!(user.first_name.as_deref(), Some("Bob"));
    let organization: Organization = serde_json::from_str(r#"{"id":"org_01"}"#).unwrap();
    assert_eq!(organization.id.as_deref(), Some("org_01"));
    let impersonator: Impersonator = serde_json::from_str(r#"{"email":"ada@x.test","reason":null}"#).unwrap();
    assert_eq!(impersonator.reason, None);
    assert!(serde_json::from_str::<User>(r#"{"id":"user_01"}"#).is_err(), "email is required");
}

proptest! {
    /// Every instant RFC 3339 can write reads back as itself.
    #[test]
    fn rfc3339_written_reads_back(ms in -62_167_219_200_000i64..=253_402_300_799_999i64) {
        let text = format_rfc3339(ms);
        prop_assert_eq!(parse_rfc3339(&text), Some(ms), "{}", text);
    }

    /// Any session with any text in it survives serde_json and the browser reader.
    #[test]
    fn any_session_round_trips(
        email in "\\PC{1,40}",
        staff in "\\PC{1,40}",
        reason in proptest::option::of("\\PC{0,80}"),
        name in proptest::option::of("\\PC{0,20}"),
        expires in proptest::option::of(0i64..4_102_444_800_000),
    ) {
        let mut session = Session::new(User::new(email), Impersonator::new(staff));
        session.user.first_name = name;
        session.impersonator.reason = reason;
        session.expires_at = expires;
        let text = serde_json::to_string(&session).unwrap();
        prop_assert_eq!(serde_json::from_str::<Session>(&text).unwrap(), session.clone());
        prop_assert_eq!(Session::from_json(&session.to_json()).unwrap(), Some(session.clone()));
        prop_assert_eq!(Session::from_json(&text).unwrap(), Some(session));
    }

    /// `to_json` writes what serde writes, for any text and any of the optional parts.
    #[test]
    fn to_json_is_what_serde_writes(
        email in "\\PC{1,40}",
        id in proptest::option::of("[\\x00-\\x7f]{0,12}"),
        reason in proptest::option::of("\\PC{0,40}"),
        organization in proptest::option::of((proptest::option::of("\\PC{0,12}"), proptest::option::of("\\PC{0,12}"))),
        session_id in proptest::option::of("\\PC{0,12}"),
        server_time in proptest::option::of(-62_167_219_200_000i64..=253_402_300_799_999i64),
    ) {
        let mut session = Session::new(
            User::new(email).with_last_name("\"<\\>\u{7}"),
            Impersonator::new("ada@support.test"),
        );
        session.user.id = id;
        session.impersonator.reason = reason;
        session.organization = organization.map(|(id, name)| {
            let mut built = Organization::new();
            built.id = id;
            built.name = name;
            built
        });
        session.session_id = session_id;
        session.server_time = server_time;
        let ours: serde_json::Value = serde_json::from_str(&session.to_json()).unwrap();
        prop_assert_eq!(ours, serde_json::to_value(&session).unwrap());
    }
}

#[test]
fn to_json_writes_the_session_json() {
    let text = full().to_json();
    assert_eq!(
        text,
        concat!(
            r#"{"user":{"id":"user_01","email":"bob@acme.test","firstName":"Bob","lastName":"Ng"},"#,
            r#""impersonator":{"email":"ada@support.test","reason":"Ticket 4521"},"#,
            r#""organizationId":"org_01","organization":{"id":"org_01","name":"Acme"},"#,
            r#""sessionId":"session_01","expiresAt":"2026-11-25T13:00:00Z","serverTime":"2026-11-25T12:18:00.250Z"}"#
        )
    );
    assert_eq!(Session::from_json(&text).unwrap(), Some(full()));
}
