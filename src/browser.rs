//! Browser glue: console, navigation, the `<html>` flag, stylesheets and HTTP.
//!
//! Everything here compiles for the server too but does nothing there: the component
//! calls these only from effects and event handlers, which never run during SSR, and the
//! guards make a stray call harmless instead of a panic.

use wasm_bindgen::JsCast;

use crate::session::Session;
use crate::sign_out::SignOutError;
use crate::STYLE;

const ON_BROWSER: bool = cfg!(target_arch = "wasm32");

fn window() -> Option<web_sys::Window> {
    if ON_BROWSER {
        web_sys::window()
    } else {
        None
    }
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

/// Sends the browser to `url` (a full page load, or a fragment change).
pub fn navigate(url: &str) {
    if let Some(window) = window() {
        if window.location().assign(url).is_err() {
            error("staff-bar: the browser refused to navigate after sign-out");
        }
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
    SHEET.with(|sheet| {
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

/// What asking `session-url` gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionAnswer {
    Impersonating(Box<Session>),
    /// 204, 401, a `null` user or impersonator: nothing to show.
    NotImpersonating,
    /// The answer could not be used; the message is for the console.
    Failed(String),
}

/// GETs the session JSON from `url` with the page's cookies.
pub async fn fetch_session(url: &str) -> SessionAnswer {
    if !ON_BROWSER {
        return SessionAnswer::NotImpersonating;
    }
    let request = gloo_net::http::Request::get(url)
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .header("Accept", "application/json");
    let response = match request.send().await {
        Ok(response) => response,
        Err(_) => return SessionAnswer::Failed("staff-bar: the session request failed".into()),
    };
    match response.status() {
        204 | 401 => return SessionAnswer::NotImpersonating,
        200..=299 => {}
        _ => {
            return SessionAnswer::Failed("staff-bar: the session request was answered with an error".into())
        }
    }
    let Ok(text) = response.text().await else {
        return SessionAnswer::Failed("staff-bar: the session answer could not be read".into());
    };
    match Session::from_json(&text) {
        Ok(Some(session)) => SessionAnswer::Impersonating(Box::new(session)),
        Ok(None) => SessionAnswer::NotImpersonating,
        Err(error) => SessionAnswer::Failed(error.message()),
    }
}

/// POSTs `body` as JSON to the sign-out endpoint and returns the status and body text.
pub async fn post_sign_out(
    url: &str,
    body: String,
    csrf: Option<(String, String)>,
) -> Result<(u16, String), SignOutError> {
    if !ON_BROWSER {
        return Err(SignOutError::Network);
    }
    let mut request = gloo_net::http::Request::post(url)
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json");
    if let Some((header, token)) = &csrf {
        request = request.header(header, token);
    }
    let request = request.body(body).map_err(|_| SignOutError::Network)?;
    let response = request.send().await.map_err(|_| SignOutError::Network)?;
    let status = response.status();
    let text = response.text().await.map_err(|_| SignOutError::Network)?;
    Ok((status, text))
}
