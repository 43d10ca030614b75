//! A bar's life in the page: mounting (or taking over the server's markup), the
//! listeners on the page and the other tabs, and unmounting.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use staff_bar_core::machine::{Input, Machine};

use super::{Core, Notice, Status};
use crate::dom::drag;
use crate::dom::tabs::TabListener;
use crate::dom::writer::DomWriter;
use crate::dom::{self, Listener};
use crate::effects::Page;
use crate::session::Session;
use crate::settings::Settings;
use crate::view::Skeleton;

/// Everything that reaches a bar from the page's events: one closure type carries
/// them all, so the wasm has one copy of the listener glue instead of one per event.
#[derive(Clone, Copy)]
pub(super) enum Cue {
    Stop,
    ToggleReason,
    Reload,
    Minimize,
    Restore,
    Key,
    Visibility,
    Online,
    PageShow,
    /// The pointer on the tab: pressed, moved, released (or cancelled).
    Press,
    Drag,
    Release,
}

/// Sends `cue` to the core on every `event` of `target`, for as long as the core lives.
pub(super) fn on(
    core: &Rc<Core>,
    target: web_sys::EventTarget,
    event: &'static str,
    cue: Cue,
) -> Option<Listener> {
    let weak = Rc::downgrade(core);
    Listener::new(target, event, move |event| Core::hear(&weak, cue, &event))
}

impl Core {
    pub(super) fn start(
        host: &web_sys::Element,
        settings: Settings,
        session: Option<Session>,
        notify: Box<dyn Fn(Notice<'_>) -> bool>,
    ) -> Option<Rc<Core>> {
        let mut writer = DomWriter::new(dom::document()?)?;
        let mut machine = Machine::new(settings, session, &Page);
        host.set_text_content(None);
        let skeleton = Skeleton::build(&mut writer);
        dom::adopt_styles(host);
        let first = machine.start(&Page);
        let core = Rc::new(Core {
            host: host.clone(),
            notify,
            writer: RefCell::new(writer),
            skeleton,
            machine: RefCell::new(machine),
            content: RefCell::new(None),
            refresh: Cell::new(None),
            countdown: Cell::new(None),
            announce: Cell::new(None),
            form_deadline: Cell::new(None),
            listeners: Cell::new(Vec::new()),
            content_listeners: Cell::new(Vec::new()),
            tab: Cell::new(None),
            applied_style: RefCell::new(None),
            published: RefCell::new(Status::default()),
            alive: Cell::new(true),
        });
        core.listen();
        crate::effects::carry_out(&core, first, None);
        Some(core)
    }

    fn listen(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        self.tab.set(TabListener::new(move |message, key| {
            if let Some(core) = weak.upgrade() {
                core.feed(Input::FromTab { message, key: key.to_owned() }, None);
            }
        }));
        let mut listeners = Vec::new();
        if let Some(document) = dom::document() {
            listeners.extend(on(self, document.clone().into(), "keydown", Cue::Key));
            listeners.extend(on(self, document.into(), "visibilitychange", Cue::Visibility));
        }
        listeners.extend(on(self, self.skeleton.restore.clone().into(), "click", Cue::Restore));
        for (event, cue) in [
            ("pointerdown", Cue::Press),
            ("pointermove", Cue::Drag),
            ("pointerup", Cue::Release),
            ("pointercancel", Cue::Release),
        ] {
            listeners.extend(on(self, self.skeleton.bar.clone().into(), event, cue));
        }
        if let Some(window) = dom::window() {
            listeners.extend(on(self, window.clone().into(), "online", Cue::Online));
            listeners.extend(on(self, window.into(), "pageshow", Cue::PageShow));
        }
        self.listeners.set(listeners);
    }

    fn hear(core: &Weak<Core>, cue: Cue, event: &web_sys::Event) {
        let Some(core) = core.upgrade() else { return };
        let input = match cue {
            Cue::Stop => Input::StopPressed,
            Cue::ToggleReason => Input::ReasonToggled,
            Cue::Reload => return dom::reload(),
            Cue::Minimize => Input::MinimizePressed,
            Cue::Restore => Input::RestorePressed,
            Cue::Key => {
                let Some(letter) = dom::shortcut(event) else { return };
                Input::Shortcut(letter)
            }
            Cue::Visibility => Input::Visibility { hidden: dom::page_is_hidden() },
            Cue::Online => Input::Online,
            Cue::PageShow => Input::PageShow,
            Cue::Press => return drag::press(event),
            Cue::Drag => {
                let Some(place) = drag::pull(event) else { return };
                Input::Placed { place, settled: false }
            }
            Cue::Release => {
                let Some(place) = drag::release(event) else { return };
                Input::Placed { place, settled: true }
            }
        };
        core.feed(input, Some(event));
    }

    pub(super) fn unmount(&self) {
        if !self.alive.replace(false) {
            return;
        }
        self.refresh.set(None);
        self.countdown.set(None);
        self.announce.set(None);
        self.form_deadline.set(None);
        self.listeners.take();
        self.content_listeners.take();
        self.tab.set(None);
        self.skeleton.root.remove();
        let was = self.published.try_borrow_mut().map(|mut published| std::mem::take(&mut *published));
        if was.as_ref().is_ok_and(|was| was.session.is_some()) {
            dom::set_impersonating_flag(false);
        }
        if was.is_ok_and(|was| was != Status::default()) {
            (self.notify)(Notice::Changed(&Status::default()));
        }
    }
}
