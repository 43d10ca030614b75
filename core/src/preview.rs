//! The dev preview: the bar with sample data, no backend, no network.

use crate::session::{Impersonator, Organization, Session, User};

/// How long the sample impersonation has left when the preview starts.
pub const PREVIEW_MINUTES: i64 = 42;

/// The session the preview shows. `now_ms` is the client clock, so the countdown
/// starts at 42 minutes.
pub fn sample_session(now_ms: i64) -> Session {
    Session {
        user: User {
            id: Some("user_preview".into()),
            email: "bob@acme.test".into(),
            first_name: Some("Bob".into()),
            last_name: Some("Ng".into()),
        },
        impersonator: Impersonator {
            email: "ada@support.test".into(),
            reason: Some("Ticket 4521: the invoices page is empty".into()),
        },
        organization: Some(Organization { id: Some("org_preview".into()), name: Some("Acme".into()) }),
        session_id: Some("staff-bar-preview".into()),
        expires_at: Some(now_ms + PREVIEW_MINUTES * 60_000),
        server_time: None,
    }
}
