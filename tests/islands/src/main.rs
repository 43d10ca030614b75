//! The islands app's server: `PORT` (0 for any free one) on 127.0.0.1, the site built
//! by `cargo leptos build --project islands` in target/islands-site/.

use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use staff_bar::Session;
use staff_bar_islands::{shell, App, Current, SAMPLE};

/// The impersonation the request's cookie stands for.
fn current(headers: &http::HeaderMap) -> Current {
    let impersonating = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .any(|pair| pair.trim() == "impersonating=1");
    Current(if impersonating { Session::from_json(SAMPLE).ok().flatten() } else { None })
}

async fn start() -> impl IntoResponse {
    ([(http::header::SET_COOKIE, "impersonating=1; Path=/; HttpOnly; SameSite=Lax")], Redirect::to("/"))
}

#[tokio::main]
async fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/islands-site");
    let options = LeptosOptions::builder().output_name("islands").site_root(root).site_pkg_dir("pkg").build();
    let routes = generate_route_list(App);
    let context = || {
        let parts = use_context::<http::request::Parts>();
        provide_context(parts.map(|parts| current(&parts.headers)).unwrap_or(Current(None)));
    };
    let server_fns = move |request| handle_server_fns_with_context(context, request);
    let app = Router::new()
        .route("/start", get(start))
        .route("/api/{*name}", axum::routing::post(server_fns))
        .leptos_routes_with_context(&options, routes, context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", tower_http::services::ServeDir::new(format!("{root}/pkg")))
        .with_state(options);
    let port = std::env::var("PORT").ok().and_then(|port| port.parse::<u16>().ok()).unwrap_or(3950);
    let Ok(listener) = tokio::net::TcpListener::bind(("127.0.0.1", port)).await else {
        return eprintln!("cannot listen on port {port}");
    };
    if let Ok(address) = listener.local_addr() {
        println!("islands app: http://{address}/");
    }
    let _ = axum::serve(listener, app.into_make_service()).await;
}
