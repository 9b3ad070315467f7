//! Doing a background run, one batch per transaction: interrupted anywhere, a run resumes after
//! the last batch written, with nothing done twice.

use super::assignment_records::{
    assignments_in, change_tags, condition as assignment_condition, held_in, AssignmentRecord, AssignmentScope,
};
use super::codec::Id;
use super::dialect::Lock;
use super::events::{record, Change, Writer};
use super::jobs::{job_in, unknown_value};
use super::member_filter::MemberFilter;
use super::member_query::condition as member_condition;
use super::members::{records, MemberRecord, MemberRow, MEMBER_COLUMNS};
use super::query_sql::Compiler;
use super::sql::{placeholders, sql, Pool, Tx, Value};
use super::StoreResult;
use crate::domain::event::{ChangedBy, EntityType, EventAction};
use crate::domain::job::{Job, JobAction};
use crate::domain::new_id;
use crate::domain::query::{AssignmentField, Filter, MemberQuery};
use crate::domain::tags::{TagChange, Tags};
use crate::domain::MemberStatus;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use uuid::Uuid;

/// The state of a run that a batch reads, locked for the batch.
#[derive(sqlx::FromRow)]
struct RunRow {
    badge_id: Option<Id>,
    action: String,
    source: String,
    filter: Option<String>,
    params: Option<String>,
    reason: Option<String>,
    created_by: Option<Id>,
    created_by_key: Option<Id>,
    status: String,
    /// The last id (a filter run) or line (an import) done.
    done_through: Option<String>,
}

/// The members (or assignments) of one batch, each with the reason to record, and where the
/// batch ends.
struct Batch {
    members: Vec<(Uuid, Option<String>)>,
    last: Option<String>,
}

fn bad_cursor(e: impl ToString) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: "done_through".into(), source: e.to_string().into() }
}

fn decode<T: serde::de::DeserializeOwned>(column: &str, json: Option<&str>) -> Result<T, sqlx::Error> {
    serde_json::from_str(json.unwrap_or_default())
        .map_err(|e| sqlx::Error::ColumnDecode { index: column.into(), source: e.into() })
}

