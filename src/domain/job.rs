//! Background assignment runs: one badge assigned to (or removed from) every member matching
//! the member list's filters, or every matched line of a CSV import. The server works through
//! them in batches; the page only watches their progress, so a reload loses nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobAction {
    Assign,
    Unassign,
}

impl JobAction {
    pub fn as_str(self) -> &'static str {
        match self {
            JobAction::Assign => "ASSIGN",
            JobAction::Unassign => "UNASSIGN",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ASSIGN" | "assign" => Some(JobAction::Assign),
            "UNASSIGN" | "unassign" => Some(JobAction::Unassign),
            _ => None,
        }
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
    pub badge_id: Uuid,
    pub badge_title: String,
    pub action: JobAction,
    /// A CSV import (otherwise: the members matching a search).
    pub from_import: bool,
    pub status: JobStatus,
    /// Members to go through, counted when the run started.
    pub total: i64,
    pub processed: i64,
    /// Assigned (or removed).
    pub succeeded: i64,
    /// Already held (or not held): nothing to do.
    pub unchanged: i64,
    /// Members gone since the run started.
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

    /// What the run did, in one sentence: "Assigned to 3 members. 1 member already held it."
    pub fn summary(&self) -> String {
        let members =
            |n: i64| if n == 1 { "1 member".to_owned() } else { format!("{} members", crate::format::thousands(n)) };
        let mut parts = Vec::new();
        let (did, unchanged) = match self.action {
            JobAction::Assign => ("Assigned to", "already held it"),
            JobAction::Unassign => ("Removed from", "did not hold it"),
        };
        if self.succeeded > 0 {
            parts.push(format!("{did} {}.", members(self.succeeded)));
        }
        if self.unchanged > 0 {
            parts.push(format!("{} {unchanged}.", members(self.unchanged)));
        }
        if self.failed > 0 {
            let verb = if self.failed == 1 { "no longer exists" } else { "no longer exist" };
            parts.push(format!("{} {verb}.", members(self.failed)));
        }
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
            badge_id: Uuid::nil(),
            badge_title: "Star".into(),
            action: JobAction::Assign,
            from_import: false,
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
