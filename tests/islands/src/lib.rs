//! A Leptos islands app (the `islands` feature): the page is server-rendered HTML with
//! no hydration of its own, and the staff bar is an island, the one part of the page
//! that runs in the browser. The impersonation is a cookie set by `/start`; Stop is a
//! server function that clears it.
//!
//! Built only as one of its two halves (`ssr` or `hydrate`, both with Leptos's
//! `islands`): a workspace-wide check without features sees an empty crate.

#![cfg(any(feature = "ssr", feature = "hydrate"))]

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The bar and the impersonation it shows (the `bar` feature; always on the server).
/// Without it, the same app with no bar at all: the weight benchmark's baseline.
#[cfg(feature = "bar")]
mod staff {
    use leptos::prelude::*;
    use staff_bar::{Impersonation, Session, StopAction};

    /// The session a `/start` cookie stands for: a fixed sample, this app has no users.
    pub const SAMPLE: &str = r#"{"user":{"id":"user_01","email":"bob@islands.test"},
      "impersonator":{"email":"ada@support.test","reason":"Island check"},
      "organization":{"id":"org_01","name":"Island Co"},"sessionId":"session_islands"}"#;

    /// The impersonation behind the request, provided by the server to each render.
    #[derive(Clone, Debug)]
    pub struct Current(pub Option<Session>);

    /// Ends the impersonation: the cookie goes, the browser goes home.
    #[server(endpoint = "stop_impersonating")]
    pub async fn stop_impersonating() -> Result<String, ServerFnError> {
        let response = use_context::<leptos_axum::ResponseOptions>()
            .ok_or_else(|| ServerFnError::new("the server provided no ResponseOptions"))?;
        response.append_header(
            http::header::SET_COOKIE,
            http::HeaderValue::from_static("impersonating=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
        );
        Ok("/".into())
    }

    /// Who is impersonated on this request, and the bar's island when someone is.
    pub fn who_and_bar() -> (Option<String>, Option<impl IntoView>) {
        let session = use_context::<Current>().and_then(|current| current.0);
        let who = session.map(|session| session.user.email);
        let bar = who.is_some().then(|| view! { <StaffBar /> });
        (who, bar)
    }

    /// The bar as a lazy island: its code is a chunk of its own (`cargo leptos build
    /// --split`) that only an impersonated page fetches. The server renders it with the
    /// request's session and writes that into the bar's host; in the browser the island
    /// has no session of its own (`use_context` finds none there) and the bar takes the
    /// server's from its HTML.
    #[island(lazy)]
    fn StaffBar() -> impl IntoView {
        let session = use_context::<Current>().and_then(|current| current.0);
        let stop = StopAction::new(stop_impersonating);
        view! { <Impersonation server_session=session stop_action=stop /> }
    }
}

#[cfg(feature = "bar")]
pub use staff::{stop_impersonating, Current, SAMPLE};

/// The whole document, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>"Islands · staff-bar"</title>
                <link rel="icon" href="data:," />
                <HydrationScripts options islands=true />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=Home />
            </Routes>
        </Router>
    }
}

/// Static HTML, but for the bar's island, placed only when the request is
/// impersonated: a lazy island's code is fetched only by a page that has one.
#[component]
fn Home() -> impl IntoView {
    #[cfg(feature = "bar")]
    let (who, bar) = staff::who_and_bar();
    #[cfg(not(feature = "bar"))]
    let (who, bar) = (None::<String>, ());
    view! {
        <main>
            <h1>"Islands app"</h1>
            <p id="who">
                {match who {
                    Some(email) => format!("Signed in as {email}, impersonated."),
                    None => "Nobody is impersonated.".to_owned(),
                }}
            </p>
            <p><a href="/start">"Start impersonating"</a></p>
        </main>
        {bar}
    }
}

/// The browser's entry point: hydrates the islands, nothing else.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
