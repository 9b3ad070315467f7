//! Badge assignments in the store, on both backends: outcomes per member, exact counts, who and
//! why, and uniqueness under concurrent assignment.

use crate::common::by_system;
use crate::common::{create_plain_badge, TestDb};
use insignia::domain::{Email, MemberStatus};
use insignia::store::{AssignOutcome, AssignedBy, NewMemberAccount, UnassignOutcome};
use std::sync::Arc;
use uuid::Uuid;

crate::on_both_backends!(
    assigning_reports_each_member_and_keeps_counts_exact,
    concurrent_assignments_of_one_pair_leave_one_row,
    unassigning_reports_what_was_held,
    the_member_list_filters_by_badge_held_or_not,
);

async fn member(db: &TestDb, name: &str) -> Uuid {
    let account = db
        .store
        .acting(&by_system())
        .create_member_account(&NewMemberAccount {
            email: Email::parse(&format!("{name}@example.com")).unwrap(),
            password_hash: "$argon2id$fake".into(),
            status: MemberStatus::Approved,
            base_slug: name.into(),
            nickname: None,
        })
        .await
        .unwrap();
    account.member.unwrap().id
}

async fn assigning_reports_each_member_and_keeps_counts_exact(db: TestDb) {
    let (ann, bo) = (member(&db, "ann").await, member(&db, "bo").await);
    let star = create_plain_badge(&db.store, "Star").await;
    let owner = db.store.create_owner(&Email::parse("owner@example.com").unwrap(), "x").await.unwrap();
    let nobody = Uuid::new_v4();

    let first = db
        .store
        .acting(&by_system())
        .assign_badge(star, &[ann], AssignedBy::account(owner.id), Some("Helped at the fair"))
        .await
        .unwrap()
        .unwrap();
    let AssignOutcome::Assigned(ann_assignment) = first[0] else { panic!("{first:?}") };
    let outcomes = db
        .store
        .acting(&by_system())
        .assign_badge(star, &[bo, ann, nobody, bo], AssignedBy::NOBODY, None)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(outcomes[0], AssignOutcome::Assigned(_)));
    assert_eq!(outcomes[1], AssignOutcome::AlreadyHeld(ann_assignment), "already held: the existing assignment");
    assert_eq!(outcomes[2], AssignOutcome::MemberNotFound);
    assert!(matches!(outcomes[3], AssignOutcome::AlreadyHeld(_)), "a member listed twice is assigned once");
    assert_eq!(db.store.badge(star).await.unwrap().unwrap().member_count, 2);
    assert_eq!(
        db.count(
            "select count(*) from badge_assignments where reason = 'Helped at the fair' and assigned_by is not null"
        )
        .await,
        1
    );
    assert!(
        db.store
            .acting(&by_system())
            .assign_badge(Uuid::new_v4(), &[ann], AssignedBy::NOBODY, None)
            .await
            .unwrap()
            .is_none(),
        "no such badge"
    );
    let held = db.store.held_badges(&[ann]).await.unwrap();
    assert_eq!((held.len(), held[0].title.as_str()), (1, "Star"));
}

async fn concurrent_assignments_of_one_pair_leave_one_row(db: TestDb) {
    let ann = member(&db, "ann").await;
    let star = create_plain_badge(&db.store, "Star").await;
    let store = Arc::clone(&db.store);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store.acting(&by_system()).assign_badge(star, &[ann], AssignedBy::NOBODY, None).await.unwrap().unwrap()
                    [0]
            })
        })
        .collect();
    let mut assigned = 0;
    for task in tasks {
        match task.await.unwrap() {
            AssignOutcome::Assigned(_) => assigned += 1,
            AssignOutcome::AlreadyHeld(_) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(assigned, 1, "exactly one task assigned; the others found it held");
    assert_eq!(db.count("select count(*) from badge_assignments").await, 1);
}

async fn unassigning_reports_what_was_held(db: TestDb) {
    let (ann, bo) = (member(&db, "ann").await, member(&db, "bo").await);
    let star = create_plain_badge(&db.store, "Star").await;
    db.store.acting(&by_system()).assign_badge(star, &[ann], AssignedBy::NOBODY, None).await.unwrap();
    let outcomes = db.store.acting(&by_system()).unassign_badge(star, &[ann, bo, ann]).await.unwrap();
    assert!(matches!(outcomes[0], UnassignOutcome::Removed(_)));
    assert_eq!(&outcomes[1..], &[UnassignOutcome::NotHeld, UnassignOutcome::NotHeld]);
    assert_eq!(db.store.badge(star).await.unwrap().unwrap().member_count, 0);
}

async fn the_member_list_filters_by_badge_held_or_not(db: TestDb) {
    use insignia::store::{MemberFilter, MemberPage};
    let (ann, bo) = (member(&db, "ann").await, member(&db, "bo").await);
    member(&db, "cy").await;
    let (star, moon) = (create_plain_badge(&db.store, "Star").await, create_plain_badge(&db.store, "Moon").await);
    db.store.acting(&by_system()).assign_badge(star, &[ann, bo], AssignedBy::NOBODY, None).await.unwrap();
    db.store.acting(&by_system()).assign_badge(moon, &[bo], AssignedBy::NOBODY, None).await.unwrap();
    let slugs = |filter: MemberFilter| {
        let store = Arc::clone(&db.store);
        async move {
            let mut s: Vec<String> = store
                .query_members(&filter, &MemberPage { limit: 10, ..Default::default() })
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.slug)
                .collect();
            s.sort();
            s
        }
    };
    assert_eq!(slugs(MemberFilter { holds: Some(star), ..Default::default() }).await, ["ann", "bo"]);
    assert_eq!(slugs(MemberFilter { lacks: Some(star), ..Default::default() }).await, ["cy"]);
    assert_eq!(slugs(MemberFilter { holds: Some(star), lacks: Some(moon), ..Default::default() }).await, ["ann"]);
    assert_eq!(slugs(MemberFilter { holds: Some(moon), search: Some("b".into()), ..Default::default() }).await, ["bo"]);
}
