//! Types that parse themselves: once you hold one, it is valid. Shared by server and browser so
//! a form can check input before sending it, and the server checks it again.

mod badge;
pub mod badge_order;
mod color;
mod contact;
mod email;
pub mod event;
pub mod job;
pub mod member;
pub mod page;
mod password;
#[cfg(feature = "ssr")]
pub mod query;
mod role;
mod scope;
mod search;
mod settings;
mod slug;
pub mod tags;
pub mod webhook;

pub use badge::{BadgeDescription, BadgeTitle, IconRef, IconSource};
pub use color::{ContrastVerdict, HexColor};
pub use contact::{Address, Contact};
pub use email::Email;
pub use password::Password;
pub use role::{ActivityStatus, MemberStatus, PrivacyStatus, Role};
pub use scope::{Scope, Scopes};
pub use search::{search, MAX_SEARCH};
pub use settings::SiteSettings;
pub use slug::slugify;

/// A new row's id. Time-ordered (UUID v7): rows written together get neighbouring ids, so a
/// batch of 1,000 assignments and their events append to the ends of their id indexes instead
/// of touching a thousand pages at random, which is what made a bulk run's writes (and SQLite's
/// checkpoints after them) cost several times the rows themselves. Its 74 random bits keep it
/// unguessable; secrets (sessions, keys, tokens) never use it.
#[cfg(feature = "ssr")]
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
