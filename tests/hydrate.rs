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

/// A host holding what the server rendered for `server` (as the component's host does).
fn server_rendered(server: &Session) -> HtmlElement {
    use staff_bar::view::{html, Scene};
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    let settings = staff_bar::Settings::default();
    host.set_inner_html(&html(&Scene::at_rest(server.clone(), &settings), None, None));
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn sample_with(edit: impl FnOnce(&mut Session)) -> Session {
    let mut session = Session::from_json(sample::SAMPLE_SESSION).unwrap().unwrap();
    edit(&mut session);
    session
}

fn part(host: &HtmlElement, name: &str) -> web_sys::Element {
    host.query_selector(&format!("[part={name}]")).unwrap().unwrap_or_else(|| panic!("no part {name}"))
}

#[wasm_bindgen_test]
async fn markup_for_the_same_session_is_taken_over_even_with_crlf_in_the_reason() {
    let session = sample_with(|s| s.impersonator.reason = Some("Ticket 4521\r\nsecond line".into()));
    let host = server_rendered(&session);
    let stop_before = part(&host, "stop");
    let bar =
        staff_bar::Bar::hydrate(&host, staff_bar::Settings::default(), Some(session), |_| true).unwrap();
    assert!(stop_before.is_same_node(Some(&part(&host, "stop"))), "the server's nodes stay");
    assert_eq!(host.query_selector_all("[part=stop]").unwrap().length(), 1);
    bar.unmount();
    host.remove();
}

#[wasm_bindgen_test]
async fn markup_for_another_user_or_organization_is_rebuilt() {
    let client = sample_with(|_| ());
    for server in [
        sample_with(|s| s.user.email = "jimbob@acme.test".into()),
        sample_with(|s| s.organization = None),
        sample_with(|s| s.organization.as_mut().unwrap().name = Some("Acme Two".into())),
        sample_with(|s| s.expires_at = Some(4_000_000_000_000)),
    ] {
        let host = server_rendered(&server);
        let stop_before = part(&host, "stop");
        let bar =
            staff_bar::Bar::hydrate(&host, staff_bar::Settings::default(), Some(client.clone()), |_| true)
                .unwrap();
        assert!(!stop_before.is_same_node(Some(&part(&host, "stop"))), "rebuilt for {server:?}");
        assert_eq!(part(&host, "user").text_content().unwrap(), "bob@acme.test");
        assert_eq!(part(&host, "organization").text_content().unwrap(), "Acme");
        assert!(host.query_selector("[part=time-left]").unwrap().is_none(), "no server-only countdown");
        assert_eq!(host.query_selector_all("[part=bar]").unwrap().length(), 1, "nothing twice");
        bar.unmount();
        host.remove();
    }
}

/// A session from a `Resource` can still be on its way when the browser mounts: the
/// server's bar stays as it is until the session arrives, then is taken over in place.
#[wasm_bindgen_test]
async fn markup_waits_for_a_session_that_is_still_on_its_way() {
    use staff_bar::view::{html, Scene};
    let session = Session::from_json(sample::SAMPLE_SESSION).unwrap().unwrap();
    // What the component writes on the server: its host, the bar inside.
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    let bar = html(&Scene::at_rest(session.clone(), &staff_bar::Settings::default()), None, None);
    container.set_inner_html(&format!(r#"<div class="staff-bar-host">{bar}</div>"#));
    document().body().unwrap().append_child(&container).unwrap();
    let stop_before = part(&container, "stop");
    let arriving = RwSignal::new(None::<Session>);
    let _handle = leptos::mount::hydrate_from(container.clone(), move || {
        view! { <Impersonation session=arriving sign_out_url="/auth/sign-out" side=Side::Bottom /> }
    });
    sleep(50).await;
    assert!(stop_before.is_connected(), "not wiped while the session is on its way");
    assert_eq!(container.query_selector_all("[part=stop]").unwrap().length(), 1);

    arriving.set(Some(session));
    sleep(50).await;
    assert!(stop_before.is_same_node(Some(&part(&container, "stop"))), "taken over in place");
    assert_eq!(container.query_selector_all("[part=stop]").unwrap().length(), 1);
    container.remove();
}
