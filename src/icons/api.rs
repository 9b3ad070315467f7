//! Server function for the badge editor's icon picker.

use super::IconPage;
use crate::error::AppError;
use leptos::prelude::*;

/// One page (zero-based) of library icons matching `query`, with their markup.
#[server]
pub async fn search_icons(query: String, page: usize) -> Result<IconPage, AppError> {
    crate::auth::guard::actor().await?.require_admin()?;
    Ok(super::library::search(&query, page))
}
