//! Sessions under attack: parallel password guesses, a planted session cookie, a lost device,
//! and a blocked member's old login.

use crate::api::{app_with_owner, error_of, logged_in, signed_up_member, OWNER};
use crate::common::{member_id, TestApp, TestDb};
use insignia::auth::api::{GetCurrentUser, Login, LogoutEverywhere};
use insignia::auth::CurrentUser;
use insignia::members::api::MemberAction;
use insignia::state::RuntimeConfig;
use reqwest::StatusCode;

crate::on_both_backends!(
    parallel_bad_logins_get_at_most_five_password_checks,
    a_flood_for_the_owners_email_from_elsewhere_does_not_lock_the_owner_out,
    one_address_guessing_many_emails_is_stopped,
    a_forged_forwarded_header_changes_nothing_without_a_proxy,
    another_site_cannot_make_a_browser_log_in_out_or_change_anything,
    over_https_the_session_cookie_is_secure_and_host_only,
    logging_in_replaces_the_browsers_old_session,
    log_out_everywhere_ends_every_login,
    unblocking_does_not_revive_sessions_from_before_the_block,
);

async fn user(app: &crate::common::TestApp, client: &reqwest::Client) -> Option<CurrentUser> {
    app.call::<GetCurrentUser>(client, &[]).await.json().await.unwrap()
}

