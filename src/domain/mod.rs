//! Types that parse themselves: once you hold one, it is valid. Shared by server and browser so
//! a form can check input before sending it, and the server checks it again.

mod badge;
mod color;
mod email;
pub mod member;
mod password;
mod role;
mod slug;

pub use badge::{BadgeDescription, BadgeTitle, IconRef, IconSource};
pub use color::{ContrastVerdict, HexColor};
pub use email::Email;
pub use password::Password;
pub use role::{ActivityStatus, MemberStatus, PrivacyStatus, Role};
pub use slug::slugify;
