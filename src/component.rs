//! The `<Impersonation/>` component: the frame, the tab with its message and controls,
//! and the Stop flow.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::{self, SessionAnswer};
use crate::session::{push_decimal, Session};
use crate::sign_out::{self, SignOutError};
use crate::strings::Strings;

/// Which edge of the viewport the tab is attached to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Side {
    #[default]
    Bottom,
    Top,
}

impl Side {
    /// Reads the `side` attribute; anything but `top` is the default, `bottom`.
    pub fn parse(value: &str) -> Side {
        if value.trim().eq_ignore_ascii_case("top") {
            Side::Top
        } else {
            Side::Bottom
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Bottom => "bottom",
            Side::Top => "top",
        }
    }
}

/// How Stop reaches the sign-out endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignOutMode {
    /// POST JSON with `fetch`, expect JSON back; errors show in the bar.
    #[default]
    Fetch,
    /// Submit a real HTML form POST and let the server answer with a redirect.
    Form,
}

impl SignOutMode {
    /// Reads the `sign-out-mode` attribute; anything but `form` is `fetch`.
    pub fn parse(value: &str) -> SignOutMode {
        if value.trim().eq_ignore_ascii_case("form") {
            SignOutMode::Form
        } else {
            SignOutMode::Fetch
        }
    }
}

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

/// Where the Stop flow is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum StopState {
    Ready,
    /// A request is in flight: further clicks send nothing.
    Pending,
    /// The last attempt failed with this message; Stop can be tried again.
    Failed(String),
    /// The impersonation is over; no Stop control any more.
    Ended,
}

/// The stylesheet shared by the component and the `<staff-bar>` element.
pub const STYLE: &str = include_str!("../style/staff-bar.css");

