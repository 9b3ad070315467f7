//! Members-only pages, through the app's own edges: who reads a page (every kind of reader),
//! that a change to what opens it counts on the very next request, and that nothing the app
//! answers — the page, its server functions, the lists of pages, the badge pages, the profile,
//! the dashboard — carries a gated page's content to someone the rule refuses.

use crate::api::{app_with_owner, error_of, logged_in, signed_up_member, OWNER};
use crate::common::by_system;
use crate::common::{member_id, plain_badge, TestApp, TestDb};
use insignia::assignments::api::{AddBadgeAssigner, AssignBadge, UnassignBadge};
use insignia::badges::api::DeleteBadge;
use insignia::member_pages::api::{GetPage, ListPages, OpenPage, PagesOfBadge, PreviewPage, SavePage, YourPages};
use insignia::member_pages::{PageLink, PageOpening, Refusal};
use insignia::members::api::{MemberAction, SetCommunityMembership};
use insignia::settings::api::UpdateSettings;
use insignia::store::BadgeChanges;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use uuid::Uuid;

crate::on_both_backends!(
    every_reader_gets_what_the_rule_says,
    what_opens_a_page_counts_on_the_next_request,
    no_answer_carries_gated_content_to_a_refused_reader,
    pages_are_validated_and_sanitized,
);

/// In the gated page's content: a refused reader must never receive it.
const SECRET: &str = "zq-staff-only-rota";
const OPEN_TEXT: &str = "zq-welcome-everyone";

struct Site {
    app: TestApp,
    owner: reqwest::Client,
    staff: Uuid,
    plain: Uuid,
    page_id: Uuid,
}

async fn badge(app: &TestApp, title: &str, permissions: bool) -> Uuid {
    let mut new = plain_badge(title);
    new.permissions_enabled = permissions;
    app.store.acting(&by_system()).create_badge(&new).await.unwrap().id
}

async fn ok(res: reqwest::Response) -> reqwest::Response {
    let status = res.status();
    assert!(status.is_success(), "{status}: {}", res.text().await.unwrap());
    res
}

async fn save_page(app: &TestApp, owner: &reqwest::Client, form: &[(&str, &str)]) -> reqwest::Response {
    app.call::<SavePage>(owner, form).await
}

/// The status line for a save whose declared length is one byte over the editor's limit, sent
/// by hand: a client streaming 600 KB races the server's early 413 and may see the connection
/// closed instead of the answer. The header alone is what the limit is checked against.
async fn declare_oversized_save(app: &TestApp) -> String {
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/x-www-form-urlencoded\r\n\
         content-length: {}\r\nconnection: close\r\n\r\ntitle=Oversized&content=",
        SavePage::PATH,
        app.addr,
        insignia::server::server_fn_bodies::MAX_PAGE_FORM_BODY + 1
    );
    app.raw_status_line(head.as_bytes()).await
}

/// An owner, a "Staff" badge with page permissions and a "Plain" one without, a page for
/// Staff holders and a page for every approved member.
async fn site(db: TestDb) -> Site {
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let staff = badge(&app, "Staff", true).await;
    let plain = badge(&app, "Plain", false).await;
    let content = format!("# Rota\n\n{SECRET} **every** Monday.");
    let staff_id = staff.to_string();
    let form = [("title", "Staff handbook"), ("slug", ""), ("content", content.as_str()), ("badges[0]", &staff_id)];
    let saved: PageLink = ok(save_page(&app, &owner, &form).await).await.json().await.unwrap();
    assert_eq!(saved.slug, "staff-handbook", "the address is derived from the title");
    let open = [("title", "Welcome"), ("slug", "welcome"), ("content", OPEN_TEXT)];
    ok(save_page(&app, &owner, &open).await).await;
    Site { app, owner, staff, plain, page_id: saved.id }
}

async fn assign(site: &Site, badge: Uuid, email: &str) {
    let member = member_id(&site.app.store, email).await.to_string();
    let form = [("badge_id", badge.to_string()), ("member_id", member)];
    ok(site.owner.post(site.app.url(AssignBadge::PATH)).form(&form).send().await.unwrap()).await;
}

async fn opening(app: &TestApp, client: &reqwest::Client) -> Result<PageOpening, StatusCode> {
    let res = app.call::<OpenPage>(client, &[("slug", "staff-handbook")]).await;
    match res.status() {
        StatusCode::OK => Ok(res.json().await.unwrap()),
        status => Err(status),
    }
}

