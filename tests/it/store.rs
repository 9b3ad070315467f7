//! The store suite: the same behaviour from SQLite and PostgreSQL.

use crate::common::by_system;
use crate::common::TestDb;
use chrono::{Duration, Utc};
use insignia::domain::SiteSettings;
use insignia::domain::{Email, MemberStatus, PrivacyStatus, Role};
use insignia::store::{NewMemberAccount, StoreError};

crate::on_both_backends!(
    migrations_apply_and_ping,
    one_owner_only,
    emails_are_unique_across_accounts,
    member_account_creates_its_member,
    member_slugs_get_numeric_suffixes_on_clash,
    sessions_resolve_until_they_expire,
    login_failures_count_within_a_window,
    settings_default_then_upsert,
    member_lists_page_and_filter_privacy,
    record_login_stamps_the_member,
    concurrent_sign_ups_all_succeed_with_distinct_slugs,
    concurrent_account_writes_wait_for_each_other,
);

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

fn new_member(e: &str, slug: &str) -> NewMemberAccount {
    NewMemberAccount {
        email: email(e),
        password_hash: "$argon2id$fake".into(),
        status: MemberStatus::Approved,
        base_slug: slug.into(),
        nickname: None,
    }
}

async fn migrations_apply_and_ping(db: TestDb) {
    db.store.ping().await.unwrap();
    assert!(!db.store.owner_exists().await.unwrap());
}

async fn one_owner_only(db: TestDb) {
    let owner = db.store.create_owner(&email("owner@example.com"), "h").await.unwrap();
    assert_eq!(owner.role, Role::Owner);
    assert!(owner.member.is_none());
    assert!(db.store.owner_exists().await.unwrap());
    match db.store.create_owner(&email("other@example.com"), "h").await {
        Err(StoreError::Unique(c)) => assert_eq!(c, "accounts_one_owner"),
        other => panic!("a second owner must be refused, got {other:?}"),
    }
}

async fn emails_are_unique_across_accounts(db: TestDb) {
    db.store.create_owner(&email("ann@example.com"), "h").await.unwrap();
    match db.store.acting(&by_system()).create_member_account(&new_member("ann@example.com", "ann")).await {
        Err(StoreError::Unique(c)) => assert!(c == "accounts_email_key" || c == "members_login_email_key", "{c}"),
        other => panic!("a duplicate email must be refused, got {other:?}"),
    }
    // nothing half-written: the member row of the refused account was rolled back
    assert_eq!(db.store.member_counts().await.unwrap().total, 0);
}

async fn member_account_creates_its_member(db: TestDb) {
    let a = db.store.acting(&by_system()).create_member_account(&new_member("bo@example.com", "bo")).await.unwrap();
    assert_eq!(a.role, Role::Member);
    let m = a.member.expect("member account has a member");
    assert_eq!(m.login_email, "bo@example.com");
    assert_eq!(m.status, MemberStatus::Approved);
    assert_eq!(m.privacy_status, PrivacyStatus::Private, "members start private");
    assert_eq!(m.slug, "bo");
    let again = db.store.account_by_email(&email("bo@example.com")).await.unwrap().unwrap();
    assert_eq!(again.id, a.id);
    assert_eq!(again.member.unwrap().id, m.id);
    assert!(db.store.account_by_id(uuid::Uuid::new_v4()).await.unwrap().is_none());
}

async fn member_slugs_get_numeric_suffixes_on_clash(db: TestDb) {
    let slugs = futures_slugs(&db, &["ann@a.com", "ann@b.com", "ann@c.com"]).await;
    assert_eq!(slugs, ["ann", "ann-2", "ann-3"]);
    // a slug that merely starts with the base is not a clash
    let other = db.store.acting(&by_system()).create_member_account(&new_member("annex@a.com", "annex")).await.unwrap();
    assert_eq!(other.member.unwrap().slug, "annex");
}

async fn futures_slugs(db: &TestDb, emails: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for e in emails {
        let a = db.store.acting(&by_system()).create_member_account(&new_member(e, "ann")).await.unwrap();
        out.push(a.member.unwrap().slug);
    }
    out
}

async fn sessions_resolve_until_they_expire(db: TestDb) {
    let a = db.store.acting(&by_system()).create_member_account(&new_member("cy@example.com", "cy")).await.unwrap();
    let now = Utc::now();
    db.store.create_session("live", a.id, now + Duration::days(1)).await.unwrap();
    db.store.create_session("stale", a.id, now - Duration::seconds(1)).await.unwrap();
    let found = db.store.session_account("live", now).await.unwrap().expect("live session");
    assert_eq!(found.id, a.id);
    assert!(db.store.session_account("stale", now).await.unwrap().is_none());
    assert!(db.store.session_account("nope", now).await.unwrap().is_none());
    assert_eq!(db.store.delete_expired_sessions(now).await.unwrap(), 1);
    db.store.delete_session("live").await.unwrap();
    assert!(db.store.session_account("live", now).await.unwrap().is_none());
}

