//! The wire query language (REST_CONTRACT §3) parsed into `domain::query`: only the fields a
//! resource allows, only the operators listed, and bounded in depth, size and length, so a
//! hostile filter is a 400 naming what is wrong, never a slow or crashing query.

use super::error::ApiError;
use crate::domain::query::{Field, FieldKind, Filter, Scalar, SortKey, Test};
use crate::error::Invalid;
use serde_json::Value;

/// How deep `$and`/`$or`/`$not` may nest.
pub const MAX_DEPTH: usize = 8;
/// How many tests and combinators one filter may hold.
pub const MAX_NODES: usize = 200;
/// How many values a list operand (`$in`, `$hasAll`…) may hold.
pub const MAX_LIST: usize = 100;
/// The longest string operand, in characters.
pub const MAX_STRING: usize = 1000;
/// How many sort keys a query may give.
pub const MAX_SORT: usize = 5;

struct Parser {
    nodes: usize,
    path: String,
}

fn bad(path: &str, message: impl Into<String>) -> ApiError {
    ApiError::invalid(path, Invalid::format(message.into()))
}

/// Parses the `filter` of a query (`path` is where it sits, e.g. `query.filter`). Absent or
/// null is no filter.
pub fn parse_filter<F: Field>(value: Option<&Value>, path: &str) -> Result<Filter<F>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(Filter::default()),
        Some(v) => Parser { nodes: 0, path: path.to_owned() }.object(v, 0),
    }
}

impl Parser {
    fn count(&mut self) -> Result<(), ApiError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(bad(&self.path, format!("a filter has at most {MAX_NODES} conditions")));
        }
        Ok(())
    }

    fn object<F: Field>(&mut self, value: &Value, depth: usize) -> Result<Filter<F>, ApiError> {
        if depth > MAX_DEPTH {
            return Err(bad(&self.path, format!("a filter nests at most {MAX_DEPTH} levels")));
        }
        let Value::Object(map) = value else {
            return Err(bad(&self.path, "a filter is a JSON object"));
        };
        let mut all = Vec::with_capacity(map.len());
        for (key, operand) in map {
            self.count()?;
            all.push(match key.as_str() {
                "$and" => Filter::All(self.list(operand, key, depth)?),
                "$or" => Filter::Any(self.list(operand, key, depth)?),
                "$not" => Filter::Not(Box::new(self.object(operand, depth + 1)?)),
                op if op.starts_with('$') => return Err(bad(&self.path, format!("unknown operator {op}"))),
                name => {
                    let field = F::from_wire(name)
                        .ok_or_else(|| bad(&format!("{}.{name}", self.path), format!("cannot filter by {name:?}")))?;
                    self.field_tests(field, operand)?
                }
            });
        }
        Ok(if all.len() == 1 { all.pop().unwrap_or_default() } else { Filter::All(all) })
    }

    fn list<F: Field>(&mut self, operand: &Value, op: &str, depth: usize) -> Result<Vec<Filter<F>>, ApiError> {
        let Value::Array(items) = operand else {
            return Err(bad(&self.path, format!("{op} takes a list of filters")));
        };
        if items.len() > MAX_LIST {
            return Err(bad(&self.path, format!("{op} takes at most {MAX_LIST} filters")));
        }
        items.iter().map(|item| self.object(item, depth + 1)).collect()
    }

    /// `{"title": "x"}` (implicit equality) or `{"title": {"$gt": "a", "$lt": "m"}}`.
    fn field_tests<F: Field>(&mut self, field: F, operand: &Value) -> Result<Filter<F>, ApiError> {
        let path = format!("{}.{}", self.path, field.wire_name());
        match operand {
            Value::Object(ops) if ops.keys().all(|k| k.starts_with('$')) && !ops.is_empty() => {
                let mut tests = Vec::with_capacity(ops.len());
                for (op, v) in ops {
                    self.count()?;
                    tests.push(Filter::Test(field, test(field, op, v, &path)?));
                }
                Ok(if tests.len() == 1 { tests.pop().unwrap_or_default() } else { Filter::All(tests) })
            }
            Value::Object(_) | Value::Array(_) => Err(bad(&path, "compare a field with a value or with operators")),
            _ if field.kind() == FieldKind::TagList => Err(bad(&path, "test a list of tags with $hasSome or $hasAll")),
            v => Ok(Filter::Test(field, Test::Eq(scalar(field, v, &path, true)?))),
        }
    }
}

