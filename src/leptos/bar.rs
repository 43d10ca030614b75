//! The bar itself: everything `<Impersonation/>` shows and does once someone is
//! impersonated. The component keeps only a host element and its props; this module
//! builds the settings, starts the driver and renders the view. With the `split`
//! feature, [`mount_bar`] is a Leptos `#[lazy]` split point: a `cargo leptos build
//! --split` puts all of this (and the state machine, the session reader, the strings)
//! into a chunk that only an impersonated page fetches.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use staff_bar_core::machine::{Input, Report};

use super::bar_view::{self, Frame};
use super::context;
use super::driver::{with_driver, Driver, DriverSlot, Heard};
use super::StopAction;
use crate::dom;
use crate::session::Session;
use crate::settings::{Align, Settings, Side, SignOutMode, Theme};
use crate::view::Scene;
use crate::Strings;

/// The props of `<Impersonation/>`, handed to the bar as one value (a split point
/// takes concrete arguments only). Everything in it is `Send + Sync`, so it crosses
/// an SSR render on any worker thread.
#[derive(Clone)]
pub(crate) struct BarProps {
    pub session: Option<Signal<Option<Session>>>,
    pub session_json: Option<Signal<Option<String>>>,
    pub session_url: MaybeProp<String>,
    pub setup: SetupProps,
    pub stop_action: Option<StopAction>,
    pub callbacks: Callbacks,
    pub children: Option<ChildrenFn>,
}

impl BarProps {
    /// Whether the app gave the bar no session source of its own (`session`,
    /// `session_json`, `session_url`): then a `server_session` is what it shows, written
    /// into the host on the server and taken from there in the browser.
    pub(crate) fn takes_carried_session(&self) -> bool {
        self.session.is_none()
            && self.session_json.is_none()
            && self.session_url.with_untracked(Option::is_none)
    }
}

/// The props that make the bar's [`Settings`], all reactive.
#[derive(Clone, Copy)]
pub(crate) struct SetupProps {
    pub sign_out_url: MaybeProp<String>,
    pub return_to: MaybeProp<String>,
    pub csrf_token: MaybeProp<String>,
    pub csrf_header: MaybeProp<String>,
    pub csrf_field: MaybeProp<String>,
    pub sign_out_mode: MaybeProp<SignOutMode>,
    pub side: MaybeProp<Side>,
    pub align: MaybeProp<Align>,
    pub theme: MaybeProp<Theme>,
    pub z_index: MaybeProp<i32>,
    pub organization_url: MaybeProp<String>,
    pub class: MaybeProp<String>,
    pub style: MaybeProp<String>,
    pub strings: MaybeProp<Strings>,
    pub lang: MaybeProp<String>,
    /// The `preview` prop where it is allowed (debug builds, or `force_preview`).
    pub preview: MaybeProp<bool>,
}

impl SetupProps {
    /// The settings the props say now (tracked, in a reactive context).
    fn settings(self) -> Settings {
        Settings {
            sign_out_url: self.sign_out_url.get(),
            sign_out_mode: self.sign_out_mode.get().unwrap_or_default(),
            return_to: self.return_to.get(),
            side: self.side.get().unwrap_or_default(),
            align: self.align.get().unwrap_or_default(),
            theme: self.theme.get().unwrap_or_default(),
            z_index: self.z_index.get(),
            csrf_token: self.csrf_token.get(),
            csrf_header: self.csrf_header.get(),
            csrf_field: self.csrf_field.get(),
            strings: self.strings.get().unwrap_or_else(|| {
                Strings::for_lang(&self.lang.get().or_else(dom::page_language).unwrap_or_default())
            }),
            organization_url: self.organization_url.get(),
            class: self.class.get(),
            style: self.style.get(),
            preview: self.preview.get(),
        }
    }
}

/// A bar mounted into the component's host in the browser: dropping it unmounts the
/// view and disposes of its reactive owner.
#[cfg_attr(feature = "ssr", allow(dead_code))]
pub(crate) struct Mounted {
    owner: Owner,
    /// The view's state, erased only for storage: an `AnyView` would compile every way
    /// of rendering the bar (async hydration among them) into the chunk.
    state: Option<Box<dyn leptos::tachys::view::Mountable>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(mut state) = self.state.take() {
            state.unmount();
        }
        self.owner.cleanup();
    }
}

/// The name of the bar's chunk in a split build (its file is `split_staff_bar.wasm`).
#[cfg_attr(not(all(feature = "split", feature = "ssr")), allow(dead_code))]
pub(crate) const CHUNK: &str = "staff_bar";

