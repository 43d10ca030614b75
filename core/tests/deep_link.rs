//! The dashboard deep link to impersonating a user, for admin tools.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// `url`, the reference parser, is a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

use staff_bar_core::deep_link::{impersonation_url, WORKOS_DASHBOARD};

#[test]
fn the_link_is_the_dashboards_user_page_with_the_dialog_open() {
    assert_eq!(
        impersonation_url(WORKOS_DASHBOARD, "environment_01HXYZ", "user_01JABC").as_deref(),
        Some("https://dashboard.workos.com/environment_01HXYZ/users/user_01JABC/details?dialog=impersonate")
    );
    assert_eq!(
        impersonation_url("http://127.0.0.1:8080/workos/", "env", "user_1").as_deref(),
        Some("http://127.0.0.1:8080/workos/env/users/user_1/details?dialog=impersonate"),
        "a stand-in's address, with or without its trailing slash"
    );
}

#[test]
fn an_id_stays_one_path_segment_whatever_it_holds() {
    for (id, encoded) in [
        ("../../billing", "..%2F..%2Fbilling"),
        ("user?dialog=delete#x", "user%3Fdialog%3Ddelete%23x"),
        ("a b/c", "a%20b%2Fc"),
        ("zoë", "zo%C3%AB"),
        ("%2e%2e", "%252e%252e"),
        ("user.01", "user.01"),
        ("..a", "..a"),
    ] {
        let url = impersonation_url(WORKOS_DASHBOARD, "env", id).expect("an id");
        assert_eq!(
            url,
            format!("https://dashboard.workos.com/env/users/{encoded}/details?dialog=impersonate")
        );
        // Parsed as a browser would, the path still ends in the details page of that one id.
        let parsed = url::Url::parse(&url).expect("a URL");
        let segments: Vec<&str> = parsed.path_segments().expect("segments").collect();
        assert_eq!(segments, ["env", "users", encoded, "details"], "{id:?}");
        assert_eq!(parsed.query(), Some("dialog=impersonate"));
        assert_eq!(parsed.host_str(), Some("dashboard.workos.com"));
    }
}

#[test]
fn an_empty_or_dots_only_id_is_no_id() {
    // Browsers read `..` as the parent even percent-encoded (`%2E%2E`): no link at all.
    for id in ["", ".", "..", "..."] {
        assert_eq!(impersonation_url(WORKOS_DASHBOARD, "env", id), None, "user {id:?}");
        assert_eq!(impersonation_url(WORKOS_DASHBOARD, id, "user_1"), None, "environment {id:?}");
    }
}