async fn your_pages(app: &TestApp, client: &reqwest::Client) -> Vec<String> {
    let pages: Vec<PageLink> = ok(app.call::<YourPages>(client, &[]).await).await.json().await.unwrap();
    pages.into_iter().map(|p| p.title).collect()
}

fn refusal(opening: &Result<PageOpening, StatusCode>) -> Option<Refusal> {
    match opening {
        Ok(PageOpening::Refused { reason, .. }) => Some(*reason),
        _ => None,
    }
}

fn reads(opening: &Result<PageOpening, StatusCode>) -> bool {
    matches!(opening, Ok(PageOpening::Read { html, .. }) if html.contains(SECRET))
}

async fn block(site: &Site, email: &str) {
    let id = member_id(&site.app.store, email).await.to_string();
    let form = [("id", id.as_str()), ("action", "block")];
    ok(site.app.call::<MemberAction>(&site.owner, &form).await).await;
}

async fn pending_member(site: &Site, email: &str) -> reqwest::Client {
    let on = |v: &'static str| [("site_name", "Pages"), ("require_approval", v)];
    ok(site.app.call::<UpdateSettings>(&site.owner, &on("on")).await).await;
    let client = signed_up_member(&site.app, email).await;
    ok(site.app.call::<UpdateSettings>(&site.owner, &on("")).await).await;
    client
}

async fn every_reader_gets_what_the_rule_says(db: TestDb) {
    let site = site(db).await;
    let app = &site.app;
    let holder = signed_up_member(app, "holder@example.com").await;
    let powerless = signed_up_member(app, "plain@example.com").await;
    let nobody = signed_up_member(app, "none@example.com").await;
    let admin = signed_up_member(app, "admin@example.com").await;
    app.db.execute("update accounts set role = 'admin' where email = 'admin@example.com'").await;
    let blocked = signed_up_member(app, "blocked@example.com").await;
    let pending = pending_member(&site, "pending@example.com").await;
    assign(&site, site.staff, "holder@example.com").await;
    assign(&site, site.plain, "plain@example.com").await;
    assign(&site, site.staff, "blocked@example.com").await;
    block(&site, "blocked@example.com").await;

    assert!(reads(&opening(app, &holder).await), "a holder of a badge with permissions reads it");
    assert_eq!(your_pages(app, &holder).await, ["Staff handbook", "Welcome"]);
    for (who, client) in [("a holder of a badge without permissions", &powerless), ("a member without badges", &nobody)]
    {
        assert_eq!(refusal(&opening(app, client).await), Some(Refusal::NeedsBadge), "{who}");
        assert_eq!(your_pages(app, client).await, ["Welcome"], "{who}");
    }
    for (who, client) in [("an admin", &admin), ("the owner", &site.owner)] {
        let seen = opening(app, client).await;
        assert!(reads(&seen), "{who} reads every page");
        assert!(matches!(seen, Ok(PageOpening::Read { as_staff: true, .. })), "{who} is told members need a badge");
        assert_eq!(your_pages(app, client).await, ["Staff handbook", "Welcome"], "{who}");
    }
    assert_eq!(refusal(&opening(app, &pending).await), Some(Refusal::NotApproved));
    assert!(your_pages(app, &pending).await.is_empty(), "a pending member opens no page, not even the open one");
    for (who, client) in [("a visitor", &app.client()), ("a blocked member", &blocked)] {
        assert_eq!(opening(app, client).await.unwrap_err(), StatusCode::UNAUTHORIZED, "{who}");
        assert!(your_pages(app, client).await.is_empty(), "{who}");
        let res = app.page(client, "/pages/staff-handbook").await;
        assert_eq!(res.status(), StatusCode::FOUND, "{who} is sent to log in");
        assert_eq!(res.headers()["location"], "/login?next=/pages/staff-handbook", "{who}, and back after");
    }

    // the pages a person sees: the 403 names the badge; the page itself for a holder
    let refused = app.page(&nobody, "/pages/staff-handbook").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body = refused.text().await.unwrap();
    assert!(body.contains("You need a badge to read this page") && body.contains("Staff"), "{body}");
    let read = app.page(&holder, "/pages/staff-handbook").await;
    assert_eq!(read.status(), StatusCode::OK);
    assert!(read.text().await.unwrap().contains("<strong>every</strong>"));
    assert_eq!(app.page(&holder, "/pages/no-such-page").await.status(), StatusCode::NOT_FOUND);
}

