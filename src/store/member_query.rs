//! Members by the REST query language (Members V1 `query`, `list` and the by-filter jobs): a
//! filter over the member fields, a search, and who may be seen, compiled to one condition.

use super::members::{records, MemberRecord, MEMBER_COLUMNS};
use super::query_sql::{window_and_total, Column, Compiler};
use super::sql::Value;
use super::{like_pattern, Store, StoreResult};
use crate::domain::query::{MemberField, MemberQuery, SortKey, Window};

impl Column for MemberField {
    fn column(self) -> &'static str {
        match self {
            MemberField::Id | MemberField::ContactId => "m.id",
            MemberField::LoginEmail => "m.login_email",
            MemberField::Status => "m.status",
            MemberField::FirstName => "m.first_name",
            MemberField::LastName => "m.last_name",
            MemberField::Nickname => "m.nickname",
            MemberField::Slug => "m.slug",
            MemberField::Title => "m.title",
            MemberField::PrivacyStatus => "m.privacy_status",
            MemberField::CreatedDate => "m.created_at",
            MemberField::UpdatedDate => "m.updated_at",
            MemberField::LastLoginDate => "m.last_login_at",
        }
    }
}

/// The condition over `members m` for the query, its values added to the compiler's.
pub(super) fn condition(compiler: &mut Compiler<'_>, query: &MemberQuery) -> String {
    let mut parts = vec![compiler.filter(&query.filter)];
    if let Some(search) = &query.search {
        if let Some(pattern) = like_pattern(Some(&search.expression)) {
            let mark = compiler.bind(Value::from(pattern));
            let like = compiler.pool().like();
            let any: Vec<String> =
                search.fields.iter().map(|f| format!("{} {like} {mark} escape '\\'", f.column())).collect();
            parts.push(format!("({})", any.join(" or ")));
        }
    }
    if query.public_only {
        parts.push("(m.privacy_status = 'PUBLIC' and m.status = 'APPROVED')".to_owned());
    }
    parts.join(" and ")
}

impl Store {
    /// The members in the query's window, in the sort's order (newest first when it names
    /// none), and how many match in all.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn query_members_by(
        &self,
        query: &MemberQuery,
        sort: &[SortKey<MemberField>],
        window: Window,
    ) -> StoreResult<(Vec<MemberRecord>, i64)> {
        let mut compiler = Compiler::new(&self.pool);
        let condition = condition(&mut compiler, query);
        let order = compiler.order_by(sort, "m.created_at desc, m.id desc", "m.id");
        let (rows, total) =
            window_and_total(&self.pool, MEMBER_COLUMNS, "members m", &condition, &order, compiler.values, window)
                .await?;
        Ok((records(rows)?, total))
    }
}
