//! Badge assignments: who holds which badge. Every operation reports one result per member in
//! the REST contract's bulk shape (index, success, code), whether it touched one member or a
//! hundred.

pub mod api;
pub mod import;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod runner;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What happened to one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Assigned,
    /// Nothing to do: the member already held the badge.
    AlreadyHeld,
    Removed,
    /// Nothing to do: the member did not hold the badge.
    NotHeld,
    MemberNotFound,
}

impl Outcome {
    /// Whether something changed (the contract's `success`).
    pub fn success(self) -> bool {
        matches!(self, Outcome::Assigned | Outcome::Removed)
    }

    /// The contract's `error.code` for an item that changed nothing.
    pub fn code(self) -> Option<&'static str> {
        match self {
            Outcome::Assigned | Outcome::Removed => None,
            Outcome::AlreadyHeld => Some("ALREADY_HELD"),
            Outcome::NotHeld => Some("NOT_HELD"),
            Outcome::MemberNotFound => Some("MEMBER_NOT_FOUND"),
        }
    }
}

/// One member's result (the contract's `itemMetadata`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub original_index: usize,
    pub member_id: Uuid,
    /// The assignment created, found or removed.
    pub assignment_id: Option<Uuid>,
    pub outcome: Outcome,
}

/// The results of one operation, with the contract's counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkReport {
    pub results: Vec<ItemResult>,
    pub total_successes: usize,
    pub total_failures: usize,
    pub undetailed_failures: usize,
}

impl BulkReport {
    pub fn new(results: Vec<ItemResult>) -> Self {
        let total_successes = results.iter().filter(|r| r.outcome.success()).count();
        BulkReport { total_failures: results.len() - total_successes, results, total_successes, undetailed_failures: 0 }
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        self.results.iter().filter(|r| r.outcome == outcome).count()
    }

    /// One sentence for people: "Assigned to 2 members. 1 already held it."
    pub fn summary(&self) -> String {
        let members = |n: usize| if n == 1 { "1 member".to_owned() } else { format!("{n} members") };
        let mut parts = Vec::new();
        for (outcome, say) in [(Outcome::Assigned, "Assigned to"), (Outcome::Removed, "Removed from")] {
            let n = self.count(outcome);
            if n > 0 {
                parts.push(format!("{say} {}.", members(n)));
            }
        }
        for (outcome, say) in [
            (Outcome::AlreadyHeld, "already held it"),
            (Outcome::NotHeld, "did not hold it"),
            (Outcome::MemberNotFound, "no longer exist"),
        ] {
            let n = self.count(outcome);
            if n > 0 {
                let verb_fix = if outcome == Outcome::MemberNotFound && n == 1 { "no longer exists" } else { say };
                parts.push(format!("{} {verb_fix}.", members(n)));
            }
        }
        if parts.is_empty() {
            "Nothing to do.".to_owned()
        } else {
            parts.join(" ")
        }
    }
}

/// A member the owner trusts to assign a badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assigner {
    pub member_id: Uuid,
    pub name: String,
    pub slug: String,
}

/// A badge as the assignment menus offer it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgeChoice {
    pub id: Uuid,
    pub title: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<crate::domain::IconRef>,
}

#[cfg(feature = "ssr")]
impl From<crate::store::BadgeRecord> for BadgeChoice {
    fn from(b: crate::store::BadgeRecord) -> Self {
        BadgeChoice {
            id: b.id,
            title: b.title,
            background_color: b.background_color,
            text_color: b.text_color,
            icon: b.icon,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(outcome: Outcome) -> ItemResult {
        ItemResult { original_index: 0, member_id: Uuid::nil(), assignment_id: None, outcome }
    }

    #[test]
    fn reports_count_and_say_what_happened() {
        let report = BulkReport::new(vec![
            item(Outcome::Assigned),
            item(Outcome::Assigned),
            item(Outcome::AlreadyHeld),
            item(Outcome::MemberNotFound),
        ]);
        assert_eq!((report.total_successes, report.total_failures, report.undetailed_failures), (2, 2, 0));
        assert_eq!(report.summary(), "Assigned to 2 members. 1 member already held it. 1 member no longer exists.");
        assert_eq!(BulkReport::new(vec![item(Outcome::NotHeld)]).summary(), "1 member did not hold it.");
        assert_eq!(Outcome::AlreadyHeld.code(), Some("ALREADY_HELD"));
        assert!(Outcome::Removed.success() && !Outcome::NotHeld.success());
    }
}
