//! Who may call what, tried for real: every server function and every REST operation is called
//! by each persona — a visitor, a forged session cookie, a blocked member whose cookie (and
//! token) the browser still holds, a pending member, an approved member, a delegate, an admin
//! and the owner. A refused call answers 401 (nobody is logged in) or 403 (somebody is, but may
//! not), and changes nothing in the database: a digest of every table is taken before and after.
//! An allowed call is never refused and never a 5xx.
//!
//! The table below must name every registered server function and every documented REST
//! operation; a new one without a row fails the test.

use crate::api::{logged_in, OWNER};
use crate::common::{create_plain_badge, member_id, TestApp, TestDb, PNG};
use insignia::assignments::api as assignments;
use insignia::audit::api as audit;
use insignia::auth::actor::Actor;
use insignia::auth::api as auth;
use insignia::auth::key_api as keys;
use insignia::auth::key_service;
use insignia::badges::api as badges;
use insignia::member_pages::api as member_pages;
use insignia::members::api as members;
use insignia::settings::api as settings;
use insignia::webhooks::api as webhooks;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use uuid::Uuid;

crate::on_both_backends!(every_edge_refuses_whom_it_must_and_a_refusal_changes_nothing);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Persona {
    Visitor,
    ForgedCookie,
    Blocked,
    Pending,
    Approved,
    Delegate,
    Admin,
    Owner,
}

const PERSONAS: [Persona; 8] = [
    Persona::Visitor,
    Persona::ForgedCookie,
    Persona::Blocked,
    Persona::Pending,
    Persona::Approved,
    Persona::Delegate,
    Persona::Admin,
    Persona::Owner,
];

impl Persona {
    /// Whether the server sees somebody: a blocked member's session and token count as nobody.
    fn is_somebody(self) -> bool {
        !matches!(self, Persona::Visitor | Persona::ForgedCookie | Persona::Blocked)
    }
}

/// Who a call is for.
#[derive(Debug, Clone, Copy)]
enum Who {
    /// Everyone, logged in or not (the call may still fail for its own reasons).
    Anyone,
    /// Any account with a live session or token, pending members included.
    LoggedIn,
    /// An approved member's own profile: approved members, delegates and admins (who have a
    /// member record); not the owner, who has none.
    OwnProfile,
    /// The badge's delegate, admins and the owner.
    Delegate,
    /// Only the badge's delegate: staff assign through their own functions.
    OnlyDelegate,
    /// Admins and the owner.
    Staff,
    /// Callers that are a member (every member token, staff members' included). A site key is
    /// nobody's member: it gets the 404 of "no current member" (REST_CONTRACT §8).
    Member,
    /// Like `Member`, for what only an approved member may change of their own.
    ApprovedMember,
    /// A bulk call any approved member or staff may make; each item is then authorized on its
    /// own, so a caller allowed none of them gets a 200 listing the refusals, and nothing changes.
    PerItem(&'static Who),
}

impl Who {
    fn allows(self, p: Persona) -> bool {
        use Persona::*;
        match self {
            Who::Anyone => true,
            Who::LoggedIn => p.is_somebody(),
            Who::OwnProfile => matches!(p, Approved | Delegate | Admin),
            Who::Delegate => matches!(p, Delegate | Admin | Owner),
            Who::OnlyDelegate => p == Delegate,
            Who::Staff => matches!(p, Admin | Owner),
            Who::Member => matches!(p, Pending | Approved | Delegate | Admin),
            Who::ApprovedMember => matches!(p, Approved | Delegate | Admin),
            // a pending member can be nobody's delegate: refused as a whole
            Who::PerItem(_) => matches!(p, Approved | Delegate | Admin | Owner),
        }
    }

    /// What a refused call answers.
    fn refusal(self, p: Persona) -> StatusCode {
        match (self, p) {
            (_, p) if !p.is_somebody() => StatusCode::UNAUTHORIZED,
            (Who::Member | Who::ApprovedMember, Persona::Owner) => StatusCode::NOT_FOUND,
            (Who::PerItem(_), p) if p != Persona::Pending => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        }
    }

