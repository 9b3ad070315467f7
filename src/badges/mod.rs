//! Badges: the wire type the pages use, and the editor's input with its parsing (shared by the
//! browser, for live checks, and the server, which checks again).

pub mod api;
pub mod order;
#[cfg(feature = "ssr")]
pub mod service;

use crate::domain::{BadgeDescription, BadgeTitle, HexColor, IconRef};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Badge {
    pub id: Uuid,
    pub revision: i64,
    pub title: String,
    pub description: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<IconRef>,
    pub permissions_enabled: bool,
    pub slug: String,
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The badge editor's fields as typed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BadgeInput {
    pub title: String,
    pub description: String,
    pub background_color: String,
    pub text_color: String,
    pub permissions_enabled: bool,
    /// An image address; empty for no icon.
    pub icon_url: String,
    pub icon_alt: String,
}

/// A badge's fields once every one has parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedBadge {
    pub title: BadgeTitle,
    pub description: BadgeDescription,
    pub background_color: HexColor,
    pub text_color: HexColor,
    pub permissions_enabled: bool,
    pub icon: Option<IconRef>,
}

impl BadgeInput {
    /// Parses every field; the first problem, in the order the form shows the fields, is
    /// reported against its field.
    pub fn parse(&self) -> Result<ParsedBadge, AppError> {
        let at = |field: &'static str| move |m: String| AppError::validation(field, m);
        Ok(ParsedBadge {
            title: BadgeTitle::parse(&self.title).map_err(at("title"))?,
            description: BadgeDescription::parse(&self.description).map_err(at("description"))?,
            background_color: HexColor::parse(&self.background_color).map_err(at("background_color"))?,
            text_color: HexColor::parse(&self.text_color).map_err(at("text_color"))?,
            permissions_enabled: self.permissions_enabled,
            icon: match self.icon_url.trim() {
                "" => None,
                url => Some(IconRef::url(url, &self.icon_alt).map_err(at("icon_url"))?),
            },
        })
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::BadgeRecord> for Badge {
    fn from(b: crate::store::BadgeRecord) -> Self {
        Badge {
            id: b.id,
            revision: b.revision,
            title: b.title,
            description: b.description,
            background_color: b.background_color,
            text_color: b.text_color,
            icon: b.icon,
            permissions_enabled: b.permissions_enabled,
            slug: b.slug,
            member_count: b.member_count,
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> BadgeInput {
        BadgeInput {
            title: "Helper".into(),
            background_color: "#123".into(),
            text_color: "#ffffff".into(),
            ..BadgeInput::default()
        }
    }

    #[test]
    fn parses_a_valid_form() {
        let p = input().parse().unwrap();
        assert_eq!(p.background_color.to_string(), "#112233");
        assert_eq!(p.icon, None);
    }

    #[test]
    fn reports_the_first_bad_field() {
        let e = BadgeInput { title: "".into(), text_color: "nope".into(), ..input() }.parse().unwrap_err();
        assert!(e.field_message("title").is_some());
        let e = BadgeInput { text_color: "nope".into(), ..input() }.parse().unwrap_err();
        assert!(e.field_message("text_color").is_some());
        let e = BadgeInput { icon_url: "javascript:alert(1)".into(), ..input() }.parse().unwrap_err();
        assert!(e.field_message("icon_url").is_some());
    }
}
