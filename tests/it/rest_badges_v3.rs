//! Badges V3 over REST: the same badges as V4 and the dashboard, and the assignment methods.

use crate::common::by_system;
use crate::common::TestDb;
use insignia::auth::actor::Actor;
use insignia::auth::key_service;
use insignia::domain::PrivacyStatus;
use reqwest::StatusCode;
use serde_json::json;

crate::on_both_backends!(v3_badges_are_v4_badges_and_assign_by_member_ids, v3_holders_follow_who_may_see_them);

const BASE: &str = "/_api/members/v3/badges";

async fn member(app: &crate::common::TestApp, email: &str, public: bool) -> uuid::Uuid {
    let account = insignia::auth::service::sign_up(&app.store, email, "member-password-1").await.unwrap();
    let id = account.member.unwrap().id;
    if public {
        app.store.acting(&by_system()).set_member_privacy(id, PrivacyStatus::Public).await.unwrap();
    }
    id
}

async fn v3_badges_are_v4_badges_and_assign_by_member_ids(db: TestDb) {
    let rest = crate::rest::Rest::new(db).await;
    let (app, key) = (&rest.app, rest.key.clone());
    let badge = json!({"badge": {"title": "Old Guard", "backgroundColor": "#796EFF", "textColor": "#FFFFFF", "icon": "https://x.example/o.svg"}});
    let (status, body) = rest.send("POST", BASE, &key, Some(badge)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let b = &body["badge"];
    assert_eq!((b["icon"].as_str(), b["slug"].as_str()), (Some("https://x.example/o.svg"), Some("old-guard")));
    assert!(b.get("revision").is_none(), "V3 has no revision");
    let id = b["id"].as_str().unwrap().to_owned();
    let (_, v4) = rest.send("GET", &format!("/badges/v4/badges/{id}"), &key, None).await;
    assert_eq!(v4["badge"]["icon"]["url"], "https://x.example/o.svg");
    // every prefix the SDK's mappings use reaches the same badge
    for prefix in ["/badges/v3/badges", "/members/v3/badges", BASE] {
        let (status, got) = rest.send("GET", &format!("{prefix}/{id}?id={id}"), &key, None).await;
        assert_eq!((status, got["badge"]["title"].as_str()), (StatusCode::OK, Some("Old Guard")), "{prefix}");
    }
    let (_, body) = rest
        .send(
            "PATCH",
            &format!("{BASE}/{id}"),
            &key,
            Some(json!({"badge": {"id": id, "title": "New Guard", "icon": ""}})),
        )
        .await;
    assert_eq!((body["badge"]["slug"].as_str(), body["badge"].get("icon")), (Some("new-guard"), None));

    let (ann, bo) = (member(app, "ann@example.com", true).await, member(app, "bo@example.com", false).await);
    let ghost = uuid::Uuid::new_v4();
    let (status, body) = rest
        .send("POST", &format!("{BASE}/{id}/members"), &key, Some(json!({"id": id, "memberIds": [ann, bo, ghost]})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["memberIds"], json!([ann, bo]), "the ids assigned by this call");
    let (_, again) = rest.send("POST", &format!("{BASE}/{id}/members"), &key, Some(json!({"memberIds": [ann]}))).await;
    assert_eq!(again["memberIds"], json!([]), "already held: nothing assigned");

    let (_, holders) = rest.send("GET", &format!("{BASE}/{id}/members?id={id}&paging.limit=1"), &key, None).await;
    assert_eq!((holders["memberIds"].as_array().unwrap().len(), holders["metadata"]["total"].as_i64()), (1, Some(2)));
    let (_, per) = rest.send("POST", &format!("{BASE}/members"), &key, Some(json!({"memberIds": [ann, ghost]}))).await;
    assert_eq!(
        per["memberBadgeIds"],
        json!([{"memberId": ann, "badgeIds": [id]}, {"memberId": ghost, "badgeIds": []}])
    );
    let (status, counts) = rest.send("GET", &format!("{BASE}/members/count"), &key, None).await;
    assert_eq!((status, &counts["badgeMemberCounts"]), (StatusCode::OK, &json!([{"badgeId": id, "memberCount": 2}])));

    let (status, body) =
        rest.send("DELETE", &format!("{BASE}/{id}/members?id={id}&memberIds={ann}&memberIds={bo}"), &key, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    assert_eq!(app.count("select count(*) from badge_assignments").await, 0);

    let other = rest
        .send(
            "POST",
            BASE,
            &key,
            Some(json!({"badge": {"title": "Second", "backgroundColor": "#000000", "textColor": "#FFFFFF"}})),
        )
        .await
        .1;
    let other_id = other["badge"]["id"].as_str().unwrap();
    let (status, body) =
        rest.send("PATCH", &format!("{BASE}/order"), &key, Some(json!({"badgeIds": [other_id]}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let titles: Vec<&str> = body["badges"].as_array().unwrap().iter().map(|b| b["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Second", "New Guard"]);
    let (_, list) = rest.send("GET", &format!("{BASE}?paging.limit=1&paging.offset=1"), &key, None).await;
    assert_eq!((list["badges"][0]["title"].as_str(), list["metadata"]["total"].as_i64()), (Some("New Guard"), Some(2)));
    let (status, _) = rest.send("GET", &format!("{BASE}?paging.limit=5000"), &key, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, body) = rest.send("DELETE", &format!("{BASE}/{id}?id={id}"), &key, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    assert_eq!(rest.send("GET", &format!("{BASE}/{id}"), &key, None).await.0, StatusCode::NOT_FOUND);
}

async fn v3_holders_follow_who_may_see_them(db: TestDb) {
    let rest = crate::rest::Rest::new(db).await;
    let (app, key) = (&rest.app, rest.key.clone());
    let reader = key_service::create_site_key(&app.store, &Actor::System, "r", "badges.read").await.unwrap().secret;
    let (_, body) = rest
        .send(
            "POST",
            BASE,
            &key,
            Some(json!({"badge": {"title": "Seen", "backgroundColor": "#000000", "textColor": "#FFFFFF"}})),
        )
        .await;
    let id = body["badge"]["id"].as_str().unwrap().to_owned();
    let (public, private) = (member(app, "pub@example.com", true).await, member(app, "priv@example.com", false).await);
    rest.send("POST", &format!("{BASE}/{id}/members"), &key, Some(json!({"memberIds": [public, private]}))).await;
    let holders = |key: String| {
        let path = format!("{BASE}/{id}/members");
        let rest = &rest;
        async move { rest.send("GET", &path, &key, None).await.1 }
    };
    assert_eq!(holders(reader.clone()).await["metadata"]["total"], 2, "a key with badges.read sees every holder");
    let (status, _) =
        rest.send("POST", &format!("{BASE}/{id}/members"), &reader, Some(json!({"memberIds": [public]}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reading is not assigning");
    // a member's token: only public, approved holders, and their badges only
    let token =
        key_service::create_token_for(&app.store, &Actor::System, "pub@example.com", "mine").await.unwrap().secret;
    let seen = holders(token.clone()).await;
    assert_eq!((seen["memberIds"].clone(), seen["metadata"]["total"].as_i64()), (json!([public]), Some(1)));
    let (_, per) =
        rest.send("POST", &format!("{BASE}/members"), &token, Some(json!({"memberIds": [public, private]}))).await;
    assert_eq!(
        per["memberBadgeIds"],
        json!([{"memberId": public, "badgeIds": [id]}, {"memberId": private, "badgeIds": []}])
    );
    assert_eq!(
        rest.send("DELETE", &format!("{BASE}/{id}/members?memberIds={public}"), &token, None).await.0,
        StatusCode::FORBIDDEN
    );
    // and the holder counts it is told leave the private holder out as the list does
    let (_, counts) = rest.send("GET", &format!("{BASE}/members/count"), &token, None).await;
    assert_eq!(counts["badgeMemberCounts"], json!([{"badgeId": id, "memberCount": 1}]));
    let (_, counts) = rest.send("GET", &format!("{BASE}/members/count"), &reader, None).await;
    assert_eq!(counts["badgeMemberCounts"], json!([{"badgeId": id, "memberCount": 2}]), "a key counts every holder");
    assert_eq!(app.count("select count(*) from badge_assignments").await, 2);
}
