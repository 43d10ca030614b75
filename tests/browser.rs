//! `<Impersonation/>` in headless Chromium (wasm-bindgen-test, `csr` feature).
//!
//! Stop runs against the real test site server (`tests/site/server.mjs`), which
//! `make test` starts on `STAFF_BAR_TEST_PORT` and which records what it received.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(all(target_arch = "wasm32", feature = "csr"))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use staff_bar::{Align, Impersonation, Session, Side, StopAction, Theme};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/browser.rs"]
mod support;
use support::*;

const WITH_ORG: &str = r#"{"user":{"id":"user_01","email":"bob@acme.test"},
  "impersonator":{"email":"ada@support.test","reason":"Ticket 4521"},
  "organization":{"id":"org_01","name":"Acme"},"sessionId":"session_01"}"#;
const WITHOUT_ORG: &str = r#"{"user":{"email":"bob@acme.test"},"impersonator":{"email":"ada@support.test"}}"#;

fn session(text: &str) -> Option<Session> {
    Session::from_json(text).expect("test session parses")
}

/// Elements inside the component's host (which is always there, empty when nothing
/// is shown, and takes no space).
fn shown_elements(fixture: &Fixture) -> u32 {
    let host = fixture.container.query_selector(".staff-bar-host").unwrap().expect("the component's host");
    assert_eq!(fixture.container.child_element_count(), 1, "only the host");
    host.child_element_count()
}

fn given(text: &str) -> Signal<Option<Session>> {
    Signal::stored(session(text))
}

#[wasm_bindgen_test]
async fn renders_nothing_without_an_impersonation() {
    let none: Signal<Option<Session>> = Signal::stored(None);
    let fixture = Fixture::mount(move || view! { <Impersonation session=none /> });
    settle().await;
    assert_eq!(shown_elements(&fixture), 0, "{}", fixture.container.inner_html());
    assert!(!html_flag(), "no data-impersonating without an impersonation");
}

#[wasm_bindgen_test]
async fn shows_user_and_organization_with_parts_and_names() {
    let fixture = Fixture::mount(|| view! { <Impersonation session=given(WITH_ORG) /> });
    settle().await;
    let message = fixture.part("message");
    assert_eq!(text(&message), "You are impersonating bob@acme.test within the Acme organization");
    assert_eq!(text(&fixture.part("user")), "bob@acme.test");
    assert_eq!(text(&fixture.part("organization")), "Acme");
    for part in ["frame", "bar", "message", "user", "organization", "stop", "minimize", "restore"] {
        assert!(fixture.find(&format!("[part={part}]")).is_some(), "part {part} is missing");
    }
    let region = fixture.find("[role=region]").expect("a region landmark");
    assert_eq!(region.get_attribute("aria-label").as_deref(), Some("Impersonation"));
    assert!(accessible_name(&fixture.part("stop")).starts_with("Stop"));
    assert!(accessible_name(&fixture.part("minimize")).contains("Minimize"));
    assert!(accessible_name(&fixture.part("restore")).contains("Restore"));
    assert!(fixture.find("[part=error]").is_none());
    assert!(html_flag(), "data-impersonating is set while the bar shows");
    drop(fixture);
    assert!(!html_flag(), "data-impersonating is cleared on unmount");
}

#[wasm_bindgen_test]
async fn omits_the_organization_clause_without_a_name() {
    let fixture = Fixture::mount(|| view! { <Impersonation session=given(WITHOUT_ORG) /> });
    settle().await;
    assert_eq!(text(&fixture.part("message")), "You are impersonating bob@acme.test");
    assert!(fixture.find("[part=organization]").is_none());
}

#[wasm_bindgen_test]
async fn follows_a_session_signal() {
    let current = RwSignal::new(None::<Session>);
    let fixture = Fixture::mount(move || view! { <Impersonation session=current /> });
    settle().await;
    assert!(fixture.find("[part=bar]").is_none());
    current.set(session(WITH_ORG));
    settle().await;
    assert!(fixture.find("[part=bar]").is_some());
    current.set(None);
    settle().await;
    assert!(fixture.find("[part=bar]").is_none());
}

#[wasm_bindgen_test]
async fn tab_sits_on_the_chosen_edge() {
    let side = RwSignal::new(Side::Bottom);
    let fixture = Fixture::mount(move || view! { <Impersonation session=given(WITH_ORG) side=side /> });
    settle().await;
    let bar = fixture.part("bar");
    let viewport_height = window().inner_height().unwrap().as_f64().unwrap();
    // The tab stands on the band's inner edge: 4 px in, by default (authkit-nextjs's
    // "bottom by default" and "top with side").
    let rect = bar.get_bounding_client_rect();
    assert!((rect.bottom() - (viewport_height - 4.0)).abs() < 1.0, "bottom tab at {}", rect.bottom());
    side.set(Side::Top);
    settle().await;
    let rect = bar.get_bounding_client_rect();
    assert!((rect.top() - 4.0).abs() < 1.0, "top tab at {}", rect.top());
}

