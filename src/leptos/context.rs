//! The impersonation as app state: `provide_impersonation()` at the root of a Leptos
//! app, `use_impersonation()` anywhere below it, so views can redact or disable
//! sensitive controls while someone is impersonated.
//!
//! The answer has to be the same on the server, during hydration and after the bar
//! runs, or a disabled button would ship enabled and then flip. So until a bar in the
//! browser reports what it shows, the context reads the session the app handed to
//! `<Impersonation session=…/>` (which the server has too); after that, the bar's word.
//! Everything here is thread-safe arena storage: on a multi-threaded server the
//! request's owner may be cleaned up on another worker thread.

use leptos::prelude::*;

use crate::session::Session;

/// Shared by `<Impersonation/>` (the writer) and the app's views (the readers).
#[derive(Clone, Copy)]
struct ImpersonationContext {
    /// What a running bar shows; `None` until one has said anything.
    shown: RwSignal<Option<Option<Session>>>,
    /// The `session` prop of the component, read until a bar runs.
    given: RwSignal<Option<Signal<Option<Session>>>>,
}

impl ImpersonationContext {
    fn current(self) -> Option<Session> {
        match self.shown.get() {
            Some(shown) => shown,
            None => self.given.get().and_then(|given| given.get()),
        }
    }
}

/// Makes the current impersonation available to [`use_impersonation`] and returns it.
/// Call it once near the root, above `<Impersonation/>` and the views that read it.
/// Calling it again below (the server's shell and the hydrated app both calling it,
/// say) reuses the context above instead of hiding it.
pub fn provide_impersonation() -> Signal<Option<Session>> {
    if use_context::<ImpersonationContext>().is_none() {
        provide_context(ImpersonationContext { shown: RwSignal::new(None), given: RwSignal::new(None) });
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

/// For the component: reports the session it was given (if any), on the server and
/// in the browser alike, and forgets what an earlier bar said.
pub(crate) fn offer(session: Option<Signal<Option<Session>>>) {
    if let Some(context) = use_context::<ImpersonationContext>() {
        if session.is_some() {
            context.given.set(session);
        }
        context.shown.set(None);
    }
}

/// For the component's bar in the browser: where to report what it shows.
#[cfg_attr(feature = "ssr", allow(dead_code))]
pub(crate) fn publisher() -> Option<impl Fn(Option<Session>) + Copy> {
    use_context::<ImpersonationContext>().map(|context| {
        move |shown| {
            // Disposed with the app: nobody is left to tell.
            context.shown.try_set(Some(shown));
        }
    })
}
