//! A privacy crawl. The attack: someone who is not an admin walks every public page, profile,
//! badge page, directory search, photo, server function and REST listing they can reach, looking
//! for members who must not exist for them (private, pending and blocked ones), and probes each
//! such member's URL to tell "there is someone here you may not see" from "there is nobody".
//!
//! Each invisible member carries a unique marker in every text field a member controls (and in
//! the contact fields an admin or the member's own token can fill in), so a leak anywhere shows
//! up as a marker in an answer. The crawl collects every leak and every difference from a missing
//! member, for every persona, and reports them all in one assertion.

use crate::api::{app_with_owner, logged_in, signed_up_member, OWNER};
use crate::common::by_system;
use crate::common::{create_plain_badge, member_id, TestApp, TestDb, PNG};
use insignia::assignments::api::{
    AddBadgeAssigner, BadgeAssigners, BadgeChoices, CountMatching, DelegatedAssign, MyAssignableBadges,
};
use insignia::auth::actor::Actor;
use insignia::auth::api::{GetCurrentUser, Login};
use insignia::auth::session::{COOKIE_NAME, SECURE_COOKIE_NAME};
use insignia::auth::{key_service, CurrentUser};
use insignia::badges::api::BadgePage;
use insignia::domain::{MemberStatus, PrivacyStatus};
use insignia::members::api::{
    Community, GetDashboardStats, GetMember, GetProfile, ListMembers, MemberAction, MyProfile, SetCommunityMembership,
    UpdateMyProfile, UploadPhoto,
};
use insignia::settings::api::UpdateSettings;
use insignia::store::AssignedBy;
use leptos::server_fn::ServerFn;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Instant;
use uuid::Uuid;

crate::on_both_backends!(no_persona_but_an_admin_ever_meets_an_invisible_member);

const BADGE_SLUG: &str = "crawl-star";
/// The slug, search and nickname of a member nobody has: what an invisible one must look like.
const MISSING: &str = "no-such-member-xyz";
const PASSWORD: &str = "member-password-1";
/// The text fields marked on each invisible member (`login` and `contact` are emails).
const FIELDS: [&str; 11] =
    ["login", "nick", "title", "slug", "first", "last", "company", "job", "contact", "street", "city"];
const MEMBERS_V1: &str = "/_api/members/v1/members";
const BADGES_V3: &str = "/_api/members/v3/badges";

fn marker(label: &str, field: &str) -> String {
    format!("zq-{label}-{field}")
}

/// A member no non-admin may see, and what would give them away.
struct Invisible {
    label: &'static str,
    id: Uuid,
    slug: String,
    email: String,
    photo: Option<Uuid>,
    markers: Vec<String>,
}

/// Someone crawling: a browser that always sends the same cookie (even one the server has
/// forgotten, as a browser would), and the REST token they hold, if any.
struct Persona {
    name: &'static str,
    client: reqwest::Client,
    token: Option<String>,
    /// The account the server must take this persona for; `None`: a visitor.
    account: Option<&'static str>,
}

impl Persona {
    fn new(name: &'static str, cookie: Option<String>, token: Option<String>, account: Option<&'static str>) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(cookie) = cookie {
            headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
        }
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap();
        Persona { name, client, token, account }
    }
}

/// What an answer shows: everything a crawler can tell two answers apart by, but the request id.
struct Answer {
    status: StatusCode,
    content_type: String,
    cache_control: String,
    /// The `'nonce-…'` of the Content-Security-Policy header.
    nonce: Option<String>,
    body: String,
}

async fn answer(res: reqwest::Response) -> Answer {
    let header = |name| res.headers().get(name).map(|v| v.to_str().unwrap_or("?").to_owned()).unwrap_or_default();
    let (content_type, cache_control) = (header("content-type"), header("cache-control"));
    let csp = header("content-security-policy");
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).map(str::to_owned);
    let status = res.status();
    let body = String::from_utf8_lossy(&res.bytes().await.expect("an answer body")).into_owned();
    Answer { status, content_type, cache_control, nonce, body }
}

