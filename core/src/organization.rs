//! `organization_url`: where a session that names its organization by id only gets
//! the name from (as authkit-nextjs asks `getOrganization`).

use crate::json;

/// The URL to ask for organization `encoded_id` (already percent-encoded): `{id}` in
/// `template` replaced by it, else `?id=` (or `&id=`) added.
pub fn lookup_url(template: &str, encoded_id: &str) -> String {
    // A byte search rather than `str::replace`, whose substring searcher costs the
    // element kilobytes.
    let placeholder = template.as_bytes().windows(4).position(|window| window == b"{id}");
    let around = placeholder.and_then(|at| Some((template.get(..at)?, template.get(at + 4..)?)));
    let (mut url, after) = match around {
        Some((before, after)) => (String::from(before), after),
        None => {
            let mut url = template.to_owned();
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("id=");
            (url, "")
        }
    };
    url.push_str(encoded_id);
    url.push_str(after);
    url
}

/// The name in a 2xx answer `{"id", "name"}` for organization `id`; an answer for
/// another id, or without a name, gives none.
pub fn name_in_answer(status: u16, body: &str, id: &str) -> Option<String> {
    if !(200..300).contains(&status) {
        return None;
    }
    let answer = json::parse(body).ok()?;
    let same_id = answer.get("id").is_none_or(|given| given.as_str() == Some(id));
    answer.get("name")?.as_str().filter(|_| same_id).map(str::to_owned)
}
