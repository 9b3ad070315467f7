//! The rules for API keys and member tokens, shared by the dashboard, the profile page and the
//! command line: who may create, list and revoke which, and what a new one may be called.

use super::actor::Actor;
use super::api_key::{new_secret, KeyKind};
use crate::domain::{Email, Scopes};
use crate::error::{AppError, ErrorCode, Invalid};
use crate::store::{ApiKeyRecord, NewApiKey, Store, StoreError};

/// The longest name a key may have, in characters.
pub const MAX_NAME: usize = 100;

/// A key just made: its secret, shown once, and what is kept of it.
pub struct CreatedKey {
    pub secret: String,
    pub record: ApiKeyRecord,
}

fn parse_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", Invalid::required("Give the key a name, e.g. what uses it")));
    }
    if name.chars().count() > MAX_NAME {
        return Err(AppError::validation(
            "name",
            Invalid::max_length(format!("A name has at most {MAX_NAME} characters")),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::validation("name", Invalid::format("A name is one line of text")));
    }
    Ok(name.to_owned())
}

/// Draws a secret and keeps it; a prefix already taken (1 in 2^48) draws again.
async fn keep(store: &Store, kind: KeyKind, mut new: NewApiKey) -> Result<CreatedKey, AppError> {
    for _ in 0..5 {
        let secret = new_secret(kind);
        new.prefix = secret.prefix;
        new.key_hash = secret.hash;
        match store.create_api_key(&new).await {
            Ok(record) => return Ok(CreatedKey { secret: secret.key, record }),
            Err(StoreError::Unique(c)) if c == "api_keys_prefix_key" => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal)
}

/// A site key with the scopes given: the owner or an admin (or the command line).
pub async fn create_site_key(store: &Store, actor: &Actor, name: &str, scopes: &str) -> Result<CreatedKey, AppError> {
    let created_by = site_key_manager(actor)?;
    let name = parse_name(name)?;
    let scopes = Scopes::parse(scopes).map_err(|e| AppError::validation("scopes", e))?;
    let new = NewApiKey {
        prefix: String::new(),
        key_hash: String::new(),
        name,
        scopes: scopes.to_string(),
        member_id: None,
        created_by,
    };
    keep(store, KeyKind::Site, new).await
}

pub async fn list_site_keys(store: &Store, actor: &Actor) -> Result<Vec<ApiKeyRecord>, AppError> {
    site_key_manager(actor)?;
    Ok(store.list_api_keys(None).await?)
}

pub async fn revoke_site_key(store: &Store, actor: &Actor, prefix: &str) -> Result<(), AppError> {
    site_key_manager(actor)?;
    if store.delete_api_key(prefix.trim(), None).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(ErrorCode::NotFound))
    }
}

/// Admins and Insignia itself manage site keys; the account that made one, if any, is kept.
fn site_key_manager(actor: &Actor) -> Result<Option<uuid::Uuid>, AppError> {
    match actor {
        Actor::System => Ok(None),
        _ => Ok(Some(actor.require_admin()?.id)),
    }
}

/// A personal token for the calling member (any status but blocked, who cannot call at all).
pub async fn create_own_token(store: &Store, actor: &Actor, name: &str) -> Result<CreatedKey, AppError> {
    let account = actor.require_login()?;
    let member = account.member.as_ref().ok_or(AppError::Forbidden)?;
    let name = parse_name(name)?;
    let new = NewApiKey {
        prefix: String::new(),
        key_hash: String::new(),
        name,
        scopes: String::new(),
        member_id: Some(member.id),
        created_by: Some(account.id),
    };
    keep(store, KeyKind::Member, new).await
}

/// A token for the member with this login email, made from the command line.
pub async fn create_token_for(store: &Store, actor: &Actor, email: &str, name: &str) -> Result<CreatedKey, AppError> {
    if !matches!(actor, Actor::System) {
        actor.require_admin()?;
    }
    let email = Email::parse(email).map_err(|m| AppError::validation("member", m))?;
    let account = store.account_by_email(&email).await?.ok_or(AppError::MEMBER_NOT_FOUND)?;
    let member = account.member.as_ref().ok_or(AppError::MEMBER_NOT_FOUND)?;
    let new = NewApiKey {
        prefix: String::new(),
        key_hash: String::new(),
        name: parse_name(name)?,
        scopes: String::new(),
        member_id: Some(member.id),
        created_by: None,
    };
    keep(store, KeyKind::Member, new).await
}

pub async fn list_own_tokens(store: &Store, actor: &Actor) -> Result<Vec<ApiKeyRecord>, AppError> {
    let member = actor.require_login()?.member.as_ref().ok_or(AppError::Forbidden)?;
    Ok(store.list_api_keys(Some(member.id)).await?)
}

pub async fn revoke_own_token(store: &Store, actor: &Actor, prefix: &str) -> Result<(), AppError> {
    let member = actor.require_login()?.member.as_ref().ok_or(AppError::Forbidden)?;
    if store.delete_api_key(prefix.trim(), Some(member.id)).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(ErrorCode::NotFound))
    }
}

/// The caller's own keys: an admin's are the site keys, a member's their personal tokens.
pub async fn list_keys_of(store: &Store, actor: &Actor) -> Result<Vec<ApiKeyRecord>, AppError> {
    if actor.is_admin() {
        list_site_keys(store, actor).await
    } else {
        list_own_tokens(store, actor).await
    }
}

/// A new key of the caller's kind: a site key with `scopes` for an admin, a personal token
/// (scopes ignored: it has the member's powers) for a member.
pub async fn create_key_for(store: &Store, actor: &Actor, name: &str, scopes: &str) -> Result<CreatedKey, AppError> {
    if actor.is_admin() {
        create_site_key(store, actor, name, scopes).await
    } else {
        create_own_token(store, actor, name).await
    }
}

pub async fn revoke_key_of(store: &Store, actor: &Actor, prefix: &str) -> Result<(), AppError> {
    if actor.is_admin() {
        revoke_site_key(store, actor, prefix).await
    } else {
        revoke_own_token(store, actor, prefix).await
    }
}
