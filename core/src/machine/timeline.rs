//! Time in a bar's life: taking up a new impersonation, the countdown, the
//! announcement, and the end.

use super::{Alarm, Effect, Machine, Report, StopState, TabMessage, World};
use crate::preview;
use crate::settings::Settings;
use crate::time::{self, Countdown};

/// How long after the bar appears the live region says who is impersonated, so a
/// screen reader notices the change.
pub const ANNOUNCE_DELAY_MS: u32 = 150;

/// The moments before the end at which the live region says how long is left: five
/// minutes and one minute, never more often.
pub const ANNOUNCE_BEFORE_END_MS: [i64; 2] = [5 * 60_000, 60_000];

/// `ms` left as whole seconds, rounded up, never below zero: 59.5 s left is 60.
fn whole_seconds(ms: i64) -> i64 {
    ms.max(0).saturating_add(999) / 1000
}

/// The last stretch in which the bar signals more strongly (`data-urgent`).
pub const URGENT_MS: i64 = 2 * 60_000;

/// The sample session when the settings ask for the preview.
pub(super) fn preview_for(settings: &Settings, world: &dyn World) -> Option<crate::session::Session> {
    (settings.preview == Some(true)).then(|| preview::sample_session(world.now_ms()))
}

impl Machine {
    /// Brings everything derived from the state in line, then draws: a new
    /// impersonation starts fresh, an organization name is asked for, the countdown
    /// restarts when its expiry or visibility changed (and a countdown at zero ends it).
    pub(super) fn catch_up(&mut self, world: &dyn World, fx: &mut Vec<Effect>) {
        if let Some((key, server_time)) = self.shown().map(|session| (session.key(), session.server_time)) {
            if self.key.as_deref() != Some(key.as_str()) {
                self.take_up(key, server_time, world);
                self.announce_pending = false;
                fx.push(Effect::Wake(Alarm::Announce, None));
            }
        }
        if let Some((url, id)) = self.organization_to_look_up() {
            self.organization = Some((id.clone(), None));
            fx.push(Effect::FetchOrganization { url, id });
        }
        let hidden = self.minimized || self.page_hidden;
        let expires_at = self.shown().and_then(|session| session.expires_at).filter(|_| !self.ended());
        let wanted = expires_at.map(|at| (at, hidden));
        if wanted != self.countdown_for {
            self.countdown_for = wanted;
            self.time_text.clear();
            self.seconds_left = None;
            self.ends_at.clear();
            self.urgent = false;
            fx.push(Effect::Wake(Alarm::Countdown, None));
            if !self.tick(world, fx) {
                return self.expire(world, fx);
            }
        }
        self.draw(fx);
    }

    /// A new impersonation starts fresh: expanded unless this one was left minimized.
    fn take_up(&mut self, key: String, server_time: Option<i64>, world: &dyn World) {
        self.clock_offset = server_time.map_or(0, |server| server - world.now_ms());
        self.ended_by_server = false;
        self.stop = StopState::Ready;
        self.show_reason = false;
        self.announcement.clear();
        self.ended_at.clear();
        self.last_left = None;
        self.minimized = world.stored_minimized(&key);
        self.place = world.stored_place(&key).map(|place| place.clamp(0.0, 1.0));
        self.key = Some(key);
    }

    /// The `organization_url` and the id to ask it for, when the real session names an
    /// organization by id only and that id was not asked yet.
    fn organization_to_look_up(&self) -> Option<(String, String)> {
        let url = self.settings.organization_url.as_ref().filter(|url| !url.is_empty())?;
        let org = self.real.as_ref()?.organization.as_ref().filter(|org| org.name.is_none())?;
        let id = org.id.as_ref().filter(|id| !id.is_empty())?;
        let asked = self.organization.as_ref().map(|(asked, _)| asked);
        (asked != Some(id)).then(|| (url.clone(), id.clone()))
    }

    /// Draws, and schedules the announcement once per impersonation.
    pub(super) fn draw(&mut self, fx: &mut Vec<Effect>) {
        fx.push(Effect::Draw);
        if self.shown().is_some() && self.announcement.is_empty() && !self.announce_pending {
            self.announce_pending = true;
            fx.push(Effect::Wake(Alarm::Announce, Some(ANNOUNCE_DELAY_MS)));
        }
    }

