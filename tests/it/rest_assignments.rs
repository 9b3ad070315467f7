//! Badge Assignments V4 over REST: each operation's wire shape and errors, bulk results item by
//! item, cursor paging that carries its filter, tags, and who may assign what.

use crate::common::by_system;
use crate::common::{member_id, TestDb};
use crate::rest::{code, violation, Rest};
use insignia::domain::job::JobStatus;
use insignia::domain::PrivacyStatus;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

crate::on_both_backends!(
    an_assignment_is_made_read_and_deleted,
    bulk_creation_reports_each_item_and_fails_items_alone,
    queries_page_by_cursor_alone_and_keep_their_filter,
    tags_change_in_bulk_and_by_filter_in_the_background,
    keys_delegation_and_visibility_decide_who_may_do_what,
);

const ONE: &str = "/badges/v4/badge-assignments";
const BULK: &str = "/badges/v4/bulk/badge-assignments";

/// `n` approved members (signed up as `{prefix}{i}@example.com`), their ids in order.
async fn members(rest: &Rest, prefix: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let email = format!("{prefix}{i}@example.com");
        insignia::auth::service::sign_up(&rest.app.store, &email, "member-password-1").await.unwrap();
        ids.push(member_id(&rest.app.store, &email).await.to_string());
    }
    ids
}

fn assignment(badge: &Value, member: &str) -> Value {
    json!({"badgeId": badge["id"], "memberId": member})
}

