//! The settings rules: anyone reads the site's name, admins read and change the rest.

use crate::auth::actor::Actor;
use crate::domain::SiteSettings;
use crate::error::AppError;
use crate::store::Store;

/// The site's name, for every page's header.
pub async fn site_name(store: &Store) -> Result<String, AppError> {
    Ok(store.settings().await?.site_name)
}

pub async fn get(store: &Store, actor: &Actor) -> Result<SiteSettings, AppError> {
    actor.require_admin()?;
    Ok(store.settings().await?)
}

pub async fn save(store: &Store, actor: &Actor, settings: &SiteSettings) -> Result<(), AppError> {
    let admin = actor.require_admin()?;
    store.save_settings(settings).await?;
    tracing::info!(account = %admin.id, ?settings, "settings updated");
    Ok(())
}
