//! Badge assignments as records (Badge Assignments V4): one or many by id with their tags, by
//! the REST query language, and their tags written. Giving and taking badges is `assignments`.

use super::codec::Id;
use super::events::{record, Change, Writer};
use super::query_sql::{window_and_total, Column, Compiler};
use super::sql::{placeholders, sql, Tx, Value};
use super::{Store, StoreResult};
use crate::domain::event::{EntityType, EventAction};
use crate::domain::query::{AssignmentField, Filter, SortKey, Window};
use crate::domain::tags::{TagChange, Tags};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// One assignment, with who made it and its tags. Events keep it as JSON (serde's names).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AssignmentRecord {
    pub id: Uuid,
    pub badge_id: Uuid,
    pub member_id: Uuid,
    /// The account that made it (an admin, a delegated member, a member token's member).
    pub assigned_by: Option<Uuid>,
    /// The API key or member token it was made with.
    pub assigned_by_key: Option<Uuid>,
    pub tags: Tags,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which assignments a query may see: all of them, or (for a member's token) those of public,
/// approved members and the member's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentScope {
    All,
    VisibleTo(Option<Uuid>),
}

impl Column for AssignmentField {
    fn column(self) -> &'static str {
        match self {
            AssignmentField::Id => "a.id",
            AssignmentField::BadgeId => "a.badge_id",
            AssignmentField::MemberId => "a.member_id",
            AssignmentField::CreatedDate => "a.created_at",
            AssignmentField::UpdatedDate => "a.updated_at",
            AssignmentField::Tags | AssignmentField::PrivateTags => "t.tag_id",
        }
    }

    fn list_rows(self) -> Option<&'static str> {
        match self {
            AssignmentField::Tags => {
                Some("from badge_assignment_tags t where t.assignment_id = a.id and t.private = false")
            }
            AssignmentField::PrivateTags => {
                Some("from badge_assignment_tags t where t.assignment_id = a.id and t.private = true")
            }
            _ => None,
        }
    }
}

const ASSIGNMENT_COLUMNS: &str =
    "a.id, a.badge_id, a.member_id, a.assigned_by, a.assigned_by_key, a.created_at, a.updated_at";

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: Id,
    badge_id: Id,
    member_id: Id,
    assigned_by: Option<Id>,
    assigned_by_key: Option<Id>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The condition over `badge_assignments a` for a filter seen through a scope.
pub(super) fn condition(
    compiler: &mut Compiler<'_>,
    filter: &Filter<AssignmentField>,
    scope: AssignmentScope,
) -> String {
    let filter = compiler.filter(filter);
    match scope {
        AssignmentScope::All => filter,
        AssignmentScope::VisibleTo(own) => {
            let own = compiler.bind(Value::from(own));
            format!(
                "{filter} and exists (select 1 from members m where m.id = a.member_id
                   and ((m.privacy_status = 'PUBLIC' and m.status = 'APPROVED') or m.id = {own}))"
            )
        }
    }
}

