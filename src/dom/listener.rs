//! Event listeners as values: removed when dropped.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

const ON_BROWSER: bool = cfg!(target_arch = "wasm32");

/// An event listener on `target` that is removed when dropped.
pub struct Listener {
    target: web_sys::EventTarget,
    event: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    pub fn new(
        target: impl Into<web_sys::EventTarget>,
        event: &'static str,
        callback: impl FnMut(web_sys::Event) + 'static,
    ) -> Option<Listener> {
        if !ON_BROWSER {
            return None;
        }
        let target = target.into();
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(callback);
        target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref()).ok()?;
        Some(Listener { target, event, callback })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.event, self.callback.as_ref().unchecked_ref());
    }
}
