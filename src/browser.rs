//! Browser glue: console, navigation, the `<html>` flag, stylesheets and HTTP.
//!
//! Everything here compiles for the server too but does nothing there: the component
//! calls these only from effects and event handlers, which never run during SSR, and the
//! guards make a stray call harmless instead of a panic.

use wasm_bindgen::JsCast;

use crate::session::{Session, SessionError};
use crate::sign_out::SignOutError;
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
pub fn shortcut(event: &web_sys::Event) -> Option<char> {
    let key = event.dyn_ref::<web_sys::KeyboardEvent>()?;
    if !key.alt_key() || !key.shift_key() || key.ctrl_key() || key.meta_key() || key.repeat() {
        return None;
    }
    let code = key.code();
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

/// Whether focus is on `element` or inside it.
pub fn holds_focus(element: &web_sys::Element) -> bool {
    focus_within(element).is_some()
}

/// `url` made absolute the way `fetch`, a form's `action` and a link resolve it:
/// against the document's base URL, which a `<base href>` moves away from the page.
pub fn resolve_against_base(url: &str) -> Option<String> {
    let base = document()?.base_uri().ok()??;
    web_sys::Url::new_with_base(url, &base).ok().map(|resolved| resolved.href())
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

/// Submits a real `<form method="post">` to `action` with hidden `fields`, for
/// servers that answer sign-out with a redirect; an error when nothing was submitted.
pub fn submit_form(action: &str, fields: &[(String, String)]) -> Result<(), SignOutError> {
    let document = document().ok_or(SignOutError::FormNotSent)?;
    let body = document.body().ok_or(SignOutError::FormNotSent)?;
    let form = document.create_element("form").map_err(|_| SignOutError::FormNotSent)?;
    let _ = form.set_attribute("method", "post");
    let _ = form.set_attribute("action", action);
    let _ = form.set_attribute("hidden", "");
    for (name, value) in fields {
        let input = document.create_element("input").map_err(|_| SignOutError::FormNotSent)?;
        let _ = input.set_attribute("type", "hidden");
        let _ = input.set_attribute("name", name);
        let _ = input.set_attribute("value", value);
        let _ = form.append_child(&input);
    }
    body.append_child(&form).map_err(|_| SignOutError::FormNotSent)?;
    let form = form.dyn_into::<web_sys::HtmlFormElement>().map_err(|_| SignOutError::FormNotSent)?;
    form.submit().map_err(|_| SignOutError::FormNotSent)
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

/// What asking `session-url` gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionAnswer {
    Impersonating(Box<Session>),
    /// 204, 401, a `null` user or impersonator: nothing to show.
    NotImpersonating,
    /// The answer could not be used; the message is for the console.
    Failed(String),
}

/// A finished HTTP exchange: the status, the body text and the `Date` header.
struct Reply {
    status: u16,
    text: String,
    date: Option<String>,
}

/// A callback run once with the outcome of a request.
type Done<T> = Box<dyn FnOnce(T)>;

/// Runs `ok` with the value of `promise` or `fail` when it rejects, once. Both handlers
/// are freed as soon as either ran (a handler that frees itself while running is
/// released by wasm-bindgen when it returns).
///
/// Plain callbacks instead of `async`: a futures executor would be most of what the
/// `<staff-bar>` core spends on its two requests.
fn settle(promise: &js_sys::Promise, ok: Done<wasm_bindgen::JsValue>, fail: Done<()>) {
    type Handler = wasm_bindgen::closure::Closure<dyn FnMut(wasm_bindgen::JsValue)>;
    let handlers: std::rc::Rc<std::cell::Cell<Option<(Handler, Handler)>>> = Default::default();
    let (mut ok, mut fail) = (Some(ok), Some(fail));
    let held = handlers.clone();
    let on_ok = Handler::new(move |value| {
        let _freed = held.take();
        if let Some(ok) = ok.take() {
            ok(value);
        }
    });
    let held = handlers.clone();
    let on_fail = Handler::new(move |_| {
        let _freed = held.take();
        if let Some(fail) = fail.take() {
            fail(());
        }
    });
    let _ = promise.then2(&on_ok, &on_fail);
    handlers.set(Some((on_ok, on_fail)));
}

/// One HTTP exchange with the page's cookies (`credentials: same-origin`); `done`
/// gets the reply, or `None` when the request did not complete.
///
/// Plain `fetch` through web-sys rather than gloo-net, whose request builder appends
/// a stray `&` to URLs that already have a query and brings `core::fmt` into the wasm.
fn exchange(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
    timeout_ms: Option<u32>,
    done: Done<Option<Reply>>,
) {
    // The deadline is a page timer aborting the request, not `AbortSignal.timeout`:
    // one clock for everything the bar waits on, which a test's fake clock controls.
    let controller = timeout_ms.and_then(|_| web_sys::AbortController::new().ok());
    let signal = controller.as_ref().map(|controller| controller.signal());
    let Some(fetched) = start_fetch(method, url, headers, body, signal.as_ref()) else { return done(None) };
    let deadline =
        controller.zip(timeout_ms).and_then(|(controller, ms)| Timer::after(ms, move || controller.abort()));
    // Shared by every way the exchange can end; whichever comes first answers, and the
    // deadline goes with it.
    let done: Done<Option<Reply>> = Box::new(move |reply| {
        drop(deadline);
        done(reply)
    });
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(done)));
    let finish = move |done: &std::cell::Cell<Option<Done<Option<Reply>>>>, reply: Option<Reply>| {
        if let Some(done) = done.take() {
            done(reply);
        }
    };
    let (on_response, on_error) = (done.clone(), done);
    settle(
        &fetched,
        Box::new(move |response| {
            let Ok(response) = response.dyn_into::<web_sys::Response>() else {
                return finish(&on_response, None);
            };
            let Ok(text) = response.text() else { return finish(&on_response, None) };
            let status = response.status();
            let date = response.headers().get("Date").ok().flatten();
            let on_text_error = on_response.clone();
            settle(
                &text,
                Box::new(move |text| {
                    finish(
                        &on_response,
                        Some(Reply { status, text: text.as_string().unwrap_or_default(), date }),
                    )
                }),
                Box::new(move |()| finish(&on_text_error, None)),
            );
        }),
        Box::new(move |()| finish(&on_error, None)),
    );
}