async fn what_opens_a_page_counts_on_the_next_request(db: TestDb) {
    let site = site(db).await;
    let app = &site.app;
    let holder = signed_up_member(app, "holder@example.com").await;
    let other = signed_up_member(app, "other@example.com").await;
    assign(&site, site.staff, "holder@example.com").await;
    assert!(reads(&opening(app, &holder).await));

    // the badge's permissions switched off, then on again
    let permissions = |on| BadgeChanges { permissions_enabled: Some(on), ..Default::default() };
    app.store.acting(&by_system()).update_badge(site.staff, None, &permissions(false)).await.unwrap();
    assert_eq!(refusal(&opening(app, &holder).await), Some(Refusal::NoBadgeOpensIt));
    assert_eq!(your_pages(app, &holder).await, ["Welcome"]);
    app.store.acting(&by_system()).update_badge(site.staff, None, &permissions(true)).await.unwrap();
    assert!(reads(&opening(app, &holder).await));

    // the badge taken away, then given back
    let holder_id = member_id(&app.store, "holder@example.com").await.to_string();
    let unassign = [("badge_id", site.staff.to_string()), ("member_id", holder_id)];
    ok(site.owner.post(app.url(UnassignBadge::PATH)).form(&unassign).send().await.unwrap()).await;
    assert_eq!(refusal(&opening(app, &holder).await), Some(Refusal::NeedsBadge));
    assign(&site, site.staff, "holder@example.com").await;
    assert!(reads(&opening(app, &holder).await));

    // the badge deleted: the page closes (to everyone but staff), it does not open to all
    ok(app.call::<DeleteBadge>(&site.owner, &[("id", &site.staff.to_string())]).await).await;
    for client in [&holder, &other] {
        assert_eq!(refusal(&opening(app, client).await), Some(Refusal::NoBadgeOpensIt));
    }
    assert!(reads(&opening(app, &site.owner).await));

    // a new badge chosen for it, then the member blocked
    let crew = badge(app, "Crew", true).await;
    let page = site.page_id.to_string();
    let edited: insignia::member_pages::EditablePage =
        ok(app.call::<GetPage>(&site.owner, &[("id", &page)]).await).await.json().await.unwrap();
    let revision = edited.revision.to_string();
    let crew_id = crew.to_string();
    let form = [
        ("id", page.as_str()),
        ("revision", &revision),
        ("title", "Staff handbook"),
        ("slug", "staff-handbook"),
        ("content", &edited.content),
        ("badges[0]", &crew_id),
    ];
    ok(save_page(app, &site.owner, &form).await).await;
    assign(&site, crew, "holder@example.com").await;
    assert!(reads(&opening(app, &holder).await));
    block(&site, "holder@example.com").await;
    assert_eq!(opening(app, &holder).await.unwrap_err(), StatusCode::UNAUTHORIZED);
}

