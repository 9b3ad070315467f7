//! Badges by the REST query language: a filter, a sort and a window, with the total.

use super::badges::{BadgeRecord, BadgeRow, BADGE_COLUMNS};
use super::query_sql::{window_and_total, Column, Compiler};
use super::{Store, StoreResult};
use crate::domain::query::{BadgeField, Query};

impl Column for BadgeField {
    fn column(self) -> &'static str {
        match self {
            BadgeField::Id => "b.id",
            BadgeField::Title => "b.title",
            BadgeField::Description => "b.description",
            BadgeField::PermissionsEnabled => "b.permissions_enabled",
            BadgeField::Slug => "b.slug",
            BadgeField::CreatedDate => "b.created_at",
            BadgeField::UpdatedDate => "b.updated_at",
        }
    }
}

impl Store {
    /// The badges in the query's window, in its order (newest first when it names none), and
    /// how many match in all.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn query_badges(&self, query: &Query<BadgeField>) -> StoreResult<(Vec<BadgeRecord>, i64)> {
        let mut compiler = Compiler::new(&self.pool);
        let condition = compiler.filter(&query.filter);
        let order = compiler.order_by(&query.sort, "b.created_at desc, b.id", "b.id");
        let (rows, total): (Vec<BadgeRow>, i64) =
            window_and_total(&self.pool, BADGE_COLUMNS, "badges b", &condition, &order, compiler.values, query.window)
                .await?;
        Ok((rows.into_iter().map(BadgeRecord::from).collect(), total))
    }
}