/// The next rows matching the run's filter after `done_through`, in id order: members, or
/// assignments for an ASSIGNMENT_QUERY run.
async fn filter_batch(pool: &Pool, tx: &mut Tx, run: &RunRow, batch: i64) -> Result<Batch, sqlx::Error> {
    let filter = run.filter.as_deref();
    let (from, id, condition, values): (&str, &str, String, Vec<Value>) = match run.source.as_str() {
        "FILTER" => {
            let (condition, values) = decode::<MemberFilter>("filter", filter)?.condition(pool.like());
            ("members m", "m.id", condition, values)
        }
        "MEMBER_QUERY" => {
            let query: MemberQuery = decode("filter", filter)?;
            let mut compiler = Compiler::new(pool);
            ("members m", "m.id", member_condition(&mut compiler, &query), compiler.values)
        }
        "ASSIGNMENT_QUERY" => {
            let query: Filter<AssignmentField> = decode("filter", filter)?;
            let mut compiler = Compiler::new(pool);
            let condition = assignment_condition(&mut compiler, &query, AssignmentScope::All);
            ("badge_assignments a", "a.id", condition, compiler.values)
        }
        _ => return Err(unknown_value("source")),
    };
    let after = run.done_through.as_deref().map(Uuid::parse_str).transpose().map_err(bad_cursor)?;
    let mut n = values.len();
    let mut text = format!("select {id} from {from} where ({condition})");
    if after.is_some() {
        n += 1;
        text.push_str(&format!(" and {id} > ${n}"));
    }
    text.push_str(&format!(" order by {id} limit ${}", n + 1));
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
    let rows: Vec<(i64, Id, Option<String>)> =
        sql("select line, member_id, reason from job_items where job_id = $1 and line > $2 order by line limit $3")
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

/// Who does a run, for the assignments it makes.
#[derive(Clone, Copy)]
struct RunBy {
    account: Option<Uuid>,
    key: Option<Uuid>,
}

/// Members linked to an owner's or admin's account: a run never blocks or deletes them.
const NOT_STAFF: &str =
    "id not in (select member_id from accounts where member_id is not null and role in ('owner', 'admin'))";

/// The members with these ids that `extra` (a condition over `members m`) keeps, as they are,
/// locked for the change.
async fn members_in(pool: &Pool, tx: &mut Tx, ids: &[Uuid], extra: &str) -> Result<Vec<MemberRecord>, sqlx::Error> {
    let rows: Vec<MemberRow> = sql(format!(
        "select {MEMBER_COLUMNS} from members m where m.id in ({}) and {extra} {}",
        placeholders(1, ids.len()),
        pool.lock(Lock::Member)
    ))
    .bind_all(ids.iter().copied())
    .fetch_all(tx)
    .await?;
    records(rows)
}

/// Sets the status of the members `members_in` found, and records `action` for each.
async fn set_status(
    tx: &mut Tx,
    before: Vec<MemberRecord>,
    status: MemberStatus,
    action: EventAction,
    now: DateTime<Utc>,
) -> Result<Vec<Change>, sqlx::Error> {
    if before.is_empty() {
        return Ok(Vec::new());
    }
    sql(format!("update members set status = $1, updated_at = $2 where id in ({})", placeholders(3, before.len())))
        .bind(status.as_str())
        .bind(now)
        .bind_all(before.iter().map(|m| m.id))
        .execute(&mut *tx)
        .await?;
    before
        .iter()
        .map(|m| {
            let after = MemberRecord { status, updated_at: now, ..m.clone() };
            Change::changed(EntityType::Member, m.id, action, m, &after)
        })
        .collect()
}

/// Gives the badge to each member present who does not hold it yet: only the rows inserted
/// come back, as (assignment, member), since a member who held the badge already is unchanged.
async fn insert_assignments(
    tx: &mut Tx,
    badge_id: Uuid,
    by: RunBy,
    present: &[&(Uuid, Option<String>)],
    now: DateTime<Utc>,
) -> Result<Vec<(Id, Id)>, sqlx::Error> {
    let mut inserted = Vec::with_capacity(present.len());
    // three values a row; the badge, who and when bound once, as $1 to $4
    for chunk in present.chunks(tx.backend().rows_per_statement(3, 4)) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, $1, ${}, $2, $3, ${}, $4, $4)", 3 * i + 5, 3 * i + 6, 3 * i + 7))
            .collect();
        let mut insert = sql(format!(
            "insert into badge_assignments (id, badge_id, member_id, assigned_by, assigned_by_key, reason, created_at, updated_at)
             values {} on conflict (badge_id, member_id) do nothing returning id, member_id",
            rows.join(", ")
        ))
        .bind(badge_id)
        .bind(by.account)
        .bind(by.key)
        .bind(now);
        for (member, reason) in chunk {
            insert = insert.bind(new_id()).bind(*member).bind(reason.as_deref());
        }
        inserted.extend(insert.fetch_all::<(Id, Id)>(&mut *tx).await?);
    }
    Ok(inserted)
}

