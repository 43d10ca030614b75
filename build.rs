//! Minifies `style/staff-bar.css` into `OUT_DIR`: the stylesheet ships inside the
//! wasm and inside server-rendered pages, where its comments and indentation would be
//! bytes for nothing. The source stays commented and readable.

// Runs at build time on the developer's machine, never in a browser: a missing file
// is a broken checkout, and failing the build loudly is right.
#![allow(clippy::expect_used)]

use std::path::Path;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=style/staff-bar.css");
    let css = fs::read_to_string("style/staff-bar.css").expect("style/staff-bar.css is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("staff-bar.min.css");
    fs::write(out, minify(&css)).expect("OUT_DIR is writable");
}

/// Drops comments, collapses whitespace, and removes it where CSS never needs it:
/// around `{ } ; ,`, after `:` and `(`, before `)` and `!`. A space before `:` is kept,
/// since there it can be a descendant combinator (`.a :focus`).
fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some((before, after)) = rest.split_once("/*") {
        text.push_str(before);
        rest = after.split_once("*/").map_or("", |(_, tail)| tail);
    }
    text.push_str(rest);

    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let after_tight = out.ends_with(['{', '}', ';', ',', ':', '(']);
        let before_tight = matches!(c, '{' | '}' | ';' | ',' | ')' | '!');
        if space && !out.is_empty() && !after_tight && !before_tight {
            out.push(' ');
        }
        space = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}
