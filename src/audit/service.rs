//! The audit log's rules: owners and admins only; the filters parsed (a field-level error for
//! each that does not read); each event named and described.

use super::{describe, AuditEntry, AuditFilters, AuditPage};
use crate::auth::actor::Actor;
use crate::domain::event::{EntityType, EventAction};
use crate::error::AppError;
use crate::store::{EventFilter, EventRecord, Store};
use chrono::{NaiveDate, TimeZone, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// Entries on one page of the log.
pub const PAGE_SIZE: i64 = 50;

/// The longest actor search, as the other searches.
const MAX_ACTOR: usize = crate::domain::MAX_SEARCH;

fn day(field: &'static str, value: &str) -> Result<chrono::DateTime<Utc>, AppError> {
    let date = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation(field, "A date as YYYY-MM-DD"))?;
    Ok(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default()))
}

fn blank_is_none(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The filters as the store takes them; a field-level error for the first that does not read.
pub fn parse(filters: &AuditFilters) -> Result<EventFilter, AppError> {
    let actor = blank_is_none(&filters.actor).map(str::to_owned);
    if actor.as_ref().is_some_and(|a| a.chars().count() > MAX_ACTOR) {
        return Err(AppError::validation("actor", format!("At most {MAX_ACTOR} characters")));
    }
    let entity_type = blank_is_none(&filters.entity_type)
        .map(|t| {
            EntityType::parse(t)
                .ok_or_else(|| AppError::validation("entity_type", "Choose badge, assignment or member"))
        })
        .transpose()?;
    let entity_id = blank_is_none(&filters.entity)
        .map(|e| {
            Uuid::parse_str(e)
                .map_err(|_| AppError::validation("entity", "An id, as a badge's or member's history links give it"))
        })
        .transpose()?;
    let action = blank_is_none(&filters.action)
        .map(|a| {
            EventAction::parse(a).ok_or_else(|| AppError::validation("action", "Choose one of the listed actions"))
        })
        .transpose()?;
    let from = blank_is_none(&filters.from).map(|d| day("from", d)).transpose()?;
    // "to" is the last day shown: the filter runs to the start of the next
    let until = blank_is_none(&filters.to).map(|d| day("to", d)).transpose()?.map(|d| d + chrono::Duration::days(1));
    if let (Some(from), Some(until)) = (from, until) {
        if until <= from {
            return Err(AppError::validation("to", "The last day comes on or after the first"));
        }
    }
    Ok(EventFilter { actor, entity_type, entity_id, action, from, until })
}

/// Names entities, reading each badge and member at most once per page.
struct Names<'a> {
    store: &'a Store,
    badges: HashMap<Uuid, Option<String>>,
    members: HashMap<Uuid, Option<String>>,
}

impl Names<'_> {
    async fn badge(&mut self, id: Uuid) -> Result<String, AppError> {
        if !self.badges.contains_key(&id) {
            let title = self.store.badge(id).await?.map(|b| b.title);
            self.badges.insert(id, title);
        }
        Ok(self.badges[&id].clone().unwrap_or_else(|| "a deleted badge".to_owned()))
    }

    async fn member(&mut self, id: Uuid) -> Result<String, AppError> {
        if !self.members.contains_key(&id) {
            let name = self.store.member(id).await?.map(|m| describe::member_name(&m));
            self.members.insert(id, name);
        }
        Ok(self.members[&id].clone().unwrap_or_else(|| "a deleted member".to_owned()))
    }

    /// A badge or member by its own snapshot (as it was then); an assignment as "badge → member"
    /// by their names now.
    async fn of(&mut self, event: &EventRecord) -> Result<String, AppError> {
        let snapshot = event.after.as_deref().or(event.before.as_deref());
        if let Some(name) = describe::own_name(event.entity_type, snapshot) {
            return Ok(name);
        }
        match describe::assignment_parties(snapshot) {
            Some((badge, member)) => Ok(format!("{} → {}", self.badge(badge).await?, self.member(member).await?)),
            None => Ok(event.entity_id.to_string()),
        }
    }
}

