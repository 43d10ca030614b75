//! The app: its layout with the staff bar, three pages, and two server functions.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::path;
use staff_bar::{
    provide_impersonation_from, use_impersonation, Impersonation, NotWhileImpersonating, Session, StopAction,
};

/// The impersonation behind this request's cookie, read on the server.
#[server(endpoint = "current_impersonation")]
pub async fn current_impersonation() -> Result<Option<Session>, ServerFnError> {
    let request: http::request::Parts = leptos_axum::extract().await?;
    Ok(host()?.session(&request))
}

/// Ends the impersonation: the server forgets the session, clears its cookie and
/// answers with the WorkOS logout URL, where the bar then sends the browser.
#[server(endpoint = "stop_impersonating")]
pub async fn stop_impersonating() -> Result<String, ServerFnError> {
    let request: http::request::Parts = leptos_axum::extract().await?;
    // Asked first: without it the cookie could not be cleared, so nothing is ended.
    let response = use_context::<leptos_axum::ResponseOptions>()
        .ok_or_else(|| ServerFnError::new("the server provided no ResponseOptions"))?;
    let signed_out = host()?.sign_out(request).await.map_err(ServerFnError::new)?;
    for cookie in signed_out.set_cookies {
        response.append_header(http::header::SET_COOKIE, cookie);
    }
    Ok(signed_out.redirect_to)
}

/// The account's sensitive fields as they may leave the server for this request: masked
/// while a staff member is impersonating, so the page (and this function's answer,
/// which the page embeds for hydration) never carries them whole.
#[server(endpoint = "account_details")]
pub async fn account_details() -> Result<SensitiveFields, ServerFnError> {
    use staff_bar::redact::Redacted;
    let request: http::request::Parts = leptos_axum::extract().await?;
    let session = host()?.session(&request);
    Ok(SensitiveFields {
        card: Redacted::new(SAMPLE_CARD).keep_last(4).for_viewer(session.as_ref()).into_owned(),
        tax_id: Redacted::new(SAMPLE_TAX_ID).keep_last(4).for_viewer(session.as_ref()).into_owned(),
    })
}

/// The password page's data: refused while impersonating, whoever calls it.
#[server(endpoint = "password_settings")]
pub async fn password_settings() -> Result<String, ServerFnError> {
    let request: http::request::Parts = leptos_axum::extract().await?;
    let session = host()?.session(&request);
    staff_bar::redact::refuse_while_impersonating(session.as_ref()).map_err(ServerFnError::new)?;
    Ok("Passwords are kept by WorkOS: change yours on the sign-in page, under Forgot password.".into())
}

/// The demo account's card on file and tax ID (the same sample as Acme's own pages).
#[cfg(feature = "ssr")]
const SAMPLE_CARD: &str = "4242 4242 4242 4242";
#[cfg(feature = "ssr")]
const SAMPLE_TAX_ID: &str = "123-45-6789";

/// What `account_details` answers.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SensitiveFields {
    pub card: String,
    pub tax_id: String,
}

#[cfg(feature = "ssr")]
fn host() -> Result<crate::server::Host, ServerFnError> {
    use_context::<crate::server::Host>().ok_or_else(|| ServerFnError::new("the server provided no Host"))
}

/// The language of a page: `/leptos/de` is German, the rest English.
fn lang_of(path: &str) -> &'static str {
    if path == "/leptos/de" || path.starts_with("/leptos/de/") {
        "de"
    } else {
        "en"
    }
}

/// The whole document, rendered on the server only. `<html data-impersonating>` is
/// decided here from the request itself: `<html>` is streamed before any `Resource`
/// resolves, so the server reads the session the way its server function does.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let parts = use_context::<http::request::Parts>();
    let lang = parts.as_ref().map_or("en", |parts| lang_of(parts.uri.path()));
    let impersonating = match (use_context::<crate::server::Host>(), &parts) {
        (Some(host), Some(parts)) => host.session(parts).is_some(),
        _ => false,
    };
    view! {
        <!DOCTYPE html>
        <html lang=lang data-impersonating=impersonating.then_some("")>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>"Leptos page · Acme"</title>
                <link rel="stylesheet" href="/static/acme.css" />
                <HydrationScripts options />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    let session = Resource::new(|| (), |_| current_impersonation());
    let current = Signal::derive(move || session.get().and_then(Result::ok).flatten());
    // Views that ask use_impersonation() read the resource too, so their own
    // boundaries wait for it on the server.
    provide_impersonation_from(current);
    // For the tests: the page says when hydration is done (effects run only then).
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Router>
            <Header />
            // The bar sits outside <Routes>: navigating between pages keeps this one
            // bar (its minimized state, countdown and focus) instead of a new one per
            // page. Inside <Transition>, the server waits for the session and writes
            // the bar into its HTML; later refetches keep the old bar until the new
            // answer is in.
            <Transition fallback=|| ()>
                <StaffBar session=current />
            </Transition>
            <main>
                <Routes fallback=|| view! { <p class="card">"Not found"</p> }>
                    <Route path=path!("/leptos") view=Overview />
                    <Route path=path!("/leptos/settings") view=Settings />
                    <Route path=path!("/leptos/de") view=German />
                    <Route path=path!("/leptos/account") view=Account />
                    <Route path=path!("/leptos/password") view=Password />
                </Routes>
            </main>
        </Router>
    }
}

