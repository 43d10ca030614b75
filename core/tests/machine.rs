//! The bar's state machine, natively: every transition with a clock the test moves,
//! a page visibility it sets and a minimized flag it stores, and no browser.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::cell::{Cell, RefCell};

use staff_bar_core::machine::{
    Alarm, Answer, Effect, Input, Machine, Report, SignOut, StopState, TabMessage, World,
};
use staff_bar_core::sign_out::SignOutError;
use staff_bar_core::{Align, Impersonator, Organization, Session, Settings, SignOutMode, Theme, User};

const START: i64 = 1_800_000_000_000;
const MINUTE: i64 = 60_000;

/// The page as a test sets it up.
struct Page {
    now: Cell<i64>,
    hidden: Cell<bool>,
    minimized: RefCell<Option<String>>,
    place: RefCell<Option<(String, f64)>>,
}

impl Page {
    fn new() -> Page {
        Page {
            now: Cell::new(START),
            hidden: Cell::new(false),
            minimized: RefCell::new(None),
            place: RefCell::new(None),
        }
    }

    fn advance(&self, ms: i64) {
        self.now.set(self.now.get() + ms);
    }
}

impl World for Page {
    fn now_ms(&self) -> i64 {
        self.now.get()
    }

    fn page_hidden(&self) -> bool {
        self.hidden.get()
    }

    fn stored_minimized(&self, key: &str) -> bool {
        self.minimized.borrow().as_deref() == Some(key)
    }

    fn stored_place(&self, key: &str) -> Option<f64> {
        self.place.borrow().as_ref().filter(|(stored, _)| stored == key).map(|(_, place)| *place)
    }

    /// A 24-hour clock in UTC, as a browser in that zone would write it.
    fn clock_time(&self, ms: i64) -> Option<String> {
        let minutes = ms.div_euclid(MINUTE);
        Some(format!("{:02}:{:02}", minutes / 60 % 24, minutes % 60))
    }
}

fn session(id: &str, expires_in_ms: Option<i64>) -> Session {
    let mut session = Session::new(
        User::new("bob@acme.test").with_id("user_1"),
        Impersonator::new("ada@support.test").with_reason("Ticket 7"),
    )
    .with_session_id(id);
    session.expires_at = expires_in_ms.map(|ms| START + ms);
    session
}

fn stop_state(machine: &Machine) -> StopState {
    machine.scene().expect("a bar is shown").stop
}

fn wake(effects: &[Effect], alarm: Alarm) -> Option<Option<u32>> {
    effects.iter().rev().find_map(|effect| match effect {
        Effect::Wake(woken, delay) if *woken == alarm => Some(*delay),
        _ => None,
    })
}

fn fetch_generation(effects: &[Effect]) -> u32 {
    effects
        .iter()
        .find_map(|effect| match effect {
            Effect::FetchSession { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("the session URL is asked")
}

fn reports(effects: &[Effect]) -> Vec<Report> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Notify(report) => Some(report.clone()),
            _ => None,
        })
        .collect()
}

fn sign_out_request(effects: &[Effect]) -> SignOut {
    effects
        .iter()
        .find_map(|effect| match effect {
            Effect::SignOut(request) => Some(request.clone()),
            _ => None,
        })
        .expect("a sign-out is sent")
}

/// A bar showing `session` inline, started.
fn showing(page: &Page, session: Session) -> (Machine, Vec<Effect>) {
    let mut machine = Machine::new(Settings::default(), Some(session), page);
    let effects = machine.start(page);
    (machine, effects)
}

/// A bar refreshing `/auth/session`, its first answer `session`.
fn watching(page: &Page, session: Session) -> (Machine, u32) {
    let mut machine = Machine::new(Settings::default(), None, page);
    machine.start(page);
    let asked = machine.handle(Input::Watch { url: "/auth/session".into(), first: None }, page);
    let generation = fetch_generation(&asked);
    machine.handle(
        Input::Answered { generation, answer: Answer::Impersonating(Box::new(session)), ignored: Vec::new() },
        page,
    );
    (machine, generation)
}

/// The answer to `request` failing at the network, once the bar has moved on.
fn fails_late(machine: &mut Machine, page: &Page, request: SignOut) -> Vec<Effect> {
    machine.handle(Input::Stopped { key: request.key, outcome: Err(SignOutError::Network) }, page)
}

/// A bar with `settings`, showing `session` inline, started.
fn set_up(page: &Page, settings: Settings, session: Session) -> Machine {
    let mut machine = Machine::new(settings, Some(session), page);
    machine.start(page);
    machine
}

/// Stop failed with `error`: told to the host, shown, and offered again.
fn assert_failed(machine: &Machine, effects: &[Effect], error: SignOutError) {
    let message = error.message();
    assert_eq!(reports(effects), [Report::Error(message.clone())]);
    assert_eq!(stop_state(machine), StopState::Failed(message));
}

/// Presses Stop and confirms it as a host that does not cancel.
fn press_stop(machine: &mut Machine, page: &Page) -> SignOut {
    let pressed = machine.handle(Input::StopPressed, page);
    assert_eq!(reports(&pressed), [Report::Stop], "the host hears Stop first");
    let confirmed = machine.handle(Input::StopConfirmed, page);
    assert_eq!(stop_state(machine), StopState::Pending);
    sign_out_request(&confirmed)
}

