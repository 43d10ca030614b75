//! The WebAssembly core of `<staff-bar>`.
//!
//! `dist/staff-bar.js` (the loader, plain JavaScript) defines the custom element,
//! attaches its open shadow root and decides from the session whether anyone is
//! impersonated. Only then does it load this module and create a [`StaffBar`], which
//! renders the same `<Impersonation/>` view as Leptos apps get into the shadow root.
//! Attributes are read from the host element; DOM events are dispatched by the loader
//! through the `emit` function it hands over.

use std::any::Any;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use staff_bar::browser::SessionAnswer;
use staff_bar::{browser, Impersonation, Session, SessionSource, Side, SignOutMode, Strings};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// The options a `<staff-bar>` takes from its attributes, as signals so a change at
/// run time updates the live bar.
#[derive(Clone, Copy)]
struct Options {
    sign_out_url: RwSignal<Option<String>>,
    sign_out_mode: RwSignal<Option<SignOutMode>>,
    return_to: RwSignal<Option<String>>,
    side: RwSignal<Option<Side>>,
    z_index: RwSignal<Option<i32>>,
    csrf_token: RwSignal<Option<String>>,
    csrf_header: RwSignal<Option<String>>,
    csrf_field: RwSignal<Option<String>>,
    strings: RwSignal<Option<Strings>>,
    preview: RwSignal<Option<bool>>,
}

impl Options {
    fn new() -> Options {
        Options {
            sign_out_url: RwSignal::new(None),
            sign_out_mode: RwSignal::new(None),
            return_to: RwSignal::new(None),
            side: RwSignal::new(None),
            z_index: RwSignal::new(None),
            csrf_token: RwSignal::new(None),
            csrf_header: RwSignal::new(None),
            csrf_field: RwSignal::new(None),
            strings: RwSignal::new(None),
            preview: RwSignal::new(None),
        }
    }

    /// Reads every attribute of `host`; a signal is only written when its value changed.
    fn read(&self, host: &HtmlElement) {
        let attr = |name: &str| host.get_attribute(name);
        set_if_changed(self.sign_out_url, attr("sign-out-url"));
        let mode = attr("sign-out-mode");
        warn_unless(
            mode.as_deref(),
            &["fetch", "form"],
            "staff-bar: sign-out-mode must be fetch or form; using fetch",
        );
        set_if_changed(self.sign_out_mode, mode.map(|v| SignOutMode::parse(&v)));
        set_if_changed(self.return_to, attr("return-to"));
        let side = attr("side");
        warn_unless(
            side.as_deref(),
            &["bottom", "top"],
            "staff-bar: side must be bottom or top; using bottom",
        );
        set_if_changed(self.side, side.map(|v| Side::parse(&v)));
        let z_index = attr("z-index").and_then(|v| {
            let parsed = v.trim().parse().ok();
            if parsed.is_none() {
                browser::warn("staff-bar: z-index must be an integer; using 9999");
            }
            parsed
        });
        set_if_changed(self.z_index, z_index);
        set_if_changed(self.csrf_token, attr("csrf-token"));
        set_if_changed(self.csrf_header, attr("csrf-header"));
        set_if_changed(self.csrf_field, attr("csrf-field"));
        let lang = attr("lang").or_else(browser::page_language).unwrap_or_default();
        let mut strings = Strings::for_lang(&lang);
        for key in Strings::KEYS {
            let mut name = String::from("text-");
            name.push_str(key);
            if let Some(text) = attr(&name) {
                strings.set(key, text);
            }
        }
        set_if_changed(self.strings, Some(strings));
        // The attribute is the explicit opt-in: a release bundle never previews without it.
        set_if_changed(self.preview, host.has_attribute("preview").then_some(true));
    }
}

/// A console warning when an attribute holds none of its known values.
fn warn_unless(value: Option<&str>, known: &[&str], message: &str) {
    if value.is_some_and(|v| !known.iter().any(|k| v.trim().eq_ignore_ascii_case(k))) {
        browser::warn(message);
    }
}

fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<Option<T>>, value: Option<T>) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

