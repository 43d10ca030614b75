//! HTTP: the two GETs a bar makes (the session, an organization's name) and the
//! exchange under them and under the sign-out POST.

use wasm_bindgen::JsCast;

use super::{warn, window, Timer};
use crate::session::{Session, SessionError};
use staff_bar_core::machine::Answer;
use staff_bar_core::refresh::{self, Reply};

/// A finished HTTP exchange: the status, the body text and the `Date` header.
pub(super) struct Exchanged {
    pub(super) status: u16,
    pub(super) text: String,
    pub(super) date: Option<String>,
}

/// A callback run once with the outcome of a request.
pub(super) type Done<T> = Box<dyn FnOnce(T)>;

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
pub(super) fn exchange(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
    timeout_ms: Option<u32>,
    done: Done<Option<Exchanged>>,
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
    let done: Done<Option<Exchanged>> = Box::new(move |reply| {
        drop(deadline);
        done(reply)
    });
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(done)));
    let finish = move |done: &std::cell::Cell<Option<Done<Option<Exchanged>>>>, reply: Option<Exchanged>| {
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
                        Some(Exchanged { status, text: text.as_string().unwrap_or_default(), date }),
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
    // Against the page, never a `<base href>`, and only to an http(s) address.
    let url = super::web_url(url)?;
    let init = web_sys::RequestInit::new();
    if signal.is_some() {
        init.set_signal(signal);
    }
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    if method == "POST" {
        // A 3xx is never a sign-out answer, and following a cross-origin 307 would
        // carry the CSRF header there.
        init.set_redirect(web_sys::RequestRedirect::Error);
    }
    let header_list = web_sys::Headers::new().ok()?;
    for (name, value) in headers {
        header_list.set(name, value).ok()?;
    }
    init.set_headers(&header_list);
    if let Some(body) = body {
        init.set_body(&body.into());
    }
    let request = web_sys::Request::new_with_str_and_init(&url, &init).ok()?;
    Some(window.fetch_with_request(&request))
}

/// GETs the session JSON from `url` with the page's cookies, giving up after
/// `timeout_ms`; `done` gets the answer and the console messages of the optional
/// fields it dropped.
pub(crate) fn fetch_session(url: &str, timeout_ms: u32, done: Done<(Answer, Vec<String>)>) {
    let headers = [("Accept", "application/json")];
    exchange(
        "GET",
        url,
        &headers,
        None,
        Some(timeout_ms),
        Box::new(move |reply| {
            let reply = reply.as_ref().map(|reply| Reply {
                status: reply.status,
                body: &reply.text,
                date: reply.date.as_deref(),
            });
            let (answer, ignored) = refresh::read_reply(reply);
            done((answer, ignored.iter().map(|field| field.ignored_message()).collect()))
        }),
    );
}

/// GETs organization `id`'s name from the `organization_url` template `url`; `done`
/// gets the id back with the name, or `None` with a console warning.
pub(crate) fn fetch_organization(
    url: &str,
    id: String,
    timeout_ms: u32,
    done: Done<(String, Option<String>)>,
) {
    let encoded = String::from(js_sys::encode_uri_component(&id));
    let url = staff_bar_core::organization::lookup_url(url, &encoded);
    let headers = [("Accept", "application/json")];
    exchange(
        "GET",
        &url,
        &headers,
        None,
        Some(timeout_ms),
        Box::new(move |reply| {
            let name = reply.and_then(|reply| {
                staff_bar_core::organization::name_in_answer(reply.status, &reply.text, &id)
            });
            if name.is_none() {
                warn("staff-bar: organization-url gave no {\"id\", \"name\"} for the organization");
            }
            done((id, name))
        }),
    );
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
