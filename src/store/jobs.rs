//! Background assignment runs (see `crate::domain::job`): starting one, reading them, ending
//! one that failed. Doing a run's batches is `job_batch`.

use super::codec::Id;
use super::dialect::unique_violation;
use super::member_filter::MemberFilter;
use super::sql::{placeholders, sql, Tx};
use super::{Store, StoreError, StoreResult};
use crate::domain::job::{Job, JobAction, JobStatus};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Which members a run goes through.
#[derive(Debug, Clone)]
pub enum JobSource {
    /// Every member matching these filters when each batch is read, in id order.
    Filter(MemberFilter),
    /// These members (a CSV import's matched lines), in line order.
    List(Vec<JobItem>),
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
    pub badge_id: Uuid,
    pub action: JobAction,
    pub source: JobSource,
    pub reason: Option<String>,
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobStart {
    Started(Job),
    /// Another run for this badge is still going: this one.
    AlreadyRunning(Job),
    BadgeNotFound,
}

/// A run's columns with its badge's title, from `assignment_jobs j join badges b`.
const JOB_SELECT: &str = "select j.id, j.badge_id, b.title as badge_title, j.action, j.source, j.status,
        j.total, j.processed, j.succeeded, j.unchanged, j.failed, j.error, j.created_at, j.finished_at
    from assignment_jobs j join badges b on b.id = j.badge_id";

#[derive(sqlx::FromRow)]
struct JobRow {
    id: Id,
    badge_id: Id,
    badge_title: String,
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
            badge_id: row.badge_id.0,
            badge_title: row.badge_title,
            action: JobAction::parse(&row.action).ok_or_else(|| unknown_value("action"))?,
            from_import: row.source == "LIST",
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

/// Writes an import's matched lines, 500 to a statement.
async fn insert_items(tx: &mut Tx, job_id: Uuid, items: &[JobItem]) -> Result<(), sqlx::Error> {
    for chunk in items.chunks(500) {
        let rows: Vec<String> = (0..chunk.len()).map(|i| format!("($1, {})", placeholders(3 * i + 2, 3))).collect();
        let mut insert = sql(format!(
            "insert into assignment_job_items (job_id, line, member_id, reason) values {}",
            rows.join(", ")
        ))
        .bind(job_id);
        for item in chunk {
            insert = insert.bind(item.line).bind(item.member_id).bind(item.reason.as_deref());
        }
        insert.execute(&mut *tx).await?;
    }
    Ok(())
}

impl Store {
    /// Records a run and counts its members. Refused (with the run in progress) while another
    /// run for the same badge is still going.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_job(&self, new: &NewJob) -> StoreResult<JobStart> {
        let mut tx = self.pool.begin_write().await?;
        let badge: Option<(i32,)> =
            sql("select 1 from badges where id = $1").bind(new.badge_id).fetch_optional(&mut tx).await?;
        if badge.is_none() {
            return Ok(JobStart::BadgeNotFound);
        }
        let running: Option<JobRow> = sql(format!("{JOB_SELECT} where j.badge_id = $1 and j.status = 'RUNNING'"))
            .bind(new.badge_id)
            .fetch_optional(&mut tx)
            .await?;
        if let Some(running) = running {
            return Ok(JobStart::AlreadyRunning(running.try_into()?));
        }
        let (source, filter, total) = match &new.source {
            JobSource::Filter(filter) => {
                let (condition, values) = filter.to_sql(self.pool.like());
                let total: i64 = sql(format!("select count(*) from members m {condition}"))
                    .bind_all(values)
                    .fetch_scalar(&mut tx)
                    .await?;
                let json = serde_json::to_string(filter).map_err(|e| sqlx::Error::Encode(e.into()))?;
                ("FILTER", Some(json), total)
            }
            JobSource::List(items) => ("LIST", None, items.len() as i64),
        };
        let job_id = Uuid::new_v4();
        sql("insert into assignment_jobs (id, badge_id, action, source, filter, reason, created_by, status, total, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, 'RUNNING', $8, $9)")
        .bind(job_id)
        .bind(new.badge_id)
        .bind(new.action.as_str())
        .bind(source)
        .bind(filter)
        .bind(new.reason.as_deref())
        .bind(new.created_by)
        .bind(total)
        .bind(Utc::now())
        .execute(&mut tx)
        .await
        .map_err(unique_violation)
        .map_err(|e| match e {
            // another instance started a run for this badge a moment ago
            StoreError::Unique(_) => StoreError::Unique("assignment_jobs_one_running".into()),
            other => other,
        })?;
        if let JobSource::List(items) = &new.source {
            insert_items(&mut tx, job_id, items).await?;
        }
        let job = job_in(&mut tx, job_id).await?;
        tx.commit().await?;
        Ok(JobStart::Started(job))
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
        let rows: Vec<(Id,)> = sql("select id from assignment_jobs where status = 'RUNNING' order by created_at")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(id,)| id.0).collect())
    }

    /// Ends a run that cannot go on, with the reason.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn fail_job(&self, job_id: Uuid, error: &str) -> StoreResult<()> {
        sql("update assignment_jobs set status = 'FAILED', error = $2, finished_at = $3 where id = $1 and status = 'RUNNING'")
            .bind(job_id)
            .bind(error)
            .bind(Utc::now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
