//! The few DOM operations the hand-built view needs. Every setter compares first, so
//! an unchanged value causes no mutation (the countdown's one-text-change-per-tick
//! promise depends on it) and a screen reader hears nothing twice.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

/// A new `<tag class=…>` with `attributes`, appended to `parent`.
pub fn child(
    document: &Document,
    parent: &Element,
    tag: &str,
    class: &str,
    attributes: &[(&str, &str)],
) -> Element {
    let element = create(document, tag, class, attributes);
    let _ = parent.append_child(&element);
    element
}

/// A new `<tag class=…>` with `attributes`. Creating an element with a fixed, valid
/// name cannot fail; if a browser ever refused, a JavaScript exception says so rather
/// than a panic that would take the whole module down.
pub fn create(document: &Document, tag: &str, class: &str, attributes: &[(&str, &str)]) -> Element {
    let element = document
        .create_element(tag)
        .unwrap_or_else(|_| wasm_bindgen::throw_str("staff-bar: the document cannot create elements"));
    if !class.is_empty() {
        let _ = element.set_attribute("class", class);
    }
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    element
}

/// Appends text (a text node; never parsed as markup).
pub fn text(parent: &Element, text: &str) {
    let _ = parent.append_with_str_1(text);
}

/// Sets (`Some`) or removes (`None`) an attribute, only when that changes it.
pub fn attribute(element: &Element, name: &str, value: Option<&str>) {
    if element.get_attribute(name).as_deref() == value {
        return;
    }
    let _ = match value {
        Some(value) => element.set_attribute(name, value),
        None => element.remove_attribute(name),
    };
}

/// A boolean attribute: present and empty, or absent.
pub fn flag(element: &Element, name: &str, on: bool) {
    attribute(element, name, on.then_some(""));
}

/// Changes the element's text, only when it differs: the data of its one text node
/// when it has one (a single `characterData` change), else a new text node.
pub fn set_text(element: &Element, text: &str) {
    if element.text_content().as_deref().unwrap_or("") == text {
        return;
    }
    let only_text = element
        .first_child()
        .filter(|node| node.node_type() == Node::TEXT_NODE && node.next_sibling().is_none());
    match only_text {
        Some(node) if !text.is_empty() => node.set_node_value(Some(text)),
        _ => element.set_text_content((!text.is_empty()).then_some(text)),
    }
}

/// The `part` of the control that has keyboard focus inside `root`, if any, so a
/// rebuilt control can take the focus back.
pub fn focused_part(root: &web_sys::ShadowRoot) -> Option<String> {
    root.active_element()?.get_attribute("part")
}

/// A pending `setTimeout`, cleared when dropped.
pub struct Timer {
    handle: i32,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Runs `then` after `delay_ms`.
    pub fn after(delay_ms: u32, then: impl FnMut() + 'static) -> Option<Timer> {
        let window = staff_bar::browser::window()?;
        let callback = Closure::<dyn FnMut()>::new(then);
        let handle = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                delay_ms.min(i32::MAX as u32) as i32,
            )
            .ok()?;
        Some(Timer { handle, _callback: callback })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(window) = staff_bar::browser::window() {
            window.clear_timeout_with_handle(self.handle);
        }
    }
}
