//! A badge's holders, most recently assigned first: by offset (the REST API's paging) or from a
//! holder's place (the badge page's keyset paging, so a page deep into 100,000 holders costs
//! what the first does). Both read index `badge_assignments_badge_newest` in order.

use super::members::{MemberRecord, MemberRow, MEMBER_COLUMNS};
use super::place::{self, Kind, PageStart};
use super::sql::{sql, Value};
use super::{Store, StoreResult};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The order; ties (a run assigns thousands in the same moment) go by member id, in the same
/// direction, so that a place is one row-value comparison.
const ORDER: &str = "a.created_at desc, a.member_id desc";
const ORDER_BACKWARDS: &str = "a.created_at asc, a.member_id asc";
const KINDS: [Kind; 2] = [Kind::Time, Kind::Id];

/// A holder's place in a badge's holder list; it travels in links as a token.
#[derive(Debug, Clone, PartialEq)]
pub struct HolderCursor(Vec<Value>);

impl HolderCursor {
    /// The place of the holder `member_id`, assigned the badge at `assigned_at`.
    pub fn of(member_id: Uuid, assigned_at: DateTime<Utc>) -> HolderCursor {
        HolderCursor(vec![Value::from(assigned_at), Value::from(member_id)])
    }

    pub fn token(&self) -> String {
        place::token("holders", &self.0)
    }

    /// `None` for a token that is not a holder's place.
    pub fn parse(token: &str) -> Option<HolderCursor> {
        place::parse("holders", &KINDS, token).map(HolderCursor)
    }
}

/// A holder and when they were given the badge.
pub type Holder = (MemberRecord, DateTime<Utc>);

#[derive(sqlx::FromRow)]
struct HolderRow {
    #[sqlx(flatten)]
    member: MemberRow,
    assigned_at: DateTime<Utc>,
}

fn visible(public_only: bool) -> &'static str {
    if public_only {
        "and m.privacy_status = 'PUBLIC' and m.status = 'APPROVED'"
    } else {
        ""
    }
}

fn holders(rows: Vec<HolderRow>) -> Result<Vec<Holder>, sqlx::Error> {
    rows.into_iter().map(|row| Ok((MemberRecord::try_from(row.member)?, row.assigned_at))).collect()
}

impl Store {
    /// Who holds the badge, most recently assigned first, with when; `public_only` keeps only
    /// public, approved members (what a visitor may see).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn badge_holders(
        &self,
        badge_id: Uuid,
        public_only: bool,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<Holder>> {
        let rows: Vec<HolderRow> = sql(format!(
            "select {MEMBER_COLUMNS}, a.created_at as assigned_at
             from badge_assignments a join members m on m.id = a.member_id
             where a.badge_id = $1 {} order by {ORDER} limit $2 offset $3",
            visible(public_only)
        ))
        .bind(badge_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(holders(rows)?)
    }

    /// Up to `limit` holders from `start`, in the order of `badge_holders`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn badge_holders_from(
        &self,
        badge_id: Uuid,
        public_only: bool,
        limit: i64,
        start: &PageStart<HolderCursor>,
    ) -> StoreResult<Vec<Holder>> {
        let (condition, values) = match start.place() {
            None => (String::new(), Vec::new()),
            Some((HolderCursor(values), before)) => {
                let op = if before { ">" } else { "<" };
                (format!("and (a.created_at, a.member_id) {op} ($3, $4)"), values.clone())
            }
        };
        let order = if start.reads_backwards() { ORDER_BACKWARDS } else { ORDER };
        let mut rows: Vec<HolderRow> = sql(format!(
            "select {MEMBER_COLUMNS}, a.created_at as assigned_at
             from badge_assignments a join members m on m.id = a.member_id
             where a.badge_id = $1 {} {condition} order by {order} limit $2",
            visible(public_only)
        ))
        .bind(badge_id)
        .bind(limit)
        .bind_all(values)
        .fetch_all(&self.pool)
        .await?;
        if start.reads_backwards() {
            rows.reverse();
        }
        Ok(holders(rows)?)
    }
}
