//! Where a bar's session comes from when it is fetched: the first GET to
//! `session-url`, then refreshes that keep the bar honest.
//!
//! The rule: a bar that is showing an impersonation stays until a *definite* answer
//! (204, 401, or JSON without an impersonation) says it ended; a failure to refresh
//! (timeout, network, 5xx, malformed JSON) never hides it, it only marks it stale and
//! retries with backoff. Refreshes happen every minute while the page is visible, when
//! it becomes visible again, and when the browser comes back online.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::{self, SessionAnswer};
use crate::session::Session;
use crate::tabs::Listener;

pub use crate::refresh::{backoff_ms, REFRESH_MS, TIMEOUT_MS};

/// The signals a fetched session drives. `Copy`; create it inside a reactive owner.
#[derive(Clone, Copy)]
pub struct SessionSource {
    /// The impersonation, kept after a definite "ended" so the bar can say so.
    pub session: RwSignal<Option<Session>>,
    /// The last refresh failed: the bar shows "could not refresh".
    pub stale: RwSignal<bool>,
    /// A definite answer said the impersonation shown before is over.
    pub gone: RwSignal<bool>,
    url: StoredValue<Option<String>>,
    failures: StoredValue<u32>,
    timer: StoredValue<Option<TimeoutHandle>>,
    generation: StoredValue<u32>,
    listeners: StoredValue<Vec<Listener>, LocalStorage>,
}

impl Default for SessionSource {
    fn default() -> Self {
        SessionSource::new()
    }
}

impl SessionSource {
    pub fn new() -> SessionSource {
        SessionSource {
            session: RwSignal::new(None),
            stale: RwSignal::new(false),
            gone: RwSignal::new(false),
            url: StoredValue::new(None),
            failures: StoredValue::new(0),
            timer: StoredValue::new(None),
            generation: StoredValue::new(0),
            listeners: StoredValue::new_local(Vec::new()),
        }
    }

    /// Applies an answer obtained elsewhere (the `<staff-bar>` loader's first request).
    pub fn apply(self, answer: SessionAnswer) {
        match answer {
            SessionAnswer::Impersonating(session) => {
                let unchanged = self
                    .session
                    .with_untracked(|current| current.as_ref().is_some_and(|c| c.same_as(&session)));
                if !unchanged {
                    self.session.set(Some(*session));
                }
                self.gone.set(false);
                self.stale.set(false);
                self.failures.set_value(0);
            }
            SessionAnswer::NotImpersonating => {
                if self.session.with_untracked(Option::is_some) {
                    self.gone.set(true);
                }
                self.stale.set(false);
                self.failures.set_value(0);
            }
            SessionAnswer::Failed(message) => {
                browser::warn(&message);
                if self.session.with_untracked(Option::is_some) {
                    self.stale.set(true);
                }
                self.failures.update_value(|n| *n = n.saturating_add(1));
            }
        }
    }

    /// Shows `session` as given inline (no URL, no refreshing): stops any watching and
    /// clears the stale and ended marks.
    pub fn show(self, session: Option<Session>) {
        self.stop();
        self.gone.set(false);
        self.stale.set(false);
        if self.session.with_untracked(|current| *current != session) {
            self.session.set(session);
        }
    }

    /// Starts watching `url`: asks now unless `first` is the answer already in hand,
    /// then keeps refreshing until [`SessionSource::stop`].
    pub fn start(self, url: String, first: Option<SessionAnswer>) {
        self.stop();
        self.url.set_value(Some(url));
        let mut installed = Vec::new();
        if let Some(document) = browser::document() {
            installed.extend(Listener::new(document, "visibilitychange", move |_| {
                if !browser::page_is_hidden() {
                    self.poll();
                }
            }));
        }
        if let Some(window) = browser::window() {
            installed.extend(Listener::new(window, "online", move |_| self.poll()));
        }
        self.listeners.set_value(installed);
        match first {
            Some(answer) => {
                self.apply(answer);
                self.schedule();
            }
            None => self.poll(),
        }
    }

    /// Stops refreshing: no timer, no listener, and a request in flight is ignored.
    pub fn stop(self) {
        if let Some(handle) = self.timer.try_get_value().flatten() {
            handle.clear();
        }
        self.generation.try_update_value(|g| *g = g.wrapping_add(1));
        self.listeners.try_update_value(Vec::clear);
        self.url.try_set_value(None);
    }

    fn schedule(self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        let failures = self.failures.get_value();
        let delay = if failures > 0 { backoff_ms(failures) } else { REFRESH_MS };
        let handle = set_timeout_with_handle(
            move || {
                // A hidden page waits for `visibilitychange` instead of polling.
                if !browser::page_is_hidden() {
                    self.poll();
                }
            },
            Duration::from_millis(u64::from(delay)),
        )
        .ok();
        self.timer.set_value(handle);
    }

    fn poll(self) {
        let Some(url) = self.url.try_get_value().flatten() else { return };
        let generation = self.generation.get_value().wrapping_add(1);
        self.generation.set_value(generation);
        spawn_local(async move {
            let answer = browser::fetch_session(&url, TIMEOUT_MS).await;
            // Superseded by a newer request, or stopped: drop the answer.
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            self.apply(answer);
            self.schedule();
        });
    }
}
