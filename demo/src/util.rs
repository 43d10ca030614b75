//! Small shared helpers: random tokens, times, comparisons.

use subtle::ConstantTimeEq;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Fills `bytes` from the operating system's random source.
pub(crate) fn fill_random(bytes: &mut [u8]) {
    // Without an OS random source there is no safe way to hand out session ids.
    if let Err(error) = getrandom::fill(bytes) {
        panic!("no random source: {error}");
    }
}

/// `bytes` random bytes as lowercase hex.
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    fill_random(&mut buffer);
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random id with a WorkOS-like prefix, e.g. `session_01…`.
pub(crate) fn random_id(prefix: &str) -> String {
    format!("{prefix}_01{}", random_hex(12).to_uppercase())
}

/// `2026-11-25T13:00:00Z` (with a fraction only if the time has one).
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    at.format(&Rfc3339).unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// Compares two secrets (tokens, passwords, API keys) in constant time with `subtle`:
/// how long it takes says nothing about how much of a guess was right. Only the
/// length may show, and every secret here has a fixed, public length.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_whole_seconds_in_utc() {
        let clock = crate::config::Clock::system();
        let text = rfc3339(clock.now_seconds());
        assert!(text.ends_with('Z'), "{text}");
        assert!(!text.contains('.'), "{text}");
        assert_eq!(text.len(), "2026-11-25T13:00:00Z".len());
        let precise = rfc3339(clock.now_millis());
        assert!(precise.ends_with('Z') && precise.len() <= "2026-11-25T13:00:00.123Z".len(), "{precise}");
    }

    #[test]
    fn random_tokens_differ() {
        assert_ne!(random_hex(16), random_hex(16));
        assert_eq!(random_hex(16).len(), 32);
        assert!(random_id("session").starts_with("session_01"));
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert!(!same_secret("", "abc"));
        assert!(same_secret("", ""));
    }
}
