//! The staff-bar demo: `make demo`.
//!
//! One axum server holds two things:
//!
//! * **Acme**, a small sample app (home, invoices, an account page with a field the host
//!   CSS redacts while impersonating, and a Leptos page). Its pages embed the staff bar
//!   the way any non-Rust site would: a `<meta name="csrf-token">`, one module script
//!   and one `<staff-bar>` tag. Its auth routes (`/auth/sign-in`, `/auth/callback`,
//!   `/auth/session`, `/auth/sign-out`) use the official `workos` crate.
//! * **A stand-in for WorkOS** under `/workos/`: a dashboard where a staff member starts
//!   an impersonation (with a required reason), a hosted sign-in page for ordinary
//!   users, and the API endpoints the `workos` crate calls. It is used unless
//!   `WORKOS_API_KEY` and `WORKOS_CLIENT_ID` are set; then the app talks to the real
//!   WorkOS and the stand-in is not mounted.
//!
//! Tests build the server with [`app`] and serve it on a port of their own.

#![cfg(not(target_arch = "wasm32"))]

mod acme;
mod audit;
mod config;
mod html;
mod impersonation_log;
mod logging;
mod sessions;
mod stand_in;
mod util;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use axum_extra::extract::cookie::Key;

pub use config::{
    Clock, Config, WorkosMode, DEFAULT_IMPERSONATION_TTL, DEFAULT_SESSION_TTL, LEPTOS_PKG,
    MIN_SESSION_SECRET_BYTES, STAND_IN_API_KEY, STAND_IN_CLIENT_ID,
};
pub use logging::init_tracing;
pub use stand_in::{
    ENVIRONMENT_ID as STAND_IN_ENVIRONMENT_ID, FEATURE_PAGE as STAND_IN_FEATURE_PAGE,
    MEMBER_EMAIL as STAND_IN_MEMBER_EMAIL, STAFF_EMAIL as STAND_IN_STAFF_EMAIL,
    STAFF_PASSWORD as STAND_IN_STAFF_PASSWORD,
};

/// Everything the handlers share. Cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) acme: Arc<acme::Acme>,
    key: Key,
}

impl FromRef<AppState> for Key {
    fn from_ref(state: &AppState) -> Key {
        state.key.clone()
    }
}

/// The `/leptos` pages (`demo/leptos-app`), rendered through leptos_axum, and the
/// server functions they call under `/api/`. The browser half is served from
/// `/leptos/pkg/` (`scripts/build-demo.sh` builds it with `cargo leptos build --split`;
/// the split manifest there tells the pages which chunk the bar is in).
fn leptos_pages(host: staff_bar_demo_leptos::server::Host, site_root: &std::path::Path) -> Router {
    use leptos::prelude::{provide_context, LeptosOptions};
    use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};

    let options = LeptosOptions::builder()
        .output_name("app")
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir(config::LEPTOS_PKG)
        .build();
    let routes = generate_route_list(staff_bar_demo_leptos::App);
    let context = move || provide_context(host.clone());
    let server_fns = {
        let context = context.clone();
        move |request| handle_server_fns_with_context(context.clone(), request)
    };
    let shell = {
        let options = options.clone();
        move || staff_bar_demo_leptos::shell(options.clone())
    };
    Router::new()
        .route("/api/{*name}", axum::routing::post(server_fns))
        .leptos_routes_with_context(&options, routes, context, shell)
        .with_state(options)
}

/// Builds the whole demo server for `config`: Acme, its auth routes, the static files
/// and, unless the config talks to the real WorkOS, the stand-in under `/workos/`.
pub fn app(config: Config) -> Router {
    let config = Arc::new(config);
    let key = config.cookie_key();
    let acme = Arc::new(acme::Acme::new(config.clone(), &key));
    let state = AppState { acme, key };

    let leptos = leptos_pages(acme::leptos_host(&state.acme), &config.leptos_site_dir);
    // Every page, auth route and server function sees the request's session, read (and
    // refreshed) once by the middleware.
    let app = acme::routes()
        .with_state(state.clone())
        .merge(leptos)
        .layer(axum::middleware::from_fn_with_state(state, sessions::resolve));
    let mut router = app.merge(acme::static_routes(&config));
    if let WorkosMode::StandIn = config.workos {
        match stand_in::routes(config.clone()) {
            Ok(stand_in) => router = router.nest("/workos", stand_in),
            // Without a signing key there is no stand-in: its pages answer 404 and
            // sign-ins fail with a message, while the rest of the app works.
            Err(error) => tracing::error!(%error, "the WorkOS stand-in cannot start"),
        }
    }
    router.layer(logging::trace_layer())
}