async fn no_answer_carries_gated_content_to_a_refused_reader(db: TestDb) {
    let site = site(db).await;
    let app = &site.app;
    let holder = signed_up_member(app, "holder@example.com").await;
    let delegate = signed_up_member(app, "dee@example.com").await;
    ok(app.call::<SetCommunityMembership>(&delegate, &[("join", "true")]).await).await;
    let form = [("badge_id", site.staff.to_string()), ("member", "dee@example.com".to_owned())];
    ok(site.owner.post(app.url(AddBadgeAssigner::PATH)).form(&form).send().await.unwrap()).await;
    assign(&site, site.staff, "holder@example.com").await;
    let nobody = signed_up_member(app, "none@example.com").await;
    let pending = pending_member(&site, "pending@example.com").await;
    let page = site.page_id.to_string();
    let staff = site.staff.to_string();

    // a holder does receive it: the crawl below would find it if it leaked
    assert!(app.page(&holder, "/pages/staff-handbook").await.text().await.unwrap().contains(SECRET));
    let pages = [
        "/pages/staff-handbook",
        "/pages",
        "/profile",
        "/community",
        "/members/holder",
        "/badges/staff",
        "/",
        "/dashboard/pages",
        &format!("/dashboard/pages/{page}"),
    ];
    for (who, client) in
        [("a visitor", app.client()), ("a member without the badge", nobody.clone()), ("a pending member", pending)]
    {
        for path in pages {
            let body = app.page(&client, path).await.text().await.unwrap();
            assert!(!body.contains(SECRET), "{who} received the content at {path}");
        }
        for (name, res) in [
            ("OpenPage", app.call::<OpenPage>(&client, &[("slug", "staff-handbook")]).await),
            ("YourPages", app.call::<YourPages>(&client, &[]).await),
            ("ListPages", app.call::<ListPages>(&client, &[]).await),
            ("GetPage", app.call::<GetPage>(&client, &[("id", &page)]).await),
            ("PagesOfBadge", app.call::<PagesOfBadge>(&client, &[("badge_id", &staff)]).await),
            ("PreviewPage", app.call::<PreviewPage>(&client, &[("content", "x")]).await),
        ] {
            let body = res.text().await.unwrap();
            assert!(!body.contains(SECRET), "{who} received the content from {name}");
        }
    }

    // the refusal names the badge, links its page, and says who besides admins grants it
    let body = app.page(&nobody, "/pages/staff-handbook").await.text().await.unwrap();
    assert!(body.contains("href=\"/badges/staff\""), "{body}");
    assert!(body.contains("href=\"/members/dee\""), "the public delegate is named: {body}");
    // the badge's public page lists what it unlocks, by title only
    let badge_page = app.page(&nobody, "/badges/staff").await.text().await.unwrap();
    assert!(badge_page.contains("Unlocks") && badge_page.contains("href=\"/pages/staff-handbook\""), "{badge_page}");
    assert!(!app.page(&nobody, "/badges/plain").await.text().await.unwrap().contains("Unlocks"));
}

async fn pages_are_validated_and_sanitized(db: TestDb) {
    let site = site(db).await;
    let app = &site.app;
    let error = |res: reqwest::Response| async move {
        let (status, e) = error_of(res).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e:?}");
        e
    };
    let taken = save_page(app, &site.owner, &[("title", "Another"), ("slug", "staff-handbook")]).await;
    assert!(error(taken).await.field_message("slug").unwrap().contains("Another page has this address"));
    let bad_slug = save_page(app, &site.owner, &[("title", "Bad"), ("slug", "Not A Slug")]).await;
    assert!(error(bad_slug).await.field_message("slug").is_some());
    let plain = site.plain.to_string();
    let no_permissions = save_page(app, &site.owner, &[("title", "Plain"), ("badges[0]", &plain)]).await;
    assert!(error(no_permissions).await.field_message("badges").unwrap().contains("does not grant page permissions"));
    let untitled = save_page(app, &site.owner, &[("title", " ")]).await;
    assert!(error(untitled).await.field_message("title").is_some());
    let too_long = "x".repeat(50_001);
    let long = save_page(app, &site.owner, &[("title", "Long"), ("content", &too_long)]).await;
    assert!(error(long).await.field_message("content").is_some());
    assert_eq!(app.count("select count(*) from pages").await, 2, "nothing was saved");
    // the longest page fits the editor's form, even in characters that take 6 bytes of form each
    let longest = "é".repeat(50_000);
    ok(save_page(app, &site.owner, &[("title", "Longest"), ("content", &longest)]).await).await;
    let status = declare_oversized_save(app).await;
    assert!(status.starts_with("HTTP/1.1 413"), "one byte over the editor's limit is refused: {status}");

    // hostile Markdown is saved as written and served sanitized
    let hostile =
        "<script>alert('zq1')</script>\n\n<img src=x onerror=\"alert('zq2')\">\n\n[x](javascript:alert('zq3'))";
    ok(save_page(app, &site.owner, &[("title", "Hostile"), ("content", hostile)]).await).await;
    let holder = signed_up_member(app, "member@example.com").await;
    let body = app.page(&holder, "/pages/hostile").await.text().await.unwrap();
    for gone in ["alert('zq1')", "onerror", "javascript:alert"] {
        assert!(!body.contains(gone), "{gone} reached the page: {body}");
    }
    let preview: String =
        ok(app.call::<PreviewPage>(&site.owner, &[("content", hostile)]).await).await.json().await.unwrap();
    assert!(
        !preview.contains("script") && !preview.contains("onerror") && !preview.contains("javascript:"),
        "{preview}"
    );
}