/// Room for wasm-split to move the bar's data (the stylesheet, the string tables, about
/// 23 KB) into the chunk. It regroups the read-only data segment by module, and when
/// the alignment padding that adds makes the segment longer than the linker's, it keeps
/// the whole segment in the main module: every visitor then downloads the bar's data
/// (8 KB gzip; it happened when an app's code changed by a few lines). Nothing reads
/// this, so wasm-split emits it nowhere and its bytes are that room. Not only with
/// `split`: an app's own split point around the bar (a lazy island) needs it too, and
/// a build that wasm-split never sees keeps 2 KB of one repeated byte (20 B gzip).
#[cfg(all(not(feature = "ssr"), target_family = "wasm"))]
#[used]
static SPLIT_DATA_ROOM: [u8; 2048] = [0x5a; 2048];

/// Why the bar could not be shown: its chunk did not load (the network, a blocker, a
/// CSP without `'wasm-unsafe-eval'`). Not cached: the next call tries again.
#[cfg_attr(feature = "ssr", allow(dead_code))]
pub(crate) type ChunkMissing = leptos::wasm_split::SplitLoaderError;

/// Shows the bar inside `host`, under `owner` (the component's, so the app's contexts
/// and the Stop action's `use_context` reach it): the server's markup already there is
/// hydrated in place, else the bar is built.
///
/// With `split` in the browser this is a split point: the call first loads the chunk,
/// and a chunk that fails to load is an error to retry, never a panic (which would end
/// the host app's whole wasm module; Leptos's `#[lazy]` panics, so the lower-level
/// `wasm_split` it is built on is used, with `fallible`).
#[cfg_attr(
    all(feature = "split", target_family = "wasm"),
    leptos::wasm_split::wasm_split(staff_bar, wasm_split_path = ::leptos::wasm_split, fallible)
)]
#[cfg_attr(feature = "ssr", allow(dead_code))]
pub(crate) fn mount_bar(
    host: web_sys::HtmlDivElement,
    owner: Owner,
    props: BarProps,
) -> Result<Mounted, ChunkMissing> {
    let owner = owner.with(Owner::new);
    let mut props = props;
    if props.takes_carried_session() {
        let carried = host.get_attribute(super::component::CARRIED_SESSION);
        if carried.is_some() {
            props.session_json = Some(Signal::stored(carried));
        }
    }
    // A bar the server rendered is hydrated; anything else there (the marker of "no
    // bar", when the session came later) makes way for a new one.
    let from_server = host.first_element_child().is_some();
    if !from_server {
        host.set_text_content(None);
    }
    crate::dom::adopt_styles(&host);
    let state: Box<dyn leptos::tachys::view::Mountable> = owner.with(|| {
        let view = render(props, from_server);
        if from_server {
            use leptos::tachys::hydration::Cursor;
            use leptos::tachys::view::{PositionState, RenderHtml};
            Box::new(view.hydrate::<true>(&Cursor::new(host.into()), &PositionState::default()))
        } else {
            use leptos::tachys::view::{Mountable, Render};
            let mut state = view.build();
            state.mount(&host, None);
            Box::new(state)
        }
    });
    Ok(Mounted { owner, state: Some(state) })
}

/// The bar as a view: at rest from the `session` prop on the server and while the page
/// hydrates, then whatever the driver draws. `server_html`: the view is (or takes over)
/// the server's HTML, which carries the stylesheet inline.
pub(crate) fn render(props: BarProps, server_html: bool) -> impl IntoView {
    let BarProps { session, session_json, session_url, setup, stop_action, callbacks, children } = props;
    let session = session.or_else(|| session_json.map(read_session_json));
    let settings = move || setup.settings();
    // What the driver draws, once it runs; until then (on the server, and while the
    // page hydrates) the session prop at rest, so both render the same HTML.
    let drawn = RwSignal::new(None::<Option<Scene>>);
    let scene = Memo::new(move |_| match drawn.get() {
        Some(scene) => scene,
        None => session.and_then(|session| session.get()).map(|session| Scene::at_rest(session, &settings())),
    });
    let driver: DriverSlot = StoredValue::new(None);
    context::offer(session, scene, driver);
    let root = NodeRef::<leptos::html::Div>::new();
    let send = Callback::new(move |input: Input| with_driver(driver, |driver| driver.feed(input, None)));
    run_in_browser(Browser { settings, session, session_url, stop_action, callbacks, drawn, driver, root });
    bar_view::bar(Frame {
        scene,
        root,
        style: Signal::derive(move || setup.style.get()),
        z_index: Signal::derive(move || setup.z_index.get()),
        inline_style: server_html.then(|| leptos::nonce::use_nonce().map(|nonce| nonce.to_string())),
        message: children,
        send,
    })
}

