//! Members: their records and the reads of them (lists, the directory, lookups).

use super::codec::Id;
use super::member_filter::MemberFilter;
use super::member_order::MemberPage;
use super::sql::{sql, On, Value};
use super::{like_pattern, Store, StoreResult};
use crate::domain::{ActivityStatus, Contact, MemberStatus, PrivacyStatus};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// A member as stored. Events keep it as JSON (serde's names).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

impl ImportedMember {
    /// The member as the import writes it.
    pub(super) fn as_record(&self) -> MemberRecord {
        MemberRecord {
            id: self.id,
            login_email: self.login_email.clone(),
            status: self.status,
            privacy_status: self.privacy_status,
            activity_status: self.activity_status,
            nickname: self.nickname.clone(),
            slug: self.slug.clone(),
            title: self.title.clone(),
            photo_id: None,
            contact: self.contact.clone(),
            created_at: self.created_at,
            updated_at: self.created_at,
            last_login_at: self.last_login_at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemberCounts {
    pub total: i64,
    pub pending: i64,
    pub public: i64,
}

/// The member columns every read selects, from `members m`.
pub(super) const MEMBER_COLUMNS: &str = "m.id, m.login_email, m.status, m.privacy_status, m.activity_status,
    m.nickname, m.slug, m.title, m.photo_id, m.first_name, m.last_name, m.company, m.job_title, m.birthdate,
    m.phones, m.emails, m.addresses, m.created_at, m.updated_at, m.last_login_at";

#[derive(sqlx::FromRow)]
pub(super) struct MemberRow {
    id: Id,
    login_email: String,
    #[sqlx(try_from = "String")]
    status: MemberStatus,
    #[sqlx(try_from = "String")]
    privacy_status: PrivacyStatus,
    #[sqlx(try_from = "String")]
    activity_status: ActivityStatus,
    nickname: Option<String>,
    slug: String,
    title: Option<String>,
    photo_id: Option<Id>,
    first_name: Option<String>,
    last_name: Option<String>,
    company: Option<String>,
    job_title: Option<String>,
    birthdate: Option<String>,
    /// JSON arrays, as the Members API reads and writes them: whole.
    phones: String,
    emails: String,
    addresses: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
}

impl TryFrom<MemberRow> for MemberRecord {
    type Error = sqlx::Error;

    fn try_from(row: MemberRow) -> Result<Self, sqlx::Error> {
        let decode =
            |col: &str, e: serde_json::Error| sqlx::Error::ColumnDecode { index: col.into(), source: e.into() };
        let contact = Contact {
            first_name: row.first_name,
            last_name: row.last_name,
            company: row.company,
            job_title: row.job_title,
            birthdate: row.birthdate,
            phones: serde_json::from_str(&row.phones).map_err(|e| decode("phones", e))?,
            emails: serde_json::from_str(&row.emails).map_err(|e| decode("emails", e))?,
            addresses: serde_json::from_str(&row.addresses).map_err(|e| decode("addresses", e))?,
        };
        Ok(MemberRecord {
            id: row.id.0,
            login_email: row.login_email,
            status: row.status,
            privacy_status: row.privacy_status,
            activity_status: row.activity_status,
            nickname: row.nickname,
            slug: row.slug,
            title: row.title,
            photo_id: row.photo_id.map(Uuid::from),
            contact,
            created_at: row.created_at,
            updated_at: row.updated_at,
            last_login_at: row.last_login_at,
        })
    }
}

/// The JSON text of the contact's list columns: phones, emails, addresses.
pub(super) fn contact_lists(contact: &Contact) -> (String, String, String) {
    fn to_json<T: serde::Serialize>(list: &[T]) -> String {
        // lists of strings and plain structs always serialise
        serde_json::to_string(list).expect("contact lists serialise")
    }
    (to_json(&contact.phones), to_json(&contact.emails), to_json(&contact.addresses))
}

/// Records from rows.
pub(super) fn records(rows: Vec<MemberRow>) -> Result<Vec<MemberRecord>, sqlx::Error> {
    rows.into_iter().map(MemberRecord::try_from).collect()
}

/// One member, read on `on`.
pub(super) async fn member_on(on: On<'_>, member_id: Uuid) -> Result<Option<MemberRecord>, sqlx::Error> {
    let row: Option<MemberRow> = sql(format!("select {MEMBER_COLUMNS} from members m where m.id = $1"))
        .bind(member_id)
        .fetch_optional(on)
        .await?;
    row.map(MemberRecord::try_from).transpose()
}

/// The statement for one page of members: its text and values. A page read backwards comes in
/// reverse order.
fn member_page_sql(like: &str, filter: &MemberFilter, page: &MemberPage) -> (String, Vec<Value>) {
    let (mut condition, mut values) = filter.condition(like);
    if let Some((start, more)) = page.start_condition(values.len()) {
        condition = format!("{condition} and {start}");
        values.extend(more);
    }
    values.push(Value::from(page.limit));
    let text = format!(
        "select {MEMBER_COLUMNS} from members m where {condition} order by {} limit ${}",
        page.sort.order_by(page.reads_backwards()),
        values.len()
    );
    (text, values)
}

impl Store {
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn member_counts(&self) -> StoreResult<MemberCounts> {
        let (total, pending, public): (i64, i64, i64) = sql("select count(*),
                coalesce(sum(case when status = 'PENDING' then 1 else 0 end), 0),
                coalesce(sum(case when privacy_status = 'PUBLIC' and status = 'APPROVED' then 1 else 0 end), 0)
             from members")
        .fetch_one(&self.pool)
        .await?;
        Ok(MemberCounts { total, pending, public })
    }

    /// Newest first.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn list_members(&self, limit: i64, offset: i64) -> StoreResult<Vec<MemberRecord>> {
        let rows =
            sql(format!("select {MEMBER_COLUMNS} from members m order by m.created_at desc, m.id limit $1 offset $2"))
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.pool)
                .await?;
        Ok(records(rows)?)
    }

    /// Only PUBLIC, APPROVED members, by slug: what a visitor may see. `search` matches a
    /// substring of the nickname or slug.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn list_public_members(
        &self,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<MemberRecord>> {
        let like = self.pool.like();
        let rows = sql(format!(
            "select {MEMBER_COLUMNS} from members m
             where m.privacy_status = 'PUBLIC' and m.status = 'APPROVED'
               and ($3 is null or m.nickname {like} $3 escape '\\' or m.slug {like} $3 escape '\\')
             order by m.slug limit $1 offset $2"
        ))
        .bind(limit)
        .bind(offset)
        .bind(like_pattern(search))
        .fetch_all(&self.pool)
        .await?;
        Ok(records(rows)?)
    }

    /// Members matching the filter, one page of them in its order (up to `page.limit` rows from
    /// where it starts); no total (a count over 100,000 rows on every page costs more than the
    /// page).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn query_members(&self, filter: &MemberFilter, page: &MemberPage) -> StoreResult<Vec<MemberRecord>> {
        let (text, values) = member_page_sql(self.pool.like(), filter, page);
        let mut rows = sql(text).bind_all(values).fetch_all(&self.pool).await?;
        if page.reads_backwards() {
            rows.reverse();
        }
        Ok(records(rows)?)
    }

    /// How many members match the filter.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn count_members(&self, filter: &MemberFilter) -> StoreResult<i64> {
        let (condition, values) = filter.condition(self.pool.like());
        Ok(sql(format!("select count(*) from members m where {condition}"))
            .bind_all(values)
            .fetch_scalar(&self.pool)
            .await?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn member(&self, member_id: Uuid) -> StoreResult<Option<MemberRecord>> {
        Ok(member_on((&self.pool).into(), member_id).await?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn member_by_slug(&self, slug: &str) -> StoreResult<Option<MemberRecord>> {
        let row: Option<MemberRow> = sql(format!("select {MEMBER_COLUMNS} from members m where m.slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(MemberRecord::try_from).transpose()?)
    }

    /// For each value, the member whose login email or profile slug it is (case-insensitive
    /// email), looked up in one query per few hundred values.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn members_by_email_or_slug(&self, values: &[String]) -> StoreResult<Vec<(String, Uuid)>> {
        let mut found = Vec::new();
        for chunk in values.chunks(self.pool.backend().rows_per_statement(1, 0)) {
            let lowered: Vec<String> = chunk.iter().map(|v| v.trim().to_lowercase()).collect();
            let marks = super::sql::placeholders(1, lowered.len());
            // login emails and slugs are stored lowercased, so both use their indexes
            let rows: Vec<(Id, String, String)> = sql(format!(
                "select id, login_email, slug from members where login_email in ({marks}) or slug in ({marks})"
            ))
            .bind_all(lowered.iter())
            .fetch_all(&self.pool)
            .await?;
            let mut by_key = HashMap::new();
            for (member, email, slug) in rows {
                by_key.insert(email, member.0);
                by_key.insert(slug, member.0);
            }
            for (value, key) in chunk.iter().zip(&lowered) {
                if let Some(member) = by_key.get(key) {
                    found.push((value.clone(), *member));
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemberSort, PageStart};

    /// Every sort's page is read in its index's order, from anywhere: no sort step, no scan of
    /// the rows before the page. (The index expressions must match the sort keys exactly;
    /// this is what notices when one changes without the other.)
    #[tokio::test]
    async fn member_pages_are_read_through_their_indexes_on_sqlite() {
        let store = crate::store::connect("sqlite::memory:").await.unwrap();
        let record = MemberRecord {
            id: Uuid::new_v4(),
            login_email: "a@example.com".into(),
            status: crate::domain::MemberStatus::Approved,
            privacy_status: PrivacyStatus::Public,
            activity_status: ActivityStatus::Active,
            nickname: None,
            slug: "a".into(),
            title: None,
            photo_id: None,
            contact: Contact::default(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            last_login_at: None,
        };
        let public = MemberFilter { privacy: Some(PrivacyStatus::Public), ..MemberFilter::default() };
        let status = |s| MemberFilter { status: Some(s), ..MemberFilter::default() };
        let cases = [
            (MemberSort::NewestFirst, MemberFilter::default(), "members_created_at_id"),
            (MemberSort::Nickname, MemberFilter::default(), "members_nickname_order"),
            (MemberSort::Name, MemberFilter::default(), "members_name_order"),
            (MemberSort::LastLogin, MemberFilter::default(), "members_last_login_order"),
            (MemberSort::LastLogin, public, "members_privacy_last_login_order"),
            (MemberSort::NewestFirst, status(crate::domain::MemberStatus::Pending), "members_status_newest"),
            (MemberSort::Name, status(crate::domain::MemberStatus::Blocked), "members_status_name_order"),
        ];
        for (sort, filter, index) in cases {
            for start in
                [PageStart::First, PageStart::After(sort.cursor(&record)), PageStart::Before(sort.cursor(&record))]
            {
                let page = MemberPage { sort, limit: 51, start };
                let (text, values) = member_page_sql(store.pool.like(), &filter, &page);
                let plan: Vec<(i64, i64, i64, String)> =
                    sql(format!("explain query plan {text}")).bind_all(values).fetch_all(&store.pool).await.unwrap();
                let plan: Vec<String> = plan.into_iter().map(|(.., detail)| detail).collect();
                assert!(plan.iter().any(|step| step.contains(index)), "{sort:?} {:?}: {plan:?}", page.start);
                assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "{sort:?} {:?}: {plan:?}", page.start);
            }
        }
    }
}
