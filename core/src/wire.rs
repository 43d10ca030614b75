//! A [`Session`] across the wire: `Serialize` and `Deserialize` in the shape of the
//! session JSON (the `serde` feature, on with `ssr` and `hydrate`).
//!
//! Out, it writes camelCase, times as RFC 3339 in UTC. In, it takes whatever
//! [`Session::from_json`] takes (both casings, the token fallback, the same errors),
//! because it *is* that reader: the serde input is first collected into the crate's
//! own [`Json`] tree. So a server function's answer, a `Resource` crossing from the
//! server to the browser and a `session-url` answer can never read differently.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::json::Json;
use crate::session::{Impersonator, Organization, Session, User};
use crate::time::format_rfc3339;

impl Serialize for Session {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let organization_id = self.organization.as_ref().and_then(|org| org.id.as_deref());
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("user", &self.user)?;
        map.serialize_entry("impersonator", &self.impersonator)?;
        if let Some(id) = organization_id {
            map.serialize_entry("organizationId", id)?;
        }
        if let Some(organization) = &self.organization {
            map.serialize_entry("organization", organization)?;
        }
        if let Some(id) = &self.session_id {
            map.serialize_entry("sessionId", id)?;
        }
        if let Some(at) = self.expires_at {
            map.serialize_entry("expiresAt", &format_rfc3339(at))?;
        }
        if let Some(at) = self.server_time {
            map.serialize_entry("serverTime", &format_rfc3339(at))?;
        }
        map.end()
    }
}

impl Serialize for User {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        map.serialize_entry("email", &self.email)?;
        if let Some(name) = &self.first_name {
            map.serialize_entry("firstName", name)?;
        }
        if let Some(name) = &self.last_name {
            map.serialize_entry("lastName", name)?;
        }
        map.end()
    }
}

impl Serialize for Impersonator {
    /// `reason` is always there, `null` when none was given, as AuthKit sends it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("email", &self.email)?;
        map.serialize_entry("reason", &self.reason)?;
        map.end()
    }
}

impl Serialize for Organization {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        if let Some(name) = &self.name {
            map.serialize_entry("name", name)?;
        }
        map.end()
    }
}

/// Reads a session JSON. One that says "not impersonating" (`impersonator: null`)
/// is an error here: deserialize `Option<Session>` and send `null` for that.
impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Session, D::Error> {
        let document = Json::deserialize(deserializer)?;
        match Session::from_value(&document) {
            Ok(Some(session)) => Ok(session),
            Ok(None) => Err(de::Error::custom("staff-bar: the session JSON says nobody is impersonated")),
            Err(error) => Err(de::Error::custom(error.message())),
        }
    }
}

/// The parts alone, read by the same rules as inside a session.
macro_rules! part_from_session {
    ($part:ty, $key:literal, $pick:expr) => {
        impl<'de> Deserialize<'de> for $part {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$part, D::Error> {
                let value = Json::deserialize(deserializer)?;
                part(value, $key).and_then($pick).map_err(de::Error::custom)
            }
        }
    };
}

/// Reads `value` as the `key` member of an otherwise minimal session.
fn part(value: Json, key: &str) -> Result<Session, String> {
    let stand_in = |email: &str| {
        let mut object = Json::Object(Vec::new());
        if let Json::Object(members) = &mut object {
            members.push(("email".into(), Json::String(email.into())));
        }
        object
    };
    let mut members = vec![
        ("user".to_owned(), stand_in("user@staff-bar.invalid")),
        ("impersonator".to_owned(), stand_in("staff@staff-bar.invalid")),
    ];
    members.retain(|(name, _)| name != key);
    members.push((key.to_owned(), value));
    match Session::from_value(&Json::Object(members)) {
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err(String::from("staff-bar: null where an object was expected")),
        Err(error) => Err(error.message()),
    }
}

part_from_session!(User, "user", |session: Session| Ok(session.user));
part_from_session!(Impersonator, "impersonator", |session: Session| Ok(session.impersonator));
part_from_session!(Organization, "organization", |session: Session| session
    .organization
    .ok_or_else(|| String::from("staff-bar: an organization was expected")));

/// Any serde input as the crate's [`Json`] tree.
impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Json, E> {
        Ok(Json::Bool(value))
    }

    // A session never reads a number's digits (only that a member is not a string),
    // so none are kept: writing a float back as text would link float formatting,
    // kilobytes of wasm, for nothing.
    fn visit_i64<E>(self, _: i64) -> Result<Json, E> {
        Ok(Json::Number(String::new()))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Json, E> {
        Ok(Json::Number(String::new()))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Json, E> {
        Ok(Json::Number(String::new()))
    }

    fn visit_str<E>(self, value: &str) -> Result<Json, E> {
        Ok(Json::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Json, E> {
        Ok(Json::String(value))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        Json::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            members.push((key, value));
        }
        Ok(Json::Object(members))
    }
}
