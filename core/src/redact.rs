//! Restricting and redacting while someone is impersonated, decided on the server.
//!
//! A blur over `html[data-impersonating] .redact` hides nothing from view-source, and
//! the attribute is gone whenever the bar is. What must stay private has to be left
//! out of what the server sends: a masked value in place of a sensitive one, and a
//! refusal in place of a sensitive view. These helpers make that decision from the
//! same [`Session`] the bar shows, so any Rust server (axum, Leptos server functions)
//! says it the same way.
//!
//! ```
//! use staff_bar_core::redact::{mask, Redacted};
//! # use staff_bar_core::{Impersonator, Session, User};
//! # let session = Session::new(User::new("bob@example.com"), Impersonator::new("ada@support.test"));
//! assert_eq!(mask("4242 4242 4242 4242", 4), "•••• •••• •••• 4242");
//! // A staff member acting as the user gets the mask; the user gets the value.
//! let card = Redacted::new("4242 4242 4242 4242").keep_last(4);
//! assert_eq!(card.for_viewer(Some(&session)), "•••• •••• •••• 4242");
//! assert_eq!(card.for_viewer(None), "4242 4242 4242 4242");
//! ```

use std::borrow::Cow;

use crate::Session;

/// What stands for a hidden character.
pub const MASK_CHAR: char = '•';

/// Is someone impersonating? A [`Session`] always is (it has an impersonator); the
/// app passes `None` for anyone else, as it does to the bar.
pub fn impersonating(session: Option<&Session>) -> bool {
    session.is_some()
}

/// `value` with every letter and digit masked except the last `keep` of them.
/// Separators (spaces, dashes, dots, `@`) stay, so a card number or a tax id keeps its
/// shape and the user can still tell which one it is.
pub fn mask(value: &str, keep: usize) -> String {
    let hidden = value.chars().filter(|c| c.is_alphanumeric()).count().saturating_sub(keep);
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= hidden {
                MASK_CHAR
            } else {
                c
            }
        })
        .collect()
}

/// A sensitive value and how it is shown while impersonating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redacted<'a> {
    value: Cow<'a, str>,
    keep: usize,
}

impl<'a> Redacted<'a> {
    /// A value masked whole while impersonating (see [`Redacted::keep_last`]).
    pub fn new(value: impl Into<Cow<'a, str>>) -> Self {
        Redacted { value: value.into(), keep: 0 }
    }

    /// Leaves the last `keep` letters and digits readable in the mask.
    pub fn keep_last(mut self, keep: usize) -> Self {
        self.keep = keep;
        self
    }

    /// The value as it may leave the server for this viewer: whole unless `session`
    /// is an impersonation, masked then.
    pub fn for_viewer(&self, session: Option<&Session>) -> Cow<'_, str> {
        if impersonating(session) {
            Cow::Owned(mask(&self.value, self.keep))
        } else {
            Cow::Borrowed(&self.value)
        }
    }
}

/// The answer to a sensitive view or server function while impersonating: the words a
/// page shows, and that an API returns as its error.
pub const NOT_WHILE_IMPERSONATING: &str = "Not available while impersonating.";

/// `Err(NOT_WHILE_IMPERSONATING)` while someone is impersonating, so a handler or a
/// server function can refuse with `?` before it reads anything sensitive.
pub fn refuse_while_impersonating(session: Option<&Session>) -> Result<(), &'static str> {
    if impersonating(session) {
        Err(NOT_WHILE_IMPERSONATING)
    } else {
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::{Impersonator, User};

    fn session() -> Session {
        Session {
            user: User { id: None, email: "bob@example.com".into(), first_name: None, last_name: None },
            impersonator: Impersonator { email: "ada@support.test".into(), reason: None },
            organization: None,
            session_id: None,
            expires_at: None,
            server_time: None,
        }
    }

    #[test]
    fn masks_keep_the_shape_and_the_last_characters() {
        assert_eq!(mask("123-45-6789", 4), "•••-••-6789");
        assert_eq!(mask("4242 4242 4242 4242", 4), "•••• •••• •••• 4242");
        assert_eq!(mask("abc", 0), "•••");
        assert_eq!(mask("abc", 9), "abc", "keeping more than there is masks nothing");
        assert_eq!(mask("", 4), "");
        assert_eq!(mask("ünï-çødé", 2), "•••-••dé", "characters, not bytes");
    }

    #[test]
    fn huge_and_hostile_values_are_masked_whole() {
        let huge = "9".repeat(1_000_000);
        let masked = mask(&huge, 4);
        assert_eq!(masked.chars().count(), 1_000_000);
        assert!(masked.ends_with("•9999"));
        let hostile = "<script>alert(1)</script>";
        assert_eq!(mask(hostile, 0), "<••••••>•••••(•)</••••••>", "markup is text, left to the escaper");
    }

    #[test]
    fn the_viewer_decides() {
        let value = Redacted::new(String::from("123-45-6789")).keep_last(4);
        assert_eq!(value.for_viewer(Some(&session())), "•••-••-6789");
        assert_eq!(value.for_viewer(None), "123-45-6789");
        assert_eq!(refuse_while_impersonating(Some(&session())), Err(NOT_WHILE_IMPERSONATING));
        assert_eq!(refuse_while_impersonating(None), Ok(()));
    }
}
