//! The outbox: the events of a change, written in the change's own transaction (so a rolled-back
//! change leaves none and a committed one always has its events), and the reads of them the
//! audit log needs.
//!
//! Every write that changes a badge, an assignment or a member is a method of `Writer`, which
//! carries who is writing: `store.acting(&by).update_badge(…)`. A write cannot be made without
//! saying who made it, and so cannot leave its event out.

use super::codec::Id;
use super::sql::{placeholders, sql, Backend, Pool, Statement, Tx, Value};
use super::{like_pattern, Store, StoreResult};
use crate::domain::event::{ActorKind, ChangedBy, EntityType, EventAction};
use crate::domain::new_id;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The store's writes that record events, on behalf of `by`.
#[derive(Clone, Copy)]
pub struct Writer<'a> {
    pub(super) store: &'a Store,
    pub(super) pool: &'a Pool,
    pub(super) by: &'a ChangedBy,
}

impl Store {
    /// The writes that record events, made by `by`.
    pub fn acting<'a>(&'a self, by: &'a ChangedBy) -> Writer<'a> {
        Writer { store: self, pool: &self.pool, by }
    }
}

/// One change to record: the entity, what happened, and the entity as JSON before and after.
pub(super) struct Change {
    pub entity: EntityType,
    pub entity_id: Uuid,
    pub action: EventAction,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    pub fn created<T: Serialize>(entity: EntityType, id: Uuid, after: &T) -> Result<Change, sqlx::Error> {
        Ok(Change { entity, entity_id: id, action: EventAction::Created, before: None, after: Some(snapshot(after)?) })
    }

    pub fn deleted<T: Serialize>(entity: EntityType, id: Uuid, before: &T) -> Result<Change, sqlx::Error> {
        Ok(Change { entity, entity_id: id, action: EventAction::Deleted, before: Some(snapshot(before)?), after: None })
    }

    pub fn changed<T: Serialize>(
        entity: EntityType,
        id: Uuid,
        action: EventAction,
        before: &T,
        after: &T,
    ) -> Result<Change, sqlx::Error> {
        Ok(Change { entity, entity_id: id, action, before: Some(snapshot(before)?), after: Some(snapshot(after)?) })
    }
}

/// A record as the event keeps it.
fn snapshot<T: Serialize>(record: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(record).map_err(|e| sqlx::Error::Encode(e.into()))
}

/// Writes the events of `changes`, in order, in the transaction of the change. Each entity's
/// events are numbered on from its last (`entity_sequence`): the change has already written
/// (and so, on PostgreSQL, locked) the entity's row, so a concurrent change of the same entity
/// waits for this transaction and then reads this number; the unique (entity, sequence)
/// constraint refuses anything else. A created entity is new, so its first event is 1 without a
/// read — which keeps a run of 100,000 assignments to inserts alone.
pub(super) async fn record(tx: &mut Tx, by: &ChangedBy, changes: Vec<Change>) -> Result<(), sqlx::Error> {
    if changes.is_empty() {
        return Ok(());
    }
    // events have 7 values each, and who and when are bound once; look-ups one id each
    let (rows_per_insert, ids_per_lookup) =
        (tx.backend().rows_per_statement(7, 4), tx.backend().rows_per_statement(1, 1));
    let mut next: HashMap<(EntityType, Uuid), i64> = HashMap::new();
    for entity in EntityType::ALL {
        let ids: Vec<Uuid> = changes
            .iter()
            .filter(|c| c.entity == entity && c.action != EventAction::Created)
            .map(|c| c.entity_id)
            .collect();
        for chunk in ids.chunks(ids_per_lookup) {
            let last: Vec<(Id, i64)> = sql(format!(
                "select entity_id, max(entity_sequence) from events
                 where entity_type = $1 and entity_id in ({}) group by entity_id",
                placeholders(2, chunk.len())
            ))
            .bind(entity.as_str())
            .bind_all(chunk.iter().copied())
            .fetch_all(&mut *tx)
            .await?;
            next.extend(last.into_iter().map(|(id, seq)| ((entity, id.0), seq + 1)));
        }
    }
    let now = Utc::now();
    let ids: Vec<Uuid> = changes.iter().map(|_| new_id()).collect();
    // the webhooks that receive any of these: usually none, and then nothing more is written
    let subscriptions = super::webhooks::active_subscriptions(&mut *tx).await?;
    let delivered = changes.iter().any(|c| subscriptions.iter().any(|s| s.covers(c.entity, c.action)));
    for (chunk, ids) in changes.chunks(rows_per_insert).zip(ids.chunks(rows_per_insert)) {
        let sequences: Vec<i64> = chunk
            .iter()
            .map(|change| {
                let next = next.entry((change.entity, change.entity_id)).or_insert(1);
                *next += 1;
                *next - 1
            })
            .collect();
        let insert = match tx.backend() {
            Backend::Sqlite => insert_as_rows(by, now, chunk, ids, &sequences),
            Backend::Postgres => insert_as_columns(by, now, chunk, ids, &sequences),
        };
        if !delivered {
            insert.execute(&mut *tx).await?;
            continue;
        }
        // the webhooks that receive them, in the same transaction: an event is never without
        // its deliveries (the places come back in no particular order: matched by id)
        let places: Vec<(i64, Id)> = insert_returning(insert).fetch_all(&mut *tx).await?;
        let place_of: HashMap<Uuid, i64> = places.into_iter().map(|(seq, id)| (id.0, seq)).collect();
        let events: Vec<(i64, EntityType, EventAction)> = chunk
            .iter()
            .zip(ids)
            .filter_map(|(change, id)| Some((*place_of.get(id)?, change.entity, change.action)))
            .collect();
        super::webhooks::queue_deliveries(tx, &subscriptions, &events, now).await?;
    }
    // every instance's live dashboards hear of it when (and only if) the change commits:
    // PostgreSQL delivers a notification at commit; SQLite's one process polls instead
    if let Tx::Postgres(_) = tx {
        sql("select pg_notify('insignia_events', '')").execute(&mut *tx).await?;
    }
    Ok(())
}