/// One live bar inside one `<staff-bar>`'s shadow root.
#[wasm_bindgen]
pub struct StaffBar {
    host: HtmlElement,
    source: SessionSource,
    options: Options,
    /// Dropping the mount handle unmounts the view and runs every cleanup.
    mounted: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl StaffBar {
    /// Mounts the bar into `root` (the host's shadow root). `emit(type, detail,
    /// cancelable)` dispatches `staff-bar:<type>` on the host and returns whether it
    /// was not cancelled.
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, root: ShadowRoot, emit: js_sys::Function) -> Result<StaffBar, JsValue> {
        let container: HtmlElement = document().create_element("div")?.unchecked_into();
        container.set_attribute("class", "staff-bar-host")?;
        root.append_child(&container)?;

        let slot = std::rc::Rc::new(std::cell::Cell::new(None));
        let out = slot.clone();
        let host_for_view = host.clone();
        let handle = leptos::mount::mount_to(container, move || {
            let source = SessionSource::new();
            let options = Options::new();
            options.read(&host_for_view);
            out.set(Some((source, options)));
            on_cleanup(move || source.stop());
            let emit = SendWrapper::new(emit);
            let signal_event = move |kind: &str, detail: JsValue, cancelable: bool| -> bool {
                emit.call3(&JsValue::NULL, &kind.into(), &detail, &cancelable.into())
                    .map(|answer| answer.as_bool().unwrap_or(true))
                    .unwrap_or(true)
            };
            let on_stop = signal_event.clone();
            let on_signed_out = signal_event.clone();
            let on_error = signal_event.clone();
            let on_minimize = signal_event.clone();
            let on_restore = signal_event.clone();
            let on_expired = signal_event;
            view! {
                <Impersonation
                    source=source
                    sign_out_url=options.sign_out_url
                    sign_out_mode=options.sign_out_mode
                    return_to=options.return_to
                    side=options.side
                    z_index=options.z_index
                    csrf_token=options.csrf_token
                    csrf_header=options.csrf_header
                    csrf_field=options.csrf_field
                    strings=options.strings
                    preview=options.preview
                    force_preview=true
                    on_stop=move |_| on_stop("stop", JsValue::NULL, true)
                    on_signed_out=move |url: String| {
                        on_signed_out("signed-out", detail("redirectTo", &url), false);
                    }
                    on_error=move |message: String| {
                        on_error("error", detail("message", &message), false);
                    }
                    on_minimize=move |_| {
                        on_minimize("minimize", JsValue::NULL, false);
                    }
                    on_restore=move |_| {
                        on_restore("restore", JsValue::NULL, false);
                    }
                    on_expired=move |_| {
                        on_expired("expired", JsValue::NULL, false);
                    }
                />
            }
        });
        let (source, options) = slot.take().ok_or_else(|| JsValue::from_str("staff-bar: mount failed"))?;
        Ok(StaffBar { host, source, options, mounted: Some(Box::new(handle)) })
    }

    /// Shows the session in `json` (the session JSON of SPEC.md); `None`, `null` or a
    /// non-impersonating session hides the bar. Malformed input warns on the console
    /// and hides it, so a bad answer never shows stale data.
    pub fn set_session(&self, json: Option<String>) {
        let session = match json.as_deref().map(Session::from_json) {
            None => None,
            Some(Ok(session)) => session,
            Some(Err(error)) => {
                browser::warn(&error.message());
                None
            }
        };
        self.source.show(session);
    }

    /// Shows the answer the loader got from `url` (`None`: not impersonating) and keeps
    /// refreshing from there: a bar that is showing stays until a definite answer
    /// says the impersonation ended.
    pub fn watch(&self, url: String, json: Option<String>) {
        let first = match json.as_deref().map(Session::from_json) {
            None | Some(Ok(None)) => SessionAnswer::NotImpersonating,
            Some(Ok(Some(session))) => SessionAnswer::Impersonating(Box::new(session)),
            Some(Err(error)) => SessionAnswer::Failed(error.message()),
        };
        self.source.start(url, Some(first));
    }

    /// Watches `url` after the loader's request failed: the core asks again at once
    /// and keeps a bar that is already showing, marked stale, until a definite answer.
    pub fn retry(&self, url: String) {
        self.source.start(url, None);
    }

    /// Re-reads the host's attributes after one of them changed.
    pub fn sync(&self) {
        self.options.read(&self.host);
    }

    /// Removes the bar and everything it started (effects, listeners, requests).
    pub fn unmount(&mut self) {
        self.source.stop();
        drop(self.mounted.take());
    }
}

fn detail(key: &str, value: &str) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &key.into(), &value.into());
    object.into()
}