impl Answer {
    /// The body without what differs between any two renderings of the same page:
    /// - the CSP nonce, fresh on every answer; Leptos writes it into `nonce="…"` attributes and
    ///   also into the module preload link's `crossorigin="…"`, so every occurrence goes;
    /// - the order of the `__RESOLVED_RESOURCES[n] = "…";` hydration statements, which is the
    ///   order in which the page's server calls happened to finish (and so is how many
    ///   `<script>` tags they come in). The statements are kept (id and content), sorted, at
    ///   the end; the script tags they leave empty go.
    fn normalised(&self) -> String {
        let body = match &self.nonce {
            Some(nonce) => self.body.replace(nonce.as_str(), "NONCE"),
            None => self.body.clone(),
        };
        let (mut rest, mut kept, mut resolved) = (body.as_str(), String::new(), Vec::new());
        while let Some(at) = rest.find("__RESOLVED_RESOURCES[") {
            kept.push_str(&rest[..at]);
            let len = resolved_statement_len(&rest[at..]);
            resolved.push(&rest[at..at + len]);
            rest = &rest[at + len..];
        }
        kept.push_str(rest);
        resolved.sort_unstable();
        kept.replace(r#"<script nonce="NONCE"></script>"#, "") + &resolved.concat()
    }
}

/// The length of the `__RESOLVED_RESOURCES[n] = "…";` statement `text` starts with: up to the
/// `;` after the first unescaped closing quote (the whole rest if it never closes).
fn resolved_statement_len(text: &str) -> usize {
    let Some(open) = text.find('"') else { return text.len() };
    let mut escaped = false;
    for (i, c) in text[open + 1..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                let end = open + 1 + i + 1;
                return if text[end..].starts_with(';') { end + 1 } else { end };
            }
            _ => {}
        }
    }
    text.len()
}

/// Up to 80 characters of `text` around byte `at`.
fn snippet(text: &str, at: usize) -> String {
    let (mut start, mut end) = (at.saturating_sub(40), (at + 40).min(text.len()));
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text[start..end].replace('\n', " ")
}

/// The crawl's findings: every answer is checked for what must never show, and pairs of
/// answers (an invisible member, a missing one) must not be told apart.
struct Crawl<'a> {
    app: &'a TestApp,
    forbidden: Vec<String>,
    failures: Vec<String>,
    answers: usize,
}

impl Crawl<'_> {
    /// A marker or id the request itself carries may come back (a search box shows its search);
    /// any other one in the answer is a leak.
    fn check(&mut self, who: &Persona, what: &str, request: &str, a: &Answer) {
        self.answers += 1;
        for needle in self.forbidden.iter().filter(|n| !request.contains(n.as_str())) {
            if let Some(at) = a.body.find(needle.as_str()) {
                let found = snippet(&a.body, at);
                self.failures.push(format!("{}: {what} ({}) shows {needle:?}: …{found}…", who.name, a.status));
            }
        }
    }

    async fn page(&mut self, who: &Persona, path: &str) -> Answer {
        let a = answer(self.app.page(&who.client, path).await).await;
        self.check(who, &format!("GET {path}"), path, &a);
        a
    }

    async fn call<F: ServerFn>(&mut self, who: &Persona, form: &[(&str, &str)]) -> Answer {
        let a = answer(self.app.call::<F>(&who.client, form).await).await;
        let request: Vec<&str> = form.iter().map(|(_, v)| *v).collect();
        self.check(who, &format!("POST {} {form:?}", F::PATH), &request.join(" "), &a);
        a
    }

    /// A REST call with the persona's token (none for a visitor): the session cookie the
    /// persona's browser sends along must not count for anything.
    async fn rest(&mut self, who: &Persona, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut req = who.client.request(method.clone(), self.app.url(path));
        if let Some(token) = &who.token {
            req = req.header("authorization", token);
        }
        let sent = body.as_ref().map(Value::to_string).unwrap_or_default();
        if body.is_some() {
            req = req.header("content-type", "application/json").body(sent.clone());
        }
        let a = answer(req.send().await.expect("REST request")).await;
        self.check(who, &format!("{method} {path} {sent}"), &format!("{path} {sent}"), &a);
        a
    }

    /// `hidden` (about an invisible member, named `hidden_name` in it) must answer exactly as
    /// `missing` (about nobody, named `missing_name`).
    fn same(&mut self, who: &Persona, what: &str, hidden: &Answer, missing: &Answer, names: (&str, &str)) {
        let (hidden_name, missing_name) = names;
        let differs = |field: &str, h: &str, m: &str| format!("{}: {what}: {field} {h:?} ≠ missing {m:?}", who.name);
        if hidden.status != missing.status {
            self.failures.push(differs("status", hidden.status.as_str(), missing.status.as_str()));
        }
        if hidden.content_type != missing.content_type {
            self.failures.push(differs("content-type", &hidden.content_type, &missing.content_type));
        }
        if hidden.cache_control != missing.cache_control {
            self.failures.push(differs("cache-control", &hidden.cache_control, &missing.cache_control));
        }
        let h = hidden.normalised().replace(hidden_name, missing_name);
        let m = missing.normalised();
        if h != m {
            let at = h.bytes().zip(m.bytes()).position(|(a, b)| a != b).unwrap_or(h.len().min(m.len()));
            self.failures.push(differs("body", &snippet(&h, at), &snippet(&m, at)));
        }
    }
}

