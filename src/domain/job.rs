//! Background runs: one badge assigned to (or removed from) every member matching the member
//! list's filters or every matched line of a CSV import, and the REST API's by-filter
//! operations (update assignments' tags; delete, approve or block members). The server works
//! through them in batches; the page only watches their progress, so a reload loses nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobAction {
    /// Give the run's badge to each member.
    Assign,
    /// Take the run's badge from each member.
    Unassign,
    /// Add and remove tags on each assignment.
    UpdateTags,
    DeleteMembers,
    /// Approve each member (which also unblocks).
    ApproveMembers,
    BlockMembers,
}

impl JobAction {
    pub fn as_str(self) -> &'static str {
        match self {
            JobAction::Assign => "ASSIGN",
            JobAction::Unassign => "UNASSIGN",
            JobAction::UpdateTags => "UPDATE_TAGS",
            JobAction::DeleteMembers => "DELETE_MEMBERS",
            JobAction::ApproveMembers => "APPROVE_MEMBERS",
            JobAction::BlockMembers => "BLOCK_MEMBERS",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ASSIGN" | "assign" => Some(JobAction::Assign),
            "UNASSIGN" | "unassign" => Some(JobAction::Unassign),
            "UPDATE_TAGS" => Some(JobAction::UpdateTags),
            "DELETE_MEMBERS" => Some(JobAction::DeleteMembers),
            "APPROVE_MEMBERS" => Some(JobAction::ApproveMembers),
            "BLOCK_MEMBERS" => Some(JobAction::BlockMembers),
            _ => None,
        }
    }

    /// Whether the run goes through assignments (otherwise: members).
    pub fn over_assignments(self) -> bool {
        self == JobAction::UpdateTags
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobStatus {
    Running,
    Done,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Running => "RUNNING",
            JobStatus::Done => "DONE",
            JobStatus::Failed => "FAILED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "RUNNING" => Some(JobStatus::Running),
            "DONE" => Some(JobStatus::Done),
            "FAILED" => Some(JobStatus::Failed),
            _ => None,
        }
    }
}