/// The `session_json` prop as a session, read here (in the bar's chunk with `split`)
/// by the same reader as a `session_url` answer: text that is not a session warns and
/// shows nothing, and an optional field it had to drop warns and the bar still shows.
fn read_session_json(json: Signal<Option<String>>) -> Signal<Option<Session>> {
    let session = Memo::new(move |_| {
        json.with(|json| match Session::read_json(json.as_deref()?) {
            Ok(reading) => {
                for field in &reading.ignored {
                    dom::warn(&field.ignored_message());
                }
                reading.session
            }
            Err(error) => {
                dom::warn(&error.message());
                None
            }
        })
    });
    session.into()
}

/// The app's callbacks, for what the bar reports.
#[derive(Clone, Copy)]
pub(crate) struct Callbacks {
    pub on_stop: Option<Callback<(), bool>>,
    pub on_signed_out: Option<Callback<String>>,
    pub on_error: Option<Callback<String>>,
    pub on_minimize: Option<Callback<()>>,
    pub on_restore: Option<Callback<()>>,
    pub on_expired: Option<Callback<()>>,
}

impl Callbacks {
    /// What a report means to the app; `false` cancels a Stop. A disposed callback
    /// cancels too: the app that asked is gone.
    fn hear(self, report: &Report) -> bool {
        let run = |callback: Option<Callback<()>>| {
            if let Some(callback) = callback {
                callback.try_run(());
            }
            true
        };
        match report {
            Report::Stop => self.on_stop.is_none_or(|callback| callback.try_run(()) == Some(true)),
            Report::SignedOut(url) => {
                if let Some(callback) = self.on_signed_out {
                    callback.try_run(url.clone());
                }
                true
            }
            Report::Error(message) => {
                if let Some(callback) = self.on_error {
                    callback.try_run(message.clone());
                }
                true
            }
            Report::Minimize => run(self.on_minimize),
            Report::Restore => run(self.on_restore),
            Report::Expired => run(self.on_expired),
        }
    }
}

/// What the browser's half of the component needs.
struct Browser<S> {
    settings: S,
    session: Option<Signal<Option<Session>>>,
    session_url: MaybeProp<String>,
    stop_action: Option<StopAction>,
    callbacks: Callbacks,
    drawn: RwSignal<Option<Option<Scene>>>,
    driver: DriverSlot,
    root: NodeRef<leptos::html::Div>,
}

/// Starts the driver once the page is live (effects never run on the server, and in
/// the browser only after hydration), then follows the props.
fn run_in_browser(browser: Browser<impl Fn() -> Settings + Copy + Send + Sync + 'static>) {
    let Browser { settings, session, session_url, stop_action, callbacks, drawn, driver, root } = browser;
    if cfg!(feature = "ssr") {
        return;
    }
    let publish = context::publisher();
    // The app's callbacks run untracked: the bar can report from inside the effects
    // below, which must not start following whatever the callbacks read.
    let hear = move |heard: Heard<'_>| {
        untrack(|| match heard {
            Heard::Report(report) => callbacks.hear(report),
            Heard::Active(active) => {
                if let Some(publish) = publish {
                    publish(active.cloned());
                }
                true
            }
        })
    };
    Effect::new(move |_| {
        let settings = settings();
        let running = driver.with_value(Option::is_some);
        if running {
            return with_driver(driver, |live| live.feed(Input::Configure(Box::new(settings)), None));
        }
        let first = session.and_then(|session| session.get_untracked());
        let live = Driver::start(settings, first, drawn, root, stop_action, hear);
        if session.is_none() {
            if let Some(url) = session_url.get_untracked() {
                live.feed(Input::Watch { url, first: None }, None);
            }
        }
        driver.set_value(Some(SendWrapper::new(live)));
    });
    if let Some(session) = session {
        Effect::new(move |_| {
            let current = session.get();
            with_driver(driver, |live| live.feed(Input::Show(current), None));
        });
    }
    Effect::new(move |previous: Option<Option<String>>| {
        let url = session_url.get();
        if previous.is_some_and(|previous| previous != url) && session.is_none() {
            if let Some(url) = url.clone() {
                with_driver(driver, |live| live.feed(Input::Watch { url, first: None }, None));
            }
        }
        url
    });
    on_cleanup(move || {
        if let Some(Some(live)) = driver.try_update_value(Option::take) {
            live.unmount();
        }
    });
}
