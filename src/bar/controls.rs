//! The bar's controls in the page, and carrying out a Stop's sign-out: a form or a
//! JSON POST to the sign-out URL.

use std::rc::{Rc, Weak};

use staff_bar_core::machine::{Input, SignOut};

use super::lifecycle::{on, Cue};
use super::Core;
use crate::dom::{self, Listener, SignOutPlan};
use crate::settings::SignOutMode;
use crate::sign_out::SignOutError;
use crate::view::Content;

impl Core {
    pub(super) fn control_listeners(self: &Rc<Self>, content: &Content<web_sys::Element>) -> Vec<Listener> {
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

    /// Sends the sign-out the machine asked for. In form mode the page navigates away
    /// with the server's redirect; the other tabs learn of the end from their next
    /// refresh, not before it happened.
    pub(super) fn send_sign_out(self: &Rc<Self>, request: SignOut) {
        let weak = Rc::downgrade(self);
        let key = request.key.clone();
        let plan = SignOutPlan::new(&request);
        match request.mode {
            SignOutMode::Form => match plan.submit_form() {
                Ok(()) => self.feed(Input::FormSubmitted, None),
                Err(error) => stopped(&weak, key, Err(error)),
            },
            SignOutMode::Fetch => plan.send(Box::new(move |outcome| stopped(&weak, key, outcome.map(Some)))),
        }
    }

    pub(super) fn focus_on(&self, part: &str) {
        let mut selector = String::from("[part=");
        selector.push_str(part);
        selector.push(']');
        if let Ok(Some(element)) = self.skeleton.root.query_selector(&selector) {
            dom::focus(&element);
        }
    }
}

/// How the Stop of impersonation `key` ended. A bar removed in the meantime still
/// lets a successful sign-out navigate, and a failure reaches the console.
fn stopped(core: &Weak<Core>, key: Option<String>, outcome: Result<Option<String>, SignOutError>) {
    match core.upgrade().filter(|core| core.alive.get()) {
        Some(core) => core.feed(Input::Stopped { key, outcome }, None),
        None => crate::effects::stopped_without_a_bar(outcome),
    }
}