async fn parallel_bad_logins_get_at_most_five_password_checks(db: TestDb) {
    let app = app_with_owner(db).await;
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..50 {
        let (client, url) = (app.client(), app.url(<Login as leptos::server_fn::ServerFn>::PATH));
        guesses.spawn(async move {
            let password = format!("guess-number-{n}");
            client.post(url).form(&[("email", OWNER.0), ("password", password.as_str())]).send().await.unwrap().status()
        });
    }
    let mut checked = 0;
    while let Some(status) = guesses.join_next().await {
        match status.unwrap() {
            // a wrong password: the guess was checked
            StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    // (all 50 may be refused outright when every attempt is written before any is counted)
    assert!(checked <= 5, "{checked} of 50 parallel guesses had their password checked");
}

async fn logging_in_replaces_the_browsers_old_session(db: TestDb) {
    let app = app_with_owner(db).await;
    let browser = signed_up_member(&app, "ann@example.com").await;
    assert_eq!(app.count("select count(*) from sessions").await, 1);
    // the same browser logs in as the owner: ann's session ends, it does not linger beside
    let res = app.call::<Login>(&browser, &[("email", OWNER.0), ("password", OWNER.1)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.count("select count(*) from sessions").await, 1);
    assert_eq!(user(&app, &browser).await.map(|u| u.email).as_deref(), Some(OWNER.0));
}

async fn log_out_everywhere_ends_every_login(db: TestDb) {
    let app = app_with_owner(db).await;
    let phone = logged_in(&app, OWNER.0, OWNER.1).await;
    let laptop = logged_in(&app, OWNER.0, OWNER.1).await;
    let (status, _) = error_of(app.call::<LogoutEverywhere>(&app.client(), &[]).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(user(&app, &phone).await.is_some());
    let res = app.call::<LogoutEverywhere>(&laptop, &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    assert!(user(&app, &phone).await.is_none(), "the other device is logged out");
    assert!(user(&app, &laptop).await.is_none());
    assert_eq!(app.count("select count(*) from sessions").await, 0);
}

async fn unblocking_does_not_revive_sessions_from_before_the_block(db: TestDb) {
    let app = app_with_owner(db).await;
    let ann = signed_up_member(&app, "ann@example.com").await;
    let id = member_id(&app.store, "ann@example.com").await.to_string();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let act = |action: &'static str| {
        let (owner, id) = (owner.clone(), id.clone());
        let app = &app;
        async move { app.call::<MemberAction>(&owner, &[("id", id.as_str()), ("action", action)]).await.status() }
    };
    assert_eq!(act("block").await, StatusCode::OK);
    assert!(user(&app, &ann).await.is_none());
    assert_eq!(act("approve").await, StatusCode::OK);
    assert!(user(&app, &ann).await.is_none(), "the login from before the block stays ended");
}

/// The app behind a reverse proxy, so each test can log in "from" the address it names.
async fn app_behind_proxy(db: TestDb) -> TestApp {
    let config = RuntimeConfig { behind_proxy: true, ..RuntimeConfig::default() };
    let app = TestApp::spawn_with(db, insignia::rate_limit::DEFAULT_PER_MINUTE, config).await;
    insignia::auth::service::create_owner(&app.store, OWNER.0, OWNER.1).await.unwrap();
    app
}

async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> StatusCode {
    app.client()
        .post(app.url(<Login as leptos::server_fn::ServerFn>::PATH))
        .header("x-forwarded-for", address)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
}

async fn a_flood_for_the_owners_email_from_elsewhere_does_not_lock_the_owner_out(db: TestDb) {
    let app = app_behind_proxy(db).await;
    let mut statuses = Vec::new();
    for n in 0..12 {
        statuses.push(login_from(&app, "203.0.113.66", OWNER.0, &format!("guess-{n}")).await);
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5], "five guesses are checked");
    assert_eq!(statuses[5..], [StatusCode::TOO_MANY_REQUESTS; 7], "then that address is refused");
    assert_eq!(
        login_from(&app, "203.0.113.66", OWNER.0, OWNER.1).await,
        StatusCode::TOO_MANY_REQUESTS,
        "even with the right password, from there"
    );
    // the owner, from their own address, logs in (a little slower while the guessing lasts)
    let started = std::time::Instant::now();
    assert_eq!(login_from(&app, "198.51.100.20", OWNER.0, OWNER.1).await, StatusCode::OK);
    assert!(started.elapsed() < insignia::auth::service::MAX_DELAY + std::time::Duration::from_secs(5));
}

async fn a_forged_forwarded_header_changes_nothing_without_a_proxy(db: TestDb) {
    let app = app_with_owner(db).await;
    let mut statuses = Vec::new();
    for n in 0..7 {
        // a new "address" on every guess: without --behind-proxy only the real peer counts
        statuses.push(login_from(&app, &format!("203.0.113.{n}"), OWNER.0, "guess").await);
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    assert_eq!(statuses[5..], [StatusCode::TOO_MANY_REQUESTS; 2]);
}

async fn one_address_guessing_many_emails_is_stopped(db: TestDb) {
    let app = app_behind_proxy(db).await;
    let max = insignia::auth::service::MAX_FAILED_PER_ADDRESS;
    for n in 0..max {
        let email = format!("someone{}@example.com", n / insignia::auth::service::MAX_FAILED_LOGINS);
        assert_eq!(login_from(&app, "192.0.2.99", &email, "a-guess").await, StatusCode::UNPROCESSABLE_ENTITY, "{n}");
    }
    assert_eq!(
        login_from(&app, "192.0.2.99", "fresh@example.com", "a-guess").await,
        StatusCode::TOO_MANY_REQUESTS,
        "{max} failures from one address, whatever the emails: refused"
    );
    assert_eq!(login_from(&app, "192.0.2.100", OWNER.0, OWNER.1).await, StatusCode::OK, "other addresses log in");
}

async fn another_site_cannot_make_a_browser_log_in_out_or_change_anything(db: TestDb) {
    use insignia::settings::api::UpdateSettings;
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let before = app.store.settings().await.unwrap();
    let post = |client: &reqwest::Client, path: &str, headers: &[(&str, &str)], form: &[(&str, &str)]| {
        let mut req = client.post(app.url(path)).form(form);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req.send()
    };
    let settings = <UpdateSettings as leptos::server_fn::ServerFn>::PATH;
    let change = [("site_name", "Hijacked")];
    for attack in
        [[("origin", "https://evil.example")], [("sec-fetch-site", "cross-site")], [("sec-fetch-site", "same-site")]]
    {
        let res = post(&owner, settings, &attack, &change).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{attack:?}");
        assert_eq!(res.text().await.unwrap(), "This request came from another site and was refused.");
    }
    assert_eq!(app.store.settings().await.unwrap(), before, "nothing changed");
    // login CSRF: another site cannot log the browser into an account of its choosing
    let visitor = app.client();
    let login = <Login as leptos::server_fn::ServerFn>::PATH;
    let res =
        post(&visitor, login, &[("origin", "https://evil.example")], &[("email", OWNER.0), ("password", OWNER.1)])
            .await
            .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("set-cookie").is_none(), "no session was started");
    // nor log it out
    let logout = <insignia::auth::api::Logout as leptos::server_fn::ServerFn>::PATH;
    assert_eq!(
        post(&owner, logout, &[("sec-fetch-site", "cross-site")], &[]).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert!(user(&app, &owner).await.is_some(), "still logged in");
    // the site's own pages pass, by either header
    let own = format!("http://{}", app.addr);
    let res = post(&owner, settings, &[("origin", own.as_str())], &[("site_name", "Renamed")]).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let res =
        post(&owner, settings, &[("sec-fetch-site", "same-origin")], &[("site_name", "Renamed again")]).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.store.settings().await.unwrap().site_name, "Renamed again");
}

async fn over_https_the_session_cookie_is_secure_and_host_only(db: TestDb) {
    let app = app_behind_proxy(db).await;
    let login = |proto: &'static str| {
        app.client()
            .post(app.url(<Login as leptos::server_fn::ServerFn>::PATH))
            .header("x-forwarded-proto", proto)
            .form(&[("email", OWNER.0), ("password", OWNER.1)])
            .send()
    };
    let res = login("https").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("__Host-insignia_session=") && cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert!(res.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    let me = |cookie: String, proto: &'static str| {
        app.client()
            .post(app.url(<GetCurrentUser as leptos::server_fn::ServerFn>::PATH))
            .header("x-forwarded-proto", proto)
            .header("cookie", cookie)
            .send()
    };
    let user: Option<CurrentUser> =
        me(format!("__Host-insignia_session={token}"), "https").await.unwrap().json().await.unwrap();
    assert!(user.is_some(), "the __Host- cookie is the session over HTTPS");
    // the plain name, which a sibling subdomain or a plain-HTTP page could have planted, is no session there
    let user: Option<CurrentUser> =
        me(format!("insignia_session={token}"), "https").await.unwrap().json().await.unwrap();
    assert!(user.is_none());
    // plain HTTP keeps the plain cookie
    let plain = login("http").await.unwrap();
    let cookie = plain.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("insignia_session=") && !cookie.contains("Secure"), "{cookie}");
    assert!(plain.headers().get("strict-transport-security").is_none());
}
