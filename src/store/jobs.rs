//! Background runs (see `crate::domain::job`): starting one, reading them, ending one that
//! failed. Doing a run's batches is `job_batch`.

use super::codec::Id;
use super::dialect::unique_violation;
use super::member_filter::MemberFilter;
use super::query_sql::Compiler;
use super::sql::{placeholders, sql, Tx};
use super::{Store, StoreError, StoreResult};
use crate::domain::job::{Job, JobAction, JobStatus};
use crate::domain::new_id;
use crate::domain::query::{AssignmentField, Filter, MemberQuery};
use crate::domain::tags::TagChange;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Which members (or assignments) a run goes through. Filters are read afresh for each batch,
/// in id order, after the last id done.
#[derive(Debug, Clone)]
pub enum JobSource {
    /// Every member matching the dashboard's filters.
    Filter(MemberFilter),
    /// These members (a CSV import's matched lines), in line order.
    List(Vec<JobItem>),
    /// Every member matching a REST filter (and search).
    Members(MemberQuery),
    /// Every assignment matching a REST filter.
    Assignments(Filter<AssignmentField>),
}

impl JobSource {
    fn name(&self) -> &'static str {
        match self {
            JobSource::Filter(_) => "FILTER",
            JobSource::List(_) => "LIST",
            JobSource::Members(_) => "MEMBER_QUERY",
            JobSource::Assignments(_) => "ASSIGNMENT_QUERY",
        }
    }

    /// The filter as kept with the run.
    fn filter_json(&self) -> Result<Option<String>, serde_json::Error> {
        match self {
            JobSource::Filter(f) => serde_json::to_string(f).map(Some),
            JobSource::List(_) => Ok(None),
            JobSource::Members(q) => serde_json::to_string(q).map(Some),
            JobSource::Assignments(f) => serde_json::to_string(f).map(Some),
        }
    }
}

