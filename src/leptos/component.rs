//! The `<Impersonation/>` component: a Leptos face on [`Bar`](crate::Bar). In the
//! browser it runs a bar inside its host element, fed from its props; on the server it
//! writes the same markup as HTML (see [`view`](crate::view)), which the browser's bar
//! then takes over in place when the page hydrates.
//!
//! Threads: on a multi-threaded server a request's reactive owner can be cleaned up on
//! another worker thread than the one that rendered it, so nothing this component
//! creates during SSR is thread-bound. The bar itself (DOM nodes, closures, `Rc`s)
//! exists only in the browser, where there is one thread; see `browser_side`.

use leptos::prelude::*;

use super::context;
use super::StopAction;
#[cfg(not(feature = "ssr"))]
use crate::bar::Notice;
use crate::dom;
use crate::session::Session;
use crate::settings::{Settings, Side, SignOutMode};
use crate::Strings;

/// The Staff Bar. Place it once in the root layout; it renders nothing unless the
/// session has both a user and an impersonator (or the dev preview is on).
///
/// ```no_run
/// use leptos::prelude::*;
/// use staff_bar::Impersonation;
///
/// #[component]
/// fn App() -> impl IntoView {
///     view! {
///         <Impersonation session_url="/auth/session" sign_out_url="/auth/sign-out" />
///         <main>"…"</main>
///     }
/// }
/// ```
#[component]
pub fn Impersonation(
    /// The session, when the app already has it (from an SSR loader or its own auth
    /// state). With it, no request is made. `None` inside means "not impersonating".
    #[prop(optional, into)]
    session: Option<Signal<Option<Session>>>,
    /// Where to GET the session JSON, when `session` is not given. The bar refreshes
    /// it every minute and when the page becomes visible or the network returns; a
    /// new URL is asked at once.
    #[prop(optional, into)]
    session_url: MaybeProp<String>,
    /// The app's sign-out endpoint; Stop POSTs `{"returnTo": …}` to it as JSON.
    #[prop(optional, into)]
    sign_out_url: MaybeProp<String>,
    /// Where to land after sign-out: a same-origin path, anything else is refused.
    #[prop(optional, into)]
    return_to: MaybeProp<String>,
    /// The CSRF token; by default the `content` of `<meta name="csrf-token">`.
    #[prop(optional, into)]
    csrf_token: MaybeProp<String>,
    /// The header the CSRF token is sent in (`fetch` mode); `X-CSRF-Token` by default.
    #[prop(optional, into)]
    csrf_header: MaybeProp<String>,
    /// The form field the CSRF token is sent in (`form` mode); `csrf_token` by default.
    #[prop(optional, into)]
    csrf_field: MaybeProp<String>,
    /// `fetch` (default): POST JSON and show errors inline; `form`: a real form POST.
    #[prop(optional, into)]
    sign_out_mode: MaybeProp<SignOutMode>,
    /// The edge the tab is attached to; `bottom` by default.
    #[prop(optional, into)]
    side: MaybeProp<Side>,
    /// The stacking order; 9999 by default, as in authkit-nextjs.
    #[prop(optional, into)]
    z_index: MaybeProp<i32>,
    /// Where to look up the organization's name when the session has only its id, as
    /// authkit-nextjs asks `getOrganization`: a GET answered with `{"id", "name"}`
    /// (`{id}` in the URL is replaced by the id, else `?id=` is added). Asked once per
    /// id, again when the id changes; in the browser only.
    #[prop(optional, into)]
    organization_url: MaybeProp<String>,
    /// Extra classes on the root element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
    /// Extra inline style on the root element, e.g. `--workos-impersonation-size: 8px`.
    #[prop(optional, into)]
    style: MaybeProp<String>,
    /// The words of the bar; by default the built-in table for `lang`.
    #[prop(optional, into)]
    strings: MaybeProp<Strings>,
    /// The language of the built-in words (`en`, `de`, `fr`, `es`, `ja`). By default
    /// the page's `<html lang>` in the browser and English on the server, so a
    /// non-English SSR page passes it to hydrate in place instead of rebuilding.
    #[prop(optional, into)]
    lang: MaybeProp<String>,
    /// The dev preview: `true` shows the bar with sample data and no network, and
    /// enables the Alt+Shift+P shortcut. Only in debug builds, unless `force_preview`.
    #[prop(optional, into)]
    preview: MaybeProp<bool>,
    /// Allows `preview` in release builds (the `<staff-bar preview>` attribute does).
    #[prop(optional)]
    force_preview: bool,
    /// Ends the impersonation the app's own way instead of the POST to `sign_out_url`.
    #[prop(optional)]
    stop_action: Option<StopAction>,
    /// Called before Stop sends anything; return `false` to cancel.
    #[prop(optional, into)]
    on_stop: Option<Callback<(), bool>>,
    /// Called with the destination once sign-out succeeded, just before navigating.
    #[prop(optional, into)]
    on_signed_out: Option<Callback<String>>,
    /// Called with the message when Stop failed.
    #[prop(optional, into)]
    on_error: Option<Callback<String>>,
    /// Called when the bar is minimized (here, by shortcut, or from another tab).
    #[prop(optional, into)]
    on_minimize: Option<Callback<()>>,
    /// Called when the bar is restored.
    #[prop(optional, into)]
    on_restore: Option<Callback<()>>,
    /// Called when the impersonation reaches its `expiresAt`.
    #[prop(optional, into)]
    on_expired: Option<Callback<()>>,
) -> impl IntoView {
    let settings = move || Settings {
        sign_out_url: sign_out_url.get(),
        sign_out_mode: sign_out_mode.get().unwrap_or_default(),
        return_to: return_to.get(),
        side: side.get().unwrap_or_default(),
        z_index: z_index.get(),
        csrf_token: csrf_token.get(),
        csrf_header: csrf_header.get(),
        csrf_field: csrf_field.get(),
        strings: strings.get().unwrap_or_else(|| {
            Strings::for_lang(&lang.get().or_else(dom::page_language).unwrap_or_default())
        }),
        organization_url: organization_url.get(),
        class: class.get(),
        style: style.get(),
        preview: preview.get().filter(|_| cfg!(debug_assertions) || force_preview),
    };
    // Views that ask `use_impersonation()` see this session until a bar runs: the
    // server's HTML and the first hydrated render agree.
    context::offer(session);

    #[cfg(not(feature = "ssr"))]
    {
        let callbacks = Callbacks { on_stop, on_signed_out, on_error, on_minimize, on_restore, on_expired };
        let stop_action = stop_action.map(|action| action.within(Owner::current()));
        let host = NodeRef::<leptos::html::Div>::new();
        browser_side::run(host, settings, session, session_url, stop_action, callbacks);
        view! { <div class="staff-bar-host" node_ref=host></div> }
    }
    #[cfg(feature = "ssr")]
    {
        // Props that only matter in the browser.
        let _ = (session_url, stop_action, on_stop, on_signed_out, on_error);
        let _ = (on_minimize, on_restore, on_expired);
        let nonce = leptos::nonce::use_nonce().map(|nonce| nonce.to_string());
        // Reactive, so a session from a `Resource` under `<Suspense>` or `<Transition>`
        // is written once it resolves (the boundary waits for what this reads).
        let markup = move || {
            let session = session.and_then(|session| session.get())?;
            Some(server_markup(session, &settings(), nonce.as_deref()))
        };
        view! { <div class="staff-bar-host" inner_html=move || markup().unwrap_or_default()></div> }
    }
}

