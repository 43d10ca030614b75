//! `staff-bar-demo`: reads the environment, binds 127.0.0.1:$PORT and serves the demo.
//!
//! | variable | meaning |
//! |---|---|
//! | `PORT` | port to listen on (default 8080; 0 picks a free one) |
//! | `WORKOS_API_KEY`, `WORKOS_CLIENT_ID` | both set: talk to the real WorkOS, no stand-in |
//! | `IMPERSONATION_TTL` | seconds an impersonation lasts (default 3600) |
//! | `SESSION_TTL` | seconds an ordinary sign-in lasts (default 86400) |
//! | `SESSION_SECRET` | signs the session cookie, at least 32 bytes (default: random per process) |
//! | `STAFF_BAR_DIST` | the `<staff-bar>` bundle to serve (default: `<workspace>/dist`) |
//! | `APP_BASE_URL` | the app's public URL (default: `http://127.0.0.1:$PORT`) |
//! | `RUST_LOG` | log filter (default `info`) |

#[cfg(not(target_arch = "wasm32"))]
#[tokio::main]
async fn main() {
    use staff_bar_demo::{app, init_tracing, Config, WorkosMode};

    init_tracing();
    let port: u16 = match std::env::var("PORT").ok().filter(|p| !p.trim().is_empty()) {
        None => 8080,
        Some(text) => match text.trim().parse() {
            Ok(port) => port,
            Err(_) => fail(&format!("PORT must be a port number, not {text:?}")),
        },
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(error) => fail(&format!("cannot listen on 127.0.0.1:{port}: {error}")),
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(error) => fail(&format!("no local address: {error}")),
    };
    let config = match Config::from_env(&format!("http://{address}")) {
        Ok(config) => config,
        Err(message) => fail(&message),
    };
    match &config.workos {
        WorkosMode::StandIn => tracing::info!(
            "WorkOS: the embedded stand-in at {}/workos/ (dashboard staff sign-in: {} / {}, filled in on its page)",
            config.base_url,
            staff_bar_demo::STAND_IN_STAFF_EMAIL,
            staff_bar_demo::STAND_IN_STAFF_PASSWORD
        ),
        WorkosMode::Real { .. } => {
            tracing::info!("WorkOS: the real API (WORKOS_API_KEY and WORKOS_CLIENT_ID are set)")
        }
    }
    if !config.dist_dir.join("staff-bar.js").is_file() {
        tracing::warn!(
            "{} has no staff-bar.js: run `make bundle`; pages render without the bar",
            config.dist_dir.display()
        );
    }
    if !config.leptos_site_dir.join(staff_bar_demo::LEPTOS_PKG).join("app.js").is_file() {
        tracing::warn!("the Leptos page is not built: run scripts/build-demo.sh");
    }
    tracing::info!(ttl_seconds = config.impersonation_ttl.as_secs(), "impersonations end after the TTL");

    let stand_in = matches!(config.workos, WorkosMode::StandIn);
    let router = app(config);
    println!("staff-bar demo: http://{address}/");
    if stand_in {
        print_first_run(&format!("http://{address}"));
    }
    if let Err(error) = axum::serve(listener, router).with_graceful_shutdown(shutdown()).await {
        fail(&format!("server error: {error}"));
    }
}

/// The walk a newcomer takes, in the order of WorkOS's impersonation guide.
#[cfg(not(target_arch = "wasm32"))]
fn print_first_run(base: &str) {
    let feature = staff_bar_demo::STAND_IN_FEATURE_PAGE;
    let (admin, member, password) = (
        staff_bar_demo::STAND_IN_STAFF_EMAIL,
        staff_bar_demo::STAND_IN_MEMBER_EMAIL,
        staff_bar_demo::STAND_IN_STAFF_PASSWORD,
    );
    println!(
        "\nFirst run (the home page says the same):\n\
         \x20 1. Enable:      {base}{feature}\n\
         \x20                 sign in as the Admin {admin} / {password} (filled in), then \"Turn on\"\n\
         \x20                 ({member}, a Member with the same password, is refused)\n\
         \x20 2. Impersonate: {base}/workos/dashboard: a user, Impersonate, a reason\n\
         \x20                 (or a user's deep link on {base}/support, signed in as an ordinary user)\n\
         \x20 3. Use:         Acme as that user, framed by the staff bar; /account is redacted,\n\
         \x20                 /account/password refused; then Stop in the bar\n\
         \x20 4. Audit:       the user's sessions in the dashboard, and {base}/admin/impersonations\n"
    );
}

#[cfg(not(target_arch = "wasm32"))]
fn fail(message: &str) -> ! {
    eprintln!("staff-bar-demo: {message}");
    std::process::exit(1);
}

/// Ctrl-C or SIGTERM.
#[cfg(not(target_arch = "wasm32"))]
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// The demo is a server; there is nothing to run in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}