async fn entries(store: &Store, events: Vec<EventRecord>) -> Result<Vec<AuditEntry>, AppError> {
    let mut names = Names { store, badges: HashMap::new(), members: HashMap::new() };
    let mut entries = Vec::with_capacity(events.len());
    for event in events {
        entries.push(AuditEntry {
            seq: event.seq,
            occurred_at: event.occurred_at,
            entity_name: names.of(&event).await?,
            changes: describe::changes(event.entity_type, event.before.as_deref(), event.after.as_deref()),
            actor: event.by.label,
            actor_kind: event.by.kind,
            entity_type: event.entity_type,
            entity_id: event.entity_id,
            action: event.action,
        })
    }
    Ok(entries)
}

/// One page of the log, newest first, older than `older` when given: owners and admins only.
pub async fn page(
    store: &Store,
    actor: &Actor,
    filters: &AuditFilters,
    older: Option<i64>,
) -> Result<AuditPage, AppError> {
    actor.require_admin()?;
    let filter = parse(filters)?;
    let mut events = store.events(&filter, older, PAGE_SIZE + 1).await?;
    let more = events.len() as i64 > PAGE_SIZE;
    events.truncate(PAGE_SIZE as usize);
    let older = if more { events.last().map(|e| e.seq) } else { None };
    Ok(AuditPage { entries: entries(store, events).await?, older })
}

/// The most entries one export holds; past it, narrow the filters.
pub const MAX_EXPORT: usize = 100_000;

/// Every entry the filters match, newest first, up to `MAX_EXPORT`, read a page at a time:
/// owners and admins only. `None` past the bound.
pub async fn all(store: &Store, actor: &Actor, filters: &AuditFilters) -> Result<Option<Vec<AuditEntry>>, AppError> {
    actor.require_admin()?;
    let filter = parse(filters)?;
    let mut all = Vec::new();
    let mut older = None;
    loop {
        let events = store.events(&filter, older, 1000).await?;
        let last = events.last().map(|e| e.seq);
        let done = events.len() < 1000;
        all.extend(entries(store, events).await?);
        if all.len() > MAX_EXPORT {
            return Ok(None);
        }
        if done {
            return Ok(Some(all));
        }
        older = last;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(f: impl FnOnce(&mut AuditFilters)) -> AuditFilters {
        let mut filters = AuditFilters::default();
        f(&mut filters);
        filters
    }

    #[test]
    fn filters_parse_or_name_the_field_at_fault() {
        assert_eq!(parse(&AuditFilters::default()).unwrap(), EventFilter::default());
        let blank = filters(|f| {
            f.actor = Some("  ".into());
            f.action = Some(String::new());
        });
        assert_eq!(parse(&blank).unwrap(), EventFilter::default(), "blank fields are no filter");
        let field = |f: AuditFilters| match parse(&f) {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        };
        assert_eq!(field(filters(|f| f.entity = Some("nope".into()))), "entity");
        assert_eq!(field(filters(|f| f.action = Some("exploded".into()))), "action");
        assert_eq!(field(filters(|f| f.entity_type = Some("page".into()))), "entity_type");
        assert_eq!(field(filters(|f| f.from = Some("2026-13-01".into()))), "from");
        assert_eq!(field(filters(|f| f.actor = Some("x".repeat(MAX_ACTOR + 1)))), "actor");
        let backwards = filters(|f| {
            f.from = Some("2026-12-07".into());
            f.to = Some("2026-12-06".into());
        });
        assert_eq!(field(backwards), "to");
        let one_day = parse(&filters(|f| {
            f.from = Some("2026-12-07".into());
            f.to = Some("2026-12-07".into());
        }))
        .unwrap();
        assert_eq!(one_day.until.unwrap() - one_day.from.unwrap(), chrono::Duration::days(1), "to includes its day");
    }
}
