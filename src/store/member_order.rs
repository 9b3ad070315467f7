//! The order of a member list (`MemberSort`) and where one page of it starts (`MemberPage`):
//! keyset paging. A page after (or before) a row is found through the sort's index from that
//! row's place in the order, so page 1,000 costs what page 1 costs; an offset reads and throws
//! away every row before it.

use super::members::MemberRecord;
use super::place::{self, Kind, PageStart};
use super::sql::{placeholders, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum MemberSort {
    #[default]
    NewestFirst,
    /// Members without a nickname last.
    Nickname,
    /// Last name, then first name; members without one last.
    Name,
    /// Most recent first; members who never logged in last, newest of them first.
    LastLogin,
}

/// One page of a member list: its order, how many rows, and where it starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemberPage {
    pub sort: MemberSort,
    pub limit: i64,
    pub start: PageStart<MemberCursor>,
}

/// A row's place in one sort: the values of the sort's keys for that row. It travels in links
/// as an opaque token (`token`, `MemberSort::parse_cursor`).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberCursor {
    sort: MemberSort,
    values: Vec<Value>,
}

impl MemberSort {
    /// The sort's keys over `members m`, and whether they descend (all of them do, or none).
    /// No key is ever null: a nullable column is two keys, "is it null" (which puts nulls
    /// last) and the column with a filler where it is null. So a row's place is one row-value
    /// comparison with the same expressions the order uses, and the indexes of migration
    /// `20261205000001_list_indexes` are on exactly these expressions.
    fn keys(self) -> (&'static [(&'static str, Kind)], bool) {
        match self {
            MemberSort::NewestFirst => (&[("m.created_at", Kind::Time), ("m.id", Kind::Id)], true),
            MemberSort::Nickname => (
                &[("(m.nickname is null)", Kind::Flag), ("coalesce(m.nickname, '')", Kind::Text), ("m.id", Kind::Id)],
                false,
            ),
            MemberSort::Name => (
                &[
                    ("(m.last_name is null)", Kind::Flag),
                    ("coalesce(m.last_name, '')", Kind::Text),
                    ("(m.first_name is null)", Kind::Flag),
                    ("coalesce(m.first_name, '')", Kind::Text),
                    ("m.id", Kind::Id),
                ],
                false,
            ),
            MemberSort::LastLogin => (
                &[
                    ("(m.last_login_at is not null)", Kind::Flag),
                    ("coalesce(m.last_login_at, m.created_at)", Kind::Time),
                    ("m.id", Kind::Id),
                ],
                true,
            ),
        }
    }

    /// The `order by` list; `reversed` reads from the other end (for a page before a place).
    pub(super) fn order_by(self, reversed: bool) -> String {
        let (keys, descending) = self.keys();
        let direction = if descending != reversed { "desc" } else { "asc" };
        keys.iter().map(|(sql, _)| format!("{sql} {direction}")).collect::<Vec<_>>().join(", ")
    }

    /// `member`'s place in this order.
    pub fn cursor(self, member: &MemberRecord) -> MemberCursor {
        let id = Value::from(member.id);
        let values = match self {
            MemberSort::NewestFirst => vec![Value::from(member.created_at), id],
            MemberSort::Nickname => {
                vec![
                    Value::from(member.nickname.is_none()),
                    Value::from(member.nickname.clone().unwrap_or_default()),
                    id,
                ]
            }
            MemberSort::Name => {
                let (first, last) = (&member.contact.first_name, &member.contact.last_name);
                vec![
                    Value::from(last.is_none()),
                    Value::from(last.clone().unwrap_or_default()),
                    Value::from(first.is_none()),
                    Value::from(first.clone().unwrap_or_default()),
                    id,
                ]
            }
            MemberSort::LastLogin => vec![
                Value::from(member.last_login_at.is_some()),
                Value::from(member.last_login_at.unwrap_or(member.created_at)),
                id,
            ],
        };
        MemberCursor { sort: self, values }
    }

    /// The place a token names in this order; `None` for a token of another order, or one that
    /// was not made by `MemberCursor::token`.
    pub fn parse_cursor(self, token: &str) -> Option<MemberCursor> {
        let (keys, _) = self.keys();
        let kinds: Vec<Kind> = keys.iter().map(|(_, kind)| *kind).collect();
        Some(MemberCursor { sort: self, values: place::parse(self.name(), &kinds, token)? })
    }

    fn name(self) -> &'static str {
        match self {
            MemberSort::NewestFirst => "newest",
            MemberSort::Nickname => "nickname",
            MemberSort::Name => "name",
            MemberSort::LastLogin => "last_login",
        }
    }
}

