//! The `<Impersonation/>` component: a host element and the props. The bar itself
//! (`super::bar`) is rendered into that host on the server, and in the browser only
//! once there is something to show: with the `split` feature that is when its chunk is
//! fetched, so an ordinary visitor's page never loads it.
//!
//! The host is `<div class="staff-bar-host">` (`display: contents`, so it takes no
//! space). The server renders the bar's view inside it; in the browser the app's own
//! hydration claims the host and leaves its contents to the bar, which hydrates them in
//! place as soon as its code is there.

use leptos::prelude::*;

use super::bar::{BarProps, Callbacks, SetupProps};
use super::StopAction;
use crate::session::Session;
use crate::settings::{Align, Side, SignOutMode, Theme};
use crate::Strings;

// The props of `Impersonation` and the builder `view!` sets them with, written out
// rather than left to `#[component]`: its type-checked builder of 28 optional props is
// 1 KB gzip of every visitor's bundle (docs/performance.md), where this one is a struct
// with its defaults and a small setter per prop. One list below makes both; each prop
// names its kind as `#[prop(…)]` would: `into`, `optional_into` and `optional` (the
// field an `Option` of the type given, the setter taking the type), or `plain`.
macro_rules! props {
    ($($(#[doc = $doc:literal])* $name:ident: $ty:ty => $kind:ident,)*) => {
        /// The props of [`Impersonation`], every one optional; `view!` sets them by name.
        #[derive(Default)]
        pub struct ImpersonationProps {
            $($(#[doc = $doc])* pub $name: props!(@field $kind $ty),)*
        }

        /// Sets the props of [`Impersonation`] one by one, as `view!` does.
        #[doc(hidden)]
        #[must_use]
        pub struct ImpersonationPropsBuilder(ImpersonationProps);

        #[doc(hidden)]
        impl ImpersonationPropsBuilder {
            $(props!(@setter $kind $name: $ty);)*

            pub fn build(self) -> ImpersonationProps {
                self.0
            }
        }
    };
    (@field optional_into $ty:ty) => { Option<$ty> };
    (@field optional $ty:ty) => { Option<$ty> };
    (@field $kind:ident $ty:ty) => { $ty };
    // Anything that converts, as Leptos's own props take it.
    (@setter into $name:ident: $ty:ty) => {
        pub fn $name<M>(mut self, value: impl IntoReactiveValue<$ty, M>) -> Self {
            self.0.$name = value.into_reactive_value();
            self
        }
    };
    (@setter optional_into $name:ident: $ty:ty) => {
        pub fn $name<M>(mut self, value: impl IntoReactiveValue<$ty, M>) -> Self {
            self.0.$name = Some(value.into_reactive_value());
            self
        }
    };
    (@setter optional $name:ident: $ty:ty) => {
        pub fn $name(mut self, value: $ty) -> Self {
            self.0.$name = Some(value);
            self
        }
    };
    (@setter plain $name:ident: $ty:ty) => {
        pub fn $name(mut self, value: $ty) -> Self {
            self.0.$name = value;
            self
        }
    };
}

props! {
    /// The session, when the app already has it (from an SSR loader or its own auth
    /// state). With it, no request is made. `None` inside means "not impersonating".
    session: Signal<Option<Session>> => optional_into,
    /// The session JSON as text (what [`Session::to_json`] writes, or any session JSON
    /// the `<staff-bar session>` attribute takes), when the app loads it itself: the
    /// lighter way for a server function's answer. With `split`, the bar reads it in
    /// its own chunk, so an app that never reads the session itself keeps the session
    /// reader out of every visitor's bundle (about 9 KB gzip; docs/performance.md).
    /// `None` inside means "not impersonating"; text that is not a session warns on
    /// the console and shows nothing. `session` wins when both are given.
    session_json: Signal<Option<String>> => optional_into,
    /// The session the page is rendered for, as the server reads it from the request
    /// (its cookie, a sealed session), in an SSR app; `None` in the browser. The server
    /// renders the bar with it and writes it into the bar's host (`data-session`), and
    /// the browser takes it from there: no server function, no `Resource`, no
    /// `<Transition>` and no session reader in the app's main bundle, the lightest way
    /// for an app's visitors (docs/performance.md). The session then holds for the page's
    /// life (an impersonation starts and ends with a full page load; the bar handles
    /// its expiry and Stop). The other three sources win when given.
    server_session: Option<Session> => plain,
    /// Where to GET the session JSON, when neither `session` nor `session_json` is
    /// given. The bar refreshes it every minute and when the page becomes visible or
    /// the network returns; a new URL is asked at once.
    session_url: MaybeProp<String> => into,
    /// The app's sign-out endpoint; Stop POSTs `{"returnTo": …}` to it as JSON.
    sign_out_url: MaybeProp<String> => into,
    /// Where to land after sign-out: a same-origin path, anything else is refused.
    return_to: MaybeProp<String> => into,
    /// The CSRF token; by default the `content` of `<meta name="csrf-token">`.
    csrf_token: MaybeProp<String> => into,
    /// The header the CSRF token is sent in (`fetch` mode); `X-CSRF-Token` by default.
    csrf_header: MaybeProp<String> => into,
    /// The form field the CSRF token is sent in (`form` mode); `csrf_token` by default.
    csrf_field: MaybeProp<String> => into,
    /// `fetch` (default): POST JSON and show errors inline; `form`: a real form POST.
    sign_out_mode: MaybeProp<SignOutMode> => into,
    /// The edge the tab is attached to; `bottom` by default.
    side: MaybeProp<Side> => into,
    /// Where along its edge the tab stands: `Center` by default, as in authkit-nextjs.
    align: MaybeProp<Align> => into,
    /// `Light` (default, authkit-nextjs's colours), `Dark`, or `Auto` (as the page's
    /// `prefers-color-scheme` says). The `--workos-impersonation-*` variables still win.
    theme: MaybeProp<Theme> => into,
    /// The stacking order; 9999 by default, as in authkit-nextjs.
    z_index: MaybeProp<i32> => into,
    /// Where to look up the organization's name when the session has only its id, as
    /// authkit-nextjs asks `getOrganization`: a GET answered with `{"id", "name"}`
    /// (`{id}` in the URL is replaced by the id, else `?id=` is added). Asked once per
    /// id, again when the id changes; in the browser only.
    organization_url: MaybeProp<String> => into,
    /// Extra classes on the root element.
    class: MaybeProp<String> => into,
    /// Extra inline style on the root element, e.g. `--workos-impersonation-size: 8px`.
    style: MaybeProp<String> => into,
    /// The words of the bar; by default the built-in table for `lang`.
    strings: MaybeProp<Strings> => into,
    /// The language of the built-in words (`en`, `de`, `fr`, `es`, `ja`). By default
    /// the page's `<html lang>` in the browser and English on the server, so a
    /// non-English SSR page passes it to hydrate in place instead of rebuilding.
    lang: MaybeProp<String> => into,
    /// The dev preview: `true` shows the bar with sample data and no network, and
    /// enables the Alt+Shift+P shortcut. Only in debug builds, unless `force_preview`.
    preview: MaybeProp<bool> => into,
    /// Allows `preview` in release builds (the `<staff-bar preview>` attribute does). In
    /// a release build the bar's code then loads on every page, to follow the prop.
    force_preview: bool => plain,
    /// Ends the impersonation the app's own way instead of the POST to `sign_out_url`.
    stop_action: StopAction => optional,
    /// Called before Stop sends anything; return `false` to cancel.
    on_stop: Callback<(), bool> => optional_into,
    /// Called with the destination once sign-out succeeded, just before navigating.
    on_signed_out: Callback<String> => optional_into,
    /// Called with the message when Stop failed.
    on_error: Callback<String> => optional_into,
    /// Called when the bar is minimized (here, by shortcut, or from another tab).
    on_minimize: Callback<()> => optional_into,
    /// Called when the bar is restored.
    on_restore: Callback<()> => optional_into,
    /// Called when the impersonation reaches its `expiresAt`.
    on_expired: Callback<()> => optional_into,
    /// The app's own message, shown in the bar in place of "You are impersonating …"
    /// (read the session with [`use_impersonation`](crate::use_impersonation)). Stop,
    /// the impersonator line, the countdown and the tab stay the bar's.
    children: ChildrenFn => optional,
}

impl Props for ImpersonationProps {
    type Builder = ImpersonationPropsBuilder;

    fn builder() -> Self::Builder {
        ImpersonationPropsBuilder(Self::default())
    }
}

impl ImpersonationProps {
    /// Every prop at its default, to be set one by one (what `view!` does).
    pub fn builder() -> ImpersonationPropsBuilder {
        <Self as Props>::builder()
    }
}

/// The Staff Bar. Place it once in the root layout; it renders nothing unless the
/// session has both a user and an impersonator (or the dev preview is on). Its props,
/// every one optional, are the fields of [`ImpersonationProps`].
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
#[allow(non_snake_case)]
pub fn Impersonation(props: ImpersonationProps) -> impl IntoView {
    // As `#[component]` does: what the body reads never subscribes the view placing it.
    untrack(move || {
        // The preview is a development aid: in a release build without `force_preview` the
        // prop is dropped here, so nothing downstream ever sees it.
        let force_preview = props.force_preview;
        let preview =
            if cfg!(debug_assertions) || force_preview { props.preview } else { MaybeProp::default() };
        let callbacks = Callbacks {
            on_stop: props.on_stop,
            on_signed_out: props.on_signed_out,
            on_error: props.on_error,
            on_minimize: props.on_minimize,
            on_restore: props.on_restore,
            on_expired: props.on_expired,
        };
        let setup = SetupProps {
            sign_out_url: props.sign_out_url,
            return_to: props.return_to,
            csrf_token: props.csrf_token,
            csrf_header: props.csrf_header,
            csrf_field: props.csrf_field,
            sign_out_mode: props.sign_out_mode,
            side: props.side,
            align: props.align,
            theme: props.theme,
            z_index: props.z_index,
            organization_url: props.organization_url,
            class: props.class,
            style: props.style,
            strings: props.strings,
            lang: props.lang,
            preview,
        };
        let server_session = props.server_session;
        let bar = BarProps {
            session: props.session,
            session_json: props.session_json,
            session_url: props.session_url,
            setup,
            stop_action: props.stop_action,
            callbacks,
            children: props.children,
        };
        #[cfg(feature = "ssr")]
        {
            server_host(bar, server_session)
        }
        #[cfg(not(feature = "ssr"))]
        {
            // The browser takes the server's session from the host it rendered.
            drop(server_session);
            browser_host(bar, force_preview)
        }
    })
}

/// On the server the bar renders right here, inside its host; with `split`, a page that
/// shows an impersonation also asks for the bar's chunk (a modulepreload link).
/// A `server_session` (when no other source is given) is written into the host, for
/// the browser to take over.
#[cfg(feature = "ssr")]
fn server_host(mut props: BarProps, server_session: Option<Session>) -> AnyView {
    let mut carried = None;
    if props.takes_carried_session() {
        carried = server_session.as_ref().map(Session::to_json);
        props.session = Some(Signal::stored(server_session));
    }
    #[cfg(feature = "split")]
    if props.session.is_some_and(|session| session.with_untracked(Option::is_some))
        || props.session_json.is_some_and(|json| json.with_untracked(Option::is_some))
    {
        leptos::prefetch_lazy_fn_on_server(super::bar::CHUNK);
    }
    let bar = super::bar::render(props, true);
    // Erased: the bar's view type is deep, and an app's own view types nest it further
    // (the compiler's recursion limit, in an islands app).
    view! { <div class="staff-bar-host" data-session=carried>{bar}</div> }.into_any()
}

/// In the browser the host's contents are the bar's, not the app's hydration's (an
/// element with `inner_html` has no children to hydrate). This is all of the component
/// an ordinary visitor's bundle holds with `split`: it reads whether there is anything
/// to show, and only then loads the bar (its chunk) and hands it the props.
#[cfg(not(feature = "ssr"))]
fn browser_host(props: BarProps, force_preview: bool) -> impl IntoView {
    use super::bar::mount_bar;

    // Weak: the effect below lives in this owner, and a strong reference from it would
    // keep the owner (and the bar) alive forever.
    let owner = Owner::current().unwrap_or_default().downgrade();
    let host = NodeRef::<leptos::html::Div>::new();
    let BarProps { session, session_json, session_url, setup, .. } = &props;
    let (session, session_json, session_url, preview) =
        (*session, *session_json, *session_url, setup.preview);
    // A release build has a preview only with `force_preview`, and such an app's bar then
    // comes on every page (it follows the prop there): every other release build keeps
    // the reading of the preview out of its visitors' bundle (740 B gzip).
    let preview_wanted =
        move || if cfg!(debug_assertions) { preview.with(Option::is_some) } else { force_preview };
    // A host the server rendered with a `server_session` carries it.
    let wanted = move |element: &web_sys::HtmlDivElement| {
        let has_source = match (session, session_json) {
            (Some(session), _) => session.with(Option::is_some),
            (None, Some(json)) => json.with(Option::is_some),
            (None, None) => session_url.with(Option::is_some) || element.has_attribute(CARRIED_SESSION),
        };
        has_source || preview_wanted()
    };
    // The effect's value says whether the bar was asked for; once it was, the effect
    // reads nothing more and never runs again.
    Effect::new(move |asked: Option<bool>| {
        if asked == Some(true) {
            return true;
        }
        let Some(element) = host.get() else { return false };
        if !wanted(&element) {
            return false;
        }
        let (owner, props) = (owner.clone(), props.clone());
        leptos::task::spawn_local(async move {
            // Until the bar's code is there, the server's bar (if any) stays as it is.
            let mut retry_ms = FIRST_RETRY_MS;
            let bar = loop {
                let Some(parent) = owner.upgrade() else { return };
                let bar = mount_bar(element.clone(), parent, props.clone());
                #[cfg(all(feature = "split", target_family = "wasm"))]
                let bar = bar.await;
                match bar {
                    Ok(bar) => break bar,
                    Err(_) => {
                        crate::dom::warn("staff-bar: the bar's code did not load; trying again");
                        after(retry_ms).await;
                        retry_ms = retry_ms.saturating_mul(2).min(LAST_RETRY_MS);
                    }
                }
            };
            // Kept as long as the component: its owner's cleanup unmounts it. A component
            // already gone while the chunk loaded (its node ref disposed) drops it at once.
            let alive = host.try_with_untracked(|_| ()).is_some();
            if let (true, Some(owner)) = (alive, owner.upgrade()) {
                let bar = send_wrapper::SendWrapper::new(bar);
                owner.with(|| on_cleanup(move || drop(bar)));
            }
        });
        true
    });
    view! { <div class="staff-bar-host" node_ref=host inner_html=""></div> }
}

/// The host's attribute that carries a `server_session` to the browser, as session JSON.
pub(crate) const CARRIED_SESSION: &str = "data-session";

/// The wait before loading the bar's code again after it failed, doubling up to the last.
#[cfg(not(feature = "ssr"))]
const FIRST_RETRY_MS: u32 = 1_000;
#[cfg(not(feature = "ssr"))]
const LAST_RETRY_MS: u32 = 60_000;

/// Resolves after `ms` on the page's timer (one clock for all the bar waits on).
#[cfg(not(feature = "ssr"))]
async fn after(ms: u32) {
    let (done, waited) = futures_channel::oneshot::channel::<()>();
    let timer = set_timeout_with_handle(
        move || {
            let _ = done.send(());
        },
        std::time::Duration::from_millis(u64::from(ms)),
    );
    if timer.is_ok() {
        let _ = waited.await;
    }
}
