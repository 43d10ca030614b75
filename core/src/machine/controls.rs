//! What the bar's controls, its shortcuts and the other tabs do.

use super::{Effect, Machine, Report, SignOut, StopState, TabMessage, World};
use crate::preview;
use crate::settings::Align;

/// The keys of the move shortcut (`'<'` for Alt+Shift+←, `'>'` for Alt+Shift+→, as
/// the browser side reports them) and how far each moves the tab along its edge.
const KEYBOARD_STEPS: [(char, f64); 2] = [('<', -0.1), ('>', 0.1)];
use crate::sign_out::{is_safe_redirect, SignOutError};

impl Machine {
    pub(super) fn press_stop(&mut self, world: &dyn World, fx: &mut Vec<Effect>) {
        if matches!(self.stop, StopState::Pending | StopState::Ended) {
            return;
        }
        if self.is_preview() {
            // Stop in the preview ends the preview, and sends nothing.
            self.preview = None;
            return self.catch_up(world, fx);
        }
        // The host may cancel; `Input::StopConfirmed` comes back when it does not.
        fx.push(Effect::Notify(Report::Stop));
    }

    pub(super) fn confirm_stop(&mut self, world: &dyn World, fx: &mut Vec<Effect>) {
        if matches!(self.stop, StopState::Pending | StopState::Ended) || self.shown().is_none() {
            return;
        }
        // A sign-out URL is a web address: `javascript:…` never becomes a request or a
        // form's action.
        if self.settings.sign_out_url.as_deref().is_some_and(|url| !is_safe_redirect(url)) {
            return self.fail_stop(SignOutError::UnsafeEndpoint.message(), world, fx);
        }
        self.stop = StopState::Pending;
        let settings = &self.settings;
        let request = SignOut {
            key: self.key.clone(),
            url: settings.sign_out_url.clone().filter(|url| !url.is_empty()),
            return_to: settings.return_to.clone(),
            csrf_token: settings.csrf_token.clone(),
            csrf_field: settings.csrf_field.clone(),
            csrf_header: settings.csrf_header.clone(),
            mode: settings.sign_out_mode,
        };
        self.catch_up(world, fx);
        fx.push(Effect::SignOut(request));
    }

    /// How the Stop of impersonation `key` ended. A failure shows its message and
    /// offers Stop again, unless another impersonation is shown by then.
    pub(super) fn stopped(
        &mut self,
        key: Option<String>,
        outcome: Result<Option<String>, SignOutError>,
        world: &dyn World,
        fx: &mut Vec<Effect>,
    ) {
        fx.push(Effect::Wake(super::Alarm::FormDeadline, None));
        // Whatever produced the destination (the endpoint's answer, a host's stop
        // action), `javascript:`, `data:` and the like are never navigated to.
        let outcome = outcome.and_then(|destination| match destination {
            Some(url) if !is_safe_redirect(&url) => Err(SignOutError::UnsafeRedirect),
            destination => Ok(destination),
        });
        match outcome {
            Ok(destination) => {
                self.end(true, world, fx);
                if let Some(url) = destination {
                    fx.push(Effect::Notify(Report::SignedOut(url.clone())));
                    fx.push(Effect::Navigate(url));
                }
            }
            Err(error) => {
                if self.key != key || self.ended() {
                    // Another impersonation by now, or this one ended meanwhile (another
                    // tab's Stop, its expiry): nothing is left for this Stop to do.
                    return;
                }
                let message = error.message();
                if self.url.is_some() {
                    // Two tabs pressing Stop at once: the second request fails once the
                    // first has signed out. Ask the server before calling it a failure.
                    self.held_failure = Some(message);
                    return self.poll(fx);
                }
                self.fail_stop(message, world, fx);
            }
        }
    }

    /// Shows why Stop failed and offers it again.
    pub(super) fn fail_stop(&mut self, message: String, world: &dyn World, fx: &mut Vec<Effect>) {
        fx.push(Effect::LogError(message.clone()));
        fx.push(Effect::Notify(Report::Error(message.clone())));
        self.stop = StopState::Failed(message);
        self.catch_up(world, fx);
    }