/// The events insert, `rows` following its column list, with who and when (the same for every
/// event of a change) bound once, as $1 to $4.
fn events_insert(rows: &str, by: &ChangedBy, now: DateTime<Utc>) -> Statement {
    sql(format!(
        "insert into events (id, entity_type, entity_id, entity_sequence, action, actor_kind, actor_id,
             actor_label, occurred_at, before_json, after_json)
         {rows}"
    ))
    .bind(by.kind.as_str())
    .bind(by.id)
    .bind(by.label.as_str())
    .bind(now)
}

/// The events as rows of values (SQLite).
fn insert_as_rows(
    by: &ChangedBy,
    now: DateTime<Utc>,
    changes: &[Change],
    ids: &[Uuid],
    sequences: &[i64],
) -> Statement {
    let rows: Vec<String> = (0..changes.len())
        .map(|i| format!("({}, $1, $2, $3, $4, {})", placeholders(7 * i + 5, 5), placeholders(7 * i + 10, 2)))
        .collect();
    let mut insert = events_insert(&format!("values {}", rows.join(", ")), by, now);
    for ((change, id), sequence) in changes.iter().zip(ids).zip(sequences) {
        insert = insert
            .bind(*id)
            .bind(change.entity.as_str())
            .bind(change.entity_id)
            .bind(*sequence)
            .bind(change.action.as_str())
            .bind(change.before.as_deref())
            .bind(change.after.as_deref());
    }
    insert
}

/// The events as one array per column, unnested into rows (PostgreSQL): a fixed text of eleven
/// values however many rows, where a row of values each costs the server its own expressions
/// (measured on a 100,000-event replay: 2.3–2.7 s as rows, 1.8–1.9 s as columns).
fn insert_as_columns(
    by: &ChangedBy,
    now: DateTime<Utc>,
    changes: &[Change],
    ids: &[Uuid],
    sequences: &[i64],
) -> Statement {
    let texts = |f: fn(&Change) -> Option<String>| Value::Texts(changes.iter().map(f).collect());
    let rows = "select id, entity_type, entity_id, entity_sequence, action, $1, $2, $3, $4, before_json, after_json
        from unnest($5::uuid[], $6::text[], $7::uuid[], $8::bigint[], $9::text[], $10::text[], $11::text[])
            as e(id, entity_type, entity_id, entity_sequence, action, before_json, after_json)";
    events_insert(rows, by, now)
        .bind(Value::Ids(ids.to_vec()))
        .bind(texts(|c| Some(c.entity.as_str().to_owned())))
        .bind(Value::Ids(changes.iter().map(|c| c.entity_id).collect()))
        .bind(Value::Ints(sequences.to_vec()))
        .bind(texts(|c| Some(c.action.as_str().to_owned())))
        .bind(texts(|c| c.before.clone()))
        .bind(texts(|c| c.after.clone()))
}

