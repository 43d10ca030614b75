//! Hydration (`hydrate` feature) in headless Chromium: the markup the server renders
//! (`tests/fixtures/ssr-bar.html`, checked by `tests/ssr.rs`) comes alive in place.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(all(target_arch = "wasm32", feature = "hydrate"))]

use leptos::prelude::*;
use staff_bar::{Impersonation, Session, Side};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/sample.rs"]
mod sample;
#[path = "support/browser.rs"]
mod support;
use support::sleep;

const SERVER_HTML: &str = include_str!("fixtures/ssr-bar.html");

#[wasm_bindgen_test]
async fn hydrates_server_markup_in_place() {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    container.set_inner_html(SERVER_HTML);
    document().body().unwrap().append_child(&container).unwrap();
    let stop_before = container.query_selector("[part=stop]").unwrap().expect("server markup has Stop");
    let bar_before = container.query_selector("[part=bar]").unwrap().unwrap();

    let session = Session::from_json(sample::SAMPLE_SESSION).unwrap();
    let _handle = leptos::mount::hydrate_from(container.clone(), move || {
        view! { <Impersonation session=Signal::stored(session) sign_out_url="/auth/sign-out" side=Side::Bottom /> }
    });
    sleep(30).await;

    let stop_after = container.query_selector("[part=stop]").unwrap().unwrap();
    assert!(stop_before.is_same_node(Some(&stop_after)), "hydration reuses the server's nodes");
    assert_eq!(container.query_selector_all("[part=stop]").unwrap().length(), 1, "nothing rendered twice");
    assert!(document().document_element().unwrap().has_attribute("data-impersonating"));

    // Event handlers are attached: minimize works on the hydrated markup.
    container.query_selector("[part=minimize]").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    sleep(30).await;
    assert!(bar_before.has_attribute("inert"), "the hydrated bar minimizes");
    let restore = container.query_selector("[part=restore]").unwrap().unwrap();
    assert!(!restore.has_attribute("hidden"));
}

/// A container holding `html` (the server's word: the fixture `tests/ssr.rs` checks).
fn container_with(html: &str) -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    container.set_inner_html(html);
    document().body().unwrap().append_child(&container).unwrap();
    container
}

/// What the browser sees after hydration matches what the server sent: no element
/// added, removed or replaced, no warning from tachys about a mismatch.
#[wasm_bindgen_test]
async fn hydration_keeps_every_server_node() {
    let container = container_with(SERVER_HTML);
    let before = elements(&container);
    let session = Session::from_json(sample::SAMPLE_SESSION).unwrap();
    let _handle = leptos::mount::hydrate_from(container.clone(), move || {
        view! { <Impersonation session=Signal::stored(session) sign_out_url="/auth/sign-out" side=Side::Bottom /> }
    });
    sleep(30).await;
    assert_same_elements(&container, &before);
    // The reason toggle's handler is attached too, and patches the same node.
    let reason = container.query_selector("[part=reason]").unwrap().unwrap();
    assert!(reason.has_attribute("hidden"));
    container
        .query_selector("[part=reason-toggle]")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    sleep(30).await;
    assert!(!reason.has_attribute("hidden"), "the hydrated toggle shows the reason");
    container.remove();
}

/// Every element of `container`, in document order.
fn elements(container: &HtmlElement) -> Vec<web_sys::Element> {
    let all = container.query_selector_all("*").unwrap();
    (0..all.length()).map(|i| all.item(i).unwrap().unchecked_into()).collect()
}

/// Hydration added, removed or replaced no element of `container`.
fn assert_same_elements(container: &HtmlElement, before: &[web_sys::Element]) {
    let after = elements(container);
    assert_eq!(after.len(), before.len(), "{}", container.inner_html());
    for (i, node) in before.iter().enumerate() {
        assert!(node.is_same_node(Some(&after[i])), "node {i} was replaced");
    }
}

/// The session as JSON text hydrates the same server markup in place.
#[wasm_bindgen_test]
async fn session_json_hydrates_in_place() {
    let container = container_with(SERVER_HTML);
    let before = elements(&container);
    let json = Signal::stored(Some(sample::SAMPLE_SESSION.to_owned()));
    let _handle = leptos::mount::hydrate_from(container.clone(), move || {
        view! { <Impersonation session_json=json sign_out_url="/auth/sign-out" side=Side::Bottom /> }
    });
    sleep(30).await;
    assert_same_elements(&container, &before);
    assert!(document().document_element().unwrap().has_attribute("data-impersonating"));
}

/// A bar the server rendered from a `server_session` is taken over with the session its
/// host carries: the browser passes none, makes no request, and the bar is live.
#[wasm_bindgen_test]
async fn a_carried_session_is_taken_over_in_place() {
    let container = container_with(include_str!("fixtures/ssr-bar-carried.html"));
    let before = elements(&container);
    let bar_before = container.query_selector("[part=bar]").unwrap().unwrap();
    let _handle = leptos::mount::hydrate_from(container.clone(), move || {
        view! { <Impersonation server_session=None sign_out_url="/auth/sign-out" side=Side::Bottom /> }
    });
    sleep(30).await;
    assert_same_elements(&container, &before);
    assert!(document().document_element().unwrap().has_attribute("data-impersonating"));
    container.query_selector("[part=minimize]").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    sleep(30).await;
    assert!(bar_before.has_attribute("inert"), "the taken-over bar minimizes");
}

/// A host the server left empty (nobody impersonated) stays empty.
#[wasm_bindgen_test]
async fn an_empty_host_stays_empty() {
    let container = container_with(r#"<div class="staff-bar-host"></div>"#);
    let _handle = leptos::mount::hydrate_from(container.clone(), move || {
        view! { <Impersonation server_session=None sign_out_url="/auth/sign-out" /> }
    });
    sleep(30).await;
    assert_eq!(container.inner_html(), r#"<div class="staff-bar-host"></div>"#);
}