/// The bar's HTML for the server. No CSSOM there: a z-index other than the
/// stylesheet's 9999 goes into the style attribute (a strict CSP refuses it; the
/// browser's bar then sets it through the CSSOM).
#[cfg(feature = "ssr")]
fn server_markup(session: Session, settings: &Settings, nonce: Option<&str>) -> String {
    let style = match (settings.z_index, &settings.style) {
        (None, style) => style.clone(),
        (Some(z), extra) => {
            let mut css = String::from("z-index:");
            crate::session::push_integer(&mut css, i64::from(z));
            if let Some(extra) = extra {
                css.push(';');
                css.push_str(extra);
            }
            Some(css)
        }
    };
    crate::view::html(&crate::view::Scene::at_rest(session, settings), style.as_deref(), nonce)
}

/// The app's callbacks, for the bar's notices.
#[cfg(not(feature = "ssr"))]
#[derive(Clone, Copy)]
struct Callbacks {
    on_stop: Option<Callback<(), bool>>,
    on_signed_out: Option<Callback<String>>,
    on_error: Option<Callback<String>>,
    on_minimize: Option<Callback<()>>,
    on_restore: Option<Callback<()>>,
    on_expired: Option<Callback<()>>,
}

#[cfg(not(feature = "ssr"))]
impl Callbacks {
    /// What the bar's `notice` means to the app; `false` cancels a Stop. A disposed
    /// callback cancels too: the app that asked is gone.
    fn hear(self, notice: Notice<'_>, publish: Option<impl Fn(Option<Session>)>) -> bool {
        let run = |callback: Option<Callback<()>>| {
            if let Some(callback) = callback {
                callback.try_run(());
            }
            true
        };
        match notice {
            Notice::Stop => self.on_stop.is_none_or(|callback| callback.try_run(()) == Some(true)),
            Notice::SignedOut(url) => {
                if let Some(callback) = self.on_signed_out {
                    callback.try_run(url.to_owned());
                }
                true
            }
            Notice::Error(message) => {
                if let Some(callback) = self.on_error {
                    callback.try_run(message.to_owned());
                }
                true
            }
            Notice::Minimize => run(self.on_minimize),
            Notice::Restore => run(self.on_restore),
            Notice::Expired => run(self.on_expired),
            Notice::Active(session) => {
                if let Some(publish) = publish {
                    publish(session.cloned());
                }
                true
            }
        }
    }
}

