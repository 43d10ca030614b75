//! # staff-bar-core
//!
//! Everything staff-bar decides, with no browser in sight: the session JSON and its
//! parser ([`session`], [`json`], [`token`], [`time`]), the sign-out contract and the
//! return-to rule ([`sign_out`]), the bar's words ([`strings`]), how often a session is
//! asked for again ([`refresh`]), what a bar is set up with ([`settings`]) and the bar
//! itself as a pure state machine ([`machine`]): it is told what happened, with the
//! clock, the page's visibility and the stored flags passed in, and answers with what
//! to do. What a server leaves out while someone is impersonated is in [`redact`].
//!
//! The `staff-bar` crate is the browser side (fetch, timers, the DOM, Leptos) and
//! re-exports what a user needs from here. A server that only builds the session JSON
//! (the demo) or checks a return-to path depends on this crate alone, with no web-sys.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The modules marked `#[doc(hidden)]` are the bar's insides, public only because the
// `staff-bar` crate and the `<staff-bar>` element drive them: not part of the API, and
// free to change in any release.

pub mod deep_link;
#[doc(hidden)]
pub mod display;
mod error;
#[doc(hidden)]
pub mod json;
#[doc(hidden)]
pub mod machine;
#[doc(hidden)]
pub mod organization;
#[doc(hidden)]
pub mod preview;
pub mod redact;
#[doc(hidden)]
pub mod refresh;
pub mod session;
pub mod settings;
pub mod sign_out;
pub mod strings;
#[doc(hidden)]
pub mod time;
#[doc(hidden)]
pub mod token;
#[cfg(feature = "serde")]
mod wire;

pub use json::{JsonError, JsonErrorKind};
pub use session::{Impersonator, Organization, Reading, Session, SessionError, User};
pub use settings::{
    Align, Settings, Side, SignOutMode, Theme, MINIMIZE_SHORTCUT, MOVE_SHORTCUTS, PREVIEW_SHORTCUT,
};
pub use sign_out::{ReturnToError, SignOutError};
pub use strings::Strings;
pub use token::TokenError;
