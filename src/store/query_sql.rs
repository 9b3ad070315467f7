//! The REST query language (`domain::query`) compiled to SQL for either backend: every value
//! a placeholder, every column from a fixed table of the resource's fields, so nothing of the
//! input ever becomes SQL text. Both backends answer a filter with the same rows: text compares
//! bytewise (PostgreSQL is told `collate "C"`), the text-matching operators ignore the case of
//! ASCII letters only (what SQLite's LIKE does), and nulls sort first ascending on both.

use super::sql::{sql, Pool, Record, Value};
use crate::domain::query::{Field, FieldKind, Filter, Scalar, SortKey, Test, Window};

/// A field's column, as the resource's statement names it.
pub(super) trait Column: Field {
    /// The column; for a list field, the column of its values in `list_rows`.
    fn column(self) -> &'static str;

    /// For a list field (`FieldKind::TagList`): `from … where …` selecting the row's values,
    /// correlated with the resource's row.
    fn list_rows(self) -> Option<&'static str> {
        None
    }
}

/// SQL and values for a filter; placeholders continue after those already in `values`.
pub(super) struct Compiler<'a> {
    pool: &'a Pool,
    pub(super) values: Vec<Value>,
}

const UPPER: &str = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'";
const LOWER: &str = "'abcdefghijklmnopqrstuvwxyz'";

impl<'a> Compiler<'a> {
    pub(super) fn new(pool: &'a Pool) -> Self {
        Compiler { pool, values: Vec::new() }
    }

