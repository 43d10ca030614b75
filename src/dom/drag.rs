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

// The JavaScript, kept short because every page of a Leptos app loads it with the glue:
// `press` starts a drag (in `bar.__sb`: pointer, start x, start place, travel) unless
// the press is on a control or the reason, or the tab has no room to move; the tab
// keeps two band-widths (its `column-gap`) from either end. `pull` gives the place
// reached, NaN within 4 px of the press; with `release` it ends the drag. `stored` and
// `remember` keep "<place> <key>" in localStorage; `show` sets `--sb-place`.
#[wasm_bindgen(inline_js = r#"
const clamp = (n) => Math.min(1, Math.max(0, n));
export function press(e) {
  const b = e.currentTarget, m = 2 * parseFloat(getComputedStyle(b).columnGap), r = b.getBoundingClientRect();
  const t = document.documentElement.clientWidth - 2 * m - r.width;
  b.__sb = e.button || !e.isPrimary || e.target.closest("button,a,.sb-reason") || !(t >= 1) ? null
    : { id: e.pointerId, x: e.clientX, from: clamp((r.left - m) / t), t, on: false };
  if (b.__sb) b.setPointerCapture(e.pointerId);
}
export function pull(e, release) {
  const b = e.currentTarget, d = b.__sb;
  if (!d || d.id !== e.pointerId) return NaN;
  const moved = e.clientX - d.x;
  if (!d.on && Math.abs(moved) >= 4) b.toggleAttribute("data-dragging", (d.on = true));
  if (release) b.__sb = void b.removeAttribute("data-dragging");
  return d.on ? clamp(d.from + moved / d.t) : NaN;
}
export function stored(key) {
  try {
    const [place, ...rest] = localStorage.getItem("staff-bar:place").split(" ");
    if (rest.join(" ") === key) return clamp(parseFloat(place));
  } catch {}
  return NaN;
}
export function remember(key, place) {
  try {
    if (place >= 0) localStorage.setItem("staff-bar:place", place + " " + key);
    else if (stored(key) >= 0) localStorage.removeItem("staff-bar:place");
  } catch {}
}
export function show(b, place) {
  place >= 0 ? b.style.setProperty("--sb-place", place) : b.style.removeProperty("--sb-place");
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

use super::ON_BROWSER;

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
