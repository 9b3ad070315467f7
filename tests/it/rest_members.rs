//! Members V1 over REST: each operation's wire shape and errors, fieldsets per caller, partial
//! updates, slugs, the community, statuses, deletion one by one, in bulk and by filter.

use crate::common::by_system;
use crate::common::TestDb;
use crate::rest::{code, violation, Rest};
use insignia::auth::actor::Actor;
use insignia::auth::key_service;
use insignia::domain::job::JobStatus;
use reqwest::StatusCode;
use serde_json::{json, Value};

crate::on_both_backends!(
    a_member_is_created_read_changed_and_deleted,
    updates_change_only_the_fields_sent,
    slugs_are_checked_and_a_clash_names_the_slug,
    keys_and_tokens_see_what_the_contract_says,
    members_join_and_leave_the_community,
    statuses_change_and_staff_members_are_protected,
    list_and_query_filter_search_sort_and_page,
    bulk_delete_reports_each_member,
    by_filter_runs_start_at_once_and_finish,
    a_member_deletes_itself_and_its_token_stops_working,
);

const P: &str = "/_api/members/v1/members";

/// What only the Members tests need of the shared REST client.
impl Rest {
    /// A REST client whose main key is `members.manage`.
    async fn for_members(db: TestDb) -> Rest {
        let mut rest = Rest::new(db).await;
        rest.key = rest.key("members.manage").await;
        rest
    }

    /// A member who signed up (approved, private), and a personal token acting as them.
    async fn member_with_token(&self, email: &str) -> (String, String) {
        let account = insignia::auth::service::sign_up(&self.app.store, email, "member-password-1").await.unwrap();
        let token = key_service::create_token_for(&self.app.store, &Actor::System, email, "script").await.unwrap();
        (account.member.unwrap().id.to_string(), token.secret)
    }

    /// Makes the account with this email an admin (a member linked to staff), straight in SQL:
    /// nothing in the app links a member to an admin account yet.
    async fn make_admin(&self, email: &str) {
        let sql = format!("update accounts set role = 'admin' where email = '{email}' returning cast(1 as bigint)");
        assert_eq!(self.app.count(&sql).await, 1);
    }

    async fn assign(&self, badge: uuid::Uuid, member: &str) {
        let by = insignia::store::AssignedBy::NOBODY;
        self.app
            .store
            .acting(&by_system())
            .assign_badge(badge, &[member.parse().unwrap()], by, None)
            .await
            .unwrap()
            .unwrap();
    }

