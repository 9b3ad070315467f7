//! Storage: the one place with SQL. `Store` is what the services talk to; it runs on SQLite or
//! PostgreSQL, chosen at run time by the database URL (`connect`), with one SQL text for both
//! (`sql`), the differences kept to how values are written (`codec`) and a few clauses
//! (`dialect`). One file per aggregate holds its records and its methods. Both backends pass
//! the same test suite (`tests/it/store.rs` and every test above it).
//!
//! Every method is traced, with its span at WARN so that even a log filtered to warnings names
//! the method whose query failed.

mod accounts;
mod api_keys;
mod assignment_records;
mod assignments;
mod badge_query;
mod badges;
mod codec;
mod delegation;
mod dialect;
mod events;
mod holders;
mod job_batch;
mod jobs;
mod member_filter;
mod member_order;
mod member_query;
mod member_writes;
mod members;
mod pages;
mod place;
mod query_sql;
mod sessions;
mod settings;
mod sql;
mod uploads;
mod webhooks;

pub use accounts::{AccountRecord, NewMemberAccount};
pub use api_keys::{ApiKeyRecord, NewApiKey};
pub use assignment_records::{changed_tags, AssignmentRecord, AssignmentScope};
pub use assignments::{AssignOutcome, AssignedBy, CreateOutcome, HeldBadge, NewAssignment, UnassignOutcome};
pub use badges::{BadgeChanges, BadgeQuery, BadgeRecord, BadgeSort, BadgeUpdate, NewBadge};
pub use events::{EventFilter, EventHead, EventListener, EventRecord, Writer};
pub use holders::{Holder, HolderCursor};
pub use jobs::{JobItem, JobSource, JobStart, NewJob};
pub use member_filter::MemberFilter;
pub use member_order::{MemberCursor, MemberPage, MemberSort};
pub use members::{ImportedMember, MemberChanges, MemberCounts, MemberRecord};
pub use pages::{PageFields, PageRecord, PageUpdate};
pub use place::PageStart;
pub use uploads::{NewUpload, UploadRecord};
pub use webhooks::{AttemptOutcome, AttemptRecord, ClaimedDelivery, EndpointRecord, NewEndpoint};

use sql::Pool;
use std::sync::Arc;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; carries the constraint's name as declared in the
    /// migrations (e.g. `accounts_email_key`), so callers map names, never message text.
    #[error("unique constraint {0} violated")]
    Unique(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<StoreError> for crate::error::AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Database(e) => e.into(),
            StoreError::Unique(name) => {
                tracing::warn!(constraint = %name, "unmapped unique violation");
                crate::error::AppError::conflict(crate::error::ErrorCode::AlreadyExists, "That already exists")
            }
        }
    }
}

/// The database, on either backend. Cheap to share: the pool inside is reference-counted.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

/// The store as the app state holds it.
pub type SharedStore = Arc<Store>;

/// Opens the database named by `url` (`sqlite:…` or `postgres://…`) and applies migrations.
pub async fn connect(url: &str) -> anyhow::Result<SharedStore> {
    Ok(Arc::new(Store { pool: Pool::open(url).await? }))
}

impl Store {
    /// Round-trips to the database; used by `/healthz`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn ping(&self) -> StoreResult<()> {
        sql::sql("select 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// Picks `base`, or `base-2`, `base-3`… — the first not in `taken`.
fn first_free_slug(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.iter().any(|t| t == candidate))
        .expect("an unbounded range always has a free suffix")
}

/// A substring search as a LIKE pattern, its wildcards escaped (`\` is the escape character);
/// `None` for no search or only spaces.
fn like_pattern(search: Option<&str>) -> Option<String> {
    search.map(str::trim).filter(|s| !s.is_empty()).map(|s| {
        let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    })
}

#[cfg(test)]
mod tests {
    use super::{first_free_slug, like_pattern};

    #[test]
    fn slug_suffixes_count_up_from_two() {
        assert_eq!(first_free_slug("ann", &[]), "ann");
        assert_eq!(first_free_slug("ann", &["ann".into()]), "ann-2");
        assert_eq!(first_free_slug("ann", &["ann".into(), "ann-2".into()]), "ann-3");
        assert_eq!(first_free_slug("ann", &["ann".into(), "ann-3".into()]), "ann-2");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(Some(" 50%_off\\ ")).as_deref(), Some("%50\\%\\_off\\\\%"));
        assert_eq!(like_pattern(Some("  ")), None);
    }
}
