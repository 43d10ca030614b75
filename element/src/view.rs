//! The bar's markup, built by hand: the same elements, parts and classes as the
//! `<Impersonation/>` component renders, so the stylesheet, `::part()` rules and
//! tests hold for both. Building is separate from deciding (see `core`).

use staff_bar::{Session, Strings, MINIMIZE_SHORTCUT};
use web_sys::{Document, Element, HtmlElement, ShadowRoot};

use crate::dom::{child, create, text};

/// The nodes that live as long as the element: the root, the frame, the live region,
/// the bar (whose contents are rebuilt) and the restore button.
pub struct Skeleton {
    pub container: Element,
    pub root: HtmlElement,
    pub status: Element,
    pub bar: Element,
    pub restore: Element,
}

impl Skeleton {
    /// Builds the skeleton into `shadow` and adopts the stylesheet there. The root is
    /// attached only while something is shown.
    pub fn build(document: &Document, shadow: &ShadowRoot) -> Skeleton {
        let container = create(document, "div", "staff-bar-host", &[]);
        let _ = shadow.append_child(&container);
        staff_bar::browser::adopt_styles(&container);
        let root = create(document, "div", "staff-bar", &[("role", "region")]);
        child(document, &root, "div", "sb-frame", &[("part", "frame"), ("aria-hidden", "true")]);
        let status =
            child(document, &root, "p", "sb-visually-hidden", &[("role", "status"), ("aria-live", "polite")]);
        let bar = child(document, &root, "div", "sb-bar", &[("part", "bar")]);
        let restore = child(
            document,
            &root,
            "button",
            "sb-button sb-restore",
            &[("part", "restore"), ("type", "button"), ("aria-keyshortcuts", MINIMIZE_SHORTCUT)],
        );
        let icon = child(document, &restore, "span", "", &[("aria-hidden", "true")]);
        text(&icon, "\u{25B4}");
        Skeleton { container, root: wasm_bindgen::JsCast::unchecked_into(root), status, bar, restore }
    }

    /// Shows or removes the whole bar.
    pub fn attach(&self, shown: bool) {
        let attached = self.root.parent_node().is_some();
        if shown && !attached {
            let _ = self.container.append_child(&self.root);
        } else if !shown && attached {
            self.root.remove();
        }
    }
}

/// What the bar's contents depend on: when any of it changes they are rebuilt; the
/// rest (pending, minimized, warning, the countdown, an error) is patched in place.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    pub session: Session,
    pub strings: Strings,
    pub preview: bool,
    pub stale: bool,
    pub ended: bool,
}

/// The rebuilt contents of the bar and the nodes that are patched later.
pub struct Content {
    pub look: Look,
    pub stop: Option<Element>,
    pub reload: Option<Element>,
    pub toggle: Option<Element>,
    pub reason: Option<Element>,
    pub time: Option<Element>,
    pub minimize: Element,
    /// The error shown under the bar, with its message.
    pub error: Option<(Element, String)>,
}

impl Content {
    /// Replaces everything inside `bar` with the contents for `look`.
    pub fn build(document: &Document, bar: &Element, look: Look) -> Content {
        bar.set_text_content(None);
        let strings = &look.strings;
        let session = &look.session;
        let (mut stop, mut reload, mut toggle, mut reason, mut time) = (None, None, None, None, None);
        if look.ended {
            let ended = child(document, bar, "p", "sb-message", &[("part", "ended"), ("role", "status")]);
            text(&ended, &strings.ended);
            let button = button(document, bar, "reload", "sb-button sb-stop");
            text(&button, &strings.reload);
            reload = Some(button);
        } else {
            let column = child(document, bar, "div", "sb-text", &[]);
            let message = child(document, &column, "p", "sb-message", &[("part", "message")]);
            text(&message, &strings.impersonating);
            strong(document, &message, "user", &session.user.email);
            if let Some(name) = session.organization_name() {
                text(&message, &strings.within);
                strong(document, &message, "organization", name);
                text(&message, &strings.organization_suffix);
            }
            let details = child(document, &column, "p", "sb-details", &[]);
            if look.preview {
                badge(document, &details, "preview", &strings.preview);
            }
            let by = child(document, &details, "span", "sb-impersonator", &[]);
            text(&by, &strings.impersonator);
            strong(document, &by, "impersonator", &session.impersonator.email);
            if look.stale {
                badge(document, &details, "stale", &strings.stale);
            }
            if session.expires_at.is_some() {
                time = Some(child(document, &details, "span", "sb-time", &[("part", "time-left")]));
            }
            stop = Some(button(document, bar, "stop", "sb-button sb-stop"));
            if session.reason().is_some() {
                let button = button(document, bar, "reason-toggle", "sb-button sb-toggle");
                text(&button, &strings.reason);
                toggle = Some(button);
            }
        }
        let minimize = button(document, bar, "minimize", "sb-button sb-minimize");
        for name in ["aria-label", "title"] {
            let _ = minimize.set_attribute(name, &strings.minimize);
        }
        let _ = minimize.set_attribute("aria-keyshortcuts", MINIMIZE_SHORTCUT);
        let icon = child(document, &minimize, "span", "", &[("aria-hidden", "true")]);
        text(&icon, "\u{2212}");
        if let Some(why) = session.reason() {
            let paragraph = child(document, bar, "p", "sb-reason", &[("part", "reason"), ("dir", "auto")]);
            text(&paragraph, why);
            reason = Some(paragraph);
        }
        Content { look, stop, reload, toggle, reason, time, minimize, error: None }
    }

    /// Shows `message` in an alert under the bar, or removes the alert. A new message
    /// gets a new element, so it is announced.
    pub fn show_error(&mut self, document: &Document, bar: &Element, message: Option<&str>) {
        if self.error.as_ref().map(|(_, shown)| shown.as_str()) == message {
            return;
        }
        if let Some((element, _)) = self.error.take() {
            element.remove();
        }
        if let Some(message) = message {
            let alert = child(document, bar, "p", "sb-error", &[("part", "error"), ("role", "alert")]);
            text(&alert, message);
            self.error = Some((alert, message.to_owned()));
        }
    }
}

fn button(document: &Document, parent: &Element, part: &str, class: &str) -> Element {
    child(document, parent, "button", class, &[("part", part), ("type", "button")])
}

/// Untrusted text (emails, names) only ever goes in as text.
fn strong(document: &Document, parent: &Element, part: &str, value: &str) {
    let element = child(document, parent, "strong", "sb-strong", &[("part", part), ("dir", "auto")]);
    text(&element, value);
}

fn badge(document: &Document, parent: &Element, part: &str, label: &str) {
    let element = child(document, parent, "span", "sb-badge", &[("part", part)]);
    text(&element, label);
}
