//! The bar as a pure state machine.
//!
//! A [`Machine`] is told what happened ([`Input`]: a control was pressed, a refresh
//! came back, a timer fired, another tab spoke) and answers with what to do
//! ([`Effect`]: draw, start or cancel a timer, ask a URL, tell the host, tell the other
//! tabs). The clock, the page's visibility and the flags other tabs stored are asked
//! of a [`World`] passed in, so every transition runs natively in a test with a clock
//! the test moves. The browser side (`staff_bar`'s `Bar`) only carries effects out and
//! feeds back what they bring.
//!
//! Effects come in the order they must happen: a host that removes the bar while it
//! hears a notice stops the rest (but never a navigation already decided).

mod controls;
mod scene;
mod source;
mod timeline;

pub use scene::{Look, Scene, StopState};

use crate::session::Session;
use crate::settings::{Settings, SignOutMode};
use crate::sign_out::SignOutError;

/// What the machine asks of its surroundings while it decides.
pub trait World {
    /// The client clock, in milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// Whether the page is hidden (a background tab): nobody can see a countdown.
    fn page_hidden(&self) -> bool;
    /// Whether the bar of impersonation `key` was left minimized (in this tab or
    /// another, before a reload).
    fn stored_minimized(&self, key: &str) -> bool;
    /// The time of day at client time `ms`, as the page's locale and time zone write
    /// it ("14:32", "2:32 PM"); `None` where there is no such clock (the server).
    fn clock_time(&self, ms: i64) -> Option<String> {
        let _ = ms;
        None
    }
    /// Where the tab of impersonation `key` was left along its edge (see
    /// [`Input::Placed`]), if it was moved.
    fn stored_place(&self, key: &str) -> Option<f64> {
        let _ = key;
        None
    }
}

/// What a session URL answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Impersonating(Box<Session>),
    /// 204, 401, a `null` user or impersonator: nothing to show.
    NotImpersonating,
    /// The answer could not be used; the message is for the console.
    Failed(String),
}

/// What one tab tells the others about an impersonation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TabMessage {
    Ended,
    Minimized,
    Restored,
}

impl TabMessage {
    fn word(self) -> &'static str {
        match self {
            TabMessage::Ended => "ended",
            TabMessage::Minimized => "minimized",
            TabMessage::Restored => "restored",
        }
    }

    /// Reads `"<word>\n<session key>"`; anything else is ignored.
    pub fn decode(text: &str) -> Option<(TabMessage, &str)> {
        let (word, key) = text.split_once('\n')?;
        let message = match word {
            "ended" => TabMessage::Ended,
            "minimized" => TabMessage::Minimized,
            "restored" => TabMessage::Restored,
            _ => return None,
        };
        Some((message, key))
    }

    pub fn encode(self, key: &str) -> String {
        let mut text = String::from(self.word());
        text.push('\n');
        text.push_str(key);
        text
    }
}

/// Everything that can happen to a bar.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A session given inline: no URL, no refreshing, no stale or ended mark.
    Show(Option<Session>),
    /// Refresh `url` from now on; `first` is an answer already in hand, else ask now.
    Watch {
        url: String,
        first: Option<Answer>,
    },
    /// The answer to [`Effect::FetchSession`] number `generation`, with the console
    /// messages for the optional fields it dropped.
    Answered {
        generation: u32,
        answer: Answer,
        ignored: Vec<String>,
    },
    /// The host's attributes or props changed.
    Configure(Box<Settings>),
    StopPressed,
    /// The host heard [`Report::Stop`] and did not cancel it.
    StopConfirmed,
    /// The sign-out form of a form-mode Stop was submitted.
    FormSubmitted,
    /// How the sign-out of impersonation `key` ended: `Ok(Some(url))` goes there,
    /// `Ok(None)` only ends the bar (the app navigates).
    Stopped {
        key: Option<String>,
        outcome: Result<Option<String>, SignOutError>,
    },
    MinimizePressed,
    RestorePressed,
    /// The tab was dragged to `place` along its edge: 0 at the left end, 1 at the
    /// right, anything between (the frame never moves). `settled` once the pointer is
    /// released: only then is it remembered.
    Placed {
        place: f64,
        settled: bool,
    },
    ReasonToggled,
    /// Alt+Shift and this letter was pressed.
    Shortcut(char),
    /// Another tab's word about impersonation `key`.
    FromTab {
        message: TabMessage,
        key: String,
    },
    /// The page was hidden or shown.
    Visibility {
        hidden: bool,
    },
    /// The browser came back online.
    Online,
    /// The page came back from the back/forward cache.
    PageShow,
    /// A timer of [`Effect::Wake`] fired.
    Woke(Alarm),
    /// The name `organization_url` gave for organization `id`.
    OrganizationNamed {
        id: String,
        name: Option<String>,
    },
}

