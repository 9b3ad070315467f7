//! The parts of a badge that parse themselves. Limits follow the Badges V4 contract.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A badge title: trimmed, 1 to 50 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BadgeTitle(String);

impl BadgeTitle {
    pub const MAX_CHARS: usize = 50;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Invalid::required("Give the badge a title"));
        }
        let n = s.chars().count();
        if n > Self::MAX_CHARS {
            return Err(Invalid::max_length(format!("A title has at most {} characters ({n} now)", Self::MAX_CHARS)));
        }
        if s.chars().any(char::is_control) {
            return Err(Invalid::format("A title cannot contain control characters"));
        }
        Ok(BadgeTitle(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A badge description: at most 1,500 characters; surrounding whitespace is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BadgeDescription(String);

impl BadgeDescription {
    pub const MAX_CHARS: usize = 1500;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        let n = s.chars().count();
        if n > Self::MAX_CHARS {
            return Err(Invalid::max_length(format!(
                "A description has at most {} characters ({n} now)",
                Self::MAX_CHARS
            )));
        }
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            return Err(Invalid::format("A description cannot contain control characters"));
        }
        Ok(BadgeDescription(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype_conversions {
    ($($t:ty),+) => {$(
        impl TryFrom<String> for $t {
            type Error = Invalid;
            fn try_from(s: String) -> Result<Self, Invalid> {
                <$t>::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )+};
}
string_newtype_conversions!(BadgeTitle, BadgeDescription);

/// Where a badge's icon comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum IconSource {
    /// An icon of the built-in library, by its name (e.g. `star`).
    Library(String),
    /// An image uploaded to this server, by its id.
    Upload(uuid::Uuid),
    /// An image elsewhere on the web.
    Url(String),
}

/// A badge icon and the text that stands in for it for screen readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IconRef {
    pub source: IconSource,
    pub alt_text: String,
}

impl IconRef {
    pub const MAX_URL_LEN: usize = 2048;
    pub const MAX_ALT_CHARS: usize = 200;
    pub const MAX_LIBRARY_NAME: usize = 64;

    pub fn library(name: &str, alt_text: &str) -> Result<Self, Invalid> {
        let name = name.trim();
        let ok = !name.is_empty()
            && name.len() <= Self::MAX_LIBRARY_NAME
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !ok {
            return Err(Invalid::format(format!("{name:?} is not an icon of the library")));
        }
        Ok(IconRef { source: IconSource::Library(name.to_owned()), alt_text: Self::parse_alt(alt_text)? })
    }

    pub fn upload(id: uuid::Uuid, alt_text: &str) -> Result<Self, Invalid> {
        Ok(IconRef { source: IconSource::Upload(id), alt_text: Self::parse_alt(alt_text)? })
    }

    /// An external image: an absolute `http` or `https` URL with a host, and nothing that could
    /// break out of an attribute. A `wix:image://v1/…` media name, which REST clients of the
    /// hosted API send, is kept as given so it can be echoed back.
    pub fn url(url: &str, alt_text: &str) -> Result<Self, Invalid> {
        let url = url.trim();
        if url.len() > Self::MAX_URL_LEN {
            return Err(Invalid::max_length(format!("An image address has at most {} characters", Self::MAX_URL_LEN)));
        }
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .or_else(|| url.strip_prefix("wix:image://"))
            .ok_or_else(|| Invalid::format("An image address starts with https:// or http://"))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_ok = !host.is_empty()
            && !host.contains('@')
            && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
        let chars_ok = url.chars().all(|c| c.is_ascii_graphic() && !"\"'<>\\`".contains(c));
        if !host_ok || !chars_ok {
            return Err(Invalid::format("That is not a valid image address"));
        }
        Ok(IconRef { source: IconSource::Url(url.to_owned()), alt_text: Self::parse_alt(alt_text)? })
    }

    fn parse_alt(alt: &str) -> Result<String, Invalid> {
        let alt = alt.trim();
        if alt.chars().count() > Self::MAX_ALT_CHARS {
            return Err(Invalid::max_length(format!("Alt text has at most {} characters", Self::MAX_ALT_CHARS)));
        }
        if alt.chars().any(char::is_control) {
            return Err(Invalid::format("Alt text cannot contain control characters"));
        }
        Ok(alt.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_trimmed_and_bounded() {
        assert_eq!(BadgeTitle::parse("  Top Contributor ").unwrap().as_str(), "Top Contributor");
        assert!(BadgeTitle::parse("").is_err());
        assert!(BadgeTitle::parse("   ").is_err());
        assert!(BadgeTitle::parse(&"x".repeat(50)).is_ok());
        assert!(BadgeTitle::parse(&"x".repeat(51)).is_err());
        assert!(BadgeTitle::parse(&"é".repeat(50)).is_ok(), "characters, not bytes");
        assert!(BadgeTitle::parse("bell\u{7}").is_err());
    }

    #[test]
    fn description_may_be_empty_and_is_bounded() {
        assert_eq!(BadgeDescription::parse("").unwrap().as_str(), "");
        assert_eq!(BadgeDescription::parse(" two\nlines ").unwrap().as_str(), "two\nlines");
        assert!(BadgeDescription::parse(&"x".repeat(1500)).is_ok());
        assert!(BadgeDescription::parse(&"x".repeat(1501)).is_err());
    }

    #[test]
    fn library_icons_are_named_plainly() {
        assert!(IconRef::library("star", "A star").is_ok());
        assert!(IconRef::library("arrow-up_2", "").is_ok());
        for bad in ["", "Star", "../etc/passwd", "a b", "<svg>"] {
            assert!(IconRef::library(bad, "").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn image_urls_are_http_or_https_only() {
        assert!(IconRef::url("https://cdn.example.com/badge.png", "Badge").is_ok());
        assert!(IconRef::url("http://localhost:8080/i.svg?x=1#y", "").is_ok());
        assert!(IconRef::url("wix:image://v1/abc_123/logo.png#originWidth=10&originHeight=20", "").is_ok());
        for bad in [
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "ftp://x/y.png",
            "https://",
            "//x.com/a.png",
            "https://x.com/a b.png",
            "https://x.com/\"onerror=\"a",
            "https://user@evil.com/a.png",
            "file:///etc/passwd",
        ] {
            assert!(IconRef::url(bad, "").is_err(), "{bad:?}");
        }
        assert!(IconRef::url(&format!("https://x.com/{}", "a".repeat(2048)), "").is_err());
    }

    #[test]
    fn alt_text_is_bounded() {
        assert!(IconRef::library("star", &"a".repeat(200)).is_ok());
        assert!(IconRef::library("star", &"a".repeat(201)).is_err());
    }
}
