//! The Leptos face: the `<Impersonation/>` component (a Leptos view of the bar's
//! state machine), the context that lets views below it read and act on the
//! impersonation, and [`StopAction`]. It never reaches into the `<staff-bar>` element.

mod bar;
mod bar_view;
mod component;
mod context;
mod driver;
mod guard;
mod stop_action;

pub use component::{Impersonation, ImpersonationProps};
pub use context::{
    provide_impersonation, provide_impersonation_from, use_impersonation, use_impersonation_state,
    ImpersonationState,
};
pub use guard::{NotWhileImpersonating, NotWhileImpersonatingProps};
pub use stop_action::{StopAction, StopDestination};