async fn signed_in_cookie(app: &TestApp, email: &str) -> String {
    let res = app.call::<Login>(&app.client(), &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::OK, "{email} logs in");
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap();
    let pair = set_cookie.split(';').next().unwrap().to_owned();
    assert!(pair.starts_with(&format!("{COOKIE_NAME}=")), "{set_cookie}");
    pair
}

async fn member_token(app: &TestApp, email: &str) -> String {
    key_service::create_token_for(&app.store, &Actor::System, email, "crawler").await.unwrap().secret
}

async fn upload_photo(app: &TestApp, client: &reqwest::Client) {
    let form =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("me.png"));
    let res = client.post(app.url(UploadPhoto::PATH)).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "photo upload: {}", res.text().await.unwrap());
}

async fn require_approval(app: &TestApp, owner: &reqwest::Client, on: bool) {
    let mut form = vec![("site_name", "Crawl Club")];
    if on {
        form.push(("require_approval", "on"));
    }
    assert_eq!(app.call::<UpdateSettings>(owner, &form).await.status(), StatusCode::OK);
}

/// Puts `label`'s markers in every text field of the member: the profile and the contact,
/// through the Members API with an admin key (a pending member cannot edit their own profile).
async fn mark(app: &TestApp, admin_key: &str, label: &'static str) -> Invisible {
    let m = |field| marker(label, field);
    let email = format!("{}@example.com", m("login"));
    let id = member_id(&app.store, &email).await;
    let http = reqwest::Client::new();
    let patch = json!({"member": {
        "profile": {"nickname": m("nick"), "title": m("title")},
        "contact": {"firstName": m("first"), "lastName": m("last"), "company": m("company"), "jobTitle": m("job"),
                    "emails": [format!("{}@example.com", m("contact"))],
                    "addresses": [{"addressLine": m("street"), "city": m("city"), "country": "US"}]}
    }});
    let slug = json!({"id": id, "slug": m("slug")});
    for (method, path, body) in
        [(Method::PATCH, format!("{MEMBERS_V1}/{id}"), patch), (Method::POST, format!("{MEMBERS_V1}/{id}/slug"), slug)]
    {
        let res = http.request(method, app.url(&path)).header("authorization", admin_key).json(&body).send().await;
        let res = res.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}: {}", res.text().await.unwrap());
    }
    let record = app.store.member(id).await.unwrap().unwrap();
    assert_eq!(record.slug, m("slug"));
    Invisible { label, id, slug: record.slug, email, photo: record.photo_id, markers: FIELDS.map(m).to_vec() }
}

