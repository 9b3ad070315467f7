//! Members over HTTP: who sees whom (the directory, profile pages, fieldsets), a member's own
//! profile changes, and the admin's member management, each checked on the server.

use crate::api::{app_with_owner, error_of, logged_in, signed_up_member, OWNER};
use crate::common::by_system;
use crate::common::{member_id, plain_badge, TestApp, TestDb, PNG};
use insignia::domain::{Email, MemberStatus};
use insignia::members::api::{
    Community, CreateMember, DeleteMember, GetProfile, ListMembers, MemberAction, SetCommunityMembership,
    UpdateMyProfile,
};
use insignia::members::{MemberProfile, MemberRow, MemberView};
use insignia::paging::{KeysetPage, Page};
use insignia::store::AssignedBy;
use reqwest::StatusCode;

crate::on_both_backends!(
    private_members_are_invisible_to_everyone_else,
    members_edit_their_own_profile_and_slugs_stay_unique,
    admins_manage_members_and_blocked_members_cannot_log_in,
    members_set_and_remove_their_photo,
    admins_assign_and_unassign_badges_with_a_report,
    badge_pages_show_holders_each_viewer_may_see,
    selected_members_get_a_badge_in_one_request,
    the_member_list_pages_from_a_place_and_refuses_forged_places,
    the_member_list_page_links_its_neighbours_and_counts_extra_badges,
    a_badge_page_pages_its_holders_from_a_place,
);

async fn directory(app: &TestApp, client: &reqwest::Client, search: &str) -> Vec<MemberView> {
    let page: Page<MemberView> =
        app.call::<Community>(client, &[("search", search), ("page", "1")]).await.json().await.unwrap();
    page.items
}

async fn private_members_are_invisible_to_everyone_else(db: TestDb) {
    let app = app_with_owner(db).await;
    let ann = signed_up_member(&app, "ann@example.com").await;
    let bo = signed_up_member(&app, "bo@example.com").await;
    let visitor = app.client();

    // Ann is private (the default): nobody but her and the admins sees her
    assert!(directory(&app, &visitor, "").await.is_empty());
    let (status, _) = error_of(app.call::<GetProfile>(&visitor, &[("slug", "ann")]).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = error_of(app.call::<GetProfile>(&bo, &[("slug", "ann")]).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "other members get the same 404 as for nobody");
    assert_eq!(app.page(&visitor, "/members/ann").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call::<GetProfile>(&ann, &[("slug", "ann")]).await.status(), StatusCode::OK, "she sees herself");
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    assert_eq!(app.call::<GetProfile>(&owner, &[("slug", "ann")]).await.status(), StatusCode::OK);

    // she joins: everyone sees her PUBLIC fields, and nothing more
    assert_eq!(app.call::<SetCommunityMembership>(&ann, &[("join", "true")]).await.status(), StatusCode::OK);
    let listed = directory(&app, &visitor, "").await;
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].profile.slug.as_str(), &listed[0].login_email, &listed[0].contact), ("ann", &None, &None));
    let profile: MemberProfile = app.call::<GetProfile>(&visitor, &[("slug", "ann")]).await.json().await.unwrap();
    assert_eq!((profile.member.login_email, profile.member.status), (None, None), "PUBLIC fieldset only");
    let page = app.page(&visitor, "/members/ann").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("ann") && !html.contains("ann@example.com"), "the page never shows the email");
    assert_eq!(directory(&app, &visitor, "zzz").await.len(), 0, "the directory searches");

    // she leaves: gone again
    app.call::<SetCommunityMembership>(&ann, &[("join", "false")]).await;
    assert!(directory(&app, &visitor, "").await.is_empty());
    assert_eq!(app.page(&visitor, "/members/ann").await.status(), StatusCode::NOT_FOUND);
}

