//! Bringing the DOM in line with the machine's [`Scene`](crate::view::Scene): the
//! root is added or removed, its style applied, the contents rebuilt only when their
//! [`Look`](crate::view::Look) changed and patched otherwise.

use std::rc::Rc;

use super::{Core, Notice, RootStyle, Status};
use crate::dom;
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
            self.publish(Status::default());
            return;
        };
        let Ok(mut writer) = self.writer.try_borrow_mut() else { return };
        let Ok(mut slot) = self.content.try_borrow_mut() else { return };
        let root = &self.skeleton.root;
        let appended = root.parent_node().is_none();
        if appended {
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
        dom::drag::show_place(&self.skeleton.bar, scene.place);
        drop(slot);
        drop(writer);
        // Into the top layer once painted: showing it computes its style, and a root
        // shown before its `data-minimized` was set would animate into its tab.
        if appended {
            dom::raise(root);
        }
        let ended = scene.look.ended;
        self.publish(Status {
            session: (!ended).then(|| scene.look.session.clone()),
            ended,
            minimized: scene.minimized,
            seconds_left: scene.seconds_left,
        });
        if let Some(part) = refocus {
            self.focus_on(&part);
        }
    }

    /// `<html data-impersonating>` while a live impersonation is shown, and
    /// [`Notice::Changed`], each only when it changes.
    fn publish(&self, status: Status) {
        let Ok(mut published) = self.published.try_borrow_mut() else { return };
        if *published == status {
            return;
        }
        if published.session.is_some() != status.session.is_some() {
            dom::set_impersonating_flag(status.session.is_some());
        }
        *published = status.clone();
        drop(published);
        (self.notify)(Notice::Changed(&status));
    }
}
