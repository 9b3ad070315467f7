//! The REST routes and the OpenAPI document name the same operations: every operation of the
//! contract is routed and documented, every documented operation is routed, and nothing else is
//! documented. `/api` shows them to people.

use crate::common::{TestApp, TestDb};
use insignia::auth::actor::Actor;
use insignia::auth::key_service;
use reqwest::StatusCode;
use serde_json::Value;

crate::on_both_backends!(routes_and_document_agree);

/// The operations of REST_CONTRACT §5 (Badges V4) and §7 (Badges V3), as the document writes
/// their paths (§6 and §8 below).
const CONTRACT: [(&str, &str); 18] = [
    ("POST", "/badges/v4/badges"),
    ("GET", "/badges/v4/badges/{badgeId}"),
    ("PATCH", "/badges/v4/badges/{badgeId}"),
    ("DELETE", "/badges/v4/badges/{badgeId}"),
    ("POST", "/badges/v4/badges/query"),
    ("POST", "/badges/v4/badges/order"),
    ("POST", "/badges/v4/badges/{badgeId}/move"),
    ("POST", "/_api/members/v3/badges"),
    ("GET", "/_api/members/v3/badges"),
    ("GET", "/_api/members/v3/badges/{id}"),
    ("PATCH", "/_api/members/v3/badges/{id}"),
    ("DELETE", "/_api/members/v3/badges/{id}"),
    ("POST", "/_api/members/v3/badges/{id}/members"),
    ("DELETE", "/_api/members/v3/badges/{id}/members"),
    ("GET", "/_api/members/v3/badges/{id}/members"),
    ("POST", "/_api/members/v3/badges/members"),
    ("GET", "/_api/members/v3/badges/members/count"),
    ("PATCH", "/_api/members/v3/badges/order"),
];

/// The operations of REST_CONTRACT §6 (Badge Assignments V4).
const ASSIGNMENTS_V4: [(&str, &str); 7] = [
    ("POST", "/badges/v4/badge-assignments"),
    ("POST", "/badges/v4/bulk/badge-assignments/create"),
    ("POST", "/badges/v4/badge-assignments/query"),
    ("DELETE", "/badges/v4/badge-assignments/{badgeAssignmentId}"),
    ("POST", "/badges/v4/bulk/badge-assignments/delete"),
    ("POST", "/badges/v4/bulk/badge-assignments/bulk-update-tags"),
    ("POST", "/badges/v4/bulk/badge-assignments/update-tags-by-filter"),
];

/// The operations of REST_CONTRACT §8 (Members V1).
const MEMBERS_V1: [(&str, &str); 24] = [
    ("GET", "/_api/members/v1/members"),
    ("POST", "/_api/members/v1/members"),
    ("GET", "/_api/members/v1/members/my"),
    ("DELETE", "/_api/members/v1/members/my"),
    ("POST", "/_api/members/v1/members/my/slug"),
    ("POST", "/_api/members/v1/members/join-community"),
    ("POST", "/_api/members/v1/members/leave-community"),
    ("POST", "/_api/members/v1/members/query"),
    ("POST", "/_api/members/v1/members/bulk/delete"),
    ("POST", "/_api/members/v1/members/bulk/delete-by-filter"),
    ("POST", "/_api/members/v1/members/bulk/approve-by-filter"),
    ("POST", "/_api/members/v1/members/bulk/block-by-filter"),
    ("GET", "/_api/members/v1/members/{id}"),
    ("PATCH", "/_api/members/v1/members/{id}"),
    ("DELETE", "/_api/members/v1/members/{id}"),
    ("POST", "/_api/members/v1/members/{id}/slug"),
    ("POST", "/_api/members/v1/members/{id}/mute"),
    ("POST", "/_api/members/v1/members/{id}/unmute"),
    ("POST", "/_api/members/v1/members/{id}/approve"),
    ("POST", "/_api/members/v1/members/{id}/block"),
    ("POST", "/_api/members/v1/members/{id}/disconnect"),
    ("DELETE", "/_api/members/v1/members/{id}/phones"),
    ("DELETE", "/_api/members/v1/members/{id}/emails"),
    ("DELETE", "/_api/members/v1/members/{id}/addresses"),
];

async fn routes_and_document_agree(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let key = key_service::create_site_key(&app.store, &Actor::System, "routes", "badges.read").await.unwrap().secret;
    let http = reqwest::Client::new();
    let doc: Value = http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut contract: Vec<(String, String)> = CONTRACT
        .iter()
        .chain(&ASSIGNMENTS_V4)
        .chain(&MEMBERS_V1)
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    contract.sort();
    assert_eq!(documented, contract, "the document lists exactly the contract's operations");

    // each one is routed: an unrouted path answers the catch-all's plain NOT_FOUND
    let id = uuid::Uuid::new_v4().to_string();
    for (method, path) in &documented {
        let url = app.url(&with_ids(path, &id));
        let res = http
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
            .header("authorization", &key)
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        let code = body["details"]["applicationError"]["code"].as_str().unwrap_or_default().to_owned();
        assert!(code != "NOT_FOUND", "{method} {path} is documented but not routed ({status} {body})");
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
    }

    let page = http.get(app.url("/api")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for (_, path) in &contract {
        assert!(html.contains(path.as_str()), "/api shows {path}");
    }
    assert!(html.contains("curl -X POST"), "with examples");
    assert!(!html.contains("<script"), "a page without scripts");
}

/// The path with every `{param}` replaced by `id`.
fn with_ids(path: &str, id: &str) -> String {
    path.split('/')
        .map(|segment| if segment.starts_with('{') && segment.ends_with('}') { id } else { segment })
        .collect::<Vec<_>>()
        .join("/")
}
