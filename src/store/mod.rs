//! Storage: the one place with SQL. `Store` is what the rest of the app talks to; `SqliteStore`
//! and `PgStore` implement it, and `connect` picks one from the database URL at run time. Both
//! pass the same test suite (`tests/store.rs`).

mod job_sql;
mod jobs;
mod member_sql;
mod postgres;
mod shared;
mod sqlite;

pub use jobs::{JobItem, JobSource, JobStart, JobStore, NewJob};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use crate::domain::Contact;
use crate::domain::SiteSettings;
use crate::domain::{
    ActivityStatus, BadgeDescription, BadgeTitle, Email, HexColor, IconRef, IconSource, MemberStatus, PrivacyStatus,
    Role,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

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

/// An account as the auth layer needs it, with its member (if it is a member account).
#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub member: Option<MemberRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberRecord {
    pub id: Uuid,
    pub login_email: String,
    pub status: MemberStatus,
    pub privacy_status: PrivacyStatus,
    pub activity_status: ActivityStatus,
    pub nickname: Option<String>,
    pub slug: String,
    /// The profile's title line.
    pub title: Option<String>,
    pub photo_id: Option<Uuid>,
    pub contact: Contact,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum MemberSort {
    #[default]
    NewestFirst,
    Nickname,
    /// Last name, then first name.
    Name,
    LastLogin,
}

/// Which members to list: every filter is optional; `search` matches a substring of the login
/// email, nickname, first or last name, case-insensitively. Serialisable so a background run
/// can keep the filters it was started with.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MemberQuery {
    pub search: Option<String>,
    pub status: Option<MemberStatus>,
    pub privacy: Option<PrivacyStatus>,
    /// Only members holding this badge.
    pub holds: Option<Uuid>,
    /// Only members not holding this badge.
    pub lacks: Option<Uuid>,
    pub sort: MemberSort,
    pub limit: i64,
    pub offset: i64,
}

/// A partial update of a member: `None` leaves a field alone; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct MemberChanges {
    pub nickname: Option<Option<String>>,
    pub title: Option<Option<String>>,
    /// A new slug; refused with `Unique("members_slug_key")` if another member has it.
    pub slug: Option<String>,
    pub contact: Option<Contact>,
}

/// A member written as given, without an account (bulk imports and `insignia seed`); the
/// caller chooses unique slugs and emails.
#[derive(Debug, Clone)]
pub struct ImportedMember {
    pub id: Uuid,
    pub login_email: String,
    pub status: MemberStatus,
    pub privacy_status: PrivacyStatus,
    pub activity_status: ActivityStatus,
    pub nickname: Option<String>,
    pub slug: String,
    pub title: Option<String>,
    pub contact: Contact,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// What assigning a badge to one member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOutcome {
    /// A new assignment, with its id.
    Assigned(Uuid),
    /// The member already held the badge (the existing assignment's id); nothing changed.
    AlreadyHeld(Uuid),
    MemberNotFound,
}

/// What unassigning a badge from one member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnassignOutcome {
    Removed(Uuid),
    NotHeld,
}

/// A badge a member holds, with what a chip needs and when it was assigned.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldBadge {
    pub member_id: Uuid,
    pub badge_id: Uuid,
    pub title: String,
    pub slug: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<IconRef>,
    pub assigned_at: DateTime<Utc>,
}

/// What creating a member account writes: the account and its member, in one transaction.
#[derive(Debug, Clone)]
pub struct NewMemberAccount {
    pub email: Email,
    pub password_hash: String,
    pub status: MemberStatus,
    /// The slug wanted; the store appends `-2`, `-3`… if it is taken.
    pub base_slug: String,
    pub nickname: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemberCounts {
    pub total: i64,
    pub pending: i64,
    pub public: i64,
}

/// A badge as stored, with how many members hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct BadgeRecord {
    pub id: Uuid,
    pub revision: i64,
    pub title: String,
    pub description: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<IconRef>,
    pub permissions_enabled: bool,
    pub slug: String,
    pub position: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub member_count: i64,
}

/// Everything a new badge needs; the store adds id, slug, position and dates.
#[derive(Debug, Clone)]
pub struct NewBadge {
    pub title: BadgeTitle,
    pub description: BadgeDescription,
    pub background_color: HexColor,
    pub text_color: HexColor,
    pub icon: Option<IconRef>,
    pub permissions_enabled: bool,
}

