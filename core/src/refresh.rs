//! How often a bar asks its `session-url` again, how long it waits for an answer,
//! and what the answer means.

use crate::machine::Answer;
use crate::session::{Reading, Session, SessionError};

/// How often a visible page asks again.
pub const REFRESH_MS: u32 = 60_000;
/// How long one request may take before it counts as failed.
pub const TIMEOUT_MS: u32 = 10_000;
/// Retry delays after consecutive failures: 2 s, 4 s, 8 s… up to a minute.
pub fn backoff_ms(failures: u32) -> u32 {
    let exponent = failures.saturating_sub(1).min(5);
    (2_000u32 << exponent).min(REFRESH_MS)
}

/// What a session URL's reply means. `None` is a request that did not complete (or
/// timed out): a failure, which keeps a bar shown and marks it stale. 204 and 401 say
/// nobody is impersonated; any other status outside 2xx is a failure; a 2xx body is the
/// session JSON, with the `Date` header standing in for a missing `serverTime`. The
/// optional fields the reading dropped come second, for the console.
pub fn read_reply(reply: Option<Reply<'_>>) -> (Answer, Vec<SessionError>) {
    let Some(Reply { status, body, date }) = reply else {
        return (Answer::Failed("staff-bar: the session request failed or timed out".into()), Vec::new());
    };
    match status {
        204 | 401 => return (Answer::NotImpersonating, Vec::new()),
        200..=299 => {}
        _ => {
            return (
                Answer::Failed("staff-bar: the session request was answered with an error".into()),
                Vec::new(),
            )
        }
    }
    match Session::read_json(body) {
        Ok(Reading { session: Some(mut session), ignored }) => {
            if session.server_time.is_none() {
                session.server_time = date.and_then(crate::time::parse_http_date);
            }
            (Answer::Impersonating(Box::new(session)), ignored)
        }
        Ok(Reading { session: None, ignored }) => (Answer::NotImpersonating, ignored),
        Err(error) => (Answer::Failed(error.message()), Vec::new()),
    }
}

/// A finished HTTP exchange, as [`read_reply`] needs it.
#[derive(Clone, Copy, Debug)]
pub struct Reply<'a> {
    pub status: u16,
    pub body: &'a str,
    /// The `Date` header.
    pub date: Option<&'a str>,
}