    pub(super) fn pool(&self) -> &'a Pool {
        self.pool
    }

    /// A placeholder for one more value.
    pub(super) fn bind(&mut self, value: Value) -> String {
        self.placeholder(value)
    }

    fn placeholder(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    fn scalar(&mut self, scalar: &Scalar) -> String {
        let value = match scalar {
            // nulls never reach here: the tests that allow them turn them into `is null`
            Scalar::Null => Value::Text(None),
            Scalar::Id(id) => Value::from(*id),
            Scalar::Text(t) => Value::from(t.as_str()),
            Scalar::Bool(b) => Value::from(*b),
            Scalar::Time(t) => Value::from(*t),
        };
        self.placeholder(value)
    }

    /// The column as compared: text bytewise on both backends.
    fn operand<F: Column>(&self, field: F) -> String {
        match (field.kind(), self.pool) {
            (FieldKind::Text, Pool::Postgres(_)) => format!("{} collate \"C\"", field.column()),
            _ => field.column().to_owned(),
        }
    }

    pub(super) fn filter<F: Column>(&mut self, filter: &Filter<F>) -> String {
        match filter {
            Filter::All(parts) if parts.is_empty() => "(1 = 1)".to_owned(),
            Filter::Any(parts) if parts.is_empty() => "(1 = 0)".to_owned(),
            Filter::All(parts) => self.joined(parts, " and "),
            Filter::Any(parts) => self.joined(parts, " or "),
            // a test on a missing value is unknown, not false: `not` must still exclude it
            Filter::Not(inner) => format!("(not coalesce({}, false))", self.filter(inner)),
            Filter::Test(field, test) => self.test(*field, test),
        }
    }

    fn joined<F: Column>(&mut self, parts: &[Filter<F>], with: &str) -> String {
        let parts: Vec<String> = parts.iter().map(|p| self.filter(p)).collect();
        format!("({})", parts.join(with))
    }

    fn test<F: Column>(&mut self, field: F, test: &Test) -> String {
        if let Some(rows) = field.list_rows() {
            return self.list_test(field.column(), rows, test);
        }
        let col = self.operand(field);
        let compare = |me: &mut Self, op: &str, v: &Scalar| format!("({col} {op} {})", me.scalar(v));
        match test {
            Test::Eq(Scalar::Null) | Test::Exists(false) => format!("({col} is null)"),
            Test::Ne(Scalar::Null) | Test::Exists(true) => format!("({col} is not null)"),
            Test::Eq(v) => compare(self, "=", v),
            Test::Ne(v) => format!("(not coalesce({}, false))", compare(self, "=", v)),
            Test::Gt(v) => compare(self, ">", v),
            Test::Gte(v) => compare(self, ">=", v),
            Test::Lt(v) => compare(self, "<", v),
            Test::Lte(v) => compare(self, "<=", v),
            Test::In(list) => self.one_of(&col, list),
            Test::Nin(list) => format!("(not coalesce({}, false))", self.one_of(&col, list)),
            Test::HasAll(list) if list.is_empty() => "(1 = 1)".to_owned(),
            Test::HasAll(list) => {
                let parts: Vec<String> = list.iter().map(|v| self.test(field, &Test::Eq(v.clone()))).collect();
                format!("({})", parts.join(" and "))
            }
            Test::StartsWith(s) => self.like(field, &format!("{}%", escape_like(s))),
            Test::EndsWith(s) => self.like(field, &format!("%{}", escape_like(s))),
            Test::Contains(s) => self.like(field, &format!("%{}%", escape_like(s))),
            Test::IsEmpty(empty) => {
                let is_empty = if field.kind() == FieldKind::Text {
                    format!("({col} is null or {col} = '')")
                } else {
                    format!("({col} is null)")
                };
                if *empty {
                    is_empty
                } else {
                    format!("(not {is_empty})")
                }
            }
        }
    }

    /// A test of a list field: `$hasSome` (`In`), `$hasAll`, and whether it has any value (the
    /// parser lets nothing else through). A null among the values matches nothing.
    fn list_test(&mut self, col: &str, rows: &str, test: &Test) -> String {
        // each value once: `$hasAll` counts the matching rows, one per distinct value
        let values = |me: &mut Self, list: &[Scalar]| {
            let mut distinct: Vec<&Scalar> = Vec::new();
            for v in list.iter().filter(|v| **v != Scalar::Null) {
                if !distinct.contains(&v) {
                    distinct.push(v);
                }
            }
            distinct.into_iter().map(|v| me.scalar(v)).collect::<Vec<String>>()
        };
        match test {
            Test::In(list) => {
                let marks = values(self, list);
                if marks.is_empty() {
                    return "(1 = 0)".to_owned();
                }
                format!("(exists (select 1 {rows} and {col} in ({})))", marks.join(", "))
            }
            Test::HasAll(list) => {
                let marks = values(self, list);
                if marks.is_empty() {
                    return "(1 = 1)".to_owned();
                }
                let n = marks.len();
                format!("((select count(*) {rows} and {col} in ({})) = {n})", marks.join(", "))
            }
            Test::Exists(has) | Test::IsEmpty(has) => {
                let any = matches!(test, Test::Exists(_)) == *has;
                format!("({}exists (select 1 {rows}))", if any { "" } else { "not " })
            }
            // refused by the parser; match nothing rather than guess
            _ => "(1 = 0)".to_owned(),
        }
    }

    /// Membership, where a null in the list matches a missing value.
    fn one_of(&mut self, col: &str, list: &[Scalar]) -> String {
        let (nulls, values): (Vec<&Scalar>, Vec<&Scalar>) = list.iter().partition(|v| **v == Scalar::Null);
        let mut parts = Vec::new();
        if !values.is_empty() {
            let marks: Vec<String> = values.into_iter().map(|v| self.scalar(v)).collect();
            parts.push(format!("{col} in ({})", marks.join(", ")));
        }
        if !nulls.is_empty() {
            parts.push(format!("{col} is null"));
        }
        if parts.is_empty() {
            "(1 = 0)".to_owned()
        } else {
            format!("({})", parts.join(" or "))
        }
    }

    /// A LIKE that ignores the case of ASCII letters, and only of those, on both backends.
    fn like<F: Column>(&mut self, field: F, pattern: &str) -> String {
        let mark = self.placeholder(Value::from(pattern.to_ascii_lowercase()));
        match (self.pool, field.kind()) {
            (Pool::Sqlite(_), _) => format!("({} like {mark} escape '\\')", field.column()),
            // ids and times are text only on SQLite
            (Pool::Postgres(_), FieldKind::Text) => {
                format!("(translate({}, {UPPER}, {LOWER}) like {mark} escape '\\')", field.column())
            }
            (Pool::Postgres(_), _) => {
                format!("(translate({}::text, {UPPER}, {LOWER}) like {mark} escape '\\')", field.column())
            }
        }
    }

    /// `order by …` for the sort, with `tie` breaking its ties; `default` (which breaks its own
    /// ties, in the direction an index can serve) when none is given.
    pub(super) fn order_by<F: Column>(&self, sort: &[SortKey<F>], default: &str, tie: &str) -> String {
        if sort.is_empty() {
            return format!("order by {default}");
        }
        let keys: Vec<String> = sort
            .iter()
            .map(|k| {
                let direction = if k.descending { "desc nulls last" } else { "asc nulls first" };
                format!("{} {direction}", self.operand(k.field))
            })
            .collect();
        format!("order by {}, {tie}", keys.join(", "))
    }
}

/// The rows of `select {columns} from {from} where {condition} {order}` in the window, and how
/// many rows match in all: the one shape of every REST query (badges, assignments, members).
/// `values` are the condition's, numbered from 1.
pub(super) async fn window_and_total<T: Record>(
    pool: &Pool,
    columns: &str,
    from: &str,
    condition: &str,
    order: &str,
    values: Vec<Value>,
    window: Window,
) -> Result<(Vec<T>, i64), sqlx::Error> {
    let n = values.len();
    let rows: Vec<T> =
        sql(format!("select {columns} from {from} where {condition} {order} limit ${} offset ${}", n + 1, n + 2))
            .bind_all(values.clone())
            .bind(window.limit)
            .bind(window.offset)
            .fetch_all(pool)
            .await?;
    let total =
        sql(format!("select count(*) from {from} where {condition}")).bind_all(values).fetch_scalar(pool).await?;
    Ok((rows, total))
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
