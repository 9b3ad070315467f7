//! Site-wide settings the owner controls from the dashboard.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    /// Shown in the page title and the header.
    pub site_name: String,
    /// New sign-ups start PENDING and wait for an admin instead of being APPROVED at once.
    pub require_approval: bool,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings { site_name: "Insignia".into(), require_approval: false }
    }
}

impl SiteSettings {
    pub const SITE_NAME_MAX: usize = 80;

    /// Reads the key/value rows the store keeps; unknown keys are ignored and missing ones keep
    /// their defaults, so adding a setting needs no migration.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut s = SiteSettings::default();
        for (key, value) in pairs {
            match key.as_str() {
                "site_name" => s.site_name = value,
                "require_approval" => s.require_approval = value == "true",
                _ => {}
            }
        }
        s
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        vec![("site_name", self.site_name.clone()), ("require_approval", self.require_approval.to_string())]
    }

    pub fn parse_site_name(input: &str) -> Result<String, Invalid> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Invalid::required("Enter a site name"));
        }
        if name.chars().count() > Self::SITE_NAME_MAX {
            return Err(Invalid::max_length(format!("Use at most {} characters", Self::SITE_NAME_MAX)));
        }
        Ok(name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::SiteSettings;

    #[test]
    fn pairs_round_trip() {
        let s = SiteSettings { site_name: "Club".into(), require_approval: true };
        let pairs = s.to_pairs().into_iter().map(|(k, v)| (k.to_owned(), v));
        assert_eq!(SiteSettings::from_pairs(pairs), s);
    }

    #[test]
    fn missing_keys_keep_defaults() {
        assert_eq!(SiteSettings::from_pairs(Vec::new()), SiteSettings::default());
    }

    #[test]
    fn site_name_is_trimmed_and_bounded() {
        assert_eq!(SiteSettings::parse_site_name("  Club ").unwrap(), "Club");
        assert!(SiteSettings::parse_site_name("   ").is_err());
        assert!(SiteSettings::parse_site_name(&"x".repeat(81)).is_err());
    }
}