#[test]
fn a_session_is_shown_counted_down_and_announced() {
    let page = Page::new();
    let (mut machine, effects) = showing(&page, session("s1", Some(10 * MINUTE)));
    assert!(effects.contains(&Effect::Draw));
    let scene = machine.scene().unwrap();
    assert_eq!(scene.look.session.user.email, "bob@acme.test");
    assert_eq!(scene.stop, StopState::Ready);
    assert!(!scene.time_text.is_empty(), "the countdown is written at once");
    assert_eq!(scene.seconds_left, Some(600), "the seconds left, for the app's own UI");
    assert!(!scene.warning);
    // The next wake-up is when the text changes, no later than a minute.
    let delay = wake(&effects, Alarm::Countdown).flatten().unwrap();
    assert!((1..=60_000).contains(&delay), "{delay}");
    assert_eq!(wake(&effects, Alarm::Announce), Some(Some(150)));
    assert!(scene.announcement.is_empty());
    let announced = machine.handle(Input::Woke(Alarm::Announce), &page);
    assert!(announced.contains(&Effect::Draw));
    assert!(machine.scene().unwrap().announcement.contains("bob@acme.test"));
    // Announced once per impersonation: a later drawing schedules nothing.
    let toggled = machine.handle(Input::ReasonToggled, &page);
    assert_eq!(wake(&toggled, Alarm::Announce), None);
    assert!(machine.scene().unwrap().show_reason);
}

#[test]
fn nothing_is_shown_without_a_session() {
    let page = Page::new();
    let mut machine = Machine::new(Settings::default(), None, &page);
    let effects = machine.start(&page);
    assert!(machine.scene().is_none());
    assert_eq!(wake(&effects, Alarm::Announce), None);
    // Stop with nothing shown sends nothing.
    let confirmed = machine.handle(Input::StopConfirmed, &page);
    assert!(!confirmed.iter().any(|effect| matches!(effect, Effect::SignOut(_))));
}

#[test]
fn the_countdown_warns_then_expires_and_tells_the_other_tabs() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", Some(6 * MINUTE)));
    page.advance(2 * MINUTE);
    let ticked = machine.handle(Input::Woke(Alarm::Countdown), &page);
    assert!(ticked.contains(&Effect::Draw));
    assert!(machine.scene().unwrap().warning, "under five minutes left");
    page.advance(4 * MINUTE);
    let expired = machine.handle(Input::Woke(Alarm::Countdown), &page);
    assert_eq!(reports(&expired), [Report::Expired]);
    assert_eq!(stop_state(&machine), StopState::Ended);
    assert!(machine.scene().unwrap().look.ended);
    let key = machine.key().unwrap().to_owned();
    assert!(expired.contains(&Effect::Broadcast(TabMessage::Ended, key.clone())));
    assert!(expired.contains(&Effect::ForgetMinimized(key)));
    assert!(expired.contains(&Effect::Focus("reload")));
    // Once ended, the clock stops mattering.
    page.advance(MINUTE);
    assert!(reports(&machine.handle(Input::Woke(Alarm::Countdown), &page)).is_empty());
}

#[test]
fn a_session_already_expired_ends_at_once() {
    let page = Page::new();
    let (machine, effects) = showing(&page, session("s1", Some(-1)));
    assert_eq!(stop_state(&machine), StopState::Ended);
    assert_eq!(reports(&effects), [Report::Expired]);
}

#[test]
fn the_server_clock_offset_moves_the_countdown() {
    let page = Page::new();
    // The server is 5 minutes ahead: a session with 6 minutes by its clock has 6 left.
    let mut ahead = session("s1", Some(11 * MINUTE));
    ahead.server_time = Some(START + 5 * MINUTE);
    let (machine, _) = showing(&page, ahead);
    assert!(!machine.scene().unwrap().warning);
    page.advance(MINUTE + 1);
    let mut machine = machine;
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    assert!(machine.scene().unwrap().warning, "5 minutes left by the server's clock");
}

#[test]
fn minimize_and_restore_are_stored_told_and_keep_focus() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", Some(10 * MINUTE)));
    let key = machine.key().unwrap().to_owned();
    let minimized = machine.handle(Input::MinimizePressed, &page);
    assert!(machine.scene().unwrap().minimized);
    assert!(minimized.contains(&Effect::RememberMinimized(key.clone(), true)));
    assert!(minimized.contains(&Effect::Broadcast(TabMessage::Minimized, key.clone())));
    assert_eq!(reports(&minimized), [Report::Minimize]);
    assert!(minimized.contains(&Effect::Focus("restore")));
    // Nobody sees the countdown now: it wakes only for the five-minute announcement
    // (which a screen reader hears from a minimized bar) and the end.
    assert_eq!(wake(&minimized, Alarm::Countdown), Some(Some(5 * 60_000)));
    // Pressing it again changes nothing.
    assert!(machine.handle(Input::MinimizePressed, &page).is_empty());
    let restored = machine.handle(Input::RestorePressed, &page);
    assert!(!machine.scene().unwrap().minimized);
    assert!(restored.contains(&Effect::RememberMinimized(key.clone(), false)));
    assert!(restored.contains(&Effect::Broadcast(TabMessage::Restored, key)));
    assert_eq!(reports(&restored), [Report::Restore]);
    assert!(restored.contains(&Effect::Focus("minimize")));
}