    /// One countdown step: the text for now, and a wake-up exactly when it next
    /// changes (or, while nobody can see it, only at the end). False at zero.
    fn tick(&mut self, world: &dyn World, fx: &mut Vec<Effect>) -> bool {
        let Some((expires_at, hidden)) = self.countdown_for else { return true };
        let left = time::remaining_ms(expires_at, world.now_ms(), self.clock_offset);
        let countdown = Countdown::at(left);
        let Some(text) = self.settings.strings.time_left(countdown) else { return false };
        self.time_text = text;
        self.seconds_left = Some(whole_seconds(left));
        self.warning = countdown.is_warning();
        self.urgent = left <= URGENT_MS;
        if self.ends_at.is_empty() {
            // The server's expiry on the client's clock.
            let at = expires_at.saturating_sub(self.clock_offset);
            if let Some(clock) = world.clock_time(at) {
                self.ends_at = crate::strings::fill(&self.settings.strings.ends_at, "time", &clock);
            }
        }
        self.announce_crossing(expires_at, left);
        // Asleep while nobody can see it, but awake for the announcements, which a
        // screen reader hears from a minimized bar too.
        let next_announcement =
            ANNOUNCE_BEFORE_END_MS.iter().map(|mark| left - mark).filter(|until| *until > 0).min();
        let delay = if hidden {
            let until = next_announcement.map_or(left, |until| until.min(left));
            u32::try_from(until.clamp(1, i64::from(i32::MAX))).unwrap_or(1)
        } else {
            countdown.next_change_ms().unwrap_or(1)
        };
        fx.push(Effect::Wake(Alarm::Countdown, Some(delay)));
        true
    }

    /// Whole seconds until the shown impersonation's `expiresAt` (rounded up, never
    /// below zero) on `world`'s clock now, corrected by the server's clock as the
    /// countdown is; `None` without an expiry or once the bar ended. Exact between the
    /// countdown's steps too, which come only by the minute far from the end.
    pub fn time_left(&self, world: &dyn World) -> Option<i64> {
        let expires_at = self.shown()?.expires_at.filter(|_| !self.ended())?;
        let left = time::remaining_ms(expires_at, world.now_ms(), self.clock_offset);
        Some(whole_seconds(left))
    }

    /// Says in the live region how long is left when this step crossed one of
    /// [`ANNOUNCE_BEFORE_END_MS`] since the last step for the same expiry (the first
    /// step of an expiry only takes the time left: a bar that appears with three
    /// minutes left does not announce five).
    fn announce_crossing(&mut self, expires_at: i64, left: i64) {
        let crossed = self.last_left.filter(|(at, _)| *at == expires_at).and_then(|(_, before)| {
            ANNOUNCE_BEFORE_END_MS
                .into_iter()
                .filter(|mark| before > *mark && left <= *mark && left > 0)
                .min()
        });
        self.last_left = Some((expires_at, left));
        if let Some(mark) = crossed {
            let mut minutes = String::new();
            crate::session::push_decimal(&mut minutes, (mark / 60_000).unsigned_abs());
            self.announcement = crate::strings::fill(&self.settings.strings.ending_soon, "n", &minutes);
        }
    }

    /// Whether the session shown is past its `expiresAt`.
    pub(super) fn has_expired(&self, world: &dyn World) -> bool {
        let expires_at = self.shown().and_then(|session| session.expires_at);
        expires_at.is_some_and(|at| time::remaining_ms(at, world.now_ms(), self.clock_offset) <= 0)
    }

    pub(super) fn woke(&mut self, alarm: Alarm, world: &dyn World, fx: &mut Vec<Effect>) {
        match alarm {
            Alarm::Countdown => {
                if self.tick(world, fx) {
                    self.draw(fx);
                } else {
                    self.expire(world, fx);
                }
            }
            // A hidden page waits for `visibilitychange` instead of polling.
            Alarm::Refresh => {
                if !world.page_hidden() {
                    self.poll(fx);
                }
            }
            Alarm::Announce => {
                self.announce_pending = false;
                if let Some(user) = self.shown().map(|session| session.user.email.clone()) {
                    self.announcement =
                        crate::strings::fill(&self.settings.strings.announcement, "user", &user);
                    self.draw(fx);
                }
            }
            // The form was submitted but the page is still here: a 204, a cancelled
            // `beforeunload`, a `form-action` policy. Offer Stop again, with the reason.
            Alarm::FormDeadline => {
                if self.stop == StopState::Pending {
                    let key = self.key.clone();
                    let outcome = Err(crate::sign_out::SignOutError::FormStayed);
                    self.stopped(key, outcome, world, fx);
                }
            }
        }
    }

    /// The time is up.
    fn expire(&mut self, world: &dyn World, fx: &mut Vec<Effect>) {
        if self.ended() {
            return;
        }
        self.end(true, world, fx);
        fx.push(Effect::Notify(Report::Expired));
    }

    /// Ends the impersonation in this bar; `tell_tabs` tells the others.
    pub(super) fn end(&mut self, tell_tabs: bool, world: &dyn World, fx: &mut Vec<Effect>) {
        fx.push(Effect::Wake(Alarm::Countdown, None));
        self.stop = StopState::Ended;
        self.urgent = false;
        if let Some(clock) = world.clock_time(world.now_ms()) {
            self.ended_at = crate::strings::fill(&self.settings.strings.ended_at, "time", &clock);
        }
        self.catch_up(world, fx);
        // Stop is about to be replaced by Reload: keep a keyboard user's place.
        fx.push(Effect::Focus("reload"));
        if let Some(key) = self.key.clone() {
            fx.push(Effect::ForgetMinimized(key.clone()));
            if tell_tabs {
                fx.push(Effect::Broadcast(TabMessage::Ended, key));
            }
        }
    }
}
