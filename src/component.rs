//! The `<Impersonation/>` component: the frame, the tab with who, by whom, why and how
//! long, and the Stop, minimize and restore controls.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::context;
use crate::preview;
use crate::session::Session;
use crate::settings::{Side, SignOutMode, MINIMIZE_SHORTCUT};
use crate::sign_out::SignOutError;
use crate::source::SessionSource;
use crate::strings::{fill, Strings};
use crate::tabs::{self, Listener, TabListener, TabMessage};
use crate::time::{self, Countdown};

type StopFuture = Pin<Box<dyn Future<Output = Result<Option<String>, String>>>>;

/// A host app's own way to end the impersonation, used instead of the POST to
/// `sign_out_url` (a Leptos server function, say).
///
/// The future resolves to `Ok(Some(url))` to send the browser there, `Ok(None)` when
/// the app navigates by itself (the bar then shows its ended state), or `Err(message)`
/// to show the message and offer Stop again.
#[derive(Clone)]
pub struct StopAction(Rc<dyn Fn() -> StopFuture>);

impl StopAction {
    pub fn new<F, Fut>(action: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<Option<String>, String>> + 'static,
    {
        StopAction(Rc::new(move || Box::pin(action())))
    }

    fn run(&self) -> StopFuture {
        (self.0)()
    }
}

/// Where the bar's life is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum StopState {
    Ready,
    /// A request is in flight: further clicks send nothing.
    Pending,
    /// The last attempt failed with this message; Stop can be tried again.
    Failed(String),
    /// The impersonation is over (stopped here or in another tab, or expired).
    Ended,
}

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
    /// A session source driven from outside (the `<staff-bar>` element uses this).
    #[prop(optional)]
    source: Option<SessionSource>,
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
    // Where the session comes from: the host's signal, or `session_url` fetched and
    // refreshed by a session source.
    let source = match (session, source, session_url) {
        (Some(_), _, _) => None,
        (None, Some(source), _) => Some(source),
        (None, None, Some(url)) => {
            let source = SessionSource::new();
            // Effects run only in the browser, so SSR never makes this request.
            Effect::new(move |_| source.start(url.clone(), None));
            on_cleanup(move || source.stop());
            Some(source)
        }
        (None, None, None) => None,
    };
    let real: Signal<Option<Session>> = match (session, source) {
        (Some(given), _) => given,
        (None, Some(source)) => source.session.into(),
        (None, None) => Signal::stored(None),
    };
    let stale = move || source.is_some_and(|source| source.stale.get());

    // The dev preview, shown only while no real impersonation is.
    let preview_allowed = move || preview.get().is_some() && (cfg!(debug_assertions) || force_preview);
    let preview_session = RwSignal::new(None::<Session>);
    Effect::new(move |_| {
        let wanted = preview.get() == Some(true) && preview_allowed();
        preview_session.set(wanted.then(|| preview::sample_session(browser::now_ms())));
    });
    let shown = Memo::new(move |_| real.get().or_else(|| preview_session.get()));
    let is_preview = move || real.with(Option::is_none) && preview_session.with(Option::is_some);

    let minimized = RwSignal::new(false);
    let stop_state = RwSignal::new(StopState::Ready);
    let show_reason = RwSignal::new(false);
    let time_text = RwSignal::new(String::new());
    let warning = RwSignal::new(false);
    let announcement = RwSignal::new(String::new());
    let page_hidden = RwSignal::new(browser::page_is_hidden());
    let current_key = StoredValue::new(None::<String>);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let announce_timer = StoredValue::new(None::<TimeoutHandle>);
    let stop_action = StoredValue::new_local(stop_action);
    let listeners = StoredValue::new_local(Vec::<Listener>::new());
    let tab_listener = StoredValue::new_local(None::<TabListener>);
    let root_ref = NodeRef::<leptos::html::Div>::new();
    let minimize_ref = NodeRef::<leptos::html::Button>::new();
    let restore_ref = NodeRef::<leptos::html::Button>::new();

    let ended = move || stop_state.with(|state| *state == StopState::Ended);
    let pending = move || stop_state.with(|state| *state == StopState::Pending);
    let strings_now = move || {
        strings.get().unwrap_or_else(|| Strings::for_lang(&browser::page_language().unwrap_or_default()))
    };

    // A new impersonation starts fresh: expanded unless this one was left minimized.
    // The clock offset is taken once, when the answer arrives, so later re-runs of the
    // countdown never measure against a stale server time.
    let clock_offset = StoredValue::new(0i64);
    let ended_by_server = StoredValue::new(false);
    let adopt_session = move |key: Option<String>, server_time: Option<i64>| {
        if current_key.with_value(|current| *current == key) {
            return;
        }
        current_key.set_value(key.clone());
        clock_offset.set_value(server_time.map_or(0, |server| server - browser::now_ms()));
        ended_by_server.set_value(false);
        stop_state.set(StopState::Ready);
        show_reason.set(false);
        announcement.set(String::new());
        // Hydration does not touch attributes of the server's markup: read the
        // remembered state after it, in an effect, so markup and state agree.
        let remembered = !cfg!(feature = "hydrate") && key.as_deref().is_some_and(tabs::is_minimized);
        minimized.set(remembered);
    };
    if cfg!(feature = "hydrate") {
        Effect::new(move |_| {
            if let Some(key) = current_key.try_get_value().flatten() {
                if tabs::is_minimized(&key) && !minimized.get_untracked() {
                    minimized.set(true);
                }
            }
        });
    }

    let set_minimized = move |value: bool, from_other_tab: bool| {
        if minimized.get_untracked() == value {
            return;
        }
        minimized.set(value);
        if !from_other_tab {
            if let Some(key) = current_key.get_value() {
                tabs::remember_minimized(&key, value);
                tabs::broadcast(if value { TabMessage::Minimized } else { TabMessage::Restored }, &key);
            }
        }
        let callback = if value { on_minimize } else { on_restore };
        if let Some(callback) = callback {
            callback.try_run(());
        }
        // The focused control just became inert or hidden: keep keyboard users in place,
        // and leave focus alone when it is elsewhere on the page.
        let focus_inside = root_ref.get_untracked().is_some_and(|root| browser::holds_focus(&root));
        if !from_other_tab && focus_inside {
            request_animation_frame(move || {
                let target = if value { restore_ref.get_untracked() } else { minimize_ref.get_untracked() };
                if let Some(button) = target {
                    let _ = button.focus();
                }
            });
        }
    };

    // Safe to call after unmount (from a sign-out that resolves late, say): every
    // access is a `try_`.
    let end = move |announce_to_tabs: bool| {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
        // Stop is about to be replaced by Reload: keep a keyboard user's place.
        let root = root_ref.try_get_untracked().flatten();
        let had_focus = root.as_ref().is_some_and(|root| browser::holds_focus(root));
        stop_state.try_set(StopState::Ended);
        if had_focus {
            request_animation_frame(move || {
                if let Some(reload) =
                    root.and_then(|root| root.query_selector("[part=reload]").ok().flatten())
                {
                    browser::focus(&reload);
                }
            });
        }
        if announce_to_tabs {
            if let Some(key) = current_key.try_get_value().flatten() {
                tabs::broadcast(TabMessage::Ended, &key);
            }
        }
    };

    // A definite answer from the server that the impersonation is over, and back
    // again if a later answer shows it after all (a 401 during a token rotation).
    Effect::new(move |_| {
        let gone = source.is_some_and(|source| source.gone.get());
        if gone && !ended() {
            ended_by_server.set_value(true);
            end(true);
        } else if !gone && ended_by_server.get_value() {
            ended_by_server.set_value(false);
            stop_state.set(StopState::Ready);
        }
    });

    // Browser wiring: styles, the `<html>` flag, the app context, other tabs, keys.
    Effect::new(move |_| {
        if let Some(root) = root_ref.get() {
            browser::adopt_styles(&root);
        }
    });
    // Through the CSSOM rather than a style attribute, which a strict CSP refuses.
    Effect::new(move |_| {
        style.track(); // a new style attribute wipes the CSSOM value: set it again
        let z = z_index.get();
        if let Some(root) = root_ref.get() {
            browser::set_z_index(&root, z);
        }
    });
    let publish = context::publisher();
    Effect::new(move |_| {
        let active = shown.with(Option::is_some) && !ended();
        browser::set_impersonating_flag(active);
        if let Some(publish) = publish {
            publish.set(if active { shown.get() } else { None });
        }
    });
    on_cleanup(move || {
        browser::set_impersonating_flag(false);
        if let Some(publish) = publish {
            publish.try_set(None);
        }
    });
    Effect::new(move |_| {
        tab_listener.set_value(TabListener::new(move |message, key| {
            if current_key.with_value(|current| current.as_deref() != Some(key)) {
                return;
            }
            match message {
                TabMessage::Ended => end(false),
                TabMessage::Minimized => set_minimized(true, true),
                TabMessage::Restored => set_minimized(false, true),
            }
        }));
        let mut installed = Vec::new();
        if let Some(document) = browser::document() {
            installed.extend(Listener::new(document.clone(), "visibilitychange", move |_| {
                page_hidden.set(browser::page_is_hidden());
            }));
            installed.extend(Listener::new(document, "keydown", move |event| {
                let Some(shortcut) = browser::shortcut(&event) else { return };
                if shortcut == 'I' && shown.with_untracked(Option::is_some) {
                    set_minimized(!minimized.get_untracked(), false);
                    event.prevent_default();
                } else if shortcut == 'P' && preview_allowed() {
                    let on = preview_session.with_untracked(Option::is_some);
                    preview_session.set((!on).then(|| preview::sample_session(browser::now_ms())));
                    event.prevent_default();
                }
            }));
        }
        // Back from the back/forward cache after a form-mode Stop: the POST may not have
        // happened, so offer Stop again instead of "Stopping…" forever.
        if let Some(window) = browser::window() {
            installed.extend(Listener::new(window, "pageshow", move |_| {
                if stop_state.with_untracked(|state| *state == StopState::Pending) {
                    stop_state.set(StopState::Ready);
                }
            }));
        }
        listeners.set_value(installed);
    });
    on_cleanup(move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
        listeners.try_update_value(Vec::clear);
        tab_listener.try_update_value(|listener| *listener = None);
    });

    // The countdown: one text change when the shown number changes, nothing in
    // between, and only a single wake-up at the end while nobody can see it.
    fn schedule(delay_ms: u32, then: impl FnOnce() + 'static) -> Option<TimeoutHandle> {
        set_timeout_with_handle(then, Duration::from_millis(u64::from(delay_ms))).ok()
    }
    let tick = move |expires_at: i64, hidden: bool| {
        fn run(
            expires_at: i64,
            hidden: bool,
            state: (RwSignal<String>, RwSignal<bool>, StoredValue<Option<TimeoutHandle>>, StoredValue<i64>),
            strings: impl Fn() -> Strings + Copy + 'static,
            on_end: impl Fn() + Copy + 'static,
        ) {
            let (time_text, warning, timer, offset) = state;
            let left = time::remaining_ms(expires_at, browser::now_ms(), offset.get_value());
            let countdown = Countdown::at(left);
            let Some(text) = strings().time_left(countdown) else {
                on_end();
                return;
            };
            if time_text.with_untracked(|current| *current != text) {
                time_text.set(text);
            }
            if warning.get_untracked() != countdown.is_warning() {
                warning.set(countdown.is_warning());
            }
            let delay = if hidden {
                left.clamp(1, i64::from(i32::MAX)) as u32
            } else {
                countdown.next_change_ms().unwrap_or(1)
            };
            let handle = schedule(delay, move || run(expires_at, hidden, state, strings, on_end));
            timer.set_value(handle);
        }
        let on_end = move || {
            if !ended() {
                end(true);
                if let Some(callback) = on_expired {
                    callback.try_run(());
                }
            }
        };
        run(expires_at, hidden, (time_text, warning, timer, clock_offset), strings_now, on_end);
    };
    Effect::new(move |_| {
        let expires_at = shown.with(|s| s.as_ref().and_then(|s| s.expires_at));
        let hidden = minimized.get() || page_hidden.get();
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        if ended() {
            return;
        }
        let Some(expires_at) = expires_at else {
            time_text.set(String::new());
            return;
        };
        tick(expires_at, hidden);
    });

    let stop = move |_| {
        if pending() || ended() {
            return;
        }
        if is_preview() {
            // Stop in the preview ends the preview, and sends nothing.
            preview_session.set(None);
            return;
        }
        if let Some(on_stop) = on_stop {
            // A listener may remove the bar; then there is nothing left to do.
            if on_stop.try_run(()) != Some(true) {
                return;
            }
        }
        if stop_state.try_set(StopState::Pending).is_some() {
            return;
        }
        let plan = browser::SignOutPlan::new(
            sign_out_url.get_untracked(),
            return_to.try_get_untracked().flatten(),
            csrf_token.get_untracked(),
        );
        let action = stop_action.get_value();
        // In form mode the page navigates away with the server's redirect; the other
        // tabs learn of the end from their next refresh, not before it happened.
        if action.is_none()
            && sign_out_mode.get_untracked() == Some(SignOutMode::Form)
            && plan.submit_form(csrf_field.get_untracked())
        {
            return;
        }
        let header = csrf_header.get_untracked();
        spawn_local(async move {
            let outcome = match action {
                Some(action) => action.run().await.map_err(SignOutError::Action),
                None => plan.send(header).await.map(Some),
            };
            match outcome {
                Ok(destination) => {
                    end(true);
                    if let Some(url) = destination {
                        if let Some(callback) = on_signed_out {
                            callback.try_run(url.clone());
                        }
                        browser::navigate(&url);
                    }
                }
                Err(error) => {
                    let message = error.message();
                    browser::error(&message);
                    if let Some(callback) = on_error {
                        callback.try_run(message.clone());
                    }
                    stop_state.try_set(StopState::Failed(message));
                }
            }
        });
    };

    // Announce the bar once per impersonation, a moment after it appears, so screen
    // readers notice the change of the live region.
    Effect::new(move |_| {
        let Some(user) = shown.with(|s| s.as_ref().map(|s| s.user.email.clone())) else { return };
        if announcement.with_untracked(String::is_empty) {
            let text = fill(&strings_now().announcement, "user", &user);
            announce_timer.set_value(schedule(150, move || {
                announcement.try_set(text);
            }));
        }
    });
    on_cleanup(move || {
        if let Some(handle) = announce_timer.try_get_value().flatten() {
            handle.clear();
        }
    });

    let root_class = move || {
        let mut classes = String::from("staff-bar");
        if let Some(extra) = class.get() {
            classes.push(' ');
            classes.push_str(&extra);
        }
        classes
    };
    // The stylesheet's z-index is 9999. Only another one goes into server markup (a
    // style attribute, which a strict CSP refuses); in the browser an effect sets it.
    let root_style = move || {
        let extra = style.get();
        let custom_z = z_index.get().filter(|_| cfg!(feature = "ssr"));
        let Some(z) = custom_z else { return extra };
        let mut css = String::from("z-index:");
        crate::session::push_integer(&mut css, z);
        if let Some(extra) = extra {
            css.push(';');
            css.push_str(&extra);
        }
        Some(css)
    };

    move || {
        let session = shown.get()?;
        untrack(|| adopt_session(Some(session.key()), session.server_time));
        let strings = strings_now();
        let user = session.user.email.clone();
        let organization = session.organization_name().map(str::to_owned);
        let impersonator = session.impersonator.email.clone();
        let reason = session.reason().map(str::to_owned);
        let has_countdown = session.expires_at.is_some();
        let strings_for_bar = strings.clone();
        let reason_in_bar = reason.clone();
        Some(view! {
            <div
                node_ref=root_ref
                class=root_class
                style=root_style
                role="region"
                aria-label=strings.region.clone()
                data-side=move || side.get().unwrap_or_default().as_str()
                data-minimized=move || minimized.get().then_some("")
                data-warning=move || warning.get().then_some("")
                data-preview=move || is_preview().then_some("")
                data-stale=move || stale().then_some("")
                data-state=move || {
                    stop_state.with(|state| match state {
                        StopState::Ready => "ready",
                        StopState::Pending => "pending",
                        StopState::Failed(_) => "failed",
                        StopState::Ended => "ended",
                    })
                }
            >
                {inline_style()}
                <div part="frame" class="sb-frame" aria-hidden="true"></div>
                <p class="sb-visually-hidden" role="status" aria-live="polite">{move || non_empty(announcement.get())}</p>
                <div part="bar" class="sb-bar" inert=move || minimized.get()>
                    {move || {
                        let strings = strings_for_bar.clone();
                        if ended() {
                            Either::Left(view! {
                                <p part="ended" class="sb-message" role="status">{strings.ended.clone()}</p>
                                <button part="reload" type="button" class="sb-button sb-stop" on:click=|_| browser::reload()>
                                    {strings.reload.clone()}
                                </button>
                            })
                        } else {
                            let reason = reason_in_bar.clone();
                            Either::Right(view! {
                                <div class="sb-text">
                                    <p part="message" class="sb-message">
                                        {strings.impersonating.clone()}
                                        <strong part="user" class="sb-strong" dir="auto">{user.clone()}</strong>
                                        {organization.clone().map(|name| view! {
                                            {strings.within.clone()}
                                            <strong part="organization" class="sb-strong" dir="auto">{name}</strong>
                                            {strings.organization_suffix.clone()}
                                        })}
                                    </p>
                                    <p class="sb-details">
                                        {is_preview().then(|| view! {
                                            <span part="preview" class="sb-badge">{strings.preview.clone()}</span>
                                        })}
                                        <span class="sb-impersonator">
                                            {strings.impersonator.clone()}
                                            <strong part="impersonator" class="sb-strong" dir="auto">{impersonator.clone()}</strong>
                                        </span>
                                        {
                                            let text = strings.stale.clone();
                                            move || stale().then(|| view! {
                                                <span part="stale" class="sb-badge">{text.clone()}</span>
                                            })
                                        }
                                        {has_countdown.then(|| view! {
                                            <span
                                                part="time-left"
                                                class="sb-time"
                                                data-warning=move || warning.get().then_some("")
                                            >
                                                {move || non_empty(time_text.get())}
                                            </span>
                                        })}
                                    </p>
                                </div>
                                <button
                                    part="stop"
                                    type="button"
                                    class="sb-button sb-stop"
                                    aria-disabled=move || pending().then_some("true")
                                    on:click=stop
                                >
                                    {
                                        let (stop, stopping) = (strings.stop.clone(), strings.stopping.clone());
                                        move || if pending() { stopping.clone() } else { stop.clone() }
                                    }
                                </button>
                                {reason.clone().map(|_| view! {
                                    <button
                                        part="reason-toggle"
                                        type="button"
                                        class="sb-button sb-toggle"
                                        aria-expanded=move || if show_reason.get() { "true" } else { "false" }
                                        on:click=move |_| show_reason.update(|open| *open = !*open)
                                    >
                                        {strings.reason.clone()}
                                    </button>
                                })}
                            })
                        }
                    }}
                    <button
                        node_ref=minimize_ref
                        part="minimize"
                        type="button"
                        class="sb-button sb-minimize"
                        aria-label=strings.minimize.clone()
                        title=strings.minimize.clone()
                        aria-keyshortcuts=MINIMIZE_SHORTCUT
                        on:click=move |_| set_minimized(true, false)
                    >
                        <span aria-hidden="true">"\u{2212}"</span>
                    </button>
                    {reason.map(|reason| view! {
                        <p
                            part="reason"
                            class="sb-reason"
                            dir="auto"
                            hidden=move || !show_reason.get() || ended()
                        >
                            {reason}
                        </p>
                    })}
                    {move || stop_state.with(|state| match state {
                        StopState::Failed(message) => Some(view! {
                            <p part="error" class="sb-error" role="alert">{message.clone()}</p>
                        }),
                        _ => None,
                    })}
                </div>
                <button
                    node_ref=restore_ref
                    part="restore"
                    type="button"
                    class="sb-button sb-restore"
                    aria-label=strings.restore.clone()
                    title=strings.restore.clone()
                    aria-keyshortcuts=MINIMIZE_SHORTCUT
                    hidden=move || !minimized.get()
                    on:click=move |_| set_minimized(false, false)
                >
                    <span aria-hidden="true">"\u{25B4}"</span>
                </button>
            </div>
        })
    }
}

/// Empty text has no DOM node to hydrate; `None` renders a marker instead.
fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// Server-rendered pages carry the stylesheet inline so the bar is styled before
/// hydration; in the browser the same sheet is adopted instead (see `browser`). Under
/// a strict CSP the app's nonce (`leptos::nonce::provide_nonce`) marks it as allowed.
#[cfg(any(feature = "ssr", feature = "hydrate"))]
fn inline_style() -> impl IntoView {
    view! { <style nonce=leptos::nonce::use_nonce()>{crate::STYLE}</style> }
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn inline_style() -> impl IntoView {}