fn test<F: Field>(field: F, op: &str, v: &Value, path: &str) -> Result<Test, ApiError> {
    let one = |nullable| scalar(field, v, path, nullable);
    let for_lists = ["$in", "$hasSome", "$hasAll", "$exists", "$isEmpty"];
    if field.kind() == FieldKind::TagList && !for_lists.contains(&op) {
        return Err(bad(path, format!("{op} does not apply to a list of tags; use $hasSome or $hasAll")));
    }
    Ok(match op {
        "$eq" => Test::Eq(one(true)?),
        "$ne" => Test::Ne(one(true)?),
        "$gt" => Test::Gt(one(false)?),
        "$gte" => Test::Gte(one(false)?),
        "$lt" => Test::Lt(one(false)?),
        "$lte" => Test::Lte(one(false)?),
        "$in" | "$hasSome" => Test::In(list(field, v, path, op)?),
        "$nin" => Test::Nin(list(field, v, path, op)?),
        "$hasAll" => Test::HasAll(list(field, v, path, op)?),
        "$startsWith" | "$endsWith" | "$contains" => {
            if !matches!(field.kind(), FieldKind::Text | FieldKind::Id) {
                return Err(bad(path, format!("{op} applies to text fields")));
            }
            let Value::String(s) = v else { return Err(bad(path, format!("{op} takes a string"))) };
            let s = bounded(s, path)?;
            match op {
                "$startsWith" => Test::StartsWith(s),
                "$endsWith" => Test::EndsWith(s),
                _ => Test::Contains(s),
            }
        }
        "$exists" | "$isEmpty" => {
            let Value::Bool(b) = v else { return Err(bad(path, format!("{op} takes true or false"))) };
            if op == "$exists" {
                Test::Exists(*b)
            } else {
                Test::IsEmpty(*b)
            }
        }
        other => return Err(bad(path, format!("unknown operator {other}"))),
    })
}

fn list<F: Field>(field: F, v: &Value, path: &str, op: &str) -> Result<Vec<Scalar>, ApiError> {
    let Value::Array(items) = v else { return Err(bad(path, format!("{op} takes a list"))) };
    if items.len() > MAX_LIST {
        return Err(bad(path, format!("{op} takes at most {MAX_LIST} values")));
    }
    items.iter().map(|item| scalar(field, item, path, true)).collect()
}

fn bounded(s: &str, path: &str) -> Result<String, ApiError> {
    if s.chars().count() > MAX_STRING {
        return Err(ApiError::invalid(path, Invalid::max_length(format!("at most {MAX_STRING} characters"))));
    }
    Ok(s.to_owned())
}

/// A value of the field's kind.
fn scalar<F: Field>(field: F, v: &Value, path: &str, nullable: bool) -> Result<Scalar, ApiError> {
    let wrong = |what: &str| bad(path, format!("{} is {what}", field.wire_name()));
    match (field.kind(), v) {
        (_, Value::Null) if nullable => Ok(Scalar::Null),
        (_, Value::Null) => Err(bad(path, "cannot compare with null")),
        (FieldKind::Id, Value::String(s)) => s.parse().map(Scalar::Id).map_err(|_| wrong("a GUID")),
        (FieldKind::Text | FieldKind::TagList, Value::String(s)) => Ok(Scalar::Text(bounded(s, path)?)),
        (FieldKind::Bool, Value::Bool(b)) => Ok(Scalar::Bool(*b)),
        (FieldKind::Time, Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| Scalar::Time(t.to_utc()))
            .map_err(|_| wrong("an ISO-8601 time")),
        (FieldKind::Id, _) => Err(wrong("a GUID")),
        (FieldKind::Text | FieldKind::TagList, _) => Err(wrong("text")),
        (FieldKind::Bool, _) => Err(wrong("true or false")),
        (FieldKind::Time, _) => Err(wrong("an ISO-8601 time")),
    }
}

