//! One live bar of the `<staff-bar>` element in the browser. (The Leptos component
//! runs the same machine through its own driver, `leptos::driver`, with Leptos's
//! executor, timers and view instead of this module's callbacks and DOM writer.)
//!
//! What the bar does is decided by the [`Machine`] of `staff_bar_core`, natively
//! tested; this module feeds it what happens in the page and carries out its effects
//! (timers, requests, the DOM, the other tabs), with no reactive runtime, so a page that
//! loads it pays for a dozen nodes rather than a framework.
//!
//! - [`lifecycle`]: mounting, taking over the server's markup, listening, unmounting;
//! - [`source`]: asking the session URL and the organization URL;
//! - [`controls`]: what the controls and a Stop's sign-out do in the page;
//! - [`draw`]: bringing the DOM in line with the machine's scene.
//!
//! Borrow discipline: the machine is borrowed only while it decides, never while its
//! effects run, because those run page code (a notice, moving focus) that may remove
//! the bar or re-enter it. Drawing holds the writer while it changes nodes, and
//! removing a focused node can fire `focusout` in the page: a draw that re-enters then
//! finds the writer busy and is skipped (the next draw catches up) instead of panicking.

mod controls;
mod draw;
mod lifecycle;
mod source;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use staff_bar_core::machine::{Alarm, Answer, Input, Machine, Report, SignOut};

use crate::dom::tabs::TabListener;
use crate::dom::writer::DomWriter;
use crate::dom::{self, Listener, Timer};
use crate::effects::{carry_out, sign_out_to_url, Carrier, Page};
use crate::session::Session;
use crate::settings::Settings;
use crate::view::{Content, Skeleton};

