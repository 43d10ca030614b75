//! Where the session comes from, in the page: the machine decides when to ask the
//! session URL (and an organization's name); this asks and feeds the answer back.

use std::rc::Rc;

use staff_bar_core::machine::Input;
use staff_bar_core::refresh::TIMEOUT_MS;

use super::Core;
use crate::dom;

impl Core {
    /// Asks the session URL; the machine drops the answer if a newer request or
    /// source came since (`generation`).
    pub(super) fn ask_session_url(self: &Rc<Self>, url: &str, generation: u32) {
        let weak = Rc::downgrade(self);
        dom::fetch_session(
            url,
            TIMEOUT_MS,
            Box::new(move |(answer, ignored)| {
                if let Some(core) = weak.upgrade() {
                    core.feed(Input::Answered { generation, answer, ignored }, None);
                }
            }),
        );
    }

    /// Asks `url` for the name of organization `id`; the machine drops an answer for
    /// an id no longer shown.
    pub(super) fn ask_organization_url(self: &Rc<Self>, url: &str, id: String) {
        let weak = Rc::downgrade(self);
        dom::fetch_organization(
            url,
            id,
            TIMEOUT_MS,
            Box::new(move |(id, name)| {
                if let Some(core) = weak.upgrade() {
                    core.feed(Input::OrganizationNamed { id, name }, None);
                }
            }),
        );
    }
}
