//! Server functions for site settings.

use crate::domain::SiteSettings;
use crate::error::AppError;
use leptos::prelude::*;

/// The site's name, for the page header; anyone may read it.
#[server]
pub async fn site_name() -> Result<String, AppError> {
    let state = crate::auth::guard::state()?;
    Ok(state.store.settings().await?.site_name)
}

#[server]
pub async fn get_settings() -> Result<SiteSettings, AppError> {
    use crate::auth::guard;
    guard::actor().await?.require_admin()?;
    Ok(guard::state()?.store.settings().await?)
}

/// Saves the settings form. A checkbox sends its field only when ticked, hence the `Option`.
#[server]
pub async fn update_settings(site_name: String, require_approval: Option<String>) -> Result<SiteSettings, AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    let site_name = SiteSettings::parse_site_name(&site_name).map_err(|m| AppError::validation("site_name", m))?;
    let settings = SiteSettings { site_name, require_approval: require_approval.is_some() };
    guard::state()?.store.save_settings(&settings).await?;
    tracing::info!(account = %account.id, ?settings, "settings updated");
    Ok(settings)
}
