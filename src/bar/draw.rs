//! Bringing the DOM in line with the machine's [`Scene`](crate::view::Scene): the
//! root is added or removed, its style applied, the contents rebuilt only when their
//! [`Look`](crate::view::Look) changed and patched otherwise.

use std::rc::Rc;

use super::{Core, Notice, RootStyle};
use crate::dom;
use crate::session::Session;
use crate::view::{paint, Content};

impl Core {
    pub(super) fn draw_scene(self: &Rc<Self>) {
        // A copy of what to draw, so no borrow of the machine is held while the DOM
        // changes.
        let Ok(machine) = self.machine.try_borrow() else { return };
        let scene = machine.scene();
        let (style, z_index) = machine.root_style();
        let style: RootStyle = (style.map(str::to_owned), z_index);
        drop(machine);
        let Some(scene) = scene else {
            self.skeleton.root.remove();
            self.publish(None);
            return;
        };
        let Ok(mut writer) = self.writer.try_borrow_mut() else { return };
        let Ok(mut slot) = self.content.try_borrow_mut() else { return };
        let root = &self.skeleton.root;
        if root.parent_node().is_none() {
            let _ = self.host.append_child(root);
            dom::raise(root);
        }
        // Through the CSSOM rather than a style attribute, which a strict CSP refuses;
        // a new style attribute wipes the CSSOM value, so both are applied together.
        if let Ok(mut applied) = self.applied_style.try_borrow_mut() {
            if applied.as_ref() != Some(&style) {
                let _ = match &style.0 {
                    Some(css) => root.set_attribute("style", css),
                    None => root.remove_attribute("style"),
                };
                dom::set_z_index(root, style.1);
                *applied = Some(style);
            }
        }
        let mut refocus = None;
        if slot.as_ref().is_none_or(|content| content.look != scene.look) {
            refocus = dom::focus_within(root).and_then(|focused| focused.get_attribute("part"));
            let content = Content::build(&mut *writer, &self.skeleton.bar, scene.look.clone());
            self.content_listeners.set(self.control_listeners(&content));
            *slot = Some(content);
        }
        if let Some(content) = slot.as_mut() {
            paint(&mut *writer, &self.skeleton, content, &scene);
        }
        drop(slot);
        drop(writer);
        self.publish((!scene.look.ended).then_some(&scene.look.session));
        if let Some(part) = refocus {
            self.focus_on(&part);
        }
    }

    /// `<html data-impersonating>` and [`Notice::Active`] while a live impersonation
    /// is shown, each only when it changes.
    fn publish(&self, active: Option<&Session>) {
        let Ok(mut published) = self.published.try_borrow_mut() else { return };
        if published.as_ref() == active {
            return;
        }
        if published.is_some() != active.is_some() {
            dom::set_impersonating_flag(active.is_some());
        }
        *published = active.cloned();
        drop(published);
        (self.notify)(Notice::Active(active));
    }
}