/// A partial update: `None` leaves a field as it is; `icon: Some(None)` removes the icon.
#[derive(Debug, Clone, Default)]
pub struct BadgeChanges {
    pub title: Option<BadgeTitle>,
    pub description: Option<BadgeDescription>,
    pub background_color: Option<HexColor>,
    pub text_color: Option<HexColor>,
    pub icon: Option<Option<IconRef>>,
    pub permissions_enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BadgeUpdate {
    // boxed: a record is large next to the other variants
    Updated(Box<BadgeRecord>),
    /// Someone saved first: nothing was changed.
    Stale {
        current_revision: i64,
    },
    NotFound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BadgeSort {
    #[default]
    Position,
    Title,
    NewestFirst,
}

#[derive(Debug, Clone, Default)]
pub struct BadgeQuery {
    /// Case-insensitive substring of the title.
    pub search: Option<String>,
    pub permissions_enabled: Option<bool>,
    pub sort: BadgeSort,
    pub limit: i64,
    pub offset: i64,
}

impl BadgeQuery {
    /// `search` as a LIKE pattern with its wildcards escaped (`\` is the escape character).
    fn like_pattern(&self) -> Option<String> {
        self.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| {
            let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{escaped}%")
        })
    }

    fn order_by(&self) -> &'static str {
        match self.sort {
            BadgeSort::Position => "b.position, b.id",
            BadgeSort::Title => "lower(b.title), b.id",
            BadgeSort::NewestFirst => "b.created_at desc, b.id",
        }
    }
}

/// Splits an icon into the three columns that store it.
fn icon_columns(icon: &Option<IconRef>) -> (Option<&'static str>, Option<String>, String) {
    match icon {
        None => (None, None, String::new()),
        Some(i) => {
            let (kind, value) = match &i.source {
                IconSource::Library(name) => ("library", name.clone()),
                IconSource::Upload(id) => ("upload", id.to_string()),
                IconSource::Url(url) => ("url", url.clone()),
            };
            (Some(kind), Some(value), i.alt_text.clone())
        }
    }
}

/// Rebuilds an icon from its columns; rows the migrations allowed always rebuild.
fn icon_from_columns(kind: Option<String>, value: Option<String>, alt: String) -> Option<IconRef> {
    let source = match (kind.as_deref(), value) {
        (Some("library"), Some(v)) => IconSource::Library(v),
        (Some("upload"), Some(v)) => IconSource::Upload(v.parse().ok()?),
        (Some("url"), Some(v)) => IconSource::Url(v),
        _ => return None,
    };
    Some(IconRef { source, alt_text: alt })
}

/// The badge after `changes`, and whether its slug must follow a new title.
fn apply_changes(current: &BadgeRecord, changes: &BadgeChanges) -> (BadgeRecord, bool) {
    let mut next = current.clone();
    let mut title_changed = false;
    if let Some(t) = &changes.title {
        title_changed = t.as_str() != current.title;
        next.title = t.as_str().to_owned();
    }
    if let Some(d) = &changes.description {
        next.description = d.as_str().to_owned();
    }
    if let Some(c) = changes.background_color {
        next.background_color = c.to_string();
    }
    if let Some(c) = changes.text_color {
        next.text_color = c.to_string();
    }
    if let Some(icon) = &changes.icon {
        next.icon = icon.clone();
    }
    if let Some(p) = changes.permissions_enabled {
        next.permissions_enabled = p;
    }
    (next, title_changed)
}

/// The slug a title asks for (before uniqueness suffixes).
pub(crate) fn badge_base_slug(title: &str) -> String {
    crate::domain::slugify(title).unwrap_or_else(|| "badge".to_owned())
}