async fn members_edit_their_own_profile_and_slugs_stay_unique(db: TestDb) {
    let app = app_with_owner(db).await;
    let ann = signed_up_member(&app, "ann@example.com").await;
    signed_up_member(&app, "bo@example.com").await;
    let form =
        |nickname: &'static str, slug: &'static str| [("nickname", nickname), ("title", "Gardener"), ("slug", slug)];

    let res = app.call::<UpdateMyProfile>(&ann, &form("Annie", "annie")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let view: MemberView = res.json().await.unwrap();
    assert_eq!(
        (view.profile.slug.as_str(), view.profile.nickname.as_deref(), view.profile.title.as_deref()),
        ("annie", Some("Annie"), Some("Gardener"))
    );

    let (status, err) = error_of(app.call::<UpdateMyProfile>(&ann, &form("Bo's twin", "bo")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("slug").unwrap().contains("Another member"), "{err:?}");
    let (_, err) = error_of(app.call::<UpdateMyProfile>(&ann, &form("", "Not A Slug")).await).await;
    assert!(err.field_message("slug").is_some());
    let me = app.store.member(member_id(&app.store, "ann@example.com").await).await.unwrap().unwrap();
    assert_eq!((me.slug.as_str(), me.nickname.as_deref()), ("annie", Some("Annie")), "refused changes changed nothing");

    let (status, _) = error_of(app.call::<UpdateMyProfile>(&app.client(), &form("x", "x")).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn admins_manage_members_and_blocked_members_cannot_log_in(db: TestDb) {
    let app = app_with_owner(db).await;
    let member = signed_up_member(&app, "member@example.com").await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;

    // only admins list, act and delete
    let list =
        |search: &'static str| [("search", search), ("status", ""), ("privacy", ""), ("sort", ""), ("page", "1")];
    let (status, _) = error_of(app.call::<ListMembers>(&member, &list("")).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let new = [("email", "cara@example.com"), ("nickname", "Cara Mia"), ("password", "first-password-1")];
    let (status, _) = error_of(app.call::<CreateMember>(&member, &new).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    assert_eq!(app.call::<CreateMember>(&owner, &new).await.status(), StatusCode::OK);
    let cara = app.store.member(member_id(&app.store, "cara@example.com").await).await.unwrap().unwrap();
    assert_eq!((cara.slug.as_str(), cara.status), ("cara-mia", MemberStatus::Approved), "slug from the nickname");
    let (_, err) = error_of(app.call::<CreateMember>(&owner, &new).await).await;
    assert!(err.field_message("email").is_some(), "the email is taken");

    let found: KeysetPage<MemberRow> = app.call::<ListMembers>(&owner, &list("CARA")).await.json().await.unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].member.login_email.as_deref(), Some("cara@example.com"));
    let (status, err) = error_of(app.call::<ListMembers>(&owner, &[("status", "NOPE"), ("page", "1")]).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("status").is_some());

    // block: the member's session stops working and they cannot log in again
    let id = cara.id.to_string();
    let cara_client = logged_in(&app, "cara@example.com", "first-password-1").await;
    let (status, _) =
        error_of(app.call::<MemberAction>(&member, &[("id", id.as_str()), ("action", "block")]).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.call::<MemberAction>(&owner, &[("id", id.as_str()), ("action", "block")]).await.status(),
        StatusCode::OK
    );
    let (status, _) =
        error_of(app.call::<UpdateMyProfile>(&cara_client, &[("nickname", ""), ("title", ""), ("slug", "x")]).await)
            .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a blocked member's session is dead");
    let (status, _) = error_of(
        app.call::<insignia::auth::api::Login>(
            &app.client(),
            &[("email", "cara@example.com"), ("password", "first-password-1")],
        )
        .await,
    )
    .await;
    assert!(status.is_client_error(), "a blocked member cannot log in");
    assert_eq!(
        app.call::<MemberAction>(&owner, &[("id", id.as_str()), ("action", "approve")]).await.status(),
        StatusCode::OK
    );
    logged_in(&app, "cara@example.com", "first-password-1").await;

    // delete takes the account with it
    assert_eq!(app.call::<DeleteMember>(&owner, &[("id", id.as_str())]).await.status(), StatusCode::OK);
    assert!(app.store.account_by_email(&Email::parse("cara@example.com").unwrap()).await.unwrap().is_none());
    let (status, _) = error_of(app.call::<DeleteMember>(&owner, &[("id", id.as_str())]).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn members_set_and_remove_their_photo(db: TestDb) {
    use insignia::members::api::{MyProfile, RemovePhoto, UploadPhoto};
    use leptos::server_fn::ServerFn;
    let app = app_with_owner(db).await;
    let ann = signed_up_member(&app, "ann@example.com").await;
    let upload = |client: reqwest::Client, bytes: Vec<u8>| {
        let url = app.url(UploadPhoto::PATH);
        async move {
            let form = reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name("me.png"));
            client.post(url).multipart(form).send().await.unwrap()
        }
    };
    let (status, _) = error_of(upload(app.client(), PNG.to_vec()).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, err) = error_of(upload(ann.clone(), b"%PDF-1.4".to_vec()).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("photo").unwrap().contains("Only PNG"));

    let res = upload(ann.clone(), PNG.to_vec()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let me: MemberProfile = app.call::<MyProfile>(&ann, &[]).await.json().await.unwrap();
    let url = me.member.profile.photo_url.expect("the photo is set");
    let served = app.page(&ann, &url).await;
    assert_eq!((served.status(), served.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "image/png"));
    // ann has not joined the community: to anyone else her photo does not exist
    assert_eq!(app.page(&app.client(), &url).await.status(), StatusCode::NOT_FOUND);

    assert_eq!(app.call::<RemovePhoto>(&ann, &[]).await.status(), StatusCode::OK);
    let me: MemberProfile = app.call::<MyProfile>(&ann, &[]).await.json().await.unwrap();
    assert_eq!(me.member.profile.photo_url, None);
}

async fn admins_assign_and_unassign_badges_with_a_report(db: TestDb) {
    use insignia::assignments::api::{AssignBadge, BadgeChoices, UnassignBadge};
    use insignia::assignments::{BadgeChoice, BulkReport, Outcome};
    let app = app_with_owner(db).await;
    let member = signed_up_member(&app, "ann@example.com").await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let new = plain_badge("Star");
    let star = app.store.acting(&by_system()).create_badge(&new).await.unwrap().id.to_string();
    let ann = member_id(&app.store, "ann@example.com").await.to_string();
    let form = [("badge_id", star.as_str()), ("member_id", ann.as_str()), ("reason", "Kind words")];

    let (status, _) = error_of(app.call::<AssignBadge>(&member, &form).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members cannot assign (no delegation yet)");
    let (status, _) = error_of(app.call::<BadgeChoices>(&member, &[]).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.badge(star.parse().unwrap()).await.unwrap().unwrap().member_count, 0, "nothing changed");

    let choices: Vec<BadgeChoice> = app.call::<BadgeChoices>(&owner, &[]).await.json().await.unwrap();
    assert_eq!(choices.len(), 1);
    let first: BulkReport = app.call::<AssignBadge>(&owner, &form).await.json().await.unwrap();
    assert_eq!((first.total_successes, first.results[0].outcome), (1, Outcome::Assigned));
    let again: BulkReport = app.call::<AssignBadge>(&owner, &form).await.json().await.unwrap();
    assert_eq!((again.total_failures, again.results[0].outcome), (1, Outcome::AlreadyHeld), "a no-op, reported");
    assert_eq!(again.results[0].assignment_id, first.results[0].assignment_id);

    let long_reason = "x".repeat(501);
    let (status, err) = error_of(
        app.call::<AssignBadge>(
            &owner,
            &[("badge_id", star.as_str()), ("member_id", ann.as_str()), ("reason", long_reason.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("reason").is_some());
    let missing = uuid::Uuid::new_v4().to_string();
    let (status, _) =
        error_of(app.call::<AssignBadge>(&owner, &[("badge_id", missing.as_str()), ("member_id", ann.as_str())]).await)
            .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let pair = [("badge_id", star.as_str()), ("member_id", ann.as_str())];
    let removed: BulkReport = app.call::<UnassignBadge>(&owner, &pair).await.json().await.unwrap();
    assert_eq!(removed.results[0].outcome, Outcome::Removed);
    let not_held: BulkReport = app.call::<UnassignBadge>(&owner, &pair).await.json().await.unwrap();
    assert_eq!(not_held.results[0].outcome, Outcome::NotHeld);
}

async fn badge_pages_show_holders_each_viewer_may_see(db: TestDb) {
    use insignia::badges::api::BadgePage as GetBadgePage;
    use insignia::badges::BadgePage;
    use insignia::domain::BadgeDescription;
    let app = app_with_owner(db).await;
    let ann = signed_up_member(&app, "ann@example.com").await;
    signed_up_member(&app, "bo@example.com").await;
    app.call::<SetCommunityMembership>(&ann, &[("join", "true")]).await;
    let new = insignia::store::NewBadge {
        description: BadgeDescription::parse("Up late, helping").unwrap(),
        ..plain_badge("Night Owl")
    };
    let owl = app.store.acting(&by_system()).create_badge(&new).await.unwrap();
    let members = [member_id(&app.store, "ann@example.com").await, member_id(&app.store, "bo@example.com").await];
    app.store.acting(&by_system()).assign_badge(owl.id, &members, AssignedBy::NOBODY, None).await.unwrap();

    let page = |client: reqwest::Client| {
        let app = &app;
        async move { app.call::<GetBadgePage>(&client, &[("slug", "night-owl"), ("page", "1")]).await }
    };
    let visitor: BadgePage = page(app.client()).await.json().await.unwrap();
    let names: Vec<_> = visitor.holders.items.iter().map(|h| h.member.profile.slug.as_str()).collect();
    assert_eq!(names, ["ann"], "bo is private: not listed for visitors");
    assert!(!visitor.all_holders && visitor.holders.items[0].member.login_email.is_none());
    let member_view: BadgePage = page(ann.clone()).await.json().await.unwrap();
    assert_eq!(member_view.holders.items.len(), 1, "nor for other members");
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let admin_view: BadgePage = page(owner).await.json().await.unwrap();
    assert_eq!((admin_view.holders.items.len(), admin_view.all_holders), (2, true));

    let html = app.page(&app.client(), "/badges/night-owl").await.text().await.unwrap();
    assert!(html.contains("Up late, helping") && html.contains("/members/ann") && !html.contains("/members/bo"));
    assert_eq!(app.page(&app.client(), "/badges/no-such-badge").await.status(), StatusCode::NOT_FOUND);
}

async fn selected_members_get_a_badge_in_one_request(db: TestDb) {
    use insignia::assignments::api::BulkAssign;
    use insignia::assignments::{BulkReport, Outcome};
    let app = app_with_owner(db).await;
    let mut ids = Vec::new();
    for name in ["ann", "bo", "cy"] {
        signed_up_member(&app, &format!("{name}@example.com")).await;
        ids.push(member_id(&app.store, &format!("{name}@example.com")).await.to_string());
    }
    let new = plain_badge("Crew");
    let crew = app.store.acting(&by_system()).create_badge(&new).await.unwrap().id;
    app.store
        .acting(&by_system())
        .assign_badge(crew, &[ids[1].parse().unwrap()], AssignedBy::NOBODY, None)
        .await
        .unwrap();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let crew_id = crew.to_string();
    // the form sends the checked rows by their position on the page, as the list does
    let form = |action: &'static str| {
        vec![
            ("badge_id", crew_id.clone()),
            ("action", action.to_owned()),
            ("member_ids[0]", ids[0].clone()),
            ("member_ids[1]", ids[1].clone()),
            ("member_ids[4]", ids[2].clone()),
            ("reason", "Set up the hall".to_owned()),
        ]
    };
    let send = |client: reqwest::Client, form: Vec<(&'static str, String)>| {
        let url = app.url(<BulkAssign as leptos::server_fn::ServerFn>::PATH);
        async move { client.post(url).form(&form).send().await.unwrap() }
    };
    let (status, _) = error_of(send(signed_up_member(&app, "dan@example.com").await, form("assign")).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let report: BulkReport = send(owner.clone(), form("assign")).await.json().await.unwrap();
    let outcomes: Vec<_> = report.results.iter().map(|r| (r.original_index, r.outcome)).collect();
    assert_eq!(outcomes, [(0, Outcome::Assigned), (1, Outcome::AlreadyHeld), (2, Outcome::Assigned)]);
    assert_eq!((report.total_successes, report.total_failures), (2, 1));
    assert_eq!(app.store.badge(crew).await.unwrap().unwrap().member_count, 3);

    let report: BulkReport = send(owner.clone(), form("unassign")).await.json().await.unwrap();
    assert_eq!(report.total_successes, 3);
    let (status, err) = error_of(send(owner, form("shuffle")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("action").is_some());
}

async fn the_member_list_pages_from_a_place_and_refuses_forged_places(db: TestDb) {
    let app = app_with_owner(db).await;
    insignia::cli::seed::seed_members(&app.store, 120, 3).await.unwrap();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let list = |sort: &'static str, key: &'static str, token: String, page: &'static str| {
        let app = &app;
        let owner = &owner;
        async move {
            let form = [("sort", sort.to_owned()), (key, token), ("page", page.to_owned())];
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call::<ListMembers>(owner, &form).await
        }
    };
    let read = |res: reqwest::Response| async move {
        assert_eq!(res.status(), StatusCode::OK);
        res.json::<KeysetPage<MemberRow>>().await.unwrap()
    };
    let ids = |p: &KeysetPage<MemberRow>| p.items.iter().map(|r| r.member.id).collect::<Vec<_>>();
    let everyone: Vec<_> = app
        .store
        .query_members(&Default::default(), &insignia::store::MemberPage { limit: 1000, ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(everyone.len() > 100 && everyone.len() <= 150, "three pages of 50");

    // forwards: the first page has no way back; each page continues where the last one ended
    let first = read(list("", "after", String::new(), "1").await).await;
    assert_eq!((first.number, first.previous.as_deref(), ids(&first)), (1, None, everyone[..50].to_vec()));
    let second = read(list("", "after", first.next.clone().unwrap(), "2").await).await;
    assert_eq!((second.number, ids(&second)), (2, everyone[50..100].to_vec()));
    let third = read(list("", "after", second.next.clone().unwrap(), "3").await).await;
    assert_eq!((third.number, third.next.as_deref(), ids(&third)), (3, None, everyone[100..].to_vec()));
    // backwards: page 3's previous is page 2 again; page 2's previous reaches the start
    let back = read(list("", "before", third.previous.clone().unwrap(), "2").await).await;
    assert_eq!((back.number, ids(&back)), (2, ids(&second)));
    let start = read(list("", "before", back.previous.clone().unwrap(), "1").await).await;
    assert_eq!((start.number, start.previous.as_deref(), ids(&start)), (1, None, ids(&first)));

    // a forged, damaged or foreign place is refused next to the page, not read from
    let token = second.next.clone().unwrap();
    let forged =
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, r#"["newest","x' or 1=1 --","y"]"#);
    for (sort, bad) in [
        ("", forged),
        ("", format!("{token}x")),
        ("", "%%%".to_owned()),
        ("nickname", token.clone()),
        ("", "A".repeat(10_000)),
    ] {
        let (status, err) = error_of(list(sort, "after", bad, "2").await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err.field_message("page").unwrap().contains("first page"), "{err:?}");
    }
    let (status, _) = error_of(list("", "after", token, "0").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "page numbers start at 1");
}

async fn the_member_list_page_links_its_neighbours_and_counts_extra_badges(db: TestDb) {
    let app = app_with_owner(db).await;
    insignia::cli::seed::seed_members(&app.store, 60, 5).await.unwrap();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let html = |path: String| {
        let (app, owner) = (&app, &owner);
        async move {
            let res = app.page(owner, &path).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            res.text().await.unwrap()
        }
    };
    let link = |page: &str, rel: &str| {
        let tag = page.split("<a ").find(|a| a.contains(&format!("rel=\"{rel}\"")))?.to_owned();
        Some(tag.split("href=\"").nth(1)?.split('"').next()?.replace("&amp;", "&"))
    };

    // the newest member holds eight badges: three chips in the row, and a count of the rest
    let newest = &app
        .store
        .query_members(&Default::default(), &insignia::store::MemberPage { limit: 1, ..Default::default() })
        .await
        .unwrap()[0];
    for n in 1..=8 {
        let badge =
            app.store.acting(&by_system()).create_badge(&plain_badge(&format!("Collected {n}"))).await.unwrap().id;
        app.store.acting(&by_system()).assign_badge(badge, &[newest.id], AssignedBy::NOBODY, None).await.unwrap();
    }
    let first = html("/dashboard/members?sort=newest".into()).await;
    let row = first.split("<tr>").find(|r| r.contains(&newest.id.to_string())).unwrap();
    assert_eq!(row.matches("class=\"badge-chip\"").count(), 3, "{row}");
    assert!(row.contains("+5 more"));

    // without JavaScript: Next carries the place and the number; the sort stays
    assert!(link(&first, "prev").is_none(), "page 1 has no way back");
    let next = link(&first, "next").unwrap();
    assert!(
        next.starts_with("/dashboard/members?") && next.contains("sort=newest") && next.contains("after="),
        "{next}"
    );
    let second = html(next).await;
    assert!(second.contains("Members, page 2"));
    assert!(!second.contains(&newest.id.to_string()), "page 2 does not repeat page 1");
    let back = link(&second, "prev").unwrap();
    assert_eq!(back, "/dashboard/members?sort=newest", "page 2 goes back to the first page's own address");
    assert!(link(&second, "next").is_none(), "60 seeded members and the owner: two pages");
}

async fn a_badge_page_pages_its_holders_from_a_place(db: TestDb) {
    use insignia::badges::api::BadgePage as GetBadgePage;
    use insignia::badges::BadgePage;
    let app = app_with_owner(db).await;
    insignia::cli::seed::seed_members(&app.store, 400, 9).await.unwrap();
    let badge = app.store.acting(&by_system()).create_badge(&plain_badge("Regular")).await.unwrap();
    let all: Vec<_> = app
        .store
        .query_members(&Default::default(), &insignia::store::MemberPage { limit: 1000, ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    // three runs: many holders share a moment, so ties are broken by member id
    for chunk in all.chunks(150) {
        app.store.acting(&by_system()).assign_badge(badge.id, chunk, AssignedBy::NOBODY, None).await.unwrap();
    }
    let expected: Vec<(uuid::Uuid, chrono::DateTime<chrono::Utc>)> =
        app.store.badge_holders(badge.id, true, 1000, 0).await.unwrap().into_iter().map(|(m, at)| (m.id, at)).collect();
    assert!(expected.len() > 100 && expected.len() < 150, "three pages of public holders: {}", expected.len());
    assert!(expected.windows(2).all(|w| (w[0].1, w[0].0) > (w[1].1, w[1].0)), "newest first, then by id");

    let visitor = app.client();
    let read = |key: &'static str, token: String, page: &'static str| {
        let (app, visitor, slug) = (&app, &visitor, badge.slug.clone());
        async move {
            let form = [("slug", slug), (key, token), ("page", page.to_owned())];
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call::<GetBadgePage>(visitor, &form).await
        }
    };
    let ids = |p: &BadgePage| p.holders.items.iter().map(|h| h.member.id).collect::<Vec<_>>();
    let want = |range: std::ops::Range<usize>| {
        expected[range.start..range.end.min(expected.len())].iter().map(|h| h.0).collect::<Vec<_>>()
    };
    let first: BadgePage = read("after", String::new(), "1").await.json().await.unwrap();
    assert_eq!((first.holders.number, first.holders.previous.as_deref(), ids(&first)), (1, None, want(0..50)));
    let second: BadgePage = read("after", first.holders.next.clone().unwrap(), "2").await.json().await.unwrap();
    assert_eq!(ids(&second), want(50..100));
    let third: BadgePage = read("after", second.holders.next.clone().unwrap(), "3").await.json().await.unwrap();
    assert_eq!((third.holders.next.as_deref(), ids(&third)), (None, want(100..150)));
    let back: BadgePage = read("before", third.holders.previous.clone().unwrap(), "2").await.json().await.unwrap();
    assert_eq!((back.holders.number, ids(&back)), (2, want(50..100)));
    let start: BadgePage = read("before", back.holders.previous.clone().unwrap(), "1").await.json().await.unwrap();
    assert_eq!((start.holders.number, ids(&start)), (1, want(0..50)));

    // a member token is not a holder's place, and a forged one is refused
    let member_token =
        insignia::store::MemberSort::NewestFirst.cursor(&app.store.member(all[0]).await.unwrap().unwrap()).token();
    for bad in [member_token, "x' or 1=1 --".to_owned()] {
        let (status, err) = error_of(read("after", bad, "2").await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err.field_message("page").unwrap().contains("first page"));
    }
}
