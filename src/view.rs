//! The `<staff-bar>` element's markup: which elements, parts, classes and texts,
//! written against [`Writer`]. Building is separate from deciding (the machine of
//! `staff_bar_core`): a [`Scene`] says what to show, [`paint`] shows it. The Leptos
//! component's view (`leptos::bar_view`) writes the same markup as a Leptos view;
//! the end-to-end parity tests hold the two to one contract.

use crate::dom::writer::Writer;
use crate::settings::{Align, Theme, MINIMIZE_SHORTCUT};
use staff_bar_core::display::{self, Shown};
pub use staff_bar_core::machine::{Look, Scene, StopState};

/// The nodes that live as long as the bar: the root, the live region, the bar (whose
/// contents are rebuilt) and the restore button.
pub struct Skeleton<N> {
    pub root: N,
    pub status: N,
    pub bar: N,
    pub restore: N,
}

impl<N: Clone> Skeleton<N> {
    /// Builds the skeleton, standing alone until its root is attached.
    pub fn build<M: Writer<Node = N>>(markup: &mut M) -> Skeleton<N> {
        let root = markup.element(None, "div", "staff-bar", &[("role", "region")]);
        markup.element(Some(&root), "div", "sb-frame", &[("part", "frame"), ("aria-hidden", "true")]);
        let status = markup.element(
            Some(&root),
            "p",
            "sb-visually-hidden",
            &[("role", "status"), ("aria-live", "polite")],
        );
        let bar = markup.element(Some(&root), "div", "sb-bar", &[("part", "bar")]);
        let restore = markup.element(
            Some(&root),
            "button",
            "sb-button sb-restore",
            &[("part", "restore"), ("type", "button"), ("aria-keyshortcuts", MINIMIZE_SHORTCUT)],
        );
        // The arrow is the stylesheet's: it points the way the bar will go, on either side.
        markup.element(Some(&restore), "span", "sb-icon", &[("aria-hidden", "true")]);
        Skeleton { root, status, bar, restore }
    }
}

/// The rebuilt contents of the bar and the nodes patched later.
pub struct Content<N> {
    pub look: Look,
    pub stop: Option<N>,
    pub reload: Option<N>,
    pub toggle: Option<N>,
    pub reason: Option<N>,
    /// The line with the impersonator, where the stale badge goes.
    pub details: Option<N>,
    pub time: Option<N>,
    /// "until 14:32" beside the time left.
    pub ends_at: Option<N>,
    /// "Ended at 14:32" beside the ended notice.
    pub ended_at: Option<N>,
    pub stale: Option<N>,
    pub minimize: N,
    /// The alert under the bar, with its message.
    pub error: Option<(N, String)>,
}

impl<N: Clone> Content<N> {
    /// Replaces everything inside `bar` with the contents for `look`.
    pub fn build<M: Writer<Node = N>>(markup: &mut M, bar: &N, look: Look) -> Content<N> {
        markup.clear(bar);
        let strings = &look.strings;
        let session = &look.session;
        let (mut stop, mut reload, mut toggle, mut reason, mut time, mut line) =
            (None, None, None, None, None, None);
        let (mut ends_at, mut ended_at) = (None, None);
        if look.ended {
            let ended =
                markup.element(Some(bar), "p", "sb-message", &[("part", "ended"), ("role", "status")]);
            markup.text(&ended, &strings.ended);
            ended_at = Some(markup.element(Some(bar), "p", "sb-details", &[("part", "ended-at")]));
            let button = button(markup, bar, "reload", "sb-button sb-stop");
            markup.text(&button, &strings.reload);
            reload = Some(button);
        } else {
            let column = markup.element(Some(bar), "div", "sb-text", &[]);
            let paragraph = markup.element(Some(&column), "p", "sb-message", &[("part", "message")]);
            // The host's children with `slot="message"` replace the sentence, which is
            // the slot's fallback content.
            let message = markup.element(Some(&paragraph), "slot", "sb-slot", &[("name", "message")]);
            markup.text(&message, &strings.impersonating);
            strong(markup, &message, "user", display::email(&session.user.email));
            if let Some(name) = session.organization_name() {
                markup.text(&message, &strings.within);
                strong(markup, &message, "organization", display::name(name));
                markup.text(&message, &strings.organization_suffix);
            }
            let details = markup.element(Some(&column), "p", "sb-details", &[]);
            if look.preview {
                badge(markup, &details, "preview", &strings.preview);
            }
            let by = markup.element(Some(&details), "span", "sb-impersonator", &[]);
            markup.text(&by, &strings.impersonator);
            strong(markup, &by, "impersonator", display::email(&session.impersonator.email));
            if session.expires_at.is_some() {
                time = Some(markup.element(Some(&details), "span", "sb-time", &[("part", "time-left")]));
                ends_at = Some(markup.element(Some(&details), "span", "sb-ends-at", &[("part", "ends-at")]));
            }
            line = Some(details);
            stop = Some(button(markup, bar, "stop", "sb-button sb-stop"));
            if session.reason().is_some() {
                let button = button(markup, bar, "reason-toggle", "sb-button sb-toggle");
                markup.text(&button, &strings.reason);
                toggle = Some(button);
            }
        }
        let minimize = markup.element(
            Some(bar),
            "button",
            "sb-button sb-minimize",
            &[
                ("part", "minimize"),
                ("type", "button"),
                ("aria-label", &strings.minimize),
                ("title", &strings.minimize),
                ("aria-keyshortcuts", MINIMIZE_SHORTCUT),
            ],
        );
        markup.element(Some(&minimize), "span", "sb-icon", &[("aria-hidden", "true")]);
        if let Some(why) = session.reason() {
            let paragraph =
                markup.element(Some(bar), "p", "sb-reason", &[("part", "reason"), ("dir", "auto")]);
            markup.text(&paragraph, &display::reason(why).text);
            reason = Some(paragraph);
        }
        Content {
            look,
            stop,
            reload,
            toggle,
            reason,
            details: line,
            time,
            ends_at,
            ended_at,
            stale: None,
            minimize,
            error: None,
        }
    }
}

