//! The bar as a Leptos view of the machine's [`Scene`]: the same elements, parts,
//! classes and texts as the `<staff-bar>` element's renderer (`crate::view`), so the
//! stylesheet, the tests' selectors and the pixels are one contract. Rendered to HTML
//! by tachys on the server and hydrated in place like any Leptos view.
//!
//! Fine-grained: the contents are rebuilt only when their [`Look`] changes (another
//! session, language, the preview, the end); everything else (the countdown, Stop's
//! state, minimized, stale, the alert) is patched in place, so the controls keep their
//! nodes, focus and a click in progress through every tick and refresh.

use leptos::either::Either;
use leptos::prelude::*;
use staff_bar_core::display;
use staff_bar_core::machine::Input;

use crate::dom::drag;
use crate::settings::{Align, Theme, MINIMIZE_SHORTCUT};
use crate::view::{Look, Scene, StopState};
use crate::STYLE;

/// What a control of the view asks of the bar.
pub(crate) type Controls = Callback<Input>;

/// Everything the view needs besides the scene.
pub(crate) struct Frame {
    pub scene: Memo<Option<Scene>>,
    pub root: NodeRef<leptos::html::Div>,
    /// The root's `style` attribute (the app's) and its z-index (through the CSSOM).
    pub style: Signal<Option<String>>,
    pub z_index: Signal<Option<i32>>,
    /// The stylesheet inline, with the page's CSP nonce: in the server's HTML (and so
    /// when hydrating it), never in a bar built in the browser, where a strict CSP
    /// refuses any `<style>` a script adds (the bar adopts a constructed sheet instead).
    pub inline_style: Option<Option<String>>,
    /// The app's own message, in place of "You are impersonating …".
    pub message: Option<ChildrenFn>,
    pub send: Controls,
}

