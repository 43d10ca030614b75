//! staff-bar in a Leptos SSR + hydrate app on axum, the lightest way: the server reads
//! the impersonation from the request and hands it to `<Impersonation server_session>`,
//! which renders the bar into the HTML and carries the session to the browser in it.
//! No server function, `Resource` or `<Transition>` for the session, so an ordinary
//! visitor's bundle holds next to nothing of the bar (build with `--split`).
//!
//! Built only as one of its two halves (`ssr` or `hydrate`).

#![cfg(any(feature = "ssr", feature = "hydrate"))]

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use staff_bar::{Impersonation, Session, StopAction};

/// The impersonation behind a request, as your auth layer finds it (in a WorkOS app,
/// the sealed session's access token with its `act` claim). Provided to every render
/// by the server (`main.rs`).
#[derive(Clone, Debug)]
pub struct RequestSession(pub Option<Session>);

/// Ends the impersonation and answers with where to go next: your WorkOS logout URL,
/// after clearing the session cookie (`leptos_axum::ResponseOptions`).
#[server]
pub async fn stop_impersonating() -> Result<String, ServerFnError> {
    Ok("/".into())
}

/// The whole document, rendered on the server.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    // On the server, the request's session; in the browser there is none, and the bar
    // takes the server's from its own HTML.
    let session = use_context::<RequestSession>().and_then(|current| current.0);
    let stop = StopAction::new(stop_impersonating);
    view! {
        <Router>
            <Impersonation server_session=session stop_action=stop />
            <main>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=|| view! { <h1>"Your dashboard"</h1> } />
                </Routes>
            </main>
        </Router>
    }
}

/// The browser's entry point.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
