//! The badge store on both backends: slugs, revisions, ordering, search and deletion.

use crate::common::by_system;
use crate::common::TestDb;
use insignia::domain::badge_order::{MoveTo, OrderError, Reorder};
use insignia::domain::{BadgeDescription, BadgeTitle, HexColor, IconRef};
use insignia::store::{BadgeChanges, BadgeQuery, BadgeSort, BadgeUpdate, NewBadge};

crate::on_both_backends!(
    create_assigns_slug_position_and_first_revision,
    slug_clashes_get_suffixes_and_follow_title_changes,
    stale_revisions_are_refused_and_change_nothing,
    partial_updates_touch_only_what_is_named,
    list_searches_filters_sorts_and_pages,
    delete_removes_the_badge,
    holders_are_counted_and_deleted_with_their_badge,
    reorder_moves_and_sets_the_display_order,
    concurrent_creates_get_distinct_positions,
);

fn badge(title: &str) -> NewBadge {
    NewBadge {
        title: BadgeTitle::parse(title).unwrap(),
        description: BadgeDescription::parse("").unwrap(),
        background_color: HexColor::parse("#1E40AF").unwrap(),
        text_color: HexColor::parse("#FFFFFF").unwrap(),
        icon: None,
        permissions_enabled: false,
    }
}

fn query() -> BadgeQuery {
    BadgeQuery { limit: 100, ..BadgeQuery::default() }
}

async fn create_assigns_slug_position_and_first_revision(db: TestDb) {
    let mut new = badge("Top Contributor!");
    new.icon = Some(IconRef::library("star", "A star").unwrap());
    new.permissions_enabled = true;
    let a = db.store.acting(&by_system()).create_badge(&new).await.unwrap();
    assert_eq!((a.slug.as_str(), a.revision, a.member_count), ("top-contributor", 1, 0));
    assert_eq!((a.background_color.as_str(), a.text_color.as_str()), ("#1E40AF", "#FFFFFF"));
    assert_eq!(a.icon, new.icon);
    assert!(a.permissions_enabled);
    let b = db.store.acting(&by_system()).create_badge(&badge("Helper")).await.unwrap();
    assert!(b.position > a.position, "new badges go last");
    assert_eq!(db.store.badge(a.id).await.unwrap().unwrap(), a);
    assert!(db.store.badge(uuid::Uuid::new_v4()).await.unwrap().is_none());
}

async fn slug_clashes_get_suffixes_and_follow_title_changes(db: TestDb) {
    let mut slugs = Vec::new();
    for _ in 0..3 {
        slugs.push(db.store.acting(&by_system()).create_badge(&badge("Top Fan")).await.unwrap());
    }
    let names: Vec<_> = slugs.iter().map(|b| b.slug.as_str()).collect();
    assert_eq!(names, ["top-fan", "top-fan-2", "top-fan-3"]);

    let renamed =
        |title: &str| BadgeChanges { title: Some(BadgeTitle::parse(title).unwrap()), ..BadgeChanges::default() };
    // a new title brings a new slug
    let BadgeUpdate::Updated(b) =
        db.store.acting(&by_system()).update_badge(slugs[1].id, Some(1), &renamed("Night Owl")).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(b.slug, "night-owl");
    // a title with the same slug keeps its own slug rather than taking a suffix
    let BadgeUpdate::Updated(a) =
        db.store.acting(&by_system()).update_badge(slugs[0].id, Some(1), &renamed("TOP   fan")).await.unwrap()
    else {
        panic!()
    };
    assert_eq!((a.title.as_str(), a.slug.as_str()), ("TOP   fan", "top-fan"));
    // the freed suffix is reused
    let c = db.store.acting(&by_system()).create_badge(&badge("Top Fan")).await.unwrap();
    assert_eq!(c.slug, "top-fan-2");
}

async fn stale_revisions_are_refused_and_change_nothing(db: TestDb) {
    let b = db.store.acting(&by_system()).create_badge(&badge("Mentor")).await.unwrap();
    let first =
        BadgeChanges { description: Some(BadgeDescription::parse("Helps newcomers").unwrap()), ..Default::default() };
    let BadgeUpdate::Updated(after) = db.store.acting(&by_system()).update_badge(b.id, Some(1), &first).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(after.revision, 2, "exactly one more");
    assert!(after.updated_at >= b.updated_at);

    // a second editor still holding revision 1
    let second = BadgeChanges { title: Some(BadgeTitle::parse("Guide").unwrap()), ..Default::default() };
    assert_eq!(
        db.store.acting(&by_system()).update_badge(b.id, Some(1), &second).await.unwrap(),
        BadgeUpdate::Stale { current_revision: 2 }
    );
    let now = db.store.badge(b.id).await.unwrap().unwrap();
    assert_eq!(now, *after, "nothing changed");
    assert_eq!(
        db.store.acting(&by_system()).update_badge(uuid::Uuid::new_v4(), Some(1), &second).await.unwrap(),
        BadgeUpdate::NotFound
    );
}