/// The timers a bar runs, one of each at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alarm {
    /// Ask the session URL again.
    Refresh,
    /// The countdown's text changes, or the time is up.
    Countdown,
    /// Say who is impersonated in the live region, a moment after the bar appears.
    Announce,
    /// A form-mode Stop that has not left the page by now has failed.
    FormDeadline,
}

/// What the machine tells its host, which the element turns into DOM events and the
/// component into callbacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Report {
    /// Stop was pressed; a host that cancels it answers with nothing, one that does
    /// not with [`Input::StopConfirmed`].
    Stop,
    /// Sign-out succeeded; the browser goes to this URL next.
    SignedOut(String),
    /// Stop failed with this message.
    Error(String),
    Minimize,
    Restore,
    /// The impersonation reached its `expiresAt`.
    Expired,
}

/// What Stop sends, from the settings at the moment it was confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignOut {
    /// The impersonation being stopped, handed back in [`Input::Stopped`].
    pub key: Option<String>,
    pub url: Option<String>,
    pub return_to: Option<String>,
    pub csrf_token: Option<String>,
    pub csrf_field: Option<String>,
    pub csrf_header: Option<String>,
    pub mode: SignOutMode,
}

impl SignOut {
    /// The CSRF token to send to `url`: the one given, else the page's own (its
    /// `<meta name="csrf-token">`, read only when needed), which never goes to another
    /// origin. A token passed explicitly is sent where the app said.
    pub fn token(
        &self,
        url_on_page_origin: bool,
        page_token: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        self.csrf_token.clone().or_else(|| if url_on_page_origin { page_token() } else { None })
    }

    /// The `return-to` path to send: a refused value is dropped (Stop still signs out),
    /// with the reason for the console.
    pub fn checked_return_to(&self) -> (Option<String>, Option<&'static str>) {
        match self.return_to.as_deref().map(crate::sign_out::validate_return_to) {
            None => (None, None),
            Some(Ok(path)) => (Some(path.to_owned()), None),
            Some(Err(refusal)) => (None, Some(refusal.message())),
        }
    }
}

/// What the host does for the machine.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Bring the DOM in line with [`Machine::scene`].
    Draw,
    /// Start `alarm` after this many milliseconds (replacing one running), or cancel it.
    Wake(Alarm, Option<u32>),
    /// GET the session JSON; answer with [`Input::Answered`] and this generation.
    FetchSession {
        url: String,
        generation: u32,
    },
    /// GET organization `id`'s name; answer with [`Input::OrganizationNamed`].
    FetchOrganization {
        url: String,
        id: String,
    },
    Notify(Report),
    /// Sign out; answer with [`Input::Stopped`] (or [`Input::FormSubmitted`]).
    SignOut(SignOut),
    /// Send the browser here, even if the bar is gone by then.
    Navigate(String),
    /// Tell the other tabs.
    Broadcast(TabMessage, String),
    /// Store (or clear) the minimized flag of impersonation `key`.
    RememberMinimized(String, bool),
    /// Store where the tab of impersonation `key` stands along its edge.
    RememberPlace(String, f64),
    /// Forget what is stored for impersonation `key`: its minimized flag and place.
    ForgetMinimized(String),
    /// Move focus to this part, if focus was inside the bar when the input came.
    Focus(&'static str),
    /// The key press was the bar's shortcut: keep the page from acting on it.
    PreventDefault,
    Warn(String),
    LogError(String),
}