    pub(super) fn set_minimized(
        &mut self,
        value: bool,
        from_tab: bool,
        world: &dyn World,
        fx: &mut Vec<Effect>,
    ) {
        if self.minimized == value {
            return;
        }
        self.minimized = value;
        if let Some(key) = self.key.clone().filter(|_| !from_tab) {
            fx.push(Effect::RememberMinimized(key.clone(), value));
            let message = if value { TabMessage::Minimized } else { TabMessage::Restored };
            fx.push(Effect::Broadcast(message, key));
        }
        self.catch_up(world, fx);
        fx.push(Effect::Notify(if value { Report::Minimize } else { Report::Restore }));
        // The focused control is about to become inert or hidden: keep a keyboard user
        // in place (focus elsewhere on the page is left alone).
        if !from_tab {
            fx.push(Effect::Focus(if value { "restore" } else { "minimize" }));
        }
    }

    /// The tab moved along its edge, to `place` (clamped to 0..=1; not a number is
    /// ignored); remembered for this impersonation once `settled`.
    pub(super) fn set_place(&mut self, place: f64, settled: bool, world: &dyn World, fx: &mut Vec<Effect>) {
        if place.is_nan() || self.shown().is_none() {
            return;
        }
        let place = place.clamp(0.0, 1.0);
        if self.place != Some(place) {
            self.place = Some(place);
            self.catch_up(world, fx);
        }
        if let Some(key) = self.key.clone().filter(|_| settled) {
            fx.push(Effect::RememberPlace(key, place));
        }
    }

    /// Where the tab stands now, 0 to 1: where it was moved, else where `align` puts
    /// it (on a left-to-right page).
    fn current_place(&self) -> f64 {
        self.place.unwrap_or(match self.settings.align {
            Align::Start => 0.0,
            Align::Center => 0.5,
            Align::End => 1.0,
        })
    }

    /// Alt+Shift+I minimizes or restores a bar that is shown; Alt+Shift+← and → move
    /// its tab a tenth of the way along its edge; Alt+Shift+P toggles the preview where
    /// the settings allow it.
    pub(super) fn shortcut(&mut self, letter: char, world: &dyn World, fx: &mut Vec<Effect>) {
        if let (Some(step), true) =
            (KEYBOARD_STEPS.iter().find(|(key, _)| *key == letter), self.shown().is_some())
        {
            fx.push(Effect::PreventDefault);
            // In hundredths, so ten steps from the start are exactly the end (`floor`
            // is one wasm instruction, `round` a function).
            let place = ((self.current_place() + step.1) * 100.0 + 0.5).floor() / 100.0;
            self.set_place(place, true, world, fx);
        } else if letter == 'I' && self.shown().is_some() {
            fx.push(Effect::PreventDefault);
            self.set_minimized(!self.minimized, false, world, fx);
        } else if letter == 'P' && self.settings.preview.is_some() {
            fx.push(Effect::PreventDefault);
            self.preview = match self.preview {
                Some(_) => None,
                None => Some(preview::sample_session(world.now_ms())),
            };
            self.catch_up(world, fx);
        }
    }

    /// Another tab's end is the server's word only until this tab asks the server
    /// itself: a tab that refreshes comes back if its next answer still shows the
    /// impersonation (a 401 there during a token rotation).
    pub(super) fn hear_tab(
        &mut self,
        message: TabMessage,
        key: &str,
        world: &dyn World,
        fx: &mut Vec<Effect>,
    ) {
        if self.key.as_deref() != Some(key) {
            return;
        }
        match message {
            TabMessage::Ended => {
                self.ended_by_server = self.url.is_some();
                self.end(false, world, fx);
            }
            TabMessage::Minimized => self.set_minimized(true, true, world, fx),
            TabMessage::Restored => self.set_minimized(false, true, world, fx),
        }
    }
}