/// What a bar tells its host: the element turns these into DOM events, the component
/// into callbacks and its context.
#[derive(Clone, Copy, Debug)]
pub enum Notice<'a> {
    /// Stop was pressed; answering false cancels it.
    Stop,
    /// Sign-out succeeded; the browser goes to this URL next.
    SignedOut(&'a str),
    /// Stop failed with this message.
    Error(&'a str),
    /// The bar was folded into its tab.
    Minimize,
    /// The bar was unfolded.
    Restore,
    /// The impersonation reached its `expiresAt`.
    Expired,
    /// What the host can read about the bar changed.
    Changed(&'a Status),
}

/// What a host can read about its bar (the element's properties); reported as
/// [`Notice::Changed`] whenever any of it changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// The live impersonation shown (the preview's too); `None` once it ended.
    pub session: Option<Session>,
    /// The bar says the impersonation ended (Stop here or in another tab, expiry).
    pub ended: bool,
    /// The bar is folded into its tab.
    pub minimized: bool,
    /// Whole seconds left until `expiresAt`, as of the countdown's last step.
    pub seconds_left: Option<i64>,
}

/// A live bar. Dropping it removes the bar and everything it started.
pub struct Bar(Rc<Core>);

impl Bar {
    /// Starts a bar inside `host` (an element of the page or of a shadow root) showing
    /// `session`, and listens to the page and other tabs. Anything already in `host` is
    /// replaced. `notify` hears what happens.
    pub fn mount(
        host: &web_sys::Element,
        settings: Settings,
        session: Option<Session>,
        notify: impl Fn(Notice<'_>) -> bool + 'static,
    ) -> Option<Bar> {
        Core::start(host, settings, session, Box::new(notify)).map(Bar)
    }

    /// Applies new settings (attributes or props changed).
    pub fn set_settings(&self, settings: Settings) {
        self.0.feed(Input::Configure(Box::new(settings)), None);
    }

    /// Shows `session` as given inline: no URL, no refreshing, no stale or ended mark.
    pub fn show(&self, session: Option<Session>) {
        self.0.feed(Input::Show(session), None);
    }

    /// Starts refreshing `url`: asks now unless `first` is the answer already in hand.
    /// A bar that is showing stays until a definite answer says the impersonation
    /// ended; failures only mark it stale and retry with backoff.
    pub fn watch(&self, url: String, first: Option<Answer>) {
        self.0.feed(Input::Watch { url, first }, None);
    }

    /// Removes the bar and everything it started: timers and listeners stop, and the
    /// answers of requests still in flight are ignored (a successful sign-out still
    /// navigates).
    pub fn unmount(&self) {
        self.0.unmount();
    }

    /// Stop, as if its button was pressed: `Notice::Stop` first, then the sign-out.
    pub fn stop(&self) {
        self.0.feed(Input::StopPressed, None);
    }

    /// Folds the bar into its tab, as the Minimize button does.
    pub fn minimize(&self) {
        self.0.feed(Input::MinimizePressed, None);
    }

    /// Unfolds the bar, as the restore tab does.
    pub fn restore(&self) {
        self.0.feed(Input::RestorePressed, None);
    }

    /// Whole seconds left until the shown impersonation's `expiresAt`, on the page's
    /// clock now (not only at the countdown's last step); `None` without an expiry, or
    /// once the bar ended.
    pub fn time_left(&self) -> Option<i64> {
        let machine = self.0.machine.try_borrow().ok()?;
        machine.time_left(&crate::effects::Page)
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.unmount();
    }
}

/// The root's style attribute and z-index, applied together (see `draw`).
type RootStyle = (Option<String>, Option<i32>);

struct Core {
    host: web_sys::Element,
    notify: Box<dyn Fn(Notice<'_>) -> bool>,
    writer: RefCell<DomWriter>,
    skeleton: Skeleton<web_sys::Element>,
    machine: RefCell<Machine>,
    content: RefCell<Option<Content<web_sys::Element>>>,
    /// One timer per [`Alarm`].
    refresh: Cell<Option<Timer>>,
    countdown: Cell<Option<Timer>>,
    announce: Cell<Option<Timer>>,
    form_deadline: Cell<Option<Timer>>,
    listeners: Cell<Vec<Listener>>,
    content_listeners: Cell<Vec<Listener>>,
    tab: Cell<Option<TabListener>>,
    applied_style: RefCell<Option<RootStyle>>,
    /// What was last reported as [`Notice::Changed`]; while it has a session, this bar
    /// has set the page's `data-impersonating` flag.
    published: RefCell<Status>,
    alive: Cell<bool>,
}

impl Core {
    /// Tells the machine what happened and carries out what it decides. `event` is the
    /// DOM event behind `input`, for a shortcut to keep from the page.
    fn feed(self: &Rc<Self>, input: Input, event: Option<&web_sys::Event>) {
        if !self.alive.get() {
            return;
        }
        let Ok(mut machine) = self.machine.try_borrow_mut() else { return };
        let effects = machine.handle(input, &Page);
        drop(machine);
        carry_out(self, effects, event);
    }

    /// Passes a report of the machine on to the host. Stop asks the host first: one
    /// that does not cancel it (and does not remove the bar) confirms it.
    fn tell_host(self: &Rc<Self>, report: Report) {
        let notice = match &report {
            Report::Stop => {
                if (self.notify)(Notice::Stop) && self.alive.get() {
                    self.feed(Input::StopConfirmed, None);
                }
                return;
            }
            Report::SignedOut(url) => Notice::SignedOut(url),
            Report::Error(message) => Notice::Error(message),
            Report::Minimize => Notice::Minimize,
            Report::Restore => Notice::Restore,
            Report::Expired => Notice::Expired,
        };
        (self.notify)(notice);
    }

    fn alarm(&self, alarm: Alarm) -> &Cell<Option<Timer>> {
        match alarm {
            Alarm::Refresh => &self.refresh,
            Alarm::Countdown => &self.countdown,
            Alarm::Announce => &self.announce,
            Alarm::FormDeadline => &self.form_deadline,
        }
    }

    /// Wakes the machine with `alarm` after `delay_ms`, unless the timer is dropped first.
    fn after(self: &Rc<Self>, delay_ms: u32, alarm: Alarm) -> Option<Timer> {
        let weak = Rc::downgrade(self);
        Timer::after(delay_ms, move || {
            if let Some(core) = weak.upgrade() {
                core.feed(Input::Woke(alarm), None);
            }
        })
    }
}

impl Carrier for Core {
    fn feed_input(self: &Rc<Self>, input: Input) {
        self.feed(input, None);
    }

    fn alive(&self) -> bool {
        self.alive.get()
    }

    fn holds_focus(&self) -> bool {
        dom::holds_focus(&self.skeleton.root)
    }

    fn draw(self: &Rc<Self>) {
        self.draw_scene();
    }

    fn wake(self: &Rc<Self>, alarm: Alarm, delay_ms: Option<u32>) {
        let timer = delay_ms.and_then(|ms| self.after(ms, alarm));
        self.alarm(alarm).set(timer);
    }

    fn fetch_session(self: &Rc<Self>, url: String, generation: u32) {
        self.ask_session_url(&url, generation);
    }

    fn fetch_organization(self: &Rc<Self>, url: String, id: String) {
        self.ask_organization_url(&url, id);
    }

    fn report(self: &Rc<Self>, report: Report) {
        self.tell_host(report);
    }

    fn sign_out(self: &Rc<Self>, request: SignOut) {
        sign_out_to_url(self, request);
    }

    fn focus_part(self: &Rc<Self>, part: &'static str) {
        self.focus_on(part);
    }
}
