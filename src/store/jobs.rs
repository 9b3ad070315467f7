//! Storage for background assignment runs (see `crate::domain::job`): starting one,
//! doing it batch by batch, and the lookups a CSV import needs. Implemented for both backends
//! by `job_sql::impl_job_store!`.

use super::{MemberQuery, StoreResult};
use crate::domain::job::{Job, JobAction};
use async_trait::async_trait;
use uuid::Uuid;

/// Which members a run goes through.
#[derive(Debug, Clone)]
pub enum JobSource {
    /// Every member matching these filters when each batch is read, in id order.
    Filter(MemberQuery),
    /// These members (a CSV import's matched lines), in line order.
    List(Vec<JobItem>),
}

/// One matched line of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobItem {
    pub line: i64,
    pub member_id: Uuid,
    /// The line's own reason; the run's reason when `None`.
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewJob {
    pub badge_id: Uuid,
    pub action: JobAction,
    pub source: JobSource,
    pub reason: Option<String>,
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobStart {
    Started(Job),
    /// Another run for this badge is still going: this one.
    AlreadyRunning(Job),
    BadgeNotFound,
}

#[async_trait]
pub trait JobStore: Send + Sync {
    /// How many members match the query's filters (its sort and paging are ignored).
    async fn count_members(&self, query: &MemberQuery) -> StoreResult<i64>;
    /// Records a run and counts its members. Refused (with the run in progress) while another
    /// run for the same badge is still going.
    async fn create_job(&self, new: &NewJob) -> StoreResult<JobStart>;
    async fn job(&self, id: Uuid) -> StoreResult<Option<Job>>;
    /// The latest runs, newest first.
    async fn recent_jobs(&self, limit: i64) -> StoreResult<Vec<Job>>;
    async fn running_jobs(&self) -> StoreResult<Vec<Uuid>>;
    /// Does the next batch of at most `batch` members of a running run, and records the
    /// progress, in one transaction: interrupted anywhere, the run resumes after the last
    /// batch written, with nothing done twice. Returns the run as it now stands.
    async fn run_job_batch(&self, id: Uuid, batch: i64) -> StoreResult<Option<Job>>;
    /// Ends a run that cannot go on, with the reason.
    async fn fail_job(&self, id: Uuid, error: &str) -> StoreResult<()>;
    /// For each value, the member whose login email or profile slug it is (case-insensitive
    /// email), looked up in one query per 500 values.
    async fn members_by_email_or_slug(&self, values: &[String]) -> StoreResult<Vec<(String, Uuid)>>;
}
