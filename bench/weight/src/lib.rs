//! The weight app: what a typical Leptos 0.8 app looks like (a router, meta tags, a
//! server function answering a serde struct under `<Suspense>`), with the staff bar
//! placed the way the README shows when the `bar` feature is on. Built without and
//! with the bar, split and not, its bundles tell what the bar costs a visitor.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use serde::{Deserialize, Serialize};

/// What the app's own server function answers: a serde struct, as apps have.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Dashboard {
    pub greeting: String,
    pub invoices: Vec<Invoice>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Invoice {
    pub number: u32,
    pub customer: String,
    pub cents: i64,
    pub paid: bool,
}

#[server]
pub async fn load_dashboard() -> Result<Dashboard, ServerFnError> {
    Ok(Dashboard {
        greeting: "Welcome back".into(),
        invoices: (1..=3)
            .map(|number| Invoice {
                number,
                customer: format!("Customer {number}"),
                cents: 1250 * i64::from(number),
                paid: number % 2 == 0,
            })
            .collect(),
    })
}

#[cfg(feature = "bar")]
mod staff {
    use leptos::prelude::*;
    use staff_bar::{Impersonation, Session};

    /// The impersonation behind the request, read from it on the server (this app has
    /// none, as most requests do); the browser takes it from the server's HTML.
    fn request_session() -> Option<Session> {
        None
    }

    #[server]
    pub async fn stop_impersonating() -> Result<String, ServerFnError> {
        Ok("/".into())
    }

    /// The bar as the README places it in an SSR app's layout.
    #[component]
    pub fn StaffBar() -> impl IntoView {
        let stop = staff_bar::StopAction::new(stop_impersonating);
        view! { <Impersonation server_session=request_session() stop_action=stop /> }
    }
}

/// The document, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <leptos_meta::MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "bar")]
    let bar = view! { <staff::StaffBar /> };
    #[cfg(not(feature = "bar"))]
    let bar = ();
    view! {
        <Title text="Weight app" />
        <Meta name="description" content="A typical Leptos app" />
        <Router>
            {bar}
            <nav>
                <A href="/">"Home"</A>
                <A href="/about">"About"</A>
            </nav>
            <main>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/about") view=About />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Home() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_dashboard());
    let count = RwSignal::new(0);
    view! {
        <h1>"Home"</h1>
        <button on:click=move |_| count.update(|n| *n += 1)>"Clicked " {count} " times"</button>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                data.await
                    .map(|dashboard| {
                        view! {
                            <p>{dashboard.greeting}</p>
                            <ul>
                                {dashboard
                                    .invoices
                                    .into_iter()
                                    .map(|invoice| {
                                        view! {
                                            <li class:paid=invoice.paid>
                                                {invoice.number} " " {invoice.customer} " "
                                                {format!("{:.2}", invoice.cents as f64 / 100.0)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
            })}
        </Suspense>
    }
}

#[component]
fn About() -> impl IntoView {
    view! { <h1>"About"</h1> <p>"A page the router reaches."</p> }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
