//! Works through background assignment runs. One task per server process takes every running
//! run in turn, a batch (one transaction) at a time. It wakes when a run is started and, in case
//! one was started elsewhere or a batch failed, every half minute; at start-up it picks up runs
//! an earlier process left unfinished.

use crate::domain::event::ChangedBy;
use crate::domain::job::JobStatus;
use crate::store::{SharedStore, Store};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use uuid::Uuid;

/// Members per batch: large enough that per-statement costs vanish, small enough that a batch
/// holds the write lock for milliseconds, so pages and other writes keep flowing meanwhile.
pub const BATCH: i64 = 1000;
/// Consecutive failed batches after which a run is given up.
const MAX_FAILURES: u32 = 5;
/// What a run given up says to admins; the database's own words go to the log only.
pub const FAILED_RUN: &str = "The server could not save this run's progress. Start it again to finish it.";

#[derive(Clone)]
pub struct JobRunner {
    wake: Arc<Notify>,
}

impl JobRunner {
    /// Spawns the worker on the current Tokio runtime.
    pub fn start(store: SharedStore) -> Self {
        let wake = Arc::new(Notify::new());
        tokio::spawn(work(store, Arc::clone(&wake)));
        JobRunner { wake }
    }

    /// A run was started: look now. (A wake-up while busy is kept, not lost.)
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

async fn work(store: SharedStore, wake: Arc<Notify>) {
    loop {
        match store.running_jobs().await {
            Ok(ids) => {
                for id in ids {
                    run(&store, id).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot list running assignment runs"),
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(30)) => {}
        }
    }
}

async fn run(store: &Store, id: Uuid) {
    let mut failures = 0;
    let by = ChangedBy::run(id);
    loop {
        match store.acting(&by).run_job_batch(id, BATCH).await {
            Ok(Some(job)) if job.status == JobStatus::Running => {
                failures = 0;
                // let other tasks (page renders) have the core between batches
                tokio::task::yield_now().await;
            }
            Ok(Some(job)) => {
                let ms = job.duration().map(|d| d.num_milliseconds()).unwrap_or_default();
                tracing::info!(job = %id, action = job.action.as_str(), badge = ?job.badge_id, processed = job.processed, succeeded = job.succeeded, ms, "background run finished");
                return;
            }
            Ok(None) => return,
            Err(e) => {
                failures += 1;
                tracing::warn!(job = %id, error = %e, failures, "assignment batch failed");
                if failures >= MAX_FAILURES {
                    // admins see a plain sentence; what the database said is in the log above
                    tracing::error!(job = %id, error = %e, "assignment run given up after {MAX_FAILURES} failed batches");
                    let reason = FAILED_RUN;
                    if let Err(e) = store.fail_job(id, reason).await {
                        tracing::error!(job = %id, error = %e, "cannot mark the run failed");
                    }
                    return;
                }
                tokio::time::sleep(Duration::from_millis(500 * u64::from(failures))).await;
            }
        }
    }
}
