//! One live bar in the browser: its state, what each event does to it, and drawing
//! that state. Both the `<Impersonation/>` component and the `<staff-bar>` element run
//! a [`Bar`]; they differ only in where settings come from and where notices go.
//!
//! The decisions themselves (parsing, the countdown, sign-out, strings, other tabs)
//! live in the crate's plain modules, and the markup in [`view`](crate::view). This
//! module is plain state and a `draw` that patches only what changed, with no reactive
//! runtime, so a page that loads it pays for a dozen nodes rather than a framework.
//!
//! Borrow discipline: no borrow of the state is held across a call that can run page
//! code (a notice, moving focus), because that code may remove the bar and re-enter
//! it. Drawing holds the markup while it changes nodes, and removing a focused node
//! can fire `focusout` in the page: a call that re-enters then finds the bar busy and
//! is dropped (the next draw catches up) instead of panicking.

use std::cell::{Cell, RefCell, RefMut};
#[cfg(feature = "component")]
use std::future::Future;
#[cfg(feature = "component")]
use std::pin::Pin;
use std::rc::{Rc, Weak};

use crate::browser::{self, SessionAnswer, SignOutPlan, Timer};
use crate::markup::{Claim, Dom};
use crate::preview;
use crate::refresh::{backoff_ms, REFRESH_MS, TIMEOUT_MS};
use crate::session::Session;
use crate::settings::{Settings, SignOutMode};
use crate::sign_out::SignOutError;
use crate::tabs::{self, Listener, TabListener, TabMessage};
use crate::time::{self, Countdown};
use crate::view::{paint, Content, Frame, Look, Skeleton, StopState};

#[cfg(feature = "component")]
type StopFuture = Pin<Box<dyn Future<Output = Result<Option<String>, String>>>>;

/// A host app's own way to end the impersonation, used instead of the POST to the
/// sign-out URL: a Leptos server function, say.
///
/// The future resolves to `Ok(url)` to send the browser there, `Ok(())` or `Ok(None)`
/// when the app navigates by itself (the bar then shows its ended state), or an error
/// of any type that displays (a `ServerFnError`, a `String`), shown in the bar with
/// Stop offered again. `<Impersonation/>` starts it inside its own reactive owner, so
/// `use_context`, `use_navigate` and server functions work in it as they do in the
/// component's body.
///
/// With the `component` feature only: it needs a futures executor, which the
/// `<staff-bar>` core (built without it) does without.
#[cfg(feature = "component")]
#[derive(Clone)]
pub struct StopAction {
    action: Rc<dyn Fn() -> StopFuture>,
    owner: Option<leptos::prelude::Owner>,
}

#[cfg(feature = "component")]
impl StopAction {
    pub fn new<F, Fut, T, E>(action: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, E>> + 'static,
        T: StopDestination,
        E: std::fmt::Display,
    {
        let action = move || -> StopFuture {
            let future = action();
            Box::pin(async move {
                match future.await {
                    Ok(done) => Ok(done.destination()),
                    Err(error) => Err(error.to_string()),
                }
            })
        };
        StopAction { action: Rc::new(action), owner: None }
    }

    /// The same action, started inside `owner` (the component's).
    #[cfg_attr(feature = "ssr", allow(dead_code))]
    pub(crate) fn within(self, owner: Option<leptos::prelude::Owner>) -> Self {
        StopAction { owner, ..self }
    }

    /// Starts the action on the page's executor, under its owner when it has one.
    fn spawn(&self, done: impl FnOnce(Result<Option<String>, String>) + 'static) {
        let start = || leptos::reactive::computed::ScopedFuture::new_untracked((self.action)());
        let future = match &self.owner {
            Some(owner) => owner.with(start),
            None => start(),
        };
        leptos::task::spawn_local(async move { done(future.await) });
    }
}

/// What a [`StopAction`] can succeed with: where to send the browser, if anywhere.
#[cfg(feature = "component")]
pub trait StopDestination {
    fn destination(self) -> Option<String>;
}

#[cfg(feature = "component")]
impl StopDestination for () {
    fn destination(self) -> Option<String> {
        None
    }
}

#[cfg(feature = "component")]
impl StopDestination for String {
    fn destination(self) -> Option<String> {
        Some(self)
    }
}

#[cfg(feature = "component")]
impl StopDestination for Option<String> {
    fn destination(self) -> Option<String> {
        self
    }
}

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
    Minimize,
    Restore,
    /// The impersonation reached its `expiresAt`.
    Expired,
    /// The live impersonation shown (`None` once none is, or it ended).
    Active(Option<&'a Session>),
}

/// Everything that decides what the bar shows.
struct State {
    settings: Settings,
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
    /// The `session-url` being refreshed (the rules of [`crate::refresh`]).
    url: Option<String>,
    failures: u32,
    /// Bumped by every request and by stopping, so a late answer is dropped.
    generation: u32,
    /// A failed Stop waiting for the server to say whether the impersonation is over.
    stop_failure: Option<String>,
    /// The organization id whose name was asked at `organization_url`, and the name
    /// once known: asked once per id.
    organization: Option<(String, Option<String>)>,
}

impl State {
    fn new(settings: Settings, real: Option<Session>) -> State {
        let preview = preview_for(&settings);
        State {
            settings,
            real,
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
            stop_failure: None,
            organization: None,
        }
    }

