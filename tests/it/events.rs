//! The outbox, on both backends: every change writes its events in its own transaction (a
//! refused or failed change writes none), each entity's events are numbered 1, 2, 3… even when
//! changes race, and runs, the REST API and the dashboard record who made the change.

use crate::common::{by_system, create_plain_badge, TestDb};
use insignia::domain::event::{ActorKind, ChangedBy, EntityType, EventAction};
use insignia::domain::job::{JobAction, JobStatus};
use insignia::domain::webhook::{EventType, WebhookFormat};
use insignia::domain::{ActivityStatus, Email};
use insignia::domain::{BadgeTitle, Contact, MemberStatus, PrivacyStatus};
use insignia::store::{
    AssignedBy, AssignmentRecord, BadgeChanges, BadgeRecord, BadgeUpdate, EventFilter, EventRecord, ImportedMember,
    JobSource, JobStart, MemberFilter, MemberRecord, NewEndpoint, NewJob, NewMemberAccount, SharedStore,
};
use uuid::Uuid;

crate::on_both_backends!(
    a_badge_records_created_updated_deleted_with_before_and_after,
    refused_and_failed_changes_record_nothing,
    concurrent_changes_keep_each_entity_sequence_strictly_increasing,
    member_changes_name_what_happened,
    a_run_records_one_event_per_change_as_insignia,
    a_batch_wider_than_one_statement_keeps_every_row_event_and_delivery,
    filters_narrow_the_log_and_pages_go_back_in_time,
    old_history_is_swept_as_configured,
);

fn renamed(title: &str) -> BadgeChanges {
    BadgeChanges { title: Some(BadgeTitle::parse(title).unwrap()), ..BadgeChanges::default() }
}

/// Every event, oldest first.
async fn all_events(store: &SharedStore) -> Vec<EventRecord> {
    let mut events = store.events(&EventFilter::default(), None, 10_000).await.unwrap();
    events.reverse();
    events
}

async fn events_of(store: &SharedStore, entity_id: Uuid) -> Vec<EventRecord> {
    let filter = EventFilter { entity_id: Some(entity_id), ..EventFilter::default() };
    let mut events = store.events(&filter, None, 10_000).await.unwrap();
    events.reverse();
    events
}

/// A run of `action` over every member, by Insignia itself.
fn over_everyone(action: JobAction, badge_id: Option<Uuid>) -> NewJob {
    NewJob {
        action,
        badge_id,
        source: JobSource::Filter(MemberFilter::default()),
        tags: None,
        reason: None,
        created_by: None,
        created_by_key: None,
    }
}

async fn imported(store: &SharedStore, n: usize) -> Vec<Uuid> {
    let list: Vec<ImportedMember> = (0..n)
        .map(|i| ImportedMember {
            id: Uuid::new_v4(),
            login_email: format!("m{i}@example.com"),
            status: MemberStatus::Pending,
            privacy_status: PrivacyStatus::Private,
            activity_status: ActivityStatus::Active,
            nickname: Some(format!("Member {i}")),
            slug: format!("m-{i}"),
            title: None,
            contact: Contact::default(),
            created_at: chrono::Utc::now(),
            last_login_at: None,
        })
        .collect();
    store.acting(&by_system()).import_members(&list).await.unwrap();
    list.iter().map(|m| m.id).collect()
}

async fn a_badge_records_created_updated_deleted_with_before_and_after(db: TestDb) {
    let admin = ChangedBy::account(Uuid::new_v4(), "owner@example.com");
    let store = db.store.acting(&admin);
    let owl = store.create_badge(&crate::common::plain_badge("Night Owl")).await.unwrap();
    let BadgeUpdate::Updated(owls) = store.update_badge(owl.id, Some(1), &renamed("Night Owls")).await.unwrap() else {
        panic!("update refused")
    };
    assert!(store.delete_badge(owl.id).await.unwrap());

    let events = events_of(&db.store, owl.id).await;
    let actions: Vec<_> = events.iter().map(|e| (e.action, e.entity_sequence)).collect();
    assert_eq!(actions, [(EventAction::Created, 1), (EventAction::Updated, 2), (EventAction::Deleted, 3)]);
    assert!(events.iter().all(|e| e.entity_type == EntityType::Badge && e.by == admin));
    assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
    let read = |json: &Option<String>| serde_json::from_str::<BadgeRecord>(json.as_deref().unwrap()).unwrap();
    assert_eq!(events[0].before, None);
    assert_eq!(read(&events[0].after), owl);
    assert_eq!((read(&events[1].before), read(&events[1].after)), (owl, owls.as_ref().clone()));
    assert_eq!((read(&events[2].before).title, &events[2].after), ("Night Owls".to_owned(), &None));
}

