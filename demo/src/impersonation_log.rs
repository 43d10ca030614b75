//! Acme's impersonation log: who impersonated whom, why, in which organization, when it
//! started and when it ended, read through the official `workos` crate's events API
//! (`session.created` with an `impersonator`, and `session.revoked`), as an app on
//! WorkOS audits impersonations. Names and emails are looked up through the crate too.

use std::collections::HashMap;

use serde_json::Value;
use workos::enums::PaginationOrder;
use workos::events::ListEventsParams;

/// How many pages of events are read at most (100 events each).
const MAX_PAGES: usize = 20;

/// One impersonation, as the log shows it. Everything here came from outside (staff
/// and users type these) and is only ever rendered as text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub session_id: String,
    pub staff: String,
    pub user: String,
    pub reason: String,
    pub organization: String,
    pub started: String,
    /// When and how it ended: "Stopped", "Expired", or empty while it goes on.
    pub ended: String,
    pub how: &'static str,
}

/// Every impersonation the environment's events tell of, newest first.
pub(crate) async fn read(workos: &workos::Client) -> Result<Vec<Entry>, workos::Error> {
    let mut params = ListEventsParams::new(vec!["session.created".into(), "session.revoked".into()]);
    params.limit = Some(100);
    params.order = Some(PaginationOrder::Asc);
    let mut entries: Vec<Entry> = Vec::new();
    let mut users: HashMap<String, String> = HashMap::new();
    let mut organizations: HashMap<String, String> = HashMap::new();
    for _ in 0..MAX_PAGES {
        let page = workos.events().list_events(params.clone()).await?;
        for event in page.data {
            let text = |name: &str| event.data.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
            let session_id = text("id");
            match event.event.as_str() {
                "session.created" => {
                    let Some(impersonator) = event.data.get("impersonator").filter(|i| i.is_object()) else {
                        continue;
                    };
                    let field =
                        |name: &str| impersonator.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
                    let user = name_of(&mut users, text("user_id"), |id| async move {
                        workos.user_management().get_user(&id).await.map(|user| user.email)
                    })
                    .await;
                    let organization =
                        name_of(&mut organizations, text("organization_id"), |id| async move {
                            workos.organizations().get_organization(&id).await.map(|org| org.name)
                        })
                        .await;
                    entries.push(Entry {
                        session_id,
                        staff: field("email"),
                        user,
                        reason: field("reason"),
                        organization,
                        started: event.created_at.clone(),
                        ended: String::new(),
                        how: "",
                    });
                }
                "session.revoked" => {
                    if let Some(entry) = entries.iter_mut().find(|e| e.session_id == session_id) {
                        entry.ended = event.created_at.clone();
                        entry.how = if text("status") == "expired" { "Expired" } else { "Stopped" };
                    }
                }
                _ => {}
            }
        }
        match page.list_metadata.after {
            Some(after) => params.after = Some(after),
            None => break,
        }
    }
    entries.reverse();
    Ok(entries)
}

/// The name for `id`, asked once per id; the id itself when the lookup fails.
async fn name_of<F, Fut>(cache: &mut HashMap<String, String>, id: String, look_up: F) -> String
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<String, workos::Error>>,
{
    if id.is_empty() {
        return String::new();
    }
    if let Some(name) = cache.get(&id) {
        return name.clone();
    }
    let name = look_up(id.clone()).await.unwrap_or_else(|_| id.clone());
    cache.insert(id, name.clone());
    name
}
