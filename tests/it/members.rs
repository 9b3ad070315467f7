//! The member store on both backends: listing with search, filters and sorts; profile and
//! contact updates with the slug's uniqueness; status changes; deletion with everything a
//! member owns; the badges members hold.

use crate::common::by_system;
use crate::common::{plain_badge, TestDb};
use insignia::domain::{ActivityStatus, Email, MemberStatus, PrivacyStatus};
use insignia::domain::{Address, Contact};
use insignia::store::{
    ImportedMember, MemberChanges, MemberFilter, MemberPage, MemberRecord, MemberSort, NewMemberAccount, PageStart,
    StoreError,
};

crate::on_both_backends!(
    members_are_searched_filtered_sorted_and_paged,
    every_sort_pages_from_any_place_both_ways,
    profile_and_contact_updates_keep_slugs_unique,
    status_and_activity_change,
    deleting_a_member_takes_account_sessions_and_assignments,
    held_badges_come_in_display_order,
);

async fn member(db: &TestDb, email: &str, nickname: Option<&str>) -> MemberRecord {
    let base = email.split('@').next().unwrap();
    let account = db
        .store
        .acting(&by_system())
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
    db.store.acting(&by_system()).update_member(ann.id, &named("Ann", "Young")).await.unwrap();
    db.store.acting(&by_system()).update_member(bob.id, &named("Bob", "Adams")).await.unwrap();
    db.store.acting(&by_system()).set_member_status(cy.id, MemberStatus::Blocked).await.unwrap();
    db.store.acting(&by_system()).set_member_privacy(bob.id, PrivacyStatus::Public).await.unwrap();
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
}

/// Members with every awkward sort key: equal creation and login times (the id decides),
/// equal and missing nicknames, missing last or first names, never logged in.
async fn awkward_members(db: &TestDb) -> Vec<MemberRecord> {
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let (early, late) = (t("2026-01-02T03:04:05.123456Z"), t("2026-06-07T08:09:10Z"));
    let rows = [
        (Some("kim"), Some("ann"), Some("lee"), early, Some(late)),
        (Some("kim"), None, Some("lee"), early, Some(late)),
        (None, Some("bo"), None, early, None),
        (Some("al"), Some("ann"), Some("lee"), late, None),
        (None, None, None, late, Some(early)),
        (Some("zed"), Some("cy"), Some("abe"), early, Some(early)),
        (None, Some("ann"), Some("lee"), late, Some(late)),
        (Some("kim"), Some("dee"), None, late, None),
        (Some("al"), None, Some("zoe"), early, Some(late)),
        (None, Some("ann"), None, early, None),
        (Some("max"), Some("eve"), Some("abe"), late, Some(early)),
    ];
    let members: Vec<ImportedMember> = rows
        .iter()
        .enumerate()
        .map(|(n, (nickname, first, last, created_at, last_login_at))| ImportedMember {
            id: uuid::Uuid::new_v4(),
            login_email: format!("m{n}@example.com"),
            status: MemberStatus::Approved,
            privacy_status: if n % 2 == 0 { PrivacyStatus::Public } else { PrivacyStatus::Private },
            activity_status: ActivityStatus::Active,
            nickname: nickname.map(str::to_owned),
            slug: format!("m{n}"),
            title: None,
            contact: Contact {
                first_name: first.map(str::to_owned),
                last_name: last.map(str::to_owned),
                ..Contact::default()
            },
            created_at: *created_at,
            last_login_at: *last_login_at,
        })
        .collect();
    db.store.acting(&by_system()).import_members(&members).await.unwrap();
    db.store.query_members(&all(), &first_page()).await.unwrap()
}

/// The order each sort promises, worked out here rather than by the database.
fn expected_order(sort: MemberSort, members: &[MemberRecord]) -> Vec<uuid::Uuid> {
    let mut sorted: Vec<&MemberRecord> = members.iter().collect();
    // `None` last in ascending order
    let last = |v: &Option<String>| (v.is_none(), v.clone().unwrap_or_default());
    match sort {
        MemberSort::NewestFirst => sorted.sort_by_key(|m| std::cmp::Reverse((m.created_at, m.id))),
        MemberSort::Nickname => sorted.sort_by_key(|m| (last(&m.nickname), m.id)),
        MemberSort::Name => sorted.sort_by_key(|m| (last(&m.contact.last_name), last(&m.contact.first_name), m.id)),
        MemberSort::LastLogin => sorted.sort_by_key(|m| {
            std::cmp::Reverse((m.last_login_at.is_some(), m.last_login_at.unwrap_or(m.created_at), m.id))
        }),
    }
    sorted.into_iter().map(|m| m.id).collect()
}