#[test]
fn the_shortcut_minimizes_and_is_kept_from_the_page() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", None));
    let pressed = machine.handle(Input::Shortcut('I'), &page);
    assert_eq!(pressed.first(), Some(&Effect::PreventDefault));
    assert!(machine.scene().unwrap().minimized);
    // Another letter, or the preview's without the preview allowed, is the page's.
    assert!(machine.handle(Input::Shortcut('P'), &page).is_empty());
    assert!(machine.handle(Input::Shortcut('X'), &page).is_empty());
}

#[test]
fn a_stored_minimized_flag_holds_for_its_impersonation_only() {
    let page = Page::new();
    let first = session("s1", None);
    *page.minimized.borrow_mut() = Some(first.key());
    let (mut machine, _) = showing(&page, first);
    assert!(machine.scene().unwrap().minimized, "minimized survives a reload");
    machine.handle(Input::Show(Some(session("s2", None))), &page);
    assert!(!machine.scene().unwrap().minimized, "a new impersonation starts expanded");
}

#[test]
fn other_tabs_minimize_restore_and_end_this_one() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", None));
    let key = machine.key().unwrap().to_owned();
    let heard = machine.handle(Input::FromTab { message: TabMessage::Minimized, key: key.clone() }, &page);
    assert!(machine.scene().unwrap().minimized);
    // Heard, not told again, and focus stays where the user is.
    assert!(!heard.iter().any(|effect| matches!(effect, Effect::Broadcast(..) | Effect::Focus(_))));
    machine.handle(Input::FromTab { message: TabMessage::Restored, key: key.clone() }, &page);
    assert!(!machine.scene().unwrap().minimized);
    // Another impersonation's word is ignored.
    let other = Input::FromTab { message: TabMessage::Ended, key: "someone else".into() };
    assert!(machine.handle(other, &page).is_empty());
    assert_eq!(stop_state(&machine), StopState::Ready);
    let ended = machine.handle(Input::FromTab { message: TabMessage::Ended, key }, &page);
    assert_eq!(stop_state(&machine), StopState::Ended);
    assert!(!ended.iter().any(|effect| matches!(effect, Effect::Broadcast(..))));
}

#[test]
fn an_end_heard_from_a_tab_is_undone_by_this_tabs_own_answer() {
    let page = Page::new();
    let (mut machine, _) = watching(&page, session("s1", None));
    let key = machine.key().unwrap().to_owned();
    machine.handle(Input::FromTab { message: TabMessage::Ended, key }, &page);
    assert_eq!(stop_state(&machine), StopState::Ended);
    let asked = machine.handle(Input::Woke(Alarm::Refresh), &page);
    let generation = fetch_generation(&asked);
    let answer = Answer::Impersonating(Box::new(session("s1", None)));
    machine.handle(Input::Answered { generation, answer, ignored: Vec::new() }, &page);
    assert_eq!(stop_state(&machine), StopState::Ready, "a 401 in another tab during a token rotation");
}

#[test]
fn refreshing_keeps_the_bar_marks_it_stale_and_backs_off() {
    let page = Page::new();
    let (mut machine, _) = watching(&page, session("s1", None));
    let mut generation = 0;
    for expected in [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000] {
        let asked = machine.handle(Input::Woke(Alarm::Refresh), &page);
        generation = fetch_generation(&asked);
        let failed = Answer::Failed("offline".into());
        let answered =
            machine.handle(Input::Answered { generation, answer: failed, ignored: Vec::new() }, &page);
        assert!(answered.contains(&Effect::Warn("offline".into())));
        assert_eq!(wake(&answered, Alarm::Refresh), Some(Some(expected)));
        assert!(machine.scene().unwrap().stale, "the bar stays, marked");
    }
    let asked = machine.handle(Input::Online, &page);
    generation = generation.max(fetch_generation(&asked));
    let answer = Answer::Impersonating(Box::new(session("s1", None)));
    let answered = machine.handle(Input::Answered { generation, answer, ignored: Vec::new() }, &page);
    assert!(!machine.scene().unwrap().stale);
    assert_eq!(wake(&answered, Alarm::Refresh), Some(Some(60_000)));
}

#[test]
fn a_hidden_page_does_not_poll_until_it_is_shown() {
    let page = Page::new();
    let (mut machine, _) = watching(&page, session("s1", Some(30 * MINUTE)));
    page.hidden.set(true);
    let hidden = machine.handle(Input::Visibility { hidden: true }, &page);
    assert_eq!(
        wake(&hidden, Alarm::Countdown),
        Some(Some(25 * 60_000)),
        "no steps: the next wake-up is the five-minute announcement"
    );
    assert!(machine.handle(Input::Woke(Alarm::Refresh), &page).is_empty());
    page.hidden.set(false);
    let shown = machine.handle(Input::Visibility { hidden: false }, &page);
    fetch_generation(&shown);
}