    /// Whether the call may change anything for `p`.
    fn may_change(self, p: Persona) -> bool {
        match self {
            Who::PerItem(inner) => inner.allows(p),
            other => other.allows(p),
        }
    }
}

enum Body {
    Form(Vec<(&'static str, String)>),
    Multipart(Vec<(&'static str, String)>, &'static str, Vec<u8>),
    Json(Option<Value>),
}

struct Row {
    /// The server function's path, or the REST operation as documented (`POST /path/{id}`).
    name: String,
    method: &'static str,
    path: String,
    body: Body,
    who: Who,
}

/// What every persona's world holds; ids differ from one world to the next.
struct World {
    app: TestApp,
    /// "Helpers", delegated to the delegate; the holder holds it.
    badge: Uuid,
    /// "Veterans", held by nobody (deleted by the calls that delete a badge).
    spare: Uuid,
    /// A public approved member the calls act on.
    target: Uuid,
    /// The holder's assignment of "Helpers".
    assignment: String,
    /// "Helpers' corner", a members-only page for every approved member.
    page: Uuid,
    /// A webhook receiving badge updates.
    webhook: Uuid,
    /// The persona's browser and REST credential.
    client: reqwest::Client,
    credential: Option<String>,
}

const PASSWORD: &str = "member-password-1";

async fn member_client(app: &TestApp, email: &str) -> reqwest::Client {
    insignia::auth::service::sign_up(&app.store, email, PASSWORD).await.unwrap();
    logged_in(app, email, PASSWORD).await
}

async fn token(app: &TestApp, email: &str) -> String {
    key_service::create_token_for(&app.store, &Actor::System, email, "matrix").await.unwrap().secret
}

async fn world(db: TestDb, persona: Persona) -> World {
    // no webhook worker: its attempts would change the database between the calls compared
    let app = TestApp::spawn_without_deliveries(db).await;
    insignia::auth::service::create_owner(&app.store, OWNER.0, OWNER.1).await.unwrap();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let admin = member_client(&app, "admin@example.com").await;
    app.db.execute("update accounts set role = 'admin' where email = 'admin@example.com'").await;
    let ann = member_client(&app, "ann@example.com").await;
    let dee = member_client(&app, "dee@example.com").await;
    let tom = member_client(&app, "tom@example.com").await;
    let bob = member_client(&app, "bob@example.com").await;
    insignia::auth::service::sign_up(&app.store, "val@example.com", PASSWORD).await.unwrap();
    let on = |require: &'static str| [("site_name", "Matrix".to_owned()), ("require_approval", require.to_owned())];
    assert_eq!(call_form(&app, &owner, settings::UpdateSettings::PATH, &on("on")).await, StatusCode::OK);
    let pen = member_client(&app, "pen@example.com").await;
    assert_eq!(call_form(&app, &owner, settings::UpdateSettings::PATH, &on("")).await, StatusCode::OK);

    let badge = create_plain_badge(&app.store, "Helpers").await;
    let spare = create_plain_badge(&app.store, "Veterans").await;
    let (target, val, bob_id) = (
        member_id(&app.store, "tom@example.com").await,
        member_id(&app.store, "val@example.com").await,
        member_id(&app.store, "bob@example.com").await,
    );
    let join = [("join", "true".to_owned())];
    assert_eq!(call_form(&app, &tom, members::SetCommunityMembership::PATH, &join).await, StatusCode::OK);
    let assign = [("badge_id", badge.to_string()), ("member_id", val.to_string())];
    assert_eq!(call_form(&app, &owner, assignments::AssignBadge::PATH, &assign).await, StatusCode::OK);
    let delegate = [("badge_id", badge.to_string()), ("member", "dee@example.com".to_owned())];
    assert_eq!(call_form(&app, &owner, assignments::AddBadgeAssigner::PATH, &delegate).await, StatusCode::OK);
    let owner_key = key_service::create_site_key(&app.store, &Actor::System, "owner", "badges.manage,members.manage")
        .await
        .unwrap()
        .secret;
    let query = json!({"query": {}});
    let (_, found) = rest(&app, Some(&owner_key), "POST", "/badges/v4/badge-assignments/query", Some(query)).await;
    let assignment = found["badgeAssignments"][0]["id"].as_str().expect("the holder's assignment").to_owned();

    use insignia::domain::page::{PageContent, PageSlug, PageTitle};
    let corner = insignia::store::PageFields {
        title: PageTitle::parse("Helpers' corner").unwrap(),
        slug: PageSlug::parse("helpers-corner").unwrap(),
        content: PageContent::parse("Welcome").unwrap(),
        badge_ids: vec![],
    };
    let page = app.store.create_page(&corner).await.unwrap().id;
    let hook = insignia::store::NewEndpoint {
        url: "https://receiver.example/hook".into(),
        format: insignia::domain::webhook::WebhookFormat::Standard,
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        event_types: vec![insignia::domain::webhook::EventType::BadgeUpdated],
    };
    let webhook = app.store.create_endpoint(&hook).await.unwrap().id;

    let bob_token = token(&app, "bob@example.com").await;
    let block = [("id", bob_id.to_string()), ("action", "block".to_owned())];
    assert_eq!(call_form(&app, &owner, members::MemberAction::PATH, &block).await, StatusCode::OK);

    let (client, credential) = match persona {
        Persona::Visitor => (app.client(), None),
        Persona::ForgedCookie => {
            let mut headers = reqwest::header::HeaderMap::new();
            let forged = format!("insignia_session={}", "A".repeat(43));
            headers.insert(reqwest::header::COOKIE, forged.parse().unwrap());
            let client = reqwest::Client::builder()
                .default_headers(headers)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            (client, None)
        }
        Persona::Blocked => (bob, Some(bob_token)),
        Persona::Pending => (pen, Some(token(&app, "pen@example.com").await)),
        Persona::Approved => (ann, Some(token(&app, "ann@example.com").await)),
        Persona::Delegate => (dee, Some(token(&app, "dee@example.com").await)),
        Persona::Admin => (admin, Some(token(&app, "admin@example.com").await)),
        Persona::Owner => (owner, Some(owner_key)),
    };
    World { app, badge, spare, target, assignment, page, webhook, client, credential }
}

async fn call_form(app: &TestApp, client: &reqwest::Client, path: &str, form: &[(&str, String)]) -> StatusCode {
    client.post(app.url(path)).form(form).send().await.unwrap().status()
}

async fn rest(app: &TestApp, key: Option<&str>, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = reqwest::Client::new().request(method, app.url(path));
    if let Some(key) = key {
        req = req.header("authorization", key);
    }
    if let Some(body) = body {
        req = req.header("content-type", "application/json").body(body.to_string());
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn form(pairs: &[(&'static str, &str)]) -> Body {
    Body::Form(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

fn server_fn(path: &str, body: Body, who: Who) -> Row {
    Row { name: path.to_owned(), method: "POST", path: path.to_owned(), body, who }
}

/// A REST operation as documented; its `{…}` segments are filled with `ids`, in order.
fn op(method: &'static str, documented: &str, ids: &[&dyn std::fmt::Display], body: Option<Value>, who: Who) -> Row {
    let mut ids = ids.iter();
    let path = documented
        .split('/')
        .map(|segment| match segment.starts_with('{') {
            true => ids.next().expect("an id for every {…} of the path").to_string(),
            false => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/");
    assert!(ids.next().is_none(), "more ids than {documented} has segments for");
    Row { name: format!("{method} {documented}"), method, path, body: Body::Json(body), who }
}

/// The server functions, in the order they are called. The last ones end or replace the
/// persona's session, so they come after everything else (see `session_enders`).
fn server_functions(w: &World) -> Vec<Row> {
    let (b, spare, t, page) = (w.badge.to_string(), w.spare.to_string(), w.target.to_string(), w.page.to_string());
    let hook = w.webhook.to_string();
    let badge_form = |title: &str| {
        form(&[("title", title), ("description", ""), ("background_color", "#112233"), ("text_color", "#ffffff")])
    };
    vec![
        server_fn(auth::GetCurrentUser::PATH, form(&[]), Who::Anyone),
        server_fn(auth::NeedsSetup::PATH, form(&[]), Who::Anyone),
        server_fn(settings::SiteName::PATH, form(&[]), Who::Anyone),
        server_fn(members::Community::PATH, form(&[("page", "1")]), Who::Anyone),
        server_fn(members::GetProfile::PATH, form(&[("slug", "tom")]), Who::Anyone),
        server_fn(badges::BadgePage::PATH, form(&[("slug", "helpers"), ("page", "1")]), Who::Anyone),
        server_fn(members::MyProfile::PATH, form(&[]), Who::LoggedIn),
        // a logged-in reader gets the page or the reason it is closed to them; a visitor a 401
        server_fn(member_pages::OpenPage::PATH, form(&[("slug", "helpers-corner")]), Who::LoggedIn),
        server_fn(member_pages::YourPages::PATH, form(&[]), Who::Anyone),
        server_fn(
            members::UpdateMyProfile::PATH,
            form(&[("nickname", "Renamed"), ("title", ""), ("slug", "renamed")]),
            Who::OwnProfile,
        ),
        server_fn(members::UploadPhoto::PATH, Body::Multipart(vec![], "photo", PNG.to_vec()), Who::OwnProfile),
        server_fn(members::RemovePhoto::PATH, form(&[]), Who::OwnProfile),
        server_fn(members::SetCommunityMembership::PATH, form(&[("join", "true")]), Who::OwnProfile),
        server_fn(keys::MyKeys::PATH, form(&[]), Who::LoggedIn),
        server_fn(keys::CreateKey::PATH, form(&[("name", "matrix key")]), Who::LoggedIn),
        server_fn(keys::RevokeKey::PATH, form(&[("prefix", "ins_nosuchkey")]), Who::LoggedIn),
        // what the caller may assign: nothing, for a visitor (a profile page asks for everyone)
        server_fn(assignments::MyAssignableBadges::PATH, form(&[]), Who::Anyone),
        server_fn(
            assignments::DelegatedAssign::PATH,
            form(&[("badge_id", &b), ("member_id", &t), ("reason", "")]),
            Who::OnlyDelegate,
        ),
        server_fn(assignments::BadgeChoices::PATH, form(&[]), Who::Staff),
        server_fn(assignments::UnassignBadge::PATH, form(&[("badge_id", &b), ("member_id", &t)]), Who::Staff),
        server_fn(assignments::AssignBadge::PATH, form(&[("badge_id", &b), ("member_id", &t)]), Who::Staff),
        server_fn(
            assignments::BulkAssign::PATH,
            form(&[("badge_id", &spare), ("action", "assign"), ("member_ids[0]", &t)]),
            Who::Staff,
        ),
        server_fn(assignments::CountMatching::PATH, form(&[("search", "tom")]), Who::Staff),
        server_fn(
            assignments::AssignAllMatching::PATH,
            form(&[("badge_id", &spare), ("action", "unassign"), ("search", "tom")]),
            Who::Staff,
        ),
        server_fn(assignments::AssignmentJobs::PATH, form(&[]), Who::Staff),
        server_fn(
            assignments::ImportAssignments::PATH,
            Body::Multipart(vec![("badge_id", b.clone())], "file", b"tom@example.com\n".to_vec()),
            Who::Staff,
        ),
        server_fn(assignments::BadgeAssigners::PATH, form(&[("badge_id", &b)]), Who::Staff),
        server_fn(
            assignments::AddBadgeAssigner::PATH,
            form(&[("badge_id", &b), ("member", "ann@example.com")]),
            Who::Staff,
        ),
        server_fn(assignments::RemoveBadgeAssigner::PATH, form(&[("badge_id", &spare), ("member_id", &t)]), Who::Staff),
        // badges are public to members (REST_CONTRACT §12): any account reads them
        server_fn(badges::ListBadges::PATH, form(&[("page", "1")]), Who::LoggedIn),
        server_fn(badges::GetBadge::PATH, form(&[("id", &b)]), Who::LoggedIn),
        server_fn(badges::SaveBadge::PATH, badge_form("Newcomers"), Who::Staff),
        server_fn(badges::MoveBadge::PATH, form(&[("id", &b), ("to", "last")]), Who::Staff),
        server_fn(insignia::icons::api::SearchIcons::PATH, form(&[("query", "star"), ("page", "0")]), Who::Staff),
        server_fn(insignia::uploads::api::UploadImage::PATH, Body::Multipart(vec![], "file", PNG.to_vec()), Who::Staff),
        server_fn(members::GetDashboardStats::PATH, form(&[]), Who::Staff),
        server_fn(members::ListMembers::PATH, form(&[("page", "1")]), Who::Staff),
        server_fn(members::GetMember::PATH, form(&[("id", &t)]), Who::Staff),
        server_fn(
            members::SaveMember::PATH,
            form(&[
                ("id", &t),
                ("nickname", "Tom"),
                ("title", ""),
                ("slug", "tom"),
                ("first_name", ""),
                ("last_name", ""),
                ("company", ""),
                ("job_title", ""),
                ("birthdate", ""),
                ("phones", ""),
                ("emails", ""),
            ]),
            Who::Staff,
        ),
        server_fn(
            members::CreateMember::PATH,
            form(&[("email", "made@example.com"), ("nickname", ""), ("password", PASSWORD)]),
            Who::Staff,
        ),
        server_fn(members::MemberAction::PATH, form(&[("id", &t), ("action", "mute")]), Who::Staff),
        server_fn(member_pages::ListPages::PATH, form(&[]), Who::Staff),
        server_fn(member_pages::GetPage::PATH, form(&[("id", &page)]), Who::Staff),
        server_fn(member_pages::PageBadgeChoices::PATH, form(&[]), Who::Staff),
        server_fn(member_pages::PagesOfBadge::PATH, form(&[("badge_id", &b)]), Who::Staff),
        server_fn(member_pages::PreviewPage::PATH, form(&[("content", "# Hi")]), Who::Staff),
        server_fn(
            member_pages::SavePage::PATH,
            form(&[("title", "Matrix page"), ("content", "Taken over")]),
            Who::Staff,
        ),
        server_fn(member_pages::MovePage::PATH, form(&[("id", &page), ("to", "last")]), Who::Staff),
        server_fn(settings::GetSettings::PATH, form(&[]), Who::Staff),
        server_fn(audit::AuditLog::PATH, form(&[("action", "created")]), Who::Staff),
        server_fn(webhooks::GetWebhooks::PATH, form(&[]), Who::Staff),
        server_fn(
            webhooks::AddWebhook::PATH,
            form(&[
                ("url", "https://other.example/hook"),
                ("format", "sdk"),
                ("event_types[0]", "wix.members.v1.member_created"),
            ]),
            Who::Staff,
        ),
        server_fn(webhooks::SendTestEvent::PATH, form(&[("id", &hook)]), Who::Staff),
        server_fn(webhooks::GetDeliveryLog::PATH, form(&[("id", &hook)]), Who::Staff),
        server_fn(webhooks::Redeliver::PATH, form(&[("id", &hook), ("delivery_id", "1")]), Who::Staff),
        server_fn(webhooks::PauseWebhook::PATH, form(&[("id", &hook), ("paused", "true")]), Who::Staff),
        server_fn(webhooks::DeleteWebhook::PATH, form(&[("id", &hook)]), Who::Staff),
        server_fn(
            settings::UpdateSettings::PATH,
            form(&[("site_name", "Taken over"), ("require_approval", "")]),
            Who::Staff,
        ),
        server_fn(badges::DeleteBadge::PATH, form(&[("id", &spare)]), Who::Staff),
        server_fn(member_pages::DeletePage::PATH, form(&[("id", &page)]), Who::Staff),
        server_fn(members::DeleteMember::PATH, form(&[("id", &t)]), Who::Staff),
    ]
}

/// Calls that end or replace the persona's session: after every other call.
fn session_enders() -> Vec<Row> {
    vec![
        server_fn(auth::LogoutEverywhere::PATH, form(&[]), Who::LoggedIn),
        server_fn(auth::Logout::PATH, form(&[]), Who::Anyone),
        server_fn(
            auth::Login::PATH,
            form(&[("email", "nobody@example.com"), ("password", "wrong-password")]),
            Who::Anyone,
        ),
        server_fn(
            auth::SignUp::PATH,
            form(&[("email", "late@example.com"), ("password", PASSWORD), ("password_confirm", PASSWORD)]),
            Who::Anyone,
        ),
        server_fn(
            auth::SetupOwner::PATH,
            form(&[("email", "usurper@example.com"), ("password", PASSWORD), ("password_confirm", PASSWORD)]),
            Who::Anyone,
        ),
    ]
}

/// The REST operations, as REST_CONTRACT §5–8 and §12 say who may call them.
fn rest_operations(w: &World) -> Vec<Row> {
    let (b, spare, t, a) = (w.badge, w.spare, w.target, &w.assignment);
    let new_badge = json!({"badge": {"title": "Made by REST", "backgroundColor": "#112233", "textColor": "#FFFFFF"}});
    let tags = json!({"tags": {"tagIds": ["vip"]}});
    let only_target = json!({"filter": {"loginEmail": {"$eq": "tom@example.com"}}});
    vec![
        // Badges V4
        op("GET", "/badges/v4/badges/{badgeId}", &[&b], None, Who::LoggedIn),
        op("POST", "/badges/v4/badges/query", &[], Some(json!({"query": {}})), Who::LoggedIn),
        op("POST", "/badges/v4/badges", &[], Some(new_badge.clone()), Who::Staff),
        op("PATCH", "/badges/v4/badges/{badgeId}", &[&b], Some(json!({"badge": {"title": "Helpers!"}})), Who::Staff),
        op("POST", "/badges/v4/badges/order", &[], Some(json!({"ids": [b]})), Who::Staff),
        op("POST", "/badges/v4/badges/{badgeId}/move", &[&b], Some(json!({"position": "FIRST"})), Who::Staff),
        // Badges V3
        op("GET", "/_api/members/v3/badges", &[], None, Who::LoggedIn),
        op("GET", "/_api/members/v3/badges/{id}", &[&b], None, Who::LoggedIn),
        op("GET", "/_api/members/v3/badges/{id}/members", &[&b], None, Who::LoggedIn),
        op("POST", "/_api/members/v3/badges/members", &[], Some(json!({"memberIds": [t]})), Who::LoggedIn),
        op("GET", "/_api/members/v3/badges/members/count", &[], None, Who::LoggedIn),
        op("POST", "/_api/members/v3/badges", &[], Some(new_badge), Who::Staff),
        op("PATCH", "/_api/members/v3/badges/{id}", &[&b], Some(json!({"badge": {"title": "Helpers?"}})), Who::Staff),
        op("POST", "/_api/members/v3/badges/{id}/members", &[&spare], Some(json!({"memberIds": [t]})), Who::Staff),
        op("DELETE", "/_api/members/v3/badges/{id}/members", &[&spare], Some(json!({"memberIds": [t]})), Who::Staff),
        op("PATCH", "/_api/members/v3/badges/order", &[], Some(json!({"badgeIds": [b]})), Who::Staff),
        // Badge Assignments V4
        op("POST", "/badges/v4/badge-assignments/query", &[], Some(json!({"query": {}})), Who::LoggedIn),
        op(
            "POST",
            "/badges/v4/badge-assignments",
            &[],
            Some(json!({"badgeAssignment": {"badgeId": b, "memberId": t}})),
            Who::Delegate,
        ),
        op(
            "POST",
            "/badges/v4/bulk/badge-assignments/create",
            &[],
            Some(json!({"badgeAssignments": [{"badgeId": spare, "memberId": t}]})),
            Who::PerItem(&Who::Staff),
        ),
        op(
            "POST",
            "/badges/v4/bulk/badge-assignments/bulk-update-tags",
            &[],
            Some(json!({"ids": [a], "assignTags": tags})),
            Who::Staff,
        ),
        op(
            "POST",
            "/badges/v4/bulk/badge-assignments/update-tags-by-filter",
            &[],
            Some(json!({"filter": {}, "assignTags": tags})),
            Who::Staff,
        ),
        op(
            "POST",
            "/badges/v4/bulk/badge-assignments/delete",
            &[],
            Some(json!({"badgeAssignmentIds": [a]})),
            Who::Staff,
        ),
        op("DELETE", "/badges/v4/badge-assignments/{badgeAssignmentId}", &[a], None, Who::Staff),
        // Members V1
        op("GET", "/_api/members/v1/members", &[], None, Who::LoggedIn),
        op("POST", "/_api/members/v1/members/query", &[], Some(json!({"query": {}})), Who::LoggedIn),
        op("GET", "/_api/members/v1/members/{id}", &[&t], None, Who::LoggedIn),
        op("GET", "/_api/members/v1/members/my", &[], None, Who::Member),
        op("POST", "/_api/members/v1/members/my/slug", &[], Some(json!({"slug": "my-new-slug"})), Who::ApprovedMember),
        op("POST", "/_api/members/v1/members/join-community", &[], Some(json!({})), Who::Member),
        op("POST", "/_api/members/v1/members/leave-community", &[], Some(json!({})), Who::Member),
        op(
            "POST",
            "/_api/members/v1/members",
            &[],
            Some(json!({"member": {"loginEmail": "rest@example.com"}})),
            Who::Staff,
        ),
        op(
            "PATCH",
            "/_api/members/v1/members/{id}",
            &[&t],
            Some(json!({"member": {"profile": {"nickname": "Tommy"}}})),
            Who::Staff,
        ),
        op("POST", "/_api/members/v1/members/{id}/slug", &[&t], Some(json!({"slug": "tommy"})), Who::Staff),
        op("POST", "/_api/members/v1/members/{id}/mute", &[&t], Some(json!({})), Who::Staff),
        op("POST", "/_api/members/v1/members/{id}/unmute", &[&t], Some(json!({})), Who::Staff),
        op("POST", "/_api/members/v1/members/{id}/approve", &[&t], Some(json!({})), Who::Staff),
        op("POST", "/_api/members/v1/members/{id}/disconnect", &[&t], Some(json!({})), Who::Staff),
        op("DELETE", "/_api/members/v1/members/{id}/phones", &[&t], None, Who::Staff),
        op("DELETE", "/_api/members/v1/members/{id}/emails", &[&t], None, Who::Staff),
        op("DELETE", "/_api/members/v1/members/{id}/addresses", &[&t], None, Who::Staff),
        op("POST", "/_api/members/v1/members/bulk/approve-by-filter", &[], Some(only_target.clone()), Who::Staff),
        op("POST", "/_api/members/v1/members/bulk/block-by-filter", &[], Some(only_target.clone()), Who::Staff),
        op("POST", "/_api/members/v1/members/{id}/block", &[&t], Some(json!({})), Who::Staff),
        op("POST", "/_api/members/v1/members/bulk/delete-by-filter", &[], Some(only_target), Who::Staff),
        op("POST", "/_api/members/v1/members/bulk/delete", &[], Some(json!({"memberIds": [t]})), Who::Staff),
        op("DELETE", "/_api/members/v1/members/{id}", &[&t], None, Who::Staff),
        op("DELETE", "/badges/v4/badges/{badgeId}", &[&spare], None, Who::Staff),
        op("DELETE", "/_api/members/v3/badges/{id}", &[&b], None, Who::Staff),
    ]
}

/// REST calls that end the persona's token: last of all.
fn token_enders() -> Vec<Row> {
    vec![op("DELETE", "/_api/members/v1/members/my", &[], None, Who::Member)]
}

/// Calls `row` as the persona; the status it answered.
async fn call(w: &World, row: &Row) -> StatusCode {
    let url = w.app.url(&row.path);
    match &row.body {
        Body::Form(pairs) => w.client.post(url).form(pairs).send().await.unwrap().status(),
        Body::Multipart(fields, file_field, bytes) => {
            let mut parts = reqwest::multipart::Form::new();
            for (name, value) in fields {
                parts = parts.text(*name, value.clone());
            }
            let file = reqwest::multipart::Part::bytes(bytes.clone()).file_name("upload.png");
            w.client.post(url).multipart(parts.part(*file_field, file)).send().await.unwrap().status()
        }
        Body::Json(body) => {
            // the browser's cookie goes along too: the REST API must not take it for a login
            let method = reqwest::Method::from_bytes(row.method.as_bytes()).unwrap();
            let mut req = w.client.request(method, url);
            if let Some(key) = &w.credential {
                req = req.header("authorization", key);
            }
            if let Some(body) = body {
                req = req.header("content-type", "application/json").body(body.to_string());
            }
            req.send().await.unwrap().status()
        }
    }
}

async fn every_edge_refuses_whom_it_must_and_a_refusal_changes_nothing(db: TestDb) {
    let backend = db.backend;
    // the table covers every edge there is
    let probe = world(crate::common::test_db(backend).await, Persona::Visitor).await;
    let mut named: BTreeSet<String> = server_functions(&probe).iter().map(|r| r.name.clone()).collect();
    named.extend(session_enders().into_iter().map(|r| r.name));
    let registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    assert_eq!(
        registered.difference(&named).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "server functions without a row in the matrix"
    );
    assert_eq!(named.difference(&registered).collect::<Vec<_>>(), Vec::<&String>::new(), "rows for no function");
    let mut ops: BTreeSet<String> = rest_operations(&probe).iter().map(|r| r.name.clone()).collect();
    ops.extend(token_enders().into_iter().map(|r| r.name));
    let documented = documented_operations(&probe.app).await;
    assert_eq!(documented.difference(&ops).collect::<Vec<_>>(), Vec::<&String>::new(), "REST operations without a row");
    assert_eq!(ops.difference(&documented).collect::<Vec<_>>(), Vec::<&String>::new(), "rows for no operation");
    drop(probe);

    let mut wrong = Vec::new();
    let mut calls = 0;
    let mut given = Some(db);
    for persona in PERSONAS {
        let db = match given.take() {
            Some(db) => db,
            None => crate::common::test_db(backend).await,
        };
        let w = world(db, persona).await;
        let rows: Vec<Row> = server_functions(&w)
            .into_iter()
            .chain(rest_operations(&w))
            .chain(session_enders())
            .chain(token_enders())
            .collect();
        let mut before = w.app.db.digest().await;
        for row in &rows {
            calls += 1;
            let status = call(&w, row).await;
            if row.who.may_change(persona) {
                if status == StatusCode::UNAUTHORIZED && row.name == auth::Login::PATH {
                    // a wrong password is a 401 for everyone; what matters is that it is no 5xx
                } else if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) || status.is_server_error()
                {
                    wrong.push(format!("{persona:?} {}: {status}, but may call it", row.name));
                }
                before = w.app.db.digest().await;
                continue;
            }
            let expected = row.who.refusal(persona);
            if status != expected {
                wrong.push(format!("{persona:?} {}: {status}, expected {expected}", row.name));
            }
            let after = w.app.db.digest().await;
            if after != before {
                let changed: Vec<&String> =
                    after.iter().filter(|(table, rows)| before.get(*table) != Some(rows)).map(|(t, _)| t).collect();
                wrong.push(format!("{persona:?} {}: refused, but changed {changed:?}", row.name));
                before = after;
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {calls} calls went wrong:\n{}", wrong.len(), wrong.join("\n"));
}

/// `METHOD /path` of every operation in the OpenAPI document.
async fn documented_operations(app: &TestApp) -> BTreeSet<String> {
    let doc: Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    ops
}
