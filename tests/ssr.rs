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

/// The opening tag of the bar's root.
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

/// Only the host (which takes no space: `display: contents`) with the marker where a
/// bar would go.
#[test]
fn renders_only_the_host_when_not_impersonating() {
    let html = render(None, Side::Bottom);
    assert_eq!(html, r#"<div class="staff-bar-host"><!></div>"#);
}

/// The app's children replace the built-in message; the rest of the bar stays, and
/// text in them is escaped like any Leptos view's.
#[test]
fn children_replace_the_message() {
    let owner = Owner::new();
    let html = owner.with(|| {
        view! {
            <Impersonation session=Signal::stored(sample())>
                <span id="own">"Helping " {"<b>Bob</b>"}</span>
            </Impersonation>
        }
        .to_html()
    });
    assert!(html.contains(r#"<div part="message" class="sb-message"><span id="own">Helping "#), "{html}");
    assert!(html.contains("&lt;b&gt;Bob&lt;/b&gt;</span></div>"), "{html}");
    assert!(!html.contains("You are impersonating"), "{html}");
    for part in ["impersonator", "stop", "minimize", "restore"] {
        assert!(html.contains(&format!(r#"part="{part}""#)), "missing {part}: {html}");
    }
}

/// Rendering on one worker thread and dropping the owner on another (as a
/// multi-threaded server may) neither panics nor leaks thread-bound values.
#[test]
fn an_owner_rendered_on_one_thread_is_disposed_on_another() {
    let (owner, html) = std::thread::spawn(|| {
        let owner = Owner::new();
        let html = owner.with(|| {
            let stop = staff_bar::StopAction::new(|| async { Ok::<_, String>(String::from("/")) });
            view! { <Impersonation session=Signal::stored(sample()) stop_action=stop /> }.to_html()
        });
        (owner, html)
    })
    .join()
    .unwrap();
    assert!(html.contains(r#"part="stop""#));
    std::thread::spawn(move || drop(owner)).join().expect("disposed on another thread without a panic");
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
    check_fixture(sample::SSR_FIXTURE, &html);
}

/// `html` is the checked-in fixture at `path` (which the hydration test hydrates).
fn check_fixture(path: &str, html: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, html).unwrap();
    }
    let fixture = std::fs::read_to_string(&path).expect("run with UPDATE_FIXTURES=1 to create the fixture");
    assert_eq!(html, fixture, "the SSR markup changed; rerun with UPDATE_FIXTURES=1 if intended");
}

/// The session as JSON text renders exactly what the parsed session renders.
#[test]
fn session_json_renders_what_session_renders() {
    let owner = Owner::new();
    let from_json = owner.with(|| {
        let json = Signal::stored(Some(sample::SAMPLE_SESSION.to_owned()));
        view! { <Impersonation session_json=json sign_out_url="/auth/sign-out" side=Side::Bottom /> }
            .to_html()
    });
    assert_eq!(from_json, render(sample(), Side::Bottom));
}

/// Text that is not a session, or one that says nobody is impersonated, shows nothing.
#[test]
fn session_json_that_is_no_session_renders_no_bar() {
    for text in [r#"{"user":{"email":"bob@acme.test"}"#, r#"{"user":null,"impersonator":null}"#, "[]", ""] {
        let owner = Owner::new();
        let html = owner.with(|| {
            let json = Signal::stored(Some(text.to_owned()));
            view! { <Impersonation session_json=json sign_out_url="/auth/sign-out" /> }.to_html()
        });
        assert!(!html.contains("role=\"region\""), "{text}: {html}");
        assert!(html.contains("staff-bar-host"), "{html}");
    }
}

fn render_server_session(session: Option<Session>) -> String {
    let owner = Owner::new();
    owner.with(|| {
        view! { <Impersonation server_session=session sign_out_url="/auth/sign-out" side=Side::Bottom /> }
            .to_html()
    })
}

/// A `server_session` renders the same bar, and its host carries the session JSON for
/// the browser to take over (escaped as any attribute value).
#[test]
fn server_session_renders_the_bar_and_carries_the_session() {
    let html = render_server_session(sample());
    let start = html.find("data-session=\"").expect("the host carries the session") + "data-session=\"".len();
    let end = start + html[start..].find('"').unwrap();
    let carried = html[start..end].replace("&quot;", "\"").replace("&amp;", "&");
    assert_eq!(Session::from_json(&carried).unwrap(), sample());
    let without_attribute = format!("{}{}", &html[..start - " data-session=\"".len() + 1], &html[end + 2..]);
    assert_eq!(without_attribute, render(sample(), Side::Bottom));

    check_fixture(sample::CARRIED_FIXTURE, &html);
}

/// Without an impersonation the host is empty and carries nothing; hostile text in a
/// carried session stays text.
#[test]
fn server_session_without_an_impersonation_carries_nothing() {
    let html = render_server_session(None);
    assert!(!html.contains("data-session"), "{html}");
    assert!(!html.contains("role=\"region\""), "{html}");

    let hostile = Session::from_json(
        r#"{"user":{"email":"\"><script>alert(1)</script>"},"impersonator":{"email":"a@x.test"}}"#,
    )
    .unwrap();
    let html = render_server_session(hostile);
    assert!(!html.contains("<script>"), "{html}");
}
