//! Carrying out the machine's effects, the same for both faces: the `<staff-bar>`
//! element's `Bar` and the component's driver differ in how they draw, keep timers,
//! make requests and report, and in nothing else. What each does is a [`Carrier`];
//! [`carry_out`] runs a list of effects through one in the machine's order. Both see
//! the page through the one [`Page`] and sign out to a URL through [`sign_out_to_url`].

use std::rc::{Rc, Weak};

use staff_bar_core::machine::{Alarm, Effect, Input, Report, SignOut, World};
use staff_bar_core::sign_out::SignOutError;
use staff_bar_core::SignOutMode;

use crate::dom::{self, tabs, SignOutPlan};

/// The page, as the machine sees it: its clock, whether it is hidden, and the
/// minimized flag kept in `localStorage`.
pub(crate) struct Page;

impl World for Page {
    fn now_ms(&self) -> i64 {
        dom::now_ms()
    }

    fn page_hidden(&self) -> bool {
        dom::page_is_hidden()
    }

    fn stored_minimized(&self, key: &str) -> bool {
        tabs::is_minimized(key)
    }

    fn clock_time(&self, ms: i64) -> Option<String> {
        dom::clock_time(ms)
    }

    fn stored_place(&self, key: &str) -> Option<f64> {
        dom::drag::stored_place(key)
    }
}

/// One face's way of doing what the machine decided.
pub(crate) trait Carrier: 'static {
    /// Tells the machine what happened (an answer, the end of a sign-out).
    fn feed_input(self: &Rc<Self>, input: Input);
    /// False once the bar was removed: effects still to come are dropped, but a
    /// navigation already decided still happens.
    fn alive(&self) -> bool;
    /// Whether focus is inside the bar (asked before anything is drawn).
    fn holds_focus(&self) -> bool;
    fn draw(self: &Rc<Self>);
    /// Starts `alarm` after `delay_ms` (replacing one running), or cancels it.
    fn wake(self: &Rc<Self>, alarm: Alarm, delay_ms: Option<u32>);
    fn fetch_session(self: &Rc<Self>, url: String, generation: u32);
    fn fetch_organization(self: &Rc<Self>, url: String, id: String);
    fn report(self: &Rc<Self>, report: Report);
    fn sign_out(self: &Rc<Self>, request: SignOut);
    fn focus_part(self: &Rc<Self>, part: &'static str);
}

/// Carries out `effects` in order; `event` is the DOM event behind them, for a
/// shortcut to keep from the page.
pub(crate) fn carry_out<C: Carrier>(carrier: &Rc<C>, effects: Vec<Effect>, event: Option<&web_sys::Event>) {
    // Where focus was before anything is drawn (the machine touches no DOM), asked
    // only when an effect may move it.
    let focus_inside =
        effects.iter().any(|effect| matches!(effect, Effect::Focus(_))) && carrier.holds_focus();
    for effect in effects {
        // A host that removed the bar while hearing a report stops the rest, but
        // never a navigation already decided.
        if !carrier.alive() && !matches!(effect, Effect::Navigate(_)) {
            continue;
        }
        match effect {
            Effect::Draw => carrier.draw(),
            Effect::Wake(alarm, delay) => carrier.wake(alarm, delay),
            Effect::FetchSession { url, generation } => carrier.fetch_session(url, generation),
            Effect::FetchOrganization { url, id } => carrier.fetch_organization(url, id),
            Effect::Notify(report) => carrier.report(report),
            Effect::SignOut(request) => carrier.sign_out(request),
            Effect::Navigate(url) => dom::navigate(&url),
            Effect::Broadcast(message, key) => tabs::broadcast(message, &key),
            Effect::RememberMinimized(key, minimized) => tabs::remember_minimized(&key, minimized),
            Effect::RememberPlace(key, place) => dom::drag::remember_place(&key, Some(place)),
            Effect::ForgetMinimized(key) => {
                tabs::forget_minimized(&key);
                dom::drag::remember_place(&key, None);
            }
            Effect::Focus(part) => {
                if focus_inside {
                    carrier.focus_part(part);
                }
            }
            Effect::PreventDefault => {
                if let Some(event) = event {
                    event.prevent_default();
                }
            }
            Effect::Warn(message) => dom::warn(&message),
            Effect::LogError(message) => dom::error(&message),
        }
    }
}

/// Sends the sign-out the machine asked for to the sign-out URL: a real form POST
/// (the page then navigates with the server's redirect; the other tabs learn of the
/// end from their next refresh) or a JSON POST, whose outcome goes back to the machine.
pub(crate) fn sign_out_to_url<C: Carrier>(carrier: &Rc<C>, request: SignOut) {
    let weak = Rc::downgrade(carrier);
    let key = request.key.clone();
    let plan = SignOutPlan::new(&request);
    match request.mode {
        SignOutMode::Form => match plan.submit_form() {
            Ok(()) => carrier.feed_input(Input::FormSubmitted),
            Err(error) => stopped(&weak, key, Err(error)),
        },
        // `fetch`, the default, for any mode a later core may add.
        _ => plan.send(Box::new(move |outcome| stopped(&weak, key, outcome.map(Some)))),
    }
}

/// How the Stop of impersonation `key` ended. A bar removed in the meantime still
/// lets a successful sign-out navigate, and a failure reaches the console.
pub(crate) fn stopped<C: Carrier>(
    carrier: &Weak<C>,
    key: Option<String>,
    outcome: Result<Option<String>, SignOutError>,
) {
    match carrier.upgrade().filter(|carrier| carrier.alive()) {
        Some(carrier) => carrier.feed_input(Input::Stopped { key, outcome }),
        None => match outcome {
            Ok(Some(url)) => dom::navigate(&url),
            Ok(None) => {}
            Err(error) => dom::error(&error.message()),
        },
    }
}
