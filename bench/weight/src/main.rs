//! The weight app's server, for `cargo leptos serve` by hand; the benchmark only
//! builds and measures the browser's bundles.

#[tokio::main]
async fn main() {
    use axum::Router;
    use leptos::prelude::*;
    use leptos_axum::{generate_route_list, LeptosRoutes};
    use staff_bar_bench_weight::{shell, App};

    let Ok(conf) = get_configuration(None) else { return eprintln!("no Leptos configuration") };
    let options = conf.leptos_options;
    let address = options.site_addr;
    let routes = generate_route_list(App);
    let app = Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options);
    let Ok(listener) = tokio::net::TcpListener::bind(&address).await else {
        return eprintln!("cannot listen on {address}");
    };
    println!("weight app: http://{address}");
    let _ = axum::serve(listener, app.into_make_service()).await;
}
