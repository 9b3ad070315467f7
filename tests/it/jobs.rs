//! Background assignment runs, on both backends: batches over a filter or an import's lines,
//! exact reports, one run per badge, and concurrent workers that never do a batch twice. Then
//! the same through the server functions, with the real background worker.

use crate::api::{app_with_owner, error_of, logged_in, signed_up_member, OWNER};
use crate::common::by_system;
use crate::common::{create_plain_badge, TestDb};
use insignia::assignments::api::{AssignAllMatching, AssignmentJobs, CountMatching};
use insignia::domain::job::{Job, JobAction, JobStatus};
use insignia::domain::query::{Filter, MemberField, MemberQuery, Scalar, Test};
use insignia::domain::Contact;
use insignia::domain::{ActivityStatus, MemberStatus, PrivacyStatus};
use insignia::store::{ImportedMember, JobItem, JobSource, JobStart, MemberFilter, NewJob, SharedStore};
use reqwest::StatusCode;
use std::sync::Arc;
use uuid::Uuid;

crate::on_both_backends!(
    a_filter_run_assigns_in_batches_and_reports_exactly,
    concurrent_workers_never_do_a_batch_twice,
    one_run_per_badge_at_a_time,
    an_import_run_keeps_line_reasons_and_reports_missing_members,
    a_removal_run_takes_the_badge_from_the_matching_members,
    members_are_found_by_email_or_slug,
    assign_all_matching_runs_in_the_background_for_admins_only,
    a_member_run_over_ten_thousand_members_survives_a_restart,
    member_runs_delete_and_block_but_never_staff,
);

/// `n` approved members named `{prefix}{i}` (emails `{prefix}{i}@example.com`), in one insert.
async fn members(store: &SharedStore, prefix: &str, n: usize) -> Vec<Uuid> {
    members_with(store, prefix, n, MemberStatus::Approved).await
}

async fn members_with(store: &SharedStore, prefix: &str, n: usize, status: MemberStatus) -> Vec<Uuid> {
    let now = chrono::Utc::now();
    let list: Vec<ImportedMember> = (0..n)
        .map(|i| ImportedMember {
            id: Uuid::new_v4(),
            login_email: format!("{prefix}{i}@example.com"),
            status,
            privacy_status: PrivacyStatus::Private,
            activity_status: ActivityStatus::Active,
            nickname: Some(format!("{prefix}{i}")),
            slug: format!("{prefix}-{i}"),
            title: None,
            contact: Contact::default(),
            created_at: now,
            last_login_at: None,
        })
        .collect();
    store.acting(&by_system()).import_members(&list).await.unwrap();
    list.iter().map(|m| m.id).collect()
}

fn search(text: &str) -> JobSource {
    JobSource::Filter(MemberFilter { search: Some(text.into()), ..MemberFilter::default() })
}

/// A badge run as the dashboard starts one.
fn badge_run(badge_id: Uuid, action: JobAction, source: JobSource, reason: Option<&str>) -> NewJob {
    NewJob {
        action,
        badge_id: Some(badge_id),
        source,
        tags: None,
        reason: reason.map(str::to_owned),
        created_by: None,
        created_by_key: None,
    }
}

async fn start(db: &TestDb, badge_id: Uuid, action: JobAction, source: JobSource) -> Job {
    match db.store.create_job(&badge_run(badge_id, action, source, Some("Fair"))).await.unwrap() {
        JobStart::Started(job) => job,
        other => panic!("not started: {other:?}"),
    }
}

/// Runs batches of `size` until the run ends; returns it and how many batches it took.
async fn finish(db: &TestDb, job: Uuid, size: i64) -> (Job, usize) {
    for batches in 1..10_000 {
        let job = db.store.acting(&by_system()).run_job_batch(job, size).await.unwrap().unwrap();
        if job.status != JobStatus::Running {
            return (job, batches);
        }
    }
    panic!("the run never ended");
}

