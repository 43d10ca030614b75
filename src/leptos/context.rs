//! The impersonation as app state: `provide_impersonation()` at the root of a Leptos
//! app, then anywhere below it `use_impersonation()` (who is impersonated) or
//! `use_impersonation_state()` (the live bar: time left, warning, ended, minimized,
//! Stop's progress, and `stop()` for the app's own menu).
//!
//! The answer has to be the same on the server, during hydration and after the bar
//! runs, or a disabled button would ship enabled and then flip. So until a bar in the
//! browser reports what it shows, the context reads the session the app handed to
//! `<Impersonation session=…/>` (which the server has too); after that, the bar's word.
//! Everything here is thread-safe arena storage: on a multi-threaded server the
//! request's owner may be cleaned up on another worker thread.

use leptos::prelude::*;
use staff_bar_core::machine::Input;

use super::driver::{with_driver, DriverSlot};
use crate::session::Session;
use crate::view::{Scene, StopState};

/// Shared by `<Impersonation/>` (the writer) and the app's views (the readers).
#[derive(Clone, Copy)]
struct ImpersonationContext {
    /// What a running bar shows as live; `None` until one has said anything.
    shown: RwSignal<Option<Option<Session>>>,
    /// The `session` prop of the component, read until a bar runs.
    given: RwSignal<Option<Signal<Option<Session>>>>,
    /// The scene of the bar placed last, and where its driver is.
    bar: RwSignal<Option<(Memo<Option<Scene>>, DriverSlot)>>,
}

impl ImpersonationContext {
    fn current(self) -> Option<Session> {
        match self.shown.get() {
            Some(shown) => shown,
            None => self.given.get().and_then(|given| given.get()),
        }
    }
}

/// Makes the current impersonation available to [`use_impersonation`] and
/// [`use_impersonation_state`], and returns it. Call it once near the root, above
/// `<Impersonation/>` and the views that read it. Calling it again below (the server's
/// shell and the hydrated app both calling it, say) reuses the context above.
pub fn provide_impersonation() -> Signal<Option<Session>> {
    if use_context::<ImpersonationContext>().is_none() {
        provide_context(ImpersonationContext {
            shown: RwSignal::new(None),
            given: RwSignal::new(None),
            bar: RwSignal::new(None),
        });
    }
    use_impersonation()
}

/// [`provide_impersonation`] for an app that loads the session itself (a `Resource`
/// fed by a server function, say): views that ask [`use_impersonation`] read
/// `session` until a bar runs, so a boundary (`<Suspense>`, `<Transition>`) around
/// them waits for it on the server and their HTML is right from the first byte.
pub fn provide_impersonation_from(session: impl Into<Signal<Option<Session>>>) -> Signal<Option<Session>> {
    let current = provide_impersonation();
    if let Some(context) = use_context::<ImpersonationContext>() {
        context.given.set(Some(session.into()));
    }
    current
}

/// The impersonation the bar is showing (the real one, or the dev preview), or
/// `None`. Without [`provide_impersonation`] above it, always `None`.
pub fn use_impersonation() -> Signal<Option<Session>> {
    match use_context::<ImpersonationContext>() {
        Some(context) => Signal::derive(move || context.current()),
        None => Signal::stored(None),
    }
}

/// The live state of the bar placed under [`provide_impersonation`], for the app's own
/// UI: a "Stop impersonating" item in its account menu, a countdown in its header.
/// Every getter is reactive; without a provider or a bar it reads as "nobody is
/// impersonated" and the commands do nothing.
///
/// ```no_run
/// use leptos::prelude::*;
/// use staff_bar::use_impersonation_state;
///
/// #[component]
/// fn AccountMenu() -> impl IntoView {
///     let state = use_impersonation_state();
///     view! {
///         <Show when=move || state.session().get().is_some()>
///             <button on:click=move |_| state.stop() disabled=move || state.stopping()>
///                 "Stop impersonating"
///             </button>
///         </Show>
///     }
/// }
/// ```
#[derive(Clone, Copy)]
pub struct ImpersonationState {
    session: Signal<Option<Session>>,
    context: Option<ImpersonationContext>,
}

/// See [`ImpersonationState`].
pub fn use_impersonation_state() -> ImpersonationState {
    ImpersonationState { session: use_impersonation(), context: use_context::<ImpersonationContext>() }
}

impl ImpersonationState {
    /// Who is impersonated, as [`use_impersonation`] says.
    pub fn session(&self) -> Signal<Option<Session>> {
        self.session
    }

    /// Whole seconds until the impersonation's `expiresAt`, moving with the bar's
    /// countdown (by the minute far from the end, by the second in the last minute);
    /// `None` without an expiry, before the bar runs, or once it ended.
    pub fn time_left(&self) -> Option<i64> {
        self.scene(|scene| scene.seconds_left).flatten()
    }

    /// The countdown is in its last minutes (the bar's warning colours are on).
    pub fn warning(&self) -> bool {
        self.scene(|scene| scene.warning).unwrap_or(false)
    }

    /// The impersonation is over (stopped here or in another tab, or expired) and the
    /// bar says so.
    pub fn ended(&self) -> bool {
        self.scene(|scene| scene.stop == StopState::Ended).unwrap_or(false)
    }

    /// The bar is folded into its tab.
    pub fn minimized(&self) -> bool {
        self.scene(|scene| scene.minimized).unwrap_or(false)
    }

    /// A Stop is on its way.
    pub fn stopping(&self) -> bool {
        self.scene(|scene| scene.stop == StopState::Pending).unwrap_or(false)
    }

    /// The message of the last failed Stop, while the bar shows it.
    pub fn error(&self) -> Option<String> {
        self.scene(|scene| match &scene.stop {
            StopState::Failed(message) => Some(message.clone()),
            _ => None,
        })
        .flatten()
    }

    /// Stops the impersonation exactly as the bar's Stop button does: `on_stop` may
    /// cancel it, the bar shows it pending and any error, and every tab follows.
    pub fn stop(&self) {
        self.send(Input::StopPressed);
    }

    /// Folds the bar into its tab (remembered for this impersonation, in every tab).
    pub fn minimize(&self) {
        self.send(Input::MinimizePressed);
    }

    /// Unfolds the bar.
    pub fn restore(&self) {
        self.send(Input::RestorePressed);
    }

    fn scene<T>(&self, read: impl FnOnce(&Scene) -> T) -> Option<T> {
        let (scene, _) = self.context?.bar.get()?;
        scene.with(|scene| scene.as_ref().map(read))
    }

    fn send(&self, input: Input) {
        let Some(context) = self.context else { return };
        if let Some((_, driver)) = context.bar.get_untracked() {
            with_driver(driver, |driver| driver.feed(input, None));
        }
    }
}

/// For the component: reports the session it was given (if any) and its bar, on the
/// server and in the browser alike, and forgets what an earlier bar said.
pub(crate) fn offer(
    session: Option<Signal<Option<Session>>>,
    scene: Memo<Option<Scene>>,
    driver: DriverSlot,
) {
    if let Some(context) = use_context::<ImpersonationContext>() {
        if session.is_some() {
            context.given.set(session);
        }
        context.shown.set(None);
        context.bar.set(Some((scene, driver)));
    }
}

/// For the component's bar in the browser: where to report the live impersonation.
#[cfg_attr(feature = "ssr", allow(dead_code))]
pub(crate) fn publisher() -> Option<impl Fn(Option<Session>) + Copy> {
    use_context::<ImpersonationContext>().map(|context| {
        move |shown| {
            // Disposed with the app: nobody is left to tell.
            context.shown.try_set(Some(shown));
        }
    })
}
