//! Webhook endpoints, and the queue of deliveries to them: written with their events (see
//! `queue_deliveries`), claimed by any instance's worker for a while (`claim_deliveries`: on
//! PostgreSQL `for update skip locked`, so two workers never take the same delivery at once),
//! and closed with each attempt's outcome.

use super::codec::Id;
use super::events::{EventRecord, EventRow, EVENT_COLUMNS};
use super::sql::{placeholders, sql, Pool, Tx};
use super::{Store, StoreResult};
use crate::domain::event::{EntityType, EventAction};
use crate::domain::new_id;
use crate::domain::webhook::{EventType, WebhookFormat};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An endpoint as stored, with the event types it receives.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRecord {
    pub id: Uuid,
    pub url: String,
    pub format: WebhookFormat,
    pub secret: String,
    pub paused: bool,
    /// Since when its deliveries have been giving up; `None` while they get through.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub event_types: Vec<EventType>,
}

#[derive(Debug, Clone)]
pub struct NewEndpoint {
    pub url: String,
    pub format: WebhookFormat,
    pub secret: String,
    pub event_types: Vec<EventType>,
}

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: Id,
    url: String,
    format: String,
    secret: String,
    paused: bool,
    failing_since: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

const ENDPOINT_COLUMNS: &str = "w.id, w.url, w.format, w.secret, w.paused, w.failing_since, w.created_at";

fn unknown(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.into(), source: format!("unknown value {value:?}").into() }
}

impl EndpointRow {
    fn into_record(self, types: &[(Id, String)]) -> Result<EndpointRecord, sqlx::Error> {
        let mut event_types: Vec<EventType> = types
            .iter()
            .filter(|(endpoint, _)| *endpoint == self.id)
            .filter_map(|(_, t)| EventType::parse(t))
            .collect();
        event_types.dedup();
        Ok(EndpointRecord {
            id: self.id.0,
            format: WebhookFormat::parse(&self.format).ok_or_else(|| unknown("format", &self.format))?,
            url: self.url,
            secret: self.secret,
            paused: self.paused,
            failing_since: self.failing_since,
            created_at: self.created_at,
            event_types,
        })
    }
}

/// A delivery a worker has claimed: what to send, where, and which attempt this is.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub id: i64,
    /// 1 for the first attempt.
    pub attempt: i64,
    pub event_type: EventType,
    pub endpoint: EndpointRecord,
    pub event: EventRecord,
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttemptOutcome {
    Delivered,
    /// Failed; try again at this time.
    RetryAt(DateTime<Utc>),
    /// Failed, and it was the last attempt.
    GaveUp,
}

/// One attempt, with its delivery, as the delivery log shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRecord {
    /// The attempt's own id: the log pages from it.
    pub id: i64,
    pub delivery_id: i64,
    pub event_type: String,
    pub event_id: Uuid,
    pub attempt: i64,
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub error: Option<String>,
    /// The delivery's status now: PENDING, DELIVERED or FAILED.
    pub delivery_status: String,
    /// When it is tried next, for the delivery's latest attempt while it is pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    id: i64,
    delivery_id: i64,
    event_type: String,
    event_id: Id,
    attempt: i64,
    attempted_at: DateTime<Utc>,
    status_code: Option<i64>,
    duration_ms: i64,
    error: Option<String>,
    delivery_status: String,
    next_attempt_at: DateTime<Utc>,
    latest: bool,
}

/// An event type an endpoint that is not paused receives, with one (entity, action) pair it
/// stands for.
pub(super) struct Subscription {
    endpoint_id: Uuid,
    event_type: String,
    entity_type: EntityType,
    action: EventAction,
}

impl Subscription {
    pub(super) fn covers(&self, entity_type: EntityType, action: EventAction) -> bool {
        self.entity_type == entity_type && self.action == action
    }
}

/// What the endpoints that are not paused receive, read in the transaction that writes events
/// (a small table: one row per endpoint, event type and pair).
pub(super) async fn active_subscriptions(tx: &mut Tx) -> Result<Vec<Subscription>, sqlx::Error> {
    let rows: Vec<(Id, String, String, String)> =
        sql("select s.endpoint_id, s.event_type, s.entity_type, s.action from webhook_subscriptions s
         join webhook_endpoints w on w.id = s.endpoint_id where w.paused = $1")
        .bind(false)
        .fetch_all(tx)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(endpoint, event_type, entity, action)| {
            Some(Subscription {
                endpoint_id: endpoint.0,
                event_type,
                entity_type: EntityType::parse(&entity)?,
                action: EventAction::parse(&action)?,
            })
        })
        .collect())
}

