//! The demo's `/leptos` pages: a Leptos app rendered on the server (leptos_axum, on
//! the demo's multi-threaded tokio runtime) and hydrated in the browser, with
//! `staff_bar::Impersonation` in its layout the way a Rust app would place it:
//!
//! * the session comes from a server function, read through a `Resource` under
//!   `<Transition>`, so the server's HTML already carries the bar;
//! * Stop is a `StopAction` that calls a server function, which ends the session and
//!   answers with the WorkOS logout URL;
//! * the bar sits outside `<Routes>`, so navigating between the pages keeps one bar;
//! * a German page (`/leptos/de`) passes `lang` and hydrates in place;
//! * a "Change password" button is disabled while impersonating, already in the HTML
//!   (`use_impersonation()`).
//!
//! The demo server supplies what the server functions need from it through
//! [`server::Host`] (the session behind the request's cookie, and ending it).

mod app;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "ssr")]
pub use app::shell;
pub use app::App;

/// The browser's entry point, called by Leptos's hydration script.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