async fn a_filter_run_assigns_in_batches_and_reports_exactly(db: TestDb) {
    let picked = members(&db.store, "pick", 23).await;
    let others = members(&db.store, "other", 5).await;
    let star = create_plain_badge(&db.store, "Star").await;
    db.insert_assignment(star, picked[3]).await;
    db.insert_assignment(star, picked[17]).await;
    db.insert_assignment(star, others[0]).await;

    let job = start(&db, star, JobAction::Assign, search("pick")).await;
    assert_eq!((job.total, job.processed, job.status), (23, 0, JobStatus::Running));
    let (done, batches) = finish(&db, job.id, 4).await;
    assert_eq!(batches, 6, "23 members in batches of 4: five full batches and one short");
    assert_eq!(
        (done.status, done.processed, done.succeeded, done.unchanged, done.failed),
        (JobStatus::Done, 23, 21, 2, 0)
    );
    assert_eq!(done.summary(), "Assigned to 21 members. 2 members already held it.");
    assert!(done.finished_at.is_some());
    assert_eq!(db.store.badge(star).await.unwrap().unwrap().member_count, 24, "23 picked + the one other held before");
    assert_eq!(db.count("select count(*) from badge_assignments where reason = 'Fair'").await, 21);
    // a finished run stays finished
    let again = db.store.acting(&by_system()).run_job_batch(job.id, 4).await.unwrap().unwrap();
    assert_eq!((again.status, again.processed), (JobStatus::Done, 23));
    assert_eq!(db.store.recent_jobs(5).await.unwrap()[0].id, job.id);
    assert!(db.store.running_jobs().await.unwrap().is_empty());
}

