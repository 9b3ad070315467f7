//! Server functions for API keys: an admin manages the site's keys (Dashboard → Settings →
//! API keys), a member their personal tokens (Profile → API access); the service tells which
//! from the caller.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyView {
    pub prefix: String,
    pub name: String,
    /// `badges.manage,members.read`; empty for a member token.
    pub scopes: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A key just made: the secret, shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedKeyView {
    pub secret: String,
    pub key: KeyView,
}

#[cfg(feature = "ssr")]
impl From<crate::store::ApiKeyRecord> for KeyView {
    fn from(k: crate::store::ApiKeyRecord) -> Self {
        KeyView {
            prefix: k.prefix,
            name: k.name,
            scopes: k.scopes,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
        }
    }
}

#[server]
pub async fn my_keys() -> Result<Vec<KeyView>, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let keys = super::key_service::list_keys_of(&guard::state()?.store, &actor).await?;
    Ok(keys.into_iter().map(KeyView::from).collect())
}

/// Creates a key named `name`; an admin ticks its scopes (each box sends its field only when
/// ticked), a member's token needs none.
#[server]
pub async fn create_key(
    name: String,
    badges_read: Option<String>,
    badges_manage: Option<String>,
    members_read: Option<String>,
    members_manage: Option<String>,
) -> Result<CreatedKeyView, AppError> {
    use crate::auth::guard;
    use crate::domain::Scope;
    let actor = guard::actor().await?;
    let ticked = [
        (badges_read, Scope::BadgesRead),
        (badges_manage, Scope::BadgesManage),
        (members_read, Scope::MembersRead),
        (members_manage, Scope::MembersManage),
    ];
    let scopes: Vec<&str> = ticked.iter().filter(|(on, _)| on.is_some()).map(|(_, s)| s.as_str()).collect();
    let created = super::key_service::create_key_for(&guard::state()?.store, &actor, &name, &scopes.join(",")).await?;
    Ok(CreatedKeyView { secret: created.secret, key: created.record.into() })
}

#[server]
pub async fn revoke_key(prefix: String) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::key_service::revoke_key_of(&guard::state()?.store, &actor, &prefix).await
}
