//! `setTimeout` as a value: a pending timer that is cleared when dropped.

use wasm_bindgen::JsCast;

use super::window;

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
