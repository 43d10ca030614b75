//! The bar's controls in the page, and moving focus between them.

use std::rc::Rc;

use super::lifecycle::{on, Cue};
use super::Core;
use crate::dom::{self, Listener};
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

    pub(super) fn focus_on(&self, part: &str) {
        dom::focus_part(&self.skeleton.root, part);
    }
}
