//! Where the session comes from: given inline, or refreshed from a URL, and what each
//! answer means for the bar shown.

use super::{timeline, Alarm, Answer, Effect, Machine, StopState, World};
use crate::refresh::{backoff_ms, REFRESH_MS};
use crate::session::Session;
use crate::settings::Settings;

impl Machine {
    pub(super) fn show(&mut self, session: Option<Session>, world: &dyn World, fx: &mut Vec<Effect>) {
        self.unwatch(fx);
        self.gone = false;
        self.stale = false;
        self.real = session;
        // No server left to ask about a failed Stop: it is a failure after all.
        let held = self.held_failure.take();
        self.follow_server(world, fx);
        self.release_held_failure(held, world, fx);
    }

    pub(super) fn watch(
        &mut self,
        url: String,
        first: Option<Answer>,
        world: &dyn World,
        fx: &mut Vec<Effect>,
    ) {
        self.unwatch(fx);
        self.url = Some(url);
        match first {
            Some(answer) => {
                self.apply(answer, world, fx);
                self.schedule_refresh(fx);
            }
            None => self.poll(fx),
        }
    }

    fn unwatch(&mut self, fx: &mut Vec<Effect>) {
        fx.push(Effect::Wake(Alarm::Refresh, None));
        self.url = None;
        self.generation = self.generation.wrapping_add(1);
    }

    pub(super) fn schedule_refresh(&mut self, fx: &mut Vec<Effect>) {
        let delay = if self.failures > 0 { backoff_ms(self.failures) } else { REFRESH_MS };
        fx.push(Effect::Wake(Alarm::Refresh, Some(delay)));
    }

    /// Asks the session URL now; an answer to an earlier request is dropped.
    pub(super) fn poll(&mut self, fx: &mut Vec<Effect>) {
        let Some(url) = self.url.clone() else { return };
        self.generation = self.generation.wrapping_add(1);
        fx.push(Effect::FetchSession { url, generation: self.generation });
    }

    /// A bar that is showing stays until a definite answer; a failure only marks it.
    pub(super) fn apply(&mut self, answer: Answer, world: &dyn World, fx: &mut Vec<Effect>) {
        let held = self.held_failure.take();
        let mut failures = 0;
        match answer {
            Answer::Impersonating(session) => {
                if !self.real.as_ref().is_some_and(|current| current.same_as(&session)) {
                    self.real = Some(*session);
                }
                self.gone = false;
                self.stale = false;
            }
            Answer::NotImpersonating => {
                self.gone = self.gone || self.real.is_some();
                self.stale = false;
            }
            Answer::Failed(message) => {
                fx.push(Effect::Warn(message));
                self.stale = self.stale || self.real.is_some();
                failures = self.failures.saturating_add(1);
            }
        }
        self.failures = failures;
        self.follow_server(world, fx);
        self.release_held_failure(held, world, fx);
    }

    /// The server's word on whether the impersonation shown is over, and back again if
    /// a later answer shows it after all (a 401 during a token rotation).
    fn follow_server(&mut self, world: &dyn World, fx: &mut Vec<Effect>) {
        if self.gone && !self.ended() {
            self.ended_by_server = true;
            return self.end(true, world, fx);
        }
        // An answer with a session whose time is up stays ended: coming back would only
        // expire it again.
        if !self.gone && self.ended_by_server && !self.has_expired(world) {
            self.ended_by_server = false;
            self.stop = StopState::Ready;
        }
        self.catch_up(world, fx);
    }

    /// A failed Stop held back for the server's word: a failure after all unless the
    /// bar has ended by now.
    fn release_held_failure(&mut self, held: Option<String>, world: &dyn World, fx: &mut Vec<Effect>) {
        if let Some(message) = held.filter(|_| !self.ended()) {
            self.fail_stop(message, world, fx);
        }
    }

    pub(super) fn configure(&mut self, settings: Settings, world: &dyn World, fx: &mut Vec<Effect>) {
        if settings == self.settings {
            return;
        }
        if settings.preview != self.settings.preview {
            self.preview = timeline::preview_for(&settings, world);
        }
        self.settings = settings;
        self.catch_up(world, fx);
    }
}
