//! The WebAssembly core of `<staff-bar>`.
//!
//! `dist/staff-bar.js` (the loader, plain JavaScript) defines the custom element,
//! attaches its open shadow root and decides from the session whether anyone is
//! impersonated. Only then does it load this module and create a [`StaffBar`]: a
//! [`Bar`] (the same one the `<Impersonation/>` component runs) inside the shadow
//! root, set up from the host's attributes, its notices dispatched as DOM events.
//!
//! It is built from the crate without its `component` feature: no Leptos, no reactive
//! runtime, so a page that loads it pays for the bar alone (docs/performance.md).

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod alloc;
mod options;
mod status;

use staff_bar::{dom, Answer};
use staff_bar::{Bar, Notice};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: alloc::SizeClasses = alloc::SizeClasses::new();

/// One live bar inside one `<staff-bar>`'s shadow root.
#[wasm_bindgen]
pub struct StaffBar {
    host: HtmlElement,
    container: web_sys::Element,
    bar: Bar,
}

#[wasm_bindgen]
impl StaffBar {
    /// Mounts the bar into `root` (the host's shadow root). `emit(type, detail,
    /// cancelable)` dispatches `staff-bar:<type>` on the host and returns whether it
    /// was not cancelled.
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, root: ShadowRoot, emit: js_sys::Function) -> Result<StaffBar, JsValue> {
        let container = dom::document()
            .and_then(|document| document.create_element("div").ok())
            .ok_or_else(|| JsValue::from_str("staff-bar: no document"))?;
        container.set_attribute("class", "staff-bar-host")?;
        root.append_child(&container)?;
        let notify = move |notice: Notice<'_>| {
            let (kind, detail, cancelable) = match notice {
                Notice::Stop => ("stop", JsValue::NULL, true),
                Notice::SignedOut(url) => ("signed-out", detail("redirectTo", url), false),
                Notice::Error(message) => ("error", detail("message", message), false),
                Notice::Minimize => ("minimize", JsValue::NULL, false),
                Notice::Restore => ("restore", JsValue::NULL, false),
                Notice::Expired => ("expired", JsValue::NULL, false),
                Notice::Changed(now) => ("change", status::detail(now), false),
            };
            emit.call3(&JsValue::NULL, &kind.into(), &detail, &cancelable.into())
                .map(|answer| answer.as_bool().unwrap_or(true))
                .unwrap_or(true)
        };
        let bar = Bar::mount(&container, options::read(&host), None, notify)
            .ok_or_else(|| JsValue::from_str("staff-bar: no document"))?;
        Ok(StaffBar { host, container, bar })
    }

    /// Shows the session in `json` (the session JSON of SPEC.md); `None`, `null` or a
    /// non-impersonating session hides the bar. Malformed input warns on the console
    /// and hides it, so a bad answer never shows stale data.
    pub fn set_session(&self, json: Option<String>) {
        let session = match json.as_deref().map(dom::read_session) {
            None => None,
            Some(Ok(session)) => session,
            Some(Err(error)) => {
                dom::warn(&error.message());
                None
            }
        };
        self.bar.show(session);
    }

    /// Shows the answer the loader got from `url` (`None`: not impersonating) and keeps
    /// refreshing from there: a bar that is showing stays until a definite answer
    /// says the impersonation ended.
    pub fn watch(&self, url: String, json: Option<String>) {
        let first = match json.as_deref().map(dom::read_session) {
            None | Some(Ok(None)) => Answer::NotImpersonating,
            Some(Ok(Some(session))) => Answer::Impersonating(Box::new(session)),
            Some(Err(error)) => Answer::Failed(error.message()),
        };
        self.bar.watch(url, Some(first));
    }

    /// Watches `url` after the loader's request failed: the core asks again at once
    /// and keeps a bar that is already showing, marked stale, until a definite answer.
    pub fn retry(&self, url: String) {
        self.bar.watch(url, None);
    }

    /// Stop, exactly as the button: the cancelable `staff-bar:stop`, then the sign-out.
    pub fn stop(&self) {
        self.bar.stop();
    }

    /// Folds the bar into its tab, as the Minimize button does.
    pub fn minimize(&self) {
        self.bar.minimize();
    }

    /// Unfolds the bar.
    pub fn restore(&self) {
        self.bar.restore();
    }

    /// Whole seconds until `expiresAt`, on the page's clock now; `None` without an
    /// expiry or once the impersonation ended.
    pub fn time_left(&self) -> Option<f64> {
        self.bar.time_left().map(|left| left as f64)
    }

    /// Re-reads the host's attributes after one of them changed.
    pub fn sync(&self) {
        self.bar.set_settings(options::read(&self.host));
    }

    /// Removes the bar and everything it started: timers and listeners; answers to
    /// requests still in flight are ignored. `&self`, because a page's event listener
    /// may remove the element while a call of this object is dispatching its event.
    pub fn unmount(&self) {
        self.bar.unmount();
        self.container.remove();
    }
}

fn detail(key: &str, value: &str) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &key.into(), &value.into());
    object.into()
}
