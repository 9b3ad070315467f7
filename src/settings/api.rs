//! Server functions for site settings.

use crate::domain::SiteSettings;
use crate::error::AppError;
use leptos::prelude::*;

/// The site's name, for the page header; anyone may read it.
#[server]
pub async fn site_name() -> Result<String, AppError> {
    super::service::site_name(&crate::auth::guard::state()?.store).await
}

#[server]
pub async fn get_settings() -> Result<SiteSettings, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::get(&guard::state()?.store, &actor).await
}

/// Saves the settings form. A checkbox sends its field only when ticked, hence the `Option`.
#[server]
pub async fn update_settings(site_name: String, require_approval: Option<String>) -> Result<SiteSettings, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let site_name = SiteSettings::parse_site_name(&site_name).map_err(|m| AppError::validation("site_name", m))?;
    let settings = SiteSettings { site_name, require_approval: require_approval.is_some() };
    super::service::save(&guard::state()?.store, &actor, &settings).await?;
    Ok(settings)
}