#[test]
fn a_late_answer_is_dropped() {
    let page = Page::new();
    let (mut machine, first) = watching(&page, session("s1", None));
    let asked = machine.handle(Input::Woke(Alarm::Refresh), &page);
    let newer = fetch_generation(&asked);
    assert_ne!(first, newer);
    // The answer to the earlier request arrives after a newer one was sent.
    let late = Input::Answered { generation: first, answer: Answer::NotImpersonating, ignored: Vec::new() };
    assert!(machine.handle(late, &page).is_empty());
    assert_eq!(stop_state(&machine), StopState::Ready);
    // A source given inline since drops the answer to the URL too.
    machine.handle(Input::Show(Some(session("s2", None))), &page);
    let stale = Input::Answered { generation: newer, answer: Answer::NotImpersonating, ignored: Vec::new() };
    assert!(machine.handle(stale, &page).is_empty());
    assert_eq!(machine.scene().unwrap().look.session.session_id.as_deref(), Some("s2"));
}

#[test]
fn a_definite_answer_ends_the_bar_and_it_comes_back_if_the_server_says_so() {
    let page = Page::new();
    let (mut machine, _) = watching(&page, session("s1", None));
    let key = machine.key().unwrap().to_owned();
    let asked = machine.handle(Input::Woke(Alarm::Refresh), &page);
    let gone = Input::Answered {
        generation: fetch_generation(&asked),
        answer: Answer::NotImpersonating,
        ignored: Vec::new(),
    };
    let ended = machine.handle(gone, &page);
    assert_eq!(stop_state(&machine), StopState::Ended, "ended by the server");
    assert!(ended.contains(&Effect::Broadcast(TabMessage::Ended, key)));
    assert!(reports(&ended).is_empty(), "not an expiry");
    let asked = machine.handle(Input::Woke(Alarm::Refresh), &page);
    let back = Answer::Impersonating(Box::new(session("s1", None)));
    machine.handle(
        Input::Answered { generation: fetch_generation(&asked), answer: back, ignored: Vec::new() },
        &page,
    );
    assert_eq!(stop_state(&machine), StopState::Ready);
}

#[test]
fn an_expired_session_answered_again_stays_ended() {
    let page = Page::new();
    let (mut machine, _) = watching(&page, session("s1", Some(MINUTE)));
    let asked = machine.handle(Input::Woke(Alarm::Refresh), &page);
    let gone = Input::Answered {
        generation: fetch_generation(&asked),
        answer: Answer::NotImpersonating,
        ignored: Vec::new(),
    };
    machine.handle(gone, &page);
    assert_eq!(stop_state(&machine), StopState::Ended, "ended by the server");
    // Its time runs out meanwhile; coming back would only expire it again.
    page.advance(MINUTE);
    let asked = machine.handle(Input::Woke(Alarm::Refresh), &page);
    let answer = Answer::Impersonating(Box::new(session("s1", Some(MINUTE))));
    let answered = machine
        .handle(Input::Answered { generation: fetch_generation(&asked), answer, ignored: Vec::new() }, &page);
    assert_eq!(stop_state(&machine), StopState::Ended);
    assert!(reports(&answered).is_empty(), "not expired after the end");
}

#[test]
fn stop_asks_the_host_then_signs_out_once() {
    let page = Page::new();
    let settings = Settings {
        sign_out_url: Some("/auth/sign-out".into()),
        return_to: Some("/dashboard".into()),
        csrf_token: Some("t0k".into()),
        ..Settings::default()
    };
    let mut machine = set_up(&page, settings, session("s1", None));
    let request = press_stop(&mut machine, &page);
    assert_eq!(request.url.as_deref(), Some("/auth/sign-out"));
    assert_eq!(request.key.as_deref(), machine.key());
    assert_eq!(request.mode, SignOutMode::Fetch);
    assert_eq!(request.checked_return_to(), (Some("/dashboard".into()), None));
    // Pending: more clicks send nothing.
    assert!(machine.handle(Input::StopPressed, &page).is_empty());
    assert!(machine.handle(Input::StopConfirmed, &page).is_empty());
    let done = Input::Stopped { key: request.key.clone(), outcome: Ok(Some("/signed-out".into())) };
    let signed_out = machine.handle(done, &page);
    assert_eq!(stop_state(&machine), StopState::Ended);
    assert_eq!(reports(&signed_out), [Report::SignedOut("/signed-out".into())]);
    assert_eq!(signed_out.last(), Some(&Effect::Navigate("/signed-out".into())));
    assert!(signed_out.contains(&Effect::Broadcast(TabMessage::Ended, request.key.unwrap())));
    // Ended: Stop is gone.
    assert!(machine.handle(Input::StopPressed, &page).is_empty());
}

#[test]
fn a_host_that_cancels_stop_sends_nothing() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", None));
    let pressed = machine.handle(Input::StopPressed, &page);
    assert_eq!(reports(&pressed), [Report::Stop]);
    assert!(!pressed.iter().any(|effect| matches!(effect, Effect::SignOut(_))));
    assert_eq!(stop_state(&machine), StopState::Ready);
}