/// The promise of `fetch` for the request, or `None` when it could not be built.
fn start_fetch(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
    signal: Option<&web_sys::AbortSignal>,
) -> Option<js_sys::Promise> {
    let window = window()?;
    let init = web_sys::RequestInit::new();
    if signal.is_some() {
        init.set_signal(signal);
    }
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let header_list = web_sys::Headers::new().ok()?;
    for (name, value) in headers {
        header_list.set(name, value).ok()?;
    }
    init.set_headers(&header_list);
    if let Some(body) = body {
        init.set_body(&body.into());
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).ok()?;
    Some(window.fetch_with_request(&request))
}

/// GETs the session JSON from `url` with the page's cookies, giving up after
/// `timeout_ms`; `done` gets the answer.
pub fn fetch_session(url: &str, timeout_ms: u32, done: Done<SessionAnswer>) {
    let headers = [("Accept", "application/json")];
    exchange(
        "GET",
        url,
        &headers,
        None,
        Some(timeout_ms),
        Box::new(move |reply| done(session_answer(reply))),
    );
}

/// GETs the organization `id` from `url` (`{id}` in it replaced by the id, else
/// `?id=` added); `done` gets its `name`, or `None` with a console warning.
pub fn fetch_organization(url: &str, id: &str, timeout_ms: u32, done: Done<Option<String>>) {
    let encoded = String::from(js_sys::encode_uri_component(id));
    // A byte search rather than `str::replace`, whose substring searcher costs the
    // element kilobytes.
    let placeholder = url.as_bytes().windows(4).position(|window| window == b"{id}");
    let around = placeholder.and_then(|at| Some((url.get(..at)?, url.get(at + 4..)?)));
    let (mut url, after) = match around {
        Some((before, after)) => (String::from(before), after),
        None => {
            let mut url = url.to_owned();
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("id=");
            (url, "")
        }
    };
    url.push_str(&encoded);
    url.push_str(after);
    let id = id.to_owned();
    let headers = [("Accept", "application/json")];
    exchange(
        "GET",
        &url,
        &headers,
        None,
        Some(timeout_ms),
        Box::new(move |reply| {
            let name = reply.filter(|reply| (200..300).contains(&reply.status)).and_then(|reply| {
                let answer = crate::json::parse(&reply.text).ok()?;
                let same_id = answer.get("id").is_none_or(|given| given.as_str() == Some(id.as_str()));
                answer.get("name")?.as_str().filter(|_| same_id).map(str::to_owned)
            });
            if name.is_none() {
                warn("staff-bar: organization-url gave no {\"id\", \"name\"} for the organization");
            }
            done(name)
        }),
    );
}

fn session_answer(reply: Option<Reply>) -> SessionAnswer {
    let Some(Reply { status, text, date }) = reply else {
        return SessionAnswer::Failed("staff-bar: the session request failed or timed out".into());
    };
    match status {
        204 | 401 => return SessionAnswer::NotImpersonating,
        200..=299 => {}
        _ => {
            return SessionAnswer::Failed("staff-bar: the session request was answered with an error".into())
        }
    }
    match read_session(&text) {
        Ok(Some(mut session)) => {
            // Without a serverTime in the JSON, the Date header still tells the skew.
            if session.server_time.is_none() {
                session.server_time = date.as_deref().and_then(crate::time::parse_http_date);
            }
            SessionAnswer::Impersonating(Box::new(session))
        }
        Ok(None) => SessionAnswer::NotImpersonating,
        Err(error) => SessionAnswer::Failed(error.message()),
    }
}

