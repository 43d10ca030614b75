//! One live bar: its state, what each event does to it, and drawing that state into
//! the shadow root.
//!
//! The rules are the `<Impersonation/>` component's, and the decisions themselves
//! (parsing, the countdown, sign-out, strings, other tabs) are the crate's shared
//! modules. What differs is the machinery: plain state and a `draw` that patches only
//! what changed, instead of a reactive runtime, so the core stays small.
//!
//! Borrow discipline: no `RefCell` borrow is held across a call that can run page
//! code (dispatching an event, moving focus), because that code may remove the
//! element and re-enter the core.

use std::cell::{Cell, RefCell, RefMut};
use std::rc::{Rc, Weak};

use staff_bar::browser::{self, SessionAnswer, SignOutPlan};
use staff_bar::refresh::{backoff_ms, REFRESH_MS, TIMEOUT_MS};
use staff_bar::tabs::{self, Listener, TabListener, TabMessage};
use staff_bar::time::{self, Countdown};
use staff_bar::{preview, Session, SignOutMode};
use wasm_bindgen::JsValue;
use web_sys::{Document, HtmlElement, ShadowRoot};

use crate::dom::{attribute, flag, set_text, Timer};
use crate::options::Options;
use crate::view::{Content, Look, Skeleton};

/// Where Stop is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum StopState {
    Ready,
    /// A request is in flight: further clicks send nothing.
    Pending,
    /// The last attempt failed with this message; Stop can be tried again.
    Failed(String),
    /// The impersonation is over (stopped here or in another tab, or expired).
    Ended,
}

impl StopState {
    fn name(&self) -> &'static str {
        match self {
            StopState::Ready => "ready",
            StopState::Pending => "pending",
            StopState::Failed(_) => "failed",
            StopState::Ended => "ended",
        }
    }
}

/// Everything that decides what the bar shows.
struct State {
    options: Options,
    /// The session from the page or the server.
    real: Option<Session>,
    /// The last refresh failed; the bar stays, marked.
    stale: bool,
    /// A definite answer said the impersonation shown is over.
    gone: bool,
    /// The dev preview's sample session.
    preview: Option<Session>,
    /// The impersonation the state below belongs to.
    key: Option<String>,
    /// Server clock minus client clock, taken once per impersonation.
    clock_offset: i64,
    ended_by_server: bool,
    minimized: bool,
    stop: StopState,
    show_reason: bool,
    announcement: String,
    time_text: String,
    warning: bool,
    page_hidden: bool,
    /// The expiry and visibility the running countdown was started for.
    countdown_for: Option<(i64, bool)>,
    /// The `session-url` being refreshed (the rules of `staff_bar::refresh`).
    url: Option<String>,
    failures: u32,
    /// Bumped by every request and by stopping, so a late answer is dropped.
    generation: u32,
}

impl State {
    fn shown(&self) -> Option<&Session> {
        self.real.as_ref().or(self.preview.as_ref())
    }

    fn is_preview(&self) -> bool {
        self.real.is_none() && self.preview.is_some()
    }

    fn ended(&self) -> bool {
        self.stop == StopState::Ended
    }

    /// A new impersonation starts fresh: expanded unless this one was left minimized.
    fn adopt(&mut self, key: String, server_time: Option<i64>) {
        self.clock_offset = server_time.map_or(0, |server| server - browser::now_ms());
        self.ended_by_server = false;
        self.stop = StopState::Ready;
        self.show_reason = false;
        self.announcement.clear();
        self.minimized = tabs::is_minimized(&key);
        self.key = Some(key);
    }
}

/// A copy of the state `draw` needs.
struct Frame {
    look: Look,
    side: &'static str,
    z_index: Option<i32>,
    minimized: bool,
    warning: bool,
    stop: StopState,
    show_reason: bool,
    time_text: String,
    announcement: String,
}

pub struct Core {
    host: HtmlElement,
    shadow: ShadowRoot,
    document: Document,
    emit: js_sys::Function,
    skeleton: Skeleton,
    state: RefCell<State>,
    content: RefCell<Option<Content>>,
    refresh: Cell<Option<Timer>>,
    countdown: Cell<Option<Timer>>,
    announcing: Cell<Option<Timer>>,
    listeners: Cell<Vec<Listener>>,
    content_listeners: Cell<Vec<Listener>>,
    tab: Cell<Option<TabListener>>,
    z_index: Cell<Option<i32>>,
    flagged: Cell<bool>,
    alive: Cell<bool>,
}

