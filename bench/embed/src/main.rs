//! The smallest Leptos app worth the name (a counter button), with the Staff Bar
//! embedded when built with the `bar` feature. `make bench` builds both and reports
//! the difference: what `<Impersonation/>` adds to an app's bundle.

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

#[cfg(feature = "bar")]
#[component]
fn Bar() -> impl IntoView {
    view! { <staff_bar::Impersonation session_url="/auth/session" sign_out_url="/auth/sign-out" /> }
}

#[cfg(not(feature = "bar"))]
#[component]
fn Bar() -> impl IntoView {}