async fn every_sort_pages_from_any_place_both_ways(db: TestDb) {
    let members = awkward_members(&db).await;
    let ids = |rows: Vec<MemberRecord>| rows.into_iter().map(|m| m.id).collect::<Vec<_>>();
    let public = MemberFilter { privacy: Some(PrivacyStatus::Public), ..all() };
    for sort in [MemberSort::NewestFirst, MemberSort::Nickname, MemberSort::Name, MemberSort::LastLogin] {
        let order = expected_order(sort, &members);
        let whole = MemberPage { sort, limit: 100, start: PageStart::First };
        assert_eq!(ids(db.store.query_members(&all(), &whole).await.unwrap()), order, "{sort:?}");
        for (i, m) in members.iter().map(|m| (order.iter().position(|id| *id == m.id).unwrap(), m)) {
            let cursor = sort.cursor(m);
            // a place read back from its token is the same place
            let cursor = sort.parse_cursor(&cursor.token()).unwrap();
            let after = MemberPage { sort, limit: 3, start: PageStart::After(cursor.clone()) };
            let before = MemberPage { sort, limit: 3, start: PageStart::Before(cursor) };
            assert_eq!(
                ids(db.store.query_members(&all(), &after).await.unwrap()),
                order[i + 1..(i + 4).min(order.len())],
                "{sort:?} after #{i}"
            );
            assert_eq!(
                ids(db.store.query_members(&all(), &before).await.unwrap()),
                order[i.saturating_sub(3)..i],
                "{sort:?} before #{i}"
            );
        }
        // walking forwards page by page under a filter visits each match once, in order
        let public_order: Vec<_> = order
            .iter()
            .copied()
            .filter(|id| members.iter().any(|m| m.id == *id && m.privacy_status == PrivacyStatus::Public))
            .collect();
        let (mut seen, mut start) = (Vec::new(), PageStart::First);
        loop {
            let page = db.store.query_members(&public, &MemberPage { sort, limit: 2, start }).await.unwrap();
            let Some(last) = page.last() else { break };
            start = PageStart::After(sort.cursor(last));
            seen.extend(page.iter().map(|m| m.id));
        }
        assert_eq!(seen, public_order, "{sort:?} under a filter");
    }
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
    let updated = db.store.acting(&by_system()).update_member(ann.id, &changes).await.unwrap().unwrap();
    assert_eq!(
        (updated.slug.as_str(), updated.nickname.as_deref(), updated.title.as_deref()),
        ("annie", Some("Annie"), Some("Head gardener"))
    );
    assert_eq!(db.store.member(ann.id).await.unwrap().unwrap().contact, contact, "contact lists round-trip");
    assert_eq!(db.store.member_by_slug("annie").await.unwrap().unwrap().id, ann.id);
    assert!(db.store.member_by_slug("ann").await.unwrap().is_none(), "the old address is free");

    // taking someone else's slug is refused and changes nothing, not even the other fields
    let clash = MemberChanges { slug: Some(bo.slug.clone()), nickname: Some(None), ..MemberChanges::default() };
    match db.store.acting(&by_system()).update_member(ann.id, &clash).await {
        Err(StoreError::Unique(name)) => assert_eq!(name, "members_slug_key"),
        other => panic!("expected a slug clash, got {other:?}"),
    }
    let after = db.store.member(ann.id).await.unwrap().unwrap();
    assert_eq!((after.slug.as_str(), after.nickname.as_deref()), ("annie", Some("Annie")));
    assert!(db.store.acting(&by_system()).update_member(uuid::Uuid::new_v4(), &clash).await.unwrap().is_none());
}

async fn status_and_activity_change(db: TestDb) {
    let ann = member(&db, "ann@example.com", None).await;
    assert_eq!(ann.activity_status, ActivityStatus::Active);
    assert!(db.store.acting(&by_system()).set_member_status(ann.id, MemberStatus::Blocked).await.unwrap());
    assert!(db.store.acting(&by_system()).set_member_activity(ann.id, ActivityStatus::Muted).await.unwrap());
    let after = db.store.member(ann.id).await.unwrap().unwrap();
    assert_eq!((after.status, after.activity_status), (MemberStatus::Blocked, ActivityStatus::Muted));
    assert!(after.updated_at >= ann.updated_at);
    assert!(!db
        .store
        .acting(&by_system())
        .set_member_status(uuid::Uuid::new_v4(), MemberStatus::Approved)
        .await
        .unwrap());
}

async fn deleting_a_member_takes_account_sessions_and_assignments(db: TestDb) {
    let ann = member(&db, "ann@example.com", None).await;
    let bo = member(&db, "bo@example.com", None).await;
    let account = db.store.account_by_email(&Email::parse("ann@example.com").unwrap()).await.unwrap().unwrap();
    db.store.create_session("hash-1", account.id, chrono::Utc::now() + chrono::Duration::days(1)).await.unwrap();
    let star = db.store.acting(&by_system()).create_badge(&plain_badge("Star")).await.unwrap();
    db.insert_assignment(star.id, ann.id).await;
    db.insert_assignment(star.id, bo.id).await;

    assert!(db.store.acting(&by_system()).delete_member(ann.id).await.unwrap());
    assert!(db.store.member(ann.id).await.unwrap().is_none());
    assert!(db.store.account_by_id(account.id).await.unwrap().is_none(), "the account went too");
    assert!(db.store.session_account("hash-1", chrono::Utc::now()).await.unwrap().is_none(), "and its sessions");
    assert_eq!(
        db.store.badge(star.id).await.unwrap().unwrap().member_count,
        1,
        "and the assignment; the badge count is exact"
    );
    assert!(db.store.member(bo.id).await.unwrap().is_some());
    assert!(!db.store.acting(&by_system()).delete_member(ann.id).await.unwrap());
}

async fn held_badges_come_in_display_order(db: TestDb) {
    let ann = member(&db, "ann@example.com", None).await;
    let bo = member(&db, "bo@example.com", None).await;
    let first = db.store.acting(&by_system()).create_badge(&plain_badge("First")).await.unwrap();
    let second = db.store.acting(&by_system()).create_badge(&plain_badge("Second")).await.unwrap();
    db.insert_assignment(second.id, ann.id).await;
    db.insert_assignment(first.id, ann.id).await;
    db.insert_assignment(second.id, bo.id).await;
    let held = db.store.held_badges(&[ann.id, bo.id]).await.unwrap();
    let ann_titles: Vec<_> = held.iter().filter(|h| h.member_id == ann.id).map(|h| h.title.as_str()).collect();
    assert_eq!(ann_titles, ["First", "Second"]);
    assert_eq!(held.iter().filter(|h| h.member_id == bo.id).count(), 1);
    assert!(db.store.held_badges(&[]).await.unwrap().is_empty());
}