/// Everything that reaches a bar from outside a method call: its controls, the page's
/// events and its timers. One closure type carries them all, so the wasm has one copy
/// of the listener and timer glue instead of one per call site.
#[derive(Clone, Copy)]
enum Cue {
    Stop,
    ToggleReason,
    Reload,
    Minimize,
    Restore,
    Key,
    Visibility,
    Online,
    PageShow,
    Tick,
    Refresh,
    Announce,
}

/// Sends `cue` to the core on every `event` of `target`, for as long as the core lives.
fn on(core: &Rc<Core>, target: web_sys::EventTarget, event: &'static str, cue: Cue) -> Option<Listener> {
    let weak = Rc::downgrade(core);
    Listener::new(target, event, move |event| Core::handle(&weak, cue, Some(&event)))
}

/// Sends `cue` to the core after `delay_ms`, unless the timer is dropped first.
fn after(core: &Rc<Core>, delay_ms: u32, cue: Cue) -> Option<Timer> {
    let weak = Rc::downgrade(core);
    Timer::after(delay_ms, move || Core::handle(&weak, cue, None))
}

impl Core {
    /// Builds the bar into `shadow` and starts listening to the page and other tabs.
    pub fn mount(host: HtmlElement, shadow: ShadowRoot, emit: js_sys::Function) -> Option<Rc<Core>> {
        let document = browser::document()?;
        let skeleton = Skeleton::build(&document, &shadow);
        let options = Options::read(&host);
        let preview = options.preview.then(|| preview::sample_session(browser::now_ms()));
        let state = State {
            options,
            real: None,
            stale: false,
            gone: false,
            preview,
            key: None,
            clock_offset: 0,
            ended_by_server: false,
            minimized: false,
            stop: StopState::Ready,
            show_reason: false,
            announcement: String::new(),
            time_text: String::new(),
            warning: false,
            page_hidden: browser::page_is_hidden(),
            countdown_for: None,
            url: None,
            failures: 0,
            generation: 0,
        };
        let core = Rc::new(Core {
            host,
            shadow,
            document: document.clone(),
            emit,
            skeleton,
            state: RefCell::new(state),
            content: RefCell::new(None),
            refresh: Cell::new(None),
            countdown: Cell::new(None),
            announcing: Cell::new(None),
            listeners: Cell::new(Vec::new()),
            content_listeners: Cell::new(Vec::new()),
            tab: Cell::new(None),
            z_index: Cell::new(None),
            flagged: Cell::new(false),
            alive: Cell::new(true),
        });
        core.listen(document);
        core.update();
        Some(core)
    }

    fn listen(self: &Rc<Self>, document: Document) {
        let weak = Rc::downgrade(self);
        self.tab.set(TabListener::new(move |message, key| {
            let Some(core) = weak.upgrade().filter(|core| core.alive.get()) else { return };
            if core.state().is_none_or(|state| state.key.as_deref() != Some(key)) {
                return;
            }
            match message {
                TabMessage::Ended => core.end(false),
                TabMessage::Minimized => core.set_minimized(true, true),
                TabMessage::Restored => core.set_minimized(false, true),
            }
        }));
        let mut listeners = Vec::new();
        listeners.extend(on(self, document.clone().into(), "keydown", Cue::Key));
        listeners.extend(on(self, document.into(), "visibilitychange", Cue::Visibility));
        listeners.extend(on(self, self.skeleton.restore.clone().into(), "click", Cue::Restore));
        if let Some(window) = browser::window() {
            listeners.extend(on(self, window.clone().into(), "online", Cue::Online));
            listeners.extend(on(self, window.into(), "pageshow", Cue::PageShow));
        }
        self.listeners.set(listeners);
    }

