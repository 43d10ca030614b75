//! The stylesheet as shipped (`STYLE`, minified by `build.rs` from
//! `style/staff-bar.css`): nothing of the source's rules may be lost on the way.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use staff_bar::STYLE;

const SOURCE: &str = include_str!("../style/staff-bar.css");

/// The source without comments and with no whitespace at all, and the same for the
/// shipped sheet: equal exactly when minifying only removed comments and whitespace
/// (and final semicolons).
fn skeleton(css: &str) -> String {
    let mut text = String::new();
    let mut rest = css;
    while let Some((before, after)) = rest.split_once("/*") {
        text.push_str(before);
        rest = after.split_once("*/").map_or("", |(_, tail)| tail);
    }
    text.push_str(rest);
    text.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(";}", "}")
}

#[test]
fn the_shipped_sheet_is_the_source_without_comments_or_layout() {
    assert!(!STYLE.contains("/*"), "comments removed");
    assert!(!STYLE.contains('\n'), "one line");
    assert!(!STYLE.contains("  "), "no runs of spaces");
    assert!(STYLE.len() < SOURCE.len() * 3 / 4, "{} of {} bytes", STYLE.len(), SOURCE.len());
    assert_eq!(skeleton(STYLE), skeleton(SOURCE));
}

#[test]
fn spaces_that_mean_something_stay() {
    for kept in [
        ".staff-bar *,",
        ".staff-bar[data-side=\"top\"] .sb-bar{",
        "font:400 calc(12px + var(--sb-size) * 0.5) / 1.4 system-ui,-apple-system,",
        "inset 0 0 0 calc(var(--sb-band) * 2 + var(--sb-line-width)) var(--sb-line)",
        "calc(100vw - 2 * var(--sb-size))",
        "@media (prefers-reduced-motion:reduce){",
        "display:none!important",
    ] {
        assert!(STYLE.contains(kept), "{kept} in {STYLE}");
    }
}
