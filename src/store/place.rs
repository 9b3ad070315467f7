//! Keyset paging's shared parts: where a page starts (`PageStart`) and a row's place in an
//! order as a URL-safe token (base64 of a JSON array: the list's name, then the values of the
//! order's keys for that row). The name ties a token to its list and order, so a token made
//! for one is refused by another.

use super::sql::Value;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value as Json;
use uuid::Uuid;

/// Where a page starts, `C` being the list's place type.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum PageStart<C> {
    #[default]
    First,
    /// The rows right after this place, in the list's order.
    After(C),
    /// The rows right before this place, still returned in the list's order.
    Before(C),
}

impl<C> PageStart<C> {
    /// The place and whether the page lies before it; `None` for the first page.
    pub(super) fn place(&self) -> Option<(&C, bool)> {
        match self {
            PageStart::First => None,
            PageStart::After(place) => Some((place, false)),
            PageStart::Before(place) => Some((place, true)),
        }
    }

    /// Whether the rows are read from the far end (and must be turned around).
    pub(super) fn reads_backwards(&self) -> bool {
        matches!(self, PageStart::Before(_))
    }
}

/// What a key value is, to read it back from a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Flag,
    Text,
    Time,
    Id,
}

/// Longest token accepted: far above any real one (a 100-character name is ~300), far below
/// what would cost anything to decode.
pub(super) const MAX_TOKEN: usize = 2048;

/// The token of a place in the list `name`.
pub(super) fn token(name: &str, values: &[Value]) -> String {
    let mut json = vec![Json::from(name)];
    json.extend(values.iter().map(encode));
    URL_SAFE_NO_PAD.encode(Json::Array(json).to_string())
}

/// The key values a token of the list `name` holds, if it is one with keys of these kinds.
pub(super) fn parse(name: &str, kinds: &[Kind], token: &str) -> Option<Vec<Value>> {
    if token.len() > MAX_TOKEN {
        return None;
    }
    let json: Vec<Json> = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let (list, values) = json.split_first()?;
    if list.as_str() != Some(name) || values.len() != kinds.len() {
        return None;
    }
    kinds.iter().zip(values).map(|(kind, json)| decode(*kind, json)).collect()
}

fn encode(value: &Value) -> Json {
    match value {
        Value::Bool(Some(b)) => Json::from(*b),
        Value::Text(Some(s)) => Json::from(s.as_str()),
        // the precision both backends keep (see codec::Time), so the place is exact
        Value::Time(Some(t)) => Json::from(t.to_rfc3339_opts(SecondsFormat::Micros, true)),
        Value::Id(Some(id)) => Json::from(id.to_string()),
        // keys are never null and of these kinds only
        other => unreachable!("a key value is never {other:?}"),
    }
}

fn decode(kind: Kind, json: &Json) -> Option<Value> {
    Some(match kind {
        Kind::Flag => Value::from(json.as_bool()?),
        Kind::Text => Value::from(json.as_str()?),
        Kind::Time => Value::from(DateTime::parse_from_rfc3339(json.as_str()?).ok()?.with_timezone(&Utc)),
        Kind::Id => Value::from(Uuid::parse_str(json.as_str()?).ok()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [Kind; 4] = [Kind::Flag, Kind::Text, Kind::Time, Kind::Id];

    fn values() -> Vec<Value> {
        let at = DateTime::parse_from_rfc3339("2026-12-01T09:30:09.123456Z").unwrap().to_utc();
        vec![Value::from(true), Value::from("Ö'Brien \"quoted\""), Value::from(at), Value::from(Uuid::new_v4())]
    }

    #[test]
    fn tokens_read_back_as_the_same_values() {
        let token = token("list", &values());
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
        let values = values();
        assert_eq!(parse("list", &KINDS, &super::token("list", &values)), Some(values));
        assert_eq!(parse("other", &KINDS, &token), None, "a token is only good for its own list");
    }

    #[test]
    fn made_up_tokens_are_refused() {
        let kinds = [Kind::Time, Kind::Id];
        let forged = |json: &str| URL_SAFE_NO_PAD.encode(json);
        for token in [
            String::new(),
            "not base64!".into(),
            forged("{}"),
            forged("[]"),
            forged(r#"["newest"]"#),
            forged(r#"["newest","2026-12-01T09:30:09Z"]"#),
            forged(r#"["newest","yesterday","6f0b8f9e-8a4c-4f4e-9d43-1a2b3c4d5e6f"]"#),
            forged(r#"["newest","2026-12-01T09:30:09Z","not-a-uuid"]"#),
            forged(r#"["newest",1,"6f0b8f9e-8a4c-4f4e-9d43-1a2b3c4d5e6f"]"#),
            forged(r#"["newest","2026-12-01T09:30:09Z","6f0b8f9e-8a4c-4f4e-9d43-1a2b3c4d5e6f","extra"]"#),
            "A".repeat(MAX_TOKEN + 4),
        ] {
            assert_eq!(parse("newest", &kinds, &token), None, "{token}");
        }
        let good = forged(r#"["newest","2026-12-01T09:30:09Z","6f0b8f9e-8a4c-4f4e-9d43-1a2b3c4d5e6f"]"#);
        assert!(parse("newest", &kinds, &good).is_some());
    }
}
