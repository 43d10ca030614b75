//! The component's bar at work in the browser: it feeds `staff_bar_core`'s [`Machine`]
//! what happens in the page and carries out what the machine decides, with what a
//! Leptos app already links: Leptos's timers, window listeners and executor, and
//! gloo-net for HTTP. Drawing is only setting a signal; the view follows it.
//!
//! Browser-only: a `Driver` is created by an effect, which never runs on the server,
//! and holds `Rc`s and JS handles, so it lives in a [`DriverSlot`] whose value is
//! [`SendWrapper`]ped and set only in the browser.
//!
//! Borrow rule: the machine is borrowed while it decides, never while its effects run
//! (they run app code: callbacks, a Stop action, a navigation).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use staff_bar_core::machine::{Alarm, Answer, Input, Machine, Report, SignOut};
use staff_bar_core::refresh::{self, Reply, TIMEOUT_MS};
use staff_bar_core::sign_out::SignOutError;

use super::StopAction;
use crate::dom;
use crate::dom::tabs::TabListener;
use crate::effects::{carry_out, sign_out_to_url, stopped, Carrier, Page};
use crate::session::Session;
use crate::settings::Settings;
use crate::view::Scene;

/// Where a component keeps its driver: `None` on the server and until the first
/// effect runs. `Copy` and `Send`, so views, the context and event handlers can hold it.
pub(crate) type DriverSlot = StoredValue<Option<SendWrapper<Rc<Driver>>>>;

/// Runs `work` with the driver in `slot`, if one is running.
pub(crate) fn with_driver(slot: DriverSlot, work: impl FnOnce(&Rc<Driver>)) {
    if let Some(Some(driver)) = slot.try_with_value(Option::clone) {
        work(&driver);
    }
}