async fn concurrent_workers_never_do_a_batch_twice(db: TestDb) {
    members(&db.store, "pick", 60).await;
    let star = create_plain_badge(&db.store, "Star").await;
    let job = start(&db, star, JobAction::Assign, search("pick")).await;
    let store = Arc::clone(&db.store);
    // four workers (as if four server instances) race through the same run
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                loop {
                    let job = store.acting(&by_system()).run_job_batch(job.id, 7).await.unwrap().unwrap();
                    if job.status != JobStatus::Running {
                        break;
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    let done = db.store.job(job.id).await.unwrap().unwrap();
    assert_eq!((done.processed, done.succeeded, done.unchanged), (60, 60, 0), "every member exactly once");
    assert_eq!(db.store.badge(star).await.unwrap().unwrap().member_count, 60);
}

async fn one_run_per_badge_at_a_time(db: TestDb) {
    members(&db.store, "pick", 3).await;
    let (star, moon) = (create_plain_badge(&db.store, "Star").await, create_plain_badge(&db.store, "Moon").await);
    let first = start(&db, star, JobAction::Assign, search("pick")).await;
    let second = db.store.create_job(&badge_run(star, JobAction::Unassign, search(""), None)).await.unwrap();
    assert_eq!(second, JobStart::AlreadyRunning(first.clone()), "the running one is reported");
    start(&db, moon, JobAction::Assign, search("pick")).await; // another badge may run meanwhile
    let missing = badge_run(Uuid::new_v4(), JobAction::Assign, search(""), None);
    assert_eq!(db.store.create_job(&missing).await.unwrap(), JobStart::BadgeNotFound);
    finish(&db, first.id, 100).await;
    start(&db, star, JobAction::Unassign, search("pick")).await; // free again once it ended
    assert_eq!(db.store.running_jobs().await.unwrap().len(), 2);
}

async fn an_import_run_keeps_line_reasons_and_reports_missing_members(db: TestDb) {
    let people = members(&db.store, "imp", 4).await;
    let star = create_plain_badge(&db.store, "Star").await;
    db.insert_assignment(star, people[2]).await;
    let items = vec![
        JobItem { line: 2, member_id: people[0], reason: Some("Line two".into()) },
        JobItem { line: 3, member_id: people[1], reason: None },
        JobItem { line: 5, member_id: people[2], reason: None },
        JobItem { line: 6, member_id: people[3], reason: None },
    ];
    let job = start(&db, star, JobAction::Assign, JobSource::List(items)).await;
    assert!(job.from_import);
    assert_eq!(job.total, 4);
    assert!(db.store.acting(&by_system()).delete_member(people[3]).await.unwrap(), "deleted between preview and run");
    let (done, _) = finish(&db, job.id, 2).await;
    assert_eq!((done.processed, done.succeeded, done.unchanged, done.failed), (4, 2, 1, 1));
    assert_eq!(done.summary(), "Assigned to 2 members. 1 member already held it. 1 member no longer exists.");
    assert_eq!(db.count("select count(*) from badge_assignments where reason = 'Line two'").await, 1);
    assert_eq!(
        db.count("select count(*) from badge_assignments where reason = 'Fair'").await,
        1,
        "the run's reason where the line has none"
    );
}

async fn a_removal_run_takes_the_badge_from_the_matching_members(db: TestDb) {
    let picked = members(&db.store, "pick", 5).await;
    let others = members(&db.store, "other", 2).await;
    let star = create_plain_badge(&db.store, "Star").await;
    for &m in picked[..3].iter().chain(&others) {
        db.insert_assignment(star, m).await;
    }
    // the filter is "holds Star": members leave it as the run goes, and the cursor still
    // visits each of them once
    let holds =
        JobSource::Filter(MemberFilter { search: Some("pick".into()), holds: Some(star), ..MemberFilter::default() });
    let job = start(&db, star, JobAction::Unassign, holds).await;
    assert_eq!(job.total, 3);
    let (done, _) = finish(&db, job.id, 2).await;
    assert_eq!((done.processed, done.succeeded, done.unchanged), (3, 3, 0));
    assert_eq!(done.summary(), "Removed from 3 members.");
    assert_eq!(db.store.badge(star).await.unwrap().unwrap().member_count, 2, "the others keep it");
}

async fn members_are_found_by_email_or_slug(db: TestDb) {
    let people = members(&db.store, "find", 3).await;
    let values: Vec<String> =
        ["FIND0@Example.com", "find-1", "nobody@example.com", " find2@example.com "].map(String::from).into();
    let found = db.store.members_by_email_or_slug(&values).await.unwrap();
    assert_eq!(
        found,
        vec![(values[0].clone(), people[0]), (values[1].clone(), people[1]), (values[3].clone(), people[2])],
        "emails match whatever their case, slugs exactly; unknown values are left out"
    );
}

async fn assign_all_matching_runs_in_the_background_for_admins_only(db: TestDb) {
    let app = app_with_owner(db).await;
    let picked = members(&app.store, "pick", 2_500).await;
    members(&app.store, "other", 40).await;
    let star = create_plain_badge(&app.store, "Star").await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let member = signed_up_member(&app, "ann@example.com").await;
    let star_id = star.to_string();
    let form = [
        ("badge_id", star_id.as_str()),
        ("action", "assign"),
        ("reason", "Launch"),
        ("search", "pick"),
        ("status", "any"),
    ];

    let (status, _) = error_of(app.call::<AssignAllMatching>(&member, &form).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members cannot start runs");
    let (status, _) = error_of(app.call::<AssignmentJobs>(&member, &[]).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor watch them");
    let count: i64 = app.call::<CountMatching>(&owner, &[("search", "pick")]).await.json().await.unwrap();
    assert_eq!(count, 2_500);

    let res = app.call::<AssignAllMatching>(&owner, &form).await;
    assert_eq!(res.status(), StatusCode::OK);
    let job: Job = res.json().await.unwrap();
    assert_eq!((job.total, job.action), (2_500, JobAction::Assign));
    // the worker runs it: watch it as the page does
    let mut last = job;
    for _ in 0..600 {
        let jobs: Vec<Job> = app.call::<AssignmentJobs>(&owner, &[]).await.json().await.unwrap();
        last = jobs.into_iter().find(|j| j.id == last.id).expect("the run is listed");
        if last.status != JobStatus::Running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!((last.status, last.processed, last.succeeded), (JobStatus::Done, 2_500, 2_500));
    assert_eq!(app.store.badge(star).await.unwrap().unwrap().member_count, 2_500);
    assert!(app.store.held_badges(&picked[..1]).await.unwrap().iter().any(|h| h.badge_id == star));

    // unknown filter values are refused by field, and nothing starts
    let bad = [("badge_id", star_id.as_str()), ("action", "assign"), ("status", "SLEEPING")];
    let (status, err) = error_of(app.call::<AssignAllMatching>(&owner, &bad).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("status").is_some(), "{err:?}");
    assert_eq!(app.store.recent_jobs(10).await.unwrap().len(), 1);
}

/// A REST by-filter run over members, as the Members API starts one.
fn member_run(action: JobAction, filter: Filter<MemberField>) -> NewJob {
    NewJob {
        action,
        badge_id: None,
        source: JobSource::Members(MemberQuery { filter, ..MemberQuery::default() }),
        tags: None,
        reason: None,
        created_by: None,
        created_by_key: None,
    }
}

fn with_status(status: &str) -> Filter<MemberField> {
    Filter::Test(MemberField::Status, Test::Eq(Scalar::Text(status.into())))
}

async fn a_member_run_over_ten_thousand_members_survives_a_restart(db: TestDb) {
    members_with(&db.store, "wait", 10_000, MemberStatus::Pending).await;
    members(&db.store, "fine", 5).await;
    let job = match db.store.create_job(&member_run(JobAction::ApproveMembers, with_status("PENDING"))).await.unwrap() {
        JobStart::Started(job) => job,
        other => panic!("not started: {other:?}"),
    };
    assert_eq!((job.total, job.badge_id, job.describe().as_str()), (10_000, None, "Approve matching members"));
    // one instance does three batches and stops (a crash, a deploy)…
    for _ in 0..3 {
        db.store.acting(&by_system()).run_job_batch(job.id, insignia::assignments::runner::BATCH).await.unwrap();
    }
    let midway = db.store.job(job.id).await.unwrap().unwrap();
    assert_eq!((midway.status, midway.processed), (JobStatus::Running, 3_000));
    // …and the next one, on the same database, picks the run up at start and finishes it
    let restarted = insignia::store::connect(&db.url).await.unwrap();
    let _worker = insignia::assignments::runner::JobRunner::start(restarted.clone());
    let mut done = midway;
    for _ in 0..600 {
        done = restarted.job(job.id).await.unwrap().unwrap();
        if done.status != JobStatus::Running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        (done.status, done.processed, done.succeeded, done.unchanged, done.failed),
        (JobStatus::Done, 10_000, 10_000, 0, 0),
        "every pending member exactly once, across the restart"
    );
    assert_eq!(done.summary(), "Approved 10,000 members.");
    assert_eq!(db.count("select count(*) from members where status = 'PENDING'").await, 0);
    assert_eq!(db.count("select count(*) from members where status = 'APPROVED'").await, 10_005);
}

/// A member run over every member, done to the end in batches of 2.
async fn over_everyone(db: &TestDb, action: JobAction) -> Job {
    let JobStart::Started(job) = db.store.create_job(&member_run(action, Filter::All(Vec::new()))).await.unwrap()
    else {
        panic!("not started")
    };
    finish(db, job.id, 2).await.0
}

async fn member_runs_delete_and_block_but_never_staff(db: TestDb) {
    let people = members(&db.store, "gone", 4).await;
    // an admin's own member record is never blocked or deleted by a run
    let owner = insignia::auth::service::sign_up(&db.store, "staff@example.com", "member-password-1").await.unwrap();
    let staff = owner.member.unwrap().id;
    db.execute(&format!("update accounts set role = 'admin' where member_id = '{staff}'")).await;
    let blocked = over_everyone(&db, JobAction::BlockMembers).await;
    assert_eq!((blocked.total, blocked.succeeded, blocked.unchanged), (5, 4, 1), "{}", blocked.summary());
    assert_eq!(db.count("select count(*) from members where status = 'BLOCKED'").await, 4);
    let deleted = over_everyone(&db, JobAction::DeleteMembers).await;
    assert_eq!((deleted.succeeded, deleted.unchanged), (4, 1), "{}", deleted.summary());
    assert_eq!(db.count("select count(*) from members").await, 1, "only the admin's member is left");
    assert!(db.store.member(staff).await.unwrap().is_some() && db.store.member(people[0]).await.unwrap().is_none());
}