impl MemberPage {
    /// The condition that starts the page at its place (none for the first page), with
    /// placeholders numbered after the `bound` values already in the statement, and its values.
    pub(super) fn start_condition(&self, bound: usize) -> Option<(String, Vec<Value>)> {
        let (cursor, before) = self.start.place()?;
        let (keys, descending) = self.sort.keys();
        let expressions: Vec<&str> = keys.iter().map(|(sql, _)| *sql).collect();
        let op = if descending != before { "<" } else { ">" };
        let marks = placeholders(bound + 1, keys.len());
        Some((format!("({}) {op} ({marks})", expressions.join(", ")), cursor.values.clone()))
    }

    /// Whether the rows are read from the far end (and must be turned around).
    pub(super) fn reads_backwards(&self) -> bool {
        self.start.reads_backwards()
    }
}

impl MemberCursor {
    /// The place as URL-safe text (see `place::token`).
    pub fn token(&self) -> String {
        place::token(self.sort.name(), &self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ActivityStatus, Contact, MemberStatus, PrivacyStatus};
    use chrono::DateTime;
    use uuid::Uuid;

    fn member(nickname: Option<&str>, last_login: bool) -> MemberRecord {
        let at = DateTime::parse_from_rfc3339("2026-12-01T09:30:09.123456Z").unwrap().to_utc();
        MemberRecord {
            id: Uuid::new_v4(),
            login_email: "ann@example.com".into(),
            status: MemberStatus::Approved,
            privacy_status: PrivacyStatus::Public,
            activity_status: ActivityStatus::Active,
            nickname: nickname.map(str::to_owned),
            slug: "ann".into(),
            title: None,
            photo_id: None,
            contact: Contact { last_name: Some("Ö'Brien \"quoted\"".into()), ..Contact::default() },
            created_at: at,
            updated_at: at,
            last_login_at: last_login.then_some(at),
        }
    }

    const SORTS: [MemberSort; 4] =
        [MemberSort::NewestFirst, MemberSort::Nickname, MemberSort::Name, MemberSort::LastLogin];

    #[test]
    fn tokens_read_back_as_the_same_place() {
        for m in [member(Some("Zed"), true), member(None, false)] {
            for sort in SORTS {
                let cursor = sort.cursor(&m);
                let token = cursor.token();
                assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
                assert_eq!(sort.parse_cursor(&token), Some(cursor), "{sort:?}");
            }
        }
    }

    #[test]
    fn a_token_is_only_good_for_its_own_sort() {
        let token = MemberSort::Nickname.cursor(&member(Some("Zed"), true)).token();
        for sort in [MemberSort::NewestFirst, MemberSort::Name, MemberSort::LastLogin] {
            assert_eq!(sort.parse_cursor(&token), None, "{sort:?}");
        }
    }

    #[test]
    fn the_start_condition_follows_the_direction() {
        let m = member(None, true);
        let page = |start| MemberPage { sort: MemberSort::NewestFirst, limit: 51, start };
        let cursor = MemberSort::NewestFirst.cursor(&m);
        let (after, values) = page(PageStart::After(cursor.clone())).start_condition(2).unwrap();
        assert_eq!(after, "(m.created_at, m.id) < ($3, $4)");
        assert_eq!(values, [Value::from(m.created_at), Value::from(m.id)]);
        let (before, _) = page(PageStart::Before(cursor)).start_condition(0).unwrap();
        assert_eq!(before, "(m.created_at, m.id) > ($1, $2)");
        assert_eq!(page(PageStart::First).start_condition(0), None);

        let nick = MemberPage {
            sort: MemberSort::Nickname,
            limit: 51,
            start: PageStart::After(MemberSort::Nickname.cursor(&m)),
        };
        let (sql, values) = nick.start_condition(0).unwrap();
        assert_eq!(sql, "((m.nickname is null), coalesce(m.nickname, ''), m.id) > ($1, $2, $3)");
        assert_eq!(values[..2], [Value::from(true), Value::from("")]);
        assert_eq!(
            MemberSort::Nickname.order_by(true),
            "(m.nickname is null) desc, coalesce(m.nickname, '') desc, m.id desc"
        );
    }
}