/// One matched line of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobItem {
    pub line: i64,
    pub member_id: Uuid,
    /// The line's own reason; the run's reason when `None`.
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewJob {
    pub action: JobAction,
    /// The badge of an assign or remove run; `None` for the others.
    pub badge_id: Option<Uuid>,
    pub source: JobSource,
    /// What an UPDATE_TAGS run does to each assignment's tags.
    pub tags: Option<TagChange>,
    pub reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_by_key: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobStart {
    Started(Job),
    /// Another run for this badge is still going: this one.
    AlreadyRunning(Job),
    BadgeNotFound,
}

/// A run's columns with its badge's title, from `jobs j left join badges b`.
const JOB_SELECT: &str = "select j.id, j.badge_id, b.title as badge_title, j.action, j.source, j.status,
        j.total, j.processed, j.succeeded, j.unchanged, j.failed, j.error, j.created_at, j.finished_at
    from jobs j left join badges b on b.id = j.badge_id";

#[derive(sqlx::FromRow)]
struct JobRow {
    id: Id,
    badge_id: Option<Id>,
    badge_title: Option<String>,
    action: String,
    source: String,
    status: String,
    total: i64,
    processed: i64,
    succeeded: i64,
    unchanged: i64,
    failed: i64,
    error: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

/// A column holding a value this version does not know: decoded strictly, never guessed.
pub(super) fn unknown_value(column: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.into(), source: "unknown value".into() }
}

impl TryFrom<JobRow> for Job {
    type Error = sqlx::Error;

    fn try_from(row: JobRow) -> Result<Self, sqlx::Error> {
        Ok(Job {
            id: row.id.0,
            badge_id: row.badge_id.map(Uuid::from),
            badge_title: row.badge_title,
            action: JobAction::parse(&row.action).ok_or_else(|| unknown_value("action"))?,
            from_import: row.source == "LIST",
            from_api: matches!(row.source.as_str(), "MEMBER_QUERY" | "ASSIGNMENT_QUERY"),
            status: JobStatus::parse(&row.status).ok_or_else(|| unknown_value("status"))?,
            total: row.total,
            processed: row.processed,
            succeeded: row.succeeded,
            unchanged: row.unchanged,
            failed: row.failed,
            error: row.error,
            created_at: row.created_at,
            finished_at: row.finished_at,
        })
    }
}

/// The run, read in the transaction.
pub(super) async fn job_in(tx: &mut Tx, job_id: Uuid) -> Result<Job, sqlx::Error> {
    let row: JobRow = sql(format!("{JOB_SELECT} where j.id = $1")).bind(job_id).fetch_one(tx).await?;
    row.try_into()
}

/// Writes an import's matched lines.
async fn insert_items(tx: &mut Tx, job_id: Uuid, items: &[JobItem]) -> Result<(), sqlx::Error> {
    for chunk in items.chunks(tx.backend().rows_per_statement(3, 1)) {
        let rows: Vec<String> = (0..chunk.len()).map(|i| format!("($1, {})", placeholders(3 * i + 2, 3))).collect();
        let mut insert =
            sql(format!("insert into job_items (job_id, line, member_id, reason) values {}", rows.join(", ")))
                .bind(job_id);
        for item in chunk {
            insert = insert.bind(item.line).bind(item.member_id).bind(item.reason.as_deref());
        }
        insert.execute(&mut *tx).await?;
    }
    Ok(())
}

impl Store {
    /// Records a run and counts what it will go through. An assign or remove run is refused
    /// (with the run in progress) while another run for the same badge is still going.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_job(&self, new: &NewJob) -> StoreResult<JobStart> {
        let mut tx = self.pool.begin_write().await?;
        if let Some(badge_id) = new.badge_id {
            let badge: Option<(i32,)> =
                sql("select 1 from badges where id = $1").bind(badge_id).fetch_optional(&mut tx).await?;
            if badge.is_none() {
                return Ok(JobStart::BadgeNotFound);
            }
            let running: Option<JobRow> = sql(format!("{JOB_SELECT} where j.badge_id = $1 and j.status = 'RUNNING'"))
                .bind(badge_id)
                .fetch_optional(&mut tx)
                .await?;
            if let Some(running) = running {
                return Ok(JobStart::AlreadyRunning(running.try_into()?));
            }
        }
        let total = self.count_source(&mut tx, &new.source).await?;
        let encode = |e: serde_json::Error| sqlx::Error::Encode(e.into());
        let filter = new.source.filter_json().map_err(encode)?;
        let params = new.tags.as_ref().map(serde_json::to_string).transpose().map_err(encode)?;
        let job_id = new_id();
        sql("insert into jobs (id, action, badge_id, source, filter, params, reason, created_by, created_by_key,
                               status, total, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'RUNNING', $10, $11)")
        .bind(job_id)
        .bind(new.action.as_str())
        .bind(new.badge_id)
        .bind(new.source.name())
        .bind(filter)
        .bind(params)
        .bind(new.reason.as_deref())
        .bind(new.created_by)
        .bind(new.created_by_key)
        .bind(total)
        .bind(Utc::now())
        .execute(&mut tx)
        .await
        .map_err(unique_violation)
        .map_err(|e| match e {
            // another instance started a run for this badge a moment ago
            StoreError::Unique(_) => StoreError::Unique("jobs_one_running".into()),
            other => other,
        })?;
        if let JobSource::List(items) = &new.source {
            insert_items(&mut tx, job_id, items).await?;
        }
        let job = job_in(&mut tx, job_id).await?;
        tx.commit().await?;
        Ok(JobStart::Started(job))
    }

    /// How many members (or assignments) the source holds now.
    async fn count_source(&self, tx: &mut Tx, source: &JobSource) -> Result<i64, sqlx::Error> {
        let (condition, values) = match source {
            JobSource::List(items) => return Ok(items.len() as i64),
            JobSource::Filter(filter) => {
                let (condition, values) = filter.condition(self.pool.like());
                (format!("select count(*) from members m where {condition}"), values)
            }
            JobSource::Members(query) => {
                let mut compiler = Compiler::new(&self.pool);
                let condition = super::member_query::condition(&mut compiler, query);
                (format!("select count(*) from members m where {condition}"), compiler.values)
            }
            JobSource::Assignments(filter) => {
                let mut compiler = Compiler::new(&self.pool);
                let scope = super::assignment_records::AssignmentScope::All;
                let condition = super::assignment_records::condition(&mut compiler, filter, scope);
                (format!("select count(*) from badge_assignments a where {condition}"), compiler.values)
            }
        };
        sql(condition).bind_all(values).fetch_scalar(tx).await
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn job(&self, job_id: Uuid) -> StoreResult<Option<Job>> {
        let row: Option<JobRow> =
            sql(format!("{JOB_SELECT} where j.id = $1")).bind(job_id).fetch_optional(&self.pool).await?;
        Ok(row.map(Job::try_from).transpose()?)
    }

    /// The latest runs, newest first.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn recent_jobs(&self, limit: i64) -> StoreResult<Vec<Job>> {
        let rows: Vec<JobRow> = sql(format!("{JOB_SELECT} order by j.created_at desc, j.id limit $1"))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Job::try_from).collect::<Result<_, _>>()?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn running_jobs(&self) -> StoreResult<Vec<Uuid>> {
        let rows: Vec<(Id,)> =
            sql("select id from jobs where status = 'RUNNING' order by created_at").fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|(id,)| id.0).collect())
    }

    /// Ends a run that cannot go on, with the reason.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn fail_job(&self, job_id: Uuid, error: &str) -> StoreResult<()> {
        sql("update jobs set status = 'FAILED', error = $2, finished_at = $3 where id = $1 and status = 'RUNNING'")
            .bind(job_id)
            .bind(error)
            .bind(Utc::now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
