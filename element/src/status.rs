//! The element's readable state: the `detail` of `staff-bar:change`, which the loader
//! keeps for the `impersonating`, `ended`, `minimized` and `session` properties.

use js_sys::{Object, Reflect};
use staff_bar::{Session, Status};
use wasm_bindgen::JsValue;

/// `{impersonating, ended, minimized, timeLeft, session}` for `status`; the session in
/// the session JSON's own shape (camelCase, times as RFC 3339 with milliseconds), or `null`.
pub fn detail(status: &Status) -> JsValue {
    let detail = Object::new();
    set(&detail, "impersonating", status.session.is_some().into());
    set(&detail, "ended", status.ended.into());
    set(&detail, "minimized", status.minimized.into());
    // Seconds fit an f64 exactly far past any expiry a session can name.
    set(&detail, "timeLeft", status.seconds_left.map_or(JsValue::NULL, |left| (left as f64).into()));
    set(&detail, "session", status.session.as_ref().map_or(JsValue::NULL, session));
    detail.into()
}

fn session(session: &Session) -> JsValue {
    let object = Object::new();
    let user = Object::new();
    text(&user, "id", session.user.id.as_deref());
    text(&user, "email", Some(&session.user.email));
    text(&user, "firstName", session.user.first_name.as_deref());
    text(&user, "lastName", session.user.last_name.as_deref());
    set(&object, "user", user.into());
    let impersonator = Object::new();
    text(&impersonator, "email", Some(&session.impersonator.email));
    text(&impersonator, "reason", session.impersonator.reason.as_deref());
    set(&object, "impersonator", impersonator.into());
    if let Some(organization) = &session.organization {
        text(&object, "organizationId", organization.id.as_deref());
        let value = Object::new();
        text(&value, "id", organization.id.as_deref());
        text(&value, "name", organization.name.as_deref());
        set(&object, "organization", value.into());
    }
    text(&object, "sessionId", session.session_id.as_deref());
    // The browser's own RFC 3339 writer, rather than a second copy in the wasm.
    if let Some(at) = session.expires_at {
        set(&object, "expiresAt", js_sys::Date::new(&(at as f64).into()).to_iso_string().into());
    }
    object.into()
}

/// Sets `key` to `value` when there is one (a plain object's own property: it cannot fail).
fn text(object: &Object, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        set(object, key, value.into());
    }
}

fn set(object: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(object, &key.into(), &value);
}
