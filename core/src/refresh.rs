//! How often a bar asks its `session-url` again, and how long it waits for an answer.

/// How often a visible page asks again.
pub const REFRESH_MS: u32 = 60_000;
/// How long one request may take before it counts as failed.
pub const TIMEOUT_MS: u32 = 10_000;
/// Retry delays after consecutive failures: 2 s, 4 s, 8 s… up to a minute.
pub fn backoff_ms(failures: u32) -> u32 {
    let exponent = failures.saturating_sub(1).min(5);
    (2_000u32 << exponent).min(REFRESH_MS)
}