async fn no_persona_but_an_admin_ever_meets_an_invisible_member(db: TestDb) {
    let started = Instant::now();
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let badge = create_plain_badge(&app.store, "Crawl Star").await;
    let admin_key =
        key_service::create_site_key(&app.store, &Actor::System, "Fixtures", "members.manage").await.unwrap().secret;
    let email = |label| format!("{}@example.com", marker(label, "login"));

    // Pat: public and approved, the member everyone may see; Dee: approved, private, and trusted
    // with the badge
    let pat = signed_up_member(&app, "pat@example.com").await;
    let profile = [("nickname", "Pat Public"), ("title", "Gardener"), ("slug", "pat")];
    assert_eq!(app.call::<UpdateMyProfile>(&pat, &profile).await.status(), StatusCode::OK);
    assert_eq!(app.call::<SetCommunityMembership>(&pat, &[("join", "true")]).await.status(), StatusCode::OK);
    signed_up_member(&app, "dee@example.com").await;
    // private: approved, never joined, with a photo
    let private = signed_up_member(&app, &email("private")).await;
    upload_photo(&app, &private).await;
    // blocked: joined, with a photo, logged in (the cookie outlives the block in the browser)
    let blocked = signed_up_member(&app, &email("blocked")).await;
    assert_eq!(app.call::<SetCommunityMembership>(&blocked, &[("join", "true")]).await.status(), StatusCode::OK);
    upload_photo(&app, &blocked).await;
    // pending: signed up while the owner asked for approval, as did Penny, the pending persona
    require_approval(&app, &owner, true).await;
    signed_up_member(&app, &email("pending")).await;
    signed_up_member(&app, "penny@example.com").await;
    require_approval(&app, &owner, false).await;

    let mut hidden = Vec::new();
    for label in ["private", "pending", "blocked"] {
        hidden.push(mark(&app, &admin_key, label).await);
    }
    let holders = [member_id(&app.store, "pat@example.com").await, hidden[0].id, hidden[1].id, hidden[2].id];
    app.store.acting(&by_system()).assign_badge(badge, &holders, AssignedBy::NOBODY, None).await.unwrap().unwrap();
    let delegate = [("badge_id", badge.to_string()), ("member", "dee@example.com".to_owned())];
    let delegate: Vec<(&str, &str)> = delegate.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call::<AddBadgeAssigner>(&owner, &delegate).await.status(), StatusCode::OK);

    // the blocked member's cookie and token are taken while they work, then the owner blocks
    let blocked_cookie = signed_in_cookie(&app, &email("blocked")).await;
    let blocked_token = member_token(&app, &email("blocked")).await;
    let block = [("id", hidden[2].id.to_string()), ("action", "block".to_owned())];
    let block: Vec<(&str, &str)> = block.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call::<MemberAction>(&owner, &block).await.status(), StatusCode::OK);

    // each invisible member is in the state that hides them
    for (h, status, privacy) in [
        (&hidden[0], MemberStatus::Approved, PrivacyStatus::Private),
        (&hidden[1], MemberStatus::Pending, PrivacyStatus::Private),
        (&hidden[2], MemberStatus::Blocked, PrivacyStatus::Public),
    ] {
        let record = app.store.member(h.id).await.unwrap().unwrap();
        assert_eq!((record.status, record.privacy_status), (status, privacy), "{}", h.label);
    }
    assert!(hidden[0].photo.is_some() && hidden[2].photo.is_some(), "photos were kept");
    owner_sees_every_marker(&app, &owner, &hidden).await;

    let pat_token = member_token(&app, "pat@example.com").await;
    // a forged token reuses a real token's prefix (the lookup key) with a made-up secret
    let made_up = insignia::auth::api_key::new_secret(insignia::auth::api_key::KeyKind::Member).key;
    let forged_token = format!("{}{}", &pat_token[..12], &made_up[12..]);
    let forged_cookie = {
        let (one, two) = (insignia::auth::session::new_token().0, insignia::auth::session::new_token().0);
        format!("{COOKIE_NAME}={one}; {SECURE_COOKIE_NAME}={two}")
    };
    let personas = [
        Persona::new("visitor", None, None, None),
        Persona::new("forged session", Some(forged_cookie), Some(forged_token), None),
        Persona::new(
            "approved member (Pat)",
            Some(signed_in_cookie(&app, "pat@example.com").await),
            Some(pat_token),
            Some("pat@example.com"),
        ),
        Persona::new(
            "pending member (Penny)",
            Some(signed_in_cookie(&app, "penny@example.com").await),
            Some(member_token(&app, "penny@example.com").await),
            Some("penny@example.com"),
        ),
        Persona::new(
            "delegate (Dee)",
            Some(signed_in_cookie(&app, "dee@example.com").await),
            Some(member_token(&app, "dee@example.com").await),
            Some("dee@example.com"),
        ),
        Persona::new("blocked member's old session", Some(blocked_cookie), Some(blocked_token), None),
    ];

    let mut forbidden: Vec<String> = hidden.iter().flat_map(|h| h.markers.iter().cloned()).collect();
    forbidden.extend(hidden.iter().map(|h| h.id.to_string()));
    forbidden.extend(hidden.iter().filter_map(|h| h.photo).map(|p| p.to_string()));
    let mut crawl = Crawl { app: &app, forbidden, failures: Vec::new(), answers: 0 };
    for who in &personas {
        let me: Option<CurrentUser> = app.call::<GetCurrentUser>(&who.client, &[]).await.json().await.unwrap();
        assert_eq!(me.map(|u| u.email).as_deref(), who.account, "{}: who the server takes them for", who.name);
        crawl_pages(&mut crawl, who, &hidden).await;
        crawl_server_functions(&mut crawl, who, &hidden, badge).await;
        crawl_rest(&mut crawl, who, &hidden, badge).await;
    }
    probe_logins(&mut crawl, &personas[0], &hidden).await;

    let took = started.elapsed();
    println!("privacy crawl: {} answers as {} personas in {took:.1?}", crawl.answers, personas.len());
    assert!(
        crawl.failures.is_empty(),
        "{} privacy failures in {} answers:\n{}",
        crawl.failures.len(),
        crawl.answers,
        crawl.failures.join("\n")
    );
}

