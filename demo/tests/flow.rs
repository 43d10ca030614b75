//! The demo server, started for real on 127.0.0.1:0 and driven over HTTP the way a
//! browser would: cookie jars, forms, redirects followed by hand.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::LOCATION;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use staff_bar_demo::{
    WorkosMode, STAND_IN_API_KEY, STAND_IN_CLIENT_ID, STAND_IN_ENVIRONMENT_ID, STAND_IN_MEMBER_EMAIL,
    STAND_IN_STAFF_PASSWORD,
};
use time::OffsetDateTime;

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impersonating_a_single_org_user() {
    let server = start().await;
    let browser = browser();
    assert_eq!(session(&server, &browser).await.0, StatusCode::UNAUTHORIZED);

    impersonate(&server, &browser, BOB, "Ticket 4521: cannot see invoices", None).await;
    let started = OffsetDateTime::now_utc();

    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["user"]["id"], BOB);
    assert_eq!(json["user"]["email"], "bob@northwind.test");
    assert_eq!(json["user"]["firstName"], "Bob");
    assert_eq!(json["user"]["lastName"], "Ng");
    assert_eq!(json["impersonator"]["email"], STAFF);
    assert_eq!(json["impersonator"]["reason"], "Ticket 4521: cannot see invoices");
    assert_eq!(json["organizationId"], "org_01NORTHWIND");
    assert_eq!(json["organization"]["id"], "org_01NORTHWIND");
    assert_eq!(json["organization"]["name"], "Northwind Traders");
    assert!(json["sessionId"].as_str().is_some_and(|s| s.starts_with("session_")), "{json}");
    let left = (parse_time(&json["expiresAt"]) - started).whole_seconds();
    assert!((3595..=3601).contains(&left), "the impersonation lasts 60 minutes, not {left}s");
    let remaining = (parse_time(&json["expiresAt"]) - parse_time(&json["serverTime"])).whole_milliseconds();
    assert!((3_590_000..=3_600_000).contains(&remaining), "never more than 60 minutes left: {remaining}ms");
    let skew = (parse_time(&json["serverTime"]) - OffsetDateTime::now_utc()).whole_seconds().abs();
    assert!(skew <= 2, "{skew}");

    // The app's pages now belong to Bob, and carry the bar the non-Rust way.
    let html = browser.get(server.url("/account")).send().await.expect("account").text().await.expect("html");
    assert!(html.contains("bob@northwind.test"));
    assert!(html.contains(r#"<span class="redact" id="card-number">•••• •••• •••• 4242</span>"#));
    assert!(!html.contains("4242 4242 4242 4242"), "masked on the server, not only blurred");
    assert!(!html.contains("123-45-6789"));
    // The password page is refused on the server, saying why.
    let password = browser.get(server.url("/account/password")).send().await.expect("password");
    assert_eq!(password.status(), StatusCode::FORBIDDEN);
    let refusal = password.text().await.expect("html");
    assert!(refusal.contains("not available while impersonating"), "{refusal}");
    assert!(!refusal.contains(r#"id="password-page""#));
    // Still the session's page around it: the bar's Stop has its CSRF token here too.
    assert!(!refusal.contains(r#"<meta name="csrf-token" content="">"#), "{refusal}");
    assert!(html.contains(r#"<script type="module" src="/static/staff-bar/staff-bar.js"></script>"#));
    assert!(html.contains(
        r#"<staff-bar session-url="/auth/session" sign-out-url="/auth/sign-out" return-to="/"></staff-bar>"#
    ));
    assert!(html.contains(r#"<link rel="stylesheet" href="/static/acme.css">"#));
    let css =
        browser.get(server.url("/static/acme.css")).send().await.expect("css").text().await.expect("css");
    assert!(css.contains("html[data-impersonating] .redact {"), "the host CSS redacts while impersonating");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impersonating_a_multi_org_user_needs_an_organization() {
    let server = start_enabled().await;
    let browser = browser();
    staff_sign_in(&server, &browser).await;

    let form = browser
        .get(server.url(&format!("/workos/dashboard/users/{CAROL}/impersonate")))
        .send()
        .await
        .expect("form")
        .text()
        .await
        .expect("html");
    assert!(form.contains(r#"<label for="organization">Organization</label>"#));
    assert!(form.contains(r#"<option value="org_01GLOBEX">Globex</option>"#));
    assert!(form.contains(r#"<option value="org_01INITECH">Initech</option>"#));

    // No organization chosen: refused, the form comes back with the reason kept.
    let refused = dashboard_impersonate(&server, &browser, CAROL, "Billing question", None).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.headers().get(LOCATION).is_none());
    let html = refused.text().await.expect("html");
    assert!(html.contains(r#"role="alert""#) && html.contains("Choose the organization"), "{html}");
    assert!(html.contains("Billing question"));
    // An organization Carol does not belong to is refused as well.
    let foreign = dashboard_impersonate(&server, &browser, CAROL, "Billing", Some("org_01NORTHWIND")).await;
    assert_eq!(foreign.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(session(&server, &browser).await.0, StatusCode::UNAUTHORIZED);

    impersonate(&server, &browser, CAROL, "Billing question", Some("org_01INITECH")).await;
    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["user"]["email"], "carol@consulting.test");
    assert_eq!(json["impersonator"]["email"], STAFF);
    assert_eq!(json["impersonator"]["reason"], "Billing question");
    assert_eq!(json["organizationId"], "org_01INITECH");
    assert_eq!(json["organization"]["name"], "Initech");
    assert!(json["expiresAt"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_reason_is_refused_and_nothing_happens() {
    let server = start().await;
    let browser = browser();
    for reason in ["", "   \n "] {
        let refused = dashboard_impersonate(&server, &browser, BOB, reason, None).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "reason {reason:?}");
        assert!(refused.headers().get(LOCATION).is_none());
        let html = refused.text().await.expect("html");
        assert!(html.contains(r#"role="alert""#) && html.contains("Enter a reason"), "{html}");
        assert!(html.contains(r#"<label for="reason">Reason</label>"#), "the form is shown again");
    }
    assert_eq!(session(&server, &browser).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_without_the_right_csrf_token_is_forbidden() {
    let server = start().await;
    let browser = browser();
    impersonate(&server, &browser, BOB, "Ticket 1", None).await;
    let token = csrf_token(&server, &browser).await;
    assert_eq!(token.len(), 64);

    let missing = sign_out_json(&server, &browser, None, r#"{"returnTo":"/"}"#).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    assert!(session_cookie(&missing).is_none(), "a refused sign-out leaves the cookie alone");

    let wrong = sign_out_json(&server, &browser, Some(&"0".repeat(64)), r#"{"returnTo":"/"}"#).await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert!(session_cookie(&wrong).is_none());

    let wrong_form = browser
        .post(server.url("/auth/sign-out"))
        .form(&[("csrf_token", "forged"), ("return_to", "/")])
        .send()
        .await
        .expect("form");
    assert_eq!(wrong_form.status(), StatusCode::FORBIDDEN);

    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["impersonator"]["email"], STAFF, "still impersonating: {json}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_signs_out_through_the_workos_logout_and_lands_on_the_app() {
    let server = start().await;
    let browser = browser();
    impersonate(&server, &browser, BOB, "Ticket 2", None).await;
    let sid = session(&server, &browser).await.1["sessionId"].as_str().expect("sid").to_owned();
    let token = csrf_token(&server, &browser).await;

    // returnTo must be a path of the app.
    let foreign =
        sign_out_json(&server, &browser, Some(&token), r#"{"returnTo":"https://evil.test/"}"#).await;
    assert_eq!(foreign.status(), StatusCode::BAD_REQUEST);
    assert_eq!(session(&server, &browser).await.0, StatusCode::OK);

    let answer = sign_out_json(&server, &browser, Some(&token), r#"{"returnTo":"/invoices"}"#).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let cookie = session_cookie(&answer).expect("the cookie is cleared");
    assert!(cookie.contains("Max-Age=0"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    let json: Value = answer.json().await.expect("json");
    let redirect = json["redirectTo"].as_str().expect("redirectTo").to_owned();

    let url = url::Url::parse(&redirect).expect("an absolute URL");
    assert_eq!(url.origin().ascii_serialization(), server.base);
    assert_eq!(url.path(), "/workos/user_management/sessions/logout");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("session_id".into(), sid)), "{redirect}");
    assert!(pairs.contains(&("return_to".into(), server.url("/invoices"))), "{redirect}");

    // The app's side is over already.
    assert_eq!(session(&server, &browser).await.0, StatusCode::UNAUTHORIZED);

    // Following it: the stand-in ends its session and sends the browser back.
    let logout = browser.get(&redirect).send().await.expect("logout");
    assert!(logout.status().is_redirection(), "{}", logout.status());
    assert_eq!(location(&logout), server.url("/invoices"));
    let page = browser.get(server.url("/invoices")).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("Not signed in"));
    assert!(html.contains(r#"<meta name="csrf-token" content="">"#));
    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(json["user"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stand_in_refuses_an_unknown_return_to() {
    let server = start().await;
    let browser = browser();
    impersonate(&server, &browser, BOB, "Ticket 3", None).await;
    let sid = session(&server, &browser).await.1["sessionId"].as_str().expect("sid").to_owned();

    for target in ["https://evil.test/", &server.url("/not-registered"), "//evil.test/"] {
        let mut url = url::Url::parse(&server.url("/workos/user_management/sessions/logout")).expect("url");
        url.query_pairs_mut().append_pair("session_id", &sid).append_pair("return_to", target);
        let refused = browser.get(url.as_str()).send().await.expect("logout");
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{target}");
        assert!(refused.headers().get(LOCATION).is_none());
        let html = refused.text().await.expect("html");
        assert!(html.contains("not one of this environment"), "{html}");
    }

    // A registered one works.
    let mut url = url::Url::parse(&server.url("/workos/user_management/sessions/logout")).expect("url");
    url.query_pairs_mut().append_pair("session_id", &sid).append_pair("return_to", &server.url("/account"));
    let ok = browser.get(url.as_str()).send().await.expect("logout");
    assert!(ok.status().is_redirection());
    assert_eq!(location(&ok), server.url("/account"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_on_sign_out_is_not_allowed() {
    let server = start().await;
    let browser = browser();
    impersonate(&server, &browser, BOB, "Ticket 4", None).await;
    let response = browser.get(server.url("/auth/sign-out")).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(session(&server, &browser).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_mode_sign_out_answers_303_to_the_logout_url() {
    let server = start().await;
    let browser = browser();
    impersonate(&server, &browser, CAROL, "Ticket 5", Some("org_01GLOBEX")).await;
    let sid = session(&server, &browser).await.1["sessionId"].as_str().expect("sid").to_owned();
    let token = csrf_token(&server, &browser).await;

    let answer = browser
        .post(server.url("/auth/sign-out"))
        .form(&[("csrf_token", token.as_str()), ("return_to", "/account")])
        .send()
        .await
        .expect("form");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert!(session_cookie(&answer).is_some_and(|c| c.contains("Max-Age=0")));
    let target = location(&answer);
    let url = url::Url::parse(&target).expect("absolute");
    assert_eq!(url.path(), "/workos/user_management/sessions/logout");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("session_id".into(), sid)));
    assert!(pairs.contains(&("return_to".into(), server.url("/account"))));
    assert_eq!(session(&server, &browser).await.0, StatusCode::UNAUTHORIZED);

    let back = browser.get(&target).send().await.expect("logout");
    assert_eq!(location(&back), server.url("/account"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_impersonation_really_expires() {
    let server = start_with(|config| config.impersonation_ttl = Duration::from_secs(120)).await;
    let browser = browser();
    impersonate(&server, &browser, BOB, "Short one", None).await;
    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["impersonator"]["email"], STAFF);
    let left = (parse_time(&json["expiresAt"]) - parse_time(&json["serverTime"])).whole_seconds();
    assert!((118..=120).contains(&left), "{left}");

    // A minute later (on the server's clock) it is still on, and says so.
    server.advance(Duration::from_secs(60));
    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let left = (parse_time(&json["expiresAt"]) - parse_time(&json["serverTime"])).whole_seconds();
    assert!((58..=60).contains(&left), "{left}");

    server.advance(Duration::from_secs(61));
    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "after the TTL the impersonation is over: {json}");
    assert!(json["user"].is_null());
    let html = browser.get(server.url("/account")).send().await.expect("page").text().await.expect("html");
    assert!(!html.contains("bob@northwind.test"), "pages no longer show Bob's account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_users_never_see_each_other() {
    let server = start().await;
    let (alice_staff, other_staff, stranger) = (browser(), browser(), browser());
    tokio::join!(
        impersonate(&server, &alice_staff, BOB, "Bob's ticket", None),
        impersonate(&server, &other_staff, CAROL, "Carol's ticket", Some("org_01GLOBEX")),
    );
    let ((_, first), (_, second), (status, _)) = tokio::join!(
        session(&server, &alice_staff),
        session(&server, &other_staff),
        session(&server, &stranger),
    );
    assert_eq!(first["user"]["email"], "bob@northwind.test");
    assert_eq!(first["impersonator"]["reason"], "Bob's ticket");
    assert_eq!(second["user"]["email"], "carol@consulting.test");
    assert_eq!(second["organization"]["name"], "Globex");
    assert_ne!(first["sessionId"], second["sessionId"]);
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a third browser is signed in as nobody");

    // One session's token does not sign out the other.
    let first_token = csrf_token(&server, &alice_staff).await;
    let second_token = csrf_token(&server, &other_staff).await;
    assert_ne!(first_token, second_token);
    let crossed = sign_out_json(&server, &other_staff, Some(&first_token), "{}").await;
    assert_eq!(crossed.status(), StatusCode::FORBIDDEN);

    let stopped = sign_out_json(&server, &alice_staff, Some(&first_token), "{}").await;
    assert_eq!(stopped.status(), StatusCode::OK);
    assert_eq!(session(&server, &alice_staff).await.0, StatusCode::UNAUTHORIZED);
    let (status, json) = session(&server, &other_staff).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["user"]["email"], "carol@consulting.test");
}

/// `/auth/session` sends staff-bar's own contract type; the reader the browser runs
/// (no serde) and serde read it back as the same session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_json_is_what_the_browser_parser_reads() {
    let server = start().await;
    let browser = browser();
    impersonate(&server, &browser, BOB, "Ticket 77: <b>bold</b> \"quoted\" \u{1F642}", None).await;
    let response = browser.get(server.url("/auth/session")).send().await.expect("session");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("text");
    let read = staff_bar_core::Session::from_json(&text)
        .expect("the browser parser reads it")
        .expect("impersonating");
    assert_eq!(read.user.id.as_deref(), Some(BOB));
    assert_eq!(read.user.email, "bob@northwind.test");
    assert_eq!(read.user.first_name.as_deref(), Some("Bob"));
    assert_eq!(read.impersonator.email, STAFF);
    assert_eq!(read.impersonator.reason.as_deref(), Some("Ticket 77: <b>bold</b> \"quoted\" \u{1F642}"));
    let organization = read.organization.clone().expect("an organization");
    assert_eq!(organization.id.as_deref(), Some("org_01NORTHWIND"));
    assert_eq!(organization.name.as_deref(), Some("Northwind Traders"));
    assert!(read.session_id.as_deref().is_some_and(|id| id.starts_with("session_")));
    let (Some(expires_at), Some(server_time)) = (read.expires_at, read.server_time) else {
        panic!("expiresAt and serverTime are read: {text}");
    };
    assert!((3_590_000..=3_600_000).contains(&(expires_at - server_time)), "{text}");
    let by_serde: staff_bar_core::Session = serde_json::from_str(&text).expect("serde reads it");
    assert_eq!(by_serde, read);
    // And what serde writes back is the same JSON.
    let again: Value = serde_json::to_value(&read).expect("json");
    assert_eq!(again, serde_json::from_str::<Value>(&text).expect("json"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ordinary_sign_in_has_no_impersonator() {
    let server = start().await;
    let browser = browser();
    let start = browser.get(server.url("/auth/sign-in")).send().await.expect("sign-in");
    assert!(start.status().is_redirection());
    let authorize = url::Url::parse(&location(&start)).expect("absolute");
    assert_eq!(authorize.path(), "/workos/user_management/authorize");
    let query: std::collections::HashMap<String, String> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["redirect_uri"], server.url("/auth/callback"));
    assert_eq!(query["response_type"], "code");
    let state = query["state"].clone();

    let page = browser.get(authorize.as_str()).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Sign in as Bob Ng"));
    let chosen = browser
        .post(server.url("/workos/user_management/authorize"))
        .form(&[
            ("client_id", query["client_id"].as_str()),
            ("redirect_uri", query["redirect_uri"].as_str()),
            ("state", state.as_str()),
            ("user_id", BOB),
        ])
        .send()
        .await
        .expect("choose");
    let callback = location(&chosen);
    assert!(callback.contains("code=") && callback.contains(&format!("state={state}")), "{callback}");

    // The same callback in another browser (no state cookie) is refused.
    let other = status_in_a_fresh_browser(&callback).await;
    assert_eq!(other, StatusCode::BAD_REQUEST);

    let landed = browser.get(&callback).send().await.expect("callback");
    assert_eq!(landed.status(), StatusCode::SEE_OTHER);
    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["user"]["email"], "bob@northwind.test");
    assert!(json["impersonator"].is_null(), "{json}");
    assert_eq!(json["organization"]["name"], "Northwind Traders");
    assert!(json.get("expiresAt").is_none());
    // The user sees their own sensitive fields whole.
    let html = browser.get(server.url("/account")).send().await.expect("account").text().await.expect("html");
    assert!(html.contains(r#"<span class="redact" id="card-number">4242 4242 4242 4242</span>"#));
    assert!(html.contains("123-45-6789"));
    let password = browser.get(server.url("/account/password")).send().await.expect("password");
    assert_eq!(password.status(), StatusCode::OK);
    assert!(password.text().await.expect("html").contains(r#"id="password-page""#));
    assert_eq!(
        reqwest::Client::new().get(server.url("/account/password")).send().await.expect("page").status(),
        401
    );

    // A code works once.
    let replay = browser.get(&callback).send().await.expect("replay");
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
}

async fn status_in_a_fresh_browser(callback: &str) -> StatusCode {
    browser().get(callback).send().await.expect("callback").status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_without_the_bundle_and_serve_it_when_present() {
    let missing = std::env::temp_dir().join(format!("staff-bar-demo-missing-{}", std::process::id()));
    let server = start_with(|config| config.dist_dir = missing.clone()).await;
    let browser = browser();
    for path in ["/", "/invoices", "/account", "/leptos"] {
        let page = browser.get(server.url(path)).send().await.expect("page");
        assert_eq!(page.status(), StatusCode::OK, "{path}");
    }
    let bundle = browser.get(server.url("/static/staff-bar/staff-bar.js")).send().await.expect("bundle");
    assert_eq!(bundle.status(), StatusCode::NOT_FOUND);

    let dist = std::env::temp_dir().join(format!("staff-bar-demo-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).expect("dir");
    std::fs::write(dist.join("staff-bar.js"), "export const marker = 42;\n").expect("write");
    let served = start_with(|config| config.dist_dir = dist.clone()).await;
    let bundle = browser.get(served.url("/static/staff-bar/staff-bar.js")).send().await.expect("bundle");
    assert_eq!(bundle.status(), StatusCode::OK);
    assert!(bundle.headers()["content-type"].to_str().unwrap_or("").contains("javascript"));
    // The README's cache advice for the copied folder: revalidated, answered by a 304.
    assert_eq!(bundle.headers()["cache-control"], "no-cache");
    let modified = bundle.headers()["last-modified"].clone();
    assert_eq!(bundle.text().await.expect("body"), "export const marker = 42;\n");
    let again = browser
        .get(served.url("/static/staff-bar/staff-bar.js"))
        .header("if-modified-since", modified)
        .send()
        .await
        .expect("bundle");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let _ = std::fs::remove_dir_all(&dist);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_real_credentials_the_stand_in_is_not_mounted() {
    let server = start_with(|config| {
        config.workos = WorkosMode::Real { api_key: "sk_test_x".into(), client_id: "client_x".into() };
    })
    .await;
    let browser = browser();
    let dashboard = browser.get(server.url("/workos/dashboard")).send().await.expect("dashboard");
    assert_eq!(dashboard.status(), StatusCode::NOT_FOUND);
    let start = browser.get(server.url("/auth/sign-in")).send().await.expect("sign-in");
    assert!(location(&start).starts_with("https://api.workos.com/user_management/authorize?"));
    let home = browser.get(server.url("/")).send().await.expect("home").text().await.expect("html");
    assert!(home.contains("https://dashboard.workos.com/"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ordinary_sign_in_ends_after_the_session_ttl() {
    let server = start_with(|config| config.session_ttl = Duration::from_secs(3600)).await;
    let browser = browser();
    ordinary_sign_in(&server, &browser, BOB).await;
    assert_eq!(session(&server, &browser).await.0, StatusCode::OK);
    server.advance(Duration::from_secs(3590));
    assert_eq!(session(&server, &browser).await.0, StatusCode::OK, "not yet");
    server.advance(Duration::from_secs(11));
    let (status, json) = session(&server, &browser).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an ordinary sign-in ends too: {json}");
    let html = browser.get(server.url("/account")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Not signed in"), "{html}");
}

/// The hosted sign-in page, as an ordinary user: sign-in → pick `user` → callback.
async fn ordinary_sign_in(server: &Server, browser: &Client, user: &str) {
    let callback = hosted_callback(server, browser, user).await;
    let landed = browser.get(callback).send().await.expect("callback");
    assert_eq!(landed.status(), StatusCode::SEE_OTHER, "{}", landed.text().await.unwrap_or_default());
}

/// Where the stand-in's hosted sign-in page sends the browser once `user` is picked:
/// the app's callback with a code and this browser's state, not yet followed.
async fn hosted_callback(server: &Server, browser: &Client, user: &str) -> String {
    let start = browser.get(server.url("/auth/sign-in")).send().await.expect("sign-in");
    let authorize = url::Url::parse(&location(&start)).expect("absolute");
    let query: std::collections::HashMap<String, String> = authorize.query_pairs().into_owned().collect();
    let chosen = browser
        .post(server.url("/workos/user_management/authorize"))
        .form(&[
            ("client_id", query["client_id"].as_str()),
            ("redirect_uri", query["redirect_uri"].as_str()),
            ("state", query["state"].as_str()),
            ("user_id", user),
        ])
        .send()
        .await
        .expect("choose");
    location(&chosen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_return_to_that_decodes_to_another_origin_is_refused() {
    let server = start().await;
    let browser = browser();
    impersonate(&server, &browser, BOB, "Ticket 6", None).await;
    let token = csrf_token(&server, &browser).await;
    for target in ["/%2F%2Fevil.test", "/%5Cevil.test", "/%252F%252Fevil.test", "/%09/evil.test", "/ /evil"] {
        let body = serde_json::json!({ "returnTo": target }).to_string();
        let refused = sign_out_json(&server, &browser, Some(&token), &body).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{target}");
        assert!(session_cookie(&refused).is_none(), "{target}");
        let form = browser
            .post(server.url("/auth/sign-out"))
            .form(&[("csrf_token", token.as_str()), ("return_to", target)])
            .send()
            .await
            .expect("form");
        assert_eq!(form.status(), StatusCode::BAD_REQUEST, "{target}");
        assert!(form.headers().get(LOCATION).is_none());
    }
    assert_eq!(session(&server, &browser).await.0, StatusCode::OK, "nothing was signed out");
    let fine = sign_out_json(&server, &browser, Some(&token), r#"{"returnTo":"/account?tab=1"}"#).await;
    assert_eq!(fine.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_page_does_not_show_what_workos_said() {
    let server = start().await;
    let browser = browser();
    // A code the stand-in does not know: it answers "The code is invalid, used or
    // expired." That goes to the log, not to the page.
    let page = browser.get(server.url("/auth/callback?code=bogus")).send().await.expect("callback");
    // (A code without `state` is exchanged first, to see whether it is an impersonation.)
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let html = page.text().await.expect("html");
    assert!(html.contains("Signing in did not work"), "{html}");
    assert!(!html.contains("invalid, used or expired"), "{html}");
    assert!(!html.contains("invalid_grant"), "{html}");

    // Nor what the redirect says in `error_description`: anyone can write that.
    let page =
        browser
            .get(server.url(
                "/auth/callback?error=access_denied&error_description=Call%20%2B1-555-0100%20for%20help",
            ))
            .send()
            .await
            .expect("callback");
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let html = page.text().await.expect("html");
    assert!(html.contains("Signing in did not work"), "{html}");
    assert!(!html.contains("555-0100") && !html.contains("access_denied"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_when_the_app_is_served_over_https() {
    let server = start_with(|config| config.base_url = "https://acme.example".into()).await;
    let browser = browser();
    let begun = browser.get(server.url("/auth/sign-in")).send().await.expect("sign-in");
    let state = set_cookies(&begun).into_iter().find(|c| c.starts_with("acme_oauth_state=")).expect("state");
    assert!(state.contains("; Secure"), "{state}");
    assert!(state.contains("HttpOnly") && state.contains("SameSite=Lax"), "{state}");
    let login = browser
        .post(server.url("/workos/login"))
        .form(&[("email", STAFF), ("password", STAND_IN_STAFF_PASSWORD)])
        .send()
        .await
        .expect("login");
    let staff =
        set_cookies(&login).into_iter().find(|c| c.starts_with("workos_staff=")).expect("staff cookie");
    assert!(staff.contains("; Secure"), "{staff}");

    // Over plain http nothing is Secure (a browser would drop the cookie).
    let plain = start().await;
    let begun = browser.get(plain.url("/auth/sign-in")).send().await.expect("sign-in");
    let state = set_cookies(&begun).into_iter().find(|c| c.starts_with("acme_oauth_state=")).expect("state");
    assert!(!state.contains("Secure"), "{state}");
}

/// Login CSRF: an attacker signs in as themselves at the hosted page, keeps the code
/// and sends the victim the callback link without (or with their own) `state`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ordinary_sign_in_code_without_this_browsers_state_is_refused() {
    let server = start().await;
    let attacker = browser();
    let start = attacker.get(server.url("/auth/sign-in")).send().await.expect("sign-in");
    let authorize = url::Url::parse(&location(&start)).expect("absolute");
    let query: std::collections::HashMap<String, String> = authorize.query_pairs().into_owned().collect();
    let mut codes = Vec::new();
    for _ in 0..2 {
        let chosen = attacker
            .post(server.url("/workos/user_management/authorize"))
            .form(&[
                ("client_id", query["client_id"].as_str()),
                ("redirect_uri", query["redirect_uri"].as_str()),
                ("state", query["state"].as_str()),
                ("user_id", BOB),
            ])
            .send()
            .await
            .expect("choose");
        let callback = url::Url::parse(&location(&chosen)).expect("absolute");
        let code = callback.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned());
        codes.push(code.expect("a code"));
    }

    let victim = browser();
    // The attacker's code with no state at all.
    let landed =
        victim.get(server.url(&format!("/auth/callback?code={}", codes[0]))).send().await.expect("cb");
    assert_eq!(landed.status(), StatusCode::BAD_REQUEST);
    assert!(session_cookie(&landed).is_none(), "no session for the victim");
    assert_eq!(session(&server, &victim).await.0, StatusCode::UNAUTHORIZED);
    // With the attacker's state (the victim has no state cookie, or another one).
    let _ = victim.get(server.url("/auth/sign-in")).send().await.expect("victim's own sign-in");
    let url = server.url(&format!("/auth/callback?code={}&state={}", codes[1], query["state"]));
    let landed = victim.get(url).send().await.expect("cb");
    assert_eq!(landed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(session(&server, &victim).await.0, StatusCode::UNAUTHORIZED);

    // A dashboard impersonation has no state and is still accepted (see `impersonate`).
    let staff = browser();
    impersonate(&server, &staff, BOB, "State-less, from the dashboard", None).await;
    assert_eq!(session(&server, &staff).await.1["impersonator"]["email"], STAFF);
}

/// A code from the stand-in's hosted sign-in page for `user`, not yet exchanged.
async fn hosted_sign_in_code(server: &Server, browser: &Client, user: &str) -> String {
    let callback = url::Url::parse(&hosted_callback(server, browser, user).await).expect("absolute");
    let code = callback.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned());
    code.expect("a code")
}

/// The stand-in's tokens are what WorkOS's are: RS256 with a `kid` from the JWKS at
/// `/sso/jwks/{client_id}`. The `workos` crate's own JWKS helper finds the key, and its
/// `SessionManager` (which verifies access tokens itself) accepts a session with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workos_crate_verifies_the_stand_ins_tokens_with_its_jwks() {
    use staff_bar_demo::{STAND_IN_API_KEY, STAND_IN_CLIENT_ID};
    let server = start().await;
    let browser = browser();
    let code = hosted_sign_in_code(&server, &browser, BOB).await;
    let api = server.url("/workos");
    let client = workos::Client::builder()
        .api_key(STAND_IN_API_KEY)
        .client_id(STAND_IN_CLIENT_ID)
        .base_url(api.clone())
        .build();
    let auth = client
        .user_management()
        .authenticate_with_code(workos::user_management::AuthenticateWithCodeParams::new(code))
        .await
        .expect("the code exchange");
    let token = auth.access_token.expose().to_owned();

    let jwks = client.jwks();
    assert_eq!(jwks.url(), workos::helpers::jwks_url(&api, STAND_IN_CLIENT_ID));
    assert_eq!(jwks.url(), server.url("/workos/sso/jwks/client_staff_bar_demo"));
    let set = jwks.fetch().await.expect("the JWKS");
    let header = jsonwebtoken::decode_header(&token).expect("a JWT header");
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    let kid = header.kid.expect("a kid");
    let key =
        set.keys.iter().find(|k| k.kid.as_deref() == Some(kid.as_str())).expect("the kid is in the JWKS");
    assert_eq!(key.kty.as_deref(), Some("RSA"));
    assert_eq!(key.use_.as_deref(), Some("sig"));
    let jwk: jsonwebtoken::jwk::Jwk =
        serde_json::from_value(serde_json::to_value(key).expect("json")).expect("a JWK");
    let decoding_key = jsonwebtoken::DecodingKey::from_jwk(&jwk).expect("an RSA key");
    let validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    let claims = jsonwebtoken::decode::<Value>(&token, &decoding_key, &validation).expect("verified").claims;
    assert_eq!(claims["sub"], BOB);
    assert_eq!(claims["org_id"], "org_01NORTHWIND");
    assert!(claims["sid"].as_str().is_some_and(|sid| sid.starts_with("session_")), "{claims}");
    // One changed byte of the payload, and the same key refuses it.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].replacen('e', "f", 1);
    assert!(jsonwebtoken::decode::<Value>(&parts.join("."), &decoding_key, &validation).is_err());

    let password = "5e".repeat(32);
    let sealed = workos::helpers::session::seal_session_from_auth_response(
        auth.access_token.clone(),
        auth.refresh_token.clone(),
        Some(auth.user.clone()),
        None,
        &password,
    )
    .expect("sealed");
    let state = client.session(sealed, password).authenticate().await;
    assert!(state.authenticated, "the SDK's verifier accepts it: {}", state.reason);
    assert_eq!(state.session_id, claims["sid"].as_str().unwrap_or_default());
    assert_eq!(state.organization_id, "org_01NORTHWIND");
}

/// A WorkOS for the app to talk to (`WorkosMode::Real` at another base URL) whose
/// token endpoint answers with the token `forge` makes; its JWKS lists `jwks_key`.
mod fake_workos {
    use std::sync::{Arc, Mutex};

    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
    use axum::extract::State;
    use axum::routing::{get, post};
    use axum::{Json, Router};
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use serde_json::{json, Value};

    pub struct TestKey {
        pair: KeyPair,
        pub kid: String,
    }

    impl TestKey {
        pub fn new(kid: &str) -> TestKey {
            TestKey { pair: KeyPair::generate(KeySize::Rsa2048).expect("an RSA key"), kid: kid.to_owned() }
        }

        pub fn jwk(&self) -> Value {
            let public = self.pair.public_key();
            json!({
                "kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
                "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
                "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
            })
        }

        /// `claims` signed RS256 under `header`.
        pub fn sign(&self, header: &Value, claims: &Value) -> String {
            let message = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(header.to_string()),
                URL_SAFE_NO_PAD.encode(claims.to_string())
            );
            let mut signature = vec![0u8; self.pair.public_modulus_len()];
            self.pair
                .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message.as_bytes(), &mut signature)
                .expect("signed");
            format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
        }
    }

    #[derive(Clone)]
    pub struct Fake {
        pub jwks_key: Arc<TestKey>,
        /// The next access token the token endpoint hands out.
        pub token: Arc<Mutex<String>>,
    }

    pub fn router(fake: Fake) -> Router {
        Router::new()
            .route(
                "/sso/jwks/{client_id}",
                get(|State(fake): State<Fake>| async move { Json(json!({ "keys": [fake.jwks_key.jwk()] })) }),
            )
            .route(
                "/user_management/authenticate",
                post(|State(fake): State<Fake>| async move {
                    let token = fake.token.lock().map(|t| t.clone()).unwrap_or_default();
                    Json(json!({
                        "user": {
                            "object": "user", "id": "user_01EVE", "email": "eve@fake.test",
                            "first_name": "Eve", "last_name": null, "email_verified": true,
                            "profile_picture_url": null,
                            "created_at": "2026-01-05T09:00:00.000Z", "updated_at": "2026-01-05T09:00:00.000Z"
                        },
                        "organization_id": null,
                        "access_token": token,
                        "refresh_token": "refresh",
                    }))
                }),
            )
            .with_state(fake)
    }
}

/// The app believes an access token only once it verifies: a token signed by a key
/// that is not in the JWKS (under a `kid` that is), a tampered one, an expired one,
/// one about another user, or one in another algorithm gets no session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_or_tampered_access_token_is_refused() {
    use fake_workos::{Fake, TestKey};
    let trusted = Arc::new(TestKey::new("key_trusted"));
    let fake = Fake { jwks_key: trusted.clone(), token: Arc::new(std::sync::Mutex::new(String::new())) };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let fake_base = format!("http://{}", listener.local_addr().expect("address"));
    let router = fake_workos::router(fake.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    let server = start_with(|config| {
        config.workos = WorkosMode::Real { api_key: "sk_test_fake".into(), client_id: "client_fake".into() };
        config.workos_api_url = Some(fake_base.clone());
    })
    .await;

    let now = OffsetDateTime::now_utc().unix_timestamp();
    // As WorkOS writes them: no `org_id` when there is no organization (the crate reads
    // a present one as a string).
    let claims = |sub: &str, exp: i64| serde_json::json!({ "sub": sub, "sid": "session_01FAKE", "iat": now, "exp": exp });
    let header = |kid: &str| serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": kid });
    let good = trusted.sign(&header("key_trusted"), &claims("user_01EVE", now + 300));
    let mut tampered: Vec<String> = good.split('.').map(str::to_owned).collect();
    tampered[1] = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        claims("user_01EVE", now + 300).to_string().replace("session_01FAKE", "session_01MINE"),
    );
    let attacker = TestKey::new("key_trusted");
    let hs256 = jsonwebtoken::encode(
        &jsonwebtoken::Header {
            kid: Some("key_trusted".into()),
            ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256)
        },
        &claims("user_01EVE", now + 300),
        &jsonwebtoken::EncodingKey::from_secret(b"the public key, maybe"),
    )
    .expect("hs256");
    let unsigned = format!(
        "{}.{}.",
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            r#"{"alg":"none","kid":"key_trusted"}"#
        ),
        tampered[1]
    );
    let forged = [
        ("another key, same kid", attacker.sign(&header("key_trusted"), &claims("user_01EVE", now + 300))),
        ("tampered payload", tampered.join(".")),
        ("expired", trusted.sign(&header("key_trusted"), &claims("user_01EVE", now - 1))),
        ("another user", trusted.sign(&header("key_trusted"), &claims("user_01BOBNG", now + 300))),
        ("unknown kid", trusted.sign(&header("key_other"), &claims("user_01EVE", now + 300))),
        ("HS256", hs256),
        ("alg none", unsigned),
        ("not a JWT", "garbage".to_owned()),
    ];
    for (what, token) in forged.iter().map(|(w, t)| (*w, t.clone())).chain([("genuine", good)]) {
        *fake.token.lock().expect("lock") = token;
        let browser = browser();
        let start = browser.get(server.url("/auth/sign-in")).send().await.expect("sign-in");
        let authorize = url::Url::parse(&location(&start)).expect("absolute");
        assert!(authorize.as_str().starts_with(&fake_base), "{authorize}");
        let state = authorize.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned());
        let callback = format!("/auth/callback?code=anything&state={}", state.expect("state"));
        let landed = browser.get(server.url(&callback)).send().await.expect("callback");
        if what == "genuine" {
            assert_eq!(landed.status(), StatusCode::SEE_OTHER, "{}", landed.text().await.unwrap_or_default());
            assert_eq!(session(&server, &browser).await.1["user"]["email"], "eve@fake.test");
        } else {
            assert_eq!(landed.status(), StatusCode::BAD_GATEWAY, "{what}");
            assert!(session_cookie(&landed).is_none(), "{what}: no session");
            let html = landed.text().await.expect("html");
            assert!(html.contains("Signing in did not work"), "{what}: {html}");
            assert_eq!(session(&server, &browser).await.0, StatusCode::UNAUTHORIZED, "{what}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_needs_a_staff_sign_in() {
    let server = start_enabled().await;
    let browser = browser();
    let form_path = format!("/workos/dashboard/users/{BOB}/impersonate");
    let form = browser.get(server.url(&form_path)).send().await.expect("form");
    assert_eq!(form.status(), StatusCode::SEE_OTHER);
    assert!(location(&form).starts_with("/workos/login?next="), "{}", location(&form));
    // Submitting the form without a sign-in starts nothing.
    let submitted =
        browser.post(server.url(&form_path)).form(&[("reason", "Drive-by")]).send().await.expect("post");
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    assert!(location(&submitted).starts_with("/workos/login"), "{}", location(&submitted));

    // A wrong password (or another account) gets no cookie.
    for (email, password) in [(STAFF, "guess"), ("mallory@evil.test", STAND_IN_STAFF_PASSWORD), (STAFF, "")] {
        let refused = browser
            .post(server.url("/workos/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("login");
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{email}");
        assert!(set_cookies(&refused).is_empty());
        assert!(refused.text().await.expect("html").contains("The email or the password is wrong."));
    }
    let dashboard = browser.get(server.url("/workos/dashboard")).send().await.expect("dashboard");
    assert_eq!(dashboard.status(), StatusCode::SEE_OTHER, "still signed out");

    // Signed in, the form comes back to where it was asked for; signed out again, not.
    staff_sign_in(&server, &browser).await;
    let html = browser.get(server.url(&form_path)).send().await.expect("form").text().await.expect("html");
    assert!(html.contains("Impersonate Bob Ng"));
    assert!(html.contains(&format!("Signed in as {STAFF}")));
    let sign_out = browser
        .post(server.url("/workos/staff/sign-out"))
        .form(&[("csrf_token", form_token(&html, &form_path).as_str())])
        .send()
        .await
        .expect("sign-out");
    // (That was the impersonate form's token: it does not sign out.)
    assert_eq!(sign_out.status(), StatusCode::FORBIDDEN);
    let dashboard = browser.get(server.url("/workos/dashboard")).send().await.expect("dashboard");
    let html = dashboard.text().await.expect("html");
    let sign_out = browser
        .post(server.url("/workos/staff/sign-out"))
        .form(&[("csrf_token", form_token(&html, "/workos/staff/sign-out").as_str())])
        .send()
        .await
        .expect("sign-out");
    assert_eq!(sign_out.status(), StatusCode::SEE_OTHER);
    assert!(set_cookies(&sign_out)
        .iter()
        .any(|c| c.starts_with("workos_staff=;") && c.contains("Max-Age=0")));
    let form = browser.get(server.url(&form_path)).send().await.expect("form");
    assert_eq!(form.status(), StatusCode::SEE_OTHER, "signed out of the dashboard");
}

/// Another site cannot make a signed-in staff member's browser start an
/// impersonation: the form's token, `Origin` and `Sec-Fetch-Site` are checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_impersonation_is_refused() {
    let server = start_enabled().await;
    let browser = browser();
    staff_sign_in(&server, &browser).await;
    let bob_form = format!("/workos/dashboard/users/{BOB}/impersonate");
    let carol_form = format!("/workos/dashboard/users/{CAROL}/impersonate");
    let html = browser.get(server.url(&bob_form)).send().await.expect("form").text().await.expect("html");
    let bob_token = form_token(&html, &bob_form);
    let html = browser.get(server.url(&carol_form)).send().await.expect("form").text().await.expect("html");
    let carol_token = form_token(&html, &carol_form);
    assert_ne!(bob_token, carol_token, "a token per form");

    type Attempt<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, &'a str)]);
    let attempts: [Attempt; 5] = [
        ("no token", None, &[]),
        ("a wrong token", Some("0000"), &[]),
        ("another form's token", Some(carol_token.as_str()), &[]),
        ("from another origin", Some(bob_token.as_str()), &[("Origin", "https://evil.test")]),
        ("cross-site", Some(bob_token.as_str()), &[("Sec-Fetch-Site", "cross-site")]),
    ];
    for (what, token, headers) in attempts {
        let mut fields = vec![("reason", "Forged")];
        if let Some(token) = token {
            fields.push(("csrf_token", token));
        }
        let mut request = browser.post(server.url(&bob_form)).form(&fields);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let refused = request.send().await.expect("post");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{what}");
        assert!(refused.headers().get(LOCATION).is_none(), "{what}: no code");
    }
    assert_eq!(session(&server, &browser).await.0, StatusCode::UNAUTHORIZED);

    // The dashboard's own form, as a browser sends it, works.
    let accepted = browser
        .post(server.url(&bob_form))
        .header("Origin", server.base.as_str())
        .header("Sec-Fetch-Site", "same-origin")
        .form(&[("csrf_token", bob_token.as_str()), ("reason", "Ticket 9")])
        .send()
        .await
        .expect("post");
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert!(location(&accepted).starts_with(&server.url("/auth/callback?code=")));
}

/// The official `workos` crate, pointed at the server's stand-in as the app points it.
fn workos_client(server: &Server) -> workos::Client {
    workos::Client::builder()
        .api_key(STAND_IN_API_KEY)
        .client_id(STAND_IN_CLIENT_ID)
        .base_url(server.url("/workos"))
        .build()
}

/// Every `session.created` and `session.revoked`, oldest first, two at a time through
/// the crate, following each page's `after` cursor as its auto-paging does.
async fn session_events(workos: &workos::Client) -> Vec<workos::models::EventSchema> {
    let mut params =
        workos::events::ListEventsParams::new(vec!["session.created".into(), "session.revoked".into()]);
    params.limit = Some(2);
    params.order = Some(workos::enums::PaginationOrder::Asc);
    let mut events = Vec::new();
    for _ in 0..10 {
        let page = workos.events().list_events(params.clone()).await.expect("events");
        assert!(page.data.len() <= 2, "the limit holds");
        events.extend(page.data);
        match page.list_metadata.after {
            Some(after) => params.after = Some(after),
            None => return events,
        }
    }
    panic!("the cursors never ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impersonations_are_audited_as_workos_records_them() {
    let server = start_with(|config| config.impersonation_ttl = Duration::from_secs(120)).await;
    let workos = workos_client(&server);

    // An ordinary sign-in, then an impersonation ended by Stop, then one that expires.
    let plain = browser();
    ordinary_sign_in(&server, &plain, BOB).await;
    let stopped = browser();
    impersonate(&server, &stopped, BOB, "Ticket 4521: <b>invoices</b>", None).await;
    let stopped_sid = session(&server, &stopped).await.1["sessionId"].as_str().expect("sid").to_owned();
    let token = csrf_token(&server, &stopped).await;
    let answer = sign_out_json(&server, &stopped, Some(&token), "{}").await;
    let logout: Value = answer.json().await.expect("json");
    let followed =
        stopped.get(logout["redirectTo"].as_str().expect("redirectTo")).send().await.expect("logout");
    assert!(followed.status().is_redirection());
    let expiring = browser();
    impersonate(&server, &expiring, CAROL, "Billing question", Some("org_01INITECH")).await;
    let expiring_sid = session(&server, &expiring).await.1["sessionId"].as_str().expect("sid").to_owned();
    server.advance(Duration::from_secs(121));

    // The user's sessions: each impersonation marked with who and why.
    let page = workos
        .user_management()
        .list_sessions(BOB, workos::user_management::ListSessionsParams::default())
        .await
        .expect("sessions");
    assert_eq!(page.data.len(), 2, "the ordinary sign-in and the impersonation");
    let marked = page.data.iter().find(|s| s.id == stopped_sid).expect("the impersonation is listed");
    let impersonator = marked.impersonator.as_ref().expect("marked as an impersonation");
    assert_eq!(impersonator.email, STAFF);
    assert_eq!(impersonator.reason.as_deref(), Some("Ticket 4521: <b>invoices</b>"));
    assert_eq!(marked.status.as_str(), "revoked");
    assert!(marked.ended_at.is_some());
    let ordinary = page.data.iter().find(|s| s.id != stopped_sid).expect("the ordinary sign-in");
    assert!(ordinary.impersonator.is_none());
    assert_eq!(ordinary.status.as_str(), "active");
    let carol = workos
        .user_management()
        .list_sessions(CAROL, workos::user_management::ListSessionsParams::default())
        .await
        .expect("sessions");
    assert_eq!(carol.data[0].id, expiring_sid);
    assert_eq!(carol.data[0].status.as_str(), "expired", "past its 2 minutes");
    assert_eq!(carol.data[0].organization_id.as_deref(), Some("org_01INITECH"));

    // The events, paged two at a time: created, created, revoked (Stop), created, revoked (expiry).
    let events = session_events(&workos).await;
    let kinds: Vec<(&str, &str)> =
        events.iter().map(|e| (e.event.as_str(), e.data["id"].as_str().unwrap_or(""))).collect();
    let created_plain = kinds[0].1.to_owned();
    assert_eq!(
        kinds,
        [
            ("session.created", created_plain.as_str()),
            ("session.created", stopped_sid.as_str()),
            ("session.revoked", stopped_sid.as_str()),
            ("session.created", expiring_sid.as_str()),
            ("session.revoked", expiring_sid.as_str()),
        ]
    );
    let started = &events[1].data;
    assert_eq!(started["impersonator"]["email"], STAFF);
    assert_eq!(started["impersonator"]["reason"], "Ticket 4521: <b>invoices</b>");
    assert_eq!(started["user_id"], BOB);
    assert!(!events[0].data.contains_key("impersonator"), "an ordinary sign-in is no impersonation");
    assert_eq!(events[4].data["status"], "expired");

    // Newest first by default, and only the kinds asked for.
    let params = workos::events::ListEventsParams::new(vec!["session.revoked".into()]);
    let newest = workos.events().list_events(params).await.expect("events");
    assert_eq!(newest.data.len(), 2);
    assert_eq!(newest.data[0].data["id"], expiring_sid.as_str());

    // Without the API key nothing is told.
    let anonymous = reqwest::get(server.url("/workos/events?events=session.created")).await.expect("get");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_impersonation_token_carries_the_impersonator_beside_act() {
    let server = start().await;
    let browser = browser();
    // The code from the dashboard, exchanged here through the crate, as the app does.
    let submitted = dashboard_impersonate(&server, &browser, BOB, "Ticket 9", None).await;
    let callback = url::Url::parse(&location(&submitted)).expect("callback");
    let code = callback.query_pairs().find(|(k, _)| k == "code").expect("code").1.into_owned();
    let auth = workos_client(&server)
        .user_management()
        .authenticate_with_code(workos::user_management::AuthenticateWithCodeParams::new(code))
        .await
        .expect("the code exchange");
    let token = auth.access_token.expose().to_owned();
    let payload = token.split('.').nth(1).expect("a JWT");
    use base64::Engine;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64url"),
    )
    .expect("json");
    assert_eq!(claims["act"]["sub"], STAFF);
    assert_eq!(claims["impersonator"]["email"], STAFF);
    assert_eq!(claims["impersonator"]["reason"], "Ticket 9");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_impersonation_log_reads_the_events_and_is_refused_while_impersonating() {
    let server = start().await;
    let staff = browser();
    impersonate(&server, &staff, BOB, "<script>window.pwned=1</script> ticket 77", None).await;
    // A sensitive view: not while impersonating, not signed out.
    let refused = staff.get(server.url("/admin/impersonations")).send().await.expect("page");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(!refused.text().await.expect("html").contains("ticket 77"));
    let anonymous = browser().get(server.url("/admin/impersonations")).send().await.expect("page");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let token = csrf_token(&server, &staff).await;
    let answer = sign_out_json(&server, &staff, Some(&token), "{}").await;
    let logout: Value = answer.json().await.expect("json");
    staff.get(logout["redirectTo"].as_str().expect("redirectTo")).send().await.expect("logout");
    impersonate(&server, &staff, CAROL, "Billing", Some("org_01GLOBEX")).await;

    // Acme's admin, signed in as herself, reads the log.
    let admin = browser();
    ordinary_sign_in(&server, &admin, "user_01DANAITO").await;
    let page = admin.get(server.url("/admin/impersonations")).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    let rows: Vec<&str> = html.split("<tr><td>").skip(1).collect();
    assert_eq!(rows.len(), 2, "{html}");
    // Newest first: Carol's, still on; then Bob's, stopped.
    assert!(rows[0].contains("carol@consulting.test") && rows[0].contains("Globex"), "{}", rows[0]);
    assert!(rows[0].contains("still on"));
    assert!(rows[1].contains(STAFF) && rows[1].contains("bob@northwind.test"), "{}", rows[1]);
    assert!(rows[1].contains("Northwind Traders"));
    assert!(rows[1].contains("Stopped <time>"));
    // The reason is text, never markup.
    assert!(rows[1].contains("&#60;script&#62;window.pwned=1&#60;/script&#62; ticket 77"), "{}", rows[1]);
    assert!(!html.contains("<script>window.pwned"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_support_page_deep_links_into_the_dashboards_impersonation_dialog() {
    let server = start_enabled().await;
    // Acme's support desk lists the users through the crate, each with its deep link.
    let agent = browser();
    ordinary_sign_in(&server, &agent, "user_01DANAITO").await;
    let html = agent.get(server.url("/support")).send().await.expect("page").text().await.expect("html");
    let link = server.url("/workos/environment_01STAFFBARDEMO/users/user_01BOBNG/details?dialog=impersonate");
    assert!(html.contains(&format!(r#"href="{}""#, link.replace('&', "&#38;"))), "{html}");
    assert!(html.contains("carol@consulting.test") && html.contains("Dana Ito"));

    // Followed by a staff member not yet signed in to the dashboard: sign in, then back.
    let staff = browser();
    let first = staff.get(&link).send().await.expect("deep link");
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let login = location(&first);
    let next = url::Url::parse(&server.url(&login))
        .expect("login URL")
        .query_pairs()
        .find(|(key, _)| key == "next")
        .expect("next")
        .1
        .into_owned();
    assert_eq!(next, "/workos/environment_01STAFFBARDEMO/users/user_01BOBNG/details?dialog=impersonate");
    let signed_in = staff
        .post(server.url("/workos/login"))
        .form(&[("email", STAFF), ("password", STAND_IN_STAFF_PASSWORD), ("next", next.as_str())])
        .send()
        .await
        .expect("login");
    assert_eq!(location(&signed_in), next, "back to the deep link, dialog and all");

    // The user's page with the dialog open: Danger Zone, and the form ready to send.
    let page = staff.get(server.url(&next)).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains(r#"id="danger-zone""#) && html.contains(">Impersonate User</a>"));
    assert!(html.contains(r#"<dialog open aria-labelledby="impersonate-title""#), "{html}");
    let action = "/workos/dashboard/users/user_01BOBNG/impersonate";
    let token = form_token(&html, action);
    let submitted = staff
        .post(server.url(action))
        .form(&[("csrf_token", token.as_str()), ("reason", "Deep-linked from support")])
        .send()
        .await
        .expect("submit");
    let callback = location(&submitted);
    assert!(callback.starts_with(&server.url("/auth/callback?code=")), "{callback}");
    let landed = staff.get(&callback).send().await.expect("callback");
    assert_eq!(landed.status(), StatusCode::SEE_OTHER);
    assert_eq!(session(&server, &staff).await.1["impersonator"]["reason"], "Deep-linked from support");

    // Without ?dialog the page is the same, its dialog closed; the session now marked.
    let plain = staff
        .get(server.url("/workos/environment_01STAFFBARDEMO/users/user_01BOBNG/details"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(!plain.contains("<dialog"));
    assert!(plain.contains("Impersonated by ada@support.test</strong>: Deep-linked from support"), "{plain}");
    // Another environment, or a user that is not there: nothing.
    let other = staff.get(server.url("/workos/environment_OTHER/users/user_01BOBNG/details")).send().await;
    assert_eq!(other.expect("page").status(), StatusCode::NOT_FOUND);
    // While impersonating, the support desk is not shown.
    let refused = staff.get(server.url("/support")).send().await.expect("page");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn impersonation_is_off_until_an_admin_turns_it_on() {
    let server = start().await;
    let (ada, max) = (browser(), browser());
    staff_sign_in(&server, &ada).await;
    staff_sign_in_as(&server, &max, STAND_IN_MEMBER_EMAIL).await;

    // A new environment: off, and the dashboard, the form and the deep link's dialog say
    // where to turn it on instead of offering to impersonate.
    let form_path = format!("/workos/dashboard/users/{BOB}/impersonate");
    let dialog = format!("/workos/{STAND_IN_ENVIRONMENT_ID}/users/{BOB}/details?dialog=impersonate");
    for path in ["/workos/dashboard", form_path.as_str(), dialog.as_str()] {
        let html = max.get(server.url(path)).send().await.expect("page").text().await.expect("html");
        assert!(html.contains(r#"id="impersonation-off""#), "{path}: {html}");
        assert!(html.contains(&format!(r#"href="{FEATURE}""#)), "{path} links to the switch");
        assert!(!html.contains(">Impersonate user</button>"), "{path} offers no form");
    }

    // A Member is refused with the reason, and nothing changes.
    let refused = switch_impersonation(&server, &max, "on").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let html = refused.text().await.expect("html");
    assert!(html.contains("Only a member with the Admin role"), "{html}");
    assert!(html.contains(&format!("signed in as {STAND_IN_MEMBER_EMAIL}, a Member")), "{html}");
    let page = max.get(server.url(FEATURE)).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("User Impersonation is <strong>off</strong>"), "{page}");
    assert!(page.contains(r#"id="admin-only""#), "the page tells a Member why");

    // The Admin turns it on and lands on the users list, where impersonating starts; the
    // page says who changed it.
    let enabled = switch_impersonation(&server, &ada, "on").await;
    assert_eq!(enabled.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&enabled), "/workos/dashboard");
    let page = ada.get(server.url(FEATURE)).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("User Impersonation is <strong>on</strong>"), "{page}");
    assert!(page.contains(&format!("changed by {STAFF}")), "{page}");
    assert!(!page.contains(r#"id="admin-only""#));

    // Now a Member may impersonate (turning it on and off stays the Admin's).
    let form = max.get(server.url(&form_path)).send().await.expect("form").text().await.expect("html");
    let token = form_token(&form, &form_path);
    impersonate(&server, &max, BOB, "Ticket 9: Member on duty", None).await;
    let (_, json) = session(&server, &max).await;
    assert_eq!(json["impersonator"]["email"], STAND_IN_MEMBER_EMAIL);

    // Turned off again, a form opened before is refused, saying so, and no code is issued.
    let disabled = switch_impersonation(&server, &ada, "off").await;
    assert_eq!(disabled.status(), StatusCode::SEE_OTHER);
    let submitted = max
        .post(server.url(&form_path))
        .form(&[("csrf_token", token.as_str()), ("reason", "After it was turned off")])
        .send()
        .await
        .expect("submit");
    assert_eq!(submitted.status(), StatusCode::FORBIDDEN);
    let html = submitted.text().await.expect("html");
    assert!(
        html.contains(r#"id="impersonation-off""#) && html.contains("is off in this environment"),
        "{html}"
    );

    // A wrong token or another site changes nothing either.
    let forged = ada
        .post(server.url(FEATURE))
        .form(&[("csrf_token", "0"), ("enabled", "on")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let page = ada.get(server.url(FEATURE)).send().await.expect("page").text().await.expect("html");
    let token = form_token(&page, FEATURE);
    let cross = ada
        .post(server.url(FEATURE))
        .header("origin", "https://evil.test")
        .form(&[("csrf_token", token.as_str()), ("enabled", "on")])
        .send()
        .await
        .expect("post");
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    let page = ada.get(server.url(FEATURE)).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("User Impersonation is <strong>off</strong>"), "{page}");
}

/// The session cookie's value as the browser holds it.
fn cookie_value(response: &Response) -> Option<String> {
    let cookie = session_cookie(response)?;
    let value = cookie.trim_start_matches("acme_session=").split(';').next().unwrap_or("");
    Some(value.to_owned())
}

/// The app keeps the crate's sealed session: refreshed through WorkOS once its access
/// token runs out (a new cookie, the same impersonation), and over when WorkOS refuses
/// the refresh at the impersonation's end, whatever the app would like.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sealed_session_is_refreshed_through_workos_until_workos_ends_it() {
    let server = start_with(|config| config.impersonation_ttl = Duration::from_secs(12 * 60)).await;
    let staff = browser();
    impersonate(&server, &staff, BOB, "Ticket 40: refresh", None).await;
    let first = staff.get(server.url("/auth/session")).send().await.expect("session");
    assert_eq!(first.status(), StatusCode::OK);
    assert!(cookie_value(&first).is_none(), "a fresh access token is kept as it is");
    let sid = first.json::<Value>().await.expect("json")["sessionId"].as_str().expect("sid").to_owned();

    // Past the access token's five minutes: refreshed, the cookie replaced, nothing else.
    for minutes in [6, 11] {
        server.advance(Duration::from_secs(5 * 60));
        let answer = staff.get(server.url("/auth/session")).send().await.expect("session");
        assert_eq!(answer.status(), StatusCode::OK, "minute {minutes}");
        let cookie = session_cookie(&answer).unwrap_or_else(|| panic!("minute {minutes}: a new cookie"));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let json: Value = answer.json().await.expect("json");
        assert_eq!(json["sessionId"], sid.as_str(), "the same WorkOS session");
        assert_eq!(json["impersonator"]["reason"], "Ticket 40: refresh");
    }
    // Twelve minutes in, WorkOS's access token ends with the impersonation, and the
    // refresh is refused: signed out, the cookie removed.
    server.advance(Duration::from_secs(2 * 60 + 5));
    let ended = staff.get(server.url("/auth/session")).send().await.expect("session");
    assert_eq!(ended.status(), StatusCode::UNAUTHORIZED);
    let removal = session_cookie(&ended).expect("the cookie is removed");
    assert!(removal.starts_with("acme_session=;") && removal.contains("Max-Age=0"), "{removal}");

    // An ordinary sign-in is refreshed past the five minutes the same way.
    let plain = browser();
    ordinary_sign_in(&server, &plain, CAROL).await;
    server.advance(Duration::from_secs(10 * 60));
    let (status, json) = session(&server, &plain).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(json["impersonator"].is_null());
}

/// The official crate's own sealed sessions against the stand-in, with no app between:
/// `SessionManager` verifies the stand-in's tokens (JWKS, subject, the `impersonator`
/// claim), refreshes them, and is refused once the impersonation is over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crates_session_manager_accepts_the_stand_ins_sessions() {
    use workos::helpers::session::seal_session_from_auth_response;
    use workos::helpers::SessionRefreshOptions;
    use workos::user_management::AuthenticateWithCodeParams;
    let server = start_enabled().await;
    let workos = workos_client(&server);
    let password = "0123456789abcdef".repeat(4);
    let staff = browser();
    let callback = location(&dashboard_impersonate(&server, &staff, BOB, "Ticket 41: crate", None).await);
    let callback = url::Url::parse(&callback).expect("url");
    let code = callback.query_pairs().find(|(k, _)| k == "code").expect("code").1.into_owned();
    let auth = workos
        .user_management()
        .authenticate_with_code(AuthenticateWithCodeParams::new(code))
        .await
        .expect("the code exchange");
    let sealed = seal_session_from_auth_response(
        auth.access_token.clone(),
        auth.refresh_token.clone(),
        Some(auth.user.clone()),
        auth.impersonator.clone(),
        &password,
    )
    .expect("sealed");
    let state = workos.session(sealed.as_str(), password.as_str()).authenticate().await;
    assert!(state.authenticated, "{}", state.reason);
    assert_eq!(state.user.as_ref().map(|u| u.id.as_str()), Some(BOB));
    let impersonator = state.impersonator.expect("the verified impersonator claim");
    assert_eq!(
        (impersonator.email.as_str(), impersonator.reason.as_deref()),
        (STAFF, Some("Ticket 41: crate"))
    );
    assert_eq!(state.organization_id, "org_01NORTHWIND");

    // A refresh: new tokens for the same session, sealed again, still verified.
    let refreshed = workos
        .session(sealed.as_str(), password.as_str())
        .refresh(SessionRefreshOptions::default())
        .await
        .expect("refresh");
    assert!(refreshed.authenticated, "{}", refreshed.reason);
    let again = workos.session(refreshed.sealed_session.as_str(), password.as_str()).authenticate().await;
    assert!(again.authenticated && again.session_id == state.session_id, "{}", again.reason);
    // The used refresh token stays usable a moment (two tabs refreshing at once)...
    let twice =
        workos.session(sealed.as_str(), password.as_str()).refresh(SessionRefreshOptions::default()).await;
    assert!(twice.expect("refresh").authenticated, "a refresh token is honoured twice within the grace");
    // ...but not after the impersonation's 60 minutes.
    server.advance(Duration::from_secs(60 * 60));
    let late = workos
        .session(refreshed.sealed_session.as_str(), password.as_str())
        .refresh(SessionRefreshOptions::default())
        .await
        .expect("an answer");
    // WorkOS answers 400 invalid_grant (the Node SDK's spec checks the same answer);
    // this crate reports any refused refresh but a 401 as `refresh_failed`.
    assert!(!late.authenticated);
    assert_eq!(late.reason, "refresh_failed");
}