/// The rows as records, with their tags, read in one more statement.
async fn with_tags<'e>(
    on: impl Into<super::sql::On<'e>>,
    rows: Vec<AssignmentRow>,
) -> Result<Vec<AssignmentRecord>, sqlx::Error> {
    let mut tags: HashMap<Uuid, Tags> = HashMap::new();
    if !rows.is_empty() {
        let tag_rows: Vec<(Id, bool, String)> = sql(format!(
            "select assignment_id, private, tag_id from badge_assignment_tags where assignment_id in ({})
             order by assignment_id, private, position",
            placeholders(1, rows.len())
        ))
        .bind_all(rows.iter().map(|r| r.id.0))
        .fetch_all(on)
        .await?;
        for (assignment, private, tag) in tag_rows {
            let entry = tags.entry(assignment.0).or_default();
            if private {
                entry.private.push(tag);
            } else {
                entry.public.push(tag);
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| AssignmentRecord {
            tags: tags.remove(&r.id.0).unwrap_or_default(),
            id: r.id.0,
            badge_id: r.badge_id.0,
            member_id: r.member_id.0,
            assigned_by: r.assigned_by.map(Uuid::from),
            assigned_by_key: r.assigned_by_key.map(Uuid::from),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}

/// The assignments with these ids that exist, in no particular order.
pub(super) async fn assignments_in(tx: &mut Tx, ids: &[Uuid]) -> Result<Vec<AssignmentRecord>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<AssignmentRow> = sql(format!(
        "select {ASSIGNMENT_COLUMNS} from badge_assignments a where a.id in ({})",
        placeholders(1, ids.len())
    ))
    .bind_all(ids.iter().copied())
    .fetch_all(&mut *tx)
    .await?;
    with_tags(&mut *tx, rows).await
}

/// The assignments of `badge_id` that these members hold, with their tags.
pub(super) async fn held_in(
    tx: &mut Tx,
    badge_id: Uuid,
    member_ids: &[Uuid],
) -> Result<Vec<AssignmentRecord>, sqlx::Error> {
    let mut held = Vec::new();
    for chunk in member_ids.chunks(tx.backend().rows_per_statement(1, 1)) {
        let rows: Vec<AssignmentRow> = sql(format!(
            "select {ASSIGNMENT_COLUMNS} from badge_assignments a where a.badge_id = $1 and a.member_id in ({})",
            placeholders(2, chunk.len())
        ))
        .bind(badge_id)
        .bind_all(chunk.iter().copied())
        .fetch_all(&mut *tx)
        .await?;
        held.extend(with_tags(&mut *tx, rows).await?);
    }
    Ok(held)
}

/// Writes the assignment's tags as given (its earlier tags are replaced).
pub(super) async fn write_tags(tx: &mut Tx, assignment_id: Uuid, tags: &Tags) -> Result<(), sqlx::Error> {
    sql("delete from badge_assignment_tags where assignment_id = $1").bind(assignment_id).execute(&mut *tx).await?;
    let lists = [(false, &tags.public), (true, &tags.private)];
    let rows: Vec<(bool, usize, &String)> =
        lists.iter().flat_map(|(private, list)| list.iter().enumerate().map(move |(i, t)| (*private, i, t))).collect();
    for chunk in rows.chunks(tx.backend().rows_per_statement(3, 1)) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("($1, {})", placeholders(3 * i + 2, 3))).collect();
        let mut insert = sql(format!(
            "insert into badge_assignment_tags (assignment_id, private, position, tag_id) values {}",
            values.join(", ")
        ))
        .bind(assignment_id);
        for (private, position, tag) in chunk {
            insert = insert.bind(*private).bind(*position as i64).bind(tag.as_str());
        }
        insert.execute(&mut *tx).await?;
    }
    Ok(())
}

/// The tags after a change: the removed ones dropped, the added ones appended (a tag in both
/// lists ends up assigned).
pub fn changed_tags(current: &Tags, change: &TagChange) -> Tags {
    let apply = |list: &[String], add: &[String], remove: &[String]| {
        let mut out: Vec<String> = list.iter().filter(|t| !remove.contains(t) || add.contains(t)).cloned().collect();
        for t in add {
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
        out
    };
    Tags {
        public: apply(&current.public, &change.assign.public, &change.unassign.public),
        private: apply(&current.private, &change.assign.private, &change.unassign.private),
    }
}

/// Changes one assignment's tags in the transaction; whether anything changed.
pub(super) async fn change_tags(
    tx: &mut Tx,
    record: &AssignmentRecord,
    change: &TagChange,
) -> Result<bool, sqlx::Error> {
    let tags = changed_tags(&record.tags, change);
    if tags == record.tags {
        return Ok(false);
    }
    write_tags(tx, record.id, &tags).await?;
    sql("update badge_assignments set updated_at = $2 where id = $1")
        .bind(record.id)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
    Ok(true)
}

impl Store {
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn assignment(&self, id: Uuid) -> StoreResult<Option<AssignmentRecord>> {
        let rows: Vec<AssignmentRow> =
            sql(format!("select {ASSIGNMENT_COLUMNS} from badge_assignments a where a.id = $1"))
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        Ok(with_tags(&self.pool, rows).await?.pop())
    }

    /// The assignments in the window, in the sort's order (newest first when it names none),
    /// and how many match in all.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn query_assignments(
        &self,
        filter: &Filter<AssignmentField>,
        scope: AssignmentScope,
        sort: &[SortKey<AssignmentField>],
        window: Window,
    ) -> StoreResult<(Vec<AssignmentRecord>, i64)> {
        let mut compiler = Compiler::new(&self.pool);
        let condition = condition(&mut compiler, filter, scope);
        let order = compiler.order_by(sort, "a.created_at desc, a.id desc", "a.id");
        let (rows, total): (Vec<AssignmentRow>, i64) = window_and_total(
            &self.pool,
            ASSIGNMENT_COLUMNS,
            "badge_assignments a",
            &condition,
            &order,
            compiler.values,
            window,
        )
        .await?;
        Ok((with_tags(&self.pool, rows).await?, total))
    }
}

impl Writer<'_> {
    /// Deletes the assignments, in one transaction; for each id, the assignment as it was, or
    /// `None` if there was none.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_assignments(&self, ids: &[Uuid]) -> StoreResult<Vec<Option<AssignmentRecord>>> {
        let mut tx = self.pool.begin_write().await?;
        let found = assignments_in(&mut tx, ids).await?;
        if !found.is_empty() {
            sql(format!("delete from badge_assignments where id in ({})", placeholders(1, found.len())))
                .bind_all(found.iter().map(|a| a.id))
                .execute(&mut tx)
                .await?;
        }
        let changes = found.iter().map(|a| Change::deleted(EntityType::BadgeAssignment, a.id, a));
        record(&mut tx, self.by, changes.collect::<Result<_, _>>()?).await?;
        tx.commit().await?;
        Ok(ids.iter().map(|id| found.iter().find(|a| a.id == *id).cloned()).collect())
    }

    /// Changes the tags of each assignment, in one transaction; for each id, the assignment as
    /// it now is, or `None` if there is none.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn update_assignment_tags(
        &self,
        ids: &[Uuid],
        change: &TagChange,
    ) -> StoreResult<Vec<Option<AssignmentRecord>>> {
        let mut tx = self.pool.begin_write().await?;
        let found = assignments_in(&mut tx, ids).await?;
        let mut changed = Vec::new();
        for before in &found {
            if change_tags(&mut tx, before, change).await? {
                changed.push(before.id);
            }
        }
        let updated = assignments_in(&mut tx, &found.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
        let mut changes = Vec::new();
        for after in updated.iter().filter(|a| changed.contains(&a.id)) {
            let before = found.iter().find(|a| a.id == after.id).ok_or(sqlx::Error::RowNotFound)?;
            changes.push(Change::changed(EntityType::BadgeAssignment, after.id, EventAction::Updated, before, after)?);
        }
        record(&mut tx, self.by, changes).await?;
        tx.commit().await?;
        Ok(ids.iter().map(|id| updated.iter().find(|a| a.id == *id).cloned()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(public: &[&str], private: &[&str]) -> Tags {
        Tags {
            public: public.iter().map(|s| s.to_string()).collect(),
            private: private.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_tag_both_added_and_removed_ends_up_assigned() {
        let current = tags(&["a", "b"], &["p"]);
        let change = TagChange { assign: tags(&["c", "b"], &[]), unassign: tags(&["a", "b", "c"], &["p"]) };
        assert_eq!(changed_tags(&current, &change), tags(&["b", "c"], &[]));
        assert_eq!(changed_tags(&current, &TagChange::default()), current);
    }
}
