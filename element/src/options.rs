//! The settings a `<staff-bar>` reads from its attributes.

use staff_bar::{dom, Align, Settings, Side, SignOutMode, Strings, Theme};
use web_sys::HtmlElement;

/// Reads every attribute of SPEC.md but the session ones. Values the element does not
/// know warn on the console and fall back to the default.
pub fn read(host: &HtmlElement) -> Settings {
    let attr = |name: &str| host.get_attribute(name);
    let mode = attr("sign-out-mode");
    warn_unless(
        mode.as_deref(),
        "fetch",
        "form",
        "staff-bar: sign-out-mode must be fetch or form; using fetch",
    );
    let side = attr("side");
    warn_unless(side.as_deref(), "bottom", "top", "staff-bar: side must be bottom or top; using bottom");
    let align = attr("align").and_then(|value| {
        let parsed = Align::parse(&value);
        if parsed.is_none() {
            dom::warn("staff-bar: align must be start, center or end; using center");
        }
        parsed
    });
    let theme = attr("theme").and_then(|value| {
        let parsed = Theme::parse(&value);
        if parsed.is_none() {
            dom::warn("staff-bar: theme must be light, dark or auto; using light");
        }
        parsed
    });
    let z_index = attr("z-index").and_then(|value| {
        let parsed = value.trim().parse().ok();
        if parsed.is_none() {
            dom::warn("staff-bar: z-index must be an integer; using 9999");
        }
        parsed
    });
    let lang = attr("lang").or_else(dom::page_language).unwrap_or_default();
    let mut strings = Strings::for_lang(&lang);
    let mut name = String::from("text-");
    for key in Strings::KEYS {
        name.truncate(5);
        name.push_str(key);
        if let Some(text) = attr(&name) {
            strings.set(key, text);
        }
    }
    Settings {
        sign_out_url: attr("sign-out-url"),
        sign_out_mode: mode.map(|value| SignOutMode::parse(&value)).unwrap_or_default(),
        return_to: attr("return-to"),
        side: side.map(|value| Side::parse(&value)).unwrap_or_default(),
        align: align.unwrap_or_default(),
        theme: theme.unwrap_or_default(),
        z_index,
        csrf_token: attr("csrf-token"),
        csrf_header: attr("csrf-header"),
        csrf_field: attr("csrf-field"),
        strings,
        organization_url: attr("organization-url"),
        class: None,
        style: None,
        // The attribute is the explicit opt-in: a release bundle never previews
        // without it.
        preview: host.has_attribute("preview").then_some(true),
    }
}

/// A console warning when an attribute holds neither of its two known values.
fn warn_unless(value: Option<&str>, first: &str, second: &str, message: &str) {
    if let Some(value) = value.map(str::trim) {
        if !value.eq_ignore_ascii_case(first) && !value.eq_ignore_ascii_case(second) {
            dom::warn(message);
        }
    }
}
