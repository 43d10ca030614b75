//! The WebAssembly core of `<staff-bar>`.
//!
//! `dist/staff-bar.js` (the loader, plain JavaScript) defines the custom element,
//! attaches its open shadow root and decides from the session whether anyone is
//! impersonated. Only then does it load this module and create a [`StaffBar`].
//!
//! The core draws the same markup as the `<Impersonation/>` component and follows the
//! same rules, with the crate's parsing, countdown, sign-out, strings and tab modules,
//! but without a reactive runtime: a bar is a dozen nodes, and a page that loads the
//! core pays for them rather than for a framework (see the README's "Performance").

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod alloc;
mod core;
mod dom;
mod options;
mod view;

use std::rc::Rc;

use staff_bar::browser::{self, SessionAnswer};
use staff_bar::Session;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

use crate::core::Core;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: alloc::SizeClasses = alloc::SizeClasses::new();

/// One live bar inside one `<staff-bar>`'s shadow root.
#[wasm_bindgen]
pub struct StaffBar {
    core: Rc<Core>,
}

#[wasm_bindgen]
impl StaffBar {
    /// Mounts the bar into `root` (the host's shadow root). `emit(type, detail,
    /// cancelable)` dispatches `staff-bar:<type>` on the host and returns whether it
    /// was not cancelled.
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, root: ShadowRoot, emit: js_sys::Function) -> Result<StaffBar, JsValue> {
        let core =
            Core::mount(host, root, emit).ok_or_else(|| JsValue::from_str("staff-bar: no document"))?;
        Ok(StaffBar { core })
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
        self.core.show(session);
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
        self.core.watch(url, Some(first));
    }

    /// Watches `url` after the loader's request failed: the core asks again at once
    /// and keeps a bar that is already showing, marked stale, until a definite answer.
    pub fn retry(&self, url: String) {
        self.core.watch(url, None);
    }

    /// Re-reads the host's attributes after one of them changed.
    pub fn sync(&self) {
        self.core.sync();
    }

    /// Removes the bar and everything it started (timers, listeners, requests).
    pub fn unmount(&mut self) {
        self.core.unmount();
    }
}
