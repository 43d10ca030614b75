//! The `<Impersonation/>` component: a Leptos face on [`Bar`]. In the browser it runs
//! a bar inside its host element, fed from its props; on the server it writes the
//! same markup as HTML (see [`view`](crate::view)), which the browser's bar then takes
//! over in place when the page hydrates.

use std::rc::Rc;

use leptos::prelude::*;

use crate::bar::{Bar, Notice, StopAction};
use crate::browser;
use crate::context;
use crate::session::Session;
use crate::settings::{Settings, Side, SignOutMode};
use crate::strings::Strings;

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
    /// it every minute and when the page becomes visible or the network returns.
    #[prop(optional, into)]
    session_url: Option<String>,
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
    /// Extra classes on the root element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
    /// Extra inline style on the root element, e.g. `--workos-impersonation-size: 8px`.
    #[prop(optional, into)]
    style: MaybeProp<String>,
    /// The words of the bar; by default the built-in table for the page's language.
    #[prop(optional, into)]
    strings: MaybeProp<Strings>,
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
        strings: strings
            .get()
            .unwrap_or_else(|| Strings::for_lang(&browser::page_language().unwrap_or_default())),
        class: class.get(),
        style: style.get(),
        preview: preview.get().filter(|_| cfg!(debug_assertions) || force_preview),
    };
    let host = NodeRef::<leptos::html::Div>::new();
    let bar = StoredValue::new_local(None::<Rc<Bar>>);
    let publish = context::publisher();
    let notify_app = move |notice: Notice<'_>| -> bool {
        let run = |callback: Option<Callback<()>>| {
            if let Some(callback) = callback {
                callback.try_run(());
            }
        };
        match notice {
            // A disposed callback cancels: the app that asked is gone.
            Notice::Stop => on_stop.is_none_or(|callback| callback.try_run(()) == Some(true)),
            Notice::SignedOut(url) => {
                if let Some(callback) = on_signed_out {
                    callback.try_run(url.to_owned());
                }
                true
            }
            Notice::Error(message) => {
                if let Some(callback) = on_error {
                    callback.try_run(message.to_owned());
                }
                true
            }
            Notice::Minimize => {
                run(on_minimize);
                true
            }
            Notice::Restore => {
                run(on_restore);
                true
            }
            Notice::Expired => {
                run(on_expired);
                true
            }
            Notice::Active(session) => {
                if let Some(publish) = publish {
                    publish.try_set(session.cloned());
                }
                true
            }
        }
    };

    // The app's callbacks run untracked: a bar can notify from inside the effects
    // below, which must not start following whatever the callbacks read.
    let notify = move |notice: Notice<'_>| -> bool { untrack(|| notify_app(notice)) };
    // Effects run only in the browser: mount once the host exists, then follow the
    // props. With neither a session nor a URL the bar still serves the dev preview.
    Effect::new(move |_| {
        let settings = settings();
        let Some(element) = host.get() else { return };
        if let Some(live) = bar.with_value(Clone::clone) {
            live.set_settings(settings);
            return;
        }
        let first = session.and_then(|session| session.get_untracked());
        let start = if cfg!(feature = "hydrate") { Bar::hydrate } else { Bar::mount };
        let Some(live) = start(&element, settings, first, notify) else { return };
        live.set_stop_action(stop_action.clone());
        if let (None, Some(url)) = (session, &session_url) {
            live.watch(url.clone(), None);
        }
        bar.set_value(Some(Rc::new(live)));
    });
    if let Some(session) = session {
        Effect::new(move |_| {
            let current = session.get();
            if let Some(live) = bar.with_value(Clone::clone) {
                live.show(current);
            }
        });
    }
    on_cleanup(move || {
        if let Some(live) = bar.try_update_value(Option::take).flatten() {
            live.unmount();
        }
    });

    #[cfg(feature = "ssr")]
    let server_markup =
        session.and_then(|session| session.get_untracked()).map_or_else(String::new, |session| {
            let settings = settings();
            // No CSSOM on the server: a z-index other than the stylesheet's 9999 goes into
            // the style attribute (a strict CSP refuses it; the browser's bar then sets it
            // through the CSSOM).
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
            let nonce = leptos::nonce::use_nonce().map(|nonce| nonce.to_string());
            crate::view::html(
                &crate::view::Frame::at_rest(session, &settings),
                style.as_deref(),
                nonce.as_deref(),
            )
        });
    #[cfg(feature = "ssr")]
    return view! { <div class="staff-bar-host" node_ref=host inner_html=server_markup></div> };
    #[cfg(not(feature = "ssr"))]
    view! { <div class="staff-bar-host" node_ref=host></div> }
}
