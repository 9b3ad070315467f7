//! A REST client for the REST tests: the app, a `badges.manage` key, and calls that check every
//! answer is JSON with a request id.

use crate::common::{TestApp, TestDb};
use insignia::auth::actor::Actor;
use insignia::auth::key_service;
use reqwest::StatusCode;
use serde_json::{json, Value};

pub struct Rest {
    pub app: TestApp,
    pub http: reqwest::Client,
    /// `badges.manage`
    pub key: String,
}

impl Rest {
    pub async fn new(db: TestDb) -> Rest {
        let app = TestApp::spawn(db).await;
        let key =
            key_service::create_site_key(&app.store, &Actor::System, "Tests", "badges.manage").await.unwrap().secret;
        Rest { http: reqwest::Client::new(), app, key }
    }

    /// A site key with these scopes (also its name).
    pub async fn key(&self, scopes: &str) -> String {
        key_service::create_site_key(&self.app.store, &Actor::System, scopes, scopes).await.unwrap().secret
    }

    /// Signs a member up (approved: the site does not require approval) and gives them a token.
    pub async fn member_token(&self, email: &str) -> String {
        insignia::auth::service::sign_up(&self.app.store, email, "member-password-1").await.unwrap();
        key_service::create_token_for(&self.app.store, &Actor::System, email, "script").await.unwrap().secret
    }

    pub async fn send(&self, method: &str, path: &str, key: &str, body: Option<Value>) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, self.app.url(path)).header("authorization", key);
        if let Some(body) = body {
            req = req.header("content-type", "application/json").body(body.to_string());
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        assert!(res.headers().contains_key("x-wix-request-id"), "{path}: every answer carries the request id");
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path} answered non-JSON: {text}")))
    }

    /// A badge made through Badges V4.
    pub async fn create(&self, title: &str) -> Value {
        let badge = json!({"badge": {"title": title, "backgroundColor": "#112233", "textColor": "#FFFFFF"}});
        let (status, body) = self.send("POST", "/badges/v4/badges", &self.key, Some(badge)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["badge"].clone()
    }
}

/// `applicationError.code` of an error answer.
pub fn code(body: &Value) -> &str {
    body["details"]["applicationError"]["code"].as_str().unwrap_or_default()
}

/// The first field violation of a validation error.
pub fn violation(body: &Value) -> &Value {
    &body["details"]["validationError"]["fieldViolations"][0]
}
