//! The impersonation as app state: `provide_impersonation()` at the root of a Leptos
//! app, `use_impersonation()` anywhere below it, so views can redact or disable
//! sensitive controls while someone is impersonated.

use leptos::prelude::*;

use crate::session::Session;

/// Written by `<Impersonation/>`, read by the app.
#[derive(Clone, Copy)]
struct ImpersonationContext {
    current: RwSignal<Option<Session>>,
}

/// Makes the current impersonation available to [`use_impersonation`]. Call it once
/// in the root component, above `<Impersonation/>` and the views that read it.
pub fn provide_impersonation() -> Signal<Option<Session>> {
    let current = RwSignal::new(None);
    provide_context(ImpersonationContext { current });
    current.into()
}

/// The impersonation the bar is showing (the real one, or the dev preview), or
/// `None`. Without [`provide_impersonation`] above it, always `None`.
pub fn use_impersonation() -> Signal<Option<Session>> {
    match use_context::<ImpersonationContext>() {
        Some(context) => context.current.into(),
        None => Signal::stored(None),
    }
}

/// For the component: where to publish what it shows, if the app asked for it.
pub(crate) fn publisher() -> Option<RwSignal<Option<Session>>> {
    use_context::<ImpersonationContext>().map(|context| context.current)
}