/// What the bar tells the component, which passes it on to the app's callbacks.
pub(crate) enum Heard<'a> {
    Report(&'a Report),
    /// The live impersonation shown, `None` when there is none (or it ended).
    Active(Option<&'a Session>),
}

pub(crate) struct Driver {
    machine: RefCell<Machine>,
    /// What the view shows: `Some(None)` is "no bar", `None` never (that is "no
    /// driver yet", the view's fallback to the `session` prop).
    scene: RwSignal<Option<Option<Scene>>>,
    /// The root element of the view, for moving focus between its parts.
    root: NodeRef<leptos::html::Div>,
    hear: Box<dyn Fn(Heard<'_>) -> bool>,
    stop_action: Option<StopAction>,
    /// The component's owner: a Stop action runs in it, so `use_context` works there.
    /// Weak, as everything an owner holds must keep it.
    owner: Option<WeakOwner>,
    /// One timer per [`Alarm`].
    refresh: Cell<Option<TimeoutHandle>>,
    countdown: Cell<Option<TimeoutHandle>>,
    announce: Cell<Option<TimeoutHandle>>,
    form_deadline: Cell<Option<TimeoutHandle>>,
    listeners: RefCell<Vec<WindowListenerHandle>>,
    tab: Cell<Option<TabListener>>,
    /// The impersonation last reported active: while there is one, this bar has set
    /// `<html data-impersonating>`.
    published: RefCell<Option<Session>>,
    alive: Cell<bool>,
}

impl Driver {
    /// Starts a bar showing `session` and listening to the page and other tabs.
    pub(crate) fn start(
        settings: Settings,
        session: Option<Session>,
        scene: RwSignal<Option<Option<Scene>>>,
        root: NodeRef<leptos::html::Div>,
        stop_action: Option<StopAction>,
        hear: impl Fn(Heard<'_>) -> bool + 'static,
    ) -> Rc<Driver> {
        let mut machine = Machine::new(settings, session, &Page);
        let first = machine.start(&Page);
        let driver = Rc::new(Driver {
            machine: RefCell::new(machine),
            scene,
            root,
            hear: Box::new(hear),
            stop_action,
            owner: Owner::current().map(|owner| owner.downgrade()),
            refresh: Cell::new(None),
            countdown: Cell::new(None),
            announce: Cell::new(None),
            form_deadline: Cell::new(None),
            listeners: RefCell::new(Vec::new()),
            tab: Cell::new(None),
            published: RefCell::new(None),
            alive: Cell::new(true),
        });
        driver.listen();
        carry_out(&driver, first, None);
        driver
    }

    /// Tells the machine what happened and carries out what it decides. `event` is the
    /// DOM event behind `input`, for a shortcut to keep from the page.
    pub(crate) fn feed(self: &Rc<Self>, input: Input, event: Option<&web_sys::Event>) {
        if !self.alive.get() {
            return;
        }
        let Ok(mut machine) = self.machine.try_borrow_mut() else { return };
        let effects = machine.handle(input, &Page);
        drop(machine);
        carry_out(self, effects, event);
    }

    fn alarm(&self, alarm: Alarm) -> &Cell<Option<TimeoutHandle>> {
        match alarm {
            Alarm::Refresh => &self.refresh,
            Alarm::Countdown => &self.countdown,
            Alarm::Announce => &self.announce,
            Alarm::FormDeadline => &self.form_deadline,
        }
    }

    fn listen(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        self.tab.set(TabListener::new(move |message, key| {
            if let Some(driver) = weak.upgrade() {
                driver.feed(Input::FromTab { message, key: key.to_owned() }, None);
            }
        }));
        let on = |event: &'static str, read: fn(&web_sys::Event) -> Option<Input>| {
            let weak = SendWrapper::new(Rc::downgrade(self));
            window_event_listener_untyped(event, move |event| {
                if let (Some(driver), Some(input)) = (weak.upgrade(), read(&event)) {
                    driver.feed(input, Some(&event));
                }
            })
        };
        let listeners = vec![
            on("keydown", |event| dom::shortcut(event).map(Input::Shortcut)),
            // `visibilitychange` is fired at the document and bubbles to the window.
            on("visibilitychange", |_| Some(Input::Visibility { hidden: dom::page_is_hidden() })),
            on("online", |_| Some(Input::Online)),
            on("pageshow", |_| Some(Input::PageShow)),
        ];
        if let Ok(mut held) = self.listeners.try_borrow_mut() {
            *held = listeners;
        }
    }

    /// Moves focus to the view's element with `part`.
    fn move_focus(&self, part: &str) {
        if let Some(root) = self.root.get_untracked() {
            dom::focus_part(&root, part);
        }
    }

    /// Stops everything this driver started and takes the bar away. A sign-out in
    /// flight still navigates when it succeeds.
    pub(crate) fn unmount(&self) {
        if !self.alive.replace(false) {
            return;
        }
        for alarm in [Alarm::Refresh, Alarm::Countdown, Alarm::Announce, Alarm::FormDeadline] {
            if let Some(running) = self.alarm(alarm).take() {
                running.clear();
            }
        }
        if let Ok(mut listeners) = self.listeners.try_borrow_mut() {
            for listener in listeners.drain(..) {
                listener.remove();
            }
        }
        self.tab.set(None);
        let was_active = self.published.try_borrow_mut().ok().and_then(|mut published| published.take());
        if was_active.is_some() {
            dom::set_impersonating_flag(false);
            (self.hear)(Heard::Active(None));
        }
    }
}

impl Carrier for Driver {
    fn feed_input(self: &Rc<Self>, input: Input) {
        self.feed(input, None);
    }

    fn alive(&self) -> bool {
        self.alive.get()
    }

    fn holds_focus(&self) -> bool {
        self.root.get_untracked().is_some_and(|root| dom::holds_focus(&root))
    }

    /// The view follows the machine's scene; `<html data-impersonating>` and the app
    /// follow the live impersonation, told only when it changes.
    fn draw(self: &Rc<Self>) {
        let Ok(machine) = self.machine.try_borrow() else { return };
        let scene = machine.scene();
        drop(machine);
        let active = scene.as_ref().filter(|scene| !scene.look.ended).map(|scene| scene.look.session.clone());
        self.scene.try_set(Some(scene));
        let Ok(mut published) = self.published.try_borrow_mut() else { return };
        if *published == active {
            return;
        }
        if published.is_some() != active.is_some() {
            dom::set_impersonating_flag(active.is_some());
        }
        *published = active;
        let active = published.clone();
        drop(published);
        (self.hear)(Heard::Active(active.as_ref()));
    }

    fn wake(self: &Rc<Self>, alarm: Alarm, delay_ms: Option<u32>) {
        if let Some(running) = self.alarm(alarm).take() {
            running.clear();
        }
        let Some(delay_ms) = delay_ms else { return };
        let weak = Rc::downgrade(self);
        let fire = move || {
            if let Some(driver) = weak.upgrade() {
                driver.alarm(alarm).set(None);
                driver.feed(Input::Woke(alarm), None);
            }
        };
        let timer = set_timeout_with_handle(fire, Duration::from_millis(u64::from(delay_ms)));
        self.alarm(alarm).set(timer.ok());
    }

    /// Asks the session URL; the machine drops the answer if a newer request or
    /// source came since (`generation`).
    fn fetch_session(self: &Rc<Self>, url: String, generation: u32) {
        let weak = Rc::downgrade(self);
        leptos::task::spawn_local(async move {
            let reply = get(&url).await;
            let reply = reply.as_ref().map(|(status, body, date)| Reply {
                status: *status,
                body,
                date: date.as_deref(),
            });
            let (answer, ignored): (Answer, _) = refresh::read_reply(reply);
            let ignored = ignored.iter().map(|field| field.ignored_message()).collect();
            if let Some(driver) = weak.upgrade() {
                driver.feed(Input::Answered { generation, answer, ignored }, None);
            }
        });
    }

    /// Asks the `organization_url` template `url` for the name of organization `id`.
    fn fetch_organization(self: &Rc<Self>, url: String, id: String) {
        let weak = Rc::downgrade(self);
        leptos::task::spawn_local(async move {
            let encoded = String::from(js_sys::encode_uri_component(&id));
            let url = staff_bar_core::organization::lookup_url(&url, &encoded);
            let name = get(&url).await.and_then(|(status, body, _)| {
                staff_bar_core::organization::name_in_answer(status, &body, &id)
            });
            if name.is_none() {
                dom::warn("staff-bar: organization_url gave no {\"id\", \"name\"} for the organization");
            }
            if let Some(driver) = weak.upgrade() {
                driver.feed(Input::OrganizationNamed { id, name }, None);
            }
        });
    }

    /// Passes a report on to the app. Stop asks first: an app that does not cancel it
    /// (and does not remove the bar) confirms it.
    fn report(self: &Rc<Self>, report: Report) {
        let go_on = (self.hear)(Heard::Report(&report));
        if report == Report::Stop && go_on && self.alive.get() {
            self.feed(Input::StopConfirmed, None);
        }
    }

    /// Sends the sign-out the machine asked for: the app's Stop action when it gave
    /// one, else a form or a JSON POST to the sign-out URL.
    fn sign_out(self: &Rc<Self>, request: SignOut) {
        let Some(action) = self.stop_action else { return sign_out_to_url(self, request) };
        let (weak, key) = (Rc::downgrade(self), request.key);
        let owner = self.owner.as_ref().and_then(WeakOwner::upgrade);
        action.run(owner, move |outcome| stopped(&weak, key, outcome.map_err(SignOutError::Action)));
    }

    /// Moves focus to the view's element with `part` once the view caught up with
    /// the scene just drawn (Leptos updates the DOM on its executor's next turn: the
    /// Restore button is still hidden right after Minimize).
    fn focus_part(self: &Rc<Self>, part: &'static str) {
        let weak = Rc::downgrade(self);
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            if let Some(driver) = weak.upgrade().filter(|driver| driver.alive.get()) {
                driver.move_focus(part);
            }
        });
    }
}