/// Without this the crawl proves nothing: the markers are really stored, and an admin sees
/// every one of them (and the photos, and the profiles).
async fn owner_sees_every_marker(app: &TestApp, owner: &reqwest::Client, hidden: &[Invisible]) {
    let list = [("search", "zq"), ("status", ""), ("privacy", ""), ("sort", ""), ("page", "1")];
    let listed = app.call::<ListMembers>(owner, &list).await.text().await.unwrap();
    for h in hidden {
        for m in &h.markers {
            assert!(listed.contains(m.as_str()), "the owner's member list shows {m}: {listed}");
        }
        assert!(listed.contains(&h.email));
        let profile = app.call::<GetProfile>(owner, &[("slug", &h.slug)]).await;
        assert_eq!(profile.status(), StatusCode::OK, "the owner opens {}", h.slug);
        if let Some(photo) = h.photo {
            assert_eq!(app.page(owner, &format!("/uploads/{photo}")).await.status(), StatusCode::OK);
        }
    }
    // and what the crawl may see is there to see: Pat is listed and shown
    let visitor = app.client();
    let directory = app.page(&visitor, "/community?q=pat").await.text().await.unwrap();
    let badge_page = app.page(&visitor, &format!("/badges/{BADGE_SLUG}")).await.text().await.unwrap();
    assert!(directory.contains("Pat Public") && badge_page.contains("/members/pat"), "Pat is public");
    let elsewhere = app.page(&visitor, &format!("/community?q={MISSING}")).await.text().await.unwrap();
    assert!(!elsewhere.contains("Pat Public"), "the directory page searches");
}

/// The pages: each is read for markers; an invisible member's profile, photo, directory search
/// and dashboard page must look exactly like those of a member nobody has.
async fn crawl_pages(crawl: &mut Crawl<'_>, who: &Persona, hidden: &[Invisible]) {
    for path in [
        "/".to_owned(),
        "/community".to_owned(),
        // the directory's search box is `q`; `search` (what the server function calls it) is
        // ignored by the page, which then lists everyone it may
        "/community?search=zq".to_owned(),
        "/community?q=zq".to_owned(),
        "/login".to_owned(),
        "/signup".to_owned(),
        "/profile".to_owned(),
        format!("/badges/{BADGE_SLUG}"),
        format!("/badges/{BADGE_SLUG}?page=2"),
        "/members/pat".to_owned(),
        "/dashboard".to_owned(),
        "/dashboard/members?q=zq".to_owned(),
    ] {
        crawl.page(who, &path).await;
    }
    let missing_search = crawl.page(who, &format!("/community?q={MISSING}")).await;
    let missing_profile = crawl.page(who, &format!("/members/{MISSING}")).await;
    let (ghost, ghost_photo) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
    let missing_dashboard = crawl.page(who, &format!("/dashboard/members/{ghost}")).await;
    let missing_photo = crawl.page(who, &format!("/uploads/{ghost_photo}")).await;
    for h in hidden {
        for m in &h.markers {
            let found = crawl.page(who, &format!("/community?q={m}")).await;
            crawl.same(who, &format!("GET /community?q={m}"), &found, &missing_search, (m, MISSING));
        }
        let path = format!("/members/{}", h.slug);
        let found = crawl.page(who, &path).await;
        crawl.same(who, &format!("GET {path}"), &found, &missing_profile, (&h.slug, MISSING));
        let (id, path) = (h.id.to_string(), format!("/dashboard/members/{}", h.id));
        let found = crawl.page(who, &path).await;
        crawl.same(who, &format!("GET {path}"), &found, &missing_dashboard, (&id, &ghost));
        if let Some(photo) = h.photo.map(|p| p.to_string()) {
            let path = format!("/uploads/{photo}");
            let found = crawl.page(who, &path).await;
            crawl.same(who, &format!("GET {path}"), &found, &missing_photo, (&photo, &ghost_photo));
        }
    }
}