pub(crate) fn bar(frame: Frame) -> impl IntoView {
    let Frame { scene, root, style, z_index, inline_style, message, send } = frame;
    let shown = Memo::new(move |_| scene.with(Option::is_some));
    let look = Memo::new(move |_| scene.with(|scene| scene.as_ref().map(|scene| scene.look.clone())));
    let minimized = Memo::new(move |_| read(scene, |scene| scene.minimized));
    let error = Memo::new(move |_| {
        scene.with(|scene| match scene.as_ref().map(|scene| &scene.stop) {
            Some(StopState::Failed(message)) => Some(message.clone()),
            _ => None,
        })
    });
    let strings =
        move || look.with(|look| look.as_ref().map(|look| look.strings.clone()).unwrap_or_default());
    let class = move || {
        read(scene, |scene| match &scene.class {
            Some(extra) => format!("staff-bar {extra}"),
            None => String::from("staff-bar"),
        })
    };
    let message = StoredValue::new(message);
    // Each root the view puts in the page goes to the top layer (in the browser only,
    // so the server's markup paints in place before the code arrives).
    Effect::new(move |_| {
        if let Some(root) = root.get() {
            crate::dom::raise(&root);
        }
    });
    // Where the tab was moved along its edge, through the CSSOM (CSP-safe), as the
    // element shows it; nothing on the server, which cannot know it.
    let place = Memo::new(move |_| read(scene, |scene| scene.place));
    Effect::new(move |_| {
        let place = place.get();
        if let Some(bar) = root.get().and_then(|root| root.query_selector(".sb-bar").ok().flatten()) {
            drag::show_place(&bar, place);
        }
    });
    // The pointer dragging the tab, from its press to its release.
    let press = move |event: leptos::ev::PointerEvent| drag::press(&event);
    let pull = move |event: leptos::ev::PointerEvent| {
        if let Some(place) = drag::pull(&event) {
            send.run(Input::Placed { place, settled: false });
        }
    };
    let release = move |event: leptos::ev::PointerEvent| {
        if let Some(place) = drag::release(&event) {
            send.run(Input::Placed { place, settled: true });
        }
    };
    move || {
        shown.get().then(|| {
            let sheet = inline_style.clone().map(|nonce| view! { <style nonce=nonce>{STYLE}</style> });
            view! {
                <div
                    node_ref=root
                    class=class
                    role="region"
                    aria-label=move || strings().region
                    data-side=move || read(scene, |scene| scene.side.as_str())
                    data-align=move || {
                        read(scene, |scene| (scene.align != Align::Center).then(|| scene.align.as_str()))
                    }
                    data-theme=move || {
                        read(scene, |scene| (scene.theme != Theme::Light).then(|| scene.theme.as_str()))
                    }
                    data-minimized=move || flag(minimized.get())
                    data-warning=move || flag(read(scene, |scene| scene.warning))
                    data-urgent=move || flag(read(scene, |scene| scene.urgent))
                    data-placed=move || flag(place.get().is_some())
                    data-preview=move || flag(read(scene, |scene| scene.look.preview))
                    data-stale=move || flag(read(scene, |scene| scene.stale))
                    data-state=move || read(scene, |scene| scene.stop.name())
                    style=move || style.get()
                    style:z-index=move || z_index.get().map(|z| z.to_string())
                >
                    {sheet}
                    <div class="sb-frame" part="frame" aria-hidden="true"></div>
                    <p class="sb-visually-hidden" role="status" aria-live="polite">
                        {move || read(scene, |scene| scene.announcement.clone())}
                    </p>
                    <div
                        class="sb-bar"
                        part="bar"
                        inert=move || flag(minimized.get())
                        on:pointerdown=press
                        on:pointermove=pull
                        on:pointerup=release
                        on:pointercancel=release
                    >
                        {move || look.get().map(|look| contents(look, scene, message, send))}
                        {move || {
                            error
                                .get()
                                .map(|message| {
                                    view! {
                                        <p class="sb-error" part="error" role="alert">
                                            {message}
                                        </p>
                                    }
                                })
                        }}
                    </div>
                    <button
                        class="sb-button sb-restore"
                        part="restore"
                        type="button"
                        aria-keyshortcuts=MINIMIZE_SHORTCUT
                        aria-label=move || strings().restore
                        title=move || strings().restore
                        hidden=move || flag(!minimized.get())
                        on:click=move |_| send.run(Input::RestorePressed)
                    >
                        <span class="sb-icon" aria-hidden="true"></span>
                    </button>
                </div>
            }
        })
    }
}