/// GETs `url` as JSON with the page's cookies through gloo-net, giving up after the
/// refresh timeout: the status, the body and the `Date` header, or `None` when no
/// answer came. The request is built by hand and handed to gloo-net, whose builder
/// (0.6) appends a stray `&` to a URL that already has a query.
async fn get(url: &str) -> Option<(u16, String, Option<String>)> {
    // Against the page, never a `<base href>`, and only to an http(s) address.
    let url = dom::web_url(url)?;
    let controller = web_sys::AbortController::new().ok()?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    init.set_signal(Some(&controller.signal()));
    let headers = web_sys::Headers::new().ok()?;
    headers.set("Accept", "application/json").ok()?;
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(&url, &init).ok()?;
    // A page timer, not `AbortSignal.timeout`: one clock for all the bar waits on,
    // which a test's fake clock controls.
    let abort = controller.clone();
    let deadline =
        set_timeout_with_handle(move || abort.abort(), Duration::from_millis(u64::from(TIMEOUT_MS))).ok();
    let response = gloo_net::http::Request::from(request).send().await;
    let reply = match response {
        Ok(response) => {
            let status = response.status();
            let date = response.headers().get("Date");
            response.text().await.ok().map(|body| (status, body, date))
        }
        Err(_) => None,
    };
    if let Some(deadline) = deadline {
        deadline.clear();
    }
    reply
}