/// Parses `sort: [{fieldName, order}]`; `order` defaults to ascending.
pub fn parse_sort<F: Field>(value: Option<&Value>, path: &str) -> Result<Vec<SortKey<F>>, ApiError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(bad(path, "sort is a list of {fieldName, order}")),
    };
    if items.len() > MAX_SORT {
        return Err(bad(path, format!("at most {MAX_SORT} sort keys")));
    }
    items
        .iter()
        .map(|item| {
            let key = item.as_object().ok_or_else(|| bad(path, "a sort key is {fieldName, order}"))?;
            let name = key.get("fieldName").and_then(Value::as_str).unwrap_or_default();
            let field = F::from_wire(name)
                .filter(|f| f.kind() != FieldKind::TagList)
                .ok_or_else(|| bad(&format!("{path}.fieldName"), format!("cannot sort by {name:?}")))?;
            let descending = match key.get("order").and_then(Value::as_str) {
                None | Some("ASC") => false,
                Some("DESC") => true,
                Some(other) => {
                    return Err(bad(&format!("{path}.order"), format!("order is ASC or DESC, not {other:?}")))
                }
            };
            Ok(SortKey { field, descending })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::query::BadgeField;
    use serde_json::json;

    fn parse(v: Value) -> Result<Filter<BadgeField>, ApiError> {
        parse_filter(Some(&v), "query.filter")
    }

    #[test]
    fn the_builder_forms_parse() {
        assert_eq!(parse(json!({})).unwrap(), Filter::All(vec![]));
        assert_eq!(
            parse(json!({"title": "Gold"})).unwrap(),
            Filter::Test(BadgeField::Title, Test::Eq(Scalar::Text("Gold".into())))
        );
        let both = parse(json!({"title": {"$gt": "a", "$lt": "m"}})).unwrap();
        assert!(matches!(both, Filter::All(ref v) if v.len() == 2));
        let or = parse(json!({"$or": [{"permissionsEnabled": true}, {"slug": {"$startsWith": "go"}}]})).unwrap();
        assert!(matches!(or, Filter::Any(ref v) if v.len() == 2));
        assert!(matches!(parse(json!({"$not": {"title": null}})).unwrap(), Filter::Not(_)));
        assert!(parse(json!({"createdDate": {"$gte": "2026-01-01T00:00:00.000Z"}})).is_ok());
    }

    #[test]
    fn unknown_fields_operators_and_wrong_values_are_refused_by_name() {
        let message = |v: Value| format!("{:?}", parse(v).unwrap_err().app_error());
        assert!(message(json!({"password": "x"})).contains("password"));
        assert!(message(json!({"title": {"$regex": "x"}})).contains("$regex"));
        assert!(message(json!({"$where": "1"})).contains("$where"));
        assert!(parse(json!({"permissionsEnabled": "yes"})).is_err());
        assert!(parse(json!({"id": "not-a-guid"})).is_err());
        assert!(parse(json!({"title": {"$gt": null}})).is_err());
        assert!(parse(json!({"permissionsEnabled": {"$startsWith": "t"}})).is_err());
        assert!(parse(json!(["title"])).is_err());
    }

    #[test]
    fn size_and_depth_are_bounded() {
        let mut deep = json!({"title": "x"});
        for _ in 0..=MAX_DEPTH {
            deep = json!({"$not": deep});
        }
        assert!(parse(deep).is_err());
        let wide: Vec<Value> = (0..MAX_NODES).map(|i| json!({"title": format!("t{i}")})).collect();
        assert!(parse(json!({"$or": wide})).is_err());
        assert!(parse(json!({"title": {"$in": vec!["a"; MAX_LIST + 1]}})).is_err());
        assert!(parse(json!({"title": "x".repeat(MAX_STRING + 1)})).is_err());
    }

    #[test]
    fn sorts_name_allowed_fields_only() {
        let sort: Vec<SortKey<BadgeField>> =
            parse_sort(Some(&json!([{"fieldName": "title", "order": "DESC"}, {"fieldName": "slug"}])), "query.sort")
                .unwrap();
        assert_eq!(
            sort,
            [
                SortKey { field: BadgeField::Title, descending: true },
                SortKey { field: BadgeField::Slug, descending: false }
            ]
        );
        assert!(parse_sort::<BadgeField>(Some(&json!([{"fieldName": "revision"}])), "query.sort").is_err());
        assert!(parse_sort::<BadgeField>(Some(&json!([{"fieldName": "title", "order": "UP"}])), "query.sort").is_err());
    }

    /// Any JSON at all, with the keys a filter uses mixed among random ones.
    fn arbitrary_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let key = prop_oneof![
            Just("$and".to_owned()),
            Just("$or".to_owned()),
            Just("$not".to_owned()),
            Just("$in".to_owned()),
            Just("$startsWith".to_owned()),
            Just("$exists".to_owned()),
            Just("title".to_owned()),
            Just("id".to_owned()),
            Just("createdDate".to_owned()),
            Just("permissionsEnabled".to_owned()),
            ".{0,12}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            ".{0,40}".prop_map(Value::String),
            Just(Value::String("2026-01-01T00:00:00Z".into())),
            Just(Value::String(uuid::Uuid::nil().to_string())),
        ];
        leaf.prop_recursive(6, 64, 8, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn any_json_parses_or_is_refused_never_panics(v in arbitrary_json()) {
            let _ = parse(v.clone());
            let _ = parse_sort::<BadgeField>(Some(&v), "query.sort");
        }
    }
}
