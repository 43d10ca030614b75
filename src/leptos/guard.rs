//! `<NotWhileImpersonating>`: a sensitive view that is not rendered while someone is
//! impersonated, decided on the server and the same on hydrate.

use leptos::prelude::*;
use staff_bar_core::redact::NOT_WHILE_IMPERSONATING;

use super::context::use_impersonation;

/// Renders its children only while nobody is impersonating; otherwise `fallback` (by
/// default "Not available while impersonating."). It reads
/// [`use_impersonation`], so place it under [`provide_impersonation_from`]
/// (crate::provide_impersonation_from) fed by the app's session resource: the server
/// waits for that session and never renders the children of an impersonated request,
/// so nothing they would load (a `Resource`, a server function) is asked for or
/// serialized into the page, and hydration finds the same markup. While the session is
/// still loading in the browser, neither is shown.
///
/// This decides what is rendered. The server functions behind the children must
/// refuse too ([`redact::refuse_while_impersonating`](crate::redact::refuse_while_impersonating)):
/// anyone can call them directly.
///
/// ```no_run
/// use leptos::prelude::*;
/// use staff_bar::NotWhileImpersonating;
///
/// #[component]
/// fn Security() -> impl IntoView {
///     view! {
///         <NotWhileImpersonating>
///             <form>"Change password…"</form>
///         </NotWhileImpersonating>
///     }
/// }
/// ```
///
/// Generic over the children's view type, so nothing of it is compiled into an app
/// that does not place one (a view of its own in this crate would move code of the
/// bar's split chunk into every visitor's bundle; `make bench` showed 8 KB).
#[component]
pub fn NotWhileImpersonating<C>(
    /// Shown instead of the children while someone is impersonating.
    #[prop(optional, into)]
    fallback: Option<ViewFn>,
    children: TypedChildrenFn<C>,
) -> impl IntoView
where
    C: IntoView + 'static,
{
    let children = children.into_inner();
    let session = use_impersonation();
    let fallback = fallback.unwrap_or_else(|| {
        ViewFn::from(|| {
            view! { <p class="staff-bar-not-while-impersonating" role="status">{NOT_WHILE_IMPERSONATING}</p> }
        })
    });
    // The boundary makes the server wait for the session before it decides.
    view! {
        <Transition fallback=|| ()>
            {move || {
                if session.with(Option::is_none) {
                    children().into_any()
                } else {
                    fallback.run()
                }
            }}
        </Transition>
    }
}