async fn refused_and_failed_changes_record_nothing(db: TestDb) {
    let owl = create_plain_badge(&db.store, "Night Owl").await;
    let system = by_system();
    let store = db.store.acting(&system);
    let before = all_events(&db.store).await.len();
    // a stale revision, an unknown badge, an unknown member: nothing changes, nothing recorded
    assert!(matches!(store.update_badge(owl, Some(7), &renamed("X")).await.unwrap(), BadgeUpdate::Stale { .. }));
    assert_eq!(store.update_badge(Uuid::new_v4(), None, &renamed("X")).await.unwrap(), BadgeUpdate::NotFound);
    assert!(!store.delete_member(Uuid::new_v4()).await.unwrap());
    let outcomes = store.assign_badge(owl, &[Uuid::new_v4()], AssignedBy::NOBODY, None).await.unwrap().unwrap();
    assert_eq!(outcomes, [insignia::store::AssignOutcome::MemberNotFound]);
    // a member account whose email is taken fails after its member row was written: rolled back
    let new = |nickname: &str| NewMemberAccount {
        email: Email::parse("ann@example.com").unwrap(),
        password_hash: "x".into(),
        status: MemberStatus::Approved,
        base_slug: nickname.into(),
        nickname: Some(nickname.into()),
    };
    store.create_member_account(&new("ann")).await.unwrap();
    let after_ann = all_events(&db.store).await.len();
    assert_eq!(after_ann, before + 1);
    assert!(store.create_member_account(&new("other")).await.is_err());
    assert_eq!(all_events(&db.store).await.len(), after_ann, "the refused sign-up left no event");

    // the event's own write fails (a trigger refuses it): the change it belongs to is undone
    match db.backend {
        crate::common::Backend::Sqlite => {
            db.execute(
                "create trigger refuse_updates before insert on events when new.action = 'updated'
                 begin select raise(abort, 'refused'); end",
            )
            .await
        }
        crate::common::Backend::Postgres => {
            db.execute(
                "create function refuse() returns trigger language plpgsql as
                 $$ begin raise exception 'refused'; end $$",
            )
            .await;
            db.execute(
                "create trigger refuse_updates before insert on events for each row
                 when (new.action = 'updated') execute function refuse()",
            )
            .await
        }
    }
    assert!(store.update_badge(owl, None, &renamed("Renamed")).await.is_err());
    let badge = db.store.badge(owl).await.unwrap().unwrap();
    assert_eq!((badge.title.as_str(), badge.revision), ("Night Owl", 1), "no event, no change");
}

