//! The parts of a members-only page that parse themselves: its title, its address and its
//! Markdown. Shared with the browser so the editor can derive an address as the title is typed.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};

/// A page title: trimmed, 1 to 100 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageTitle(String);

impl PageTitle {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Invalid::required("Give the page a title"));
        }
        let n = s.chars().count();
        if n > Self::MAX_CHARS {
            return Err(Invalid::max_length(format!("A title has at most {} characters ({n} now)", Self::MAX_CHARS)));
        }
        if s.chars().any(char::is_control) {
            return Err(Invalid::format("A title is one line, without control characters"));
        }
        Ok(PageTitle(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The last part of a page's address, `/pages/{slug}`: lower-case letters, digits and single
/// hyphens between them, 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSlug(String);

impl PageSlug {
    pub const MAX_CHARS: usize = 100;

    /// The address typed in the editor; an empty one is derived from the title.
    pub fn parse_or_derive(input: &str, title: &PageTitle) -> Result<Self, Invalid> {
        if input.trim().is_empty() {
            return Ok(Self::derive(title.as_str()));
        }
        Self::parse(input)
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Invalid::required("Give the page an address"));
        }
        if s.len() > Self::MAX_CHARS {
            return Err(Invalid::max_length(format!("An address has at most {} characters", Self::MAX_CHARS)));
        }
        let well_formed = s.split('-').all(|word| !word.is_empty())
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(Invalid::format(
                "Use lower-case letters, digits and single hyphens between words (for example staff-handbook)",
            ));
        }
        Ok(PageSlug(s.to_owned()))
    }

    /// The address a title suggests ("Staff Handbook" → `staff-handbook`); `page` when the title
    /// has no letters or digits to use.
    pub fn derive(title: &str) -> Self {
        let mut slug = super::slugify(title).unwrap_or_else(|| "page".to_owned());
        if slug.len() > Self::MAX_CHARS {
            slug.truncate(Self::MAX_CHARS);
            slug.truncate(slug.trim_end_matches('-').len());
        }
        PageSlug(slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A page's Markdown as written: at most 50,000 characters (a long handbook chapter), which
/// keeps the editor's form, its preview and every render bounded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PageContent(String);

impl PageContent {
    pub const MAX_CHARS: usize = 50_000;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let n = input.chars().count();
        if n > Self::MAX_CHARS {
            return Err(Invalid::max_length(format!("A page has at most {} characters ({n} now)", Self::MAX_CHARS)));
        }
        if input.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            return Err(Invalid::format("The content cannot contain control characters"));
        }
        Ok(PageContent(input.trim_end().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_trimmed_line_of_at_most_100_characters() {
        assert_eq!(PageTitle::parse("  Staff handbook ").unwrap().as_str(), "Staff handbook");
        assert!(PageTitle::parse(" ").is_err());
        assert!(PageTitle::parse(&"é".repeat(100)).is_ok());
        assert!(PageTitle::parse(&"é".repeat(101)).is_err());
        assert!(PageTitle::parse("two\nlines").is_err());
    }

    #[test]
    fn addresses_are_lower_case_words_joined_by_single_hyphens() {
        assert_eq!(PageSlug::parse("staff-handbook-2").unwrap().as_str(), "staff-handbook-2");
        for bad in ["Staff", "staff handbook", "-staff", "staff-", "staff--handbook", "../etc", "stäff", "a/b", "%2e"]
        {
            assert!(PageSlug::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(PageSlug::parse(&"a".repeat(100)).is_ok());
        assert!(PageSlug::parse(&"a".repeat(101)).is_err());
    }

    #[test]
    fn an_empty_address_is_derived_from_the_title() {
        let title = PageTitle::parse("Zoë's Staff Handbook!").unwrap();
        assert_eq!(PageSlug::parse_or_derive(" ", &title).unwrap().as_str(), "zoes-staff-handbook");
        assert_eq!(PageSlug::derive("日本語").as_str(), "page");
        let long = PageSlug::derive(&format!("{} b", "a".repeat(99)));
        assert_eq!(long.as_str(), "a".repeat(99), "cut at the limit without a trailing hyphen");
        assert!(PageSlug::parse(long.as_str()).is_ok());
    }

    #[test]
    fn content_is_bounded_and_free_of_control_characters() {
        assert!(PageContent::parse(&"x".repeat(PageContent::MAX_CHARS)).is_ok());
        assert!(PageContent::parse(&"x".repeat(PageContent::MAX_CHARS + 1)).is_err());
        assert!(PageContent::parse("tabs\tand\r\nnewlines").is_ok());
        assert!(PageContent::parse("nul\u{0}").is_err());
    }
}
