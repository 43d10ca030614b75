#![allow(dead_code)]

// The session both the SSR test and the hydration test render, so the markup the
// server test writes is the markup the browser test hydrates.

pub const SAMPLE_SESSION: &str = r#"{"user":{"id":"user_01","email":"bob@acme.test"},
  "impersonator":{"email":"ada@support.test","reason":"Ticket 4521"},
  "organization":{"id":"org_01","name":"Acme"},"sessionId":"session_01"}"#;

/// The server-rendered markup, checked in so the browser test can hydrate it.
pub const SSR_FIXTURE: &str = "tests/fixtures/ssr-bar.html";

/// The same bar rendered from a `server_session`: its host carries the session.
pub const CARRIED_FIXTURE: &str = "tests/fixtures/ssr-bar-carried.html";