#[wasm_bindgen_test]
async fn minimize_and_restore() {
    let minimized = Arc::new(AtomicUsize::new(0));
    let restored = Arc::new(AtomicUsize::new(0));
    let (m, r) = (minimized.clone(), restored.clone());
    let fixture = Fixture::mount(move || {
        view! {
            <Impersonation
                session=given(WITH_ORG)
                on_minimize=move |_| { m.fetch_add(1, Ordering::SeqCst); }
                on_restore=move |_| { r.fetch_add(1, Ordering::SeqCst); }
            />
        }
    });
    settle().await;
    let bar = fixture.part("bar");
    let restore = fixture.part("restore");
    assert!(!bar.has_attribute("inert"));
    assert!(restore.has_attribute("hidden"));
    // A keyboard user on Minimize: focus must follow to Restore.
    fixture.part("minimize").unchecked_into::<HtmlElement>().focus().unwrap();
    fixture.click("minimize");
    settle().await;
    assert!(bar.has_attribute("inert"), "the hidden bar is inert");
    assert!(!restore.has_attribute("hidden"), "restore is shown");
    assert_eq!(minimized.load(Ordering::SeqCst), 1);
    wait_for("focus on restore", || {
        active_element().is_some_and(|e| e.get_attribute("part").as_deref() == Some("restore"))
    })
    .await;
    // Once the 500ms transition has run, the tab is out of sight.
    wait_for("the tab out of sight", || computed(&bar, "visibility") == "hidden").await;
    assert!(restore.get_bounding_client_rect().width() > 0.0);
    fixture.click("restore");
    settle().await;
    assert!(!bar.has_attribute("inert"));
    assert!(restore.has_attribute("hidden"));
    assert_eq!(restored.load(Ordering::SeqCst), 1);
    wait_for("focus on minimize", || {
        active_element().is_some_and(|e| e.get_attribute("part").as_deref() == Some("minimize"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn align_moves_the_tab_along_its_edge_and_theme_recolours_it() {
    let align = RwSignal::new(Align::Start);
    let theme = RwSignal::new(Theme::Dark);
    let fixture =
        Fixture::mount(move || view! { <Impersonation session=given(WITH_ORG) align=align theme=theme /> });
    settle().await;
    let bar = fixture.part("bar");
    let width = f64::from(document().document_element().unwrap().client_width());
    // Wider than a phone, the tab stands two band-widths in from its end.
    assert!(width > 480.0, "the test window is {width} px wide");
    let rect = bar.get_bounding_client_rect();
    assert!((rect.left() - 8.0).abs() < 1.0, "start: the tab's left at {}", rect.left());
    assert_eq!(computed(&bar, "background-color"), "rgb(43, 38, 0)", "the dark band");
    assert_eq!(computed(&fixture.part("message"), "color"), "rgb(252, 230, 84)", "yellow text");
    align.set(Align::End);
    theme.set(Theme::Light);
    settle().await;
    let rect = bar.get_bounding_client_rect();
    assert!((width - rect.right() - 8.0).abs() < 1.0, "end: the tab's right at {}", rect.right());
    assert_eq!(computed(&bar, "background-color"), "rgb(252, 230, 84)", "authkit-nextjs's yellow");
    // Back to the centre the tab slides (its transform is animated): it gets there.
    align.set(Align::Center);
    wait_for("the tab centred", || {
        let rect = bar.get_bounding_client_rect();
        (rect.left() - (width - rect.right())).abs() < 1.0
    })
    .await;
    let root = fixture.container.query_selector(".staff-bar").unwrap().unwrap();
    assert!(
        !root.has_attribute("data-align") && !root.has_attribute("data-theme"),
        "the defaults add nothing"
    );
}

#[wasm_bindgen_test]
async fn alt_shift_arrows_move_the_tab_and_the_place_is_remembered() {
    let storage = window().local_storage().unwrap().unwrap();
    storage.remove_item("staff-bar:place").unwrap();
    let fixture = Fixture::mount(|| view! { <Impersonation session=given(WITH_ORG) /> });
    settle().await;
    let bar = fixture.part("bar");
    let centre = bar.get_bounding_client_rect().left();
    let init = web_sys::KeyboardEventInit::new();
    init.set_alt_key(true);
    init.set_shift_key(true);
    init.set_code("ArrowRight");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let press = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    document().dispatch_event(&press).unwrap();
    settle().await;
    assert!(press.default_prevented(), "the shortcut is kept from the page");
    let style = bar.dyn_ref::<HtmlElement>().unwrap().style();
    assert_eq!(style.get_property_value("--sb-place").unwrap(), "0.6");
    let root = fixture.container.query_selector(".staff-bar").unwrap().unwrap();
    assert!(root.has_attribute("data-placed"));
    let stored = storage.get_item("staff-bar:place").unwrap().expect("the place is remembered");
    assert!(stored.starts_with("0.6 "), "{stored}");
    wait_for("the tab moved right", || bar.get_bounding_client_rect().left() > centre + 10.0).await;
    storage.remove_item("staff-bar:place").unwrap();
}

#[wasm_bindgen_test]
async fn css_variables_restyle_the_bar() {
    let style = "--workos-impersonation-background-color: rgb(1, 2, 3); --workos-impersonation-color: rgb(250, 251, 252); --workos-impersonation-size: 10px; --workos-impersonation-border-color: rgb(9, 8, 7)";
    let fixture = Fixture::mount(move || view! { <Impersonation session=given(WITH_ORG) style=style /> });
    settle().await;
    let bar = fixture.part("bar");
    assert_eq!(computed(&bar, "background-color"), "rgb(1, 2, 3)");
    assert_eq!(computed(&fixture.part("message"), "color"), "rgb(250, 251, 252)");
    assert_eq!(computed(&bar, "border-top-color"), "rgb(9, 8, 7)");
    assert_eq!(computed_before(&fixture.part("frame"), "top"), "-10px");
    drop(fixture);

    // Defaults, and the size clamp of authkit-nextjs (2px to 15px).
    let fixture = Fixture::mount(|| view! { <Impersonation session=given(WITH_ORG) /> });
    settle().await;
    assert_eq!(computed(&fixture.part("bar"), "background-color"), "rgb(252, 230, 84)");
    assert_eq!(computed(&fixture.part("message"), "color"), "rgb(26, 22, 0)");
    assert_eq!(computed_before(&fixture.part("frame"), "top"), "-4px");
    drop(fixture);
    let fixture = Fixture::mount(
        || view! { <Impersonation session=given(WITH_ORG) style="--workos-impersonation-size: 40px" /> },
    );
    settle().await;
    assert_eq!(computed_before(&fixture.part("frame"), "top"), "-15px");
}

#[wasm_bindgen_test]
async fn z_index_class_and_style_pass_through() {
    let fixture = Fixture::mount(|| view! { <Impersonation session=given(WITH_ORG) /> });
    settle().await;
    assert_eq!(computed(&fixture.root(), "z-index"), "9999");
    drop(fixture);
    let fixture = Fixture::mount(|| {
        view! { <Impersonation session=given(WITH_ORG) z_index=42 class="mine" style="outline: 3px solid red" /> }
    });
    settle().await;
    let root = fixture.root();
    assert_eq!(computed(&root, "z-index"), "42");
    assert!(root.class_list().contains("mine"));
    assert!(root.class_list().contains("staff-bar"));
    assert_eq!(computed(&root, "outline-width"), "3px");
}

#[wasm_bindgen_test]
async fn reads_camel_and_snake_case_from_session_url() {
    for name in ["impersonating", "snake"] {
        let url = server(&format!("/session/{name}"));
        let fixture = Fixture::mount(move || view! { <Impersonation session_url=url /> });
        wait_for("the fetched bar", || fixture.find("[part=message]").is_some()).await;
        assert_eq!(
            text(&fixture.part("message")),
            "You are impersonating bob@acme.test within the Acme organization"
        );
    }
}

#[wasm_bindgen_test]
async fn renders_nothing_for_sessions_that_are_not_impersonating() {
    for name in ["not-impersonating", "no-content", "unauthorized", "bad-json", "server-error"] {
        let url = server(&format!("/session/{name}"));
        let key = unique_key(name);
        let url = format!("{url}?key={key}");
        let asked = url.clone();
        let fixture = Fixture::mount(move || view! { <Impersonation session_url=asked.clone() /> });
        // The answer is in, and the tasks it resolves have run: the bar had its chance.
        wait_for("the session answer", || response_arrived(&url)).await;
        settle().await;
        assert_eq!(shown_elements(&fixture), 0, "{name}: {}", fixture.container.inner_html());
    }
}

#[wasm_bindgen_test]
async fn stop_posts_once_and_follows_redirect_to() {
    let key = unique_key("ok");
    let url = server(&format!("/sign-out/ok?key={key}"));
    let signed_out = Arc::new(AtomicUsize::new(0));
    let counter = signed_out.clone();
    let fixture = Fixture::mount(move || {
        view! {
            <Impersonation
                session=given(WITH_ORG)
                sign_out_url=url
                return_to="/home"
                csrf_token="token-123"
                on_signed_out=move |_| { counter.fetch_add(1, Ordering::SeqCst); }
            />
        }
    });
    settle().await;
    fixture.click("stop");
    fixture.click("stop");
    fixture.click("stop");
    let expected_hash = format!("#signed-out-{key}");
    wait_for("navigation to redirectTo", || current_hash() == expected_hash).await;
    let received = received(&key).await;
    assert_eq!(received.count, 1, "a triple click sends one request");
    assert_eq!(received.method, "POST");
    assert_eq!(received.body, r#"{"returnTo":"/home"}"#);
    assert_eq!(received.header("x-csrf-token").as_deref(), Some("token-123"));
    assert_eq!(received.header("content-type").as_deref(), Some("application/json"));
    assert_eq!(received.header("accept").as_deref(), Some("application/json"));
    assert_eq!(signed_out.load(Ordering::SeqCst), 1);
    // Signed out: the bar says so and offers no Stop.
    wait_for("ended state", || fixture.find("[part=ended]").is_some()).await;
    assert!(fixture.find("[part=stop]").is_none());
    reset_hash();
}

#[wasm_bindgen_test]
async fn the_page_csrf_token_never_goes_to_another_origin() {
    // The test site is another origin than the test page: the meta tag's token must
    // stay home, while a token passed explicitly goes where the app said.
    let meta = document().create_element("meta").unwrap();
    meta.set_attribute("name", "csrf-token").unwrap();
    meta.set_attribute("content", "from-meta").unwrap();
    document().head().unwrap().append_child(&meta).unwrap();
    let key = unique_key("meta");
    let url = server(&format!("/sign-out/ok?key={key}"));
    let fixture = Fixture::mount(move || {
        view! { <Impersonation session=given(WITH_ORG) sign_out_url=url csrf_header="X-Custom-CSRF" return_to="//evil.test/" /> }
    });
    settle().await;
    fixture.click("stop");
    let expected_hash = format!("#signed-out-{key}");
    wait_for("navigation to redirectTo", || current_hash() == expected_hash).await;
    meta.remove();
    let got = received(&key).await;
    assert_eq!(got.header("x-custom-csrf"), None, "the meta token stayed on its origin");
    // `//evil.test/` is not a same-origin path: refused, so no returnTo is sent.
    assert_eq!(got.body, "{}");
    reset_hash();
    drop(fixture);

    let key = unique_key("explicit");
    let url = server(&format!("/sign-out/ok?key={key}"));
    let fixture = Fixture::mount(move || {
        view! { <Impersonation session=given(WITH_ORG) sign_out_url=url csrf_header="X-Custom-CSRF" csrf_token="explicit" /> }
    });
    settle().await;
    fixture.click("stop");
    let expected_hash = format!("#signed-out-{key}");
    wait_for("navigation to redirectTo", || current_hash() == expected_hash).await;
    assert_eq!(received(&key).await.header("x-custom-csrf").as_deref(), Some("explicit"));
    reset_hash();
}

#[wasm_bindgen_test]
async fn stop_failure_shows_an_alert_and_retry_works() {
    let key = unique_key("fail-once");
    let url = server(&format!("/sign-out/fail-once?key={key}"));
    let errors = Arc::new(AtomicUsize::new(0));
    let counter = errors.clone();
    let fixture = Fixture::mount(move || {
        view! {
            <Impersonation
                session=given(WITH_ORG)
                sign_out_url=url
                on_error=move |_| { counter.fetch_add(1, Ordering::SeqCst); }
            />
        }
    });
    settle().await;
    fixture.click("stop");
    wait_for("an alert", || fixture.find("[role=alert]").is_some()).await;
    let alert = fixture.find("[role=alert]").unwrap();
    assert_eq!(alert.get_attribute("part").as_deref(), Some("error"));
    assert!(text(&alert).contains("500"), "{}", text(&alert));
    assert_eq!(errors.load(Ordering::SeqCst), 1);
    assert_eq!(text(&fixture.part("stop")), "Stop", "Stop is usable again");
    fixture.click("stop");
    let expected_hash = format!("#signed-out-{key}");
    wait_for("navigation after retry", || current_hash() == expected_hash).await;
    assert_eq!(received(&key).await.count, 2);
    reset_hash();
}

#[wasm_bindgen_test]
async fn every_failure_kind_is_an_alert() {
    let cases = [
        ("error", "500"),
        ("forbidden", "403"),
        ("bad-json", "not understood"),
        ("abort", "could not be reached"),
    ];
    for (mode, expected) in cases {
        let key = unique_key(mode);
        let url = server(&format!("/sign-out/{mode}?key={key}"));
        let fixture =
            Fixture::mount(move || view! { <Impersonation session=given(WITH_ORG) sign_out_url=url /> });
        settle().await;
        fixture.click("stop");
        wait_for("an alert", || fixture.find("[role=alert]").is_some()).await;
        let message = text(&fixture.find("[role=alert]").unwrap());
        assert!(message.contains(expected), "{mode}: {message}");
        assert!(fixture.find("[part=stop]").is_some(), "{mode}: the bar stays");
    }
}

#[wasm_bindgen_test]
async fn stop_against_an_unreachable_server_is_an_alert() {
    let fixture = Fixture::mount(|| {
        view! { <Impersonation session=given(WITH_ORG) sign_out_url="http://127.0.0.1:9/sign-out" /> }
    });
    settle().await;
    fixture.click("stop");
    wait_for("an alert", || fixture.find("[role=alert]").is_some()).await;
    assert!(text(&fixture.find("[role=alert]").unwrap()).contains("could not be reached"));
    assert_eq!(text(&fixture.part("stop")), "Stop");
}

#[wasm_bindgen_test]
async fn on_stop_returning_false_cancels() {
    let key = unique_key("cancel");
    let url = server(&format!("/sign-out/ok?key={key}"));
    // The first Stop is cancelled, the second allowed.
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let on_stop = move |_| counter.fetch_add(1, Ordering::SeqCst) > 0;
    let fixture = Fixture::mount(move || {
        view! { <Impersonation session=given(WITH_ORG) sign_out_url=url.clone() on_stop=on_stop.clone() /> }
    });
    settle().await;
    fixture.click("stop");
    assert_eq!(calls.load(Ordering::SeqCst), 1, "on_stop heard the click");
    // A request would have turned the button into "Stopping…" during the click.
    assert_eq!(text(&fixture.part("stop")), "Stop");
    fixture.click("stop");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    wait_for("the allowed sign-out", || current_hash().contains("signed-out")).await;
    // Exactly one request arrived: the cancelled click sent none.
    assert_eq!(received(&key).await.count, 1);
    reset_hash();
}

#[wasm_bindgen_test]
async fn a_stop_action_replaces_the_request() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let action = StopAction::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok::<_, String>(None::<String>) }
    });
    let fixture =
        Fixture::mount(move || view! { <Impersonation session=given(WITH_ORG) stop_action=action /> });
    settle().await;
    fixture.click("stop");
    wait_for("ended state", || fixture.find("[part=ended]").is_some()).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(fixture.find("[part=stop]").is_none());
    assert!(!html_flag(), "an ended impersonation clears data-impersonating");
}

#[wasm_bindgen_test]
async fn a_failing_stop_action_shows_its_message() {
    let action = StopAction::new(|| async { Err::<(), _>("The server function failed.".to_owned()) });
    let fixture =
        Fixture::mount(move || view! { <Impersonation session=given(WITH_ORG) stop_action=action /> });
    settle().await;
    fixture.click("stop");
    wait_for("an alert", || fixture.find("[role=alert]").is_some()).await;
    assert_eq!(text(&fixture.find("[role=alert]").unwrap()), "The server function failed.");
}

#[wasm_bindgen_test]
async fn hostile_text_renders_as_text() {
    let url = server("/session/hostile");
    let fixture = Fixture::mount(move || view! { <Impersonation session_url=url /> });
    wait_for("the hostile bar", || fixture.find("[part=message]").is_some()).await;
    assert_eq!(text(&fixture.part("user")), "<img src=x onerror=\"window.__pwned=1\">@acme.test");
    assert!(text(&fixture.part("organization")).starts_with("<b onmouseover"));
    assert!(fixture.find("img, script, svg, b").is_none(), "no element was injected");
    let pwned = js_sys::Reflect::get(&window(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined(), "nothing executed");
}

#[wasm_bindgen_test]
async fn use_impersonation_follows_the_bar() {
    use staff_bar::{provide_impersonation, use_impersonation};
    let current = RwSignal::new(session(WITH_ORG));
    let fixture = Fixture::mount(move || {
        provide_impersonation();
        let seen = use_impersonation();
        view! {
            <Impersonation session=current />
            <span id="probe">{move || seen.get().map(|s| s.user.email).unwrap_or_else(|| "none".into())}</span>
        }
    });
    settle().await;
    let probe = fixture.find("#probe").unwrap();
    assert_eq!(text(&probe), "bob@acme.test");
    current.set(None);
    settle().await;
    assert_eq!(text(&probe), "none");
}

#[wasm_bindgen_test]
async fn use_impersonation_without_provider_is_none() {
    let fixture = Fixture::mount(move || {
        let seen = staff_bar::use_impersonation();
        view! {
            <Impersonation session=given(WITH_ORG) />
            <span id="probe">{move || if seen.with(Option::is_some) { "some" } else { "none" }}</span>
        }
    });
    settle().await;
    assert_eq!(text(&fixture.find("#probe").unwrap()), "none");
}

#[wasm_bindgen_test]
async fn the_preview_prop_shows_sample_data_in_debug_builds_and_stop_ends_it() {
    let none: Signal<Option<Session>> = Signal::stored(None);
    let fixture = Fixture::mount(move || {
        view! { <Impersonation session=none preview=true sign_out_url="http://127.0.0.1:9/never" /> }
    });
    settle().await;
    assert_eq!(text(&fixture.part("user")), "bob@acme.test");
    assert_eq!(text(&fixture.part("impersonator")), "ada@support.test");
    assert_eq!(text(&fixture.part("time-left")), "42 min left");
    assert!(fixture.find("[part=preview]").is_some());
    fixture.click("stop");
    settle().await;
    assert!(fixture.find("[part=bar]").is_none(), "Stop ends the preview without any request");
}

#[wasm_bindgen_test]
async fn a_real_session_wins_over_the_preview() {
    let fixture = Fixture::mount(move || view! { <Impersonation session=given(WITHOUT_ORG) preview=true /> });
    settle().await;
    assert_eq!(text(&fixture.part("message")), "You are impersonating bob@acme.test");
    assert!(fixture.find("[part=preview]").is_none());
}

/// Something only the app's owner knows.
#[derive(Clone)]
struct AppMarker(&'static str);

#[wasm_bindgen_test]
async fn a_stop_action_runs_inside_the_component_owner() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let fixture = Fixture::mount(move || {
        provide_context(AppMarker("the app"));
        let action = StopAction::new(move || {
            // When it starts, and after an await: use_context answers both times.
            let record = record.clone();
            let at_start = use_context::<AppMarker>().map(|marker| marker.0);
            async move {
                sleep(5).await;
                let after_await = use_context::<AppMarker>().map(|marker| marker.0);
                record.lock().unwrap().extend([at_start, after_await]);
                Ok::<(), String>(())
            }
        });
        view! { <Impersonation session=given(WITH_ORG) stop_action=action /> }
    });
    settle().await;
    fixture.click("stop");
    wait_for("ended state", || fixture.find("[part=ended]").is_some()).await;
    assert_eq!(*seen.lock().unwrap(), vec![Some("the app"), Some("the app")]);
}

#[wasm_bindgen_test]
async fn a_stop_action_takes_a_server_function_error_as_it_is() {
    let action =
        StopAction::new(|| async { Err::<String, _>(ServerFnError::new("The session could not be ended.")) });
    let fixture =
        Fixture::mount(move || view! { <Impersonation session=given(WITH_ORG) stop_action=action /> });
    settle().await;
    fixture.click("stop");
    wait_for("an alert", || fixture.find("[role=alert]").is_some()).await;
    assert!(
        text(&fixture.find("[role=alert]").unwrap()).contains("The session could not be ended."),
        "{}",
        fixture.container.inner_html()
    );
    assert!(fixture.find("[part=stop]").is_some(), "Stop is offered again");
}

#[wasm_bindgen_test]
async fn a_new_session_url_is_asked_at_once() {
    let first = unique_key("first-url");
    let second = unique_key("second-url");
    let url = RwSignal::new(server(&format!("/session/switch?key={first}")));
    let fixture = Fixture::mount(move || view! { <Impersonation session_url=url /> });
    wait_for("the fetched bar", || fixture.find("[part=message]").is_some()).await;
    assert_eq!(received(&format!("session:{first}")).await.count, 1);
    assert_eq!(received(&format!("session:{second}")).await.count, 0);

    url.set(server(&format!("/session/switch?key={second}")));
    for _ in 0..100 {
        if received(&format!("session:{second}")).await.count > 0 {
            break;
        }
        sleep(20).await;
    }
    assert_eq!(received(&format!("session:{second}")).await.count, 1, "the new URL is asked");
    assert_eq!(received(&format!("session:{first}")).await.count, 1, "the old one is not asked again");
    assert!(fixture.find("[part=message]").is_some(), "the bar stays through the change");
}

#[wasm_bindgen_test]
async fn the_lang_prop_picks_the_built_in_words() {
    let fixture = Fixture::mount(move || view! { <Impersonation session=given(WITH_ORG) lang="de" /> });
    settle().await;
    assert!(
        accessible_name(&fixture.part("stop")).starts_with("Beenden"),
        "{}",
        fixture.container.inner_html()
    );
}

// authkit-nextjs's impersonation.spec.tsx, held against the component (the element's
// are in tests/e2e/peer-cases.spec.mjs). "returns null", "renders the banner", "bottom
// by default / top with side", "merges custom styles", "signs out with and without
// returnTo" and minimize are the tests above; the organization lookups are here.

const ORG_ID_ONLY: &str = r#"{"user":{"id":"user_01","email":"bob@acme.test"},
  "impersonator":{"email":"ada@support.test"},"organizationId":"org_123"}"#;

#[wasm_bindgen_test]
async fn peer_case_the_organization_is_looked_up_once_per_id_and_again_when_it_changes() {
    let key = unique_key("org");
    let lookup = server(&format!("/organization?key={key}"));
    let current = RwSignal::new(session(ORG_ID_ONLY));
    let fixture =
        Fixture::mount(move || view! { <Impersonation session=current organization_url=lookup.clone() /> });
    wait_for("the looked-up name", || {
        fixture.find("[part=organization]").is_some_and(|org| text(&org) == "Org org_123")
    })
    .await;
    assert_eq!(
        text(&fixture.part("message")),
        "You are impersonating bob@acme.test within the Org org_123 organization"
    );
    // The same organization in a new session value: not asked again.
    current.set(session(
        &ORG_ID_ONLY.replace("ada@support.test\"}", "ada@support.test\",\"reason\":\"again\"}"),
    ));
    wait_for("the new session", || fixture.find("[part=reason-toggle]").is_some()).await;
    assert_eq!(text(&fixture.part("organization")), "Org org_123");
    assert_eq!(received(&format!("organization:{key}")).await.count, 1);
    // Another organization: asked once more.
    current.set(session(&ORG_ID_ONLY.replace("org_123", "org_456")));
    wait_for("the second name", || {
        fixture.find("[part=organization]").is_some_and(|org| text(&org) == "Org org_456")
    })
    .await;
    assert_eq!(received(&format!("organization:{key}")).await.count, 2);
}

#[wasm_bindgen_test]
async fn peer_case_no_lookup_without_an_organization_id_or_an_impersonation() {
    let key = unique_key("no-org");
    let lookup = server(&format!("/organization?key={key}"));
    let current = RwSignal::new(session(WITHOUT_ORG));
    let url = lookup.clone();
    let fixture =
        Fixture::mount(move || view! { <Impersonation session=current organization_url=url.clone() /> });
    wait_for("the bar", || fixture.find("[part=message]").is_some()).await;
    // Not impersonating: no user or no impersonator is no session at all.
    current.set(None);
    wait_for("the bar gone", || shown_elements(&fixture) == 0).await;
    // A name in the session needs no lookup either.
    current.set(session(WITH_ORG));
    wait_for("the bar with its own name", || fixture.find("[part=organization]").is_some()).await;
    assert_eq!(text(&fixture.part("organization")), "Acme");
    assert_eq!(received(&format!("organization:{key}")).await.count, 0);
    // The control: the same component does ask for an id without a name.
    current.set(session(ORG_ID_ONLY));
    wait_for("the looked-up name", || {
        fixture.find("[part=organization]").is_some_and(|org| text(&org) == "Org org_123")
    })
    .await;
    assert_eq!(received(&format!("organization:{key}")).await.count, 1);
    drop(lookup);
}

/// The app's children replace the built-in message; the impersonator, Stop and the
/// tab stay the bar's, and the region keeps its name.
#[wasm_bindgen_test]
async fn children_replace_the_message() {
    let fixture = Fixture::mount(move || {
        view! {
            <Impersonation session=given(WITH_ORG)>
                <span id="own">"Helping a customer"</span>
            </Impersonation>
        }
    });
    settle().await;
    let message = fixture.part("message");
    assert_eq!(text(&message), "Helping a customer");
    assert!(message.query_selector("#own").unwrap().is_some(), "the app's own element, as given");
    assert!(!fixture.container.inner_html().contains("You are impersonating"));
    assert_eq!(text(&fixture.part("impersonator")), "ada@support.test");
    assert_eq!(fixture.root().get_attribute("aria-label").as_deref(), Some("Impersonation"));
    fixture.part("stop");
}

/// The state hook reads the live bar and `stop()` from a button elsewhere in the app
/// goes through the bar's own Stop (pending, then the server's redirect).
#[wasm_bindgen_test]
async fn the_state_hook_stops_from_the_app_menu() {
    use staff_bar::{provide_impersonation, use_impersonation_state};
    let key = unique_key("menu");
    let url = server(&format!("/sign-out/ok?key={key}"));
    let signed_out = Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = signed_out.clone();
    let fixture = Fixture::mount(move || {
        provide_impersonation();
        let state = use_impersonation_state();
        view! {
            <nav>
                <button id="menu-stop" on:click=move |_| state.stop()>"Stop impersonating"</button>
                <span id="menu-state">
                    {move || {
                        format!(
                            "{}|{}|{}",
                            state.session().get().map(|s| s.user.email).unwrap_or_default(),
                            state.minimized(),
                            state.stopping(),
                        )
                    }}
                </span>
                <button id="menu-minimize" on:click=move |_| state.minimize()>"Hide"</button>
            </nav>
            <Impersonation
                session=given(WITH_ORG)
                sign_out_url=url.clone()
                on_signed_out=move |to: String| { *seen.lock().unwrap() = Some(to); }
            />
        }
    });
    settle().await;
    let state = fixture.find("#menu-state").unwrap();
    assert_eq!(text(&state), "bob@acme.test|false|false");
    fixture.find("#menu-minimize").unwrap().unchecked_into::<HtmlElement>().click();
    settle().await;
    assert!(fixture.root().has_attribute("data-minimized"), "minimize() folds the bar");
    assert_eq!(text(&state), "bob@acme.test|true|false");
    fixture.find("#menu-stop").unwrap().unchecked_into::<HtmlElement>().click();
    wait_for("the sign-out", || signed_out.lock().unwrap().is_some()).await;
    let received = received(&key).await;
    assert_eq!(received.count, 1, "one request, as from the bar's own Stop");
    assert_eq!(received.method, "POST");
    wait_for("ended state", || fixture.find("[part=ended]").is_some()).await;
    reset_hash();
}

/// A `StopAction` is `Send + Copy`: made in the app's root beside the session, it can
/// cross into a child component (and a `<Transition>`) and still runs in the
/// component's owner.
#[wasm_bindgen_test]
async fn a_stop_action_made_outside_the_bar_works() {
    #[component]
    fn Layout(stop: StopAction) -> impl IntoView {
        view! { <Impersonation session=given(WITH_ORG) stop_action=stop /> }
    }
    fn assert_send_copy<T: Send + Sync + Copy>(_: T) {}
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let fixture = Fixture::mount(move || {
        let stop = StopAction::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, String>(()) }
        });
        assert_send_copy(stop);
        view! {
            <Transition fallback=|| ()>
                <Layout stop=stop />
            </Transition>
        }
    });
    settle().await;
    fixture.click("stop");
    wait_for("ended state", || fixture.find("[part=ended]").is_some()).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// An `Action` (a `ServerAction`'s shape) as the Stop: dispatched once, its answer
