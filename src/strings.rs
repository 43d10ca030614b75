//! The words the bar says. English is built in; a host replaces any of them.

/// Every user-visible string of the bar. The message reads
/// `{impersonating}<user>{within}<organization>{organization_suffix}`, with the
/// organization clause only when a name is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strings {
    /// The label of the bar's landmark region.
    pub region: &'static str,
    pub impersonating: &'static str,
    pub within: &'static str,
    pub organization_suffix: &'static str,
    /// The Stop button; its accessible name must begin with "Stop" in English.
    pub stop: &'static str,
    /// The Stop button while the sign-out request is in flight.
    pub stopping: &'static str,
    pub minimize: &'static str,
    pub restore: &'static str,
    /// Shown instead of the message once the impersonation is over.
    pub ended: &'static str,
}

impl Strings {
    pub const ENGLISH: Strings = Strings {
        region: "Impersonation",
        impersonating: "You are impersonating ",
        within: " within the ",
        organization_suffix: " organization",
        stop: "Stop",
        stopping: "Stopping…",
        minimize: "Minimize impersonation bar",
        restore: "Restore impersonation bar",
        ended: "The impersonation has ended.",
    };
}

impl Default for Strings {
    fn default() -> Self {
        Strings::ENGLISH
    }
}

impl Strings {
    /// The built-in strings for a BCP 47 language tag (`en`, `en-GB`…), English when
    /// the language has no table.
    pub fn for_lang(_lang: &str) -> Strings {
        Strings::ENGLISH
    }
}
