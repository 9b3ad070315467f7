//! Badges V4 over REST: each operation's wire shape, its errors, and who may call it.

use crate::common::{TestApp, TestDb};
use crate::rest::{code, violation, Rest};
use insignia::auth::actor::Actor;
use insignia::auth::key_service;
use reqwest::StatusCode;
use serde_json::{json, Value};

crate::on_both_backends!(
    a_badge_is_created_read_changed_and_deleted_field_by_field,
    a_stale_revision_is_a_conflict_and_changes_nothing,
    keys_scopes_and_member_tokens_decide_who_may_call,
    queries_filter_sort_and_page_by_offset_and_by_cursor,
    display_order_and_moves_follow_the_contract,
    bad_requests_answer_json_errors_never_html_or_500,
    each_key_is_rate_limited_on_its_own,
    a_dashboard_session_cookie_does_not_reach_the_rest_api,
    a_token_is_no_login_for_the_dashboard,
    moves_stay_exact_after_a_badge_is_deleted,
);

async fn a_badge_is_created_read_changed_and_deleted_field_by_field(db: TestDb) {
    let rest = Rest::new(db).await;
    let sent = json!({"badge": {
        "title": "Night Owl", "description": "Posts after midnight", "backgroundColor": "#1e1b4b",
        "textColor": "#fef3c7", "permissionsEnabled": true,
        "icon": {"id": "abc123~mv2.png", "width": 64, "height": 32, "filename": "owl.png", "altText": "owl.png",
                 "url": "wix:image://v1/abc123~mv2.png/owl.png#originWidth=64&originHeight=32"},
        "slug": "ignored", "createdDate": "2001-01-01T00:00:00.000Z"
    }});
    let (status, body) = rest.send("POST", "/badges/v4/badges", &rest.key, Some(sent)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let b = &body["badge"];
    assert_eq!(b["revision"], "1", "revision is an int64 string starting at 1");
    assert_eq!((b["title"].as_str(), b["slug"].as_str()), (Some("Night Owl"), Some("night-owl")));
    assert_eq!((b["backgroundColor"].as_str(), b["textColor"].as_str()), (Some("#1E1B4B"), Some("#FEF3C7")));
    assert_eq!(
        (b["description"].as_str(), b["permissionsEnabled"].as_bool()),
        (Some("Posts after midnight"), Some(true))
    );
    assert_eq!(b["icon"]["id"], "abc123~mv2.png", "a media id is echoed back");
    assert_eq!((b["icon"]["width"].as_i64(), b["icon"]["height"].as_i64()), (Some(64), Some(32)));
    assert_eq!(b["icon"]["filename"], "owl.png");
    assert_ne!(b["createdDate"], "2001-01-01T00:00:00.000Z", "read-only fields are not taken from the request");
    let id = b["id"].as_str().unwrap().to_owned();

    let (status, got) = rest.send("GET", &format!("/badges/v4/badges/{id}?badgeId={id}"), &rest.key, None).await;
    assert_eq!((status, &got["badge"]), (StatusCode::OK, b));
    let (status, _) =
        rest.send("GET", &format!("/badges/v4/badges/{id}?badgeId={}", uuid::Uuid::new_v4()), &rest.key, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a repeated id must match the path");

    // partial: only the description changes; an update without a revision still counts one
    let (status, body) = rest
        .send(
            "PATCH",
            &format!("/badges/v4/badges/{id}"),
            &rest.key,
            Some(json!({"badge": {"id": id, "description": "Owls"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["badge"]["revision"].as_str(), body["badge"]["title"].as_str()), (Some("2"), Some("Night Owl")));
    assert_eq!(body["badge"]["description"], "Owls");
    assert!(body["badge"]["updatedDate"].as_str() > b["updatedDate"].as_str());
    // the slug follows the title; `icon: null` removes the icon
    let rename = json!({"badge": {"title": "Early Bird", "icon": null, "revision": "2"}});
    let (_, body) = rest.send("PATCH", &format!("/badges/v4/badges/{id}"), &rest.key, Some(rename)).await;
    assert_eq!((body["badge"]["slug"].as_str(), body["badge"]["revision"].as_str()), (Some("early-bird"), Some("3")));
    assert!(body["badge"].get("icon").is_none());
    // the dashboard sees the same badge
    let record = rest.app.store.badge(id.parse().unwrap()).await.unwrap().unwrap();
    assert_eq!((record.title.as_str(), record.revision), ("Early Bird", 3));

    let (status, body) = rest.send("PATCH", &format!("/badges/v4/badges/{id}"), &rest.key, Some(json!({}))).await;
    assert_eq!((status, violation(&body)["ruleName"].as_str()), (StatusCode::BAD_REQUEST, Some("BADGE_NOT_PROVIDED")));
    let too_long = json!({"badge": {"title": "x".repeat(51)}});
    let (status, body) = rest.send("PATCH", &format!("/badges/v4/badges/{id}"), &rest.key, Some(too_long)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (violation(&body)["field"].as_str(), violation(&body)["violatedRule"].as_str()),
        (Some("badge.title"), Some("MAX_LENGTH"))
    );

    let (status, body) = rest.send("DELETE", &format!("/badges/v4/badges/{id}?badgeId={id}"), &rest.key, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let (status, body) = rest.send("GET", &format!("/badges/v4/badges/{id}"), &rest.key, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "BADGE_NOT_FOUND"));
    let (status, _) = rest.send("DELETE", &format!("/badges/v4/badges/{id}"), &rest.key, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_stale_revision_is_a_conflict_and_changes_nothing(db: TestDb) {
    let rest = Rest::new(db).await;
    let b = rest.create("Helper").await;
    let id = b["id"].as_str().unwrap();
    let path = format!("/badges/v4/badges/{id}");
    let first = json!({"badge": {"id": id, "revision": "1", "title": "Helper Plus"}});
    assert_eq!(rest.send("PATCH", &path, &rest.key, Some(first)).await.0, StatusCode::OK);
    let stale = json!({"badge": {"id": id, "revision": "1", "title": "Lost", "description": "lost too"}});
    let (status, body) = rest.send("PATCH", &path, &rest.key, Some(stale)).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "REVISION_CONFLICT"));
    let (_, now) = rest.send("GET", &path, &rest.key, None).await;
    assert_eq!((now["badge"]["title"].as_str(), now["badge"]["description"].as_str()), (Some("Helper Plus"), Some("")));
    assert_eq!(now["badge"]["revision"], "2");
    let (status, _) = rest.send("PATCH", &path, &rest.key, Some(json!({"badge": {"revision": "two"}}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn keys_scopes_and_member_tokens_decide_who_may_call(db: TestDb) {
    let rest = Rest::new(db).await;
    let b = rest.create("Scoped").await;
    let get = format!("/badges/v4/badges/{}", b["id"].as_str().unwrap());
    let create = json!({"badge": {"title": "New", "backgroundColor": "#000000", "textColor": "#FFFFFF"}});
    for key in ["", "   ", "ins_notakeyatall00000000000000000000000000", "Bearer "] {
        let (status, body) = rest.send("GET", &get, key, None).await;
        assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"), "{key:?}");
    }
    let (status, _) = rest.send("POST", "/badges/v4/badges", "", Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no key: refused before the body is looked at");
    // a key one character off is no key
    let mut forged = rest.key.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(rest.send("GET", &get, &forged, None).await.0, StatusCode::UNAUTHORIZED);

    let reader = rest.key("badges.read").await;
    assert_eq!(rest.send("GET", &get, &reader, None).await.0, StatusCode::OK);
    assert_eq!(rest.send("GET", &get, &format!("Bearer {reader}"), None).await.0, StatusCode::OK);
    let (status, body) = rest.send("POST", "/badges/v4/badges", &reader, Some(create.clone())).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "FORBIDDEN"));
    let members_only = rest.key("members.read").await;
    assert_eq!(rest.send("GET", &get, &members_only, None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(rest.app.count("select count(*) from badges").await, 1, "nothing was created by refused calls");

    // a member's token reads badges but changes none
    insignia::auth::service::sign_up(&rest.app.store, "ann@example.com", "member-password-1").await.unwrap();
    let token = key_service::create_token_for(&rest.app.store, &Actor::System, "ann@example.com", "Ann's script")
        .await
        .unwrap()
        .secret;
    assert_eq!(rest.send("GET", &get, &token, None).await.0, StatusCode::OK);
    assert_eq!(rest.send("POST", "/badges/v4/badges", &token, Some(create.clone())).await.0, StatusCode::FORBIDDEN);
    assert_eq!(rest.send("DELETE", &get, &token, None).await.0, StatusCode::FORBIDDEN);

    // revoked: refused from the next request on
    let prefix = &reader[..insignia::auth::api_key::PREFIX_LEN];
    key_service::revoke_site_key(&rest.app.store, &Actor::System, prefix).await.unwrap();
    assert_eq!(rest.send("GET", &get, &reader, None).await.0, StatusCode::UNAUTHORIZED);
    // used keys say when
    let keys = key_service::list_site_keys(&rest.app.store, &Actor::System).await.unwrap();
    assert!(keys.iter().any(|k| k.scopes == "badges.manage" && k.last_used_at.is_some()));
}

async fn queries_filter_sort_and_page_by_offset_and_by_cursor(db: TestDb) {
    let rest = Rest::new(db).await;
    for title in ["Alpha", "beta", "Gamma", "Delta", "Epsilon"] {
        rest.create(title).await;
    }
    let rest = &rest;
    let query = |q: Value| async move {
        rest.send("POST", "/badges/v4/badges/query", &rest.key, Some(json!({"query": q}))).await
    };
    let titles = |body: &Value| -> Vec<String> {
        body["badges"].as_array().unwrap().iter().map(|b| b["title"].as_str().unwrap().to_owned()).collect()
    };
    // the builder's first request: newest first by default, with the total
    let (status, body) = query(json!({"filter": {}, "paging": {"offset": 0, "limit": 2}})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(titles(&body), ["Epsilon", "Delta"]);
    assert_eq!(
        (body["pagingMetadata"]["total"].as_i64(), body["pagingMetadata"]["count"].as_i64()),
        (Some(5), Some(2))
    );
    let (_, body) = query(json!({"paging": {"offset": 4, "limit": 2}})).await;
    assert_eq!(titles(&body), ["Alpha"]);
    // filters and sorts
    let (_, body) = query(json!({"filter": {"title": {"$startsWith": "B"}}})).await;
    assert_eq!(titles(&body), ["beta"], "startsWith ignores case");
    let (_, body) = query(json!({"filter": {"$or": [{"title": "Alpha"}, {"slug": {"$in": ["gamma", "nope"]}}]}, "sort": [{"fieldName": "title"}]})).await;
    assert_eq!(titles(&body), ["Alpha", "Gamma"]);
    let (_, body) = query(
        json!({"filter": {"$not": {"title": {"$contains": "l"}}}, "sort": [{"fieldName": "title", "order": "DESC"}]}),
    )
    .await;
    assert_eq!(titles(&body), ["beta", "Gamma"], "text sorts bytewise: lowercase after uppercase");
    let (status, body) = query(json!({"filter": {"memberCount": {"$gt": 1}}})).await;
    assert_eq!(
        (status, violation(&body)["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("query.filter.memberCount"))
    );

    // cursor paging: later requests send only the cursor, which carries filter and sort
    let first =
        json!({"filter": {"title": {"$ne": "Gamma"}}, "sort": [{"fieldName": "title"}], "cursorPaging": {"limit": 2}});
    let (_, body) = query(first).await;
    assert_eq!(titles(&body), ["Alpha", "Delta"]);
    let mut seen = titles(&body);
    let mut cursor = body["pagingMetadata"]["cursors"]["next"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let (status, page) = query(json!({"cursorPaging": {"cursor": c, "limit": 2}})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(titles(&page));
        cursor = page["pagingMetadata"]["cursors"]["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, ["Alpha", "Delta", "Epsilon", "beta"], "every match once, in order, then no next cursor");
    let (status, _) = query(json!({"cursorPaging": {"cursor": "eyJmIjp7fX0.forged", "limit": 2}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = query(json!({"paging": {"limit": 1000}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn display_order_and_moves_follow_the_contract(db: TestDb) {
    let rest = Rest::new(db).await;
    let ids: Vec<String> = [rest.create("One").await, rest.create("Two").await, rest.create("Three").await]
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .collect();
    let rest = &rest;
    let order = |body: &Value| -> Vec<String> {
        body["badges"].as_array().unwrap().iter().map(|b| b["title"].as_str().unwrap().to_owned()).collect()
    };
    let (status, body) = rest.send("POST", "/badges/v4/badges/order", &rest.key, Some(json!({"ids": [ids[2]]}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(order(&body), ["Three", "One", "Two"], "every badge, the ids sent first");
    let mv = |id: &str, body: Value| {
        let path = format!("/badges/v4/badges/{id}/move");
        async move { rest.send("POST", &path, &rest.key, Some(body)).await }
    };
    assert_eq!(
        mv(&ids[0], json!({"badgeId": ids[0], "position": "AFTER", "moveAfterBadgeId": ids[1]})).await,
        (StatusCode::OK, json!({}))
    );
    assert_eq!(mv(&ids[1], json!({"position": "FIRST"})).await.0, StatusCode::OK);
    let (_, body) = rest.send("POST", "/badges/v4/badges/order", &rest.key, Some(json!({"ids": [ids[1]]}))).await;
    assert_eq!(order(&body), ["Two", "Three", "One"]);
    assert_eq!(mv(&ids[1], json!({})).await.0, StatusCode::OK, "no position: last");
    let (_, body) = rest.send("POST", "/badges/v4/badges/order", &rest.key, Some(json!({"ids": [ids[2]]}))).await;
    assert_eq!(order(&body), ["Three", "One", "Two"]);
    assert_eq!(mv(&ids[0], json!({"position": "AFTER"})).await.0, StatusCode::BAD_REQUEST);
    let unknown = uuid::Uuid::new_v4().to_string();
    assert_eq!(mv(&ids[0], json!({"position": "AFTER", "moveAfterBadgeId": unknown})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(mv(&unknown, json!({"position": "FIRST"})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        rest.send("POST", "/badges/v4/badges/order", &rest.key, Some(json!({"ids": []}))).await.0,
        StatusCode::BAD_REQUEST
    );
}

async fn bad_requests_answer_json_errors_never_html_or_500(db: TestDb) {
    let rest = Rest::new(db).await;
    let rest = &rest;
    let raw = |body: String| {
        let req = rest.http.post(rest.app.url("/badges/v4/badges")).header("authorization", &rest.key).body(body);
        async move {
            let res = req.send().await.unwrap();
            (res.status(), res.json::<Value>().await.unwrap())
        }
    };
    for body in ["{", "[]", "null", r#"{"badge": {"title": 5}}"#, r#"{"badge": "x"}"#] {
        let (status, json) = raw(body.to_owned()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {json}");
        assert!(json["details"]["validationError"].is_object());
    }
    let (status, json) = raw(r#"{"badge": {"title": 5}}"#.to_owned()).await;
    assert_eq!((status, violation(&json)["field"].as_str()), (StatusCode::BAD_REQUEST, Some("badge.title")));
    // on a client of its own: the server answers before reading the whole body and closes that
    // connection, which a shared client's pool would otherwise hand to the next request
    let oversized = format!(r#"{{"badge": {{"description": "{}"}}}}"#, "x".repeat(2 * 1024 * 1024));
    let res = reqwest::Client::new()
        .post(rest.app.url("/badges/v4/badges"))
        .header("authorization", &rest.key)
        .body(oversized)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "a body over the limit is refused: {}", res.status());
    let (status, body) = rest.send("GET", "/badges/v4/badges/not-a-guid", &rest.key, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = rest.send("GET", "/badges/v4/nothing/here", &rest.key, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
    let (status, body) = rest.send("PUT", "/badges/v4/badges/query", &rest.key, Some(json!({}))).await;
    assert_eq!((status, code(&body)), (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"));
    // the hosted API's `/_api` form of the same routes
    let (status, body) = rest.send("POST", "/_api/badges/v4/badges/query", &rest.key, Some(json!({}))).await;
    assert_eq!((status, body["pagingMetadata"]["total"].as_i64()), (StatusCode::OK, Some(0)));
    // the document lists the operations
    let doc: Value = rest.http.get(rest.app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["paths"]["/badges/v4/badges/{badgeId}"]["patch"].is_object());
}

async fn each_key_is_rate_limited_on_its_own(db: TestDb) {
    let app = TestApp::spawn_limited(db, 5).await;
    let key = key_service::create_site_key(&app.store, &Actor::System, "busy", "badges.read").await.unwrap().secret;
    let other = key_service::create_site_key(&app.store, &Actor::System, "calm", "badges.read").await.unwrap().secret;
    let http = reqwest::Client::new();
    let call = |key: &str| http.post(app.url("/badges/v4/badges/query")).header("authorization", key).body("{}").send();
    for _ in 0..5 {
        assert_eq!(call(&key).await.unwrap().status(), StatusCode::OK);
    }
    let refused = call(&key).await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&wait), "Retry-After {wait}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(code(&body), "TOO_MANY_REQUESTS");
    assert_eq!(call(&other).await.unwrap().status(), StatusCode::OK, "another key is not slowed down");
}

async fn a_dashboard_session_cookie_does_not_reach_the_rest_api(db: TestDb) {
    let app = crate::api::app_with_owner(db).await;
    let browser = crate::api::logged_in(&app, crate::api::OWNER.0, crate::api::OWNER.1).await;
    // a page on another site can make the browser send its cookies, never an Authorization header
    let res = browser
        .post(app.url("/badges/v4/badges"))
        .header("content-type", "application/json")
        .body(r##"{"badge": {"title": "Forged", "backgroundColor": "#000000", "textColor": "#FFFFFF"}}"##)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("select count(*) from badges").await, 0);
}

async fn a_token_is_no_login_for_the_dashboard(db: TestDb) {
    let app = TestApp::spawn(db).await;
    insignia::auth::service::sign_up(&app.store, "ann@example.com", "member-password-1").await.unwrap();
    let token =
        key_service::create_token_for(&app.store, &Actor::System, "ann@example.com", "leaked").await.unwrap().secret;
    // a leaked token must not mint more tokens (revoking it would then not shut the thief out)
    let res = reqwest::Client::new()
        .post(app.url(<insignia::auth::key_api::CreateKey as leptos::server_fn::ServerFn>::PATH))
        .header("authorization", &token)
        .form(&[("name", "another")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("select count(*) from api_keys").await, 1);
}

async fn moves_stay_exact_after_a_badge_is_deleted(db: TestDb) {
    let rest = Rest::new(db).await;
    let mut ids = Vec::new();
    for title in ["A", "B", "C", "D", "E"] {
        ids.push(rest.create(title).await["id"].as_str().unwrap().to_owned());
    }
    // a gap in the stored positions
    rest.send("DELETE", &format!("/badges/v4/badges/{}", ids[1]), &rest.key, None).await;
    rest.send(
        "POST",
        &format!("/badges/v4/badges/{}/move", ids[4]),
        &rest.key,
        Some(json!({"position": "AFTER", "moveAfterBadgeId": ids[0]})),
    )
    .await;
    let order = |body: &Value| -> Vec<String> {
        body["badges"].as_array().unwrap().iter().map(|b| b["title"].as_str().unwrap().to_owned()).collect()
    };
    let (_, body) = rest.send("POST", "/badges/v4/badges/order", &rest.key, Some(json!({"ids": [ids[0]]}))).await;
    assert_eq!(order(&body), ["A", "E", "C", "D"]);
    let distinct = rest.app.count("select count(distinct position) from badges").await;
    assert_eq!(distinct, 4, "every badge has a place of its own");
}
