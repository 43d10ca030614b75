//! The `<Impersonation/>` component: a Leptos view of `staff_bar_core`'s state
//! machine. On the server (and while the page hydrates) it shows the session it was
//! given at rest; in the browser an effect starts a [`Driver`] that runs the machine,
//! and the view follows the machine's scene from then on.
//!
//! Threads: on a multi-threaded server a request's reactive owner can be cleaned up on
//! another worker thread than the one that rendered it, so everything this component
//! creates during SSR is thread-safe arena storage. The driver (closures, `Rc`s, JS
//! handles) exists only in the browser, where there is one thread.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use staff_bar_core::machine::{Input, Report};

use super::bar_view::{self, Frame};
use super::context;
use super::driver::{with_driver, Driver, DriverSlot, Heard};
use super::StopAction;
use crate::dom;
use crate::session::Session;
use crate::settings::{Settings, Side, SignOutMode};
use crate::view::Scene;
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
    /// The app's own message, shown in the bar in place of "You are impersonating …"
    /// (read the session with [`use_impersonation`](crate::use_impersonation)). Stop,
    /// the impersonator line, the countdown and the tab stay the bar's.
    #[prop(optional)]
    children: Option<ChildrenFn>,
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
    // What the driver draws, once it runs; until then (on the server, and while the
    // page hydrates) the session prop at rest, so both render the same HTML.
    let drawn = RwSignal::new(None::<Option<Scene>>);
    let scene = Memo::new(move |_| match drawn.get() {
        Some(scene) => scene,
        None => session.and_then(|session| session.get()).map(|session| Scene::at_rest(session, &settings())),
    });
    let driver: DriverSlot = StoredValue::new(None);
    context::offer(session, scene, driver);
    let root = NodeRef::<leptos::html::Div>::new();
    let send = Callback::new(move |input: Input| with_driver(driver, |driver| driver.feed(input, None)));
    let callbacks = Callbacks { on_stop, on_signed_out, on_error, on_minimize, on_restore, on_expired };
    run_in_browser(Browser { settings, session, session_url, stop_action, callbacks, drawn, driver, root });
    bar_view::bar(Frame {
        scene,
        root,
        style: Signal::derive(move || style.get()),
        z_index: Signal::derive(move || z_index.get()),
        nonce: leptos::nonce::use_nonce().map(|nonce| nonce.to_string()),
        message: children,
        send,
    })
}

/// The app's callbacks, for what the bar reports.
#[derive(Clone, Copy)]
struct Callbacks {
    on_stop: Option<Callback<(), bool>>,
    on_signed_out: Option<Callback<String>>,
    on_error: Option<Callback<String>>,
    on_minimize: Option<Callback<()>>,
    on_restore: Option<Callback<()>>,
    on_expired: Option<Callback<()>>,
}

impl Callbacks {
    /// What a report means to the app; `false` cancels a Stop. A disposed callback
    /// cancels too: the app that asked is gone.
    fn hear(self, report: &Report) -> bool {
        let run = |callback: Option<Callback<()>>| {
            if let Some(callback) = callback {
                callback.try_run(());
            }
            true
        };
        match report {
            Report::Stop => self.on_stop.is_none_or(|callback| callback.try_run(()) == Some(true)),
            Report::SignedOut(url) => {
                if let Some(callback) = self.on_signed_out {
                    callback.try_run(url.clone());
                }
                true
            }
            Report::Error(message) => {
                if let Some(callback) = self.on_error {
                    callback.try_run(message.clone());
                }
                true
            }
            Report::Minimize => run(self.on_minimize),
            Report::Restore => run(self.on_restore),
            Report::Expired => run(self.on_expired),
        }
    }
}

/// What the browser's half of the component needs.
struct Browser<S> {
    settings: S,
    session: Option<Signal<Option<Session>>>,
    session_url: MaybeProp<String>,
    stop_action: Option<StopAction>,
    callbacks: Callbacks,
    drawn: RwSignal<Option<Option<Scene>>>,
    driver: DriverSlot,
    root: NodeRef<leptos::html::Div>,
}

/// Starts the driver once the page is live (effects never run on the server, and in
/// the browser only after hydration), then follows the props.
fn run_in_browser(browser: Browser<impl Fn() -> Settings + Copy + Send + Sync + 'static>) {
    let Browser { settings, session, session_url, stop_action, callbacks, drawn, driver, root } = browser;
    if cfg!(feature = "ssr") {
        return;
    }
    let publish = context::publisher();
    // The app's callbacks run untracked: the bar can report from inside the effects
    // below, which must not start following whatever the callbacks read.
    let hear = move |heard: Heard<'_>| {
        untrack(|| match heard {
            Heard::Report(report) => callbacks.hear(report),
            Heard::Active(active) => {
                if let Some(publish) = publish {
                    publish(active.cloned());
                }
                true
            }
        })
    };
    Effect::new(move |_| {
        let settings = settings();
        let running = driver.with_value(Option::is_some);
        if running {
            return with_driver(driver, |live| live.feed(Input::Configure(Box::new(settings)), None));
        }
        let first = session.and_then(|session| session.get_untracked());
        let live = Driver::start(settings, first, drawn, root, stop_action, hear);
        if session.is_none() {
            if let Some(url) = session_url.get_untracked() {
                live.feed(Input::Watch { url, first: None }, None);
            }
        }
        driver.set_value(Some(SendWrapper::new(live)));
    });
    if let Some(session) = session {
        Effect::new(move |_| {
            let current = session.get();
            with_driver(driver, |live| live.feed(Input::Show(current), None));
        });
    }
    Effect::new(move |previous: Option<Option<String>>| {
        let url = session_url.get();
        if previous.is_some_and(|previous| previous != url) && session.is_none() {
            if let Some(url) = url.clone() {
                with_driver(driver, |live| live.feed(Input::Watch { url, first: None }, None));
            }
        }
        url
    });
    on_cleanup(move || {
        if let Some(Some(live)) = driver.try_update_value(Option::take) {
            live.unmount();
        }
    });
}