    fn handle(core: &Weak<Core>, cue: Cue, event: Option<&web_sys::Event>) {
        let Some(core) = core.upgrade().filter(|core| core.alive.get()) else { return };
        match cue {
            Cue::Stop => core.stop(),
            Cue::ToggleReason => core.toggle_reason(),
            Cue::Reload => browser::reload(),
            Cue::Minimize => core.set_minimized(true, false),
            Cue::Restore => core.set_minimized(false, false),
            Cue::Key => {
                if let Some(event) = event {
                    core.on_shortcut(event);
                }
            }
            Cue::Visibility => {
                let hidden = browser::page_is_hidden();
                if let Some(mut state) = core.state() {
                    state.page_hidden = hidden;
                }
                core.update();
                if !hidden {
                    core.poll();
                }
            }
            Cue::Online => core.poll(),
            // Back from the back/forward cache after a form-mode Stop: the POST may not
            // have happened, so offer Stop again instead of "Stopping…" forever.
            Cue::PageShow => {
                let Some(mut state) = core.state() else { return };
                if state.stop == StopState::Pending {
                    state.stop = StopState::Ready;
                    drop(state);
                    core.update();
                }
            }
            Cue::Tick => {
                if core.tick() {
                    core.draw();
                } else {
                    core.expire();
                }
            }
            // A hidden page waits for `visibilitychange` instead of polling.
            Cue::Refresh => {
                if !browser::page_is_hidden() {
                    core.poll();
                }
            }
            Cue::Announce => {
                let Some(mut state) = core.state() else { return };
                if let Some(user) = state.shown().map(|session| session.user.email.clone()) {
                    state.announcement =
                        staff_bar::strings::fill(&state.options.strings.announcement, "user", &user);
                    drop(state);
                    core.draw();
                }
            }
        }
    }

    /// Dispatches `staff-bar:<kind>` on the host; false when a listener cancelled it.
    fn emit(&self, kind: &str, detail: JsValue, cancelable: bool) -> bool {
        self.emit
            .call3(&JsValue::NULL, &kind.into(), &detail, &cancelable.into())
            .map(|answer| answer.as_bool().unwrap_or(true))
            .unwrap_or(true)
    }

    /// Re-reads the host's attributes.
    pub fn sync(self: &Rc<Self>) {
        let options = Options::read(&self.host);
        let Some(mut state) = self.state() else { return };
        if options == state.options {
            return;
        }
        if options.preview != state.options.preview {
            state.preview = options.preview.then(|| preview::sample_session(browser::now_ms()));
        }
        state.options = options;
        drop(state);
        self.update();
    }

    // ----- where the session comes from -------------------------------------------

    /// Shows `session` as given inline: no URL, no refreshing, no stale or ended mark.
    pub fn show(self: &Rc<Self>, session: Option<Session>) {
        self.unwatch();
        let Some(mut state) = self.state() else { return };
        state.gone = false;
        state.stale = false;
        state.real = session;
        drop(state);
        self.settle();
    }

    /// Starts refreshing `url`: asks now unless `first` is the answer already in hand.
    pub fn watch(self: &Rc<Self>, url: String, first: Option<SessionAnswer>) {
        self.unwatch();
        if let Some(mut state) = self.state() {
            state.url = Some(url);
        }
        match first {
            Some(answer) => {
                self.apply(answer);
                self.schedule_refresh();
            }
            None => self.poll(),
        }
    }

    fn unwatch(&self) {
        self.refresh.set(None);
        if let Some(mut state) = self.state() {
            state.url = None;
            state.generation = state.generation.wrapping_add(1);
        }
    }

    fn schedule_refresh(self: &Rc<Self>) {
        let Some(failures) = self.state().map(|state| state.failures) else { return };
        let delay = if failures > 0 { backoff_ms(failures) } else { REFRESH_MS };
        self.refresh.set(after(self, delay, Cue::Refresh));
    }