/// The insert, answering each row's place and id.
fn insert_returning(insert: Statement) -> Statement {
    insert.append(" returning seq, id")
}

/// One event as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// The order it was written in.
    pub seq: i64,
    pub id: Uuid,
    pub entity_type: EntityType,
    pub entity_id: Uuid,
    pub entity_sequence: i64,
    pub action: EventAction,
    pub by: ChangedBy,
    pub occurred_at: DateTime<Utc>,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    seq: i64,
    id: Id,
    entity_type: String,
    entity_id: Id,
    entity_sequence: i64,
    action: String,
    actor_kind: String,
    actor_id: Option<Id>,
    actor_label: String,
    occurred_at: DateTime<Utc>,
    before_json: Option<String>,
    after_json: Option<String>,
}

fn unknown(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.into(), source: format!("unknown value {value:?}").into() }
}

impl TryFrom<EventRow> for EventRecord {
    type Error = sqlx::Error;

    fn try_from(row: EventRow) -> Result<Self, sqlx::Error> {
        Ok(EventRecord {
            seq: row.seq,
            id: row.id.0,
            entity_type: EntityType::parse(&row.entity_type).ok_or_else(|| unknown("entity_type", &row.entity_type))?,
            entity_id: row.entity_id.0,
            entity_sequence: row.entity_sequence,
            action: EventAction::parse(&row.action).ok_or_else(|| unknown("action", &row.action))?,
            by: ChangedBy {
                kind: ActorKind::parse(&row.actor_kind).ok_or_else(|| unknown("actor_kind", &row.actor_kind))?,
                id: row.actor_id.map(Uuid::from),
                label: row.actor_label,
            },
            occurred_at: row.occurred_at,
            before: row.before_json,
            after: row.after_json,
        })
    }
}

pub(super) const EVENT_COLUMNS: &str = "seq, id, entity_type, entity_id, entity_sequence, action, actor_kind, actor_id,
    actor_label, occurred_at, before_json, after_json";

/// Which events the audit log shows; every part is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// A case-insensitive part of who made the change (an email, a key's prefix).
    pub actor: Option<String>,
    pub entity_type: Option<EntityType>,
    pub entity_id: Option<Uuid>,
    pub action: Option<EventAction>,
    /// From this time, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Before this time.
    pub until: Option<DateTime<Utc>>,
}

impl EventFilter {
    /// The condition (over `events`, with `seq < before_seq` when given) and its values: only
    /// the parts that are set, each value bound. A part switched off by `$n is null` instead
    /// would keep the text fixed but hide the indexes from both planners (SQLite scanned the
    /// whole table for one badge's history); this way an entity's history, one entity type
    /// and one action are read through their indexes, newest first.
    fn condition(&self, like: &str, before_seq: Option<i64>) -> (String, Vec<Value>) {
        let actor = format!("actor_label {like} ? escape '\\'");
        let parts: [(&str, Option<Value>); 7] = [
            (&actor, like_pattern(self.actor.as_deref()).map(Value::from)),
            ("entity_type = ?", self.entity_type.map(|t| Value::from(t.as_str()))),
            ("entity_id = ?", self.entity_id.map(Value::from)),
            ("action = ?", self.action.map(|a| Value::from(a.as_str()))),
            ("occurred_at >= ?", self.from.map(Value::from)),
            ("occurred_at < ?", self.until.map(Value::from)),
            ("seq < ?", before_seq.map(Value::from)),
        ];
        let mut text = Vec::new();
        let mut values = Vec::new();
        for (part, value) in parts {
            if let Some(value) = value {
                values.push(value);
                text.push(part.replace('?', &format!("${}", values.len())));
            }
        }
        let condition = if text.is_empty() { "1 = 1".to_owned() } else { text.join(" and ") };
        (condition, values)
    }
}

/// The audit log's query: events matching `filter`, newest first, before `before_seq` when
/// given, at most `limit`.
fn events_sql(like: &str, filter: &EventFilter, before_seq: Option<i64>, limit: i64) -> (String, Vec<Value>) {
    let (condition, mut values) = filter.condition(like, before_seq);
    values.push(Value::from(limit));
    let text =
        format!("select {EVENT_COLUMNS} from events where {condition} order by seq desc limit ${}", values.len());
    (text, values)
}