/// A bar's whole state. Every field is private: it changes only through
/// [`Machine::handle`].
#[derive(Clone, Debug)]
pub struct Machine {
    settings: Settings,
    /// The session from the page or the server.
    real: Option<Session>,
    /// The last refresh failed; the bar stays, marked.
    stale: bool,
    /// A definite answer said the impersonation shown is over.
    gone: bool,
    /// The dev preview's sample session.
    preview: Option<Session>,
    /// The impersonation the state below belongs to.
    key: Option<String>,
    /// Server clock minus client clock, taken once per impersonation.
    clock_offset: i64,
    ended_by_server: bool,
    minimized: bool,
    /// Where the tab was moved along its edge, 0 to 1; `None`: where `align` puts it.
    place: Option<f64>,
    stop: StopState,
    show_reason: bool,
    announcement: String,
    announce_pending: bool,
    time_text: String,
    seconds_left: Option<i64>,
    warning: bool,
    /// The last two minutes: a stronger signal than the warning.
    urgent: bool,
    /// "until 14:32", once the browser's clock has written it.
    ends_at: String,
    /// "Ended at 14:32", once ended in the browser.
    ended_at: String,
    /// The expiry and the time left at the countdown's last step, to see a step cross
    /// an announcement.
    last_left: Option<(i64, i64)>,
    page_hidden: bool,
    /// The expiry and visibility the running countdown was started for.
    countdown_for: Option<(i64, bool)>,
    /// The session URL being refreshed (the rules of [`crate::refresh`]).
    url: Option<String>,
    failures: u32,
    /// Bumped by every request and by a new source, so a late answer is dropped.
    generation: u32,
    /// A failed Stop waiting for the server to say whether the impersonation is over.
    held_failure: Option<String>,
    /// The console messages of the fields the last answer dropped.
    ignored: Vec<String>,
    /// The organization id whose name was asked at `organization_url`, and the name
    /// once known: asked once per id.
    organization: Option<(String, Option<String>)>,
}

impl Machine {
    /// A bar set up with `settings`, showing `session`. Its first effects come from
    /// [`Machine::start`].
    pub fn new(settings: Settings, session: Option<Session>, world: &dyn World) -> Machine {
        let preview = timeline::preview_for(&settings, world);
        Machine {
            settings,
            real: session,
            stale: false,
            gone: false,
            preview,
            key: None,
            clock_offset: 0,
            ended_by_server: false,
            minimized: false,
            place: None,
            stop: StopState::Ready,
            show_reason: false,
            announcement: String::new(),
            announce_pending: false,
            time_text: String::new(),
            seconds_left: None,
            warning: false,
            urgent: false,
            ends_at: String::new(),
            ended_at: String::new(),
            last_left: None,
            page_hidden: world.page_hidden(),
            countdown_for: None,
            url: None,
            failures: 0,
            generation: 0,
            held_failure: None,
            ignored: Vec::new(),
            organization: None,
        }
    }

    /// The effects of being mounted: the countdown, the first drawing.
    pub fn start(&mut self, world: &dyn World) -> Vec<Effect> {
        let mut effects = Vec::new();
        self.catch_up(world, &mut effects);
        effects
    }

