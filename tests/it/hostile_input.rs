//! Input made to slip past a limit: each test sends it and checks that it is refused, by field,
//! and that nothing changed.

use crate::api::{app_with_owner, error_of, logged_in, signed_up_member, OWNER};
use crate::common::by_system;
use crate::common::{create_plain_badge, member_id, TestDb};
use insignia::assignments::api::{AddBadgeAssigner, AssignAllMatching, AssignBadge, DelegatedAssign};
use insignia::badges::api::ListBadges;
use insignia::members::api::{Community, ListMembers};
use insignia::store::AssignedBy;
use reqwest::StatusCode;

crate::on_both_backends!(
    a_search_over_its_limit_is_refused_never_dropped,
    control_characters_are_a_422_not_a_500,
    a_delegate_cannot_assign_the_badge_to_themself,
    multipart_without_a_boundary_is_refused_before_the_decoder,
    public_lists_refuse_pages_past_their_depth,
);

async fn a_search_over_its_limit_is_refused_never_dropped(db: TestDb) {
    let app = app_with_owner(db).await;
    let badge = create_plain_badge(&app.store, "Keep").await;
    let ann = signed_up_member(&app, "ann@example.com").await;
    drop(ann);
    let ann_id = member_id(&app.store, "ann@example.com").await;
    app.store.acting(&by_system()).assign_badge(badge, &[ann_id], AssignedBy::NOBODY, None).await.unwrap();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let long = "x".repeat(101);
    let badge_id = badge.to_string();
    // before: a 101-character search was ignored, so this removed the badge from everyone
    let form = [("badge_id", badge_id.as_str()), ("action", "unassign"), ("search", long.as_str())];
    let (status, err) = error_of(app.call::<AssignAllMatching>(&owner, &form).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("search").unwrap().contains("at most 100"), "{err:?}");
    assert_eq!(app.count("select count(*) from jobs").await, 0, "no run started");
    assert_eq!(app.count("select count(*) from badge_assignments").await, 1, "the badge is still held");
    for (status, path) in [
        (
            error_of(app.call::<ListMembers>(&owner, &[("search", long.as_str()), ("page", "0")]).await).await.0,
            "members",
        ),
        (
            error_of(app.call::<Community>(&app.client(), &[("search", long.as_str()), ("page", "0")]).await).await.0,
            "community",
        ),
        (error_of(app.call::<ListBadges>(&owner, &[("search", long.as_str()), ("page", "0")]).await).await.0, "badges"),
    ] {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }
}

async fn control_characters_are_a_422_not_a_500(db: TestDb) {
    let app = app_with_owner(db).await;
    let badge = create_plain_badge(&app.store, "Star").await.to_string();
    signed_up_member(&app, "ann@example.com").await;
    let ann = member_id(&app.store, "ann@example.com").await.to_string();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let form = [("badge_id", badge.as_str()), ("member_id", ann.as_str()), ("reason", "for\0you")];
    let (status, err) = error_of(app.call::<AssignBadge>(&owner, &form).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err:?}");
    assert!(err.field_message("reason").is_some());
    let (status, _) = error_of(app.call::<Community>(&app.client(), &[("search", "a\0b"), ("page", "0")]).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("select count(*) from badge_assignments").await, 0);
}

async fn a_delegate_cannot_assign_the_badge_to_themself(db: TestDb) {
    let app = app_with_owner(db).await;
    let badge = create_plain_badge(&app.store, "Helper").await.to_string();
    let ann = signed_up_member(&app, "ann@example.com").await;
    let ann_id = member_id(&app.store, "ann@example.com").await.to_string();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let res =
        app.call::<AddBadgeAssigner>(&owner, &[("badge_id", badge.as_str()), ("member", "ann@example.com")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (status, _) = error_of(
        app.call::<DelegatedAssign>(&ann, &[("badge_id", badge.as_str()), ("member_id", ann_id.as_str())]).await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from badge_assignments").await, 0);
}

/// Multipart server functions without a boundary (or without a content type at all) made the
/// locked server_fn decoder panic before authorization: refused, and the server answers on.
async fn multipart_without_a_boundary_is_refused_before_the_decoder(db: TestDb) {
    use insignia::uploads::api::UploadImage;
    use leptos::server_fn::ServerFn;
    let app = app_with_owner(db).await;
    let client = app.client();
    for content_type in [Some("multipart/form-data"), Some("text/plain"), None] {
        let mut req = client.post(app.url(UploadImage::PATH)).body("--x\r\n\r\n");
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let res = req.send().await.expect("the server answers");
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{content_type:?}");
    }
    assert_eq!(app.page(&client, "/healthz").await.status(), StatusCode::OK);
}

async fn public_lists_refuse_pages_past_their_depth(db: TestDb) {
    use insignia::paging::MAX_PUBLIC_PAGE;
    let app = app_with_owner(db).await;
    let (last, past) = (MAX_PUBLIC_PAGE.to_string(), (MAX_PUBLIC_PAGE + 1).to_string());
    let visitor = app.client();
    assert_eq!(app.call::<Community>(&visitor, &[("page", last.as_str())]).await.status(), StatusCode::OK);
    // before: ?page=999999 made every request skip through every member (a badge's holders
    // are paged from a place instead, so they have no depth to limit)
    for page in [past.as_str(), "999999"] {
        let (status, err) = error_of(app.call::<Community>(&visitor, &[("page", page)]).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(err.field_message("page").unwrap().contains("search"));
    }
}