    /// Creates a member through the API; returns it (FULL).
    async fn create_member(&self, email: &str, nickname: &str) -> Value {
        let body = json!({"member": {"loginEmail": email, "profile": {"nickname": nickname}}});
        let (status, body) = self.send("POST", P, &self.key, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["member"].clone()
    }

    async fn get(&self, id: &str, key: &str, fieldsets: &str) -> (StatusCode, Value) {
        self.send("GET", &format!("{P}/{id}?id={id}{fieldsets}"), key, None).await
    }
}

fn id_of(member: &Value) -> String {
    member["id"].as_str().unwrap().to_owned()
}

async fn a_member_is_created_read_changed_and_deleted(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let sent = json!({"member": {
        "loginEmail": "Ann.Lee@Example.com", "status": "BLOCKED", "privacyStatus": "PUBLIC", "id": "ignored",
        "profile": {"nickname": "Ann Lee", "title": "Chef", "slug": "ignored"},
        "contact": {"firstName": "Ann", "lastName": "Lee", "phones": ["+1 555 0100"], "birthdate": "1990-04-23",
                    "addresses": [{"addressLine": "1 Main St", "city": "Springfield", "country": "US"}]}
    }});
    let (status, body) = rest.send("POST", P, &rest.key, Some(sent)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let m = &body["member"];
    assert_eq!(
        (m["status"].as_str(), m["privacyStatus"].as_str(), m["activityStatus"].as_str()),
        (Some("APPROVED"), Some("PRIVATE"), Some("ACTIVE")),
        "created approved, private and active whatever was sent"
    );
    assert_eq!(
        (m["loginEmail"].as_str(), m["profile"]["slug"].as_str()),
        (Some("ann.lee@example.com"), Some("ann-lee"))
    );
    assert_eq!(m["contactId"], m["id"]);
    assert_eq!(m["contact"]["phones"], json!(["+1 555 0100"]));
    assert_eq!(m["contact"]["emails"], json!([]), "lists are always sent");
    assert_eq!(m["contact"]["addresses"][0]["city"], "Springfield");
    assert!(m["contact"]["addresses"][0]["id"].as_str().is_some());
    assert_eq!(m["profile"]["photo"], json!({"id": "", "url": "", "height": 0, "width": 0}));
    assert_eq!(m["loginEmailVerified"], false);
    let id = id_of(m);

    // the same login email again, in any case
    let again = json!({"member": {"loginEmail": "ANN.LEE@example.com"}});
    let (status, body) = rest.send("POST", P, &rest.key, Some(again)).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "MEMBER_ALREADY_EXISTS"));
    let (status, body) = rest.send("POST", P, &rest.key, Some(json!({"member": {}}))).await;
    assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some("member.loginEmail")));
    let (status, body) = rest.send("POST", P, &rest.key, Some(json!({"member": {"loginEmail": "nope"}}))).await;
    assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some("member.loginEmail")));
    // the slug is derived from the nickname, with a suffix when taken
    assert_eq!(rest.create_member("ann2@example.com", "Ann Lee").await["profile"]["slug"], "ann-lee-2");
    // the site asks for approval: created members wait
    let settings = insignia::domain::SiteSettings { require_approval: true, ..Default::default() };
    rest.app.store.save_settings(&settings).await.unwrap();
    assert_eq!(rest.create_member("pending@example.com", "").await["status"], "PENDING");
    assert_eq!(
        rest.create_member("pending2@example.com", "").await["profile"]["slug"],
        "pending2",
        "or from the email"
    );

    // fieldsets: PUBLIC by default; the widest of several wins
    let (status, public) = rest.get(&id, &rest.key, "").await;
    assert_eq!(status, StatusCode::OK);
    let p = &public["member"];
    assert_eq!((p["status"].as_str(), p["privacyStatus"].as_str()), (Some("UNKNOWN"), Some("UNKNOWN")));
    assert!(p.get("loginEmail").is_none() && p.get("contact").is_none());
    assert_eq!((p["profile"]["nickname"].as_str(), p["contactId"].as_str()), (Some("Ann Lee"), Some(id.as_str())));
    let (_, extended) = rest.get(&id, &rest.key, "&fieldsets=PUBLIC&fieldsets=EXTENDED").await;
    let e = &extended["member"];
    assert_eq!((e["status"].as_str(), e["loginEmail"].as_str()), (Some("APPROVED"), Some("ann.lee@example.com")));
    assert!(e.get("contact").is_none(), "EXTENDED carries no contact");
    let (_, full) = rest.get(&id, &rest.key, "&fieldsets=FULL&fieldsets=PUBLIC").await;
    assert_eq!(&full["member"], m);
    let (status, _) = rest.get(&id, &rest.key, "&fieldsets=EVERYTHING").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = rest.send("GET", &format!("{P}/{id}?id={}", uuid::Uuid::new_v4()), &rest.key, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a repeated id must match the path");
    // the www.wixapis.com prefix reaches the same member
    let (status, other) = rest.send("GET", &format!("/members/v1/members/{id}?fieldsets=FULL"), &rest.key, None).await;
    assert_eq!((status, &other["member"]), (StatusCode::OK, m));

    let (status, body) = rest.send("DELETE", &format!("{P}/{id}?id={id}"), &rest.key, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let (status, body) = rest.get(&id, &rest.key, "").await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "MEMBER_NOT_FOUND"));
    assert_eq!(rest.send("DELETE", &format!("{P}/{id}"), &rest.key, None).await.0, StatusCode::NOT_FOUND);
    let (status, _) = rest.get("not-a-guid", &rest.key, "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn updates_change_only_the_fields_sent(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let created = json!({"member": {"loginEmail": "bo@example.com", "profile": {"nickname": "Bo", "title": "Cook"},
        "contact": {"firstName": "Bo", "company": "Diner", "phones": ["123 456"], "emails": ["bo@work.example"]}}});
    let (_, body) = rest.send("POST", P, &rest.key, Some(created)).await;
    let id = id_of(&body["member"]);
    let path = format!("{P}/{id}");
    let patch = |member: Value| json!({ "member": member });

    let (status, body) = rest
        .send(
            "PATCH",
            &path,
            &rest.key,
            Some(patch(json!({"id": id, "profile": {"title": "Head cook"}, "contact": {"company": "", "phones": []}}))),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let m = &body["member"];
    assert_eq!((m["profile"]["title"].as_str(), m["profile"]["nickname"].as_str()), (Some("Head cook"), Some("Bo")));
    assert!(m["contact"].get("company").is_none(), "\"\" clears a string");
    assert_eq!(m["contact"]["phones"], json!(["123 456"]), "an empty list changes nothing");
    assert_eq!(m["contact"]["firstName"], "Bo", "fields not sent are kept");

    let lists = patch(json!({"contact": {"phones": ["+44 20 7946 0000", "555 0100"], "emails": ["B@Home.example"],
        "addresses": [{"streetAddress": {"number": "12", "name": "High St"}, "postalCode": "N1 9GU", "country": "gb"}]}}));
    let (_, body) = rest.send("PATCH", &path, &rest.key, Some(lists)).await;
    let c = &body["member"]["contact"];
    assert_eq!(c["phones"], json!(["+44 20 7946 0000", "555 0100"]), "a non-empty list replaces the list");
    assert_eq!(c["emails"], json!(["b@home.example"]));
    assert_eq!(
        (c["addresses"][0]["addressLine"].as_str(), c["addresses"][0]["country"].as_str()),
        (Some("12 High St"), Some("GB"))
    );
    let address_id = c["addresses"][0]["id"].as_str().unwrap().to_owned();
    let keep = patch(json!({"contact": {"addresses": [{"id": address_id, "city": "London"}]}}));
    let (_, body) = rest.send("PATCH", &path, &rest.key, Some(keep)).await;
    assert_eq!(body["member"]["contact"]["addresses"][0]["id"], address_id.as_str(), "an address keeps its id");
    // the dashboard sees the same member
    let record = rest.app.store.member(id.parse().unwrap()).await.unwrap().unwrap();
    assert_eq!((record.title.as_deref(), record.contact.phones.len()), (Some("Head cook"), 2));

    for (bad, field) in [
        (json!({"contact": {"phones": ["call me"]}}), "member.contact.phones"),
        (json!({"contact": {"emails": ["not-an-email"]}}), "member.contact.emails"),
        (json!({"contact": {"birthdate": "1990-02-30"}}), "member.contact.birthdate"),
        (json!({"profile": {"nickname": "x".repeat(101)}}), "member.profile.nickname"),
        (json!({"contact": {"addresses": [{"country": "Britain"}]}}), "member.contact.addresses[0].country"),
        (json!({"contact": {"firstName": 5}}), "member.contact.firstName"),
    ] {
        let (status, body) = rest.send("PATCH", &path, &rest.key, Some(patch(bad))).await;
        assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{body}");
    }
    let (status, _) = rest.send("PATCH", &path, &rest.key, Some(json!({}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no member: nothing to change");
    let other = uuid::Uuid::new_v4();
    let (status, _) = rest.send("PATCH", &path, &rest.key, Some(patch(json!({"id": other})))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the id in the body must be the path's");
    let (status, _) = rest.send("PATCH", &format!("{P}/{other}"), &rest.key, Some(patch(json!({})))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let after = rest.app.store.member(id.parse().unwrap()).await.unwrap().unwrap();
    assert_eq!(after.contact, record.contact, "refused updates change nothing");

    // the delete calls clear one list each
    for (list, field) in [("phones", "phones"), ("emails", "emails"), ("addresses", "addresses")] {
        let (status, body) = rest.send("DELETE", &format!("{path}/{list}?id={id}"), &rest.key, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["member"]["contact"][field], json!([]));
    }
    let (_, body) = rest.get(&id, &rest.key, "&fieldsets=FULL").await;
    assert_eq!(body["member"]["contact"]["firstName"], "Bo");
}

async fn slugs_are_checked_and_a_clash_names_the_slug(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let ann = id_of(&rest.create_member("ann@example.com", "Ann").await);
    rest.create_member("bo@example.com", "Bo").await;
    let slug = |id: &str, slug: &str| (format!("{P}/{id}/slug"), json!({"id": id, "slug": slug}));

    let (path, body) = slug(&ann, "ann-the-chef");
    let (status, body) = rest.send("POST", &path, &rest.key, Some(body)).await;
    assert_eq!((status, body["member"]["profile"]["slug"].as_str()), (StatusCode::OK, Some("ann-the-chef")));
    let (path, body) = slug(&ann, "bo");
    let (status, body) = rest.send("POST", &path, &rest.key, Some(body)).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "SLUG_ALREADY_EXISTS"));
    assert_eq!(body["details"]["applicationError"]["data"], json!({"slug": "bo"}));
    for bad in ["", "Ann", "ann lee", "-ann", "a--b"] {
        let (path, body) = slug(&ann, bad);
        let (status, body) = rest.send("POST", &path, &rest.key, Some(body)).await;
        assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some("slug")), "{bad:?}");
    }
    let (path, body) = slug(&uuid::Uuid::new_v4().to_string(), "free");
    assert_eq!(rest.send("POST", &path, &rest.key, Some(body)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(rest.app.store.member(ann.parse().unwrap()).await.unwrap().unwrap().slug, "ann-the-chef");

    // a member changes their own
    let (cy, token) = rest.member_with_token("cy@example.com").await;
    let (status, body) = rest.send("POST", &format!("{P}/my/slug"), &token, Some(json!({"slug": "cy-2026"}))).await;
    assert_eq!((status, body["member"]["profile"]["slug"].as_str()), (StatusCode::OK, Some("cy-2026")));
    let (status, body) = rest.send("POST", &format!("{P}/my/slug"), &token, Some(json!({"slug": "bo"}))).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "SLUG_ALREADY_EXISTS"));
    let (path, body) = slug(&cy, "cy-again");
    assert_eq!(rest.send("POST", &path, &token, Some(body)).await.0, StatusCode::OK, "updateMemberSlug of self");
    let (path, body) = slug(&ann, "taken-by-cy");
    assert_eq!(rest.send("POST", &path, &token, Some(body)).await.0, StatusCode::FORBIDDEN, "of another");
    let (status, body) = rest.send("POST", &format!("{P}/my/slug"), &rest.key, Some(json!({"slug": "x"}))).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"), "a site key is no member");
}

async fn keys_and_tokens_see_what_the_contract_says(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let private = id_of(&rest.create_member("private@example.com", "Hidden").await);
    let (public, public_token) = rest.member_with_token("public@example.com").await;
    rest.send("POST", &format!("{P}/join-community"), &public_token, Some(json!({}))).await;
    let (me, token) = rest.member_with_token("me@example.com").await;

    // no key, or one nobody gave out
    for key in ["", "ins_notakeyatall00000000000000000000000000"] {
        let (status, body) = rest.get(&public, key, "").await;
        assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"), "{key:?}");
    }
    // a badges-only key: every Members call, whatever it sends
    let badges = rest.key("badges.manage").await;
    for (method, path, body) in [
        ("GET", format!("{P}/{public}"), None),
        ("GET", P.to_owned(), None),
        ("POST", format!("{P}/query"), Some(json!({}))),
        ("GET", format!("{P}/my"), None),
        ("POST", P.to_owned(), Some(json!({"member": {"loginEmail": "x@example.com"}}))),
        ("POST", format!("{P}/bulk/delete"), Some(json!({"memberIds": []}))),
        ("POST", format!("{P}/{public}/block"), Some(json!({}))),
        ("PATCH", format!("{P}/not-a-guid"), Some(json!({}))),
    ] {
        let (status, res) = rest.send(method, &path, &badges, body).await;
        assert_eq!((status, code(&res)), (StatusCode::FORBIDDEN, "FORBIDDEN"), "{method} {path}");
    }
    // a members.read key reads everyone in full, changes nobody
    let reader = rest.key("members.read").await;
    let (status, body) = rest.get(&private, &reader, "&fieldsets=FULL").await;
    assert_eq!((status, body["member"]["loginEmail"].as_str()), (StatusCode::OK, Some("private@example.com")));
    let (status, _) = rest.send("PATCH", &format!("{P}/{private}"), &reader, Some(json!({"member": {}}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = rest.send("GET", &format!("{P}/my"), &reader, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"), "a site key is no member");

    // a member's token: itself in full
    let (status, body) = rest.send("GET", &format!("{P}/my?fieldsets=FULL"), &token, None).await;
    assert_eq!((status, body["member"]["id"].as_str()), (StatusCode::OK, Some(me.as_str())));
    assert_eq!(body["member"]["loginEmail"], "me@example.com");
    assert!(body["member"]["contact"]["phones"].is_array());
    let (_, body) = rest.get(&me, &token, "&fieldsets=FULL").await;
    assert_eq!(body["member"]["privacyStatus"], "PRIVATE");
    let change = json!({"member": {"profile": {"nickname": "Me!"}, "contact": {"firstName": "Mo"}}});
    let (status, body) = rest.send("PATCH", &format!("{P}/{me}"), &token, Some(change.clone())).await;
    assert_eq!((status, body["member"]["contact"]["firstName"].as_str()), (StatusCode::OK, Some("Mo")));
    // others: public and approved ones in PUBLIC only; private ones do not exist
    let (status, body) = rest.get(&public, &token, "&fieldsets=FULL").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["member"].get("loginEmail").is_none() && body["member"].get("contact").is_none());
    assert_eq!(body["member"]["status"], "UNKNOWN");
    let (status, body) = rest.get(&private, &token, "").await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "MEMBER_NOT_FOUND"));
    let (status, _) = rest.send("PATCH", &format!("{P}/{public}"), &token, Some(change)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "updateMember of another");
    let (status, body) = rest.send("POST", &format!("{P}/query"), &token, Some(json!({"fieldsets": ["FULL"]}))).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = body["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(
        (ids, body["metadata"]["total"].as_i64()),
        (vec![public.as_str()], Some(1)),
        "private members are left out"
    );
    assert!(body["members"][0].get("loginEmail").is_none());
    let (_, body) = rest.send("GET", P, &token, None).await;
    assert_eq!(body["members"].as_array().unwrap().len(), 1);
    // nor can a token find out what it may not see by filtering on it
    for query in [
        json!({"query": {"filter": {"loginEmail": "private@example.com"}}}),
        json!({"query": {"sorting": [{"fieldName": "lastLoginDate"}]}}),
        json!({"search": {"expression": "private", "fields": ["loginEmail"]}}),
    ] {
        assert_eq!(rest.send("POST", &format!("{P}/query"), &token, Some(query)).await.0, StatusCode::FORBIDDEN);
    }
    let (status, _) = rest
        .send("POST", &format!("{P}/query"), &token, Some(json!({"query": {"filter": {"profile.nickname": "Hidden"}}})))
        .await;
    assert_eq!(status, StatusCode::OK);
    // and the admin methods are not a member's
    for (method, path, body) in [
        ("POST", format!("{P}/{public}/mute"), Some(json!({}))),
        ("POST", format!("{P}/{me}/approve"), Some(json!({}))),
        ("POST", format!("{P}/{public}/block"), Some(json!({}))),
        ("DELETE", format!("{P}/{public}"), None),
        ("POST", P.to_owned(), Some(json!({"member": {"loginEmail": "y@example.com"}}))),
        ("POST", format!("{P}/bulk/delete"), Some(json!({"memberIds": [public]}))),
        ("POST", format!("{P}/bulk/approve-by-filter"), Some(json!({"filter": {}}))),
        ("DELETE", format!("{P}/{public}/phones"), None),
    ] {
        let (status, res) = rest.send(method, &path, &token, body).await;
        assert_eq!((status, code(&res)), (StatusCode::FORBIDDEN, "FORBIDDEN"), "{method} {path}");
    }
    assert_eq!(rest.app.count("select count(*) from members").await, 3, "refused calls changed nothing");
}

async fn members_join_and_leave_the_community(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let (me, token) = rest.member_with_token("ann@example.com").await;
    let (status, body) = rest.send("POST", &format!("{P}/join-community"), &token, Some(json!({}))).await;
    assert_eq!((status, body["member"]["privacyStatus"].as_str()), (StatusCode::OK, Some("PUBLIC")));
    assert_eq!(body["member"]["id"], me.as_str());
    let (status, body) = rest.send("POST", &format!("{P}/leave-community"), &token, None).await;
    assert_eq!((status, body["member"]["privacyStatus"].as_str()), (StatusCode::OK, Some("PRIVATE")));

    // a pending member cannot join (and can leave)
    let settings = insignia::domain::SiteSettings { require_approval: true, ..Default::default() };
    rest.app.store.save_settings(&settings).await.unwrap();
    let (_, pending) = rest.member_with_token("bo@example.com").await;
    let (status, body) = rest.send("POST", &format!("{P}/join-community"), &pending, Some(json!({}))).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "COMMUNITY_JOIN_IMPOSSIBLE"));
    assert_eq!(rest.send("POST", &format!("{P}/leave-community"), &pending, None).await.0, StatusCode::OK);
    let (status, body) = rest.send("GET", &format!("{P}/my?fieldsets=EXTENDED"), &pending, None).await;
    assert_eq!(
        (status, body["member"]["status"].as_str()),
        (StatusCode::OK, Some("PENDING")),
        "pending members see theirs"
    );
    // a site key has no community to join
    let (status, body) = rest.send("POST", &format!("{P}/join-community"), &rest.key, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
}

async fn statuses_change_and_staff_members_are_protected(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let (ann, ann_token) = rest.member_with_token("ann@example.com").await;
    let call = |id: &str, action: &str| (format!("{P}/{id}/{action}"), json!({ "id": id }));
    for (action, field, value) in [
        ("mute", "activityStatus", "MUTED"),
        ("unmute", "activityStatus", "ACTIVE"),
        ("block", "status", "BLOCKED"),
        ("approve", "status", "APPROVED"),
        ("disconnect", "status", "OFFLINE"),
        ("approve", "status", "APPROVED"),
    ] {
        let (path, body) = call(&ann, action);
        let (status, body) = rest.send("POST", &path, &rest.key, Some(body)).await;
        assert_eq!((status, body["member"][field].as_str()), (StatusCode::OK, Some(value)), "{action}");
    }
    // blocked: the member's token stops working, and works again once unblocked
    let (path, body) = call(&ann, "block");
    rest.send("POST", &path, &rest.key, Some(body)).await;
    assert_eq!(rest.send("GET", &format!("{P}/my"), &ann_token, None).await.0, StatusCode::UNAUTHORIZED);
    let (path, body) = call(&ann, "approve");
    rest.send("POST", &path, &rest.key, Some(body)).await;
    assert_eq!(rest.send("GET", &format!("{P}/my"), &ann_token, None).await.0, StatusCode::OK);
    let unknown = uuid::Uuid::new_v4().to_string();
    let (path, body) = call(&unknown, "mute");
    assert_eq!(rest.send("POST", &path, &rest.key, Some(body)).await.0, StatusCode::NOT_FOUND);
    let (path, _) = call(&ann, "mute");
    let (status, _) = rest.send("POST", &path, &rest.key, Some(json!({"id": unknown}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the id in the body must be the path's");

    // a member linked to an admin's account is neither blocked nor deleted
    let (boss, boss_token) = rest.member_with_token("boss@example.com").await;
    rest.make_admin("boss@example.com").await;
    let (path, body) = call(&boss, "block");
    let (status, body) = rest.send("POST", &path, &rest.key, Some(body)).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "OWNER_MEMBER_BLOCK_FORBIDDEN"));
    assert_eq!(body["details"]["applicationError"]["data"], json!({"memberId": boss}));
    let (status, body) = rest.send("DELETE", &format!("{P}/{boss}?id={boss}"), &rest.key, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v = violation(&body);
    assert_eq!(
        (v["violatedRule"].as_str(), v["ruleName"].as_str()),
        (Some("OTHER"), Some("OWNER_OR_CONTRIBUTOR_MEMBER_DELETE_FORBIDDEN"))
    );
    assert_eq!(v["data"], json!({"memberId": boss}));
    // that admin, through their token, cannot block themself, and may block others
    let (path, body) = call(&boss, "block");
    let (status, body) = rest.send("POST", &path, &boss_token, Some(body)).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "MEMBER_SELF_BLOCK_FORBIDDEN"));
    assert_eq!(body["details"]["applicationError"]["data"], json!({"memberId": boss}));
    let (path, body) = call(&ann, "block");
    assert_eq!(rest.send("POST", &path, &boss_token, Some(body)).await.0, StatusCode::OK);
    let record = rest.app.store.member(boss.parse().unwrap()).await.unwrap().unwrap();
    assert_eq!(record.status, insignia::domain::MemberStatus::Approved);
}

async fn list_and_query_filter_search_sort_and_page(db: TestDb) {
    let rest = Rest::for_members(db).await;
    for (email, nickname) in
        [("d@example.com", "Dee"), ("a@example.com", "Ada"), ("c@example.com", "Cy"), ("b@example.com", "Bea")]
    {
        rest.create_member(email, nickname).await;
    }
    let r = |request: Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(request.to_string())
    };
    let nicknames = |body: &Value| -> Vec<String> {
        body["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["profile"]["nickname"].as_str().unwrap().to_owned())
            .collect()
    };

    // listMembers as the SDK sends it: `.r` once paging or sorting is there
    let request = json!({"paging": {"limit": 2, "offset": 1}, "sorting": [{"fieldName": "profile.nickname", "order": "ASC"}], "fieldsets": ["FULL"]});
    let (status, body) = rest.send("GET", &format!("{P}?.r={}", r(request)), &rest.key, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(nicknames(&body), ["Bea", "Cy"]);
    assert_eq!(
        (body["metadata"]["total"].as_i64(), body["metadata"]["offset"].as_i64(), body["metadata"]["count"].as_i64()),
        (Some(4), Some(1), Some(2))
    );
    assert!(body["members"][0]["loginEmail"].is_string(), "FULL asked inside .r");
    let (_, body) = rest.send("GET", &format!("{P}?fieldsets=EXTENDED"), &rest.key, None).await;
    assert_eq!(nicknames(&body), ["Bea", "Cy", "Ada", "Dee"], "newest first without a sort");
    assert!(body["members"][0].get("contact").is_none());
    let (_, body) = rest.send("GET", &format!("{P}?paging.limit=1"), &rest.key, None).await;
    assert_eq!(nicknames(&body), ["Bea"]);
    for bad in [format!("?.r={}", r(json!({"paging": {"limit": 101}}))), "?.r=%%%".into(), "?.r=bm90IGpzb24".into()] {
        let (status, body) = rest.send("GET", &format!("{P}{bad}"), &rest.key, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }

    // queryMembers: filter, sorting (or sort), offset paging, search
    let rest = &rest;
    let query = |q: Value| async move { rest.send("POST", &format!("{P}/query"), &rest.key, Some(q)).await };
    let (status, body) = query(json!({"query": {"filter": {"profile.nickname": {"$in": ["Ada", "Cy", "Dee"]}},
        "sorting": [{"fieldName": "profile.nickname", "order": "DESC"}], "paging": {"limit": 2, "offset": 0}}}))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((nicknames(&body), body["metadata"]["total"].as_i64()), (vec!["Dee".into(), "Cy".into()], Some(3)));
    let (_, body) =
        query(json!({"query": {"sort": [{"fieldName": "profile.nickname"}], "filter": {"status": "APPROVED"}}})).await;
    assert_eq!(nicknames(&body), ["Ada", "Bea", "Cy", "Dee"], "`sort` is read too");
    let (_, body) = query(json!({"query": {"filter": {"loginEmail": {"$startsWith": "C@"}}}})).await;
    assert_eq!(nicknames(&body), ["Cy"]);
    let (_, body) =
        query(json!({"search": {"expression": "e"}, "query": {"sorting": [{"fieldName": "profile.nickname"}]}})).await;
    assert_eq!(nicknames(&body), ["Bea", "Dee"], "search looks in the nickname by default");
    let (_, body) = query(json!({"search": {"expression": "a@EX", "fields": ["loginEmail"]}})).await;
    assert_eq!(nicknames(&body), ["Ada"]);
    for (bad, field) in [
        (json!({"query": {"paging": {"limit": 101}}}), "query.paging.limit"),
        (json!({"query": {"filter": {"password": "x"}}}), "query.filter.password"),
        (json!({"query": {"sorting": [{"fieldName": "profile.nickname", "order": "UP"}]}}), "query.sorting.order"),
        (json!({"search": {"expression": ""}}), "search.expression"),
        (json!({"search": {"expression": "a", "fields": ["contact.phones"]}}), "search.fields"),
        (json!({"fieldsets": ["ALL"]}), "fieldsets"),
        (json!({"query": {"cursorPaging": {"limit": 2}}}), "query.cursorPaging"),
    ] {
        let (status, body) = query(bad).await;
        assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{body}");
    }
}

async fn bulk_delete_reports_each_member(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let a = id_of(&rest.create_member("a@example.com", "A").await);
    let b = id_of(&rest.create_member("b@example.com", "B").await);
    let (boss, _) = rest.member_with_token("boss@example.com").await;
    rest.make_admin("boss@example.com").await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let badge = crate::common::create_plain_badge(&rest.app.store, "Star").await;
    rest.assign(badge, &a).await;

    let ids = json!({"memberIds": [a, unknown, boss, b]});
    let (status, body) = rest.send("POST", &format!("{P}/bulk/delete"), &rest.key, Some(ids)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = body["results"].as_array().unwrap();
    let summary: Vec<(i64, &str, bool, &str)> = results
        .iter()
        .map(|r| {
            let m = &r["itemMetadata"];
            let code = m["error"]["code"].as_str().unwrap_or_default();
            (m["originalIndex"].as_i64().unwrap(), m["id"].as_str().unwrap(), m["success"].as_bool().unwrap(), code)
        })
        .collect();
    assert_eq!(
        summary,
        [
            (0, a.as_str(), true, ""),
            (1, unknown.as_str(), false, "MEMBER_NOT_FOUND"),
            (2, boss.as_str(), false, "OWNER_OR_CONTRIBUTOR_MEMBER_DELETE_FORBIDDEN"),
            (3, b.as_str(), true, ""),
        ]
    );
    assert!(results[1]["itemMetadata"]["error"]["description"].is_string());
    assert_eq!(body["bulkActionMetadata"], json!({"totalSuccesses": 2, "totalFailures": 2, "undetailedFailures": 0}));
    assert_eq!(rest.app.count("select count(*) from members").await, 1, "the admin's member is left");
    assert_eq!(rest.app.count("select count(*) from badge_assignments").await, 0, "assignments go with members");

    for bad in
        [json!({}), json!({"memberIds": []}), json!({"memberIds": vec![a.clone(); 101]}), json!({"memberIds": ["x"]})]
    {
        assert_eq!(
            rest.send("POST", &format!("{P}/bulk/delete"), &rest.key, Some(bad)).await.0,
            StatusCode::BAD_REQUEST
        );
    }
}

async fn wait_for(rest: &Rest, job_id: &str) -> insignia::domain::job::Job {
    let id: uuid::Uuid = job_id.parse().unwrap();
    for _ in 0..400 {
        let job = rest.app.store.job(id).await.unwrap().expect("the run is kept");
        if job.status != JobStatus::Running {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the run never ended");
}

async fn by_filter_runs_start_at_once_and_finish(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let settings = insignia::domain::SiteSettings { require_approval: true, ..Default::default() };
    rest.app.store.save_settings(&settings).await.unwrap();
    for i in 0..30 {
        rest.create_member(&format!("wait{i}@example.com"), &format!("Waiting {i}")).await;
    }
    rest.create_member("spam1@example.com", "Spammy").await;
    rest.create_member("spam2@example.com", "Spam King").await;
    let (_, _) = rest.member_with_token("boss@example.com").await;
    rest.make_admin("boss@example.com").await;
    let bulk = |name: &str| format!("{P}/bulk/{name}");

    let (status, body) = rest
        .send(
            "POST",
            &bulk("approve-by-filter"),
            &rest.key,
            Some(json!({"filter": {"status": "PENDING", "loginEmail": {"$startsWith": "wait"}}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let job = wait_for(&rest, body["jobId"].as_str().unwrap()).await;
    assert_eq!((job.status, job.processed, job.succeeded), (JobStatus::Done, 30, 30));
    assert_eq!(rest.app.count("select count(*) from members where status = 'APPROVED'").await, 30);

    let (_, body) = rest.send("POST", &bulk("block-by-filter"), &rest.key, Some(json!({"filter": {}}))).await;
    let job = wait_for(&rest, body["jobId"].as_str().unwrap()).await;
    assert_eq!(job.status, JobStatus::Done);
    assert_eq!(rest.app.count("select count(*) from members where status = 'BLOCKED'").await, 32, "all but the admin");

    let search = json!({"filter": {"status": "BLOCKED"}, "search": {"expression": "spam"}, "contentAssigneeId": uuid::Uuid::new_v4()});
    let (_, body) = rest.send("POST", &bulk("delete-by-filter"), &rest.key, Some(search)).await;
    let job = wait_for(&rest, body["jobId"].as_str().unwrap()).await;
    assert_eq!((job.status, job.succeeded), (JobStatus::Done, 2));
    assert_eq!(rest.app.count("select count(*) from members").await, 31);
    let (_, body) = rest.send("POST", &bulk("delete-by-filter"), &rest.key, Some(json!({"filter": {}}))).await;
    wait_for(&rest, body["jobId"].as_str().unwrap()).await;
    assert_eq!(rest.app.count("select count(*) from members").await, 1, "the admin's member is never deleted");

    for name in ["approve-by-filter", "block-by-filter", "delete-by-filter"] {
        let (status, body) = rest.send("POST", &bulk(name), &rest.key, Some(json!({}))).await;
        assert_eq!((status, violation(&body)["field"].as_str()), (StatusCode::BAD_REQUEST, Some("filter")), "{name}");
    }
    let bad = json!({"filter": {}, "search": {"expression": "  "}});
    assert_eq!(rest.send("POST", &bulk("delete-by-filter"), &rest.key, Some(bad)).await.0, StatusCode::BAD_REQUEST);
    let reader = rest.key("members.read").await;
    let (status, _) = rest.send("POST", &bulk("approve-by-filter"), &reader, Some(json!({"filter": {}}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn a_member_deletes_itself_and_its_token_stops_working(db: TestDb) {
    let rest = Rest::for_members(db).await;
    let (me, token) = rest.member_with_token("ann@example.com").await;
    let badge = crate::common::create_plain_badge(&rest.app.store, "Star").await;
    rest.assign(badge, &me).await;
    let (status, body) = rest.send("DELETE", &format!("{P}/my?contentAssigneeId={me}"), &token, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    assert!(rest.app.store.member(me.parse().unwrap()).await.unwrap().is_none());
    assert_eq!(rest.app.count("select count(*) from accounts").await, 0, "the login goes with it");
    let (status, body) = rest.send("GET", &format!("{P}/my"), &token, None).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"), "the token is refused");
    // a site key has no member of its own to delete; an admin's member is not deleted
    let (status, body) = rest.send("DELETE", &format!("{P}/my"), &rest.key, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
    let (_, boss_token) = rest.member_with_token("boss@example.com").await;
    rest.make_admin("boss@example.com").await;
    let (status, body) = rest.send("DELETE", &format!("{P}/my"), &boss_token, None).await;
    assert_eq!(
        (status, violation(&body)["ruleName"].as_str()),
        (StatusCode::BAD_REQUEST, Some("OWNER_OR_CONTRIBUTOR_MEMBER_DELETE_FORBIDDEN"))
    );
}
