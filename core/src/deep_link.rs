//! The WorkOS dashboard's deep link to impersonating a user: the user's details page
//! with the impersonation dialog open (`/<environment_id>/users/<user_id>/details?dialog=impersonate`),
//! for an admin or support tool that sends staff there.

/// Where the WorkOS dashboard is.
pub const WORKOS_DASHBOARD: &str = "https://dashboard.workos.com";

/// The dashboard page of user `user_id` in environment `environment_id`, its
/// impersonation dialog open. `dashboard` is [`WORKOS_DASHBOARD`] (or a stand-in's
/// address); a trailing `/` is fine. Each id is one path segment whatever it holds:
/// anything but letters, digits, `-`, `.`, `_` and `~` is percent-encoded, so an id
/// cannot reach another page (`/`, `?`, `#`). An id that is empty or only dots is no id
/// (browsers read `..`, even encoded as `%2E%2E`, as the parent): `None`.
///
/// ```
/// use staff_bar_core::deep_link::{impersonation_url, WORKOS_DASHBOARD};
/// assert_eq!(
///     impersonation_url(WORKOS_DASHBOARD, "environment_01H", "user_01J").as_deref(),
///     Some("https://dashboard.workos.com/environment_01H/users/user_01J/details?dialog=impersonate")
/// );
/// ```
pub fn impersonation_url(dashboard: &str, environment_id: &str, user_id: &str) -> Option<String> {
    let no_id = |id: &str| id.bytes().all(|byte| byte == b'.');
    if no_id(environment_id) || no_id(user_id) {
        return None;
    }
    let mut url = String::from(dashboard.trim_end_matches('/'));
    url.push('/');
    push_segment(&mut url, environment_id);
    url.push_str("/users/");
    push_segment(&mut url, user_id);
    url.push_str("/details?dialog=impersonate");
    Some(url)
}

/// `segment`, percent-encoded as one URL path segment.
fn push_segment(out: &mut String, segment: &str) {
    let hex = |digit: u8| char::from_digit(u32::from(digit), 16).map_or('0', |c| c.to_ascii_uppercase());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex(byte >> 4));
            out.push(hex(byte & 15));
        }
    }
}
