//! Server-side rendering: with the `ssr` feature the bar renders to HTML natively,
//! touching no browser API. The markup is compared with `tests/fixtures/ssr-bar.html`,
//! which the hydration test (`tests/hydrate.rs`) hydrates in the browser; run with
//! `UPDATE_FIXTURES=1` to rewrite it after an intended change.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(feature = "ssr")]

use leptos::prelude::*;
use staff_bar::{Impersonation, Session, Side};

#[path = "support/sample.rs"]
mod sample;

fn render(session: Option<Session>, side: Side) -> String {
    let owner = Owner::new();
    owner.with(|| {
        view! { <Impersonation session=Signal::stored(session) sign_out_url="/auth/sign-out" side=side /> }
            .to_html()
    })
}

/// The opening tag of the bar's root (inside the component's host element).
fn root_tag(html: &str) -> &str {
    let start = html.find("<div role=\"region\"").expect("the bar's root");
    html[start..].split('>').next().unwrap_or_default()
}

fn sample() -> Option<Session> {
    Session::from_json(sample::SAMPLE_SESSION).unwrap()
}

#[test]
fn renders_the_bar_to_html() {
    let html = render(sample(), Side::Bottom);
    for needle in [
        r#"role="region""#,
        r#"aria-label="Impersonation""#,
        r#"part="frame""#,
        r#"part="bar""#,
        r#"part="message""#,
        r#"part="user""#,
        r#"part="organization""#,
        r#"part="stop""#,
        r#"part="minimize""#,
        r#"part="restore""#,
        r#"data-side="bottom""#,
        "bob@acme.test",
        "Acme",
        "You are impersonating",
        "<style>",
        "--workos-impersonation-size",
    ] {
        assert!(html.contains(needle), "missing {needle} in {html}");
    }
    let root = root_tag(&html);
    assert!(!root.contains("data-minimized"), "starts expanded: {root}");
    assert!(!html.contains("role=\"alert\""), "no error before Stop");
}

#[test]
fn default_markup_has_no_style_attribute_and_a_custom_z_index_does() {
    let html = render(sample(), Side::Bottom);
    let root = root_tag(&html);
    assert!(!root.contains("style="), "a strict CSP refuses style attributes: {root}");
    let owner = Owner::new();
    let custom =
        owner.with(|| view! { <Impersonation session=Signal::stored(sample()) z_index=42 /> }.to_html());
    assert!(root_tag(&custom).contains("z-index:42"), "{custom}");
}

#[test]
fn renders_top_side() {
    assert!(render(sample(), Side::Top).contains(r#"data-side="top""#));
}

/// Only the empty host the browser's bar mounts into (it takes no space: the
/// stylesheet gives it `display: contents`).
#[test]
fn renders_only_an_empty_host_when_not_impersonating() {
    let html = render(None, Side::Bottom);
    assert_eq!(html, r#"<div class="staff-bar-host"></div>"#);
}

#[test]
fn escapes_hostile_text() {
    let session = Session::from_json(
        r#"{"user":{"email":"<script>alert(1)</script>"},"impersonator":{"email":"a@x.test"},"organization":{"name":"<img src=x onerror=alert(1)>"}}"#,
    )
    .unwrap();
    let html = render(session, Side::Bottom);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
}

#[test]
fn matches_the_hydration_fixture() {
    let html = render(sample(), Side::Bottom);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(sample::SSR_FIXTURE);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &html).unwrap();
    }
    let fixture = std::fs::read_to_string(&path).expect("run with UPDATE_FIXTURES=1 to create the fixture");
    assert_eq!(html, fixture, "the SSR markup changed; rerun with UPDATE_FIXTURES=1 if intended");
}
