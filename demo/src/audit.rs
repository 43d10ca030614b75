//! What the stand-in remembers of every session, so that an impersonation can be
//! audited afterwards the ways WorkOS offers: each session is listed in its user's
//! sessions, marked with its `impersonator` (`GET /user_management/users/{id}/sessions`),
//! and `session.created` / `session.revoked` are emitted on the events API
//! (`GET /events?events=…`, newest first, paged with `after` cursors), in the JSON
//! shapes the `workos` crate (3.5) reads.

use std::sync::Mutex;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::stand_in::{api_error, without_api_key};
use crate::util::rfc3339;

/// The most a list answer holds, as at WorkOS.
const MAX_LIMIT: usize = 100;
/// A list answer's size when the request names none, as at WorkOS.
const DEFAULT_LIMIT: usize = 10;

/// One session at the stand-in, live or ended.
#[derive(Clone, Debug)]
struct Record {
    id: String,
    user_id: String,
    organization_id: String,
    /// `{"email", "reason"}` for an impersonation.
    impersonator: Option<Value>,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    /// When it was signed out (`revoked`) or ran out (`expired`).
    ended: Option<(OffsetDateTime, &'static str)>,
}

impl Record {
    fn to_json(&self) -> Value {
        let updated_at = self.ended.map_or(self.created_at, |(at, _)| at);
        let mut session = json!({
            "object": "session",
            "id": self.id,
            "user_id": self.user_id,
            "organization_id": self.organization_id,
            "auth_method": if self.impersonator.is_some() { "impersonation" } else { "password" },
            "status": self.ended.map_or("active", |(_, status)| status),
            "expires_at": rfc3339(self.expires_at),
            "created_at": rfc3339(self.created_at),
            "updated_at": rfc3339(updated_at),
        });
        if let Some(impersonator) = &self.impersonator {
            session["impersonator"] = impersonator.clone();
        }
        if let Some((at, _)) = self.ended {
            session["ended_at"] = json!(rfc3339(at));
        }
        session
    }
}

/// One event: its id (a cursor), type, time and the session it is about, as it was
/// then.
#[derive(Clone, Debug)]
struct Event {
    id: String,
    kind: &'static str,
    created_at: OffsetDateTime,
    session: Value,
}

#[derive(Default)]
struct Inner {
    sessions: Vec<Record>,
    /// In the order they happened (ids count up with it).
    events: Vec<Event>,
}

impl Inner {
    fn emit(&mut self, kind: &'static str, at: OffsetDateTime, session: Value) {
        let id = format!("event_{:026}", self.events.len() + 1);
        self.events.push(Event { id, kind, created_at: at, session });
    }

    /// Sessions past their expiry end now, at their expiry, with `session.revoked`.
    fn sweep(&mut self, now: OffsetDateTime) {
        let mut ended = Vec::new();
        for record in self.sessions.iter_mut().filter(|r| r.ended.is_none() && r.expires_at <= now) {
            record.ended = Some((record.expires_at, "expired"));
            ended.push((record.expires_at, record.to_json()));
        }
        for (at, session) in ended {
            self.emit("session.revoked", at, session);
        }
    }
}

/// The stand-in's memory of sessions and events.
#[derive(Default)]
pub(crate) struct Trail(Mutex<Inner>);

impl Trail {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere must not take the demo down with it.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A session was created by a code exchange: recorded, and `session.created`.
    pub(crate) fn created(
        &self,
        id: &str,
        user_id: &str,
        organization_id: &str,
        impersonator: Option<Value>,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) {
        let record = Record {
            id: id.to_owned(),
            user_id: user_id.to_owned(),
            organization_id: organization_id.to_owned(),
            impersonator,
            created_at: now,
            expires_at,
            ended: None,
        };
        let mut inner = self.inner();
        inner.sweep(now);
        let session = record.to_json();
        inner.sessions.push(record);
        inner.emit("session.created", now, session);
    }

