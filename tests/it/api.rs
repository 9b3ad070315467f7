//! The app over HTTP: pages, server functions, sessions and their guards.

use crate::common::{TestApp, TestDb};
use insignia::auth::api::{GetCurrentUser, Login, Logout, SetupOwner, SignUp};
use insignia::auth::CurrentUser;
use insignia::badges::api::{DeleteBadge, SaveBadge};
use insignia::badges::Badge;
use insignia::domain::SiteSettings;
use insignia::domain::{MemberStatus, Role};
use insignia::error::{AppError, ErrorCode};
use insignia::settings::api::{GetSettings, UpdateSettings};
use reqwest::StatusCode;

crate::on_both_backends!(
    badge_list_pages_keep_the_search_and_sort,
    healthz_checks_the_database,
    fresh_install_sends_visitors_to_setup,
    setup_creates_the_owner_once,
    member_is_refused_admin_server_functions,
    visitor_is_refused_admin_server_functions,
    login_is_throttled_after_repeated_failures,
    logout_ends_the_session_on_the_server,
    sign_up_waits_for_approval_when_the_owner_asks,
    dashboard_pages_guard_people,
    unknown_pages_answer_404,
    bad_sign_up_input_names_the_field,
    forms_without_javascript_get_their_errors_back_on_the_page,
    badges_are_saved_by_admins_only_and_at_their_revision,
    server_function_errors_get_their_status_and_code_in_one_place,
    every_answer_forbids_framing_and_sniffing,
    pages_allow_only_their_own_scripts,
    server_function_bodies_are_bounded,
);

pub(crate) const OWNER: (&str, &str) = ("owner@example.com", "owner-password-1");

pub(crate) async fn app_with_owner(db: TestDb) -> TestApp {
    let app = TestApp::spawn(db).await;
    insignia::auth::service::create_owner(&app.store, OWNER.0, OWNER.1).await.unwrap();
    app
}

pub(crate) async fn logged_in(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    let client = app.client();
    let res = app.call::<Login>(&client, &[("email", email), ("password", password)]).await;
    assert_eq!(res.status(), StatusCode::OK, "login failed: {}", res.text().await.unwrap());
    client
}

pub(crate) async fn signed_up_member(app: &TestApp, email: &str) -> reqwest::Client {
    let client = app.client();
    let pw = "member-password-1";
    let res = app.call::<SignUp>(&client, &[("email", email), ("password", pw), ("password_confirm", pw)]).await;
    assert_eq!(res.status(), StatusCode::OK, "sign-up failed: {}", res.text().await.unwrap());
    client
}