/// taken as the destination, its `pending` and `value` the app's to read.
#[wasm_bindgen_test]
async fn an_action_can_be_the_stop() {
    let dispatched = Arc::new(AtomicUsize::new(0));
    let counter = dispatched.clone();
    let fixture = Fixture::mount(move || {
        let action = Action::new_unsync(move |_: &()| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Err::<(), String>("Refused by the server.".into()) }
        });
        view! { <Impersonation session=given(WITH_ORG) stop_action=StopAction::from(action) /> }
    });
    settle().await;
    fixture.click("stop");
    wait_for("an alert", || fixture.find("[role=alert]").is_some()).await;
    assert_eq!(text(&fixture.find("[role=alert]").unwrap()), "Refused by the server.");
    assert_eq!(dispatched.load(Ordering::SeqCst), 1);
}

/// The state hook's clock: the seconds left as the bar counts them down, and no
/// warning ten minutes before the end.
#[wasm_bindgen_test]
async fn the_state_hook_tells_the_time_left() {
    use staff_bar::{provide_impersonation, use_impersonation_state};
    let expires = js_sys::Date::new(&(js_sys::Date::now() + 600_000.0).into()).to_iso_string();
    let json = format!(
        r#"{{"user":{{"email":"bob@acme.test"}},"impersonator":{{"email":"ada@support.test"}},"expiresAt":"{}"}}"#,
        String::from(expires)
    );
    let fixture = Fixture::mount(move || {
        provide_impersonation();
        let state = use_impersonation_state();
        view! {
            <Impersonation session=given(&json) />
            <span id="left">{move || state.time_left().map(|s| s.to_string()).unwrap_or_default()}</span>
            <span id="warning">{move || state.warning().to_string()}</span>
        }
    });
    settle().await;
    let left: i64 = text(&fixture.find("#left").unwrap()).parse().expect("seconds left");
    assert!((595..=600).contains(&left), "{left}");
    assert_eq!(text(&fixture.find("#warning").unwrap()), "false");
}