#[test]
fn a_failed_stop_is_shown_and_offered_again() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", None));
    let request = press_stop(&mut machine, &page);
    let failed =
        machine.handle(Input::Stopped { key: request.key, outcome: Err(SignOutError::Status(500)) }, &page);
    assert_failed(&machine, &failed, SignOutError::Status(500));
    assert!(failed.contains(&Effect::LogError(SignOutError::Status(500).message())));
    // Offered again.
    press_stop(&mut machine, &page);
}

#[test]
fn a_failed_stop_with_a_session_url_asks_the_server_first() {
    let page = Page::new();
    let (mut machine, _) = watching(&page, session("s1", None));
    let request = press_stop(&mut machine, &page);
    let key = request.key.clone();
    // Another tab signed out first: this request fails with a 401…
    let failed =
        machine.handle(Input::Stopped { key: key.clone(), outcome: Err(SignOutError::Status(401)) }, &page);
    assert!(reports(&failed).is_empty(), "not a failure yet");
    let generation = fetch_generation(&failed);
    // …and the server says the impersonation is over: ended, no error.
    let answered = machine
        .handle(Input::Answered { generation, answer: Answer::NotImpersonating, ignored: Vec::new() }, &page);
    assert_eq!(stop_state(&machine), StopState::Ended);
    assert!(reports(&answered).is_empty());

    // When the server still shows it, the failure stands.
    let (mut machine, _) = watching(&page, session("s2", None));
    let request = press_stop(&mut machine, &page);
    let failed =
        machine.handle(Input::Stopped { key: request.key, outcome: Err(SignOutError::Network) }, &page);
    let answer = Answer::Impersonating(Box::new(session("s2", None)));
    let answered = machine.handle(
        Input::Answered { generation: fetch_generation(&failed), answer, ignored: Vec::new() },
        &page,
    );
    assert_failed(&machine, &answered, SignOutError::Network);
}

#[test]
fn a_stop_answer_for_another_impersonation_is_dropped() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", None));
    let request = press_stop(&mut machine, &page);
    machine.handle(Input::Show(Some(session("s2", None))), &page);
    assert_eq!(stop_state(&machine), StopState::Ready, "a new impersonation starts with Stop ready");
    let late = fails_late(&mut machine, &page, request);
    assert!(reports(&late).is_empty());
    assert_eq!(stop_state(&machine), StopState::Ready);
}

#[test]
fn a_stop_failing_after_the_expiry_is_dropped() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", Some(MINUTE)));
    let request = press_stop(&mut machine, &page);
    page.advance(MINUTE);
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    let late = fails_late(&mut machine, &page, request);
    assert!(reports(&late).is_empty());
    assert_eq!(stop_state(&machine), StopState::Ended);
}

#[test]
fn a_form_stop_that_stays_on_the_page_fails_at_its_deadline() {
    let page = Page::new();
    let settings = Settings { sign_out_mode: SignOutMode::Form, ..Settings::default() };
    let mut machine = set_up(&page, settings, session("s1", None));
    let request = press_stop(&mut machine, &page);
    assert_eq!(request.mode, SignOutMode::Form);
    let submitted = machine.handle(Input::FormSubmitted, &page);
    assert_eq!(wake(&submitted, Alarm::FormDeadline), Some(Some(30_000)));
    let late = machine.handle(Input::Woke(Alarm::FormDeadline), &page);
    assert_failed(&machine, &late, SignOutError::FormStayed);
}

#[test]
fn back_from_the_cache_a_pending_form_stop_is_offered_again() {
    let page = Page::new();
    let settings = Settings { sign_out_mode: SignOutMode::Form, ..Settings::default() };
    let mut machine = set_up(&page, settings, session("s1", None));
    press_stop(&mut machine, &page);
    machine.handle(Input::FormSubmitted, &page);
    let shown = machine.handle(Input::PageShow, &page);
    assert_eq!(wake(&shown, Alarm::FormDeadline), Some(None), "the deadline is cancelled");
    assert_eq!(stop_state(&machine), StopState::Ready);
}

#[test]
fn the_preview_shows_a_sample_and_stop_ends_it_without_a_request() {
    let page = Page::new();
    let settings = Settings { preview: Some(true), ..Settings::default() };
    let mut machine = Machine::new(settings, None, &page);
    machine.start(&page);
    let scene = machine.scene().unwrap();
    assert!(scene.look.preview);
    let pressed = machine.handle(Input::StopPressed, &page);
    assert!(reports(&pressed).is_empty(), "nothing is sent, not even the Stop notice");
    assert!(machine.scene().is_none());
    // Alt+Shift+P brings it back where the preview is allowed.
    let toggled = machine.handle(Input::Shortcut('P'), &page);
    assert_eq!(toggled.first(), Some(&Effect::PreventDefault));
    assert!(machine.scene().unwrap().look.preview);
    // A real session wins over the preview.
    machine.handle(Input::Show(Some(session("s1", None))), &page);
    assert!(!machine.scene().unwrap().look.preview);
}

#[test]
fn new_settings_apply_and_the_same_settings_change_nothing() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", None));
    assert!(machine.handle(Input::Configure(Box::default()), &page).is_empty());
    let settings = Settings { class: Some("mine".into()), ..Settings::default() };
    let applied = machine.handle(Input::Configure(Box::new(settings)), &page);
    assert!(applied.contains(&Effect::Draw));
    assert_eq!(machine.scene().unwrap().class.as_deref(), Some("mine"));
}

