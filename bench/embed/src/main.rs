//! The smallest Leptos app worth the name (a counter button), with the Staff Bar
//! embedded when built with the `bar` feature. `make bench` builds it in four ways and
//! reports the differences: what `<Impersonation/>` adds to an app's bundle, and what
//! its `serde` feature adds to an app that already links serde_json.

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let count = RwSignal::new(0);
    view! {
        <button on:click=move |_| count.update(|n| *n += 1)>{count}</button>
        <Bar />
    }
}

#[cfg(all(feature = "bar", not(feature = "json")))]
#[component]
fn Bar() -> impl IntoView {
    view! { <staff_bar::Impersonation session_url="/auth/session" sign_out_url="/auth/sign-out" /> }
}

/// A document the optimizer cannot see through: the page's `window.name`.
#[cfg(feature = "json")]
fn document_text() -> String {
    window().name().unwrap_or_default()
}

#[cfg(all(feature = "json", not(feature = "serde")))]
#[component]
fn Bar() -> impl IntoView {
    let read = serde_json::from_str::<serde_json::Value>(&document_text());
    let session = read.as_ref().ok().and_then(|_| None::<staff_bar::Session>);
    view! {
        <staff_bar::Impersonation session_url="/auth/session" sign_out_url="/auth/sign-out" />
        <staff_bar::Impersonation session=Signal::stored(session) sign_out_url="/auth/sign-out" />
        <p>{read.is_ok()}</p>
    }
}

#[cfg(feature = "serde")]
#[component]
fn Bar() -> impl IntoView {
    // What the browser does with a Resource or a server function's answer: read it.
    let read = serde_json::from_str::<Option<staff_bar::Session>>(&document_text());
    let session = read.as_ref().ok().cloned().flatten();
    view! {
        <staff_bar::Impersonation session_url="/auth/session" sign_out_url="/auth/sign-out" />
        <staff_bar::Impersonation session=Signal::stored(session) sign_out_url="/auth/sign-out" />
        <p>{read.is_ok()}</p>
    }
}

#[cfg(not(feature = "bar"))]
#[component]
fn Bar() -> impl IntoView {}
