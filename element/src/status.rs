//! The element's readable state: the `detail` of `staff-bar:change`, which the loader
//! keeps for the `impersonating`, `ended`, `minimized` and `session` properties.
//!
//! Written as JSON text with the crate's own string writer and parsed by the browser:
//! smaller in the wasm than building the objects one property at a time.

use staff_bar::{Session, Status};
use staff_bar_core::json::write_string;
use staff_bar_core::session::push_integer;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function detail(text) {
  const detail = JSON.parse(text);
  const session = detail.session;
  if (session?.expiresAt != null) session.expiresAt = new Date(session.expiresAt).toISOString();
  return detail;
}
"#)]
extern "C" {
    /// The detail object for `text`, with `session.expiresAt` (milliseconds in the text)
    /// as an ISO string, as the session JSON has it.
    #[wasm_bindgen(js_name = detail)]
    fn parse_detail(text: &str) -> JsValue;
}

/// `{impersonating, ended, minimized, timeLeft, session}` for `status`; the session in
/// the session JSON's own shape (camelCase, `expiresAt` as an ISO string), or `null`.
pub fn detail(status: &Status) -> JsValue {
    let mut text = String::from("{\"impersonating\":");
    text.push_str(if status.session.is_some() { "true" } else { "false" });
    text.push_str(",\"ended\":");
    text.push_str(if status.ended { "true" } else { "false" });
    text.push_str(",\"minimized\":");
    text.push_str(if status.minimized { "true" } else { "false" });
    text.push_str(",\"timeLeft\":");
    number(&mut text, status.seconds_left);
    text.push_str(",\"session\":");
    match &status.session {
        Some(session) => write_session(&mut text, session),
        None => text.push_str("null"),
    }
    text.push('}');
    parse_detail(&text)
}

fn write_session(out: &mut String, session: &Session) {
    out.push_str("{\"user\":{");
    member(out, "id", session.user.id.as_deref());
    member(out, "email", Some(&session.user.email));
    member(out, "firstName", session.user.first_name.as_deref());
    member(out, "lastName", session.user.last_name.as_deref());
    out.push_str("},\"impersonator\":{");
    member(out, "email", Some(&session.impersonator.email));
    member(out, "reason", session.impersonator.reason.as_deref());
    out.push('}');
    if let Some(organization) = &session.organization {
        member(out, "organizationId", organization.id.as_deref());
        out.push_str(",\"organization\":{");
        member(out, "id", organization.id.as_deref());
        member(out, "name", organization.name.as_deref());
        out.push('}');
    }
    member(out, "sessionId", session.session_id.as_deref());
    if let Some(at) = session.expires_at {
        out.push_str(",\"expiresAt\":");
        push_integer(out, at);
    }
    out.push('}');
}

/// `"key":"value"` when there is a value, after a comma unless it comes first.
fn member(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        if !out.ends_with('{') {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_string(out, value);
    }
}

fn number(out: &mut String, value: Option<i64>) {
    match value {
        Some(value) => push_integer(out, value),
        None => out.push_str("null"),
    }
}
