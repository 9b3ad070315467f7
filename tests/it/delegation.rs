//! Delegated assignment through the server functions, on both backends: a member the owner
//! trusts with a badge can give exactly that badge to members they can see; anything else is
//! refused on the server and changes nothing.

use crate::api::{app_with_owner, error_of, logged_in, signed_up_member, OWNER};
use crate::common::{create_plain_badge, member_id, TestApp};
use insignia::assignments::api::{
    AddBadgeAssigner, BadgeAssigners, DelegatedAssign, MyAssignableBadges, RemoveBadgeAssigner,
};
use insignia::assignments::{Assigner, BadgeChoice, BulkReport};
use insignia::members::api::SetCommunityMembership;
use reqwest::StatusCode;
use uuid::Uuid;

crate::on_both_backends!(a_delegated_member_assigns_their_badge_and_no_other);

async fn give_as(app: &TestApp, client: &reqwest::Client, badge: Uuid, member: Uuid) -> reqwest::Response {
    let (badge, member) = (badge.to_string(), member.to_string());
    app.call::<DelegatedAssign>(client, &[("badge_id", &badge), ("member_id", &member)]).await
}

async fn holders(app: &TestApp, badge: Uuid) -> i64 {
    app.store.badge(badge).await.unwrap().unwrap().member_count
}

async fn a_delegated_member_assigns_their_badge_and_no_other(db: crate::common::TestDb) {
    let app = app_with_owner(db).await;
    let (helper, mentor) =
        (create_plain_badge(&app.store, "Helper").await, create_plain_badge(&app.store, "Mentor").await);
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let ann = signed_up_member(&app, "ann@example.com").await;
    let bo = signed_up_member(&app, "bo@example.com").await;
    signed_up_member(&app, "cy@example.com").await; // stays private
    app.call::<SetCommunityMembership>(&bo, &[("join", "true")]).await;
    let (bo_id, cy_id) = (member_id(&app.store, "bo@example.com").await, member_id(&app.store, "cy@example.com").await);
    // not delegated yet: refused
    let (status, _) = error_of(give_as(&app, &ann, helper, bo_id).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let offered: Vec<BadgeChoice> = app.call::<MyAssignableBadges>(&ann, &[]).await.json().await.unwrap();
    assert!(offered.is_empty());

    // only admins choose assigners; unknown members are refused next to the field
    let helper_id = helper.to_string();
    let (status, _) =
        error_of(app.call::<AddBadgeAssigner>(&ann, &[("badge_id", &helper_id), ("member", "ann@example.com")]).await)
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) =
        error_of(app.call::<AddBadgeAssigner>(&owner, &[("badge_id", &helper_id), ("member", "nobody")]).await).await;
    assert_eq!((status, err.field_message("member").is_some()), (StatusCode::UNPROCESSABLE_ENTITY, true));
    let res = app.call::<AddBadgeAssigner>(&owner, &[("badge_id", &helper_id), ("member", "ANN@example.com")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let listed: Vec<Assigner> =
        app.call::<BadgeAssigners>(&owner, &[("badge_id", &helper_id)]).await.json().await.unwrap();
    assert_eq!(listed.iter().map(|a| a.slug.as_str()).collect::<Vec<_>>(), ["ann"]);

    // now ann is offered Helper only, and can give it to bo
    let offered: Vec<BadgeChoice> = app.call::<MyAssignableBadges>(&ann, &[]).await.json().await.unwrap();
    assert_eq!(offered.iter().map(|b| b.id).collect::<Vec<_>>(), [helper]);
    let res = give_as(&app, &ann, helper, bo_id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let report: BulkReport = res.json().await.unwrap();
    assert_eq!(report.total_successes, 1);
    assert_eq!(holders(&app, helper).await, 1);

    // another badge: 403 and nothing changes
    let (status, _) = error_of(give_as(&app, &ann, mentor, bo_id).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(holders(&app, mentor).await, 0);
    // a member she cannot see: as if there were none
    let (status, _) = error_of(give_as(&app, &ann, helper, cy_id).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(holders(&app, helper).await, 1);
    // bo was never trusted with anything
    let (status, _) = error_of(give_as(&app, &bo, helper, bo_id).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // taken back: refused again
    let ann_id = member_id(&app.store, "ann@example.com").await.to_string();
    let res = app.call::<RemoveBadgeAssigner>(&owner, &[("badge_id", &helper_id), ("member_id", &ann_id)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (status, _) = error_of(give_as(&app, &ann, helper, bo_id).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
