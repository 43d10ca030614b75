//! staff-bar in a client-side rendered Leptos app (`trunk serve` in this folder).
//!
//! The bar asks `/auth/session` for the session JSON (your server answers with the
//! object AuthKit's `withAuth()` returns, or `null`), and Stop POSTs to
//! `/auth/sign-out`. The app's own account menu reads the live bar through
//! `use_impersonation_state()` and can Stop from there too. In a debug build,
//! Alt+Shift+P shows the bar's preview without any server.

use leptos::prelude::*;
use staff_bar::{provide_impersonation, use_impersonation_state, Impersonation};

#[component]
fn App() -> impl IntoView {
    provide_impersonation();
    view! {
        <Impersonation session_url="/auth/session" sign_out_url="/auth/sign-out" return_to="/" />
        <header>
            <AccountMenu />
        </header>
        <main>
            <h1>"Your dashboard"</h1>
        </main>
    }
}

/// The app's own menu: while someone is impersonating, it says so and offers Stop.
#[component]
fn AccountMenu() -> impl IntoView {
    let state = use_impersonation_state();
    view! {
        <Show when=move || state.session().with(Option::is_some) fallback=|| view! { <span>"Signed in"</span> }>
            <span>
                "Acting as " {move || state.session().with(|session| session.as_ref().map(|s| s.user.email.clone()))}
            </span>
            <button on:click=move |_| state.stop() disabled=move || state.stopping()>
                "Stop impersonating"
            </button>
        </Show>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