    /// A session was signed out: marked `revoked`, and `session.revoked` (once).
    pub(crate) fn revoked(&self, id: &str, now: OffsetDateTime) {
        let mut inner = self.inner();
        inner.sweep(now);
        let Some(record) = inner.sessions.iter_mut().find(|r| r.id == id && r.ended.is_none()) else {
            return;
        };
        record.ended = Some((now, "revoked"));
        let session = record.to_json();
        inner.emit("session.revoked", now, session);
    }

    /// User `user_id`'s sessions, newest first, live and ended.
    pub(crate) fn sessions_of(&self, user_id: &str, now: OffsetDateTime) -> Vec<Value> {
        let mut inner = self.inner();
        inner.sweep(now);
        inner.sessions.iter().rev().filter(|r| r.user_id == user_id).map(Record::to_json).collect()
    }

    /// The events of `kinds`, in `order`, after the cursor; and the cursor of the next
    /// page when there is one.
    fn events(&self, kinds: &[&str], page: &ListQuery, now: OffsetDateTime) -> (Vec<Value>, Option<Value>) {
        let mut inner = self.inner();
        inner.sweep(now);
        let mut matching: Vec<&Event> = inner.events.iter().filter(|e| kinds.contains(&e.kind)).collect();
        // Expiries are recorded when noticed: order by when things happened.
        matching.sort_by_key(|e| (e.created_at, e.id.clone()));
        if page.order.as_deref() != Some("asc") {
            matching.reverse();
        }
        let events: Vec<Value> = matching
            .iter()
            .map(|e| {
                json!({
                    "object": "event",
                    "id": e.id,
                    "event": e.kind,
                    "data": e.session,
                    "created_at": rfc3339(e.created_at),
                })
            })
            .collect();
        let (data, after) = page_of(&events, page);
        (data.to_vec(), after)
    }
}

/// The paging of a list request.
#[derive(Deserialize)]
pub(crate) struct ListQuery {
    after: Option<String>,
    limit: Option<usize>,
    order: Option<String>,
    /// `GET /events` only: the event types, comma-separated.
    events: Option<String>,
}

/// One page of `items` (newest first, or as ordered), after the item whose id is
/// `page.after`, `page.limit` long (10 by default, at most 100); and the cursor of the
/// next page when there is one.
fn page_of<'a>(items: &'a [Value], page: &ListQuery) -> (&'a [Value], Option<Value>) {
    let start = match &page.after {
        Some(after) => {
            items.iter().position(|item| item["id"] == after.as_str()).map_or(items.len(), |at| at + 1)
        }
        None => 0,
    };
    let limit = page.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let rest = items.get(start..).unwrap_or_default();
    let shown = rest.get(..limit).unwrap_or(rest);
    let after = (rest.len() > limit).then(|| shown.last().map(|item| item["id"].clone())).flatten();
    (shown, after)
}

/// `GET /user_management/users/{id}/sessions`: the user's sessions, newest first, each
/// impersonation marked with its `impersonator`.
pub(crate) async fn user_sessions(
    State(stand_in): State<super::stand_in::Shared>,
    Path(user_id): Path<String>,
    Query(page): Query<ListQuery>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = without_api_key(&headers) {
        return refusal;
    }
    let sessions = stand_in.audit().sessions_of(&user_id, stand_in.now());
    let (data, after) = page_of(&sessions, &page);
    Json(json!({ "object": "list", "data": data, "list_metadata": { "after": after, "before": null } }))
        .into_response()
}

/// `GET /events?events=session.created,session.revoked`: the stand-in's events of those
/// types, newest first unless `order=asc`, `limit` (10, at most 100) at a time.
pub(crate) async fn events(
    State(stand_in): State<super::stand_in::Shared>,
    Query(page): Query<ListQuery>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = without_api_key(&headers) {
        return refusal;
    }
    let Some(kinds) = page.events.as_deref().filter(|kinds| !kinds.trim().is_empty()) else {
        return api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", "events is required.");
    };
    let kinds: Vec<&str> = kinds.split(',').map(str::trim).collect();
    let (data, after) = stand_in.audit().events(&kinds, &page, stand_in.now());
    Json(json!({ "object": "list", "data": data, "list_metadata": { "after": after } })).into_response()
}
