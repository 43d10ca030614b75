//! What one drawing of the bar shows, as plain data: the machine builds it, the
//! browser's writers draw it, the server renders it as HTML.

use crate::session::Session;
use crate::settings::{Align, Settings, Side, Theme};
use crate::strings::Strings;

/// What the bar's contents depend on: when any of it changes they are rebuilt; the
/// rest of a [`Scene`] is patched in place, so the controls keep their nodes (and
/// focus, and a click in progress) through a refresh, a tick or a failed Stop.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    pub session: Session,
    pub strings: Strings,
    pub preview: bool,
    pub ended: bool,
}

/// Where Stop is, as the markup shows it (`data-state`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopState {
    Ready,
    /// A request is in flight: further clicks send nothing.
    Pending,
    /// The last attempt failed with this message; Stop can be tried again.
    Failed(String),
    /// The impersonation is over (stopped here or in another tab, or expired).
    Ended,
}

impl StopState {
    /// The value of the root's `data-state` attribute.
    pub fn name(&self) -> &'static str {
        match self {
            StopState::Ready => "ready",
            StopState::Pending => "pending",
            StopState::Failed(_) => "failed",
            StopState::Ended => "ended",
        }
    }
}

/// Everything one drawing of the bar shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub look: Look,
    pub side: Side,
    pub align: Align,
    pub theme: Theme,
    /// Classes added to `staff-bar` on the root.
    pub class: Option<String>,
    pub minimized: bool,
    /// Where the tab was moved along its edge (0 left, 1 right); `None`: by `align`.
    pub place: Option<f64>,
    pub warning: bool,
    /// The last two minutes (`data-urgent`): a stronger, calm signal.
    pub urgent: bool,
    /// When it ends, "until 14:32"; empty until the browser's clock writes it.
    pub ends_at: String,
    /// When it ended, "Ended at 14:32"; empty unless ended in the browser.
    pub ended_at: String,
    /// The last refresh failed: the bar stays, marked.
    pub stale: bool,
    pub stop: StopState,
    pub show_reason: bool,
    pub time_text: String,
    /// Whole seconds left until `expiresAt` (rounded up), as of the countdown's last
    /// step: it moves whenever `time_text` does. `None` without an expiry or once ended.
    pub seconds_left: Option<i64>,
    pub announcement: String,
}

impl Scene {
    /// How `session` first looks: expanded, Stop ready, the countdown not yet
    /// started (the browser fills it in, on its own clock).
    pub fn at_rest(session: Session, settings: &Settings) -> Scene {
        Scene {
            look: Look { session, strings: settings.strings.clone(), preview: false, ended: false },
            side: settings.side,
            align: settings.align,
            theme: settings.theme,
            class: settings.class.clone(),
            minimized: false,
            place: None,
            warning: false,
            urgent: false,
            ends_at: String::new(),
            ended_at: String::new(),
            stale: false,
            stop: StopState::Ready,
            show_reason: false,
            time_text: String::new(),
            seconds_left: None,
            announcement: String::new(),
        }
    }
}
