//! Doing a background run, one batch per transaction: interrupted anywhere, a run resumes after
//! the last batch written, with nothing done twice.

use super::codec::Id;
use super::dialect::Lock;
use super::jobs::{job_in, unknown_value};
use super::member_filter::MemberFilter;
use super::sql::{placeholders, sql, Pool, Tx};
use super::{Store, StoreResult};
use crate::domain::job::{Job, JobAction};
use chrono::Utc;
use std::collections::HashSet;
use uuid::Uuid;

/// The state of a run that a batch reads, locked for the batch.
#[derive(sqlx::FromRow)]
struct RunRow {
    badge_id: Id,
    action: String,
    source: String,
    filter: Option<String>,
    reason: Option<String>,
    created_by: Option<Id>,
    status: String,
    /// The last member id (a filter run) or line (an import) done.
    done_through: Option<String>,
}

/// The members of one batch, each with the reason to record, and where the batch ends.
struct Batch {
    members: Vec<(Uuid, Option<String>)>,
    last: Option<String>,
}

fn bad_cursor(e: impl ToString) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: "done_through".into(), source: e.to_string().into() }
}

/// The next members matching the run's filter after `done_through`, in id order.
async fn filter_batch(pool: &Pool, tx: &mut Tx, run: &RunRow, batch: i64) -> Result<Batch, sqlx::Error> {
    let filter: MemberFilter = serde_json::from_str(run.filter.as_deref().unwrap_or_default())
        .map_err(|e| sqlx::Error::ColumnDecode { index: "filter".into(), source: e.into() })?;
    let (condition, values) = filter.to_sql(pool.like());
    let after = run.done_through.as_deref().map(Uuid::parse_str).transpose().map_err(bad_cursor)?;
    let mut n = values.len();
    let mut text = format!("select m.id from members m {condition}");
    if after.is_some() {
        n += 1;
        text.push_str(&format!("{}m.id > ${n}", if condition.is_empty() { " where " } else { " and " }));
    }
    text.push_str(&format!(" order by m.id limit ${}", n + 1));
    let mut statement = sql(text).bind_all(values);
    if let Some(after) = after {
        statement = statement.bind(after);
    }
    let rows: Vec<(Id,)> = statement.bind(batch).fetch_all(tx).await?;
    let last = rows.last().map(|(id,)| id.0.to_string());
    Ok(Batch { members: rows.into_iter().map(|(id,)| (id.0, run.reason.clone())).collect(), last })
}

/// The next lines of an import after `done_through`, each with its own reason or the run's.
async fn list_batch(tx: &mut Tx, job_id: Uuid, run: &RunRow, batch: i64) -> Result<Batch, sqlx::Error> {
    let after: i64 = run.done_through.as_deref().map(str::parse).transpose().map_err(bad_cursor)?.unwrap_or(0);
    let rows: Vec<(i64, Id, Option<String>)> = sql(
        "select line, member_id, reason from assignment_job_items where job_id = $1 and line > $2 order by line limit $3",
    )
    .bind(job_id)
    .bind(after)
    .bind(batch)
    .fetch_all(tx)
    .await?;
    let last = rows.last().map(|(line, _, _)| line.to_string());
    let members = rows.into_iter().map(|(_, member, own)| (member.0, own.or_else(|| run.reason.clone()))).collect();
    Ok(Batch { members, last })
}

/// Which of the batch's members still exist: members can be deleted after an import was
/// matched, and those fail.
async fn still_there(tx: &mut Tx, members: &[(Uuid, Option<String>)]) -> Result<HashSet<Uuid>, sqlx::Error> {
    if members.is_empty() {
        return Ok(HashSet::new());
    }
    let rows: Vec<(Id,)> = sql(format!("select id from members where id in ({})", placeholders(1, members.len())))
        .bind_all(members.iter().map(|(m, _)| *m))
        .fetch_all(tx)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id.0).collect())
}

