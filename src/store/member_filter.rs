//! Which members a list shows (`MemberFilter`, also what a background run keeps), as SQL; the
//! order and the page are `member_order`'s.

use super::like_pattern;
use super::sql::Value;
use crate::domain::{MemberStatus, PrivacyStatus};
use uuid::Uuid;

/// Which members: every filter is optional; `search` matches a substring of the login email,
/// nickname, first or last name, case-insensitively. Serialisable so a background run can keep
/// the filters it was started with.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MemberFilter {
    pub search: Option<String>,
    pub status: Option<MemberStatus>,
    pub privacy: Option<PrivacyStatus>,
    /// Only members holding this badge.
    pub holds: Option<Uuid>,
    /// Only members not holding this badge.
    pub lacks: Option<Uuid>,
}

impl MemberFilter {
    /// The condition over `members m` (for a `where`; `1 = 1` without filters) with placeholders
    /// numbered from 1, and the values for them in order. Only the filters in use appear, so the
    /// planner can use the indexes. `like` is the backend's case-insensitive LIKE.
    pub(super) fn condition(&self, like: &str) -> (String, Vec<Value>) {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        if let Some(pattern) = like_pattern(self.search.as_deref()) {
            values.push(Value::from(pattern));
            let n = values.len();
            conditions.push(format!(
                "(m.login_email {like} ${n} escape '\\' or m.nickname {like} ${n} escape '\\'
                  or m.first_name {like} ${n} escape '\\' or m.last_name {like} ${n} escape '\\')"
            ));
        }
        if let Some(status) = self.status {
            values.push(Value::from(status.as_str()));
            conditions.push(format!("m.status = ${}", values.len()));
        }
        if let Some(privacy) = self.privacy {
            values.push(Value::from(privacy.as_str()));
            conditions.push(format!("m.privacy_status = ${}", values.len()));
        }
        for (badge, negate) in [(self.holds, ""), (self.lacks, "not ")] {
            if let Some(badge) = badge {
                values.push(Value::from(badge));
                conditions.push(format!(
                    "{negate}exists (select 1 from badge_assignments a where a.member_id = m.id and a.badge_id = ${})",
                    values.len()
                ));
            }
        }
        let sql = if conditions.is_empty() { "1 = 1".to_owned() } else { conditions.join(" and ") };
        (sql, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_filters_in_use_are_in_the_sql() {
        let (sql, values) = MemberFilter::default().condition("like");
        assert_eq!((sql.as_str(), values.len()), ("1 = 1", 0));
        let filter = MemberFilter {
            search: Some(" 50%_off ".into()),
            status: Some(MemberStatus::Blocked),
            privacy: Some(PrivacyStatus::Public),
            ..MemberFilter::default()
        };
        let (sql, values) = filter.condition("ilike");
        assert_eq!(values, [Value::from("%50\\%\\_off%"), Value::from("BLOCKED"), Value::from("PUBLIC")]);
        assert!(
            sql.contains("m.nickname ilike $1")
                && sql.contains("m.status = $2")
                && sql.contains("m.privacy_status = $3")
        );
        let (sql, values) =
            MemberFilter { privacy: Some(PrivacyStatus::Private), ..MemberFilter::default() }.condition("like");
        assert_eq!((sql.as_str(), values.as_slice()), ("m.privacy_status = $1", &[Value::from("PRIVATE")][..]));
        let badge = Uuid::new_v4();
        let (sql, values) = MemberFilter { lacks: Some(badge), ..MemberFilter::default() }.condition("like");
        assert!(
            sql.contains("not exists (select 1 from badge_assignments a where a.member_id = m.id and a.badge_id = $1)")
        );
        assert_eq!(values, [Value::from(badge)]);
    }

    #[test]
    fn a_run_stored_with_the_old_query_shape_still_reads() {
        // runs started before the filter and the page were split stored sort and paging too
        let old = r#"{"search":"ann","status":null,"privacy":"PUBLIC","holds":null,"lacks":null,"sort":"Name","limit":25,"offset":0}"#;
        let filter: MemberFilter = serde_json::from_str(old).unwrap();
        assert_eq!(
            filter,
            MemberFilter { search: Some("ann".into()), privacy: Some(PrivacyStatus::Public), ..Default::default() }
        );
    }
}
