//! The member store on both backends: listing with search, filters and sorts; profile and
//! contact updates with the slug's uniqueness; status changes; deletion with everything a
//! member owns; the badges members hold.

use crate::common::{plain_badge, TestDb};
use insignia::domain::{ActivityStatus, Email, MemberStatus, PrivacyStatus};
use insignia::domain::{Address, Contact};
use insignia::store::{
    MemberChanges, MemberFilter, MemberPage, MemberRecord, MemberSort, NewMemberAccount, StoreError,
};

crate::on_both_backends!(
    members_are_searched_filtered_sorted_and_paged,
    profile_and_contact_updates_keep_slugs_unique,
    status_and_activity_change,
    deleting_a_member_takes_account_sessions_and_assignments,
    held_badges_come_in_display_order,
);

async fn member(db: &TestDb, email: &str, nickname: Option<&str>) -> MemberRecord {
    let base = email.split('@').next().unwrap();
    let account = db
        .store
        .create_member_account(&NewMemberAccount {
            email: Email::parse(email).unwrap(),
            password_hash: "$argon2id$fake".into(),
            status: MemberStatus::Approved,
            base_slug: base.into(),
            nickname: nickname.map(str::to_owned),
        })
        .await
        .unwrap();
    account.member.unwrap()
}

fn named(first: &str, last: &str) -> MemberChanges {
    MemberChanges {
        contact: Some(Contact { first_name: Some(first.into()), last_name: Some(last.into()), ..Contact::default() }),
        ..MemberChanges::default()
    }
}

/// The first 100 members, newest first.
fn first_page() -> MemberPage {
    MemberPage { limit: 100, ..MemberPage::default() }
}

fn all() -> MemberFilter {
    MemberFilter::default()
}

fn emails(members: &[MemberRecord]) -> Vec<&str> {
    members.iter().map(|m| m.login_email.as_str()).collect()
}

async fn members_are_searched_filtered_sorted_and_paged(db: TestDb) {
    let ann = member(&db, "ann@example.com", Some("Zed")).await;
    let bob = member(&db, "bob@example.com", Some("Annie")).await;
    let cy = member(&db, "cy@sample.org", None).await;
    db.store.update_member(ann.id, &named("Ann", "Young")).await.unwrap();
    db.store.update_member(bob.id, &named("Bob", "Adams")).await.unwrap();
    db.store.set_member_status(cy.id, MemberStatus::Blocked).await.unwrap();
    db.store.set_member_privacy(bob.id, PrivacyStatus::Public).await.unwrap();
    db.store
        .record_login(
            db.store.account_by_email(&Email::parse("cy@sample.org").unwrap()).await.unwrap().unwrap().id,
            chrono::Utc::now(),
        )
        .await
        .unwrap();

    // newest first by default
    assert_eq!(
        emails(&db.store.query_members(&all(), &first_page()).await.unwrap()),
        ["cy@sample.org", "bob@example.com", "ann@example.com"]
    );
    // search: email, nickname, names; case-insensitive
    let search = |s: &str| MemberFilter { search: Some(s.into()), ..all() };
    assert_eq!(
        emails(&db.store.query_members(&search("ANN"), &first_page()).await.unwrap()),
        ["bob@example.com", "ann@example.com"]
    );
    assert_eq!(emails(&db.store.query_members(&search("adams"), &first_page()).await.unwrap()), ["bob@example.com"]);
    assert_eq!(emails(&db.store.query_members(&search("sample"), &first_page()).await.unwrap()), ["cy@sample.org"]);
    assert!(db.store.query_members(&search("%"), &first_page()).await.unwrap().is_empty(), "wildcards are literal");
    // filters
    let blocked = MemberFilter { status: Some(MemberStatus::Blocked), ..all() };
    assert_eq!(emails(&db.store.query_members(&blocked, &first_page()).await.unwrap()), ["cy@sample.org"]);
    let public = MemberFilter { privacy: Some(PrivacyStatus::Public), ..all() };
    assert_eq!(emails(&db.store.query_members(&public, &first_page()).await.unwrap()), ["bob@example.com"]);
    // sorts: members without the sorted field come last
    let sorted = |sort| MemberPage { sort, ..first_page() };
    assert_eq!(
        emails(&db.store.query_members(&all(), &sorted(MemberSort::Nickname)).await.unwrap()),
        ["bob@example.com", "ann@example.com", "cy@sample.org"]
    );
    assert_eq!(
        emails(&db.store.query_members(&all(), &sorted(MemberSort::Name)).await.unwrap()),
        ["bob@example.com", "ann@example.com", "cy@sample.org"]
    );
    assert_eq!(
        db.store.query_members(&all(), &sorted(MemberSort::LastLogin)).await.unwrap()[0].login_email,
        "cy@sample.org"
    );
    // paging
    let page2 = MemberPage { limit: 2, offset: 2, ..first_page() };
    assert_eq!(emails(&db.store.query_members(&all(), &page2).await.unwrap()), ["ann@example.com"]);
}