async fn partial_updates_touch_only_what_is_named(db: TestDb) {
    let mut new = badge("Artist");
    new.icon = Some(IconRef::url("https://cdn.example.com/a.png", "Palette").unwrap());
    let b = db.store.acting(&by_system()).create_badge(&new).await.unwrap();
    let changes = BadgeChanges { text_color: Some(HexColor::parse("#fe0").unwrap()), ..Default::default() };
    let BadgeUpdate::Updated(after) =
        db.store.acting(&by_system()).update_badge(b.id, Some(1), &changes).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(after.text_color, "#FFEE00");
    assert_eq!((after.title.as_str(), after.background_color.as_str(), &after.icon), ("Artist", "#1E40AF", &new.icon));
    let remove_icon = BadgeChanges { icon: Some(None), permissions_enabled: Some(true), ..Default::default() };
    let BadgeUpdate::Updated(after) =
        db.store.acting(&by_system()).update_badge(b.id, Some(2), &remove_icon).await.unwrap()
    else {
        panic!()
    };
    assert_eq!((after.icon.clone(), after.permissions_enabled, after.revision), (None, true, 3));
}

async fn list_searches_filters_sorts_and_pages(db: TestDb) {
    for (title, perms) in
        [("Zebra", false), ("alpha", true), ("Mid 50% off", false), ("Beta_tester", true), ("Gamma", false)]
    {
        let mut b = badge(title);
        b.permissions_enabled = perms;
        db.store.acting(&by_system()).create_badge(&b).await.unwrap();
    }
    let titles = |v: Vec<insignia::store::BadgeRecord>| v.into_iter().map(|b| b.title).collect::<Vec<_>>();

    let by_position = titles(db.store.list_badges(&query()).await.unwrap());
    assert_eq!(by_position, ["Zebra", "alpha", "Mid 50% off", "Beta_tester", "Gamma"]);
    let by_title = titles(db.store.list_badges(&BadgeQuery { sort: BadgeSort::Title, ..query() }).await.unwrap());
    assert_eq!(by_title, ["alpha", "Beta_tester", "Gamma", "Mid 50% off", "Zebra"]);
    let newest = titles(db.store.list_badges(&BadgeQuery { sort: BadgeSort::NewestFirst, ..query() }).await.unwrap());
    assert_eq!(newest[0], "Gamma");

    let search = |s: &str| BadgeQuery { search: Some(s.into()), ..query() };
    assert_eq!(titles(db.store.list_badges(&search("ALPHA")).await.unwrap()), ["alpha"], "case-insensitive");
    assert_eq!(titles(db.store.list_badges(&search("a")).await.unwrap()).len(), 5 - 1, "substring");
    // wildcards in the search are literal characters
    assert_eq!(titles(db.store.list_badges(&search("%")).await.unwrap()), ["Mid 50% off"]);
    assert_eq!(titles(db.store.list_badges(&search("_")).await.unwrap()), ["Beta_tester"]);
    assert_eq!(db.store.count_badges(&search("_")).await.unwrap(), 1);

    let with_perms = BadgeQuery { permissions_enabled: Some(true), ..query() };
    assert_eq!(titles(db.store.list_badges(&with_perms).await.unwrap()), ["alpha", "Beta_tester"]);
    assert_eq!(db.store.count_badges(&with_perms).await.unwrap(), 2);

    let page2 = BadgeQuery { limit: 2, offset: 2, ..query() };
    assert_eq!(titles(db.store.list_badges(&page2).await.unwrap()), ["Mid 50% off", "Beta_tester"]);
    assert_eq!(db.store.count_badges(&page2).await.unwrap(), 5, "the count ignores paging");
}