/// The server functions that list or show members, as the hydrated app calls them.
async fn crawl_server_functions(crawl: &mut Crawl<'_>, who: &Persona, hidden: &[Invisible], badge: Uuid) {
    let badge = badge.to_string();
    crawl.call::<GetCurrentUser>(who, &[]).await;
    crawl.call::<MyProfile>(who, &[]).await;
    crawl.call::<MyAssignableBadges>(who, &[]).await;
    crawl.call::<BadgeChoices>(who, &[]).await;
    crawl.call::<GetDashboardStats>(who, &[]).await;
    crawl.call::<BadgeAssigners>(who, &[("badge_id", &badge)]).await;
    crawl.call::<GetProfile>(who, &[("slug", "pat")]).await;
    for search in ["", "zq"] {
        crawl.call::<Community>(who, &[("search", search), ("page", "1")]).await;
        crawl.call::<CountMatching>(who, &[("search", search)]).await;
        let list = [("search", search), ("status", ""), ("privacy", ""), ("sort", ""), ("page", "1")];
        crawl.call::<ListMembers>(who, &list).await;
    }
    for page in ["1", "2"] {
        crawl.call::<BadgePage>(who, &[("slug", BADGE_SLUG), ("page", page)]).await;
    }

    let ghost = Uuid::new_v4().to_string();
    let missing_search = crawl.call::<Community>(who, &[("search", MISSING), ("page", "1")]).await;
    let missing_profile = crawl.call::<GetProfile>(who, &[("slug", MISSING)]).await;
    let missing_member = crawl.call::<GetMember>(who, &[("id", &ghost)]).await;
    let missing_count = crawl.call::<CountMatching>(who, &[("search", MISSING)]).await;
    let missing_gift = crawl.call::<DelegatedAssign>(who, &[("badge_id", &badge), ("member_id", &ghost)]).await;
    for h in hidden {
        let id = h.id.to_string();
        for m in &h.markers {
            let found = crawl.call::<Community>(who, &[("search", m), ("page", "1")]).await;
            crawl.same(who, &format!("Community search={m}"), &found, &missing_search, (m, MISSING));
        }
        let found = crawl.call::<GetProfile>(who, &[("slug", &h.slug)]).await;
        crawl.same(who, &format!("GetProfile slug={}", h.slug), &found, &missing_profile, (&h.slug, MISSING));
        let found = crawl.call::<GetMember>(who, &[("id", &id)]).await;
        crawl.same(who, &format!("GetMember id={id}"), &found, &missing_member, (&id, &ghost));
        let login = marker(h.label, "login");
        let found = crawl.call::<CountMatching>(who, &[("search", &login)]).await;
        crawl.same(who, &format!("CountMatching search={login}"), &found, &missing_count, (&login, MISSING));
        // a delegate giving their badge to someone they cannot see: as if there were nobody
        let found = crawl.call::<DelegatedAssign>(who, &[("badge_id", &badge), ("member_id", &id)]).await;
        crawl.same(who, &format!("DelegatedAssign member_id={id}"), &found, &missing_gift, (&id, &ghost));
    }
}