/// Queues a delivery of each event (its place, entity type and action) to every subscription
/// that covers it, in the transaction that wrote the events.
pub(super) async fn queue_deliveries(
    tx: &mut Tx,
    subscriptions: &[Subscription],
    events: &[(i64, EntityType, EventAction)],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(Uuid, i64, &str)> = events
        .iter()
        .flat_map(|(seq, entity, action)| {
            subscriptions
                .iter()
                .filter(|s| s.covers(*entity, *action))
                .map(|s| (s.endpoint_id, *seq, s.event_type.as_str()))
        })
        .collect();
    for chunk in rows.chunks(tx.backend().rows_per_statement(3, 1)) {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, $1, $1)", 3 * i + 2, 3 * i + 3, 3 * i + 4)).collect();
        let mut insert = sql(format!(
            "insert into webhook_deliveries (endpoint_id, event_seq, event_type, next_attempt_at, created_at) values {}",
            values.join(", ")
        ))
        .bind(now);
        for (endpoint, seq, event_type) in chunk {
            insert = insert.bind(*endpoint).bind(*seq).bind(*event_type);
        }
        insert.execute(&mut *tx).await?;
    }
    Ok(())
}

async fn endpoints_where(pool: &Pool, condition: &str, id: Option<Uuid>) -> Result<Vec<EndpointRecord>, sqlx::Error> {
    let rows: Vec<EndpointRow> = sql(format!(
        "select {ENDPOINT_COLUMNS} from webhook_endpoints w where {condition} order by w.created_at, w.id"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?;
    let types: Vec<(Id, String)> = sql(format!(
        "select distinct s.endpoint_id, s.event_type from webhook_subscriptions s
         join webhook_endpoints w on w.id = s.endpoint_id where {condition}"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?;
    // in the order event types are listed, not the order they were stored
    let mut ordered: Vec<(Id, String)> = Vec::with_capacity(types.len());
    for t in EventType::ALL {
        ordered.extend(types.iter().filter(|(_, name)| name == t.as_str()).cloned());
    }
    rows.into_iter().map(|row| row.into_record(&ordered)).collect()
}

/// A delivery that is due at `$1`: waiting, its time come, and not claimed by a worker (or its
/// claim has lapsed).
const DUE: &str = "status = 'PENDING' and next_attempt_at <= $1 and (claimed_until is null or claimed_until <= $1)";

impl Store {
    /// Adds an endpoint with the event types it receives, in one transaction.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_endpoint(&self, new: &NewEndpoint) -> StoreResult<EndpointRecord> {
        let id = new_id();
        let mut tx = self.pool.begin_write().await?;
        sql("insert into webhook_endpoints (id, url, format, secret, paused, created_at) values ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(new.url.as_str())
            .bind(new.format.as_str())
            .bind(new.secret.as_str())
            .bind(false)
            .bind(Utc::now())
            .execute(&mut tx)
            .await?;
        for event_type in &new.event_types {
            for (entity, action) in event_type.events() {
                sql("insert into webhook_subscriptions (endpoint_id, event_type, entity_type, action) values ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(event_type.as_str())
                    .bind(entity.as_str())
                    .bind(action.as_str())
                    .execute(&mut tx)
                    .await?;
            }
        }
        tx.commit().await?;
        self.endpoint(id).await?.ok_or(sqlx::Error::RowNotFound.into())
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn endpoints(&self) -> StoreResult<Vec<EndpointRecord>> {
        Ok(endpoints_where(&self.pool, "$1 is null or w.id = $1", None).await?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn endpoint(&self, id: Uuid) -> StoreResult<Option<EndpointRecord>> {
        Ok(endpoints_where(&self.pool, "w.id = $1", Some(id)).await?.pop())
    }

    /// Pauses or resumes an endpoint; whether there is one.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn set_endpoint_paused(&self, id: Uuid, paused: bool) -> StoreResult<bool> {
        let mut tx = self.pool.begin_write().await?;
        let changed = sql("update webhook_endpoints set paused = $1 where id = $2")
            .bind(paused)
            .bind(id)
            .execute(&mut tx)
            .await?;
        if paused {
            // nothing is kept for a paused endpoint: what was waiting is dropped with the pause
            sql("delete from webhook_deliveries where endpoint_id = $1 and status = 'PENDING'")
                .bind(id)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(changed > 0)
    }

    /// Deletes an endpoint with its deliveries and their attempts; whether there was one.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_endpoint(&self, id: Uuid) -> StoreResult<bool> {
        Ok(sql("delete from webhook_endpoints where id = $1").bind(id).execute(&self.pool).await? > 0)
    }

    /// Queues one more delivery of the endpoint's latest event of a type it receives (the
    /// Webhooks page's "send test event": a real event, of a type the receiver handles); the
    /// event's seq, or `None` when no such event has happened yet.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn queue_latest_event(&self, endpoint_id: Uuid) -> StoreResult<Option<i64>> {
        let mut tx = self.pool.begin_write().await?;
        let latest: Option<(i64, String)> = sql("select e.seq, s.event_type from events e
             join webhook_subscriptions s on s.entity_type = e.entity_type and s.action = e.action
             where s.endpoint_id = $1 order by e.seq desc limit 1")
        .bind(endpoint_id)
        .fetch_optional(&mut tx)
        .await?;
        let Some((seq, event_type)) = latest else { return Ok(None) };
        queue_one(&mut tx, endpoint_id, seq, &event_type).await?;
        tx.commit().await?;
        Ok(Some(seq))
    }

    /// Queues a delivery again, as a new delivery of the same event to the same endpoint, due
    /// now; whether there was such a delivery.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn redeliver(&self, endpoint_id: Uuid, delivery_id: i64) -> StoreResult<bool> {
        let mut tx = self.pool.begin_write().await?;
        let found: Option<(i64, String)> =
            sql("select event_seq, event_type from webhook_deliveries where id = $1 and endpoint_id = $2")
                .bind(delivery_id)
                .bind(endpoint_id)
                .fetch_optional(&mut tx)
                .await?;
        let Some((seq, event_type)) = found else { return Ok(false) };
        queue_one(&mut tx, endpoint_id, seq, &event_type).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Claims at most `limit` deliveries that are due, for `lease`: their attempt count goes up
    /// and no other worker takes them until the lease ends (a worker that dies mid-attempt
    /// leaves them to another after it).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        // most of the time nothing is due: a read says so without taking the write lock, which
        // on SQLite every other writer would queue behind, once a second per instance
        let any_due: Option<(i64,)> = sql(format!("select id from webhook_deliveries where {DUE} limit 1"))
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        if any_due.is_none() {
            return Ok(Vec::new());
        }
        let mut tx = self.pool.begin_write().await?;
        let skip_locked = match self.pool {
            Pool::Sqlite(_) => "",
            Pool::Postgres(_) => "for update skip locked",
        };
        let due: Vec<(i64,)> = sql(format!(
            "select id from webhook_deliveries where {DUE} order by next_attempt_at, id limit $2 {skip_locked}"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut tx)
        .await?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let ids = || due.iter().map(|(id,)| *id);
        sql(format!(
            "update webhook_deliveries set claimed_until = $1, attempts = attempts + 1 where id in ({})",
            placeholders(2, due.len())
        ))
        .bind(now + lease)
        .bind_all(ids())
        .execute(&mut tx)
        .await?;
        let rows: Vec<(i64, i64, String, Id, i64)> = sql(format!(
            "select id, attempts, event_type, endpoint_id, event_seq from webhook_deliveries where id in ({})",
            placeholders(1, due.len())
        ))
        .bind_all(ids())
        .fetch_all(&mut tx)
        .await?;
        let events: Vec<EventRow> = sql(format!(
            "select {EVENT_COLUMNS} from events where seq in (select event_seq from webhook_deliveries where id in ({}))",
            placeholders(1, due.len())
        ))
        .bind_all(ids())
        .fetch_all(&mut tx)
        .await?;
        tx.commit().await?;
        let events: Vec<EventRecord> = events.into_iter().map(EventRecord::try_from).collect::<Result<_, _>>()?;
        let endpoints = self.endpoints().await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for (id, attempt, event_type, endpoint_id, seq) in rows {
            let event_type = EventType::parse(&event_type).ok_or_else(|| unknown("event_type", &event_type))?;
            let endpoint = endpoints.iter().find(|e| e.id == endpoint_id.0).cloned();
            let event = events.iter().find(|e| e.seq == seq).cloned();
            // deleted meanwhile: its rows went with it by cascade
            if let (Some(endpoint), Some(event)) = (endpoint, event) {
                claimed.push(ClaimedDelivery { id, attempt, event_type, endpoint, event });
            }
        }
        Ok(claimed)
    }

    /// Writes an attempt and what became of its delivery. The endpoint is failing from its first
    /// delivery that gives up until one gets through.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    #[allow(clippy::too_many_arguments)]
    pub async fn record_attempt(
        &self,
        delivery: &ClaimedDelivery,
        at: DateTime<Utc>,
        status_code: Option<u16>,
        duration_ms: i64,
        error: Option<&str>,
        outcome: AttemptOutcome,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_write().await?;
        sql("insert into webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, error)
             values ($1, $2, $3, $4, $5, $6)")
        .bind(delivery.id)
        .bind(delivery.attempt)
        .bind(at)
        .bind(status_code.map(i64::from))
        .bind(duration_ms)
        .bind(error)
        .execute(&mut tx)
        .await?;
        let (status, next) = match outcome {
            AttemptOutcome::Delivered => ("DELIVERED", at),
            AttemptOutcome::RetryAt(next) => ("PENDING", next),
            AttemptOutcome::GaveUp => ("FAILED", at),
        };
        sql("update webhook_deliveries set status = $1, next_attempt_at = $2, claimed_until = null where id = $3")
            .bind(status)
            .bind(next)
            .bind(delivery.id)
            .execute(&mut tx)
            .await?;
        let failing = match outcome {
            AttemptOutcome::Delivered => Some("update webhook_endpoints set failing_since = null where id = $1"),
            AttemptOutcome::GaveUp => {
                Some("update webhook_endpoints set failing_since = coalesce(failing_since, $2) where id = $1")
            }
            AttemptOutcome::RetryAt(_) => None,
        };
        if let Some(statement) = failing {
            sql(statement).bind(delivery.endpoint.id).bind(at).execute(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The endpoint's attempts, newest first: at most `limit`, older than attempt `before` when
    /// given.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delivery_log(
        &self,
        endpoint_id: Uuid,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<AttemptRecord>> {
        let rows: Vec<AttemptRow> =
            sql("select t.id, d.id as delivery_id, d.event_type, e.id as event_id, t.attempt, t.attempted_at,
                    t.status_code, t.duration_ms, t.error, d.status as delivery_status, d.next_attempt_at,
                    t.attempt = d.attempts as latest
             from webhook_attempts t
             join webhook_deliveries d on d.id = t.delivery_id
             join events e on e.seq = d.event_seq
             where d.endpoint_id = $1 and ($2 is null or t.id < $2)
             order by t.id desc limit $3")
            .bind(endpoint_id)
            .bind(before)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(AttemptRow::into_record).collect())
    }

    /// Deletes at most `batch` delivered deliveries (with their attempts) made before `before`;
    /// how many went. Retention runs this until it answers less than `batch`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_delivered_before(&self, before: DateTime<Utc>, batch: i64) -> StoreResult<u64> {
        Ok(sql(
            "delete from webhook_deliveries where id in
               (select id from webhook_deliveries where status = 'DELIVERED' and created_at < $1 order by id limit $2)",
        )
        .bind(before)
        .bind(batch)
        .execute(&self.pool)
        .await?)
    }
}

impl AttemptRow {
    fn into_record(self) -> AttemptRecord {
        let pending = self.delivery_status == "PENDING" && self.latest;
        AttemptRecord {
            id: self.id,
            delivery_id: self.delivery_id,
            event_type: self.event_type,
            event_id: self.event_id.0,
            attempt: self.attempt,
            attempted_at: self.attempted_at,
            status_code: self.status_code,
            duration_ms: self.duration_ms,
            error: self.error,
            delivery_status: self.delivery_status,
            next_attempt_at: pending.then_some(self.next_attempt_at),
        }
    }
}

async fn queue_one(tx: &mut Tx, endpoint_id: Uuid, seq: i64, event_type: &str) -> Result<(), sqlx::Error> {
    let now = Utc::now();
    sql("insert into webhook_deliveries (endpoint_id, event_seq, event_type, next_attempt_at, created_at)
         values ($1, $2, $3, $4, $4)")
    .bind(endpoint_id)
    .bind(seq)
    .bind(event_type)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}