    fn shown(&self) -> Option<&Session> {
        self.real.as_ref().or(self.preview.as_ref())
    }

    fn is_preview(&self) -> bool {
        self.real.is_none() && self.preview.is_some()
    }

    fn ended(&self) -> bool {
        self.stop == StopState::Ended
    }

    /// Whether the session shown is past its `expiresAt`.
    fn has_expired(&self) -> bool {
        let expires_at = self.shown().and_then(|session| session.expires_at);
        expires_at.is_some_and(|at| time::remaining_ms(at, browser::now_ms(), self.clock_offset) <= 0)
    }

    fn look(&self) -> Option<Look> {
        let mut session = self.shown()?.clone();
        // A name looked up at `organization_url` fills a session that has only the id.
        if let (Some(org), Some((id, Some(name)))) = (session.organization.as_mut(), &self.organization) {
            if org.name.is_none() && org.id.as_deref() == Some(id.as_str()) {
                org.name = Some(name.clone());
            }
        }
        Some(Look {
            session,
            strings: self.settings.strings.clone(),
            preview: self.is_preview(),
            ended: self.ended(),
        })
    }

    /// The `organization_url` and the id to ask it for, when the real session names an
    /// organization by id only and that id was not asked yet.
    fn organization_to_look_up(&self) -> Option<(String, String)> {
        let url = self.settings.organization_url.as_ref().filter(|url| !url.is_empty())?;
        let org = self.real.as_ref()?.organization.as_ref().filter(|org| org.name.is_none())?;
        let id = org.id.as_ref().filter(|id| !id.is_empty())?;
        let asked = self.organization.as_ref().map(|(asked, _)| asked);
        (asked != Some(id)).then(|| (url.clone(), id.clone()))
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

/// The sample session when the settings ask for the preview.
fn preview_for(settings: &Settings) -> Option<Session> {
    (settings.preview == Some(true)).then(|| preview::sample_session(browser::now_ms()))
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
    FormDeadline,
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

/// The root's style attribute and z-index, applied together (see `Core::draw`).
type RootStyle = (Option<String>, Option<i32>);

/// A live bar. Dropping it removes the bar and everything it started.
pub struct Bar(Rc<Core>);

struct Core {
    host: web_sys::Element,
    notify: Box<dyn Fn(Notice<'_>) -> bool>,
    markup: RefCell<Dom>,
    skeleton: Skeleton<web_sys::Element>,
    state: RefCell<State>,
    content: RefCell<Option<Content<web_sys::Element>>>,
    #[cfg(feature = "component")]
    stop_action: RefCell<Option<StopAction>>,
    refresh: Cell<Option<Timer>>,
    countdown: Cell<Option<Timer>>,
    announcing: Cell<Option<Timer>>,
    /// A form-mode Stop that has not left the page by this timer has failed.
    form_deadline: Cell<Option<Timer>>,
    listeners: Cell<Vec<Listener>>,
    content_listeners: Cell<Vec<Listener>>,
    tab: Cell<Option<TabListener>>,
    applied_style: RefCell<Option<RootStyle>>,
    /// The impersonation last reported as [`Notice::Active`]; while there is one, this
    /// bar has set the page's `data-impersonating` flag.
    published: RefCell<Option<Session>>,
    alive: Cell<bool>,
}

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
        Bar::start::<false>(host, settings, session, Box::new(notify))
    }

    /// [`Bar::mount`] for a page the server rendered: markup the server wrote into
    /// `host` for the same session is taken over in place (the nodes, and any focus on
    /// them, stay); anything else there is replaced.
    pub fn hydrate(
        host: &web_sys::Element,
        settings: Settings,
        session: Option<Session>,
        notify: impl Fn(Notice<'_>) -> bool + 'static,
    ) -> Option<Bar> {
        Bar::start::<true>(host, settings, session, Box::new(notify))
    }

    /// `CLAIM` is a constant so that a build that never hydrates (the `<staff-bar>`
    /// element) carries none of the claiming code.
    fn start<const CLAIM: bool>(
        host: &web_sys::Element,
        settings: Settings,
        session: Option<Session>,
        notify: Box<dyn Fn(Notice<'_>) -> bool>,
    ) -> Option<Bar> {
        let mut markup = Dom::new(browser::document()?);
        let state = State::new(settings, session);
        let claimed = if CLAIM { claim(host, state.look()) } else { None };
        let (skeleton, content) = match claimed {
            Some(claimed) => claimed,
            None => {
                host.set_text_content(None);
                (Skeleton::build(&mut markup, None), None)
            }
        };
        browser::adopt_styles(host);
        let core = Rc::new(Core {
            host: host.clone(),
            notify,
            markup: RefCell::new(markup),
            skeleton,
            state: RefCell::new(state),
            content: RefCell::new(None),
            #[cfg(feature = "component")]
            stop_action: RefCell::new(None),
            refresh: Cell::new(None),
            countdown: Cell::new(None),
            announcing: Cell::new(None),
            form_deadline: Cell::new(None),
            listeners: Cell::new(Vec::new()),
            content_listeners: Cell::new(Vec::new()),
            tab: Cell::new(None),
            applied_style: RefCell::new(None),
            published: RefCell::new(None),
            alive: Cell::new(true),
        });
        if let Some(content) = content {
            core.content_listeners.set(core.control_listeners(&content));
            if let Ok(mut slot) = core.content.try_borrow_mut() {
                *slot = Some(content);
            }
        }
        core.listen();
        core.update();
        Some(Bar(core))
    }

    /// Applies new settings (attributes or props changed).
    pub fn set_settings(&self, settings: Settings) {
        self.0.set_settings(settings);
    }

    /// Ends the impersonation with `action` instead of the request to the sign-out URL.
    #[cfg(feature = "component")]
    pub fn set_stop_action(&self, action: Option<StopAction>) {
        if let Ok(mut slot) = self.0.stop_action.try_borrow_mut() {
            *slot = action;
        }
    }

    /// Shows `session` as given inline: no URL, no refreshing, no stale or ended mark.
    pub fn show(&self, session: Option<Session>) {
        self.0.show(session);
    }

    /// Starts refreshing `url`: asks now unless `first` is the answer already in hand.
    /// A bar that is showing stays until a definite answer says the impersonation
    /// ended; failures only mark it stale and retry with backoff.
    pub fn watch(&self, url: String, first: Option<SessionAnswer>) {
        self.0.watch(url, first);
    }

    /// Removes the bar and everything it started: timers and listeners stop, and the
    /// answers of requests still in flight are ignored (a successful sign-out still
    /// navigates).
    pub fn unmount(&self) {
        self.0.unmount();
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.unmount();
    }
}

/// Takes over the server's markup in `host`, when it is the markup `look` would
/// build; `None` when there is none or it differs.
fn claim(
    host: &web_sys::Element,
    look: Option<Look>,
) -> Option<(Skeleton<web_sys::Element>, Option<Content<web_sys::Element>>)> {
    let look = look?;
    host.first_element_child()?;
    let mut claim = Claim::new(browser::document()?, host);
    let skeleton = Skeleton::build(&mut claim, None);
    let content = Content::build(&mut claim, &skeleton.bar, look);
    claim.finish().then_some((skeleton, Some(content)))
}

impl Core {
    fn listen(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        self.tab.set(TabListener::new(move |message, key| {
            let Some(core) = weak.upgrade().filter(|core| core.alive.get()) else { return };
            if core.state().is_none_or(|state| state.key.as_deref() != Some(key)) {
                return;
            }
            match message {
                // Another tab's end is the server's word only until this tab asks the
                // server itself: a tab that refreshes comes back if its next answer
                // still shows the impersonation (a 401 there during a token rotation).
                TabMessage::Ended => {
                    if let Some(mut state) = core.state() {
                        state.ended_by_server = state.url.is_some();
                    }
                    core.end(false);
                }
                TabMessage::Minimized => core.set_minimized(true, true),
                TabMessage::Restored => core.set_minimized(false, true),
            }
        }));
        let mut listeners = Vec::new();
        if let Some(document) = browser::document() {
            listeners.extend(on(self, document.clone().into(), "keydown", Cue::Key));
            listeners.extend(on(self, document.into(), "visibilitychange", Cue::Visibility));
        }
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
                core.form_deadline.set(None);
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
            // The form was submitted but the page is still here: a 204, a cancelled
            // `beforeunload`, a `form-action` policy. Offer Stop again, with the reason.
            Cue::FormDeadline => {
                let Some(key) =
                    core.state().filter(|state| state.stop == StopState::Pending).map(|s| s.key.clone())
                else {
                    return;
                };
                Core::stopped(&Rc::downgrade(&core), key, Err(SignOutError::FormStayed));
            }
            Cue::Announce => {
                core.announcing.set(None);
                let Some(mut state) = core.state() else { return };
                if let Some(user) = state.shown().map(|session| session.user.email.clone()) {
                    state.announcement =
                        crate::strings::fill(&state.settings.strings.announcement, "user", &user);
                    drop(state);
                    core.draw();
                }
            }
        }
    }

    fn set_settings(self: &Rc<Self>, settings: Settings) {
        if !self.alive.get() {
            return;
        }
        let Some(mut state) = self.state() else { return };
        if settings == state.settings {
            return;
        }
        if settings.preview != state.settings.preview {
            state.preview = preview_for(&settings);
        }
        state.settings = settings;
        drop(state);
        self.update();
    }

    // ----- where the session comes from -------------------------------------------

    fn show(self: &Rc<Self>, session: Option<Session>) {
        if !self.alive.get() {
            return;
        }
        self.unwatch();
        let Some(mut state) = self.state() else { return };
        state.gone = false;
        state.stale = false;
        state.real = session;
        // No server left to ask about a failed Stop: it is a failure after all.
        let stop_failure = state.stop_failure.take();
        drop(state);
        self.settle();
        self.settle_stop_failure(stop_failure);
    }

    fn watch(self: &Rc<Self>, url: String, first: Option<SessionAnswer>) {
        if !self.alive.get() {
            return;
        }
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
        browser::fetch_session(
            &url,
            TIMEOUT_MS,
            Box::new(move |answer| {
                let Some(core) = weak.upgrade().filter(|core| core.alive.get()) else { return };
                if core.state().is_none_or(|state| state.generation != generation) {
                    return;
                }
                core.apply(answer);
                core.schedule_refresh();
            }),
        );
    }

    /// A bar that is showing stays until a definite answer; a failure only marks it.
    fn apply(self: &Rc<Self>, answer: SessionAnswer) {
        let Some(mut state) = self.state() else { return };
        let stop_failure = state.stop_failure.take();
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
        self.settle_stop_failure(stop_failure);
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
        // An answer with a session whose time is up stays ended: coming back would only
        // expire it again.
        if !state.gone && state.ended_by_server && !state.has_expired() {
            state.ended_by_server = false;
            state.stop = StopState::Ready;
        }
        drop(state);
        self.update();
    }

    // ----- what the controls do ---------------------------------------------------

    fn on_shortcut(self: &Rc<Self>, event: &web_sys::Event) {
        let Some(letter) = browser::shortcut(event) else { return };
        let Some(mut state) = self.state() else { return };
        if letter == 'I' && state.shown().is_some() {
            let minimized = state.minimized;
            drop(state);
            event.prevent_default();
            self.set_minimized(!minimized, false);
        } else if letter == 'P' && state.settings.preview.is_some() {
            event.prevent_default();
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
        let focus_inside = !from_other_tab && browser::holds_focus(&self.skeleton.root);
        if let Some(key) = key.filter(|_| !from_other_tab) {
            tabs::remember_minimized(&key, value);
            tabs::broadcast(if value { TabMessage::Minimized } else { TabMessage::Restored }, &key);
        }
        self.update();
        (self.notify)(if value { Notice::Minimize } else { Notice::Restore });
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
        let had_focus = browser::holds_focus(&self.skeleton.root);
        let Some(mut state) = self.state() else { return };
        state.stop = StopState::Ended;
        let key = state.key.clone();
        drop(state);
        self.update();
        if had_focus {
            self.focus_part("reload");
        }
        if let Some(key) = &key {
            tabs::forget_minimized(key);
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
        (self.notify)(Notice::Expired);
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
        if !(self.notify)(Notice::Stop) || !self.alive.get() {
            return;
        }
        let Some(mut state) = self.state() else { return };
        state.stop = StopState::Pending;
        let key = state.key.clone();
        let settings = &state.settings;
        let plan = SignOutPlan::new(
            settings.sign_out_url.clone(),
            settings.return_to.clone(),
            settings.csrf_token.clone(),
        );
        let form = settings.sign_out_mode == SignOutMode::Form;
        let (field, header) = (settings.csrf_field.clone(), settings.csrf_header.clone());
        drop(state);
        self.update();
        let weak = Rc::downgrade(self);
        #[cfg(feature = "component")]
        if let Some(action) = self.stop_action.try_borrow().ok().and_then(|action| action.clone()) {
            action.spawn(move |outcome| Core::stopped(&weak, key, outcome.map_err(SignOutError::Action)));
            return;
        }
        // In form mode the page navigates away with the server's redirect; the other
        // tabs learn of the end from their next refresh, not before it happened.
        if form {
            match plan.submit_form(field) {
                Ok(()) => self.form_deadline.set(after(self, crate::sign_out::TIMEOUT_MS, Cue::FormDeadline)),
                Err(error) => Core::stopped(&weak, key, Err(error)),
            }
            return;
        }
        plan.send(header, Box::new(move |outcome| Core::stopped(&weak, key, outcome.map(Some))));
    }

    /// How the Stop of the impersonation `key` ended: `Ok(Some(url))` goes there,
    /// `Ok(None)` only ends the bar (the app navigates), `Err` shows the message and
    /// offers Stop again, unless another impersonation is shown by then. A bar removed
    /// in the meantime still lets a successful sign-out navigate.
    fn stopped(core: &Weak<Core>, key: Option<String>, outcome: Result<Option<String>, SignOutError>) {
        let core = core.upgrade().filter(|core| core.alive.get());
        if let Some(core) = &core {
            core.form_deadline.set(None);
        }
        match outcome {
            Ok(destination) => {
                if let Some(core) = &core {
                    core.end(true);
                }
                if let Some(url) = destination {
                    if let Some(core) = &core {
                        (core.notify)(Notice::SignedOut(&url));
                    }
                    browser::navigate(&url);
                }
            }
            Err(error) => {
                let message = error.message();
                let Some(core) = core else { return browser::error(&message) };
                let Some(mut state) = core.state() else { return };
                if state.key != key || state.ended() {
                    // Another impersonation by now, or this one ended meanwhile (another
                    // tab's Stop, its expiry): nothing is left for this Stop to do.
                    return;
                }
                if state.url.is_some() {
                    // Two tabs pressing Stop at once: the second request fails once the
                    // first has signed out. Ask the server before calling it a failure.
                    state.stop_failure = Some(message);
                    drop(state);
                    return core.poll();
                }
                drop(state);
                core.fail_stop(message);
            }
        }
    }

    /// A failed Stop held back for the server's word: a failure after all unless the
    /// bar has ended by now.
    fn settle_stop_failure(self: &Rc<Self>, held: Option<String>) {
        if let Some(message) = held.filter(|_| self.state().is_some_and(|state| !state.ended())) {
            self.fail_stop(message);
        }
    }

    /// Shows why Stop failed and offers it again.
    fn fail_stop(self: &Rc<Self>, message: String) {
        browser::error(&message);
        (self.notify)(Notice::Error(&message));
        if let Some(mut state) = self.state() {
            state.stop = StopState::Failed(message);
        }
        self.update();
    }

    /// Asks `url` for the name of organization `id`, once; a later answer for an id no
    /// longer shown is dropped.
    fn look_up_organization(self: &Rc<Self>, url: &str, id: String) {
        let weak = Rc::downgrade(self);
        let asked = id.clone();
        browser::fetch_organization(
            url,
            &asked,
            TIMEOUT_MS,
            Box::new(move |name| {
                let Some(core) = weak.upgrade().filter(|core| core.alive.get()) else { return };
                let Some(mut state) = core.state() else { return };
                if state.organization.as_ref().map(|(asked, _)| asked) != Some(&id) {
                    return;
                }
                state.organization = Some((id, name));
                drop(state);
                core.update();
            }),
        );
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
    fn update(self: &Rc<Self>) {
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
        if let Some((url, id)) = state.organization_to_look_up() {
            state.organization = Some((id.clone(), None));
            drop(state);
            self.look_up_organization(&url, id);
            return self.update();
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
        let Some(text) = state.settings.strings.time_left(countdown) else { return false };
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
        let Some((frame, style)) = self.frame() else {
            self.skeleton.root.remove();
            self.publish(None);
            return;
        };
        let Ok(mut markup) = self.markup.try_borrow_mut() else { return };
        let Ok(mut slot) = self.content.try_borrow_mut() else { return };
        let root = &self.skeleton.root;
        if root.parent_node().is_none() {
            let _ = self.host.append_child(root);
        }
        // Through the CSSOM rather than a style attribute, which a strict CSP refuses;
        // a new style attribute wipes the CSSOM value, so both are applied together.
        if let Ok(mut applied) = self.applied_style.try_borrow_mut() {
            if applied.as_ref() != Some(&style) {
                let _ = match &style.0 {
                    Some(css) => root.set_attribute("style", css),
                    None => root.remove_attribute("style"),
                };
                browser::set_z_index(root, style.1);
                *applied = Some(style);
            }
        }
        let mut refocus = None;
        if slot.as_ref().is_none_or(|content| content.look != frame.look) {
            refocus = browser::focus_within(root).and_then(|focused| focused.get_attribute("part"));
            let content = Content::build(&mut *markup, &self.skeleton.bar, frame.look.clone());
            self.content_listeners.set(self.control_listeners(&content));
            *slot = Some(content);
        }
        if let Some(content) = slot.as_mut() {
            paint(&mut *markup, &self.skeleton, content, &frame);
        }
        drop(slot);
        drop(markup);
        self.publish((!frame.look.ended).then_some(&frame.look.session));
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

    /// A copy of what to draw (and the root's style and z-index), so no borrow of the
    /// state is held while the DOM changes.
    fn frame(&self) -> Option<(Frame, RootStyle)> {
        let state = self.state()?;
        let settings = &state.settings;
        let frame = Frame {
            look: state.look()?,
            side: settings.side,
            class: settings.class.clone(),
            minimized: state.minimized,
            warning: state.warning,
            stale: state.stale,
            stop: state.stop.clone(),
            show_reason: state.show_reason,
            time_text: state.time_text.clone(),
            announcement: state.announcement.clone(),
        };
        Some((frame, (settings.style.clone(), settings.z_index)))
    }

    fn control_listeners(self: &Rc<Self>, content: &Content<web_sys::Element>) -> Vec<Listener> {
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

    /// `<html data-impersonating>` and [`Notice::Active`] while a live impersonation
    /// is shown, each only when it changes.
    fn publish(&self, active: Option<&Session>) {
        let Ok(mut published) = self.published.try_borrow_mut() else { return };
        if published.as_ref() == active {
            return;
        }
        if published.is_some() != active.is_some() {
            browser::set_impersonating_flag(active.is_some());
        }
        *published = active.cloned();
        drop(published);
        (self.notify)(Notice::Active(active));
    }

    fn unmount(&self) {
        if !self.alive.replace(false) {
            return;
        }
        self.unwatch();
        self.countdown.set(None);
        self.announcing.set(None);
        self.form_deadline.set(None);
        self.listeners.take();
        self.content_listeners.take();
        self.tab.set(None);
        self.skeleton.root.remove();
        let was_active = self.published.try_borrow_mut().ok().and_then(|mut published| published.take());
        if was_active.is_some() {
            browser::set_impersonating_flag(false);
        }
        (self.notify)(Notice::Active(None));
    }

    /// The state, unless it is borrowed further up the stack (page code re-entering
    /// the bar from a notice or an event): that call is dropped instead of panicking.
    fn state(&self) -> Option<RefMut<'_, State>> {
        self.state.try_borrow_mut().ok()
    }
}