/// The Staff Bar. Place it once in the root layout; it renders nothing unless the
/// session has both a user and an impersonator.
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
    /// Where to GET the session JSON, when `session` is not given.
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
    /// The words of the bar; English by default.
    #[prop(optional, into)]
    strings: MaybeProp<Strings>,
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
    #[prop(optional, into)] on_minimize: Option<Callback<()>>,
    #[prop(optional, into)] on_restore: Option<Callback<()>>,
) -> impl IntoView {
    let (fetched, set_fetched) = signal(None::<Session>);
    let current: Signal<Option<Session>> = match session {
        Some(given) => given,
        None => {
            if let Some(url) = session_url {
                // Effects run only in the browser, so SSR never makes this request.
                Effect::new(move |_| {
                    let url = url.clone();
                    spawn_local(async move {
                        match browser::fetch_session(&url).await {
                            SessionAnswer::Impersonating(session) => set_fetched.set(Some(*session)),
                            SessionAnswer::NotImpersonating => set_fetched.set(None),
                            SessionAnswer::Failed(message) => {
                                browser::warn(&message);
                                set_fetched.set(None);
                            }
                        }
                    });
                });
            }
            fetched.into()
        }
    };

    let minimized = RwSignal::new(false);
    let stop_state = RwSignal::new(StopState::Ready);
    let stop_action = StoredValue::new_local(stop_action);
    let root_ref = NodeRef::<leptos::html::Div>::new();
    let minimize_ref = NodeRef::<leptos::html::Button>::new();
    let restore_ref = NodeRef::<leptos::html::Button>::new();

    let ended = move || stop_state.with(|state| *state == StopState::Ended);
    let pending = move || stop_state.with(|state| *state == StopState::Pending);

    Effect::new(move |_| {
        if let Some(root) = root_ref.get() {
            browser::adopt_styles(&root);
        }
    });
    // Through the CSSOM rather than a style attribute, which a strict CSP refuses.
    Effect::new(move |_| {
        let z = z_index.get();
        if let Some(root) = root_ref.get() {
            browser::set_z_index(&root, z);
        }
    });
    Effect::new(move |_| {
        let active = current.with(Option::is_some) && !ended();
        browser::set_impersonating_flag(active);
    });
    on_cleanup(|| browser::set_impersonating_flag(false));

    let stop = move |_| {
        if pending() || ended() {
            return;
        }
        if let Some(on_stop) = on_stop {
            if !on_stop.run(()) {
                return;
            }
        }
        stop_state.set(StopState::Pending);
        let return_to =
            return_to.get_untracked().and_then(|path| match sign_out::validate_return_to(&path) {
                Ok(_) => Some(path),
                Err(refusal) => {
                    browser::error(refusal.message());
                    None
                }
            });
        let endpoint = sign_out_url.get_untracked().filter(|url| !url.is_empty());
        let token = csrf_token.get_untracked().or_else(browser::csrf_from_meta);
        let action = stop_action.get_value();
        if action.is_none() && sign_out_mode.get_untracked() == Some(SignOutMode::Form) {
            if let Some(url) = endpoint {
                let field = csrf_field.get_untracked().unwrap_or_else(|| "csrf_token".into());
                let mut fields = Vec::new();
                if let Some(path) = return_to {
                    fields.push(("return_to".to_owned(), path));
                }
                if let Some(token) = token {
                    fields.push((field, token));
                }
                // The page navigates away with the server's redirect.
                browser::submit_form(&url, &fields);
                return;
            }
        }
        let csrf = token.map(|token| {
            let header = csrf_header.get_untracked().unwrap_or_else(|| "X-CSRF-Token".into());
            (header, token)
        });
        spawn_local(async move {
            let outcome = match action {
                Some(action) => action.run().await.map_err(SignOutError::Action),
                None => sign_out_with_fetch(endpoint, return_to, csrf).await.map(Some),
            };
            match outcome {
                Ok(destination) => {
                    stop_state.set(StopState::Ended);
                    if let Some(url) = destination {
                        if let Some(callback) = on_signed_out {
                            callback.run(url.clone());
                        }
                        browser::navigate(&url);
                    }
                }
                Err(error) => {
                    let message = error.message();
                    browser::error(&message);
                    if let Some(callback) = on_error {
                        callback.run(message.clone());
                    }
                    stop_state.set(StopState::Failed(message));
                }
            }
        });
    };

    let minimize = move |_| {
        minimized.set(true);
        if let Some(callback) = on_minimize {
            callback.run(());
        }
        // The focused control just became inert: keep keyboard users where they were.
        request_animation_frame(move || {
            if let Some(button) = restore_ref.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    let restore = move |_| {
        minimized.set(false);
        if let Some(callback) = on_restore {
            callback.run(());
        }
        request_animation_frame(move || {
            if let Some(button) = minimize_ref.get_untracked() {
                let _ = button.focus();
            }
        });
    };

    let root_class = move || {
        let mut classes = String::from("staff-bar");
        if let Some(extra) = class.get() {
            classes.push(' ');
            classes.push_str(&extra);
        }
        classes
    };
    // On the server the z-index goes into the markup; in the browser an effect sets it.
    let root_style = move || {
        let extra = style.get();
        if !cfg!(feature = "ssr") {
            return extra;
        }
        let mut css = String::from("z-index:");
        push_integer(&mut css, z_index.get().unwrap_or(9999));
        if let Some(extra) = extra {
            css.push(';');
            css.push_str(&extra);
        }
        Some(css)
    };

    move || {
        let session = current.get()?;
        let strings = strings.get().unwrap_or_default();
        let user = session.user.email.clone();
        let organization = session.organization_name().map(str::to_owned);
        Some(view! {
            <div
                node_ref=root_ref
                class=root_class
                style=root_style
                role="region"
                aria-label=strings.region
                data-side=move || side.get().unwrap_or_default().as_str()
                data-minimized=move || minimized.get().then_some("")
                data-state=move || stop_state.with(|state| match state {
                    StopState::Ready => "ready",
                    StopState::Pending => "pending",
                    StopState::Failed(_) => "failed",
                    StopState::Ended => "ended",
                })
            >
                {inline_style()}
                <div part="frame" class="sb-frame" aria-hidden="true"></div>
                <div part="bar" class="sb-bar" inert=move || minimized.get()>
                    {move || {
                        if ended() {
                            Either::Left(view! {
                                <p part="ended" class="sb-message">{strings.ended}</p>
                            })
                        } else {
                            Either::Right(view! {
                                <p part="message" class="sb-message">
                                    {strings.impersonating}
                                    <strong part="user" class="sb-strong">{user.clone()}</strong>
                                    {organization.clone().map(|name| view! {
                                        {strings.within}
                                        <strong part="organization" class="sb-strong">{name}</strong>
                                        {strings.organization_suffix}
                                    })}
                                </p>
                                <button
                                    part="stop"
                                    type="button"
                                    class="sb-button sb-stop"
                                    aria-disabled=move || pending().then_some("true")
                                    on:click=stop
                                >
                                    {move || if pending() { strings.stopping } else { strings.stop }}
                                </button>
                            })
                        }
                    }}
                    <button
                        node_ref=minimize_ref
                        part="minimize"
                        type="button"
                        class="sb-button sb-minimize"
                        aria-label=strings.minimize
                        title=strings.minimize
                        on:click=minimize
                    >
                        <span aria-hidden="true">"\u{2212}"</span>
                    </button>
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
                    aria-label=strings.restore
                    title=strings.restore
                    hidden=move || !minimized.get()
                    on:click=restore
                >
                    <span aria-hidden="true">"\u{25B4}"</span>
                </button>
            </div>
        })
    }
}

async fn sign_out_with_fetch(
    endpoint: Option<String>,
    return_to: Option<String>,
    csrf: Option<(String, String)>,
) -> Result<String, SignOutError> {
    let endpoint = endpoint.filter(|url| !url.is_empty()).ok_or(SignOutError::NoEndpoint)?;
    let body = sign_out::request_body(return_to.as_deref());
    let (status, text) = browser::post_sign_out(&endpoint, body, csrf).await?;
    sign_out::destination(status, &text, return_to.as_deref())
}

fn push_integer(out: &mut String, value: i32) {
    if value < 0 {
        out.push('-');
    }
    push_decimal(out, u64::from(value.unsigned_abs()));
}

/// Server-rendered pages carry the stylesheet inline so the bar is styled before
/// hydration; in the browser the same sheet is adopted instead (see `browser`).
#[cfg(any(feature = "ssr", feature = "hydrate"))]
fn inline_style() -> impl IntoView {
    view! { <style>{STYLE}</style> }
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn inline_style() -> impl IntoView {}