/// The inside of the bar for one [`Look`]: the message, who is impersonating, the
/// countdown and the controls, or the ended notice with Reload.
fn contents(
    look: Look,
    scene: Memo<Option<Scene>>,
    message: StoredValue<Option<ChildrenFn>>,
    send: Controls,
) -> impl IntoView {
    let Look { session, strings, preview, ended } = look;
    let reason = session.reason().map(|why| display::reason(why).text);
    let show_reason = move || read(scene, |scene| scene.show_reason);
    let main = if ended {
        Either::Left(branch(view! {
            <p class="sb-message" part="ended" role="status">
                {strings.ended.clone()}
            </p>
            <p class="sb-details" part="ended-at">
                {move || read(scene, |scene| scene.ended_at.clone())}
            </p>
            <button class="sb-button sb-stop" part="reload" type="button" on:click=|_| crate::dom::reload()>
                {strings.reload.clone()}
            </button>
        }))
    } else {
        let organization = session.organization_name().map(display::name).map(|name| {
            view! {
                {strings.within.clone()}
                <strong class="sb-strong" part="organization" dir="auto" title=name.title>
                    {name.text}
                </strong>
                {strings.organization_suffix.clone()}
            }
        });
        let user = display::email(&session.user.email);
        let built_in = view! {
            <p class="sb-message" part="message">
                {strings.impersonating.clone()}
                <strong class="sb-strong" part="user" dir="auto" title=user.title>
                    {user.text}
                </strong>
                {organization}
            </p>
        };
        let own = message.with_value(|own| own.clone());
        let message = match own {
            Some(own) => Either::Left(branch(view! { <div class="sb-message" part="message">{own()}</div> })),
            None => Either::Right(branch(built_in)),
        };
        let stale_label = strings.stale.clone();
        let (stop, stopping) = (strings.stop.clone(), strings.stopping.clone());
        let pending = move || read(scene, |scene| scene.stop == StopState::Pending);
        let toggle = reason.is_some().then(|| {
            view! {
                <button
                    class="sb-button sb-toggle"
                    part="reason-toggle"
                    type="button"
                    aria-expanded=move || if show_reason() { "true" } else { "false" }
                    on:click=move |_| send.run(Input::ReasonToggled)
                >
                    {strings.reason.clone()}
                </button>
            }
        });
        let impersonator = display::email(&session.impersonator.email);
        Either::Right(branch(view! {
            <div class="sb-text">
                {message}
                <p class="sb-details">
                    {preview
                        .then(|| {
                            view! {
                                <span class="sb-badge" part="preview">
                                    {strings.preview.clone()}
                                </span>
                            }
                        })}
                    <span class="sb-impersonator">
                        {strings.impersonator.clone()}
                        <strong class="sb-strong" part="impersonator" dir="auto" title=impersonator.title>
                            {impersonator.text}
                        </strong>
                    </span>
                    {move || {
                        read(scene, |scene| scene.stale)
                            .then(|| {
                                view! {
                                    <span class="sb-badge" part="stale">
                                        {stale_label.clone()}
                                    </span>
                                }
                            })
                    }}
                    {session
                        .expires_at
                        .map(|_| {
                            view! {
                                <span
                                    class="sb-time"
                                    part="time-left"
                                    data-warning=move || flag(read(scene, |scene| scene.warning))
                                >
                                    {move || read(scene, |scene| scene.time_text.clone())}
                                </span>
                                <span class="sb-ends-at" part="ends-at">
                                    {move || read(scene, |scene| scene.ends_at.clone())}
                                </span>
                            }
                        })}
                </p>
            </div>
            <button
                class="sb-button sb-stop"
                part="stop"
                type="button"
                aria-disabled=move || pending().then_some("true")
                on:click=move |_| send.run(Input::StopPressed)
            >
                {move || if pending() { stopping.clone() } else { stop.clone() }}
            </button>
            {toggle}
        }))
    };
    view! {
        {main}
        <button
            class="sb-button sb-minimize"
            part="minimize"
            type="button"
            aria-label=strings.minimize.clone()
            title=strings.minimize.clone()
            aria-keyshortcuts=MINIMIZE_SHORTCUT
            on:click=move |_| send.run(Input::MinimizePressed)
        >
            <span class="sb-icon" aria-hidden="true"></span>
        </button>
        {reason
            .map(|why| {
                view! {
                    <p
                        class="sb-reason"
                        part="reason"
                        dir="auto"
                        hidden=move || flag(!show_reason() || ended)
                    >
                        {why}
                    </p>
                }
            })}
    }
}

/// One branch of the view. On the server it is erased: an `AnyView` boxes its part of
/// the render, and without that the whole bar's render is one future deep enough to
/// overflow a worker thread's stack. In the browser it keeps its type: an `AnyView`
/// there compiles every way of rendering its view (async hydration among them) into
/// the bar's chunk, about 24 KB gzip.
#[cfg(feature = "ssr")]
fn branch(view: impl IntoView + 'static) -> AnyView {
    view.into_any()
}

/// See the server's [`branch`].
#[cfg(not(feature = "ssr"))]
fn branch<V: IntoView>(view: V) -> V {
    view
}

/// One field of the scene, or its default while there is none.
fn read<T: Default>(scene: Memo<Option<Scene>>, field: impl FnOnce(&Scene) -> T) -> T {
    scene.with(|scene| scene.as_ref().map(field).unwrap_or_default())
}

/// A boolean attribute: present and empty, or absent.
fn flag(on: bool) -> Option<&'static str> {
    on.then_some("")
}
