//! The browser side: the page (focus, console, navigation, the `<html>` flag,
//! stylesheets), HTTP, timers, event listeners, the other tabs and the writers that
//! put the bar's markup into the DOM or HTML text.
//!
//! Everything here compiles for the server too but does nothing there: the component
//! calls these only from effects and event handlers, which never run during SSR, and the
//! guards make a stray call harmless instead of a panic. Nothing here decides anything;
//! the decisions are in `staff_bar_core`.

pub mod drag;
mod fetch;
mod listener;
mod sign_out;
pub mod tabs;
mod timer;
pub mod writer;

pub use fetch::read_session;
pub(crate) use fetch::{fetch_organization, fetch_session};
pub(crate) use listener::Listener;
pub(crate) use sign_out::SignOutPlan;
pub(crate) use timer::Timer;

use wasm_bindgen::JsCast;

use crate::STYLE;

const ON_BROWSER: bool = cfg!(target_arch = "wasm32");

/// The window, in the browser only.
pub fn window() -> Option<web_sys::Window> {
    if ON_BROWSER {
        web_sys::window()
    } else {
        None
    }
}

/// Moves focus to the element with `part` inside `root`, if there is one.
pub fn focus_part(root: &web_sys::Element, part: &str) {
    let mut selector = String::from("[part=");
    selector.push_str(part);
    selector.push(']');
    if let Ok(Some(element)) = root.query_selector(&selector) {
        focus(&element);
    }
}

/// Moves focus to `element` when it can take it.
pub fn focus(element: &web_sys::Element) {
    if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}

pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The client clock, in milliseconds since the Unix epoch.
/// The time of day at `ms` in the browser's own locale and time zone ("14:32",
/// "2:32 PM"), by `Intl`; `None` off the browser.
pub fn clock_time(ms: i64) -> Option<String> {
    ON_BROWSER.then(|| js_clock_time(ms as f64))
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function clock(ms) {
  return new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" }).format(ms);
}
"#)]
extern "C" {
    /// `Intl` in a line of JavaScript: through js-sys it costs the wasm three imports.
    #[wasm_bindgen(js_name = clock)]
    fn js_clock_time(ms: f64) -> String;
}

pub fn now_ms() -> i64 {
    if ON_BROWSER {
        js_sys::Date::now() as i64
    } else {
        0
    }
}

/// `<html lang>`, for choosing the built-in strings.
pub fn page_language() -> Option<String> {
    document()?.document_element()?.get_attribute("lang")
}

pub fn page_is_hidden() -> bool {
    document().is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

pub fn reload() {
    if let Some(window) = window() {
        let _ = window.location().reload();
    }
}

/// The letter of an Alt+Shift+letter key press (by physical key, so it works on every
/// keyboard layout and on macOS, where Alt changes the character), if that is what
/// `event` is.
pub(crate) fn shortcut(event: &web_sys::Event) -> Option<char> {
    let key = event.dyn_ref::<web_sys::KeyboardEvent>()?;
    if !key.alt_key() || !key.shift_key() || key.ctrl_key() || key.meta_key() || key.repeat() {
        return None;
    }
    let code = key.code();
    // The arrows move the tab: reported as `<` and `>`.
    match code.as_str() {
        "ArrowLeft" => return Some('<'),
        "ArrowRight" => return Some('>'),
        _ => {}
    }
    let letter = code.strip_prefix("Key")?;
    let mut chars = letter.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The focused element when it is `element` or inside it (looked up in the document
/// or shadow root that holds `element`).
pub fn focus_within(element: &web_sys::Element) -> Option<web_sys::Element> {
    if !ON_BROWSER {
        return None;
    }
    let root = element.get_root_node();
    let active = if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
        shadow.active_element()
    } else {
        root.dyn_ref::<web_sys::Document>()?.active_element()
    }?;
    element.contains(Some(&active)).then_some(active)
}

/// Puts the bar's root in the browser's top layer (`popover="manual"`, shown at once):
/// above every z-index of the host page (modals, fixed headers, toasts) and outside
/// every ancestor that would clip it or move its `position: fixed`. A manual popover
/// traps no focus, and a modal `<dialog>` the page opens later still goes above it.
/// Where the browser has no popovers or refuses, the root stays as it was (fixed, its
/// z-index): an unshown popover would be hidden, so the attribute goes again. A root
/// removed and put back (the preview toggled, a new session) is shown again.
pub fn raise(root: &web_sys::Element) {
    if !ON_BROWSER || (root.has_attribute("popover") && root.matches(":popover-open").unwrap_or(true)) {
        return;
    }
    let Ok(show) = js_sys::Reflect::get(root, &"showPopover".into()) else { return };
    let Some(show) = show.dyn_ref::<js_sys::Function>() else { return };
    if root.set_attribute("popover", "manual").is_ok() && show.call0(root).is_err() {
        let _ = root.remove_attribute("popover");
    }
}

/// Whether focus is on `element` or inside it.
pub fn holds_focus(element: &web_sys::Element) -> bool {
    focus_within(element).is_some()
}

/// A configured URL (`session-url`, `sign-out-url`, `organization-url`) made
/// absolute against the page's own location, never the document's base URL: a
/// `<base href>` injected into the page cannot send the bar's requests elsewhere.
/// `None` unless the result is an http(s) URL.
pub fn web_url(url: &str) -> Option<String> {
    let page = window()?.location().href().ok()?;
    let resolved = web_sys::Url::new_with_base(url, &page).ok()?;
    matches!(resolved.protocol().as_str(), "http:" | "https:").then(|| resolved.href())
}

/// Whether the absolute `url` is on the page's own origin (not the base URL's).
pub fn is_page_origin(url: &str) -> bool {
    let Some(origin) = window().and_then(|w| w.location().origin().ok()) else { return false };
    web_sys::Url::new(url).is_ok_and(|parsed| parsed.origin() == origin)
}

pub fn warn(message: &str) {
    if ON_BROWSER {
        web_sys::console::warn_1(&message.into());
    }
}

pub fn error(message: &str) {
    if ON_BROWSER {
        web_sys::console::error_1(&message.into());
    }
}

/// Sends the browser to `url` (a full page load, or a fragment change). A relative
/// `url` (a `return-to` path, a server's `/signed-out`) is taken against the page
/// itself, so a `<base href>` on another origin cannot redirect it there.
pub fn navigate(url: &str) {
    let Some(location) = window().map(|w| w.location()) else { return };
    let target = location.href().ok().and_then(|page| web_sys::Url::new_with_base(url, &page).ok());
    let Some(target) = target else {
        return error("staff-bar: the address to go to after sign-out is not a URL");
    };
    if location.assign(&target.href()).is_err() {
        error("staff-bar: the browser refused to navigate after sign-out");
    }
}

/// The token of `<meta name="csrf-token" content="…">`, the convention of Rails,
/// Laravel and others, used when no token is passed explicitly.
pub fn csrf_from_meta() -> Option<String> {
    let document = window()?.document()?;
    let meta = document.query_selector("meta[name=\"csrf-token\"]").ok()??;
    meta.get_attribute("content").filter(|token| !token.is_empty())
}

/// Sets or clears `data-impersonating` on `<html>`, so host CSS can redact fields.
pub fn set_impersonating_flag(active: bool) {
    let Some(root) = window().and_then(|w| w.document()).and_then(|d| d.document_element()) else {
        return;
    };
    let _ = if active {
        root.set_attribute("data-impersonating", "")
    } else {
        root.remove_attribute("data-impersonating")
    };
}

/// Sets the root's `z-index` through the CSSOM; `None` leaves the stylesheet's 9999.
pub fn set_z_index(element: &web_sys::Element, z_index: Option<i32>) {
    let Some(element) = element.dyn_ref::<web_sys::HtmlElement>().filter(|_| ON_BROWSER) else { return };
    let style = element.style();
    let _ = match z_index {
        Some(z) => {
            let mut value = String::new();
            crate::session::push_integer(&mut value, i64::from(z));
            style.set_property("z-index", &value)
        }
        None => style.remove_property("z-index").map(|_| ()),
    };
}

thread_local! {
    /// One constructed stylesheet shared by every document and shadow root that shows a bar.
    static SHEET: Option<web_sys::CssStyleSheet> = new_sheet();
}

fn new_sheet() -> Option<web_sys::CssStyleSheet> {
    if !ON_BROWSER {
        return None;
    }
    let sheet = web_sys::CssStyleSheet::new().ok()?;
    sheet.replace_sync(STYLE).ok()?;
    Some(sheet)
}

/// Adopts the bar's stylesheet into the document or shadow root holding `element`.
/// Constructed stylesheets are allowed by a CSP without `'unsafe-inline'`, unlike a
/// `<style>` element added by script.
pub fn adopt_styles(element: &web_sys::Element) {
    if !ON_BROWSER {
        return;
    }
    // `try_with`: no panic path (and its formatting) for a thread-local being torn down.
    let _ = SHEET.try_with(|sheet| {
        let Some(sheet) = sheet else { return };
        let root = element.get_root_node();
        if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
            let sheets = shadow.adopted_style_sheets();
            if !sheets.includes(sheet, 0) {
                sheets.push(sheet);
                shadow.set_adopted_style_sheets(&sheets);
            }
        } else if let Some(document) = root.dyn_ref::<web_sys::Document>() {
            let sheets = document.adopted_style_sheets();
            if !sheets.includes(sheet, 0) {
                sheets.push(sheet);
                document.set_adopted_style_sheets(&sheets);
            }
        }
    });
}