#[test]
fn an_organization_named_by_id_is_looked_up_once() {
    let page = Page::new();
    let settings = Settings { organization_url: Some("/orgs/{id}".into()), ..Settings::default() };
    let mut with_org = session("s1", None);
    with_org.organization = Some(Organization::new().with_id("org_1"));
    let mut machine = Machine::new(settings, None, &page);
    machine.start(&page);
    let shown = machine.handle(Input::Show(Some(with_org.clone())), &page);
    let lookups = |effects: &[Effect]| {
        effects.iter().filter(|effect| matches!(effect, Effect::FetchOrganization { .. })).count()
    };
    assert!(shown.contains(&Effect::FetchOrganization { url: "/orgs/{id}".into(), id: "org_1".into() }));
    // Asked once per id.
    assert_eq!(lookups(&machine.handle(Input::Show(Some(with_org)), &page)), 0);
    // An answer for an id no longer asked is dropped; the right one fills the name.
    let wrong = Input::OrganizationNamed { id: "org_9".into(), name: Some("Evil".into()) };
    assert!(machine.handle(wrong, &page).is_empty());
    machine.handle(Input::OrganizationNamed { id: "org_1".into(), name: Some("Acme".into()) }, &page);
    let organization = machine.scene().unwrap().look.session.organization.unwrap();
    assert_eq!(organization.name.as_deref(), Some("Acme"));
}

#[test]
fn the_pages_csrf_token_never_leaves_its_origin() {
    let request = SignOut {
        key: None,
        url: Some("https://other.test/out".into()),
        return_to: Some("//evil.test".into()),
        csrf_token: None,
        csrf_field: None,
        csrf_header: None,
        mode: SignOutMode::Fetch,
    };
    assert_eq!(request.token(false, || Some("meta".into())), None);
    assert_eq!(request.token(true, || Some("meta".into())), Some("meta".into()));
    let explicit = SignOut { csrf_token: Some("given".into()), ..request.clone() };
    assert_eq!(explicit.token(false, || Some("meta".into())), Some("given".into()));
    // A refused return-to is dropped with its reason; Stop still signs out.
    let (path, refusal) = request.checked_return_to();
    assert_eq!(path, None);
    assert!(refusal.is_some());
}

#[test]
fn a_dropped_field_is_warned_about_once_not_every_refresh() {
    let page = Page::new();
    let (mut machine, _) = watching(&page, session("s1", None));
    let warnings =
        |effects: &[Effect]| effects.iter().filter(|effect| matches!(effect, Effect::Warn(_))).count();
    let dropped = vec!["staff-bar: a session field was ignored: expiresAt".to_owned()];
    let mut seen = Vec::new();
    for _ in 0..3 {
        let asked = machine.handle(Input::Woke(Alarm::Refresh), &page);
        let answer = Answer::Impersonating(Box::new(session("s1", None)));
        let input =
            Input::Answered { generation: fetch_generation(&asked), answer, ignored: dropped.clone() };
        seen.push(warnings(&machine.handle(input, &page)));
    }
    assert_eq!(seen, [1, 0, 0]);
}

#[test]
fn seconds_left_follow_the_countdown_and_end_with_it() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", Some(90 * 1000)));
    assert_eq!(machine.scene().unwrap().seconds_left, Some(90));
    page.advance(30_500);
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    assert_eq!(machine.scene().unwrap().seconds_left, Some(60), "rounded up: 59.5 s is 60");
    page.advance(60_000);
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    let scene = machine.scene().unwrap();
    assert_eq!(scene.stop, StopState::Ended);
    assert_eq!(scene.seconds_left, None, "no time left to tell once it ended");
}

/// Follows the countdown's own wake-ups (from `first`, the effects that started it)
/// until it ends; returns each new announcement with the time into the session it came
/// at, and how many times the countdown woke.
fn run_countdown(machine: &mut Machine, page: &Page, first: &[Effect]) -> (Vec<(i64, String)>, usize) {
    let mut heard = Vec::new();
    let mut last = machine.scene().unwrap().announcement;
    let mut delay = wake(first, Alarm::Countdown).flatten();
    let mut wakes = 0;
    while let Some(ms) = delay {
        page.advance(i64::from(ms));
        let effects = machine.handle(Input::Woke(Alarm::Countdown), page);
        wakes += 1;
        let scene = machine.scene().unwrap();
        if scene.announcement != last {
            heard.push((page.now_ms() - START, scene.announcement.clone()));
            last = scene.announcement;
        }
        if scene.stop == StopState::Ended {
            break;
        }
        delay = wake(&effects, Alarm::Countdown).flatten();
    }
    (heard, wakes)
}