fn button<M: Writer>(markup: &mut M, parent: &M::Node, part: &str, class: &str) -> M::Node {
    markup.element(Some(parent), "button", class, &[("part", part), ("type", "button")])
}

/// Untrusted text (emails, names) only ever goes in as text.
/// A name or an address from the session, as [`display`] shows it: cut ones carry the
/// full text as their tooltip.
fn strong<M: Writer>(markup: &mut M, parent: &M::Node, part: &str, value: Shown) {
    let element = markup.element(Some(parent), "strong", "sb-strong", &[("part", part), ("dir", "auto")]);
    if let Some(title) = &value.title {
        markup.attribute(&element, "title", Some(title));
    }
    markup.text(&element, &value.text);
}

fn badge<M: Writer>(markup: &mut M, parent: &M::Node, part: &str, label: &str) {
    let element = markup.element(Some(parent), "span", "sb-badge", &[("part", part)]);
    markup.text(&element, label);
}

/// Shows `scene` on nodes built for its look: every attribute and text that changes
/// while the bar stays, each written only when it differs.
pub fn paint<M: Writer>(
    markup: &mut M,
    skeleton: &Skeleton<M::Node>,
    content: &mut Content<M::Node>,
    scene: &Scene,
) {
    let root = &skeleton.root;
    let strings = &scene.look.strings;
    let class = scene.class.as_deref().map(|extra| {
        let mut class = String::from("staff-bar ");
        class.push_str(extra);
        class
    });
    markup.attribute(root, "class", Some(class.as_deref().unwrap_or("staff-bar")));
    markup.attribute(root, "aria-label", Some(&strings.region));
    markup.attribute(root, "data-side", Some(scene.side.as_str()));
    // Only where they differ from authkit-nextjs's look: a centred tab, light colours.
    markup.attribute(root, "data-align", (scene.align != Align::Center).then(|| scene.align.as_str()));
    markup.attribute(root, "data-theme", (scene.theme != Theme::Light).then(|| scene.theme.as_str()));
    flag(markup, root, "data-minimized", scene.minimized);
    flag(markup, root, "data-warning", scene.warning);
    flag(markup, root, "data-urgent", scene.urgent);
    flag(markup, root, "data-placed", scene.place.is_some());
    flag(markup, root, "data-preview", scene.look.preview);
    flag(markup, root, "data-stale", scene.stale);
    markup.attribute(root, "data-state", Some(scene.stop.name()));
    markup.set_text(&skeleton.status, &scene.announcement);
    flag(markup, &skeleton.bar, "inert", scene.minimized);
    let restore = &skeleton.restore;
    markup.attribute(restore, "aria-label", Some(&strings.restore));
    markup.attribute(restore, "title", Some(&strings.restore));
    flag(markup, restore, "hidden", !scene.minimized);

    if let Some(stop) = &content.stop {
        let pending = scene.stop == StopState::Pending;
        markup.set_text(stop, if pending { &strings.stopping } else { &strings.stop });
        markup.attribute(stop, "aria-disabled", pending.then_some("true"));
    }
    if let Some(toggle) = &content.toggle {
        markup.attribute(toggle, "aria-expanded", Some(if scene.show_reason { "true" } else { "false" }));
    }
    if let Some(reason) = &content.reason {
        flag(markup, reason, "hidden", !scene.show_reason || scene.look.ended);
    }
    if let Some(time) = &content.time {
        markup.set_text(time, &scene.time_text);
        flag(markup, time, "data-warning", scene.warning);
    }
    if let Some(ends_at) = &content.ends_at {
        markup.set_text(ends_at, &scene.ends_at);
    }
    if let Some(ended_at) = &content.ended_at {
        markup.set_text(ended_at, &scene.ended_at);
    }
    // "Could not refresh" comes and goes with the refreshes, before the countdown.
    if let Some(details) = &content.details {
        match (&content.stale, scene.stale) {
            (None, true) => {
                let badge = markup.element_before(
                    details,
                    content.time.as_ref(),
                    "span",
                    "sb-badge",
                    &[("part", "stale")],
                );
                markup.text(&badge, &strings.stale);
                content.stale = Some(badge);
            }
            (Some(badge), false) => {
                markup.remove(badge);
                content.stale = None;
            }
            _ => {}
        }
    }
    let error = match &scene.stop {
        StopState::Failed(message) => Some(message.as_str()),
        _ => None,
    };
    // A new message gets a new alert element, so it is announced.
    if content.error.as_ref().map(|(_, shown)| shown.as_str()) != error {
        if let Some((alert, _)) = content.error.take() {
            markup.remove(&alert);
        }
        if let Some(message) = error {
            let alert =
                markup.element(Some(&skeleton.bar), "p", "sb-error", &[("part", "error"), ("role", "alert")]);
            markup.text(&alert, message);
            content.error = Some((alert, message.to_owned()));
        }
    }
}

/// A boolean attribute: present and empty, or absent.
fn flag<M: Writer>(markup: &mut M, node: &M::Node, name: &str, on: bool) {
    markup.attribute(node, name, on.then_some(""));
}