/// What live dashboards are told of an event: which entity, what happened.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventHead {
    pub seq: i64,
    #[sqlx(try_from = "String")]
    pub entity_type: EntityType,
    #[sqlx(try_from = "Id")]
    pub entity_id: Uuid,
    #[sqlx(try_from = "String")]
    pub action: EventAction,
}

/// Waits for other instances' events (PostgreSQL `LISTEN`).
pub struct EventListener(sqlx::postgres::PgListener);

impl EventListener {
    /// Until an event is committed anywhere, or `timeout` passes; an error means the
    /// connection was lost (the caller polls meanwhile; sqlx reconnects on the next wait).
    pub async fn wait(&mut self, timeout: std::time::Duration) -> Result<(), sqlx::Error> {
        match tokio::time::timeout(timeout, self.0.recv()).await {
            Ok(Ok(_)) | Err(_) => Ok(()),
            Ok(Err(e)) => Err(e),
        }
    }
}

impl Store {
    /// A listener for events committed by any instance; `None` on SQLite, where one process
    /// writes and readers poll.
    pub async fn event_listener(&self) -> StoreResult<Option<EventListener>> {
        match &self.pool {
            Pool::Sqlite(_) => Ok(None),
            Pool::Postgres(pool) => {
                let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
                listener.listen("insignia_events").await?;
                Ok(Some(EventListener(listener)))
            }
        }
    }

    /// The newest event's place (0 with none): live followers start after it.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn last_event_seq(&self) -> StoreResult<i64> {
        Ok(sql("select coalesce(max(seq), 0) from events").fetch_scalar(&self.pool).await?)
    }

    /// What live dashboards are told of the events after `after`, oldest first, at most `limit`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn event_heads(&self, after: i64, limit: i64) -> StoreResult<Vec<EventHead>> {
        Ok(sql("select seq, entity_type, entity_id, action from events where seq > $1 order by seq limit $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Events matching `filter`, newest first: at most `limit` of them, written before event
    /// `before_seq` when given (the next page starts after the last one shown).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn events(
        &self,
        filter: &EventFilter,
        before_seq: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<EventRecord>> {
        let (text, values) = events_sql(self.pool.like(), filter, before_seq, limit);
        let rows: Vec<EventRow> = sql(text).bind_all(values).fetch_all(&self.pool).await?;
        rows.into_iter().map(|row| EventRecord::try_from(row).map_err(Into::into)).collect()
    }

    /// Deletes at most `batch` events older than `before`, oldest first; how many went. The
    /// audit log's retention runs this until it answers less than `batch`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_events_before(&self, before: DateTime<Utc>, batch: i64) -> StoreResult<u64> {
        Ok(sql("delete from events where seq in (select seq from events where occurred_at < $1 order by seq limit $2)")
            .bind(before)
            .bind(batch)
            .execute(&self.pool)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::{events_sql, EventFilter};
    use crate::domain::event::{EntityType, EventAction};
    use crate::store::sql::sql;

    /// The audit log's narrow filters read through an index on SQLite (whose planner takes the
    /// text as given): an entity's history (a few rows, then sorted), and one entity type or one
    /// action, read newest first straight from their indexes.
    #[tokio::test]
    async fn narrow_audit_filters_are_read_through_their_indexes_on_sqlite() {
        let store = crate::store::connect("sqlite::memory:").await.unwrap();
        let entity = EventFilter { entity_id: Some(uuid::Uuid::new_v4()), ..EventFilter::default() };
        let cases = [
            (entity, "(entity_id=?)", false),
            (
                EventFilter { entity_type: Some(EntityType::Badge), ..EventFilter::default() },
                "events_entity_type",
                true,
            ),
            (EventFilter { action: Some(EventAction::Blocked), ..EventFilter::default() }, "events_action", true),
        ];
        for (filter, index, in_order) in cases {
            for before in [None, Some(1000)] {
                let (text, values) = events_sql(store.pool.like(), &filter, before, 50);
                let plan: Vec<(i64, i64, i64, String)> =
                    sql(format!("explain query plan {text}")).bind_all(values).fetch_all(&store.pool).await.unwrap();
                let plan: Vec<String> = plan.into_iter().map(|(.., detail)| detail).collect();
                assert!(plan.iter().any(|step| step.contains(index)), "{filter:?} {before:?}: {plan:?}");
                if in_order {
                    assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "{filter:?} {before:?}: {plan:?}");
                }
            }
        }
    }
}
