//! Member SQL shared by both backends: the columns every read selects, the member list's
//! filters and order, and the contact details' JSON columns. The backends only bind and decode.

use super::{MemberQuery, MemberSort};
use crate::domain::Contact;

/// The member columns every read selects, from `members m` (ids and dates under names that do
/// not clash with the account's in a join).
macro_rules! member_columns {
    () => {
        "m.id as m_id, m.login_email, m.status, m.privacy_status, m.activity_status, m.nickname, m.slug,
        m.title, m.photo_id, m.first_name, m.last_name, m.company, m.job_title, m.birthdate, m.phones,
        m.emails, m.addresses, m.created_at as m_created_at, m.updated_at as m_updated_at, m.last_login_at"
    };
}
pub(super) use member_columns;

/// Builds a `MemberRecord` from a row selected with `member_columns!`; `$id` and `$photo`
/// decode the backend's UUID columns.
macro_rules! member_from_row {
    ($row:expr, $uuid:expr, $opt_uuid:expr) => {{
        let row = $row;
        let parse = |col: &str, e: String| sqlx::Error::ColumnDecode { index: col.into(), source: e.into() };
        Ok::<_, sqlx::Error>(MemberRecord {
            id: $uuid(row, "m_id")?,
            login_email: row.try_get("login_email")?,
            status: MemberStatus::from_str(row.try_get("status")?).map_err(|e| parse("status", e))?,
            privacy_status: PrivacyStatus::from_str(row.try_get("privacy_status")?)
                .map_err(|e| parse("privacy_status", e))?,
            activity_status: ActivityStatus::from_str(row.try_get("activity_status")?)
                .map_err(|e| parse("activity_status", e))?,
            nickname: row.try_get("nickname")?,
            slug: row.try_get("slug")?,
            title: row.try_get("title")?,
            photo_id: $opt_uuid(row, "photo_id")?,
            contact: super::member_sql::contact_from_columns(
                row.try_get("first_name")?,
                row.try_get("last_name")?,
                row.try_get("company")?,
                row.try_get("job_title")?,
                row.try_get("birthdate")?,
                row.try_get("phones")?,
                row.try_get("emails")?,
                row.try_get("addresses")?,
            )?,
            created_at: row.try_get("m_created_at")?,
            updated_at: row.try_get("m_updated_at")?,
            last_login_at: row.try_get("last_login_at")?,
        })
    }};
}
pub(super) use member_from_row;

/// `where …` for a member list query with placeholders numbered from 1, and the values for
/// them in order. Only the filters in use appear, so the planner can use the indexes.
/// `like` is the backend's case-insensitive LIKE (`like` in SQLite, `ilike` in PostgreSQL).
/// A value for a placeholder of `member_where`: text, or an id the backend binds its own way.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(String),
    Id(uuid::Uuid),
}

pub(super) fn member_where(query: &MemberQuery, like: &str) -> (String, Vec<Value>) {
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    if let Some(pattern) = like_pattern(query.search.as_deref()) {
        values.push(Value::Text(pattern));
        let n = values.len();
        conditions.push(format!(
            "(m.login_email {like} ${n} escape '\\' or m.nickname {like} ${n} escape '\\'
              or m.first_name {like} ${n} escape '\\' or m.last_name {like} ${n} escape '\\')"
        ));
    }
    if let Some(status) = query.status {
        values.push(Value::Text(status.as_str().to_owned()));
        conditions.push(format!("m.status = ${}", values.len()));
    }
    if let Some(privacy) = query.privacy {
        values.push(Value::Text(privacy.as_str().to_owned()));
        conditions.push(format!("m.privacy_status = ${}", values.len()));
    }
    for (badge, negate) in [(query.holds, ""), (query.lacks, "not ")] {
        if let Some(badge) = badge {
            values.push(Value::Id(badge));
            conditions.push(format!(
                "{negate}exists (select 1 from badge_assignments a where a.member_id = m.id and a.badge_id = ${})",
                values.len()
            ));
        }
    }
    let sql = if conditions.is_empty() { String::new() } else { format!("where {}", conditions.join(" and ")) };
    (sql, values)
}

pub(super) fn member_order(sort: MemberSort) -> &'static str {
    match sort {
        MemberSort::NewestFirst => "m.created_at desc, m.id desc",
        MemberSort::Nickname => "m.nickname asc nulls last, m.id",
        MemberSort::Name => "m.last_name asc nulls last, m.first_name asc nulls last, m.id",
        MemberSort::LastLogin => "m.last_login_at desc nulls last, m.id",
    }
}

/// A substring search as a LIKE pattern, its wildcards escaped (`\\` is the escape character).
pub(super) fn like_pattern(search: Option<&str>) -> Option<String> {
    search.map(str::trim).filter(|s| !s.is_empty()).map(|s| {
        let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    })
}

/// The JSON text of the contact's list columns: phones, emails, addresses.
pub(super) fn contact_lists(contact: &Contact) -> (String, String, String) {
    (to_json(&contact.phones), to_json(&contact.emails), to_json(&contact.addresses))
}

fn to_json<T: serde::Serialize>(list: &[T]) -> String {
    // lists of strings and plain structs always serialise
    serde_json::to_string(list).expect("contact lists serialise")
}

#[allow(clippy::too_many_arguments)]
pub(super) fn contact_from_columns(
    first_name: Option<String>,
    last_name: Option<String>,
    company: Option<String>,
    job_title: Option<String>,
    birthdate: Option<String>,
    phones: String,
    emails: String,
    addresses: String,
) -> Result<Contact, sqlx::Error> {
    let decode =
        |col: &'static str, e: serde_json::Error| sqlx::Error::ColumnDecode { index: col.into(), source: e.into() };
    Ok(Contact {
        first_name,
        last_name,
        company,
        job_title,
        birthdate,
        phones: serde_json::from_str(&phones).map_err(|e| decode("phones", e))?,
        emails: serde_json::from_str(&emails).map_err(|e| decode("emails", e))?,
        addresses: serde_json::from_str(&addresses).map_err(|e| decode("addresses", e))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MemberStatus, PrivacyStatus};

    #[test]
    fn only_the_filters_in_use_are_in_the_sql() {
        let (sql, values) = member_where(&MemberQuery::default(), "like");
        assert_eq!((sql.as_str(), values.len()), ("", 0));
        let q = MemberQuery {
            search: Some(" 50%_off ".into()),
            status: Some(MemberStatus::Blocked),
            privacy: Some(PrivacyStatus::Public),
            ..MemberQuery::default()
        };
        let (sql, values) = member_where(&q, "ilike");
        let text = |v: &str| Value::Text(v.to_owned());
        assert_eq!(values, [text("%50\\%\\_off%"), text("BLOCKED"), text("PUBLIC")]);
        assert!(
            sql.contains("m.nickname ilike $1")
                && sql.contains("m.status = $2")
                && sql.contains("m.privacy_status = $3")
        );
        let (sql, values) =
            member_where(&MemberQuery { privacy: Some(PrivacyStatus::Private), ..MemberQuery::default() }, "like");
        assert_eq!(
            (sql.as_str(), values.as_slice()),
            ("where m.privacy_status = $1", &[Value::Text("PRIVATE".to_owned())][..])
        );
        let badge = uuid::Uuid::new_v4();
        let (sql, values) = member_where(&MemberQuery { lacks: Some(badge), ..MemberQuery::default() }, "like");
        assert!(
            sql.contains("not exists (select 1 from badge_assignments a where a.member_id = m.id and a.badge_id = $1)")
        );
        assert_eq!(values, [Value::Id(badge)]);
    }
}