#[test]
fn the_end_is_announced_at_five_minutes_and_at_one_only() {
    let five = (5 * MINUTE, "The impersonation ends in 5 min.".to_string());
    let one = (9 * MINUTE, "The impersonation ends in 1 min.".to_string());
    let page = Page::new();
    let (mut machine, effects) = showing(&page, session("s1", Some(10 * MINUTE)));
    let (heard, wakes) = run_countdown(&mut machine, &page, &effects);
    assert_eq!(heard, [five.clone(), one.clone()]);
    assert!(wakes > 60, "visible, the countdown steps each minute and each last second ({wakes})");

    // Minimized, the countdown sleeps, but wakes for the two announcements.
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s2", Some(10 * MINUTE)));
    let effects = machine.handle(Input::MinimizePressed, &page);
    let (heard, wakes) = run_countdown(&mut machine, &page, &effects);
    assert_eq!(heard, [five, one]);
    assert_eq!(wakes, 3, "minimized: the two announcements and the end");

    // A bar that appears with three minutes left says nothing of five.
    let page = Page::new();
    let (mut machine, effects) = showing(&page, session("s3", Some(3 * MINUTE)));
    let (heard, _) = run_countdown(&mut machine, &page, &effects);
    assert_eq!(heard, [(2 * MINUTE, "The impersonation ends in 1 min.".to_string())]);
}

#[test]
fn the_last_two_minutes_are_urgent() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", Some(3 * MINUTE)));
    assert!(!machine.scene().unwrap().urgent);
    page.advance(MINUTE - 1);
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    assert!(!machine.scene().unwrap().urgent, "2:00.001 left");
    page.advance(1);
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    let scene = machine.scene().unwrap();
    assert!(scene.urgent && scene.warning, "2:00 left");
    page.advance(2 * MINUTE);
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    assert!(!machine.scene().unwrap().urgent, "ended: nothing left to hurry");
}

#[test]
fn it_tells_when_it_ends_and_when_it_ended_on_the_pages_clock() {
    let page = Page::new();
    // START is 2027-01-15T08:00:00Z; the server is five minutes ahead of this page.
    let mut ahead = session("s1", Some(45 * MINUTE));
    ahead.server_time = Some(START + 5 * MINUTE);
    let (mut machine, _) = showing(&page, ahead);
    let scene = machine.scene().unwrap();
    assert_eq!(scene.ends_at, "until 08:40", "45 minutes by the server's clock, 40 by the page's");
    assert_eq!(scene.ended_at, "");
    page.advance(40 * MINUTE);
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    let scene = machine.scene().unwrap();
    assert_eq!(scene.stop, StopState::Ended);
    assert_eq!(scene.ended_at, "Ended at 08:40");

    // Another language's words, and the server's render, which has no clock.
    let page = Page::new();
    let settings = Settings { strings: staff_bar_core::Strings::for_lang("de"), ..Settings::default() };
    let machine = set_up(&page, settings, session("s2", Some(90 * MINUTE)));
    assert_eq!(machine.scene().unwrap().ends_at, "bis 09:30");
    struct Server;
    impl World for Server {
        fn now_ms(&self) -> i64 {
            START
        }
        fn page_hidden(&self) -> bool {
            false
        }
        fn stored_minimized(&self, _: &str) -> bool {
            false
        }
    }
    let mut machine = Machine::new(Settings::default(), Some(session("s3", Some(MINUTE))), &Server);
    machine.start(&Server);
    assert_eq!(machine.scene().unwrap().ends_at, "", "no clock, no time of day");
}

fn remembered_place(effects: &[Effect]) -> Option<f64> {
    effects.iter().find_map(|effect| match effect {
        Effect::RememberPlace(_, place) => Some(*place),
        _ => None,
    })
}

#[test]
fn the_tab_is_dragged_along_its_edge_and_remembered_once_let_go() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", None));
    assert_eq!(machine.scene().unwrap().place, None, "where align puts it");
    let moving = machine.handle(Input::Placed { place: 0.25, settled: false }, &page);
    assert!(moving.contains(&Effect::Draw));
    assert_eq!(machine.scene().unwrap().place, Some(0.25));
    assert_eq!(remembered_place(&moving), None, "not stored on every pointer move");
    let settled = machine.handle(Input::Placed { place: 0.3, settled: true }, &page);
    assert_eq!(remembered_place(&settled), Some(0.3));
    // Past either end it stops at the end; not a number changes nothing.
    machine.handle(Input::Placed { place: 7.5, settled: false }, &page);
    assert_eq!(machine.scene().unwrap().place, Some(1.0));
    machine.handle(Input::Placed { place: -2.0, settled: false }, &page);
    assert_eq!(machine.scene().unwrap().place, Some(0.0));
    assert!(machine.handle(Input::Placed { place: f64::NAN, settled: true }, &page).is_empty());
    assert_eq!(machine.scene().unwrap().place, Some(0.0));

    // A reload of the same impersonation puts it back; another starts where align says.
    let key = machine.key().unwrap().to_owned();
    *page.place.borrow_mut() = Some((key, 0.3));
    let (machine, _) = showing(&page, session("s1", None));
    assert_eq!(machine.scene().unwrap().place, Some(0.3));
    let (machine, _) = showing(&page, session("s2", None));
    assert_eq!(machine.scene().unwrap().place, None);

    // Nothing shown, nothing to move.
    let mut empty = Machine::new(Settings::default(), None, &page);
    assert!(empty.handle(Input::Placed { place: 0.5, settled: true }, &page).is_empty());
}