#[async_trait]
pub trait Store: JobStore + Send + Sync + 'static {
    /// Round-trips to the database; used by `/healthz`.
    async fn ping(&self) -> StoreResult<()>;

    // --- accounts ---------------------------------------------------------------------------
    async fn owner_exists(&self) -> StoreResult<bool>;
    /// Creates the owner; fails with `Unique("accounts_one_owner")` if there is one already and
    /// `Unique("accounts_email_key")` if the email is taken.
    async fn create_owner(&self, email: &Email, password_hash: &str) -> StoreResult<AccountRecord>;
    async fn create_member_account(&self, new: &NewMemberAccount) -> StoreResult<AccountRecord>;
    async fn account_by_email(&self, email: &Email) -> StoreResult<Option<AccountRecord>>;
    async fn account_by_id(&self, id: Uuid) -> StoreResult<Option<AccountRecord>>;
    /// Stamps the member's last login, if the account has a member.
    async fn record_login(&self, account_id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;

    // --- sessions ---------------------------------------------------------------------------
    /// Sessions are stored by the SHA-256 of their token, so a database leak yields no cookies.
    async fn create_session(&self, token_hash: &str, account_id: Uuid, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// The account behind an unexpired session.
    async fn session_account(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<AccountRecord>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Ends every session of the account ("log out everywhere").
    async fn delete_sessions_of(&self, account_id: Uuid) -> StoreResult<u64>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    // --- login throttling -------------------------------------------------------------------
    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> StoreResult<i64>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    /// Forgets failures older than `before`; they no longer count towards any throttle.
    async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> StoreResult<u64>;

    // --- settings ---------------------------------------------------------------------------
    async fn settings(&self) -> StoreResult<SiteSettings>;
    async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()>;

    // --- members ----------------------------------------------------------------------------
    async fn member_counts(&self) -> StoreResult<MemberCounts>;
    /// Newest first.
    async fn list_members(&self, limit: i64, offset: i64) -> StoreResult<Vec<MemberRecord>>;
    /// Only PUBLIC, APPROVED members, by slug: what a visitor may see.
    /// `search` matches a substring of the nickname or slug.
    async fn list_public_members(
        &self,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<MemberRecord>>;
    async fn set_member_privacy(&self, member_id: Uuid, privacy: PrivacyStatus) -> StoreResult<()>;
    /// Members matching the query, in its order; no total (a count over 100,000 rows on every
    /// page costs more than the page).
    async fn query_members(&self, query: &MemberQuery) -> StoreResult<Vec<MemberRecord>>;
    async fn member(&self, id: Uuid) -> StoreResult<Option<MemberRecord>>;
    async fn member_by_slug(&self, slug: &str) -> StoreResult<Option<MemberRecord>>;
    /// Applies the changes; `Ok(None)` when there is no such member.
    async fn update_member(&self, id: Uuid, changes: &MemberChanges) -> StoreResult<Option<MemberRecord>>;
    /// Returns whether the member exists.
    /// Sets (or with `None` removes) the member's photo and deletes the image it replaces, in
    /// one transaction; `Ok(None)` when there is no such member.
    async fn set_member_photo(&self, id: Uuid, photo: Option<Uuid>) -> StoreResult<Option<MemberRecord>>;
    /// Returns whether the member exists. Blocking also ends the member's sessions, in the same
    /// transaction, so unblocking later does not bring back a login from before the block.
    async fn set_member_status(&self, id: Uuid, status: MemberStatus) -> StoreResult<bool>;
    async fn set_member_activity(&self, id: Uuid, activity: ActivityStatus) -> StoreResult<bool>;
    /// Deletes a member; their account, sessions and badge assignments go by foreign-key
    /// cascades, and their photo and every image their account uploaded in the same transaction.
    async fn delete_member(&self, id: Uuid) -> StoreResult<bool>;
    /// Inserts the members in one transaction (all or none).
    async fn import_members(&self, members: &[ImportedMember]) -> StoreResult<()>;
    /// The badges each of these members holds, in the badges' display order.
    async fn held_badges(&self, member_ids: &[Uuid]) -> StoreResult<Vec<HeldBadge>>;

    // --- badges -----------------------------------------------------------------------------
    /// Creates a badge last in the display order, with a unique slug from its title.
    async fn create_badge(&self, new: &NewBadge) -> StoreResult<BadgeRecord>;
    async fn badge(&self, id: Uuid) -> StoreResult<Option<BadgeRecord>>;
    async fn list_badges(&self, query: &BadgeQuery) -> StoreResult<Vec<BadgeRecord>>;
    async fn count_badges(&self, query: &BadgeQuery) -> StoreResult<i64>;
    /// Applies `changes` if the badge is still at `expected_revision`, all in one transaction;
    /// the revision goes up by exactly one and the slug follows a changed title.
    async fn update_badge(&self, id: Uuid, expected_revision: i64, changes: &BadgeChanges) -> StoreResult<BadgeUpdate>;
    async fn badge_by_slug(&self, slug: &str) -> StoreResult<Option<BadgeRecord>>;
    /// Who holds the badge, most recently assigned first, with when; `public_only` keeps only
    /// public, approved members (what a visitor may see).
    async fn badge_holders(
        &self,
        badge_id: Uuid,
        public_only: bool,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<(MemberRecord, DateTime<Utc>)>>;
    /// Deletes a badge and (by cascade, in the same statement) its assignments.
    async fn delete_badge(&self, id: Uuid) -> StoreResult<bool>;
    /// Applies `reorder` to the current display order in one transaction; an error from it (an
    /// unknown id) changes nothing.
    async fn reorder_badges(
        &self,
        reorder: &crate::domain::badge_order::Reorder,
    ) -> StoreResult<Result<(), crate::domain::badge_order::OrderError>>;

    // --- assignments ------------------------------------------------------------------------
    /// Gives `badge_id` to each member, in one transaction, by `assigned_by` (an account) with
    /// an optional reason; one outcome per member, in order. `None` when the badge does not
    /// exist. The unique (badge, member) constraint, not a prior read, decides "already held",
    /// so concurrent assignments of the same pair leave exactly one row.
    async fn assign_badge(
        &self,
        badge_id: Uuid,
        member_ids: &[Uuid],
        assigned_by: Option<Uuid>,
        reason: Option<&str>,
    ) -> StoreResult<Option<Vec<AssignOutcome>>>;
    /// Takes `badge_id` from each member, in one transaction; one outcome per member.
    async fn unassign_badge(&self, badge_id: Uuid, member_ids: &[Uuid]) -> StoreResult<Vec<UnassignOutcome>>;

    // --- delegation ---------------------------------------------------------------------------
    /// The members allowed to assign the badge.
    async fn badge_assigners(&self, badge_id: Uuid) -> StoreResult<Vec<MemberRecord>>;
    /// Lets the member assign the badge (already allowed: nothing changes).
    async fn add_badge_assigner(&self, badge_id: Uuid, member_id: Uuid) -> StoreResult<()>;
    async fn remove_badge_assigner(&self, badge_id: Uuid, member_id: Uuid) -> StoreResult<()>;
    /// The badges this member may assign, in display order.
    async fn delegated_badges(&self, member_id: Uuid) -> StoreResult<Vec<BadgeRecord>>;

    async fn create_upload(&self, upload: &NewUpload) -> StoreResult<()>;
    async fn upload(&self, id: Uuid) -> StoreResult<Option<UploadRecord>>;
    /// Whether an image with this id exists, without reading its bytes.
    async fn upload_exists(&self, id: Uuid) -> StoreResult<bool>;
    /// How many bytes of images the account keeps (its quota's use).
    async fn upload_bytes_of(&self, account_id: Uuid) -> StoreResult<i64>;
    /// The member whose profile photo this image is, if any: their visibility is the photo's.
    async fn photo_owner(&self, upload_id: Uuid) -> StoreResult<Option<MemberRecord>>;
}

pub type DynStore = Arc<dyn Store>;

/// An image to keep: already checked (and, for SVG, sanitised) by `uploads::image`.
#[derive(Debug, Clone)]
pub struct NewUpload {
    pub id: Uuid,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub uploaded_by: Option<Uuid>,
}

/// A stored image, as served.
#[derive(Debug, Clone)]
pub struct UploadRecord {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Opens the database named by `url` (`sqlite:…` or `postgres://…`) and applies migrations.
pub async fn connect(url: &str) -> anyhow::Result<DynStore> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else {
        anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:// (got {url:?})")
    }
}

/// Picks `base`, or `base-2`, `base-3`… — the first not in `taken`.
pub(crate) fn first_free_slug(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.iter().any(|t| t == candidate))
        .expect("an unbounded range always has a free suffix")
}

#[cfg(test)]
mod tests {
    use super::first_free_slug;

    #[test]
    fn slug_suffixes_count_up_from_two() {
        assert_eq!(first_free_slug("ann", &[]), "ann");
        assert_eq!(first_free_slug("ann", &["ann".into()]), "ann-2");
        assert_eq!(first_free_slug("ann", &["ann".into(), "ann-2".into()]), "ann-3");
        assert_eq!(first_free_slug("ann", &["ann".into(), "ann-3".into()]), "ann-2");
    }
}