/// The browser's half of the component: the live [`Bar`], created by an effect (so
/// never during SSR) and kept in thread-local storage, which is safe because a page
/// has one thread. Not compiled into server builds at all.
#[cfg(not(feature = "ssr"))]
mod browser_side {
    use std::rc::Rc;

    use leptos::prelude::*;

    use super::Callbacks;
    use crate::bar::{Bar, Notice};
    use crate::leptos::context;
    use crate::leptos::StopAction;
    use crate::session::Session;
    use crate::settings::Settings;

    /// Where the bar is in its life.
    enum Slot {
        /// Not started: the host is not there yet.
        Idle,
        /// The server sent a bar for a session this page does not have yet (a
        /// `Resource` still on its way): its markup stays until the session arrives.
        Waiting,
        Running(Rc<Bar>),
    }

    pub(super) fn run(
        host: NodeRef<leptos::html::Div>,
        settings: impl Fn() -> Settings + Copy + 'static,
        session: Option<Signal<Option<Session>>>,
        session_url: MaybeProp<String>,
        stop_action: Option<StopAction>,
        callbacks: Callbacks,
    ) {
        let slot = StoredValue::new_local(Slot::Idle);
        let publish = context::publisher();
        // The app's callbacks run untracked: a bar can notify from inside the effects
        // below, which must not start following whatever the callbacks read.
        let notify = move |notice: Notice<'_>| untrack(|| callbacks.hear(notice, publish));
        let start =
            Rc::new(move |element: &web_sys::HtmlDivElement, settings: Settings, first: Option<Session>| {
                let begin = if cfg!(feature = "hydrate") { Bar::hydrate } else { Bar::mount };
                let Some(live) = begin(element, settings, first, notify) else { return };
                live.set_stop_action(stop_action.clone());
                if session.is_none() {
                    if let Some(url) = session_url.get_untracked() {
                        live.watch(url, None);
                    }
                }
                slot.set_value(Slot::Running(Rc::new(live)));
            });
        let running = move || match &*slot.read_value() {
            Slot::Running(live) => Some(live.clone()),
            _ => None,
        };

        // Mount once the host exists, then follow the props. With neither a session
        // nor a URL the bar still serves the dev preview.
        let start_now = start.clone();
        Effect::new(move |_| {
            let settings = settings();
            let Some(element) = host.get() else { return };
            if let Some(live) = running() {
                live.set_settings(settings);
                return;
            }
            if matches!(*slot.read_value(), Slot::Waiting) {
                return;
            }
            let first = session.and_then(|session| session.get_untracked());
            let server_sent_a_bar = element.first_element_child().is_some();
            if cfg!(feature = "hydrate") && session.is_some() && first.is_none() && server_sent_a_bar {
                slot.set_value(Slot::Waiting);
                return;
            }
            start_now(&element, settings, first);
        });
        if let Some(session) = session {
            // The first run only subscribes; a bar that is waiting starts with the
            // first change, whatever it says.
            Effect::new(move |subscribed: Option<()>| {
                let current = session.get();
                if let Some(live) = running() {
                    live.show(current);
                } else if subscribed.is_some() && matches!(*slot.read_value(), Slot::Waiting) {
                    slot.set_value(Slot::Idle);
                    if let Some(element) = host.get_untracked() {
                        start(&element, untrack(settings), current);
                    }
                }
            });
        }
        Effect::new(move |previous: Option<Option<String>>| {
            let url = session_url.get();
            if previous.is_some_and(|previous| previous != url) && session.is_none() {
                if let (Some(live), Some(url)) = (running(), url.clone()) {
                    live.watch(url, None);
                }
            }
            url
        });
        on_cleanup(move || {
            if let Some(Slot::Running(live)) =
                slot.try_update_value(|slot| std::mem::replace(slot, Slot::Idle))
            {
                live.unmount();
            }
        });
    }
}
