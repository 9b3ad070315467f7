//! The badge fields V4 and V3 send alike (title, description, colours, permissions), parsed
//! as the dashboard's editor parses them, each error naming its wire field (`badge.title`).
//! The icon differs between the versions and is left to each.

use super::error::{ApiError, ApiResult};
use crate::domain::{BadgeDescription, BadgeTitle, HexColor};
use crate::error::Invalid;
use crate::store::BadgeChanges;

fn parsed<T>(value: Option<String>, parse: fn(&str) -> Result<T, Invalid>, field: &str) -> ApiResult<Option<T>> {
    value.map(|v| parse(&v)).transpose().map_err(|e| ApiError::invalid(&format!("badge.{field}"), e))
}

/// The changes these fields ask for (`icon: None`: the caller sets it).
pub fn changes(
    title: Option<String>,
    description: Option<String>,
    background_color: Option<String>,
    text_color: Option<String>,
    permissions_enabled: Option<bool>,
) -> ApiResult<BadgeChanges> {
    Ok(BadgeChanges {
        title: parsed(title, BadgeTitle::parse, "title")?,
        description: parsed(description, BadgeDescription::parse, "description")?,
        background_color: parsed(background_color, HexColor::parse, "backgroundColor")?,
        text_color: parsed(text_color, HexColor::parse, "textColor")?,
        icon: None,
        permissions_enabled,
    })
}