/// Reads a session JSON, warning on the console about each optional field it dropped.
pub fn read_session(text: &str) -> Result<Option<Session>, SessionError> {
    Session::read_json(text).map(|reading| {
        for ignored in &reading.ignored {
            warn(&ignored.ignored_message());
        }
        reading.session
    })
}

/// What Stop sends, worked out from the host's settings at the moment of the click.
#[derive(Clone, Debug, Default)]
pub struct SignOutPlan {
    /// The sign-out endpoint, when one is configured (an empty one counts as none).
    pub endpoint: Option<String>,
    /// The validated `return-to`; a refused value was reported on the console.
    pub return_to: Option<String>,
    /// The CSRF token: the one given, else the page's `<meta name="csrf-token">`.
    pub token: Option<String>,
}

impl SignOutPlan {
    /// The page's own token (the meta tag) never goes to another origin; a token passed
    /// explicitly is sent where the app said.
    ///
    /// The endpoint is resolved once, against the document's base URL as the request
    /// itself would be, and that one absolute URL is checked, fetched and posted to.
    pub fn new(endpoint: Option<String>, return_to: Option<String>, token: Option<String>) -> SignOutPlan {
        let endpoint =
            endpoint.filter(|url| !url.is_empty()).map(|url| resolve_against_base(&url).unwrap_or(url));
        let return_to = return_to.and_then(|path| match crate::sign_out::validate_return_to(&path) {
            Ok(_) => Some(path),
            Err(refusal) => {
                error(refusal.message());
                None
            }
        });
        let token = token
            .or_else(|| endpoint.as_deref().filter(|url| is_page_origin(url)).and_then(|_| csrf_from_meta()));
        SignOutPlan { endpoint, return_to, token }
    }

    /// `form` mode: submits a real form POST (`return_to` and the CSRF field) and lets
    /// the server's redirect move the page; an error when nothing could be submitted.
    pub fn submit_form(&self, csrf_field: Option<String>) -> Result<(), SignOutError> {
        let Some(url) = &self.endpoint else { return Err(SignOutError::NoEndpoint) };
        let mut fields = Vec::new();
        if let Some(path) = &self.return_to {
            fields.push(("return_to".to_owned(), path.clone()));
        }
        if let Some(token) = &self.token {
            fields.push((csrf_field.unwrap_or_else(|| "csrf_token".into()), token.clone()));
        }
        submit_form(url, &fields)
    }

    /// `fetch` mode: POSTs `{"returnTo": …}` as JSON; `done` gets where the browser
    /// goes next, or why not. A request that hangs counts as failed after
    /// [`TIMEOUT_MS`](crate::sign_out::TIMEOUT_MS), so Stop never stays "Stopping…".
    pub fn send(self, csrf_header: Option<String>, done: Done<Result<String, SignOutError>>) {
        let Some(endpoint) = self.endpoint else { return done(Err(SignOutError::NoEndpoint)) };
        let token = self.token.map(|token| (csrf_header.unwrap_or_else(|| "X-CSRF-Token".into()), token));
        let mut headers = vec![("Content-Type", "application/json"), ("Accept", "application/json")];
        if let Some((header, token)) = &token {
            headers.push((header.as_str(), token.as_str()));
        }
        let body = crate::sign_out::request_body(self.return_to.as_deref());
        let return_to = self.return_to;
        exchange(
            "POST",
            &endpoint,
            &headers,
            Some(body),
            Some(crate::sign_out::TIMEOUT_MS),
            Box::new(move |reply| {
                done(match reply {
                    Some(reply) => {
                        crate::sign_out::destination(reply.status, &reply.text, return_to.as_deref())
                    }
                    None => Err(SignOutError::Network),
                })
            }),
        );
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `setTimeout` with its id kept as it is: web-sys reads it as an `i32`, which cuts
    /// the ids of timer replacements that count from 10^12 (Sinon's and Playwright's
    /// fake clocks), so `clearTimeout` then missed and a dropped callback still fired.
    #[wasm_bindgen(js_name = setTimeout, catch)]
    fn set_timeout(
        callback: &js_sys::Function,
        delay_ms: i32,
    ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &wasm_bindgen::JsValue);
}

/// A pending `setTimeout`, cleared when dropped.
pub struct Timer {
    id: wasm_bindgen::JsValue,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Timer {
    /// Runs `then` after `delay_ms` (`None` outside a browser).
    pub fn after(delay_ms: u32, then: impl FnMut() + 'static) -> Option<Timer> {
        window()?;
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(then);
        let id = set_timeout(callback.as_ref().unchecked_ref(), delay_ms.min(i32::MAX as u32) as i32).ok()?;
        Some(Timer { id, _callback: callback })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if window().is_some() {
            clear_timeout(&self.id);
        }
    }
}