/// Does the run's action to each row present, and records an event for each row it changed;
/// how many changed.
async fn apply(
    pool: &Pool,
    tx: &mut Tx,
    run: &RunRow,
    action: JobAction,
    by: RunBy,
    present: &[&(Uuid, Option<String>)],
    changed_by: &ChangedBy,
) -> Result<i64, sqlx::Error> {
    if present.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = present.iter().map(|(m, _)| *m).collect();
    let badge = || run.badge_id.map(Uuid::from).ok_or_else(|| unknown_value("badge_id"));
    let now = Utc::now();
    let changes: Vec<Change> = match action {
        JobAction::Assign => {
            let badge_id = badge()?;
            let inserted = insert_assignments(tx, badge_id, by, present, now).await?;
            inserted
                .into_iter()
                .map(|(id, member)| {
                    let created = AssignmentRecord {
                        id: id.0,
                        badge_id,
                        member_id: member.0,
                        assigned_by: by.account,
                        assigned_by_key: by.key,
                        tags: Tags::default(),
                        created_at: now,
                        updated_at: now,
                    };
                    Change::created(EntityType::BadgeAssignment, id.0, &created)
                })
                .collect::<Result<_, _>>()?
        }
        JobAction::Unassign => {
            let held = held_in(tx, badge()?, &ids).await?;
            if !held.is_empty() {
                sql(format!("delete from badge_assignments where id in ({})", placeholders(1, held.len())))
                    .bind_all(held.iter().map(|a| a.id))
                    .execute(&mut *tx)
                    .await?;
            }
            held.iter().map(|a| Change::deleted(EntityType::BadgeAssignment, a.id, a)).collect::<Result<_, _>>()?
        }
        JobAction::ApproveMembers => {
            let before = members_in(pool, tx, &ids, "m.status <> 'APPROVED'").await?;
            set_status(tx, before, MemberStatus::Approved, EventAction::Approved, now).await?
        }
        JobAction::BlockMembers => {
            let before = members_in(pool, tx, &ids, &format!("m.status <> 'BLOCKED' and m.{NOT_STAFF}")).await?;
            set_status(tx, before, MemberStatus::Blocked, EventAction::Blocked, now).await?
        }
        JobAction::DeleteMembers => {
            // as deleting one member: their photo and uploads go with them
            let before = members_in(pool, tx, &ids, &format!("m.{NOT_STAFF}")).await?;
            if !before.is_empty() {
                let members = format!("({})", placeholders(1, before.len()));
                let gone = || before.iter().map(|m| m.id);
                sql(format!(
                    "delete from uploads where id in (select photo_id from members where id in {members})
                        or uploaded_by in (select id from accounts where member_id in {members})"
                ))
                .bind_all(gone())
                .execute(&mut *tx)
                .await?;
                sql(format!("delete from members where id in {members}")).bind_all(gone()).execute(&mut *tx).await?;
            }
            before.iter().map(|m| Change::deleted(EntityType::Member, m.id, m)).collect::<Result<_, _>>()?
        }
        JobAction::UpdateTags => {
            let change: TagChange = decode("params", run.params.as_deref())?;
            let mut changed = Vec::new();
            for before in assignments_in(tx, &ids).await? {
                if change_tags(tx, &before, &change).await? {
                    changed.push(before);
                }
            }
            let after = assignments_in(tx, &changed.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
            let mut changes = Vec::with_capacity(changed.len());
            for before in &changed {
                let after = after.iter().find(|a| a.id == before.id).ok_or(sqlx::Error::RowNotFound)?;
                changes.push(Change::changed(
                    EntityType::BadgeAssignment,
                    before.id,
                    EventAction::Updated,
                    before,
                    after,
                )?);
            }
            changes
        }
    };
    let changed = changes.len() as i64;
    record(tx, changed_by, changes).await?;
    Ok(changed)
}

impl Writer<'_> {
    /// Does the next batch of at most `batch` members of a running run, and records the
    /// progress, in one transaction. Returns the run as it now stands.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn run_job_batch(&self, job_id: Uuid, batch: i64) -> StoreResult<Option<Job>> {
        let mut tx = self.pool.begin_write().await?;
        let run: Option<RunRow> = sql(format!(
            "select badge_id, action, source, filter, params, reason, created_by, created_by_key, status, done_through
             from jobs where id = $1 {}",
            self.pool.lock(Lock::Job)
        ))
        .bind(job_id)
        .fetch_optional(&mut tx)
        .await?;
        let Some(run) = run else { return Ok(None) };
        if run.status != "RUNNING" {
            drop(tx);
            return self.store.job(job_id).await;
        }
        // strictly: a corrupt action must stop the run, never be taken for "remove"
        let action = JobAction::parse(&run.action).ok_or_else(|| unknown_value("action"))?;
        let from_filter = run.source != "LIST";
        let next = if from_filter {
            filter_batch(self.pool, &mut tx, &run, batch).await?
        } else {
            list_batch(&mut tx, job_id, &run, batch).await?
        };
        // a filter batch was just read from its table, in this transaction
        let existing = if from_filter {
            next.members.iter().map(|(m, _)| *m).collect()
        } else {
            still_there(&mut tx, &next.members).await?
        };
        let present: Vec<&(Uuid, Option<String>)> = next.members.iter().filter(|(m, _)| existing.contains(m)).collect();
        let by = RunBy { account: run.created_by.map(Uuid::from), key: run.created_by_key.map(Uuid::from) };
        let changed = apply(self.pool, &mut tx, &run, action, by, &present, self.by).await?;
        let finished = (next.members.len() as i64) < batch;
        sql("update jobs set processed = processed + $2, succeeded = succeeded + $3,
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