async fn current_user(app: &TestApp, client: &reqwest::Client) -> Option<CurrentUser> {
    let res = app.call::<GetCurrentUser>(client, &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

pub(crate) async fn error_of(res: reqwest::Response) -> (StatusCode, AppError) {
    let status = res.status();
    let body = res.text().await.unwrap();
    let err = serde_json::from_str(&body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"));
    (status, err)
}

async fn healthz_checks_the_database(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let res = app.page(&app.client(), "/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
}

async fn fresh_install_sends_visitors_to_setup(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let client = app.client();
    let res = app.page(&client, "/").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "/setup");
    let page = app.page(&client, "/setup").await.text().await.unwrap();
    assert!(page.contains("Create owner account"), "{page}");
}

async fn setup_creates_the_owner_once(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let client = app.client();
    let form =
        [("email", "Boss@Example.com"), ("password", "owner-password-1"), ("password_confirm", "owner-password-1")];
    let res = app.call::<SetupOwner>(&client, &form).await;
    assert_eq!(res.status(), StatusCode::OK);
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let me = current_user(&app, &client).await.expect("logged in after setup");
    assert_eq!((me.email.as_str(), me.role), ("boss@example.com", Role::Owner));

    // the setup page is closed now, for everyone
    let form =
        [("email", "intruder@example.com"), ("password", "intruder-pass"), ("password_confirm", "intruder-pass")];
    let (status, err) = error_of(app.call::<SetupOwner>(&app.client(), &form).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.code(), ErrorCode::OwnerAlreadyExists);
    let page = app.page(&app.client(), "/setup").await.text().await.unwrap();
    assert!(page.contains("already set up"));
    assert!(app
        .store
        .account_by_email(&insignia::domain::Email::parse("intruder@example.com").unwrap())
        .await
        .unwrap()
        .is_none());
}

async fn member_is_refused_admin_server_functions(db: TestDb) {
    let app = app_with_owner(db).await;
    let member = signed_up_member(&app, "mia@example.com").await;
    let before = app.store.settings().await.unwrap();

    let res = app.call::<UpdateSettings>(&member, &[("site_name", "Hijacked"), ("require_approval", "on")]).await;
    let (status, err) = error_of(res).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(err, AppError::Forbidden);
    assert_eq!(app.store.settings().await.unwrap(), before, "nothing changed");

    let (status, _) = error_of(app.call::<GetSettings>(&member, &[]).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // the owner may
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let res = app.call::<UpdateSettings>(&owner, &[("site_name", "Climbing Club")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.store.settings().await.unwrap(),
        SiteSettings { site_name: "Climbing Club".into(), require_approval: false }
    );
}

async fn visitor_is_refused_admin_server_functions(db: TestDb) {
    let app = app_with_owner(db).await;
    let (status, err) = error_of(app.call::<UpdateSettings>(&app.client(), &[("site_name", "X")]).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(err, AppError::Unauthorized);
    // a forged cookie is no session
    let res = app
        .client()
        .post(app.url(<UpdateSettings as leptos::server_fn::ServerFn>::PATH))
        .header("cookie", "insignia_session=forged")
        .form(&[("site_name", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.store.settings().await.unwrap(), SiteSettings::default());
}

async fn login_is_throttled_after_repeated_failures(db: TestDb) {
    let app = app_with_owner(db).await;
    let client = app.client();
    for _ in 0..insignia::auth::service::MAX_FAILED_LOGINS {
        let (status, err) =
            error_of(app.call::<Login>(&client, &[("email", OWNER.0), ("password", "wrong-password")]).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.field_message("password").as_deref(), Some("That email and password do not match"));
    }
    // now even the right password is refused for a while
    let (status, err) = error_of(app.call::<Login>(&client, &[("email", OWNER.0), ("password", OWNER.1)]).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(matches!(err, AppError::TooManyRequests(_)));
    assert!(current_user(&app, &client).await.is_none());
    // other accounts are not locked out
    signed_up_member(&app, "other@example.com").await;
    logged_in(&app, "other@example.com", "member-password-1").await;
}

async fn logout_ends_the_session_on_the_server(db: TestDb) {
    let app = app_with_owner(db).await;
    let client = logged_in(&app, OWNER.0, OWNER.1).await;
    let me = current_user(&app, &client).await.expect("logged in");
    assert_eq!(me.role, Role::Owner);

    // keep a copy of the cookie, as a thief would
    let res = app.page(&client, "/").await;
    assert_eq!(res.status(), StatusCode::OK);
    let stolen = {
        let login = app.client();
        let res = app.call::<Login>(&login, &[("email", OWNER.0), ("password", OWNER.1)]).await;
        res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned()
    };
    let res = app
        .client()
        .post(app.url(<Logout as leptos::server_fn::ServerFn>::PATH))
        .header("cookie", &stolen)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let res = app
        .client()
        .post(app.url(<GetCurrentUser as leptos::server_fn::ServerFn>::PATH))
        .header("cookie", &stolen)
        .send()
        .await
        .unwrap();
    let who: Option<CurrentUser> = res.json().await.unwrap();
    assert!(who.is_none(), "the logged-out session is gone from the database");
    // the other session is untouched
    assert!(current_user(&app, &client).await.is_some());
}

async fn sign_up_waits_for_approval_when_the_owner_asks(db: TestDb) {
    let app = app_with_owner(db).await;
    let client = signed_up_member(&app, "early@example.com").await;
    let me = current_user(&app, &client).await.unwrap();
    assert_eq!(me.member.unwrap().status, MemberStatus::Approved);

    app.store.save_settings(&SiteSettings { require_approval: true, ..SiteSettings::default() }).await.unwrap();
    let client = signed_up_member(&app, "late@example.com").await;
    let me = current_user(&app, &client).await.unwrap();
    assert_eq!(me.role, Role::Member);
    assert_eq!(me.member.unwrap().status, MemberStatus::Pending);
    let page = app.page(&client, "/profile").await.text().await.unwrap();
    assert!(page.contains("Waiting for approval"), "{page}");
}

async fn dashboard_pages_guard_people(db: TestDb) {
    let app = app_with_owner(db).await;
    let res = app.page(&app.client(), "/dashboard/members").await;
    assert_eq!(res.status(), StatusCode::FOUND, "visitors are sent to log in");
    assert_eq!(res.headers()["location"], "/login?next=/dashboard/members");

    let member = signed_up_member(&app, "nosy@example.com").await;
    let res = app.page(&member, "/dashboard/settings").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("You don’t have access to this page"));

    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let res = app.page(&owner, "/dashboard/members").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("nosy@example.com"));
}

async fn unknown_pages_answer_404(db: TestDb) {
    let app = app_with_owner(db).await;
    let res = app.page(&app.client(), "/no/such/page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Page not found"));
}

async fn bad_sign_up_input_names_the_field(db: TestDb) {
    let app = app_with_owner(db).await;
    let client = app.client();
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("email", "not-an-email"), ("password", "long-enough-1"), ("password_confirm", "long-enough-1")], "email"),
        (&[("email", "a@example.com"), ("password", "short"), ("password_confirm", "short")], "password"),
        (
            &[("email", "a@example.com"), ("password", "long-enough-1"), ("password_confirm", "long-enough-2")],
            "password_confirm",
        ),
        (&[("email", OWNER.0), ("password", "long-enough-1"), ("password_confirm", "long-enough-1")], "email"),
    ];
    for (form, field) in cases {
        let (status, err) = error_of(app.call::<SignUp>(&client, form).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        assert!(err.field_message(field).is_some(), "{form:?} → {err:?}");
    }
    assert_eq!(app.store.member_counts().await.unwrap().total, 0, "nothing was created");
}

async fn forms_without_javascript_get_their_errors_back_on_the_page(db: TestDb) {
    let app = app_with_owner(db).await;
    let client = app.client();
    let plain_post = |form: &'static [(&'static str, &'static str)]| {
        client
            .post(app.url(<SignUp as leptos::server_fn::ServerFn>::PATH))
            .header("accept", "text/html")
            .header("referer", app.url("/signup?error=old"))
            .form(form)
            .send()
    };
    let res = plain_post(&[("email", "nojs@example.com"), ("password", "short"), ("password_confirm", "short")])
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let signed = location
        .strip_prefix("/signup?error_field=password&error=Use%20at%20least%208%20characters&error_sig=")
        .unwrap_or_else(|| panic!("{location}"));
    let page = app.page(&client, &location).await.text().await.unwrap();
    assert!(page.contains("Use at least 8 characters"), "the error shows on the form");
    assert!(page.contains(r#"aria-invalid="true""#), "next to its field");

    // a link from elsewhere cannot make the page say something else: not without a signature,
    // not with another message's, not by moving a message to another field
    for forged in [
        "/signup?error=Your%20account%20is%20locked.%20Call%20%2B1%20555%200100".to_owned(),
        format!("/signup?error=Your%20account%20is%20locked&error_sig={signed}"),
        format!("/signup?error_field=email&error=Use%20at%20least%208%20characters&error_sig={signed}"),
        format!("/signup?error=Use%20at%20least%208%20characters&error_sig={signed}"),
    ] {
        let page = app.page(&client, &forged).await.text().await.unwrap();
        assert!(!page.contains("account is locked") && !page.contains("Use at least 8"), "{forged} showed its text");
        assert!(!page.contains(r#"aria-invalid="true""#), "{forged}");
    }

    // success still redirects to where the function says
    let ok: &'static [(&str, &str)] =
        &[("email", "nojs@example.com"), ("password", "long-enough-1"), ("password_confirm", "long-enough-1")];
    let res = plain_post(ok).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "/profile");

    // a referer from elsewhere is never followed
    let res = client
        .post(app.url(<SignUp as leptos::server_fn::ServerFn>::PATH))
        .header("accept", "text/html")
        .header("referer", "https://evil.example/signup")
        .form(&[("email", "x@example.com"), ("password", "short"), ("password_confirm", "short")])
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), StatusCode::SEE_OTHER);
}

async fn badges_are_saved_by_admins_only_and_at_their_revision(db: TestDb) {
    let app = app_with_owner(db).await;
    let form = |title: &'static str| {
        vec![
            ("title", title),
            ("description", ""),
            ("background_color", "#0f766e"),
            ("text_color", "#fff"),
            ("icon_url", ""),
            ("icon_alt", ""),
        ]
    };
    let member = signed_up_member(&app, "badger@example.com").await;
    let (status, _) = error_of(app.call::<SaveBadge>(&member, &form("Sneaky")).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.count_badges(&Default::default()).await.unwrap(), 0, "nothing was created");

    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let res = app.call::<SaveBadge>(&owner, &form("Navigator")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let created: Badge = res.json().await.unwrap();
    assert_eq!((created.slug.as_str(), created.revision, created.text_color.as_str()), ("navigator", 1, "#FFFFFF"));

    let id = created.id.to_string();
    let mut update = form("Navigator II");
    update.extend([("id", id.as_str()), ("revision", "1")]);
    let res = app.call::<SaveBadge>(&owner, &update).await;
    let updated: Badge = res.json().await.unwrap();
    assert_eq!((updated.revision, updated.slug.as_str()), (2, "navigator-ii"));

    // the same form again still says revision 1: refused, nothing changed
    let mut stale = form("Navigator III");
    stale.extend([("id", id.as_str()), ("revision", "1")]);
    let (status, err) = error_of(app.call::<SaveBadge>(&owner, &stale).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.code(), ErrorCode::RevisionConflict);
    assert_eq!(app.store.badge(created.id).await.unwrap().unwrap().title, "Navigator II");

    let (status, err) = error_of(app.call::<SaveBadge>(&owner, &form("")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("title").is_some());

    let (status, _) = error_of(app.call::<DeleteBadge>(&member, &[("id", id.as_str())]).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.call::<DeleteBadge>(&owner, &[("id", id.as_str())]).await.status(), StatusCode::OK);
    let (status, _) = error_of(app.call::<DeleteBadge>(&owner, &[("id", id.as_str())]).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn badge_list_pages_keep_the_search_and_sort(db: TestDb) {
    let app = app_with_owner(db).await;
    for n in 0..51 {
        crate::common::create_plain_badge(&app.store, &format!("Paged {n:02}")).await;
    }
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let first = app.page(&owner, "/dashboard/badges?q=Paged&sort=title").await.text().await.unwrap();
    assert!(first.contains("Paged 00") && !first.contains("Paged 50"), "50 a page, by title");
    let next = r#"href="/dashboard/badges?q=Paged&amp;sort=title&amp;page=2""#;
    assert!(first.contains(next), "the next link keeps the search and sort");
    let second = app.page(&owner, "/dashboard/badges?q=Paged&sort=title&page=2").await.text().await.unwrap();
    assert!(second.contains("Paged 50") && !second.contains("Paged 49"));
    assert!(
        second.contains(r#"href="/dashboard/badges?q=Paged&amp;sort=title&amp;page=1""#),
        "and so does the previous link"
    );
}

/// No server function sets its own status any more: a missing member through `get_member`
/// (a 500 before, since that call site did not set one) answers 404 with its code.
async fn server_function_errors_get_their_status_and_code_in_one_place(db: TestDb) {
    use insignia::members::api::GetMember;
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let missing = uuid::Uuid::new_v4().to_string();
    let (status, err) = error_of(app.call::<GetMember>(&owner, &[("id", missing.as_str())]).await).await;
    assert_eq!((status, err.code()), (StatusCode::NOT_FOUND, ErrorCode::MemberNotFound));
    let (status, err) = error_of(app.call::<GetMember>(&app.client(), &[("id", missing.as_str())]).await).await;
    assert_eq!((status, err.code()), (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized));
    let (status, err) = error_of(
        app.call::<SignUp>(
            &app.client(),
            &[("email", "x@example.com"), ("password", "short"), ("password_confirm", "short")],
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        matches!(err, AppError::Validation { ref field, rule: insignia::error::Rule::MinLength, .. } if field == "password"),
        "{err:?}"
    );

    // a taken profile address: the field's message for the form, SLUG_ALREADY_EXISTS for machines
    use insignia::members::api::UpdateMyProfile;
    let ann = signed_up_member(&app, "ann@example.com").await;
    signed_up_member(&app, "ben@example.com").await;
    let (status, err) =
        error_of(app.call::<UpdateMyProfile>(&ann, &[("nickname", ""), ("title", ""), ("slug", "ben")]).await).await;
    assert_eq!((status, err.code()), (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::SlugAlreadyExists));
    assert!(err.field_message("slug").is_some());
}

/// Pages run the app's own scripts and the one inline script that carries this answer's nonce;
/// nothing else runs scripts at all.
async fn pages_allow_only_their_own_scripts(db: TestDb) {
    let app = app_with_owner(db).await;
    let client = app.client();
    let mut nonces = Vec::new();
    for path in ["/login", "/community", "/no/such/page", "/login"] {
        let res = client.get(app.url(path)).header("accept", "text/html").send().await.unwrap();
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
        let page = res.text().await.unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"))
            .to_owned();
        assert!(csp.contains("script-src 'self' 'nonce-") && !csp.contains("unsafe-inline'; script"), "{path}: {csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{path}: {csp}");
        // every script of the page carries it, and there is one to carry it
        let scripts: Vec<&str> = page.split("<script").skip(1).collect();
        assert!(!scripts.is_empty(), "{path} has its hydration script");
        for script in scripts {
            assert!(
                script.starts_with(&format!(" nonce=\"{nonce}\"")) || script.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: a script without the nonce: <script{}",
                &script[..script.len().min(80)]
            );
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a nonce is never reused");
    // the REST reference is a page too, with no script of its own to run
    let reference = client.get(app.url("/api")).send().await.unwrap().text().await.unwrap();
    assert!(!reference.contains("<script"), "/api runs no script");
    let json = app.call::<GetCurrentUser>(&client, &[]).await;
    for res in [json, client.get(app.url("/openapi.json")).send().await.unwrap()] {
        let csp = res.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'none'"), "{}: {csp}", res.url());
    }
}

/// A form body is a few kilobytes: a bigger one is refused before the function reads it, with a
/// length or without (chunked); an upload may still be as big as an image may be.
async fn server_function_bodies_are_bounded(db: TestDb) {
    let app = app_with_owner(db).await;
    let client = app.client();
    let big = format!("email=a%40example.com&password={}", "x".repeat(100 * 1024));
    let res = client
        .post(app.url(<Login as leptos::server_fn::ServerFn>::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let status = post_chunked(&app, <Login as leptos::server_fn::ServerFn>::PATH, big.as_bytes()).await;
    assert!(status.starts_with("HTTP/1.1 4"), "a chunked body is cut off at the limit: {status}");
    assert_eq!(app.count("select count(*) from login_failures").await, 0, "no password was checked");

    // a malformed form is the caller's fault: 400, not 500
    let res = client
        .post(app.url(<Login as leptos::server_fn::ServerFn>::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("password=only")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // an ordinary form still goes through
    let res = app.call::<Login>(&client, &[("email", OWNER.0), ("password", OWNER.1)]).await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// POSTs `body` in 8 KB chunks, without a length, and returns the answer's status line.
async fn post_chunked(app: &TestApp, path: &str, body: &[u8]) -> String {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/x-www-form-urlencoded\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        app.addr
    )
    .into_bytes();
    for chunk in body.chunks(8 * 1024) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    app.raw_status_line(&request).await
}

async fn every_answer_forbids_framing_and_sniffing(db: TestDb) {
    let app = app_with_owner(db).await;
    let client = app.client();
    for path in ["/login", "/community", "/no/such/page", "/badges/v4/badges/query", "/api/get_current_user"] {
        let res = client.get(app.url(path)).header("accept", "text/html").send().await.unwrap();
        let h = res.headers();
        let csp = h.get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp:?}");
        assert_eq!(h.get("x-frame-options").map(|v| v.as_bytes()), Some(&b"DENY"[..]), "{path}");
        assert_eq!(h.get("x-content-type-options").map(|v| v.as_bytes()), Some(&b"nosniff"[..]), "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        assert!(!h.contains_key("strict-transport-security"), "{path}: no HSTS over plain HTTP");
    }
    // an image keeps its own, stricter policy
    let icon = client.get(app.url("/icons/star.svg")).send().await.unwrap();
    let csp = icon.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'") && csp.contains("sandbox"), "{csp}");
}
