//! Dragging the tab along its edge with the pointer, for both faces: the press, the
//! moves (as places from 0 at the left end to 1 at the right, what
//! [`Input::Placed`](staff_bar_core::machine::Input::Placed) takes) and the release,
//! and showing a place on the tab. The frame never moves; the stylesheet keeps any
//! place inside the viewport.
//!
//! The pointer arithmetic is a few lines of JavaScript beside the glue rather than
//! Rust over web-sys: each web-sys call costs the element's wasm an import and its
//! conversions, and the drag needs a dozen of them (the `<staff-bar>` size budget).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
// The tab keeps two band-widths from either end; the band's width is the gap between
// the tab's items (column-gap: var(--sb-size)). A press becomes a drag after 4 px.
export function press(event) {
  const bar = event.currentTarget;
  bar.__sbDrag = undefined;
  if (event.button !== 0 || !event.isPrimary || event.target.closest("button, a, .sb-reason")) return;
  const margin = 2 * parseFloat(getComputedStyle(bar).columnGap);
  const rect = bar.getBoundingClientRect();
  const travel = document.documentElement.clientWidth - 2 * margin - rect.width;
  if (!(travel >= 1)) return;
  bar.setPointerCapture(event.pointerId);
  bar.__sbDrag = { id: event.pointerId, x: event.clientX, from: Math.min(1, Math.max(0, (rect.left - margin) / travel)), travel, moving: false };
}
export function pull(event, release) {
  const bar = event.currentTarget;
  const drag = bar.__sbDrag;
  if (!drag || drag.id !== event.pointerId) return NaN;
  const moved = event.clientX - drag.x;
  if (!drag.moving && Math.abs(moved) >= 4) bar.toggleAttribute("data-dragging", (drag.moving = true));
  if (release) bar.__sbDrag = void bar.removeAttribute("data-dragging");
  return drag.moving ? Math.min(1, Math.max(0, drag.from + moved / drag.travel)) : NaN;
}
// Where the tab of one impersonation was left: "<place> <key>" in localStorage.
export function stored(key) {
  try {
    const [place, ...rest] = localStorage.getItem("staff-bar:place").split(" ");
    if (rest.join(" ") === key) return Math.min(1, Math.max(0, parseFloat(place)));
  } catch {}
  return NaN;
}
export function remember(key, place) {
  try {
    if (place >= 0) localStorage.setItem("staff-bar:place", place + " " + key);
    else if (stored(key) >= 0) localStorage.removeItem("staff-bar:place");
  } catch {}
}
export function show(bar, place) {
  if (place >= 0) bar.style.setProperty("--sb-place", place);
  else bar.style.removeProperty("--sb-place");
}
"#)]
extern "C" {
    /// Starts a drag when `event` (heard on the tab, `.sb-bar`) is a press of the
    /// primary button on the tab itself, not on one of its controls or in the reason
    /// (whose text can be selected), and the tab has room to move (on a phone it
    /// spans the width).
    #[wasm_bindgen(js_name = press)]
    fn js_press(event: &web_sys::Event);
    /// The place the drag has reached with `event`, or NaN (no drag, another pointer,
    /// still within the threshold); `release` ends the drag.
    #[wasm_bindgen(js_name = pull)]
    fn js_pull(event: &web_sys::Event, release: bool) -> f64;
    #[wasm_bindgen(js_name = show)]
    fn js_show(bar: &web_sys::Element, place: f64);
    #[wasm_bindgen(js_name = stored)]
    fn js_stored(key: &str) -> f64;
    #[wasm_bindgen(js_name = remember)]
    fn js_remember(key: &str, place: f64);
}

const ON_BROWSER: bool = cfg!(target_arch = "wasm32");

/// A press on the tab: the drag starts if it is one (see the JavaScript above).
pub fn press(event: &web_sys::Event) {
    if ON_BROWSER {
        js_press(event);
    }
}

/// Where the tab is dragged to by a pointer move, once it moved far enough.
pub fn pull(event: &web_sys::Event) -> Option<f64> {
    let place = if ON_BROWSER { js_pull(event, false) } else { f64::NAN };
    (!place.is_nan()).then_some(place)
}

/// Where the tab was let go (a release or a cancel), if it was dragged at all.
pub fn release(event: &web_sys::Event) -> Option<f64> {
    let place = if ON_BROWSER { js_pull(event, true) } else { f64::NAN };
    (!place.is_nan()).then_some(place)
}

/// Where the tab of impersonation `key` was left (0 to 1), if it was moved.
pub fn stored_place(key: &str) -> Option<f64> {
    let place = if ON_BROWSER { js_stored(key) } else { f64::NAN };
    (!place.is_nan()).then_some(place)
}

/// Remembers where the tab of impersonation `key` stands, or with `None` forgets it
/// (once the impersonation ended, as its minimized flag: what the browser keeps must
/// not outlive it). Another impersonation's place stays.
pub fn remember_place(key: &str, place: Option<f64>) {
    if ON_BROWSER {
        js_remember(key, place.unwrap_or(-1.0));
    }
}

/// Shows `place` on the tab (`--sb-place`, through the CSSOM, which a strict CSP
/// allows), or removes it for the place `align` gives.
pub fn show_place(bar: &web_sys::Element, place: Option<f64>) {
    if ON_BROWSER {
        js_show(bar, place.unwrap_or(-1.0));
    }
}
