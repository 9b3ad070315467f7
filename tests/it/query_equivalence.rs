//! The REST query language gives the same rows on SQLite and PostgreSQL: random filters and
//! sorts over one set of badges, run on both, must agree row for row (and never fail).

use crate::common::by_system;
use crate::common::{plain_badge, test_db, Backend};
use insignia::domain::query::{BadgeField, Query, Window};
use insignia::rest::query::{parse_filter, parse_sort};
use insignia::store::{BadgeChanges, SharedStore};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

/// Titles chosen to tell the backends apart if they differed: case, wildcards, an escape
/// character, non-ASCII letters, a prefix of another title.
const TITLES: [&str; 10] =
    ["Alpha", "alpha two", "Beta_x", "50% off", "Zed", "zed", "Émile", "émile", "back\\slash", "Al"];

async fn seeded(backend: Backend) -> (SharedStore, crate::common::TestDb) {
    let db = test_db(backend).await;
    for (i, title) in TITLES.iter().enumerate() {
        let b = db.store.acting(&by_system()).create_badge(&plain_badge(title)).await.unwrap();
        let changes = BadgeChanges {
            description: Some(
                insignia::domain::BadgeDescription::parse(&format!("row {i} {}", title.to_lowercase())).unwrap(),
            ),
            permissions_enabled: Some(i % 3 == 0),
            ..Default::default()
        };
        db.store.acting(&by_system()).update_badge(b.id, None, &changes).await.unwrap();
    }
    (db.store.clone(), db)
}

fn text_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(TITLES.to_vec()).prop_map(|t| json!(t)),
        prop::sample::select(vec!["a", "A", "al", "ZED", "%", "_", "\\", "é", "É", "ÉMILE", "row 1", "x", ""])
            .prop_map(|t| json!(t)),
    ]
}

/// A valid filter over the fields whose values are the same on both databases (not ids or
/// dates, which each database made for itself).
fn filter() -> impl Strategy<Value = Value> {
    let field = prop::sample::select(vec!["title", "description", "slug"]);
    let text_test = (
        field,
        prop::sample::select(vec!["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$startsWith", "$endsWith", "$contains"]),
        text_value(),
    )
        .prop_map(|(f, op, v)| json!({ f: { op: v } }));
    let list_test = (
        prop::sample::select(vec!["title", "slug"]),
        prop::sample::select(vec!["$in", "$nin", "$hasSome", "$hasAll"]),
        prop::collection::vec(text_value(), 0..4),
    )
        .prop_map(|(f, op, v)| json!({ f: { op: v } }));
    let bool_test = (prop::sample::select(vec!["$eq", "$ne"]), any::<bool>())
        .prop_map(|(op, b)| json!({"permissionsEnabled": { op: b }}));
    let presence = (
        prop::sample::select(vec!["title", "description"]),
        prop::sample::select(vec!["$exists", "$isEmpty"]),
        any::<bool>(),
    )
        .prop_map(|(f, op, b)| json!({ f: { op: b } }));
    let leaf = prop_oneof![text_test, list_test, bool_test, presence, text_value().prop_map(|v| json!({"title": v}))];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| json!({"$and": v})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| json!({"$or": v})),
            inner.prop_map(|v| json!({"$not": v})),
        ]
    })
}

fn sort() -> impl Strategy<Value = Value> {
    let key = (
        prop::sample::select(vec!["description", "permissionsEnabled", "slug"]),
        prop::sample::select(vec!["ASC", "DESC"]),
    )
        .prop_map(|(f, o)| json!({"fieldName": f, "order": o}));
    // title last: unique, so the whole order is decided by what both databases hold
    prop::collection::vec(key, 0..2).prop_map(|mut keys| {
        keys.push(json!({"fieldName": "title"}));
        Value::Array(keys)
    })
}

async fn titles(store: &SharedStore, filter: &Value, sort: &Value) -> Vec<String> {
    let query = Query {
        filter: parse_filter::<BadgeField>(Some(filter), "filter").expect("the strategy makes valid filters"),
        sort: parse_sort(Some(sort), "sort").expect("valid sort"),
        window: Window { offset: 0, limit: 100 },
    };
    let (badges, total) = store.query_badges(&query).await.unwrap_or_else(|e| panic!("{filter} failed: {e}"));
    assert_eq!(total as usize, badges.len());
    badges.into_iter().map(|b| b.title).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_answer_every_filter_with_the_same_rows() {
    let (sqlite, _a) = seeded(Backend::Sqlite).await;
    let (postgres, _b) = seeded(Backend::Postgres).await;
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config { cases: 1500, ..Config::default() });
    let result = tokio::task::block_in_place(|| {
        runner.run(&(filter(), sort()), |(f, s)| {
            let (on_sqlite, on_postgres) =
                handle.block_on(async { (titles(&sqlite, &f, &s).await, titles(&postgres, &f, &s).await) });
            prop_assert_eq!(on_sqlite, on_postgres, "filter {} sort {}", f, s);
            Ok(())
        })
    });
    result.unwrap();
    // and the semantics are the documented ones, not merely equal
    let case_blind = titles(&sqlite, &json!({"title": {"$startsWith": "AL"}}), &json!([{"fieldName": "title"}])).await;
    assert_eq!(case_blind, ["Al", "Alpha", "alpha two"]);
    let ascii_only = titles(&postgres, &json!({"title": {"$startsWith": "é"}}), &json!([{"fieldName": "title"}])).await;
    assert_eq!(ascii_only, ["émile"], "only ASCII letters fold");
    let literal = titles(&postgres, &json!({"title": {"$contains": "%"}}), &json!([])).await;
    assert_eq!(literal, ["50% off"], "wildcards are literal");
}
