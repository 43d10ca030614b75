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
//! The parsing and decision code ([`session`], [`token`], [`sign_out`], [`time`],
//! [`strings`]) is plain Rust with no browser in sight. [`bar`] is the live bar in the
//! browser, drawing the markup of [`view`] through [`markup`]; [`browser`] and [`tabs`]
//! are the thin glue to the page. The component is a Leptos face on a [`Bar`], and the
//! `<staff-bar>` element another. Without the default `component` feature the crate has
//! no Leptos at all, which is how the element's core is built.

pub mod bar;
pub mod browser;
#[cfg(feature = "component")]
mod component;
#[cfg(feature = "component")]
mod context;
pub mod markup;
pub mod tabs;
pub mod view;

use staff_bar_core::{json, preview, refresh, session, settings, sign_out, strings, time};

pub use bar::{Bar, Notice};
#[cfg(feature = "component")]
pub use bar::{StopAction, StopDestination};
#[cfg(feature = "component")]
pub use component::{Impersonation, ImpersonationProps};
#[cfg(feature = "component")]
pub use context::{provide_impersonation, provide_impersonation_from, use_impersonation};
pub use staff_bar_core::{Impersonator, Organization, Reading, Session, SessionError, User};
pub use staff_bar_core::{Settings, Side, SignOutMode, Strings, MINIMIZE_SHORTCUT, PREVIEW_SHORTCUT};

/// The stylesheet shared by the component and the `<staff-bar>` element.
/// Minified from `style/staff-bar.css` by `build.rs`.
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/staff-bar.min.css"));