    fn poll(self: &Rc<Self>) {
        let Some(mut state) = self.state() else { return };
        let Some(url) = state.url.clone() else { return };
        state.generation = state.generation.wrapping_add(1);
        let generation = state.generation;
        drop(state);
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = browser::fetch_session(&url, TIMEOUT_MS).await;
            let Some(core) = weak.upgrade().filter(|core| core.alive.get()) else { return };
            if core.state().is_none_or(|state| state.generation != generation) {
                return;
            }
            core.apply(answer);
            core.schedule_refresh();
        });
    }

    /// A bar that is showing stays until a definite answer; a failure only marks it.
    fn apply(self: &Rc<Self>, answer: SessionAnswer) {
        let Some(mut state) = self.state() else { return };
        let mut failures = 0;
        match answer {
            SessionAnswer::Impersonating(session) => {
                if !state.real.as_ref().is_some_and(|current| current.same_as(&session)) {
                    state.real = Some(*session);
                }
                state.gone = false;
                state.stale = false;
            }
            SessionAnswer::NotImpersonating => {
                state.gone = state.gone || state.real.is_some();
                state.stale = false;
            }
            SessionAnswer::Failed(message) => {
                browser::warn(&message);
                state.stale = state.stale || state.real.is_some();
                failures = state.failures.saturating_add(1);
            }
        }
        state.failures = failures;
        drop(state);
        self.settle();
    }

    /// The server's word on whether the impersonation shown is over, and back again if
    /// a later answer shows it after all (a 401 during a token rotation).
    fn settle(self: &Rc<Self>) {
        let Some(mut state) = self.state() else { return };
        if state.gone && !state.ended() {
            state.ended_by_server = true;
            drop(state);
            self.end(true);
            return;
        }
        if !state.gone && state.ended_by_server {
            state.ended_by_server = false;
            state.stop = StopState::Ready;
        }
        drop(state);
        self.update();
    }

    // ----- what the controls do ---------------------------------------------------

    fn on_shortcut(self: &Rc<Self>, event: &web_sys::Event) {
        let Some(letter) = browser::shortcut(event) else { return };
        let Some(state) = self.state() else { return };
        if letter == 'I' && state.shown().is_some() {
            let minimized = state.minimized;
            drop(state);
            event.prevent_default();
            self.set_minimized(!minimized, false);
        } else if letter == 'P' && state.options.preview {
            drop(state);
            event.prevent_default();
            let Some(mut state) = self.state() else { return };
            state.preview = match state.preview {
                Some(_) => None,
                None => Some(preview::sample_session(browser::now_ms())),
            };
            drop(state);
            self.update();
        }
    }

    fn set_minimized(self: &Rc<Self>, value: bool, from_other_tab: bool) {
        let Some(mut state) = self.state() else { return };
        if state.minimized == value {
            return;
        }
        state.minimized = value;
        let key = state.key.clone();
        drop(state);
        // The focused control is about to become inert or hidden: keep a keyboard user
        // in place, and leave focus alone when it is elsewhere on the page.
        let focus_inside = !from_other_tab && self.shadow.active_element().is_some();
        if let Some(key) = key.filter(|_| !from_other_tab) {
            tabs::remember_minimized(&key, value);
            tabs::broadcast(if value { TabMessage::Minimized } else { TabMessage::Restored }, &key);
        }
        self.update();
        self.emit(if value { "minimize" } else { "restore" }, JsValue::NULL, false);
        if focus_inside {
            self.focus_part(if value { "restore" } else { "minimize" });
        }
    }

    fn toggle_reason(self: &Rc<Self>) {
        let Some(mut state) = self.state() else { return };
        state.show_reason = !state.show_reason;
        drop(state);
        self.update();
    }

    /// Ends the impersonation in this bar; `announce_to_tabs` tells the others.
    fn end(self: &Rc<Self>, announce_to_tabs: bool) {
        self.countdown.set(None);
        // Stop is about to be replaced by Reload: keep a keyboard user's place.
        let had_focus = self.shadow.active_element().is_some();
        let Some(mut state) = self.state() else { return };
        state.stop = StopState::Ended;
        let key = state.key.clone();
        drop(state);
        self.update();
        if had_focus {
            self.focus_part("reload");
        }
        if let Some(key) = key.filter(|_| announce_to_tabs) {
            tabs::broadcast(TabMessage::Ended, &key);
        }
    }

    fn expire(self: &Rc<Self>) {
        if self.state().is_none_or(|state| state.ended()) {
            return;
        }
        self.end(true);
        self.emit("expired", JsValue::NULL, false);
    }

    fn stop(self: &Rc<Self>) {
        let Some(mut state) = self.state() else { return };
        if matches!(state.stop, StopState::Pending | StopState::Ended) {
            return;
        }
        if state.is_preview() {
            // Stop in the preview ends the preview, and sends nothing.
            state.preview = None;
            drop(state);
            self.update();
            return;
        }
        drop(state);
        // A listener may cancel, or remove the bar; then there is nothing left to do.
        if !self.emit("stop", JsValue::NULL, true) || !self.alive.get() {
            return;
        }
        let Some(mut state) = self.state() else { return };
        state.stop = StopState::Pending;
        let options = &state.options;
        let plan = SignOutPlan::new(
            options.sign_out_url.clone(),
            options.return_to.clone(),
            options.csrf_token.clone(),
        );
        let form = options.sign_out_mode == SignOutMode::Form;
        let (field, header) = (options.csrf_field.clone(), options.csrf_header.clone());
        drop(state);
        self.update();
        // In form mode the page navigates away with the server's redirect; the other
        // tabs learn of the end from their next refresh, not before it happened.
        if form && plan.submit_form(field) {
            return;
        }
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = plan.send(header).await;
            let core = weak.upgrade().filter(|core| core.alive.get());
            match outcome {
                Ok(url) => {
                    if let Some(core) = &core {
                        core.end(true);
                        core.emit("signed-out", detail("redirectTo", &url), false);
                    }
                    browser::navigate(&url);
                }
                Err(error) => {
                    let message = error.message();
                    browser::error(&message);
                    let Some(core) = core else { return };
                    core.emit("error", detail("message", &message), false);
                    if let Some(mut state) = core.state() {
                        state.stop = StopState::Failed(message);
                    }
                    core.update();
                }
            }
        });
    }

    fn focus_part(&self, part: &str) {
        let mut selector = String::from("[part=");
        selector.push_str(part);
        selector.push(']');
        if let Ok(Some(element)) = self.skeleton.root.query_selector(&selector) {
            browser::focus(&element);
        }
    }

    // ----- drawing ------------------------------------------------------------------

    /// Brings the countdown and the DOM in line with the state.
    pub fn update(self: &Rc<Self>) {
        if !self.alive.get() {
            return;
        }
        let Some(mut state) = self.state() else { return };
        if let Some((key, server_time)) = state.shown().map(|session| (session.key(), session.server_time)) {
            if state.key.as_deref() != Some(key.as_str()) {
                state.adopt(key, server_time);
                self.announcing.set(None);
            }
        }
        let hidden = state.minimized || state.page_hidden;
        let expires_at = state.shown().and_then(|session| session.expires_at).filter(|_| !state.ended());
        let wanted = expires_at.map(|at| (at, hidden));
        let restart = wanted != state.countdown_for;
        if restart {
            state.countdown_for = wanted;
            state.time_text.clear();
            self.countdown.set(None);
        }
        drop(state);
        if restart && !self.tick() {
            self.expire();
            return;
        }
        self.draw();
    }

    /// One countdown step: the text for now, and a wake-up exactly when it next
    /// changes (or, while nobody can see it, only at the end). False at zero.
    fn tick(self: &Rc<Self>) -> bool {
        let Some(mut state) = self.state() else { return true };
        let Some((expires_at, hidden)) = state.countdown_for else { return true };
        let left = time::remaining_ms(expires_at, browser::now_ms(), state.clock_offset);
        let countdown = Countdown::at(left);
        let Some(text) = state.options.strings.time_left(countdown) else { return false };
        state.time_text = text;
        state.warning = countdown.is_warning();
        drop(state);
        let delay = if hidden {
            left.clamp(1, i64::from(i32::MAX)) as u32
        } else {
            countdown.next_change_ms().unwrap_or(1)
        };
        self.countdown.set(after(self, delay, Cue::Tick));
        true
    }

    fn draw(self: &Rc<Self>) {
        let Some(frame) = self.frame() else {
            self.skeleton.attach(false);
            self.set_flag(false);
            return;
        };
        let root = &self.skeleton.root;
        let strings = &frame.look.strings;
        attribute(root, "aria-label", Some(&strings.region));
        attribute(root, "data-side", Some(frame.side));
        flag(root, "data-minimized", frame.minimized);
        flag(root, "data-warning", frame.warning);
        flag(root, "data-preview", frame.look.preview);
        flag(root, "data-stale", frame.look.stale);
        attribute(root, "data-state", Some(frame.stop.name()));
        if self.z_index.get() != frame.z_index {
            self.z_index.set(frame.z_index);
            browser::set_z_index(root, frame.z_index);
        }
        let restore = &self.skeleton.restore;
        attribute(restore, "aria-label", Some(&strings.restore));
        attribute(restore, "title", Some(&strings.restore));
        flag(restore, "hidden", !frame.minimized);
        flag(&self.skeleton.bar, "inert", frame.minimized);
        set_text(&self.skeleton.status, &frame.announcement);
        self.skeleton.attach(true);
        let ended = frame.look.ended;
        let refocus = self.patch_content(frame.look, |content| {
            if let Some(stop) = &content.stop {
                let pending = frame.stop == StopState::Pending;
                let label = if pending { &content.look.strings.stopping } else { &content.look.strings.stop };
                set_text(stop, label);
                attribute(stop, "aria-disabled", pending.then_some("true"));
            }
            if let Some(toggle) = &content.toggle {
                attribute(toggle, "aria-expanded", Some(if frame.show_reason { "true" } else { "false" }));
            }
            if let Some(reason) = &content.reason {
                flag(reason, "hidden", !frame.show_reason || ended);
            }
            if let Some(time) = &content.time {
                set_text(time, &frame.time_text);
                flag(time, "data-warning", frame.warning);
            }
            let error = match &frame.stop {
                StopState::Failed(message) => Some(message.as_str()),
                _ => None,
            };
            content.show_error(&self.document, &self.skeleton.bar, error);
        });
        self.set_flag(!ended);
        // Announce the bar once per impersonation, a moment after it appears, so screen
        // readers notice the change of the live region.
        if frame.announcement.is_empty() {
            let pending = self.announcing.take();
            self.announcing.set(pending.or_else(|| after(self, 150, Cue::Announce)));
        }
        if let Some(part) = refocus {
            self.focus_part(&part);
        }
    }

    /// A copy of what to draw, so no borrow is held while the DOM changes (which can
    /// run page code).
    fn frame(&self) -> Option<Frame> {
        let state = self.state()?;
        let session = state.shown()?;
        Some(Frame {
            look: Look {
                session: session.clone(),
                strings: state.options.strings.clone(),
                preview: state.is_preview(),
                stale: state.stale,
                ended: state.ended(),
            },
            side: state.options.side.as_str(),
            z_index: state.options.z_index,
            minimized: state.minimized,
            warning: state.warning,
            stop: state.stop.clone(),
            show_reason: state.show_reason,
            time_text: state.time_text.clone(),
            announcement: state.announcement.clone(),
        })
    }

    /// Rebuilds the bar's contents when their `look` changed, then lets `patch` set
    /// the rest. Returns the part that had focus before a rebuild, to give it back.
    fn patch_content(self: &Rc<Self>, look: Look, patch: impl FnOnce(&mut Content)) -> Option<String> {
        let Ok(mut slot) = self.content.try_borrow_mut() else { return None };
        let mut refocus = None;
        if slot.as_ref().is_none_or(|content| content.look != look) {
            refocus = crate::dom::focused_part(&self.shadow);
            let content = Content::build(&self.document, &self.skeleton.bar, look);
            self.content_listeners.set(self.control_listeners(&content));
            *slot = Some(content);
        }
        if let Some(content) = slot.as_mut() {
            patch(content);
        }
        refocus
    }

    fn control_listeners(self: &Rc<Self>, content: &Content) -> Vec<Listener> {
        let controls = [
            (&content.stop, Cue::Stop),
            (&content.toggle, Cue::ToggleReason),
            (&content.reload, Cue::Reload),
            (&Some(content.minimize.clone()), Cue::Minimize),
        ];
        controls
            .into_iter()
            .filter_map(|(element, cue)| on(self, element.clone()?.into(), "click", cue))
            .collect()
    }

    /// `<html data-impersonating>` while a live impersonation is shown.
    fn set_flag(&self, active: bool) {
        if self.flagged.get() != active {
            self.flagged.set(active);
            browser::set_impersonating_flag(active);
        }
    }

    /// Removes the bar and everything it started: timers, listeners, requests.
    pub fn unmount(&self) {
        self.alive.set(false);
        self.unwatch();
        self.countdown.set(None);
        self.announcing.set(None);
        self.listeners.take();
        self.content_listeners.take();
        self.tab.set(None);
        self.skeleton.container.remove();
        browser::set_impersonating_flag(false);
    }

    /// The state, unless it is borrowed further up the stack (page code re-entering
    /// the core from an event): that call is dropped instead of panicking the module.
    fn state(&self) -> Option<RefMut<'_, State>> {
        self.state.try_borrow_mut().ok()
    }
}

fn detail(key: &str, value: &str) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &key.into(), &value.into());
    object.into()
}
