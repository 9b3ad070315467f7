//! An assignment's tags (Badge Assignments V4): two lists of tag ids, public and private, and
//! the change a bulk "update tags" makes to them. The ids are the caller's own labels; Insignia
//! only keeps and filters by them.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};

/// Tag ids per list, as the contract bounds them.
pub const MAX_TAGS: usize = 100;
/// The longest tag id. (The typings say 5, which cannot be meant: GUIDs are common tag ids.)
pub const MAX_TAG_ID: usize = 100;

/// An assignment's tags: each list without repeats, in the order first given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tags {
    pub public: Vec<String>,
    pub private: Vec<String>,
}

/// What a bulk update does to each assignment's tags. A tag in both lists ends up assigned.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TagChange {
    pub assign: Tags,
    pub unassign: Tags,
}

/// Checks one list of tag ids (`what` names it in the message): at most `MAX_TAGS`, each
/// 1..=`MAX_TAG_ID` characters without control characters; repeats are dropped.
pub fn tag_ids(ids: &[String], what: &str) -> Result<Vec<String>, Invalid> {
    if ids.len() > MAX_TAGS {
        return Err(Invalid::max_length(format!("{what} holds at most {MAX_TAGS} tag ids")));
    }
    let mut kept: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if id.is_empty() || id.chars().count() > MAX_TAG_ID || id.chars().any(char::is_control) {
            return Err(Invalid::format(format!(
                "a tag id is 1 to {MAX_TAG_ID} characters without control characters"
            )));
        }
        if !kept.contains(id) {
            kept.push(id.clone());
        }
    }
    Ok(kept)
}

impl Tags {
    pub fn is_empty(&self) -> bool {
        self.public.is_empty() && self.private.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lists_are_bounded_and_without_repeats() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(tag_ids(&ids(&["vip", "gold", "vip"]), "tags"), Ok(ids(&["vip", "gold"])));
        assert!(tag_ids(&ids(&[""]), "tags").is_err());
        assert!(tag_ids(&ids(&["a\u{0}b"]), "tags").is_err());
        assert!(tag_ids(&["x".repeat(101)], "tags").is_err());
        let many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        assert!(tag_ids(&many, "tags").unwrap_err().message.contains("at most 100"));
        assert_eq!(tag_ids(&many[..100], "tags").map(|v| v.len()), Ok(100));
    }
}