/// The time of day the impersonation ends, in the browser's own locale and zone, as
/// `Intl` writes it; and when it ended.
#[wasm_bindgen_test]
async fn the_component_says_until_when_and_when_it_ended() {
    let at = js_sys::Date::now() + 45.0 * 60_000.0;
    let expires: String = js_sys::Date::new(&at.into()).to_iso_string().into();
    let json = format!(
        r#"{{"user":{{"email":"bob@acme.test"}},"impersonator":{{"email":"ada@support.test"}},"expiresAt":"{expires}"}}"#
    );
    let session = RwSignal::new(session(&json));
    let fixture = Fixture::mount(move || view! { <Impersonation session=session /> });
    settle().await;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into()).unwrap();
    js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into()).unwrap();
    let clock = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options);
    let written = clock.format().call1(&clock, &js_sys::Date::new(&at.into())).unwrap().as_string().unwrap();
    assert_eq!(text(&fixture.part("ends-at")), format!("until {written}"));
    // Already past its end: the ended notice says when.
    let past: String = js_sys::Date::new(&(js_sys::Date::now() - 1_000.0).into()).to_iso_string().into();
    session.set(staff_bar::Session::from_json(&json.replace(&expires, &past)).unwrap());
    wait_for("the ended notice", || fixture.find("[part=ended]").is_some()).await;
    assert!(text(&fixture.part("ended-at")).starts_with("Ended at "), "{}", text(&fixture.part("ended-at")));
}

/// A bar built in the browser adds no `<style>` element, which a strict CSP refuses
/// even empty (with a violation report): it is styled by the adopted stylesheet.
#[wasm_bindgen_test]
async fn a_bar_built_in_the_browser_adds_no_style_element() {
    let fixture = Fixture::mount(|| view! { <Impersonation session=given(WITH_ORG) /> });
    settle().await;
    assert!(fixture.find("style").is_none(), "{}", fixture.container.inner_html());
    assert_eq!(computed(&fixture.root(), "position"), "fixed", "styled all the same");
}
