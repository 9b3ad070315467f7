//! A search typed into a list's search box.

use crate::error::Invalid;

/// Longest search accepted: longer ones are refused, never cut or ignored (ignoring one would
/// make "remove from all matching" act on every member).
pub const MAX_SEARCH: usize = 100;

/// Trimmed; blank means no search; at most `MAX_SEARCH` characters and one line of text.
pub fn search(input: Option<&str>) -> Result<Option<String>, Invalid> {
    let Some(text) = input.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_SEARCH {
        return Err(Invalid::max_length(format!("Search for at most {MAX_SEARCH} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(Invalid::format("A search must be a single line of text"));
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Rule;

    #[test]
    fn long_or_multi_line_searches_are_refused_not_dropped() {
        assert_eq!(search(None).unwrap(), None);
        assert_eq!(search(Some("  ")).unwrap(), None);
        assert_eq!(search(Some(" ann ")).unwrap().as_deref(), Some("ann"));
        assert_eq!(search(Some(&"a".repeat(100))).unwrap().map(|s| s.len()), Some(100));
        assert_eq!(search(Some(&"a".repeat(101))).unwrap_err().rule, Rule::MaxLength);
        assert_eq!(search(Some("a\0b")).unwrap_err().rule, Rule::Format);
    }
}
