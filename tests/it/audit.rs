//! The audit log through HTTP, on both backends: each edge records who made the change (a
//! session, a site key, a member's token, a visitor signing up), the log is for owners and
//! admins only, its filters are checked field by field, and the CSV export follows the filters
//! and writes formulas as text.

use crate::api::{app_with_owner, logged_in, signed_up_member, OWNER};
use crate::common::{TestApp, TestDb};
use crate::rest::Rest;
use insignia::audit::api::AuditLog;
use insignia::audit::AuditPage;
use insignia::auth::actor::Actor;
use insignia::auth::key_service;
use insignia::badges::api::SaveBadge;
use insignia::domain::event::{ActorKind, EntityType, EventAction};
use insignia::error::AppError;
use reqwest::StatusCode;
use serde_json::json;

crate::on_both_backends!(
    each_edge_records_who_made_the_change,
    the_log_is_for_staff_and_says_what_changed_in_words,
    the_csv_export_follows_the_filters_and_defuses_formulas,
);

async fn log(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> Result<AuditPage, AppError> {
    let res = app.call::<AuditLog>(client, form).await;
    if res.status().is_success() {
        Ok(res.json().await.unwrap())
    } else {
        Err(crate::api::error_of(res).await.1)
    }
}

async fn save_badge(app: &TestApp, client: &reqwest::Client, extra: &[(&str, &str)], title: &str) {
    let mut form =
        vec![("title", title), ("description", ""), ("background_color", "#112233"), ("text_color", "#ffffff")];
    form.extend_from_slice(extra);
    let res = app.call::<SaveBadge>(client, &form).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "save: {}", res.status());
}

async fn each_edge_records_who_made_the_change(db: TestDb) {
    let rest = Rest::new(db).await;
    let app = &rest.app;
    insignia::auth::service::create_owner(&app.store, OWNER.0, OWNER.1).await.unwrap();
    let owner = logged_in(app, OWNER.0, OWNER.1).await;
    // a session
    save_badge(app, &owner, &[], "From the dashboard").await;
    // a site key
    let made = rest.create("From a key").await;
    // a visitor signing up, then the member's token joining the community
    signed_up_member(app, "ann@example.com").await;
    let token = key_service::create_token_for(&app.store, &Actor::System, "ann@example.com", "script").await.unwrap();
    let (status, body) =
        rest.send("POST", "/_api/members/v1/members/join-community", &token.secret, Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let page = log(app, &owner, &[]).await.unwrap();
    let who = |name: &str| {
        let entry =
            page.entries.iter().find(|e| e.entity_name == name).unwrap_or_else(|| panic!("no entry for {name}"));
        (entry.actor_kind, entry.actor.clone(), entry.action)
    };
    assert_eq!(who("From the dashboard"), (ActorKind::Account, OWNER.0.to_owned(), EventAction::Created));
    let (kind, label, _) = who("From a key");
    assert_eq!(kind, ActorKind::ApiKey);
    assert!(rest.key.starts_with(&label) && !label.is_empty(), "the key's prefix ({label}), never the key");
    assert!(!page.entries.iter().any(|e| e.actor.contains(&rest.key)), "no secret in the log");
    let ann: Vec<_> = page.entries.iter().filter(|e| e.entity_name == "ann@example.com").collect();
    let actions: Vec<_> = ann.iter().map(|e| (e.action, e.actor_kind)).collect();
    assert_eq!(actions, [(EventAction::Joined, ActorKind::MemberToken), (EventAction::Created, ActorKind::Visitor)]);
    assert!(ann[0].actor.starts_with("ann@example.com ("), "{}", ann[0].actor);
    assert_eq!(made["title"], "From a key");
}

async fn the_log_is_for_staff_and_says_what_changed_in_words(db: TestDb) {
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    save_badge(&app, &owner, &[], "Night Owl").await;
    let badge = app.store.badge_by_slug("night-owl").await.unwrap().unwrap();
    let (id, revision) = (badge.id.to_string(), badge.revision.to_string());
    save_badge(&app, &owner, &[("id", &id), ("revision", &revision)], "Night Owls").await;

    let history = log(&app, &owner, &[("entity", &id)]).await.unwrap();
    let lines: Vec<_> = history.entries.iter().map(|e| (e.action, e.changes.clone())).collect();
    assert_eq!(
        lines,
        [
            (
                EventAction::Updated,
                vec!["title: Night Owl → Night Owls".to_owned(), "address: night-owl → night-owls".to_owned()]
            ),
            (EventAction::Created, vec![]),
        ]
    );
    assert!(history.entries.iter().all(|e| e.entity_type == EntityType::Badge));

    // a member and a visitor are refused; a filter that does not read names its field
    let member = signed_up_member(&app, "bo@example.com").await;
    assert_eq!(log(&app, &member, &[]).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(log(&app, &app.client(), &[]).await.unwrap_err(), AppError::Unauthorized);
    for (field, value) in [("from", "yesterday"), ("entity", "42"), ("action", "exploded")] {
        match log(&app, &owner, &[(field, value)]).await {
            Err(AppError::Validation { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}={value}: {other:?}"),
        }
    }
    // the page shows the log with its filters
    let html = app.page(&owner, &format!("/dashboard/audit?entity={id}")).await.text().await.unwrap();
    assert!(html.contains("title: Night Owl → Night Owls"), "the difference in words on the page");
    assert!(html.contains("Showing one entity"));
    let refused = app.page(&member, "/dashboard/audit").await.text().await.unwrap();
    assert!(!refused.contains("Night Owl"), "a member sees no entry");
}

async fn the_csv_export_follows_the_filters_and_defuses_formulas(db: TestDb) {
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    save_badge(&app, &owner, &[], "=HYPERLINK(\"http://evil.example\")").await;
    save_badge(&app, &owner, &[], "Quiet").await;
    let quiet = app.store.badge_by_slug("quiet").await.unwrap().unwrap();
    assert!(insignia::badges::service::delete(&app.store, &Actor::System, quiet.id).await.is_ok());

    let res = owner.get(app.url("/dashboard/audit.csv?action=created")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let entity: Vec<&str> = rows.iter().map(|r| &r[5]).collect();
    assert_eq!(
        entity,
        ["Quiet", "'=HYPERLINK(\"http://evil.example\")"],
        "created only, newest first, formula as text"
    );
    assert!(rows.iter().all(|r| &r[1] == OWNER.0 && &r[6] == "created"));

    let deleted = owner.get(app.url("/dashboard/audit.csv?action=deleted")).send().await.unwrap().text().await.unwrap();
    assert_eq!(deleted.lines().count(), 2, "a header and the one deletion: {deleted}");
    assert!(deleted.contains(",Insignia,system,badge,"));

    let member = signed_up_member(&app, "bo@example.com").await;
    assert_eq!(member.get(app.url("/dashboard/audit.csv")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.client().get(app.url("/dashboard/audit.csv")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let bad = owner.get(app.url("/dashboard/audit.csv?from=soon")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().starts_with("from: "));
}
