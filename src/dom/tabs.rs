//! Keeping every tab of the origin in step, and remembering a minimized bar.
//!
//! A `BroadcastChannel` carries "ended", "minimized" and "restored" for one
//! impersonation (named by its session key) to the other tabs; `localStorage` holds the
//! key of the impersonation whose bar is minimized, so a reload or a new tab keeps it
//! minimized and a new impersonation starts expanded. Like the rest of [`crate::dom`], all of it
//! does nothing on the server.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub use staff_bar_core::machine::TabMessage;

const CHANNEL: &str = "staff-bar";
const MINIMIZED_KEY: &str = "staff-bar:minimized";
const ON_BROWSER: bool = cfg!(target_arch = "wasm32");

fn storage() -> Option<web_sys::Storage> {
    if !ON_BROWSER {
        return None;
    }
    web_sys::window()?.local_storage().ok()?
}

/// Whether the bar of impersonation `key` was left minimized.
pub fn is_minimized(key: &str) -> bool {
    storage().and_then(|s| s.get_item(MINIMIZED_KEY).ok()?).is_some_and(|stored| stored == key)
}

/// Remembers (or forgets) that the bar of impersonation `key` is minimized.
pub fn remember_minimized(key: &str, minimized: bool) {
    let Some(storage) = storage() else { return };
    let _ = if minimized { storage.set_item(MINIMIZED_KEY, key) } else { storage.remove_item(MINIMIZED_KEY) };
}

/// Forgets a minimized bar of impersonation `key` once it has ended, so what the
/// browser keeps (who impersonated whom) does not outlive the impersonation. A flag of
/// another impersonation, minimized in another tab, stays.
pub fn forget_minimized(key: &str) {
    if is_minimized(key) {
        remember_minimized(key, false);
    }
}

/// Tells the other tabs; a no-op where `BroadcastChannel` is missing.
pub fn broadcast(message: TabMessage, key: &str) {
    if !ON_BROWSER {
        return;
    }
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&message.encode(key).into());
        channel.close();
    }
}

/// Listens to the other tabs until dropped.
pub struct TabListener {
    channel: web_sys::BroadcastChannel,
    _callback: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl TabListener {
    pub fn new(mut on_message: impl FnMut(TabMessage, &str) + 'static) -> Option<TabListener> {
        if !ON_BROWSER {
            return None;
        }
        let channel = web_sys::BroadcastChannel::new(CHANNEL).ok()?;
        let callback =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    if let Some((message, key)) = TabMessage::decode(&text) {
                        on_message(message, key);
                    }
                }
            });
        channel.set_onmessage(Some(callback.as_ref().unchecked_ref()));
        Some(TabListener { channel, _callback: callback })
    }
}

impl Drop for TabListener {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