async fn an_assignment_is_made_read_and_deleted(db: TestDb) {
    let rest = Rest::new(db).await;
    let star = rest.create("Star").await;
    let ann = &members(&rest, "ann", 1).await[0];
    let mut sent = assignment(&star, ann);
    sent["tags"] = json!({"tags": {"tagIds": ["loyalty", "2026", "loyalty"]}});
    sent["id"] = json!("ignored");
    let (status, body) = rest.send("POST", ONE, &rest.key, Some(json!({"badgeAssignment": sent}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let made = &body["badgeAssignment"];
    assert_eq!((made["badgeId"].clone(), made["memberId"].as_str()), (star["id"].clone(), Some(ann.as_str())));
    assert_eq!(made["tags"], json!({"tags": {"tagIds": ["loyalty", "2026"]}, "privateTags": {"tagIds": []}}));
    assert!(made["createdDate"].as_str().unwrap().ends_with('Z') && made["id"] != "ignored");
    let id = made["id"].as_str().unwrap().to_owned();
    // the key that made it is on record, as the dashboard records the admin
    let by_key = rest.app.count("select count(*) from badge_assignments where assigned_by_key is not null").await;
    assert_eq!(by_key, 1);

    let (status, body) = rest.send("POST", ONE, &rest.key, Some(json!({"badgeAssignment": sent}))).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "ALREADY_EXISTS"), "a member holds a badge once");
    let unknown = json!({"badgeAssignment": {"badgeId": uuid::Uuid::new_v4(), "memberId": ann}});
    let (status, body) = rest.send("POST", ONE, &rest.key, Some(unknown)).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "BADGE_NOT_FOUND"));
    let nobody = json!({"badgeAssignment": {"badgeId": star["id"], "memberId": uuid::Uuid::new_v4()}});
    let (status, body) = rest.send("POST", ONE, &rest.key, Some(nobody)).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "MEMBER_NOT_FOUND"));
    let (status, body) = rest.send("POST", ONE, &rest.key, Some(json!({"badgeAssignment": {"memberId": ann}}))).await;
    assert_eq!(
        (status, violation(&body)["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("badgeAssignment.badgeId"))
    );
    let too_many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    let tagged = json!({"badgeAssignment": {"badgeId": star["id"], "memberId": ann, "tags": {"privateTags": {"tagIds": too_many}}}});
    let (status, body) = rest.send("POST", ONE, &rest.key, Some(tagged)).await;
    assert_eq!(
        (status, violation(&body)["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("badgeAssignment.tags.privateTags.tagIds"))
    );
    assert_eq!(rest.app.count("select count(*) from badge_assignments").await, 1, "refused calls changed nothing");

    let path = format!("{ONE}/{id}");
    let (status, _) =
        rest.send("DELETE", &format!("{path}?badgeAssignmentId={}", uuid::Uuid::new_v4()), &rest.key, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the id in the query string must be the path's");
    let (status, body) = rest.send("DELETE", &format!("{path}?badgeAssignmentId={id}"), &rest.key, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let (status, body) = rest.send("DELETE", &path, &rest.key, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "ASSIGNMENT_NOT_FOUND"));
    assert_eq!(rest.app.count("select count(*) from badge_assignment_tags").await, 0, "its tags went with it");
}

async fn bulk_creation_reports_each_item_and_fails_items_alone(db: TestDb) {
    let rest = Rest::new(db).await;
    let (star, moon) = (rest.create("Star").await, rest.create("Moon").await);
    let people = members(&rest, "bulk", 2).await;
    let items = json!([
        assignment(&star, &people[0]),
        assignment(&star, &people[0]),
        assignment(&star, &uuid::Uuid::new_v4().to_string()),
        {"badgeId": uuid::Uuid::new_v4(), "memberId": people[1]},
        assignment(&moon, &people[1]),
    ]);
    let request = json!({"badgeAssignments": items, "returnEntity": true});
    let (status, body) = rest.send("POST", &format!("{BULK}/create"), &rest.key, Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = body["results"].as_array().unwrap();
    let summary: Vec<(u64, bool, &str)> = results
        .iter()
        .map(|r| {
            let m = &r["itemMetadata"];
            (
                m["originalIndex"].as_u64().unwrap(),
                m["success"].as_bool().unwrap(),
                m["error"]["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (0, true, ""),
            (1, false, "ALREADY_EXISTS"),
            (2, false, "MEMBER_NOT_FOUND"),
            (3, false, "BADGE_NOT_FOUND"),
            (4, true, "")
        ]
    );
    assert_eq!(body["bulkActionMetadata"], json!({"totalSuccesses": 2, "totalFailures": 3, "undetailedFailures": 0}));
    assert_eq!(results[0]["item"]["id"], results[0]["itemMetadata"]["id"], "the new assignment's id, and itself");
    assert!(results[1].get("item").is_none() && results[1]["itemMetadata"]["error"]["description"].is_string());
    assert_eq!(rest.app.count("select count(*) from badge_assignments").await, 2);

    // without returnEntity: the ids only
    let (_, body) = rest
        .send(
            "POST",
            &format!("{BULK}/create"),
            &rest.key,
            Some(json!({"badgeAssignments": [assignment(&moon, &people[0])]})),
        )
        .await;
    assert!(body["results"][0].get("item").is_none() && body["results"][0]["itemMetadata"]["id"].is_string());
    for bad in [json!([]), json!(vec![assignment(&star, &people[1]); 101])] {
        let (status, body) =
            rest.send("POST", &format!("{BULK}/create"), &rest.key, Some(json!({"badgeAssignments": bad}))).await;
        assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some("badgeAssignments")));
    }
    let (status, body) = rest
        .send(
            "POST",
            &format!("{BULK}/create"),
            &rest.key,
            Some(json!({"badgeAssignments": [{"badgeId": star["id"]}]})),
        )
        .await;
    assert_eq!(
        (status, violation(&body)["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("badgeAssignments[0].memberId"))
    );
    assert_eq!(rest.app.count("select count(*) from badge_assignments").await, 3);
}

async fn query(rest: &Rest, q: Value) -> (StatusCode, Value) {
    rest.send("POST", &format!("{ONE}/query"), &rest.key, Some(json!({"query": q}))).await
}

/// How many assignments a query with this filter answers.
async fn count(rest: &Rest, q: Value) -> usize {
    query(rest, q).await.1["badgeAssignments"].as_array().map_or(usize::MAX, Vec::len)
}

async fn queries_page_by_cursor_alone_and_keep_their_filter(db: TestDb) {
    let rest = Rest::new(db).await;
    let (star, moon) = (rest.create("Star").await, rest.create("Moon").await);
    let people = members(&rest, "page", 7).await;
    for (i, member) in people.iter().enumerate() {
        let mut item = assignment(&star, member);
        item["tags"] = json!({"tags": {"tagIds": if i % 2 == 0 { vec!["even", "all"] } else { vec!["odd", "all"] }}});
        rest.send("POST", ONE, &rest.key, Some(json!({"badgeAssignment": item}))).await;
        if i < 3 {
            rest.send("POST", ONE, &rest.key, Some(json!({"badgeAssignment": assignment(&moon, member)}))).await;
        }
    }

    // a filter, then pages by the cursor alone, as the SDK's next() sends them
    let (status, mut page) =
        query(&rest, json!({"filter": {"badgeId": star["id"]}, "cursorPaging": {"limit": 3}})).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        pages += 1;
        for a in page["badgeAssignments"].as_array().unwrap() {
            assert_eq!(a["badgeId"], star["id"], "the filter holds on every page");
            seen.push(a["createdDate"].as_str().unwrap().to_owned() + a["id"].as_str().unwrap());
        }
        match page["pagingMetadata"]["cursors"]["next"].as_str() {
            Some(next) => page = query(&rest, json!({"cursorPaging": {"cursor": next, "limit": 3}})).await.1,
            None => break,
        }
    }
    assert_eq!((pages, seen.len(), seen.iter().collect::<HashSet<_>>().len()), (3, 7, 7), "every one once");
    let mut newest_first = seen.clone();
    newest_first.sort();
    newest_first.reverse();
    assert_eq!(seen, newest_first, "newest first by default");

    assert_eq!(count(&rest, json!({"filter": {"memberId": {"$in": [people[0], people[1]]}}})).await, 4);
    assert_eq!(count(&rest, json!({"filter": {"tags.tags.tagIds": {"$hasSome": ["even"]}}})).await, 4);
    assert_eq!(count(&rest, json!({"filter": {"tags.tags.tagIds": {"$hasAll": ["odd", "all"]}}})).await, 3);
    assert_eq!(count(&rest, json!({"filter": {"tags.tags.tagIds": {"$hasAll": ["odd", "even"]}}})).await, 0);
    assert_eq!(
        count(&rest, json!({"filter": {"tags.tags.tagIds": {"$exists": false}}})).await,
        3,
        "moon's are untagged"
    );
    let (_, asc) =
        query(&rest, json!({"filter": {"badgeId": moon["id"]}, "sort": [{"fieldName": "memberId", "order": "ASC"}]}))
            .await;
    let ids: Vec<&str> =
        asc["badgeAssignments"].as_array().unwrap().iter().map(|a| a["memberId"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);

    for (bad, field) in [
        (json!({"filter": {"title": "x"}}), "query.filter.title"),
        (json!({"filter": {"tags.tags.tagIds": "even"}}), "query.filter.tags.tags.tagIds"),
        (json!({"filter": {"badgeId": {"$gt": "not-a-guid"}}}), "query.filter.badgeId"),
        (json!({"cursorPaging": {"limit": 101}}), "query.cursorPaging.limit"),
        (json!({"cursorPaging": {"cursor": "forged.cursor"}}), "query.cursorPaging.cursor"),
        (json!({"sort": [{"fieldName": "tags.tags.tagIds"}]}), "query.sort.fieldName"),
    ] {
        let (status, body) = query(&rest, bad.clone()).await;
        assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{bad}");
    }
}

async fn tags_change_in_bulk_and_by_filter_in_the_background(db: TestDb) {
    let rest = Rest::new(db).await;
    let (star, moon) = (rest.create("Star").await, rest.create("Moon").await);
    let people = members(&rest, "tag", 3).await;
    let mut ids = Vec::new();
    for member in &people {
        let mut item = assignment(&star, member);
        item["tags"] = json!({"tags": {"tagIds": ["silver"]}, "privateTags": {"tagIds": ["note"]}});
        let (_, body) = rest.send("POST", ONE, &rest.key, Some(json!({"badgeAssignment": item}))).await;
        ids.push(body["badgeAssignment"]["id"].as_str().unwrap().to_owned());
    }
    let (_, moon_one) =
        rest.send("POST", ONE, &rest.key, Some(json!({"badgeAssignment": assignment(&moon, &people[0])}))).await;
    let moon_id = moon_one["badgeAssignment"]["id"].as_str().unwrap().to_owned();

    let missing = uuid::Uuid::new_v4().to_string();
    let request = json!({
        "ids": [ids[0], missing],
        "assignTags": {"tags": {"tagIds": ["gold", "vip"]}},
        "unassignTags": {"tags": {"tagIds": ["silver", "vip"]}, "privateTags": {"tagIds": ["note"]}},
    });
    let (status, body) = rest.send("POST", &format!("{BULK}/bulk-update-tags"), &rest.key, Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let items = body["results"].as_array().unwrap();
    assert_eq!(items[0]["itemMetadata"]["id"], ids[0].as_str());
    assert_eq!(
        (items[0]["itemMetadata"]["success"].as_bool(), items[1]["itemMetadata"]["error"]["code"].as_str()),
        (Some(true), Some("ASSIGNMENT_NOT_FOUND"))
    );
    let (_, found) =
        rest.send("POST", &format!("{ONE}/query"), &rest.key, Some(json!({"query": {"filter": {"id": ids[0]}}}))).await;
    assert_eq!(
        found["badgeAssignments"][0]["tags"],
        json!({"tags": {"tagIds": ["gold", "vip"]}, "privateTags": {"tagIds": []}}),
        "removed silver and the private note; vip was in both lists, so it is assigned"
    );
    let (status, body) =
        rest.send("POST", &format!("{BULK}/bulk-update-tags"), &rest.key, Some(json!({"ids": [ids[1]]}))).await;
    assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some("assignTags")));

    // by filter: every Star assignment gets "season", in a background run
    let request = json!({"filter": {"badgeId": star["id"]}, "assignTags": {"tags": {"tagIds": ["season"]}}});
    let (status, body) = rest.send("POST", &format!("{BULK}/update-tags-by-filter"), &rest.key, Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let job_id: uuid::Uuid = body["jobId"].as_str().unwrap().parse().unwrap();
    let job = wait_for(&rest, job_id).await;
    assert_eq!((job.status, job.total, job.succeeded), (JobStatus::Done, 3, 3), "{job:?}");
    assert!(job.from_api && job.describe().contains("tags"));
    let (_, tagged) = rest
        .send(
            "POST",
            &format!("{ONE}/query"),
            &rest.key,
            Some(json!({"query": {"filter": {"tags.tags.tagIds": {"$hasSome": ["season"]}}}})),
        )
        .await;
    let tagged: HashSet<&str> =
        tagged["badgeAssignments"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(tagged, ids.iter().map(String::as_str).collect(), "Star's three, not Moon's {moon_id}");
    let (status, body) =
        rest.send("POST", &format!("{BULK}/update-tags-by-filter"), &rest.key, Some(json!({"assignTags": {}}))).await;
    assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some("filter")));
}

/// The job, once the app's background worker has finished it.
async fn wait_for(rest: &Rest, id: uuid::Uuid) -> insignia::domain::job::Job {
    for _ in 0..200 {
        let job = rest.app.store.job(id).await.unwrap().unwrap();
        if job.status != JobStatus::Running {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the job did not finish in 10 s");
}

async fn keys_delegation_and_visibility_decide_who_may_do_what(db: TestDb) {
    let rest = Rest::new(db).await;
    let (star, moon) = (rest.create("Star").await, rest.create("Moon").await);
    let people = members(&rest, "who", 2).await;
    let hidden = &members(&rest, "hidden", 1).await[0];
    let delegate_token = rest.member_token("delegate@example.com").await;
    let delegate = member_id(&rest.app.store, "delegate@example.com").await;
    for id in people.iter().chain([&delegate.to_string()]) {
        rest.app
            .store
            .acting(&by_system())
            .set_member_privacy(id.parse().unwrap(), PrivacyStatus::Public)
            .await
            .unwrap();
    }
    rest.app.store.add_badge_assigner(star["id"].as_str().unwrap().parse().unwrap(), delegate).await.unwrap();

    let reader = rest.key("badges.read").await;
    let make = |badge: &Value, member: &str| json!({"badgeAssignment": assignment(badge, member)});
    let (status, body) = rest.send("POST", ONE, &reader, Some(make(&star, &people[0]))).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "FORBIDDEN"));
    let members_key = rest.key("members.manage").await;
    assert_eq!(
        rest.send("POST", &format!("{ONE}/query"), &members_key, Some(json!({}))).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(rest.send("POST", &format!("{ONE}/query"), "", Some(json!({}))).await.0, StatusCode::UNAUTHORIZED);

    // a delegate assigns what the dashboard lets them: the delegated badge, to someone else they can see
    let (status, body) = rest.send("POST", ONE, &delegate_token, Some(make(&star, &people[0]))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = rest.send("POST", ONE, &delegate_token, Some(make(&moon, &people[1]))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "Moon was not delegated");
    let (status, _) = rest.send("POST", ONE, &delegate_token, Some(make(&star, &delegate.to_string()))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not to themself");
    let (status, body) = rest.send("POST", ONE, &delegate_token, Some(make(&star, hidden))).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "MEMBER_NOT_FOUND"),
        "a private member is not there for them"
    );
    let bulk = json!({"badgeAssignments": [assignment(&star, &people[1]), assignment(&moon, &people[1])]});
    let (_, body) = rest.send("POST", &format!("{BULK}/create"), &delegate_token, Some(bulk)).await;
    let codes: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["itemMetadata"]["error"]["code"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(codes, ["ok", "FORBIDDEN"]);
    let by_delegate = format!(
        "select count(*) from badge_assignments a join accounts c on c.id = a.assigned_by where c.member_id = '{delegate}'"
    );
    assert_eq!(rest.app.count(&by_delegate).await, 2, "the delegate's account is on record for both");
    let (status, _) = rest
        .send(
            "POST",
            &format!("{BULK}/delete"),
            &delegate_token,
            Some(json!({"badgeAssignmentIds": [uuid::Uuid::new_v4()]})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "delegates assign; they do not delete");

    // a member's token sees the assignments of public members (and its own), never private tags
    let tagged = json!({"badgeAssignment": {"badgeId": moon["id"], "memberId": hidden, "tags": {"privateTags": {"tagIds": ["secret"]}}}});
    rest.send("POST", ONE, &rest.key, Some(tagged)).await;
    let (_, first) = rest
        .send("POST", &format!("{ONE}/query"), &rest.key, Some(json!({"query": {"filter": {"memberId": people[0]}}})))
        .await;
    let first_id = first["badgeAssignments"][0]["id"].clone();
    let note = json!({"ids": [first_id], "assignTags": {"privateTags": {"tagIds": ["staff-note"]}}});
    rest.send("POST", &format!("{BULK}/bulk-update-tags"), &rest.key, Some(note)).await;
    let (_, all) = rest.send("POST", &format!("{ONE}/query"), &rest.key, Some(json!({}))).await;
    assert_eq!(all["badgeAssignments"].as_array().unwrap().len(), 3);
    let (_, mine) = rest.send("POST", &format!("{ONE}/query"), &delegate_token, Some(json!({}))).await;
    let seen: Vec<&str> =
        mine["badgeAssignments"].as_array().unwrap().iter().map(|a| a["memberId"].as_str().unwrap()).collect();
    assert_eq!(seen.len(), 2, "{mine}");
    assert!(!seen.contains(&hidden.as_str()), "the private member's assignment is not there");
    assert_eq!(mine["pagingMetadata"]["total"], 2);
    let theirs = mine["badgeAssignments"].as_array().unwrap().iter().find(|a| a["id"] == first_id).unwrap();
    assert_eq!(theirs["tags"]["privateTags"]["tagIds"], json!([]), "private tags are for site keys and admins");
    let (_, by_key) =
        rest.send("POST", &format!("{ONE}/query"), &reader, Some(json!({"query": {"filter": {"id": first_id}}}))).await;
    assert_eq!(by_key["badgeAssignments"][0]["tags"]["privateTags"]["tagIds"], json!(["staff-note"]));
}
