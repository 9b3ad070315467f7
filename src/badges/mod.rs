//! Badges: the wire type the pages use, and the editor's input with its parsing (shared by the
//! browser, for live checks, and the server, which checks again).

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;

use crate::domain::{BadgeDescription, BadgeTitle, HexColor, IconRef, IconSource};
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

/// A badge's public page: the badge and one page of its holders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgePage {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<IconRef>,
    pub holders: crate::paging::KeysetPage<Holder>,
    /// Whether the viewer sees every holder (admins) or only public members.
    pub all_holders: bool,
    /// The members-only pages holding it opens (none while its permissions are off).
    pub unlocks: Vec<crate::member_pages::PageLink>,
}

/// A member holding a badge, as the viewer may see them, and since when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    pub member: crate::members::MemberView,
    pub assigned_at: DateTime<Utc>,
}

/// The badge editor's fields as typed (and as its form posts them).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BadgeInput {
    pub title: String,
    pub description: String,
    pub background_color: String,
    pub text_color: String,
    /// A checkbox: posted (as `on`) only when ticked.
    #[serde(default, with = "checkbox")]
    pub permissions_enabled: bool,
    /// Which icon field counts: `none` (or empty), `library`, `upload` or `url`.
    #[serde(default)]
    pub icon_kind: String,
    /// A library icon's name.
    #[serde(default)]
    pub icon_library: String,
    /// An uploaded image's id.
    #[serde(default)]
    pub icon_upload: String,
    /// An image address.
    #[serde(default)]
    pub icon_url: String,
    #[serde(default)]
    pub icon_alt: String,
}

/// An HTML checkbox as a bool: present (whatever its value) when ticked, absent otherwise.
mod checkbox {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ticked: &bool, s: S) -> Result<S::Ok, S::Error> {
        if *ticked {
            s.serialize_some("on")
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(Option::<String>::deserialize(d)?.is_some())
    }
}

impl BadgeInput {
    /// The editor's icon fields for an existing icon (or none).
    pub fn with_icon(mut self, icon: Option<&IconRef>) -> Self {
        self.icon_kind = "none".into();
        if let Some(icon) = icon {
            self.icon_alt = icon.alt_text.clone();
            match &icon.source {
                IconSource::Library(name) => (self.icon_kind, self.icon_library) = ("library".into(), name.clone()),
                IconSource::Upload(id) => (self.icon_kind, self.icon_upload) = ("upload".into(), id.to_string()),
                IconSource::Url(url) => (self.icon_kind, self.icon_url) = ("url".into(), url.clone()),
            }
        }
        self
    }

    pub fn parse_icon(&self) -> Result<Option<IconRef>, AppError> {
        let at = |field: &'static str| move |m: crate::error::Invalid| AppError::validation(field, m);
        match self.icon_kind.as_str() {
            "" | "none" => Ok(None),
            "library" if self.icon_library.trim().is_empty() => {
                Err(AppError::validation("icon_library", "Choose an icon from the library"))
            }
            "library" => IconRef::library(&self.icon_library, &self.icon_alt).map(Some).map_err(at("icon_library")),
            "upload" => {
                let id = Uuid::parse_str(self.icon_upload.trim())
                    .map_err(|_| AppError::validation("icon_file", "Upload an image first"))?;
                IconRef::upload(id, &self.icon_alt).map(Some).map_err(at("icon_alt"))
            }
            "url" if self.icon_url.trim().is_empty() => {
                Err(AppError::validation("icon_url", "Enter the image's address"))
            }
            "url" => IconRef::url(&self.icon_url, &self.icon_alt).map(Some).map_err(at("icon_url")),
            _ => Err(AppError::validation("icon_kind", "Choose no icon, a library icon, an upload or an address")),
        }
    }
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
        let at = |field: &'static str| move |m: crate::error::Invalid| AppError::validation(field, m);
        Ok(ParsedBadge {
            title: BadgeTitle::parse(&self.title).map_err(at("title"))?,
            description: BadgeDescription::parse(&self.description).map_err(at("description"))?,
            background_color: HexColor::parse(&self.background_color).map_err(at("background_color"))?,
            text_color: HexColor::parse(&self.text_color).map_err(at("text_color"))?,
            permissions_enabled: self.permissions_enabled,
            icon: self.parse_icon()?,
        })
    }
}

#[cfg(feature = "ssr")]
impl ParsedBadge {
    pub fn into_new(self) -> crate::store::NewBadge {
        crate::store::NewBadge {
            title: self.title,
            description: self.description,
            background_color: self.background_color,
            text_color: self.text_color,
            icon: self.icon,
            permissions_enabled: self.permissions_enabled,
        }
    }

    /// Every field, as the editor saves them all.
    pub fn into_changes(self) -> crate::store::BadgeChanges {
        crate::store::BadgeChanges {
            title: Some(self.title),
            description: Some(self.description),
            background_color: Some(self.background_color),
            text_color: Some(self.text_color),
            icon: Some(self.icon),
            permissions_enabled: Some(self.permissions_enabled),
        }
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
        let e = BadgeInput { icon_kind: "url".into(), icon_url: "javascript:alert(1)".into(), ..input() }
            .parse()
            .unwrap_err();
        assert!(e.field_message("icon_url").is_some());
    }

    #[test]
    fn the_icon_kind_picks_the_field_that_counts() {
        let lib =
            BadgeInput { icon_kind: "library".into(), icon_library: "star".into(), icon_url: "junk".into(), ..input() };
        assert_eq!(lib.parse().unwrap().icon.unwrap().source, IconSource::Library("star".into()));
        // an address typed and then abandoned for "no icon" is not an error
        let none = BadgeInput { icon_kind: "none".into(), icon_url: "javascript:x".into(), ..input() };
        assert_eq!(none.parse().unwrap().icon, None);
        let no_pick = BadgeInput { icon_kind: "library".into(), ..input() }.parse().unwrap_err();
        assert!(no_pick.field_message("icon_library").is_some());
        let no_file = BadgeInput { icon_kind: "upload".into(), icon_upload: "".into(), ..input() }.parse().unwrap_err();
        assert!(no_file.field_message("icon_file").is_some());
        let id = Uuid::new_v4();
        let up =
            BadgeInput { icon_kind: "upload".into(), icon_upload: id.to_string(), icon_alt: "Logo".into(), ..input() };
        let icon = up.parse().unwrap().icon.unwrap();
        assert_eq!((icon.source.clone(), icon.alt_text.as_str()), (IconSource::Upload(id), "Logo"));
        assert_eq!(BadgeInput::default().with_icon(Some(&icon)).icon_upload, id.to_string());
        assert!(BadgeInput { icon_kind: "font".into(), ..input() }
            .parse()
            .unwrap_err()
            .field_message("icon_kind")
            .is_some());
    }
}
