//! The example's server: leptos_axum on the default multi-threaded runtime.
//! `cargo leptos watch --split` in this folder, then open http://127.0.0.1:3000/ (and
//! /?impersonate to see the bar with a sample session).

use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use staff_bar::{Impersonator, Organization, Session, User};
use staff_bar_example_ssr::{shell, App, RequestSession};

/// The impersonation a request stands for. A real app reads its session cookie here;
/// this example impersonates whenever the URL's query says `impersonate`.
fn request_session(parts: &http::request::Parts) -> Option<Session> {
    let asked = parts.uri.query().is_some_and(|query| query.split('&').any(|pair| pair == "impersonate"));
    asked.then(|| {
        Session::new(
            User::new("bob@acme.test").with_first_name("Bob"),
            Impersonator::new("ada@support.test").with_reason("Ticket 4521"),
        )
        .with_organization(Organization::new().with_id("org_01").with_name("Acme"))
    })
}

#[tokio::main]
async fn main() {
    let Ok(configuration) = get_configuration(None) else {
        return eprintln!("run it with cargo leptos, which provides the site's settings");
    };
    let options = configuration.leptos_options;
    let address = options.site_addr;
    let routes = generate_route_list(App);
    let context = || {
        let session = use_context::<http::request::Parts>().and_then(|parts| request_session(&parts));
        provide_context(RequestSession(session));
    };
    let app = Router::new()
        .leptos_routes_with_context(&options, routes, context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options);
    let Ok(listener) = tokio::net::TcpListener::bind(address).await else {
        return eprintln!("cannot listen on {address}");
    };
    println!("example: http://{address}/ (and http://{address}/?impersonate)");
    let _ = axum::serve(listener, app.into_make_service()).await;
}