async fn concurrent_changes_keep_each_entity_sequence_strictly_increasing(db: TestDb) {
    let owl = create_plain_badge(&db.store, "Night Owl").await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..8 {
        let store = db.store.clone();
        tasks.spawn(async move {
            let by = ChangedBy::api_key(Uuid::new_v4(), &format!("ins_key{n}"));
            let changes = BadgeChanges {
                description: Some(insignia::domain::BadgeDescription::parse(&format!("take {n}")).unwrap()),
                ..BadgeChanges::default()
            };
            store.acting(&by).update_badge(owl, None, &changes).await.unwrap();
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let events = events_of(&db.store, owl).await;
    let sequences: Vec<i64> = events.iter().map(|e| e.entity_sequence).collect();
    assert_eq!(sequences, (1..=9).collect::<Vec<_>>(), "in the order written, with no gap or repeat");
    assert_eq!(db.store.badge(owl).await.unwrap().unwrap().revision, 9);
    // each update's `before` is the previous one's `after`: no change was written over
    for pair in events[1..].windows(2) {
        assert_eq!(pair[0].after, pair[1].before);
    }
}

async fn member_changes_name_what_happened(db: TestDb) {
    let ann = imported(&db.store, 1).await[0];
    let system = by_system();
    let store = db.store.acting(&system);
    store.set_member_status(ann, MemberStatus::Approved).await.unwrap();
    store.set_member_status(ann, MemberStatus::Approved).await.unwrap();
    store.set_member_privacy(ann, PrivacyStatus::Public).await.unwrap();
    store.set_member_activity(ann, ActivityStatus::Muted).await.unwrap();
    store.set_member_activity(ann, ActivityStatus::Active).await.unwrap();
    store.set_member_privacy(ann, PrivacyStatus::Private).await.unwrap();
    store.set_member_status(ann, MemberStatus::Blocked).await.unwrap();
    assert!(store.delete_member(ann).await.unwrap());
    let events = events_of(&db.store, ann).await;
    let actions: Vec<_> = events.iter().map(|e| e.action).collect();
    use EventAction::*;
    assert_eq!(
        actions,
        [Created, Approved, Joined, Muted, Unmuted, Left, Blocked, Deleted],
        "a repeat records nothing"
    );
    let read = |json: &Option<String>| serde_json::from_str::<MemberRecord>(json.as_deref().unwrap()).unwrap();
    assert_eq!(read(&events[1].before).status, MemberStatus::Pending);
    assert_eq!(read(&events[1].after).status, MemberStatus::Approved);
    assert_eq!(read(&events[2].after).privacy_status, PrivacyStatus::Public);
    assert_eq!(read(&events[7].before).login_email, "m0@example.com");
}

async fn a_run_records_one_event_per_change_as_insignia(db: TestDb) {
    let badge = create_plain_badge(&db.store, "Regular").await;
    let members = imported(&db.store, 25).await;
    // two already hold it: the run changes 23 and records 23
    db.store.acting(&by_system()).assign_badge(badge, &members[..2], AssignedBy::NOBODY, None).await.unwrap();
    let JobStart::Started(job) = db.store.create_job(&over_everyone(JobAction::Assign, Some(badge))).await.unwrap()
    else {
        panic!()
    };
    let by = ChangedBy::run(job.id);
    loop {
        let now = db.store.acting(&by).run_job_batch(job.id, 10).await.unwrap().unwrap();
        if now.status != JobStatus::Running {
            assert_eq!(now.succeeded, 23);
            break;
        }
    }
    let filter = EventFilter { entity_type: Some(EntityType::BadgeAssignment), ..EventFilter::default() };
    let made = db.store.events(&filter, None, 1000).await.unwrap();
    let by_run: Vec<_> = made.iter().filter(|e| e.by == by).collect();
    assert_eq!(by_run.len(), 23);
    assert!(by_run.iter().all(|e| e.action == EventAction::Created && e.entity_sequence == 1));
    assert_eq!(by_run[0].by.kind, ActorKind::System);

    // approving everyone: 25 pending members, 25 approvals, each with its before and after
    let approve = over_everyone(JobAction::ApproveMembers, None);
    let JobStart::Started(job) = db.store.create_job(&approve).await.unwrap() else { panic!() };
    while db.store.acting(&by).run_job_batch(job.id, 10).await.unwrap().unwrap().status == JobStatus::Running {}
    let approvals = EventFilter { action: Some(EventAction::Approved), ..EventFilter::default() };
    assert_eq!(db.store.events(&approvals, None, 1000).await.unwrap().len(), 25);
}

/// A run's batch of 1,000 is written a few hundred values to a statement (SQLite binds long
/// statements slowly): every member of the batch still gets the badge, its event (numbered on
/// from the entity's last one) and, for a subscribed webhook, its delivery, in order.
async fn a_batch_wider_than_one_statement_keeps_every_row_event_and_delivery(db: TestDb) {
    let badge = create_plain_badge(&db.store, "Regular").await;
    let members = imported(&db.store, 600).await;
    assert_eq!(db.store.events(&EventFilter::default(), None, 10_000).await.unwrap().len(), 601);
    let endpoint = NewEndpoint {
        url: "https://hooks.example.com/in".into(),
        format: WebhookFormat::Standard,
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        event_types: vec![EventType::AssignmentCreated],
    };
    db.store.create_endpoint(&endpoint).await.unwrap();
    for action in [JobAction::Assign, JobAction::Unassign] {
        let JobStart::Started(job) = db.store.create_job(&over_everyone(action, Some(badge))).await.unwrap() else {
            panic!()
        };
        let done = db.store.acting(&ChangedBy::run(job.id)).run_job_batch(job.id, 1000).await.unwrap().unwrap();
        assert_eq!((done.status, done.succeeded), (JobStatus::Done, 600), "{action:?}");
        if action == JobAction::Assign {
            assert_eq!(db.store.count_badge_holders(badge, false).await.unwrap(), 600);
        }
    }
    assert_eq!(db.store.count_badge_holders(badge, false).await.unwrap(), 0);
    let assignments = EventFilter { entity_type: Some(EntityType::BadgeAssignment), ..EventFilter::default() };
    let mut events = db.store.events(&assignments, None, 10_000).await.unwrap();
    events.reverse();
    let (created, deleted) = events.split_at(600);
    assert!(created.iter().all(|e| e.action == EventAction::Created && e.entity_sequence == 1));
    assert!(deleted.iter().all(|e| e.action == EventAction::Deleted && e.entity_sequence == 2));
    let holder = |e: &EventRecord| serde_json::from_str::<AssignmentRecord>(e.after.as_deref().unwrap()).unwrap();
    let mut holders: Vec<Uuid> = created.iter().map(|e| holder(e).member_id).collect();
    holders.sort();
    let mut expected = members.clone();
    expected.sort();
    assert_eq!(holders, expected);
    // each creation has its one delivery, pointing at its own event
    let claimed = db.store.claim_deliveries(chrono::Utc::now(), chrono::Duration::minutes(5), 10_000).await.unwrap();
    assert_eq!(claimed.len(), 600);
    let mut delivered: Vec<i64> = claimed.iter().map(|d| d.event.seq).collect();
    delivered.sort();
    assert_eq!(delivered, created.iter().map(|e| e.seq).collect::<Vec<_>>());
}

async fn filters_narrow_the_log_and_pages_go_back_in_time(db: TestDb) {
    let ann = ChangedBy::account(Uuid::new_v4(), "ann@example.com");
    let key = ChangedBy::api_key(Uuid::new_v4(), "ins_LoyaltyA");
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            db.store.acting(&ann).create_badge(&crate::common::plain_badge(&format!("Ann {n}"))).await.unwrap().id,
        );
    }
    db.store.acting(&key).update_badge(ids[0], None, &renamed("Loyal")).await.unwrap();

    let by_actor = EventFilter { actor: Some("LOYALTY".into()), ..EventFilter::default() };
    let found = db.store.events(&by_actor, None, 10).await.unwrap();
    assert_eq!(found.len(), 1, "case-insensitive part of the actor");
    assert_eq!((found[0].by.kind, found[0].action), (ActorKind::ApiKey, EventAction::Updated));

    let created =
        EventFilter { action: Some(EventAction::Created), actor: Some("ann@".into()), ..EventFilter::default() };
    let first = db.store.events(&created, None, 3).await.unwrap();
    let rest = db.store.events(&created, Some(first.last().unwrap().seq), 3).await.unwrap();
    let titles: Vec<Uuid> = first.iter().chain(&rest).map(|e| e.entity_id).collect();
    assert_eq!(titles, ids.iter().rev().copied().collect::<Vec<_>>(), "newest first, page after page");

    let later = EventFilter { from: Some(chrono::Utc::now() + chrono::Duration::minutes(1)), ..EventFilter::default() };
    assert!(db.store.events(&later, None, 10).await.unwrap().is_empty());
    let earlier =
        EventFilter { until: Some(chrono::Utc::now() + chrono::Duration::minutes(1)), ..EventFilter::default() };
    assert_eq!(db.store.events(&earlier, None, 100).await.unwrap().len(), 6);
    let members = EventFilter { entity_type: Some(EntityType::Member), ..EventFilter::default() };
    assert!(db.store.events(&members, None, 10).await.unwrap().is_empty());
}

async fn old_history_is_swept_as_configured(db: TestDb) {
    use insignia::audit::retention::sweep;
    let hook = NewEndpoint {
        url: "https://receiver.example/hook".into(),
        format: WebhookFormat::Standard,
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        event_types: vec![EventType::BadgeCreated],
    };
    db.store.create_endpoint(&hook).await.unwrap();
    for title in ["Old", "Older", "New"] {
        create_plain_badge(&db.store, title).await;
    }
    let long_ago = "'2026-01-01T00:00:00.000000Z'";
    db.execute(&format!(
        "update events set occurred_at = {long_ago} where entity_id in (select id from badges where title <> 'New')"
    ))
    .await;
    db.execute(&format!("update webhook_deliveries set status = 'DELIVERED', created_at = {long_ago}")).await;
    let now = chrono::Utc::now();
    // by default audit entries stay; delivered attempts older than 30 days go
    let swept = sweep(&db.store, now, None).await.unwrap();
    assert_eq!((swept.deliveries, swept.events), (3, 0));
    assert_eq!(all_events(&db.store).await.len(), 3);
    // with an age, older entries go too
    let swept = sweep(&db.store, now, Some(chrono::Duration::days(90))).await.unwrap();
    assert_eq!(swept.events, 2);
    let left: Vec<String> = all_events(&db.store)
        .await
        .iter()
        .map(|e| serde_json::from_str::<BadgeRecord>(e.after.as_deref().unwrap()).unwrap().title)
        .collect();
    assert_eq!(left, ["New"]);
}
