//! What an API key may do: four scopes, each `manage` including its `read`.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// Read badges (V4 and V3) and badge assignments.
    BadgesRead,
    /// Create, change and delete badges and badge assignments; includes reading them.
    BadgesManage,
    /// Read members (Members V1).
    MembersRead,
    /// Create, change and delete members; includes reading them.
    MembersManage,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::BadgesRead, Scope::BadgesManage, Scope::MembersRead, Scope::MembersManage];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::BadgesRead => "badges.read",
            Scope::BadgesManage => "badges.manage",
            Scope::MembersRead => "members.read",
            Scope::MembersManage => "members.manage",
        }
    }

    /// What the scope allows, in a few words, for the page that creates keys.
    pub fn label(self) -> &'static str {
        match self {
            Scope::BadgesRead => "Read badges and assignments",
            Scope::BadgesManage => "Manage badges and assignments",
            Scope::MembersRead => "Read members",
            Scope::MembersManage => "Manage members",
        }
    }

    pub fn parse(s: &str) -> Result<Scope, Invalid> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == s.trim()).ok_or_else(|| {
            Invalid::format(format!("{s:?} is not a scope (badges.read, badges.manage, members.read, members.manage)"))
        })
    }

    /// Whether holding `self` allows what `needed` allows.
    pub fn covers(self, needed: Scope) -> bool {
        self == needed
            || matches!(
                (self, needed),
                (Scope::BadgesManage, Scope::BadgesRead) | (Scope::MembersManage, Scope::MembersRead)
            )
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key's scopes: at least one, each once, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    /// Parses a list like `badges.manage,members.read` (commas, spaces or both).
    pub fn parse(list: &str) -> Result<Scopes, Invalid> {
        let mut scopes = list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(Scope::parse)
            .collect::<Result<Vec<_>, _>>()?;
        scopes.sort();
        scopes.dedup();
        Scopes::new(scopes)
    }

    pub fn new(mut scopes: Vec<Scope>) -> Result<Scopes, Invalid> {
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(Invalid::required("Choose at least one scope"));
        }
        Ok(Scopes(scopes))
    }

    pub fn allows(&self, needed: Scope) -> bool {
        self.0.iter().any(|s| s.covers(needed))
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Scopes {
    /// The stored and printed form: `badges.manage,members.read`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|s| s.as_str()).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manage_includes_read_of_its_own_kind_only() {
        let scopes = Scopes::parse("badges.manage").unwrap();
        assert!(scopes.allows(Scope::BadgesRead) && scopes.allows(Scope::BadgesManage));
        assert!(!scopes.allows(Scope::MembersRead));
        let read = Scopes::parse("members.read").unwrap();
        assert!(read.allows(Scope::MembersRead) && !read.allows(Scope::MembersManage));
    }

    #[test]
    fn lists_parse_in_any_order_and_print_in_one() {
        let scopes = Scopes::parse(" members.read, badges.manage members.read").unwrap();
        assert_eq!(scopes.to_string(), "badges.manage,members.read");
        assert!(Scopes::parse("").is_err());
        assert!(Scopes::parse("badges.write").is_err());
        assert!(Scopes::parse("badges.read,admin").is_err());
    }
}
