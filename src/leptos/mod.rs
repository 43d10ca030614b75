//! The Leptos face: the `<Impersonation/>` component, the context that lets views
//! below it ask who is impersonated, and [`StopAction`]. It runs the same [`Bar`](crate::Bar) as
//! the `<staff-bar>` element and never reaches into the element.

mod component;
mod context;
mod stop_action;

pub use component::{Impersonation, ImpersonationProps};
pub use context::{provide_impersonation, provide_impersonation_from, use_impersonation};
pub use stop_action::{StopAction, StopDestination};
