//! The dev page served by `trunk serve` (and `make demo` until the demo server lands):
//! the bar with a sample impersonation and no backend. Stop only ends the preview.

use leptos::prelude::*;
use staff_bar::{Impersonation, Session, Side, StopAction};

const SAMPLE: &str = r#"{
  "user": { "id": "user_01", "email": "bob@acme.test", "firstName": "Bob", "lastName": "Ng" },
  "impersonator": { "email": "ada@support.test", "reason": "Ticket 4521: cannot see invoices" },
  "organization": { "id": "org_01", "name": "Acme" },
  "sessionId": "preview"
}"#;

#[component]
fn Playground() -> impl IntoView {
    let session = RwSignal::new(Session::from_json(SAMPLE).ok().flatten());
    let side = RwSignal::new(Side::Bottom);
    let stop = StopAction::new(|| async { Ok(None) });
    view! {
        <main class="playground">
            <h1>"staff-bar playground"</h1>
            <p>"A sample impersonation with no backend. Stop ends the preview only."</p>
            <p>
                <button on:click=move |_| side.update(|s| *s = if *s == Side::Bottom { Side::Top } else { Side::Bottom })>
                    "Switch side"
                </button>
                " "
                <button on:click=move |_| session.set(Session::from_json(SAMPLE).ok().flatten())>
                    "Start again"
                </button>
            </p>
        </main>
        <Impersonation session=session side=side stop_action=stop />
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(Playground);
}