/// Assigns the badge to (or removes it from) each member; how many changed.
async fn apply(
    tx: &mut Tx,
    action: JobAction,
    badge_id: Uuid,
    created_by: Option<Uuid>,
    present: &[&(Uuid, Option<String>)],
) -> Result<i64, sqlx::Error> {
    if present.is_empty() {
        return Ok(0);
    }
    let changed = match action {
        JobAction::Assign => {
            let rows: Vec<String> = (0..present.len())
                .map(|i| format!("(${}, $1, ${}, $2, ${}, $3, $3)", 3 * i + 4, 3 * i + 5, 3 * i + 6))
                .collect();
            let mut insert = sql(format!(
                "insert into badge_assignments (id, badge_id, member_id, assigned_by, reason, created_at, updated_at)
                 values {} on conflict (badge_id, member_id) do nothing",
                rows.join(", ")
            ))
            .bind(badge_id)
            .bind(created_by)
            .bind(Utc::now());
            for (member, reason) in present {
                insert = insert.bind(Uuid::new_v4()).bind(*member).bind(reason.as_deref());
            }
            insert.execute(tx).await?
        }
        JobAction::Unassign => {
            sql(format!(
                "delete from badge_assignments where badge_id = $1 and member_id in ({})",
                placeholders(2, present.len())
            ))
            .bind(badge_id)
            .bind_all(present.iter().map(|(m, _)| *m))
            .execute(tx)
            .await?
        }
    };
    Ok(changed as i64)
}

impl Store {
    /// Does the next batch of at most `batch` members of a running run, and records the
    /// progress, in one transaction. Returns the run as it now stands.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn run_job_batch(&self, job_id: Uuid, batch: i64) -> StoreResult<Option<Job>> {
        let mut tx = self.pool.begin_write().await?;
        let run: Option<RunRow> = sql(format!(
            "select badge_id, action, source, filter, reason, created_by, status, done_through
             from assignment_jobs where id = $1 {}",
            self.pool.lock(Lock::Job)
        ))
        .bind(job_id)
        .fetch_optional(&mut tx)
        .await?;
        let Some(run) = run else { return Ok(None) };
        if run.status != "RUNNING" {
            drop(tx);
            return self.job(job_id).await;
        }
        // strictly: a corrupt action must stop the run, never be taken for "remove"
        let action = JobAction::parse(&run.action).ok_or_else(|| unknown_value("action"))?;
        let from_filter = run.source == "FILTER";
        let next = if from_filter {
            filter_batch(&self.pool, &mut tx, &run, batch).await?
        } else {
            list_batch(&mut tx, job_id, &run, batch).await?
        };
        // a filter batch was just read from the members table, in this transaction
        let existing = if from_filter {
            next.members.iter().map(|(m, _)| *m).collect()
        } else {
            still_there(&mut tx, &next.members).await?
        };
        let present: Vec<&(Uuid, Option<String>)> = next.members.iter().filter(|(m, _)| existing.contains(m)).collect();
        let changed = apply(&mut tx, action, run.badge_id.0, run.created_by.map(Uuid::from), &present).await?;
        let finished = (next.members.len() as i64) < batch;
        sql("update assignment_jobs set processed = processed + $2, succeeded = succeeded + $3,
                unchanged = unchanged + $4, failed = failed + $5, done_through = coalesce($6, done_through),
                status = case when $7 then 'DONE' else status end,
                finished_at = case when $7 then $8 else finished_at end
             where id = $1")
        .bind(job_id)
        .bind(next.members.len() as i64)
        .bind(changed)
        .bind(present.len() as i64 - changed)
        .bind((next.members.len() - present.len()) as i64)
        .bind(next.last)
        .bind(finished)
        .bind(Utc::now())
        .execute(&mut tx)
        .await?;
        let job = job_in(&mut tx, job_id).await?;
        tx.commit().await?;
        Ok(Some(job))
    }
}
