//! The account rules, shared by server functions, the CLI and the tests: first-run owner
//! creation, member sign-up, and authentication with throttling.

use super::actor::Actor;
use super::password;
use crate::domain::{Email, MemberStatus, Password};
use crate::error::{AppError, ErrorCode, Invalid, Rule};
use crate::store::{AccountRecord, Store, StoreError};
use chrono::{Duration, Utc};
use std::net::IpAddr;

/// After this many failed logins for one email from one address within `THROTTLE_WINDOW`,
/// further attempts from there are refused until the window has passed, even with the right
/// password. Counted per address, so that a flood of guesses for the owner's email from
/// elsewhere does not lock the owner out.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// Failed logins one address may make within `THROTTLE_WINDOW`, whatever the emails.
pub const MAX_FAILED_PER_ADDRESS: i64 = 50;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// The longest an attempt is held back when an email is being guessed from many addresses.
pub const MAX_DELAY: std::time::Duration = std::time::Duration::from_secs(3);

/// How long to hold back an attempt at an email that failed this often (from anywhere) within
/// the window: nothing for the first few, then 250 ms more per failure up to `MAX_DELAY` —
/// slower guessing, never a lockout.
pub fn delay_after(failures: i64) -> std::time::Duration {
    let over = failures.saturating_sub(MAX_FAILED_LOGINS).max(0) as u64;
    std::time::Duration::from_millis(250 * over).min(MAX_DELAY)
}

pub async fn create_owner(store: &Store, email: &str, password: &str) -> Result<AccountRecord, AppError> {
    let email = Email::parse(email).map_err(|m| AppError::validation("email", m))?;
    let password = Password::parse(password).map_err(|m| AppError::validation("password", m))?;
    if store.owner_exists().await? {
        return Err(AppError::conflict(
            ErrorCode::OwnerAlreadyExists,
            "This site already has an owner. Log in instead.",
        ));
    }
    let hash = password::hash(&password).await?;
    store.create_owner(&email, &hash).await.map_err(|e| match e {
        StoreError::Unique(c) if c == "accounts_one_owner" => {
            AppError::conflict(ErrorCode::OwnerAlreadyExists, "This site already has an owner. Log in instead.")
        }
        StoreError::Unique(c) if c == "accounts_email_key" => {
            AppError::validation("email", Invalid::new(Rule::Taken, "An account with this email already exists"))
        }
        other => other.into(),
    })
}

/// Signs up a member: an account and its Member, APPROVED or PENDING per the site settings.
pub async fn sign_up(store: &Store, email: &str, password: &str) -> Result<AccountRecord, AppError> {
    let status = if store.settings().await?.require_approval { MemberStatus::Pending } else { MemberStatus::Approved };
    crate::members::service::create(store, &Actor::Visitor, email, password, None, status).await
}

/// Checks an email and password, tried from `from` (the client's address, when known). Wrong
/// email and wrong password get the same answer (and take the same time), so the form does not
/// reveal who has an account.
pub async fn authenticate(
    store: &Store,
    email: &str,
    password: &str,
    from: Option<IpAddr>,
) -> Result<AccountRecord, AppError> {
    let bad_credentials = || AppError::validation("password", "That email and password do not match");
    let Ok(email) = Email::parse(email) else {
        return Err(AppError::validation("email", "Enter the email address you signed up with"));
    };
    let now = Utc::now();
    let since = now - THROTTLE_WINDOW;
    let wait = || {
        AppError::TooManyRequests(format!(
            "Too many failed attempts. Wait {} minutes and try again.",
            THROTTLE_WINDOW.num_minutes()
        ))
    };
    let here = match from {
        Some(address) => format!("{} from {address}", email.as_str()),
        None => email.as_str().to_owned(),
    };
    // The attempt is written down before it is counted, and counted before the password is
    // checked: of any number of attempts at once, only those that find themselves among the
    // first MAX_FAILED_LOGINS get a password check (checking first and recording after let
    // every parallel guess through). A successful login clears the record.
    store.record_login_failure(&here, now).await?;
    if store.login_failures_since(&here, since).await? > MAX_FAILED_LOGINS {
        return Err(wait());
    }
    let address = from.map(|a| format!("address {a}"));
    if let Some(address) = &address {
        if store.login_failures_since(address, since).await? >= MAX_FAILED_PER_ADDRESS {
            tracing::warn!(%address, "refused: too many failed logins from one address");
            return Err(wait());
        }
    }
    let everywhere = format!("email {}", email.as_str());
    let pause = delay_after(store.login_failures_since(&everywhere, since).await?);
    if !pause.is_zero() {
        tokio::time::sleep(pause).await;
    }
    let account = store.account_by_email(&email).await?;
    if !password::verify(password, account.as_ref().map(|a| a.password_hash.as_str())).await? {
        // counted only once it failed: a login that works adds nothing here
        for key in address.iter().chain([&everywhere]) {
            store.record_login_failure(key, now).await?;
        }
        return Err(bad_credentials());
    }
    let account = account.expect("verify succeeds only for a known account");
    if account.member.as_ref().is_some_and(|m| m.status == MemberStatus::Blocked) {
        return Err(AppError::validation("email", "This account is blocked. Contact the site owner."));
    }
    store.clear_login_failures(&here).await?;
    Ok(account)
}

/// Whether the first-run setup is still open (no owner yet).
pub async fn needs_setup(store: &Store) -> Result<bool, AppError> {
    Ok(!store.owner_exists().await?)
}

/// Opens a session of `ttl` for the account and stamps the member's last login; returns the
/// token for the cookie (the store keeps only its hash).
pub async fn open_session(store: &Store, account: &AccountRecord, ttl: Duration) -> Result<String, AppError> {
    let (token, hash) = super::session::new_token();
    let now = Utc::now();
    store.create_session(&hash, account.id, now + ttl).await?;
    store.record_login(account.id, now).await?;
    Ok(token)
}

/// Ends every session of the calling account, this one included.
pub async fn close_all_sessions(store: &Store, actor: &crate::auth::actor::Actor) -> Result<u64, AppError> {
    let account = actor.require_login()?;
    let ended = store.delete_sessions_of(account.id).await?;
    tracing::info!(account = %account.id, ended, "logged out everywhere");
    Ok(ended)
}

/// Ends the session of this cookie token, if it is one.
pub async fn close_session(store: &Store, token: &str) -> Result<(), AppError> {
    Ok(store.delete_session(&super::session::hash_token(token)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_from_many_places_slow_down_but_never_lock_out() {
        assert_eq!(delay_after(0), std::time::Duration::ZERO);
        assert_eq!(delay_after(MAX_FAILED_LOGINS), std::time::Duration::ZERO);
        assert_eq!(delay_after(MAX_FAILED_LOGINS + 2), std::time::Duration::from_millis(500));
        assert_eq!(delay_after(10_000), MAX_DELAY);
    }
}
