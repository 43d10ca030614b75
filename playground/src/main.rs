//! The playground served by `trunk serve` on the crate's `index.html`: the bar in its
//! dev preview (sample data, no backend) with controls for everything a developer
//! wants to try against their own layout: side, size, colours, language, direction,
//! and the warning and ended states. Alt+Shift+P toggles the preview, Alt+Shift+I
//! minimizes and restores.

use leptos::prelude::*;
use staff_bar::{Impersonation, Session, Side, StopAction, Strings};
use wasm_bindgen::JsCast;

/// A sample impersonation ending `minutes_left` minutes (or `seconds_left`) from now.
fn sample(ms_left: f64) -> Option<Session> {
    let expires = js_sys::Date::new(&(js_sys::Date::now() + ms_left).into());
    let json = format!(
        r#"{{"user":{{"id":"user_01","email":"bob@acme.test","firstName":"Bob"}},
            "impersonator":{{"email":"ada@support.test","reason":"Ticket 4521: the invoices page is empty"}},
            "organization":{{"id":"org_01","name":"Acme"}},
            "sessionId":"playground-{}","expiresAt":"{}"}}"#,
        ms_left as i64,
        String::from(expires.to_iso_string())
    );
    Session::from_json(&json).ok().flatten()
}

#[component]
fn Playground() -> impl IntoView {
    let preview = RwSignal::new(true);
    let scenario = RwSignal::new(None::<Session>);
    let side = RwSignal::new(Side::Bottom);
    let size = RwSignal::new(4u32);
    let background = RwSignal::new(String::from("#fce654"));
    let color = RwSignal::new(String::from("#1a1600"));
    let border = RwSignal::new(String::from("#e0c36c"));
    let lang = RwSignal::new(String::from("en"));
    let rtl = RwSignal::new(false);

    Effect::new(move |_| {
        let root = document().document_element().unwrap();
        let _ = root.set_attribute("dir", if rtl.get() { "rtl" } else { "ltr" });
        let _ = root.set_attribute("lang", &lang.get());
    });
    let style = move || {
        format!(
            "--workos-impersonation-size:{}px;--workos-impersonation-background-color:{};\
             --workos-impersonation-color:{};--workos-impersonation-border-color:{}",
            size.get(),
            background.get(),
            color.get(),
            border.get()
        )
    };
    let strings = Signal::derive(move || Strings::for_lang(&lang.get()));
    // Stop in a scenario ends it, as Stop in the preview does.
    let stop = StopAction::new(move || async move {
        scenario.set(None);
        Ok::<(), String>(())
    });
    let colour = |label: &'static str, value: RwSignal<String>| {
        view! {
            <label>
                {label}
                <input type="color" prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };

    view! {
        <main class="playground">
            <h1>"staff-bar playground"</h1>
            <p>
                "The bar in its dev preview: sample data, no backend, no network. "
                "Stop ends the preview. "<kbd>"Alt+Shift+P"</kbd>" toggles it, "
                <kbd>"Alt+Shift+I"</kbd>" minimizes and restores."
            </p>
            <fieldset>
                <legend>"State"</legend>
                <button on:click=move |_| { scenario.set(None); preview.set(true); }>"Preview (42 min)"</button>
                <button on:click=move |_| scenario.set(sample(4.0 * 60_000.0 + 30_000.0))>"Warning (under 5 min)"</button>
                <button on:click=move |_| scenario.set(sample(5_000.0))>"Ends in 5 s"</button>
                <button on:click=move |_| { scenario.set(None); preview.set(false); }>"Nothing"</button>
            </fieldset>
            <fieldset>
                <legend>"Layout"</legend>
                <label>
                    "Side "
                    <select on:change=move |ev| side.set(Side::parse(&event_target_value(&ev)))>
                        <option value="bottom">"bottom"</option>
                        <option value="top">"top"</option>
                    </select>
                </label>
                <label>
                    "Size "
                    <input
                        type="range" min="2" max="15" prop:value=move || size.get().to_string()
                        on:input=move |ev| size.set(event_target_value(&ev).parse().unwrap_or(4))
                    />
                    {move || format!("{}px", size.get())}
                </label>
                <label>
                    <input type="checkbox" on:change=move |ev| rtl.set(event_target_checked(&ev)) />
                    " Right to left"
                </label>
            </fieldset>
            <fieldset>
                <legend>"Colours"</legend>
                {colour("Background ", background)}
                {colour("Text ", color)}
                {colour("Line ", border)}
            </fieldset>
            <fieldset>
                <legend>"Language"</legend>
                <select on:change=move |ev| lang.set(event_target_value(&ev))>
                    <option value="en">"English"</option>
                    <option value="de">"Deutsch"</option>
                    <option value="fr">"Français"</option>
                    <option value="es">"Español"</option>
                    <option value="ja">"日本語"</option>
                    <option value="ar">"(right to left: pick the checkbox)"</option>
                </select>
            </fieldset>
            <p class="redact-demo">"A field apps redact while impersonating: "<span class="redact">"4242 4242 4242 4242"</span></p>
        </main>
        <Impersonation
            session=scenario
            preview=preview
            force_preview=true
            side=side
            style=Signal::derive(style)
            strings=strings
            stop_action=stop
        />
    }
}

/// `?twin`: the component alone on a white page, for the side-by-side comparison with
/// authkit-nextjs's own component (`tests/e2e/parity.spec.mjs`): `side=top`, and
/// `vars=` (JSON) set as the `--workos-impersonation-*` variables on `:root`, the way a
/// site themes the original.
#[component]
fn Twin(side: Side) -> impl IntoView {
    let session = Session::from_json(
        r#"{"user":{"id":"user_01","email":"bob@acme.test","firstName":"Bob","lastName":"Ng"},
            "impersonator":{"email":"ada@support.test","reason":null},
            "organization":{"id":"org_01","name":"Acme"},"sessionId":"twin"}"#,
    )
    .ok()
    .flatten();
    view! { <Impersonation session=Signal::stored(session) side=side /> }
}

fn main() {
    console_error_panic_hook::set_once();
    let query =
        web_sys::UrlSearchParams::new_with_str(&window().location().search().unwrap_or_default()).ok();
    match query.filter(|query| query.has("twin")) {
        Some(query) => {
            let root = document().document_element().unwrap();
            let _ = root.set_attribute("class", "twin");
            let vars = query.get("vars").and_then(|vars| js_sys::JSON::parse(&vars).ok());
            if let (Some(vars), Some(style)) =
                (vars, root.dyn_ref::<web_sys::HtmlElement>().map(|r| r.style()))
            {
                for entry in js_sys::Object::entries(&vars.into()).iter() {
                    let pair = js_sys::Array::from(&entry);
                    let (name, value) = (pair.get(0).as_string(), pair.get(1).as_string());
                    if let (Some(name), Some(value)) = (name, value) {
                        let _ = style.set_property(&name, &value);
                    }
                }
            }
            let side = Side::parse(&query.get("side").unwrap_or_default());
            leptos::mount::mount_to_body(move || view! { <Twin side=side /> });
        }
        None => leptos::mount::mount_to_body(Playground),
    }
}