/// The REST listings a member token reaches (Members V1, Badges V3 holders, Badge Assignments
/// V4), and the same calls without a token or with a dead or forged one.
async fn crawl_rest(crawl: &mut Crawl<'_>, who: &Persona, hidden: &[Invisible], badge: Uuid) {
    let query = format!("{MEMBERS_V1}/query");
    let assignments = "/badges/v4/badge-assignments/query";
    crawl.rest(who, Method::GET, &format!("{MEMBERS_V1}?fieldsets=FULL"), None).await;
    crawl.rest(who, Method::GET, &format!("{MEMBERS_V1}/my?fieldsets=FULL"), None).await;
    for body in [
        json!({"fieldsets": ["FULL"]}),
        json!({"search": {"expression": "zq"}}),
        json!({"query": {"filter": {"profile.nickname": {"$startsWith": "zq"}}}}),
    ] {
        crawl.rest(who, Method::POST, &query, Some(body)).await;
    }
    let holders = crawl.rest(who, Method::GET, &format!("{BADGES_V3}/{badge}/members"), None).await;
    let counts = crawl.rest(who, Method::GET, &format!("{BADGES_V3}/members/count"), None).await;
    crawl.rest(who, Method::POST, assignments, Some(json!({"query": {}}))).await;
    let by_badge = json!({"query": {"filter": {"badgeId": badge}}});
    crawl.rest(who, Method::POST, assignments, Some(by_badge)).await;

    // how many hold the badge is only as many as the caller may see listed: an invisible holder
    // counts as one who does not hold it, as the holders list already counts them
    if holders.status == StatusCode::OK && counts.status == StatusCode::OK {
        let listed: Value = serde_json::from_str(&holders.body).unwrap();
        let counted: Value = serde_json::from_str(&counts.body).unwrap();
        let entry = counted["badgeMemberCounts"].as_array().unwrap().iter().find(|c| c["badgeId"] == badge.to_string());
        let entry = entry.cloned().unwrap_or_default();
        let listed = &listed["metadata"];
        if listed["total"] != entry["memberCount"] {
            crawl.failures.push(format!(
                "{}: GET {BADGES_V3}/members/count answers {entry} where GET {BADGES_V3}/{badge}/members \
                 answers \"metadata\": {listed}: the invisible holders are counted",
                who.name
            ));
        }
    }

    let ghost = Uuid::new_v4().to_string();
    let get = |id: &str, fieldsets: &str| format!("{MEMBERS_V1}/{id}{fieldsets}");
    let by_nickname = |nickname: &str| json!({"query": {"filter": {"profile.nickname": nickname}}});
    let badges_of = |id: &str| json!({"memberIds": [id]});
    let by_member = |id: &str| json!({"query": {"filter": {"memberId": id}}});
    let missing_get = crawl.rest(who, Method::GET, &get(&ghost, ""), None).await;
    let missing_full = crawl.rest(who, Method::GET, &get(&ghost, "?fieldsets=FULL"), None).await;
    let missing_nickname = crawl.rest(who, Method::POST, &query, Some(by_nickname(MISSING))).await;
    let per_member = format!("{BADGES_V3}/members");
    let missing_badges = crawl.rest(who, Method::POST, &per_member, Some(badges_of(&ghost))).await;
    let missing_assignments = crawl.rest(who, Method::POST, assignments, Some(by_member(&ghost))).await;
    for h in hidden {
        let id = h.id.to_string();
        let ids = (id.as_str(), ghost.as_str());
        for (path, missing) in [(get(&id, ""), &missing_get), (get(&id, "?fieldsets=FULL"), &missing_full)] {
            let found = crawl.rest(who, Method::GET, &path, None).await;
            crawl.same(who, &format!("GET {path}"), &found, missing, ids);
        }
        let nickname = marker(h.label, "nick");
        let found = crawl.rest(who, Method::POST, &query, Some(by_nickname(&nickname))).await;
        let what = format!("POST {query} profile.nickname={nickname}");
        crawl.same(who, &what, &found, &missing_nickname, (&nickname, MISSING));
        let found = crawl.rest(who, Method::POST, &per_member, Some(badges_of(&id))).await;
        crawl.same(who, &format!("POST {per_member} memberIds=[{id}]"), &found, &missing_badges, ids);
        let found = crawl.rest(who, Method::POST, assignments, Some(by_member(&id))).await;
        crawl.same(who, &format!("POST {assignments} memberId={id}"), &found, &missing_assignments, ids);
    }
}

/// The login form does not tell a wrong password for an invisible member's email from an email
/// nobody has. Once, as a visitor: repeated failures are throttled, per email and address alike.
async fn probe_logins(crawl: &mut Crawl<'_>, visitor: &Persona, hidden: &[Invisible]) {
    let missing_email = format!("{MISSING}@example.com");
    for h in hidden {
        let wrong = [("password", "not-the-password-1")];
        let found = crawl.call::<Login>(visitor, &[&[("email", h.email.as_str())][..], &wrong].concat()).await;
        let missing = crawl.call::<Login>(visitor, &[&[("email", missing_email.as_str())][..], &wrong].concat()).await;
        crawl.same(
            visitor,
            &format!("Login email={} (wrong password)", h.email),
            &found,
            &missing,
            (&h.email, &missing_email),
        );
    }
}
