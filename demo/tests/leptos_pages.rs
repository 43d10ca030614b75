//! The `/leptos` pages of the demo, rendered on the server while someone is
//! impersonating. A test binary of its own: Leptos's server rendering keeps global
//! state, and servers started and rendering at the same moment in one process (each
//! test has a runtime of its own) sometimes left a render waiting forever (10 runs in 60
//! of the whole flow suite), which one server per process, as in production, never does.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use reqwest::{Client, StatusCode};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leptos_pages_redact_and_refuse_on_the_server_while_impersonating() {
    let server = start().await;
    let get = |browser: &Client, path: &str| {
        let request = browser.get(server.url(path));
        async move {
            let page = request.send().await.expect("page");
            (page.status(), page.text().await.expect("html"))
        }
    };
    // Anyone else (here signed out) gets the values and the password page.
    let visitor = browser();
    let (status, html) = get(&visitor, "/leptos/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("4242 4242 4242 4242") && html.contains("123-45-6789"), "{html}");
    let (_, html) = get(&visitor, "/leptos/password").await;
    assert!(html.contains(r#"id="password-settings""#), "{html}");
    assert!(!html.contains("Not available while impersonating"));

    // Impersonating: masked in the HTML and in the hydration data it carries; the
    // password page renders the refusal, and its server function refuses when called.
    let staff = browser();
    impersonate(&server, &staff, BOB, "Ticket 12: Leptos pages", None).await;
    let (status, html) = get(&staff, "/leptos/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("•••• •••• •••• 4242") && html.contains("•••-••-6789"), "{html}");
    assert!(!html.contains("4242 4242 4242 4242") && !html.contains("123-45-6789"), "{html}");
    let (_, html) = get(&staff, "/leptos/password").await;
    assert!(html.contains("Not available while impersonating."), "{html}");
    assert!(!html.contains(r#"id="password-settings""#) && !html.contains("Forgot password"), "{html}");
    let called = staff.post(server.url("/api/password_settings")).send().await.expect("server fn");
    assert!(called.status().is_server_error() || called.status().is_client_error(), "{}", called.status());
    let text = called.text().await.expect("body");
    assert!(
        text.contains("Not available while impersonating") && !text.contains("Forgot password"),
        "{text}"
    );
}
