//! The demo's `/leptos` page: a Leptos CSR app that renders `staff_bar::Impersonation`
//! itself instead of the `<staff-bar>` element. The server renders the page shell (with
//! `<meta name="csrf-token">`, which the component reads by default) and this app
//! mounts into its body.

use leptos::prelude::*;
use staff_bar::Impersonation;

#[component]
fn App() -> impl IntoView {
    view! {
        <Impersonation session_url="/auth/session" sign_out_url="/auth/sign-out" return_to="/" />
        <section class="card" id="leptos-app">
            <h1>"Leptos page"</h1>
            <p>
                "This part of the page is a Leptos app (client-side rendered WebAssembly). "
                "It places "<code>"<Impersonation/>"</code>" from the staff-bar crate directly, "
                "with the same session and sign-out endpoints as the rest of Acme."
            </p>
            <p class="hint">
                "While an impersonation is on, the frame and tab below come from the component, "
                "not from the "<code>"<staff-bar>"</code>" element."
            </p>
        </section>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