/// The staff bar in this app's layout: the session from the server function, Stop
/// through the other, the language of the page.
#[component]
fn StaffBar(session: Signal<Option<Session>>) -> impl IntoView {
    let location = use_location();
    let lang = Signal::derive(move || lang_of(&location.pathname.get()).to_owned());
    let stop = StopAction::new(stop_impersonating);
    view! { <Impersonation session=session stop_action=stop lang=lang /> }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Acme"</a>
            <nav aria-label="Acme">
                <a href="/">"Home"</a>
                <a href="/invoices">"Invoices"</a>
                <a href="/account">"Account"</a>
                <A href="/leptos">"Leptos page"</A>
                <A href="/leptos/settings">"Leptos settings"</A>
                <A href="/leptos/de">"Deutsch"</A>
                <A href="/leptos/account">"Leptos account"</A>
            </nav>
        </header>
    }
}

/// A control that must not be used while someone is impersonated, disabled in the
/// server's HTML already.
#[component]
fn ChangePassword() -> impl IntoView {
    let impersonation = use_impersonation();
    let impersonated = move || impersonation.with(Option::is_some);
    // The session is async (a server function): the boundary makes the server wait
    // for it, so the button ships disabled rather than flipping after hydration.
    view! {
        <Transition fallback=|| view! { <p class="hint">"Checking…"</p> }>
            <p>
                <button id="change-password" disabled=impersonated>
                    "Change password"
                </button>
                " "
                <span class="hint" id="impersonation-state">
                    {move || {
                        if impersonated() {
                            "Disabled while a staff member is impersonating."
                        } else {
                            "Nobody is impersonating."
                        }
                    }}
                </span>
            </p>
        </Transition>
    }
}

#[component]
fn Overview() -> impl IntoView {
    view! {
        <section class="card" id="leptos-app">
            <h1>"Leptos page"</h1>
            <p>
                "This page is a Leptos app: rendered on the server by leptos_axum, hydrated "
                "in the browser. Its layout places "<code>"<Impersonation/>"</code>
                " from the staff-bar crate, fed by a server function under "
                <code>"<Transition>"</code>"; Stop calls another server function."
            </p>
            <ChangePassword />
            <p class="hint">
                "The frame and tab come from the component, not from the "
                <code>"<staff-bar>"</code>" element. Move to "
                <A href="/leptos/settings">"Leptos settings"</A>" or "
                <A href="/leptos/de">"Deutsch"</A>
                <A href="/leptos/account">"Leptos account"</A>": the router keeps the same bar."
            </p>
        </section>
    }
}

#[component]
fn Settings() -> impl IntoView {
    view! {
        <section class="card" id="leptos-settings">
            <h1>"Leptos settings"</h1>
            <p>"A second page of the same app, reached through the router."</p>
            <ChangePassword />
        </section>
    }
}

#[component]
fn German() -> impl IntoView {
    view! {
        <section class="card" id="leptos-de" lang="de">
            <h1>"Leptos-Seite auf Deutsch"</h1>
            <p>
                "Hier spricht die Leiste Deutsch: "<code>"lang=\"de\""</code>
                " auf dem Server und im Browser, also übernimmt die Hydration das Markup des Servers."
            </p>
        </section>
    }
}

/// The account's sensitive fields, masked on the server while impersonating
/// (`staff_bar::redact`), with its password page behind the guard.
#[component]
fn Account() -> impl IntoView {
    let details = Resource::new(|| (), |_| account_details());
    view! {
        <section class="card" id="leptos-account">
            <h1>"Leptos account"</h1>
            <Suspense fallback=|| view! { <p class="hint">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    details.await.map(|details| view! {
                        <dl>
                            <dt>"Card on file"</dt>
                            <dd id="leptos-card">{details.card}</dd>
                            <dt>"Tax ID"</dt>
                            <dd id="leptos-tax-id">{details.tax_id}</dd>
                        </dl>
                    })
                })}
            </Suspense>
            <p>
                <A href="/leptos/password">"Password"</A>
                <span class="hint">" (not available while impersonating)"</span>
            </p>
        </section>
    }
}

/// A sensitive view: not rendered at all while impersonating (`<NotWhileImpersonating>`),
/// and its server function refuses too.
#[component]
fn Password() -> impl IntoView {
    view! {
        <section class="card" id="leptos-password">
            <h1>"Password"</h1>
            <NotWhileImpersonating>
                <PasswordSettings />
            </NotWhileImpersonating>
        </section>
    }
}

#[component]
fn PasswordSettings() -> impl IntoView {
    let settings = Resource::new(|| (), |_| password_settings());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                settings.await.map(|text| view! { <p id="password-settings">{text}</p> })
            })}
        </Suspense>
    }
}