/// A run and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: Uuid,
    /// The badge an assign or remove run is about, and its title.
    pub badge_id: Option<Uuid>,
    pub badge_title: Option<String>,
    pub action: JobAction,
    /// A CSV import (otherwise: the rows matching a filter).
    pub from_import: bool,
    /// Started through the REST API (a `*-by-filter` call).
    pub from_api: bool,
    pub status: JobStatus,
    /// Members (or assignments) to go through, counted when the run started.
    pub total: i64,
    pub processed: i64,
    /// Changed as asked.
    pub succeeded: i64,
    /// Nothing to do (already held, not held, already approved…), or, for owners and admins,
    /// not to be done (they are never blocked or deleted by a run).
    pub unchanged: i64,
    /// Gone since the run started.
    pub failed: i64,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Job {
    /// Whole percent done, for the progress bar's text.
    pub fn percent(&self) -> i64 {
        if self.total <= 0 {
            100
        } else {
            (self.processed.min(self.total) * 100) / self.total
        }
    }

    /// How long the run took, once it has ended.
    pub fn duration(&self) -> Option<chrono::Duration> {
        self.finished_at.map(|end| end - self.created_at)
    }

    /// What the run does, for the runs list: "Assign “Star” to all matching members".
    pub fn describe(&self) -> String {
        let title = self.badge_title.as_deref().unwrap_or("a deleted badge");
        match (self.action, self.from_import) {
            (JobAction::Assign, false) => format!("Assign “{title}” to all matching members"),
            (JobAction::Unassign, false) => format!("Remove “{title}” from all matching members"),
            (JobAction::Assign, true) => format!("Assign “{title}” from a CSV import"),
            (JobAction::Unassign, true) => format!("Remove “{title}” from a CSV import"),
            (JobAction::UpdateTags, _) => "Update the tags of matching assignments".to_owned(),
            (JobAction::DeleteMembers, _) => "Delete matching members".to_owned(),
            (JobAction::ApproveMembers, _) => "Approve matching members".to_owned(),
            (JobAction::BlockMembers, _) => "Block matching members".to_owned(),
        }
    }

    /// What the run did, in one sentence: "Assigned to 3 members. 1 member already held it."
    pub fn summary(&self) -> String {
        let count = |n: i64, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{} {many}", crate::format::thousands(n))
            }
        };
        let members = |n: i64| count(n, "member", "members");
        let (did, unchanged, gone): (String, String, String) = match self.action {
            JobAction::Assign => (
                format!("Assigned to {}.", members(self.succeeded)),
                format!("{} already held it.", members(self.unchanged)),
                format!("{} no longer {}.", members(self.failed), if self.failed == 1 { "exists" } else { "exist" }),
            ),
            JobAction::Unassign => (
                format!("Removed from {}.", members(self.succeeded)),
                format!("{} did not hold it.", members(self.unchanged)),
                format!("{} no longer {}.", members(self.failed), if self.failed == 1 { "exists" } else { "exist" }),
            ),
            JobAction::UpdateTags => (
                format!("Updated the tags of {}.", count(self.succeeded, "assignment", "assignments")),
                format!("{} already had those tags.", count(self.unchanged, "assignment", "assignments")),
                format!("{} no longer there.", count(self.failed, "assignment was", "assignments were")),
            ),
            JobAction::DeleteMembers => (
                format!("Deleted {}.", members(self.succeeded)),
                format!("{} kept (owners and admins are never deleted this way).", members(self.unchanged)),
                format!("{} already gone.", members(self.failed)),
            ),
            JobAction::ApproveMembers => (
                format!("Approved {}.", members(self.succeeded)),
                format!("{} already approved.", members(self.unchanged)),
                format!("{} already gone.", members(self.failed)),
            ),
            JobAction::BlockMembers => (
                format!("Blocked {}.", members(self.succeeded)),
                format!("{} already blocked, or owners and admins (never blocked).", members(self.unchanged)),
                format!("{} already gone.", members(self.failed)),
            ),
        };
        let parts: Vec<String> = [(self.succeeded, did), (self.unchanged, unchanged), (self.failed, gone)]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(_, s)| s)
            .collect();
        if parts.is_empty() {
            "Nothing to do.".to_owned()
        } else {
            parts.join(" ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(succeeded: i64, unchanged: i64, failed: i64) -> Job {
        let at = Utc::now();
        Job {
            id: Uuid::nil(),
            badge_id: Some(Uuid::nil()),
            badge_title: Some("Star".into()),
            action: JobAction::Assign,
            from_import: false,
            from_api: false,
            status: JobStatus::Done,
            total: succeeded + unchanged + failed,
            processed: succeeded + unchanged + failed,
            succeeded,
            unchanged,
            failed,
            error: None,
            created_at: at,
            finished_at: Some(at + chrono::Duration::milliseconds(1500)),
        }
    }

    #[test]
    fn a_finished_run_says_what_it_did() {
        assert_eq!(job(3, 1, 0).summary(), "Assigned to 3 members. 1 member already held it.");
        assert_eq!(job(0, 0, 2).summary(), "2 members no longer exist.");
        assert_eq!(job(0, 0, 0).summary(), "Nothing to do.");
        assert_eq!(job(100_000, 0, 0).summary(), "Assigned to 100,000 members.");
        let mut removed = job(1, 2, 0);
        removed.action = JobAction::Unassign;
        assert_eq!(removed.summary(), "Removed from 1 member. 2 members did not hold it.");
        assert_eq!(job(1, 0, 0).duration(), Some(chrono::Duration::milliseconds(1500)));
        let mut approve = job(2, 1, 0);
        approve.action = JobAction::ApproveMembers;
        assert_eq!(approve.summary(), "Approved 2 members. 1 member already approved.");
        assert_eq!(approve.describe(), "Approve matching members");
        let mut tags = job(1, 0, 3);
        tags.action = JobAction::UpdateTags;
        assert_eq!(tags.summary(), "Updated the tags of 1 assignment. 3 assignments were no longer there.");
    }

    #[test]
    fn progress_is_a_whole_percentage() {
        let mut j = job(0, 0, 0);
        assert_eq!(j.percent(), 100, "an empty run is complete");
        (j.total, j.processed) = (3, 1);
        assert_eq!(j.percent(), 33);
        assert_eq!(
            (JobAction::parse("assign"), JobStatus::parse("DONE")),
            (Some(JobAction::Assign), Some(JobStatus::Done))
        );
        assert_eq!(JobAction::parse("x"), None);
    }
}
