//! Badges V3 over REST: the same badges as V4 and the dashboard, and the assignment methods.

use crate::common::TestDb;
use insignia::auth::actor::Actor;
use insignia::auth::key_service;
use insignia::domain::PrivacyStatus;
use reqwest::StatusCode;
use serde_json::{json, Value};

crate::on_both_backends!(v3_badges_are_v4_badges_and_assign_by_member_ids, v3_holders_follow_who_may_see_them);

const BASE: &str = "/_api/members/v3/badges";

async fn send(
    app: &crate::common::TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), app.url(path))
        .header("authorization", key);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}")))
}

async fn member(app: &crate::common::TestApp, email: &str, public: bool) -> uuid::Uuid {
    let account = insignia::auth::service::sign_up(&app.store, email, "member-password-1").await.unwrap();
    let id = account.member.unwrap().id;
    if public {
        app.store.set_member_privacy(id, PrivacyStatus::Public).await.unwrap();
    }
    id
}

async fn v3_badges_are_v4_badges_and_assign_by_member_ids(db: TestDb) {
    let app = crate::common::TestApp::spawn(db).await;
    let key = key_service::create_site_key(&app.store, &Actor::System, "v3", "badges.manage").await.unwrap().secret;
    let badge = json!({"badge": {"title": "Old Guard", "backgroundColor": "#796EFF", "textColor": "#FFFFFF", "icon": "https://x.example/o.svg"}});
    let (status, body) = send(&app, "POST", BASE, &key, Some(badge)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let b = &body["badge"];
    assert_eq!((b["icon"].as_str(), b["slug"].as_str()), (Some("https://x.example/o.svg"), Some("old-guard")));
    assert!(b.get("revision").is_none(), "V3 has no revision");
    let id = b["id"].as_str().unwrap().to_owned();
    let (_, v4) = send(&app, "GET", &format!("/badges/v4/badges/{id}"), &key, None).await;
    assert_eq!(v4["badge"]["icon"]["url"], "https://x.example/o.svg");
    // every prefix the SDK's mappings use reaches the same badge
    for prefix in ["/badges/v3/badges", "/members/v3/badges", BASE] {
        let (status, got) = send(&app, "GET", &format!("{prefix}/{id}?id={id}"), &key, None).await;
        assert_eq!((status, got["badge"]["title"].as_str()), (StatusCode::OK, Some("Old Guard")), "{prefix}");
    }
    let (_, body) = send(
        &app,
        "PATCH",
        &format!("{BASE}/{id}"),
        &key,
        Some(json!({"badge": {"id": id, "title": "New Guard", "icon": ""}})),
    )
    .await;
    assert_eq!((body["badge"]["slug"].as_str(), body["badge"].get("icon")), (Some("new-guard"), None));

    let (ann, bo) = (member(&app, "ann@example.com", true).await, member(&app, "bo@example.com", false).await);
    let ghost = uuid::Uuid::new_v4();
    let (status, body) = send(
        &app,
        "POST",
        &format!("{BASE}/{id}/members"),
        &key,
        Some(json!({"id": id, "memberIds": [ann, bo, ghost]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["memberIds"], json!([ann, bo]), "the ids assigned by this call");
    let (_, again) = send(&app, "POST", &format!("{BASE}/{id}/members"), &key, Some(json!({"memberIds": [ann]}))).await;
    assert_eq!(again["memberIds"], json!([]), "already held: nothing assigned");

    let (_, holders) = send(&app, "GET", &format!("{BASE}/{id}/members?id={id}&paging.limit=1"), &key, None).await;
    assert_eq!((holders["memberIds"].as_array().unwrap().len(), holders["metadata"]["total"].as_i64()), (1, Some(2)));
    let (_, per) = send(&app, "POST", &format!("{BASE}/members"), &key, Some(json!({"memberIds": [ann, ghost]}))).await;
    assert_eq!(
        per["memberBadgeIds"],
        json!([{"memberId": ann, "badgeIds": [id]}, {"memberId": ghost, "badgeIds": []}])
    );
    let (status, counts) = send(&app, "GET", &format!("{BASE}/members/count"), &key, None).await;
    assert_eq!((status, &counts["badgeMemberCounts"]), (StatusCode::OK, &json!([{"badgeId": id, "memberCount": 2}])));

    let (status, body) =
        send(&app, "DELETE", &format!("{BASE}/{id}/members?id={id}&memberIds={ann}&memberIds={bo}"), &key, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    assert_eq!(app.count("select count(*) from badge_assignments").await, 0);

    let other = send(
        &app,
        "POST",
        BASE,
        &key,
        Some(json!({"badge": {"title": "Second", "backgroundColor": "#000000", "textColor": "#FFFFFF"}})),
    )
    .await
    .1;
    let other_id = other["badge"]["id"].as_str().unwrap();
    let (status, body) =
        send(&app, "PATCH", &format!("{BASE}/order"), &key, Some(json!({"badgeIds": [other_id]}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let titles: Vec<&str> = body["badges"].as_array().unwrap().iter().map(|b| b["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Second", "New Guard"]);
    let (_, list) = send(&app, "GET", &format!("{BASE}?paging.limit=1&paging.offset=1"), &key, None).await;
    assert_eq!((list["badges"][0]["title"].as_str(), list["metadata"]["total"].as_i64()), (Some("New Guard"), Some(2)));
    let (status, _) = send(&app, "GET", &format!("{BASE}?paging.limit=5000"), &key, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, body) = send(&app, "DELETE", &format!("{BASE}/{id}?id={id}"), &key, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    assert_eq!(send(&app, "GET", &format!("{BASE}/{id}"), &key, None).await.0, StatusCode::NOT_FOUND);
}

async fn v3_holders_follow_who_may_see_them(db: TestDb) {
    let app = crate::common::TestApp::spawn(db).await;
    let key = key_service::create_site_key(&app.store, &Actor::System, "v3", "badges.manage").await.unwrap().secret;
    let reader = key_service::create_site_key(&app.store, &Actor::System, "r", "badges.read").await.unwrap().secret;
    let (_, body) = send(
        &app,
        "POST",
        BASE,
        &key,
        Some(json!({"badge": {"title": "Seen", "backgroundColor": "#000000", "textColor": "#FFFFFF"}})),
    )
    .await;
    let id = body["badge"]["id"].as_str().unwrap().to_owned();
    let (public, private) =
        (member(&app, "pub@example.com", true).await, member(&app, "priv@example.com", false).await);
    send(&app, "POST", &format!("{BASE}/{id}/members"), &key, Some(json!({"memberIds": [public, private]}))).await;
    let holders = |key: String| {
        let path = format!("{BASE}/{id}/members");
        let app = &app;
        async move { send(app, "GET", &path, &key, None).await.1 }
    };
    assert_eq!(holders(reader.clone()).await["metadata"]["total"], 2, "a key with badges.read sees every holder");
    let (status, _) =
        send(&app, "POST", &format!("{BASE}/{id}/members"), &reader, Some(json!({"memberIds": [public]}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reading is not assigning");
    // a member's token: only public, approved holders, and their badges only
    let token =
        key_service::create_token_for(&app.store, &Actor::System, "pub@example.com", "mine").await.unwrap().secret;
    let seen = holders(token.clone()).await;
    assert_eq!((seen["memberIds"].clone(), seen["metadata"]["total"].as_i64()), (json!([public]), Some(1)));
    let (_, per) =
        send(&app, "POST", &format!("{BASE}/members"), &token, Some(json!({"memberIds": [public, private]}))).await;
    assert_eq!(
        per["memberBadgeIds"],
        json!([{"memberId": public, "badgeIds": [id]}, {"memberId": private, "badgeIds": []}])
    );
    assert_eq!(
        send(&app, "DELETE", &format!("{BASE}/{id}/members?memberIds={public}"), &token, None).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("select count(*) from badge_assignments").await, 2);
}