async fn login_failures_count_within_a_window(db: TestDb) {
    let now = Utc::now();
    db.store.record_login_failure("k@x.com", now - Duration::minutes(30)).await.unwrap();
    for _ in 0..3 {
        db.store.record_login_failure("k@x.com", now).await.unwrap();
    }
    db.store.record_login_failure("other@x.com", now).await.unwrap();
    assert_eq!(db.store.login_failures_since("k@x.com", now - Duration::minutes(15)).await.unwrap(), 3);
    db.store.clear_login_failures("k@x.com").await.unwrap();
    assert_eq!(db.store.login_failures_since("k@x.com", now - Duration::hours(1)).await.unwrap(), 0);
    assert_eq!(db.store.login_failures_since("other@x.com", now - Duration::hours(1)).await.unwrap(), 1);
    db.store.record_login_failure("old@x.com", now - Duration::hours(2)).await.unwrap();
    assert_eq!(db.store.delete_login_failures_before(now - Duration::hours(1)).await.unwrap(), 1);
    assert_eq!(db.store.login_failures_since("other@x.com", now - Duration::hours(1)).await.unwrap(), 1);
}

async fn settings_default_then_upsert(db: TestDb) {
    assert_eq!(db.store.settings().await.unwrap(), SiteSettings::default());
    let s = SiteSettings { site_name: "Climbing Club".into(), require_approval: true };
    db.store.save_settings(&s).await.unwrap();
    assert_eq!(db.store.settings().await.unwrap(), s);
    let s2 = SiteSettings { site_name: "Climbing Club".into(), require_approval: false };
    db.store.save_settings(&s2).await.unwrap();
    assert_eq!(db.store.settings().await.unwrap(), s2);
}

async fn member_lists_page_and_filter_privacy(db: TestDb) {
    let mut ids = Vec::new();
    for i in 0..5 {
        let a = db
            .store
            .acting(&by_system())
            .create_member_account(&new_member(&format!("m{i}@example.com"), &format!("m{i}")))
            .await
            .unwrap();
        ids.push(a.member.unwrap().id);
    }
    let mut pending = new_member("p@example.com", "p");
    pending.status = MemberStatus::Pending;
    let p = db.store.acting(&by_system()).create_member_account(&pending).await.unwrap().member.unwrap();

    db.store.acting(&by_system()).set_member_privacy(ids[1], PrivacyStatus::Public).await.unwrap();
    db.store.acting(&by_system()).set_member_privacy(ids[3], PrivacyStatus::Public).await.unwrap();
    // a pending member who made themselves public still does not show
    db.store.acting(&by_system()).set_member_privacy(p.id, PrivacyStatus::Public).await.unwrap();

    let counts = db.store.member_counts().await.unwrap();
    assert_eq!((counts.total, counts.pending, counts.public), (6, 1, 2));

    let first = db.store.list_members(4, 0).await.unwrap();
    let rest = db.store.list_members(4, 4).await.unwrap();
    assert_eq!((first.len(), rest.len()), (4, 2));
    assert_eq!(first[0].login_email, "p@example.com", "newest first");

    let public: Vec<_> = db.store.list_public_members(None, 10, 0).await.unwrap().into_iter().map(|m| m.slug).collect();
    assert_eq!(public, ["m1", "m3"]);
    db.store.acting(&by_system()).set_member_privacy(ids[1], PrivacyStatus::Private).await.unwrap();
    let public: Vec<_> = db.store.list_public_members(None, 10, 0).await.unwrap().into_iter().map(|m| m.slug).collect();
    assert_eq!(public, ["m3"]);
}

async fn record_login_stamps_the_member(db: TestDb) {
    let a = db.store.acting(&by_system()).create_member_account(&new_member("dee@example.com", "dee")).await.unwrap();
    assert!(a.member.as_ref().unwrap().last_login_at.is_none());
    let at = Utc::now();
    db.store.record_login(a.id, at).await.unwrap();
    let m = db.store.account_by_id(a.id).await.unwrap().unwrap().member.unwrap();
    let stamped = m.last_login_at.expect("stamped");
    assert!((stamped - at).num_milliseconds().abs() < 5, "{stamped} vs {at}");
}

async fn concurrent_sign_ups_all_succeed_with_distinct_slugs(db: TestDb) {
    // Same email local part, so every sign-up wants the slug "sam" at the same moment.
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = db.store.clone();
            tokio::spawn(async move {
                insignia::auth::service::sign_up(&store, &format!("sam@host{i}.example"), "long-enough-1").await
            })
        })
        .collect();
    let mut slugs = Vec::new();
    for t in tasks {
        let account = t.await.unwrap().expect("every concurrent sign-up succeeds");
        slugs.push(account.member.unwrap().slug);
    }
    slugs.sort();
    let mut expected: Vec<String> =
        std::iter::once("sam".to_owned()).chain((2..=8).map(|n| format!("sam-{n}"))).collect();
    expected.sort();
    assert_eq!(slugs, expected);
    assert_eq!(db.store.member_counts().await.unwrap().total, 8);
}

async fn concurrent_account_writes_wait_for_each_other(db: TestDb) {
    // Each write transaction reads (free slugs) before it writes; concurrent ones must queue,
    // not fail because another committed first.
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let store = db.store.clone();
            tokio::spawn(async move {
                store
                    .acting(&by_system())
                    .create_member_account(&new_member(&format!("w{i}@example.com"), &format!("w{i}")))
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("every concurrent write succeeds");
    }
    assert_eq!(db.store.member_counts().await.unwrap().total, 32);
}