async fn profile_and_contact_updates_keep_slugs_unique(db: TestDb) {
    let ann = member(&db, "ann@example.com", None).await;
    let bo = member(&db, "bo@example.com", Some("Bo")).await;
    assert_eq!((ann.slug.as_str(), ann.nickname.as_deref()), ("ann", None));
    assert_eq!(bo.nickname.as_deref(), Some("Bo"));

    let contact = Contact {
        first_name: Some("Ann".into()),
        phones: vec!["+44 20 7946 0000".into()],
        emails: vec!["ann@work.example".into()],
        addresses: vec![Address {
            id: uuid::Uuid::new_v4(),
            city: Some("Leeds".into()),
            country: Some("GB".into()),
            ..Address::default()
        }],
        birthdate: Some("1990-04-01".into()),
        ..Contact::default()
    };
    let changes = MemberChanges {
        nickname: Some(Some("Annie".into())),
        title: Some(Some("Head gardener".into())),
        slug: Some("annie".into()),
        contact: Some(contact.clone()),
    };
    let updated = db.store.update_member(ann.id, &changes).await.unwrap().unwrap();
    assert_eq!(
        (updated.slug.as_str(), updated.nickname.as_deref(), updated.title.as_deref()),
        ("annie", Some("Annie"), Some("Head gardener"))
    );
    assert_eq!(db.store.member(ann.id).await.unwrap().unwrap().contact, contact, "contact lists round-trip");
    assert_eq!(db.store.member_by_slug("annie").await.unwrap().unwrap().id, ann.id);
    assert!(db.store.member_by_slug("ann").await.unwrap().is_none(), "the old address is free");

    // taking someone else's slug is refused and changes nothing, not even the other fields
    let clash = MemberChanges { slug: Some(bo.slug.clone()), nickname: Some(None), ..MemberChanges::default() };
    match db.store.update_member(ann.id, &clash).await {
        Err(StoreError::Unique(name)) => assert_eq!(name, "members_slug_key"),
        other => panic!("expected a slug clash, got {other:?}"),
    }
    let after = db.store.member(ann.id).await.unwrap().unwrap();
    assert_eq!((after.slug.as_str(), after.nickname.as_deref()), ("annie", Some("Annie")));
    assert!(db.store.update_member(uuid::Uuid::new_v4(), &clash).await.unwrap().is_none());
}

async fn status_and_activity_change(db: TestDb) {
    let ann = member(&db, "ann@example.com", None).await;
    assert_eq!(ann.activity_status, ActivityStatus::Active);
    assert!(db.store.set_member_status(ann.id, MemberStatus::Blocked).await.unwrap());
    assert!(db.store.set_member_activity(ann.id, ActivityStatus::Muted).await.unwrap());
    let after = db.store.member(ann.id).await.unwrap().unwrap();
    assert_eq!((after.status, after.activity_status), (MemberStatus::Blocked, ActivityStatus::Muted));
    assert!(after.updated_at >= ann.updated_at);
    assert!(!db.store.set_member_status(uuid::Uuid::new_v4(), MemberStatus::Approved).await.unwrap());
}

async fn deleting_a_member_takes_account_sessions_and_assignments(db: TestDb) {
    let ann = member(&db, "ann@example.com", None).await;
    let bo = member(&db, "bo@example.com", None).await;
    let account = db.store.account_by_email(&Email::parse("ann@example.com").unwrap()).await.unwrap().unwrap();
    db.store.create_session("hash-1", account.id, chrono::Utc::now() + chrono::Duration::days(1)).await.unwrap();
    let star = db.store.create_badge(&plain_badge("Star")).await.unwrap();
    db.insert_assignment(star.id, ann.id).await;
    db.insert_assignment(star.id, bo.id).await;

    assert!(db.store.delete_member(ann.id).await.unwrap());
    assert!(db.store.member(ann.id).await.unwrap().is_none());
    assert!(db.store.account_by_id(account.id).await.unwrap().is_none(), "the account went too");
    assert!(db.store.session_account("hash-1", chrono::Utc::now()).await.unwrap().is_none(), "and its sessions");
    assert_eq!(
        db.store.badge(star.id).await.unwrap().unwrap().member_count,
        1,
        "and the assignment; the badge count is exact"
    );
    assert!(db.store.member(bo.id).await.unwrap().is_some());
    assert!(!db.store.delete_member(ann.id).await.unwrap());
}

async fn held_badges_come_in_display_order(db: TestDb) {
    let ann = member(&db, "ann@example.com", None).await;
    let bo = member(&db, "bo@example.com", None).await;
    let first = db.store.create_badge(&plain_badge("First")).await.unwrap();
    let second = db.store.create_badge(&plain_badge("Second")).await.unwrap();
    db.insert_assignment(second.id, ann.id).await;
    db.insert_assignment(first.id, ann.id).await;
    db.insert_assignment(second.id, bo.id).await;
    let held = db.store.held_badges(&[ann.id, bo.id]).await.unwrap();
    let ann_titles: Vec<_> = held.iter().filter(|h| h.member_id == ann.id).map(|h| h.title.as_str()).collect();
    assert_eq!(ann_titles, ["First", "Second"]);
    assert_eq!(held.iter().filter(|h| h.member_id == bo.id).count(), 1);
    assert!(db.store.held_badges(&[]).await.unwrap().is_empty());
}