#[test]
fn alt_shift_arrows_move_the_tab_a_tenth_at_a_time() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", None));
    let moved = machine.handle(Input::Shortcut('>'), &page);
    assert!(moved.contains(&Effect::PreventDefault), "kept from the page");
    assert_eq!(remembered_place(&moved), Some(0.6), "from the centre, remembered at once");
    for _ in 0..10 {
        machine.handle(Input::Shortcut('<'), &page);
    }
    assert_eq!(machine.scene().unwrap().place, Some(0.0), "stops at the start");
    let settings = Settings { align: Align::End, ..Settings::default() };
    let mut machine = set_up(&page, settings, session("s2", None));
    machine.handle(Input::Shortcut('<'), &page);
    assert_eq!(machine.scene().unwrap().place, Some(0.9), "from where align put it");
}

#[test]
fn align_and_theme_are_read_and_reach_the_scene() {
    assert_eq!(Align::parse(" END "), Some(Align::End));
    assert_eq!(Align::parse("start"), Some(Align::Start));
    assert_eq!(Align::parse("left"), None, "an unknown value is for the caller to warn about");
    assert_eq!(Theme::parse("Auto"), Some(Theme::Auto));
    assert_eq!(Theme::parse("sepia"), None);
    assert_eq!((Align::default(), Theme::default()), (Align::Center, Theme::Light), "authkit-nextjs's look");
    let page = Page::new();
    let settings = Settings { align: Align::Start, theme: Theme::Dark, ..Settings::default() };
    let mut machine = set_up(&page, settings, session("s1", None));
    let scene = machine.scene().unwrap();
    assert_eq!((scene.align, scene.theme), (Align::Start, Theme::Dark));
    let settings = Settings { align: Align::End, theme: Theme::Auto, ..Settings::default() };
    machine.handle(Input::Configure(Box::new(settings)), &page);
    let scene = machine.scene().unwrap();
    assert_eq!((scene.align, scene.theme), (Align::End, Theme::Auto), "changed at run time");
}

#[test]
fn time_left_is_exact_between_the_countdowns_steps() {
    let page = Page::new();
    let (mut machine, _) = showing(&page, session("s1", Some(10 * 60 * 1000)));
    assert_eq!(machine.time_left(&page), Some(600));
    // Far from the end the countdown steps by the minute; time_left does not wait.
    page.advance(12_300);
    assert_eq!(machine.time_left(&page), Some(588), "rounded up: 587.7 s is 588");
    assert_eq!(machine.scene().unwrap().seconds_left, Some(600), "the scene is as of the last step");
    machine.handle(Input::MinimizePressed, &page);
    page.advance(7_700);
    assert_eq!(machine.time_left(&page), Some(580), "minimized, the countdown sleeps; the time does not");
    page.advance(600_000);
    assert_eq!(machine.time_left(&page), Some(0), "never below zero");
    machine.handle(Input::Woke(Alarm::Countdown), &page);
    assert_eq!(machine.time_left(&page), None, "ended: no time left to tell");
    let (machine, _) = showing(&page, session("s2", None));
    assert_eq!(machine.time_left(&page), None, "no expiry");
}

#[test]
fn an_unsafe_destination_is_never_navigated_to_whoever_gave_it() {
    // The fetch path already refuses these in `sign_out::destination`; a host's stop
    // action hands its destination straight to the machine, which checks it again.
    for url in
        ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "java\tscript:x", "vbscript:x"]
    {
        let page = Page::new();
        let (mut machine, _) = showing(&page, session("s1", None));
        let request = press_stop(&mut machine, &page);
        let done = machine.handle(Input::Stopped { key: request.key, outcome: Ok(Some(url.into())) }, &page);
        assert!(!done.iter().any(|effect| matches!(effect, Effect::Navigate(_))), "{url}");
        assert_failed(&machine, &done, SignOutError::UnsafeRedirect);
    }
    // Web addresses and paths still go through.
    for url in ["https://api.workos.com/user_management/sessions/logout", "/signed-out", "?bye"] {
        let page = Page::new();
        let (mut machine, _) = showing(&page, session("s1", None));
        let request = press_stop(&mut machine, &page);
        let done = machine.handle(Input::Stopped { key: request.key, outcome: Ok(Some(url.into())) }, &page);
        assert_eq!(done.last(), Some(&Effect::Navigate(url.into())), "{url}");
    }
}

#[test]
fn a_sign_out_url_that_is_not_a_web_address_sends_nothing() {
    for mode in [SignOutMode::Fetch, SignOutMode::Form] {
        for url in ["javascript:alert(document.cookie)", "data:text/html,<form>", "file:///etc/passwd"] {
            let page = Page::new();
            let settings =
                Settings { sign_out_url: Some(url.into()), sign_out_mode: mode, ..Settings::default() };
            let mut machine = set_up(&page, settings, session("s1", None));
            machine.handle(Input::StopPressed, &page);
            let confirmed = machine.handle(Input::StopConfirmed, &page);
            assert!(!confirmed.iter().any(|effect| matches!(effect, Effect::SignOut(_))), "{url}");
            assert_failed(&machine, &confirmed, SignOutError::UnsafeEndpoint);
        }
    }
}