    /// What `input` does to the bar, and what the host should do about it.
    pub fn handle(&mut self, input: Input, world: &dyn World) -> Vec<Effect> {
        let mut fx = Vec::new();
        match input {
            Input::Show(session) => self.show(session, world, &mut fx),
            Input::Watch { url, first } => self.watch(url, first, world, &mut fx),
            Input::Answered { generation, answer, ignored } => {
                if generation == self.generation && self.url.is_some() {
                    // Said once: the same dropped fields, refresh after refresh, are
                    // not warned about again.
                    if ignored != self.ignored {
                        fx.extend(ignored.iter().cloned().map(Effect::Warn));
                        self.ignored = ignored;
                    }
                    self.apply(answer, world, &mut fx);
                    self.schedule_refresh(&mut fx);
                }
            }
            Input::Configure(settings) => self.configure(*settings, world, &mut fx),
            Input::StopPressed => self.press_stop(world, &mut fx),
            Input::StopConfirmed => self.confirm_stop(world, &mut fx),
            Input::FormSubmitted => {
                if self.stop == StopState::Pending {
                    fx.push(Effect::Wake(Alarm::FormDeadline, Some(crate::sign_out::TIMEOUT_MS)));
                }
            }
            Input::Stopped { key, outcome } => self.stopped(key, outcome, world, &mut fx),
            Input::MinimizePressed => self.set_minimized(true, false, world, &mut fx),
            Input::Placed { place, settled } => self.set_place(place, settled, world, &mut fx),
            Input::RestorePressed => self.set_minimized(false, false, world, &mut fx),
            Input::ReasonToggled => {
                self.show_reason = !self.show_reason;
                self.catch_up(world, &mut fx);
            }
            Input::Shortcut(letter) => self.shortcut(letter, world, &mut fx),
            Input::FromTab { message, key } => self.hear_tab(message, &key, world, &mut fx),
            Input::Visibility { hidden } => {
                self.page_hidden = hidden;
                self.catch_up(world, &mut fx);
                if !hidden {
                    self.poll(&mut fx);
                }
            }
            Input::Online => self.poll(&mut fx),
            // Back from the back/forward cache after a form-mode Stop: the POST may not
            // have happened, so offer Stop again instead of "Stopping…" forever.
            Input::PageShow => {
                fx.push(Effect::Wake(Alarm::FormDeadline, None));
                if self.stop == StopState::Pending {
                    self.stop = StopState::Ready;
                    self.catch_up(world, &mut fx);
                }
            }
            Input::Woke(alarm) => self.woke(alarm, world, &mut fx),
            Input::OrganizationNamed { id, name } => {
                if self.organization.as_ref().map(|(asked, _)| asked) == Some(&id) {
                    self.organization = Some((id, name));
                    self.catch_up(world, &mut fx);
                }
            }
        }
        fx
    }

    /// What to draw, or `None` when no bar is shown.
    pub fn scene(&self) -> Option<Scene> {
        Some(Scene {
            look: self.look()?,
            side: self.settings.side,
            align: self.settings.align,
            theme: self.settings.theme,
            class: self.settings.class.clone(),
            minimized: self.minimized,
            place: self.place,
            warning: self.warning,
            urgent: self.urgent,
            ends_at: self.ends_at.clone(),
            ended_at: self.ended_at.clone(),
            stale: self.stale,
            stop: self.stop.clone(),
            show_reason: self.show_reason,
            time_text: self.time_text.clone(),
            seconds_left: self.seconds_left,
            announcement: self.announcement.clone(),
        })
    }

    /// The root's `style` attribute and z-index, from the settings.
    pub fn root_style(&self) -> (Option<&str>, Option<i32>) {
        (self.settings.style.as_deref(), self.settings.z_index)
    }

    /// The session shown: the real one, else the preview's.
    fn shown(&self) -> Option<&Session> {
        self.real.as_ref().or(self.preview.as_ref())
    }

    /// The impersonation the bar's state belongs to.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    fn is_preview(&self) -> bool {
        self.real.is_none() && self.preview.is_some()
    }

    fn ended(&self) -> bool {
        self.stop == StopState::Ended
    }

    fn look(&self) -> Option<Look> {
        let mut session = self.shown()?.clone();
        // A name looked up at `organization_url` fills a session that has only the id.
        if let (Some(org), Some((id, Some(name)))) = (session.organization.as_mut(), &self.organization) {
            if org.name.is_none() && org.id.as_deref() == Some(id.as_str()) {
                org.name = Some(name.clone());
            }
        }
        Some(Look {
            session,
            strings: self.settings.strings.clone(),
            preview: self.is_preview(),
            ended: self.ended(),
        })
    }
}
