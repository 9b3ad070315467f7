//! Delegation: the members an admin lets assign a badge.

use super::badges::{BadgeRecord, BadgeRow, BADGE_COLUMNS};
use super::members::{records, MemberRecord, MEMBER_COLUMNS};
use super::sql::sql;
use super::{Store, StoreResult};
use chrono::Utc;
use uuid::Uuid;

impl Store {
    /// The members allowed to assign the badge.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn badge_assigners(&self, badge_id: Uuid) -> StoreResult<Vec<MemberRecord>> {
        let rows = sql(format!(
            "select {MEMBER_COLUMNS} from badge_assigners d join members m on m.id = d.member_id
             where d.badge_id = $1 order by m.nickname nulls last, m.id"
        ))
        .bind(badge_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(records(rows)?)
    }

    /// Lets the member assign the badge (already allowed: nothing changes).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn add_badge_assigner(&self, badge_id: Uuid, member_id: Uuid) -> StoreResult<()> {
        sql("insert into badge_assigners (badge_id, member_id, created_at) values ($1, $2, $3)
             on conflict (badge_id, member_id) do nothing")
        .bind(badge_id)
        .bind(member_id)
        .bind(Utc::now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn remove_badge_assigner(&self, badge_id: Uuid, member_id: Uuid) -> StoreResult<()> {
        sql("delete from badge_assigners where badge_id = $1 and member_id = $2")
            .bind(badge_id)
            .bind(member_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The badges this member may assign, in display order.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delegated_badges(&self, member_id: Uuid) -> StoreResult<Vec<BadgeRecord>> {
        let rows: Vec<BadgeRow> = sql(format!(
            "select {BADGE_COLUMNS} from badges b join badge_assigners d on d.badge_id = b.id
             where d.member_id = $1 order by b.position, b.id"
        ))
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(BadgeRecord::from).collect())
    }
}