async fn delete_removes_the_badge(db: TestDb) {
    let b = db.store.acting(&by_system()).create_badge(&badge("Gone Soon")).await.unwrap();
    assert!(db.store.acting(&by_system()).delete_badge(b.id).await.unwrap());
    assert!(db.store.badge(b.id).await.unwrap().is_none());
    assert!(!db.store.acting(&by_system()).delete_badge(b.id).await.unwrap(), "deleting twice finds nothing");
    // its slug is free again
    assert_eq!(db.store.acting(&by_system()).create_badge(&badge("Gone Soon")).await.unwrap().slug, "gone-soon");
}

async fn reorder_moves_and_sets_the_display_order(db: TestDb) {
    let mut ids = Vec::new();
    for t in ["A", "B", "C", "D"] {
        ids.push(db.store.acting(&by_system()).create_badge(&badge(t)).await.unwrap().id);
    }
    let order = || async {
        db.store.list_badges(&query()).await.unwrap().into_iter().map(|b| b.title).collect::<Vec<_>>().join("")
    };
    let apply = |r: Reorder| {
        let store = db.store.clone();
        async move { store.reorder_badges(&r).await.unwrap() }
    };
    apply(Reorder::Move(ids[3], MoveTo::First)).await.unwrap();
    assert_eq!(order().await, "DABC");
    apply(Reorder::Move(ids[3], MoveTo::Down)).await.unwrap();
    assert_eq!(order().await, "ADBC");
    apply(Reorder::Move(ids[0], MoveTo::After(ids[2]))).await.unwrap();
    assert_eq!(order().await, "DBCA");
    apply(Reorder::SetFirst(vec![ids[2], ids[1]])).await.unwrap();
    assert_eq!(order().await, "CBDA");
    // an unknown id changes nothing
    let stranger = uuid::Uuid::new_v4();
    assert_eq!(apply(Reorder::Move(stranger, MoveTo::Last)).await, Err(OrderError::Unknown(stranger)));
    assert_eq!(order().await, "CBDA");
    // a new badge still goes last, and moving keeps revisions as they were
    db.store.acting(&by_system()).create_badge(&badge("E")).await.unwrap();
    assert_eq!(order().await, "CBDAE");
    assert_eq!(db.store.badge(ids[0]).await.unwrap().unwrap().revision, 1);
}

async fn holders_are_counted_and_deleted_with_their_badge(db: TestDb) {
    use insignia::domain::{Email, MemberStatus};
    use insignia::store::NewMemberAccount;
    let kept = db.store.acting(&by_system()).create_badge(&badge("Kept")).await.unwrap();
    let doomed = db.store.acting(&by_system()).create_badge(&badge("Doomed")).await.unwrap();
    for name in ["ann", "bo", "cy"] {
        let account = db
            .store
            .acting(&by_system())
            .create_member_account(&NewMemberAccount {
                email: Email::parse(&format!("{name}@example.com")).unwrap(),
                password_hash: "x".into(),
                status: MemberStatus::Approved,
                base_slug: name.into(),
                nickname: None,
            })
            .await
            .unwrap();
        let member = account.member.unwrap().id;
        db.insert_assignment(doomed.id, member).await;
        if name == "ann" {
            db.insert_assignment(kept.id, member).await;
        }
    }
    assert_eq!(db.store.badge(doomed.id).await.unwrap().unwrap().member_count, 3);
    let listed = db.store.list_badges(&query()).await.unwrap();
    let counts: Vec<_> = listed.iter().map(|b| (b.title.as_str(), b.member_count)).collect();
    assert_eq!(counts, [("Kept", 1), ("Doomed", 3)]);

    assert!(db.store.acting(&by_system()).delete_badge(doomed.id).await.unwrap());
    assert_eq!(db.count("select count(*) from badge_assignments").await, 1, "only the kept badge's holder remains");
    assert_eq!(db.store.badge(kept.id).await.unwrap().unwrap().member_count, 1);
    assert_eq!(db.store.member_counts().await.unwrap().total, 3, "members stay");
}

/// Twenty badges created at once each get a place of their own in the display order (on
/// PostgreSQL they all read the same highest position before the order was locked).
async fn concurrent_creates_get_distinct_positions(db: TestDb) {
    let mut creates = tokio::task::JoinSet::new();
    for n in 0..20 {
        let store = db.store.clone();
        creates.spawn(async move {
            store.acting(&by_system()).create_badge(&badge(&format!("Racer {n}"))).await.unwrap().position
        });
    }
    let mut positions = Vec::new();
    while let Some(position) = creates.join_next().await {
        positions.push(position.unwrap());
    }
    positions.sort();
    assert_eq!(positions, (1..=20).collect::<Vec<i64>>());
}
