//! # staff-bar
//!
//! An impersonation Staff Bar for Leptos apps. While a support person is signed in
//! *as* one of the app's users, [`Impersonation`] draws a frame around the viewport
//! that nobody can miss, says who is impersonated, and offers a Stop control that ends
//! the session through the app's sign-out endpoint. It mirrors the `<Impersonation />`
//! helper of WorkOS's `authkit-nextjs`, including its `--workos-impersonation-*` CSS
//! variables, so a site themed for that helper looks the same.
//!
//! ```no_run
//! use leptos::prelude::*;
//! use staff_bar::Impersonation;
//!
//! #[component]
//! fn Layout(children: Children) -> impl IntoView {
//!     view! {
//!         <Impersonation session_url="/auth/session" sign_out_url="/auth/sign-out" />
//!         {children()}
//!     }
//! }
//! ```
//!
//! Layers (docs/architecture.md): every decision (the session JSON, tokens, time,
//! the sign-out contract, strings, the bar's state machine) is in `staff_bar_core`,
//! which never touches the browser. Here, `bar` feeds that machine from the page and
//! carries out its effects; `dom` is the glue to the page (HTTP, timers, listeners,
//! other tabs, the three markup writers); `view` is the markup, written once for the
//! DOM and for server-rendered HTML; `leptos` is the component. The `<staff-bar>`
//! element (crate `staff-bar-element`) is a second face on the same `Bar`; the
//! component never imports it. Without the default `component` feature the crate has
//! no Leptos at all, which is how the element's core is built.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod bar;
#[doc(hidden)]
pub mod dom;
mod effects;
#[cfg(feature = "component")]
mod leptos;
#[doc(hidden)]
pub mod view;

use staff_bar_core::{session, settings, sign_out};

#[doc(hidden)]
pub use bar::{Bar, Notice, Status};
#[cfg(feature = "component")]
pub use leptos::{
    provide_impersonation, provide_impersonation_from, use_impersonation, use_impersonation_state,
    Impersonation, ImpersonationProps, ImpersonationState, NotWhileImpersonating, NotWhileImpersonatingProps,
    StopAction, StopDestination,
};
/// The WorkOS dashboard's deep link to impersonating a user, for admin tools.
pub use staff_bar_core::deep_link;
#[doc(hidden)]
pub use staff_bar_core::machine::Answer;
/// Masking sensitive values and refusing sensitive views on the server while someone
/// is impersonating; [`NotWhileImpersonating`] is the Leptos view of it.
pub use staff_bar_core::redact;
pub use staff_bar_core::{
    Align, Impersonator, JsonError, JsonErrorKind, Organization, Reading, ReturnToError, Session,
    SessionError, Settings, Side, SignOutError, SignOutMode, Strings, Theme, TokenError, User,
    MINIMIZE_SHORTCUT, MOVE_SHORTCUTS, PREVIEW_SHORTCUT,
};

/// The stylesheet shared by the component and the `<staff-bar>` element.
/// Minified from `style/staff-bar.css` by `build.rs`.
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/staff-bar.min.css"));
